#include "meetings/store.h"

#include <fmt/format.h>

namespace kakehashi::meetings::store {
namespace {

Result<Date> date_of(const std::string& text) { return Date::parse(text); }

const std::string kMeetingSelect =
    "SELECT id, series_id, kind, title, starts_at, duration_minutes, place, online_url, cancelled_at, cancel_reason, "
    "day_note, minutes_due, minutes_owner, materials_sent_at, minutes_state, minutes_body, minutes_saved_at, "
    "minutes_submitted_at, minutes_confirmed_at, minutes_confirmed_by, minutes_return_comment, minutes_escalated_at, "
    "created_at, updated_at FROM meetings m ";

Result<Meeting> meeting_from(const db::Row& row) {
  Meeting m;
  m.id = row.integer(0);
  m.series_id = row.optional_integer(1);
  m.kind = kind_from(row.text(2)).value_or(Kind::kAdhoc);
  m.title = row.text(3);
  auto starts = parse_iso_utc(row.text(4));
  if (!starts) return fail(starts.error());
  m.starts_at = *starts;
  m.duration_minutes = int(row.integer(5));
  m.place = row.text(6);
  m.online_url = row.text(7);
  m.cancelled_at = row.optional_text(8);
  m.cancel_reason = row.text(9);
  m.day_note = row.text(10);
  auto due = date_of(row.text(11));
  if (!due) return fail(due.error());
  m.minutes_due = *due;
  m.minutes_owner = row.optional_integer(12);
  if (auto sent = row.optional_text(13)) {
    auto at = parse_iso_utc(*sent);
    if (!at) return fail(at.error());
    m.materials_sent_at = *at;
  }
  m.minutes_state = minutes_state_from(row.text(14)).value_or(MinutesState::kNone);
  m.minutes_body = row.text(15);
  m.minutes_saved_at = row.optional_text(16);
  m.minutes_submitted_at = row.optional_text(17);
  m.minutes_confirmed_at = row.optional_text(18);
  m.minutes_confirmed_by = row.optional_integer(19);
  m.minutes_return_comment = row.text(20);
  m.minutes_escalated_at = row.optional_text(21);
  m.created_at = row.text(22);
  m.updated_at = row.text(23);
  return m;
}

Result<void> load_blocks(db::Transaction& tx, Meeting& m) {
  auto rows = tx.query("SELECT block_id FROM meeting_blocks WHERE meeting_id = ? ORDER BY block_id", {m.id});
  if (!rows) return fail(rows.error());
  m.blocks.clear();
  for (const auto& row : *rows) m.blocks.push_back(row.text(0));
  return {};
}

Result<std::vector<Meeting>> select_meetings(db::Transaction& tx, const std::string& rest, const db::Params& params) {
  auto rows = tx.query(kMeetingSelect + rest, params);
  if (!rows) return fail(rows.error());
  std::vector<Meeting> out;
  for (const auto& row : *rows) {
    auto m = meeting_from(row);
    if (!m) return fail(m.error());
    if (auto b = load_blocks(tx, *m); !b) return fail(b.error());
    out.push_back(std::move(*m));
  }
  return out;
}

Result<void> replace_blocks(db::Transaction& tx, const Meeting& m) {
  if (auto r = tx.exec("DELETE FROM meeting_blocks WHERE meeting_id = ?", {m.id}); !r) return r;
  for (const auto& b : m.blocks) {
    if (auto r = tx.exec("INSERT INTO meeting_blocks (meeting_id, block_id) VALUES (?, ?) ON CONFLICT DO NOTHING", {m.id, b}); !r)
      return r;
  }
  return {};
}

const std::string kItemSelect =
    "SELECT i.id, i.meeting_id, i.series_id, i.title, i.owner_user_id, i.owner_name, i.due_on, i.status, i.closed_at, "
    "i.created_at FROM meeting_action_items i ";

Result<std::vector<ActionItem>> select_items(db::Transaction& tx, const std::string& rest, const db::Params& params) {
  auto rows = tx.query(kItemSelect + rest, params);
  if (!rows) return fail(rows.error());
  std::vector<ActionItem> out;
  for (const auto& row : *rows) {
    ActionItem a;
    a.id = row.integer(0);
    a.meeting_id = row.integer(1);
    a.series_id = row.optional_integer(2);
    a.title = row.text(3);
    a.owner_user_id = row.optional_integer(4);
    a.owner_name = row.text(5);
    if (auto due = row.optional_text(6)) {
      auto d = Date::parse(*due);
      if (!d) return fail(d.error());
      a.due_on = *d;
    }
    a.status = row.text(7) == "closed" ? ActionStatus::kClosed : ActionStatus::kOpen;
    a.closed_at = row.optional_text(8);
    a.created_at = row.text(9);
    out.push_back(std::move(a));
  }
  return out;
}

std::string placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
  return out;
}

}  // namespace

