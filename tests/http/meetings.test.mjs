// HTTP tests of the meetings module (issue 17) against a real server, for every role: series over
// the year end with the minutes deadline on the government calendar (/api/v1/meetings), who sees
// which meeting (attendees; 連絡会 by block), drafts hidden until submitted, the confirmation and
// its lock, the exports (PDF, DOCX, pre-read and its figure data), and iCalendar — one meeting's
// .ics and the secret per-user feed — parsed strictly by python3-icalendar.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { startServer, Browser, sql as sqlIn } from "./server.mjs";

const PASSWORD = "meetings password 1234";
const USERS = {
  secretariat: { email: "secretariat@example.jp", name: "事務 次郎", roles: ["secretariat"], org: "架け橋事務局" },
  meti: { email: "meti@example.jp", name: "経産 花子", roles: ["meti"], org: "経済産業省" },
  hokkaido: { email: "hokkaido@example.jp", name: "北海 道子", roles: ["bureau"], org: "北海道経済産業局", block: "hokkaido" },
  kanto: { email: "kanto@example.jp", name: "関東 一子", roles: ["bureau"], org: "関東経済産業局", block: "kanto" },
  opA: { email: "a@operator.example", name: "実証 五郎", roles: ["operator"], org: "株式会社みらい産学連携" },
  opB: { email: "b@operator.example", name: "学び 花", roles: ["operator"], org: "一般社団法人まなびブリッジ" },
  reviewer: { email: "r1@example.jp", name: "審査 一郎", roles: ["reviewer"], org: "外部審査委員会" },
};

let server;
const as = {};
const id = {};
const sql = (query) => sqlIn(server.db, query);

async function token(who) {
  const page = await as[who].request("/notifications");
  return as[who].csrfFrom(page.text_);
}

// A form POST; `pairs` may repeat a name (check boxes).
async function post(who, path, pairs = [], headers = {}) {
  const body = new URLSearchParams([["csrf_token", await token(who)], ...pairs]).toString();
  return as[who].request(path, {
    method: "POST",
    body,
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
  });
}

async function statuses(path) {
  const out = {};
  for (const who of Object.keys(USERS)) out[who] = (await as[who].request(path)).status;
  return out;
}

// Parses iCalendar text with python3-icalendar and checks what Outlook and Google need: CRLF on
// every line, no line over 75 octets, a VTIMEZONE for Asia/Tokyo, every DTSTART in that zone.
// Prints the events as JSON.
const PARSER = String.raw`
import sys, json, icalendar
raw = sys.stdin.buffer.read()
lines = raw.split(b"\r\n")
assert lines[-1] == b"", "ends with CRLF"
for line in lines[:-1]:
    assert b"\n" not in line and b"\r" not in line, "bare LF or CR"
    assert len(line) <= 75, "line longer than 75 octets: %r" % line[:40]
cal = icalendar.Calendar.from_ical(raw.decode("utf-8"))
assert cal.get("VERSION") == "2.0" and cal.get("PRODID"), "VERSION and PRODID"
zones = [c for c in cal.walk("VTIMEZONE")]
assert [str(z.get("TZID")) for z in zones] == ["Asia/Tokyo"], "one VTIMEZONE Asia/Tokyo"
out = []
for e in cal.walk("VEVENT"):
    for key in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
        assert e.get(key) is not None, "VEVENT without " + key
    start = e.get("DTSTART")
    assert start.params.get("TZID") == "Asia/Tokyo", "DTSTART in Asia/Tokyo"
    out.append({"uid": str(e.get("UID")), "summary": str(e.get("SUMMARY")), "start": start.dt.strftime("%Y-%m-%dT%H:%M"),
                "location": str(e.get("LOCATION", "")), "status": str(e.get("STATUS", "")), "description": str(e.get("DESCRIPTION", ""))})
print(json.dumps(out, ensure_ascii=False))
`;
function parseIcs(text) {
  // Debian's python3 (python3-icalendar, scripts/deps/core.txt), whatever python3 is first on PATH.
  const run = spawnSync("/usr/bin/python3", ["-c", PARSER], { input: Buffer.from(text, "utf8") });
  assert.equal(run.status, 0, `icalendar rejected the file: ${run.stderr}`);
  return JSON.parse(run.stdout.toString());
}

