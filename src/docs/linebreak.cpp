#include "docs/linebreak.h"

#include <pango/pangocairo.h>

#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <algorithm>
#include <memory>

namespace kakehashi::docs {
namespace {

// JIS X 4051 line-start prohibited characters (closing brackets, 句読点, 中点, 長音, small kana,
// iteration marks) plus their ASCII counterparts.
constexpr char32_t kNoLineStart[] = {
    U'、', U'。', U'，', U'．', U'・', U'：', U'；', U'？', U'！', U'゛', U'゜', U'ヽ',
    U'ヾ', U'ゝ', U'ゞ', U'々', U'〻', U'ー', U'」', U'』', U'）', U'〕', U'］', U'｝',
    U'〉', U'》', U'】', U'〙', U'〗', U'〟', U'’',  U'”',  U'ぁ', U'ぃ', U'ぅ', U'ぇ',
    U'ぉ', U'っ', U'ゃ', U'ゅ', U'ょ', U'ゎ', U'ゕ', U'ゖ', U'ァ', U'ィ', U'ゥ', U'ェ',
    U'ォ', U'ッ', U'ャ', U'ュ', U'ョ', U'ヮ', U'ヵ', U'ヶ', U'ㇰ', U'ㇱ', U'ㇲ', U'ㇳ',
    U'ㇴ', U'ㇵ', U'ㇶ', U'ㇷ', U'ㇸ', U'ㇹ', U'ㇺ', U'ㇻ', U'ㇼ', U'ㇽ', U'ㇾ', U'ㇿ',
    U'‐',  U'゠', U'–',  U'〜', U'～', U'…',  U'‥',  U'―',  U'％', U'‰',  U'℃',  U'°',
    U',',  U'.',  U')',  U']',  U'}',  U'?',  U'!',  U':',  U';',  U'%'};
constexpr char32_t kNoLineEnd[] = {U'「', U'『', U'（', U'〔', U'［', U'｛', U'〈',
                                   U'《', U'【', U'〘', U'〖', U'〝', U'‘',  U'“',
                                   U'(',  U'[',  U'{',  U'￥', U'＄', U'＃'};

struct CodePoint {
  char32_t value;
  size_t start, end;
};

std::vector<CodePoint> decode(std::string_view s) {
  std::vector<CodePoint> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (i + len > s.size()) len = s.size() - i;
    char32_t v = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < len; ++k) v = (v << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back({v, i, i + len});
    i += len;
  }
  return out;
}

void forbid(PangoAttrList* attrs, size_t start, size_t end) {
  PangoAttribute* a = pango_attr_allow_breaks_new(FALSE);
  a->start_index = static_cast<guint>(start);
  a->end_index = static_cast<guint>(end);
  pango_attr_list_insert(attrs, a);
}

}  // namespace

bool is_no_line_start(char32_t c) {
  return std::find(std::begin(kNoLineStart), std::end(kNoLineStart), c) != std::end(kNoLineStart);
}

bool is_no_line_end(char32_t c) {
  return std::find(std::begin(kNoLineEnd), std::end(kNoLineEnd), c) != std::end(kNoLineEnd);
}

// Whether Pango's UAX #14 rules already forbid a break before / after `c`. Attributes are only
// added where they are not, because every attribute splits Pango's runs and slows shaping.
bool uax14_forbids_break_before(char32_t c) {
  switch (g_unichar_break_type(c)) {
    case G_UNICODE_BREAK_CLOSE_PUNCTUATION:
    case G_UNICODE_BREAK_CLOSE_PARENTHESIS:
    case G_UNICODE_BREAK_NON_STARTER:
    case G_UNICODE_BREAK_EXCLAMATION:
    case G_UNICODE_BREAK_INFIX_SEPARATOR:
    case G_UNICODE_BREAK_CONDITIONAL_JAPANESE_STARTER:  // Pango treats CJ as NS (strict)
      return true;
    default:
      return false;
  }
}
bool uax14_forbids_break_after(char32_t c) {
  return g_unichar_break_type(c) == G_UNICODE_BREAK_OPEN_PUNCTUATION;
}

void add_kinsoku_attributes(PangoAttrList* attrs, std::string_view text) {
  auto cps = decode(text);
  for (size_t i = 1; i < cps.size(); ++i) {
    // No break between cps[i-1] and cps[i] when cps[i] may not start a line or cps[i-1] may
    // not end one. A range covering both characters removes the break opportunity between them.
    bool start = is_no_line_start(cps[i].value) && !uax14_forbids_break_before(cps[i].value);
    bool end = is_no_line_end(cps[i - 1].value) && !uax14_forbids_break_after(cps[i - 1].value);
    if (start || end) {
      if (cps[i - 1].value == U'\n' || cps[i].value == U'\n') continue;
      forbid(attrs, cps[i - 1].start, cps[i].end);
    }
  }
}

