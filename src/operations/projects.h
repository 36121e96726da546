// The operations module's rules for projects and their sessions (R3.2, issue 15): a project
// belongs to an operator and one of its blocks, has a category ヒト・モノ・カネ with a subtype of
// that category, parties (companies, municipalities / boards of education, schools of the nine
// types with a prefecture), a continuity (単発・継続・広域) and sessions (date, place,
// participants by kind). Operators change only their own (kEditOperatorPlan), the secretariat
// all; reads follow kViewOperations with the reader's reach. Every change is audited.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/roles.h"
#include "db/database.h"
#include "operations/model.h"

namespace kakehashi::operations {

// A party as typed in the project form (kind: company / municipality / school).
struct PartyDraft {
  std::string kind;
  std::string name;
  std::string school_type;      // SchoolType id, schools only
  std::string prefecture_code;  // "01" … "47", schools (optional for the others)
};

// A session as typed in the form: numbers as text so that a refused form keeps them.
struct SessionDraft {
  std::int64_t id = 0;  // 0 for a new session
  std::string held_on;  // "2026-10-05"
  std::string place;
  std::string pupils;
  std::string teachers;
  std::string company_staff;
  std::string others;
  std::string note;
};

// The project form. Empty party and session rows (nothing typed) are ignored.
struct ProjectDraft {
  std::string block_id;
  std::string title;
  std::string category;    // hito / mono / kane
  std::string subtype;     // Subtype id of that category
  std::string continuity;  // one_off / continuing / wide_area
  std::string description;
  std::vector<PartyDraft> parties;
  std::vector<SessionDraft> sessions;
};

// The draft of an existing project (to fill the edit form).
ProjectDraft draft_of(const Project& project);

// Every problem of `draft` for operator `op` at once. Field names as in the form: block_id,
// title, category, subtype, continuity, description, parties (rows named in the message:
// "関係先 2 行目: …"), sessions ("実施回 3 行目: …").
std::vector<FieldError> validate(const ProjectDraft& draft, const Operator& op);

// The filters of a project list (empty: any).
struct ProjectFilter {
  std::optional<std::int64_t> operator_id;
  std::string category;     // hito / mono / kane
  std::string block_id;
  std::string school_type;  // projects with a school of that type
};

struct ProjectPage {
  std::vector<Project> items;  // with parties and session_count (not the sessions)
  std::int64_t total = 0;
};

// Counts of an operator's projects for its list: projects, sessions, participants, per category.
struct ProjectCounts {
  std::int64_t projects = 0;
  std::int64_t sessions = 0;
  std::int64_t participants = 0;
  std::int64_t hito = 0, mono = 0, kane = 0;
};

// The projects `who` may see (kViewOperations reach; bureaus see the projects of their blocks)
// matching `filter`, newest first, `per_page` (1–200) from page `page` (1-based).
[[nodiscard]] Result<ProjectPage> list_projects(db::Transaction& tx, const auth::Principal& who,
                                                const ProjectFilter& filter, int page, int per_page);
// The sessions of the projects `ids` that `who` may see (ids out of reach give nothing), by
// project then date.
[[nodiscard]] Result<std::vector<Session>> sessions_of_projects(db::Transaction& tx, const auth::Principal& who,
                                                                const std::vector<std::int64_t>& ids);
// The counts of one operator's projects within `who`'s reach.
[[nodiscard]] Result<ProjectCounts> project_counts(db::Transaction& tx, const auth::Principal& who,
                                                   const Operator& op);

// The project with parties and sessions if `who` may see it; nullopt when unknown or out of reach.
[[nodiscard]] Result<std::optional<Project>> find_project(db::Transaction& tx, const auth::Principal& who,
                                                          std::int64_t project_id);

// True when `who` may change the projects of `op` (kEditOperatorPlan: the operator itself or the
// secretariat).
[[nodiscard]] Result<bool> may_edit_projects(db::Transaction& tx, const auth::Principal& who, const Operator& op);

// Creates a project of the operator (refused with validate()'s messages; audited
// "operation.project_create"). Returns its id.
[[nodiscard]] Result<std::int64_t> create_project(db::Transaction& tx, const auth::Principal& who,
                                                  std::int64_t operator_id, const ProjectDraft& draft, Instant now);
// Changes a project: its fields, parties (replaced) and sessions (rows with an id are kept and
// changed, rows without one added, sessions not in the draft removed). Audited
// "operation.project_update".
[[nodiscard]] Result<void> update_project(db::Transaction& tx, const auth::Principal& who, std::int64_t project_id,
                                          const ProjectDraft& draft, Instant now);
// Removes a project and its sessions. Audited "operation.project_delete".
[[nodiscard]] Result<void> delete_project(db::Transaction& tx, const auth::Principal& who, std::int64_t project_id,
                                          Instant now);

// "小学校" for "elementary"; the id itself when unknown.
std::string school_type_label(std::string_view id);
// "ヒト：専門人材の派遣（英語）"
std::string subtype_label(std::string_view id);

}  // namespace kakehashi::operations
