#include "events/render.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "base/text.h"
#include "docs/pdf.h"

namespace kakehashi::events {
namespace {

constexpr double kMm = 72.0 / 25.4;
constexpr double kA4Width = 210 * kMm;
constexpr double kA4Height = 297 * kMm;

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// Text at (x, y) within `width`, `points` high, bold or not; returns its height.
double text(cairo_t* cr, const std::string& s, double x, double y, double width, double points, bool bold = false,
            bool center = false) {
  PangoLayout* layout = pango_cairo_create_layout(cr);
  PangoFontDescription* font = pango_font_description_from_string("IPAexGothic");
  pango_font_description_set_absolute_size(font, points * PANGO_SCALE);
  if (bold) pango_font_description_set_weight(font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description(layout, font);
  pango_layout_set_width(layout, int(width * PANGO_SCALE));
  pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_height(layout, -2);  // at most two lines
  if (center) pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
  pango_layout_set_text(layout, s.c_str(), -1);
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, layout);
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  pango_font_description_free(font);
  g_object_unref(layout);
  return double(h) / PANGO_SCALE;
}

void draw_qr(cairo_t* cr, const QrMatrix& qr, double x, double y, double side) {
  double module = side / (qr.size + 8);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, x, y, side, side);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int r = 0; r < qr.size; ++r) {
    for (int c = 0; c < qr.size; ++c) {
      if (qr.dark[std::size_t(r * qr.size + c)]) cairo_rectangle(cr, x + (c + 4) * module, y + (r + 4) * module, module, module);
    }
  }
  cairo_fill(cr);
}

struct Pdf {
  std::string bytes;
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  Pdf() {
    surface = cairo_pdf_surface_create_for_stream(append, &bytes, kA4Width, kA4Height);
    cr = cairo_create(surface);
  }
  Result<std::string> finish(const std::string& title) {
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_status_t status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    cr = nullptr;
    surface = nullptr;
    if (status != CAIRO_STATUS_SUCCESS) return fail(Error::internal(std::string("cairo: ") + cairo_status_to_string(status)));
    return docs::finish_pdf(bytes, {title, "", "未来の教室 産学連携事業 事務局", ""});
  }
  ~Pdf() {
    if (cr) cairo_destroy(cr);
    if (surface) cairo_surface_destroy(surface);
  }
};

}  // namespace

Result<QrMatrix> qr_matrix(const std::string& content) {
  std::unique_ptr<QRcode, void (*)(QRcode*)> code(QRcode_encodeString8bit(content.c_str(), 0, QR_ECLEVEL_M), QRcode_free);
  if (!code) return fail(Error::internal("qrencode: the text could not be encoded"));
  QrMatrix out;
  out.size = code->width;
  out.dark.resize(std::size_t(out.size * out.size));
  for (int i = 0; i < out.size * out.size; ++i) out.dark[std::size_t(i)] = (code->data[i] & 1) != 0;
  return out;
}

Result<std::string> qr_svg(const std::string& content, int pixels, const std::string& label) {
  auto qr = qr_matrix(content);
  if (!qr) return fail(qr.error());
  int side = qr->size + 8;
  std::string path;
  for (int r = 0; r < qr->size; ++r) {
    for (int c = 0; c < qr->size; ++c) {
      if (qr->dark[std::size_t(r * qr->size + c)]) path += fmt::format("M{} {}h1v1h-1z", c + 4, r + 4);
    }
  }
  return fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" class="qr" width="{0}" height="{0}" viewBox="0 0 {1} {1}" role="img" aria-label="{2}" shape-rendering="crispEdges"><rect width="{1}" height="{1}" fill="#fff"/><path d="{3}" fill="#000"/></svg>)",
      pixels, side, text::xml_escape(label), path);
}

