// `kakehashi survey analyze` end to end: the binary, real files, stdout and exit codes.
#include <gtest/gtest.h>

#include <array>
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "base/text.h"
#include "support/temp_dir.h"
#include "unit/survey/relative.h"

namespace kakehashi::survey {
namespace {

struct CommandRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class SurveyCli : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& bytes) {
    const auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }

  CommandRun run(const std::string& arguments) {
    const char* binary = std::getenv("KAKEHASHI_BIN");
    if (binary == nullptr) {
      ADD_FAILURE() << "KAKEHASHI_BIN is not set: run this test through ctest";
      return {};
    }
    const auto err_path = dir_ / "stderr.txt";
    const std::string command = std::string(binary) + " " + arguments + " 2>" + err_path.string();
    CommandRun result;
    FILE* pipe = ::popen(command.c_str(), "r");
    std::array<char, 4096> buffer;
    size_t got;
    while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
      result.out.append(buffer.data(), got);
    const int status = ::pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream err(err_path);
    result.err.assign(std::istreambuf_iterator<char>(err), {});
    return result;
  }

  ::kakehashi::testing::TempDir temp_;
  std::filesystem::path dir_ = temp_.path();
};

constexpr const char* kConfig = R"({
  "respondent": "回答者ID", "wave": "時期", "pre": "事前", "post": "事後",
  "items": [{"column": "Q1", "label": "実験は楽しい", "group": "理科への関心",
             "scale": {"とてもそう思う": 5, "そう思う": 4, "どちらともいえない": 3,
                       "あまりそう思わない": 2, "まったくそう思わない": 1}}]
})";

// A Microsoft Forms export saved by Excel as Shift_JIS: the likert20 data set of
// paired_test.cpp (pre 3,2,4,..., post 4,3,4,...), points written as wording, some digits
// full-width, one answer off the scale.
std::string forms_export() {
  const int pre[] = {3, 2, 4, 3, 3, 2, 1, 4, 3, 2, 5, 3, 2, 4, 3, 3, 2, 1, 3, 4};
  const int post[] = {4, 3, 4, 4, 5, 2, 3, 4, 4, 3, 5, 4, 3, 5, 3, 4, 3, 2, 4, 5};
  const char* wording[] = {
      "",         "まったくそう思わない", "あまりそう思わない", "どちらともいえない",
      "そう思う", "とてもそう思う"};
  const char* full_width[] = {"", "１", "２", "３", "４", "５"};
  std::string csv = "ID,開始時刻,回答者ID,時期,Q1\r\n";
  for (int i = 0; i < 20; ++i)
    csv += std::to_string(i + 1) + ",2026/06/01 10:00,S" + std::to_string(100 + i) + ",事前," +
           wording[pre[i]] + "\r\n";
  for (int i = 0; i < 20; ++i)
    csv += std::to_string(i + 21) + ",2026/12/01 10:00,S" + std::to_string(100 + i) + ",事後," +
           (i % 3 == 0 ? full_width[post[i]] : wording[post[i]]) + "\r\n";
  csv += "41,2026/12/01 10:00,S200,事後,とても思う\r\n";  // line 42
  return text::utf8_to_cp932(csv);
}

// Reference values: see paired_test.cpp, LikertItemWithTiesAndZeros (R snippet there).
TEST_F(SurveyCli, AnalyzesAFormsExportAsJson) {
  const auto input = write("forms.csv", forms_export());
  const auto config = write("config.json", kConfig);
  CommandRun r = run("survey analyze --input " + input + " --config " + config);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto root = boost::json::parse(r.out).as_object();
  const auto& item = root.at("items").as_array()[0].as_object();
  EXPECT_EQ(item.at("n").as_int64(), 20);
  EXPECT_REL(item.at("mean_diff").to_number<double>(), 0.85);
  EXPECT_REL(item.at("sd_diff").to_number<double>(), 0.58714294861239980483);
  EXPECT_REL(item.at("dz").to_number<double>(), 1.4476883389450773814);
  const auto& t_test = item.at("t_test").as_object();
  EXPECT_REL(t_test.at("t").to_number<double>(), 6.4742590722298984193);
  EXPECT_EQ(t_test.at("df").to_number<double>(), 19);
  EXPECT_REL(t_test.at("p").to_number<double>(), 3.3287366017279908731e-6);
  EXPECT_REL(t_test.at("ci95").as_array()[0].to_number<double>(), 0.575208641421526172);
  EXPECT_REL(t_test.at("ci95").as_array()[1].to_number<double>(), 1.124791358578473828);
  const auto& wilcoxon = item.at("wilcoxon").as_object();
  EXPECT_EQ(wilcoxon.at("V").to_number<double>(), 120);
  EXPECT_REL(wilcoxon.at("p").to_number<double>(), 0.00025283232469344267137);
  EXPECT_EQ(item.at("only_pre").as_int64(), 0);
  EXPECT_EQ(item.at("only_post").as_int64(), 0);
  EXPECT_EQ(boost::json::serialize(item.at("excluded")),
            R"([{"line":42,"value":"とても思う","reason":"選択肢にない回答です"}])");
  EXPECT_TRUE(item.at("note").is_null());
  const auto& chart = root.at("groups").as_array()[0].at("chart").as_object();
  EXPECT_EQ(chart, boost::json::parse(
                       R"({"title":"理科への関心（事前・事後の平均）","type":"bar","unit":"点",)"
                       R"("categories":["実験は楽しい"],"series":[{"name":"事前","values":[2.85]},)"
                       R"({"name":"事後","values":[3.7]}]})"));
}

