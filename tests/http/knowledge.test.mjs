// HTTP tests of the knowledge module (issue 19) against a real server: the curation workflow
// from an operator's draft to the public page and its access rules per role, the personal-
// information check blocking approval, withdrawal, and — for each way out — proof that an
// unpublished case never reaches /cases, the open data or /api/v1/cases without a token. Also
// 1-, 2- and 3-character queries through the public page and the API, photos stored without
// metadata, and the import of last year's collection with a column mapping.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, Browser, kakehashi, sql as sqlIn } from "./server.mjs";

const PASSWORD = "knowledge password 1234";
const USERS = {
  secretariat: { email: "secretariat@example.jp", name: "事務 次郎", roles: ["secretariat"], org: "架け橋事務局" },
  meti: { email: "meti@example.jp", name: "経産 花子", roles: ["meti"], org: "経済産業省" },
  hokkaido: { email: "hokkaido@example.jp", name: "北海 一子", roles: ["bureau"], org: "北海道経済産業局", block: "hokkaido" },
  kanto: { email: "kanto@example.jp", name: "関東 一子", roles: ["bureau"], org: "関東経済産業局", block: "kanto" },
  opA: { email: "a@operator.example", name: "実証 五郎", roles: ["operator"], org: "株式会社みらい産学連携" },
  opB: { email: "b@operator.example", name: "学び 花", roles: ["operator"], org: "一般社団法人まなびブリッジ" },
  reviewer: { email: "r1@example.jp", name: "審査 一郎", roles: ["reviewer"], org: "外部審査委員会" },
};
const TITLE = "英語で商談を体験するＩＴ企業の授業";

let server;
const as = {};
const tokens = {};
let anonymous;
const sql = (query) => sqlIn(server.db, query);

async function token(browser, path = "/knowledge") {
  const page = await browser.request(path);
  const value = browser.csrfFrom(page.text_);
  assert.ok(value, `a CSRF token on ${path}`);
  return value;
}
async function post(who, path, form) {
  return as[who].request(path, { method: "POST", form: { csrf_token: await token(as[who]), ...form } });
}
async function postMultipart(who, path, fields, file) {
  const body = new FormData();
  body.set("csrf_token", await token(as[who]));
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  if (file) body.set(file.field, new Blob([file.bytes], { type: file.type }), file.name);
  return as[who].request(path, { method: "POST", body });
}
async function api(path, who) {
  const headers = who ? { authorization: `Bearer ${tokens[who]}` } : {};
  const response = await fetch(server.base + path, { headers });
  return { status: response.status, body: response.status === 200 ? await response.json() : null };
}
async function statuses(path) {
  const out = {};
  for (const who of Object.keys(USERS)) out[who] = (await as[who].request(path)).status;
  out.anonymous = (await anonymous.request(path)).status;
  return out;
}

// Everything the public can reach must not mention `text`.
async function assertNotPublic(id, text) {
  assert.equal((await anonymous.request(`/cases/${id}`)).status, 404, "no public page");
  assert.doesNotMatch((await anonymous.request("/cases?q=" + encodeURIComponent("英語"))).text_, new RegExp(`href="/cases/${id}"`));
  assert.doesNotMatch((await anonymous.request("/cases")).text_, new RegExp(`href="/cases/${id}"`));
  assert.doesNotMatch((await anonymous.request("/cases")).text_, new RegExp(text));
  assert.doesNotMatch((await anonymous.request("/cases/data.csv")).text_, new RegExp(text));
  assert.doesNotMatch((await anonymous.request("/cases/data.json")).text_, new RegExp(text));
  assert.equal((await api(`/api/v1/cases/${id}`)).status, 404, "no API item without a token");
  const listed = await api("/api/v1/cases?q=" + encodeURIComponent("英語"));
  assert.equal(listed.status, 200);
  assert.ok(!listed.body.items.some((c) => c.id === id), "not in the API list without a token");
}

before(async () => {
  server = await startServer({ users: Object.values(USERS).map((u) => ({ ...u, password: PASSWORD })) });
  for (const [key, user] of Object.entries(USERS)) {
    as[key] = new Browser(server.base);
    const response = await as[key].login(user.email, PASSWORD);
    assert.equal(response.status, 303, `login of ${key}`);
    const made = kakehashi(["token", "create", "--db", server.db, "--email", user.email]);
    assert.equal(made.status, 0, made.stderr);
    tokens[key] = made.stdout.trim();
  }
  anonymous = new Browser(server.base);
});
after(async () => {
  await server?.stop();
});

