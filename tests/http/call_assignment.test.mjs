// HTTP tests of the assignment rules of issue 16 item 6, against a real server: only reviewers
// who declared (conflict or none) on every submitted application of the call are assignable,
// automatically or by hand, and the review page names who has not; with the call's balance
// setting the loads differ by at most one and expertise decides among balanced assignments;
// without it expertise comes first. The applications are written straight into the database
// (their forms are tested elsewhere); everything else goes through the screens.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, Browser, sql as sqlIn, japanLocal } from "./server.mjs";

const PASSWORD = "assignment rules 1234";
const USERS = [
  { key: "secretariat", email: "secretariat@example.jp", name: "事務 次郎", roles: ["secretariat"], org: "架け橋事務局" },
  { key: "r1", email: "r1@example.jp", name: "審査 一郎", roles: ["reviewer"], org: "外部審査委員会" },
  { key: "r2", email: "r2@example.jp", name: "審査 二郎", roles: ["reviewer"], org: "外部審査委員会" },
  { key: "r3", email: "r3@example.jp", name: "審査 三郎", roles: ["reviewer"], org: "外部審査委員会" },
  { key: "r4", email: "r4@example.jp", name: "審査 四郎", roles: ["reviewer"], org: "外部審査委員会" },
  { key: "A", email: "a@operator.example", name: "実証 一", roles: ["operator"], org: "株式会社みらい産学連携" },
  { key: "B", email: "b@operator.example", name: "実証 二", roles: ["operator"], org: "一般社団法人まなびブリッジ" },
  { key: "C", email: "c@operator.example", name: "実証 三", roles: ["operator"], org: "合同会社ちいき共創" },
].map((u) => ({ ...u, password: PASSWORD }));

let server, callId;
const as = {};
const userId = {};
const orgId = {};
const appId = {};
const sql = (query) => sqlIn(server.db, query);

async function post(browser, path, form) {
  const page = await browser.request("/notifications");
  return browser.request(path, { method: "POST", form: [["csrf_token", browser.csrfFrom(page.text_)], ...form] });
}
async function expectNotice(browser, response, pattern) {
  assert.equal(response.status, 303, response.text_.slice(0, 2000));
  const page = await browser.request(response.headers.get("location"));
  assert.match(page.text_, pattern);
  return page;
}
// Every reviewer's number of assigned applications, by key (0 for none).
function loads() {
  const out = {};
  for (const r of ["r1", "r2", "r3", "r4"]) {
    out[r] = Number(sql(`SELECT COUNT(*) FROM review_assignments WHERE reviewer_id = ${userId[r]}`));
  }
  return out;
}
async function declareNone(r, keys) {
  const response = await post(as[r], `/review/calls/${callId}/conflicts`, keys.flatMap((k) => [[`conflict_${orgId[k]}`, "no"], [`note_${orgId[k]}`, ""]]));
  assert.equal(response.status, 303, response.text_.slice(0, 1500));
}

before(async () => {
  server = await startServer({ users: USERS });
  for (const user of USERS) {
    as[user.key] = new Browser(server.base);
    assert.equal((await as[user.key].login(user.email, PASSWORD)).status, 303);
    userId[user.key] = sql(`SELECT id FROM users WHERE email = '${user.email}'`);
  }
  const created = await post(as.secretariat, "/admin/calls", [
    ["title", "令和8年度 実証事業者の公募"], ["summary", ""], ["opens_at", japanLocal(-1)], ["closes_at", japanLocal(30)],
    ["award_min", "15000000"], ["award_max", "25000000"], ["budget_total", "75000000"],
    ["reviewers_per_application", "1"], ["max_load", "3"], ["peer_reviews", "never"], ["hide_personal", "1"],
    ["block", "hokkaido"], ["block", "tohoku"], ["block", "kanto"],
  ]);
  assert.equal(created.status, 303, created.text_.slice(0, 1500));
  callId = /(\d+)$/.exec(created.headers.get("location"))[1];
  assert.equal((await post(as.secretariat, `/admin/calls/${callId}/criteria`, [["name", "事業計画の妥当性"], ["description", ""], ["weight", "10"],
    ["level_1", "不十分"], ["level_2", "標準的"], ["level_3", "優れている"]])).status, 303);
  assert.equal((await post(as.secretariat, `/admin/calls/${callId}/publish`, [])).status, 303);
  // Three submitted applications on one topic (PBL), which only r1 knows.
  const now = new Date().toISOString().slice(0, 19) + "Z";
  for (const [n, key, block] of [[1, "A", "hokkaido"], [2, "B", "tohoku"], [3, "C", "kanto"]]) {
    orgId[key] = sql(`SELECT organisation_id FROM users WHERE email = '${USERS.find((u) => u.key === key).email}'`);
    appId[key] = sql(`INSERT INTO applications (call_id, organisation_id, status, receipt_number, submitted_at, topics, created_at, updated_at)
      VALUES (${callId}, ${orgId[key]}, 'submitted', 'KK${String(callId).padStart(2, "0")}-000${n}', '${now}', 'pbl', '${now}', '${now}') RETURNING id`);
    sql(`INSERT INTO application_blocks (application_id, block_id, requested) VALUES (${appId[key]}, '${block}', 20000000)`);
  }
  const expertise = await post(as.r1, "/review/expertise", [["topic", "pbl"]]);
  assert.equal(expertise.status, 303);
});