Result<std::string> badges_pdf(const Event& event, const std::vector<Badge>& badges) {
  Pdf pdf;
  constexpr double kBadgeW = 91 * kMm, kBadgeH = 55 * kMm;
  const double left = (kA4Width - 2 * kBadgeW) / 2, top = (kA4Height - 5 * kBadgeH) / 2;
  for (std::size_t i = 0; i < badges.size(); ++i) {
    if (i > 0 && i % 10 == 0) cairo_show_page(pdf.cr);
    const Badge& b = badges[i];
    double x = left + double(i % 2) * kBadgeW, y = top + double((i % 10) / 2) * kBadgeH;
    cairo_set_source_rgb(pdf.cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(pdf.cr, 0.5);
    cairo_rectangle(pdf.cr, x, y, kBadgeW, kBadgeH);
    cairo_stroke(pdf.cr);
    cairo_set_source_rgb(pdf.cr, 0.1, 0.1, 0.1);
    text(pdf.cr, event.title, x + 5 * kMm, y + 4 * kMm, kBadgeW - 10 * kMm, 7);
    double qr_side = 26 * kMm;
    text(pdf.cr, b.name, x + 5 * kMm, y + 16 * kMm, kBadgeW - qr_side - 12 * kMm, 16, true);
    text(pdf.cr, b.organisation, x + 5 * kMm, y + 29 * kMm, kBadgeW - qr_side - 12 * kMm, 9);
    text(pdf.cr, b.kind, x + 5 * kMm, y + 42 * kMm, kBadgeW - qr_side - 12 * kMm, 8);
    auto qr = qr_matrix(b.receipt);
    if (!qr) return fail(qr.error());
    draw_qr(pdf.cr, *qr, x + kBadgeW - qr_side - 4 * kMm, y + 13 * kMm, qr_side);
    cairo_set_source_rgb(pdf.cr, 0.1, 0.1, 0.1);
    text(pdf.cr, b.receipt, x + kBadgeW - qr_side - 4 * kMm, y + 40 * kMm, qr_side, 7, false, true);
  }
  if (badges.empty()) text(pdf.cr, "参加確定者がいません。", 20 * kMm, 20 * kMm, 170 * kMm, 12);
  return pdf.finish("名札（" + event.title + "）");
}

Result<std::string> agenda_pdf(const Event& event, const std::string& person, const std::vector<AgendaLine>& lines) {
  Pdf pdf;
  double x = 20 * kMm, w = 170 * kMm, y = 20 * kMm;
  cairo_set_source_rgb(pdf.cr, 0, 0, 0);
  y += text(pdf.cr, event.title, x, y, w, 11) + 2 * kMm;
  y += text(pdf.cr, "面談スケジュール：" + person, x, y, w, 16, true) + 6 * kMm;
  if (lines.empty()) text(pdf.cr, "予定されている面談はありません。", x, y, w, 11);
  text(pdf.cr, "時間", x, y, 40 * kMm, 10, true);
  text(pdf.cr, "テーブル", x + 42 * kMm, y, 25 * kMm, 10, true);
  text(pdf.cr, "面談の相手", x + 70 * kMm, y, 100 * kMm, 10, true);
  y += 8 * kMm;
  for (const auto& line : lines) {
    cairo_set_source_rgb(pdf.cr, 0.7, 0.7, 0.7);
    cairo_move_to(pdf.cr, x, y - 1.5 * kMm);
    cairo_line_to(pdf.cr, x + w, y - 1.5 * kMm);
    cairo_set_line_width(pdf.cr, 0.5);
    cairo_stroke(pdf.cr);
    cairo_set_source_rgb(pdf.cr, 0, 0, 0);
    text(pdf.cr, line.time, x, y, 40 * kMm, 11);
    text(pdf.cr, fmt::format("{} 番", line.table), x + 42 * kMm, y, 25 * kMm, 11);
    double h = text(pdf.cr, line.partner + "（" + line.partner_kind + "）", x + 70 * kMm, y, 100 * kMm, 11);
    y += std::max(10 * kMm, h + 3 * kMm);
    if (y > kA4Height - 20 * kMm) {
      cairo_show_page(pdf.cr);
      y = 20 * kMm;
    }
  }
  return pdf.finish("面談スケジュール（" + event.title + "）");
}

Result<std::string> table_plan_pdf(const Event& event, const std::vector<PlanSlot>& slots) {
  Pdf pdf;
  double x = 20 * kMm, w = 170 * kMm;
  for (std::size_t i = 0; i < slots.size(); ++i) {
    if (i > 0) cairo_show_page(pdf.cr);
    double y = 20 * kMm;
    cairo_set_source_rgb(pdf.cr, 0, 0, 0);
    y += text(pdf.cr, event.title + "　テーブル配置", x, y, w, 11) + 2 * kMm;
    y += text(pdf.cr, slots[i].time, x, y, w, 20, true) + 6 * kMm;
    for (const auto& [table, pair] : slots[i].tables) {
      text(pdf.cr, fmt::format("{} 番", table), x, y, 25 * kMm, 12, true);
      double h = text(pdf.cr, pair, x + 25 * kMm, y, w - 25 * kMm, 12);
      y += std::max(9 * kMm, h + 3 * kMm);
      if (y > kA4Height - 20 * kMm) {
        cairo_show_page(pdf.cr);
        y = 20 * kMm;
      }
    }
    if (slots[i].tables.empty()) text(pdf.cr, "この時間枠の面談はありません。", x, y, w, 12);
  }
  if (slots.empty()) text(pdf.cr, "時間枠が設定されていません。", x, 20 * kMm, w, 12);
  return pdf.finish("テーブル配置（" + event.title + "）");
}

}  // namespace kakehashi::events
