// Operators' final reports (成果報告書, issue 25): each operator uploads its report (DOCX or PDF,
// passed by the inspector) with a summary and its consent to publication, by the due date; new
// versions replace older ones (all kept); the secretariat returns it with comments or accepts it;
// reminders go out before the due date. Accepted reports go into the package (non-public always,
// public where the operator consented and the file passes the gate) and their summaries make the
// report's chapter of the blocks' results.
//
// Who reaches which report (the operations module's reach, access.h): operators their own,
// bureaus their blocks' operators, the secretariat and METI every operator. A report one may not
// see is not found (404).
// - kViewFinalReports: see reports and download their files;
// - kSubmitFinalReport: upload a version, change the consent (the operator, on its own report);
// - kReviewFinalReports: return or accept, set the due date (the secretariat).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "auth/roles.h"
#include "base/date.h"
#include "base/result.h"
#include "db/database.h"
#include "package/model.h"

namespace kakehashi::package {

// ---- The due date: the setting "final_report_due", else the last business day of February of
// the fiscal year of `today` (weekends, national holidays; the fiscal year starts in April).
Date default_final_report_due(Date today);
[[nodiscard]] Result<Date> final_report_due(db::Transaction& tx, Instant now);
// True when the due date is the default (no setting).
[[nodiscard]] Result<bool> final_report_due_is_default(db::Transaction& tx);
// kReviewFinalReports; audited "package.final_report_due_set". nullopt goes back to the default.
[[nodiscard]] Result<void> set_final_report_due(db::Transaction& tx, const auth::Principal& who,
                                                std::optional<Date> due, Instant now);

// ---- Reading
// Every operator of the current programme year within `who`'s reach, in block order, with its
// report (kNotSubmitted when it has none). Empty for anyone without kViewFinalReports.
[[nodiscard]] Result<std::vector<FinalReport>> list_final_reports(db::Transaction& tx, const auth::Principal& who);
// The operator's report with its files, nullopt when the operator is unknown or out of reach.
[[nodiscard]] Result<std::optional<FinalReport>> find_final_report(db::Transaction& tx, const auth::Principal& who,
                                                                   std::int64_t operator_id);
struct FinalReportDownload {
  std::string file_name;
  std::string content_type;
  std::string content;
};
[[nodiscard]] Result<std::optional<FinalReportDownload>> final_report_file(db::Transaction& tx, const auth::Principal& who,
                                                                          std::int64_t operator_id, int version);
// True when `who` may upload to / review the operator's report (for the screens' forms).
[[nodiscard]] Result<bool> may_submit_final_report(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id);

// ---- Uploading
struct InspectedReport {
  std::string file_name;
  std::string content_type;
  std::string sha256;
  std::string content;
  std::string inspection;  // JSON of the inspector's verdict
};
// Inspects the upload at `path` for publication (child process; outside any transaction, under a
// WorkKind::kInspection slot). Refused (invalid) when it is not a DOCX or PDF, too big, or has
// findings of severity error (listed in Japanese).
[[nodiscard]] Result<InspectedReport> inspect_final_report(const std::filesystem::path& path, std::string file_name,
                                                           std::string sha256);
// The summary: 1–kFinalReportSummaryMax characters.
std::vector<FieldError> validate_final_report(const std::string& summary);
// A new version of the operator's report (kSubmitFinalReport on that operator): status becomes
// 確認待ち. Refused once accepted. Audited "package.final_report_submitted". Returns the version.
[[nodiscard]] Result<int> submit_final_report(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id,
                                              const InspectedReport& file, const std::string& summary, bool consent,
                                              Instant now);
// The operator's consent to publication (kSubmitFinalReport). Audited "package.final_report_consent".
[[nodiscard]] Result<void> set_final_report_consent(db::Transaction& tx, const auth::Principal& who,
                                                    std::int64_t operator_id, bool consent, Instant now);

// ---- Review (kReviewFinalReports): only a report awaiting review. Returning needs a comment;
// the operator's active users are notified either way. Audited "package.final_report_reviewed".
enum class FinalReportDecision { kAccept, kReturn };
[[nodiscard]] Result<void> review_final_report(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id,
                                               FinalReportDecision decision, const std::string& comment, Instant now);

// ---- Reminders (the server's periodic task "package.final_report_reminders", and
// `kakehashi package remind`): to the active users of every operator whose report is not yet
// submitted or was returned, 14 days and 3 days before the due date; once per operator, stage and
// due date (audited "package.final_report_reminded"). Returns how many operators were reminded.
[[nodiscard]] Result<int> remind_final_reports(db::Transaction& tx, Instant now);

// ---- For the build: the accepted reports of the current programme year with their newest file.
struct AcceptedFinalReport {
  FinalReport report;
  FinalReportFile file;
  std::string content;
};
[[nodiscard]] Result<std::vector<AcceptedFinalReport>> accepted_final_reports(db::Transaction& tx);

}  // namespace kakehashi::package
