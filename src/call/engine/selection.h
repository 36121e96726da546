// Selection of the demonstration operators (R2.6): exactly one award per block, each at the
// requested amount, within the award range and the budget cap, maximising the total score.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace kakehashi::call::engine {

// Scores are compared in units of this size: each candidate's score is rounded to a multiple of
// it, so totals are exact integers and "equal within 1e-9" is a well-defined tie.
inline constexpr double kScoreUnit = 1e-9;
// Largest score magnitude accepted (keeps every total of scaled scores inside 64 bits).
inline constexpr double kMaxScoreMagnitude = 1'000'000;
// Largest budget cap and award bound accepted, in yen (keeps every total inside 64 bits).
inline constexpr std::int64_t kMaxYenAmount = 1'000'000'000'000'000;  // 10^15 yen
// Most applications one solve accepts (the programme expects a few dozen).
inline constexpr std::size_t kMaxCandidates = 10'000;
// Most partial selections one half of the blocks may hold before pruning (about 50 MB). Far
// above any real call (60 applications spread evenly over 10 blocks give at most 6^5 = 7,776
// per half); reached only when a few hundred eligible applications have scores rising with
// their requests.
inline constexpr std::size_t kMaxFrontStates = 2'000'000;

// One application to one block, with the committee's score for it.
struct Candidate {
  std::string id;
  std::string operator_id;
  std::string block;  // a block id of regional_blocks.csv ("hokkaido", …)
  double score = 0;
  std::int64_t requested = 0;  // yen
  std::string submitted_at;    // ISO 8601, compared as text
};

struct SelectionInput {
  std::int64_t budget_total = 210'000'000;
  std::int64_t award_min = 15'000'000;
  std::int64_t award_max = 25'000'000;
  std::optional<double> min_score;  // candidates scoring below it are not eligible
  std::vector<std::string> blocks;  // the blocks that must each get one award
  std::vector<Candidate> applications;
};

struct Award {
  std::string block;
  std::string application;
  std::string operator_id;
  std::int64_t amount = 0;  // = the application's requested amount
  double score = 0;         // the application's score
};

struct Selection {
  std::vector<Award> awards;  // in the order of input.blocks
  std::int64_t total_amount = 0;
  double total_score = 0;
};

// Chooses exactly one eligible application per block so that the total requested amount stays
// within budget_total and the total score is maximal. Eligible: award_min <= requested <=
// award_max and, when min_score is set, score >= min_score. An operator may win several blocks.
// Ties (totals equal after rounding each score to kScoreUnit) go to the smaller total amount,
// then to the selection whose latest-submitted application was submitted earlier (comparing the
// chosen applications' (submitted_at, id) sorted newest first, lexicographically), so the
// answer is unique. Exact: the Pareto fronts of (amount, score) over two halves of the blocks,
// joined at the cap (docs/call-solvers.md).
// Fails with Error::invalid, in Japanese, on bad input (unknown or repeated block, repeated
// application id, negative amount, …) and when no selection exists, naming the blocks without an
// eligible application or the smallest total the cap would have to allow, and when the
// candidates are too many to compare exactly (kMaxFrontStates).
[[nodiscard]] Result<Selection> solve_selection(const SelectionInput& input);

}  // namespace kakehashi::call::engine
