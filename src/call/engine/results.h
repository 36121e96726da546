// The review results (R2.6, R2.7): per application the weighted total of each reviewer, the
// mean, and a per-reviewer normalised score, with the method stated for the screen.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace kakehashi::call::engine {

// A reviewer's weighted total for an application.
struct ReviewTotal {
  std::string application;
  std::string reviewer;
  double total = 0;
};

struct NormalisationOptions {
  // Reviewers with fewer reviews than this (or with no spread in their totals) keep raw totals.
  int min_reviews = 3;
};

struct ApplicationResult {
  std::string application;
  std::vector<ReviewTotal> totals;  // in input order
  double mean = 0;                  // of the raw totals
  double normalised = 0;            // mean of the reviewers' normalised (or raw) values
};

struct ResultsTable {
  std::vector<ApplicationResult> applications;    // in order of first appearance in the input
  std::vector<std::string> normalised_reviewers;  // reviewers whose scores were normalised
  std::string method;  // Japanese description of the method shown on screen
};

// Normalises each reviewer with at least min_reviews totals and a non-zero spread by a z-score
// rescaled to all totals: normalised = M + S × (x − m_r) / s_r, where m_r and s_r are the mean
// and population standard deviation of the reviewer's totals and M and S those of every total.
// Other reviewers' totals count as they are. An application's normalised score is the mean of
// its reviewers' values. Each (application, reviewer) should appear once; totals must be finite.
ResultsTable compute_results(const std::vector<ReviewTotal>& totals,
                             const NormalisationOptions& options = {});

struct LeaderChange {
  std::string block;
  std::string leader_by_mean;
  std::string leader_by_normalised;
};

// The blocks whose leading application by mean differs from the leader by normalised score,
// in order of the blocks' first appearance in application_blocks ((application, block) pairs).
// Scores within 1e-9 tie, and a tie goes to the application listed first. Applications absent
// from `results` are ignored.
std::vector<LeaderChange> leader_changes(
    const ResultsTable& results,
    const std::vector<std::pair<std::string, std::string>>& application_blocks);

}  // namespace kakehashi::call::engine
