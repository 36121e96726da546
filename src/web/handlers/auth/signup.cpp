// An operator's sign-up, confirmed by e-mail (issue 13, items 4 and 5). POST /signup answers the
// same page whatever the address: a new one gets a confirmation link (24 hours), one with an
// account gets a mail saying so, with links to log in or reset the password. The link opens a
// confirmation page whose button (a POST, so mail scanners that fetch links make no account)
// creates the organisation and the user and signs in.
#include <fmt/format.h>

#include "auth/password.h"
#include "auth/self_service.h"
#include "base/date.h"
#include "base/text.h"
#include "notify/service.h"
#include "web/handlers/auth/common.h"
#include "web/handlers/auth/views.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web {
namespace {

using authweb::LinkInvalidView;
using authweb::MailSentView;
using authweb::SignupConfirmView;
using authweb::SignupView;
using authweb::site_url;
using authweb::visitor_page;

const std::vector<Breadcrumb> kCrumbs{{"公募情報", "/calls"}, {"事業者アカウントの作成", ""}};

Response signup_form(Application& app, Request& request, SignupView view, http::status status) {
  view.next = safe_next_path(view.next);
  return visitor_page(app, request, "事業者アカウントの作成", "auth/signup", view, kCrumbs, status);
}

mail::Message confirmation_mail(const Application& app, const auth::SignupTicket& ticket) {
  std::string body = fmt::format(
      "{} 様\n\n"
      "架け橋 Kakehashi（令和8年度「未来の教室」産学連携事業）への事業者アカウントの登録を受け付けました。\n"
      "次のリンクを開き、表示される画面で「アカウントを作成する」を押すと登録が完了します。\n\n"
      "{}/signup/confirm?token={}\n\n"
      "このリンクの有効期限は {}（24 時間）です。期限を過ぎた場合は、もう一度登録してください。\n\n"
      "団体名: {}\n"
      "メールアドレス: {}\n",
      ticket.name, site_url(app), ticket.token, tokyo_datetime_japanese(ticket.expires_at), ticket.organisation,
      ticket.email);
  return {ticket.email, std::string(notify::kSubjectPrefix) + "メールアドレスの確認（事業者アカウントの登録）", body};
}

mail::Message already_registered_mail(const Application& app, const auth::SignupTicket& ticket) {
  std::string body = fmt::format(
      "{} 様\n\n"
      "このメールアドレスで、架け橋 Kakehashi の事業者アカウントの登録が申し込まれました。\n"
      "このメールアドレスのアカウントはすでにあるため、新しいアカウントは作成していません。\n\n"
      "ログインはこちら:\n{}/login\n\n"
      "パスワードをお忘れの場合は、こちらから再設定できます:\n{}/password/forgot\n\n"
      "同じ団体の担当者を追加したい場合は、事務局にお問い合わせください。\n"
      "お心当たりのない場合は、このメールを破棄してください。アカウントは変更されていません。\n",
      ticket.name, site_url(app), site_url(app));
  return {ticket.email, std::string(notify::kSubjectPrefix) + "事業者アカウントの登録について", body};
}

Response show_signup(Application& app, Request& request) {
  if (request.principal) return Response::redirect(safe_next_path(request.query_param("next")));
  return signup_form(app, request, {.next = request.query_param("next")}, http::status::ok);
}

Response sign_up(Application& app, Request& request) {
  if (request.principal) return Response::redirect("/");
  auth::SignupForm form{request.field("organisation"), request.field("name"), request.field("email"),
                        request.field("password"), safe_next_path(request.field("next"))};
  SignupView view{.organisation = form.organisation, .name = form.name, .email = form.email, .next = form.next_path};
  auto problems = auth::check_signup_form(form);
  if (!problems.empty()) {
    for (const auto& problem : problems) view.problems.add(problem.field, problem.message);
    view.error_summary = view.problems.summary();
    return signup_form(app, request, std::move(view), http::status::unprocessable_entity);
  }
  auto now = app.clock().now();
  // The limits first, so that a flood is refused before any Argon2id work.
  auto counted = app.database().write([&](db::Transaction& tx) {
    return auth::count_request(tx, auth::RequestKind::kSignup, request.remote_address, form.email, now,
                               app.config().self_service);
  });
  if (!counted) {
    if (counted.error().code != ErrorCode::kRateLimited) return app.error_response(request, counted.error());
    view.refusal = counted.error().message;
    return signup_form(app, request, std::move(view), http::status::too_many_requests);
  }
  // Hashed outside any transaction, under a password slot, and for every address alike (the
  // answer takes as long).
  auto slot = app.admit(request, WorkKind::kPassword);
  if (!slot) return app.busy(request, WorkKind::kPassword);
  auto hash = auth::hash_password(form.password);
  slot.reset();
  if (!hash) return app.error_response(request, hash.error());
  auto queued = app.database().write([&](db::Transaction& tx) -> Result<void> {
    auto ticket = auth::request_signup(tx, form, *hash, now);
    if (!ticket) return fail(ticket.error());
    mail::Message message = ticket->mail == auth::SignupMail::kConfirm ? confirmation_mail(app, *ticket)
                                                                       : already_registered_mail(app, *ticket);
    auto id = notify::queue_mail(tx, message, now);
    if (!id) return fail(id.error());
    return {};
  });
  if (!queued) return app.error_response(request, queued.error());
  MailSentView sent{"確認メールを送信しました", std::string(text::trim(form.email)), "登録を完了するためのリンク",
                    "24 時間", "/signup", "もう一度登録する"};
  return visitor_page(app, request, "確認メールを送信しました", "auth/mail_sent", sent, kCrumbs, http::status::ok);
}

Response link_invalid(Application& app, Request& request) {
  LinkInvalidView view{"このリンクは使えません",
                       "確認リンクが正しくないか、有効期限（24 時間）が切れているか、すでに使われています。"
                       "お手数ですが、もう一度登録してください。",
                       "/signup", "事業者アカウントの作成へ"};
  return app.page(request, "このリンクは使えません", "auth/link_invalid", view, kCrumbs, "", http::status::not_found);
}

Response confirm_form(Application& app, Request& request, const std::string& token, const auth::PendingSignup& pending,
                      SignupConfirmView view, http::status status) {
  view.token = token;
  view.name = pending.name;
  view.email = pending.email;
  view.expires = tokyo_datetime_japanese(pending.expires_at);
  return visitor_page(app, request, "事業者アカウントの作成（確認）", "auth/signup_confirm", view, kCrumbs, status);
}

Result<std::optional<auth::PendingSignup>> pending_of(Application& app, const std::string& token) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return fail(tx.error());
  return auth::find_pending_signup(**tx, token, app.clock().now());
}

