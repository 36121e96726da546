// Password hashing with Argon2id (libsodium), and random tokens.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace kakehashi::auth {

// Minimum length of a new password, in characters.
inline constexpr size_t kMinPasswordLength = 12;

// Checks a new password against the rules; the message says what to change.
[[nodiscard]] Result<void> check_new_password(std::string_view password);

// Argon2id in libsodium's encoded form ($argon2id$v=19$m=…), with a random salt.
[[nodiscard]] Result<std::string> hash_password(std::string_view password);
// Constant-time verification against an encoded hash.
bool verify_password(std::string_view password, const std::string& encoded_hash);

// `bytes` random bytes, URL-safe base64 without padding (32 bytes -> 43 characters).
std::string random_token(size_t bytes = 32);
// A password for demo users: 16 characters from an alphabet without look-alikes.
std::string random_password();
// SHA-256 of text, raw 32 bytes (session ids, lock-out subjects).
std::string sha256(std::string_view text);

}  // namespace kakehashi::auth
