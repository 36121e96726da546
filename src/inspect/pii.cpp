#include "inspect/pii.h"

#include <fmt/format.h>

#include <boost/container/small_vector.hpp>

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/text.h"
#include "geo/geo.h"

namespace kakehashi::inspect {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }

#if defined(__SSE2__)
// Blocks of 16 bytes for the detectors' first looks (issue 23 item 8): a page of text is
// scanned several times, byte by byte that was most of the detectors' time.
__m128i load16(std::string_view s, size_t at) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + at));
}
__m128i digits16(__m128i bytes) {
  __m128i offset = _mm_sub_epi8(bytes, _mm_set1_epi8('0'));
  return _mm_cmpeq_epi8(_mm_min_epu8(offset, _mm_set1_epi8(9)), offset);
}
__m128i upper16(__m128i bytes) {
  __m128i offset = _mm_sub_epi8(bytes, _mm_set1_epi8('A'));
  return _mm_cmpeq_epi8(_mm_min_epu8(offset, _mm_set1_epi8(25)), offset);
}
#endif

bool is_ascii(std::string_view s) {
  size_t i = 0;
#if defined(__SSE2__)
  for (; i + 16 <= s.size(); i += 16) {
    if (_mm_movemask_epi8(load16(s, i)) != 0) return false;
  }
#endif
  return std::all_of(s.begin() + static_cast<long>(i), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// No position in [at, at + 16) can start a number: no digit among bytes at … at + 17 (a token
// starts at a digit, or at '+' or '(' one or two bytes before one).
bool no_number_starts(std::string_view s, size_t at) {
#if defined(__SSE2__)
  if (at + 18 > s.size()) return false;
  __m128i any = _mm_or_si128(_mm_or_si128(digits16(load16(s, at)), digits16(load16(s, at + 1))),
                             digits16(load16(s, at + 2)));
  return _mm_movemask_epi8(any) == 0;
#else
  (void)s;
  (void)at;
  return false;
#endif
}

// No passport number (two capitals, seven digits) starts in [at, at + 16).
bool no_passport_starts(std::string_view s, size_t at) {
#if defined(__SSE2__)
  if (at + 24 > s.size()) return false;
  __m128i any = _mm_and_si128(_mm_and_si128(upper16(load16(s, at)), upper16(load16(s, at + 1))),
                              _mm_and_si128(digits16(load16(s, at + 2)), digits16(load16(s, at + 8))));
  return _mm_movemask_epi8(any) == 0;
#else
  (void)s;
  (void)at;
  return false;
#endif
}

// Hyphen and dash variants NFKC leaves alone: ‐ ‑ ‒ – — ― − ー ﹣.
constexpr std::array<std::string_view, 9> kDashes = {
    "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\u30FC", "\uFE63"};

// Text before position `at` (up to `window` bytes) contains one of `words`.
bool has_context(std::string_view text, size_t at, size_t window,
                 std::initializer_list<std::string_view> words) {
  size_t from = at > window ? at - window : 0;
  std::string_view before = text.substr(from, at - from);
  for (auto word : words) {
    if (before.find(word) != std::string_view::npos) return true;
  }
  return false;
}

// A run of digit groups such as "03-1234-5678", "(03)1234-5678", "+81 90 1234 5678".
struct NumberToken {
  size_t begin = 0;
  size_t end = 0;
  bool international = false;  // started with '+'
  // Inline storage: a token is read at every digit, a heap allocation each was a tenth of a
  // PDF's detector time (issue 23 item 8).
  boost::container::small_vector<std::string_view, 8> groups;
  std::string digits;
  std::string_view text;
};

// Reads the token starting at `i` (a digit, '+' or '(' before a digit). Separators between
// groups are at most two of "- ()".
NumberToken read_token(std::string_view s, size_t i) {
  NumberToken token;
  token.begin = i;
  size_t j = i;
  if (s[j] == '+') {
    token.international = true;
    ++j;
  }
  if (j < s.size() && s[j] == '(') ++j;
  while (j < s.size() && is_digit(s[j])) {
    size_t start = j;
    while (j < s.size() && is_digit(s[j])) ++j;
    token.groups.push_back(s.substr(start, j - start));
    token.digits.append(s.substr(start, j - start));
    token.end = j;
    size_t k = j;
    int separators = 0;
    while (k < s.size() && separators < 2 &&
           (s[k] == '-' || s[k] == ' ' || s[k] == '(' || s[k] == ')')) {
      ++k;
      ++separators;
    }
    if (separators == 0 || k >= s.size() || !is_digit(s[k])) break;
    j = k;
  }
  if (token.end < s.size() && s[token.end] == ')') token.end += 0;  // closing paren is not part
  token.text = s.substr(token.begin, token.end - token.begin);
  return token;
}

bool groups_are(const NumberToken& token, std::initializer_list<size_t> sizes) {
  if (token.groups.size() != sizes.size()) return false;
  size_t i = 0;
  for (size_t size : sizes) {
    if (token.groups[i++].size() != size) return false;
  }
  return true;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Classifies a token as a Japanese telephone number (総務省 電気通信番号計画).
bool is_phone(const NumberToken& token, std::string_view text) {
  std::string number = token.digits;
  if (token.international) {
    if (!starts_with(number, "81")) return false;
    number = number.substr(2);
    if (starts_with(number, "0")) number = number.substr(1);
    number = "0" + number;
  }
  if (number.size() < 10 || number.size() > 11 || number[0] != '0' || number[1] == '0')
    return false;
  bool single = token.groups.size() == 1 || token.international;
  bool mobile_like = starts_with(number, "060") || starts_with(number, "070") ||
                     starts_with(number, "080") || starts_with(number, "090") ||
                     starts_with(number, "050");
  if (number.size() == 11) {
    if (starts_with(number, "0800")) return single || groups_are(token, {4, 3, 4});
    if (mobile_like) return single || groups_are(token, {3, 4, 4});
    return false;  // 020 (M2M) and other 11-digit runs are not personal telephone numbers
  }
  if (mobile_like || starts_with(number, "0800") || starts_with(number, "020")) return false;
  if (starts_with(number, "0120") || starts_with(number, "0570")) {
    return single || groups_are(token, {4, 3, 3}) || groups_are(token, {4, 6});
  }
  // Fixed line: 0 + area code + local number + 4-digit subscriber number, 10 digits.
  if (token.international) return true;
  if (token.groups.size() == 3) {
    size_t area = token.groups[0].size();
    size_t local = token.groups[1].size();
    return area >= 2 && area <= 5 && local >= 1 && local <= 4 && token.groups[2].size() == 4;
  }
  // A bare run of ten digits is a telephone number only when the text says so.
  return token.groups.size() == 1 &&
         has_context(text, token.begin, 40,
                     {"TEL", "Tel", "tel", "電話", "FAX", "Fax", "携帯", "連絡先"});
}

bool all_same(std::string_view digits) {
  return std::all_of(digits.begin(), digits.end(), [&](char c) { return c == digits[0]; });
}


// After a postcode: an address (a prefecture or a municipality suffix) within the next
// 30 code points.
bool address_follows(std::string_view text, size_t at) {
  std::string_view rest = text.substr(at);
  size_t bytes = 0;
  int points = 0;
  while (bytes < rest.size() && points < 30) {
    unsigned char c = static_cast<unsigned char>(rest[bytes]);
    bytes += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    ++points;
  }
  std::string_view window = rest.substr(0, std::min(bytes, rest.size()));
  for (const geo::Prefecture& entry : geo::prefectures()) {
    std::string_view prefecture = entry.name;
    if (window.find(prefecture) != std::string_view::npos) return true;
  }
  for (std::string_view suffix : {"市", "区", "町", "村", "郡"}) {
    if (window.find(suffix) != std::string_view::npos) return true;
  }
  return false;
}

void find_emails(std::string_view s, std::vector<PiiMatch>& out) {
  auto local_char = [](char c) {
    return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  };
  auto domain_char = [](char c) { return is_alnum(c) || c == '.' || c == '-'; };
  size_t at = 0;
  while ((at = s.find('@', at)) != std::string_view::npos) {
    size_t left = at;
    while (left > 0 && at - left < 64 && local_char(s[left - 1])) --left;
    size_t right = at + 1;
    while (right < s.size() && domain_char(s[right])) ++right;
    while (right > at + 1 && (s[right - 1] == '.' || s[right - 1] == '-')) --right;
    std::string_view local = s.substr(left, at - left);
    std::string_view domain = s.substr(at + 1, right - at - 1);
    size_t dot = domain.rfind('.');
    bool ok = !local.empty() && local.front() != '.' && dot != std::string_view::npos && dot > 0 &&
              domain.size() - dot - 1 >= 2 && domain.size() - dot - 1 <= 24 &&
              std::all_of(domain.begin() + static_cast<long>(dot) + 1, domain.end(), is_alpha) &&
              (left == 0 || !local_char(s[left - 1]));
    if (ok) out.push_back({"pii.email", std::string(s.substr(left, right - left)), left});
    at = right > at ? right : at + 1;
  }
}

void find_numbers(std::string_view s, std::vector<PiiMatch>& out) {
  size_t i = 0;
  while (i < s.size()) {
    if ((i & 15) == 0 && no_number_starts(s, i)) {
      i += 16;
      continue;
    }
    char c = s[i];
    bool starts = is_digit(c) ||
                  ((c == '+' || c == '(') && i + 1 < s.size() && is_digit(s[i + 1])) ||
                  (c == '+' && i + 2 < s.size() && s[i + 1] == '(' && is_digit(s[i + 2]));
    if (!starts) {
      ++i;
      continue;
    }
    NumberToken token = read_token(s, i);
    if (token.groups.empty()) {
      ++i;
      continue;
    }
    // Boundaries: no letter or digit glued to either side, and not part of an amount or a
    // decimal ("1,234", "3.14") or a date written with slashes or dots.
    char before = i > 0 ? s[i - 1] : ' ';
    char after = token.end < s.size() ? s[token.end] : ' ';
    char after2 = token.end + 1 < s.size() ? s[token.end + 1] : ' ';
    bool invoice = before == 'T' && (i < 2 || !is_alnum(s[i - 2]));
    bool glued = (is_alnum(before) && !invoice) || before == '.' || before == ',' ||
                 before == '/' || before == '_' || is_alnum(after) || after == '_' ||
                 ((after == '.' || after == ',' || after == '/') && is_digit(after2));
    if (!glued) {
      const std::string& d = token.digits;
      if (invoice) {
        if (d.size() == 13 && token.groups.size() == 1 && valid_corporate_number(d)) {
          out.push_back({"pii.corporate_number", "T" + d, i});
        }
      } else if (is_phone(token, s)) {
        out.push_back({"pii.phone", std::string(token.text), i});
      } else if (!token.international && d.size() == 12 && !all_same(d) && valid_my_number(d) &&
                 (groups_are(token, {4, 4, 4}) ||
                  (token.groups.size() == 1 &&
                   has_context(s, i, 60,
                               {"個人番号", "マイナンバー", "マイナ番号", "My Number"})))) {
        out.push_back({"pii.my_number", std::string(token.text), i});
      } else if (!token.international && d.size() == 13 && token.groups.size() == 1 &&
                 valid_corporate_number(d) && has_context(s, i, 60, {"法人番号", "登録番号"})) {
        out.push_back({"pii.corporate_number", d, i});
      }
    }
    i = std::max(token.end, i + 1);
  }
}

void find_postal_addresses(std::string_view s, std::vector<PiiMatch>& out) {
  constexpr std::string_view kMark = "\u3012";  // 〒
  size_t at = 0;
  while ((at = s.find(kMark, at)) != std::string_view::npos) {
    size_t j = at + kMark.size();
    while (j < s.size() && s[j] == ' ') ++j;
    size_t start = j;
    auto digits = [&](size_t n) {
      for (size_t k = 0; k < n; ++k, ++j) {
        if (j >= s.size() || !is_digit(s[j])) return false;
      }
      return true;
    };
    bool ok = digits(3);
    if (ok && j < s.size() && s[j] == '-') {
      ++j;
      ok = digits(4);
    } else if (ok) {
      ok = digits(4);
    }
    if (ok && (j >= s.size() || !is_digit(s[j])) && address_follows(s, j)) {
      out.push_back({"pii.postal_address", "〒" + std::string(s.substr(start, j - start)), at});
    }
    at += kMark.size();
  }
}

void find_passports(std::string_view s, std::vector<PiiMatch>& out) {
  for (size_t i = 0; i + 9 <= s.size(); ++i) {
    if ((i & 15) == 0 && no_passport_starts(s, i)) {
      i += 15;
      continue;
    }
    if (!(s[i] >= 'A' && s[i] <= 'Z' && s[i + 1] >= 'A' && s[i + 1] <= 'Z')) continue;
    if (i > 0 && is_alnum(s[i - 1])) continue;
    bool digits = true;
    for (size_t k = 2; k < 9; ++k) digits = digits && is_digit(s[i + k]);
    if (!digits || (i + 9 < s.size() && is_alnum(s[i + 9]))) continue;
    // Japanese passports are issued in the T and M series; other letter pairs count only when
    // the text names a passport.
    if (s[i] == 'T' || s[i] == 'M' ||
        has_context(s, i, 60, {"旅券", "パスポート", "passport", "Passport", "PASSPORT"})) {
      out.push_back({"pii.passport", std::string(s.substr(i, 9)), i});
    }
    i += 8;
  }
}

std::string without_spaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out += c;
  }
  return out;
}

}  // namespace

