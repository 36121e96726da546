// From a Forms-style export to item results: normalisation, exclusions, pairing, groups.
#include "survey/analysis.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "base/text.h"
#include "support/result.h"
#include "support/temp_dir.h"
#include "survey/config.h"
#include "survey/report.h"
#include "unit/survey/relative.h"

namespace kakehashi::survey {
namespace {

constexpr std::string_view kConfig = R"({
  "title": "出前授業アンケート",
  "respondent": "回答者ID", "wave": "時期", "pre": "事前", "post": "事後",
  "items": [
    {"column": "Q1", "label": "理科の授業は楽しい", "group": "関心",
     "scale": {"とてもそう思う": 5, "そう思う": 4, "どちらともいえない": 3,
               "あまりそう思わない": 2, "まったくそう思わない": 1}},
    {"column": "Q2", "label": "将来の仕事を考えた", "group": "関心",
     "scale": {"とてもそう思う": 5, "そう思う": 4, "どちらともいえない": 3,
               "あまりそう思わない": 2, "まったくそう思わない": 1}},
    {"column": "Q3", "label": "1週間の読書時間", "min": -10, "max": 100}
  ]
})";

SurveyConfig config() {
  auto parsed = parse_config(kConfig);
  EXPECT_OK(parsed);
  return *parsed;
}

SurveyResult analyze_text(std::string_view csv_text) {
  auto rows = csv::parse(csv_text);
  EXPECT_TRUE(rows);
  auto result = analyze(*rows, config(), 2);
  EXPECT_OK(result);
  return *result;
}

// The sleep-data differences on a numeric item, mixed with Forms habits: full-width digits,
// ideographic and ASCII spaces around answers, sheets in any order.
constexpr std::string_view kExport =
    "タイムスタンプ,回答者ID,時期,Q1,Q2,Q3\r\n"
    "2026/06/01 9:00,A01,事前,そう思う,どちらともいえない,0.7\r\n"     // line 2
    "2026/06/01 9:01,A02,事前,どちらともいえない,そう思う,-1.6\r\n"    // 3
    "2026/06/01 9:02,A03,事前, あまりそう思わない ,そう思う,-0.2\r\n"  // 4
    "2026/06/01 9:03,Ａ０４,事前,そう思う,とても思う,-1.2\r\n"         // 5 (Q2 off scale)
    "2026/06/01 9:04,A05,事前,3,そう思う,-0.1\r\n"                     // 6 (Q1 as points)
    "2026/12/01 9:00,A01,事後,とてもそう思う,そう思う,１.９\r\n"       // 7
    "2026/12/01 9:01,A02, 事後　,とてもそう思う,そう思う,0.8\r\n"      // 8
    "2026/12/01 9:02,A03,事後,そう思う,,1.1\r\n"                       // 9 (Q2 blank)
    "2026/12/01 9:03,A04,事後,そう思う,6,0.1\r\n"                      // 10 (Q2 off scale)
    "2026/12/01 9:04,A05,事後,そう思う,そう思う,たくさん\r\n"          // 11 (Q3 not a number)
    "2026/12/01 9:05,A06,事後,そう思う,そう思う,150\r\n"               // 12 (Q3 out of range)
    "2026/12/01 9:06,A06,事後,そう思う,そう思う,5\r\n"                 // 13 (duplicate sheet)
    "2026/09/01 9:06,A07,中間,そう思う,そう思う,5\r\n"                 // 14 (unknown wave)
    "2026/09/01 9:06,,事前,そう思う,そう思う,5\r\n";                   // 15 (no ID)

