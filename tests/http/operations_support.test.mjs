// HTTP tests of the operations module's part C (issue 15): the support log and mentoring of an
// operator, the to-do list, the budget (expenses with receipts, plan, XLSX, /api/v1/budget) and
// the programme's staff, against a real server, for every role. Operators are set up in the
// database as the published decision would make them: A runs 北海道 and 北陸, B runs 関東. The
// bureau of 中部 reaches A through 北陸 (shared with 近畿); the bureau of 関東 reaches B only.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, Browser, sql as sqlIn } from "./server.mjs";

const PASSWORD = "operations password 1234";
const USERS = {
  secretariat: { email: "secretariat@example.jp", name: "事務 次郎", roles: ["secretariat"], org: "架け橋事務局" },
  secretariat2: { email: "secretariat2@example.jp", name: "支援 三奈", roles: ["secretariat"], org: "架け橋事務局" },
  meti: { email: "meti@example.jp", name: "経産 花子", roles: ["meti"], org: "経済産業省" },
  security: { email: "security@example.jp", name: "情報 管理", roles: ["security_officer"], org: "架け橋事務局" },
  chubu: { email: "chubu@example.jp", name: "中部 三子", roles: ["bureau"], org: "中部経済産業局", block: "tokai" },
  kanto: { email: "kanto@example.jp", name: "関東 一子", roles: ["bureau"], org: "関東経済産業局", block: "kanto" },
  opA: { email: "a@operator.example", name: "実証 五郎", roles: ["operator"], org: "株式会社みらい産学連携" },
  opB: { email: "b@operator.example", name: "学び 花", roles: ["operator"], org: "一般社団法人まなびブリッジ" },
  reviewer: { email: "r1@example.jp", name: "審査 一郎", roles: ["reviewer"], org: "外部審査委員会" },
};
const PDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

let server;
const as = {};
const id = {};
const sql = (query) => sqlIn(server.db, query);

async function token(browser, path = "/notifications") {
  const page = await browser.request(path);
  const value = browser.csrfFrom(page.text_);
  assert.ok(value, `a CSRF token on ${path}`);
  return value;
}

async function post(who, path, form) {
  return as[who].request(path, { method: "POST", form: { csrf_token: await token(as[who]), ...form } });
}

async function postMultipart(who, path, fields, file) {
  const body = new FormData();
  body.set("csrf_token", await token(as[who]));
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  if (file) body.set(file.field, new Blob([file.bytes], { type: file.type }), file.name);
  return as[who].request(path, { method: "POST", body });
}

async function statuses(path, method = "GET") {
  const out = {};
  for (const who of Object.keys(USERS)) {
    const response = method === "GET" ? await as[who].request(path) : await post(who, path, {});
    out[who] = response.status;
  }
  return out;
}

before(async () => {
  server = await startServer({ users: Object.values(USERS).map((u) => ({ ...u, password: PASSWORD })) });
  const org = (name) => sql(`SELECT id FROM organisations WHERE name = '${name}'`);
  const now = "2026-08-01T00:00:00Z";
  for (const [key, name, amount, blocks] of [
    ["A", "株式会社みらい産学連携", 38000000, [["hokkaido", 20000000], ["hokuriku", 18000000]]],
    ["B", "一般社団法人まなびブリッジ", 24000000, [["kanto", 24000000]]],
  ]) {
    id[key] = sql(
      `INSERT INTO operators (call_id, organisation_id, name, contract_amount, contract_from, contract_to, created_at, updated_at) ` +
        `VALUES (1, ${org(name)}, '${name}', ${amount}, '2026-08-01', '2027-03-31', '${now}', '${now}') RETURNING id`,
    );
    for (const [block, share] of blocks)
      sql(`INSERT INTO operator_blocks (operator_id, call_id, block_id, amount) VALUES (${id[key]}, 1, '${block}', ${share})`);
  }
  for (const [key, user] of Object.entries(USERS)) {
    as[key] = new Browser(server.base);
    const response = await as[key].login(user.email, PASSWORD);
    assert.equal(response.status, 303, `login of ${key}`);
    id[key] = sql(`SELECT id FROM users WHERE email = '${user.email}'`);
  }
});
after(async () => {
  await server?.stop();
});

