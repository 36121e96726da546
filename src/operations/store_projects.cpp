#include "operations/store_projects.h"

#include <fmt/format.h>

#include <map>

namespace kakehashi::operations::store {
namespace {

constexpr std::string_view kProjectColumns =
    "p.id, p.operator_id, p.block_id, p.title, p.category, p.subtype, p.continuity, p.description, p.counting_key, "
    "p.created_at, p.updated_at";

Project project_from_row(const db::Row& row) {
  Project p;
  p.id = row.integer(0);
  p.operator_id = row.integer(1);
  p.block_id = row.text(2);
  p.title = row.text(3);
  p.category = category_from(row.text(4)).value_or(Category::kHito);
  p.subtype = row.text(5);
  p.continuity = continuity_from(row.text(6)).value_or(Continuity::kOneOff);
  p.description = row.text(7);
  p.counting_key = row.text(8);
  p.created_at = row.text(9);
  p.updated_at = row.text(10);
  return p;
}

Result<Session> session_from_row(const db::Row& row) {
  Session s;
  s.id = row.integer(0);
  s.project_id = row.integer(1);
  auto day = Date::parse(row.text(2));
  if (!day) return fail(day.error());
  s.held_on = *day;
  s.place = row.text(3);
  s.pupils = int(row.integer(4));
  s.teachers = int(row.integer(5));
  s.company_staff = int(row.integer(6));
  s.others = int(row.integer(7));
  s.note = row.text(8);
  s.source_key = row.optional_text(9);
  return s;
}

constexpr std::string_view kSessionColumns =
    "id, project_id, held_on, place, pupils, teachers, company_staff, others, note, source_key";

std::string placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
  return out;
}

// WHERE clause and parameters of a project query.
std::string where(const ProjectQuery& q, db::Params& params) {
  std::vector<std::string> scope;
  if (!q.scope.all) {
    if (q.scope.organisation_id) {
      scope.push_back("p.operator_id IN (SELECT id FROM operators WHERE organisation_id = ?)");
      params.emplace_back(*q.scope.organisation_id);
    }
    if (!q.scope.blocks.empty()) {
      scope.push_back(fmt::format("p.block_id IN ({})", placeholders(q.scope.blocks.size())));
      for (const auto& b : q.scope.blocks) params.emplace_back(b);
    }
    if (scope.empty()) scope.push_back("0");
  }
  std::string out = "WHERE 1 = 1";
  if (!scope.empty()) out += fmt::format(" AND ({})", fmt::join(scope, " OR "));
  if (q.operator_id) {
    out += " AND p.operator_id = ?";
    params.emplace_back(*q.operator_id);
  }
  if (!q.category.empty()) {
    out += " AND p.category = ?";
    params.emplace_back(q.category);
  }
  if (!q.block_id.empty()) {
    out += " AND p.block_id = ?";
    params.emplace_back(q.block_id);
  }
  if (!q.school_type.empty()) {
    out += " AND EXISTS (SELECT 1 FROM project_parties s WHERE s.project_id = p.id AND s.kind = 'school' AND "
           "s.school_type = ?)";
    params.emplace_back(q.school_type);
  }
  return out;
}

Result<void> load_parties(db::Transaction& tx, std::vector<Project>& projects) {
  if (projects.empty()) return {};
  std::map<std::int64_t, Project*> by_id;
  db::Params params;
  for (Project& p : projects) {
    by_id[p.id] = &p;
    params.emplace_back(p.id);
  }
  auto rows = tx.query(fmt::format("SELECT id, project_id, kind, name, school_type, prefecture_code FROM project_parties "
                                   "WHERE project_id IN ({}) ORDER BY id",
                                   placeholders(params.size())),
                       params);
  if (!rows) return fail(rows.error());
  for (const auto& row : *rows) {
    Party party{row.integer(0), party_kind_from(row.text(2)).value_or(PartyKind::kCompany), row.text(3),
                row.optional_text(4), row.optional_text(5)};
    by_id.at(row.integer(1))->parties.push_back(std::move(party));
  }
  return {};
}

}  // namespace

Result<std::int64_t> insert_project(db::Transaction& tx, const Project& p, Instant now) {
  auto id = tx.insert(
      "INSERT INTO projects (operator_id, block_id, title, category, subtype, continuity, description, counting_key, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {p.operator_id, p.block_id, p.title, std::string(to_string(p.category)), p.subtype,
       std::string(to_string(p.continuity)), p.description, p.counting_key, iso_utc(now), iso_utc(now)});
  if (!id) return id;
  for (const Party& party : p.parties) {
    if (auto r = add_party(tx, *id, party); !r) return fail(r.error());
  }
  return id;
}

