#include "compliance/store_reports.h"

#include <boost/json.hpp>

namespace kakehashi::compliance::store {
namespace {

Instant instant(const std::string& text) { return parse_iso_utc(text).value_or(Instant{}); }
std::optional<Instant> optional_instant(const db::Row& row, std::size_t i) {
  auto text = row.optional_text(i);
  if (!text) return std::nullopt;
  return instant(*text);
}
db::Value optional_iso(const std::optional<Instant>& at) {
  if (!at) return db::null();
  return iso_utc(*at);
}

constexpr const char* kReportColumns =
    "id, period_from, status, contract_title, contract_date, created_by, created_at, updated_at, submitted_by, "
    "submitted_at, decided_by, decided_at, decision_note";

ComplianceReport report_of(const db::Row& row) {
  ComplianceReport r;
  r.id = row.integer(0);
  auto from = Date::parse(row.text(1));
  r.period = period_containing(from ? *from : Date{});
  r.status = report_status_from_id(row.text(2)).value_or(ReportStatus::kDraft);
  r.contract_title = row.text(3);
  r.contract_date = row.text(4);
  r.created_by = row.integer(5);
  r.created_at = instant(row.text(6));
  r.updated_at = instant(row.text(7));
  r.submitted_by = row.optional_integer(8);
  r.submitted_at = optional_instant(row, 9);
  r.decided_by = row.optional_integer(10);
  r.decided_at = optional_instant(row, 11);
  r.decision_note = row.text(12);
  return r;
}

Result<std::vector<ComplianceReport>> report_list(db::Transaction& tx, const std::string& where, const db::Params& params) {
  auto rows = tx.query(std::string("SELECT ") + kReportColumns + " FROM compliance_reports " + where, params);
  if (!rows) return fail(rows.error());
  std::vector<ComplianceReport> out;
  for (const auto& row : *rows) out.push_back(report_of(row));
  return out;
}

Result<std::optional<ComplianceReport>> one_report(db::Transaction& tx, const std::string& where, const db::Params& params) {
  auto list = report_list(tx, where + " LIMIT 1", params);
  if (!list) return fail(list.error());
  if (list->empty()) return std::optional<ComplianceReport>{};
  return std::optional<ComplianceReport>{std::move(list->front())};
}

constexpr const char* kEvidenceColumns =
    "id, item, kind, label, href, content_type, sha256, inspection, length(content), added_by, added_at";

EvidenceRecord evidence_of(const db::Row& row) {
  EvidenceRecord e;
  e.id = row.integer(0);
  e.item = int(row.integer(1));
  e.is_file = row.text(2) == "file";
  e.label = row.text(3);
  e.href = row.text(4);
  e.content_type = row.text(5);
  e.sha256 = row.text(6);
  std::string inspection = row.text(7);
  if (!inspection.empty()) {
    boost::system::error_code ec;
    auto parsed = boost::json::parse(inspection, ec);
    if (!ec && parsed.is_object()) {
      if (const auto* s = parsed.as_object().if_contains("summary"); s && s->is_string()) {
        e.inspection_summary = std::string(s->as_string());
      }
    }
  }
  e.size = row.is_null(8) ? 0 : row.integer(8);
  e.added_by = row.integer(9);
  e.added_at = instant(row.text(10));
  return e;
}

constexpr const char* kIncidentColumns =
    "id, title, what, discovered_at, impact, affected_info, measures, reported_at, contained_at, cause, prevention, "
    "status, recorded_by, closed_by, closed_at, updated_at";

Incident incident_of(const db::Row& row) {
  Incident i;
  i.id = row.integer(0);
  i.title = row.text(1);
  i.what = row.text(2);
  i.discovered_at = instant(row.text(3));
  i.impact = row.text(4);
  i.affected_info = row.text(5);
  i.measures = row.text(6);
  i.reported_at = instant(row.text(7));
  i.contained_at = optional_instant(row, 8);
  i.cause = row.text(9);
  i.prevention = row.text(10);
  i.closed = row.text(11) == "closed";
  i.recorded_by = row.integer(12);
  i.closed_by = row.optional_integer(13);
  i.closed_at = optional_instant(row, 14);
  i.updated_at = instant(row.text(15));
  return i;
}

Result<std::vector<Incident>> incident_list(db::Transaction& tx, const std::string& where) {
  auto rows = tx.query(std::string("SELECT ") + kIncidentColumns + " FROM incidents " + where);
  if (!rows) return fail(rows.error());
  std::vector<Incident> out;
  for (const auto& row : *rows) out.push_back(incident_of(row));
  return out;
}

}  // namespace

Result<std::vector<ComplianceReport>> reports(db::Transaction& tx) {
  return report_list(tx, "ORDER BY period_from DESC", {});
}

Result<std::optional<ComplianceReport>> find_report(db::Transaction& tx, std::int64_t id) {
  return one_report(tx, "WHERE id = ?", {id});
}

Result<std::optional<ComplianceReport>> report_of_period(db::Transaction& tx, const Date& from) {
  return one_report(tx, "WHERE period_from = ?", {from.iso()});
}

Result<std::optional<ComplianceReport>> report_before(db::Transaction& tx, const Date& from) {
  return one_report(tx, "WHERE period_from < ? ORDER BY period_from DESC", {from.iso()});
}

Result<std::int64_t> insert_report(db::Transaction& tx, const ComplianceReport& r) {
  return tx.insert(
      "INSERT INTO compliance_reports (period_from, period_to, due_on, status, contract_title, contract_date, "
      "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.period.from.iso(), r.period.to.iso(), r.period.due.iso(), std::string(report_status_id(r.status)),
       r.contract_title, r.contract_date, r.created_by, iso_utc(r.created_at), iso_utc(r.updated_at)});
}

