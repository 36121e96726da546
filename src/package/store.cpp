#include "package/store.h"

namespace kakehashi::package::store {
namespace {

const char* kChapterSelect =
    "SELECT id, position, kind, source, title, markdown, version, review_status, included, updated_at "
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
  return c;
}

const char* kBuildSelect =
    "SELECT id, status, started_at, started_by, finished_at, delivered_at, out_dir, progress, message, "
    "public_files, nonpublic_files, public_bytes FROM package_builds ";

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
      "updated_at = ?, updated_by = ? WHERE id = ?",
      {std::int64_t(c.position), c.title, c.markdown, std::int64_t(c.version), std::string(to_string(c.review_status)),
       std::int64_t(c.included ? 1 : 0), c.updated_at, db::nullable(by), c.id});
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

Result<void> claim_build(db::Transaction& tx, std::int64_t id) {
  return tx.exec("UPDATE package_builds SET claimed = 1, progress = '開始' WHERE id = ?", {id});
}

Result<void> set_build_progress(db::Transaction& tx, std::int64_t id, const std::string& step) {
  return tx.exec("UPDATE package_builds SET progress = ? WHERE id = ?", {step, id});
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

}  // namespace kakehashi::package::store
