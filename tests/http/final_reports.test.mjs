// Operators' final reports (成果報告書, issue 25) over HTTP on the demo programme year (seven
// reports: four accepted, the demo operator's 関東 returned, two awaiting review): every route by
// role and scope (secretariat and METI all, the 関東 bureau its block, an operator its own, a
// reviewer and anonymous nobody), the upload with its errors kept, versions, consent, the review
// with its notification, the due date, the XLSX, the API, the home's to-dos, the reminders run
// once by `kakehashi package remind`, and a written chapter's deletion with its confirmation.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Browser, kakehashi } from "./server.mjs";
import { startProgramme, PEOPLE } from "./milestones_fixture.mjs";

let programme, server, sql;
const as = {};
let kanto, hokkaido, tokai;

before(async () => {
  programme = await startProgramme();
  ({ server, sql } = programme);
  as.anonymous = new Browser(server.base);
  for (const [key, email] of Object.entries(PEOPLE)) {
    as[key] = new Browser(server.base);
    assert.equal((await as[key].login(email, programme.passwords[email])).status, 303, key);
  }
  kanto = programme.operatorOf("kanto");
  hokkaido = programme.operatorOf("hokkaido");
  tokai = programme.operatorOf("tokai");
});
after(async () => programme && (await server.stop()));

async function token(browser) {
  return browser.csrfFrom((await browser.request("/notifications")).text_);
}
async function post(browser, path, form = {}) {
  return browser.request(path, { method: "POST", form: { csrf_token: await token(browser), ...form } });
}
async function upload(browser, path, fields, file) {
  const body = new FormData();
  body.set("csrf_token", await token(browser));
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  if (file) body.set("file", new Blob([file.bytes], { type: file.type }), file.name);
  return browser.request(path, { method: "POST", body });
}
const rows = (html) => [...html.matchAll(/<tr><td><a href="\/package\/final-reports\/(\d+)">/g)].map((m) => Number(m[1]));

