// `serve` with TLS from PEM files: HTTPS works, the cookies get Secure and the __Host- prefix,
// HSTS is sent; a non-loopback address without TLS is refused.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import https from "node:https";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, kakehashi } from "./server.mjs";

let server, certDir;
before(async () => {
  certDir = mkdtempSync(join(tmpdir(), "kakehashi-tls-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
    "-keyout", join(certDir, "key.pem"), "-out", join(certDir, "cert.pem")], { stdio: "ignore" });
  server = await startServer({
    extraArgs: ["--tls-cert", join(certDir, "cert.pem"), "--tls-key", join(certDir, "key.pem")],
    startedPattern: /https:\/\/127\.0\.0\.1:(\d+)\//,
  });
});
after(async () => {
  await server?.stop();
  rmSync(certDir, { recursive: true, force: true });
});

function get(path) {
  return new Promise((resolve, reject) => {
    const request = https.get({ host: "127.0.0.1", port: server.port, path, rejectUnauthorized: false }, (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode, headers: response.headers, body }));
    });
    request.on("error", reject);
  });
}

test("HTTPS login page sets a __Host- Secure cookie and HSTS", async () => {
  const page = await get("/login");
  assert.equal(page.status, 200);
  const cookie = page.headers["set-cookie"].join("\n");
  // The visitor's double-submit CSRF cookie (no session before login), bound to this origin.
  assert.match(cookie, /^__Host-kakehashi_csrf=[A-Za-z0-9_-]{43}; Path=\/; Secure; HttpOnly; SameSite=Strict$/m);
  assert.equal(page.headers["strict-transport-security"], "max-age=63072000; includeSubDomains");
});

test("a non-loopback address without TLS is refused, with the reason", () => {
  const refused = kakehashi(["serve", "--db", join(certDir, "x.db"), "--listen", "0.0.0.0:0"]);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /TLS なしではループバック以外のアドレスで待ち受けできません/);
  assert.equal(refused.stderr.trim().split("\n").length, 1, "one line");
});

test("a malformed --listen is refused", () => {
  const refused = kakehashi(["serve", "--db", join(certDir, "x.db"), "--listen", "nonsense"]);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /--listen はアドレス:ポートの形式で指定してください/);
});

test("a malformed --trusted-proxy is refused", () => {
  const refused = kakehashi(["serve", "--db", join(certDir, "x.db"), "--trusted-proxy", "proxy.example"]);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /--trusted-proxy にはアドレスかネットワーク（例: 10\.0\.0\.0\/8）を指定してください: proxy\.example/);
});