test("the support log is written by the secretariat and read within each role's reach", async () => {
  const page = `/operations/operators/${id.A}/support`;
  const logged = await post("secretariat", page, {
    held_on: "2026-09-10", kind: "visit", topic: "キックオフ訪問", advice: "学校の窓口を一本化する",
    next_step: "マイルストーン案の確認", next_step_due: "2026-09-24", next_step_owner: id.secretariat2,
  });
  assert.equal(logged.status, 303);
  assert.equal(logged.headers.get("location"), page);
  const log = sql(`SELECT id FROM support_logs WHERE operator_id = ${id.A}`);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'operation.support_log' AND object = 'support_log:${log}'`), "1");
  assert.equal(sql(`SELECT COUNT(*) FROM notifications WHERE user_id = ${id.secretariat2} AND link LIKE '%${page}'`), "1");

  const expected = { secretariat: 200, secretariat2: 200, meti: 200, security: 403, chubu: 200, kanto: 404, opA: 200, opB: 404, reviewer: 403 };
  assert.deepEqual(await statuses(page), expected);
  assert.deepEqual(await statuses(page + ".xlsx"), expected);
  const seen = await as.chubu.request(page);
  assert.match(seen.text_, /キックオフ訪問/);
  assert.match(seen.text_, /マイルストーン案の確認/);
  assert.doesNotMatch(seen.text_, /支援を記録/, "no write button for the bureau");
  const xlsx = await as.opA.request(page + ".xlsx");
  assert.equal(xlsx.headers.get("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

  // Writing: only the secretariat (others stop at the gate, 403).
  for (const who of ["meti", "chubu", "opA", "opB", "reviewer", "security"]) {
    assert.equal((await post(who, page, { held_on: "2026-09-11", kind: "phone", topic: "x" })).status, 403, who);
    assert.equal((await as[who].request(`/operations/support/${log}/edit`)).status, 403, who);
  }
  assert.equal((await as.secretariat.request(`/operations/support/${log}/edit`)).status, 200);
  assert.equal((await as.secretariat.request(`/operations/support/999999/edit`)).status, 404);
  assert.equal((await as.secretariat.request(`/operations/operators/999999/support`)).status, 404);
  assert.equal(sql(`SELECT COUNT(*) FROM support_logs`), "1");
  // Completing a step: the bureau and the operator may see it but not finish it; out of reach is 404.
  assert.equal((await post("chubu", `/operations/support/${log}/done`, {})).status, 403);
  assert.equal((await post("opA", `/operations/support/${log}/done`, {})).status, 403);
  assert.equal((await post("kanto", `/operations/support/${log}/done`, {})).status, 404);
  assert.equal((await post("opB", `/operations/support/${log}/done`, {})).status, 404);
});

test("a refused support form shows every problem beside its field and keeps what was typed", async () => {
  const response = await post("secretariat", `/operations/operators/${id.A}/support`, {
    held_on: "", kind: "visit", topic: "", advice: "残しておく助言", next_step: "資料送付", next_step_due: "", next_step_owner: "",
  });
  assert.equal(response.status, 422);
  for (const message of ["実施日を入力してください", "テーマを入力してください", "次のアクションの期限を入力してください", "次のアクションの担当者を選んでください"])
    assert.match(response.text_, new RegExp(message));
  assert.match(response.text_, /<a href="#held_on">実施日を入力してください<\/a>/);
  assert.match(response.text_, /id="held_on" name="held_on" type="date" class="input" value="" aria-invalid="true" aria-describedby="held_on-error"/);
  assert.match(response.text_, />残しておく助言<\/textarea>/);
  assert.match(response.text_, /value="資料送付"/);
  // An operator user is no owner of a next step.
  const owned = await post("secretariat", `/operations/operators/${id.A}/support`, {
    held_on: "2026-09-12", kind: "mail", topic: "資料の送付", next_step: "確認", next_step_due: "2026-09-20", next_step_owner: id.opA,
  });
  assert.equal(owned.status, 422);
  assert.match(owned.text_, /次のアクションの担当者は事務局のユーザーから選んでください/);
});

test("the owner's to-do list shows the open step until it is marked done", async () => {
  const todo = await as.secretariat2.request("/operations/todo");
  assert.equal(todo.status, 200);
  assert.match(todo.text_, /マイルストーン案の確認/);
  assert.match(todo.text_, /株式会社みらい産学連携/);
  assert.match(todo.text_, /期限超過/, "due 2026-09-24, long past");
  const other = await as.secretariat.request("/operations/todo");
  assert.doesNotMatch(other.text_, /マイルストーン案の確認/, "someone else's step");
  assert.match(other.text_, /担当している未完了のアクションはありません。/);
  for (const who of ["meti", "chubu", "kanto", "opA", "opB"]) assert.equal((await as[who].request("/operations/todo")).status, 200, who);
  for (const who of ["security", "reviewer"]) assert.equal((await as[who].request("/operations/todo")).status, 403, who);
  const log = sql(`SELECT id FROM support_logs WHERE next_step = 'マイルストーン案の確認'`);
  const done = await post("secretariat2", `/operations/support/${log}/done`, { back: "todo" });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get("location"), "/operations/todo");
  assert.match((await as.secretariat2.request("/operations/todo")).text_, /担当している未完了のアクションはありません。/);
  assert.equal((await post("secretariat2", `/operations/support/${log}/done`, {})).status, 409);
});

test("mentoring records and their sessions follow the support log's scope", async () => {
  const created = await post("secretariat", `/operations/operators/${id.B}/mentorings`, {
    startup_name: "株式会社まなびラボ", stage: "new_to_education", goals: "教材を 3 校で試行", mentor_user_id: id.secretariat,
  });
  assert.equal(created.status, 303);
  const mentoring = sql(`SELECT id FROM mentorings WHERE operator_id = ${id.B}`);
  const session = await post("secretariat", `/operations/mentorings/${mentoring}/sessions`, { held_on: "2026-10-02", notes: "価格設定を相談", next_step: "" });
  assert.equal(session.status, 303);
  const bad = await post("secretariat", `/operations/mentorings/${mentoring}/sessions`, { held_on: "10月2日", notes: "" });
  assert.equal(bad.status, 422);
  assert.match(bad.text_, /実施日は 2026-12-25 の形式で入力してください/);
  assert.match(bad.text_, /面談の記録を入力してください/);
  const page = `/operations/operators/${id.B}/support`;
  assert.match((await as.kanto.request(page)).text_, /価格設定を相談/);
  assert.equal((await as.chubu.request(page)).status, 404);
  assert.equal((await as.opA.request(page)).status, 404);
  assert.match((await as.opB.request(page)).text_, /教育分野への新規参入/);
  for (const who of ["meti", "kanto", "opB"]) {
    assert.equal((await as[who].request(`/operations/mentorings/${mentoring}/edit`)).status, 403, who);
    assert.equal((await post(who, `/operations/mentorings/${mentoring}/sessions`, { held_on: "2026-10-03", notes: "x" })).status, 403, who);
  }
  assert.equal((await as.secretariat.request(`/operations/mentorings/${mentoring}/edit`)).status, 200);
  assert.equal((await as.secretariat.request(`/operations/mentorings/${mentoring}/sessions/new`)).status, 200);
});

test("the budget: expenses with receipts, the plan and the exports, for the secretariat and METI only", async () => {
  const created = await postMultipart("secretariat", "/operations/budget/expenses",
    { spent_on: "2026-10-05", category: "venue", budget_line: "中間報告会 会場借料", description: "中間報告会（札幌）会場使用料", amount: "１６５，０００" },
    { field: "receipt", name: "領収書.pdf", type: "application/pdf", bytes: PDF });
  assert.equal(created.status, 303);
  const expense = sql("SELECT id FROM expenses");
  assert.equal(sql(`SELECT amount FROM expenses WHERE id = ${expense}`), "165000");
  const refused = await postMultipart("secretariat", "/operations/budget/expenses",
    { spent_on: "2026-10-06", category: "venue", description: "メモ", amount: "二千円" },
    { field: "receipt", name: "memo.txt", type: "text/plain", bytes: "hello" });
  assert.equal(refused.status, 422);
  assert.match(refused.text_, /領収書は PDF・JPEG・PNG のファイルを選んでください/);
  assert.match(refused.text_, /value="二千円"/);
  assert.match(refused.text_, /id="amount-error"/);
  assert.equal(sql("SELECT COUNT(*) FROM expenses"), "1");

  const page = await as.meti.request("/operations/budget");
  assert.equal(page.status, 200);
  assert.match(page.text_, /210,000,000 円/);
  assert.match(page.text_, /62,000,000 円/, "contracts of A and B");
  assert.match(page.text_, /165,000 円/);
  assert.match(page.text_, /147,835,000 円/, "the remainder");
  assert.doesNotMatch(page.text_, /支出を記録/, "METI reads only");
  const receipt = await as.meti.request(`/operations/budget/expenses/${expense}/receipt`);
  assert.equal(receipt.status, 200);
  assert.equal(receipt.headers.get("content-type"), "application/pdf");
  assert.equal(receipt.text_, PDF);
  for (const path of ["/operations/budget", "/operations/budget/expenses.xlsx", "/operations/budget/plan.xlsx",
                      `/operations/budget/expenses/${expense}/receipt`, "/api/v1/budget"]) {
    for (const who of ["chubu", "kanto", "opA", "opB", "reviewer", "security"]) assert.equal((await as[who].request(path)).status, 403, `${who} ${path}`);
  }
  assert.equal((await as.secretariat.request("/operations/budget/expenses/999999/receipt")).status, 404);
  for (const path of ["/operations/budget/expenses.xlsx", "/operations/budget/plan.xlsx"]) {
    const x = await as.secretariat.request(path);
    assert.equal(x.status, 200, path);
    assert.equal(x.headers.get("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  }
  // The plan grid: typed with commas, refused cells shown with their message, nothing saved.
  const badPlan = await post("secretariat", "/operations/budget/plan", { "plan_2026-10_venue": "たくさん", "plan_2026-10_operators": "5,000,000" });
  assert.equal(badPlan.status, 422);
  assert.match(badPlan.text_, /2026年10月の会場費は数字で入力してください/);
  assert.equal(sql("SELECT COUNT(*) FROM budget_plan"), "0");
  const plan = await post("secretariat", "/operations/budget/plan", { "plan_2026-10_venue": "200,000", "plan_2026-10_operators": "5,000,000" });
  assert.equal(plan.status, 303);
  assert.equal(sql("SELECT SUM(planned) FROM budget_plan"), "5200000");
  for (const who of ["meti", "opA"]) assert.equal((await post(who, "/operations/budget/plan", { "plan_2026-10_venue": "1" })).status, 403, who);
  // METI cannot change or delete an expense.
  assert.equal((await post("meti", `/operations/budget/expenses/${expense}/delete`, {})).status, 403);
  assert.equal(sql("SELECT COUNT(*) FROM expenses"), "1");

  const api = await as.meti.request("/api/v1/budget");
  assert.equal(api.status, 200);
  const body = JSON.parse(api.text_);
  assert.equal(body.cap, 210000000);
  assert.equal(body.contract_total, 62000000);
  assert.equal(body.expense_total, 165000);
  assert.equal(body.expenses_by_category.venue, 165000);
  assert.equal(body.remaining, 210000000 - 62000000 - 165000);
  assert.deepEqual(body.contracts.map((c) => [c.name, c.blocks]), [["株式会社みらい産学連携", ["hokkaido", "hokuriku"]], ["一般社団法人まなびブリッジ", ["kanto"]]]);
  const october = body.months.find((m) => m.month === "2026-10");
  assert.equal(october.planned.venue, 200000);
  assert.equal(october.planned_total, 5200000);
  assert.equal(october.actual.venue, 165000);
  assert.equal(body.months[0].month, "2026-08");
  assert.equal(body.months.at(-1).month, "2027-03");
  const anonymous = await new Browser(server.base).request("/api/v1/budget");
  assert.equal(anonymous.status, 401);

  const deleted = await post("secretariat", `/operations/budget/expenses/${expense}/delete`, {});
  assert.equal(deleted.status, 303);
  assert.equal(sql("SELECT COUNT(*) FROM expenses"), "0");
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'operation.expense_delete'`), "1");
});