TEST(Analysis, PairsRespondentsAcrossWavesAndNormalisesAnswers) {
  SurveyResult result = analyze_text(kExport);
  EXPECT_EQ(result.sheets, 14u);
  EXPECT_EQ(result.respondents, 6u);  // A01..A05 (Ａ０４ is A04) and A06
  EXPECT_EQ(result.pre_sheets, 5u);
  EXPECT_EQ(result.post_sheets, 6u);
  ASSERT_EQ(result.items.size(), 3u);

  const ItemResult& q1 = result.items[0];
  // pre 4,3,2,4,3 / post 5,5,4,4,4: every respondent counts, "3" taken as points.
  EXPECT_EQ(q1.statistics.n, 5u);
  EXPECT_EQ(*q1.statistics.mean_pre, 3.2);
  EXPECT_EQ(*q1.statistics.mean_post, 4.4);
  EXPECT_EQ(q1.only_pre, 0u);
  EXPECT_EQ(q1.only_post, 1u);  // A06
  EXPECT_TRUE(q1.excluded.empty());
}

// The excluded answers of an item as "line:value:reason" lines.
std::vector<std::string> excluded_of(const ItemResult& item) {
  std::vector<std::string> out;
  for (const ExcludedAnswer& answer : item.excluded)
    out.push_back(std::to_string(answer.line) + ":" + answer.value + ":" + answer.reason);
  return out;
}

TEST(Analysis, ExplainsEveryExcludedAnswerWithItsLine) {
  SurveyResult result = analyze_text(kExport);
  const ItemResult& q2 = result.items[1];
  EXPECT_EQ(excluded_of(q2), (std::vector<std::string>{"5:とても思う:選択肢にない回答です",
                                                       "10:6:選択肢にない回答です"}));
  // A01, A02, A05 pair; A03 (blank after) and A04 (off scale both times) do not.
  EXPECT_EQ(q2.statistics.n, 3u);
  EXPECT_EQ(q2.only_pre, 1u);   // A03
  EXPECT_EQ(q2.only_post, 1u);  // A06

  const ItemResult& q3 = result.items[2];
  EXPECT_EQ(excluded_of(q3), (std::vector<std::string>{"11:たくさん:数値ではありません",
                                                       "12:150:範囲（-10〜100）の外です"}));
  EXPECT_EQ(q3.statistics.n, 4u);
  EXPECT_EQ(q3.only_pre, 1u);  // A05

  ASSERT_EQ(result.skipped.size(), 3u);
  EXPECT_EQ(result.skipped[0].line, 13u);
  EXPECT_EQ(result.skipped[0].reason,
            "回答者「A06」の事後の回答票が重複しています（12 行目の回答票を使います）");
  EXPECT_EQ(result.skipped[1].line, 14u);
  EXPECT_EQ(result.skipped[1].reason,
            "時期「中間」は「事前」「事後」のどちらでもないため、この回答票は集計に含めません");
  EXPECT_EQ(result.skipped[2].reason, "回答者IDが空のため、この回答票は集計に含めません");
}

// Q3 pairs: A01 0.7 -> 1.9 (full-width "１.９"), A02 -1.6 -> 0.8, A03 -0.2 -> 1.1,
// A04 -1.2 -> 0.1: the first four pairs of the sleep data.
//   t.test(c(1.9, 0.8, 1.1, 0.1), c(0.7, -1.6, -0.2, -1.2), paired = TRUE)
// Differences 1.2, 2.4, 1.3, 1.3: mean_diff 31/20, variance 97/300 (exact fractions), so
// sd = sqrt(97/300) = 0.56862407030773269345 and t = 1.55 / (sd / 2) = 5.4517565503731072671
// (mpmath, 40 digits).
TEST(Analysis, FullWidthNumbersAreRead) {
  SurveyResult result = analyze_text(kExport);
  const PairedStatistics& s = result.items[2].statistics;
  ASSERT_TRUE(s.t_test);
  EXPECT_REL(*s.mean_diff, 1.55);
  EXPECT_REL(*s.sd_diff, 0.56862407030773269345);
  EXPECT_REL(s.t_test->t, 5.4517565503731072671);
}

