// The scheduler against an exhaustive search on small random problems: the best total weight,
// and among those the fewest idle slots, found by trying every assignment.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>

#include "events/match/instance.h"
#include "events/match/optimizer.h"
#include "events/match/schedule.h"
#include "support/result.h"
#include "unit/events/match/fixtures.h"

namespace kakehashi::events::match {
namespace {

using testing::ask;
using testing::grid;
using testing::person;
using testing::violations;

// Tries every slot (or none) for every pair, keeping locked pairs where they are.
class Exhaustive {
 public:
  explicit Exhaustive(const Instance& in)
      : in_(in), slot_of_(in.edges.size(), -1), degree_(in.available.size(), 0),
        busy_(in.available.size(), 0), count_(in.slot_count, 0), locked_(in.edges.size(), -1) {
    for (const Instance::Lock& lock : in.locks) {
      locked_[lock.edge] = lock.slot;
      place(lock.edge, lock.slot);
    }
    for (size_t e = 0; e < in.edges.size(); ++e) {
      if (locked_[e] < 0) free_weight_ += in.edges[e].weight;
    }
    search(0);
  }
  int64_t best_weight() const { return best_weight_; }
  int64_t best_idle() const { return best_idle_; }

 private:
  void place(size_t e, int s) {
    const Edge& edge = in_.edges[e];
    slot_of_[e] = s;
    ++degree_[edge.u];
    ++degree_[edge.v];
    busy_[edge.u] |= uint64_t{1} << s;
    busy_[edge.v] |= uint64_t{1} << s;
    ++count_[s];
    weight_ += edge.weight;
  }
  void unplace(size_t e) {
    const Edge& edge = in_.edges[e];
    int s = slot_of_[e];
    slot_of_[e] = -1;
    --degree_[edge.u];
    --degree_[edge.v];
    busy_[edge.u] &= ~(uint64_t{1} << s);
    busy_[edge.v] &= ~(uint64_t{1} << s);
    --count_[s];
    weight_ -= edge.weight;
  }
  int64_t idle() const {
    int64_t total = 0;
    for (size_t p = 0; p < busy_.size(); ++p) {
      for (int s = 0; s < in_.slot_count; ++s) {
        uint64_t before = busy_[p] & ((uint64_t{1} << s) - 1);
        uint64_t after = busy_[p] >> (s + 1);
        if (before && after && !(busy_[p] >> s & 1) && (in_.available[p] >> s & 1)) ++total;
      }
    }
    return total;
  }
  void search(size_t e) {
    if (e == in_.edges.size()) {
      int64_t idle_now = idle();
      if (weight_ > best_weight_ || (weight_ == best_weight_ && idle_now < best_idle_)) {
        best_weight_ = weight_;
        best_idle_ = idle_now;
      }
      return;
    }
    if (locked_[e] >= 0) return search(e + 1);
    free_weight_ -= in_.edges[e].weight;
    if (weight_ + in_.edges[e].weight + free_weight_ >= best_weight_) {
      const Edge& edge = in_.edges[e];
      for (int s = 0; s < in_.slot_count; ++s) {
        if (!(edge.common >> s & 1) || (busy_[edge.u] | busy_[edge.v]) >> s & 1) continue;
        if (degree_[edge.u] >= in_.max_meetings[edge.u] ||
            degree_[edge.v] >= in_.max_meetings[edge.v] || count_[s] >= in_.tables) {
          continue;
        }
        place(e, s);
        search(e + 1);
        unplace(e);
      }
    }
    if (weight_ + free_weight_ >= best_weight_) search(e + 1);
    free_weight_ += in_.edges[e].weight;
  }

  const Instance& in_;
  std::vector<int> slot_of_;
  std::vector<int> degree_;
  std::vector<uint64_t> busy_;
  std::vector<int> count_;
  std::vector<int> locked_;
  int64_t weight_ = 0;
  int64_t free_weight_ = 0;
  int64_t best_weight_ = -1;
  int64_t best_idle_ = 0;
};

struct Lcg {
  uint64_t state;
  int below(int n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>((state >> 33) % static_cast<uint64_t>(n));
  }
};

// Dense small problems where slots, people and tables all bind: 4-7 people, 2-4 slots,
// 1-3 tables, up to 9 pairs, sometimes mutual, sometimes declined, sometimes a lock.
Problem small_problem(uint64_t seed) {
  Lcg rng{seed * 0x9E3779B97F4A7C15ULL + 1};
  int people = 4 + rng.below(4);
  int slots = 2 + rng.below(3);
  Problem p = grid(slots, 1 + rng.below(3));
  for (int i = 0; i < people; ++i) {
    std::vector<std::string> available;
    for (int s = 1; s <= slots; ++s) {
      if (rng.below(5) != 0) available.push_back("s" + std::to_string(s));
    }
    if (available.empty()) available.push_back("s" + std::to_string(1 + rng.below(slots)));
    std::optional<int> max;
    if (rng.below(2) == 0) max = rng.below(slots + 1);
    person(p, "p" + std::to_string(i), available, max);
  }
  int wanted = 4 + rng.below(6);
  for (int tries = 0; tries < 40 && static_cast<int>(p.requests.size()) < wanted; ++tries) {
    std::string a = "p" + std::to_string(rng.below(people));
    std::string b = "p" + std::to_string(rng.below(people));
    bool exists = std::ranges::any_of(p.requests, [&](const Request& r) {
      return (r.from == a && r.to == b) || (r.from == b && r.to == a);
    });
    if (a == b || exists) continue;
    ask(p, a, b, 1 + rng.below(3), rng.below(6) != 0);
    if (rng.below(4) == 0) ask(p, b, a, 1 + rng.below(3), true);
  }
  if (rng.below(3) == 0 && !p.requests.empty()) {
    const Request& r = p.requests[rng.below(static_cast<int>(p.requests.size()))];
    p.locked.push_back({r.from, r.to, "s" + std::to_string(1 + rng.below(slots))});
    if (!build_instance(p)) p.locked.clear();  // that lock would break a rule: leave it out
  }
  return p;
}

TEST(MatchExhaustive, ReachesTheOptimumOnSmallProblems) {
  constexpr int kProblems = 500;
  int optimal_idle = 0;
  for (uint64_t seed = 1; seed <= kProblems; ++seed) {
    Problem p = small_problem(seed);
    auto in = build_instance(p);
    ASSERT_OK(in);
    Exhaustive best(*in);
    auto schedule = schedule_meetings(p);
    ASSERT_OK(schedule);
    ASSERT_EQ(violations(p, *schedule), "") << "seed " << seed;
    ASSERT_EQ(schedule->total_weight, best.best_weight()) << "seed " << seed;
    ASSERT_GE(schedule->idle_slots, best.best_idle()) << "seed " << seed;
    if (schedule->idle_slots == best.best_idle()) ++optimal_idle;
  }
  // The idle-slot tie-break is a heuristic (docs/matchmaking.md); it finds the fewest idle
  // slots on nearly every small problem.
  EXPECT_GE(optimal_idle, kProblems * 98 / 100);
}

}  // namespace
}  // namespace kakehashi::events::match
