#include "call/engine/results.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <unordered_map>

namespace kakehashi::call::engine {

namespace {

// Scores closer than this are equal when choosing a block's leader.
constexpr double kTieTolerance = 1e-9;
// A spread below this counts as none (all of a reviewer's totals equal).
constexpr double kNoSpread = 1e-12;

struct Moments {
  double mean = 0;
  double sd = 0;  // population standard deviation
};

Moments moments(const std::vector<double>& values) {
  Moments m;
  if (values.empty()) return m;
  for (double v : values) m.mean += v;
  m.mean /= static_cast<double>(values.size());
  double squares = 0;
  for (double v : values) squares += (v - m.mean) * (v - m.mean);
  m.sd = std::sqrt(squares / static_cast<double>(values.size()));
  return m;
}

std::string decimal(double value) { return fmt::format("{:.2f}", value); }

}  // namespace

ResultsTable compute_results(const std::vector<ReviewTotal>& totals,
                             const NormalisationOptions& options) {
  ResultsTable table;
  std::vector<double> all;
  std::vector<std::string> reviewer_order;
  std::unordered_map<std::string, std::vector<double>> by_reviewer;
  std::unordered_map<std::string, size_t> application_row;
  for (const ReviewTotal& t : totals) {
    all.push_back(t.total);
    auto [it, added] = by_reviewer.try_emplace(t.reviewer);
    if (added) reviewer_order.push_back(t.reviewer);
    it->second.push_back(t.total);
    auto [row, new_row] = application_row.try_emplace(t.application, table.applications.size());
    if (new_row) table.applications.push_back(ApplicationResult{t.application, {}, 0, 0});
    table.applications[row->second].totals.push_back(t);
  }
  const Moments overall = moments(all);

  std::unordered_map<std::string, Moments> normalised;  // reviewers normalised, with their moments
  for (const std::string& reviewer : reviewer_order) {
    const std::vector<double>& values = by_reviewer[reviewer];
    Moments m = moments(values);
    if (static_cast<int>(values.size()) >= options.min_reviews && m.sd > kNoSpread) {
      normalised.emplace(reviewer, m);
      table.normalised_reviewers.push_back(reviewer);
    }
  }
  for (ApplicationResult& row : table.applications) {
    double raw = 0, adjusted = 0;
    for (const ReviewTotal& t : row.totals) {
      raw += t.total;
      auto it = normalised.find(t.reviewer);
      adjusted += it == normalised.end()
                      ? t.total
                      : overall.mean + overall.sd * (t.total - it->second.mean) / it->second.sd;
    }
    row.mean = raw / static_cast<double>(row.totals.size());
    row.normalised = adjusted / static_cast<double>(row.totals.size());
  }

  table.method = fmt::format(
      "審査委員ごとの正規化: {} 件以上を審査し点にばらつきのある審査委員 {} 人について、各合計点 x を"
      "その審査委員の平均 m と標準偏差 s から z = (x − m) ÷ s とし、全審査の平均 {} と標準偏差 {} "
      "に当てはめて {} + {} × z としました（標準偏差は母標準偏差）。それ以外の審査委員 {} 人の点は"
      "素点のままです。正規化後の点は、申請ごとに審査委員の点を平均したものです。",
      options.min_reviews, table.normalised_reviewers.size(), decimal(overall.mean),
      decimal(overall.sd), decimal(overall.mean), decimal(overall.sd),
      reviewer_order.size() - table.normalised_reviewers.size());
  return table;
}

std::vector<LeaderChange> leader_changes(
    const ResultsTable& results,
    const std::vector<std::pair<std::string, std::string>>& application_blocks) {
  std::unordered_map<std::string, const ApplicationResult*> rows;
  for (const ApplicationResult& row : results.applications) rows.emplace(row.application, &row);

  struct Leaders {
    const ApplicationResult* by_mean = nullptr;
    const ApplicationResult* by_normalised = nullptr;
  };
  std::vector<std::string> block_order;
  std::unordered_map<std::string, Leaders> leaders;
  for (const auto& [application, block] : application_blocks) {
    auto row = rows.find(application);
    if (row == rows.end()) continue;
    auto [it, added] = leaders.try_emplace(block);
    if (added) block_order.push_back(block);
    Leaders& l = it->second;
    // Strictly better by more than the tolerance: the earlier listed keeps a tie.
    if (!l.by_mean || row->second->mean > l.by_mean->mean + kTieTolerance) l.by_mean = row->second;
    if (!l.by_normalised || row->second->normalised > l.by_normalised->normalised + kTieTolerance) {
      l.by_normalised = row->second;
    }
  }
  std::vector<LeaderChange> changes;
  for (const std::string& block : block_order) {
    const Leaders& l = leaders[block];
    if (l.by_mean != l.by_normalised) {
      changes.push_back(LeaderChange{block, l.by_mean->application, l.by_normalised->application});
    }
  }
  return changes;
}

}  // namespace kakehashi::call::engine
