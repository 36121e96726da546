// Screens of the programme's own staff (issue 15, part C; R1.3): list, add, edit, deactivate.
// kViewStaff reads, kManageStaff writes.
#include <fmt/format.h>

#include "operations/staff.h"
#include "web/handlers/call/common.h"
#include "web/handlers/operations/support_common.h"
#include "web/handlers/operations/views_support.h"

namespace kakehashi::web::opsweb {
namespace {

// 事業運営 links to its dashboard only for those who may see it (the security officer reads the
// staff list without the operations dashboard).
Breadcrumb operations_crumb(const Request& request) {
  return {"事業運営", auth::may(*request.principal, auth::Action::kViewOperations) ? "/operations" : ""};
}

std::vector<Breadcrumb> crumbs(const Request& request, const std::string& page) {
  return {operations_crumb(request), {"事務局の体制", "/operations/staff"}, {page, ""}};
}

Response staff_page(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto members = operations::list_staff(**tx, *request.principal);
  if (!members) return app.error_response(request, members.error());
  std::vector<std::int64_t> ids;
  for (const auto& m : *members) {
    if (m.user_id) ids.push_back(*m.user_id);
  }
  auto names = auth::user_names(**tx, ids);
  if (!names) return app.error_response(request, names.error());
  StaffView view;
  view.can_manage = auth::may(*request.principal, auth::Action::kManageStaff);
  for (const auto& m : *members) {
    StaffRow row{.id = m.id, .name = m.name, .role = m.role, .share = fmt::format("{}%", m.share_percent), .active = m.active};
    if (m.user_id && names->contains(*m.user_id)) row.account = names->at(*m.user_id);
    if (view.can_manage) {
      row.edit_href = fmt::format("/operations/staff/{}/edit", m.id);
      row.toggle_action = fmt::format("/operations/staff/{}/active", m.id);
      row.toggle_label = m.active ? "離任にする" : "在籍に戻す";
    }
    if (m.active) ++view.active_count;
    view.members.push_back(std::move(row));
  }
  view.has_members = !view.members.empty();
  return app.page(request, "事務局の体制", "operations/staff", view, {operations_crumb(request), {"事務局の体制", ""}}, "/operations/staff");
}

Response staff_form(Application& app, Request& request, const operations::StaffForm& typed, const std::string& share,
                    const std::vector<operations::FieldError>& errors, std::optional<std::int64_t> id) {
  StaffFormView view;
  view.heading = id ? "体制メンバーを編集" : "体制メンバーを追加";
  view.action = id ? fmt::format("/operations/staff/{}", *id) : "/operations/staff";
  view.errors = form_errors(errors);
  view.has_errors = !errors.empty();
  view.name = typed.name;
  view.role = typed.role;
  view.share_percent = share;
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto accounts = operations::staff_accounts(**tx);
  if (!accounts) return app.error_response(request, accounts.error());
  for (const auto& a : *accounts) view.accounts.push_back({std::to_string(a.id), a.name, typed.user_id == std::to_string(a.id)});
  tx->reset();
  view.name_error = error_of(errors, "name");
  view.role_error = error_of(errors, "role");
  view.share_percent_error = error_of(errors, "share_percent");
  view.user_id_error = error_of(errors, "user_id");
  return app.page(request, view.heading, "operations/staff_form", view, crumbs(request, view.heading), "/operations/staff",
                  errors.empty() ? http::status::ok : http::status::unprocessable_entity);
}

Response new_staff(Application& app, Request& request) {
  return staff_form(app, request, operations::StaffForm{"", "担当者", 100, ""}, "100", {}, std::nullopt);
}

std::vector<operations::FieldError> read(const Request& request, operations::StaffForm& typed, std::string& share,
                                         operations::StaffMember& out) {
  typed = {request.field("name"), request.field("role"), std::nullopt, request.field("user_id")};
  share = request.field("share_percent");
  std::vector<operations::FieldError> share_errors;
  if (share.empty()) {
    share_errors.push_back({"share_percent", "従事割合を入力してください"});
  } else if (auto parsed = callweb::typed_integer(share, "従事割合", 0, 100, "従事割合は 0〜100 の整数で入力してください")) {
    typed.share_percent = int(*parsed);
  } else {
    share_errors.push_back({"share_percent", parsed.error().message});
  }
  auto errors = operations::read_staff(typed, out);
  errors.insert(errors.end(), share_errors.begin(), share_errors.end());
  return errors;
}

Response create_staff(Application& app, Request& request) {
  operations::StaffForm typed;
  std::string share;
  operations::StaffMember m;
  auto errors = read(request, typed, share, m);
  if (errors.empty()) {
    auto tx = app.database().begin(db::TxMode::kWrite);
    if (!tx) return app.error_response(request, tx.error());
    auto id = operations::add_staff(**tx, *request.principal, m, app.clock().now());
    if (!id) {
      if (id.error().code != ErrorCode::kInvalidArgument) return app.error_response(request, id.error());
      errors.push_back({"user_id", id.error().message});
    } else {
      if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
      return app.redirect_with_notice(request, "/operations/staff", fmt::format("{}さんを体制に追加しました。", m.name));
    }
  }
  return staff_form(app, request, typed, share, errors, std::nullopt);
}

Response edit_staff(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto m = operations::find_staff(**tx, *request.principal, *id);
  if (!m) return app.error_response(request, m.error());
  if (!*m) return app.error(request, http::status::not_found);
  tx->reset();
  operations::StaffForm typed{(*m)->name, (*m)->role, (*m)->share_percent,
                              (*m)->user_id ? std::to_string(*(*m)->user_id) : ""};
  return staff_form(app, request, typed, std::to_string((*m)->share_percent), {}, *id);
}

Response update_staff(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  operations::StaffForm typed;
  std::string share;
  operations::StaffMember m;
  auto errors = read(request, typed, share, m);
  {
    auto tx = app.database().begin(db::TxMode::kWrite);
    if (!tx) return app.error_response(request, tx.error());
    auto existing = operations::find_staff(**tx, *request.principal, *id);
    if (!existing) return app.error_response(request, existing.error());
    if (!*existing) return app.error(request, http::status::not_found);
    if (errors.empty()) {
      m.active = (*existing)->active;
      auto r = operations::update_staff(**tx, *request.principal, *id, m, app.clock().now());
      if (!r) {
        if (r.error().code != ErrorCode::kInvalidArgument) return app.error_response(request, r.error());
        errors.push_back({"user_id", r.error().message});
      } else {
        if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
        return app.redirect_with_notice(request, "/operations/staff", fmt::format("{}さんの情報を更新しました。", m.name));
      }
    }
  }
  return staff_form(app, request, typed, share, errors, *id);
}

Response set_active(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  bool active = request.field("active") == "1";
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto existing = operations::find_staff(**tx, *request.principal, *id);
  if (!existing) return app.error_response(request, existing.error());
  if (!*existing) return app.error(request, http::status::not_found);
  if (auto r = operations::set_staff_active(**tx, *request.principal, *id, active, app.clock().now()); !r)
    return app.error_response(request, r.error());
  if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
  return app.redirect_with_notice(request, "/operations/staff",
                                  fmt::format("{}さんを{}にしました。", (*existing)->name, active ? "在籍" : "離任"));
}

}  // namespace

void register_staff_routes(Application& app) {
  using auth::Action;
  app.get("/operations/staff", {.required = Action::kViewStaff}, staff_page);
  app.get("/operations/staff/new", {.required = Action::kManageStaff}, new_staff);
  app.post("/operations/staff", {.required = Action::kManageStaff, .body = BodyKind::kForm}, create_staff);
  app.get("/operations/staff/{id}/edit", {.required = Action::kManageStaff}, edit_staff);
  app.post("/operations/staff/{id}", {.required = Action::kManageStaff, .body = BodyKind::kForm}, update_staff);
  app.post("/operations/staff/{id}/active", {.required = Action::kManageStaff, .body = BodyKind::kForm}, set_active);
  app.add_nav_item({"体制", "/operations/staff", Action::kViewStaff});
}

}  // namespace kakehashi::web::opsweb
