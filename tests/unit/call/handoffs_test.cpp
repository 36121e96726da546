// Issue 16 item 4: every hand-off of the call is announced, and item 1's draft rule. On a real,
// migrated database: the receipt reaches the applicant's users, assignment reaches the
// reviewer (once), the reminder before the review deadline goes out once, METI hears about a
// recorded decision, METI can return it with a comment (a state of its own, audited), the
// secretariat hears about approval and return; a draft keeps every valid field.
#include <gtest/gtest.h>

#include "base/date.h"

#include "call/service.h"
#include "support/result.h"
#include "unit/call/fixture.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::call::testing {
namespace {

class HandoffTest : public CallFixture {
 protected:
  // Notifications of `user` titled `title`, and the body of the last one.
  std::int64_t notified(std::int64_t user, const std::string& title) {
    return count("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND title = ?", {user, title});
  }
  std::string last_body(std::int64_t user, const std::string& title) {
    auto row = tx().query_one("SELECT body || ' | ' || link FROM notifications WHERE user_id = ? AND title = ? ORDER BY id DESC LIMIT 1",
                              {user, title});
    EXPECT_OK(row);
    return row && *row ? (**row).text(0) : "";
  }
};

TEST_F(HandoffTest, TheReceiptIsAnnouncedToEveryUserOfTheOrganisation) {
  Call call = open_call();
  std::int64_t a = submitted_application(call, org_a_, operator_a_, {{"hokkaido", 20'000'000}});
  EXPECT_EQ(last_body(operator_a_, "申請を受け付けました"),
            fmt::format("「令和8年度 実証事業者の公募」への申請を受け付けました。受付番号: KK{:02}-0001\n"
                        "審査の結果は、公表時にお知らせします。 | /my/applications/{}/receipt", call.id, a));
  EXPECT_EQ(notified(operator_a2_, "申請を受け付けました"), 1);
  EXPECT_EQ(notified(operator_b_, "申請を受け付けました"), 0);
}

TEST_F(HandoffTest, ReviewersHearOfNewAssignmentsOnceAndBeforeTheDeadlineOnce) {
  CallSettings s = settings();
  s.reviewers_per_application = 1;
  s.review_deadline = s.closes_at + days{14};
  Call call = open_call(s);
  std::int64_t a = submitted_application(call, org_a_, operator_a_, {{"hokkaido", 20'000'000}});
  everyone_declared(call);
  ASSERT_OK(assign(tx(), a, reviewers_[0], true, by(secretariat_), now_));
  EXPECT_EQ(last_body(reviewers_[0], "審査の割り当て"),
            fmt::format("「令和8年度 実証事業者の公募」の審査を 1 件割り当てました（受付番号 KK{:02}-0001）。審査期限は {} です。 | "
                        "/review/applications/{}",
                        call.id, tokyo_datetime_japanese(*s.review_deadline), a));
  // Locking an existing pair again tells nobody anything new.
  ASSERT_OK(assign(tx(), a, reviewers_[0], false, by(secretariat_), now_));
  EXPECT_EQ(notified(reviewers_[0], "審査の割り当て"), 1);

  // Three days before: nothing; a day before: one reminder, and a second run sends none.
  ASSERT_OK_AND_ASSIGN(int early, remind_before_review_deadlines(tx(), *s.review_deadline - days{3}));
  EXPECT_EQ(early, 0);
  ASSERT_OK_AND_ASSIGN(int due, remind_before_review_deadlines(tx(), *s.review_deadline - days{1}));
  EXPECT_EQ(due, 1);
  ASSERT_OK_AND_ASSIGN(int again, remind_before_review_deadlines(tx(), *s.review_deadline - hours{12}));
  EXPECT_EQ(again, 0);
  EXPECT_EQ(notified(reviewers_[0], "審査期限が近づいています"), 1);
  EXPECT_EQ(last_body(reviewers_[0], "審査期限が近づいています"),
            fmt::format("「令和8年度 実証事業者の公募」の審査期限は {} です。未提出の審査が 1 件あります。 | /review",
                        tokyo_datetime_japanese(*s.review_deadline)));
  EXPECT_EQ(audit_count("review.deadline_reminder", fmt::format("call:{}", call.id)), 1);
}

TEST_F(HandoffTest, AReviewDeadlineComesAfterTheClosing) {
  CallSettings s = settings();
  s.review_deadline = s.closes_at;
  EXPECT_EQ(settings_problems(s), (std::vector<FieldProblem>{{"review_deadline", "審査期限は締切日時より後にしてください"}}));
}

TEST_F(HandoffTest, MetiCanReturnTheDecisionWithACommentAndTheSecretariatHears) {
  CallSettings s = settings();
  s.blocks = {"hokkaido"};
  Call call = open_call(s);
  std::int64_t a = submitted_application(call, org_a_, operator_a_, {{"hokkaido", 20'000'000}});
  Instant closed = call.closes_at + hours{1};
  std::vector<DecisionLine> lines{{"hokkaido", a, 20'000'000, std::nullopt, "計画の具体性が高い"}};
  ASSERT_OK(record_decision(tx(), call, lines, by(secretariat_), closed));
  EXPECT_EQ(last_body(meti_, "委員会の決定の承認依頼"),
            fmt::format("「令和8年度 実証事業者の公募」の委員会の決定が記録されました（交付額の合計 20,000,000円）。"
                        "内容を確認し、承認または差し戻しをしてください。 | /admin/calls/{}/results",
                        call.id));

  ExpectError(return_decision(tx(), reload(call.id), "  ", by(meti_), closed), ErrorCode::kInvalidArgument,
              "差し戻しの理由を入力してください");
  ExpectError(return_decision(tx(), reload(call.id), "理由", by(operator_a_), closed), ErrorCode::kPermissionDenied,
              "委員会の決定を差し戻せるのは経済産業省の担当者です");
  ASSERT_OK(return_decision(tx(), reload(call.id), "北海道ブロックの選定理由を具体的に書いてください。", by(meti_), closed));
  Call returned = reload(call.id);
  EXPECT_EQ(returned.decision, DecisionState::kReturned);
  EXPECT_EQ(returned.return_comment, "北海道ブロックの選定理由を具体的に書いてください。");
  EXPECT_EQ(returned.returned_by, meti_);
  EXPECT_EQ(audit_count("selection.return", fmt::format("call:{}", call.id)), 1);
  EXPECT_EQ(last_body(secretariat_, "委員会の決定が差し戻されました"),
            fmt::format("「令和8年度 実証事業者の公募」の委員会の決定を経済産業省が差し戻しました。\n"
                        "コメント: 北海道ブロックの選定理由を具体的に書いてください。\n内容を見直し、決定を記録し直してください。 | "
                        "/admin/calls/{}/results",
                        call.id));
  // A returned decision cannot be approved; recorded again, it can, and the secretariat hears.
  ExpectError(approve_decision(tx(), returned, by(meti_), closed), ErrorCode::kConflict,
              "差し戻した決定は、事務局が記録し直すまで承認できません");
  lines[0].rationale = "北海道の企業 20 社との連携計画が具体的である。";
  ASSERT_OK(record_decision(tx(), returned, lines, by(secretariat_), closed));
  Call again = reload(call.id);
  EXPECT_EQ(again.decision, DecisionState::kRecorded);
  EXPECT_FALSE(again.return_comment);
  ASSERT_OK(approve_decision(tx(), again, by(meti_), closed));
  EXPECT_EQ(notified(secretariat_, "委員会の決定が承認されました"), 1);
  ExpectError(return_decision(tx(), reload(call.id), "遅い差し戻し", by(meti_), closed), ErrorCode::kConflict,
              "承認済みの決定は差し戻せません");
}

TEST_F(HandoffTest, ADraftKeepsEveryValidFieldAndTheStoredValueOfAWrongOne) {
  Call call = open_call();
  ApplicationForm stored = complete_form({{"hokkaido", 20'000'000}}, {"pbl"});
  ApplicationForm typed = stored;
  typed.plan_pbl = "新しい計画";
  typed.contact_email = "tanto@";
  typed.blocks = {{"hokkaido", 10'000'000}, {"tohoku", 16'000'000}, {"okinawa", 20'000'000}};
  typed.topics = {"pbl", "astrology"};
  EXPECT_EQ(draft_problems(typed, call),
            (std::vector<FieldProblem>{
                {"contact_email", "担当者メールアドレスの形式が正しくありません（例: tanto@example.jp）"},
                {"topics", "テーマが正しくありません: astrology"},
                {"requested_hokkaido", "北海道ブロックの申請額 10,000,000円 は交付額の範囲（15,000,000円〜25,000,000円）の外です"},
                {"blocks", "この公募の対象ではないブロックです: 沖縄ブロック"}}));
  ApplicationForm kept = valid_part(typed, stored, call);
  EXPECT_EQ(kept.plan_pbl, "新しい計画");
  EXPECT_EQ(kept.contact_email, "tanto@operator.example");
  EXPECT_EQ(kept.topics, std::vector<std::string>{"pbl"});
  ASSERT_EQ(kept.blocks.size(), 2u);
  EXPECT_EQ(kept.blocks[0].requested, 20'000'000);  // the stored amount
  EXPECT_EQ(kept.blocks[1].block, "tohoku");
  EXPECT_TRUE(validate_draft(kept, call).empty());
}

}  // namespace
}  // namespace kakehashi::call::testing
