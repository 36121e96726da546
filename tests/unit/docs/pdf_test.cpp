#define POINTERHOLDER_TRANSITION 4
#include "docs/pdf.h"

#include <gtest/gtest.h>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFOutlineDocumentHelper.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <regex>

#include "docs/markdown.h"
#include "docs/test_util.h"
#include "support/result.h"

namespace kakehashi::docs {
namespace {

using testing::quote;
using testing::run;

class PdfTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto doc = parse_markdown(testing::read_file(testing::sample_markdown()),
                              testing::source_dir() / "docs/samples");
    ASSERT_OK(doc);
    auto pdf = render_pdf(*doc);
    ASSERT_OK(pdf);
    dir_ = new testing::TempDir();
    pdf_ = new std::string(*pdf);
    path_ = dir_->path() / "sample.pdf";
    testing::write_text(path_, *pdf_);
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete pdf_;
  }
  static inline testing::TempDir* dir_ = nullptr;
  static inline std::string* pdf_ = nullptr;
  static inline std::filesystem::path path_;
};

TEST_F(PdfTest, TextLayerIsJapaneseInReadingOrder) {
  auto text = run("pdftotext -enc UTF-8 " + quote(path_) + " -");
  ASSERT_EQ(text.exit_code, 0) << text.out;
  std::vector<std::string> in_order = {"学校と企業の連携による探究学習支援事業",
                                       "目次",
                                       "第1章",
                                       "事業の概要",
                                       "本事業は、全国の学校と企業をつなぐ「架け橋」として",
                                       "1.1",
                                       "実施体制",
                                       "第2章",
                                       "成果指標の達成状況",
                                       "表2-1",
                                       "地域ブロック別の参加校数と協力企業数",
                                       "北海道",
                                       "第3章",
                                       "得られた教訓",
                                       "注1",
                                       "小学校、中学校、高等学校"};
  size_t at = 0;
  for (auto& s : in_order) {
    size_t found = text.out.find(s, at);
    ASSERT_NE(found, std::string::npos) << "not found in order: " << s;
    at = found + s.size();
  }
}

TEST_F(PdfTest, EveryFontIsEmbeddedAsSubset) {
  auto fonts = run("pdffonts " + quote(path_));
  ASSERT_EQ(fonts.exit_code, 0);
  std::istringstream lines(fonts.out);
  std::string line;
  int rows = 0;
  while (std::getline(lines, line)) {
    if (line.find("IPAex") == std::string::npos) continue;
    ++rows;
    EXPECT_TRUE(std::regex_search(line, std::regex(R"(\s+yes\s+yes\s+yes\s+\d+)"))) << line;
  }
  EXPECT_GE(rows, 2);  // IPAexMincho and IPAexGothic
  EXPECT_EQ(fonts.out.find(" no "), std::string::npos) << fonts.out;
}

