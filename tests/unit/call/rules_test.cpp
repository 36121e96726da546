// The business rules of issue 13 ("trusted to the browser"), enforced by the call service
// whoever calls it: the solver's proposal recomputed, never taken from the caller; the decision,
// its approval and publication only after the deadline; no change to applications once the
// decision is recorded, nor of reviewer assignments and reviews; separation of duties for the approval; one organisation's storage
// quota; finite numbers in the settings.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "call/service.h"
#include "call/store.h"
#include "support/result.h"
#include "unit/call/fixture.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::call::testing {
namespace {

class RulesTest : public CallFixture {
 protected:
  void SetUp() override {
    CallFixture::SetUp();
    CallSettings s = settings();
    s.blocks = {"hokkaido", "tohoku"};
    s.budget_total = 40'000'000;
    s.reviewers_per_application = 1;
    call_ = open_call(s);
    // A asks for both blocks, B for 東北 only. Within the 40,000,000 cap the solver can only
    // give 北海道 to A and 東北 to B (A in both would cost 42,000,000).
    a_ = submitted_application(call_, org_a_, operator_a_, {{"hokkaido", 20'000'000}, {"tohoku", 22'000'000}});
    b_ = submitted_application(call_, org_b_, operator_b_, {{"tohoku", 18'000'000}});
    closed_ = call_.closes_at;
  }
  // Reviewer r scores the application at `level` on every criterion.
  void reviewed(std::int64_t application, std::size_t r, int level) {
    everyone_declared(call_);
    ASSERT_TRUE(assign(tx(), application, reviewers_[r], true, by(secretariat_), now_));
    submit_scores(call_, application, reviewers_[r], level);
  }
  std::vector<DecisionLine> lines(std::int64_t tohoku, std::int64_t tohoku_amount) const {
    return {{"hokkaido", a_, 20'000'000, std::nullopt, "計画の具体性が高い"},
            {"tohoku", tohoku, tohoku_amount, std::nullopt, tohoku ? "地域との適合" : "該当なし"}};
  }
  std::string refusal(const Result<void>& r) const { return r ? "(accepted)" : r.error().message; }
  template <typename T>
  std::string refusal(const Result<T>& r) const {
    return r ? "(accepted)" : r.error().message;
  }
  // A user holding two roles (the pentest's secretariat account that could approve).
  std::int64_t secretariat_and_meti() {
    std::int64_t id = user("both@example.jp", "兼務 太郎", "secretariat", organisation("架け橋事務局", "secretariat"));
    EXPECT_TRUE(tx().exec("INSERT INTO user_roles (user_id, role) VALUES (?, 'meti')", {id}));
    return id;
  }

  Call call_;
  std::int64_t a_ = 0, b_ = 0;
  Instant closed_{};
};

TEST_F(RulesTest, TheProposalBesideTheDecisionIsTheSolversNotTheCallers) {
  reviewed(a_, 0, 3);
  reviewed(b_, 1, 2);
  auto computed = results(tx(), reload(call_.id), ScoreBasis::kMean);
  ASSERT_TRUE(computed && computed->proposal) << (computed ? computed->proposal.error().message : computed.error().message);
  EXPECT_EQ(computed->proposed_for("hokkaido"), a_);
  EXPECT_EQ(computed->proposed_for("tohoku"), b_);

  // The caller claims the proposal was B in 北海道 and A in 東北: ignored.
  auto claimed = lines(b_, 18'000'000);
  claimed[0].proposed_application_id = b_;
  claimed[1].proposed_application_id = a_;
  ASSERT_TRUE(record_decision(tx(), call_, claimed, by(secretariat_), closed_));
  ASSERT_OK_AND_ASSIGN(auto stored, decision(tx(), call_.id));
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].proposed_application_id, a_);
  EXPECT_EQ(stored[1].proposed_application_id, b_);
  EXPECT_FALSE(stored[0].differs_from_proposal());
  EXPECT_FALSE(stored[1].differs_from_proposal());
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'selection.record' AND "
                  "detail = '{\"total\":38000000,\"differs_from_proposal\":0}'"),
            1);

  // 該当なし in 東北, claimed to be the proposal: it differs from the solver's, and says so.
  auto none = lines(0, 0);
  none[1].proposed_application_id = std::nullopt;
  ASSERT_TRUE(record_decision(tx(), call_, none, by(secretariat_), closed_));
  stored = *decision(tx(), call_.id);
  EXPECT_EQ(stored[1].proposed_application_id, b_);
  EXPECT_TRUE(stored[1].differs_from_proposal());
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'selection.record' AND "
                  "detail = '{\"total\":20000000,\"differs_from_proposal\":1}'"),
            1);
}

