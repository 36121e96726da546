#include "program/counting/titles.h"

#include <algorithm>

#include "base/text.h"
#include "program/counting/chars.h"
#include "program/counting/tables.h"

namespace kakehashi::program::counting {

namespace {

using chars::is_key_char;

constexpr char32_t kOpen = U'(';
constexpr char32_t kClose = U')';

// One bracket shape for all (【】, ［］, 〔〕 … are decorations of the same kind), one wave and
// one dash. NFKC has already turned （）［］～－ into their ASCII forms.
char32_t unify(char32_t c) {
  switch (c) {
    case U'【':
    case U'〔':
    case U'[':
    case U'〈':
    case U'《':
    case U'〘':
    case U'〖':
    case U'{':
      return kOpen;
    case U'】':
    case U'〕':
    case U']':
    case U'〉':
    case U'》':
    case U'〙':
    case U'〗':
    case U'}':
      return kClose;
    case U'『':
      return U'「';
    case U'』':
      return U'」';
    case U'〜':
    case U'∼':
    case U'〰':
      return U'~';
    case U'‐':
    case U'‑':
    case U'‒':
    case U'–':
    case U'—':
    case U'―':
    case U'−':
      return U'-';
    default:
      return c;
  }
}

bool is_bracket(char32_t c) { return c == kOpen || c == kClose || c == U'「' || c == U'」'; }
// A decoration: anything that is neither part of the content (a key character) nor a bracket.
bool is_decoration(char32_t c) { return !is_key_char(c) && !is_bracket(c); }
bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool is_weekday(char32_t c) {
  return c == U'月' || c == U'火' || c == U'水' || c == U'木' || c == U'金' || c == U'土' ||
         c == U'日' || c == U'祝';
}

using View = std::u32string_view;

// Length of the run of ASCII digits at `at` (at most `max` long; 0 when longer or none).
size_t digits_at(View text, size_t at, size_t max, int* value) {
  size_t end = at;
  while (end < text.size() && is_digit(text[end])) ++end;
  size_t length = end - at;
  if (length == 0 || length > max) return 0;
  int parsed = 0;
  for (size_t k = at; k < end; ++k) parsed = parsed * 10 + int(text[k] - U'0');
  if (value) *value = parsed;
  return length;
}

bool at_word_start(View text, size_t at) { return at == 0 || !is_key_char(text[at - 1]); }
bool at_word_end(View text, size_t end) { return end >= text.size() || !is_key_char(text[end]); }

// 第2回, 第二回目, 3回目, 2日目.
size_t session_number_at(View text, size_t at) {
  size_t start = at;
  bool ordinal = text[at] == U'第';
  if (ordinal) ++at;
  size_t end = at;
  while (end < text.size() && chars::is_numeral_char(text[end])) ++end;
  if (end == at || !chars::numeral_value(text.substr(at, end - at))) return 0;
  if (!ordinal && start > 0 && chars::is_numeral_char(text[start - 1])) return 0;
  View rest = text.substr(end);
  if (ordinal && chars::starts_with(rest, U"回"))
    return end - start + (chars::starts_with(rest, U"回目") ? 2 : 1);
  if (!ordinal && (chars::starts_with(rest, U"回目") || chars::starts_with(rest, U"日目"))) {
    return end - start + 2;
  }
  return 0;
}

// "(土)", "(土・祝)" right after a date.
size_t weekday_suffix_at(View text, size_t at) {
  if (at >= text.size() || text[at] != kOpen) return 0;
  size_t end = at + 1;
  bool any = false;
  while (end < text.size() && text[end] != kClose) {
    if (is_weekday(text[end])) {
      any = true;
    } else if (is_key_char(text[end])) {
      return 0;
    }
    ++end;
  }
  return any && end < text.size() ? end + 1 - at : 0;
}

// Dates. Anywhere: a year with a month (2026年10月, 令和8年10月5日), a month with a day
// (10月5日), a full numeric date (2026/10/5, 2026-10-05, 2026.10.5). In brackets alone also:
// a year (2026年, 令和8年度), a month (10月) and a day without year (10/5).
size_t date_at(View text, size_t at, bool bracketed) {
  if (at > 0 && is_digit(text[at - 1])) return 0;
  size_t pos = at;
  bool year = false;
  int value = 0;
  if (chars::starts_with(text.substr(pos), U"令和") ||
      chars::starts_with(text.substr(pos), U"平成")) {
    size_t k = pos + 2;
    size_t length = chars::starts_with(text.substr(k), U"元") ? 1 : digits_at(text, k, 2, &value);
    if (length == 0 || k + length >= text.size() || text[k + length] != U'年') return 0;
    pos = k + length + 1;
    year = true;
  } else if (size_t length = digits_at(text, pos, 4, &value); length == 4) {
    char32_t separator = pos + 4 < text.size() ? text[pos + 4] : 0;
    if (separator == U'年') {
      pos += 5;
      year = true;
    } else if (separator == U'/' || separator == U'-' || separator == U'.') {
      int month = 0;
      int day = 0;
      size_t k = pos + 5;
      size_t month_length = digits_at(text, k, 2, &month);
      if (month_length == 0 || month < 1 || month > 12) return 0;
      k += month_length;
      if (k >= text.size() || text[k] != separator) return 0;
      size_t day_length = digits_at(text, k + 1, 2, &day);
      if (day_length == 0 || day < 1 || day > 31) return 0;
      k += 1 + day_length;
      return k - at + weekday_suffix_at(text, k);
    } else {
      return 0;
    }
  }
  int month = 0;
  size_t month_length = digits_at(text, pos, 2, &month);
  if (month_length > 0 && month >= 1 && month <= 12 && pos + month_length < text.size() &&
      text[pos + month_length] == U'月') {
    size_t k = pos + month_length + 1;
    int day = 0;
    size_t day_length = digits_at(text, k, 2, &day);
    bool has_day = day_length > 0 && day >= 1 && day <= 31 && k + day_length < text.size() &&
                   text[k + day_length] == U'日';
    if (has_day) k += day_length + 1;
    if (!year && !has_day && !bracketed) return 0;
    return k - at + weekday_suffix_at(text, k);
  }
  if (year) {
    if (!bracketed) return 0;
    return pos - at + (pos < text.size() && text[pos] == U'度' ? 1 : 0);
  }
  if (bracketed && month_length > 0 && pos + month_length < text.size() &&
      text[pos + month_length] == U'/') {
    int day = 0;
    size_t k = pos + month_length + 1;
    size_t day_length = digits_at(text, k, 2, &day);
    if (day_length == 0 || month < 1 || month > 12 || day < 1 || day > 31) return 0;
    if (k + day_length < text.size() && is_digit(text[k + day_length])) return 0;
    return k + day_length - at + weekday_suffix_at(text, k + day_length);
  }
  return 0;
}

// 10:00, 13:30~15:00, 9:00-.
size_t time_at(View text, size_t at) {
  if (at > 0 && is_digit(text[at - 1])) return 0;
  auto clock_at = [&](size_t k) -> size_t {
    int hour = 0;
    int minute = 0;
    size_t hour_length = digits_at(text, k, 2, &hour);
    if (hour_length == 0 || hour > 24 || k + hour_length >= text.size() ||
        text[k + hour_length] != U':') {
      return 0;
    }
    size_t minute_length = digits_at(text, k + hour_length + 1, 2, &minute);
    if (minute_length != 2 || minute > 59) return 0;
    return hour_length + 1 + minute_length;
  };
  size_t length = clock_at(at);
  if (length == 0) return 0;
  size_t end = at + length;
  if (end < text.size() && (text[end] == U'~' || text[end] == U'-')) {
    size_t second = clock_at(end + 1);
    end += 1 + second;
  }
  return end - at;
}

struct SessionWords {
  std::vector<std::u32string> words;  // longest first: 午前の部 before 午前
  std::u32string starts;              // first characters of the words
  SessionWords() {
    for (auto word : session_words()) words.push_back(chars::decode(word));
    std::stable_sort(words.begin(), words.end(),
                     [](const auto& a, const auto& b) { return a.size() > b.size(); });
    for (const auto& word : words) starts.push_back(word.front());
  }
};

const SessionWords& session_word_table() {
  static const SessionWords table;
  return table;
}

size_t session_word_at(View text, size_t at) {
  const auto& table = session_word_table();
  if (!at_word_start(text, at)) return 0;
  for (const auto& word : table.words) {
    if (chars::starts_with(text.substr(at), word) && at_word_end(text, at + word.size()))
      return word.size();
  }
  return 0;
}

// The session marker starting at `at`, if any: its length.
size_t marker_at(View text, size_t at, bool bracketed) {
  // Every marker starts with a digit, a kanji numeral, 第, an era (令和, 平成) or a session word.
  char32_t c = text[at];
  if (!is_digit(c) && !chars::is_numeral_char(c) && c != U'第' && c != U'令' && c != U'平' &&
      session_word_table().starts.find(c) == std::u32string::npos) {
    return 0;
  }
  if (size_t length = session_number_at(text, at)) return length;
  if (size_t length = date_at(text, at, bracketed)) return length;
  if (size_t length = time_at(text, at)) return length;
  if (size_t length = session_word_at(text, at)) return length;
  return 0;
}

std::string marker_text(View text) {
  while (!text.empty() && (text.back() == U'~' || text.back() == U'-')) text.remove_suffix(1);
  return chars::encode(text);
}

// The index of the bracket closing the one at `open`, or npos.
size_t matching_close(View text, size_t open) {
  int depth = 0;
  for (size_t k = open; k < text.size(); ++k) {
    if (text[k] == kOpen) ++depth;
    if (text[k] == kClose && --depth == 0) return k;
  }
  return View::npos;
}

// Removes bracketed segments that hold nothing but session markers, at any depth.
std::u32string strip_marker_brackets(View text, std::vector<std::string>& markers) {
  std::u32string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    size_t close = text[i] == kOpen ? matching_close(text, i) : View::npos;
    if (close == View::npos) {
      out.push_back(text[i]);
      continue;
    }
    View content = text.substr(i + 1, close - i - 1);
    std::vector<std::string> found;
    bool only_markers = true;
    for (size_t k = 0; k < content.size() && only_markers;) {
      if (!is_key_char(content[k])) {
        ++k;
      } else if (size_t length = marker_at(content, k, true)) {
        found.push_back(marker_text(content.substr(k, length)));
        k += length;
      } else {
        only_markers = false;
      }
    }
    if (only_markers && !found.empty()) {
      markers.insert(markers.end(), found.begin(), found.end());
    } else {
      out.push_back(kOpen);
      out += strip_marker_brackets(content, markers);
      out.push_back(kClose);
    }
    i = close;
  }
  return out;
}

// Removes the markers that stand in open text.
std::u32string strip_open_markers(View text, std::vector<std::string>& markers) {
  std::u32string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (size_t length = marker_at(text, i, false)) {
      markers.push_back(marker_text(text.substr(i, length)));
      i += length;
      continue;
    }
    out.push_back(text[i++]);
  }
  return out;
}