test("each role reaches the reports of its scope; nobody else", async () => {
  const list = {};
  for (const key of ["secretariat", "meti", "bureau", "bureau_other", "operator", "operator_other"]) {
    const page = await as[key].request("/package/final-reports");
    assert.equal(page.status, 200, key);
    list[key] = rows(page.text_);
  }
  assert.equal(list.secretariat.length, 10);
  assert.equal(list.meti.length, 10);
  assert.deepEqual(list.bureau, [kanto]);
  assert.deepEqual(list.bureau_other, [hokkaido]);
  assert.deepEqual(list.operator, [kanto]);
  assert.deepEqual(list.operator_other, [hokkaido]);
  assert.equal((await as.reviewer.request("/package/final-reports")).status, 403);
  assert.equal((await as.anonymous.request("/package/final-reports")).status, 303);
  assert.match((await as.secretariat.request("/package/final-reports")).text_, /受理 4・確認待ち 2・差し戻し 1・未提出 3/);
  for (const [key, id, status] of [["operator", kanto, 200], ["operator", hokkaido, 404], ["bureau", kanto, 200],
    ["bureau", tokai, 404], ["meti", tokai, 200], ["reviewer", kanto, 403], ["secretariat", 99999, 404]]) {
    assert.equal((await as[key].request(`/package/final-reports/${id}`)).status, status, `${key} ${id}`);
    if (key !== "secretariat") {
      assert.equal((await as[key].request(`/package/final-reports/${id}/files/1`)).status, status, `${key} ${id} file`);
    }
  }
  // The files of another operator's report, the XLSX and the API within the same scope.
  const file = await as.bureau_other.request(`/package/final-reports/${hokkaido}/files/1`);
  assert.equal(file.headers.get("content-type"), "application/pdf");
  const xlsx = await fetch(`${server.base}/package/final-reports.xlsx`, { headers: { cookie: as.bureau.cookieHeader() } });
  assert.equal(xlsx.status, 200);
  assert.equal(xlsx.headers.get("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  assert.equal((await as.reviewer.request("/package/final-reports.xlsx")).status, 403);
  const api = JSON.parse((await as.operator.request("/api/v1/package-final-reports")).text_);
  assert.equal(api.total, 1);
  assert.equal(api.items[0].status, "returned");
  assert.equal(api.items[0].due_on, /提出期限: <strong>(\d+)年(\d+)月(\d+)日/.exec((await as.operator.request("/package/final-reports")).text_)
    .slice(1).map((n, i) => (i ? n.padStart(2, "0") : n)).join("-"));
  assert.equal(JSON.parse((await as.meti.request("/api/v1/package-final-reports")).text_).total, 10);
  assert.equal((await as.operator.request(`/api/v1/package-final-reports/${hokkaido}`)).status, 404);
  const one = JSON.parse((await as.bureau_other.request(`/api/v1/package-final-reports/${hokkaido}`)).text_);
  assert.equal(one.status, "accepted");
  assert.equal(one.files.length, 1);
  assert.equal((await as.reviewer.request("/api/v1/package-final-reports")).status, 403);
  // Writes: only the operator uploads and consents, only the secretariat reviews and sets the date.
  for (const key of ["secretariat", "meti", "bureau", "reviewer"]) {
    assert.equal((await upload(as[key], `/package/final-reports/${kanto}`, { summary: "x" })).status, 403, key);
    assert.equal((await post(as[key], `/package/final-reports/${kanto}/consent`, { consent: "1" })).status, 403, key);
  }
  assert.equal((await upload(as.operator_other, `/package/final-reports/${kanto}`, { summary: "x" })).status, 404);
  assert.equal((await post(as.operator_other, `/package/final-reports/${kanto}/consent`, { consent: "1" })).status, 404);
  for (const key of ["meti", "bureau", "operator"]) {
    assert.equal((await post(as[key], `/package/final-reports/${tokai}/review`, { decision: "accept" })).status, 403, key);
    assert.equal((await post(as[key], "/package/final-reports/due", { due: "2027-02-19" })).status, 403, key);
  }
});

test("the operator uploads a new version (errors kept), consents; the secretariat returns without comment in vain, then accepts", async () => {
  const page = (await as.operator.request(`/package/final-reports/${kanto}`)).text_;
  assert.match(page, /差し戻し/);
  assert.match(page, /概要に、実施したプロジェクトの件数と参加した学校数を書き加えてください。/);
  const missing = await upload(as.operator, `/package/final-reports/${kanto}`, { summary: "関東の概要。", consent: "1" });
  assert.equal(missing.status, 422);
  assert.match(missing.text_, /成果報告書のファイル（Word .docx または PDF）を選んでください。/);
  assert.match(missing.text_, /関東の概要。<\/textarea>/);
  const wrong = await upload(as.operator, `/package/final-reports/${kanto}`, { summary: "" },
    { bytes: "a,b\n1,2\n", type: "text/csv", name: "report.csv" });
  assert.equal(wrong.status, 422);
  assert.match(wrong.text_, /成果報告書として提出できるのは Word（.docx）と PDF のファイルです。/);
  assert.match(wrong.text_, /報告書の概要を入力してください。/);
  const pdf = Buffer.from(await (await fetch(`${server.base}/package/final-reports/${hokkaido}/files/1`,
    { headers: { cookie: as.secretariat.cookieHeader() } })).arrayBuffer());
  const summary = "首都圏の企業30社と学校の連携を仲介し、28校で42件のプロジェクトを実施した。";
  const sent = await upload(as.operator, `/package/final-reports/${kanto}`, { summary, consent: "1" },
    { bytes: pdf, type: "application/pdf", name: "成果報告書_関東.pdf" });
  assert.equal(sent.status, 303, sent.text_);
  const after = (await as.operator.request(`/package/final-reports/${kanto}`)).text_;
  assert.match(after, /成果報告書（第2版）を提出しました。事務局の確認をお待ちください。/);
  assert.match(after, /第1版/);
  assert.match(after, /第2版 成果報告書_関東.pdf/);
  assert.match(after, /第2版 成果報告書_関東.pdf<\/a>（[^<]+）<br><span class="hint">公開前チェック: 公開できます<\/span>/);
  assert.match(after, /同意あり/);
  assert.equal((await post(as.operator, `/package/final-reports/${kanto}/consent`, { consent: "0" })).status, 303);
  assert.match((await as.operator.request(`/package/final-reports/${kanto}`)).text_, /公開の同意: 同意なし/);
  // The secretariat's home lists the reports awaiting review.
  assert.match((await as.secretariat.request("/")).text_, /成果報告書 3 件が確認を待っています/);
  const vain = await post(as.secretariat, `/package/final-reports/${kanto}/review`, { decision: "return", comment: "" });
  assert.equal(vain.status, 422);
  assert.match(vain.text_, /差し戻す理由（直してほしい点）を入力してください。/);
  const accepted = await post(as.secretariat, `/package/final-reports/${kanto}/review`, { decision: "accept", comment: "" });
  assert.equal(accepted.status, 303);
  assert.match((await as.operator.request("/notifications")).text_, /成果報告書が受理されました/);
  const done = (await as.operator.request(`/package/final-reports/${kanto}`)).text_;
  assert.match(done, /受理/);
  assert.doesNotMatch(done, /enctype="multipart\/form-data"/);
  // The demo's five reviews, then this acceptance (the refused return is not recorded).
  assert.equal(sql("SELECT COUNT(*) FROM audit_log WHERE action = 'package.final_report_reviewed'"), "6");
  assert.equal(sql("SELECT status || ':' || version || ':' || consent FROM package_final_reports WHERE operator_id = " + kanto), "accepted:2:0");
});

test("the due date: set by the secretariat (invalid refused), operators reminded once per stage by `kakehashi package remind`", async () => {
  const invalid = await post(as.secretariat, "/package/final-reports/due", { due: "2月の末" });
  assert.equal(invalid.status, 422);
  assert.match(invalid.text_, /日付の形式が正しくありません/);
  const soon = new Date(Date.now() + 10 * 86400000 + 9 * 3600000).toISOString().slice(0, 10);
  assert.equal((await post(as.secretariat, "/package/final-reports/due", { due: soon })).status, 303);
  // The operator of 北海道 (accepted) has nothing to do; three have not submitted.
  assert.doesNotMatch((await as.operator_other.request("/")).text_, /成果報告書/);
  const first = kakehashi(["package", "remind", "--db", server.db]);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /実証事業者 3 者にリマインドを送りました。/);
  const again = kakehashi(["package", "remind", "--db", server.db]);
  assert.match(again.stdout, /実証事業者 0 者にリマインドを送りました。/);
  assert.equal(sql("SELECT COUNT(*) FROM package_final_report_reminders"), "3");
  assert.equal(sql("SELECT COUNT(*) FROM audit_log WHERE action = 'package.final_report_reminded'"), "3");
});

test("a written chapter is deleted after its confirmation page, audited", async () => {
  const id = Number(sql("SELECT id FROM package_chapters WHERE title = 'おわりに'"));
  assert.equal((await as.meti.request(`/package/chapters/${id}/delete`)).status, 403);
  assert.equal((await post(as.meti, `/package/chapters/${id}/delete`)).status, 403);
  const confirm = await as.secretariat.request(`/package/chapters/${id}/delete`);
  assert.equal(confirm.status, 200);
  assert.match(confirm.text_, /章「おわりに」を削除しますか/);
  const form1 = Number(sql("SELECT id FROM package_chapters WHERE source = 'form1'"));
  assert.equal((await as.secretariat.request(`/package/chapters/${form1}/delete`)).status, 404);
  const deleted = await post(as.secretariat, `/package/chapters/${id}/delete`);
  assert.equal(deleted.status, 303);
  assert.match((await as.secretariat.request("/package")).text_, /章「おわりに」を削除しました。/);
  assert.equal((await as.secretariat.request(`/package/chapters/${id}`)).status, 404);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'package.chapter_deleted' AND object = 'package_chapter:${id}'`), "1");
});
