// Numbered SQL migrations compiled into the binary. Each module keeps its own in
// src/<module>/migrations/<yyyymmddhhmm>_<what>.sql; they apply in file-name order across
// modules, each once, each in its own transaction, recorded in schema_migrations. PostgreSQL
// runs a `.pg.sql` twin where one exists, else the SQLite file with type names mapped.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.h"

namespace kakehashi::db {

struct Migration {
  std::string_view name;  // file name without .sql, e.g. "202611252200_users"
  std::string_view sql;
  // The PostgreSQL twin (<name>.pg.sql beside it), empty when the mechanical translation of
  // `sql` serves (src/db/postgresql/pg_sql.h).
  std::string_view pg_sql;
  std::string_view path;  // e.g. "src/auth/migrations/202611252210_users.sql"
};

// The migration's SQL for `backend` ("sqlite" or "postgresql").
std::string sql_for(const Migration& migration, std::string_view backend);
// Where the PostgreSQL twin of `migration` belongs: its path with .pg.sql.
std::string twin_path(const Migration& migration);

// Every migration of the binary, sorted by name.
std::span<const Migration> all_migrations();

// Applies the migrations the database lacks and returns their names (empty when up to date).
// Fails without applying anything further when one fails; earlier ones stay applied.
[[nodiscard]] Result<std::vector<std::string>> migrate(Database& database);

// Names of migrations the database lacks.
[[nodiscard]] Result<std::vector<std::string>> pending_migrations(Database& database);

}  // namespace kakehashi::db
