// Browser test of the whole public call (issue #6), in Debian's Chromium against a real server:
// the secretariat opens a call for the 10 blocks, three operators sign up (through the link in the
// mail) and apply (one of them to two blocks), reviewers declare a conflict, are assigned (first
// infeasible, with the advice shown, then feasible after the secretariat lowers k) and score, the
// secretariat runs the solver and records the committee's decision, METI approves, the results
// are published and the operator sees the award. Screenshots go to KAKEHASHI_SCREENSHOTS when set
// (the user guide uses them).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, kakehashi, waitForMails, linkIn, closeCall as closeCallIn, japanLocal } from "../http/server.mjs";
import { launch } from "./chromium.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = process.env.KAKEHASHI_SCREENSHOTS;

const PASSWORD = "flow password 1234";
const STAFF = [
  { email: "secretariat@example.jp", name: "事務 次郎", roles: ["secretariat"], org: "架け橋事務局" },
  { email: "meti@example.jp", name: "経産 花子", roles: ["meti"], org: "経済産業省" },
  { email: "bureau.hokkaido@example.jp", name: "北海 道子", roles: ["bureau"], org: "北海道経済産業局", block: "hokkaido" },
  { email: "r1@example.jp", name: "審査 一郎", roles: ["reviewer"], org: "外部審査委員会" },
  { email: "r2@example.jp", name: "審査 二郎", roles: ["reviewer"], org: "外部審査委員会" },
  { email: "r3@example.jp", name: "審査 三郎", roles: ["reviewer"], org: "外部審査委員会" },
].map((u) => ({ ...u, password: PASSWORD }));

// Three operators; A applies to two blocks and competes with B in 東北.
const OPERATORS = [
  { org: "株式会社みらい産学連携", name: "実証 五郎", email: "a@operator.example", blocks: { hokkaido: "20000000", tohoku: "18000000" }, topics: ["pbl", "industry"] },
  { org: "一般社団法人まなびブリッジ", name: "学び 花", email: "b@operator.example", blocks: { tohoku: "22000000" }, topics: ["career"] },
  { org: "特定非営利活動法人地域共創ラボ", name: "共創 太郎", email: "c@operator.example", blocks: { kanto: "25000000" }, topics: ["community"] },
];

let server, browser, page, work, pdfPath;
const requested = [];
const consoleErrors = [];

before(async () => {
  work = mkdtempSync(join(tmpdir(), "kakehashi-flow-"));
  // A clean PDF (from our own document engine) to upload as guideline and attachment.
  writeFileSync(join(work, "plan.md"), "---\ntitle: 事業計画書\n---\n\n# 計画\n\n企業の実課題を用いた探究学習を実施します。\n");
  const rendered = kakehashi(["doc", "render", join(work, "plan.md"), "--out", join(work, "out"), "--formats", "pdf"]);
  assert.equal(rendered.status, 0, rendered.stderr);
  pdfPath = join(work, "out", "plan.pdf");
  server = await startServer({ users: STAFF });
  browser = await launch();
  browser.context.on("request", (request) => requested.push(request.url()));
  page = await browser.context.newPage();
  page.setDefaultTimeout(10000);
  // Script and CSP errors count; the 404 and 422 pages the test asks for on purpose do not.
  page.on("console", (message) => {
    const text = message.text();
    if (message.type() === "error" && !/^Failed to load resource: the server responded with a status of (404|422)/.test(text))
      consoleErrors.push(text);
  });
});
after(async () => {
  await browser?.close();
  const code = await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
  // A clean stop: exit 0 (under the ASan preset a leak or an error report would change it).
  assert.equal(code, 0, "the server stopped cleanly");
});

async function axe(name) {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), [], `axe on ${name}`);
}

async function shot(name) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  // JPEG keeps the user guide light (docs/user-guide/images/call/).
  await page.screenshot({ path: `${SHOTS}/${name}.jpg`, fullPage: true, quality: 80 });
}

// Clicks a form's submit button and waits for the page after the redirect, which shows the
// change's notice once (a server-side flash; no notice ever comes from the URL).
async function clickAndExpectNotice(button) {
  await Promise.all([page.waitForNavigation(), button.click()]);
  await page.locator('.notice--success[role="status"]').waitFor();
  assert.doesNotMatch(page.url(), /done=/);
}

