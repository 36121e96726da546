// The secretariat's matchmaking screen of the final event (issue 18, R5.2): the grid (slots and
// tables), the requests' numbers, runs of the engine (events/match), locks, publication of the
// schedule, the venue's table plan (PDF, a page per slot), the schedule as XLSX, and the
// accepted requests the engine could not place with its Japanese reasons.
#include <fmt/format.h>

#include <map>

#include "events/render.h"
#include "events/service.h"
#include "web/handlers/call/common.h"
#include "web/handlers/events/common.h"

namespace kakehashi::web::eventsweb {
namespace {

std::string slot_time(const events::Slot& s) {
  return tokyo_datetime(s.starts_at).substr(11) + "–" + tokyo_datetime(s.starts_at + std::chrono::minutes(s.minutes)).substr(11);
}

struct Loaded {
  events::Event event;
  events::EventAccess rights;
  events::MatchState state;
  std::map<std::int64_t, std::string> names;  // registration id -> organisation
};

Result<std::optional<Loaded>> load(db::Transaction& tx, const Request& request) {
  auto event = load_event(tx, request);
  if (!event) return fail(event.error());
  if (!*event || !(*event)->matchmaking) return std::optional<Loaded>{};
  auto rights = events::access(tx, *request.principal, **event);
  if (!rights) return fail(rights.error());
  if (!rights->manage) return std::optional<Loaded>{};
  auto state = events::match_state(tx, *request.principal, **event);
  if (!state) return fail(state.error());
  Loaded l{**event, *rights, std::move(*state), {}};
  for (const auto& r : l.state.participants) l.names[r.id] = r.organisation + "（" + r.name + "）";
  return std::optional<Loaded>{std::move(l)};
}

std::string name_of(const Loaded& l, std::int64_t id) {
  auto it = l.names.find(id);
  return it == l.names.end() ? fmt::format("（参加を取りやめた方 #{}）", id) : it->second;
}

Response page(Application& app, Request& request, std::optional<std::string> grid_error, http::status status) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  tx->reset();
  const Loaded& l = **loaded;
  MatchmakingView view;
  view.id = l.event.id;
  view.title = l.event.title;
  view.tabs = event_tabs(l.event, l.rights, "matchmaking");
  if (l.event.requests_open_at && l.event.requests_close_at) {
    view.window = tokyo_datetime_japanese(*l.event.requests_open_at) + "〜" + tokyo_datetime_japanese(*l.event.requests_close_at);
  }
  view.participants = int(l.state.participants.size());
  view.requests = int(l.state.requests.size());
  for (const auto& r : l.state.requests) {
    if (r.state == events::RequestState::kAccepted) ++view.accepted;
    if (r.state == events::RequestState::kPending) ++view.pending;
    if (r.state == events::RequestState::kDeclined) ++view.declined;
  }
  std::map<std::int64_t, const events::Slot*> slot_by_id;
  for (const auto& s : l.state.slots) {
    view.slots.push_back(slot_time(s));
    slot_by_id[s.id] = &s;
  }
  view.has_slots = !view.slots.empty();
  view.tables = l.event.match_tables > 0 ? std::to_string(l.event.match_tables) : request.field("tables");
  if (!l.state.slots.empty()) {
    const auto& first = l.state.slots.front();
    view.first = tokyo_datetime_local(first.starts_at);
    view.minutes = std::to_string(first.minutes);
    view.count = std::to_string(l.state.slots.size());
    view.breaks = l.state.slots.size() > 1
                      ? std::to_string((l.state.slots[1].starts_at - first.starts_at).count() / 60 - first.minutes)
                      : "0";
  } else {
    view.first = tokyo_datetime_local(l.event.starts_at);
    view.minutes = "20";
    view.breaks = "5";
    view.count = "8";
  }
  if (grid_error) {
    view.first = request.field("first");
    view.minutes = request.field("minutes");
    view.breaks = request.field("breaks");
    view.count = request.field("count");
    view.tables = request.field("tables");
  }
  for (const auto& m : l.state.meetings) {
    const events::Slot* s = slot_by_id.contains(m.slot_id) ? slot_by_id[m.slot_id] : nullptr;
    view.meetings.push_back({m.id, s ? slot_time(*s) : "", m.table_no, name_of(l, m.a_id), name_of(l, m.b_id), m.locked,
                             fmt::format("/events/{}/matchmaking/meetings/{}/lock", l.event.id, m.id)});
  }
  view.has_meetings = !view.meetings.empty();
  for (const auto& u : l.state.unscheduled) view.unscheduled.push_back({name_of(l, u.from_id), name_of(l, u.to_id), u.message});
  view.has_unscheduled = !view.unscheduled.empty();
  view.published = l.event.schedule_published_at.has_value();
  if (view.published) view.published_at = tokyo_datetime_japanese(*l.event.schedule_published_at);
  view.grid_error = std::move(grid_error);
  return app.page(request, "マッチング（" + l.event.title + "）", "events/matchmaking", view, event_crumbs(l.event, "マッチング"),
                  "/events", status);
}

Response show(Application& app, Request& request) { return page(app, request, std::nullopt, http::status::ok); }

// A change on the event's matchmaking; a refusal shows the page with the message (422).
Response change(Application& app, Request& request,
                const std::function<Result<std::string>(db::Transaction&, const events::Event&)>& work) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto event = load_event(**tx, request);
  if (!event) return app.error_response(request, event.error());
  if (!*event) return app.error(request, http::status::not_found);
  auto done = work(**tx, **event);
  if (!done) {
    if (!callweb::is_refusal(done.error())) return app.error_response(request, done.error());
    tx->reset();
    return page(app, request, done.error().message, http::status::unprocessable_entity);
  }
  if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
  return app.redirect_with_notice(request, fmt::format("/events/{}/matchmaking", (*event)->id), *done);
}

