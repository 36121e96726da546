// HTTP tests of personal API tokens (issue 15): made by the CLI and on the person's own page
// (shown once), accepted as `Authorization: Bearer` on /api/v1 only and never for screens or
// forms, refused when expired, revoked or the owner is deactivated, with the holder's roles
// unchanged; and the public OpenAPI document, every described endpoint answering.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, Browser, kakehashi, sql, waitForMails } from "./server.mjs";

const SECRETARIAT = { email: "jimu@example.jp", name: "事務 花子", roles: ["secretariat"], password: "secretariat pass 1", org: "架け橋事務局" };
const REVIEWER = { email: "shinsa@example.jp", name: "審査 一郎", roles: ["reviewer"], password: "reviewer pass 1" };
const OPERATOR = { email: "op@sakura.example", name: "事業 太郎", roles: ["operator"], password: "operator pass 1", org: "株式会社サクラ" };
const BUREAU = { email: "kanto@example.go.jp", name: "関東 一郎", roles: ["bureau"], password: "bureau password 1", org: "関東経済産業局", block: "kanto" };

let server;
before(async () => {
  server = await startServer({ users: [SECRETARIAT, REVIEWER, OPERATOR, BUREAU] });
});
after(async () => {
  assert.equal(await server.stop(), 0, "server exits cleanly on SIGTERM");
});

const TOKEN = /^kk_\d+_[A-Za-z0-9_-]{43}$/;

// A token for `user` from the console: the secret on stdout, once.
function cliToken(user, ...args) {
  const made = kakehashi(["token", "create", "--db", server.db, "--email", user.email, ...args]);
  assert.equal(made.status, 0, made.stderr);
  assert.match(made.stderr, /^API トークンを作成しました（ID \d+、有効期限 .+）。この表示は一度だけです。\n$/);
  const secret = made.stdout.trim();
  assert.match(secret, TOKEN);
  return secret;
}

const tokenId = (secret) => secret.split("_")[1];

