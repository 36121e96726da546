// HTTP tests of projects and the activity-list import (issue 15, part B) against a real server:
// every route for every role (secretariat, METI, bureau in and out of reach, operator own and
// other, reviewer, anonymous), validation with 422 keeping what was typed, the import from
// upload to confirmation (nothing saved before), idempotence, and the JSON API's scope.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, Browser, sql as sqlIn } from "./server.mjs";

const MAKE_XLSX = join(dirname(fileURLToPath(import.meta.url)), "..", "support", "make_xlsx.py");

const PASSWORD = "projects password 1234";
const USERS = [
  { key: "secretariat", email: "secretariat@example.jp", name: "事務 次郎", roles: ["secretariat"], org: "架け橋事務局" },
  { key: "meti", email: "meti@example.jp", name: "経産 花子", roles: ["meti"], org: "経済産業省" },
  { key: "bureau", email: "hokkaido@example.jp", name: "北海 道子", roles: ["bureau"], org: "北海道経済産業局", block: "hokkaido" },
  { key: "bureau_other", email: "kanto@example.jp", name: "関東 一子", roles: ["bureau"], org: "関東経済産業局", block: "kanto" },
  { key: "operator", email: "a@operator.example", name: "実証 五郎", roles: ["operator"], org: "株式会社ほっかいどう連携" },
  { key: "operator_other", email: "b@operator.example", name: "学び 花", roles: ["operator"], org: "一般社団法人とうほくブリッジ" },
  { key: "reviewer", email: "r1@example.jp", name: "審査 一郎", roles: ["reviewer"], org: "外部審査委員会" },
].map((u) => ({ ...u, password: PASSWORD }));

// Rows 2 and 3 are one project written two ways; row 4 another project.
const CSV =
  "実施日,内容,企業,学校,学校種,都道府県,児童生徒数,区分\n" +
  "2026/10/05,英語の出前授業,株式会社みらい英語,札幌市立北小学校,小学校,北海道,30,ヒト\n" +
  "2026/10/12,英語の出前授業,(株)みらい英語,札幌市立北小学校,小学校,北海道,28,ヒト\n" +
  "2026/10/19,プログラミング教室,ITラボ株式会社,旭川市立東中学校,中学校,北海道,25,ヒト\n";

let server;
const as = {};
const sql = (q) => sqlIn(server.db, q);

before(async () => {
  server = await startServer({ users: USERS });
  // Two operators of a programme year (as adopted from a published decision): 1 runs 北海道, 2 東北.
  const org = (name) => sql(`SELECT id FROM organisations WHERE name = '${name}'`);
  const now = "2026-09-01T00:00:00Z";
  sql(`INSERT INTO operators (id, call_id, organisation_id, name, contract_amount, contract_from, contract_to, created_at, updated_at)
       VALUES (1, 1, ${org("株式会社ほっかいどう連携")}, '株式会社ほっかいどう連携', 20000000, '2026-07-10', '2027-03-31', '${now}', '${now}'),
              (2, 1, ${org("一般社団法人とうほくブリッジ")}, '一般社団法人とうほくブリッジ', 20000000, '2026-07-10', '2027-03-31', '${now}', '${now}')`);
  sql(`INSERT INTO operator_blocks (operator_id, call_id, block_id, amount) VALUES (1, 1, 'hokkaido', 20000000), (2, 1, 'tohoku', 20000000)`);
  for (const user of USERS) {
    as[user.key] = new Browser(server.base);
    const response = await as[user.key].login(user.email, PASSWORD);
    assert.equal(response.status, 303, `login of ${user.key}`);
  }
  as.anonymous = new Browser(server.base);
});
after(async () => {
  await server?.stop();
});

async function token(browser, path) {
  const page = await browser.request(path);
  const found = browser.csrfFrom(page.text_);
  if (found) return found;
  return browser.csrfFrom((await browser.request("/")).text_);
}

async function post(browser, path, form = {}) {
  const csrf = await token(browser, "/");
  return browser.request(path, { method: "POST", form: { csrf_token: csrf ?? "", ...form } });
}

