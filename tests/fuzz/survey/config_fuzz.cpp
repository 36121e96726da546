// Fuzz target for the analysis configuration: any bytes either parse into a config whose
// invariants hold or fail with a Japanese message naming the problem; never a crash.
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string_view>

#include "survey/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kakehashi::survey;
  auto config = parse_config(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!config) {
    if (!config.error().message.starts_with("設定ファイル: ")) std::abort();
    return 0;
  }
  if (config->items.empty() || config->pre == config->post || config->respondent.empty())
    std::abort();
  std::set<std::string> columns;
  for (const ItemConfig& item : config->items) {
    if (item.column.empty() || !columns.insert(item.column).second) std::abort();
    if (item.min && item.max && *item.min > *item.max) std::abort();
  }
  return 0;
}
