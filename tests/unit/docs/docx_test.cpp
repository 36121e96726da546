#include "docs/docx.h"

#include <gtest/gtest.h>

#include <pugixml.hpp>
#include <regex>

#include "docs/chart.h"
#include "docs/markdown.h"
#include "docs/pdf.h"
#include "docs/test_util.h"
#include "support/result.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::docs {
namespace {

using testing::quote;
using testing::run;
using testing::zip_part;

class DocxTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto doc = parse_markdown(testing::read_file(testing::sample_markdown()));
    ASSERT_OK(doc);
    auto docx = render_docx(*doc, {40, 36});
    ASSERT_OK(docx);
    result_ = new DocxResult(*docx);
  }
  static void TearDownTestSuite() { delete result_; }
  static pugi::xml_document part(const std::string& name) {
    pugi::xml_document xml;
    std::string text = zip_part(result_->bytes, name);
    EXPECT_TRUE(xml.load_string(text.c_str())) << name;
    return xml;
  }
  static inline DocxResult* result_ = nullptr;
};

TEST_F(DocxTest, HeadingsUseBuiltInStylesWithOutlineLevels) {
  auto styles = part("word/styles.xml");
  for (int level = 1; level <= 3; ++level) {
    auto style =
        styles.select_node(fmt::format("//w:style[@w:styleId='Heading{}']", level).c_str()).node();
    ASSERT_TRUE(style) << level;
    EXPECT_EQ(std::string(style.child("w:name").attribute("w:val").value()),
              fmt::format("heading {}", level));
    EXPECT_EQ(style.select_node("w:pPr/w:outlineLvl").node().attribute("w:val").as_int(),
              level - 1);
  }
  auto document = part("word/document.xml");
  std::vector<std::string> chapters;
  for (auto p : document.select_nodes("//w:p[w:pPr/w:pStyle/@w:val='Heading1']")) {
    std::string text;
    for (auto t : p.node().select_nodes(".//w:t")) text += t.node().child_value();
    chapters.push_back(text);
  }
  EXPECT_EQ(chapters, (std::vector<std::string>{"第1章　事業の概要", "第2章　成果指標の達成状況",
                                                "第3章　得られた教訓"}));
  EXPECT_TRUE(document.select_node("//w:instrText[contains(., 'TOC')]"));
  EXPECT_EQ(document.select_nodes("//w:tr[w:trPr/w:tblHeader]").size(), 1u);
  EXPECT_EQ(document.select_nodes("//w:drawing").size(), 6u);
  EXPECT_EQ(document.select_nodes("//w:footnoteReference").size(), 2u);
}

TEST_F(DocxTest, ContentsCarryPageNumbersAndNothingAsksWordToUpdateFields) {
  auto settings = part("word/settings.xml");
  EXPECT_FALSE(settings.select_node("//w:updateFields"));
  std::string document_text = zip_part(result_->bytes, "word/document.xml");
  EXPECT_EQ(document_text.find("w:dirty"), std::string::npos);
  auto document = part("word/document.xml");
  std::vector<int> numbers;
  for (auto p : document.select_nodes("//w:p[w:pPr/w:pStyle/@w:val='TOC1' or w:pPr/w:pStyle/@w:val='TOC2']")) {
    auto link = p.node().child("w:hyperlink");
    ASSERT_TRUE(link);
    std::string instr = link.select_node(".//w:instrText").node().child_value();
    EXPECT_EQ(instr, fmt::format(" PAGEREF {} \\h ", link.attribute("w:anchor").value()));
    // The stored result of the field: the run between "separate" and "end".
    std::string number;
    bool in_result = false;
    for (auto r : link.children("w:r")) {
      if (auto f = r.child("w:fldChar")) {
        in_result = std::string_view(f.attribute("w:fldCharType").value()) == "separate";
        continue;
      }
      if (in_result) number += r.child("w:t").child_value();
    }
    ASSERT_FALSE(number.empty()) << instr;
    numbers.push_back(std::stoi(number));
  }
  ASSERT_EQ(numbers.size(), 7u);  // 3 chapters, 4 sections
  EXPECT_EQ(numbers.front(), 3);  // cover, contents, then chapter 1
  EXPECT_TRUE(std::is_sorted(numbers.begin(), numbers.end()));
}

