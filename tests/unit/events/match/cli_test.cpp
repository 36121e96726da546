// kakehashi match, end to end: the built binary, its stdout, stderr and exit codes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <boost/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/cli.h"



namespace {

using kakehashi::testing::CliRun;

CliRun kakehashi(const std::string& args) {
  return kakehashi::testing::run_kakehashi(args, ::testing::TempDir());
}

std::string write_input(const std::string& name, const std::string& json) {
  auto path = std::filesystem::path(::testing::TempDir()) / name;
  std::ofstream(path) << json;
  return path.string();
}

constexpr const char* kEvent = R"({
  "slots": [{"id": "s1", "start": "13:00", "minutes": 15}, {"id": "s2", "start": "13:15", "minutes": 15}],
  "tables": 1,
  "participants": [
    {"id": "c1", "side": "company", "available": ["s1", "s2"]},
    {"id": "c2", "side": "company", "available": ["s1", "s2"]},
    {"id": "k1", "side": "school", "available": ["s1", "s2"]},
    {"id": "k2", "side": "school", "available": ["s2"]}
  ],
  "requests": [
    {"from": "c1", "to": "k1", "priority": 3, "accepted": true},
    {"from": "c2", "to": "k1", "priority": 2, "accepted": true},
    {"from": "c2", "to": "k2", "priority": 1, "accepted": true},
    {"from": "k2", "to": "c1", "priority": 1, "accepted": false}
  ]
})";

TEST(MatchCli, SchedulesAnEventAndExplainsWhatDidNotFit) {
  CliRun run = kakehashi("match schedule --input " + write_input("event.json", kEvent));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = boost::json::parse(run.out).as_object();
  // One table per slot: c1–k1 and c2–k1 fill both slots; c2–k2 (s2 only) cannot fit.
  EXPECT_EQ(doc["total_weight"].as_int64(), 5);
  EXPECT_EQ(doc["requested"].as_int64(), 3);
  EXPECT_EQ(doc["scheduled"].as_int64(), 2);
  EXPECT_EQ(doc["meetings"].as_array().size(), 2u);
  auto& unscheduled = doc["unscheduled"].as_array();
  ASSERT_EQ(unscheduled.size(), 1u);
  EXPECT_EQ(unscheduled[0].at("from").as_string(), "c2");
  EXPECT_EQ(unscheduled[0].at("to").as_string(), "k2");
  EXPECT_EQ(unscheduled[0].at("reason").as_string(), "共通の時間枠（s2）はすべてテーブルが満席です");
  EXPECT_EQ(run.err, "");
}

TEST(MatchCli, RefusesInvalidInputWithExitTwo) {
  std::string bad = kEvent;
  bad.replace(bad.find(R"("to": "k2", "priority": 1)"), 10, R"("to": "k9")");
  CliRun run = kakehashi("match schedule --input " + write_input("bad.json", bad));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "kakehashi: 申込み c2 → k9: 参加者が見つかりません: k9\n");

  std::string locked = kEvent;
  locked.replace(locked.rfind('}'), 1, R"(, "locked": [{"a": "k2", "b": "c2", "slot": "s1"}]})");
  run = kakehashi("match schedule --input " + write_input("locked.json", locked));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "kakehashi: 固定された面談 k2–c2（s1）: k2 はこの時間枠に参加できません\n");

  run = kakehashi("match schedule --input /nonexistent/event.json");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "kakehashi: 入力ファイルを開けません: /nonexistent/event.json\n");
}

TEST(MatchCli, KeepsLockedMeetings) {
  std::string locked = kEvent;
  locked.replace(locked.rfind('}'), 1, R"(, "locked": [{"a": "k2", "b": "c2", "slot": "s2"}]})");
  CliRun run = kakehashi("match schedule --input " + write_input("locked_ok.json", locked));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto doc = boost::json::parse(run.out).as_object();
  auto& first = doc["meetings"].as_array()[0].as_object();
  EXPECT_EQ(first["a"].as_string(), "c1");  // s1: c1–k1 (the best pair) ...
  auto& second = doc["meetings"].as_array()[1].as_object();
  EXPECT_EQ(second["a"].as_string(), "k2");  // ... s2: the locked k2–c2 as given
  EXPECT_EQ(second["slot"].as_string(), "s2");
  EXPECT_TRUE(second["locked"].as_bool());
}

TEST(MatchCli, PlansTables) {
  CliRun run = kakehashi("match plan --participants 300 --meetings-per-person 6 --slots 12");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "面談数の見込み: 900 件（300 人 × 6 件 ÷ 2）\n"
            "1 枠あたりの面談数: 75 件（12 枠）\n"
            "必要なテーブル数: 83〜90 卓（1 枠あたりの面談数 + 10〜20%）\n");
  run = kakehashi("match plan --participants 300 --meetings-per-person 13 --slots 12");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "kakehashi: 1 人あたりの面談数は 1〜時間枠数（12）で指定してください: 13\n");
  run = kakehashi("match plan --slots 12");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err,
            "kakehashi: --participants、--meetings-per-person、--slots をすべて指定するか、"
            "--input を指定してください\n");
  run = kakehashi("match plan --input " + write_input("plan.json", kEvent));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "申込みに基づく必要テーブル数: 2 卓（総重み 6、時間枠 2 枠）\n");
}

}  // namespace
