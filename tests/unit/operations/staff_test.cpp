// The programme's staff (issue 15, R1.3): secretariat manages, METI / secretariat / security
// officer read; shares of time 0–100 %; an optional link to a secretariat or security-officer
// account, never the same account for two active members; every change audited.
#include <gtest/gtest.h>

#include "operations/staff.h"
#include "support/result.h"
#include "unit/operations/fixture.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::operations::testing {
namespace {

class StaffTest : public ProgrammeFixture {};

TEST_F(StaffTest, TheSecretariatAddsChangesAndDeactivatesStaffWithAudit) {
  StaffMember m{0, "架橋 一太", "統括責任者", 30, secretariat_, true};
  ExpectError(add_staff(tx(), principal(meti_), m, published_), ErrorCode::kPermissionDenied, "体制を変更する権限がありません");
  auto id = add_staff(tx(), principal(secretariat_), m, published_);
  ASSERT_OK(id);
  m.share_percent = 50;
  ASSERT_OK(update_staff(tx(), principal(secretariat_), *id, m, published_));
  ASSERT_OK(set_staff_active(tx(), principal(secretariat_), *id, false, published_));
  auto list = list_staff(tx(), principal(meti_));
  ASSERT_OK(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].share_percent, 50);
  EXPECT_FALSE((*list)[0].active);
  ExpectError(list_staff(tx(), principal(operator_a_)), ErrorCode::kPermissionDenied, "体制を閲覧する権限がありません");
  for (const char* action : {"operation.staff", "operation.staff_update", "operation.staff_active"})
    EXPECT_EQ(audit_count(action, fmt::format("staff:{}", *id)), 1) << action;
}

TEST_F(StaffTest, TheFormAndTheAccountLinkAreChecked) {
  StaffMember out;
  auto errors = read_staff({" ", "", 120, "x"}, out);
  std::vector<std::string> messages;
  for (const auto& e : errors) messages.push_back(e.message);
  EXPECT_EQ(messages, (std::vector<std::string>{"氏名を入力してください", "役割を入力してください",
                                               "従事割合は 0〜100 の整数で入力してください",
                                               "アカウントを一覧から選んでください"}));
  StaffMember linked{0, "実証 五郎", "担当者", 100, operator_a_, true};
  auto refused = add_staff(tx(), principal(secretariat_), linked, published_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "アカウントは事務局・情報セキュリティ責任者のユーザーから選んでください");
  ASSERT_OK(add_staff(tx(), principal(secretariat_), {0, "事務 次郎", "事務局長", 100, secretariat_, true}, published_));
  refused = add_staff(tx(), principal(secretariat_), {0, "別人", "担当者", 100, secretariat_, true}, published_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "このアカウントはすでに別の体制メンバーに紐づいています");
}

}  // namespace
}  // namespace kakehashi::operations::testing
