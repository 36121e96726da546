// Typed views of the information-management screens (issue 21).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kakehashi::web::compliance_web {

struct Option {
  std::string value;
  std::string label;
  bool selected = false;
  void fields(auto& f) const {
    f("value", value);
    f("label", label);
    f("selected", selected);
  }
};

struct FieldMessage {
  std::string field;
  std::string message;
  void fields(auto& f) const {
    f("field", field);
    f("message", message);
  }
};

struct PersonRow {
  std::string href;
  std::string category;
  std::string organisation;
  std::string name;
  std::string department;
  std::string title;
  std::string account;
  void fields(auto& f) const {
    f("href", href);
    f("category", category);
    f("organisation", organisation);
    f("name", name);
    f("department", department);
    f("title", title);
    f("account", account);
  }
};

struct ChangeRow {
  std::string href;
  std::string kind;
  std::string name;
  std::string category;
  std::string effective_from;
  std::string requested_at;
  std::string status;
  bool pending = false;
  void fields(auto& f) const {
    f("href", href);
    f("kind", kind);
    f("name", name);
    f("category", category);
    f("effective_from", effective_from);
    f("requested_at", requested_at);
    f("status", status);
    f("pending", pending);
  }
};

struct VersionRow {
  std::string version;
  std::string approved_at;
  std::string approved_by;
  std::string change_href;
  std::string people;
  void fields(auto& f) const {
    f("version", version);
    f("approved_at", approved_at);
    f("approved_by", approved_by);
    f("change_href", change_href);
    f("people", people);
  }
};

struct OverviewView {
  bool gate_active = false;
  std::string version;  // "第 3 版（2026年4月1日承認）"
  std::vector<PersonRow> people;
  bool has_people = false;
  std::vector<ChangeRow> changes;
  bool has_changes = false;
  std::vector<VersionRow> versions;
  bool has_versions = false;
  bool can_request = false;
  bool can_close_out = false;
  void fields(auto& f) const {
    f("gate_active", gate_active);
    f("version", version);
    f("people", people);
    f("has_people", has_people);
    f("changes", changes);
    f("has_changes", has_changes);
    f("versions", versions);
    f("has_versions", has_versions);
    f("can_request", can_request);
    f("can_close_out", can_close_out);
  }
};

struct Personal {
  std::string address;
  std::string birth_date;
  std::string passport;
  std::string nationality;
  void fields(auto& f) const {
    f("address", address);
    f("birth_date", birth_date);
    f("passport", passport);
    f("nationality", nationality);
  }
};

struct PersonView {
  std::int64_t id = 0;
  std::string category;
  std::string organisation;
  std::string name;
  std::string department;
  std::string title;
  std::string account;
  std::string state;
  std::optional<Personal> personal;  // the security officer and METI only (audited)
  bool can_request = false;
  std::string update_href;
  std::string remove_href;
  void fields(auto& f) const {
    f("id", id);
    f("category", category);
    f("organisation", organisation);
    f("name", name);
    f("department", department);
    f("title", title);
    f("account", account);
    f("state", state);
    f("personal", personal);
    f("can_request", can_request);
    f("update_href", update_href);
    f("remove_href", remove_href);
  }
};

