// Fuzz target: both JSON readers of the call solvers, and the solvers on whatever they accept.
// Any input must give a Japanese error or an answer that keeps every rule.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>
#include <string_view>

#include "call/engine/json.h"

namespace engine = kakehashi::call::engine;

namespace {

// Keep each run short: the solvers' own limits are far above what a fuzz run needs.
constexpr size_t kMaxFuzzApplications = 40;
constexpr size_t kMaxFuzzReviewers = 20;

void check_error(const kakehashi::Error& error) {
  if (error.code != kakehashi::ErrorCode::kInvalidArgument || error.message.empty()) std::abort();
}

void selection(std::string_view text) {
  auto input = engine::parse_selection_input(text);
  if (!input) return check_error(input.error());
  if (input->applications.size() > kMaxFuzzApplications) return;
  auto out = engine::solve_selection(*input);
  if (!out) return check_error(out.error());
  if (out->awards.size() != input->blocks.size()) std::abort();
  std::map<std::string, const engine::Candidate*> by_id;
  for (const auto& c : input->applications) by_id[c.id] = &c;
  std::int64_t total = 0;
  for (size_t b = 0; b < out->awards.size(); ++b) {
    const auto& award = out->awards[b];
    auto it = by_id.find(award.application);
    if (it == by_id.end() || it->second->block != input->blocks[b]) std::abort();
    if (award.amount < input->award_min || award.amount > input->award_max) std::abort();
    total += award.amount;
  }
  if (total != out->total_amount || total > input->budget_total) std::abort();
}

void assignment(std::string_view text) {
  auto input = engine::parse_assignment_input(text);
  if (!input) return check_error(input.error());
  if (input->applications.size() > kMaxFuzzApplications ||
      input->reviewers.size() > kMaxFuzzReviewers) {
    return;
  }
  auto out = engine::assign_reviewers(*input);
  if (!out) return check_error(out.error());
  std::map<std::string, std::string> operator_of;
  for (const auto& s : input->applications) operator_of[s.id] = s.operator_id;
  std::set<std::pair<std::string, std::string>> conflicts;
  for (const auto& c : input->conflicts) conflicts.emplace(c.reviewer, c.operator_id);
  std::map<std::string, int> per_application, load;
  for (const auto& p : out->pairs) {
    if (conflicts.contains({p.reviewer, operator_of.at(p.application)})) std::abort();
    ++per_application[p.application];
    if (++load[p.reviewer] > out->max_load) std::abort();
  }
  for (const auto& s : input->applications) {
    if (per_application[s.id] != input->per_application) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  selection(text);
  assignment(text);
  return 0;
}
