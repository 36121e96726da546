// The meetings module's SQL (private to the module; tests reach it with INTERNALS kk_meetings).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "db/database.h"
#include "meetings/model.h"

namespace kakehashi::meetings::store {

[[nodiscard]] Result<std::int64_t> insert_series(db::Transaction& tx, const Series& s, Instant now, std::int64_t by);
[[nodiscard]] Result<std::optional<Series>> find_series(db::Transaction& tx, std::int64_t id);

[[nodiscard]] Result<std::int64_t> insert_meeting(db::Transaction& tx, const Meeting& m, Instant now);
// Changes title, time, place, link, day note, due date and blocks.
[[nodiscard]] Result<void> update_meeting(db::Transaction& tx, const Meeting& m, Instant now);
// The calendar-derived fields only (after a holiday import).
[[nodiscard]] Result<void> set_calendar_dates(db::Transaction& tx, std::int64_t id, const std::string& day_note, Date minutes_due,
                                              Instant now);
[[nodiscard]] Result<void> cancel_meeting(db::Transaction& tx, std::int64_t id, const std::string& reason, Instant now);
[[nodiscard]] Result<std::optional<Meeting>> find_meeting(db::Transaction& tx, std::int64_t id);
// Meetings whose start lies in [from, to), by start; with `user_id`/`blocks`, only those the user
// attends or liaison meetings about one of `blocks` (else all).
struct MeetingQuery {
  std::optional<Instant> from, to;
  std::optional<std::int64_t> series_id;
  bool scoped = false;
  std::int64_t user_id = 0;
  std::set<std::string> blocks;
};
[[nodiscard]] Result<std::vector<Meeting>> meetings(db::Transaction& tx, const MeetingQuery& query);
[[nodiscard]] Result<void> set_materials_sent(db::Transaction& tx, std::int64_t id, Instant at);

[[nodiscard]] Result<void> replace_attendees(db::Transaction& tx, std::int64_t meeting_id,
                                             const std::vector<std::int64_t>& users,
                                             const std::vector<std::string>& guests);
[[nodiscard]] Result<std::vector<Attendee>> attendees(db::Transaction& tx, std::int64_t meeting_id);
[[nodiscard]] Result<bool> attends(db::Transaction& tx, std::int64_t meeting_id, std::int64_t user_id);

[[nodiscard]] Result<std::vector<AgendaItem>> agenda(db::Transaction& tx, std::int64_t meeting_id);
[[nodiscard]] Result<std::int64_t> insert_agenda_item(db::Transaction& tx, const AgendaItem& item);
[[nodiscard]] Result<void> delete_agenda_item(db::Transaction& tx, std::int64_t meeting_id, std::int64_t item_id);

[[nodiscard]] Result<std::int64_t> insert_material(db::Transaction& tx, const Material& m, const std::string& content,
                                                   Instant now, std::int64_t by);
[[nodiscard]] Result<std::vector<Material>> materials(db::Transaction& tx, std::int64_t meeting_id);
[[nodiscard]] Result<std::optional<std::pair<Material, std::string>>> material_file(db::Transaction& tx,
                                                                                   std::int64_t meeting_id,
                                                                                   std::int64_t material_id);

// Minutes.
[[nodiscard]] Result<void> save_minutes(db::Transaction& tx, std::int64_t id, const std::string& body,
                                        MinutesState state, Instant now);
[[nodiscard]] Result<void> set_minutes_state(db::Transaction& tx, std::int64_t id, MinutesState state, Instant now,
                                             std::optional<std::int64_t> by, const std::string& comment);
[[nodiscard]] Result<void> set_escalated(db::Transaction& tx, std::int64_t id, Instant now);
// Held meetings (start before `before`) whose minutes are neither submitted nor confirmed.
[[nodiscard]] Result<std::vector<Meeting>> minutes_outstanding(db::Transaction& tx, Instant before);
// Meetings whose minutes are in `state`.
[[nodiscard]] Result<std::vector<Meeting>> minutes_in_state(db::Transaction& tx, MinutesState state);

[[nodiscard]] Result<std::vector<Decision>> decisions(db::Transaction& tx, std::int64_t meeting_id);
[[nodiscard]] Result<std::int64_t> insert_decision(db::Transaction& tx, std::int64_t meeting_id, const std::string& text,
                                                   Instant now);

[[nodiscard]] Result<std::int64_t> insert_action_item(db::Transaction& tx, const ActionItem& item, Instant now);
[[nodiscard]] Result<std::optional<ActionItem>> find_action_item(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<void> set_action_status(db::Transaction& tx, std::int64_t id, ActionStatus status, Instant now);
[[nodiscard]] Result<void> insert_action_event(db::Transaction& tx, std::int64_t item_id,
                                               std::optional<std::int64_t> meeting_id, const std::string& kind,
                                               const std::string& note, Instant now, std::int64_t by);
// Items decided at `meeting_id`.
[[nodiscard]] Result<std::vector<ActionItem>> items_of_meeting(db::Transaction& tx, std::int64_t meeting_id);
// Items of `series_id` decided at meetings that started before `before` and still open then:
// open now, or closed at a meeting that started at or after `before` (so the meeting where one
// was closed still lists it, and earlier meetings show it as it was).
[[nodiscard]] Result<std::vector<ActionItem>> carried_items(db::Transaction& tx, std::int64_t series_id,
                                                            Instant before);
// Items of the given meetings (for the API and the pre-read), open only when `open_only`.
[[nodiscard]] Result<std::vector<ActionItem>> items_of_meetings(db::Transaction& tx,
                                                                const std::vector<std::int64_t>& meeting_ids,
                                                                bool open_only);
[[nodiscard]] Result<std::vector<ActionEvent>> action_history(db::Transaction& tx, std::int64_t item_id);

// iCalendar feeds and settings.
[[nodiscard]] Result<void> set_feed(db::Transaction& tx, std::int64_t user_id, const std::string& token_hash, Instant now);
[[nodiscard]] Result<std::optional<std::int64_t>> feed_user(db::Transaction& tx, const std::string& token_hash);
[[nodiscard]] Result<std::optional<std::string>> feed_created(db::Transaction& tx, std::int64_t user_id);
[[nodiscard]] Result<std::optional<std::string>> setting(db::Transaction& tx, const std::string& key);
[[nodiscard]] Result<void> set_setting(db::Transaction& tx, const std::string& key, const std::string& value);

}  // namespace kakehashi::meetings::store
