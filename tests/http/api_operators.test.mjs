// HTTP tests of /api/v1/operators (issue 15) with personal API tokens on the demo programme year:
// each role reads exactly its reach (secretariat and METI all ten, an operator its own, a bureau
// the blocks of its bureau, 北陸 for both 中部 and 近畿), one out of reach answers 404, a reviewer
// is refused, and the list follows the page convention (envelope, Link, limits).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, kakehashi, sql } from "./server.mjs";

const CHUBU = { email: "chubu@example.go.jp", name: "中部 一郎", roles: ["bureau"], password: "bureau password 1", org: "中部経済産業局", block: "tokai" };

let server;
const tokens = {};
before(async () => {
  server = await startServer();
  const demo = kakehashi(["demo", "--db", server.db]);
  assert.equal(demo.status, 0, demo.stderr);
  const chubu = kakehashi(["user", "add", "--db", server.db, "--email", CHUBU.email, "--name", CHUBU.name, "--role", "bureau",
                           "--org", CHUBU.org, "--block", CHUBU.block], CHUBU.password + "\n");
  assert.equal(chubu.status, 0, chubu.stderr);
  for (const [key, email] of Object.entries({
    secretariat: "secretariat@demo.example", meti: "meti@demo.example", operator: "operator@demo.example",
    bureau: "bureau@demo.example", reviewer: "reviewer@demo.example", chubu: CHUBU.email,
  })) {
    const made = kakehashi(["token", "create", "--db", server.db, "--email", email]);
    assert.equal(made.status, 0, made.stderr);
    tokens[key] = made.stdout.trim();
  }
});
after(async () => {
  assert.equal(await server.stop(), 0, "server exits cleanly on SIGTERM");
});

async function get(path, who) {
  const response = await fetch(server.base + path, { headers: { authorization: `Bearer ${tokens[who]}` } });
  return { status: response.status, link: response.headers.get("link"), body: await response.json() };
}

const blocksOf = (list) => list.items.map((op) => op.blocks.map((b) => b.block_id).join("+"));
const idOf = (block) => Number(sql(server.db, `SELECT operator_id FROM operator_blocks WHERE block_id = '${block}'`));

test("the secretariat and METI read all ten operators in block order, with their blocks", async () => {
  for (const who of ["secretariat", "meti"]) {
    const { status, body } = await get("/api/v1/operators", who);
    assert.equal(status, 200, who);
    assert.equal(body.total, 10, who);
    assert.deepEqual([body.page, body.per_page], [1, 50]);
    assert.deepEqual(blocksOf(body), ["hokkaido", "tohoku", "kanto", "tokai", "hokuriku", "kinki", "chugoku", "shikoku", "kyushu", "okinawa"]);
  }
  const hokuriku = await get(`/api/v1/operators/${idOf("hokuriku")}`, "secretariat");
  assert.equal(hokuriku.status, 200);
  assert.equal(hokuriku.body.name, sql(server.db, `SELECT name FROM operators WHERE id = ${idOf("hokuriku")}`));
  assert.equal(hokuriku.body.blocks.length, 1);
  assert.equal(hokuriku.body.blocks[0].name, "北陸");
  assert.equal(hokuriku.body.blocks[0].amount, Number(sql(server.db, `SELECT amount FROM operator_blocks WHERE block_id = 'hokuriku'`)));
  assert.match(hokuriku.body.contract_from, /^\d{4}-\d\d-\d\d$/);
  assert.equal(hokuriku.body.contacts, undefined, "no personal data of contacts in the API");
});

test("an operator's token reads only its own operator; another answers 404 as if it did not exist", async () => {
  const mine = await get("/api/v1/operators", "operator");
  assert.equal(mine.status, 200);
  assert.equal(mine.body.total, 1);
  assert.equal(mine.body.items[0].name, "株式会社みらい産学連携");
  assert.equal((await get(`/api/v1/operators/${mine.body.items[0].id}`, "operator")).status, 200);
  const other = await get(`/api/v1/operators/${idOf("hokkaido")}`, "operator");
  assert.equal(other.status, 404);
  assert.equal(other.body.error.code, "not_found");
  assert.deepEqual(await get("/api/v1/operators/999", "operator"), { status: 404, link: null, body: other.body }, "the same answer as for none");
});

test("a bureau's token reads the blocks of its bureau: 関東 its own, 中部 東海 and 北陸", async () => {
  const kanto = await get("/api/v1/operators", "bureau");
  assert.deepEqual(blocksOf(kanto.body), ["kanto"]);
  assert.equal((await get(`/api/v1/operators/${idOf("tokai")}`, "bureau")).status, 404);
  const chubu = await get("/api/v1/operators", "chubu");
  assert.deepEqual(blocksOf(chubu.body), ["tokai", "hokuriku"]);
  assert.equal((await get(`/api/v1/operators/${idOf("hokuriku")}`, "chubu")).status, 200);
  assert.equal((await get(`/api/v1/operators/${idOf("kanto")}`, "chubu")).status, 404);
});

test("a reviewer's token cannot read what a reviewer cannot", async () => {
  for (const path of ["/api/v1/operators", `/api/v1/operators/${idOf("kanto")}`]) {
    const { status, body } = await get(path, "reviewer");
    assert.equal(status, 403, path);
    assert.equal(body.error.code, "forbidden");
  }
});

test("the list pages with ?page=&per_page=, a Link header and 400 for values out of range", async () => {
  const page = await get("/api/v1/operators?per_page=3&page=2", "secretariat");
  assert.equal(page.status, 200);
  assert.deepEqual([page.body.page, page.body.per_page, page.body.total], [2, 3, 10]);
  assert.deepEqual(blocksOf(page.body), ["tokai", "hokuriku", "kinki"]);
  assert.equal(page.link,
    '</api/v1/operators?page=1&per_page=3>; rel="first", </api/v1/operators?page=1&per_page=3>; rel="prev", ' +
    '</api/v1/operators?page=3&per_page=3>; rel="next", </api/v1/operators?page=4&per_page=3>; rel="last"');
  const past = await get("/api/v1/operators?page=9", "secretariat");
  assert.deepEqual([past.status, past.body.items.length, past.body.total], [200, 0, 10]);
  const tooMany = await get("/api/v1/operators?per_page=201", "secretariat");
  assert.equal(tooMany.status, 400);
  assert.deepEqual(tooMany.body, { error: { code: "bad_request", message: "per_page は 1〜200 の整数で指定してください" } });
  const year = sql(server.db, "SELECT call_id FROM operators LIMIT 1");
  assert.equal((await get(`/api/v1/operators?call_id=${year}`, "secretariat")).body.total, 10);
  assert.equal((await get(`/api/v1/operators?call_id=${Number(year) + 100}`, "secretariat")).body.total, 0);
  assert.equal((await get("/api/v1/operators?call_id=x", "secretariat")).status, 400);
});
