// Japanese text helpers shared by every importer: encodings, normalisation, trimming.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace kakehashi::text {

enum class Encoding { kUtf8, kUtf8Bom, kShiftJis };

// Guesses the encoding of bytes read from a file: a UTF-8 BOM, else valid UTF-8, else CP932
// (Windows Shift_JIS, what Excel writes for Japanese CSV).
Encoding detect_encoding(std::string_view bytes);

// Returns the bytes as UTF-8 without BOM, converting from CP932 when that is what they are.
// Fails with a clear message when the bytes are neither valid UTF-8 nor valid CP932.
[[nodiscard]] Result<std::string> to_utf8(std::string_view bytes);

// Converts UTF-8 text to CP932 (for Shift_JIS exports); characters CP932 lacks become '?'.
std::string utf8_to_cp932(std::string_view utf8);

// True when the bytes are well-formed UTF-8.
bool is_valid_utf8(std::string_view bytes);

// Unicode NFKC: full-width ASCII to half-width, half-width katakana to full-width, ㈱ to (株).
std::string nfkc(std::string_view utf8);

// Removes leading and trailing white space, including the ideographic space U+3000.
std::string_view trim(std::string_view utf8);

// The form every stored name takes (a person's or an organisation's), so that a look-alike
// cannot pass for another name: invisible characters removed (format characters, category Cf:
// zero-width space and joiners U+200B–U+200D, the bidirectional marks and controls U+200E–U+200F,
// U+202A–U+202E, U+2066–U+2069, word joiner and invisible operators U+2060–U+2064, the BOM
// U+FEFF, the soft hyphen; control characters; variation selectors; Hangul fillers), then NFKC
// (half-width katakana to full-width, full-width ASCII to half-width, ㈱ to (株)), every run of
// white space collapsed to one ASCII space, and the ends trimmed. Valid UTF-8 in, UTF-8 out.
std::string clean_name(std::string_view utf8);

// Number of Unicode code points (not bytes).
size_t count_code_points(std::string_view utf8);

// Escapes & < > " ' for XML / HTML text and attribute values, and drops the characters XML 1.0
// forbids (C0 controls other than tab, CR, LF).
std::string xml_escape(std::string_view text);

// Splits UTF-8 into code points (each returned as its own UTF-8 string_view into `utf8`).
std::vector<std::string_view> code_points(std::string_view utf8);

}  // namespace kakehashi::text
