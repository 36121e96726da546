// operations' SQL for the programme's staff (private to the module).
#pragma once

#include <optional>
#include <vector>

#include "db/database.h"
#include "operations/model.h"

namespace kakehashi::operations::store {

[[nodiscard]] Result<std::vector<StaffMember>> staff(db::Transaction& tx);
[[nodiscard]] Result<std::optional<StaffMember>> find_staff(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<std::int64_t> insert_staff(db::Transaction& tx, const StaffMember& m, Instant now);
[[nodiscard]] Result<void> update_staff(db::Transaction& tx, std::int64_t id, const StaffMember& m, Instant now);
[[nodiscard]] Result<void> set_staff_active(db::Transaction& tx, std::int64_t id, bool active, Instant now);
// The active member linked to `user_id` other than `except`, if any.
[[nodiscard]] Result<std::optional<std::int64_t>> staff_linked_to(db::Transaction& tx, std::int64_t user_id,
                                                                  std::int64_t except);

}  // namespace kakehashi::operations::store
