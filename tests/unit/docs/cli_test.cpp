// `kakehashi doc render` end to end: the "Done when" lines of the document engine.
#include <gtest/gtest.h>

#include <regex>

#include "docs/test_util.h"

namespace kakehashi::docs {
namespace {

using testing::quote;
using testing::run;

TEST(DocRenderCli, WritesPdfHtmlDocxAndFigureData) {
  testing::TempDir dir;
  auto r = run(testing::kakehashi_bin() + " doc render " + quote(testing::sample_markdown()) +
               " --out " + quote(dir.path()) + " --grid 40x36");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto out = dir.path();
  EXPECT_NE(r.out.find((out / "sample-report.pdf").string() + "\n"), std::string::npos);
  EXPECT_NE(r.out.find((out / "sample-report.html").string() + "\n"), std::string::npos);
  EXPECT_NE(r.out.find((out / "sample-report.docx").string() + "\n"), std::string::npos);
  EXPECT_TRUE(std::regex_search(r.out, std::regex("DOCX の推定ページ数: \\d+\n")));
  for (const char* name :
       {"sample-report.pdf", "sample-report.html", "sample-report.docx",
        "figures/図2-1_地域ブロック別の参加校数.csv", "figures/図2-1_地域ブロック別の参加校数.xlsx",
        "figures/表2-1_地域ブロック別の参加校数と協力企業数.csv",
        "figures/表2-1_地域ブロック別の参加校数と協力企業数.xlsx"})
    EXPECT_TRUE(std::filesystem::is_regular_file(out / name)) << name;
  auto text = run("pdftotext -enc UTF-8 " + quote(out / "sample-report.pdf") + " -");
  EXPECT_NE(text.out.find("成果指標の達成状況"), std::string::npos);
}

TEST(DocRenderCli, TitleOptionOverridesFrontMatter) {
  testing::TempDir dir;
  auto r = run(testing::kakehashi_bin() + " doc render " + quote(testing::sample_markdown()) +
               " --out " + quote(dir.path()) + " --title '別の題名'");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto info = run("pdfinfo " + quote(dir.path() / "sample-report.pdf"));
  EXPECT_NE(info.out.find("Title:           別の題名"), std::string::npos) << info.out;
}

TEST(DocRenderCli, InputErrorsNameTheLineAndExitTwo) {
  testing::TempDir dir;
  auto input = dir.path() / "bad.md";
  testing::write_text(input, "# 章\n\n```chart\n{\"type\":\"bar\"}\n```\n");
  auto r = run(testing::kakehashi_bin() + " doc render " + quote(input) + " --out " +
               quote(dir.path() / "out"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "kakehashi: bad.md: 3行目: グラフ指定に \"series\"（系列の配列）がありません\n");
  auto missing = run(testing::kakehashi_bin() + " doc render " + quote(dir.path() / "none.md") +
                     " --out " + quote(dir.path() / "out"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.out,
            "kakehashi: 入力ファイルを開けません: " + (dir.path() / "none.md").string() + "\n");
  auto grid = run(testing::kakehashi_bin() + " doc render " + quote(testing::sample_markdown()) +
                  " --out " + quote(dir.path() / "out") + " --grid 40");
  EXPECT_EQ(grid.exit_code, 2);
  EXPECT_EQ(grid.out, "kakehashi: --grid は「文字数x行数」の形で指定してください（例: 40x36）\n");
}

}  // namespace
}  // namespace kakehashi::docs
