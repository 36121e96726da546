// HTTP tests against a real `kakehashi serve` (issue #2): login with CSRF, session rotation,
// security headers, lock-out, limits, timeouts, access rules.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { startServer, Browser, sql } from "./server.mjs";

const SECRETARIAT = { email: "jimu@example.jp", name: "事務 花子", roles: ["secretariat"], password: "secretariat pass 1", org: "架け橋事務局" };
const PARTICIPANT = { email: "sanka@example.jp", name: "参加 太郎", roles: ["participant"], password: "participant pass 1" };
const OFFICER = { email: "joho@example.jp", name: "情報 次郎", roles: ["security_officer"], password: "officer pass 12" };
const LOCKED = { email: "lock@example.jp", name: "施錠 三郎", roles: ["reviewer"], password: "reviewer pass 1" };

let server;
before(async () => {
  server = await startServer({ users: [SECRETARIAT, PARTICIPANT, OFFICER, LOCKED] });
});
after(async () => {
  assert.equal(await server.stop(), 0, "server exits cleanly on SIGTERM");
});

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

function assertSecurityHeaders(response, what) {
  assert.equal(response.headers.get("content-security-policy"), CSP, `CSP on ${what}`);
  assert.equal(response.headers.get("x-content-type-options"), "nosniff", what);
  assert.equal(response.headers.get("x-frame-options"), "DENY", what);
  assert.equal(response.headers.get("referrer-policy"), "same-origin", what);
}

test("login with the form's CSRF token reaches the dashboard, and the session id changes [IPA-4-(iv)-a] [IPA-4-(v)]", async () => {
  const browser = new Browser(server.base);
  // A stale session cookie from an earlier visit: login must not keep it (fixation).
  const stale = "A".repeat(43);
  browser.cookies.set("kakehashi_session", stale);
  const loginPage = await browser.request("/login");
  assert.equal(loginPage.status, 200);
  assert.match(loginPage.text_, /<html lang="ja">/);
  // A visitor gets no session, only the form's token in a double-submit cookie.
  const visitorSetCookie = loginPage.headers.getSetCookie().join("\n");
  assert.doesNotMatch(visitorSetCookie, /kakehashi_session=/);
  assert.match(visitorSetCookie, /^kakehashi_csrf=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
  const token = browser.csrfFrom(loginPage.text_);
  assert.equal(token, browser.cookies.get("kakehashi_csrf"), "the form's field and the cookie carry one token");
  const posted = await browser.request("/login", {
    method: "POST",
    form: { csrf_token: token, email: SECRETARIAT.email, password: SECRETARIAT.password, next: "/" },
  });
  assert.equal(posted.status, 303);
  assert.equal(posted.headers.get("location"), "/");
  const userCookie = browser.cookies.get("kakehashi_session");
  assert.ok(userCookie && userCookie.length === 43 && userCookie !== stale, "a new session id at login");
  assert.equal(browser.cookies.get("kakehashi_csrf"), undefined, "the visitor's token is cleared at login");
  const setCookie = posted.headers.getSetCookie().join("\n");
  assert.match(setCookie, /kakehashi_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax/);
  const dashboard = await browser.request("/");
  assert.equal(dashboard.status, 200);
  assert.match(dashboard.text_, /事業スケジュール/);
  assert.match(dashboard.text_, /事業完了/);
  assert.match(dashboard.text_, /2027年3月19日（金）/);
  for (const block of ["北海道", "東北", "関東", "東海", "北陸", "近畿", "中国", "四国", "九州", "沖縄"]) {
    assert.match(dashboard.text_, new RegExp(`<th scope="row">${block}</th>`), block);
  }
  assert.match(dashboard.text_, /内閣府沖縄総合事務局経済産業部/);
  // The visitor's token signs nobody in.
  const old = new Browser(server.base);
  old.cookies.set("kakehashi_session", token);
  old.cookies.set("kakehashi_csrf", token);
  assert.equal((await old.request("/")).status, 303);
});

test("a POST without the CSRF token is refused with 403 [IPA-6-(i)-a]", async () => {
  const browser = new Browser(server.base);
  await browser.request("/login");
  const posted = await browser.request("/login", {
    method: "POST",
    form: { email: SECRETARIAT.email, password: SECRETARIAT.password },
  });
  assert.equal(posted.status, 403);
  assert.match(posted.text_, /不正な送信/);
  assert.equal(browser.cookies.get("kakehashi_csrf")?.length, 43);
  assert.equal(browser.cookies.get("kakehashi_session"), undefined);
  assert.equal((await browser.request("/")).status, 303, "not signed in");
  // Without any session at all, too.
  const bare = await fetch(server.base + "/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "email=a&password=b&csrf_token=x",
    redirect: "manual",
  });
  assert.equal(bare.status, 403);
});

