// Milestones of the final goal (R3.1, issue 15): an operator keeps its own milestones (not
// another's), the form reports every problem at once, status transitions and completed_on
// follow the rules of operations/milestones.h, evidence links are http(s) only, and only the
// secretariat reviews — 確認済み only with evidence — notifying the operator's users. Audited.
#include <gtest/gtest.h>

#include "operations/milestones.h"
#include "support/result.h"
#include "unit/operations/fixture.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::operations::testing {
namespace {

class MilestonesTest : public ProgrammeFixture {
 protected:
  MilestoneForm form(std::string title = "連携校 3 校の決定", std::string due = "2027-02-10",
                     std::string status = "not_started") {
    return MilestoneForm{title, "教育委員会と協議して決める", due, "", "事務局長 山田", status};
  }
  std::int64_t create(std::int64_t user, std::int64_t op, const MilestoneForm& f) {
    auto id = create_milestone(tx(), principal(user), op, f, published_);
    EXPECT_OK(id);
    return id ? *id : 0;
  }
  Milestone loaded(std::int64_t id) {
    auto m = find_milestone(tx(), principal(secretariat_), id);
    EXPECT_TRUE(m && *m);
    return m && *m ? **m : Milestone{};
  }
  const Instant later_ = published_ + std::chrono::days{10};
};

TEST_F(MilestonesTest, TheOperatorAddsItsOwnMilestoneWithAudit) {
  MilestoneForm f = form();
  f.owner_user = std::to_string(operator_a2_);
  std::int64_t id = create(operator_a_, op_a_, f);
  Milestone m = loaded(id);
  EXPECT_EQ(m.title, "連携校 3 校の決定");
  EXPECT_EQ(m.due_on.iso(), "2027-02-10");
  EXPECT_EQ(m.owner_user_id, operator_a2_);
  EXPECT_EQ(m.status, MilestoneStatus::kNotStarted);
  EXPECT_FALSE(m.completed_on);
  EXPECT_EQ(audit_count("operation.milestone_create", fmt::format("milestone:{}", id)), 1);
  auto rows = milestones_of(tx(), op_a_);
  ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].owner_label, "実証 六郎");
}

TEST_F(MilestonesTest, AnOperatorCannotTouchAnotherOperatorsMilestones) {
  ExpectError(create_milestone(tx(), principal(operator_b_), op_a_, form(), published_), ErrorCode::kNotFound,
              "実証事業者が見つかりません");
  std::int64_t id = create(operator_a_, op_a_, form());
  ExpectError(update_milestone(tx(), principal(operator_b_), id, form("乗っ取り"), published_), ErrorCode::kNotFound,
              "マイルストーンが見つかりません");
  auto seen = find_milestone(tx(), principal(operator_b_), id);
  ASSERT_OK(seen);
  EXPECT_FALSE(seen->has_value());
  // METI and the bureau of the block see it but may not change it.
  ExpectError(update_milestone(tx(), principal(meti_), id, form("変更"), published_), ErrorCode::kPermissionDenied,
              "このマイルストーンを変更する権限がありません");
  ExpectError(update_milestone(tx(), principal(bureau_kinki_), id, form("変更"), published_),
              ErrorCode::kPermissionDenied, "このマイルストーンを変更する権限がありません");
  // The secretariat may.
  ASSERT_OK(update_milestone(tx(), principal(secretariat_), id, form("連携校 4 校の決定"), published_));
  EXPECT_EQ(loaded(id).title, "連携校 4 校の決定");
}

