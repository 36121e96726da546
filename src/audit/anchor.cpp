#include "audit/anchor.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "audit/store.h"
#include "base/date.h"

namespace kakehashi::audit {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kFormat = "kakehashi-audit-checkpoint v1";
constexpr std::string_view kFilePrefix = "checkpoint-";
constexpr std::string_view kFileSuffix = ".json";

// DER prefixes of an Ed25519 key (RFC 8410): PKCS#8 PrivateKeyInfo before the 32-byte seed, and
// SubjectPublicKeyInfo before the 32-byte public key.
constexpr unsigned char kPrivatePrefix[] = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06,
                                            0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
constexpr unsigned char kPublicPrefix[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                           0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium could not be initialised");
}

std::string to_base64(const unsigned char* bytes, size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, size, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

// Standard base64 (with padding; line breaks and spaces ignored), or nullopt.
std::optional<std::string> from_base64(std::string_view text) {
  std::string out(text.size(), '\0');
  size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(),
                        " \r\n", &length, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

std::string pem_block(std::string_view label, const std::string& der) {
  std::string body = to_base64(reinterpret_cast<const unsigned char*>(der.data()), der.size());
  std::string out = fmt::format("-----BEGIN {}-----\n", label);
  for (size_t i = 0; i < body.size(); i += 64) out += body.substr(i, 64) + "\n";
  out += fmt::format("-----END {}-----\n", label);
  return out;
}

// The DER inside the first PEM block labelled `label`, or nullopt.
std::optional<std::string> pem_body(std::string_view text, std::string_view label) {
  std::string begin = fmt::format("-----BEGIN {}-----", label);
  std::string end = fmt::format("-----END {}-----", label);
  size_t start = text.find(begin);
  if (start == std::string_view::npos) return std::nullopt;
  start += begin.size();
  size_t stop = text.find(end, start);
  if (stop == std::string_view::npos) return std::nullopt;
  return from_base64(text.substr(start, stop - start));
}

bool has_prefix(const std::string& der, const unsigned char* prefix, size_t prefix_size, size_t total) {
  return der.size() == total && std::memcmp(der.data(), prefix, prefix_size) == 0;
}

Result<std::string> read_file(const fs::path& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error::not_found(fmt::format("{}を開けません: {}", what, path.string())));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return fail(Error::unavailable(fmt::format("{}を読めません: {}", what, path.string())));
  return bytes.str();
}

// A folder only its owner may enter, made with its parents when missing.
Result<void> ensure_private_dir(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return {};
  if (dir.has_parent_path()) fs::create_directories(dir.parent_path(), ec);
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return fail(Error::unavailable(fmt::format("フォルダを作成できません: {}（{}）", dir.string(), std::strerror(errno))));
  }
  return {};
}

void sync_dir(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    (void)::fsync(fd);
    ::close(fd);
  }
}

// Writes `content` to dir/name through a temporary file in `dir` (mode 0600) that is then linked
// into place: the name appears only with the whole content, and an existing file is never
// replaced. Returns false (and writes nothing) when the name exists already.
Result<bool> write_new_file(const fs::path& dir, const std::string& name, std::string_view content) {
  std::string pattern = (dir / ".tmp-XXXXXX").string();
  int fd = ::mkstemp(pattern.data());
  if (fd < 0) {
    return fail(Error::unavailable(fmt::format("一時ファイルを作成できません: {}（{}）", dir.string(), std::strerror(errno))));
  }
  fs::path temporary = pattern;
  auto cleanup = [&] {
    std::error_code ignored;
    fs::remove(temporary, ignored);
  };
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int saved = errno;
      ::close(fd);
      cleanup();
      return fail(Error::unavailable(fmt::format("ファイルを書き込めません: {}（{}）", temporary.string(), std::strerror(saved))));
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    cleanup();
    return fail(Error::unavailable(fmt::format("ファイルを書き込めません: {}", temporary.string())));
  }
  fs::path target = dir / name;
  if (::link(temporary.c_str(), target.c_str()) != 0) {
    int saved = errno;
    cleanup();
    if (saved == EEXIST) return false;
    return fail(Error::unavailable(fmt::format("ファイルを作成できません: {}（{}）", target.string(), std::strerror(saved))));
  }
  cleanup();
  sync_dir(dir);
  return true;
}