DenyList::DenyList(std::vector<std::string> names) {
  for (const auto& name : names) {
    std::string normalized = without_spaces(text::nfkc(text::trim(name)));
    if (text::count_code_points(normalized) >= 2) names_.push_back(std::move(normalized));
  }
  std::sort(names_.begin(), names_.end());
  names_.erase(std::unique(names_.begin(), names_.end()), names_.end());
}

Result<DenyList> DenyList::read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error::invalid("名前の一覧を開けません: " + path));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto utf8 = text::to_utf8(bytes);
  if (!utf8) return fail(Error::invalid("名前の一覧の文字コードを判別できません: " + path));
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= utf8->size()) {
    size_t end = utf8->find('\n', start);
    if (end == std::string::npos) end = utf8->size();
    std::string_view line = text::trim(std::string_view(*utf8).substr(start, end - start));
    if (!line.empty() && line.front() != '#') names.emplace_back(line);
    start = end + 1;
  }
  return DenyList(std::move(names));
}

bool nfkc_stable_code_point(char32_t cp) {
  return cp < 0x80 || cp == 0x3001 || cp == 0x3002 || (cp >= 0x3041 && cp <= 0x3096) ||
         (cp >= 0x30A1 && cp <= 0x30FA) || cp == 0x30FC || (cp >= 0x4E00 && cp <= 0x9FFF);
}

