// HTTP tests of the operations screens of part A (issue 15): the programme dashboard, block
// pages, operators, settings, milestones with evidence and review, and /api/v1/milestones, for
// every role against the demo programme year: what each may see (others' blocks answer 404 and
// never show on the dashboard), what each may change, Japanese messages beside refused input,
// evidence through the publication-safety inspector, and the review's notification.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Browser } from "./server.mjs";
import { startProgramme, PEOPLE } from "./milestones_fixture.mjs";

let server, passwords, sql, operatorOf;
const as = {};
let kanto, hokkaido, kantoMilestone, kantoFile, hokkaidoMilestone;

before(async () => {
  ({ server, passwords, sql, operatorOf } = await startProgramme());
  for (const [key, email] of Object.entries(PEOPLE)) {
    const browser = new Browser(server.base);
    const response = await browser.login(email, passwords[email]);
    assert.equal(response.status, 303, `login of ${key}`);
    as[key] = browser;
  }
  kanto = operatorOf("kanto");
  hokkaido = operatorOf("hokkaido");
  kantoMilestone = Number(sql(`SELECT m.id FROM milestones m JOIN milestone_evidence e ON e.milestone_id = m.id WHERE m.operator_id = ${kanto} AND e.kind = 'file' LIMIT 1`));
  kantoFile = Number(sql(`SELECT id FROM milestone_evidence WHERE milestone_id = ${kantoMilestone} AND kind = 'file'`));
  hokkaidoMilestone = Number(sql(`SELECT id FROM milestones WHERE operator_id = ${hokkaido} ORDER BY id LIMIT 1`));
});
after(async () => {
  await server?.stop();
});

async function token(browser, path = "/notifications") {
  const page = await browser.request(path);
  const value = browser.csrfFrom(page.text_);
  assert.ok(value, `a CSRF token on ${path}`);
  return value;
}

async function post(browser, path, form) {
  const csrf = await token(browser);
  return browser.request(path, { method: "POST", form: [["csrf_token", csrf], ...form] });
}

async function upload(browser, path, fields, file) {
  const body = new FormData();
  body.append("csrf_token", await token(browser));
  for (const [k, v] of fields) body.append(k, v);
  if (file) body.append("file", new Blob([file.content], { type: file.type }), file.name);
  const response = await fetch(server.base + path, { method: "POST", body, headers: { cookie: browser.cookieHeader() }, redirect: "manual" });
  response.text_ = await response.text();
  return response;
}

// Expected statuses by role for the pages of the 関東 operator (the demo operator's own).
const READERS = { secretariat: 200, meti: 200, bureau: 200, bureau_other: 404, operator: 200, operator_other: 404, reviewer: 403 };
const PLANNERS = { secretariat: 200, meti: 403, bureau: 403, bureau_other: 403, operator: 200, operator_other: 404, reviewer: 403 };
const MANAGERS = { secretariat: 200, meti: 403, bureau: 403, bureau_other: 403, operator: 403, operator_other: 403, reviewer: 403 };

test("every page of the 関東 operator answers each role by its reach", async () => {
  const pages = [
    [`/operations/blocks/kanto`, READERS],
    [`/operations/operators/${kanto}`, READERS],
    [`/operations/operators/${kanto}/milestones`, READERS],
    [`/operations/operators/${kanto}/milestones.xlsx`, READERS],
    [`/operations/milestones/${kantoMilestone}`, READERS],
    [`/operations/milestones/${kantoMilestone}/evidence/${kantoFile}`, READERS],
    [`/api/v1/milestones/${kantoMilestone}`, READERS],
    [`/operations/operators/${kanto}/plan`, PLANNERS],
    [`/operations/operators/${kanto}/milestones/new`, PLANNERS],
    [`/operations/milestones/${kantoMilestone}/edit`, PLANNERS],
    [`/operations/operators/${kanto}/edit`, MANAGERS],
    [`/operations/settings`, MANAGERS],
  ];
  for (const [path, expected] of pages) {
    for (const [role, status] of Object.entries(expected)) {
      const response = await as[role].request(path);
      assert.equal(response.status, status, `${role} GET ${path}`);
    }
  }
  // Lists answer everyone with the view of operations, filtered.
  for (const path of ["/operations", "/operations/operators", "/operations/operators.xlsx", "/api/v1/milestones"]) {
    for (const role of ["secretariat", "meti", "bureau", "bureau_other", "operator", "operator_other"]) {
      assert.equal((await as[role].request(path)).status, 200, `${role} GET ${path}`);
    }
    assert.equal((await as.reviewer.request(path)).status, 403, `reviewer GET ${path}`);
  }
  // An unknown block or milestone is simply not found.
  assert.equal((await as.secretariat.request("/operations/blocks/atlantis")).status, 404);
  assert.equal((await as.secretariat.request("/operations/milestones/999999")).status, 404);
});

