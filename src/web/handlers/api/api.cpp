// JSON API under /api/ (errors share one body shape, see api_error_body) and the health check.
#include <boost/json.hpp>

#include "geo/geo.h"
#include "web/handlers/api/openapi.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web {

namespace {

// The health check for load balancers and monitoring: 200 while the database answers.
Response health(Application& app, Request&) {
  if (!db::ping(app.database())) {
    return Response::json(api_error_body("unavailable", "データベースに接続できません"),
                          http::status::service_unavailable);
  }
  return Response::json(R"({"status":"ok"})");
}

Response me(Application&, Request& request) {
  const auth::Principal& me = *request.principal;
  boost::json::array roles;
  for (auth::Role role : me.roles) roles.emplace_back(std::string(auth::role_id(role)));
  boost::json::object body{{"id", me.user_id}, {"name", me.name}, {"roles", roles}};
  if (me.organisation_id) body["organisation_id"] = *me.organisation_id;
  if (me.block_id) body["block_id"] = *me.block_id;
  return Response::json(boost::json::serialize(body));
}

Response blocks(Application&, Request&) {
  boost::json::array blocks;
  for (const auto& block : geo::blocks()) {
    boost::json::array prefectures;
    for (const auto* prefecture : block.prefectures) {
      prefectures.push_back(
          boost::json::object{{"code", prefecture->code}, {"name", prefecture->name}, {"bureau", prefecture->bureau}});
    }
    blocks.push_back(boost::json::object{
        {"id", block.id}, {"order", block.order}, {"name", block.name}, {"prefectures", prefectures}});
  }
  return Response::json(boost::json::serialize(boost::json::object{{"blocks", blocks}}));
}

// The OpenAPI 3.1 document of every /api/v1 endpoint, merged from the modules' fragments
// (web/handlers/api/openapi.h); public, so that tools can read it before they hold a token.
Response openapi(Application& app, Request& request) {
  const auto& text = openapi_json();
  if (!text) return app.error_response(request, text.error());
  return Response::json(*text);
}

}  // namespace

void register_api_routes(Application& app) {
  app.get("/healthz", {.public_route = true}, health);
  app.get("/api/v1/openapi.json", {.public_route = true}, openapi);
  app.get("/api/v1/me", {}, me);
  app.get("/api/v1/blocks", {.required = auth::Action::kViewGeography}, blocks);
}

}  // namespace kakehashi::web