// Clicks a step's button, lands on its confirmation page (which says what will happen), checks
// it with axe, and returns the page's confirm button (issue 16 item 3; works without JavaScript).
async function confirmStep(button, heading, name) {
  await Promise.all([page.waitForNavigation(), button.click()]);
  await page.getByRole("heading", { name: heading }).waitFor();
  await axe(`confirmation: ${heading}`);
  return page.getByRole("button", { name, exact: true });
}

async function login(email) {
  await page.goto(server.base + "/login");
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("パスワード").fill(PASSWORD);
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

async function logout() {
  await page.getByRole("button", { name: "ログアウト" }).click();
  await page.waitForURL(/\/login/);
}

const closeCall = (id) => closeCallIn(server.db, id);

let callId;
const applicationIds = {};

test("the secretariat opens a call for the 10 blocks", async () => {
  await login("secretariat@example.jp");
  await page.goto(server.base + "/admin/calls");
  await page.getByRole("link", { name: "新しい公募を作成" }).click();
  await page.getByLabel("公募名").fill("令和8年度 実証事業者の公募");
  await page.getByLabel("概要（公募ページに表示）").fill("全国 10 ブロックで実証事業者を募集します。");
  await page.getByLabel("受付開始（日本時間）").fill(japanLocal(-1));
  await page.getByLabel("締切（日本時間）").fill(japanLocal(30));
  // Every block is checked by default.
  assert.equal(await page.locator('input[name="block"]:checked').count(), 10);
  await shot("call-new");
  await clickAndExpectNotice(page.getByRole("button", { name: "作成する" }));
  callId = /\/admin\/calls\/(\d+)/.exec(page.url())[1];

  // Publishing without criteria is refused with a clear message.
  await (await confirmStep(page.getByRole("button", { name: "公募を公開する" }), "公募を公開しますか", "公開する")).click();
  await assert.doesNotReject(page.getByText("審査基準を 1 つ以上登録してから公開してください").waitFor());

  for (const [name, weight] of [["事業計画の妥当性", "30"], ["実施体制と実績", "20"]]) {
    await page.getByLabel("項目名").fill(name);
    await page.getByLabel("重み（1〜100）").fill(weight);
    await page.getByLabel("段階 1").fill("不十分");
    await page.getByLabel("段階 2").fill("標準的");
    await page.getByLabel("段階 3").fill("優れている");
    await clickAndExpectNotice(page.getByRole("button", { name: "審査項目を追加" }));
  }
  await page.getByLabel("ファイル（PDF・Word・Excel、20 MB まで）").setInputFiles(pdfPath);
  await clickAndExpectNotice(page.getByRole("button", { name: "掲載する" }));
  await assert.doesNotReject(page.getByRole("link", { name: "plan.pdf" }).first().waitFor());
  const publish = await confirmStep(page.getByRole("button", { name: "公募を公開する" }), "公募を公開しますか", "公開する");
  await assert.doesNotReject(page.getByText(/受付開始後は、公募名・審査基準・交付額・予算・対象ブロックを変更できなくなります/).waitFor());
  await shot("call-publish-confirm");
  await clickAndExpectNotice(publish);
  await assert.doesNotReject(page.getByText("公募を公開しました。").waitFor());
  // The publicity record (R2.2): where and when the call was made known.
  await page.getByLabel("方法").selectOption("briefing");
  await page.locator("#p_description").fill("オンライン公募説明会を開催");
  await page.getByLabel("周知した人数（任意）").fill("約百名");
  await page.getByRole("button", { name: "周知の記録を追加" }).click();
  await assert.doesNotReject(page.getByText("周知した人数は数字で入力してください").waitFor());
  // What was typed is still there.
  assert.equal(await page.locator("#p_description").inputValue(), "オンライン公募説明会を開催");
  await page.getByLabel("周知した人数（任意）").fill("120");
  await clickAndExpectNotice(page.getByRole("button", { name: "周知の記録を追加" }));
  await assert.doesNotReject(page.getByRole("cell", { name: "120 人" }).waitFor());
  await axe("call settings");
  await shot("call-settings");
  await logout();
});

test("the public call page shows guidelines, criteria, the deadline and a countdown", async () => {
  await page.goto(`${server.base}/calls/${callId}`);
  await assert.doesNotReject(page.getByRole("heading", { name: "令和8年度 実証事業者の公募" }).waitFor());
  assert.match(await page.locator("[data-countdown]").innerText(), /締切まで残り (29|30) 日/);
  await assert.doesNotReject(page.getByText("事業計画の妥当性").first().waitFor());
  await assert.doesNotReject(page.getByRole("link", { name: /公募要領（第 1 版/ }).waitFor());
  await axe("public call page");
  await shot("call-public");
  // A phone: no horizontal scrolling of the page, still accessible.
  await page.setViewportSize({ width: 320, height: 800 });
  await axe("public call page at 320 px");
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 320), "no horizontal scroll at 320 px");
  await page.setViewportSize({ width: 1280, height: 900 });
});

