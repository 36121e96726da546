#include "compliance/closeout.h"

#include <sodium.h>

#include <cstring>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "audit/audit.h"
#include "base/date.h"
#include "compliance/store.h"

namespace kakehashi::compliance {
namespace {

std::string base64(const unsigned char* bytes, std::size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, size, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::string> from_base64(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

boost::json::object unsigned_object(const Certificate& c) {
  boost::json::array tables, files;
  for (const auto& t : c.tables) tables.push_back(boost::json::object{{"table", t.table}, {"rows", t.rows}});
  for (const auto& f : c.files) {
    files.push_back(boost::json::object{{"table", f.table}, {"id", f.id}, {"bytes", f.bytes}, {"sha256", f.sha256}});
  }
  return boost::json::object{
      {"format", kCertificateFormat},
      {"run_at", c.run_at},
      {"run_by", c.run_by},
      {"package_confirmation", c.package_confirmation},
      {"deleted_tables", std::move(tables)},
      {"deleted_files", std::move(files)},
      {"roster_sealed_fields", c.sealed_fields},
      {"roster_key", boost::json::object{{"file", c.key_file}, {"key_id", c.key_id}, {"destroyed", c.key_destroyed}}},
      {"audit_head_before", boost::json::object{{"entry_id", c.head_before.entry_id}, {"hash", c.head_before.hash}}},
      {"audit_head_after", boost::json::object{{"entry_id", c.head_after.entry_id}, {"hash", c.head_after.hash}}},
      {"public_key", c.public_key},
  };
}

Result<Certificate> certificate_of(const boost::json::object& o) {
  try {
    Certificate c;
    if (o.at("format").as_string() != kCertificateFormat) return fail(Error::invalid("削除証明書の形式が違います"));
    c.run_at = o.at("run_at").as_string();
    c.run_by = o.at("run_by").as_string();
    c.package_confirmation = o.at("package_confirmation").as_string();
    for (const auto& t : o.at("deleted_tables").as_array()) {
      c.tables.push_back({std::string(t.at("table").as_string()), t.at("rows").as_int64()});
    }
    for (const auto& f : o.at("deleted_files").as_array()) {
      c.files.push_back({std::string(f.at("table").as_string()), f.at("id").as_int64(), f.at("bytes").as_int64(),
                         std::string(f.at("sha256").as_string())});
    }
    c.sealed_fields = o.at("roster_sealed_fields").as_int64();
    const auto& key = o.at("roster_key").as_object();
    c.key_file = key.at("file").as_string();
    c.key_id = key.at("key_id").as_string();
    c.key_destroyed = key.at("destroyed").as_bool();
    c.head_before = {o.at("audit_head_before").at("entry_id").as_int64(),
                     std::string(o.at("audit_head_before").at("hash").as_string())};
    c.head_after = {o.at("audit_head_after").at("entry_id").as_int64(),
                    std::string(o.at("audit_head_after").at("hash").as_string())};
    c.public_key = o.at("public_key").as_string();
    return c;
  } catch (const std::exception&) {
    return fail(Error::invalid("削除証明書の項目が足りないか、形式が正しくありません"));
  }
}

}  // namespace

std::filesystem::path default_closeout_key_path(const std::filesystem::path& database_path) {
  auto parent = database_path.parent_path();
  return (parent.empty() ? std::filesystem::path(".") : parent) / "closeout-signing.key";
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::string sign_certificate(Certificate& certificate, const audit::SigningKey& key) {
  certificate.public_key = key.public_key().base64();
  boost::json::object object = unsigned_object(certificate);
  auto signature = key.sign(boost::json::serialize(object));
  certificate.signature = base64(signature.data(), signature.size());
  object["signature"] = certificate.signature;
  return boost::json::serialize(object);
}

CertificateCheck verify_certificate(std::string_view json, const std::optional<audit::PublicKey>& expected) {
  CertificateCheck check;
  if (sodium_init() < 0) {
    check.problem = "libsodium を初期化できません";
    return check;
  }
  boost::system::error_code ec;
  auto value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) {
    check.problem = "削除証明書が JSON として読めません（改ざんまたは破損）";
    return check;
  }
  boost::json::object object = value.as_object();
  auto* signature = object.if_contains("signature");
  if (!signature || !signature->is_string()) {
    check.problem = "削除証明書に署名がありません";
    return check;
  }
  std::string signature_text(signature->as_string());
  auto signature_bytes = from_base64(signature_text);
  object.erase("signature");  // `signature` dangles from here
  auto certificate = certificate_of(object);
  if (!certificate) {
    check.problem = certificate.error().message;
    return check;
  }
  auto key_bytes = from_base64(certificate->public_key);
  if (!key_bytes || key_bytes->size() != crypto_sign_PUBLICKEYBYTES || !signature_bytes ||
      signature_bytes->size() != crypto_sign_BYTES) {
    check.problem = "削除証明書の公開鍵または署名の形式が正しくありません";
    return check;
  }
  if (expected && std::memcmp(expected->bytes.data(), key_bytes->data(), 32) != 0) {
    check.problem = "削除証明書の署名鍵が、届け出た公開鍵と一致しません";
    return check;
  }
  std::string message = boost::json::serialize(object);
  if (crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature_bytes->data()),
                                  reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                  reinterpret_cast<const unsigned char*>(key_bytes->data())) != 0) {
    check.problem = "削除証明書の署名が一致しません（内容が改ざんされています）";
    return check;
  }
  certificate->signature = signature_text;
  check.valid = true;
  check.certificate = std::move(*certificate);
  return check;
}

std::string certificate_markdown(const Certificate& c) {
  auto when = parse_iso_utc(c.run_at);
  std::string at = when ? tokyo_datetime_japanese(*when) : c.run_at;
  std::string md = "# 情報の削除証明書\n\n";
  md += fmt::format("本証明書は、本事業で取り扱った保護すべき情報を {} に削除したことを証明します（仕様書 9. 及び別記 8)）。\n\n", at);
  md += fmt::format("- 実施者: {}\n- 納品物の確認: {}\n- 名簿の暗号化鍵: 鍵 ID {}（{}）\n- 名簿の暗号化項目: {} 件\n",
                    c.run_by, c.package_confirmation, c.key_id, c.key_destroyed ? "破棄済み" : "未破棄",
                    c.sealed_fields);
  md += fmt::format("- 監査ログの先頭（削除前）: #{} {}\n- 監査ログの先頭（削除後）: #{} {}\n\n", c.head_before.entry_id,
                    c.head_before.hash, c.head_after.entry_id, c.head_after.hash);
  md += "## 削除した表\n\n| 表 | 行数 |\n|---|---:|\n";
  for (const auto& t : c.tables) md += fmt::format("| {} | {} |\n", t.table, t.rows);
  md += "\nTable: 削除した表と行数\n\n## 削除したファイル\n\n";
  if (c.files.empty()) {
    md += "削除したファイルはありません。\n\n";
  } else {
    md += "| 表 | ID | バイト数 | SHA-256 |\n|---|---:|---:|---|\n";
    for (const auto& f : c.files) md += fmt::format("| {} | {} | {} | {} |\n", f.table, f.id, f.bytes, f.sha256);
    md += "\nTable: 削除したファイルのハッシュ値\n\n";
  }
  md += "## 署名\n\n";
  md += fmt::format("Ed25519 公開鍵（base64）: {}\n\n署名（base64）: {}\n\n", c.public_key, c.signature);
  md += "JSON 版の証明書を `kakehashi close-out verify 証明書.json --public-key 公開鍵.pem` で検証できます。\n";
  return md;
}

Result<std::int64_t> shred_roster_fields(db::Transaction& tx) { return store::clear_sealed(tx); }

Result<AuditHead> audit_head(db::Transaction& tx) {
  auto newest = audit::recent(tx, 1, 0);
  if (!newest) return fail(newest.error());
  if (newest->empty()) return AuditHead{};
  return AuditHead{newest->front().id, newest->front().hash};
}

Result<void> record_closeout(db::Transaction& tx, const Certificate& certificate, const std::string& json, Instant now) {
  auto id = store::insert_closeout(tx, certificate.run_by, certificate.package_confirmation, json, now);
  if (!id) return fail(id.error());
  return {};
}

Result<std::vector<RosterVersion>> all_versions(db::Transaction& tx) { return store::versions(tx); }

}  // namespace kakehashi::compliance