std::vector<size_t> word_break_offsets(std::string_view text) {
  std::vector<size_t> out;
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  std::unique_ptr<icu::BreakIterator> words(
      icu::BreakIterator::createWordInstance(icu::Locale::getJapanese(), status));
  if (U_FAILURE(status) || !words) {
    utext_close(ut);
    return out;
  }
  words->setText(ut, status);
  std::vector<size_t> bounds;
  for (int32_t b = words->first(); b != icu::BreakIterator::DONE; b = words->next())
    bounds.push_back(static_cast<size_t>(b));  // UTF-8 UText: native indices are byte offsets
  utext_close(ut);
  auto token = [&](size_t i) { return decode(text.substr(bounds[i], bounds[i + 1] - bounds[i])); };
  auto hiragana_particle = [](const std::vector<CodePoint>& t) {
    return !t.empty() && t.size() <= 2 &&
           std::all_of(t.begin(), t.end(), [](auto& c) { return c.value >= U'ぁ' && c.value <= U'ゖ'; });
  };
  auto digits = [](const std::vector<CodePoint>& t) {
    return !t.empty() && std::all_of(t.begin(), t.end(), [](auto& c) {
      return (c.value >= U'0' && c.value <= U'9') || (c.value >= U'０' && c.value <= U'９');
    });
  };
  auto space = [](const std::vector<CodePoint>& t) {
    return !t.empty() && (t.front().value == U' ' || t.front().value == U'\u3000');
  };
  auto kanji = [](const std::vector<CodePoint>& t) {
    return !t.empty() && std::all_of(t.begin(), t.end(), [](auto& c) {
      return (c.value >= 0x4E00 && c.value <= 0x9FFF) || (c.value >= 0x3400 && c.value <= 0x4DBF) ||
             c.value == U'々';
    });
  };
  for (size_t i = 1; i + 1 < bounds.size(); ++i) {
    auto before = token(i - 1), after = token(i);
    if (hiragana_particle(after)) continue;
    if (kanji(before) && kanji(after)) continue;  // a compound: 改革推進事業, 仕様書
    if ((digits(before) || digits(after)) && !space(before) && !space(after)) continue;
    // Latin words: break only at spaces (ICU also bounds punctuation such as "-").
    char32_t last = before.back().value, first = after.front().value;
    if (last < 0x80 && first < 0x80 && last != U' ' && first != U' ') continue;
    out.push_back(bounds[i]);
  }
  return out;
}

void add_word_attributes(PangoAttrList* attrs, std::string_view text) {
  std::vector<size_t> breaks = word_break_offsets(text);
  breaks.push_back(text.size());
  size_t start = 0;
  for (size_t end : breaks) {
    auto cps = decode(text.substr(start, end - start));
    if (cps.size() > 1 && cps.size() <= 12) forbid(attrs, start, end);
    start = end;
  }
}

namespace {

std::vector<std::string> lines_at(std::string_view text, PangoContext* context,
                                  const char* font, double width) {
  PangoLayout* layout = pango_layout_new(context);
  PangoFontDescription* desc = pango_font_description_from_string(font);
  pango_layout_set_font_description(layout, desc);
  pango_font_description_free(desc);
  pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
  pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
  PangoAttrList* attrs = pango_attr_list_new();
  pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
  add_kinsoku_attributes(attrs, text);
  add_word_attributes(attrs, text);
  pango_layout_set_attributes(layout, attrs);
  pango_attr_list_unref(attrs);
  std::vector<std::string> lines;
  for (GSList* l = pango_layout_get_lines_readonly(layout); l; l = l->next) {
    auto* line = static_cast<PangoLayoutLine*>(l->data);
    lines.emplace_back(text.substr(line->start_index, line->length));
  }
  g_object_unref(layout);
  return lines;
}

}  // namespace

std::vector<std::string> balanced_title_lines(std::string_view text, const char* font,
                                              double width) {
  PangoContext* context = pango_font_map_create_context(pango_cairo_font_map_get_default());
  pango_cairo_context_set_resolution(context, 72);
  std::vector<std::string> best = lines_at(text, context, font, width);
  if (best.size() > 1) {
    double lo = width / best.size() * 0.8, hi = width;
    for (int i = 0; i < 12; ++i) {
      double mid = (lo + hi) / 2;
      auto lines = lines_at(text, context, font, mid);
      if (lines.size() == best.size()) {
        best = std::move(lines);
        hi = mid;
      } else {
        lo = mid;
      }
    }
  }
  g_object_unref(context);
  for (auto& line : best)  // a break at a space leaves it at the line's end
    while (!line.empty() && line.back() == ' ') line.pop_back();
  return best;
}

std::vector<std::string> break_lines(std::string_view text, const char* font, double width) {
  PangoFontMap* map = pango_cairo_font_map_get_default();
  PangoContext* context = pango_font_map_create_context(map);
  pango_cairo_context_set_resolution(context, 72);
  PangoLayout* layout = pango_layout_new(context);
  PangoFontDescription* desc = pango_font_description_from_string(font);
  pango_layout_set_font_description(layout, desc);
  pango_font_description_free(desc);
  pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
  pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
  PangoAttrList* attrs = pango_attr_list_new();
  add_kinsoku_attributes(attrs, text);
  pango_layout_set_attributes(layout, attrs);
  pango_attr_list_unref(attrs);
  std::vector<std::string> lines;
  for (GSList* l = pango_layout_get_lines_readonly(layout); l; l = l->next) {
    auto* line = static_cast<PangoLayoutLine*>(l->data);
    lines.emplace_back(text.substr(line->start_index, line->length));
  }
  g_object_unref(layout);
  g_object_unref(context);
  return lines;
}

}  // namespace kakehashi::docs
