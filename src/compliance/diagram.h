// The structure diagram (情報管理体制図, issue 21, R7.2): generated from the approved roster:
// the 情報管理責任者 at the top, the 情報取扱管理者 below, then the 業務従事者 of the contractor and
// one box per subcontractor (再委託先), with the lines of responsibility. One layout drawn as a
// self-contained SVG (the roster screen) and as a one-page PDF (cairo + Pango, IPAex Gothic).
// Always drawn from list_people(…, approved_only = true), so it matches the approved roster.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "compliance/model.h"

namespace kakehashi::compliance {

std::string structure_svg(const std::vector<Person>& approved);
// A4 landscape (the diagram scaled to fit); `caption` is printed under the title (the version).
[[nodiscard]] Result<std::string> structure_pdf(const std::vector<Person>& approved, const std::string& caption);

}  // namespace kakehashi::compliance
