// HTTP tests of the public call's access rules (issue #6, "Access"), against a real server. The
// state is built through HTTP as users would: the secretariat creates and publishes a call,
// three operators sign up (following the link in the mail) and submit (multipart form with a
// PDF), a reviewer declares a conflict, the secretariat assigns automatically. Then every way of
// reaching an application that is not one's own is tried: it answers 404 (or 403 for a role
// that never has the screen), nothing leaks in lists, role gates and CSRF hold, and staff reads
// are audited.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { startServer, Browser, kakehashi, signUpByMail, sql as sqlIn, closeCall as closeCallIn, japanLocal } from "./server.mjs";

const PASSWORD = "access password 1234";
const STAFF = [
  { email: "secretariat@example.jp", name: "事務 次郎", roles: ["secretariat"], org: "架け橋事務局" },
  { email: "meti@example.jp", name: "経産 花子", roles: ["meti"], org: "経済産業省" },
  { email: "security@example.jp", name: "情報 管理", roles: ["security_officer"], org: "架け橋事務局" },
  { email: "bureau.hokkaido@example.jp", name: "北海 道子", roles: ["bureau"], org: "北海道経済産業局", block: "hokkaido" },
  { email: "r1@example.jp", name: "審査 一郎", roles: ["reviewer"], org: "外部審査委員会" },
  { email: "r2@example.jp", name: "審査 二郎", roles: ["reviewer"], org: "外部審査委員会" },
  { email: "r3@example.jp", name: "審査 三郎", roles: ["reviewer"], org: "外部審査委員会" },
].map((u) => ({ ...u, password: PASSWORD }));

// One block each; B is the organisation r1 declares a conflict with.
const OPERATORS = {
  A: { org: "株式会社みらい産学連携", name: "実証 五郎", email: "a@operator.example", block: "hokkaido", amount: "20000000" },
  B: { org: "一般社団法人まなびブリッジ", name: "学び 花", email: "b@operator.example", block: "tohoku", amount: "22000000" },
  C: { org: "特定非営利活動法人地域共創ラボ", name: "共創 太郎", email: "c@operator.example", block: "kanto", amount: "25000000" },
};

let server, work, pdf, hostilePdf, bombPdf;
let refusedBomb;  // what C's attempt to attach the bomb answered, and what was stored
const as = {};  // signed-in Browsers by key: secretariat, meti, security, bureau, r1..r3, A..C
let callId;
const app = {};  // application id by operator key
const attachment = {};  // attachment id by operator key
const orgId = {};
const userId = {};

const sql = (query) => sqlIn(server.db, query);
const closeCall = (id) => closeCallIn(server.db, id);

async function signIn(email) {
  const browser = new Browser(server.base);
  const response = await browser.login(email, PASSWORD);
  assert.equal(response.status, 303, `login of ${email}`);
  return browser;
}

// A token for `browser`'s session, read from a page it may open.
async function token(browser, path = "/notifications") {
  const page = await browser.request(path);
  const value = browser.csrfFrom(page.text_);
  assert.ok(value, `a CSRF token on ${path}`);
  return value;
}

async function post(browser, path, form, tokenPath) {
  const csrf = await token(browser, tokenPath);
  return browser.request(path, { method: "POST", form: [["csrf_token", csrf], ...form] });
}

// A change answered by a redirect whose page shows the notice once (a server-side flash).
async function expectNotice(browser, response, pathPattern) {
  const location = response.headers.get("location") ?? "";
  assert.equal(response.status, 303, response.text_.slice(0, 800));
  assert.match(location, pathPattern);
  const next = await browser.request(location);
  assert.match(next.text_, /class="notice notice--success" role="status">[^<]+</, next.text_.slice(0, 800));
  const again = await browser.request(location);
  assert.doesNotMatch(again.text_, /class="notice notice--success"/, "the notice shows once");
}

// A PDF from its objects (strings or Buffers, numbered from 1, the first the catalog), with a
// correct cross-reference table.
function buildPdf(objects) {
  const parts = [Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "latin1")];
  const offsets = [];
  let length = parts[0].length;
  objects.forEach((body, i) => {
    const bytes = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), Buffer.isBuffer(body) ? body : Buffer.from(body), Buffer.from("\nendobj\n")]);
    offsets.push(length);
    parts.push(bytes);
    length += bytes.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`,
    ...offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`),
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`].join("");
  parts.push(Buffer.from(xref));
  return Buffer.concat(parts);
}

function stream(dict, data) {
  return Buffer.concat([Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`), data, Buffer.from("\nendstream")]);
}

