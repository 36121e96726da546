#include "docs/docx.h"

#include <cairo.h>
#include <fmt/format.h>
#include <zip.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "docs/chart.h"
#include "docs/linebreak.h"
#include "docs/xml_text.h"
#include "docs/zip.h"

namespace kakehashi::docs {
namespace {

// A4 portrait in twentieths of a point; margins 30 mm top/bottom, 25 mm left/right.
constexpr int kPageW = 11906, kPageH = 16838;
constexpr int kMarginTop = 1701, kMarginBottom = 1701, kMarginSide = 1417;
constexpr int kTextW = kPageW - 2 * kMarginSide;
constexpr int kTextH = kPageH - kMarginTop - kMarginBottom;
constexpr double kBodyPt = 10.5;
// Every zip entry gets this modification time so the bytes do not depend on the clock.
constexpr double kChartW = 480, kChartH = 300, kChartScale = 2;  // PNG at 2 px per unit (~170 dpi)
constexpr long kEmuPerPt = 12700;

constexpr const char* kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr const char* kR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

double text_units(std::string_view s) { return estimated_width(s, 1, 0.5); }  // full-width chars

// Table text is 9.5 pt: a full-width character is 190 twentieths of a point; cells have 85 on
// each side.
constexpr double kTableChar = 190;
constexpr double kTableCharsPerLine = kTextW / kTableChar;

// Column widths of `t` in table characters (summing to kTableCharsPerLine).
std::vector<double> docx_column_chars(const Table& t) {
  size_t columns = t.align.size();
  constexpr double kPad = 85 / kTableChar;
  std::vector<double> natural(columns, 2), least(columns, 4);
  std::vector<std::vector<double>> cells;
  for (auto& r : t.header)
    for (size_t c = 0; c < columns && c < r.size(); ++c) {
      double w = text_units(plain_text(r[c]));
      natural[c] = std::max(natural[c], w);
      if (w <= 6) least[c] = std::max(least[c], w);
    }
  for (size_t i = 0; i < t.rows.size() && i < 200; ++i) {
    std::vector<double> sizes;
    for (size_t c = 0; c < columns && c < t.rows[i].size(); ++c) {
      double w = text_units(plain_text(t.rows[i][c]));
      natural[c] = std::max(natural[c], std::min(w, kTableCharsPerLine));
      sizes.push_back(w);
    }
    cells.push_back(std::move(sizes));
  }
  for (size_t c = 0; c < columns; ++c) {
    natural[c] += 2 * kPad;
    least[c] = std::min(least[c] + 2 * kPad, natural[c]);
  }
  return table_column_widths(natural, least, cells, kTableCharsPerLine, kPad, 0.25);
}

std::string bookmark(std::string_view id) {  // Word bookmark names: letters, digits, underscore
  std::string out;
  for (char c : id) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

struct Media {
  std::string name;  // media/image1.png
  std::string bytes;
};

class DocxWriter {
 public:
  DocxWriter(const Document& doc, const DocxOptions& options) : doc_(doc), options_(options) {}

  Result<DocxResult> write() {
    for (auto& b : doc_.blocks) {
      if (auto* h = std::get_if<Heading>(&b)) ids_.insert(h->id);
      if (auto* f = std::get_if<Figure>(&b)) ids_.insert(f->id);
      if (auto* t = std::get_if<Table>(&b)) ids_.insert(t->id);
    }
    cover();
    toc();
    for (auto& b : doc_.blocks) {
      if (auto r = std::visit([&](auto& block) { return add(block); }, b); !r)
        return fail(r.error());
    }
    body_ += section();
    std::map<std::string, std::string> parts;
    parts["[Content_Types].xml"] = content_types();
    parts["_rels/.rels"] = package_rels();
    parts["docProps/core.xml"] = core();
    parts["docProps/app.xml"] = app();
    parts["word/document.xml"] = fmt::format(
        R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
        "\n"
        R"(<w:document xmlns:w="{}" xmlns:r="{}" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>{}</w:body></w:document>)",
        kW, kR, body_);
    parts["word/_rels/document.xml.rels"] = document_rels();
    parts["word/styles.xml"] = styles();
    parts["word/settings.xml"] = settings();
    parts["word/fontTable.xml"] = font_table();
    parts["word/footnotes.xml"] = footnotes();
    parts["word/footer1.xml"] = footer();
    for (auto& m : media_) parts["word/" + m.name] = m.bytes;
    auto zip = pack(parts);
    if (!zip) return fail(zip.error());
    int cpl = options_.chars_per_line > 0 ? options_.chars_per_line : 40;
    int lpp = options_.lines_per_page > 0 ? options_.lines_per_page : 36;
    return DocxResult{std::move(*zip), estimate_pages(doc_, cpl, lpp)};
  }

 private:
  // --- runs and paragraphs --------------------------------------------------------------------

  static std::string run(std::string_view text, std::string_view rpr = "") {
    std::string out = "<w:r>";
    if (!rpr.empty()) out += fmt::format("<w:rPr>{}</w:rPr>", rpr);
    out += fmt::format(R"(<w:t xml:space="preserve">{}</w:t></w:r>)", xml_escape(text));
    return out;
  }

  std::string runs(const Spans& spans) {
    std::string out;
    for (auto& s : spans) {
      if (s.line_break) {
        out += "<w:r><w:br/></w:r>";
        continue;
      }
      if (s.footnote > 0) {
        out += fmt::format(
            R"(<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{}"/></w:r>)",
            s.footnote);
        continue;
      }
      std::string rpr;
      if (s.strong || s.emphasis || s.code)
        rpr += R"(<w:rFonts w:ascii="IPAexゴシック" w:eastAsia="IPAexゴシック" w:hAnsi="IPAexゴシック"/>)";
      if (s.strong) rpr += "<w:b/>";
      if (s.emphasis) rpr += R"(<w:em w:val="dot"/>)";
      if (s.code) rpr += R"(<w:shd w:val="clear" w:color="auto" w:fill="EEEEEE"/>)";
      std::string text = s.text;
      bool internal = s.link.starts_with("#") && ids_.contains(s.link.substr(1));
      if (!s.link.empty() && !s.link.starts_with("#") && s.text != s.link)
        text += "（" + s.link + "）";
      if (internal) {
        out += fmt::format(R"(<w:hyperlink w:anchor="{}" w:history="1">{}</w:hyperlink>)",
                           bookmark(s.link.substr(1)),
                           run(text, R"(<w:rStyle w:val="Hyperlink"/>)" + rpr));
      } else {
        out += run(text, rpr);
      }
    }
    return out;
  }

  void paragraph(std::string_view style, const std::string& content,
                 std::string_view extra_ppr = "") {
    body_ += "<w:p>";
    if (!style.empty() || !extra_ppr.empty()) {
      body_ += "<w:pPr>";
      if (!style.empty()) body_ += fmt::format(R"(<w:pStyle w:val="{}"/>)", style);
      body_ += extra_ppr;
      body_ += "</w:pPr>";
    }
    body_ += content + "</w:p>";
  }

  void cover() {
    auto& m = doc_.meta;
    // The title and subtitle break between words only (Word would break "推進事業" anywhere):
    // lines as even as possible, at 95 % of the type width so Word's metrics never re-break.
    auto even = [](const std::string& text, const char* font) {
      std::string out;
      for (auto& line : balanced_title_lines(text, font, kTextW / 20.0 * 0.95))
        out += (out.empty() ? "" : "<w:r><w:br/></w:r>") + run(line);
      return out;
    };
    paragraph("Title", even(m.title, "IPAexGothic 22"), R"(<w:spacing w:before="4000"/>)");
    if (!m.subtitle.empty()) paragraph("Subtitle", even(m.subtitle, "IPAexGothic 14"));
    if (!m.date.empty()) paragraph("CoverInfo", run(m.date), R"(<w:spacing w:before="3000"/>)");
    if (!m.issuer.empty()) paragraph("CoverInfo", run(m.issuer));
    body_ += R"(<w:p><w:r><w:br w:type="page"/></w:r></w:p>)";
  }

  // The contents: a TOC field whose stored result lists the chapters and sections, each a link
  // to its heading, a dot leader and a PAGEREF field holding the page number the layout
  // estimate gives (estimate_layout on the document's grid). The fields are not marked dirty
  // and settings do not ask for an update, so Word opens the file without a question and
  // LibreOffice shows the numbers; Word's "update field" recomputes them exactly.
  void toc() {
    paragraph("TOCHeading", run("目次"));
    // Without a grid, body text at 1.5 lines sets about 42 characters by 27 lines on the page
    // (measured with LibreOffice and IPAex; Word with Yu Mincho is close).
    int cpl = options_.chars_per_line > 0 ? options_.chars_per_line : 42;
    int lpp = options_.lines_per_page > 0 ? options_.lines_per_page : 27;
    PageEstimate estimate = estimate_layout(doc_, cpl, lpp, options_.chars_per_line > 0);
    bool first = true;
    for (auto& b : doc_.blocks) {
      auto* h = std::get_if<Heading>(&b);
      if (!h || h->level > 2) continue;
      std::string label =
          h->number.empty() ? plain_text(h->text) : h->number + "　" + plain_text(h->text);
      std::string content;
      if (first) {
        content +=
            R"(<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \o "1-2" \h \z \u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>)";
        first = false;
      }
      auto page = estimate.heading_pages.find(h->id);
      std::string number = page == estimate.heading_pages.end() ? "" : std::to_string(page->second);
      content += fmt::format(
          R"(<w:hyperlink w:anchor="{0}" w:history="1">{1}<w:r><w:tab/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGEREF {0} \h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>{2}<w:r><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink>)",
          bookmark(h->id), run(label), run(number));
      paragraph(h->level == 1 ? "TOC1" : "TOC2", content);
    }
    if (!first) {
      body_ += R"(<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>)";
    }
    body_ += R"(<w:p><w:r><w:br w:type="page"/></w:r></w:p>)";
  }

  Result<void> add(const Heading& h) {
    std::string style = h.level <= 3 ? fmt::format("Heading{}", h.level) : "Heading4";
    int id = next_bookmark_++;
    std::string label = h.number.empty() ? "" : h.number + "　";
    paragraph(
        style,
        fmt::format(R"(<w:bookmarkStart w:id="{}" w:name="{}"/>{}{}<w:bookmarkEnd w:id="{}"/>)", id,
                    bookmark(h.id), label.empty() ? "" : run(label), runs(h.text), id));
    return {};
  }

  Result<void> add(const Paragraph& p) {
    paragraph("", runs(p.spans));
    return {};
  }

  // List markers are written as text, the same characters the PDF and the HTML print ("・",
  // "4)", "（※1）" …), hanging in a column as wide as the widest marker of their depth, rather
  // than as Word numbering, whose formats would differ from the other outputs.
  Result<void> add(const List& list) {
    std::map<int, int> column;  // depth -> marker column width in twentieths of a point
    for (auto& item : list.items)
      column[item.depth] = std::max(
          column[item.depth], static_cast<int>(std::ceil(text_units(list_marker(item)) * 210)) + 105);
    for (auto& item : list.items) {
      int left = 210;
      for (auto& [d, w] : column)
        if (d <= item.depth) left += w;
      paragraph("ListParagraph",
                run(list_marker(item)) + "<w:r><w:tab/></w:r>" + runs(item.spans),
                fmt::format(R"(<w:tabs><w:tab w:val="left" w:pos="{0}"/></w:tabs><w:ind w:left="{0}" w:hanging="{1}"/>)",
                            left, column[item.depth]));
    }
    return {};
  }

  Result<void> add(const Note& n) {
    for (auto& p : n.paragraphs) paragraph("Note", runs(p));
    return {};
  }

  Result<void> add(const CodeBlock& c) {
    std::string content;
    std::istringstream in(c.text);
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
      if (!first) content += "<w:r><w:br/></w:r>";
      content += run(line);
      first = false;
    }
    paragraph("Code", content);
    return {};
  }