test("three operators sign up and apply, one of them to two blocks", async () => {
  for (const [index, operator] of OPERATORS.entries()) {
    await page.goto(`${server.base}/calls/${callId}`);
    await page.getByRole("link", { name: "事業者アカウントを作成する" }).click();
    await page.getByLabel("団体名").fill(operator.org);
    await page.getByLabel("担当者氏名").fill(operator.name);
    await page.getByLabel("メールアドレス").fill(operator.email);
    await page.getByLabel("パスワード").fill(PASSWORD);
    await page.getByRole("button", { name: "確認メールを送る" }).click();
    await assert.doesNotReject(page.getByRole("heading", { name: "確認メールを送信しました" }).waitFor());
    if (index === 0) await axe("sign-up mail sent");
    // The operator opens the link in the mail (the server's file backend) and confirms.
    const [mail] = await waitForMails(server.mailDir, { to: operator.email, subject: /メールアドレスの確認/ });
    await page.goto(linkIn(mail, server.base, "/signup/confirm?token="));
    await assert.doesNotReject(page.getByRole("heading", { name: "事業者アカウントの作成（確認）" }).waitFor());
    assert.equal(await page.getByLabel("団体名").inputValue(), operator.org);
    if (index === 0) {
      await axe("sign-up confirmation");
      await shot("signup-confirm");
    }
    await page.getByRole("button", { name: "アカウントを作成する" }).click();
    await page.waitForURL(new RegExp(`/calls/${callId}$`));
    await assert.doesNotReject(page.getByText("事業者アカウントを作成しました。").waitFor());
    await page.getByRole("button", { name: "申請書の作成を始める" }).click();
    await page.waitForURL(/\/my\/applications\/\d+$/);
    applicationIds[operator.org] = /\/my\/applications\/(\d+)/.exec(page.url())[1];

    // Saves as you go: a change is stored by htmx without leaving the page.
    await page.getByLabel("団体の概要・これまでの活動").fill(`${operator.org}は地域の企業と学校をつないできました。`);
    await page.getByLabel("団体の概要・これまでの活動").blur();
    await assert.doesNotReject(page.locator("#save-status", { hasText: "自動保存しました" }).waitFor());

    await page.getByLabel("代表者氏名").fill(`代表 ${index + 1}`);
    await page.getByLabel("担当者氏名").fill(operator.name);
    await page.getByLabel("担当者メールアドレス").fill(operator.email);
    await page.getByLabel("担当者電話番号").fill("03-1234-5678");
    await page.getByLabel("企業と学校のマッチングの実績がある").check();
    for (const [block, amount] of Object.entries(operator.blocks)) {
      await page.locator(`#block_${block}`).check();
      await page.locator(`input[name="requested_${block}"]`).fill(amount);
    }
    await page.getByLabel("ヒト・モノ・カネの各面での取組").fill("地域企業 20 社と連携し、講師と教材と資金を確保します。");
    await page.getByLabel("企業の実課題を用いた PBL の計画").fill("高校 5 校で企業の実課題に取り組む PBL を実施します。");
    await page.getByLabel("継続性").fill("地域の協議会が事業を引き継ぎます。");
    await page.getByLabel("自走化の見通し").fill("企業の協賛金で 3 年後に自走します。");
    await page.getByLabel("地域の人材ニーズ・2040年の産業構造推計との適合").fill("地域の製造業の人材ニーズに合わせます。");
    for (const topic of operator.topics) await page.locator(`input[name="topic"][value="${topic}"]`).check();

    if (index === 0) {
      // Submitting without the attachment lists what is missing and keeps the draft.
      await page.getByRole("button", { name: "保存して提出する" }).click();
      // Listed in the summary (linking to the field) and beside the field itself.
      await assert.doesNotReject(page.getByRole("link", { name: "事業計画書（PDF）を添付してください" }).waitFor());
      assert.equal(await page.locator("#file-error").textContent(), "事業計画書（PDF）を添付してください");
      assert.equal(await page.getByLabel("継続性").inputValue(), "地域の協議会が事業を引き継ぎます。");
      await axe("application form with errors");
    }
    await page.getByLabel("PDF ファイル（10 MB まで・10 件まで）").setInputFiles(pdfPath);
    await page.getByRole("button", { name: "添付する" }).click();
    await page.waitForURL(/#attachments$/);
    if (index === 0) await shot("application-form");
    await page.getByRole("button", { name: "保存して提出する" }).click();
    await page.waitForURL(/\/receipt$/);
    const receipt = await page.locator(".receipt__number strong").innerText();
    assert.match(receipt, /^KK\d{2}-\d{4}$/);
    if (index === 0) {
      await axe("receipt");
      await shot("application-receipt");
    }
    // A submitted application cannot change.
    await page.goto(`${server.base}/my/applications/${applicationIds[operator.org]}`);
    assert.equal(await page.getByRole("button", { name: "保存して提出する" }).count(), 0);
    await logout();
  }
});

test("reviewers declare conflicts and their expertise", async () => {
  await login("r1@example.jp");
  await page.goto(server.base + "/review");
  await page.getByLabel("PBL・探究学習").check();
  await clickAndExpectNotice(page.getByRole("button", { name: "専門分野を保存" }));
  await page.getByRole("link", { name: "利害関係を申告する" }).click();
  for (const operator of OPERATORS) {
    const group = page.getByRole("group", { name: operator.org });
    if (operator.org === OPERATORS[1].org) {
      await group.getByLabel("利害関係がある").check();
      await group.getByLabel("利害関係の内容（ある場合）").fill("理事を兼務しています");
    } else {
      await group.getByLabel("利害関係はない").check();
    }
  }
  await axe("conflict declaration");
  await shot("review-conflicts");
  await clickAndExpectNotice(page.getByRole("button", { name: "申告を保存" }));
  await logout();
  // The other reviewers declare no conflict with anyone (only reviewers who declared on every
  // application are assignable).
  for (const reviewer of ["r2@example.jp", "r3@example.jp"]) {
    await login(reviewer);
    await page.goto(server.base + "/review");
    await page.getByRole("link", { name: "利害関係を申告する" }).click();
    for (const operator of OPERATORS) await page.getByRole("group", { name: operator.org }).getByLabel("利害関係はない").check();
    await clickAndExpectNotice(page.getByRole("button", { name: "申告を保存" }));
    await logout();
  }
});

test("assignment: infeasible with k = 3 (advice shown), then exact with k = 2, never a conflict", async () => {
  await login("secretariat@example.jp");
  await page.goto(`${server.base}/admin/calls/${callId}/review`);
  await page.getByRole("button", { name: "自動で割り当てる" }).click();
  const advice = page.locator("#form-errors");
  await advice.waitFor();
  assert.match(await advice.innerText(), /まなびブリッジ/, "names the application with too few conflict-free reviewers");
  await shot("review-assign-infeasible");

  // Lower k on the settings page (review settings stay editable after opening).
  await page.goto(`${server.base}/admin/calls/${callId}`);
  await page.getByLabel("1 件あたりの審査委員数").fill("2");
  await clickAndExpectNotice(page.getByRole("button", { name: "設定を保存" }));
  await page.goto(`${server.base}/admin/calls/${callId}/review`);
  await clickAndExpectNotice(page.getByRole("button", { name: "自動で割り当てる" }));
  await assert.doesNotReject(page.getByText("自動で割り当てました").waitFor());
  await axe("review management");
  await shot("review-assign");
  await logout();
});

const LEVELS = { "審査 一郎": "3", "審査 二郎": "2", "審査 三郎": "3" };

test("reviewers see only their assignments and score them", async () => {
  for (const reviewer of ["r1@example.jp", "r2@example.jp", "r3@example.jp"]) {
    await login(reviewer);
    const name = STAFF.find((u) => u.email === reviewer).name;
    if (reviewer === "r1@example.jp") {
      // Never the conflicted application: not listed, and its URLs are 404.
      const conflicted = applicationIds[OPERATORS[1].org];
      for (const path of [`/review/applications/${conflicted}`, `/applications/${conflicted}`]) {
        const response = await page.goto(server.base + path);
        assert.equal(response.status(), 404, path);
      }
      await page.goto(server.base + "/review");
      assert.equal(await page.getByRole("link", { name: OPERATORS[1].org }).count(), 0);
    }
    await page.goto(server.base + "/review");
    const links = await page.locator('a[href^="/review/applications/"]').evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    assert.ok(links.length >= 1, `${name} has assignments`);
    for (const [index, href] of links.entries()) {
      await page.goto(server.base + href);
      // Personal fields are hidden from reviewers by default.
      assert.equal(await page.getByText("（非表示）").count() > 0, true);
      const groups = page.locator("fieldset.score");
      for (let i = 0; i < (await groups.count()); i++) {
        // The first application a reviewer sees gets the reviewer's level, the others one less.
        const level = index === 0 ? LEVELS[name] : String(Math.max(1, Number(LEVELS[name]) - 1));
        await groups.nth(i).locator(`input[type="radio"][value="${level}"]`).check();
      }
      // The total follows the chosen levels (weights 30 and 20), before anything is saved.
      const level = Number(index === 0 ? LEVELS[name] : String(Math.max(1, Number(LEVELS[name]) - 1)));
      assert.equal(await page.locator("[data-live-total]").textContent(), String(50 * level));
      if (reviewer === "r1@example.jp" && index === 0) {
        await axe("scoring");
        await page.setViewportSize({ width: 390, height: 844 });
        await axe("scoring at 390 px");
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), "the scoring screen fits 390 px");
        await page.setViewportSize({ width: 1280, height: 900 });
        await shot("review-score");
      }
      const submit = await confirmStep(page.getByRole("button", { name: "審査結果を提出する" }), "審査結果を提出しますか", "提出する");
      await assert.doesNotReject(page.getByText(`合計 ${50 * level} 点（満点 150 点）で提出します。`).waitFor());
      await assert.doesNotReject(page.getByText("提出後は、評価とコメントを変更できなくなります。").waitFor());
      await clickAndExpectNotice(submit);
      // Submitted reviews are locked.
      assert.equal(await page.getByRole("button", { name: "審査結果を提出する" }).count(), 0);
    }
    await logout();
  }
});

