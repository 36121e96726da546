#include "compliance/ledger.h"

#include <boost/json.hpp>

namespace kakehashi::compliance {
namespace generated {
extern const std::string_view kSbomJson;
}

std::string_view sbom_json() { return generated::kSbomJson; }

std::vector<LedgerEntry> software_ledger() {
  std::vector<LedgerEntry> out;
  boost::system::error_code ec;
  auto bom = boost::json::parse(sbom_json(), ec);
  if (ec || !bom.is_object()) return out;
  const auto* components = bom.as_object().if_contains("components");
  if (!components || !components->is_array()) return out;
  for (const auto& item : components->as_array()) {
    const auto& c = item.as_object();
    LedgerEntry e;
    e.name = c.at("name").as_string();
    e.version = c.at("version").as_string();
    if (const auto* scope = c.if_contains("scope")) e.shipped = scope->as_string() != "excluded";
    if (const auto* licences = c.if_contains("licenses")) {
      for (const auto& l : licences->as_array()) {
        if (!e.licences.empty()) e.licences += "・";
        e.licences += l.at("license").at("name").as_string();
      }
    }
    if (e.licences.empty()) e.licences = "（copyright が機械可読でないため未判定）";
    for (const auto& p : c.at("properties").as_array()) {
      std::string name(p.at("name").as_string());
      std::string value(p.at("value").as_string());
      if (name == "kakehashi:ecosystem") e.ecosystem = value;
      if (name == "kakehashi:used-in") e.used_in = value;
      if (name == "kakehashi:end-of-support") e.end_of_support = value;
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace kakehashi::compliance
