// Numbered SQL migrations compiled into the binary. Each module keeps its own in
// src/<module>/migrations/<yyyymmddhhmm>_<what>.sql; they apply in file-name order across
// modules, each once, each in its own transaction, recorded in schema_migrations.
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
};

// Every migration of the binary, sorted by name.
std::span<const Migration> all_migrations();

// Applies the migrations the database lacks and returns their names (empty when up to date).
// Fails without applying anything further when one fails; earlier ones stay applied.
[[nodiscard]] Result<std::vector<std::string>> migrate(Database& database);

// Names of migrations the database lacks.
[[nodiscard]] Result<std::vector<std::string>> pending_migrations(Database& database);

}  // namespace kakehashi::db
