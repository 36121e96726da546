#include "events/match/optimizer.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <numeric>

namespace kakehashi::events::match {

namespace {

// Bounds of the search, named where they are set.
constexpr int kMaxKempeChain = 4096;        // longest two-slot chain followed
constexpr int kMaxLocalSearchPasses = 50;   // passes over all unscheduled edges per descent
constexpr int kMaxPolishPasses = 20;        // idle-slot polishing passes at the end

// Steps of the iterated search: a step costs about the same whatever the size, so the number of
// steps falls with the number of pairs to keep the time near 0.3 s on one core (2,000 requests,
// 12 slots), with more steps where they are cheap, but no more than 200 per pair (tiny events
// need few).
constexpr int64_t kStepBudget = 8'000'000;  // divided by the number of pairs
constexpr int64_t kMaxStepsPerPair = 200;
constexpr int64_t kMinIterations = 500;
constexpr int64_t kMaxIterations = 30'000;
constexpr int kMaxExtraRuin = 4;            // meetings removed besides the first, at most
constexpr int kMaxChainRepairs = 6;         // ejection/Kempe insertions tried per step
constexpr int kWeightPhasePercent = 70;     // share of the steps that ignore idle slots
constexpr double kStartTemperature = 2.0;   // weight units; see perturb()
constexpr int kWorseAcceptOdds = 20;        // 1 in 20 worse steps is kept (best is restored)

// How many levels deep a chain of ejections goes: shallow in the first descent and in the many
// small repairs of the iterated search, deeper in the last descent, which has a budget of slot
// trials (a partial pass, heaviest first, on 2,000 requests).
constexpr int kRepairEjectionDepth = 1;
constexpr int kFinalEjectionDepth = 2;
constexpr int64_t kFirstDescentTrials = 2'000'000;
constexpr int64_t kFinalDescentTrials = 60'000;
constexpr size_t kMovableSlack = 64;        // stale sample entries tolerated before a rebuild

// SplitMix64: small, fast and identical on every platform (std distributions are not).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<uint64_t>(n)); }
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // in [0, 1)

 private:
  uint64_t state_;
};

uint64_t bit(int s) { return uint64_t{1} << s; }

// Idle slots of one participant with meetings `busy` and availability `available`.
int idle_of(uint64_t busy, uint64_t available) {
  if (busy == 0) return 0;
  int first = std::countr_zero(busy);
  int last = 63 - std::countl_zero(busy);
  uint64_t span = (last == 63 ? ~uint64_t{0} : (bit(last + 1) - 1)) & ~(bit(first) - 1);
  return std::popcount(available & span & ~busy);
}

class Search {
 public:
  Search(const Instance& in, uint64_t seed)
      : in_(in),
        slots_(in.slot_count),
        slot_of_(in.edges.size(), -1),
        busy_(in.available.size(), 0),
        at_(in.available.size() * in.slot_count, -1),
        degree_(in.available.size(), 0),
        in_slot_(in.slot_count),
        position_(in.edges.size(), -1),
        locked_(in.edges.size(), 0),
        seen_(in.edges.size(), 0),
        rng_(seed) {
    order_.resize(in.edges.size());
    std::iota(order_.begin(), order_.end(), 0);
    std::ranges::stable_sort(order_, [&](int a, int b) {
      const Edge& x = in.edges[a];
      const Edge& y = in.edges[b];
      if (x.weight != y.weight) return x.weight > y.weight;
      return std::popcount(x.common) < std::popcount(y.common);
    });
  }

  void place_locks() {
    for (const Instance::Lock& lock : in_.locks) {
      raw_add(lock.edge, lock.slot);
      locked_[lock.edge] = 1;
    }
    journal_.clear();
  }

  // Inserts unscheduled edges directly, by ejection chains or by Kempe chains until no pass
  // improves the score.
  // Chains `depth` levels deep; stops early once `trial_budget` slot trials have been spent
  // (counted, not timed, so that the result does not depend on the machine).
  void descend(int depth, int64_t trial_budget) {
    const int64_t stop_at = trials_ + trial_budget;
    for (int pass = 0; pass < kMaxLocalSearchPasses && trials_ < stop_at; ++pass) {
      bool improved = false;
      for (int e : order_) {
        if (trials_ >= stop_at) break;
        if (slot_of_[e] >= 0) continue;
        if (insert_somehow(e, depth)) improved = true;
      }
      journal_.clear();
      if (!improved) break;
    }
  }

