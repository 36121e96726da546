// The SMTP backend against a real SMTP server: Debian's aiosmtpd on 127.0.0.1
// (tests/support/smtp_server.py), in plain text, with AUTH, with STARTTLS; and against sockets
// that refuse or never answer, for the errors and the timeouts.
#include "mail/smtp.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>

#include "support/mail_server.h"
#include "support/result.h"
#include "support/temp_dir.h"

using ::kakehashi::testing::ExpectError;
using ::kakehashi::testing::ExpectErrorCode;

namespace kakehashi::mail {
namespace {

using namespace std::chrono;
using testing::SmtpServer;
const sys_seconds kAt = sys_days{2026y / 12 / 3} + 8h + 48min;

const std::string kSubject = "【架け橋】メールアドレスの確認（令和8年度「未来の教室」産学連携事業）";
const std::string kBody =
    "山田 太郎 様\n\n"
    "事業者アカウントの登録を受け付けました。\n"
    ".から始まる行も、そのまま届きます。\n"
    "..二つでも。\n"
    ".\n"
    "以上\n";

SmtpConfig config_for(int port) {
  SmtpConfig config;
  config.host = "127.0.0.1";
  config.port = std::uint16_t(port);
  config.from = {"noreply@kakehashi.example.jp", "架け橋 Kakehashi"};
  config.timeout = seconds{5};
  return config;
}

// A self-signed certificate for 127.0.0.1 and localhost, made with the openssl command.
struct Certificate {
  std::string cert, key;
};
Certificate make_certificate(const testing::TempDir& dir) {
  Certificate made{dir.file("cert.pem"), dir.file("key.pem")};
  std::string command = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout " + made.key +
                        " -out " + made.cert + " -addext subjectAltName=DNS:localhost,IP:127.0.0.1 >/dev/null 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0) << "openssl req";
  return made;
}

void expect_delivered(const SmtpServer& server, const std::string& to) {
  auto messages = server.messages();
  ASSERT_EQ(messages.size(), 1u);
  auto meta = SmtpServer::meta(messages[0]);
  EXPECT_EQ(meta["mail_from"].as_string(), "noreply@kakehashi.example.jp");
  ASSERT_EQ(meta["rcpt_tos"].as_array().size(), 1u);
  EXPECT_EQ(meta["rcpt_tos"].as_array()[0].as_string(), to);
  auto& decoded = meta["decoded"].as_object();
  EXPECT_EQ(decoded["subject"].as_string(), kSubject);
  EXPECT_EQ(decoded["body"].as_string(), kBody);
  EXPECT_EQ(decoded["from_name"].as_string(), "架け橋 Kakehashi");
  EXPECT_EQ(decoded["from_address"].as_string(), "noreply@kakehashi.example.jp");
  EXPECT_EQ(decoded["to"].as_array().at(0).as_string(), to);
  EXPECT_EQ(decoded["charset"].as_string(), "utf-8");
  EXPECT_TRUE(decoded["defects"].as_array().empty());
}

TEST(Smtp, DeliversJapaneseSubjectAndBodyThatDecodeExactly) {
  testing::TempDir dir;
  SmtpServer server(dir.path() / "received");
  ASSERT_GT(server.port(), 0);
  SmtpSender sender(config_for(server.port()));
  auto sent = sender.send({"yamada@example.jp", kSubject, kBody}, kAt);
  ASSERT_OK(sent);
  expect_delivered(server, "yamada@example.jp");
  EXPECT_FALSE(SmtpServer::meta(server.messages()[0])["tls"].as_bool());
  EXPECT_EQ(sender.describe(), "SMTP 127.0.0.1:" + std::to_string(server.port()) + "（暗号化なし）");
}

TEST(Smtp, AuthPlainOnLoopback) {
  testing::TempDir dir;
  SmtpServer server(dir.path() / "received", {"--auth", "kakehashi:s3cret pass", "--auth-plaintext"});
  auto config = config_for(server.port());
  config.user = "kakehashi";
  config.password = "s3cret pass";
  auto sent = SmtpSender(config).send({"yamada@example.jp", kSubject, kBody}, kAt);
  ASSERT_OK(sent);
  expect_delivered(server, "yamada@example.jp");
  auto meta = SmtpServer::meta(server.messages()[0]);
  EXPECT_EQ(meta["authenticated_as"].as_string(), "kakehashi");
  EXPECT_EQ(meta["auth_mechanism"].as_string(), "PLAIN");
}

TEST(Smtp, AuthLoginWhenPlainIsNotOffered) {
  testing::TempDir dir;
  SmtpServer server(dir.path() / "received", {"--auth", "kakehashi:s3cret", "--auth-plaintext", "--login-only"});
  auto config = config_for(server.port());
  config.user = "kakehashi";
  config.password = "s3cret";
  auto sent = SmtpSender(config).send({"yamada@example.jp", kSubject, kBody}, kAt);
  ASSERT_OK(sent);
  EXPECT_EQ(SmtpServer::meta(server.messages().at(0))["auth_mechanism"].as_string(), "LOGIN");
}

TEST(Smtp, AWrongPasswordIsRefusedAndNothingIsSent) {
  testing::TempDir dir;
  SmtpServer server(dir.path() / "received", {"--auth", "kakehashi:right", "--auth-plaintext"});
  auto config = config_for(server.port());
  config.user = "kakehashi";
  config.password = "wrong";
  auto sent = SmtpSender(config).send({"yamada@example.jp", kSubject, kBody}, kAt);
  ASSERT_FALSE(sent);
  ExpectErrorCode(sent, ErrorCode::kUnavailable);
  EXPECT_TRUE(sent.error().message.starts_with("SMTP サーバーが認証を受け付けませんでした（535")) << sent.error().message;
  EXPECT_TRUE(server.messages().empty());
}

TEST(Smtp, StartTlsWithTheServersCertificateAndAuth) {
  testing::TempDir dir;
  auto certificate = make_certificate(dir);
  SmtpServer server(dir.path() / "received", {"--tls-cert", certificate.cert, "--tls-key", certificate.key, "--auth",
                                              "kakehashi:over tls"});
  auto config = config_for(server.port());
  config.starttls = true;
  config.ca_file = certificate.cert;
  config.user = "kakehashi";
  config.password = "over tls";
  SmtpSender sender(config);
  auto sent = sender.send({"yamada@example.jp", kSubject, kBody}, kAt);
  ASSERT_OK(sent);
  expect_delivered(server, "yamada@example.jp");
  auto meta = SmtpServer::meta(server.messages()[0]);
  EXPECT_TRUE(meta["tls"].as_bool());
  EXPECT_EQ(meta["authenticated_as"].as_string(), "kakehashi");
  EXPECT_EQ(sender.describe(), "SMTP 127.0.0.1:" + std::to_string(server.port()) + "（STARTTLS、認証あり）");
}

TEST(Smtp, StartTlsRefusesACertificateItCannotVerify) {
  testing::TempDir dir;
  auto certificate = make_certificate(dir);
  SmtpServer server(dir.path() / "received", {"--tls-cert", certificate.cert, "--tls-key", certificate.key});
  auto config = config_for(server.port());
  config.starttls = true;  // the system's CAs do not know the self-signed certificate
  auto sent = SmtpSender(config).send({"yamada@example.jp", kSubject, kBody}, kAt);
  ASSERT_FALSE(sent);
  EXPECT_NE(sent.error().message.find("TLS で接続できません（証明書またはホスト名を確認できません"), std::string::npos)
      << sent.error().message;
  EXPECT_TRUE(server.messages().empty());
}

TEST(Smtp, StartTlsConfiguredButNotOfferedSendsNothing) {
  testing::TempDir dir;
  SmtpServer server(dir.path() / "received");
  auto config = config_for(server.port());
  config.starttls = true;
  auto sent = SmtpSender(config).send({"yamada@example.jp", kSubject, kBody}, kAt);
  ASSERT_FALSE(sent);
  ExpectError(sent, ErrorCode::kUnavailable,
              "SMTP サーバー 127.0.0.1:" + std::to_string(server.port()) +
                  " が STARTTLS に対応していないため、暗号化せずに送ることになるので送信を中止しました");
  EXPECT_TRUE(server.messages().empty());
}

TEST(Smtp, RefusedRecipientIsPermanentTemporaryRefusalIsNot) {
  testing::TempDir dir;
  SmtpServer server(dir.path() / "received");
  SmtpSender sender(config_for(server.port()));
  auto unknown = sender.send({"unknown@example.jp", kSubject, kBody}, kAt);
  ASSERT_FALSE(unknown);
  ExpectError(unknown, ErrorCode::kInvalidArgument,
              "SMTP サーバーが宛先（RCPT TO）を受け付けませんでした（550 5.1.1 User unknown）");
  auto later = sender.send({"later@example.jp", kSubject, kBody}, kAt);
  ASSERT_FALSE(later);
  ExpectError(later, ErrorCode::kUnavailable,
              "SMTP サーバーが宛先（RCPT TO）を受け付けませんでした（451 4.3.0 Try again later）");
  EXPECT_TRUE(server.messages().empty());
}

TEST(Smtp, AuthWithoutTlsToAnotherHostIsRefusedBeforeSendingThePassword) {
  // Only loopback may take a password in plain text; 127.0.0.1 is loopback, so this checks the
  // rule through a server that offers AUTH only after STARTTLS (aiosmtpd's default).
  testing::TempDir dir;
  SmtpServer server(dir.path() / "received", {"--auth", "kakehashi:secret"});
  auto config = config_for(server.port());
  config.user = "kakehashi";
  config.password = "secret";
  auto sent = SmtpSender(config).send({"yamada@example.jp", kSubject, kBody}, kAt);
  ASSERT_FALSE(sent);
  ExpectError(sent, ErrorCode::kUnavailable, "SMTP サーバーが PLAIN / LOGIN のどちらの認証方式にも対応していません");
  EXPECT_TRUE(server.messages().empty());
}

// A listening socket that accepts (the kernel does) and never says a word.
class SilentServer {
 public:
  SilentServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(fd_, 4);
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~SilentServer() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(Smtp, AServerThatNeverAnswersTimesOut) {
  SilentServer silent;
  auto config = config_for(silent.port());
  config.timeout = seconds{1};
  auto started = steady_clock::now();
  auto sent = SmtpSender(config).send({"yamada@example.jp", kSubject, kBody}, kAt);
  auto took = steady_clock::now() - started;
  ASSERT_FALSE(sent);
  ExpectError(sent, ErrorCode::kUnavailable,
              "SMTP サーバー 127.0.0.1:" + std::to_string(silent.port()) +
                  " から応答がありません（接続時の挨拶で 1 秒待ちました）");
  EXPECT_LT(took, seconds{3});
}

TEST(Smtp, NoServerIsAClearError) {
  int port = 0;
  {
    SilentServer closed;  // a port that was free a moment ago, now closed again
    port = closed.port();
  }
  auto sent = SmtpSender(config_for(port)).send({"yamada@example.jp", kSubject, kBody}, kAt);
  ASSERT_FALSE(sent);
  ExpectErrorCode(sent, ErrorCode::kUnavailable);
  EXPECT_TRUE(sent.error().message.starts_with("SMTP サーバー 127.0.0.1:" + std::to_string(port) + " に接続できません（"))
      << sent.error().message;
}

TEST(Smtp, HostAndPortParsing) {
  EXPECT_EQ(*parse_host_port("mail.example.jp:587"), (std::pair<std::string, std::uint16_t>{"mail.example.jp", 587}));
  EXPECT_EQ(*parse_host_port("[::1]:25"), (std::pair<std::string, std::uint16_t>{"::1", 25}));
  for (const char* bad : {"mail.example.jp", ":25", "mail:0", "mail:65536", "mail:x", "[::1]25", "a b:25"}) {
    auto refused = parse_host_port(bad);
    ASSERT_FALSE(refused) << bad;
    EXPECT_TRUE(refused.error().message.starts_with("SMTP サーバーは ホスト名:ポート の形で指定してください")) << bad;
  }
}

}  // namespace
}  // namespace kakehashi::mail
