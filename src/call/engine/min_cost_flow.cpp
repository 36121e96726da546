#include "call/engine/min_cost_flow.h"

#include <functional>
#include <limits>
#include <queue>
#include <utility>

namespace kakehashi::call::engine {

MinCostFlow::MinCostFlow(int nodes) : out_(nodes) {}

int MinCostFlow::add_arc(int from, int to, std::int64_t capacity, std::int64_t cost) {
  int id = static_cast<int>(arcs_.size());
  arcs_.push_back(Arc{to, capacity, cost});
  arcs_.push_back(Arc{from, 0, -cost});
  out_[from].push_back(id);
  out_[to].push_back(id + 1);
  return id / 2;
}

MinCostFlow::Outcome MinCostFlow::solve(int source, int sink, std::int64_t limit) {
  constexpr std::int64_t kUnreached = std::numeric_limits<std::int64_t>::max();
  const size_t n = out_.size();
  // Potentials keep reduced costs non-negative; all costs start >= 0, so zero is valid.
  std::vector<std::int64_t> potential(n, 0);
  std::vector<std::int64_t> distance(n);
  std::vector<int> via(n);
  Outcome outcome;
  using Entry = std::pair<std::int64_t, int>;
  while (outcome.flow < limit) {
    std::fill(distance.begin(), distance.end(), kUnreached);
    std::fill(via.begin(), via.end(), -1);
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
    distance[source] = 0;
    queue.emplace(0, source);
    while (!queue.empty()) {
      auto [d, u] = queue.top();
      queue.pop();
      if (d > distance[u]) continue;
      for (int id : out_[u]) {
        const Arc& arc = arcs_[id];
        if (arc.capacity == 0) continue;
        std::int64_t next = d + arc.cost + potential[u] - potential[arc.to];
        if (next < distance[arc.to]) {
          distance[arc.to] = next;
          via[arc.to] = id;
          queue.emplace(next, arc.to);
        }
      }
    }
    if (distance[sink] == kUnreached) break;
    for (size_t v = 0; v < n; ++v) {
      if (distance[v] != kUnreached) potential[v] += distance[v];
    }
    // Push the bottleneck along the path found.
    std::int64_t push = limit - outcome.flow;
    for (int v = sink; v != source; v = arcs_[via[v] ^ 1].to)
      push = std::min(push, arcs_[via[v]].capacity);
    for (int v = sink; v != source; v = arcs_[via[v] ^ 1].to) {
      arcs_[via[v]].capacity -= push;
      arcs_[via[v] ^ 1].capacity += push;
      outcome.cost += push * arcs_[via[v]].cost;
    }
    outcome.flow += push;
  }
  return outcome;
}

std::int64_t MinCostFlow::flow(int arc) const { return arcs_[2 * arc + 1].capacity; }

std::vector<bool> MinCostFlow::reachable_from(int source) const {
  std::vector<bool> seen(out_.size(), false);
  std::vector<int> stack{source};
  seen[source] = true;
  while (!stack.empty()) {
    int u = stack.back();
    stack.pop_back();
    for (int id : out_[u]) {
      if (arcs_[id].capacity > 0 && !seen[arcs_[id].to]) {
        seen[arcs_[id].to] = true;
        stack.push_back(arcs_[id].to);
      }
    }
  }
  return seen;
}

}  // namespace kakehashi::call::engine
