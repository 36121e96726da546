// Tools: the publication-safety check of an uploaded file (R6.8). The upload streams to
// quarantine, is inspected in a child process with memory and CPU limits, and is deleted.
#include <fmt/format.h>

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <expected>
#include <filesystem>

#include "audit/audit.h"
#include "inspect/cleaner.h"
#include "inspect/isolate.h"
#include "web/content_disposition.h"
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

// The one uploaded file, renamed with its (checked) extension so the inspector tells CSV from
// other text; or the page with the refusal.
struct CheckedUpload {
  std::filesystem::path path;
  std::string extension;  // ".pdf", lower case
  const QuarantinedFile* file = nullptr;
};

std::expected<CheckedUpload, Response> checked_upload(Application& app, Request& request, UploadedFiles& uploads,
                                                      bool cleanable_only) {
  if (request.files.size() != 1) {
    return std::unexpected(inspect_page(app, request, InspectView{.error = "ファイルを 1 つ選んでください"},
                                        http::status::unprocessable_entity));
  }
  const QuarantinedFile& file = request.files.front();
  std::string extension = std::filesystem::path(file.original_name).extension().string();
  for (char& c : extension) c = char(std::tolower(static_cast<unsigned char>(c)));
  static constexpr std::string_view kChecked[] = {".pdf", ".xlsx", ".xlsm", ".docx", ".docm", ".pptx", ".pptm", ".csv"};
  if (std::find(std::begin(kChecked), std::end(kChecked), extension) == std::end(kChecked)) {
    return std::unexpected(inspect_page(
        app, request,
        InspectView{.error = "確認できるのは PDF・Excel（.xlsx）・Word（.docx）・PowerPoint（.pptx）・CSV のファイルです"},
        http::status::unprocessable_entity));
  }
  if (cleanable_only && extension == ".csv") {
    return std::unexpected(inspect_page(
        app, request,
        InspectView{.error = "CSV ファイルには取り除ける隠れた情報がありません。「チェックする」で内容を確認してください"},
        http::status::unprocessable_entity));
  }
  std::filesystem::path checked_path = file.stored_path;
  checked_path += extension;
  std::error_code renamed;
  std::filesystem::rename(file.stored_path, checked_path, renamed);
  if (renamed) return std::unexpected(app.error(request, http::status::internal_server_error));
  uploads.also(checked_path);
  return CheckedUpload{checked_path, extension, &file};
}

Response inspect_upload(Application& app, Request& request) {
  UploadedFiles uploads(request);
  auto upload = checked_upload(app, request, uploads, false);
  if (!upload) return std::move(upload.error());
  const QuarantinedFile& file = *upload->file;
  // Inspection is the heaviest work a screen starts: bounded per user and overall.
  auto slot = app.admit(request, WorkKind::kInspection);
  if (!slot) return app.busy(request, WorkKind::kInspection);
  auto report = inspect::inspect_file_isolated(upload->path.string(), {});
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
    result.findings.push_back(Finding{std::string(inspect::severity_label(finding.severity)),
                                      std::string(inspect::finding_label(finding.code)), finding.location, finding.message});
  }
  result.has_findings = !report->findings.empty();
  return inspect_page(app, request, InspectView{.report = std::move(result)});
}

std::string_view content_type_of(std::string_view extension) {
  if (extension == ".pdf") return "application/pdf";
  if (extension == ".xlsx" || extension == ".xlsm") return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  if (extension == ".docx" || extension == ".docm") return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
}

// Clean and download: the file is inspected in the isolated child first (a file that breaks the
// inspector's limits is not cleaned), then the cleaner writes a copy without what the reader
// cannot see, which is sent and deleted. Nothing is kept; the audit names the content's hash.
Response clean_upload(Application& app, Request& request) {
  UploadedFiles uploads(request);
  auto upload = checked_upload(app, request, uploads, true);
  if (!upload) return std::move(upload.error());
  const QuarantinedFile& file = *upload->file;
  auto slot = app.admit(request, WorkKind::kInspection);
  if (!slot) return app.busy(request, WorkKind::kInspection);
  auto report = inspect::inspect_file_isolated(upload->path.string(), {});
  if (!report) return app.error(request, http::status::internal_server_error);
  auto refuse = [&](std::string message) {
    return inspect_page(app, request, InspectView{.error = std::move(message)}, http::status::unprocessable_entity);
  };
  for (const auto& finding : report->findings) {
    if (finding.code == "file.resource_limit")
      return refuse("このファイルは大きすぎるか複雑すぎるため、取り除く処理ができません。元のアプリケーションで保存し直してからお試しください");
  }
  auto out = temporary_file(upload->extension);
  if (!out) return app.error_response(request, out.error());
  auto cleaned = inspect::clean_file(upload->path.string(), out->string(), {});
  slot.reset();
  if (!cleaned) {
    std::error_code ignored;
    std::filesystem::remove(*out, ignored);
    return refuse(fmt::format("このファイルからは取り除けませんでした: {}", cleaned.error().message));
  }
  boost::json::object detail{{"type", std::string(inspect::file_type_name(report->type))},
                             {"removed", std::int64_t(cleaned->removed.size())}};
  auto logged = audit::append(app.database(),
                              audit::by_user(request.principal->user_id, "files.clean", "sha256:" + file.sha256,
                                             boost::json::serialize(detail)),
                              app.clock().now());
  if (!logged) {
    std::error_code ignored;
    std::filesystem::remove(*out, ignored);
    return app.error(request, http::status::internal_server_error);
  }
  std::filesystem::path name(file.original_name);
  Response response;
  response.content_type = std::string(content_type_of(upload->extension));
  response.file = *out;
  response.delete_file_after = true;
  response.with_header("Content-Disposition",
                       content_disposition(name.stem().string() + "_公開用" + upload->extension));
  return response;
}

}  // namespace

void register_tool_routes(Application& app) {
  app.add_nav_item({"公開前チェック", "/tools/inspect", auth::Action::kInspectFiles});
  app.get("/tools/inspect", {.required = auth::Action::kInspectFiles}, inspect_form);
  app.post("/tools/inspect", {.required = auth::Action::kInspectFiles, .body = BodyKind::kMultipart}, inspect_upload);
  app.post("/tools/inspect/clean", {.required = auth::Action::kInspectFiles, .body = BodyKind::kMultipart}, clean_upload);
}

}  // namespace kakehashi::web
