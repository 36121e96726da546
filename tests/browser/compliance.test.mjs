// Browser test: the security officer files a roster addition, METI approves it in the browser,
// the roster shows the person and the officer sees the personal fields; the screens are
// axe-clean at 1280 and 390 px and nothing but the scrollable tables is wider than the screen.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { startServer } from "../http/server.mjs";
import { launch } from "./chromium.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = process.env.KAKEHASHI_SCREENSHOTS;

const OFFICER = { email: "officer@compliance.example", name: "情報 三郎", roles: ["security_officer"], password: "officer pass 123" };
const METI = { email: "meti@compliance.example", name: "経産 花子", roles: ["meti"], password: "meti pass 12345" };

let server, browser;
before(async () => {
  server = await startServer({ users: [OFFICER, METI] });
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
  assert.ok(scroll <= width, `${what} is ${scroll} px wide at ${width} px`);
  assert.deepEqual(await axeViolations(page), [], `${what} at ${width} px`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function logIn(person) {
  // One persistent profile: the previous person's cookies go first.
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  await page.goto(server.base + "/login");
  await page.getByLabel("メールアドレス").fill(person.email);
  await page.getByLabel("パスワード").fill(person.password);
  await page.keyboard.press("Enter");
  await page.waitForURL(server.base + "/");
  return page;
}

test("file a roster addition, METI approves, the officer sees the sealed fields", async () => {
  const officer = await logIn(OFFICER);
  await officer.goto(server.base + "/compliance");
  await fitsAt(officer, 1280, "情報管理");
  await officer.getByRole("link", { name: "名簿に人物を追加する" }).click();
  await officer.getByLabel("区分").selectOption({ label: "情報管理責任者" });
  await officer.getByLabel("氏名").fill("情報 三郎");
  await officer.getByLabel("所属組織（再委託先は会社名が必須）").fill("株式会社架け橋コンサルティング");
  await officer.getByLabel("Kakehashi のアカウント").selectOption({ label: "情報 三郎" });
  await officer.getByLabel("個人住所").fill("東京都世田谷区桜新町二丁目14番5号");
  await officer.getByLabel("生年月日（YYYY-MM-DD）").fill("1971-05-12");
  await officer.getByLabel("変更の理由").fill("契約前の情報取扱者名簿の提出");
  await fitsAt(officer, 390, "届出の画面");
  await shot(officer, "change_form");
  await officer.getByRole("button", { name: "追加を届け出る" }).click();
  await officer.waitForURL(/\/compliance\/changes\/\d+$/);
  assert.match(await officer.textContent("body"), /経済産業省が承認するまで名簿は変わりません/);

  const changeUrl = officer.url();
  const meti = await logIn(METI);
  await meti.goto(changeUrl);
  await fitsAt(meti, 390, "届出");
  await shot(meti, "change");
  await meti.getByRole("button", { name: "承認する" }).click();
  await meti.waitForURL(/\/compliance\/changes\/\d+$/);
  assert.match(await meti.textContent("body"), /名簿の新しい版が有効になりました/);

  const again = await logIn(OFFICER);
  await again.goto(server.base + "/compliance");
  assert.match(await again.textContent("main"), /情報取扱者名簿 第 1 版/);
  await fitsAt(again, 390, "情報管理（名簿あり）");
  await shot(again, "overview");
  await again.locator("main").getByRole("link", { name: "情報 三郎", exact: true }).click();
  assert.match(await again.textContent("main"), /東京都世田谷区桜新町二丁目14番5号/);
  await fitsAt(again, 390, "名簿の人物");
  await again.goto(server.base + "/compliance/ledger");
  await fitsAt(again, 1280, "ソフトウェア管理台帳");
  await shot(again, "ledger");
});

test("the structure diagram, a compliance report with a missing reason, an incident form", async () => {
  const officer = await logIn(OFFICER);
  await officer.goto(server.base + "/compliance");
  const diagram = officer.locator("figure.structure-diagram img");
  assert.ok(await diagram.evaluate((img) => img.complete && img.naturalWidth > 300));
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await diagram.screenshot({ path: `${SHOTS}/structure.png` });
    await diagram.screenshot({ path: `${SHOTS}/structure.jpg`, quality: 85 });
  }
  await officer.getByRole("link", { name: "実施状況報告書" }).click();
  await officer.getByRole("button", { name: "作成する" }).click();
  await officer.waitForURL(/\/compliance\/reports\/\d+$/);
  await officer.getByLabel("契約件名").fill("「未来の教室」産学連携事業 事務局業務");
  await officer.locator("#item_4_done").check();
  await officer.locator("#item_4_detail").fill("従事者を情報取扱者名簿の者に限定し、名簿にない者は保護すべき情報を開けない。");
  await officer.locator("#item_12_not_applicable").check();
  await officer.getByRole("button", { name: "経済産業省に提出する" }).click();
  const main = await officer.textContent("main");
  assert.match(main, /12\) は「該当なし」のため、理由を入力してください/);
  assert.match(main, /17\) の実施状況を選んでください/);
  assert.equal(await officer.locator("#item_4_detail").inputValue(), "従事者を情報取扱者名簿の者に限定し、名簿にない者は保護すべき情報を開けない。");
  await fitsAt(officer, 390, "実施状況報告書");
  await fitsAt(officer, 1280, "実施状況報告書");
  await shot(officer, "report");
  await officer.goto(server.base + "/compliance/incidents/new");
  await fitsAt(officer, 390, "インシデントの記録");
  await officer.goto(server.base + "/compliance/closeout");
  await fitsAt(officer, 390, "事業終了時の削除");
});
