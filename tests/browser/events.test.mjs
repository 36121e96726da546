// Browser flow of events (issue 18): on a phone-sized screen (390 px) visitors register for the
// final event on its public page (two seats, the third waits), opt in to matchmaking, send and
// accept a meeting request; the secretariat sets the grid, runs the engine and publishes the
// schedule; the personal agenda appears; at the door the secretariat checks a person in by the
// receipt number. Every screen axe clean at 1280 and 390 px with nothing wider than the screen.
// KAKEHASHI_SCREENSHOTS=<dir> keeps screenshots (the user guide's).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { startServer, kakehashi, japanLocal } from "../http/server.mjs";
import { launch, openFromMenu } from "./chromium.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = process.env.KAKEHASHI_SCREENSHOTS;
const PASSWORD = "events flow password 123";
const SECRETARIAT = { email: "secretariat@example.jp", name: "事務 次郎", roles: ["secretariat"], org: "架け橋事務局", password: PASSWORD };

let server, browser, event;
before(async () => {
  server = await startServer({ users: [SECRETARIAT], extraArgs: ["--public-form-limit", "0"] });
  const token = kakehashi(["token", "create", "--db", server.db, "--email", SECRETARIAT.email]).stdout.trim();
  const created = await fetch(server.base + "/api/v1/events", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      kind: "final", title: "全国成果報告会・マッチング商談会", summary: "全国 10 ブロックの成果報告と、企業と学校・自治体の面談です。",
      starts_at: japanLocal(30).slice(0, 16), ends_at: japanLocal(30.3).slice(0, 16), format: "hybrid", prefecture: "13",
      venue: "東京国際フォーラム", address: "千代田区丸の内3-5-1", capacity: 2, registration_closes_at: japanLocal(20).slice(0, 16),
      published: true, matchmaking: true, requests_open_at: japanLocal(-1).slice(0, 16), requests_close_at: japanLocal(10).slice(0, 16),
    }),
  });
  assert.equal(created.status, 201);
  event = await created.json();
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

// axe at 1280 and 390 px, nothing wider than 390 px, screenshots when asked; ends at `width`.
async function check(page, name, width = 1280) {
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.deepEqual(await axeViolations(page), [], `${name} at 1280 px`);
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
    await page.screenshot({ path: `${SHOTS}/${name}.jpg`, fullPage: true, type: "jpeg", quality: 80 });
  }
  await page.setViewportSize({ width: 390, height: 844 });
  assert.deepEqual(await axeViolations(page), [], `${name} at 390 px`);
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= 390, `${name} is ${scroll} px wide at 390 px`);
  if (SHOTS) {
    await page.screenshot({ path: `${SHOTS}/${name}-390.png`, fullPage: true });
    await page.screenshot({ path: `${SHOTS}/${name}-390.jpg`, fullPage: true, type: "jpeg", quality: 80 });
  }
  await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
}

// A visitor on a phone registers; returns the personal page's URL.
async function register(page, { name, organisation, kind, schoolType, email, offers, seeks }, shot) {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(event.public_url);
  if (shot) await check(page, "public", 390);
  await page.getByLabel("氏名 必須", { exact: true }).fill(name);
  await page.getByLabel("所属（会社名・自治体名・学校名など）").fill(organisation);
  await page.getByLabel("区分 必須", { exact: true }).selectOption({ label: kind });
  if (schoolType) await page.getByLabel("学校種（区分が「学校」の方）").selectOption(schoolType);
  await page.getByLabel("都道府県 必須", { exact: true }).selectOption({ label: "東京都" });
  await page.getByLabel("メールアドレス 必須", { exact: true }).fill(email);
  await page.getByLabel("会場で参加").check();
  if (offers) {
    await page.getByLabel("参加者名簿に所属・区分・都道府県を載せ、面談の申込みを受ける").check();
    await page.getByLabel("提供できること").fill(offers);
    await page.getByLabel("探していること").fill(seeks);
  }
  await page.getByLabel("個人情報の取扱いに同意する").check();
  await Promise.all([page.waitForURL(/\/r\/\d+-/), page.getByRole("button", { name: "申し込む" }).click()]);
  return page.url();
}

