// A min-cost flow network solved by successive shortest paths (Dijkstra with potentials).
// Exact for integer capacities and non-negative integer arc costs.
#pragma once

#include <cstdint>
#include <vector>

namespace kakehashi::call::engine {

class MinCostFlow {
 public:
  explicit MinCostFlow(int nodes);

  // Adds an arc u -> v; returns its id for flow(). Costs must be >= 0.
  int add_arc(int from, int to, std::int64_t capacity, std::int64_t cost);

  struct Outcome {
    std::int64_t flow = 0;
    std::int64_t cost = 0;
  };
  // Sends as much flow as possible (at most `limit`) from source to sink at minimum cost.
  // Each augmentation follows a cheapest path, so the result is a min-cost flow of its value.
  // Call once per network.
  Outcome solve(int source, int sink, std::int64_t limit);

  std::int64_t flow(int arc) const;
  // Nodes reachable from `source` in the residual network after solve(): the source side of a
  // minimum cut when the flow is maximal.
  std::vector<bool> reachable_from(int source) const;

 private:
  struct Arc {
    int to;
    std::int64_t capacity;
    std::int64_t cost;
  };
  std::vector<Arc> arcs_;  // arc 2k and its reverse 2k+1
  std::vector<std::vector<int>> out_;
};

}  // namespace kakehashi::call::engine
