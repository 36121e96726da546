// kakehashi call solve|assign, end to end: the built binary, its JSON output, stderr and exit
// codes, on small files and on the issue's size (60 applications, 40 reviewers).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "support/cli.h"
#include "support/temp_dir.h"

namespace {

namespace json = boost::json;

using kakehashi::testing::CliRun;

// One fresh directory for this test program's files, removed at exit.
const kakehashi::testing::TempDir& work() {
  static const kakehashi::testing::TempDir dir;
  return dir;
}

std::string write_input(const std::string& name, const std::string& text) {
  std::string path = work().file(name);
  std::ofstream(path) << text;
  return path;
}

CliRun kakehashi(const std::string& args) { return kakehashi::testing::run_kakehashi(args, work().path()); }

constexpr const char* kCall = R"({
  "budget_total": 45000000, "award_min": 15000000, "award_max": 25000000,
  "blocks": ["hokkaido", "tohoku"],
  "applications": [
    {"id": "h1", "operator": "o1", "block": "hokkaido", "score": 80, "requested": 25000000, "submitted_at": "2026-06-01T10:00:00+09:00"},
    {"id": "h2", "operator": "o2", "block": "hokkaido", "score": 78, "requested": 15000000, "submitted_at": "2026-06-01T11:00:00+09:00"},
    {"id": "t1", "operator": "o1", "block": "tohoku", "score": 90.5, "requested": 25000000, "submitted_at": "2026-06-02T10:00:00+09:00"},
    {"id": "t2", "operator": "o3", "block": "tohoku", "score": 70, "requested": 20000000, "submitted_at": "2026-06-02T09:00:00+09:00"}
  ]
})";

TEST(CallCli, SolvesASelection) {
  CliRun run = kakehashi("call solve --input " + write_input("call.json", kCall));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  // h1 + t1 would exceed the cap; h2 + t1 (168.5) beats h1 + t2 (150).
  EXPECT_EQ(
      run.out,
      R"({"awards":[{"block":"hokkaido","application":"h2","operator":"o2","amount":15000000,)"
      R"("score":78},{"block":"tohoku","application":"t1","operator":"o1","amount":25000000,)"
      R"("score":90.5}],"total_amount":40000000,"total_score":168.5})"
      "\n");
}

TEST(CallCli, ExitsTwoWithTheReasonWhenNoSelectionExists) {
  std::string tight = kCall;
  tight.replace(tight.find("45000000"), 8, "30000000");
  CliRun run = kakehashi("call solve --input " + write_input("tight.json", tight));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err,
            "kakehashi: 予算上限 30,000,000円の範囲で全ブロックを採択できません。最小でも "
            "35,000,000円必要です（5,000,000円不足）\n");

  std::string empty_block = kCall;
  empty_block.replace(empty_block.find(R"("tohoku"])"), 9, R"("tohoku", "okinawa"])");
  run = kakehashi("call solve --input " + write_input("okinawa.json", empty_block));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "kakehashi: 沖縄ブロックに採択できる申請がありません（申請 0 件）\n");

  run = kakehashi("call solve");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err,
            "kakehashi: 必須のオプションがありません: --input（kakehashi --help で使い方を表示）\n");

  run = kakehashi("call solve --input /nonexistent/call.json");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "kakehashi: 入力ファイルを開けません: /nonexistent/call.json\n");

  run = kakehashi("call solve --input " + write_input("broken.json", R"({"applications": 3})"));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "kakehashi: 入力 JSON: applications は配列で指定してください\n");
}

constexpr const char* kCommittee = R"({
  "per_application": 2, "max_load": 2,
  "reviewers": [{"id": "r1", "expertise": ["pbl"]}, {"id": "r2", "expertise": ["ict"]}, {"id": "r3"}],
  "applications": [
    {"id": "a1", "operator": "o1", "topics": ["pbl"]},
    {"id": "a2", "operator": "o2", "topics": ["ict"]},
    {"id": "a3", "operator": "o3", "topics": ["pbl", "ict"]}
  ],
  "conflicts": [{"reviewer": "r1", "operator": "o2"}]
})";

