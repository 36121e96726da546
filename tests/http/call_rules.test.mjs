// HTTP tests of the call's business rules (issue 13, "business rules trusted to the browser"),
// against a real server: numbers in the settings are finite; nothing is decided before the
// deadline; every award stays within what was requested, the range and the cap; the solver's
// proposal beside the decision is the server's, whatever the form posts; the person who recorded
// the decision cannot approve it, even holding the METI role; once the decision is recorded no
// application changes and no new one starts. The service enforces these (unit tests in
// tests/unit/call/rules_test.cpp); these tests show the screens answer with them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, Browser, kakehashi, sql as sqlIn, closeCall as closeCallIn, japanLocal } from "./server.mjs";

const PASSWORD = "rules password 1234";
// Operators are created on the server (as the CLI does) so that these tests do not depend on
// how sign-up works.
const USERS = [
  { key: "secretariat", email: "secretariat@example.jp", name: "事務 次郎", roles: ["secretariat"], org: "架け橋事務局" },
  { key: "meti", email: "meti@example.jp", name: "経産 花子", roles: ["meti"], org: "経済産業省" },
  { key: "both", email: "both@example.jp", name: "兼務 太郎", roles: ["secretariat", "meti"], org: "架け橋事務局" },
  { key: "r1", email: "r1@example.jp", name: "審査 一郎", roles: ["reviewer"], org: "外部審査委員会" },
  { key: "r2", email: "r2@example.jp", name: "審査 二郎", roles: ["reviewer"], org: "外部審査委員会" },
  { key: "A", email: "a@operator.example", name: "実証 五郎", roles: ["operator"], org: "株式会社みらい産学連携" },
  { key: "B", email: "b@operator.example", name: "学び 花", roles: ["operator"], org: "一般社団法人まなびブリッジ" },
  { key: "C", email: "c@operator.example", name: "共創 太郎", roles: ["operator"], org: "特定非営利活動法人地域共創ラボ" },
  { key: "D", email: "d@operator.example", name: "新規 四郎", roles: ["operator"], org: "新規参入株式会社" },
].map((u) => ({ ...u, password: PASSWORD }));

// A asks for both blocks, B for 東北: within the 40,000,000 cap the solver can only propose
// A in 北海道 and B in 東北 (A in both would cost 42,000,000). C is given back before the decision.
const REQUESTS = {
  A: { hokkaido: "20000000", tohoku: "22000000" },
  B: { tohoku: "18000000" },
  C: { tohoku: "20000000" },
};

let server, work, pdf, callId;
const as = {};
const app = {};
const userId = {};

const sql = (query) => sqlIn(server.db, query);
const closeCall = (id) => closeCallIn(server.db, id);

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

function expectRedirect(response, pattern) {
  assert.equal(response.status, 303, response.text_.slice(0, 1500));
  assert.match(response.headers.get("location") ?? "", pattern);
}

// The multipart application form of operator `key`: every field, the PDF, and `action`.
async function applicationForm(key, action, extra = {}) {
  const form = new FormData();
  form.append("csrf_token", await token(as[key], `/my/applications/${app[key]}`));
  const fields = {
    organisation_profile: "地域の企業と学校をつないできました。", representative_name: `代表 ${key}`,
    contact_name: `担当 ${key}`, contact_email: `${key.toLowerCase()}@operator.example`, contact_phone: "03-1234-5678",
    qualification_matching: "1", plan_projects: "地域企業 20 社と連携します。", plan_pbl: "高校 5 校で PBL を実施します。",
    plan_continuity: "協議会が引き継ぎます。", plan_self_sufficiency: "協賛金で自走します。",
    plan_regional_fit: "製造業の人材ニーズに合わせます。", topic: "pbl", action, ...extra,
  };
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const [block, amount] of Object.entries(REQUESTS[key])) {
    form.append("block", block);
    form.append(`requested_${block}`, amount);
  }
  return form;
}

// The decision form: one application (or "none") and amount per block.
function decisionForm(choices, extra = []) {
  const form = [["basis", "mean"]];
  for (const [block, [application, amount]] of Object.entries(choices)) {
    form.push([`application_${block}`, application], [`amount_${block}`, amount], [`rationale_${block}`, "委員会の評価に基づく"]);
  }
  return [...form, ...extra];
}

