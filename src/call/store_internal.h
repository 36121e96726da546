// Helpers shared by the call store's translation units.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "call/store.h"

namespace kakehashi::call::detail {

// "概要は 4000 文字以内で入力してください（現在 4012 文字）", or empty when within the limit.
std::string text_limit_problem(std::string_view label, const std::string& value, std::size_t limit);
std::string_view peer_id(PeerReviews peer);
DecisionState decision_from(std::string_view text);

}  // namespace kakehashi::call::detail
