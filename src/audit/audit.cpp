#include "audit/audit.h"

#include <boost/json/parse.hpp>
#include <fmt/format.h>
#include <openssl/evp.h>

#include "audit/store.h"
#include "base/date.h"

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
  if (!entry.detail.empty()) {
    boost::system::error_code ec;
    boost::json::value detail = boost::json::parse(entry.detail, ec);
    if (ec || !detail.is_object()) {
      return fail(Error::internal(fmt::format("audit detail of {} is not a JSON object (build it with Boost.JSON)",
                                              entry.action)));
    }
  }
  auto head = store::read_head(tx);
  if (!head) return fail(head.error());
  StoredEntry stored;
  stored.id = *head ? (*head)->last_id + 1 : 1;
  stored.prev_hash = *head ? (*head)->last_hash : kGenesis;
  stored.at = iso_utc(at);
  stored.entry = entry;
  stored.hash = chain_hash(stored.prev_hash, stored.id, stored.at, entry);
  if (auto inserted = store::insert_entry(tx, stored); !inserted) return fail(inserted.error());
  if (auto moved = store::move_head(tx, stored.id, stored.hash); !moved) return fail(moved.error());
  return stored.id;
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

Result<VerifyReport> verify(db::Database& database, int page_size) {
  auto tx = database.begin(db::TxMode::kRead);
  if (!tx) return fail(tx.error());
  VerifyReport report;
  auto broken = [&](std::int64_t id, std::string problem) {
    report.intact = false;
    report.first_bad_id = id;
    report.problem = std::move(problem);
    return report;
  };
  std::string prev_hash = kGenesis;
  std::int64_t expected_id = 1;
  for (;;) {
    auto rows = store::page_after(**tx, Filter{}, expected_id - 1, std::max(1, page_size));
    if (!rows) return fail(rows.error());
    for (const StoredEntry& stored : *rows) {
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
    if (rows->size() < static_cast<std::size_t>(std::max(1, page_size))) break;
  }
  auto head = store::read_head(**tx);
  if (!head) return fail(head.error());
  std::int64_t head_id = *head ? (*head)->last_id : 0;
  std::string head_hash = *head ? (*head)->last_hash : kGenesis;
  if (head_id != expected_id - 1 || head_hash != prev_hash) {
    return broken(expected_id, fmt::format("監査ログ #{} 以降が削除されています（最終エントリは #{} のはずです）",
                                           expected_id, head_id));
  }
  return report;
}

Result<std::int64_t> count(db::Transaction& tx, const Filter& filter) { return store::count(tx, filter); }

Result<std::vector<StoredEntry>> page(db::Transaction& tx, const Filter& filter, int limit, std::int64_t offset) {
  return store::page_newest_first(tx, filter, limit, offset);
}

Result<std::vector<StoredEntry>> recent(db::Transaction& tx, int limit, int offset) {
  return store::page_newest_first(tx, Filter{}, limit, offset);
}

Result<void> for_each(db::Transaction& tx, const Filter& filter,
                      const std::function<Result<void>(std::span<const StoredEntry>)>& visit, int page_size) {
  page_size = std::max(1, page_size);
  std::int64_t after = 0;
  for (;;) {
    auto rows = store::page_after(tx, filter, after, page_size);
    if (!rows) return fail(rows.error());
    if (rows->empty()) return {};
    if (auto visited = visit(*rows); !visited) return visited;
    if (rows->size() < static_cast<std::size_t>(page_size)) return {};
    after = rows->back().id;
  }
}

Result<std::vector<std::int64_t>> actor_user_ids(db::Transaction& tx) { return store::actor_user_ids(tx); }

Result<std::vector<std::string>> recorded_actions(db::Transaction& tx) { return store::actions(tx); }

}  // namespace kakehashi::audit