const results = () => `/admin/calls/${callId}/results`;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "kakehashi-rules-"));
  writeFileSync(join(work, "plan.md"), "---\ntitle: 事業計画書\n---\n\n# 計画\n\n企業の実課題を用いた探究学習を実施します。\n");
  const rendered = kakehashi(["doc", "render", join(work, "plan.md"), "--out", join(work, "out"), "--formats", "pdf"]);
  assert.equal(rendered.status, 0, rendered.stderr);
  pdf = readFileSync(join(work, "out", "plan.pdf"));
  server = await startServer({ users: USERS });
  for (const user of USERS) {
    as[user.key] = new Browser(server.base);
    assert.equal((await as[user.key].login(user.email, PASSWORD)).status, 303, `login of ${user.email}`);
    userId[user.key] = sql(`SELECT id FROM users WHERE email = '${user.email}'`);
  }

  // Two blocks, one reviewer per application, a 40,000,000 cap.
  const created = await post(as.secretariat, "/admin/calls", [
    ["title", "令和8年度 実証事業者の公募"], ["summary", "2 ブロックで募集します。"],
    ["opens_at", japanLocal(-1)], ["closes_at", japanLocal(30)],
    ["award_min", "15000000"], ["award_max", "25000000"], ["budget_total", "40000000"],
    ["reviewers_per_application", "1"], ["max_load", "10"], ["peer_reviews", "never"], ["hide_personal", "1"],
    ["block", "hokkaido"], ["block", "tohoku"],
  ], "/admin/calls/new");
  expectRedirect(created, /^\/admin\/calls\/\d+$/);
  callId = /(\d+)$/.exec(created.headers.get("location"))[1];
  expectRedirect(await post(as.secretariat, `/admin/calls/${callId}/criteria`, [
    ["name", "事業計画の妥当性"], ["description", ""], ["weight", "10"],
    ["level_1", "不十分"], ["level_2", "標準的"], ["level_3", "優れている"],
  ], `/admin/calls/${callId}`), /^\/admin\/calls\/\d+$/);
  expectRedirect(await post(as.secretariat, `/admin/calls/${callId}/publish`, [], `/admin/calls/${callId}`), /^\/admin\/calls\/\d+$/);

  // A and B submit, the secretariat assigns one reviewer each, the reviewers score (A 3, B 2).
  const submit = async (key) => {
    const started = await post(as[key], `/calls/${callId}/apply`, [], `/calls/${callId}`);
    expectRedirect(started, /^\/my\/applications\/\d+$/);
    app[key] = /(\d+)$/.exec(started.headers.get("location"))[1];
    const form = await applicationForm(key, "submit");
    form.append("file", new Blob([pdf], { type: "application/pdf" }), `plan-${key}.pdf`);
    const submitted = await as[key].request(`/my/applications/${app[key]}`, { method: "POST", body: form });
    assert.equal(submitted.headers.get("location"), `/my/applications/${app[key]}/receipt`, submitted.text_.slice(0, 1500));
  };
  await submit("A");
  await submit("B");
  // Both reviewers declare no conflict with A and B (only declared reviewers are assignable).
  for (const r of ["r1", "r2"]) {
    const orgs = sql(`SELECT organisation_id FROM applications WHERE call_id = ${callId} AND status = 'submitted'`).split("\n");
    expectRedirect(await post(as[r], `/review/calls/${callId}/conflicts`, orgs.flatMap((o) => [[`conflict_${o}`, "no"], [`note_${o}`, ""]]),
      `/review/calls/${callId}/conflicts`), /^\/review$/);
  }
  expectRedirect(await post(as.secretariat, `/admin/calls/${callId}/review/auto`, [], `/admin/calls/${callId}/review`),
    /\/review$/);
  const criterion = sql(`SELECT id FROM call_criteria WHERE call_id = ${callId}`);
  for (const [key, level] of [["A", "3"], ["B", "2"]]) {
    const reviewer = sql(`SELECT u.email FROM review_assignments ra JOIN users u ON u.id = ra.reviewer_id WHERE ra.application_id = ${app[key]}`);
    const r = USERS.find((u) => u.email === reviewer).key;
    expectRedirect(await post(as[r], `/review/applications/${app[key]}`, [[`score_${criterion}`, level], ["comment", "妥当"], ["action", "submit"]],
      `/review/applications/${app[key]}`), /^\/review\/applications\/\d+$/);
  }
  // C submits afterwards (no reviewer) and is given back by the secretariat.
  await submit("C");
  expectRedirect(await post(as.secretariat, `/applications/${app.C}/reopen`, [["reason", "内訳を添付してください"]],
    `/applications/${app.C}`), /^\/applications\/\d+$/);
  assert.equal(sql(`SELECT status FROM applications WHERE id = ${app.C}`), "draft");
});

after(async () => {
  const code = await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
  assert.equal(code, 0, "the server stopped cleanly");
});

