// solve_selection: exhaustive comparison on small random calls, the tie rules, and the exact
// Japanese messages of infeasible and malformed input.
#include "call/engine/selection.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "support/result.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::call::engine {
namespace {

Candidate candidate(std::string id, std::string block, double score, std::int64_t requested,
                    std::string submitted_at = "2026-06-01T10:00:00+09:00",
                    std::string operator_id = "") {
  if (operator_id.empty()) operator_id = "op-" + id;
  return Candidate{std::move(id), std::move(operator_id), std::move(block), score,
                   requested,     std::move(submitted_at)};
}

std::vector<std::string> chosen(const Selection& s) {
  std::vector<std::string> ids;
  for (const Award& a : s.awards) ids.push_back(a.application);
  return ids;
}

// The objective as the contract states it, computed without the engine: total score in units of
// 1e-9 (larger first), total amount (smaller first), then the chosen (submitted_at, id) sorted
// newest first (lexicographically smaller first).
struct Key {
  std::int64_t score_units;
  std::int64_t amount;
  std::vector<std::pair<std::string, std::string>> newest_first;
  bool better_than(const Key& other) const {
    if (score_units != other.score_units) return score_units > other.score_units;
    if (amount != other.amount) return amount < other.amount;
    return newest_first < other.newest_first;
  }
};

bool eligible(const SelectionInput& in, const Candidate& c) {
  if (c.requested < in.award_min || c.requested > in.award_max) return false;
  return !in.min_score || std::llround(c.score * 1e9) >= std::llround(*in.min_score * 1e9);
}

// Every combination of one candidate per block; nullopt when none satisfies the rules.
// `submission_ties` counts the calls where several best selections tie on score and amount.
int submission_ties = 0;
std::optional<std::vector<std::string>> brute_force(const SelectionInput& in) {
  int tied = 0;
  std::vector<std::vector<const Candidate*>> per_block;
  for (const std::string& block : in.blocks) {
    per_block.emplace_back();
    for (const Candidate& c : in.applications) {
      if (c.block == block) per_block.back().push_back(&c);
    }
  }
  std::optional<Key> best;
  std::vector<std::string> best_ids;
  std::vector<const Candidate*> pick(in.blocks.size());
  auto visit = [&](auto&& self, size_t b) -> void {
    if (b == in.blocks.size()) {
      Key key{0, 0, {}};
      for (const Candidate* c : pick) {
        if (!eligible(in, *c)) return;
        key.score_units += std::llround(c->score * 1e9);
        key.amount += c->requested;
        key.newest_first.emplace_back(c->submitted_at, c->id);
      }
      if (key.amount > in.budget_total) return;
      std::sort(key.newest_first.rbegin(), key.newest_first.rend());
      if (best && key.score_units == best->score_units && key.amount == best->amount) ++tied;
      if (best && (key.score_units != best->score_units || key.amount != best->amount) &&
          key.better_than(*best)) {
        tied = 0;
      }
      if (!best || key.better_than(*best)) {
        best = key;
        best_ids.clear();
        for (const Candidate* c : pick) best_ids.push_back(c->id);
      }
      return;
    }
    for (const Candidate* c : per_block[b]) {
      pick[b] = c;
      self(self, b + 1);
    }
  };
  visit(visit, 0);
  if (tied > 0) ++submission_ties;
  if (!best) return std::nullopt;
  return best_ids;
}

// Checks the rules on a selection, independently of the engine.
void expect_valid(const SelectionInput& in, const Selection& s) {
  ASSERT_EQ(s.awards.size(), in.blocks.size());
  std::map<std::string, const Candidate*> by_id;
  for (const Candidate& c : in.applications) by_id[c.id] = &c;
  std::int64_t total = 0;
  double score = 0;
  for (size_t b = 0; b < in.blocks.size(); ++b) {
    const Award& a = s.awards[b];
    EXPECT_EQ(a.block, in.blocks[b]);
    ASSERT_TRUE(by_id.contains(a.application));
    const Candidate& c = *by_id[a.application];
    EXPECT_EQ(c.block, in.blocks[b]);
    EXPECT_EQ(a.operator_id, c.operator_id);
    EXPECT_EQ(a.amount, c.requested);
    EXPECT_TRUE(eligible(in, c)) << c.id;
    total += a.amount;
    score += c.score;
  }
  EXPECT_EQ(s.total_amount, total);
  EXPECT_LE(s.total_amount, in.budget_total);
  EXPECT_NEAR(s.total_score, score, 1e-6);
}

TEST(Selection, MatchesExhaustiveSearchOnRandomCalls) {
  const std::vector<std::string> all_blocks = {"hokkaido", "tohoku", "kanto", "tokai", "kinki"};
  std::mt19937 rng(20261126);
  int feasible = 0, infeasible = 0;
  for (int round = 0; round < 400; ++round) {
    SelectionInput in;
    int blocks = 1 + static_cast<int>(rng() % 5);
    in.blocks.assign(all_blocks.begin(), all_blocks.begin() + blocks);
    std::shuffle(in.blocks.begin(), in.blocks.end(), rng);
    // Few distinct values make ties in score, amount and submission time common.
    const std::int64_t amounts[] = {12'000'000, 15'000'000, 20'000'000,
                                    20'000'000, 25'000'000, 27'000'000};
    // 70.0000000001 ties with 70 (within 1e-9); 62.5 is the minimum score when one is set.
    const double scores[] = {60, 62.5, 70, 70.0000000001, 75, 75};
    int apps = 2 * blocks + static_cast<int>(rng() % (2 * blocks + 3));
    for (int i = 0; i < apps; ++i) {
      in.applications.push_back(candidate(
          "a" + std::to_string(i), in.blocks[rng() % blocks], scores[rng() % 6], amounts[rng() % 6],
          "2026-06-0" + std::to_string(1 + rng() % 3), "op" + std::to_string(rng() % 3)));
    }
    in.budget_total = blocks * 15'000'000 + static_cast<std::int64_t>(rng() % 8) * 5'000'000;
    if (rng() % 3 == 0) in.min_score = 62.5;
    auto expected = brute_force(in);
    auto got = solve_selection(in);
    ASSERT_EQ(got.has_value(), expected.has_value())
        << "round " << round << ": " << (got ? "" : got.error().message);
    if (!got) {
      ++infeasible;
      continue;
    }
    ++feasible;
    expect_valid(in, *got);
    EXPECT_EQ(chosen(*got), *expected) << "round " << round;
  }
  // Both outcomes are exercised.
  EXPECT_GT(feasible, 150);
  EXPECT_GT(infeasible, 100);
  // The submission rule decided a good share of them.
  EXPECT_GT(submission_ties, 40);
}

TEST(Selection, PrefersTheHigherTotalScoreOverTheCheaperOne) {
  SelectionInput in;
  in.blocks = {"hokkaido", "tohoku"};
  in.budget_total = 45'000'000;
  in.applications = {
      candidate("h1", "hokkaido", 80, 25'000'000), candidate("h2", "hokkaido", 78, 15'000'000),
      candidate("t1", "tohoku", 90, 25'000'000), candidate("t2", "tohoku", 70, 20'000'000)};
  // h1+t1 exceeds the cap; h2+t1 (168) beats h1+t2 (150).
  auto s = solve_selection(in);
  ASSERT_OK(s);
  EXPECT_EQ(chosen(*s), (std::vector<std::string>{"h2", "t1"}));
  EXPECT_EQ(s->total_amount, 40'000'000);
  EXPECT_DOUBLE_EQ(s->total_score, 168);
}

TEST(Selection, AnOperatorMayWinSeveralBlocks) {
  SelectionInput in;
  in.blocks = {"kanto", "kinki"};
  in.applications = {candidate("k1", "kanto", 90, 20'000'000, "2026-06-01", "same"),
                     candidate("k2", "kanto", 80, 20'000'000, "2026-06-01", "other"),
                     candidate("n1", "kinki", 85, 20'000'000, "2026-06-01", "same")};
  auto s = solve_selection(in);
  ASSERT_OK(s);
  EXPECT_EQ(s->awards[0].operator_id, "same");
  EXPECT_EQ(s->awards[1].operator_id, "same");
}

TEST(Selection, BreaksScoreTiesByTheSmallerTotalThenTheEarlierSubmission) {
  SelectionInput in;
  in.blocks = {"hokkaido", "tohoku"};
  // Equal scores at different amounts: the cheaper one wins.
  in.applications = {candidate("h1", "hokkaido", 80, 25'000'000, "2026-06-01T09:00"),
                     candidate("h2", "hokkaido", 80, 20'000'000, "2026-06-01T10:00"),
                     candidate("t1", "tohoku", 70, 20'000'000, "2026-06-01T09:00")};
  auto s = solve_selection(in);
  ASSERT_TRUE(s);
  EXPECT_EQ(chosen(*s), (std::vector<std::string>{"h2", "t1"}));

  // With a 40,000,000 yen cap, h1+t1 and h2+t2 both total 150 at 40,000,000 yen (h1+t2 is over
  // the cap, h2+t1 scores 145). Newest first, h1+t1 submitted at [12:00, 08:00] and h2+t2 at
  // [11:00, 10:00]: h2+t2 wins, its latest submission being earlier.
  in.budget_total = 40'000'000;
  in.applications = {candidate("h1", "hokkaido", 80, 25'000'000, "2026-06-01T08:00"),
                     candidate("h2", "hokkaido", 75, 20'000'000, "2026-06-01T10:00"),
                     candidate("t1", "tohoku", 70, 15'000'000, "2026-06-01T12:00"),
                     candidate("t2", "tohoku", 75, 20'000'000, "2026-06-01T11:00")};
  s = solve_selection(in);
  ASSERT_TRUE(s);
  EXPECT_EQ(chosen(*s), (std::vector<std::string>{"h2", "t2"}));
  // Scores equal within 1e-9 still tie ...
  in.applications[0].score = 80.0000000000004;
  s = solve_selection(in);
  ASSERT_TRUE(s);
  EXPECT_EQ(chosen(*s), (std::vector<std::string>{"h2", "t2"}));
  // ... a difference above it does not.
  in.applications[0].score = 80.00001;
  s = solve_selection(in);
  ASSERT_TRUE(s);
  EXPECT_EQ(chosen(*s), (std::vector<std::string>{"h1", "t1"}));

  // Same instant: the smaller application id counts as earlier.
  SelectionInput same;
  same.blocks = {"okinawa"};
  same.applications = {candidate("b", "okinawa", 75, 20'000'000, "2026-06-01T10:00"),
                       candidate("a", "okinawa", 75, 20'000'000, "2026-06-01T10:00")};
  s = solve_selection(same);
  ASSERT_TRUE(s);
  EXPECT_EQ(chosen(*s), (std::vector<std::string>{"a"}));
}

TEST(Selection, AppliesTheRangeAndTheMinimumScore) {
  SelectionInput in;
  in.blocks = {"shikoku"};
  in.min_score = 60;
  in.applications = {
      candidate("low", "shikoku", 99, 14'999'999), candidate("high", "shikoku", 98, 25'000'001),
      candidate("weak", "shikoku", 59.5, 20'000'000), candidate("edge", "shikoku", 60, 15'000'000)};
  auto s = solve_selection(in);
  ASSERT_OK(s);
  EXPECT_EQ(chosen(*s), (std::vector<std::string>{"edge"}));
}

TEST(Selection, SaysWhichBlockHasNothingToAward) {
  SelectionInput in;
  in.blocks = {"hokkaido", "tohoku"};
  in.min_score = 60;
  in.applications = {
      candidate("h1", "hokkaido", 80, 30'000'000), candidate("h2", "hokkaido", 50, 20'000'000),
      candidate("h3", "hokkaido", 70, 10'000'000), candidate("t1", "tohoku", 70, 20'000'000)};
  auto s = solve_selection(in);
  ASSERT_FALSE(s);
  ExpectError(s, ErrorCode::kInvalidArgument,
              "北海道ブロックに採択できる申請がありません（申請 3 件: 要求額が "
              "15,000,000円〜25,000,000円の範囲外 2 件、最低点 60 未満 1 件）");

  in.blocks = {"hokkaido", "tohoku", "okinawa"};
  s = solve_selection(in);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message,
            "採択できる申請がないブロックがあります: 北海道（申請 3 件: 要求額が "
            "15,000,000円〜25,000,000円の範囲外 2 件、最低点 60 未満 1 件）、沖縄（申請 0 件）");
}