const PAGE = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R " +
  "/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>";

// A plan that runs JavaScript when opened and carries an embedded file (issue 13 item 7).
function hostile() {
  return buildPdf([
    "<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> " +
      "/Names << /EmbeddedFiles << /Names [(payload.exe) 5 0 R] >> >> >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    PAGE,
    stream("", Buffer.from("BT /F1 12 Tf 72 720 Td (Plan) Tj ET")),
    "<< /Type /Filespec /F (payload.exe) /UF (payload.exe) /EF << /F 6 0 R >> >>",
    stream("/Type /EmbeddedFile", Buffer.from("MZ not really a program")),
  ]);
}

// A page whose content stream inflates 20 MiB of nothing from a few dozen bytes (two deflate
// layers): a decompression bomb.
function bomb() {
  const twice = deflateSync(deflateSync(Buffer.alloc(20 << 20)));
  return buildPdf([
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    PAGE,
    stream("/Filter [/FlateDecode /FlateDecode]", twice),
  ]);
}

// A download's status and bytes (Browser.request reads bodies as text).
async function download(browser, path) {
  const response = await fetch(server.base + path, { headers: { cookie: browser.cookieHeader() }, redirect: "manual" });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

// The PDF's objects as text (object streams expanded), to look for keys.
function expanded(bytes, name) {
  const input = join(work, `${name}.pdf`);
  const output = join(work, `${name}.qdf.pdf`);
  writeFileSync(input, bytes);
  const result = spawnSync("qpdf", ["--qdf", "--object-streams=disable", input, output], { encoding: "utf8" });
  assert.ok(result.status === 0 || result.status === 3, result.stderr);
  return readFileSync(output, "latin1");
}

function idFrom(response, pattern) {
  const location = response.headers.get("location") ?? "";
  const match = pattern.exec(location);
  assert.ok(match, `redirect ${response.status} ${location}: ${response.text_.slice(0, 300)}`);
  return match[1];
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "kakehashi-access-"));
  writeFileSync(join(work, "plan.md"), "---\ntitle: 事業計画書\n---\n\n# 計画\n\n企業の実課題を用いた探究学習を実施します。\n");
  const rendered = kakehashi(["doc", "render", join(work, "plan.md"), "--out", join(work, "out"), "--formats", "pdf"]);
  assert.equal(rendered.status, 0, rendered.stderr);
  pdf = readFileSync(join(work, "out", "plan.pdf"));
  hostilePdf = hostile();
  bombPdf = bomb();
  server = await startServer({ users: STAFF });
  for (const [key, email] of [["secretariat", "secretariat@example.jp"], ["meti", "meti@example.jp"],
    ["security", "security@example.jp"], ["bureau", "bureau.hokkaido@example.jp"], ["r1", "r1@example.jp"],
    ["r2", "r2@example.jp"], ["r3", "r3@example.jp"]]) {
    as[key] = await signIn(email);
    userId[key] = sql(`SELECT id FROM users WHERE email = '${email}'`);
  }

  // The secretariat creates a call (k = 2) with one criterion and publishes it.
  const created = await post(as.secretariat, "/admin/calls", [
    ["title", "令和8年度 実証事業者の公募"], ["summary", "3 ブロックで募集します。"],
    ["opens_at", japanLocal(-1)], ["closes_at", japanLocal(30)],
    ["award_min", "15000000"], ["award_max", "25000000"], ["budget_total", "210000000"],
    ["reviewers_per_application", "2"], ["max_load", "10"], ["peer_reviews", "never"], ["hide_personal", "1"],
    ["block", "hokkaido"], ["block", "tohoku"], ["block", "kanto"],
  ], "/admin/calls/new");
  callId = idFrom(created, /^\/admin\/calls\/(\d+)$/);
  const criterion = await post(as.secretariat, `/admin/calls/${callId}/criteria`, [
    ["name", "事業計画の妥当性"], ["description", ""], ["weight", "30"],
    ["level_1", "不十分"], ["level_2", "標準的"], ["level_3", "優れている"],
  ], `/admin/calls/${callId}`);
  assert.equal(criterion.status, 303, criterion.text_.slice(0, 500));
  const published = await post(as.secretariat, `/admin/calls/${callId}/publish`, [], `/admin/calls/${callId}`);
  await expectNotice(as.secretariat, published, /^\/admin\/calls\/\d+$/);
  // Class: notices never come from the URL (a link could pose as a password-reset notice).
  for (const path of [`/admin/calls/${callId}`, `/admin/calls/${callId}/results`, "/admin/users", "/review"]) {
    const spoofed = await as.secretariat.request(`${path}?done=${encodeURIComponent("再設定: https://evil.example/")}&created=1`);
    assert.doesNotMatch(spoofed.text_, /evil\.example|notice--success/, path);
  }

  // Three operators sign up and submit in one multipart post each (fields, the PDF, submit).
  for (const [key, op] of Object.entries(OPERATORS)) {
    const browser = new Browser(server.base);
    const signed = await signUpByMail(server, browser, { ...op, password: PASSWORD, next: `/calls/${callId}` });
    assert.equal(signed.status, 303, signed.text_.slice(0, 500));
    assert.equal(signed.headers.get("location"), `/calls/${callId}`);
    as[key] = browser;
    userId[key] = sql(`SELECT id FROM users WHERE email = '${op.email}'`);
    orgId[key] = sql(`SELECT organisation_id FROM users WHERE email = '${op.email}'`);
    const started = await post(browser, `/calls/${callId}/apply`, [], `/calls/${callId}`);
    app[key] = idFrom(started, /^\/my\/applications\/(\d+)$/);
    const form = new FormData();
    form.append("csrf_token", await token(browser, `/my/applications/${app[key]}`));
    for (const [name, value] of Object.entries({
      organisation_profile: `${op.org}は地域の企業と学校をつないできました。`,
      representative_name: `代表 ${key}`, contact_name: op.name, contact_email: op.email, contact_phone: "03-1234-5678",
      qualification_matching: "1", block: op.block, [`requested_${op.block}`]: op.amount,
      plan_projects: "地域企業 20 社と連携します。", plan_pbl: "高校 5 校で PBL を実施します。",
      plan_continuity: "協議会が引き継ぎます。", plan_self_sufficiency: "協賛金で自走します。",
      plan_regional_fit: "製造業の人材ニーズに合わせます。", topic: "pbl", action: "submit",
    })) form.append(name, value);
    if (key === "C") {
      // C first tries a decompression bomb: refused, the form comes back with what was typed.
      const attempt = new FormData();
      for (const [name, value] of form.entries()) attempt.append(name, name === "action" ? "attach" : value);
      attempt.append("file", new Blob([bombPdf], { type: "application/pdf" }), "bomb.pdf");
      const refused = await browser.request(`/my/applications/${app[key]}`, { method: "POST", body: attempt });
      refusedBomb = { status: refused.status, text: refused.text_,
        stored: sql(`SELECT COUNT(*) FROM application_attachments WHERE application_id = ${app[key]}`) };
    }
    // C's plan runs JavaScript when opened and carries an embedded file; A's and B's are plain.
    form.append("file", new Blob([key === "C" ? hostilePdf : pdf], { type: "application/pdf" }), `plan-${key}.pdf`);
    const submitted = await browser.request(`/my/applications/${app[key]}`, { method: "POST", body: form });
    assert.equal(submitted.headers.get("location"), `/my/applications/${app[key]}/receipt`, submitted.text_.slice(0, 800));
    attachment[key] = sql(`SELECT id FROM application_attachments WHERE application_id = ${app[key]}`);
  }

  // r1 declares a conflict with B (and none with A and C).
  const declared = await post(as.r1, `/review/calls/${callId}/conflicts`, [
    [`conflict_${orgId.A}`, "no"], [`note_${orgId.A}`, ""],
    [`conflict_${orgId.B}`, "yes"], [`note_${orgId.B}`, "理事を兼務しています"],
    [`conflict_${orgId.C}`, "no"], [`note_${orgId.C}`, ""],
  ], `/review/calls/${callId}/conflicts`);
  await expectNotice(as.r1, declared, /^\/review$/);
  // r2 and r3 declare no conflict with anyone (only reviewers who declared on every application
  // are assignable).
  for (const r of ["r2", "r3"]) {
    const none = await post(as[r], `/review/calls/${callId}/conflicts`, Object.values(orgId).flatMap((id) => [[`conflict_${id}`, "no"], [`note_${id}`, ""]]), `/review/calls/${callId}/conflicts`);
    await expectNotice(as[r], none, /^\/review$/);
  }

  // The secretariat assigns: 3 applications × 2 reviewers out of 3, never r1 on B.
  const assigned = await post(as.secretariat, `/admin/calls/${callId}/review/auto`, [], `/admin/calls/${callId}/review`);
  await expectNotice(as.secretariat, assigned, /^\/admin\/calls\/\d+\/review$/);
});