  Result<void> add(const PageBreak&) {
    body_ += R"(<w:p><w:r><w:br w:type="page"/></w:r></w:p>)";
    return {};
  }

  Result<void> add(const Table& t) {
    size_t columns = t.align.size();
    if (columns == 0) return {};
    paragraph("Caption", bookmarked(t.id, t.number + "　" + t.caption),
              R"(<w:keepNext/><w:jc w:val="center"/>)");
    // Column widths by the rule the PDF uses (table_column_widths), in characters.
    std::vector<int> widths;
    for (double w : docx_column_chars(t)) widths.push_back(static_cast<int>(w * kTableChar));
    body_ +=
        R"(<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>)";
    for (int w : widths) body_ += fmt::format(R"(<w:gridCol w:w="{}"/>)", w);
    body_ += "</w:tblGrid>";
    auto row = [&](const std::vector<Spans>& cells, bool head) {
      body_ += head ? R"(<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>)"
                    : R"(<w:tr><w:trPr><w:cantSplit/></w:trPr>)";
      for (size_t c = 0; c < columns; ++c) {
        Align a = t.align[c];
        const char* jc = head || a == Align::kCenter ? "center"
                         : a == Align::kRight        ? "right"
                                                     : "left";
        body_ +=
            fmt::format(R"(<w:tc><w:tcPr><w:tcW w:w="{}" w:type="dxa"/>{}</w:tcPr>)", widths[c],
                        head ? R"(<w:shd w:val="clear" w:color="auto" w:fill="E3EAF2"/>)" : "");
        body_ += fmt::format(
            R"(<w:p><w:pPr><w:pStyle w:val="TableText"/><w:jc w:val="{}"/></w:pPr>{}</w:p></w:tc>)",
            jc, c < cells.size() ? runs(cells[c]) : "");
      }
      body_ += "</w:tr>";
    };
    for (auto& r : t.header) row(r, true);
    for (auto& r : t.rows) row(r, false);
    body_ += "</w:tbl>";
    paragraph("", "", R"(<w:spacing w:after="0"/>)");
    return {};
  }