Result<void> update_project(db::Transaction& tx, const Project& p, Instant now) {
  return tx.exec(
      "UPDATE projects SET block_id = ?, title = ?, category = ?, subtype = ?, continuity = ?, description = ?, "
      "updated_at = ? WHERE id = ?",
      {p.block_id, p.title, std::string(to_string(p.category)), p.subtype, std::string(to_string(p.continuity)),
       p.description, iso_utc(now), p.id});
}

Result<void> add_party(db::Transaction& tx, std::int64_t project_id, const Party& party) {
  auto inserted = tx.insert(
      "INSERT INTO project_parties (project_id, kind, name, school_type, prefecture_code) VALUES (?, ?, ?, ?, ?)",
      {project_id, std::string(to_string(party.kind)), party.name, db::nullable(party.school_type),
       db::nullable(party.prefecture_code)});
  if (!inserted) return fail(inserted.error());
  return {};
}

Result<void> replace_parties(db::Transaction& tx, std::int64_t project_id, const std::vector<Party>& parties) {
  if (auto r = tx.exec("DELETE FROM project_parties WHERE project_id = ?", {project_id}); !r) return r;
  for (const Party& party : parties) {
    if (auto r = add_party(tx, project_id, party); !r) return r;
  }
  return {};
}

Result<std::int64_t> insert_session(db::Transaction& tx, std::int64_t project_id, const Session& s, Instant now) {
  return tx.insert(
      "INSERT INTO project_sessions (project_id, held_on, place, pupils, teachers, company_staff, others, note, "
      "source_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {project_id, s.held_on.iso(), s.place, std::int64_t(s.pupils), std::int64_t(s.teachers),
       std::int64_t(s.company_staff), std::int64_t(s.others), s.note, db::nullable(s.source_key), iso_utc(now)});
}

Result<void> update_session(db::Transaction& tx, std::int64_t project_id, const Session& s) {
  return tx.exec(
      "UPDATE project_sessions SET held_on = ?, place = ?, pupils = ?, teachers = ?, company_staff = ?, others = ?, "
      "note = ? WHERE id = ? AND project_id = ?",
      {s.held_on.iso(), s.place, std::int64_t(s.pupils), std::int64_t(s.teachers), std::int64_t(s.company_staff),
       std::int64_t(s.others), s.note, s.id, project_id});
}

Result<std::int64_t> remove_sessions_except(db::Transaction& tx, std::int64_t project_id,
                                            const std::vector<std::int64_t>& keep) {
  db::Params params{project_id};
  std::string sql = "DELETE FROM project_sessions WHERE project_id = ?";
  if (!keep.empty()) {
    sql += fmt::format(" AND id NOT IN ({})", placeholders(keep.size()));
    for (auto id : keep) params.emplace_back(id);
  }
  if (auto r = tx.exec(sql, params); !r) return fail(r.error());
  return tx.changes();
}

Result<void> delete_project(db::Transaction& tx, std::int64_t project_id) {
  if (auto r = tx.exec("DELETE FROM project_sessions WHERE project_id = ?", {project_id}); !r) return r;
  if (auto r = tx.exec("DELETE FROM project_parties WHERE project_id = ?", {project_id}); !r) return r;
  return tx.exec("DELETE FROM projects WHERE id = ?", {project_id});
}

