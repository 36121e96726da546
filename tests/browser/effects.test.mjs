// Browser flow of effect verification (issue 20) on the demo programme: the operator registers a
// survey, uploads the pre and post exports, maps the columns (a reversed item, a free-text
// column), checks the pairing, runs the analysis and reads the results with their charts; METI
// reads the roll-up across blocks. Every screen is axe clean (no serious or critical violation)
// at 1280 and 390 px and fits the narrow screen. Set KAKEHASHI_SCREENSHOTS to keep screenshots.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { startProgramme, PEOPLE } from "../http/milestones_fixture.mjs";
import { launch, openFromMenu } from "./chromium.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = process.env.KAKEHASHI_SCREENSHOTS;

const HEADER = "タイムスタンプ,出席番号,Q1 地域の企業に興味がある,Q2 自分で調べられる,Q3 発表は苦手だ,感想";
const LEVELS = ["全くそう思わない", "あまりそう思わない", "ややそう思う", "とてもそう思う"];
// Twelve pupils: Q1 rises by one level for most, Q2 barely moves, Q3 (reversed) falls.
function exportOf(wave) {
  const rows = [HEADER];
  for (let p = 1; p <= 12; ++p) {
    const base = 1 + (p % 3);
    const q1 = wave === "pre" ? base : Math.min(4, base + (p % 4 === 0 ? 0 : 1));
    const q2 = wave === "pre" ? 2 + (p % 2) : 2 + ((p + 1) % 2);
    const q3 = wave === "pre" ? Math.min(4, base + 1) : base;
    const comment = wave === "post" && p % 5 === 0 ? "企業の方の話が面白かった" : "";
    rows.push(`2026/${wave === "pre" ? "09/01" : "11/20"} 9:${String(p).padStart(2, "0")},S${String(p).padStart(2, "0")},${LEVELS[q1 - 1]},${LEVELS[q2 - 1]},${LEVELS[q3 - 1]},${comment}`);
  }
  return rows.join("\r\n") + "\r\n";
}

let programme, browser;
before(async () => {
  programme = await startProgramme();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await programme?.server.stop();
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
    await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 390, height: 844 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `${name} is ${width} px wide at 390 px`);
  violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${name} at 390 px: ${describe(violations)}`);
  await page.setViewportSize({ width: 1280, height: 900 });
}
async function signIn(page, email) {
  await page.goto(programme.server.base + "/login");
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("パスワード").fill(programme.passwords[email]);
  await Promise.all([page.waitForURL(programme.server.base + "/"), page.getByRole("button", { name: "ログイン" }).click()]);
}

test("an operator goes from upload to charts; METI reads the roll-up", async () => {
  const base = programme.server.base;
  const page = await browser.context.newPage();
  await signIn(page, PEOPLE.operator);
  await openFromMenu(page, "知見・効果", "効果検証");
  await page.waitForURL(base + "/effects");
  await check(page, "effects-index");
  await page.locator("main table a").first().click();
  await page.waitForURL(/\/effects\/operators\/\d+$/);
  assert.match(await page.locator("main").textContent(), /参加学校数/);
  assert.equal(await page.locator("main figure svg[role=img] desc").count(), 1);
  await check(page, "effects-operator");

  await page.getByRole("link", { name: "アンケートを登録" }).click();
  await page.getByLabel("アンケートの名前").fill("地域企業との探究学習 意識調査");
  await page.getByRole("button", { name: "登録する" }).click();
  await page.waitForURL(/\/effects\/surveys\/\d+$/);
  const surveyUrl = page.url();
  await page.getByLabel("事前の回答").setInputFiles({ name: "事前.csv", mimeType: "text/csv", buffer: Buffer.from(exportOf("pre")) });
  await page.getByLabel("事後の回答").setInputFiles({ name: "事後.csv", mimeType: "text/csv", buffer: Buffer.from(exportOf("post")) });
  await check(page, "effects-survey-upload");
  await page.getByRole("button", { name: "アップロードする" }).click();
  await page.waitForURL(surveyUrl + "/mapping");
  assert.equal(await page.getByLabel("回答者を識別する列").inputValue(), "出席番号");
  assert.equal(await page.getByLabel("選択肢（低い順に 1 行に 1 つ）").inputValue(), LEVELS.join("\n") + "\n");
  await page.getByLabel("Q3 発表は苦手だ は逆転項目").check();
  await page.getByLabel("感想 は自由記述").check();
  await page.getByLabel("Q1 地域の企業に興味がある のグラフでの名前").fill("地域企業への興味");
  await check(page, "effects-mapping");
  await page.getByRole("button", { name: "保存して突き合わせる" }).click();
  await page.waitForURL(surveyUrl + "/preview");
  assert.match(await page.locator(".facts").textContent(), /事前と事後がそろった回答者12 人/);
  await check(page, "effects-preview");
  await page.getByRole("button", { name: "分析する" }).click();
  await page.waitForURL(surveyUrl);
  const main = await page.locator("main").textContent();
  assert.match(main, /地域企業への興味: 事後の平均が事前より 0\.75 点高く、有意に向上した/);
  assert.match(main, /企業の方の話が面白かった/);
  assert.equal(await page.locator("main figure").count(), 2);
  await page.locator("main figure details summary").first().click();
  await check(page, "effects-results");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator("main figure").nth(1).getByRole("link", { name: "Excel（.xlsx）" }).click(),
  ]);
  assert.equal(download.suggestedFilename(), "地域企業との探究学習 意識調査 事前から事後への変化（95% 信頼区間）.xlsx");

  // Another person in the same profile: sign out, then in as METI.
  await page.context().clearCookies();
  await signIn(page, PEOPLE.meti);
  await page.goto(base + "/effects/rollup");
  assert.match(await page.locator("main").textContent(), /全国（10 ブロック）の集計です。/);
  assert.equal(await page.locator("main figure").count(), 4);
  await check(page, "effects-rollup");
  await page.goto(surveyUrl);
  assert.doesNotMatch(await page.locator("main").textContent(), /企業の方の話が面白かった/);
});