TEST(Analysis, GroupsGetAChartAndATable) {
  SurveyResult result = analyze_text(kExport);
  ASSERT_EQ(result.groups.size(), 2u);
  const ItemGroup& interest = result.groups[0];
  EXPECT_EQ(interest.title, "関心");
  EXPECT_EQ(interest.items, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(format_json(to_json(interest.chart)),
            "{\n"
            "  \"title\": \"関心（事前・事後の平均）\",\n"
            "  \"type\": \"bar\",\n"
            "  \"unit\": \"点\",\n"
            "  \"categories\": [\"理科の授業は楽しい\", \"将来の仕事を考えた\"],\n"
            "  \"series\": [\n"
            "    {\n"
            "      \"name\": \"事前\",\n"
            "      \"values\": [3.2, 3.6666666666666665]\n"
            "    },\n"
            "    {\n"
            "      \"name\": \"事後\",\n"
            "      \"values\": [4.4, 4]\n"
            "    }\n"
            "  ]\n"
            "}\n");
  ASSERT_EQ(interest.table.rows.size(), 2u);
  EXPECT_EQ(interest.table.header[2], "事前平均");
  EXPECT_EQ(interest.table.rows[0][0], "理科の授業は楽しい");
  EXPECT_EQ(interest.table.rows[0][1], "5");
  EXPECT_EQ(interest.table.rows[0][4], "+1.200");
  // The ungrouped numeric item falls into the survey's own group, without a unit.
  EXPECT_EQ(result.groups[1].title, "出前授業アンケート");
  EXPECT_EQ(result.groups[1].chart.unit, "");
}

TEST(Analysis, ReadsShiftJisExports) {
  ::kakehashi::testing::TempDir temp;
  const auto dir = temp.path();
  const auto path = dir / "forms.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << text::utf8_to_cp932(kExport);
  }
  auto result = analyze_file(path.string(), config());
  ASSERT_OK(result);
  EXPECT_EQ(result->items[0].statistics.n, 5u);
  EXPECT_EQ(result->items[1].excluded[0].value, "とても思う");
  EXPECT_REL(*result->items[2].statistics.mean_diff, 1.55);
}

TEST(Analysis, OneWaveMissingLeavesOnlyCounts) {
  SurveyResult result = analyze_text(
      "回答者ID,時期,Q1,Q2,Q3\n"
      "A,事前,そう思う,そう思う,1\n"
      "B,事前,そう思う,そう思う,2\n");
  const ItemResult& q1 = result.items[0];
  EXPECT_EQ(q1.statistics.n, 0u);
  EXPECT_EQ(q1.only_pre, 2u);
  EXPECT_EQ(q1.only_post, 0u);
  EXPECT_EQ(q1.statistics.note,
            "事前と事後の両方に有効な回答がある回答者がいないため、集計できません");
  const auto json = format_json(to_json(result));
  EXPECT_NE(json.find("\"mean_pre\": null"), std::string::npos);
  EXPECT_NE(json.find("\"t_test\": {\n        \"t\": null"), std::string::npos);
}

TEST(Analysis, MissingColumnIsAnError) {
  auto rows = csv::parse("回答者ID,時期,Q1,Q2\nA,事前,1,2\n");
  auto result = analyze(*rows, config());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "CSV に列「Q3」がありません（見出し: 回答者ID、時期、Q1、Q2）");
}

TEST(Analysis, HeaderNamesAreNormalised) {
  // Full-width "Ｑ１" and a BOM-less header with stray spaces still match the config.
  SurveyResult result = analyze_text(
      " 回答者ID ,時期,Ｑ１,Q2,Q3\n"
      "A,事前,そう思う,そう思う,1\nA,事後,とてもそう思う,そう思う,2\n");
  EXPECT_EQ(result.items[0].statistics.n, 1u);
}

