// The document model every renderer reads: metadata plus a flat sequence of blocks.
//
// Chapters and sections are headings in the block sequence (level 1 = chapter); the Markdown
// reader numbers them, and numbers figures and tables per chapter (図2-1, 表3-4). Renderers
// never renumber; they only draw what the model says.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "docs/chart.h"

namespace kakehashi::docs {

// Document properties. Only these reach a file's metadata; there is deliberately no author
// field: a person's name appears only if the caller writes it into the text.
struct Metadata {
  std::string title;
  std::string subtitle;
  std::string issuer;  // issuing body, e.g. 経済産業省 産業技術環境局
  std::string date;    // as printed on the cover, e.g. 2027年3月
};

// A run of text with one style. Paragraph content is a sequence of spans.
struct Span {
  std::string text;
  bool emphasis = false;
  bool strong = false;
  bool code = false;
  std::string link;         // "#id" for an internal target, an absolute URL otherwise; "" = none
  int footnote = 0;         // >0: this span is the reference mark of footnote N
  bool line_break = false;  // a hard line break; `text` is empty
};
using Spans = std::vector<Span>;

// Column widths of a table, in any unit. `natural` and `least` include the cell padding `pad`
// (each side); `cells` holds the natural text width of each body cell, row by row. When the
// natural widths fit in `total` they are scaled to it. Otherwise every column starts at its
// least width and the rest goes, `step` at a time, to the column that shortens the table most
// (lines per cell estimated as text width / column width); what no column needs is shared in
// proportion. The PDF and the DOCX (and its page estimate) use the same rule.
std::vector<double> table_column_widths(const std::vector<double>& natural,
                                        const std::vector<double>& least,
                                        const std::vector<std::vector<double>>& cells,
                                        double total, double pad, double step);

// The text of spans without styling (for captions in metadata, CSV cells, alt texts).
std::string plain_text(const Spans& spans);

// `line` in the blocks below is the 1-based line of the Markdown source the block starts on (0
// when the block was built in code); renderers name it in their errors.

struct Heading {
  // Outline level: 1 = chapter, 2 = section, 3 = subsection, 4+ unnumbered. The Markdown reader
  // derives it from the nesting of the headings present, so a `###` directly under a `#` is a
  // section (level 2), never "12.0.3".
  int level = 1;
  std::string number;  // "第2章", "2.1", "2.1.3" or ""
  Spans text;
  std::string id;  // anchor used by the TOC, links and bookmarks: "sec-2-1"
  int line = 0;
};

struct Paragraph {
  Spans spans;
  int line = 0;
};

struct ListItem {
  int depth = 0;  // 0 = top level
  bool ordered = false;
  int number = 0;  // for ordered items, the printed number
  Spans spans;
  // The marker every renderer prints verbatim: "・" / "－" for bullets, "4." or "4)" for ordered
  // items as the writer wrote them, or a marker written at the start of a bullet item's text
  // ("- ① …", "- (a) …", "- ◇ …"), which then replaces the bullet. Empty: derived from the
  // fields above by list_marker().
  std::string marker;
  int line = 0;
};

// The marker of `item` as printed in every format.
std::string list_marker(const ListItem& item);

struct List {
  std::vector<ListItem> items;
  int line = 0;
};

enum class Align { kDefault, kLeft, kCenter, kRight };

struct Table {
  std::string number;   // "表2-1"
  std::string caption;  // without the number
  std::string id;       // "tbl-2-1"
  std::vector<Align> align;
  std::vector<std::vector<Spans>> header;  // header rows (usually one)
  std::vector<std::vector<Spans>> rows;
  int line = 0;
  std::vector<int> row_lines;  // source line of each of `rows` (may be empty)
};

struct Figure {
  std::string number;   // "図2-1"
  std::string caption;  // without the number; the chart title when none is given
  std::string id;       // "fig-2-1"
  std::optional<ChartSpec> chart;
  std::string image_path;  // a PNG file when the figure is an image, not a chart
  int line = 0;
};

// A boxed remark (Markdown block quote).
struct Note {
  std::vector<Spans> paragraphs;
  int line = 0;
};

struct CodeBlock {
  std::string text;
  int line = 0;
};

struct PageBreak {};

using Block = std::variant<Heading, Paragraph, List, Table, Figure, Note, CodeBlock, PageBreak>;

struct Footnote {
  int number = 0;
  Spans spans;
};

struct Document {
  Metadata meta;
  std::vector<Block> blocks;
  std::vector<Footnote> footnotes;  // in reference order; rendered as end notes
};

}  // namespace kakehashi::docs
