// Tools: the publication-safety check of an uploaded file (R6.8). The upload streams to
// quarantine, is inspected in a child process with memory and CPU limits, and is deleted.
#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "audit/audit.h"
#include "inspect/isolate.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web {
namespace {

Response inspect_page(Application& app, Request& request, View content, http::status status = http::status::ok) {
  return app.page(request, "公開前チェック", "tools/inspect", std::move(content),
                  {{"ダッシュボード", "/"}, {"公開前チェック", ""}}, "/tools/inspect", status);
}

}  // namespace

void register_tool_routes(Application& app) {
  app.add_nav_item({"公開前チェック", "/tools/inspect", auth::Action::kInspectFiles});

  app.router().get("/tools/inspect", {.required = auth::Action::kInspectFiles},
                   [&app](Request& request) { return inspect_page(app, request, View{}); });

  app.router().post("/tools/inspect", {.required = auth::Action::kInspectFiles, .body = BodyKind::kMultipart},
                    [&app](Request& request) {
    UploadedFiles uploads(request);
    if (request.files.size() != 1) {
      View content;
      content.set("error", "ファイルを 1 つ選んでください");
      return inspect_page(app, request, content, http::status::unprocessable_entity);
    }
    const QuarantinedFile& file = request.files.front();
    // The inspector tells CSV from other text by its extension: give the quarantined copy the
    // extension of the client's name when it is one we check, and refuse anything else.
    std::string extension = std::filesystem::path(file.original_name).extension().string();
    for (char& c : extension) c = char(std::tolower(static_cast<unsigned char>(c)));
    static constexpr std::string_view kChecked[] = {".pdf", ".xlsx", ".xlsm", ".docx", ".docm", ".pptx", ".pptm", ".csv"};
    if (std::find(std::begin(kChecked), std::end(kChecked), extension) == std::end(kChecked)) {
      View content;
      content.set("error", "確認できるのは PDF・Excel（.xlsx）・Word（.docx）・PowerPoint（.pptx）・CSV のファイルです");
      return inspect_page(app, request, content, http::status::unprocessable_entity);
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
    boost::json::object detail{{"type", inspect::file_type_name(report->type)}, {"errors", summary.error}};
    auto logged = audit::append(app.database(),
                                audit::by_user(request.principal->user_id, "files.inspect", "sha256:" + file.sha256,
                                               boost::json::serialize(detail)),
                                app.clock().now());
    if (!logged) return app.error(request, http::status::internal_server_error);

    View result;
    result.set("name", file.original_name);
    result.set("type", std::string(inspect::file_type_name(report->type)));
    result.set("bytes", std::to_string(report->stats.bytes));
    result.set("pages", std::to_string(report->stats.pages));
    result.set("chars", std::to_string(report->stats.chars));
    result.set("kind", summary.error ? "error" : "success");
    result.set("verdict", summary.error ? fmt::format("公開できません: エラー {} 件、警告 {} 件", summary.error, summary.warning)
                                        : fmt::format("エラーはありません（警告 {} 件、情報 {} 件）", summary.warning, summary.info));
    ViewList findings;
    for (const auto& finding : report->findings) {
      View row;
      row.set("severity", std::string(inspect::severity_label(finding.severity)));
      row.set("code", finding.code);
      row.set("location", finding.location);
      row.set("message", finding.message);
      findings.push_back(row);
    }
    result.set("has_findings", !report->findings.empty());
    result.set("findings", findings);
    View content;
    content.set("report", result);
    return inspect_page(app, request, content);
  });
}

}  // namespace kakehashi::web
