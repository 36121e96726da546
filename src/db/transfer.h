// Moving a whole installation between databases (`kakehashi db copy`) and backups of a SQLite
// file (`kakehashi backup` / `restore`). PostgreSQL is backed up with its own tools (pg_dump,
// pg_basebackup; docs/deployment.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db/database.h"

namespace kakehashi::db {

struct CopyReport {
  struct Table {
    std::string name;
    std::int64_t rows = 0;
  };
  std::vector<Table> tables;  // in the order copied (referenced tables first)
  std::int64_t rows() const {
    std::int64_t total = 0;
    for (const auto& t : tables) total += t.rows;
    return total;
  }
};

// Copies every row of every table of `from` into `to`, in one read transaction on the source
// and one write transaction on the target, so the copy is a consistent snapshot or nothing.
// Both must have every migration applied (the caller migrates the target first) and the target
// must hold no data yet (no users, no audit entries; reference rows its migrations seeded are
// replaced by the source's). Identity counters of a PostgreSQL target continue after the copied ids.
[[nodiscard]] Result<CopyReport> copy_database(Database& from, Database& to);

// The names of the data tables of `database` (not the migration ledger, not SQLite's FTS index
// tables), sorted: what `db copy` copies and what the close-out must have classified.
[[nodiscard]] Result<std::vector<std::string>> data_tables(Database& database, Transaction& tx);

// Writes a consistent copy of the live SQLite database at `database_path` to `backup_path` with
// SQLite's online backup API (writers may go on meanwhile). The file must not exist yet.
[[nodiscard]] Result<void> backup_sqlite(const std::string& database_path, const std::string& backup_path);

// Replaces the SQLite database at `database_path` with the backup at `backup_path` (checked
// first with PRAGMA integrity_check). Only with every server stopped.
[[nodiscard]] Result<void> restore_sqlite(const std::string& backup_path, const std::string& database_path);

}  // namespace kakehashi::db
