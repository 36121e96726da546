// Typed views of the project and import screens of the operations module (issue 15, part B).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "web/handlers/operations/common.h"
#include "web/layout_view.h"

namespace kakehashi::web::opsweb {

// An option of a <select>.
struct Choice {
  std::string id;
  std::string label;
  bool selected = false;
  void fields(auto& f) const {
    f("id", id);
    f("label", label);
    f("selected", selected);
  }
};

// One error of the summary at the top of a form, linking to its field.
struct ErrorLink {
  std::string field;
  std::string message;
  void fields(auto& f) const {
    f("field", field);
    f("message", message);
  }
};

struct ProjectRow {
  std::string href;
  std::string title;
  std::string category;
  std::string subtype;
  std::string continuity;
  std::string block;
  std::string parties;
  std::int64_t sessions = 0;
  void fields(auto& f) const {
    f("href", href);
    f("title", title);
    f("category", category);
    f("subtype", subtype);
    f("continuity", continuity);
    f("block", block);
    f("parties", parties);
    f("sessions", sessions);
  }
};

struct ImportLink {
  std::string href;
  std::string file_name;
  std::string state;
  std::string created_at;
  void fields(auto& f) const {
    f("href", href);
    f("file_name", file_name);
    f("state", state);
    f("created_at", created_at);
  }
};

struct ProjectsView {
  std::string operator_name;
  std::int64_t operator_id = 0;
  std::vector<OperatorTab> tabs;
  bool can_edit = false;
  std::vector<Choice> categories;
  std::vector<Choice> blocks;
  std::vector<Choice> school_types;
  bool filtering = false;
  std::int64_t total = 0;
  std::int64_t count_projects = 0, count_sessions = 0, count_participants = 0, count_hito = 0, count_mono = 0,
               count_kane = 0;
  std::vector<ProjectRow> projects;
  bool has_projects = false;
  std::optional<Pagination> pages;
  std::string export_href;
  std::vector<ImportLink> imports;
  bool has_imports = false;
  void fields(auto& f) const {
    f("operator_name", operator_name);
    f("operator_id", operator_id);
    f("tabs", tabs);
    f("can_edit", can_edit);
    f("categories", categories);
    f("blocks", blocks);
    f("school_types", school_types);
    f("filtering", filtering);
    f("total", total);
    f("count_projects", count_projects);
    f("count_sessions", count_sessions);
    f("count_participants", count_participants);
    f("count_hito", count_hito);
    f("count_mono", count_mono);
    f("count_kane", count_kane);
    f("projects", projects);
    f("has_projects", has_projects);
    f("pages", pages);
    f("export_href", export_href);
    f("imports", imports);
    f("has_imports", has_imports);
  }
};

struct PartyRowView {
  std::size_t index = 0;
  std::size_t number = 0;
  std::vector<Choice> kinds;
  std::string name;
  std::vector<Choice> school_types;
  std::vector<Choice> prefectures;
  void fields(auto& f) const {
    f("index", index);
    f("number", number);
    f("kinds", kinds);
    f("name", name);
    f("school_types", school_types);
    f("prefectures", prefectures);
  }
};

struct SessionRowView {
  std::size_t index = 0;
  std::size_t number = 0;
  std::int64_t id = 0;
  std::string held_on, place, pupils, teachers, company_staff, others, note;
  void fields(auto& f) const {
    f("index", index);
    f("number", number);
    f("id", id);
    f("held_on", held_on);
    f("place", place);
    f("pupils", pupils);
    f("teachers", teachers);
    f("company_staff", company_staff);
    f("others", others);
    f("note", note);
  }
};

struct ProjectFormView {
  std::string heading;
  std::string action;
  std::string cancel_href;
  std::string operator_name;
  std::vector<Choice> blocks;
  std::string title;
  std::vector<Choice> categories;
  std::vector<Choice> subtypes;
  std::vector<Choice> continuities;
  std::string description;
  std::vector<PartyRowView> parties;
  std::size_t party_rows = 0;
  std::vector<SessionRowView> sessions;
  std::size_t session_rows = 0;
  bool errors_present = false;
  std::vector<ErrorLink> errors;
  std::optional<std::string> block_id_error, title_error, category_error, subtype_error, continuity_error,
      description_error;
  std::vector<std::string> parties_errors;
  std::vector<std::string> sessions_errors;
  bool has_parties_errors = false, has_sessions_errors = false;
  void fields(auto& f) const {
    f("heading", heading);
    f("action", action);
    f("cancel_href", cancel_href);
    f("operator_name", operator_name);
    f("blocks", blocks);
    f("title", title);
    f("categories", categories);
    f("subtypes", subtypes);
    f("continuities", continuities);
    f("description", description);
    f("parties", parties);
    f("party_rows", party_rows);
    f("sessions", sessions);
    f("session_rows", session_rows);
    f("errors_present", errors_present);
    f("errors", errors);
    f("block_id_error", block_id_error);
    f("title_error", title_error);
    f("category_error", category_error);
    f("subtype_error", subtype_error);
    f("continuity_error", continuity_error);
    f("description_error", description_error);
    f("parties_errors", parties_errors);
    f("sessions_errors", sessions_errors);
    f("has_parties_errors", has_parties_errors);
    f("has_sessions_errors", has_sessions_errors);
  }
};

struct PartyView {
  std::string kind;
  std::string name;
  std::optional<std::string> detail;  // 小学校・北海道
  void fields(auto& f) const {
    f("kind", kind);
    f("name", name);
    f("detail", detail);
  }
};

struct SessionView {
  std::string held_on;
  std::string place;
  int pupils = 0, teachers = 0, company_staff = 0, others = 0;
  std::string note;
  bool imported = false;
  void fields(auto& f) const {
    f("held_on", held_on);
    f("place", place);
    f("pupils", pupils);
    f("teachers", teachers);
    f("company_staff", company_staff);
    f("others", others);
    f("note", note);
    f("imported", imported);
  }
};

struct ProjectView {
  std::int64_t id = 0;
  std::string title;
  std::string operator_name;
  std::string operator_href;
  std::string block;
  std::string category;
  std::string subtype;
  std::string continuity;
  std::optional<std::string> description;
  std::vector<PartyView> parties;
  bool has_parties = false;
  std::vector<SessionView> sessions;
  bool has_sessions = false;
  std::int64_t participants = 0;
  bool can_edit = false;
  std::string edit_href;
  std::string delete_action;
  void fields(auto& f) const {
    f("id", id);
    f("title", title);
    f("operator_name", operator_name);
    f("operator_href", operator_href);
    f("block", block);
    f("category", category);
    f("subtype", subtype);
    f("continuity", continuity);
    f("description", description);
    f("parties", parties);
    f("has_parties", has_parties);
    f("sessions", sessions);
    f("has_sessions", has_sessions);
    f("participants", participants);
    f("can_edit", can_edit);
    f("edit_href", edit_href);
    f("delete_action", delete_action);
  }
};

struct ImportNewView {
  std::string operator_name;
  std::string action;
  std::string cancel_href;
  std::optional<std::string> file_error;
  std::string limit_label;
  void fields(auto& f) const {
    f("operator_name", operator_name);
    f("action", action);
    f("cancel_href", cancel_href);
    f("file_error", file_error);
    f("limit_label", limit_label);
  }
};

struct MappingFieldView {
  std::string id;
  std::string label;
  bool required = false;
  std::vector<Choice> columns;
  std::optional<std::string> error;
  void fields(auto& f) const {
    f("id", id);
    f("label", label);
    f("required", required);
    f("columns", columns);
    f("error", error);
  }
};

struct MappingView {
  std::string operator_name;
  std::string file_name;
  std::string action;
  std::string discard_action;
  bool remembered = false;
  std::vector<MappingFieldView> mapping_fields;
  std::vector<Choice> categories;
  std::vector<Choice> subtypes;
  std::optional<std::string> default_category_error;
  std::optional<std::string> default_subtype_error;
  bool errors_present = false;
  std::vector<ErrorLink> errors;
  void fields(auto& f) const {
    f("operator_name", operator_name);
    f("file_name", file_name);
    f("action", action);
    f("discard_action", discard_action);
    f("remembered", remembered);
    f("mapping_fields", mapping_fields);
    f("categories", categories);
    f("subtypes", subtypes);
    f("default_category_error", default_category_error);
    f("default_subtype_error", default_subtype_error);
    f("errors_present", errors_present);
    f("errors", errors);
  }
};

struct PreviewRowView {
  std::string line;
  std::string held_on;
  std::string title;
  std::string company;
  std::string partner;
  bool known = false;
  void fields(auto& f) const {
    f("line", line);
    f("held_on", held_on);
    f("title", title);
    f("company", company);
    f("partner", partner);
    f("known", known);
  }
};

struct GroupView {
  std::size_t number = 0;
  std::string first_line;  // the id of its first row, for merge decisions
  std::string title;
  std::string company;
  std::optional<std::string> partner;
  std::string categories;
  std::string why;
  std::string status;  // 新規 / 既存のプロジェクトに追加 / 取り込み済み
  std::size_t session_count = 0;
  int new_sessions = 0;
  std::vector<PreviewRowView> rows;
  std::optional<std::string> more_rows;
  bool merged = false;  // more than one row
  void fields(auto& f) const {
    f("number", number);
    f("first_line", first_line);
    f("title", title);
    f("company", company);
    f("partner", partner);
    f("categories", categories);
    f("why", why);
    f("status", status);
    f("session_count", session_count);
    f("new_sessions", new_sessions);
    f("rows", rows);
    f("more_rows", more_rows);
    f("merged", merged);
  }
};

struct SuggestionView {
  std::string id;
  std::string reason;
  void fields(auto& f) const {
    f("id", id);
    f("reason", reason);
  }
};

struct RowErrorView {
  std::size_t line = 0;
  std::string message;
  void fields(auto& f) const {
    f("line", line);
    f("message", message);
  }
};

struct PreviewView {
  std::string operator_name;
  std::string file_name;
  std::int64_t import_id = 0;
  std::string decide_action;
  std::string confirm_action;
  std::string discard_action;
  std::string mapping_href;
  std::size_t data_rows = 0;
  std::size_t valid_rows = 0;
  std::size_t group_count = 0;
  int new_projects = 0;
  int new_sessions = 0;
  std::vector<GroupView> groups;
  std::optional<Pagination> pages;
  std::vector<SuggestionView> suggestions;
  bool has_suggestions = false;
  std::vector<RowErrorView> row_errors;
  bool has_errors = false;
  std::size_t error_rows = 0;
  std::optional<std::string> more_errors;
  std::vector<std::string> decisions;  // the outcome message of each decision
  bool has_decisions = false;
  bool can_edit = false;
  std::optional<std::string> problem;  // a refusal shown at the top (422)
  void fields(auto& f) const {
    f("operator_name", operator_name);
    f("file_name", file_name);
    f("import_id", import_id);
    f("decide_action", decide_action);
    f("confirm_action", confirm_action);
    f("discard_action", discard_action);
    f("mapping_href", mapping_href);
    f("data_rows", data_rows);
    f("valid_rows", valid_rows);
    f("group_count", group_count);
    f("new_projects", new_projects);
    f("new_sessions", new_sessions);
    f("groups", groups);
    f("pages", pages);
    f("suggestions", suggestions);
    f("has_suggestions", has_suggestions);
    f("row_errors", row_errors);
    f("has_errors", has_errors);
    f("error_rows", error_rows);
    f("more_errors", more_errors);
    f("decisions", decisions);
    f("has_decisions", has_decisions);
    f("can_edit", can_edit);
    f("problem", problem);
  }
};

}  // namespace kakehashi::web::opsweb

namespace kakehashi::web {
// Registered from register_operations_project_routes (projects.cpp).
void register_operations_import_routes(Application& app);       // imports.cpp
void register_operations_project_api_routes(Application& app);  // api_projects.cpp
}  // namespace kakehashi::web

namespace kakehashi::web::opsweb {
// Options of a select: (id, label) pairs with `selected` the chosen id; `blank` first when given.
std::vector<Choice> choices(const std::vector<std::pair<std::string, std::string>>& options, std::string_view selected,
                            std::optional<std::string> blank = std::nullopt);
// The summary links and per-field messages of a refused form.
std::vector<ErrorLink> error_links(const std::vector<operations::FieldError>& errors);
}  // namespace kakehashi::web::opsweb
