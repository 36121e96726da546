// The report package screens (issue 25): chapters (edit with preview, versions, review status),
// builds (start, progress, ZIP per set, delivery) and the gate's accepted exceptions.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth/policy.h"
#include "base/date.h"
#include "docs/zip.h"
#include "package/build.h"
#include "package/service.h"
#include "web/confirm_view.h"
#include "web/content_disposition.h"
#include "web/handlers/call/common.h"
#include "web/handlers/handlers.h"
#include "web/handlers/meetings/common.h"
#include "web/handlers/package/views.h"

namespace kakehashi::web {
namespace packageweb {
namespace {

using auth::Action;
namespace fs = std::filesystem;

std::string when(const std::string& iso) {
  auto at = parse_iso_utc(iso);
  return at ? tokyo_datetime_japanese(*at) : iso;
}

Response overview_page(Application& app, Request& request, std::optional<std::string> error, http::status status) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  const auto& who = *request.principal;
  auto chapters = package::list_chapters(**tx, who);
  if (!chapters) return app.error_response(request, chapters.error());
  auto builds = package::list_builds(**tx, who);
  if (!builds) return app.error_response(request, builds.error());
  auto exceptions = package::list_exceptions(**tx, who);
  if (!exceptions) return app.error_response(request, exceptions.error());
  OverviewView view;
  view.can_manage = auth::allowed(who, Action::kManagePackage);
  view.error = std::move(error);
  int n = 0;
  for (const auto& c : *chapters) {
    bool form1 = c.source == "form1";
    if (c.included && !form1) ++n;
    const bool written = c.kind == package::ChapterKind::kWritten;
    std::string approved = "—";
    if (written && !form1) {
      approved = c.approved_version ? fmt::format("第{}版", *c.approved_version) : "なし（報告書に入りません）";
      if (!c.approved_version && c.included) view.unapproved.push_back(c.title);
    }
    view.chapters.push_back({fmt::format("/package/chapters/{}", c.id),
                             form1 ? c.title : (c.included ? fmt::format("第{}章 {}", n, c.title) : c.title),
                             written ? "記述" : std::string(package::generator_label(c.source)),
                             written ? std::string(package::review_status_label(c.review_status)) : "—",
                             written ? fmt::format("第{}版", c.version) : "—", approved, form1});
  }
  view.has_unapproved = !view.unapproved.empty();
  for (const auto& b : *builds) {
    view.running = view.running || b.status == package::BuildStatus::kRunning;
    view.builds.push_back({fmt::format("/package/builds/{}", b.id), fmt::format("No.{}", b.id),
                           std::string(package::build_status_label(b.status)), when(b.started_at), b.progress});
  }
  for (const auto& e : *exceptions) view.exceptions.push_back({e.id, e.finding_key, e.reason});
  return app.page(request, "報告書パッケージ", "package/overview", view, {{"ホーム", "/"}, {"報告書パッケージ", ""}}, "/package",
                  status);
}

Response overview(Application& app, Request& request) { return overview_page(app, request, std::nullopt, http::status::ok); }

Response chapter_page(Application& app, Request& request, std::optional<std::pair<std::string, std::string>> typed,
                      std::vector<std::string> errors, http::status status) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto c = package::find_chapter(**tx, *request.principal, *id);
  if (!c) return app.error_response(request, c.error());
  if (!*c) return app.error(request, http::status::not_found);
  auto versions = package::chapter_versions(**tx, *request.principal, *id);
  if (!versions) return app.error_response(request, versions.error());
  ChapterView view;
  view.id = (*c)->id;
  view.title = typed ? typed->first : (*c)->title;
  view.markdown = typed ? typed->second : (*c)->markdown;
  view.written = (*c)->kind == package::ChapterKind::kWritten;
  view.kind = view.written ? "記述" : std::string(package::generator_label((*c)->source));
  view.status = std::string(package::review_status_label((*c)->review_status));
  view.can_manage = view.written && auth::allowed(*request.principal, Action::kManagePackage);
  view.preview = view.written ? meetingsweb::minutes_fragment("# " + view.title + "\n\n" + package::extract_rights(view.markdown).markdown)
                              : Html{""};
  view.has_errors = !errors.empty();
  view.errors = std::move(errors);
  view.position = std::to_string((*c)->position);
  view.can_delete = view.can_manage && (*c)->source != "form1";
  if (view.written && (*c)->source != "form1")
    view.approved = (*c)->approved_version
                        ? ((*c)->approved_version == (*c)->version
                               ? fmt::format("報告書には確認済みの第{}版が入ります。", *(*c)->approved_version)
                               : fmt::format("報告書には確認済みの第{}版が入ります（第{}版は確認が済むまで入りません）。",
                                             *(*c)->approved_version, (*c)->version))
                        : "確認済みの版がないため、この章は報告書に入りません。確認の状態を「確認済み」にすると入ります。";
  else if ((*c)->source == "form1")
    view.approved = "様式1には最新の版が入ります。";
  view.can_move = auth::allowed(*request.principal, Action::kManagePackage);
  for (const auto& v : *versions) view.versions.push_back({fmt::format("第{}版", v.version), when(v.saved_at)});
  for (auto s : {package::ReviewStatus::kDraft, package::ReviewStatus::kInReview, package::ReviewStatus::kApproved})
    view.statuses.push_back({std::string(package::to_string(s)), std::string(package::review_status_label(s)),
                             s == (*c)->review_status});
  std::string title = (*c)->title;
  return app.page(request, title, "package/chapter", view, {{"ホーム", "/"}, {"報告書パッケージ", "/package"}, {title, ""}},
                  "/package", status);
}

Response show_chapter(Application& app, Request& request) {
  return chapter_page(app, request, std::nullopt, {}, http::status::ok);
}

Response save_chapter(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  std::string title = request.field("title"), markdown = request.field("markdown");
  auto errors = package::validate_chapter(title, markdown);
  if (!errors.empty()) {
    std::vector<std::string> messages;
    for (const auto& e : errors) messages.push_back(e.message);
    return chapter_page(app, request, std::pair{title, markdown}, messages, http::status::unprocessable_entity);
  }
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto c = package::find_chapter(**tx, *request.principal, *id);
  if (!c) return app.error_response(request, c.error());
  if (!*c) return app.error(request, http::status::not_found);
  if (auto r = package::save_chapter(**tx, *request.principal, *id, title, markdown, app.clock().now()); !r) {
    if (r.error().code != ErrorCode::kInvalidArgument) return app.error_response(request, r.error());
    tx->reset();
    return chapter_page(app, request, std::pair{title, markdown}, {r.error().message}, http::status::unprocessable_entity);
  }
  if (auto r = (*tx)->commit(); !r) return app.error_response(request, r.error());
  return app.redirect_with_notice(request, fmt::format("/package/chapters/{}", *id), "章を保存しました。");
}

Response preview_chapter(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  // With the chapter's heading, so sections are numbered as in the report (1.1, not 第1章).
  std::string title = request.field("title").empty() ? "（題名）" : request.field("title");
  return Response::html(
      meetingsweb::minutes_fragment("# " + title + "\n\n" + package::extract_rights(request.field("markdown")).markdown).html);
}

Response review_chapter(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto status = package::review_status_from(request.field("status"));
  if (!status) return app.redirect_with_notice(request, fmt::format("/package/chapters/{}", *id), "確認の状態を選んでください。", "error");
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto c = package::find_chapter(**tx, *request.principal, *id);
  if (!c) return app.error_response(request, c.error());
  if (!*c) return app.error(request, http::status::not_found);
  if (auto r = package::set_review_status(**tx, *request.principal, *id, *status, app.clock().now()); !r) {
    if (r.error().code != ErrorCode::kInvalidArgument) return app.error_response(request, r.error());
    tx->reset();
    return app.redirect_with_notice(request, fmt::format("/package/chapters/{}", *id), r.error().message, "error");
  }
  if (auto r = (*tx)->commit(); !r) return app.error_response(request, r.error());
  return app.redirect_with_notice(request, fmt::format("/package/chapters/{}", *id), "確認の状態を変えました。");
}

Response move_chapter(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto position = callweb::parse_id(request.field("position"));
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto r = package::move_chapter(**tx, *request.principal, *id, position ? int(std::min<std::int64_t>(*position, 100000)) : 0,
                                 app.clock().now());
  if (!r) {
    if (r.error().code != ErrorCode::kInvalidArgument) return app.error_response(request, r.error());
    tx->reset();
    return app.redirect_with_notice(request, fmt::format("/package/chapters/{}", *id), r.error().message, "error");
  }
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return app.redirect_with_notice(request, "/package", "章の並び順を変えました。");
}

// The confirmation page of a chapter's deletion (docs/ui-patterns.md).
Response confirm_delete_chapter(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto c = package::find_chapter(**tx, *request.principal, *id);
  if (!c) return app.error_response(request, c.error());
  if (!*c || (*c)->kind != package::ChapterKind::kWritten || (*c)->source == "form1")
    return app.error(request, http::status::not_found);
  ConfirmView confirm;
  confirm.heading = fmt::format("章「{}」を削除しますか", (*c)->title);
  confirm.lead = "削除した章は元に戻せません。";
  confirm.consequences.push_back(fmt::format("章の本文と、保存したすべての版（{} 版）を削除します。", (*c)->version));
  confirm.consequences.push_back("次に作成する報告書パッケージから、この章がなくなります（作成済みのパッケージは変わりません）。");
  confirm.consequences.push_back("削除したことは監査ログに記録されます。");
  if ((*c)->approved_version) confirm.warning = "この章には確認済みの版があります。";
  confirm.action = fmt::format("/package/chapters/{}/delete", *id);
  confirm.confirm_label = "削除する";
  confirm.back_href = fmt::format("/package/chapters/{}", *id);
  confirm.back_label = "削除しないで戻る";
  return app.page(request, confirm.heading, "shared/confirm", confirm,
                  {{"ホーム", "/"}, {"報告書パッケージ", "/package"}, {(*c)->title, confirm.back_href}, {"削除の確認", ""}},
                  "/package");
}

Response delete_chapter(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto c = package::find_chapter(**tx, *request.principal, *id);
  if (!c) return app.error_response(request, c.error());
  if (!*c) return app.error(request, http::status::not_found);
  if (auto r = package::delete_chapter(**tx, *request.principal, *id, app.clock().now()); !r) {
    if (r.error().code != ErrorCode::kInvalidArgument) return app.error_response(request, r.error());
    tx->reset();
    return app.redirect_with_notice(request, fmt::format("/package/chapters/{}", *id), r.error().message, "error");
  }
  if (auto r = (*tx)->commit(); !r) return app.error_response(request, r.error());
  return app.redirect_with_notice(request, "/package", fmt::format("章「{}」を削除しました。", (*c)->title));
}

Response create_chapter(Application& app, Request& request) {
  std::string title = request.field("title");
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto id = package::create_chapter(**tx, *request.principal, title, "", app.clock().now());
  if (!id) {
    if (id.error().code != ErrorCode::kInvalidArgument) return app.error_response(request, id.error());
    tx->reset();
    return overview_page(app, request, id.error().message, http::status::unprocessable_entity);
  }
  if (auto r = (*tx)->commit(); !r) return app.error_response(request, r.error());
  return app.redirect_with_notice(request, fmt::format("/package/chapters/{}", *id), "章を追加しました。本文を書いてください。");
}

Response start_build(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto root = app.config().quarantine_dir.parent_path() / "package";
  auto id = package::queue_build_in(**tx, *request.principal, root.string(), app.clock().now());
  if (!id) {
    if (id.error().code != ErrorCode::kConflict) return app.error_response(request, id.error());
    tx->reset();
    return overview_page(app, request, id.error().message, http::status::conflict);
  }
  if (auto r = (*tx)->commit(); !r) return app.error_response(request, r.error());
  return app.redirect_with_notice(request, fmt::format("/package/builds/{}", *id), "報告書パッケージの作成を始めました。");
}

Result<std::optional<package::Build>> load_build(Application& app, const Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return std::optional<package::Build>{};
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return fail(tx.error());
  return package::find_build(**tx, *request.principal, *id);
}

BuildView build_view(const Request& request, const package::Build& b) {
  BuildView v;
  v.id = b.id;
  v.status = std::string(package::build_status_label(b.status));
  v.started = when(b.started_at);
  if (b.finished_at) v.finished = when(*b.finished_at);
  v.progress = b.progress;
  if (!b.message.empty()) v.message = b.message;
  v.running = b.status == package::BuildStatus::kRunning;
  v.built = b.status == package::BuildStatus::kBuilt || b.status == package::BuildStatus::kDelivered;
  v.can_deliver = b.status == package::BuildStatus::kBuilt && auth::allowed(*request.principal, Action::kAcceptPackage);
  v.counts = fmt::format("公開 {} ファイル（{} バイト）・非公開 {} ファイル", b.public_files, b.public_bytes, b.nonpublic_files);
  return v;
}

Response show_build(Application& app, Request& request) {
  auto b = load_build(app, request);
  if (!b) return app.error_response(request, b.error());
  if (!*b) return app.error(request, http::status::not_found);
  std::string title = fmt::format("パッケージ No.{}", (*b)->id);
  return app.page(request, title, "package/build", build_view(request, **b),
                  {{"ホーム", "/"}, {"報告書パッケージ", "/package"}, {title, ""}}, "/package");
}

Response build_progress(Application& app, Request& request) {
  auto b = load_build(app, request);
  if (!b) return app.error_response(request, b.error());
  if (!*b) return app.error(request, http::status::not_found);
  return Response::html(render_template("package/progress", to_view(build_view(request, **b))));
}

Response download_set(Application& app, Request& request, const std::string& set) {
  auto b = load_build(app, request);
  if (!b) return app.error_response(request, b.error());
  if (!*b || ((*b)->status != package::BuildStatus::kBuilt && (*b)->status != package::BuildStatus::kDelivered))
    return app.error(request, http::status::not_found);
  fs::path root = fs::path((*b)->out_dir) / set;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return app.error(request, http::status::not_found);
  std::vector<std::pair<std::string, std::string>> entries;
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file()) files.push_back(it->path());
  std::ranges::sort(files);
  for (const auto& p : files) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    entries.emplace_back(set + "/" + fs::relative(p, root).generic_string(), s.str());
  }
  auto zip = docs::zip_in_memory(entries);
  if (!zip) return app.error_response(request, zip.error());
  Response response;
  response.content_type = "application/zip";
  response.body = std::move(*zip);
  response.with_header("Content-Disposition",
                       content_disposition(fmt::format("報告書パッケージ_{}_{}.zip", (*b)->id, set == "public" ? "公開" : "非公開")));
  return response;
}