async function upload(browser, path, name, bytes) {
  const csrf = await token(browser, "/");
  const body = new FormData();
  body.append("csrf_token", csrf ?? "");
  body.append("file", new Blob([bytes], { type: "text/csv" }), name);
  const response = await fetch(server.base + path, {
    method: "POST", body, redirect: "manual", headers: { cookie: browser.cookieHeader() },
  });
  response.text_ = await response.text();
  return response;
}

const PROJECT = {
  block_id: "hokkaido", title: "金融リテラシー講座", category: "hito", subtype: "expert_finance", continuity: "continuing",
  description: "", party_rows: "1", party_kind_0: "school", party_name_0: "札幌市立北高等学校", party_school_type_0: "high",
  party_prefecture_0: "01", session_rows: "1", session_held_on_0: "2026-11-02", session_place_0: "体育館",
  session_pupils_0: "40", session_teachers_0: "2", session_company_staff_0: "3", session_others_0: "",
};

test("an operator records a project; the form refuses bad input with 422 and keeps what was typed", async () => {
  const refused = await post(as.operator, "/operations/operators/1/projects", { ...PROJECT, title: "", subtype: "gcf" });
  assert.equal(refused.status, 422);
  assert.match(refused.text_, /プロジェクト名を入力してください/);
  assert.match(refused.text_, /類型「ガバメントクラウドファンディング（GCF）」は区分「ヒト」のものではありません/);
  assert.match(refused.text_, /value="札幌市立北高等学校"/, "the typed party stays");
  assert.match(refused.text_, /aria-invalid="true" aria-describedby="title-error"/);
  // "行を追加" without JavaScript: the same form with one more session row, nothing saved.
  const grown = await post(as.operator, "/operations/operators/1/projects", { ...PROJECT, op: "add_session" });
  assert.equal(grown.status, 200);
  assert.match(grown.text_, /name="session_held_on_1"/);
  assert.equal(sql("SELECT COUNT(*) FROM projects"), "0");

  const created = await post(as.operator, "/operations/operators/1/projects", PROJECT);
  assert.equal(created.status, 303);
  assert.equal(created.headers.get("location"), "/operations/projects/1");
  assert.equal(sql("SELECT title || '/' || block_id FROM projects WHERE id = 1"), "金融リテラシー講座/hokkaido");
  assert.equal(sql("SELECT COUNT(*) FROM audit_log WHERE action = 'operation.project_create' AND object = 'project:1'"), "1");
  const page = await as.operator.request("/operations/projects/1");
  assert.equal(page.status, 200);
  assert.match(page.text_, /札幌市立北高等学校（高等学校・北海道）/);
});

