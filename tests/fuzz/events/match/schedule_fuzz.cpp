// Fuzz target: the matchmaking JSON reader and the scheduler on whatever it accepts. Any input
// must give either a Japanese error or a schedule that obeys every rule.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "events/match/instance.h"
#include "events/match/json.h"
#include "events/match/schedule.h"

namespace match = kakehashi::events::match;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Keep each run short: the scheduler's own limits are far above what a fuzz run needs.
  constexpr size_t kMaxFuzzParticipants = 64;
  constexpr size_t kMaxFuzzRequests = 256;
  auto problem = match::parse_problem(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!problem) {
    if (problem.error().message.empty()) std::abort();
    return 0;
  }
  if (problem->participants.size() > kMaxFuzzParticipants ||
      problem->requests.size() > kMaxFuzzRequests) {
    return 0;
  }
  match::OptimizerOptions options;
  options.iterations = 50;
  auto schedule = match::schedule_meetings(*problem, options);
  if (!schedule) {
    if (schedule.error().code != kakehashi::ErrorCode::kInvalidArgument) std::abort();
    return 0;
  }
  auto instance = match::build_instance(*problem);
  if (!instance) std::abort();
  if (!match::check_meetings(*problem, *instance, schedule->meetings, true)) std::abort();
  if (schedule->requested != schedule->scheduled + static_cast<int>(schedule->unscheduled.size())) {
    std::abort();
  }
  return 0;
}