Response download_public(Application& app, Request& request) { return download_set(app, request, "public"); }
Response download_nonpublic(Application& app, Request& request) { return download_set(app, request, "non-public"); }

Response deliver(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  if (auto r = package::mark_delivered(**tx, *request.principal, *id, app.clock().now()); !r) {
    if (r.error().code != ErrorCode::kInvalidArgument) return app.error_response(request, r.error());
    tx->reset();
    return app.redirect_with_notice(request, fmt::format("/package/builds/{}", *id), r.error().message, "error");
  }
  if (auto r = (*tx)->commit(); !r) return app.error_response(request, r.error());
  return app.redirect_with_notice(request, fmt::format("/package/builds/{}", *id), "納品済みにしました。");
}

Response add_exception(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto id = package::accept_exception(**tx, *request.principal, request.field("finding_key"), request.field("reason"),
                                      app.clock().now());
  if (!id) {
    if (id.error().code != ErrorCode::kInvalidArgument) return app.error_response(request, id.error());
    tx->reset();
    return overview_page(app, request, id.error().message, http::status::unprocessable_entity);
  }
  if (auto r = (*tx)->commit(); !r) return app.error_response(request, r.error());
  return app.redirect_with_notice(request, "/package#exceptions", "例外として記録しました。");
}

Response delete_exception(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  if (auto r = package::remove_exception(**tx, *request.principal, *id, app.clock().now()); !r)
    return app.error_response(request, r.error());
  if (auto r = (*tx)->commit(); !r) return app.error_response(request, r.error());
  return app.redirect_with_notice(request, "/package#exceptions", "例外を取り消しました。");
}

}  // namespace
}  // namespace packageweb

