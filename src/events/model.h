// Events (issue 18; R5.1–R5.4): plain structs of the events module. No SQL and no rules here:
// store.h reads and writes them, service.h applies the rules (validation, scope, capacity, audit).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.h"

namespace kakehashi::events {

using Instant = std::chrono::sys_seconds;

// A validation problem of one form field (`field` the input's name, `message` Japanese).
struct FieldError {
  std::string field;
  std::string message;
};

enum class EventKind { kInterim, kFinal };
std::string_view to_string(EventKind kind);  // "interim" / "final"
std::optional<EventKind> event_kind_from(std::string_view text);
std::string_view event_kind_label(EventKind kind);  // 中間報告会 / 全国成果報告会

// The target band of participants from the specification: interim 50–150, final 100–300.
struct Band {
  int low = 0;
  int high = 0;
};
Band band_of(EventKind kind);

// Who counts the participants of a co-hosted event.
enum class Counting { kOurs, kPartner, kBoth };
std::string_view to_string(Counting counting);  // "ours" / "partner" / "both"
std::optional<Counting> counting_from(std::string_view text);
std::string_view counting_label(Counting counting);

struct Event {
  std::int64_t id = 0;
  std::string slug;
  EventKind kind = EventKind::kInterim;
  std::string title;
  std::string summary;
  Instant starts_at{};
  Instant ends_at{};
  bool in_person = true;
  bool online = false;
  std::string prefecture;  // JIS code, "" when online only
  std::string venue;
  std::string address;
  int capacity = 0;
  Instant registration_closes_at{};
  int offer_hours = 48;
  std::string cohost_name;
  Counting cohost_counting = Counting::kOurs;
  std::optional<std::int64_t> cohost_operator_id;
  bool published = false;
  bool matchmaking = false;
  std::optional<Instant> requests_open_at;
  std::optional<Instant> requests_close_at;
  int match_tables = 0;
  std::optional<Instant> schedule_published_at;
  std::string created_at;
};

// A title or short description as typed (full-width brackets and letters are kept, as Japanese
// titles use them): trimmed, runs of white space (also U+3000) collapsed to one ASCII space.
std::string clean_title(std::string_view typed);

// "大阪府大阪市北区…（グランフロント大阪）" / "オンライン" / "大阪府・オンライン併用".
std::string place_label(const Event& event);

// The event form as typed (strings), read by read_event into an Event.
struct EventForm {
  std::string kind;
  std::string title;
  std::string summary;
  std::string starts_at;  // datetime-local, Japan time
  std::string ends_at;
  std::string format;     // "in_person" | "online" | "hybrid"
  std::string prefecture;
  std::string venue;
  std::string address;
  std::string capacity;
  std::string registration_closes_at;
  std::string offer_hours;
  std::string cohost_name;
  std::string cohost_counting;
  std::string cohost_operator_id;
  bool published = false;
  bool matchmaking = false;
  std::string requests_open_at;
  std::string requests_close_at;
};
// Every problem at once (field names as in the form); fills `out` (id/slug untouched).
std::vector<FieldError> read_event(const EventForm& form, Event& out);

struct ProgrammeSession {
  std::int64_t id = 0;
  std::int64_t event_id = 0;
  std::string starts;  // "13:30"
  std::string title;
  std::string speakers;
  std::string description;
};

inline constexpr std::string_view kCostCategories[] = {"venue", "publicity", "speakers", "other"};
std::string_view cost_category_label(std::string_view category);  // 会場費 / 広報費 / 講師の招へい・旅費 / その他

struct Cost {
  std::int64_t id = 0;
  std::int64_t event_id = 0;
  std::string category;
  std::string description;
  std::int64_t amount = 0;
  Date spent_on;
  std::optional<std::int64_t> expense_id;  // the programme budget's expense (operations)
};

enum class RegistrantKind { kCompany, kMunicipality, kSchool, kOperator, kOther };
std::string_view to_string(RegistrantKind kind);
std::optional<RegistrantKind> registrant_kind_from(std::string_view text);
std::string_view registrant_kind_label(RegistrantKind kind);  // 企業 / 自治体・教育委員会 / 学校 / 実証事業者 / その他
inline constexpr std::string_view kSchoolTypes[] = {"小学校", "中学校", "義務教育学校", "高等学校",
                                                    "中等教育学校", "特別支援学校", "高等専門学校", "大学", "その他"};

enum class Attendance { kInPerson, kOnline };
std::string_view to_string(Attendance attendance);
std::optional<Attendance> attendance_from(std::string_view text);
std::string_view attendance_label(Attendance attendance);  // 会場 / オンライン

enum class Status { kConfirmed, kWaiting, kOffered, kCancelled, kExpired };
std::string_view to_string(Status status);
std::optional<Status> status_from(std::string_view text);
std::string_view status_label(Status status);  // 参加確定 / キャンセル待ち / 繰り上げ案内中 / キャンセル済み / 案内期限切れ

struct Registration {
  std::int64_t id = 0;
  std::int64_t event_id = 0;
  std::string receipt;
  std::string name;
  std::string organisation;
  RegistrantKind kind = RegistrantKind::kOther;
  std::string school_type;
  std::string prefecture;  // JIS code or ""
  std::string email;
  Attendance attendance = Attendance::kInPerson;
  Status status = Status::kConfirmed;
  std::int64_t queue = 0;
  std::optional<Instant> offer_expires_at;
  bool walk_in = false;
  std::optional<Instant> attended_at;
  bool match_opt_in = false;
  std::string offers;
  std::string seeks;
  Instant created_at{};
};

// The registration form as typed.
struct RegistrationForm {
  std::string name;
  std::string organisation;
  std::string kind;
  std::string school_type;
  std::string prefecture;
  std::string email;
  std::string attendance;
  bool consent = false;
  bool match_opt_in = false;
  std::string offers;
  std::string seeks;
};
// Every problem at once; fills `out` with the normalised values (NFKC, spaces collapsed).
std::vector<FieldError> read_registration(const RegistrationForm& form, const Event& event, Registration& out);
// The form of an address used for uniqueness: NFKC, trimmed, lower case.
std::string normalise_email(std::string_view email);
// A receipt number or QR content as typed or scanned: NFKC, upper case, spaces removed,
// any dash-like character to '-'.
std::string normalise_code(std::string_view code);

struct Counts {
  int registered = 0;  // confirmed + waiting + offered
  int confirmed = 0;
  int waiting = 0;
  int offered = 0;
  int cancelled = 0;
  int confirmed_in_person = 0;
  int confirmed_online = 0;
  int attended = 0;
  int attended_in_person = 0;
  int attended_online = 0;
  int walk_ins = 0;
};

// Matchmaking.
struct Slot {
  std::int64_t id = 0;
  int position = 0;
  Instant starts_at{};
  int minutes = 0;
};

enum class RequestState { kPending, kAccepted, kDeclined };
std::string_view to_string(RequestState state);
std::optional<RequestState> request_state_from(std::string_view text);
std::string_view request_state_label(RequestState state);  // 回答待ち / 承諾 / 辞退

struct MatchRequest {
  std::int64_t id = 0;
  std::int64_t from_id = 0;
  std::int64_t to_id = 0;
  int priority = 1;
  RequestState state = RequestState::kPending;
};

struct Meeting {
  std::int64_t id = 0;
  std::int64_t a_id = 0;
  std::int64_t b_id = 0;
  std::int64_t slot_id = 0;
  int table_no = 0;
  bool locked = false;
};

struct Unscheduled {
  std::int64_t from_id = 0;
  std::int64_t to_id = 0;
  std::string reason;
  std::string message;
};

}  // namespace kakehashi::events
