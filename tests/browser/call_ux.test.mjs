// Browser flows of issue 16 items 6–8 (Chromium, axe clean at 1280 and 390 px, nothing scrolling
// sideways at 390 px): the assignment page names reviewers who have not declared and offers only
// declared ones; the reviewer's score page works at phone width with the total following the
// levels; each role's home starts with its tasks above the programme, whose schedule shows the
// call's real closing date; a closing day on 元日 is warned about when set; a person who chooses
// Japanese-era dates sees them; the inspector names findings in plain Japanese and hands back a
// cleaned copy; the same PDF attached twice is recognised; the sign-up form shows its problems
// with the shared error markup. Screenshots go to KAKEHASHI_SCREENSHOTS when set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { startServer, Browser, japanLocal, sql as sqlIn } from "../http/server.mjs";
import { launch } from "./chromium.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = process.env.KAKEHASHI_SCREENSHOTS;
const PASSWORD = "browser call ux 1234";
const TITLE = "令和8年度 実証事業者の公募";
const USERS = [
  { email: "secretariat@example.jp", name: "事務 次郎", roles: ["secretariat"], org: "架け橋事務局" },
  { email: "r1@example.jp", name: "審査 一郎", roles: ["reviewer"], org: "外部審査委員会" },
  { email: "r2@example.jp", name: "審査 二郎", roles: ["reviewer"], org: "外部審査委員会" },
  { email: "a@operator.example", name: "実証 五郎", roles: ["operator"], org: "株式会社みらい産学連携" },
  { email: "b@operator.example", name: "実証 六郎", roles: ["operator"], org: "一般社団法人まなびブリッジ" },
].map((u) => ({ ...u, password: PASSWORD }));

let server, browser, page, callId, applicationId;
const sql = (query) => sqlIn(server.db, query);

// A small valid PDF (one empty page); with `author`, its document information names one.
function pdf({ author, text = "plan" } = {}) {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
    `<< /Length ${`% ${text}\n`.length} >>\nstream\n% ${text}\nendstream`,
  ];
  if (author) objects.push(`<< /Author (${author}) /Title (plan) >>`);
  let out = "%PDF-1.4\n";
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${author ? " /Info 5 0 R" : ""} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

async function axe(name) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.evaluate(AXE_SOURCE);
    const results = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
    const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), [], `axe on ${name} at ${width} px`);
    if (width === 390) assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `${name} fits 390 px`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function shot(name, width = 1280) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize({ width, height: 900 });
  await page.screenshot({ path: `${SHOTS}/${name}.jpg`, fullPage: true, quality: 80 });
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function login(email) {
  await page.context().clearCookies();
  await page.goto(server.base + "/login");
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("パスワード").fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "ログイン" }).click()]);
}