void register_package_routes(Application& app) {
  using namespace packageweb;
  const RouteOptions view{.required = Action::kViewPackage};
  const RouteOptions manage{.required = Action::kManagePackage, .body = BodyKind::kForm};
  app.add_nav_item({"報告書", "/package", Action::kViewPackage});
  app.get("/package", view, overview);
  app.post("/package/chapters", manage, create_chapter);
  app.get("/package/chapters/{id}", view, show_chapter);
  app.post("/package/chapters/{id}", manage, save_chapter);
  app.post("/package/chapters/{id}/preview", manage, preview_chapter);
  app.post("/package/chapters/{id}/review", manage, review_chapter);
  app.post("/package/chapters/{id}/move", manage, move_chapter);
  app.get("/package/chapters/{id}/delete", {.required = Action::kManagePackage}, confirm_delete_chapter);
  app.post("/package/chapters/{id}/delete", manage, delete_chapter);
  app.post("/package/builds", manage, start_build);
  app.get("/package/builds/{id}", view, show_build);
  app.get("/package/builds/{id}/progress", view, build_progress);
  app.get("/package/builds/{id}/public.zip", view, download_public);
  app.get("/package/builds/{id}/non-public.zip", view, download_nonpublic);
  app.post("/package/builds/{id}/deliver", {.required = Action::kAcceptPackage, .body = BodyKind::kForm}, deliver);
  app.post("/package/exceptions", manage, add_exception);
  app.post("/package/exceptions/{id}/delete", manage, delete_exception);
  app.add_periodic("package.build", std::chrono::seconds(2), [&app] {
    return package::run_queued_build(app.database(), app.clock().now(), [&app] { return app.clock().now(); });
  });
}

}  // namespace kakehashi::web