TEST_F(SurveyCli, PrintsAJapaneseReport) {
  const auto input = write("forms.csv", forms_export());
  const auto config = write("config.json", kConfig);
  CommandRun r = run("survey analyze --input " + input + " --config " + config + " --format text");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("回答票 41 件（事前 20 件、事後 21 件）、回答者 21 人\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("■ 実験は楽しい（Q1）\n"), std::string::npos);
  EXPECT_NE(r.out.find("  平均: 事前 2.850 → 事後 3.700（差 +0.850、差の標準偏差 0.587、効果量 dz "
                       "= 1.448（大））\n"),
            std::string::npos);
  // The reference values rounded as R's print.htest rounds them (t to 4 decimals, p to 4
  // significant digits): t = 6.4743, df = 19, p-value = 3.329e-06.
  EXPECT_NE(
      r.out.find(
          "  対応のある t 検定: t(19) = 6.4743, p = 3.329e-06, 差の95%信頼区間 [0.5752, 1.1248]\n"),
      std::string::npos);
  // Likewise V = 120, p-value = 0.0002528.
  EXPECT_NE(
      r.out.find("  Wilcoxon 符号付順位検定: V = 120, p = 0.0002528（差が0の 5 人を除く 15 人）\n"),
      std::string::npos);
  EXPECT_NE(r.out.find("  判定: 事後に上昇（5% 水準で有意。t 検定・Wilcoxon 検定とも）\n"),
            std::string::npos);
  EXPECT_NE(r.out.find("    42 行目: 「とても思う」 選択肢にない回答です\n"), std::string::npos);
}

TEST_F(SurveyCli, DegenerateItemsSayWhyInsteadOfNaN) {
  const auto input = write("same.csv",
                           "回答者ID,時期,Q1\nA,事前,そう思う\nA,事後,とてもそう思う\n"
                           "B,事前,そう思う\nB,事後,とてもそう思う\n");
  const auto config = write("config.json", kConfig);
  CommandRun json = run("survey analyze --input " + input + " --config " + config);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(json.out.find("NaN"), std::string::npos);
  EXPECT_EQ(json.out.find("nan"), std::string::npos);
  const auto item = boost::json::parse(json.out).at("items").as_array()[0].as_object();
  EXPECT_TRUE(item.at("t_test").at("p").is_null());
  EXPECT_TRUE(item.at("dz").is_null());
  EXPECT_EQ(item.at("note").as_string(),
            "差（事後 − 事前）がすべて同じ値（+1）のため、t 検定と効果量 dz は計算できません");
  CommandRun text =
      run("survey analyze --input " + input + " --config " + config + " --format text");
  EXPECT_NE(text.out.find("  注記: 差（事後 − 事前）がすべて同じ値（+1）のため、t 検定と効果量 dz "
                          "は計算できません\n"),
            std::string::npos)
      << text.out;
  EXPECT_EQ(text.out.find("nan"), std::string::npos);
}

TEST_F(SurveyCli, MarkdownFeedsTheDocumentEngine) {
  const auto input = write("forms.csv", forms_export());
  const auto config = write("config.json", kConfig);
  CommandRun r =
      run("survey analyze --input " + input + " --config " + config + " --format markdown");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(
      r.out.find(
          "## 理科への関心\n\n```chart\n{\n  \"title\": \"理科への関心（事前・事後の平均）\""),
      std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("| 実験は楽しい | 20 | 2.850 | 3.700 | +0.850 |"), std::string::npos);
  EXPECT_NE(r.out.find("\nTable: 理科への関心：事前と事後の比較"), std::string::npos);
}

TEST_F(SurveyCli, ListsColumnsToHelpWriteAConfig) {
  const auto input = write("forms.csv", forms_export());
  CommandRun r = run("survey columns --input " + input + " --max-values 3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("列の一覧: " + input + "（5 列）\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n4. 時期（回答 41 件）\n   事後 … 21 件\n   事前 … 20 件\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\n1. ID（回答 41 件、すべて数値）\n"), std::string::npos) << r.out;
  // Q1 holds the wording and, normalised from full-width digits, points such as "4".
  EXPECT_NE(r.out.find("\n5. Q1（回答 41 件）\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("   ほかにも値があります\n"), std::string::npos) << r.out;

  CommandRun json = run("survey columns --input " + input + " --format json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto columns = boost::json::parse(json.out).at("columns").as_array();
  ASSERT_EQ(columns.size(), 5u);
  EXPECT_EQ(columns[3].at("name").as_string(), "時期");
  EXPECT_EQ(columns[3].at("values").as_array()[0].at("count").as_int64(), 21);
}

TEST_F(SurveyCli, WrongCallsExitWithUsageErrors) {
  const auto input = write("forms.csv", forms_export());
  const auto config = write("config.json", kConfig);
  CommandRun format =
      run("survey analyze --input " + input + " --config " + config + " --format xml");
  EXPECT_EQ(format.exit_code, 2);
  EXPECT_EQ(format.err,
            "kakehashi: --format には json、text、markdown のいずれかを指定してください: xml\n");
  EXPECT_EQ(format.out, "");

  const auto other = write("other.json", R"({"respondent":"回答者ID","wave":"時期","pre":"事前",
      "post":"事後","items":[{"column":"Q9"}]})");
  CommandRun missing = run("survey analyze --input " + input + " --config " + other);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err,
            "kakehashi: CSV に列「Q9」がありません（見出し: ID、開始時刻、回答者ID、時期、Q1）\n");

  CommandRun no_config =
      run("survey analyze --input " + input + " --config " + (dir_ / "none.json").string());
  EXPECT_EQ(no_config.exit_code, 2);
  EXPECT_EQ(no_config.err,
            "kakehashi: 設定ファイルを開けません: " + (dir_ / "none.json").string() + "\n");
}

}  // namespace
}  // namespace kakehashi::survey
