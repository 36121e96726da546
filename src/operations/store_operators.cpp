#include "operations/store_operators.h"

#include <algorithm>

#include "geo/geo.h"

namespace kakehashi::operations::store {
namespace {

constexpr std::string_view kOperatorColumns =
    "id, call_id, organisation_id, name, contract_amount, contract_from, contract_to, final_goal, project_target, "
    "created_at, updated_at";

int block_order(std::string_view block_id) {
  const geo::Block* block = geo::find_block(block_id);
  return block ? block->order : 99;
}

Result<Operator> operator_from_row(const db::Row& row) {
  Operator op;
  op.id = row.integer(0);
  op.call_id = row.integer(1);
  op.organisation_id = row.integer(2);
  op.name = row.text(3);
  op.contract_amount = row.integer(4);
  auto from = Date::parse(row.text(5));
  if (!from) return fail(from.error());
  auto to = Date::parse(row.text(6));
  if (!to) return fail(to.error());
  op.contract_from = *from;
  op.contract_to = *to;
  op.final_goal = row.text(7);
  op.project_target = int(row.integer(8));
  op.created_at = row.text(9);
  op.updated_at = row.text(10);
  return op;
}

Result<void> load_children(db::Transaction& tx, Operator& op) {
  auto blocks = tx.query("SELECT block_id, amount FROM operator_blocks WHERE operator_id = ?", {op.id});
  if (!blocks) return fail(blocks.error());
  for (const auto& row : *blocks) op.blocks.push_back({row.text(0), row.integer(1)});
  std::ranges::sort(op.blocks, {}, [](const OperatorBlock& b) { return block_order(b.block_id); });
  auto contacts = tx.query(
      "SELECT id, name, title, email, phone FROM operator_contacts WHERE operator_id = ? ORDER BY position, id", {op.id});
  if (!contacts) return fail(contacts.error());
  for (const auto& row : *contacts) op.contacts.push_back({row.integer(0), row.text(1), row.text(2), row.text(3), row.text(4)});
  return {};
}

Result<void> replace_contacts(db::Transaction& tx, std::int64_t id, const std::vector<Contact>& contacts) {
  if (auto done = tx.exec("DELETE FROM operator_contacts WHERE operator_id = ?", {id}); !done) return done;
  std::int64_t position = 0;
  for (const Contact& c : contacts) {
    auto inserted = tx.insert(
        "INSERT INTO operator_contacts (operator_id, position, name, title, email, phone) VALUES (?, ?, ?, ?, ?, ?)",
        {id, position++, c.name, c.title, c.email, c.phone});
    if (!inserted) return fail(inserted.error());
  }
  return {};
}

}  // namespace

Result<std::int64_t> insert_operator(db::Transaction& tx, const Operator& op, Instant now) {
  auto id = tx.insert(
      "INSERT INTO operators (call_id, organisation_id, name, contract_amount, contract_from, contract_to, final_goal, "
      "project_target, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {op.call_id, op.organisation_id, op.name, op.contract_amount, op.contract_from.iso(), op.contract_to.iso(),
       op.final_goal, std::int64_t(op.project_target), iso_utc(now), iso_utc(now)});
  if (!id) return id;
  for (const OperatorBlock& block : op.blocks) {
    auto done = tx.exec("INSERT INTO operator_blocks (operator_id, call_id, block_id, amount) VALUES (?, ?, ?, ?)",
                        {*id, op.call_id, block.block_id, block.amount});
    if (!done) return fail(done.error());
  }
  if (auto done = replace_contacts(tx, *id, op.contacts); !done) return fail(done.error());
  return id;
}

Result<void> update_operator(db::Transaction& tx, std::int64_t id, const OperatorChanges& changes, Instant now) {
  auto done = tx.exec(
      "UPDATE operators SET contract_amount = ?, contract_from = ?, contract_to = ?, final_goal = ?, project_target = ?, "
      "updated_at = ? WHERE id = ?",
      {changes.contract_amount, changes.contract_from.iso(), changes.contract_to.iso(), changes.final_goal,
       std::int64_t(changes.project_target), iso_utc(now), id});
  if (!done) return done;
  return replace_contacts(tx, id, changes.contacts);
}

