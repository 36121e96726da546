// Typed views of the support, to-do, budget and staff screens (issue 15, part C):
// templates/operations/support_*, todo, budget_*, staff_*.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "web/handlers/operations/common.h"
#include "web/layout_view.h"
#include "web/view_model.h"

namespace kakehashi::web::opsweb {

struct SelectOption {
  std::string value;
  std::string label;
  bool selected = false;
  void fields(auto& f) const {
    f("value", value);
    f("label", label);
    f("selected", selected);
  }
};

// ---------------------------------------------------------------------------------------------
// Support log and mentoring
struct SupportLogRow {
  std::int64_t id = 0;
  std::string held_on;
  std::string kind;
  std::string topic;
  std::optional<std::string> advice;
  std::optional<std::string> next_step;
  std::optional<std::string> next_step_due;
  std::optional<std::string> owner;
  bool done = false;
  bool overdue = false;
  std::optional<std::string> edit_href;
  std::optional<std::string> done_action;
  void fields(auto& f) const {
    f("id", id);
    f("held_on", held_on);
    f("kind", kind);
    f("topic", topic);
    f("advice", advice);
    f("next_step", next_step);
    f("next_step_due", next_step_due);
    f("owner", owner);
    f("done", done);
    f("overdue", overdue);
    f("edit_href", edit_href);
    f("done_action", done_action);
  }
};

struct MentoringSessionRow {
  std::string held_on;
  std::string notes;
  std::optional<std::string> next_step;
  void fields(auto& f) const {
    f("held_on", held_on);
    f("notes", notes);
    f("next_step", next_step);
  }
};

struct MentoringRow {
  std::int64_t id = 0;
  std::string startup_name;
  std::string stage;
  std::optional<std::string> goals;
  std::optional<std::string> mentor;
  bool has_sessions = false;
  std::vector<MentoringSessionRow> sessions;
  std::optional<std::string> edit_href;
  std::optional<std::string> session_href;
  void fields(auto& f) const {
    f("id", id);
    f("startup_name", startup_name);
    f("stage", stage);
    f("goals", goals);
    f("mentor", mentor);
    f("has_sessions", has_sessions);
    f("sessions", sessions);
    f("edit_href", edit_href);
    f("session_href", session_href);
  }
};

struct SupportPageView {
  std::string operator_name;
  std::string blocks;
  std::vector<OperatorTab> tabs;
  bool can_log = false;
  std::string new_log_href;
  std::string new_mentoring_href;
  std::string xlsx_href;
  bool has_logs = false;
  std::vector<SupportLogRow> logs;
  std::optional<Pagination> pages;
  bool has_mentorings = false;
  std::vector<MentoringRow> mentorings;
  void fields(auto& f) const {
    f("operator_name", operator_name);
    f("blocks", blocks);
    f("tabs", tabs);
    f("can_log", can_log);
    f("new_log_href", new_log_href);
    f("new_mentoring_href", new_mentoring_href);
    f("xlsx_href", xlsx_href);
    f("has_logs", has_logs);
    f("logs", logs);
    f("pages", pages);
    f("has_mentorings", has_mentorings);
    f("mentorings", mentorings);
  }
};

struct SupportFormView {
  std::string heading;
  std::string action;
  std::string cancel_href;
  std::string operator_name;
  bool has_errors = false;
  std::vector<FormError> errors;
  std::string held_on;
  std::vector<SelectOption> kinds;
  std::string topic;
  std::string advice;
  std::string next_step;
  std::string next_step_due;
  std::vector<SelectOption> owners;
  std::optional<std::string> held_on_error;
  std::optional<std::string> kind_error;
  std::optional<std::string> topic_error;
  std::optional<std::string> advice_error;
  std::optional<std::string> next_step_error;
  std::optional<std::string> next_step_due_error;
  std::optional<std::string> next_step_owner_error;
  void fields(auto& f) const {
    f("heading", heading);
    f("action", action);
    f("cancel_href", cancel_href);
    f("operator_name", operator_name);
    f("has_errors", has_errors);
    f("errors", errors);
    f("held_on", held_on);
    f("kinds", kinds);
    f("topic", topic);
    f("advice", advice);
    f("next_step", next_step);
    f("next_step_due", next_step_due);
    f("owners", owners);
    f("held_on_error", held_on_error);
    f("kind_error", kind_error);
    f("topic_error", topic_error);
    f("advice_error", advice_error);
    f("next_step_error", next_step_error);
    f("next_step_due_error", next_step_due_error);
    f("next_step_owner_error", next_step_owner_error);
  }
};

struct MentoringFormView {
  std::string heading;
  std::string action;
  std::string cancel_href;
  std::string operator_name;
  bool has_errors = false;
  std::vector<FormError> errors;
  std::string startup_name;
  std::vector<SelectOption> stages;
  std::string goals;
  std::vector<SelectOption> mentors;
  std::optional<std::string> startup_name_error;
  std::optional<std::string> stage_error;
  std::optional<std::string> goals_error;
  std::optional<std::string> mentor_user_id_error;
  void fields(auto& f) const {
    f("heading", heading);
    f("action", action);
    f("cancel_href", cancel_href);
    f("operator_name", operator_name);
    f("has_errors", has_errors);
    f("errors", errors);
    f("startup_name", startup_name);
    f("stages", stages);
    f("goals", goals);
    f("mentors", mentors);
    f("startup_name_error", startup_name_error);
    f("stage_error", stage_error);
    f("goals_error", goals_error);
    f("mentor_user_id_error", mentor_user_id_error);
  }
};

struct MentoringSessionFormView {
  std::string action;
  std::string cancel_href;
  std::string startup_name;
  bool has_errors = false;
  std::vector<FormError> errors;
  std::string held_on;
  std::string notes;
  std::string next_step;
  std::optional<std::string> held_on_error;
  std::optional<std::string> notes_error;
  std::optional<std::string> next_step_error;
  void fields(auto& f) const {
    f("action", action);
    f("cancel_href", cancel_href);
    f("startup_name", startup_name);
    f("has_errors", has_errors);
    f("errors", errors);
    f("held_on", held_on);
    f("notes", notes);
    f("next_step", next_step);
    f("held_on_error", held_on_error);
    f("notes_error", notes_error);
    f("next_step_error", next_step_error);
  }
};

// ---------------------------------------------------------------------------------------------
// To-do
struct TodoRow {
  std::string kind;
  std::string title;
  std::string detail;
  std::string operator_name;
  std::string href;
  std::optional<std::string> due;
  bool overdue = false;
  std::optional<std::string> done_action;
  void fields(auto& f) const {
    f("kind", kind);
    f("title", title);
    f("detail", detail);
    f("operator_name", operator_name);
    f("href", href);
    f("due", due);
    f("overdue", overdue);
    f("done_action", done_action);
  }
};

struct TodoView {
  bool has_items = false;
  std::vector<TodoRow> items;
  int count = 0;
  bool has_overdue = false;
  int overdue_count = 0;
  void fields(auto& f) const {
    f("has_items", has_items);
    f("items", items);
    f("count", count);
    f("has_overdue", has_overdue);
    f("overdue_count", overdue_count);
  }
};

// ---------------------------------------------------------------------------------------------
// Budget
struct ContractRow {
  std::string name;
  std::string href;
  std::string blocks;
  std::string amount;
  std::string period;
  void fields(auto& f) const {
    f("name", name);
    f("href", href);
    f("blocks", blocks);
    f("amount", amount);
    f("period", period);
  }
};

struct AmountRow {
  std::string label;
  std::string amount;
  void fields(auto& f) const {
    f("label", label);
    f("amount", amount);
  }
};

struct MonthRow {
  std::string month;
  std::string planned;
  std::string actual;
  std::string difference;
  bool over = false;
  std::string cumulative_planned;
  std::string cumulative_actual;
  void fields(auto& f) const {
    f("month", month);
    f("planned", planned);
    f("actual", actual);
    f("difference", difference);
    f("over", over);
    f("cumulative_planned", cumulative_planned);
    f("cumulative_actual", cumulative_actual);
  }
};

struct ExpenseRow {
  std::int64_t id = 0;
  std::string spent_on;
  std::string category;
  std::string budget_line;
  std::string description;
  std::string amount;
  std::optional<std::string> receipt_href;
  std::optional<std::string> receipt_label;
  std::optional<std::string> edit_href;
  std::optional<std::string> delete_action;
  void fields(auto& f) const {
    f("id", id);
    f("spent_on", spent_on);
    f("category", category);
    f("budget_line", budget_line);
    f("description", description);
    f("amount", amount);
    f("receipt_href", receipt_href);
    f("receipt_label", receipt_label);
    f("edit_href", edit_href);
    f("delete_action", delete_action);
  }
};

struct BudgetView {
  bool has_programme = false;
  bool can_manage = false;
  std::string cap;
  std::string contract_total;
  std::string expense_total;
  std::string committed;
  std::string remaining;
  bool over_cap = false;
  std::string used_percent;
  std::vector<ContractRow> contracts;
  std::vector<AmountRow> categories;
  bool has_months = false;
  std::vector<MonthRow> months;
  std::string planned_total;
  std::string actual_total;
  bool has_expenses = false;
  int expense_count = 0;
  std::vector<ExpenseRow> expenses;
  std::optional<Pagination> pages;
  void fields(auto& f) const {
    f("has_programme", has_programme);
    f("can_manage", can_manage);
    f("cap", cap);
    f("contract_total", contract_total);
    f("expense_total", expense_total);
    f("committed", committed);
    f("remaining", remaining);
    f("over_cap", over_cap);
    f("used_percent", used_percent);
    f("contracts", contracts);
    f("categories", categories);
    f("has_months", has_months);
    f("months", months);
    f("planned_total", planned_total);
    f("actual_total", actual_total);
    f("has_expenses", has_expenses);
    f("expense_count", expense_count);
    f("expenses", expenses);
    f("pages", pages);
  }
};

struct ExpenseFormView {
  std::string heading;
  std::string action;
  bool has_errors = false;
  std::vector<FormError> errors;
  std::string spent_on;
  std::vector<SelectOption> categories;
  std::string budget_line;
  std::string description;
  std::string amount;
  std::optional<std::string> current_receipt;
  std::optional<std::string> delete_action;
  std::optional<std::string> spent_on_error;
  std::optional<std::string> category_error;
  std::optional<std::string> budget_line_error;
  std::optional<std::string> description_error;
  std::optional<std::string> amount_error;
  std::optional<std::string> receipt_error;
  void fields(auto& f) const {
    f("heading", heading);
    f("action", action);
    f("has_errors", has_errors);
    f("errors", errors);
    f("spent_on", spent_on);
    f("categories", categories);
    f("budget_line", budget_line);
    f("description", description);
    f("amount", amount);
    f("current_receipt", current_receipt);
    f("delete_action", delete_action);
    f("spent_on_error", spent_on_error);
    f("category_error", category_error);
    f("budget_line_error", budget_line_error);
    f("description_error", description_error);
    f("amount_error", amount_error);
    f("receipt_error", receipt_error);
  }
};

struct PlanInput {
  std::string name;   // plan_2026-08_venue
  std::string label;  // 2026年8月 会場費
  std::string value;
  bool invalid = false;
  void fields(auto& f) const {
    f("name", name);
    f("label", label);
    f("value", value);
    f("invalid", invalid);
  }
};

struct PlanMonthRow {
  std::string month;
  std::vector<PlanInput> cells;
  void fields(auto& f) const {
    f("month", month);
    f("cells", cells);
  }
};

struct BudgetPlanView {
  bool has_errors = false;
  std::vector<FormError> errors;
  std::vector<std::string> categories;
  bool has_months = false;
  std::vector<PlanMonthRow> months;
  void fields(auto& f) const {
    f("has_errors", has_errors);
    f("errors", errors);
    f("categories", categories);
    f("has_months", has_months);
    f("months", months);
  }
};

// ---------------------------------------------------------------------------------------------
// Staff
struct StaffRow {
  std::int64_t id = 0;
  std::string name;
  std::string role;
  std::string share;
  std::optional<std::string> account;
  bool active = true;
  std::optional<std::string> edit_href;
  std::optional<std::string> toggle_action;
  std::string toggle_label;
  void fields(auto& f) const {
    f("id", id);
    f("name", name);
    f("role", role);
    f("share", share);
    f("account", account);
    f("active", active);
    f("edit_href", edit_href);
    f("toggle_action", toggle_action);
    f("toggle_label", toggle_label);
  }
};

struct StaffView {
  bool can_manage = false;
  bool has_members = false;
  std::vector<StaffRow> members;
  int active_count = 0;
  void fields(auto& f) const {
    f("can_manage", can_manage);
    f("has_members", has_members);
    f("members", members);
    f("active_count", active_count);
  }
};

struct StaffFormView {
  std::string heading;
  std::string action;
  bool has_errors = false;
  std::vector<FormError> errors;
  std::string name;
  std::string role;
  std::string share_percent;
  std::vector<SelectOption> accounts;
  std::optional<std::string> name_error;
  std::optional<std::string> role_error;
  std::optional<std::string> share_percent_error;
  std::optional<std::string> user_id_error;
  void fields(auto& f) const {
    f("heading", heading);
    f("action", action);
    f("has_errors", has_errors);
    f("errors", errors);
    f("name", name);
    f("role", role);
    f("share_percent", share_percent);
    f("accounts", accounts);
    f("name_error", name_error);
    f("role_error", role_error);
    f("share_percent_error", share_percent_error);
    f("user_id_error", user_id_error);
  }
};

}  // namespace kakehashi::web::opsweb
