// Starts a real `kakehashi serve` on a random loopback port with a fresh database, for the HTTP
// and browser tests. Nothing here talks to any host but 127.0.0.1.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const BIN = process.env.KAKEHASHI_BIN;
if (!BIN) throw new Error("KAKEHASHI_BIN is not set (run through ctest)");

// The backend of the servers started here: SQLite files by default; with
// KAKEHASHI_TEST_BACKEND=postgresql each server gets a fresh database on the throw-away
// PostgreSQL server of tests/postgresql (its URL in KAKEHASHI_TEST_DB_URL or
// $KAKEHASHI_TEST_PG_STATE/url). The server keeps its SQLite path `db` as the name tests use
// (sql(db, …), --db in kakehashi(…)): both are routed to its PostgreSQL database.
export const BACKEND = process.env.KAKEHASHI_TEST_BACKEND === "postgresql" ? "postgresql" : "sqlite";
const postgresqlDatabases = new Map(); // SQLite path -> PostgreSQL URL
let postgresqlCount = 0;

function postgresqlServerUrl() {
  if (process.env.KAKEHASHI_TEST_DB_URL) return process.env.KAKEHASHI_TEST_DB_URL;
  const state = process.env.KAKEHASHI_TEST_PG_STATE;
  if (!state || !existsSync(join(state, "url"))) throw new Error("no PostgreSQL test server (fixture postgresql)");
  return readFileSync(join(state, "url"), "utf8").trim();
}

function psql(url, query) {
  const result = spawnSync("psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", query], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
  return result.stdout;
}

// A fresh PostgreSQL database standing for the SQLite file `db`.
function createPostgresqlDatabase(db) {
  const server = postgresqlServerUrl();
  const name = `kk_http_${process.pid}_${postgresqlCount++}`;
  psql(server, `DROP DATABASE IF EXISTS ${name}`);
  psql(server, `CREATE DATABASE ${name}`);
  const url = server.slice(0, server.lastIndexOf("/") + 1) + name;
  postgresqlDatabases.set(db, url);
  return url;
}

function dropPostgresqlDatabase(db) {
  const url = postgresqlDatabases.get(db);
  if (!url) return;
  postgresqlDatabases.delete(db);
  const server = postgresqlServerUrl();
  psql(server, `DROP DATABASE IF EXISTS ${url.slice(url.lastIndexOf("/") + 1)} WITH (FORCE)`);
}

// Databases made by database(…) and copyDatabase(…) (the command-line tests, no server to stop)
// are dropped when the test process ends.
const standaloneDatabases = new Set();
process.on("exit", () => {
  for (const db of standaloneDatabases) {
    try {
      dropPostgresqlDatabase(db);
    } catch {
      // the throw-away server is gone already: nothing to drop
    }
  }
});

// A database for the command-line tests that run `kakehashi … --db PATH` without a server: the
// SQLite file PATH, or on PostgreSQL a fresh database that --db PATH is routed to. Returns PATH.
export function database(path) {
  if (BACKEND === "postgresql") {
    createPostgresqlDatabase(path);
    standaloneDatabases.add(path);
  }
  return path;
}

// A consistent copy of the database `from` (a server may be running on it) as `to`: SQLite's
// `.backup`, or on PostgreSQL a fresh database restored from pg_dump. Returns `to`.
export function copyDatabase(from, to) {
  if (!postgresqlDatabases.has(from)) {
    sql(from, `.backup '${to}'`);
    return to;
  }
  const dump = spawnSync("pg_dump", ["--no-owner", "-d", postgresqlDatabases.get(from)], { encoding: "utf8", maxBuffer: 1 << 30 });
  if (dump.status !== 0) throw new Error(`pg_dump failed: ${dump.stderr}`);
  const url = createPostgresqlDatabase(to);
  standaloneDatabases.add(to);
  const restored = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url], { input: dump.stdout, encoding: "utf8", maxBuffer: 1 << 30 });
  if (restored.status !== 0) throw new Error(`psql (restore) failed: ${restored.stderr}`);
  return to;
}

// The files that hold the database `db`'s data as an administrator finds them: the SQLite file
// with its WAL and a `.backup` of it; on PostgreSQL a pg_dump written to `file` (the server's
// data folder belongs to the throw-away server, the dump has every row).
export function databaseFiles(db, file) {
  if (!postgresqlDatabases.has(db)) {
    sql(db, `.backup '${file}'`);
    return [db, db + "-wal", file].filter((f) => existsSync(f));
  }
  const dump = spawnSync("pg_dump", ["--no-owner", "-f", file, "-d", postgresqlDatabases.get(db)], { encoding: "utf8" });
  if (dump.status !== 0) throw new Error(`pg_dump failed: ${dump.stderr}`);
  return [file];
}

