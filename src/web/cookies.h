// Cookie request header parsing and Set-Cookie response header building (RFC 6265bis), with the
// `__Host-` and `__Secure-` name prefixes enforced so a session cookie cannot be built unsafely.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace kakehashi::web {

struct CookieLimits {
  // The whole Cookie header value, in bytes (the server's 16 KiB header limit applies first).
  size_t max_header_bytes = 8 * 1024;
  // Cookie pairs in one header.
  size_t max_cookies = 50;
};

struct Cookie {
  std::string name;
  std::string value;  // surrounding double quotes removed, otherwise as sent (no decoding)
  bool operator==(const Cookie&) const = default;
};

// Parses a Cookie header value ("a=1; b=2") into pairs in header order. Tolerant as browsers
// are: spaces and tabs around pairs, names and values are trimmed; a pair without '=' or with an
// empty or non-token name is skipped; a value wrapped in double quotes loses the quotes. Fails
// (Error::invalid) only when a limit is exceeded.
[[nodiscard]] Result<std::vector<Cookie>> parse_cookie_header(std::string_view header,
                                                              const CookieLimits& limits = {});

// The value of the first cookie named `name` (browsers send the most specific one first).
std::optional<std::string_view> find_cookie(const std::vector<Cookie>& cookies,
                                            std::string_view name);

enum class SameSite { kStrict, kLax, kNone };

// One Set-Cookie header. Defaults are the safe ones: HttpOnly, SameSite=Lax, Path=/.
struct SetCookie {
  std::string name;
  std::string value;
  std::string path = "/";
  std::optional<std::chrono::seconds> max_age;  // nullopt: a session cookie; 0: delete now
  bool http_only = true;
  bool secure = false;
  std::optional<SameSite> same_site = SameSite::kLax;
};

// Builds the Set-Cookie header value, e.g.
// "__Host-kk_session=abc; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Lax".
// Fails (Error::invalid) when the name is not an RFC 9110 token, the value holds a byte outside
// cookie-octet (so no ';', ',', '"', '\\', space or control character can be injected), the path
// holds ';' or a control character, Max-Age is negative, SameSite=None lacks Secure, a
// `__Secure-` cookie lacks Secure, or a `__Host-` cookie lacks Secure or has a Path other than "/".
[[nodiscard]] Result<std::string> build_set_cookie(const SetCookie& cookie);

}  // namespace kakehashi::web
