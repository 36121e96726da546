// 様式2's columns from configuration (issue 25 "Forms"): the default has the fields known, a file
// replaces them, and a wrong file is refused with a Japanese message naming the column.
#include <gtest/gtest.h>

#include "package/build.h"
#include <fstream>

#include "support/result.h"
#include "support/temp_dir.h"

namespace kakehashi::package {
namespace {

std::vector<Form2Row> one_pdf(Date made_on) {
  return {{"未来の教室 実証事業 成果報告書", "未来の教室 実証事業 成果報告書.pdf", "未来の教室 事務局", 42, 81234, 1048576, made_on}};
}

std::vector<std::string> texts(const docs::DataTable& table, std::size_t row) {
  std::vector<std::string> out;
  for (const auto& cell : table.rows.at(row)) out.push_back(cell.text);
  return out;
}

TEST(Form2, DefaultColumnsDescribeEachPublicPdf) {
  auto config = parse_form2_config(form2_default_config());
  ASSERT_OK(config);
  auto table = form2_table(*config, one_pdf(*Date::parse("2027-03-19")));
  EXPECT_EQ(table.header, (std::vector<std::string>{"報告書名", "ファイル名", "年度", "委託事業者名", "担当課室名", "発行年月",
                                                    "ページ数", "文字数", "ファイルサイズ（バイト）"}));
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(texts(table, 0), (std::vector<std::string>{"未来の教室 実証事業 成果報告書", "未来の教室 実証事業 成果報告書.pdf",
                                                       "2026", "未来の教室 事務局", "商務・サービスグループ 教育産業室",
                                                       "2027-03", "42", "81234", "1048576"}));
  // Counts are numbers in the sheet (machine-readable), not text.
  EXPECT_TRUE(table.rows[0][2].is_number);
  EXPECT_TRUE(table.rows[0][6].is_number);
  EXPECT_FALSE(table.rows[0][5].is_number);
}

TEST(Form2, TheFiscalYearStartsInApril) {
  auto config = parse_form2_config(R"({"columns": [{"header": "年度", "field": "fiscal_year"}]})");
  ASSERT_OK(config);
  EXPECT_EQ(form2_table(*config, one_pdf(*Date::parse("2027-03-31"))).rows[0][0].text, "2026");
  EXPECT_EQ(form2_table(*config, one_pdf(*Date::parse("2027-04-01"))).rows[0][0].text, "2027");
}

TEST(Form2, AFileReplacesTheColumnsInItsOrder) {
  auto config = parse_form2_config(R"({"columns": [
    {"header": "管理番号", "text": ""},
    {"header": "委託調査報告書名", "field": "title"},
    {"header": "担当課室名", "text": "教育産業室"}]})");
  ASSERT_OK(config);
  auto table = form2_table(*config, one_pdf(*Date::parse("2027-03-19")));
  EXPECT_EQ(table.header, (std::vector<std::string>{"管理番号", "委託調査報告書名", "担当課室名"}));
  EXPECT_EQ(texts(table, 0), (std::vector<std::string>{"", "未来の教室 実証事業 成果報告書", "教育産業室"}));
}

TEST(Form2, AWrongFileIsRefusedNamingTheColumn) {
  auto message = [](std::string_view json) {
    auto r = parse_form2_config(json);
    EXPECT_FALSE(r);
    return r ? std::string() : r.error().message;
  };
  EXPECT_EQ(message("[1, 2]"), "様式2の設定ファイルが JSON のオブジェクトではありません。");
  EXPECT_EQ(message(R"({"columns": []})"), "様式2の設定に列（columns）がありません。");
  EXPECT_EQ(message(R"({"columns": [{"field": "title"}]})"), "様式2の設定の 1 列目に見出し（header）がありません。");
  EXPECT_EQ(message(R"({"columns": [{"header": "名前", "field": "title", "text": "x"}]})"),
            "様式2の設定の「名前」列には field（作成時の値）か text（固定の文字）のどちらか一方を書いてください。");
  EXPECT_EQ(message(R"({"columns": [{"header": "URL", "field": "url"}]})"),
            "様式2の設定の「URL」列の field「url」は使えません（使える値: title, file, pages, chars, bytes, issuer, published, fiscal_year）。");
}

TEST(Form2, TheServersBuildsTakeTheConfigurationFilesBesideThem) {
  testing::TempDir dir;
  auto defaults = form2_config_in(dir.path());
  ASSERT_OK(defaults);
  EXPECT_EQ(defaults->columns.size(), 9u);
  std::ofstream(dir.path() / "form2.json") << R"({"columns": [{"header": "委託調査報告書名", "field": "title"}]})";
  auto configured = form2_config_in(dir.path());
  ASSERT_OK(configured);
  ASSERT_EQ(configured->columns.size(), 1u);
  EXPECT_EQ(configured->columns[0].header, "委託調査報告書名");
  std::ofstream(dir.path() / "form1.json") << R"({"headings": []})";
  auto refused = form1_config_in(dir.path());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "様式1の設定に見出し（headings）がありません。");
}

}  // namespace
}  // namespace kakehashi::package
