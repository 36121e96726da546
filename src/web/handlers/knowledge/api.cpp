// /api/v1/cases and /api/v1/lessons (issue 19): public routes. Without a token (or session)
// they answer published items only; with one, every item within the holder's reach
// (kViewKnowledge: the secretariat and METI all, an operator its organisation's, a bureau its
// bureau's blocks) plus every published item. An item out of reach answers 404 like a missing
// one. Described in openapi_knowledge.json next to this file.
#include <charconv>

#include <boost/json.hpp>

#include "knowledge/opendata.h"
#include "knowledge/service.h"
#include "web/handlers/api/list.h"
#include "web/handlers/knowledge/common.h"

namespace kakehashi::web {
namespace {

using knowledge::Kind;

bool in_scope(const Request& request) {
  return request.principal && auth::may(*request.principal, auth::Action::kViewKnowledge);
}

boost::json::object with_status(const knowledge::Item& item, const std::string& base, bool scoped) {
  boost::json::object o = boost::json::parse(knowledge::item_json(item, base)).as_object();
  if (scoped) o["status"] = knowledge::to_string(item.status);
  return o;
}

Response list(Application& app, Request& request, Kind kind) {
  auto page = api_page(request);
  if (!page) return app.error(request, http::status::bad_request, page.error().message);
  knowledge::SearchRequest s = knowweb::search_request(request, kind);
  s.page = page->page;
  s.per_page = page->per_page;
  bool scoped = in_scope(request);
  if (!scoped) s.status.reset();
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto result = scoped ? knowledge::search_for(**tx, *request.principal, s) : knowledge::search_published(**tx, s);
  if (!result) return app.error_response(request, result.error());
  boost::json::array items;
  for (const auto& hit : result->hits) {
    boost::json::object o = with_status(hit.item, app.config().public_url, scoped);
    o["snippet_html"] = hit.snippet_html;
    items.push_back(std::move(o));
  }
  return api_list(request, *page, result->total, std::move(items));
}

Response list_cases(Application& app, Request& request) { return list(app, request, Kind::kCase); }
Response list_lessons(Application& app, Request& request) { return list(app, request, Kind::kLesson); }

Response show(Application& app, Request& request, Kind kind) {
  auto it = request.params.find("id");
  std::int64_t id = 0;
  if (it == request.params.end()) return app.error(request, http::status::not_found);
  auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), id);
  if (ec != std::errc{} || end != it->second.data() + it->second.size() || id <= 0)
    return app.error(request, http::status::not_found);
  bool scoped = in_scope(request);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto item = scoped ? knowledge::find_item(**tx, *request.principal, id) : knowledge::find_published(**tx, id);
  if (!item) return app.error_response(request, item.error());
  if (!*item || (*item)->kind != kind) return app.error(request, http::status::not_found);
  return Response::json(boost::json::serialize(with_status(**item, app.config().public_url, scoped)));
}

Response show_case(Application& app, Request& request) { return show(app, request, Kind::kCase); }
Response show_lesson(Application& app, Request& request) { return show(app, request, Kind::kLesson); }

}  // namespace

void register_knowledge_api_routes(Application& app) {
  RouteOptions open{.public_route = true};
  app.get("/api/v1/cases", open, list_cases);
  app.get("/api/v1/cases/{id}", open, show_case);
  app.get("/api/v1/lessons", open, list_lessons);
  app.get("/api/v1/lessons/{id}", open, show_lesson);
}

}  // namespace kakehashi::web
