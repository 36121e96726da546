#include "web/handlers/effects/common.h"

#include <cmath>
#include <fmt/format.h>

#include "docs/figures.h"
#include "geo/geo.h"
#include "web/content_disposition.h"
#include "web/handlers/call/common.h"

namespace kakehashi::web::effectsweb {

std::string operator_href(std::int64_t id) { return fmt::format("/effects/operators/{}", id); }
std::string survey_href(std::int64_t id) { return fmt::format("/effects/surveys/{}", id); }
std::string kpi_href(std::int64_t id) { return fmt::format("/effects/kpis/{}", id); }

std::string number_text(double value) {
  double rounded = std::round(value * 100) / 100;
  return docs::format_number(rounded, rounded == std::floor(rounded) ? 0 : (rounded * 10 == std::floor(rounded * 10) ? 1 : 2));
}

std::string block_name(std::string_view block_id) {
  const geo::Block* b = geo::find_block(block_id);
  return b ? std::string(b->name) : std::string(block_id);
}

std::string block_names(const operations::Operator& op) {
  std::string out;
  for (const auto& b : op.blocks) out += (out.empty() ? "" : "・") + block_name(b.block_id);
  return out;
}

FigureView figure_view(const effects::Figure& figure, const std::string& base) {
  FigureView v;
  v.id = figure.id;
  v.title = figure.title;
  v.svg = Html{figure.svg};
  v.summary = figure.summary;
  v.header = figure.data.header;
  for (const auto& row : figure.data.rows) {
    FigureRow r;
    for (const auto& c : row) r.cells.push_back(c.text);
    v.rows.push_back(std::move(r));
  }
  v.csv_href = base + "/csv";
  v.xlsx_href = base + "/xlsx";
  v.svg_href = base + "/svg";
  return v;
}

Response figure_download(Application& app, const Request& request, const effects::Figure& figure) {
  std::string format = request.params.contains("format") ? request.params.at("format") : "";
  std::string stem = effects::file_stem(figure.title);
  if (format == "svg") {
    Response r;
    r.content_type = "image/svg+xml";
    r.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + figure.svg;
    r.with_header("Content-Disposition", content_disposition(stem + ".svg"));
    return r;
  }
  if (format == "csv") {
    Response r;
    r.content_type = "text/csv; charset=utf-8";
    r.body = docs::figure_csv(figure.data);
    r.with_header("Content-Disposition", content_disposition(stem + ".csv"));
    return r;
  }
  if (format == "xlsx") return callweb::xlsx_download(app, request, figure.title, figure.data, stem + ".xlsx");
  return app.error(request, http::status::not_found);
}

Result<std::optional<operations::Operator>> load_operator(db::Transaction& tx, const Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return std::optional<operations::Operator>{};
  return effects::find_operator(tx, *request.principal, *id);
}

std::vector<Breadcrumb> crumbs(const std::string& operator_name, std::int64_t operator_id, const std::string& page) {
  std::vector<Breadcrumb> out{{"効果検証", "/effects"}};
  if (!operator_name.empty()) out.push_back({operator_name, page.empty() ? "" : operator_href(operator_id)});
  if (!page.empty()) out.push_back({page, ""});
  return out;
}

}  // namespace kakehashi::web::effectsweb
