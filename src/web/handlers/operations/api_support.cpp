// GET /api/v1/support-logs (issue 15, part C): the secretariat's support log entries of the
// current programme year that the reader may see (kViewSupport: secretariat and METI all, a
// bureau the operators of its blocks, an operator its own), newest first, paginated
// (?page=&per_page=, at most 200), optionally for one operator (?operator_id=; out of reach 404).
// Described in openapi_budget.json.
#include <boost/json.hpp>

#include <algorithm>

#include "operations/service.h"
#include "operations/support.h"
#include "web/handlers/call/common.h"
#include "web/handlers/operations/support_common.h"

namespace kakehashi::web::opsweb {
namespace {

int bounded(const std::string& text, int fallback, int max) {
  if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos) return fallback;
  return std::clamp(std::stoi(text), 1, max);
}

Response support_logs_json(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  const auth::Principal& who = *request.principal;
  int page = bounded(request.query_param("page"), 1, 1'000'000);
  int per_page = bounded(request.query_param("per_page"), 50, 200);
  std::vector<std::pair<operations::SupportLog, std::string>> all;
  auto programme = operations::current_programme(**tx);
  if (!programme) return app.error_response(request, programme.error());
  std::string only = request.query_param("operator_id");
  std::optional<std::int64_t> only_id;
  if (!only.empty()) {
    only_id = callweb::parse_id(only);
    if (!only_id) return app.error(request, http::status::not_found);
  }
  if (*programme) {
    auto ops = operations::all_operators(**tx, **programme);
    if (!ops) return app.error_response(request, ops.error());
    bool found = !only_id;
    for (const auto& op : *ops) {
      if (only_id && op.id != *only_id) continue;
      auto logs = operations::support_logs(**tx, who, op.id);
      if (!logs) return app.error_response(request, logs.error());
      if (!*logs) continue;
      found = true;
      for (auto& l : **logs) all.emplace_back(std::move(l), op.name);
    }
    if (!found) return app.error(request, http::status::not_found);
  } else if (only_id) {
    return app.error(request, http::status::not_found);
  }
  std::ranges::stable_sort(all, [](const auto& a, const auto& b) {
    if (a.first.held_on != b.first.held_on) return a.first.held_on > b.first.held_on;
    return a.first.id > b.first.id;
  });
  boost::json::array items;
  for (std::size_t i = std::size_t(page - 1) * per_page; i < all.size() && i < std::size_t(page) * per_page; ++i) {
    const auto& [l, name] = all[i];
    boost::json::object item{{"id", l.id},
                             {"operator_id", l.operator_id},
                             {"operator_name", name},
                             {"held_on", l.held_on.iso()},
                             {"kind", operations::to_string(l.kind)},
                             {"topic", l.topic},
                             {"advice", l.advice},
                             {"next_step", l.next_step}};
    item["next_step_due"] = l.next_step_due ? boost::json::value(l.next_step_due->iso()) : boost::json::value(nullptr);
    item["next_step_owner"] = l.next_step_owner ? boost::json::value(*l.next_step_owner) : boost::json::value(nullptr);
    item["next_step_done"] = l.next_step_done_at.has_value();
    items.push_back(std::move(item));
  }
  boost::json::object body{{"items", items}, {"page", page}, {"per_page", per_page}, {"total", std::int64_t(all.size())}};
  return Response::json(boost::json::serialize(body));
}

}  // namespace

void register_support_api(Application& app) {
  app.get("/api/v1/support-logs", {.required = auth::Action::kViewSupport, .protected_info = true}, support_logs_json);
}

}  // namespace kakehashi::web::opsweb