Result<std::int64_t> insert_series(db::Transaction& tx, const Series& s, Instant now, std::int64_t by) {
  return tx.insert(
      "INSERT INTO meeting_series (kind, title, first_date, last_date, start_time, duration_minutes, place, online_url, "
      "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {std::string(to_string(s.kind)), s.title, s.first_date.iso(), s.last_date.iso(), s.start_time,
       std::int64_t(s.duration_minutes), s.place, s.online_url, iso_utc(now), by});
}

Result<std::optional<Series>> find_series(db::Transaction& tx, std::int64_t id) {
  auto row = tx.query_one(
      "SELECT id, kind, title, first_date, last_date, start_time, duration_minutes, place, online_url FROM meeting_series "
      "WHERE id = ?",
      {id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Series>{};
  const db::Row& r = **row;
  Series s;
  s.id = r.integer(0);
  s.kind = kind_from(r.text(1)).value_or(Kind::kRegular);
  s.title = r.text(2);
  auto first = Date::parse(r.text(3));
  auto last = Date::parse(r.text(4));
  if (!first) return fail(first.error());
  if (!last) return fail(last.error());
  s.first_date = *first;
  s.last_date = *last;
  s.start_time = r.text(5);
  s.duration_minutes = int(r.integer(6));
  s.place = r.text(7);
  s.online_url = r.text(8);
  return std::optional<Series>{std::move(s)};
}

Result<std::int64_t> insert_meeting(db::Transaction& tx, const Meeting& m, Instant now) {
  auto id = tx.insert(
      "INSERT INTO meetings (series_id, kind, title, starts_at, duration_minutes, place, online_url, day_note, "
      "minutes_due, minutes_owner, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {db::nullable(m.series_id), std::string(to_string(m.kind)), m.title, iso_utc(m.starts_at),
       std::int64_t(m.duration_minutes), m.place, m.online_url, m.day_note, m.minutes_due.iso(),
       db::nullable(m.minutes_owner), iso_utc(now), iso_utc(now)});
  if (!id) return id;
  Meeting copy = m;
  copy.id = *id;
  if (auto b = replace_blocks(tx, copy); !b) return fail(b.error());
  return id;
}

Result<void> update_meeting(db::Transaction& tx, const Meeting& m, Instant now) {
  if (auto r = tx.exec(
          "UPDATE meetings SET title = ?, starts_at = ?, duration_minutes = ?, place = ?, online_url = ?, day_note = ?, "
          "minutes_due = ?, minutes_owner = ?, updated_at = ? WHERE id = ?",
          {m.title, iso_utc(m.starts_at), std::int64_t(m.duration_minutes), m.place, m.online_url, m.day_note,
           m.minutes_due.iso(), db::nullable(m.minutes_owner), iso_utc(now), m.id});
      !r)
    return r;
  return replace_blocks(tx, m);
}

Result<void> set_calendar_dates(db::Transaction& tx, std::int64_t id, const std::string& day_note, Date minutes_due,
                                Instant now) {
  return tx.exec("UPDATE meetings SET day_note = ?, minutes_due = ?, updated_at = ? WHERE id = ?",
                 {day_note, minutes_due.iso(), iso_utc(now), id});
}

Result<void> cancel_meeting(db::Transaction& tx, std::int64_t id, const std::string& reason, Instant now) {
  return tx.exec("UPDATE meetings SET cancelled_at = ?, cancel_reason = ?, updated_at = ? WHERE id = ?",
                 {iso_utc(now), reason, iso_utc(now), id});
}

Result<std::optional<Meeting>> find_meeting(db::Transaction& tx, std::int64_t id) {
  auto found = select_meetings(tx, "WHERE id = ?", {id});
  if (!found) return fail(found.error());
  if (found->empty()) return std::optional<Meeting>{};
  return std::optional<Meeting>{std::move(found->front())};
}

Result<std::vector<Meeting>> meetings(db::Transaction& tx, const MeetingQuery& q) {
  std::string where = "WHERE 1 = 1";
  db::Params params;
  if (q.from) {
    where += " AND m.starts_at >= ?";
    params.emplace_back(iso_utc(*q.from));
  }
  if (q.to) {
    where += " AND m.starts_at < ?";
    params.emplace_back(iso_utc(*q.to));
  }
  if (q.series_id) {
    where += " AND m.series_id = ?";
    params.emplace_back(*q.series_id);
  }
  if (q.scoped) {
    where += " AND (m.id IN (SELECT meeting_id FROM meeting_attendees WHERE user_id = ?)";
    params.emplace_back(q.user_id);
    if (!q.blocks.empty()) {
      where += " OR (m.kind = 'liaison' AND EXISTS (SELECT 1 FROM meeting_blocks b WHERE b.meeting_id = m.id AND "
               "b.block_id IN (" + placeholders(q.blocks.size()) + ")))";
      for (const auto& b : q.blocks) params.emplace_back(b);
    }
    where += ")";
  }
  return select_meetings(tx, where + " ORDER BY m.starts_at, m.id", params);
}

Result<void> set_materials_sent(db::Transaction& tx, std::int64_t id, Instant at) {
  return tx.exec("UPDATE meetings SET materials_sent_at = ?, updated_at = ? WHERE id = ?", {iso_utc(at), iso_utc(at), id});
}

Result<void> replace_attendees(db::Transaction& tx, std::int64_t meeting_id, const std::vector<std::int64_t>& users,
                               const std::vector<std::string>& guests) {
  if (auto r = tx.exec("DELETE FROM meeting_attendees WHERE meeting_id = ?", {meeting_id}); !r) return r;
  for (auto u : users) {
    if (auto r = tx.exec("INSERT INTO meeting_attendees (meeting_id, user_id) VALUES (?, ?)", {meeting_id, u}); !r) return r;
  }
  for (const auto& g : guests) {
    if (auto r = tx.exec("INSERT INTO meeting_attendees (meeting_id, guest_name) VALUES (?, ?)", {meeting_id, g}); !r)
      return r;
  }
  return {};
}

Result<std::vector<Attendee>> attendees(db::Transaction& tx, std::int64_t meeting_id) {
  auto rows = tx.query("SELECT id, user_id, guest_name FROM meeting_attendees WHERE meeting_id = ? ORDER BY id", {meeting_id});
  if (!rows) return fail(rows.error());
  std::vector<Attendee> out;
  for (const auto& row : *rows) out.push_back({row.integer(0), row.optional_integer(1), row.text(2), row.text(2)});
  return out;
}

Result<bool> attends(db::Transaction& tx, std::int64_t meeting_id, std::int64_t user_id) {
  auto n = tx.scalar("SELECT COUNT(*) FROM meeting_attendees WHERE meeting_id = ? AND user_id = ?", {meeting_id, user_id});
  if (!n) return fail(n.error());
  return *n > 0;
}

Result<std::vector<AgendaItem>> agenda(db::Transaction& tx, std::int64_t meeting_id) {
  auto rows = tx.query(
      "SELECT id, meeting_id, position, title, owner_name, minutes, link_kind, link_id, link_label FROM "
      "meeting_agenda_items WHERE meeting_id = ? ORDER BY position, id",
      {meeting_id});
  if (!rows) return fail(rows.error());
  std::vector<AgendaItem> out;
  for (const auto& r : *rows) {
    out.push_back({r.integer(0), r.integer(1), int(r.integer(2)), r.text(3), r.text(4), int(r.integer(5)), r.text(6),
                   r.optional_integer(7), r.text(8)});
  }
  return out;
}

Result<std::int64_t> insert_agenda_item(db::Transaction& tx, const AgendaItem& i) {
  auto next = tx.scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM meeting_agenda_items WHERE meeting_id = ?", {i.meeting_id});
  if (!next) return fail(next.error());
  return tx.insert(
      "INSERT INTO meeting_agenda_items (meeting_id, position, title, owner_name, minutes, link_kind, link_id, link_label) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {i.meeting_id, *next, i.title, i.owner_name, std::int64_t(i.minutes), i.link_kind, db::nullable(i.link_id),
       i.link_label});
}

