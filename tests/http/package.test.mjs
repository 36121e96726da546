// The report package (issue 25) over HTTP: who reaches which screen (secretariat writes and
// builds, METI previews and accepts the delivery, nobody else), a chapter saved with its errors
// at the field and a new version, the build started from the browser and run by the server's
// background task with progress, two builds at once refused, the ZIP per set, the delivery.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Browser, sql, startServer } from "./server.mjs";

const PASSWORD = "package password 1234";
const PEOPLE = {
  sec: { email: "sec@package.example", name: "事務 次郎", roles: ["secretariat"] },
  meti: { email: "meti@package.example", name: "経産 花子", roles: ["meti"] },
  bureau: { email: "bureau@package.example", name: "北海 道子", roles: ["bureau"], block: "hokkaido" },
  operator: { email: "op@package.example", name: "事業 三郎", roles: ["operator"], org: "株式会社つなぐ" },
};

let server;
const as = {};

before(async () => {
  server = await startServer({ users: Object.values(PEOPLE).map((p) => ({ ...p, password: PASSWORD })) });
  as.anonymous = new Browser(server.base);
  for (const [key, person] of Object.entries(PEOPLE)) {
    as[key] = new Browser(server.base);
    assert.equal((await as[key].login(person.email, PASSWORD)).status, 303, key);
  }
});
after(async () => server && (await server.stop()));

async function post(browser, path, form = {}) {
  const token = browser.csrfFrom((await browser.request("/notifications")).text_);
  return browser.request(path, { method: "POST", form: { csrf_token: token, ...form } });
}

const form1 = () => Number(sql(server.db, "SELECT id FROM package_chapters WHERE source = 'form1'"));

test("every route by role: the secretariat writes and builds, METI previews, others are refused", async () => {
  const id = form1();
  for (const path of ["/package", `/package/chapters/${id}`]) {
    assert.equal((await as.sec.request(path)).status, 200, path);
    assert.equal((await as.meti.request(path)).status, 200, path);
    assert.equal((await as.bureau.request(path)).status, 403, path);
    assert.equal((await as.operator.request(path)).status, 403, path);
    assert.equal((await as.anonymous.request(path)).status, 303, path);
  }
  for (const [path, form] of [[`/package/chapters/${id}`, { title: "x", markdown: "y" }], ["/package/builds", {}],
    ["/package/chapters", { title: "新しい章" }], [`/package/chapters/${id}/preview`, { markdown: "z" }],
    ["/package/exceptions", { finding_key: "a|b|c", reason: "理由を書きます" }]]) {
    for (const key of ["meti", "bureau", "operator"]) assert.equal((await post(as[key], path, form)).status, 403, `${key} ${path}`);
  }
  assert.equal((await as.sec.request("/package/chapters/9999")).status, 404);
  assert.equal((await as.meti.request("/package/builds/9999")).status, 404);
  // METI sees the chapter text but no editor.
  const page = await as.meti.request(`/package/chapters/${id}`);
  assert.doesNotMatch(page.text_, /<textarea/);
  assert.match((await as.sec.request(`/package/chapters/${id}`)).text_, /<textarea id="markdown"/);
});

test("a chapter keeps what was typed with the errors, then saves a new version; the preview renders it", async () => {
  const added = await post(as.sec, "/package/chapters", { title: "はじめに" });
  assert.equal(added.status, 303);
  const id = Number(/\/package\/chapters\/(\d+)/.exec(added.headers.get("location"))[1]);
  const invalid = await post(as.sec, `/package/chapters/${id}`, { title: "", markdown: "# 見出し\n本文" });
  assert.equal(invalid.status, 422);
  assert.match(invalid.text_, /章の題名を入力してください。/);
  assert.match(invalid.text_, /1行目: 本文に章の見出し（# ）は書けません。節は ## で書いてください。/);
  assert.match(invalid.text_, /# 見出し\n本文<\/textarea>/);
  const saved = await post(as.sec, `/package/chapters/${id}`, { title: "はじめに", markdown: "## 目的\n\n本報告書の目的。\n" });
  assert.equal(saved.status, 303);
  const page = await as.sec.request(`/package/chapters/${id}`);
  assert.match(page.text_, /第2版/);
  assert.match(page.text_, /本報告書の目的。/);
  const preview = await post(as.sec, `/package/chapters/${id}/preview`, { markdown: "## 節\n\n**強調**" });
  assert.equal(preview.status, 200);
  assert.match(preview.text_, /<strong>強調<\/strong>/);
  assert.equal(sql(server.db, `SELECT COUNT(*) FROM audit_log WHERE action = 'package.chapter_saved' AND object = 'package_chapter:${id}'`), "1");
});

test("the build runs in the background with progress; a second one is refused; the sets download as ZIP; METI accepts", async () => {
  const text = "## 事業の目的\n\n目的。\n\n## 事業の内容\n\n内容。\n\n## 事業の成果\n\n成果。\n\n## 今後の課題\n\n課題。\n";
  assert.equal((await post(as.sec, `/package/chapters/${form1()}`, { title: "様式1（概要）", markdown: text })).status, 303);
  const started = await post(as.sec, "/package/builds");
  assert.equal(started.status, 303);
  const build = Number(/\/package\/builds\/(\d+)/.exec(started.headers.get("location"))[1]);
  const again = await post(as.sec, "/package/builds");
  assert.equal(again.status, 409);
  assert.match(again.text_, /別の報告書パッケージを作成中です。終わってから、もう一度実行してください。/);
  let progress;
  for (let i = 0; i < 120; i++) {
    progress = await as.sec.request(`/package/builds/${build}/progress`);
    if (!/hx-trigger="every 2s"/.test(progress.text_)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.match(progress.text_, /状態: <strong>作成済み<\/strong>/, progress.text_);
  for (const [key, status] of [["sec", 200], ["meti", 200], ["bureau", 403]]) {
    const zip = await as[key].request(`/package/builds/${build}/public.zip`);
    assert.equal(zip.status, status, key);
  }
  const zip = await fetch(`${server.base}/package/builds/${build}/non-public.zip`, { headers: { cookie: as.meti.cookieHeader() } });
  assert.equal(zip.headers.get("content-type"), "application/zip");
  const bytes = Buffer.from(await zip.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), "PK");
  assert.ok(bytes.includes(Buffer.from("non-public/様式1_概要.docx")));
  assert.equal((await post(as.sec, `/package/builds/${build}/deliver`)).status, 403);
  assert.equal((await post(as.meti, `/package/builds/${build}/deliver`)).status, 303);
  assert.match((await as.meti.request(`/package/builds/${build}`)).text_, /納品済み/);
  assert.equal(sql(server.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'package.delivered'"), "1");
});