before(async () => {
  server = await startServer({ users: Object.values(USERS).map((u) => ({ ...u, password: PASSWORD })) });
  const org = (name) => sql(`SELECT id FROM organisations WHERE name = '${name}'`);
  const now = "2026-08-01T00:00:00Z";
  for (const [key, name, blocks] of [
    ["A", "株式会社みらい産学連携", ["hokkaido", "hokuriku"]],
    ["B", "一般社団法人まなびブリッジ", ["kanto"]],
  ]) {
    id[key] = sql(
      `INSERT INTO operators (call_id, organisation_id, name, contract_amount, contract_from, contract_to, created_at, updated_at) ` +
        `VALUES (1, ${org(name)}, '${name}', 20000000, '2026-08-01', '2027-03-31', '${now}', '${now}') RETURNING id`,
    );
    for (const block of blocks)
      sql(`INSERT INTO operator_blocks (operator_id, call_id, block_id, amount) VALUES (${id[key]}, 1, '${block}', 10000000)`);
  }
  for (const [key, user] of Object.entries(USERS)) {
    as[key] = new Browser(server.base);
    const response = await as[key].login(user.email, PASSWORD);
    assert.equal(response.status, 303, `login of ${key}`);
    id[key] = sql(`SELECT id FROM users WHERE email = '${user.email}'`);
  }
  as.anonymous = new Browser(server.base);
});
after(async () => {
  await server?.stop();
});

const SERIES = () => [
  ["kind", "regular"],
  ["title", "未来の教室 定例会"],
  ["date", "2026-12-18"],
  ["last_date", "2027-01-08"],
  ["start_time", "10:00"],
  ["duration", "60"],
  ["place", "経済産業省 本館 5階 会議室, 東京"],
  ["attendees", String(id.meti)],
  ["attendees", String(id.kanto)],
  ["guests", "外部有識者 山田"],
];

test("a weekly series over the year end: minutes due on the government calendar, New Year's Day flagged", async () => {
  assert.equal((await post("meti", "/meetings/series", SERIES())).status, 403);
  const refused = await post("secretariat", "/meetings/series", [["kind", "regular"], ["date", "2026-12-18"], ["last_date", "2026-12-01"]]);
  assert.equal(refused.status, 422);
  assert.match(refused.text_, /最終日は初回の日付以降にしてください/);
  assert.match(refused.text_, /会議名を入力してください/);
  const created = await post("secretariat", "/meetings/series", SERIES());
  assert.equal(created.status, 303);
  const api = await as.secretariat.request("/api/v1/meetings?from=2026-12-01&to=2027-01-31");
  assert.equal(api.status, 200);
  const body = JSON.parse(api.text_);
  assert.equal(body.total, 4);
  assert.deepEqual(
    body.items.map((m) => [m.starts_at, m.minutes_due, m.series, m.day_note]),
    [
      ["2026-12-18T01:00:00Z", "2026-12-23", "regular", ""],
      ["2026-12-25T01:00:00Z", "2027-01-05", "regular", ""],
      ["2027-01-01T01:00:00Z", "2027-01-06", "regular", "祝日（元日）"],
      ["2027-01-08T01:00:00Z", "2027-01-14", "regular", ""],
    ],
  );
  assert.deepEqual(body.items[2].flags, ["closed_day"]);
  for (const key of ["minutes_state", "materials_sent_at", "flags", "series_id"]) assert.ok(key in body.items[0], key);
  id.christmas = body.items[1].id;
  id.newyear = body.items[2].id;
  const list = await as.secretariat.request("/meetings");
  assert.equal(list.status, 200);
  assert.match(list.text_, /休日に開催（祝日（元日））/);
});

