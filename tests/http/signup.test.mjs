// Sign-up by e-mail and password reset (issue 13, items 4 and 5), against a real server whose
// mail goes to .eml files (the file backend), read back with Python's email package. Nobody
// learns from the answers whether an address has an account: only the mail says it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, Browser, kakehashi, readMails, waitForMails, linkIn, signUpByMail, sql as sqlIn } from "./server.mjs";

const SMTP_SERVER = join(dirname(fileURLToPath(import.meta.url)), "..", "support", "smtp_server.py");

const PASSWORD = "signup password 1234";
const REVIEWER = { email: "reviewer@example.jp", name: "審査 一郎", roles: ["reviewer"], org: "外部審査委員会", password: PASSWORD };
const STAFF = { email: "staff@example.jp", name: "事務 次郎", roles: ["secretariat"], org: "架け橋事務局", password: PASSWORD };

let server;

const sql = (query) => sqlIn(server.db, query);

// The page without what differs by nature: the CSRF token and the address typed.
function normalised(html, email) {
  return html.replace(/name="csrf_token" value="[^"]+"/g, "CSRF").replace(/data-csrf-token="[^"]+"/g, "CSRF").replaceAll(email, "EMAIL");
}

async function postSignup(browser, fields) {
  const form = await browser.request("/signup");
  return browser.request("/signup", { method: "POST", form: { csrf_token: browser.csrfFrom(form.text_), next: "/", ...fields } });
}

async function postForgot(browser, email) {
  const form = await browser.request("/password/forgot");
  return browser.request("/password/forgot", { method: "POST", form: { csrf_token: browser.csrfFrom(form.text_), email } });
}

before(async () => {
  server = await startServer({ users: [REVIEWER, STAFF] });
});
after(async () => {
  const code = await server?.stop();
  assert.equal(code, 0, "the server stopped cleanly");
});

test("sign-up answers the same for a new address and one with an account; the mails say the rest", async () => {
  const fresh = await postSignup(new Browser(server.base), {
    organisation: "株式会社みらい産学連携", name: "実証 五郎", email: "goro@mirai.example", password: PASSWORD,
  });
  // A reviewer's address: whoever types it must not learn that it has an account.
  const taken = await postSignup(new Browser(server.base), {
    organisation: "株式会社なりすまし", name: "偽 名", email: REVIEWER.email, password: PASSWORD,
  });
  assert.equal(fresh.status, 200);
  assert.equal(taken.status, fresh.status);
  assert.match(fresh.text_, /確認メールを送信しました/);
  assert.match(fresh.text_, /<strong>goro@mirai\.example<\/strong> あてに、登録を完了するためのリンクを記載したメールを送信しました。/);
  assert.equal(normalised(taken.text_, REVIEWER.email), normalised(fresh.text_, "goro@mirai.example"));
  assert.equal(sql("SELECT COUNT(*) FROM users WHERE email = 'goro@mirai.example'"), "0", "no account before the link is used");

  const [confirmation] = await waitForMails(server.mailDir, { to: "goro@mirai.example" });
  assert.equal(confirmation.subject, "【架け橋】メールアドレスの確認（事業者アカウントの登録）");
  assert.equal(confirmation.from_name, "架け橋 Kakehashi");
  assert.match(confirmation.body, /^実証 五郎 様\n/);
  assert.match(confirmation.body, /このリンクの有効期限は \d{4}年\d{1,2}月\d{1,2}日（.）\d{2}:\d{2}（24 時間）です。/);
  assert.match(confirmation.body, /団体名: 株式会社みらい産学連携\nメールアドレス: goro@mirai\.example\n/);
  assert.match(linkIn(confirmation, server.base, "/signup/confirm?token="), /token=[A-Za-z0-9_-]{43}$/);

  const [notice] = await waitForMails(server.mailDir, { to: REVIEWER.email });
  assert.equal(notice.subject, "【架け橋】事業者アカウントの登録について");
  assert.match(notice.body, /^審査 一郎 様\n/, "named as the account's holder, not as typed");
  assert.match(notice.body, /このメールアドレスのアカウントはすでにあるため、新しいアカウントは作成していません。/);
  assert.ok(notice.body.includes(`${server.base}/login\n`));
  assert.ok(notice.body.includes(`${server.base}/password/forgot\n`));
  assert.doesNotMatch(notice.body, /signup\/confirm|偽 名|なりすまし/);
});

