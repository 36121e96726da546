// operations' SQL for expenses, receipts and the monthly budget plan (private to the module).
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "db/database.h"
#include "operations/budget.h"
#include "operations/model.h"

namespace kakehashi::operations::store {

[[nodiscard]] Result<std::vector<Expense>> expenses_of(db::Transaction& tx, std::int64_t call_id);
[[nodiscard]] Result<std::optional<Expense>> find_expense(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<std::optional<Receipt>> expense_receipt(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<std::int64_t> insert_expense(db::Transaction& tx, const Expense& e, const std::optional<Receipt>& receipt,
                                                  Instant now, std::int64_t by);
[[nodiscard]] Result<void> update_expense(db::Transaction& tx, std::int64_t id, const Expense& e);
[[nodiscard]] Result<void> set_receipt(db::Transaction& tx, std::int64_t id, const std::optional<Receipt>& receipt);
[[nodiscard]] Result<void> delete_expense(db::Transaction& tx, std::int64_t id);

// (month, category) -> planned yen.
[[nodiscard]] Result<std::map<std::pair<std::string, std::string>, std::int64_t>> plan_of(db::Transaction& tx,
                                                                                          std::int64_t call_id);
[[nodiscard]] Result<void> replace_plan(db::Transaction& tx, std::int64_t call_id, const std::vector<PlanCell>& cells);

}  // namespace kakehashi::operations::store