TEST_F(DocxTest, BodyIsMinchoUnderANameLibreOfficeFindsWithWordsNameAsAlternative) {
  auto styles = part("word/styles.xml");
  auto fonts = styles.select_node("//w:docDefaults//w:rFonts").node();
  EXPECT_STREQ(fonts.attribute("w:eastAsia").value(), "IPAex明朝");
  EXPECT_STREQ(fonts.attribute("w:ascii").value(), "IPAex明朝");
  auto table = part("word/fontTable.xml");
  auto mincho = table.select_node("//w:font[@w:name='IPAex明朝']").node();
  ASSERT_TRUE(mincho);
  EXPECT_STREQ(mincho.child("w:altName").attribute("w:val").value(), "游明朝");
  EXPECT_STREQ(mincho.child("w:family").attribute("w:val").value(), "roman");
  EXPECT_STREQ(mincho.child("w:charset").attribute("w:val").value(), "80");
  std::string rels = zip_part(result_->bytes, "word/_rels/document.xml.rels");
  EXPECT_NE(rels.find("Target=\"fontTable.xml\""), std::string::npos);
}

TEST_F(DocxTest, A4PageAndCharacterGrid) {
  auto document = part("word/document.xml");
  auto sect = document.select_node("//w:body/w:sectPr").node();
  EXPECT_EQ(sect.child("w:pgSz").attribute("w:w").as_int(), 11906);
  EXPECT_EQ(sect.child("w:pgSz").attribute("w:h").as_int(), 16838);
  EXPECT_STREQ(sect.child("w:docGrid").attribute("w:type").value(), "linesAndChars");
  EXPECT_EQ(sect.child("w:docGrid").attribute("w:linePitch").as_int(), (16838 - 2 * 1701) / 36);
  EXPECT_GE(result_->estimated_pages, 6);
  EXPECT_LE(result_->estimated_pages, 10);
}

TEST_F(DocxTest, PropertiesHoldNoPersonAndPackageNothingHidden) {
  auto core = part("docProps/core.xml");
  auto props = core.child("cp:coreProperties");
  EXPECT_STREQ(props.child("dc:title").child_value(),
               "学校と企業の連携による探究学習支援事業 報告書（見本）");
  EXPECT_EQ(std::distance(props.children().begin(), props.children().end()), 1);  // title only
  auto app = part("docProps/app.xml");
  EXPECT_FALSE(app.select_node("//Company | //Manager | //Template"));
  std::string rels = zip_part(result_->bytes, "word/_rels/document.xml.rels");
  EXPECT_EQ(rels.find("External"), std::string::npos);
  for (auto& name : testing::zip_names(result_->bytes)) {
    EXPECT_EQ(name.find("thumbnail"), std::string::npos) << name;
    EXPECT_EQ(name.find("printerSettings"), std::string::npos) << name;
    EXPECT_EQ(name.find("custom"), std::string::npos) << name;
    EXPECT_EQ(name.find("comments"), std::string::npos) << name;
  }
  EXPECT_EQ(testing::zip_names(result_->bytes).front(), "[Content_Types].xml");
  std::string document = zip_part(result_->bytes, "word/document.xml");
  EXPECT_EQ(document.find("w:vanish"), std::string::npos);
  EXPECT_EQ(document.find("w:ins "), std::string::npos);
}

TEST_F(DocxTest, SameInputGivesSameBytes) {
  auto doc = parse_markdown(testing::read_file(testing::sample_markdown()));
  ASSERT_TRUE(doc);
  auto again = render_docx(*doc, {40, 36});
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->bytes == result_->bytes);
}

TEST_F(DocxTest, LibreOfficeOpensItWithTheSameHeadings) {
  // scripts/install-deps installs LibreOffice (scripts/deps/docs.txt): its absence is a failure.
  ASSERT_EQ(run("command -v soffice").exit_code, 0) << "LibreOffice is missing: run scripts/install-deps";
  testing::TempDir dir;
  auto docx = dir.path() / "sample.docx";
  testing::write_text(docx, result_->bytes);
  auto convert = run(fmt::format(
      "soffice --headless -env:UserInstallation=file://{}/profile --convert-to pdf --outdir {} {}",
      dir.path().string(), quote(dir.path()), quote(docx)));
  ASSERT_EQ(convert.exit_code, 0) << convert.out;
  // The body is set in IPAex Mincho (not a Gothic fallback) and the contents show numbers.
  auto fonts = run("pdffonts " + quote(dir.path() / "sample.pdf"));
  EXPECT_NE(fonts.out.find("IPAexMincho"), std::string::npos) << fonts.out;
  EXPECT_EQ(fonts.out.find("DejaVu"), std::string::npos) << fonts.out;
  auto toc = run("pdftotext -enc UTF-8 -layout -f 2 -l 2 " + quote(dir.path() / "sample.pdf") + " -");
  std::string toc_text;  // on the character grid LibreOffice spaces the characters out
  for (char c : toc.out)
    if (c != ' ') toc_text += c;
  for (const char* entry : {R"(事業の概要\.*3\n)", R"(得られた教訓\.*\d+\n)"})
    EXPECT_TRUE(std::regex_search(toc_text, std::regex(entry))) << entry << "\n" << toc.out;
  auto text = run("pdftotext -enc UTF-8 " + quote(dir.path() / "sample.pdf") + " -");
  ASSERT_EQ(text.exit_code, 0) << text.out;
  // On a character grid LibreOffice spaces the characters out; compare without spaces.
  std::string compact;
  for (char c : text.out)
    if (c != ' ' && c != '\n') compact += c;
  size_t at = 0;
  for (const char* heading :
       {"目次", "事業の概要", "実施体制", "成果指標の達成状況", "参加校数と協力企業数",
        "得られた教訓", "地域ブロック別の参加校数と協力企業数"}) {
    size_t found = compact.find(heading, at);
    ASSERT_NE(found, std::string::npos) << heading << "\n" << text.out;
    at = found;
  }
}

