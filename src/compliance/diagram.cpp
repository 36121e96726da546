#include "compliance/diagram.h"

#include <cairo-pdf.h>
#include <fmt/format.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <map>

#include "docs/pdf.h"

namespace kakehashi::compliance {
namespace {

std::string xml(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

struct Box {
  std::string heading;
  std::vector<std::string> lines;
  double x = 0, y = 0, width = 0, height = 0;
};

struct Layout {
  std::string title;
  Box responsible, managers;
  std::vector<Box> bottom;  // 業務従事者, then one per subcontractor
  double width = 0, height = 0;
};

constexpr double kFont = 14, kLine = 20, kPad = 10, kMinWidth = 230, kGap = 30, kRowGap = 50;

// Text width at kFont: full-width characters 1 em, others 0.55 em (as docs/chart.h estimates).
double text_width(std::string_view s, double size) {
  double em = 0;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    em += n >= 3 ? 1.0 : 0.55;
    i += n;
  }
  return em * size;
}

std::string label_of(const Person& p) {
  std::string text = p.name;
  std::string where = p.department + (p.title.empty() ? "" : (p.department.empty() ? "" : " ") + p.title);
  if (!where.empty()) text += "（" + where + "）";
  return text;
}

void size(Box& box, double min_width) {
  double widest = text_width(box.heading, kFont);
  for (const auto& line : box.lines) widest = std::max(widest, text_width(line, kFont));
  box.width = std::max(min_width, widest + kPad * 2 + 4);
  box.height = kPad * 2 + kLine * double(1 + std::max<std::size_t>(1, box.lines.size()));
}

Layout layout(const std::vector<Person>& approved) {
  Layout l;
  l.responsible.heading = "情報管理責任者";
  l.managers.heading = "情報取扱管理者";
  Box staff{"業務従事者", {}};
  std::map<std::string, Box> subcontractors;
  std::string contractor;
  for (const Person& p : approved) {
    if (!p.active) continue;
    switch (p.category) {
      case Category::kResponsible: l.responsible.lines.push_back(label_of(p)); break;
      case Category::kManager: l.managers.lines.push_back(label_of(p)); break;
      case Category::kStaff: staff.lines.push_back(label_of(p)); break;
      case Category::kSubcontractor: {
        Box& box = subcontractors[p.organisation];
        box.heading = "再委託先: " + p.organisation;
        box.lines.push_back(label_of(p));
        break;
      }
    }
    if (p.category != Category::kSubcontractor && contractor.empty()) contractor = p.organisation;
  }
  l.title = contractor.empty() ? "情報管理体制図" : "情報管理体制図（" + contractor + "）";
  l.bottom.push_back(std::move(staff));
  for (auto& [name, box] : subcontractors) l.bottom.push_back(std::move(box));
  size(l.responsible, kMinWidth + 60);
  size(l.managers, kMinWidth + 60);
  for (Box& box : l.bottom) size(box, kMinWidth);
  double total = 0;
  for (const Box& box : l.bottom) total += box.width;
  total += kGap * double(l.bottom.size() - 1);
  l.width = std::max({total, l.responsible.width, l.managers.width, text_width(l.title, 18)}) + 40;
  double top = 60;
  l.responsible.x = (l.width - l.responsible.width) / 2;
  l.responsible.y = top;
  l.managers.x = (l.width - l.managers.width) / 2;
  l.managers.y = l.responsible.y + l.responsible.height + kRowGap;
  double x = (l.width - total) / 2, y = l.managers.y + l.managers.height + kRowGap, tallest = 0;
  for (Box& box : l.bottom) {
    box.x = x;
    box.y = y;
    x += box.width + kGap;
    tallest = std::max(tallest, box.height);
  }
  l.height = y + tallest + 30;
  return l;
}

// The line of responsibility from the middle of `from`'s bottom to the middle of `to`'s top.
struct Path {
  double x1, y1, mid, x2, y2;
};
Path connect(const Box& from, const Box& to) {
  double x1 = from.x + from.width / 2, y1 = from.y + from.height, x2 = to.x + to.width / 2, y2 = to.y;
  return {x1, y1, (y1 + y2) / 2, x2, y2};
}

std::string svg_box(const Box& box) {
  std::string out = fmt::format(
      R"(<g><rect x="{:.0f}" y="{:.0f}" width="{:.0f}" height="{:.0f}" rx="6" fill="#ffffff" stroke="#1a1a1c" stroke-width="1.5"/>)",
      box.x, box.y, box.width, box.height);
  out += fmt::format(R"(<text x="{:.0f}" y="{:.0f}" font-weight="bold">{}</text>)", box.x + kPad, box.y + kPad + 14,
                     xml(box.heading));
  double y = box.y + kPad + 14 + kLine;
  if (box.lines.empty()) out += fmt::format(R"(<text x="{:.0f}" y="{:.0f}">（なし）</text>)", box.x + kPad, y);
  for (const auto& line : box.lines) {
    out += fmt::format(R"(<text x="{:.0f}" y="{:.0f}">{}</text>)", box.x + kPad, y, xml(line));
    y += kLine;
  }
  return out + "</g>";
}

std::string svg_path(const Path& p) {
  return fmt::format(R"(<path d="M{:.0f} {:.0f} V{:.0f} H{:.0f} V{:.0f}" fill="none" stroke="#1a1a1c" stroke-width="1.5"/>)",
                     p.x1, p.y1, p.mid, p.x2, p.y2);
}

class PdfText {
 public:
  explicit PdfText(cairo_t* cr) : cr_(cr) {
    context_ = pango_cairo_create_context(cr_);
    pango_cairo_context_set_resolution(context_, 72);
    font_ = pango_font_description_from_string("IPAexGothic");
  }
  ~PdfText() {
    g_object_unref(context_);
    pango_font_description_free(font_);
  }
  PdfText(const PdfText&) = delete;
  PdfText& operator=(const PdfText&) = delete;
  // `baseline_y` as in the SVG: the text's baseline.
  void show(double x, double baseline_y, std::string_view s, double size, bool bold) {
    PangoLayout* layout = pango_layout_new(context_);
    pango_font_description_set_absolute_size(font_, size * PANGO_SCALE);
    pango_font_description_set_weight(font_, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout, font_);
    pango_layout_set_text(layout, s.data(), static_cast<int>(s.size()));
    double baseline = pango_layout_get_baseline(layout) / double(PANGO_SCALE);
    cairo_move_to(cr_, x, baseline_y - baseline);
    pango_cairo_show_layout(cr_, layout);
    g_object_unref(layout);
  }