TEST_F(MilestonesTest, EveryProblemOfTheFormIsReportedAtOnce) {
  MilestoneForm f{"", "", "2027-02-30", "999999", "", "finished"};
  auto errors = validate_milestone(tx(), load(op_a_), f);
  ASSERT_OK(errors);
  std::vector<std::string> fields;
  for (const FieldError& e : *errors) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"title", "due_on", "owner_user", "status"}));
  EXPECT_EQ((*errors)[1].message, "期限の日付が正しくありません（例: 2026-12-25）");
  EXPECT_EQ((*errors)[2].message, "担当者は実証事業者の利用者から選んでください");
  ExpectError(create_milestone(tx(), principal(operator_a_), op_a_, f, published_), ErrorCode::kInvalidArgument,
              join_messages(*errors));
  // A user of another organisation is no owner of this operator's milestone.
  MilestoneForm other = form();
  other.owner_user = std::to_string(operator_b_);
  auto refused = validate_milestone(tx(), load(op_a_), other);
  ASSERT_OK(refused);
  ASSERT_EQ(refused->size(), 1u);
  EXPECT_EQ((*refused)[0].field, "owner_user");
  EXPECT_EQ(count("SELECT COUNT(*) FROM milestones"), 0);
}

TEST_F(MilestonesTest, CompletedOnFollowsTheStatusAndTransitionsAreChecked) {
  std::int64_t id = create(operator_a_, op_a_, form());
  ASSERT_OK(update_milestone(tx(), principal(operator_a_), id, form("連携校 3 校の決定", "2027-02-10", "done"), later_));
  EXPECT_EQ(loaded(id).completed_on->iso(), "2027-01-25");
  // 完了 cannot go back to 未着手 nor to 中止; it may be reopened to 進行中.
  ExpectError(update_milestone(tx(), principal(operator_a_), id, form("x", "2027-02-10", "not_started"), later_),
              ErrorCode::kInvalidArgument, "状態を「完了」から「未着手」に変えることはできません");
  ExpectError(update_milestone(tx(), principal(operator_a_), id, form("x", "2027-02-10", "cancelled"), later_),
              ErrorCode::kInvalidArgument, "状態を「完了」から「中止」に変えることはできません");
  ASSERT_OK(update_milestone(tx(), principal(operator_a_), id, form("x", "2027-02-10", "in_progress"), later_));
  EXPECT_FALSE(loaded(id).completed_on);
  ASSERT_OK(update_milestone(tx(), principal(operator_a_), id, form("x", "2027-02-10", "cancelled"), later_));
  ExpectError(update_milestone(tx(), principal(operator_a_), id, form("x", "2027-02-10", "done"), later_),
              ErrorCode::kInvalidArgument, "状態を「中止」から「完了」に変えることはできません");
  EXPECT_TRUE(transition_allowed(MilestoneStatus::kCancelled, MilestoneStatus::kInProgress));
  EXPECT_TRUE(transition_allowed(MilestoneStatus::kDelayed, MilestoneStatus::kDone));
  EXPECT_EQ(audit_count("operation.milestone_update", fmt::format("milestone:{}", id)), 3);
}

// [IPA-5-(ii)]
TEST_F(MilestonesTest, LinksAreHttpOnlyAndNotesNeedText) {
  std::int64_t id = create(operator_a_, op_a_, form());
  ExpectError(add_link(tx(), principal(operator_a_), id, "報告", "javascript:alert(1)", published_),
              ErrorCode::kInvalidArgument, "リンクは http:// または https:// で始まるアドレスを入力してください");
  ExpectError(add_link(tx(), principal(operator_a_), id, "報告", "ftp://example.jp/x", published_),
              ErrorCode::kInvalidArgument, "リンクは http:// または https:// で始まるアドレスを入力してください");
  ExpectError(add_note(tx(), principal(operator_a_), id, "", "   ", published_), ErrorCode::kInvalidArgument,
              "メモを入力してください");
  ASSERT_OK(add_link(tx(), principal(operator_a_), id, "報告書", "https://example.jp/report", published_));
  ASSERT_OK(add_note(tx(), principal(operator_a_), id, "", "協議録は事務局に提出済み", published_));
  ExpectError(add_note(tx(), principal(operator_b_), id, "", "他社のメモ", published_), ErrorCode::kNotFound,
              "マイルストーンが見つかりません");
  auto evidence = evidence_of(tx(), id);
  ASSERT_OK(evidence);
  ASSERT_EQ(evidence->size(), 2u);
  EXPECT_EQ((*evidence)[0].url, "https://example.jp/report");
  EXPECT_EQ(audit_count("operation.milestone_evidence", fmt::format("milestone:{}", id)), 2);
}