test("numbers in the call settings are finite and within bounds, refused on the form with 422", async () => {
  const calls = sql("SELECT COUNT(*) FROM calls");
  const settings = (overrides) => {
    const fields = {
      title: "数値の確認", summary: "", opens_at: japanLocal(1), closes_at: japanLocal(30), award_min: "15000000",
      award_max: "25000000", budget_total: "210000000", min_total: "", reviewers_per_application: "3", max_load: "10",
      peer_reviews: "never", hide_personal: "1", block: "hokkaido", ...overrides,
    };
    return Object.entries(fields);
  };
  // Each message is listed in the summary, linking to its field (issue 16's error pattern).
  for (const [overrides, message] of [
    [{ min_total: "nan" }, "最低合計点は数値で入力してください"],
    [{ min_total: "inf" }, "最低合計点は数値で入力してください"],
    [{ min_total: "-Infinity" }, "最低合計点は数値で入力してください"],
    [{ min_total: "1e400" }, "最低合計点は 0〜1,000,000 の範囲で入力してください"],
    [{ min_total: "-1" }, "最低合計点は 0〜1,000,000 の範囲で入力してください"],
    [{ reviewers_per_application: "1e3" }, "1 件あたりの審査委員数は整数で入力してください"],
    [{ max_load: "99999999999999999999" }, "審査委員 1 人あたりの上限件数は 0〜100,000 の範囲で入力してください"],
    [{ award_max: "99999999999999999999" }, "交付額の上限は 0〜999,999,999,999 の範囲で入力してください"],
  ]) {
    const refused = await post(as.secretariat, "/admin/calls", settings(overrides), "/admin/calls/new");
    assert.equal(refused.status, 422, JSON.stringify(overrides));
    const field = Object.keys(overrides)[0];
    assert.ok(refused.text_.includes(`<li><a href="#${field}">${message}</a></li>`), `${JSON.stringify(overrides)}: ${message}`);
  }
  assert.equal(sql("SELECT COUNT(*) FROM calls"), calls, "no call was created");
  // The same on an existing call's settings; what was typed stays in the form.
  const updated = await post(as.secretariat, `/admin/calls/${callId}`, settings({ title: "令和8年度 実証事業者の公募", min_total: "NaN" }),
    `/admin/calls/${callId}`);
  assert.equal(updated.status, 422);
  assert.ok(updated.text_.includes('<li><a href="#min_total">最低合計点は数値で入力してください</a></li>'));
  assert.match(updated.text_, /id="min_total"[^>]*value="NaN"/);
  assert.equal(sql(`SELECT COUNT(*) FROM calls WHERE id = ${callId} AND min_total IS NULL`), "1");
});

test("nothing is decided while the call is open", async () => {
  const page = await as.secretariat.request(results());
  assert.match(page.text_, /委員会の決定は締切（\d{4}年\d+月\d+日（.）\d\d:\d\d）の後に記録できます。/);
  assert.doesNotMatch(page.text_, /委員会の決定を記録する/);
  const refused = await post(as.secretariat, `${results()}/decision`,
    decisionForm({ hokkaido: [app.A, "20000000"], tohoku: [app.B, "18000000"] }), results());
  assert.equal(refused.status, 422);
  assert.match(refused.text_, /<li>締切（\d{4}年\d+月\d+日（.）\d\d:\d\d）の前は委員会の決定を記録できません<\/li>/);
  assert.equal(sql(`SELECT decision_state FROM calls WHERE id = ${callId}`), "none");
  assert.equal(sql(`SELECT COUNT(*) FROM call_decisions`), "0");
  closeCall(callId);
});

test("every award stays within the request for its block, the range and the cap", async () => {
  // A block's problem links to its field; the total's is the form's.
  for (const [choices, message, field] of [
    [{ hokkaido: [app.A, "20000000"], tohoku: [app.B, "18000001"] }, "東北ブロックの交付額 18,000,001円 が申請額 18,000,000円 を超えています", "amount_tohoku"],
    [{ hokkaido: [app.A, "14999999"], tohoku: [app.B, "18000000"] }, "北海道ブロックの交付額 14,999,999円 は範囲（15,000,000円〜25,000,000円）の外です", "amount_hokkaido"],
    [{ hokkaido: [app.A, "20000000"], tohoku: [app.A, "22000000"] }, "交付額の合計 42,000,000円 が予算上限 40,000,000円 を超えています", null],
    [{ hokkaido: [app.A, "1e400"], tohoku: [app.B, "18000000"] }, "北海道ブロックの交付額を円単位の数字で入力してください", "amount_hokkaido"],
  ]) {
    const refused = await post(as.secretariat, `${results()}/decision`, decisionForm(choices), results());
    assert.equal(refused.status, 422, message);
    assert.ok(refused.text_.includes(field ? `<li><a href="#${field}">${message}</a></li>` : `<li>${message}</li>`), message);
  }
  assert.equal(sql(`SELECT decision_state FROM calls WHERE id = ${callId}`), "none");
});