test("who may see the meetings pages", async () => {
  const list = await statuses("/meetings");
  assert.deepEqual(list, { secretariat: 200, meti: 200, hokkaido: 200, kanto: 200, opA: 200, opB: 200, reviewer: 403 });
  const anonymous = await as.anonymous.request("/meetings");
  assert.equal(anonymous.status, 303);
  // The weekly meeting: METI and the attending bureau; not the other bureau, nor operators.
  assert.deepEqual(await statuses(`/meetings/${id.christmas}`), {
    secretariat: 200, meti: 200, hokkaido: 404, kanto: 200, opA: 404, opB: 404, reviewer: 403,
  });
  assert.deepEqual(await statuses(`/api/v1/meetings/${id.christmas}`), {
    secretariat: 200, meti: 200, hokkaido: 404, kanto: 200, opA: 404, opB: 404, reviewer: 403,
  });
  // A liaison meeting about 関東: its bureau and operator see it without attending.
  const liaison = await post("secretariat", "/meetings", [
    ["kind", "liaison"], ["title", "関東ブロック連絡会"], ["date", "2026-12-21"], ["start_time", "14:00"],
    ["duration", "90"], ["online_url", "https://meet.example.jp/kanto"], ["blocks", "kanto"],
  ]);
  assert.equal(liaison.status, 303);
  id.liaison = Number(/\/meetings\/(\d+)/.exec(liaison.headers.get("location"))[1]);
  assert.deepEqual(await statuses(`/meetings/${id.liaison}`), {
    secretariat: 200, meti: 200, hokkaido: 404, kanto: 200, opA: 404, opB: 200, reviewer: 403,
  });
  const opB = JSON.parse((await as.opB.request("/api/v1/meetings")).text_);
  assert.deepEqual(opB.items.map((m) => m.id), [id.liaison]);
  // Management screens are the secretariat's.
  assert.deepEqual(await statuses("/meetings/new?series=1"), {
    secretariat: 200, meti: 403, hokkaido: 403, kanto: 403, opA: 403, opB: 403, reviewer: 403,
  });
  assert.deepEqual(await statuses(`/meetings/${id.christmas}/minutes`), {
    secretariat: 200, meti: 403, hokkaido: 403, kanto: 403, opA: 403, opB: 403, reviewer: 403,
  });
  assert.equal((await post("kanto", `/meetings/${id.christmas}/agenda`, [["title", "x"], ["minutes", "5"]])).status, 403);
});

test("the agenda's time boxes against the meeting's length, action items carried to the next meeting", async () => {
  for (const [title, minutes] of [["進捗報告", "40"], ["課題の共有", "30"]]) {
    const added = await post("secretariat", `/meetings/${id.christmas}/agenda`, [["title", title], ["owner_name", "事務局"], ["minutes", minutes]]);
    assert.equal(added.status, 303);
  }
  const page = await as.secretariat.request(`/meetings/${id.christmas}`);
  assert.match(page.text_, /議題の合計（70分）が会議時間（60分）を 10 分超えています/);
  const item = await post("secretariat", `/meetings/${id.christmas}/actions`, [
    ["title", "北海道ブロックの計画を確認する"], ["owner_user", String(id.kanto)], ["due_on", "2027-01-08"],
  ]);
  assert.equal(item.status, 303);
  const next = await as.secretariat.request(`/meetings/${id.newyear}`);
  assert.match(next.text_, /前回からの持ち越し/);
  assert.match(next.text_, /北海道ブロックの計画を確認する/);
  const items = JSON.parse((await as.kanto.request("/api/v1/meeting-action-items")).text_);
  assert.equal(items.total, 1);
  assert.equal(items.items[0].owner, "関東 一子");
  const detail = JSON.parse((await as.secretariat.request(`/api/v1/meetings/${id.newyear}`)).text_);
  assert.deepEqual(detail.action_items.map((a) => a.title), ["北海道ブロックの計画を確認する"]);
  assert.deepEqual(detail.flags, ["closed_day"]);
});

