// HTTP tests of the authentication hardening (issue 13): who may grant which role, the user
// screens, visitors without session rows, the per-account lock-out and per-address slowing, the
// client address from trusted proxies only, and look-alike organisation names.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, Browser, signUpByMail, sql, waitForMails } from "./server.mjs";

const SECRETARIAT = { email: "jimu@example.jp", name: "事務 花子", roles: ["secretariat"], password: "secretariat pass 1", org: "架け橋事務局" };
const OFFICER = { email: "joho@example.jp", name: "情報 次郎", roles: ["security_officer"], password: "officer pass 12", org: "架け橋事務局" };
const METI = { email: "meti@example.go.jp", name: "経産 一郎", roles: ["meti"], password: "meti password 1", org: "経済産業省" };
const REVIEWER = { email: "shinsa@example.jp", name: "審査 一郎", roles: ["reviewer"], password: "reviewer pass 1" };
const OPERATOR = { email: "op@sakura.example", name: "事業 太郎", roles: ["operator"], password: "operator pass 1", org: "株式会社サクラ" };

let server;
before(async () => {
  server = await startServer({ users: [SECRETARIAT, OFFICER, METI, REVIEWER, OPERATOR] });
});
after(async () => {
  assert.equal(await server.stop(), 0, "server exits cleanly on SIGTERM");
});

async function signedIn(user, base = server.base) {
  const browser = new Browser(base);
  const response = await browser.login(user.email, user.password);
  assert.equal(response.status, 303, `${user.email} signs in`);
  return browser;
}

// A login POST with extra headers (X-Forwarded-For …) on both the form's GET and the POST.
async function loginWith(base, email, password, headers = {}) {
  const browser = new Browser(base);
  const page = await browser.request("/login", { headers });
  return browser.request("/login", {
    method: "POST",
    headers,
    form: { csrf_token: browser.csrfFrom(page.text_), email, password, next: "/" },
  });
}

// Form fields as pairs, a list value giving one pair per element (several role checkboxes).
const pairs = (fields) => Object.entries(fields).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]));

const userId = (email) => sql(server.db, `SELECT id FROM users WHERE email = '${email}'`);

test("anonymous visits write no session row; login still works with the double-submit token", async () => {
  const before = sql(server.db, "SELECT COUNT(*) FROM sessions");
  for (let i = 0; i < 50; i++) {
    const page = await fetch(server.base + "/login");
    assert.equal(page.status, 200);
    await page.text();
  }
  for (const path of ["/calls", "/healthz", "/no/such/page"]) await (await fetch(server.base + path)).text();
  assert.equal(sql(server.db, "SELECT COUNT(*) FROM sessions"), before, "the sessions table is unchanged");
  const browser = await signedIn(SECRETARIAT);
  assert.equal(sql(server.db, "SELECT COUNT(*) FROM sessions"), String(Number(before) + 1), "one row, at login");
  assert.equal((await browser.request("/")).status, 200);
});

test("an anonymous POST needs both the cookie and the field, equal", async () => {
  const browser = new Browser(server.base);
  const page = await browser.request("/login");
  const token = browser.csrfFrom(page.text_);
  const form = { email: SECRETARIAT.email, password: SECRETARIAT.password, next: "/" };
  // The field without the cookie (a forged form on another site cannot send the cookie).
  const noCookie = await new Browser(server.base).request("/login", { method: "POST", form: { ...form, csrf_token: token } });
  assert.equal(noCookie.status, 403);
  assert.match(noCookie.text_, /不正な送信/);
  // The cookie without the field, and with another token in the field.
  assert.equal((await browser.request("/login", { method: "POST", form })).status, 403);
  const other = "B".repeat(43);
  assert.equal((await browser.request("/login", { method: "POST", form: { ...form, csrf_token: other } })).status, 403);
  // Both, but from another origin.
  const foreign = await browser.request("/login", {
    method: "POST",
    headers: { origin: "http://evil.example" },
    form: { ...form, csrf_token: token },
  });
  assert.equal(foreign.status, 403);
  assert.equal((await browser.request("/login", { method: "POST", form: { ...form, csrf_token: token } })).status, 303);
});

