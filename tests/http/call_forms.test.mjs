// HTTP tests of the call's forms as their users live them (issue 16, items 1 and 2): a draft
// save keeps every valid field and names every wrong one at its field; an amount typed for an
// unticked block is kept with a message; a late save says the deadline passed; every form lists
// all its problems at once, with a summary linking to each field and aria-invalid /
// aria-describedby on the field; a business rule refused is a 422 in plain Japanese.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { startServer, Browser, sql as sqlIn, closeCall, japanLocal } from "./server.mjs";

const PASSWORD = "forms password 1234";
const USERS = [
  { key: "secretariat", email: "secretariat@example.jp", name: "事務 次郎", roles: ["secretariat"], org: "架け橋事務局" },
  { key: "A", email: "a@operator.example", name: "実証 五郎", roles: ["operator"], org: "株式会社みらい産学連携" },
].map((u) => ({ ...u, password: PASSWORD }));

let server, callId, applicationId;
const as = {};
const sql = (query) => sqlIn(server.db, query);

async function token(browser, path) {
  const page = await browser.request(path);
  const value = browser.csrfFrom(page.text_);
  assert.ok(value, `a CSRF token on ${path}`);
  return value;
}

async function post(browser, path, form, tokenPath) {
  const csrf = await token(browser, tokenPath);
  return browser.request(path, { method: "POST", form: [["csrf_token", csrf], ...form] });
}

// The multipart application form with `fields` (name → value, or a list of values).
async function saveDraft(fields, headers = {}) {
  const form = new FormData();
  form.append("csrf_token", await token(as.A, "/notifications"));
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  }
  return as.A.request(`/my/applications/${applicationId}`, { method: "POST", body: form, headers });
}

// The summary's links (href → text) and the ids of the fields marked invalid.
function summaryLinks(html) {
  const summary = /<div class="notice notice--error error-summary"[^]*?<\/div>/.exec(html);
  assert.ok(summary, "an error summary: " + html.slice(0, 800));
  return [...summary[0].matchAll(/<a href="#([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]);
}
function invalidFields(html) {
  return [...html.matchAll(/<(?:input|textarea|select)\b[^>]*aria-invalid="true"[^>]*>/g)].map((m) => {
    const id = /\bid="([^"]+)"/.exec(m[0])[1];
    const described = (/aria-describedby="([^"]+)"/.exec(m[0]) ?? ["", ""])[1].split(" ");
    assert.ok(described.includes(`${id}-error`), `${id} is described by its message: ${m[0]}`);
    assert.match(html, new RegExp(`<p class="form-field__error" id="${id}-error">`), `the message of ${id} is on the page`);
    return id;
  });
}

before(async () => {
  server = await startServer({ users: USERS });
  for (const user of USERS) {
    as[user.key] = new Browser(server.base);
    assert.equal((await as[user.key].login(user.email, PASSWORD)).status, 303);
  }
  const created = await post(as.secretariat, "/admin/calls", [
    ["title", "令和8年度 実証事業者の公募"], ["summary", "2 ブロックで募集します。"],
    ["opens_at", japanLocal(-1)], ["closes_at", japanLocal(30)],
    ["award_min", "15000000"], ["award_max", "25000000"], ["budget_total", "40000000"],
    ["reviewers_per_application", "1"], ["max_load", "10"], ["peer_reviews", "never"], ["hide_personal", "1"],
    ["block", "hokkaido"], ["block", "tohoku"],
  ], "/admin/calls/new");
  assert.equal(created.status, 303, created.text_.slice(0, 1500));
  callId = /(\d+)$/.exec(created.headers.get("location"))[1];
  assert.equal((await post(as.secretariat, `/admin/calls/${callId}/criteria`, [
    ["name", "事業計画の妥当性"], ["description", ""], ["weight", "10"],
    ["level_1", "不十分"], ["level_2", "標準的"], ["level_3", "優れている"],
  ], `/admin/calls/${callId}`)).status, 303);
  assert.equal((await post(as.secretariat, `/admin/calls/${callId}/publish`, [], `/admin/calls/${callId}`)).status, 303);
  const started = await post(as.A, `/calls/${callId}/apply`, [], `/calls/${callId}`);
  assert.equal(started.status, 303);
  applicationId = /(\d+)$/.exec(started.headers.get("location"))[1];
});

