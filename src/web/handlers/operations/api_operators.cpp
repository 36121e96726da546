// /api/v1/operators: the operators of a programme year as JSON, within the holder's reach
// (operations/access.h: the secretariat and METI all, an operator its own, a bureau the blocks of
// its bureau); an operator out of reach answers 404 like one that does not exist. Described in
// openapi_operators.json next to this file. Contacts (personal data) are not part of the API.
#include <charconv>

#include <boost/json.hpp>

#include "geo/geo.h"
#include "operations/service.h"
#include "web/handlers/api/list.h"
#include "web/handlers/handlers.h"
#include "web/handlers/operations/common.h"

namespace kakehashi::web {
namespace {

boost::json::object operator_json(const operations::Operator& op) {
  boost::json::array blocks;
  for (const auto& block : op.blocks) {
    const geo::Block* info = geo::find_block(block.block_id);
    blocks.push_back(boost::json::object{{"block_id", block.block_id},
                                         {"name", info ? std::string(info->name) : block.block_id},
                                         {"amount", block.amount}});
  }
  return boost::json::object{{"id", op.id},
                             {"call_id", op.call_id},
                             {"organisation_id", op.organisation_id},
                             {"name", op.name},
                             {"contract_amount", op.contract_amount},
                             {"contract_from", op.contract_from.iso()},
                             {"contract_to", op.contract_to.iso()},
                             {"final_goal", op.final_goal},
                             {"project_target", op.project_target},
                             {"blocks", std::move(blocks)},
                             {"created_at", op.created_at},
                             {"updated_at", op.updated_at}};
}

// ?call_id= (the programme year), else the current one; nullopt when the value is malformed.
std::optional<std::optional<std::int64_t>> call_param(const Request& request) {
  std::string text = request.query_param("call_id");
  if (text.empty()) return std::optional<std::int64_t>{};
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return std::optional<std::int64_t>{id};
}

Response list_operators(Application& app, Request& request) {
  auto page = api_page(request);
  if (!page) return app.error(request, http::status::bad_request, page.error().message);
  auto call = call_param(request);
  if (!call) return app.error(request, http::status::bad_request, "call_id は 1 以上の整数で指定してください");
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  std::optional<std::int64_t> call_id = *call;
  if (!call_id) {
    auto current = operations::current_programme(**tx);
    if (!current) return app.error_response(request, current.error());
    call_id = *current;
  }
  std::vector<operations::Operator> operators;
  if (call_id) {
    auto listed = operations::list_operators(**tx, *request.principal, *call_id);
    if (!listed) return app.error_response(request, listed.error());
    operators = std::move(*listed);
  }
  boost::json::array items;
  for (std::size_t i = static_cast<std::size_t>(page->offset());
       i < operators.size() && items.size() < static_cast<std::size_t>(page->per_page); ++i) {
    items.push_back(operator_json(operators[i]));
  }
  return api_list(request, *page, static_cast<std::int64_t>(operators.size()), std::move(items));
}

Response show_operator(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto found = opsweb::load_operator(**tx, request);
  if (!found) return app.error_response(request, found.error());
  if (!*found) return app.error(request, http::status::not_found);
  return Response::json(boost::json::serialize(operator_json(**found)));
}

}  // namespace

void register_operations_api_routes(Application& app) {
  app.get("/api/v1/operators", {.required = auth::Action::kViewOperations, .protected_info = true}, list_operators);
  app.get("/api/v1/operators/{id}", {.required = auth::Action::kViewOperations, .protected_info = true}, show_operator);
}

}  // namespace kakehashi::web
