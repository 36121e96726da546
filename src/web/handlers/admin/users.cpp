// User administration: the list with search, adding a user, editing one, deactivating and
// reactivating. What may be given to whom is the auth module's grant table (auth/grants.h); the
// screens offer only what it allows and the services refuse the rest, whoever calls them.
#include <fmt/format.h>

#include <algorithm>

#include "auth/api_tokens.h"
#include "auth/grants.h"
#include "auth/users.h"
#include "base/date.h"
#include "base/text.h"
#include "geo/geo.h"
#include "notify/service.h"
#include "web/handlers/admin/views.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web {
namespace {

using namespace adminweb;

constexpr int kPerPage = 50;
const std::vector<Breadcrumb> kUsersCrumbs{{"ダッシュボード", "/"}, {"ユーザー", "/admin/users"}};

std::string roles_text(const std::set<auth::Role>& roles) {
  std::string out;
  for (auth::Role role : roles) out += (out.empty() ? "" : "・") + std::string(auth::role_label(role));
  return out;
}

std::string similar_warning(const std::string& name) { return "類似名称あり: " + name; }

std::optional<std::int64_t> user_id_param(const Request& request) {
  auto it = request.params.find("id");
  if (it == request.params.end() || it->second.empty() || it->second.size() > 18 ||
      it->second.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoll(it->second);
}

std::set<auth::Role> roles_of(const Request& request) {
  std::set<auth::Role> roles;
  for (auto id : request.form.all("role")) {
    if (auto role = auth::role_from_id(id)) roles.insert(*role);
  }
  return roles;
}

// The parts of a user form the request carries (what was typed, to show again).
struct TypedUser {
  std::string name;
  std::string organisation;
  std::set<auth::Role> roles;
  std::optional<std::string> block;
  std::optional<std::string> block_error;
  std::optional<std::string> organisation_error;
};

TypedUser typed_user(const Request& request) {
  TypedUser typed{request.field("name"), request.field("organisation"), roles_of(request), std::nullopt, std::nullopt,
                  std::nullopt};
  if (std::string id = request.field("block"); !id.empty()) {
    if (geo::find_block(id)) {
      typed.block = id;
    } else {
      typed.block_error = "担当ブロックを一覧から選んでください";
    }
  }
  if (text::count_code_points(text::clean_name(typed.organisation)) > 100) {
    typed.organisation_error = "組織名は 100 文字以内で入力してください";
  }
  return typed;
}

// The shared fields of both forms: the roles the signed-in user may give, the blocks, the
// organisations, and the problems beside their fields.
UserFields user_fields(Application& app, const Request& request, const std::string& name,
                       const std::string& organisation, const std::set<auth::Role>& chosen,
                       const std::optional<std::string>& block) {
  UserFields form{.name = name, .organisation = organisation};
  std::set<auth::Role> offered = auth::grantable_roles(auth::Granter::person(*request.principal));
  for (const auto& info : auth::kRoles) {
    if (!offered.contains(info.role)) continue;
    form.roles.push_back({std::string(info.id), std::string(info.label), chosen.contains(info.role)});
  }
  for (const auto& b : geo::blocks()) {
    form.blocks.push_back({std::string(b.id), std::string(b.name), block && *block == b.id});
  }
  auto tx = app.database().begin(db::TxMode::kRead);
  if (tx) {
    if (auto organisations = auth::list_organisations(**tx)) {
      for (const auto& o : *organisations) form.organisations.push_back(o.name);
    }
    if (!organisation.empty()) {
      auto same = auth::organisation_named(**tx, organisation);
      if (same && *same) {
        auto found = auth::find_organisation(**tx, **same);
        if (found && *found && (*found)->similar_to_name) {
          form.organisation_warning = similar_warning(*(*found)->similar_to_name);
        }
      } else if (auto similar = auth::similar_organisation(**tx, organisation); similar && *similar) {
        form.organisation_warning = similar_warning((*similar)->name);
      }
    }
  }
  return form;
}

// Puts each problem beside its field (and in the summary); returns the status to answer: 403
// when a role may not be given or the user not managed, else 422.
http::status place_problems(const std::vector<auth::FieldError>& problems, UserFields& form,
                            std::optional<std::string>* email_error, std::optional<std::string>* password_error) {
  http::status status = http::status::unprocessable_entity;
  for (const auto& problem : problems) {
    const std::string& message = problem.error.message;
    if (problem.error.code == ErrorCode::kPermissionDenied) status = http::status::forbidden;
    form.errors.push_back(message);
    if (problem.field == "name") form.name_error = message;
    if (problem.field == "roles") form.roles_error = message;
    if (problem.field == "block") form.block_error = message;
    if (problem.field == "organisation") form.organisation_error = message;
    if (problem.field == "email" && email_error) *email_error = message;
    if (problem.field == "password" && password_error) *password_error = message;
  }
  form.errors_present = !form.errors.empty();
  return status;
}

// The problems the screen finds before the service: block and organisation name.
void typed_problems(const TypedUser& typed, std::vector<auth::FieldError>& problems) {
  if (typed.block_error) problems.push_back({"block", Error::invalid(*typed.block_error)});
  if (typed.organisation_error) problems.push_back({"organisation", Error::invalid(*typed.organisation_error)});
}

Response new_user_form(Application& app, Request& request, const std::vector<auth::FieldError>& problems) {
  TypedUser typed = typed_user(request);
  UserNewView view{.form = user_fields(app, request, typed.name, typed.organisation, typed.roles, typed.block),
                   .email = request.field("email")};
  http::status status = problems.empty() ? http::status::ok
                                         : place_problems(problems, view.form, &view.email_error, &view.password_error);
  return app.page(request, "ユーザーを追加", "admin/user_new", view,
                  {kUsersCrumbs[0], kUsersCrumbs[1], {"ユーザーを追加", ""}}, "/admin/users", status);
}

Response list_users(Application& app, Request& request) {
  int page = page_number(request);
  auth::UserSearch search{request.query_param("q")};
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto total = auth::count_users(**tx, search);
  if (!total) return app.error_response(request, total.error());
  auto users = auth::list_users(**tx, kPerPage, (page - 1) * kPerPage, search);
  if (!users) return app.error_response(request, users.error());
  auth::Granter granter = auth::Granter::person(*request.principal);
  UsersView view{.total = *total,
                 .q = search.text,
                 .searching = !text::clean_name(search.text).empty(),
                 .page_label = fmt::format("{} ページ目", page),
                 .can_manage = auth::allowed(*request.principal, auth::Action::kManageUsers)};
  for (const auto& user : *users) {
    UserRow row{.id = user.id,
                .name = user.name,
                .email = user.email,
                .roles = roles_text(user.roles),
                .organisation = user.organisation_name.value_or("—"),
                .status = user.active ? "有効" : "停止中",
                .active = user.active};
    if (user.organisation_similar_to) row.similar_warning = similar_warning(*user.organisation_similar_to);
    if (view.can_manage && auth::check_manage(granter, user.id, user.roles)) {
      row.edit_href = fmt::format("/admin/users/{}/edit", user.id);
    }
    view.users.push_back(std::move(row));
  }
  view.has_users = !view.users.empty();
  std::string base = view.searching ? "/admin/users?q=" + url_encode(search.text) : "/admin/users";
  view.pages = pagination(base, page, kPerPage, *total);
  return app.page(request, "ユーザー", "admin/users", view, {kUsersCrumbs[0], {"ユーザー", ""}}, "/admin/users");
}

Response show_new_user(Application& app, Request& request) { return new_user_form(app, request, {}); }

Response create_user(Application& app, Request& request) {
  TypedUser typed = typed_user(request);
  auth::Granter granter = auth::Granter::person(*request.principal);
  auth::NewUser user{request.field("email"), typed.name, request.field("password"), typed.roles, std::nullopt,
                     typed.block};
  // Every problem at once, beside its field, before anything is written.
  {
    auto tx = app.database().begin(db::TxMode::kRead);
    if (!tx) return app.error_response(request, tx.error());
    auto problems = auth::check_new_user(**tx, user, granter);
    if (!problems) return app.error_response(request, problems.error());
    typed_problems(typed, *problems);
    if (!problems->empty()) return new_user_form(app, request, *problems);
  }
  // Argon2id before the write transaction, under a password slot (web/work_limits.h).
  {
    auto slot = app.admit(request, WorkKind::kPassword);
    if (!slot) return app.busy(request, WorkKind::kPassword);
    auto hashed = auth::with_password_hash(std::move(user));
    if (!hashed) return app.error_response(request, hashed.error());
    user = std::move(*hashed);
  }
  auto now = app.clock().now();
  auto created = app.database().transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) -> Result<std::int64_t> {
    if (!text::clean_name(typed.organisation).empty()) {
      auto org = auth::ensure_organisation(tx, typed.organisation, auth::organisation_kind_for(typed.roles), typed.block,
                                           granter.actor(), now);
      if (!org) return fail(org.error());
      user.organisation_id = *org;
    }
    return auth::create_user(tx, user, granter, now);
  });
  if (!created) {
    auto code = created.error().code;
    if (code == ErrorCode::kInvalidArgument || code == ErrorCode::kConflict || code == ErrorCode::kPermissionDenied) {
      return new_user_form(app, request, {{"", created.error()}});
    }
    return app.error_response(request, created.error());
  }
  return app.redirect_with_notice(request, "/admin/users", "ユーザーを追加しました。");
}

