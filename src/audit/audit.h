// The append-only, hash-chained audit log (R2.7, R7, R8). Every write in the product records an
// entry in the same transaction as the write, so an entry exists exactly when the change does.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "db/database.h"

namespace kakehashi::audit {

struct Entry {
  std::optional<std::int64_t> actor_user_id;  // nullopt for the system or a visitor
  std::string actor;   // "user:12", "system", "visitor"
  std::string action;  // "auth.login", "auth.login_failed", "user.create", …
  std::string object;  // "user:12", "call:3", …
  std::string detail;  // short JSON without personal data, may be empty
};

struct StoredEntry {
  std::int64_t id = 0;
  std::string at;  // UTC, ISO 8601 with seconds
  Entry entry;
  std::string prev_hash;
  std::string hash;
};

// Who did something: a signed-in user, or the system (the CLI, jobs).
struct Actor {
  std::optional<std::int64_t> user_id;
  std::string name;  // "user:12" / "system"
  static Actor system() { return {std::nullopt, "system"}; }
  static Actor user(std::int64_t id) { return {id, "user:" + std::to_string(id)}; }
};

// An entry by `actor`.
inline Entry entry_by(const Actor& actor, std::string action, std::string object, std::string detail = "") {
  return {actor.user_id, actor.name, std::move(action), std::move(object), std::move(detail)};
}

// An entry by a signed-in user (actor "user:<id>").
Entry by_user(std::int64_t user_id, std::string action, std::string object, std::string detail = "");

// SHA-256 (hex) of an entry chained to `prev_hash`; the same function verify uses.
std::string chain_hash(const std::string& prev_hash, std::int64_t id, const std::string& at, const Entry& entry);

// Appends `entry` inside `tx` (which must be a write transaction) at instant `at`.
[[nodiscard]] Result<std::int64_t> record(db::Transaction& tx, const Entry& entry,
                                          std::chrono::sys_seconds at);

// Appends `entry` in a write transaction of its own: for actions that change nothing else
// (a read that must be traced, an export, a check).
[[nodiscard]] Result<void> append(db::Database& database, const Entry& entry, std::chrono::sys_seconds at);

struct VerifyReport {
  bool intact = true;
  std::int64_t entries = 0;
  std::optional<std::int64_t> first_bad_id;  // set when not intact
  std::string problem;                       // Japanese, set when not intact
};

// Walks the chain from the first entry and checks every hash, the ids' continuity and the head.
[[nodiscard]] Result<VerifyReport> verify(db::Database& database);

// Newest first, for the audit screen.
[[nodiscard]] Result<std::vector<StoredEntry>> recent(db::Transaction& tx, int limit, int offset);

}  // namespace kakehashi::audit