after(async () => {
  await server?.stop();
});

test("serve names the login page on the port it actually listens on", () => {
  assert.match(server.log(), new RegExp(`kakehashi: ログイン画面は http://127\\.0\\.0\\.1:${server.port}/login です`));
});

test("a draft save keeps every valid field and names each wrong one beside it", async () => {
  const long = "地域の企業 20 社と高校 5 校をつなぎ、実課題の探究学習を行います。".repeat(20);
  const saved = await saveDraft({
    organisation_profile: "地域の企業と学校をつないできました。", contact_email: "tanto@", plan_projects: long,
    block: ["hokkaido"], requested_hokkaido: "10000000", requested_tohoku: "20000000", action: "save",
  });
  assert.equal(saved.status, 422);
  assert.match(saved.text_, /下書きを保存しました。ただし、次の項目は保存していません。入力内容を確認してください。/);
  assert.deepEqual(summaryLinks(saved.text_), [
    ["requested_tohoku", "東北ブロックにチェックが入っていないため、申請額は保存していません。申請する場合はチェックを入れてください"],
    ["contact_email", "担当者メールアドレスの形式が正しくありません（例: tanto@example.jp）"],
    ["requested_hokkaido", "北海道ブロックの申請額 10,000,000円 は交付額の範囲（15,000,000円〜25,000,000円）の外です"],
  ]);
  assert.deepEqual(invalidFields(saved.text_).sort(), ["contact_email", "requested_hokkaido", "requested_tohoku"]);
  // What was typed is on the form again, the wrong values included.
  assert.match(saved.text_, /value="tanto@"/);
  assert.match(saved.text_, /name="requested_tohoku" inputmode="numeric" value="20000000"/);
  // The valid fields are stored; the wrong ones are not (the block stays requested).
  assert.equal(sql(`SELECT plan_projects FROM applications WHERE id = ${applicationId}`), long);
  assert.equal(sql(`SELECT organisation_profile FROM applications WHERE id = ${applicationId}`), "地域の企業と学校をつないできました。");
  assert.equal(sql(`SELECT contact_email FROM applications WHERE id = ${applicationId}`), "");
  // Reloading shows the saved text.
  const reloaded = await as.A.request(`/my/applications/${applicationId}`);
  assert.ok(reloaded.text_.includes(long));
});

test("autosave stores the valid fields and says which were not saved", async () => {
  const saved = await saveDraft({ plan_pbl: "高校 5 校で PBL を実施します。", contact_phone: "電話", block: ["hokkaido"],
                                 requested_hokkaido: "20000000" }, { "HX-Request": "true" });
  assert.equal(saved.status, 200);
  assert.match(saved.text_, /自動保存しました（\d\d:\d\d）。次の項目は保存していません: 担当者電話番号は半角の数字とハイフンで入力してください（例: 03-1234-5678）/);
  assert.equal(sql(`SELECT plan_pbl FROM applications WHERE id = ${applicationId}`), "高校 5 校で PBL を実施します。");
});

test("submitting lists everything missing at once, each linked to its field", async () => {
  const refused = await saveDraft({ plan_pbl: "高校 5 校で PBL を実施します。", action: "submit" });
  assert.equal(refused.status, 422);
  assert.match(refused.text_, /下書きは保存しました。提出するには次の点を確認してください。/);
  const links = summaryLinks(refused.text_);
  assert.deepEqual(links.map(([field]) => field), [
    "organisation_profile", "representative_name", "contact_name", "contact_email", "contact_phone", "qualifications",
    "blocks", "plan_projects", "plan_continuity", "plan_self_sufficiency", "plan_regional_fit", "topics", "file",
  ]);
  assert.deepEqual(links[12], ["file", "事業計画書（PDF）を添付してください"]);
  assert.match(refused.text_, /<fieldset class="form-section" id="topics" aria-describedby="topics-error">/);
});