TEST_F(RulesTest, EveryAwardStaysWithinTheRequestTheRangeAndTheCap) {
  EXPECT_EQ(refusal(record_decision(tx(), call_, lines(b_, 18'000'001), by(secretariat_), closed_)),
            "東北ブロックの交付額 18,000,001円 が申請額 18,000,000円 を超えています");
  EXPECT_EQ(refusal(record_decision(tx(), call_, lines(b_, 14'999'999), by(secretariat_), closed_)),
            "東北ブロックの交付額 14,999,999円 は範囲（15,000,000円〜25,000,000円）の外です");
  // A in both blocks, each within its request and the range, is above the cap.
  EXPECT_EQ(refusal(record_decision(tx(), call_, lines(a_, 22'000'000), by(secretariat_), closed_)),
            "交付額の合計 42,000,000円 が予算上限 40,000,000円 を超えています");
  EXPECT_EQ(reload(call_.id).decision, DecisionState::kNone);
  ASSERT_TRUE(record_decision(tx(), call_, lines(b_, 18'000'000), by(secretariat_), closed_));
}

TEST_F(RulesTest, DecisionApprovalAndPublicationWaitForTheDeadline) {
  Instant before = closed_ - seconds{1};
  EXPECT_EQ(refusal(record_decision(tx(), call_, lines(b_, 18'000'000), by(secretariat_), before)),
            "締切（2026年12月31日（木）10:00）の前は委員会の決定を記録できません");
  EXPECT_EQ(reload(call_.id).decision, DecisionState::kNone);
  EXPECT_EQ(count("SELECT COUNT(*) FROM call_decisions"), 0);
  ASSERT_TRUE(record_decision(tx(), call_, lines(b_, 18'000'000), by(secretariat_), closed_));
  EXPECT_EQ(refusal(approve_decision(tx(), call_, by(meti_), before)),
            "締切（2026年12月31日（木）10:00）の前は委員会の決定を承認できません");
  ASSERT_TRUE(approve_decision(tx(), call_, by(meti_), closed_));
  EXPECT_EQ(refusal(publish_results(tx(), call_, by(secretariat_), before)),
            "締切（2026年12月31日（木）10:00）の前は結果を公表できません");
  EXPECT_EQ(reload(call_.id).decision, DecisionState::kApproved);
  ASSERT_TRUE(publish_results(tx(), call_, by(secretariat_), closed_));
  // An unpublished call (never open) has no deadline that passed.
  CallSettings draft = settings();
  draft.opens_at = now_ - days{60};
  draft.closes_at = now_ - days{30};
  auto id = create_call(tx(), draft, by(secretariat_), now_);
  ASSERT_TRUE(id);
  EXPECT_EQ(refusal(record_decision(tx(), reload(*id), {}, by(secretariat_), now_)),
            "締切（2026年11月1日（日）10:00）の前は委員会の決定を記録できません");
}

TEST_F(RulesTest, NothingOfAnApplicationChangesOnceTheDecisionIsRecorded) {
  // C is given back by the secretariat before the decision, and still has it as a draft.
  auto c = submitted_application(call_, org_c_, operator_c_, {{"tohoku", 20'000'000}});
  ASSERT_TRUE(reopen_application(tx(), c, "内訳を添付してください", by(secretariat_), now_));
  ASSERT_OK_AND_ASSIGN(auto files, attachments(tx(), c));
  ASSERT_TRUE(record_decision(tx(), call_, lines(b_, 18'000'000), by(secretariat_), closed_));
  Call decided = reload(call_.id);
  for (int step = 0; step < 2; ++step) {
    Instant later = closed_ + hours{1};
    ApplicationForm form = complete_form({{"tohoku", 21'000'000}}, {"pbl"});
    EXPECT_EQ(refusal(save_application(tx(), c, form, decided, by(operator_c_), later)),
              "委員会の決定が記録された公募の申請は変更できません")
        << "step " << step;
    EXPECT_EQ(refusal(submit_application(tx(), c, decided, by(operator_c_), later)),
              "委員会の決定が記録された公募には提出できません");
    EXPECT_EQ(refusal(add_attachment(tx(), c, upload("more.pdf", kPdf), by(operator_c_), later)),
              "委員会の決定が記録された公募の申請は変更できません");
    EXPECT_EQ(refusal(delete_attachment(tx(), c, files[0].id, by(operator_c_), later)),
              "委員会の決定が記録された公募の申請は変更できません");
    EXPECT_EQ(refusal(reopen_application(tx(), a_, "受賞後の修正", by(secretariat_), later)),
              "委員会の決定が記録された公募の申請は差し戻せません");
    std::int64_t newcomer = organisation("新規参入株式会社", "operator");
    EXPECT_EQ(refusal(start_application(tx(), decided, newcomer, by(operator_c_), later)),
              "この公募は現在受け付けていません");
    // Nor may the deadline move: a later one would open the call again beside the decision.
    CallSettings extended = decided;
    extended.closes_at = decided.closes_at + days{7};
    EXPECT_EQ(refusal(update_call(tx(), call_.id, extended, by(secretariat_), later)),
              "委員会の決定が記録された公募の締切は変更できません");
    auto stored = **find_application(tx(), c);
    EXPECT_FALSE(stored.submitted);
    EXPECT_EQ(stored.requested_total(), 20'000'000);
    EXPECT_EQ(attachments(tx(), c)->size(), files.size());
    if (step == 0) {  // the same after approval and publication
      ASSERT_TRUE(approve_decision(tx(), decided, by(meti_), closed_));
      ASSERT_TRUE(publish_results(tx(), decided, by(secretariat_), closed_));
      decided = reload(call_.id);
    }
  }
}

