// The close-out screen (issue 21, R7.5): the steps of `kakehashi close-out` in front of the
// security officer (the signing key's public half for METI, the package delivery the deletion
// waits for, the command to run with the server stopped), the deletion certificate once it has
// run (its signature checked here), and METI's confirmation of it.
//
// The deletion itself stays a command: it deletes every module's protected rows and the roster
// key, so it runs with the server stopped (like `migrate`), never inside a request.
#include <fmt/format.h>

#include "auth/policy.h"
#include "auth/users.h"
#include "compliance/closeout.h"
#include "docs/markdown.h"
#include "docs/pdf.h"
#include "web/content_disposition.h"
#include "web/handlers/call/common.h"
#include "web/handlers/compliance/views.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web::compliance_web {
namespace {

namespace cm = kakehashi::compliance;
using auth::Action;

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

Response closeout_page(Application& app, Request& request, CloseoutView view, bool refused) {
  const auth::Principal& who = *request.principal;
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto delivery = cm::package_delivery(**tx);
  if (!delivery) return app.error_response(request, delivery.error());
  auto record = cm::latest_closeout(**tx, who);
  if (!record) return app.error_response(request, record.error());
  std::vector<std::int64_t> ids;
  if (*delivery && (*delivery)->recorded_by) ids.push_back(*(*delivery)->recorded_by);
  if (*record && (*record)->confirmed_by) ids.push_back(*(*record)->confirmed_by);
  auto names_found = auth::user_names(**tx, ids);
  auto names = names_found ? *names_found : std::map<std::int64_t, std::string>{};
  auto name = [&](std::int64_t id) { return names.contains(id) ? names[id] : fmt::format("ユーザー {}", id); };

  view.can_run = auth::may(who, Action::kCloseOut);
  if (*delivery) {
    const cm::PackageDelivery& d = **delivery;
    view.package = d.confirmation() + (d.recorded_by ? fmt::format("・{}が記録", name(*d.recorded_by)) : "");
    if (!refused) {
      view.delivered_on = d.delivered_on;
      view.note = d.note;
    }
    view.command = fmt::format("kakehashi close-out --package-delivered {} --yes --out closeout/",
                               shell_quote(d.confirmation()));
  } else {
    view.command = "（納品を記録すると、実行するコマンドがここに表示されます）";
  }
  if (*record) {
    const cm::CloseoutRecord& r = **record;
    view.has_certificate = true;
    view.run_at = tokyo_datetime_japanese(r.run_at);
    view.valid = r.check.valid;
    view.check = r.check.valid ? "署名は有効です（証明書に含まれる公開鍵で検証）" : r.check.problem;
    if (r.check.certificate) {
      const cm::Certificate& c = *r.check.certificate;
      std::int64_t rows = 0;
      for (const auto& t : c.tables) {
        rows += t.rows;
        view.tables.push_back({t.table, fmt::format("{} 行", t.rows)});
      }
      view.tables_summary = fmt::format("{} 表・{} 行", c.tables.size(), rows);
      view.files = fmt::format("{} 件（各ファイルの SHA-256 を証明書に記載）", c.files.size());
      view.key = fmt::format("鍵 ID {}（{}）・暗号化項目 {} 件", c.key_id, c.key_destroyed ? "破棄済み" : "未破棄", c.sealed_fields);
      view.heads = fmt::format("削除前 #{}・削除後 #{}", c.head_before.entry_id, c.head_after.entry_id);
      view.public_key = c.public_key;
    }
    if (r.confirmed_at && r.confirmed_by) {
      view.confirmed = fmt::format("{}が {} に確認", name(*r.confirmed_by), tokyo_datetime_japanese(*r.confirmed_at));
    }
    view.can_confirm = !r.confirmed_at && auth::may(who, Action::kConfirmCloseOut);
  }
  return app.page(request, "事業終了時の削除", "compliance/closeout", view,
                  {{"情報管理", "/compliance"}, {"事業終了時の削除", ""}}, "/compliance",
                  refused ? http::status::unprocessable_entity : http::status::ok);
}

Response show(Application& app, Request& request) { return closeout_page(app, request, {}, false); }

Response record_package(Application& app, Request& request) {
  std::string date = request.field("delivered_on"), note = request.field("note");
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto done = cm::record_package_delivery(**tx, *request.principal, date, note, app.clock().now());
  if (!done) {
    if (done.error().code != ErrorCode::kInvalidArgument) return app.error_response(request, done.error());
    tx->reset();
    CloseoutView view;
    view.delivered_on = date;
    view.note = note;
    view.package_error = done.error().message;
    return closeout_page(app, request, std::move(view), true);
  }
  if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
  return app.redirect_with_notice(request, "/compliance/closeout", "報告書パッケージの納品を記録しました。");
}

Response confirm(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto done = cm::confirm_closeout(**tx, *request.principal, app.clock().now());
  if (!done) {
    if (done.error().code != ErrorCode::kInvalidArgument) return app.error_response(request, done.error());
    tx->reset();
    CloseoutView view;
    view.confirm_error = done.error().message;
    return closeout_page(app, request, std::move(view), true);
  }
  if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
  return app.redirect_with_notice(request, "/compliance/closeout", "削除証明書を確認しました。");
}

Response certificate(Application& app, Request& request, bool pdf) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto record = cm::latest_closeout(**tx, *request.principal);
  if (!record) return app.error_response(request, record.error());
  if (!*record) return app.error(request, http::status::not_found);
  Response response;
  if (!pdf) {
    response.content_type = "application/json";
    response.body = (*record)->certificate_json;
    response.with_header("Content-Disposition", content_disposition("deletion-certificate.json"));
    return response;
  }
  if (!(*record)->check.certificate) return app.error(request, http::status::not_found);
  auto doc = docs::parse_markdown(cm::certificate_markdown(*(*record)->check.certificate));
  if (!doc) return app.error_response(request, doc.error());
  doc->meta.title = "情報の削除証明書";
  doc->meta.issuer = "架け橋事務局";
  auto bytes = docs::render_pdf(*doc);
  if (!bytes) return app.error_response(request, bytes.error());
  response.content_type = "application/pdf";
  response.body = std::move(*bytes);
  response.with_header("Content-Disposition", content_disposition("deletion-certificate.pdf"));
  return response;
}