  // Iterated local search: remove a few meetings around a random one, repair, and decide.
  // With `weight_only`, anneal on the weight (idle slots ignored); otherwise keep the result
  // unless the score got worse, and a worse one now and then to leave a plateau. The best
  // assignment seen (by score) is restored at the end.
  void perturb(int iterations, bool weight_only) {
    Score best = score();
    std::vector<int> best_slot_of = slot_of_;
    std::vector<int> removed;
    std::vector<int> candidates;
    std::vector<char> is_candidate(in_.edges.size(), 0);
    for (int it = 0; it < iterations; ++it) {
      if (scheduled_movable_.empty() ||
          scheduled_movable_.size() > 4 * in_.edges.size() + kMovableSlack) {
        rebuild_movable();
      }
      if (scheduled_movable_.empty()) break;
      Score before = score();
      journal_.clear();
      removed.clear();

      int first = scheduled_movable_[rng_.below(static_cast<int>(scheduled_movable_.size()))];
      if (slot_of_[first] < 0 || locked_[first]) {
        rebuild_movable();
        continue;
      }
      remove(first);
      removed.push_back(first);
      // Walk on from one of the two: a meeting of the person reached, one in the slot just
      // freed, or any meeting.
      int extra = rng_.below(kMaxExtraRuin + 1);
      int walker = rng_.below(2) == 0 ? in_.edges[first].u : in_.edges[first].v;
      int last = first;
      for (int k = 0; k < extra; ++k) {
        int f = -1;
        int pick = rng_.below(4);
        if (pick < 2) {
          const auto& list = in_.incident[walker];
          f = list[rng_.below(static_cast<int>(list.size()))];
        } else if (pick == 2) {
          int slot = journal_slot(last);
          if (slot >= 0 && !in_slot_[slot].empty()) {
            const auto& list = in_slot_[slot];
            f = list[rng_.below(static_cast<int>(list.size()))];
          }
        } else {
          f = scheduled_movable_[rng_.below(static_cast<int>(scheduled_movable_.size()))];
        }
        if (f >= 0 && slot_of_[f] >= 0 && !locked_[f]) {
          remove(f);
          removed.push_back(f);
          walker = in_.edges[f].u == walker ? in_.edges[f].v : in_.edges[f].u;
          last = f;
        }
      }

      // Repair: the edges around the freed people, best first with random ties, then the
      // whole list for freed tables.
      candidates.clear();
      for (int r : removed) {
        for (int person : {in_.edges[r].u, in_.edges[r].v}) {
          for (int f : in_.incident[person]) {
            if (slot_of_[f] < 0 && !is_candidate[f]) {
              is_candidate[f] = 1;
              candidates.push_back(f);
            }
          }
        }
      }
      for (size_t i = candidates.size(); i > 1; --i) {
        std::swap(candidates[i - 1], candidates[rng_.below(static_cast<int>(i))]);
      }
      std::ranges::stable_sort(candidates, [&](int a, int b) {
        return in_.edges[a].weight > in_.edges[b].weight;
      });
      for (int f : candidates) {
        is_candidate[f] = 0;
        if (slot_of_[f] >= 0) continue;
        if (f == first) continue;  // it comes back only by a chain or in a later step
        const uint64_t forbid = 0;
        int s = rng_.below(2) == 0 ? best_free_slot(f, true, forbid)
                                   : random_free_slot(f, forbid);
        if (s >= 0) add(f, s);
      }
      int repairs = 0;
      for (int f : candidates) {
        if (slot_of_[f] >= 0) continue;
        if (++repairs > kMaxChainRepairs) break;
        insert_somehow(f, kRepairEjectionDepth);
      }
      for (int e : order_) {
        if (slot_of_[e] < 0 && e != first) {
          int s = best_free_slot(e, true);
          if (s >= 0) add(e, s);
        }
      }
      Score after = score();
      bool keep;
      if (weight_only) {
        // Annealing on the weight: a loss of d is kept with probability exp(-d / t), t falling
        // linearly from kStartTemperature to nearly 0 over the phase.
        int64_t loss = before.weight - after.weight;
        double t = kStartTemperature * (1.0 - static_cast<double>(it) / iterations) + 1e-3;
        keep = loss <= 0 || rng_.unit() < std::exp(-static_cast<double>(loss) / t);
      } else {
        keep = !before.better_than(after) || rng_.below(kWorseAcceptOdds) == 0;
      }
      if (!keep) rollback(0);
      journal_.clear();
      if (score().better_than(best)) {
        best = score();
        best_slot_of = slot_of_;
      }
    }
    if (best.better_than(score())) restore(best_slot_of);
  }