TEST(Config, RejectsWhatCannotWork) {
  auto message = [](std::string_view json) {
    auto parsed = parse_config(json);
    return parsed ? std::string("ok") : parsed.error().message;
  };
  EXPECT_EQ(message("{"), "設定ファイル: JSON として読めません（incomplete JSON）");
  EXPECT_EQ(message(R"({"wave":"時期","pre":"事前","post":"事後","items":[{"column":"Q1"}]})"),
            "設定ファイル: \"respondent\" がありません");
  EXPECT_EQ(message(R"({"respondent":"ID","wave":"時期","pre":"事前","post":"事前","items":[]})"),
            "設定ファイル: \"pre\" と \"post\" に同じ値が指定されています");
  EXPECT_EQ(message(R"({"respondent":"ID","wave":"時期","pre":"事前","post":"事後","items":[]})"),
            "設定ファイル: \"items\" に設問を1つ以上、配列で指定してください");
  EXPECT_EQ(message(R"({"respondent":"ID","wave":"時期","pre":"事前","post":"事後",
                       "items":[{"column":"Q1","scale":{"はい":"1"}}]})"),
            "設定ファイル: items[0] の \"scale\" の「はい」の値は数値にしてください");
  EXPECT_EQ(message(R"({"respondent":"ID","wave":"時期","pre":"事前","post":"事後",
                       "items":[{"column":"Q1"},{"column":"Ｑ１"}]})"),
            "設定ファイル: 設問の列「Q1」が重複しています");
  EXPECT_EQ(message(R"({"respondent":"ID","wave":"時期","pre":"事前","post":"事後",
                       "items":[{"column":"Q1","min":5,"max":1}]})"),
            "設定ファイル: items[0] の \"min\" が \"max\" より大きくなっています");
}

TEST(Config, NormalisesScaleLabels) {
  auto parsed = parse_config(R"({"respondent":"ID","wave":"時期","pre":"事前","post":"事後",
      "items":[{"column":"Q1","scale":{"　はい ":1,"ｲｲｴ":0}}]})");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->items[0].scale[0].first, "はい");
  EXPECT_EQ(parsed->items[0].scale[1].first, "イイエ");
  EXPECT_EQ(parsed->items[0].label, "Q1");
}

TEST(Columns, SummariseAnExportForTheImportScreen) {
  auto rows = csv::parse(kExport);
  auto columns = summarize_columns(*rows, 3);
  ASSERT_TRUE(columns);
  ASSERT_EQ(columns->size(), 6u);
  const ColumnSummary& wave = (*columns)[2];
  EXPECT_EQ(wave.name, "時期");
  EXPECT_EQ(wave.answered, 14u);
  EXPECT_FALSE(wave.numeric);
  ASSERT_EQ(wave.values.size(), 3u);
  EXPECT_EQ(wave.values[0], (std::pair<std::string, std::size_t>{"事後", 7}));
  EXPECT_EQ(wave.values[1], (std::pair<std::string, std::size_t>{"事前", 6}));
  EXPECT_FALSE(wave.more_values);
  EXPECT_FALSE((*columns)[5].numeric);  // "たくさん"
  EXPECT_TRUE((*columns)[3].more_values);
}

}  // namespace
}  // namespace kakehashi::survey

