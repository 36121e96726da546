// Opening the PostgreSQL backend, and a database named by a URL. Kept out of db/database.h, which
// every store includes.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "db/database.h"

namespace kakehashi::db {

// Connects to PostgreSQL (a libpq URL, postgresql://user@host:port/db?host=/socket/dir …).
// Connections open on demand up to `pool_size`; a broken one is replaced at the next begin().
// Write transactions are serialised across every server by one advisory lock (see
// src/db/postgresql/pg_database.cpp and docs/deployment.md).
[[nodiscard]] Result<std::unique_ptr<Database>> open_postgresql(
    const std::string& url, int pool_size = 8, std::chrono::milliseconds acquire_timeout = kDefaultAcquireTimeout);

// Opens a database named by a URL: postgresql://… (or postgres://…) or sqlite:PATH.
[[nodiscard]] Result<std::unique_ptr<Database>> open_url(const std::string& url, int pool_size = 8);

}  // namespace kakehashi::db