  // Replaces the current assignment by `target` (locks stay where they are in both).
  void restore(const std::vector<int>& target) {
    for (size_t e = 0; e < slot_of_.size(); ++e) {
      if (slot_of_[e] >= 0 && !locked_[e]) raw_remove(static_cast<int>(e));
    }
    for (size_t e = 0; e < slot_of_.size(); ++e) {
      if (target[e] >= 0 && !locked_[e]) raw_add(static_cast<int>(e), target[e]);
    }
    journal_.clear();
    rebuild_movable();
  }

  // Moves single meetings to other free slots while that lowers the idle slots.
  void polish() {
    for (int pass = 0; pass < kMaxPolishPasses; ++pass) {
      bool improved = false;
      for (int e : order_) {
        if (slot_of_[e] < 0 || locked_[e]) continue;
        int from = slot_of_[e];
        Score before = score();
        remove(e);
        int s = best_free_slot(e, true);
        add(e, s);  // s is never -1: the old slot is free again
        if (score().better_than(before)) {
          improved = true;
        } else if (s != from) {
          rollback(0);
        }
        journal_.clear();
      }
      // Move a whole two-slot chain to close a gap in someone's day.
      for (int person = 0; person < static_cast<int>(busy_.size()); ++person) {
        if (idle(person) == 0) continue;
        uint64_t open = in_.available[person] & ~busy_[person];
        for (uint64_t r1 = busy_[person]; r1; r1 &= r1 - 1) {
          int s1 = std::countr_zero(r1);
          for (uint64_t r2 = open; r2; r2 &= r2 - 1) {
            int s2 = std::countr_zero(r2);
            if (!(busy_[person] & bit(s1)) || (busy_[person] & bit(s2))) continue;
            Score before = score();
            if (!swap_chain(person, s1, s2, -1)) continue;
            if (score().better_than(before)) {
              improved = true;
            } else {
              rollback(0);
            }
            journal_.clear();
          }
        }
      }
      if (!improved) break;
    }
  }

  // Greedy by weight: each edge that still fits goes into its free slot that adds the fewest
  // idle slots. Builds the first schedule, and at the end makes the result maximal.
  void fill() {
    for (int e : order_) {
      if (slot_of_[e] >= 0) continue;
      int s = best_free_slot(e, true);
      if (s >= 0) add(e, s);
    }
    journal_.clear();
  }

  Score score() const { return {weight_, idle_}; }
  const std::vector<int>& slot_of() const { return slot_of_; }

 private:
  struct Op {
    int edge;
    int slot;
    bool added;
  };

  int other(int e, int person) const {
    const Edge& edge = in_.edges[e];
    return edge.u == person ? edge.v : edge.u;
  }
  int at(int person, int s) const { return at_[static_cast<size_t>(person) * slots_ + s]; }
  int& at(int person, int s) { return at_[static_cast<size_t>(person) * slots_ + s]; }

  int idle(int person) const { return idle_of(busy_[person], in_.available[person]); }

  void raw_add(int e, int s) {
    assert(slot_of_[e] < 0);
    const Edge& edge = in_.edges[e];
    idle_ -= idle(edge.u) + idle(edge.v);
    busy_[edge.u] |= bit(s);
    busy_[edge.v] |= bit(s);
    at(edge.u, s) = e;
    at(edge.v, s) = e;
    ++degree_[edge.u];
    ++degree_[edge.v];
    slot_of_[e] = s;
    position_[e] = static_cast<int>(in_slot_[s].size());
    in_slot_[s].push_back(e);
    if (static_cast<int>(in_slot_[s].size()) >= in_.tables) full_ |= bit(s);
    weight_ += edge.weight;
    idle_ += idle(edge.u) + idle(edge.v);
    scheduled_movable_.push_back(e);
  }