test("a form from another origin is refused even with a valid token [IPA-6-(i)-c]", async () => {
  const browser = new Browser(server.base);
  const page = await browser.request("/login");
  const posted = await browser.request("/login", {
    method: "POST",
    headers: { origin: "http://evil.example" },
    form: { csrf_token: browser.csrfFrom(page.text_), email: SECRETARIAT.email, password: SECRETARIAT.password },
  });
  assert.equal(posted.status, 403);
});

test("every response carries the security headers [IPA-5-(x)] [IPA-9-(i)-a] [IPA-5-(iii)] [IPA-5-(iv)]", async () => {
  const browser = new Browser(server.base);
  await browser.login(SECRETARIAT.email, SECRETARIAT.password);
  const paths = ["/", "/login", "/static/app.css", "/no/such/page", "/admin/users", "/api/v1/blocks", "/healthz"];
  for (const path of paths) assertSecurityHeaders(await browser.request(path), path);
  assertSecurityHeaders(await fetch(server.base + "/", { redirect: "manual" }), "redirect");
  assertSecurityHeaders(await fetch(server.base + "/", { method: "DELETE", redirect: "manual" }), "405");
  const css = await browser.request("/static/app.css");
  assert.equal(css.headers.get("cache-control"), "public, max-age=31536000, immutable");
  assert.equal((await browser.request("/")).headers.get("cache-control"), "no-store");
});

test("static assets have strong ETags and answer 304", async () => {
  const first = await fetch(server.base + "/static/vendor/htmx.min.js");
  assert.equal(first.status, 200);
  const etag = first.headers.get("etag");
  assert.match(etag, /^"[0-9a-f]{32}"$/);
  const again = await fetch(server.base + "/static/vendor/htmx.min.js", { headers: { "if-none-match": etag } });
  assert.equal(again.status, 304);
  assert.equal((await fetch(server.base + "/static/vendor/dads-tokens.css")).status, 200);
});

