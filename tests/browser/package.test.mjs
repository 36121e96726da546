// Browser flow of the report package (issue 25) on the demo programme year: the secretariat opens
// 報告書 from the menu, edits a chapter (the live preview follows the text), saves it, starts a
// build, watches its progress until it is built and downloads the public set as a ZIP; the demo
// operator (関東) opens its returned final report from its home, uploads a new version with its
// summary and consent, and the secretariat accepts it from the list of final reports. Every
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

async function login(page, email) {
  await browser.context.clearCookies();
  await page.goto(programme.server.base + "/login");
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("パスワード").fill(programme.passwords[email]);
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
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

test("the operator uploads its returned final report again; the secretariat accepts it", async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  const kanto = programme.operatorOf("kanto");
  await login(page, PEOPLE.operator);
  await page.getByRole("link", { name: "差し戻された成果報告書を直して、もう一度提出してください" }).click();
  await page.getByRole("heading", { name: /成果報告書（株式会社みらい産学連携）/, level: 1 }).waitFor();
  // The file the operator sent before, sent again as the new version.
  const previous = await page.request.get(`${programme.server.base}/package/final-reports/${kanto}/files/1`);
  assert.equal(previous.status(), 200);
  await page.getByLabel(/成果報告書のファイル/).setInputFiles({
    name: "成果報告書_関東_第2版.pdf", mimeType: "application/pdf", buffer: await previous.body(),
  });
  await page.getByLabel(/概要（800文字以内）/).fill(
    "首都圏の企業30社と学校の連携を仲介し、28校で42件のプロジェクトを実施した。\n\n事後調査では、参加した生徒の8割が「社会の課題に関心を持った」と答えた。");
  await page.getByLabel("成果報告書を経済産業省のウェブサイト等で公開することに同意する").check();
  await check(page, "final-report-operator");
  await page.getByRole("button", { name: "提出する" }).click();
  await page.getByText("成果報告書（第2版）を提出しました。事務局の確認をお待ちください。").waitFor();

  await login(page, PEOPLE.secretariat);
  await openFromMenu(page, "知見・効果", "成果報告書");
  await page.getByRole("heading", { name: "成果報告書", level: 1 }).waitFor();
  await check(page, "final-reports");
  await page.getByRole("link", { name: "株式会社みらい産学連携" }).click();
  await page.getByRole("button", { name: "受理する" }).waitFor();
  await check(page, "final-report-review");
  await page.getByRole("button", { name: "受理する" }).click();
  await page.getByText("成果報告書を受理しました。実証事業者に通知しました。").waitFor();
  await page.close();
});
