// Screens of the programme's budget (issue 15, part C; R9.1): contract amounts against the cap,
// expenses by category, plan vs actual by month, the expenses with receipts, the monthly plan
// grid, and XLSX exports. kViewBudget reads, kManageBudget writes.
#include <fmt/format.h>

#include "audit/audit.h"
#include "docs/chart.h"
#include "geo/geo.h"
#include "operations/budget.h"
#include "operations/service.h"
#include "web/handlers/call/common.h"
#include "web/handlers/operations/common.h"
#include "web/handlers/operations/support_common.h"
#include "web/handlers/operations/views_support.h"

namespace kakehashi::web::opsweb {
namespace {

constexpr int kExpensesPerPage = 50;
const std::vector<Breadcrumb> kBudgetCrumbs{{"事業運営", "/operations"}, {"予算", "/operations/budget"}};

std::vector<Breadcrumb> crumbs(const std::string& page) {
  std::vector<Breadcrumb> out = kBudgetCrumbs;
  out.push_back({page, ""});
  return out;
}

constexpr operations::ExpenseCategory kCategories[] = {
    operations::ExpenseCategory::kVenue, operations::ExpenseCategory::kSpeakers, operations::ExpenseCategory::kPublicity,
    operations::ExpenseCategory::kOther};

docs::DataCell text(std::string s) { return docs::DataCell{std::move(s), 0, false}; }
docs::DataCell number(std::int64_t v) { return docs::DataCell{std::to_string(v), double(v), true}; }

Response budget_page(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  const auth::Principal& who = *request.principal;
  BudgetView view;
  view.can_manage = auth::may(who, auth::Action::kManageBudget);
  auto programme = operations::current_programme(**tx);
  if (!programme) return app.error_response(request, programme.error());
  if (*programme) {
    auto s = operations::budget_summary(**tx, who, **programme, app.clock().today_in_tokyo());
    if (!s) return app.error_response(request, s.error());
    view.has_programme = true;
    view.cap = yen(s->cap);
    view.contract_total = yen(s->contract_total);
    view.expense_total = yen(s->expense_total);
    view.committed = yen(s->committed);
    view.remaining = yen(s->remaining);
    view.over_cap = s->remaining < 0;
    view.used_percent = s->cap > 0 ? fmt::format("{:.1f}%", 100.0 * double(s->committed) / double(s->cap)) : "—";
    for (const auto& c : s->contracts) {
      std::string blocks;
      for (const auto& b : c.blocks) blocks += (blocks.empty() ? "" : "・") + std::string(geo::block_label(b));
      view.contracts.push_back({c.name, fmt::format("/operations/operators/{}", c.operator_id), blocks, yen(c.amount),
                                fmt::format("{} 〜 {}", c.from.japanese(), c.to.japanese())});
    }
    for (std::size_t i = 0; i < 4; ++i) {
      view.categories.push_back({std::string(operations::expense_category_label(kCategories[i])),
                                 yen(s->expense_by_category[i])});
    }
    std::int64_t cum_planned = 0, cum_actual = 0;
    for (const auto& m : s->months) {
      cum_planned += m.planned_total;
      cum_actual += m.actual_total;
      view.months.push_back({month_label(m.month), yen(m.planned_total), yen(m.actual_total),
                             yen(m.actual_total - m.planned_total), m.actual_total > m.planned_total, yen(cum_planned),
                             yen(cum_actual)});
    }
    view.has_months = !view.months.empty();
    view.planned_total = yen(s->totals.planned_total);
    view.actual_total = yen(s->totals.actual_total);
    auto list = operations::expenses(**tx, who, **programme);
    if (!list) return app.error_response(request, list.error());
    int page = page_number(request);
    view.expense_count = int(list->size());
    for (std::size_t i = std::size_t(page - 1) * kExpensesPerPage; i < list->size() && i < std::size_t(page) * kExpensesPerPage;
         ++i) {
      const operations::Expense& e = (*list)[i];
      ExpenseRow row{.id = e.id,
                     .spent_on = e.spent_on.japanese(),
                     .category = std::string(operations::expense_category_label(e.category)),
                     .budget_line = e.budget_line,
                     .description = e.description,
                     .amount = yen(e.amount)};
      if (e.receipt_name) {
        row.receipt_href = fmt::format("/operations/budget/expenses/{}/receipt", e.id);
        row.receipt_label = fmt::format("{}（{}）", *e.receipt_name, callweb::size_label(e.receipt_size.value_or(0)));
      }
      if (view.can_manage) row.edit_href = fmt::format("/operations/budget/expenses/{}/edit", e.id);
      view.expenses.push_back(std::move(row));
    }
    view.has_expenses = !view.expenses.empty();
    view.pages = pagination("/operations/budget", page, kExpensesPerPage, std::int64_t(list->size()));
  }
  return app.page(request, "予算", "operations/budget", view, {kBudgetCrumbs[0], {"予算", ""}}, "/operations/budget");
}

Result<std::int64_t> programme_or_404(db::Transaction& tx) {
  auto programme = operations::current_programme(tx);
  if (!programme) return fail(programme.error());
  if (!*programme) return fail(Error::not_found("実証事業者が決まっていません"));
  return **programme;
}

Response expenses_xlsx(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto programme = programme_or_404(**tx);
  if (!programme) return app.error_response(request, programme.error());
  auto list = operations::expenses(**tx, *request.principal, *programme);
  if (!list) return app.error_response(request, list.error());
  docs::DataTable table;
  table.header = {"支出日", "費目", "予算科目", "内容", "金額（円）", "領収書"};
  for (const auto& e : *list) {
    table.rows.push_back({text(e.spent_on.iso()), text(std::string(operations::expense_category_label(e.category))),
                          text(e.budget_line), text(e.description), number(e.amount), text(e.receipt_name.value_or(""))});
  }
  tx->reset();
  return callweb::xlsx_download(app, request, "事務局の支出", std::move(table),
                                fmt::format("支出一覧_{}.xlsx", app.clock().today_in_tokyo().iso()));
}

Response plan_xlsx(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto programme = programme_or_404(**tx);
  if (!programme) return app.error_response(request, programme.error());
  auto s = operations::budget_summary(**tx, *request.principal, *programme, app.clock().today_in_tokyo());
  if (!s) return app.error_response(request, s.error());
  docs::DataTable table;
  table.header = {"月"};
  for (auto c : operations::kPlanCategories) table.header.push_back(fmt::format("計画 {}（円）", operations::plan_category_label(c)));
  table.header.push_back("計画 合計（円）");
  for (auto c : operations::kPlanCategories) table.header.push_back(fmt::format("実績 {}（円）", operations::plan_category_label(c)));
  table.header.push_back("実績 合計（円）");
  table.header.push_back("差額（実績−計画、円）");
  auto add = [&](const std::string& label, const operations::MonthLine& m) {
    std::vector<docs::DataCell> row{text(label)};
    for (auto v : m.planned) row.push_back(number(v));
    row.push_back(number(m.planned_total));
    for (auto v : m.actual) row.push_back(number(v));
    row.push_back(number(m.actual_total));
    row.push_back(number(m.actual_total - m.planned_total));
    table.rows.push_back(std::move(row));
  };
  for (const auto& m : s->months) add(m.month, m);
  add("合計", s->totals);
  tx->reset();
  return callweb::xlsx_download(app, request, "月別の計画と実績", std::move(table),
                                fmt::format("予算_計画と実績_{}.xlsx", app.clock().today_in_tokyo().iso()));
}

// ---------------------------------------------------------------------------------------------
// Expenses

struct TypedExpense {
  operations::ExpenseForm form;
  std::string amount;
};

Response expense_form(Application& app, Request& request, const TypedExpense& typed,
                      const std::vector<operations::FieldError>& errors, const std::optional<operations::Expense>& existing) {
  ExpenseFormView view;
  view.heading = existing ? "支出を編集" : "支出を記録";
  view.action = existing ? fmt::format("/operations/budget/expenses/{}", existing->id) : "/operations/budget/expenses";
  view.errors = form_errors(errors);
  view.has_errors = !errors.empty();
  view.spent_on = typed.form.spent_on;
  for (auto c : kCategories) {
    view.categories.push_back({std::string(operations::to_string(c)), std::string(operations::expense_category_label(c)),
                               typed.form.category == operations::to_string(c)});
  }
  view.budget_line = typed.form.budget_line;
  view.description = typed.form.description;
  view.amount = typed.amount;
  if (existing) {
    if (existing->receipt_name) view.current_receipt = *existing->receipt_name;
    view.delete_action = fmt::format("/operations/budget/expenses/{}/delete", existing->id);
  }
  view.spent_on_error = error_of(errors, "spent_on");
  view.category_error = error_of(errors, "category");
  view.budget_line_error = error_of(errors, "budget_line");
  view.description_error = error_of(errors, "description");
  view.amount_error = error_of(errors, "amount");
  view.receipt_error = error_of(errors, "receipt");
  return app.page(request, view.heading, "operations/expense_form", view, crumbs(view.heading), "/operations/budget",
                  errors.empty() ? http::status::ok : http::status::unprocessable_entity);
}

Response new_expense(Application& app, Request& request) {
  TypedExpense typed;
  typed.form.spent_on = app.clock().today_in_tokyo().iso();
  typed.form.category = "venue";
  return expense_form(app, request, typed, {}, std::nullopt);
}

// Reads the expense form and the receipt; every problem at once.
std::vector<operations::FieldError> read_typed(const Request& request, const UploadedFiles& uploads, TypedExpense& typed,
                                               operations::Expense& out, std::optional<operations::Receipt>& receipt) {
  typed.form = {request.field("spent_on"), request.field("category"), request.field("budget_line"),
                request.field("description"), std::nullopt};
  typed.amount = request.field("amount");
  std::vector<operations::FieldError> amount_errors;
  if (typed.amount.empty()) {
    amount_errors.push_back({"amount", "金額を入力してください"});
  } else if (auto parsed = callweb::parse_yen(typed.amount, "金額", "金額は半角または全角の数字で入力してください（例: 165,000）")) {
    typed.form.amount = *parsed;
  } else {
    amount_errors.push_back({"amount", parsed.error().message});
  }
  auto errors = operations::read_expense(typed.form, out);
  errors.insert(errors.end(), amount_errors.begin(), amount_errors.end());
  if (const QuarantinedFile* file = uploads.file("receipt")) {
    if (auto problem = operations::check_receipt(file->sniffed_type, std::int64_t(file->size))) {
      errors.push_back(*problem);
    } else {
      receipt = operations::Receipt{file->original_name, file->sniffed_type, uploads.bytes("receipt"), file->sha256};
    }
  }
  return errors;
}

Response create_expense(Application& app, Request& request) {
  UploadedFiles uploads(request);
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto programme = programme_or_404(**tx);
  if (!programme) return app.error_response(request, programme.error());
  TypedExpense typed;
  operations::Expense e;
  std::optional<operations::Receipt> receipt;
  auto errors = read_typed(request, uploads, typed, e, receipt);
  if (errors.empty()) {
    auto id = operations::add_expense(**tx, *request.principal, *programme, e, receipt, app.clock().now());
    if (!id) {
      if (id.error().code != ErrorCode::kInvalidArgument) return app.error_response(request, id.error());
      errors.push_back({"description", id.error().message});
    }
  }
  if (!errors.empty()) {
    tx->reset();
    return expense_form(app, request, typed, errors, std::nullopt);
  }
  if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
  return app.redirect_with_notice(request, "/operations/budget", "支出を記録しました。");
}

Result<std::optional<operations::Expense>> load_expense(db::Transaction& tx, const Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return std::optional<operations::Expense>{};
  return operations::find_expense(tx, *request.principal, *id);
}

Response edit_expense(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto e = load_expense(**tx, request);
  if (!e) return app.error_response(request, e.error());
  if (!*e) return app.error(request, http::status::not_found);
  TypedExpense typed{{(*e)->spent_on.iso(), std::string(operations::to_string((*e)->category)), (*e)->budget_line,
                      (*e)->description, (*e)->amount},
                     grouped((*e)->amount)};
  tx->reset();
  return expense_form(app, request, typed, {}, *e);
}

Response update_expense(Application& app, Request& request) {
  UploadedFiles uploads(request);
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto existing = load_expense(**tx, request);
  if (!existing) return app.error_response(request, existing.error());
  if (!*existing) return app.error(request, http::status::not_found);
  TypedExpense typed;
  operations::Expense e;
  std::optional<operations::Receipt> receipt;
  auto errors = read_typed(request, uploads, typed, e, receipt);
  if (errors.empty()) {
    auto r = operations::update_expense(**tx, *request.principal, (*existing)->id, e, receipt,
                                        request.field("remove_receipt") == "1", app.clock().now());
    if (!r) {
      if (r.error().code != ErrorCode::kInvalidArgument) return app.error_response(request, r.error());
      errors.push_back({"description", r.error().message});
    }
  }
  if (!errors.empty()) {
    tx->reset();
    return expense_form(app, request, typed, errors, *existing);
  }
  if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
  return app.redirect_with_notice(request, "/operations/budget", "支出を更新しました。");
}

Response delete_expense(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto existing = load_expense(**tx, request);
  if (!existing) return app.error_response(request, existing.error());
  if (!*existing) return app.error(request, http::status::not_found);
  if (auto r = operations::delete_expense(**tx, *request.principal, (*existing)->id, app.clock().now()); !r)
    return app.error_response(request, r.error());
  if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
  return app.redirect_with_notice(request, "/operations/budget", "支出を削除しました。");
}

Response expense_receipt(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto receipt = operations::expense_receipt(**tx, *request.principal, *id);
  if (!receipt) return app.error_response(request, receipt.error());
  if (!*receipt) return app.error(request, http::status::not_found);
  return callweb::download(call::StoredFile{(*receipt)->name, (*receipt)->content_type, std::move((*receipt)->bytes)});
}

// ---------------------------------------------------------------------------------------------
// Monthly plan

std::string cell_name(const std::string& month, std::string_view category) {
  return fmt::format("plan_{}_{}", month, category);
}

Response plan_page(Application& app, Request& request, const std::vector<std::string>& months,
                   const std::map<std::string, std::string>& values, const std::vector<operations::FieldError>& errors) {
  BudgetPlanView view;
  view.errors = form_errors(errors);
  view.has_errors = !errors.empty();
  for (auto c : operations::kPlanCategories) view.categories.emplace_back(operations::plan_category_label(c));
  for (const auto& m : months) {
    PlanMonthRow row{month_label(m), {}};
    for (auto c : operations::kPlanCategories) {
      std::string name = cell_name(m, c);
      auto it = values.find(name);
      row.cells.push_back({name, fmt::format("{} {}", month_label(m), operations::plan_category_label(c)),
                           it == values.end() ? "" : it->second, error_of(errors, name).has_value()});
    }
    view.months.push_back(std::move(row));
  }
  view.has_months = !view.months.empty();
  return app.page(request, "月別の予算計画", "operations/budget_plan", view, crumbs("月別の予算計画"), "/operations/budget",
                  errors.empty() ? http::status::ok : http::status::unprocessable_entity);
}

Response edit_plan(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  std::vector<std::string> months;
  std::map<std::string, std::string> values;
  auto programme = operations::current_programme(**tx);
  if (!programme) return app.error_response(request, programme.error());
  if (*programme) {
    auto s = operations::budget_summary(**tx, *request.principal, **programme, app.clock().today_in_tokyo());
    if (!s) return app.error_response(request, s.error());
    for (const auto& m : s->months) {
      months.push_back(m.month);
      for (std::size_t i = 0; i < operations::kPlanCategories.size(); ++i) {
        if (m.planned[i]) values[cell_name(m.month, operations::kPlanCategories[i])] = grouped(m.planned[i]);
      }
    }
  }
  tx->reset();
  return plan_page(app, request, months, values, {});
}

Response save_plan(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto programme = programme_or_404(**tx);
  if (!programme) return app.error_response(request, programme.error());
  auto months = operations::budget_months(**tx, *programme);
  if (!months) return app.error_response(request, months.error());
  std::vector<operations::PlanCell> cells;
  std::map<std::string, std::string> values;
  std::vector<operations::FieldError> errors;
  for (const auto& m : *months) {
    for (auto c : operations::kPlanCategories) {
      std::string name = cell_name(m, c);
      std::string typed = request.field(name);
      values[name] = typed;
      if (typed.empty()) continue;
      std::string label = fmt::format("{}の{}", month_label(m), operations::plan_category_label(c));
      auto parsed = callweb::parse_yen(typed, label, fmt::format("{}は数字で入力してください", label));
      if (!parsed) {
        errors.push_back({name, parsed.error().message});
        continue;
      }
      cells.push_back({m, std::string(c), *parsed});
    }
  }
  if (errors.empty()) {
    auto r = operations::save_plan(**tx, *request.principal, *programme, cells, app.clock().now());
    if (!r) return app.error_response(request, r.error());
  }
  if (!errors.empty()) {
    tx->reset();
    return plan_page(app, request, *months, values, errors);
  }
  if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
  return app.redirect_with_notice(request, "/operations/budget", "月別の予算計画を保存しました。");
}

}  // namespace

void register_budget_routes(Application& app) {
  using auth::Action;
  constexpr std::size_t kReceiptBody = std::size_t(operations::kReceiptLimit) + 1024 * 1024;
  app.get("/operations/budget", {.required = Action::kViewBudget}, budget_page);
  app.get("/operations/budget/expenses.xlsx", {.required = Action::kViewBudget, .protected_info = true}, expenses_xlsx);
  app.get("/operations/budget/plan.xlsx", {.required = Action::kViewBudget}, plan_xlsx);
  app.get("/operations/budget/expenses/new", {.required = Action::kManageBudget}, new_expense);
  app.post("/operations/budget/expenses",
           {.required = Action::kManageBudget, .body = BodyKind::kMultipart, .body_limit = kReceiptBody}, create_expense);
  app.get("/operations/budget/expenses/{id}/edit", {.required = Action::kManageBudget}, edit_expense);
  app.post("/operations/budget/expenses/{id}",
           {.required = Action::kManageBudget, .body = BodyKind::kMultipart, .body_limit = kReceiptBody}, update_expense);
  app.post("/operations/budget/expenses/{id}/delete", {.required = Action::kManageBudget, .body = BodyKind::kForm},
           delete_expense);
  app.get("/operations/budget/expenses/{id}/receipt", {.required = Action::kViewBudget, .protected_info = true}, expense_receipt);
  app.get("/operations/budget/plan", {.required = Action::kManageBudget}, edit_plan);
  app.post("/operations/budget/plan", {.required = Action::kManageBudget, .body = BodyKind::kForm}, save_plan);
  app.add_nav_item({"予算", "/operations/budget", Action::kViewBudget});
}

}  // namespace kakehashi::web::opsweb