std::string private_key_pem(const unsigned char* seed) {
  std::string der(reinterpret_cast<const char*>(kPrivatePrefix), sizeof kPrivatePrefix);
  der.append(reinterpret_cast<const char*>(seed), 32);
  return pem_block("PRIVATE KEY", der);
}

Result<SigningKey> parse_signing_key(const std::string& text, const fs::path& path) {
  auto der = pem_body(text, "PRIVATE KEY");
  if (!der || !has_prefix(*der, kPrivatePrefix, sizeof kPrivatePrefix, sizeof kPrivatePrefix + 32)) {
    return fail(Error::invalid(fmt::format("署名鍵の形式が正しくありません（Ed25519 の PKCS#8 PEM ではありません）: {}",
                                           path.string())));
  }
  SigningKey key = SigningKey::from_seed(reinterpret_cast<const unsigned char*>(der->data()) + sizeof kPrivatePrefix);
  sodium_memzero(der->data(), der->size());
  return key;
}

std::string compact_time(std::string_view iso) {
  std::string out;
  for (char c : iso) {
    if (c != '-' && c != ':') out += c;
  }
  return out;
}

std::string file_name(const Checkpoint& checkpoint) {
  return fmt::format("{}{:012}-{}{}", kFilePrefix, checkpoint.entry_id, compact_time(checkpoint.written_at),
                     kFileSuffix);
}

bool is_hex64(std::string_view text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

Result<Checkpoint> read_checkpoint(const fs::path& path) {
  auto text = read_file(path, "チェックポイント");
  if (!text) return fail(text.error());
  return parse_checkpoint(*text);
}

}  // namespace

AnchorSettings default_anchor_settings(const fs::path& database_path) {
  fs::path dir = database_path.parent_path();
  if (dir.empty()) dir = ".";
  return {dir / "audit-signing.key", dir / "audit-anchors"};
}

std::string PublicKey::pem() const {
  std::string der(reinterpret_cast<const char*>(kPublicPrefix), sizeof kPublicPrefix);
  der.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return pem_block("PUBLIC KEY", der);
}

std::string PublicKey::fingerprint() const {
  ensure_sodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, bytes.data(), bytes.size());
  std::string hex(crypto_hash_sha256_BYTES * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest, sizeof digest);
  hex.pop_back();
  return hex;
}

std::string PublicKey::base64() const { return to_base64(bytes.data(), bytes.size()); }

SigningKey::~SigningKey() { sodium_memzero(secret_.data(), secret_.size()); }

SigningKey::SigningKey(SigningKey&& other) noexcept : public_key_(other.public_key_), secret_(other.secret_) {
  sodium_memzero(other.secret_.data(), other.secret_.size());
}

SigningKey& SigningKey::operator=(SigningKey&& other) noexcept {
  if (this != &other) {
    public_key_ = other.public_key_;
    secret_ = other.secret_;
    sodium_memzero(other.secret_.data(), other.secret_.size());
  }
  return *this;
}

SigningKey SigningKey::from_seed(const unsigned char* seed) {
  ensure_sodium();
  SigningKey key;
  crypto_sign_seed_keypair(key.public_key_.bytes.data(), key.secret_.data(), seed);
  return key;
}

std::array<unsigned char, 64> SigningKey::sign(std::string_view message) const {
  std::array<unsigned char, 64> signature{};
  crypto_sign_detached(signature.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), secret_.data());
  return signature;
}

