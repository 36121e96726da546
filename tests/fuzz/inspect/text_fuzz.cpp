// Fuzz target: the text detectors and the XML pre-scan and parser on arbitrary bytes.
#include <cstdint>
#include <string_view>

#include "inspect/package.h"
#include "inspect/pii.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kakehashi::inspect;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static const DenyList deny({"山田太郎", "Suzuki Hanako"});
  for (const auto& match : find_pii(text, deny, text.substr(0, size / 4)))
    (void)mask_value(match.code, match.value);
  (void)scan_xml(text);
  auto document = parse_xml(text);
  (void)resolve_part("/xl/workbook.xml", text.substr(0, 200));
  return 0;
}
