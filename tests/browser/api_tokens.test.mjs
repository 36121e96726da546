// Browser test: a person makes an API token on their own page (validation beside the fields, the
// secret shown once with a copy button), and revokes it after a confirmation page; axe-clean at
// 1280 and 320 px, nothing wider than the screen but the scrollable table.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { startServer } from "../http/server.mjs";
import { launch } from "./chromium.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = process.env.KAKEHASHI_SCREENSHOTS;  // a folder to keep screenshots in, when set

const OPERATOR = { email: "op@sakura.example", name: "事業 太郎", roles: ["operator"], password: "operator pass 1", org: "株式会社サクラ" };

let server, browser;
before(async () => {
  server = await startServer({ users: [OPERATOR] });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function axeViolations(page) {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function shot(page, name) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  await page.screenshot({ path: `${SHOTS}/${name}.jpg`, fullPage: true, quality: 80 });
}

async function fitsAt(page, width, what) {
  await page.setViewportSize({ width, height: 800 });
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  const wide = await page.evaluate((w) => [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > w && !e.parentElement.closest(".table-wrap"))
    .map((e) => `${e.tagName}.${e.className}:${Math.round(e.getBoundingClientRect().right)}`).slice(0, 5).join(" "), width);
  assert.ok(scroll <= width, `${what} is ${scroll} px wide at ${width} px: ${wide}`);
  assert.deepEqual(await axeViolations(page), [], `${what} at ${width} px`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("make an API token on the own page, copy it once, and revoke it after confirming", async () => {
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.base });
  const page = await browser.context.newPage();
  await page.goto(server.base + "/login");
  await page.getByLabel("メールアドレス").fill(OPERATOR.email);
  await page.getByLabel("パスワード").fill(OPERATOR.password);
  await page.keyboard.press("Enter");
  await page.waitForURL(server.base + "/");

  await page.getByRole("link", { name: "API トークン" }).first().click();
  await page.waitForURL(server.base + "/account/tokens");
  assert.equal(await page.locator("h1").textContent(), "API トークン");
  assert.equal(await page.getByText("まだ API トークンはありません。").count(), 1);
  assert.deepEqual(await axeViolations(page), [], "empty token page");
  await fitsAt(page, 320, "empty token page");

  // Mistakes are shown beside their fields, with what was typed kept (only spaces pass the
  // browser's own check of the required name).
  await page.getByLabel("名前（用途）").fill("   ");
  await page.getByLabel("有効期間（日数）").fill("500");
  await page.getByRole("button", { name: "トークンを作成する" }).click();
  await page.waitForLoadState();
  assert.equal(await page.locator("#name-error").textContent(), "トークンの名前を入力してください");
  assert.equal(await page.locator("#days-error").textContent(), "有効期間は 1〜365 の日数（半角数字）で入力してください");
  assert.equal(await page.getByLabel("有効期間（日数）").inputValue(), "500");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "form-errors", "focus moves to the error summary");
  assert.deepEqual(await axeViolations(page), [], "form with errors");

  await page.getByLabel("名前（用途）").fill("月次集計の Excel");
  await page.getByLabel("有効期間（日数）").fill("90");
  await page.getByRole("button", { name: "トークンを作成する" }).click();
  await page.waitForLoadState();
  assert.equal(await page.getByRole("heading", { name: "API トークン「月次集計の Excel」を作成しました" }).count(), 1);
  const secret = await page.getByLabel("トークン", { exact: true }).inputValue();
  assert.match(secret, /^kk_\d+_[A-Za-z0-9_-]{43}$/);
  await page.getByRole("button", { name: "コピーする" }).click();
  await page.getByText("コピーしました").waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
  assert.deepEqual(await axeViolations(page), [], "token just made");
  await shot(page, "tokens-created");
  await fitsAt(page, 320, "token just made");

  // The token works; the next visit no longer shows its secret.
  const me = await fetch(server.base + "/api/v1/me", { headers: { authorization: `Bearer ${secret}` } });
  assert.equal((await me.json()).name, OPERATOR.name);
  await page.goto(server.base + "/account/tokens");
  assert.equal(await page.getByLabel("トークン", { exact: true }).count(), 0);
  const row = page.locator("tbody tr");
  assert.equal(await row.count(), 1);
  const cells = await row.first().locator("th, td").allTextContents();
  assert.equal(cells[0], "月次集計の Excel");
  assert.notEqual(cells[3], "—", "last used is shown");
  assert.equal(cells[4], "有効");
  await shot(page, "tokens");

  const revoke = row.first().getByRole("link");
  assert.equal(await revoke.textContent(), "失効させる（月次集計の Excel）");
  await revoke.click();
  await page.waitForURL(/\/account\/tokens\/\d+\/revoke$/);
  assert.equal(await page.locator("h1").textContent(), "API トークンの失効");
  assert.deepEqual(await axeViolations(page), [], "revoke confirmation");
  await fitsAt(page, 320, "revoke confirmation");
  await shot(page, "tokens-revoke");
  await page.getByRole("button", { name: "失効させる" }).click();
  await page.waitForURL(server.base + "/account/tokens");
  assert.equal(await page.getByText("API トークン「月次集計の Excel」を失効させました。").count(), 1);
  assert.equal((await row.first().locator("td").allTextContents())[3], "失効");
  assert.deepEqual(await axeViolations(page), [], "after revoking");
  const refused = await fetch(server.base + "/api/v1/me", { headers: { authorization: `Bearer ${secret}` } });
  assert.equal(refused.status, 401);
});