Result<SigningKey> load_signing_key(const fs::path& path) {
  struct stat info{};
  if (::stat(path.c_str(), &info) != 0) {
    return fail(Error::not_found(fmt::format("署名鍵がありません: {}", path.string())));
  }
  if ((info.st_mode & 077) != 0) {
    return fail(Error::denied(fmt::format("署名鍵のファイルを所有者以外も読み書きできます。chmod 600 {} を実行してください",
                                          path.string())));
  }
  auto text = read_file(path, "署名鍵");
  if (!text) return fail(text.error());
  auto key = parse_signing_key(*text, path);
  sodium_memzero(text->data(), text->size());
  return key;
}

Result<SigningKey> load_or_create_signing_key(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    ensure_sodium();
    fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    if (auto made = ensure_private_dir(dir); !made) return fail(made.error());
    unsigned char seed[32];
    randombytes_buf(seed, sizeof seed);
    std::string text = private_key_pem(seed);
    sodium_memzero(seed, sizeof seed);
    auto created = write_new_file(dir, path.filename().string(), text);
    sodium_memzero(text.data(), text.size());
    if (!created) return fail(created.error());
    // When another process created it first (*created is false), its key is the one.
  }
  return load_signing_key(path);
}

Result<PublicKey> parse_public_key_pem(std::string_view text) {
  PublicKey key;
  if (auto der = pem_body(text, "PUBLIC KEY")) {
    if (!has_prefix(*der, kPublicPrefix, sizeof kPublicPrefix, sizeof kPublicPrefix + 32)) {
      return fail(Error::invalid("公開鍵が Ed25519 の鍵ではありません"));
    }
    std::memcpy(key.bytes.data(), der->data() + sizeof kPublicPrefix, 32);
    return key;
  }
  if (pem_body(text, "PRIVATE KEY")) {
    auto secret = parse_signing_key(std::string(text), "");
    if (!secret) return fail(Error::invalid("秘密鍵が Ed25519 の鍵ではありません"));
    return secret->public_key();
  }
  return fail(Error::invalid("公開鍵の形式が正しくありません（PEM の PUBLIC KEY ではありません）"));
}

Result<PublicKey> read_public_key(const fs::path& path) {
  auto text = read_file(path, "公開鍵のファイル");
  if (!text) return fail(Error::invalid(text.error().message));
  auto key = parse_public_key_pem(*text);
  if (!key) return fail(Error::invalid(fmt::format("{}: {}", key.error().message, path.string())));
  return key;
}

std::string canonical_text(const Checkpoint& c) {
  return fmt::format(
      "{}\nentry_id: {}\nentry_hash: {}\nentry_at: {}\nentries: {}\nwritten_at: {}\npublic_key: {}\n", kFormat,
      c.entry_id, c.entry_hash, c.entry_at, c.entries, c.written_at, c.public_key.base64());
}

Checkpoint sign_checkpoint(Checkpoint checkpoint, const SigningKey& key) {
  checkpoint.public_key = key.public_key();
  auto signature = key.sign(canonical_text(checkpoint));
  checkpoint.signature = to_base64(signature.data(), signature.size());
  return checkpoint;
}

bool signature_valid(const Checkpoint& checkpoint) {
  ensure_sodium();
  auto signature = from_base64(checkpoint.signature);
  if (!signature || signature->size() != crypto_sign_BYTES) return false;
  std::string message = canonical_text(checkpoint);
  return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature->data()),
                                     reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                     checkpoint.public_key.bytes.data()) == 0;
}

std::string checkpoint_json(const Checkpoint& c) {
  boost::json::object object;
  object["format"] = kFormat;
  object["entry_id"] = c.entry_id;
  object["entry_hash"] = c.entry_hash;
  object["entry_at"] = c.entry_at;
  object["entries"] = c.entries;
  object["written_at"] = c.written_at;
  object["public_key"] = c.public_key.base64();
  object["signature"] = c.signature;
  return boost::json::serialize(object) + "\n";
}