bool is_open(char32_t c) { return c == kOpen || c == U'「'; }
bool is_close(char32_t c) { return c == kClose || c == U'」'; }

// One pass of tidying: a bracket pair holding only decorations becomes a space; decorations just
// inside a bracket go; a run with two or more visible decorations (～～, ~ -) becomes a space.
std::u32string tidy_once(View text) {
  std::u32string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t run_end = i;
    while (run_end < text.size() && is_decoration(text[run_end])) ++run_end;
    if (run_end > i) {
      size_t visible = 0;
      for (size_t k = i; k < run_end; ++k) visible += text[k] != U' ';
      bool inside_bracket =
          (i > 0 && is_open(text[i - 1])) || (run_end < text.size() && is_close(text[run_end]));
      if (inside_bracket) {
        // dropped: "(基礎編・)" → "(基礎編)"
      } else if (visible >= 2) {
        out.push_back(U' ');
      } else {
        out.append(text.substr(i, run_end - i));
      }
      i = run_end;
      continue;
    }
    if (is_open(text[i])) {
      size_t k = i + 1;
      while (k < text.size() && is_decoration(text[k])) ++k;
      if (k < text.size() && is_close(text[k])) {
        out.push_back(U' ');
        i = k + 1;
        continue;
      }
    }
    out.push_back(text[i++]);
  }
  return out;
}

