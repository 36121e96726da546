// GET /api/v1/budget (issue 15, part C): the programme's cap, contract amounts per operator,
// the secretariat's expenses by category and by month, and plan vs actual by month, in integer
// yen (kViewBudget: secretariat and METI; the budget has no per-operator scope). Described in
// openapi_budget.json.
#include <boost/json.hpp>

#include "operations/budget.h"
#include "operations/service.h"
#include "web/handlers/operations/support_common.h"

namespace kakehashi::web::opsweb {
namespace {

Response budget_json(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto programme = operations::current_programme(**tx);
  if (!programme) return app.error_response(request, programme.error());
  Date today = app.clock().today_in_tokyo();
  if (!*programme) {
    // Before any award: the cap and nothing else, so a spreadsheet refreshing this still works.
    auto settings = operations::settings(**tx);
    if (!settings) return app.error_response(request, settings.error());
    boost::json::object by_category{{"venue", 0}, {"speakers", 0}, {"publicity", 0}, {"other", 0}};
    boost::json::object empty{{"call_id", nullptr},
                              {"as_of", today.iso()},
                              {"cap", settings->programme_cap},
                              {"contract_total", 0},
                              {"expense_total", 0},
                              {"committed", 0},
                              {"remaining", settings->programme_cap},
                              {"contracts", boost::json::array{}},
                              {"expenses_by_category", by_category},
                              {"months", boost::json::array{}}};
    return Response::json(boost::json::serialize(empty));
  }
  auto s = operations::budget_summary(**tx, *request.principal, **programme, today);
  if (!s) return app.error_response(request, s.error());
  boost::json::array contracts;
  for (const auto& c : s->contracts) {
    boost::json::array blocks;
    for (const auto& b : c.blocks) blocks.emplace_back(b);
    contracts.push_back(boost::json::object{{"operator_id", c.operator_id}, {"name", c.name}, {"blocks", blocks},
                                            {"amount", c.amount}, {"contract_from", c.from.iso()},
                                            {"contract_to", c.to.iso()}});
  }
  boost::json::object by_category;
  constexpr std::string_view kExpenseCategories[] = {"venue", "speakers", "publicity", "other"};
  for (std::size_t i = 0; i < 4; ++i) by_category[kExpenseCategories[i]] = s->expense_by_category[i];
  auto per_category = [](const std::array<std::int64_t, 5>& values) {
    boost::json::object out;
    for (std::size_t i = 0; i < operations::kPlanCategories.size(); ++i) out[operations::kPlanCategories[i]] = values[i];
    return out;
  };
  boost::json::array months;
  for (const auto& m : s->months) {
    months.push_back(boost::json::object{{"month", m.month},
                                         {"planned", per_category(m.planned)},
                                         {"actual", per_category(m.actual)},
                                         {"planned_total", m.planned_total},
                                         {"actual_total", m.actual_total}});
  }
  boost::json::object body{{"call_id", s->call_id},
                           {"as_of", today.iso()},
                           {"cap", s->cap},
                           {"contract_total", s->contract_total},
                           {"expense_total", s->expense_total},
                           {"committed", s->committed},
                           {"remaining", s->remaining},
                           {"contracts", contracts},
                           {"expenses_by_category", by_category},
                           {"months", months}};
  return Response::json(boost::json::serialize(body));
}

}  // namespace

void register_budget_api(Application& app) {
  app.get("/api/v1/budget", {.required = auth::Action::kViewBudget}, budget_json);
}

}  // namespace kakehashi::web::opsweb