test("registration on a phone, wait list, matchmaking to a published agenda, and check-in at the door", async () => {
  const page = await browser.context.newPage();
  // An empty form is refused with every message at the fields, nothing lost.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(event.public_url);
  await page.getByLabel("氏名").fill("入力 途中");
  await page.getByRole("button", { name: "申し込む" }).click();
  assert.match(await page.locator("#form-errors").textContent(), /区分を選んでください/);
  assert.equal(await page.getByLabel("氏名").inputValue(), "入力 途中");
  await check(page, "public-errors", 390);

  const company = await register(page, { name: "佐藤 陽菜", organisation: "株式会社ミライテック", kind: "企業", email: "sato@example.jp",
                                          offers: "プログラミング教材と出前授業", seeks: "実証に協力いただける中学校" }, true);
  assert.match(await page.locator("main").textContent(), /会場での参加が確定しています。/);
  assert.equal(await page.locator("svg.qr").count(), 1);
  await check(page, "personal", 390);
  const school = await register(page, { name: "鈴木 蓮", organisation: "港区立みなと中学校", kind: "学校", schoolType: "中学校",
                                         email: "suzuki@example.jp", offers: "総合的な学習の時間（年 35 時間）", seeks: "地元企業の講師" });
  const waiting = await register(page, { name: "高橋 結衣", organisation: "横浜市教育委員会", kind: "自治体・教育委員会", email: "takahashi@example.jp" });
  assert.match(await page.locator("main").textContent(), /キャンセル待ちの 1 番目です。/);
  await check(page, "personal-waiting", 390);
  assert.ok(waiting);

  // The company asks the school for a meeting; the school accepts.
  await page.goto(company);
  await page.getByLabel("優先度").selectOption("3");
  await page.getByRole("button", { name: /面談を申し込む.*港区立みなと中学校/ }).click();
  assert.match(await page.locator("main").textContent(), /面談を申し込みました。/);
  assert.match(await page.locator("main").textContent(), /申込み済み（優先度 3・回答待ち）/);
  await page.goto(school);
  await page.getByRole("button", { name: /承諾する.*株式会社ミライテック/ }).click();
  assert.match(await page.locator("main").textContent(), /面談の申込みを承諾しました。/);
  await check(page, "personal-matchmaking", 390);

  // The secretariat: grid, run, publish.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(server.base + "/login");
  await page.getByLabel("メールアドレス").fill(SECRETARIAT.email);
  await page.getByLabel("パスワード").fill(PASSWORD);
  await Promise.all([page.waitForURL(server.base + "/"), page.getByRole("button", { name: "ログイン" }).click()]);
  await openFromMenu(page, "会議・イベント", "イベント");
  await check(page, "list");
  await page.getByRole("link", { name: "全国成果報告会・マッチング商談会" }).click();
  assert.match(await page.locator("main").textContent(), /参加確定 2 人：目標の下限まであと 98 人/);
  await check(page, "event");
  await page.getByRole("link", { name: "マッチング" }).click();
  await page.getByLabel("テーブル数").fill("4");
  await page.getByRole("button", { name: "時間枠とテーブルを設定する" }).click();
  assert.match(await page.locator("main").textContent(), /時間枠 8 枠・テーブル 4 卓を設定しました。/);
  await page.getByRole("button", { name: "スケジュールを作成する" }).click();
  assert.match(await page.locator("main").textContent(), /承諾済みの申込み 1 件のうち 1 件を面談 1 件に割り当てました（未割当 0 件）。/);
  await page.getByRole("button", { name: "スケジュールを公開する" }).click();
  assert.match(await page.locator("main").textContent(), /スケジュールを公開し、面談のある参加者にメールで知らせました。/);
  await check(page, "matchmaking");
  await page.getByRole("link", { name: "参加者" }).click();
  await check(page, "registrations");

  // The school's agenda.
  await page.goto(school);
  const agenda = await page.getByRole("region", { name: "あなたの面談予定" }).textContent();
  assert.match(agenda, /株式会社ミライテック（企業）/);
  assert.match(agenda, /1 番/);

  // At the door, on a phone: the company's receipt number typed, the person shown, attendance marked.
  const receipt = (await (async () => { await page.goto(company); return page.locator(".receipt__number").textContent(); })()).trim();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${server.base}/events/${event.id}/checkin`);
  await page.getByLabel("受付番号または QR コード").fill(receipt.toLowerCase());
  await page.getByRole("button", { name: "探す" }).click();
  assert.match(await page.locator("main").textContent(), /佐藤 陽菜 さん/);
  await check(page, "checkin-person", 390);
  await page.getByRole("button", { name: "出席を記録する" }).click();
  assert.match(await page.locator("main").textContent(), /佐藤 陽菜さん（株式会社ミライテック）を受け付けました。/);
  assert.match(await page.locator("main").textContent(), /出席 1 人/);
  await check(page, "checkin", 390);
  await page.close();
});
