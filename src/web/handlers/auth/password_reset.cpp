// 「パスワードをお忘れの方」: a reset link by mail (issue 13, item 5). The request answers the same
// page whatever the address; only an active user's address gets a mail, with a one-time link
// valid 1 hour. Setting the new password ends every session of the user, is audited, and is told
// to the user's address by mail.
#include <fmt/format.h>

#include "auth/password.h"
#include "auth/self_service.h"
#include "base/date.h"
#include "base/text.h"
#include "mail/message.h"
#include "notify/service.h"
#include "web/handlers/auth/common.h"
#include "web/handlers/auth/views.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web {
namespace {

using authweb::FieldErrorItem;
using authweb::LinkInvalidView;
using authweb::MailSentView;
using authweb::PasswordForgotView;
using authweb::PasswordResetView;
using authweb::site_url;
using authweb::visitor_page;

const std::vector<Breadcrumb> kCrumbs{{"ログイン", "/login"}, {"パスワードの再設定", ""}};

mail::Message reset_mail(const Application& app, const auth::ResetTicket& ticket) {
  std::string body = fmt::format(
      "{} 様\n\n"
      "架け橋 Kakehashi のパスワード再設定を受け付けました。\n"
      "次のリンクを開き、新しいパスワードを設定してください。\n\n"
      "{}/password/reset?token={}\n\n"
      "このリンクの有効期限は {}（1 時間）で、一度だけ使えます。\n"
      "パスワードを再設定すると、ログイン中のすべての端末からログアウトします。\n"
      "お心当たりのない場合は、このメールを破棄してください。パスワードは変更されません。\n",
      ticket.name, site_url(app), ticket.token, tokyo_datetime_japanese(ticket.expires_at));
  return {ticket.email, std::string(notify::kSubjectPrefix) + "パスワード再設定のご案内", body};
}

mail::Message changed_mail(const Application& app, const auth::ResetFor& user, std::chrono::sys_seconds now) {
  std::string body = fmt::format(
      "{} 様\n\n"
      "架け橋 Kakehashi のパスワードが {} に再設定されました。ログイン中だった端末はすべてログアウトしています。\n\n"
      "ご自身で再設定した場合は、このメールへの対応は不要です。\n"
      "お心当たりのない場合は、すぐに次のページからパスワードを再設定し、事務局にご連絡ください。\n"
      "{}/password/forgot\n",
      user.name, tokyo_datetime_japanese(now), site_url(app));
  return {user.email, std::string(notify::kSubjectPrefix) + "パスワードが変更されました", body};
}

Response show_forgot(Application& app, Request& request) {
  return visitor_page(app, request, "パスワードの再設定", "auth/password_forgot", PasswordForgotView{}, kCrumbs,
                      http::status::ok);
}

Response request_reset(Application& app, Request& request) {
  PasswordForgotView view{.email = request.field("email")};
  std::string email(text::trim(view.email));
  if (email.empty() || !mail::is_valid_address(email)) {
    view.email_error = email.empty() ? "メールアドレスを入力してください" : "メールアドレスの形式が正しくありません";
    view.errors.push_back(FieldErrorItem{"email", *view.email_error});
    view.has_errors = true;
    return visitor_page(app, request, "パスワードの再設定", "auth/password_forgot", view,
                        kCrumbs, http::status::unprocessable_entity);
  }
  auto now = app.clock().now();
  // One transaction: the limits, the token (for an active user only) and its mail.
  auto queued = app.database().write([&](db::Transaction& tx) -> Result<void> {
    auto counted = auth::count_request(tx, auth::RequestKind::kPasswordReset, request.remote_address, email, now,
                                       app.config().self_service);
    if (!counted) return counted;
    auto ticket = auth::request_password_reset(tx, email, now);
    if (!ticket) return fail(ticket.error());
    if (!*ticket) return {};
    auto id = notify::queue_mail(tx, reset_mail(app, **ticket), now);
    if (!id) return fail(id.error());
    return {};
  });
  if (!queued) {
    if (queued.error().code != ErrorCode::kRateLimited) return app.error_response(request, queued.error());
    view.refusal = queued.error().message;
    return visitor_page(app, request, "パスワードの再設定", "auth/password_forgot", view, kCrumbs,
                        http::status::too_many_requests);
  }
  MailSentView sent{"再設定のメールを送信しました", email,
                    "パスワードを再設定するためのリンク（登録されているアドレスの場合）", "1 時間", "/login",
                    "ログイン画面へ戻る"};
  return visitor_page(app, request, "再設定のメールを送信しました", "auth/mail_sent", sent, kCrumbs, http::status::ok);
}

Response link_invalid(Application& app, Request& request) {
  LinkInvalidView view{"このリンクは使えません",
                       "再設定リンクが正しくないか、有効期限（1 時間）が切れているか、すでに使われています。"
                       "お手数ですが、もう一度再設定を申し込んでください。",
                       "/password/forgot", "パスワードの再設定へ"};
  return app.page(request, "このリンクは使えません", "auth/link_invalid", view, kCrumbs, "", http::status::not_found);
}

Result<std::optional<auth::ResetFor>> reset_of(Application& app, const std::string& token) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return fail(tx.error());
  return auth::find_password_reset(**tx, token, app.clock().now());
}

