#include "web/cookies.h"

#include <fmt/format.h>

namespace kakehashi::web {

namespace {

// RFC 9110 tchar.
bool is_token_char(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
    case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (unsigned char c : text) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

// RFC 6265 cookie-octet: visible ASCII except '"', ',', ';' and '\\'.
bool is_cookie_octet(unsigned char c) {
  return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) ||
         (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

Result<std::vector<Cookie>> parse_cookie_header(std::string_view header,
                                                const CookieLimits& limits) {
  if (header.size() > limits.max_header_bytes) {
    return fail(Error::invalid(
        fmt::format("Cookie ヘッダーが大きすぎます（上限 {} バイト）", limits.max_header_bytes)));
  }
  std::vector<Cookie> cookies;
  size_t start = 0;
  while (start <= header.size()) {
    size_t end = header.find(';', start);
    if (end == std::string_view::npos) end = header.size();
    std::string_view pair = trim_blanks(header.substr(start, end - start));
    start = end + 1;
    size_t equals = pair.find('=');
    if (equals == std::string_view::npos) continue;
    std::string_view name = trim_blanks(pair.substr(0, equals));
    std::string_view value = trim_blanks(pair.substr(equals + 1));
    if (!is_token(name)) continue;
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (cookies.size() == limits.max_cookies) {
      return fail(Error::invalid(
          fmt::format("Cookie の数が上限（{}）を超えています", limits.max_cookies)));
    }
    cookies.push_back({std::string(name), std::string(value)});
  }
  return cookies;
}

std::optional<std::string_view> find_cookie(const std::vector<Cookie>& cookies,
                                            std::string_view name) {
  for (const auto& cookie : cookies) {
    if (cookie.name == name) return cookie.value;
  }
  return std::nullopt;
}

Result<std::string> build_set_cookie(const SetCookie& cookie) {
  if (!is_token(cookie.name)) {
    return fail(Error::invalid("Cookie の名前に使えない文字が含まれています"));
  }
  for (unsigned char c : cookie.value) {
    if (!is_cookie_octet(c)) {
      return fail(Error::invalid("Cookie の値に使えない文字が含まれています: " + cookie.name));
    }
  }
  if (cookie.path.empty() || cookie.path.front() != '/') {
    return fail(Error::invalid("Cookie の Path は / で始まる必要があります: " + cookie.name));
  }
  for (unsigned char c : cookie.path) {
    if (c < 0x20 || c == 0x7F || c == ';') {
      return fail(Error::invalid("Cookie の Path に使えない文字が含まれています: " + cookie.name));
    }
  }
  if (cookie.max_age && cookie.max_age->count() < 0) {
    return fail(Error::invalid("Cookie の Max-Age は 0 以上にしてください: " + cookie.name));
  }
  if (cookie.same_site == SameSite::kNone && !cookie.secure) {
    return fail(Error::invalid("SameSite=None の Cookie には Secure が必要です: " + cookie.name));
  }
  // Prefix rules (RFC 6265bis 4.1.3); the prefix match is case-sensitive as browsers apply it.
  if (cookie.name.starts_with("__Secure-") && !cookie.secure) {
    return fail(Error::invalid("__Secure- で始まる Cookie には Secure が必要です: " + cookie.name));
  }
  if (cookie.name.starts_with("__Host-")) {
    if (!cookie.secure) {
      return fail(Error::invalid("__Host- で始まる Cookie には Secure が必要です: " + cookie.name));
    }
    if (cookie.path != "/") {
      return fail(Error::invalid("__Host- で始まる Cookie の Path は / でなければなりません: " +
                                 cookie.name));
    }
  }

  std::string header = fmt::format("{}={}; Path={}", cookie.name, cookie.value, cookie.path);
  if (cookie.max_age) header += fmt::format("; Max-Age={}", cookie.max_age->count());
  if (cookie.secure) header += "; Secure";
  if (cookie.http_only) header += "; HttpOnly";
  if (cookie.same_site) {
    switch (*cookie.same_site) {
      case SameSite::kStrict: header += "; SameSite=Strict"; break;
      case SameSite::kLax: header += "; SameSite=Lax"; break;
      case SameSite::kNone: header += "; SameSite=None"; break;
    }
  }
  return header;
}

}  // namespace kakehashi::web
