#include "docs/pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>
#include <pango/pangocairo.h>

#include <cmath>
#include <deque>
#include <functional>
#include <optional>
#include <map>
#include <memory>
#include <set>

#include "docs/linebreak.h"

namespace kakehashi::docs {
namespace {

// A4 in points and the type area. Body text 10.5 pt IPAexMincho with 1.75 line spacing, 40
// characters per line: the usual setting of a Japanese government report.
constexpr double kPageWidth = 595.276;
constexpr double kPageHeight = 841.89;
constexpr double kMarginX = 87.6;  // (595.3 - 40 * 10.5) / 2
constexpr double kContentWidth = kPageWidth - 2 * kMarginX;
constexpr double kTop = 82;                   // body starts here; the running header sits above
constexpr double kBottom = kPageHeight - 72;  // body ends here; the page number sits below
constexpr double kBodySize = 10.5;
constexpr double kLineSpacing = 1.75;
constexpr double kSmallSize = 9;
constexpr const char* kMincho = "IPAexMincho";
constexpr const char* kGothic = "IPAexGothic";
constexpr double kChartHeightRatio = 0.6;

using DrawFn = std::function<void(cairo_t*, double y)>;

// One unbreakable piece of the body: a line of text, a table row, a figure with its caption.
struct Item {
  double height = 0;
  double space_before = 0;      // dropped at the top of a page
  bool keep_with_next = false;  // headings, captions above tables
  bool new_page = false;        // start a page before this item (chapters, \newpage)
  DrawFn draw;
  int heading = -1;     // index into Layout::headings_ when this item is a heading
  std::string chapter;  // set on chapter headings: the running header from here on
  // Table rows: the header rows to repeat when this row starts a page (nullptr otherwise).
  std::shared_ptr<std::vector<Item>> repeat;
  // Items that may break across pages (table rows): the part that fits in `room` points and
  // the rest, or nullopt when no acceptable part fits. Without `force` a part must keep at
  // least three lines and leave at least two; with it (at the top of a page) one line will do.
  std::function<std::optional<std::pair<Item, Item>>(double room, bool force)> split;
  double min_height = 0;  // the smallest first part `split` gives (for keep-with-next runs)
  std::string where;      // what this is, for errors: "第13章「…」の表13-2の行（330行目）"
};

struct HeadingMark {
  int level;
  std::string label;  // "第2章　調査の方法"
  std::string id;
  int page = 0;  // body page number, 1-based
};

struct PageOfItems {
  std::vector<std::pair<const Item*, double>> placed;
  std::string chapter;
};

void set_rgb(cairo_t* cr, unsigned hex) {
  cairo_set_source_rgb(cr, ((hex >> 16) & 0xFF) / 255.0, ((hex >> 8) & 0xFF) / 255.0,
                       (hex & 0xFF) / 255.0);
}

std::string tag_string(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

class Layout {
 public:
  Layout() {
    context_ = pango_font_map_create_context(pango_cairo_font_map_get_default());
    pango_cairo_context_set_resolution(context_, 72);
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(context_, options);
    cairo_font_options_destroy(options);
  }
  ~Layout() { g_object_unref(context_); }
  Layout(const Layout&) = delete;
  Layout& operator=(const Layout&) = delete;

  bool has_japanese_fonts() {
    for (const char* family : {kMincho, kGothic}) {
      PangoFontDescription* d = pango_font_description_from_string(family);
      PangoFont* font = pango_font_map_load_font(pango_context_get_font_map(context_), context_, d);
      bool ok = false;
      if (font) {
        PangoFontDescription* got = pango_font_describe(font);
        ok = std::string_view(pango_font_description_get_family(got)) == family;
        pango_font_description_free(got);
        g_object_unref(font);
      }
      pango_font_description_free(d);
      if (!ok) return false;
    }
    return true;
  }

  // A layout in `family` at `size` points wrapped at `width` (0 = no wrap).
  std::shared_ptr<PangoLayout> text_layout(const std::string& text, const char* family, double size,
                                           double width, PangoAttrList* attrs = nullptr) {
    PangoLayout* layout = pango_layout_new(context_);
    PangoFontDescription* d = pango_font_description_from_string(family);
    pango_font_description_set_absolute_size(d, size * PANGO_SCALE);
    pango_layout_set_font_description(layout, d);
    pango_font_description_free(d);
    if (width > 0) {
      pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
      pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
    PangoAttrList* list = attrs ? pango_attr_list_copy(attrs) : pango_attr_list_new();
    // A word broken at the end of a line gets no hyphen: the text layer must hold the text.
    pango_attr_list_insert(list, pango_attr_insert_hyphens_new(FALSE));
    add_kinsoku_attributes(list, text);
    pango_layout_set_attributes(layout, list);
    pango_attr_list_unref(list);
    return std::shared_ptr<PangoLayout>(layout, g_object_unref);
  }

  PangoContext* context() { return context_; }

  // Links inside a paragraph: byte range and target ("#id").
  struct LinkRange {
    int start, end;
    std::string target;
  };

  // Builds the text and attributes of styled spans. Internal links are returned as ranges;
  // external links print their URL after the text (paper has no clicks, and the published PDF
  // carries no link to the outside).
  std::string styled(const Spans& spans, PangoAttrList* attrs, std::vector<LinkRange>& links,
                     const std::set<std::string>& ids) {
    std::string text;
    for (auto& s : spans) {
      int start = static_cast<int>(text.size());
      if (s.line_break) {
        text += "\u2028";  // line separator: a forced break within the paragraph
        continue;
      }
      text += s.text;
      int end = static_cast<int>(text.size());
      auto add = [&](PangoAttribute* a) {
        a->start_index = start;
        a->end_index = end;
        pango_attr_list_insert(attrs, a);
      };
      if (s.strong || s.emphasis || s.code) add(pango_attr_family_new(kGothic));
      if (s.strong) add(pango_attr_underline_new(PANGO_UNDERLINE_SINGLE));
      if (s.code) add(pango_attr_background_new(0xEEEE, 0xEEEE, 0xEEEE));
      if (s.footnote > 0) {
        add(pango_attr_rise_new(static_cast<int>(3.5 * PANGO_SCALE)));
        add(pango_attr_scale_new(0.7));
        // A note mark stays with the character before it: never at the start of a line.
        int previous = start;
        while (previous > 0 && (static_cast<unsigned char>(text[--previous]) & 0xC0) == 0x80) {
        }
        if (previous < start) {
          PangoAttribute* keep = pango_attr_allow_breaks_new(FALSE);
          keep->start_index = previous;
          keep->end_index = end;
          pango_attr_list_insert(attrs, keep);
        }
        if (ids.contains(fmt::format("fn-{}", s.footnote)))
          links.push_back({start, end, fmt::format("fn-{}", s.footnote)});
      }
      if (!s.link.empty()) {
        if (s.link.starts_with("#")) {
          if (ids.contains(s.link.substr(1))) {
            add(pango_attr_foreground_new(0x0B0B, 0x5757, 0xA4A4));
            links.push_back({start, end, s.link.substr(1)});
          }
        } else if (s.text != s.link) {
          text += "（" + s.link + "）";
        }
      }
    }
    return text;
  }

 private:
  PangoContext* context_;
};

class PdfBuilder {
 public:
  explicit PdfBuilder(const Document& doc) : doc_(doc) {
    for (auto& b : doc.blocks) {
      if (auto* h = std::get_if<Heading>(&b)) ids_.insert(h->id);
      if (auto* f = std::get_if<Figure>(&b)) ids_.insert(f->id);
      if (auto* t = std::get_if<Table>(&b)) ids_.insert(t->id);
    }
    for (auto& f : doc.footnotes) ids_.insert(fmt::format("fn-{}", f.number));
  }

  Result<std::string> build() {
    if (!layout_.has_japanese_fonts())
      return fail(
          Error::unavailable("日本語フォント（IPAex明朝・IPAexゴシック）が見つかりません。fonts-"
                             "ipaexfont を導入してください"));
    for (auto& b : doc_.blocks) {
      if (auto r = std::visit([&](auto& block) { return add(block); }, b); !r)
        return fail(r.error());
    }
    if (auto r = add_endnotes(); !r) return fail(r.error());
    auto body = paginate(items_);
    if (!body) return fail(body.error());
    // The contents never end with a page of one or two entries: the entries are set closer
    // (down to 1.6 lines) when that saves the page, else the last page starts earlier.
    std::vector<Item> toc;
    std::vector<PageOfItems> toc_pages;
    auto widow = [&] { return toc_pages.size() > 1 && toc_pages.back().placed.size() < 3; };
    for (double pitch : {1.9, 1.75, 1.6}) {
      toc = toc_items(pitch);
      auto pages = paginate(toc);
      if (!pages) return fail(pages.error());
      toc_pages = std::move(*pages);
      if (!widow()) break;
    }
    if (widow()) {
      toc = toc_items(1.9);
      auto pages = paginate(toc);
      if (!pages) return fail(pages.error());
      toc_pages = std::move(*pages);
      const Item* first_on_last = toc_pages.back().placed.front().first;
      size_t index = static_cast<size_t>(first_on_last - toc.data());
      size_t start = index + toc_pages.back().placed.size() >= 3
                         ? index + toc_pages.back().placed.size() - 3
                         : 0;
      if (start > 1) {
        toc[start].new_page = true;
        if (toc[start - 1].keep_with_next) toc[start - 1].new_page = true;
        pages = paginate(toc);
        if (!pages) return fail(pages.error());
        toc_pages = std::move(*pages);
      }
    }
    return draw(*body, toc_pages);
  }

 private:
  // --- building items -------------------------------------------------------------------------

  Result<void> add(const Heading& h) {
    static constexpr double kSizes[] = {18, 14, 12, 11};
    double size = kSizes[std::min(h.level, 4) - 1];
    std::string label =
        h.number.empty() ? plain_text(h.text) : h.number + "　" + plain_text(h.text);
    if (h.level == 1) chapter_label_ = label;
    where_ = fmt::format("{}の見出し「{}」（{}行目）", chapter_where(), label, h.line);
    int index = static_cast<int>(headings_.size());
    headings_.push_back({h.level, label, h.id});
    auto layout = layout_.text_layout(label, kGothic, size, kContentWidth);
    double height = logical_height(layout.get());
    Item item;
    item.heading = index;
    item.keep_with_next = true;
    item.new_page = h.level == 1;
    item.space_before = h.level == 1 ? 0 : size * 1.2;
    double rule = h.level == 1 ? 10 : 4;
    item.height = height + rule + (h.level == 1 ? 18 : 6);
    if (h.level == 1) item.chapter = label;
    item.where = where_;
    std::string id = h.id;
    int level = h.level;
    item.draw = [this, layout, height, id, level](cairo_t* cr, double y) {
      dest(cr, id, y);
      set_rgb(cr, 0x1A1A1A);
      cairo_move_to(cr, kMarginX, y);
      pango_cairo_show_layout(cr, layout.get());
      if (level <= 2) {
        set_rgb(cr, level == 1 ? 0x0B57A4 : 0x9AA9BA);
        cairo_set_line_width(cr, level == 1 ? 1.6 : 0.6);
        cairo_move_to(cr, kMarginX, y + height + 4);
        cairo_line_to(cr, kMarginX + kContentWidth, y + height + 4);
        cairo_stroke(cr);
      }
    };
    push(std::move(item));
    return {};
  }

  Result<void> add(const Paragraph& p) {
    where_ = fmt::format("{}の段落（{}行目）", chapter_where(), p.line);
    return add_text(p.spans, kMincho, kBodySize, kMarginX, kContentWidth, kBodySize, 0x1A1A1A, 0,
                    kBodySize * 0.5);
  }

  // "第13章「実施状況報告書（様式）」" or "最初の章の前" for errors.
  std::string chapter_where() const {
    return chapter_label_.empty() ? std::string("最初の章の前") : "「" + chapter_label_ + "」";
  }

  // Items are indented per depth; each depth's markers (the same text as in HTML and DOCX:
  // "・", "4)", "（※1）" …) hang in a column as wide as the widest marker at that depth.
  Result<void> add(const List& list) {
    where_ = fmt::format("{}の箇条書き（{}行目）", chapter_where(), list.line);
    std::map<int, double> marker_w;
    std::vector<std::shared_ptr<PangoLayout>> markers;
    for (auto& it : list.items) {
      auto l = layout_.text_layout(list_marker(it), kMincho, kBodySize, 0);
      marker_w[it.depth] = std::max(marker_w[it.depth], logical_width(l.get()));
      markers.push_back(l);
    }
    for (size_t i = 0; i < list.items.size(); ++i) {
      auto& it = list.items[i];
      double marker_x = kMarginX + kBodySize;
      for (auto& [d, w] : marker_w)
        if (d < it.depth) marker_x += w + kBodySize * 0.5;
      double x = marker_x + marker_w[it.depth] + kBodySize * 0.5;
      size_t first = items_.size();
      if (auto r = add_text(it.spans, kMincho, kBodySize, x, kContentWidth - (x - kMarginX), 0,
                            0x1A1A1A, 0, i + 1 == list.items.size() ? kBodySize * 0.5 : 0);
          !r)
        return r;
      if (first < items_.size()) {
        auto marker_layout = markers[i];
        DrawFn inner = std::move(items_[first].draw);
        // On the baseline of the item's first line: centred in the line pitch as add_text does.
        double offset = (kBodySize * kLineSpacing - logical_height(marker_layout.get())) / 2;
        items_[first].draw = [inner, marker_layout, marker_x, offset](cairo_t* cr, double y) {
          set_rgb(cr, 0x1A1A1A);
          cairo_move_to(cr, marker_x, y + offset);
          pango_cairo_show_layout(cr, marker_layout.get());
          inner(cr, y);
        };
      }
    }
    return {};
  }


  Result<void> add(const Note& note) {
    static constexpr double kPad = 8;
    where_ = fmt::format("{}の囲み（{}行目）", chapter_where(), note.line);
    for (size_t i = 0; i < note.paragraphs.size(); ++i) {
      size_t first = items_.size();
      if (auto r = add_text(note.paragraphs[i], kGothic, 9.5, kMarginX + 2 * kPad,
                            kContentWidth - 3 * kPad, 0, 0x1A1A1A, 0, 0);
          !r)
        return r;
      for (size_t k = first; k < items_.size(); ++k) {
        double h = items_[k].height;
        bool top = i == 0 && k == first,
             bottom = i + 1 == note.paragraphs.size() && k + 1 == items_.size();
        DrawFn inner = std::move(items_[k].draw);
        double pad_top = top ? kPad : 0, pad_bottom = bottom ? kPad : 0;
        items_[k].height = h + pad_top + pad_bottom;
        items_[k].space_before = top ? kBodySize * 0.5 : 0;
        items_[k].draw = [inner, h, pad_top, pad_bottom](cairo_t* cr, double y) {
          set_rgb(cr, 0xF1F5F9);
          cairo_rectangle(cr, kMarginX, y, kContentWidth, h + pad_top + pad_bottom);
          cairo_fill(cr);
          set_rgb(cr, 0x0B57A4);
          cairo_rectangle(cr, kMarginX, y, 3, h + pad_top + pad_bottom);
          cairo_fill(cr);
          inner(cr, y + pad_top);
        };
      }
      if (!items_.empty()) items_.back().height += bottom_space(i + 1 == note.paragraphs.size());
    }
    return {};
  }
  static double bottom_space(bool last) { return last ? kBodySize * 0.6 : 0; }

  Result<void> add(const CodeBlock& code) {
    Spans spans{Span{.text = code.text, .code = false}};
    size_t first = items_.size();
    where_ = fmt::format("{}のコード（{}行目）", chapter_where(), code.line);
    if (auto r = add_text(spans, kGothic, 9, kMarginX + 8, kContentWidth - 16, 0, 0x1A1A1A, 0, 0);
        !r)
      return r;
    for (size_t k = first; k < items_.size(); ++k) {
      DrawFn inner = std::move(items_[k].draw);
      double h = items_[k].height;
      items_[k].draw = [inner, h](cairo_t* cr, double y) {
        set_rgb(cr, 0xF4F4F4);
        cairo_rectangle(cr, kMarginX, y, kContentWidth, h);
        cairo_fill(cr);
        inner(cr, y);
      };
    }
    if (!items_.empty()) items_.back().height += kBodySize * 0.5;
    return {};
  }

  Result<void> add(const PageBreak&) {
    pending_new_page_ = true;
    return {};
  }

  Result<void> add(const Figure& f) {
    where_ = fmt::format("{}の{}（{}行目）", chapter_where(), f.number, f.line);
    double width = kContentWidth * 0.9, height = width * kChartHeightRatio;
    std::shared_ptr<cairo_surface_t> image;
    if (!f.chart) {
      image.reset(cairo_image_surface_create_from_png(f.image_path.c_str()), cairo_surface_destroy);
      if (cairo_surface_status(image.get()) != CAIRO_STATUS_SUCCESS)
        return fail(Error::invalid(fmt::format("画像を PNG として読めません: {}", f.image_path)));
      double iw = cairo_image_surface_get_width(image.get()),
             ih = cairo_image_surface_get_height(image.get());
      double scale = std::min({width / iw, 400.0 / ih, 0.75});  // at most 96 dpi -> 72 pt
      width = iw * scale;
      height = ih * scale;
    }
    std::string caption = f.number + "　" + f.caption;
    auto cap = layout_.text_layout(caption, kGothic, kSmallSize + 0.5, kContentWidth);
    pango_layout_set_alignment(cap.get(), PANGO_ALIGN_CENTER);
    double cap_h = logical_height(cap.get());
    Item item;
    item.space_before = kBodySize * 0.8;
    item.height = height + 6 + cap_h + kBodySize;
    std::string id = f.id;
    std::optional<ChartSpec> chart = f.chart;
    item.draw = [this, chart, image, width, height, cap, id](cairo_t* cr, double y) {
      dest(cr, id, y);
      double x = kMarginX + (kContentWidth - width) / 2;
      if (chart) {
        draw_chart(cr, *chart, x, y, width, height);
      } else {
        cairo_save(cr);
        cairo_translate(cr, x, y);
        cairo_scale(cr, width / cairo_image_surface_get_width(image.get()),
                    height / cairo_image_surface_get_height(image.get()));
        cairo_set_source_surface(cr, image.get(), 0, 0);
        cairo_paint(cr);
        cairo_restore(cr);
      }
      set_rgb(cr, 0x1A1A1A);
      cairo_move_to(cr, kMarginX, y + height + 6);
      pango_cairo_show_layout(cr, cap.get());
    };
    push(std::move(item));
    return {};
  }

  // A centred caption line in IPAexGothic; `id` (if any) becomes a link destination.
  Item caption_item(const std::string& text, const std::string& id) {
    auto layout = layout_.text_layout(text, kGothic, kSmallSize + 0.5, kContentWidth);
    pango_layout_set_alignment(layout.get(), PANGO_ALIGN_CENTER);
    Item item;
    item.height = logical_height(layout.get()) + 4;
    item.draw = [this, layout, id](cairo_t* cr, double y) {
      if (!id.empty()) dest(cr, id, y);
      set_rgb(cr, 0x1A1A1A);
      cairo_move_to(cr, kMarginX, y);
      pango_cairo_show_layout(cr, layout.get());
    };
    return item;
  }

  // One table row laid out cell by cell; the lines of each cell are kept so that a row taller
  // than the room left on a page can be split between two lines.
  struct RowLayout {
    struct Line {
      PangoLayoutLine* line;
      double top, bottom, baseline, x;
    };
    std::vector<std::shared_ptr<PangoLayout>> cells;
    std::vector<std::vector<Line>> lines;  // per cell
    std::vector<double> widths;
    bool head = false;
    double line_height = 0;  // of the body text, for the widow and orphan minimum
  };
  static constexpr double kCellPad = 4, kCellSize = 9.5;

  // The item that draws lines [from[c], to[c]) of every cell of `row`.
  Item row_slice(std::shared_ptr<const RowLayout> row, std::vector<size_t> from,
                 std::vector<size_t> to, const std::string& where) {
    auto content = [row](const std::vector<size_t>& a, const std::vector<size_t>& b) {
      double h = 0;
      for (size_t c = 0; c < row->lines.size(); ++c)
        if (b[c] > a[c]) h = std::max(h, row->lines[c][b[c] - 1].bottom - row->lines[c][a[c]].top);
      return h;
    };
    Item item;
    item.where = where;
    item.height = content(from, to) + 2 * kCellPad;
    double h = item.height;
    item.draw = [row, from, to, h](cairo_t* cr, double y) {
      double x = kMarginX;
      if (row->head) {
        set_rgb(cr, 0xE3EAF2);
        cairo_rectangle(cr, kMarginX, y, kContentWidth, h);
        cairo_fill(cr);
      }
      set_rgb(cr, 0x8C8C8C);
      cairo_set_line_width(cr, 0.5);
      for (double w : row->widths) {
        cairo_rectangle(cr, x, y, w, h);
        x += w;
      }
      cairo_stroke(cr);
      x = kMarginX;
      set_rgb(cr, 0x1A1A1A);
      for (size_t c = 0; c < row->lines.size(); ++c) {
        auto& lines = row->lines[c];
        if (from[c] < to[c]) {
          double top = lines[from[c]].top;
          for (size_t k = from[c]; k < to[c]; ++k) {
            cairo_move_to(cr, x + kCellPad + lines[k].x, y + kCellPad + lines[k].baseline - top);
            pango_cairo_show_layout_line(cr, lines[k].line);
          }
        }
        x += row->widths[c];
      }
    };
    bool more = false;
    for (size_t c = 0; c < to.size(); ++c) more = more || to[c] - from[c] > 1;
    if (!more || row->head) return item;
    item.min_height = std::min(item.height, 3 * row->line_height + 2 * kCellPad);
    item.split = [this, row, from, to, where, content](
                     double room, bool force) -> std::optional<std::pair<Item, Item>> {
      double limit = room - 2 * kCellPad;
      std::vector<size_t> cut = from;
      for (size_t c = 0; c < row->lines.size(); ++c) {
        auto& lines = row->lines[c];
        while (cut[c] < to[c] && lines[cut[c]].bottom - lines[from[c]].top <= limit + 0.01)
          ++cut[c];
      }
      double first = content(from, cut), rest = content(cut, to);
      if (first <= 0 || rest <= 0) return std::nullopt;
      if (!force && (first < 3 * row->line_height - 0.5 || rest < 2 * row->line_height - 0.5))
        return std::nullopt;
      return std::pair{row_slice(row, from, cut, where), row_slice(row, cut, to, where)};
    };
    return item;
  }

  Result<void> add(const Table& t) {
    size_t columns = t.align.size();
    if (columns == 0) return {};
    static constexpr double kPad = kCellPad, kSize = kCellSize;
    std::vector<double> natural(columns, 2 * kSize), least(columns, 4 * kSize);
    std::vector<std::vector<double>> cells;
    auto measure = [&](const std::vector<Spans>& row, bool head) {
      std::vector<double> sizes;
      for (size_t c = 0; c < columns && c < row.size(); ++c) {
        auto l = layout_.text_layout(plain_text(row[c]), head ? kGothic : kMincho, kSize, 0);
        double w = logical_width(l.get());
        natural[c] = std::max(natural[c], std::min(w, kContentWidth));
        if (head && w <= 6 * kSize + 0.5) least[c] = std::max(least[c], w);
        sizes.push_back(w);
      }
      if (!head) cells.push_back(std::move(sizes));
    };
    for (auto& r : t.header) measure(r, true);
    for (size_t i = 0; i < t.rows.size() && i < 200; ++i)
      measure(t.rows[i], false);  // a sample is enough
    for (size_t c = 0; c < columns; ++c) {
      natural[c] += 2 * kPad;
      least[c] = std::min(least[c] + 2 * kPad, natural[c]);
    }
    std::vector<double> widths =
        table_column_widths(natural, least, cells, kContentWidth, kCellPad, 2);

    std::string table_where = fmt::format("{}の{}", chapter_where(), t.number);
    std::string caption = t.number + "　" + t.caption;
    Item cap_item = caption_item(caption, t.id);
    cap_item.space_before = kBodySize * 0.8;
    cap_item.keep_with_next = true;
    cap_item.where = fmt::format("{}の見出し（{}行目）", table_where, t.line);
    push(std::move(cap_item));

    auto row_item = [&](const std::vector<Spans>& row, bool head,
                        const std::string& where) -> Result<Item> {
      auto layout = std::make_shared<RowLayout>();
      layout->widths = widths;
      layout->head = head;
      for (size_t c = 0; c < columns; ++c) {
        PangoAttrList* attrs = pango_attr_list_new();
        std::vector<Layout::LinkRange> links;
        std::string text = c < row.size() ? layout_.styled(row[c], attrs, links, ids_) : "";
        auto l =
            layout_.text_layout(text, head ? kGothic : kMincho, kSize, widths[c] - 2 * kPad, attrs);
        pango_attr_list_unref(attrs);
        Align a = t.align[c];
        pango_layout_set_alignment(l.get(), head || a == Align::kCenter ? PANGO_ALIGN_CENTER
                                            : a == Align::kRight        ? PANGO_ALIGN_RIGHT
                                                                        : PANGO_ALIGN_LEFT);
        where_ = where;
        if (auto r = check_width(l.get(), widths[c] - 2 * kPad); !r) return fail(r.error());
        std::vector<RowLayout::Line> lines;
        PangoLayoutIter* iter = pango_layout_get_iter(l.get());
        do {
          int y0 = 0, y1 = 0;
          pango_layout_iter_get_line_yrange(iter, &y0, &y1);
          PangoRectangle logical;
          pango_layout_iter_get_line_extents(iter, nullptr, &logical);
          lines.push_back({pango_layout_iter_get_line_readonly(iter), y0 / double(PANGO_SCALE),
                           y1 / double(PANGO_SCALE),
                           pango_layout_iter_get_baseline(iter) / double(PANGO_SCALE),
                           logical.x / double(PANGO_SCALE)});
        } while (pango_layout_iter_next_line(iter));
        pango_layout_iter_free(iter);
        if (!lines.empty())
          layout->line_height = std::max(layout->line_height, lines[0].bottom - lines[0].top);
        layout->lines.push_back(std::move(lines));
        layout->cells.push_back(l);
      }
      std::vector<size_t> from(columns, 0), to;
      for (auto& lines : layout->lines) to.push_back(lines.size());
      return row_slice(layout, from, to, where);
    };
    // What a page continuing the table starts with: "表2-1　見出し（続き）" and the header rows.
    auto header = std::make_shared<std::vector<Item>>();
    header->push_back(caption_item(caption + "（続き）", ""));
    for (auto& r : t.header) {
      auto h = row_item(r, true, fmt::format("{}の見出し行（{}行目）", table_where, t.line));
      if (!h) return fail(h.error());
      header->push_back(*h);
      h->keep_with_next = true;
      push(std::move(*h));
    }
    for (size_t i = 0; i < t.rows.size(); ++i) {
      int line = i < t.row_lines.size() ? t.row_lines[i] : t.line;
      auto item = row_item(t.rows[i], false, fmt::format("{}の行（{}行目）", table_where, line));
      if (!item) return fail(item.error());
      item->repeat = header;
      push(std::move(*item));
    }
    if (!items_.empty()) items_.back().height += kBodySize;
    return {};
  }

  Result<void> add_endnotes() {
    if (doc_.footnotes.empty()) return {};
    Heading h{.level = 1, .number = "", .text = {Span{.text = "注"}}, .id = "notes"};
    if (auto r = add(h); !r) return r;
    for (auto& f : doc_.footnotes) {
      Spans spans{Span{.text = fmt::format("注{}　", f.number)}};
      spans.insert(spans.end(), f.spans.begin(), f.spans.end());
      size_t first = items_.size();
      where_ = fmt::format("注{}", f.number);
      if (auto r = add_text(spans, kMincho, 9.5, kMarginX, kContentWidth, 0, 0x1A1A1A, -2.5 * 9.5, 4);
          !r)
        return r;
      if (first < items_.size()) {
        DrawFn inner = std::move(items_[first].draw);
        std::string id = fmt::format("fn-{}", f.number);
        items_[first].draw = [this, inner, id](cairo_t* cr, double y) {
          dest(cr, id, y);
          inner(cr, y);
        };
      }
    }
    return {};
  }

  // Adds a paragraph as one item per line, so paragraphs break across pages. A line wider than
  // its box (a run that may not be broken) is an error, never text running off the page.
  Result<void> add_text(const Spans& spans, const char* family, double size, double x, double width,
                double first_indent, unsigned colour, double hanging, double space_after) {
    PangoAttrList* attrs = pango_attr_list_new();
    std::vector<Layout::LinkRange> links;
    std::string text = layout_.styled(spans, attrs, links, ids_);
    auto layout =
        layout_.text_layout(text, family, size, width - (hanging < 0 ? -hanging : 0), attrs);
    pango_attr_list_unref(attrs);
    if (first_indent > 0)
      pango_layout_set_indent(layout.get(), static_cast<int>(first_indent * PANGO_SCALE));
    if (hanging < 0) pango_layout_set_indent(layout.get(), static_cast<int>(hanging * PANGO_SCALE));
    if (auto r = check_width(layout.get(), width - (hanging < 0 ? -hanging : 0)); !r) return r;
    double line_height = size * kLineSpacing;
    double x0 = x + (hanging < 0 ? -hanging : 0);
    PangoLayoutIter* iter = pango_layout_get_iter(layout.get());
    do {
      PangoLayoutLine* line = pango_layout_iter_get_line_readonly(iter);
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(iter, nullptr, &logical);
      double line_x = x0 + logical.x / double(PANGO_SCALE);
      // Centre the glyphs in the line pitch: baseline at half the leading plus the ascent.
      int ascent = 0;
      {
        PangoRectangle ink, log;
        pango_layout_line_get_extents(line, &ink, &log);
        ascent = -log.y;
      }
      double log_h = logical.height / double(PANGO_SCALE);
      double baseline = (line_height - log_h) / 2 + ascent / double(PANGO_SCALE);
      std::vector<std::tuple<double, double, std::string>> line_links;
      for (auto& link : links) {
        int s = std::max(link.start, line->start_index),
            e = std::min(link.end, line->start_index + line->length);
        if (s >= e) continue;
        int xs = 0, xe = 0;
        pango_layout_line_index_to_x(line, s, FALSE, &xs);
        pango_layout_line_index_to_x(line, e, FALSE, &xe);
        line_links.emplace_back(line_x + xs / double(PANGO_SCALE), (xe - xs) / double(PANGO_SCALE),
                                link.target);
      }
      Item item;
      item.height = line_height;
      item.where = where_;
      item.draw = [this, layout, line, line_x, baseline, colour, line_links, line_height](
                      cairo_t* cr, double y) {
        set_rgb(cr, colour);
        cairo_move_to(cr, line_x, y + baseline);
        pango_cairo_show_layout_line(cr, line);
        for (auto& [lx, lw, target] : line_links) link(cr, lx, y, lw, line_height, target);
      };
      push(std::move(item));
    } while (pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
    items_.back().height += space_after;
    return {};
  }

  Result<void> check_width(PangoLayout* layout, double width) const {
    PangoRectangle ink, logical;
    pango_layout_get_extents(layout, &ink, &logical);
    double right = std::max(logical.x + logical.width, ink.x + ink.width) / double(PANGO_SCALE);
    if (right > width + 1)
      return fail(Error::invalid(fmt::format(
          "PDF: {}に、幅 {:.0f}pt に収まらない行があります（{:.0f}pt）", where_, width, right)));
    return {};
  }

  void push(Item item) {
    if (item.where.empty()) item.where = where_;
    if (pending_new_page_) {
      item.new_page = true;
      pending_new_page_ = false;
    }
    items_.push_back(std::move(item));
  }

  static double logical_height(PangoLayout* l) {
    int w = 0, h = 0;
    pango_layout_get_size(l, &w, &h);
    return h / double(PANGO_SCALE);
  }
  static double logical_width(PangoLayout* l) {
    int w = 0, h = 0;
    pango_layout_get_size(l, &w, &h);
    return w / double(PANGO_SCALE);
  }

  // --- pagination -----------------------------------------------------------------------------

  // Greedy placement: an item goes on the current page when it and every item it must be kept
  // with fit; a row that starts a page gets its table's header rows first. A table row that does
  // not fit is split at a line boundary (its rest continues under the repeated header on the
  // next page). Whatever fits on no page is an error naming it: no text is ever cut off.
  Result<std::vector<PageOfItems>> paginate(const std::vector<Item>& items) {
    std::vector<PageOfItems> pages(1);
    double y = kTop;
    std::string chapter;
    auto new_page = [&] {
      pages.emplace_back();
      pages.back().chapter = chapter;
      y = kTop;
    };
    auto first_part = [](const Item& it) { return it.split ? it.min_height : it.height; };
    for (size_t i = 0; i < items.size(); ++i) {
      const Item* it = &items[i];
      if (it->new_page && !pages.back().placed.empty()) new_page();
      if (!it->chapter.empty()) {
        chapter = it->chapter;
        if (pages.back().placed.empty()) pages.back().chapter = chapter;
      }
      while (true) {
        bool at_top = pages.back().placed.empty();
        double before = at_top ? 0 : it->space_before;
        // Height of the run this item must be kept with.
        double run = before + first_part(*it);
        for (size_t k = i; k < items.size() && items[k].keep_with_next && k + 1 < items.size() &&
                           run < kBottom - kTop;
             ++k)
          run += items[k + 1].space_before + first_part(items[k + 1]);
        if (!at_top && y + run > kBottom + 0.01) {
          new_page();
          continue;
        }
        double header = 0;
        if (at_top && it->repeat)
          for (auto& h : *it->repeat) header += h.height;
        double room = kBottom - y - before - header;
        const Item* place = nullptr;
        const Item* rest = nullptr;
        if (it->height <= room + 0.01) {
          place = it;
        } else if (it->split) {
          if (auto parts = it->split(room, at_top)) {
            parts->second.repeat = it->repeat;  // the rest starts a page under the header again
            fragments_.push_back(std::move(parts->first));
            place = &fragments_.back();
            fragments_.push_back(std::move(parts->second));
            rest = &fragments_.back();
          }
        }
        if (!place) {
          if (!at_top) {
            new_page();
            continue;
          }
          return fail(Error::invalid(
              fmt::format("PDF: {}が1ページに収まりません（高さ {:.0f}pt、1ページは {:.0f}pt）",
                          it->where, it->height + header, kBottom - kTop)));
        }
        if (at_top && it->repeat) {
          for (auto& h : *it->repeat) {
            pages.back().placed.emplace_back(&h, y);
            y += h.height;
          }
        }
        y += before;
        pages.back().placed.emplace_back(place, y);
        if (it->heading >= 0 && &items == &items_)
          headings_[it->heading].page = static_cast<int>(pages.size());
        y += place->height;
        if (!rest) break;
        it = rest;
        new_page();
      }
    }
    if (pages.size() > 1 && pages.back().placed.empty()) pages.pop_back();
    return pages;
  }

  // The contents: "目次" and one item per chapter and section, `pitch` lines apart.
  std::vector<Item> toc_items(double pitch) {
    std::vector<Item> out;
    auto title = layout_.text_layout("目次", kGothic, 18, kContentWidth);
    Item head;
    head.height = logical_height(title.get()) + 28;
    head.draw = [title](cairo_t* cr, double y) {
      set_rgb(cr, 0x1A1A1A);
      cairo_move_to(cr, kMarginX, y);
      pango_cairo_show_layout(cr, title.get());
      set_rgb(cr, 0x0B57A4);
      cairo_set_line_width(cr, 1.6);
      cairo_move_to(cr, kMarginX, y + 26);
      cairo_line_to(cr, kMarginX + kContentWidth, y + 26);
      cairo_stroke(cr);
    };
    out.push_back(std::move(head));
    for (size_t i = 0; i < headings_.size(); ++i) {
      auto& h = headings_[i];
      if (h.level > 2) continue;
      double indent = h.level == 1 ? 0 : 2 * kBodySize;
      const char* family = h.level == 1 ? kGothic : kMincho;
      auto label = layout_.text_layout(h.label, family, kBodySize, kContentWidth - indent - 40);
      pango_layout_set_ellipsize(label.get(), PANGO_ELLIPSIZE_END);
      Item item;
      item.space_before = h.level == 1 ? 6 : 0;
      item.height = kBodySize * pitch;
      // A chapter's entry stays with its first section's.
      item.keep_with_next =
          h.level == 1 && i + 1 < headings_.size() && headings_[i + 1].level == 2;
      // The page number is read when drawing: pagination of the body has run by then.
      item.draw = [this, i, label, indent, family, pitch](cairo_t* cr, double y) {
        auto& mark = headings_[i];
        auto number = layout_.text_layout(std::to_string(mark.page), family, kBodySize, 0);
        int lw = 0, lh = 0, nw = 0, nh = 0;
        pango_layout_get_size(label.get(), &lw, &lh);
        pango_layout_get_size(number.get(), &nw, &nh);
        double ty = y + (kBodySize * pitch - lh / double(PANGO_SCALE)) / 2;
        set_rgb(cr, 0x1A1A1A);
        cairo_move_to(cr, kMarginX + indent, ty);
        pango_cairo_show_layout(cr, label.get());
        double nx = kMarginX + kContentWidth - nw / double(PANGO_SCALE);
        cairo_move_to(cr, nx, ty);
        pango_cairo_show_layout(cr, number.get());
        // Dot leader between the label and the number.
        double from = kMarginX + indent + lw / double(PANGO_SCALE) + 6, to = nx - 6;
        if (to > from) {
          set_rgb(cr, 0x8C8C8C);
          cairo_set_line_width(cr, 0.8);
          double dash[] = {0.8, 3};
          cairo_set_dash(cr, dash, 2, 0);
          double base = ty + lh / double(PANGO_SCALE) * 0.75;
          cairo_move_to(cr, from, base);
          cairo_line_to(cr, to, base);
          cairo_stroke(cr);
          cairo_set_dash(cr, nullptr, 0, 0);
        }
        link(cr, kMarginX + indent, y, kContentWidth - indent, kBodySize * pitch, mark.id);
      };
      out.push_back(std::move(item));
    }
    return out;
  }

  // --- drawing --------------------------------------------------------------------------------

  void dest(cairo_t* cr, const std::string& id, double y) {
    double x = kMarginX;
    cairo_user_to_device(cr, &x, &y);
    std::string attrs =
        fmt::format("name='{}' x={:.2f} y={:.2f}", tag_string(id), x, std::max(0.0, y - 12));
    cairo_tag_begin(cr, CAIRO_TAG_DEST, attrs.c_str());
    cairo_tag_end(cr, CAIRO_TAG_DEST);
  }

  void link(cairo_t* cr, double x, double y, double w, double h, const std::string& target) {
    std::string attrs =
        fmt::format("rect=[{:.2f} {:.2f} {:.2f} {:.2f}] dest='{}'", x, y, w, h, tag_string(target));
    cairo_tag_begin(cr, CAIRO_TAG_LINK, attrs.c_str());
    cairo_tag_end(cr, CAIRO_TAG_LINK);
  }

  void draw_header_footer(cairo_t* cr, const std::string& chapter, const std::string& number) {
    if (!doc_.meta.title.empty() || !chapter.empty()) {
      auto left = layout_.text_layout(doc_.meta.title, kGothic, 8, kContentWidth / 2 - 6);
      pango_layout_set_ellipsize(left.get(), PANGO_ELLIPSIZE_END);
      auto right = layout_.text_layout(chapter, kGothic, 8, kContentWidth / 2 - 6);
      pango_layout_set_ellipsize(right.get(), PANGO_ELLIPSIZE_END);
      pango_layout_set_alignment(right.get(), PANGO_ALIGN_RIGHT);
      set_rgb(cr, 0x595959);
      cairo_move_to(cr, kMarginX, 48);
      pango_cairo_show_layout(cr, left.get());
      cairo_move_to(cr, kMarginX + kContentWidth / 2 + 6, 48);
      pango_cairo_show_layout(cr, right.get());
      set_rgb(cr, 0xBFBFBF);
      cairo_set_line_width(cr, 0.5);
      cairo_move_to(cr, kMarginX, 62);
      cairo_line_to(cr, kMarginX + kContentWidth, 62);
      cairo_stroke(cr);
    }
    auto page = layout_.text_layout(number, kMincho, 9, kContentWidth);
    pango_layout_set_alignment(page.get(), PANGO_ALIGN_CENTER);
    set_rgb(cr, 0x333333);
    cairo_move_to(cr, kMarginX, kPageHeight - 48);
    pango_cairo_show_layout(cr, page.get());
  }

  void draw_cover(cairo_t* cr) {
    auto& m = doc_.meta;
    double y = kPageHeight * 0.3;
    set_rgb(cr, 0x0B57A4);
    cairo_rectangle(cr, kMarginX, y - 24, kContentWidth, 3);
    cairo_fill(cr);
    // Title and subtitle break between words only, into lines as even as possible.
    auto even = [](const std::string& text, const char* font) {
      std::string out;
      for (auto& line : balanced_title_lines(text, font, kContentWidth))
        out += (out.empty() ? "" : "\u2028") + line;
      return out;
    };
    auto title = layout_.text_layout(even(m.title.empty() ? "（無題）" : m.title, "IPAexGothic 24"),
                                     kGothic, 24, kContentWidth);
    pango_layout_set_alignment(title.get(), PANGO_ALIGN_CENTER);
    set_rgb(cr, 0x1A1A1A);
    cairo_move_to(cr, kMarginX, y);
    pango_cairo_show_layout(cr, title.get());
    y += logical_height(title.get()) + 18;
    if (!m.subtitle.empty()) {
      auto sub = layout_.text_layout(even(m.subtitle, "IPAexGothic 14"), kGothic, 14, kContentWidth);
      pango_layout_set_alignment(sub.get(), PANGO_ALIGN_CENTER);
      cairo_move_to(cr, kMarginX, y);
      pango_cairo_show_layout(cr, sub.get());
      y += logical_height(sub.get());
    }
    set_rgb(cr, 0x0B57A4);
    cairo_rectangle(cr, kMarginX, y + 20, kContentWidth, 1);
    cairo_fill(cr);
    std::string foot = m.date;
    if (!m.issuer.empty()) foot += (foot.empty() ? "" : "\n") + m.issuer;
    if (!foot.empty()) {
      auto f = layout_.text_layout(foot, kGothic, 14, kContentWidth);
      pango_layout_set_alignment(f.get(), PANGO_ALIGN_CENTER);
      pango_layout_set_spacing(f.get(), 10 * PANGO_SCALE);
      set_rgb(cr, 0x1A1A1A);
      cairo_move_to(cr, kMarginX, kPageHeight * 0.72);
      pango_cairo_show_layout(cr, f.get());
    }
  }

  static std::string roman(int n) {
    static const char* kRoman[] = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"};
    return n >= 1 && n <= 10 ? kRoman[n - 1] : std::to_string(n);
  }

  Result<std::string> draw(const std::vector<PageOfItems>& body,
                           const std::vector<PageOfItems>& toc) {
    std::string out;
    cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(
        [](void* closure, const unsigned char* data, unsigned int length) {
          static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
          return CAIRO_STATUS_SUCCESS;
        },
        &out, kPageWidth, kPageHeight);
    cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, "");
    cairo_t* cr = cairo_create(surface);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);

    cairo_pdf_surface_set_page_label(surface, "表紙");
    draw_cover(cr);
    cairo_show_page(cr);
    for (size_t p = 0; p < toc.size(); ++p) {
      cairo_pdf_surface_set_page_label(surface, roman(int(p) + 1).c_str());
      for (auto& [item, y] : toc[p].placed) item->draw(cr, y);
      draw_header_footer(cr, "目次", roman(int(p) + 1));
      cairo_show_page(cr);
    }
    for (size_t p = 0; p < body.size(); ++p) {
      std::string number = std::to_string(p + 1);
      cairo_pdf_surface_set_page_label(surface, number.c_str());
      for (auto& [item, y] : body[p].placed) item->draw(cr, y);
      draw_header_footer(cr, body[p].chapter, number);
      cairo_show_page(cr);
    }
    // Outline: chapters at the root, sections and subsections below their parent.
    int parents[4] = {CAIRO_PDF_OUTLINE_ROOT, 0, 0, 0};
    int toc_id = cairo_pdf_surface_add_outline(surface, CAIRO_PDF_OUTLINE_ROOT, "目次", "page=2",
                                               CAIRO_PDF_OUTLINE_FLAG_OPEN);
    (void)toc_id;
    for (auto& h : headings_) {
      int level = std::min(h.level, 3);
      int parent = level == 1 ? CAIRO_PDF_OUTLINE_ROOT : parents[level - 1];
      std::string attrs = fmt::format("dest='{}'", tag_string(h.id));
      int id = cairo_pdf_surface_add_outline(
          surface, parent, h.label.c_str(), attrs.c_str(),
          level == 1 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : cairo_pdf_outline_flags_t(0));
      parents[level] = id;
      for (int l = level + 1; l < 4; ++l) parents[l] = id;
    }
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_status_t status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS)
      return fail(Error::internal(
          fmt::format("PDF を書き出せませんでした: {}", cairo_status_to_string(status))));
    return finish_pdf(out, doc_.meta);
  }

  const Document& doc_;
  Layout layout_;
  std::vector<Item> items_;
  std::deque<Item> fragments_;  // parts of split items (stable addresses for the pages)
  std::string chapter_label_;   // the chapter being added, for errors
  std::string where_;           // the block being added, for errors
  std::vector<HeadingMark> headings_;
  std::set<std::string> ids_;
  bool pending_new_page_ = false;
};

}  // namespace

Result<std::string> render_pdf(const Document& doc) { return PdfBuilder(doc).build(); }

}  // namespace kakehashi::docs