// The edit page of user `id` with `typed` (what was typed, or the stored values) and problems.
Response edit_form(Application& app, Request& request, const auth::User& user, const TypedUser& typed,
                   const std::vector<auth::FieldError>& problems) {
  UserEditView view{.id = user.id,
                    .email = user.email,
                    .active = user.active,
                    .status = user.active ? "有効" : "停止中",
                    .form = user_fields(app, request, typed.name, typed.organisation, typed.roles, typed.block)};
  http::status status =
      problems.empty() ? http::status::ok : place_problems(problems, view.form, nullptr, nullptr);
  if (auto tx = app.database().begin(db::TxMode::kRead)) {
    auto tokens = auth::list_api_tokens(**tx, user.id);
    if (!tokens) return app.error_response(request, tokens.error());
    auto now = app.clock().now();
    for (const auto& token : *tokens) {
      view.tokens.push_back({token.id, token.name, tokyo_datetime(token.expires_at),
                             token.last_used_at ? tokyo_datetime(*token.last_used_at) : "—",
                             std::string(auth::token_state_label(token.state(now))),
                             token.state(now) == auth::TokenState::kActive});
    }
    view.has_tokens = !view.tokens.empty();
  } else {
    return app.error_response(request, tx.error());
  }
  return app.page(request, "ユーザーを編集", "admin/user_edit", view,
                  {kUsersCrumbs[0], kUsersCrumbs[1], {user.name, ""}}, "/admin/users", status);
}

