// SQL of the compliance reports and the incident log (private to the module).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "compliance/closeout.h"
#include "compliance/incidents.h"
#include "compliance/reports.h"
#include "db/database.h"

namespace kakehashi::compliance::store {

[[nodiscard]] Result<std::vector<ComplianceReport>> reports(db::Transaction& tx);
[[nodiscard]] Result<std::optional<ComplianceReport>> find_report(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<std::optional<ComplianceReport>> report_of_period(db::Transaction& tx, const Date& from);
// The latest report of a period before `from` (carried over into a new one).
[[nodiscard]] Result<std::optional<ComplianceReport>> report_before(db::Transaction& tx, const Date& from);
[[nodiscard]] Result<std::int64_t> insert_report(db::Transaction& tx, const ComplianceReport& r);
[[nodiscard]] Result<void> update_report_contract(db::Transaction& tx, std::int64_t id, const std::string& title,
                                                  const std::string& date, Instant now);
[[nodiscard]] Result<void> set_report_status(db::Transaction& tx, const ComplianceReport& r);
[[nodiscard]] Result<std::vector<ItemAnswer>> answers(db::Transaction& tx, std::int64_t report_id);
[[nodiscard]] Result<void> replace_answers(db::Transaction& tx, std::int64_t report_id, const std::vector<ItemAnswer>& a);
[[nodiscard]] Result<std::vector<EvidenceRecord>> evidence(db::Transaction& tx, std::int64_t report_id);
[[nodiscard]] Result<std::int64_t> insert_evidence(db::Transaction& tx, std::int64_t report_id, const EvidenceRecord& e,
                                                   const std::optional<std::string>& content, const std::string& inspection);
[[nodiscard]] Result<bool> delete_evidence(db::Transaction& tx, std::int64_t report_id, std::int64_t evidence_id);
[[nodiscard]] Result<std::optional<std::pair<EvidenceRecord, std::string>>> evidence_file(db::Transaction& tx,
                                                                                         std::int64_t report_id,
                                                                                         std::int64_t evidence_id);
[[nodiscard]] Result<void> insert_event(db::Transaction& tx, std::int64_t report_id, const ReportEvent& e);
[[nodiscard]] Result<std::vector<ReportEvent>> events(db::Transaction& tx, std::int64_t report_id);
// Reports in one status (the home page's tasks).
[[nodiscard]] Result<std::vector<ComplianceReport>> reports_in(db::Transaction& tx, ReportStatus status);

[[nodiscard]] Result<std::vector<Incident>> incidents(db::Transaction& tx);
[[nodiscard]] Result<std::optional<Incident>> find_incident(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<std::int64_t> insert_incident(db::Transaction& tx, const Incident& i);
[[nodiscard]] Result<void> update_incident(db::Transaction& tx, const Incident& i);
[[nodiscard]] Result<std::int64_t> insert_incident_report(db::Transaction& tx, const IncidentReport& r);
[[nodiscard]] Result<std::vector<IncidentReport>> incident_reports(db::Transaction& tx, std::int64_t incident_id);
[[nodiscard]] Result<std::vector<Incident>> open_incidents(db::Transaction& tx);

[[nodiscard]] Result<std::optional<PackageDelivery>> package_delivery(db::Transaction& tx);
[[nodiscard]] Result<void> set_package_delivery(db::Transaction& tx, const PackageDelivery& p);
// The latest close-out without the signature check (the service does it).
[[nodiscard]] Result<std::optional<CloseoutRecord>> latest_closeout(db::Transaction& tx);
[[nodiscard]] Result<void> confirm_closeout(db::Transaction& tx, std::int64_t id, std::int64_t by, Instant now);

}  // namespace kakehashi::compliance::store
