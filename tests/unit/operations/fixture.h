// A programme year for the operations tests: the call fixture's people plus bureaus of 中部 and
// 近畿 (who share 北陸), a call with four blocks whose results are published, and the operators
// adopted from that decision: A runs 北海道 and 北陸, B runs 東海, C runs 近畿.
// Everything runs in one write transaction that is never committed.
#pragma once

#include "operations/service.h"
#include "unit/call/fixture.h"

namespace kakehashi::operations::testing {

using namespace std::chrono;

class ProgrammeFixture : public call::testing::CallFixture {
 protected:
  void SetUp() override {
    CallFixture::SetUp();
    if (HasFatalFailure()) return;
    bureau_chubu_ = user("chubu@example.jp", "中部 三子", "bureau", organisation("中部経済産業局", "bureau"), "tokai");
    bureau_kinki_ = user("kinki@example.jp", "近畿 四子", "bureau", organisation("近畿経済産業局", "bureau"), "kinki");
    call::CallSettings s = settings();
    s.blocks = {"hokkaido", "hokuriku", "tokai", "kinki"};
    s.budget_total = 100'000'000;
    s.reviewers_per_application = 1;
    call_ = open_call(s);
    app_a_ = submitted_application(call_, org_a_, operator_a_, {{"hokkaido", 20'000'000}, {"hokuriku", 18'000'000}});
    app_b_ = submitted_application(call_, org_b_, operator_b_, {{"tokai", 19'000'000}});
    app_c_ = submitted_application(call_, org_c_, operator_c_, {{"kinki", 21'000'000}});
    closed_ = call_.closes_at;
    everyone_declared(call_);  // only reviewers who declared on every application are assignable
    if (HasFatalFailure()) return;
    std::size_t r = 0;
    for (std::int64_t app : {app_a_, app_b_, app_c_}) {
      ASSERT_OK(call::assign(tx(), app, reviewers_[r], true, by(secretariat_), now_));
      submit_scores(call_, app, reviewers_[r++], 3);
    }
    std::vector<call::DecisionLine> lines = {
        {"hokkaido", app_a_, 20'000'000, std::nullopt, "計画の具体性が高い"},
        {"hokuriku", app_a_, 18'000'000, std::nullopt, "隣接ブロックでの実績"},
        {"tokai", app_b_, 19'000'000, std::nullopt, "製造業との連携"},
        {"kinki", app_c_, 21'000'000, std::nullopt, "地域コミュニティ形成"},
    };
    ASSERT_OK(call::record_decision(tx(), reload(call_.id), lines, by(secretariat_), closed_));
    ASSERT_OK(call::approve_decision(tx(), reload(call_.id), by(meti_), closed_));
    ASSERT_OK(call::publish_results(tx(), reload(call_.id), by(secretariat_), published_));
    auto created = adopt_published_results(tx(), reload(call_.id), by(secretariat_), published_);
    ASSERT_OK(created);
    ASSERT_EQ(*created, 3);
    auto all = all_operators(tx(), call_.id);
    ASSERT_OK(all);
    ASSERT_EQ(all->size(), 3u);
    for (const Operator& op : *all) {
      if (op.organisation_id == org_a_) op_a_ = op.id;
      if (op.organisation_id == org_b_) op_b_ = op.id;
      if (op.organisation_id == org_c_) op_c_ = op.id;
    }
  }

  // The operator as the store has it (no scope), for assertions.
  Operator load(std::int64_t operator_id) {
    auto op = find_operator(tx(), operator_id);
    EXPECT_TRUE(op && *op);
    return op && *op ? **op : Operator{};
  }

  call::Call call_;
  std::int64_t app_a_ = 0, app_b_ = 0, app_c_ = 0;
  std::int64_t bureau_chubu_ = 0, bureau_kinki_ = 0;
  std::int64_t op_a_ = 0, op_b_ = 0, op_c_ = 0;
  Instant closed_{};
  // Results published on 2027-01-15 (Japan time), in the fiscal year ending 2027-03-31.
  const Instant published_ = sys_days{2027y / 1 / 15} + hours{1};
};

}  // namespace kakehashi::operations::testing