test("the staff list: the secretariat manages, METI and the security officer read", async () => {
  const added = await post("secretariat", "/operations/staff", { name: "架橋 一太", role: "統括責任者", share_percent: "３０", user_id: id.secretariat });
  assert.equal(added.status, 303);
  const member = sql("SELECT id FROM programme_staff");
  assert.equal(sql(`SELECT share_percent FROM programme_staff WHERE id = ${member}`), "30");
  const twice = await post("secretariat", "/operations/staff", { name: "別人", role: "担当者", share_percent: "100", user_id: id.secretariat });
  assert.equal(twice.status, 422);
  assert.match(twice.text_, /このアカウントはすでに別の体制メンバーに紐づいています/);
  const bad = await post("secretariat", "/operations/staff", { name: "", role: "", share_percent: "150", user_id: "" });
  assert.equal(bad.status, 422);
  for (const message of ["氏名を入力してください", "役割を入力してください", "従事割合は 0〜100 の範囲で入力してください"])
    assert.match(bad.text_, new RegExp(message));
  const expected = { secretariat: 200, secretariat2: 200, meti: 200, security: 200, chubu: 403, kanto: 403, opA: 403, opB: 403, reviewer: 403 };
  assert.deepEqual(await statuses("/operations/staff"), expected);
  for (const who of ["meti", "security", "opA"]) {
    assert.equal((await post(who, `/operations/staff/${member}/active`, { active: "0" })).status, 403, who);
    assert.equal((await as[who].request(`/operations/staff/${member}/edit`)).status, 403, who);
  }
  assert.equal((await post("secretariat", `/operations/staff/${member}/active`, { active: "0" })).status, 303);
  assert.match((await as.security.request("/operations/staff")).text_, /離任/);
  assert.equal((await as.secretariat.request("/operations/staff/999999/edit")).status, 404);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE object = 'staff:${member}'`), "2");
});

test("every write refuses a missing CSRF token", async () => {
  const log = sql(`SELECT id FROM support_logs LIMIT 1`);
  for (const path of [`/operations/operators/${id.A}/support`, `/operations/support/${log}/done`, "/operations/staff", "/operations/budget/plan"]) {
    const response = await as.secretariat.request(path, { method: "POST", form: { topic: "x" } });
    assert.equal(response.status, 403, path);
  }
});

test("/api/v1/support-logs lists only the entries within the reader's reach", async () => {
  const ids = async (who, query = "") => {
    const response = await as[who].request("/api/v1/support-logs" + query);
    assert.equal(response.status, 200, who);
    const body = JSON.parse(response.text_);
    return [body.total, [...new Set(body.items.map((i) => i.operator_name))].sort()];
  };
  const a = "株式会社みらい産学連携";
  const total = Number(sql(`SELECT COUNT(*) FROM support_logs WHERE operator_id = ${id.A}`));
  assert.ok(total >= 1);
  assert.deepEqual(await ids("secretariat"), [total, [a]]);
  assert.deepEqual(await ids("meti"), [total, [a]]);
  assert.deepEqual(await ids("chubu"), [total, [a]], "北陸 is shared");
  assert.deepEqual(await ids("opA"), [total, [a]]);
  assert.deepEqual(await ids("kanto"), [0, []]);
  assert.deepEqual(await ids("opB"), [0, []]);
  assert.equal((await as.kanto.request(`/api/v1/support-logs?operator_id=${id.A}`)).status, 404);
  assert.equal((await as.opB.request(`/api/v1/support-logs?operator_id=${id.A}`)).status, 404);
  const one = JSON.parse((await as.chubu.request(`/api/v1/support-logs?operator_id=${id.A}&per_page=1`)).text_);
  assert.equal(one.per_page, 1);
  assert.equal(one.items.length, 1);
  assert.equal(one.items[0].kind, "visit");
  for (const who of ["reviewer", "security"]) assert.equal((await as[who].request("/api/v1/support-logs")).status, 403, who);
});