Result<void> delete_agenda_item(db::Transaction& tx, std::int64_t meeting_id, std::int64_t item_id) {
  return tx.exec("DELETE FROM meeting_agenda_items WHERE id = ? AND meeting_id = ?", {item_id, meeting_id});
}

Result<std::int64_t> insert_material(db::Transaction& tx, const Material& m, const std::string& content, Instant now,
                                     std::int64_t by) {
  return tx.insert(
      "INSERT INTO meeting_materials (meeting_id, file_name, content_type, sha256, content, inspection, added_at, added_by) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {m.meeting_id, m.file_name, m.content_type, m.sha256, db::Blob{content}, m.inspection, iso_utc(now), by});
}

Result<std::vector<Material>> materials(db::Transaction& tx, std::int64_t meeting_id) {
  auto rows = tx.query(
      "SELECT id, meeting_id, file_name, content_type, sha256, LENGTH(content), inspection, added_at FROM "
      "meeting_materials WHERE meeting_id = ? ORDER BY id",
      {meeting_id});
  if (!rows) return fail(rows.error());
  std::vector<Material> out;
  for (const auto& r : *rows) {
    out.push_back({r.integer(0), r.integer(1), r.text(2), r.text(3), r.text(4), r.integer(5), r.text(6), r.text(7)});
  }
  return out;
}

Result<std::optional<std::pair<Material, std::string>>> material_file(db::Transaction& tx, std::int64_t meeting_id,
                                                                     std::int64_t material_id) {
  auto row = tx.query_one(
      "SELECT id, meeting_id, file_name, content_type, sha256, content FROM meeting_materials WHERE id = ? AND "
      "meeting_id = ?",
      {material_id, meeting_id});
  if (!row) return fail(row.error());
  using Out = std::optional<std::pair<Material, std::string>>;
  if (!*row) return Out{};
  const db::Row& r = **row;
  Material m;
  m.id = r.integer(0);
  m.meeting_id = r.integer(1);
  m.file_name = r.text(2);
  m.content_type = r.text(3);
  m.sha256 = r.text(4);
  std::string content;
  if (const auto* blob = std::get_if<db::Blob>(&r.at(5))) content = blob->bytes;
  else content = r.text(5);
  m.size = std::int64_t(content.size());
  return Out{std::pair{std::move(m), std::move(content)}};
}

Result<void> save_minutes(db::Transaction& tx, std::int64_t id, const std::string& body, MinutesState state, Instant now) {
  return tx.exec("UPDATE meetings SET minutes_body = ?, minutes_state = ?, minutes_saved_at = ?, updated_at = ? WHERE id = ?",
                 {body, std::string(to_string(state)), iso_utc(now), iso_utc(now), id});
}

Result<void> set_minutes_state(db::Transaction& tx, std::int64_t id, MinutesState state, Instant now,
                               std::optional<std::int64_t> by, const std::string& comment) {
  const std::string at = iso_utc(now);
  switch (state) {
    case MinutesState::kSubmitted:
      return tx.exec(
          "UPDATE meetings SET minutes_state = 'submitted', minutes_submitted_at = ?, minutes_return_comment = '', "
          "updated_at = ? WHERE id = ?",
          {at, at, id});
    case MinutesState::kReturned:
      return tx.exec("UPDATE meetings SET minutes_state = 'returned', minutes_return_comment = ?, updated_at = ? WHERE id = ?",
                     {comment, at, id});
    case MinutesState::kConfirmed:
      return tx.exec(
          "UPDATE meetings SET minutes_state = 'confirmed', minutes_confirmed_at = ?, minutes_confirmed_by = ?, "
          "updated_at = ? WHERE id = ?",
          {at, db::nullable(by), at, id});
    default:
      return tx.exec("UPDATE meetings SET minutes_state = ?, updated_at = ? WHERE id = ?",
                     {std::string(to_string(state)), at, id});
  }
}

Result<void> set_escalated(db::Transaction& tx, std::int64_t id, Instant now) {
  return tx.exec("UPDATE meetings SET minutes_escalated_at = ? WHERE id = ?", {iso_utc(now), id});
}

Result<std::vector<Meeting>> minutes_outstanding(db::Transaction& tx, Instant before) {
  return select_meetings(tx,
                         "WHERE m.cancelled_at IS NULL AND m.minutes_state IN ('none', 'draft', 'returned') AND "
                         "m.starts_at < ? ORDER BY m.minutes_due, m.id",
                         {iso_utc(before)});
}

Result<std::vector<Meeting>> minutes_in_state(db::Transaction& tx, MinutesState state) {
  return select_meetings(tx, "WHERE m.cancelled_at IS NULL AND m.minutes_state = ? ORDER BY m.minutes_due, m.id",
                         {std::string(to_string(state))});
}

Result<std::vector<Decision>> decisions(db::Transaction& tx, std::int64_t meeting_id) {
  auto rows = tx.query("SELECT id, meeting_id, text FROM meeting_decisions WHERE meeting_id = ? ORDER BY id", {meeting_id});
  if (!rows) return fail(rows.error());
  std::vector<Decision> out;
  for (const auto& r : *rows) out.push_back({r.integer(0), r.integer(1), r.text(2)});
  return out;
}

Result<std::int64_t> insert_decision(db::Transaction& tx, std::int64_t meeting_id, const std::string& text, Instant now) {
  return tx.insert("INSERT INTO meeting_decisions (meeting_id, text, created_at) VALUES (?, ?, ?)",
                   {meeting_id, text, iso_utc(now)});
}

Result<std::int64_t> insert_action_item(db::Transaction& tx, const ActionItem& a, Instant now) {
  return tx.insert(
      "INSERT INTO meeting_action_items (meeting_id, series_id, title, owner_user_id, owner_name, due_on, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {a.meeting_id, db::nullable(a.series_id), a.title, db::nullable(a.owner_user_id), a.owner_name,
       a.due_on ? db::Value{a.due_on->iso()} : db::null(), iso_utc(now)});
}

