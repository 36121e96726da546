// Login and logout.
#include "auth/sessions.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web {
namespace {

Response login_page(Application& app, Request& request, const std::string& email, const std::string& error,
                    const std::string& next, http::status status) {
  Response response;
  auto session = app.ensure_session(request, response);
  if (!session) return app.error(request, http::status::internal_server_error);
  View content;
  content.set("email", email);
  content.set("next", safe_next_path(next));
  if (!error.empty()) content.set("error", error);
  if (request.query_param("logged_out") == "1") {
    View flash;
    flash.set("kind", "success");
    flash.set("message", "ログアウトしました。");
    content.set("flash", flash);
  }
  Response page = app.page(request, "ログイン", "auth/login", content, {}, "", status);
  for (auto& header : response.headers) page.headers.push_back(header);
  return page;
}

}  // namespace

void register_auth_routes(Application& app) {
  app.router().get("/login", {.public_route = true}, [&app](Request& request) {
    std::string next = request.query_param("next");
    if (request.principal) return Response::redirect(safe_next_path(next));
    return login_page(app, request, "", "", next, http::status::ok);
  });

  app.router().post("/login", {.public_route = true, .body = BodyKind::kForm}, [&app](Request& request) {
    std::string email = request.field("email");
    std::string next = request.field("next");
    if (email.empty() || request.field("password").empty()) {
      return login_page(app, request, email, "メールアドレスとパスワードを入力してください", next,
                        http::status::bad_request);
    }
    auto outcome = auth::login(app.database(), email, request.field("password"), request.remote_address,
                               app.clock().now(), app.config().sessions);
    if (!outcome) return app.error(request, http::status::internal_server_error);
    if (outcome->status != auth::LoginStatus::kSuccess) {
      auto status = outcome->status == auth::LoginStatus::kLocked ? http::status::too_many_requests
                                                                  : http::status::unauthorized;
      return login_page(app, request, email, outcome->message, next, status);
    }
    Response response = Response::redirect(safe_next_path(next));
    if (!app.sign_in(request, response, *outcome->user_id)) return app.error(request, http::status::internal_server_error);
    return response;
  });

  app.router().post("/logout", {.body = BodyKind::kForm}, [&app](Request& request) {
    Response response = Response::redirect("/login?logged_out=1");
    if (!app.sign_out(request, response)) return app.error(request, http::status::internal_server_error);
    return response;
  });
}

}  // namespace kakehashi::web
