// /api/v1/package-chapters and /api/v1/package-builds (issue 25): the report's chapters (written
// chapters with their Markdown) and the builds with their state, for those who may view the package.
#include <boost/json.hpp>

#include "auth/policy.h"
#include "package/final_reports.h"
#include "package/service.h"
#include "web/handlers/call/common.h"
#include "web/handlers/api/list.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web {
namespace packageweb {
namespace {

template <typename T, typename F>
Response page_of(Application& app, Request& request, const std::vector<T>& all, F to_json) {
  auto page = api_page(request);
  if (!page) return app.error(request, http::status::bad_request, page.error().message);
  boost::json::array items;
  for (std::size_t i = std::size_t(page->offset()); i < all.size() && items.size() < std::size_t(page->per_page); ++i)
    items.push_back(to_json(all[i]));
  return api_list(request, *page, std::int64_t(all.size()), std::move(items));
}

Response chapters_json(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto chapters = package::list_chapters(**tx, *request.principal);
  if (!chapters) return app.error_response(request, chapters.error());
  return page_of(app, request, *chapters, [](const package::Chapter& c) {
    return boost::json::value{{"id", c.id},
                              {"position", c.position},
                              {"kind", std::string(package::to_string(c.kind))},
                              {"source", c.source},
                              {"title", c.title},
                              {"markdown", c.kind == package::ChapterKind::kWritten ? boost::json::value(c.markdown) : nullptr},
                              {"version", c.version},
                              {"review_status", std::string(package::to_string(c.review_status))},
                              {"included", c.included},
                              {"updated_at", c.updated_at}};
  });
}

Response builds_json(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto builds = package::list_builds(**tx, *request.principal, 200);
  if (!builds) return app.error_response(request, builds.error());
  auto opt = [](const std::optional<std::string>& s) { return s ? boost::json::value(*s) : boost::json::value(nullptr); };
  return page_of(app, request, *builds, [&](const package::Build& b) {
    return boost::json::value{{"id", b.id},
                              {"status", std::string(package::to_string(b.status))},
                              {"started_at", b.started_at},
                              {"finished_at", opt(b.finished_at)},
                              {"delivered_at", opt(b.delivered_at)},
                              {"progress", b.progress},
                              {"message", b.message},
                              {"public_files", b.public_files},
                              {"nonpublic_files", b.nonpublic_files},
                              {"public_bytes", b.public_bytes}};
  });
}

boost::json::value final_report_json(const package::FinalReport& r, Date due) {
  auto opt = [](const std::optional<std::string>& s) { return s ? boost::json::value(*s) : boost::json::value(nullptr); };
  boost::json::array blocks(r.block_ids.begin(), r.block_ids.end());
  boost::json::array files;
  for (const auto& f : r.files)
    files.push_back({{"version", f.version}, {"file_name", f.file_name}, {"content_type", f.content_type}, {"size", f.size},
                     {"sha256", f.sha256}, {"uploaded_at", f.uploaded_at}});
  return boost::json::value{{"operator_id", r.operator_id},
                            {"operator_name", r.operator_name},
                            {"blocks", blocks},
                            {"status", std::string(package::to_string(r.status))},
                            {"version", r.version},
                            {"summary", r.summary},
                            {"consent", r.consent},
                            {"review_comment", r.review_comment},
                            {"submitted_at", opt(r.submitted_at)},
                            {"reviewed_at", opt(r.reviewed_at)},
                            {"due_on", due.iso()},
                            {"files", files}};
}

Response final_reports_json(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto reports = package::list_final_reports(**tx, *request.principal);
  if (!reports) return app.error_response(request, reports.error());
  auto due = package::final_report_due(**tx, app.clock().now());
  if (!due) return app.error_response(request, due.error());
  return page_of(app, request, *reports, [&](const package::FinalReport& r) { return final_report_json(r, *due); });
}

Response final_report_json_one(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto r = package::find_final_report(**tx, *request.principal, *id);
  if (!r) return app.error_response(request, r.error());
  if (!*r) return app.error(request, http::status::not_found);
  auto due = package::final_report_due(**tx, app.clock().now());
  if (!due) return app.error_response(request, due.error());
  return Response::json(boost::json::serialize(final_report_json(**r, *due)));
}

}  // namespace
}  // namespace packageweb

void register_package_api_routes(Application& app) {
  const RouteOptions view{.required = auth::Action::kViewPackage};
  app.get("/api/v1/package-chapters", view, packageweb::chapters_json);
  app.get("/api/v1/package-builds", view, packageweb::builds_json);
  const RouteOptions reports{.required = auth::Action::kViewFinalReports};
  app.get("/api/v1/package-final-reports", reports, packageweb::final_reports_json);
  app.get("/api/v1/package-final-reports/{id}", reports, packageweb::final_report_json_one);
}

}  // namespace kakehashi::web
