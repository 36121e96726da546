// Review: expertise, conflict declarations, assignment (exact min-cost flow in the engine),
// scoring with locking, progress and reminders.
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "base/date.h"
#include "base/text.h"
#include "call/engine/assignment.h"
#include "call/store.h"
#include "call/store_internal.h"

namespace kakehashi::call {
namespace {

Result<void> audited(db::Transaction& tx, const audit::Actor& actor, std::string action, std::string object,
                     Instant now, std::string detail = "") {
  auto r = audit::record(tx, audit::entry_by(actor, std::move(action), std::move(object), std::move(detail)), now);
  if (!r) return fail(r.error());
  return {};
}

Result<bool> review_submitted(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id) {
  auto n = tx.scalar("SELECT COUNT(*) FROM reviews WHERE application_id = ? AND reviewer_id = ? AND status = 'submitted'",
                     {application_id, reviewer_id});
  if (!n) return fail(n.error());
  return *n > 0;
}

Result<bool> is_reviewer(db::Transaction& tx, std::int64_t user_id) {
  auto n = tx.scalar(
      "SELECT COUNT(*) FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.id = ? AND u.active = 1 AND "
      "r.role = 'reviewer'",
      {user_id});
  if (!n) return fail(n.error());
  return *n > 0;
}

}  // namespace

Result<std::vector<ReviewerInfo>> reviewers(db::Transaction& tx) {
  auto rows = tx.query(
      "SELECT u.id, u.name FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'reviewer' AND "
      "u.active = 1 ORDER BY u.id");
  if (!rows) return fail(rows.error());
  std::vector<ReviewerInfo> out;
  for (const auto& row : *rows) {
    ReviewerInfo info{row.integer(0), row.text(1), {}};
    auto topics = tx.query("SELECT topic FROM reviewer_expertise WHERE user_id = ? ORDER BY topic", {info.id});
    if (!topics) return fail(topics.error());
    for (const auto& t : *topics) info.expertise.push_back(t.text(0));
    out.push_back(std::move(info));
  }
  return out;
}

Result<void> set_expertise(db::Transaction& tx, std::int64_t reviewer_id, const std::vector<std::string>& topics,
                           const audit::Actor& actor, Instant now) {
  for (const auto& topic : topics) {
    if (!topic_label(topic)) return fail(Error::invalid(fmt::format("専門分野が正しくありません: {}", topic)));
  }
  if (auto r = tx.exec("DELETE FROM reviewer_expertise WHERE user_id = ?", {reviewer_id}); !r) return r;
  for (const auto& topic : topics) {
    if (auto r = tx.exec("INSERT OR IGNORE INTO reviewer_expertise (user_id, topic) VALUES (?, ?)", {reviewer_id, topic});
        !r)
      return r;
  }
  return audited(tx, actor, "review.expertise", fmt::format("user:{}", reviewer_id), now);
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

Result<void> declare(db::Transaction& tx, std::int64_t call_id, const Declaration& d, const audit::Actor& actor,
                     Instant now) {
  if (auto p = detail::text_limit_problem("利害関係の内容", d.note, 500); !p.empty()) return fail(Error::invalid(p));
  if (d.conflict && text::trim(d.note).empty()) return fail(Error::invalid("利害関係がある場合は、その内容を入力してください"));
  auto application = tx.query_one("SELECT id FROM applications WHERE call_id = ? AND organisation_id = ?",
                                  {call_id, d.organisation_id});
  if (!application) return fail(application.error());
  if (!*application) return fail(Error::not_found("この公募に申請した団体ではありません"));
  std::int64_t application_id = (*application)->integer(0);
  if (d.conflict) {
    auto submitted = review_submitted(tx, application_id, d.reviewer_id);
    if (!submitted) return fail(submitted.error());
    if (*submitted) return fail(Error::conflict("審査結果を提出済みの申請です。事務局に連絡してください"));
    if (auto r = tx.exec("DELETE FROM review_assignments WHERE application_id = ? AND reviewer_id = ?",
                         {application_id, d.reviewer_id});
        !r)
      return r;
    if (auto r = tx.exec("DELETE FROM reviews WHERE application_id = ? AND reviewer_id = ?", {application_id, d.reviewer_id});
        !r)
      return r;
  }
  if (auto r = tx.exec(
          "INSERT INTO conflict_declarations (call_id, reviewer_id, organisation_id, conflict, note, declared_at) "
          "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (call_id, reviewer_id, organisation_id) DO UPDATE SET "
          "conflict = excluded.conflict, note = excluded.note, declared_at = excluded.declared_at",
          {call_id, d.reviewer_id, d.organisation_id, std::int64_t(d.conflict), std::string(text::trim(d.note)), iso_utc(now)});
      !r)
    return r;
  return audited(tx, actor, "review.declare", fmt::format("call:{}", call_id), now,
                 fmt::format(R"({{"organisation":{},"conflict":{}}})", d.organisation_id, d.conflict));
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

Result<int> auto_assign(db::Transaction& tx, const Call& call, const audit::Actor& actor, Instant now) {
  auto apps = list_applications(tx, call.id, true);
  if (!apps) return fail(apps.error());
  if (apps->empty()) return fail(Error::invalid("提出済みの申請がないため、割り当てる対象がありません"));
  auto people = reviewers(tx);
  if (!people) return fail(people.error());
  auto declared = declarations(tx, call.id);
  if (!declared) return fail(declared.error());
  auto current = assignments(tx, call.id);
  if (!current) return fail(current.error());

  engine::AssignmentInput input;
  input.per_application = call.reviewers_per_application;
  input.max_load = call.max_load;
  // The engine names reviewers in its advice, so they go in by name (with the user id only when
  // two reviewers share a name); reviewer_by_name maps back.
  std::map<std::string, int> same_name;
  for (const auto& r : *people) ++same_name[r.name];
  std::map<std::int64_t, std::string> reviewer_label;
  for (const auto& r : *people) {
    reviewer_label[r.id] = same_name[r.name] > 1 ? fmt::format("{}（ID {}）", r.name, r.id) : r.name;
    input.reviewers.push_back({reviewer_label[r.id], r.expertise});
  }
  std::map<std::int64_t, std::string> labels;  // application id -> "受付番号 団体名" for messages
  for (const auto& a : *apps) {
    auto full = find_application(tx, a.id);
    if (!full) return fail(full.error());
    std::string label = fmt::format("{}（{}）", a.receipt_number.value_or("-"), a.organisation_name);
    labels[a.id] = label;
    input.applications.push_back({label, std::to_string(a.organisation_id), (*full)->topics});
  }
  std::map<std::string, std::int64_t> application_by_label;
  for (const auto& [id, label] : labels) application_by_label[label] = id;
  std::map<std::string, std::int64_t> reviewer_by_name;
  for (const auto& [id, label] : reviewer_label) reviewer_by_name[label] = id;
  // A declaration by someone no longer an active reviewer cannot matter: they are not assigned.
  for (const auto& d : *declared) {
    if (d.conflict && reviewer_label.contains(d.reviewer_id))
      input.conflicts.push_back({reviewer_label[d.reviewer_id], std::to_string(d.organisation_id)});
  }
  // Pairs stay when locked by hand or when the review is already under way (submitted).
  std::set<std::pair<std::int64_t, std::int64_t>> kept;
  for (const auto& pair : *current) {
    auto submitted = review_submitted(tx, pair.application_id, pair.reviewer_id);
    if (!submitted) return fail(submitted.error());
    // A pair of a reviewer who is no longer active is not kept (they cannot review any more).
    if ((pair.locked || *submitted) && labels.contains(pair.application_id) && reviewer_label.contains(pair.reviewer_id)) {
      input.locked.push_back({labels[pair.application_id], reviewer_label[pair.reviewer_id]});
      kept.insert({pair.application_id, pair.reviewer_id});
    }
  }
  auto solved = engine::assign_reviewers(input);
  if (!solved) return fail(Error::invalid(solved.error().message));
  std::set<std::pair<std::int64_t, std::int64_t>> chosen;
  for (const auto& pair : solved->pairs) {
    chosen.insert({application_by_label.at(pair.application), reviewer_by_name.at(pair.reviewer)});
  }
  for (const auto& pair : *current) {
    if (!chosen.contains({pair.application_id, pair.reviewer_id})) {
      if (auto r = tx.exec("DELETE FROM review_assignments WHERE application_id = ? AND reviewer_id = ?",
                           {pair.application_id, pair.reviewer_id});
          !r)
        return fail(r.error());
      if (auto r = tx.exec("DELETE FROM reviews WHERE application_id = ? AND reviewer_id = ? AND status = 'draft'",
                           {pair.application_id, pair.reviewer_id});
          !r)
        return fail(r.error());
    }
  }
  for (const auto& [application_id, reviewer_id] : chosen) {
    if (auto r = tx.exec(
            "INSERT OR IGNORE INTO review_assignments (application_id, reviewer_id, locked, assigned_at) VALUES (?, ?, 0, ?)",
            {application_id, reviewer_id, iso_utc(now)});
        !r)
      return fail(r.error());
  }
  if (auto a = audited(tx, actor, "review.auto_assign", fmt::format("call:{}", call.id), now,
                       fmt::format(R"({{"pairs":{},"kept":{},"cost":{}}})", chosen.size(), kept.size(), solved->cost));
      !a)
    return fail(a.error());
  return solved->cost;
}

Result<bool> in_conflict(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id) {
  auto n = tx.scalar(
      "SELECT COUNT(*) FROM conflict_declarations d JOIN applications a ON a.call_id = d.call_id AND "
      "a.organisation_id = d.organisation_id WHERE a.id = ? AND d.reviewer_id = ? AND d.conflict = 1",
      {application_id, reviewer_id});
  if (!n) return fail(n.error());
  return *n > 0;
}

Result<bool> is_assigned(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id) {
  auto n = tx.scalar("SELECT COUNT(*) FROM review_assignments WHERE application_id = ? AND reviewer_id = ?",
                     {application_id, reviewer_id});
  if (!n) return fail(n.error());
  return *n > 0;
}

Result<void> assign(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id, bool locked,
                    const audit::Actor& actor, Instant now) {
  auto reviewer = is_reviewer(tx, reviewer_id);
  if (!reviewer) return fail(reviewer.error());
  if (!*reviewer) return fail(Error::invalid("審査委員ではないユーザーです"));
  auto application = find_application(tx, application_id);
  if (!application) return fail(application.error());
  if (!*application || !(*application)->submitted) return fail(Error::not_found("提出済みの申請が見つかりません"));
  auto conflict = in_conflict(tx, application_id, reviewer_id);
  if (!conflict) return fail(conflict.error());
  if (*conflict) return fail(Error::conflict("この審査委員はこの申請者との利害関係を申告しているため割り当てられません"));
  if (auto r = tx.exec(
          "INSERT INTO review_assignments (application_id, reviewer_id, locked, assigned_at) VALUES (?, ?, ?, ?) "
          "ON CONFLICT (application_id, reviewer_id) DO UPDATE SET locked = excluded.locked",
          {application_id, reviewer_id, std::int64_t(locked), iso_utc(now)});
      !r)
    return r;
  return audited(tx, actor, "review.assign", fmt::format("application:{}", application_id), now,
                 fmt::format(R"({{"reviewer":{},"locked":{}}})", reviewer_id, locked));
}

Result<void> unassign(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id,
                      const audit::Actor& actor, Instant now) {
  auto submitted = review_submitted(tx, application_id, reviewer_id);
  if (!submitted) return fail(submitted.error());
  if (*submitted) return fail(Error::conflict("審査結果が提出済みのため割り当てを外せません"));
  if (auto r = tx.exec("DELETE FROM review_assignments WHERE application_id = ? AND reviewer_id = ?",
                       {application_id, reviewer_id});
      !r)
    return r;
  if (tx.changes() == 0) return fail(Error::not_found("割り当てが見つかりません"));
  if (auto r = tx.exec("DELETE FROM reviews WHERE application_id = ? AND reviewer_id = ?", {application_id, reviewer_id}); !r)
    return r;
  return audited(tx, actor, "review.unassign", fmt::format("application:{}", application_id), now,
                 fmt::format(R"({{"reviewer":{}}})", reviewer_id));
}

double Review::total(const std::vector<Criterion>& criteria) const {
  double sum = 0;
  for (const auto& c : criteria) {
    auto it = scores.find(c.id);
    if (it != scores.end()) sum += double(c.weight) * it->second.level;
  }
  return sum;
}

namespace {

Result<Review> review_from(db::Transaction& tx, const db::Row& row) {
  Review review;
  review.application_id = row.integer(0);
  review.reviewer_id = row.integer(1);
  review.reviewer_name = row.text(2);
  review.submitted = row.text(3) == "submitted";
  review.comment = row.text(4);
  review.submitted_at = row.optional_text(5);
  auto scores = tx.query("SELECT criterion_id, level, comment FROM review_scores WHERE application_id = ? AND reviewer_id = ?",
                         {review.application_id, review.reviewer_id});
  if (!scores) return fail(scores.error());
  for (const auto& s : *scores) review.scores[s.integer(0)] = {int(s.integer(1)), s.text(2)};
  return review;
}

constexpr std::string_view kReviewSelect =
    "SELECT r.application_id, r.reviewer_id, u.name, r.status, r.comment, r.submitted_at FROM reviews r "
    "JOIN users u ON u.id = r.reviewer_id ";

}  // namespace

Result<std::optional<Review>> find_review(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id) {
  auto row = tx.query_one(fmt::format("{} WHERE r.application_id = ? AND r.reviewer_id = ?", kReviewSelect),
                          {application_id, reviewer_id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Review>{};
  auto review = review_from(tx, **row);
  if (!review) return fail(review.error());
  return std::optional<Review>{std::move(*review)};
}

Result<std::vector<Review>> reviews_of(db::Transaction& tx, std::int64_t application_id) {
  auto rows = tx.query(fmt::format("{} WHERE r.application_id = ? ORDER BY r.reviewer_id", kReviewSelect), {application_id});
  if (!rows) return fail(rows.error());
  std::vector<Review> out;
  for (const auto& row : *rows) {
    auto review = review_from(tx, row);
    if (!review) return fail(review.error());
    out.push_back(std::move(*review));
  }
  return out;
}

Result<void> save_review(db::Transaction& tx, const Call& call, std::int64_t application_id, std::int64_t reviewer_id,
                         const std::map<std::int64_t, Score>& scores, const std::string& comment,
                         const audit::Actor& actor, Instant now) {
  auto assigned = is_assigned(tx, application_id, reviewer_id);
  if (!assigned) return fail(assigned.error());
  if (!*assigned) return fail(Error::denied("この申請は割り当てられていません"));
  auto submitted = review_submitted(tx, application_id, reviewer_id);
  if (!submitted) return fail(submitted.error());
  if (*submitted) return fail(Error::conflict("提出済みの審査は変更できません"));
  auto items = criteria(tx, call.id);
  if (!items) return fail(items.error());
  if (auto p = detail::text_limit_problem("総合コメント", comment, 4000); !p.empty()) return fail(Error::invalid(p));
  for (const auto& [criterion_id, score] : scores) {
    auto it = std::find_if(items->begin(), items->end(), [&](const Criterion& c) { return c.id == criterion_id; });
    if (it == items->end()) return fail(Error::invalid("この公募の審査項目ではありません"));
    if (score.level < 0 || score.level > it->levels())
      return fail(Error::invalid(fmt::format("「{}」の評価は 1〜{} で選んでください", it->name, it->levels())));
    if (auto p = detail::text_limit_problem(fmt::format("「{}」のコメント", it->name), score.comment, 2000); !p.empty())
      return fail(Error::invalid(p));
  }
  if (auto r = tx.exec(
          "INSERT INTO reviews (application_id, reviewer_id, status, comment, updated_at) VALUES (?, ?, 'draft', ?, ?) "
          "ON CONFLICT (application_id, reviewer_id) DO UPDATE SET comment = excluded.comment, updated_at = excluded.updated_at",
          {application_id, reviewer_id, comment, iso_utc(now)});
      !r)
    return r;
  for (const auto& [criterion_id, score] : scores) {
    if (score.level == 0) {
      if (auto r = tx.exec("DELETE FROM review_scores WHERE application_id = ? AND reviewer_id = ? AND criterion_id = ?",
                           {application_id, reviewer_id, criterion_id});
          !r)
        return r;
      continue;
    }
    if (auto r = tx.exec(
            "INSERT INTO review_scores (application_id, reviewer_id, criterion_id, level, comment) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (application_id, reviewer_id, criterion_id) DO UPDATE SET level = excluded.level, "
            "comment = excluded.comment",
            {application_id, reviewer_id, criterion_id, std::int64_t(score.level), score.comment});
        !r)
      return r;
  }
  return audited(tx, actor, "review.save", fmt::format("application:{}", application_id), now);
}

Result<void> submit_review(db::Transaction& tx, const Call& call, std::int64_t application_id, std::int64_t reviewer_id,
                           const audit::Actor& actor, Instant now) {
  auto review = find_review(tx, application_id, reviewer_id);
  if (!review) return fail(review.error());
  if (!*review) return fail(Error::invalid("評価を入力してから提出してください"));
  if ((*review)->submitted) return fail(Error::conflict("この審査はすでに提出されています"));
  auto items = criteria(tx, call.id);
  if (!items) return fail(items.error());
  for (const auto& c : *items) {
    auto it = (*review)->scores.find(c.id);
    if (it == (*review)->scores.end() || it->second.level == 0)
      return fail(Error::invalid(fmt::format("「{}」の評価を選んでください", c.name)));
  }
  if (auto r = tx.exec("UPDATE reviews SET status = 'submitted', submitted_at = ? WHERE application_id = ? AND reviewer_id = ?",
                       {iso_utc(now), application_id, reviewer_id});
      !r)
    return r;
  return audited(tx, actor, "review.submit", fmt::format("application:{}", application_id), now,
                 fmt::format(R"({{"total":{}}})", (*review)->total(*items)));
}

Result<std::vector<ReviewerProgress>> progress(db::Transaction& tx, std::int64_t call_id) {
  auto rows = tx.query(
      "SELECT u.id, u.name, COUNT(ra.application_id), "
      "SUM(CASE WHEN r.status = 'submitted' THEN 1 ELSE 0 END) FROM review_assignments ra "
      "JOIN applications a ON a.id = ra.application_id JOIN users u ON u.id = ra.reviewer_id "
      "LEFT JOIN reviews r ON r.application_id = ra.application_id AND r.reviewer_id = ra.reviewer_id "
      "WHERE a.call_id = ? GROUP BY u.id, u.name ORDER BY u.id",
      {call_id});
  if (!rows) return fail(rows.error());
  std::vector<ReviewerProgress> out;
  for (const auto& row : *rows) out.push_back({row.integer(0), row.text(1), int(row.integer(2)), int(row.integer(3))});
  return out;
}

Result<int> remind_reviewers(db::Transaction& tx, const Call& call, const audit::Actor& actor, Instant now) {
  auto people = progress(tx, call.id);
  if (!people) return fail(people.error());
  int reminded = 0;
  for (const auto& p : *people) {
    if (p.submitted >= p.assigned) continue;
    if (auto r = notify(tx, p.reviewer_id, "審査のお願い",
                        fmt::format("「{}」の審査が {} 件残っています（割当 {} 件、提出済み {} 件）。", call.title,
                                    p.assigned - p.submitted, p.assigned, p.submitted),
                        "/review", now);
        !r)
      return fail(r.error());
    ++reminded;
  }
  if (auto a = audited(tx, actor, "review.remind", fmt::format("call:{}", call.id), now,
                       fmt::format(R"({{"reviewers":{}}})", reminded));
      !a)
    return fail(a.error());
  return reminded;
}

}  // namespace kakehashi::call
