// Browser test (issue #2): log in through the real page, see the dashboard, find no serious or
// critical accessibility violation (axe-core), and no request leaving 127.0.0.1.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { startServer } from "../http/server.mjs";
import { launch } from "./chromium.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = process.env.KAKEHASHI_SCREENSHOTS;  // a folder to keep screenshots in, when set

const USER = { email: "meti@example.jp", name: "経産 花子", roles: ["meti"], password: "meti password 123", org: "経済産業省" };

let server, browser;
const requested = [];
before(async () => {
  server = await startServer({ users: [USER] });
  browser = await launch();
  browser.context.on("request", (request) => requested.push(request.url()));
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// Runs axe-core in the page (evaluated through DevTools, so our CSP stays as it is).
async function axeViolations(page) {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

function describe(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`).join("\n");
}

async function shot(page, name) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

test("log in, see the dashboard, accessible and without outside requests", async () => {
  const page = await browser.context.newPage();
  const cspErrors = [];
  page.on("console", (message) => {
    if (message.type() === "error") cspErrors.push(message.text());
  });
  await page.goto(server.base + "/");
  assert.match(page.url(), /\/login\?next=\//);
  assert.deepEqual(await axeViolations(page), [], "login page");
  await shot(page, "login");

  // Keyboard only: the e-mail field, then the password, then the button.
  await page.getByLabel("メールアドレス").fill(USER.email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(USER.password);
  await page.keyboard.press("Enter");
  await page.waitForURL(server.base + "/");

  assert.equal(await page.locator("h1").textContent(), "ダッシュボード");
  assert.equal(await page.locator("html").getAttribute("lang"), "ja");
  assert.equal(await page.locator(".month-calendar").count(), 1);
  assert.equal(await page.locator("#blocks-heading + .table-wrap tbody tr").count(), 10);
  assert.match(await page.locator(".site-header__user-name").textContent(), /経産 花子/);
  assert.deepEqual(await axeViolations(page), [], "dashboard");
  await shot(page, "dashboard");

  // Usable at 320 px: nothing wider than the screen but the scrollable tables.
  await page.setViewportSize({ width: 320, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 320, `page is ${overflow} px wide at 320 px`);
  assert.deepEqual(await axeViolations(page), [], "dashboard at 320 px");
  await shot(page, "dashboard-320");

  assert.deepEqual(cspErrors, [], "no console errors (CSP violations show up here)");
  const outside = requested.filter((url) => !url.startsWith(server.base + "/"));
  assert.deepEqual(outside, [], "no request leaves 127.0.0.1");
  await page.close();
});

test("an axe violation would be reported (the scan really runs)", async () => {
  const page = await browser.context.newPage();
  await page.goto(server.base + "/login");
  await page.evaluate(() => {
    const image = document.createElement("img");
    image.src = "/static/app.css";
    document.querySelector("main").appendChild(image);
  });
  const violations = await axeViolations(page);
  assert.ok(violations.some((v) => v.id === "image-alt"), describe(violations));
  await page.close();
});