// The user of the path, when the signed-in user may manage them; otherwise the answer.
std::expected<auth::User, Response> managed_user(Application& app, Request& request) {
  auto id = user_id_param(request);
  if (!id) return std::unexpected(app.error(request, http::status::not_found));
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return std::unexpected(app.error_response(request, tx.error()));
  auto user = auth::find_user(**tx, *id);
  if (!user) return std::unexpected(app.error_response(request, user.error()));
  if (!*user) return std::unexpected(app.error(request, http::status::not_found));
  auto managed = auth::check_manage(auth::Granter::person(*request.principal), *id, (*user)->roles);
  if (!managed) return std::unexpected(app.error_response(request, managed.error()));
  return **user;
}

Response show_edit_user(Application& app, Request& request) {
  auto user = managed_user(app, request);
  if (!user) return std::move(user.error());
  TypedUser stored{user->name, user->organisation_name.value_or(""), user->roles, user->block_id, std::nullopt,
                   std::nullopt};
  return edit_form(app, request, *user, stored, {});
}

Response update_user(Application& app, Request& request) {
  auto user = managed_user(app, request);
  if (!user) return std::move(user.error());
  TypedUser typed = typed_user(request);
  auth::Granter granter = auth::Granter::person(*request.principal);
  auth::UserChange change{typed.name, typed.roles, std::nullopt, typed.block};
  {
    auto tx = app.database().begin(db::TxMode::kRead);
    if (!tx) return app.error_response(request, tx.error());
    auto problems = auth::check_user_change(**tx, user->id, change, granter);
    if (!problems) return app.error_response(request, problems.error());
    typed_problems(typed, *problems);
    if (!problems->empty()) return edit_form(app, request, *user, typed, *problems);
  }
  auto now = app.clock().now();
  auto updated = app.database().write([&](db::Transaction& tx) -> Result<void> {
    if (!text::clean_name(typed.organisation).empty()) {
      auto org = auth::ensure_organisation(tx, typed.organisation, auth::organisation_kind_for(typed.roles), typed.block,
                                           granter.actor(), now);
      if (!org) return fail(org.error());
      change.organisation_id = *org;
    }
    if (auto r = auth::update_user(tx, user->id, change, granter, now); !r) return r;
    if (typed.roles == user->roles) return Result<void>{};
    // A change of roles is told to the user's registered address (IPA 6-(ii)).
    std::string labels;
    for (const auto& info : auth::kRoles) {
      if (!typed.roles.contains(info.role)) continue;
      if (!labels.empty()) labels += "、";
      labels += info.label;
    }
    return notify::notify_user(
        tx, user->id, "アカウントの役割が変更されました",
        fmt::format("{} 様のアカウントの役割が {} に変更されました。現在の役割: {}。\n"
                    "お心当たりのない場合は、事務局にご連絡ください。",
                    user->name, tokyo_datetime(now), labels.empty() ? "なし" : labels),
        "/", now);
  });
  if (!updated) {
    auto code = updated.error().code;
    if (code == ErrorCode::kInvalidArgument || code == ErrorCode::kConflict || code == ErrorCode::kPermissionDenied) {
      return edit_form(app, request, *user, typed, {{"", updated.error()}});
    }
    return app.error_response(request, updated.error());
  }
  return app.redirect_with_notice(request, "/admin/users", "ユーザー情報を更新しました。");
}

