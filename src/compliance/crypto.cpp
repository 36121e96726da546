#include "compliance/crypto.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>
#include <stdexcept>

#include <fmt/format.h>

namespace kakehashi::compliance {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kMagic = "KK1";
constexpr std::string_view kFileHeader = "kakehashi-roster-key v1\n";
constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium could not be initialised");
}

std::mutex& key_mutex() {
  static std::mutex m;
  return m;
}
fs::path& configured_path() {
  static fs::path path = "roster.key";
  return path;
}
std::optional<FieldKey>& loaded_key() {
  static std::optional<FieldKey> key;
  return key;
}

Result<void> ensure_private_dir(const fs::path& dir) {
  std::error_code ec;
  if (dir.empty() || fs::is_directory(dir, ec)) return {};
  fs::create_directories(dir, ec);
  if (ec) return fail(Error::unavailable(fmt::format("鍵のフォルダを作成できません: {}", dir.string())));
  fs::permissions(dir, fs::perms::owner_all, ec);
  return {};
}

}  // namespace

FieldKey::~FieldKey() { sodium_memzero(key_.data(), key_.size()); }
FieldKey::FieldKey(FieldKey&& other) noexcept : key_(other.key_), id_(other.id_) {
  sodium_memzero(other.key_.data(), other.key_.size());
}
FieldKey& FieldKey::operator=(FieldKey&& other) noexcept {
  key_ = other.key_;
  id_ = other.id_;
  sodium_memzero(other.key_.data(), other.key_.size());
  return *this;
}

void FieldKey::derive_id() {
  crypto_generichash(id_.data(), id_.size(), key_.data(), key_.size(),
                     reinterpret_cast<const unsigned char*>("kakehashi-roster-key-id"), 23);
}

FieldKey FieldKey::generate() {
  ensure_sodium();
  FieldKey key;
  crypto_aead_xchacha20poly1305_ietf_keygen(key.key_.data());
  key.derive_id();
  return key;
}

std::string FieldKey::id_hex() const {
  std::string out(id_.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), id_.data(), id_.size());
  out.pop_back();
  return out;
}

std::string FieldKey::seal(std::string_view field, std::string_view plaintext) const {
  ensure_sodium();
  std::string out;
  out.resize(kMagic.size() + id_.size() + kNonce + plaintext.size() + kTag);
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  std::memcpy(bytes, kMagic.data(), kMagic.size());
  std::memcpy(bytes + kMagic.size(), id_.data(), id_.size());
  unsigned char* nonce = bytes + kMagic.size() + id_.size();
  randombytes_buf(nonce, kNonce);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + kNonce, &written,
                                             reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                                             reinterpret_cast<const unsigned char*>(field.data()), field.size(), nullptr,
                                             nonce, key_.data());
  out.resize(kMagic.size() + id_.size() + kNonce + written);
  return out;
}

Result<std::string> FieldKey::open(std::string_view field, std::string_view sealed) const {
  std::size_t head = kMagic.size() + id_.size() + kNonce;
  if (sealed.size() < head + kTag || sealed.substr(0, kMagic.size()) != kMagic) {
    return fail(Error::internal("暗号化された項目の形式が正しくありません"));
  }
  if (std::memcmp(sealed.data() + kMagic.size(), id_.data(), id_.size()) != 0) {
    return fail(Error::unavailable("暗号化された項目が別の鍵で暗号化されています（鍵ファイルを確認してください）"));
  }
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data() + kMagic.size() + id_.size());
  std::string out(sealed.size() - head - kTag, '\0');
  unsigned long long length = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out.data()), &length, nullptr,
                                                 nonce + kNonce, sealed.size() - head,
                                                 reinterpret_cast<const unsigned char*>(field.data()), field.size(),
                                                 nonce, key_.data()) != 0) {
    return fail(Error::internal("暗号化された項目を復号できません（改ざんまたは項目の取り違え）"));
  }
  out.resize(length);
  return out;
}