after(async () => {
  const code = await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
  // A clean stop: exit 0 (under the ASan preset a leak or an error report would change it).
  assert.equal(code, 0, "the server stopped cleanly");
});

// Application keys assigned to reviewer `r` (from the database, not from the reviewer's screens).
function assignedTo(r) {
  const ids = sql(`SELECT application_id FROM review_assignments WHERE reviewer_id = ${userId[r]}`).split("\n").filter(Boolean);
  return Object.keys(app).filter((key) => ids.includes(app[key]));
}

// Some (reviewer, application) pair that is neither assigned nor in conflict.
function unassignedPair() {
  for (const r of ["r1", "r2", "r3"]) {
    const mine = assignedTo(r);
    for (const key of Object.keys(app)) {
      if (!mine.includes(key) && !(r === "r1" && key === "B")) return { r, key };
    }
  }
  return null;
}

async function statusOf(browser, path) {
  return (await browser.request(path)).status;
}

test("the assignment holds k = 2 and never pairs r1 with B", () => {
  assert.equal(sql(`SELECT COUNT(*) FROM review_assignments`), "6");
  assert.ok(!assignedTo("r1").includes("B"));
  for (const key of Object.keys(app)) {
    assert.equal(sql(`SELECT COUNT(*) FROM review_assignments WHERE application_id = ${app[key]}`), "2", key);
  }
});