test("minutes: a draft only the secretariat sees, submitted, returned, confirmed and then locked", async () => {
  const held = await post("secretariat", "/meetings", [
    ["kind", "regular"], ["title", "11月の定例会"], ["date", "2026-11-20"], ["start_time", "10:00"], ["duration", "60"],
    ["place", "会議室A"], ["attendees", String(id.meti)], ["attendees", String(id.kanto)],
  ]);
  assert.equal(held.status, 303);
  const meeting = Number(/\/meetings\/(\d+)/.exec(held.headers.get("location"))[1]);
  // Due 11/26 (11/23 is a holiday) and not submitted: on the secretariat's home as overdue.
  assert.match((await as.secretariat.request("/")).text_, /「11月の定例会」の議事録が提出期限を過ぎています/);
  const autosave = await post("secretariat", `/meetings/${meeting}/minutes`, [["body", "## 進捗報告\n\n- 下書きの秘密の一文"]], { "HX-Request": "true" });
  assert.equal(autosave.status, 200);
  assert.match(autosave.text_, /に自動保存しました。/);
  const preview = await post("secretariat", `/meetings/${meeting}/minutes/preview`, [["body", "## 見出し\n\n[危ない](javascript:alert(1)) と **強調**"]]);
  assert.equal(preview.status, 200);
  assert.match(preview.text_, /<strong>強調<\/strong>/);
  assert.doesNotMatch(preview.text_, /javascript:/);
  for (const who of ["meti", "kanto"]) assert.doesNotMatch((await as[who].request(`/meetings/${meeting}`)).text_, /下書きの秘密の一文/);
  assert.match((await as.secretariat.request(`/meetings/${meeting}`)).text_, /下書きの秘密の一文/);
  assert.equal((await as.meti.request(`/meetings/${meeting}/minutes.pdf`)).status, 404);
  assert.equal((await post("secretariat", `/meetings/${meeting}/minutes/submit`)).status, 303);
  assert.match((await as.meti.request(`/meetings/${meeting}`)).text_, /下書きの秘密の一文/);
  assert.equal((await post("secretariat", `/meetings/${meeting}/minutes/confirm`)).status, 403);
  assert.equal((await post("meti", `/meetings/${meeting}/minutes/return`, [["comment", "決定事項を明記してください"]])).status, 303);
  assert.doesNotMatch((await as.kanto.request(`/meetings/${meeting}`)).text_, /下書きの秘密の一文/);
  assert.equal((await post("secretariat", `/meetings/${meeting}/minutes`, [["body", "## 進捗報告\n\n決定: 計画を更新する"], ["action", "submit"]])).status, 303);
  assert.equal((await post("meti", `/meetings/${meeting}/minutes/confirm`)).status, 303);
  const refused = await post("secretariat", `/meetings/${meeting}/minutes`, [["body", "書き換え"]], { "HX-Request": "true" });
  assert.equal(refused.status, 422);
  assert.equal(refused.text_.trim(), "確定した議事録は編集できません。");
  const notice = await post("secretariat", `/meetings/${meeting}/decisions`, [["text", "追加"]]);
  assert.equal(notice.status, 303);
  assert.match((await as.secretariat.request(`/meetings/${meeting}`)).text_, /確定した議事録は編集できません。/);
  const pdf = await as.kanto.request(`/meetings/${meeting}/minutes.pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get("content-type"), "application/pdf");
  assert.ok(pdf.text_.startsWith("%PDF-"));
  const docx = await as.meti.request(`/meetings/${meeting}/minutes.docx`);
  assert.equal(docx.status, 200);
  assert.ok(docx.text_.startsWith("PK"));
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE object = 'meeting:${meeting}' AND action IN ('meeting.minutes_submit', 'meeting.minutes_return', 'meeting.minutes_confirm')`), "4");
  assert.equal(sql(`SELECT COUNT(*) FROM notifications WHERE user_id = ${id.kanto} AND title LIKE '議事録の確定%'`), "1");
  const api = JSON.parse((await as.kanto.request(`/api/v1/meetings/${meeting}`)).text_);
  assert.equal(api.minutes_state, "confirmed");
  assert.deepEqual(api.flags, ["materials_not_sent"]);
});

async function upload(who, path, name, content) {
  const body = new FormData();
  body.set("csrf_token", await token(who));
  body.set("file", new Blob([content], { type: "text/csv" }), name);
  return as[who].request(path, { method: "POST", body });
}

