// operations' SQL for projects, their parties and sessions (private to the module).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "db/database.h"
#include "operations/model.h"

namespace kakehashi::operations::store {

// Which projects a query may return: all, those of the operators of an organisation, those of
// some blocks (a union).
struct ProjectScope {
  bool all = false;
  std::optional<std::int64_t> organisation_id;
  std::set<std::string> blocks;
};

struct ProjectQuery {
  ProjectScope scope;
  std::optional<std::int64_t> operator_id;
  std::string category;
  std::string block_id;
  std::string school_type;
  int limit = 50;
  int offset = 0;
};

[[nodiscard]] Result<std::int64_t> insert_project(db::Transaction& tx, const Project& project, Instant now);
[[nodiscard]] Result<void> update_project(db::Transaction& tx, const Project& project, Instant now);
[[nodiscard]] Result<void> replace_parties(db::Transaction& tx, std::int64_t project_id, const std::vector<Party>& parties);
[[nodiscard]] Result<void> add_party(db::Transaction& tx, std::int64_t project_id, const Party& party);
[[nodiscard]] Result<std::int64_t> insert_session(db::Transaction& tx, std::int64_t project_id, const Session& session,
                                                  Instant now);
[[nodiscard]] Result<void> update_session(db::Transaction& tx, std::int64_t project_id, const Session& session);
// Removes the project's sessions whose id is not in `keep`; returns how many.
[[nodiscard]] Result<std::int64_t> remove_sessions_except(db::Transaction& tx, std::int64_t project_id,
                                                          const std::vector<std::int64_t>& keep);
[[nodiscard]] Result<void> delete_project(db::Transaction& tx, std::int64_t project_id);
// With parties and sessions (by date).
[[nodiscard]] Result<std::optional<Project>> find_project(db::Transaction& tx, std::int64_t project_id);
// With parties and session_count.
[[nodiscard]] Result<std::vector<Project>> list_projects(db::Transaction& tx, const ProjectQuery& query);
[[nodiscard]] Result<std::int64_t> count_projects(db::Transaction& tx, const ProjectQuery& query);
// The sessions of several projects at once (for the API), by project then date.
[[nodiscard]] Result<std::vector<Session>> sessions_of(db::Transaction& tx, const std::vector<std::int64_t>& project_ids);

struct OperatorProjectCounts {
  std::int64_t projects = 0, sessions = 0, participants = 0, hito = 0, mono = 0, kane = 0;
};
[[nodiscard]] Result<OperatorProjectCounts> project_counts(db::Transaction& tx, std::int64_t operator_id);

// The operator's project with this counting key (the import matches groups to projects by it).
[[nodiscard]] Result<std::optional<std::int64_t>> project_by_counting_key(db::Transaction& tx, std::int64_t operator_id,
                                                                         const std::string& key);
// The counting keys of the operator's projects, with the (first) project of each.
[[nodiscard]] Result<std::unordered_map<std::string, std::int64_t>> counting_keys(db::Transaction& tx,
                                                                                std::int64_t operator_id);
// Every source key of the operator's imported sessions, with the project holding it.
[[nodiscard]] Result<std::unordered_map<std::string, std::int64_t>> source_keys(db::Transaction& tx,
                                                                              std::int64_t operator_id);
// The names of the parties of one of the operator's projects (kind + "\x1f" + name).
[[nodiscard]] Result<std::set<std::string>> party_keys(db::Transaction& tx, std::int64_t project_id);

}  // namespace kakehashi::operations::store
