// Browser flow of the activity-list import (issue 15, part B): an operator uploads a CSV whose
// rows write one company two ways, maps the columns, sees the merge with its reason, confirms,
// and finds the projects listed; every screen axe-clean at 1280 and 320 px.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { startServer, sql as sqlIn } from "../http/server.mjs";
import { launch } from "./chromium.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = process.env.KAKEHASHI_SCREENSHOTS;

const OPERATOR = { email: "op@example.jp", name: "実証 五郎", roles: ["operator"], password: "operator password 123", org: "株式会社ほっかいどう連携" };
const CSV =
  "実施日,内容,企業,学校,学校種,都道府県,児童生徒数,区分\n" +
  "2026/10/05,英語の出前授業,株式会社みらい英語,札幌市立北小学校,小学校,北海道,30,ヒト\n" +
  "2026/10/12,英語の出前授業（第2回）,(株)みらい英語,札幌市立北小学校,小学校,北海道,28,ヒト\n" +
  "2026/10/19,プログラミング教室,ＩＴラボ株式会社,旭川市立東中学校,中学校,北海道,25,ヒト\n";

let server, browser;
const requested = [];
before(async () => {
  server = await startServer({ users: [OPERATOR] });
  const org = sqlIn(server.db, `SELECT id FROM organisations WHERE name = '${OPERATOR.org}'`);
  const now = "2026-09-01T00:00:00Z";
  sqlIn(server.db, `INSERT INTO operators (id, call_id, organisation_id, name, contract_amount, contract_from, contract_to, created_at, updated_at)
       VALUES (1, 1, ${org}, '${OPERATOR.org}', 20000000, '2026-07-10', '2027-03-31', '${now}', '${now}')`);
  sqlIn(server.db, `INSERT INTO operator_blocks (operator_id, call_id, block_id, amount) VALUES (1, 1, 'hokkaido', 20000000)`);
  browser = await launch();
  browser.context.on("request", (request) => requested.push(request.url()));
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function axeViolations(page) {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

// Axe-clean at 1280 px and at 320 px (where only scrollable tables may be wider than the screen).
async function checkScreen(page, name) {
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.deepEqual(await axeViolations(page), [], `${name} at 1280 px`);
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/projects-${name}.jpg`, fullPage: true, quality: 80 });
  }
  await page.setViewportSize({ width: 320, height: 800 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  const wide = await page.evaluate(() => [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > 321 && !e.parentElement?.closest(".table-wrap"))
    .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className}#${e.id}`));
  assert.ok(width <= 320, `${name} is ${width} px wide at 320 px: ${wide.join(", ")}`);
  assert.deepEqual(await axeViolations(page), [], `${name} at 320 px`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("an operator imports an activity list, sees the merge with its reason, confirms, and finds the projects", async () => {
  const page = await browser.context.newPage();
  await page.goto(server.base + "/login");
  await page.getByLabel("メールアドレス").fill(OPERATOR.email);
  await page.getByLabel("パスワード").fill(OPERATOR.password);
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.waitForURL(server.base + "/");

  await page.goto(server.base + "/operations/operators/1/projects");
  assert.match(await page.locator(".empty").textContent(), /まだプロジェクトが登録されていません/);
  await checkScreen(page, "list-empty");
  await page.getByRole("link", { name: "活動一覧を取り込む" }).click();
  await checkScreen(page, "import-new");
  await page.getByLabel("活動一覧のファイル").setInputFiles({ name: "活動一覧.csv", mimeType: "text/csv", buffer: Buffer.from(CSV) });
  await page.getByRole("button", { name: "アップロードする" }).click();
  await page.waitForURL(/\/operations\/imports\/\d+\/mapping$/);
  assert.equal(await page.getByLabel("実施日").inputValue(), "実施日");
  await checkScreen(page, "import-mapping");
  await page.getByRole("button", { name: "この対応で内容を確認する" }).click();
  await page.waitForURL(/\/operations\/imports\/\d+$/);

  const groups = page.locator("section.card");
  assert.equal(await groups.count(), 2);
  const english = groups.first();
  assert.match(await english.locator("h3").textContent(), /英語の出前授業/);
  assert.equal(await english.locator("tbody tr").count(), 2, "the two spellings of みらい英語 are one project");
  assert.match(await english.locator(".hint").textContent(), /^理由: .+/);
  await checkScreen(page, "import-preview");

  await page.getByRole("button", { name: "このまとめ方で登録する" }).click();
  await page.waitForURL(server.base + "/operations/operators/1/projects");
  assert.match(await page.locator(".notice").first().textContent(), /新しいプロジェクト 2 件、実施回 3 件を追加しました/);
  const rows = page.locator("table tbody tr");
  assert.equal(await rows.count(), 2);
  await checkScreen(page, "list");
  await page.getByRole("link", { name: "英語の出前授業" }).click();
  assert.equal(await page.locator("h1").textContent(), "英語の出前授業");
  await checkScreen(page, "detail");
  await page.getByRole("link", { name: "編集" }).click();
  await checkScreen(page, "form");

  const outside = requested.filter((url) => !url.startsWith(server.base + "/"));
  assert.deepEqual(outside, [], "no request leaves 127.0.0.1");
});
