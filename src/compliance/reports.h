// The half-yearly compliance reports (issue 21, R8.1; 別紙): one report per half of the fiscal
// year (4/1–9/30, 10/1–3/31), due at the end of the month after its period. The secretariat or
// the security officer fills in items 2)–17) (report.h: status, what was done or why not),
// attaches evidence (inspected files, links to Kakehashi pages) and submits it to METI; METI
// acknowledges it or returns it with a comment, and a returned report is corrected and submitted
// again. Every step is audited and kept in the report's history.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/roles.h"
#include "base/date.h"
#include "base/result.h"
#include "compliance/report.h"
#include "db/database.h"

namespace kakehashi::compliance {

// A half of the fiscal year.
struct Period {
  Date from, to;
  Date due;  // the end of the month after `to`
  std::string label() const;  // 「2026年度 上期（2026年4月1日～2026年9月30日）」
};
Period period_containing(Date day);
Period period_before(const Period& period);
// The period starting on `from`, when `from` starts a half-year (4/1 or 10/1).
std::optional<Period> period_starting(Date from);

enum class ReportStatus { kDraft, kSubmitted, kAcknowledged, kReturned };
std::string_view report_status_id(ReportStatus status);
std::string_view report_status_label(ReportStatus status);  // 作成中 / 提出済み（確認待ち）/ 受領済み / 差し戻し
std::optional<ReportStatus> report_status_from_id(std::string_view id);
std::string_view item_status_id(ItemStatus status);  // done / not_done / not_applicable
std::optional<ItemStatus> item_status_from_id(std::string_view id);

struct ComplianceReport {
  std::int64_t id = 0;
  Period period;
  ReportStatus status = ReportStatus::kDraft;
  std::string contract_title, contract_date;
  std::int64_t created_by = 0;
  Instant created_at{}, updated_at{};
  std::optional<std::int64_t> submitted_by;
  std::optional<Instant> submitted_at;
  std::optional<std::int64_t> decided_by;
  std::optional<Instant> decided_at;
  std::string decision_note;
  bool editable() const { return status == ReportStatus::kDraft || status == ReportStatus::kReturned; }
};

struct EvidenceRecord {
  std::int64_t id = 0;
  int item = 0;
  bool is_file = false;
  std::string label;  // the file name or the link's text
  std::string href;   // link: a Kakehashi path
  std::string content_type, sha256, inspection_summary;
  std::int64_t size = 0;
  std::int64_t added_by = 0;
  Instant added_at{};
};

struct ReportEvent {
  Instant at{};
  std::int64_t by = 0;
  std::string event;  // created / saved / submitted / acknowledged / returned
  std::string note;
};
std::string_view report_event_label(std::string_view event);

struct ReportDetail {
  ComplianceReport report;
  std::vector<ItemAnswer> answers;  // one per item 2)–17), in order; evidence: files and links
  std::vector<EvidenceRecord> evidence;
  std::vector<ReportEvent> events;  // oldest first
};

// The path a file of evidence downloads from.
std::string evidence_href(std::int64_t report_id, std::int64_t evidence_id);

// The form as typed: per item "status" (an id or "") and "detail".
struct AnswerForm {
  int item = 0;
  std::string status;
  std::string detail;
};
// Reads the typed answers; a draft may leave items open, but a chosen 未実施 / 該当なし needs its
// reason now (every error at once, at the item's field "item_<n>").
std::vector<FieldError> read_answers(const std::vector<AnswerForm>& form, std::vector<ItemAnswer>& out);

[[nodiscard]] Result<std::vector<ComplianceReport>> list_reports(db::Transaction& tx, const auth::Principal& who);
[[nodiscard]] Result<std::optional<ReportDetail>> find_report(db::Transaction& tx, const auth::Principal& who,
                                                              std::int64_t id);
// Opens the report of `period` (kPrepareComplianceReport), carrying over the previous report's
// answers and contract fields as a starting point. Refused (conflict) when it exists.
[[nodiscard]] Result<std::int64_t> create_report(db::Transaction& tx, const auth::Principal& who, const Period& period,
                                                 Instant now);
// Saves the answers and the contract fields of an editable report (draft or returned).
[[nodiscard]] Result<void> save_report(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                       const std::vector<ItemAnswer>& answers, const std::string& contract_title,
                                       const std::string& contract_date, Instant now);
// Submits it to METI: every item answered (check_answers, all errors at once in the returned
// list; the error is kInvalidArgument). METI's users are notified.
[[nodiscard]] Result<void> submit_report(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                         const std::string& link, Instant now, std::vector<FieldError>* errors = nullptr);
// METI's answer to a submitted report; returning it needs a comment. The submitter is notified.
[[nodiscard]] Result<void> acknowledge_report(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                              const std::string& note, const std::string& link, Instant now);
[[nodiscard]] Result<void> return_report(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                         const std::string& note, const std::string& link, Instant now);

// A file that passed the inspector (as for publication: METI receives it), ready to be stored.
struct InspectedEvidence {
  std::string file_name, content_type, sha256, inspection, content;
};
inline constexpr std::int64_t kEvidenceLimit = 20 * 1024 * 1024;
[[nodiscard]] Result<InspectedEvidence> inspect_evidence(const std::string& path, std::string file_name,
                                                         std::string sha256);
[[nodiscard]] Result<std::int64_t> add_file_evidence(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                                     int item, const InspectedEvidence& file, Instant now);
// A link to a Kakehashi page ("/admin/audit?action=…"): a path on this site, nothing else.
[[nodiscard]] Result<std::int64_t> add_link_evidence(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                                     int item, const std::string& label, const std::string& href,
                                                     Instant now);
[[nodiscard]] Result<void> remove_evidence(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                           std::int64_t evidence_id, Instant now);
[[nodiscard]] Result<std::optional<std::pair<EvidenceRecord, std::string>>> evidence_file(
    db::Transaction& tx, const auth::Principal& who, std::int64_t id, std::int64_t evidence_id);

// The header of the rendered report (report.h).
ReportHeader report_header(const ComplianceReport& report);

// What the home page asks of `who` (two indexed queries): the report of the period that ended
// last and is not yet submitted (or was returned), for the contractor's side; submitted reports
// waiting for METI.
struct ReportTask {
  std::int64_t report_id = 0;  // 0: not yet opened
  Period period;
  std::string text;
  bool for_meti = false;
  bool urgent = false;
};
[[nodiscard]] Result<std::vector<ReportTask>> report_tasks(db::Transaction& tx, const auth::Principal& who, Instant now);

}  // namespace kakehashi::compliance