// Drops one of the audit log's append-only triggers, as someone with write access to the
// database would before tampering (the statement differs: PostgreSQL names the table).
export function dropTrigger(db, trigger, table) {
  sql(db, postgresqlDatabases.has(db) ? `DROP TRIGGER ${trigger} ON ${table}` : `DROP TRIGGER ${trigger}`);
}

// --db PATH of a server's database becomes --db PATH --db-url URL on PostgreSQL (the path still
// places the server's key files).
function routed(args) {
  const out = [];
  for (let i = 0; i < args.length; i++) {
    out.push(args[i]);
    if (args[i] === "--db" && postgresqlDatabases.has(args[i + 1])) {
      out.push(args[i + 1], "--db-url", postgresqlDatabases.get(args[i + 1]));
      i++;
    }
  }
  return out;
}

// One SQL statement on the test server's database with the sqlite3 shell (psql on PostgreSQL);
// its output, trimmed. Fails the test when the shell does.
export function sql(db, query) {
  if (postgresqlDatabases.has(db)) return psql(postgresqlDatabases.get(db), query).trim();
  // The running server may hold the write lock a moment: wait for it as the server does (the
  // shell's default is to fail at once with "database is locked").
  const result = spawnSync("sqlite3", ["-cmd", ".timeout 10000", db, query], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`sqlite3 failed: ${result.stderr}`);
  return result.stdout.trim();
}

// The call's deadline passes: the running server has no clock to turn, so a test moves the
// call's dates into the past (opened two days ago, closed a minute ago), as waiting would.
export function closeCall(db, id) {
  const utc = (ms) => new Date(ms).toISOString().slice(0, 19) + "Z";
  sql(db, `UPDATE calls SET opens_at = '${utc(Date.now() - 2 * 86400000)}', closes_at = '${utc(Date.now() - 60000)}' WHERE id = ${id}`);
}

// "YYYY-MM-DDTHH:MM" in Japan time, `days` from now (the value of a datetime-local field).
export function japanLocal(days) {
  return new Date(Date.now() + days * 86400000 + 9 * 3600000).toISOString().slice(0, 16);
}

// Runs a kakehashi subcommand synchronously; returns {status, stdout, stderr}.
export function kakehashi(args, input) {
  const result = spawnSync(BIN, routed(args), { input, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// `sharing`: another server started here whose database this one uses too (two servers behind
// a load balancer); that server's folder keeps the key files, this one's the mail.
export async function startServer({ extraArgs = [], users = [], startedPattern = /http:\/\/127\.0\.0\.1:(\d+)\//, sharing } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "kakehashi-http-"));
  const db = sharing ? sharing.db : join(dir, "k.db");
  if (BACKEND === "postgresql" && !sharing) createPostgresqlDatabase(db);
  for (const user of users) {
    const args = ["user", "add", "--db", db, "--email", user.email, "--name", user.name];
    for (const role of user.roles) args.push("--role", role);
    if (user.org) args.push("--org", user.org);
    if (user.block) args.push("--block", user.block);
    const added = kakehashi(args, user.password + "\n");
    if (added.status !== 0) throw new Error("user add failed: " + added.stderr);
  }
  // Mail goes to <dir>/mail as .eml files (the file backend), delivered every second.
  const child = spawn(BIN, routed(["serve", "--db", db, "--listen", "127.0.0.1:0", "--mail-interval", "1", ...extraArgs]), {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  // Awaited log events (waitForLog): checked whenever the server writes.
  const waiters = new Set();
  const checkWaiters = () => {
    if (!waiters.size) return;
    const lines = [];
    for (const text of log.split("\n")) {
      if (!text.startsWith("{")) continue;
      try {
        lines.push(JSON.parse(text));
      } catch {
        // a line still being written
      }
    }
    for (const waiter of [...waiters]) {
      const matching = lines.filter(waiter.predicate);
      if (matching.length >= waiter.count) {
        waiters.delete(waiter);
        clearTimeout(waiter.guard);
        waiter.resolve(matching);
      }
    }
  };
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("server did not start: " + log)), 15000);
    child.stdout.on("data", (chunk) => {
      log += chunk;
      const match = startedPattern.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.stderr.on("data", (chunk) => (log += chunk));
    child.on("exit", (code) => reject(new Error(`server exited with ${code}: ${log}`)));
  });
  // After the listener above that appends to `log`.
  child.stdout.on("data", () => checkWaiters());
  const base = `${startedPattern.source.startsWith("https") ? "https" : "http"}://127.0.0.1:${port}`;
  return {
    base,
    port,
    db,
    dir,
    mailDir: join(dir, "mail"),
    log: () => log,
    // Resolves with the JSON log lines matching `predicate` once there are `count` of them (an
    // event, not a delay); rejects after `guardMs` so that a test fails instead of hanging.
    waitForLog(predicate, { count = 1, guardMs = 90000 } = {}) {
      return new Promise((resolve, reject) => {
        const waiter = { predicate, count, resolve };
        waiter.guard = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error("the expected log line did not come: " + log.slice(-2000)));
        }, guardMs);
        waiters.add(waiter);
        checkWaiters();
      });
    },
    // The server is lost (SIGKILL: no draining, as a crash or a pulled cable): resolves once it
    // has exited. Its folder is removed; a shared database stays for the others.
    async kill() {
      const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(signal)));
      child.kill("SIGKILL");
      const signal = await exited;
      if (!sharing) dropPostgresqlDatabase(db);
      rmSync(dir, { recursive: true, force: true });
      return signal;
    },
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const code = await exited;
      if (!sharing) dropPostgresqlDatabase(db);
      rmSync(dir, { recursive: true, force: true });
      // Under the ASan preset a sanitizer report (a leak found at exit, a use-after-free, undefined
      // behaviour) fails the suite even where a test does not look at the exit status.
      const report = /==\d+==ERROR: (Address|Leak)Sanitizer|runtime error: /.exec(log);
      if (report) throw new Error("the server's sanitizer report:\n" + log.slice(report.index, report.index + 8000));
      return code;
    },
  };
}

