// Who may read an application (call/access.h), on real rows: staff see all, operators their own
// organisation's, bureaus their block's once results are published, reviewers only what is
// assigned to them without conflict, redacted when the call hides personal fields.
#include "call/access.h"

#include <gtest/gtest.h>

#include "support/result.h"
#include "unit/call/fixture.h"

namespace kakehashi::call::testing {
namespace {

class AccessTest : public CallFixture {
 protected:
  void SetUp() override {
    CallFixture::SetUp();
    call_ = open_call();
    a_ = submitted_application(call_, org_a_, operator_a_, {{"hokkaido", 20'000'000}});
    b_ = submitted_application(call_, org_b_, operator_b_, {{"tohoku", 22'000'000}});
    c_ = ready_application(call_, org_c_, operator_c_, {{"kanto", 25'000'000}});  // a draft
  }
  Application application(std::int64_t id) { return **find_application(tx(), id); }
  Visibility visibility(std::int64_t user_id, std::int64_t application_id) {
    auto v = application_visibility(tx(), principal(user_id), application(application_id), reload(call_.id));
    EXPECT_OK(v);
    return v.value_or(Visibility::kFull);
  }
  void decide_and_publish() {
    std::vector<DecisionLine> lines{{"hokkaido", a_, 20'000'000, a_, "計画の具体性"},
                                    {"tohoku", b_, 22'000'000, b_, "地域との適合"},
                                    {"kanto", 0, 0, std::nullopt, "提出済みの申請がなかった"}};
    Instant closed = call_.closes_at;  // the committee decides once the call has closed
    ASSERT_TRUE(record_decision(tx(), reload(call_.id), lines, by(secretariat_), closed));
    ASSERT_TRUE(approve_decision(tx(), reload(call_.id), by(meti_), closed));
    ASSERT_TRUE(publish_results(tx(), reload(call_.id), by(secretariat_), closed));
  }
  Call call_;
  std::int64_t a_ = 0, b_ = 0, c_ = 0;
};

TEST_F(AccessTest, SecretariatAndMetiSeeEveryApplicationInFull) {
  for (auto staff : {secretariat_, meti_}) {
    EXPECT_EQ(visibility(staff, a_), Visibility::kFull);
    EXPECT_EQ(visibility(staff, c_), Visibility::kFull) << "drafts too";
    EXPECT_TRUE(read_is_audited(principal(staff), application(a_)));
  }
}

TEST_F(AccessTest, OperatorsSeeOnlyTheirOwnOrganisations) {
  EXPECT_EQ(visibility(operator_a_, a_), Visibility::kFull);
  EXPECT_EQ(visibility(operator_a2_, a_), Visibility::kFull) << "a colleague of the same organisation";
  EXPECT_EQ(visibility(operator_c_, c_), Visibility::kFull) << "their own draft";
  EXPECT_EQ(visibility(operator_a_, b_), Visibility::kNone);
  EXPECT_EQ(visibility(operator_b_, a_), Visibility::kNone);
  EXPECT_EQ(visibility(operator_a_, c_), Visibility::kNone);
  // Still after publication: results do not open other organisations' applications.
  decide_and_publish();
  EXPECT_EQ(visibility(operator_a_, b_), Visibility::kNone);
  // Their own reads are not audited as staff reads.
  EXPECT_FALSE(read_is_audited(principal(operator_a_), application(a_)));
}

TEST_F(AccessTest, BureausSeeTheirBlocksApplicationsOnlyAfterPublication) {
  EXPECT_EQ(visibility(bureau_hokkaido_, a_), Visibility::kNone);
  ASSERT_TRUE(record_decision(tx(), reload(call_.id),
                              {{"hokkaido", a_, 20'000'000, a_, "計画の具体性"},
                               {"tohoku", b_, 22'000'000, b_, "地域との適合"},
                               {"kanto", 0, 0, std::nullopt, "提出済みの申請がなかった"}},
                              by(secretariat_), call_.closes_at));
  EXPECT_EQ(visibility(bureau_hokkaido_, a_), Visibility::kNone) << "recorded, not published";
  ASSERT_TRUE(approve_decision(tx(), reload(call_.id), by(meti_), call_.closes_at));
  EXPECT_EQ(visibility(bureau_hokkaido_, a_), Visibility::kNone) << "approved, not published";
  ASSERT_TRUE(publish_results(tx(), reload(call_.id), by(secretariat_), call_.closes_at));
  EXPECT_EQ(visibility(bureau_hokkaido_, a_), Visibility::kFull);
  EXPECT_EQ(visibility(bureau_hokkaido_, b_), Visibility::kNone) << "東北 is not the bureau's block";
  EXPECT_EQ(visibility(bureau_kanto_, a_), Visibility::kNone);
  EXPECT_EQ(visibility(bureau_kanto_, c_), Visibility::kNone) << "an unsubmitted draft to 関東";
  EXPECT_TRUE(read_is_audited(principal(bureau_hokkaido_), application(a_)));
}

TEST_F(AccessTest, ReviewersSeeOnlyAssignedApplicationsRedactedByDefault) {
  std::int64_t r1 = reviewers_[0], r2 = reviewers_[1];
  EXPECT_EQ(visibility(r1, a_), Visibility::kNone) << "not assigned";
  everyone_declared(call_);
  ASSERT_TRUE(assign(tx(), a_, r1, false, by(secretariat_), now_));
  EXPECT_EQ(visibility(r1, a_), Visibility::kRedacted);
  EXPECT_EQ(visibility(r2, a_), Visibility::kNone) << "assigned to someone else";
  EXPECT_EQ(visibility(r1, b_), Visibility::kNone);
  EXPECT_TRUE(read_is_audited(principal(r1), application(a_)));

  // When the call shows personal fields, the assigned reviewer sees them.
  CallSettings s = settings();
  s.hide_personal = false;
  ASSERT_TRUE(update_call(tx(), call_.id, s, by(secretariat_), now_));
  EXPECT_EQ(visibility(r1, a_), Visibility::kFull);
}

TEST_F(AccessTest, AConflictHidesTheApplicationFromTheReviewer) {
  std::int64_t r1 = reviewers_[0];
  everyone_declared(call_);
  ASSERT_TRUE(assign(tx(), a_, r1, false, by(secretariat_), now_));
  ASSERT_TRUE(declare(tx(), call_.id, {r1, org_a_, true, "理事を兼務"}, by(r1), now_));
  EXPECT_EQ(visibility(r1, a_), Visibility::kNone);
  // Even if an assignment row existed beside the conflict (say, written by an older version),
  // the conflict wins.
  ASSERT_TRUE(tx().exec("INSERT INTO review_assignments (application_id, reviewer_id, locked, assigned_at) "
                        "VALUES (?, ?, 1, '2026-12-01T00:00:00Z')",
                        {a_, r1}));
  EXPECT_EQ(visibility(r1, a_), Visibility::kNone);
}

TEST_F(AccessTest, AReopenedApplicationLeavesTheReviewersView) {
  std::int64_t r1 = reviewers_[0];
  everyone_declared(call_);
  ASSERT_TRUE(assign(tx(), a_, r1, false, by(secretariat_), now_));
  ASSERT_TRUE(reopen_application(tx(), a_, "添付の差し替え", by(secretariat_), now_));
  EXPECT_EQ(visibility(r1, a_), Visibility::kNone) << "a draft again: not for review";
  ASSERT_TRUE(submit_application(tx(), a_, reload(call_.id), by(operator_a_), now_));
  EXPECT_EQ(visibility(r1, a_), Visibility::kRedacted);
}

// R8.4: uploads reach everyone but the secretariat, METI and the applicant's own organisation
// only as the disarmed copy.
TEST_F(AccessTest, OnlyStaffAndTheApplicantGetTheOriginalAttachment) {
  for (auto reader : {secretariat_, meti_, operator_a_, operator_a2_}) {
    EXPECT_EQ(attachment_copy(principal(reader), application(a_)), AttachmentCopy::kOriginal) << reader;
  }
  for (auto reader : {reviewers_[0], bureau_hokkaido_, operator_b_}) {
    EXPECT_EQ(attachment_copy(principal(reader), application(a_)), AttachmentCopy::kDisarmed) << reader;
  }
}

TEST_F(AccessTest, RedactionHidesPersonalFieldsOnly) {
  Application shown = redacted(application(a_));
  EXPECT_EQ(shown.representative_name, "（非表示）");
  EXPECT_EQ(shown.contact_name, "（非表示）");
  EXPECT_EQ(shown.contact_email, "（非表示）");
  EXPECT_EQ(shown.contact_phone, "（非表示）");
  EXPECT_EQ(shown.organisation_name, "株式会社みらい産学連携");
  EXPECT_EQ(shown.plan_pbl, "高校 5 校で PBL を実施します。");
  EXPECT_EQ(shown.receipt_number, "KK01-0001");
  EXPECT_EQ(shown.blocks.size(), 1u);
}

}  // namespace
}  // namespace kakehashi::call::testing
