// One registration function per handlers file; register_routes (app.cpp) calls them all.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "web/app.h"
#include "web/layout_view.h"

namespace kakehashi::web {

void register_auth_routes(Application& app);
void register_signup_routes(Application& app);
void register_password_reset_routes(Application& app);
void register_dashboard_routes(Application& app);
void register_admin_user_routes(Application& app);
void register_audit_routes(Application& app);
void register_api_routes(Application& app);
void register_tool_routes(Application& app);
void register_call_public_routes(Application& app);
void register_notify_routes(Application& app);
void register_call_apply_routes(Application& app);
void register_call_admin_routes(Application& app);
void register_call_application_routes(Application& app);
void register_call_review_routes(Application& app);
void register_call_results_routes(Application& app);
void register_operations_routes(Application& app);          // operators, milestones, dashboard (handlers/operations/operators.cpp)
void register_operations_project_routes(Application& app);  // projects and imports (handlers/operations/projects.cpp)
void register_operations_support_routes(Application& app);  // support, budget, staff (handlers/operations/support.cpp)
void register_account_token_routes(Application& app);
void register_operations_api_routes(Application& app);  // /api/v1/operators (handlers/operations/api_operators.cpp)
void register_meetings_document_routes(Application& app);  // pre-read, exports, iCalendar, home tasks (handlers/meetings/documents.cpp)
void register_meetings_routes(Application& app);           // meetings screens (handlers/meetings/meetings.cpp)
void register_meetings_api_routes(Application& app);       // /api/v1/meetings (handlers/meetings/api.cpp)
void register_package_routes(Application& app);           // the report package (handlers/package/package.cpp)
void register_package_api_routes(Application& app);       // /api/v1/package-* (handlers/package/api.cpp)
void register_final_report_routes(Application& app);      // operators' final reports (handlers/package/final_reports.cpp)
void register_knowledge_routes(Application& app);         // /knowledge (handlers/knowledge/staff.cpp)
void register_knowledge_public_routes(Application& app);  // /cases, open data (handlers/knowledge/public.cpp)
void register_knowledge_api_routes(Application& app);     // /api/v1/cases, /api/v1/lessons (handlers/knowledge/api.cpp)
// Events (issue 18): handlers/events/staff.cpp, public.cpp, checkin.cpp, matchmaking.cpp, api.cpp.
void register_events_routes(Application& app);
void register_events_public_routes(Application& app);
void register_events_checkin_routes(Application& app);
void register_events_match_routes(Application& app);
void register_events_api_routes(Application& app);
void register_compliance_routes(Application& app);  // information management (handlers/compliance/roster.cpp)

// The uploaded files of a multipart request, removed from quarantine when this object goes out
// of scope, whatever the handler answers. `also` adds a path to remove with them (a renamed copy).
// The types the inspector reads, by extension (evidence, materials, compliance evidence).
inline constexpr std::string_view kInspectedExtensions[] = {".pdf", ".xlsx", ".docx", ".pptx", ".csv"};

class UploadedFiles {
 public:
  explicit UploadedFiles(const Request& request);
  ~UploadedFiles();
  UploadedFiles(const UploadedFiles&) = delete;
  UploadedFiles& operator=(const UploadedFiles&) = delete;
  // The non-empty file of the form field `field` (an empty file input sends a part of size 0).
  const QuarantinedFile* file(std::string_view field = "file") const;
  // The bytes of file(field), or empty.
  std::string bytes(std::string_view field = "file") const;
  void also(std::filesystem::path path) { extra_.push_back(std::move(path)); }
  // `file` renamed with the client's extension in lower case when it is one of `accepted` (the
  // inspector tells a CSV by its extension) and removed with the others; nullopt for another
  // extension or when the rename fails.
  std::optional<std::filesystem::path> with_extension(const QuarantinedFile& file,
                                                      std::span<const std::string_view> accepted);

 private:
  const Request& request_;
  std::vector<std::filesystem::path> extra_;
};

// A new empty temporary file "<tmp>/kakehashi-export-XXXXXX<suffix>", created atomically
// (mkstemps), for exports streamed and then deleted.
[[nodiscard]] Result<std::filesystem::path> temporary_file(std::string_view suffix);

// Page number from ?page= (1-based; anything invalid is 1).
int page_number(const Request& request);
// The links for `total` rows at `per_page` to `base_path?page=N` (the partial layout/pagination
// reads them as "pages"); none when one page holds all.
std::optional<Pagination> pagination(const std::string& base_path, int page, int per_page, std::int64_t total);

}  // namespace kakehashi::web
