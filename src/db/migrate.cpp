#include "db/migrate.h"

#include <fmt/format.h>

#include <set>

#include "db/postgresql/pg_sql.h"

namespace kakehashi::db {
namespace {

constexpr std::string_view kCreateLedger =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " name TEXT PRIMARY KEY,"
    " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))";

constexpr std::string_view kCreatePostgresqlLedger =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " name TEXT PRIMARY KEY,"
    " applied_at TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')))";

Result<std::set<std::string>> applied_names(Database& database) {
  bool postgresql = database.backend() == "postgresql";
  return database.transact<std::set<std::string>>(TxMode::kWrite, [&](Transaction& tx) -> Result<std::set<std::string>> {
    if (auto created = tx.exec(postgresql ? kCreatePostgresqlLedger : kCreateLedger); !created) {
      return fail(created.error());
    }
    auto rows = tx.query("SELECT name FROM schema_migrations");
    if (!rows) return fail(rows.error());
    std::set<std::string> names;
    for (const auto& row : *rows) names.insert(row.text(0));
    return names;
  });
}

}  // namespace

std::string sql_for(const Migration& migration, std::string_view backend) {
  if (backend != "postgresql") return std::string(migration.sql);
  if (!migration.pg_sql.empty()) return std::string(migration.pg_sql);
  return postgresql::translated_ddl(migration.sql);
}

std::string twin_path(const Migration& migration) {
  std::string path(migration.path);
  if (path.ends_with(".sql")) path.resize(path.size() - 4);
  return path + ".pg.sql";
}

Result<std::vector<std::string>> pending_migrations(Database& database) {
  auto applied = applied_names(database);
  if (!applied) return fail(applied.error());
  std::vector<std::string> pending;
  for (const auto& migration : all_migrations()) {
    if (!applied->contains(std::string(migration.name))) pending.emplace_back(migration.name);
  }
  return pending;
}

Result<std::vector<std::string>> migrate(Database& database) {
  auto applied = applied_names(database);
  if (!applied) return fail(applied.error());
  std::vector<std::string> done;
  for (const auto& migration : all_migrations()) {
    std::string name(migration.name);
    if (applied->contains(name)) continue;
    bool postgresql = database.backend() == "postgresql";
    auto result = database.write([&](Transaction& tx) -> Result<void> {
      if (auto ran = tx.exec_script(sql_for(migration, database.backend())); !ran) {
        if (postgresql && migration.pg_sql.empty()) {
          return fail(Error::unavailable(fmt::format(
              "マイグレーション {} は PostgreSQL で実行できません（{} を追加してください）: {}", name,
              twin_path(migration), ran.error().message)));
        }
        return fail(Error::unavailable(fmt::format("マイグレーション {} に失敗しました: {}", name, ran.error().message)));
      }
      return tx.exec("INSERT INTO schema_migrations (name) VALUES (?)", {name});
    });
    if (!result) return fail(result.error());
    done.push_back(std::move(name));
  }
  return done;
}

}  // namespace kakehashi::db
