// Typed view of the publication-safety check (templates/tools/inspect).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "web/view_model.h"

namespace kakehashi::web::toolsweb {

struct Finding {
  std::string severity;  // エラー / 警告 / 情報
  std::string label;     // plain Japanese: 「文書の作成者名」, never the code
  std::string location;
  std::string message;
  void fields(auto& f) const {
    f("severity", severity);
    f("label", label);
    f("location", location);
    f("message", message);
  }
};

struct InspectReport {
  std::string name;  // the file name as uploaded
  std::string type;
  std::uint64_t bytes = 0;
  std::uint64_t pages = 0;
  std::uint64_t chars = 0;
  std::string kind;  // error / success (the notice's colour)
  std::string verdict;
  bool has_findings = false;
  std::vector<Finding> findings;
  void fields(auto& f) const {
    f("name", name);
    f("type", type);
    f("bytes", bytes);
    f("pages", pages);
    f("chars", chars);
    f("kind", kind);
    f("verdict", verdict);
    f("has_findings", has_findings);
    f("findings", findings);
  }
};

struct InspectView {
  std::optional<std::string> error;  // the upload was refused
  std::optional<InspectReport> report;
  void fields(auto& f) const {
    f("error", error);
    f("report", report);
  }
};

}  // namespace kakehashi::web::toolsweb