test("the secretariat cannot create a METI account (the 2024 finding); the form offers only its roles", async () => {
  const browser = await signedIn(SECRETARIAT);
  const form = await browser.request("/admin/users/new");
  assert.equal(form.status, 200);
  for (const role of ["operator", "reviewer", "participant", "bureau"]) assert.match(form.text_, new RegExp(`value="${role}"`));
  for (const role of ["meti", "secretariat", "security_officer"]) assert.doesNotMatch(form.text_, new RegExp(`value="${role}"`));
  const forged = await browser.request("/admin/users", {
    method: "POST",
    form: { csrf_token: browser.csrfFrom(form.text_), name: "偽 経産", email: "fake@meti.go.jp", role: "meti", password: "long enough password" },
  });
  assert.equal(forged.status, 403);
  assert.match(forged.text_, /「経済産業省」のロールを付与する権限がありません/);
  assert.match(forged.text_, /value="偽 経産"/, "what was typed is kept");
  assert.equal(sql(server.db, "SELECT COUNT(*) FROM users WHERE email = 'fake@meti.go.jp'"), "0");
  // METI itself may.
  const meti = await signedIn(METI);
  const metiForm = await meti.request("/admin/users/new");
  const made = await meti.request("/admin/users", {
    method: "POST",
    form: { csrf_token: meti.csrfFrom(metiForm.text_), name: "経産 二郎", email: "meti2@example.go.jp", role: "meti", password: "long enough password" },
  });
  assert.equal(made.status, 303);
});

test("validation messages stand beside their fields and keep what was typed", async () => {
  const browser = await signedIn(SECRETARIAT);
  const form = await browser.request("/admin/users/new");
  const bad = await browser.request("/admin/users", {
    method: "POST",
    form: { csrf_token: browser.csrfFrom(form.text_), name: "審査 二郎", email: "jimu@example.jp", role: "bureau", password: "short", organisation: "関東経済産業局" },
  });
  assert.equal(bad.status, 422);
  assert.match(bad.text_, /<p class="form-field__error" id="email-error">このメールアドレスは既に登録されています<\/p>/);
  assert.match(bad.text_, /<p class="form-field__error" id="password-error">パスワードは 12 文字以上にしてください<\/p>/);
  assert.match(bad.text_, /<p class="form-field__error" id="block-error">経済産業局のユーザーには担当ブロックを指定してください<\/p>/);
  assert.match(bad.text_, /aria-invalid="true" aria-describedby="email-error"/);
  assert.match(bad.text_, /value="審査 二郎"/);
  assert.match(bad.text_, /value="関東経済産業局"/);
  assert.match(bad.text_, /<input type="checkbox" name="role" value="bureau" checked>/);
});

test("edit a user's roles (told by mail [IPA-6-(ii)]); deactivation ends their session at once and is audited; reactivation", async () => {
  const reviewer = await signedIn(REVIEWER);
  assert.equal((await reviewer.request("/")).status, 200);
  const admin = await signedIn(SECRETARIAT);
  const id = userId(REVIEWER.email);
  const edit = await admin.request(`/admin/users/${id}/edit`);
  assert.equal(edit.status, 200);
  assert.match(edit.text_, /value="審査 一郎"/);
  const token = admin.csrfFrom(edit.text_);
  const saved = await admin.request(`/admin/users/${id}`, {
    method: "POST",
    form: pairs({ csrf_token: token, name: "審査 一郎", role: ["reviewer", "participant"], organisation: "", block: "" }),
  });
  assert.equal(saved.status, 303);
  assert.match((await admin.request(saved.headers.get("location"))).text_, /ユーザー情報を更新しました/);
  assert.equal(sql(server.db, `SELECT detail FROM audit_log WHERE action = 'user.update' AND object = 'user:${id}'`),
    '{"before":{"roles":["reviewer"]},"after":{"roles":["reviewer","participant"]}}');
  const [told] = await waitForMails(server.mailDir, { to: REVIEWER.email, subject: /アカウントの役割が変更されました/ });
  assert.match(told.body, /現在の役割: 外部審査委員、参加者（企業・自治体・学校）/);
  // Raising to METI through the same form is refused.
  const raised = await admin.request(`/admin/users/${id}`, {
    method: "POST",
    form: pairs({ csrf_token: token, name: "審査 一郎", role: ["reviewer", "meti"] }),
  });
  assert.equal(raised.status, 403);
  assert.match(raised.text_, /<p class="form-field__error" id="roles-error">「経済産業省」のロールを付与する権限がありません<\/p>/);

  const stopped = await admin.request(`/admin/users/${id}/deactivate`, { method: "POST", form: { csrf_token: token } });
  assert.equal(stopped.status, 303);
  assert.equal((await reviewer.request("/")).status, 303, "the reviewer's open session ended at once");
  assert.equal(sql(server.db, `SELECT COUNT(*) FROM sessions WHERE user_id = ${id}`), "0");
  assert.equal((await new Browser(server.base).login(REVIEWER.email, REVIEWER.password)).status, 401);
  assert.equal(sql(server.db, `SELECT detail FROM audit_log WHERE action = 'user.deactivate' AND object = 'user:${id}'`),
    '{"before":{"active":true},"after":{"active":false},"sessions_ended":1}');
  const list = await admin.request("/admin/users");
  assert.match(list.text_, /<span class="badge badge--closed">停止中<\/span>/);
  const back = await admin.request(`/admin/users/${id}/reactivate`, { method: "POST", form: { csrf_token: token } });
  assert.equal(back.status, 303);
  assert.equal((await new Browser(server.base).login(REVIEWER.email, REVIEWER.password)).status, 303);
});

