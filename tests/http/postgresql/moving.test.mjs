// Moving data (issue 22): the demo installation made on PostgreSQL, copied to SQLite and back to
// a second PostgreSQL database with every row and the audit chain intact; a SQLite backup taken
// while the database is in use, and a restore that brings back exactly the backed-up state.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kakehashi } from "../server.mjs";

const server = readFileSync(join(process.env.KAKEHASHI_TEST_PG_STATE, "url"), "utf8").trim();
const psql = (url, query) => {
  const result = spawnSync("psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", query], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout.trim();
};
const sqlite = (db, query) => spawnSync("sqlite3", [db, query], { encoding: "utf8" }).stdout.trim();
const names = [`kk_move_${process.pid}_a`, `kk_move_${process.pid}_b`];
const urls = names.map((n) => server.slice(0, server.lastIndexOf("/") + 1) + n);
let dir;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "kakehashi-move-"));
  for (const name of names) psql(server, `CREATE DATABASE ${name}`);
});
after(() => {
  for (const name of names) psql(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  rmSync(dir, { recursive: true, force: true });
});

const TABLES = ["users", "organisations", "audit_log", "calls", "applications", "application_attachments", "events", "operators"];

test("db copy: PostgreSQL demo → SQLite → PostgreSQL, every row and the audit chain intact", () => {
  const made = kakehashi(["demo", "--db", join(dir, "keys", "k.db"), "--db-url", urls[0]]);
  assert.equal(made.status, 0, made.stderr);
  const sqliteCopy = join(dir, "copy.db");
  const toSqlite = kakehashi(["db", "copy", "--from", urls[0], "--to", `sqlite:${sqliteCopy}`]);
  assert.equal(toSqlite.status, 0, toSqlite.stderr);
  assert.match(toSqlite.stdout, /コピー先の監査ログは完全です（\d+ 件）/);
  const back = kakehashi(["db", "copy", "--from", `sqlite:${sqliteCopy}`, "--to", urls[1]]);
  assert.equal(back.status, 0, back.stderr);
  assert.match(back.stdout, /コピー先の監査ログは完全です/);
  for (const table of TABLES) {
    const original = psql(urls[0], `SELECT COUNT(*) FROM ${table}`);
    assert.ok(Number(original) > 0 || table === "application_attachments", `${table} has demo rows`);
    assert.equal(sqlite(sqliteCopy, `SELECT COUNT(*) FROM ${table}`), original, table);
    assert.equal(psql(urls[1], `SELECT COUNT(*) FROM ${table}`), original, table);
  }
  // Files (bytea ↔ BLOB) arrive byte for byte.
  const digest = "SELECT COALESCE(SUM(length(content)), 0) FROM application_attachments";
  assert.equal(psql(urls[1], digest.replace("length", "octet_length")), psql(urls[0], digest.replace("length", "octet_length")));
  assert.equal(psql(urls[1], "SELECT string_agg(hash, ',' ORDER BY id) FROM audit_log"),
               psql(urls[0], "SELECT string_agg(hash, ',' ORDER BY id) FROM audit_log"));
  // New rows on the copy take new ids after the copied ones (identity counters continued).
  const added = kakehashi(["user", "add", "--db", join(dir, "keys", "k.db"), "--db-url", urls[1], "--email", "new@example.jp",
                           "--name", "新規 太郎", "--role", "operator"], "new user password 1\n");
  assert.equal(added.status, 0, added.stderr);
  assert.equal(psql(urls[1], "SELECT id > (SELECT MAX(id) FROM users WHERE email <> 'new@example.jp') FROM users WHERE email = 'new@example.jp'"), "t");
  // A target that already holds data is refused.
  const again = kakehashi(["db", "copy", "--from", `sqlite:${sqliteCopy}`, "--to", urls[1]]);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /コピー先が空ではありません/);
});

test("SQLite backup and restore: the restored database is the backed-up one, its audit chain verified", () => {
  const db = join(dir, "live", "k.db");
  assert.equal(kakehashi(["demo", "--db", db]).status, 0);
  const backup = join(dir, "backup.db");
  const taken = kakehashi(["backup", "--db", db, "--to", backup]);
  assert.equal(taken.status, 0, taken.stderr);
  assert.ok(existsSync(backup));
  const users = sqlite(db, "SELECT COUNT(*) FROM users");
  kakehashi(["user", "add", "--db", db, "--email", "later@example.jp", "--name", "後日 花子", "--role", "operator"], "later password 12\n");
  assert.equal(sqlite(db, "SELECT COUNT(*) FROM users"), String(Number(users) + 1));
  const twice = kakehashi(["backup", "--db", db, "--to", backup]);
  assert.equal(twice.status, 2);
  assert.match(twice.stderr, /既にあります（上書きしません）/);
  const restored = kakehashi(["restore", "--db", db, "--from", backup]);
  assert.equal(restored.status, 0, restored.stderr);
  assert.match(restored.stdout, /バックアップから戻しました（監査ログ \d+ 件を検証済み）/);
  assert.equal(sqlite(db, "SELECT COUNT(*) FROM users"), users);
  // Not a database: refused before anything is replaced.
  const junk = join(dir, "junk.db");
  spawnSync("sh", ["-c", `head -c 8192 /dev/urandom > ${junk}`]);
  const refused = kakehashi(["restore", "--db", db, "--from", junk]);
  assert.notEqual(refused.status, 0);
  assert.equal(sqlite(db, "SELECT COUNT(*) FROM users"), users);
  // PostgreSQL is backed up with its own tools.
  const pg = kakehashi(["backup", "--db-url", urls[0], "--to", join(dir, "pg.db")]);
  assert.equal(pg.status, 2);
  assert.match(pg.stderr, /pg_dump -Fc/);
});
