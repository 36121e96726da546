// HTTP tests of the call's hand-offs (issue 16 item 4), with the mail going through a real SMTP
// server on loopback (Debian's aiosmtpd, tests/support/smtp_server.py): the applicant at
// receipt and at results, the reviewer at assignment and before the review deadline (the
// server's periodic task, once), METI when a decision awaits approval, the secretariat when
// METI returns it (with the comment) or approves it. Each mail links to the page of the next
// step on the public URL; each also arrives as an in-app notification.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, Browser, kakehashi, sql as sqlIn, closeCall, japanLocal, waitForMails, linkIn } from "./server.mjs";

const SMTP_SERVER = join(dirname(fileURLToPath(import.meta.url)), "..", "support", "smtp_server.py");
const PUBLIC = "https://kakehashi.example.jp";
const PASSWORD = "handoff password 1234";
const USERS = [
  { key: "secretariat", email: "secretariat@example.jp", name: "事務 次郎", roles: ["secretariat"], org: "架け橋事務局" },
  { key: "meti", email: "meti@example.jp", name: "経産 花子", roles: ["meti"], org: "経済産業省" },
  { key: "r1", email: "r1@example.jp", name: "審査 一郎", roles: ["reviewer"], org: "外部審査委員会" },
  { key: "A", email: "a@operator.example", name: "実証 五郎", roles: ["operator"], org: "株式会社みらい産学連携" },
].map((u) => ({ ...u, password: PASSWORD }));

let server, smtp, received, work, pdf, callId, applicationId;
const as = {};
const userId = {};
const sql = (query) => sqlIn(server.db, query);
const TITLE = "令和8年度 実証事業者の公募";

async function token(browser, path = "/notifications") {
  const page = await browser.request(path);
  const value = browser.csrfFrom(page.text_);
  assert.ok(value, `a CSRF token on ${path}`);
  return value;
}
async function post(browser, path, form) {
  return browser.request(path, { method: "POST", form: [["csrf_token", await token(browser)], ...form] });
}
function expectRedirect(response) {
  assert.equal(response.status, 303, response.text_.slice(0, 2000));
}
// The one mail to `key` with this subject (after the 【架け橋】 prefix), and its in-app twin.
async function mailTo(key, subject, count = 1) {
  const mails = await waitForMails(received, { to: USERS.find((u) => u.key === key).email, subject: new RegExp(`^【架け橋】${subject}$`), count });
  assert.equal(mails.length, count, `${count} mail(s) "${subject}" to ${key}`);
  assert.equal(sql(`SELECT COUNT(*) FROM notifications WHERE user_id = ${userId[key]} AND title = '${subject}'`), String(count));
  return mails.at(-1);
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "kakehashi-handoffs-"));
  writeFileSync(join(work, "plan.md"), "---\ntitle: 事業計画書\n---\n\n# 計画\n\n企業の実課題を用いた探究学習を実施します。\n");
  const rendered = kakehashi(["doc", "render", join(work, "plan.md"), "--out", join(work, "out"), "--formats", "pdf"]);
  assert.equal(rendered.status, 0, rendered.stderr);
  pdf = readFileSync(join(work, "out", "plan.pdf"));
  received = mkdtempSync(join(tmpdir(), "kakehashi-smtp-"));
  smtp = spawn("/usr/bin/python3", [SMTP_SERVER, "--dir", received], { stdio: ["pipe", "pipe", "ignore"] });
  const port = await new Promise((resolve, reject) => {
    let out = "";
    smtp.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /PORT (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    smtp.on("exit", (code) => reject(new Error(`smtp_server.py exited with ${code}`)));
  });
  server = await startServer({
    users: USERS,
    extraArgs: ["--mail-smtp", `127.0.0.1:${port}`, "--mail-from", "noreply@kakehashi.example.jp", "--public-url", `${PUBLIC}/`],
  });
  for (const user of USERS) {
    as[user.key] = new Browser(server.base);
    assert.equal((await as[user.key].login(user.email, PASSWORD)).status, 303);
    userId[user.key] = sql(`SELECT id FROM users WHERE email = '${user.email}'`);
  }
  // Closing in a day, reviews due a day and a half from now: the reminder window (two days
  // before the review deadline) is already open once someone is assigned.
  const created = await post(as.secretariat, "/admin/calls", [
    ["title", TITLE], ["summary", ""], ["opens_at", japanLocal(-1)], ["closes_at", japanLocal(1)],
    ["review_deadline", japanLocal(1.5)],
    ["award_min", "15000000"], ["award_max", "25000000"], ["budget_total", "40000000"],
    ["reviewers_per_application", "1"], ["max_load", "10"], ["peer_reviews", "never"], ["block", "hokkaido"],
  ]);
  expectRedirect(created);
  callId = /(\d+)$/.exec(created.headers.get("location"))[1];
  expectRedirect(await post(as.secretariat, `/admin/calls/${callId}/criteria`, [
    ["name", "事業計画の妥当性"], ["description", ""], ["weight", "10"], ["level_1", "不十分"], ["level_2", "標準的"], ["level_3", "優れている"],
  ]));
  expectRedirect(await post(as.secretariat, `/admin/calls/${callId}/publish`, []));
});