TEST_F(RulesTest, NoReviewerOrReviewChangesOnceTheDecisionIsRecorded) {
  // Before the decision: A reviewed and submitted by r0, r1 assigned with a draft, B assigned to r2.
  reviewed(a_, 0, 3);
  ASSERT_TRUE(assign(tx(), a_, reviewers_[1], true, by(secretariat_), now_));
  std::map<std::int64_t, Score> draft;
  auto items = criteria(tx(), call_.id);
  ASSERT_TRUE(items);
  for (const auto& c : *items) draft[c.id] = Score{2, ""};
  ASSERT_TRUE(save_review(tx(), call_, a_, reviewers_[1], draft, "途中", by(reviewers_[1]), now_));
  ASSERT_TRUE(assign(tx(), b_, reviewers_[2], true, by(secretariat_), now_));
  ASSERT_TRUE(record_decision(tx(), call_, lines(b_, 18'000'000), by(secretariat_), closed_));
  auto pairs_before = assignments(tx(), call_.id)->size();
  auto audited_before = count("SELECT COUNT(*) FROM audit_log");
  Call decided = reload(call_.id);
  Instant later = closed_ + hours{1};
  auto expect_conflict = [&](const Result<void>& r, const std::string& message) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kConflict);
    EXPECT_EQ(r.error().message, message);
  };
  for (int step = 0; step < 3; ++step) {
    const std::string assignments_fixed = "委員会の決定が記録された公募の審査委員の割り当ては変更できません";
    auto automatic = auto_assign(tx(), decided, by(secretariat_), later);
    ASSERT_FALSE(automatic) << "step " << step;
    EXPECT_EQ(automatic.error().code, ErrorCode::kConflict);
    EXPECT_EQ(automatic.error().message, assignments_fixed);
    // The service reads the call as stored: a stale copy from before the decision changes nothing.
    EXPECT_EQ(refusal(auto_assign(tx(), call_, by(secretariat_), later)), assignments_fixed);
    expect_conflict(assign(tx(), a_, reviewers_[3], true, by(secretariat_), later), assignments_fixed);
    expect_conflict(unassign(tx(), b_, reviewers_[2], by(secretariat_), later), assignments_fixed);
    expect_conflict(save_review(tx(), call_, a_, reviewers_[1], draft, "決定後の書き換え", by(reviewers_[1]), later),
                    "委員会の決定が記録された公募の審査結果は変更できません");
    expect_conflict(submit_review(tx(), call_, a_, reviewers_[1], by(reviewers_[1]), later),
                    "委員会の決定が記録された公募の審査結果は提出できません");
    // A submitted review keeps its own message.
    EXPECT_EQ(refusal(save_review(tx(), call_, a_, reviewers_[0], draft, "", by(reviewers_[0]), later)),
              "提出済みの審査は変更できません");
    EXPECT_EQ(assignments(tx(), call_.id)->size(), pairs_before);
    auto kept = **find_review(tx(), a_, reviewers_[1]);
    EXPECT_FALSE(kept.submitted);
    EXPECT_EQ(kept.comment, "途中");
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log"), audited_before);
    if (step == 0) {
      ASSERT_TRUE(approve_decision(tx(), decided, by(meti_), closed_));
      audited_before = count("SELECT COUNT(*) FROM audit_log");
    } else if (step == 1) {
      ASSERT_TRUE(publish_results(tx(), reload(call_.id), by(secretariat_), closed_));
      audited_before = count("SELECT COUNT(*) FROM audit_log");
    }
    decided = reload(call_.id);
  }
}