test("the solver's proposal beside the decision is recomputed on the server, not taken from the form", async () => {
  // The form claims the proposal was B in 北海道 and A in 東北 (the old hidden fields).
  const forged = [["proposed_hokkaido", app.B], ["proposed_tohoku", app.A]];
  const recorded = await post(as.secretariat, `${results()}/decision`,
    decisionForm({ hokkaido: [app.A, "20000000"], tohoku: [app.B, "18000000"] }, forged), results());
  expectRedirect(recorded, /\/results$/);
  assert.equal(sql(`SELECT block_id || ':' || proposed_application_id FROM call_decisions WHERE call_id = ${callId} ORDER BY block_id`),
    `hokkaido:${app.A}\ntohoku:${app.B}`);
  let page = (await as.secretariat.request(results())).text_;
  assert.equal((page.match(/<td>提案どおり<\/td>/g) ?? []).length, 2);
  assert.doesNotMatch(page, /<td>提案と異なる<\/td>/);
  assert.equal(sql(`SELECT detail FROM audit_log WHERE action = 'selection.record' ORDER BY id DESC LIMIT 1`),
    '{"total":38000000,"differs_from_proposal":0}');

  // 該当なし in 東北, posted as if it were the proposal: it is flagged as differing.
  const none = await post(as.secretariat, `${results()}/decision`,
    decisionForm({ hokkaido: [app.A, "20000000"], tohoku: ["none", ""] }, [["proposed_tohoku", ""]]), results());
  expectRedirect(none, /\/results$/);
  assert.equal(sql(`SELECT proposed_application_id FROM call_decisions WHERE call_id = ${callId} AND block_id = 'tohoku'`), app.B);
  page = (await as.secretariat.request(results())).text_;
  assert.match(page, /<th scope="row">東北ブロック<\/th><td>該当なし<\/td><td>—<\/td><td>提案と異なる<\/td>/);
  assert.equal(sql(`SELECT detail FROM audit_log WHERE action = 'selection.record' ORDER BY id DESC LIMIT 1`),
    '{"total":20000000,"differs_from_proposal":1}');
});

test("who recorded the decision cannot approve it, even with the METI role; another METI user can", async () => {
  expectRedirect(await post(as.both, `${results()}/decision`,
    decisionForm({ hokkaido: [app.A, "20000000"], tohoku: [app.B, "18000000"] }), results()), /\/results$/);
  assert.equal(sql(`SELECT decision_recorded_by FROM calls WHERE id = ${callId}`), userId.both);
  const own = await post(as.both, `${results()}/approve`, [], results());
  assert.equal(own.status, 403);
  assert.match(own.text_, /委員会の決定を記録した人は、その決定を承認できません（別の経済産業省の担当者が承認します）/);
  assert.equal(sql(`SELECT decision_state FROM calls WHERE id = ${callId}`), "recorded");
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'selection.approve'`), "0");
  const other = await post(as.meti, `${results()}/approve`, [], results());
  expectRedirect(other, /\/results$/);
  assert.equal(sql(`SELECT decision_state || ':' || approved_by FROM calls WHERE id = ${callId}`), `approved:${userId.meti}`);
});

test("once the decision is recorded no application changes and none starts, also after publication", async () => {
  const tryChanges = async () => {
    for (const action of ["save", "submit"]) {
      const refused = await as.C.request(`/my/applications/${app.C}`, {
        method: "POST", body: await applicationForm("C", action, { plan_pbl: "決定後の書き換え" }),
      });
      assert.equal(refused.status, 422, action);
      assert.ok(refused.text_.includes("<li>委員会の決定が記録された公募の申請は変更できません</li>"), action);
    }
    assert.equal(sql(`SELECT status || ':' || plan_pbl FROM applications WHERE id = ${app.C}`), "draft:高校 5 校で PBL を実施します。");
    const started = await post(as.D, `/calls/${callId}/apply`, [], `/calls/${callId}`);
    assert.equal(started.status, 409);
    assert.match(started.text_, /この公募は現在受け付けていません/);
    assert.equal(sql(`SELECT COUNT(*) FROM applications WHERE call_id = ${callId}`), "3");
  };
  await tryChanges();
  expectRedirect(await post(as.secretariat, `${results()}/publish`, [], results()), /\/results$/);
  assert.equal(sql(`SELECT decision_state FROM calls WHERE id = ${callId}`), "published");
  await tryChanges();
});
