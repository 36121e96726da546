// /api/v1/events: events with their counts and public registration page, within the holder's
// reach (events/service.h), and POST /api/v1/events for the secretariat (kManageEvents), so that
// a ministry's own tools can create interim events. A Bearer token is exempt from CSRF; a
// cookie-authenticated POST still needs the CSRF token. Described in openapi_events.json.
#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "events/service.h"
#include "web/handlers/api/list.h"
#include "web/handlers/call/common.h"
#include "web/handlers/events/common.h"

namespace kakehashi::web::eventsweb {
namespace {

boost::json::value optional_time(const std::optional<events::Instant>& at) {
  if (!at) return nullptr;
  return boost::json::value(iso_utc(*at));
}

boost::json::object event_json(const Application& app, const events::Event& e, const events::Counts& c) {
  events::Band band = events::band_of(e.kind);
  return boost::json::object{
      {"id", e.id},
      {"kind", events::to_string(e.kind)},
      {"title", e.title},
      {"summary", e.summary},
      {"starts_at", iso_utc(e.starts_at)},
      {"ends_at", iso_utc(e.ends_at)},
      {"in_person", e.in_person},
      {"online", e.online},
      {"prefecture", e.prefecture},
      {"venue", e.venue},
      {"address", e.address},
      {"place", events::place_label(e)},
      {"capacity", e.capacity},
      {"registration_closes_at", iso_utc(e.registration_closes_at)},
      {"offer_hours", e.offer_hours},
      {"cohost_name", e.cohost_name},
      {"cohost_counting", events::to_string(e.cohost_counting)},
      {"published", e.published},
      {"matchmaking", e.matchmaking},
      {"requests_open_at", optional_time(e.requests_open_at)},
      {"requests_close_at", optional_time(e.requests_close_at)},
      {"target_band", boost::json::object{{"low", band.low}, {"high", band.high}}},
      {"registered", c.registered},
      {"confirmed", c.confirmed},
      {"waiting", c.waiting},
      {"attended", c.attended},
      {"attended_in_person", c.attended_in_person},
      {"attended_online", c.attended_online},
      {"public_url", public_url(app, e)},
  };
}

Response list_events(Application& app, Request& request) {
  auto page = api_page(request);
  if (!page) return app.error(request, http::status::bad_request, page.error().message);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto all = events::list_events(**tx, *request.principal);
  if (!all) return app.error_response(request, all.error());
  boost::json::array items;
  for (std::size_t i = static_cast<std::size_t>(page->offset());
       i < all->size() && items.size() < static_cast<std::size_t>(page->per_page); ++i) {
    items.push_back(event_json(app, (*all)[i].event, (*all)[i].counts));
  }
  return api_list(request, *page, static_cast<std::int64_t>(all->size()), std::move(items));
}

Response show_event(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto event = load_event(**tx, request);
  if (!event) return app.error_response(request, event.error());
  if (!*event) return app.error(request, http::status::not_found);
  auto counts = events::event_counts(**tx, **event);
  if (!counts) return app.error_response(request, counts.error());
  return Response::json(boost::json::serialize(event_json(app, **event, *counts)));
}

Response invalid(std::vector<events::FieldError> errors) {
  boost::json::array fields;
  for (const auto& e : errors) fields.push_back(boost::json::object{{"field", e.field}, {"message", e.message}});
  boost::json::object body{{"error", boost::json::object{{"code", "unprocessable"},
                                                         {"message", "入力内容を確認してください"},
                                                         {"fields", std::move(fields)}}}};
  return Response::json(boost::json::serialize(body), http::status::unprocessable_entity);
}

// The JSON request as the event form; every problem of type at once.
std::vector<events::FieldError> form_of_json(const boost::json::object& in, events::EventForm& form) {
  std::vector<events::FieldError> errors;
  static const std::set<std::string, std::less<>> kText = {
      "kind",        "title",       "summary",     "starts_at",       "ends_at",          "format",
      "prefecture",  "venue",       "address",     "registration_closes_at", "cohost_name", "cohost_counting",
      "requests_open_at", "requests_close_at"};
  static const std::set<std::string, std::less<>> kNumbers = {"capacity", "offer_hours", "cohost_operator_id"};
  static const std::set<std::string, std::less<>> kFlags = {"published", "matchmaking"};
  for (const auto& [key, value] : in) {
    std::string name(key);
    if (kText.contains(name)) {
      if (!value.is_string()) errors.push_back({name, fmt::format("{} は文字列で指定してください", name)});
    } else if (kNumbers.contains(name)) {
      if (!value.is_int64() && !value.is_null()) errors.push_back({name, fmt::format("{} は整数で指定してください", name)});
    } else if (kFlags.contains(name)) {
      if (!value.is_bool()) errors.push_back({name, fmt::format("{} は true か false で指定してください", name)});
    } else {
      errors.push_back({name, fmt::format("{} という項目はありません", name)});
    }
  }
  auto text = [&](const char* name) -> std::string {
    const auto* v = in.if_contains(name);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  auto number = [&](const char* name) -> std::string {
    const auto* v = in.if_contains(name);
    return v && v->is_int64() ? std::to_string(v->as_int64()) : std::string();
  };
  auto flag = [&](const char* name) {
    const auto* v = in.if_contains(name);
    return v && v->is_bool() && v->as_bool();
  };
  form = {text("kind"),        text("title"),        text("summary"),           text("starts_at"),
          text("ends_at"),     text("format").empty() ? "in_person" : text("format"), text("prefecture"),
          text("venue"),       text("address"),      number("capacity"),        text("registration_closes_at"),
          number("offer_hours"), text("cohost_name"), text("cohost_counting"),   number("cohost_operator_id"),
          flag("published"),   flag("matchmaking"),  text("requests_open_at"),  text("requests_close_at")};
  return errors;
}

Response create_event(Application& app, Request& request) {
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(request.body, ec);
  if (ec || !parsed.is_object()) {
    return invalid({{"", "本文は JSON のオブジェクトで送ってください（Content-Type: application/json）"}});
  }
  events::EventForm form;
  auto errors = form_of_json(parsed.as_object(), form);
  events::Event event;
  auto rules = events::read_event(form, event);
  for (auto& rule : rules) {
    // A field already reported for its type is not reported again for its value.
    bool typed = std::ranges::any_of(errors, [&](const events::FieldError& e) { return e.field == rule.field; });
    if (!typed) errors.push_back(std::move(rule));
  }
  if (!errors.empty()) return invalid(std::move(errors));
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto id = events::create_event(**tx, *request.principal, event, app.clock().now());
  if (!id) {
    if (callweb::is_refusal(id.error())) return invalid({{"cohost_operator_id", id.error().message}});
    return app.error_response(request, id.error());
  }
  if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
  auto read = app.database().begin(db::TxMode::kRead);
  if (!read) return app.error_response(request, read.error());
  auto created = events::find_event(**read, *request.principal, *id);
  if (!created || !*created) return app.error_response(request, created ? Error::internal("created event missing") : created.error());
  Response response = Response::json(boost::json::serialize(event_json(app, **created, {})), http::status::created);
  response.with_header("Location", fmt::format("/api/v1/events/{}", *id));
  return response;
}

}  // namespace
}  // namespace kakehashi::web::eventsweb

namespace kakehashi::web {
using namespace eventsweb;  // NOLINT: the screens of this file

void register_events_api_routes(Application& app) {
  using auth::Action;
  app.get("/api/v1/events", {.required = Action::kViewEvents}, list_events);
  app.get("/api/v1/events/{id}", {.required = Action::kViewEvents}, show_event);
  app.post("/api/v1/events", {.required = Action::kManageEvents, .body = BodyKind::kJson}, create_event);
}

}  // namespace kakehashi::web
