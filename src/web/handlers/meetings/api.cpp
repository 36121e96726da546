// /api/v1/meetings (issue 17): the meetings the holder may see with their minutes deadline on the
// government calendar, the minutes' state, when the materials went out and the flags; one
// meeting with its agenda and action items; and the action items of every visible meeting.
// Described in openapi_meetings.json.
#include <fmt/format.h>

#include <boost/json.hpp>

#include "web/handlers/api/list.h"
#include "web/handlers/call/common.h"
#include "web/handlers/meetings/common.h"

namespace kakehashi::web {
namespace meetingsweb {
namespace {

boost::json::value optional_text(const std::optional<std::string>& s) {
  return s ? boost::json::value(*s) : boost::json::value(nullptr);
}

boost::json::object action_json(const meetings::ActionItem& a) {
  boost::json::object o{{"id", a.id},
                        {"meeting_id", a.meeting_id},
                        {"title", a.title},
                        {"owner", a.owner_name},
                        {"status", a.status == meetings::ActionStatus::kOpen ? "open" : "closed"}};
  o["owner_user_id"] = a.owner_user_id ? boost::json::value(*a.owner_user_id) : boost::json::value(nullptr);
  o["due_on"] = a.due_on ? boost::json::value(a.due_on->iso()) : boost::json::value(nullptr);
  o["closed_at"] = optional_text(a.closed_at);
  if (!a.history.empty()) {
    boost::json::array h;
    for (const auto& e : a.history) {
      boost::json::object eo{{"kind", e.kind}, {"note", e.note}, {"at", e.at}};
      eo["meeting_id"] = e.meeting_id ? boost::json::value(*e.meeting_id) : boost::json::value(nullptr);
      h.push_back(std::move(eo));
    }
    o["history"] = std::move(h);
  }
  return o;
}

Result<boost::json::object> meeting_json(db::Transaction& tx, const meetings::Meeting& m, std::chrono::sys_seconds now) {
  auto agenda = meetings::agenda_of(tx, m.id);
  if (!agenda) return fail(agenda.error());
  boost::json::array flags;
  for (const auto& f : meetings::flags(m, meetings::total_minutes(*agenda), now)) flags.emplace_back(meetings::to_string(f.kind));
  boost::json::object o{{"id", m.id},
                        {"title", m.title},
                        {"series", meetings::to_string(m.kind)},
                        {"starts_at", iso_utc(m.starts_at)},
                        {"ends_at", iso_utc(m.ends_at())},
                        {"duration_minutes", m.duration_minutes},
                        {"place", m.place},
                        {"online_url", m.online_url},
                        {"cancelled", m.cancelled()},
                        {"day_note", m.day_note},
                        {"minutes_due", m.minutes_due.iso()},
                        {"minutes_state", meetings::to_string(m.minutes_state)},
                        {"flags", flags},
                        {"agenda_minutes", meetings::total_minutes(*agenda)}};
  o["series_id"] = m.series_id ? boost::json::value(*m.series_id) : boost::json::value(nullptr);
  o["materials_sent_at"] = m.materials_sent_at ? boost::json::value(iso_utc(*m.materials_sent_at)) : boost::json::value(nullptr);
  return o;
}

std::optional<std::chrono::sys_seconds> day_start(const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto d = Date::parse(text);
  if (!d) return std::nullopt;
  return std::chrono::sys_seconds{d->sys_days()} - kJapanOffset;
}

Response meetings_json(Application& app, Request& request) {
  auto page = api_page(request);
  if (!page) return app.error(request, http::status::bad_request, page.error().message);
  std::string from_text = request.query_param("from"), to_text = request.query_param("to");
  auto from = day_start(from_text), to = day_start(to_text);
  if ((!from_text.empty() && !from) || (!to_text.empty() && !to))
    return app.error(request, http::status::bad_request, "from と to は 2026-12-25 の形で指定してください");
  if (to) *to += std::chrono::days{1};
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto list = meetings::list_meetings(**tx, *request.principal, from, to);
  if (!list) return app.error_response(request, list.error());
  boost::json::array items;
  const auto now = app.clock().now();
  for (std::size_t i = std::size_t(page->offset()); i < list->size() && items.size() < std::size_t(page->per_page); ++i) {
    auto o = meeting_json(**tx, (*list)[i], now);
    if (!o) return app.error_response(request, o.error());
    items.push_back(std::move(*o));
  }
  return api_list(request, *page, std::int64_t(list->size()), std::move(items));
}

Response meeting_detail_json(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto m = load_meeting(**tx, request);
  if (!m) return app.error_response(request, m.error());
  if (!*m) return app.error(request, http::status::not_found);
  auto o = meeting_json(**tx, **m, app.clock().now());
  if (!o) return app.error_response(request, o.error());
  auto agenda = meetings::agenda_of(**tx, (*m)->id);
  if (!agenda) return app.error_response(request, agenda.error());
  boost::json::array a;
  for (const auto& i : *agenda) {
    boost::json::object io{{"title", i.title}, {"owner", i.owner_name}, {"minutes", i.minutes}, {"link_kind", i.link_kind}};
    io["link_id"] = i.link_id ? boost::json::value(*i.link_id) : boost::json::value(nullptr);
    a.push_back(std::move(io));
  }
  (*o)["agenda"] = std::move(a);
  auto people = meetings::attendees_of(**tx, (*m)->id);
  if (!people) return app.error_response(request, people.error());
  boost::json::array att;
  for (const auto& p : *people) att.emplace_back(p.name);
  (*o)["attendees"] = std::move(att);
  boost::json::array items;
  auto carried = meetings::carried_over(**tx, **m);
  if (!carried) return app.error_response(request, carried.error());
  auto own = meetings::action_items_of(**tx, **m);
  if (!own) return app.error_response(request, own.error());
  for (const auto& i : *carried) items.push_back(action_json(i));
  for (const auto& i : *own) items.push_back(action_json(i));
  (*o)["action_items"] = std::move(items);
  return Response::json(boost::json::serialize(*o));
}

Response action_items_json(Application& app, Request& request) {
  auto page = api_page(request);
  if (!page) return app.error(request, http::status::bad_request, page.error().message);
  std::string status = request.query_param("status");
  if (!status.empty() && status != "open" && status != "all")
    return app.error(request, http::status::bad_request, "status は open か all を指定してください");
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto list = meetings::visible_action_items(**tx, *request.principal, status != "all");
  if (!list) return app.error_response(request, list.error());
  boost::json::array items;
  for (std::size_t i = std::size_t(page->offset()); i < list->size() && items.size() < std::size_t(page->per_page); ++i)
    items.push_back(action_json((*list)[i]));
  return api_list(request, *page, std::int64_t(list->size()), std::move(items));
}

}  // namespace
}  // namespace meetingsweb

void register_meetings_api_routes(Application& app) {
  using namespace meetingsweb;
  const RouteOptions view{.required = auth::Action::kViewMeetings};
  app.get("/api/v1/meetings", view, meetings_json);
  app.get("/api/v1/meetings/{id}", view, meeting_detail_json);
  app.get("/api/v1/meeting-action-items", view, action_items_json);
}

}  // namespace kakehashi::web
