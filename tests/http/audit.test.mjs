// The audit log end to end: the screen with names, labels and filters, the CSV of the filtered
// view, and anchoring (issue 13 item 8): signed checkpoints outside the database that expose a
// rollback the hash chain alone cannot see, on the command line and on the screen.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, createPublicKey } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kakehashi, startServer, Browser, sql, database, copyDatabase, dropTrigger } from "./server.mjs";

const SECRETARIAT = { email: "jimu@example.jp", name: "事務 花子", roles: ["secretariat"], password: "secretariat pass 1", org: "架け橋事務局" };
const OFFICER = { email: "joho@example.jp", name: "情報 次郎", roles: ["security_officer"], password: "officer pass 12" };
const METI = { email: "meti@example.jp", name: "経産 一郎", roles: ["meti"], password: "meti password 1" };

let dir;
before(() => (dir = mkdtempSync(join(tmpdir(), "kakehashi-audit-"))));
after(() => rmSync(dir, { recursive: true, force: true }));

// The rows of the audit table on a page: [{id, actor, actorId, action, actionId, object, objectId}].
function auditRows(html) {
  const rows = [];
  const pattern = /<tr><td>(\d+)<\/td><td>[^<]*<\/td><td>([^<]*)<br><span class="audit-id">([^<]*)<\/span><\/td><td>([^<]*)<br><span class="audit-id">([^<]*)<\/span><\/td><td>([^<]*)<br><span class="audit-id">([^<]*)<\/span><\/td>/g;
  for (const m of html.matchAll(pattern)) {
    rows.push({ id: Number(m[1]), actor: m[2], actorId: m[3], action: m[4], actionId: m[5], object: m[6], objectId: m[7] });
  }
  return rows;
}

// The entries of a ZIP, through Python's standard library.
function zipNames(path) {
  return execFileSync("python3", ["-c", "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))", path],
                      { encoding: "utf8" }).trim().split("\n");
}

function todayInTokyo(offsetDays = 0) {
  return new Date(Date.now() + 9 * 3600e3 + offsetDays * 86400e3).toISOString().slice(0, 10);
}