 private:
  cairo_t* cr_;
  PangoContext* context_ = nullptr;
  PangoFontDescription* font_ = nullptr;
};

cairo_status_t collect(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

std::string structure_svg(const std::vector<Person>& approved) {
  Layout l = layout(approved);
  std::string out = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {:.0f} {:.0f}" width="{:.0f}" height="{:.0f}" role="img" aria-labelledby="structure-title" font-family="IPAexGothic, sans-serif" font-size="14" fill="#1a1a1c">)",
      l.width, l.height, l.width, l.height);
  out += fmt::format(R"(<title id="structure-title">{}</title>)", xml(l.title));
  out += fmt::format(R"(<text x="20" y="32" font-size="18" font-weight="bold">{}</text>)", xml(l.title));
  out += svg_path(connect(l.responsible, l.managers));
  for (const Box& box : l.bottom) out += svg_path(connect(l.managers, box));
  out += svg_box(l.responsible) + svg_box(l.managers);
  for (const Box& box : l.bottom) out += svg_box(box);
  return out + "</svg>";
}

Result<std::string> structure_pdf(const std::vector<Person>& approved, const std::string& caption) {
  Layout l = layout(approved);
  constexpr double kPageWidth = 841.89, kPageHeight = 595.28, kMargin = 36;  // A4 landscape, points
  std::string bytes;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(collect, &bytes, kPageWidth, kPageHeight);
  cairo_t* cr = cairo_create(surface);
  {
    PdfText text(cr);
    text.show(kMargin, kMargin + 18, l.title, 18, true);
    if (!caption.empty()) text.show(kMargin, kMargin + 40, caption, 11, false);
    double top = kMargin + 40;  // the layout's own title band (60 units) is replaced by the page's
    double scale = std::min({1.0, (kPageWidth - 2 * kMargin) / l.width, (kPageHeight - top - kMargin) / (l.height - 50)});
    cairo_translate(cr, (kPageWidth - l.width * scale) / 2, top - 50 * scale);
    cairo_scale(cr, scale, scale);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.11);
    cairo_set_line_width(cr, 1.5);
    auto path = [&](const Path& p) {
      cairo_move_to(cr, p.x1, p.y1);
      cairo_line_to(cr, p.x1, p.mid);
      cairo_line_to(cr, p.x2, p.mid);
      cairo_line_to(cr, p.x2, p.y2);
      cairo_stroke(cr);
    };
    path(connect(l.responsible, l.managers));
    for (const Box& box : l.bottom) path(connect(l.managers, box));
    auto draw = [&](const Box& box) {
      cairo_set_source_rgb(cr, 1, 1, 1);
      cairo_rectangle(cr, box.x, box.y, box.width, box.height);
      cairo_fill_preserve(cr);
      cairo_set_source_rgb(cr, 0.1, 0.1, 0.11);
      cairo_stroke(cr);
      text.show(box.x + kPad, box.y + kPad + 14, box.heading, kFont, true);
      double y = box.y + kPad + 14 + kLine;
      if (box.lines.empty()) text.show(box.x + kPad, y, "（なし）", kFont, false);
      for (const auto& line : box.lines) {
        text.show(box.x + kPad, y, line, kFont, false);
        y += kLine;
      }
    };
    draw(l.responsible);
    draw(l.managers);
    for (const Box& box : l.bottom) draw(box);
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) return fail(Error::internal("情報管理体制図の PDF を作成できませんでした"));
  return docs::finish_pdf(bytes, {.title = l.title, .issuer = "架け橋事務局"});
}

}  // namespace kakehashi::compliance
