// The race of issue 18: 300 registrations sent at once over HTTP for 150 seats. Exactly 150 are
// confirmed and 150 wait with positions 1–150, nobody twice, and the server still answers.
// The seat is decided inside one write transaction (BEGIN IMMEDIATE) with a unique
// (event, normalised e-mail) pair; the rate limit is off (--public-form-limit 0) and one address
// may hold all 300 connections (--max-connections-per-address 512).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { startServer, Browser, kakehashi, sql as sqlIn, japanLocal } from "./server.mjs";

// A GET on a new connection (fetch's pool may hand back a keep-alive socket the server has since
// closed as idle while the burst was being answered).
function getFresh(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode, text: body }));
    });
    req.on("error", reject);
    req.end();
  });
}

let server;
const sql = (query) => sqlIn(server.db, query);

before(async () => {
  server = await startServer({ extraArgs: ["--public-form-limit", "0", "--quiet", "--max-connections-per-address", "512"] });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

test("300 concurrent registrations for 150 seats: 150 confirmed, 150 waiting 1–150, no duplicate", async () => {
  const made = kakehashi(["user", "add", "--db", server.db, "--email", "s@example.jp", "--name", "事務 次郎", "--role", "secretariat"],
                         "race password 1234\n");
  assert.equal(made.status, 0, made.stderr);
  const token = kakehashi(["token", "create", "--db", server.db, "--email", "s@example.jp"]).stdout.trim();
  const created = await fetch(server.base + "/api/v1/events", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      kind: "final", title: "全国成果報告会", starts_at: japanLocal(40).slice(0, 16), ends_at: japanLocal(40.2).slice(0, 16),
      format: "in_person", prefecture: "13", venue: "東京国際フォーラム", address: "千代田区丸の内3-5-1", capacity: 150,
      registration_closes_at: japanLocal(30).slice(0, 16), published: true,
    }),
  });
  assert.equal(created.status, 201);
  const event = await created.json();
  const slug = new URL(event.public_url).pathname.split("/")[2];
  // One visitor's CSRF pair (double submit) serves every request, as a form reposted would.
  const visitor = new Browser(server.base);
  const page = await visitor.request(`/e/${slug}`);
  const csrfToken = visitor.csrfFrom(page.text_);
  const cookie = visitor.cookieHeader();
  const send = (i) =>
    fetch(`${server.base}/e/${slug}`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        csrf_token: csrfToken, name: `参加 ${i}`, organisation: `学校 ${i}`, kind: "school", school_type: "中学校", prefecture: "13",
        email: `race${i}@example.jp`, attendance: "in_person", consent: "1",
      }).toString(),
    }).then(async (r) => ({ status: r.status, location: r.headers.get("location"), text: await r.text() }));
  const started = Date.now();
  const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => send(i)));
  const seconds = (Date.now() - started) / 1000;
  const statuses = {};
  for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  assert.deepEqual(statuses, { 303: 300 }, JSON.stringify(answers.find((a) => a.status !== 303)?.text.slice(0, 500)));
  assert.equal(new Set(answers.map((a) => a.location)).size, 300, "300 distinct personal links");
  assert.equal(sql(`SELECT COUNT(*) FROM event_registrations WHERE event_id = ${event.id} AND status = 'confirmed'`), "150");
  assert.equal(sql(`SELECT COUNT(*) FROM event_registrations WHERE event_id = ${event.id} AND status = 'waiting'`), "150");
  assert.equal(sql(`SELECT COUNT(DISTINCT email_norm) FROM event_registrations WHERE event_id = ${event.id}`), "300");
  assert.equal(sql(`SELECT COUNT(DISTINCT receipt) FROM event_registrations WHERE event_id = ${event.id}`), "300");
  // Positions 1–150: the queue numbers of the waiting are distinct, and the last one is 150th.
  const queues = sql(`SELECT queue FROM event_registrations WHERE event_id = ${event.id} AND status = 'waiting' ORDER BY queue`)
    .split("\n").map(Number);
  assert.equal(new Set(queues).size, 150);
  const lastLink = answers.find((a) => a.location && a.location.startsWith(`/e/${slug}/r/`)
    && a.location.split("/").pop().split("-")[0] === sql(`SELECT id FROM event_registrations WHERE event_id = ${event.id} AND queue = ${queues[149]}`));
  const last = await getFresh(server.base + lastLink.location);
  assert.equal(last.status, 200);
  assert.match(last.text, /キャンセル待ちの 150 番目です。/);
  const firstWaiting = sql(`SELECT id FROM event_registrations WHERE event_id = ${event.id} AND queue = ${queues[0]}`);
  const firstLink = answers.find((a) => a.location.split("/").pop().split("-")[0] === firstWaiting);
  assert.match((await getFresh(server.base + firstLink.location)).text, /キャンセル待ちの 1 番目です。/);
  // Still answering, and the API agrees.
  const read = await getFresh(`${server.base}/api/v1/events/${event.id}`, { authorization: `Bearer ${token}` });
  assert.equal(read.status, 200);
  const counts = JSON.parse(read.text);
  assert.equal(counts.confirmed, 150);
  assert.equal(counts.waiting, 150);
  assert.equal(counts.registered, 300);
  console.log(`300 registrations in ${seconds.toFixed(1)} s`);
});