  void raw_remove(int e) {
    const Edge& edge = in_.edges[e];
    int s = slot_of_[e];
    idle_ -= idle(edge.u) + idle(edge.v);
    busy_[edge.u] &= ~bit(s);
    busy_[edge.v] &= ~bit(s);
    at(edge.u, s) = -1;
    at(edge.v, s) = -1;
    --degree_[edge.u];
    --degree_[edge.v];
    auto& list = in_slot_[s];
    int last = list.back();
    list[position_[e]] = last;
    position_[last] = position_[e];
    list.pop_back();
    position_[e] = -1;
    full_ &= ~bit(s);
    slot_of_[e] = -1;
    weight_ -= edge.weight;
    idle_ += idle(edge.u) + idle(edge.v);
  }

  void add(int e, int s) {
    raw_add(e, s);
    journal_.push_back({e, s, true});
  }
  void remove(int e) {
    journal_.push_back({e, slot_of_[e], false});
    raw_remove(e);
  }
  void rollback(size_t mark) {
    while (journal_.size() > mark) {
      Op op = journal_.back();
      journal_.pop_back();
      if (op.added) {
        raw_remove(op.edge);
      } else {
        raw_add(op.edge, op.slot);
      }
    }
  }

  // The slot the edge was last removed from in the current journal, or -1.
  int journal_slot(int e) const {
    for (auto it = journal_.rbegin(); it != journal_.rend(); ++it) {
      if (it->edge == e && !it->added) return it->slot;
    }
    return -1;
  }

  // The list of scheduled edges the perturbation samples from; entries go stale as edges move
  // and are checked when drawn, and the list is rebuilt when it has grown too long.
  void rebuild_movable() {
    scheduled_movable_.clear();
    for (size_t e = 0; e < slot_of_.size(); ++e) {
      if (slot_of_[e] >= 0 && !locked_[e]) scheduled_movable_.push_back(static_cast<int>(e));
    }
  }

  // Slots where the unscheduled edge e fits as things stand (ignoring its degree limits when
  // `check_degree` is false, for an edge being moved rather than added).
  uint64_t free_slots(int e, bool check_degree) const {
    const Edge& edge = in_.edges[e];
    if (check_degree && (degree_[edge.u] >= in_.max_meetings[edge.u] ||
                         degree_[edge.v] >= in_.max_meetings[edge.v])) {
      return 0;
    }
    return edge.common & ~busy_[edge.u] & ~busy_[edge.v] & ~full_;
  }

  // A free slot drawn at random, or -1.
  int random_free_slot(int e, uint64_t forbid) {
    uint64_t slots = free_slots(e, true) & ~forbid;
    if (slots == 0) return -1;
    int pick = rng_.below(std::popcount(slots));
    for (; pick > 0; --pick) slots &= slots - 1;
    return std::countr_zero(slots);
  }

  // The free slot adding the fewest idle slots (earliest on ties), or -1.
  int best_free_slot(int e, bool check_degree, uint64_t forbid = 0) const {
    uint64_t slots = free_slots(e, check_degree) & ~forbid;
    if (slots == 0) return -1;
    if (std::has_single_bit(slots)) return std::countr_zero(slots);
    const Edge& edge = in_.edges[e];
    int best = -1;
    int best_idle = 0;
    int base = idle(edge.u) + idle(edge.v);
    for (uint64_t rest = slots; rest; rest &= rest - 1) {
      int s = std::countr_zero(rest);
      int with = idle_of(busy_[edge.u] | bit(s), in_.available[edge.u]) +
                 idle_of(busy_[edge.v] | bit(s), in_.available[edge.v]) - base;
      if (best < 0 || with < best_idle) {
        best = s;
        best_idle = with;
      }
    }
    return best;
  }

  bool insert_somehow(int e, int depth) {
    int s = best_free_slot(e, true);
    if (s >= 0) {
      add(e, s);
      return true;
    }
    return place_best_by_ejection(e, depth) || insert_by_kempe_chain(e);
  }

