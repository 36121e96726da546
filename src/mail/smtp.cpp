#include "mail/smtp.h"

#include <fmt/format.h>
#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <initializer_list>
#include <optional>
#include <vector>

namespace kakehashi::mail {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr std::size_t kMaxReplyLine = 4096;
constexpr int kMaxReplyLines = 100;

struct Reply {
  int code = 0;
  std::vector<std::string> lines;  // the text after "250-" / "250 "

  // The reply as one short line for messages ("550 5.1.1 User unknown").
  std::string summary() const {
    std::string text = std::to_string(code);
    for (const auto& line : lines) {
      if (!line.empty()) text += " " + line;
    }
    if (text.size() > 200) text = text.substr(0, 200) + "…";
    for (char& c : text) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    }
    return text;
  }
};

// The extensions an EHLO reply announces.
struct Extensions {
  bool starttls = false;
  bool auth_plain = false;
  bool auth_login = false;
};

Extensions extensions_of(const Reply& ehlo) {
  Extensions ext;
  for (std::size_t i = 1; i < ehlo.lines.size(); ++i) {  // the first line is the greeting
    std::string line = ehlo.lines[i];
    for (char& c : line) c = char(std::toupper(static_cast<unsigned char>(c)));
    if (line == "STARTTLS") ext.starttls = true;
    if (line.starts_with("AUTH ") || line.starts_with("AUTH=")) {
      std::string mechanisms = " " + line.substr(5) + " ";
      ext.auth_plain = ext.auth_plain || mechanisms.find(" PLAIN ") != std::string::npos;
      ext.auth_login = ext.auth_login || mechanisms.find(" LOGIN ") != std::string::npos;
    }
  }
  return ext;
}

// RFC 5321 4.5.2: a line that starts with "." gets one more.
std::string dot_stuffed(std::string_view data) {
  std::string out;
  out.reserve(data.size() + 16);
  bool line_start = true;
  for (char c : data) {
    if (line_start && c == '.') out.push_back('.');
    out.push_back(c);
    line_start = c == '\n';
  }
  return out;
}

// One SMTP connection. Asynchronous operations run one at a time on a private io_context for at
// most the configured timeout, so a server that stops answering cannot hold the sender.
class Session {
 public:
  explicit Session(const SmtpConfig& config) : config_(config) {}
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session() { close(); }

  std::string where() const { return fmt::format("{}:{}", config_.host, config_.port); }

  Result<void> connect() {
    tcp::resolver resolver(io_);
    resolver_ = &resolver;
    tcp::resolver::results_type endpoints;
    error_code ec = run([&](auto handler) {
      resolver.async_resolve(config_.host, std::to_string(config_.port),
                             [&endpoints, handler](error_code e, tcp::resolver::results_type found) mutable {
                               endpoints = std::move(found);
                               handler(e);
                             });
    });
    resolver_ = nullptr;
    if (ec) return fail(network_error("接続", ec));
    ec = run([&](auto handler) {
      asio::async_connect(stream_.next_layer(), endpoints,
                          [handler](error_code e, const tcp::endpoint&) mutable { handler(e); });
    });
    if (ec) return fail(network_error("接続", ec));
    return {};
  }

