// Administration: users and the audit log.
#include <fmt/format.h>


#include <filesystem>
#include <fstream>

#include "audit/audit.h"
#include "base/csv.h"
#include "auth/users.h"
#include "base/date.h"
#include "geo/geo.h"
#include "web/content_disposition.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web {
namespace {

constexpr int kPerPage = 50;

std::string roles_text(const std::set<auth::Role>& roles) {
  std::string out;
  for (auth::Role role : roles) out += (out.empty() ? "" : "・") + std::string(auth::role_label(role));
  return out;
}

// "2026-11-25T13:04:05Z" -> "2026-11-25 22:04"; other text unchanged.
std::string tokyo_time(const std::string& stored) {
  auto instant = parse_iso_utc(stored);
  return instant ? tokyo_datetime(*instant) : stored;
}

Response new_user_form(Application& app, Request& request, const std::vector<std::string>& errors,
                       http::status status) {
  View content;
  content.set("name", request.field("name"));
  content.set("email", request.field("email"));
  content.set("organisation", request.field("organisation"));
  auto chosen = request.form.all("role");
  ViewList roles;
  for (const auto& info : auth::kRoles) {
    View role;
    role.set("id", std::string(info.id));
    role.set("label", std::string(info.label));
    role.set("checked", std::find(chosen.begin(), chosen.end(), info.id) != chosen.end());
    roles.push_back(role);
  }
  content.set("roles", roles);
  ViewList blocks;
  for (const auto& block : geo::blocks()) {
    View entry;
    entry.set("id", std::string(block.id));
    entry.set("name", std::string(block.name));
    entry.set("selected", request.field("block") == block.id);
    blocks.push_back(entry);
  }
  content.set("blocks", blocks);
  ViewList organisations;
  auto tx = app.database().begin(db::TxMode::kRead);
  if (tx) {
    auto rows = (*tx)->query("SELECT name FROM organisations ORDER BY name LIMIT 500");
    if (rows) {
      for (const auto& row : *rows) organisations.push_back(View(row.text(0)));
    }
  }
  content.set("organisations", organisations);
  ViewList error_list;
  for (const auto& message : errors) error_list.push_back(View(message));
  content.set("errors_present", !errors.empty());
  content.set("errors", error_list);
  return app.page(request, "ユーザーを追加", "admin/user_new", content,
                  {{"ダッシュボード", "/"}, {"ユーザー", "/admin/users"}, {"ユーザーを追加", ""}}, "/admin/users", status);
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
  app.add_nav_item({"ユーザー", "/admin/users", auth::Action::kViewUsers});
  app.add_nav_item({"監査ログ", "/admin/audit", auth::Action::kViewAuditLog});

  app.router().get("/admin/users", {.required = auth::Action::kViewUsers}, [&app](Request& request) {
    int page = page_number(request);
    auto tx = app.database().begin(db::TxMode::kRead);
    if (!tx) return app.error(request, http::status::internal_server_error);
    auto total = auth::count_users(**tx);
    auto users = auth::list_users(**tx, kPerPage, (page - 1) * kPerPage);
    if (!total || !users) return app.error(request, http::status::internal_server_error);
    View content = pagination_view("/admin/users", page, kPerPage, *total);
    content.set("total", std::to_string(*total));
    content.set("page_label", fmt::format("{} ページ目", page));
    content.set("can_manage", auth::allowed(*request.principal, auth::Action::kManageUsers));
    ViewList rows;
    for (const auto& user : *users) {
      View row;
      row.set("id", std::to_string(user.id));
      row.set("name", user.name);
      row.set("email", user.email);
      row.set("roles", roles_text(user.roles));
      row.set("organisation", user.organisation_name.value_or("—"));
      row.set("status", user.active ? "有効" : "停止中");
      rows.push_back(row);
    }
    content.set("has_users", !users->empty());
    content.set("users", rows);
    return app.page(request, "ユーザー", "admin/users", content, {{"ダッシュボード", "/"}, {"ユーザー", ""}}, "/admin/users");
  });

  app.router().get("/admin/users/new", {.required = auth::Action::kManageUsers}, [&app](Request& request) {
    return new_user_form(app, request, {}, http::status::ok);
  });

  app.router().post("/admin/users", {.required = auth::Action::kManageUsers, .body = BodyKind::kForm},
                    [&app](Request& request) {
    std::set<auth::Role> roles;
    for (auto id : request.form.all("role")) {
      if (auto role = auth::role_from_id(id)) roles.insert(*role);
    }
    std::optional<std::string> block;
    if (std::string id = request.field("block"); !id.empty()) {
      if (!geo::find_block(id)) return new_user_form(app, request, {"担当ブロックを一覧から選んでください"}, http::status::unprocessable_entity);
      block = id;
    }
    const audit::Actor actor = audit::Actor::user(request.principal->user_id);
    auto now = app.clock().now();
    auto created = app.database().transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) -> Result<std::int64_t> {
      std::optional<std::int64_t> organisation;
      if (std::string name = request.field("organisation"); !name.empty()) {
        auto org = auth::ensure_organisation(tx, name, auth::organisation_kind_for(roles), block, actor, now);
        if (!org) return fail(org.error());
        organisation = *org;
      }
      return auth::create_user(tx, {request.field("email"), request.field("name"), request.field("password"), roles,
                                    organisation, block},
                               actor, now);
    });
    if (!created) {
      auto code = created.error().code;
      if (code == ErrorCode::kInvalidArgument || code == ErrorCode::kConflict) {
        return new_user_form(app, request, {created.error().message}, http::status::unprocessable_entity);
      }
      return app.error(request, http::status::internal_server_error);
    }
    return app.redirect_with_notice(request, "/admin/users", "ユーザーを追加しました。");
  });

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
