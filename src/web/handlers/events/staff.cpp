// The staff screens of events (issue 18): the list with numbers against the target band, the
// event form, the event page with its programme and costs. Also the module's periodic task (offer
// expiry), the home task (numbers of upcoming events) and the navigation entry.
#include <fmt/format.h>

#include "events/service.h"
#include "operations/service.h"
#include "web/handlers/call/common.h"
#include "web/handlers/events/common.h"

namespace kakehashi::web::eventsweb {
namespace {

EventRow row_of(const events::EventSummary& s, events::Instant now) {
  return {s.event.title,
          fmt::format("/events/{}", s.event.id),
          std::string(events::event_kind_label(s.event.kind)),
          when_label(s.event),
          events::place_label(s.event),
          s.event.published,
          attendance_view(s.event, s.counts, now)};
}

Response list_page(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto events = events::list_events(**tx, *request.principal);
  if (!events) return app.error_response(request, events.error());
  EventListView view;
  view.can_manage = auth::may(*request.principal, auth::Action::kManageEvents);
  for (const auto& s : *events) view.events.push_back(row_of(s, app.clock().now()));
  view.has_events = !view.events.empty();
  return app.page(request, "イベント", "events/list", view, {{"イベント", ""}}, "/events");
}

events::EventForm form_from(const Request& request) {
  return {request.field("kind"),
          request.field("title"),
          request.field("summary"),
          request.field("starts_at"),
          request.field("ends_at"),
          request.field("format"),
          request.field("prefecture"),
          request.field("venue"),
          request.field("address"),
          request.field("capacity"),
          request.field("registration_closes_at"),
          request.field("offer_hours"),
          request.field("cohost_name"),
          request.field("cohost_counting"),
          request.field("cohost_operator_id"),
          request.field("published") == "1",
          request.field("matchmaking") == "1",
          request.field("requests_open_at"),
          request.field("requests_close_at")};
}

events::EventForm form_of(const events::Event& e) {
  auto local = [](std::optional<events::Instant> at) { return at ? tokyo_datetime_local(*at) : std::string(); };
  return {std::string(events::to_string(e.kind)),
          e.title,
          e.summary,
          tokyo_datetime_local(e.starts_at),
          tokyo_datetime_local(e.ends_at),
          e.in_person && e.online ? "hybrid" : e.online ? "online" : "in_person",
          e.prefecture,
          e.venue,
          e.address,
          std::to_string(e.capacity),
          tokyo_datetime_local(e.registration_closes_at),
          std::to_string(e.offer_hours),
          e.cohost_name,
          std::string(events::to_string(e.cohost_counting)),
          e.cohost_operator_id ? std::to_string(*e.cohost_operator_id) : "",
          e.published,
          e.matchmaking,
          local(e.requests_open_at),
          local(e.requests_close_at)};
}

Response form_page(Application& app, Request& request, const events::EventForm& form,
                   const std::vector<events::FieldError>& errors, std::optional<events::Event> existing) {
  EventFormView view;
  view.heading = existing ? "イベントを編集" : "イベントを作成";
  view.action = existing ? fmt::format("/events/{}", existing->id) : "/events";
  view.errors = form_errors(errors);
  view.has_errors = !errors.empty();
  for (auto kind : {events::EventKind::kInterim, events::EventKind::kFinal}) {
    std::string id(events::to_string(kind));
    events::Band band = events::band_of(kind);
    view.kinds.push_back({id, fmt::format("{}（目標 {}〜{} 人）", events::event_kind_label(kind), band.low, band.high), form.kind == id});
  }
  view.title = form.title;
  view.summary = form.summary;
  view.starts_at = form.starts_at;
  view.ends_at = form.ends_at;
  view.formats = {{"in_person", "会場のみ", form.format == "in_person"},
                  {"hybrid", "会場とオンライン", form.format == "hybrid"},
                  {"online", "オンラインのみ", form.format == "online"}};
  view.prefectures = prefecture_options(form.prefecture, true);
  view.venue = form.venue;
  view.address = form.address;
  view.capacity = form.capacity;
  view.registration_closes_at = form.registration_closes_at;
  view.offer_hours = form.offer_hours;
  view.cohost_name = form.cohost_name;
  for (auto c : {events::Counting::kOurs, events::Counting::kPartner, events::Counting::kBoth}) {
    std::string id(events::to_string(c));
    view.countings.push_back({id, std::string(events::counting_label(c)), form.cohost_counting == id});
  }
  view.operators.push_back({"", "なし", form.cohost_operator_id.empty()});
  {
    auto tx = app.database().begin(db::TxMode::kRead);
    if (!tx) return app.error_response(request, tx.error());
    auto year = operations::current_programme(**tx);
    if (!year) return app.error_response(request, year.error());
    if (*year) {
      auto ops = operations::list_operators(**tx, *request.principal, **year);
      if (!ops) return app.error_response(request, ops.error());
      for (const auto& op : *ops) {
        std::string id = std::to_string(op.id);
        view.operators.push_back({id, op.name, form.cohost_operator_id == id});
      }
    }
  }
  view.published = form.published;
  view.matchmaking = form.matchmaking;
  view.requests_open_at = form.requests_open_at;
  view.requests_close_at = form.requests_close_at;
  view.kind_error = error_of(errors, "kind");
  view.title_error = error_of(errors, "title");
  view.summary_error = error_of(errors, "summary");
  view.starts_at_error = error_of(errors, "starts_at");
  view.ends_at_error = error_of(errors, "ends_at");
  view.format_error = error_of(errors, "format");
  view.prefecture_error = error_of(errors, "prefecture");
  view.venue_error = error_of(errors, "venue");
  view.address_error = error_of(errors, "address");
  view.capacity_error = error_of(errors, "capacity");
  view.registration_closes_at_error = error_of(errors, "registration_closes_at");
  view.offer_hours_error = error_of(errors, "offer_hours");
  view.cohost_name_error = error_of(errors, "cohost_name");
  view.cohost_counting_error = error_of(errors, "cohost_counting");
  view.cohost_operator_id_error = error_of(errors, "cohost_operator_id");
  view.requests_open_at_error = error_of(errors, "requests_open_at");
  view.requests_close_at_error = error_of(errors, "requests_close_at");
  std::vector<Breadcrumb> crumbs = existing ? event_crumbs(*existing, "編集") : std::vector<Breadcrumb>{{"イベント", "/events"}, {view.heading, ""}};
  return app.page(request, view.heading, "events/form", view, crumbs, "/events",
                  errors.empty() ? http::status::ok : http::status::unprocessable_entity);
}

Response new_event(Application& app, Request& request) {
  events::EventForm form;
  form.kind = "interim";
  form.format = "in_person";
  form.capacity = "150";
  form.offer_hours = "48";
  form.cohost_counting = "ours";
  return form_page(app, request, form, {}, std::nullopt);
}

Response create_event(Application& app, Request& request) {
  events::EventForm form = form_from(request);
  events::Event event;
  auto errors = events::read_event(form, event);
  if (errors.empty()) {
    auto tx = app.database().begin(db::TxMode::kWrite);
    if (!tx) return app.error_response(request, tx.error());
    auto id = events::create_event(**tx, *request.principal, event, app.clock().now());
    if (id) {
      if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
      return app.redirect_with_notice(request, fmt::format("/events/{}", *id), "イベントを作成しました。");
    }
    if (!callweb::is_refusal(id.error())) return app.error_response(request, id.error());
    errors.push_back({"cohost_operator_id", id.error().message});
  }
  return form_page(app, request, form, errors, std::nullopt);
}

Response edit_event(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto event = load_event(**tx, request);
  if (!event) return app.error_response(request, event.error());
  if (!*event) return app.error(request, http::status::not_found);
  tx->reset();
  return form_page(app, request, form_of(**event), {}, **event);
}

Response update_event(Application& app, Request& request) {
  events::EventForm form = form_from(request);
  std::vector<events::FieldError> errors;
  std::optional<events::Event> current;
  {
    auto tx = app.database().begin(db::TxMode::kWrite);
    if (!tx) return app.error_response(request, tx.error());
    auto event = load_event(**tx, request);
    if (!event) return app.error_response(request, event.error());
    if (!*event) return app.error(request, http::status::not_found);
    current = **event;
    events::Event changed = **event;
    errors = events::read_event(form, changed);
    if (errors.empty()) {
      auto done = events::update_event(**tx, *request.principal, changed, app.config().public_url, app.clock().now());
      if (done) {
        if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
        return app.redirect_with_notice(request, fmt::format("/events/{}", changed.id), "イベントを更新しました。");
      }
      if (!callweb::is_refusal(done.error())) return app.error_response(request, done.error());
      errors.push_back({"cohost_operator_id", done.error().message});
    }
  }
  return form_page(app, request, form, errors, current);
}

Response show_page(Application& app, Request& request, const std::vector<events::FieldError>& errors, bool from_form) {
  auto now = app.clock().now();
  {
    // Offers past their time pass on before the numbers are shown.
    auto tx = app.database().begin(db::TxMode::kRead);
    if (!tx) return app.error_response(request, tx.error());
    auto event = load_event(**tx, request);
    if (!event) return app.error_response(request, event.error());
    if (!*event) return app.error(request, http::status::not_found);
    auto due = events::has_due_offers(**tx, (*event)->id, now);
    if (!due) return app.error_response(request, due.error());
    tx->reset();
    if (*due) {
      auto expired = app.database().write([&](db::Transaction& w) -> Result<void> {
        auto n = events::expire_offers(w, (*event)->id, app.config().public_url, now);
        if (!n) return fail(n.error());
        return {};
      });
      if (!expired) return app.error_response(request, expired.error());
    }
  }
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto found = load_event(**tx, request);
  if (!found) return app.error_response(request, found.error());
  if (!*found) return app.error(request, http::status::not_found);
  const events::Event& event = **found;
  auto rights = events::access(**tx, *request.principal, event);
  if (!rights) return app.error_response(request, rights.error());
  auto counts = events::event_counts(**tx, event);
  if (!counts) return app.error_response(request, counts.error());
  auto sessions = events::programme(**tx, event.id);
  if (!sessions) return app.error_response(request, sessions.error());
  auto costs = events::costs(**tx, *request.principal, event);
  if (!costs) return app.error_response(request, costs.error());
  EventShowView view;
  view.id = event.id;
  view.title = event.title;
  view.kind = std::string(events::event_kind_label(event.kind));
  view.when = when_label(event);
  view.place = events::place_label(event);
  view.summary = nonempty(event.summary);
  view.closes = tokyo_datetime_japanese(event.registration_closes_at);
  view.offer_hours = std::to_string(event.offer_hours);
  if (!event.cohost_name.empty()) {
    view.cohost = fmt::format("{}（{}）", event.cohost_name, events::counting_label(event.cohost_counting));
  }
  view.public_url = public_url(app, event);
  view.published = event.published;
  view.can_manage = rights->manage;
  view.tabs = event_tabs(event, *rights, "overview");
  view.numbers = attendance_view(event, *counts, now);
  for (const auto& s : *sessions) {
    SessionRow row{s.id, s.starts, s.title, nonempty(s.speakers), nonempty(s.description), std::nullopt};
    if (rights->manage) row.delete_action = fmt::format("/events/{}/sessions/{}/delete", event.id, s.id);
    view.sessions.push_back(std::move(row));
  }
  view.has_sessions = !view.sessions.empty();
  std::int64_t total = 0;
  for (const auto& c : *costs) {
    view.costs.push_back({c.spent_on.japanese(), std::string(events::cost_category_label(c.category)), c.description,
                          yen(c.amount), c.expense_id.has_value()});
    total += c.amount;
  }
  view.has_costs = !view.costs.empty();
  view.cost_total = yen(total);
  std::string category = from_form ? request.field("category") : "venue";
  for (std::string_view c : events::kCostCategories) {
    view.cost_categories.push_back({std::string(c), std::string(events::cost_category_label(c)), c == category});
  }
  view.errors = form_errors(errors);
  view.has_errors = !errors.empty();
  if (from_form) {
    view.session_starts = request.field("starts");
    view.session_title = request.field("session_title");
    view.session_speakers = request.field("speakers");
    view.session_description = request.field("description");
    view.cost_description = request.field("cost_description");
    view.cost_amount = request.field("amount");
    view.cost_spent_on = request.field("spent_on");
  }
  if (view.cost_spent_on.empty()) view.cost_spent_on = tokyo_date(event.starts_at).iso();
  return app.page(request, event.title, "events/show", view, event_crumbs(event), "/events",
                  errors.empty() ? http::status::ok : http::status::unprocessable_entity);
}

Response show_event(Application& app, Request& request) { return show_page(app, request, {}, false); }

Response add_session(Application& app, Request& request) {
  events::ProgrammeSession session;
  auto errors = events::read_session(request.field("starts"), request.field("session_title"), request.field("speakers"),
                                     request.field("description"), session);
  if (errors.empty()) {
    auto tx = app.database().begin(db::TxMode::kWrite);
    if (!tx) return app.error_response(request, tx.error());
    auto event = load_event(**tx, request);
    if (!event) return app.error_response(request, event.error());
    if (!*event) return app.error(request, http::status::not_found);
    auto id = events::add_session(**tx, *request.principal, **event, session, app.clock().now());
    if (!id) return app.error_response(request, id.error());
    if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
    return app.redirect_with_notice(request, fmt::format("/events/{}#programme", (*event)->id),
                                    fmt::format("プログラムに「{}」を追加しました。", session.title));
  }
  return show_page(app, request, errors, true);
}

Response delete_session(Application& app, Request& request) {
  auto session_id = callweb::id_param(request, "session");
  if (!session_id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto event = load_event(**tx, request);
  if (!event) return app.error_response(request, event.error());
  if (!*event) return app.error(request, http::status::not_found);
  if (auto done = events::delete_session(**tx, *request.principal, **event, *session_id, app.clock().now()); !done)
    return app.error_response(request, done.error());
  if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
  return app.redirect_with_notice(request, fmt::format("/events/{}#programme", (*event)->id), "プログラムから削除しました。");
}

Response add_cost(Application& app, Request& request) {
  events::Cost cost;
  auto errors = events::read_cost(request.field("category"), request.field("cost_description"), request.field("amount"),
                                  request.field("spent_on"), cost);
  if (errors.empty()) {
    auto tx = app.database().begin(db::TxMode::kWrite);
    if (!tx) return app.error_response(request, tx.error());
    auto event = load_event(**tx, request);
    if (!event) return app.error_response(request, event.error());
    if (!*event) return app.error(request, http::status::not_found);
    auto id = events::add_cost(**tx, *request.principal, **event, cost, app.clock().now());
    if (!id) {
      if (!callweb::is_refusal(id.error())) return app.error_response(request, id.error());
      errors.push_back({"amount", id.error().message});
    } else {
      if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
      return app.redirect_with_notice(request, fmt::format("/events/{}#costs", (*event)->id),
                                      "費用を記録しました（事業の予算の支出にも計上しました）。");
    }
  }
  return show_page(app, request, errors, true);
}

}  // namespace
}  // namespace kakehashi::web::eventsweb

namespace kakehashi::web {
using namespace eventsweb;  // NOLINT: the screens of this file

void register_events_routes(Application& app) {
  using auth::Action;
  app.get("/events", {.required = Action::kViewEvents}, list_page);
  app.get("/events/new", {.required = Action::kManageEvents}, new_event);
  app.post("/events", {.required = Action::kManageEvents, .body = BodyKind::kForm}, create_event);
  app.get("/events/{id}", {.required = Action::kViewEvents}, show_event);
  app.get("/events/{id}/edit", {.required = Action::kManageEvents}, edit_event);
  app.post("/events/{id}", {.required = Action::kManageEvents, .body = BodyKind::kForm}, update_event);
  app.post("/events/{id}/sessions", {.required = Action::kManageEvents, .body = BodyKind::kForm}, add_session);
  app.post("/events/{id}/sessions/{session}/delete", {.required = Action::kManageEvents, .body = BodyKind::kForm},
           delete_session);
  app.post("/events/{id}/costs", {.required = Action::kManageEvents, .body = BodyKind::kForm}, add_cost);
  app.add_nav_item({"イベント", "/events", Action::kViewEvents});
  // Offers not taken in time pass to the next in line, also while nobody looks.
  app.add_periodic("events.offers", std::chrono::minutes(1), [&app]() -> Result<void> {
    return app.database().write([&](db::Transaction& tx) -> Result<void> {
      auto expired = events::expire_offers(tx, std::nullopt, app.config().public_url, app.clock().now());
      if (!expired) return fail(expired.error());
      return events::purge_form_hits(tx, app.clock().now());
    });
  });
  // The role's home: upcoming events with their numbers against the band (in person and online).
  app.add_home_tasks([](db::Transaction& tx, const auth::Principal& who, std::chrono::sys_seconds now)
                         -> Result<std::vector<HomeTask>> {
    std::vector<HomeTask> tasks;
    if (!auth::may(who, auth::Action::kViewEvents)) return tasks;
    auto upcoming = events::list_upcoming_events(tx, &who, now, 3);
    if (!upcoming) return fail(upcoming.error());
    for (const auto& u : *upcoming) {
      auto event = events::find_event(tx, who, u.id);
      if (!event) return fail(event.error());
      if (!*event) continue;
      auto counts = events::event_counts(tx, **event);
      if (!counts) return fail(counts.error());
      events::Band band = events::band_of(u.kind);
      std::string section = who.has(auth::Role::kSecretariat) ? "secretariat"
                            : who.has(auth::Role::kMeti)      ? "meti"
                            : who.has(auth::Role::kBureau)    ? "bureau"
                                                              : "operator";
      std::string text = fmt::format("{}：参加確定 {} 人（会場 {}・オンライン {}）／目標 {}〜{} 人", u.title, counts->confirmed,
                                     counts->confirmed_in_person, counts->confirmed_online, band.low, band.high);
      if (now >= u.starts_at) {
        text = fmt::format("{}：出席 {} 人（会場 {}・オンライン {}）／目標 {}〜{} 人", u.title, counts->attended,
                           counts->attended_in_person, counts->attended_online, band.low, band.high);
      }
      tasks.push_back({section, text, fmt::format("/events/{}", u.id), u.starts_at, counts->confirmed < band.low});
    }
    return tasks;
  });
}

}  // namespace kakehashi::web
