// Anchoring the audit chain outside the database (issue 13 item 8). Whoever can write the SQLite
// file can drop the append-only triggers, delete the newest entries and rewrite audit_head, and
// the chain alone still verifies. So the head is signed now and then (Ed25519, libsodium) into
// small JSON files in a folder outside the database, with a secret key that never enters the
// database; the security officer hands the files and the public key to METI, and
// `audit verify --anchors` reports any rollback past the newest checkpoint.
//
// A checkpoint file (checkpoint-<entry id, 12 digits>-<UTC time>.json) holds the fields of
// Checkpoint as one JSON object; the signature covers canonical_text(), which a verifier can
// rebuild from the fields (docs/user-guide/audit.md shows it with openssl).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "db/database.h"

namespace kakehashi::audit {

struct AnchorSettings {
  std::filesystem::path key_file;     // the Ed25519 secret key, PKCS#8 PEM, mode 0600
  std::filesystem::path anchors_dir;  // the checkpoint files
};

// Beside the database: <folder of the database>/audit-signing.key and .../audit-anchors/.
AnchorSettings default_anchor_settings(const std::filesystem::path& database_path);

struct PublicKey {
  std::array<unsigned char, 32> bytes{};
  // SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----"), as openssl reads it.
  std::string pem() const;
  // SHA-256 of the 32 key bytes in lowercase hex: what
  // `openssl pkey -pubin -in key.pem -outform DER | tail -c 32 | sha256sum` prints.
  std::string fingerprint() const;
  std::string base64() const;
  friend bool operator==(const PublicKey&, const PublicKey&) = default;
};

// A key pair; the secret half is wiped when the object goes.
class SigningKey {
 public:
  SigningKey() = default;
  ~SigningKey();
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;
  SigningKey(SigningKey&& other) noexcept;
  SigningKey& operator=(SigningKey&& other) noexcept;

  // The key pair of a 32-byte seed.
  static SigningKey from_seed(const unsigned char* seed);
  const PublicKey& public_key() const { return public_key_; }
  // The detached Ed25519 signature of `message`.
  std::array<unsigned char, 64> sign(std::string_view message) const;

 private:
  PublicKey public_key_;
  std::array<unsigned char, 64> secret_{};  // libsodium's form: seed then public key
};

// The secret key at `path`. When the file does not exist it is created (mode 0600, parent
// folders 0700) atomically, so two processes starting at once end with the same key. A key file
// that others may read is refused.
[[nodiscard]] Result<SigningKey> load_or_create_signing_key(const std::filesystem::path& path);
// The same without creating anything.
[[nodiscard]] Result<SigningKey> load_signing_key(const std::filesystem::path& path);
// A public key from a PEM file: a public key (export-key's output) or a secret key (its public
// half). Errors name the file.
[[nodiscard]] Result<PublicKey> read_public_key(const std::filesystem::path& path);
[[nodiscard]] Result<PublicKey> parse_public_key_pem(std::string_view pem);

struct Checkpoint {
  std::int64_t entry_id = 0;   // the newest entry when the checkpoint was written
  std::string entry_hash;      // its chain hash
  std::string entry_at;        // its time (UTC, as stored)
  std::int64_t entries = 0;    // entries in the log up to it
  std::string written_at;      // when the checkpoint was written (UTC)
  PublicKey public_key;        // the key that signed it
  std::string signature;       // base64 of the 64-byte Ed25519 signature of canonical_text()
  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

// The signed bytes: one "name: value" line per field, in this order, after a format line.
std::string canonical_text(const Checkpoint& checkpoint);
// `checkpoint` with public_key and signature set by `key`.
Checkpoint sign_checkpoint(Checkpoint checkpoint, const SigningKey& key);
// True when the signature is the checkpoint's public key's signature of canonical_text().
bool signature_valid(const Checkpoint& checkpoint);
// The file's content: one JSON object and a newline.
std::string checkpoint_json(const Checkpoint& checkpoint);
// Reads a checkpoint file's content; an error (Japanese) for anything but the exact format.
[[nodiscard]] Result<Checkpoint> parse_checkpoint(std::string_view json);

// The checkpoint files of `dir` (checkpoint-*.json), sorted by name, which is by entry id and
// then time. A missing folder has none.
[[nodiscard]] Result<std::vector<std::filesystem::path>> checkpoint_files(const std::filesystem::path& dir);

struct CheckpointFile {
  std::filesystem::path path;
  Checkpoint checkpoint;
};

// Signs the newest entry of the log into a new checkpoint file (temporary file, then linked
// into place: a reader never sees half a file and no file is ever replaced), unless the log is
// empty or the newest checkpoint already names that entry with that hash (then nullopt). When
// the newest checkpoint's entry is no longer in the database with its hash, the log has been
// rolled back: nothing is written and the error (kConflict) names the checkpoint. Not audited
// (an audit entry would move the head again). The key is created on first use.
[[nodiscard]] Result<std::optional<CheckpointFile>> write_checkpoint_if_moved(db::Database& database,
                                                                          const AnchorSettings& settings,
                                                                          std::chrono::sys_seconds now);

struct AnchorReport {
  std::int64_t checkpoints = 0;      // files examined
  std::optional<Checkpoint> newest;  // the valid checkpoint with the highest entry id
  std::optional<PublicKey> key;      // the key the signatures were checked against
  std::vector<std::string> problems; // Japanese, one line each, naming the file
  bool intact() const { return problems.empty(); }
};

// Checks every checkpoint in `dir`: its format, its key (the `expected` one when given, else one
// and the same key for all), its signature, and that the database still holds the entry it names
// with the same hash. A folder without checkpoints is a problem too. An error only when the folder
// or the database cannot be read.
[[nodiscard]] Result<AnchorReport> verify_anchors(db::Database& database, const std::filesystem::path& dir,
                                                  const std::optional<PublicKey>& expected);

// What the audit screen shows: how many checkpoints, the newest, the public key (when the key
// file exists).
struct AnchorStatus {
  std::int64_t checkpoints = 0;
  std::optional<Checkpoint> newest;
  std::optional<PublicKey> key;
};
[[nodiscard]] Result<AnchorStatus> anchor_status(const AnchorSettings& settings);

// A ZIP at `out` of every checkpoint (checkpoints/…), the public key
// (kakehashi-audit-public-key.pem) and a README in Japanese naming the key's fingerprint, made at
// `now`. An error (kNotFound) while no key exists yet.
[[nodiscard]] Result<void> write_anchor_archive(const AnchorSettings& settings, const std::filesystem::path& out,
                                                std::chrono::sys_seconds now);

}  // namespace kakehashi::audit
