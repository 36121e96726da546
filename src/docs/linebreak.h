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

// Word-aware breaking for display lines (the cover title): the byte offsets where `text` may
// break between words. Words come from ICU's dictionary segmentation (Japanese and Latin);
// short hiragana words (particles: の, と, を …) stay with the word before them, runs of kanji
// words form one compound (改革推進事業, 仕様書) and numbers stay with their neighbours
// (令和8年度), so "推進事業" or "Open Data" is never cut.
std::vector<size_t> word_break_offsets(std::string_view text);

// Forbids breaks inside the words of `text` (see word_break_offsets); a word longer than twelve
// characters stays breakable so it can never run off the line.
void add_word_attributes(PangoAttrList* attrs, std::string_view text);

// `text` in `font` broken at word boundaries into as few lines as fit `width` points, made as
// even as possible (the narrowest width giving that many lines).
std::vector<std::string> balanced_title_lines(std::string_view text, const char* font,
                                              double width);

// Breaks `text` set in `font` (a Pango font description such as "IPAexMincho 10.5") into lines
// no wider than `width` points, with the kinsoku attributes applied. For tests and estimates.
std::vector<std::string> break_lines(std::string_view text, const char* font, double width);

}  // namespace kakehashi::docs
