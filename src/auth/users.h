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
  // An Argon2id hash made beforehand (hash_password), outside any transaction: create_user then
  // neither checks nor hashes `password`, so no write lock is held during the hashing.
  std::optional<std::string> password_hash;
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

}  // namespace kakehashi::auth

// ---------------------------------------------------------------------------------------------
// Look-ups for other modules. The users and organisations tables belong to auth: the call
// module (its rules and screens) reads them only through these functions.
#include <map>

namespace kakehashi::auth {

// A user as another module names them: no e-mail, no roles.
struct UserName {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> block_id;
};

// The ids of the active users of an organisation, ascending.
[[nodiscard]] Result<std::vector<std::int64_t>> active_users_of(db::Transaction& tx, std::int64_t organisation_id);
// The active users holding `role`, by id; `block_id` keeps only that block's (bureaus).
[[nodiscard]] Result<std::vector<UserName>> users_with_role(db::Transaction& tx, Role role,
                                                            const std::optional<std::string>& block_id = std::nullopt);
// True when the user exists, is active and holds `role`.
[[nodiscard]] Result<bool> has_active_role(db::Transaction& tx, std::int64_t user_id, Role role);
// The names of the given users, active or not, by id (unknown ids are absent).
[[nodiscard]] Result<std::map<std::int64_t, std::string>> user_names(db::Transaction& tx,
                                                                     const std::vector<std::int64_t>& user_ids);
// The organisation's name, or nullopt when there is none with that id.
[[nodiscard]] Result<std::optional<std::string>> organisation_name(db::Transaction& tx, std::int64_t organisation_id);
// The names of the given organisations, by id (unknown ids are absent).
[[nodiscard]] Result<std::map<std::int64_t, std::string>> organisation_names(
    db::Transaction& tx, const std::vector<std::int64_t>& organisation_ids);

}  // namespace kakehashi::auth
