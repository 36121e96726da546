#include "package/store.h"

namespace kakehashi::package::store {
namespace {

const char* kChapterSelect =
    "SELECT id, position, kind, source, title, markdown, version, review_status, included, updated_at, approved_version "
    "FROM package_chapters ";

Chapter chapter_from(const db::Row& row) {
  Chapter c;
  c.id = row.integer(0);
  c.position = int(row.integer(1));
  c.kind = row.text(2) == "generated" ? ChapterKind::kGenerated : ChapterKind::kWritten;
  c.source = row.text(3);
  c.title = row.text(4);
  c.markdown = row.text(5);
  c.version = int(row.integer(6));
  c.review_status = review_status_from(row.text(7)).value_or(ReviewStatus::kDraft);
  c.included = row.integer(8) != 0;
  c.updated_at = row.text(9);
  if (auto v = row.optional_integer(10)) c.approved_version = int(*v);
  return c;
}

const char* kBuildSelect =
    "SELECT id, status, started_at, started_by, finished_at, delivered_at, out_dir, progress, message, "
    "public_files, nonpublic_files, public_bytes, claimed, worker, heartbeat_at FROM package_builds ";

Build build_from(const db::Row& row) {
  Build b;
  b.id = row.integer(0);
  b.status = build_status_from(row.text(1)).value_or(BuildStatus::kFailed);
  b.started_at = row.text(2);
  b.started_by = row.optional_integer(3);
  b.finished_at = row.optional_text(4);
  b.delivered_at = row.optional_text(5);
  b.out_dir = row.text(6);
  b.progress = row.text(7);
  b.message = row.text(8);
  b.public_files = int(row.integer(9));
  b.nonpublic_files = int(row.integer(10));
  b.public_bytes = row.integer(11);
  b.claimed = row.integer(12) != 0;
  b.worker = row.text(13);
  b.heartbeat_at = row.optional_text(14);
  return b;
}

}  // namespace

Result<std::vector<Chapter>> chapters(db::Transaction& tx) {
  auto rows = tx.query(std::string(kChapterSelect) + "ORDER BY position, id");
  if (!rows) return fail(rows.error());
  std::vector<Chapter> out;
  for (const auto& row : *rows) out.push_back(chapter_from(row));
  return out;
}

Result<std::optional<Chapter>> chapter(db::Transaction& tx, std::int64_t id) {
  auto row = tx.query_one(std::string(kChapterSelect) + "WHERE id = ?", {id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Chapter>{};
  return std::optional<Chapter>{chapter_from(**row)};
}

Result<std::int64_t> insert_chapter(db::Transaction& tx, const Chapter& c, std::optional<std::int64_t> by) {
  return tx.insert(
      "INSERT INTO package_chapters (position, kind, source, title, markdown, version, review_status, included, "
      "updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {std::int64_t(c.position), std::string(to_string(c.kind)), c.source, c.title, c.markdown, std::int64_t(c.version),
       std::string(to_string(c.review_status)), std::int64_t(c.included ? 1 : 0), c.updated_at, db::nullable(by)});
}

Result<void> update_chapter(db::Transaction& tx, const Chapter& c, std::optional<std::int64_t> by) {
  return tx.exec(
      "UPDATE package_chapters SET position = ?, title = ?, markdown = ?, version = ?, review_status = ?, included = ?, "
      "updated_at = ?, updated_by = ?, approved_version = ? WHERE id = ?",
      {std::int64_t(c.position), c.title, c.markdown, std::int64_t(c.version), std::string(to_string(c.review_status)),
       std::int64_t(c.included ? 1 : 0), c.updated_at, db::nullable(by),
       c.approved_version ? db::Value(std::int64_t(*c.approved_version)) : db::null(), c.id});
}

Result<void> insert_version(db::Transaction& tx, std::int64_t chapter_id, const ChapterVersion& v) {
  return tx.exec(
      "INSERT INTO package_chapter_versions (chapter_id, version, title, markdown, saved_at, saved_by) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {chapter_id, std::int64_t(v.version), v.title, v.markdown, v.saved_at, db::nullable(v.saved_by)});
}

Result<std::vector<ChapterVersion>> versions(db::Transaction& tx, std::int64_t chapter_id) {
  auto rows = tx.query(
      "SELECT version, title, markdown, saved_at, saved_by FROM package_chapter_versions WHERE chapter_id = ? "
      "ORDER BY version DESC",
      {chapter_id});
  if (!rows) return fail(rows.error());
  std::vector<ChapterVersion> out;
  for (const auto& row : *rows)
    out.push_back({int(row.integer(0)), row.text(1), row.text(2), row.text(3), row.optional_integer(4)});
  return out;
}

Result<std::optional<ChapterVersion>> version(db::Transaction& tx, std::int64_t chapter_id, int version) {
  auto row = tx.query_one(
      "SELECT version, title, markdown, saved_at, saved_by FROM package_chapter_versions WHERE chapter_id = ? AND version = ?",
      {chapter_id, std::int64_t(version)});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<ChapterVersion>{};
  const auto& r = **row;
  return std::optional<ChapterVersion>{ChapterVersion{int(r.integer(0)), r.text(1), r.text(2), r.text(3), r.optional_integer(4)}};
}

Result<void> delete_chapter(db::Transaction& tx, std::int64_t chapter_id) {
  if (auto r = tx.exec("DELETE FROM package_chapter_versions WHERE chapter_id = ?", {chapter_id}); !r) return r;
  return tx.exec("DELETE FROM package_chapters WHERE id = ?", {chapter_id});
}

Result<std::int64_t> insert_build(db::Transaction& tx, const Build& b) {
  // Queued (claimed = 0) until the server's task or the CLI claims it.
  return tx.insert("INSERT INTO package_builds (status, started_at, started_by, out_dir, progress, claimed) VALUES (?, ?, ?, ?, ?, 0)",
                   {std::string(to_string(b.status)), b.started_at, db::nullable(b.started_by), b.out_dir, b.progress});
}

Result<void> update_build(db::Transaction& tx, const Build& b) {
  return tx.exec(
      "UPDATE package_builds SET status = ?, finished_at = ?, delivered_at = ?, out_dir = ?, progress = ?, message = ?, "
      "public_files = ?, nonpublic_files = ?, public_bytes = ? WHERE id = ?",
      {std::string(to_string(b.status)), db::nullable(b.finished_at), db::nullable(b.delivered_at), b.out_dir, b.progress,
       b.message, std::int64_t(b.public_files), std::int64_t(b.nonpublic_files), b.public_bytes, b.id});
}

Result<std::optional<Build>> build(db::Transaction& tx, std::int64_t id) {
  auto row = tx.query_one(std::string(kBuildSelect) + "WHERE id = ?", {id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Build>{};
  return std::optional<Build>{build_from(**row)};
}

Result<std::vector<Build>> builds(db::Transaction& tx, int limit) {
  auto rows = tx.query(std::string(kBuildSelect) + "ORDER BY id DESC LIMIT ?", {std::int64_t(limit)});
  if (!rows) return fail(rows.error());
  std::vector<Build> out;
  for (const auto& row : *rows) out.push_back(build_from(row));
  return out;
}

Result<std::optional<std::int64_t>> oldest_queued_build(db::Transaction& tx) {
  auto row = tx.query_one("SELECT id FROM package_builds WHERE status = 'running' AND claimed = 0 ORDER BY id LIMIT 1");
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{(**row).integer(0)};
}

Result<void> claim_build(db::Transaction& tx, std::int64_t id, const std::string& worker, const std::string& now) {
  return tx.exec("UPDATE package_builds SET claimed = 1, progress = '開始', worker = ?, heartbeat_at = ? WHERE id = ?",
                 {worker, now, id});
}

Result<void> set_build_progress(db::Transaction& tx, std::int64_t id, const std::string& step, const std::string& now) {
  return tx.exec("UPDATE package_builds SET progress = ?, heartbeat_at = ? WHERE id = ?", {step, now, id});
}

Result<std::vector<Build>> running_builds(db::Transaction& tx) {
  auto rows = tx.query(std::string(kBuildSelect) + "WHERE status = 'running' ORDER BY id");
  if (!rows) return fail(rows.error());
  std::vector<Build> out;
  for (const auto& row : *rows) out.push_back(build_from(row));
  return out;
}

Result<std::optional<Build>> running_build(db::Transaction& tx) {
  auto row = tx.query_one(std::string(kBuildSelect) + "WHERE status = 'running' ORDER BY id DESC LIMIT 1");
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Build>{};
  return std::optional<Build>{build_from(**row)};
}

Result<std::optional<std::string>> latest_delivery(db::Transaction& tx) {
  auto row = tx.query_one("SELECT MAX(delivered_at) FROM package_builds WHERE status = 'delivered'");
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::string>{};
  return (**row).optional_text(0);
}

Result<std::vector<Exception>> exceptions(db::Transaction& tx) {
  auto rows = tx.query("SELECT id, finding_key, reason, created_at FROM package_exceptions ORDER BY id");
  if (!rows) return fail(rows.error());
  std::vector<Exception> out;
  for (const auto& row : *rows) out.push_back({row.integer(0), row.text(1), row.text(2), row.text(3)});
  return out;
}

Result<std::int64_t> insert_exception(db::Transaction& tx, const Exception& e, std::optional<std::int64_t> by) {
  return tx.insert(
      "INSERT INTO package_exceptions (finding_key, reason, created_at, created_by) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (finding_key) DO UPDATE SET reason = excluded.reason, created_at = excluded.created_at, "
      "created_by = excluded.created_by",
      {e.finding_key, e.reason, e.created_at, db::nullable(by)});
}

Result<bool> delete_exception(db::Transaction& tx, std::int64_t id) {
  if (auto r = tx.exec("DELETE FROM package_exceptions WHERE id = ?", {id}); !r) return fail(r.error());
  return tx.changes() > 0;
}

namespace {

const char* kReportSelect =
    "SELECT id, operator_id, call_id, status, version, summary, consent, consent_at, review_comment, reviewed_at, "
    "submitted_at, updated_at FROM package_final_reports ";

FinalReport report_from(const db::Row& row) {
  FinalReport r;
  r.id = row.integer(0);
  r.operator_id = row.integer(1);
  r.call_id = row.integer(2);
  std::string status = row.text(3);
  r.status = status == "accepted"   ? FinalReportStatus::kAccepted
             : status == "returned" ? FinalReportStatus::kReturned
                                    : FinalReportStatus::kSubmitted;
  r.version = int(row.integer(4));
  r.summary = row.text(5);
  r.consent = row.integer(6) != 0;
  r.consent_at = row.optional_text(7);
  r.review_comment = row.text(8);
  r.reviewed_at = row.optional_text(9);
  r.submitted_at = row.optional_text(10);
  r.updated_at = row.optional_text(11);
  return r;
}

}  // namespace

Result<std::vector<FinalReport>> final_reports(db::Transaction& tx) {
  auto rows = tx.query(std::string(kReportSelect) + "ORDER BY operator_id");
  if (!rows) return fail(rows.error());
  std::vector<FinalReport> out;
  for (const auto& row : *rows) out.push_back(report_from(row));
  return out;
}

Result<std::optional<FinalReport>> final_report(db::Transaction& tx, std::int64_t operator_id) {
  auto row = tx.query_one(std::string(kReportSelect) + "WHERE operator_id = ?", {operator_id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<FinalReport>{};
  return std::optional<FinalReport>{report_from(**row)};
}

Result<std::vector<FinalReportFile>> final_report_files(db::Transaction& tx, std::int64_t report_id) {
  auto rows = tx.query(
      "SELECT version, file_name, content_type, size, sha256, uploaded_at, inspection FROM package_final_report_files "
      "WHERE report_id = ? ORDER BY version DESC",
      {report_id});
  if (!rows) return fail(rows.error());
  std::vector<FinalReportFile> out;
  for (const auto& row : *rows)
    out.push_back({int(row.integer(0)), row.text(1), row.text(2), row.integer(3), row.text(4), row.text(5), row.text(6), ""});
  return out;
}

Result<std::optional<std::string>> final_report_content(db::Transaction& tx, std::int64_t report_id, int version) {
  auto row = tx.query_one("SELECT content FROM package_final_report_files WHERE report_id = ? AND version = ?",
                          {report_id, std::int64_t(version)});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::string>{};
  const db::Value& bytes = (*row)->at(0);
  return std::optional<std::string>{std::holds_alternative<db::Blob>(bytes) ? std::get<db::Blob>(bytes).bytes : (*row)->text(0)};
}

Result<std::int64_t> insert_final_report(db::Transaction& tx, const FinalReport& r) {
  return tx.insert(
      "INSERT INTO package_final_reports (operator_id, call_id, status, version, summary, consent, consent_at, submitted_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.operator_id, r.call_id, std::string(to_string(r.status)), std::int64_t(r.version), r.summary,
       std::int64_t(r.consent ? 1 : 0), db::nullable(r.consent_at), db::nullable(r.submitted_at), db::nullable(r.updated_at)});
}

Result<void> update_final_report(db::Transaction& tx, const FinalReport& r, std::optional<std::int64_t> reviewed_by) {
  return tx.exec(
      "UPDATE package_final_reports SET status = ?, version = ?, summary = ?, consent = ?, consent_at = ?, "
      "review_comment = ?, reviewed_at = ?, reviewed_by = COALESCE(?, reviewed_by), submitted_at = ?, updated_at = ? "
      "WHERE id = ?",
      {std::string(to_string(r.status)), std::int64_t(r.version), r.summary, std::int64_t(r.consent ? 1 : 0),
       db::nullable(r.consent_at), r.review_comment, db::nullable(r.reviewed_at), db::nullable(reviewed_by),
       db::nullable(r.submitted_at), db::nullable(r.updated_at), r.id});
}

Result<void> insert_final_report_file(db::Transaction& tx, std::int64_t report_id, const FinalReportFile& f,
                                      const std::string& content, const std::string& inspection,
                                      std::optional<std::int64_t> by) {
  return tx.exec(
      "INSERT INTO package_final_report_files (report_id, version, file_name, content_type, size, sha256, content, "
      "inspection, uploaded_at, uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {report_id, std::int64_t(f.version), f.file_name, f.content_type, f.size, f.sha256, db::Value(db::Blob{content}),
       inspection, f.uploaded_at, db::nullable(by)});
}

Result<bool> reminder_sent(db::Transaction& tx, std::int64_t operator_id, const std::string& stage, const std::string& due_on) {
  auto row = tx.query_one(
      "SELECT 1 FROM package_final_report_reminders WHERE operator_id = ? AND stage = ? AND due_on = ?",
      {operator_id, stage, due_on});
  if (!row) return fail(row.error());
  return row->has_value();
}

Result<void> insert_reminder(db::Transaction& tx, std::int64_t operator_id, const std::string& stage,
                             const std::string& due_on, const std::string& now) {
  return tx.exec(
      "INSERT INTO package_final_report_reminders (operator_id, stage, due_on, sent_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT DO NOTHING",
      {operator_id, stage, due_on, now});
}

Result<std::optional<std::string>> setting(db::Transaction& tx, const std::string& key) {
  auto row = tx.query_one("SELECT value FROM package_settings WHERE key = ?", {key});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::string>{};
  return std::optional<std::string>{(**row).text(0)};
}

Result<void> set_setting(db::Transaction& tx, const std::string& key, const std::string& value) {
  return tx.exec(
      "INSERT INTO package_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      {key, value});
}

Result<void> delete_setting(db::Transaction& tx, const std::string& key) {
  return tx.exec("DELETE FROM package_settings WHERE key = ?", {key});
}

}  // namespace kakehashi::package::store
