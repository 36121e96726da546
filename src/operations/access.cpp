#include "operations/access.h"

#include <algorithm>

#include "auth/organisations.h"
#include "geo/geo.h"

namespace kakehashi::operations {
namespace {

std::set<std::string> blocks_of_bureau(std::string_view bureau) {
  std::set<std::string> out;
  for (const geo::Block& block : geo::blocks()) {
    if (std::ranges::find(block.bureaus, bureau) != block.bureaus.end()) out.emplace(block.id);
  }
  return out;
}

}  // namespace

Result<std::set<std::string>> bureau_blocks(db::Transaction& tx, const auth::Principal& who) {
  if (!who.has(auth::Role::kBureau)) return std::set<std::string>{};
  if (who.organisation_id) {
    auto org = auth::find_organisation(tx, *who.organisation_id);
    if (!org) return fail(org.error());
    if (*org) {
      auto named = blocks_of_bureau((*org)->name);
      if (!named.empty()) return named;
    }
  }
  if (!who.block_id) return std::set<std::string>{};
  const geo::Block* block = geo::find_block(*who.block_id);
  if (!block) return std::set<std::string>{};
  if (block->bureaus.size() == 1) return blocks_of_bureau(block->bureaus.front());
  return std::set<std::string>{*who.block_id};  // 北陸 without a named bureau: that block only
}

Result<Reach> reach(db::Transaction& tx, const auth::Principal& who, auth::Action action) {
  Reach out;
  for (const auth::Grant& grant : auth::policy_table()) {
    if (grant.action != action || !who.has(grant.role)) continue;
    switch (grant.scope) {
      case auth::Scope::kAll:
        out.all = true;
        break;
      case auth::Scope::kOwnOrganisation:
        if (who.organisation_id) out.organisation_id = who.organisation_id;
        break;
      case auth::Scope::kOwnBlock: {
        auto blocks = bureau_blocks(tx, who);
        if (!blocks) return fail(blocks.error());
        out.blocks.insert(blocks->begin(), blocks->end());
        break;
      }
      case auth::Scope::kSelf:
        break;  // no operator is a person's own
    }
  }
  return out;
}

bool covers(const Reach& reach, const Operator& op) {
  if (reach.all) return true;
  if (reach.organisation_id && *reach.organisation_id == op.organisation_id) return true;
  return std::ranges::any_of(op.blocks, [&](const OperatorBlock& b) { return reach.blocks.contains(b.block_id); });
}

bool covers_block(const Reach& reach, const Operator& op, std::string_view block_id) {
  if (reach.all) return true;
  if (reach.organisation_id && *reach.organisation_id == op.organisation_id) return true;
  return reach.blocks.contains(std::string(block_id));
}

}  // namespace kakehashi::operations
