// Typed views of the meetings screens (issue 17): templates/meetings/*.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "web/layout_view.h"
#include "web/view_model.h"

namespace kakehashi::web::meetingsweb {

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

struct FlagView {
  std::string kind;
  std::string label;
  void fields(auto& f) const {
    f("kind", kind);
    f("label", label);
  }
};

// ---- List
struct MeetingRow {
  std::int64_t id = 0;
  std::string href;
  std::string when;
  std::string title;
  std::string kind;
  std::string place;
  std::string minutes_state;
  std::string minutes_due;
  bool cancelled = false;
  std::vector<FlagView> flags;
  void fields(auto& f) const {
    f("id", id);
    f("href", href);
    f("when", when);
    f("title", title);
    f("kind", kind);
    f("place", place);
    f("minutes_state", minutes_state);
    f("minutes_due", minutes_due);
    f("cancelled", cancelled);
    f("flags", flags);
  }
};

struct ListView {
  bool can_manage = false;
  std::vector<MeetingRow> upcoming;
  std::vector<MeetingRow> past;
  bool has_upcoming = false;
  bool has_past = false;
  void fields(auto& f) const {
    f("can_manage", can_manage);
    f("upcoming", upcoming);
    f("past", past);
    f("has_upcoming", has_upcoming);
    f("has_past", has_past);
  }
};

// ---- Series / meeting form
struct FormView {
  std::string heading;
  std::string action;
  bool series = false;
  bool editing = false;
  std::vector<Option> kinds;
  std::string title;
  std::string date;
  std::string last_date;
  std::string start_time;
  std::string duration;
  std::string place;
  std::string online_url;
  std::string guests;
  std::vector<CheckOption> attendees;
  std::vector<CheckOption> blocks;
  std::vector<Option> owners;
  std::string cancel_href;
  bool has_errors = false;
  std::vector<FormError> errors;
  std::optional<std::string> kind_error, title_error, date_error, last_date_error, start_time_error, duration_error,
      place_error, online_url_error, attendees_error, blocks_error, minutes_owner_error;
  void fields(auto& f) const {
    f("heading", heading);
    f("action", action);
    f("series", series);
    f("editing", editing);
    f("kinds", kinds);
    f("title", title);
    f("date", date);
    f("last_date", last_date);
    f("start_time", start_time);
    f("duration", duration);
    f("place", place);
    f("online_url", online_url);
    f("guests", guests);
    f("attendees", attendees);
    f("blocks", blocks);
    f("owners", owners);
    f("cancel_href", cancel_href);
    f("has_errors", has_errors);
    f("errors", errors);
    f("kind_error", kind_error);
    f("title_error", title_error);
    f("date_error", date_error);
    f("last_date_error", last_date_error);
    f("start_time_error", start_time_error);
    f("duration_error", duration_error);
    f("place_error", place_error);
    f("online_url_error", online_url_error);
    f("attendees_error", attendees_error);
    f("blocks_error", blocks_error);
    f("minutes_owner_error", minutes_owner_error);
  }
};

// ---- Meeting page
struct AgendaRow {
  int number = 0;
  std::string title;
  std::string owner;
  int minutes = 0;
  std::optional<std::string> link_label;
  std::optional<std::string> link_href;
  std::optional<std::string> delete_action;
  void fields(auto& f) const {
    f("number", number);
    f("title", title);
    f("owner", owner);
    f("minutes", minutes);
    f("link_label", link_label);
    f("link_href", link_href);
    f("delete_action", delete_action);
  }
};

struct MaterialRow {
  std::string file_name;
  std::string href;
  std::string size;
  std::optional<std::string> summary;
  void fields(auto& f) const {
    f("file_name", file_name);
    f("href", href);
    f("size", size);
    f("summary", summary);
  }
};

struct HistoryRow {
  std::string at;
  std::string text;
  void fields(auto& f) const {
    f("at", at);
    f("text", text);
  }
};

struct ActionRow {
  std::int64_t id = 0;
  std::string title;
  std::string owner;
  std::string due;
  bool open = true;
  std::optional<std::string> origin;  // 「12月18日の会議から」 for carried items
  std::vector<HistoryRow> history;
  std::optional<std::string> action;  // form action for close / reopen / note (manage, not locked)
  void fields(auto& f) const {
    f("id", id);
    f("title", title);
    f("owner", owner);
    f("due", due);
    f("open", open);
    f("origin", origin);
    f("history", history);
    f("action", action);
  }
};

struct AttendeeRow {
  std::string name;
  bool guest = false;
  void fields(auto& f) const {
    f("name", name);
    f("guest", guest);
  }
};

struct ShowView {
  std::int64_t id = 0;
  std::string title;
  std::string kind;
  std::string when;
  std::string duration;
  std::optional<std::string> place;
  std::optional<std::string> online_url;
  std::optional<std::string> cancelled;  // reason
  std::optional<std::string> day_note;
  std::vector<FlagView> flags;
  bool has_flags = false;
  std::vector<AttendeeRow> attendees;
  std::optional<std::string> blocks;
  bool can_manage = false;
  bool can_confirm = false;
  bool locked = false;
  // Agenda
  std::vector<AgendaRow> agenda;
  bool has_agenda = false;
  std::string agenda_total;
  std::optional<std::string> agenda_overrun;
  std::vector<Option> link_options;
  // Materials
  std::vector<MaterialRow> materials;
  bool has_materials = false;
  std::optional<std::string> materials_sent;
  // Carried-over and own action items, decisions
  std::vector<ActionRow> carried;
  bool has_carried = false;
  std::vector<ActionRow> actions;
  bool has_actions = false;
  std::vector<std::string> decisions;
  bool has_decisions = false;
  std::vector<Option> owner_options;
  // Minutes
  std::string minutes_state;
  std::string minutes_state_id;
  std::string minutes_due;
  bool minutes_readable = false;
  Html minutes_html;
  std::optional<std::string> return_comment;
  bool can_edit_minutes = false;
  bool can_submit = false;
  bool awaiting_confirmation = false;
  void fields(auto& f) const {
    f("id", id);
    f("title", title);
    f("kind", kind);
    f("when", when);
    f("duration", duration);
    f("place", place);
    f("online_url", online_url);
    f("cancelled", cancelled);
    f("day_note", day_note);
    f("flags", flags);
    f("has_flags", has_flags);
    f("attendees", attendees);
    f("blocks", blocks);
    f("can_manage", can_manage);
    f("can_confirm", can_confirm);
    f("locked", locked);
    f("agenda", agenda);
    f("has_agenda", has_agenda);
    f("agenda_total", agenda_total);
    f("agenda_overrun", agenda_overrun);
    f("link_options", link_options);
    f("materials", materials);
    f("has_materials", has_materials);
    f("materials_sent", materials_sent);
    f("carried", carried);
    f("has_carried", has_carried);
    f("actions", actions);
    f("has_actions", has_actions);
    f("decisions", decisions);
    f("has_decisions", has_decisions);
    f("owner_options", owner_options);
    f("minutes_state", minutes_state);
    f("minutes_state_id", minutes_state_id);
    f("minutes_due", minutes_due);
    f("minutes_readable", minutes_readable);
    f("minutes_html", minutes_html);
    f("return_comment", return_comment);
    f("can_edit_minutes", can_edit_minutes);
    f("can_submit", can_submit);
    f("awaiting_confirmation", awaiting_confirmation);
  }
};

// ---- Minutes editor
struct MinutesView {
  std::int64_t id = 0;
  std::string title;
  std::string when;
  std::string minutes_due;
  std::string state;
  std::string body;
  Html preview;
  std::optional<std::string> saved_at;
  std::optional<std::string> return_comment;
  std::optional<std::string> error;
  void fields(auto& f) const {
    f("id", id);
    f("title", title);
    f("when", when);
    f("minutes_due", minutes_due);
    f("state", state);
    f("body", body);
    f("preview", preview);
    f("saved_at", saved_at);
    f("return_comment", return_comment);
    f("error", error);
  }
};

// The one-line answer to an autosave (templates/meetings/save_status).
struct SaveStatus {
  std::string message;
  void fields(auto& f) const { f("message", message); }
};

// ---- Calendar feed and settings
struct CalendarView {
  bool has_feed = false;
  std::optional<std::string> created;
  std::optional<std::string> feed_url;  // shown once, right after a reset
  void fields(auto& f) const {
    f("has_feed", has_feed);
    f("created", created);
    f("feed_url", feed_url);
  }
};

struct SettingsView {
  std::vector<Option> leads;
  std::optional<std::string> error;
  void fields(auto& f) const {
    f("leads", leads);
    f("error", error);
  }
};

}  // namespace kakehashi::web::meetingsweb
