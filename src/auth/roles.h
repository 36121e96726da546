// The roles of REQUIREMENTS.md ("Users and roles"). A person may hold several.
#pragma once

#include <array>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace kakehashi::auth {

enum class Role { kMeti, kBureau, kSecretariat, kSecurityOfficer, kReviewer, kOperator, kParticipant };

struct RoleInfo {
  Role role;
  std::string_view id;     // stored in user_roles.role and typed on the CLI
  std::string_view label;  // shown in the UI
};

inline constexpr std::array<RoleInfo, 7> kRoles{{
    {Role::kMeti, "meti", "経済産業省"},
    {Role::kBureau, "bureau", "経済産業局"},
    {Role::kSecretariat, "secretariat", "事務局"},
    {Role::kSecurityOfficer, "security_officer", "情報管理責任者"},
    {Role::kReviewer, "reviewer", "外部審査委員"},
    {Role::kOperator, "operator", "実証事業者"},
    {Role::kParticipant, "participant", "参加者（企業・自治体・学校）"},
}};

std::optional<Role> role_from_id(std::string_view id);
std::string_view role_id(Role role);
std::string_view role_label(Role role);

// The signed-in person as every handler and service sees them.
struct Principal {
  std::int64_t user_id = 0;
  std::string name;
  std::set<Role> roles;
  std::optional<std::int64_t> organisation_id;
  std::optional<std::string> block_id;  // a bureau user's block

  bool has(Role role) const { return roles.contains(role); }
};

}  // namespace kakehashi::auth
