// Browser flow of the report package (issue 25) on the demo programme year: the secretariat opens
// 報告書 from the menu, edits a chapter (the live preview follows the text), saves it, starts a
// build, watches its progress until it is built and downloads the public set as a ZIP. Every
// screen axe-clean at 1280 and 390 px, nothing wider than 390 px. KAKEHASHI_SCREENSHOTS=<dir>
// keeps screenshots (user guide).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { startProgramme, PEOPLE } from "../http/milestones_fixture.mjs";
import { launch, openFromMenu } from "./chromium.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = process.env.KAKEHASHI_SCREENSHOTS;

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
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function check(page, name) {
  assert.deepEqual(await axeViolations(page), [], `${name} at 1280 px`);
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/package-${name}.png`, fullPage: true });
    await page.screenshot({ path: `${SHOTS}/package-${name}.jpg`, fullPage: true, type: "jpeg", quality: 75 });
  }
  await page.setViewportSize({ width: 390, height: 800 });
  assert.deepEqual(await axeViolations(page), [], `${name} at 390 px`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `${name} is ${width} px wide at 390 px`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("the secretariat edits a chapter, builds the package and downloads the public set", async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  const email = PEOPLE.secretariat;
  await page.goto(programme.server.base + "/login");
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("パスワード").fill(programme.passwords[email]);
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));

  await openFromMenu(page, "知見・効果", "報告書");
  await page.getByRole("heading", { name: "報告書パッケージ", level: 1 }).waitFor();
  await check(page, "overview");

  await page.getByRole("link", { name: "第1章 はじめに" }).click();
  const body = page.getByLabel("本文（Markdown）");
  await body.fill("本報告書は本年度の成果をまとめたものである。\n\n## 読み方\n\n**各章の要点**を冒頭に置いた。\n");
  await page.locator("#chapter-preview strong", { hasText: "各章の要点" }).waitFor();
  await check(page, "chapter");
  await page.getByRole("button", { name: "保存する" }).click();
  await page.getByText("章を保存しました。").waitFor();

  await page.goto(programme.server.base + "/package");
  await page.getByRole("button", { name: "パッケージを作成する" }).click();
  await page.getByText("報告書パッケージの作成を始めました。").waitFor();
  await page.getByText("状態: 作成済み").waitFor({ timeout: 60000 });
  await check(page, "build");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: /公開用（報告書 PDF・図表データ）の ZIP/ }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^報告書パッケージ_\d+_公開\.zip$/);
  await page.close();
});
