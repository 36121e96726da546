// assign_reviewers: exhaustive comparison on small random committees (cost, then balance, and
// the automatic maximum load), the rules on the size, and the exact Japanese messages.
#include "call/engine/assignment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <set>

#include "support/result.h"

namespace kakehashi::call::engine {
namespace {

bool conflicted(const AssignmentInput& in, const Reviewer& r, const Submission& s) {
  for (const Conflict& c : in.conflicts) {
    if (c.reviewer == r.id && c.operator_id == s.operator_id) return true;
  }
  return false;
}

int pair_cost(const Reviewer& r, const Submission& s) {
  for (const std::string& e : r.expertise) {
    if (std::find(s.topics.begin(), s.topics.end(), e) != s.topics.end()) return 0;
  }
  return 1;
}

// Checks every rule on an assignment, independently of the engine; returns the loads.
std::map<std::string, int> expect_valid(const AssignmentInput& in, const Assignment& out,
                                        int max_load) {
  std::map<std::string, const Reviewer*> reviewers;
  for (const Reviewer& r : in.reviewers) reviewers[r.id] = &r;
  std::map<std::string, const Submission*> applications;
  for (const Submission& s : in.applications) applications[s.id] = &s;
  std::map<std::string, int> per_application, loads;
  std::set<std::pair<std::string, std::string>> pairs;
  int cost = 0;
  for (const Pair& p : out.pairs) {
    EXPECT_TRUE(pairs.emplace(p.application, p.reviewer).second) << "repeated pair";
    EXPECT_TRUE(reviewers.contains(p.reviewer) && applications.contains(p.application));
    if (!reviewers.contains(p.reviewer) || !applications.contains(p.application)) continue;
    EXPECT_FALSE(conflicted(in, *reviewers[p.reviewer], *applications[p.application]))
        << p.application << "–" << p.reviewer;
    cost += pair_cost(*reviewers[p.reviewer], *applications[p.application]);
    ++per_application[p.application];
    ++loads[p.reviewer];
  }
  for (const Submission& s : in.applications) EXPECT_EQ(per_application[s.id], in.per_application);
  for (const auto& [reviewer, load] : loads) EXPECT_LE(load, max_load) << reviewer;
  for (const Pair& lock : in.locked) {
    EXPECT_TRUE(pairs.contains({lock.application, lock.reviewer})) << "lock dropped";
  }
  EXPECT_EQ(out.cost, cost);
  // Sorted by application then reviewer, in input order.
  auto position = [&](const Pair& p) {
    auto a = std::find_if(in.applications.begin(), in.applications.end(),
                          [&](const Submission& s) { return s.id == p.application; });
    auto r = std::find_if(in.reviewers.begin(), in.reviewers.end(),
                          [&](const Reviewer& x) { return x.id == p.reviewer; });
    return std::pair(a - in.applications.begin(), r - in.reviewers.begin());
  };
  EXPECT_TRUE(std::is_sorted(out.pairs.begin(), out.pairs.end(), [&](const Pair& x, const Pair& y) {
    return position(x) < position(y);
  }));
  return loads;
}

int squares(const std::map<std::string, int>& loads) {
  int sum = 0;
  for (const auto& [reviewer, load] : loads) sum += load * load;
  return sum;
}

// The best (cost, sum of squared loads) over every assignment with loads <= max_load, by trying
// every set of k reviewers for every application; nullopt when none exists.
struct Best {
  int cost;
  int squares;
};
// With `balance`, the best is the fewest squares first, then the lowest cost.
std::optional<Best> brute_force(const AssignmentInput& in, int max_load, bool balance = false) {
  const int A = static_cast<int>(in.applications.size());
  const int R = static_cast<int>(in.reviewers.size());
  std::vector<std::vector<int>> options(A);  // reviewer bitmasks per application
  for (int a = 0; a < A; ++a) {
    for (int mask = 0; mask < (1 << R); ++mask) {
      if (__builtin_popcount(mask) != in.per_application) continue;
      bool ok = true;
      for (int r = 0; r < R && ok; ++r) {
        bool in_mask = mask >> r & 1;
        if (in_mask && conflicted(in, in.reviewers[r], in.applications[a])) ok = false;
        for (const Pair& lock : in.locked) {
          if (lock.application == in.applications[a].id && lock.reviewer == in.reviewers[r].id &&
              !in_mask) {
            ok = false;
          }
        }
      }
      if (ok) options[a].push_back(mask);
    }
  }
  std::optional<Best> best;
  std::vector<int> load(R, 0);
  auto visit = [&](auto&& self, int a, int cost) -> void {
    if (a == A) {
      int sq = 0;
      for (int l : load) sq += l * l;
      bool better = !best || (balance ? std::pair(sq, cost) < std::pair(best->squares, best->cost)
                                      : std::pair(cost, sq) < std::pair(best->cost, best->squares));
      if (better) best = Best{cost, sq};
      return;
    }
    for (int mask : options[a]) {
      bool fits = true;
      int extra = 0;
      for (int r = 0; r < R; ++r) {
        if (!(mask >> r & 1)) continue;
        if (load[r] + 1 > max_load) fits = false;
        extra += pair_cost(in.reviewers[r], in.applications[a]);
      }
      if (!fits) continue;
      for (int r = 0; r < R; ++r) load[r] += mask >> r & 1;
      self(self, a + 1, cost + extra);
      for (int r = 0; r < R; ++r) load[r] -= mask >> r & 1;
    }
  };
  visit(visit, 0, 0);
  return best;
}

AssignmentInput random_committee(std::mt19937& rng) {
  const char* topics[] = {"pbl", "ict", "tourism", "manufacturing"};
  AssignmentInput in;
  int R = 2 + static_cast<int>(rng() % 4);
  int A = 1 + static_cast<int>(rng() % 4);
  in.per_application = 1 + static_cast<int>(rng() % std::min(3, R));
  in.max_load = static_cast<int>(rng() % 4);  // 0: automatic
  for (int r = 0; r < R; ++r) {
    Reviewer reviewer{"r" + std::to_string(r), {}};
    for (const char* t : topics) {
      if (rng() % 3 == 0) reviewer.expertise.emplace_back(t);
    }
    in.reviewers.push_back(reviewer);
  }
  for (int a = 0; a < A; ++a) {
    Submission s{"a" + std::to_string(a), "op" + std::to_string(rng() % 3), {}};
    for (const char* t : topics) {
      if (rng() % 2 == 0) s.topics.emplace_back(t);
    }
    in.applications.push_back(s);
  }
  for (int c = static_cast<int>(rng() % 4); c > 0; --c) {
    in.conflicts.push_back({in.reviewers[rng() % R].id, "op" + std::to_string(rng() % 3)});
  }
  if (rng() % 3 == 0) {
    // A lock the checks accept: no conflict, within k for its application.
    const Submission& s = in.applications[rng() % A];
    const Reviewer& r = in.reviewers[rng() % R];
    if (!conflicted(in, r, s)) in.locked.push_back({s.id, r.id});
  }
  return in;
}

TEST(Assignment, MatchesExhaustiveSearchOnRandomCommittees) {
  std::mt19937 rng(126);
  int feasible = 0, infeasible = 0, automatic = 0, locked = 0;
  for (int round = 0; round < 500; ++round) {
    AssignmentInput in = random_committee(rng);
    const int A = static_cast<int>(in.applications.size());
    // The automatic maximum load is the smallest one for which an assignment exists.
    std::optional<int> load;
    if (in.max_load > 0) {
      load = in.max_load;
    } else {
      for (int m = 1; m <= std::max(A, 1) && !load; ++m) {
        if (brute_force(in, m)) load = m;
      }
    }
    std::optional<Best> expected = load ? brute_force(in, *load) : std::nullopt;
    auto got = assign_reviewers(in);
    ASSERT_EQ(got.has_value(), expected.has_value())
        << "round " << round << ": " << (got ? "" : got.error().message);
    if (!got) {
      ++infeasible;
      EXPECT_TRUE(got.error().message.starts_with("審査委員の割り当てができません。"))
          << got.error().message;
      continue;
    }
    ++feasible;
    automatic += in.max_load == 0;
    locked += !in.locked.empty();
    EXPECT_EQ(got->max_load, *load) << "round " << round;
    auto loads = expect_valid(in, *got, *load);
    EXPECT_EQ(got->cost, expected->cost) << "round " << round;
    EXPECT_EQ(squares(loads), expected->squares) << "round " << round;
  }
  EXPECT_GT(feasible, 200);
  EXPECT_GT(infeasible, 30);
  EXPECT_GT(automatic, 50);
  EXPECT_GT(locked, 30);
}

TEST(Assignment, BalanceFirstMatchesExhaustiveSearchOnRandomCommittees) {
  std::mt19937 rng(1603);
  int feasible = 0, traded = 0;
  for (int round = 0; round < 400; ++round) {
    AssignmentInput in = random_committee(rng);
    in.balance = true;
    const int A = static_cast<int>(in.applications.size());
    std::optional<int> load;
    if (in.max_load > 0) {
      load = in.max_load;
    } else {
      for (int m = 1; m <= std::max(A, 1) && !load; ++m) {
        if (brute_force(in, m)) load = m;
      }
    }
    std::optional<Best> expected = load ? brute_force(in, *load, true) : std::nullopt;
    auto got = assign_reviewers(in);
    ASSERT_EQ(got.has_value(), expected.has_value()) << "round " << round;
    if (!got) continue;
    ++feasible;
    auto loads = expect_valid(in, *got, *load);
    EXPECT_EQ(squares(loads), expected->squares) << "round " << round;
    EXPECT_EQ(got->cost, expected->cost) << "round " << round;
    // Where expertise first would have chosen another spread, balance gave up some expertise.
    if (auto cheapest = brute_force(in, *load); cheapest && cheapest->squares > expected->squares) ++traded;
  }
  EXPECT_GT(feasible, 150);
  EXPECT_GT(traded, 5);
}

AssignmentInput committee(int reviewers, int applications, int k, int max_load) {
  AssignmentInput in;
  in.per_application = k;
  in.max_load = max_load;
  for (int r = 1; r <= reviewers; ++r) in.reviewers.push_back({"r" + std::to_string(r), {}});
  for (int a = 1; a <= applications; ++a) {
    in.applications.push_back({"a" + std::to_string(a), "op" + std::to_string(a), {}});
  }
  return in;
}

std::string message(const AssignmentInput& in) {
  auto out = assign_reviewers(in);
  return out ? std::string("(assigned)") : out.error().message;
}

TEST(Assignment, PrefersMatchingExpertiseThenEvenLoads) {
  AssignmentInput in = committee(3, 2, 1, 2);
  in.reviewers[0].expertise = {"pbl"};
  in.reviewers[1].expertise = {"pbl"};
  in.applications[0].topics = {"pbl"};
  in.applications[1].topics = {"pbl", "ict"};
  auto out = assign_reviewers(in);
  ASSERT_OK(out);
  EXPECT_EQ(out->cost, 0);
  // Both experts could take both; even loads give one each.
  EXPECT_EQ(out->pairs, (std::vector<Pair>{{"a1", "r1"}, {"a2", "r2"}}));
}

TEST(Assignment, BalanceKeepsLoadsWithinOneThenPrefersExpertise) {
  // Only r1 knows the topic: expertise first gives r1 all three applications.
  AssignmentInput in = committee(3, 3, 1, 3);
  in.reviewers[0].expertise = {"pbl"};
  for (auto& a : in.applications) a.topics = {"pbl"};
  auto cheapest = assign_reviewers(in);
  ASSERT_OK(cheapest);
  EXPECT_EQ(cheapest->cost, 0);
  EXPECT_EQ(cheapest->pairs, (std::vector<Pair>{{"a1", "r1"}, {"a2", "r1"}, {"a3", "r1"}}));
  in.balance = true;
  auto balanced = assign_reviewers(in);
  ASSERT_OK(balanced);
  auto loads = expect_valid(in, *balanced, 3);
  EXPECT_EQ(loads, (std::map<std::string, int>{{"r1", 1}, {"r2", 1}, {"r3", 1}}));
  EXPECT_EQ(balanced->cost, 2);
  // Where a conflict forbids an even spread, the loads are as even as it allows: r2 and r3 may
  // take only a1, so r1 takes a2 and a3.
  AssignmentInput tight = committee(3, 3, 1, 3);
  tight.balance = true;
  tight.conflicts = {{"r2", "op2"}, {"r2", "op3"}, {"r3", "op2"}, {"r3", "op3"}};
  auto uneven = assign_reviewers(tight);
  ASSERT_OK(uneven);
  EXPECT_EQ(expect_valid(tight, *uneven, 3)["r1"], 2);
}

TEST(Assignment, NeverAssignsAConflictAndKeepsLockedPairs) {
  AssignmentInput in = committee(3, 2, 2, 2);
  in.reviewers[0].expertise = {"ict"};
  in.applications[0].topics = {"ict"};
  in.applications[1].topics = {"ict"};
  in.conflicts = {{"r1", "op2"}};
  in.locked = {{"a1", "r3"}};
  auto out = assign_reviewers(in);
  ASSERT_OK(out);
  EXPECT_EQ(out->pairs,
            (std::vector<Pair>{{"a1", "r1"}, {"a1", "r3"}, {"a2", "r2"}, {"a2", "r3"}}));
  EXPECT_EQ(out->cost, 3);
}

TEST(Assignment, ChoosesTheSmallestMaximumLoadWhenAskedTo) {
  AssignmentInput in = committee(4, 6, 2, 0);
  in.conflicts = {{"r1", "op1"}, {"r1", "op2"}, {"r1", "op3"}};
  auto out = assign_reviewers(in);
  ASSERT_OK(out);
  // 12 reviews on 4 reviewers need 3 each; r1 can take only a4–a6, which is enough.
  EXPECT_EQ(out->max_load, 3);
  expect_valid(in, *out, 3);
}

TEST(Assignment, NamesApplicationsWithTooFewConflictFreeReviewers) {
  AssignmentInput in = committee(3, 3, 3, 3);
  in.conflicts = {{"r1", "op2"}, {"r2", "op2"}, {"r3", "op3"}};
  EXPECT_EQ(message(in),
            "審査委員の割り当てができません。利害関係のない審査委員が 3 人に満たない申請があります: "
            "a2（1 人）、a3（2 人）。利害関係のない審査委員を 2 人以上追加してください");
  in.max_load = 0;
  EXPECT_EQ(message(in),
            "審査委員の割り当てができません。利害関係のない審査委員が 3 人に満たない申請があります: "
            "a2（1 人）、a3（2 人）。利害関係のない審査委員を 2 人以上追加してください");
}

TEST(Assignment, SaysHowFarToRaiseTheLoadOrHowManyReviewersToAdd) {
  AssignmentInput in = committee(40, 60, 3, 4);
  EXPECT_EQ(message(in),
            "審査委員の割り当てができません。必要な審査 180 件に対し、上限件数の合計は 160 件です"
            "（審査委員 40 人 × 4 件）。上限件数を 5 件以上に上げるか、利害関係のない審査委員を "
            "5 人以上追加してください");
  in.max_load = 5;
  EXPECT_EQ(message(in), "(assigned)");
}

TEST(Assignment, ExplainsAShortageCausedByConflictsAlone) {
  // Capacity 4 >= 3 needed, but a1–a3 (all of op1) have only r1 and r2, each limited to 1.
  AssignmentInput in = committee(4, 3, 1, 1);
  for (auto& s : in.applications) s.operator_id = "op1";
  in.conflicts = {{"r3", "op1"}, {"r4", "op1"}};
  EXPECT_EQ(message(in),
            "審査委員の割り当てができません。申請 a1、a2、a3 に割り当てられる利害関係のない審査委員"
            "（r1、r2）が、いずれも上限件数 1 件に達します。上限件数を 2 件以上に上げるか、"
            "利害関係のない審査委員を 1 人以上追加してください");
}

TEST(Assignment, NamesTheLockedPairThatBlocksTheRest) {
  // a2 can only be reviewed by r1; locking r1 to a1 at load 1 leaves a2 without a reviewer.
  AssignmentInput in = committee(2, 2, 1, 1);
  in.conflicts = {{"r2", "op2"}};
  in.locked = {{"a1", "r1"}};
  EXPECT_EQ(message(in),
            "審査委員の割り当てができません。固定された割り当てのために、残りの審査委員を割り当てられません。"
            "上限件数を 2 件以上に上げるか、利害関係のない審査委員を 1 人以上追加するか、"
            "固定された割り当て a1–r1 を外してください");
}

TEST(Assignment, RefusesLocksThatBreakARule) {
  AssignmentInput in = committee(3, 2, 1, 1);
  in.conflicts = {{"r2", "op1"}};
  in.locked = {{"a1", "r2"}};
  EXPECT_EQ(message(in),
            "固定された割り当て a1–r2 は利害関係です（r2 は事業者 op1 との利害関係を申告しています）");
  in.locked = {{"a1", "r1"}, {"a1", "r3"}};
  EXPECT_EQ(message(in),
            "申請 a1 に固定された審査委員が 2 人あり、1 件あたりの審査委員数 1 人を超えています");
  in.locked = {{"a1", "r1"}, {"a2", "r1"}};
  EXPECT_EQ(message(in), "審査委員 r1 に固定された割り当てが 2 件あり、上限件数 1 件を超えています");
  in.locked = {{"a1", "r1"}, {"a1", "r1"}};
  EXPECT_EQ(message(in), "固定された割り当てが重複しています: a1–r1");
  in.locked = {{"a9", "r1"}};
  EXPECT_EQ(message(in), "固定された割り当て a9–r1: 申請が見つかりません: a9");
  in.locked = {{"a1", "r9"}};
  EXPECT_EQ(message(in), "固定された割り当て a1–r9: 審査委員が見つかりません: r9");
}

TEST(Assignment, NamesWhatIsWrongWithTheInput) {
  AssignmentInput in = committee(2, 1, 1, 1);
  in.per_application = 0;
  EXPECT_EQ(message(in), "1 件あたりの審査委員数は 1〜20 で指定してください: 0");
  in = committee(2, 1, 1, -1);
  EXPECT_EQ(message(in), "上限件数は 0（自動）〜2000 で指定してください: -1");
  in = committee(2, 1, 1, 1);
  in.reviewers[1].id = "r1";
  EXPECT_EQ(message(in), "審査委員 ID が重複しています: r1");
  in = committee(2, 2, 1, 1);
  in.applications[1].id = "a1";
  EXPECT_EQ(message(in), "申請 ID が重複しています: a1");
  in = committee(2, 1, 1, 1);
  in.conflicts = {{"r7", "op1"}};
  EXPECT_EQ(message(in), "利害関係の申告の審査委員が見つかりません: r7");
  in = committee(2, 1, 1, 1);
  in.applications[0].operator_id = "";
  EXPECT_EQ(message(in), "申請 a1 の事業者 ID がありません");
}

TEST(Assignment, AssignsSixtyApplicationsToFortyReviewers) {
  std::mt19937 rng(60);
  const char* topics[] = {"pbl", "ict", "tourism", "manufacturing", "agriculture", "care"};
  AssignmentInput in = committee(40, 60, 3, 5);
  for (auto& r : in.reviewers) r.expertise = {topics[rng() % 6], topics[rng() % 6]};
  for (auto& s : in.applications) {
    s.operator_id = "op" + std::to_string(rng() % 45);
    s.topics = {topics[rng() % 6]};
  }
  for (int c = 0; c < 80; ++c) {
    in.conflicts.push_back(
        {"r" + std::to_string(1 + rng() % 40), "op" + std::to_string(rng() % 45)});
  }
  auto out = assign_reviewers(in);
  ASSERT_OK(out);
  expect_valid(in, *out, 5);
  EXPECT_EQ(out->pairs.size(), 180u);
}

}  // namespace
}  // namespace kakehashi::call::engine
