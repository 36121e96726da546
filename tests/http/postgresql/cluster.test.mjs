// Two `kakehashi serve` on one PostgreSQL database, as behind a load balancer (issue 22): a
// session, its CSRF token and the login lock-out are the same whichever server answers, and the
// same rule-bound write sent to both at once (registrations for the last seats of an event)
// breaks no rule: exactly `capacity` confirmed, the others waiting with distinct positions.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, Browser, kakehashi, sql as sqlIn, japanLocal, BACKEND } from "../server.mjs";

const ADMIN = { email: "s@example.jp", name: "事務 次郎", roles: ["secretariat"], password: "cluster password 1234" };
let a;
let b;
const sql = (query) => sqlIn(a.db, query);

before(async () => {
  assert.equal(BACKEND, "postgresql", "run with KAKEHASHI_TEST_BACKEND=postgresql");
  const args = ["--public-form-limit", "0", "--quiet", "--max-connections-per-address", "512"];
  a = await startServer({ extraArgs: args, users: [ADMIN] });
  b = await startServer({ extraArgs: args, sharing: a });
});
after(async () => {
  assert.equal(await b.stop(), 0);
  assert.equal(await a.stop(), 0);
});

test("a session started on one server is signed in on the other, its CSRF token accepted, its logout seen by both", async () => {
  const browser = new Browser(a.base);
  const login = await browser.login(ADMIN.email, ADMIN.password);
  assert.equal(login.status, 303);
  // The same cookies on the other server.
  browser.base = b.base;
  const users = await browser.request("/admin/users/new");
  assert.equal(users.status, 200);
  const token = browser.csrfFrom(users.text_);
  assert.ok(token);
  // A form read on B posted to A (the balancer chose differently): the token is the session's.
  browser.base = a.base;
  const made = await browser.request("/admin/users", {
    method: "POST",
    form: { csrf_token: token, name: "審査 一郎", email: "r@example.jp", role: "reviewer", organisation: "", password: "long enough password" },
  });
  assert.equal(made.status, 303);
  assert.equal(sql("SELECT COUNT(*) FROM users WHERE email = 'r@example.jp'"), "1");
  // Logout on B: the session row is gone for both (A may answer from its 5-second signed-in cache
  // for at most that long, docs/deployment.md).
  browser.base = b.base;
  const page = await browser.request("/");
  const out = await browser.request("/logout", { method: "POST", form: { csrf_token: browser.csrfFrom(page.text_) } });
  assert.equal(out.status, 303);
  assert.equal(sql("SELECT COUNT(*) FROM sessions WHERE user_id IS NOT NULL"), "0");
  const replay = new Browser(a.base);
  replay.cookies = new Map(browser.cookies);
  const deadline = Date.now() + 10000;
  let status;
  do {
    status = (await replay.request("/admin/users")).status;
    if (status === 303) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  } while (Date.now() < deadline);
  assert.equal(status, 303, "A no longer accepts the session ended on B");
});

test("failed logins on both servers count together: the account locks after five", async () => {
  kakehashi(["user", "add", "--db", a.db, "--email", "lock@example.jp", "--name", "施錠 花子", "--role", "operator"],
            "right password 1234\n");
  for (let i = 0; i < 5; i++) {
    const failed = await new Browser(i % 2 ? b.base : a.base).login("lock@example.jp", "wrong password");
    assert.equal(failed.status, 401, `failure ${i + 1}`);
  }
  for (const server of [a, b]) {
    const refused = await new Browser(server.base).login("lock@example.jp", "right password 1234");
    assert.notEqual(refused.status, 303, "locked on both servers");
  }
  assert.equal(sql("SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'lock@example.jp'"), "0");
});

test("200 registrations for 60 seats sent to two servers at once: 60 confirmed, 140 waiting 1–140, none twice", async () => {
  const token = kakehashi(["token", "create", "--db", a.db, "--email", ADMIN.email]).stdout.trim();
  const created = await fetch(a.base + "/api/v1/events", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      kind: "final", title: "全国成果報告会", starts_at: japanLocal(40).slice(0, 16), ends_at: japanLocal(40.2).slice(0, 16),
      format: "in_person", prefecture: "13", venue: "東京国際フォーラム", address: "千代田区丸の内3-5-1", capacity: 60,
      registration_closes_at: japanLocal(30).slice(0, 16), published: true,
    }),
  });
  assert.equal(created.status, 201);
  const event = await created.json();
  const slug = new URL(event.public_url).pathname.split("/")[2];
  const visitors = {};
  for (const server of [a, b]) {
    const visitor = new Browser(server.base);
    const page = await visitor.request(`/e/${slug}`);
    visitors[server.base] = { csrf: visitor.csrfFrom(page.text_), cookie: visitor.cookieHeader() };
  }
  const send = (i) => {
    const server = i % 2 ? b : a;
    const { csrf, cookie } = visitors[server.base];
    return fetch(`${server.base}/e/${slug}`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        csrf_token: csrf, name: `参加 ${i}`, organisation: `学校 ${i}`, kind: "school", school_type: "中学校", prefecture: "13",
        email: `race${i}@example.jp`, attendance: "in_person", consent: "1",
      }).toString(),
    }).then(async (r) => ({ status: r.status, text: await r.text() }));
  };
  const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => send(i)));
  const statuses = {};
  for (const answer of answers) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
  assert.deepEqual(statuses, { 303: 200 }, JSON.stringify(answers.find((r) => r.status !== 303)?.text.slice(0, 500)));
  assert.equal(sql(`SELECT COUNT(*) FROM event_registrations WHERE event_id = ${event.id} AND status = 'confirmed'`), "60");
  assert.equal(sql(`SELECT COUNT(*) FROM event_registrations WHERE event_id = ${event.id} AND status = 'waiting'`), "140");
  assert.equal(sql(`SELECT COUNT(DISTINCT queue) FROM event_registrations WHERE event_id = ${event.id} AND status = 'waiting'`), "140");
  assert.equal(sql(`SELECT COUNT(DISTINCT email_norm) FROM event_registrations WHERE event_id = ${event.id}`), "200");
  // The audit chain written by both servers is one unbroken chain.
  const verified = kakehashi(["audit", "verify", "--db", a.db]);
  assert.equal(verified.status, 0, verified.stderr);
  assert.match(verified.stdout, /監査ログは完全です/);
});
