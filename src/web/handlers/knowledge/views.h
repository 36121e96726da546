// Typed views of the knowledge screens (issue 19): the staff's /knowledge pages and the public
// /cases pages. One struct per template (tests/unit/web/views_test.cpp checks each).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "web/layout_view.h"
#include "web/view_model.h"

namespace kakehashi::web::knowweb {

struct Link {
  std::string label;
  std::string href;
  bool current = false;
  void fields(auto& f) const {
    f("label", label);
    f("href", href);
    f("current", current);
  }
};

struct FacetLink {
  std::string label;
  std::int64_t count = 0;
  std::string href;
  bool selected = false;
  void fields(auto& f) const {
    f("label", label);
    f("count", count);
    f("href", href);
    f("selected", selected);
  }
};

struct FacetGroup {
  std::string title;
  std::vector<FacetLink> links;
  void fields(auto& f) const {
    f("title", title);
    f("links", links);
  }
};

struct HitRow {
  Html title;  // escaped, hits marked
  std::string href;
  Html snippet;
  std::string meta;
  std::optional<std::string> status;  // staff: 下書き …
  std::string status_code;
  void fields(auto& f) const {
    f("title", title);
    f("href", href);
    f("snippet", snippet);
    f("meta", meta);
    f("status", status);
    f("status_code", status_code);
  }
};

struct Choice {
  std::string value;
  std::string label;
  bool selected = false;
  void fields(auto& f) const {
    f("value", value);
    f("label", label);
    f("selected", selected);
  }
};

// knowledge/search: the public /cases and /cases/lessons, and the staff's /knowledge lists.
struct SearchView {
  std::string heading;
  std::string lead;
  std::string action;  // the form's GET target
  std::string q;
  std::string search_label;  // 事例を検索
  bool staff = false;
  std::vector<Link> tabs;  // public: 事例 / 教訓 / ステークホルダー; staff: more
  std::vector<Choice> statuses;
  bool has_hits = false;
  std::vector<HitRow> hits;
  std::string total_label;
  std::vector<FacetGroup> facets;
  std::optional<std::string> clear_href;
  std::optional<Pagination> pages;
  std::optional<std::string> new_href;
  std::optional<std::string> new_label;
  bool open_data = false;  // the public cases page: links to the open data
  void fields(auto& f) const {
    f("heading", heading);
    f("lead", lead);
    f("action", action);
    f("q", q);
    f("search_label", search_label);
    f("staff", staff);
    f("tabs", tabs);
    f("statuses", statuses);
    f("has_hits", has_hits);
    f("hits", hits);
    f("total_label", total_label);
    f("facets", facets);
    f("clear_href", clear_href);
    f("pages", pages);
    f("new_href", new_href);
    f("new_label", new_label);
    f("open_data", open_data);
  }
};

struct Fact {
  std::string label;
  std::string value;
  void fields(auto& f) const {
    f("label", label);
    f("value", value);
  }
};

struct FigureRow {
  std::string label;
  std::string value;
  std::string unit;
  void fields(auto& f) const {
    f("label", label);
    f("value", value);
    f("unit", unit);
  }
};

struct PhotoView {
  std::int64_t id = 0;
  std::string src;
  std::string caption;
  std::optional<std::string> removed;        // staff: what cleaning removed
  std::optional<std::string> delete_action;  // staff, editable
  void fields(auto& f) const {
    f("id", id);
    f("src", src);
    f("caption", caption);
    f("removed", removed);
    f("delete_action", delete_action);
  }
};

// The content of a case or lesson, shared by the public page and the staff page.
struct ItemContent {
  std::string title;
  std::string kind_label;
  bool is_case = false;
  std::optional<std::string> summary;
  Html body_html;
  std::optional<std::string> advice;
  std::optional<std::string> effect_industry;
  std::optional<std::string> effect_education;
  std::vector<Fact> facts;
  bool has_figures = false;
  std::vector<FigureRow> figures;
  bool has_photos = false;
  std::vector<PhotoView> photos;
  void fields(auto& f) const {
    f("title", title);
    f("kind_label", kind_label);
    f("is_case", is_case);
    f("summary", summary);
    f("body_html", body_html);
    f("advice", advice);
    f("effect_industry", effect_industry);
    f("effect_education", effect_education);
    f("facts", facts);
    f("has_figures", has_figures);
    f("figures", figures);
    f("has_photos", has_photos);
    f("photos", photos);
  }
};

// knowledge/public_item: /cases/{id}, /cases/lessons/{id}.
struct PublicItemView {
  ItemContent item;
  std::string back_href;
  std::string back_label;
  std::string json_href;
  void fields(auto& f) const {
    f("item", item);
    f("back_href", back_href);
    f("back_label", back_label);
    f("json_href", json_href);
  }
};

struct FindingRow {
  std::string label;
  std::string field;
  std::string masked;
  void fields(auto& f) const {
    f("label", label);
    f("field", field);
    f("masked", masked);
  }
};

// knowledge/item: the staff page of an item with its workflow.
struct ItemView {
  std::int64_t id = 0;
  ItemContent item;
  std::string status;
  std::string status_code;
  std::vector<Fact> curation;  // 出典, 年度, 同意, 更新 …
  std::optional<std::string> review_comment;
  std::optional<std::string> withdrawn_reason;
  std::optional<std::string> action_error;
  std::optional<std::string> public_href;
  bool checked = false;
  std::optional<std::string> checked_at;
  bool has_findings = false;
  std::vector<FindingRow> findings;
  std::optional<std::string> accepted_reason;
  bool can_edit = false;
  bool can_submit = false;
  bool can_return = false;
  bool can_check = false;
  bool can_accept = false;
  bool can_approve = false;
  bool can_publish = false;
  bool can_withdraw = false;
  bool can_rework = false;
  bool can_add_photo = false;
  std::string reason;  // what was typed in a refused reason form
  void fields(auto& f) const {
    f("id", id);
    f("item", item);
    f("status", status);
    f("status_code", status_code);
    f("curation", curation);
    f("review_comment", review_comment);
    f("withdrawn_reason", withdrawn_reason);
    f("action_error", action_error);
    f("public_href", public_href);
    f("checked", checked);
    f("checked_at", checked_at);
    f("has_findings", has_findings);
    f("findings", findings);
    f("accepted_reason", accepted_reason);
    f("can_edit", can_edit);
    f("can_submit", can_submit);
    f("can_return", can_return);
    f("can_check", can_check);
    f("can_accept", can_accept);
    f("can_approve", can_approve);
    f("can_publish", can_publish);
    f("can_withdraw", can_withdraw);
    f("can_rework", can_rework);
    f("can_add_photo", can_add_photo);
    f("reason", reason);
  }
};

struct FormProblem {
  std::string field;
  std::string message;
  void fields(auto& f) const {
    f("field", field);
    f("message", message);
  }
};

struct FigureInput {
  int index = 0;
  std::string label;
  std::string value;
  std::string unit;
  void fields(auto& f) const {
    f("index", index);
    f("label", label);
    f("value", value);
    f("unit", unit);
  }
};

// knowledge/form: a case or a lesson, new or changed.
struct ItemFormView {
  std::string heading;
  std::string action;
  std::string cancel_href;
  std::string kind;  // case / lesson
  bool is_case = false;
  bool has_errors = false;
  std::vector<FormProblem> errors;
  std::string title;
  std::optional<std::string> title_error;
  std::string summary;
  std::optional<std::string> summary_error;
  std::string body;
  std::optional<std::string> body_error;
  std::string advice;
  std::optional<std::string> advice_error;
  std::vector<Choice> outcomes;
  std::optional<std::string> outcome_error;
  std::vector<Choice> blocks;
  std::optional<std::string> block_id_error;
  std::string prefecture;
  std::optional<std::string> prefecture_error;
  std::vector<CheckOption> school_types;
  std::optional<std::string> school_types_error;
  std::vector<Choice> categories;
  std::optional<std::string> category_error;
  std::string subtype;
  std::vector<CheckOption> effects;
  std::optional<std::string> effects_error;
  std::string effect_industry;
  std::string effect_education;
  std::vector<FigureInput> figures;
  std::optional<std::string> figures_error;
  std::vector<CheckOption> stakeholders;
  bool can_choose_operator = false;
  std::vector<Choice> operators;
  std::string projects;
  bool consent = false;
  std::string consent_note;
  std::string year;
  std::optional<std::string> year_error;
  void fields(auto& f) const {
    f("heading", heading);
    f("action", action);
    f("cancel_href", cancel_href);
    f("kind", kind);
    f("is_case", is_case);
    f("has_errors", has_errors);
    f("errors", errors);
    f("title", title);
    f("title_error", title_error);
    f("summary", summary);
    f("summary_error", summary_error);
    f("body", body);
    f("body_error", body_error);
    f("advice", advice);
    f("advice_error", advice_error);
    f("outcomes", outcomes);
    f("outcome_error", outcome_error);
    f("blocks", blocks);
    f("block_id_error", block_id_error);
    f("prefecture", prefecture);
    f("prefecture_error", prefecture_error);
    f("school_types", school_types);
    f("school_types_error", school_types_error);
    f("categories", categories);
    f("category_error", category_error);
    f("subtype", subtype);
    f("effects", effects);
    f("effects_error", effects_error);
    f("effect_industry", effect_industry);
    f("effect_education", effect_education);
    f("figures", figures);
    f("figures_error", figures_error);
    f("stakeholders", stakeholders);
    f("can_choose_operator", can_choose_operator);
    f("operators", operators);
    f("projects", projects);
    f("consent", consent);
    f("consent_note", consent_note);
    f("year", year);
    f("year_error", year_error);
  }
};

struct StakeholderRow {
  std::string name;
  std::string roles;
  std::string actions;
  std::int64_t cases = 0;
  std::int64_t lessons = 0;
  std::string cases_href;
  std::string lessons_href;
  std::optional<std::string> edit_href;
  void fields(auto& f) const {
    f("name", name);
    f("roles", roles);
    f("actions", actions);
    f("cases", cases);
    f("lessons", lessons);
    f("cases_href", cases_href);
    f("lessons_href", lessons_href);
    f("edit_href", edit_href);
  }
};

// knowledge/stakeholders: the map as SVG and as a table (public and staff).
struct StakeholdersView {
  std::vector<Link> tabs;
  Html svg;
  std::vector<StakeholderRow> rows;
  void fields(auto& f) const {
    f("tabs", tabs);
    f("svg", svg);
    f("rows", rows);
  }
};

// knowledge/stakeholder_form
struct StakeholderFormView {
  std::string code;
  std::string name;
  std::string roles;
  std::string actions;
  std::optional<std::string> error;
  void fields(auto& f) const {
    f("code", code);
    f("name", name);
    f("roles", roles);
    f("actions", actions);
    f("error", error);
  }
};

// knowledge/overview: the staff's entry with the open data and report downloads.
struct OverviewView {
  std::vector<Link> tabs;
  std::int64_t published_cases = 0;
  std::int64_t published_lessons = 0;
  std::int64_t in_review = 0;
  std::int64_t drafts = 0;
  bool can_curate = false;
  void fields(auto& f) const {
    f("tabs", tabs);
    f("published_cases", published_cases);
    f("published_lessons", published_lessons);
    f("in_review", in_review);
    f("drafts", drafts);
    f("can_curate", can_curate);
  }
};

// knowledge/import_new
struct ImportNewView {
  std::vector<Link> tabs;
  std::optional<std::string> error;
  void fields(auto& f) const {
    f("tabs", tabs);
    f("error", error);
  }
};

struct MapField {
  std::string id;
  std::string label;
  bool required = false;
  std::vector<Choice> options;
  std::optional<std::string> error;
  void fields(auto& f) const {
    f("id", id);
    f("label", label);
    f("required", required);
    f("options", options);
    f("error", error);
  }
};

// knowledge/import_mapping
struct ImportMappingView {
  std::int64_t id = 0;
  std::string file_name;
  std::int64_t rows = 0;
  std::vector<MapField> columns;
  std::string source;
  std::optional<std::string> source_error;
  std::string year;
  bool has_errors = false;
  std::vector<FormProblem> errors;
  bool imported = false;
  void fields(auto& f) const {
    f("id", id);
    f("file_name", file_name);
    f("rows", rows);
    f("columns", columns);
    f("source", source);
    f("source_error", source_error);
    f("year", year);
    f("has_errors", has_errors);
    f("errors", errors);
    f("imported", imported);
  }
};

}  // namespace kakehashi::web::knowweb