TEST(CallCli, AssignsReviewers) {
  CliRun run = kakehashi("call assign --input " + write_input("committee.json", kCommittee));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // Six reviews on three reviewers of load 2: every reviewer is full. r1 cannot take a2, so a2
  // gets r2 and r3; r1 takes a1 and a3; r2's second is a3 (ict) and r3's a1: cost 2.
  EXPECT_EQ(
      run.out,
      R"({"assignments":[{"application":"a1","reviewer":"r1","matched":true,"locked":false},)"
      R"({"application":"a1","reviewer":"r3","matched":false,"locked":false},)"
      R"({"application":"a2","reviewer":"r2","matched":true,"locked":false},)"
      R"({"application":"a2","reviewer":"r3","matched":false,"locked":false},)"
      R"({"application":"a3","reviewer":"r1","matched":true,"locked":false},)"
      R"({"application":"a3","reviewer":"r2","matched":true,"locked":false}],"cost":2,"max_load":2})"
      "\n");
}

TEST(CallCli, ExitsTwoSayingWhatToChangeWhenNoAssignmentExists) {
  std::string small = kCommittee;
  small.replace(small.find(R"("max_load": 2)"), 13, R"("max_load": 1)");
  CliRun run = kakehashi("call assign --input " + write_input("small.json", small));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(
      run.err,
      "kakehashi: 審査委員の割り当てができません。必要な審査 6 件に対し、上限件数の合計は 3 件です"
      "（審査委員 3 人 × 1 件）。上限件数を 2 件以上に上げるか、利害関係のない審査委員を 3 人以上"
      "追加してください\n");

  std::string locked = kCommittee;
  locked.replace(locked.rfind('}'), 1, R"(, "locked": [{"application": "a2", "reviewer": "r1"}]})");
  run = kakehashi("call assign --input " + write_input("locked.json", locked));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err,
            "kakehashi: 固定された割り当て a2–r1 は利害関係です（r1 は事業者 o2 "
            "との利害関係を申告しています）\n");
}

// The issue's size, random but seeded: 10 blocks, 60 applications, 40 reviewers.
std::string large_call(std::mt19937& rng) {
  const char* blocks[] = {"hokkaido", "tohoku",  "kanto",   "tokai",  "hokuriku",
                          "kinki",    "chugoku", "shikoku", "kyushu", "okinawa"};
  json::array applications;
  for (int i = 0; i < 60; ++i) {
    applications.push_back(
        json::object{{"id", fmt::format("app{:02}", i)},
                     {"operator", fmt::format("op{}", rng() % 40)},
                     {"block", blocks[i % 10]},
                     {"score", 50 + static_cast<double>(rng() % 5000) / 100},
                     {"requested", 14'000'000 + static_cast<std::int64_t>(rng() % 12'000'001)},
                     {"submitted_at",
                      fmt::format("2026-06-{:02}T{:02}:00:00+09:00", 1 + rng() % 20, rng() % 24)}});
  }
  return json::serialize(json::object{{"budget_total", 210'000'000},
                                      {"award_min", 15'000'000},
                                      {"award_max", 25'000'000},
                                      {"min_score", 55},
                                      {"applications", applications}});
}

