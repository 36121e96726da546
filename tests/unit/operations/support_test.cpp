// The secretariat's support log, mentoring and the to-do list (issue 15, R3.4): read within reach
// (secretariat, METI, the bureaus of the operator's blocks — 北陸 shared by 中部 and 近畿 — and the
// operator itself), written by the secretariat only, validated with Japanese messages, audited;
// an assigned next step notifies its owner and appears in the owner's to-do list until done.
#include <gtest/gtest.h>

#include "operations/support.h"
#include "support/result.h"
#include "unit/operations/fixture.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::operations::testing {
namespace {

class SupportTest : public ProgrammeFixture {
 protected:
  void SetUp() override {
    ProgrammeFixture::SetUp();
    if (HasFatalFailure()) return;
    secretariat2_ = user("secretariat2@example.jp", "支援 三奈", "secretariat", organisation("架け橋事務局", "secretariat"));
  }

  SupportLog entry(const char* held_on, const char* topic, std::optional<std::int64_t> owner = std::nullopt,
                   const char* due = "2027-02-01") {
    SupportLog e;
    e.held_on = *Date::parse(held_on);
    e.kind = SupportKind::kVisit;
    e.topic = topic;
    e.advice = "助言";
    if (owner) {
      e.next_step = std::string(topic) + "のフォロー";
      e.next_step_due = *Date::parse(due);
      e.next_step_owner = owner;
    }
    return e;
  }

  std::int64_t logged(std::int64_t operator_id, const SupportLog& e) {
    auto id = log_support(tx(), principal(secretariat_), operator_id, e, published_ + days{1});
    EXPECT_OK(id);
    return id.value_or(0);
  }

  // How many entries of `operator_id` the user sees; -1 when the operator is out of reach.
  int visible(std::int64_t user_id, std::int64_t operator_id) {
    auto list = support_logs(tx(), principal(user_id), operator_id);
    EXPECT_OK(list);
    if (!list || !*list) return -1;
    return int((*list)->size());
  }

  std::int64_t secretariat2_ = 0;
};

TEST_F(SupportTest, EachRoleSeesTheLogOfTheOperatorsInItsReach) {
  std::int64_t a = logged(op_a_, entry("2027-01-20", "キックオフ"));  // 北海道 + 北陸
  logged(op_b_, entry("2027-01-21", "日程調整"));                     // 東海
  EXPECT_EQ(visible(secretariat_, op_a_), 1);
  EXPECT_EQ(visible(meti_, op_a_), 1);
  EXPECT_EQ(visible(operator_a_, op_a_), 1);
  EXPECT_EQ(visible(operator_a2_, op_a_), 1);
  EXPECT_EQ(visible(bureau_hokkaido_, op_a_), 1);
  EXPECT_EQ(visible(bureau_chubu_, op_a_), 1) << "中部 shares 北陸";
  EXPECT_EQ(visible(bureau_kinki_, op_a_), 1) << "近畿 shares 北陸";
  EXPECT_EQ(visible(bureau_kanto_, op_a_), -1);
  EXPECT_EQ(visible(operator_b_, op_a_), -1);
  EXPECT_EQ(visible(reviewers_[0], op_a_), -1);
  EXPECT_EQ(visible(bureau_chubu_, op_b_), 1);
  EXPECT_EQ(visible(bureau_kinki_, op_b_), -1);
  EXPECT_EQ(visible(operator_a_, op_b_), -1);
  // One entry by id answers as absent out of reach.
  auto found = find_support_log(tx(), principal(operator_b_), a);
  ASSERT_OK(found);
  EXPECT_FALSE(found->has_value());
  found = find_support_log(tx(), principal(bureau_kinki_), a);
  ASSERT_OK(found);
  EXPECT_TRUE(found->has_value());
}

TEST_F(SupportTest, OnlyTheSecretariatWritesTheLog) {
  ExpectError(log_support(tx(), principal(meti_), op_a_, entry("2027-01-20", "確認"), published_), ErrorCode::kPermissionDenied, "伴走支援の記録を変更する権限がありません");
  ExpectError(log_support(tx(), principal(operator_a_), op_a_, entry("2027-01-20", "確認"), published_),
              ErrorCode::kPermissionDenied, "伴走支援の記録を変更する権限がありません");
  ExpectError(log_support(tx(), principal(bureau_chubu_), op_a_, entry("2027-01-20", "確認"), published_),
              ErrorCode::kPermissionDenied, "伴走支援の記録を変更する権限がありません");
  ExpectError(log_support(tx(), principal(operator_b_), op_a_, entry("2027-01-20", "確認"), published_),
              ErrorCode::kNotFound, "実証事業者が見つかりません");
  EXPECT_EQ(count("SELECT COUNT(*) FROM support_logs"), 0);
  std::int64_t id = logged(op_a_, entry("2027-01-20", "確認"));
  EXPECT_EQ(audit_count("operation.support_log", fmt::format("support_log:{}", id)), 1);
}

TEST_F(SupportTest, TheFormReportsEveryProblemAtOnceInJapanese) {
  SupportLog out;
  auto errors = read_support_log({"", "", "  ", "", "", "2027-13-01", ""}, out);
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& e : errors) got.emplace_back(e.field, e.message);
  std::vector<std::pair<std::string, std::string>> expected = {
      {"held_on", "実施日を入力してください"},
      {"kind", "支援の種類を選んでください"},
      {"topic", "テーマを入力してください"},
      {"next_step_due", "期限は 2026-12-25 の形式で入力してください"},
  };
  EXPECT_EQ(got, expected);
  errors = read_support_log({"2027-01-20", "visit", "訪問", "", "資料の確認", "", ""}, out);
  got.clear();
  for (const auto& e : errors) got.emplace_back(e.field, e.message);
  expected = {{"next_step_due", "次のアクションの期限を入力してください"},
              {"next_step_owner", "次のアクションの担当者を選んでください"}};
  EXPECT_EQ(got, expected);
  errors = read_support_log({"2027-01-20", "phone", "電話", "", "", "2027-02-01", ""}, out);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "期限や担当者を指定するときは次のアクションを入力してください");
  EXPECT_TRUE(read_support_log({"2027-01-20", "online", "オンライン面談", "", "", "", ""}, out).empty());
  EXPECT_EQ(out.kind, SupportKind::kOnline);
}