TEST_F(RulesTest, WhoRecordedTheDecisionCannotApproveIt) {
  std::int64_t both = secretariat_and_meti();
  ASSERT_TRUE(record_decision(tx(), call_, lines(b_, 18'000'000), by(both), closed_));
  auto refused = approve_decision(tx(), call_, by(both), closed_);
  ASSERT_FALSE(refused);
  ExpectError(refused, ErrorCode::kPermissionDenied,
              "委員会の決定を記録した人は、その決定を承認できません（別の経済産業省の担当者が承認します）");
  // Someone without the METI role cannot approve either (the policy's rule, kept by the service).
  EXPECT_EQ(refusal(approve_decision(tx(), call_, by(secretariat_), closed_)),
            "委員会の決定を承認できるのは経済産業省の担当者です");
  EXPECT_EQ(reload(call_.id).decision, DecisionState::kRecorded);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'selection.approve'"), 0);
  // Another METI user approves.
  ASSERT_TRUE(approve_decision(tx(), call_, by(meti_), closed_));
  EXPECT_EQ(reload(call_.id).decision, DecisionState::kApproved);
  EXPECT_EQ(count("SELECT approved_by FROM calls WHERE id = ?", {call_.id}), meti_);
}

TEST_F(RulesTest, OneOrganisationsAttachmentsStayWithinItsQuota) {
  // A's applications to this call and to a second one already hold 195 MiB (rows whose recorded
  // size is what counts; the content itself is kept small here).
  CallSettings other = settings();
  other.title = "令和8年度 追加公募";
  Call second = open_call(other);
  auto draft = start_application(tx(), second, org_a_, by(operator_a_), now_);
  ASSERT_TRUE(draft);
  for (auto [application, mib] : {std::pair{a_, 100}, std::pair{*draft, 95}}) {
    ASSERT_TRUE(tx().exec("INSERT INTO application_attachments (application_id, file_name, size, sha256, content, "
                          "uploaded_at) VALUES (?, 'big.pdf', ?, 'sha', x'25504446', '2026-12-01T00:00:00Z')",
                          {application, std::int64_t(mib) * 1024 * 1024}));
  }
  EXPECT_EQ(*store::organisation_storage(tx(), org_a_), 195 * 1024 * 1024 + std::int64_t(kPdf.size()))
      << "the PDF A submitted with counts as well";
  std::string ten_mib = "%PDF-" + std::string(10 * 1024 * 1024 - 5, ' ');
  EXPECT_EQ(refusal(add_attachment(tx(), *draft, upload("plan.pdf", ten_mib), by(operator_a_), now_)),
            "添付ファイルは団体ごとに合計 200 MB までです。このファイル（10.0 MB）を添付すると超えるため添付できません"
            "（使用中 195.0 MB）");
  EXPECT_EQ(attachments(tx(), *draft)->size(), 1u) << "nothing stored";
  // Up to the quota exactly is fine; one byte more is not.
  std::int64_t room = kOrganisationStorageQuota - *store::organisation_storage(tx(), org_a_);
  std::string fits = "%PDF-" + std::string(std::size_t(room) - 5, ' ');
  ASSERT_TRUE(add_attachment(tx(), *draft, upload("fits.pdf", fits), by(operator_a_), now_));
  EXPECT_EQ(*store::organisation_storage(tx(), org_a_), kOrganisationStorageQuota);
  EXPECT_FALSE(add_attachment(tx(), *draft, upload("tiny.pdf", kPdf), by(operator_a_), now_));
  // Another organisation has its own quota.
  auto c = start_application(tx(), call_, org_c_, by(operator_c_), now_);
  ASSERT_TRUE(c);
  EXPECT_TRUE(add_attachment(tx(), *c, upload("plan.pdf", ten_mib), by(operator_c_), now_));
}

TEST_F(RulesTest, SettingsRefuseNumbersThatAreNotFinite) {
  CallSettings s = settings();
  for (double bad : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                     -std::numeric_limits<double>::infinity()}) {
    s.min_total = bad;
    EXPECT_EQ(validate(s), std::vector<std::string>{"最低合計点は有限の数値で入力してください"});
    EXPECT_EQ(refusal(create_call(tx(), s, by(secretariat_), now_)), "最低合計点は有限の数値で入力してください");
  }
  s.min_total = 1e300;
  EXPECT_EQ(validate(s), std::vector<std::string>{"最低合計点は 1000000 以下にしてください"});
  s.min_total = 80;
  EXPECT_TRUE(validate(s).empty());
  // An existing call cannot be given one either.
  s.min_total = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(refusal(update_call(tx(), call_.id, s, by(secretariat_), now_ - days{2})),
            "最低合計点は有限の数値で入力してください");
  EXPECT_FALSE(reload(call_.id).min_total);
}

}  // namespace
}  // namespace kakehashi::call::testing