std::string FieldKey::file_text() const {
  std::string b64(sodium_base64_ENCODED_LEN(key_.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), key_.data(), key_.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.resize(std::strlen(b64.c_str()));
  return std::string(kFileHeader) + b64 + "\n";
}

Result<FieldKey> FieldKey::parse(std::string_view text) {
  ensure_sodium();
  if (!text.starts_with(kFileHeader)) return fail(Error::invalid("名簿の鍵ファイルの形式が正しくありません"));
  std::string_view body = text.substr(kFileHeader.size());
  FieldKey key;
  std::size_t length = 0;
  if (sodium_base642bin(key.key_.data(), key.key_.size(), body.data(), body.size(), " \r\n", &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      length != key.key_.size()) {
    return fail(Error::invalid("名簿の鍵ファイルの形式が正しくありません"));
  }
  key.derive_id();
  return key;
}

Result<FieldKey> load_field_key(const fs::path& path) {
  struct stat info{};
  if (::stat(path.c_str(), &info) != 0) {
    return fail(Error::unavailable(fmt::format("名簿の鍵ファイルがありません: {}", path.string())));
  }
  if ((info.st_mode & 077) != 0) {
    return fail(Error::unavailable(
        fmt::format("名簿の鍵ファイルを所有者以外も読めます（chmod 600 {} を実行してください）", path.string())));
  }
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto key = FieldKey::parse(text);
  sodium_memzero(text.data(), text.size());
  if (!key) return fail(Error::unavailable(fmt::format("{}: {}", key.error().message, path.string())));
  return key;
}

Result<void> write_field_key(const FieldKey& key, const fs::path& path) {
  fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (auto made = ensure_private_dir(dir); !made) return made;
  fs::path temporary = path;
  temporary += ".new";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return fail(Error::unavailable(fmt::format("名簿の鍵ファイルを書けません: {}", path.string())));
  std::string text = key.file_text();
  bool ok = ::write(fd, text.data(), text.size()) == ssize_t(text.size()) && ::fsync(fd) == 0;
  sodium_memzero(text.data(), text.size());
  ::close(fd);
  std::error_code ec;
  if (ok) fs::rename(temporary, path, ec);
  if (!ok || ec) {
    fs::remove(temporary, ec);
    return fail(Error::unavailable(fmt::format("名簿の鍵ファイルを書けません: {}", path.string())));
  }
  return {};
}

Result<FieldKey> load_or_create_field_key(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    if (auto made = ensure_private_dir(dir); !made) return fail(made.error());
    FieldKey key = FieldKey::generate();
    // O_EXCL: when two processes start at once, the first file wins and both read it.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
      std::string text = key.file_text();
      bool ok = ::write(fd, text.data(), text.size()) == ssize_t(text.size()) && ::fsync(fd) == 0;
      sodium_memzero(text.data(), text.size());
      ::close(fd);
      if (!ok) return fail(Error::unavailable(fmt::format("名簿の鍵ファイルを書けません: {}", path.string())));
    } else if (errno != EEXIST) {
      return fail(Error::unavailable(fmt::format("名簿の鍵ファイルを作成できません: {}", path.string())));
    }
  }
  return load_field_key(path);
}

Result<void> destroy_field_key(const fs::path& path) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) return fail(Error::unavailable(fmt::format("名簿の鍵ファイルがありません: {}", path.string())));
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd >= 0) {
    std::string zeros(size, '\0');
    bool ok = ::write(fd, zeros.data(), zeros.size()) == ssize_t(zeros.size());
    ok = ::fsync(fd) == 0 && ok;
    ::close(fd);
    if (!ok) return fail(Error::unavailable("名簿の鍵ファイルを上書きできません"));
  }
  fs::remove(path, ec);
  if (ec) return fail(Error::unavailable(fmt::format("名簿の鍵ファイルを削除できません: {}", path.string())));
  forget_field_key();
  return {};
}

void configure_field_key(const fs::path& path) {
  std::lock_guard lock(key_mutex());
  configured_path() = path;
  loaded_key().reset();
}

fs::path field_key_path() {
  std::lock_guard lock(key_mutex());
  return configured_path();
}

fs::path default_field_key_path(const fs::path& database_path) {
  fs::path parent = database_path.parent_path();
  return (parent.empty() ? fs::path(".") : parent) / "roster.key";
}

Result<const FieldKey*> field_key() {
  std::lock_guard lock(key_mutex());
  if (!loaded_key()) {
    auto key = load_or_create_field_key(configured_path());
    if (!key) return fail(key.error());
    loaded_key().emplace(std::move(*key));
  }
  return &*loaded_key();
}

void forget_field_key() {
  std::lock_guard lock(key_mutex());
  loaded_key().reset();
}

}  // namespace kakehashi::compliance
