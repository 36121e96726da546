// The JSON shapes of `kakehashi call solve|assign`: defaults, field paths in messages, output.
#include "call/engine/json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/result.h"

namespace kakehashi::call::engine {
namespace {

TEST(CallJson, ReadsASelectionWithDefaults) {
  auto in = parse_selection_input(R"({"applications":[{"id":"a1","operator":"o1",
      "block":"kinki","score":81.5,"requested":20000000,"submitted_at":"2026-06-01T10:00:00+09:00"}]})");
  ASSERT_OK(in);
  EXPECT_EQ(in->budget_total, 210'000'000);
  EXPECT_EQ(in->award_min, 15'000'000);
  EXPECT_EQ(in->award_max, 25'000'000);
  EXPECT_FALSE(in->min_score);
  ASSERT_EQ(in->blocks.size(), 10u);  // every block, in the specification's order
  EXPECT_EQ(in->blocks.front(), "hokkaido");
  EXPECT_EQ(in->blocks.back(), "okinawa");
  EXPECT_DOUBLE_EQ(in->applications[0].score, 81.5);
  EXPECT_EQ(in->applications[0].requested, 20'000'000);
}

TEST(CallJson, NamesTheFieldThatIsWrong) {
  auto error = [](const char* json) {
    auto in = parse_selection_input(json);
    return in ? std::string("(parsed)") : in.error().message;
  };
  EXPECT_EQ(error(R"({"applications":[{"id":"a1","operator":"o1","block":"kinki","score":"high",
      "requested":1,"submitted_at":"x"}]})"),
            "入力 JSON: applications[0].score は数値で指定してください");
  EXPECT_EQ(error(R"({"applications":[{"id":"a1","operator":"o1","block":"kinki","score":1,
      "requested":1.5,"submitted_at":"x"}]})"),
            "入力 JSON: applications[0].requested は整数（円）で指定してください");
  EXPECT_EQ(error(R"({"applications":[{"id":"a1","block":"kinki","score":1,"requested":1,
      "submitted_at":"x"}]})"),
            "入力 JSON: applications[0].operator がありません");
  EXPECT_EQ(error(R"({"blocks":"kinki","applications":[]})"),
            "入力 JSON: blocks は文字列の配列で指定してください");
  EXPECT_EQ(error(R"({"min_score":1e400,"applications":[]})"), "入力 JSON: min_score は有限の数値で指定してください");
  EXPECT_EQ(error(R"({"applications":[{"id":"a1","operator":"o1","block":"kinki","score":-1e999,
      "requested":1,"submitted_at":"x"}]})"),
            "入力 JSON: applications[0].score は有限の数値で指定してください");
  EXPECT_EQ(error(R"({})"), "入力 JSON: applications がありません");
  EXPECT_EQ(error(R"([1])"), "入力 JSON: 全体 はオブジェクトで指定してください");
  EXPECT_TRUE(error("{").starts_with("入力 JSON を解析できません: ")) << error("{");

  auto assign = parse_assignment_input(R"({"reviewers":[{"id":"r1"}],"applications":[{"id":"a1",
      "operator":"o1","topics":["pbl", 3]}]})");
  ASSERT_FALSE(assign);
  EXPECT_EQ(assign.error().message, "入力 JSON: applications[0].topics は文字列の配列で指定してください");
}

TEST(CallJson, ReadsAnAssignmentWithDefaults) {
  auto in = parse_assignment_input(R"({"reviewers":[{"id":"r1","expertise":["pbl"]}],
      "applications":[{"id":"a1","operator":"o1"}],"locked":[{"application":"a1","reviewer":"r1"}]})");
  ASSERT_OK(in);
  EXPECT_EQ(in->per_application, 3);
  EXPECT_EQ(in->max_load, 0);
  EXPECT_EQ(in->reviewers[0].expertise, (std::vector<std::string>{"pbl"}));
  EXPECT_TRUE(in->applications[0].topics.empty());
  EXPECT_EQ(in->locked, (std::vector<Pair>{{"a1", "r1"}}));
}

TEST(CallJson, WritesTheDocumentedShapes) {
  Selection s{{{"hokkaido", "a\"1", "o1", 20'000'000, 80.5}}, 20'000'000, 80.5};
  EXPECT_EQ(selection_to_json(s),
            R"({"awards":[{"block":"hokkaido","application":"a\"1","operator":"o1",)"
            R"("amount":20000000,"score":80.5}],"total_amount":20000000,"total_score":80.5})");

  AssignmentInput in;
  in.reviewers = {{"r1", {"pbl"}}, {"r2", {}}};
  in.applications = {{"a1", "o1", {"pbl"}}};
  in.locked = {{"a1", "r2"}};
  Assignment a{{{"a1", "r1"}, {"a1", "r2"}}, 1, 2};
  EXPECT_EQ(
      assignment_to_json(a, in),
      R"({"assignments":[{"application":"a1","reviewer":"r1","matched":true,"locked":false},)"
      R"({"application":"a1","reviewer":"r2","matched":false,"locked":true}],"cost":1,"max_load":2})");
}

}  // namespace
}  // namespace kakehashi::call::engine