test("the import groups spelling variants with a reason, saves on confirmation only, and never twice", async () => {
  const staged = await upload(as.operator, "/operations/operators/1/imports", "活動一覧.csv", CSV);
  assert.equal(staged.status, 303);
  const mappingPath = staged.headers.get("location");
  assert.match(mappingPath, /^\/operations\/imports\/\d+\/mapping$/);
  const importPath = mappingPath.replace("/mapping", "");
  const mapping = await as.operator.request(mappingPath);
  assert.equal(mapping.status, 200);
  assert.match(mapping.text_, /<option value="実施日" selected>/, "the date column is guessed from its header");
  const missing = await post(as.operator, mappingPath, { map_title: "内容", map_company: "企業" });
  assert.equal(missing.status, 422);
  assert.match(missing.text_, /実施日の列を選んでください/);
  const mapped = await post(as.operator, mappingPath, {
    map_date: "実施日", map_title: "内容", map_company: "企業", map_school: "学校", map_school_type: "学校種",
    map_prefecture: "都道府県", map_pupils: "児童生徒数", map_category: "区分",
  });
  assert.equal(mapped.status, 303);
  const preview = await as.operator.request(importPath);
  assert.equal(preview.status, 200);
  assert.match(preview.text_, /3 行を、数え方のルール/);
  assert.match(preview.text_, /2 件のプロジェクトにまとめました/);
  assert.match(preview.text_, /理由: /);
  assert.equal(sql("SELECT COUNT(*) FROM project_sessions WHERE source_key IS NOT NULL"), "0", "nothing saved yet");
  // Others see the preview in reach, or nothing.
  assert.equal((await as.operator_other.request(importPath)).status, 404);
  assert.equal((await as.bureau_other.request(importPath)).status, 404);
  assert.equal((await as.bureau.request(importPath)).status, 200);
  assert.equal((await post(as.operator_other, importPath + "/confirm")).status, 404);
  assert.equal((await post(as.meti, importPath + "/confirm")).status, 403);

  const confirmed = await post(as.operator, importPath + "/confirm");
  assert.equal(confirmed.status, 303);
  assert.equal(confirmed.headers.get("location"), "/operations/operators/1/projects");
  assert.equal(sql("SELECT COUNT(*) FROM project_sessions WHERE source_key IS NOT NULL"), "3");
  assert.equal(sql("SELECT COUNT(*) FROM projects WHERE counting_key <> ''"), "2");
  const list = await as.operator.request("/operations/operators/1/projects");
  assert.match(list.text_, /英語の出前授業/);
  assert.match(list.text_, /プログラミング教室/);

  // The same file again: the mapping is remembered, no session is added.
  const again = await upload(as.operator, "/operations/operators/1/imports", "活動一覧.csv", CSV);
  const againMapping = await as.operator.request(again.headers.get("location"));
  assert.match(againMapping.text_, /前回の取り込みで選んだ対応を入れてあります/);
  const againPath = again.headers.get("location").replace("/mapping", "");
  await post(as.operator, again.headers.get("location"), {
    map_date: "実施日", map_title: "内容", map_company: "企業", map_school: "学校", map_category: "区分",
  });
  assert.equal((await post(as.operator, againPath + "/confirm")).status, 303);
  assert.equal(sql("SELECT COUNT(*) FROM project_sessions WHERE source_key IS NOT NULL"), "3");
  assert.equal(sql("SELECT COUNT(*) FROM projects"), "3");
});

test("an XLSX activity list (shared strings, a date as Excel's serial number) reads like the CSV", async () => {
  const made = spawnSync("python3", [MAKE_XLSX], { input: CSV.replace("2026/10/19", "46314") });
  assert.equal(made.status, 0, String(made.stderr));
  const staged = await upload(as.secretariat, "/operations/operators/1/imports", "活動一覧.xlsx", made.stdout);
  assert.equal(staged.status, 303);
  const importPath = staged.headers.get("location").replace("/mapping", "");
  const preview = await as.secretariat.request(importPath);
  assert.equal(preview.status, 200);
  assert.match(preview.text_, /3 行を、数え方のルール/);
  assert.match(preview.text_, /2 件のプロジェクトにまとめました/);
  assert.match(preview.text_, /2026年10月19日/);
  assert.match(preview.text_, /新しいプロジェクト 0 件、実施回 0 件を登録します/, "the rows are the CSV's, imported already");
  assert.equal((await post(as.secretariat, importPath + "/discard")).status, 303);
});

test("rows with errors are listed by line and block the import until the operator skips them", async () => {
  const bad = CSV.replace("2026/10/19", "2026/13/19");
  const staged = await upload(as.operator, "/operations/operators/1/imports", "誤りあり.csv", bad);
  const importPath = staged.headers.get("location").replace("/mapping", "");
  const preview = await as.operator.request(importPath);
  assert.match(preview.text_, /4 行目: 実施日「2026\/13\/19」を読み取れません/);
  const refused = await post(as.operator, importPath + "/confirm");
  assert.equal(refused.status, 422);
  assert.match(refused.text_, /1 行にエラーがあります/);
  const discarded = await post(as.operator, importPath + "/discard");
  assert.equal(discarded.status, 303);
  assert.equal(sql(`SELECT state FROM activity_imports WHERE id = ${importPath.split("/").pop()}`), "discarded");
  const big = await upload(as.operator, "/operations/operators/1/imports", "空.csv", "");
  assert.equal(big.status, 422);
  assert.match(big.text_, /取り込むファイルを選んでください|ファイルが空です/);
});

