// Matchmaking of the final event: directory, requests, the grid, runs of the engine
// (events/match), locks, publication and personal agendas.
#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/text.h"
#include "events/match/json.h"
#include "events/match/schedule.h"
#include "events/service.h"
#include "events/service_support.h"
#include "events/store.h"
#include "notify/service.h"

namespace kakehashi::events {
namespace {

namespace m = events::match;

std::string pid(std::int64_t id) { return fmt::format("r{}", id); }

std::int64_t id_of_pid(const std::string& p) { return std::stoll(p.substr(1)); }

m::Side side_of(RegistrantKind kind) {
  switch (kind) {
    case RegistrantKind::kCompany: return m::Side::kCompany;
    case RegistrantKind::kSchool: return m::Side::kSchool;
    case RegistrantKind::kMunicipality: return m::Side::kMunicipality;
    default: return m::Side::kOther;
  }
}

Result<void> require_manage(db::Transaction& tx, const auth::Principal& who, const Event& event) {
  auto rights = access(tx, who, event);
  if (!rights) return fail(rights.error());
  if (!rights->manage) return fail(Error::denied("このイベントのマッチングを変更する権限がありません"));
  if (!event.matchmaking) return fail(Error::invalid("このイベントではマッチングを行いません"));
  return {};
}

Result<void> record(db::Transaction& tx, const audit::Actor& actor, std::string action, const Event& event,
                    boost::json::object detail, Instant now) {
  auto logged = audit::record(tx, audit::entry_by(actor, std::move(action), fmt::format("event:{}", event.id),
                                                  boost::json::serialize(detail)),
                              now);
  if (!logged) return fail(logged.error());
  return {};
}

bool is_participant(const Registration& r) { return r.status == Status::kConfirmed && r.match_opt_in; }

}  // namespace

bool requests_open(const Event& event, Instant now) {
  return event.matchmaking && event.requests_open_at && event.requests_close_at && now >= *event.requests_open_at &&
         now < *event.requests_close_at;
}

Result<void> update_match_profile(db::Transaction& tx, const Event& event, const Registration& me, bool opt_in,
                                  const std::string& offers, const std::string& seeks, Instant now) {
  if (!event.matchmaking) return fail(Error::invalid("このイベントではマッチングを行いません"));
  if (me.status != Status::kConfirmed) return fail(Error::invalid("参加が確定した方だけがマッチングに参加できます"));
  std::string o(text::trim(offers)), s(text::trim(seeks));
  if (text::count_code_points(o) > 400 || text::count_code_points(s) > 400)
    return fail(Error::invalid("提供できること・探していることは、それぞれ 400 文字以内で入力してください"));
  if (auto done = store::update_profile(tx, me.id, opt_in, o, s, now); !done) return done;
  return record(tx, visitor(), "event.match_profile", event, {{"registration", me.id}, {"opt_in", opt_in}}, now);
}

Result<std::vector<Registration>> directory(db::Transaction& tx, const Event& event, std::optional<std::int64_t> except) {
  auto all = store::registrations(tx, event.id);
  if (!all) return fail(all.error());
  std::vector<Registration> out;
  for (auto& r : *all) {
    if (is_participant(r) && (!except || r.id != *except)) out.push_back(std::move(r));
  }
  std::ranges::sort(out, [](const Registration& a, const Registration& b) {
    return std::tie(a.organisation, a.id) < std::tie(b.organisation, b.id);
  });
  return out;
}

Result<void> send_request(db::Transaction& tx, const Event& event, const Registration& me, std::int64_t to_id, int priority,
                          Instant now) {
  if (!requests_open(event, now)) return fail(Error::invalid("面談の申込み期間外です"));
  if (!is_participant(me)) return fail(Error::invalid("面談を申し込むには、マッチングへの参加を登録してください"));
  if (priority < m::kMinPriority || priority > m::kMaxPriority) return fail(Error::invalid("優先度は 1〜3 で選んでください"));
  if (to_id == me.id) return fail(Error::invalid("自分には申し込めません"));
  auto to = store::find_registration(tx, to_id);
  if (!to) return fail(to.error());
  if (!*to || (*to)->event_id != event.id || !is_participant(**to)) return fail(Error::invalid("申込み先が見つかりません"));
  auto existing = store::find_request_between(tx, event.id, me.id, to_id);
  if (!existing) return fail(existing.error());
  std::int64_t id = 0;
  if (*existing) {
    id = (*existing)->id;
    if (auto done = store::update_request(tx, id, priority, (*existing)->state, std::nullopt); !done) return done;
  } else {
    auto inserted = store::insert_request(tx, event.id, {0, me.id, to_id, priority, RequestState::kPending}, now);
    if (!inserted) return fail(inserted.error());
    id = *inserted;
  }
  return record(tx, visitor(), "event.match_request", event, {{"request", id}, {"priority", priority}}, now);
}

Result<void> answer_request(db::Transaction& tx, const Event& event, const Registration& me, std::int64_t request_id,
                            bool accept, Instant now) {
  if (!requests_open(event, now)) return fail(Error::invalid("面談の申込み期間外です"));
  auto r = store::find_request(tx, event.id, request_id);
  if (!r) return fail(r.error());
  if (!*r || (*r)->to_id != me.id) return fail(Error::not_found("面談の申込みが見つかりません"));
  RequestState state = accept ? RequestState::kAccepted : RequestState::kDeclined;
  if (auto done = store::update_request(tx, request_id, (*r)->priority, state, now); !done) return done;
  return record(tx, visitor(), "event.match_answer", event, {{"request", request_id}, {"state", to_string(state)}}, now);
}

Result<std::vector<MatchRequest>> requests_of(db::Transaction& tx, const Event& event, std::int64_t registration_id) {
  auto all = store::requests(tx, event.id);
  if (!all) return fail(all.error());
  std::vector<MatchRequest> out;
  for (const auto& r : *all) {
    if (r.from_id == registration_id || r.to_id == registration_id) out.push_back(r);
  }
  return out;
}

Result<MatchState> match_state(db::Transaction& tx, const auth::Principal& who, const Event& event) {
  auto rights = access(tx, who, event);
  if (!rights) return fail(rights.error());
  if (!rights->manage) return fail(Error::denied("このイベントのマッチングを見る権限がありません"));
  MatchState out;
  auto slots = store::slots(tx, event.id);
  if (!slots) return fail(slots.error());
  out.slots = std::move(*slots);
  auto requests = store::requests(tx, event.id);
  if (!requests) return fail(requests.error());
  out.requests = std::move(*requests);
  auto meetings = store::meetings(tx, event.id);
  if (!meetings) return fail(meetings.error());
  out.meetings = std::move(*meetings);
  auto unscheduled = store::unscheduled(tx, event.id);
  if (!unscheduled) return fail(unscheduled.error());
  out.unscheduled = std::move(*unscheduled);
  auto participants = directory(tx, event, std::nullopt);
  if (!participants) return fail(participants.error());
  out.participants = std::move(*participants);
  return out;
}

Result<void> set_grid(db::Transaction& tx, const auth::Principal& who, const Event& event, Instant first, int minutes,
                      int breaks, int count, int tables, Instant now) {
  if (auto ok = require_manage(tx, who, event); !ok) return ok;
  if (count < 1 || count > m::kMaxSlots) return fail(Error::invalid(fmt::format("時間枠の数は 1〜{} で入力してください", m::kMaxSlots)));
  if (minutes < 5 || minutes > 240) return fail(Error::invalid("1 枠の長さは 5〜240 分で入力してください"));
  if (breaks < 0 || breaks > 120) return fail(Error::invalid("枠の間の休憩は 0〜120 分で入力してください"));
  if (tables < 1 || tables > 1000) return fail(Error::invalid("テーブル数は 1〜1000 で入力してください"));
  std::vector<Slot> slots;
  for (int i = 0; i < count; ++i) {
    slots.push_back({0, i + 1, first + std::chrono::minutes((minutes + breaks) * i), minutes});
  }
  if (auto done = store::replace_slots(tx, event.id, slots); !done) return done;
  if (auto done = store::set_match_tables(tx, event.id, tables); !done) return done;
  if (auto done = store::set_schedule_published(tx, event.id, std::nullopt); !done) return done;
  return record(tx, audit::Actor::user(who.user_id), "event.match_grid", event,
                {{"slots", count}, {"minutes", minutes}, {"tables", tables}}, now);
}

Result<RunSummary> run_matching(db::Transaction& tx, const auth::Principal& who, const Event& event, Instant now) {
  if (auto ok = require_manage(tx, who, event); !ok) return fail(ok.error());
  auto state = match_state(tx, who, event);
  if (!state) return fail(state.error());
  auto current = store::find_event(tx, event.id);
  if (!current) return fail(current.error());
  int tables = *current ? (*current)->match_tables : event.match_tables;
  if (state->slots.empty() || tables < 1) return fail(Error::invalid("先に時間枠とテーブル数を設定してください"));
  m::Problem problem;
  std::map<std::string, std::int64_t> slot_ids;
  for (const Slot& s : state->slots) {
    std::string id = fmt::format("s{}", s.position);
    problem.slots.push_back({id, tokyo_datetime(s.starts_at), s.minutes});
    slot_ids[id] = s.id;
  }
  problem.tables = tables;
  std::set<std::int64_t> in;
  for (const Registration& r : state->participants) {
    m::Participant p{pid(r.id), side_of(r.kind), {}, std::nullopt};
    for (const auto& s : problem.slots) p.available.push_back(s.id);
    problem.participants.push_back(std::move(p));
    in.insert(r.id);
  }
  for (const MatchRequest& r : state->requests) {
    if (!in.contains(r.from_id) || !in.contains(r.to_id)) continue;
    problem.requests.push_back({pid(r.from_id), pid(r.to_id), r.priority, r.state == RequestState::kAccepted});
  }
  std::map<std::int64_t, std::string> slot_key;
  for (const auto& [key, id] : slot_ids) slot_key[id] = key;
  std::vector<Meeting> locked;
  for (const Meeting& mt : state->meetings) {
    if (!mt.locked) continue;
    if (!in.contains(mt.a_id) || !in.contains(mt.b_id)) continue;  // a participant left: the lock lapses
    problem.locked.push_back({pid(mt.a_id), pid(mt.b_id), slot_key[mt.slot_id]});
    locked.push_back(mt);
  }
  auto schedule = m::schedule_meetings(problem);
  if (!schedule) return fail(schedule.error());
  std::vector<Meeting> fresh;
  for (const m::Meeting& mt : schedule->meetings) {
    std::int64_t a = id_of_pid(mt.a), b = id_of_pid(mt.b);
    std::int64_t slot = slot_ids[mt.slot];
    Meeting out{0, a, b, slot, mt.table, mt.locked};
    if (mt.locked) {
      auto it = std::ranges::find_if(locked, [&](const Meeting& l) {
        return l.slot_id == slot && ((l.a_id == a && l.b_id == b) || (l.a_id == b && l.b_id == a));
      });
      if (it != locked.end()) out.id = it->id;
      else out.locked = false;
    }
    fresh.push_back(out);
  }
  // Locks whose participants left are released with the rest.
  for (const Meeting& mt : state->meetings) {
    if (mt.locked && std::ranges::find_if(locked, [&](const Meeting& l) { return l.id == mt.id; }) == locked.end()) {
      auto unlocked = store::set_meeting_locked(tx, event.id, mt.id, false);
      if (!unlocked) return fail(unlocked.error());
    }
  }
  if (auto done = store::replace_unlocked_meetings(tx, event.id, fresh); !done) return fail(done.error());
  std::vector<Unscheduled> rows;
  for (const auto& u : schedule->unscheduled) {
    rows.push_back({id_of_pid(u.from), id_of_pid(u.to), std::string(m::reason_code(u.reason)), u.message});
  }
  if (auto done = store::replace_unscheduled(tx, event.id, rows); !done) return fail(done.error());
  RunSummary summary{schedule->requested, schedule->scheduled, int(schedule->meetings.size()), int(rows.size())};
  if (auto logged = record(tx, audit::Actor::user(who.user_id), "event.match_run", event,
                           {{"requested", summary.requested}, {"scheduled", summary.scheduled}, {"meetings", summary.meetings}},
                           now);
      !logged)
    return fail(logged.error());
  return summary;
}

Result<void> lock_meeting(db::Transaction& tx, const auth::Principal& who, const Event& event, std::int64_t meeting_id,
                          bool locked, Instant now) {
  if (auto ok = require_manage(tx, who, event); !ok) return ok;
  auto changed = store::set_meeting_locked(tx, event.id, meeting_id, locked);
  if (!changed) return fail(changed.error());
  if (!*changed) return fail(Error::not_found("面談が見つかりません"));
  return record(tx, audit::Actor::user(who.user_id), "event.match_lock", event, {{"meeting", meeting_id}, {"locked", locked}},
                now);
}

Result<void> publish_schedule(db::Transaction& tx, const auth::Principal& who, const Event& event, bool publish,
                              const std::string& site, Instant now) {
  if (auto ok = require_manage(tx, who, event); !ok) return ok;
  if (auto done = store::set_schedule_published(tx, event.id, publish ? std::optional<Instant>(now) : std::nullopt); !done)
    return done;
  if (publish) {
    auto meetings = store::meetings(tx, event.id);
    if (!meetings) return fail(meetings.error());
    if (meetings->empty()) return fail(Error::invalid("公開する面談がありません。先にスケジュールを作成してください"));
    std::set<std::int64_t> people;
    for (const auto& mt : *meetings) people.insert({mt.a_id, mt.b_id});
    for (std::int64_t id : people) {
      auto r = store::find_registration(tx, id);
      if (!r) return fail(r.error());
      if (!*r) continue;
      auto key = link_key(tx, **r);
      if (!key) return fail(key.error());
      std::string body = fmt::format(
          "{} 様\n\n「{}」の面談スケジュールが決まりました。\n次の個人用ページで、あなたの面談予定（時間・テーブル・相手）を"
          "ご確認ください。PDF でも印刷できます。\n\n{}{}\n",
          (*r)->name, event.title, site, personal_path(event, *key));
      auto mailed = notify::queue_mail(
          tx, {(*r)->email, std::string(notify::kSubjectPrefix) + "面談スケジュールのお知らせ（" + event.title + "）", body}, now);
      if (!mailed) return fail(mailed.error());
    }
  }
  return record(tx, audit::Actor::user(who.user_id), "event.match_publish", event, {{"published", publish}}, now);
}

Result<std::vector<AgendaItem>> agenda(db::Transaction& tx, const Event& event, const Registration& me) {
  std::vector<AgendaItem> out;
  auto current = store::find_event(tx, event.id);
  if (!current) return fail(current.error());
  if (!*current || !(*current)->schedule_published_at) return out;
  auto slots = store::slots(tx, event.id);
  if (!slots) return fail(slots.error());
  auto meetings = store::meetings(tx, event.id);
  if (!meetings) return fail(meetings.error());
  for (const Meeting& mt : *meetings) {
    if (mt.a_id != me.id && mt.b_id != me.id) continue;
    auto partner = store::find_registration(tx, mt.a_id == me.id ? mt.b_id : mt.a_id);
    if (!partner) return fail(partner.error());
    if (!*partner) continue;
    auto slot = std::ranges::find_if(*slots, [&](const Slot& s) { return s.id == mt.slot_id; });
    if (slot == slots->end()) continue;
    out.push_back({*slot, mt.table_no, **partner});
  }
  return out;
}

}  // namespace kakehashi::events