test("an upload over the limit returns to the form it came from", async () => {
  // The declared length is over the route's limit: the server answers before reading the body.
  const response = await new Promise((resolve, reject) => {
    const socket = net.connect(server.port, "127.0.0.1", () => {
      socket.write(`POST /my/applications/${applicationId} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n` +
        `Cookie: ${as.A.cookieHeader()}\r\nReferer: ${server.base}/my/applications/${applicationId}\r\n` +
        "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 22020096\r\n\r\n");
    });
    let data = "";
    socket.on("data", (chunk) => (data += chunk));
    socket.on("end", () => resolve(data));
    socket.on("error", reject);
  });
  assert.match(response, /^HTTP\/1\.1 413/);
  assert.match(response, /送信できるのは 10 MB までです。 入力していた画面に戻り、小さいファイルを選び直してください。/);
  assert.match(response, new RegExp(`<a class="button button--primary" href="/my/applications/${applicationId}">入力していた画面に戻る</a>`));
});

test("the call's settings list all their problems at their fields", async () => {
  const refused = await post(as.secretariat, "/admin/calls", [
    ["title", ""], ["summary", ""], ["opens_at", japanLocal(5)], ["closes_at", japanLocal(1)],
    ["award_min", "百万"], ["award_max", "25000000"], ["budget_total", "0"],
    ["reviewers_per_application", "0"], ["max_load", "10"], ["peer_reviews", "never"],
  ], "/admin/calls/new");
  assert.equal(refused.status, 422);
  assert.deepEqual(summaryLinks(refused.text_), [
    ["award_min", "交付額の下限は円単位の数字で入力してください"],
    ["title", "公募名を入力してください"],
    ["closes_at", "締切日時は受付開始日時より後にしてください"],
    ["budget_total", "予算上限は 1 円以上にしてください"],
    ["blocks", "対象ブロックを 1 つ以上選んでください"],
    ["reviewers_per_application", "1 件あたりの審査委員数は 1〜10 人にしてください"],
  ]);
  assert.deepEqual(invalidFields(refused.text_).sort(), ["award_min", "budget_total", "closes_at", "reviewers_per_application", "title"]);
});

test("a criterion's problems come at once, at their fields", async () => {
  const draft = await post(as.secretariat, "/admin/calls", [
    ["title", "下書きの公募"], ["summary", ""], ["opens_at", japanLocal(10)], ["closes_at", japanLocal(40)],
    ["award_min", "15000000"], ["award_max", "25000000"], ["budget_total", "40000000"],
    ["reviewers_per_application", "1"], ["max_load", "10"], ["peer_reviews", "never"], ["block", "hokkaido"],
  ], "/admin/calls/new");
  assert.equal(draft.status, 303);
  const id = /(\d+)$/.exec(draft.headers.get("location"))[1];
  const refused = await post(as.secretariat, `/admin/calls/${id}/criteria`, [
    ["name", ""], ["description", ""], ["weight", "0"], ["level_1", "不十分"], ["level_2", ""], ["level_3", "優れている"],
  ], `/admin/calls/${id}`);
  assert.equal(refused.status, 422);
  assert.match(refused.text_, /審査項目を追加できませんでした。/);
  assert.deepEqual(summaryLinks(refused.text_), [
    ["level_2", "評価段階 2 の説明を入力してください（段階は 1 から順に入力します）"],
    ["c_name", "審査項目名を入力してください"],
    ["c_weight", "配点の重みは 1〜100 の整数にしてください"],
  ]);
  assert.deepEqual(invalidFields(refused.text_).sort(), ["c_name", "c_weight", "level_2"]);
});

test("after the deadline a save says the deadline passed, and keeps the text on screen", async () => {
  closeCall(server.db, callId);
  const late = await saveDraft({ plan_continuity: "協議会が引き継ぎます。", action: "save" });
  assert.equal(late.status, 422);
  assert.match(late.text_, /受付期間が終了したため、保存・提出できません。/);
  assert.match(late.text_, /締切を過ぎているため保存できません/);
  assert.doesNotMatch(late.text_, /入力内容を確認してください/);
  assert.match(late.text_, />協議会が引き継ぎます。<\/textarea>/);
});
