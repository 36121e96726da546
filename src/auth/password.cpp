#include "auth/password.h"

#include <sodium.h>

#include <stdexcept>

#include "base/text.h"

namespace kakehashi::auth {
namespace {

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium could not be initialised");
}

}  // namespace

Result<void> check_new_password(std::string_view password) {
  if (text::count_code_points(password) < kMinPasswordLength) {
    return fail(Error::invalid("パスワードは 12 文字以上にしてください"));
  }
  if (password.size() > 1024) return fail(Error::invalid("パスワードが長すぎます（1024 バイトまで）"));
  return {};
}

Result<std::string> hash_password(std::string_view password) {
  ensure_sodium();
  char encoded[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(encoded, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return fail(Error::unavailable("パスワードのハッシュ化に必要なメモリを確保できません"));
  }
  return std::string(encoded);
}

bool verify_password(std::string_view password, const std::string& encoded_hash) {
  ensure_sodium();
  return crypto_pwhash_str_verify(encoded_hash.c_str(), password.data(), password.size()) == 0;
}

std::string random_token(size_t bytes) {
  ensure_sodium();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

std::string random_password() {
  ensure_sodium();
  static constexpr std::string_view kAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  std::string out;
  for (int i = 0; i < 16; ++i) out.push_back(kAlphabet[randombytes_uniform(uint32_t(kAlphabet.size()))]);
  return out;
}

std::string sha256(std::string_view text) {
  ensure_sodium();
  std::string digest(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(digest.data()),
                     reinterpret_cast<const unsigned char*>(text.data()), text.size());
  return digest;
}

}  // namespace kakehashi::auth