test("separation of duties: nobody changes or stops their own account; the secretariat cannot touch METI", async () => {
  const officer = await signedIn(OFFICER);
  const own = userId(OFFICER.email);
  const page = await officer.request("/admin/users");
  const token = officer.csrfFrom(page.text_);
  assert.doesNotMatch(page.text_, new RegExp(`href="/admin/users/${own}/edit"`), "no edit link on oneself");
  const self = await officer.request(`/admin/users/${own}/deactivate`, { method: "POST", form: { csrf_token: token } });
  assert.equal(self.status, 403);
  assert.match(self.text_, /自分自身のアカウントは変更できません/);
  const raise = await officer.request(`/admin/users/${own}`, {
    method: "POST",
    form: pairs({ csrf_token: token, name: OFFICER.name, role: ["security_officer", "secretariat"] }),
  });
  assert.equal(raise.status, 403);
  assert.equal(sql(server.db, `SELECT group_concat(role) FROM user_roles WHERE user_id = ${own}`), "security_officer");
  const secretariat = await signedIn(SECRETARIAT);
  const meti = userId(METI.email);
  assert.equal((await secretariat.request(`/admin/users/${meti}/edit`)).status, 403);
  const list = await secretariat.request("/admin/users");
  const stop = await secretariat.request(`/admin/users/${meti}/deactivate`, { method: "POST", form: { csrf_token: secretariat.csrfFrom(list.text_) } });
  assert.equal(stop.status, 403);
  assert.match(stop.text_, /「経済産業省」のロールを持つユーザーを変更する権限がありません/);
  assert.equal(sql(server.db, `SELECT active FROM users WHERE id = ${meti}`), "1");
});

test("the user list searches by name or e-mail, 50 a page", async () => {
  const admin = await signedIn(SECRETARIAT);
  const found = await admin.request("/admin/users?q=" + encodeURIComponent("ＳＡＫＵＲＡ"));
  assert.equal(found.status, 200);
  assert.match(found.text_, /「ＳＡＫＵＲＡ」に一致するユーザーは 1 人です。/);
  assert.match(found.text_, /op@sakura\.example/);
  assert.doesNotMatch(found.text_, /jimu@example\.jp/);
  const byName = await admin.request("/admin/users?q=" + encodeURIComponent("情報"));
  assert.match(byName.text_, /joho@example\.jp/);
  assert.match((await admin.request("/admin/users?q=nobody-here")).text_, /一致するユーザーはいません。/);
  // 60 more rows (written directly: hashing 60 passwords would only slow the test), 50 a page.
  const values = Array.from({ length: 60 }, (_, i) => `('bulk${i}@example.jp', '一括 ${i}', 'x', '2026-12-01T00:00:00Z')`);
  sql(server.db, `INSERT INTO users (email, name, password_hash, created_at) VALUES ${values.join(", ")}`);
  const first = await admin.request("/admin/users?q=bulk");
  assert.match(first.text_, /「bulk」に一致するユーザーは 60 人です。/);
  assert.equal((first.text_.match(/bulk\d+@example\.jp/g) || []).length, 50);
  assert.match(first.text_, /1 \/ 2 ページ/);
  assert.match(first.text_, /href="\/admin\/users\?q=bulk&amp;page=2" rel="next"/);
  const second = await admin.request("/admin/users?q=bulk&page=2");
  assert.equal((second.text_.match(/bulk\d+@example\.jp/g) || []).length, 10);
  assert.match(second.text_, /value="bulk"/, "the search stays in its field");
});