  Result<Reply> read_reply(std::string_view step) {
    Reply reply;
    for (int n = 0; n < kMaxReplyLines; ++n) {
      std::size_t length = 0;
      error_code ec = with_stream([&](auto& stream) {
        return run([&](auto handler) {
          asio::async_read_until(stream, asio::dynamic_buffer(buffer_, kMaxReplyLine), "\r\n",
                                 [&length, handler](error_code e, std::size_t n) mutable {
                                   length = n;
                                   handler(e);
                                 });
        });
      });
      if (ec == asio::error::not_found) {
        return fail(Error::unavailable(fmt::format("SMTP サーバー {} の応答の行が長すぎます（{}）", where(), step)));
      }
      if (ec) return fail(network_error(step, ec));
      std::string line = buffer_.substr(0, length - 2);
      buffer_.erase(0, length);
      bool well_formed = line.size() >= 3 && std::isdigit(static_cast<unsigned char>(line[0])) &&
                         std::isdigit(static_cast<unsigned char>(line[1])) &&
                         std::isdigit(static_cast<unsigned char>(line[2])) &&
                         (line.size() == 3 || line[3] == ' ' || line[3] == '-');
      int code = well_formed ? std::stoi(line.substr(0, 3)) : 0;
      if (!well_formed || (reply.code != 0 && code != reply.code)) {
        return fail(Error::unavailable(fmt::format("SMTP サーバー {} の応答を読めません（{}）", where(), step)));
      }
      reply.code = code;
      reply.lines.push_back(line.size() > 4 ? line.substr(4) : "");
      if (line.size() == 3 || line[3] == ' ') return reply;
    }
    return fail(Error::unavailable(fmt::format("SMTP サーバー {} の応答が長すぎます（{}）", where(), step)));
  }

  Result<void> write(std::string_view data, std::string_view step) {
    error_code ec = with_stream([&](auto& stream) {
      return run([&](auto handler) {
        asio::async_write(stream, asio::buffer(data.data(), data.size()),
                          [handler](error_code e, std::size_t) mutable { handler(e); });
      });
    });
    if (ec) return fail(network_error(step, ec));
    return {};
  }

  Result<Reply> command(std::string_view line, std::string_view step) {
    if (auto sent = write(std::string(line) + "\r\n", step); !sent) return fail(sent.error());
    return read_reply(step);
  }

  // RFC 3207: after "220 Ready to start TLS" the handshake, with the certificate checked against
  // the CAs and the host name. Anything the server sent before the handshake is a protocol
  // violation (the STARTTLS command-injection attack), so it is refused, not kept.
  Result<void> start_tls() {
    if (!buffer_.empty()) {
      return fail(Error::unavailable(fmt::format("SMTP サーバー {} が STARTTLS の応答の後に余分なデータを送ってきました", where())));
    }
    error_code ec;
    if (config_.ca_file.empty()) {
      ssl_.set_default_verify_paths(ec);
    } else {
      ssl_.load_verify_file(config_.ca_file, ec);
    }
    if (ec) {
      return fail(Error::unavailable(fmt::format("TLS の信頼する認証局を読み込めません: {}",
                                                 config_.ca_file.empty() ? "システムの証明書ストア" : config_.ca_file)));
    }
    SSL* ssl = stream_.native_handle();
    SSL_set_min_proto_version(ssl, TLS1_2_VERSION);
    error_code as_address;
    asio::ip::make_address(config_.host, as_address);
    if (as_address) SSL_set_tlsext_host_name(ssl, config_.host.c_str());
    stream_.set_verify_mode(asio::ssl::verify_peer);
    stream_.set_verify_callback(asio::ssl::host_name_verification(config_.host));
    ec = run([&](auto handler) { stream_.async_handshake(asio::ssl::stream_base::client, handler); });
    if (ec) {
      if (ec == asio::error::timed_out) return fail(network_error("TLS ハンドシェイク", ec));
      return fail(Error::unavailable(fmt::format(
          "SMTP サーバー {} と TLS で接続できません（証明書またはホスト名を確認できません: {}）", where(), ec.message())));
    }
    tls_ = true;
    return {};
  }

  bool tls() const { return tls_; }

  bool peer_is_loopback() const {
    error_code ec;
    auto peer = stream_.next_layer().remote_endpoint(ec);
    return !ec && peer.address().is_loopback();
  }

