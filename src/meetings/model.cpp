#include "meetings/model.h"

namespace kakehashi::meetings {

std::string_view to_string(Kind kind) {
  switch (kind) {
    case Kind::kRegular: return "regular";
    case Kind::kLiaison: return "liaison";
    case Kind::kAdhoc: return "adhoc";
  }
  return "regular";
}

std::optional<Kind> kind_from(std::string_view text) {
  for (Kind k : {Kind::kRegular, Kind::kLiaison, Kind::kAdhoc}) {
    if (to_string(k) == text) return k;
  }
  return std::nullopt;
}

std::string_view kind_label(Kind kind) {
  switch (kind) {
    case Kind::kRegular: return "定例会";
    case Kind::kLiaison: return "連絡会";
    case Kind::kAdhoc: return "臨時会議";
  }
  return "";
}

std::string_view to_string(MinutesState state) {
  switch (state) {
    case MinutesState::kNone: return "none";
    case MinutesState::kDraft: return "draft";
    case MinutesState::kSubmitted: return "submitted";
    case MinutesState::kReturned: return "returned";
    case MinutesState::kConfirmed: return "confirmed";
  }
  return "none";
}

std::optional<MinutesState> minutes_state_from(std::string_view text) {
  for (MinutesState s : {MinutesState::kNone, MinutesState::kDraft, MinutesState::kSubmitted, MinutesState::kReturned,
                         MinutesState::kConfirmed}) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

std::string_view minutes_state_label(MinutesState state) {
  switch (state) {
    case MinutesState::kNone: return "未着手";
    case MinutesState::kDraft: return "下書き";
    case MinutesState::kSubmitted: return "提出済み（確認待ち）";
    case MinutesState::kReturned: return "差し戻し";
    case MinutesState::kConfirmed: return "確定";
  }
  return "";
}

std::string_view to_string(FlagKind kind) {
  switch (kind) {
    case FlagKind::kClosedDay: return "closed_day";
    case FlagKind::kMaterialsLate: return "materials_late";
    case FlagKind::kMaterialsNotSent: return "materials_not_sent";
    case FlagKind::kMinutesOverdue: return "minutes_overdue";
    case FlagKind::kAgendaOver: return "agenda_over";
  }
  return "";
}

}  // namespace kakehashi::meetings
