#include "base/text.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <memory>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kakehashi::text {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

struct ConverterCloser {
  void operator()(UConverter* converter) const { ucnv_close(converter); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

// ICU's "ibm-943_P15A-2003" is CP932 as Windows writes it (NEC and IBM extensions included).
constexpr const char* kCp932 = "ibm-943_P15A-2003";

ConverterPtr open_cp932(bool stop_on_invalid) {
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr converter{ucnv_open(kCp932, &status)};
  if (U_FAILURE(status)) return nullptr;
  if (stop_on_invalid) {
    ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  }
  return converter;
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
  size_t i = 0;
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) { ++i; continue; }
    size_t length;
    uint32_t code;
    if ((c & 0xE0) == 0xC0) { length = 2; code = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { length = 3; code = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { length = 4; code = c & 0x07; }
    else return false;
    if (i + length > n) return false;
    for (size_t k = 1; k < length; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      code = (code << 6) | (s[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((length == 2 && code < 0x80) || (length == 3 && code < 0x800) ||
        (length == 4 && code < 0x10000) || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

Encoding detect_encoding(std::string_view bytes) {
  if (bytes.starts_with(kBom)) return Encoding::kUtf8Bom;
  if (is_valid_utf8(bytes)) return Encoding::kUtf8;
  return Encoding::kShiftJis;
}

Result<std::string> to_utf8(std::string_view bytes) {
  switch (detect_encoding(bytes)) {
    case Encoding::kUtf8Bom: {
      std::string_view rest = bytes.substr(kBom.size());
      if (!is_valid_utf8(rest)) {
        return fail(Error::invalid("文字コードを判別できません（UTF-8 の BOM がありますが内容が UTF-8 ではありません）"));
      }
      return std::string(rest);
    }
    case Encoding::kUtf8:
      return std::string(bytes);
    case Encoding::kShiftJis:
      break;
  }
  ConverterPtr converter = open_cp932(/*stop_on_invalid=*/true);
  if (!converter) return fail(Error::internal("Shift_JIS 変換器を開けません"));
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString unicode(bytes.data(), int32_t(bytes.size()), converter.get(), status);
  if (U_FAILURE(status)) {
    return fail(Error::invalid("文字コードを判別できません（UTF-8 でも Shift_JIS でもありません）"));
  }
  std::string out;
  unicode.toUTF8String(out);
  return out;
}

std::string utf8_to_cp932(std::string_view utf8) {
  ConverterPtr converter = open_cp932(/*stop_on_invalid=*/false);
  if (!converter) return {};
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(utf8);
  UErrorCode status = U_ZERO_ERROR;
  int32_t needed = unicode.extract(nullptr, 0, converter.get(), status);
  std::string out(size_t(needed), '\0');
  status = U_ZERO_ERROR;
  unicode.extract(out.data(), needed, converter.get(), status);
  return out;
}

std::string nfkc(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) return std::string(utf8);
  icu::UnicodeString normalized = normalizer->normalize(icu::UnicodeString::fromUTF8(utf8), status);
  if (U_FAILURE(status)) return std::string(utf8);
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

namespace {
// Length of the white-space code point starting at `s` (ASCII space, tab, CR, LF, U+3000), or 0.
size_t leading_space(std::string_view s) {
  if (s.empty()) return 0;
  char c = s.front();
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') return 1;
  if (s.starts_with("\xE3\x80\x80")) return 3;
  return 0;
}
size_t trailing_space(std::string_view s) {
  if (s.empty()) return 0;
  char c = s.back();
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') return 1;
  if (s.ends_with("\xE3\x80\x80")) return 3;
  return 0;
}
}  // namespace

std::string_view trim(std::string_view utf8) {
  while (size_t k = leading_space(utf8)) utf8.remove_prefix(k);
  while (size_t k = trailing_space(utf8)) utf8.remove_suffix(k);
  return utf8;
}

namespace {

// Characters that print as nothing (or as a blank the eye takes for nothing).
bool is_invisible(UChar32 c) {
  int8_t type = u_charType(c);
  if (type == U_FORMAT_CHAR || type == U_CONTROL_CHAR) return true;
  if (c >= 0xFE00 && c <= 0xFE0F) return true;    // variation selectors
  if (c >= 0xE0100 && c <= 0xE01EF) return true;  // ideographic variation selectors
  if (c >= 0xE0000 && c <= 0xE007F) return true;  // tags
  return c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 || c == 0x034F || c == 0x180B ||
         c == 0x180C || c == 0x180D || c == 0x180E || c == 0x2800;
}

// Drops invisible characters; white space (including controls such as tab and line breaks)
// becomes one ASCII space per run.
icu::UnicodeString strip_invisible(const icu::UnicodeString& in) {
  icu::UnicodeString out;
  bool space = false;
  for (int32_t i = 0; i < in.length();) {
    UChar32 c = in.char32At(i);
    i += U16_LENGTH(c);
    if (u_isUWhiteSpace(c)) {
      space = true;
      continue;
    }
    if (is_invisible(c)) continue;
    if (space && out.length() > 0) out.append(UChar32(' '));
    space = false;
    out.append(c);
  }
  return out;
}

}  // namespace

std::string clean_name(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = icu::Normalizer2::getNFKCInstance(status);
  icu::UnicodeString text = strip_invisible(icu::UnicodeString::fromUTF8(utf8));
  if (U_SUCCESS(status)) {
    icu::UnicodeString normalized = normalizer->normalize(text, status);
    // NFKC may turn a character into white space or into one we drop (U+FFA0 into U+3164).
    if (U_SUCCESS(status)) text = strip_invisible(normalized);
  }
  std::string out;
  text.toUTF8String(out);
  return out;
}

std::vector<std::string_view> code_points(std::string_view utf8) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < utf8.size()) {
    auto c = static_cast<unsigned char>(utf8[i]);
    size_t length = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    length = std::min(length, utf8.size() - i);
    out.push_back(utf8.substr(i, length));
    i += length;
  }
  return out;
}

size_t count_code_points(std::string_view utf8) {
  size_t count = 0;
  size_t i = 0;
#if defined(__SSE2__)
  // 16 bytes at a time (the inspector counts every character of every file): a byte starts a
  // code point unless it is a continuation byte 0x80-0xBF, i.e. -128..-65 as a signed char.
  const __m128i last_continuation = _mm_set1_epi8(-65);
  for (; i + 16 <= utf8.size(); i += 16) {
    __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(utf8.data() + i));
    count += static_cast<size_t>(
        __builtin_popcount(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpgt_epi8(bytes, last_continuation)))));
  }
#endif
  for (; i < utf8.size(); ++i) count += (static_cast<unsigned char>(utf8[i]) & 0xC0) != 0x80;
  return count;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

}  // namespace kakehashi::text
