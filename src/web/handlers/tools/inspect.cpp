// Tools: the publication-safety check of an uploaded file (R6.8). The upload streams to
// quarantine, is inspected in a child process with memory and CPU limits, and is deleted.
#include <fmt/format.h>

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "audit/audit.h"
#include "inspect/isolate.h"
#include "web/handlers/handlers.h"
#include "web/handlers/tools/views.h"

namespace kakehashi::web {
namespace {

using namespace toolsweb;

Response inspect_page(Application& app, Request& request, const InspectView& content,
                      http::status status = http::status::ok) {
  return app.page(request, "公開前チェック", "tools/inspect", content, {{"ダッシュボード", "/"}, {"公開前チェック", ""}},
                  "/tools/inspect", status);
}

Response inspect_form(Application& app, Request& request) { return inspect_page(app, request, InspectView{}); }

Response inspect_upload(Application& app, Request& request) {
  UploadedFiles uploads(request);
  if (request.files.size() != 1) {
    return inspect_page(app, request, InspectView{.error = "ファイルを 1 つ選んでください"},
                        http::status::unprocessable_entity);
  }
  const QuarantinedFile& file = request.files.front();
  // The inspector tells CSV from other text by its extension: give the quarantined copy the
  // extension of the client's name when it is one we check, and refuse anything else.
  std::string extension = std::filesystem::path(file.original_name).extension().string();
  for (char& c : extension) c = char(std::tolower(static_cast<unsigned char>(c)));
  static constexpr std::string_view kChecked[] = {".pdf", ".xlsx", ".xlsm", ".docx", ".docm", ".pptx", ".pptm", ".csv"};
  if (std::find(std::begin(kChecked), std::end(kChecked), extension) == std::end(kChecked)) {
    return inspect_page(
        app, request,
        InspectView{.error = "確認できるのは PDF・Excel（.xlsx）・Word（.docx）・PowerPoint（.pptx）・CSV のファイルです"},
        http::status::unprocessable_entity);
  }
  std::filesystem::path checked_path = file.stored_path;
  checked_path += extension;
  std::error_code renamed;
  std::filesystem::rename(file.stored_path, checked_path, renamed);
  if (renamed) return app.error(request, http::status::internal_server_error);
  uploads.also(checked_path);
  // Inspection is the heaviest work a screen starts: bounded per user and overall.
  auto slot = app.admit(request, WorkKind::kInspection);
  if (!slot) return app.busy(request, WorkKind::kInspection);
  auto report = inspect::inspect_file_isolated(checked_path.string(), {});
  slot.reset();
  if (!report) return app.error(request, http::status::internal_server_error);
  // The audit entry names the content by its hash, never by the client's file name.
  auto summary = inspect::summarize(std::span(&*report, 1));
  boost::json::object detail{{"type", std::string(inspect::file_type_name(report->type))},
                             {"errors", std::int64_t(summary.error)}};
  auto logged = audit::append(app.database(),
                              audit::by_user(request.principal->user_id, "files.inspect", "sha256:" + file.sha256,
                                             boost::json::serialize(detail)),
                              app.clock().now());
  if (!logged) return app.error(request, http::status::internal_server_error);

  InspectReport result;
  result.name = file.original_name;
  result.type = std::string(inspect::file_type_name(report->type));
  result.bytes = report->stats.bytes;
  result.pages = report->stats.pages;
  result.chars = report->stats.chars;
  result.kind = summary.error ? "error" : "success";
  result.verdict = summary.error ? fmt::format("公開できません: エラー {} 件、警告 {} 件", summary.error, summary.warning)
                                 : fmt::format("エラーはありません（警告 {} 件、情報 {} 件）", summary.warning, summary.info);
  for (const auto& finding : report->findings) {
    result.findings.push_back(
        Finding{std::string(inspect::severity_label(finding.severity)), finding.code, finding.location, finding.message});
  }
  result.has_findings = !report->findings.empty();
  return inspect_page(app, request, InspectView{.report = std::move(result)});
}

}  // namespace

void register_tool_routes(Application& app) {
  app.add_nav_item({"公開前チェック", "/tools/inspect", auth::Action::kInspectFiles});
  app.get("/tools/inspect", {.required = auth::Action::kInspectFiles}, inspect_form);
  app.post("/tools/inspect", {.required = auth::Action::kInspectFiles, .body = BodyKind::kMultipart}, inspect_upload);
}

}  // namespace kakehashi::web