test("the dashboard shows the ten blocks to the secretariat and only the reach to others", async () => {
  const all = (await as.secretariat.request("/operations")).text_;
  assert.equal((all.match(/class="block-tile /g) ?? []).length, 10);
  assert.match(all, /一般社団法人北海道まなびネット/);
  assert.match(all, /株式会社みらい産学連携/);
  assert.match(all, /block-tile--flagged/);
  assert.match(all, /マイルストーン「中間報告書の提出」の期限（\d+月\d+日）を \d+ 日過ぎています/);
  const bureau = (await as.bureau.request("/operations")).text_;
  assert.equal((bureau.match(/class="block-tile /g) ?? []).length, 10);
  assert.match(bureau, /株式会社みらい産学連携/);
  assert.doesNotMatch(bureau, /北海道まなびネット|地域共創ラボ|まなびブリッジ/);
  assert.equal((bureau.match(/閲覧の範囲外です/g) ?? []).length, 9);
  const operator = (await as.operator_other.request("/operations")).text_;
  assert.match(operator, /一般社団法人北海道まなびネット/);
  assert.doesNotMatch(operator, /株式会社みらい産学連携/);
  assert.doesNotMatch(operator, /予算の執行/);
});

test("an operator adds a milestone: every problem beside its field, kept as typed; not for another operator", async () => {
  const path = `/operations/operators/${kanto}/milestones`;
  const refused = await post(as.operator, path, [["title", ""], ["description", "説明は残る"], ["due_on", "2026-02-30"], ["status", "done"]]);
  assert.equal(refused.status, 422);
  assert.match(refused.text_, /<a href="#title">タイトルを入力してください<\/a>/);
  assert.match(refused.text_, /id="due_on-error">期限の日付が正しくありません（例: 2026-12-25）</);
  assert.match(refused.text_, /aria-invalid="true" aria-describedby="title-error"/);
  assert.match(refused.text_, />説明は残る<\/textarea>/);
  assert.match(refused.text_, /value="2026-02-30"/);
  const created = await post(as.operator, path, [["title", "地域協議会の設立"], ["due_on", "2027-02-15"], ["status", "in_progress"], ["owner_name", "企画部"]]);
  assert.equal(created.status, 303, created.text_.slice(0, 500));
  const id = Number(/\/operations\/milestones\/(\d+)$/.exec(created.headers.get("location"))[1]);
  assert.equal(sql(`SELECT title || '|' || status || '|' || due_on FROM milestones WHERE id = ${id}`), "地域協議会の設立|in_progress|2027-02-15");
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'operation.milestone_create' AND object = 'milestone:${id}'`), "1");
  // Another operator, and the bureau that sees it, cannot add or change one.
  assert.equal((await post(as.operator_other, path, [["title", "x"], ["due_on", "2027-02-15"]])).status, 404);
  assert.equal((await post(as.bureau, path, [["title", "x"], ["due_on", "2027-02-15"]])).status, 403);
  assert.equal((await post(as.operator_other, `/operations/milestones/${id}/edit`, [["title", "x"], ["due_on", "2027-02-15"]])).status, 404);
  assert.equal((await post(as.operator, `/operations/milestones/${hokkaidoMilestone}/edit`, [["title", "x"], ["due_on", "2027-02-15"]])).status, 404);
  // A transition the rules refuse is shown beside the status.
  await post(as.operator, `/operations/milestones/${id}/edit`, [["title", "地域協議会の設立"], ["due_on", "2027-02-15"], ["status", "done"]]);
  const back = await post(as.operator, `/operations/milestones/${id}/edit`, [["title", "地域協議会の設立"], ["due_on", "2027-02-15"], ["status", "not_started"]]);
  assert.equal(back.status, 422);
  assert.match(back.text_, /id="status-error">状態を「完了」から「未着手」に変えることはできません</);
});

test("evidence: files through the inspector, http(s) links only, downloads in scope", async () => {
  const path = `/operations/milestones/${kantoMilestone}/evidence`;
  const personal = await upload(as.operator, path, [["kind", "file"], ["title", "名簿"]],
    { name: "名簿.csv", type: "text/csv", content: "氏名,電話,メール\n山田 太郎,090-1234-5678,taro@example.jp\n" });
  assert.equal(personal.status, 422);
  assert.match(personal.text_, /公開できない内容が含まれているため登録できません: 電話番号（行 2 列 2）、メールアドレス（行 2 列 3）/);
  const before = sql(`SELECT COUNT(*) FROM milestone_evidence WHERE milestone_id = ${kantoMilestone}`);
  const text = await upload(as.operator, path, [["kind", "file"]], { name: "memo.txt", type: "text/plain", content: "メモ" });
  assert.equal(text.status, 422);
  assert.match(text.text_, /根拠資料として登録できるのは PDF・Excel（.xlsx）・Word（.docx）・PowerPoint（.pptx）・CSV のファイルです/);
  const good = await upload(as.operator, path, [["kind", "file"], ["title", "参加校の集計"]],
    { name: "参加校.csv", type: "text/csv", content: "項目,件数\n連携校,4\n" });
  assert.equal(good.status, 303, good.text_.slice(0, 400));
  const stored = Number(sql(`SELECT MAX(id) FROM milestone_evidence WHERE milestone_id = ${kantoMilestone}`));
  assert.equal(Number(sql(`SELECT COUNT(*) FROM milestone_evidence WHERE milestone_id = ${kantoMilestone}`)), Number(before) + 1);
  const download = await as.meti.request(`/operations/milestones/${kantoMilestone}/evidence/${stored}`);
  assert.equal(download.status, 200);
  assert.equal(download.text_, "項目,件数\n連携校,4\n");
  assert.match(download.headers.get("content-disposition"), /attachment/);
  assert.equal((await as.operator_other.request(`/operations/milestones/${kantoMilestone}/evidence/${stored}`)).status, 404);
  // The file of another milestone is not reachable through this one.
  assert.equal((await as.secretariat.request(`/operations/milestones/${hokkaidoMilestone}/evidence/${stored}`)).status, 404);
  const link = await upload(as.operator, path, [["kind", "link"], ["title", "報告"], ["url", "javascript:alert(1)"]]);
  assert.equal(link.status, 422);
  assert.match(link.text_, /リンクは http:\/\/ または https:\/\/ で始まるアドレスを入力してください/);
  assert.match(link.text_, /value="javascript:alert\(1\)"/);
  assert.equal((await upload(as.operator, path, [["kind", "link"], ["url", "https://example.jp/report"]])).status, 303);
  assert.equal((await upload(as.operator_other, path, [["kind", "note"], ["note", "x"]])).status, 404);
  assert.equal((await upload(as.meti, path, [["kind", "note"], ["note", "x"]])).status, 403);
});

test("only the secretariat reviews; 要対応 needs a comment; the operator is notified", async () => {
  const path = `/operations/milestones/${kantoMilestone}/review`;
  for (const role of ["operator", "meti", "bureau", "reviewer"]) {
    assert.equal((await post(as[role], path, [["review", "accepted"]])).status, 403, role);
  }
  const noComment = await post(as.secretariat, path, [["review", "needs_work"], ["comment", " "]]);
  assert.equal(noComment.status, 422);
  assert.match(noComment.text_, /「要対応」にするときは、対応してほしい内容をコメントに書いてください/);
  const done = await post(as.secretariat, path, [["review", "needs_work"], ["comment", "参加校の名称を追記してください"]]);
  assert.equal(done.status, 303);
  assert.equal(sql(`SELECT review_state || '|' || review_comment FROM milestones WHERE id = ${kantoMilestone}`), "needs_work|参加校の名称を追記してください");
  const notifications = (await as.operator.request("/notifications")).text_;
  assert.match(notifications, /マイルストーン「[^」]+」の確認結果: 要対応/);
  // A milestone without evidence cannot be accepted.
  const bare = Number(sql(`SELECT m.id FROM milestones m WHERE m.operator_id = ${kanto} AND NOT EXISTS (SELECT 1 FROM milestone_evidence e WHERE e.milestone_id = m.id) LIMIT 1`));
  const refused = await post(as.secretariat, `/operations/milestones/${bare}/review`, [["review", "accepted"]]);
  assert.equal(refused.status, 422);
  assert.match(refused.text_, /根拠資料が登録されていないマイルストーンは「確認済み」にできません/);
});

test("evidence uploaded by mistake is deleted after a confirmation; a 確認済み milestone goes back to 未確認; others may not", async () => {
  const path = `/operations/milestones/${kantoMilestone}/evidence`;
  assert.equal((await upload(as.operator, path, [["kind", "file"], ["title", "間違えた集計"]],
    { name: "間違い.csv", type: "text/csv", content: "項目,件数\n誤り,1\n" })).status, 303);
  const wrong = Number(sql(`SELECT MAX(id) FROM milestone_evidence WHERE milestone_id = ${kantoMilestone}`));
  const sha = sql(`SELECT sha256 FROM milestone_evidence WHERE id = ${wrong}`);
  // The secretariat had confirmed the milestone.
  assert.equal((await post(as.secretariat, `/operations/milestones/${kantoMilestone}/review`, [["review", "accepted"]])).status, 303);
  const detail = await as.operator.request(`/operations/milestones/${kantoMilestone}`);
  assert.ok(detail.text_.includes(`href="/operations/milestones/${kantoMilestone}/evidence/${wrong}/delete"`));
  assert.ok(!(await as.meti.request(`/operations/milestones/${kantoMilestone}`)).text_.includes(`/evidence/${wrong}/delete`), "no link for readers");
  const confirm = `/operations/milestones/${kantoMilestone}/evidence/${wrong}/delete`;
  for (const [role, status] of Object.entries({ operator: 200, secretariat: 200, meti: 403, bureau: 403, operator_other: 404 })) {
    assert.equal((await as[role].request(confirm)).status, status, role);
  }
  assert.equal((await as.secretariat.request(`/operations/milestones/${hokkaidoMilestone}/evidence/${wrong}/delete`)).status, 404,
    "evidence of another milestone is not reachable through this one");
  const ask = await as.operator.request(confirm);
  assert.match(ask.text_, /根拠資料「間違えた集計」を削除しますか/);
  assert.match(ask.text_, /このマイルストーンは確認済みです。削除すると「未確認」に戻り/);
  assert.equal((await post(as.operator_other, confirm, [])).status, 404);
  assert.equal((await post(as.meti, confirm, [])).status, 403);
  const done = await post(as.operator, confirm, []);
  assert.equal(done.status, 303);
  assert.equal(done.headers.get("location"), `/operations/milestones/${kantoMilestone}`);
  assert.match((await as.operator.request(`/operations/milestones/${kantoMilestone}`)).text_, /根拠資料を削除しました。確認済みだったため「未確認」に戻しました。/);
  assert.equal(sql(`SELECT COUNT(*) FROM milestone_evidence WHERE id = ${wrong}`), "0");
  assert.equal(sql(`SELECT review_state FROM milestones WHERE id = ${kantoMilestone}`), "none");
  assert.equal((await as.meti.request(`/operations/milestones/${kantoMilestone}/evidence/${wrong}`)).status, 404);
  assert.equal(sql(`SELECT detail FROM audit_log WHERE action = 'operation.milestone_evidence_delete' AND object = 'milestone:${kantoMilestone}'`),
    `{"evidence":${wrong},"kind":"file","sha256":"${sha}","review_reset":true}`);
  assert.equal((await post(as.operator, confirm, [])).status, 404, "gone");
});

test("the API lists the reader's milestones with their flags, paginated", async () => {
  const mine = JSON.parse((await as.operator.request("/api/v1/milestones?per_page=200")).text_);
  assert.ok(mine.total >= 5);
  assert.ok(mine.items.every((m) => m.operator_id === kanto));
  const all = JSON.parse((await as.secretariat.request("/api/v1/milestones?per_page=10&page=2")).text_);
  assert.equal(all.page, 2);
  assert.equal(all.per_page, 10);
  assert.equal(all.items.length, 10);
  assert.ok(all.total >= 50);
  const tohoku = operatorOf("tohoku");
  const late = JSON.parse((await as.secretariat.request(`/api/v1/milestones?operator=${tohoku}&per_page=200`)).text_);
  const flagged = late.items.filter((m) => m.flags.length);
  assert.equal(flagged.length, 1);
  assert.equal(flagged[0].flags[0].kind, "milestone_overdue");
  assert.match(flagged[0].flags[0].reason, /^マイルストーン「中間報告書の提出」の期限/);
  assert.equal(flagged[0].overdue, true);
  // Another operator's filter gives nothing to an operator; items out of reach are 404.
  const other = JSON.parse((await as.operator.request(`/api/v1/milestones?operator=${hokkaido}`)).text_);
  assert.equal(other.total, 0);
  assert.equal((await as.operator.request(`/api/v1/milestones/${hokkaidoMilestone}`)).status, 404);
  assert.equal((await as.secretariat.request("/api/v1/milestones?per_page=201")).status, 400);
  const one = JSON.parse((await as.bureau.request(`/api/v1/milestones/${kantoMilestone}`)).text_);
  assert.ok(one.evidence.some((e) => e.kind === "file" && e.download.startsWith(`/operations/milestones/${kantoMilestone}/evidence/`)));
});

test("settings, contract and plan: validated with messages beside the fields, audited", async () => {
  const bad = await post(as.secretariat, "/operations/settings", [["inactivity_weeks", "0"], ["programme_cap", "abc"]]);
  assert.equal(bad.status, 422);
  assert.match(bad.text_, /id="inactivity_weeks-error">/);
  assert.match(bad.text_, /id="programme_cap-error">事業全体の予算上限は円単位の整数で入力してください</);
  assert.equal((await post(as.secretariat, "/operations/settings", [["inactivity_weeks", "6"], ["programme_cap", "210,000,000"]])).status, 303);
  assert.equal(sql("SELECT value FROM operations_settings WHERE key = 'inactivity_weeks'"), "6");
  assert.equal((await post(as.operator, "/operations/settings", [["inactivity_weeks", "1"], ["programme_cap", "1"]])).status, 403);

  const contract = await post(as.secretariat, `/operations/operators/${kanto}/edit`, [
    ["contract_amount", "24,500,000"], ["contract_from", "2026-07-10"], ["contract_to", "2027-03-31"],
    ["contact_name_0", "連絡 花子"], ["contact_title_0", "事業部"], ["contact_email_0", "hanako@example.jp"],
  ]);
  assert.equal(contract.status, 303, contract.text_.slice(0, 600));
  assert.equal(sql(`SELECT contract_amount FROM operators WHERE id = ${kanto}`), "24500000");
  assert.equal(sql(`SELECT COUNT(*) || '|' || MAX(name) FROM operator_contacts WHERE operator_id = ${kanto}`), "1|連絡 花子");
  const wrong = await post(as.secretariat, `/operations/operators/${kanto}/edit`, [
    ["contract_amount", "24500000"], ["contract_from", "2027-04-01"], ["contract_to", "2027-03-31"], ["contact_email_0", "x"],
  ]);
  assert.equal(wrong.status, 422);
  assert.match(wrong.text_, /契約期間の終了日は開始日以降にしてください/);
  assert.match(wrong.text_, /連絡先 1 の氏名を入力してください/);
  assert.match(wrong.text_, /value="2027-04-01"/);

  const plan = await post(as.operator, `/operations/operators/${kanto}/plan`, [["final_goal", "IT 企業 30 社と学校 15 校の連携を定着させる"], ["project_target", "32"]]);
  assert.equal(plan.status, 303);
  assert.equal(sql(`SELECT project_target FROM operators WHERE id = ${kanto}`), "32");
  const badPlan = await post(as.operator, `/operations/operators/${kanto}/plan`, [["final_goal", "x"], ["project_target", "たくさん"]]);
  assert.equal(badPlan.status, 422);
  assert.match(badPlan.text_, /プロジェクト数の目標は 0〜10000 の整数で入力してください/);
  assert.equal((await post(as.operator_other, `/operations/operators/${kanto}/plan`, [["final_goal", "x"], ["project_target", "1"]])).status, 404);
});
