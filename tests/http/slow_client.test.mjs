// A slow client (headers trickled in, or a connection left open) is cut off by the header
// timeout, so it cannot hold a worker. The server runs with a 1 s timeout for this test.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { startServer } from "./server.mjs";

let server;
before(async () => {
  server = await startServer({ extraArgs: ["--header-timeout", "1", "--body-timeout", "1"] });
});
after(async () => {
  await server.stop();
});

// Resolves with the milliseconds until the server closed the connection (or rejects after 10 s).
function timeUntilClosed(onConnect) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(server.port, "127.0.0.1", () => onConnect(socket));
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error("the server kept the slow connection open for 10 s"));
    }, 10000);
    socket.on("data", () => {});
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(guard);
      resolve(Date.now() - started);
    });
  });
}

test("a client that trickles its headers is disconnected", async () => {
  let timer;
  const took = await timeUntilClosed((socket) => {
    socket.write("GET / HTTP/1.1\r\n");
    timer = setInterval(() => socket.writable && socket.write("X-Slow: 1\r\n"), 300);
  });
  clearInterval(timer);
  assert.ok(took < 5000, `closed after ${took} ms`);
});

test("a client that stops sending its body is disconnected", async () => {
  const took = await timeUntilClosed((socket) => {
    socket.write("POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nemail=");
  });
  assert.ok(took < 5000, `closed after ${took} ms`);
});

test("an idle keep-alive connection is closed and the server still answers", async () => {
  const took = await timeUntilClosed(() => {});
  assert.ok(took < 5000, `closed after ${took} ms`);
  assert.equal((await fetch(server.base + "/healthz")).status, 200);
});