// Tidies what the markers left behind, then trims decorations from both ends.
std::u32string tidy(std::u32string text) {
  for (;;) {
    auto next = tidy_once(text);
    if (next == text) break;
    text = std::move(next);
  }
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && is_decoration(text[begin])) ++begin;
  while (end > begin && is_decoration(text[end - 1])) --end;
  return text.substr(begin, end - begin);
}

}  // namespace

Title normalize_title(std::string_view title) {
  auto text = chars::decode(text::nfkc(text::trim(title)));
  std::transform(text.begin(), text.end(), text.begin(), unify);
  Title result;
  auto without_brackets = strip_marker_brackets(text, result.markers);
  auto cleaned = tidy(strip_open_markers(without_brackets, result.markers));
  auto key = chars::key_of(cleaned);
  if (key.empty()) {
    // Nothing but markers: the content is unknown, so the markers stay part of it.
    result.markers.clear();
    cleaned = tidy(text);
    key = chars::key_of(text);
    if (key.empty()) key = text;  // only symbols ("★"): compared as written, never all alike
  }
  result.key = chars::encode(key);
  // Shown in Japanese text: brackets and the wave dash full-width again, as documents write them.
  for (char32_t& c : cleaned) {
    if (c == kOpen) c = U'（';
    if (c == kClose) c = U'）';
    if (c == U'~') c = U'～';
  }
  result.display = chars::encode(cleaned);
  return result;
}

}  // namespace kakehashi::program::counting