TEST(CallCli, SolvesTheIssuesSizeWithinEveryRule) {
  std::mt19937 rng(2026);
  std::string text = large_call(rng);
  CliRun run = kakehashi("call solve --input " + write_input("large_call.json", text));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  json::object in = json::parse(text).as_object();
  std::map<std::string, json::object> applications;
  for (auto& a : in["applications"].as_array()) {
    applications[std::string(a.at("id").as_string())] = a.as_object();
  }
  json::object out = json::parse(run.out).as_object();
  auto& awards = out["awards"].as_array();
  ASSERT_EQ(awards.size(), 10u);
  std::set<std::string> blocks;
  std::int64_t total = 0;
  for (auto& award : awards) {
    const json::object& a = award.as_object();
    const json::object& app = applications.at(std::string(a.at("application").as_string()));
    EXPECT_EQ(a.at("block"), app.at("block"));
    EXPECT_EQ(a.at("operator"), app.at("operator"));
    EXPECT_EQ(a.at("amount"), app.at("requested"));
    std::int64_t amount = a.at("amount").as_int64();
    EXPECT_GE(amount, 15'000'000);
    EXPECT_LE(amount, 25'000'000);
    EXPECT_GE(app.at("score").to_number<double>(), 55);
    blocks.insert(std::string(a.at("block").as_string()));
    total += amount;
  }
  EXPECT_EQ(blocks.size(), 10u);  // one award per block
  EXPECT_EQ(out["total_amount"].as_int64(), total);
  EXPECT_LE(total, 210'000'000);
}

TEST(CallCli, AssignsTheIssuesSizeWithinEveryRule) {
  std::mt19937 rng(40);
  const char* topics[] = {"pbl", "ict", "tourism", "manufacturing", "agriculture", "care"};
  json::array reviewers, applications, conflicts;
  for (int r = 0; r < 40; ++r) {
    reviewers.push_back(
        json::object{{"id", fmt::format("rev{:02}", r)},
                     {"expertise", json::array{topics[rng() % 6], topics[rng() % 6]}}});
  }
  for (int a = 0; a < 60; ++a) {
    applications.push_back(json::object{{"id", fmt::format("app{:02}", a)},
                                        {"operator", fmt::format("op{}", rng() % 45)},
                                        {"topics", json::array{topics[rng() % 6]}}});
  }
  std::set<std::pair<std::string, std::string>> conflicted;
  for (int c = 0; c < 100; ++c) {
    std::string reviewer = fmt::format("rev{:02}", rng() % 40);
    std::string op = fmt::format("op{}", rng() % 45);
    conflicted.emplace(reviewer, op);
    conflicts.push_back(json::object{{"reviewer", reviewer}, {"operator", op}});
  }
  json::object problem{{"per_application", 3},
                       {"max_load", 5},
                       {"reviewers", reviewers},
                       {"applications", applications},
                       {"conflicts", conflicts}};
  CliRun run = kakehashi("call assign --input " +
                         write_input("large_committee.json", json::serialize(problem)));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  json::object out = json::parse(run.out).as_object();
  std::map<std::string, std::string> operator_of;
  std::map<std::string, std::set<std::string>> topics_of, expertise_of;
  for (auto& a : applications) {
    auto id = std::string(a.at("id").as_string());
    operator_of[id] = a.at("operator").as_string();
    for (auto& t : a.at("topics").as_array()) topics_of[id].insert(std::string(t.as_string()));
  }
  for (auto& r : reviewers) {
    auto id = std::string(r.at("id").as_string());
    for (auto& t : r.at("expertise").as_array())
      expertise_of[id].insert(std::string(t.as_string()));
  }
  std::map<std::string, int> per_application, load;
  std::set<std::pair<std::string, std::string>> pairs;
  int cost = 0;
  for (auto& p : out["assignments"].as_array()) {
    auto a = std::string(p.at("application").as_string());
    auto r = std::string(p.at("reviewer").as_string());
    EXPECT_TRUE(pairs.emplace(a, r).second);
    EXPECT_FALSE(conflicted.contains({r, operator_of.at(a)})) << a << "–" << r;
    bool shares = false;
    for (const auto& t : topics_of[a]) shares = shares || expertise_of[r].contains(t);
    EXPECT_EQ(p.at("matched").as_bool(), shares);
    cost += shares ? 0 : 1;
    ++per_application[a];
    ++load[r];
  }
  EXPECT_EQ(per_application.size(), 60u);
  for (const auto& [a, n] : per_application) EXPECT_EQ(n, 3) << a;
  for (const auto& [r, n] : load) EXPECT_LE(n, 5) << r;
  EXPECT_EQ(out["cost"].as_int64(), cost);
}

}  // namespace