  // The client's own address as an RFC 5321 address literal, for EHLO.
  std::string local_literal() const {
    error_code ec;
    auto local = stream_.next_layer().local_endpoint(ec);
    if (ec) return "[127.0.0.1]";
    if (local.address().is_v6()) return "[IPv6:" + local.address().to_string() + "]";
    return "[" + local.address().to_string() + "]";
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    if (tls_) {
      // A TLS close_notify, waited for briefly: the server may simply drop the connection.
      (void)run([&](auto handler) { stream_.async_shutdown(handler); }, std::chrono::seconds{2});
    }
    error_code ignored;
    stream_.next_layer().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.next_layer().close(ignored);
  }

 private:
  template <class F>
  error_code with_stream(F&& f) {
    if (tls_) return f(stream_);
    return f(stream_.next_layer());
  }

  // Starts one operation and runs it to completion or the timeout; on timeout the socket is
  // closed (which ends the operation) and the result is timed_out.
  template <class Start>
  error_code run(Start&& start, std::optional<std::chrono::seconds> timeout = std::nullopt) {
    error_code result = asio::error::would_block;
    start([&result](error_code ec, auto&&...) { result = ec; });
    io_.restart();
    io_.run_for(timeout.value_or(config_.timeout));
    if (!io_.stopped()) {
      error_code ignored;
      if (resolver_) resolver_->cancel();
      stream_.next_layer().close(ignored);
      io_.run();
      return asio::error::timed_out;
    }
    return result;
  }

  Error network_error(std::string_view step, error_code ec) const {
    if (ec == asio::error::timed_out) {
      return Error::unavailable(fmt::format("SMTP サーバー {} から応答がありません（{}で {} 秒待ちました）", where(), step,
                                            config_.timeout.count()));
    }
    if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) {
      return Error::unavailable(fmt::format("SMTP サーバー {} が接続を切りました（{}）", where(), step));
    }
    if (step == "接続") {
      return Error::unavailable(fmt::format("SMTP サーバー {} に接続できません（{}）", where(), ec.message()));
    }
    return Error::unavailable(fmt::format("SMTP サーバー {} との通信に失敗しました（{}: {}）", where(), step, ec.message()));
  }

  const SmtpConfig& config_;
  asio::io_context io_;
  asio::ssl::context ssl_{asio::ssl::context::tls_client};
  asio::ssl::stream<tcp::socket> stream_{io_, ssl_};
  tcp::resolver* resolver_ = nullptr;
  bool tls_ = false;
  bool closed_ = false;
  std::string buffer_;
};

// The reply must have one of `codes`; otherwise an error naming the step and the reply. A 5xx
// reply is permanent for steps about this message (`permanent`), temporary otherwise.
Result<Reply> expect(Result<Reply> reply, std::initializer_list<int> codes, std::string_view step, bool permanent = false) {
  if (!reply) return reply;
  for (int code : codes) {
    if (reply->code == code) return reply;
  }
  std::string message = fmt::format("SMTP サーバーが{}を受け付けませんでした（{}）", step, reply->summary());
  if (permanent && reply->code >= 500) return fail(Error::invalid(std::move(message)));
  return fail(Error::unavailable(std::move(message)));
}

Result<void> authenticate(Session& session, const SmtpConfig& config, const Extensions& ext) {
  if (!session.tls() && !session.peer_is_loopback()) {
    return fail(Error::unavailable(
        "SMTP 認証のパスワードを暗号化せずに送ることになるため送信を中止しました（--mail-starttls を指定してください）"));
  }
  const std::string& user = *config.user;
  if (ext.auth_plain) {
    std::string credentials = std::string(1, '\0') + user + std::string(1, '\0') + config.password;
    auto done = expect(session.command("AUTH PLAIN " + base64(credentials), "認証"), {235}, "認証");
    if (!done) return fail(done.error());
    return {};
  }
  if (ext.auth_login) {
    if (auto r = expect(session.command("AUTH LOGIN", "認証"), {334}, "認証"); !r) return fail(r.error());
    if (auto r = expect(session.command(base64(user), "認証"), {334}, "認証"); !r) return fail(r.error());
    if (auto r = expect(session.command(base64(config.password), "認証"), {235}, "認証"); !r) return fail(r.error());
    return {};
  }
  return fail(Error::unavailable("SMTP サーバーが PLAIN / LOGIN のどちらの認証方式にも対応していません"));
}

}  // namespace