test("an assigned reviewer reads the application with personal fields hidden", async () => {
  const key = assignedTo("r2")[0];
  const page = await as.r2.request(`/review/applications/${app[key]}`);
  assert.equal(page.status, 200);
  assert.match(page.text_, new RegExp(OPERATORS[key].org));
  assert.match(page.text_, /（非表示）/);
  assert.doesNotMatch(page.text_, new RegExp(OPERATORS[key].email.replace(".", "\\.")));
  assert.equal(await statusOf(as.r2, `/applications/${app[key]}/attachments/${attachment[key]}`), 200);
});

test("a file the inspector keeps back is refused with its verdict and nothing typed is lost (R8.4)", () => {
  assert.equal(refusedBomb.status, 422);
  assert.match(refusedBomb.text, /審査用に受け付けられません: 圧縮爆弾の疑い（PDF 内のデータ）/);
  assert.match(refusedBomb.text, /地域企業 20 社と連携します。/, "the typed plan comes back");
  assert.equal(refusedBomb.stored, "0", "nothing stored");
  assert.equal(sql(`SELECT plan_projects FROM applications WHERE id = ${app.C}`), "地域企業 20 社と連携します。",
    "what was typed is saved");
});

test("reviewers download a disarmed copy, the secretariat and the applicant the original (R8.4)", async () => {
  const path = `/applications/${app.C}/attachments/${attachment.C}`;
  const reviewer = assignedTo("r1").includes("C") ? "r1" : assignedTo("r2").includes("C") ? "r2" : "r3";
  const disarmed = await download(as[reviewer], path);
  assert.equal(disarmed.status, 200);
  const disarmedText = expanded(disarmed.bytes, "reviewer");
  assert.doesNotMatch(disarmedText, /\/JavaScript|\/JS\b|\/EmbeddedFiles|\/EmbeddedFile\b|payload\.exe/);
  assert.match(disarmedText, /\(Plan\) Tj/, "the page is still there");
  for (const [who, url] of [["secretariat", path], ["C", `/my/applications/${app.C}/attachments/${attachment.C}`]]) {
    const original = await download(as[who], url);
    assert.equal(original.status, 200, who);
    const bytes = original.bytes;
    assert.ok(bytes.equals(hostilePdf), `${who} gets the file as uploaded`);
    const text = expanded(bytes, who);
    assert.match(text, /\/JavaScript/);
    assert.match(text, /\/EmbeddedFiles/);
  }
  // The audit entry of the upload records what was found and removed (codes and counts only).
  const detail = JSON.parse(sql(`SELECT detail FROM audit_log WHERE action = 'application.attach' AND object = 'application:${app.C}'`));
  assert.ok(detail.inspection.removed.javascript >= 1, JSON.stringify(detail));
  assert.ok(detail.inspection.removed.embedded_file >= 1, JSON.stringify(detail));
  assert.ok(Object.keys(detail.inspection.findings).some((code) => code.startsWith("pdf.")), JSON.stringify(detail));
});