test("materials pass the publication-safety inspector, and sending them is recorded for the attendees", async () => {
  const path = `/meetings/${id.christmas}/materials`;
  assert.equal((await post("secretariat", `${path}/send`)).status, 303);
  assert.match((await as.secretariat.request(`/meetings/${id.christmas}`)).text_, /送付する資料がありません。先に資料を登録してください/);
  const personal = await upload("secretariat", path, "名簿.csv", "氏名,電話,メール\n山田 太郎,090-1234-5678,taro@example.jp\n");
  assert.equal(personal.status, 303);
  const refusedPage = (await as.secretariat.request(`/meetings/${id.christmas}`)).text_;
  assert.match(refusedPage, /公開できない内容が含まれているため登録できません: 電話番号/, /notice--[^<]*<\/div>/.exec(refusedPage)?.[0]);
  const fine = await upload("secretariat", path, "進捗集計.csv", "区分,件数\n連携校,4\n");
  assert.equal(fine.status, 303);
  assert.equal((await upload("kanto", path, "x.csv", "a,b\n1,2\n")).status, 403);
  assert.equal((await post("secretariat", `${path}/send`)).status, 303);
  const api = JSON.parse((await as.kanto.request(`/api/v1/meetings/${id.christmas}`)).text_);
  assert.match(api.materials_sent_at, /^\d{4}-\d\d-\d\dT/);
  assert.deepEqual(api.flags, ["agenda_over"]);
  const page = await as.kanto.request(`/meetings/${id.christmas}`);
  const href = /href="(\/meetings\/\d+\/materials\/\d+)">進捗集計\.csv/.exec(page.text_)[1];
  const file = await as.kanto.request(href);
  assert.equal(file.status, 200);
  assert.equal(file.text_, "区分,件数\n連携校,4\n");
  assert.equal((await as.opA.request(href)).status, 404);
  assert.equal(sql(`SELECT COUNT(*) FROM notifications WHERE user_id = ${id.kanto} AND title LIKE '会議資料%'`), "1");
});

test("the pre-read from live data, as PDF and HTML, with its figures' data", async () => {
  const pdf = await as.secretariat.request(`/meetings/${id.christmas}/preread.pdf`);
  assert.equal(pdf.status, 200);
  assert.ok(pdf.text_.startsWith("%PDF-"));
  const html = await as.secretariat.request(`/meetings/${id.christmas}/preread.html`);
  assert.equal(html.status, 200);
  assert.match(html.text_, /地域ブロック別の進捗/);
  assert.match(html.text_, /進捗報告/);
  assert.match(html.text_, /北海道ブロックの計画を確認する/);
  const csv = await as.secretariat.request(`/meetings/${id.christmas}/preread/data?figure=2&format=csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.text_, /完了/);
  assert.equal((await as.opA.request(`/meetings/${id.christmas}/preread.pdf`)).status, 404);
});

test("one meeting's .ics and the secret per-user feed import into a strict iCalendar parser", async () => {
  const one = await as.kanto.request(`/meetings/${id.christmas}/meeting.ics`);
  assert.equal(one.status, 200);
  assert.equal(one.headers.get("content-type"), "text/calendar; charset=utf-8");
  const [event] = parseIcs(one.text_);
  assert.equal(event.start, "2026-12-25T10:00");
  assert.equal(event.summary, "未来の教室 定例会（12月25日）");
  assert.equal(event.location, "経済産業省 本館 5階 会議室, 東京");
  assert.match(event.description, /議事録の提出期限: 2027年1月5日/);
  // The feed: issued once, no login needed, the person's meetings only; a reset retires the old URL.
  const issued = await post("kanto", "/meetings/calendar/reset");
  assert.equal(issued.status, 200);
  const url = /value="(http[^"]+\/ical\/meetings\/[^"]+)"/.exec(issued.text_)[1];
  const path = new URL(url).pathname;
  const feed = await as.anonymous.request(path);
  assert.equal(feed.status, 200);
  const events = parseIcs(feed.text_);
  const uids = events.map((e) => e.uid).sort();
  assert.ok(uids.includes(`meeting-${id.christmas}@kakehashi`));
  assert.ok(uids.includes(`meeting-${id.liaison}@kakehashi`));
  // Only a SHA-256 of the token is stored (32 bytes; the token in the address is longer).
  assert.ok(path.split("/").pop().replace(".ics", "").length > 32);
  assert.notEqual(sql("SELECT COUNT(*) FROM meeting_feeds"), "0");
  assert.equal(sql("SELECT COUNT(*) FROM meeting_feeds WHERE length(token_hash) <> 32"), "0");
  const again = await post("kanto", "/meetings/calendar/reset");
  assert.equal(again.status, 200);
  assert.equal((await as.anonymous.request(path)).status, 404);
  assert.equal((await as.anonymous.request("/ical/meetings/not-a-token.ics")).status, 404);
  const hokkaido = await post("hokkaido", "/meetings/calendar/reset");
  const hokkaidoPath = new URL(/value="(http[^"]+\/ical\/meetings\/[^"]+)"/.exec(hokkaido.text_)[1]).pathname;
  assert.deepEqual(parseIcs((await as.anonymous.request(hokkaidoPath)).text_), []);
});
