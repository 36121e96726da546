// Screens of the operations module: the operators (list, overview, contract, plan), and the
// registration of part A's screens: dashboard and blocks (dashboard.cpp), milestones
// (milestones.cpp) and their API (api_milestones.cpp) (issue 15).
#include <fmt/format.h>

#include "audit/audit.h"
#include "base/yen.h"
#include "web/handlers/call/common.h"
#include "web/handlers/operations/milestone_helpers.h"

namespace kakehashi::web {
namespace {

using namespace opsweb;

constexpr int kContactRows = 10;

Response list_operators(Application& app, Request& request) {
  const Date today = tokyo_date(app.clock().now());
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  OperatorsView view;
  auto call_id = operations::current_programme(**tx);
  if (!call_id) return app.error_response(request, call_id.error());
  if (*call_id) {
    auto ops = operations::list_operators(**tx, *request.principal, **call_id);
    if (!ops) return app.error_response(request, ops.error());
    auto flags = operations::flags_of(**tx, *ops, today);
    if (!flags) return app.error_response(request, flags.error());
    for (const auto& op : *ops) {
      auto rows = operations::milestones_of(**tx, op.id);
      if (!rows) return app.error_response(request, rows.error());
      int done = int(std::ranges::count_if(*rows, [](const auto& r) { return r.milestone.status == operations::MilestoneStatus::kDone; }));
      view.operators.push_back({op.name, fmt::format("/operations/operators/{}", op.id), blocks_label(op),
                                format_yen(op.contract_amount), period_label(op), fmt::format("{} / {}", done, rows->size()),
                                int((*flags)[op.id].size())});
    }
  }
  view.has_operators = !view.operators.empty();
  return app.page(request, "実証事業者", "operations/milestones_operators", view,
                  {{"事業運営", "/operations"}, {"実証事業者", ""}}, "/operations");
}

Response operators_xlsx(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  docs::DataTable table;
  table.header = {"実証事業者", "ブロック", "契約金額（円）", "契約開始日", "契約終了日", "プロジェクト数の目標", "最終目標"};
  auto call_id = operations::current_programme(**tx);
  if (!call_id) return app.error_response(request, call_id.error());
  if (*call_id) {
    auto ops = operations::list_operators(**tx, *request.principal, **call_id);
    if (!ops) return app.error_response(request, ops.error());
    auto text = [](std::string s) { return docs::DataCell{std::move(s), 0, false}; };
    auto number = [](std::int64_t v) { return docs::DataCell{std::to_string(v), double(v), true}; };
    for (const auto& op : *ops)
      table.rows.push_back({text(op.name), text(blocks_label(op)), number(op.contract_amount), text(op.contract_from.iso()),
                            text(op.contract_to.iso()), number(op.project_target), text(op.final_goal)});
  }
  tx->reset();
  if (auto logged = audit::append(app.database(), audit::by_user(request.principal->user_id, "operation.operators_export", "operations:operators"),
                                  app.clock().now());
      !logged)
    return app.error_response(request, logged.error());
  return callweb::xlsx_download(app, request, "実証事業者一覧", std::move(table), "実証事業者一覧.xlsx");
}

Response show_operator(Application& app, Request& request) {
  const Date today = tokyo_date(app.clock().now());
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_operator(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  auto flags = operations::flags_of(**tx, {**op}, today);
  if (!flags) return app.error_response(request, flags.error());
  OperatorView view;
  view.tabs = operator_tabs(request, (*op)->id, "overview");
  view.op = operator_facts(**op, (*flags)[(*op)->id]);
  auto edit = operations::may(**tx, *request.principal, auth::Action::kManageOperators, **op);
  if (!edit) return app.error_response(request, edit.error());
  auto plan = operations::may(**tx, *request.principal, auth::Action::kEditOperatorPlan, **op);
  if (!plan) return app.error_response(request, plan.error());
  view.can_edit = *edit;
  view.can_plan = *plan;
  return app.page(request, (*op)->name, "operations/milestones_operator", view, operator_crumbs(**op), "/operations");
}

// ---- Contract (secretariat)
Response edit_page(Application& app, Request& request, const operations::Operator& op, OperatorEditView view,
                   http::status status) {
  view.tabs = operator_tabs(request, op.id, "overview");
  view.id = op.id;
  view.name = op.name;
  view.has_errors = !view.errors.empty();
  while (int(view.contacts.size()) < kContactRows) view.contacts.push_back({int(view.contacts.size()), "", "", "", ""});
  return app.page(request, "契約情報の編集", "operations/milestones_operator_edit", view, operator_crumbs(op, "契約情報の編集"),
                  "/operations", status);
}

Result<std::optional<operations::Operator>> load_managed(db::Transaction& tx, Request& request) {
  auto op = load_operator(tx, request);
  if (!op || !*op) return op;
  auto allowed = operations::may(tx, *request.principal, auth::Action::kManageOperators, **op);
  if (!allowed) return fail(allowed.error());
  if (!*allowed) return fail(Error::denied("契約情報を変更する権限がありません"));
  return op;
}

Response edit_operator(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_managed(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  OperatorEditView view;
  view.contract_amount = std::to_string((*op)->contract_amount);
  view.contract_from = (*op)->contract_from.iso();
  view.contract_to = (*op)->contract_to.iso();
  int i = 0;
  for (const auto& c : (*op)->contacts) view.contacts.push_back({i++, c.name, c.title, c.email, c.phone});
  return edit_page(app, request, **op, std::move(view), http::status::ok);
}

Response save_operator(Application& app, Request& request) {
  auto now = app.clock().now();
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_managed(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  OperatorEditView view;
  view.contract_amount = request.field("contract_amount");
  view.contract_from = request.field("contract_from");
  view.contract_to = request.field("contract_to");
  std::vector<operations::FieldError> errors;
  operations::OperatorChanges changes{(*op)->contract_amount, (*op)->contract_from, (*op)->contract_to,
                                      (*op)->final_goal, (*op)->project_target, {}};
  auto amount = callweb::parse_yen(view.contract_amount, "契約金額", "契約金額は円単位の整数で入力してください");
  if (!amount) errors.push_back({"contract_amount", amount.error().message});
  else changes.contract_amount = *amount;
  auto from = Date::parse(view.contract_from);
  if (!from) errors.push_back({"contract_from", "契約開始日の日付が正しくありません（例: 2026-08-01）"});
  else changes.contract_from = *from;
  auto to = Date::parse(view.contract_to);
  if (!to) errors.push_back({"contract_to", "契約終了日の日付が正しくありません（例: 2027-03-31）"});
  else changes.contract_to = *to;
  for (int i = 0; i < kContactRows; ++i) {
    ContactView row{i, request.field(fmt::format("contact_name_{}", i)), request.field(fmt::format("contact_title_{}", i)),
                    request.field(fmt::format("contact_email_{}", i)), request.field(fmt::format("contact_phone_{}", i))};
    if (row.name.empty() && row.title.empty() && row.email.empty() && row.phone.empty()) continue;
    changes.contacts.push_back({0, row.name, row.title, row.email, row.phone});
    row.index = int(view.contacts.size());
    view.contacts.push_back(std::move(row));
  }
  if (from && to) {
    for (auto& e : operations::validate(changes)) errors.push_back(std::move(e));
  } else {
    for (auto& e : operations::validate(changes))
      if (e.field != "contract_to") errors.push_back(std::move(e));
  }
  if (errors.empty()) {
    auto saved = operations::update_operator(**tx, *request.principal, (*op)->id, changes, now);
    if (!saved) return app.error_response(request, saved.error());
    if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
    return app.redirect_with_notice(request, fmt::format("/operations/operators/{}", (*op)->id), "契約情報を保存しました。");
  }
  view.errors = form_errors(errors);
  view.contract_amount_error = error_of(errors, "contract_amount");
  view.contract_from_error = error_of(errors, "contract_from");
  view.contract_to_error = error_of(errors, "contract_to");
  view.contacts_error = error_of(errors, "contacts");
  return edit_page(app, request, **op, std::move(view), http::status::unprocessable_entity);
}

// ---- Plan (operator or secretariat)
Response plan_page(Application& app, Request& request, const operations::Operator& op, PlanView view, http::status status) {
  view.tabs = operator_tabs(request, op.id, "overview");
  view.id = op.id;
  view.name = op.name;
  view.has_errors = !view.errors.empty();
  return app.page(request, "最終目標と目標数", "operations/milestones_plan", view, operator_crumbs(op, "最終目標と目標数"),
                  "/operations", status);
}

Result<std::optional<operations::Operator>> load_planned(db::Transaction& tx, Request& request) {
  auto op = load_operator(tx, request);
  if (!op || !*op) return op;
  auto allowed = operations::may(tx, *request.principal, auth::Action::kEditOperatorPlan, **op);
  if (!allowed) return fail(allowed.error());
  if (!*allowed) return fail(Error::denied("最終目標を変更する権限がありません"));
  return op;
}

Response edit_plan(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_planned(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  PlanView view;
  view.final_goal = (*op)->final_goal;
  view.project_target = std::to_string((*op)->project_target);
  return plan_page(app, request, **op, std::move(view), http::status::ok);
}

Response save_plan(Application& app, Request& request) {
  auto now = app.clock().now();
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_planned(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  PlanView view;
  view.final_goal = request.field("final_goal");
  view.project_target = request.field("project_target");
  std::vector<operations::FieldError> errors;
  auto target = callweb::typed_integer(view.project_target, "プロジェクト数の目標", 0, 10000,
                                       "プロジェクト数の目標は 0〜10000 の整数で入力してください");
  if (!target) errors.push_back({"project_target", target.error().message});
  operations::OperatorChanges changes{(*op)->contract_amount, (*op)->contract_from, (*op)->contract_to, view.final_goal,
                                      target ? int(*target) : 0, (*op)->contacts};
  for (auto& e : operations::validate(changes))
    if (e.field == "final_goal") errors.push_back(std::move(e));
  if (errors.empty()) {
    auto saved = operations::update_plan(**tx, *request.principal, (*op)->id, view.final_goal, int(*target), now);
    if (!saved) return app.error_response(request, saved.error());
    if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
    return app.redirect_with_notice(request, fmt::format("/operations/operators/{}", (*op)->id), "最終目標を保存しました。");
  }
  view.errors = form_errors(errors);
  view.final_goal_error = error_of(errors, "final_goal");
  view.project_target_error = error_of(errors, "project_target");
  return plan_page(app, request, **op, std::move(view), http::status::unprocessable_entity);
}

}  // namespace

void register_operations_routes(Application& app) {
  register_operations_dashboard_routes(app);
  app.get("/operations/operators", {.required = auth::Action::kViewOperations}, list_operators);
  app.get("/operations/operators.xlsx", {.required = auth::Action::kViewOperations, .protected_info = true}, operators_xlsx);
  app.get("/operations/operators/{id}", {.required = auth::Action::kViewOperations, .protected_info = true}, show_operator);
  app.get("/operations/operators/{id}/edit", {.required = auth::Action::kManageOperators, .protected_info = true}, edit_operator);
  app.post("/operations/operators/{id}/edit", {.required = auth::Action::kManageOperators, .body = BodyKind::kForm},
           save_operator);
  app.get("/operations/operators/{id}/plan", {.required = auth::Action::kEditOperatorPlan}, edit_plan);
  app.post("/operations/operators/{id}/plan", {.required = auth::Action::kEditOperatorPlan, .body = BodyKind::kForm},
           save_plan);
  register_operations_milestone_routes(app);
  register_operations_milestone_api(app);
}

}  // namespace kakehashi::web
