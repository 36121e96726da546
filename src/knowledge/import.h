// Importing last year's case collection (issue 19): the 2025 「イノベーション創出のための学びと
// 社会連携推進に関する事例集」 as CSV (UTF-8, UTF-8 with BOM, Shift_JIS) or XLSX. The secretariat
// uploads the file, says which column holds what (guessed from the headers), names the
// collection and its year; every row becomes a case in review that keeps that source and year,
// so the new collection updates the old one and each imported case still passes the
// personal-information check before it is published again. All rows or none.
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include "auth/roles.h"
#include "db/database.h"
#include "knowledge/model.h"

namespace kakehashi::knowledge {

inline constexpr std::size_t kMaxImportBytes = 20 * 1024 * 1024;

struct ImportField {
  std::string_view id;     // "title", …
  std::string_view label;  // タイトル …
  bool required = false;
  std::span<const std::string_view> aliases;
};
std::span<const ImportField> import_fields();

struct PendingImport {
  std::int64_t id = 0;
  std::string file_name;
  std::vector<std::string> headers;
  std::int64_t rows = 0;
  std::optional<std::string> imported_at;
};

// Reads the upload (kCurateKnowledge) and keeps it until it is mapped. Audited "knowledge.upload".
[[nodiscard]] Result<std::int64_t> upload_collection(db::Transaction& tx, const auth::Principal& who,
                                                     const std::string& file_name, const std::string& bytes, Instant now);
[[nodiscard]] Result<std::optional<PendingImport>> find_import(db::Transaction& tx, const auth::Principal& who,
                                                               std::int64_t id);

// field id -> header text ("" = not imported).
using ColumnMapping = std::map<std::string, std::string>;
ColumnMapping guess_columns(const std::vector<std::string>& headers);

struct ImportOptions {
  ColumnMapping columns;
  std::string source;  // 「2025年度事例集」
  int year = 2025;     // the fiscal year rows without a year column get
};

// Every problem of the mapping and the rows at once ("3行目: 分野「ヒトモノ」が分かりません").
// When empty, import_collection would import every row.
[[nodiscard]] Result<std::vector<FieldError>> check_import(db::Transaction& tx, const auth::Principal& who,
                                                           std::int64_t id, const ImportOptions& options);
// Imports every row as a case in review; refused (invalid, with the messages of check_import)
// when any row has a problem, and when the upload was already imported. Audited
// "knowledge.import" with the count. Returns the number of cases created.
[[nodiscard]] Result<int> import_collection(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                            const ImportOptions& options, Instant now);

}  // namespace kakehashi::knowledge
