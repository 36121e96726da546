// Counting the revisions of a PDF that an incremental update left recoverable (issue 23 item 4).
//
// The cross-reference sections are walked from the last `startxref` along the `/Prev` chain (and
// each hybrid section's `/XRefStm`), read from the raw bytes. A section is a real update only
// when it adds or changes objects written after the revision before it ended: an in-use entry
// whose object lies beyond every older section (or an object stream lying there), or an entry
// freeing an object an older section had in use. That leaves out what is not a revision:
// Word's and PowerPoint's final `xref 0 0` section whose `/XRefStm` lists objects written
// before the first `%%EOF`, the first-page section of a linearized file (its objects lie before
// the main section), and `%%EOF` bytes inside streams (never looked at).
#pragma once

#include <optional>
#include <string_view>

namespace kakehashi::inspect {

struct PdfRevisions {
  int sections = 0;  // cross-reference sections in the chain
  int updates = 0;   // of which add or change objects over the older ones
};

// nullopt when the chain cannot be followed (no startxref, an offset that is not a section):
// the caller falls back on the trailer qpdf recovered.
std::optional<PdfRevisions> count_pdf_revisions(std::string_view bytes);

}  // namespace kakehashi::inspect
