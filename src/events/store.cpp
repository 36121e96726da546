#include "events/store.h"

// GCC 12 reports a false "may be used uninitialized" for db::Value temporaries appended to a
// Params vector (the variant's storage), see the insert_event parameters.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace kakehashi::events::store {
namespace {

using std::chrono::sys_seconds;

db::Value opt_instant(const std::optional<Instant>& at) {
  if (!at) return db::null();
  return iso_utc(*at);
}

std::optional<Instant> read_instant(const db::Row& row, size_t i) {
  if (row.is_null(i)) return std::nullopt;
  auto parsed = parse_iso_utc(row.text(i));
  if (!parsed) return std::nullopt;
  return *parsed;
}

Instant instant_of(const db::Row& row, size_t i) { return read_instant(row, i).value_or(Instant{}); }

constexpr std::string_view kEventColumns =
    "SELECT id, slug, kind, title, summary, starts_at, ends_at, in_person, online, prefecture, venue, address, "
    "capacity, registration_closes_at, offer_hours, cohost_name, cohost_counting, cohost_operator_id, published, "
    "matchmaking, requests_open_at, requests_close_at, match_tables, schedule_published_at, created_at FROM events ";

Event event_of(const db::Row& row) {
  Event e;
  e.id = row.integer(0);
  e.slug = row.text(1);
  e.kind = event_kind_from(row.text(2)).value_or(EventKind::kInterim);
  e.title = row.text(3);
  e.summary = row.text(4);
  e.starts_at = instant_of(row, 5);
  e.ends_at = instant_of(row, 6);
  e.in_person = row.integer(7) != 0;
  e.online = row.integer(8) != 0;
  e.prefecture = row.text(9);
  e.venue = row.text(10);
  e.address = row.text(11);
  e.capacity = int(row.integer(12));
  e.registration_closes_at = instant_of(row, 13);
  e.offer_hours = int(row.integer(14));
  e.cohost_name = row.text(15);
  e.cohost_counting = counting_from(row.text(16)).value_or(Counting::kOurs);
  e.cohost_operator_id = row.optional_integer(17);
  e.published = row.integer(18) != 0;
  e.matchmaking = row.integer(19) != 0;
  e.requests_open_at = read_instant(row, 20);
  e.requests_close_at = read_instant(row, 21);
  e.match_tables = int(row.integer(22));
  e.schedule_published_at = read_instant(row, 23);
  e.created_at = row.text(24);
  return e;
}

Result<std::vector<Event>> select_events(db::Transaction& tx, std::string_view rest, const db::Params& params) {
  auto rows = tx.query(std::string(kEventColumns) + std::string(rest), params);
  if (!rows) return fail(rows.error());
  std::vector<Event> out;
  for (const auto& row : *rows) out.push_back(event_of(row));
  return out;
}

template <typename T>
Result<std::optional<T>> first(Result<std::vector<T>> rows) {
  if (!rows) return fail(rows.error());
  if (rows->empty()) return std::optional<T>{};
  return std::optional<T>{std::move(rows->front())};
}

db::Params event_params(const Event& e) {
  return {std::string(to_string(e.kind)), e.title, e.summary, iso_utc(e.starts_at), iso_utc(e.ends_at),
          std::int64_t(e.in_person), std::int64_t(e.online), e.prefecture, e.venue, e.address,
          std::int64_t(e.capacity), iso_utc(e.registration_closes_at), std::int64_t(e.offer_hours), e.cohost_name,
          std::string(to_string(e.cohost_counting)), db::nullable(e.cohost_operator_id), std::int64_t(e.published),
          std::int64_t(e.matchmaking), opt_instant(e.requests_open_at), opt_instant(e.requests_close_at)};
}

constexpr std::string_view kRegistrationColumns =
    "SELECT id, event_id, receipt, name, organisation, kind, school_type, prefecture, email, attendance, status, "
    "queue, offer_expires_at, walk_in, attended_at, match_opt_in, offers, seeks, created_at FROM event_registrations ";

Registration registration_of(const db::Row& row) {
  Registration r;
  r.id = row.integer(0);
  r.event_id = row.integer(1);
  r.receipt = row.text(2);
  r.name = row.text(3);
  r.organisation = row.text(4);
  r.kind = registrant_kind_from(row.text(5)).value_or(RegistrantKind::kOther);
  r.school_type = row.text(6);
  r.prefecture = row.text(7);
  r.email = row.text(8);
  r.attendance = attendance_from(row.text(9)).value_or(Attendance::kInPerson);
  r.status = status_from(row.text(10)).value_or(Status::kCancelled);
  r.queue = row.integer(11);
  r.offer_expires_at = read_instant(row, 12);
  r.walk_in = row.integer(13) != 0;
  r.attended_at = read_instant(row, 14);
  r.match_opt_in = row.integer(15) != 0;
  r.offers = row.text(16);
  r.seeks = row.text(17);
  r.created_at = instant_of(row, 18);
  return r;
}

Result<std::vector<Registration>> select_registrations(db::Transaction& tx, std::string_view rest,
                                                       const db::Params& params) {
  auto rows = tx.query(std::string(kRegistrationColumns) + std::string(rest), params);
  if (!rows) return fail(rows.error());
  std::vector<Registration> out;
  out.reserve(rows->size());
  for (const auto& row : *rows) out.push_back(registration_of(row));
  return out;
}

constexpr std::string_view kCountSql =
    "SELECT event_id, "
    "SUM(status IN ('confirmed', 'waiting', 'offered')), SUM(status = 'confirmed'), SUM(status = 'waiting'), "
    "SUM(status = 'offered'), SUM(status = 'cancelled'), "
    "SUM(status = 'confirmed' AND attendance = 'in_person'), SUM(status = 'confirmed' AND attendance = 'online'), "
    "SUM(attended_at IS NOT NULL), SUM(attended_at IS NOT NULL AND attendance = 'in_person'), "
    "SUM(attended_at IS NOT NULL AND attendance = 'online'), SUM(walk_in) FROM event_registrations ";

Counts counts_of(const db::Row& row) {
  auto n = [&](size_t i) { return row.is_null(i) ? 0 : int(row.integer(i)); };
  return {n(1), n(2), n(3), n(4), n(5), n(6), n(7), n(8), n(9), n(10), n(11)};
}

}  // namespace