TEST_F(PdfTest, InfoHoldsOnlyTitleAndIssuerAndQpdfFindsNothing) {
  auto info = run("pdfinfo " + quote(path_));
  EXPECT_NE(info.out.find("Title:           学校と企業の連携による探究学習支援事業 報告書（見本）"),
            std::string::npos);
  EXPECT_NE(info.out.find("Subject:         経済産業省 産業技術環境局"), std::string::npos);
  EXPECT_NE(info.out.find("Page size:       595.276 x 841.89 pts (A4)"), std::string::npos);
  EXPECT_NE(info.out.find("Pages:           8"), std::string::npos) << info.out;
  for (const char* key : {"Author:", "Producer:", "Creator:", "CreationDate:", "ModDate:"})
    EXPECT_EQ(info.out.find(key), std::string::npos) << key;
  auto check = run("qpdf --check " + quote(path_));
  EXPECT_EQ(check.exit_code, 0) << check.out;
  EXPECT_EQ(check.out.find("WARNING"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("No syntax or stream encoding errors found"), std::string::npos);
}

TEST_F(PdfTest, OutlineAndInternalLinksOnly) {
  QPDF q;
  q.processMemoryFile("sample.pdf", pdf_->data(), pdf_->size());
  QPDFOutlineDocumentHelper outlines(q);
  ASSERT_TRUE(outlines.hasOutlines());
  std::vector<std::string> top;
  for (auto& o : outlines.getTopLevelOutlines()) top.push_back(o.getTitle());
  EXPECT_EQ(top, (std::vector<std::string>{"目次", "第1章　事業の概要", "第2章　成果指標の達成状況",
                                           "第3章　得られた教訓", "注"}));
  auto chapter2 = outlines.getTopLevelOutlines()[2];
  ASSERT_EQ(chapter2.getKids().size(), 2u);
  EXPECT_EQ(chapter2.getKids()[0].getTitle(), "2.1　参加校数と協力企業数");
  // Every annotation is a link inside the document; nothing points outside.
  int links = 0;
  for (auto& page : QPDFPageDocumentHelper(q).getAllPages()) {
    QPDFObjectHandle annots = page.getObjectHandle().getKey("/Annots");
    if (!annots.isArray()) continue;
    for (auto& a : annots.aitems()) {
      EXPECT_EQ(a.getKey("/Subtype").getName(), "/Link");
      bool internal = a.hasKey("/Dest") || (a.getKey("/A").isDictionary() &&
                                            a.getKey("/A").getKey("/S").getName() == "/GoTo");
      EXPECT_TRUE(internal);
      ++links;
    }
  }
  EXPECT_GE(links, 9);  // 8 TOC entries, in-text links and the footnote references
  EXPECT_FALSE(q.getRoot().hasKey("/Metadata"));
}

TEST_F(PdfTest, PageNumbersAndRunningHeader) {
  auto page3 = run("pdftotext -enc UTF-8 -f 3 -l 3 -layout " + quote(path_) + " -");
  // The running header: document title on the left, the chapter on the right.
  EXPECT_TRUE(std::regex_search(page3.out, std::regex(R"(^学校と企業の連携.*第1章\s+事業の概要)")))
      << page3.out;
  EXPECT_TRUE(std::regex_search(page3.out, std::regex(R"(\n\s+1\s*\n)"))) << page3.out;
  auto toc = run("pdftotext -enc UTF-8 -f 2 -l 2 -layout " + quote(path_) + " -");
  EXPECT_TRUE(std::regex_search(toc.out, std::regex(R"(成果指標の達成状況\s+2)"))) << toc.out;
  EXPECT_TRUE(std::regex_search(toc.out, std::regex(R"(得られた教訓\s+5)"))) << toc.out;
}

TEST_F(PdfTest, SameInputGivesSameBytes) {
  auto doc = parse_markdown(testing::read_file(testing::sample_markdown()),
                            testing::source_dir() / "docs/samples");
  ASSERT_TRUE(doc);
  auto again = render_pdf(*doc);
  ASSERT_TRUE(again);
  EXPECT_TRUE(*again == *pdf_);
}

// Renders Markdown to DIR/doc.pdf and returns the path.
std::filesystem::path render_to(const std::string& markdown, const testing::TempDir& dir) {
  auto doc = parse_markdown(markdown);
  EXPECT_OK(doc);
  auto pdf = render_pdf(*doc);
  EXPECT_OK(pdf);
  auto path = dir.path() / "doc.pdf";
  testing::write_text(path, *pdf);
  return path;
}

TEST(Pdf, LongTablesRepeatTheirHeaderOnEveryPage) {
  std::string md = "# 一覧\n\n| 番号 | 事業者名 | 金額（円） |\n|---:|---|---:|\n";
  for (int i = 1; i <= 120; ++i) md += fmt::format("| {} | 事業者{} | {} |\n", i, i, i * 1000);
  md += "\nTable: 事業者一覧\n";
  testing::TempDir dir;
  auto path = render_to(md, dir);
  // Body pages start at page 3 (cover, contents).
  for (int page = 3; page <= 5; ++page) {
    auto text = run(fmt::format("pdftotext -enc UTF-8 -f {0} -l {0} {1} -", page, quote(path)));
    EXPECT_NE(text.out.find("事業者名"), std::string::npos) << "page " << page;
    if (page > 3) {
      EXPECT_NE(text.out.find("事業者一覧（続き）"), std::string::npos) << "page " << page;
    }
  }
  auto last = run("pdftotext -enc UTF-8 " + quote(path) + " -");
  EXPECT_NE(last.out.find("事業者120"), std::string::npos);
}

TEST(Pdf, ARowTallerThanAPageContinuesOnTheNextPagesUnderItsHeader) {
  std::string md = "# 章\n\n| 項目 | 内容 |\n|---|---|\n| 長い行 | ";
  for (int i = 1; i <= 400; ++i) md += fmt::format("第{}文は途中で切れずに次のページへ続く。", i);
  md += " |\n| 次の行 | 終わり |\n\nTable: 長い表\n";
  testing::TempDir dir;
  auto path = render_to(md, dir);
  std::string all;
  for (int page = 3; page <= 6; ++page) {
    auto text = run(fmt::format("pdftotext -enc UTF-8 -raw -f {0} -l {0} -x 0 -y 0 -W 596 -H 770 {1} -",
                                page, quote(path)));
    EXPECT_NE(text.out.find("内容"), std::string::npos) << "header on page " << page;
    if (page > 3) {
      EXPECT_NE(text.out.find("長い表（続き）"), std::string::npos) << page;
    }
    for (char c : text.out)
      if (c != '\n' && c != ' ') all += c;
  }
  for (int i = 1; i <= 400; ++i) {
    std::string sentence = fmt::format("第{}文は途中で切れずに次のページへ続く。", i);
    // A sentence may be cut by a page break (footer, header and repeated table header).
    bool whole = all.find(sentence) != std::string::npos;
    bool split = all.find(sentence.substr(0, 9)) != std::string::npos &&
                 all.find(sentence.substr(sentence.size() - 9)) != std::string::npos;
    EXPECT_TRUE(whole || split) << sentence;
  }
  EXPECT_NE(all.find("次の行終わり"), std::string::npos);
  EXPECT_NE(run("pdfinfo " + quote(path)).out.find("Pages:           6"), std::string::npos);
}

TEST(Pdf, ContentThatFitsNoPageIsAnErrorNamingIt) {
  std::string md = "# 概要\n\n| 項目 | ";
  for (int i = 0; i < 3000; ++i) md += "長";
  md += " |\n|---|---|\n| a | b |\n";
  auto doc = parse_markdown(md);
  ASSERT_OK(doc);
  auto pdf = render_pdf(*doc);
  ASSERT_FALSE(pdf);
  EXPECT_EQ(pdf.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(pdf.error().message.starts_with(
      "PDF: 「第1章　概要」の表1-1の見出し行（3行目）が1ページに収まりません（高さ "))
      << pdf.error().message;
  std::string heading = "# ";
  for (int i = 0; i < 2500; ++i) heading += "題";
  auto tall = parse_markdown("本文\n\n" + heading + "\n");
  ASSERT_OK(tall);
  auto r = render_pdf(*tall);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().message.starts_with("PDF: 「第1章　題題題")) << r.error().message;
  EXPECT_NE(r.error().message.find("」の見出し「第1章　題題"), std::string::npos);
  EXPECT_NE(r.error().message.find("（3行目）が1ページに収まりません"), std::string::npos);
}

TEST(Pdf, NoContentsPageHoldsFewerThanThreeEntries) {
  // Around the number of chapters one page of contents holds, the old layout put the last
  // entry or two on a page of their own.
  for (int chapters = 22; chapters <= 30; ++chapters) {
    std::string md;
    for (int c = 1; c <= chapters; ++c) md += fmt::format("# 章の見出し{}\n\n本文。\n\n", c);
    testing::TempDir dir;
    auto path = render_to(md, dir);
    auto text = run("pdftotext -enc UTF-8 -layout " + quote(path) + " -").out;
    std::vector<std::string> pages;
    for (size_t start = 0, end; start < text.size(); start = end + 1) {
      end = text.find('\f', start);
      if (end == std::string::npos) end = text.size();
      pages.push_back(text.substr(start, end - start));
    }
    int entries_total = 0;
    for (size_t p = 1; p < pages.size(); ++p) {
      std::string first_line = pages[p].substr(0, pages[p].find('\n'));
      if (first_line.find("目次") == std::string::npos) break;  // the running header
      std::istringstream lines(pages[p]);
      std::string line;
      int entries = 0;
      while (std::getline(lines, line))
        if (std::regex_search(line, std::regex(R"(第\d+章\s+章の見出し\d+\s+\d+\s*$)"))) ++entries;
      entries_total += entries;
      EXPECT_GE(entries, 3) << chapters << " chapters: contents page " << p + 1;
    }
    EXPECT_EQ(entries_total, chapters);
  }
}

TEST(Pdf, FigureStaysWithItsCaption) {
  // Enough text to leave too little room for the chart on the first body page: the chart must
  // move to the next page together with its caption.
  std::string md = "# 章\n\n";
  for (int i = 0; i < 22; ++i) md += "段落の文章がここに入る。この文は行を埋めるためにある。\n\n";
  md +=
      "```chart\n{\"title\":\"図の題\",\"type\":\"bar\",\"categories\":[\"あ群\",\"い群\"],"
      "\"series\":[{\"name\":\"x\",\"values\":[1,2]}]}\n```\n";
  testing::TempDir dir;
  auto path = render_to(md, dir);
  int caption_page = 0;
  for (int page = 3; page <= 5 && caption_page == 0; ++page) {
    auto text = run(fmt::format("pdftotext -enc UTF-8 -f {0} -l {0} {1} -", page, quote(path)));
    if (text.out.find("図1-1") != std::string::npos &&
        text.out.find("図の題") != std::string::npos) {
      caption_page = page;
      EXPECT_NE(text.out.find("あ群"), std::string::npos) << "chart and caption on different pages";
    }
  }
  EXPECT_EQ(caption_page, 4);
}

}  // namespace
}  // namespace kakehashi::docs
