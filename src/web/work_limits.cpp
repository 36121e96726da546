#include "web/work_limits.h"

#include <algorithm>
#include <utility>

namespace kakehashi::web {

std::string_view work_kind_name(WorkKind kind) {
  switch (kind) {
    case WorkKind::kInspection: return "inspection";
    case WorkKind::kPassword: return "password";
  }
  return "unknown";
}

WorkLimitsConfig WorkLimitsConfig::for_cores(unsigned cores) {
  int n = std::max(1, static_cast<int>(cores));
  WorkLimitsConfig config;
  config.inspection = {.overall = n, .per_client = 1, .queue = 0, .max_wait = {}, .retry_after = std::chrono::seconds{30}};
  config.password = {.overall = n,
                     .per_client = 4,
                     .queue = n,
                     .max_wait = std::chrono::seconds{5},
                     .retry_after = std::chrono::seconds{10}};
  return config;
}

WorkLimits::Slot::Slot(Slot&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)), kind_(other.kind_), client_(std::move(other.client_)) {}

WorkLimits::Slot& WorkLimits::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = std::exchange(other.owner_, nullptr);
    kind_ = other.kind_;
    client_ = std::move(other.client_);
  }
  return *this;
}

WorkLimits::Slot::~Slot() { release(); }

void WorkLimits::Slot::release() {
  if (owner_) owner_->release(kind_, client_);
  owner_ = nullptr;
}

WorkLimits::WorkLimits(WorkLimitsConfig config) : config_(std::move(config)) {}

const WorkLimit& WorkLimits::limit(WorkKind kind) const {
  return kind == WorkKind::kInspection ? config_.inspection : config_.password;
}

WorkLimits::Usage WorkLimits::usage(WorkKind kind) const {
  std::lock_guard lock(mutex_);
  const State& s = state(kind);
  return {s.running, s.waiting};
}

WorkLimits::Admission WorkLimits::admit(WorkKind kind, const std::string& client) {
  const WorkLimit& bound = limit(kind);
  std::unique_lock lock(mutex_);
  State& s = state(kind);
  auto found = s.per_client.find(client);
  int mine = found == s.per_client.end() ? 0 : found->second;
  if (mine >= bound.per_client) return {std::nullopt, Refusal::kClient};
  if (s.running >= bound.overall) {
    if (s.waiting >= bound.queue || bound.max_wait.count() <= 0) return {std::nullopt, Refusal::kOverall};
    ++s.waiting;
    ++s.per_client[client];
    bool freed = freed_.wait_for(lock, bound.max_wait, [&] { return s.running < bound.overall; });
    --s.waiting;
    if (!freed) {
      if (--s.per_client[client] == 0) s.per_client.erase(client);
      return {std::nullopt, Refusal::kOverall};
    }
    ++s.running;
    return {Slot(this, kind, client), Refusal::kOverall};
  }
  ++s.running;
  ++s.per_client[client];
  return {Slot(this, kind, client), Refusal::kOverall};
}

void WorkLimits::release(WorkKind kind, const std::string& client) {
  {
    std::lock_guard lock(mutex_);
    State& s = state(kind);
    --s.running;
    auto found = s.per_client.find(client);
    if (found != s.per_client.end() && --found->second == 0) s.per_client.erase(found);
  }
  freed_.notify_all();
}

}  // namespace kakehashi::web