Response certificate_json(Application& app, Request& request) { return certificate(app, request, false); }
Response certificate_pdf(Application& app, Request& request) { return certificate(app, request, true); }

}  // namespace

void register_compliance_closeout_routes(Application& app) {
  RouteOptions view{.required = Action::kViewComplianceReport};
  app.get("/compliance/closeout", view, show);
  app.post("/compliance/closeout/package", {.required = Action::kCloseOut, .body = BodyKind::kForm}, record_package);
  app.post("/compliance/closeout/confirm", {.required = Action::kConfirmCloseOut, .body = BodyKind::kForm}, confirm);
  app.get("/compliance/closeout/certificate.json", view, certificate_json);
  app.get("/compliance/closeout/certificate.pdf", view, certificate_pdf);
  // To-dos of the close-out: once the package is delivered the security officer runs it; once
  // it ran METI confirms the certificate.
  app.add_home_tasks([](db::Transaction& tx, const auth::Principal& who, std::chrono::sys_seconds)
                         -> Result<std::vector<HomeTask>> {
    std::vector<HomeTask> out;
    bool runs = auth::may(who, Action::kCloseOut);
    bool confirms = auth::may(who, Action::kConfirmCloseOut);
    if (!runs && !confirms) return out;
    auto delivery = cm::package_delivery(tx);
    if (!delivery) return fail(delivery.error());
    if (!*delivery) return out;
    auto record = cm::latest_closeout(tx, who);
    if (!record) return fail(record.error());
    if (!*record && runs) {
      out.push_back({who.has(auth::Role::kSecurityOfficer) ? "security_officer" : "secretariat",
                     fmt::format("報告書パッケージが納品されました（{}）。保護すべき情報の削除（close-out）を実行してください",
                                 (*delivery)->delivered_on),
                     "/compliance/closeout", std::nullopt, true});
    }
    if (*record && !(*record)->confirmed_at && confirms) {
      out.push_back({"meti", "削除証明書が届いています。署名を確認して受領を記録してください", "/compliance/closeout",
                     std::nullopt, true});
    }
    return out;
  });
}

}  // namespace kakehashi::web::compliance_web
