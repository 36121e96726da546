// Helpers shared by the call store's translation units (private to the module).
#pragma once

#include <string_view>
#include <vector>

#include "call/model.h"
#include "geo/geo.h"

namespace kakehashi::call::store::detail {

std::string_view peer_id(PeerReviews peer);
DecisionState decision_from(std::string_view text);

// `items` in the official block order, north to south (`block_of(item)` names its block);
// items of an unknown block are left out.
template <typename T, typename BlockOf>
std::vector<T> in_block_order(std::vector<T> items, BlockOf block_of) {
  std::vector<T> ordered;
  for (const auto& block : geo::blocks()) {
    for (auto& item : items) {
      if (block_of(item) == block.id) ordered.push_back(std::move(item));
    }
  }
  return ordered;
}

}  // namespace kakehashi::call::store::detail
