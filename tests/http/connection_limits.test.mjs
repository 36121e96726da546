// Connection caps and the body deadline (issue 13 item 4): slow clients cannot hold more than
// their share of connections, nor hold a connection past the deadline for the whole body.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { startServer } from "./server.mjs";

let capped, deadline;
before(async () => {
  // At most 5 connections, 3 from one address; idle clients are not cut off during the test.
  capped = await startServer({
    extraArgs: ["--max-connections", "5", "--max-connections-per-address", "3", "--header-timeout", "60"],
  });
  // The whole body within 2 s, while a single chunk may take a minute.
  deadline = await startServer({
    extraArgs: ["--body-deadline", "2", "--body-timeout", "60", "--header-timeout", "60"],
  });
});
after(async () => {
  await capped?.stop();
  await deadline?.stop();
});

// A raw connection from `localAddress` (any 127.x address reaches the loopback listener).
// Resolves once connected; `closed` resolves with everything the server sent.
function connect(server, localAddress) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port: server.port, host: "127.0.0.1", localAddress }, () => resolve(client));
    const client = { socket, received: "" };
    client.closed = new Promise((done) => {
      socket.on("data", (chunk) => (client.received += chunk.toString("utf8")));
      socket.on("close", () => done(client.received));
    });
    socket.on("error", (error) => {
      if (!socket.connecting) return; // a reset after connecting is seen as "close"
      reject(error);
    });
  });
}

function assertRefused(text) {
  assert.match(text, /^HTTP\/1\.1 503 Service Unavailable\r\n/);
  assert.match(text, /\r\nRetry-After: 5\r\n/i);
  assert.match(text, /接続が集中しています。5 秒ほど待ってから、もう一度お試しください。/);
}

test("connections are capped per address and overall; a refused client is told so", async () => {
  // Eight slow clients that send nothing: three from .1, three from .2, one more from each of .1 and .3.
  const a = [await connect(capped, "127.0.0.1"), await connect(capped, "127.0.0.1"), await connect(capped, "127.0.0.1")];
  const aFourth = await connect(capped, "127.0.0.1");
  assertRefused(await aFourth.closed); // the address's cap of 3
  const b = [await connect(capped, "127.0.0.2"), await connect(capped, "127.0.0.2")];
  const c = await connect(capped, "127.0.0.3");
  assertRefused(await c.closed); // 5 open: the overall cap, though .3 has none
  const bThird = await connect(capped, "127.0.0.2");
  assertRefused(await bThird.closed);

  // The accepted connections are served.
  a[0].socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  const answer = await a[0].closed;
  assert.match(answer, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(answer, /\{"status":"ok"\}$/);

  // A connection that ended frees its place: a new client from .3 is served (a bounded number of
  // tries, since the server counts the close a moment after the client sees it).
  let served = false;
  for (let attempt = 0; attempt < 200 && !served; ++attempt) {
    const client = await connect(capped, "127.0.0.3");
    client.socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    served = /^HTTP\/1\.1 200 OK\r\n/.test(await client.closed);
  }
  assert.ok(served, "a freed place was never given to a new client");
  for (const client of [...a.slice(1), ...b]) client.socket.destroy();
});

test("a body trickled slower than the deadline is cut off, and the server still answers", async () => {
  // Eight clients each promise 100,000 bytes and send one a tenth of a second: within the chunk
  // timeout (60 s) forever, but never within the body deadline (2 s).
  const clients = [];
  for (let i = 0; i < 8; ++i) clients.push(await connect(deadline, "127.0.0.1"));
  const trickles = clients.map((client) => {
    client.socket.write(
      "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
        "Content-Length: 100000\r\n\r\nemail=",
    );
    return setInterval(() => client.socket.writable && client.socket.write("a"), 100);
  });
  // Guard: without the deadline nothing would close these for a minute.
  let guard;
  const timedOut = new Promise((_, reject) => {
    guard = setTimeout(() => reject(new Error("slow bodies were still open after 30 s")), 30000);
  });
  try {
    await Promise.race([Promise.all(clients.map((client) => client.closed)), timedOut]);
  } finally {
    clearTimeout(guard);
    trickles.forEach(clearInterval);
  }
  for (const client of clients) assert.equal(client.received, "", "no answer, the connection is just closed");
  assert.equal((await fetch(deadline.base + "/healthz")).status, 200);
});
