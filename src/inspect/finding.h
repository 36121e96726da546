// Findings: what the inspector reports about a file, and the table of every finding code.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace kakehashi::inspect {

enum class Severity { kInfo, kWarning, kError };

// "error" / "warning" / "info" (the JSON spelling) and the Japanese label for text output.
std::string_view severity_name(Severity severity);
std::string_view severity_label(Severity severity);
std::optional<Severity> parse_severity(std::string_view name);

// One row of the finding table: the stable code, its usual severity, a short plain-Japanese
// label for screens that list findings (「添付ファイル」, not "pdf.embedded_file") and the
// Japanese message template. `{}` in the template is replaced by the finding's detail.
struct FindingCode {
  std::string_view code;
  Severity severity;
  std::string_view label;
  std::string_view message;
};

// Every code the inspector can report, in a fixed order (tests walk this table).
std::span<const FindingCode> finding_codes();
// The row for `code`, or nullptr when the code is unknown.
const FindingCode* find_code(std::string_view code);
// The plain-Japanese label of `code` (e.g. 「JavaScript（自動で動くプログラム）」), or the code
// itself when it is unknown (a report from an older or newer build).
std::string_view finding_label(std::string_view code);

struct Finding {
  std::string code;   // e.g. "xlsx.hidden_row"
  Severity severity;  // usually the table's, raised or lowered where the table says so
  std::string location;  // where in the file, for people: "シート「売上」行 5-7", "ページ 3"
  std::string message;  // Japanese, built from the table's template
};

// Builds a finding from the table. `detail` fills the template; `severity` overrides the
// table's default (e.g. pdf.info_metadata is an error only when Author is set).
// Throws std::logic_error for a code missing from the table (a bug, caught by the tests).
Finding make_finding(std::string_view code, std::string location, std::string_view detail = {},
                     std::optional<Severity> severity = std::nullopt);

enum class FileType { kPdf, kXlsx, kDocx, kPptx, kCsv, kOdt, kOds, kOdp, kUnknown };
std::string_view file_type_name(FileType type);  // "pdf", "xlsx", ...
std::optional<FileType> parse_file_type(std::string_view name);

// Size figures the report splitter reuses (R6.3: 128 MB, 1,000 pages, 4,000,000 characters).
// pages: PDF pages, PPTX slides, XLSX worksheets, DOCX <Pages> of app.xml (0 when absent), CSV 0.
// chars: Unicode code points of the text the reader sees (cells, paragraphs, slides, PDF text).
struct Stats {
  std::uint64_t bytes = 0;
  std::uint64_t pages = 0;
  std::uint64_t chars = 0;
};

struct FileReport {
  std::string path;
  FileType type = FileType::kUnknown;
  Stats stats;
  std::vector<Finding> findings;

  bool has_error() const;
};

struct Summary {
  int error = 0;
  int warning = 0;
  int info = 0;
};
Summary summarize(std::span<const FileReport> reports);

// The JSON document of `kakehashi inspect --format json`:
// {"files":[{"path","type","stats":{"bytes","pages","chars"},"findings":[{"code","severity",
// "location","message"}]}],"summary":{"error":N,"warning":N,"info":N}}
std::string to_json(std::span<const FileReport> reports);
// Parses one file object of that document back (the sandbox sends reports over a pipe).
[[nodiscard]] Result<FileReport> file_report_from_json(std::string_view json);
std::string file_report_to_json(const FileReport& report);

// The report for people, in Japanese, one block per file and a closing summary line.
std::string to_text(std::span<const FileReport> reports);

}  // namespace kakehashi::inspect