namespace {

// Valid UTF-8 made only of code points NFKC leaves alone (nfkc_stable_code_point).
bool nfkc_stable(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    // Every stable code point above ASCII is three bytes long (U+3001 … U+9FFF).
    if ((c & 0xF0) != 0xE0 || i + 2 >= s.size()) return false;
    unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
    unsigned char c2 = static_cast<unsigned char>(s[i + 2]);
    if ((c1 & 0xC0) != 0x80 || (c2 & 0xC0) != 0x80) return false;
    char32_t cp = (static_cast<char32_t>(c & 0x0F) << 12) | (static_cast<char32_t>(c1 & 0x3F) << 6) |
                  static_cast<char32_t>(c2 & 0x3F);
    if (!nfkc_stable_code_point(cp)) return false;
    i += 3;
  }
  return true;
}

}  // namespace

std::string normalize_for_pii(std::string_view utf8) {
  if (is_ascii(utf8)) return std::string(utf8);
  std::string s = nfkc_stable(utf8) ? std::string(utf8) : text::nfkc(utf8);
  // A dash is replaced when a digit precedes it in the text and one follows it (a replaced
  // dash ends in a byte that is not a digit, so the text's own previous byte decides). Runs
  // between replacements are copied whole (issue 23 item 8: byte by byte, this loop was an
  // eighth of a CSV folder's CPU time).
  std::string out;
  size_t copied = 0;
  for (size_t i = 1; i < s.size(); ++i) {
    if (!is_digit(s[i - 1])) continue;
    for (auto dash : kDashes) {
      if (s.compare(i, dash.size(), dash) == 0 && i + dash.size() < s.size() &&
          is_digit(s[i + dash.size()])) {
        if (copied == 0) out.reserve(s.size());
        out.append(s, copied, i - copied).append(1, '-');
        i += dash.size();
        copied = i;
        --i;
        break;
      }
    }
  }
  if (copied == 0) return s;
  out.append(s, copied, std::string::npos);
  return out;
}