Result<void> update_report_contract(db::Transaction& tx, std::int64_t id, const std::string& title,
                                   const std::string& date, Instant now) {
  return tx.exec("UPDATE compliance_reports SET contract_title = ?, contract_date = ?, updated_at = ? WHERE id = ?",
                 {title, date, iso_utc(now), id});
}

Result<void> set_report_status(db::Transaction& tx, const ComplianceReport& r) {
  return tx.exec(
      "UPDATE compliance_reports SET status = ?, submitted_by = ?, submitted_at = ?, decided_by = ?, decided_at = ?, "
      "decision_note = ?, updated_at = ? WHERE id = ?",
      {std::string(report_status_id(r.status)), db::nullable(r.submitted_by), optional_iso(r.submitted_at),
       db::nullable(r.decided_by), optional_iso(r.decided_at), r.decision_note, iso_utc(r.updated_at), r.id});
}

Result<std::vector<ItemAnswer>> answers(db::Transaction& tx, std::int64_t report_id) {
  auto rows = tx.query("SELECT item, status, detail FROM compliance_report_answers WHERE report_id = ? ORDER BY item",
                       {report_id});
  if (!rows) return fail(rows.error());
  std::vector<ItemAnswer> out;
  for (const auto& row : *rows) {
    ItemAnswer a;
    a.number = int(row.integer(0));
    if (auto s = row.optional_text(1)) a.status = item_status_from_id(*s);
    a.detail = row.text(2);
    out.push_back(std::move(a));
  }
  return out;
}

Result<void> replace_answers(db::Transaction& tx, std::int64_t report_id, const std::vector<ItemAnswer>& list) {
  if (auto r = tx.exec("DELETE FROM compliance_report_answers WHERE report_id = ?", {report_id}); !r) return r;
  for (const auto& a : list) {
    db::Value status = a.status ? db::Value(std::string(item_status_id(*a.status))) : db::null();
    if (auto r = tx.exec("INSERT INTO compliance_report_answers (report_id, item, status, detail) VALUES (?, ?, ?, ?)",
                         {report_id, std::int64_t(a.number), status, a.detail});
        !r) {
      return r;
    }
  }
  return {};
}

