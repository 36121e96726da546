#include "operations/store_milestones.h"

namespace kakehashi::operations::store {
namespace {

constexpr std::string_view kColumns =
    "m.id, m.operator_id, m.title, m.description, m.due_on, m.owner_user_id, m.owner_name, m.status, m.completed_on, "
    "m.review_state, m.review_comment, m.reviewed_by, m.reviewed_at, m.created_at, m.updated_at";

Result<Milestone> from_row(const db::Row& row) {
  Milestone m;
  m.id = row.integer(0);
  m.operator_id = row.integer(1);
  m.title = row.text(2);
  m.description = row.text(3);
  auto due = Date::parse(row.text(4));
  if (!due) return fail(due.error());
  m.due_on = *due;
  if (!row.is_null(5)) m.owner_user_id = row.integer(5);
  m.owner_name = row.text(6);
  m.status = milestone_status_from(row.text(7)).value_or(MilestoneStatus::kNotStarted);
  if (!row.is_null(8)) {
    auto done = Date::parse(row.text(8));
    if (!done) return fail(done.error());
    m.completed_on = *done;
  }
  m.review = review_state_from(row.text(9)).value_or(ReviewState::kNone);
  m.review_comment = row.text(10);
  if (!row.is_null(11)) m.reviewed_by = row.integer(11);
  if (!row.is_null(12)) m.reviewed_at = row.text(12);
  m.created_at = row.text(13);
  m.updated_at = row.text(14);
  return m;
}

Result<std::vector<Milestone>> many(db::Transaction& tx, const std::string& sql, const db::Params& args) {
  auto rows = tx.query(sql, args);
  if (!rows) return fail(rows.error());
  std::vector<Milestone> out;
  out.reserve(rows->size());
  for (const auto& row : *rows) {
    auto m = from_row(row);
    if (!m) return fail(m.error());
    out.push_back(std::move(*m));
  }
  return out;
}

db::Value optional_id(const std::optional<std::int64_t>& id) { return id ? db::Value(*id) : db::null(); }
db::Value optional_text(const std::optional<std::string>& text) { return text ? db::Value(*text) : db::null(); }

}  // namespace

Result<std::int64_t> insert_milestone(db::Transaction& tx, const Milestone& m, Instant now) {
  return tx.insert(
      "INSERT INTO milestones (operator_id, title, description, due_on, owner_user_id, owner_name, status, completed_on, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {m.operator_id, m.title, m.description, m.due_on.iso(), optional_id(m.owner_user_id), m.owner_name,
       std::string(to_string(m.status)), m.completed_on ? db::Value(m.completed_on->iso()) : db::null(),
       iso_utc(now), iso_utc(now)});
}

Result<void> update_milestone(db::Transaction& tx, const Milestone& m, Instant now) {
  return tx.exec(
      "UPDATE milestones SET title = ?, description = ?, due_on = ?, owner_user_id = ?, owner_name = ?, status = ?, "
      "completed_on = ?, review_state = ?, review_comment = ?, reviewed_by = ?, reviewed_at = ?, updated_at = ? "
      "WHERE id = ?",
      {m.title, m.description, m.due_on.iso(), optional_id(m.owner_user_id), m.owner_name,
       std::string(to_string(m.status)), m.completed_on ? db::Value(m.completed_on->iso()) : db::null(),
       std::string(to_string(m.review)), m.review_comment, optional_id(m.reviewed_by), optional_text(m.reviewed_at),
       iso_utc(now), m.id});
}

Result<bool> delete_evidence(db::Transaction& tx, std::int64_t milestone_id, std::int64_t evidence_id) {
  if (auto r = tx.exec("DELETE FROM milestone_evidence WHERE id = ? AND milestone_id = ?", {evidence_id, milestone_id}); !r)
    return fail(r.error());
  return tx.changes() > 0;
}

Result<void> set_review(db::Transaction& tx, const Milestone& m) {
  return tx.exec("UPDATE milestones SET review_state = ?, review_comment = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?",
                 {std::string(to_string(m.review)), m.review_comment, optional_id(m.reviewed_by),
                  optional_text(m.reviewed_at), m.id});
}

