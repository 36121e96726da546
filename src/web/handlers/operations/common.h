// Helpers the operations screens share (issue 15): the operator named in the path within the
// reader's reach (404 otherwise), the operator's tabs, and the URL scheme of the module:
//   /operations                              programme dashboard: the 10 blocks with flags
//   /operations/blocks/{block}               one block
//   /operations/operators[/{id}]             operators; /edit (contract), /plan (goal)
//   /operations/operators/{id}/milestones    milestones, evidence, review (/operations/milestones/{id}…)
//   /operations/operators/{id}/projects      projects, sessions, imports (/operations/projects/{id}…)
//   /operations/operators/{id}/support       support log and mentoring (/operations/support/{id}…)
//   /operations/todo                         the user's open next steps and milestones
//   /operations/budget                       contract amounts, expenses, plan vs actual
//   /operations/staff                        the programme's staff
//   /operations/settings                     settings of the programme year
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "operations/service.h"
#include "web/handlers/handlers.h"
#include "web/layout_view.h"

namespace kakehashi::web::opsweb {

// A tab of templates/layout/operator_tabs.
struct OperatorTab {
  std::string label;
  std::string href;
  bool current = false;
  void fields(auto& f) const {
    f("label", label);
    f("href", href);
    f("current", current);
  }
};

// One line of a form's error summary, linking to its field (id = the input's name).
struct FormError {
  std::string field;
  std::string message;
  void fields(auto& f) const {
    f("field", field);
    f("message", message);
  }
};
std::vector<FormError> form_errors(const std::vector<operations::FieldError>& errors);
// The messages for the input `field` (joined with ／), shown beside it; nullopt when it has none.
std::optional<std::string> error_of(const std::vector<operations::FieldError>& errors, std::string_view field);

// The tabs of an operator's pages the user may see: 概要, マイルストーン, プロジェクト, 伴走支援.
// `current` is one of "overview", "milestones", "projects", "support".
std::vector<OperatorTab> operator_tabs(const Request& request, std::int64_t operator_id, std::string_view current);

// The operator named by the path parameter `name` ("id" by default) if the signed-in user may see
// it; nullopt when the id is malformed, unknown or out of reach (the screen answers 404).
[[nodiscard]] Result<std::optional<operations::Operator>> load_operator(db::Transaction& tx, const Request& request,
                                                                       const char* name = "id");

// "北海道ブロック・北陸ブロック"
std::string blocks_label(const operations::Operator& op);

// The breadcrumbs of an operator's page: 事業運営 › 実証事業者 › <name> [› <page>].
std::vector<Breadcrumb> operator_crumbs(const operations::Operator& op, const std::string& page = "");

}  // namespace kakehashi::web::opsweb
