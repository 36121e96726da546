#include "docs/html.h"

#include <fmt/format.h>

#include <set>

#include "docs/chart.h"
#include "docs/linebreak.h"
#include "docs/xml_text.h"

namespace kakehashi::docs {
namespace {

constexpr const char* kStyle = R"css(
:root { color-scheme: light; }
body { font-family: "IPAexMincho", "Noto Serif CJK JP", serif; line-height: 1.8; color: #1a1a1a;
  max-width: 46em; margin: 0 auto; padding: 1.5em; font-size: 16px; }
h1, h2, h3, h4, h5, h6, nav, figcaption, caption, th, .note { font-family: "IPAexGothic", "Noto Sans CJK JP", sans-serif; }
header.cover { text-align: center; padding: 3em 0 2em; border-bottom: 3px solid #0b57a4; }
header.cover h1 { font-size: 1.9em; margin: 0 0 .4em; line-height: 1.4; word-break: keep-all; }
header.cover .subtitle { word-break: keep-all; }
header.cover p { margin: .3em 0; }
h2 { font-size: 1.5em; border-bottom: 2px solid #0b57a4; margin-top: 2.5em; }
h3 { font-size: 1.2em; border-bottom: 1px solid #9aa9ba; margin-top: 2em; }
h4 { font-size: 1.05em; }
p { text-indent: 1em; margin: .4em 0; }
li p, .note p, td p { text-indent: 0; }
a { color: #0b57a4; }
nav ol { list-style: none; padding-left: 0; }
ul.list, ol.list { list-style: none; padding-left: 1em; margin: .4em 0; }
ul.list > li, ol.list > li { display: flex; gap: .5em; }
ul.list > li > .marker, ol.list > li > .marker { flex: none; }
nav ol ol { padding-left: 2em; }
figure { margin: 1.5em 0; text-align: center; }
figure svg { width: 100%; height: auto; }
figcaption, caption { font-size: .95em; margin: .4em 0; }
table { border-collapse: collapse; margin: 1em auto; font-size: .9em; }
th, td { border: 1px solid #8c8c8c; padding: .25em .6em; }
th { background: #e3eaf2; }
td.num { text-align: right; } td.center { text-align: center; }
details { margin: .5em 0; text-align: left; }
.note { background: #f1f5f9; border-left: 4px solid #0b57a4; padding: .6em 1em; margin: 1em 0; }
pre { background: #f4f4f4; padding: .6em; overflow-x: auto; }
.page-break { break-after: page; }
.footnotes { font-size: .9em; border-top: 1px solid #bfbfbf; margin-top: 3em; }
@media print { body { max-width: none; } h2 { break-before: page; } }
)css";

class HtmlWriter {
 public:
  explicit HtmlWriter(const Document& doc) : doc_(doc) {}

  std::string write() {
    auto& m = doc_.meta;
    out_ +=
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"ja\" "
        "xml:lang=\"ja\">\n<head>\n";
    out_ +=
        "<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, "
        "initial-scale=1\"/>\n";
    out_ += fmt::format("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
                        xml_escape(m.title), kStyle);
    out_ += fmt::format("<header class=\"cover\">\n<h1>{}</h1>\n", words(m.title));
    if (!m.subtitle.empty())
      out_ += fmt::format("<p class=\"subtitle\">{}</p>\n", words(m.subtitle));
    if (!m.date.empty()) out_ += fmt::format("<p>{}</p>\n", xml_escape(m.date));
    if (!m.issuer.empty()) out_ += fmt::format("<p>{}</p>\n", xml_escape(m.issuer));
    out_ += "</header>\n";
    toc();
    out_ += "<main>\n";
    for (auto& b : doc_.blocks) std::visit([&](auto& block) { add(block); }, b);
    footnotes();
    out_ += "</main>\n</body>\n</html>\n";
    return std::move(out_);
  }

 private:
  // Display text that breaks only between words: <wbr/> at each word boundary, and CSS
  // (word-break: keep-all) forbids the breaks between Japanese characters browsers would add.
  static std::string words(const std::string& text) {
    std::string out;
    size_t start = 0;
    for (size_t at : word_break_offsets(text)) {
      out += xml_escape(text.substr(start, at - start)) + "<wbr/>";
      start = at;
    }
    return out + xml_escape(text.substr(start));
  }

  static std::string label(const Heading& h) {
    return h.number.empty() ? plain_text(h.text) : h.number + "　" + plain_text(h.text);
  }

  void toc() {
    out_ += "<nav aria-labelledby=\"toc-title\">\n<h2 id=\"toc-title\">目次</h2>\n<ol>\n";
    bool open_sub = false, open_item = false;
    for (auto& b : doc_.blocks) {
      auto* h = std::get_if<Heading>(&b);
      if (!h || h->level > 2) continue;
      std::string link =
          fmt::format("<a href=\"#{}\">{}</a>", xml_escape(h->id), xml_escape(label(*h)));
      if (h->level == 1) {
        if (open_sub) out_ += "</ol>", open_sub = false;
        if (open_item) out_ += "</li>\n";
        out_ += "<li>" + link;
        open_item = true;
      } else {
        if (!open_item) out_ += "<li>", open_item = true;
        if (!open_sub) out_ += "<ol>", open_sub = true;
        out_ += "<li>" + link + "</li>";
      }
    }
    if (open_sub) out_ += "</ol>";
    if (open_item) out_ += "</li>\n";
    if (!doc_.footnotes.empty()) out_ += "<li><a href=\"#notes\">注</a></li>\n";
    out_ += "</ol>\n</nav>\n";
  }

  std::string spans(const Spans& list) {
    std::string s;
    for (auto& span : list) {
      if (span.line_break) {
        s += "<br/>";
        continue;
      }
      if (span.footnote > 0) {
        bool first = referenced_.insert(span.footnote).second;
        s +=
            fmt::format("<sup><a href=\"#fn-{0}\"{1} aria-label=\"注{0}\">{0}</a></sup>",
                        span.footnote, first ? fmt::format(" id=\"fnref-{}\"", span.footnote) : "");
        continue;
      }
      std::string t = xml_escape(span.text);
      if (span.code) t = "<code>" + t + "</code>";
      if (span.emphasis) t = "<em>" + t + "</em>";
      if (span.strong) t = "<strong>" + t + "</strong>";
      if (!span.link.empty()) t = fmt::format("<a href=\"{}\">{}</a>", xml_escape(span.link), t);
      s += t;
    }
    return s;
  }

  void add(const Heading& h) {
    int level = std::min(h.level + 1, 6);
    out_ += fmt::format("<h{0} id=\"{1}\">{2}{3}</h{0}>\n", level, xml_escape(h.id),
                        h.number.empty() ? "" : xml_escape(h.number) + "　", spans(h.text));
  }
  void add(const Paragraph& p) { out_ += "<p>" + spans(p.spans) + "</p>\n"; }

  // Markers are written out (the same text as in the PDF and the DOCX: "・", "4)", "（※1）" …)
  // instead of leaving them to the browser's list styles, which could not print "4)".
  void add(const List& list) {
    // Items carry their depth; open and close nested lists as the depth changes.
    std::vector<bool> stack;  // ordered? per open list
    for (auto& item : list.items) {
      while (static_cast<int>(stack.size()) > item.depth + 1) {
        out_ += stack.back() ? "</div></li></ol>" : "</div></li></ul>";
        stack.pop_back();
      }
      if (static_cast<int>(stack.size()) == item.depth + 1) {
        out_ += "</div></li>\n";
      }
      while (static_cast<int>(stack.size()) < item.depth + 1) {
        out_ += item.ordered ? "<ol class=\"list\">" : "<ul class=\"list\">";
        stack.push_back(item.ordered);
      }
      out_ += "<li><span class=\"marker\">" + xml_escape(list_marker(item)) + "</span><div>" +
              spans(item.spans);
    }
    while (!stack.empty()) {
      out_ += stack.back() ? "</div></li></ol>" : "</div></li></ul>";
      stack.pop_back();
    }
    out_ += "\n";
  }

  void data_table(const DataTable& t, const std::string& caption) {
    out_ += "<table>";
    if (!caption.empty()) out_ += "<caption>" + xml_escape(caption) + "</caption>";
    out_ += "<thead><tr>";
    for (auto& h : t.header) out_ += "<th scope=\"col\">" + xml_escape(h) + "</th>";
    out_ += "</tr></thead><tbody>";
    for (auto& row : t.rows) {
      out_ += "<tr>";
      for (auto& c : row)
        out_ += (c.is_number ? "<td class=\"num\">" : "<td>") + xml_escape(c.text) + "</td>";
      out_ += "</tr>";
    }
    out_ += "</tbody></table>";
  }

  void add(const Figure& f) {
    std::string caption = f.number + "　" + f.caption;
    out_ += fmt::format("<figure id=\"{}\">\n", xml_escape(f.id));
    if (f.chart) {
      out_ += chart_svg(*f.chart, 480, 300) + "\n";
    } else {
      out_ += fmt::format("<p>［画像］{}</p>", xml_escape(f.caption));
    }
    out_ += fmt::format("<figcaption>{}</figcaption>\n", xml_escape(caption));
    if (f.chart) {
      out_ += "<details><summary>" + xml_escape(f.number) + " のデータ</summary>";
      data_table(chart_data(*f.chart), caption + " のデータ");
      out_ += "</details>\n";
    }
    out_ += "</figure>\n";
  }

  void add(const Table& t) {
    out_ += fmt::format("<table id=\"{}\"><caption>{}　{}</caption>", xml_escape(t.id),
                        xml_escape(t.number), xml_escape(t.caption));
    out_ += "<thead>";
    for (auto& row : t.header) {
      out_ += "<tr>";
      for (auto& c : row) out_ += "<th scope=\"col\">" + spans(c) + "</th>";
      out_ += "</tr>";
    }
    out_ += "</thead><tbody>";
    for (auto& row : t.rows) {
      out_ += "<tr>";
      for (size_t c = 0; c < row.size(); ++c) {
        Align a = c < t.align.size() ? t.align[c] : Align::kDefault;
        const char* cls = a == Align::kRight    ? " class=\"num\""
                          : a == Align::kCenter ? " class=\"center\""
                                                : "";
        out_ += fmt::format("<td{}>{}</td>", cls, spans(row[c]));
      }
      out_ += "</tr>";
    }
    out_ += "</tbody></table>\n";
  }

  void add(const Note& n) {
    out_ += "<div class=\"note\" role=\"note\">";
    for (auto& p : n.paragraphs) out_ += "<p>" + spans(p) + "</p>";
    out_ += "</div>\n";
  }
  void add(const CodeBlock& c) { out_ += "<pre><code>" + xml_escape(c.text) + "</code></pre>\n"; }
  void add(const PageBreak&) { out_ += "<div class=\"page-break\"></div>\n"; }

  void footnotes() {
    if (doc_.footnotes.empty()) return;
    out_ +=
        "<section class=\"footnotes\" aria-labelledby=\"notes\">\n<h2 id=\"notes\">注</h2>\n<ol>\n";
    for (auto& f : doc_.footnotes) {
      out_ += fmt::format(
          "<li id=\"fn-{}\">{} <a href=\"#fnref-{}\" aria-label=\"本文の注{}へ戻る\">↩</a></li>\n",
          f.number, spans(f.spans), f.number, f.number);
    }
    out_ += "</ol>\n</section>\n";
  }

  const Document& doc_;
  std::string out_;
  std::set<int> referenced_;
};

}  // namespace

std::string render_html(const Document& doc) { return HtmlWriter(doc).write(); }

}  // namespace kakehashi::docs