Response show_reset(Application& app, Request& request) {
  std::string token = request.query_param("token");
  auto found = reset_of(app, token);
  if (!found) return app.error_response(request, found.error());
  if (!*found) return link_invalid(app, request);
  return visitor_page(app, request, "新しいパスワードの設定", "auth/password_reset",
                      PasswordResetView{.token = token, .name = (*found)->name}, kCrumbs, http::status::ok);
}

Response reset(Application& app, Request& request) {
  std::string token = request.field("token");
  std::string password = request.field("password");
  // The token first: no Argon2id work for a link that is not valid.
  auto found = reset_of(app, token);
  if (!found) return app.error_response(request, found.error());
  if (!*found) return link_invalid(app, request);
  PasswordResetView view{.token = token, .name = (*found)->name};
  if (auto ok = auth::check_new_password(password); !ok) {
    view.password_error = ok.error().message;
    view.errors.push_back(FieldErrorItem{"password", *view.password_error});
  } else if (request.field("password_confirm") != password) {
    view.password_confirm_error = "確認のため、同じパスワードをもう一度入力してください";
    view.errors.push_back(FieldErrorItem{"password_confirm", *view.password_confirm_error});
  }
  if (!view.errors.empty()) {
    view.has_errors = true;
    return visitor_page(app, request, "新しいパスワードの設定", "auth/password_reset", view,
                        kCrumbs, http::status::unprocessable_entity);
  }
  // Outside any transaction, under a password slot (web/work_limits.h).
  auto slot = app.admit(request, WorkKind::kPassword);
  if (!slot) return app.busy(request, WorkKind::kPassword);
  auto hash = auth::hash_password(password);
  slot.reset();
  if (!hash) return app.error_response(request, hash.error());
  auto now = app.clock().now();
  auto done = app.database().transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) -> Result<std::int64_t> {
    auto user_id = auth::reset_password(tx, token, *hash, now);
    if (!user_id) return user_id;
    // IPA 6-(ii): an important change is told to the registered address.
    auto told = notify::queue_mail(tx, changed_mail(app, **found, now), now);
    if (!told) return fail(told.error());
    return user_id;
  });
  if (!done) {
    if (done.error().code == ErrorCode::kNotFound) return link_invalid(app, request);
    return app.error_response(request, done.error());
  }
  return app.redirect_with_notice(request, "/login", "パスワードを再設定しました。新しいパスワードでログインしてください。");
}

}  // namespace

void register_password_reset_routes(Application& app) {
  app.get("/password/forgot", {.public_route = true}, show_forgot);
  app.post("/password/forgot", {.public_route = true, .body = BodyKind::kForm}, request_reset);
  app.get("/password/reset", {.public_route = true}, show_reset);
  app.post("/password/reset", {.public_route = true, .body = BodyKind::kForm}, reset);
}

}  // namespace kakehashi::web