Result<std::optional<ActionItem>> find_action_item(db::Transaction& tx, std::int64_t id) {
  auto found = select_items(tx, "WHERE i.id = ?", {id});
  if (!found) return fail(found.error());
  if (found->empty()) return std::optional<ActionItem>{};
  return std::optional<ActionItem>{std::move(found->front())};
}

Result<void> set_action_status(db::Transaction& tx, std::int64_t id, ActionStatus status, Instant now) {
  if (status == ActionStatus::kClosed)
    return tx.exec("UPDATE meeting_action_items SET status = 'closed', closed_at = ? WHERE id = ?", {iso_utc(now), id});
  return tx.exec("UPDATE meeting_action_items SET status = 'open', closed_at = NULL WHERE id = ?", {id});
}

Result<void> insert_action_event(db::Transaction& tx, std::int64_t item_id, std::optional<std::int64_t> meeting_id,
                                 const std::string& kind, const std::string& note, Instant now, std::int64_t by) {
  return tx.exec("INSERT INTO meeting_action_events (item_id, meeting_id, kind, note, at, by_user) VALUES (?, ?, ?, ?, ?, ?)",
                 {item_id, db::nullable(meeting_id), kind, note, iso_utc(now), by});
}

Result<std::vector<ActionItem>> items_of_meeting(db::Transaction& tx, std::int64_t meeting_id) {
  return select_items(tx, "WHERE i.meeting_id = ? ORDER BY i.id", {meeting_id});
}