Result<std::optional<Project>> find_project(db::Transaction& tx, std::int64_t project_id) {
  auto row = tx.query_one(fmt::format("SELECT {} FROM projects p WHERE p.id = ?", kProjectColumns), {project_id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Project>{};
  std::vector<Project> one{project_from_row(**row)};
  if (auto r = load_parties(tx, one); !r) return fail(r.error());
  auto sessions = sessions_of(tx, {project_id});
  if (!sessions) return fail(sessions.error());
  one[0].sessions = std::move(*sessions);
  one[0].session_count = int(one[0].sessions.size());
  return std::optional<Project>(std::move(one[0]));
}

Result<std::vector<Project>> list_projects(db::Transaction& tx, const ProjectQuery& q) {
  db::Params params;
  std::string filter = where(q, params);
  params.emplace_back(std::int64_t(q.limit));
  params.emplace_back(std::int64_t(q.offset));
  auto rows = tx.query(fmt::format("SELECT {}, (SELECT COUNT(*) FROM project_sessions s WHERE s.project_id = p.id) "
                                   "FROM projects p {} ORDER BY p.id DESC LIMIT ? OFFSET ?",
                                   kProjectColumns, filter),
                       params);
  if (!rows) return fail(rows.error());
  std::vector<Project> out;
  out.reserve(rows->size());
  for (const auto& row : *rows) {
    out.push_back(project_from_row(row));
    out.back().session_count = int(row.integer(11));
  }
  if (auto r = load_parties(tx, out); !r) return fail(r.error());
  return out;
}

Result<std::int64_t> count_projects(db::Transaction& tx, const ProjectQuery& q) {
  db::Params params;
  std::string filter = where(q, params);
  return tx.scalar(fmt::format("SELECT COUNT(*) FROM projects p {}", filter), params);
}

Result<std::vector<Session>> sessions_of(db::Transaction& tx, const std::vector<std::int64_t>& project_ids) {
  std::vector<Session> out;
  if (project_ids.empty()) return out;
  db::Params params(project_ids.begin(), project_ids.end());
  auto rows = tx.query(fmt::format("SELECT {} FROM project_sessions WHERE project_id IN ({}) ORDER BY project_id, "
                                   "held_on, id",
                                   kSessionColumns, placeholders(project_ids.size())),
                       params);
  if (!rows) return fail(rows.error());
  out.reserve(rows->size());
  for (const auto& row : *rows) {
    auto s = session_from_row(row);
    if (!s) return fail(s.error());
    out.push_back(std::move(*s));
  }
  return out;
}

Result<OperatorProjectCounts> project_counts(db::Transaction& tx, std::int64_t operator_id) {
  auto row = tx.query_one(
      "SELECT COUNT(*), COALESCE(SUM(category = 'hito'), 0), COALESCE(SUM(category = 'mono'), 0), "
      "COALESCE(SUM(category = 'kane'), 0) FROM projects WHERE operator_id = ?",
      {operator_id});
  if (!row) return fail(row.error());
  OperatorProjectCounts c;
  if (*row) {
    c.projects = (*row)->integer(0);
    c.hito = (*row)->integer(1);
    c.mono = (*row)->integer(2);
    c.kane = (*row)->integer(3);
  }
  auto sessions = tx.query_one(
      "SELECT COUNT(*), COALESCE(SUM(s.pupils + s.teachers + s.company_staff + s.others), 0) FROM project_sessions s "
      "JOIN projects p ON p.id = s.project_id WHERE p.operator_id = ?",
      {operator_id});
  if (!sessions) return fail(sessions.error());
  if (*sessions) {
    c.sessions = (*sessions)->integer(0);
    c.participants = (*sessions)->integer(1);
  }
  return c;
}

Result<std::optional<std::int64_t>> project_by_counting_key(db::Transaction& tx, std::int64_t operator_id,
                                                           const std::string& key) {
  auto row = tx.query_one("SELECT id FROM projects WHERE operator_id = ? AND counting_key = ? ORDER BY id LIMIT 1",
                          {operator_id, key});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>((*row)->integer(0));
}

Result<std::unordered_map<std::string, std::int64_t>> counting_keys(db::Transaction& tx, std::int64_t operator_id) {
  auto rows = tx.query(
      "SELECT counting_key, MIN(id) FROM projects WHERE operator_id = ? AND counting_key <> '' GROUP BY counting_key",
      {operator_id});
  if (!rows) return fail(rows.error());
  std::unordered_map<std::string, std::int64_t> out;
  out.reserve(rows->size());
  for (const auto& row : *rows) out.emplace(row.text(0), row.integer(1));
  return out;
}

Result<std::unordered_map<std::string, std::int64_t>> source_keys(db::Transaction& tx, std::int64_t operator_id) {
  auto rows = tx.query(
      "SELECT s.source_key, s.project_id FROM project_sessions s JOIN projects p ON p.id = s.project_id WHERE p.operator_id = ? AND "
      "s.source_key IS NOT NULL",
      {operator_id});
  if (!rows) return fail(rows.error());
  std::unordered_map<std::string, std::int64_t> out;
  out.reserve(rows->size());
  for (const auto& row : *rows) out.emplace(row.text(0), row.integer(1));
  return out;
}

Result<std::set<std::string>> party_keys(db::Transaction& tx, std::int64_t project_id) {
  auto rows = tx.query("SELECT kind, name FROM project_parties WHERE project_id = ?", {project_id});
  if (!rows) return fail(rows.error());
  std::set<std::string> out;
  for (const auto& row : *rows) out.insert(row.text(0) + '\x1f' + row.text(1));
  return out;
}

}  // namespace kakehashi::operations::store