test("the audit screen shows names and readable actions, filters by person, action, object and date, and exports the filtered view", async () => {
  const server = await startServer({ users: [SECRETARIAT, OFFICER, METI] });
  try {
    const secretariatId = sql(server.db, `SELECT id FROM users WHERE email = '${SECRETARIAT.email}'`);
    const secretariat = new Browser(server.base);
    assert.equal((await secretariat.login(SECRETARIAT.email, "wrong password 1")).status, 401);
    assert.equal((await secretariat.login(SECRETARIAT.email, SECRETARIAT.password)).status, 303);
    const officer = new Browser(server.base);
    assert.equal((await officer.login(OFFICER.email, OFFICER.password)).status, 303);

    const all = await officer.request("/admin/audit");
    assert.equal(all.status, 200);
    const rows = auditRows(all.text_);
    assert.ok(rows.length >= 5, all.text_);
    const login = rows.find((r) => r.actionId === "auth.login" && r.actorId === `user:${secretariatId}`);
    assert.deepEqual(login && [login.actor, login.action, login.object], [SECRETARIAT.name, "ログイン", SECRETARIAT.name]);
    const failed = rows.find((r) => r.actionId === "auth.login_failed");
    assert.deepEqual([failed.actor, failed.action, failed.object, failed.objectId],
                     ["未ログインの利用者", "ログイン失敗", SECRETARIAT.name, `user:${secretariatId}`]);
    const created = rows.find((r) => r.actionId === "user.create");
    assert.deepEqual([created.actor, created.action], ["システム", "ユーザーの追加"]);
    // The person filter lists the people in the log by name.
    assert.match(all.text_, new RegExp(`<option value="user:${secretariatId}">${SECRETARIAT.name}</option>`));

    const byPerson = await officer.request(`/admin/audit?actor=user%3A${secretariatId}`);
    assert.equal(byPerson.status, 200);
    const personRows = auditRows(byPerson.text_);
    assert.ok(personRows.length >= 1);
    assert.ok(personRows.every((r) => r.actor === SECRETARIAT.name), byPerson.text_);
    assert.match(byPerson.text_, new RegExp(`<option value="user:${secretariatId}" selected>`));

    const byAction = auditRows((await officer.request("/admin/audit?action=auth.login_failed")).text_);
    assert.deepEqual(byAction.map((r) => r.actionId), ["auth.login_failed"]);
    const byObject = auditRows((await officer.request(`/admin/audit?kind=user&number=${secretariatId}`)).text_);
    assert.ok(byObject.length >= 3 && byObject.every((r) => r.objectId === `user:${secretariatId}`));
    const today = auditRows((await officer.request(`/admin/audit?from=${todayInTokyo()}&to=${todayInTokyo()}`)).text_);
    assert.deepEqual(today.map((r) => r.id), rows.map((r) => r.id), "reading the screen adds no entry");
    const tomorrow = await officer.request(`/admin/audit?from=${todayInTokyo(1)}`);
    assert.deepEqual(auditRows(tomorrow.text_), []);
    assert.match(tomorrow.text_, /条件に合う記録はありません。/);

    // A filter that cannot be applied is refused with the form kept.
    const bad = await officer.request("/admin/audit?kind=call&number=3a");
    assert.equal(bad.status, 422);
    assert.match(bad.text_, /番号は半角数字で入力してください/);
    assert.match(bad.text_, /<option value="call" selected>公募<\/option>/);
    assert.match(bad.text_, /name="number" class="input input--short" value="3a"/);
    assert.deepEqual(auditRows(bad.text_), []);
    assert.equal((await officer.request("/admin/audit?from=2026-02-30")).status, 422);

    // The CSV is the filtered view, with names beside the stored ids; the export is audited with its filter.
    const page = await officer.request("/admin/audit?action=auth.login_failed");
    assert.match(page.text_, /href="\/admin\/audit\/export\.csv\?action=auth\.login_failed" download>絞り込んだ記録を CSV で書き出す/);
    const raw = await fetch(server.base + "/admin/audit/export.csv?action=auth.login_failed", { headers: { cookie: officer.cookieHeader() } });
    assert.equal(raw.status, 200);
    const lines = Buffer.from(await raw.arrayBuffer()).subarray(3).toString("utf8").trim().split("\r\n");
    assert.equal(lines[0], "No.,日時（日本時間）,実行者,実行者ID,操作,操作ID,対象,対象ID,詳細,ハッシュ");
    assert.equal(lines.length, 2, lines.join("\n"));
    assert.match(lines[1], new RegExp(`^${failed.id},[0-9: -]+,未ログインの利用者,visitor,ログイン失敗,auth\\.login_failed,${SECRETARIAT.name},user:${secretariatId},,[0-9a-f]{64}$`));
    assert.equal(sql(server.db, "SELECT detail FROM audit_log WHERE action = 'audit.export' ORDER BY id DESC LIMIT 1"),
                 '{"action":"auth.login_failed"}');
    assert.equal((await officer.request("/admin/audit/export.csv?actor=nobody")).status, 422);

    // METI reads the log but neither runs the check nor downloads the checkpoints.
    const meti = new Browser(server.base);
    await meti.login(METI.email, METI.password);
    const metiPage = await meti.request("/admin/audit");
    assert.equal(metiPage.status, 200);
    assert.doesNotMatch(metiPage.text_, /署名付きチェックポイント/);
    assert.equal((await meti.request("/admin/audit/anchors.zip")).status, 403);
  } finally {
    await server.stop();
  }
});

