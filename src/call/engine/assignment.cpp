#include "call/engine/assignment.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "call/engine/min_cost_flow.h"

namespace kakehashi::call::engine {

namespace {

// Most names one message lists before "ほか N 件".
constexpr size_t kNamesShown = 10;

std::string list_names(const std::vector<std::string>& names, std::string_view unit) {
  if (names.size() <= kNamesShown) return fmt::format("{}", fmt::join(names, "、"));
  std::vector<std::string> shown(names.begin(), names.begin() + kNamesShown);
  return fmt::format("{} ほか {} {}", fmt::join(shown, "、"), names.size() - kNamesShown, unit);
}

// The input in index form, checked.
struct Problem {
  int k = 0;
  int applications = 0;
  int reviewers = 0;
  std::vector<std::vector<char>> allowed;   // [application][reviewer]: no conflict
  std::vector<std::vector<char>> cost;      // [application][reviewer]: 0 shares a topic, else 1
  std::vector<std::pair<int, int>> locked;  // (application, reviewer)
};

// A solve of the flow network for one maximum load, `fresh` added conflict-free reviewers
// without expertise (for "how many to add"), and the locks in `active` kept.
struct Run {
  bool complete = false;
  std::vector<std::pair<int, int>> pairs;  // chosen unlocked pairs (application, reviewer)
  std::vector<bool> short_side;            // nodes on the source side of a minimum cut
};

Run run_flow(const Problem& p, int max_load, int fresh, const std::vector<bool>& active,
             bool optimise, bool balance = false) {
  const int A = p.applications, R = p.reviewers;
  const int source = 0, sink = 1 + A + R + fresh;
  std::vector<int> app_locks(A, 0), reviewer_locks(R, 0);
  std::vector<std::vector<char>> locked(A, std::vector<char>(R, 0));
  for (size_t i = 0; i < p.locked.size(); ++i) {
    if (!active[i]) continue;
    auto [a, r] = p.locked[i];
    ++app_locks[a];
    ++reviewer_locks[r];
    locked[a][r] = 1;
  }
  // Expertise first, then balance: a pair's mismatch outweighs every possible difference in the
  // sum of squared loads (at most max_load × the number of pairs).
  // With `balance`, the other way round: one step in the sum of squared loads outweighs every
  // mismatch (at most the number of pairs).
  const std::int64_t mismatch_weight =
      !optimise ? 0 : balance ? 1 : static_cast<std::int64_t>(max_load) * A * p.k + 1;
  const std::int64_t load_weight = optimise && balance ? static_cast<std::int64_t>(A) * p.k + 1 : 1;
  MinCostFlow network(sink + 1);
  std::int64_t demand = 0;
  for (int a = 0; a < A; ++a) {
    network.add_arc(source, 1 + a, p.k - app_locks[a], 0);
    demand += p.k - app_locks[a];
  }
  std::vector<std::tuple<int, int, int>> pair_arcs;  // (arc, application, reviewer)
  for (int a = 0; a < A; ++a) {
    for (int r = 0; r < R; ++r) {
      if (!p.allowed[a][r] || locked[a][r]) continue;
      int arc = network.add_arc(1 + a, 1 + A + r, 1, mismatch_weight * p.cost[a][r]);
      pair_arcs.emplace_back(arc, a, r);
    }
    for (int f = 0; f < fresh; ++f) network.add_arc(1 + a, 1 + A + R + f, 1, mismatch_weight);
  }
  for (int r = 0; r < R; ++r) {
    if (optimise) {
      // The j-th application of a reviewer costs 2j - 1, so a load L costs L²: convex, which
      // spreads the work evenly among assignments of equal expertise cost.
      for (int j = reviewer_locks[r] + 1; j <= max_load; ++j) {
        network.add_arc(1 + A + r, sink, 1, (2 * j - 1) * load_weight);
      }
    } else if (max_load > reviewer_locks[r]) {
      network.add_arc(1 + A + r, sink, max_load - reviewer_locks[r], 0);
    }
  }
  for (int f = 0; f < fresh; ++f) network.add_arc(1 + A + R + f, sink, max_load, 0);

  Run run;
  run.complete = network.solve(source, sink, demand).flow == demand;
  for (auto [arc, a, r] : pair_arcs) {
    if (network.flow(arc) > 0) run.pairs.emplace_back(a, r);
  }
  if (!run.complete) run.short_side = network.reachable_from(source);
  return run;
}

// The smallest value in [low, high] for which `feasible` holds, given that it holds at `high`
// and, once it holds, holds for every larger value.
template <typename Feasible>
int smallest_feasible(int low, int high, Feasible feasible) {
  while (low < high) {
    int mid = low + (high - low) / 2;
    if (feasible(mid)) {
      high = mid;
    } else {
      low = mid + 1;
    }
  }
  return high;
}

struct Remedy {
  std::string plain;    // "上限件数を 5 件以上に上げる"
  std::string request;  // "上限件数を 5 件以上に上げてください"
};

// Explains, in the secretariat's terms, why no assignment exists and what would make one.
Error explain_infeasible(const Problem& p, const AssignmentInput& input, int max_load,
                         bool automatic) {
  const int A = p.applications, R = p.reviewers;
  const std::vector<bool> all_locks(p.locked.size(), true);
  std::vector<std::string> causes;
  std::vector<Remedy> remedies;

  // Applications with fewer conflict-free reviewers than k: no load helps, only new reviewers.
  std::vector<std::string> short_applications;
  for (int a = 0; a < A; ++a) {
    int count = static_cast<int>(std::count(p.allowed[a].begin(), p.allowed[a].end(), 1));
    if (count < p.k) {
      short_applications.push_back(fmt::format("{}（{} 人）", input.applications[a].id, count));
    }
  }
  const std::int64_t needed = static_cast<std::int64_t>(A) * p.k;
  const std::int64_t capacity = static_cast<std::int64_t>(R) * max_load;
  Run failed = run_flow(p, max_load, 0, all_locks, false);
  bool locks_block = false;
  if (!short_applications.empty()) {
    causes.push_back(fmt::format("利害関係のない審査委員が {} 人に満たない申請があります: {}", p.k,
                                 list_names(short_applications, "件")));
  } else if (capacity < needed) {
    causes.push_back(fmt::format(
        "必要な審査 {} 件に対し、上限件数の合計は {} 件です（審査委員 {} 人 × {} 件）", needed,
        capacity, R, max_load));
  } else if (!p.locked.empty() &&
             run_flow(p, max_load, 0, std::vector<bool>(p.locked.size(), false), false).complete) {
    locks_block = true;
    causes.push_back("固定された割り当てのために、残りの審査委員を割り当てられません");
  } else {
    // The source side of a minimum cut: applications still short of reviewers, and the
    // conflict-free reviewers left to them, all at the maximum load.
    std::vector<std::string> applications, reviewers;
    for (int a = 0; a < A; ++a) {
      if (failed.short_side[1 + a]) applications.push_back(input.applications[a].id);
    }
    for (int r = 0; r < R; ++r) {
      if (failed.short_side[1 + A + r]) reviewers.push_back(input.reviewers[r].id);
    }
    causes.push_back(
        fmt::format("申請 {} に割り当てられる利害関係のない審査委員（{}）が、いずれも上限件数 {} "
                    "件に達します",
                    list_names(applications, "件"), list_names(reviewers, "人"), max_load));
  }

  // The smallest maximum load that works (loads beyond A never help).
  if (!automatic && short_applications.empty()) {
    int enough = smallest_feasible(max_load + 1, std::max(A, max_load + 1), [&](int load) {
      return run_flow(p, load, 0, all_locks, false).complete;
    });
    remedies.push_back({fmt::format("上限件数を {} 件以上に上げる", enough),
                        fmt::format("上限件数を {} 件以上に上げてください", enough)});
  }
  // The fewest conflict-free reviewers to add at this load: k of them with enough load can take
  // every application alone, which bounds the search.
  {
    int load = std::max(max_load, 1);
    int high = std::max<int>(p.k, static_cast<int>((needed + load - 1) / load));
    int added = smallest_feasible(
        1, high, [&](int fresh) { return run_flow(p, load, fresh, all_locks, false).complete; });
    remedies.push_back({fmt::format("利害関係のない審査委員を {} 人以上追加する", added),
                        fmt::format("利害関係のない審査委員を {} 人以上追加してください", added)});
  }
  // Locked pairs whose release alone makes it possible.
  if (locks_block) {
    std::vector<std::string> releasable;
    for (size_t i = 0; i < p.locked.size(); ++i) {
      std::vector<bool> active = all_locks;
      active[i] = false;
      if (run_flow(p, max_load, 0, active, false).complete) {
        releasable.push_back(fmt::format("{}–{}", input.applications[p.locked[i].first].id,
                                         input.reviewers[p.locked[i].second].id));
      }
    }
    if (releasable.size() == 1) {
      remedies.push_back({fmt::format("固定された割り当て {} を外す", releasable[0]),
                          fmt::format("固定された割り当て {} を外してください", releasable[0])});
    } else if (!releasable.empty()) {
      std::string which =
          fmt::format("固定された割り当て {} のいずれかを外", list_names(releasable, "組"));
      remedies.push_back({which + "す", which + "してください"});
    } else {
      remedies.push_back({"固定された割り当てを外す", "固定された割り当てを外してください"});
    }
  }

  std::string advice;
  for (size_t i = 0; i < remedies.size(); ++i) {
    advice += i + 1 < remedies.size() ? remedies[i].plain + "か、" : remedies[i].request;
  }
  return Error::invalid(
      fmt::format("審査委員の割り当てができません。{}。{}", fmt::join(causes, "。"), advice));
}

}  // namespace

Result<Assignment> assign_reviewers(const AssignmentInput& input) {
  if (input.per_application < 1 || input.per_application > kMaxPerApplication) {
    return fail(Error::invalid(fmt::format("1 件あたりの審査委員数は 1〜{} で指定してください: {}",
                                           kMaxPerApplication, input.per_application)));
  }
  if (input.max_load < 0 || input.max_load > static_cast<int>(kMaxApplications)) {
    return fail(Error::invalid(fmt::format("上限件数は 0（自動）〜{} で指定してください: {}",
                                           kMaxApplications, input.max_load)));
  }
  if (input.reviewers.size() > kMaxReviewers) {
    return fail(Error::invalid(fmt::format("審査委員が多すぎます: {} 人（上限 {} 人）",
                                           input.reviewers.size(), kMaxReviewers)));
  }
  if (input.applications.size() > kMaxApplications) {
    return fail(Error::invalid(fmt::format("申請が多すぎます: {} 件（上限 {} 件）",
                                           input.applications.size(), kMaxApplications)));
  }
  std::unordered_map<std::string, int> reviewer_index, application_index;
  for (size_t r = 0; r < input.reviewers.size(); ++r) {
    const std::string& id = input.reviewers[r].id;
    if (id.empty())
      return fail(Error::invalid(fmt::format("{} 人目の審査委員に ID がありません", r + 1)));
    if (!reviewer_index.emplace(id, static_cast<int>(r)).second) {
      return fail(Error::invalid(fmt::format("審査委員 ID が重複しています: {}", id)));
    }
  }
  for (size_t a = 0; a < input.applications.size(); ++a) {
    const Submission& s = input.applications[a];
    if (s.id.empty())
      return fail(Error::invalid(fmt::format("{} 件目の申請に ID がありません", a + 1)));
    if (!application_index.emplace(s.id, static_cast<int>(a)).second) {
      return fail(Error::invalid(fmt::format("申請 ID が重複しています: {}", s.id)));
    }
    if (s.operator_id.empty()) {
      return fail(Error::invalid(fmt::format("申請 {} の事業者 ID がありません", s.id)));
    }
  }
  std::set<std::pair<std::string, std::string>> conflicts;  // (reviewer, operator)
  for (const Conflict& c : input.conflicts) {
    if (!reviewer_index.contains(c.reviewer)) {
      return fail(
          Error::invalid(fmt::format("利害関係の申告の審査委員が見つかりません: {}", c.reviewer)));
    }
    conflicts.emplace(c.reviewer, c.operator_id);
  }

  Problem p;
  p.k = input.per_application;
  p.applications = static_cast<int>(input.applications.size());
  p.reviewers = static_cast<int>(input.reviewers.size());
  p.allowed.assign(p.applications, std::vector<char>(p.reviewers, 0));
  p.cost.assign(p.applications, std::vector<char>(p.reviewers, 1));
  for (int a = 0; a < p.applications; ++a) {
    const Submission& s = input.applications[a];
    std::unordered_set<std::string> topics(s.topics.begin(), s.topics.end());
    for (int r = 0; r < p.reviewers; ++r) {
      const Reviewer& reviewer = input.reviewers[r];
      p.allowed[a][r] = !conflicts.contains({reviewer.id, s.operator_id});
      for (const std::string& topic : reviewer.expertise) {
        if (topics.contains(topic)) p.cost[a][r] = 0;
      }
    }
  }

  std::vector<int> app_locks(p.applications, 0), reviewer_locks(p.reviewers, 0);
  std::set<std::pair<int, int>> seen_locks;
  for (const Pair& lock : input.locked) {
    auto a = application_index.find(lock.application);
    auto r = reviewer_index.find(lock.reviewer);
    std::string name = fmt::format("{}–{}", lock.application, lock.reviewer);
    if (a == application_index.end()) {
      return fail(Error::invalid(
          fmt::format("固定された割り当て {}: 申請が見つかりません: {}", name, lock.application)));
    }
    if (r == reviewer_index.end()) {
      return fail(Error::invalid(
          fmt::format("固定された割り当て {}: 審査委員が見つかりません: {}", name, lock.reviewer)));
    }
    if (!seen_locks.emplace(a->second, r->second).second) {
      return fail(Error::invalid(fmt::format("固定された割り当てが重複しています: {}", name)));
    }
    if (!p.allowed[a->second][r->second]) {
      return fail(Error::invalid(fmt::format(
          "固定された割り当て {} は利害関係です（{} は事業者 {} との利害関係を申告しています）", name,
          lock.reviewer, input.applications[a->second].operator_id)));
    }
    p.locked.emplace_back(a->second, r->second);
    ++app_locks[a->second];
    ++reviewer_locks[r->second];
  }
  for (int a = 0; a < p.applications; ++a) {
    if (app_locks[a] > p.k) {
      return fail(Error::invalid(fmt::format(
          "申請 {} に固定された審査委員が {} 人あり、1 件あたりの審査委員数 {} 人を超えています",
          input.applications[a].id, app_locks[a], p.k)));
    }
  }
  int most_locked = 0;
  for (int r = 0; r < p.reviewers; ++r) {
    most_locked = std::max(most_locked, reviewer_locks[r]);
    if (input.max_load > 0 && reviewer_locks[r] > input.max_load) {
      return fail(Error::invalid(
          fmt::format("審査委員 {} に固定された割り当てが {} 件あり、上限件数 {} 件を超えています",
                      input.reviewers[r].id, reviewer_locks[r], input.max_load)));
    }
  }

  const std::vector<bool> all_locks(p.locked.size(), true);
  const bool automatic = input.max_load == 0;
  int max_load = input.max_load;
  if (automatic) {
    // The smallest maximum load with an assignment: at least the average and every reviewer's
    // locked pairs, at most one per application.
    const int needed = p.applications * p.k;
    int low =
        std::max({1, most_locked, p.reviewers > 0 ? (needed + p.reviewers - 1) / p.reviewers : 1});
    int high = std::max(low, p.applications);
    if (!run_flow(p, high, 0, all_locks, false).complete) {
      return fail(explain_infeasible(p, input, high, true));
    }
    max_load = smallest_feasible(
        low, high, [&](int load) { return run_flow(p, load, 0, all_locks, false).complete; });
  }
  Run run = run_flow(p, max_load, 0, all_locks, true, input.balance);
  if (!run.complete) return fail(explain_infeasible(p, input, max_load, automatic));

  std::vector<std::pair<int, int>> pairs = run.pairs;
  pairs.insert(pairs.end(), p.locked.begin(), p.locked.end());
  std::sort(pairs.begin(), pairs.end());
  Assignment assignment;
  assignment.max_load = max_load;
  for (auto [a, r] : pairs) {
    assignment.pairs.push_back(Pair{input.applications[a].id, input.reviewers[r].id});
    assignment.cost += p.cost[a][r];
  }
  return assignment;
}

}  // namespace kakehashi::call::engine
