#include "mail/message.h"

#include <fmt/format.h>
#include <openssl/rand.h>

#include <array>

#include "base/text.h"

namespace kakehashi::mail {
namespace {

constexpr std::string_view kBase64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// At most 42 bytes of UTF-8 per encoded word: "=?UTF-8?B?" + 56 base64 characters + "?=" is 68
// characters, so a word fits a line after "Subject: " (RFC 5322's 78) and RFC 2047's 75.
constexpr std::size_t kBytesPerWord = 42;
constexpr std::size_t kLineLimit = 78;

bool is_atext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

bool is_domain_label(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
  for (char c : label) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool has_control(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

bool is_plain_ascii(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return text.find("=?") == std::string_view::npos;
}

// "\r\n" and lone "\r" become "\n", then every "\n" becomes CRLF, with a final CRLF.
std::string crlf_lines(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32 + 2);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "\r\n";
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out.push_back(c);
    }
  }
  if (!out.ends_with("\r\n")) out += "\r\n";
  return out;
}

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), int(raw.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  std::string out;
  for (unsigned char c : raw) out += fmt::format("{:02x}", c);
  return out;
}

}  // namespace

bool is_valid_address(std::string_view address) {
  if (address.size() < 3 || address.size() > 254) return false;
  std::size_t at = address.find('@');
  if (at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos) return false;
  std::string_view local = address.substr(0, at);
  std::string_view domain = address.substr(at + 1);
  if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.' ||
      local.find("..") != std::string_view::npos) {
    return false;
  }
  for (char c : local) {
    if (c != '.' && !is_atext(c)) return false;
  }
  if (domain.empty() || domain.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = domain.find('.', start);
    if (!is_domain_label(domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start))) {
      return false;
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

Result<void> validate(const Message& message) {
  if (!is_valid_address(message.to)) return fail(Error::invalid("宛先のメールアドレスが正しくありません"));
  if (!text::is_valid_utf8(message.subject) || !text::is_valid_utf8(message.body)) {
    return fail(Error::invalid("メールの件名または本文が UTF-8 ではありません"));
  }
  if (has_control(message.subject)) {
    return fail(Error::invalid("メールの件名に改行や制御文字を含めることはできません"));
  }
  if (text::trim(message.subject).empty()) return fail(Error::invalid("メールの件名がありません"));
  if (text::count_code_points(message.subject) > 200) {
    return fail(Error::invalid("メールの件名は 200 文字以内にしてください"));
  }
  if (message.body.find('\0') != std::string::npos) {
    return fail(Error::invalid("メールの本文に制御文字（NUL）を含めることはできません"));
  }
  if (message.body.size() > 1024 * 1024) return fail(Error::invalid("メールの本文は 1 MB までです"));
  return {};
}

Result<void> validate(const Identity& identity) {
  if (!is_valid_address(identity.address)) return fail(Error::invalid("送信元のメールアドレスが正しくありません"));
  if (!text::is_valid_utf8(identity.display_name) || has_control(identity.display_name)) {
    return fail(Error::invalid("送信者名に改行や制御文字を含めることはできません"));
  }
  if (text::count_code_points(identity.display_name) > 100) {
    return fail(Error::invalid("送信者名は 100 文字以内にしてください"));
  }
  return {};
}

std::string base64(std::string_view bytes, std::size_t line_length) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4 + (line_length ? bytes.size() / line_length * 2 + 2 : 0));
  std::size_t on_line = 0;
  auto put = [&](char c) {
    if (line_length && on_line == line_length) {
      out += "\r\n";
      on_line = 0;
    }
    out.push_back(c);
    ++on_line;
  };
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    std::uint32_t v = (std::uint32_t(std::uint8_t(bytes[i])) << 16) | (std::uint32_t(std::uint8_t(bytes[i + 1])) << 8) |
                      std::uint8_t(bytes[i + 2]);
    put(kBase64Alphabet[(v >> 18) & 63]);
    put(kBase64Alphabet[(v >> 12) & 63]);
    put(kBase64Alphabet[(v >> 6) & 63]);
    put(kBase64Alphabet[v & 63]);
  }
  std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t v = std::uint32_t(std::uint8_t(bytes[i])) << 16;
    if (rest == 2) v |= std::uint32_t(std::uint8_t(bytes[i + 1])) << 8;
    put(kBase64Alphabet[(v >> 18) & 63]);
    put(kBase64Alphabet[(v >> 12) & 63]);
    put(rest == 2 ? kBase64Alphabet[(v >> 6) & 63] : '=');
    put('=');
  }
  return out;
}

