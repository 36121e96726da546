// An e-mail for people, and its form on the wire: RFC 5322 headers with RFC 2047 encoded words
// for Japanese, a text/plain UTF-8 body in base64, Date, Message-ID and From with a display
// name. Every header value is checked: CR or LF (or any control character) is refused, so no
// text a user typed can add a header or a recipient.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"

namespace kakehashi::mail {

struct Message {
  std::string to;       // one address, e.g. "yamada@example.jp" (no display name)
  std::string subject;  // UTF-8, one line
  std::string body;     // UTF-8 plain text; lines end with "\n" (sent as CRLF)
};

// Who mails come from: the envelope sender and the From header.
struct Identity {
  std::string address;       // e.g. "noreply@kakehashi.example.jp"
  std::string display_name;  // UTF-8, may be empty
};

// True for an address that can go into SMTP commands and headers as it is: printable ASCII
// "local@domain" without spaces, quotes, brackets, commas or semicolons, at most 254 bytes,
// a domain of dot-separated labels (letters, digits, hyphens). Internationalised addresses
// (SMTPUTF8) are not supported.
bool is_valid_address(std::string_view address);

// Japanese messages for what would make the message unsafe or unreadable: an invalid address,
// a control character (CR, LF …) in the subject, an empty subject, invalid UTF-8.
[[nodiscard]] Result<void> validate(const Message& message);
[[nodiscard]] Result<void> validate(const Identity& identity);

// Base64 (RFC 4648, with padding); a positive `line_length` breaks the output with CRLF.
std::string base64(std::string_view bytes, std::size_t line_length = 0);
// Decodes base64, ignoring CR, LF and spaces; an error for anything else that is not base64.
[[nodiscard]] Result<std::string> base64_decode(std::string_view text);

// A header value as RFC 2047 "B" encoded words in UTF-8, each at most 75 characters and never
// splitting a character, folded with CRLF + space so that no line passes 78 characters.
// Printable ASCII that fits the line and holds no "=?" stays as it is. `used` is the number of
// characters already on the first line ("Subject: " = 9).
std::string encode_header_text(std::string_view utf8, std::size_t used);

// "Thu, 03 Dec 2026 17:48:00 +0900": RFC 5322 date-time in Japan time.
std::string format_date(std::chrono::sys_seconds at);

// "<32 hex digits@domain of from_address>", random.
std::string make_message_id(std::string_view from_address);

// The whole message (headers, blank line, base64 body; CRLF line ends), ready for SMTP DATA
// (before dot-stuffing) or for an .eml file. Fails when validate() refuses the message or the
// identity.
[[nodiscard]] Result<std::string> format_message(const Message& message, const Identity& from,
                                                 std::chrono::sys_seconds date, std::string_view message_id);

// Where messages go. A failure is Error::invalid when the mail can never be delivered as it is
// (the server refused the recipient or the content with a 5xx reply, an invalid address) and
// Error::unavailable when trying again later may work (network, timeout, 4xx reply).
class Sender {
 public:
  virtual ~Sender() = default;
  [[nodiscard]] virtual Result<void> send(const Message& message, std::chrono::sys_seconds now) = 0;
  // What the server log and start-up line say about it ("SMTP mail.example.jp:587 (STARTTLS)").
  virtual std::string describe() const = 0;
};

}  // namespace kakehashi::mail
