#include "operations/store_staff.h"

#include <string>

namespace kakehashi::operations::store {
namespace {

Result<std::vector<StaffMember>> select(db::Transaction& tx, const std::string& rest, const db::Params& params) {
  auto rows = tx.query("SELECT id, name, role, share_percent, user_id, active FROM programme_staff " + rest, params);
  if (!rows) return fail(rows.error());
  std::vector<StaffMember> out;
  for (const auto& row : *rows) {
    out.push_back({row.integer(0), row.text(1), row.text(2), int(row.integer(3)), row.optional_integer(4),
                   row.integer(5) != 0});
  }
  return out;
}

}  // namespace

Result<std::vector<StaffMember>> staff(db::Transaction& tx) { return select(tx, "ORDER BY active DESC, id", {}); }

Result<std::optional<StaffMember>> find_staff(db::Transaction& tx, std::int64_t id) {
  auto found = select(tx, "WHERE id = ?", {id});
  if (!found) return fail(found.error());
  if (found->empty()) return std::optional<StaffMember>{};
  return std::optional<StaffMember>{std::move(found->front())};
}

Result<std::int64_t> insert_staff(db::Transaction& tx, const StaffMember& m, Instant now) {
  return tx.insert(
      "INSERT INTO programme_staff (name, role, share_percent, user_id, active, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {m.name, m.role, std::int64_t(m.share_percent), db::nullable(m.user_id), std::int64_t(m.active ? 1 : 0), iso_utc(now),
       iso_utc(now)});
}

Result<void> update_staff(db::Transaction& tx, std::int64_t id, const StaffMember& m, Instant now) {
  return tx.exec("UPDATE programme_staff SET name = ?, role = ?, share_percent = ?, user_id = ?, updated_at = ? WHERE id = ?",
                 {m.name, m.role, std::int64_t(m.share_percent), db::nullable(m.user_id), iso_utc(now), id});
}

Result<void> set_staff_active(db::Transaction& tx, std::int64_t id, bool active, Instant now) {
  return tx.exec("UPDATE programme_staff SET active = ?, updated_at = ? WHERE id = ?",
                 {std::int64_t(active ? 1 : 0), iso_utc(now), id});
}

Result<std::optional<std::int64_t>> staff_linked_to(db::Transaction& tx, std::int64_t user_id, std::int64_t except) {
  auto row = tx.query_one("SELECT id FROM programme_staff WHERE user_id = ? AND active = 1 AND id <> ?", {user_id, except});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{(*row)->integer(0)};
}

}  // namespace kakehashi::operations::store