Result<std::string> base64_decode(std::string_view text) {
  std::array<int, 256> value{};
  value.fill(-1);
  for (std::size_t i = 0; i < kBase64Alphabet.size(); ++i) value[std::uint8_t(kBase64Alphabet[i])] = int(i);
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  bool padding = false;
  for (char c : text) {
    if (c == '\r' || c == '\n' || c == ' ' || c == '\t') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    int v = value[std::uint8_t(c)];
    if (v < 0 || padding) return fail(Error::invalid("base64 として読めない文字があります"));
    bits = (bits << 6) | std::uint32_t(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(char((bits >> count) & 0xff));
    }
  }
  return out;
}

std::string encode_header_text(std::string_view utf8, std::size_t used) {
  if (is_plain_ascii(utf8) && used + utf8.size() <= kLineLimit) return std::string(utf8);
  std::string out;
  std::string chunk;
  auto flush = [&] {
    if (chunk.empty()) return;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(chunk) + "?=";
    chunk.clear();
  };
  for (std::string_view point : text::code_points(utf8)) {
    if (chunk.size() + point.size() > kBytesPerWord) flush();
    chunk += point;
  }
  flush();
  return out;
}

std::string format_date(std::chrono::sys_seconds at) {
  static constexpr std::array<std::string_view, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto local = at + std::chrono::hours{9};
  auto day = std::chrono::floor<std::chrono::days>(local);
  std::chrono::year_month_day ymd{day};
  std::chrono::hh_mm_ss time{local - day};
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0900", kDays[std::chrono::weekday{day}.c_encoding()],
                     unsigned(ymd.day()), kMonths[unsigned(ymd.month()) - 1], int(ymd.year()), time.hours().count(),
                     time.minutes().count(), time.seconds().count());
}

std::string make_message_id(std::string_view from_address) {
  std::size_t at = from_address.rfind('@');
  std::string_view domain = at == std::string_view::npos ? std::string_view("localhost") : from_address.substr(at + 1);
  return fmt::format("<{}@{}>", random_hex(16), domain);
}

Result<std::string> format_message(const Message& message, const Identity& from, std::chrono::sys_seconds date,
                                   std::string_view message_id) {
  if (auto ok = validate(message); !ok) return fail(ok.error());
  if (auto ok = validate(from); !ok) return fail(ok.error());
  if (has_control(message_id)) return fail(Error::invalid("Message-ID に改行や制御文字を含めることはできません"));
  std::string out;
  out += "Date: " + format_date(date) + "\r\n";
  if (from.display_name.empty()) {
    out += "From: " + from.address + "\r\n";
  } else {
    std::string name = encode_header_text(from.display_name, 6);
    // A plain ASCII name is written as a quoted string; an encoded one as words.
    if (name == from.display_name) {
      std::string quoted;
      for (char c : name) {
        if (c == '"' || c == '\\') quoted.push_back('\\');
        quoted.push_back(c);
      }
      name = "\"" + quoted + "\"";
    }
    std::size_t last_line = name.rfind("\r\n");
    std::size_t tail = last_line == std::string::npos ? 6 + name.size() : name.size() - last_line - 2;
    bool fits = tail + 3 + from.address.size() <= kLineLimit;
    out += "From: " + name + (fits ? " <" : "\r\n <") + from.address + ">\r\n";
  }
  out += "To: " + message.to + "\r\n";
  out += "Subject: " + encode_header_text(message.subject, 9) + "\r\n";
  out += "Message-ID: " + std::string(message_id) + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n";
  // RFC 3834: no vacation or out-of-office replies to a machine.
  out += "Auto-Submitted: auto-generated\r\n";
  out += "\r\n";
  out += base64(crlf_lines(message.body), 76);
  out += "\r\n";
  return out;
}

}  // namespace kakehashi::mail