test("a look-alike organisation name is the same organisation or carries 類似名称あり", async () => {
  // Self sign-up with an invisible character in an existing name: refused as that name, so
  // nobody joins 株式会社サクラ (and reads its applications) through a look-alike.
  // (The name is given again on the confirmation page the mail links to; that is where it is checked.)
  const visitor = new Browser(server.base);
  const signup = await signUpByMail(server, visitor, {
    org: "株式会社\u200bｻｸﾗ", name: "偽 太郎", email: "fake@sakura.example", password: "long enough password",
  });
  assert.equal(signup.status, 422);
  assert.match(signup.text_, /この団体名はすでに登録されています/);
  assert.equal(sql(server.db, "SELECT COUNT(*) FROM users WHERE email = 'fake@sakura.example'"), "0");
  // A nearly equal name ((株) for 株式会社) is a new organisation with a warning for the secretariat.
  const admin = await signedIn(SECRETARIAT);
  const form = await admin.request("/admin/users/new");
  const made = await admin.request("/admin/users", {
    method: "POST",
    form: { csrf_token: admin.csrfFrom(form.text_), name: "別 次郎", email: "op2@example.jp", role: "operator", organisation: "(株)サクラ", password: "long enough password" },
  });
  assert.equal(made.status, 303);
  const list = await admin.request("/admin/users?q=op2");
  assert.match(list.text_, /\(株\)サクラ <span class="badge badge--warning">類似名称あり: 株式会社サクラ<\/span>/);
  assert.equal(sql(server.db, "SELECT s.name FROM organisations o JOIN organisations s ON s.id = o.similar_to WHERE o.name = '(株)サクラ'"),
    "株式会社サクラ");
});

test("wrong passwords with varied X-Forwarded-For from an untrusted peer lock no other account", async () => {
  for (let i = 0; i < 5; i++) {
    const failed = await loginWith(server.base, `nobody${i}@example.jp`, "wrong password", { "x-forwarded-for": `198.51.100.${i}` });
    assert.equal(failed.status, 401);
  }
  // The forwarded header is not believed from this peer: every failure counted for 127.0.0.1,
  // which is not locked; nor is X-Forwarded-Proto, so the cookie stays without Secure.
  const page = await new Browser(server.base).request("/login", { headers: { "x-forwarded-proto": "https" } });
  assert.doesNotMatch(page.headers.getSetCookie().join("\n"), /Secure|__Host-/);
  const ok = await loginWith(server.base, OPERATOR.email, OPERATOR.password, { "x-forwarded-for": "198.51.100.0" });
  assert.equal(ok.status, 303);
});

test("behind a trusted proxy the forwarded address is used, and a throttled address lets a right password through", async () => {
  const proxied = await startServer({ users: [SECRETARIAT, OPERATOR], extraArgs: ["--trusted-proxy", "127.0.0.1"] });
  try {
    const from = (client) => ({ "x-forwarded-for": `203.0.113.250, ${client}` });  // the left one is the client's claim
    // 50 failures from one client address (different accounts, so none is locked), in parallel
    // batches no larger than the password-hashing slots one address may hold (work_limits.h).
    for (let batch = 0; batch < 25; batch++) {
      const attempts = [];
      for (let i = 0; i < 2; i++) {
        attempts.push(loginWith(proxied.base, `guess${batch * 2 + i}@example.jp`, "wrong password", from("192.0.2.50")));
      }
      for (const response of await Promise.all(attempts)) assert.equal(response.status, 401);
    }
    // Now checks from that address are spaced: a burst gets 429 with Retry-After, unchecked.
    const burst = await Promise.all([0, 1, 2].map(() => loginWith(proxied.base, "guess@example.jp", "wrong", from("192.0.2.50"))));
    const spaced = burst.filter((r) => r.status === 429);
    assert.ok(spaced.length >= 2, `statuses ${burst.map((r) => r.status)}`);
    assert.match(spaced[0].text_, /間隔をあけて受け付けています/);
    const wait = Number(spaced[0].headers.get("retry-after"));
    assert.ok(wait >= 1 && wait <= 3, `Retry-After ${wait}`);
    // Another client behind the same proxy is not slowed: the forwarded address counts.
    assert.equal((await loginWith(proxied.base, SECRETARIAT.email, SECRETARIAT.password, from("192.0.2.51"))).status, 303);
    // The right password of another account from the slowed address gets through after the spacing.
    await new Promise((resolve) => setTimeout(resolve, (wait + 1) * 1000));
    assert.equal((await loginWith(proxied.base, OPERATOR.email, OPERATOR.password, from("192.0.2.50"))).status, 303);
    assert.equal(sql(proxied.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login_throttled'"), "1");
    // X-Forwarded-Proto from the trusted proxy decides the cookie attributes.
    const tls = await new Browser(proxied.base).request("/login", { headers: { "x-forwarded-proto": "https" } });
    assert.match(tls.headers.getSetCookie().join("\n"), /^__Host-kakehashi_csrf=[A-Za-z0-9_-]{43}; Path=\/; Secure; HttpOnly; SameSite=Strict$/m);
  } finally {
    assert.equal(await proxied.stop(), 0);
  }
});
