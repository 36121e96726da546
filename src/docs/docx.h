// The DOCX renderer: WordprocessingML zipped with libzip.
#pragma once

#include <map>
#include <string>

#include "base/result.h"
#include "docs/model.h"

namespace kakehashi::docs {

// Optional Japanese character grid (文字数と行数の指定), as the 様式 of a call often prescribes
// ("40字×36行"). Zero means no grid. Limits: 10..80 characters, 10..60 lines.
struct DocxOptions {
  int chars_per_line = 0;
  int lines_per_page = 0;
};

struct DocxResult {
  std::string bytes;
  int estimated_pages = 0;  // cover and contents included; from the grid (40x36 when unset)
};

// Renders `doc` as DOCX: A4, built-in heading styles with outline levels (Word's navigation
// pane and the TOC field both use them), a TOC field whose stored result already lists the
// headings with estimated page numbers (no update is requested on opening), numbered and bulleted lists, tables with repeated
// header rows, charts as PNG pictures with alt text, footnotes as Word footnotes, page
// numbers in the footer. docProps hold the title only: no creator, no last-modified-by, no
// company, no dates, no thumbnail. Internal links are bookmarks; links to outside are printed
// as text, so the package has no external relationship. Same input, same bytes.
[[nodiscard]] Result<DocxResult> render_docx(const Document& doc, const DocxOptions& options = {});

// The layout estimate behind estimate_pages(): pages in all, and the page (counted from the
// cover, as the footer numbers them) each heading lands on, by heading id.
struct PageEstimate {
  int pages = 0;
  std::map<std::string, int> heading_pages;
};
// `on_grid`: the DOCX has a character grid (headings take two grid lines; off the grid their
// larger face and spacing take about two and a half body lines).
PageEstimate estimate_layout(const Document& doc, int chars_per_line, int lines_per_page,
                             bool on_grid);

// Pages the document fills on a grid of `chars_per_line` x `lines_per_page` (estimate: each
// paragraph takes ceil(width / chars_per_line) lines, Latin letters count half).
int estimate_pages(const Document& doc, int chars_per_line, int lines_per_page);

}  // namespace kakehashi::docs
