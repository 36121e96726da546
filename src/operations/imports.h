// Activity-list imports (R3.2, R3.3, issue 15): an operator uploads its activity list (CSV in
// UTF-8, UTF-8 with BOM or Shift_JIS, or XLSX), says which column holds what (remembered per
// operator), sees the counting engine's proposed grouping with each group's reason and the
// engine's suggestions, merges or splits, and only on confirmation are projects and sessions
// saved, in the caller's transaction. Importing the same rows again never duplicates a session
// (each session keeps the hash of its normalised row); a group whose counting key matches an
// existing project of the operator adds its new sessions to that project.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "auth/roles.h"
#include "db/database.h"
#include "operations/model.h"
#include "program/counting/counting.h"

namespace kakehashi::operations {

// Uploaded activity lists larger than this are refused.
inline constexpr std::size_t kMaxImportBytes = 20 * 1024 * 1024;

// A field of an activity row that the mapping assigns to a column.
struct ImportField {
  std::string_view id;     // "date", "title", …
  std::string_view label;  // 実施日, 内容 …
  bool required = false;
  std::span<const std::string_view> aliases;  // header texts recognised without a saved mapping
};
std::span<const ImportField> import_fields();

// A table read from an uploaded file: the header row and the data rows (line = the row's line
// in a CSV, its row number in a sheet).
struct ImportTable {
  std::vector<std::string> headers;
  std::vector<csv::Row> rows;
};

// Reads CSV (UTF-8, UTF-8 with BOM, Shift_JIS/CP932: detected) or XLSX (the first sheet; shared
// and inline strings, numbers as written). `file_name` decides XLSX by its extension or the
// bytes' ZIP signature. Fails with a Japanese reason (empty file, no header, unreadable).
[[nodiscard]] Result<ImportTable> read_import_table(std::string_view bytes, std::string_view file_name);
// The rows of the first worksheet of an XLSX workbook, cells by column (missing cells "").
[[nodiscard]] Result<std::vector<csv::Row>> read_xlsx_rows(std::string_view bytes);

// Which column holds each field (field id -> header text), and the category and subtype used
// for rows whose own are empty.
struct ImportMapping {
  std::map<std::string, std::string> columns;
  std::string default_category;  // hito / mono / kane or ""
  std::string default_subtype;   // Subtype id or ""
};
std::string to_json(const ImportMapping& mapping);
ImportMapping mapping_from_json(std::string_view json);
// A mapping guessed from the headers (their texts against the fields' aliases).
ImportMapping guess_mapping(const std::vector<std::string>& headers);
// Every problem of `mapping` for `headers` at once (field "map_<id>" or "default_category").
std::vector<FieldError> validate(const ImportMapping& mapping, const std::vector<std::string>& headers);

enum class ImportState { kStaged, kConfirmed, kDiscarded };
std::string_view to_string(ImportState state);
std::string_view import_state_label(ImportState state);  // 確認待ち / 取り込み済み / 破棄

struct ActivityImport {
  std::int64_t id = 0;
  std::int64_t operator_id = 0;
  std::string file_name;
  std::string sha256;  // hex
  std::int64_t size = 0;
  ImportState state = ImportState::kStaged;
  std::string decisions;  // JSON array (program/counting/io.h parse_decisions)
  std::string summary;    // JSON after confirmation
  std::string created_at;
  std::optional<std::string> confirmed_at;
};

// One activity row after the mapping.
struct ImportRow {
  std::size_t line = 0;
  Date held_on;
  std::string title;
  std::string company;
  std::string municipality;
  std::string school;
  std::string school_type;      // SchoolType id or ""
  std::string prefecture_code;  // "" when not given
  std::string place;
  int pupils = 0, teachers = 0, company_staff = 0, others = 0;
  Category category = Category::kHito;
  std::string subtype;
  std::optional<Continuity> continuity;
  std::string note;
  std::string source_key;  // hash of the row's normalised cells (all of them, whatever the mapping)
  bool known = false;      // a session with this source key exists already
};

struct RowError {
  std::size_t line = 0;
  std::string message;  // Japanese, e.g. "実施日「2026/13/01」を読み取れません"
};

// A proposed project: one group of the counting engine.
struct ImportGroup {
  std::string key;  // the engine's project id, kept as the project's counting key
  std::string title, company, partner, prefecture;
  std::vector<std::string> categories;
  std::string why;                         // Japanese
  std::vector<std::size_t> rows;           // indexes into ImportPreview::rows
  std::optional<std::int64_t> project_id;  // an existing project of the operator with this key
  int new_sessions = 0;                    // rows not imported before
  Date first, last;
};

struct ImportPreview {
  ActivityImport info;
  std::vector<std::string> headers;
  ImportMapping mapping;
  std::size_t data_rows = 0;
  std::vector<ImportRow> rows;    // valid rows
  std::vector<RowError> errors;   // rows left out, by line
  std::vector<ImportGroup> groups;
  std::vector<program::counting::Suggestion> suggestions;
  std::vector<program::counting::Decision> decisions;
  std::vector<program::counting::DecisionOutcome> outcomes;
  int new_projects() const;
  int new_sessions() const;
};

struct ImportSummary {
  int projects_created = 0;
  int projects_extended = 0;
  int sessions_added = 0;
  int sessions_known = 0;  // rows imported before: not added again
  int rows_skipped = 0;    // rows with errors the operator chose to leave out
};

// Stages an upload of the operator's activity list (kEditOperatorPlan on the operator): checks
// size and that the file reads as a table. Audited "operation.import_stage". Returns its id.
[[nodiscard]] Result<std::int64_t> stage_import(db::Transaction& tx, const auth::Principal& who,
                                                std::int64_t operator_id, const std::string& file_name,
                                                std::string_view bytes, Instant now);
// The import if `who` may see its operator (kViewOperations); nullopt otherwise (404).
[[nodiscard]] Result<std::optional<ActivityImport>> find_import(db::Transaction& tx, const auth::Principal& who,
                                                                std::int64_t import_id);
// The operator's imports, newest first (the caller has checked the operator is visible).
[[nodiscard]] Result<std::vector<ActivityImport>> list_imports(db::Transaction& tx, std::int64_t operator_id);

// The headers of the staged file and the mapping to pre-fill: the operator's saved mapping
// (columns whose header is in the file), else one guessed from the headers.
struct MappingForm {
  std::vector<std::string> headers;
  ImportMapping mapping;
  bool remembered = false;
};
[[nodiscard]] Result<MappingForm> mapping_form(db::Transaction& tx, const auth::Principal& who, std::int64_t import_id);
// Saves the mapping for the operator (remembered for its next import) after validate().
// Audited "operation.import_mapping".
[[nodiscard]] Result<void> save_mapping(db::Transaction& tx, const auth::Principal& who, std::int64_t import_id,
                                        const ImportMapping& mapping, Instant now);

// Reads the staged file with the operator's mapping and runs the counting engine with the
// import's decisions. Refused while the import is not staged or has no mapping.
[[nodiscard]] Result<ImportPreview> preview_import(db::Transaction& tx, const auth::Principal& who,
                                                   std::int64_t import_id);
// Adds a decision (accept / reject a suggestion, merge groups, split rows) to the staged import.
// Session ids are row line numbers as text. Audited "operation.import_decide".
[[nodiscard]] Result<void> add_decision(db::Transaction& tx, const auth::Principal& who, std::int64_t import_id,
                                        const program::counting::Decision& decision, Instant now);
// Forgets every decision of the staged import.
[[nodiscard]] Result<void> clear_decisions(db::Transaction& tx, const auth::Principal& who, std::int64_t import_id,
                                           Instant now);
// Saves the grouping: new projects, sessions not imported before; refused while rows have errors
// unless `skip_error_rows`. Audited "operation.import_confirm" with the counts.
[[nodiscard]] Result<ImportSummary> confirm_import(db::Transaction& tx, const auth::Principal& who,
                                                   std::int64_t import_id, bool skip_error_rows, Instant now);
// Discards the staged import (its file is dropped). Audited "operation.import_discard".
[[nodiscard]] Result<void> discard_import(db::Transaction& tx, const auth::Principal& who, std::int64_t import_id,
                                          Instant now);

// Serialises decisions in the form parse_decisions reads.
std::string decisions_json(const std::vector<program::counting::Decision>& decisions);

}  // namespace kakehashi::operations
