// Helpers the effect-verification screens share (issue 20). URL scheme of the module:
//   /effects                                  operators in reach with their KPIs and surveys
//   /effects/operators/{id}                   an operator's KPIs (progress chart) and surveys
//   /effects/operators/{id}/kpis/new          a new KPI; /effects/kpis/{id} its actuals
//   /effects/operators/{id}/surveys/new       a new survey; /effects/surveys/{id} upload, results
//   /effects/surveys/{id}/mapping | preview   the column mapping and the pairing preview
//   /effects/rollup                           per block and programme-wide, the report chapter
//   …/charts/{chart}/{format}                 a chart as svg, or its data as csv / xlsx
#pragma once

#include <string>
#include <vector>

#include "effects/report.h"
#include "effects/service.h"
#include "web/handlers/effects/views.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web::effectsweb {

std::string operator_href(std::int64_t id);
std::string survey_href(std::int64_t id);
std::string kpi_href(std::int64_t id);

// The figure for a page: its SVG, text alternative and download links under `base`
// ("/effects/surveys/3/charts/means" + "/csv" …).
FigureView figure_view(const effects::Figure& figure, const std::string& base);
// A chart download: svg, csv (UTF-8 with BOM) or xlsx, named after the chart; 404 otherwise.
Response figure_download(Application& app, const Request& request, const effects::Figure& figure);

// "1,234" / "12.5"
std::string number_text(double value);
// "北海道・北陸"
std::string block_names(const operations::Operator& op);
std::string block_name(std::string_view block_id);

// The operator of the path (id) within kViewOperations reach; nullopt → 404.
[[nodiscard]] Result<std::optional<operations::Operator>> load_operator(db::Transaction& tx, const Request& request);

std::vector<Breadcrumb> crumbs(const std::string& operator_name = "", std::int64_t operator_id = 0,
                               const std::string& page = "");

}  // namespace kakehashi::web::effectsweb

namespace kakehashi::web::effectsweb {
void register_kpi_routes(Application& app);     // kpis.cpp
void register_survey_routes(Application& app);  // surveys.cpp
void register_rollup_routes(Application& app);  // rollup.cpp
void register_api_routes(Application& app);     // api.cpp
}  // namespace kakehashi::web::effectsweb