async function clickAndWait(locator) {
  await Promise.all([page.waitForNavigation(), locator.click()]);
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
    ["title", TITLE], ["summary", ""], ["opens_at", japanLocal(-1)], ["closes_at", japanLocal(10)],
    ["award_min", "15000000"], ["award_max", "25000000"], ["budget_total", "40000000"],
    ["reviewers_per_application", "1"], ["max_load", "10"], ["peer_reviews", "never"], ["block", "hokkaido"], ["block", "tohoku"],
  ]);
  callId = /(\d+)$/.exec(created.headers.get("location"))[1];
  for (const [name, weight] of [["事業計画の妥当性", "30"], ["実施体制と実績", "20"]]) {
    await post(`/admin/calls/${callId}/criteria`, [["name", name], ["description", ""], ["weight", weight],
      ["level_1", "不十分"], ["level_2", "標準的"], ["level_3", "優れている"]]);
  }
  await post(`/admin/calls/${callId}/publish`, []);
  // B's application is submitted (its form is tested elsewhere); A's stays for the browser.
  const now = new Date().toISOString().slice(0, 19) + "Z";
  const orgB = sql(`SELECT organisation_id FROM users WHERE email = 'b@operator.example'`);
  applicationId = sql(`INSERT INTO applications (call_id, organisation_id, status, receipt_number, submitted_at, topics, created_at, updated_at)
    VALUES (${callId}, ${orgB}, 'submitted', 'KK${String(callId).padStart(2, "0")}-0001', '${now}', 'pbl', '${now}', '${now}') RETURNING id`);
  sql(`INSERT INTO application_blocks (application_id, block_id, requested) VALUES (${applicationId}, 'tohoku', 20000000)`);
  browser = await launch();
  page = await browser.context.newPage();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("item 6: only declared reviewers are offered; the score page fits 390 px and its total follows the levels", async () => {
  await login("r1@example.jp");
  await page.goto(server.base + "/review");
  await clickAndWait(page.getByRole("link", { name: "利害関係を申告する" }));
  await page.getByRole("group", { name: "一般社団法人まなびブリッジ" }).getByLabel("利害関係はない").check();
  await clickAndWait(page.getByRole("button", { name: "申告を保存" }));

  await login("secretariat@example.jp");
  await page.goto(`${server.base}/admin/calls/${callId}/review`);
  const warning = page.locator(".notice--warning", { hasText: "利害関係の申告が済んでいない審査委員がいます" });
  assert.equal(await warning.textContent(),
    "利害関係の申告が済んでいない審査委員がいます: 審査 二郎（未申告 1 件）。すべての申請について申告が済むまで、この審査委員には割り当てられません。");
  const select = page.getByLabel("一般社団法人まなびブリッジに追加する審査委員");
  assert.deepEqual(await select.locator("option").allTextContents(), ["審査 一郎（0 件）"], "only the declared reviewer");
  await axe("review management with an undeclared reviewer");
  await shot("review-assign-undeclared");
  await clickAndWait(page.getByRole("button", { name: "追加" }));

  await login("r1@example.jp");
  await page.goto(`${server.base}/review/applications/${applicationId}`);
  const total = page.locator("[data-live-total]");
  assert.equal(await total.textContent(), "0");
  const groups = page.locator("fieldset.score");
  await groups.nth(0).locator('input[type="radio"][value="3"]').check();
  assert.equal(await total.textContent(), "90", "30 × 3 before anything is saved");
  await groups.nth(1).locator('input[type="radio"][value="2"]').check();
  assert.equal(await total.textContent(), "130");
  await axe("review score page");
  await shot("review-score-390", 390);
  await clickAndWait(page.getByRole("button", { name: "一時保存" }));
  assert.equal(await page.locator("[data-live-total]").textContent(), "130", "the server's total after saving");
  // The reviewer's other screens fit a phone as well.
  await page.goto(server.base + "/review");
  await axe("reviewer's list");
  await page.goto(`${server.base}/review/calls/${callId}/conflicts`);
  await axe("conflict declaration");
});

test("item 7: each role's home starts with its tasks; the schedule shows the call's real closing date", async () => {
  await login("secretariat@example.jp");
  await page.goto(server.base + "/");
  const headings = await page.locator("main h2").allTextContents();
  assert.ok(headings.indexOf("事務局の作業") >= 0, headings.join("／"));
  assert.ok(headings.indexOf("事務局の作業") < headings.indexOf("事業スケジュール"), "tasks come before the programme");
  assert.match(await page.locator(".tasks--secretariat").textContent(), new RegExp(`「${TITLE}」の受付が締め切られます`));
  assert.match(await page.locator(".timeline").textContent(), new RegExp(`「${TITLE}」締切`));
  await axe("secretariat home");
  await shot("home-secretariat");

  await login("r1@example.jp");
  await page.goto(server.base + "/");
  assert.match(await page.locator(".tasks--reviewer").textContent(), new RegExp(`「${TITLE}」の審査が 1 件残っています（割り当て 1 件）`));
  await axe("reviewer home");
});

test("item 7: a closing day on 元日 is warned about when it is set", async () => {
  await login("secretariat@example.jp");
  await page.goto(`${server.base}/admin/calls/new`);
  const year = new Date().getUTCFullYear() + 1;
  await page.locator("#title").fill("元日締切の公募");
  await page.locator("#opens_at").fill(`${year - 1}-12-20T10:00`);
  await page.locator("#closes_at").fill(`${year}-01-01T17:00`);
  await clickAndWait(page.getByRole("button", { name: "作成する" }));
  const notice = page.locator(".notice", { hasText: "公募を作成しました" });
  assert.match(await notice.textContent(), new RegExp(`注意: 締切日（${year}年1月1日（.））は年末年始の閉庁日です。`));
});

