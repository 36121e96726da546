// The incident log (issue 21, R8.5; 情報セキュリティに関する事項 11)): when information security
// is breached or may be, the contractor reports to METI's 担当職員 promptly (速やかに), finds the
// cause and agrees the measures with METI. Kakehashi's procedure (the 対処方法 presented under
// 11), shown on the incident screens):
//   1. Whoever learns of it records it here at once: what happened, when it became known, the
//      impact, the information affected (kinds and counts, never the personal data itself) and the
//      measures taken. Recording IS the first report (第一報): METI's users and the security
//      officer are notified at that moment. Target: within kFirstReportWithin of discovery.
//   2. Follow-up reports (経過報告) go to METI the same way; the report on cause and measures
//      against recurrence is due within kCauseReportWithin of discovery.
//   3. The incident is closed once it is contained and its cause and measures are reported.
// Every step is audited.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/roles.h"
#include "base/result.h"
#include "compliance/model.h"
#include "db/database.h"

namespace kakehashi::compliance {

inline constexpr std::chrono::hours kFirstReportWithin{1};
inline constexpr std::chrono::days kCauseReportWithin{5};

struct Incident {
  std::int64_t id = 0;
  std::string title;
  std::string what;
  Instant discovered_at{};
  std::string impact;
  std::string affected_info;
  std::string measures;
  Instant reported_at{};  // the first report (the moment it was recorded)
  std::optional<Instant> contained_at;
  std::string cause;
  std::string prevention;
  bool closed = false;
  std::int64_t recorded_by = 0;
  std::optional<std::int64_t> closed_by;
  std::optional<Instant> closed_at;
  Instant updated_at{};
  Instant first_report_due() const { return discovered_at + kFirstReportWithin; }
  Instant cause_report_due() const { return discovered_at + kCauseReportWithin; }
  bool cause_reported() const { return !cause.empty() && !prevention.empty(); }
};

struct IncidentReport {
  std::int64_t id = 0;
  std::int64_t incident_id = 0;
  std::string body;
  std::int64_t reported_by = 0;
  Instant reported_at{};
};

// The record form as typed (discovered_at as <input type="datetime-local">, Japan time).
struct IncidentForm {
  std::string title, what, discovered_at, impact, affected_info, measures;
};
// Every error at once at its field; the discovery cannot lie in the future.
std::vector<FieldError> read_incident(const IncidentForm& form, Incident& out, Instant now);

// The follow-up form: the report's text, and optionally containment, cause and prevention.
struct FollowUpForm {
  std::string body;
  bool contained = false;
  std::string cause, prevention;
};

[[nodiscard]] Result<std::vector<Incident>> list_incidents(db::Transaction& tx, const auth::Principal& who);
[[nodiscard]] Result<std::optional<Incident>> find_incident(db::Transaction& tx, const auth::Principal& who,
                                                            std::int64_t id);
[[nodiscard]] Result<std::vector<IncidentReport>> incident_reports(db::Transaction& tx, const auth::Principal& who,
                                                                   std::int64_t id);
// Records it and sends the first report: METI's users and the security officers (not `who`)
// are notified with `link`. Audited "compliance.incident_recorded".
[[nodiscard]] Result<std::int64_t> record_incident(db::Transaction& tx, const auth::Principal& who, Incident incident,
                                                   const std::string& link, Instant now);
// A follow-up report to METI (audited "compliance.incident_reported"); containment, cause and
// prevention typed with it are recorded on the incident.
[[nodiscard]] Result<void> report_follow_up(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                            const FollowUpForm& form, const std::string& link, Instant now,
                                            std::vector<FieldError>* errors = nullptr);
// Closes it: refused (every reason at once) until contained with cause and prevention reported.
[[nodiscard]] Result<void> close_incident(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                          const std::string& link, Instant now);

// Open incidents whose cause report is outstanding, for the home page.
[[nodiscard]] Result<std::vector<Incident>> incidents_needing_report(db::Transaction& tx);

}  // namespace kakehashi::compliance
