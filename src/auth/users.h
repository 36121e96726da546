// Users: creation and changes within the grant table (grants.h), with validation and audit;
// look-up for login and the UI. Organisations are in organisations.h.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "auth/grants.h"
#include "auth/organisations.h"
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
  // The Argon2id hash of `password`, made beforehand by with_password_hash (or hash_password),
  // outside any transaction: create_user refuses a user without it and never hashes, so no
  // write lock is held during the hashing (issue 13 item 4).
  std::optional<std::string> password_hash;
};

struct User {
  std::int64_t id = 0;
  std::string email;
  std::string name;
  std::set<Role> roles;
  std::optional<std::int64_t> organisation_id;
  std::optional<std::string> organisation_name;
  // The older organisation whose name nearly equals this user's organisation's (a warning).
  std::optional<std::string> organisation_similar_to;
  std::optional<std::string> block_id;
  bool active = true;
};

// One problem with one field of a user form ("email", "name", "password", "roles", "block"),
// so a screen can show it beside the field. `error.code` is kInvalidArgument, kConflict (an
// e-mail already registered) or kPermissionDenied (a role the granter may not give).
struct FieldError {
  std::string field;
  Error error;
};

// Every problem with a new user: the fields, the e-mail's uniqueness and the roles against the
// grant table (grants.h). Empty when create_user would accept the user.
[[nodiscard]] Result<std::vector<FieldError>> check_new_user(db::Transaction& tx, const NewUser& user,
                                                             const Granter& granter);

// `user` with password_hash set: checks the password (check_new_password; the first problem as
// the error) and hashes it with Argon2id. Heavy (a fraction of a second, 64 MiB): call it before
// opening the transaction for create_user, and in screens under a WorkKind::kPassword slot. A
// user that already has a hash is returned as it is.
[[nodiscard]] Result<NewUser> with_password_hash(NewUser user);

// Validates and stores a user in `tx` (the name cleaned by text::clean_name) with an audit entry
// by the granter. Refuses what check_new_user reports, the first problem as the error (Japanese):
// malformed e-mail, empty name, short password, no role, a bureau without block (invalid), a
// duplicate e-mail (conflict), a role the granter may not give (permission denied). The password
// must already be hashed (with_password_hash): a user without password_hash is an internal error
// and nothing is written.
[[nodiscard]] Result<std::int64_t> create_user(db::Transaction& tx, const NewUser& user, const Granter& granter,
                                               std::chrono::sys_seconds now);

// What an administrator may change about an existing user.
struct UserChange {
  std::string name;
  std::set<Role> roles;
  std::optional<std::int64_t> organisation_id;
  std::optional<std::string> block_id;
};

// Every problem with changing user `user_id` as `change` says: the fields, and whether the
// granter may manage that user (check_manage) and give the new roles (check_grant). Not found
// when the user does not exist.
[[nodiscard]] Result<std::vector<FieldError>> check_user_change(db::Transaction& tx, std::int64_t user_id,
                                                                const UserChange& change, const Granter& granter);

// Changes the user's name, roles, organisation and block; refuses what check_user_change
// reports. Audited as "user.update" with before/after of the roles, organisation and block ids
// (and "name_changed", never the name itself). Nothing changed: nothing written.
[[nodiscard]] Result<void> update_user(db::Transaction& tx, std::int64_t user_id, const UserChange& change,
                                       const Granter& granter, std::chrono::sys_seconds now);

// Deactivates (ending every session of the user at once) or reactivates a user, as the granter
// may (check_manage: never oneself). Audited as "user.deactivate" / "user.reactivate" with the
// state before and after and the number of sessions ended. Already so: nothing written.
[[nodiscard]] Result<void> set_user_active(db::Transaction& tx, std::int64_t user_id, bool active,
                                           const Granter& granter, std::chrono::sys_seconds now);

// A search of the user list: `text` matches part of the name (compared cleaned) or of the e-mail
// address (case-insensitive); empty matches everyone.
struct UserSearch {
  std::string text;
};

[[nodiscard]] Result<std::optional<User>> find_user(db::Transaction& tx, std::int64_t id);
// The user with this e-mail address (compared case-insensitively), active or not.
[[nodiscard]] Result<std::optional<User>> find_user_by_email(db::Transaction& tx, const std::string& email);
// Users by id, a page of `limit` from `offset`, matching `search`.
[[nodiscard]] Result<std::vector<User>> list_users(db::Transaction& tx, int limit, int offset,
                                                  const UserSearch& search = {});
[[nodiscard]] Result<std::int64_t> count_users(db::Transaction& tx, const UserSearch& search = {});

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
