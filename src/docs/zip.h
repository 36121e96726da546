// ZIP archives written in memory: the DOCX container, 様式1, the report package's downloads.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace kakehashi::docs {

// Zips `entries` (name, bytes) in the order given, every entry dated 2000-01-01T00:00:00Z so that
// the same input gives the same bytes. PNG and JPEG data is stored (compressed already), the rest
// deflated. `what` names the archive in the error ("DOCX", "ZIP").
[[nodiscard]] Result<std::string> zip_in_memory(const std::vector<std::pair<std::string, std::string>>& entries,
                                                std::string_view what = "ZIP");

}  // namespace kakehashi::docs