Result<std::vector<Event>> events(db::Transaction& tx) { return select_events(tx, "ORDER BY starts_at, id", {}); }

Result<std::optional<Event>> find_event(db::Transaction& tx, std::int64_t id) {
  return first(select_events(tx, "WHERE id = ?", {id}));
}

Result<std::optional<Event>> find_event_by_slug(db::Transaction& tx, const std::string& slug) {
  return first(select_events(tx, "WHERE slug = ?", {slug}));
}

Result<std::vector<Event>> upcoming_events(db::Transaction& tx, Instant now, int limit) {
  return select_events(tx, "WHERE ends_at > ? ORDER BY starts_at, id LIMIT ?", {iso_utc(now), std::int64_t(limit)});
}

Result<std::int64_t> insert_event(db::Transaction& tx, const Event& event, Instant now) {
  db::Params params = event_params(event);
  params.insert(params.begin(), event.slug);
  params.push_back(iso_utc(now));
  params.push_back(iso_utc(now));
  return tx.insert(
      "INSERT INTO events (slug, kind, title, summary, starts_at, ends_at, in_person, online, prefecture, venue, "
      "address, capacity, registration_closes_at, offer_hours, cohost_name, cohost_counting, cohost_operator_id, "
      "published, matchmaking, requests_open_at, requests_close_at, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      params);
}

Result<void> update_event(db::Transaction& tx, const Event& event, Instant now) {
  db::Params params = event_params(event);
  params.push_back(iso_utc(now));
  params.push_back(event.id);
  return tx.exec(
      "UPDATE events SET kind = ?, title = ?, summary = ?, starts_at = ?, ends_at = ?, in_person = ?, online = ?, "
      "prefecture = ?, venue = ?, address = ?, capacity = ?, registration_closes_at = ?, offer_hours = ?, "
      "cohost_name = ?, cohost_counting = ?, cohost_operator_id = ?, published = ?, matchmaking = ?, "
      "requests_open_at = ?, requests_close_at = ?, updated_at = ? WHERE id = ?",
      params);
}

Result<void> set_schedule_published(db::Transaction& tx, std::int64_t event_id, std::optional<Instant> at) {
  return tx.exec("UPDATE events SET schedule_published_at = ? WHERE id = ?", {opt_instant(at), event_id});
}

Result<void> set_match_tables(db::Transaction& tx, std::int64_t event_id, int tables) {
  return tx.exec("UPDATE events SET match_tables = ? WHERE id = ?", {std::int64_t(tables), event_id});
}

Result<Counts> counts(db::Transaction& tx, std::int64_t event_id) {
  auto row = tx.query_one(std::string(kCountSql) + "WHERE event_id = ? GROUP BY event_id", {event_id});
  if (!row) return fail(row.error());
  if (!*row) return Counts{};
  return counts_of(**row);
}

Result<std::map<std::int64_t, Counts>> all_counts(db::Transaction& tx) {
  auto rows = tx.query(std::string(kCountSql) + "GROUP BY event_id");
  if (!rows) return fail(rows.error());
  std::map<std::int64_t, Counts> out;
  for (const auto& row : *rows) out[row.integer(0)] = counts_of(row);
  return out;
}

Result<std::vector<ProgrammeSession>> sessions(db::Transaction& tx, std::int64_t event_id) {
  auto rows = tx.query(
      "SELECT id, event_id, starts, title, speakers, description FROM event_sessions WHERE event_id = ? "
      "ORDER BY starts, id",
      {event_id});
  if (!rows) return fail(rows.error());
  std::vector<ProgrammeSession> out;
  for (const auto& row : *rows) {
    out.push_back({row.integer(0), row.integer(1), row.text(2), row.text(3), row.text(4), row.text(5)});
  }
  return out;
}

Result<std::int64_t> insert_session(db::Transaction& tx, const ProgrammeSession& s) {
  return tx.insert("INSERT INTO event_sessions (event_id, starts, title, speakers, description) VALUES (?, ?, ?, ?, ?)",
                   {s.event_id, s.starts, s.title, s.speakers, s.description});
}

Result<bool> delete_session(db::Transaction& tx, std::int64_t event_id, std::int64_t id) {
  if (auto done = tx.exec("DELETE FROM event_sessions WHERE event_id = ? AND id = ?", {event_id, id}); !done)
    return fail(done.error());
  return tx.changes() > 0;
}

Result<std::vector<Cost>> costs(db::Transaction& tx, std::int64_t event_id) {
  auto rows = tx.query(
      "SELECT id, event_id, category, description, amount, spent_on, expense_id FROM event_costs WHERE event_id = ? "
      "ORDER BY spent_on, id",
      {event_id});
  if (!rows) return fail(rows.error());
  std::vector<Cost> out;
  for (const auto& row : *rows) {
    Cost c{row.integer(0), row.integer(1), row.text(2), row.text(3), row.integer(4), {}, row.optional_integer(6)};
    if (auto day = Date::parse(row.text(5))) c.spent_on = *day;
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::int64_t> insert_cost(db::Transaction& tx, const Cost& c, Instant now) {
  return tx.insert(
      "INSERT INTO event_costs (event_id, category, description, amount, spent_on, expense_id, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {c.event_id, c.category, c.description, c.amount, c.spent_on.iso(), db::nullable(c.expense_id), iso_utc(now)});
}

Result<std::vector<Registration>> registrations(db::Transaction& tx, std::int64_t event_id) {
  return select_registrations(tx, "WHERE event_id = ? ORDER BY id", {event_id});
}

Result<std::optional<Registration>> find_registration(db::Transaction& tx, std::int64_t id) {
  return first(select_registrations(tx, "WHERE id = ?", {id}));
}

Result<std::optional<Registration>> find_by_email(db::Transaction& tx, std::int64_t event_id,
                                                  const std::string& email_norm) {
  return first(select_registrations(tx, "WHERE event_id = ? AND email_norm = ?", {event_id, email_norm}));
}

Result<std::optional<Registration>> find_by_receipt(db::Transaction& tx, std::int64_t event_id,
                                                    const std::string& receipt) {
  return first(select_registrations(tx, "WHERE event_id = ? AND receipt = ?", {event_id, receipt}));
}

Result<bool> receipt_taken(db::Transaction& tx, const std::string& receipt) {
  auto n = tx.scalar("SELECT COUNT(*) FROM event_registrations WHERE receipt = ?", {receipt});
  if (!n) return fail(n.error());
  return *n > 0;
}

Result<int> seats_taken(db::Transaction& tx, std::int64_t event_id) {
  auto n = tx.scalar(
      "SELECT COUNT(*) FROM event_registrations WHERE event_id = ? AND attendance = 'in_person' "
      "AND status IN ('confirmed', 'offered')",
      {event_id});
  if (!n) return fail(n.error());
  return int(*n);
}

Result<std::int64_t> next_queue(db::Transaction& tx, std::int64_t event_id) {
  auto n = tx.scalar("SELECT COALESCE(MAX(queue), 0) + 1 FROM event_registrations WHERE event_id = ?", {event_id});
  if (!n) return fail(n.error());
  return *n;
}

Result<int> waiting_position(db::Transaction& tx, std::int64_t event_id, std::int64_t queue) {
  auto n = tx.scalar(
      "SELECT COUNT(*) FROM event_registrations WHERE event_id = ? AND status = 'waiting' AND queue <= ?",
      {event_id, queue});
  if (!n) return fail(n.error());
  return int(*n);
}

Result<std::optional<Registration>> first_waiting(db::Transaction& tx, std::int64_t event_id) {
  return first(select_registrations(tx, "WHERE event_id = ? AND status = 'waiting' ORDER BY queue LIMIT 1", {event_id}));
}

Result<std::vector<Registration>> due_offers(db::Transaction& tx, std::optional<std::int64_t> event_id, Instant now) {
  if (event_id) {
    return select_registrations(tx, "WHERE event_id = ? AND status = 'offered' AND offer_expires_at <= ? ORDER BY queue",
                                {*event_id, iso_utc(now)});
  }
  return select_registrations(tx, "WHERE status = 'offered' AND offer_expires_at <= ? ORDER BY event_id, queue",
                              {iso_utc(now)});
}

Result<std::int64_t> insert_registration(db::Transaction& tx, const Registration& r, const std::string& email_norm,
                                         Instant now) {
  return tx.insert(
      "INSERT INTO event_registrations (event_id, receipt, name, organisation, kind, school_type, prefecture, email, "
      "email_norm, attendance, status, queue, offer_expires_at, walk_in, attended_at, match_opt_in, offers, seeks, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.event_id, r.receipt, r.name, r.organisation, std::string(to_string(r.kind)), r.school_type, r.prefecture,
       r.email, email_norm, std::string(to_string(r.attendance)), std::string(to_string(r.status)), r.queue,
       opt_instant(r.offer_expires_at), std::int64_t(r.walk_in), opt_instant(r.attended_at),
       std::int64_t(r.match_opt_in), r.offers, r.seeks, iso_utc(now), iso_utc(now)});
}

Result<void> renew_registration(db::Transaction& tx, std::int64_t id, const Registration& r, Instant now) {
  return tx.exec(
      "UPDATE event_registrations SET name = ?, organisation = ?, kind = ?, school_type = ?, prefecture = ?, "
      "email = ?, attendance = ?, status = ?, queue = ?, offer_expires_at = NULL, match_opt_in = ?, offers = ?, "
      "seeks = ?, created_at = ?, updated_at = ? WHERE id = ?",
      {r.name, r.organisation, std::string(to_string(r.kind)), r.school_type, r.prefecture, r.email,
       std::string(to_string(r.attendance)), std::string(to_string(r.status)), r.queue, std::int64_t(r.match_opt_in),
       r.offers, r.seeks, iso_utc(now), iso_utc(now), id});
}

Result<void> set_status(db::Transaction& tx, std::int64_t id, Status status, std::optional<Instant> offer_expires_at,
                        Instant now) {
  return tx.exec("UPDATE event_registrations SET status = ?, offer_expires_at = ?, updated_at = ? WHERE id = ?",
                 {std::string(to_string(status)), opt_instant(offer_expires_at), iso_utc(now), id});
}

Result<bool> mark_attended(db::Transaction& tx, std::int64_t id, std::int64_t user_id, Instant now) {
  if (auto done = tx.exec(
          "UPDATE event_registrations SET attended_at = ?, checked_in_by = ?, updated_at = ? "
          "WHERE id = ? AND attended_at IS NULL",
          {iso_utc(now), user_id, iso_utc(now), id});
      !done)
    return fail(done.error());
  return tx.changes() == 1;
}

Result<void> update_profile(db::Transaction& tx, std::int64_t id, bool opt_in, const std::string& offers,
                            const std::string& seeks, Instant now) {
  return tx.exec("UPDATE event_registrations SET match_opt_in = ?, offers = ?, seeks = ?, updated_at = ? WHERE id = ?",
                 {std::int64_t(opt_in), offers, seeks, iso_utc(now), id});
}

Result<std::optional<std::string>> link_secret(db::Transaction& tx) {
  auto row = tx.query_one("SELECT secret FROM event_link_keys WHERE id = 1");
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::string>{};
  const auto& value = (*row)->at(0);
  if (const auto* blob = std::get_if<db::Blob>(&value)) return std::optional<std::string>{blob->bytes};
  return std::optional<std::string>{};
}

Result<void> insert_link_secret(db::Transaction& tx, const std::string& secret) {
  return tx.exec("INSERT INTO event_link_keys (id, secret) VALUES (1, ?) ON CONFLICT DO NOTHING", {db::Blob{secret}});
}

Result<std::int64_t> hits_since(db::Transaction& tx, const std::string& subject, std::int64_t since) {
  return tx.scalar("SELECT COUNT(*) FROM event_form_hits WHERE subject = ? AND at > ?", {db::Blob{subject}, since});
}

Result<void> insert_hit(db::Transaction& tx, const std::string& subject, std::int64_t at) {
  return tx.exec("INSERT INTO event_form_hits (subject, at) VALUES (?, ?)", {db::Blob{subject}, at});
}

Result<void> purge_hits(db::Transaction& tx, std::int64_t before) {
  return tx.exec("DELETE FROM event_form_hits WHERE at <= ?", {before});
}

Result<std::vector<Slot>> slots(db::Transaction& tx, std::int64_t event_id) {
  auto rows = tx.query("SELECT id, position, starts_at, minutes FROM event_slots WHERE event_id = ? ORDER BY position",
                       {event_id});
  if (!rows) return fail(rows.error());
  std::vector<Slot> out;
  for (const auto& row : *rows) out.push_back({row.integer(0), int(row.integer(1)), instant_of(row, 2), int(row.integer(3))});
  return out;
}

Result<void> replace_slots(db::Transaction& tx, std::int64_t event_id, const std::vector<Slot>& slots) {
  for (std::string_view sql : {"DELETE FROM event_meetings WHERE event_id = ?", "DELETE FROM event_unscheduled WHERE event_id = ?",
                               "DELETE FROM event_slots WHERE event_id = ?"}) {
    if (auto done = tx.exec(sql, {event_id}); !done) return done;
  }
  for (const Slot& s : slots) {
    auto id = tx.insert("INSERT INTO event_slots (event_id, position, starts_at, minutes) VALUES (?, ?, ?, ?)",
                        {event_id, std::int64_t(s.position), iso_utc(s.starts_at), std::int64_t(s.minutes)});
    if (!id) return fail(id.error());
  }
  return {};
}

Result<std::vector<MatchRequest>> requests(db::Transaction& tx, std::int64_t event_id) {
  auto rows = tx.query("SELECT id, from_id, to_id, priority, state FROM event_match_requests WHERE event_id = ? ORDER BY id",
                       {event_id});
  if (!rows) return fail(rows.error());
  std::vector<MatchRequest> out;
  for (const auto& row : *rows) {
    out.push_back({row.integer(0), row.integer(1), row.integer(2), int(row.integer(3)),
                   request_state_from(row.text(4)).value_or(RequestState::kPending)});
  }
  return out;
}

Result<std::optional<MatchRequest>> find_request(db::Transaction& tx, std::int64_t event_id, std::int64_t id) {
  auto all = requests(tx, event_id);
  if (!all) return fail(all.error());
  for (const auto& r : *all) {
    if (r.id == id) return std::optional<MatchRequest>{r};
  }
  return std::optional<MatchRequest>{};
}

Result<std::optional<MatchRequest>> find_request_between(db::Transaction& tx, std::int64_t event_id,
                                                         std::int64_t from_id, std::int64_t to_id) {
  auto row = tx.query_one(
      "SELECT id, from_id, to_id, priority, state FROM event_match_requests WHERE event_id = ? AND from_id = ? AND to_id = ?",
      {event_id, from_id, to_id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<MatchRequest>{};
  const db::Row& r = **row;
  return std::optional<MatchRequest>{MatchRequest{r.integer(0), r.integer(1), r.integer(2), int(r.integer(3)),
                                                  request_state_from(r.text(4)).value_or(RequestState::kPending)}};
}

Result<std::int64_t> insert_request(db::Transaction& tx, std::int64_t event_id, const MatchRequest& r, Instant now) {
  return tx.insert(
      "INSERT INTO event_match_requests (event_id, from_id, to_id, priority, state, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      {event_id, r.from_id, r.to_id, std::int64_t(r.priority), std::string(to_string(r.state)), iso_utc(now)});
}

Result<void> update_request(db::Transaction& tx, std::int64_t id, int priority, RequestState state,
                            std::optional<Instant> answered_at) {
  return tx.exec("UPDATE event_match_requests SET priority = ?, state = ?, answered_at = ? WHERE id = ?",
                 {std::int64_t(priority), std::string(to_string(state)), opt_instant(answered_at), id});
}

Result<std::vector<Meeting>> meetings(db::Transaction& tx, std::int64_t event_id) {
  auto rows = tx.query(
      "SELECT m.id, m.a_id, m.b_id, m.slot_id, m.table_no, m.locked FROM event_meetings m "
      "JOIN event_slots s ON s.id = m.slot_id WHERE m.event_id = ? ORDER BY s.position, m.table_no",
      {event_id});
  if (!rows) return fail(rows.error());
  std::vector<Meeting> out;
  for (const auto& row : *rows) {
    out.push_back({row.integer(0), row.integer(1), row.integer(2), row.integer(3), int(row.integer(4)), row.integer(5) != 0});
  }
  return out;
}

Result<void> replace_unlocked_meetings(db::Transaction& tx, std::int64_t event_id, const std::vector<Meeting>& fresh) {
  if (auto done = tx.exec("DELETE FROM event_meetings WHERE event_id = ? AND locked = 0", {event_id}); !done) return done;
  for (const Meeting& m : fresh) {
    if (m.locked) {
      // A locked meeting keeps its row; the engine may have given it another table.
      if (auto done = tx.exec("UPDATE event_meetings SET table_no = ? WHERE id = ?", {std::int64_t(m.table_no), m.id}); !done)
        return done;
      continue;
    }
    auto id = tx.insert("INSERT INTO event_meetings (event_id, a_id, b_id, slot_id, table_no, locked) VALUES (?, ?, ?, ?, ?, 0)",
                        {event_id, m.a_id, m.b_id, m.slot_id, std::int64_t(m.table_no)});
    if (!id) return fail(id.error());
  }
  return {};
}

Result<bool> set_meeting_locked(db::Transaction& tx, std::int64_t event_id, std::int64_t meeting_id, bool locked) {
  if (auto done = tx.exec("UPDATE event_meetings SET locked = ? WHERE event_id = ? AND id = ?",
                          {std::int64_t(locked), event_id, meeting_id});
      !done)
    return fail(done.error());
  return tx.changes() == 1;
}

Result<std::vector<Unscheduled>> unscheduled(db::Transaction& tx, std::int64_t event_id) {
  auto rows = tx.query("SELECT from_id, to_id, reason, message FROM event_unscheduled WHERE event_id = ? ORDER BY id",
                       {event_id});
  if (!rows) return fail(rows.error());
  std::vector<Unscheduled> out;
  for (const auto& row : *rows) out.push_back({row.integer(0), row.integer(1), row.text(2), row.text(3)});
  return out;
}

Result<void> replace_unscheduled(db::Transaction& tx, std::int64_t event_id, const std::vector<Unscheduled>& rows) {
  if (auto done = tx.exec("DELETE FROM event_unscheduled WHERE event_id = ?", {event_id}); !done) return done;
  for (const auto& u : rows) {
    if (auto done = tx.exec("INSERT INTO event_unscheduled (event_id, from_id, to_id, reason, message) VALUES (?, ?, ?, ?, ?)",
                            {event_id, u.from_id, u.to_id, u.reason, u.message});
        !done)
      return done;
  }
  return {};
}

}  // namespace kakehashi::events::store
