// The HTML renderer: one self-contained, accessible file.
#pragma once

#include <string>

#include "docs/model.h"

namespace kakehashi::docs {

// Renders `doc` as one HTML file that loads nothing from anywhere: inline CSS, charts as
// inline SVG each followed by its data table, `lang="ja"`, a navigation landmark with the
// table of contents, headings in order (h1 title, h2 chapters, h3 sections, ...), tables with
// captions and column headers, footnotes as end notes with links both ways. The markup is
// well-formed XML (XHTML-compatible), so an XML parser can read it back. Links to outside
// sites stay ordinary <a> links; they load nothing.
std::string render_html(const Document& doc);

}  // namespace kakehashi::docs
