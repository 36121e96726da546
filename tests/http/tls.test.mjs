// `serve` with TLS from PEM files: HTTPS works, the cookies get Secure and the __Host- prefix,
// HSTS is sent; a non-loopback address without TLS is refused.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import https from "node:https";
import { execFileSync, spawnSync } from "node:child_process";
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

test("a TLS connection ends with the server's close_notify, not a bare TCP close", () => {
  // Python's ssl module tells the two apart: recv() returns b"" after close_notify and raises
  // SSLEOFError on a truncated stream (suppress_ragged_eofs=False).
  const script = `
import socket, ssl, sys
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
stream = context.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1]))), suppress_ragged_eofs=False)
stream.sendall(b"GET /healthz HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n\\r\\n")
data = b""
try:
    while True:
        chunk = stream.recv(65536)
        if not chunk:
            break
        data += chunk
except ssl.SSLEOFError:
    print("truncated")
    sys.exit(1)
print(data.split(b"\\r\\n")[0].decode())
`;
  const run = spawnSync("python3", ["-c", script, String(server.port)], { encoding: "utf8" });
  assert.equal(run.stdout.trim(), "HTTP/1.1 200 OK", run.stderr);
  assert.equal(run.status, 0);
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