Response set_grid(Application& app, Request& request) {
  return change(app, request, [&](db::Transaction& tx, const events::Event& event) -> Result<std::string> {
    auto first = parse_tokyo_datetime(request.field("first"));
    if (!first) return fail(Error::invalid("最初の枠の開始日時を入力してください（例: 2027-02-20T13:00）"));
    auto number = [&](const char* field, std::string_view label) -> Result<int> {
      auto parsed = callweb::typed_integer(request.field(field), label, 0, 100000,
                                           std::string(label) + "を整数で入力してください");
      if (!parsed) return fail(parsed.error());
      return int(*parsed);
    };
    auto minutes = number("minutes", "1 枠の長さ");
    if (!minutes) return fail(minutes.error());
    auto breaks = number("breaks", "休憩");
    if (!breaks) return fail(breaks.error());
    auto count = number("count", "時間枠の数");
    if (!count) return fail(count.error());
    auto tables = number("tables", "テーブル数");
    if (!tables) return fail(tables.error());
    if (auto done = events::set_grid(tx, *request.principal, event, *first, *minutes, *breaks, *count, *tables, app.clock().now());
        !done)
      return fail(done.error());
    return fmt::format("時間枠 {} 枠・テーブル {} 卓を設定しました。スケジュールを作成してください。", *count, *tables);
  });
}

Response run(Application& app, Request& request) {
  return change(app, request, [&](db::Transaction& tx, const events::Event& event) -> Result<std::string> {
    auto summary = events::run_matching(tx, *request.principal, event, app.clock().now());
    if (!summary) return fail(summary.error());
    return fmt::format("スケジュールを作成しました。承諾済みの申込み {} 件のうち {} 件を面談 {} 件に割り当てました（未割当 {} 件）。",
                       summary->requested, summary->scheduled, summary->meetings, summary->unscheduled);
  });
}

Response lock(Application& app, Request& request) {
  auto id = callweb::id_param(request, "meeting");
  bool locked = request.field("locked") == "1";
  return change(app, request, [&](db::Transaction& tx, const events::Event& event) -> Result<std::string> {
    if (!id) return fail(Error::not_found("面談が見つかりません"));
    if (auto done = events::lock_meeting(tx, *request.principal, event, *id, locked, app.clock().now()); !done)
      return fail(done.error());
    return std::string(locked ? "面談を固定しました。再作成しても変わりません。" : "面談の固定を外しました。");
  });
}

Response publish(Application& app, Request& request) {
  bool on = request.field("publish") == "1";
  return change(app, request, [&](db::Transaction& tx, const events::Event& event) -> Result<std::string> {
    if (auto done = events::publish_schedule(tx, *request.principal, event, on, app.config().public_url, app.clock().now()); !done)
      return fail(done.error());
    return std::string(on ? "スケジュールを公開し、面談のある参加者にメールで知らせました。" : "スケジュールの公開を取り下げました。");
  });
}

Response tables_pdf(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  tx->reset();
  const Loaded& l = **loaded;
  std::vector<events::PlanSlot> plan;
  for (const auto& s : l.state.slots) {
    events::PlanSlot ps{slot_time(s), {}};
    for (const auto& m : l.state.meetings) {
      if (m.slot_id == s.id) ps.tables.push_back({m.table_no, name_of(l, m.a_id) + " × " + name_of(l, m.b_id)});
    }
    plan.push_back(std::move(ps));
  }
  auto pdf = events::table_plan_pdf(l.event, plan);
  if (!pdf) return app.error_response(request, pdf.error());
  return file_response(std::move(*pdf), "application/pdf", "テーブル配置.pdf");
}

Response schedule_xlsx(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  tx->reset();
  const Loaded& l = **loaded;
  std::map<std::int64_t, const events::Slot*> slot_by_id;
  for (const auto& s : l.state.slots) slot_by_id[s.id] = &s;
  docs::DataTable table;
  table.header = {"時間", "テーブル", "参加者 A", "参加者 B", "固定"};
  for (const auto& m : l.state.meetings) {
    const events::Slot* s = slot_by_id.contains(m.slot_id) ? slot_by_id[m.slot_id] : nullptr;
    table.rows.push_back({{s ? slot_time(*s) : "", 0, false}, {"", double(m.table_no), true}, {name_of(l, m.a_id), 0, false},
                          {name_of(l, m.b_id), 0, false}, {m.locked ? "固定" : "", 0, false}});
  }
  return callweb::xlsx_download(app, request, "面談スケジュール（" + l.event.title + "）", std::move(table), "面談スケジュール.xlsx");
}

}  // namespace
}  // namespace kakehashi::web::eventsweb

namespace kakehashi::web {
using namespace eventsweb;  // NOLINT: the screens of this file

void register_events_match_routes(Application& app) {
  using auth::Action;
  const RouteOptions form{.required = Action::kManageEvents, .body = BodyKind::kForm};
  app.get("/events/{id}/matchmaking", {.required = Action::kManageEvents}, show);
  app.post("/events/{id}/matchmaking/grid", form, set_grid);
  app.post("/events/{id}/matchmaking/run", form, run);
  app.post("/events/{id}/matchmaking/meetings/{meeting}/lock", form, lock);
  app.post("/events/{id}/matchmaking/publish", form, publish);
  app.get("/events/{id}/matchmaking/tables.pdf", {.required = Action::kManageEvents}, tables_pdf);
  app.get("/events/{id}/matchmaking/schedule.xlsx", {.required = Action::kManageEvents}, schedule_xlsx);
}

}  // namespace kakehashi::web
