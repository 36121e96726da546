// Browser flow of the operations module's part C (issue 15): the secretariat logs a visit with a
// next step for an operator, finds it in its to-do list and marks it done; records an expense
// with a receipt and sees the budget page change; downloads the XLSX exports; edits the staff.
// Every screen is axe clean (no serious or critical violation) at 1280 and 320 px, and usable
// with the keyboard's labels. Set KAKEHASHI_SCREENSHOTS to keep the screenshots.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { startServer, sql as sqlIn } from "../http/server.mjs";
import { launch } from "./chromium.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = process.env.KAKEHASHI_SCREENSHOTS;

const PASSWORD = "support flow password 123";
const SECRETARIAT = { email: "secretariat@example.jp", name: "事務 次郎", roles: ["secretariat"], org: "架け橋事務局", password: PASSWORD };
const PDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

let server, browser, operatorId;
const sql = (query) => sqlIn(server.db, query);

before(async () => {
  server = await startServer({
    users: [SECRETARIAT, { email: "a@operator.example", name: "実証 五郎", roles: ["operator"], org: "株式会社みらい産学連携", password: PASSWORD }],
  });
  const org = sql("SELECT id FROM organisations WHERE name = '株式会社みらい産学連携'");
  operatorId = sql(
    "INSERT INTO operators (call_id, organisation_id, name, contract_amount, contract_from, contract_to, created_at, updated_at) " +
      `VALUES (1, ${org}, '株式会社みらい産学連携', 24000000, '2026-08-01', '2027-03-31', '2026-08-01T00:00:00Z', '2026-08-01T00:00:00Z') RETURNING id`,
  );
  sql(`INSERT INTO operator_blocks (operator_id, call_id, block_id, amount) VALUES (${operatorId}, 1, 'kanto', 24000000)`);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function axeViolations(page) {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}
function describe(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`).join("\n");
}

// Axe at 1280 and at 320 px (nothing wider than the screen but scrollable tables), and a
// screenshot of each when asked.
async function check(page, name) {
  await page.setViewportSize({ width: 1280, height: 900 });
  let violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${name}: ${describe(violations)}`);
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 320, height: 800 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 320, `${name} is ${width} px wide at 320 px`);
  violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${name} at 320 px: ${describe(violations)}`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("a visit with a next step reaches the to-do list; an expense with a receipt moves the budget", async () => {
  const page = await browser.context.newPage();
  await page.goto(server.base + "/login");
  await page.getByLabel("メールアドレス").fill(SECRETARIAT.email);
  await page.getByLabel("パスワード").fill(PASSWORD);
  await Promise.all([page.waitForURL(server.base + "/"), page.getByRole("button", { name: "ログイン" }).click()]);

  // The support page of the operator, empty, then the form.
  await page.goto(`${server.base}/operations/operators/${operatorId}/support`);
  assert.match(await page.locator("main").textContent(), /まだ伴走支援の記録はありません。/);
  await check(page, "support-empty");
  await page.getByRole("link", { name: "支援を記録" }).click();
  await page.getByLabel("テーマ").fill("");
  await page.getByRole("button", { name: "保存する" }).click();
  assert.match(await page.locator(".error-summary").textContent(), /テーマを入力してください/);
  assert.equal(await page.getByLabel("テーマ").getAttribute("aria-invalid"), "true");
  await check(page, "support-form-errors");
  await page.getByLabel("実施日").fill("2026-11-12");
  await page.getByLabel("種類").selectOption({ label: "訪問" });
  await page.getByLabel("テーマ").fill("中間報告会に向けた進捗確認");
  await page.getByLabel("助言内容").fill("継続型の案件を優先して記録するよう助言。");
  await page.getByLabel("内容", { exact: true }).fill("中間報告資料のレビュー");
  await page.getByLabel("期限").fill("2026-11-30");
  await page.getByLabel("担当者（事務局）").selectOption({ label: SECRETARIAT.name });
  await page.getByRole("button", { name: "保存する" }).click();
  await page.waitForURL(`${server.base}/operations/operators/${operatorId}/support`);
  assert.match(await page.locator(".notice").first().textContent(), /支援の記録を保存しました。/);
  assert.match(await page.locator("main table").textContent(), /中間報告資料のレビュー/);
  await check(page, "support-log");

  // The support log as XLSX.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Excel で出力" }).click()]);
  assert.match(download.suggestedFilename(), /^伴走支援_株式会社みらい産学連携_\d{4}-\d{2}-\d{2}\.xlsx$/);

  // The owner's to-do list: the step, past due, then marked done from there.
  await page.getByRole("navigation", { name: "メインメニュー" }).getByRole("link", { name: "やること" }).click();
  await page.waitForURL(server.base + "/operations/todo");
  const row = page.locator("main tbody tr").filter({ hasText: "中間報告資料のレビュー" });
  assert.equal(await row.count(), 1);
  assert.match(await row.textContent(), /期限超過/);
  await check(page, "todo");
  await row.getByRole("button", { name: /完了にする/ }).click();
  await page.waitForURL(server.base + "/operations/todo");
  assert.match(await page.locator("main").textContent(), /担当している未完了のアクションはありません。/);
  assert.match(await page.locator(".notice").first().textContent(), /「中間報告資料のレビュー」を完了にしました。/);

  // An expense with a receipt: the budget page's totals move.
  await page.goto(server.base + "/operations/budget");
  assert.match(await page.locator("main").textContent(), /まだ支出は記録されていません。/);
  await page.getByRole("link", { name: "支出を記録" }).click();
  await page.getByLabel("支出日").fill("2026-10-05");
  await page.getByLabel("費目").selectOption({ label: "会場費" });
  await page.getByLabel("予算科目").fill("中間報告会 会場借料");
  await page.getByLabel("内容").fill("中間報告会（東京）会場使用料");
  await page.getByLabel("金額（円）").fill("１６５，０００");
  await page.getByLabel(/領収書/).setInputFiles({ name: "領収書.pdf", mimeType: "application/pdf", buffer: Buffer.from(PDF) });
  await check(page, "expense-form");
  await page.getByRole("button", { name: "保存する" }).click();
  await page.waitForURL(server.base + "/operations/budget");
  const facts = await page.locator(".facts").textContent();
  assert.match(facts, /事務局の支出165,000 円/);
  assert.match(facts, /残額185,835,000 円/);
  assert.match(await page.locator("main").textContent(), /領収書\.pdf/);
  await check(page, "budget");
  const [expenses] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Excel で出力" }).last().click()]);
  assert.match(expenses.suggestedFilename(), /^支出一覧_.*\.xlsx$/);
  const [plan] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Excel で出力" }).first().click()]);
  assert.match(plan.suggestedFilename(), /^予算_計画と実績_.*\.xlsx$/);

  // The plan grid and the staff pages are accessible too.
  await page.goto(server.base + "/operations/budget/plan");
  await page.getByLabel("2026年10月 会場費").fill("200,000");
  await check(page, "budget-plan");
  await page.getByRole("button", { name: "計画を保存する" }).click();
  await page.waitForURL(server.base + "/operations/budget");
  assert.equal(sql("SELECT planned FROM budget_plan WHERE month = '2026-10' AND category = 'venue'"), "200000");
  await page.goto(server.base + "/operations/staff/new");
  await page.getByLabel("氏名").fill("架橋 一太");
  await page.getByLabel("役割").fill("統括責任者");
  await page.getByLabel("従事割合（%）").fill("30");
  await check(page, "staff-form");
  await page.getByRole("button", { name: "保存する" }).click();
  await page.waitForURL(server.base + "/operations/staff");
  assert.match(await page.locator("main table").textContent(), /架橋 一太統括責任者30%/);
  await check(page, "staff");
  await page.close();
});
