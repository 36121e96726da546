// Information management (issue 21) over HTTP: the roster's change workflow with METI's
// consent, the roster gate on every route marked protected_info (walked from
// `kakehashi routes --protected`), the audit of refusals and of personal-field views, no
// plaintext in the database file or a backup, and the close-out with its signed certificate.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { Browser, copyDatabase, databaseFiles, kakehashi, sql, startServer } from "./server.mjs";

// The demo programmes below are SQLite files the command line made, whatever the server's backend.
const sqliteFile = (db, query) => {
  const run = spawnSync("sqlite3", [db, query], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.trim();
};

const PASSWORD = "compliance password 1234";
const PEOPLE = {
  meti: { email: "meti@compliance.example", name: "経産 花子", roles: ["meti"] },
  sec: { email: "sec@compliance.example", name: "事務 次郎", roles: ["secretariat"] },
  outsider: { email: "sec2@compliance.example", name: "名簿外 太郎", roles: ["secretariat"] },
  officer: { email: "officer@compliance.example", name: "情報 三郎", roles: ["security_officer"] },
  officer2: { email: "officer2@compliance.example", name: "名簿外 次子", roles: ["security_officer"] },
};
const REFUSAL = "あなたのアカウントは承認済みの情報取扱者名簿に載っていないため";
const ADDRESS = "神奈川県横浜市中区山下町一丁目46番2号";
const PASSPORT = "EH4471852";

let server;
const as = {};

before(async () => {
  server = await startServer({ users: Object.values(PEOPLE).map((p) => ({ ...p, password: PASSWORD })) });
  for (const [key, person] of Object.entries(PEOPLE)) {
    as[key] = new Browser(server.base);
    const response = await as[key].login(person.email, PASSWORD);
    assert.equal(response.status, 303, key);
  }
});
after(async () => server && (await server.stop()));

const userId = (key) => sql(server.db, `SELECT id FROM users WHERE email = '${PEOPLE[key].email}'`);

async function post(browser, path, form = {}) {
  // The token from the dashboard, which no gate guards (a refused page would be audited).
  const token = browser.csrfFrom((await browser.request("/notifications")).text_);
  return browser.request(path, { method: "POST", form: { csrf_token: token, ...form } });
}

async function fileAddition(browser, form) {
  const response = await post(browser, "/compliance/changes", {
    kind: "add", category: "staff", organisation: "株式会社架け橋", department: "産学連携事業部", title: "",
    user_id: "", address: "", birth_date: "", passport: "", nationality: "", reason: "契約前の提出",
    effective_from: "2026-04-01", ...form,
  });
  assert.equal(response.status, 303, response.text_.slice(0, 500));
  return Number(/\/compliance\/changes\/(\d+)/.exec(response.headers.get("location"))[1]);
}

test("before a roster is approved nobody is refused; changes wait for METI", async () => {
  assert.equal((await as.outsider.request("/compliance")).status, 200);
  const officer = await fileAddition(as.officer, { category: "responsible", name: "情報 三郎", user_id: userId("officer"),
    address: ADDRESS, birth_date: "1987-03-22", passport: PASSPORT, nationality: "中国" });
  // Filed, not yet in effect: the gate stays off and the roster is empty. The change waits on
  // METI's home, and the officer's own section says it is waiting (no names on the home page).
  const metiHome = (await as.meti.request("/")).text_;
  assert.match(metiHome, new RegExp(`<a href="/compliance/changes/${officer}">名簿の変更申請（追加・2026年4月1日（水）から）が承認を待っています</a>`));
  const officerHome = (await as.officer.request("/")).text_;
  assert.match(officerHome, /情報管理責任者の作業[\s\S]*名簿の変更申請 1 件が経済産業省の承認待ちです/);
  assert.ok(!metiHome.includes("情報 三郎") && !metiHome.includes(ADDRESS), "no roster names on METI's home");
  const overview = await as.meti.request("/compliance");
  assert.match(overview.text_, /まだ承認された名簿がありません/);
  // The filer's side cannot decide; METI can.
  assert.equal((await post(as.officer, `/compliance/changes/${officer}/approve`)).status, 403);
  const rejectWithout = await post(as.meti, `/compliance/changes/${officer}/reject`, { note: "" });
  assert.equal(rejectWithout.status, 422);
  assert.match(rejectWithout.text_, /差し戻しの理由を入力してください/);
  assert.equal((await post(as.meti, `/compliance/changes/${officer}/approve`, { note: "" })).status, 303);
  const sec = await fileAddition(as.officer, { category: "manager", name: "事務 次郎", user_id: userId("sec") });
  assert.equal((await post(as.meti, `/compliance/changes/${sec}/approve`, { note: "" })).status, 303);
  const roster = await as.sec.request("/compliance");
  assert.equal(roster.status, 200);
  assert.match(roster.text_, /情報取扱者名簿 第 2 版/);
  // Missing fields are all named at once, and the typed values come back.
  const invalid = await post(as.sec, "/compliance/changes", { kind: "add", category: "staff", name: "", reason: "",
    effective_from: "明日", organisation: "株式会社架け橋" });
  assert.equal(invalid.status, 422);
  assert.match(invalid.text_, /氏名を入力してください/);
  assert.match(invalid.text_, /変更の理由を入力してください/);
  assert.match(invalid.text_, /適用日を YYYY-MM-DD の形式で入力してください/);
});

test("every protected route refuses an account whose person is not on the approved roster [IPA-11-(ii)]", async () => {
  const listed = kakehashi(["routes", "--protected", "--db", server.db]);
  assert.equal(listed.status, 0, listed.stderr);
  const routes = listed.stdout.trim().split("\n").map((line) => JSON.parse(line));
  assert.ok(routes.length >= 40, `only ${routes.length} protected routes`);
  let checked = 0;
  const refusedBefore = Number(sql(server.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'compliance.gate_refused'"));
  for (const route of routes) {
    const path = route.pattern.replace(/\{[a-z_]+\}/g, "1");
    const pairs = [];
    if (route.roles.includes("secretariat")) pairs.push(["outsider", "sec"]);
    if (route.roles.includes("security_officer")) pairs.push(["officer2", "officer"]);
    for (const [outside, inside] of pairs) {
      const refused = route.method === "GET" ? await as[outside].request(path) : await post(as[outside], path);
      assert.equal(refused.status, 403, `${route.method} ${route.pattern} as ${outside}`);
      assert.ok(refused.text_.includes(REFUSAL) || refused.text_.includes("承認済みの情報取扱者名簿"),
        `${route.method} ${route.pattern}: ${refused.text_.slice(0, 300)}`);
      const allowed = route.method === "GET" ? await as[inside].request(path) : await post(as[inside], path);
      assert.ok(!allowed.text_.includes(REFUSAL), `${route.method} ${route.pattern} refused ${inside}, who is on the roster`);
      checked += 1;
    }
  }
  assert.ok(checked >= 40, `checked ${checked}`);
  const refusedAfter = Number(sql(server.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'compliance.gate_refused'"));
  assert.equal(refusedAfter - refusedBefore, checked);
  // METI is outside the rule; an unprotected page stays open to the outsider.
  assert.equal((await as.meti.request("/admin/calls/1/results")).text_.includes(REFUSAL), false);
  assert.equal((await as.outsider.request("/admin/calls")).status, 200);
});

test("personal fields: the officer sees them (audited), the secretariat does not, and the files never hold them", async () => {
  const person = sql(server.db, "SELECT id FROM roster_people WHERE name = '情報 三郎'");
  const viewsBefore = Number(sql(server.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'compliance.personal_viewed'"));
  const shown = await as.officer.request(`/compliance/people/${person}`);
  assert.equal(shown.status, 200);
  assert.ok(shown.text_.includes(ADDRESS) && shown.text_.includes(PASSPORT));
  const hidden = await as.sec.request(`/compliance/people/${person}`);
  assert.equal(hidden.status, 200);
  assert.ok(!hidden.text_.includes(ADDRESS));
  assert.equal(Number(sql(server.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'compliance.personal_viewed'")), viewsBefore + 1);
  const xlsx = await as.officer.request("/compliance/roster.xlsx");
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get("content-type"), /spreadsheetml/);
  for (const file of databaseFiles(server.db, join(server.dir, "backup.db"))) {
    const bytes = readFileSync(file);
    for (const secret of [ADDRESS, PASSPORT, "1987-03-22"]) {
      assert.equal(bytes.includes(Buffer.from(secret)), false, `${secret} in ${file}`);
    }
  }
  assert.equal(server.log().includes(ADDRESS), false);  // nor the server's log
});

test("a removal takes access away the moment METI approves it", async () => {
  const person = sql(server.db, "SELECT id FROM roster_people WHERE name = '事務 次郎'");
  const form = await as.officer.request(`/compliance/changes/new?kind=remove&person=${person}`);
  assert.equal(form.status, 200);
  const filed = await post(as.officer, "/compliance/changes", { kind: "remove", person_id: person, reason: "異動のため",
    effective_from: "2026-10-01" });
  assert.equal(filed.status, 303);
  const id = /\/compliance\/changes\/(\d+)/.exec(filed.headers.get("location"))[1];
  assert.equal((await as.sec.request("/admin/calls/1/applications")).text_.includes(REFUSAL), false);
  assert.equal((await post(as.meti, `/compliance/changes/${id}/approve`, { note: "" })).status, 303);
  const refused = await as.sec.request("/admin/calls/1/applications");
  assert.equal(refused.status, 403);
  assert.ok(refused.text_.includes(REFUSAL));
});

const ITEMS = Array.from({ length: 16 }, (_, i) => i + 2);
function answers(overrides = {}) {
  const form = { contract_title: "「未来の教室」産学連携事業 事務局業務", contract_date: "2026年4月1日" };
  for (const n of ITEMS) Object.assign(form, { [`item_${n}_status`]: "done", [`item_${n}_detail`]: `${n}) を規程どおり実施した。` });
  return { ...form, ...overrides };
}

test("the compliance report: every gap named at once and kept as typed; METI returns it with a comment, then acknowledges; PDF and XLSX", async () => {
  const list = await as.officer.request("/compliance/reports");
  assert.equal(list.status, 200);
  const period = /<option value="(\d{4}-\d{2}-\d{2})" selected>/.exec(list.text_)[1];
  const created = await post(as.officer, "/compliance/reports", { period_from: period });
  assert.equal(created.status, 303, created.text_.slice(0, 300));
  const href = created.headers.get("location");
  const id = /\/compliance\/reports\/(\d+)$/.exec(href)[1];
  assert.equal((await post(as.officer, "/compliance/reports", { period_from: period })).status, 422);  // one per half-year
  // METI and the secretariat read it; only the contractor's side writes it.
  assert.equal((await as.sec.request(href)).status, 200);
  assert.equal((await post(as.meti, href, answers({ action: "save" }))).status, 403);

  const gaps = await post(as.officer, href, answers({
    action: "submit", contract_title: "", item_4_detail: "従事者を名簿の者に限定した（第 2 版）",
    item_5_status: "not_done", item_5_detail: " ", item_12_status: "not_applicable", item_12_detail: "",
    item_17_status: "", item_17_detail: "",
  }));
  assert.equal(gaps.status, 422);
  for (const message of ["契約件名を入力してください", "5) は「未実施」のため、理由を入力してください",
    "12) は「該当なし」のため、理由を入力してください", "17) の実施状況を選んでください"]) {
    assert.ok(gaps.text_.includes(message), message);
  }
  assert.ok(gaps.text_.includes("従事者を名簿の者に限定した（第 2 版）"));  // nothing typed is lost
  assert.match(gaps.text_, /id="item_12_not_applicable" name="item_12_status" value="not_applicable" checked/);

  const submitted = await post(as.officer, href, answers({ action: "submit", item_12_status: "not_applicable",
    item_12_detail: "約款によるクラウドサービスで要機密情報を扱っていないため" }));
  assert.equal(submitted.status, 303, submitted.text_.slice(0, 500));
  assert.match((await as.meti.request("/")).text_, /実施状況報告書（\d{4}年度 .期（.+?）が提出されました/);
  assert.equal((await post(as.officer, href, answers({ action: "save" }))).status, 422);  // locked while METI looks
  assert.equal((await post(as.officer, `${href}/acknowledge`)).status, 403);
  const silent = await post(as.meti, `${href}/return`, { note: "" });
  assert.equal(silent.status, 422);
  assert.match(silent.text_, /差し戻しのコメントを入力してください/);
  assert.equal((await post(as.meti, `${href}/return`, { note: "10) の証跡に脆弱性対応の記録を付けてください" })).status, 303);
  const returned = await as.officer.request(href);
  assert.match(returned.text_, /差し戻し（修正して再提出）/);
  assert.match(returned.text_, /10\) の証跡に脆弱性対応の記録を付けてください/);

  // Evidence: a page of Kakehashi (never another site) and an inspected file.
  const outside = await post(as.officer, `${href}/links`, { item: "10", label: "外部", href: "https://example.com/" });
  assert.equal(outside.status, 422);
  assert.match(outside.text_, /リンク先は Kakehashi の画面のパス/);
  assert.ok(outside.text_.includes('value="https://example.com/"'));
  assert.equal((await post(as.officer, `${href}/links`, { item: "10", label: "脆弱性対応の記録", href: "/admin/audit" })).status, 303);
  const token = as.officer.csrfFrom((await as.officer.request("/notifications")).text_);
  const upload = new FormData();
  upload.append("csrf_token", token);
  upload.append("item", "9");
  upload.append("file", new Blob(["研修,実施日,受講者数\n情報セキュリティ研修,2026-11-05,9\n"], { type: "text/csv" }), "研修記録.csv");
  const uploaded = await as.officer.request(`${href}/evidence`, { method: "POST", body: upload });
  assert.equal(uploaded.status, 303, uploaded.text_.slice(0, 500));
  const evidence = sql(server.db, `SELECT id FROM compliance_report_evidence WHERE report_id = ${id} AND kind = 'file'`);
  const file = await as.meti.request(`${href}/evidence/${evidence}`);
  assert.equal(file.status, 200);
  assert.match(file.text_, /情報セキュリティ研修/);
  assert.equal((await as.outsider.request(`${href}/evidence/${evidence}`)).status, 403);  // protected: not on the roster

  assert.equal((await post(as.officer, href, answers({ action: "submit", item_12_status: "not_applicable",
    item_12_detail: "約款によるクラウドサービスで要機密情報を扱っていないため" }))).status, 303);
  assert.equal((await post(as.meti, `${href}/acknowledge`, { note: "" })).status, 303);
  const done = await as.sec.request(href);
  assert.match(done.text_, /受領済み/);
  for (const step of ["作成", "経済産業省に提出", "経済産業省が差し戻し", "経済産業省が受領"]) assert.ok(done.text_.includes(step), step);
  assert.match(done.text_, /href="\/compliance\/ledger"/);  // 10)'s own evidence, linked by Kakehashi
  assert.match(done.text_, /href="\/compliance\/incidents"/);  // 11)'s
  const pdf = await fetch(`${server.base}${href}/report.pdf`, { headers: { cookie: as.meti.cookieHeader() } });
  assert.equal(pdf.status, 200);
  assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), "%PDF-");
  const xlsx = await as.meti.request(`${href}/report.xlsx`);
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get("content-type"), /spreadsheetml/);
  const api = await as.meti.request(`/api/v1/compliance/reports/${id}`);
  const body = JSON.parse(api.text_);
  assert.equal(body.status, "acknowledged");
  assert.deepEqual(body.items.find((i) => i.item === 12), { item: 12, status: "not_applicable",
    detail: "約款によるクラウドサービスで要機密情報を扱っていないため", evidence: [] });
});

test("an incident: the first report reaches METI at once, deadlines show, it closes only with cause and prevention", async () => {
  const invalid = await post(as.sec, "/compliance/incidents", { title: "", what: "", discovered_at: "2099-01-01T00:00",
    impact: "", affected_info: "", measures: "" });
  assert.equal(invalid.status, 422);
  for (const m of ["件名を入力してください", "認知した日時に未来の日時は入力できません", "講じた措置を入力してください"]) assert.ok(invalid.text_.includes(m), m);
  const before = Number(sql(server.db, `SELECT COUNT(*) FROM notifications WHERE user_id = ${userId("meti")}`));
  const recorded = await post(as.officer, "/compliance/incidents", { title: "USB メモリの紛失", what: "説明会資料を入れた USB メモリを紛失した。",
    discovered_at: "2026-11-30T10:00", impact: "資料は公開済みのもののみ。", affected_info: "公開資料 3 件（個人情報なし）", measures: "警察に遺失届を出した。" });
  assert.equal(recorded.status, 303, recorded.text_.slice(0, 400));
  const href = recorded.headers.get("location");
  assert.equal(Number(sql(server.db, `SELECT COUNT(*) FROM notifications WHERE user_id = ${userId("meti")}`)), before + 1);
  const page = await as.meti.request(href);
  assert.match(page.text_, /2026年12月5日（土）10:00/);  // cause and prevention due 5 days after discovery
  assert.equal((await post(as.meti, `${href}/reports`, { body: "x" })).status, 403);
  const early = await post(as.officer, `${href}/close`);
  assert.equal(early.status, 422);
  assert.match(early.text_, /完了にする前に、経過報告で封じ込めの完了・原因・再発防止策を報告してください/);
  assert.equal((await post(as.officer, `${href}/reports`, { body: "回収した。", contained: "yes", cause: "鞄の口が開いていた",
    prevention: "資料は USB で持ち出さない" })).status, 303);
  assert.equal((await post(as.officer, `${href}/close`)).status, 303);
  assert.match((await as.sec.request("/compliance/incidents")).text_, /完了/);
  const api = JSON.parse((await as.meti.request("/api/v1/compliance/incidents")).text_);
  assert.equal(api.items[0].status, "closed");
  assert.equal(sql(server.db, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'compliance.incident_%'"), "3");
});

test("the structure diagram follows the approved roster, as SVG and as a PDF", async () => {
  const svg = await as.meti.request("/compliance/structure.svg");
  assert.equal(svg.status, 200);
  assert.ok(svg.text_.includes("情報 三郎"));
  assert.ok(!svg.text_.includes("事務 次郎"));  // removed from the roster by METI's approval above
  const pdf = await fetch(`${server.base}/compliance/structure.pdf`, { headers: { cookie: as.officer.cookieHeader() } });
  assert.equal(pdf.status, 200);
  assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), "%PDF-");
  assert.match((await as.officer.request("/compliance")).text_, /<img src="\/compliance\/structure.svg"/);
});

test("close-out: refuses without the package confirmation, then deletes, shreds the key and signs a certificate", () => {
  const dir = mkdtempSync(join(tmpdir(), "kakehashi-closeout-"));
  try {
    const copy = copyDatabase(server.db, join(dir, "k.db"));
    copyFileSync(join(server.dir, "roster.key"), join(dir, "roster.key"));
    chmodSync(join(dir, "roster.key"), 0o600);
    const refused = kakehashi(["close-out", "--db", copy, "--yes", "--out", join(dir, "out")]);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /報告書パッケージの納品が確認されていません/);
    const unconfirmed = kakehashi(["close-out", "--db", copy, "--package-delivered", "2027-03-25 納品", "--out", join(dir, "out")]);
    assert.equal(unconfirmed.status, 2);
    assert.match(unconfirmed.stderr, /--yes/);
    const key = kakehashi(["close-out", "export-key", "--db", copy]);
    assert.equal(key.status, 0, key.stderr);
    writeFileSync(join(dir, "public.pem"), key.stdout);
    const run = kakehashi(["close-out", "--db", copy, "--package-delivered", "2027-03-25 納品（受領番号 123）", "--yes",
      "--out", join(dir, "out")]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /名簿の鍵を破棄しました/);
    assert.equal(existsSync(join(dir, "roster.key")), false);
    assert.equal(sql(copy, "SELECT COUNT(*) FROM roster_people WHERE address IS NOT NULL OR birth_date IS NOT NULL OR passport IS NOT NULL"), "0");
    assert.equal(sql(copy, "SELECT COUNT(*) FROM roster_changes WHERE address IS NOT NULL OR passport IS NOT NULL"), "0");
    assert.equal(sql(copy, "SELECT COUNT(*) FROM application_attachments"), "0");
    assert.equal(sql(copy, "SELECT COUNT(*) FROM sessions"), "0");
    const certificate = join(dir, "out", "deletion-certificate.json");
    const ok = kakehashi(["close-out", "verify", certificate, "--public-key", join(dir, "public.pem")]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /削除証明書の署名は有効です/);
    const bytes = readFileSync(certificate);
    const at = bytes.indexOf(Buffer.from("\"sessions\",\"rows\":")) + 18;
    bytes[at] = bytes[at] === 0x31 ? 0x32 : 0x31;  // one digit of a row count
    const tampered = join(dir, "tampered.json");
    writeFileSync(tampered, bytes);
    const bad = kakehashi(["close-out", "verify", tampered, "--public-key", join(dir, "public.pem")]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /削除証明書の署名が一致しません/);
    assert.ok(existsSync(join(dir, "out", "deletion-certificate.pdf")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the demo programme: its roster's addresses, birth dates and passports are in neither the database file nor a backup; then close-out empties every module's protected table, removes package folders and leaves no table unclassified", () => {
  const dir = mkdtempSync(join(tmpdir(), "kakehashi-closeout-demo-"));
  try {
    const db = join(dir, "k.db");
    const seeded = kakehashi(["--db", db, "demo"]);
    assert.equal(seeded.status, 0, seeded.stderr);
    // The personal fields as 様式4 shows them (decrypted), read back from the exported XLSX.
    const sheet = join(dir, "roster.xlsx");
    assert.equal(kakehashi(["--db", db, "roster", "export", "--out", sheet]).status, 0);
    const strings = JSON.parse(spawnSync("python3", ["-c",
      "import json,re,sys,zipfile; x=zipfile.ZipFile(sys.argv[1]).read('xl/sharedStrings.xml').decode(); " +
      "print(json.dumps(re.findall(r'<t[^>]*>([^<]*)</t>', x)))", sheet], { encoding: "utf8" }).stdout);
    const secrets = strings.filter((v) => /[都道府県].+[市区町村]/.test(v) || /^\d{4}-\d{2}-\d{2}$/.test(v) || /^[A-Z]{1,2}\d{7}/.test(v))
      .map((v) => v.replace(/（.*）$/, ""));
    assert.ok(secrets.length >= 15, `the demo roster has addresses, birth dates and a passport: ${secrets.length}`);
    const backup = join(dir, "backup.db");
    const backedUp = kakehashi(["--db", db, "backup", "--to", backup]);
    assert.equal(backedUp.status, 0, backedUp.stderr);
    for (const file of [db, db + "-wal", backup].filter((f) => existsSync(f))) {
      const bytes = readFileSync(file);
      for (const secret of secrets) assert.equal(bytes.includes(Buffer.from(secret)), false, `${secret} in ${file}`);
    }
    // A delivered package build whose folder holds the non-public set.
    const folder = join(dir, "package-1");
    mkdirSync(join(folder, "non-public"), { recursive: true });
    const raw = "氏名,メール\n山田 太郎,taro@example.jp\n";
    writeFileSync(join(folder, "non-public", "raw.csv"), raw);
    sqliteFile(db, `INSERT INTO package_builds (status, started_at, out_dir) VALUES ('delivered', '2027-03-20T00:00:00Z', '${folder}')`);
    const protectedTables = ["event_registrations", "effect_survey_files", "meeting_materials", "meeting_attendees",
      "compliance_report_evidence", "milestone_evidence", "notifications", "mail_outbox", "package_builds"];
    const before = Object.fromEntries(protectedTables.map((t) => [t, Number(sqliteFile(db, `SELECT COUNT(*) FROM ${t}`))]));
    for (const t of protectedTables) assert.ok(before[t] > 0, `the demo has rows in ${t}`);

    // A table nobody classified (a module that forgot its close-out entry) stops the close-out.
    sqliteFile(db, "CREATE TABLE stray_contacts (id INTEGER PRIMARY KEY, email TEXT)");
    const args = ["close-out", "--db", db, "--package-delivered", "2027-03-25 納品", "--yes", "--out", join(dir, "out")];
    const refused = kakehashi(args);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /削除するか残すかが決まっていない表があります: stray_contacts/);
    assert.ok(existsSync(join(dir, "roster.key")), "nothing was shredded");
    assert.equal(Number(sqliteFile(db, "SELECT COUNT(*) FROM event_registrations")), before.event_registrations);
    sqliteFile(db, "DROP TABLE stray_contacts");

    const run = kakehashi(args);
    assert.equal(run.status, 0, run.stderr);
    const certificate = JSON.parse(readFileSync(join(dir, "out", "deletion-certificate.json"), "utf8"));
    for (const t of protectedTables) {
      assert.equal(sqliteFile(db, `SELECT COUNT(*) FROM ${t}`), "0", t);
      assert.deepEqual(certificate.deleted_tables.find((d) => d.table === t), { table: t, rows: before[t] });
    }
    assert.equal(existsSync(folder), false, "the package folder is removed");
    const packaged = certificate.deleted_files.filter((f) => f.table === "package_builds");
    assert.equal(packaged.length, 1);
    assert.equal(packaged[0].sha256, createHash("sha256").update(raw).digest("hex"));
    assert.equal(certificate.deleted_files.filter((f) => f.table === "effect_survey_files").length, before.effect_survey_files);
    // What is kept for the handover and METI's confirmation stays.
    assert.ok(Number(sqliteFile(db, "SELECT COUNT(*) FROM users")) > 0);
    assert.ok(Number(sqliteFile(db, "SELECT COUNT(*) FROM expenses")) > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the SBOM is CycloneDX 1.5 (validated with its official schema) and the ledger lists the same packages [IPA-10-(ii)]", async () => {
  const { default: Ajv } = await import("ajv");
  const { default: addFormats } = await import("ajv-formats");
  const schemas = new URL("./schemas/cyclonedx/", import.meta.url);
  const load = (name) => JSON.parse(readFileSync(new URL(name, schemas), "utf8"));
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  ajv.addSchema(load("spdx.schema.json"));
  ajv.addSchema(load("jsf-0.82.schema.json"));
  const validate = ajv.compile(load("bom-1.5.schema.json"));
  const sbom = kakehashi(["sbom"]);
  assert.equal(sbom.status, 0, sbom.stderr);
  const bom = JSON.parse(sbom.stdout);
  assert.ok(validate(bom), JSON.stringify(validate.errors?.slice(0, 3)));
  assert.equal(bom.specVersion, "1.5");
  const names = bom.components.map((c) => c.name);
  for (const name of ["libsodium-dev", "cmake", "htmx.org", "ajv"]) assert.ok(names.includes(name), name);
  const sodium = bom.components.find((c) => c.name === "libsodium-dev");
  assert.match(sodium.version, /^\d/);
  // A schema check that cannot fail would prove nothing: a BOM without its format is refused.
  assert.equal(validate({ ...bom, bomFormat: "SPDX" }), false);
  const page = await as.officer.request("/compliance/ledger");
  assert.equal(page.status, 200);
  assert.ok(page.text_.includes("libsodium-dev") && page.text_.includes("htmx.org"));
  assert.match(page.text_, new RegExp(`Debian パッケージ ${bom.components.filter((c) => c.purl.startsWith("pkg:deb")).length} 件`));
  const xlsx = await as.meti.request("/compliance/ledger.xlsx");
  assert.equal(xlsx.status, 200);
});

test("the IPA checklist names, for each item, the tagged tests that prove it", () => {
  const source = new URL("../../", import.meta.url).pathname;
  const listed = spawnSync("python3", [join(source, "scripts/ipa_checklist.py"), source, "-", "--list"], { encoding: "utf8" });
  assert.equal(listed.status, 0, listed.stderr);
  const rows = Object.fromEntries(listed.stdout.trim().split("\n").map((line) => {
    const [id, status, count, ...tests] = line.split("\t");
    return [id, { status, count: Number(count), tests }];
  }));
  assert.equal(Object.keys(rows).length, 47);
  assert.ok(rows["11-(ii)"].tests.some((t) => t.includes("every protected route refuses an account")), rows["11-(ii)"].tests.join("\n"));
  assert.ok(rows["6-(i)-a"].tests.some((t) => t.includes("a POST without the CSRF token is refused with 403")));
  assert.equal(rows["1-(i)-b"].status, "対応不要");
  const xlsx = join(server.dir, "ipa.xlsx");
  const written = spawnSync("python3", [join(source, "scripts/ipa_checklist.py"), source, xlsx], { encoding: "utf8" });
  assert.equal(written.status, 0, written.stderr);
  assert.equal(readFileSync(xlsx).subarray(0, 2).toString(), "PK");
});

test("the close-out screen: the officer records the package delivery, the command uses it, METI confirms the verified certificate", async () => {
  const future = await post(as.officer, "/compliance/closeout/package", { delivered_on: "2099-01-01", note: "" });
  assert.equal(future.status, 422);
  assert.match(future.text_, /納品日に未来の日付は入力できません/);
  assert.equal((await post(as.meti, "/compliance/closeout/package", { delivered_on: "2026-12-01", note: "" })).status, 403);
  assert.equal((await post(as.officer, "/compliance/closeout/confirm")).status, 403);
  const notYet = await post(as.meti, "/compliance/closeout/confirm");
  assert.equal(notYet.status, 422);
  assert.match(notYet.text_, /まだ削除（close-out）が実行されていません/);
  assert.equal((await post(as.officer, "/compliance/closeout/package", { delivered_on: "2026-12-01", note: "受領番号 123" })).status, 303);
  assert.ok((await as.officer.request("/compliance/closeout")).text_.includes(
    "kakehashi close-out --package-delivered &apos;2026-12-01 納品（受領番号 123）&apos; --yes"));
  assert.match((await as.officer.request("/")).text_,
    /<a href="\/compliance\/closeout">報告書パッケージが納品されました（2026-12-01）。保護すべき情報の削除（close-out）を実行してください<\/a>/);
  // The close-out of this very database, without --package-delivered: the recorded delivery is its confirmation.
  const run = kakehashi(["close-out", "--db", server.db, "--yes", "--out", join(server.dir, "closeout")]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(JSON.parse(readFileSync(join(server.dir, "closeout", "deletion-certificate.json"), "utf8")).package_confirmation,
    "2026-12-01 納品（受領番号 123）");
  const meti = new Browser(server.base);  // the close-out ended every session
  assert.equal((await meti.login(PEOPLE.meti.email, PASSWORD)).status, 303);
  assert.match((await meti.request("/")).text_, /削除証明書が届いています。署名を確認して受領を記録してください/);
  const page = await meti.request("/compliance/closeout");
  assert.match(page.text_, /署名は有効です/);
  assert.equal((await post(meti, "/compliance/closeout/confirm")).status, 303);
  assert.match((await meti.request("/compliance/closeout")).text_, /経産 花子が .+ に確認/);
  assert.equal((await post(meti, "/compliance/closeout/confirm")).status, 409);
  assert.equal(sql(server.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'compliance.closeout_confirmed'"), "1");
  const json = await meti.request("/compliance/closeout/certificate.json");
  assert.equal(json.status, 200);
  assert.equal(JSON.parse(json.text_).roster_key.destroyed, true);
});
