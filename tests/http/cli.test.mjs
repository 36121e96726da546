// The foundation's commands end to end: user add, migrate, demo, audit verify on a fresh and on
// a tampered database.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kakehashi, database, copyDatabase, dropTrigger, sql } from "./server.mjs";

let dir;
before(() => (dir = mkdtempSync(join(tmpdir(), "kakehashi-cli-"))));
after(() => rmSync(dir, { recursive: true, force: true }));

test("version and usage errors", () => {
  assert.match(kakehashi(["version"]).stdout, /^kakehashi \d+\.\d+\.\d+\n$/);
  const none = kakehashi([]);
  assert.equal(none.status, 2);
  assert.equal(none.stderr, "kakehashi: サブコマンドを指定してください（kakehashi --help で使い方を表示）\n");
  const missing = kakehashi(["user", "add", "--email", "a@example.jp"]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^kakehashi: 必須のオプションがありません: --name/);
  const extra = kakehashi(["version", "--bogus"]);
  assert.equal(extra.status, 2);
  assert.match(extra.stderr, /^kakehashi: 不明な引数です: --bogus/);
});

test("audit verify passes on a fresh database and fails after a row is changed or deleted", () => {
  const db = database(join(dir, "audit.db"));
  assert.equal(kakehashi(["migrate", "--db", db]).status, 0);
  for (let i = 0; i < 3; i++) {
    const added = kakehashi(["user", "add", "--db", db, "--email", `u${i}@example.jp`, "--name", `利用者${i}`, "--role", "secretariat"],
                            "a password of length\n");
    assert.equal(added.status, 0, added.stderr);
    assert.match(added.stdout, /ユーザーを追加しました/);
  }
  const fresh = kakehashi(["audit", "verify", "--db", db]);
  assert.equal(fresh.status, 0, fresh.stderr);
  assert.match(fresh.stdout, /監査ログは完全です（3 件）/);

  const copy = copyDatabase(db, join(dir, "tampered.db"));
  dropTrigger(copy, "audit_log_no_update", "audit_log");
  sql(copy, "UPDATE audit_log SET object = 'user:99' WHERE id = 2");
  const changed = kakehashi(["audit", "verify", "--db", copy]);
  assert.equal(changed.status, 1);
  assert.match(changed.stderr, /監査ログ #2 の内容が記録後に変更されています/);

  const removed = copyDatabase(db, join(dir, "removed.db"));
  dropTrigger(removed, "audit_log_no_delete", "audit_log");
  sql(removed, "DELETE FROM audit_log WHERE id = 1");
  const deleted = kakehashi(["audit", "verify", "--db", removed]);
  assert.equal(deleted.status, 1);
  assert.match(deleted.stderr, /監査ログ #1 が削除されています/);
});

test("user add validates and reads the password from standard input", () => {
  const db = database(join(dir, "users.db"));
  const shortPassword = kakehashi(["user", "add", "--db", db, "--email", "a@example.jp", "--name", "名", "--role", "meti"], "short\n");
  assert.equal(shortPassword.status, 2);
  assert.match(shortPassword.stderr, /パスワードは 12 文字以上にしてください/);
  const badRole = kakehashi(["user", "add", "--db", db, "--email", "a@example.jp", "--name", "名", "--role", "admin"], "long enough pw\n");
  assert.equal(badRole.status, 2);
  assert.match(badRole.stderr, /不明なロールです: admin/);
  const noBlock = kakehashi(["user", "add", "--db", db, "--email", "b@example.jp", "--name", "名", "--role", "bureau"], "long enough pw\n");
  assert.equal(noBlock.status, 2);
  assert.match(noBlock.stderr, /担当ブロックを指定してください/);
  const ok = kakehashi(["user", "add", "--db", db, "--email", "b@example.jp", "--name", "名", "--role", "bureau", "--block", "tohoku",
                        "--org", "東北経済産業局"], "long enough pw\n");
  assert.equal(ok.status, 0, ok.stderr);
  const again = kakehashi(["user", "add", "--db", db, "--email", "B@example.jp", "--name", "名", "--role", "meti"], "long enough pw\n");
  assert.notEqual(again.status, 0);
  assert.match(again.stderr, /既に登録されています/);
  assert.equal(sql(db, "SELECT COUNT(*) FROM users WHERE password_hash LIKE '$argon2id$%'").trim(), "1");
});

test("demo creates one user per role once, and keeps the logins private", () => {
  const db = database(join(dir, "demo", "k.db"));
  // Asked to show logins before any demo was made, it says how to make one.
  const none = kakehashi(["demo", "--db", database(join(dir, "demo-none", "k.db")), "--show-logins"]);
  assert.match(none.stdout, /デモ用ログインの記録（.*demo-logins\.txt）がありません。デモデータは --show-logins を付けずに kakehashi demo を実行すると作成されます/);
  const first = kakehashi(["demo", "--db", db]);
  assert.equal(first.status, 0, first.stderr);
  for (const email of ["meti", "bureau", "secretariat", "security", "reviewer", "operator", "participant"]) {
    assert.match(first.stdout, new RegExp(`${email}@demo\\.example +[A-Za-z0-9]{16}`));
  }
  assert.equal(statSync(join(dir, "demo", "demo-logins.txt")).mode & 0o777, 0o600);
  const shown = kakehashi(["demo", "--db", db, "--show-logins"]);
  assert.equal(shown.stdout, first.stdout);
  const second = kakehashi(["demo", "--db", db]);
  assert.equal(second.status, 3);
  assert.match(second.stderr, /デモデータは作成済みです/);
  const migrated = kakehashi(["migrate", "--db", db]);
  assert.match(migrated.stdout, /データベースは最新です/);
});
