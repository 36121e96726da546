// HTTP tests of events (issue 18) against a real server: an event created through the API with a
// secretariat token and registered on its public page; the API's validation (422 with Japanese
// messages per field), its gate (METI may read, not create) and CSRF for cookie-authenticated
// POSTs; the public form's errors, the same address twice, the wait list with an offer that
// expires; personal links that reveal one registration only; check-in at two desks at once;
// exports; every staff route for each kind of person; the rate limit per address.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, Browser, kakehashi, sql as sqlIn, japanLocal } from "./server.mjs";

const PASSWORD = "events password 1234";
const USERS = {
  secretariat: { email: "secretariat@example.jp", name: "事務 次郎", roles: ["secretariat"], org: "架け橋事務局" },
  meti: { email: "meti@example.jp", name: "経産 花子", roles: ["meti"], org: "経済産業省" },
  bureau: { email: "kinki@example.jp", name: "近畿 四子", roles: ["bureau"], org: "近畿経済産業局", block: "kinki" },
  opA: { email: "a@operator.example", name: "実証 五郎", roles: ["operator"], org: "株式会社みらい産学連携" },
  opB: { email: "b@operator.example", name: "学び 花", roles: ["operator"], org: "一般社団法人まなびブリッジ" },
  reviewer: { email: "r1@example.jp", name: "審査 一郎", roles: ["reviewer"], org: "外部審査委員会" },
};

let server;
const as = {};
const id = {};
const tokens = {};
const sql = (query) => sqlIn(server.db, query);

async function csrf(browser, path) {
  const page = await browser.request(path);
  const value = browser.csrfFrom(page.text_);
  assert.ok(value, `a CSRF token on ${path}`);
  return value;
}

async function post(who, path, form, from = "/events") {
  return as[who].request(path, { method: "POST", form: { csrf_token: await csrf(as[who], from), ...form } });
}

