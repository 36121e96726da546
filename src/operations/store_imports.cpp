#include "operations/store_imports.h"

#include <fmt/format.h>

namespace kakehashi::operations::store {
namespace {

constexpr std::string_view kColumns =
    "id, operator_id, file_name, sha256, length(content), state, decisions, summary, created_at, confirmed_at";

ActivityImport import_from_row(const db::Row& row) {
  ActivityImport a;
  a.id = row.integer(0);
  a.operator_id = row.integer(1);
  a.file_name = row.text(2);
  a.sha256 = row.text(3);
  a.size = row.integer(4);
  std::string state = row.text(5);
  a.state = state == "confirmed" ? ImportState::kConfirmed
            : state == "discarded" ? ImportState::kDiscarded
                                   : ImportState::kStaged;
  a.decisions = row.text(6);
  a.summary = row.text(7);
  a.created_at = row.text(8);
  a.confirmed_at = row.optional_text(9);
  return a;
}

}  // namespace

Result<std::int64_t> insert_import(db::Transaction& tx, const ActivityImport& info, std::string_view content,
                                   std::optional<std::int64_t> by, Instant now) {
  return tx.insert(
      "INSERT INTO activity_imports (operator_id, file_name, sha256, content, state, decisions, created_at, created_by) "
      "VALUES (?, ?, ?, ?, 'staged', '[]', ?, ?)",
      {info.operator_id, info.file_name, info.sha256, db::Blob{std::string(content)}, iso_utc(now), db::nullable(by)});
}

Result<std::optional<ActivityImport>> find_import(db::Transaction& tx, std::int64_t id) {
  auto row = tx.query_one(fmt::format("SELECT {} FROM activity_imports WHERE id = ?", kColumns), {id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<ActivityImport>{};
  return std::optional<ActivityImport>(import_from_row(**row));
}

Result<std::string> import_content(db::Transaction& tx, std::int64_t id) {
  auto row = tx.query_one("SELECT content FROM activity_imports WHERE id = ?", {id});
  if (!row) return fail(row.error());
  if (!*row) return fail(Error::not_found("取り込みが見つかりません"));
  const db::Value& v = (*row)->at(0);
  if (const auto* blob = std::get_if<db::Blob>(&v)) return blob->bytes;
  if (const auto* text = std::get_if<std::string>(&v)) return *text;
  return std::string();
}

Result<std::vector<ActivityImport>> imports_of(db::Transaction& tx, std::int64_t operator_id) {
  auto rows = tx.query(fmt::format("SELECT {} FROM activity_imports WHERE operator_id = ? ORDER BY id DESC LIMIT 50",
                                   kColumns),
                       {operator_id});
  if (!rows) return fail(rows.error());
  std::vector<ActivityImport> out;
  for (const auto& row : *rows) out.push_back(import_from_row(row));
  return out;
}

Result<void> set_decisions(db::Transaction& tx, std::int64_t id, const std::string& decisions) {
  return tx.exec("UPDATE activity_imports SET decisions = ? WHERE id = ?", {decisions, id});
}

Result<void> close_import(db::Transaction& tx, std::int64_t id, ImportState state, const std::string& summary,
                          Instant now) {
  return tx.exec(
      "UPDATE activity_imports SET state = ?, summary = ?, content = ?, confirmed_at = ? WHERE id = ?",
      {std::string(to_string(state)), summary, db::Blob{}, iso_utc(now), id});
}

Result<std::optional<std::string>> mapping_of(db::Transaction& tx, std::int64_t operator_id) {
  auto row = tx.query_one("SELECT mapping FROM activity_import_mappings WHERE operator_id = ?", {operator_id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::string>{};
  return std::optional<std::string>((*row)->text(0));
}

Result<void> save_mapping(db::Transaction& tx, std::int64_t operator_id, const std::string& mapping, Instant now) {
  return tx.exec(
      "INSERT INTO activity_import_mappings (operator_id, mapping, updated_at) VALUES (?, ?, ?) "
      "ON CONFLICT (operator_id) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at",
      {operator_id, mapping, iso_utc(now)});
}

}  // namespace kakehashi::operations::store