function api(path, token, init = {}) {
  return fetch(server.base + path, { redirect: "manual", ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
}

async function signedIn(user) {
  const browser = new Browser(server.base);
  assert.equal((await browser.login(user.email, user.password)).status, 303, `${user.email} signs in`);
  return browser;
}

async function expectRefused(response, what) {
  assert.equal(response.status, 401, what);
  assert.equal(response.headers.get("www-authenticate"), 'Bearer realm="kakehashi", error="invalid_token"', what);
  assert.match(response.headers.get("content-type"), /^application\/json/, what);
  assert.deepEqual(await response.json(), {
    error: { code: "invalid_token", message: "API トークンが無効です（有効期限切れ・失効・入力の誤り）。画面の「API トークン」で状態を確認してください。" },
  }, what);
}

test("a token made by the CLI reads /api/v1 as its holder, and the list shows its use but never the secret", async () => {
  const secret = cliToken(SECRETARIAT, "--name", "月次集計", "--days", "30");
  const me = await api("/api/v1/me", secret);
  assert.equal(me.status, 200);
  assert.equal(me.headers.get("cache-control"), "no-store");
  const body = await me.json();
  assert.equal(body.name, SECRETARIAT.name);
  assert.deepEqual(body.roles, ["secretariat"]);
  assert.equal((await api("/api/v1/blocks", secret)).status, 200);
  const listed = kakehashi(["token", "list", "--db", server.db, "--email", SECRETARIAT.email]);
  assert.equal(listed.status, 0, listed.stderr);
  const row = listed.stdout.split("\n").find((line) => line.startsWith(tokenId(secret) + "\t"));
  assert.match(row, /^\d+\t有効\t\d{4}-\d\d-\d\d \d\d:\d\d\t\d{4}-\d\d-\d\d \d\d:\d\d\t\d{4}-\d\d-\d\d \d\d:\d\d\t月次集計$/);
  assert.ok(!listed.stdout.includes(secret.split("_").slice(2).join("_")), "the list never shows the secret");
  // Only the SHA-256 is stored; the audit entry names the owner, not the secret or the name.
  assert.equal(sql(server.db, "SELECT COUNT(*) FROM api_tokens WHERE length(secret_hash) <> 32"), "0", "32 bytes: a SHA-256, not the secret");
  const userId = sql(server.db, `SELECT id FROM users WHERE email = '${SECRETARIAT.email}'`);
  assert.equal(sql(server.db, `SELECT actor || ' ' || detail FROM audit_log WHERE action = 'api_token.create' AND object = 'api_token:${tokenId(secret)}'`),
               `system {"days":30,"owner":${userId}}`);
});

test("without a token /api/v1 answers 401 JSON with WWW-Authenticate: Bearer; a bad token likewise", async () => {
  const anonymous = await fetch(server.base + "/api/v1/me");
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.headers.get("www-authenticate"), 'Bearer realm="kakehashi"');
  assert.equal((await anonymous.json()).error.code, "unauthorized");
  const secret = cliToken(OPERATOR);
  await expectRefused(await api("/api/v1/me", secret.slice(0, -1) + (secret.endsWith("A") ? "B" : "A")), "a wrong secret");
  await expectRefused(await api("/api/v1/me", "kk_999999_" + secret.slice(-43)), "an unknown id");
  await expectRefused(await api("/api/v1/me", "not-a-token"), "other text");
  await expectRefused(await api("/api/v1/me", ""), "an empty bearer");
});

test("a token is never accepted for screens or form posts: CSRF and the session stay the only way in", async () => {
  const secret = cliToken(SECRETARIAT);
  for (const path of ["/", "/admin/users", "/account/tokens"]) {
    const page = await api(path, secret);
    assert.equal(page.status, 303, `${path} with a bearer token`);
    assert.match(page.headers.get("location"), /^\/login\?next=/, path);
  }
  const before = sql(server.db, "SELECT COUNT(*) FROM api_tokens");
  const post = await api("/account/tokens", secret, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "name=forged&days=30",
  });
  assert.equal(post.status, 303, "a form post with only a bearer token is treated as anonymous");
  assert.equal(sql(server.db, "SELECT COUNT(*) FROM api_tokens"), before, "nothing was made");
  // A signed-in browser posting without the form's CSRF token is refused even with a token.
  const browser = await signedIn(SECRETARIAT);
  const forged = await browser.request("/account/tokens", { method: "POST", form: { name: "forged" }, headers: { authorization: `Bearer ${secret}` } });
  assert.equal(forged.status, 403);
  assert.equal(sql(server.db, "SELECT COUNT(*) FROM api_tokens"), before);
});

test("expired, revoked and deactivated-owner tokens are refused with 401", async () => {
  const expiring = cliToken(OPERATOR, "--days", "1");
  assert.equal((await api("/api/v1/me", expiring)).status, 200);
  sql(server.db, `UPDATE api_tokens SET expires_at = ${Math.floor(Date.now() / 1000) - 1} WHERE id = ${tokenId(expiring)}`);
  await expectRefused(await api("/api/v1/me", expiring), "expired");

  const revoked = cliToken(OPERATOR);
  assert.equal((await api("/api/v1/me", revoked)).status, 200);
  const done = kakehashi(["token", "revoke", "--db", server.db, "--id", tokenId(revoked)]);
  assert.equal(done.status, 0, done.stderr);
  assert.equal(done.stdout, `API トークン ${tokenId(revoked)} を失効させました\n`);
  await expectRefused(await api("/api/v1/me", revoked), "revoked by the console");
  const unknown = kakehashi(["token", "revoke", "--db", server.db, "--id", "999999"]);
  assert.equal(unknown.status, 2);
  assert.equal(unknown.stderr, "kakehashi: API トークンが見つかりません\n");

  const bureau = cliToken(BUREAU);
  assert.equal((await api("/api/v1/me", bureau)).status, 200);
  const admin = await signedIn(SECRETARIAT);
  const bureauId = sql(server.db, `SELECT id FROM users WHERE email = '${BUREAU.email}'`);
  const edit = await admin.request(`/admin/users/${bureauId}/edit`);
  const off = await admin.request(`/admin/users/${bureauId}/deactivate`, { method: "POST", form: { csrf_token: admin.csrfFrom(edit.text_) } });
  assert.equal(off.status, 303);
  await expectRefused(await api("/api/v1/me", bureau), "owner deactivated");
  const on = await admin.request(`/admin/users/${bureauId}/reactivate`, { method: "POST", form: { csrf_token: admin.csrfFrom(edit.text_) } });
  assert.equal(on.status, 303);
  assert.equal((await api("/api/v1/me", bureau)).status, 200, "works again once reactivated");
});