Result<Checkpoint> parse_checkpoint(std::string_view json) {
  auto invalid = [](std::string_view why) { return fail(Error::invalid(fmt::format("形式が正しくありません（{}）", why))); };
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) return invalid("JSON のオブジェクトではありません");
  const auto& object = value.as_object();
  if (object.size() != 8) return invalid("項目の数が違います");
  auto text = [&](std::string_view key) -> const boost::json::string* {
    const auto* field = object.if_contains(key);
    return field && field->is_string() ? &field->as_string() : nullptr;
  };
  auto integer = [&](std::string_view key) -> std::optional<std::int64_t> {
    const auto* field = object.if_contains(key);
    if (!field || !field->is_int64()) return std::nullopt;
    return field->as_int64();
  };
  const auto* format = text("format");
  if (!format || *format != kFormat) return invalid("format");
  Checkpoint c;
  auto entry_id = integer("entry_id");
  auto entries = integer("entries");
  if (!entry_id || *entry_id < 1) return invalid("entry_id");
  if (!entries || *entries < 0) return invalid("entries");
  c.entry_id = *entry_id;
  c.entries = *entries;
  const auto* hash = text("entry_hash");
  if (!hash || !is_hex64(*hash)) return invalid("entry_hash");
  c.entry_hash = std::string(*hash);
  for (auto [key, target] : {std::pair{"entry_at", &c.entry_at}, std::pair{"written_at", &c.written_at}}) {
    const auto* at = text(key);
    if (!at || !parse_iso_utc(*at)) return invalid(key);
    *target = std::string(*at);
  }
  const auto* key = text("public_key");
  auto key_bytes = key ? from_base64(*key) : std::nullopt;
  if (!key_bytes || key_bytes->size() != c.public_key.bytes.size()) return invalid("public_key");
  std::memcpy(c.public_key.bytes.data(), key_bytes->data(), c.public_key.bytes.size());
  const auto* signature = text("signature");
  auto signature_bytes = signature ? from_base64(*signature) : std::nullopt;
  if (!signature_bytes || signature_bytes->size() != crypto_sign_BYTES) return invalid("signature");
  c.signature = std::string(*signature);
  return c;
}

Result<std::vector<fs::path>> checkpoint_files(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.starts_with(kFilePrefix) && name.ends_with(kFileSuffix) && it->is_regular_file()) {
      files.push_back(it->path());
    }
  }
  if (ec) {
    return fail(Error::unavailable(fmt::format("チェックポイントのフォルダを読めません: {}（{}）", dir.string(), ec.message())));
  }
  std::sort(files.begin(), files.end());
  return files;
}