test("the security officer downloads the signed checkpoints and the public key, and the download is audited", async () => {
  const server = await startServer({ users: [SECRETARIAT, OFFICER] });
  try {
    // The server signed the head at start (the users added before it).
    const anchors = join(server.dir, "audit-anchors");
    assert.equal(readdirSync(anchors).length, 1);
    assert.equal(statSync(join(server.dir, "audit-signing.key")).mode & 0o777, 0o600);
    const officer = new Browser(server.base);
    await officer.login(OFFICER.email, OFFICER.password);
    const page = await officer.request("/admin/audit");
    assert.match(page.text_, /署名付きチェックポイント/);
    const fingerprint = /<dt>公開鍵の指紋（SHA-256）<\/dt><dd><code class="fingerprint">([0-9a-f]{64})<\/code>/.exec(page.text_)[1];

    const download = await fetch(server.base + "/admin/audit/anchors.zip", { headers: { cookie: officer.cookieHeader() } });
    assert.equal(download.status, 200);
    assert.equal(download.headers.get("content-type"), "application/zip");
    assert.match(download.headers.get("content-disposition"), /filename\*=UTF-8''.*\.zip$/);
    const zip = join(dir, "anchors.zip");
    writeFileSync(zip, Buffer.from(await download.arrayBuffer()));
    // The login moved the head, so the download signed it first: two checkpoints.
    const files = readdirSync(anchors).sort();
    assert.equal(files.length, 2);
    assert.deepEqual(zipNames(zip).sort(), ["README.txt", "checkpoints/", ...files.map((f) => `checkpoints/${f}`),
                                            "kakehashi-audit-public-key.pem"].sort());
    const newest = JSON.parse(readFileSync(join(anchors, files[1]), "utf8"));
    assert.equal(String(newest.entry_id), sql(server.db, "SELECT MAX(id) FROM audit_log WHERE action <> 'audit.anchors_download'"));
    const spki = createPublicKey(execFileSync("python3", ["-c", "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read('kakehashi-audit-public-key.pem').decode())", zip], { encoding: "utf8" }))
      .export({ type: "spki", format: "der" });
    assert.equal(createHash("sha256").update(spki.subarray(12)).digest("hex"), fingerprint);
    assert.equal(sql(server.db, "SELECT actor || ' ' || object || ' ' || detail FROM audit_log WHERE action = 'audit.anchors_download'"),
                 `user:${sql(server.db, `SELECT id FROM users WHERE email = '${OFFICER.email}'`)} audit_anchors {"checkpoints":2}`);
  } finally {
    await server.stop();
  }
});

