#include "call/engine/selection.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <unordered_set>

#include <fmt/format.h>
#include <fmt/ranges.h>

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
    return fail(Error::invalid(fmt::format("予算上限は 0〜{}で指定してください: {}",
                                           format_yen(kMaxYenAmount),
                                           format_yen(input.budget_total))));
  }
  if (input.award_min < 0 || input.award_max < 0 || input.award_max > kMaxYenAmount) {
    return fail(Error::invalid(fmt::format("採択額の範囲は 0〜{}で指定してください: {}〜{}",
                                           format_yen(kMaxYenAmount), format_yen(input.award_min),
                                           format_yen(input.award_max))));
  }
  if (input.award_min > input.award_max) {
    return fail(Error::invalid(fmt::format("採択額の下限 {}が上限 {}を超えています",
                                           format_yen(input.award_min),
                                           format_yen(input.award_max))));
  }
  if (input.min_score && !std::isfinite(*input.min_score)) {
    return fail(Error::invalid("最低点は数値で指定してください"));
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
    if (c.id.empty()) return fail(Error::invalid(fmt::format("{} 件目の申請に ID がありません", i + 1)));
    if (!ids.insert(c.id).second) {
      return fail(Error::invalid(fmt::format("申請 ID が重複しています: {}", c.id)));
    }
    if (c.operator_id.empty()) {
      return fail(Error::invalid(fmt::format("申請 {} の事業者 ID がありません", c.id)));
    }
    if (!geo::find_block(c.block)) {
      return fail(Error::invalid(fmt::format("申請 {} のブロック ID が不明です: {}", c.id, c.block)));
    }
    if (!blocks.contains(c.block)) {
      return fail(Error::invalid(fmt::format("申請 {} のブロック {}（{}）は採択対象に含まれていません",
                                             c.id, block_label(c.block), c.block)));
    }
    if (c.requested < 0) {
      return fail(Error::invalid(
          fmt::format("申請 {} の要求額が負です: {}", c.id, format_yen(c.requested))));
    }
    if (!std::isfinite(c.score) || std::abs(c.score) > kMaxScoreMagnitude) {
      return fail(Error::invalid(fmt::format("申請 {} の点数が範囲外です: {}（-{}〜{}）", c.id,
                                             score_text(c.score), kMaxScoreMagnitude,
                                             kMaxScoreMagnitude)));
    }
  }
  return {};
}

// One partial selection over the first blocks: its totals and how it was reached.
struct State {
  std::int64_t amount = 0;
  ScoreUnits score = 0;
  int parent = -1;     // index in the previous stage
  int candidate = -1;  // index in input.applications
};

}  // namespace

Result<Selection> solve_selection(const SelectionInput& input) {
  if (auto ok = check_input(input); !ok) return fail(ok.error());
  const auto& apps = input.applications;

  // Eligible candidates per block, and why the others are not.
  const ScoreUnits min_units = input.min_score ? to_units(*input.min_score)
                                               : std::numeric_limits<ScoreUnits>::min();
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
      reasons.push_back(fmt::format("最低点 {} 未満 {} 件", score_text(*input.min_score), below_min));
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
    for (const auto& [name, why] : empty_blocks) listed.push_back(fmt::format("{}（{}）", name, why));
    return fail(Error::invalid(fmt::format("採択できる申請がないブロックがあります: {}",
                                           fmt::join(listed, "、"))));
  }

  // The cheapest completion of the blocks after each stage prunes states the cap cannot carry.
  const size_t stages = input.blocks.size();
  std::vector<std::int64_t> cheapest_rest(stages + 1, 0);
  for (size_t b = stages; b-- > 0;) {
    std::int64_t cheapest = apps[eligible[b].front()].requested;
    for (int i : eligible[b]) cheapest = std::min(cheapest, apps[i].requested);
    cheapest_rest[b] = cheapest_rest[b + 1] + cheapest;
  }
  if (cheapest_rest[0] > input.budget_total) {
    return fail(Error::invalid(fmt::format(
        "予算上限 {}の範囲で全ブロックを採択できません。最小でも {}必要です（{}不足）",
        format_yen(input.budget_total), format_yen(cheapest_rest[0]),
        format_yen(cheapest_rest[0] - input.budget_total))));
  }

  // Submission order of every application: (submitted_at, id), ids being unique.
  std::vector<int> order(apps.size());
  for (size_t i = 0; i < apps.size(); ++i) order[i] = static_cast<int>(i);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    return std::tie(apps[a].submitted_at, apps[a].id) < std::tie(apps[b].submitted_at, apps[b].id);
  });
  std::vector<int> rank(apps.size());
  for (size_t r = 0; r < order.size(); ++r) rank[order[r]] = static_cast<int>(r);

  std::vector<std::vector<State>> front(stages + 1);
  front[0].push_back(State{});
  // The chosen applications' submission ranks of a state, newest first.
  auto ranks_newest_first = [&](size_t stage, int index) {
    std::vector<int> ranks;
    for (size_t s = stage; s > 0; --s) {
      const State& state = front[s][index];
      ranks.push_back(rank[state.candidate]);
      index = state.parent;
    }
    std::sort(ranks.rbegin(), ranks.rend());
    return ranks;
  };

  for (size_t b = 0; b < stages; ++b) {
    std::vector<State>& next = front[b + 1];
    for (size_t s = 0; s < front[b].size(); ++s) {
      const State& state = front[b][s];
      for (int i : eligible[b]) {
        std::int64_t amount = state.amount + apps[i].requested;
        if (amount + cheapest_rest[b + 1] > input.budget_total) continue;
        next.push_back(State{amount, state.score + to_units(apps[i].score), static_cast<int>(s), i});
      }
    }
    // Order by amount, then best first (score, then the earlier submissions), and keep only
    // states whose score beats every cheaper one: the Pareto front. A dropped state is beaten,
    // for every completion, by the state that dominates it, because all three keys are additive
    // and the later blocks' applications are disjoint from the earlier ones.
    std::vector<int> index(next.size());
    for (size_t i = 0; i < next.size(); ++i) index[i] = static_cast<int>(i);
    std::sort(index.begin(), index.end(), [&](int x, int y) {
      const State& a = next[x];
      const State& c = next[y];
      if (a.amount != c.amount) return a.amount < c.amount;
      if (a.score != c.score) return a.score > c.score;
      return ranks_newest_first(b + 1, x) < ranks_newest_first(b + 1, y);
    });
    std::vector<State> kept;
    for (int i : index) {
      if (kept.empty() || next[i].score > kept.back().score) kept.push_back(next[i]);
    }
    next = std::move(kept);
  }

  // On the final front the score rises with the amount, so the last state is the optimum.
  Selection selection;
  selection.awards.resize(stages);
  int index = static_cast<int>(front[stages].size()) - 1;
  for (size_t s = stages; s > 0; --s) {
    const State& state = front[s][index];
    const Candidate& c = apps[state.candidate];
    selection.awards[s - 1] = Award{c.block, c.id, c.operator_id, c.requested, c.score};
    index = state.parent;
  }
  for (const Award& award : selection.awards) {
    selection.total_amount += award.amount;
    selection.total_score += award.score;
  }
  return selection;
}

}  // namespace kakehashi::call::engine