struct ChangeFormView {
  std::string heading;
  std::string kind;
  std::string kind_label;
  std::string person_id;
  bool is_remove = false;
  bool is_update = false;
  std::string target_name;  // update / remove: who
  bool has_errors = false;
  std::vector<FieldMessage> errors;
  std::vector<Option> categories;
  std::vector<Option> accounts;
  std::string organisation, name, department, title;
  std::string address, birth_date, passport, nationality;
  std::string reason, effective_from;
  std::optional<std::string> category_error, name_error, organisation_error, department_error, title_error,
      user_id_error, address_error, birth_date_error, passport_error, nationality_error, reason_error,
      effective_from_error, person_id_error;
  void fields(auto& f) const {
    f("heading", heading);
    f("kind", kind);
    f("kind_label", kind_label);
    f("person_id", person_id);
    f("is_remove", is_remove);
    f("is_update", is_update);
    f("target_name", target_name);
    f("has_errors", has_errors);
    f("errors", errors);
    f("categories", categories);
    f("accounts", accounts);
    f("organisation", organisation);
    f("name", name);
    f("department", department);
    f("title", title);
    f("address", address);
    f("birth_date", birth_date);
    f("passport", passport);
    f("nationality", nationality);
    f("reason", reason);
    f("effective_from", effective_from);
    f("category_error", category_error);
    f("name_error", name_error);
    f("organisation_error", organisation_error);
    f("department_error", department_error);
    f("title_error", title_error);
    f("user_id_error", user_id_error);
    f("address_error", address_error);
    f("birth_date_error", birth_date_error);
    f("passport_error", passport_error);
    f("nationality_error", nationality_error);
    f("reason_error", reason_error);
    f("effective_from_error", effective_from_error);
    f("person_id_error", person_id_error);
  }
};

struct ChangeView {
  std::int64_t id = 0;
  std::string kind;
  std::string status;
  bool pending = false;
  std::string category;
  std::string organisation, name, department, title, account;
  bool carries_personal = false;
  std::string reason;
  std::string effective_from;
  std::string requested_by;
  std::string requested_at;
  std::optional<std::string> decided;  // 「経産 花子が 2026年…に承認」
  std::optional<std::string> decision_note;
  bool can_decide = false;
  std::optional<std::string> error;
  void fields(auto& f) const {
    f("id", id);
    f("kind", kind);
    f("status", status);
    f("pending", pending);
    f("category", category);
    f("organisation", organisation);
    f("name", name);
    f("department", department);
    f("title", title);
    f("account", account);
    f("carries_personal", carries_personal);
    f("reason", reason);
    f("effective_from", effective_from);
    f("requested_by", requested_by);
    f("requested_at", requested_at);
    f("decided", decided);
    f("decision_note", decision_note);
    f("can_decide", can_decide);
    f("error", error);
  }
};

}  // namespace kakehashi::web::compliance_web

