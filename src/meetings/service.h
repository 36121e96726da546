// The meetings module's rules (R1.1, R3.6, issue 17). Decided here and tested in
// tests/unit/meetings/:
// - Scope: the secretariat (kManageMeetings) and METI see every meeting; bureau and operator
//   users (kViewMeetings, kSelf) see the meetings they attend and the 連絡会 about one of their
//   blocks (a bureau's blocks; an operator's blocks in the current programme year). A meeting one
//   may not see is not found (404).
// - Minutes are due on the meeting's day + 3 business days of the government calendar
//   (calendar::HolidayCalendar::add_business_days: weekends, holidays and 12/29–1/3 do not
//   count), computed when the meeting is created or moved and stored (minutes_due).
// - Minutes: the secretariat writes (draft), submits; METI (kConfirmMinutes) returns with a
//   comment or confirms. Drafts and returned minutes are visible to the secretariat only (METI
//   also sees minutes it returned); submitted and confirmed minutes to everyone who sees the
//   meeting. Confirmed minutes are locked: any change is refused with
//   「確定した議事録は編集できません。」. Submission, return and confirmation are audited and
//   notify (METI on submission, the minutes' owner on return, every attending user on
//   confirmation).
// - Overdue minutes (not submitted by the end of the due day) escalate once to the secretariat
//   lead: the user named in the meetings settings (lead_user_id), or every active secretariat
//   user when none is named.
// - Action items carry over: an open item of a series appears on every later meeting of that
//   series until closed (and on the meeting where it was closed), with its history.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "auth/roles.h"
#include "calendar/holiday_calendar.h"
#include "db/database.h"
#include "meetings/model.h"

