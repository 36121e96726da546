#include "auth/roles.h"

namespace kakehashi::auth {

std::optional<Role> role_from_id(std::string_view id) {
  for (const auto& info : kRoles) {
    if (info.id == id) return info.role;
  }
  return std::nullopt;
}

std::string_view role_id(Role role) {
  for (const auto& info : kRoles) {
    if (info.role == role) return info.id;
  }
  return "";
}

std::string_view role_label(Role role) {
  for (const auto& info : kRoles) {
    if (info.role == role) return info.label;
  }
  return "";
}

}  // namespace kakehashi::auth
