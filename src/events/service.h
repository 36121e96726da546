// The events module's rules (issue 18; R5.1–R5.4): events within the reader's reach, the public
// registration with its wait list (capacity decided inside one write transaction, the unique
// (event, normalised e-mail) pair making a second seat impossible), personal links (HMAC of the
// registration), check-in at the door, costs recorded in the programme budget, and the
// matchmaking of the final event on the engine of events/match. Every change is audited; no
// personal data goes into audit details.
//
// Who may do what (auth/policy.cpp, "events" block):
// - kViewEvents: secretariat, METI and bureaus every event; operators the events they co-host;
// - kManageEvents: the secretariat (create, change, programme, costs, matchmaking grid and runs);
// - kViewRegistrants / kCheckIn: the secretariat every event, operators the events they co-host.
// Registrants act through their personal link, without an account.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/roles.h"
#include "db/database.h"
#include "events/model.h"

namespace kakehashi::events {

// What `who` may do with `event`.
struct EventAccess {
  bool view = false;
  bool manage = false;
  bool personal = false;  // registrants' names, e-mail addresses, exports with personal fields
  bool checkin = false;
};
[[nodiscard]] Result<EventAccess> access(db::Transaction& tx, const auth::Principal& who, const Event& event);

struct EventSummary {
  Event event;
  Counts counts;
};
// The events `who` may see, by start.
[[nodiscard]] Result<std::vector<EventSummary>> list_events(db::Transaction& tx, const auth::Principal& who);
// The event if `who` may see it; nullopt when it does not exist or is out of reach (404 either way).
[[nodiscard]] Result<std::optional<Event>> find_event(db::Transaction& tx, const auth::Principal& who, std::int64_t id);
// A published event by its public slug, for visitors.
[[nodiscard]] Result<std::optional<Event>> find_public_event(db::Transaction& tx, const std::string& slug);
[[nodiscard]] Result<Counts> event_counts(db::Transaction& tx, const Event& event);

// Upcoming events (not yet ended) for other modules (the meetings' pre-read, dashboards):
// those `who` may see, or with no one the published ones only. Nothing personal.
struct UpcomingEvent {
  std::int64_t id = 0;
  std::string title;
  Instant starts_at{};
  std::string place;  // place_label
  EventKind kind = EventKind::kInterim;
  std::string kind_label;
};
[[nodiscard]] Result<std::vector<UpcomingEvent>> list_upcoming_events(db::Transaction& tx, const auth::Principal* who,
                                                                      Instant now, int limit);

// kManageEvents. Validation is the caller's (read_event); the co-hosting operator must exist.
// Audited "event.create" / "event.update". Raising the capacity offers the freed seats.
[[nodiscard]] Result<std::int64_t> create_event(db::Transaction& tx, const auth::Principal& who, Event event, Instant now);
[[nodiscard]] Result<void> update_event(db::Transaction& tx, const auth::Principal& who, const Event& event,
                                        const std::string& site, Instant now);

// The programme (public) and its editing (kManageEvents; "event.session_add" / "event.session_delete").
[[nodiscard]] Result<std::vector<ProgrammeSession>> programme(db::Transaction& tx, std::int64_t event_id);
std::vector<FieldError> read_session(const std::string& starts, const std::string& title, const std::string& speakers,
                                     const std::string& description, ProgrammeSession& out);
[[nodiscard]] Result<std::int64_t> add_session(db::Transaction& tx, const auth::Principal& who, const Event& event,
                                               const ProgrammeSession& session, Instant now);
[[nodiscard]] Result<void> delete_session(db::Transaction& tx, const auth::Principal& who, const Event& event,
                                          std::int64_t session_id, Instant now);

// Costs (kManageEvents to add; read with kViewEvents). A cost is also recorded as an expense of
// the current programme year's budget (operations::add_expense, same transaction) when there is
// one; its id is kept. Audited "event.cost_add".
std::vector<FieldError> read_cost(const std::string& category, const std::string& description, const std::string& amount,
                                  const std::string& spent_on, Cost& out);
[[nodiscard]] Result<std::vector<Cost>> costs(db::Transaction& tx, const auth::Principal& who, const Event& event);
[[nodiscard]] Result<std::int64_t> add_cost(db::Transaction& tx, const auth::Principal& who, const Event& event,
                                            Cost cost, Instant now);

// ---------------------------------------------------------------------------------------------
// Registration (visitors).

// The public form's limit per client address and minute (serve --public-form-limit; 0: none).
inline constexpr int kDefaultPublicFormLimit = 60;

struct Registered {
  Registration registration;
  std::string link_key;  // the personal link's secret part (empty when `existing`)
  bool existing = false;  // the address already had a registration: nothing new was made
  int position = 0;       // wait-list position (1-based) when waiting
};
// Registers `typed` (from read_registration) for `event` in `tx`, a write transaction: refused
// when registration is closed or the event unpublished (invalid), or when the client's address
// sent `limit_per_minute` forms in the last minute (rate_limited). The seat is decided here: a
// seat at the venue while seats remain and nobody waits, else the wait list at the end; online
// participation is never limited. The same e-mail again returns the existing registration (and
// mails its link again). Queues the confirmation mail with the personal link under `site`.
// Audited "event.register".
[[nodiscard]] Result<Registered> register_for(db::Transaction& tx, const Event& event, const Registration& typed,
                                              const std::string& client_address, int limit_per_minute,
                                              const std::string& site, Instant now);

// The personal link's secret for a registration ("<id>-<HMAC>") and its path /e/{slug}/r/{key}.
[[nodiscard]] Result<std::string> link_key(db::Transaction& tx, const Registration& registration);
std::string personal_path(const Event& event, const std::string& key);
// The registration of a link key for `event`; nullopt for anything that does not verify.
[[nodiscard]] Result<std::optional<Registration>> find_by_link(db::Transaction& tx, const Event& event,
                                                               const std::string& key);
// 1-based place among those waiting (0 when not waiting).
[[nodiscard]] Result<int> wait_position(db::Transaction& tx, const Registration& registration);

// The registrant's own changes through the link (audited, actor "visitor"):
// cancel (a seat freed is offered to the first waiting), accept an offer in time.
[[nodiscard]] Result<void> cancel_registration(db::Transaction& tx, const Event& event, const Registration& registration,
                                               const std::string& site, Instant now);
[[nodiscard]] Result<void> accept_offer(db::Transaction& tx, const Event& event, const Registration& registration,
                                        const std::string& site, Instant now);
// Offers whose time ran out pass to the next in line (one event, or all with nullopt). Returns
// how many expired. Run periodically and before a registration or a personal page is used.
[[nodiscard]] Result<int> expire_offers(db::Transaction& tx, std::optional<std::int64_t> event_id,
                                        const std::string& site, Instant now);
// True when `event` has offers past their time (a read, to decide whether to open a write).
[[nodiscard]] Result<bool> has_due_offers(db::Transaction& tx, std::int64_t event_id, Instant now);
// Removes public-form counts older than an hour.
[[nodiscard]] Result<void> purge_form_hits(db::Transaction& tx, Instant now);

// ---------------------------------------------------------------------------------------------
// Staff: registrants and check-in.

// Every registration of the event (kViewRegistrants on the event; denied otherwise).
[[nodiscard]] Result<std::vector<Registration>> registrations(db::Transaction& tx, const auth::Principal& who,
                                                              const Event& event);
// The registration of a receipt number or QR content as typed or scanned (kCheckIn).
[[nodiscard]] Result<std::optional<Registration>> find_for_checkin(db::Transaction& tx, const auth::Principal& who,
                                                                   const Event& event, const std::string& code);
struct CheckedIn {
  Registration registration;
  bool already = false;  // attendance had been marked before (another desk, or twice)
};
// Marks attendance once (UPDATE … WHERE attended_at IS NULL), for a confirmed registration
// (kCheckIn). Audited "event.checkin" when marked.
[[nodiscard]] Result<CheckedIn> check_in(db::Transaction& tx, const auth::Principal& who, const Event& event,
                                         std::int64_t registration_id, Instant now);
// A person who came without registering (name, organisation, kind; e-mail optional): confirmed
// and attended at once, whatever the seats (they are in the room). Audited "event.walk_in".
std::vector<FieldError> read_walk_in(const RegistrationForm& form, Registration& out);
[[nodiscard]] Result<Registration> add_walk_in(db::Transaction& tx, const auth::Principal& who, const Event& event,
                                               Registration typed, Instant now);

// ---------------------------------------------------------------------------------------------
// Matchmaking (final event; events with `matchmaking`).

// The registrant's directory entry (opt in, what they offer and look for). "event.match_profile".
[[nodiscard]] Result<void> update_match_profile(db::Transaction& tx, const Event& event, const Registration& me,
                                                bool opt_in, const std::string& offers, const std::string& seeks,
                                                Instant now);
// Confirmed registrants who opted in, except `me`, by organisation.
[[nodiscard]] Result<std::vector<Registration>> directory(db::Transaction& tx, const Event& event,
                                                          std::optional<std::int64_t> except);
// True while requests may be sent and answered.
bool requests_open(const Event& event, Instant now);
// A request from `me` to `to_id` (priority 1–3; again: changes the priority). "event.match_request".
[[nodiscard]] Result<void> send_request(db::Transaction& tx, const Event& event, const Registration& me,
                                        std::int64_t to_id, int priority, Instant now);
// The recipient's answer. "event.match_answer".
[[nodiscard]] Result<void> answer_request(db::Transaction& tx, const Event& event, const Registration& me,
                                          std::int64_t request_id, bool accept, Instant now);
[[nodiscard]] Result<std::vector<MatchRequest>> requests_of(db::Transaction& tx, const Event& event,
                                                            std::int64_t registration_id);

struct MatchState {
  std::vector<Slot> slots;
  std::vector<MatchRequest> requests;
  std::vector<Meeting> meetings;
  std::vector<Unscheduled> unscheduled;
  std::vector<Registration> participants;  // confirmed and opted in
};
// Everything the secretariat's matchmaking page shows (kManageEvents).
[[nodiscard]] Result<MatchState> match_state(db::Transaction& tx, const auth::Principal& who, const Event& event);
// The grid: `count` slots of `minutes` from `first` with `breaks` minutes between, and `tables`
// tables. Replaces slots and meetings (kManageEvents; "event.match_grid").
[[nodiscard]] Result<void> set_grid(db::Transaction& tx, const auth::Principal& who, const Event& event, Instant first,
                                    int minutes, int breaks, int count, int tables, Instant now);
struct RunSummary {
  int requested = 0;
  int scheduled = 0;
  int meetings = 0;
  int unscheduled = 0;
};
// Runs the engine (events/match) on the accepted requests, keeping locked meetings; replaces the
// other meetings and the unscheduled list ("event.match_run").
[[nodiscard]] Result<RunSummary> run_matching(db::Transaction& tx, const auth::Principal& who, const Event& event,
                                              Instant now);
[[nodiscard]] Result<void> lock_meeting(db::Transaction& tx, const auth::Principal& who, const Event& event,
                                        std::int64_t meeting_id, bool locked, Instant now);
// Publishes (or withdraws) the schedule: personal agendas become visible; each participant with
// a meeting is mailed the link ("event.match_publish").
[[nodiscard]] Result<void> publish_schedule(db::Transaction& tx, const auth::Principal& who, const Event& event,
                                            bool publish, const std::string& site, Instant now);

struct AgendaItem {
  Slot slot;
  int table_no = 0;
  Registration partner;
};
// The registrant's meetings, once the schedule is published (empty before).
[[nodiscard]] Result<std::vector<AgendaItem>> agenda(db::Transaction& tx, const Event& event, const Registration& me);

}  // namespace kakehashi::events
