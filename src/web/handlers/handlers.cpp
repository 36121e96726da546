// The route registry and the helpers the handlers share.
#include "web/handlers/handlers.h"

#include <fmt/format.h>

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>

namespace kakehashi::web {

// Effect verification (handlers/effects/kpis.cpp); declared here to keep handlers.h stable.
void register_effects_routes(Application& app);

void register_routes(Application& app) {
  register_auth_routes(app);
  register_signup_routes(app);
  register_password_reset_routes(app);
  register_dashboard_routes(app);
  register_admin_user_routes(app);
  register_audit_routes(app);
  register_tool_routes(app);
  register_api_routes(app);
  register_call_public_routes(app);
  register_notify_routes(app);
  register_call_apply_routes(app);
  register_call_admin_routes(app);
  register_call_application_routes(app);
  register_call_review_routes(app);
  register_call_results_routes(app);
  register_operations_routes(app);
  register_operations_project_routes(app);
  register_operations_support_routes(app);
  register_account_token_routes(app);
  register_operations_api_routes(app);
  register_effects_routes(app);
  register_meetings_document_routes(app);  // before register_meetings_routes: /meetings/calendar precedes /meetings/{id}
  register_meetings_routes(app);
  register_meetings_api_routes(app);
  register_package_routes(app);
  register_package_api_routes(app);
  register_final_report_routes(app);
  register_knowledge_routes(app);
  register_knowledge_public_routes(app);
  register_knowledge_api_routes(app);
  register_events_routes(app);
  register_events_public_routes(app);
  register_events_checkin_routes(app);
  register_events_match_routes(app);
  register_events_api_routes(app);
  register_compliance_routes(app);
}

UploadedFiles::UploadedFiles(const Request& request) : request_(request) {}

UploadedFiles::~UploadedFiles() {
  std::error_code ignored;
  for (const auto& file : request_.files) std::filesystem::remove(file.stored_path, ignored);
  for (const auto& path : extra_) std::filesystem::remove(path, ignored);
}

const QuarantinedFile* UploadedFiles::file(std::string_view field) const {
  for (const auto& f : request_.files) {
    if (f.field_name == field && f.size > 0) return &f;
  }
  return nullptr;
}

std::optional<std::filesystem::path> UploadedFiles::with_extension(const QuarantinedFile& file,
                                                                  std::span<const std::string_view> accepted) {
  std::string extension = std::filesystem::path(file.original_name).extension().string();
  for (char& c : extension) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (std::find(accepted.begin(), accepted.end(), extension) == accepted.end()) return std::nullopt;
  std::filesystem::path renamed = file.stored_path;
  renamed += extension;
  std::error_code ec;
  std::filesystem::rename(file.stored_path, renamed, ec);
  if (ec) return std::nullopt;
  also(renamed);
  return renamed;
}

std::string UploadedFiles::bytes(std::string_view field) const {
  const QuarantinedFile* f = file(field);
  if (!f) return {};
  std::ifstream in(f->stored_path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

Result<std::filesystem::path> temporary_file(std::string_view suffix) {
  std::string pattern = (std::filesystem::temp_directory_path() / "kakehashi-export-XXXXXX").string();
  pattern += suffix;
  int fd = ::mkstemps(pattern.data(), int(suffix.size()));
  if (fd < 0) return fail(Error::internal("一時ファイルを作成できませんでした"));
  ::close(fd);
  return std::filesystem::path(pattern);
}

int page_number(const Request& request) {
  std::string text = request.query_param("page");
  if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos) return 1;
  return std::max(1, std::stoi(text));
}

std::optional<Pagination> pagination(const std::string& base_path, int page, int per_page, std::int64_t total) {
  std::int64_t pages = std::max<std::int64_t>(1, (total + per_page - 1) / per_page);
  if (pages <= 1) return std::nullopt;
  // base_path may already carry a query (filters): the page joins it.
  const char* join = base_path.find('?') == std::string::npos ? "?" : "&";
  Pagination links{.label = fmt::format("{} / {} ページ", page, pages)};
  if (page > 1) links.prev = fmt::format("{}{}page={}", base_path, join, page - 1);
  if (page < pages) links.next = fmt::format("{}{}page={}", base_path, join, page + 1);
  return links;
}

}  // namespace kakehashi::web