test("the holder's roles apply unchanged: a reviewer's token is a reviewer on /api/v1, and a bureau's keeps its block", async () => {
  const reviewer = cliToken(REVIEWER);
  const me = await (await api("/api/v1/me", reviewer)).json();
  assert.deepEqual(me.roles, ["reviewer"]);
  assert.equal(me.name, REVIEWER.name);
  const bureau = await (await api("/api/v1/me", cliToken(BUREAU))).json();
  assert.deepEqual([bureau.roles, bureau.block_id], [["bureau"], "kanto"]);
});

test("on the own page: make a token (shown once, errors beside the fields, told by mail [IPA-6-(ii)]), use it, revoke it after a confirmation", async () => {
  const browser = await signedIn(OPERATOR);
  const page = await browser.request("/account/tokens");
  assert.equal(page.status, 200);
  assert.match(page.text_, /<h1 class="page-title">API トークン<\/h1>/);

  const bad = await browser.request("/account/tokens", { method: "POST", form: { csrf_token: browser.csrfFrom(page.text_), name: "", days: "400" } });
  assert.equal(bad.status, 422);
  assert.match(bad.text_, /<p class="form-field__error" id="name-error">トークンの名前を入力してください<\/p>/);
  assert.match(bad.text_, /<p class="form-field__error" id="days-error">有効期間は 1〜365 の日数（半角数字）で入力してください<\/p>/);
  assert.match(bad.text_, /id="days" name="days"[^>]* value="400"/, "what was typed is kept");

  const made = await browser.request("/account/tokens", { method: "POST", form: { csrf_token: browser.csrfFrom(page.text_), name: "Power Query 用", days: "90" } });
  assert.equal(made.status, 200);
  assert.equal(made.headers.get("cache-control"), "no-store");
  assert.match(made.text_, /API トークン「Power Query 用」を作成しました/);
  const secret = /id="token-secret"[^>]* value="([^"]+)"/.exec(made.text_)?.[1];
  assert.match(secret, TOKEN);
  assert.equal((await (await api("/api/v1/me", secret)).json()).name, OPERATOR.name);
  const [issuedMail] = await waitForMails(server.mailDir, { to: OPERATOR.email, subject: /API トークンが発行されました/ });
  assert.match(issuedMail.body, /API トークン「Power Query 用」が .+ に発行されました/);
  assert.ok(!issuedMail.body.includes(secret.slice(-43)), "the secret is never mailed");

  const list = await browser.request("/account/tokens");
  assert.ok(!list.text_.includes(secret), "the secret is shown only once");
  assert.match(list.text_, /<th scope="row">Power Query 用<\/th>(<td>[^<]+<\/td>){3}<td><span class="badge badge--open">有効<\/span><\/td>/);
  const confirm = await browser.request(`/account/tokens/${tokenId(secret)}/revoke`);
  assert.equal(confirm.status, 200);
  assert.match(confirm.text_, /API トークン「Power Query 用」を失効させますか。/);
  // Another person cannot see or revoke it.
  const other = await signedIn(SECRETARIAT);
  assert.equal((await other.request(`/account/tokens/${tokenId(secret)}/revoke`)).status, 404);
  const otherPage = await other.request("/account/tokens");
  assert.equal((await other.request(`/account/tokens/${tokenId(secret)}/revoke`, { method: "POST", form: { csrf_token: other.csrfFrom(otherPage.text_) } })).status, 404);
  assert.equal((await api("/api/v1/me", secret)).status, 200);

  const revoked = await browser.request(`/account/tokens/${tokenId(secret)}/revoke`, { method: "POST", form: { csrf_token: browser.csrfFrom(confirm.text_) } });
  assert.equal(revoked.status, 303);
  assert.equal(revoked.headers.get("location"), "/account/tokens");
  const after = await browser.request("/account/tokens");
  assert.match(after.text_, /API トークン「Power Query 用」を失効させました。/);
  assert.match(after.text_, /<th scope="row">Power Query 用<\/th>(<td>[^<]+<\/td>){3}<td><span class="badge badge--closed">失効<\/span><\/td><td><\/td>/);
  await expectRefused(await api("/api/v1/me", secret), "revoked on the page");
  const operatorId = sql(server.db, `SELECT id FROM users WHERE email = '${OPERATOR.email}'`);
  assert.equal(sql(server.db, `SELECT actor || ' ' || detail FROM audit_log WHERE action = 'api_token.revoke' AND object = 'api_token:${tokenId(secret)}'`),
               `user:${operatorId} {"by_owner":true,"owner":${operatorId}}`);
});

