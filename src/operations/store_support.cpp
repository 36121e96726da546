#include "operations/store_support.h"

#include <string>

namespace kakehashi::operations::store {
namespace {

const std::string kLogSelect =
    "SELECT id, operator_id, held_on, kind, topic, advice, next_step, next_step_due, next_step_owner, "
    "next_step_done_at, created_at, created_by FROM support_logs ";

Result<std::optional<Date>> optional_date(const db::Row& row, std::size_t i) {
  auto text = row.optional_text(i);
  if (!text) return std::optional<Date>{};
  auto d = Date::parse(*text);
  if (!d) return fail(d.error());
  return std::optional<Date>{*d};
}

Result<SupportLog> log_from_row(const db::Row& row) {
  SupportLog s;
  s.id = row.integer(0);
  s.operator_id = row.integer(1);
  auto held = Date::parse(row.text(2));
  if (!held) return fail(held.error());
  s.held_on = *held;
  s.kind = support_kind_from(row.text(3)).value_or(SupportKind::kVisit);
  s.topic = row.text(4);
  s.advice = row.text(5);
  s.next_step = row.text(6);
  auto due = optional_date(row, 7);
  if (!due) return fail(due.error());
  s.next_step_due = *due;
  s.next_step_owner = row.optional_integer(8);
  s.next_step_done_at = row.optional_text(9);
  s.created_at = row.text(10);
  s.created_by = row.optional_integer(11);
  return s;
}

Result<std::vector<SupportLog>> logs(db::Transaction& tx, const std::string& rest, const db::Params& params) {
  auto rows = tx.query(kLogSelect + rest, params);
  if (!rows) return fail(rows.error());
  std::vector<SupportLog> out;
  for (const auto& row : *rows) {
    auto s = log_from_row(row);
    if (!s) return fail(s.error());
    out.push_back(std::move(*s));
  }
  return out;
}

Result<Mentoring> mentoring_from_row(const db::Row& row) {
  Mentoring m;
  m.id = row.integer(0);
  m.operator_id = row.integer(1);
  m.startup_name = row.text(2);
  m.stage = startup_stage_from(row.text(3)).value_or(StartupStage::kSeed);
  m.goals = row.text(4);
  m.mentor_user_id = row.optional_integer(5);
  return m;
}

Result<void> load_sessions(db::Transaction& tx, Mentoring& m) {
  auto rows = tx.query(
      "SELECT id, mentoring_id, held_on, notes, next_step FROM mentoring_sessions WHERE mentoring_id = ? "
      "ORDER BY held_on, id",
      {m.id});
  if (!rows) return fail(rows.error());
  for (const auto& row : *rows) {
    auto held = Date::parse(row.text(2));
    if (!held) return fail(held.error());
    m.sessions.push_back({row.integer(0), row.integer(1), *held, row.text(3), row.text(4)});
  }
  return {};
}

Result<std::vector<Mentoring>> mentorings(db::Transaction& tx, const std::string& rest, const db::Params& params) {
  auto rows = tx.query("SELECT id, operator_id, startup_name, stage, goals, mentor_user_id FROM mentorings " + rest, params);
  if (!rows) return fail(rows.error());
  std::vector<Mentoring> out;
  for (const auto& row : *rows) {
    auto m = mentoring_from_row(row);
    if (!m) return fail(m.error());
    if (auto r = load_sessions(tx, *m); !r) return fail(r.error());
    out.push_back(std::move(*m));
  }
  return out;
}

db::Value optional_iso(const std::optional<Date>& d) { return d ? db::Value{d->iso()} : db::null(); }

}  // namespace

Result<std::vector<SupportLog>> support_logs_of(db::Transaction& tx, std::int64_t operator_id) {
  return logs(tx, "WHERE operator_id = ? ORDER BY held_on DESC, id DESC", {operator_id});
}

Result<std::optional<SupportLog>> find_support_log(db::Transaction& tx, std::int64_t id) {
  auto found = logs(tx, "WHERE id = ?", {id});
  if (!found) return fail(found.error());
  if (found->empty()) return std::optional<SupportLog>{};
  return std::optional<SupportLog>{std::move(found->front())};
}

Result<std::int64_t> insert_support_log(db::Transaction& tx, const SupportLog& s, Instant now, std::int64_t by) {
  return tx.insert(
      "INSERT INTO support_logs (operator_id, held_on, kind, topic, advice, next_step, next_step_due, next_step_owner, "
      "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {s.operator_id, s.held_on.iso(), std::string(to_string(s.kind)), s.topic, s.advice, s.next_step,
       optional_iso(s.next_step_due), db::nullable(s.next_step_owner), iso_utc(now), by});
}