Response set_active(Application& app, Request& request, bool active) {
  auto user = managed_user(app, request);
  if (!user) return std::move(user.error());
  auto done = app.database().write([&](db::Transaction& tx) {
    return auth::set_user_active(tx, user->id, active, auth::Granter::person(*request.principal), app.clock().now());
  });
  if (!done) return app.error_response(request, done.error());
  return app.redirect_with_notice(request, fmt::format("/admin/users/{}/edit", user->id),
                                  active ? "利用を再開しました。" : "利用を停止しました。ログイン中のセッションも終了しました。");
}

// A user manager revokes one of the user's API tokens (audited with by_owner false).
Response revoke_user_token(Application& app, Request& request) {
  auto user = managed_user(app, request);
  if (!user) return std::move(user.error());
  const std::string& token_id = request.params["token"];
  if (token_id.empty() || token_id.size() > 18 || token_id.find_first_not_of("0123456789") != std::string::npos) {
    return app.error(request, http::status::not_found);
  }
  std::string name;
  auto done = app.database().write([&](db::Transaction& tx) -> Result<void> {
    auto token = auth::find_api_token(tx, std::stoll(token_id));
    if (!token) return fail(token.error());
    if (!*token || (*token)->user_id != user->id) return fail(Error::not_found("API トークンが見つかりません"));
    name = (*token)->name;
    auto now = app.clock().now();
    if (auto r = auth::revoke_api_token(tx, (*token)->id, auth::Granter::person(*request.principal), now); !r) return r;
    // The owner learns that a manager revoked their token (IPA 6-(ii)).
    return notify::notify_user(tx, (*token)->user_id, "API トークンが失効されました",
                               fmt::format("API トークン「{}」が {} に管理者により失効されました。", (*token)->name,
                                           tokyo_datetime(now)),
                               "/account/tokens", now);
  });
  if (!done) return app.error_response(request, done.error());
  return app.redirect_with_notice(request, fmt::format("/admin/users/{}/edit", user->id),
                                  fmt::format("API トークン「{}」を失効させました。", name));
}

Response deactivate_user(Application& app, Request& request) { return set_active(app, request, false); }
Response reactivate_user(Application& app, Request& request) { return set_active(app, request, true); }

}  // namespace

void register_admin_user_routes(Application& app) {
  app.add_nav_item({"ユーザー", "/admin/users", auth::Action::kViewUsers});
  app.get("/admin/users", {.required = auth::Action::kViewUsers, .protected_info = true}, list_users);
  app.get("/admin/users/new", {.required = auth::Action::kManageUsers}, show_new_user);
  app.post("/admin/users", {.required = auth::Action::kManageUsers, .body = BodyKind::kForm}, create_user);
  app.get("/admin/users/{id}/edit", {.required = auth::Action::kManageUsers, .protected_info = true}, show_edit_user);
  app.post("/admin/users/{id}", {.required = auth::Action::kManageUsers, .body = BodyKind::kForm}, update_user);
  app.post("/admin/users/{id}/deactivate", {.required = auth::Action::kManageUsers, .body = BodyKind::kForm},
           deactivate_user);
  app.post("/admin/users/{id}/reactivate", {.required = auth::Action::kManageUsers, .body = BodyKind::kForm},
           reactivate_user);
  app.post("/admin/users/{id}/tokens/{token}/revoke", {.required = auth::Action::kManageUsers, .body = BodyKind::kForm},
           revoke_user_token);
}

}  // namespace kakehashi::web