  // Places e in slot s by removing what is in the way: the two people's meetings in s, their
  // cheapest meeting when at max_meetings, and one meeting of s when s is full (moved to another
  // slot when it fits elsewhere). Removed meetings are put back in a free slot when one exists.
  // Applies the changes and returns false when a locked meeting is in the way.
  bool eject_and_place(int e, int s, int depth) {
    const Edge& edge = in_.edges[e];
    // Scratch lists per chain level, reused to keep allocation out of the inner loop.
    std::vector<int>& ejected = ejected_[depth];
    std::vector<int>& refill = refill_[depth];
    ejected.clear();
    for (int person : {edge.u, edge.v}) {
      int f = at(person, s);
      if (f < 0) continue;
      if (locked_[f]) return false;
      remove(f);
      ejected.push_back(f);
    }
    for (int person : {edge.u, edge.v}) {
      if (degree_[person] < in_.max_meetings[person]) continue;
      int cheapest = -1;
      for (int f : in_.incident[person]) {
        if (slot_of_[f] < 0 || locked_[f]) continue;
        if (cheapest < 0 || in_.edges[f].weight < in_.edges[cheapest].weight) cheapest = f;
      }
      if (cheapest < 0) return false;
      remove(cheapest);
      ejected.push_back(cheapest);
    }
    if (static_cast<int>(in_slot_[s].size()) >= in_.tables) {
      int cheapest = -1;
      bool moved = false;
      for (int f : in_slot_[s]) {
        if (locked_[f]) continue;
        int t = best_free_slot(f, false, bit(s));
        if (t >= 0) {
          remove(f);
          add(f, t);
          moved = true;
          break;
        }
        if (cheapest < 0 || in_.edges[f].weight < in_.edges[cheapest].weight) cheapest = f;
      }
      if (!moved) {
        if (cheapest < 0) return false;
        remove(cheapest);
        ejected.push_back(cheapest);
      }
    }
    add(e, s);
    // Put back the ejected meetings, or other wishes of the people they freed, best first.
    refill.assign(ejected.begin(), ejected.end());
    ++stamp_;
    for (int f : ejected) seen_[f] = stamp_;
    for (int f : ejected) {
      for (int person : {in_.edges[f].u, in_.edges[f].v}) {
        for (int g : in_.incident[person]) {
          if (slot_of_[g] >= 0 || seen_[g] == stamp_ || free_slots(g, true) == 0) continue;
          seen_[g] = stamp_;
          refill.push_back(g);
        }
      }
    }
    std::ranges::sort(refill, [&](int a, int b) {
      int wa = in_.edges[a].weight;
      int wb = in_.edges[b].weight;
      return wa != wb ? wa > wb : a < b;
    });
    for (int f : refill) {
      if (slot_of_[f] >= 0) continue;  // a deeper chain already placed it
      int t = best_free_slot(f, true);
      if (t >= 0) {
        add(f, t);
      } else if (depth > 1 && std::ranges::find(ejected, f) != ejected.end()) {
        place_best_by_ejection(f, depth - 1);
      }
    }
    return true;
  }

  // Places e where ejecting (depth levels deep) gives the best score, if that adds weight
  // (idle slots only choose between such slots: they are the iterated search's business);
  // leaves the changes applied.
  bool place_best_by_ejection(int e, int depth) {
    const int64_t base_weight = weight_;
    Score best = score();
    int best_slot = -1;
    for (uint64_t rest = in_.edges[e].common; rest; rest &= rest - 1) {
      int s = std::countr_zero(rest);
      size_t mark = journal_.size();
      ++trials_;
      if (eject_and_place(e, s, depth) && weight_ > base_weight && score().better_than(best)) {
        best = score();
        best_slot = s;
      }
      rollback(mark);
    }
    if (best_slot < 0) return false;
    eject_and_place(e, best_slot, depth);  // replays the same steps: every choice is deterministic
    return true;
  }


  // Frees v in slot s1 (where u is free) by swapping slots s1 and s2 along the chain of
  // meetings that alternates between them starting from v, then places e in s1. The chain must
  // not reach u, every moved meeting must be available in its new slot and unlocked, and the
  // tables of both slots must suffice.
  bool kempe_from(int e, int start, int target, int s1, int s2) {
    size_t mark = journal_.size();
    if (!swap_chain(start, s1, s2, target)) return false;
    if (free_slots(e, true) & bit(s1)) {
      add(e, s1);
      return true;
    }
    rollback(mark);
    return false;
  }

  // Swaps slots s1 and s2 along the chain of meetings that starts with `start`'s meeting in s1
  // (`start` must be free in s2) and alternates between the two slots. Refuses (changing
  // nothing) when the chain reaches `avoid`, holds a locked meeting, moves a meeting into a slot
  // one of its pair is unavailable in, or overfills a slot's tables.
  bool swap_chain(int start, int s1, int s2, int avoid) {
    chain_.clear();
    int person = start;
    int here = s1;
    int there = s2;
    while (static_cast<int>(chain_.size()) < kMaxKempeChain) {
      int f = at(person, here);
      if (f < 0) break;
      if (locked_[f] || !(in_.edges[f].common & bit(there))) return false;
      chain_.push_back(f);
      person = other(f, person);
      if (person == avoid) return false;
      std::swap(here, there);
    }
    if (static_cast<int>(chain_.size()) >= kMaxKempeChain) return false;
    size_t mark = journal_.size();
    for (int f : chain_) remove(f);
    for (size_t i = 0; i < chain_.size(); ++i) {
      int s = i % 2 == 0 ? s2 : s1;
      if (static_cast<int>(in_slot_[s].size()) >= in_.tables) {
        rollback(mark);
        return false;
      }
      add(chain_[i], s);
    }
    return true;
  }

