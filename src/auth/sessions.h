// Server-side sessions and login with lock-out.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "auth/roles.h"
#include "db/database.h"

namespace kakehashi::auth {

struct SessionPolicy {
  std::chrono::seconds idle_timeout{30 * 60};          // signed out after 30 minutes without a request
  std::chrono::seconds absolute_timeout{12 * 60 * 60}; // and 12 hours after signing in, whatever happens
  int max_failures = 5;                                // failed logins of one account before it is locked …
  std::chrono::seconds failure_window{15 * 60};        // … counted over this window, and the lock lasts as long
  // Failed logins from one address (an IPv6 /64) within failure_window after which its password
  // checks are spaced: at most one per address_spacing, the others answered at once with a
  // retry time. Never a lock: another account's right password gets through after the spacing.
  int address_max_failures = 50;
  std::chrono::seconds address_spacing{3};
};

// A notice for the next page ("success" / "error" / "info", and the Japanese text).
struct Flash {
  std::string kind;
  std::string message;
};

struct Session {
  std::string token;  // the cookie value; only known when the session was just created
  std::string id_hash;
  std::optional<std::int64_t> user_id;  // nullopt for a visitor (login form)
  std::string csrf_token;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::optional<Flash> flash;  // waiting to be shown once
};

// A new session with a 256-bit random id (only its SHA-256 is stored) and its own CSRF token.
[[nodiscard]] Result<Session> create_session(db::Transaction& tx, std::optional<std::int64_t> user_id,
                                             std::chrono::sys_seconds now);

// The session for a cookie value with its signed-in user (nullopt for a visitor or an inactive
// user), or nullopt when unknown or expired (expired ones are deleted). One query, since every
// request needs it; refreshes last_seen_at at most once a minute.
struct SignedIn {
  Session session;
  std::optional<Principal> principal;
};
[[nodiscard]] Result<std::optional<SignedIn>> find_signed_in(db::Database& database, const std::string& token,
                                                             std::chrono::sys_seconds now, const SessionPolicy& policy);

[[nodiscard]] Result<void> delete_session(db::Transaction& tx, const std::string& token);
// Keeps `flash` on the session `id_hash` until clear_flash (the next page shows it once).
[[nodiscard]] Result<void> set_flash(db::Transaction& tx, const std::string& id_hash, const Flash& flash);
[[nodiscard]] Result<void> clear_flash(db::Transaction& tx, const std::string& id_hash);
// Ends every session of `user_id` (deactivation); returns how many there were.
[[nodiscard]] Result<std::int64_t> end_sessions_of(db::Transaction& tx, std::int64_t user_id);
// Removes sessions past their timeouts, and failed-login and throttle records older than the
// failure window (run now and then by the server).
[[nodiscard]] Result<std::int64_t> purge_expired_sessions(db::Database& database, std::chrono::sys_seconds now,
                                                          const SessionPolicy& policy);

enum class LoginStatus {
  kSuccess,
  kBadCredentials,
  kLocked,     // the account: max_failures within failure_window
  kThrottled,  // the address: spaced checks, try again after retry_after
};

struct LoginOutcome {
  LoginStatus status = LoginStatus::kBadCredentials;
  std::optional<std::int64_t> user_id;
  std::string message;  // Japanese, for the login page; never says which part was wrong
  std::chrono::seconds retry_after{0};  // kLocked and kThrottled: when to try again
};

// Logs in with the lock-out per account and the slowing per source address (SessionPolicy).
// The check and the count are one step: a write transaction counts the failures and reserves
// a failure slot for this attempt (for the account and the address) before the password is
// checked (Argon2id, outside any transaction); success then clears the slots. So N parallel
// attempts on one account check at most max_failures passwords. A locked or throttled attempt
// checks no password. Audited: auth.login, auth.login_failed, and the onsets auth.login_locked
// {"by":"account"} and auth.login_throttled {"by":"address"} (once each, when they begin).
[[nodiscard]] Result<LoginOutcome> login(db::Database& database, const std::string& email,
                                         const std::string& password, const std::string& source_address,
                                         std::chrono::sys_seconds now, const SessionPolicy& policy);

inline constexpr std::string_view kBadCredentialsMessage = "メールアドレスまたはパスワードが正しくありません";
inline constexpr std::string_view kLockedMessage =
    "ログインに続けて失敗したため、一時的にロックしています。15 分後にもう一度お試しください";
inline constexpr std::string_view kThrottledMessage =
    "このネットワークからのログインの失敗が多いため、間隔をあけて受け付けています。数秒後にもう一度お試しください";

// The lock-out subject of a source address: an IPv4 address as it is, an IPv6 address by its
// /64 prefix (one subscriber's network), IPv4-mapped IPv6 as IPv4; other text as it is.
std::string address_key(std::string_view address);

}  // namespace kakehashi::auth
