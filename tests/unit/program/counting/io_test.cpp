#include "program/counting/io.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/result.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::program::counting {
namespace {

namespace json = boost::json;

ParsedRecords sample() {
  auto parsed = parse_records(
      *csv::parse("id,date,title,company,partner,prefecture,category\n"
                  "R1,2026-10-05,出前授業（第2回）,(株)サクラ,札幌市教育委員会,北海道,ヒト\n"
                  "R2,2026-10-19,\"出前授業, 第3回\",株式会社サクラ,札幌市,北海道,モノ\n"
                  "R3,2026-10-20,出前授業,株式会社サクラ,,北海道,ヒト\n"));
  return *parsed;
}

TEST(ToJson, CarriesProjectsBadRowsAndTotals) {
  auto input = sample();
  auto result = count_projects(input.records);
  auto root = json::parse(to_json(result, input)).as_object();
  EXPECT_EQ(root.at("count").as_int64(), 1);
  const auto& project = root.at("projects").as_array().at(0).as_object();
  EXPECT_EQ(project.at("title").as_string(), "出前授業");
  EXPECT_EQ(project.at("company").as_string(), "(株)サクラ");
  EXPECT_EQ(project.at("partner").as_string(), "札幌市教育委員会");
  EXPECT_EQ(project.at("sessions"), (json::array{"R1", "R2"}));
  EXPECT_EQ(project.at("categories"), (json::array{"ヒト", "モノ"}));
  EXPECT_EQ(project.at("first_date").as_string(), "2026-10-05");
  EXPECT_EQ(
      project.at("why").as_string(),
      "(株)サクラ＝株式会社サクラ、札幌市教育委員会＝札幌市、第2回・第3回を同一内容として集約");
  const auto& bad = root.at("bad_rows").as_array().at(0).as_object();
  EXPECT_EQ(bad.at("line").as_int64(), 4);
  EXPECT_EQ(bad.at("id").as_string(), "R3");
  EXPECT_EQ(bad.at("message").as_string(), "相手先（partner）がありません");
  EXPECT_EQ(root.at("rows"), (json::object{{"read", 3}, {"counted", 2}, {"left_out", 1}}));
}

TEST(ToJson, EscapesQuotesBackslashesAndLineBreaks) {
  auto input =
      *parse_records(*csv::parse("id,date,title,company,partner,prefecture,category\n"
                                 "\"R\"\"1\",2026-10-05,\"「未来」\"\"教室\"\" "
                                 "C:\\temp\n2行目\t\x01\",サクラ,札幌市,北海道,ヒト\n"));
  ASSERT_EQ(input.records.size(), 1u);
  auto root = json::parse(to_json(count_projects(input.records), input)).as_object();
  const auto& project = root.at("projects").as_array().at(0).as_object();
  EXPECT_EQ(project.at("title").as_string(), "「未来」\"教室\" C:\\temp\n2行目\t\x01");
  EXPECT_EQ(project.at("sessions"), (json::array{"R\"1"}));
}

TEST(ToCsv, OneLinePerProjectForExcel) {
  auto input = sample();
  auto text = to_csv(count_projects(input.records));
  ASSERT_OK_AND_ASSIGN(auto rows, csv::parse(text.substr(3)));
  EXPECT_EQ(text.substr(0, 3), "\xEF\xBB\xBF");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields,
            (std::vector<std::string>{"プロジェクトID", "内容", "企業", "相手先", "都道府県",
                                      "区分", "回数", "初回", "最終回", "記録ID", "理由"}));
  EXPECT_EQ(rows[1].fields.at(1), "出前授業");
  EXPECT_EQ(rows[1].fields.at(5), "ヒト・モノ");
  EXPECT_EQ(rows[1].fields.at(6), "2");
  EXPECT_EQ(rows[1].fields.at(9), "R1 R2");
}

TEST(ParseDecisions, ReadsEveryAction) {
  auto decisions = parse_decisions(R"({"decisions":[
      {"action":"accept","suggestion":"S-0123456789ab"},
      {"action":"reject","suggestion":"S-ba9876543210"},
      {"action":"merge","sessions":["R1","R2"]},
      {"action":"split","sessions":["R3"]}]})");
  ASSERT_TRUE(decisions.has_value());
  ASSERT_EQ(decisions->size(), 4u);
  EXPECT_EQ((*decisions)[0].action, DecisionAction::kAccept);
  EXPECT_EQ((*decisions)[0].suggestion_id, "S-0123456789ab");
  EXPECT_EQ((*decisions)[1].action, DecisionAction::kReject);
  EXPECT_EQ((*decisions)[2].session_ids, (std::vector<std::string>{"R1", "R2"}));
  EXPECT_EQ((*decisions)[3].action, DecisionAction::kSplit);
  EXPECT_TRUE(parse_decisions("[]").has_value());
}

TEST(ParseDecisions, NamesTheFirstMalformedDecision) {
  ExpectError(parse_decisions("{"), ErrorCode::kInvalidArgument, "判断ファイルをJSONとして読み取れません");
  ExpectError(parse_decisions("{}"), ErrorCode::kInvalidArgument, "判断ファイルに decisions の配列がありません");
  ExpectError(parse_decisions(R"([{"action":"accept","suggestion":"S-1"},{"action":"join"}])"),
              ErrorCode::kInvalidArgument,
              "2番目の判断が正しくありません: action は accept, reject, merge, split のいずれかです");
  ExpectError(parse_decisions(R"([{"action":"accept"}])"), ErrorCode::kInvalidArgument,
              "1番目の判断が正しくありません: suggestion（提案ID）がありません");
  ExpectError(parse_decisions(R"([{"action":"split","sessions":[]}])"), ErrorCode::kInvalidArgument,
              "1番目の判断が正しくありません: sessions（記録IDの配列）がありません");
  ExpectError(parse_decisions(R"([{"action":"merge","sessions":[1,2]}])"), ErrorCode::kInvalidArgument,
              "1番目の判断が正しくありません: sessions には記録IDの文字列を並べてください");
  ExpectError(parse_decisions(R"([3])"), ErrorCode::kInvalidArgument,
              "1番目の判断が正しくありません: オブジェクトではありません");
}

}  // namespace
}  // namespace kakehashi::program::counting