Result<std::pair<std::string, std::uint16_t>> parse_host_port(std::string_view text) {
  auto bad = [&] {
    return fail(Error::invalid(fmt::format("SMTP サーバーは ホスト名:ポート の形で指定してください（例: mail.example.jp:587）: {}", text)));
  };
  std::string host;
  std::string_view port;
  if (text.starts_with('[')) {
    std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') return bad();
    host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
  } else {
    std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad();
    host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
  }
  if (host.empty() || host.find_first_of(" \t\r\n/") != std::string::npos) return bad();
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos) return bad();
  int number = std::stoi(std::string(port));
  if (number < 1 || number > 65535) return bad();
  return std::pair{host, std::uint16_t(number)};
}

SmtpSender::SmtpSender(SmtpConfig config) : config_(std::move(config)) {}

std::string SmtpSender::describe() const {
  std::string host = config_.host.find(':') != std::string::npos ? "[" + config_.host + "]" : config_.host;
  std::string how = config_.starttls ? "STARTTLS" : "暗号化なし";
  if (config_.user) how += "、認証あり";
  return fmt::format("SMTP {}:{}（{}）", host, config_.port, how);
}

Result<void> SmtpSender::send(const Message& message, std::chrono::sys_seconds now) {
  auto data = format_message(message, config_.from, now, make_message_id(config_.from.address));
  if (!data) return fail(data.error());

  Session session(config_);
  if (auto connected = session.connect(); !connected) return connected;
  if (auto greeting = expect(session.read_reply("接続時の挨拶"), {220}, "接続"); !greeting) return fail(greeting.error());
  std::string ehlo_line = "EHLO " + session.local_literal();
  auto ehlo = expect(session.command(ehlo_line, "EHLO"), {250}, "EHLO");
  if (!ehlo) return fail(ehlo.error());
  Extensions ext = extensions_of(*ehlo);

  if (config_.starttls) {
    if (!ext.starttls) {
      return fail(Error::unavailable(fmt::format(
          "SMTP サーバー {} が STARTTLS に対応していないため、暗号化せずに送ることになるので送信を中止しました", session.where())));
    }
    if (auto ready = expect(session.command("STARTTLS", "STARTTLS"), {220}, "STARTTLS"); !ready) return fail(ready.error());
    if (auto secured = session.start_tls(); !secured) return secured;
    // RFC 3207: what the server said before TLS is forgotten; ask again.
    ehlo = expect(session.command(ehlo_line, "EHLO"), {250}, "EHLO");
    if (!ehlo) return fail(ehlo.error());
    ext = extensions_of(*ehlo);
  }
  if (config_.user) {
    if (auto authenticated = authenticate(session, config_, ext); !authenticated) return authenticated;
  }

  if (auto r = expect(session.command("MAIL FROM:<" + config_.from.address + ">", "送信者（MAIL FROM）"), {250},
                      "送信者（MAIL FROM）", true);
      !r) {
    return fail(r.error());
  }
  if (auto r = expect(session.command("RCPT TO:<" + message.to + ">", "宛先（RCPT TO）"), {250, 251}, "宛先（RCPT TO）", true);
      !r) {
    return fail(r.error());
  }
  if (auto r = expect(session.command("DATA", "本文（DATA）"), {354}, "本文（DATA）", true); !r) return fail(r.error());
  if (auto sent = session.write(dot_stuffed(*data) + ".\r\n", "本文の送信"); !sent) return sent;
  if (auto r = expect(session.read_reply("本文の送信"), {250}, "本文", true); !r) return fail(r.error());
  // The message is accepted; QUIT is a courtesy whose failure changes nothing.
  (void)session.command("QUIT", "QUIT");
  return {};
}

}  // namespace kakehashi::mail
