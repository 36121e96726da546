#include "auth/policy.h"

#include <gtest/gtest.h>

namespace kakehashi::auth {
namespace {

Principal person(std::set<Role> roles, std::optional<std::int64_t> org = std::nullopt,
                 std::optional<std::string> block = std::nullopt) {
  return Principal{1, "テスト", std::move(roles), org, std::move(block)};
}

TEST(Policy, EveryRoleSeesTheDashboard) {
  for (const auto& info : kRoles) {
    EXPECT_TRUE(allowed(person({info.role}), Action::kViewDashboard)) << info.id;
  }
}

TEST(Policy, NobodyWithoutARoleIsAllowedAnything) {
  for (const Grant& grant : policy_table()) EXPECT_FALSE(allowed(person({}), grant.action));
}

TEST(Policy, AuditLogOnlyForSecurityOfficerAndMeti) {
  for (const auto& info : kRoles) {
    bool expected = info.role == Role::kSecurityOfficer || info.role == Role::kMeti;
    EXPECT_EQ(allowed(person({info.role}), Action::kViewAuditLog), expected) << info.id;
  }
  EXPECT_FALSE(allowed(person({Role::kMeti}), Action::kVerifyAuditLog));
}

TEST(Policy, OperatorSeesOnlyItsOwnOrganisation) {
  Principal operator_user = person({Role::kOperator}, 7);
  EXPECT_TRUE(allowed(operator_user, Action::kViewOrganisation, {.organisation_id = 7}));
  EXPECT_FALSE(allowed(operator_user, Action::kViewOrganisation, {.organisation_id = 8}));
  EXPECT_FALSE(allowed(operator_user, Action::kViewOrganisation, {}));
  EXPECT_FALSE(allowed(person({Role::kOperator}), Action::kViewOrganisation, {.organisation_id = 7}));
}

TEST(Policy, BureauIsScopedToItsBlock) {
  Principal bureau = person({Role::kBureau}, std::nullopt, "tohoku");
  EXPECT_TRUE(allowed(bureau, Action::kViewOrganisation, {.block_id = "tohoku"}));
  EXPECT_FALSE(allowed(bureau, Action::kViewOrganisation, {.block_id = "kanto"}));
}

TEST(Policy, MayIsTheRouteGateForScopedGrants) {
  // An operator may apply (for their own organisation only): the route lets them in, the
  // object check decides.
  Principal operator_user = person({Role::kOperator}, 7);
  EXPECT_TRUE(may(operator_user, Action::kApply));
  EXPECT_FALSE(allowed(operator_user, Action::kApply));
  EXPECT_TRUE(allowed(operator_user, Action::kApply, {.organisation_id = 7}));
  EXPECT_FALSE(allowed(operator_user, Action::kApply, {.organisation_id = 8}));
  // Nobody else may apply; reviewers may read applications only as the assigned owner.
  for (const auto& info : kRoles) EXPECT_EQ(may(person({info.role}), Action::kApply), info.role == Role::kOperator) << info.id;
  Principal reviewer = person({Role::kReviewer});
  EXPECT_TRUE(may(reviewer, Action::kViewApplication));
  EXPECT_FALSE(allowed(reviewer, Action::kViewApplication, {.owner_user_id = 2}));
  EXPECT_TRUE(allowed(reviewer, Action::kViewApplication, {.owner_user_id = 1}));
  EXPECT_FALSE(may(reviewer, Action::kDecideSelection));
  EXPECT_FALSE(may(person({Role::kSecretariat}), Action::kApproveSelection));
  EXPECT_TRUE(may(person({Role::kMeti}), Action::kApproveSelection));
}

TEST(Policy, SeveralRolesCombine) {
  Principal both = person({Role::kReviewer, Role::kSecretariat});
  EXPECT_TRUE(allowed(both, Action::kManageUsers));
  EXPECT_FALSE(allowed(person({Role::kReviewer}), Action::kManageUsers));
}

TEST(Roles, IdsRoundTrip) {
  for (const auto& info : kRoles) {
    EXPECT_EQ(role_from_id(info.id), info.role);
    EXPECT_EQ(role_id(info.role), info.id);
  }
  EXPECT_FALSE(role_from_id("admin"));
}

}  // namespace
}  // namespace kakehashi::auth
