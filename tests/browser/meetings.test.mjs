// Browser flow of the meetings (issue 17) on the demo programme year: the secretariat opens 会議
// from the navigation, adds a meeting held yesterday with its agenda (over the time box, which the
// page says), writes the minutes in the editor (the live preview follows the text, autosave says
// when it saved), submits them; METI confirms; the page shows them confirmed and locked. Every
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
    await page.screenshot({ path: `${SHOTS}/meetings-${name}.png`, fullPage: true });
    await page.screenshot({ path: `${SHOTS}/meetings-${name}.jpg`, fullPage: true, type: "jpeg", quality: 75 });
  }
  await page.setViewportSize({ width: 390, height: 800 });
  assert.deepEqual(await axeViolations(page), [], `${name} at 390 px`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `${name} is ${width} px wide at 390 px`);
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

function japanDay(days) {
  return new Date(Date.now() + days * 86400000 + 9 * 3600000).toISOString().slice(0, 10);
}

test("from the agenda to confirmed minutes", async () => {
  const base = programme.server.base;
  const page = await browser.context.newPage();
  const errors = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !/status of 422/.test(message.text())) errors.push(message.text());
  });
  await logIn(page, "secretariat");
  await openFromMenu(page, "会議・イベント", "会議");
  await page.waitForURL(base + "/meetings");
  assert.ok(await page.locator("table tbody tr").count() >= 5, "the demo's meetings");
  await check(page, "list");

  // A meeting held yesterday; the first try forgets the title and is refused with the rest kept.
  await page.getByRole("link", { name: "会議を追加" }).click();
  await page.getByLabel("日付").fill(japanDay(-1));
  await page.getByLabel("場所").fill("経済産業省 別館 会議室");
  await page.getByRole("button", { name: "保存する" }).click();
  assert.match(await page.locator("#form-errors").textContent(), /会議名を入力してください/);
  assert.equal(await page.getByLabel("場所").inputValue(), "経済産業省 別館 会議室");
  await page.getByLabel("会議名").fill("成果発信の臨時打合せ");
  await page.getByRole("checkbox", { name: "経産 花子（経済産業省）" }).check();
  await check(page, "form");
  await page.getByRole("button", { name: "保存する" }).click();
  await page.waitForURL(/\/meetings\/\d+$/);
  const meetingUrl = page.url();
  assert.match(await page.locator(".notice--success").textContent(), /会議を追加しました。/);

  // Agenda: 40 + 30 minutes in a 60-minute meeting.
  for (const [title, minutes] of [["成果報告会の構成", "40"], ["広報計画", "30"]]) {
    await page.locator("#agenda-title").fill(title);
    await page.getByLabel("時間（分）").fill(minutes);
    await page.getByRole("button", { name: "議題を追加", exact: true }).click();
    await page.locator("#agenda ~ .table-wrap", { hasText: title }).waitFor();
  }
  assert.match(await page.locator("#agenda ~ .notice--warning").first().textContent(), /議題の合計（70分）が会議時間（60分）を 10 分超えています/);
  await page.locator("#action-title").fill("登壇候補の学校に打診する");
  await page.getByLabel("担当者の氏名（出席者以外）").fill("事務局 佐藤");
  await page.getByRole("button", { name: "追加", exact: true }).last().click();
  await page.locator("#actions ~ .evidence-list", { hasText: "登壇候補の学校に打診する" }).waitFor();
  await check(page, "meeting");

  // Minutes: the preview follows, autosave reports.
  await page.getByRole("link", { name: "議事録を書く" }).click();
  const text = page.getByLabel("議事録（Markdown）");
  await text.fill("## 成果報告会の構成\n\n- 午前は**学校の発表**、午後はパネル討論とする。\n");
  await page.locator("#minutes-preview strong", { hasText: "学校の発表" }).waitFor();
  await page.locator("#save-status", { hasText: "に自動保存しました。" }).waitFor({ timeout: 10000 });
  await check(page, "minutes-editor");
  await page.getByRole("button", { name: "保存して経済産業省に提出する" }).click();
  await page.waitForURL(meetingUrl + "#minutes");
  assert.match(await page.locator(".notice--success").textContent(), /議事録を提出しました。/);

  // METI confirms.
  await browser.context.clearCookies();
  await logIn(page, "meti");
  await page.goto(meetingUrl);
  assert.match(await page.locator(".minutes-body").textContent(), /午前は学校の発表/);
  await check(page, "confirm");
  await page.getByRole("button", { name: "議事録を確定する" }).click();
  await page.waitForURL(meetingUrl + "#minutes");
  assert.match(await page.locator(".notice--success").textContent(), /議事録を確定しました。/);
  assert.match(await page.locator("#minutes ~ p").first().textContent(), /確定/);
  assert.deepEqual(errors, []);
});