Result<void> update_support_log(db::Transaction& tx, std::int64_t id, const SupportLog& s) {
  return tx.exec(
      "UPDATE support_logs SET held_on = ?, kind = ?, topic = ?, advice = ?, next_step = ?, next_step_due = ?, "
      "next_step_owner = ? WHERE id = ?",
      {s.held_on.iso(), std::string(to_string(s.kind)), s.topic, s.advice, s.next_step, optional_iso(s.next_step_due),
       db::nullable(s.next_step_owner), id});
}

Result<void> set_next_step_done(db::Transaction& tx, std::int64_t id, Instant now) {
  return tx.exec("UPDATE support_logs SET next_step_done_at = ? WHERE id = ?", {iso_utc(now), id});
}

Result<std::vector<SupportLog>> open_steps_of(db::Transaction& tx, std::int64_t user_id) {
  return logs(tx, "WHERE next_step_owner = ? AND next_step_done_at IS NULL AND next_step <> '' ORDER BY next_step_due, id",
              {user_id});
}

Result<std::vector<Mentoring>> mentorings_of(db::Transaction& tx, std::int64_t operator_id) {
  return mentorings(tx, "WHERE operator_id = ? ORDER BY id", {operator_id});
}

Result<std::optional<Mentoring>> find_mentoring(db::Transaction& tx, std::int64_t id) {
  auto found = mentorings(tx, "WHERE id = ?", {id});
  if (!found) return fail(found.error());
  if (found->empty()) return std::optional<Mentoring>{};
  return std::optional<Mentoring>{std::move(found->front())};
}

Result<std::int64_t> insert_mentoring(db::Transaction& tx, const Mentoring& m, Instant now) {
  return tx.insert(
      "INSERT INTO mentorings (operator_id, startup_name, stage, goals, mentor_user_id, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {m.operator_id, m.startup_name, std::string(to_string(m.stage)), m.goals, db::nullable(m.mentor_user_id),
       iso_utc(now), iso_utc(now)});
}

Result<void> update_mentoring(db::Transaction& tx, std::int64_t id, const Mentoring& m, Instant now) {
  return tx.exec(
      "UPDATE mentorings SET startup_name = ?, stage = ?, goals = ?, mentor_user_id = ?, updated_at = ? WHERE id = ?",
      {m.startup_name, std::string(to_string(m.stage)), m.goals, db::nullable(m.mentor_user_id), iso_utc(now), id});
}

Result<std::int64_t> insert_mentoring_session(db::Transaction& tx, const MentoringSession& s, Instant now,
                                              std::int64_t by) {
  auto id = tx.insert(
      "INSERT INTO mentoring_sessions (mentoring_id, held_on, notes, next_step, created_at, created_by) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {s.mentoring_id, s.held_on.iso(), s.notes, s.next_step, iso_utc(now), by});
  if (!id) return id;
  if (auto r = tx.exec("UPDATE mentorings SET updated_at = ? WHERE id = ?", {iso_utc(now), s.mentoring_id}); !r)
    return fail(r.error());
  return id;
}

Result<std::vector<Milestone>> open_milestones_of(db::Transaction& tx, std::int64_t user_id) {
  auto rows = tx.query(
      "SELECT id, operator_id, title, due_on, status FROM milestones WHERE owner_user_id = ? "
      "AND status NOT IN ('done', 'cancelled') ORDER BY due_on, id",
      {user_id});
  if (!rows) return fail(rows.error());
  std::vector<Milestone> out;
  for (const auto& row : *rows) {
    Milestone m;
    m.id = row.integer(0);
    m.operator_id = row.integer(1);
    m.title = row.text(2);
    auto due = Date::parse(row.text(3));
    if (!due) return fail(due.error());
    m.due_on = *due;
    m.status = milestone_status_from(row.text(4)).value_or(MilestoneStatus::kNotStarted);
    m.owner_user_id = user_id;
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace kakehashi::operations::store
