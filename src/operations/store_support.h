// operations' SQL for the support log, mentoring and the to-do list (private to the module).
#pragma once

#include <optional>
#include <vector>

#include "db/database.h"
#include "operations/model.h"

namespace kakehashi::operations::store {

[[nodiscard]] Result<std::vector<SupportLog>> support_logs_of(db::Transaction& tx, std::int64_t operator_id);
[[nodiscard]] Result<std::optional<SupportLog>> find_support_log(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<std::int64_t> insert_support_log(db::Transaction& tx, const SupportLog& entry, Instant now,
                                                      std::int64_t by);
[[nodiscard]] Result<void> update_support_log(db::Transaction& tx, std::int64_t id, const SupportLog& entry);
[[nodiscard]] Result<void> set_next_step_done(db::Transaction& tx, std::int64_t id, Instant now);
// Open next steps owned by `user_id` (any operator).
[[nodiscard]] Result<std::vector<SupportLog>> open_steps_of(db::Transaction& tx, std::int64_t user_id);

[[nodiscard]] Result<std::vector<Mentoring>> mentorings_of(db::Transaction& tx, std::int64_t operator_id);
[[nodiscard]] Result<std::optional<Mentoring>> find_mentoring(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<std::int64_t> insert_mentoring(db::Transaction& tx, const Mentoring& m, Instant now);
[[nodiscard]] Result<void> update_mentoring(db::Transaction& tx, std::int64_t id, const Mentoring& m, Instant now);
[[nodiscard]] Result<std::int64_t> insert_mentoring_session(db::Transaction& tx, const MentoringSession& s, Instant now,
                                                            std::int64_t by);

// Milestones owned by `user_id` that are neither done nor cancelled (read for the to-do list).
[[nodiscard]] Result<std::vector<Milestone>> open_milestones_of(db::Transaction& tx, std::int64_t user_id);

}  // namespace kakehashi::operations::store
