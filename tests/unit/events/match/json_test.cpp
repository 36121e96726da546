// The JSON input and output of the scheduler.
#include "events/match/json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "events/match/schedule.h"
#include "support/result.h"

namespace kakehashi::events::match {
namespace {

constexpr const char* kInput = R"({
  "slots": [{"id": "s1", "start": "13:00", "minutes": 15}, {"id": "s2", "start": "13:15", "minutes": 15}],
  "tables": 1,
  "participants": [
    {"id": "トヨタ", "side": "company", "available": ["s1", "s2"], "max_meetings": 2},
    {"id": "北高", "side": "school", "available": ["s2"]},
    {"id": "南市", "side": "municipality", "available": ["s1"]}
  ],
  "requests": [
    {"from": "トヨタ", "to": "北高", "priority": 3, "accepted": true},
    {"from": "北高", "to": "トヨタ", "priority": 1, "accepted": true},
    {"from": "南市", "to": "北高", "priority": 2, "accepted": true},
    {"from": "南市", "to": "トヨタ", "priority": 2}
  ],
  "locked": []
})";

TEST(MatchJson, ParsesTheIssueFormat) {
  auto problem = parse_problem(kInput);
  ASSERT_OK(problem);
  EXPECT_EQ(problem->slots.size(), 2u);
  EXPECT_EQ(problem->slots[1].start, "13:15");
  EXPECT_EQ(problem->tables, 1);
  ASSERT_EQ(problem->participants.size(), 3u);
  EXPECT_EQ(problem->participants[1].side, Side::kSchool);
  EXPECT_EQ(problem->participants[0].max_meetings, 2);
  EXPECT_FALSE(problem->participants[1].max_meetings.has_value());
  ASSERT_EQ(problem->requests.size(), 4u);
  EXPECT_FALSE(problem->requests[3].accepted);  // omitted: not accepted
}

TEST(MatchJson, WritesTheIssueFormat) {
  auto problem = parse_problem(kInput);
  ASSERT_TRUE(problem.has_value());
  auto schedule = schedule_meetings(*problem);
  ASSERT_OK(schedule);
  EXPECT_EQ(
      schedule_to_json(*schedule),
      R"({"meetings":[{"a":"トヨタ","b":"北高","slot":"s2","table":1,"locked":false}],)"
      R"("total_weight":4,"requested":3,"scheduled":2,"idle_slots":0,"unscheduled":[)"
      R"({"from":"南市","to":"北高","reason":"南市 と 北高 に共通の参加可能な時間枠がありません",)"
      R"("reason_code":"no_common_slot"}]})");
}

std::string error_of(const std::string& json) {
  auto result = parse_problem(json);
  return result ? "(accepted)" : result.error().message;
}

TEST(MatchJson, NamesTheFieldThatIsWrong) {
  EXPECT_EQ(error_of("{"), "入力 JSON を解析できません: incomplete JSON");
  EXPECT_EQ(error_of("[]"), "入力 JSON: 全体 はオブジェクトで指定してください");
  EXPECT_EQ(error_of(R"({"tables":1,"participants":[]})"), "入力 JSON: slots がありません");
  EXPECT_EQ(error_of(R"({"slots":[],"participants":[]})"), "入力 JSON: tables がありません");
  EXPECT_EQ(error_of(R"({"slots":[],"tables":"3","participants":[]})"),
            "入力 JSON: tables は整数で指定してください");
  EXPECT_EQ(error_of(R"({"slots":[{"id":"s1","start":"13:00"}],"tables":1,"participants":[]})"),
            "入力 JSON: slots[0].minutes がありません");
  EXPECT_EQ(error_of(R"({"slots":[],"tables":1,"participants":[{"id":"a","side":"bank","available":[]}]})"),
            "入力 JSON: participants[0].side は company / school / municipality / other のいずれかです: bank");
  EXPECT_EQ(error_of(R"({"slots":[],"tables":1,"participants":[{"id":"a","side":"other","available":[1]}]})"),
            "入力 JSON: participants[0].available[0] は時間枠 ID（文字列）で指定してください");
  EXPECT_EQ(error_of(R"({"slots":[],"tables":1,"participants":[{"id":"a","side":"other","available":[],"max_meetings":-2}]})"),
            "入力 JSON: participants[0].max_meetings は 0〜64 で指定してください: -2");
  EXPECT_EQ(error_of(R"({"slots":[],"tables":1,"participants":[],"requests":[{"from":"a","to":"b","priority":1,"accepted":"yes"}]})"),
            "入力 JSON: requests[0].accepted は true か false で指定してください");
  EXPECT_EQ(error_of(R"({"slots":[],"tables":1,"participants":[],"locked":[{"a":"x","b":"y"}]})"),
            "入力 JSON: locked[0].slot がありません");
  EXPECT_EQ(error_of(R"({"slots":[],"tables":1,"participants":[],"requests":{}})"),
            "入力 JSON: requests は配列で指定してください");
}

}  // namespace
}  // namespace kakehashi::events::match