test("the OpenAPI document is public, OpenAPI 3.1, and every endpoint it describes answers a token", async () => {
  const response = await fetch(server.base + "/api/v1/openapi.json");
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type"), /^application\/json/);
  const doc = await response.json();
  assert.equal(doc.openapi, "3.1.0");
  assert.equal(doc.components.securitySchemes.bearerAuth.scheme, "bearer");
  const secret = cliToken(SECRETARIAT);
  const paths = Object.keys(doc.paths);
  assert.ok(paths.includes("/api/v1/me") && paths.includes("/api/v1/blocks"), paths.join(", "));
  for (const path of paths) {
    if (path.includes("{")) continue;
    const answer = await api(path, secret);
    assert.equal(answer.status, 200, `${path} as documented`);
    await answer.arrayBuffer();
  }
});

test("a user manager sees a person's tokens (never their secrets) and revokes one, audited as not by the owner", async () => {
  const secret = cliToken(OPERATOR, "--name", "漏れたかもしれない");
  const admin = await signedIn(SECRETARIAT);
  const operatorId = sql(server.db, `SELECT id FROM users WHERE email = '${OPERATOR.email}'`);
  const edit = await admin.request(`/admin/users/${operatorId}/edit`);
  assert.equal(edit.status, 200);
  assert.match(edit.text_, /<th scope="row">漏れたかもしれない<\/th>/);
  assert.ok(!edit.text_.includes(secret.slice(-43)), "the secret is nowhere on the page");
  const action = `/admin/users/${operatorId}/tokens/${tokenId(secret)}/revoke`;
  assert.ok(edit.text_.includes(`action="${action}"`));
  // Another person's token through this user's address: 404.
  const otherToken = cliToken(REVIEWER);
  const wrong = await admin.request(`/admin/users/${operatorId}/tokens/${tokenId(otherToken)}/revoke`, { method: "POST", form: { csrf_token: admin.csrfFrom(edit.text_) } });
  assert.equal(wrong.status, 404);
  assert.equal((await api("/api/v1/me", otherToken)).status, 200);
  const done = await admin.request(action, { method: "POST", form: { csrf_token: admin.csrfFrom(edit.text_) } });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get("location"), `/admin/users/${operatorId}/edit`);
  assert.match((await admin.request(`/admin/users/${operatorId}/edit`)).text_, /API トークン「漏れたかもしれない」を失効させました。/);
  await expectRefused(await api("/api/v1/me", secret), "revoked by a user manager");
  const [revokedMail] = await waitForMails(server.mailDir, { to: OPERATOR.email, subject: /API トークンが失効されました/ });
  assert.match(revokedMail.body, /API トークン「漏れたかもしれない」が .+ に管理者により失効されました/);
  const secretariatId = sql(server.db, `SELECT id FROM users WHERE email = '${SECRETARIAT.email}'`);
  assert.equal(sql(server.db, `SELECT actor || ' ' || detail FROM audit_log WHERE action = 'api_token.revoke' AND object = 'api_token:${tokenId(secret)}'`),
               `user:${secretariatId} {"by_owner":false,"owner":${operatorId}}`);
});