TEST(Selection, SaysHowMuchTheCapWouldHaveToAllow) {
  SelectionInput in;
  in.blocks = {"hokkaido", "tohoku", "kanto"};
  in.budget_total = 50'000'000;
  in.applications = {
      candidate("h1", "hokkaido", 80, 18'000'000), candidate("h2", "hokkaido", 70, 17'000'000),
      candidate("t1", "tohoku", 70, 20'000'000), candidate("k1", "kanto", 70, 16'000'000)};
  auto s = solve_selection(in);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message,
            "予算上限 50,000,000円の範囲で全ブロックを採択できません。最小でも 53,000,000円"
            "必要です（3,000,000円不足）");
  in.budget_total = 53'000'000;
  s = solve_selection(in);
  ASSERT_TRUE(s);
  EXPECT_EQ(chosen(*s), (std::vector<std::string>{"h2", "t1", "k1"}));
}

TEST(Selection, RefusesCallsTooLargeToCompareExactly) {
  // 40 eligible applications in each of 10 blocks, score exactly proportional to the request:
  // every partial selection is Pareto-optimal and half the blocks hold 40^5 of them.
  const char* blocks[] = {"hokkaido", "tohoku",  "kanto",   "tokai",  "hokuriku",
                          "kinki",    "chugoku", "shikoku", "kyushu", "okinawa"};
  std::mt19937 rng(40);
  SelectionInput in;
  for (const char* b : blocks) in.blocks.emplace_back(b);
  for (int i = 0; i < 400; ++i) {
    std::int64_t requested = 15'000'000 + static_cast<std::int64_t>(rng() % 10'000'001);
    in.applications.push_back(candidate("a" + std::to_string(i), blocks[i % 10],
                                        static_cast<double>(requested) / 250'000, requested));
  }
  auto s = solve_selection(in);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message,
            "申請の組合せが多すぎて採択案を計算できません（1 ブロックに採択できる申請が最大 40 "
            "件）。最低点を設定するなどして候補を絞ってください");
}

TEST(Selection, NamesWhatIsWrongWithTheInput) {
  auto message = [](SelectionInput in) {
    auto s = solve_selection(in);
    return s ? std::string("(solved)") : s.error().message;
  };
  SelectionInput base;
  base.blocks = {"hokkaido"};
  base.applications = {candidate("h1", "hokkaido", 80, 20'000'000)};
  ASSERT_EQ(message(base), "(solved)");

  SelectionInput in = base;
  in.blocks = {"hokkaido", "ezo"};
  EXPECT_EQ(message(in), "ブロック ID が不明です: ezo");
  in.blocks = {"hokkaido", "hokkaido"};
  EXPECT_EQ(message(in), "ブロックが重複しています: hokkaido");
  in.blocks = {};
  EXPECT_EQ(message(in), "採択するブロックが指定されていません");

  in = base;
  in.applications.push_back(candidate("h1", "hokkaido", 70, 20'000'000));
  EXPECT_EQ(message(in), "申請 ID が重複しています: h1");
  in = base;
  in.applications.push_back(candidate("k1", "kanto", 70, 20'000'000));
  EXPECT_EQ(message(in), "申請 k1 のブロック 関東（kanto）は採択対象に含まれていません");
  in.applications.back().block = "edo";
  EXPECT_EQ(message(in), "申請 k1 のブロック ID が不明です: edo");
  in = base;
  in.applications[0].requested = -5;
  EXPECT_EQ(message(in), "申請 h1 の要求額が負です: -5円");
  in = base;
  in.applications[0].score = std::nan("");
  EXPECT_EQ(message(in), "申請 h1 の点数が範囲外です: nan（-1000000〜1000000）");
  in = base;
  in.min_score = std::nan("");
  EXPECT_EQ(message(in), "最低点は数値で指定してください");
  in.min_score = 1e300;  // beyond what the scaled comparison holds
  EXPECT_EQ(message(in), "最低点は -1000000〜1000000 で指定してください: 1e+300");
  in = base;
  in.applications[0].operator_id = "";
  EXPECT_EQ(message(in), "申請 h1 の事業者 ID がありません");
  in = base;
  in.applications[0].id = "";
  EXPECT_EQ(message(in), "1 件目の申請に ID がありません");
  in = base;
  in.budget_total = -1;
  EXPECT_EQ(message(in), "予算上限は 0〜1,000,000,000,000,000円で指定してください: -1円");
  in = base;
  in.award_min = 30'000'000;
  EXPECT_EQ(message(in), "採択額の下限 30,000,000円が上限 25,000,000円を超えています");
}

TEST(Selection, SolvesTenBlocksWithSixtyApplicationsOptimally) {
  // The size: 10 blocks, 60 applications, a binding cap. Amounts are multiples of
  // 100,000 yen here so that an independent knapsack over the budget in those units gives the
  // exact optimum to compare with.
  constexpr std::int64_t kStep = 100'000;
  const char* blocks[] = {"hokkaido", "tohoku",  "kanto",   "tokai",  "hokuriku",
                          "kinki",    "chugoku", "shikoku", "kyushu", "okinawa"};
  // Seeds 4 and 5 score exactly in proportion to the request (4 points per million yen), the
  // case where every partial selection is on the Pareto front.
  for (unsigned seed = 1; seed <= 5; ++seed) {
    std::mt19937 rng(seed);
    SelectionInput in;
    for (const char* b : blocks) in.blocks.emplace_back(b);
    for (int i = 0; i < 60; ++i) {
      std::int64_t requested = 15'000'000 + static_cast<std::int64_t>(rng() % 101) * kStep;
      double score = seed >= 4 ? static_cast<double>(requested) / 250'000
                               : 50 + static_cast<double>(rng() % 5000) / 100;
      in.applications.push_back(
          candidate("a" + std::to_string(i), blocks[i % 10], score, requested));
    }
    auto s = solve_selection(in);
    ASSERT_OK(s);
    expect_valid(in, *s);

    const int cells = static_cast<int>(in.budget_total / kStep);
    constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::min();
    std::vector<std::int64_t> best(cells + 1, kNone);
    best[0] = 0;
    for (const char* b : blocks) {
      std::vector<std::int64_t> next(cells + 1, kNone);
      for (int used = 0; used <= cells; ++used) {
        if (best[used] == kNone) continue;
        for (const Candidate& c : in.applications) {
          int at = used + static_cast<int>(c.requested / kStep);
          if (c.block != b || at > cells) continue;
          next[at] = std::max<std::int64_t>(next[at], best[used] + std::llround(c.score * 1e9));
        }
      }
      best = std::move(next);
    }
    std::int64_t optimum = *std::max_element(best.begin(), best.end());
    std::int64_t got = 0;
    for (const Award& a : s->awards) got += std::llround(a.score * 1e9);
    EXPECT_EQ(got, optimum) << "seed " << seed;
  }
}

}  // namespace
}  // namespace kakehashi::call::engine
