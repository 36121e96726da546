// Two `kakehashi serve` on one PostgreSQL behind nginx (issue 22), as in deploy/nginx: nginx is
// started here on a random loopback port with a configuration in a temporary folder. Through
// the balancer a session and the login lock-out behave as with one server; under load (public
// registrations, each a write with its audit entry) one server is lost (SIGKILL): every request
// sent after it is gone is answered by the other, and every registration acknowledged before or
// after is in the database, the audit chain unbroken.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, Browser, kakehashi, sql as sqlIn, japanLocal, BACKEND } from "../server.mjs";

const ADMIN = { email: "s@example.jp", name: "事務 次郎", roles: ["secretariat"], password: "failover password 1234" };
let a;
let b;
let bLost = false;
let nginx;
let nginxDir;
let base;
const sql = (query) => sqlIn(a.db, query);

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// nginx in the foreground, its configuration, pid, logs and temporary files in `dir`: the
// deploy/nginx upstream rules (a server that refuses connections is skipped; a request is sent
// again to the other only when the first never received it, so a write is never applied twice).
async function startNginx(dir, upstreams) {
  const port = await freePort();
  const conf = join(dir, "nginx.conf");
  writeFileSync(conf, `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream kakehashi {
${upstreams.map((u) => `    server 127.0.0.1:${u} max_fails=1 fail_timeout=30s;`).join("\n")}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://kakehashi;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_next_upstream_tries 2;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
    }
  }
}
`);
  const child = spawn("nginx", ["-e", join(dir, "error.log"), "-p", dir, "-c", conf, "-g", "daemon off;"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (c) => (output += c));
  child.stderr.on("data", (c) => (output += c));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const deadline = Date.now() + 15000;
  for (;;) {
    if (child.exitCode !== null) throw new Error("nginx did not start: " + output);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("nginx did not answer: " + output);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    base: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill("SIGQUIT");
      await exited;
    },
  };
}

before(async () => {
  assert.equal(BACKEND, "postgresql", "run with KAKEHASHI_TEST_BACKEND=postgresql");
  const args = ["--public-form-limit", "0", "--max-connections-per-address", "512"];
  a = await startServer({ extraArgs: args, users: [ADMIN] });
  b = await startServer({ extraArgs: args, sharing: a });
  nginxDir = mkdtempSync(join(tmpdir(), "kakehashi-nginx-"));
  chmodSync(nginxDir, 0o755);  // nginx's workers run as another user when it is started as root
  nginx = await startNginx(nginxDir, [a.port, b.port]);
  base = nginx.base;
});
after(async () => {
  await nginx?.stop();
  rmSync(nginxDir, { recursive: true, force: true });
  if (!bLost) assert.equal(await b.stop(), 0);
  assert.equal(await a.stop(), 0);
});

// Requests that reached one server, from its log (one JSON line per request).
const served = (server, route, method) =>
  server.log().split("\n").filter((l) => l.startsWith("{") && l.includes(`"method":"${method}"`) && l.includes(`"route":"${route}"`)).length;

test("through nginx a session works whichever server answers, and failed logins count together", async () => {
  const browser = new Browser(base);
  assert.equal((await browser.login(ADMIN.email, ADMIN.password)).status, 303);
  for (let i = 0; i < 6; i++) {
    const page = await browser.request("/admin/users/new");
    assert.equal(page.status, 200, `request ${i + 1} signed in`);
  }
  assert.ok(served(a, "/admin/users/new", "GET") >= 1 && served(b, "/admin/users/new", "GET") >= 1, "both servers answered");
  // A form read on one server posted through the balancer (maybe to the other).
  const form = await browser.request("/admin/users/new");
  const made = await browser.request("/admin/users", {
    method: "POST",
    form: { csrf_token: browser.csrfFrom(form.text_), name: "審査 一郎", email: "r@example.jp", role: "reviewer", organisation: "", password: "long enough password" },
  });
  assert.equal(made.status, 303);
  assert.equal(sql("SELECT COUNT(*) FROM users WHERE email = 'r@example.jp'"), "1");

  kakehashi(["user", "add", "--db", a.db, "--email", "lock@example.jp", "--name", "施錠 花子", "--role", "operator"], "right password 1234\n");
  // nginx alternates between the servers; a login is two requests (the form, the post), so one
  // more request before every other login sends the posts to both servers.
  for (let i = 0; i < 5; i++) {
    if (i % 2) await (await fetch(`${base}/login`)).arrayBuffer();
    assert.equal((await new Browser(base).login("lock@example.jp", "wrong password")).status, 401, `failure ${i + 1}`);
  }
  for (let i = 0; i < 2; i++) assert.notEqual((await new Browser(base).login("lock@example.jp", "right password 1234")).status, 303, "locked");
  assert.ok(served(a, "/login", "POST") >= 1 && served(b, "/login", "POST") >= 1, "both servers saw failed logins");
});

