#include "operations/store_budget.h"

#include <string>

namespace kakehashi::operations::store {
namespace {

const std::string kExpenseSelect =
    "SELECT id, call_id, spent_on, category, budget_line, description, amount, receipt_name, receipt_type, "
    "receipt_size, receipt_sha256, created_at FROM expenses ";

Result<std::vector<Expense>> expenses(db::Transaction& tx, const std::string& rest, const db::Params& params) {
  auto rows = tx.query(kExpenseSelect + rest, params);
  if (!rows) return fail(rows.error());
  std::vector<Expense> out;
  for (const auto& row : *rows) {
    Expense e;
    e.id = row.integer(0);
    e.call_id = row.integer(1);
    auto spent = Date::parse(row.text(2));
    if (!spent) return fail(spent.error());
    e.spent_on = *spent;
    e.category = expense_category_from(row.text(3)).value_or(ExpenseCategory::kOther);
    e.budget_line = row.text(4);
    e.description = row.text(5);
    e.amount = row.integer(6);
    e.receipt_name = row.optional_text(7);
    e.receipt_type = row.optional_text(8);
    e.receipt_size = row.optional_integer(9);
    e.receipt_sha256 = row.optional_text(10);
    e.created_at = row.text(11);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

Result<std::vector<Expense>> expenses_of(db::Transaction& tx, std::int64_t call_id) {
  return expenses(tx, "WHERE call_id = ? ORDER BY spent_on DESC, id DESC", {call_id});
}

Result<std::optional<Expense>> find_expense(db::Transaction& tx, std::int64_t id) {
  auto found = expenses(tx, "WHERE id = ?", {id});
  if (!found) return fail(found.error());
  if (found->empty()) return std::optional<Expense>{};
  return std::optional<Expense>{std::move(found->front())};
}

Result<std::optional<Receipt>> expense_receipt(db::Transaction& tx, std::int64_t id) {
  auto row = tx.query_one(
      "SELECT receipt_name, receipt_type, receipt, receipt_sha256 FROM expenses WHERE id = ? AND receipt IS NOT NULL", {id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Receipt>{};
  const db::Value& bytes = (*row)->at(2);
  Receipt r{(*row)->text(0), (*row)->text(1), "", (*row)->text(3)};
  if (const auto* blob = std::get_if<db::Blob>(&bytes)) r.bytes = blob->bytes;
  else r.bytes = (*row)->text(2);
  return std::optional<Receipt>{std::move(r)};
}

Result<std::int64_t> insert_expense(db::Transaction& tx, const Expense& e, const std::optional<Receipt>& receipt,
                                    Instant now, std::int64_t by) {
  auto id = tx.insert(
      "INSERT INTO expenses (call_id, spent_on, category, budget_line, description, amount, created_at, created_by) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {e.call_id, e.spent_on.iso(), std::string(to_string(e.category)), e.budget_line, e.description, e.amount,
       iso_utc(now), by});
  if (!id) return id;
  if (receipt) {
    if (auto r = set_receipt(tx, *id, receipt); !r) return fail(r.error());
  }
  return id;
}

Result<void> update_expense(db::Transaction& tx, std::int64_t id, const Expense& e) {
  return tx.exec(
      "UPDATE expenses SET spent_on = ?, category = ?, budget_line = ?, description = ?, amount = ? WHERE id = ?",
      {e.spent_on.iso(), std::string(to_string(e.category)), e.budget_line, e.description, e.amount, id});
}

Result<void> set_receipt(db::Transaction& tx, std::int64_t id, const std::optional<Receipt>& receipt) {
  if (!receipt) {
    return tx.exec(
        "UPDATE expenses SET receipt_name = NULL, receipt_type = NULL, receipt_size = NULL, receipt_sha256 = NULL, "
        "receipt = NULL WHERE id = ?",
        {id});
  }
  return tx.exec(
      "UPDATE expenses SET receipt_name = ?, receipt_type = ?, receipt_size = ?, receipt_sha256 = ?, receipt = ? "
      "WHERE id = ?",
      {receipt->name, receipt->content_type, std::int64_t(receipt->bytes.size()), receipt->sha256, db::Blob{receipt->bytes},
       id});
}

Result<void> delete_expense(db::Transaction& tx, std::int64_t id) {
  return tx.exec("DELETE FROM expenses WHERE id = ?", {id});
}

Result<std::map<std::pair<std::string, std::string>, std::int64_t>> plan_of(db::Transaction& tx, std::int64_t call_id) {
  auto rows = tx.query("SELECT month, category, planned FROM budget_plan WHERE call_id = ?", {call_id});
  if (!rows) return fail(rows.error());
  std::map<std::pair<std::string, std::string>, std::int64_t> out;
  for (const auto& row : *rows) out[{row.text(0), row.text(1)}] = row.integer(2);
  return out;
}

Result<void> replace_plan(db::Transaction& tx, std::int64_t call_id, const std::vector<PlanCell>& cells) {
  if (auto r = tx.exec("DELETE FROM budget_plan WHERE call_id = ?", {call_id}); !r) return r;
  for (const PlanCell& c : cells) {
    if (c.planned == 0) continue;
    auto r = tx.exec("INSERT INTO budget_plan (call_id, month, category, planned) VALUES (?, ?, ?, ?)",
                     {call_id, c.month, c.category, c.planned});
    if (!r) return r;
  }
  return {};
}

}  // namespace kakehashi::operations::store
