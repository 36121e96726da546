// The software ledger (issue 21, R8.3; 別記 15) ⑤): generated from the build (scripts/sbom.py):
// every Debian and npm package the product uses with version, where used, licence and end of
// support, as the CycloneDX 1.5 JSON SBOM (`kakehashi sbom`) and as rows for the screen/XLSX.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kakehashi::compliance {

// The CycloneDX 1.5 JSON embedded at build time.
std::string_view sbom_json();

struct LedgerEntry {
  std::string ecosystem;  // "Debian 12" / "npm"
  std::string name;
  std::string version;
  std::string used_in;
  std::string licences;   // "Apache-2.0・Expat", or "（copyright が機械可読でないため未判定）"
  std::string end_of_support;
  bool shipped = true;    // false: npm packages used only by the tests
};
std::vector<LedgerEntry> software_ledger();

}  // namespace kakehashi::compliance