TEST_F(MilestonesTest, OnlyTheSecretariatReviewsAndAcceptedNeedsEvidence) {
  std::int64_t id = create(operator_a_, op_a_, form());
  ExpectError(review_milestone(tx(), principal(operator_a_), id, ReviewState::kAccepted, "", "/x", later_),
              ErrorCode::kPermissionDenied, "マイルストーンを確認する権限がありません");
  ExpectError(review_milestone(tx(), principal(meti_), id, ReviewState::kAccepted, "", "/x", later_),
              ErrorCode::kPermissionDenied, "マイルストーンを確認する権限がありません");
  ExpectError(review_milestone(tx(), principal(secretariat_), id, ReviewState::kAccepted, "", "/x", later_),
              ErrorCode::kInvalidArgument, "根拠資料が登録されていないマイルストーンは「確認済み」にできません");
  ExpectError(review_milestone(tx(), principal(secretariat_), id, ReviewState::kNeedsWork, " ", "/x", later_),
              ErrorCode::kInvalidArgument, "「要対応」にするときは、対応してほしい内容をコメントに書いてください");
  std::int64_t before = count("SELECT COUNT(*) FROM notifications WHERE user_id IN (?, ?)", {operator_a_, operator_a2_});
  ASSERT_OK(review_milestone(tx(), principal(secretariat_), id, ReviewState::kNeedsWork, "議事録を添付してください",
                             "/operations/milestones/1", later_));
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE user_id IN (?, ?)", {operator_a_, operator_a2_}), before + 2);
  ASSERT_OK(add_note(tx(), principal(operator_a_), id, "", "議事録を提出しました", later_));
  ASSERT_OK(review_milestone(tx(), principal(secretariat_), id, ReviewState::kAccepted, "", "/x", later_));
  Milestone m = loaded(id);
  EXPECT_EQ(m.review, ReviewState::kAccepted);
  EXPECT_EQ(m.reviewed_by, secretariat_);
  EXPECT_EQ(audit_count("operation.milestone_review", fmt::format("milestone:{}", id)), 2);
  // Changing the due date of a reviewed milestone asks for a new review.
  ASSERT_OK(update_milestone(tx(), principal(operator_a_), id, form("連携校 3 校の決定", "2027-03-10"), later_));
  EXPECT_EQ(loaded(id).review, ReviewState::kNone);
}

TEST_F(MilestonesTest, TheApiListKeepsToTheReadersReach) {
  create(operator_a_, op_a_, form("A の節目"));
  create(operator_b_, op_b_, form("B の節目"));
  create(secretariat_, op_c_, form("C の節目"));
  auto titles = [&](std::int64_t user, std::optional<std::int64_t> only = std::nullopt) {
    auto rows = visible_milestones(tx(), principal(user), call_.id, only);
    EXPECT_OK(rows);
    std::vector<std::string> out;
    if (rows)
      for (const auto& r : *rows) out.push_back(r.milestone.title);
    return out;
  };
  EXPECT_EQ(titles(secretariat_), (std::vector<std::string>{"A の節目", "B の節目", "C の節目"}));
  EXPECT_EQ(titles(operator_a_), std::vector<std::string>{"A の節目"});
  EXPECT_EQ(titles(bureau_kinki_), (std::vector<std::string>{"A の節目", "C の節目"}));
  EXPECT_EQ(titles(secretariat_, op_b_), std::vector<std::string>{"B の節目"});
  EXPECT_EQ(titles(operator_a_, op_b_), std::vector<std::string>{});
  EXPECT_TRUE(titles(reviewers_[0]).empty());
}

}  // namespace
}  // namespace kakehashi::operations::testing
