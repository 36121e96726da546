#include "auth/grants.h"

#include <fmt/format.h>

namespace kakehashi::auth {
namespace {

using enum Role;

// Read by granter: the roles each kind of user may give to another person. Nobody gives a role
// ranked above their own (role_rank); METI accounts come only from METI or the console.
constexpr RoleGrant kGrants[] = {
    // METI (the ministry) creates its own officials and the regional bureaus' accounts.
    {kMeti, kMeti},
    {kMeti, kBureau},

    // The secretariat runs the programme: the people it works with, never its own peers or
    // anyone who approves its work (METI) or audits it (the security officer).
    {kSecretariat, kBureau},
    {kSecretariat, kReviewer},
    {kSecretariat, kOperator},
    {kSecretariat, kParticipant},

    // The security officer (情報管理責任者) keeps the secretariat's staff. Once the
    // information-handler roster (R7, 様式4) lands, these two grants take effect only with METI's
    // consent to the roster change (R7.4).
    {kSecurityOfficer, kSecretariat},
    {kSecurityOfficer, kSecurityOfficer},
};

}  // namespace

audit::Actor Granter::actor() const {
  switch (kind_) {
    case Kind::kPerson:
      return audit::Actor::user(principal_.user_id);
    case Kind::kConsole:
      return audit::Actor::system();
    case Kind::kSelfSignUp:
      return audit::Actor{std::nullopt, "visitor"};
  }
  return audit::Actor::system();
}

std::span<const RoleGrant> grant_table() { return kGrants; }

int role_rank(Role role) {
  switch (role) {
    case kMeti: return 4;
    case kSecretariat:
    case kSecurityOfficer: return 3;
    case kBureau: return 2;
    case kReviewer:
    case kOperator:
    case kParticipant: return 1;
  }
  return 0;
}

bool may_grant(const Granter& granter, Role role) {
  switch (granter.kind()) {
    case Granter::Kind::kConsole:
      return true;  // whoever runs the CLI on the server already holds the database
    case Granter::Kind::kSelfSignUp:
      return role == kOperator;
    case Granter::Kind::kPerson:
      for (const RoleGrant& grant : kGrants) {
        if (grant.role == role && granter.principal().has(grant.granter)) return true;
      }
      return false;
  }
  return false;
}

std::set<Role> grantable_roles(const Granter& granter) {
  std::set<Role> roles;
  for (const auto& info : kRoles) {
    if (may_grant(granter, info.role)) roles.insert(info.role);
  }
  return roles;
}

Result<void> check_grant(const Granter& granter, const std::set<Role>& roles) {
  for (Role role : roles) {
    if (!may_grant(granter, role)) {
      return fail(Error::denied(fmt::format("「{}」のロールを付与する権限がありません", role_label(role))));
    }
  }
  return {};
}

Result<void> check_manage(const Granter& granter, std::int64_t user_id, const std::set<Role>& roles) {
  if (granter.kind() == Granter::Kind::kSelfSignUp) {
    return fail(Error::denied("このユーザーを変更する権限がありません"));
  }
  if (granter.kind() == Granter::Kind::kPerson && granter.principal().user_id == user_id) {
    return fail(Error::denied(std::string(kOwnAccountMessage)));
  }
  for (Role role : roles) {
    if (!may_grant(granter, role)) {
      return fail(Error::denied(
          fmt::format("「{}」のロールを持つユーザーを変更する権限がありません", role_label(role))));
    }
  }
  return {};
}

}  // namespace kakehashi::auth