  std::string bookmarked(const std::string& id, const std::string& text) {
    int b = next_bookmark_++;
    return fmt::format(R"(<w:bookmarkStart w:id="{}" w:name="{}"/>{}<w:bookmarkEnd w:id="{}"/>)", b,
                       bookmark(id), run(text), b);
  }

  Result<void> add(const Figure& f) {
    std::string png;
    double w_pt = 0, h_pt = 0;
    if (f.chart) {
      png = chart_png(*f.chart, kChartW, kChartH, kChartScale);
      w_pt = kChartW * 0.85;
      h_pt = kChartH * 0.85;
    } else {
      std::ifstream in(f.image_path, std::ios::binary);
      std::ostringstream s;
      s << in.rdbuf();
      png = s.str();
      cairo_surface_t* img = cairo_image_surface_create_from_png(f.image_path.c_str());
      if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(img);
        return fail(Error::invalid(fmt::format("画像を PNG として読めません: {}", f.image_path)));
      }
      double iw = cairo_image_surface_get_width(img), ih = cairo_image_surface_get_height(img);
      cairo_surface_destroy(img);
      double scale = std::min(std::min(kTextW / 20.0 / iw, 400.0 / ih), 0.75);
      w_pt = iw * scale;
      h_pt = ih * scale;
    }
    int index = static_cast<int>(media_.size()) + 1;
    media_.push_back({fmt::format("media/image{}.png", index), std::move(png)});
    // Alt text: the caption and the values, so a screen reader gets the data.
    std::string alt = f.number + " " + f.caption;
    if (f.chart) {
      DataTable data = chart_data(*f.chart);
      constexpr size_t kMaxAltRows = 50;  // longer data lives in the figure's CSV / XLSX
      for (size_t r = 0; r < data.rows.size() && r < kMaxAltRows; ++r) {
        alt += r == 0 ? "。" : "、";
        for (size_t c = 0; c < data.rows[r].size(); ++c)
          alt += (c ? " " : "") + (c ? data.header[c] + "=" : "") + data.rows[r][c].text;
      }
    }
    long cx = static_cast<long>(w_pt * kEmuPerPt), cy = static_cast<long>(h_pt * kEmuPerPt);
    std::string drawing = fmt::format(
        R"(<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{0}" cy="{1}"/><wp:docPr id="{2}" name="{3}" descr="{4}"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="{2}" name="{3}" descr="{4}"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdImage{2}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{0}" cy="{1}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>)",
        cx, cy, index, xml_escape(f.number), xml_escape(alt));
    paragraph("Figure", drawing, R"(<w:keepNext/><w:jc w:val="center"/>)");
    paragraph("Caption", bookmarked(f.id, f.number + "　" + f.caption),
              R"(<w:jc w:val="center"/>)");
    return {};
  }

  std::string section() {
    std::string grid;
    if (options_.chars_per_line > 0 && options_.lines_per_page > 0) {
      int line_pitch = kTextH / options_.lines_per_page;
      double char_pitch_pt = kTextW / 20.0 / options_.chars_per_line;
      int char_space = static_cast<int>(std::lround((char_pitch_pt - kBodyPt) * 4096));
      grid = fmt::format(R"(<w:docGrid w:type="linesAndChars" w:linePitch="{}" w:charSpace="{}"/>)",
                         line_pitch, char_space);
    } else {
      grid = R"(<w:docGrid w:type="lines" w:linePitch="360"/>)";
    }
    return fmt::format(
        R"(<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter1"/><w:pgSz w:w="{}" w:h="{}"/><w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="851" w:footer="850" w:gutter="0"/><w:pgNumType w:start="1"/><w:titlePg/>{}</w:sectPr>)",
        kPageW, kPageH, kMarginTop, kMarginSide, kMarginBottom, kMarginSide, grid);
  }

  // --- package parts --------------------------------------------------------------------------

  std::string content_types() {
    return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>)";
  }

  std::string package_rels() {
    return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>)";
  }

  std::string document_rels() {
    std::string out = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdFontTable" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/><Relationship Id="rIdFooter1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>)";
    for (size_t i = 0; i < media_.size(); ++i)
      out += fmt::format(
          R"(<Relationship Id="rIdImage{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="{}"/>)",
          i + 1, media_[i].name);
    return out + "</Relationships>";
  }

  // Title only: no creator, lastModifiedBy, revision or dates (the inspector of R6.8 checks).
  std::string core() {
    return fmt::format(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title></cp:coreProperties>)",
                       xml_escape(doc_.meta.title));
  }

  std::string app() {
    return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Kakehashi</Application></Properties>)";
  }

  std::string styles() {
    auto heading = [](int level, int size_half_points, bool page_break) {
      return fmt::format(
          R"(<w:style w:type="paragraph" w:styleId="Heading{0}"><w:name w:val="heading {0}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/>{2}<w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="{3}"/></w:pPr><w:rPr><w:rFonts w:ascii="IPAexゴシック" w:eastAsia="IPAexゴシック" w:hAnsi="IPAexゴシック"/><w:sz w:val="{1}"/><w:szCs w:val="{1}"/></w:rPr></w:style>)",
          level, size_half_points, page_break ? "<w:pageBreakBefore/>" : "", level - 1);
    };
    std::string out = fmt::format(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="IPAex明朝" w:eastAsia="IPAex明朝" w:hAnsi="IPAex明朝" w:cs="Times New Roman"/><w:kern w:val="2"/><w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-US" w:eastAsia="ja-JP" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="360" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>)",
                                  kW);
    out +=
        R"(<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLineChars="100" w:firstLine="210"/></w:pPr></w:style>)";
    out += heading(1, 32, true) + heading(2, 26, false) + heading(3, 23, false) +
           heading(4, 21, false);
    out +=
        R"(<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLine="0"/><w:jc w:val="center"/><w:spacing w:after="240"/></w:pPr><w:rPr><w:rFonts w:ascii="IPAexゴシック" w:eastAsia="IPAexゴシック" w:hAnsi="IPAexゴシック"/><w:sz w:val="44"/></w:rPr></w:style>)";
    out +=
        R"(<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:rPr><w:rFonts w:ascii="IPAexゴシック" w:eastAsia="IPAexゴシック" w:hAnsi="IPAexゴシック"/><w:sz w:val="28"/></w:rPr></w:style>)";
    out +=
        R"(<w:style w:type="paragraph" w:customStyle="1" w:styleId="CoverInfo"><w:name w:val="Cover Info"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="28"/></w:rPr></w:style>)";
    out +=
        R"(<w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:ind w:firstLine="0"/><w:spacing w:after="240"/></w:pPr><w:rPr><w:rFonts w:ascii="IPAexゴシック" w:eastAsia="IPAexゴシック" w:hAnsi="IPAexゴシック"/><w:sz w:val="32"/></w:rPr></w:style>)";
    out +=
        R"(<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9062"/></w:tabs><w:ind w:firstLine="0"/></w:pPr></w:style>)";
    out +=
        R"(<w:style w:type="paragraph" w:styleId="TOC2"><w:name w:val="toc 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9062"/></w:tabs><w:ind w:left="420" w:firstLine="0"/></w:pPr></w:style>)";
    out +=
        R"(<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLine="0"/><w:spacing w:before="60" w:after="200"/></w:pPr><w:rPr><w:rFonts w:ascii="IPAexゴシック" w:eastAsia="IPAexゴシック" w:hAnsi="IPAexゴシック"/><w:sz w:val="19"/></w:rPr></w:style>)";
    out +=
        R"(<w:style w:type="paragraph" w:customStyle="1" w:styleId="Figure"><w:name w:val="Figure"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLine="0"/><w:spacing w:before="200"/></w:pPr></w:style>)";
    out +=
        R"(<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLine="0"/><w:spacing w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="19"/></w:rPr></w:style>)";
    out +=
        R"(<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLine="0"/></w:pPr></w:style>)";
    out +=
        R"(<w:style w:type="paragraph" w:customStyle="1" w:styleId="Note"><w:name w:val="Note"/><w:basedOn w:val="Normal"/><w:pPr><w:pBdr><w:left w:val="single" w:sz="24" w:space="8" w:color="0B57A4"/></w:pBdr><w:shd w:val="clear" w:color="auto" w:fill="F1F5F9"/><w:ind w:left="284" w:firstLine="0"/><w:spacing w:before="120" w:after="120"/></w:pPr><w:rPr><w:rFonts w:ascii="IPAexゴシック" w:eastAsia="IPAexゴシック" w:hAnsi="IPAexゴシック"/><w:sz w:val="19"/></w:rPr></w:style>)";
    out +=
        R"(<w:style w:type="paragraph" w:customStyle="1" w:styleId="Code"><w:name w:val="Code"/><w:basedOn w:val="Normal"/><w:pPr><w:shd w:val="clear" w:color="auto" w:fill="F4F4F4"/><w:ind w:firstLine="0"/><w:jc w:val="left"/></w:pPr><w:rPr><w:rFonts w:ascii="IPAexゴシック" w:eastAsia="IPAexゴシック" w:hAnsi="IPAexゴシック"/><w:sz w:val="18"/></w:rPr></w:style>)";
    out +=
        R"(<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLine="0"/><w:spacing w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="18"/></w:rPr></w:style>)";
    out +=
        R"(<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLine="0"/><w:jc w:val="center"/></w:pPr></w:style>)";
    out +=
        R"(<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>)";
    out +=
        R"(<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:rPr><w:color w:val="0B57A4"/><w:u w:val="single"/></w:rPr></w:style>)";
    out +=
        R"(<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="8C8C8C"/><w:left w:val="single" w:sz="4" w:space="0" w:color="8C8C8C"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="8C8C8C"/><w:right w:val="single" w:sz="4" w:space="0" w:color="8C8C8C"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="8C8C8C"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="8C8C8C"/></w:tblBorders><w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>)";
    return out + "</w:styles>";
  }

  // Fonts: the IPAex faces the PDF uses, which LibreOffice finds (by these Japanese names)
  // wherever fonts-ipaexfont is installed; a name it did not know (游明朝) made it fall back to
  // a Gothic face for the body. Word without IPAex takes the alternative name (游明朝 /
  // 游ゴシック) or, failing that, a Mincho / Gothic face by the family and character set below.
  std::string font_table() {
    return fmt::format(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="{}"><w:font w:name="IPAex明朝"><w:altName w:val="游明朝"/><w:panose1 w:val="02020400000000000000"/><w:charset w:val="80"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font><w:font w:name="IPAexゴシック"><w:altName w:val="游ゴシック"/><w:panose1 w:val="020B0600000000000000"/><w:charset w:val="80"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font></w:fonts>)",
                       kW);
  }

  std::string settings() {
    return fmt::format(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{}"><w:defaultTabStop w:val="840"/><w:characterSpacingControl w:val="compressPunctuation"/><w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>)",
                       kW);
  }

  std::string footnotes() {
    std::string out = fmt::format(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="{}" xmlns:r="{}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>)",
                                  kW, kR);
    for (auto& f : doc_.footnotes) {
      out += fmt::format(
          R"(<w:footnote w:id="{}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>{}{}</w:p></w:footnote>)",
          f.number, run(" "), runs(f.spans));
    }
    return out + "</w:footnotes>";
  }

  std::string footer() {
    return fmt::format(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="{}"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>)",
                       kW);
  }

  // Zips the parts in memory; [Content_Types].xml first.
  static Result<std::string> pack(const std::map<std::string, std::string>& parts) {
    std::vector<std::pair<std::string, std::string>> entries;
    entries.emplace_back("[Content_Types].xml", parts.at("[Content_Types].xml"));
    for (const auto& [name, data] : parts)
      if (name != "[Content_Types].xml") entries.emplace_back(name, data);
    return zip_in_memory(entries, "DOCX");
  }

  const Document& doc_;
  DocxOptions options_;
  std::string body_;
  std::vector<Media> media_;
  std::set<std::string> ids_;
  int next_bookmark_ = 1;
};

}  // namespace

