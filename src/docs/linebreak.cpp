#include "docs/linebreak.h"

#include <pango/pangocairo.h>

#include <algorithm>

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
