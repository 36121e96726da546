// The append-only, hash-chained audit log (R2.7, R7, R8). Every write in the product records an
// entry in the same transaction as the write, so an entry exists exactly when the change does.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "db/database.h"

namespace kakehashi::audit {

struct Entry {
  std::optional<std::int64_t> actor_user_id;  // nullopt for the system or a visitor
  std::string actor;   // "user:12", "system", "visitor"
  std::string action;  // "auth.login", "auth.login_failed", "user.create", …
  std::string object;  // "user:12", "call:3", …
  std::string detail;  // a short JSON object without personal data (Boost.JSON), or empty
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

// Appends `entry` inside `tx` (which must be a write transaction) at instant `at`. A detail that
// is neither empty nor a JSON object is refused (kInternal): details are built with Boost.JSON.
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
// Reads the log in pages of `page_size` rows inside one read transaction, so memory stays
// bounded however long the log is.
[[nodiscard]] Result<VerifyReport> verify(db::Database& database, int page_size = 1000);

// Which entries a screen or an export shows. Every set field narrows the selection.
struct Filter {
  std::optional<std::string> actor;        // "user:12", "system", "visitor"
  std::optional<std::string> action;       // "auth.login"
  std::optional<std::string> object;       // one object: "call:3"
  std::optional<std::string> object_kind;  // every object of a kind: "call" matches "call:3" and "call"
  std::optional<std::chrono::sys_seconds> from;   // at or after
  std::optional<std::chrono::sys_seconds> until;  // strictly before
  bool empty() const { return !actor && !action && !object && !object_kind && !from && !until; }
};

// The number of entries matching `filter`.
[[nodiscard]] Result<std::int64_t> count(db::Transaction& tx, const Filter& filter);

// Newest first, `limit` entries matching `filter` after skipping `offset` (the audit screen).
[[nodiscard]] Result<std::vector<StoredEntry>> page(db::Transaction& tx, const Filter& filter, int limit,
                                                    std::int64_t offset);

// page() without a filter: the newest entries.
[[nodiscard]] Result<std::vector<StoredEntry>> recent(db::Transaction& tx, int limit, int offset);

// Every entry matching `filter`, oldest first, handed to `visit` `page_size` entries at a time
// (exports: only one page is in memory). Stops at the first error `visit` returns.
[[nodiscard]] Result<void> for_each(db::Transaction& tx, const Filter& filter,
                                    const std::function<Result<void>(std::span<const StoredEntry>)>& visit,
                                    int page_size = 1000);

// The user ids that appear as actors, and the actions recorded, for the screen's filters.
[[nodiscard]] Result<std::vector<std::int64_t>> actor_user_ids(db::Transaction& tx);
[[nodiscard]] Result<std::vector<std::string>> recorded_actions(db::Transaction& tx);

}  // namespace kakehashi::audit
