// The roll-up across blocks (issue 20): the shared indicators per block and programme-wide, the
// surveys' improved items, their charts, and the report's effect chapter to download (Markdown
// or DOCX through the document engine). Within the reader's reach (METI and the secretariat see
// every block, a bureau its own).
#include <fmt/format.h>

#include "docs/docx.h"
#include "docs/markdown.h"
#include "web/content_disposition.h"
#include "web/handlers/effects/common.h"

namespace kakehashi::web::effectsweb {
namespace {

namespace fx = effects;

Response rollup_page(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto r = fx::rollup(**tx, *request.principal);
  if (!r) return app.error_response(request, r.error());
  RollupView v;
  v.scope = r->whole_programme ? "全国（10 ブロック）の集計です。"
                               : "あなたが閲覧できるブロックの集計です（全国の合計ではありません）。";
  for (const auto& s : fx::shared_indicators()) v.indicators.push_back(fmt::format("{}（{}）", s.name, s.unit));
  auto row_of = [&](const fx::RollupLine& line, bool total) {
    RollupRow row;
    row.block = line.block_name;
    row.operators = line.operators;
    row.surveys = line.surveys;
    row.items = line.items;
    row.improved = line.improved;
    row.total = total;
    for (std::size_t s = 0; s < line.current.size(); ++s)
      row.cells.push_back(fmt::format("{} / {}", number_text(line.current[s]), number_text(line.target[s])));
    return row;
  };
  for (const auto& line : r->blocks) v.rows.push_back(row_of(line, false));
  v.rows.push_back(row_of(r->total, true));
  for (const auto& f : fx::rollup_figures(*r)) v.figures.push_back(figure_view(f, "/effects/rollup/charts/" + f.id));
  v.chapter_md_href = "/effects/rollup/chapter/md";
  v.chapter_docx_href = "/effects/rollup/chapter/docx";
  return app.page(request, "効果の集計（ブロック別・全国）", "effects/rollup", v,
                  {{"効果検証", "/effects"}, {"ブロック別・全国の集計", ""}}, "/effects");
}

Response rollup_chart(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto r = fx::rollup(**tx, *request.principal);
  if (!r) return app.error_response(request, r.error());
  for (const auto& f : fx::rollup_figures(*r))
    if (f.id == request.params["chart"]) return figure_download(app, request, f);
  return app.error(request, http::status::not_found);
}

Response chapter(Application& app, Request& request) {
  const std::string& format = request.params["format"];
  if (format != "md" && format != "docx") return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto c = fx::report_chapter(**tx, *request.principal);
  if (!c) return app.error_response(request, c.error());
  Response response;
  if (format == "md") {
    response.content_type = "text/markdown; charset=utf-8";
    response.body = c->markdown;
    response.with_header("Content-Disposition", content_disposition("効果検証の章.md"));
    return response;
  }
  auto doc = docs::parse_markdown(c->markdown);
  if (!doc) return app.error_response(request, doc.error());
  doc->meta.title = "効果検証";
  auto docx = docs::render_docx(*doc);
  if (!docx) return app.error_response(request, docx.error());
  response.content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  response.body = std::move(docx->bytes);
  response.with_header("Content-Disposition", content_disposition("効果検証の章.docx"));
  return response;
}

}  // namespace

void register_rollup_routes(Application& app) {
  using auth::Action;
  app.get("/effects/rollup", {.required = Action::kViewOperations}, rollup_page);
  app.get("/effects/rollup/charts/{chart}/{format}", {.required = Action::kViewOperations}, rollup_chart);
  app.get("/effects/rollup/chapter/{format}", {.required = Action::kViewOperations}, chapter);
}

}  // namespace kakehashi::web::effectsweb
