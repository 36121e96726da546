// The public case collection (issue 19): /cases without login — published cases and lessons
// only, search with facets, a stable page per item, the stakeholder map, photos (stored without
// metadata) and the open data (CSV with BOM, JSON, DCAT-style metadata). Nothing here shows
// anything unpublished or anyone's personal data (authors, consent notes, findings).
#include <charconv>

#include <fmt/format.h>

#include "knowledge/opendata.h"
#include "knowledge/service.h"
#include "web/handlers/knowledge/common.h"

namespace kakehashi::web {
namespace {

using namespace knowweb;
using knowledge::Kind;

std::optional<std::int64_t> id_param(const Request& request, const char* name = "id") {
  auto it = request.params.find(name);
  if (it == request.params.end()) return std::nullopt;
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), id);
  if (ec != std::errc{} || end != it->second.data() + it->second.size() || id <= 0) return std::nullopt;
  return id;
}

Response search_page(Application& app, Request& request, Kind kind) {
  auto search = search_request(request, kind);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto result = knowledge::search_published(**tx, search);
  if (!result) return app.error_response(request, result.error());
  std::string base = kind == Kind::kCase ? "/cases" : "/cases/lessons";
  SearchView view = search_view(search, *result, base, false);
  view.tabs = public_tabs(base);
  if (kind == Kind::kCase) {
    view.heading = "産業界と教育現場の連携 事例集";
    view.lead = "「未来の教室」実証事業で生まれた、企業・自治体・学校などの連携の事例です。ヒト・モノ・カネの分野や地域、学校種、効果で絞り込めます。";
    view.search_label = "事例を検索";
    view.open_data = true;
  } else {
    view.heading = "ポイント集（成功要因と失敗から学んだこと）";
    view.lead = "実証事業の成功要因と、うまくいかなかったことから学んだことをまとめています。";
    view.search_label = "教訓を検索";
  }
  return app.page(request, view.heading, "knowledge/search", view, {}, "");
}

Response cases(Application& app, Request& request) { return search_page(app, request, Kind::kCase); }
Response lessons(Application& app, Request& request) { return search_page(app, request, Kind::kLesson); }

Response item_page(Application& app, Request& request, Kind kind) {
  auto id = id_param(request);
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto item = knowledge::find_published(**tx, *id);
  if (!item) return app.error_response(request, item.error());
  if (!*item || (*item)->kind != kind) return app.error(request, http::status::not_found);
  auto photos = knowledge::photos(**tx, *id);
  if (!photos) return app.error_response(request, photos.error());
  PublicItemView view;
  view.item = item_content(**item, *photos, "/cases/photos");
  view.back_href = kind == Kind::kCase ? "/cases" : "/cases/lessons";
  view.back_label = kind == Kind::kCase ? "事例集に戻る" : "ポイント集に戻る";
  view.json_href = fmt::format("/api/v1/{}/{}", kind == Kind::kCase ? "cases" : "lessons", *id);
  return app.page(request, (*item)->title, "knowledge/public_item", view,
                  {{kind == Kind::kCase ? "事例集" : "ポイント集", view.back_href}, {(*item)->title, ""}}, "");
}

Response show_case(Application& app, Request& request) { return item_page(app, request, Kind::kCase); }
Response show_lesson(Application& app, Request& request) { return item_page(app, request, Kind::kLesson); }

Response stakeholders(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto map = knowledge::stakeholder_map(**tx);
  if (!map) return app.error_response(request, map.error());
  StakeholdersView view;
  view.tabs = public_tabs("/cases/stakeholders");
  view.svg = Html{stakeholder_svg(*map)};
  for (const auto& s : *map)
    view.rows.push_back({s.name, s.roles, s.actions, s.cases, s.lessons, "/cases?stakeholder=" + s.code,
                         "/cases/lessons?stakeholder=" + s.code, std::nullopt});
  return app.page(request, "ステークホルダーに期待される役割とアクション", "knowledge/stakeholders", view,
                  {{"事例集", "/cases"}, {"ステークホルダー", ""}}, "");
}

Response photo(Application& app, Request& request) {
  auto id = id_param(request);
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto found = knowledge::find_photo(**tx, nullptr, *id);
  if (!found) return app.error_response(request, found.error());
  if (!*found) return app.error(request, http::status::not_found);
  Response r;
  r.content_type = (*found)->first.content_type;
  r.body = std::move((*found)->second);
  return r;
}

Response data_csv(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto items = knowledge::published_items(**tx, Kind::kCase);
  if (!items) return app.error_response(request, items.error());
  Response r;
  r.content_type = "text/csv; charset=utf-8";
  r.body = knowledge::cases_csv(*items, app.config().public_url);
  r.with_header("Content-Disposition", "attachment; filename=\"cases.csv\"; filename*=UTF-8''" + url_encode("事例集.csv"));
  return r;
}

Response data_json(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto c = knowledge::published_items(**tx, Kind::kCase);
  if (!c) return app.error_response(request, c.error());
  auto l = knowledge::published_items(**tx, Kind::kLesson);
  if (!l) return app.error_response(request, l.error());
  return Response::json(knowledge::collection_json(*c, *l, app.config().public_url));
}

Response dcat(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto c = knowledge::published_items(**tx, Kind::kCase);
  if (!c) return app.error_response(request, c.error());
  auto l = knowledge::published_items(**tx, Kind::kLesson);
  if (!l) return app.error_response(request, l.error());
  auto modified = knowledge::last_modified(**tx);
  if (!modified) return app.error_response(request, modified.error());
  return Response::json(knowledge::dcat_json(c->size(), l->size(), modified->value_or("").substr(0, 10),
                                             app.config().public_url));
}

}  // namespace

void register_knowledge_public_routes(Application& app) {
  RouteOptions open{.public_route = true};
  // Literal paths before /cases/{id}: the first matching route wins.
  app.get("/cases", open, cases);
  app.get("/cases/lessons", open, lessons);
  app.get("/cases/stakeholders", open, stakeholders);
  app.get("/cases/data.csv", open, data_csv);
  app.get("/cases/data.json", open, data_json);
  app.get("/cases/dcat.json", open, dcat);
  app.get("/cases/lessons/{id}", open, show_lesson);
  app.get("/cases/photos/{id}", open, photo);
  app.get("/cases/{id}", open, show_case);
}

}  // namespace kakehashi::web
