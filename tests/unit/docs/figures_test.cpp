#include "docs/figures.h"

#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "base/csv.h"
#include "docs/markdown.h"
#include "docs/test_util.h"
#include "docs/xml_text.h"
#include "support/result.h"

namespace kakehashi::docs {
namespace {

TEST(Figures, OneCsvAndOneXlsxPerFigureAndTableNamedAfterIt) {
  auto doc = parse_markdown(testing::read_file(testing::sample_markdown()));
  ASSERT_TRUE(doc);
  testing::TempDir dir;
  auto files = write_figure_files(*doc, dir.path());
  ASSERT_OK(files);
  std::vector<std::string> names;
  for (auto& f : *files) names.push_back(f.filename().string());
  EXPECT_EQ(names.size(), 14u);  // 6 charts + 1 table, CSV and XLSX each
  EXPECT_EQ(names[0], "図2-1_地域ブロック別の参加校数.csv");
  EXPECT_EQ(names[3], "表2-1_地域ブロック別の参加校数と協力企業数.xlsx");
  EXPECT_EQ(names[4], "図2-2_月別の授業実施回数（年度比較）.csv");
}

TEST(Figures, CsvHasBomCrlfAndPlainNumbers) {
  auto doc = parse_markdown(
      "| 地域 | 企業数（社） |\n|---|--:|\n| 関東 | 1,038 |\n| 東北 | 95 |\n\nTable: 企業数\n");
  ASSERT_TRUE(doc);
  auto figures = figure_data(*doc);
  ASSERT_EQ(figures.size(), 1u);
  std::string csv = figure_csv(figures[0].table);
  EXPECT_EQ(csv, "\xEF\xBB\xBF地域,企業数（社）\r\n関東,1038\r\n東北,95\r\n");
  auto rows = csv::parse(csv);
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->size(), 3u);
}

TEST(Figures, MachineReadableCellsPrefectureCodesAndWesternDates) {
  auto doc = parse_markdown(
      "| 都道府県 | 開催日 | 参加者数 |\n|---|---|--:|\n| 東京都 | 令和8年4月1日 | １，２００ |\n"
      "| 北海道 | 令和元年5月1日 | 35 |\n| 大阪 | 平成31年4月30日 | 12.5 |\n");
  ASSERT_TRUE(doc);
  DataTable t = table_data(std::get<Table>(doc->blocks.at(0)));
  EXPECT_EQ(t.header,
            (std::vector<std::string>{"都道府県", "都道府県コード", "開催日", "参加者数"}));
  EXPECT_EQ(t.rows[0][1].text, "13");
  EXPECT_EQ(t.rows[1][1].text, "01");
  EXPECT_EQ(t.rows[2][1].text, "27");
  EXPECT_EQ(t.rows[0][2].text, "2026-04-01");
  EXPECT_EQ(t.rows[1][2].text, "2019-05-01");
  EXPECT_EQ(t.rows[2][2].text, "2019-04-30");
  EXPECT_TRUE(t.rows[0][3].is_number);
  EXPECT_EQ(t.rows[0][3].number, 1200);
  EXPECT_EQ(t.rows[2][3].number, 12.5);
}

TEST(Figures, NumbersWrittenWithAUnitBecomeNumbersWithTheUnitInTheHeader) {
  // The schedule of the specification: a year column "2026年" and a time-of-year column.
  auto doc = parse_markdown(
      "| 年 | 時期 | 参加校 | 年度 |\n|---|---|--:|---|\n| 2026年 | 7月上旬 | 78校 | 令和8年度 |\n"
      "|  | 8月上旬 | 1,038校 | 令和9年度 |\n| ２０２７年 | 2月下旬 | ４１校 |  |\n\nTable: 日程\n\n"
      "```chart\n{\"title\":\"推移\",\"type\":\"line\",\"categories\":[\"2025年\",\"2026年\"],"
      "\"series\":[{\"name\":\"件数\",\"values\":[3,5]}]}\n```\n");
  ASSERT_OK(doc);
  auto figures = figure_data(*doc);
  ASSERT_EQ(figures.size(), 2u);
  DataTable& t = figures[0].table;
  EXPECT_EQ(t.header, (std::vector<std::string>{"年", "時期", "参加校（校）", "年度"}));
  EXPECT_TRUE(t.rows[0][0].is_number);
  EXPECT_EQ(t.rows[0][0].number, 2026);
  EXPECT_FALSE(t.rows[1][0].is_number);  // empty stays empty
  EXPECT_EQ(t.rows[2][0].number, 2027);
  EXPECT_FALSE(t.rows[0][1].is_number);  // 7月上旬 is a time of year, not a count
  EXPECT_EQ(t.rows[1][2].number, 1038);
  EXPECT_EQ(t.rows[0][3].number, 2026);
  EXPECT_EQ(t.rows[1][3].number, 2027);
  EXPECT_EQ(figure_csv(t),
            "\xEF\xBB\xBF年,時期,参加校（校）,年度\r\n2026,7月上旬,78,2026\r\n,8月上旬,1038,2027\r\n"
            "2027,2月下旬,41,\r\n");
  DataTable& chart = figures[1].table;
  EXPECT_EQ(chart.header[0], "項目（年）");
  EXPECT_TRUE(chart.rows[1][0].is_number);
  EXPECT_EQ(chart.rows[1][0].number, 2026);
  // In the XLSX a year is a number shown without grouping (2026, not 2,026).
  testing::TempDir dir;
  auto path = dir.path() / "y.xlsx";
  ASSERT_OK(write_figure_xlsx(figures[0], path));
  std::string bytes = testing::read_file(path);
  pugi::xml_document sheet, styles;
  ASSERT_TRUE(sheet.load_string(testing::zip_part(bytes, "xl/worksheets/sheet1.xml").c_str()));
  ASSERT_TRUE(styles.load_string(testing::zip_part(bytes, "xl/styles.xml").c_str()));
  auto a2 = sheet.select_node("//c[@r='A2']").node();
  EXPECT_STREQ(a2.child("v").child_value(), "2026");
  EXPECT_STRNE(a2.attribute("t").value(), "s");
  int style = a2.attribute("s").as_int();
  auto xf = styles.select_nodes("//cellXfs/xf")[style].node();
  int format = xf.attribute("numFmtId").as_int();
  auto fmt_node = styles.select_node(fmt::format("//numFmt[@numFmtId='{}']", format).c_str()).node();
  EXPECT_TRUE(format == 1 || std::string_view(fmt_node.attribute("formatCode").value()) == "0")
      << format;
}

TEST(Figures, XlsxReadsBackWithFrozenStyledHeaderNumbersAndNoPerson) {
  auto doc = parse_markdown(
      "| 地域 | 企業数（社） | 達成率（%） |\n|---|--:|--:|\n| 関東 | 1,038 | 93.3 |\n\nTable: "
      "企業数\n");
  ASSERT_TRUE(doc);
  auto figures = figure_data(*doc);
  testing::TempDir dir;
  auto path = dir.path() / "t.xlsx";
  ASSERT_TRUE(write_figure_xlsx(figures[0], path));
  std::string bytes = testing::read_file(path);
  pugi::xml_document sheet, core, workbook, strings, styles;
  ASSERT_TRUE(sheet.load_string(testing::zip_part(bytes, "xl/worksheets/sheet1.xml").c_str()));
  ASSERT_TRUE(core.load_string(testing::zip_part(bytes, "docProps/core.xml").c_str()));
  ASSERT_TRUE(workbook.load_string(testing::zip_part(bytes, "xl/workbook.xml").c_str()));
  ASSERT_TRUE(strings.load_string(testing::zip_part(bytes, "xl/sharedStrings.xml").c_str()));
  ASSERT_TRUE(styles.load_string(testing::zip_part(bytes, "xl/styles.xml").c_str()));
  EXPECT_STREQ(sheet.select_node("//pane").node().attribute("state").value(), "frozen");
  EXPECT_STREQ(sheet.select_node("//pane").node().attribute("ySplit").value(), "1");
  EXPECT_STREQ(workbook.select_node("//sheet").node().attribute("name").value(), "表1");
  // Numbers are numeric cells with their value, not text.
  auto b2 = sheet.select_node("//c[@r='B2']").node();
  EXPECT_STREQ(b2.attribute("t").value(), "");
  EXPECT_STREQ(b2.child("v").child_value(), "1038");
  EXPECT_STREQ(sheet.select_node("//c[@r='C2']/v").node().child_value(), "93.3");
  EXPECT_TRUE(styles.select_node("//numFmt[@formatCode='#,##0.0']"));
  EXPECT_EQ(sheet.select_nodes("//col").size(), 3u);
  EXPECT_TRUE(sheet.select_nodes("//*[@hidden='1']").empty());
  EXPECT_TRUE(workbook.select_nodes("//*[@state='hidden' or @state='veryHidden']").empty());
  auto props = core.child("cp:coreProperties");
  EXPECT_STREQ(props.child("dc:title").child_value(), "表1 企業数");
  EXPECT_STREQ(props.child("dc:creator").child_value(), "");
  EXPECT_STREQ(props.child("cp:lastModifiedBy").child_value(), "");
  EXPECT_STREQ(props.child("dcterms:created").child_value(), "2000-01-01T00:00:00Z");
  // Same figure, same bytes.
  auto again = dir.path() / "u.xlsx";
  ASSERT_TRUE(write_figure_xlsx(figures[0], again));
  EXPECT_TRUE(testing::read_file(again) == bytes);
}

TEST(Figures, FileNamesAreSafeOnWindows) {
  EXPECT_EQ(safe_file_stem("図1-1_比較: A/B <案>?"), "図1-1_比較_ A_B _案__");
  EXPECT_EQ(safe_file_stem("表2-1_見出し. "), "表2-1_見出し");
  EXPECT_EQ(safe_file_stem(std::string(100, 'a')).size(), kMaxFileStemCodePoints);
  EXPECT_EQ(prefecture_code("沖縄県"), 47);
  EXPECT_EQ(prefecture_code("京都"), 26);
  EXPECT_EQ(prefecture_code("関東"), 0);
}

}  // namespace
}  // namespace kakehashi::docs