test("item 8: a person who chooses Japanese-era dates sees them on their pages", async () => {
  await login("secretariat@example.jp");
  await page.goto(server.base + "/account/settings");
  await page.getByLabel("和暦（令和8年12月3日）").check();
  await axe("display settings");
  await clickAndWait(page.getByRole("button", { name: "保存する" }));
  assert.match(await page.locator("main").textContent(), /表示の設定を保存しました。/);
  assert.match(await page.locator(".hint", { hasText: "いまの表示" }).textContent(), /いまの表示: 令和\d+年\d+月\d+日（.）/);
  await page.goto(server.base + "/");
  assert.match(await page.locator(".lead").textContent(), /^令和\d+年\d+月\d+日（.）（日本時間）現在/);
  assert.match(await page.locator(".timeline").textContent(), /令和8年7月1日（水）/, "the plan's dates too");
  await shot("home-era-dates");
  // Back to Western dates.
  await page.goto(server.base + "/account/settings");
  await page.getByLabel("西暦（2026年12月3日）").check();
  await clickAndWait(page.getByRole("button", { name: "保存する" }));
  await page.goto(server.base + "/");
  assert.match(await page.locator(".lead").textContent(), /^20\d\d年/);
});

test("item 8: the inspector names findings in plain Japanese and hands back a cleaned copy", async () => {
  await page.goto(server.base + "/tools/inspect");
  const file = { name: "計画書.pdf", mimeType: "application/pdf", buffer: pdf({ author: "Yamada Taro" }) };
  await page.getByLabel(/確認するファイル/).setInputFiles(file);
  await clickAndWait(page.getByRole("button", { name: "チェックする" }));
  const table = page.locator("table");
  assert.match(await table.textContent(), /文書情報（作成者など）/);
  assert.ok(!(await table.textContent()).includes("pdf.info_metadata"), "no codes");
  assert.ok(!(await page.locator("main").textContent()).includes("kakehashi clean"), "no command-line hint");
  await axe("inspector result");
  await shot("inspect-result");
  // Clean and download: the copy no longer names the author.
  await page.getByLabel(/確認するファイル/).setInputFiles(file);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "取り除いてダウンロード" }).click()]);
  assert.equal(download.suggestedFilename(), "計画書_公開用.pdf");
  const cleaned = readFileSync(await download.path()).toString("latin1");
  assert.ok(cleaned.startsWith("%PDF-"));
  assert.ok(!cleaned.includes("Yamada Taro"), "the author is gone");
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'files.clean'`), "1");
});

test("item 8: the same PDF attached twice is recognised by its content", async () => {
  await login("a@operator.example");
  await page.goto(`${server.base}/calls/${callId}`);
  await clickAndWait(page.getByRole("button", { name: "申請書の作成を始める" }));
  const plan = { name: "plan.pdf", mimeType: "application/pdf", buffer: pdf({ text: "same plan" }) };
  const input = page.getByLabel(/PDF ファイル（10 MB まで/);
  await input.setInputFiles(plan);
  await clickAndWait(page.getByRole("button", { name: "添付する" }));
  assert.match(await page.locator("main").textContent(), /plan\.pdf/);
  await page.getByLabel(/PDF ファイル（10 MB まで/).setInputFiles({ ...plan, name: "plan-copy.pdf" });
  await clickAndWait(page.getByRole("button", { name: "添付する" }));
  assert.match(await page.locator("#form-errors").textContent(), /「plan-copy\.pdf」は、すでに添付されている「plan\.pdf」と同じファイルです/);
  await axe("application form with a repeated file");
});

test("sign-up shows all its problems with the shared error markup", async () => {
  await page.context().clearCookies();
  await page.goto(server.base + "/signup");
  await page.getByLabel("団体名").fill("株式会社テスト");
  await page.getByLabel("担当者氏名").fill("");
  await page.getByLabel("メールアドレス").fill("not-an-address");
  await page.getByLabel("パスワード").fill("short");
  await page.evaluate(() => document.querySelectorAll("input").forEach((i) => { i.removeAttribute("required"); i.removeAttribute("minlength"); i.setAttribute("type", i.type === "email" ? "text" : i.type); }));
  await clickAndWait(page.getByRole("button", { name: "確認メールを送る" }));
  const summary = page.locator("#form-errors");
  assert.equal(await summary.getByRole("heading").textContent(), "入力内容を確認してください。");
  const links = await summary.getByRole("link").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.deepEqual(links.sort(), ["#email", "#name", "#password"]);
  for (const id of ["name", "email", "password"]) {
    const field = page.locator("#" + id);
    assert.equal(await field.getAttribute("aria-invalid"), "true", id);
    assert.match(await field.getAttribute("aria-describedby"), new RegExp(`${id}-error`), id);
    assert.ok((await page.locator(`#${id}-error`).textContent()).length > 0, id);
  }
  await axe("sign-up with errors");
});
