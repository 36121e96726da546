// Files the program creates are its owner's alone (issue 13 item 5): the database, its WAL and
// shared-memory files, and what a command exports are 0600, folders 0700 (umask 077 at start).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, kakehashi, Browser, BACKEND } from "./server.mjs";

let server;
before(async () => {
  server = await startServer({
    users: [{ email: "staff@example.jp", name: "事務局", password: "staff password 123", roles: ["secretariat"] }],
  });
});
after(async () => {
  await server?.stop();
});

const mode = (path) => (statSync(path).mode & 0o777).toString(8);

test("the database, its WAL and SHM files are 0600, and every file beside them (key files, mail)", async () => {
  // A login writes (a session), so the WAL and the shared-memory index exist.
  const login = await new Browser(server.base).login("staff@example.jp", "staff password 123");
  assert.equal(login.status, 303);
  if (BACKEND === "sqlite") {
    assert.equal(mode(server.db), "600");
    assert.equal(mode(server.db + "-wal"), "600");
    assert.equal(mode(server.db + "-shm"), "600");
  } else {
    assert.equal(existsSync(server.db), false, "on PostgreSQL no database file is made beside --db");
  }
  for (const entry of readdirSync(server.dir, { recursive: true })) {
    const path = join(server.dir, entry);
    assert.equal(mode(path), statSync(path).isDirectory() ? "700" : "600", path);
  }
});

test("an exported document and the folder made for it are owner-only", () => {
  const input = join(server.dir, "report.md");
  writeFileSync(input, "# 報告書\n\n本文です。\n");
  const out = join(server.dir, "exports", "report");
  const rendered = kakehashi(["doc", "render", input, "--out", out, "--formats", "html"]);
  assert.equal(rendered.status, 0, rendered.stderr);
  const files = rendered.stdout.trim().split("\n");
  assert.ok(files.length >= 1 && files[0].endsWith(".html"), rendered.stdout);
  for (const file of files) assert.equal(mode(file), "600", file);
  assert.equal(mode(out), "700");
  assert.equal(mode(join(server.dir, "exports")), "700");
});
