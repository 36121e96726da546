// The PDF renderer: A4, cover, table of contents, bookmarks, running header, page numbers.
#pragma once

#include <string>

#include "base/result.h"
#include "docs/model.h"

namespace kakehashi::docs {

// Renders `doc` to PDF bytes: a cover page, a table of contents (chapters and sections with
// their page numbers, each entry a link), the body (chapters start on a new page, tables break
// across pages repeating their header rows, figures stay with their captions, Japanese line
// breaking), end notes, and a bookmark outline of chapters, sections and subsections. The file
// has passed finish_pdf(): document information holds only the title and the issuing body,
// and the same `doc` always gives the same bytes.
// Fails with ErrorCode::kUnavailable when the IPAex fonts are not installed.
[[nodiscard]] Result<std::string> render_pdf(const Document& doc);

// The qpdf post-pass every PDF the engine writes goes through: rewrites the file with
// QPDFWriter, replaces the document information with /Title and /Subject (the issuing body)
// only, drops XMP metadata and the dangling structure references cairo 1.16 writes for link
// annotations, and sets a deterministic /ID.
[[nodiscard]] Result<std::string> finish_pdf(const std::string& pdf, const Metadata& meta);

}  // namespace kakehashi::docs