test("the link opens a confirmation page; only its button creates the account, audited, and signs in", async () => {
  const [mail] = await waitForMails(server.mailDir, { to: "goro@mirai.example" });
  const link = linkIn(mail, server.base, "/signup/confirm?token=");
  // Another browser, as when the mail is read elsewhere; opening the link (a mail scanner
  // prefetching it) creates nothing.
  const browser = new Browser(server.base);
  const page = await browser.request(link.slice(server.base.length));
  assert.equal(page.status, 200);
  assert.match(page.text_, /value="株式会社みらい産学連携"/);
  assert.match(page.text_, /<dd>goro@mirai\.example<\/dd>/);
  assert.match(page.text_, /アカウントを作成する/);
  await browser.request(link.slice(server.base.length));
  assert.equal(sql("SELECT COUNT(*) FROM users WHERE email = 'goro@mirai.example'"), "0");

  const token = /name="token" value="([^"]+)"/.exec(page.text_)[1];
  const created = await browser.request("/signup/confirm", {
    method: "POST", form: { csrf_token: browser.csrfFrom(page.text_), token, organisation: "株式会社みらい産学連携" },
  });
  assert.equal(created.status, 303, created.text_.slice(0, 500));
  assert.equal(created.headers.get("location"), "/my/applications");
  const home = await browser.request("/my/applications");
  assert.equal(home.status, 200, "signed in");
  assert.match(home.text_, /実証 五郎/);
  assert.match(home.text_, /事業者アカウントを作成しました。公募情報から申請書の作成を始められます。/);
  assert.equal(sql("SELECT o.kind || ',' || r.role FROM users u JOIN organisations o ON o.id = u.organisation_id JOIN user_roles r ON r.user_id = u.id WHERE u.email = 'goro@mirai.example'"), "operator,operator");
  const user = sql("SELECT id FROM users WHERE email = 'goro@mirai.example'");
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'user.signup' AND actor = 'user:${user}'`), "1");
  assert.equal(sql("SELECT COUNT(*) FROM pending_signups"), "0");
  // No password and no token in clear anywhere in the database.
  assert.equal(sql(`SELECT COUNT(*) FROM users WHERE password_hash LIKE '$argon2id$%' AND id = ${user}`), "1");
});

test("a used, expired or made-up link is refused", async () => {
  const [mail] = await waitForMails(server.mailDir, { to: "goro@mirai.example" });
  const used = linkIn(mail, server.base, "/signup/confirm?token=").slice(server.base.length);
  const browser = new Browser(server.base);
  for (const path of [used, "/signup/confirm?token=made-up", "/signup/confirm"]) {
    const page = await browser.request(path);
    assert.equal(page.status, 404, path);
    assert.match(page.text_, /確認リンクが正しくないか、有効期限（24 時間）が切れているか、すでに使われています。/);
  }
  // A used token posted directly creates nothing either.
  const form = await browser.request("/signup");
  const token = new URL(server.base + used).searchParams.get("token");
  const reused = await browser.request("/signup/confirm", {
    method: "POST", form: { csrf_token: browser.csrfFrom(form.text_), token, organisation: "別名" },
  });
  assert.equal(reused.status, 404);

  // Expired: 24 hours pass (the pending row's expiry moves to the past).
  const sent = await postSignup(new Browser(server.base), {
    organisation: "一般社団法人まなびブリッジ", name: "学び 花", email: "hana@manabi.example", password: PASSWORD,
  });
  assert.equal(sent.status, 200);
  const [late] = await waitForMails(server.mailDir, { to: "hana@manabi.example" });
  sql(`UPDATE pending_signups SET expires_at = ${Math.floor(Date.now() / 1000) - 1}`);
  const expired = await browser.request(linkIn(late, server.base, "/signup/confirm?token=").slice(server.base.length));
  assert.equal(expired.status, 404);
  assert.equal(sql("SELECT COUNT(*) FROM users WHERE email = 'hana@manabi.example'"), "0");
});

test("an organisation name already registered is refused on the confirmation page and can be corrected", async () => {
  const browser = new Browser(server.base);
  const sent = await postSignup(browser, {
    organisation: "株式会社みらい産学連携", name: "別の 担当", email: "other@mirai.example", password: PASSWORD,
  });
  assert.equal(sent.status, 200);
  const [mail] = await waitForMails(server.mailDir, { to: "other@mirai.example" });
  const page = await browser.request(linkIn(mail, server.base, "/signup/confirm?token=").slice(server.base.length));
  const token = /name="token" value="([^"]+)"/.exec(page.text_)[1];
  const refused = await browser.request("/signup/confirm", {
    method: "POST", form: { csrf_token: browser.csrfFrom(page.text_), token, organisation: "株式会社みらい産学連携" },
  });
  assert.equal(refused.status, 422);
  assert.match(refused.text_, /この団体名はすでに登録されています。同じ団体の担当者としての登録は、事務局にお問い合わせください。/);
  assert.match(refused.text_, /id="organisation"[^>]*aria-invalid="true" aria-describedby="organisation-hint organisation-error"|aria-describedby="organisation-hint organisation-error" aria-invalid="true"/);
  assert.match(refused.text_, /<a href="#organisation">/, "the error summary links to the field");
  assert.equal(sql("SELECT COUNT(*) FROM users WHERE email = 'other@mirai.example'"), "0");
  const corrected = await browser.request("/signup/confirm", {
    method: "POST", form: { csrf_token: browser.csrfFrom(refused.text_), token, organisation: "株式会社みらい産学連携 東北支社" },
  });
  assert.equal(corrected.status, 303, corrected.text_.slice(0, 500));
});

test("the form lists every problem at once, each at its field, and keeps what was typed", async () => {
  const page = await postSignup(new Browser(server.base), { organisation: "", name: "", email: "山田@例え.jp", password: "short" });
  assert.equal(page.status, 422);
  for (const [field, message] of [
    ["organisation", "団体名を入力してください"],
    ["name", "担当者氏名を入力してください"],
    ["email", "メールアドレスの形式が正しくありません（半角英数字の例: tanaka@example.jp）"],
    ["password", "パスワードは 12 文字以上にしてください"],
  ]) {
    assert.ok(page.text_.includes(`<li><a href="#${field}">${message}</a></li>`), field);
    assert.ok(page.text_.includes(`<p class="form-field__error" id="${field}-error">${message}</p>`), field);
  }
  assert.match(page.text_, /value="山田@例え\.jp"/);
  assert.doesNotMatch(page.text_, /value="short"/, "the password is never sent back");
});

test("password reset: the same answer for any address, a one-time link for an active user, every session ended, the change told by mail [IPA-6-(ii)]", async () => {
  const signedIn = new Browser(server.base);
  assert.equal((await signedIn.login(STAFF.email, PASSWORD)).status, 303);
  assert.equal((await signedIn.request("/")).status, 200);

  const login = await new Browser(server.base).request("/login");
  assert.match(login.text_, /<a href="\/password\/forgot">パスワードをお忘れの方<\/a>/);
  const known = await postForgot(new Browser(server.base), STAFF.email);
  const unknown = await postForgot(new Browser(server.base), "nobody@example.jp");
  assert.equal(known.status, 200);
  assert.equal(unknown.status, 200);
  assert.match(known.text_, /再設定のメールを送信しました/);
  assert.equal(normalised(unknown.text_, "nobody@example.jp"), normalised(known.text_, STAFF.email));

  const [mail] = await waitForMails(server.mailDir, { to: STAFF.email, subject: /パスワード再設定/ });
  assert.equal(mail.subject, "【架け橋】パスワード再設定のご案内");
  assert.match(mail.body, /^事務 次郎 様\n/);
  assert.match(mail.body, /このリンクの有効期限は .+（1 時間）で、一度だけ使えます。/);
  await new Promise((resolve) => setTimeout(resolve, 2500));  // more than two delivery rounds
  assert.deepEqual(readMails(server.mailDir).filter((m) => m.to.includes("nobody@example.jp")), [], "no mail to an unknown address");

  const browser = new Browser(server.base);
  const path = linkIn(mail, server.base, "/password/reset?token=").slice(server.base.length);
  const form = await browser.request(path);
  assert.equal(form.status, 200);
  assert.match(form.text_, /事務 次郎 様、新しいパスワードを入力してください。/);
  const token = /name="token" value="([^"]+)"/.exec(form.text_)[1];
  const mismatch = await browser.request("/password/reset", {
    method: "POST", form: { csrf_token: browser.csrfFrom(form.text_), token, password: "a new passphrase 99", password_confirm: "a new passphrase 98" },
  });
  assert.equal(mismatch.status, 422);
  assert.match(mismatch.text_, /確認のため、同じパスワードをもう一度入力してください/);
  const done = await browser.request("/password/reset", {
    method: "POST", form: { csrf_token: browser.csrfFrom(mismatch.text_), token, password: "a new passphrase 99", password_confirm: "a new passphrase 99" },
  });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get("location"), "/login");
  const next = await browser.request("/login");
  assert.match(next.text_, /パスワードを再設定しました。新しいパスワードでログインしてください。/);

  // The session signed in before the reset has ended; the old password no longer works.
  const after = await signedIn.request("/");
  assert.equal(after.status, 303);
  assert.match(after.headers.get("location"), /^\/login/);
  assert.equal((await new Browser(server.base).login(STAFF.email, PASSWORD)).status, 401);
  assert.equal((await new Browser(server.base).login(STAFF.email, "a new passphrase 99")).status, 303);
  const user = sql(`SELECT id FROM users WHERE email = '${STAFF.email}'`);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'auth.password_reset' AND actor = 'user:${user}'`), "1");
  // The change is told to the registered address (IPA 6-(ii)).
  const [changed] = await waitForMails(server.mailDir, { to: STAFF.email, subject: /パスワードが変更されました/ });
  assert.match(changed.body, /^事務 次郎 様\n\n架け橋 Kakehashi のパスワードが \d{4}年.+に再設定されました。/);

  // The link works once.
  const again = await browser.request(path);
  assert.equal(again.status, 404);
  assert.match(again.text_, /再設定リンクが正しくないか、有効期限（1 時間）が切れているか、すでに使われています。/);
});