Response show_confirm(Application& app, Request& request) {
  std::string token = request.query_param("token");
  auto pending = pending_of(app, token);
  if (!pending) return app.error_response(request, pending.error());
  if (!*pending) return link_invalid(app, request);
  return confirm_form(app, request, token, **pending, {.organisation = (*pending)->organisation}, http::status::ok);
}

Response confirm(Application& app, Request& request) {
  std::string token = request.field("token");
  std::string organisation = request.field("organisation");
  auto pending = pending_of(app, token);
  if (!pending) return app.error_response(request, pending.error());
  if (!*pending) return link_invalid(app, request);
  auto confirmed = app.database().transact<auth::ConfirmedSignup>(db::TxMode::kWrite, [&](db::Transaction& tx) {
    return auth::confirm_signup(tx, token, organisation, app.clock().now());
  });
  if (!confirmed) {
    const Error& error = confirmed.error();
    if (error.code == ErrorCode::kNotFound) return link_invalid(app, request);
    SignupConfirmView view{.organisation = organisation};
    if (error.code == ErrorCode::kConflict) {
      view.refusal = error.message;  // the address got an account meanwhile
    } else if (error.code == ErrorCode::kInvalidArgument) {
      view.problems.add("organisation", error.message);
      view.error_summary = view.problems.summary();
    } else {
      return app.error_response(request, error);
    }
    return confirm_form(app, request, token, **pending, std::move(view), http_status(error.code));
  }
  std::string next = safe_next_path(confirmed->next_path);
  Response response;
  if (auto signed_in = app.sign_in(request, response, confirmed->user_id); !signed_in) {
    return app.error_response(request, signed_in.error());
  }
  Response notice = app.redirect_with_notice(request, next == "/" ? "/my/applications" : next,
                                             "事業者アカウントを作成しました。公募情報から申請書の作成を始められます。");
  for (auto& header : response.headers) notice.headers.push_back(header);
  return notice;
}

}  // namespace

void register_signup_routes(Application& app) {
  app.get("/signup", {.public_route = true}, show_signup);
  app.post("/signup", {.public_route = true, .body = BodyKind::kForm}, sign_up);
  app.get("/signup/confirm", {.public_route = true}, show_confirm);
  app.post("/signup/confirm", {.public_route = true, .body = BodyKind::kForm}, confirm);
}

}  // namespace kakehashi::web