Result<std::optional<Milestone>> find_milestone(db::Transaction& tx, std::int64_t id) {
  auto found = many(tx, std::string("SELECT ").append(kColumns).append(" FROM milestones m WHERE m.id = ?"), {id});
  if (!found) return fail(found.error());
  if (found->empty()) return std::optional<Milestone>{};
  return std::optional<Milestone>{std::move(found->front())};
}

Result<std::vector<Milestone>> milestones_of(db::Transaction& tx, std::int64_t operator_id) {
  return many(tx,
              std::string("SELECT ").append(kColumns).append(
                  " FROM milestones m WHERE m.operator_id = ? ORDER BY m.due_on, m.id"),
              {operator_id});
}

Result<std::vector<Milestone>> milestones_of_call(db::Transaction& tx, std::int64_t call_id) {
  return many(tx,
              std::string("SELECT ").append(kColumns).append(
                  " FROM milestones m JOIN operators o ON o.id = m.operator_id WHERE o.call_id = ? "
                  "ORDER BY m.due_on, m.id"),
              {call_id});
}

Result<std::map<std::int64_t, int>> evidence_counts(db::Transaction& tx, std::int64_t call_id) {
  auto rows = tx.query(
      "SELECT e.milestone_id, COUNT(*) FROM milestone_evidence e JOIN milestones m ON m.id = e.milestone_id "
      "JOIN operators o ON o.id = m.operator_id WHERE o.call_id = ? GROUP BY e.milestone_id",
      {call_id});
  if (!rows) return fail(rows.error());
  std::map<std::int64_t, int> out;
  for (const auto& row : *rows) out[row.integer(0)] = int(row.integer(1));
  return out;
}

Result<std::int64_t> insert_evidence(db::Transaction& tx, const Evidence& e, const std::string* content) {
  std::string_view kind = e.kind == EvidenceKind::kFile ? "file" : e.kind == EvidenceKind::kLink ? "link" : "note";
  return tx.insert(
      "INSERT INTO milestone_evidence (milestone_id, kind, title, url, note, file_name, content_type, size, sha256, "
      "content, inspection, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {e.milestone_id, std::string(kind), e.title, e.url, e.note, optional_text(e.file_name),
       optional_text(e.content_type), optional_id(e.size), optional_text(e.sha256),
       content ? db::Value(db::Blob{*content}) : db::null(), e.inspection, e.added_at,
       optional_id(e.added_by)});
}

Result<std::vector<Evidence>> evidence_of(db::Transaction& tx, std::int64_t milestone_id) {
  auto rows = tx.query(
      "SELECT id, milestone_id, kind, title, url, note, file_name, content_type, size, sha256, inspection, added_at, "
      "added_by FROM milestone_evidence WHERE milestone_id = ? ORDER BY added_at, id",
      {milestone_id});
  if (!rows) return fail(rows.error());
  std::vector<Evidence> out;
  for (const auto& row : *rows) {
    Evidence e;
    e.id = row.integer(0);
    e.milestone_id = row.integer(1);
    std::string kind = row.text(2);
    e.kind = kind == "file" ? EvidenceKind::kFile : kind == "link" ? EvidenceKind::kLink : EvidenceKind::kNote;
    e.title = row.text(3);
    e.url = row.text(4);
    e.note = row.text(5);
    if (!row.is_null(6)) e.file_name = row.text(6);
    if (!row.is_null(7)) e.content_type = row.text(7);
    if (!row.is_null(8)) e.size = row.integer(8);
    if (!row.is_null(9)) e.sha256 = row.text(9);
    e.inspection = row.text(10);
    e.added_at = row.text(11);
    if (!row.is_null(12)) e.added_by = row.integer(12);
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::optional<StoredEvidence>> evidence_content(db::Transaction& tx, std::int64_t milestone_id,
                                                       std::int64_t evidence_id) {
  auto row = tx.query_one(
      "SELECT file_name, content_type, content FROM milestone_evidence WHERE id = ? AND milestone_id = ? AND kind = 'file' "
      "AND content IS NOT NULL",
      {evidence_id, milestone_id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<StoredEvidence>{};
  const db::Value& bytes = (*row)->at(2);
  std::string content = std::holds_alternative<db::Blob>(bytes) ? std::get<db::Blob>(bytes).bytes : (*row)->text(2);
  return std::optional<StoredEvidence>{StoredEvidence{(*row)->text(0), (*row)->text(1), std::move(content)}};
}

}  // namespace kakehashi::operations::store