test("rate limits answer 429 in Japanese: per mailbox, per client address, for sign-up and reset apart", async () => {
  // A server of its own: the counts start at zero.
  const limited = await startServer();
  try {
    const attempt = async (email) => {
      const browser = new Browser(limited.base);
      const form = await browser.request("/signup");
      return browser.request("/signup", {
        method: "POST",
        form: { csrf_token: browser.csrfFrom(form.text_), organisation: "株式会社連打", name: "連打 太郎", email, password: PASSWORD, next: "/" },
      });
    };
    for (let i = 0; i < 3; i++) assert.equal((await attempt("same@example.jp")).status, 200);
    const mailbox = await attempt("same@example.jp");
    assert.equal(mailbox.status, 429);
    assert.match(mailbox.text_, /このメールアドレスへの確認メールの送信が多すぎます。24 時間ほど待ってから、もう一度お試しください。/);
    assert.match(mailbox.text_, /value="株式会社連打"/, "what was typed is kept");
    for (const email of ["a@example.jp", "b@example.jp"]) assert.equal((await attempt(email)).status, 200);
    const address = await attempt("c@example.jp");
    assert.equal(address.status, 429);
    assert.match(address.text_, /この接続元からの登録の申し込みが多すぎます。1 時間ほど待ってから、もう一度お試しください。/);
    await waitForMails(limited.mailDir, { to: "same@example.jp", count: 3 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(readMails(limited.mailDir).filter((m) => m.to.includes("same@example.jp")).length, 3, "a refused request sends nothing");

    // Password reset has limits of its own.
    const forgot = async (email) => {
      const browser = new Browser(limited.base);
      const form = await browser.request("/password/forgot");
      return browser.request("/password/forgot", { method: "POST", form: { csrf_token: browser.csrfFrom(form.text_), email } });
    };
    for (let i = 0; i < 3; i++) assert.equal((await forgot("same@example.jp")).status, 200);
    const reset = await forgot("same@example.jp");
    assert.equal(reset.status, 429);
    assert.match(reset.text_, /このメールアドレスへの再設定メールの送信が多すぎます。24 時間ほど待ってから、もう一度お試しください。/);
  } finally {
    assert.equal(await limited.stop(), 0);
  }
});

test("an operator who signs up through the mail can apply: the whole way in one helper", async () => {
  const browser = new Browser(server.base);
  const confirmed = await signUpByMail(server, browser, {
    org: "特定非営利活動法人地域共創ラボ", name: "共創 太郎", email: "taro@kyoso.example", password: PASSWORD, next: "/calls",
  });
  assert.equal(confirmed.status, 303);
  assert.equal(confirmed.headers.get("location"), "/calls");
  assert.equal((await browser.request("/my/applications")).status, 200);
});

// The same server sending through SMTP: Debian's aiosmtpd on loopback receives the reset mail,
// with links on the configured public URL.
test("serve --mail-smtp delivers through a real SMTP server, links on --public-url", async () => {
  const received = mkdtempSync(join(tmpdir(), "kakehashi-smtp-"));
  const smtp = spawn("/usr/bin/python3", [SMTP_SERVER, "--dir", received], { stdio: ["pipe", "pipe", "ignore"] });
  try {
    const port = await new Promise((resolve, reject) => {
      let out = "";
      smtp.stdout.on("data", (chunk) => {
        out += chunk;
        const match = /PORT (\d+)/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      smtp.on("exit", (code) => reject(new Error(`smtp_server.py exited with ${code}`)));
    });
    const mailing = await startServer({
      users: [STAFF],
      extraArgs: ["--mail-smtp", `127.0.0.1:${port}`, "--mail-from", "noreply@kakehashi.example.jp", "--public-url", "https://kakehashi.example.jp/"],
    });
    try {
      assert.match(mailing.log(), new RegExp(`メールは SMTP 127\\.0\\.0\\.1:${port}（暗号化なし）で送ります`));
      const browser = new Browser(mailing.base);
      const form = await browser.request("/password/forgot");
      const sent = await browser.request("/password/forgot", { method: "POST", form: { csrf_token: browser.csrfFrom(form.text_), email: STAFF.email } });
      assert.equal(sent.status, 200);
      const [mail] = await waitForMails(received, { to: STAFF.email });
      assert.equal(mail.subject, "【架け橋】パスワード再設定のご案内");
      assert.equal(mail.from_address, "noreply@kakehashi.example.jp");
      assert.match(linkIn(mail, "https://kakehashi.example.jp", "/password/reset?token="), /token=[A-Za-z0-9_-]{43}$/);
      const envelope = JSON.parse(readFileSync(mail.file.replace(/\.eml$/, ".json"), "utf8"));
      assert.equal(envelope.mail_from, "noreply@kakehashi.example.jp");
      assert.deepEqual(envelope.rcpt_tos, [STAFF.email]);
      assert.equal(readMails(mailing.mailDir).length, 0, "nothing in the file backend");
    } finally {
      assert.equal(await mailing.stop(), 0);
    }
  } finally {
    smtp.stdin.end();
    rmSync(received, { recursive: true, force: true });
  }
});

test("serve refuses mail options that do not fit together", () => {
  for (const [args, message] of [
    [["--mail-smtp", "mail.example.jp:587"], "--mail-smtp で送るときは --mail-from で送信元アドレスを指定してください"],
    [["--mail-smtp", "mail.example.jp", "--mail-from", "noreply@example.jp"], "SMTP サーバーは ホスト名:ポート の形で指定してください"],
    [["--mail-starttls"], "--mail-starttls、--mail-user、--mail-password-file、--mail-ca-file は --mail-smtp と一緒に指定してください"],
    [["--mail-from", "noreply@example.jp\r\nBcc: x@example.jp"], "送信元のメールアドレスが正しくありません"],
    [["--public-url", "javascript:alert(1)"], "--public-url は http:// か https:// で始まる URL で指定してください"],
  ]) {
    const dir = mkdtempSync(join(tmpdir(), "kakehashi-serve-"));
    const run = kakehashi(["serve", "--db", join(dir, "k.db"), "--listen", "127.0.0.1:0", ...args]);
    rmSync(dir, { recursive: true, force: true });
    assert.equal(run.status, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.ok(run.stderr.includes(message), run.stderr);
  }
});
