// The report package (issue 25, R6): the report's chapters, the package's builds and the gate's
// accepted exceptions, as plain structs.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kakehashi::package {

using Instant = std::chrono::sys_seconds;

enum class ChapterKind { kWritten, kGenerated };
std::string_view to_string(ChapterKind kind);  // "written" / "generated"

enum class ReviewStatus { kDraft, kInReview, kApproved };
std::string_view to_string(ReviewStatus status);         // "draft" / "in_review" / "approved"
std::string_view review_status_label(ReviewStatus status);  // 下書き / 確認中 / 確認済み
std::optional<ReviewStatus> review_status_from(std::string_view id);

// The generators of chapters from live data, by `source`: call, operations, projects, events,
// effects, knowledge.
std::string_view generator_label(std::string_view source);  // 「公募・採択（call）」…

struct Chapter {
  std::int64_t id = 0;
  int position = 0;
  ChapterKind kind = ChapterKind::kWritten;
  std::string source;  // generated chapters: the generator
  std::string title;
  std::string markdown;  // written chapters: the body (no leading "# title")
  int version = 0;
  ReviewStatus review_status = ReviewStatus::kDraft;
  bool included = true;
  std::string updated_at;
  std::optional<int> approved_version;  // the version last approved (確認済み); the build uses it
};

struct ChapterVersion {
  int version = 0;
  std::string title;
  std::string markdown;
  std::string saved_at;
  std::optional<std::int64_t> saved_by;
};

enum class BuildStatus { kRunning, kFailed, kBuilt, kDelivered };
std::string_view to_string(BuildStatus status);
std::string_view build_status_label(BuildStatus status);  // 作成中 / 失敗 / 作成済み / 納品済み
std::optional<BuildStatus> build_status_from(std::string_view id);

struct Build {
  std::int64_t id = 0;
  BuildStatus status = BuildStatus::kRunning;
  std::string started_at;
  std::optional<std::int64_t> started_by;
  std::optional<std::string> finished_at;
  std::optional<std::string> delivered_at;
  std::string out_dir;
  std::string progress;  // the last step, in Japanese
  std::string message;   // why it failed (the gate's list), or a summary
  int public_files = 0;
  int nonpublic_files = 0;
  std::int64_t public_bytes = 0;
  bool claimed = false;                     // taken by a worker (the server's task or the CLI)
  std::string worker;                       // "host:pid" of the worker
  std::optional<std::string> heartbeat_at;  // its last progress
};

struct Exception {
  std::int64_t id = 0;
  std::string finding_key;  // "<public file>|<code>|<location>"
  std::string reason;
  std::string created_at;
};

// The split rule's limits (R6.3): a part of the public report never exceeds any of them.
struct Limits {
  std::int64_t max_bytes = 128LL * 1024 * 1024;
  std::int64_t max_pages = 1000;
  std::int64_t max_chars = 4'000'000;
};

// ---- Operators' final reports (成果報告書)
enum class FinalReportStatus { kNotSubmitted, kSubmitted, kReturned, kAccepted };
std::string_view to_string(FinalReportStatus status);  // not_submitted / submitted / returned / accepted
std::string_view final_report_status_label(FinalReportStatus status);  // 未提出 / 確認待ち / 差し戻し / 受理

struct FinalReportFile {
  int version = 0;
  std::string file_name;
  std::string content_type;
  std::int64_t size = 0;
  std::string sha256;
  std::string uploaded_at;
  std::string inspection;   // the inspector's verdict as stored (JSON)
  std::string publication;  // its one line for people: 「公開できます」/「公開できません（…）」
};

// One operator's final report; an operator without a submission has status kNotSubmitted and id 0.
struct FinalReport {
  std::int64_t id = 0;
  std::int64_t operator_id = 0;
  std::int64_t call_id = 0;
  std::string operator_name;            // from the operations module
  std::vector<std::string> block_ids;   // the operator's blocks, in block order
  FinalReportStatus status = FinalReportStatus::kNotSubmitted;
  int version = 0;
  std::string summary;
  bool consent = false;
  std::optional<std::string> consent_at;
  std::string review_comment;
  std::optional<std::string> reviewed_at;
  std::optional<std::string> submitted_at;
  std::optional<std::string> updated_at;
  std::vector<FinalReportFile> files;  // newest first
};

// The summary an operator writes for the report's chapter of its block(s).
inline constexpr std::size_t kFinalReportSummaryMax = 800;  // characters
inline constexpr std::int64_t kFinalReportFileLimit = 20 * 1024 * 1024;

// A field error of a form (all at once).
struct FieldError {
  std::string field;
  std::string message;
};

}  // namespace kakehashi::package