namespace {

// Cheap test before any normalisation: every detector needs an ASCII digit or '@', a
// full-width form (ＦＦ0x: digits, ＠), or 〒. Most cells and paragraphs have none.
bool may_hold_pii(std::string_view s) {
  size_t i = 0;
#if defined(__SSE2__)
  // 16 bytes at a time (issue 23 item 8: this test runs on every cell and paragraph); the last
  // bytes, and the 〒 and full-width leads that straddle a block's end, are left to the loop
  // below, which looks at each of them with its following bytes.
  const __m128i zero = _mm_set1_epi8('0');
  const __m128i nine = _mm_set1_epi8(9);
  const __m128i at = _mm_set1_epi8('@');
  const __m128i ef = _mm_set1_epi8(static_cast<char>(0xEF));
  const __m128i bc = _mm_set1_epi8(static_cast<char>(0xBC));
  const __m128i e3 = _mm_set1_epi8(static_cast<char>(0xE3));
  const __m128i x80 = _mm_set1_epi8(static_cast<char>(0x80));
  const __m128i x92 = _mm_set1_epi8(static_cast<char>(0x92));
  for (; i + 18 <= s.size(); i += 16) {
    auto load = [&](size_t k) {
      return _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i + k));
    };
    __m128i b0 = load(0);
    __m128i b1 = load(1);
    __m128i b2 = load(2);
    __m128i digit_offset = _mm_sub_epi8(b0, zero);
    __m128i digit = _mm_cmpeq_epi8(_mm_min_epu8(digit_offset, nine), digit_offset);
    __m128i hit = _mm_or_si128(digit, _mm_cmpeq_epi8(b0, at));
    hit = _mm_or_si128(hit, _mm_and_si128(_mm_cmpeq_epi8(b0, ef), _mm_cmpeq_epi8(b1, bc)));
    hit = _mm_or_si128(hit, _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(b0, e3), _mm_cmpeq_epi8(b1, x80)),
                                          _mm_cmpeq_epi8(b2, x92)));
    if (_mm_movemask_epi8(hit) != 0) return true;
  }
