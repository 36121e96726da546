// Small text helpers the renderers share.
#pragma once

#include <string>
#include <string_view>

#include "base/text.h"

namespace kakehashi::docs {

// XML escaping is base's (text::xml_escape); the renderers call it unqualified.
using text::xml_escape;

// Width of UTF-8 text when characters of three or more bytes (kana, kanji, full-width forms)
// count `wide` and the others `narrow`: a font-independent estimate used by the chart layout,
// the DOCX page estimate and XLSX column widths.
double estimated_width(std::string_view utf8, double wide, double narrow);

// A file-name stem safe on Windows, macOS and Linux: characters \ / : * ? " < > | and controls
// become "_", trailing dots and spaces are removed, and the result is cut to at most
// `max_code_points` code points (Windows' path limit leaves room for the folder).
inline constexpr size_t kMaxFileStemCodePoints = 60;
std::string safe_file_stem(std::string_view text, size_t max_code_points = kMaxFileStemCodePoints);

}  // namespace kakehashi::docs
