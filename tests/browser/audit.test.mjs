// Browser test: the security officer filters the audit log by person and action through the
// form, sees names and readable labels, and finds the checkpoints panel; axe-clean at 1280 and
// 390 px, nothing wider than the screen but the scrollable table.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { startServer, Browser } from "../http/server.mjs";
import { launch, openFromMenu } from "./chromium.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = process.env.KAKEHASHI_SCREENSHOTS;  // a folder to keep screenshots in, when set

const OFFICER = { email: "joho@example.jp", name: "情報 次郎", roles: ["security_officer"], password: "officer pass 12" };
const SECRETARIAT = { email: "jimu@example.jp", name: "事務 花子", roles: ["secretariat"], password: "secretariat pass 1", org: "架け橋事務局" };

let server, browser;
before(async () => {
  server = await startServer({ users: [OFFICER, SECRETARIAT] });
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
}

async function logIn(page, user) {
  await page.goto(server.base + "/login");
  await page.getByLabel("メールアドレス").fill(user.email);
  await page.getByLabel("パスワード").fill(user.password);
  await page.keyboard.press("Enter");
  await page.waitForURL(server.base + "/");
}

test("the security officer filters the audit log by person and action, with names and labels", async () => {
  // The secretariat signs in elsewhere, so the log has someone else's login to find.
  assert.equal((await new Browser(server.base).login(SECRETARIAT.email, SECRETARIAT.password)).status, 303);

  const page = await browser.context.newPage();
  await logIn(page, OFFICER);
  await openFromMenu(page, "管理", "監査ログ");
  await page.waitForURL(server.base + "/admin/audit");
  assert.equal(await page.locator("h1").textContent(), "監査ログ");
  assert.equal(await page.getByRole("heading", { name: "署名付きチェックポイント" }).count(), 1);
  assert.deepEqual(await axeViolations(page), [], "audit log at 1280 px");
  await shot(page, "audit");

  await page.getByLabel("実行者").selectOption({ label: SECRETARIAT.name });
  await page.getByLabel("操作", { exact: true }).selectOption({ label: "ログイン" });
  await page.getByRole("button", { name: "絞り込む" }).click();
  await page.waitForURL(/\/admin\/audit\?actor=user%3A\d+&action=auth\.login&/);
  const actor = new URL(page.url()).searchParams.get("actor");
  const rows = page.locator(".table--audit tbody tr");
  assert.equal(await rows.count(), 1);
  const cells = await rows.first().locator("td").allTextContents();
  assert.match(cells[2], new RegExp(`^${SECRETARIAT.name}user:\\d+$`));
  assert.equal(cells[3], "ログインauth.login");
  assert.match(await page.locator(".lead").textContent(), /条件に合う記録 1 件。/);
  assert.equal(await page.getByRole("link", { name: "絞り込んだ記録を CSV で書き出す" }).getAttribute("href"),
               `/admin/audit/export.csv?actor=${encodeURIComponent(actor)}&action=auth.login`);
  assert.deepEqual(await axeViolations(page), [], "filtered audit log");
  await shot(page, "audit-filtered");

  await page.setViewportSize({ width: 390, height: 844 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `page is ${width} px wide at 390 px`);
  assert.deepEqual(await axeViolations(page), [], "audit log at 390 px");
  await shot(page, "audit-390");
});
