// CSV reading and writing (RFC 4180 with the habits of Excel exports).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace kakehashi::csv {

struct Row {
  size_t line = 0;  // 1-based line number where the record starts (for error messages)
  std::vector<std::string> fields;
};

// Parses UTF-8 CSV text: quoted fields with "" escapes and embedded line breaks, CRLF or LF,
// a final line with or without a line break. Blank lines are skipped. Fails naming the line of
// an unterminated quote.
[[nodiscard]] Result<std::vector<Row>> parse(std::string_view utf8);

// Reads a CSV file in UTF-8 (with or without BOM) or Shift_JIS / CP932 and parses it.
[[nodiscard]] Result<std::vector<Row>> read_file(const std::string& path);

// Quotes a field when it holds a comma, quote or line break.
std::string escape(std::string_view field);
// One record with CRLF, as Excel writes it.
std::string format_row(const std::vector<std::string>& fields);

}  // namespace kakehashi::csv
