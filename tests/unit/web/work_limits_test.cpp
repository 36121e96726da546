// Admission of heavy work: per client, overall, a bounded queue with a bounded wait.
#include "web/work_limits.h"

#include <gtest/gtest.h>

#include <thread>

namespace kakehashi::web {
namespace {

WorkLimitsConfig small(int overall, int per_client, int queue = 0, std::chrono::milliseconds wait = {}) {
  WorkLimitsConfig config;
  config.inspection = {.overall = overall, .per_client = per_client, .queue = queue, .max_wait = wait,
                       .retry_after = std::chrono::seconds{30}};
  config.password = config.inspection;
  return config;
}

TEST(WorkLimits, OneClientCannotTakeMoreThanItsShare) {
  WorkLimits limits(small(3, 1));
  auto first = limits.admit(WorkKind::kInspection, "user:1");
  ASSERT_TRUE(first.slot);
  auto second = limits.admit(WorkKind::kInspection, "user:1");
  EXPECT_FALSE(second.slot);
  EXPECT_EQ(second.refusal, WorkLimits::Refusal::kClient);
  // Another client still gets a slot; the kinds are counted apart.
  EXPECT_TRUE(limits.admit(WorkKind::kInspection, "user:2").slot);
  EXPECT_TRUE(limits.admit(WorkKind::kPassword, "user:1").slot);
}

TEST(WorkLimits, TheOverallLimitHoldsForEveryoneAndASlotIsFreedWhenReleased) {
  WorkLimits limits(small(2, 1));
  auto a = limits.admit(WorkKind::kInspection, "user:1");
  auto b = limits.admit(WorkKind::kInspection, "user:2");
  ASSERT_TRUE(a.slot && b.slot);
  auto c = limits.admit(WorkKind::kInspection, "address:192.0.2.1");
  EXPECT_FALSE(c.slot);
  EXPECT_EQ(c.refusal, WorkLimits::Refusal::kOverall);
  EXPECT_EQ(limits.usage(WorkKind::kInspection).running, 2);
  a.slot.reset();
  EXPECT_EQ(limits.usage(WorkKind::kInspection).running, 1);
  EXPECT_TRUE(limits.admit(WorkKind::kInspection, "address:192.0.2.1").slot);
  // user:1 released its slot and may start again once there is room.
  EXPECT_EQ(limits.usage(WorkKind::kInspection).running, 1);
  EXPECT_TRUE(limits.admit(WorkKind::kInspection, "user:1").slot);
}

TEST(WorkLimits, AMovedSlotIsReleasedOnce) {
  WorkLimits limits(small(1, 1));
  {
    auto admitted = limits.admit(WorkKind::kPassword, "user:1");
    ASSERT_TRUE(admitted.slot);
    WorkLimits::Slot moved = std::move(*admitted.slot);
    admitted.slot.reset();
    EXPECT_EQ(limits.usage(WorkKind::kPassword).running, 1);
  }
  EXPECT_EQ(limits.usage(WorkKind::kPassword).running, 0);
}

TEST(WorkLimits, AQueuedRequestGetsTheSlotThatIsReleased) {
  WorkLimits limits(small(1, 2, 1, std::chrono::minutes(1)));
  auto holder = limits.admit(WorkKind::kPassword, "user:1");
  ASSERT_TRUE(holder.slot);
  std::optional<WorkLimits::Admission> queued;
  std::thread waiter([&] { queued = limits.admit(WorkKind::kPassword, "user:2"); });
  // Wait (bounded) until the second request is in the queue, then release the first slot.
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (limits.usage(WorkKind::kPassword).waiting == 0 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::yield();
  }
  ASSERT_EQ(limits.usage(WorkKind::kPassword).waiting, 1);
  // The queue holds one: a third request is refused at once.
  EXPECT_FALSE(limits.admit(WorkKind::kPassword, "user:3").slot);
  holder.slot.reset();
  waiter.join();
  ASSERT_TRUE(queued && queued->slot);
  EXPECT_EQ(limits.usage(WorkKind::kPassword).running, 1);
  EXPECT_EQ(limits.usage(WorkKind::kPassword).waiting, 0);
}

TEST(WorkLimits, AQueuedRequestIsRefusedAfterItsWait) {
  WorkLimits limits(small(1, 2, 1, std::chrono::milliseconds(20)));
  auto holder = limits.admit(WorkKind::kPassword, "user:1");
  ASSERT_TRUE(holder.slot);
  auto late = limits.admit(WorkKind::kPassword, "user:2");
  EXPECT_FALSE(late.slot);
  EXPECT_EQ(late.refusal, WorkLimits::Refusal::kOverall);
  EXPECT_EQ(limits.usage(WorkKind::kPassword).waiting, 0);
  // Its place in the per-client count was given back.
  holder.slot.reset();
  EXPECT_TRUE(limits.admit(WorkKind::kPassword, "user:2").slot);
}

TEST(WorkLimits, DefaultsLeaveHandlerThreadsForPages) {
  for (unsigned cores : {1u, 2u, 8u, 64u}) {
    WorkLimitsConfig config = WorkLimitsConfig::for_cores(cores);
    int handlers = std::max(8, 4 * static_cast<int>(cores));
    int heavy = config.inspection.overall + config.password.overall + config.password.queue;
    EXPECT_LT(heavy, handlers) << cores;
    EXPECT_EQ(config.inspection.per_client, 1);
  }
}

}  // namespace
}  // namespace kakehashi::web
