// Code-point helpers shared by the name and title normalisers (internal to program/counting).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kakehashi::program::counting::chars {

// UTF-8 <-> UTF-32. Input is expected to be valid UTF-8 (base/text guarantees it for CSV
// fields); an invalid byte becomes U+FFFD rather than stopping the caller.
std::u32string decode(std::string_view utf8);
std::string encode(std::u32string_view text);

// True for the code points a comparison key keeps: letters (kana, kanji, Latin, the long-vowel
// mark ー, 々), combining marks and numbers, plus the ASCII symbols that name content or a
// company ("C++", "C#", "A&B", "100%"). Spaces, punctuation, brackets, middle dots, dashes,
// waves and decorative symbols (★, ♪) are dropped.
bool is_key_char(char32_t c);

// Folds ASCII A-Z to a-z (NFKC has already made full-width Latin ASCII).
char32_t fold_ascii(char32_t c);

// Keeps only key characters, ASCII letters folded to lower case.
std::u32string key_of(std::u32string_view text);

// True for spaces (ASCII, U+3000, tab) and the middle dots (・ U+30FB, · U+00B7).
bool is_space_or_dot(char32_t c);

// The value of a digit run "12" or a kanji numeral "十二", "二十", "一〇" (up to 9999);
// nothing when `text` is not entirely such a numeral.
std::optional<int> numeral_value(std::u32string_view text);
bool is_numeral_char(char32_t c);

bool starts_with(std::u32string_view text, std::u32string_view prefix);
bool ends_with(std::u32string_view text, std::u32string_view suffix);

}  // namespace kakehashi::program::counting::chars
