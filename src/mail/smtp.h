// The SMTP backend (RFC 5321): EHLO, STARTTLS (RFC 3207) through OpenSSL when configured,
// AUTH PLAIN or LOGIN (RFC 4954) when credentials are given, MAIL FROM / RCPT TO / DATA with
// dot-stuffing, QUIT. One connection per message; every step has its own timeout.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mail/message.h"

namespace kakehashi::mail {

struct SmtpConfig {
  std::string host;
  std::uint16_t port = 25;
  Identity from;
  // Upgrade with STARTTLS and verify the server's certificate and host name. When set and the
  // server does not offer STARTTLS, nothing is sent (no silent fall-back to plain text).
  bool starttls = false;
  std::string ca_file;  // PEM of trusted CAs; empty: the system's store
  std::optional<std::string> user;  // AUTH only when set; refused without TLS unless the server is on loopback
  std::string password;
  std::chrono::seconds timeout{30};  // for each step: connect, every reply, every write, the TLS handshake
};

// "mail.example.jp:587" / "[::1]:25" -> host and port; an error in Japanese otherwise.
[[nodiscard]] Result<std::pair<std::string, std::uint16_t>> parse_host_port(std::string_view text);

class SmtpSender final : public Sender {
 public:
  explicit SmtpSender(SmtpConfig config);
  [[nodiscard]] Result<void> send(const Message& message, std::chrono::sys_seconds now) override;
  std::string describe() const override;

 private:
  SmtpConfig config_;
};

}  // namespace kakehashi::mail