async function api(path, who, { method = "GET", body } = {}) {
  const headers = { authorization: `Bearer ${tokens[who]}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(server.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, location: response.headers.get("location"), body: await response.json() };
}

// An event made by the secretariat's form; returns {id, slug}.
async function makeEvent(fields) {
  const form = {
    kind: "interim", title: "中間報告会（近畿）", summary: "近畿ブロックの実証の成果を報告します。",
    starts_at: japanLocal(20), ends_at: japanLocal(20.2), format: "hybrid", prefecture: "27", venue: "大阪商工会議所",
    address: "大阪市中央区本町橋2-8", capacity: "2", registration_closes_at: japanLocal(15), offer_hours: "48",
    cohost_name: "", cohost_counting: "ours", cohost_operator_id: String(id.A), published: "1", ...fields,
  };
  const made = await post("secretariat", "/events", form, "/events/new");
  assert.equal(made.status, 303, made.text_.slice(0, 600));
  const eventId = Number(made.headers.get("location").split("/").pop());
  return { id: eventId, slug: sql(`SELECT slug FROM events WHERE id = ${eventId}`) };
}

const PERSON = { name: "参加 太郎", organisation: "大阪市立中央小学校", kind: "school", school_type: "小学校", prefecture: "27",
                 attendance: "in_person", consent: "1" };

// A visitor registers on the public page; returns the response of the POST (and the browser).
async function register(slug, fields) {
  const visitor = new Browser(server.base);
  const token = await csrf(visitor, `/e/${slug}`);
  const response = await visitor.request(`/e/${slug}`, { method: "POST", form: { csrf_token: token, ...PERSON, ...fields } });
  return { response, visitor };
}

before(async () => {
  server = await startServer({ users: Object.values(USERS).map((u) => ({ ...u, password: PASSWORD })),
                               extraArgs: ["--public-form-limit", "0"] });
  const org = (name) => sql(`SELECT id FROM organisations WHERE name = '${name}'`);
  const now = "2026-08-01T00:00:00Z";
  for (const [key, name, block] of [["A", "株式会社みらい産学連携", "kinki"], ["B", "一般社団法人まなびブリッジ", "kanto"]]) {
    id[key] = sql(
      `INSERT INTO operators (call_id, organisation_id, name, contract_amount, contract_from, contract_to, created_at, updated_at) ` +
        `VALUES (1, ${org(name)}, '${name}', 20000000, '2026-08-01', '2027-03-31', '${now}', '${now}') RETURNING id`,
    );
    sql(`INSERT INTO operator_blocks (operator_id, call_id, block_id, amount) VALUES (${id[key]}, 1, '${block}', 20000000)`);
  }
  for (const [key, user] of Object.entries(USERS)) {
    as[key] = new Browser(server.base);
    const response = await as[key].login(user.email, PASSWORD);
    assert.equal(response.status, 303, `login of ${key}`);
  }
  for (const key of ["secretariat", "meti"]) {
    const made = kakehashi(["token", "create", "--db", server.db, "--email", USERS[key].email]);
    assert.equal(made.status, 0, made.stderr);
    tokens[key] = made.stdout.trim();
  }
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

const API_EVENT = {
  kind: "interim", title: "中間報告会（九州）", summary: "九州ブロックの成果報告", starts_at: japanLocal(30).slice(0, 16),
  ends_at: japanLocal(30.15).slice(0, 16), format: "in_person", prefecture: "40", venue: "福岡国際会議場",
  address: "福岡市博多区石城町2-1", capacity: 120, registration_closes_at: japanLocal(25).slice(0, 16), published: true,
};

test("a secretariat token creates an event through the API whose public page takes registrations", async () => {
  const created = await api("/api/v1/events", "secretariat", { method: "POST", body: API_EVENT });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.match(created.location, /^\/api\/v1\/events\/\d+$/);
  assert.equal(created.body.title, "中間報告会（九州）");
  assert.equal(created.body.registered, 0);
  assert.deepEqual(created.body.target_band, { low: 50, high: 150 });
  const url = new URL(created.body.public_url);
  assert.match(url.pathname, /^\/e\/\d{8}-[a-z0-9]{4}$/);
  const slug = url.pathname.split("/")[2];
  const page = await new Browser(server.base).request(`/e/${slug}`);
  assert.equal(page.status, 200);
  assert.match(page.text_, /中間報告会（九州）/);
  assert.match(page.text_, /会場の残り席: 120 席/);
  const { response, visitor } = await register(slug, { email: "kyushu@example.jp", prefecture: "40" });
  assert.equal(response.status, 303, response.text_.slice(0, 800));
  const personal = response.headers.get("location");
  assert.match(personal, new RegExp(`^/e/${slug}/r/\\d+-[A-Za-z0-9_-]{32}$`));
  const mine = await visitor.request(personal);
  assert.equal(mine.status, 200);
  assert.match(mine.text_, /参加申込みを受け付けました。受付番号は E\d+-[A-Z0-9]{6} です。/);
  assert.match(mine.text_, /<svg[^>]+role="img" aria-label="受付用 QR コード（受付番号 E\d+-[A-Z0-9]{6}）"/);
  assert.match(mine.text_, /会場での参加が確定しています。/);
  const read = await api(created.location, "meti");
  assert.equal(read.status, 200);
  assert.equal(read.body.registered, 1);
  assert.equal(read.body.confirmed, 1);
  assert.equal(read.body.waiting, 0);
  assert.equal(read.body.attended, 0);
  const list = await api("/api/v1/events", "meti");
  assert.equal(list.status, 200);
  assert.ok(list.body.items.some((e) => e.id === created.body.id));
});

test("the API refuses invalid events with a message per field, METI, and a cookie POST without the CSRF token", async () => {
  const bad = await api("/api/v1/events", "secretariat", {
    method: "POST", body: { ...API_EVENT, title: "", capacity: "many", ends_at: API_EVENT.starts_at, colour: "red" },
  });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.code, "unprocessable");
  const byField = Object.fromEntries(bad.body.error.fields.map((f) => [f.field, f.message]));
  assert.equal(byField.title, "名称を入力してください");
  assert.equal(byField.capacity, "capacity は整数で指定してください");
  assert.equal(byField.ends_at, "終了日時は開始日時より後にしてください");
  assert.equal(byField.colour, "colour という項目はありません");
  const notJson = await fetch(server.base + "/api/v1/events", {
    method: "POST", headers: { authorization: `Bearer ${tokens.secretariat}`, "content-type": "application/json" }, body: "{",
  });
  assert.equal(notJson.status, 422);
  const meti = await api("/api/v1/events", "meti", { method: "POST", body: API_EVENT });
  assert.equal(meti.status, 403);
  const before = sql("SELECT COUNT(*) FROM events");
  const cookie = await as.secretariat.request("/api/v1/events", {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(API_EVENT),
  });
  assert.equal(cookie.status, 403);
  assert.match(cookie.text_, /フォームの有効期限が切れたか、不正な送信です/);
  assert.equal(sql("SELECT COUNT(*) FROM events"), before);
});

test("the public form shows every error at once, normalises what is typed and keeps one registration per address", async () => {
  const event = await makeEvent({ title: "中間報告会（フォーム）", capacity: "50" });
  const visitor = new Browser(server.base);
  const token = await csrf(visitor, `/e/${event.slug}`);
  const empty = await visitor.request(`/e/${event.slug}`, { method: "POST", form: { csrf_token: token } });
  assert.equal(empty.status, 422);
  for (const message of ["氏名を入力してください", "区分を選んでください", "都道府県を選んでください", "メールアドレスを入力してください",
                         "参加方法（会場・オンライン）を選んでください", "個人情報の取扱いに同意いただく必要があります"]) {
    assert.ok(empty.text_.includes(message), message);
  }
  const noCsrf = await new Browser(server.base).request(`/e/${event.slug}`, { method: "POST", form: { ...PERSON, email: "x@example.jp" } });
  assert.equal(noCsrf.status, 403);
  const first = await register(event.slug, { name: "山田　　花子", email: "ｈａｎａｋｏ@Example.jp" });
  assert.equal(first.response.status, 303);
  assert.equal(sql(`SELECT name || '|' || email FROM event_registrations WHERE event_id = ${event.id}`), "山田 花子|hanako@Example.jp");
  const again = await register(event.slug, { email: "HANAKO@example.jp" });
  assert.equal(again.response.status, 200);
  assert.match(again.response.text_, /このメールアドレスでは、すでに申込みを受け付けています。新しい席は確保していません。/);
  assert.doesNotMatch(again.response.text_, /\/r\/\d+-/, "the page does not reveal the personal link");
  assert.equal(sql(`SELECT COUNT(*) FROM event_registrations WHERE event_id = ${event.id}`), "1");
});

test("past the capacity people wait in order; a freed seat is offered and an offer not taken in time passes on", async () => {
  const event = await makeEvent({ title: "中間報告会（キャンセル待ち）", capacity: "1" });
  const seated = await register(event.slug, { email: "seated@example.jp" });
  const w1 = await register(event.slug, { email: "w1@example.jp" });
  const w2 = await register(event.slug, { email: "w2@example.jp" });
  const w1Page = await w1.visitor.request(w1.response.headers.get("location"));
  assert.match(w1Page.text_, /キャンセル待ち（1 番目）で受け付けました。/);
  assert.match(w1Page.text_, /キャンセル待ちの 1 番目です。/);
  const w2Link = w2.response.headers.get("location");
  assert.match((await w2.visitor.request(w2Link)).text_, /キャンセル待ちの 2 番目です。/);
  // Cancelling needs the confirmation box; then the first in line gets the offer.
  const seatedLink = seated.response.headers.get("location");
  const page = await seated.visitor.request(seatedLink);
  const token = seated.visitor.csrfFrom(page.text_);
  const unconfirmed = await seated.visitor.request(`${seatedLink}/cancel`, { method: "POST", form: { csrf_token: token } });
  assert.equal(unconfirmed.status, 422);
  const cancelled = await seated.visitor.request(`${seatedLink}/cancel`, { method: "POST", form: { csrf_token: token, confirm: "1" } });
  assert.equal(cancelled.status, 303);
  const offered = await w1.visitor.request(w1.response.headers.get("location"));
  assert.match(offered.text_, /繰り上げ案内中/);
  assert.match(offered.text_, /参加を確定する/);
  // The offer's time runs out (the running server has no clock to turn: the deadline moves).
  sql(`UPDATE event_registrations SET offer_expires_at = '2020-01-01T00:00:00Z' WHERE email = 'w1@example.jp'`);
  const expired = await w1.visitor.request(w1.response.headers.get("location"));
  assert.match(expired.text_, /繰り上げのご案内の期限が過ぎたため、申込みは終了しました。/);
  const next = await w2.visitor.request(w2Link);
  assert.match(next.text_, /繰り上げ案内中/);
  const accept = await w2.visitor.request(`${w2Link}/accept`, { method: "POST", form: { csrf_token: w2.visitor.csrfFrom(next.text_) } });
  assert.equal(accept.status, 303);
  assert.match((await w2.visitor.request(w2Link)).text_, /会場での参加が確定しています。/);
  assert.equal(sql(`SELECT COUNT(*) FROM event_registrations WHERE event_id = ${event.id} AND status = 'confirmed'`), "1");
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'event.offer_expire'`), "1");
});

