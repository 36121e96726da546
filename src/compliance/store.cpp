#include "compliance/store.h"

#include "base/date.h"

namespace kakehashi::compliance::store {
namespace {

constexpr const char* kSealedColumns[] = {"address", "birth_date", "passport", "nationality"};

db::Value blob(const std::optional<std::string>& bytes) {
  if (!bytes) return db::null();
  return db::Blob{*bytes};
}

std::optional<std::string> bytes_of(const db::Row& row, std::size_t i) {
  if (row.is_null(i)) return std::nullopt;
  if (const auto* b = std::get_if<db::Blob>(&row.at(i))) return b->bytes;
  return row.text(i);
}

Instant instant(const std::string& text) { return parse_iso_utc(text).value_or(Instant{}); }

constexpr const char* kPersonColumns =
    "id, category, organisation, name, department, title, user_id, active, address, birth_date, passport, nationality";

StoredPerson person_of(const db::Row& row) {
  StoredPerson out;
  Person& p = out.person;
  p.id = row.integer(0);
  p.category = category_from_id(row.text(1)).value_or(Category::kStaff);
  p.organisation = row.text(2);
  p.name = row.text(3);
  p.department = row.text(4);
  p.title = row.text(5);
  p.user_id = row.optional_integer(6);
  p.active = row.integer(7) != 0;
  out.sealed = {bytes_of(row, 8), bytes_of(row, 9), bytes_of(row, 10), bytes_of(row, 11)};
  p.has_address = out.sealed.address.has_value();
  p.has_birth_date = out.sealed.birth_date.has_value();
  p.has_passport = out.sealed.passport.has_value();
  p.has_nationality = out.sealed.nationality.has_value();
  return out;
}

constexpr const char* kChangeColumns =
    "id, kind, person_id, category, organisation, name, department, title, user_id, reason, effective_from, "
    "requested_by, requested_at, status, decided_by, decided_at, decision_note, address, birth_date, passport, "
    "nationality";

StoredChange change_of(const db::Row& row) {
  StoredChange out;
  ChangeRequest& c = out.change;
  c.id = row.integer(0);
  c.kind = change_kind_from_id(row.text(1)).value_or(ChangeKind::kAdd);
  c.person_id = row.optional_integer(2);
  c.category = category_from_id(row.text(3)).value_or(Category::kStaff);
  c.organisation = row.text(4);
  c.name = row.text(5);
  c.department = row.text(6);
  c.title = row.text(7);
  c.user_id = row.optional_integer(8);
  c.reason = row.text(9);
  c.effective_from = row.text(10);
  c.requested_by = row.integer(11);
  c.requested_at = instant(row.text(12));
  std::string status = row.text(13);
  c.status = status == "approved" ? ChangeStatus::kApproved
             : status == "rejected" ? ChangeStatus::kRejected
                                    : ChangeStatus::kPending;
  c.decided_by = row.optional_integer(14);
  if (auto at = row.optional_text(15)) c.decided_at = instant(*at);
  c.decision_note = row.text(16);
  out.sealed = {bytes_of(row, 17), bytes_of(row, 18), bytes_of(row, 19), bytes_of(row, 20)};
  c.carries_personal = out.sealed.address || out.sealed.birth_date || out.sealed.passport || out.sealed.nationality;
  return out;
}

}  // namespace

Result<std::vector<StoredPerson>> people(db::Transaction& tx, bool active_only) {
  std::string sql = std::string("SELECT ") + kPersonColumns + " FROM roster_people" +
                    (active_only ? " WHERE active = 1" : "") +
                    " ORDER BY CASE category WHEN 'responsible' THEN 0 WHEN 'manager' THEN 1 WHEN 'staff' THEN 2 "
                    "ELSE 3 END, organisation, id";
  auto rows = tx.query(sql);
  if (!rows) return fail(rows.error());
  std::vector<StoredPerson> out;
  for (const auto& row : *rows) out.push_back(person_of(row));
  return out;
}

Result<std::optional<StoredPerson>> find_person(db::Transaction& tx, std::int64_t id) {
  auto row = tx.query_one(std::string("SELECT ") + kPersonColumns + " FROM roster_people WHERE id = ?", {id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<StoredPerson>{};
  return std::optional<StoredPerson>{person_of(**row)};
}

Result<std::int64_t> insert_person(db::Transaction& tx, const Person& p, const Sealed& s, Instant now) {
  return tx.insert(
      "INSERT INTO roster_people (category, organisation, name, department, title, address, birth_date, passport, "
      "nationality, user_id, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {std::string(category_id(p.category)), p.organisation, p.name, p.department, p.title, blob(s.address),
       blob(s.birth_date), blob(s.passport), blob(s.nationality), db::nullable(p.user_id),
       std::int64_t(p.active ? 1 : 0), iso_utc(now), iso_utc(now)});
}

Result<void> update_person(db::Transaction& tx, std::int64_t id, const Person& p, const Sealed& s, Instant now) {
  if (auto r = tx.exec("UPDATE roster_people SET category = ?, organisation = ?, name = ?, department = ?, title = ?, "
                       "user_id = ?, updated_at = ? WHERE id = ?",
                       {std::string(category_id(p.category)), p.organisation, p.name, p.department, p.title,
                        db::nullable(p.user_id), iso_utc(now), id});
      !r) {
    return r;
  }
  const std::optional<std::string>* values[] = {&s.address, &s.birth_date, &s.passport, &s.nationality};
  for (int i = 0; i < 4; ++i) {
    if (!*values[i]) continue;
    if (auto r = tx.exec(std::string("UPDATE roster_people SET ") + kSealedColumns[i] + " = ? WHERE id = ?",
                         {blob(*values[i]), id});
        !r) {
      return r;
    }
  }
  return {};
}

Result<void> set_person_active(db::Transaction& tx, std::int64_t id, bool active, Instant now) {
  return tx.exec("UPDATE roster_people SET active = ?, updated_at = ? WHERE id = ?",
                 {std::int64_t(active ? 1 : 0), iso_utc(now), id});
}

Result<std::optional<std::int64_t>> active_person_of_user(db::Transaction& tx, std::int64_t user_id) {
  auto row = tx.query_one("SELECT id FROM roster_people WHERE user_id = ? AND active = 1", {user_id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{(*row)->integer(0)};
}

Result<std::int64_t> insert_change(db::Transaction& tx, const ChangeRequest& c, const Sealed& s) {
  return tx.insert(
      "INSERT INTO roster_changes (kind, person_id, category, organisation, name, department, title, address, "
      "birth_date, passport, nationality, user_id, reason, effective_from, requested_by, requested_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {std::string(change_kind_id(c.kind)), db::nullable(c.person_id), std::string(category_id(c.category)),
       c.organisation, c.name, c.department, c.title, blob(s.address), blob(s.birth_date), blob(s.passport),
       blob(s.nationality), db::nullable(c.user_id), c.reason, c.effective_from, c.requested_by,
       iso_utc(c.requested_at)});
}

Result<std::optional<StoredChange>> find_change(db::Transaction& tx, std::int64_t id) {
  auto row = tx.query_one(std::string("SELECT ") + kChangeColumns + " FROM roster_changes WHERE id = ?", {id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<StoredChange>{};
  return std::optional<StoredChange>{change_of(**row)};
}

Result<std::vector<ChangeRequest>> changes(db::Transaction& tx) {
  auto rows = tx.query(std::string("SELECT ") + kChangeColumns +
                       " FROM roster_changes ORDER BY CASE status WHEN 'pending' THEN 0 ELSE 1 END, id DESC");
  if (!rows) return fail(rows.error());
  std::vector<ChangeRequest> out;
  for (const auto& row : *rows) out.push_back(change_of(row).change);
  return out;
}

Result<std::int64_t> count_pending(db::Transaction& tx) {
  return tx.scalar("SELECT COUNT(*) FROM roster_changes WHERE status = 'pending'");
}

Result<bool> pending_change_for_person(db::Transaction& tx, std::int64_t person_id) {
  auto n = tx.scalar("SELECT COUNT(*) FROM roster_changes WHERE status = 'pending' AND person_id = ?", {person_id});
  if (!n) return fail(n.error());
  return *n > 0;
}

Result<void> decide_change(db::Transaction& tx, std::int64_t id, ChangeStatus status, std::int64_t by,
                           const std::string& note, std::optional<std::int64_t> person_id, Instant now) {
  return tx.exec(
      "UPDATE roster_changes SET status = ?, decided_by = ?, decided_at = ?, decision_note = ?, "
      "person_id = COALESCE(?, person_id) WHERE id = ? AND status = 'pending'",
      {std::string(change_status_id(status)), by, iso_utc(now), note, db::nullable(person_id), id});
}

Result<std::int64_t> insert_version(db::Transaction& tx, std::int64_t change_id, std::int64_t by,
                                    const std::string& snapshot, Instant now) {
  auto next = tx.scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM roster_versions");
  if (!next) return fail(next.error());
  if (auto r = tx.exec("INSERT INTO roster_versions (version, change_id, approved_by, approved_at, snapshot) "
                       "VALUES (?, ?, ?, ?, ?)",
                       {*next, change_id, by, iso_utc(now), snapshot});
      !r) {
    return fail(r.error());
  }
  return *next;
}

Result<std::vector<RosterVersion>> versions(db::Transaction& tx) {
  auto rows = tx.query(
      "SELECT version, change_id, approved_by, approved_at, snapshot FROM roster_versions ORDER BY version DESC");
  if (!rows) return fail(rows.error());
  std::vector<RosterVersion> out;
  for (const auto& row : *rows) {
    out.push_back({row.integer(0), row.integer(1), row.integer(2), instant(row.text(3)), row.text(4)});
  }
  return out;
}

Result<GateSnapshot> gate(db::Transaction& tx) {
  GateSnapshot out;
  auto n = tx.scalar("SELECT COUNT(*) FROM roster_versions");
  if (!n) return fail(n.error());
  out.active = *n > 0;
  auto rows = tx.query("SELECT user_id FROM roster_people WHERE active = 1 AND user_id IS NOT NULL");
  if (!rows) return fail(rows.error());
  for (const auto& row : *rows) out.user_ids.insert(row.integer(0));
  return out;
}

Result<std::int64_t> count_sealed(db::Transaction& tx) {
  std::int64_t total = 0;
  for (const char* table : {"roster_people", "roster_changes"}) {
    for (const char* column : kSealedColumns) {
      auto n = tx.scalar(std::string("SELECT COUNT(*) FROM ") + table + " WHERE " + column + " IS NOT NULL");
      if (!n) return fail(n.error());
      total += *n;
    }
  }
  return total;
}

Result<std::int64_t> clear_sealed(db::Transaction& tx) {
  auto before = count_sealed(tx);
  if (!before) return before;
  for (const char* table : {"roster_people", "roster_changes"}) {
    if (auto r = tx.exec(std::string("UPDATE ") + table +
                         " SET address = NULL, birth_date = NULL, passport = NULL, nationality = NULL");
        !r) {
      return fail(r.error());
    }
  }
  return *before;
}

Result<std::int64_t> insert_closeout(db::Transaction& tx, const std::string& by, const std::string& confirmation,
                                     const std::string& certificate, Instant now) {
  return tx.insert("INSERT INTO closeouts (run_at, run_by, package_confirmation, certificate) VALUES (?, ?, ?, ?)",
                   {iso_utc(now), by, confirmation, certificate});
}

Result<std::optional<std::string>> latest_certificate(db::Transaction& tx) {
  auto row = tx.query_one("SELECT certificate FROM closeouts ORDER BY id DESC LIMIT 1");
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::string>{};
  return std::optional<std::string>{(*row)->text(0)};
}

Result<std::vector<SealedCell>> sealed_cells(db::Transaction& tx) {
  std::vector<SealedCell> out;
  for (const char* table : {"roster_people", "roster_changes"}) {
    for (const char* column : kSealedColumns) {
      auto rows = tx.query(std::string("SELECT id, ") + column + " FROM " + table + " WHERE " + column + " IS NOT NULL");
      if (!rows) return fail(rows.error());
      for (const auto& row : *rows) out.push_back({table, column, row.integer(0), bytes_of(row, 1).value_or("")});
    }
  }
  return out;
}

Result<void> replace_sealed(db::Transaction& tx, const SealedCell& cell) {
  // table and column come from sealed_cells (fixed names), never from input.
  return tx.exec("UPDATE " + cell.table + " SET " + cell.column + " = ? WHERE id = ?",
                 {db::Blob{cell.bytes}, cell.id});
}

}  // namespace kakehashi::compliance::store
