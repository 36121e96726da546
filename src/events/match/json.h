// The JSON form of a matchmaking problem and schedule (the CLI's input and output, and later
// the event screens' API).
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "events/match/model.h"

namespace kakehashi::events::match {

// Largest input accepted, checked before parsing.
inline constexpr size_t kMaxInputBytes = 64 * 1024 * 1024;

// Parses {"slots":[{"id","start","minutes"}],"tables":N,"participants":[{"id","side",
// "available":[slot ids],"max_meetings":k}],"requests":[{"from","to","priority","accepted"}],
// "locked":[{"a","b","slot"}]}. "max_meetings", "locked", "requests" and "accepted" (false) may
// be omitted. Fails with Error::invalid naming the field, e.g.
// "入力 JSON: participants[2].side は company / school / municipality / other のいずれかです: x".
// Only the shape is checked here; the rules are checked by schedule_meetings.
[[nodiscard]] Result<Problem> parse_problem(std::string_view json);

// {"meetings":[{"a","b","slot","table","locked"}],"total_weight","requested","scheduled",
//  "idle_slots","unscheduled":[{"from","to","reason","reason_code"}]}, one line.
std::string schedule_to_json(const Schedule& schedule);

// Machine name of a reason: "no_common_slot", "at_maximum", "grid_full", "partner_busy",
// "busy_or_full".
std::string_view reason_code(Reason reason);

}  // namespace kakehashi::events::match