// A tiny cookie-keeping client, as a browser would be.
export class Browser {
  constructor(base) {
    this.base = base;
    this.cookies = new Map();
  }
  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  async request(path, { method = "GET", form, headers = {}, body } = {}) {
    const allHeaders = { ...headers };
    if (this.cookies.size) allHeaders.cookie = this.cookieHeader();
    if (form) {
      allHeaders["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(form).toString();
    }
    const response = await fetch(this.base + path, { method, headers: allHeaders, body, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (attributes.some((a) => /max-age=0/i.test(a.trim()))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    response.text_ = await response.text();
    return response;
  }
  csrfFrom(html) {
    const match = /name="csrf_token" value="([^"]+)"/.exec(html);
    return match ? match[1] : null;
  }
  async login(email, password) {
    const page = await this.request("/login");
    const token = this.csrfFrom(page.text_);
    return this.request("/login", { method: "POST", form: { csrf_token: token, email, password, next: "/" } });
  }
}

// Mail the server wrote to `folder` (its file backend), read by tests/support/decode_mail.py
// (Python's email package): [{file, subject, to: [..], from_name, body, …}], oldest first.
const DECODER = join(dirname(fileURLToPath(import.meta.url)), "..", "support", "decode_mail.py");
export function readMails(folder) {
  if (!existsSync(folder)) return [];
  const files = readdirSync(folder).filter((f) => f.endsWith(".eml")).sort().map((f) => join(folder, f));
  if (!files.length) return [];
  const decoded = spawnSync("/usr/bin/python3", [DECODER, ...files], { encoding: "utf8" });
  if (decoded.status !== 0) throw new Error("decode_mail.py: " + decoded.stderr);
  return decoded.stdout.trim().split("\n").map((line, i) => ({ file: files[i], ...JSON.parse(line) }));
}

// Waits (up to `ms`) until `count` mails to `to` whose subject matches `subject` have arrived;
// returns them, oldest first.
export async function waitForMails(folder, { to, subject = /./, count = 1, ms = 15000 }) {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = readMails(folder).filter((m) => m.to.includes(to) && subject.test(m.subject));
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`${count} mail(s) to ${to} (${subject}) did not arrive; have ${found.length}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// The first link in a mail's body that starts with `base` + `path`.
export function linkIn(mail, base, path) {
  const escaped = (base + path).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(escaped + "[^\\s]*").exec(mail.body);
  if (!match) throw new Error(`no link ${path} in: ${mail.body}`);
  return match[0];
}

// An operator's sign-up as a person does it: the form, the mail, the link, the button. Returns
// the confirmation's response (303 to `next`, signed in as the new operator in `browser`).
export async function signUpByMail(server, browser, { org, name, email, password, next = "/" }) {
  const form = await browser.request(`/signup?next=${encodeURIComponent(next)}`);
  const sent = await browser.request("/signup", {
    method: "POST",
    form: { csrf_token: browser.csrfFrom(form.text_), organisation: org, name, email, password, next },
  });
  if (sent.status !== 200) throw new Error(`sign-up of ${email}: ${sent.status} ${sent.text_.slice(0, 500)}`);
  const [mail] = await waitForMails(server.mailDir, { to: email, subject: /メールアドレスの確認/ });
  const link = linkIn(mail, server.base, "/signup/confirm?token=");
  const page = await browser.request(link.slice(server.base.length));
  const token = /name="token" value="([^"]+)"/.exec(page.text_)?.[1];
  if (page.status !== 200 || !token) throw new Error(`confirmation page of ${email}: ${page.status}`);
  return browser.request("/signup/confirm", {
    method: "POST",
    form: { csrf_token: browser.csrfFrom(page.text_), token, organisation: org },
  });
}
