#include "knowledge/search.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <set>

namespace kakehashi::knowledge {
namespace {

constexpr std::size_t kMaxTerms = 8;
constexpr std::size_t kMaxTermChars = 64;

const icu::Normalizer2* nfkc_casefold() {
  static const icu::Normalizer2* instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return instance;
}

UChar32 to_hiragana(UChar32 c) {
  if (c >= 0x30A1 && c <= 0x30F6) return c - 0x60;
  if (c == 0x30FD || c == 0x30FE) return c - 0x60;
  return c;
}

bool joins_previous(UChar32 c) {
  return u_getCombiningClass(c) != 0 || c == 0x3099 || c == 0x309A || c == 0xFF9E || c == 0xFF9F ||
         (c >= 0xFE00 && c <= 0xFE0F);
}

void append_utf8(std::string& out, UChar32 c) {
  char buffer[4];
  std::int32_t length = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<std::uint8_t*>(buffer), length, 4, c, error);
  if (!error) out.append(buffer, static_cast<std::size_t>(length));
}

// Appends the normalised form of one segment; `space` tracks a pending collapsed space.
void emit_segment(std::string_view segment, Normalized* mapped, std::string& out, std::uint32_t from,
                  std::uint32_t to, bool& last_space) {
  std::string piece;
  // Fast path: one inert code point (most kanji and kana) or ASCII.
  std::int32_t i = 0;
  UChar32 first = 0;
  U8_NEXT(reinterpret_cast<const std::uint8_t*>(segment.data()), i, static_cast<std::int32_t>(segment.size()), first);
  const icu::Normalizer2* n = nfkc_casefold();
  if (static_cast<std::size_t>(i) == segment.size() && first >= 0 && (!n || n->isInert(first))) {
    if (first < 0x80) {
      piece.push_back(static_cast<char>(first >= 'A' && first <= 'Z' ? first + 32 : first));
    } else {
      append_utf8(piece, to_hiragana(first));
    }
  } else if (n) {
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString normal =
        n->normalize(icu::UnicodeString::fromUTF8(icu::StringPiece(segment.data(), static_cast<std::int32_t>(segment.size()))), status);
    if (U_FAILURE(status)) return;
    for (std::int32_t k = 0; k < normal.length();) {
      UChar32 c = normal.char32At(k);
      append_utf8(piece, to_hiragana(c));
      k += U16_LENGTH(c);
    }
  }
  // White space collapses to one ASCII space, never at the start.
  std::string cleaned;
  for (std::size_t k = 0; k < piece.size();) {
    std::int32_t at = static_cast<std::int32_t>(k);
    UChar32 c = 0;
    U8_NEXT(reinterpret_cast<const std::uint8_t*>(piece.data()), at, static_cast<std::int32_t>(piece.size()), c);
    std::size_t next = static_cast<std::size_t>(at);
    if (c >= 0 && (u_isUWhiteSpace(c) || c < 0x20)) {
      if (!last_space && !out.empty()) {
        out.push_back(' ');
        if (mapped) {
          mapped->begin.push_back(from);
          mapped->end.push_back(to);
        }
        last_space = true;
      }
    } else if (c >= 0) {
      out.append(piece, k, next - k);
      if (mapped) {
        for (std::size_t b = k; b < next; ++b) {
          mapped->begin.push_back(from);
          mapped->end.push_back(to);
        }
      }
      last_space = false;
    }
    k = next;
  }
}

void run(std::string_view text, Normalized* mapped, std::string& out) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto size = static_cast<std::int32_t>(text.size());
  bool last_space = false;
  std::int32_t i = 0;
  while (i < size) {
    std::int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(bytes, i, size, c);
    if (c < 0) continue;  // invalid byte: dropped
    // Extend with combining marks.
    while (i < size) {
      std::int32_t peek = i;
      UChar32 d = 0;
      U8_NEXT(bytes, peek, size, d);
      if (d < 0 || !joins_previous(d)) break;
      i = peek;
    }
    emit_segment(text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)), mapped, out,
                 static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(i), last_space);
  }
  if (!out.empty() && out.back() == ' ') {
    out.pop_back();
    if (mapped) {
      mapped->begin.pop_back();
      mapped->end.pop_back();
    }
  }
}

std::vector<std::string_view> split_code_points(std::string_view text) {
  std::vector<std::string_view> out;
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto size = static_cast<std::int32_t>(text.size());
  std::int32_t i = 0;
  while (i < size) {
    std::int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(bytes, i, size, c);
    out.push_back(text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
  }
  return out;
}

void escape_into(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') break;
        out.push_back(c == '\n' ? ' ' : c);
    }
  }
}

}  // namespace

std::string normalize(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  run(text, nullptr, out);
  return out;
}

Normalized normalize_mapped(std::string_view text) {
  Normalized out;
  run(text, &out, out.text);
  return out;
}

std::size_t term_length(std::string_view term) { return split_code_points(term).size(); }

