// SQL of the events module and nothing else (private: only src/events and its tests include it).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/database.h"
#include "events/model.h"

namespace kakehashi::events::store {

// Events.
[[nodiscard]] Result<std::vector<Event>> events(db::Transaction& tx);
[[nodiscard]] Result<std::optional<Event>> find_event(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<std::optional<Event>> find_event_by_slug(db::Transaction& tx, const std::string& slug);
[[nodiscard]] Result<std::vector<Event>> upcoming_events(db::Transaction& tx, Instant now, int limit);
[[nodiscard]] Result<std::int64_t> insert_event(db::Transaction& tx, const Event& event, Instant now);
[[nodiscard]] Result<void> update_event(db::Transaction& tx, const Event& event, Instant now);
[[nodiscard]] Result<void> set_schedule_published(db::Transaction& tx, std::int64_t event_id, std::optional<Instant> at);
[[nodiscard]] Result<void> set_match_tables(db::Transaction& tx, std::int64_t event_id, int tables);
[[nodiscard]] Result<Counts> counts(db::Transaction& tx, std::int64_t event_id);
[[nodiscard]] Result<std::map<std::int64_t, Counts>> all_counts(db::Transaction& tx);

// Programme and costs.
[[nodiscard]] Result<std::vector<ProgrammeSession>> sessions(db::Transaction& tx, std::int64_t event_id);
[[nodiscard]] Result<std::int64_t> insert_session(db::Transaction& tx, const ProgrammeSession& session);
[[nodiscard]] Result<bool> delete_session(db::Transaction& tx, std::int64_t event_id, std::int64_t id);
[[nodiscard]] Result<std::vector<Cost>> costs(db::Transaction& tx, std::int64_t event_id);
[[nodiscard]] Result<std::int64_t> insert_cost(db::Transaction& tx, const Cost& cost, Instant now);

// Registrations.
[[nodiscard]] Result<std::vector<Registration>> registrations(db::Transaction& tx, std::int64_t event_id);
[[nodiscard]] Result<std::optional<Registration>> find_registration(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<std::optional<Registration>> find_by_email(db::Transaction& tx, std::int64_t event_id,
                                                                const std::string& email_norm);
[[nodiscard]] Result<std::optional<Registration>> find_by_receipt(db::Transaction& tx, std::int64_t event_id,
                                                                  const std::string& receipt);
[[nodiscard]] Result<bool> receipt_taken(db::Transaction& tx, const std::string& receipt);
// In-person seats held: confirmed or offered, at the venue.
[[nodiscard]] Result<int> seats_taken(db::Transaction& tx, std::int64_t event_id);
[[nodiscard]] Result<std::int64_t> next_queue(db::Transaction& tx, std::int64_t event_id);
// 1-based place among those still waiting.
[[nodiscard]] Result<int> waiting_position(db::Transaction& tx, std::int64_t event_id, std::int64_t queue);
[[nodiscard]] Result<std::optional<Registration>> first_waiting(db::Transaction& tx, std::int64_t event_id);
[[nodiscard]] Result<std::vector<Registration>> due_offers(db::Transaction& tx, std::optional<std::int64_t> event_id,
                                                           Instant now);
[[nodiscard]] Result<std::int64_t> insert_registration(db::Transaction& tx, const Registration& r,
                                                       const std::string& email_norm, Instant now);
// Replaces a cancelled or expired registration's details with a new registration's.
[[nodiscard]] Result<void> renew_registration(db::Transaction& tx, std::int64_t id, const Registration& r, Instant now);
[[nodiscard]] Result<void> set_status(db::Transaction& tx, std::int64_t id, Status status,
                                      std::optional<Instant> offer_expires_at, Instant now);
// Marks attendance once: false when it was already marked (another desk was first).
[[nodiscard]] Result<bool> mark_attended(db::Transaction& tx, std::int64_t id, std::int64_t user_id, Instant now);
[[nodiscard]] Result<void> update_profile(db::Transaction& tx, std::int64_t id, bool opt_in, const std::string& offers,
                                          const std::string& seeks, Instant now);

// The personal links' key; nullopt before the first registration.
[[nodiscard]] Result<std::optional<std::string>> link_secret(db::Transaction& tx);
[[nodiscard]] Result<void> insert_link_secret(db::Transaction& tx, const std::string& secret);

// Public form submissions per address.
[[nodiscard]] Result<std::int64_t> hits_since(db::Transaction& tx, const std::string& subject, std::int64_t since);
[[nodiscard]] Result<void> insert_hit(db::Transaction& tx, const std::string& subject, std::int64_t at);
[[nodiscard]] Result<void> purge_hits(db::Transaction& tx, std::int64_t before);

// Matchmaking.
[[nodiscard]] Result<std::vector<Slot>> slots(db::Transaction& tx, std::int64_t event_id);
[[nodiscard]] Result<void> replace_slots(db::Transaction& tx, std::int64_t event_id, const std::vector<Slot>& slots);
[[nodiscard]] Result<std::vector<MatchRequest>> requests(db::Transaction& tx, std::int64_t event_id);
[[nodiscard]] Result<std::optional<MatchRequest>> find_request(db::Transaction& tx, std::int64_t event_id, std::int64_t id);
[[nodiscard]] Result<std::optional<MatchRequest>> find_request_between(db::Transaction& tx, std::int64_t event_id,
                                                                       std::int64_t from_id, std::int64_t to_id);
[[nodiscard]] Result<std::int64_t> insert_request(db::Transaction& tx, std::int64_t event_id, const MatchRequest& r,
                                                  Instant now);
[[nodiscard]] Result<void> update_request(db::Transaction& tx, std::int64_t id, int priority, RequestState state,
                                          std::optional<Instant> answered_at);
[[nodiscard]] Result<std::vector<Meeting>> meetings(db::Transaction& tx, std::int64_t event_id);
// Deletes the unlocked meetings and inserts `fresh` (locked ones stay).
[[nodiscard]] Result<void> replace_unlocked_meetings(db::Transaction& tx, std::int64_t event_id,
                                                     const std::vector<Meeting>& fresh);
[[nodiscard]] Result<bool> set_meeting_locked(db::Transaction& tx, std::int64_t event_id, std::int64_t meeting_id,
                                              bool locked);
[[nodiscard]] Result<std::vector<Unscheduled>> unscheduled(db::Transaction& tx, std::int64_t event_id);
[[nodiscard]] Result<void> replace_unscheduled(db::Transaction& tx, std::int64_t event_id,
                                               const std::vector<Unscheduled>& rows);

}  // namespace kakehashi::events::store