test("a reviewer asking for an unassigned application gets 404", async () => {
  const pair = unassignedPair();
  assert.ok(pair, "with 3 reviewers and k = 2 some reviewer is not on some application");
  const { r, key } = pair;
  for (const path of [`/review/applications/${app[key]}`, `/applications/${app[key]}`,
    `/applications/${app[key]}/attachments/${attachment[key]}`]) {
    assert.equal(await statusOf(as[r], path), 404, `${r} ${path}`);
  }
  // Nor can a score be posted to it.
  const scored = await post(as[r], `/review/applications/${app[key]}`, [["score_1", "3"], ["action", "submit"]], "/review");
  assert.equal(scored.status, 404);
  assert.equal(sql(`SELECT COUNT(*) FROM reviews WHERE application_id = ${app[key]} AND reviewer_id = ${userId[r]}`), "0");
});

test("a reviewer asking for an application in conflict gets 404", async () => {
  for (const path of [`/review/applications/${app.B}`, `/applications/${app.B}`,
    `/applications/${app.B}/attachments/${attachment.B}`]) {
    assert.equal(await statusOf(as.r1, path), 404, path);
  }
  // Even when the secretariat tries to put r1 on B by hand.
  const forced = await post(as.secretariat, `/admin/calls/${callId}/review/assign`,
    [["application", app.B], ["reviewer", userId.r1]], `/admin/calls/${callId}/review`);
  assert.equal(forced.status, 422);
  assert.match(forced.text_, /この審査委員はこの申請者との利害関係を申告しているため割り当てられません/);
  assert.equal(await statusOf(as.r1, `/review/applications/${app.B}`), 404);
});

test("an operator asking for another organisation's application gets 404", async () => {
  // Their own opens (the control).
  assert.equal(await statusOf(as.A, `/my/applications/${app.A}`), 200);
  assert.equal(await statusOf(as.A, `/my/applications/${app.A}/receipt`), 200);
  assert.equal(await statusOf(as.A, `/my/applications/${app.A}/attachments/${attachment.A}`), 200);
  for (const path of [`/my/applications/${app.B}`, `/my/applications/${app.B}/attachments/${attachment.B}`,
    `/my/applications/${app.A}/attachments/${attachment.B}`, `/applications/${app.B}`,
    `/applications/${app.B}/attachments/${attachment.B}`, `/my/applications/${app.B}/receipt`]) {
    assert.equal(await statusOf(as.A, path), 404, path);
  }
  // Nor can they write to it.
  const form = new FormData();
  form.append("csrf_token", await token(as.A, "/my/applications"));
  form.append("plan_pbl", "書き換え");
  const written = await as.A.request(`/my/applications/${app.B}`, { method: "POST", body: form });
  assert.equal(written.status, 404);
  assert.equal(sql(`SELECT plan_pbl FROM applications WHERE id = ${app.B}`), "高校 5 校で PBL を実施します。");
});