std::vector<std::string> query_terms(std::string_view query) {
  std::string normal = normalize(query);
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= normal.size() && out.size() < kMaxTerms) {
    std::size_t space = normal.find(' ', start);
    std::string term = normal.substr(start, space == std::string::npos ? std::string::npos : space - start);
    if (!term.empty()) {
      auto points = split_code_points(term);
      if (points.size() > kMaxTermChars) {
        std::string cut;
        for (std::size_t k = 0; k < kMaxTermChars; ++k) cut += points[k];
        term = cut;
      }
      if (std::ranges::find(out, term) == out.end()) out.push_back(std::move(term));
    }
    if (space == std::string::npos) break;
    start = space + 1;
  }
  return out;
}

std::vector<std::string> grams(std::string_view normalised) {
  auto points = split_code_points(normalised);
  std::set<std::string, std::less<>> out;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (points[i] == " ") continue;
    out.emplace(points[i]);
    if (i + 1 < points.size() && points[i + 1] != " ") {
      std::string pair(points[i]);
      pair += points[i + 1];
      out.insert(std::move(pair));
    }
  }
  return {out.begin(), out.end()};
}

std::string fts_phrase(std::string_view term) {
  std::string out = "\"";
  for (char c : term) {
    if (c == '"') out += "\"\"";
    else out.push_back(c);
  }
  out += "\"";
  return out;
}

std::string like_pattern(std::string_view term) {
  std::string out = "%";
  for (char c : term) {
    if (c == '\\' || c == '%' || c == '_') out.push_back('\\');
    out.push_back(c);
  }
  out += "%";
  return out;
}

std::string snippet_html(std::string_view original, const std::vector<std::string>& terms, std::size_t width) {
  if (original.empty()) return {};
  Normalized n = normalize_mapped(original);
  // Hits in the normalised text: [begin, end) byte ranges, non-overlapping, in order.
  std::vector<std::pair<std::size_t, std::size_t>> hits;
  for (const std::string& term : terms) {
    if (term.empty()) continue;
    for (std::size_t at = n.text.find(term); at != std::string::npos; at = n.text.find(term, at + term.size()))
      hits.emplace_back(at, at + term.size());
  }
  std::ranges::sort(hits);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> marks;  // original byte ranges
  for (const auto& [b, e] : hits) {
    std::uint32_t ob = n.begin[b];
    std::uint32_t oe = n.end[e - 1];
    if (!marks.empty() && ob < marks.back().second) continue;
    marks.emplace_back(ob, oe);
  }
  // The window: from about a third of `width` before the first hit.
  auto points = split_code_points(original);
  std::vector<std::size_t> offsets;  // byte offset of each code point
  offsets.reserve(points.size() + 1);
  for (auto p : points) offsets.push_back(static_cast<std::size_t>(p.data() - original.data()));
  offsets.push_back(original.size());
  std::size_t first_point = 0;
  if (!marks.empty()) {
    first_point = static_cast<std::size_t>(std::ranges::lower_bound(offsets, marks.front().first) - offsets.begin());
    first_point = first_point > width / 3 ? first_point - width / 3 : 0;
  }
  std::size_t last_point = std::min(points.size(), first_point + width);
  std::size_t from = offsets[first_point];
  std::size_t to = offsets[last_point];
  // Never cut a hit in two.
  for (const auto& [b, e] : marks)
    if (b < to && e > to) to = e;
  std::string out;
  if (first_point > 0) out += "…";
  std::size_t at = from;
  for (const auto& [b, e] : marks) {
    if (e <= from || b >= to) continue;
    std::size_t mb = std::max<std::size_t>(b, from);
    escape_into(out, original.substr(at, mb - at));
    out += "<mark>";
    escape_into(out, original.substr(mb, e - mb));
    out += "</mark>";
    at = e;
  }
  escape_into(out, original.substr(at, to - at));
  if (to < original.size()) out += "…";
  return out;
}

std::string markdown_plain(std::string_view markdown) {
  std::string out;
  out.reserve(markdown.size());
  bool line_start = true;
  for (std::size_t i = 0; i < markdown.size(); ++i) {
    char c = markdown[i];
    if (line_start && (c == '#' || c == '>' || c == ' ')) continue;
    if (line_start && (c == '-' || c == '+') && i + 1 < markdown.size() && markdown[i + 1] == ' ') {
      ++i;
      continue;
    }
    line_start = false;
    if (c == '\n') {
      line_start = true;
      out.push_back('\n');
      continue;
    }
    if (c == '*' || c == '_' || c == '`' || c == '|') continue;
    if (c == ']' && i + 1 < markdown.size() && markdown[i + 1] == '(') {
      std::size_t close = markdown.find(')', i);
      if (close != std::string_view::npos) {
        i = close;
        continue;
      }
    }
    if (c == '[') continue;
    out.push_back(c);
  }
  return out;
}

}  // namespace kakehashi::knowledge
