// operations' SQL for operators, their blocks and contacts, and the module's settings (private
// to the module).
#pragma once

#include <optional>
#include <vector>

#include "db/database.h"
#include "operations/model.h"

namespace kakehashi::operations::store {

[[nodiscard]] Result<std::int64_t> insert_operator(db::Transaction& tx, const Operator& op, Instant now);
[[nodiscard]] Result<void> update_operator(db::Transaction& tx, std::int64_t id, const OperatorChanges& changes, Instant now);
// Marks the operator changed (updated_at), e.g. after its milestones changed.
[[nodiscard]] Result<void> touch_operator(db::Transaction& tx, std::int64_t id, Instant now);
// With blocks and contacts.
[[nodiscard]] Result<std::optional<Operator>> find_operator(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<std::optional<std::int64_t>> operator_of(db::Transaction& tx, std::int64_t call_id,
                                                             std::int64_t organisation_id);
// Every operator of the programme year, in the order of their first block, with blocks and contacts.
[[nodiscard]] Result<std::vector<Operator>> operators_of_call(db::Transaction& tx, std::int64_t call_id);
// The programme year: the latest call that has operators (nullopt before any award).
[[nodiscard]] Result<std::optional<std::int64_t>> latest_programme_call(db::Transaction& tx);
// The calls that have operators, newest first.
[[nodiscard]] Result<std::vector<std::int64_t>> programme_calls(db::Transaction& tx);

[[nodiscard]] Result<std::optional<std::string>> setting(db::Transaction& tx, std::string_view key);
[[nodiscard]] Result<void> set_setting(db::Transaction& tx, std::string_view key, const std::string& value);

}  // namespace kakehashi::operations::store
