// Login and logout.
#include "auth/sessions.h"
#include "web/handlers/auth/views.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web {
namespace {

using authweb::LoginView;

Response login_page(Application& app, Request& request, LoginView view, http::status status) {
  Response response;
  auto session = app.ensure_session(request, response);
  if (!session) return app.error_response(request, session.error());
  view.next = safe_next_path(view.next);
  if (request.query_param("logged_out") == "1") view.flash = Notice{"success", "ログアウトしました。"};
  Response page = app.page(request, "ログイン", "auth/login", view, {}, "", status);
  for (auto& header : response.headers) page.headers.push_back(header);
  return page;
}

Response show_login(Application& app, Request& request) {
  std::string next = request.query_param("next");
  if (request.principal) return Response::redirect(safe_next_path(next));
  return login_page(app, request, {.next = next}, http::status::ok);
}

Response log_in(Application& app, Request& request) {
  LoginView view{.email = request.field("email"), .next = request.field("next")};
  if (view.email.empty() || request.field("password").empty()) {
    view.error = "メールアドレスとパスワードを入力してください";
    return login_page(app, request, std::move(view), http::status::bad_request);
  }
  // Argon2id: bounded per address and overall (web/work_limits.h), held only while it runs.
  auto slot = app.admit(request, WorkKind::kPassword);
  if (!slot) return app.busy(request, WorkKind::kPassword);
  auto outcome = auth::login(app.database(), view.email, request.field("password"), request.remote_address,
                             app.clock().now(), app.config().sessions);
  slot.reset();
  if (!outcome) return app.error_response(request, outcome.error());
  if (outcome->status != auth::LoginStatus::kSuccess) {
    bool refused = outcome->status == auth::LoginStatus::kLocked || outcome->status == auth::LoginStatus::kThrottled;
    view.error = outcome->message;
    Response page = login_page(app, request, std::move(view),
                               refused ? http::status::too_many_requests : http::status::unauthorized);
    if (refused) page.with_header("Retry-After", std::to_string(outcome->retry_after.count()));
    return page;
  }
  // Sessions past their timeouts are removed now and then (until the server's periodic hook
  // does it); a successful login is a good moment.
  (void)auth::purge_expired_sessions(app.database(), app.clock().now(), app.config().sessions);
  Response response = Response::redirect(safe_next_path(view.next));
  if (auto signed_in = app.sign_in(request, response, *outcome->user_id); !signed_in) {
    return app.error_response(request, signed_in.error());
  }
  return response;
}

Response log_out(Application& app, Request& request) {
  Response response = Response::redirect("/login?logged_out=1");
  if (auto signed_out = app.sign_out(request, response); !signed_out) return app.error_response(request, signed_out.error());
  return response;
}

}  // namespace

void register_auth_routes(Application& app) {
  app.get("/login", {.public_route = true}, show_login);
  app.post("/login", {.public_route = true, .body = BodyKind::kForm}, log_in);
  app.post("/logout", {.body = BodyKind::kForm}, log_out);
}

}  // namespace kakehashi::web