Result<std::optional<CheckpointFile>> write_checkpoint_if_moved(db::Database& database, const AnchorSettings& settings,
                                                                std::chrono::sys_seconds now) {
  auto files = checkpoint_files(settings.anchors_dir);
  if (!files) return fail(files.error());
  std::optional<CheckpointFile> last;
  if (!files->empty()) {
    auto checkpoint = read_checkpoint(files->back());
    if (!checkpoint) {
      return fail(Error::conflict(fmt::format("チェックポイント {} を読み取れません: {}",
                                              files->back().filename().string(), checkpoint.error().message)));
    }
    last = CheckpointFile{files->back(), std::move(*checkpoint)};
  }

  Checkpoint next;
  {
    auto tx = database.begin(db::TxMode::kRead);
    if (!tx) return fail(tx.error());
    if (last) {
      auto kept = store::find(**tx, last->checkpoint.entry_id);
      if (!kept) return fail(kept.error());
      if (!*kept || (*kept)->hash != last->checkpoint.entry_hash) {
        return fail(Error::conflict(fmt::format(
            "監査ログがチェックポイント {}（監査ログ #{}）より前に巻き戻されています。チェックポイントは書き込みません",
            last->path.filename().string(), last->checkpoint.entry_id)));
      }
    }
    auto head = store::newest(**tx);
    if (!head) return fail(head.error());
    if (!*head) return std::optional<CheckpointFile>{};
    if (last && last->checkpoint.entry_id == (*head)->id && last->checkpoint.entry_hash == (*head)->hash) {
      return std::optional<CheckpointFile>{};
    }
    auto entries = store::count_up_to(**tx, (*head)->id);
    if (!entries) return fail(entries.error());
    next.entry_id = (*head)->id;
    next.entry_hash = (*head)->hash;
    next.entry_at = (*head)->at;
    next.entries = *entries;
    next.written_at = iso_utc(now);
  }

  auto key = load_or_create_signing_key(settings.key_file);
  if (!key) return fail(key.error());
  Checkpoint signed_checkpoint = sign_checkpoint(std::move(next), *key);
  if (auto made = ensure_private_dir(settings.anchors_dir); !made) return fail(made.error());
  std::string name = file_name(signed_checkpoint);
  std::string content = checkpoint_json(signed_checkpoint);
  auto created = write_new_file(settings.anchors_dir, name, content);
  if (!created) return fail(created.error());
  if (!*created) {
    // Another process wrote this checkpoint in the same second: Ed25519 signatures are
    // deterministic, so the same head and key give the same file.
    auto existing = read_file(settings.anchors_dir / name, "チェックポイント");
    if (!existing || *existing != content) {
      return fail(Error::conflict(fmt::format("チェックポイント {} が別の内容で既にあります", name)));
    }
  }
  return std::optional<CheckpointFile>{CheckpointFile{settings.anchors_dir / name, std::move(signed_checkpoint)}};
}

Result<AnchorReport> verify_anchors(db::Database& database, const fs::path& dir, const std::optional<PublicKey>& expected) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return fail(Error::invalid(fmt::format("チェックポイントのフォルダがありません: {}", dir.string())));
  }
  auto files = checkpoint_files(dir);
  if (!files) return fail(files.error());
  AnchorReport report;
  report.key = expected;
  if (files->empty()) {
    report.problems.push_back(fmt::format("チェックポイントのフォルダ {} にチェックポイントがありません", dir.string()));
    return report;
  }
  auto tx = database.begin(db::TxMode::kRead);
  if (!tx) return fail(tx.error());
  for (const fs::path& path : *files) {
    ++report.checkpoints;
    std::string name = path.filename().string();
    auto checkpoint = read_checkpoint(path);
    if (!checkpoint) {
      report.problems.push_back(fmt::format("チェックポイント {} を読み取れません: {}", name, checkpoint.error().message));
      continue;
    }
    const Checkpoint& c = *checkpoint;
    if (!report.key) report.key = c.public_key;
    if (c.public_key != *report.key) {
      report.problems.push_back(fmt::format("チェックポイント {} は{}とは別の鍵（指紋 {}）で署名されています", name,
                                            expected ? "指定の公開鍵" : "他のチェックポイント",
                                            c.public_key.fingerprint()));
      continue;
    }
    if (!signature_valid(c)) {
      report.problems.push_back(
          fmt::format("チェックポイント {} の署名が一致しません（署名の後に書き換えられています）", name));
      continue;
    }
    auto stored = store::find(**tx, c.entry_id);
    if (!stored) return fail(stored.error());
    auto when = parse_iso_utc(c.entry_at);
    std::string at = when ? tokyo_datetime(*when) : c.entry_at;
    if (!*stored) {
      report.problems.push_back(fmt::format(
          "チェックポイント {} が記録した監査ログ #{}（{}）がデータベースにありません。"
          "監査ログがこのチェックポイントより前に巻き戻されています",
          name, c.entry_id, at));
      continue;
    }
    if ((*stored)->hash != c.entry_hash) {
      report.problems.push_back(fmt::format(
          "チェックポイント {} が記録した監査ログ #{}（{}）のハッシュがデータベースと一致しません。"
          "監査ログがこのチェックポイントの後に書き換えられています",
          name, c.entry_id, at));
      continue;
    }
    if (!report.newest || c.entry_id >= report.newest->entry_id) report.newest = c;
  }
  return report;
}

