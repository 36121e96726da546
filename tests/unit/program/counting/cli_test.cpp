// `kakehashi project count` end to end: the built binary on files in UTF-8, UTF-8 with BOM and
// Shift_JIS.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/text.h"
#include "support/temp_dir.h"

namespace kakehashi::program::counting {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

struct CommandRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class ProjectCountCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("KAKEHASHI_BIN");
    ASSERT_NE(bin, nullptr) << "KAKEHASHI_BIN is not set";
    bin_ = bin;
  }

  std::string write(const std::string& name, const std::string& bytes) {
    auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }

  static std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }

  CommandRun run(const std::string& arguments) {
    auto out = dir_ / "stdout";
    auto err = dir_ / "stderr";
    std::string command =
        "'" + bin_ + "' " + arguments + " >'" + out.string() + "' 2>'" + err.string() + "'";
    int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
  }

  std::string bin_;
  ::kakehashi::testing::TempDir temp_;
  fs::path dir_ = temp_.path();
};

const std::string kSheet =
    "id,date,title,company,partner,prefecture,category\r\n"
    "R1,2026-10-05,出前授業（第2回）,(株)サクラ,札幌市教育委員会,北海道,ヒト\r\n"
    "R2,2026/10/19,出前授業 第3回,株式会社サクラ,札幌市,北海道,ヒト\r\n"
    "R3,2026-10-20,職場体験,ｻｸﾗ㈱,県立旭高等学校,北海道,モノ\r\n"
    "R4,2026-10-21,職場体験【午後】,株式会社サクラ,旭高校,北海道,モノ\r\n"
    "R5,2026-10-22,職場体験,株式会社サクラ,旭高校,大阪府,モノ\r\n";

void expect_grouped(const CommandRun& run) {
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  auto root = json::parse(run.out).as_object();
  EXPECT_EQ(root.at("count").as_int64(), 3);
  const auto& projects = root.at("projects").as_array();
  EXPECT_EQ(projects.at(0).at("sessions"), (json::array{"R1", "R2"}));
  EXPECT_EQ(
      projects.at(0).at("why").as_string(),
      "(株)サクラ＝株式会社サクラ、札幌市教育委員会＝札幌市、第2回・第3回を同一内容として集約");
  EXPECT_EQ(projects.at(1).at("sessions"), (json::array{"R3", "R4"}));
  EXPECT_EQ(projects.at(1).at("why").as_string(),
            "ｻｸﾗ㈱＝株式会社サクラ、県立旭高等学校＝旭高校、午後を同一内容として集約");
  EXPECT_EQ(projects.at(2).at("sessions"), (json::array{"R5"}));
  EXPECT_EQ(projects.at(2).at("prefecture").as_string(), "大阪府");
}

TEST_F(ProjectCountCli, GroupsAUtf8Sheet) {
  expect_grouped(run("project count --input '" + write("utf8.csv", kSheet) + "'"));
}

TEST_F(ProjectCountCli, GroupsAUtf8SheetWithBom) {
  expect_grouped(run("project count --input '" + write("bom.csv", "\xEF\xBB\xBF" + kSheet) +
                     "' --format json"));
}

TEST_F(ProjectCountCli, GroupsAShiftJisSheet) {
  std::string sjis = text::utf8_to_cp932(kSheet);
  ASSERT_FALSE(text::is_valid_utf8(sjis));
  expect_grouped(run("project count --input '" + write("sjis.csv", sjis) + "'"));
}

TEST_F(ProjectCountCli, WritesCsv) {
  auto result = run("project count --format csv --input '" + write("utf8.csv", kSheet) + "'");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(result.out.find(
                "プロジェクトID,内容,企業,相手先,都道府県,区分,回数,初回,最終回,記録ID,理由\r\n"),
            std::string::npos);
  EXPECT_NE(result.out.find(
                ",出前授業,(株)サクラ,札幌市教育委員会,北海道,ヒト,2,2026-10-05,2026-10-19,R1 R2,"),
            std::string::npos);
}

TEST_F(ProjectCountCli, ReportsBadRowsAndExitsWithOne) {
  auto path = write("bad.csv", kSheet +
                                   "R6,2026-10-40,職場体験,株式会社サクラ,旭高校,北海道,モノ\r\n"
                                   "R7,2026-10-23,職場体験,,旭高校,北海道,モノ\r\n");
  auto result = run("project count --input '" + path + "'");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err,
            "kakehashi: 7行目: 日付を読み取れません: 2026-10-40\n"
            "kakehashi: 8行目: 企業名（company）がありません\n"
            "kakehashi: 2行を集計から除外しました（5行を集計、プロジェクト3件）\n");
  auto root = json::parse(result.out).as_object();
  EXPECT_EQ(root.at("count").as_int64(), 3);
  EXPECT_EQ(root.at("bad_rows").as_array().size(), 2u);
  EXPECT_EQ(root.at("bad_rows").at(0).at("line").as_int64(), 7);
}

TEST_F(ProjectCountCli, AppliesDecisions) {
  auto sheet = write("utf8.csv", kSheet);
  auto decisions =
      write("decisions.json", R"({"decisions":[{"action":"merge","sessions":["R3","R5"]},
                                                            {"action":"accept","suggestion":"S-000000000000"}]})");
  auto result = run("project count --input '" + sheet + "' --decisions '" + decisions + "'");
  ASSERT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.err, "kakehashi: 判断2: 提案 S-000000000000 は今回の入力にありません\n");
  auto root = json::parse(result.out).as_object();
  EXPECT_EQ(root.at("count").as_int64(), 2);
  EXPECT_EQ(root.at("decisions").at(0).at("applied").as_bool(), true);
}

TEST_F(ProjectCountCli, RefusesWrongCalls) {
  auto sheet = write("utf8.csv", kSheet);
  struct Case {
    std::string arguments;
    std::string error;
  };
  const Case cases[] = {
      {"project count", "kakehashi: --input で活動記録のCSVファイルを指定してください\n"},
      {"project count --input '" + sheet + "' --format xml",
       "kakehashi: --format は json または csv です: xml\n"},
      {"project count --input '" + (dir_ / "none.csv").string() + "'",
       "kakehashi: 入力ファイルがありません: " + (dir_ / "none.csv").string() + "\n"},
      {"project count --input '" + write("header.csv", "id,date,title\nR1,2026-10-05,a\n") + "'",
       "kakehashi: 見出し行に必要な列がありません: company, partner, prefecture, "
       "category（必要な列: "
       "id,date,title,company,partner,prefecture,category）\n"},
      {"project count --input '" + sheet + "' --decisions '" +
           write("d.json", "{\"decisions\":{}}") + "'",
       "kakehashi: 判断ファイルに decisions の配列がありません\n"},
  };
  for (const auto& c : cases) {
    auto result = run(c.arguments);
    EXPECT_EQ(result.exit_code, 2) << c.arguments;
    EXPECT_EQ(result.err, c.error) << c.arguments;
    EXPECT_EQ(result.out, "") << c.arguments;
  }
}

}  // namespace
}  // namespace kakehashi::program::counting