test("TRACE is answered 405 and unknown paths 404 in Japanese [IPA-5-(ix)]", async () => {
  const response = await new Promise((resolve, reject) => {
    const socket = net.connect(server.port, "127.0.0.1", () => {
      socket.write("TRACE / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    });
    let data = "";
    socket.on("data", (chunk) => (data += chunk));
    socket.on("end", () => resolve(data));
    socket.on("error", reject);
  });
  assert.match(response, /^HTTP\/1\.1 405/);
  const missing = await fetch(server.base + "/no/such/page");
  assert.equal(missing.status, 404);
  assert.match(await missing.text(), /ページが見つかりません/);
});

test("file names from the request never reach the file system: traversal and NUL in paths are refused [IPA-3-(iii)]", async () => {
  const raw = (path) => new Promise((resolve, reject) => {
    const socket = net.connect(server.port, "127.0.0.1", () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    });
    let data = "";
    socket.on("data", (chunk) => (data += chunk));
    socket.on("end", () => resolve(data));
    socket.on("error", reject);
  });
  for (const path of ["/static/../../../../etc/passwd", "/static/..%2f..%2f..%2f..%2fetc%2fpasswd", "/static/%2e%2e/%2e%2e/etc/passwd",
    "/static/app.js%00.txt", "/static/..\\..\\etc\\passwd", "/static//etc/passwd"]) {
    const response = await raw(path);
    assert.match(response, /^HTTP\/1\.1 (400|404)/, path);
    assert.ok(!response.includes("root:"), path);
  }
});

test("protected pages redirect to login; the API answers 401 with its error shape [IPA-11-(i)]", async () => {
  const page = await fetch(server.base + "/admin/users?page=2", { redirect: "manual" });
  assert.equal(page.status, 303);
  assert.equal(page.headers.get("location"), "/login?next=/admin/users%3Fpage%3D2");
  const api = await fetch(server.base + "/api/v1/blocks");
  assert.equal(api.status, 401);
  const body = await api.json();
  assert.equal(body.error.code, "unauthorized");
  assert.equal(typeof body.error.message, "string");
});

test("roles are checked on the server: a participant gets 403 for the audit log and user list [IPA-11-(ii)]", async () => {
  const browser = new Browser(server.base);
  await browser.login(PARTICIPANT.email, PARTICIPANT.password);
  assert.equal((await browser.request("/")).status, 200);
  assert.equal((await browser.request("/admin/audit")).status, 403);
  assert.equal((await browser.request("/admin/users")).status, 403);
  const dashboard = await browser.request("/");
  assert.doesNotMatch(dashboard.text_, /href="\/admin\/audit"/, "no menu entry for what one may not open");
});

test("the security officer sees the audit log with logins and failed logins, and verifies it", async () => {
  const browser = new Browser(server.base);
  await browser.login(OFFICER.email, OFFICER.password);
  const audit = await browser.request("/admin/audit");
  assert.equal(audit.status, 200);
  assert.match(audit.text_, /auth\.login/);
  const token = browser.csrfFrom(audit.text_);
  const verified = await browser.request("/admin/audit/verify", { method: "POST", form: { csrf_token: token } });
  assert.equal(verified.status, 200);
  assert.match(verified.text_, /監査ログは完全です/);
});

test("the audit log downloads as CSV with a Japanese file name", async () => {
  const browser = new Browser(server.base);
  await browser.login(OFFICER.email, OFFICER.password);
  const download = await browser.request("/admin/audit/export.csv");
  assert.equal(download.status, 200);
  assert.equal(download.headers.get("content-type"), "text/csv; charset=utf-8");
  const disposition = download.headers.get("content-disposition");
  assert.match(disposition, /^attachment; filename="[ -~]+"; filename\*=UTF-8''%E7%9B%A3%E6%9F%BB%E3%83%AD%E3%82%B0_\d{4}-\d{2}-\d{2}\.csv$/);
  // fetch's text() drops a BOM, so read the bytes.
  const raw = await fetch(server.base + "/admin/audit/export.csv", { headers: { cookie: browser.cookieHeader() } });
  const bytes = Buffer.from(await raw.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "BOM for Excel");
  const text = bytes.subarray(3).toString("utf8");
  assert.match(text, /^No\.,日時（日本時間）,実行者,実行者ID,操作,操作ID,対象,対象ID,詳細,ハッシュ\r\n/);
  assert.match(text, /,ログイン,auth\.login,/);
  assert.equal(Number(raw.headers.get("content-length")), bytes.length);
  const head = await browser.request("/admin/audit/export.csv", { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.ok(Number(head.headers.get("content-length")) > 100);
  assert.equal(head.text_, "");
  const participant = new Browser(server.base);
  await participant.login(PARTICIPANT.email, PARTICIPANT.password);
  assert.equal((await participant.request("/admin/audit/export.csv")).status, 403);
});

test("the secretariat adds a user through the form, with Japanese validation errors", async () => {
  const browser = new Browser(server.base);
  await browser.login(SECRETARIAT.email, SECRETARIAT.password);
  const form = await browser.request("/admin/users/new");
  const token = browser.csrfFrom(form.text_);
  const bad = await browser.request("/admin/users", {
    method: "POST",
    form: { csrf_token: token, name: "審査 一郎", email: "not-an-email", role: "reviewer", password: "long enough password" },
  });
  assert.equal(bad.status, 422);
  assert.match(bad.text_, /メールアドレスの形式が正しくありません/);
  assert.match(bad.text_, /value="審査 一郎"/, "what was typed is kept");
  const good = await browser.request("/admin/users", {
    method: "POST",
    form: { csrf_token: token, name: "審査 一郎", email: "shinsa@example.jp", role: "reviewer", password: "long enough password" },
  });
  assert.equal(good.status, 303);
  const list = await browser.request(good.headers.get("location"));
  assert.match(list.text_, /shinsa@example\.jp/);
  assert.match(list.text_, /ユーザーを追加しました/);
});

test("logout deletes the session", async () => {
  const browser = new Browser(server.base);
  await browser.login(SECRETARIAT.email, SECRETARIAT.password);
  const cookie = browser.cookies.get("kakehashi_session");
  const page = await browser.request("/");
  const out = await browser.request("/logout", { method: "POST", form: { csrf_token: browser.csrfFrom(page.text_) } });
  assert.equal(out.status, 303);
  const replay = new Browser(server.base);
  replay.cookies.set("kakehashi_session", cookie);
  assert.equal((await replay.request("/")).status, 303);
});

test("a body over the route's limit is answered 413 before it is read", async () => {
  const response = await new Promise((resolve, reject) => {
    const socket = net.connect(server.port, "127.0.0.1", () => {
      socket.write("POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000000\r\n\r\n");
    });
    let data = "";
    socket.on("data", (chunk) => (data += chunk));
    socket.on("end", () => resolve(data));
    socket.on("error", reject);
  });
  assert.match(response, /^HTTP\/1\.1 413/);
  assert.match(response, /送信できるのは 1 MB までです/);
});

test("headers over 16 KiB are refused", async () => {
  const response = await fetch(server.base + "/login", { headers: { "x-padding": "a".repeat(17 * 1024) } });
  assert.equal(response.status, 431);
});

test("keep-alive serves several requests on one connection", async () => {
  const replies = await new Promise((resolve, reject) => {
    const socket = net.connect(server.port, "127.0.0.1", () => {
      socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    });
    let data = "";
    socket.on("data", (chunk) => (data += chunk));
    socket.on("end", () => resolve(data));
    socket.on("error", reject);
  });
  assert.equal((replies.match(/HTTP\/1\.1 200/g) || []).length, 2);
});

test("the publication check streams an upload to quarantine, inspects it and deletes it", async () => {
  const { readdirSync, existsSync } = await import("node:fs");
  const { join } = await import("node:path");
  const browser = new Browser(server.base);
  await browser.login(OFFICER.email, OFFICER.password);
  const page = await browser.request("/tools/inspect");
  assert.equal(page.status, 200);
  const token = browser.csrfFrom(page.text_);
  const csv = "氏名,連絡先\r\n山田,yamada.taro@example.com\r\n佐藤,090-1234-5678\r\n";
  const upload = (withToken) => {
    const form = new FormData();
    if (withToken) form.append("csrf_token", token);
    form.append("file", new Blob([csv], { type: "text/csv" }), "名簿（公開用）.csv");
    return browser.request("/tools/inspect", { method: "POST", body: form });
  };
  const checked = await upload(true);
  assert.equal(checked.status, 200);
  assert.match(checked.text_, /「名簿（公開用）\.csv」の結果/);
  assert.match(checked.text_, /公開できません/);
  // Findings by their plain-Japanese labels, never the codes.
  assert.match(checked.text_, /<td>エラー<\/td><td>メールアドレス<\/td>/);
  assert.match(checked.text_, /<td>エラー<\/td><td>電話番号<\/td>/);
  assert.doesNotMatch(checked.text_, /pii\.(email|phone)/);
  assert.doesNotMatch(checked.text_, /yamada\.taro@example\.com/, "the report masks what it found");
  // Audited by the content's hash with the type and the error count, never the file name.
  const detail = sql(server.db, "SELECT object || ' ' || detail FROM audit_log WHERE action = 'files.inspect'");
  assert.match(detail, /^sha256:[0-9a-f]{64} \{"type":"csv","errors":[1-9]\d*\}$/);
  const quarantine = join(server.dir, "quarantine");
  const leftovers = () => (existsSync(quarantine) ? readdirSync(quarantine) : []);
  assert.deepEqual(leftovers(), [], "the upload is deleted after the check");
  const other = new FormData();
  other.append("csrf_token", token);
  other.append("file", new Blob(["MZ"]), "setup.exe");
  const unsupported = await browser.request("/tools/inspect", { method: "POST", body: other });
  assert.equal(unsupported.status, 422);
  assert.match(unsupported.text_, /確認できるのは PDF・Excel/);
  assert.deepEqual(leftovers(), []);
  const refused = await upload(false);
  assert.equal(refused.status, 403);
  assert.deepEqual(leftovers(), [], "a refused upload leaves nothing behind");
  // A participant may not upload at all: refused before the body is read.
  const participant = new Browser(server.base);
  await participant.login(PARTICIPANT.email, PARTICIPANT.password);
  const form = new FormData();
  form.append("file", new Blob([csv]), "a.csv");
  assert.equal((await participant.request("/tools/inspect", { method: "POST", body: form })).status, 403);
});

test("an upload over 100 MiB is answered 413 before it is read", async () => {
  const browser = new Browser(server.base);
  await browser.login(OFFICER.email, OFFICER.password);
  const response = await new Promise((resolve, reject) => {
    const socket = net.connect(server.port, "127.0.0.1", () => {
      socket.write("POST /tools/inspect HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + browser.cookieHeader() +
                   "\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: " + (101 * 1024 * 1024) + "\r\n\r\n");
    });
    let data = "";
    socket.on("data", (chunk) => (data += chunk));
    socket.on("end", () => resolve(data));
    socket.on("error", reject);
  });
  assert.match(response, /^HTTP\/1\.1 413/);
  assert.match(response, /送信できるのは 100 MB までです/);
});

// Last: the account stays locked for the rest of the run.
test("five failed logins lock the account for 15 minutes", async () => {
  const victim = LOCKED.email;
  for (let i = 0; i < 5; i++) {
    const browser = new Browser(server.base);
    const failed = await browser.login(victim, "wrong password " + i);
    assert.equal(failed.status, 401);
    assert.match(failed.text_, /メールアドレスまたはパスワードが正しくありません/);
  }
  const browser = new Browser(server.base);
  const locked = await browser.login(victim, LOCKED.password);
  assert.equal(locked.status, 429);
  assert.match(locked.text_, /15 分後にもう一度お試しください/);
  const retry = Number(locked.headers.get("retry-after"));
  assert.ok(retry > 840 && retry <= 900, `Retry-After ${retry}`);
  // The address is not locked: another account signs in from it at once.
  const other = new Browser(server.base);
  assert.equal((await other.login(PARTICIPANT.email, PARTICIPANT.password)).status, 303);
});
