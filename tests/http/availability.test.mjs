// Availability under heavy uploads (issue 13 item 4, issue 14 item 2): eight 95 MiB CSV uploads
// to the inspection tool at once. The server inspects at most two at a time and one per user;
// the rest are refused with 503, Retry-After and a message, while /healthz and the login page
// are answered during the inspections; afterwards everything works as before. Ordering, not
// timing: each step waits for an event (a response, a log line), never for a delay.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { startServer, Browser } from "./server.mjs";

const users = ["a", "b", "c"].map((name) => ({
  email: `${name}@example.jp`,
  name: `検査担当${name}`,
  password: `password of ${name} 123`,
  roles: ["secretariat"],
}));
const BUSY = "ただいま処理が混み合っています。30 秒ほど待ってから、もう一度お試しください。";

let server;
before(async () => {
  server = await startServer({
    users,
    extraArgs: ["--inspections", "2", "--inspections-per-user", "1", "--body-timeout", "120"],
  });
});
after(async () => {
  await server?.stop();
});

// A CSV of about 95 MiB: survey rows without personal data (the inspector reads every cell).
function largeCsv() {
  let block = "";
  for (let row = 0; block.length < 1 << 20; ++row) {
    block += `${row},参加者${row % 997},学校${row % 89},授業の感想と改善点の記録 ${(row * 7) % 100000}\r\n`;
  }
  const unit = Buffer.from(block, "utf8");
  const count = Math.ceil((95 * 1024 * 1024) / unit.length);
  return Buffer.concat([Buffer.from("番号,氏名,所属,備考\r\n", "utf8"), ...Array(count).fill(unit)]);
}

async function signIn(user) {
  const browser = new Browser(server.base);
  const login = await browser.login(user.email, user.password);
  assert.equal(login.status, 303);
  const me = JSON.parse((await browser.request("/api/v1/me")).text_);
  const page = await browser.request("/tools/inspect");
  return { browser, id: me.id, csrf: browser.csrfFrom(page.text_) };
}

// Sends everything of a multipart upload but its last line; finish() sends that, so the test
// decides when the server may start on it.
function startUpload(session, csv, name) {
  const boundary = "----kakehashi-test-" + name;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}.csv"\r\n` +
      "Content-Type: text/csv\r\n\r\n",
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const request = http.request({
    host: "127.0.0.1",
    port: server.port,
    method: "POST",
    path: "/tools/inspect",
    agent: false,
    headers: {
      "content-type": `multipart/form-data; boundary=${boundary}`,
      "content-length": head.length + csv.length + tail.length,
      cookie: session.browser.cookieHeader(),
      "x-csrf-token": session.csrf,
    },
  });
  const upload = { settled: false, finish: () => request.end(tail) };
  upload.response = new Promise((resolve, reject) => {
    request.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => {
        upload.settled = true;
        resolve({ status: response.statusCode, headers: response.headers, body });
      });
    });
    request.on("error", reject);
  });
  request.write(head);
  request.write(csv);
  return upload;
}

const admitted = (userId) => (line) =>
  line.event === "work.admitted" && line.kind === "inspection" && line.user_id === userId;

test("eight large uploads: two inspected, six refused with 503, pages answered meanwhile", async () => {
  const [a, b, c] = [await signIn(users[0]), await signIn(users[1]), await signIn(users[2])];
  const csv = largeCsv();
  assert.ok(csv.length > 95 * 1024 * 1024);
  const uploads = {
    a: [0, 1, 2].map((i) => startUpload(a, csv, `a${i}`)),
    b: [0, 1, 2].map((i) => startUpload(b, csv, `b${i}`)),
    c: [0, 1].map((i) => startUpload(c, csv, `c${i}`)),
  };

  // The first upload of a, then the first of b, are inspected: both slots are taken.
  // The server reads eight 95 MiB bodies at once before it admits the first: seconds in the
  // release build, over 90 s in the ASan (Debug) build on a loaded machine, so the guard that
  // turns a hang into a failure is set below the ctest TIMEOUT (400 s) instead of at 90 s.
  uploads.a[0].finish();
  await server.waitForLog(admitted(a.id), { guardMs: 330000 });
  uploads.b[0].finish();
  await server.waitForLog(admitted(b.id), { guardMs: 330000 });

  // While both inspections run (and six more uploads wait on their last line), the health
  // check and the login page are answered.
  const health = await fetch(server.base + "/healthz");
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: "ok" });
  const loginPage = await fetch(server.base + "/login");
  assert.equal(loginPage.status, 200);
  assert.match(await loginPage.text(), /ログイン/);
  assert.equal(uploads.a[0].settled, false, "a's inspection was still running when /healthz answered");
  assert.equal(uploads.b[0].settled, false, "b's inspection was still running when /healthz answered");

  // The six others: a and b already have their one inspection, c finds both slots taken.
  const rest = [...uploads.a.slice(1), ...uploads.b.slice(1), ...uploads.c];
  for (const upload of rest) upload.finish();
  for (const upload of rest) {
    const answer = await upload.response;
    assert.equal(answer.status, 503);
    assert.equal(answer.headers["retry-after"], "30");
    assert.ok(answer.body.includes(BUSY), answer.body.slice(0, 500));
  }
  const refusals = await server.waitForLog((line) => line.event === "work.refused", { count: 6 });
  const limitOf = (id) => refusals.filter((line) => line.user_id === id).map((line) => line.limit);
  assert.deepEqual(limitOf(a.id), ["client", "client"]);
  assert.deepEqual(limitOf(b.id), ["client", "client"]);
  assert.deepEqual(limitOf(c.id), ["overall", "overall"]);

  // The two admitted uploads get their reports (whatever the verdict: under a heavily loaded
  // machine an inspection may reach its time limit, which is a report too).
  for (const [upload, name] of [[uploads.a[0], "a0"], [uploads.b[0], "b0"]]) {
    const answer = await upload.response;
    assert.equal(answer.status, 200);
    assert.ok(answer.body.includes(`「${name}.csv」の結果`), answer.body.slice(0, 500));
    assert.ok(answer.body.includes(`${csv.length} バイト`));
  }

  // Afterwards the server serves as before, and the slots are free again.
  assert.equal((await fetch(server.base + "/healthz")).status, 200);
  const small = Buffer.from("番号,備考\r\n1,感想\r\n", "utf8");
  const again = startUpload(c, small, "c-small");
  again.finish();
  const answer = await again.response;
  assert.equal(answer.status, 200);
  assert.match(answer.body, /エラーはありません/);
});
