// Typed views of the events screens (issue 18): templates/events/*.mustache.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "web/layout_view.h"
#include "web/view_model.h"

namespace kakehashi::web::eventsweb {

struct FormError {
  std::string field;
  std::string message;
  void fields(auto& f) const {
    f("field", field);
    f("message", message);
  }
};

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

// The numbers of an event against its target band.
struct Attendance {
  std::string band;  // 「50〜150 人」
  int confirmed = 0;
  int confirmed_in_person = 0;
  int confirmed_online = 0;
  int waiting = 0;
  int offered = 0;
  int attended = 0;
  int attended_in_person = 0;
  int attended_online = 0;
  int walk_ins = 0;
  int capacity = 0;
  std::string band_state;  // 「目標の範囲内」「目標まであと 12 人」「目標の上限を超えています」
  bool in_band = false;
  int percent = 0;  // attended (or confirmed before the day) of the band's low end, capped at 100
  void fields(auto& f) const {
    f("band", band);
    f("confirmed", confirmed);
    f("confirmed_in_person", confirmed_in_person);
    f("confirmed_online", confirmed_online);
    f("waiting", waiting);
    f("offered", offered);
    f("attended", attended);
    f("attended_in_person", attended_in_person);
    f("attended_online", attended_online);
    f("walk_ins", walk_ins);
    f("capacity", capacity);
    f("band_state", band_state);
    f("in_band", in_band);
    f("percent", percent);
  }
};

struct EventRow {
  std::string title;
  std::string href;
  std::string kind;
  std::string when;
  std::string place;
  bool published = false;
  Attendance numbers;
  void fields(auto& f) const {
    f("title", title);
    f("href", href);
    f("kind", kind);
    f("when", when);
    f("place", place);
    f("published", published);
    f("numbers", numbers);
  }
};

struct EventListView {
  bool can_manage = false;
  std::vector<EventRow> events;
  bool has_events = false;
  void fields(auto& f) const {
    f("can_manage", can_manage);
    f("events", events);
    f("has_events", has_events);
  }
};

struct EventFormView {
  std::string heading;
  std::string action;
  std::vector<FormError> errors;
  bool has_errors = false;
  std::vector<Option> kinds;
  std::string title;
  std::string summary;
  std::string starts_at;
  std::string ends_at;
  std::vector<Option> formats;
  std::vector<Option> prefectures;
  std::string venue;
  std::string address;
  std::string capacity;
  std::string registration_closes_at;
  std::string offer_hours;
  std::string cohost_name;
  std::vector<Option> countings;
  std::vector<Option> operators;
  bool published = false;
  bool matchmaking = false;
  std::string requests_open_at;
  std::string requests_close_at;
  std::optional<std::string> kind_error, title_error, summary_error, starts_at_error, ends_at_error, format_error,
      prefecture_error, venue_error, address_error, capacity_error, registration_closes_at_error, offer_hours_error,
      cohost_name_error, cohost_counting_error, cohost_operator_id_error, requests_open_at_error, requests_close_at_error;
  void fields(auto& f) const {
    f("heading", heading);
    f("action", action);
    f("errors", errors);
    f("has_errors", has_errors);
    f("kinds", kinds);
    f("title", title);
    f("summary", summary);
    f("starts_at", starts_at);
    f("ends_at", ends_at);
    f("formats", formats);
    f("prefectures", prefectures);
    f("venue", venue);
    f("address", address);
    f("capacity", capacity);
    f("registration_closes_at", registration_closes_at);
    f("offer_hours", offer_hours);
    f("cohost_name", cohost_name);
    f("countings", countings);
    f("operators", operators);
    f("published", published);
    f("matchmaking", matchmaking);
    f("requests_open_at", requests_open_at);
    f("requests_close_at", requests_close_at);
    f("kind_error", kind_error);
    f("title_error", title_error);
    f("summary_error", summary_error);
    f("starts_at_error", starts_at_error);
    f("ends_at_error", ends_at_error);
    f("format_error", format_error);
    f("prefecture_error", prefecture_error);
    f("venue_error", venue_error);
    f("address_error", address_error);
    f("capacity_error", capacity_error);
    f("registration_closes_at_error", registration_closes_at_error);
    f("offer_hours_error", offer_hours_error);
    f("cohost_name_error", cohost_name_error);
    f("cohost_counting_error", cohost_counting_error);
    f("cohost_operator_id_error", cohost_operator_id_error);
    f("requests_open_at_error", requests_open_at_error);
    f("requests_close_at_error", requests_close_at_error);
  }
};

struct SessionRow {
  std::int64_t id = 0;
  std::string starts;
  std::string title;
  std::optional<std::string> speakers;
  std::optional<std::string> description;
  std::optional<std::string> delete_action;
  void fields(auto& f) const {
    f("id", id);
    f("starts", starts);
    f("title", title);
    f("speakers", speakers);
    f("description", description);
    f("delete_action", delete_action);
  }
};

struct CostRow {
  std::string spent_on;
  std::string category;
  std::string description;
  std::string amount;
  bool in_budget = false;
  void fields(auto& f) const {
    f("spent_on", spent_on);
    f("category", category);
    f("description", description);
    f("amount", amount);
    f("in_budget", in_budget);
  }
};

struct EventTab {
  std::string label;
  std::string href;
  bool current = false;
  void fields(auto& f) const {
    f("label", label);
    f("href", href);
    f("current", current);
  }
};

struct EventShowView {
  std::int64_t id = 0;
  std::string title;
  std::string kind;
  std::string when;
  std::string place;
  std::optional<std::string> summary;
  std::string closes;
  std::string offer_hours;
  std::optional<std::string> cohost;
  std::string public_url;
  bool published = false;
  bool can_manage = false;
  std::vector<EventTab> tabs;
  Attendance numbers;
  std::vector<SessionRow> sessions;
  bool has_sessions = false;
  std::vector<CostRow> costs;
  bool has_costs = false;
  std::string cost_total;
  std::vector<Option> cost_categories;
  std::vector<FormError> errors;
  bool has_errors = false;
  std::string session_starts, session_title, session_speakers, session_description;
  std::string cost_description, cost_amount, cost_spent_on;
  void fields(auto& f) const {
    f("id", id);
    f("title", title);
    f("kind", kind);
    f("when", when);
    f("place", place);
    f("summary", summary);
    f("closes", closes);
    f("offer_hours", offer_hours);
    f("cohost", cohost);
    f("public_url", public_url);
    f("published", published);
    f("can_manage", can_manage);
    f("tabs", tabs);
    f("numbers", numbers);
    f("sessions", sessions);
    f("has_sessions", has_sessions);
    f("costs", costs);
    f("has_costs", has_costs);
    f("cost_total", cost_total);
    f("cost_categories", cost_categories);
    f("errors", errors);
    f("has_errors", has_errors);
    f("session_starts", session_starts);
    f("session_title", session_title);
    f("session_speakers", session_speakers);
    f("session_description", session_description);
    f("cost_description", cost_description);
    f("cost_amount", cost_amount);
    f("cost_spent_on", cost_spent_on);
  }
};

struct RegistrantRow {
  std::string receipt;
  std::string name;
  std::string organisation;
  std::string kind;
  std::string prefecture;
  std::string email;
  std::string attendance;
  std::string status;
  std::optional<std::string> position;
  std::optional<std::string> attended;
  bool walk_in = false;
  void fields(auto& f) const {
    f("receipt", receipt);
    f("name", name);
    f("organisation", organisation);
    f("kind", kind);
    f("prefecture", prefecture);
    f("email", email);
    f("attendance", attendance);
    f("status", status);
    f("position", position);
    f("attended", attended);
    f("walk_in", walk_in);
  }
};

struct RegistrationsView {
  std::int64_t id = 0;
  std::string title;
  std::vector<EventTab> tabs;
  Attendance numbers;
  std::vector<RegistrantRow> rows;
  bool has_rows = false;
  bool can_manage = false;
  void fields(auto& f) const {
    f("id", id);
    f("title", title);
    f("tabs", tabs);
    f("numbers", numbers);
    f("rows", rows);
    f("has_rows", has_rows);
    f("can_manage", can_manage);
  }
};

struct CheckinPerson {
  std::int64_t registration_id = 0;
  std::string receipt;
  std::string name;
  std::string organisation;
  std::string kind;
  std::string attendance;
  std::string status;
  bool confirmed = false;
  std::optional<std::string> attended;
  std::string action;
  void fields(auto& f) const {
    f("registration_id", registration_id);
    f("receipt", receipt);
    f("name", name);
    f("organisation", organisation);
    f("kind", kind);
    f("attendance", attendance);
    f("status", status);
    f("confirmed", confirmed);
    f("attended", attended);
    f("action", action);
  }
};

struct CheckinView {
  std::int64_t id = 0;
  std::string title;
  std::vector<EventTab> tabs;
  Attendance numbers;
  std::string code;
  std::optional<std::string> code_error;
  std::optional<CheckinPerson> person;
  std::vector<Option> kinds;
  std::vector<FormError> errors;
  bool has_errors = false;
  std::string walk_name, walk_organisation, walk_email;
  std::optional<std::string> walk_name_error, walk_kind_error, walk_email_error;
  void fields(auto& f) const {
    f("id", id);
    f("title", title);
    f("tabs", tabs);
    f("numbers", numbers);
    f("code", code);
    f("code_error", code_error);
    f("person", person);
    f("kinds", kinds);
    f("errors", errors);
    f("has_errors", has_errors);
    f("walk_name", walk_name);
    f("walk_organisation", walk_organisation);
    f("walk_email", walk_email);
    f("walk_name_error", walk_name_error);
    f("walk_kind_error", walk_kind_error);
    f("walk_email_error", walk_email_error);
  }
};

struct SlotRow {
  std::string time;
  std::vector<std::string> tables;  // "3 番: A社 × B校"
  void fields(auto& f) const {
    f("time", time);
    f("tables", tables);
  }
};

struct MeetingRow {
  std::int64_t id = 0;
  std::string time;
  int table = 0;
  std::string a;
  std::string b;
  bool locked = false;
  std::string lock_action;
  void fields(auto& f) const {
    f("id", id);
    f("time", time);
    f("table", table);
    f("a", a);
    f("b", b);
    f("locked", locked);
    f("lock_action", lock_action);
  }
};

struct UnscheduledRow {
  std::string from;
  std::string to;
  std::string message;
  void fields(auto& f) const {
    f("from", from);
    f("to", to);
    f("message", message);
  }
};

struct MatchmakingView {
  std::int64_t id = 0;
  std::string title;
  std::vector<EventTab> tabs;
  std::string window;
  int participants = 0;
  int requests = 0;
  int accepted = 0;
  int pending = 0;
  int declined = 0;
  std::string tables;
  std::string first;
  std::string minutes;
  std::string breaks;
  std::string count;
  std::vector<std::string> slots;
  bool has_slots = false;
  std::vector<MeetingRow> meetings;
  bool has_meetings = false;
  std::vector<UnscheduledRow> unscheduled;
  bool has_unscheduled = false;
  bool published = false;
  std::optional<std::string> published_at;
  std::optional<std::string> grid_error;
  void fields(auto& f) const {
    f("id", id);
    f("title", title);
    f("tabs", tabs);
    f("window", window);
    f("participants", participants);
    f("requests", requests);
    f("accepted", accepted);
    f("pending", pending);
    f("declined", declined);
    f("tables", tables);
    f("first", first);
    f("minutes", minutes);
    f("breaks", breaks);
    f("count", count);
    f("slots", slots);
    f("has_slots", has_slots);
    f("meetings", meetings);
    f("has_meetings", has_meetings);
    f("unscheduled", unscheduled);
    f("has_unscheduled", has_unscheduled);
    f("published", published);
    f("published_at", published_at);
    f("grid_error", grid_error);
  }
};

struct PublicSession {
  std::string starts;
  std::string title;
  std::optional<std::string> speakers;
  std::optional<std::string> description;
  void fields(auto& f) const {
    f("starts", starts);
    f("title", title);
    f("speakers", speakers);
    f("description", description);
  }
};

struct PublicView {
  std::string slug;
  std::string title;
  std::string kind;
  std::string when;
  std::string place;
  std::optional<std::string> summary;
  std::string closes;
  std::optional<std::string> cohost;
  std::vector<PublicSession> sessions;
  bool has_sessions = false;
  bool open = false;
  std::optional<std::string> closed_reason;
  std::optional<std::string> seats_note;  // 「残り 12 席」「満席です（キャンセル待ちで受け付けます）」
  std::optional<std::string> refusal;
  std::optional<std::string> already;
  std::vector<FormError> errors;
  bool has_errors = false;
  bool choose_attendance = false;
  bool matchmaking = false;
  std::string name, organisation, email, offers, seeks;
  bool consent = false;
  bool match_opt_in = false;
  std::vector<Option> kinds;
  std::vector<Option> school_types;
  std::vector<Option> prefectures;
  std::vector<Option> attendances;
  std::optional<std::string> name_error, organisation_error, kind_error, school_type_error, prefecture_error, email_error,
      attendance_error, consent_error, offers_error, seeks_error;
  void fields(auto& f) const {
    f("slug", slug);
    f("title", title);
    f("kind", kind);
    f("when", when);
    f("place", place);
    f("summary", summary);
    f("closes", closes);
    f("cohost", cohost);
    f("sessions", sessions);
    f("has_sessions", has_sessions);
    f("open", open);
    f("closed_reason", closed_reason);
    f("seats_note", seats_note);
    f("refusal", refusal);
    f("already", already);
    f("errors", errors);
    f("has_errors", has_errors);
    f("choose_attendance", choose_attendance);
    f("matchmaking", matchmaking);
    f("name", name);
    f("organisation", organisation);
    f("email", email);
    f("offers", offers);
    f("seeks", seeks);
    f("consent", consent);
    f("match_opt_in", match_opt_in);
    f("kinds", kinds);
    f("school_types", school_types);
    f("prefectures", prefectures);
    f("attendances", attendances);
    f("name_error", name_error);
    f("organisation_error", organisation_error);
    f("kind_error", kind_error);
    f("school_type_error", school_type_error);
    f("prefecture_error", prefecture_error);
    f("email_error", email_error);
    f("attendance_error", attendance_error);
    f("consent_error", consent_error);
    f("offers_error", offers_error);
    f("seeks_error", seeks_error);
  }
};

struct DirectoryEntry {
  std::int64_t id = 0;
  std::string organisation;
  std::string kind;
  std::string prefecture;
  std::optional<std::string> offers;
  std::optional<std::string> seeks;
  std::optional<std::string> sent;  // 「申込み済み（優先度 2・回答待ち）」
  void fields(auto& f) const {
    f("id", id);
    f("organisation", organisation);
    f("kind", kind);
    f("prefecture", prefecture);
    f("offers", offers);
    f("seeks", seeks);
    f("sent", sent);
  }
};

struct ReceivedRequest {
  std::int64_t id = 0;
  std::string organisation;
  std::string kind;
  std::string state;
  bool pending = false;
  std::string action;
  void fields(auto& f) const {
    f("id", id);
    f("organisation", organisation);
    f("kind", kind);
    f("state", state);
    f("pending", pending);
    f("action", action);
  }
};

struct AgendaRow {
  std::string time;
  int table = 0;
  std::string partner;
  std::string partner_kind;
  void fields(auto& f) const {
    f("time", time);
    f("table", table);
    f("partner", partner);
    f("partner_kind", partner_kind);
  }
};

struct PersonalView {
  std::string base;  // /e/{slug}/r/{key}
  std::string event_title;
  std::string public_href;
  std::string when;
  std::string place;
  std::string receipt;
  std::string name;
  std::string organisation;
  std::string attendance;
  std::string status;
  std::string status_sentence;
  bool confirmed = false;
  bool waiting = false;
  bool offered = false;
  bool active = false;
  std::optional<std::string> offer_until;
  Html qr;
  std::string personal_url;
  std::optional<std::string> attended;
  std::optional<std::string> refusal;
  // Matchmaking
  bool matchmaking = false;
  bool match_opt_in = false;
  bool requests_open = false;
  std::string request_window;
  std::string offers;
  std::string seeks;
  std::vector<DirectoryEntry> directory;
  bool has_directory = false;
  std::vector<ReceivedRequest> received;
  bool has_received = false;
  std::vector<AgendaRow> agenda;
  bool has_agenda = false;
  bool schedule_published = false;
  void fields(auto& f) const {
    f("base", base);
    f("event_title", event_title);
    f("public_href", public_href);
    f("when", when);
    f("place", place);
    f("receipt", receipt);
    f("name", name);
    f("organisation", organisation);
    f("attendance", attendance);
    f("status", status);
    f("status_sentence", status_sentence);
    f("confirmed", confirmed);
    f("waiting", waiting);
    f("offered", offered);
    f("active", active);
    f("offer_until", offer_until);
    f("qr", qr);
    f("personal_url", personal_url);
    f("attended", attended);
    f("refusal", refusal);
    f("matchmaking", matchmaking);
    f("match_opt_in", match_opt_in);
    f("requests_open", requests_open);
    f("request_window", request_window);
    f("offers", offers);
    f("seeks", seeks);
    f("directory", directory);
    f("has_directory", has_directory);
    f("received", received);
    f("has_received", has_received);
    f("agenda", agenda);
    f("has_agenda", has_agenda);
    f("schedule_published", schedule_published);
  }
};

}  // namespace kakehashi::web::eventsweb