Result<std::vector<EvidenceRecord>> evidence(db::Transaction& tx, std::int64_t report_id) {
  auto rows = tx.query(std::string("SELECT ") + kEvidenceColumns +
                           " FROM compliance_report_evidence WHERE report_id = ? ORDER BY item, id",
                       {report_id});
  if (!rows) return fail(rows.error());
  std::vector<EvidenceRecord> out;
  for (const auto& row : *rows) out.push_back(evidence_of(row));
  return out;
}

Result<std::int64_t> insert_evidence(db::Transaction& tx, std::int64_t report_id, const EvidenceRecord& e,
                                     const std::optional<std::string>& content, const std::string& inspection) {
  db::Value bytes = content ? db::Value(db::Blob{*content}) : db::null();
  return tx.insert(
      "INSERT INTO compliance_report_evidence (report_id, item, kind, label, href, content_type, sha256, inspection, "
      "content, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {report_id, std::int64_t(e.item), std::string(e.is_file ? "file" : "link"), e.label, e.href, e.content_type,
       e.sha256, inspection, bytes, e.added_by, iso_utc(e.added_at)});
}

Result<bool> delete_evidence(db::Transaction& tx, std::int64_t report_id, std::int64_t evidence_id) {
  if (auto r = tx.exec("DELETE FROM compliance_report_evidence WHERE report_id = ? AND id = ?", {report_id, evidence_id});
      !r) {
    return fail(r.error());
  }
  return tx.changes() > 0;
}