TEST(Docx, ImageFiguresAreEmbeddedInDocxAndPdf) {
  testing::TempDir dir;
  auto spec =
      parse_chart_spec(R"({"type":"bar","categories":["a"],"series":[{"name":"x","values":[1]}]})");
  ASSERT_TRUE(spec);
  std::string png = chart_png(*spec, 200, 100, 1);
  std::filesystem::create_directories(dir.path() / "images");
  testing::write_text(dir.path() / "images" / "taisei.png", png);
  auto doc = parse_markdown("# 体制\n\n![実施体制の図](images/taisei.png)\n", dir.path());
  ASSERT_OK(doc);
  auto docx = render_docx(*doc);
  ASSERT_TRUE(docx);
  EXPECT_TRUE(zip_part(docx->bytes, "word/media/image1.png") == png);
  auto pdf = render_pdf(*doc);
  ASSERT_TRUE(pdf);
  testing::write_text(dir.path() / "image.pdf", *pdf);
  auto images = run("pdfimages -list " + quote(dir.path() / "image.pdf"));
  EXPECT_NE(images.out.find("   200   100  rgb"), std::string::npos) << images.out;
  auto text = run("pdftotext -enc UTF-8 " + quote(dir.path() / "image.pdf") + " -");
  EXPECT_NE(text.out.find("実施体制の図"), std::string::npos);
}

TEST(Docx, CoverTitleBreaksBetweenWordsOnly) {
  Document doc;
  doc.meta.title = "令和8年度「学びと社会の在り方改革推進事業」（「未来の教室」実証事業）仕様書";
  auto docx = render_docx(doc);
  ASSERT_OK(docx);
  pugi::xml_document xml;
  ASSERT_TRUE(xml.load_string(zip_part(docx->bytes, "word/document.xml").c_str()));
  auto title = xml.select_node("//w:p[w:pPr/w:pStyle/@w:val='Title']").node();
  std::vector<std::string> lines(1);
  for (auto r : title.children("w:r")) {
    if (r.child("w:br")) lines.emplace_back();
    lines.back() += r.child("w:t").child_value();
  }
  EXPECT_EQ(lines, (std::vector<std::string>{"令和8年度「学びと社会の在り方", "改革推進事業」（「未来の",
                                             "教室」実証事業）仕様書"}));
}

TEST(Docx, RefusesAGridOutsideItsLimits) {
  Document doc;
  auto r = render_docx(doc, {100, 36});
  ASSERT_FALSE(r);
  ExpectError(r, ErrorCode::kInvalidArgument, "文字数は 10〜80、行数は 10〜60 の範囲で指定してください");
}

TEST(Docx, PageEstimateGrowsWithText) {
  Document doc;
  doc.blocks.push_back(
      Heading{.level = 1, .number = "第1章", .text = {Span{.text = "章"}}, .id = "sec-1"});
  std::string line(3 * 40, 'x');  // 120 half-width letters = 60 full-width = 2 lines of 40
  std::string para;
  for (int i = 0; i < 40; ++i) para += "あ";
  for (int i = 0; i < 70; ++i) doc.blocks.push_back(Paragraph{{Span{.text = para}}});
  // cover + 1 contents page + (2 heading lines + 70 paragraphs x 2 lines) / 36 lines = 4 pages
  EXPECT_EQ(estimate_pages(doc, 40, 36), 1 + 1 + 4);
}

}  // namespace
}  // namespace kakehashi::docs