TEST_F(SupportTest, ANextStepIsOwnedByASecretariatUserAndItsOwnerIsNotified) {
  auto refused = log_support(tx(), principal(secretariat_), op_a_, entry("2027-01-20", "訪問", operator_a_), published_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "次のアクションの担当者は事務局のユーザーから選んでください");
  auto before = count("SELECT COUNT(*) FROM notifications WHERE user_id = ?", {secretariat2_});
  logged(op_a_, entry("2027-01-20", "訪問", secretariat2_));
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE user_id = ?", {secretariat2_}), before + 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND link LIKE ?",
                  {secretariat2_, fmt::format("%/operations/operators/{}/support", op_a_)}),
            1);
  // Owning one's own step notifies nobody.
  auto mine = count("SELECT COUNT(*) FROM notifications WHERE user_id = ?", {secretariat_});
  logged(op_a_, entry("2027-01-21", "電話", secretariat_));
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE user_id = ?", {secretariat_}), mine);
}

TEST_F(SupportTest, TheToDoListHoldsTheOwnersOpenStepsAndMilestonesByDueDate) {
  std::int64_t late = logged(op_a_, entry("2027-01-20", "訪問", secretariat2_, "2027-01-25"));
  std::int64_t later = logged(op_b_, entry("2027-01-21", "電話", secretariat2_, "2027-02-10"));
  std::int64_t done = logged(op_c_, entry("2027-01-22", "メール", secretariat2_, "2027-01-30"));
  logged(op_c_, entry("2027-01-22", "他の人", secretariat_, "2027-01-23"));
  ASSERT_OK(complete_next_step(tx(), principal(secretariat2_), done, published_ + days{10}));
  auto insert_milestone = [&](const char* title, const char* due, const char* status) {
    ASSERT_OK(tx().exec(
        "INSERT INTO milestones (operator_id, title, due_on, owner_user_id, status, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, '2027-01-15T00:00:00Z', '2027-01-15T00:00:00Z')",
        {op_b_, std::string(title), std::string(due), secretariat2_, std::string(status)}));
  };
  insert_milestone("中間報告", "2027-02-01", "in_progress");
  insert_milestone("完了した報告", "2027-01-20", "done");
  insert_milestone("中止した報告", "2027-01-20", "cancelled");
  auto items = todo(tx(), principal(secretariat2_), *Date::parse("2027-01-28"));
  ASSERT_OK(items);
  ASSERT_EQ(items->size(), 3u);
  EXPECT_EQ((*items)[0].kind, TodoItem::Kind::kNextStep);
  EXPECT_EQ((*items)[0].id, late);
  EXPECT_EQ((*items)[0].title, "訪問のフォロー");
  EXPECT_TRUE((*items)[0].overdue);
  EXPECT_EQ((*items)[1].kind, TodoItem::Kind::kMilestone);
  EXPECT_EQ((*items)[1].title, "中間報告");
  EXPECT_EQ((*items)[1].detail, "進行中");
  EXPECT_FALSE((*items)[1].overdue);
  EXPECT_EQ((*items)[2].id, later);
  EXPECT_EQ((*items)[2].operator_name, load(op_b_).name);
  // Marked done, the step leaves the list; done twice is refused.
  ASSERT_OK(complete_next_step(tx(), principal(secretariat2_), late, published_ + days{14}));
  ExpectError(complete_next_step(tx(), principal(secretariat2_), late, published_ + days{14}), ErrorCode::kConflict, "この次のアクションは完了済みです");
  items = todo(tx(), principal(secretariat2_), *Date::parse("2027-01-28"));
  ASSERT_OK(items);
  EXPECT_EQ(items->size(), 2u);
  EXPECT_EQ(audit_count("operation.next_step_done", fmt::format("support_log:{}", late)), 1);
  // Nobody else finishes someone's step but the secretariat.
  ExpectError(complete_next_step(tx(), principal(operator_b_), later, published_), ErrorCode::kPermissionDenied, "伴走支援の記録を変更する権限がありません");
  ExpectError(complete_next_step(tx(), principal(operator_a_), later, published_), ErrorCode::kNotFound, "実証事業者が見つかりません");
}