namespace kakehashi::survey {
namespace {

// The decline6 data set of paired_test.cpp (t p = 0.158, Wilcoxon p = 0.197): no verdict of
// change, and a medium effect size word for dz = -0.677.
TEST(Report, TextSaysWhenThereIsNoSignificantChange) {
  auto config = parse_config(R"({"respondent":"ID","wave":"時期","pre":"事前","post":"事後",
      "items":[{"column":"Q1","label":"満足度"}]})");
  ASSERT_TRUE(config);
  std::string csv = "ID,時期,Q1\n";
  const int pre[] = {5, 4, 5, 3, 4, 4}, post[] = {3, 4, 2, 3, 1, 5};
  for (int i = 0; i < 6; ++i)
    csv += "R" + std::to_string(i) + ",事前," + std::to_string(pre[i]) + "\nR" + std::to_string(i) +
           ",事後," + std::to_string(post[i]) + "\n";
  auto rows = csv::parse(csv);
  auto result = analyze(*rows, *config);
  ASSERT_TRUE(result);
  const std::string text = to_text(*result, "満足度.csv");
  EXPECT_NE(text.find("効果量 dz = -0.677（中）"), std::string::npos) << text;
  EXPECT_NE(text.find("  判定: 5% 水準で有意な差は見られません（両検定とも）\n"), std::string::npos)
      << text;
  EXPECT_NE(
      text.find(
          "  対応のある t 検定: t(5) = -1.6592, p = 0.158, 差の95%信頼区間 [-2.9742, 0.6409]\n"),
      std::string::npos)
      << text;
}

}  // namespace
}  // namespace kakehashi::survey

namespace kakehashi::survey {
namespace {

TEST(Report, PValuesPrintAsRPrintsThem) {
  EXPECT_EQ(format_p(3.3287366017279908731e-6), "3.329e-06");
  EXPECT_EQ(format_p(0.0090906980159250620363), "0.009091");
  EXPECT_EQ(format_p(0.15797945082345659058), "0.158");
  EXPECT_EQ(format_p(1e-20), "< 2.2e-16");
  EXPECT_EQ(format_p(0.0), "< 2.2e-16");
}

TEST(Report, TinyPValuesReadAsInR) {
  auto config = parse_config(R"({"respondent":"ID","wave":"時期","pre":"事前","post":"事後",
      "items":[{"column":"Q1"}]})");
  ASSERT_TRUE(config);
  std::string csv = "ID,時期,Q1\n";
  for (int i = 0; i < 200; ++i)
    csv += fmt::format("R{0},事前,{1}\nR{0},事後,{2}\n", i, 1 + i % 3, 3 + i % 3 + i % 2);
  auto rows = csv::parse(csv);
  auto result = analyze(*rows, *config);
  ASSERT_TRUE(result);
  const std::string text = to_text(*result, "強い効果.csv");
  EXPECT_NE(text.find(", p < 2.2e-16, 差の95%信頼区間"), std::string::npos) << text;
  EXPECT_NE(text.find("  Wilcoxon 符号付順位検定: V = 20100, p < 2.2e-16（"), std::string::npos)
      << text;
}

}  // namespace
}  // namespace kakehashi::survey

namespace kakehashi::survey {
namespace {

// Tables follow the machine-readable rules: one value per cell, every row as wide as the
// header, "—" where a value cannot be computed.
TEST(Report, TablesHoldOneValuePerCell) {
  SurveyResult result = analyze_text(kExport);
  for (const ItemGroup& group : result.groups) {
    for (const auto& row : group.table.rows) {
      ASSERT_EQ(row.size(), group.table.header.size());
      for (const auto& cell : row) EXPECT_EQ(cell.find(','), std::string::npos) << cell;
    }
  }
  const Table& table = result.groups[0].table;
  EXPECT_EQ(table.header[10], "差の95%信頼区間（下限）");
  EXPECT_EQ(table.header[11], "差の95%信頼区間（上限）");
  // Q2 (n = 3): pre 3, 4, 4 / post 4, 4, 4 -> differences 1, 0, 0, tests computable.
  EXPECT_EQ(table.rows[1][1], "3");
  SurveyResult one_pair = analyze_text(
      "回答者ID,時期,Q1,Q2,Q3\nA,事前,そう思う,そう思う,1\n"
      "A,事後,そう思う,そう思う,2\n");
  const auto& row = one_pair.groups[0].table.rows[0];
  EXPECT_EQ(row[5], "—");  // sd of one difference
  ASSERT_EQ(row.size(), 14u);
  EXPECT_EQ(row[13], "—");  // Wilcoxon p
}

}  // namespace
}  // namespace kakehashi::survey
