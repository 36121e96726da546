#include "program/counting/chars.h"

#include <unicode/uchar.h>

namespace kakehashi::program::counting::chars {

std::u32string decode(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  size_t i = 0;
  while (i < utf8.size()) {
    auto byte = static_cast<unsigned char>(utf8[i]);
    char32_t c = 0;
    size_t length = 0;
    if (byte < 0x80) {
      c = byte;
      length = 1;
    } else if ((byte & 0xE0) == 0xC0) {
      c = byte & 0x1F;
      length = 2;
    } else if ((byte & 0xF0) == 0xE0) {
      c = byte & 0x0F;
      length = 3;
    } else if ((byte & 0xF8) == 0xF0) {
      c = byte & 0x07;
      length = 4;
    }
    bool valid = length > 0 && i + length <= utf8.size();
    for (size_t k = 1; valid && k < length; ++k) {
      auto next = static_cast<unsigned char>(utf8[i + k]);
      if ((next & 0xC0) != 0x80) valid = false;
      c = (c << 6) | (next & 0x3F);
    }
    if (!valid) {
      out.push_back(U'\uFFFD');
      ++i;
      continue;
    }
    out.push_back(c);
    i += length;
  }
  return out;
}

std::string encode(std::u32string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (char32_t c : text) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

bool is_key_char(char32_t c) {
  if (c < 0x80) {
    return (c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') ||
           c == U'+' || c == U'#' || c == U'&' || c == U'%';
  }
  switch (u_charType(static_cast<UChar32>(c))) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
      return true;
    default:
      return false;
  }
}

char32_t fold_ascii(char32_t c) { return c >= U'A' && c <= U'Z' ? c + (U'a' - U'A') : c; }

std::u32string key_of(std::u32string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (char32_t c : text) {
    if (is_key_char(c)) out.push_back(fold_ascii(c));
  }
  return out;
}

bool is_space_or_dot(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\u3000' || c == U'\u30FB' || c == U'\u00B7' ||
         c == U'\uFF65';
}

namespace {

int kanji_digit(char32_t c) {
  switch (c) {
    case U'〇':
    case U'零':
      return 0;
    case U'一':
      return 1;
    case U'二':
      return 2;
    case U'三':
      return 3;
    case U'四':
      return 4;
    case U'五':
      return 5;
    case U'六':
      return 6;
    case U'七':
      return 7;
    case U'八':
      return 8;
    case U'九':
      return 9;
    default:
      return -1;
  }
}

int kanji_unit(char32_t c) {
  switch (c) {
    case U'十':
      return 10;
    case U'百':
      return 100;
    case U'千':
      return 1000;
    default:
      return 0;
  }
}

}  // namespace

bool is_numeral_char(char32_t c) {
  return (c >= U'0' && c <= U'9') || kanji_digit(c) >= 0 || kanji_unit(c) > 0;
}

std::optional<int> numeral_value(std::u32string_view text) {
  // Longest numeral accepted: four places, enough for session numbers and years.
  constexpr size_t kMaxNumeralLength = 8;
  if (text.empty() || text.size() > kMaxNumeralLength) return std::nullopt;
  bool ascii = true;
  for (char32_t c : text) ascii = ascii && c >= U'0' && c <= U'9';
  if (ascii) {
    int value = 0;
    for (char32_t c : text) value = value * 10 + int(c - U'0');
    return text.size() <= 4 ? std::optional<int>(value) : std::nullopt;
  }
  // Kanji: either positional digits (二〇二六) or digits with units (二十六, 十, 百二).
  bool has_unit = false;
  for (char32_t c : text) {
    if (kanji_digit(c) < 0 && kanji_unit(c) == 0) return std::nullopt;
    has_unit = has_unit || kanji_unit(c) > 0;
  }
  if (!has_unit) {
    int value = 0;
    for (char32_t c : text) value = value * 10 + kanji_digit(c);
    return value;
  }
  int total = 0;
  int pending = -1;
  int last_unit = 10000;
  for (char32_t c : text) {
    if (int digit = kanji_digit(c); digit >= 0) {
      if (pending >= 0) return std::nullopt;  // two digits in a row within a unit numeral
      pending = digit;
      continue;
    }
    int unit = kanji_unit(c);
    if (unit >= last_unit) return std::nullopt;  // 十百 and the like are not numerals
    total += (pending < 0 ? 1 : pending) * unit;
    pending = -1;
    last_unit = unit;
  }
  if (pending >= 0) total += pending;
  return total;
}

bool starts_with(std::u32string_view text, std::u32string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::u32string_view text, std::u32string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace kakehashi::program::counting::chars
