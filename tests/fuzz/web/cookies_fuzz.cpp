// Fuzz target: the Cookie header parser and the Set-Cookie and Content-Disposition builders.
// Parsed cookies stay within the limits with trimmed token names; a built header never contains
// a byte that would end the header or start an attribute the caller did not ask for.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "web/content_disposition.h"
#include "web/cookies.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  kakehashi::web::CookieLimits limits;
  limits.max_cookies = 8;
  auto cookies = kakehashi::web::parse_cookie_header(input, limits);
  if (cookies) {
    if (cookies->size() > limits.max_cookies) __builtin_trap();
    for (const auto& cookie : *cookies) {
      if (cookie.name.empty() || cookie.name.find_first_of(" \t;=") != std::string::npos) __builtin_trap();
      if (cookie.value.find(';') != std::string::npos) __builtin_trap();
    }
  }

  // Split the input into a cookie name and value at the first '\0'.
  size_t split = input.find('\0');
  kakehashi::web::SetCookie set_cookie;
  set_cookie.name = std::string(input.substr(0, split));
  set_cookie.value = split == std::string_view::npos ? "" : std::string(input.substr(split + 1));
  if (auto header = kakehashi::web::build_set_cookie(set_cookie)) {
    if (header->find_first_of("\r\n\0", 0, 3) != std::string::npos) __builtin_trap();
    if (header->find(';') != set_cookie.name.size() + 1 + set_cookie.value.size()) __builtin_trap();
  }

  std::string disposition = kakehashi::web::content_disposition(input);
  if (disposition.find_first_of("\r\n\0", 0, 3) != std::string::npos) __builtin_trap();
  // Exactly the two quotes around the fallback name.
  size_t quotes = 0;
  for (char c : disposition) quotes += c == '"';
  if (quotes != 2) __builtin_trap();
  (void)kakehashi::web::parse_form_data_disposition(input);
  return 0;
}
