#include "db/transfer.h"

#include <sqlite3.h>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>
#include <set>

#include "db/migrate.h"

namespace kakehashi::db {
namespace {

struct TableInfo {
  std::vector<std::string> columns;
  std::set<std::string> references;  // tables this one's foreign keys point at
  bool integer_id = false;           // a column `id`, the order of its rows
};

// The data tables (not the migration ledger, not SQLite's FTS index tables) with their columns
// and foreign keys, read from the backend's catalogue.
Result<std::map<std::string, TableInfo>> tables_of(Database& database, Transaction& tx) {
  std::map<std::string, TableInfo> tables;
  if (database.backend() == "postgresql") {
    auto columns = tx.query(
        "SELECT c.table_name, c.column_name FROM information_schema.columns c JOIN information_schema.tables t "
        "ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
        "WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> 'schema_migrations' "
        "ORDER BY c.table_name, c.ordinal_position");
    if (!columns) return fail(columns.error());
    for (const auto& row : *columns) tables[row.text(0)].columns.push_back(row.text(1));
    auto keys = tx.query(
        "SELECT t.relname, r.relname FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid "
        "JOIN pg_class r ON r.oid = k.confrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
        "WHERE k.contype = 'f' AND n.nspname = 'public'");
    if (!keys) return fail(keys.error());
    for (const auto& row : *keys) tables[row.text(0)].references.insert(row.text(1));
  } else {
    auto names = tx.query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name <> 'schema_migrations' ORDER BY name");
    if (!names) return fail(names.error());
    std::vector<std::string> virtuals;
    for (const auto& row : *names) {
      if (row.text(1).starts_with("CREATE VIRTUAL TABLE")) virtuals.push_back(row.text(0));
    }
    for (const auto& row : *names) {
      std::string name = row.text(0);
      bool index_table = false;
      for (const auto& v : virtuals) index_table = index_table || name == v || name.starts_with(v + "_");
      if (index_table) continue;
      auto columns = tx.query("SELECT name FROM pragma_table_info(?) ORDER BY cid", {name});
      if (!columns) return fail(columns.error());
      for (const auto& c : *columns) tables[name].columns.push_back(c.text(0));
      auto keys = tx.query("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)", {name});
      if (!keys) return fail(keys.error());
      for (const auto& k : *keys) tables[name].references.insert(k.text(0));
    }
  }
  for (auto& [name, table] : tables) {
    table.integer_id = std::ranges::find(table.columns, "id") != table.columns.end();
  }
  return tables;
}

}  // namespace

Result<std::vector<std::string>> data_tables(Database& database, Transaction& tx) {
  auto tables = tables_of(database, tx);
  if (!tables) return fail(tables.error());
  std::vector<std::string> names;
  for (const auto& [name, table] : *tables) names.push_back(name);
  return names;
}

namespace {

// Referenced tables before the tables that reference them (a table's references to itself
// are satisfied by copying in id order).
Result<std::vector<std::string>> copy_order(const std::map<std::string, TableInfo>& tables) {
  std::vector<std::string> order;
  std::set<std::string> done;
  while (done.size() < tables.size()) {
    bool progress = false;
    for (const auto& [name, table] : tables) {
      if (done.contains(name)) continue;
      bool ready = true;
      for (const auto& r : table.references) ready = ready && (r == name || done.contains(r) || !tables.contains(r));
      if (!ready) continue;
      order.push_back(name);
      done.insert(name);
      progress = true;
    }
    if (!progress) return fail(Error::internal("外部キーが循環しているため、テーブルをコピーする順序を決められません"));
  }
  return order;
}

std::string identifier(const std::string& name) { return "\"" + name + "\""; }

std::string column_list(const std::vector<std::string>& columns) {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : ", ") + identifier(c);
  return out;
}

}  // namespace

