// Information management (issue 21) over HTTP: the roster's change workflow with METI's
// consent, the roster gate on every route marked protected_info (walked from
// `kakehashi routes --protected`), the audit of refusals and of personal-field views, no
// plaintext in the database file or a backup, and the close-out with its signed certificate.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { Browser, kakehashi, sql, startServer } from "./server.mjs";

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
  // Filed, not yet in effect: the gate stays off and the roster is empty.
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
  const backup = join(server.dir, "backup.db");
  sql(server.db, `.backup '${backup}'`);
  for (const file of [server.db, server.db + "-wal", backup].filter((f) => existsSync(f))) {
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

test("close-out: refuses without the package confirmation, then deletes, shreds the key and signs a certificate", () => {
  const dir = mkdtempSync(join(tmpdir(), "kakehashi-closeout-"));
  try {
    const copy = join(dir, "k.db");
    sql(server.db, `.backup '${copy}'`);
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