let caseId;

test("an operator's draft is seen within reach only and never reaches the public", async () => {
  const created = await post("opA", "/knowledge/new", {
    kind: "case", title: TITLE, summary: "外資系の社員が英語の授業で商談を再現した。連絡は 090-1234-5678 まで。",
    body: "## 内容\n- ロールプレイ\n- 教材づくり", category: "hito", block_id: "hokkaido", prefecture: "北海道",
    school_types: "junior_high", year: "2026", consent: "1", consent_note: "学校長から書面で同意",
  });
  assert.equal(created.status, 303, created.text_);
  caseId = Number(/\/knowledge\/items\/(\d+)$/.exec(created.headers.get("location"))[1]);
  assert.equal(sql(`SELECT status FROM knowledge_items WHERE id = ${caseId}`), "draft");
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'knowledge.create' AND object = 'knowledge:${caseId}'`), "1");
  assert.deepEqual(await statuses(`/knowledge/items/${caseId}`), {
    secretariat: 200, meti: 200, hokkaido: 200, kanto: 404, opA: 200, opB: 404, reviewer: 403, anonymous: 303,
  });
  // The staff search finds it for those in reach only.
  const own = await as.opA.request("/knowledge/cases?q=" + encodeURIComponent("商談"));
  assert.match(own.text_, new RegExp(`href="/knowledge/items/${caseId}"`));
  assert.match(own.text_, /英語で<mark>商談<\/mark>を体験する/, "the hit is marked in the title");
  assert.doesNotMatch((await as.opB.request("/knowledge/cases?q=" + encodeURIComponent("商談"))).text_, new RegExp(`/knowledge/items/${caseId}"`));
  // Another operator cannot edit or submit it.
  assert.equal((await post("opB", `/knowledge/items/${caseId}/submit`, {})).status, 404);
  await assertNotPublic(caseId, "英語で商談");
  // With a token the API lists all in the holder's scope.
  const sec = await api(`/api/v1/cases/${caseId}`, "secretariat");
  assert.equal(sec.status, 200);
  assert.equal(sec.body.status, "draft");
  assert.equal((await api(`/api/v1/cases/${caseId}`, "opB")).status, 404);
  const drafts = await api("/api/v1/cases?status=draft", "secretariat");
  assert.ok(drafts.body.items.some((c) => c.id === caseId));
});

