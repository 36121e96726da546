#include "call/engine/selection.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <unordered_set>

#include "base/yen.h"
#include "geo/geo.h"

namespace kakehashi::call::engine {

namespace {

using ScoreUnits = std::int64_t;  // a score in multiples of kScoreUnit

ScoreUnits to_units(double score) { return std::llround(score / kScoreUnit); }

std::string block_label(const std::string& id) {
  const geo::Block* block = geo::find_block(id);
  return block ? std::string(block->name) : id;
}

std::string score_text(double score) { return fmt::format("{}", score); }

Result<void> check_input(const SelectionInput& input) {
  if (input.budget_total < 0 || input.budget_total > kMaxYenAmount) {
    return fail(
        Error::invalid(fmt::format("予算上限は 0〜{}で指定してください: {}",
                                   format_yen(kMaxYenAmount), format_yen(input.budget_total))));
  }
  if (input.award_min < 0 || input.award_max < 0 || input.award_max > kMaxYenAmount) {
    return fail(Error::invalid(fmt::format("採択額の範囲は 0〜{}で指定してください: {}〜{}",
                                           format_yen(kMaxYenAmount), format_yen(input.award_min),
                                           format_yen(input.award_max))));
  }
  if (input.award_min > input.award_max) {
    return fail(
        Error::invalid(fmt::format("採択額の下限 {}が上限 {}を超えています",
                                   format_yen(input.award_min), format_yen(input.award_max))));
  }
  if (input.min_score && !std::isfinite(*input.min_score)) {
    return fail(Error::invalid("最低点は数値で指定してください"));
  }
  // Beyond the scores' range the scaled comparison would overflow.
  if (input.min_score && std::abs(*input.min_score) > kMaxScoreMagnitude) {
    return fail(Error::invalid(fmt::format("最低点は -{0}〜{0} で指定してください: {1}", kMaxScoreMagnitude,
                                           score_text(*input.min_score))));
  }
  if (input.blocks.empty()) return fail(Error::invalid("採択するブロックが指定されていません"));
  std::unordered_set<std::string> blocks;
  for (const std::string& block : input.blocks) {
    if (!geo::find_block(block)) {
      return fail(Error::invalid(fmt::format("ブロック ID が不明です: {}", block)));
    }
    if (!blocks.insert(block).second) {
      return fail(Error::invalid(fmt::format("ブロックが重複しています: {}", block)));
    }
  }
  if (input.applications.size() > kMaxCandidates) {
    return fail(Error::invalid(fmt::format("申請が多すぎます: {} 件（上限 {} 件）",
                                           input.applications.size(), kMaxCandidates)));
  }
  std::unordered_set<std::string> ids;
  for (size_t i = 0; i < input.applications.size(); ++i) {
    const Candidate& c = input.applications[i];
    if (c.id.empty())
      return fail(Error::invalid(fmt::format("{} 件目の申請に ID がありません", i + 1)));
    if (!ids.insert(c.id).second) {
      return fail(Error::invalid(fmt::format("申請 ID が重複しています: {}", c.id)));
    }
    if (c.operator_id.empty()) {
      return fail(Error::invalid(fmt::format("申請 {} の事業者 ID がありません", c.id)));
    }
    if (!geo::find_block(c.block)) {
      return fail(
          Error::invalid(fmt::format("申請 {} のブロック ID が不明です: {}", c.id, c.block)));
    }
    if (!blocks.contains(c.block)) {
      return fail(
          Error::invalid(fmt::format("申請 {} のブロック {}（{}）は採択対象に含まれていません",
                                     c.id, block_label(c.block), c.block)));
    }
    if (c.requested < 0) {
      return fail(Error::invalid(
          fmt::format("申請 {} の要求額が負です: {}", c.id, format_yen(c.requested))));
    }
    if (!std::isfinite(c.score) || std::abs(c.score) > kMaxScoreMagnitude) {
      return fail(
          Error::invalid(fmt::format("申請 {} の点数が範囲外です: {}（-{}〜{}）", c.id,
                                     score_text(c.score), kMaxScoreMagnitude, kMaxScoreMagnitude)));
    }
  }
  return {};
}

// One partial selection over some blocks: its totals and how it was reached.
struct State {
  std::int64_t amount = 0;
  ScoreUnits score = 0;
  int parent = -1;     // index in the previous stage
  int candidate = -1;  // index in input.applications
};

// The Pareto front of partial selections over a group of blocks: for each stage (blocks taken
// so far) the states no other state beats on amount, score and submissions together. A dropped
// state loses to the one that beats it for every completion, because all three keys are
// additive and the other blocks' applications are disjoint from this group's.
class Front {
 public:
  // `rank` orders every application by (submitted_at, id); `reserve` is the cheapest total the
  // blocks outside the group need, so no state leaves them without budget.
  Front(const std::vector<Candidate>& apps, const std::vector<std::vector<int>>& eligible,
        const std::vector<size_t>& group, const std::vector<int>& rank, std::int64_t budget,
        std::int64_t reserve)
      : rank_(rank), stages_(group.size() + 1) {
    std::vector<std::int64_t> cheapest_rest(group.size() + 1, reserve);
    for (size_t g = group.size(); g-- > 0;) {
      std::int64_t cheapest = apps[eligible[group[g]].front()].requested;
      for (int i : eligible[group[g]]) cheapest = std::min(cheapest, apps[i].requested);
      cheapest_rest[g] = cheapest_rest[g + 1] + cheapest;
    }
    stages_[0].push_back(State{});
    for (size_t g = 0; g < group.size(); ++g) {
      std::vector<State>& next = stages_[g + 1];
      for (size_t s = 0; s < stages_[g].size(); ++s) {
        const State& state = stages_[g][s];
        for (int i : eligible[group[g]]) {
          std::int64_t amount = state.amount + apps[i].requested;
          if (amount + cheapest_rest[g + 1] > budget) continue;
          if (next.size() == kMaxFrontStates) {
            too_large_ = true;
            return;
          }
          next.push_back(
              State{amount, state.score + to_units(apps[i].score), static_cast<int>(s), i});
        }
      }
      // By amount, then best first (score, then earlier submissions); keep a state only when it
      // scores more than every cheaper one.
      std::vector<int> order(next.size());
      for (size_t i = 0; i < next.size(); ++i) order[i] = static_cast<int>(i);
      std::sort(order.begin(), order.end(), [&](int x, int y) {
        const State& a = next[x];
        const State& b = next[y];
        if (a.amount != b.amount) return a.amount < b.amount;
        if (a.score != b.score) return a.score > b.score;
        return ranks(g + 1, x) < ranks(g + 1, y);
      });
      std::vector<State> kept;
      for (int i : order) {
        if (kept.empty() || next[i].score > kept.back().score) kept.push_back(next[i]);
      }
      next = std::move(kept);
    }
  }

