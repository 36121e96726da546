// The software ledger (issue 21, R8.3): every Debian and npm package from the build, with
// version, where used, licence and end of support; as XLSX; the SBOM as CycloneDX 1.5 JSON.
#include <fmt/format.h>

#include "auth/policy.h"
#include "compliance/ledger.h"
#include "web/handlers/call/common.h"
#include "web/handlers/compliance/views.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web::compliance_web {
namespace {

Response ledger_page(Application& app, Request& request) {
  LedgerView view;
  std::size_t debian = 0, npm = 0;
  for (const auto& e : kakehashi::compliance::software_ledger()) {
    (e.ecosystem == "npm" ? npm : debian) += 1;
    view.rows.push_back({e.ecosystem, e.name, e.version, e.used_in, e.licences, e.end_of_support, e.shipped});
  }
  view.summary = fmt::format("Debian パッケージ {} 件、npm パッケージ {} 件（ビルド時に生成）", debian, npm);
  return app.page(request, "ソフトウェア管理台帳", "compliance/ledger", view,
                  {{"情報管理", "/compliance"}, {"ソフトウェア管理台帳", ""}}, "/compliance");
}

Response ledger_xlsx(Application& app, Request& request) {
  docs::DataTable table;
  table.header = {"種別", "名称", "バージョン", "導入箇所", "ライセンス", "サポート期限", "製品に同梱"};
  auto cell = [](std::string text) { return docs::DataCell{std::move(text), 0, false}; };
  for (const auto& e : kakehashi::compliance::software_ledger()) {
    table.rows.push_back({cell(e.ecosystem), cell(e.name), cell(e.version), cell(e.used_in), cell(e.licences),
                          cell(e.end_of_support), cell(e.shipped ? "同梱" : "試験のみ")});
  }
  return callweb::xlsx_download(app, request, "ソフトウェア管理台帳", std::move(table), "ソフトウェア管理台帳.xlsx");
}

Response sbom(Application&, Request&) {
  Response response;
  response.content_type = "application/vnd.cyclonedx+json";
  response.body = std::string(kakehashi::compliance::sbom_json());
  response.with_header("Content-Disposition", "attachment; filename=\"kakehashi-sbom.cdx.json\"");
  return response;
}

}  // namespace
}  // namespace kakehashi::web::compliance_web

namespace kakehashi::web {
void register_compliance_ledger_routes(Application& app) {
  using auth::Action;
  app.get("/compliance/ledger", {.required = Action::kViewRoster}, compliance_web::ledger_page);
  app.get("/compliance/ledger.xlsx", {.required = Action::kViewRoster}, compliance_web::ledger_xlsx);
  app.get("/compliance/sbom.json", {.required = Action::kViewRoster}, compliance_web::sbom);
}
}  // namespace kakehashi::web