test("curation: review, the personal-information check blocks approval until accepted, then publication", async () => {
  assert.equal((await post("opA", `/knowledge/items/${caseId}/submit`, {})).status, 303);
  assert.equal(sql(`SELECT status FROM knowledge_items WHERE id = ${caseId}`), "review");
  // Only the secretariat curates: the others stop at the gate.
  for (const who of ["opA", "meti", "hokkaido"]) assert.equal((await post(who, `/knowledge/items/${caseId}/approve`, {})).status, 403, who);
  const blocked = await post("secretariat", `/knowledge/items/${caseId}/approve`, {});
  assert.equal(blocked.status, 422);
  assert.match(blocked.text_, /個人情報の可能性がある箇所が 1 件あります。本文を修正するか、理由を記入して公開を了承してください/);
  assert.match(blocked.text_, /電話番号/);
  assert.match(blocked.text_, /<td>090-\*\*\*\*-\*\*78<\/td>/, "the finding shows the number masked");
  await assertNotPublic(caseId, "英語で商談");
  const noReason = await post("secretariat", `/knowledge/items/${caseId}/accept`, { reason: "" });
  assert.equal(noReason.status, 422);
  assert.match(noReason.text_, /公開してよい理由を入力してください/);
  assert.equal((await post("secretariat", `/knowledge/items/${caseId}/accept`, { reason: "学校の代表番号で掲載の了承あり" })).status, 303);
  assert.equal((await post("secretariat", `/knowledge/items/${caseId}/approve`, {})).status, 303);
  await assertNotPublic(caseId, "英語で商談");  // approved is not yet published
  assert.equal((await post("secretariat", `/knowledge/items/${caseId}/publish`, {})).status, 303);
  for (const action of ["submit", "check", "accept", "approve", "publish"])
    assert.notEqual(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'knowledge.${action}' AND object = 'knowledge:${caseId}'`), "0", action);

  const page = await anonymous.request(`/cases/${caseId}`);
  assert.equal(page.status, 200);
  assert.match(page.text_, /英語で商談を体験するＩＴ企業の授業/);
  assert.doesNotMatch(page.text_, /学校長から書面で同意/, "the consent note is not public");
  assert.doesNotMatch(page.text_, /実証 五郎/, "no author's name");
});

test("search answers 1-, 2- and 3-character queries and width/kana variants on the page and the API", async () => {
  for (const q of ["英", "英語", "商談を", "ｉｔ", "IT", "ロールプレイ", "ろーるぷれい", "ﾛｰﾙﾌﾟﾚｲ"]) {
    const page = await anonymous.request("/cases?q=" + encodeURIComponent(q));
    assert.equal(page.status, 200);
    assert.match(page.text_, new RegExp(`href="/cases/${caseId}"`), `page finds ${q}`);
    const listed = await api("/api/v1/cases?q=" + encodeURIComponent(q));
    assert.ok(listed.body.items.some((c) => c.id === caseId), `API finds ${q}`);
  }
  const hit = await anonymous.request("/cases?q=" + encodeURIComponent("商談"));
  assert.match(hit.text_, /<mark>商談<\/mark>/);
  const caseLink = new RegExp(`href="/cases/${caseId}"`);
  assert.doesNotMatch((await anonymous.request("/cases?q=" + encodeURIComponent("宇宙"))).text_, caseLink);
  // % and _ are characters to find, not wildcards (PostgreSQL answers with LIKE, SQLite with FTS5).
  for (const q of ["商%談", "商_談", "英語%"]) {
    assert.doesNotMatch((await anonymous.request("/cases?q=" + encodeURIComponent(q))).text_, caseLink, q);
  }
  // Facets narrow the result.
  assert.match((await anonymous.request("/cases?category=hito&block=hokkaido")).text_, caseLink);
  assert.doesNotMatch((await anonymous.request("/cases?category=kane")).text_, caseLink);
  const one = await api(`/api/v1/cases/${caseId}`);
  assert.equal(one.status, 200);
  assert.equal(one.body.title, TITLE);
  assert.match(one.body.summary, /外資系の社員/);
  assert.match(one.body.body, /ロールプレイ/);
  assert.equal(one.body.status, undefined, "no workflow state without a token");
  const bad = await fetch(server.base + "/api/v1/cases?per_page=500");
  assert.equal(bad.status, 400);
});

test("the open data: CSV with BOM, JSON and DCAT metadata with the government licence", async () => {
  const csv = await fetch(server.base + "/cases/data.csv");
  const bytes = new Uint8Array(await csv.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = new TextDecoder().decode(bytes);
  assert.match(text, /英語で商談を体験するＩＴ企業の授業/);
  assert.match(text, /,01,北海道,/, "prefecture code beside the name");
  const json = await (await fetch(server.base + "/cases/data.json")).json();
  assert.equal(json.cases.length, 1);
  assert.equal(json.license, "政府標準利用規約（第2.0版）");
  const dcat = await (await fetch(server.base + "/cases/dcat.json")).json();
  assert.equal(dcat["@type"], "dcat:Dataset");
  assert.match(dcat["dct:rights"], /CC BY 4.0/);
  assert.equal(dcat["dcat:distribution"].length, 2);
  assert.match(dcat["dct:modified"], /^\d{4}-\d{2}-\d{2}$/);
});

test("a withdrawn case leaves the public pages, the open data and the anonymous API", async () => {
  const refused = await post("secretariat", `/knowledge/items/${caseId}/withdraw`, { reason: "" });
  assert.equal(refused.status, 422);
  assert.match(refused.text_, /公開を停止する理由を入力してください/);
  assert.equal((await post("secretariat", `/knowledge/items/${caseId}/withdraw`, { reason: "企業から掲載停止の依頼" })).status, 303);
  await assertNotPublic(caseId, "英語で商談");
  assert.equal((await api(`/api/v1/cases/${caseId}`, "secretariat")).body.status, "withdrawn");
});

test("photos are stored without EXIF and served publicly only once the case is published", async () => {
  const created = await post("secretariat", "/knowledge/new", {
    kind: "case", title: "写真つきの事例", summary: "工場見学の様子", category: "mono", year: "2026", consent: "1",
  });
  const id = Number(/(\d+)$/.exec(created.headers.get("location"))[1]);
  // A JPEG whose EXIF names the photographer (Artist) and carries GPS.
  const tiff = Buffer.concat([
    Buffer.from("MM\x00\x2A\x00\x00\x00\x08\x00\x02", "latin1"),
    Buffer.from("\x01\x3B\x00\x02\x00\x00\x00\x04Taro", "latin1"),
    Buffer.from("\x88\x25\x00\x04\x00\x00\x00\x01\x00\x00\x00\x26\x00\x00\x00\x00", "latin1"),
    Buffer.from("\x00\x01\x00\x01\x00\x02\x00\x00\x00\x02N\x00\x00\x00\x00\x00\x00\x00", "latin1"),
  ]);
  const app1 = Buffer.concat([Buffer.from("Exif\x00\x00", "latin1"), tiff]);
  const len = app1.length + 2;
  const jpeg = Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe1, len >> 8, len & 0xff]), app1,
    Buffer.from([0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00]), Buffer.from("pixels"), Buffer.from([0xff, 0xd9]),
  ]);
  const added = await postMultipart("secretariat", `/knowledge/items/${id}/photos`, { caption: "見学の様子" },
                                    { field: "photo", bytes: jpeg, type: "image/jpeg", name: "p.jpg" });
  assert.equal(added.status, 303, added.text_);
  const photo = sql(`SELECT id FROM knowledge_photos WHERE item_id = ${id}`);
  const stored = await as.secretariat.request(`/knowledge/photos/${photo}`);
  assert.equal(stored.status, 200);
  assert.doesNotMatch(stored.text_, /Taro/);
  assert.doesNotMatch(stored.text_, /Exif/);
  assert.match(stored.text_, /pixels/);
  assert.equal((await anonymous.request(`/cases/photos/${photo}`)).status, 404);
  assert.equal((await as.opB.request(`/knowledge/photos/${photo}`)).status, 404);
  for (const step of ["submit", "approve", "publish"]) assert.equal((await post("secretariat", `/knowledge/items/${id}/${step}`, {})).status, 303, step);
  const open = await anonymous.request(`/cases/photos/${photo}`);
  assert.equal(open.status, 200);
  assert.equal(open.headers.get("content-type"), "image/jpeg");
});

test("last year's collection is imported with a column mapping and keeps its source and year", async () => {
  const csv = "事例名,概要,連携分野,所在地\n信用金庫の金融教育,信用金庫が出前授業,カネ,福岡県\n工場をオンライン見学,工場と学校を中継,モノ,長崎県\n";
  const uploaded = await postMultipart("secretariat", "/knowledge/import", {}, { field: "file", bytes: Buffer.from(csv), type: "text/csv", name: "2025.csv" });
  assert.equal(uploaded.status, 303);
  const mapping = uploaded.headers.get("location");
  const screen = await as.secretariat.request(mapping);
  assert.match(screen.text_, /<option value="事例名" selected>/, "guessed from the header");
  const missing = await post("secretariat", mapping, { col_title: "事例名", col_summary: "", col_category: "連携分野", source: "2025年度事例集", year: "2025" });
  assert.equal(missing.status, 422);
  assert.match(missing.text_, /「概要」の列を選んでください/);
  const done = await post("secretariat", mapping, { col_title: "事例名", col_summary: "概要", col_category: "連携分野", col_prefecture: "所在地", source: "2025年度事例集", year: "2025" });
  assert.equal(done.status, 303);
  assert.equal(sql("SELECT COUNT(*) FROM knowledge_items WHERE source = '2025年度事例集' AND year = 2025 AND status = 'review'"), "2");
  assert.equal(sql("SELECT block_id FROM knowledge_items WHERE title = '信用金庫の金融教育'"), "kyushu");
  // Only the secretariat imports.
  assert.equal((await as.opA.request("/knowledge/import")).status, 403);
  assert.equal((await as.meti.request("/knowledge/import")).status, 403);
  await assertNotPublic(Number(sql("SELECT id FROM knowledge_items WHERE title = '信用金庫の金融教育'")), "信用金庫の金融教育");
});
