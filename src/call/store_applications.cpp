// The call store: applications, their block requests and PDF attachments.
#include <fmt/format.h>

#include <sstream>

#include "base/date.h"
#include "call/store.h"
#include "call/store_internal.h"

namespace kakehashi::call::store {
namespace {

std::string join_topics(const std::vector<std::string>& topics) {
  std::string out;
  for (const auto& t : topics) out += (out.empty() ? "" : " ") + t;
  return out;
}

std::vector<std::string> split_topics(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string t; in >> t;) out.push_back(t);
  return out;
}

std::vector<BlockRequest> in_block_order(std::vector<BlockRequest> blocks) {
  return detail::in_block_order(std::move(blocks), [](const BlockRequest& b) { return b.block; });
}

}  // namespace

Result<std::optional<std::int64_t>> application_of(db::Transaction& tx, std::int64_t call_id,
                                                   std::int64_t organisation_id) {
  auto row = tx.query_one("SELECT id FROM applications WHERE call_id = ? AND organisation_id = ?",
                          {call_id, organisation_id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{(*row)->integer(0)};
}

Result<std::int64_t> insert_application(db::Transaction& tx, std::int64_t call_id, std::int64_t organisation_id,
                                        std::optional<std::int64_t> created_by, Instant now) {
  return tx.insert(
      "INSERT INTO applications (call_id, organisation_id, created_at, updated_at, created_by) VALUES (?, ?, ?, ?, ?)",
      {call_id, organisation_id, iso_utc(now), iso_utc(now), db::nullable(created_by)});
}

Result<std::optional<Application>> find_application(db::Transaction& tx, std::int64_t application_id) {
  auto row = tx.query_one(
      "SELECT id, call_id, organisation_id, status, receipt_number, submitted_at, reopened_reason, updated_at, "
      "organisation_profile, representative_name, contact_name, contact_email, contact_phone, "
      "qualification_coordination, qualification_matching, qualification_community, qualification_note, "
      "plan_projects, plan_pbl, plan_continuity, plan_self_sufficiency, plan_regional_fit, topics "
      "FROM applications WHERE id = ?",
      {application_id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Application>{};
  const db::Row& r = **row;
  Application a;
  a.id = r.integer(0);
  a.call_id = r.integer(1);
  a.organisation_id = r.integer(2);
  a.submitted = r.text(3) == "submitted";
  a.receipt_number = r.optional_text(4);
  a.submitted_at = r.optional_text(5);
  a.reopened_reason = r.optional_text(6);
  a.updated_at = r.text(7);
  a.organisation_profile = r.text(8);
  a.representative_name = r.text(9);
  a.contact_name = r.text(10);
  a.contact_email = r.text(11);
  a.contact_phone = r.text(12);
  a.qualification_coordination = r.integer(13) != 0;
  a.qualification_matching = r.integer(14) != 0;
  a.qualification_community = r.integer(15) != 0;
  a.qualification_note = r.text(16);
  a.plan_projects = r.text(17);
  a.plan_pbl = r.text(18);
  a.plan_continuity = r.text(19);
  a.plan_self_sufficiency = r.text(20);
  a.plan_regional_fit = r.text(21);
  a.topics = split_topics(r.text(22));
  auto blocks = tx.query("SELECT block_id, requested FROM application_blocks WHERE application_id = ?", {a.id});
  if (!blocks) return fail(blocks.error());
  for (const auto& b : *blocks) a.blocks.push_back({b.text(0), b.integer(1)});
  a.blocks = in_block_order(std::move(a.blocks));
  return std::optional<Application>{std::move(a)};
}

Result<void> write_form(db::Transaction& tx, std::int64_t application_id, const ApplicationForm& f, Instant now) {
  auto r = tx.exec(
      "UPDATE applications SET organisation_profile = ?, representative_name = ?, contact_name = ?, contact_email = ?, "
      "contact_phone = ?, qualification_coordination = ?, qualification_matching = ?, qualification_community = ?, "
      "qualification_note = ?, plan_projects = ?, plan_pbl = ?, plan_continuity = ?, plan_self_sufficiency = ?, "
      "plan_regional_fit = ?, topics = ?, updated_at = ? WHERE id = ?",
      {f.organisation_profile, f.representative_name, f.contact_name, f.contact_email, f.contact_phone,
       std::int64_t(f.qualification_coordination), std::int64_t(f.qualification_matching),
       std::int64_t(f.qualification_community), f.qualification_note, f.plan_projects, f.plan_pbl, f.plan_continuity,
       f.plan_self_sufficiency, f.plan_regional_fit, join_topics(f.topics), iso_utc(now), application_id});
  if (!r) return r;
  if (auto d = tx.exec("DELETE FROM application_blocks WHERE application_id = ?", {application_id}); !d) return d;
  for (const auto& b : f.blocks) {
    if (auto i = tx.exec("INSERT INTO application_blocks (application_id, block_id, requested) VALUES (?, ?, ?)"
                         " ON CONFLICT (application_id, block_id) DO UPDATE SET requested = excluded.requested",
                         {application_id, b.block, b.requested});
        !i)
      return i;
  }
  return {};
}

Result<std::int64_t> receipt_count(db::Transaction& tx, std::int64_t call_id) {
  return tx.scalar("SELECT COUNT(*) FROM applications WHERE call_id = ? AND receipt_number IS NOT NULL", {call_id});
}

Result<void> mark_submitted(db::Transaction& tx, std::int64_t application_id, const std::string& receipt, Instant now) {
  return tx.exec(
      "UPDATE applications SET status = 'submitted', receipt_number = ?, submitted_at = ?, updated_at = ? WHERE id = ?",
      {receipt, iso_utc(now), iso_utc(now), application_id});
}

Result<void> mark_reopened(db::Transaction& tx, std::int64_t application_id, const std::string& reason, Instant now) {
  return tx.exec("UPDATE applications SET status = 'draft', reopened_reason = ?, updated_at = ? WHERE id = ?",
                 {reason, iso_utc(now), application_id});
}

Result<std::vector<ApplicationSummary>> list_applications(db::Transaction& tx, std::int64_t call_id,
                                                          bool submitted_only) {
  std::string_view status = submitted_only ? "AND a.status = 'submitted'" : "";
  auto rows = tx.query(fmt::format("SELECT a.id, a.organisation_id, a.status, a.receipt_number, a.submitted_at, "
                                   "a.updated_at, a.topics FROM applications a WHERE a.call_id = ? {} "
                                   "ORDER BY a.receipt_number IS NULL, a.receipt_number, a.id",
                                   status),
                       {call_id});
  if (!rows) return fail(rows.error());
  auto blocks = tx.query(fmt::format("SELECT ab.application_id, ab.block_id, ab.requested FROM application_blocks ab "
                                     "JOIN applications a ON a.id = ab.application_id WHERE a.call_id = ? {}",
                                     status),
                         {call_id});
  if (!blocks) return fail(blocks.error());
  std::map<std::int64_t, std::vector<BlockRequest>> requests;
  for (const auto& b : *blocks) requests[b.integer(0)].push_back({b.text(1), b.integer(2)});
  std::vector<ApplicationSummary> out;
  for (const auto& row : *rows) {
    ApplicationSummary s;
    s.id = row.integer(0);
    s.organisation_id = row.integer(1);
    s.submitted = row.text(2) == "submitted";
    s.receipt_number = row.optional_text(3);
    s.submitted_at = row.optional_text(4);
    s.updated_at = row.text(5);
    s.topics = split_topics(row.text(6));
    s.blocks = in_block_order(std::move(requests[s.id]));
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::map<std::int64_t, ApplicationCounts>> application_counts(db::Transaction& tx) {
  auto rows = tx.query(
      "SELECT call_id, COUNT(*), SUM(CASE WHEN status = 'submitted' THEN 1 ELSE 0 END) FROM applications "
      "GROUP BY call_id");
  if (!rows) return fail(rows.error());
  std::map<std::int64_t, ApplicationCounts> out;
  for (const auto& row : *rows) out[row.integer(0)] = {row.integer(1), row.integer(2)};
  return out;
}

Result<std::int64_t> insert_attachment(db::Transaction& tx, std::int64_t application_id,
                                       const InspectedAttachment& file, const std::string& inspection, Instant now) {
  return tx.insert(
      "INSERT INTO application_attachments "
      "(application_id, file_name, size, sha256, content, disarmed, inspection, uploaded_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {application_id, file.file_name, std::int64_t(file.original.size()), file.sha256, db::Blob{file.original},
       db::Blob{file.disarmed}, inspection, iso_utc(now)});
}

Result<bool> delete_attachment(db::Transaction& tx, std::int64_t application_id, std::int64_t attachment_id) {
  if (auto r = tx.exec("DELETE FROM application_attachments WHERE id = ? AND application_id = ?",
                       {attachment_id, application_id});
      !r)
    return fail(r.error());
  return tx.changes() > 0;
}

Result<std::vector<Attachment>> attachments(db::Transaction& tx, std::int64_t application_id) {
  auto rows = tx.query(
      "SELECT id, file_name, size, sha256, uploaded_at FROM application_attachments WHERE application_id = ? ORDER BY id",
      {application_id});
  if (!rows) return fail(rows.error());
  std::vector<Attachment> out;
  for (const auto& row : *rows) out.push_back({row.integer(0), row.text(1), row.integer(2), row.text(3), row.text(4)});
  return out;
}

Result<std::int64_t> attachment_count(db::Transaction& tx, std::int64_t application_id) {
  return tx.scalar("SELECT COUNT(*) FROM application_attachments WHERE application_id = ?", {application_id});
}

Result<std::optional<StoredFile>> attachment_file(db::Transaction& tx, std::int64_t application_id,
                                                  std::int64_t attachment_id, AttachmentCopy copy) {
  auto row = tx.query_one(copy == AttachmentCopy::kOriginal
                              ? "SELECT file_name, content FROM application_attachments WHERE id = ? AND application_id = ?"
                              : "SELECT file_name, disarmed FROM application_attachments WHERE id = ? AND application_id = ? "
                                "AND disarmed IS NOT NULL",
                          {attachment_id, application_id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<StoredFile>{};
  return std::optional<StoredFile>{StoredFile{(*row)->text(0), "application/pdf", (*row)->text(1)}};
}

Result<std::int64_t> organisation_storage(db::Transaction& tx, std::int64_t organisation_id) {
  return tx.scalar(
      "SELECT COALESCE(SUM(f.size), 0) FROM application_attachments f JOIN applications a ON a.id = f.application_id "
      "WHERE a.organisation_id = ?",
      {organisation_id});
}

}  // namespace kakehashi::call::store