#endif
  for (; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c >= '0' && c <= '9') || c == '@') return true;
    if (c == 0xEF && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBC) return true;
    if (c == 0xE3 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        static_cast<unsigned char>(s[i + 2]) == 0x92) {
      return true;
    }
  }
  return false;
}

std::vector<PiiMatch> find_in_normalized(std::string_view s) {
  std::vector<PiiMatch> out;
  if (s.find('@') != std::string_view::npos) find_emails(s, out);
  find_numbers(s, out);
  if (!is_ascii(s)) find_postal_addresses(s, out);
  find_passports(s, out);
  return out;
}

}  // namespace

std::vector<PiiMatch> find_pii(std::string_view utf8, const DenyList& deny_list,
                               std::string_view context) {
  std::vector<PiiMatch> out;
  bool candidates = may_hold_pii(utf8);
  if (!candidates && deny_list.empty()) return out;
  std::string s = normalize_for_pii(utf8);
  if (candidates) {
    if (context.empty()) {
      out = find_in_normalized(s);
    } else {
      // Detect on "context\ntext" and keep only the matches inside the text.
      std::string prefix = normalize_for_pii(context) + "\n";
      for (auto& match : find_in_normalized(prefix + s)) {
        if (match.begin >= prefix.size()) {
          match.begin -= prefix.size();
          out.push_back(std::move(match));
        }
      }
    }
  }
  if (!deny_list.empty()) {
    std::string compact = without_spaces(s);
    for (const auto& name : deny_list.normalized_names()) {
      size_t at = 0;
      while ((at = compact.find(name, at)) != std::string::npos) {
        out.push_back({"pii.deny_list", name, 0});
        at += name.size();
      }
    }
  }
  return out;
}

