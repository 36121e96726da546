// Administration: users. (The audit log screen is audit.cpp.)
#include <fmt/format.h>



#include "audit/audit.h"
#include "auth/users.h"
#include "geo/geo.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web {
namespace {

constexpr int kPerPage = 50;

std::string roles_text(const std::set<auth::Role>& roles) {
  std::string out;
  for (auth::Role role : roles) out += (out.empty() ? "" : "・") + std::string(auth::role_label(role));
  return out;
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

}  // namespace

void register_admin_routes(Application& app) {
  app.add_nav_item({"ユーザー", "/admin/users", auth::Action::kViewUsers});

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
}

}  // namespace kakehashi::web
