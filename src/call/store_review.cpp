// The call store: reviewer expertise, conflict declarations, assignments, reviews and scores.
#include <fmt/format.h>

#include "base/date.h"
#include "call/store.h"
#include "call/store_internal.h"

namespace kakehashi::call::store {
namespace {

constexpr std::string_view kReviewColumns = "r.application_id, r.reviewer_id, r.status, r.comment, r.submitted_at";

Review review_from(const db::Row& row) {
  Review review;
  review.application_id = row.integer(0);
  review.reviewer_id = row.integer(1);
  review.submitted = row.text(2) == "submitted";
  review.comment = row.text(3);
  review.submitted_at = row.optional_text(4);
  return review;
}

// Adds the scores of `rows` (application, reviewer, criterion, level, comment) to the reviews.
void add_scores(std::vector<Review>& reviews, const std::vector<db::Row>& rows) {
  std::map<std::pair<std::int64_t, std::int64_t>, Review*> by_pair;
  for (auto& review : reviews) by_pair[{review.application_id, review.reviewer_id}] = &review;
  for (const auto& s : rows) {
    auto it = by_pair.find({s.integer(0), s.integer(1)});
    if (it != by_pair.end()) it->second->scores[s.integer(2)] = {int(s.integer(3)), s.text(4)};
  }
}

// The reviews matching `where` (on reviews r joined with applications a) with their scores.
Result<std::vector<Review>> reviews_where(db::Transaction& tx, std::string_view where, const db::Params& params,
                                          std::string_view order) {
  auto rows = tx.query(fmt::format("SELECT {} FROM reviews r JOIN applications a ON a.id = r.application_id WHERE {} "
                                   "ORDER BY {}",
                                   kReviewColumns, where, order),
                       params);
  if (!rows) return fail(rows.error());
  std::vector<Review> reviews;
  for (const auto& row : *rows) reviews.push_back(review_from(row));
  if (reviews.empty()) return reviews;
  auto scores = tx.query(fmt::format("SELECT r.application_id, r.reviewer_id, r.criterion_id, r.level, r.comment "
                                     "FROM review_scores r JOIN applications a ON a.id = r.application_id WHERE {}",
                                     where),
                         params);
  if (!scores) return fail(scores.error());
  add_scores(reviews, *scores);
  return reviews;
}

}  // namespace

Result<std::map<std::int64_t, std::vector<std::string>>> expertise(db::Transaction& tx) {
  auto rows = tx.query("SELECT user_id, topic FROM reviewer_expertise ORDER BY user_id, topic");
  if (!rows) return fail(rows.error());
  std::map<std::int64_t, std::vector<std::string>> out;
  for (const auto& row : *rows) out[row.integer(0)].push_back(row.text(1));
  return out;
}

Result<void> replace_expertise(db::Transaction& tx, std::int64_t reviewer_id, const std::vector<std::string>& topics) {
  if (auto r = tx.exec("DELETE FROM reviewer_expertise WHERE user_id = ?", {reviewer_id}); !r) return r;
  for (const auto& topic : topics) {
    if (auto r = tx.exec("INSERT INTO reviewer_expertise (user_id, topic) VALUES (?, ?) ON CONFLICT DO NOTHING", {reviewer_id, topic});
        !r)
      return r;
  }
  return {};
}

Result<std::vector<Declaration>> declarations(db::Transaction& tx, std::int64_t call_id) {
  auto rows = tx.query(
      "SELECT reviewer_id, organisation_id, conflict, note FROM conflict_declarations WHERE call_id = ? "
      "ORDER BY reviewer_id, organisation_id",
      {call_id});
  if (!rows) return fail(rows.error());
  std::vector<Declaration> out;
  for (const auto& row : *rows) out.push_back({row.integer(0), row.integer(1), row.integer(2) != 0, row.text(3)});
  return out;
}

Result<void> upsert_declaration(db::Transaction& tx, std::int64_t call_id, const Declaration& d, Instant now) {
  return tx.exec(
      "INSERT INTO conflict_declarations (call_id, reviewer_id, organisation_id, conflict, note, declared_at) "
      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (call_id, reviewer_id, organisation_id) DO UPDATE SET "
      "conflict = excluded.conflict, note = excluded.note, declared_at = excluded.declared_at",
      {call_id, d.reviewer_id, d.organisation_id, std::int64_t(d.conflict), d.note, iso_utc(now)});
}

Result<std::vector<AssignedPair>> assignments(db::Transaction& tx, std::int64_t call_id) {
  auto rows = tx.query(
      "SELECT ra.application_id, ra.reviewer_id, ra.locked FROM review_assignments ra "
      "JOIN applications a ON a.id = ra.application_id WHERE a.call_id = ? ORDER BY ra.application_id, ra.reviewer_id",
      {call_id});
  if (!rows) return fail(rows.error());
  std::vector<AssignedPair> out;
  for (const auto& row : *rows) out.push_back({row.integer(0), row.integer(1), row.integer(2) != 0});
  return out;
}

Result<bool> is_assigned(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id) {
  auto n = tx.scalar("SELECT COUNT(*) FROM review_assignments WHERE application_id = ? AND reviewer_id = ?",
                     {application_id, reviewer_id});
  if (!n) return fail(n.error());
  return *n > 0;
}

Result<bool> in_conflict(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id) {
  auto n = tx.scalar(
      "SELECT COUNT(*) FROM conflict_declarations d JOIN applications a ON a.call_id = d.call_id AND "
      "a.organisation_id = d.organisation_id WHERE a.id = ? AND d.reviewer_id = ? AND d.conflict = 1",
      {application_id, reviewer_id});
  if (!n) return fail(n.error());
  return *n > 0;
}

Result<void> upsert_assignment(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id, bool locked,
                               Instant now) {
  return tx.exec(
      "INSERT INTO review_assignments (application_id, reviewer_id, locked, assigned_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (application_id, reviewer_id) DO UPDATE SET locked = excluded.locked",
      {application_id, reviewer_id, std::int64_t(locked), iso_utc(now)});
}

Result<void> insert_assignment_if_absent(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id,
                                         Instant now) {
  return tx.exec(
      "INSERT INTO review_assignments (application_id, reviewer_id, locked, assigned_at) VALUES (?, ?, 0, ?)"
      " ON CONFLICT DO NOTHING",
      {application_id, reviewer_id, iso_utc(now)});
}

Result<bool> delete_assignment(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id) {
  if (auto r = tx.exec("DELETE FROM review_assignments WHERE application_id = ? AND reviewer_id = ?",
                       {application_id, reviewer_id});
      !r)
    return fail(r.error());
  return tx.changes() > 0;
}

Result<void> delete_review(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id, bool drafts_only) {
  return tx.exec(fmt::format("DELETE FROM reviews WHERE application_id = ? AND reviewer_id = ?{}",
                             drafts_only ? " AND status = 'draft'" : ""),
                 {application_id, reviewer_id});
}

Result<bool> review_submitted(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id) {
  auto n = tx.scalar("SELECT COUNT(*) FROM reviews WHERE application_id = ? AND reviewer_id = ? AND status = 'submitted'",
                     {application_id, reviewer_id});
  if (!n) return fail(n.error());
  return *n > 0;
}

Result<std::int64_t> submitted_review_count(db::Transaction& tx, std::int64_t application_id) {
  return tx.scalar("SELECT COUNT(*) FROM reviews WHERE application_id = ? AND status = 'submitted'", {application_id});
}

Result<std::optional<Review>> find_review(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id) {
  auto reviews = reviews_where(tx, "r.application_id = ? AND r.reviewer_id = ?", {application_id, reviewer_id},
                               "r.reviewer_id");
  if (!reviews) return fail(reviews.error());
  if (reviews->empty()) return std::optional<Review>{};
  return std::optional<Review>{std::move(reviews->front())};
}

Result<std::vector<Review>> reviews_of(db::Transaction& tx, std::int64_t application_id) {
  return reviews_where(tx, "r.application_id = ?", {application_id}, "r.reviewer_id");
}

Result<std::vector<Review>> reviews_of_call(db::Transaction& tx, std::int64_t call_id) {
  return reviews_where(tx, "a.call_id = ?", {call_id}, "r.application_id, r.reviewer_id");
}

Result<void> upsert_review(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id,
                           const std::string& comment, Instant now) {
  return tx.exec(
      "INSERT INTO reviews (application_id, reviewer_id, status, comment, updated_at) VALUES (?, ?, 'draft', ?, ?) "
      "ON CONFLICT (application_id, reviewer_id) DO UPDATE SET comment = excluded.comment, updated_at = excluded.updated_at",
      {application_id, reviewer_id, comment, iso_utc(now)});
}

Result<void> write_score(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id,
                         std::int64_t criterion_id, const Score& score) {
  if (score.level == 0) {
    return tx.exec("DELETE FROM review_scores WHERE application_id = ? AND reviewer_id = ? AND criterion_id = ?",
                   {application_id, reviewer_id, criterion_id});
  }
  return tx.exec(
      "INSERT INTO review_scores (application_id, reviewer_id, criterion_id, level, comment) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (application_id, reviewer_id, criterion_id) DO UPDATE SET level = excluded.level, "
      "comment = excluded.comment",
      {application_id, reviewer_id, criterion_id, std::int64_t(score.level), score.comment});
}

Result<void> mark_review_submitted(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id,
                                   Instant now) {
  return tx.exec("UPDATE reviews SET status = 'submitted', submitted_at = ? WHERE application_id = ? AND reviewer_id = ?",
                 {iso_utc(now), application_id, reviewer_id});
}

Result<std::vector<ReviewerProgress>> progress(db::Transaction& tx, std::int64_t call_id) {
  auto rows = tx.query(
      "SELECT ra.reviewer_id, COUNT(ra.application_id), "
      "SUM(CASE WHEN r.status = 'submitted' THEN 1 ELSE 0 END) FROM review_assignments ra "
      "JOIN applications a ON a.id = ra.application_id "
      "LEFT JOIN reviews r ON r.application_id = ra.application_id AND r.reviewer_id = ra.reviewer_id "
      "WHERE a.call_id = ? GROUP BY ra.reviewer_id ORDER BY ra.reviewer_id",
      {call_id});
  if (!rows) return fail(rows.error());
  std::vector<ReviewerProgress> out;
  for (const auto& row : *rows) out.push_back({row.integer(0), "", int(row.integer(1)), int(row.integer(2))});
  return out;
}

}  // namespace kakehashi::call::store
