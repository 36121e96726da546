// The audit module's SQL (audit_log, audit_head) and nothing else. Private to the module.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "db/database.h"

namespace kakehashi::audit::store {

struct Head {
  std::int64_t last_id = 0;
  std::string last_hash;
};

[[nodiscard]] Result<std::optional<Head>> read_head(db::Transaction& tx);
[[nodiscard]] Result<void> insert_entry(db::Transaction& tx, const StoredEntry& stored);
[[nodiscard]] Result<void> move_head(db::Transaction& tx, std::int64_t id, const std::string& hash);

// The newest row of audit_log (whatever audit_head says), or nullopt for an empty log.
[[nodiscard]] Result<std::optional<StoredEntry>> newest(db::Transaction& tx);
// The row with `id`, or nullopt.
[[nodiscard]] Result<std::optional<StoredEntry>> find(db::Transaction& tx, std::int64_t id);
// Rows with id <= `id`.
[[nodiscard]] Result<std::int64_t> count_up_to(db::Transaction& tx, std::int64_t id);

// Rows matching `filter`.
[[nodiscard]] Result<std::int64_t> count(db::Transaction& tx, const Filter& filter);
// Newest first, `limit` rows after skipping `offset`.
[[nodiscard]] Result<std::vector<StoredEntry>> page_newest_first(db::Transaction& tx, const Filter& filter, int limit,
                                                                 std::int64_t offset);
// Oldest first, the next `limit` rows with an id above `after_id` (a keyset page: the cost does
// not grow with the position in the log).
[[nodiscard]] Result<std::vector<StoredEntry>> page_after(db::Transaction& tx, const Filter& filter,
                                                          std::int64_t after_id, int limit);

// The distinct actor user ids and actions in the log (for the screen's filter lists).
[[nodiscard]] Result<std::vector<std::int64_t>> actor_user_ids(db::Transaction& tx);
[[nodiscard]] Result<std::vector<std::string>> actions(db::Transaction& tx);

}  // namespace kakehashi::audit::store
