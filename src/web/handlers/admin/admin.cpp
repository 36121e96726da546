// Administration: the audit log (the users are in users.cpp).
#include <fmt/format.h>


#include <filesystem>
#include <fstream>

#include "audit/audit.h"
#include "base/csv.h"
#include "base/date.h"
#include "web/content_disposition.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web {
namespace {

constexpr int kPerPage = 50;

// "2026-11-25T13:04:05Z" -> "2026-11-25 22:04"; other text unchanged.
std::string tokyo_time(const std::string& stored) {
  auto instant = parse_iso_utc(stored);
  return instant ? tokyo_datetime(*instant) : stored;
}

Response audit_page(Application& app, Request& request, std::optional<audit::VerifyReport> verified) {
  int page = page_number(request);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error(request, http::status::internal_server_error);
  auto total = (*tx)->scalar("SELECT COUNT(*) FROM audit_log");
  auto entries = audit::recent(**tx, kPerPage, (page - 1) * kPerPage);
  if (!total || !entries) return app.error(request, http::status::internal_server_error);
  View content = pagination_view("/admin/audit", page, kPerPage, *total);
  content.set("total", std::to_string(*total));
  content.set("page_label", fmt::format("{} ページ目", page));
  content.set("can_verify", auth::allowed(*request.principal, auth::Action::kVerifyAuditLog));
  ViewList rows;
  for (const auto& stored : *entries) {
    View row;
    row.set("id", std::to_string(stored.id));
    row.set("at", tokyo_time(stored.at));
    row.set("actor", stored.entry.actor);
    row.set("action", stored.entry.action);
    row.set("object", stored.entry.object);
    row.set("hash", stored.hash.substr(0, 12));
    rows.push_back(row);
  }
  content.set("has_entries", !entries->empty());
  content.set("entries", rows);
  if (verified) {
    View result;
    result.set("kind", verified->intact ? "success" : "error");
    result.set("message", verified->intact ? fmt::format("監査ログは完全です（{} 件を検証しました）。", verified->entries)
                                           : "改ざんを検出しました: " + verified->problem);
    content.set("verify_result", result);
  }
  return app.page(request, "監査ログ", "admin/audit", content, {{"ダッシュボード", "/"}, {"監査ログ", ""}}, "/admin/audit");
}

}  // namespace

void register_admin_routes(Application& app) {
  app.add_nav_item({"監査ログ", "/admin/audit", auth::Action::kViewAuditLog});

  app.router().get("/admin/audit", {.required = auth::Action::kViewAuditLog},
                   [&app](Request& request) { return audit_page(app, request, std::nullopt); });

  // The whole audit log as CSV (UTF-8 with BOM so Excel opens it), streamed from a temporary
  // file in pages of 1,000 entries, with a Japanese file name.
  app.router().get("/admin/audit/export.csv", {.required = auth::Action::kViewAuditLog}, [&app](Request& request) {
    auto temporary = temporary_file(".csv");
    if (!temporary) return app.error(request, http::status::internal_server_error);
    std::filesystem::path path = *temporary;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << "\xEF\xBB\xBF"
        << csv::format_row({"No.", "日時（日本時間）", "実行者", "操作", "対象", "詳細", "ハッシュ"});
    auto tx = app.database().begin(db::TxMode::kRead);
    if (!tx) return app.error(request, http::status::internal_server_error);
    for (int offset = 0;; offset += 1000) {
      auto rows = (*tx)->query("SELECT id, at, actor, action, object, detail, hash FROM audit_log ORDER BY id LIMIT 1000 OFFSET ?",
                               {std::int64_t{offset}});
      if (!rows) return app.error(request, http::status::internal_server_error);
      for (const auto& row : *rows) {
        out << csv::format_row({row.text(0), tokyo_time(row.text(1)), row.text(2), row.text(3), row.text(4),
                                row.text(5), row.text(6)});
      }
      if (rows->size() < 1000) break;
    }
    out.close();
    if (!out) return app.error(request, http::status::internal_server_error);
    tx->reset();
    auto logged = audit::append(app.database(), audit::by_user(request.principal->user_id, "audit.export", "audit_log"),
                                app.clock().now());
    if (!logged) return app.error(request, http::status::internal_server_error);
    Response response;
    response.content_type = "text/csv; charset=utf-8";
    response.file = path;
    response.delete_file_after = true;
    response.with_header("Content-Disposition",
                         content_disposition(fmt::format("監査ログ_{}.csv", app.clock().today_in_tokyo().iso())));
    return response;
  });

  app.router().post("/admin/audit/verify", {.required = auth::Action::kVerifyAuditLog, .body = BodyKind::kForm},
                    [&app](Request& request) {
    auto report = audit::verify(app.database());
    if (!report) return app.error(request, http::status::internal_server_error);
    auto logged = audit::append(app.database(),
                                audit::by_user(request.principal->user_id, "audit.verify", "audit_log",
                                               report->intact ? R"({"intact":true})" : R"({"intact":false})"),
                                app.clock().now());
    if (!logged) return app.error(request, http::status::internal_server_error);
    return audit_page(app, request, *report);
  });
}

}  // namespace kakehashi::web