  bool insert_by_kempe_chain(int e) {
    const Edge& edge = in_.edges[e];
    if (degree_[edge.u] >= in_.max_meetings[edge.u] ||
        degree_[edge.v] >= in_.max_meetings[edge.v]) {
      return false;
    }
    uint64_t u_free = edge.common & ~busy_[edge.u];
    uint64_t v_free = edge.common & ~busy_[edge.v];
    for (int side = 0; side < 2; ++side) {
      int a = side == 0 ? edge.u : edge.v;  // free in s1
      int b = side == 0 ? edge.v : edge.u;  // busy in s1, free in s2
      uint64_t a_free = side == 0 ? u_free : v_free;
      uint64_t b_free = side == 0 ? v_free : u_free;
      for (uint64_t r1 = a_free & ~b_free; r1; r1 &= r1 - 1) {
        int s1 = std::countr_zero(r1);
        for (uint64_t r2 = b_free & ~bit(s1); r2; r2 &= r2 - 1) {
          int s2 = std::countr_zero(r2);
          if (kempe_from(e, b, a, s1, s2)) return true;
        }
      }
    }
    return false;
  }

  const Instance& in_;
  int slots_;
  std::vector<int> slot_of_;
  std::vector<uint64_t> busy_;
  std::vector<int> at_;
  std::vector<int> degree_;
  std::vector<std::vector<int>> in_slot_;
  std::vector<int> position_;
  std::vector<char> locked_;
  uint64_t full_ = 0;
  int64_t weight_ = 0;
  int64_t idle_ = 0;
  std::vector<Op> journal_;
  std::vector<int> order_;
  std::vector<int> chain_;
  std::vector<int> scheduled_movable_;
  std::vector<int> ejected_[kFinalEjectionDepth + 1];
  std::vector<int> refill_[kFinalEjectionDepth + 1];
  std::vector<uint32_t> seen_;  // per edge: the stamp of the refill list that holds it
  uint32_t stamp_ = 0;
  int64_t trials_ = 0;  // ejection trials so far (the descents' work budget)
  Rng rng_;
};

}  // namespace

std::vector<int> optimize(const Instance& instance, const OptimizerOptions& options) {
  Search search(instance, options.seed);
  search.place_locks();
  search.fill();
  search.descend(kRepairEjectionDepth, kFirstDescentTrials);
  int iterations = options.iterations;
  if (iterations < 0) {
    const int64_t pairs = std::max<int64_t>(1, static_cast<int64_t>(instance.edges.size()));
    iterations = static_cast<int>(std::clamp<int64_t>(
        std::min(kStepBudget / pairs, kMaxStepsPerPair * pairs), kMinIterations, kMaxIterations));
  }
  // First wander among schedules of equal weight freely (idle slots ignored), which is where
  // heavier schedules are found; then let the idle slots count too.
  const int weight_phase = iterations * kWeightPhasePercent / 100;
  search.perturb(weight_phase, true);
  search.perturb(iterations - weight_phase, false);
  search.descend(kFinalEjectionDepth, kFinalDescentTrials);
  search.polish();
  search.fill();
  return search.slot_of();
}

Score score_of(const Instance& instance, const std::vector<int>& slot_of) {
  Score score;
  std::vector<uint64_t> busy(instance.available.size(), 0);
  for (size_t e = 0; e < slot_of.size(); ++e) {
    if (slot_of[e] < 0) continue;
    const Edge& edge = instance.edges[e];
    score.weight += edge.weight;
    busy[edge.u] |= bit(slot_of[e]);
    busy[edge.v] |= bit(slot_of[e]);
  }
  for (size_t p = 0; p < busy.size(); ++p) score.idle += idle_of(busy[p], instance.available[p]);
  return score;
}

}  // namespace kakehashi::events::match