Result<void> touch_operator(db::Transaction& tx, std::int64_t id, Instant now) {
  return tx.exec("UPDATE operators SET updated_at = ? WHERE id = ?", {iso_utc(now), id});
}

Result<std::optional<Operator>> find_operator(db::Transaction& tx, std::int64_t id) {
  auto row = tx.query_one(std::string("SELECT ").append(kOperatorColumns).append(" FROM operators WHERE id = ?"), {id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Operator>{};
  auto op = operator_from_row(**row);
  if (!op) return fail(op.error());
  if (auto done = load_children(tx, *op); !done) return fail(done.error());
  return std::optional<Operator>{std::move(*op)};
}

Result<std::optional<std::int64_t>> operator_of(db::Transaction& tx, std::int64_t call_id, std::int64_t organisation_id) {
  auto row = tx.query_one("SELECT id FROM operators WHERE call_id = ? AND organisation_id = ?", {call_id, organisation_id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{(*row)->integer(0)};
}

Result<std::vector<Operator>> operators_of_call(db::Transaction& tx, std::int64_t call_id) {
  auto rows = tx.query(std::string("SELECT ").append(kOperatorColumns).append(" FROM operators WHERE call_id = ?"), {call_id});
  if (!rows) return fail(rows.error());
  std::vector<Operator> out;
  out.reserve(rows->size());
  for (const auto& row : *rows) {
    auto op = operator_from_row(row);
    if (!op) return fail(op.error());
    out.push_back(std::move(*op));
  }
  // Blocks and contacts of all operators in two queries rather than two per operator.
  auto blocks = tx.query(
      "SELECT b.operator_id, b.block_id, b.amount FROM operator_blocks b WHERE b.call_id = ?", {call_id});
  if (!blocks) return fail(blocks.error());
  auto contacts = tx.query(
      "SELECT c.operator_id, c.id, c.name, c.title, c.email, c.phone FROM operator_contacts c "
      "JOIN operators o ON o.id = c.operator_id WHERE o.call_id = ? ORDER BY c.position, c.id",
      {call_id});
  if (!contacts) return fail(contacts.error());
  for (Operator& op : out) {
    for (const auto& row : *blocks) {
      if (row.integer(0) == op.id) op.blocks.push_back({row.text(1), row.integer(2)});
    }
    std::ranges::sort(op.blocks, {}, [](const OperatorBlock& b) { return block_order(b.block_id); });
    for (const auto& row : *contacts) {
      if (row.integer(0) == op.id) op.contacts.push_back({row.integer(1), row.text(2), row.text(3), row.text(4), row.text(5)});
    }
  }
  std::ranges::stable_sort(out, {}, [](const Operator& op) { return op.blocks.empty() ? 99 : block_order(op.blocks.front().block_id); });
  return out;
}

Result<std::optional<std::int64_t>> latest_programme_call(db::Transaction& tx) {
  auto row = tx.query_one("SELECT MAX(call_id) FROM operators");
  if (!row) return fail(row.error());
  if (!*row || (*row)->is_null(0)) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{(*row)->integer(0)};
}

Result<std::vector<std::int64_t>> programme_calls(db::Transaction& tx) {
  auto rows = tx.query("SELECT DISTINCT call_id FROM operators ORDER BY call_id DESC");
  if (!rows) return fail(rows.error());
  std::vector<std::int64_t> out;
  for (const auto& row : *rows) out.push_back(row.integer(0));
  return out;
}

Result<std::optional<std::string>> setting(db::Transaction& tx, std::string_view key) {
  auto row = tx.query_one("SELECT value FROM operations_settings WHERE key = ?", {std::string(key)});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::string>{};
  return std::optional<std::string>{(*row)->text(0)};
}

Result<void> set_setting(db::Transaction& tx, std::string_view key, const std::string& value) {
  return tx.exec(
      "INSERT INTO operations_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      {std::string(key), value});
}

}  // namespace kakehashi::operations::store