after(async () => {
  if (server) assert.equal(await server.stop(), 0);
  smtp?.stdin.end();
  if (received) rmSync(received, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

test("the applicant hears of the receipt, with a link to it", async () => {
  const started = await post(as.A, `/calls/${callId}/apply`, []);
  expectRedirect(started);
  applicationId = /(\d+)$/.exec(started.headers.get("location"))[1];
  const form = new FormData();
  form.append("csrf_token", await token(as.A));
  const fields = {
    organisation_profile: "地域の企業と学校をつないできました。", representative_name: "代表 A", contact_name: "担当 A",
    contact_email: "tanto@operator.example", contact_phone: "03-1234-5678", qualification_matching: "1",
    plan_projects: "地域企業 20 社と連携します。", plan_pbl: "高校 5 校で PBL を実施します。", plan_continuity: "協議会が引き継ぎます。",
    plan_self_sufficiency: "協賛金で自走します。", plan_regional_fit: "製造業の人材ニーズに合わせます。", topic: "pbl",
    block: "hokkaido", requested_hokkaido: "20000000", action: "submit",
  };
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("file", new Blob([pdf], { type: "application/pdf" }), "plan.pdf");
  const submitted = await as.A.request(`/my/applications/${applicationId}`, { method: "POST", body: form });
  expectRedirect(submitted);
  const receipt = sql(`SELECT receipt_number FROM applications WHERE id = ${applicationId}`);
  const mail = await mailTo("A", "申請を受け付けました");
  assert.match(mail.body, new RegExp(`「${TITLE}」への申請を受け付けました。受付番号: ${receipt}`));
  assert.equal(linkIn(mail, PUBLIC, `/my/applications/${applicationId}/receipt`), `${PUBLIC}/my/applications/${applicationId}/receipt`);
  // The operator's home says where the application stands.
  const home = await as.A.request("/");
  assert.match(home.text_, new RegExp(`<a href="/my/applications/${applicationId}/receipt">「${TITLE}」に提出済み（受付番号 ${receipt}）。結果の公表をお待ちください</a>`));
});

test("the reviewer hears of the assignment and, once, of the coming review deadline", async () => {
  // The review page names who has not yet declared on every application.
  const review = await as.secretariat.request(`/admin/calls/${callId}/review`);
  assert.match(review.text_, /利害関係の申告が済んでいない審査委員がいます: 審査 一郎（未申告 1 件）。/);
  // Undeclared, r1 is not assignable; once declared, r1 is.
  const refused = await post(as.secretariat, `/admin/calls/${callId}/review/assign`, [["application", applicationId], ["reviewer", userId.r1]]);
  assert.equal(refused.status, 422);
  assert.match(refused.text_, /審査 一郎さんは、この公募の申請のうち 1 件について利害関係を申告していないため割り当てられません。申告を依頼してください/);
  const orgA = sql(`SELECT organisation_id FROM applications WHERE id = ${applicationId}`);
  expectRedirect(await post(as.r1, `/review/calls/${callId}/conflicts`, [[`conflict_${orgA}`, "no"], [`note_${orgA}`, ""]]));
  expectRedirect(await post(as.secretariat, `/admin/calls/${callId}/review/assign`, [["application", applicationId], ["reviewer", userId.r1]]));
  const assigned = await mailTo("r1", "審査の割り当て");
  const home = await as.r1.request("/");
  assert.match(home.text_, new RegExp(`<a href="/review">「${TITLE}」の審査が 1 件残っています（割り当て 1 件）</a> <span class="task-list__due">.+・あと 1 日</span>`));
  assert.match(assigned.body, new RegExp(`「${TITLE}」の審査を 1 件割り当てました（受付番号 KK\\d+-0001）。審査期限は .+ です。`));
  assert.equal(linkIn(assigned, PUBLIC, `/review/applications/${applicationId}`), `${PUBLIC}/review/applications/${applicationId}`);
  // The periodic task (every 20 s) sends the reminder once, then marks the call.
  const reminder = await waitForMails(received, { to: "r1@example.jp", subject: /^【架け橋】審査期限が近づいています$/, ms: 60000 });
  assert.match(reminder[0].body, new RegExp(`「${TITLE}」の審査期限は .+ です。未提出の審査が 1 件あります。`));
  assert.notEqual(sql(`SELECT review_reminded_at FROM calls WHERE id = ${callId}`), "");
  // Once reminded, the call is not reminded again: the same work run by hand sends nothing more.
  assert.equal(kakehashi(["--db", server.db, "call", "remind"]).stdout.trim(), "審査委員 0 人にリマインドを送りました。");
  assert.equal(sql(`SELECT count(*) FROM notifications WHERE user_id = ${userId.r1} AND title = '審査期限が近づいています'`), "1");
});

test("METI is asked to approve, returns the decision with a comment, and the secretariat hears both steps", async () => {
  closeCall(server.db, callId);
  const decision = [["basis", "mean"], ["application_hokkaido", applicationId], ["amount_hokkaido", "20000000"], ["rationale_hokkaido", "計画が具体的"]];
  expectRedirect(await post(as.secretariat, `/admin/calls/${callId}/results/decision`, decision));
  const asked = await mailTo("meti", "委員会の決定の承認依頼");
  assert.match(asked.body, /委員会の決定が記録されました（交付額の合計 20,000,000円）。内容を確認し、承認または差し戻しをしてください。/);
  assert.equal(linkIn(asked, PUBLIC, `/admin/calls/${callId}/results`), `${PUBLIC}/admin/calls/${callId}/results`);

  // A return needs a comment, at its field.
  const empty = await post(as.meti, `/admin/calls/${callId}/results/return`, [["comment", " "]]);
  assert.equal(empty.status, 422);
  assert.match(empty.text_, /<a href="#return_comment">差し戻しの理由を入力してください<\/a>/);
  expectRedirect(await post(as.meti, `/admin/calls/${callId}/results/return`, [["comment", "選定理由をもう少し具体的に書いてください。"]]));
  const returned = await mailTo("secretariat", "委員会の決定が差し戻されました");
  assert.match(returned.body, /コメント: 選定理由をもう少し具体的に書いてください。/);
  assert.equal(linkIn(returned, PUBLIC, `/admin/calls/${callId}/results`), `${PUBLIC}/admin/calls/${callId}/results`);
  const home = await as.secretariat.request("/");
  assert.match(home.text_, new RegExp(`<a href="/admin/calls/${callId}/results">「${TITLE}」の決定が差し戻されました。記録し直してください</a>`));
  assert.match((await as.meti.request("/")).text_, /承認を待っている決定はありません。/);
  const page = await as.secretariat.request(`/admin/calls/${callId}/results`);
  assert.match(page.text_, /経済産業省の経産 花子が .+ に決定を差し戻しました。コメント: 選定理由をもう少し具体的に書いてください。/);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'selection.return' AND object = 'call:${callId}'`), "1");

  // Recorded again (METI asked a second time), approved: the secretariat hears.
  decision[3][1] = "北海道の企業 20 社との連携計画が具体的である。";
  expectRedirect(await post(as.secretariat, `/admin/calls/${callId}/results/decision`, decision));
  await mailTo("meti", "委員会の決定の承認依頼", 2);
  assert.match((await as.meti.request("/")).text_,
    new RegExp(`<li class="task-list__item task-list__item--urgent"><a href="/admin/calls/${callId}/results">「${TITLE}」の委員会の決定が承認を待っています</a></li>`));
  expectRedirect(await post(as.meti, `/admin/calls/${callId}/results/approve`, []));
  const approved = await mailTo("secretariat", "委員会の決定が承認されました");
  assert.match(approved.body, /結果を公表し、申請者に通知してください。/);
  const record = await as.secretariat.request(`/admin/calls/${callId}/results`);
  assert.match(record.text_, /<dt>記録<\/dt><dd>事務 次郎（/);
  assert.match(record.text_, /<dt>承認<\/dt><dd>経産 花子（/);
});

test("publishing results tells the applicant, after a confirmation that counts who is told", async () => {
  const confirm = await as.secretariat.request(`/admin/calls/${callId}/results/publish`);
  assert.equal(confirm.status, 200);
  assert.match(confirm.text_, /申請者 1 団体（1 人）に、採択・不採択の結果を通知します（お知らせとメール）。/);
  expectRedirect(await post(as.secretariat, `/admin/calls/${callId}/results/publish`, []));
  const result = await mailTo("A", "審査結果のお知らせ");
  assert.match(result.body, new RegExp(`「${TITLE}」で 北海道ブロック の実証事業者に採択されました。`));
  assert.equal(linkIn(result, PUBLIC, `/my/applications/${applicationId}`), `${PUBLIC}/my/applications/${applicationId}`);
  // The public call page names the selected operator per block, the amount and the date.
  const visitor = await new Browser(server.base).request(`/calls/${callId}`);
  assert.match(visitor.text_, /<h2 id="results-heading" class="section-title">採択結果（\d{4}年\d{1,2}月\d{1,2}日（.）公表）<\/h2>/);
  assert.match(visitor.text_, /<tr><th scope="row">北海道ブロック<\/th><td>株式会社みらい産学連携<\/td><td>20,000,000円<\/td><\/tr>/);
  // The applicant's award notice, as a PDF named for what it is.
  const view = await as.A.request(`/my/applications/${applicationId}`);
  assert.match(view.text_, new RegExp(`<a class="button button--secondary" href="/my/applications/${applicationId}/notice.pdf">`));
  const notice = await fetch(`${server.base}/my/applications/${applicationId}/notice.pdf`, { headers: { cookie: as.A.cookieHeader() } });
  assert.equal(notice.status, 200);
  assert.equal(notice.headers.get("content-type"), "application/pdf");
  assert.match(decodeURIComponent(notice.headers.get("content-disposition")), /採択通知書_KK\d+-0001\.pdf/);
  assert.equal(Buffer.from(await notice.arrayBuffer()).subarray(0, 5).toString(), "%PDF-");
});
