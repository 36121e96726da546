// Browser flow of the operations screens of part A (issue 15), on the demo programme year: the
// demo operator adds a milestone (past due, to raise a red flag) with a CSV file as evidence that
// passes the publication-safety inspector, the secretariat reviews it (要対応, with a comment), and
// the programme dashboard shows the flag on the 関東 tile; every screen axe-clean at 1280 and
// 320 px, nothing wider than 320 px. KAKEHASHI_SCREENSHOTS=<dir> keeps screenshots (user guide).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startProgramme, PEOPLE } from "../http/milestones_fixture.mjs";
import { launch } from "./chromium.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = process.env.KAKEHASHI_SCREENSHOTS;

let programme, browser, files;
before(async () => {
  programme = await startProgramme();
  browser = await launch();
  files = mkdtempSync(join(tmpdir(), "kakehashi-evidence-"));
});
after(async () => {
  await browser?.close();
  await programme?.server.stop();
  if (files) rmSync(files, { recursive: true, force: true });
});

async function axeViolations(page) {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

// axe at 1280 and 320 px, no horizontal scroll at 320 px, and a screenshot of each when asked.
async function check(page, name) {
  assert.deepEqual(await axeViolations(page), [], `${name} at 1280 px`);
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/milestones-${name}.png`, fullPage: true });
    await page.screenshot({ path: `${SHOTS}/milestones-${name}.jpg`, fullPage: true, type: "jpeg", quality: 80 });
  }
  await page.setViewportSize({ width: 320, height: 800 });
  assert.deepEqual(await axeViolations(page), [], `${name} at 320 px`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 320, `${name} is ${width} px wide at 320 px`);
  if (SHOTS) {
    await page.screenshot({ path: `${SHOTS}/milestones-${name}-320.png`, fullPage: true });
    await page.screenshot({ path: `${SHOTS}/milestones-${name}-320.jpg`, fullPage: true, type: "jpeg", quality: 80 });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function logIn(page, key) {
  const email = PEOPLE[key];
  await page.goto(programme.server.base + "/login");
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("パスワード").fill(programme.passwords[email]);
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

// A Japan date `days` from today, "YYYY-MM-DD".
function japanDay(days) {
  return new Date(Date.now() + days * 86400000 + 9 * 3600000).toISOString().slice(0, 10);
}

test("operator adds a milestone with evidence, the secretariat reviews, the dashboard shows the flag", async () => {
  const base = programme.server.base;
  const page = await browser.context.newPage();
  const errors = [];
  page.on("console", (message) => {
    // The refused form answers 422 on purpose; anything else (a CSP violation …) is an error.
    if (message.type() === "error" && !/status of 422/.test(message.text())) errors.push(message.text());
  });

  // The operator: its dashboard, its milestones, the form (with a refused first try).
  await logIn(page, "operator");
  await page.getByRole("navigation", { name: "メインメニュー" }).getByRole("link", { name: "事業運営" }).click();
  await page.waitForURL(base + "/operations");
  assert.equal(await page.locator(".block-map > li").count(), 10);
  assert.equal(await page.locator(".block-tile--muted").count(), 9, "only 関東 is in the operator's reach");
  await check(page, "dashboard-operator");
  await page.getByRole("link", { name: "関東" }).click();
  await page.getByRole("link", { name: "株式会社みらい産学連携" }).first().click();
  await page.getByRole("link", { name: "マイルストーン" }).click();
  assert.ok(await page.locator("table tbody tr").count() >= 5);
  await check(page, "list");
  await page.getByRole("link", { name: "マイルストーンを追加" }).click();
  await page.getByLabel("タイトル").fill("地域協議会の設立");
  await page.getByRole("button", { name: "保存する" }).click();
  assert.match(await page.locator("#form-errors").textContent(), /期限を入力してください/);
  assert.equal(await page.getByLabel("タイトル").inputValue(), "地域協議会の設立", "kept as typed");
  await check(page, "form-errors");
  await page.getByLabel("期限").fill(japanDay(-3));
  await page.getByLabel("状態").selectOption("in_progress");
  await page.getByLabel("担当者（氏名・部署を自由に記入）").fill("企画部 協議会担当");
  await page.getByRole("button", { name: "保存する" }).click();
  await page.waitForURL(/\/operations\/milestones\/\d+$/);
  const milestoneUrl = page.url();
  assert.match(await page.locator(".notice--success").textContent(), /マイルストーンを追加しました。/);
  assert.equal(await page.locator(".facts .badge--flag").first().textContent(), "期限超過");

  // Evidence: a CSV that passes the inspector.
  const csv = join(files, "協議会準備会_参加団体数.csv");
  writeFileSync(csv, "区分,団体数\n企業,12\n学校,5\n自治体,2\n");
  await page.getByLabel("ファイル（PDF・Excel・Word・PowerPoint・CSV、10 MB まで）").setInputFiles(csv);
  await page.locator("#file_title").fill("準備会の参加団体数");
  await page.getByRole("button", { name: "ファイルを登録" }).click();
  await page.waitForURL(milestoneUrl);
  assert.match(await page.locator(".notice--success").textContent(), /根拠資料を登録しました。/);
  assert.match(await page.locator(".evidence-list").textContent(), /準備会の参加団体数[\s\S]*公開前チェック: 公開できます/);
  await check(page, "detail-operator");

  // The secretariat reviews it.
  await browser.context.clearCookies();
  await logIn(page, "secretariat");
  await page.goto(milestoneUrl);
  await page.getByRole("radio", { name: "要対応" }).check();
  await page.getByRole("textbox", { name: /コメント/ }).fill("協議会の規約案も添付してください。");
  await page.getByRole("button", { name: "確認結果を保存して通知" }).click();
  await page.waitForURL(milestoneUrl);
  assert.match(await page.locator(".notice--success").textContent(), /確認結果「要対応」を保存し、実証事業者に通知しました。/);
  assert.match(await page.locator(".facts").first().textContent(), /要対応/);
  await check(page, "detail-review");

  // The dashboard: ten blocks, 関東 flagged with the new milestone's reason first.
  await page.goto(base + "/operations");
  assert.equal(await page.locator(".block-tile--muted").count(), 0);
  const kanto = page.locator(".block-tile--kanto");
  assert.match(await kanto.getAttribute("class"), /block-tile--flagged/);
  assert.match(await kanto.locator(".block-tile__reason").textContent(), /マイルストーン「地域協議会の設立」の期限（\d+月\d+日）を 3 日過ぎています/);
  assert.ok(await page.locator(".block-tile--flagged").count() >= 4);
  await check(page, "dashboard");
  await page.locator(".block-tile--kanto a").click();
  assert.match(await page.locator(".flag-list").textContent(), /地域協議会の設立/);
  await check(page, "block");
  await page.goto(base + "/operations/operators");
  await check(page, "operators");

  // The operator finds the notification.
  await browser.context.clearCookies();
  await logIn(page, "operator");
  await page.goto(base + "/notifications");
  assert.match(await page.locator("main").textContent(), /マイルストーン「地域協議会の設立」の確認結果: 要対応/);

  assert.deepEqual(errors, [], "no console errors (CSP violations show up here)");
  await page.close();
});
