// JSON API of projects (issue 15): /api/v1/projects (with their sessions; filters operator,
// category, block, school_type; ?page=&per_page=, at most 200) and /api/v1/projects/{id}, with
// the reader's scope: lists hold only what the reader may see, an item out of reach is a 404.
// Described in openapi_projects.json.
#include <boost/json.hpp>
#include <fmt/format.h>

#include <charconv>
#include <map>

#include "operations/projects.h"
#include "web/handlers/call/common.h"
#include "web/handlers/operations/views_projects.h"

namespace kakehashi::web {
namespace {

namespace ops = operations;
namespace json = boost::json;

json::object project_json(const ops::Project& p, const std::vector<ops::Session>& sessions) {
  json::array parties;
  for (const auto& party : p.parties) {
    json::object o{{"kind", ops::to_string(party.kind)}, {"name", party.name}};
    o["school_type"] = party.school_type ? json::value(*party.school_type) : json::value(nullptr);
    o["prefecture_code"] = party.prefecture_code ? json::value(*party.prefecture_code) : json::value(nullptr);
    parties.push_back(std::move(o));
  }
  json::array list;
  for (const auto& s : sessions) {
    list.push_back(json::object{{"id", s.id},
                                {"held_on", s.held_on.iso()},
                                {"place", s.place},
                                {"pupils", s.pupils},
                                {"teachers", s.teachers},
                                {"company_staff", s.company_staff},
                                {"others", s.others},
                                {"note", s.note},
                                {"imported", s.source_key.has_value()}});
  }
  return json::object{{"id", p.id},
                      {"operator_id", p.operator_id},
                      {"block", p.block_id},
                      {"title", p.title},
                      {"category", ops::to_string(p.category)},
                      {"subtype", p.subtype},
                      {"continuity", ops::to_string(p.continuity)},
                      {"description", p.description},
                      {"parties", std::move(parties)},
                      {"sessions", std::move(list)},
                      {"created_at", p.created_at},
                      {"updated_at", p.updated_at}};
}

int int_param(const Request& request, std::string_view name, int fallback) {
  std::string text = request.query_param(name);
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return fallback;
  return value;
}

Response bad_request(const std::string& message) {
  return Response::json(api_error_body("invalid", message), http::status::unprocessable_entity);
}

Response list(Application& app, Request& request) {
  ops::ProjectFilter filter;
  if (std::string op = request.query_param("operator"); !op.empty()) {
    auto id = callweb::parse_id(op);
    if (!id) return bad_request("operator は実証事業者のIDです");
    filter.operator_id = *id;
  }
  filter.category = request.query_param("category");
  if (!filter.category.empty() && !ops::category_from(filter.category))
    return bad_request("category は hito, mono, kane のいずれかです");
  filter.block_id = request.query_param("block");
  filter.school_type = request.query_param("school_type");
  if (!filter.school_type.empty() && !ops::find_school_type(filter.school_type))
    return bad_request("school_type が正しくありません");
  int page = std::max(1, int_param(request, "page", 1));
  int per_page = std::clamp(int_param(request, "per_page", 50), 1, 200);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto result = ops::list_projects(**tx, *request.principal, filter, page, per_page);
  if (!result) return app.error_response(request, result.error());
  std::vector<std::int64_t> ids;
  for (const auto& p : result->items) ids.push_back(p.id);
  auto sessions = ops::sessions_of_projects(**tx, *request.principal, ids);
  if (!sessions) return app.error_response(request, sessions.error());
  std::map<std::int64_t, std::vector<ops::Session>> by_project;
  for (auto& s : *sessions) by_project[s.project_id].push_back(std::move(s));
  json::array items;
  for (const auto& p : result->items) items.push_back(project_json(p, by_project[p.id]));
  return Response::json(json::serialize(
      json::object{{"items", std::move(items)}, {"page", page}, {"per_page", per_page}, {"total", result->total}}));
}

Response item(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto p = ops::find_project(**tx, *request.principal, *id);
  if (!p) return app.error_response(request, p.error());
  if (!*p) return app.error(request, http::status::not_found);
  return Response::json(json::serialize(project_json(**p, (*p)->sessions)));
}

}  // namespace

void register_operations_project_api_routes(Application& app) {
  app.get("/api/v1/projects", {.required = auth::Action::kViewOperations}, list);
  app.get("/api/v1/projects/{id}", {.required = auth::Action::kViewOperations}, item);
}

}  // namespace kakehashi::web