// Every route for every role: the expected status (after the gate) of each.
const ROUTES = [
  ["GET", "/operations/operators/1/projects", { secretariat: 200, meti: 200, bureau: 200, bureau_other: 404, operator: 200, operator_other: 404, reviewer: 403, anonymous: 303 }],
  ["GET", "/operations/operators/1/projects.xlsx", { secretariat: 200, meti: 200, bureau: 200, bureau_other: 404, operator: 200, operator_other: 404, reviewer: 403, anonymous: 303 }],
  ["GET", "/operations/operators/1/projects/new", { secretariat: 200, meti: 403, bureau: 403, bureau_other: 403, operator: 200, operator_other: 404, reviewer: 403, anonymous: 303 }],
  ["GET", "/operations/operators/1/imports/new", { secretariat: 200, meti: 403, bureau: 403, bureau_other: 403, operator: 200, operator_other: 404, reviewer: 403, anonymous: 303 }],
  ["GET", "/operations/projects/1", { secretariat: 200, meti: 200, bureau: 200, bureau_other: 404, operator: 200, operator_other: 404, reviewer: 403, anonymous: 303 }],
  ["GET", "/operations/projects/1/edit", { secretariat: 200, meti: 403, bureau: 403, bureau_other: 403, operator: 200, operator_other: 404, reviewer: 403, anonymous: 303 }],
  ["GET", "/operations/imports/999", { secretariat: 404, meti: 404, bureau: 404, operator: 404, reviewer: 403, anonymous: 303 }],
  ["GET", "/api/v1/projects/1", { secretariat: 200, meti: 200, bureau: 200, bureau_other: 404, operator: 200, operator_other: 404, reviewer: 403, anonymous: 401 }],
  ["POST", "/operations/projects/1", { meti: 403, bureau: 403, bureau_other: 403, operator_other: 404, reviewer: 403 }],
  ["POST", "/operations/projects/1/delete", { meti: 403, bureau: 403, operator_other: 404, reviewer: 403 }],
  ["POST", "/operations/operators/1/projects", { meti: 403, bureau: 403, operator_other: 404, reviewer: 403 }],
  ["POST", "/operations/operators/2/projects", { operator: 404 }],
];

test("every route answers each role with the status its scope gives", async () => {
  for (const [method, path, expected] of ROUTES) {
    for (const [who, status] of Object.entries(expected)) {
      const response = method === "GET" ? await as[who].request(path) : await post(as[who], path, PROJECT);
      assert.equal(response.status, status, `${method} ${path} as ${who}`);
    }
  }
  assert.equal(sql("SELECT COUNT(*) FROM projects WHERE operator_id = 2"), "0");
  assert.equal(sql("SELECT title FROM projects WHERE id = 1"), "金融リテラシー講座", "no foreign write changed it");
});

test("the JSON API lists only what the reader may see, with sessions and pagination", async () => {
  const read = async (who, path) => {
    const response = await as[who].request(path);
    return { status: response.status, body: response.status === 200 ? JSON.parse(response.text_) : null };
  };
  const all = await read("secretariat", "/api/v1/projects?per_page=2");
  assert.equal(all.status, 200);
  assert.equal(all.body.total, 3);
  assert.equal(all.body.per_page, 2);
  assert.equal(all.body.items.length, 2);
  const english = (await read("secretariat", "/api/v1/projects?operator=1&category=hito&per_page=200")).body.items.find((p) => p.title === "英語の出前授業");
  assert.equal(english.sessions.length, 2);
  assert.equal(english.sessions[0].held_on, "2026-10-05");
  assert.equal(english.sessions[0].pupils, 30);
  assert.equal((await read("bureau", "/api/v1/projects")).body.total, 3);
  assert.equal((await read("bureau_other", "/api/v1/projects")).body.total, 0);
  assert.equal((await read("operator_other", "/api/v1/projects")).body.total, 0);
  assert.equal((await read("operator", "/api/v1/projects?category=kane")).body.total, 0);
  assert.equal((await as.operator.request("/api/v1/projects?category=xyz")).status, 422);
  assert.equal((await as.anonymous.request("/api/v1/projects")).status, 401);
  assert.equal((await as.reviewer.request("/api/v1/projects")).status, 403);
});
