// Who sees which operator (issue 15, "Operators from the decision"), decided per object:
// - secretariat and METI: every operator;
// - operators: the operator of their own organisation;
// - bureaus: the operators of the blocks their bureau covers — 北陸 is covered by two bureaus
//   (中部 for 富山・石川, 近畿 for 福井), so 中部経済産業局 sees 東海 and 北陸, 近畿経済産業局 近畿 and 北陸;
// - anyone else: nothing. An operator one may not see answers 404, as in the call.
// The policy table (auth/policy.cpp) says which role may do what with which scope; this file
// turns a scope into operators.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "auth/policy.h"
#include "db/database.h"
#include "operations/model.h"

namespace kakehashi::operations {

// How far a principal reaches in the programme year.
struct Reach {
  bool all = false;                                 // a kAll grant of the action
  std::optional<std::int64_t> organisation_id;      // a kOwnOrganisation grant
  std::set<std::string> blocks;                     // a kOwnBlock grant: the bureau's blocks
  bool none() const { return !all && !organisation_id && blocks.empty(); }
};

// The blocks covered by the bureau of a bureau user: the bureau named by the user's organisation
// when it is one (e.g. "中部経済産業局"), else the bureau of the user's block when that block has
// only one. Empty for anyone else.
[[nodiscard]] Result<std::set<std::string>> bureau_blocks(db::Transaction& tx, const auth::Principal& who);

// What `who` may reach with `action` (the union of their grants of it).
[[nodiscard]] Result<Reach> reach(db::Transaction& tx, const auth::Principal& who, auth::Action action);

// True when `reach` covers the operator (its organisation, or one of its blocks).
bool covers(const Reach& reach, const Operator& op);
// True when `reach` covers an object of `block_id` of the operator `op` (e.g. a project).
bool covers_block(const Reach& reach, const Operator& op, std::string_view block_id);

}  // namespace kakehashi::operations