Result<std::optional<std::pair<EvidenceRecord, std::string>>> evidence_file(db::Transaction& tx, std::int64_t report_id,
                                                                           std::int64_t evidence_id) {
  auto row = tx.query_one(std::string("SELECT ") + kEvidenceColumns +
                              ", content FROM compliance_report_evidence WHERE report_id = ? AND id = ? AND kind = 'file'",
                          {report_id, evidence_id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::pair<EvidenceRecord, std::string>>{};
  std::string bytes;
  if (const auto* b = std::get_if<db::Blob>(&(*row)->at(11))) bytes = b->bytes;
  return std::optional<std::pair<EvidenceRecord, std::string>>{std::pair{evidence_of(**row), std::move(bytes)}};
}

Result<void> insert_event(db::Transaction& tx, std::int64_t report_id, const ReportEvent& e) {
  return tx.exec("INSERT INTO compliance_report_events (report_id, at, by_user, event, note) VALUES (?, ?, ?, ?, ?)",
                 {report_id, iso_utc(e.at), e.by, e.event, e.note});
}

Result<std::vector<ReportEvent>> events(db::Transaction& tx, std::int64_t report_id) {
  auto rows = tx.query("SELECT at, by_user, event, note FROM compliance_report_events WHERE report_id = ? ORDER BY id",
                       {report_id});
  if (!rows) return fail(rows.error());
  std::vector<ReportEvent> out;
  for (const auto& row : *rows) out.push_back({instant(row.text(0)), row.integer(1), row.text(2), row.text(3)});
  return out;
}

Result<std::vector<ComplianceReport>> reports_in(db::Transaction& tx, ReportStatus status) {
  return report_list(tx, "WHERE status = ? ORDER BY due_on", {std::string(report_status_id(status))});
}

Result<std::vector<Incident>> incidents(db::Transaction& tx) {
  return incident_list(tx, "ORDER BY CASE status WHEN 'open' THEN 0 ELSE 1 END, discovered_at DESC");
}

Result<std::optional<Incident>> find_incident(db::Transaction& tx, std::int64_t id) {
  auto row = tx.query_one(std::string("SELECT ") + kIncidentColumns + " FROM incidents WHERE id = ?", {id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Incident>{};
  return std::optional<Incident>{incident_of(**row)};
}

Result<std::int64_t> insert_incident(db::Transaction& tx, const Incident& i) {
  return tx.insert(
      "INSERT INTO incidents (title, what, discovered_at, impact, affected_info, measures, reported_at, recorded_by, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {i.title, i.what, iso_utc(i.discovered_at), i.impact, i.affected_info, i.measures, iso_utc(i.reported_at),
       i.recorded_by, iso_utc(i.updated_at)});
}

Result<void> update_incident(db::Transaction& tx, const Incident& i) {
  return tx.exec(
      "UPDATE incidents SET contained_at = ?, cause = ?, prevention = ?, status = ?, closed_by = ?, closed_at = ?, "
      "updated_at = ? WHERE id = ?",
      {optional_iso(i.contained_at), i.cause, i.prevention, std::string(i.closed ? "closed" : "open"),
       db::nullable(i.closed_by), optional_iso(i.closed_at), iso_utc(i.updated_at), i.id});
}

Result<std::int64_t> insert_incident_report(db::Transaction& tx, const IncidentReport& r) {
  return tx.insert("INSERT INTO incident_reports (incident_id, body, reported_by, reported_at) VALUES (?, ?, ?, ?)",
                   {r.incident_id, r.body, r.reported_by, iso_utc(r.reported_at)});
}

Result<std::vector<IncidentReport>> incident_reports(db::Transaction& tx, std::int64_t incident_id) {
  auto rows = tx.query("SELECT id, incident_id, body, reported_by, reported_at FROM incident_reports "
                       "WHERE incident_id = ? ORDER BY id",
                       {incident_id});
  if (!rows) return fail(rows.error());
  std::vector<IncidentReport> out;
  for (const auto& row : *rows) {
    out.push_back({row.integer(0), row.integer(1), row.text(2), row.integer(3), instant(row.text(4))});
  }
  return out;
}

Result<std::vector<Incident>> open_incidents(db::Transaction& tx) {
  return incident_list(tx, "WHERE status = 'open' ORDER BY discovered_at");
}

Result<std::optional<PackageDelivery>> package_delivery(db::Transaction& tx) {
  auto row = tx.query_one(
      "SELECT package_delivered_on, package_note, updated_by, updated_at FROM closeout_settings WHERE id = 1 "
      "AND package_delivered_on IS NOT NULL");
  if (!row) return fail(row.error());
  if (!*row) return std::optional<PackageDelivery>{};
  PackageDelivery p{(*row)->text(0), (*row)->text(1), (*row)->optional_integer(2), optional_instant(**row, 3)};
  return std::optional<PackageDelivery>{std::move(p)};
}

Result<void> set_package_delivery(db::Transaction& tx, const PackageDelivery& p) {
  return tx.exec(
      "INSERT INTO closeout_settings (id, package_delivered_on, package_note, updated_by, updated_at) "
      "VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET package_delivered_on = excluded.package_delivered_on, "
      "package_note = excluded.package_note, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
      {p.delivered_on, p.note, db::nullable(p.recorded_by), optional_iso(p.recorded_at)});
}

Result<std::optional<CloseoutRecord>> latest_closeout(db::Transaction& tx) {
  auto row = tx.query_one(
      "SELECT id, run_at, run_by, certificate, confirmed_by, confirmed_at FROM closeouts ORDER BY id DESC LIMIT 1");
  if (!row) return fail(row.error());
  if (!*row) return std::optional<CloseoutRecord>{};
  CloseoutRecord r;
  r.id = (*row)->integer(0);
  r.run_at = instant((*row)->text(1));
  r.run_by = (*row)->text(2);
  r.certificate_json = (*row)->text(3);
  r.confirmed_by = (*row)->optional_integer(4);
  r.confirmed_at = optional_instant(**row, 5);
  return std::optional<CloseoutRecord>{std::move(r)};
}

Result<void> confirm_closeout(db::Transaction& tx, std::int64_t id, std::int64_t by, Instant now) {
  return tx.exec("UPDATE closeouts SET confirmed_by = ?, confirmed_at = ? WHERE id = ?", {by, iso_utc(now), id});
}

}  // namespace kakehashi::compliance::store