Result<std::vector<ActionItem>> carried_items(db::Transaction& tx, std::int64_t series_id, Instant before) {
  return select_items(tx,
                      "JOIN meetings m ON m.id = i.meeting_id WHERE i.series_id = ? AND m.starts_at < ? AND "
                      "(i.status = 'open' OR EXISTS (SELECT 1 FROM meeting_action_events e JOIN meetings c ON "
                      "c.id = e.meeting_id WHERE e.item_id = i.id AND e.kind = 'closed' AND c.starts_at >= ?)) "
                      "ORDER BY m.starts_at, i.id",
                      {series_id, iso_utc(before), iso_utc(before)});
}

Result<std::vector<ActionItem>> items_of_meetings(db::Transaction& tx, const std::vector<std::int64_t>& ids,
                                                  bool open_only) {
  if (ids.empty()) return std::vector<ActionItem>{};
  db::Params params(ids.begin(), ids.end());
  return select_items(tx,
                      "WHERE i.meeting_id IN (" + placeholders(ids.size()) + ")" +
                          (open_only ? " AND i.status = 'open'" : "") + " ORDER BY i.due_on IS NULL, i.due_on, i.id",
                      params);
}

Result<std::vector<ActionEvent>> action_history(db::Transaction& tx, std::int64_t item_id) {
  auto rows = tx.query("SELECT id, meeting_id, kind, note, at FROM meeting_action_events WHERE item_id = ? ORDER BY at, id",
                       {item_id});
  if (!rows) return fail(rows.error());
  std::vector<ActionEvent> out;
  for (const auto& r : *rows) out.push_back({r.integer(0), r.optional_integer(1), r.text(2), r.text(3), r.text(4)});
  return out;
}