  // Whether building stopped at kMaxFrontStates (the front is then unusable).
  bool too_large() const { return too_large_; }

  // The complete states, by amount with strictly rising scores.
  const std::vector<State>& last() const { return stages_.back(); }

  // The applications chosen by a state of `stage` (default: complete).
  std::vector<int> picks(int index, size_t stage) const {
    std::vector<int> chosen;
    for (size_t s = stage; s > 0; --s) {
      chosen.push_back(stages_[s][index].candidate);
      index = stages_[s][index].parent;
    }
    return chosen;
  }
  std::vector<int> picks(int index) const { return picks(index, stages_.size() - 1); }

  // Submission ranks of a state's applications, newest first.
  std::vector<int> ranks(size_t stage, int index) const {
    std::vector<int> out;
    for (int i : picks(index, stage)) out.push_back(rank_[i]);
    std::sort(out.rbegin(), out.rend());
    return out;
  }

 private:
  const std::vector<int>& rank_;
  std::vector<std::vector<State>> stages_;
  bool too_large_ = false;
};

}  // namespace

Result<Selection> solve_selection(const SelectionInput& input) {
  if (auto ok = check_input(input); !ok) return fail(ok.error());
  const auto& apps = input.applications;

  // Eligible candidates per block, and why the others are not.
  const ScoreUnits min_units =
      input.min_score ? to_units(*input.min_score) : std::numeric_limits<ScoreUnits>::min();
  std::vector<std::vector<int>> eligible(input.blocks.size());
  std::vector<std::pair<std::string, std::string>> empty_blocks;  // (block name, why)
  for (size_t b = 0; b < input.blocks.size(); ++b) {
    int total = 0, out_of_range = 0, below_min = 0;
    for (size_t i = 0; i < apps.size(); ++i) {
      if (apps[i].block != input.blocks[b]) continue;
      ++total;
      if (apps[i].requested < input.award_min || apps[i].requested > input.award_max) {
        ++out_of_range;
      } else if (to_units(apps[i].score) < min_units) {
        ++below_min;
      } else {
        eligible[b].push_back(static_cast<int>(i));
      }
    }
    if (!eligible[b].empty()) continue;
    std::string why = fmt::format("申請 {} 件", total);
    std::vector<std::string> reasons;
    if (out_of_range > 0) {
      reasons.push_back(fmt::format("要求額が {}〜{}の範囲外 {} 件", format_yen(input.award_min),
                                    format_yen(input.award_max), out_of_range));
    }
    if (below_min > 0) {
      reasons.push_back(
          fmt::format("最低点 {} 未満 {} 件", score_text(*input.min_score), below_min));
    }
    if (!reasons.empty()) why += fmt::format(": {}", fmt::join(reasons, "、"));
    empty_blocks.emplace_back(block_label(input.blocks[b]), why);
  }
  if (empty_blocks.size() == 1) {
    return fail(Error::invalid(fmt::format("{}ブロックに採択できる申請がありません（{}）",
                                           empty_blocks[0].first, empty_blocks[0].second)));
  }
  if (!empty_blocks.empty()) {
    std::vector<std::string> listed;
    for (const auto& [name, why] : empty_blocks)
      listed.push_back(fmt::format("{}（{}）", name, why));
    return fail(Error::invalid(
        fmt::format("採択できる申請がないブロックがあります: {}", fmt::join(listed, "、"))));
  }

  // The cheapest award of each block: the cap must allow their sum.
  const size_t blocks = input.blocks.size();
  std::vector<std::int64_t> cheapest(blocks);
  std::int64_t minimum = 0;
  for (size_t b = 0; b < blocks; ++b) {
    cheapest[b] = apps[eligible[b].front()].requested;
    for (int i : eligible[b]) cheapest[b] = std::min(cheapest[b], apps[i].requested);
    minimum += cheapest[b];
  }
  if (minimum > input.budget_total) {
    return fail(Error::invalid(
        fmt::format("予算上限 {}の範囲で全ブロックを採択できません。最小でも {}必要です（{}不足）",
                    format_yen(input.budget_total), format_yen(minimum),
                    format_yen(minimum - input.budget_total))));
  }

  // Submission order of every application: (submitted_at, id), ids being unique.
  std::vector<int> order(apps.size());
  for (size_t i = 0; i < apps.size(); ++i) order[i] = static_cast<int>(i);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    return std::tie(apps[a].submitted_at, apps[a].id) < std::tie(apps[b].submitted_at, apps[b].id);
  });
  std::vector<int> rank(apps.size());
  for (size_t r = 0; r < order.size(); ++r) rank[order[r]] = static_cast<int>(r);

  // Meet in the middle: split the blocks into two groups of about equal numbers of combinations
  // (largest block first into the group with fewer), build each group's Pareto front, then join
  // every left state with the best right state the remaining budget allows. A front holds at
  // most the product of its blocks' sizes, so even when score rises exactly with amount (every
  // state Pareto-optimal) 60 applications spread evenly over 10 blocks stay at 6^5 per side.
  std::vector<size_t> by_size(blocks);
  for (size_t b = 0; b < blocks; ++b) by_size[b] = b;
  std::stable_sort(by_size.begin(), by_size.end(),
                   [&](size_t a, size_t b) { return eligible[a].size() > eligible[b].size(); });
  std::vector<size_t> group[2];
  double weight[2] = {0, 0};         // log of the number of combinations
  std::int64_t reserve[2] = {0, 0};  // the other group's cheapest total
  for (size_t b : by_size) {
    int side = weight[0] <= weight[1] ? 0 : 1;
    group[side].push_back(b);
    weight[side] += std::log(static_cast<double>(eligible[b].size()));
    reserve[1 - side] += cheapest[b];
  }
  const Front left(apps, eligible, group[0], rank, input.budget_total, reserve[0]);
  const Front right(apps, eligible, group[1], rank, input.budget_total, reserve[1]);
  if (left.too_large() || right.too_large()) {
    size_t most = 0;
    for (const auto& e : eligible) most = std::max(most, e.size());
    return fail(Error::invalid(fmt::format(
        "申請の組合せが多すぎて採択案を計算できません（1 ブロックに採択できる申請が最大 {} 件）。"
        "最低点を設定するなどして候補を絞ってください",
        most)));
  }

  // Both fronts rise in score with amount, so a left state's best partner is the dearest right
  // state that fits; as left amounts grow, that index only moves down.
  const std::vector<State>& lefts = left.last();
  const std::vector<State>& rights = right.last();
  int best_left = -1, best_right = -1;
  auto newest_first = [&](int l, int r) {
    std::vector<int> ranks;
    for (int i : left.picks(l)) ranks.push_back(rank[i]);
    for (int i : right.picks(r)) ranks.push_back(rank[i]);
    std::sort(ranks.rbegin(), ranks.rend());
    return ranks;
  };
  int r = static_cast<int>(rights.size()) - 1;
  for (int l = 0; l < static_cast<int>(lefts.size()); ++l) {
    while (r >= 0 && lefts[l].amount + rights[r].amount > input.budget_total) --r;
    if (r < 0) break;
    if (best_left >= 0) {
      ScoreUnits score = lefts[l].score + rights[r].score;
      ScoreUnits best_score = lefts[best_left].score + rights[best_right].score;
      std::int64_t amount = lefts[l].amount + rights[r].amount;
      std::int64_t best_amount = lefts[best_left].amount + rights[best_right].amount;
      if (score < best_score) continue;
      if (score == best_score) {
        if (amount > best_amount) continue;
        if (amount == best_amount && newest_first(l, r) >= newest_first(best_left, best_right)) {
          continue;
        }
      }
    }
    best_left = l;
    best_right = r;
  }

  Selection selection;
  selection.awards.resize(blocks);
  std::vector<int> chosen = left.picks(best_left);
  for (int i : right.picks(best_right)) chosen.push_back(i);
  for (int i : chosen) {
    const Candidate& c = apps[i];
    size_t b = static_cast<size_t>(std::find(input.blocks.begin(), input.blocks.end(), c.block) -
                                   input.blocks.begin());
    selection.awards[b] = Award{c.block, c.id, c.operator_id, c.requested, c.score};
  }
  for (const Award& award : selection.awards) {
    selection.total_amount += award.amount;
    selection.total_score += award.score;
  }
  return selection;
}

}  // namespace kakehashi::call::engine
