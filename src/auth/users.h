// Users and organisations: creation with validation and audit, look-up for login and the UI.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "auth/roles.h"
#include "db/database.h"

namespace kakehashi::auth {

struct NewUser {
  std::string email;
  std::string name;
  std::string password;
  std::set<Role> roles;
  std::optional<std::int64_t> organisation_id;
  std::optional<std::string> block_id;
};

struct User {
  std::int64_t id = 0;
  std::string email;
  std::string name;
  std::set<Role> roles;
  std::optional<std::int64_t> organisation_id;
  std::optional<std::string> organisation_name;
  std::optional<std::string> block_id;
  bool active = true;
};

struct Organisation {
  std::int64_t id = 0;
  std::string name;
  std::string kind;  // organisations.kind
  std::optional<std::string> block_id;
};

// Validates and stores a user in `tx` with an audit entry by `actor`.
// Errors (Japanese): malformed e-mail, empty name, short password, no role, a duplicate e-mail.
[[nodiscard]] Result<std::int64_t> create_user(db::Transaction& tx, const NewUser& user, const audit::Actor& actor,
                                               std::chrono::sys_seconds now);

// Finds or creates an organisation by exact name; a creation is audited as done by `actor`.
[[nodiscard]] Result<std::int64_t> ensure_organisation(db::Transaction& tx, const std::string& name,
                                                       const std::string& kind,
                                                       const std::optional<std::string>& block_id,
                                                       const audit::Actor& actor, std::chrono::sys_seconds now);

[[nodiscard]] Result<std::optional<User>> find_user(db::Transaction& tx, std::int64_t id);
[[nodiscard]] Result<std::vector<User>> list_users(db::Transaction& tx, int limit, int offset);
[[nodiscard]] Result<std::int64_t> count_users(db::Transaction& tx);

// The Principal of an active user, or nullopt.
[[nodiscard]] Result<std::optional<Principal>> load_principal(db::Transaction& tx, std::int64_t user_id);

// The organisations.kind a new organisation gets from the roles of its first user.
std::string organisation_kind_for(const std::set<Role>& roles);

// True for a syntactically plausible address (one @, no spaces, a dot in the domain).
bool is_plausible_email(std::string_view email);

// The names of the users with `ids` (deactivated ones too; unknown ids are left out), for
// screens and exports that show who did what (the audit log).
[[nodiscard]] Result<std::map<std::int64_t, std::string>> user_names(db::Transaction& tx,
                                                                     std::span<const std::int64_t> ids);

}  // namespace kakehashi::auth
