// Meetings (R1.1, R3.6, issue 17): plain structs of the meetings module. The store reads and
// writes them; the service applies the rules (scope, states, business-day deadlines, audit).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.h"

namespace kakehashi::meetings {

using Instant = std::chrono::sys_seconds;

// A validation problem of one form field (Japanese message), all returned at once.
struct FieldError {
  std::string field;
  std::string message;
};

// 定例会 (weekly with METI), 連絡会 (monthly with METI, bureaus and operators), 臨時 (ad hoc).
enum class Kind { kRegular, kLiaison, kAdhoc };
std::string_view to_string(Kind kind);  // "regular" / "liaison" / "adhoc"
std::optional<Kind> kind_from(std::string_view text);
std::string_view kind_label(Kind kind);  // 定例会 / 連絡会 / 臨時会議

// The minutes' life: none → draft → submitted → returned (→ draft …) → confirmed (locked).
enum class MinutesState { kNone, kDraft, kSubmitted, kReturned, kConfirmed };
std::string_view to_string(MinutesState state);  // "none" / "draft" / "submitted" / "returned" / "confirmed"
std::optional<MinutesState> minutes_state_from(std::string_view text);
std::string_view minutes_state_label(MinutesState state);  // 未着手 / 下書き / 提出済み（確認待ち） / 差し戻し / 確定

// The business days after the meeting day within which the minutes are due.
inline constexpr int kMinutesBusinessDays = 3;

struct Series {
  std::int64_t id = 0;
  Kind kind = Kind::kRegular;
  std::string title;
  Date first_date;
  Date last_date;
  std::string start_time;  // "10:00"
  int duration_minutes = 60;
  std::string place;
  std::string online_url;
};

struct Attendee {
  std::int64_t id = 0;
  std::optional<std::int64_t> user_id;
  std::string guest_name;
  std::string name;  // the user's name, or the guest's
};

struct AgendaItem {
  std::int64_t id = 0;
  std::int64_t meeting_id = 0;
  int position = 0;
  std::string title;
  std::string owner_name;
  int minutes = 10;
  std::string link_kind;  // "", "operator", "milestone", "project"
  std::optional<std::int64_t> link_id;
  std::string link_label;
};

struct Material {
  std::int64_t id = 0;
  std::int64_t meeting_id = 0;
  std::string file_name;
  std::string content_type;
  std::string sha256;
  std::int64_t size = 0;
  std::string inspection;  // JSON summary of the inspector's findings
  std::string added_at;
};

struct Decision {
  std::int64_t id = 0;
  std::int64_t meeting_id = 0;
  std::string text;
};

enum class ActionStatus { kOpen, kClosed };

struct ActionEvent {
  std::int64_t id = 0;
  std::optional<std::int64_t> meeting_id;
  std::string kind;  // created / noted / closed / reopened
  std::string note;
  std::string at;
};

struct ActionItem {
  std::int64_t id = 0;
  std::int64_t meeting_id = 0;  // the meeting that decided it
  std::optional<std::int64_t> series_id;
  std::string title;
  std::optional<std::int64_t> owner_user_id;
  std::string owner_name;  // the user's name when owner_user_id is set
  std::optional<Date> due_on;
  ActionStatus status = ActionStatus::kOpen;
  std::optional<std::string> closed_at;
  std::string created_at;
  std::vector<ActionEvent> history;  // filled where a screen needs it
};

struct Meeting {
  std::int64_t id = 0;
  std::optional<std::int64_t> series_id;
  Kind kind = Kind::kRegular;
  std::string title;
  Instant starts_at{};
  int duration_minutes = 60;
  std::string place;
  std::string online_url;
  std::optional<std::string> cancelled_at;
  std::string cancel_reason;
  std::string day_note;  // 「祝日（元日）」「年末年始の閉庁日」…, empty on a business day
  Date minutes_due;
  std::optional<std::int64_t> minutes_owner;
  std::optional<Instant> materials_sent_at;
  MinutesState minutes_state = MinutesState::kNone;
  std::string minutes_body;
  std::optional<std::string> minutes_saved_at;
  std::optional<std::string> minutes_submitted_at;
  std::optional<std::string> minutes_confirmed_at;
  std::optional<std::int64_t> minutes_confirmed_by;
  std::string minutes_return_comment;
  std::optional<std::string> minutes_escalated_at;
  std::vector<std::string> blocks;  // liaison meetings: the blocks it is about
  std::string created_at;
  std::string updated_at;

  bool cancelled() const { return cancelled_at.has_value(); }
  Instant ends_at() const { return starts_at + std::chrono::minutes{duration_minutes}; }
};

// Flags computed from a meeting on a given instant (never stored).
enum class FlagKind { kClosedDay, kMaterialsLate, kMaterialsNotSent, kMinutesOverdue, kAgendaOver };
std::string_view to_string(FlagKind kind);  // "closed_day" / "materials_late" / "materials_not_sent" / "minutes_overdue" / "agenda_over"

struct MeetingFlag {
  FlagKind kind;
  std::string label;  // Japanese, e.g. 「資料を開始後に送付（12月25日 10:30）」
};

}  // namespace kakehashi::meetings
