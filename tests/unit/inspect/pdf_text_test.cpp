// Page text read from the content streams without poppler (issue 23 item 8): the constructs a
// content stream can hold read as poppler reads them, and what cannot be read goes to poppler.
#include "inspect/pdf_text.h"

#include <gtest/gtest.h>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include "inspect/inspector.h"
#include "support/temp_dir.h"
#include "unit/inspect/fixtures.h"

namespace kakehashi::inspect {
namespace {

namespace fs = std::filesystem;

// The text of the first page of a PDF whose content stream is `content` (font /F1 is
// Helvetica in WinAnsiEncoding), or nullopt when poppler would have to read it.
std::optional<std::string> page_text(const std::string& content) {
  ::kakehashi::testing::TempDir temp;
  fs::path path = temp.path() / "page.pdf";
  testing::write_pdf(path, [&](QPDF& q, QPDFObjectHandle page) {
    page.replaceKey("/Contents", QPDFObjectHandle::newStream(&q, content));
  });
  QPDF pdf;
  pdf.processFile(path.string().c_str());
  auto pages = QPDFPageDocumentHelper(pdf).getAllPages();
  return fast_page_text(pages.at(0));
}

TEST(PdfTextTest, ReadsStringsArraysEscapesAndSkipsWhatIsNotText) {
  const std::string content =
      "BT /F1 12 Tf 72 700 Td (Tel: 03\\0551234\\0555678) Tj 0 -14 Td\n"
      "[(ta) -50 (ro@ex) 10.5 (ample.jp)] TJ ET % a comment (not text) Tj\n"
      "/Span <</ActualText (x) /MCID 0 /K [1 2]>> BDC BT /F#31 12 Tf 1 0 0 1 72 650 Tm\n"
      "<48 65 6c6c 6F> Tj T* (a\\(b\\)c\\\\) Tj (line\\\ncontinued) Tj 5 0 Td (x) Tj\n"
      "[(far) -250 (apart)] TJ ET EMC\n"
      "q 10 0 0 10 0 0 cm BI /W 2 /H 1 /CS /G /BPC 8 ID \x01" "EI\xff EI Q true false null";
  auto text = page_text(content);
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(*text,
            "\nTel: 03-1234-5678\ntaro@example.jp\n\nHello\na(b)c\\linecontinued x"
            "far apart\n");
}

TEST(PdfTextTest, ContentItCannotReadGoesToPoppler) {
  EXPECT_FALSE(page_text("BT /F1 12 Tf (unterminated Tj ET").has_value());
  EXPECT_FALSE(page_text("BT /F1 12 Tf <4G> Tj ET").has_value());
  EXPECT_FALSE(page_text("BT /F2 12 Tf (no such font) Tj ET").has_value());
  EXPECT_FALSE(page_text("{ 1 add } BT /F1 12 Tf (x) Tj ET").has_value());
  EXPECT_FALSE(page_text("BT (before any font) Tj ET").has_value());
  EXPECT_FALSE(page_text("BI /W 1 /H 1 ID \x01\x02 no end").has_value());
}

// A telephone number split over a TJ array is found on the fast path as through poppler.
TEST(PdfTextTest, PersonalInformationSplitOverATextArrayIsFound) {
  ::kakehashi::testing::TempDir temp;
  fs::path path = temp.path() / "tj.pdf";
  testing::write_pdf(path, [&](QPDF& q, QPDFObjectHandle page) {
    page.replaceKey("/Contents", QPDFObjectHandle::newStream(
                                     &q, "BT /F1 12 Tf 72 700 Td [(TEL 090-12) -20 (34-5678)] "
                                         "TJ ET"));
  });
  auto report = inspect_file(path.string(), {});
  ASSERT_TRUE(report.has_value());
  bool phone = false;
  for (const auto& finding : report->findings) phone = phone || finding.code == "pii.phone";
  EXPECT_TRUE(phone);
}

}  // namespace
}  // namespace kakehashi::inspect
