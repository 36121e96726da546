// The grant table, walked whole: every granter role against every role.
#include "auth/grants.h"

#include <gtest/gtest.h>

#include <map>

#include "support/result.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::auth {
namespace {

using enum Role;

Principal person(std::set<Role> roles, std::int64_t id = 1) { return Principal{id, "テスト", std::move(roles), {}, {}}; }

// What each role may give, written out independently of grants.cpp: a change to the table must
// change this too.
const std::map<Role, std::set<Role>> kExpected{
    {kMeti, {kMeti, kBureau}},
    {kBureau, {}},
    {kSecretariat, {kBureau, kReviewer, kOperator, kParticipant}},
    {kSecurityOfficer, {kSecretariat, kSecurityOfficer}},
    {kReviewer, {}},
    {kOperator, {}},
    {kParticipant, {}},
};

TEST(Grants, EveryGranterRoleAgainstEveryRole) {
  ASSERT_EQ(kExpected.size(), kRoles.size());
  for (const auto& granter : kRoles) {
    Granter g = Granter::person(person({granter.role}));
    for (const auto& role : kRoles) {
      bool expected = kExpected.at(granter.role).contains(role.role);
      EXPECT_EQ(may_grant(g, role.role), expected) << granter.id << " gives " << role.id;
      EXPECT_EQ(check_grant(g, {role.role}).has_value(), expected) << granter.id << " gives " << role.id;
    }
    EXPECT_EQ(grantable_roles(g), kExpected.at(granter.role)) << granter.id;
  }
}

TEST(Grants, NobodyGivesARoleAboveTheirOwn) {
  for (const RoleGrant& grant : grant_table()) {
    EXPECT_LE(role_rank(grant.role), role_rank(grant.granter))
        << role_id(grant.granter) << " gives " << role_id(grant.role);
  }
}

TEST(Grants, MetiAccountsOnlyFromMetiOrTheConsole) {
  for (const auto& info : kRoles) {
    EXPECT_EQ(may_grant(Granter::person(person({info.role})), kMeti), info.role == kMeti) << info.id;
  }
  EXPECT_TRUE(may_grant(Granter::console(), kMeti));
  EXPECT_FALSE(may_grant(Granter::self_sign_up(), kMeti));
  // The 2024 finding: the secretariat and the security officer together still cannot mint METI.
  EXPECT_FALSE(may_grant(Granter::person(person({kSecretariat, kSecurityOfficer})), kMeti));
}

TEST(Grants, TheConsoleGivesAnyRoleAndASignUpOnlyOperator) {
  for (const auto& info : kRoles) {
    EXPECT_TRUE(may_grant(Granter::console(), info.role)) << info.id;
    EXPECT_EQ(may_grant(Granter::self_sign_up(), info.role), info.role == kOperator) << info.id;
  }
}

TEST(Grants, SeveralRolesCombine) {
  Granter both = Granter::person(person({kSecretariat, kSecurityOfficer}));
  EXPECT_EQ(grantable_roles(both), (std::set<Role>{kSecretariat, kSecurityOfficer, kBureau, kReviewer, kOperator,
                                                   kParticipant}));
}

TEST(Grants, RefusalNamesTheRoleInJapanese) {
  auto refused = check_grant(Granter::person(person({kSecretariat})), {kOperator, kMeti});
  ASSERT_FALSE(refused);
  ExpectError(refused, ErrorCode::kPermissionDenied, "「経済産業省」のロールを付与する権限がありません");
}

TEST(Grants, NobodyManagesTheirOwnAccount) {
  for (const auto& info : kRoles) {
    Granter self = Granter::person(person({info.role}, 7));
    auto refused = check_manage(self, 7, {info.role});
    ASSERT_FALSE(refused) << info.id;
    ExpectError(refused, ErrorCode::kPermissionDenied, kOwnAccountMessage);
  }
  // The security officer manages other security officers, never themselves.
  EXPECT_TRUE(check_manage(Granter::person(person({kSecurityOfficer}, 7)), 8, {kSecurityOfficer}));
}

TEST(Grants, ManagingAUserNeedsEveryOneOfTheirRoles) {
  Granter secretariat = Granter::person(person({kSecretariat}));
  EXPECT_TRUE(check_manage(secretariat, 2, {kOperator, kReviewer}));
  auto meti = check_manage(secretariat, 2, {kMeti});
  ASSERT_FALSE(meti);
  ExpectError(meti, ErrorCode::kPermissionDenied, "「経済産業省」のロールを持つユーザーを変更する権限がありません");
  EXPECT_FALSE(check_manage(secretariat, 2, {kReviewer, kSecretariat}));
  EXPECT_FALSE(check_manage(Granter::self_sign_up(), 2, {kOperator}));
  EXPECT_TRUE(check_manage(Granter::console(), 2, {kMeti}));
}

TEST(Grants, ActorsForTheAuditLog) {
  EXPECT_EQ(Granter::person(person({kMeti}, 12)).actor().name, "user:12");
  EXPECT_EQ(Granter::person(person({kMeti}, 12)).actor().user_id, 12);
  EXPECT_EQ(Granter::console().actor().name, "system");
  EXPECT_EQ(Granter::self_sign_up().actor().name, "visitor");
}

}  // namespace
}  // namespace kakehashi::auth