TEST_F(SupportTest, MentoringRecordsKeepTheirSessionsAndAreAudited) {
  Mentoring m;
  auto errors = read_mentoring({"", "unknown", "", "abc"}, m);
  std::vector<std::string> messages;
  for (const auto& e : errors) messages.push_back(e.message);
  EXPECT_EQ(messages, (std::vector<std::string>{"スタートアップ名を入力してください", "ステージを選んでください",
                                               "メンターを一覧から選んでください"}));
  ASSERT_TRUE(read_mentoring({"株式会社まなびラボ", "new_to_education", "教材の有料化", std::to_string(secretariat2_)}, m).empty());
  ExpectError(create_mentoring(tx(), principal(meti_), op_a_, m, published_), ErrorCode::kPermissionDenied, "伴走支援の記録を変更する権限がありません");
  auto id = create_mentoring(tx(), principal(secretariat_), op_a_, m, published_);
  ASSERT_OK(id);
  MentoringSession s;
  ASSERT_TRUE(read_mentoring_session({"2027-01-30", "価格設定を相談", "提案資料"}, s).empty());
  ASSERT_OK(add_mentoring_session(tx(), principal(secretariat_), *id, s, published_));
  auto list = mentorings(tx(), principal(bureau_kinki_), op_a_);
  ASSERT_OK(list);
  ASSERT_TRUE(list->has_value());
  ASSERT_EQ((*list)->size(), 1u);
  EXPECT_EQ((**list)[0].stage, StartupStage::kNewToEducation);
  ASSERT_EQ((**list)[0].sessions.size(), 1u);
  EXPECT_EQ((**list)[0].sessions[0].notes, "価格設定を相談");
  auto hidden = mentorings(tx(), principal(operator_b_), op_a_);
  ASSERT_OK(hidden);
  EXPECT_FALSE(hidden->has_value());
  EXPECT_EQ(audit_count("operation.mentoring", fmt::format("mentoring:{}", *id)), 1);
  EXPECT_EQ(audit_count("operation.mentoring_session", fmt::format("mentoring:{}", *id)), 1);
}

}  // namespace
}  // namespace kakehashi::operations::testing