Result<AnchorStatus> anchor_status(const AnchorSettings& settings) {
  AnchorStatus status;
  auto files = checkpoint_files(settings.anchors_dir);
  if (!files) return fail(files.error());
  status.checkpoints = static_cast<std::int64_t>(files->size());
  if (!files->empty()) {
    if (auto checkpoint = read_checkpoint(files->back())) status.newest = std::move(*checkpoint);
  }
  if (auto key = load_signing_key(settings.key_file)) status.key = key->public_key();
  return status;
}

Result<void> write_anchor_archive(const AnchorSettings& settings, const fs::path& out, std::chrono::sys_seconds now) {
  auto key = load_signing_key(settings.key_file);
  if (!key) return fail(key.error());
  auto files = checkpoint_files(settings.anchors_dir);
  if (!files) return fail(files.error());
  std::optional<Checkpoint> newest;
  if (!files->empty()) {
    if (auto checkpoint = read_checkpoint(files->back())) newest = std::move(*checkpoint);
  }
  std::string public_pem = key->public_key().pem();
  std::string readme = fmt::format(
      "架け橋 Kakehashi 監査ログのチェックポイント\r\n"
      "\r\n"
      "作成日時（日本時間）: {}\r\n"
      "公開鍵の指紋（SHA-256）: {}\r\n"
      "チェックポイント: {} 件{}\r\n"
      "\r\n"
      "kakehashi-audit-public-key.pem  署名の検証に使う公開鍵（Ed25519、PEM）\r\n"
      "checkpoints/                    チェックポイント（1 件 1 ファイル、JSON）\r\n"
      "\r\n"
      "各チェックポイントは、その時点の監査ログの最新エントリの番号とハッシュに、上の鍵で\r\n"
      "署名したものです。受け取ったチェックポイントは削除せずに保管してください。\r\n"
      "検証の手順は「監査ログ 運用ガイド」（docs/user-guide/audit.md）にあります。\r\n",
      tokyo_datetime(now), key->public_key().fingerprint(), files->size(),
      newest ? fmt::format("（最新: 監査ログ #{}、{} 作成）", newest->entry_id,
                           parse_iso_utc(newest->written_at) ? tokyo_datetime(*parse_iso_utc(newest->written_at))
                                                             : newest->written_at)
             : std::string());

  int error = 0;
  zip_t* archive = zip_open(out.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (!archive) return fail(Error::unavailable(fmt::format("ZIP を作成できません: {}", out.string())));
  auto add = [&](const std::string& name, zip_source_t* source) {
    if (!source) return false;
    if (zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8) < 0) {
      zip_source_free(source);
      return false;
    }
    return true;
  };
  bool ok = add("README.txt", zip_source_buffer(archive, readme.data(), readme.size(), 0)) &&
            add("kakehashi-audit-public-key.pem", zip_source_buffer(archive, public_pem.data(), public_pem.size(), 0)) &&
            zip_dir_add(archive, "checkpoints", ZIP_FL_ENC_UTF_8) >= 0;
  for (size_t i = 0; ok && i < files->size(); ++i) {
    const fs::path& path = (*files)[i];
    ok = add("checkpoints/" + path.filename().string(), zip_source_file(archive, path.c_str(), 0, -1));
  }
  if (!ok) {
    std::string message = zip_strerror(archive);
    zip_discard(archive);
    return fail(Error::unavailable(fmt::format("ZIP を作成できません: {}", message)));
  }
  if (zip_close(archive) != 0) {
    std::string message = zip_strerror(archive);
    zip_discard(archive);
    return fail(Error::unavailable(fmt::format("ZIP を作成できません: {}", message)));
  }
  return {};
}

}  // namespace kakehashi::audit