after(async () => {
  await server?.stop();
});

test("nobody has declared: nothing is assigned and the page names every reviewer not yet declared", async () => {
  const refused = await post(as.secretariat, `/admin/calls/${callId}/review/auto`, []);
  assert.equal(refused.status, 422);
  assert.match(refused.text_, /すべての申請について利害関係を申告した審査委員がいないため、割り当てられません。申告が済んでいない審査委員: 審査 一郎（未申告 3 件）、審査 二郎（未申告 3 件）、審査 三郎（未申告 3 件）、審査 四郎（未申告 3 件）/);
  assert.equal(sql(`SELECT COUNT(*) FROM review_assignments`), "0");
  const page = await as.secretariat.request(`/admin/calls/${callId}/review`);
  assert.match(page.text_, /利害関係の申告が済んでいない審査委員がいます: 審査 一郎（未申告 3 件）、審査 二郎（未申告 3 件）、審査 三郎（未申告 3 件）、審査 四郎（未申告 3 件）。すべての申請について申告が済むまで、この審査委員には割り当てられません。/);
});

test("a reviewer who declared on only some applications is not assignable, by hand or automatically", async () => {
  await declareNone("r1", ["A", "B", "C"]);
  await declareNone("r2", ["A", "B", "C"]);
  await declareNone("r3", ["A", "B", "C"]);
  await declareNone("r4", ["A", "B"]);  // not on C
  // By hand: refused with the rule, even on an application r4 declared on.
  const refused = await post(as.secretariat, `/admin/calls/${callId}/review/assign`, [["application", appId.A], ["reviewer", userId.r4]]);
  assert.equal(refused.status, 422);
  assert.match(refused.text_, /審査 四郎さんは、この公募の申請のうち 1 件について利害関係を申告していないため割り当てられません。申告を依頼してください/);
  // The page offers r4 nowhere as a candidate, and names r4 as not declared.
  const page = await as.secretariat.request(`/admin/calls/${callId}/review`);
  assert.match(page.text_, /利害関係の申告が済んでいない審査委員がいます: 審査 四郎（未申告 1 件）。/);
  assert.ok(!page.text_.includes(`<option value="${userId.r4}"`), "r4 is no candidate");
  assert.ok(page.text_.includes(`<option value="${userId.r2}"`), "r2 is one");
  // Automatically: r4 is left out and the notice says so.
  const assigned = await post(as.secretariat, `/admin/calls/${callId}/review/auto`, []);
  await expectNotice(as.secretariat, assigned, /利害関係の申告が済んでいない審査委員（審査 四郎）には割り当てていません。/);
  assert.equal(loads().r4, 0);
  assert.equal(sql(`SELECT COUNT(*) FROM review_assignments`), "3");
});

test("expertise first gives every application to the one expert; the balance setting spreads them within one", async () => {
  // Without balance (the default), the expert r1 takes all three (load limit 3).
  assert.deepEqual(loads(), { r1: 3, r2: 0, r3: 0, r4: 0 });
  // The secretariat turns balance on in the call's settings.
  const settings = await as.secretariat.request(`/admin/calls/${callId}`);
  assert.match(settings.text_, /name="balance_loads" value="1">/, "unchecked by default");
  const saved = await post(as.secretariat, `/admin/calls/${callId}`, [
    ["title", "令和8年度 実証事業者の公募"], ["summary", ""],
    ["opens_at", /id="opens_at"[^>]*value="([^"]+)"/.exec(settings.text_)[1]],
    ["closes_at", /id="closes_at"[^>]*value="([^"]+)"/.exec(settings.text_)[1]],
    ["award_min", "15000000"], ["award_max", "25000000"], ["budget_total", "75000000"],
    ["reviewers_per_application", "1"], ["max_load", "3"], ["peer_reviews", "never"], ["hide_personal", "1"], ["balance_loads", "1"],
    ["block", "hokkaido"], ["block", "tohoku"], ["block", "kanto"],
  ]);
  await expectNotice(as.secretariat, saved, /設定を保存しました。/);
  assert.equal(sql(`SELECT balance_loads FROM calls WHERE id = ${callId}`), "1");
  const assigned = await post(as.secretariat, `/admin/calls/${callId}/review/auto`, []);
  const page = await expectNotice(as.secretariat, assigned, /自動で割り当てました（件数の均等を優先、専門分野が一致しない組み合わせ: 2 件）。/);
  assert.match(page.text_, /まず審査委員ごとの件数をそろえ（差は 1 件まで）/);
  // Three applications on three declared reviewers: one each, r1 (the expert) among them, r4 none.
  assert.deepEqual(loads(), { r1: 1, r2: 1, r3: 1, r4: 0 });
  // The audit records the run with its cost.
  assert.equal(sql(`SELECT detail FROM audit_log WHERE action = 'review.auto_assign' ORDER BY id DESC LIMIT 1`), '{"pairs":3,"kept":0,"cost":2}');
});