bool valid_my_number(std::string_view d) {
  if (d.size() != 12 || !std::all_of(d.begin(), d.end(), is_digit)) return false;
  int sum = 0;
  for (int n = 1; n <= 11; ++n) {
    int p = d[static_cast<size_t>(11 - n)] - '0';
    int q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  int r = sum % 11;
  int check = r <= 1 ? 0 : 11 - r;
  return d[11] - '0' == check;
}

bool valid_corporate_number(std::string_view d) {
  if (d.size() != 13 || !std::all_of(d.begin(), d.end(), is_digit)) return false;
  int sum = 0;
  for (int n = 1; n <= 12; ++n) {
    int p = d[static_cast<size_t>(13 - n)] - '0';
    sum += p * (n % 2 == 1 ? 1 : 2);
  }
  return d[0] - '0' == 9 - sum % 9;
}

std::string mask_value(std::string_view code, std::string_view value) {
  if (code == "pii.deny_list") {
    auto points = text::code_points(value);
    std::string out(points.empty() ? std::string_view() : points[0]);
    for (size_t i = 1; i < points.size(); ++i) out += "＊";
    return out;
  }
  if (code == "pii.email") {
    size_t at = value.find('@');
    std::string out;
    for (size_t i = 0; i < at; ++i) out += i < 2 ? value[i] : '*';
    out += value.substr(at);
    return out;
  }
  if (code == "pii.corporate_number") return std::string(value);  // public information
  // Numbers: keep the first three and the last two digits, mask the others.
  size_t total = static_cast<size_t>(std::count_if(value.begin(), value.end(), is_digit));
  std::string out;
  size_t seen = 0;
  for (char c : value) {
    if (is_digit(c)) {
      out += (seen < 3 || seen + 2 >= total) ? c : '*';
      ++seen;
    } else {
      out += c;
    }
  }
  return out;
}

void TextScanner::scan(std::string_view utf8, std::string_view location, bool visible,
                       std::string_view context) {
  if (visible) count(utf8);
  if (utf8.empty()) return;
  record(find_pii(utf8, deny_list_, context), location);
}

void TextScanner::count(std::string_view utf8) { chars_ += text::count_code_points(utf8); }

void TextScanner::record(const std::vector<PiiMatch>& matches, std::string_view location) {
  for (const auto& match : matches) {
    int& count = per_code_[match.code];
    if (++count > kMaxPerCode) continue;
    findings_.push_back(
        make_finding(match.code, std::string(location), mask_value(match.code, match.value)));
  }
}

void TextScanner::take_findings(std::vector<Finding>& out) {
  for (auto& finding : findings_) out.push_back(std::move(finding));
  findings_.clear();
  for (const auto& [code, count] : per_code_) {
    if (count > kMaxPerCode) {
      out.push_back(make_finding("pii.truncated", code, std::to_string(count - kMaxPerCode)));
    }
  }
  per_code_.clear();
}

}  // namespace kakehashi::inspect
