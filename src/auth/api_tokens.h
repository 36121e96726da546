// Personal API tokens: a person makes one on their own page (or the console with `kakehashi
// token create`) to call /api/v1 with `Authorization: Bearer kk_<id>_<secret>`. The request then
// runs as that person, with their roles and scopes unchanged. The secret (256 random bits) is
// shown once; only its SHA-256 is stored, and the check compares it in constant time after the
// row is found by its id. A token expires (at most kMaxTokenDays after it is made), can be
// revoked by its owner or by someone who may manage the owner's account, and stops working when
// the owner is deactivated. Every creation and revocation is audited (never the secret).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "auth/grants.h"
#include "auth/roles.h"
#include "db/database.h"

namespace kakehashi::auth {

inline constexpr int kMaxTokenDays = 365;      // the longest (and default) validity
inline constexpr std::string_view kTokenPrefix = "kk_";

enum class TokenState { kActive, kExpired, kRevoked };

struct ApiToken {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string name;
  std::chrono::sys_seconds created_at{};
  std::chrono::sys_seconds expires_at{};
  std::optional<std::chrono::sys_seconds> last_used_at;
  std::optional<std::chrono::sys_seconds> revoked_at;

  TokenState state(std::chrono::sys_seconds now) const {
    if (revoked_at) return TokenState::kRevoked;
    return now >= expires_at ? TokenState::kExpired : TokenState::kActive;
  }
};

// 有効 / 期限切れ / 失効
std::string_view token_state_label(TokenState state);

// What a person types to make a token: its name and its validity in days (as typed).
struct NewTokenForm {
  std::string name;
  std::string days;  // empty: kMaxTokenDays
};

// A problem with one field ("name" or "days"), Japanese.
struct TokenFieldProblem {
  std::string field;
  std::string message;
};

// Every problem of the form, in form order: a name of 1 to 100 characters, days a whole number
// from 1 to kMaxTokenDays.
std::vector<TokenFieldProblem> check_new_token(const NewTokenForm& form);

// A token just made: the stored row and the whole token text, which exists only here.
struct IssuedToken {
  ApiToken token;
  std::string secret;  // "kk_<id>_<43 characters>"
};

// Makes a token for `user_id` (an active user) as check_new_token allows (the first problem as an
// invalid-argument error), audited as "api_token.create" on "api_token:<id>" by `actor` with the
// owner's id and the validity (never the secret or the name).
[[nodiscard]] Result<IssuedToken> create_api_token(db::Transaction& tx, std::int64_t user_id, const NewTokenForm& form,
                                                   const audit::Actor& actor, std::chrono::sys_seconds now);

// The tokens of `user_id`, newest first, whatever their state.
[[nodiscard]] Result<std::vector<ApiToken>> list_api_tokens(db::Transaction& tx, std::int64_t user_id);

[[nodiscard]] Result<std::optional<ApiToken>> find_api_token(db::Transaction& tx, std::int64_t token_id);

// True when `granter` may revoke the tokens of `owner_id`: the owner themself, the console, or a
// person who holds users.manage and may manage the owner's account (grants.h check_manage).
[[nodiscard]] Result<bool> may_revoke_tokens_of(db::Transaction& tx, const Granter& granter, std::int64_t owner_id);

// Revokes token `token_id` as `granter` may (may_revoke_tokens_of; otherwise not found, as for a
// token that does not exist). Audited as "api_token.revoke" with the owner's id and whether the
// owner did it. Already revoked: nothing written.
[[nodiscard]] Result<void> revoke_api_token(db::Transaction& tx, std::int64_t token_id, const Granter& granter,
                                            std::chrono::sys_seconds now);

// The person a bearer token stands for, or nullopt when the text is no token of ours, or the token
// is unknown, revoked or expired, or its owner is inactive. Notes the use (last_used_at, at most
// once a minute).
[[nodiscard]] Result<std::optional<Principal>> authenticate_api_token(db::Database& database, std::string_view token,
                                                                      std::chrono::sys_seconds now);

}  // namespace kakehashi::auth
