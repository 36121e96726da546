#include "operations/store_flags.h"

namespace kakehashi::operations::store {
namespace {

// The Japan date of a stored UTC instant "YYYY-MM-DDTHH:MM:SSZ" (day boundaries at 15:00 UTC).
std::optional<Date> japan_day_of(const std::string& instant) {
  if (instant.size() < 19) return std::nullopt;
  auto day = Date::parse(instant.substr(0, 10));
  if (!day) return std::nullopt;
  int hour = std::atoi(instant.substr(11, 2).c_str());
  return hour >= 15 ? day->plus_days(1) : *day;
}

void keep_latest(std::map<std::int64_t, Date>& out, std::int64_t id, std::optional<Date> day, Date today) {
  if (!day || *day > today) return;
  auto [it, inserted] = out.emplace(id, *day);
  if (!inserted && it->second < *day) it->second = *day;
}

}  // namespace

Result<std::map<std::int64_t, Date>> last_activity(db::Transaction& tx, std::int64_t call_id, Date today) {
  std::map<std::int64_t, Date> out;
  // Dates kept as Japan dates: sessions and support logs (compare as text, ISO sorts).
  auto days = tx.query(
      "SELECT p.operator_id, MAX(s.held_on) FROM project_sessions s JOIN projects p ON p.id = s.project_id "
      "JOIN operators o ON o.id = p.operator_id WHERE o.call_id = ? AND s.held_on <= ? GROUP BY p.operator_id "
      "UNION ALL "
      "SELECT l.operator_id, MAX(l.held_on) FROM support_logs l JOIN operators o ON o.id = l.operator_id "
      "WHERE o.call_id = ? AND l.held_on <= ? GROUP BY l.operator_id",
      {call_id, today.iso(), call_id, today.iso()});
  if (!days) return fail(days.error());
  for (const auto& row : *days) {
    if (row.is_null(1)) continue;
    auto day = Date::parse(row.text(1));
    if (day) keep_latest(out, row.integer(0), *day, today);
  }
  // Instants (UTC): milestones changed, evidence added.
  auto instants = tx.query(
      "SELECT m.operator_id, MAX(m.updated_at) FROM milestones m JOIN operators o ON o.id = m.operator_id "
      "WHERE o.call_id = ? GROUP BY m.operator_id "
      "UNION ALL "
      "SELECT m.operator_id, MAX(e.added_at) FROM milestone_evidence e JOIN milestones m ON m.id = e.milestone_id "
      "JOIN operators o ON o.id = m.operator_id WHERE o.call_id = ? GROUP BY m.operator_id",
      {call_id, call_id});
  if (!instants) return fail(instants.error());
  for (const auto& row : *instants) {
    if (row.is_null(1)) continue;
    keep_latest(out, row.integer(0), japan_day_of(row.text(1)), today);
  }
  return out;
}

Result<std::map<std::int64_t, int>> project_counts_of_call(db::Transaction& tx, std::int64_t call_id) {
  auto rows = tx.query(
      "SELECT p.operator_id, COUNT(*) FROM projects p JOIN operators o ON o.id = p.operator_id WHERE o.call_id = ? "
      "GROUP BY p.operator_id",
      {call_id});
  if (!rows) return fail(rows.error());
  std::map<std::int64_t, int> out;
  for (const auto& row : *rows) out[row.integer(0)] = int(row.integer(1));
  return out;
}

Result<std::int64_t> expenses_to(db::Transaction& tx, std::int64_t call_id, Date today) {
  auto row = tx.query_one("SELECT COALESCE(SUM(amount), 0) FROM expenses WHERE call_id = ? AND spent_on <= ?",
                          {call_id, today.iso()});
  if (!row) return fail(row.error());
  return *row ? (*row)->integer(0) : 0;
}

Result<std::map<std::string, std::int64_t>> budget_plan(db::Transaction& tx, std::int64_t call_id) {
  auto rows = tx.query("SELECT month, SUM(planned) FROM budget_plan WHERE call_id = ? GROUP BY month", {call_id});
  if (!rows) return fail(rows.error());
  std::map<std::string, std::int64_t> out;
  for (const auto& row : *rows) out[row.text(0)] = row.integer(1);
  return out;
}

Result<ProgrammeCounts> programme_counts(db::Transaction& tx, std::int64_t call_id) {
  ProgrammeCounts out;
  auto projects = tx.query(
      "SELECT p.block_id, p.category, COUNT(*) FROM projects p JOIN operators o ON o.id = p.operator_id "
      "WHERE o.call_id = ? GROUP BY p.block_id, p.category",
      {call_id});
  if (!projects) return fail(projects.error());
  for (const auto& row : *projects) {
    out.block_category[row.text(0)][row.text(1)] += int(row.integer(2));
  }
  auto schools = tx.query(
      "SELECT p.block_id, pp.school_type, COUNT(DISTINCT pp.project_id) FROM project_parties pp JOIN projects p ON p.id = pp.project_id "
      "JOIN operators o ON o.id = p.operator_id WHERE o.call_id = ? AND pp.kind = 'school' AND pp.school_type IS NOT NULL "
      "GROUP BY p.block_id, pp.school_type",
      {call_id});
  if (!schools) return fail(schools.error());
  for (const auto& row : *schools) out.block_school_type[row.text(0)][row.text(1)] = int(row.integer(2));
  auto sessions = tx.query(
      "SELECT p.block_id, COUNT(*) FROM project_sessions s JOIN projects p ON p.id = s.project_id "
      "JOIN operators o ON o.id = p.operator_id WHERE o.call_id = ? GROUP BY p.block_id",
      {call_id});
  if (!sessions) return fail(sessions.error());
  for (const auto& row : *sessions) out.block_sessions[row.text(0)] = int(row.integer(1));
  return out;
}

}  // namespace kakehashi::operations::store