test("one of two servers lost under load: every request sent after it is answered by the other, nothing acknowledged lost", async () => {
  const admin = new Browser(base);
  assert.equal((await admin.login(ADMIN.email, ADMIN.password)).status, 303);
  const token = kakehashi(["token", "create", "--db", a.db, "--email", ADMIN.email]).stdout.trim();
  const created = await fetch(a.base + "/api/v1/events", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      kind: "final", title: "全国成果報告会", starts_at: japanLocal(40).slice(0, 16), ends_at: japanLocal(40.2).slice(0, 16),
      format: "in_person", prefecture: "13", venue: "東京国際フォーラム", address: "千代田区丸の内3-5-1", capacity: 100000,
      registration_closes_at: japanLocal(30).slice(0, 16), published: true,
    }),
  });
  assert.equal(created.status, 201);
  const event = await created.json();
  const slug = new URL(event.public_url).pathname.split("/")[2];
  const visitor = new Browser(base);
  const csrf = visitor.csrfFrom((await visitor.request(`/e/${slug}`)).text_);
  const cookie = visitor.cookieHeader();

  // Eight clients, each sending registrations one after another, and a signed-in reader.
  const results = [];
  let next = 0;
  let lostAt = null;
  let stopAt = null;
  const register = async () => {
    while (stopAt === null || Date.now() < stopAt) {
      const i = next++;
      const sentAt = Date.now();
      let status;
      try {
        const response = await fetch(`${base}/e/${slug}`, {
          method: "POST",
          redirect: "manual",
          headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            csrf_token: csrf, name: `参加 ${i}`, organisation: `学校 ${i}`, kind: "school", school_type: "中学校", prefecture: "13",
            email: `load${i}@example.jp`, attendance: "in_person", consent: "1",
          }).toString(),
        });
        await response.arrayBuffer();
        status = response.status;
      } catch (error) {
        status = `network error: ${error.message}`;
      }
      results.push({ i, sentAt, status, kind: "register" });
    }
  };
  const read = async () => {
    while (stopAt === null || Date.now() < stopAt) {
      const sentAt = Date.now();
      let status;
      try {
        const response = await admin.request("/");
        status = response.status === 200 && !response.text_.includes(ADMIN.name) ? "200 signed out" : response.status;
      } catch (error) {
        status = `network error: ${error.message}`;
      }
      results.push({ i: -1, sentAt, status, kind: "dashboard" });
    }
  };
  const clients = [...Array.from({ length: 8 }, register), read()];
  // Both servers take writes, then B is lost; the load goes on for three seconds more.
  const deadline = Date.now() + 60000;
  while (served(b, "/e/{slug}", "POST") < 20 || served(a, "/e/{slug}", "POST") < 20) {
    assert.ok(Date.now() < deadline, "both servers should take registrations");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  bLost = true;
  assert.equal(await b.kill(), "SIGKILL");
  lostAt = Date.now();
  stopAt = lostAt + 3000;
  await Promise.all(clients);

  const after = results.filter((r) => r.sentAt > lostAt);
  assert.ok(after.filter((r) => r.kind === "register").length >= 20, `registrations after the loss: ${after.length}`);
  const failedAfter = after.filter((r) => r.status !== (r.kind === "register" ? 303 : 200));
  assert.deepEqual(failedAfter, [], "every request sent after the loss succeeds");
  // In flight at the moment of the loss, a request may fail (nginx answers 502); none other.
  const failedBefore = results.filter((r) => r.sentAt <= lostAt && r.status !== (r.kind === "register" ? 303 : 200));
  for (const r of failedBefore) assert.equal(r.status, 502, JSON.stringify(r));
  assert.ok(failedBefore.length <= 9, `at most one request per client in flight: ${failedBefore.length}`);

  // Every acknowledged registration is stored, once; nothing else was stored but the in-flight ones.
  const acknowledged = results.filter((r) => r.kind === "register" && r.status === 303).map((r) => `load${r.i}@example.jp`);
  const stored = new Set(sql(`SELECT email_norm FROM event_registrations WHERE event_id = ${event.id}`).split("\n").filter(Boolean));
  const missing = acknowledged.filter((email) => !stored.has(email));
  assert.deepEqual(missing, [], "no acknowledged registration lost");
  assert.ok(stored.size <= acknowledged.length + failedBefore.length, `stored ${stored.size}, acknowledged ${acknowledged.length}`);
  assert.equal(sql(`SELECT COUNT(*) FROM event_registrations WHERE event_id = ${event.id}`), String(stored.size), "none twice");
  const verified = kakehashi(["audit", "verify", "--db", a.db]);
  assert.equal(verified.status, 0, verified.stderr);
  assert.match(verified.stdout, /監査ログは完全です/);
});