Result<DocxResult> render_docx(const Document& doc, const DocxOptions& options) {
  if (options.chars_per_line != 0 || options.lines_per_page != 0) {
    if (options.chars_per_line < 10 || options.chars_per_line > 80 || options.lines_per_page < 10 ||
        options.lines_per_page > 60)
      return fail(Error::invalid("文字数は 10〜80、行数は 10〜60 の範囲で指定してください"));
  }
  return DocxWriter(doc, options).write();
}

PageEstimate estimate_layout(const Document& doc, int chars_per_line, int lines_per_page,
                             bool on_grid) {
  PageEstimate out;
  if (chars_per_line <= 0 || lines_per_page <= 0) return out;
  auto lines_of = [&](const std::string& text, double width_chars) {
    return std::max(1, static_cast<int>(std::ceil(text_units(text) / std::max(1.0, width_chars))));
  };
  int pages = 1;  // the cover
  int toc_lines = 2;
  for (auto& b : doc.blocks)
    if (auto* h = std::get_if<Heading>(&b); h && h->level <= 2) ++toc_lines;
  pages += (toc_lines + lines_per_page - 1) / lines_per_page;
  double line = 0;  // lines used on the current body page
  auto advance = [&](double n) {
    line += n;
    while (line > lines_per_page) {
      ++pages;
      line -= lines_per_page;
    }
  };
  auto break_page = [&] {
    if (line > 0) {
      ++pages;
      line = 0;
    }
  };
  bool started = false;
  for (auto& b : doc.blocks) {
    if (!started) {
      started = true;
      line = 0;
      ++pages;
    }
    if (auto* h = std::get_if<Heading>(&b)) {
      if (h->level == 1) break_page();
      advance(on_grid ? 2 : 2.5);  // a larger face with 18 pt before and 6 pt after
      out.heading_pages[h->id] = pages;
    } else if (auto* p = std::get_if<Paragraph>(&b)) {
      advance(lines_of(plain_text(p->spans), chars_per_line - 1));
    } else if (auto* l = std::get_if<List>(&b)) {
      for (auto& item : l->items)
        advance(lines_of(plain_text(item.spans), chars_per_line - 2 * (item.depth + 1)));
    } else if (auto* t = std::get_if<Table>(&b)) {
      advance(2);
      // Column widths as render_docx sets them, as a share of the line.
      size_t columns = t->align.size();
      std::vector<double> share = docx_column_chars(*t);
      for (double& w : share) w /= kTableCharsPerLine;
      for (auto* rows : {&t->header, &t->rows})
        for (auto& row : *rows) {
          int h = 1;
          for (size_t c = 0; c < columns && c < row.size(); ++c)
            h = std::max(h, lines_of(plain_text(row[c]), chars_per_line * share[c] - 1));
          advance(h);
        }
    } else if (std::holds_alternative<Figure>(b)) {
      advance(static_cast<int>(std::ceil(kChartH * 0.85 / (kTextH / 20.0 / lines_per_page))) + 2);
    } else if (auto* n = std::get_if<Note>(&b)) {
      for (auto& p : n->paragraphs) advance(lines_of(plain_text(p), chars_per_line - 2));
      advance(1);
    } else if (auto* c = std::get_if<CodeBlock>(&b)) {
      advance(static_cast<int>(std::count(c->text.begin(), c->text.end(), '\n')) + 1);
    } else if (std::holds_alternative<PageBreak>(b)) {
      break_page();
    }
  }
  out.pages = pages;
  return out;
}

int estimate_pages(const Document& doc, int chars_per_line, int lines_per_page) {
  return estimate_layout(doc, chars_per_line, lines_per_page, true).pages;
}

}  // namespace kakehashi::docs