test("the secretariat runs the solver and records the decision; METI approves; results are published", async () => {
  await login("secretariat@example.jp");
  await page.goto(`${server.base}/admin/calls/${callId}/applications`);
  assert.equal(await page.locator("tbody tr").count(), 3);
  await axe("application list");
  await shot("applications-list");
  await page.goto(`${server.base}/admin/calls/${callId}/results`);
  // While the call is open the committee cannot decide yet.
  await assert.doesNotReject(page.getByText(/委員会の決定は締切（.*）の後に記録できます。/).waitFor());
  assert.equal(await page.getByRole("button", { name: "委員会の決定を記録する" }).count(), 0);
  closeCall(callId);
  await page.goto(`${server.base}/admin/calls/${callId}/results`);
  await assert.doesNotReject(page.getByText("交付額の合計").first().waitFor());
  // Blocks nobody applied to are named, and preset to 該当なし.
  await assert.doesNotReject(page.getByText(/採択できる申請がないブロック.*近畿/).waitFor());
  // The proposal picks one application per applied block.
  for (const block of ["hokkaido", "tohoku", "kanto"]) {
    assert.notEqual(await page.locator(`#application_${block}`).inputValue(), "", block);
  }
  assert.equal(await page.locator("#application_kinki").inputValue(), "none");
  const rationale = page.locator('textarea[name^="rationale_"]');
  for (let i = 0; i < (await rationale.count()); i++) await rationale.nth(i).fill("審査委員会の評価に基づき決定した。");
  await axe("results");
  const record = await confirmStep(page.getByRole("button", { name: "委員会の決定を記録する" }), "委員会の決定を記録しますか", "記録する");
  await assert.doesNotReject(page.getByText(/経済産業省の担当者 1 人に承認を依頼する通知を送ります。/).waitFor());
  await shot("results-decision-confirm");
  await clickAndExpectNotice(record);
  await shot("results-decision");
  // Not yet public: the operators see nothing, and the secretariat cannot approve.
  assert.equal(await page.getByRole("button", { name: "この決定を承認する" }).count(), 0);
  await logout();

  await login("meti@example.jp");
  // METI reaches the results from the list of calls.
  await page.goto(`${server.base}/admin/calls`);
  await page.getByRole("link", { name: "令和8年度 実証事業者の公募" }).click();
  await page.waitForURL(new RegExp(`/admin/calls/${callId}/results$`));
  await clickAndExpectNotice(await confirmStep(page.getByRole("button", { name: "この決定を承認する" }), "委員会の決定を承認しますか", "承認する"));
  await logout();

  await login("secretariat@example.jp");
  await page.goto(`${server.base}/admin/calls/${callId}/results`);
  const announce = await confirmStep(page.getByRole("button", { name: "結果を公表し、申請者に通知する" }), "結果を公表し、申請者に通知しますか", "公表して通知する");
  await assert.doesNotReject(page.getByText(/申請者 3 団体（\d+ 人）に、採択・不採択の結果を通知します/).waitFor());
  await shot("results-publish-confirm");
  await clickAndExpectNotice(announce);
  await assert.doesNotReject(page.getByText(/結果を公表し、\d+ 件の通知を送りました/).waitFor());
  await shot("results-published");
  // The exports answer with the right types.
  for (const [path, type] of [["/results/scores.xlsx", "spreadsheetml"], ["/results/summary.pdf", "application/pdf"]]) {
    const response = await page.request.get(`${server.base}/admin/calls/${callId}${path}`);
    assert.equal(response.status(), 200, path);
    assert.match(response.headers()["content-type"], new RegExp(type));
    if (SHOTS) writeFileSync(`${SHOTS}/${path.split("/").pop()}`, await response.body());
  }
  await logout();
});

