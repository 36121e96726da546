// A page's text read from its content streams with qpdf (issue 23 item 8): poppler's layout
// engine was four fifths of a PDF's inspection. Only where every font can be decoded without
// it: simple fonts in WinAnsi or Standard encoding, and fonts (simple or Type0 Identity-H/V)
// with a ToUnicode map covering every code shown. Anything else (Type3 fonts, /Differences,
// symbolic fonts, form XObjects on the page, a code outside the map) answers nullopt and the
// caller asks poppler, as before.
#pragma once

#include <optional>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <string>

namespace kakehashi::inspect {

std::optional<std::string> fast_page_text(QPDFPageObjectHelper& page);

}  // namespace kakehashi::inspect
