// Typed views of the call screens (templates/call/*). The pieces several screens share (a call,
// an application, the criteria, the tabs, a form's error summary) add their keys flat into the
// struct that embeds them (`call.fields(f)`), or under a key (`f("call", call)`), as the
// template reads them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "web/layout_view.h"
#include "web/view_model.h"

namespace kakehashi::web::callweb {

struct BlockName {
  std::string id;
  std::string name;
  void fields(auto& f) const {
    f("id", id);
    f("name", name);
  }
};

// A call as templates read it (call_fields() in common.h).
struct CallFields {
  std::int64_t id = 0;
  std::string title;
  std::optional<std::string> summary;  // none when empty
  std::string phase;                   // 受付中 …
  std::string phase_id;                // open / closed / upcoming / draft
  bool is_open = false;
  bool is_draft = false;
  bool frozen = false;
  std::string opens;  // Japan time, in Japanese
  std::string closes;
  std::string opens_local;  // for datetime-local inputs
  std::string closes_local;
  std::string closes_iso;  // for the countdown
  std::optional<std::string> remaining;  // 「締切まで残り …」 while open
  std::string award_min;                 // yen, formatted
  std::string award_max;
  std::string award_min_value;  // yen, digits
  std::string award_max_value;
  std::string budget_total;
  std::string budget_total_value;
  std::optional<std::string> min_total;
  int reviewers_per_application = 0;
  int max_load = 0;
  bool peer_after_own = false;
  std::string peer_label;
  bool hide_personal = false;
  std::string decision;  // the decision state's label
  std::vector<BlockName> blocks;
  std::string block_names;  // 「北海道・東北…」
  std::size_t block_count = 0;
  void fields(auto& f) const {
    f("id", id);
    f("title", title);
    f("summary", summary);
    f("phase", phase);
    f("phase_id", phase_id);
    f("is_open", is_open);
    f("is_draft", is_draft);
    f("frozen", frozen);
    f("opens", opens);
    f("closes", closes);
    f("opens_local", opens_local);
    f("closes_local", closes_local);
    f("closes_iso", closes_iso);
    f("remaining", remaining);
    f("award_min", award_min);
    f("award_max", award_max);
    f("award_min_value", award_min_value);
    f("award_max_value", award_max_value);
    f("budget_total", budget_total);
    f("budget_total_value", budget_total_value);
    f("min_total", min_total);
    f("reviewers_per_application", reviewers_per_application);
    f("max_load", max_load);
    f("peer_after_own", peer_after_own);
    f("peer_label", peer_label);
    f("hide_personal", hide_personal);
    f("decision", decision);
    f("blocks", blocks);
    f("block_names", block_names);
    f("block_count", block_count);
  }
};

struct RequestedBlock {
  std::string id;
  std::string name;
  std::string requested;  // yen, formatted, or （未入力）
  void fields(auto& f) const {
    f("id", id);
    f("name", name);
    f("requested", requested);
  }
};

// An application as templates read it (application_fields() in common.h).
struct ApplicationFields {
  std::int64_t id = 0;
  std::string organisation;
  bool submitted = false;
  std::string status;  // 提出済み / 差し戻し中（下書き） / 下書き
  std::optional<std::string> receipt_number;
  std::optional<std::string> submitted_at;
  std::string updated_at;
  std::optional<std::string> reopened_reason;
  bool has_reopened_reason = false;
  std::string organisation_profile;
  std::string representative_name;
  std::string contact_name;
  std::string contact_email;
  std::string contact_phone;
  bool qualification_coordination = false;
  bool qualification_matching = false;
  bool qualification_community = false;
  std::string qualifications;  // the labels, or （未選択）
  std::optional<std::string> qualification_note;
  std::string plan_projects;
  std::string plan_pbl;
  std::string plan_continuity;
  std::string plan_self_sufficiency;
  std::string plan_regional_fit;
  std::vector<std::string> topics;  // labels
  std::vector<RequestedBlock> blocks;
  std::string requested_total;
  void fields(auto& f) const {
    f("id", id);
    f("organisation", organisation);
    f("submitted", submitted);
    f("status", status);
    f("receipt_number", receipt_number);
    f("submitted_at", submitted_at);
    f("updated_at", updated_at);
    f("reopened_reason", reopened_reason);
    f("has_reopened_reason", has_reopened_reason);
    f("organisation_profile", organisation_profile);
    f("representative_name", representative_name);
    f("contact_name", contact_name);
    f("contact_email", contact_email);
    f("contact_phone", contact_phone);
    f("qualification_coordination", qualification_coordination);
    f("qualification_matching", qualification_matching);
    f("qualification_community", qualification_community);
    f("qualifications", qualifications);
    f("qualification_note", qualification_note);
    f("plan_projects", plan_projects);
    f("plan_pbl", plan_pbl);
    f("plan_continuity", plan_continuity);
    f("plan_self_sufficiency", plan_self_sufficiency);
    f("plan_regional_fit", plan_regional_fit);
    f("topics", topics);
    f("blocks", blocks);
    f("requested_total", requested_total);
  }
};

struct LevelText {
  int level = 0;
  std::string descriptor;
  void fields(auto& f) const {
    f("level", level);
    f("descriptor", descriptor);
  }
};

// One criterion of templates/layout/criteria_list (criteria_fields() in common.h).
struct CriterionFields {
  std::int64_t id = 0;
  std::int64_t call_id = 0;
  int number = 0;
  std::string name;
  std::optional<std::string> description;
  int weight = 0;
  int levels = 0;
  int max = 0;  // weight × levels
  std::vector<LevelText> level_list;
  void fields(auto& f) const {
    f("id", id);
    f("call_id", call_id);
    f("number", number);
    f("name", name);
    f("description", description);
    f("weight", weight);
    f("levels", levels);
    f("max", max);
    f("level_list", level_list);
  }
};

// A tab of templates/layout/call_tabs.
struct CallTab {
  std::string label;
  std::string href;
  bool current = false;
  void fields(auto& f) const {
    f("label", label);
    f("href", href);
    f("current", current);
  }
};

// The error summary of a form: errors_present, errors, errors_title.
struct FormErrors {
  std::vector<std::string> list;
  std::string title;
  void fields(auto& f) const {
    f("errors_present", !list.empty());
    f("errors", list);
    f("errors_title", title);
  }
};

struct Attachment {
  std::int64_t id = 0;
  std::int64_t application_id = 0;
  std::string file_name;
  std::string size;  // 「17 KB」
  std::string href;
  void fields(auto& f) const {
    f("id", id);
    f("application_id", application_id);
    f("file_name", file_name);
    f("size", size);
    f("href", href);
  }
};

// ---- The public side (public.cpp) ----

struct PublicListView {
  bool has_calls = false;
  std::vector<CallFields> calls;
  void fields(auto& f) const {
    f("has_calls", has_calls);
    f("calls", calls);
  }
};

struct DocumentVersion {
  std::int64_t call_id = 0;
  std::int64_t id = 0;
  int version = 0;
  std::string uploaded_at;
  void fields(auto& f) const {
    f("call_id", call_id);
    f("id", id);
    f("version", version);
    f("uploaded_at", uploaded_at);
  }
};

// A guideline document by title: its newest version, older ones under it.
struct PublicDocument {
  std::int64_t call_id = 0;
  std::int64_t id = 0;
  std::string title;
  int version = 0;
  std::string file_name;
  std::string size;
  std::string uploaded_at;
  bool older = false;
  std::vector<DocumentVersion> versions;
  void fields(auto& f) const {
    f("call_id", call_id);
    f("id", id);
    f("title", title);
    f("version", version);
    f("file_name", file_name);
    f("size", size);
    f("uploaded_at", uploaded_at);
    f("older", older);
    f("versions", versions);
  }
};

// The published results on the public call page (issue 16 item 5).
struct PublicResultRow {
  std::string block;
  std::string operator_name;  // 「該当なし」 when no award
  std::string amount;         // 「20,000,000円」 or —
  void fields(auto& f) const {
    f("block", block);
    f("operator_name", operator_name);
    f("amount", amount);
  }
};
struct PublicResults {
  std::string published_on;  // 「2027年2月1日」
  std::string total;
  std::vector<PublicResultRow> rows;
  void fields(auto& f) const {
    f("published_on", published_on);
    f("total", total);
    f("rows", rows);
  }
};

struct PublicCallView {
  std::optional<PublicResults> results;
  CallFields call;
  bool has_documents = false;
  std::vector<PublicDocument> documents;
  bool has_criteria = false;
  std::vector<CriterionFields> criteria;
  std::string max_total;
  bool anonymous = false;  // signed out while the call is open: the sign-up invitation
  bool can_apply = false;
  std::string apply_label;
  std::optional<std::string> apply_note;
  void fields(auto& f) const {
    f("call", call);
    f("has_documents", has_documents);
    f("documents", documents);
    f("has_criteria", has_criteria);
    f("criteria", criteria);
    f("max_total", max_total);
    f("anonymous", anonymous);
    f("can_apply", can_apply);
    f("apply_label", apply_label);
    f("apply_note", apply_note);
    f("results", results);
  }
};

// ---- The operator's side (apply.cpp) ----

struct MyApplicationRow {
  ApplicationFields application;
  std::string call_title;
  std::string block_names;
  std::string result;  // 採択 / 不採択 / —
  void fields(auto& f) const {
    application.fields(f);
    f("call_title", call_title);
    f("block_names", block_names);
    f("result", result);
  }
};

struct MyApplicationsView {
  std::string organisation;
  bool has_applications = false;
  std::vector<MyApplicationRow> applications;
  bool has_open = false;
  std::vector<CallFields> open_calls;
  void fields(auto& f) const {
    f("organisation", organisation);
    f("has_applications", has_applications);
    f("applications", applications);
    f("has_open", has_open);
    f("open_calls", open_calls);
  }
};

struct BlockRow {
  std::string id;
  std::string name;
  bool checked = false;
  std::string requested;  // as typed, or the stored amount in digits
  std::optional<FieldError> error;  // about this block's amount (field requested_<id>)
  void fields(auto& f) const {
    f("id", id);
    f("name", name);
    f("checked", checked);
    f("requested", requested);
    f("error", error);
  }
};

using TopicChoice = CheckOption;

struct ApplicationFormView {
  CallFields call;
  ApplicationFields application;
  std::vector<BlockRow> block_rows;
  std::vector<TopicChoice> topic_rows;
  bool has_attachments = false;
  std::vector<Attachment> attachments;
  std::string max_bytes;  // the attachment limit, for the browser's own check (data-max-bytes)
  std::string max_label;  // 「10 MB」
  // The error pattern (web/layout_view.h): the summary and one message per field.
  std::optional<ErrorSummary> error_summary;
  FormProblems problems;
  std::optional<Notice> flash;  // 「下書きを保存しました。」 after a plain save
  void fields(auto& f) const {
    f("call", call);
    f("application", application);
    f("block_rows", block_rows);
    f("topic_rows", topic_rows);
    f("has_attachments", has_attachments);
    f("attachments", attachments);
    f("max_bytes", max_bytes);
    f("max_label", max_label);
    f("error_summary", error_summary);
    f("e_organisation_profile", problems.at("organisation_profile"));
    f("e_representative_name", problems.at("representative_name"));
    f("e_contact_name", problems.at("contact_name"));
    f("e_contact_email", problems.at("contact_email"));
    f("e_contact_phone", problems.at("contact_phone"));
    f("e_qualifications", problems.at("qualifications"));
    f("e_qualification_note", problems.at("qualification_note"));
    f("e_blocks", problems.at("blocks"));
    f("e_plan_projects", problems.at("plan_projects"));
    f("e_plan_pbl", problems.at("plan_pbl"));
    f("e_plan_continuity", problems.at("plan_continuity"));
    f("e_plan_self_sufficiency", problems.at("plan_self_sufficiency"));
    f("e_plan_regional_fit", problems.at("plan_regional_fit"));
    f("e_topics", problems.at("topics"));
    f("e_file", problems.at("file"));
    f("flash", flash);
  }
};

// The read-only application: the operator's own, or as staff, reviewers and bureaus read it.
struct ApplicationPageView {
  std::string heading;
  CallFields call;
  ApplicationFields application;
  std::optional<Notice> result;  // the published result, to the operator
  std::optional<std::string> notice_href;  // the award / non-award notice (PDF), once published
  bool has_attachments = false;
  std::vector<Attachment> attachments;
  bool can_reopen = false;
  std::string reopen_reason;  // as typed, when reopening was refused
  FormErrors errors;
  void fields(auto& f) const {
    f("heading", heading);
    f("call", call);
    f("application", application);
    f("result", result);
    f("notice_href", notice_href);
    f("has_attachments", has_attachments);
    f("attachments", attachments);
    f("can_reopen", can_reopen);
    f("reopen_reason", reopen_reason);
    errors.fields(f);
  }
};

struct ReceiptView {
  ApplicationFields application;
  std::string call_title;
  std::size_t attachment_count = 0;
  void fields(auto& f) const {
    application.fields(f);
    f("call_title", call_title);
    f("attachment_count", attachment_count);
  }
};

// The one-line answer to htmx's autosave (templates/call/save_status).
struct SaveStatusView {
  std::string message;
  void fields(auto& f) const { f("message", message); }
};

// ---- The secretariat's set-up (admin.cpp) ----

struct AdminCallRow {
  CallFields call;
  std::int64_t application_count = 0;
  std::int64_t submitted_count = 0;
  std::string href;  // the first tab this user may open
  void fields(auto& f) const {
    call.fields(f);
    f("application_count", application_count);
    f("submitted_count", submitted_count);
    f("href", href);
  }
};

struct AdminListView {
  bool can_manage = false;
  bool has_calls = false;
  std::vector<AdminCallRow> calls;
  void fields(auto& f) const {
    f("can_manage", can_manage);
    f("has_calls", has_calls);
    f("calls", calls);
  }
};

struct BlockChoice {
  std::string id;
  std::string name;
  bool checked = false;
  void fields(auto& f) const {
    f("id", id);
    f("name", name);
    f("checked", checked);
  }
};

// The fields of templates/layout/call_settings_fields, as typed or as stored.
struct SettingsFields {
  std::string s_title;
  std::string s_summary;
  std::string s_opens;
  std::string s_closes;
  std::string s_award_min;
  std::string s_award_max;
  std::string s_budget_total;
  std::string s_min_total;
  std::string s_k;
  std::string s_max_load;
  std::string s_review_deadline;  // datetime-local, Japan time; empty when none
  std::optional<std::string> s_deadline_warning;  // 「締切日 1月2日 は行政機関の休日です」
  bool s_peer_after_own = false;
  bool s_hide_personal = false;
  bool s_balance_loads = false;
  std::vector<BlockChoice> s_blocks;
  FormProblems problems;  // the settings form's problems, shown beside each field (e_<input id>)
  void fields(auto& f) const {
    f("s_title", s_title);
    f("s_summary", s_summary);
    f("s_opens", s_opens);
    f("s_closes", s_closes);
    f("s_award_min", s_award_min);
    f("s_award_max", s_award_max);
    f("s_budget_total", s_budget_total);
    f("s_min_total", s_min_total);
    f("s_k", s_k);
    f("s_max_load", s_max_load);
    f("s_review_deadline", s_review_deadline);
    f("s_deadline_warning", s_deadline_warning);
    f("e_review_deadline", problems.at("review_deadline"));
    f("s_peer_after_own", s_peer_after_own);
    f("s_hide_personal", s_hide_personal);
    f("s_balance_loads", s_balance_loads);
    f("s_blocks", s_blocks);
    f("e_title", problems.at("title"));
    f("e_summary", problems.at("summary"));
    f("e_opens_at", problems.at("opens_at"));
    f("e_closes_at", problems.at("closes_at"));
    f("e_blocks", problems.at("blocks"));
    f("e_award_min", problems.at("award_min"));
    f("e_award_max", problems.at("award_max"));
    f("e_budget_total", problems.at("budget_total"));
    f("e_min_total", problems.at("min_total"));
    f("e_reviewers_per_application", problems.at("reviewers_per_application"));
    f("e_max_load", problems.at("max_load"));
  }
};

struct AdminNewView {
  SettingsFields settings;
  bool frozen = false;  // the settings partial's read-only marks; a new call is not
  std::optional<ErrorSummary> error_summary;
  void fields(auto& f) const {
    settings.fields(f);
    f("frozen", frozen);
    f("error_summary", error_summary);
  }
};

struct LevelInput {
  int level = 0;
  std::string text;
  std::optional<FieldError> error;
  void fields(auto& f) const {
    f("level", level);
    f("text", text);
    f("error", error);
  }
};

struct DocumentRow {
  std::int64_t call_id = 0;
  std::int64_t id = 0;
  std::string title;
  int version = 0;
  std::string file_name;
  std::string size;
  std::string uploaded_at;
  std::string sha_short;
  void fields(auto& f) const {
    f("call_id", call_id);
    f("id", id);
    f("title", title);
    f("version", version);
    f("file_name", file_name);
    f("size", size);
    f("uploaded_at", uploaded_at);
    f("sha_short", sha_short);
  }
};

struct PublicityRow {
  std::int64_t call_id = 0;
  std::int64_t id = 0;
  std::string date;
  std::string channel;
  std::string description;
  std::optional<std::string> url;
  std::string reach;  // 「120 人」 or —
  void fields(auto& f) const {
    f("call_id", call_id);
    f("id", id);
    f("date", date);
    f("channel", channel);
    f("description", description);
    f("url", url);
    f("reach", reach);
  }
};

struct ChannelOption {
  std::string id;
  std::string label;
  bool selected = false;
  void fields(auto& f) const {
    f("id", id);
    f("label", label);
    f("selected", selected);
  }
};

struct AdminCallView {
  CallFields call;
  bool frozen = false;
  std::vector<CallTab> tabs;
  SettingsFields settings;
  bool has_criteria = false;
  std::vector<CriterionFields> criteria;
  std::string max_total;
  std::string c_name;  // the criterion form, as typed
  std::string c_weight;
  std::string c_description;
  std::vector<LevelInput> c_levels;
  std::vector<std::string> document_titles;
  bool has_documents = false;
  std::vector<DocumentRow> documents;
  bool has_publicity = false;
  std::vector<PublicityRow> publicity;
  std::string p_date;  // the publicity form, as typed
  std::string p_description;
  std::string p_url;
  std::string p_reach;
  std::vector<ChannelOption> channels;
  std::optional<ErrorSummary> error_summary;
  FormProblems problems;  // the criterion form's field problems (c_name, c_weight)
  std::optional<Notice> flash;
  void fields(auto& f) const {
    f("call", call);
    f("frozen", frozen);
    f("tabs", tabs);
    settings.fields(f);
    f("has_criteria", has_criteria);
    f("criteria", criteria);
    f("max_total", max_total);
    f("c_name", c_name);
    f("c_weight", c_weight);
    f("c_description", c_description);
    f("c_levels", c_levels);
    f("document_titles", document_titles);
    f("has_documents", has_documents);
    f("documents", documents);
    f("has_publicity", has_publicity);
    f("publicity", publicity);
    f("p_date", p_date);
    f("p_description", p_description);
    f("p_url", p_url);
    f("p_reach", p_reach);
    f("channels", channels);
    f("error_summary", error_summary);
    f("e_c_name", problems.at("c_name"));
    f("e_c_weight", problems.at("c_weight"));
    f("flash", flash);
  }
};

// ---- Applications as staff see them (applications.cpp) ----

struct ApplicationRow {
  std::int64_t id = 0;
  std::string receipt_number;  // or —
  std::string organisation;
  std::string status;
  std::string blocks_text;
  std::string submitted_at;  // or —
  void fields(auto& f) const {
    f("id", id);
    f("receipt_number", receipt_number);
    f("organisation", organisation);
    f("status", status);
    f("blocks_text", blocks_text);
    f("submitted_at", submitted_at);
  }
};

struct FilterBlock {
  std::string id;
  std::string name;
  bool selected = false;
  void fields(auto& f) const {
    f("id", id);
    f("name", name);
    f("selected", selected);
  }
};

struct AdminApplicationsView {
  CallFields call;
  std::vector<CallTab> tabs;
  std::size_t count = 0;
  bool can_export = false;
  bool f_submitted = false;
  bool f_draft = false;
  std::optional<std::string> note;
  std::vector<FilterBlock> filter_blocks;
  bool has_rows = false;
  std::vector<ApplicationRow> rows;
  std::optional<Pagination> pages;
  void fields(auto& f) const {
    f("call", call);
    f("tabs", tabs);
    f("count", count);
    f("can_export", can_export);
    f("f_submitted", f_submitted);
    f("f_draft", f_draft);
    f("note", note);
    f("filter_blocks", filter_blocks);
    f("has_rows", has_rows);
    f("rows", rows);
    f("pages", pages);
  }
};

// ---- Review (review.cpp) ----

struct ProgressRow {
  std::string name;
  int assigned = 0;
  int submitted = 0;
  std::string declared;  // 「3 ／ 5 団体」
  void fields(auto& f) const {
    f("name", name);
    f("assigned", assigned);
    f("submitted", submitted);
    f("declared", declared);
  }
};

struct AssignedReviewer {
  std::int64_t id = 0;
  std::int64_t application_id = 0;
  std::int64_t call_id = 0;
  std::string name;
  bool locked = false;
  bool match = false;  // expertise matches a topic
  bool submitted = false;
  std::string state;
  void fields(auto& f) const {
    f("id", id);
    f("application_id", application_id);
    f("call_id", call_id);
    f("name", name);
    f("locked", locked);
    f("match", match);
    f("submitted", submitted);
    f("state", state);
  }
};

struct CandidateReviewer {
  std::int64_t id = 0;
  std::string name;
  int load = 0;
  void fields(auto& f) const {
    f("id", id);
    f("name", name);
    f("load", load);
  }
};

struct AssignmentRow {
  std::int64_t id = 0;
  std::int64_t call_id = 0;
  std::string receipt_number;  // or —
  std::string organisation;
  std::string topics;
  std::vector<AssignedReviewer> reviewers;
  std::optional<std::string> short_by;  // reviewers still needed, when any
  bool has_candidates = false;
  std::vector<CandidateReviewer> candidates;
  void fields(auto& f) const {
    f("id", id);
    f("call_id", call_id);
    f("receipt_number", receipt_number);
    f("organisation", organisation);
    f("topics", topics);
    f("reviewers", reviewers);
    f("short", short_by);
    f("has_candidates", has_candidates);
    f("candidates", candidates);
  }
};

struct ConflictRow {
  std::string reviewer;
  std::string organisation;
  std::string note;
  void fields(auto& f) const {
    f("reviewer", reviewer);
    f("organisation", organisation);
    f("note", note);
  }
};

struct AdminReviewView {
  CallFields call;
  std::vector<CallTab> tabs;
  bool has_progress = false;
  std::vector<ProgressRow> progress;
  int assigned_total = 0;
  int submitted_total = 0;
  bool has_applications = false;
  std::vector<AssignmentRow> applications;
  std::size_t conflict_count = 0;
  bool has_conflicts = false;
  std::vector<ConflictRow> conflicts;
  FormErrors errors;
  // Reviewers who have not declared on every submitted application's organisation (item 6).
  std::optional<std::string> undeclared;
  bool balance_loads = false;
  std::optional<Notice> flash;
  void fields(auto& f) const {
    f("call", call);
    f("tabs", tabs);
    f("has_progress", has_progress);
    f("progress", progress);
    f("assigned_total", assigned_total);
    f("submitted_total", submitted_total);
    f("has_applications", has_applications);
    f("applications", applications);
    f("conflict_count", conflict_count);
    f("has_conflicts", has_conflicts);
    f("conflicts", conflicts);
    errors.fields(f);
    f("undeclared", undeclared);
    f("balance_loads", balance_loads);
    f("flash", flash);
  }
};

struct ConflictChoice {
  std::int64_t id = 0;  // the organisation
  std::string name;
  bool yes = false;
  bool no = false;
  std::string note;
  void fields(auto& f) const {
    f("id", id);
    f("name", name);
    f("yes", yes);
    f("no", no);
    f("note", note);
  }
};

struct ReviewConflictsView {
  std::int64_t call_id = 0;
  std::string call_title;
  bool has_organisations = false;
  std::vector<ConflictChoice> organisations;
  FormErrors errors;
  void fields(auto& f) const {
    f("call_id", call_id);
    f("call_title", call_title);
    f("has_organisations", has_organisations);
    f("organisations", organisations);
    errors.fields(f);
  }
};

struct ReviewAssignment {
  std::int64_t id = 0;
  std::string receipt_number;
  std::string organisation;
  std::string block_names;
  std::string state;
  std::string total;  // or —
  void fields(auto& f) const {
    f("id", id);
    f("receipt_number", receipt_number);
    f("organisation", organisation);
    f("block_names", block_names);
    f("state", state);
    f("total", total);
  }
};

struct ReviewCallRow {
  CallFields call;
  int declared = 0;
  std::size_t organisations = 0;
  bool has_assignments = false;
  std::vector<ReviewAssignment> assignments;
  void fields(auto& f) const {
    call.fields(f);
    f("declared", declared);
    f("organisations", organisations);
    f("has_assignments", has_assignments);
    f("assignments", assignments);
  }
};

struct ReviewHomeView {
  bool has_calls = false;
  std::vector<ReviewCallRow> calls;
  std::vector<TopicChoice> topics;  // the reviewer's expertise
  void fields(auto& f) const {
    f("has_calls", has_calls);
    f("calls", calls);
    f("topics", topics);
  }
};

struct ScoreLevel {
  std::int64_t criterion_id = 0;
  int level = 0;
  std::string descriptor;
  bool checked = false;
  bool locked = false;
  void fields(auto& f) const {
    f("criterion_id", criterion_id);
    f("level", level);
    f("descriptor", descriptor);
    f("checked", checked);
    f("locked", locked);
  }
};

struct ScoreItem {
  std::int64_t criterion_id = 0;
  int number = 0;
  std::string name;
  std::optional<std::string> description;
  int weight = 0;
  std::string comment;
  std::vector<ScoreLevel> levels;
  bool locked = false;
  void fields(auto& f) const {
    f("criterion_id", criterion_id);
    f("number", number);
    f("name", name);
    f("description", description);
    f("weight", weight);
    f("comment", comment);
    f("levels", levels);
    f("locked", locked);
  }
};

struct PeerReview {
  std::string name;
  std::string total;
  std::optional<std::string> comment;
  void fields(auto& f) const {
    f("name", name);
    f("total", total);
    f("comment", comment);
  }
};

struct ReviewScoreView {
  std::string call_title;
  ApplicationFields application;  // without personal data when the call hides it
  bool hidden_note = false;
  std::string state;
  bool locked = false;
  std::vector<ScoreItem> items;
  std::string total;
  std::string max_total;
  std::string overall_comment;
  bool has_attachments = false;
  std::vector<Attachment> attachments;
  bool show_peers = false;
  bool has_peers = false;
  std::vector<PeerReview> peers;
  FormErrors errors;
  void fields(auto& f) const {
    f("call_title", call_title);
    f("application", application);
    f("hidden_note", hidden_note);
    f("state", state);
    f("locked", locked);
    f("items", items);
    f("total", total);
    f("max_total", max_total);
    f("overall_comment", overall_comment);
    f("has_attachments", has_attachments);
    f("attachments", attachments);
    f("show_peers", show_peers);
    f("has_peers", has_peers);
    f("peers", peers);
    errors.fields(f);
  }
};

// ---- Results (results.cpp) ----

struct LeaderChange {
  std::string block;
  std::string by_mean;
  std::string by_normalised;
  void fields(auto& f) const {
    f("block", block);
    f("by_mean", by_mean);
    f("by_normalised", by_normalised);
  }
};

struct RankRow {
  std::string rank;  // or — when not scored
  std::int64_t id = 0;
  std::string receipt_number;
  std::string organisation;
  std::string requested;
  std::string totals;
  std::string mean;
  std::string normalised;
  std::string submitted_at;
  bool proposed = false;
  void fields(auto& f) const {
    f("rank", rank);
    f("id", id);
    f("receipt_number", receipt_number);
    f("organisation", organisation);
    f("requested", requested);
    f("totals", totals);
    f("mean", mean);
    f("normalised", normalised);
    f("submitted_at", submitted_at);
    f("proposed", proposed);
  }
};

struct RankBlock {
  std::string name;
  bool has_rows = false;
  std::vector<RankRow> rows;
  void fields(auto& f) const {
    f("name", name);
    f("has_rows", has_rows);
    f("rows", rows);
  }
};

struct ProposalTotals {
  std::string total_amount;
  std::string total_score;
  void fields(auto& f) const {
    f("total_amount", total_amount);
    f("total_score", total_score);
  }
};

struct DecisionOption {
  std::int64_t id = 0;
  std::string label;
  bool selected = false;
  void fields(auto& f) const {
    f("id", id);
    f("label", label);
    f("selected", selected);
  }
};

struct DecisionRow {
  std::string block;
  std::string name;
  bool none_selected = false;
  std::vector<DecisionOption> options;
  std::string amount;
  std::string rationale;
  // The error pattern (web/layout_view.h) per field of the block.
  std::optional<FieldError> e_application;
  std::optional<FieldError> e_amount;
  std::optional<FieldError> e_rationale;
  void fields(auto& f) const {
    f("block", block);
    f("name", name);
    f("none_selected", none_selected);
    f("options", options);
    f("amount", amount);
    f("rationale", rationale);
    f("e_application", e_application);
    f("e_amount", e_amount);
    f("e_rationale", e_rationale);
  }
};

struct DecisionLineRow {
  std::string block_name;
  bool awarded = false;
  std::string organisation;
  std::string receipt_number;
  std::string amount;
  std::string differs;
  std::string rationale;
  void fields(auto& f) const {
    f("block_name", block_name);
    f("awarded", awarded);
    f("organisation", organisation);
    f("receipt_number", receipt_number);
    f("amount", amount);
    f("differs", differs);
    f("rationale", rationale);
  }
};

struct AdminResultsView {
  CallFields call;
  std::vector<CallTab> tabs;
  std::int64_t review_count = 0;
  std::string max_total;
  std::string method;
  bool has_normalised = false;
  std::string normalised_reviewers;
  bool has_changes = false;
  std::vector<LeaderChange> changes;
  std::string basis;  // mean / normalised
  bool basis_normalised = false;
  std::string basis_label;
  std::vector<RankBlock> blocks;
  std::optional<std::string> unapplied;  // blocks nobody applied to
  std::optional<ProposalTotals> proposal;
  std::optional<std::string> proposal_error;
  std::optional<std::string> min_total;
  std::optional<std::string> without_candidates;
  bool can_decide = false;
  std::optional<std::string> decision_note;
  std::vector<DecisionRow> decision_rows;
  bool has_decision = false;
  std::vector<DecisionLineRow> decision;
  std::string decision_total;
  bool can_approve = false;
  bool can_return = false;  // METI may give the recorded decision back with a comment
  bool can_publish = false;
  std::optional<std::string> recorded_by;  // 「事務 次郎（2027年1月20日（水）10:00）」
  std::optional<std::string> approved_by;
  std::optional<std::string> returned;     // METI's return: who, when and the comment
  std::optional<std::string> incomplete_reviews;  // a warning when reviews are missing
  std::optional<FieldError> e_return_comment;
  std::optional<ErrorSummary> error_summary;
  std::optional<Notice> flash;
  void fields(auto& f) const {
    f("call", call);
    f("tabs", tabs);
    f("can_return", can_return);
    f("recorded_by", recorded_by);
    f("approved_by", approved_by);
    f("returned", returned);
    f("incomplete_reviews", incomplete_reviews);
    f("e_return_comment", e_return_comment);
    f("review_count", review_count);
    f("max_total", max_total);
    f("method", method);
    f("has_normalised", has_normalised);
    f("normalised_reviewers", normalised_reviewers);
    f("has_changes", has_changes);
    f("changes", changes);
    f("basis", basis);
    f("basis_normalised", basis_normalised);
    f("basis_label", basis_label);
    f("blocks", blocks);
    f("unapplied", unapplied);
    f("proposal", proposal);
    f("proposal_error", proposal_error);
    f("min_total", min_total);
    f("without_candidates", without_candidates);
    f("can_decide", can_decide);
    f("decision_note", decision_note);
    f("decision_rows", decision_rows);
    f("has_decision", has_decision);
    f("decision", decision);
    f("decision_total", decision_total);
    f("can_approve", can_approve);
    f("can_publish", can_publish);
    f("error_summary", error_summary);
    f("flash", flash);
  }
};

}  // namespace kakehashi::web::callweb
