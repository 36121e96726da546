#include "audit/store.h"

#include <fmt/format.h>

#include "base/date.h"

namespace kakehashi::audit::store {
namespace {

constexpr std::string_view kColumns = "id, at, actor_user_id, actor, action, object, detail, prev_hash, hash";

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

Result<std::vector<StoredEntry>> entries(db::Transaction& tx, const std::string& sql, const db::Params& params) {
  auto rows = tx.query(sql, params);
  if (!rows) return fail(rows.error());
  std::vector<StoredEntry> out;
  out.reserve(rows->size());
  for (const auto& row : *rows) out.push_back(from_row(row));
  return out;
}

// The WHERE conditions of `filter` (joined with AND, "1 = 1" when empty) and their values.
struct Where {
  std::string sql = "1 = 1";
  db::Params params;
  void add(std::string_view condition) { sql += fmt::format(" AND {}", condition); }
};

Where where_of(const Filter& filter) {
  Where where;
  if (filter.actor) {
    // A user by the indexed id column; "system" and "visitor" by name.
    std::string_view actor = *filter.actor;
    std::int64_t user_id = 0;
    bool is_user = actor.starts_with("user:") && actor.size() > 5 && actor.size() < 24 &&
                   actor.substr(5).find_first_not_of("0123456789") == std::string_view::npos;
    if (is_user) {
      user_id = std::stoll(std::string(actor.substr(5)));
      where.add("actor_user_id = ?");
      where.params.emplace_back(user_id);
    }
    where.add("actor = ?");
    where.params.emplace_back(*filter.actor);
  }
  if (filter.action) {
    where.add("action = ?");
    where.params.emplace_back(*filter.action);
  }
  if (filter.object) {
    where.add("object = ?");
    where.params.emplace_back(*filter.object);
  }
  if (filter.object_kind) {
    // "call" and every "call:…": a range on the indexed column (';' follows ':').
    where.add("(object = ? OR (object >= ? AND object < ?))");
    where.params.emplace_back(*filter.object_kind);
    where.params.emplace_back(*filter.object_kind + ":");
    where.params.emplace_back(*filter.object_kind + ";");
  }
  if (filter.from) {
    where.add("at >= ?");
    where.params.emplace_back(iso_utc(*filter.from));
  }
  if (filter.until) {
    where.add("at < ?");
    where.params.emplace_back(iso_utc(*filter.until));
  }
  return where;
}

}  // namespace

Result<std::optional<Head>> read_head(db::Transaction& tx) {
  auto row = tx.query_one("SELECT last_id, last_hash FROM audit_head WHERE singleton = 1");
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Head>{};
  return std::optional<Head>{Head{(*row)->integer(0), (*row)->text(1)}};
}

Result<void> insert_entry(db::Transaction& tx, const StoredEntry& stored) {
  return tx.exec(
      "INSERT INTO audit_log (id, at, actor_user_id, actor, action, object, detail, prev_hash, hash)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {stored.id, stored.at, db::nullable(stored.entry.actor_user_id), stored.entry.actor, stored.entry.action,
       stored.entry.object, stored.entry.detail, stored.prev_hash, stored.hash});
}

Result<void> move_head(db::Transaction& tx, std::int64_t id, const std::string& hash) {
  return tx.exec(
      "INSERT INTO audit_head (singleton, last_id, last_hash) VALUES (1, ?, ?)"
      " ON CONFLICT (singleton) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash",
      {id, hash});
}

Result<std::optional<StoredEntry>> newest(db::Transaction& tx) {
  auto row = tx.query_one(fmt::format("SELECT {} FROM audit_log ORDER BY id DESC LIMIT 1", kColumns));
  if (!row) return fail(row.error());
  if (!*row) return std::optional<StoredEntry>{};
  return std::optional<StoredEntry>{from_row(**row)};
}

Result<std::optional<StoredEntry>> find(db::Transaction& tx, std::int64_t id) {
  auto row = tx.query_one(fmt::format("SELECT {} FROM audit_log WHERE id = ?", kColumns), {id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<StoredEntry>{};
  return std::optional<StoredEntry>{from_row(**row)};
}

Result<std::int64_t> count_up_to(db::Transaction& tx, std::int64_t id) {
  return tx.scalar("SELECT COUNT(*) FROM audit_log WHERE id <= ?", {id});
}

Result<std::int64_t> count(db::Transaction& tx, const Filter& filter) {
  Where where = where_of(filter);
  return tx.scalar(fmt::format("SELECT COUNT(*) FROM audit_log WHERE {}", where.sql), where.params);
}

Result<std::vector<StoredEntry>> page_newest_first(db::Transaction& tx, const Filter& filter, int limit,
                                                   std::int64_t offset) {
  Where where = where_of(filter);
  where.params.emplace_back(std::int64_t{limit});
  where.params.emplace_back(offset);
  return entries(tx, fmt::format("SELECT {} FROM audit_log WHERE {} ORDER BY id DESC LIMIT ? OFFSET ?", kColumns, where.sql),
                 where.params);
}

Result<std::vector<StoredEntry>> page_after(db::Transaction& tx, const Filter& filter, std::int64_t after_id,
                                            int limit) {
  Where where = where_of(filter);
  where.add("id > ?");
  where.params.emplace_back(after_id);
  where.params.emplace_back(std::int64_t{limit});
  return entries(tx, fmt::format("SELECT {} FROM audit_log WHERE {} ORDER BY id LIMIT ?", kColumns, where.sql),
                 where.params);
}

Result<std::vector<std::int64_t>> actor_user_ids(db::Transaction& tx) {
  auto rows = tx.query("SELECT DISTINCT actor_user_id FROM audit_log WHERE actor_user_id IS NOT NULL ORDER BY 1");
  if (!rows) return fail(rows.error());
  std::vector<std::int64_t> ids;
  for (const auto& row : *rows) ids.push_back(row.integer(0));
  return ids;
}

Result<std::vector<std::string>> actions(db::Transaction& tx) {
  auto rows = tx.query("SELECT DISTINCT action FROM audit_log ORDER BY 1");
  if (!rows) return fail(rows.error());
  std::vector<std::string> out;
  for (const auto& row : *rows) out.push_back(row.text(0));
  return out;
}

}  // namespace kakehashi::audit::store
