// The JSON form of the solvers' input and output: `kakehashi call solve|assign` read and print
// it, and the web screens' /api/ can serve the same shapes.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "call/engine/assignment.h"
#include "call/engine/selection.h"

namespace kakehashi::call::engine {

// Largest JSON input accepted, checked before parsing.
inline constexpr std::size_t kMaxJsonBytes = 16 * 1024 * 1024;

// {"budget_total":N?,"award_min":N?,"award_max":N?,"min_score":X?,"blocks":[id,…]?,
//  "applications":[{"id","operator","block","score","requested","submitted_at"}]}.
// Omitted amounts take SelectionInput's defaults; omitted "blocks" means all 10 blocks in the
// order of regional_blocks.csv. Fails with Error::invalid naming the field, e.g.
// "入力 JSON: applications[2].requested は整数（円）で指定してください". Rules are checked by
// solve_selection.
[[nodiscard]] Result<SelectionInput> parse_selection_input(std::string_view json);

// {"awards":[{"block","application","operator","amount","score"}],"total_amount":N,
//  "total_score":X}, one line.
std::string selection_to_json(const Selection& selection);

// {"per_application":k?,"max_load":m?,"reviewers":[{"id","expertise":[…]?}],
//  "applications":[{"id","operator","topics":[…]?}],"conflicts":[{"reviewer","operator"}]?,
//  "locked":[{"application","reviewer"}]?}. Omitted k is 3; omitted or 0 max_load asks for the
// smallest that works.
[[nodiscard]] Result<AssignmentInput> parse_assignment_input(std::string_view json);

// {"assignments":[{"application","reviewer","matched","locked"}],"cost":X,"max_load":m}, one
// line; "matched": the pair shares a topic (cost 0); "locked": the pair was locked in the input.
std::string assignment_to_json(const Assignment& assignment, const AssignmentInput& input);

}  // namespace kakehashi::call::engine