test("lists show nothing of applications one may not read", async () => {
  // The reviewer's page names only their assigned applications' organisations.
  for (const r of ["r1", "r2", "r3"]) {
    const page = (await as[r].request("/review")).text_;
    const mine = assignedTo(r);
    for (const key of Object.keys(app)) {
      if (mine.includes(key)) assert.match(page, new RegExp(`/review/applications/${app[key]}"`), `${r} lists ${key}`);
      else {
        assert.doesNotMatch(page, new RegExp(OPERATORS[key].org), `${r} must not see ${key}`);
        assert.doesNotMatch(page, new RegExp(`/review/applications/${app[key]}"`));
      }
    }
  }
  // An operator's list shows only their own application.
  const mine = (await as.A.request("/my/applications")).text_;
  assert.match(mine, new RegExp(OPERATORS.A.org));
  assert.doesNotMatch(mine, new RegExp(OPERATORS.B.org));
  assert.doesNotMatch(mine, new RegExp(OPERATORS.C.org));
  // The bureau's list is empty before the results are published.
  const bureau = await as.bureau.request(`/admin/calls/${callId}/applications`);
  assert.equal(bureau.status, 200);
  for (const op of Object.values(OPERATORS)) assert.doesNotMatch(bureau.text_, new RegExp(op.org));
  assert.equal(await statusOf(as.bureau, `/applications/${app.A}`), 404);
  assert.equal(await statusOf(as.bureau, `/admin/calls/${callId}/applications.xlsx`), 404);
  // Exports and results are not for operators and reviewers.
  for (const who of ["A", "r1"]) {
    for (const path of [`/admin/calls/${callId}/applications`, `/admin/calls/${callId}/applications.xlsx`,
      `/admin/calls/${callId}/results`, `/admin/calls/${callId}/results/scores.xlsx`,
      `/admin/calls/${callId}/results/summary.pdf`]) {
      assert.equal(await statusOf(as[who], path), 403, `${who} ${path}`);
    }
  }
  // The secretariat's export works (the control).
  const xlsx = await as.secretariat.request(`/admin/calls/${callId}/applications.xlsx`);
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get("content-type"), /spreadsheetml/);
});

test("role gates: operators cannot set up calls, reviewers cannot decide, only METI approves", async () => {
  const before = sql("SELECT COUNT(*) FROM calls");
  const byOperator = await post(as.A, "/admin/calls", [["title", "勝手な公募"], ["block", "hokkaido"]], "/my/applications");
  assert.equal(byOperator.status, 403);
  assert.equal(sql("SELECT COUNT(*) FROM calls"), before);

  const decision = [
    ["application_hokkaido", app.A], ["amount_hokkaido", "20000000"], ["rationale_hokkaido", "計画の具体性が高い"],
    ["application_tohoku", app.B], ["amount_tohoku", "22000000"], ["rationale_tohoku", "地域との適合"],
    ["application_kanto", app.C], ["amount_kanto", "25000000"], ["rationale_kanto", "実績が豊富"],
  ];
  const byReviewer = await post(as.r1, `/admin/calls/${callId}/results/decision`, decision, "/review");
  assert.equal(byReviewer.status, 403);
  assert.equal(sql(`SELECT decision_state FROM calls WHERE id = ${callId}`), "none");

  // The committee decides once the call has closed.
  closeCall(callId);
  const recorded = await post(as.secretariat, `/admin/calls/${callId}/results/decision`, decision, `/admin/calls/${callId}/results`);
  await expectNotice(as.secretariat, recorded, /^\/admin\/calls\/\d+\/results$/);
  assert.equal(sql(`SELECT decision_state FROM calls WHERE id = ${callId}`), "recorded");

  const bySecretariat = await post(as.secretariat, `/admin/calls/${callId}/results/approve`, [], `/admin/calls/${callId}/results`);
  assert.equal(bySecretariat.status, 403);
  assert.equal(sql(`SELECT decision_state FROM calls WHERE id = ${callId}`), "recorded");
  // Not published yet: the bureau still sees nothing.
  assert.equal(await statusOf(as.bureau, `/applications/${app.A}`), 404);

  const byMeti = await post(as.meti, `/admin/calls/${callId}/results/approve`, [], `/admin/calls/${callId}/results`);
  await expectNotice(as.meti, byMeti, /^\/admin\/calls\/\d+\/results$/);
  assert.equal(sql(`SELECT decision_state FROM calls WHERE id = ${callId}`), "approved");
  assert.equal(sql(`SELECT approved_by FROM calls WHERE id = ${callId}`), userId.meti);
});

