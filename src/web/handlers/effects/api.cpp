// /api/v1/kpis, /api/v1/surveys and /api/v1/surveys/{id}/results (issue 20), within the caller's
// kViewOperations reach. The results are the survey engine's JSON as `kakehashi survey analyze
// --format json` prints it (items[] with t_test {t, df, p, ci95} and wilcoxon); for callers who
// may not see personal data the skipped rows' reasons and excluded answers' texts are withheld.
// Described in openapi_effects.json.
#include <boost/json.hpp>
#include <fmt/format.h>

#include "survey/report.h"
#include "web/handlers/api/list.h"
#include "web/handlers/call/common.h"
#include "web/handlers/effects/common.h"

namespace kakehashi::web::effectsweb {
namespace {

namespace fx = effects;

boost::json::value optional_id(const std::optional<std::int64_t>& id) {
  return id ? boost::json::value(*id) : boost::json::value(nullptr);
}

boost::json::object kpi_json(const fx::Kpi& k) {
  boost::json::array actuals;
  for (const auto& a : k.actuals)
    actuals.push_back(boost::json::object{{"period", a.period}, {"value", a.value}, {"source", a.source},
                                          {"evidence", a.evidence}, {"recorded_at", a.recorded_at}});
  auto progress = k.progress();
  return boost::json::object{{"id", k.id},
                             {"operator_id", k.operator_id},
                             {"project_id", optional_id(k.project_id)},
                             {"block", k.block_id},
                             {"name", k.name},
                             {"unit", k.unit},
                             {"kind", std::string(fx::to_string(k.kind))},
                             {"shared", k.shared_key.empty() ? boost::json::value(nullptr) : boost::json::value(k.shared_key)},
                             {"cumulative", k.cumulative},
                             {"baseline", k.baseline},
                             {"target", k.target},
                             {"current", k.current()},
                             {"progress", progress ? boost::json::value(*progress) : boost::json::value(nullptr)},
                             {"actuals", actuals}};
}

template <typename T, typename F>
Response paged(Application& app, Request& request, const std::vector<T>& all, F&& to_json) {
  auto page = api_page(request);
  if (!page) return app.error(request, http::status::bad_request, page.error().message);
  boost::json::array items;
  for (std::size_t i = std::size_t(page->offset()); i < all.size() && items.size() < std::size_t(page->per_page); ++i)
    items.push_back(to_json(all[i]));
  return api_list(request, *page, std::int64_t(all.size()), std::move(items));
}

Response list_kpis(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto kpis = fx::visible_kpis(**tx, *request.principal);
  if (!kpis) return app.error_response(request, kpis.error());
  std::string operator_filter = request.query_param("operator_id");
  std::vector<fx::Kpi> chosen;
  for (auto& k : *kpis)
    if (operator_filter.empty() || operator_filter == std::to_string(k.operator_id)) chosen.push_back(std::move(k));
  return paged(app, request, chosen, kpi_json);
}

boost::json::object survey_json(const fx::Survey& s) {
  return boost::json::object{{"id", s.id},
                             {"operator_id", s.operator_id},
                             {"project_id", optional_id(s.project_id)},
                             {"block", s.block_id},
                             {"title", s.title},
                             {"analysed", s.analysed()},
                             {"pairs", s.pairs},
                             {"analysed_at", s.analysed_at ? boost::json::value(*s.analysed_at) : boost::json::value(nullptr)},
                             {"results", s.analysed() ? boost::json::value(fmt::format("/api/v1/surveys/{}/results", s.id))
                                                      : boost::json::value(nullptr)}};
}

Response list_surveys(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto surveys = fx::visible_surveys(**tx, *request.principal);
  if (!surveys) return app.error_response(request, surveys.error());
  std::string operator_filter = request.query_param("operator_id");
  std::vector<fx::Survey> chosen;
  for (auto& s : *surveys)
    if (operator_filter.empty() || operator_filter == std::to_string(s.operator_id)) chosen.push_back(std::move(s));
  return paged(app, request, chosen, survey_json);
}

Response survey_results(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto s = fx::find_survey(**tx, *request.principal, *id);
  if (!s) return app.error_response(request, s.error());
  if (!*s || !(*s)->analysed()) return app.error(request, http::status::not_found);
  auto json = fx::results_json(**tx, *request.principal, **s);
  if (!json) return app.error_response(request, json.error());
  return Response::json(survey::format_json(*json));
}

}  // namespace

void register_api_routes(Application& app) {
  using auth::Action;
  app.get("/api/v1/kpis", {.required = Action::kViewOperations}, list_kpis);
  app.get("/api/v1/surveys", {.required = Action::kViewOperations}, list_surveys);
  app.get("/api/v1/surveys/{id}/results", {.required = Action::kViewOperations, .protected_info = true}, survey_results);
}

}  // namespace kakehashi::web::effectsweb