namespace kakehashi::web::compliance_web {

struct LedgerRow {
  std::string ecosystem, name, version, used_in, licences, end_of_support;
  bool shipped = true;
  void fields(auto& f) const {
    f("ecosystem", ecosystem);
    f("name", name);
    f("version", version);
    f("used_in", used_in);
    f("licences", licences);
    f("end_of_support", end_of_support);
    f("shipped", shipped);
  }
};

struct LedgerView {
  std::vector<LedgerRow> rows;
  std::string summary;
  void fields(auto& f) const {
    f("rows", rows);
    f("summary", summary);
  }
};


// ---- Compliance reports (別紙, R8.1)

struct ReportRow {
  std::string href;
  std::string period;
  std::string status;
  std::string due;
  std::string submitted;
  bool waiting = false;  // submitted, METI to acknowledge
  void fields(auto& f) const {
    f("href", href);
    f("period", period);
    f("status", status);
    f("due", due);
    f("submitted", submitted);
    f("waiting", waiting);
  }
};

struct ReportsView {
  std::vector<ReportRow> reports;
  bool has_reports = false;
  bool can_create = false;
  std::vector<Option> periods;  // half-years without a report
  bool has_periods = false;
  std::optional<std::string> error;
  void fields(auto& f) const {
    f("reports", reports);
    f("has_reports", has_reports);
    f("can_create", can_create);
    f("periods", periods);
    f("has_periods", has_periods);
    f("error", error);
  }
};

struct EvidenceLink {
  std::string label;
  std::string href;
  std::string note;  // 「PDF・12 KB・公開できます」 for a file; 「Kakehashi の画面」 for a link
  bool automatic = false;
  std::optional<std::string> delete_href;  // none when it cannot be removed
  void fields(auto& f) const {
    f("label", label);
    f("href", href);
    f("note", note);
    f("automatic", automatic);
    f("delete_href", delete_href);
  }
};

struct StatusChoice {
  std::string value;
  std::string label;
  bool checked = false;
  std::string id;  // item_4_done
  void fields(auto& f) const {
    f("value", value);
    f("label", label);
    f("checked", checked);
    f("id", id);
  }
};

struct ItemView {
  int number = 0;
  std::string field;  // item_4
  std::string text;
  std::string status;  // label, "未回答" when none
  bool answered = false;
  std::string detail;
  std::vector<StatusChoice> choices;
  std::optional<std::string> error;
  std::vector<EvidenceLink> evidence;
  bool has_evidence = false;
  void fields(auto& f) const {
    f("number", number);
    f("field", field);
    f("text", text);
    f("status", status);
    f("answered", answered);
    f("detail", detail);
    f("choices", choices);
    f("error", error);
    f("evidence", evidence);
    f("has_evidence", has_evidence);
  }
};

struct HistoryRow {
  std::string at;
  std::string by;
  std::string event;
  std::optional<std::string> note;
  void fields(auto& f) const {
    f("at", at);
    f("by", by);
    f("event", event);
    f("note", note);
  }
};

struct ReportView {
  std::int64_t id = 0;
  std::string period;
  std::string status;
  std::string due;
  bool editable = false;   // the contractor may change it now
  bool can_decide = false; // METI, submitted
  bool returned = false;
  std::string contract_title;
  std::string contract_date;
  std::optional<std::string> contract_title_error;
  std::optional<std::string> decision;       // 「経産 花子が 2026年… に差し戻し」
  std::optional<std::string> decision_note;
  std::vector<ItemView> items;
  std::vector<Option> item_options;  // for the evidence forms
  std::vector<HistoryRow> history;
  bool has_errors = false;
  std::vector<FieldMessage> errors;
  std::optional<std::string> evidence_error;
  std::optional<std::string> decision_error;
  std::string link_label;
  std::string link_href;
  void fields(auto& f) const {
    f("id", id);
    f("period", period);
    f("status", status);
    f("due", due);
    f("editable", editable);
    f("can_decide", can_decide);
    f("returned", returned);
    f("contract_title", contract_title);
    f("contract_date", contract_date);
    f("contract_title_error", contract_title_error);
    f("decision", decision);
    f("decision_note", decision_note);
    f("items", items);
    f("item_options", item_options);
    f("history", history);
    f("has_errors", has_errors);
    f("errors", errors);
    f("evidence_error", evidence_error);
    f("decision_error", decision_error);
    f("link_label", link_label);
    f("link_href", link_href);
  }
};

// ---- Incidents (R8.5)

struct IncidentRow {
  std::string href;
  std::string title;
  std::string discovered;
  std::string reported;
  std::string cause_due;
  bool overdue = false;
  std::string status;
  bool open = false;
  void fields(auto& f) const {
    f("href", href);
    f("title", title);
    f("discovered", discovered);
    f("reported", reported);
    f("cause_due", cause_due);
    f("overdue", overdue);
    f("status", status);
    f("open", open);
  }
};

struct IncidentsView {
  std::vector<IncidentRow> incidents;
  bool has_incidents = false;
  bool can_record = false;
  void fields(auto& f) const {
    f("incidents", incidents);
    f("has_incidents", has_incidents);
    f("can_record", can_record);
  }
};

struct IncidentFormView {
  std::string title, what, discovered_at, impact, affected_info, measures;
  std::optional<std::string> title_error, what_error, discovered_at_error, impact_error, affected_info_error,
      measures_error;
  bool has_errors = false;
  std::vector<FieldMessage> errors;
  void fields(auto& f) const {
    f("title", title);
    f("what", what);
    f("discovered_at", discovered_at);
    f("impact", impact);
    f("affected_info", affected_info);
    f("measures", measures);
    f("title_error", title_error);
    f("what_error", what_error);
    f("discovered_at_error", discovered_at_error);
    f("impact_error", impact_error);
    f("affected_info_error", affected_info_error);
    f("measures_error", measures_error);
    f("has_errors", has_errors);
    f("errors", errors);
  }
};

struct IncidentReportRow {
  std::string at;
  std::string by;
  std::string body;
  void fields(auto& f) const {
    f("at", at);
    f("by", by);
    f("body", body);
  }
};

struct IncidentView {
  std::int64_t id = 0;
  std::string title, what, discovered, impact, affected_info, measures;
  std::string reported;         // the first report: when, by whom, how long after discovery
  bool reported_late = false;
  std::string first_due;
  std::string cause_due;
  bool cause_overdue = false;
  std::string contained;        // 「2026年…」 or 「未完了」
  std::string cause, prevention;
  bool open = false;
  std::string status;
  std::optional<std::string> closed;
  std::vector<IncidentReportRow> reports;
  bool has_reports = false;
  bool can_report = false;
  // The follow-up form, as typed when refused.
  std::string body;
  bool contained_checked = false;
  bool is_contained = false;
  std::string cause_typed, prevention_typed;
  std::optional<std::string> body_error;
  std::optional<std::string> close_error;
  void fields(auto& f) const {
    f("id", id);
    f("title", title);
    f("what", what);
    f("discovered", discovered);
    f("impact", impact);
    f("affected_info", affected_info);
    f("measures", measures);
    f("reported", reported);
    f("reported_late", reported_late);
    f("first_due", first_due);
    f("cause_due", cause_due);
    f("cause_overdue", cause_overdue);
    f("contained", contained);
    f("cause", cause);
    f("prevention", prevention);
    f("open", open);
    f("status", status);
    f("closed", closed);
    f("reports", reports);
    f("has_reports", has_reports);
    f("can_report", can_report);
    f("body", body);
    f("contained_checked", contained_checked);
    f("is_contained", is_contained);
    f("cause_typed", cause_typed);
    f("prevention_typed", prevention_typed);
    f("body_error", body_error);
    f("close_error", close_error);
  }
};

// ---- Close-out (R7.5)

struct DeletedRow {
  std::string table;
  std::string rows;
  void fields(auto& f) const {
    f("table", table);
    f("rows", rows);
  }
};

struct CloseoutView {
  bool can_run = false;      // the security officer
  bool can_confirm = false;  // METI, a certificate not yet confirmed
  std::optional<std::string> package;  // 「2027-03-25 納品（受領番号 123）・情報 三郎が記録」
  std::string delivered_on;  // typed / stored, for the form
  std::string note;
  std::optional<std::string> package_error;
  std::string command;       // the close-out command with the recorded delivery
  bool has_certificate = false;
  std::string run_at;
  bool valid = false;
  std::string check;         // 「署名は有効です」 or the problem
  std::string tables_summary;
  std::vector<DeletedRow> tables;
  std::string files;
  std::string key;
  std::string heads;
  std::string public_key;
  std::optional<std::string> confirmed;
  std::optional<std::string> confirm_error;
  void fields(auto& f) const {
    f("can_run", can_run);
    f("can_confirm", can_confirm);
    f("package", package);
    f("delivered_on", delivered_on);
    f("note", note);
    f("package_error", package_error);
    f("command", command);
    f("has_certificate", has_certificate);
    f("run_at", run_at);
    f("valid", valid);
    f("check", check);
    f("tables_summary", tables_summary);
    f("tables", tables);
    f("files", files);
    f("key", key);
    f("heads", heads);
    f("public_key", public_key);
    f("confirmed", confirmed);
    f("confirm_error", confirm_error);
  }
};

}  // namespace kakehashi::web::compliance_web