test("the server signs the head at start and again on its interval once the head moved, logging each checkpoint", async () => {
  const server = await startServer({ users: [OFFICER], extraArgs: ["--audit-checkpoint-seconds", "1"] });
  try {
    const anchors = join(server.dir, "audit-anchors");
    assert.deepEqual(readdirSync(anchors).map((f) => f.slice(0, 24)), ["checkpoint-000000000001-"]);
    // Nothing new while the head stands still.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(readdirSync(anchors).length, 1);
    const officer = new Browser(server.base);
    await officer.login(OFFICER.email, OFFICER.password);  // entry #2
    const deadline = Date.now() + 10000;
    while (readdirSync(anchors).length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(readdirSync(anchors).sort().map((f) => f.slice(0, 24)), ["checkpoint-000000000001-", "checkpoint-000000000002-"]);
    // The file is written before the line is logged: wait for the line (an event, not a delay).
    const logged = await server.waitForLog((l) => l.event === "audit.checkpoint", { count: 2 });
    assert.deepEqual(logged.map((l) => [l.level, l.entry_id]), [["info", 1], ["info", 2]]);
  } finally {
    assert.equal(await server.stop(), 0, "the checkpoint thread stops with the server");
  }
});

test("the check on the screen names the checkpoint a rolled-back log no longer reaches", async () => {
  const server = await startServer({ users: [SECRETARIAT, OFFICER] });
  try {
    const officer = new Browser(server.base);
    await officer.login(OFFICER.email, OFFICER.password);
    const secretariat = new Browser(server.base);
    await secretariat.login(SECRETARIAT.email, SECRETARIAT.password);
    const page = await officer.request("/admin/audit");
    const intact = await officer.request("/admin/audit/verify", { method: "POST", form: { csrf_token: officer.csrfFrom(page.text_) } });
    assert.equal(intact.status, 200);
    assert.match(intact.text_, /監査ログは完全です（\d+ 件を検証し、チェックポイント 1 件と照合しました）。/);
    // Sign the head now (the download does), then remove the secretariat's login behind the server's back.
    assert.equal((await officer.request("/admin/audit/anchors.zip")).status, 200);
    const head = Number(sql(server.db, "SELECT MAX(id) FROM audit_log"));
    const login = Number(sql(server.db, "SELECT id FROM audit_log WHERE action = 'auth.login' ORDER BY id DESC LIMIT 1"));
    const keep = login - 1;
    dropTrigger(server.db, "audit_log_no_delete", "audit_log");
    sql(server.db, `DELETE FROM audit_log WHERE id > ${keep}`);
    sql(server.db, `UPDATE audit_head SET last_id = ${keep}, last_hash = (SELECT hash FROM audit_log WHERE id = ${keep})`);
    const checkpoint = readdirSync(join(server.dir, "audit-anchors")).sort().at(-1);
    const verified = await officer.request("/admin/audit/verify", { method: "POST", form: { csrf_token: officer.csrfFrom(page.text_) } });
    assert.equal(verified.status, 200);
    assert.match(verified.text_, /改ざんを検出しました:/);
    assert.match(verified.text_, new RegExp(`チェックポイント ${checkpoint.replace(/\./g, "\\.")} が記録した監査ログ #${head - 1}（[^）]+）がデータベースにありません。`));
    assert.equal(sql(server.db, "SELECT detail FROM audit_log WHERE action = 'audit.verify' ORDER BY id DESC LIMIT 1"),
                 '{"intact":true,"checkpoints":2,"checkpoints_intact":false}');
  } finally {
    await server.stop();
  }
});

test("audit checkpoint, export-key and verify --anchors on the command line: a rollback the chain misses is named", () => {
  const db = database(join(dir, "cli", "k.db"));
  const anchors = join(dir, "cli", "anchors");
  const key = join(dir, "cli", "signing.key");
  assert.equal(kakehashi(["migrate", "--db", db]).status, 0);
  const addUser = (i) => {
    const added = kakehashi(["user", "add", "--db", db, "--email", `u${i}@example.jp`, "--name", `利用者${i}`, "--role", "secretariat"],
                            "a password of length\n");
    assert.equal(added.status, 0, added.stderr);
  };
  for (let i = 0; i < 3; i++) addUser(i);
  const first = kakehashi(["audit", "checkpoint", "--db", db, "--anchors", anchors, "--key", key]);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /^チェックポイントを書き出しました: .*checkpoint-000000000003-\d{8}T\d{6}Z\.json（監査ログ #3）\n$/);
  assert.equal(statSync(key).mode & 0o777, 0o600);
  const unchanged = kakehashi(["audit", "checkpoint", "--db", db, "--anchors", anchors, "--key", key]);
  assert.equal(unchanged.status, 0);
  assert.match(unchanged.stdout, /新しいチェックポイントはありません/);
  addUser(3);
  assert.equal(kakehashi(["audit", "checkpoint", "--db", db, "--anchors", anchors, "--key", key]).status, 0);
  const checkpoints = readdirSync(anchors).sort();
  assert.equal(checkpoints.length, 2);
  assert.match(checkpoints[1], /^checkpoint-000000000004-/);

  // The public key for METI, as PEM on standard output and its fingerprint on standard error.
  const exported = kakehashi(["audit", "export-key", "--db", db, "--key", key]);
  assert.equal(exported.status, 0, exported.stderr);
  assert.match(exported.stdout, /^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=]{60}\n-----END PUBLIC KEY-----\n$/);
  const pem = join(dir, "cli", "kakehashi-audit-public-key.pem");
  writeFileSync(pem, exported.stdout);
  const spki = createPublicKey(exported.stdout).export({ type: "spki", format: "der" });
  assert.equal(exported.stderr, `公開鍵の指紋（SHA-256）: ${createHash("sha256").update(spki.subarray(12)).digest("hex")}\n`);

  // METI checks a checkpoint's signature with openssl alone (docs/user-guide/audit.md).
  const c = JSON.parse(readFileSync(join(anchors, checkpoints[1]), "utf8"));
  const message = join(dir, "cli", "message.txt");
  const signature = join(dir, "cli", "signature.bin");
  writeFileSync(message, `kakehashi-audit-checkpoint v1\nentry_id: ${c.entry_id}\nentry_hash: ${c.entry_hash}\nentry_at: ${c.entry_at}\n` +
                         `entries: ${c.entries}\nwritten_at: ${c.written_at}\npublic_key: ${c.public_key}\n`);
  writeFileSync(signature, Buffer.from(c.signature, "base64"));
  const opensslVerify = () => execFileSync("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", pem, "-rawin", "-in", message, "-sigfile", signature],
                                           { encoding: "utf8" });
  assert.match(opensslVerify(), /Signature Verified Successfully/);
  writeFileSync(message, readFileSync(message, "utf8").replace(`entry_id: ${c.entry_id}`, `entry_id: ${c.entry_id - 1}`));
  assert.throws(opensslVerify, (error) => error.status === 1 && /Signature Verification Failure/.test(error.stdout));

  const good = kakehashi(["audit", "verify", "--db", db, "--anchors", anchors, "--public-key", pem]);
  assert.equal(good.status, 0, good.stderr);
  assert.match(good.stdout, /^監査ログは完全です（4 件）\nチェックポイント 2 件の署名と記録を確認しました（最新: 監査ログ #4、[0-9: -]+ 作成、公開鍵の指紋 [0-9a-f]{64}）\n$/);
  const noKey = kakehashi(["audit", "verify", "--db", db, "--anchors", anchors]);
  assert.equal(noKey.status, 0);
  assert.match(noKey.stdout, /届け出た公開鍵で確かめるには --public-key を指定してください。/);

  // With write access to the file: drop the triggers, delete the newest rows, rewrite the head.
  const copy = copyDatabase(db, join(dir, "cli", "rolled-back.db"));
  dropTrigger(copy, "audit_log_no_update", "audit_log");
  dropTrigger(copy, "audit_log_no_delete", "audit_log");
  sql(copy, "DELETE FROM audit_log WHERE id > 2");
  sql(copy, "UPDATE audit_head SET last_id = 2, last_hash = (SELECT hash FROM audit_log WHERE id = 2)");
  const chainOnly = kakehashi(["audit", "verify", "--db", copy]);
  assert.equal(chainOnly.status, 0, "the chain alone cannot see it");
  assert.equal(chainOnly.stdout, "監査ログは完全です（2 件）\n");
  const anchored = kakehashi(["audit", "verify", "--db", copy, "--anchors", anchors, "--public-key", pem]);
  assert.equal(anchored.status, 1);
  assert.equal(anchored.stdout, "監査ログは完全です（2 件）\n");
  const lines = anchored.stderr.trim().split("\n");
  assert.equal(lines.length, 2);
  assert.match(lines[0], new RegExp(`^kakehashi: 監査ログの改ざんを検出しました: チェックポイント ${checkpoints[0].replace(".", "\\.")} が記録した監査ログ #3（[0-9: -]+）がデータベースにありません。監査ログがこのチェックポイントより前に巻き戻されています$`));
  assert.match(lines[1], new RegExp(`^kakehashi: 監査ログの改ざんを検出しました: チェックポイント ${checkpoints[1].replace(".", "\\.")} が記録した監査ログ #4（`));
  // Signing the rolled-back head is refused, naming the checkpoint.
  const refused = kakehashi(["audit", "checkpoint", "--db", copy, "--anchors", anchors, "--key", key]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, new RegExp(`^kakehashi: 監査ログがチェックポイント ${checkpoints[1].replace(".", "\\.")}（監査ログ #4）より前に巻き戻されています`));
  assert.equal(readdirSync(anchors).length, 2);

  // Another key than the one handed to METI.
  const otherKey = join(dir, "cli", "other.key");
  execFileSync("openssl", ["genpkey", "-algorithm", "ed25519", "-out", otherKey]);
  chmodSync(otherKey, 0o600);
  const otherPem = join(dir, "cli", "other.pem");
  execFileSync("openssl", ["pkey", "-in", otherKey, "-pubout", "-out", otherPem]);
  const wrongKey = kakehashi(["audit", "verify", "--db", db, "--anchors", anchors, "--public-key", otherPem]);
  assert.equal(wrongKey.status, 1);
  assert.match(wrongKey.stderr, /チェックポイント checkpoint-000000000003-\d{8}T\d{6}Z\.json は指定の公開鍵とは別の鍵（指紋 [0-9a-f]{64}）で署名されています/);
  // A key made by openssl is read as well (the file format is standard PKCS#8).
  const opensslKey = kakehashi(["audit", "export-key", "--db", db, "--key", otherKey]);
  assert.equal(opensslKey.status, 0, opensslKey.stderr);
  assert.equal(opensslKey.stdout, readFileSync(otherPem, "utf8"));

  const missing = kakehashi(["audit", "verify", "--db", db, "--anchors", join(dir, "cli", "nowhere")]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /チェックポイントのフォルダがありません/);
});