test("after publication the bureau sees its block's application and only that", async () => {
  const published = await post(as.secretariat, `/admin/calls/${callId}/results/publish`, [], `/admin/calls/${callId}/results`);
  await expectNotice(as.secretariat, published, /^\/admin\/calls\/\d+\/results$/);
  const list = (await as.bureau.request(`/admin/calls/${callId}/applications`)).text_;
  assert.match(list, new RegExp(OPERATORS.A.org));
  assert.doesNotMatch(list, new RegExp(OPERATORS.B.org));
  assert.doesNotMatch(list, new RegExp(OPERATORS.C.org));
  assert.equal(await statusOf(as.bureau, `/applications/${app.A}`), 200);
  assert.equal(await statusOf(as.bureau, `/applications/${app.C}`), 404);
  // An awarded application cannot be given back to its operator for changes (no review was
  // submitted in this flow, so only the published decision stands in the way).
  const reopened = await post(as.secretariat, `/applications/${app.A}/reopen`, [["reason", "受賞後の修正"]], `/applications/${app.A}`);
  assert.equal(reopened.status, 422);
  assert.match(reopened.text_, /委員会の決定が記録された公募の申請は差し戻せません/);
  assert.equal(sql(`SELECT status FROM applications WHERE id = ${app.A}`), "submitted");
  // Operators still see only their own, also after publication.
  assert.equal(await statusOf(as.A, `/my/applications/${app.B}`), 404);
  assert.equal(await statusOf(as.A, `/applications/${app.B}`), 404);
});

test("a POST without the CSRF token, or with another session's, is refused", async () => {
  const before = sql("SELECT COUNT(*) FROM calls");
  const fields = { title: "トークンなしの公募", opens_at: japanLocal(1), closes_at: japanLocal(30), block: "hokkaido" };
  const missing = await as.secretariat.request("/admin/calls", { method: "POST", form: fields });
  assert.equal(missing.status, 403);
  assert.match(missing.text_, /フォームの有効期限が切れたか、不正な送信です/);
  const foreign = await as.secretariat.request("/admin/calls", {
    method: "POST", form: { ...fields, csrf_token: await token(as.meti) },
  });
  assert.equal(foreign.status, 403);
  assert.equal(sql("SELECT COUNT(*) FROM calls"), before);
  // The multipart application form too.
  const form = new FormData();
  form.append("plan_pbl", "トークンなし");
  const upload = await as.C.request(`/my/applications/${app.C}`, { method: "POST", body: form });
  assert.equal(upload.status, 403);
});

test("staff reads of an application leave an application.read audit entry", async () => {
  const count = (actor, key) =>
    Number(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'application.read' AND actor = 'user:${userId[actor]}' AND object = 'application:${app[key]}'`));
  const before = count("secretariat", "C");
  assert.equal((await as.secretariat.request(`/applications/${app.C}`)).status, 200);
  assert.equal(count("secretariat", "C"), before + 1);
  const metiBefore = count("meti", "B");
  assert.equal((await as.meti.request(`/applications/${app.B}`)).status, 200);
  assert.equal(count("meti", "B"), metiBefore + 1);
  const key = assignedTo("r3")[0];
  const reviewerBefore = count("r3", key);
  assert.equal((await as.r3.request(`/review/applications/${app[key]}`)).status, 200);
  assert.equal(count("r3", key), reviewerBefore + 1);
  // Attachment downloads by staff are traced as well.
  const reads = () => Number(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'application.attachment_read' AND actor = 'user:${userId.secretariat}'`));
  const readsBefore = reads();
  assert.equal((await as.secretariat.request(`/applications/${app.C}/attachments/${attachment.C}`)).status, 200);
  assert.equal(reads(), readsBefore + 1);
  // A refused read leaves no read entry.
  const pair = unassignedPair();
  const refusedBefore = count(pair.r, pair.key);
  await as[pair.r].request(`/review/applications/${app[pair.key]}`);
  assert.equal(count(pair.r, pair.key), refusedBefore);
  // The security officer finds the entries on the audit screen.
  const audit = await as.security.request("/admin/audit");
  assert.equal(audit.status, 200);
  assert.match(audit.text_, new RegExp(`application\\.read[\\s\\S]{0,200}application:${app.C}<`));
});