test("a personal link opens only its own registration", async () => {
  const event = await makeEvent({ title: "中間報告会（リンク）", capacity: "10" });
  const a = await register(event.slug, { email: "link-a@example.jp" });
  const b = await register(event.slug, { email: "link-b@example.jp" });
  const linkA = a.response.headers.get("location");
  const idB = b.response.headers.get("location").split("/").pop().split("-")[0];
  const forged = linkA.replace(/\/r\/\d+-/, `/r/${idB}-`);
  const anyone = new Browser(server.base);
  assert.equal((await anyone.request(forged)).status, 404);
  assert.equal((await anyone.request(linkA.slice(0, -1) + (linkA.endsWith("A") ? "B" : "A"))).status, 404);
  assert.equal((await anyone.request(linkA)).status, 200);
});

test("check-in: the person by receipt or QR content, attendance counted once with two desks", async () => {
  const event = await makeEvent({ title: "中間報告会（受付）", capacity: "10" });
  await register(event.slug, { email: "desk@example.jp", name: "受付 一子" });
  const receipt = sql(`SELECT receipt FROM event_registrations WHERE email = 'desk@example.jp'`);
  const found = await post("secretariat", `/events/${event.id}/checkin`, { code: ` ${receipt.toLowerCase()} ` }, `/events/${event.id}/checkin`);
  assert.equal(found.status, 200);
  assert.match(found.text_, /受付 一子 さん/);
  const unknown = await post("secretariat", `/events/${event.id}/checkin`, { code: "E999-ZZZZZZ" }, `/events/${event.id}/checkin`);
  assert.equal(unknown.status, 422);
  assert.match(unknown.text_, /受付番号「E999-ZZZZZZ」の申込みは見つかりません/);
  const regId = sql(`SELECT id FROM event_registrations WHERE receipt = '${receipt}'`);
  const t1 = await csrf(as.secretariat, `/events/${event.id}/checkin`);
  const t2 = await csrf(as.opA, `/events/${event.id}/checkin`);
  const [one, two] = await Promise.all([
    as.secretariat.request(`/events/${event.id}/checkin/${regId}`, { method: "POST", form: { csrf_token: t1 } }),
    as.opA.request(`/events/${event.id}/checkin/${regId}`, { method: "POST", form: { csrf_token: t2 } }),
  ]);
  assert.equal(one.status, 303);
  assert.equal(two.status, 303);
  assert.equal(sql(`SELECT COUNT(*) FROM event_registrations WHERE id = ${regId} AND attended_at IS NOT NULL`), "1");
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'event.checkin' AND detail LIKE '%"registration":${regId},%'`), "1");
  const walkIn = await post("secretariat", `/events/${event.id}/walkins`, { name: "当日 来子", organisation: "堺市教育委員会", kind: "municipality" },
                            `/events/${event.id}/checkin`);
  assert.equal(walkIn.status, 303);
  const desk = await as.secretariat.request(`/events/${event.id}/checkin`);
  assert.match(desk.text_, /当日 来子さんを当日参加として受け付けました/);
  assert.match(desk.text_, /出席 <strong>2<\/strong> 人/);
});

test("staff routes answer per role: registrants only for the secretariat and the co-hosting operator", async () => {
  const event = await makeEvent({ title: "中間報告会（権限）", capacity: "10" });
  await register(event.slug, { email: "scope@example.jp", name: "権限 確認" });
  const expect = {
    [`/events`]: { secretariat: 200, meti: 200, bureau: 200, opA: 200, opB: 200, reviewer: 403 },
    [`/events/${event.id}`]: { secretariat: 200, meti: 200, bureau: 200, opA: 200, opB: 404, reviewer: 403 },
    [`/events/${event.id}/registrations`]: { secretariat: 200, meti: 403, bureau: 403, opA: 200, opB: 404, reviewer: 403 },
    [`/events/${event.id}/checkin`]: { secretariat: 200, meti: 403, bureau: 403, opA: 200, opB: 404, reviewer: 403 },
    [`/events/${event.id}/edit`]: { secretariat: 200, meti: 403, bureau: 403, opA: 403, opB: 403, reviewer: 403 },
    [`/events/${event.id}/registrations.xlsx`]: { secretariat: 200, meti: 200, bureau: 200, opA: 200, opB: 404, reviewer: 403 },
    [`/events/${event.id}/badges.pdf`]: { secretariat: 200, meti: 403, bureau: 403, opA: 200, opB: 404, reviewer: 403 },
  };
  for (const [path, byRole] of Object.entries(expect)) {
    for (const [who, status] of Object.entries(byRole)) {
      const response = await as[who].request(path);
      assert.equal(response.status, status, `${who} ${path}`);
      if (status === 200 && path.endsWith("/registrations")) assert.match(response.text_, /権限 確認/);
    }
  }
  const anonymous = await new Browser(server.base).request(`/events/${event.id}`);
  assert.equal(anonymous.status, 303);
  // The list of another operator does not show the event.
  assert.doesNotMatch((await as.opB.request("/events")).text_, /中間報告会（権限）/);
  const pdf = await as.secretariat.request(`/events/${event.id}/badges.pdf`);
  assert.equal(pdf.headers.get("content-type"), "application/pdf");
  assert.ok(pdf.text_.startsWith("%PDF-"));
});

test("a cost recorded on the event is also an expense of the programme budget", async () => {
  const event = await makeEvent({ title: "中間報告会（費用）" });
  const bad = await post("secretariat", `/events/${event.id}/costs`, { category: "venue", cost_description: "", amount: "abc", spent_on: "" },
                         `/events/${event.id}`);
  assert.equal(bad.status, 422);
  assert.match(bad.text_, /金額を半角または全角の数字で入力してください/);
  const done = await post("secretariat", `/events/${event.id}/costs`,
                          { category: "publicity", cost_description: "告知チラシ印刷", amount: "８８，０００", spent_on: "2027-01-10" },
                          `/events/${event.id}`);
  assert.equal(done.status, 303);
  assert.equal(sql(`SELECT amount || '|' || category || '|' || description FROM expenses WHERE id = (SELECT expense_id FROM event_costs WHERE event_id = ${event.id})`),
               "88000|publicity|中間報告会（費用）：告知チラシ印刷");
  const page = await as.meti.request(`/events/${event.id}`);
  assert.match(page.text_, /88,000 円/);
});

test("the public form is limited per address and minute (serve --public-form-limit)", async () => {
  const limited = await startServer({ extraArgs: ["--public-form-limit", "2"] });
  try {
    const made = kakehashi(["user", "add", "--db", limited.db, "--email", "s@example.jp", "--name", "事務", "--role", "secretariat"], PASSWORD + "\n");
    assert.equal(made.status, 0, made.stderr);
    const token = kakehashi(["token", "create", "--db", limited.db, "--email", "s@example.jp"]).stdout.trim();
    const created = await fetch(limited.base + "/api/v1/events", {
      method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(API_EVENT),
    });
    const slug = new URL((await created.json()).public_url).pathname.split("/")[2];
    const visitor = new Browser(limited.base);
    const csrfToken = await csrf(visitor, `/e/${slug}`);
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const r = await visitor.request(`/e/${slug}`, { method: "POST", form: { csrf_token: csrfToken, ...PERSON, prefecture: "40", email: `rl${i}@example.jp` } });
      statuses.push(r.status);
      if (i === 2) assert.match(r.text_, /同じ接続元から短時間に多くの申込みがありました。1 分ほど待ってから、もう一度お試しください。/);
    }
    assert.deepEqual(statuses, [303, 303, 429]);
  } finally {
    await limited.stop();
  }
});
