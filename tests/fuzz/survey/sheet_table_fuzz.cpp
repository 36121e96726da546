// Differential fuzz target: SheetTable must read any bytes exactly as base/csv.h does (same
// records, fields, line numbers and error), and the analysis must survive whatever it reads.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "base/csv.h"
#include "base/text.h"
#include "survey/analysis.h"
#include "survey/config.h"
#include "survey/sheet_table.h"

namespace {

const kakehashi::survey::SurveyConfig& config() {
  static const kakehashi::survey::SurveyConfig parsed = *kakehashi::survey::parse_config(
      R"({"respondent":"ID","wave":"W","pre":"a","post":"b","items":[)"
      R"({"column":"Q1","scale":{"はい":1,"いいえ":0}},{"column":"Q2","min":0,"max":10}]})");
  return parsed;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kakehashi;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  auto table = survey::SheetTable::from_bytes(bytes, 2);
  auto utf8 = text::to_utf8(bytes);
  auto rows = utf8 ? csv::parse(*utf8)
                   : kakehashi::Result<std::vector<csv::Row>>(std::unexpected(utf8.error()));
  if (bool(table) != bool(rows)) std::abort();
  if (!table) {
    if (table.error().message != rows.error().message) std::abort();
    return 0;
  }
  if (table->size() != rows->size()) std::abort();
  for (std::size_t r = 0; r < rows->size(); ++r) {
    if (table->line(r) != (*rows)[r].line || table->width(r) != (*rows)[r].fields.size())
      std::abort();
    for (std::size_t c = 0; c < table->width(r); ++c)
      if (table->field(r, c) != (*rows)[r].fields[c]) std::abort();
  }
  // With the header replaced by the configured columns, the analysis must run to the end.
  std::string with_header = "ID,W,Q1,Q2\n" + (utf8 ? *utf8 : std::string());
  if (auto parsed = survey::SheetTable::from_bytes(with_header, 1)) {
    auto result = survey::analyze(*parsed, config(), 2);
    if (!result) std::abort();
  }
  return 0;
}