test("the operator sees the result, and the bureau sees its block's application", async () => {
  await login(OPERATORS[0].email);
  await page.goto(server.base + "/notifications");
  await assert.doesNotReject(page.getByText(/北海道ブロック/).first().waitFor());
  await page.goto(server.base + "/my/applications");
  await assert.doesNotReject(page.getByRole("cell", { name: "採択", exact: true }).first().waitFor());
  await page.goto(`${server.base}/my/applications/${applicationIds[OPERATORS[0].org]}`);
  await assert.doesNotReject(page.getByText(/採択されました: 北海道ブロック（交付額 20,000,000円）/).waitFor());
  await axe("operator result");
  await shot("operator-result");
  // Another organisation's application is not there for this operator.
  const other = await page.goto(`${server.base}/my/applications/${applicationIds[OPERATORS[2].org]}`);
  assert.equal(other.status(), 404);
  await logout();

  await login("bureau.hokkaido@example.jp");
  await page.goto(`${server.base}/admin/calls/${callId}/applications`);
  await assert.doesNotReject(page.getByRole("link", { name: OPERATORS[0].org }).waitFor());
  assert.equal(await page.getByRole("link", { name: OPERATORS[2].org }).count(), 0, "kanto is not the bureau's block");
  await logout();
});

test("no request left 127.0.0.1 and no console error", () => {
  const outside = requested.filter((url) => !url.startsWith(server.base) && !url.startsWith("data:"));
  assert.deepEqual(outside, []);
  assert.deepEqual(consoleErrors, []);
});
