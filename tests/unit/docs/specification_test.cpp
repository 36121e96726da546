// The real specification (仕様書 of the programme, 16 chapters) converted to Markdown as a writer
// would: tables with cells taller than a page, "- 4) …" clauses, ### directly under chapters,
// <br> inside cells, a year column. Fixture: tests/unit/docs/fixtures/specification.md.
#include <gtest/gtest.h>

#include <pugixml.hpp>
#include <regex>

#include "docs/docx.h"
#include "docs/html.h"
#include "docs/markdown.h"
#include "docs/pdf.h"
#include "docs/test_util.h"
#include "support/result.h"

namespace kakehashi::docs {
namespace {

using testing::quote;
using testing::run;

// Text without spaces, line breaks and form feeds: table cells wrap anywhere.
std::string compact(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f') continue;
    if (text.compare(i, 3, "\u3000") == 0) {
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

size_t code_points(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Whether `cell` occurs in `text` from `from` on as pieces in order, each piece at least eight
// characters long (or the rest of the cell): a cell split over two pages is interrupted by the
// page footer, the next page's header and the repeated table header. Returns where the first
// piece starts, or npos.
size_t find_in_pieces(const std::string& text, const std::string& cell, size_t from,
                      std::string* missing) {
  size_t i = 0, at = from, first = std::string::npos;
  while (i < cell.size()) {
    // Longest prefix of cell[i..] found at or after `at` (monotone, so binary search).
    size_t lo = 0, hi = cell.size() - i, where = std::string::npos;
    while (lo < hi) {
      size_t mid = (lo + hi + 1) / 2;
      size_t found = text.find(cell.substr(i, mid), at);
      if (found != std::string::npos) {
        lo = mid;
        where = found;
      } else {
        hi = mid - 1;
      }
    }
    // Do not cut a UTF-8 sequence: back off to a character boundary.
    while (lo > 0 && i + lo < cell.size() && (static_cast<unsigned char>(cell[i + lo]) & 0xC0) == 0x80)
      --lo;
    std::string piece = cell.substr(i, lo);
    if (lo == 0 || (code_points(piece) < 8 && i + lo < cell.size())) {
      *missing = cell.substr(i, 60);
      return std::string::npos;
    }
    where = text.find(piece, at);
    if (first == std::string::npos) first = where;
    at = where + lo;
    i += lo;
  }
  return first;
}

class SpecificationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto fixtures = testing::source_dir() / "tests/unit/docs/fixtures";
    auto doc = parse_markdown(testing::read_file(fixtures / "specification.md"), fixtures);
    ASSERT_OK(doc);
    doc_ = new Document(std::move(*doc));
    auto pdf = render_pdf(*doc_);
    ASSERT_OK(pdf);
    dir_ = new testing::TempDir();
    pdf_path_ = dir_->path() / "specification.pdf";
    testing::write_text(pdf_path_, *pdf);
    // Only what is printed inside the type area (and the running header above it) counts: text
    // run into the footer or off the paper is lost to the reader even if the file holds it.
    auto raw = run("pdftotext -enc UTF-8 -raw -x 0 -y 0 -W 596 -H 770 " + quote(pdf_path_) + " -");
    ASSERT_EQ(raw.exit_code, 0) << raw.out;
    raw_text_ = new std::string(raw.out);
    html_ = new std::string(render_html(*doc_));
    auto docx = render_docx(*doc_);
    ASSERT_OK(docx);
    docx_ = new std::string(docx->bytes);
  }
  static void TearDownTestSuite() {
    delete doc_;
    delete dir_;
    delete raw_text_;
    delete html_;
    delete docx_;
  }
  static inline Document* doc_ = nullptr;
  static inline testing::TempDir* dir_ = nullptr;
  static inline std::filesystem::path pdf_path_;
  static inline std::string* raw_text_ = nullptr;
  static inline std::string* html_ = nullptr;
  static inline std::string* docx_ = nullptr;
};

TEST_F(SpecificationTest, EveryTableCellIsInThePdfTextLayer) {
  std::string text = compact(*raw_text_);
  int tables = 0, cells = 0;
  bool tall_row = false;
  for (auto& block : doc_->blocks) {
    auto* t = std::get_if<Table>(&block);
    if (!t) continue;
    ++tables;
    // The table's text comes after its caption (the contents list no table captions).
    size_t at = text.find(compact(t->number + t->caption));
    ASSERT_NE(at, std::string::npos) << t->number;
    for (auto& row : t->rows) {
      for (auto& cell : row) {
        std::string want = compact(plain_text(cell));
        if (want.empty()) continue;
        ++cells;
        tall_row = tall_row || code_points(want) > 2000;
        std::string missing;
        size_t found = find_in_pieces(text, want, at, &missing);
        ASSERT_NE(found, std::string::npos)
            << t->number << ": cell text missing from the PDF from here: " << missing;
        at = found;  // the next cell starts after this one's start (pieces interleave)
      }
    }
  }
  EXPECT_EQ(tables, 5);
  EXPECT_GE(cells, 60);
  EXPECT_TRUE(tall_row) << "the fixture must hold a cell taller than a page";
}

TEST_F(SpecificationTest, NothingIsDrawnBelowTheTypeAreaButThePageNumber) {
  auto bbox = run("pdftotext -enc UTF-8 -bbox " + quote(pdf_path_) + " -");
  ASSERT_EQ(bbox.exit_code, 0);
  // Body text ends at 841.89 - 72 pt; the page number sits at 793.9 pt.
  static const std::regex kWord(
      R"re(<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>)re");
  int words = 0;
  for (auto it = std::sregex_iterator(bbox.out.begin(), bbox.out.end(), kWord);
       it != std::sregex_iterator(); ++it) {
    ++words;
    double top = std::stod((*it)[1]), bottom = std::stod((*it)[2]);
    bool page_number = top > 790 && bottom < 812;
    EXPECT_TRUE(bottom <= 841.89 - 72 + 1 || page_number)
        << "text below the type area: " << (*it)[3] << " at " << top;
  }
  EXPECT_GT(words, 1000);
  auto info = run("pdfinfo " + quote(pdf_path_));
  std::smatch pages;
  ASSERT_TRUE(std::regex_search(info.out, pages, std::regex(R"(Pages:\s+(\d+))")));
  EXPECT_GE(std::stoi(pages[1]), 30);
}

TEST_F(SpecificationTest, HeadingsHaveNoPhantomZeros) {
  std::string text = compact(*raw_text_);
  EXPECT_FALSE(std::regex_search(text, std::regex(R"(\d+\.0\.\d)"))) << "a phantom zero";
  // Chapter 12 has only ### headings: they are its sections 12.1 … 12.8, in the contents too.
  size_t toc = text.find("12.1情報セキュリティ関連事項の確保体制及び遵守状況の報告");
  ASSERT_NE(toc, std::string::npos);
  EXPECT_NE(text.find("12.8アプリケーション・コンテンツの情報セキュリティ対策", toc), std::string::npos);
}

TEST_F(SpecificationTest, ListMarkersAreTheSameInPdfHtmlAndDocx) {
  // The clause "- 1) 受注者（委託契約…" prints "1)" before its text in every format.
  std::string text = compact(*raw_text_);
  EXPECT_NE(text.find("1)受注者（委託契約の場合には、受託者。以下同じ。）は"), std::string::npos);
  EXPECT_NE(text.find("17)受注者は、外部に公開するウェブサイト上の"), std::string::npos);
  EXPECT_EQ(text.find("1.受注者（委託契約"), std::string::npos);
  EXPECT_NE(text.find("◇ヒトの連携：情報、プログラミング"), std::string::npos);
  EXPECT_EQ(text.find("・◇ヒトの連携"), std::string::npos);

  EXPECT_NE(html_->find(R"(<li><span class="marker">1)</span><div>受注者（委託契約の場合には)"),
            std::string::npos);
  EXPECT_NE(html_->find(R"(<li><span class="marker">◇</span><div>ヒトの連携：)"), std::string::npos);

  pugi::xml_document xml;
  ASSERT_TRUE(xml.load_string(testing::zip_part(*docx_, "word/document.xml").c_str()));
  std::vector<std::string> items;
  for (auto p : xml.select_nodes("//w:p[w:pPr/w:pStyle/@w:val='ListParagraph']")) {
    std::string line;
    for (auto r : p.node().select_nodes(".//w:r"))
      for (auto c : r.node().children())
        line += std::string_view(c.name()) == "w:tab" ? "\t"
                : std::string_view(c.name()) == "w:t" ? c.child_value()
                                                      : "";
    items.push_back(line);
  }
  auto has_prefix = [&](const std::string& prefix) {
    return std::any_of(items.begin(), items.end(),
                       [&](const std::string& s) { return s.starts_with(prefix); });
  };
  EXPECT_TRUE(has_prefix("1)\t受注者（委託契約の場合には"));
  EXPECT_TRUE(has_prefix("◇\tヒトの連携：情報、プログラミング"));
  EXPECT_TRUE(has_prefix("・\t産業界と教育現場の効果的な連携"));
  EXPECT_FALSE(xml.select_node("//w:numPr"));
}

TEST_F(SpecificationTest, CoverTitleBreaksBetweenWordsInPdfAndHtml) {
  auto cover = run("pdftotext -enc UTF-8 -f 1 -l 1 " + quote(pdf_path_) + " -");
  EXPECT_NE(cover.out.find("令和8年度「学びと社会の在り方\n改革推進事業」（「未来の\n教室」実証事業）仕様書\n"),
            std::string::npos)
      << cover.out;
  EXPECT_NE(html_->find("<h1>令和8年度<wbr/>「<wbr/>学びと<wbr/>社会の<wbr/>在り方<wbr/>改革推進事業<wbr/>"),
            std::string::npos);
  EXPECT_NE(html_->find("word-break: keep-all"), std::string::npos);
}

}  // namespace
}  // namespace kakehashi::docs
