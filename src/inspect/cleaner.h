// The cleaner: writes a copy of a file with everything the reader cannot see removed.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace kakehashi::inspect {

struct CleanOptions {
  bool delete_hidden =
      false;  // delete hidden sheets, slides, rows' and columns' cells instead of showing them
  bool keep_title = false;  // keep the document title among the properties
};

struct CleanReport {
  std::vector<std::string> removed;  // one Japanese line per kind of thing removed or changed
};

// Cleans `in` into `out` (written through a temporary file in out's folder, then renamed).
// `in` is only read. Fails when `out` is `in`, when `in` cannot be read or parsed (a zip
// bomb, a PDF needing a password), or when `out` cannot be written. Personal information in
// visible text is left for a person to decide: re-inspect `out` to see it.
[[nodiscard]] Result<CleanReport> clean_file(const std::string& in, const std::string& out,
                                             const CleanOptions& options);

}  // namespace kakehashi::inspect
