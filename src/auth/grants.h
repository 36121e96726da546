// Who may give whom which role: one table (grants.cpp) that the user services consult for every
// account created or changed, whoever calls them (a screen, the CLI, a sign-up form).
#pragma once

#include <optional>
#include <set>
#include <span>
#include <string>

#include "audit/audit.h"
#include "auth/roles.h"
#include "base/result.h"

namespace kakehashi::auth {

// The one doing the granting.
class Granter {
 public:
  enum class Kind {
    kPerson,      // a signed-in user: the grant table decides by their roles
    kConsole,     // the CLI on the server (`kakehashi user add`, `kakehashi demo`): any role
    kSelfSignUp,  // an anonymous visitor signing up their own new organisation: operator only
  };

  static Granter person(const Principal& who) { return Granter(Kind::kPerson, who); }
  static Granter console() { return Granter(Kind::kConsole, {}); }
  static Granter self_sign_up() { return Granter(Kind::kSelfSignUp, {}); }

  Kind kind() const { return kind_; }
  // The signed-in person, for kPerson.
  const Principal& principal() const { return principal_; }
  // Who the audit log names: the user, "system" for the console, "visitor" for a sign-up.
  audit::Actor actor() const;

 private:
  Granter(Kind kind, Principal principal) : kind_(kind), principal_(std::move(principal)) {}
  Kind kind_;
  Principal principal_;
};

// One line of the grant table: holders of `granter` may give `role` to another person.
struct RoleGrant {
  Role granter;
  Role role;
};

// The whole table (signed-in people); the console and the sign-up are fixed in may_grant.
std::span<const RoleGrant> grant_table();

// How far up a role reaches: a grant never gives a role ranked above the granter's own (the
// test walks the table against it). METI 4; secretariat and security officer 3; bureau 2;
// reviewer, operator and participant 1.
int role_rank(Role role);

// True when `granter` may give `role` (to someone else: nobody changes their own roles).
bool may_grant(const Granter& granter, Role role);

// The roles `granter` may give, in kRoles order (what a form offers).
std::set<Role> grantable_roles(const Granter& granter);

// Ok when `granter` may give every role of `roles`; otherwise kPermissionDenied naming the
// first role that is not theirs to give (Japanese).
[[nodiscard]] Result<void> check_grant(const Granter& granter, const std::set<Role>& roles);

// Ok when `granter` may manage the account `user_id` holding `roles` (edit it, change its roles,
// deactivate or reactivate it): never their own account (separation of duties), and only an
// account whose every role they could give. Errors are kPermissionDenied in Japanese.
[[nodiscard]] Result<void> check_manage(const Granter& granter, std::int64_t user_id, const std::set<Role>& roles);

inline constexpr std::string_view kOwnAccountMessage =
    "自分自身のアカウントは変更できません（ロール・状態の変更は別の管理者に依頼してください）";

}  // namespace kakehashi::auth