Result<void> set_feed(db::Transaction& tx, std::int64_t user_id, const std::string& token_hash, Instant now) {
  return tx.exec(
      "INSERT INTO meeting_feeds (user_id, token_hash, created_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
      "token_hash = excluded.token_hash, created_at = excluded.created_at",
      {user_id, db::Blob{token_hash}, iso_utc(now)});
}

Result<std::optional<std::int64_t>> feed_user(db::Transaction& tx, const std::string& token_hash) {
  auto row = tx.query_one("SELECT user_id FROM meeting_feeds WHERE token_hash = ?", {db::Blob{token_hash}});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{(*row)->integer(0)};
}

Result<std::optional<std::string>> feed_created(db::Transaction& tx, std::int64_t user_id) {
  auto row = tx.query_one("SELECT created_at FROM meeting_feeds WHERE user_id = ?", {user_id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::string>{};
  return std::optional<std::string>{(*row)->text(0)};
}

Result<std::optional<std::string>> setting(db::Transaction& tx, const std::string& key) {
  auto row = tx.query_one("SELECT value FROM meeting_settings WHERE key = ?", {key});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::string>{};
  return std::optional<std::string>{(*row)->text(0)};
}

Result<void> set_setting(db::Transaction& tx, const std::string& key, const std::string& value) {
  return tx.exec(
      "INSERT INTO meeting_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      {key, value});
}

}  // namespace kakehashi::meetings::store
