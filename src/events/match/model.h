// The matchmaking problem and its answer as plain structs: what the event screens edit
// (requests, acceptance, locks) and what the scheduler returns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace kakehashi::events::match {

// Limits of one scheduling run, checked when the input is validated. A national final event
// has 100-300 participants and 10-20 slots; the limits leave a wide margin above that.
inline constexpr int kMaxSlots = 64;  // availability is a 64-bit mask per participant
inline constexpr int kMaxTables = 10'000;
inline constexpr int kMaxParticipants = 20'000;
inline constexpr int kMaxRequests = 500'000;
inline constexpr int kMinPriority = 1;
inline constexpr int kMaxPriority = 3;

// One time slot of the grid. Slots are listed in time order; `start` is shown as given.
struct Slot {
  std::string id;
  std::string start;  // e.g. "2026-02-20T13:00" or "13:00"
  int minutes = 0;
};

enum class Side { kCompany, kSchool, kMunicipality, kOther };

// "company" | "school" | "municipality" | "other"; nullopt for anything else.
std::optional<Side> parse_side(std::string_view text);
std::string_view side_name(Side side);

struct Participant {
  std::string id;
  Side side = Side::kOther;
  std::vector<std::string> available;  // slot ids
  std::optional<int> max_meetings;     // nullopt: as many as the available slots allow
};

// A wish of `from` to meet `to`. Only accepted requests (accepted by `to`) can become meetings.
struct Request {
  std::string from;
  std::string to;
  int priority = 1;  // 1 (nice to have) .. 3 (most wanted)
  bool accepted = false;
};

// A meeting fixed by the secretariat: kept as given by every later run.
struct LockedMeeting {
  std::string a;
  std::string b;
  std::string slot;
};

struct Problem {
  std::vector<Slot> slots;
  int tables = 0;
  std::vector<Participant> participants;
  std::vector<Request> requests;
  std::vector<LockedMeeting> locked;
};

struct Meeting {
  std::string a;
  std::string b;
  std::string slot;
  int table = 0;  // 1-based within the slot
  bool locked = false;
};

// Why an accepted request did not become a meeting; each is true of the returned schedule.
enum class Reason {
  kNoCommonSlot,     // the two have no available slot in common
  kAtMaximum,        // one side (or both) already holds max_meetings meetings
  kGridFull,         // every common slot has all its tables taken
  kPartnerBusy,      // in every common slot one of the two is in another meeting
  kBusyOrFull,       // every common slot is either full or one of the two is busy there
};

struct Unscheduled {
  std::string from;
  std::string to;
  Reason reason = Reason::kNoCommonSlot;
  std::string message;  // Japanese, for the participant and the secretariat
};

struct Schedule {
  std::vector<Meeting> meetings;  // by slot (time order), then table
  int64_t total_weight = 0;
  int requested = 0;   // accepted requests
  int scheduled = 0;   // accepted requests whose pair meets
  std::vector<Unscheduled> unscheduled;  // accepted requests whose pair does not meet, input order
  int64_t idle_slots = 0;  // available slots without a meeting between a person's first and last
};

// Edits the event screens make between runs. Each finds the request or meeting by ids and fails
// with a Japanese message when it does not exist.

// Adds a request from -> to (not yet accepted), or changes the priority of an existing one.
[[nodiscard]] Result<void> add_request(Problem& problem, std::string_view from,
                                       std::string_view to, int priority);
// Marks the request from -> to as accepted (true) or declined (false) by its recipient.
[[nodiscard]] Result<void> set_accepted(Problem& problem, std::string_view from,
                                        std::string_view to, bool accepted);
// Fixes a meeting of a schedule so that later runs keep it; no-op when already locked.
void lock_meeting(Problem& problem, const Meeting& meeting);
// Releases a locked meeting between a and b; fails when there is none.
[[nodiscard]] Result<void> unlock_meeting(Problem& problem, std::string_view a,
                                          std::string_view b);

}  // namespace kakehashi::events::match