Result<CopyReport> copy_database(Database& from, Database& to) {
  auto source_pending = pending_migrations(from);
  if (!source_pending) return fail(source_pending.error());
  if (!source_pending->empty()) {
    return fail(Error::invalid(fmt::format("コピー元に未適用のマイグレーションがあります（{} など）。先に migrate してください",
                                           source_pending->front())));
  }
  auto target_pending = pending_migrations(to);
  if (!target_pending) return fail(target_pending.error());
  if (!target_pending->empty()) return fail(Error::invalid("コピー先に未適用のマイグレーションがあります"));

  auto read = from.begin(TxMode::kRead);
  if (!read) return fail(read.error());
  Transaction& source = **read;
  auto source_tables = tables_of(from, source);
  if (!source_tables) return fail(source_tables.error());

  return to.transact<CopyReport>(TxMode::kWrite, [&](Transaction& target) -> Result<CopyReport> {
    auto target_tables = tables_of(to, target);
    if (!target_tables) return fail(target_tables.error());
    for (const auto& [name, table] : *source_tables) {
      if (!target_tables->contains(name)) return fail(Error::invalid(fmt::format("コピー先にテーブル {} がありません", name)));
    }
    for (const auto& [name, table] : *target_tables) {
      if (!source_tables->contains(name)) return fail(Error::invalid(fmt::format("コピー元にテーブル {} がありません", name)));
    }
    // A target in use has users or audit entries; a fresh one holds at most the reference rows
    // its migrations seeded, which the source has too (perhaps edited since): they are replaced.
    for (const char* used : {"users", "audit_log"}) {
      if (!target_tables->contains(used)) continue;
      auto rows = target.scalar(fmt::format("SELECT COUNT(*) FROM {}", identifier(used)));
      if (!rows) return fail(rows.error());
      if (*rows > 0) return fail(Error::invalid(fmt::format("コピー先が空ではありません（{} に {} 行）", used, *rows)));
    }
    auto order = copy_order(*target_tables);
    if (!order) return fail(order.error());
    for (auto it = order->rbegin(); it != order->rend(); ++it) {
      if (auto cleared = target.exec(fmt::format("DELETE FROM {}", identifier(*it))); !cleared) return fail(cleared.error());
    }

    CopyReport report;
    for (const auto& name : *order) {
      const TableInfo& table = target_tables->at(name);
      std::string columns = column_list(table.columns);
      std::string placeholders;
      for (size_t i = 0; i < table.columns.size(); ++i) placeholders += i ? ", ?" : "?";
      std::string insert = fmt::format("INSERT INTO {} ({}) VALUES ({})", identifier(name), columns, placeholders);
      std::int64_t copied = 0;
      // Tables with an id are read in pages of ids, so large files never sit in memory all at once.
      std::int64_t after = std::numeric_limits<std::int64_t>::min();
      while (true) {
        auto rows = table.integer_id
                        ? source.query(fmt::format("SELECT {} FROM {} WHERE id > ? ORDER BY id LIMIT 200", columns, identifier(name)),
                                       {after})
                        : source.query(fmt::format("SELECT {} FROM {}", columns, identifier(name)));
        if (!rows) return fail(rows.error());
        for (const auto& row : *rows) {
          Params params;
          params.reserve(row.size());
          for (size_t i = 0; i < row.size(); ++i) params.push_back(row.at(i));
          if (auto done = target.exec(insert, params); !done) {
            return fail(Error::unavailable(fmt::format("{} の行をコピーできません: {}", name, done.error().message)));
          }
          ++copied;
          if (table.integer_id) after = row.integer("id");
        }
        if (!table.integer_id || rows->size() < 200) break;
      }
      // Identity columns continue after the copied ids.
      if (to.backend() == "postgresql" && table.integer_id) {
        auto reset = target.query(fmt::format(
            "SELECT setval(pg_get_serial_sequence('{0}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {1} "
            "WHERE pg_get_serial_sequence('{0}', 'id') IS NOT NULL",
            identifier(name), identifier(name)));
        if (!reset) return fail(reset.error());
      }
      report.tables.push_back({name, copied});
    }
    return report;
  });
}

namespace {

Result<void> sqlite_copy(const std::string& from, const std::string& to, bool check) {
  sqlite3* source = nullptr;
  sqlite3* target = nullptr;
  auto close = [&] {
    sqlite3_close_v2(source);
    sqlite3_close_v2(target);
  };
  if (sqlite3_open_v2(from.c_str(), &source, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    close();
    return fail(Error::unavailable(fmt::format("{} を開けません", from)));
  }
  sqlite3_busy_timeout(source, 5000);
  if (check) {
    sqlite3_stmt* statement = nullptr;
    std::string verdict;
    if (sqlite3_prepare_v2(source, "PRAGMA integrity_check", -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
      verdict = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
    if (verdict != "ok") {
      close();
      return fail(Error::invalid(fmt::format("{} は SQLite のデータベースとして壊れているか、データベースではありません", from)));
    }
  }
  if (sqlite3_open_v2(to.c_str(), &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    close();
    return fail(Error::unavailable(fmt::format("{} を開けません", to)));
  }
  sqlite3_busy_timeout(target, 5000);
  sqlite3_backup* backup = sqlite3_backup_init(target, "main", source, "main");
  if (!backup) {
    Error error = Error::unavailable(fmt::format("バックアップを開始できません: {}", sqlite3_errmsg(target)));
    close();
    return fail(std::move(error));
  }
  int rc = SQLITE_OK;
  // Pages in steps, so the live database's writers are held up for one step at a time.
  do {
    rc = sqlite3_backup_step(backup, 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(backup);
  Error error = Error::unavailable(fmt::format("バックアップに失敗しました: {}", sqlite3_errstr(rc)));
  close();
  if (rc != SQLITE_DONE) return fail(std::move(error));
  return {};
}

}  // namespace

Result<void> backup_sqlite(const std::string& database_path, const std::string& backup_path) {
  if (!std::filesystem::exists(database_path)) {
    return fail(Error::not_found(fmt::format("データベース {} がありません", database_path)));
  }
  if (std::filesystem::exists(backup_path)) {
    return fail(Error::invalid(fmt::format("{} は既にあります（上書きしません）", backup_path)));
  }
  return sqlite_copy(database_path, backup_path, false);
}

Result<void> restore_sqlite(const std::string& backup_path, const std::string& database_path) {
  if (!std::filesystem::exists(backup_path)) {
    return fail(Error::not_found(fmt::format("バックアップ {} がありません", backup_path)));
  }
  std::error_code ignored;
  auto parent = std::filesystem::path(database_path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
  return sqlite_copy(backup_path, database_path, true);
}

}  // namespace kakehashi::db