namespace kakehashi::meetings {

// ---- Calendar rules
// The day the minutes of a meeting held on `day` are due.
[[nodiscard]] Result<Date> minutes_due(const calendar::HolidayCalendar& calendar, Date day);
// 「祝日（元日）」「年末年始の閉庁日」「土曜日」「日曜日」, or "" on a business day.
[[nodiscard]] Result<std::string> day_note(const calendar::HolidayCalendar& calendar, Date day);
// After the holidays changed (`kakehashi calendar import`): the day notes and minutes due dates
// of meetings whose minutes are not in yet, recomputed with `calendar`. Returns how many
// changed; each change is audited "meeting.dates_recomputed" (by the system).
[[nodiscard]] Result<int> recompute_calendar_dates(db::Transaction& tx, const calendar::HolidayCalendar& calendar,
                                                   Instant now);
// The dates of a series from `first` to `last`: weekly (定例会) on first's weekday; monthly (連絡会)
// on the same n-th weekday as `first` (a month without a fifth such weekday is skipped).
std::vector<Date> series_dates(Kind kind, Date first, Date last);
// The flags of a meeting at `now` (agenda_minutes: the agenda's total time box).
std::vector<MeetingFlag> flags(const Meeting& meeting, int agenda_minutes, Instant now);
// The meeting's start from a Japan date and "HH:MM".
[[nodiscard]] Result<Instant> start_instant(Date day, const std::string& hhmm);

// ---- Access
struct Viewer {
  std::int64_t user_id = 0;
  bool all = false;      // secretariat, METI
  bool manage = false;   // kManageMeetings
  bool confirm = false;  // kConfirmMinutes
  std::set<std::string> blocks;  // bureau / operator blocks, for liaison meetings
};
[[nodiscard]] Result<Viewer> viewer(db::Transaction& tx, const auth::Principal& who);
[[nodiscard]] Result<bool> may_see(db::Transaction& tx, const Viewer& viewer, const Meeting& meeting);
bool may_read_minutes(const Viewer& viewer, const Meeting& meeting);

// ---- Series and meetings
struct MeetingForm {
  std::string kind;  // regular / liaison / adhoc (series: regular / liaison)
  std::string title;
  std::string date;  // first date of a series, the meeting's date otherwise
  std::string last_date;  // series only
  std::string start_time;  // "10:00"
  std::string duration;  // minutes
  std::string place;
  std::string online_url;
  std::vector<std::string> attendees;  // user ids
  std::string guests;  // one name a line
  std::vector<std::string> blocks;  // liaison meetings
  std::string minutes_owner;  // user id (secretariat)
};

std::vector<FieldError> validate_series(const MeetingForm& form);
std::vector<FieldError> validate_meeting(const MeetingForm& form);

// Creates the series and its meetings (refused with validate_series' messages). Audited
// "meeting.series_create". Returns the series id.
[[nodiscard]] Result<std::int64_t> create_series(db::Transaction& tx, const auth::Principal& who,
                                                 const calendar::HolidayCalendar& calendar, const MeetingForm& form,
                                                 Instant now);
// An ad hoc (or single) meeting. Audited "meeting.create".
[[nodiscard]] Result<std::int64_t> create_meeting(db::Transaction& tx, const auth::Principal& who,
                                                  const calendar::HolidayCalendar& calendar, const MeetingForm& form,
                                                  Instant now);
// Moves or changes a meeting (date, time, place, attendees …): the due date and day note follow.
// Audited "meeting.update".
[[nodiscard]] Result<void> update_meeting(db::Transaction& tx, const auth::Principal& who,
                                          const calendar::HolidayCalendar& calendar, std::int64_t meeting_id,
                                          const MeetingForm& form, Instant now);
[[nodiscard]] Result<void> cancel_meeting(db::Transaction& tx, const auth::Principal& who, std::int64_t meeting_id,
                                          const std::string& reason, Instant now);
MeetingForm form_of(const Meeting& meeting, const std::vector<Attendee>& attendees);

// The meeting if `who` may see it; nullopt when unknown or out of reach.
[[nodiscard]] Result<std::optional<Meeting>> find_meeting(db::Transaction& tx, const auth::Principal& who,
                                                          std::int64_t meeting_id);
// The meetings `who` may see starting in [from, to) (either open), by start.
[[nodiscard]] Result<std::vector<Meeting>> list_meetings(db::Transaction& tx, const auth::Principal& who,
                                                         std::optional<Instant> from, std::optional<Instant> to);
[[nodiscard]] Result<std::optional<Series>> find_series(db::Transaction& tx, std::int64_t series_id);
// Attendees with the users' names filled in.
[[nodiscard]] Result<std::vector<Attendee>> attendees_of(db::Transaction& tx, std::int64_t meeting_id);

// ---- Agenda and materials (kManageMeetings)
struct AgendaForm {
  std::string title;
  std::string owner_name;
  std::string minutes;
  std::string link;  // "operator:3", "milestone:12", "project:5" or ""
};
[[nodiscard]] Result<std::vector<FieldError>> validate_agenda_item(db::Transaction& tx, const auth::Principal& who,
                                                                   const AgendaForm& form);
[[nodiscard]] Result<std::int64_t> add_agenda_item(db::Transaction& tx, const auth::Principal& who,
                                                   std::int64_t meeting_id, const AgendaForm& form, Instant now);
[[nodiscard]] Result<void> remove_agenda_item(db::Transaction& tx, const auth::Principal& who, std::int64_t meeting_id,
                                              std::int64_t item_id, Instant now);
[[nodiscard]] Result<std::vector<AgendaItem>> agenda_of(db::Transaction& tx, std::int64_t meeting_id);
int total_minutes(const std::vector<AgendaItem>& agenda);
// 「議題の合計（70分）が会議時間（60分）を 10 分超えています」 or nullopt when it fits.
std::optional<std::string> agenda_overrun(const Meeting& meeting, const std::vector<AgendaItem>& agenda);

struct InspectedMaterial {
  std::string file_name;
  std::string content_type;
  std::string sha256;
  std::string content;
  std::string inspection;
};
inline constexpr std::int64_t kMaterialLimit = 20 * 1024 * 1024;
// Inspects an uploaded file for publication (child process: call outside any transaction, under
// an inspection slot). Refused when too big, of an unknown type, or with error findings.
[[nodiscard]] Result<InspectedMaterial> inspect_material(const std::string& path, std::string file_name,
                                                         std::string sha256);
[[nodiscard]] Result<std::int64_t> add_material(db::Transaction& tx, const auth::Principal& who,
                                                std::int64_t meeting_id, const InspectedMaterial& file, Instant now);
[[nodiscard]] Result<std::vector<Material>> materials_of(db::Transaction& tx, std::int64_t meeting_id);
// The stored file, when `who` may see the meeting.
[[nodiscard]] Result<std::optional<std::pair<Material, std::string>>> material_file(db::Transaction& tx,
                                                                                   const auth::Principal& who,
                                                                                   std::int64_t meeting_id,
                                                                                   std::int64_t material_id);
// Records that the materials went out now and notifies the attending users (link: the meeting).
// Refused when there is no material. Audited "meeting.materials_send".
[[nodiscard]] Result<void> send_materials(db::Transaction& tx, const auth::Principal& who, std::int64_t meeting_id,
                                          const std::string& link, Instant now);

// ---- Minutes
[[nodiscard]] Result<void> save_minutes(db::Transaction& tx, const auth::Principal& who, std::int64_t meeting_id,
                                        const std::string& body, Instant now);
[[nodiscard]] Result<void> submit_minutes(db::Transaction& tx, const auth::Principal& who, std::int64_t meeting_id,
                                          const std::string& link, Instant now);
[[nodiscard]] Result<void> return_minutes(db::Transaction& tx, const auth::Principal& who, std::int64_t meeting_id,
                                          const std::string& comment, const std::string& link, Instant now);
[[nodiscard]] Result<void> confirm_minutes(db::Transaction& tx, const auth::Principal& who, std::int64_t meeting_id,
                                           const std::string& link, Instant now);
inline constexpr std::string_view kLockedMessage = "確定した議事録は編集できません。";
inline constexpr std::size_t kMaxMinutesBytes = 200 * 1024;

[[nodiscard]] Result<std::vector<Decision>> decisions_of(db::Transaction& tx, std::int64_t meeting_id);
[[nodiscard]] Result<std::int64_t> add_decision(db::Transaction& tx, const auth::Principal& who,
                                                std::int64_t meeting_id, const std::string& text, Instant now);

struct ActionForm {
  std::string title;
  std::string owner_user;  // user id or ""
  std::string owner_name;
  std::string due_on;
};
[[nodiscard]] Result<std::vector<FieldError>> validate_action_item(const ActionForm& form);
[[nodiscard]] Result<std::int64_t> add_action_item(db::Transaction& tx, const auth::Principal& who,
                                                   std::int64_t meeting_id, const ActionForm& form, Instant now);
// Closes, reopens or notes an item at meeting `at_meeting` (kind: closed / reopened / noted).
[[nodiscard]] Result<void> update_action_item(db::Transaction& tx, const auth::Principal& who, std::int64_t item_id,
                                              std::int64_t at_meeting, const std::string& kind,
                                              const std::string& note, Instant now);
// The items decided at the meeting, with owner names and history.
[[nodiscard]] Result<std::vector<ActionItem>> action_items_of(db::Transaction& tx, const Meeting& meeting);
// The items carried over to the meeting from earlier meetings of its series, with history.
[[nodiscard]] Result<std::vector<ActionItem>> carried_over(db::Transaction& tx, const Meeting& meeting);
// The action items of every meeting `who` may see (open only when `open_only`).
[[nodiscard]] Result<std::vector<ActionItem>> visible_action_items(db::Transaction& tx, const auth::Principal& who,
                                                                   bool open_only);

// ---- Documents
// The pre-read as Markdown (document engine input): progress across the blocks, new red flags
// since the last meeting of the series, overdue milestones, project counts by category, open
// action items with owners and the agenda with time boxes, from the operations module's
// services as `who` reaches them on `now`.
[[nodiscard]] Result<std::string> preread_markdown(db::Transaction& tx, const auth::Principal& who,
                                                   const Meeting& meeting, Instant now);
// The minutes as Markdown: meeting, attendees, body, decisions, action items.
[[nodiscard]] Result<std::string> minutes_markdown(db::Transaction& tx, const Meeting& meeting);
// Text made safe for a Markdown paragraph or table cell (no markup, no pipes, no line breaks).
std::string markdown_text(std::string_view text);

// ---- iCalendar (RFC 5545)
// One VCALENDAR with VTIMEZONE Asia/Tokyo and a VEVENT per meeting (cancelled ones with
// STATUS:CANCELLED); CRLF, lines folded at 75 octets, TEXT escaped. `base_url` makes the URL
// property; `now` is DTSTAMP.
std::string ics_calendar(const std::vector<Meeting>& meetings, const std::string& name, const std::string& base_url,
                         Instant now);
// Escapes TEXT (\\ ; , newline) and folds a content line (for the tests).
std::string ics_escape(std::string_view text);
std::string ics_fold(std::string_view line);
// A new secret feed token for `who` (the old one stops working). Audited "meeting.feed_reset".
[[nodiscard]] Result<std::string> reset_feed(db::Transaction& tx, const auth::Principal& who, Instant now);
// The user of a feed token, nullopt when unknown.
[[nodiscard]] Result<std::optional<std::int64_t>> feed_user(db::Transaction& tx, const std::string& token);
[[nodiscard]] Result<std::optional<std::string>> feed_created(db::Transaction& tx, std::int64_t user_id);

// ---- Settings, escalation, to-dos
[[nodiscard]] Result<std::optional<std::int64_t>> lead_user(db::Transaction& tx);
[[nodiscard]] Result<void> set_lead_user(db::Transaction& tx, const auth::Principal& who,
                                         std::optional<std::int64_t> user_id, Instant now);
// Escalates every overdue, not yet escalated minutes to the lead (see above). `link_of` gives a
// meeting's path. Returns how many were escalated. Audited "meeting.minutes_escalate".
[[nodiscard]] Result<int> escalate_overdue(db::Transaction& tx, Instant now);

struct Task {
  std::string section;  // secretariat / meti
  std::string text;
  std::string href;
  Instant due{};
  bool urgent = false;
};
// The to-dos of `who` at `now`: minutes due within 3 days or overdue (secretariat; the owner's
// marked urgent), minutes awaiting confirmation (METI), materials not sent for a meeting within
// two days or already held (secretariat).
[[nodiscard]] Result<std::vector<Task>> tasks_for(db::Transaction& tx, const auth::Principal& who, Instant now);

// "12月25日（金）10:00"
std::string short_datetime(Instant at);

}  // namespace kakehashi::meetings
