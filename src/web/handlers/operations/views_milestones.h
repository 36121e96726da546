// Typed views of the operations screens of part A (issue 15): the programme dashboard, block
// pages, operators, settings, milestones with evidence and review (templates/operations/milestones_*).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "web/handlers/operations/common.h"
#include "web/layout_view.h"
#include "web/view_model.h"

namespace kakehashi::web::opsweb {

struct FlagView {
  std::string kind;   // "milestone_overdue"
  std::string label;  // 期限超過
  std::string reason;
  std::optional<std::string> href;  // the milestone
  void fields(auto& f) const {
    f("kind", kind);
    f("label", label);
    f("reason", reason);
    f("href", href);
  }
};

struct CountCell {
  std::string label;
  int count = 0;
  void fields(auto& f) const {
    f("label", label);
    f("count", count);
  }
};

// ---- Dashboard
struct BlockTile {
  std::string block_id;
  std::string block_name;
  bool visible = false;      // in the reader's reach
  bool has_operator = false;
  std::string href;
  std::string operator_name;
  int milestones_done = 0;
  int milestones_total = 0;
  int projects = 0;
  int flag_count = 0;
  bool flagged = false;
  std::optional<std::string> worst_reason;
  void fields(auto& f) const {
    f("block_id", block_id);
    f("block_name", block_name);
    f("visible", visible);
    f("has_operator", has_operator);
    f("href", href);
    f("operator_name", operator_name);
    f("milestones_done", milestones_done);
    f("milestones_total", milestones_total);
    f("projects", projects);
    f("flag_count", flag_count);
    f("flagged", flagged);
    f("worst_reason", worst_reason);
  }
};

struct DashboardView {
  bool has_programme = false;
  std::string as_of;  // 2026年12月3日（木）
  std::vector<BlockTile> tiles;
  std::vector<CountCell> categories;
  std::vector<CountCell> school_types;
  int project_total = 0;
  int session_total = 0;
  bool has_budget_flags = false;
  std::vector<FlagView> budget_flags;
  bool can_settings = false;
  void fields(auto& f) const {
    f("has_programme", has_programme);
    f("as_of", as_of);
    f("tiles", tiles);
    f("categories", categories);
    f("school_types", school_types);
    f("project_total", project_total);
    f("session_total", session_total);
    f("has_budget_flags", has_budget_flags);
    f("budget_flags", budget_flags);
    f("can_settings", can_settings);
  }
};

// ---- Operators
struct BlockAmount {
  std::string name;
  std::string amount;
  std::string href;
  void fields(auto& f) const {
    f("name", name);
    f("amount", amount);
    f("href", href);
  }
};

struct ContactView {
  int index = 0;
  std::string name;
  std::string title;
  std::string email;
  std::string phone;
  void fields(auto& f) const {
    f("index", index);
    f("name", name);
    f("title", title);
    f("email", email);
    f("phone", phone);
  }
};

struct OperatorRow {
  std::string name;
  std::string href;
  std::string blocks;
  std::string amount;
  std::string period;
  std::string milestones;  // "3 / 5"
  int flag_count = 0;
  void fields(auto& f) const {
    f("name", name);
    f("href", href);
    f("blocks", blocks);
    f("amount", amount);
    f("period", period);
    f("milestones", milestones);
    f("flag_count", flag_count);
  }
};

struct OperatorsView {
  bool has_operators = false;
  std::vector<OperatorRow> operators;
  void fields(auto& f) const {
    f("has_operators", has_operators);
    f("operators", operators);
  }
};

// The facts of an operator shared by the overview and the block page.
struct OperatorFacts {
  std::int64_t id = 0;
  std::string name;
  std::string href;
  std::string amount;
  std::string period;
  std::vector<BlockAmount> blocks;
  std::vector<ContactView> contacts;
  bool has_contacts = false;
  std::optional<std::string> final_goal;
  int project_target = 0;
  std::vector<FlagView> flags;
  bool has_flags = false;
  void fields(auto& f) const {
    f("id", id);
    f("name", name);
    f("href", href);
    f("amount", amount);
    f("period", period);
    f("blocks", blocks);
    f("contacts", contacts);
    f("has_contacts", has_contacts);
    f("final_goal", final_goal);
    f("project_target", project_target);
    f("flags", flags);
    f("has_flags", has_flags);
  }
};

struct OperatorView {
  std::vector<OperatorTab> tabs;
  OperatorFacts op;
  bool can_edit = false;
  bool can_plan = false;
  void fields(auto& f) const {
    f("tabs", tabs);
    f("op", op);
    f("can_edit", can_edit);
    f("can_plan", can_plan);
  }
};

struct MilestoneRowView {
  std::int64_t id = 0;
  std::string title;
  std::string href;
  std::string due;      // 2026年12月25日（金）
  std::string due_iso;
  std::string status;   // label
  std::string status_id;
  bool overdue = false;
  std::string owner;
  int evidence = 0;
  std::string review;
  std::string review_id;
  void fields(auto& f) const {
    f("id", id);
    f("title", title);
    f("href", href);
    f("due", due);
    f("due_iso", due_iso);
    f("status", status);
    f("status_id", status_id);
    f("overdue", overdue);
    f("owner", owner);
    f("evidence", evidence);
    f("review", review);
    f("review_id", review_id);
  }
};

struct BlockView {
  std::string block_name;
  bool has_operator = false;
  OperatorFacts op;
  std::vector<MilestoneRowView> milestones;
  bool has_milestones = false;
  std::string milestone_progress;
  int projects = 0;
  int sessions = 0;
  std::vector<CountCell> categories;
  void fields(auto& f) const {
    f("block_name", block_name);
    f("has_operator", has_operator);
    f("op", op);
    f("milestones", milestones);
    f("has_milestones", has_milestones);
    f("milestone_progress", milestone_progress);
    f("projects", projects);
    f("sessions", sessions);
    f("categories", categories);
  }
};

struct OperatorEditView {
  std::vector<OperatorTab> tabs;
  std::int64_t id = 0;
  std::string name;
  std::vector<FormError> errors;
  bool has_errors = false;
  std::string contract_amount;
  std::optional<std::string> contract_amount_error;
  std::string contract_from;
  std::optional<std::string> contract_from_error;
  std::string contract_to;
  std::optional<std::string> contract_to_error;
  std::vector<ContactView> contacts;  // the rows, plus empty ones to fill
  std::optional<std::string> contacts_error;
  void fields(auto& f) const {
    f("tabs", tabs);
    f("id", id);
    f("name", name);
    f("errors", errors);
    f("has_errors", has_errors);
    f("contract_amount", contract_amount);
    f("contract_amount_error", contract_amount_error);
    f("contract_from", contract_from);
    f("contract_from_error", contract_from_error);
    f("contract_to", contract_to);
    f("contract_to_error", contract_to_error);
    f("contacts", contacts);
    f("contacts_error", contacts_error);
  }
};

struct PlanView {
  std::vector<OperatorTab> tabs;
  std::int64_t id = 0;
  std::string name;
  std::vector<FormError> errors;
  bool has_errors = false;
  std::string final_goal;
  std::optional<std::string> final_goal_error;
  std::string project_target;
  std::optional<std::string> project_target_error;
  void fields(auto& f) const {
    f("tabs", tabs);
    f("id", id);
    f("name", name);
    f("errors", errors);
    f("has_errors", has_errors);
    f("final_goal", final_goal);
    f("final_goal_error", final_goal_error);
    f("project_target", project_target);
    f("project_target_error", project_target_error);
  }
};

struct SettingsView {
  std::vector<FormError> errors;
  bool has_errors = false;
  std::string inactivity_weeks;
  std::optional<std::string> inactivity_weeks_error;
  std::string programme_cap;
  std::optional<std::string> programme_cap_error;
  bool can_edit = false;
  void fields(auto& f) const {
    f("errors", errors);
    f("has_errors", has_errors);
    f("inactivity_weeks", inactivity_weeks);
    f("inactivity_weeks_error", inactivity_weeks_error);
    f("programme_cap", programme_cap);
    f("programme_cap_error", programme_cap_error);
    f("can_edit", can_edit);
  }
};

// ---- Milestones
struct MilestoneListView {
  std::vector<OperatorTab> tabs;
  std::int64_t operator_id = 0;
  std::string operator_name;
  std::optional<std::string> final_goal;
  bool can_edit = false;
  bool has_milestones = false;
  std::vector<MilestoneRowView> milestones;
  std::string progress;  // 完了 3 / 5 件
  void fields(auto& f) const {
    f("tabs", tabs);
    f("operator_id", operator_id);
    f("operator_name", operator_name);
    f("final_goal", final_goal);
    f("can_edit", can_edit);
    f("has_milestones", has_milestones);
    f("milestones", milestones);
    f("progress", progress);
  }
};

struct OptionView {
  std::string value;
  std::string label;
  bool selected = false;
  void fields(auto& f) const {
    f("value", value);
    f("label", label);
    f("selected", selected);
  }
};

struct MilestoneFormView {
  std::vector<OperatorTab> tabs;
  std::string operator_name;
  std::string action;  // where the form posts
  bool editing = false;
  std::string cancel_href;
  std::vector<FormError> errors;
  bool has_errors = false;
  std::string title;
  std::optional<std::string> title_error;
  std::string description;
  std::optional<std::string> description_error;
  std::string due_on;
  std::optional<std::string> due_on_error;
  std::vector<OptionView> owners;
  std::optional<std::string> owner_user_error;
  std::string owner_name;
  std::optional<std::string> owner_name_error;
  std::vector<OptionView> statuses;
  std::optional<std::string> status_error;
  void fields(auto& f) const {
    f("tabs", tabs);
    f("operator_name", operator_name);
    f("action", action);
    f("editing", editing);
    f("cancel_href", cancel_href);
    f("errors", errors);
    f("has_errors", has_errors);
    f("title", title);
    f("title_error", title_error);
    f("description", description);
    f("description_error", description_error);
    f("due_on", due_on);
    f("due_on_error", due_on_error);
    f("owners", owners);
    f("owner_user_error", owner_user_error);
    f("owner_name", owner_name);
    f("owner_name_error", owner_name_error);
    f("statuses", statuses);
    f("status_error", status_error);
  }
};

struct EvidenceView {
  std::string kind;  // ファイル / リンク / メモ
  std::string title;
  bool is_file = false;
  bool is_link = false;
  bool is_note = false;
  std::string href;  // download or link
  std::string file_name;
  std::string size;
  std::optional<std::string> inspection;  // the inspector's summary
  bool has_warnings = false;
  std::string note;
  std::string added;
  std::optional<std::string> delete_href;  // for those who may edit the milestone
  void fields(auto& f) const {
    f("delete_href", delete_href);
    f("kind", kind);
    f("title", title);
    f("is_file", is_file);
    f("is_link", is_link);
    f("is_note", is_note);
    f("href", href);
    f("file_name", file_name);
    f("size", size);
    f("inspection", inspection);
    f("has_warnings", has_warnings);
    f("note", note);
    f("added", added);
  }
};

struct MilestoneDetailView {
  std::vector<OperatorTab> tabs;
  std::int64_t id = 0;
  std::string operator_name;
  MilestoneRowView milestone;
  std::optional<std::string> description;
  std::optional<std::string> completed;
  std::optional<std::string> review_comment;
  std::optional<std::string> reviewed;
  bool can_edit = false;
  bool can_review = false;
  std::vector<EvidenceView> evidence;
  bool has_evidence = false;
  // Evidence forms (kept as typed when refused)
  std::optional<std::string> evidence_error;  // the refused evidence's message(s)
  std::string link_title;
  std::string link_url;
  std::string note_title;
  std::string note_text;
  // Review form
  std::optional<std::string> review_error;
  std::string review_text;
  void fields(auto& f) const {
    f("tabs", tabs);
    f("id", id);
    f("operator_name", operator_name);
    f("milestone", milestone);
    f("description", description);
    f("completed", completed);
    f("review_comment", review_comment);
    f("reviewed", reviewed);
    f("can_edit", can_edit);
    f("can_review", can_review);
    f("evidence", evidence);
    f("has_evidence", has_evidence);
    f("evidence_error", evidence_error);
    f("link_title", link_title);
    f("link_url", link_url);
    f("note_title", note_title);
    f("note_text", note_text);
    f("review_error", review_error);
    f("review_text", review_text);
  }
};

}  // namespace kakehashi::web::opsweb
