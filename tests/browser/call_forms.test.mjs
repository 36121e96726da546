// Browser flow of issue 16 items 1 and 2 (Chromium, axe at 1280 and 390 px): an operator types a
// wrong amount, a wrong address and a long text, saves, and sees every problem at its field with
// a summary linking to each; reloads and the long text is there; chooses a 21 MB file and the
// browser refuses it before any upload, staying on the form; the secretariat's settings form
// lists all its problems at once. Screenshots go to KAKEHASHI_SCREENSHOTS when set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { startServer, Browser, japanLocal } from "../http/server.mjs";
import { launch } from "./chromium.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = process.env.KAKEHASHI_SCREENSHOTS;
const PASSWORD = "browser forms 1234";
const USERS = [
  { email: "secretariat@example.jp", name: "事務 次郎", roles: ["secretariat"], org: "架け橋事務局", password: PASSWORD },
  { email: "a@operator.example", name: "実証 五郎", roles: ["operator"], org: "株式会社みらい産学連携", password: PASSWORD },
];

let server, browser, page, callId;

async function axe(name) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.evaluate(AXE_SOURCE);
    const results = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
    const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), [], `axe on ${name} at ${width} px`);
    // Nothing scrolls sideways at phone width.
    if (width === 390) assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `${name} fits 390 px`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function shot(name) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.jpg`, fullPage: true, quality: 80 });
}

async function login(email) {
  await page.goto(server.base + "/login");
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("パスワード").fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "ログイン" }).click()]);
}

before(async () => {
  server = await startServer({ users: USERS });
  const staff = new Browser(server.base);
  assert.equal((await staff.login(USERS[0].email, PASSWORD)).status, 303);
  const post = async (path, form) => {
    const token = staff.csrfFrom((await staff.request("/notifications")).text_);
    const response = await staff.request(path, { method: "POST", form: [["csrf_token", token], ...form] });
    assert.equal(response.status, 303, response.text_.slice(0, 1000));
    return response;
  };
  const created = await post("/admin/calls", [
    ["title", "令和8年度 実証事業者の公募"], ["summary", ""], ["opens_at", japanLocal(-1)], ["closes_at", japanLocal(30)],
    ["award_min", "15000000"], ["award_max", "25000000"], ["budget_total", "40000000"],
    ["reviewers_per_application", "1"], ["max_load", "10"], ["peer_reviews", "never"], ["block", "hokkaido"], ["block", "tohoku"],
  ]);
  callId = /(\d+)$/.exec(created.headers.get("location"))[1];
  await post(`/admin/calls/${callId}/criteria`, [["name", "事業計画の妥当性"], ["description", ""], ["weight", "10"],
    ["level_1", "不十分"], ["level_2", "標準的"], ["level_3", "優れている"]]);
  await post(`/admin/calls/${callId}/publish`, []);
  browser = await launch();
  page = await browser.context.newPage();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("a wrong amount and address are shown at their fields; the long text survives a reload", async () => {
  await login("a@operator.example");
  await page.goto(`${server.base}/calls/${callId}`);
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "申請書の作成を始める" }).click()]);
  const url = page.url();
  const long = "地域の企業 20 社と高校 5 校をつなぎ、実課題の探究学習を行います。".repeat(30);
  await page.getByLabel("ヒト・モノ・カネの各面での取組").fill(long);
  await page.getByLabel("担当者メールアドレス").fill("tanto@");
  await page.locator("#block_hokkaido").check();
  await page.getByLabel("北海道ブロックの申請額（円）").fill("10000000");
  await page.getByLabel("東北ブロックの申請額（円）").fill("20000000");
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "下書きを保存" }).click()]);

  const summary = page.locator("#form-errors");
  await summary.waitFor();
  assert.equal(await summary.getByRole("heading").textContent(), "下書きを保存しました。ただし、次の項目は保存していません。入力内容を確認してください。");
  assert.deepEqual(await summary.getByRole("link").allTextContents(), [
    "東北ブロックにチェックが入っていないため、申請額は保存していません。申請する場合はチェックを入れてください",
    "担当者メールアドレスの形式が正しくありません（例: tanto@example.jp）",
    "北海道ブロックの申請額 10,000,000円 は交付額の範囲（15,000,000円〜25,000,000円）の外です",
  ]);
  // The summary has the focus; its link takes the person to the field, which says what is wrong.
  assert.equal(await page.evaluate(() => document.activeElement?.id), "form-errors");
  await summary.getByRole("link", { name: /担当者メールアドレス/ }).click();
  const email = page.getByLabel("担当者メールアドレス");
  assert.equal(await email.getAttribute("aria-invalid"), "true");
  assert.equal(await page.locator("#" + (await email.getAttribute("aria-describedby"))).textContent(),
    "担当者メールアドレスの形式が正しくありません（例: tanto@example.jp）");
  assert.equal(await email.inputValue(), "tanto@");
  await axe("application form with errors");
  await shot("application-errors");

  await page.goto(url);
  assert.equal(await page.getByLabel("ヒト・モノ・カネの各面での取組").inputValue(), long);
});

test("a 21 MB file is refused in the browser, before any upload", async () => {
  const sent = [];  // the size of every body the page posts (autosave may post the fields)
  page.on("request", (request) => {
    if (request.method() === "POST") sent.push(request.postDataBuffer()?.length ?? 0);
  });
  const url = page.url();
  await page.getByLabel(/PDF ファイル（10 MB まで/).setInputFiles({ name: "事業計画書.pdf", mimeType: "application/pdf", buffer: Buffer.alloc(21 * 1024 * 1024, 0x20) });
  const message = page.locator("#file-client-error");
  await message.waitFor();
  assert.equal(await message.textContent(), "「事業計画書.pdf」は 21.0 MB あります。添付できるのは 10 MB までの PDF ファイルです。");
  assert.equal(await page.locator("#file").inputValue(), "");
  await page.waitForTimeout(1000);  // past autosave's delay
  assert.equal(page.url(), url, "still on the form");
  assert.ok(sent.every((bytes) => bytes < 1024 * 1024), `no upload left the browser: ${sent}`);
  await axe("application form with a refused file");
  await shot("application-file-refused");
  // A file that is no PDF is refused the same way.
  await page.getByLabel(/PDF ファイル（10 MB まで/).setInputFiles({ name: "plan.docx", mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", buffer: Buffer.from("PK") });
  assert.equal(await message.textContent(), "「plan.docx」は PDF ファイルではありません。添付できるのは PDF ファイルのみです。");
});

test("the call's settings list every problem at once, each linked to its field", async () => {
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "ログアウト" }).click()]);
  await login("secretariat@example.jp");
  await page.goto(`${server.base}/admin/calls/new`);
  await page.locator("#title").fill("");
  await page.getByLabel("交付額の下限（円）").fill("百万");
  await page.getByLabel("予算上限（円）").fill("0");
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "作成する" }).click()]);
  const links = await page.locator("#form-errors").getByRole("link").allTextContents();
  assert.deepEqual(links, ["交付額の下限は円単位の数字で入力してください", "公募名を入力してください", "予算上限は 1 円以上にしてください"]);
  for (const id of ["award_min", "title", "budget_total"]) {
    assert.equal(await page.locator("#" + id).getAttribute("aria-invalid"), "true", id);
  }
  await axe("new call with errors");
  await shot("call-new-errors");
});
