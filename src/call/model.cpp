#include "call/model.h"

#include <algorithm>

namespace kakehashi::call {

std::optional<std::string_view> topic_label(std::string_view id) {
  for (const Topic& topic : kTopics) {
    if (topic.id == id) return topic.label;
  }
  return std::nullopt;
}

Phase Call::phase(Instant now) const {
  if (!published) return Phase::kDraft;
  if (now < opens_at) return Phase::kUpcoming;
  if (now < closes_at) return Phase::kOpen;
  return Phase::kClosed;
}

std::string_view phase_label(Phase phase) {
  switch (phase) {
    case Phase::kDraft: return "準備中（非公開）";
    case Phase::kUpcoming: return "公開済み・受付開始前";
    case Phase::kOpen: return "受付中";
    case Phase::kClosed: return "受付終了";
  }
  return "";
}

std::string_view decision_label(DecisionState state) {
  switch (state) {
    case DecisionState::kNone: return "未決定";
    case DecisionState::kRecorded: return "委員会決定を記録済み（承認待ち）";
    case DecisionState::kApproved: return "経済産業省が承認済み（公表前）";
    case DecisionState::kPublished: return "結果公表済み";
    case DecisionState::kReturned: return "経済産業省が差し戻し（再記録待ち）";
  }
  return "";
}

double max_total(const std::vector<Criterion>& criteria) {
  double total = 0;
  for (const auto& c : criteria) total += double(c.weight) * c.levels();
  return total;
}

std::optional<std::string_view> publicity_channel_label(std::string_view id) {
  for (const auto& channel : kPublicityChannels) {
    if (channel.id == id) return channel.label;
  }
  return std::nullopt;
}

std::int64_t Application::requested_total() const {
  std::int64_t total = 0;
  for (const auto& b : blocks) total += b.requested;
  return total;
}

bool Application::applies_to(std::string_view block) const { return requested_for(block).has_value(); }

std::optional<std::int64_t> Application::requested_for(std::string_view block) const {
  auto it = std::find_if(blocks.begin(), blocks.end(), [&](const BlockRequest& b) { return b.block == block; });
  if (it == blocks.end()) return std::nullopt;
  return it->requested;
}

double Review::total(const std::vector<Criterion>& criteria) const {
  double sum = 0;
  for (const auto& c : criteria) {
    auto it = scores.find(c.id);
    if (it != scores.end()) sum += double(c.weight) * it->second.level;
  }
  return sum;
}

std::vector<std::string> messages(const std::vector<FieldProblem>& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) out.push_back(p.message);
  return out;
}

}  // namespace kakehashi::call
