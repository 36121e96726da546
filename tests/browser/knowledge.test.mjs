// Browser flow of the knowledge module (issue 19): an operator writes a case and sends it to
// review; the secretariat runs the personal-information check, accepts the finding with a
// reason, approves and publishes; a visitor finds the case on /cases with a two-character query
// and opens its page. Every screen is axe clean (no serious or critical violation) at 1280 and
// 390 px, nothing wider than the screen. Set KAKEHASHI_SCREENSHOTS to keep the screenshots.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { startServer } from "../http/server.mjs";
import { launch, openFromMenu } from "./chromium.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = process.env.KAKEHASHI_SCREENSHOTS;

const PASSWORD = "knowledge flow password 123";
const SECRETARIAT = { email: "secretariat@example.jp", name: "事務 次郎", roles: ["secretariat"], org: "架け橋事務局", password: PASSWORD };
const OPERATOR = { email: "a@operator.example", name: "実証 五郎", roles: ["operator"], org: "株式会社みらい産学連携", password: PASSWORD };

let server, browser;

before(async () => {
  server = await startServer({ users: [SECRETARIAT, OPERATOR] });
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
async function check(page, name) {
  await page.setViewportSize({ width: 1280, height: 900 });
  let violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${name}: ${describe(violations)}`);
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/${name}.jpg`, fullPage: true, type: "jpeg", quality: 80 });
  }
  await page.setViewportSize({ width: 390, height: 800 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `${name} is ${width} px wide at 390 px`);
  violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${name} at 390 px: ${describe(violations)}`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function login(page, who) {
  await page.goto(server.base + "/login");
  await page.getByLabel("メールアドレス").fill(who.email);
  await page.getByLabel("パスワード").fill(PASSWORD);
  await Promise.all([page.waitForURL(server.base + "/"), page.getByRole("button", { name: "ログイン" }).click()]);
}

test("a case goes from the operator's draft through the check to the public page", async () => {
  const operator = await browser.context.newPage();
  await login(operator, OPERATOR);
  await openFromMenu(operator, "知見・効果", "知見");
  await check(operator, "overview");
  await operator.goto(server.base + "/knowledge/cases");
  await operator.getByRole("link", { name: "事例を書く" }).click();
  // Nothing typed: every problem at once, beside its field.
  await operator.getByRole("button", { name: "保存する" }).click();
  assert.match(await operator.locator("#form-errors").textContent(), /タイトルを入力してください/);
  assert.match(await operator.locator("#form-errors").textContent(), /概要を入力してください/);
  await check(operator, "form-errors");
  await operator.getByLabel("タイトル").fill("金融機関と小学校の「お金の授業」");
  await operator.getByLabel("概要").fill("信用金庫の職員が買い物ゲームで家計の仕組みを教えた。問合せは 03-1234-5678 へ。");
  await operator.getByLabel(/取組の内容/).fill("## 内容\n- 模擬通貨で買い物\n- **貯める**と**使う**を比べる");
  await operator.getByLabel("カネ").check();
  await operator.getByLabel("地域ブロック").selectOption("kanto");
  await operator.getByLabel("都道府県").fill("東京都");
  await operator.getByRole("checkbox", { name: "小学校", exact: true }).first().check();
  await operator.getByLabel(/公開の同意を得た/).check();
  await Promise.all([operator.waitForURL(/\/knowledge\/items\/\d+$/), operator.getByRole("button", { name: "保存する" }).click()]);
  assert.match(await operator.locator(".notice").first().textContent(), /下書きを保存しました。/);
  await check(operator, "item-draft");
  await operator.getByRole("button", { name: "レビューに回す" }).click();
  assert.match(await operator.locator("main").textContent(), /レビュー中/);
  const url = operator.url();

  await browser.context.clearCookies();
  const secretariat = operator;
  await login(secretariat, SECRETARIAT);
  await secretariat.goto(url);
  await secretariat.getByRole("button", { name: "承認する" }).click();
  assert.match(await secretariat.locator("#action-error").textContent(),
               /個人情報の可能性がある箇所が 1 件あります。本文を修正するか、理由を記入して公開を了承してください/);
  await check(secretariat, "item-findings");
  await secretariat.getByLabel("本文を直さずに公開してよい理由").fill("信用金庫の代表番号で、掲載の了承を得ている");
  await secretariat.getByRole("button", { name: "理由を記録して了承する" }).click();
  await secretariat.getByRole("button", { name: "承認する" }).click();
  await secretariat.getByRole("button", { name: "公開する" }).click();
  assert.match(await secretariat.locator(".notice").first().textContent(), /公開しました。/);
  await check(secretariat, "item-published");
  await secretariat.goto(server.base + "/knowledge/stakeholders");
  await check(secretariat, "stakeholders");

  // A visitor without an account.
  await browser.context.clearCookies();
  const visitor = operator;
  await visitor.goto(server.base + "/cases");
  await visitor.getByLabel("事例を検索").fill("金融");
  await visitor.getByRole("button", { name: "検索" }).click();
  assert.match(await visitor.locator(".knowledge-hits").textContent(), /「金融」の検索結果 1 件/);
  assert.equal(await visitor.locator(".knowledge-hit mark").first().textContent(), "金融");
  await check(visitor, "public-search");
  await visitor.getByRole("link", { name: "金融機関と小学校の「お金の授業」" }).click();
  assert.match(await visitor.locator("h1").textContent(), /金融機関と小学校/);
  assert.equal(await visitor.locator(".knowledge-body strong").first().textContent(), "貯める");
  await check(visitor, "public-case");
  await visitor.goto(server.base + "/cases/stakeholders");
  await check(visitor, "public-stakeholders");
});
