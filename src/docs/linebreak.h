// Japanese line breaking (kinsoku shori) on top of Pango's Unicode line breaking.
//
// Pango follows UAX #14, which already keeps 、。」） off line starts, but in its default
// ("normal") strictness it lets a line start with the prolonged sound mark ー, small kana
// (ぁ っ ャ …) and iteration marks, and it allows breaks inside …… and ――. The attributes added
// here forbid those breaks, so the strict Japanese rule (JIS X 4051 行頭禁則 / 行末禁則) holds.
#pragma once

#include <pango/pango.h>

#include <string>
#include <string_view>
#include <vector>

namespace kakehashi::docs {

// Characters that must not begin a line (closing brackets, punctuation, small kana, ー …).
bool is_no_line_start(char32_t c);
// Characters that must not end a line (opening brackets).
bool is_no_line_end(char32_t c);

// Adds allow-breaks=false attributes to `attrs` around every forbidden break in `text`
// (UTF-8; attribute indices are byte offsets into it).
void add_kinsoku_attributes(PangoAttrList* attrs, std::string_view text);

// Breaks `text` set in `font` (a Pango font description such as "IPAexMincho 10.5") into lines
// no wider than `width` points, with the kinsoku attributes applied. For tests and estimates.
std::vector<std::string> break_lines(std::string_view text, const char* font, double width);

}  // namespace kakehashi::docs
