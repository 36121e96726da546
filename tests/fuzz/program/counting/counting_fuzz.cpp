// Fuzz target: activity records from arbitrary bytes (encoding detection, CSV, row checks) and
// the grouping of whatever is accepted. Invariants: every accepted record is in exactly one
// project, every project explains itself, suggestions link two existing projects, and the
// normalisers never return an empty key for a name that has letters.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string_view>

#include "base/csv.h"
#include "base/text.h"
#include "program/counting/counting.h"
#include "program/counting/names.h"
#include "program/counting/titles.h"

using namespace kakehashi;
using namespace kakehashi::program::counting;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto utf8 = text::to_utf8(input);
  if (!utf8) return 0;

  // The normalisers on the whole text, as one field.
  auto title = normalize_title(*utf8);
  auto company = company_key(*utf8);
  auto partner = normalize_partner(*utf8, "");
  bool has_letter = false;
  for (char c : *utf8) has_letter = has_letter || (c >= 'a' && c <= 'z');
  if (has_letter && (title.key.empty() || company.empty() || partner.name.empty()))
    __builtin_trap();

  auto rows = csv::parse(*utf8);
  if (!rows) return 0;
  auto parsed = parse_records(std::move(*rows));
  if (!parsed) {
    if (parsed.error().message.empty()) __builtin_trap();
    return 0;
  }
  for (const auto& bad : parsed->bad_rows) {
    if (bad.message.empty() || bad.line == 0) __builtin_trap();
  }
  auto result = count_projects(parsed->records);
  std::set<std::string> seen;
  std::set<std::string> project_ids;
  for (const auto& project : result.projects) {
    if (project.session_ids.empty() || project.why.empty() ||
        !project_ids.insert(project.id).second) {
      __builtin_trap();
    }
    for (const auto& id : project.session_ids) {
      if (!seen.insert(id).second) __builtin_trap();
    }
  }
  if (seen.size() != parsed->records.size()) __builtin_trap();
  for (const auto& suggestion : result.suggestions) {
    if (!project_ids.contains(suggestion.project_ids[0]) ||
        !project_ids.contains(suggestion.project_ids[1]) ||
        suggestion.project_ids[0] == suggestion.project_ids[1] || suggestion.reason.empty()) {
      __builtin_trap();
    }
  }
  return 0;
}
