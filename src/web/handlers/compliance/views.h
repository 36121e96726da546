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

}  // namespace kakehashi::web::compliance_web
