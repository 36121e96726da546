#include "audit/audit.h"

#include "base/date.h"

#include <fmt/format.h>
#include <openssl/evp.h>

namespace kakehashi::audit {
namespace {

constexpr const char* kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

std::string sha256_hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

// Length-prefixed fields, so no choice of field contents can make two entries serialise alike.
void append_field(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}

StoredEntry from_row(const db::Row& row) {
  StoredEntry stored;
  stored.id = row.integer(0);
  stored.at = row.text(1);
  stored.entry.actor_user_id = row.optional_integer(2);
  stored.entry.actor = row.text(3);
  stored.entry.action = row.text(4);
  stored.entry.object = row.text(5);
  stored.entry.detail = row.text(6);
  stored.prev_hash = row.text(7);
  stored.hash = row.text(8);
  return stored;
}

constexpr std::string_view kColumns =
    "id, at, actor_user_id, actor, action, object, detail, prev_hash, hash";

}  // namespace

std::string chain_hash(const std::string& prev_hash, std::int64_t id, const std::string& at, const Entry& entry) {
  std::string data;
  append_field(data, prev_hash);
  append_field(data, std::to_string(id));
  append_field(data, at);
  append_field(data, entry.actor_user_id ? std::to_string(*entry.actor_user_id) : "");
  append_field(data, entry.actor);
  append_field(data, entry.action);
  append_field(data, entry.object);
  append_field(data, entry.detail);
  return sha256_hex(data);
}

Result<std::int64_t> record(db::Transaction& tx, const Entry& entry, std::chrono::sys_seconds at) {
  auto head = tx.query_one("SELECT last_id, last_hash FROM audit_head WHERE singleton = 1");
  if (!head) return fail(head.error());
  std::int64_t id = *head ? (*head)->integer(0) + 1 : 1;
  std::string prev_hash = *head ? (*head)->text(1) : kGenesis;
  std::string when = iso_utc(at);
  std::string hash = chain_hash(prev_hash, id, when, entry);
  auto inserted = tx.exec(
      "INSERT INTO audit_log (id, at, actor_user_id, actor, action, object, detail, prev_hash, hash)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {id, when, db::nullable(entry.actor_user_id), entry.actor, entry.action, entry.object,
       entry.detail, prev_hash, hash});
  if (!inserted) return fail(inserted.error());
  auto moved = tx.exec(
      "INSERT INTO audit_head (singleton, last_id, last_hash) VALUES (1, ?, ?)"
      " ON CONFLICT (singleton) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash",
      {id, hash});
  if (!moved) return fail(moved.error());
  return id;
}

Entry by_user(std::int64_t user_id, std::string action, std::string object, std::string detail) {
  return {user_id, fmt::format("user:{}", user_id), std::move(action), std::move(object), std::move(detail)};
}

Result<void> append(db::Database& database, const Entry& entry, std::chrono::sys_seconds at) {
  return database.write([&](db::Transaction& tx) -> Result<void> {
    auto id = record(tx, entry, at);
    if (!id) return fail(id.error());
    return {};
  });
}

Result<VerifyReport> verify(db::Database& database) {
  auto tx = database.begin(db::TxMode::kRead);
  if (!tx) return fail(tx.error());
  auto rows = (*tx)->query(fmt::format("SELECT {} FROM audit_log ORDER BY id", kColumns));
  if (!rows) return fail(rows.error());
  VerifyReport report;
  auto broken = [&](std::int64_t id, std::string problem) {
    report.intact = false;
    report.first_bad_id = id;
    report.problem = std::move(problem);
    return report;
  };
  std::string prev_hash = kGenesis;
  std::int64_t expected_id = 1;
  for (const auto& row : *rows) {
    StoredEntry stored = from_row(row);
    ++report.entries;
    if (stored.id != expected_id) {
      return broken(expected_id, fmt::format("監査ログ #{} が削除されています", expected_id));
    }
    if (stored.prev_hash != prev_hash) {
      return broken(stored.id, fmt::format("監査ログ #{} の直前エントリへの連鎖が一致しません", stored.id));
    }
    if (chain_hash(prev_hash, stored.id, stored.at, stored.entry) != stored.hash) {
      return broken(stored.id, fmt::format("監査ログ #{} の内容が記録後に変更されています", stored.id));
    }
    prev_hash = stored.hash;
    ++expected_id;
  }
  auto head = (*tx)->query_one("SELECT last_id, last_hash FROM audit_head WHERE singleton = 1");
  if (!head) return fail(head.error());
  std::int64_t head_id = *head ? (*head)->integer(0) : 0;
  std::string head_hash = *head ? (*head)->text(1) : kGenesis;
  if (head_id != expected_id - 1 || head_hash != prev_hash) {
    return broken(expected_id, fmt::format("監査ログ #{} 以降が削除されています（最終エントリは #{} のはずです）",
                                           expected_id, head_id));
  }
  return report;
}

Result<std::vector<StoredEntry>> recent(db::Transaction& tx, int limit, int offset) {
  auto rows = tx.query(fmt::format("SELECT {} FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?", kColumns),
                       {std::int64_t{limit}, std::int64_t{offset}});
  if (!rows) return fail(rows.error());
  std::vector<StoredEntry> entries;
  for (const auto& row : *rows) entries.push_back(from_row(row));
  return entries;
}

}  // namespace kakehashi::audit
