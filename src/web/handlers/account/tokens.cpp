// The signed-in person's own API tokens (auth/api_tokens.h): the list, making one (its secret
// shown once, on the page that answers the form) and revoking one after a confirmation page.
// Every person may hold tokens; a token acts with its holder's roles and scopes, nothing more.
#include <fmt/format.h>

#include "auth/api_tokens.h"
#include "base/date.h"
#include "notify/service.h"
#include "web/handlers/account/views.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web {
namespace {

using namespace accountweb;

constexpr std::string_view kTitle = "API トークン";
const std::vector<Breadcrumb> kCrumbs{{"ダッシュボード", "/"}, {std::string(kTitle), ""}};

TokenRow row_of(const auth::ApiToken& token, std::chrono::sys_seconds now) {
  return TokenRow{.id = token.id,
                  .name = token.name,
                  .created = tokyo_datetime(token.created_at),
                  .expires = tokyo_datetime(token.expires_at),
                  .last_used = token.last_used_at ? tokyo_datetime(*token.last_used_at) : "—",
                  .state = std::string(auth::token_state_label(token.state(now))),
                  .active = token.state(now) == auth::TokenState::kActive};
}

// The page with the person's tokens and `view`'s form (what was typed, problems, a new secret).
Response tokens_page(Application& app, Request& request, TokensView view, http::status status = http::status::ok) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto tokens = auth::list_api_tokens(**tx, request.principal->user_id);
  if (!tokens) return app.error_response(request, tokens.error());
  for (const auto& token : *tokens) view.tokens.push_back(row_of(token, app.clock().now()));
  view.has_tokens = !view.tokens.empty();
  view.max_days = auth::kMaxTokenDays;
  view.errors_present = !view.errors.empty();
  return app.page(request, std::string(kTitle), "account/tokens", view, kCrumbs, "", status);
}

// The person's own token of the path; anyone else's (or none) is 404.
std::expected<auth::ApiToken, Response> own_token(Application& app, Request& request) {
  const std::string& id = request.params["id"];
  if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos) {
    return std::unexpected(app.error(request, http::status::not_found));
  }
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return std::unexpected(app.error_response(request, tx.error()));
  auto token = auth::find_api_token(**tx, std::stoll(id));
  if (!token) return std::unexpected(app.error_response(request, token.error()));
  if (!*token || (*token)->user_id != request.principal->user_id) {
    return std::unexpected(app.error(request, http::status::not_found));
  }
  return **token;
}

Response show_tokens(Application& app, Request& request) { return tokens_page(app, request, {}); }

Response create_token(Application& app, Request& request) {
  auth::NewTokenForm form{request.field("name"), request.field("days")};
  TokensView view{.name = form.name, .days = form.days};
  auto problems = auth::check_new_token(form);
  for (const auto& problem : problems) {
    view.errors.push_back(problem.message);
    if (problem.field == "name") view.name_error = problem.message;
    if (problem.field == "days") view.days_error = problem.message;
  }
  if (!problems.empty()) return tokens_page(app, request, std::move(view), http::status::unprocessable_entity);
  auto issued = app.database().transact<auth::IssuedToken>(db::TxMode::kWrite, [&](db::Transaction& tx) -> Result<auth::IssuedToken> {
    auto now = app.clock().now();
    auto created = auth::create_api_token(tx, request.principal->user_id, form, audit::Actor::user(request.principal->user_id), now);
    if (!created) return created;
    // An important operation is told to the registered address (IPA 6-(ii)): a token someone
    // else issued with a stolen session is noticed.
    auto told = notify::notify_user(
        tx, request.principal->user_id, "API トークンが発行されました",
        fmt::format("API トークン「{}」が {} に発行されました（有効期限 {}）。\n"
                    "ご自身で発行していない場合は、すぐに次のページで失効させ、事務局にご連絡ください。",
                    created->token.name, tokyo_datetime(now), tokyo_datetime(created->token.expires_at)),
        "/account/tokens", now);
    if (!told) return fail(told.error());
    return created;
  });
  if (!issued) return app.error_response(request, issued.error());
  // The secret exists only in this answer (never in a notice, a URL or the log).
  return tokens_page(app, request,
                     TokensView{.created = CreatedToken{issued->token.name, issued->secret,
                                                        tokyo_datetime(issued->token.expires_at)}});
}

Response confirm_revoke(Application& app, Request& request) {
  auto token = own_token(app, request);
  if (!token) return std::move(token.error());
  TokenRevokeView view{row_of(*token, app.clock().now())};
  return app.page(request, "API トークンの失効", "account/token_revoke", view,
                  {kCrumbs[0], {std::string(kTitle), "/account/tokens"}, {"失効の確認", ""}});
}

Response revoke_token(Application& app, Request& request) {
  auto token = own_token(app, request);
  if (!token) return std::move(token.error());
  auto done = app.database().write([&](db::Transaction& tx) {
    return auth::revoke_api_token(tx, token->id, auth::Granter::person(*request.principal), app.clock().now());
  });
  if (!done) return app.error_response(request, done.error());
  return app.redirect_with_notice(request, "/account/tokens",
                                  fmt::format("API トークン「{}」を失効させました。", token->name));
}

}  // namespace

void register_account_settings_routes(Application& app);  // settings.cpp

void register_account_token_routes(Application& app) {
  register_account_settings_routes(app);
  app.add_nav_item({std::string(kTitle), "/account/tokens", std::nullopt});
  app.get("/account/tokens", {}, show_tokens);
  app.post("/account/tokens", {.body = BodyKind::kForm}, create_token);
  app.get("/account/tokens/{id}/revoke", {}, confirm_revoke);
  app.post("/account/tokens/{id}/revoke", {.body = BodyKind::kForm}, revoke_token);
}

}  // namespace kakehashi::web
