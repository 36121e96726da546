// Encryption at rest of the roster's personal fields (issue 21, R7.1): home address, date of
// birth, passport number and nationality are sealed one field at a time with
// XChaCha20-Poly1305 (libsodium's crypto_aead_xchacha20poly1305_ietf) under a 32-byte key kept
// in a file outside the database, with a random 24-byte nonce per value. The field's name is
// the associated data, so a sealed address cannot be passed off as a passport number.
//
// A sealed value is: "KK1" | key id (8 bytes, BLAKE2b of the key) | nonce (24) | ciphertext+tag.
// The key id lets a value sealed under another key be told apart from a forged one.
//
// The key file ("kakehashi-roster-key v1\n<base64>\n") is created with mode 0600 at first use
// (serve's start, the demo); a key file others may read is refused. Destroying it
// (close-out) leaves every copy of the database and of its backups unreadable.
#pragma once

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace kakehashi::compliance {

class FieldKey {
 public:
  FieldKey() = default;
  ~FieldKey();
  FieldKey(const FieldKey&) = delete;
  FieldKey& operator=(const FieldKey&) = delete;
  FieldKey(FieldKey&& other) noexcept;
  FieldKey& operator=(FieldKey&& other) noexcept;

  static FieldKey generate();
  // Hex of the key id (16 characters), safe to show and log.
  std::string id_hex() const;

  // The sealed bytes of `plaintext` for `field` ("address", "birth_date", …).
  std::string seal(std::string_view field, std::string_view plaintext) const;
  // The plaintext, or an error when the value was sealed under another key or altered.
  [[nodiscard]] Result<std::string> open(std::string_view field, std::string_view sealed) const;

  // The file's text (for writing) and parsing it.
  std::string file_text() const;
  [[nodiscard]] static Result<FieldKey> parse(std::string_view text);

 private:
  std::array<unsigned char, 32> key_{};
  std::array<unsigned char, 8> id_{};
  void derive_id();
};

// The key at `path`; created (0600, parent folder 0700) when missing.
[[nodiscard]] Result<FieldKey> load_or_create_field_key(const std::filesystem::path& path);
// The key at `path`, never creating it.
[[nodiscard]] Result<FieldKey> load_field_key(const std::filesystem::path& path);
// Writes `key` to `path` atomically (a temporary file renamed over it), mode 0600.
[[nodiscard]] Result<void> write_field_key(const FieldKey& key, const std::filesystem::path& path);
// Overwrites the file with zeros, syncs and removes it (crypto-shredding).
[[nodiscard]] Result<void> destroy_field_key(const std::filesystem::path& path);

// The process's key file: `serve`, the CLI and the demo configure it from --roster-key (default:
// roster.key beside the database). The key is loaded (or created) at the first use and kept.
void configure_field_key(const std::filesystem::path& path);
std::filesystem::path field_key_path();
// <folder of the database>/roster.key
std::filesystem::path default_field_key_path(const std::filesystem::path& database_path);
// The configured key, loading or creating it at first use.
[[nodiscard]] Result<const FieldKey*> field_key();
// Forgets the loaded key (after rotation or destruction).
void forget_field_key();

}  // namespace kakehashi::compliance
