#include "docs/chart.h"

#include <gtest/gtest.h>

#include <regex>

#include <pugixml.hpp>

#include "support/result.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::docs {
namespace {

ChartSpec parse(const char* json) {
  auto spec = parse_chart_spec(json);
  if (!spec) throw std::runtime_error(spec.error().message);
  return *spec;
}

TEST(Chart, NiceTicksAreRoundNumbersCoveringTheRange) {
  Ticks t = nice_ticks(0, 78, 5);
  EXPECT_EQ(t.low, 0);
  EXPECT_EQ(t.step, 20);
  EXPECT_EQ(t.high, 80);
  EXPECT_EQ(t.decimals, 0);
  Ticks small = nice_ticks(0.12, 0.93, 5);
  EXPECT_DOUBLE_EQ(small.step, 0.2);
  EXPECT_DOUBLE_EQ(small.low, 0);
  EXPECT_DOUBLE_EQ(small.high, 1.0);
  EXPECT_EQ(small.decimals, 1);
  Ticks negative = nice_ticks(-35, 120, 5);
  EXPECT_EQ(negative.low, -50);
  EXPECT_EQ(negative.high, 150);
}

TEST(Chart, CountAxesGetWholeNumberTicks) {
  EXPECT_DOUBLE_EQ(nice_ticks(0, 12, 5).step, 2.5);  // a measured quantity may step by 2.5
  Ticks counts = nice_ticks(0, 12, 5, true);
  EXPECT_EQ(counts.step, 2);
  EXPECT_EQ(counts.decimals, 0);
  Ticks one = nice_ticks(0, 1, 5, true);
  EXPECT_EQ(one.step, 1);
  EXPECT_EQ(one.high, 1);
  EXPECT_EQ(nice_ticks(0, 120, 5, true).step, 25);  // 25 schools is a whole number
  // Drawn: a bar chart of whole numbers labels its axis 0, 2, 4 … (no 2.5, 7.5, 0.2).
  ChartSpec bars = parse(
      R"({"type":"bar","categories":["a","b","c"],"series":[{"name":"回数","values":[12,3,7]}]})");
  std::string svg = chart_svg(bars, 480, 300);
  EXPECT_NE(svg.find(">12</text>"), std::string::npos);
  EXPECT_NE(svg.find(">2</text>"), std::string::npos);
  for (const char* fraction : {">2.5<", ">7.5<", ">0.5<", ">12.5<"})
    EXPECT_EQ(svg.find(fraction), std::string::npos) << fraction;
  ChartSpec ones = parse(
      R"({"type":"bar","categories":["北海道","東北"],"series":[{"name":"者","values":[1,1]}]})");
  std::string one_svg = chart_svg(ones, 480, 300);
  EXPECT_EQ(one_svg.find(">0.2<"), std::string::npos);
  EXPECT_NE(one_svg.find(">1</text>"), std::string::npos);
  // Values with fractions keep fractional ticks.
  ChartSpec rates = parse(
      R"({"type":"line","categories":["a","b"],"series":[{"name":"率","values":[0.5,1.2]}]})");
  EXPECT_TRUE(std::regex_search(chart_svg(rates, 480, 300), std::regex(R"(>\d+\.\d+</text>)")));
}

TEST(Chart, FormatsNumbersWithGrouping) {
  EXPECT_EQ(format_number(1234567, 0), "1,234,567");
  EXPECT_EQ(format_number(-1038.5, 1), "-1,038.5");
  EXPECT_EQ(format_number(-0.0001, 1), "0.0");
  EXPECT_EQ(format_number(999, 0), "999");
}

TEST(Chart, DataTableCarriesUnitInHeadersAndNumbersAsNumbers) {
  auto spec = parse(R"({"title":"参加校数","type":"bar","unit":"校","categories":["東北","関東"],
      "series":[{"name":"目標","values":[35,60]},{"name":"実績","values":[41,78]}]})");
  DataTable t = chart_data(spec);
  EXPECT_EQ(t.header, (std::vector<std::string>{"項目", "目標（校）", "実績（校）"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[1][0].text, "関東");
  EXPECT_TRUE(t.rows[1][2].is_number);
  EXPECT_EQ(t.rows[1][2].number, 78);
}

TEST(Chart, HistogramCountsEveryValueOnce) {
  auto spec = parse(
      R"({"title":"分布","type":"histogram","unit":"人","series":[{"name":"点","values":[1,2,2,3,9,10]}]})");
  DataTable t = chart_data(spec);
  double total = 0;
  for (auto& row : t.rows) total += row[2].number;
  EXPECT_EQ(total, 6);
  EXPECT_EQ(t.header[2], "度数（人）");
}

TEST(Chart, SvgIsWellFormedLabelledAndSelfContained) {
  for (const char* type : {"bar", "stacked_bar", "line", "pie", "scatter"}) {
    std::string json =
        std::string(R"({"title":"売上 <比較> & 推移","type":")") + type +
        R"(","unit":"百万円","categories":["1","2","3"],"series":[{"name":"A","values":[3,1,2]},{"name":"B","values":[1,2,3]}]})";
    auto spec = parse(json.c_str());
    std::string svg = chart_svg(spec, 480, 300);
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(svg.c_str())) << type;
    auto root = doc.child("svg");
    EXPECT_STREQ(root.attribute("role").value(), "img") << type;
    EXPECT_STREQ(root.attribute("aria-label").value(), "売上 <比較> & 推移") << type;
    EXPECT_EQ(svg.find("href"), std::string::npos) << type;
    EXPECT_EQ(svg.find("url("), std::string::npos) << type;
  }
}

TEST(Chart, PieChartsRefuseNegativeValues) {
  auto spec = parse_chart_spec(
      R"({"type":"pie","categories":["a","b"],"series":[{"name":"x","values":[1,-1]}]})");
  ASSERT_FALSE(spec);
  ExpectError(spec, ErrorCode::kInvalidArgument, "円グラフに負の値は使えません");
}

TEST(Chart, PngHasTheRequestedSize) {
  auto spec =
      parse(R"({"type":"line","categories":["a","b"],"series":[{"name":"x","values":[1,2]}]})");
  std::string png = chart_png(spec, 100, 50, 2);
  ASSERT_GT(png.size(), 24u);
  EXPECT_EQ(png.substr(1, 3), "PNG");
  auto be32 = [&](size_t at) {
    return (unsigned(uint8_t(png[at])) << 24) | (unsigned(uint8_t(png[at + 1])) << 16) |
           (unsigned(uint8_t(png[at + 2])) << 8) | unsigned(uint8_t(png[at + 3]));
  };
  EXPECT_EQ(be32(16), 200u);
  EXPECT_EQ(be32(20), 100u);
}

}  // namespace
}  // namespace kakehashi::docs
