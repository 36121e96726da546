// Accounts people make and recover themselves, by e-mail: an operator's sign-up is confirmed
// through a link mailed to the address (valid 24 hours, the account is made only when the
// person presses the button on the page the link opens), and a forgotten password is reset
// through a one-time link (valid 1 hour). Both are rate-limited per client address, per e-mail
// address and overall, and both give the same answer whether or not the address has an account:
// only the mail, which only the address's owner reads, says which it is.
//
// The order a screen follows (Argon2id never runs inside a transaction):
//   sign-up:  check_signup_form → count_request (write tx) → hash_password (no tx)
//             → request_signup + queue the mail (one write tx)
//   confirm:  find_pending_signup (read) → confirm_signup (write tx) → sign in
//   reset:    count_request + request_password_reset + queue the mail (one write tx);
//             find_password_reset (read) → check_new_password → hash_password (no tx)
//             → reset_password (write tx)
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "db/database.h"

namespace kakehashi::auth {

using Instant = std::chrono::sys_seconds;

inline constexpr std::chrono::hours kSignupLinkValidity{24};
inline constexpr std::chrono::hours kResetLinkValidity{1};

struct SelfServiceLimits {
  int per_address_per_hour = 5;  // requests from one client address
  int per_email_per_day = 3;     // mails to one e-mail address
  int overall_per_hour = 200;    // all requests of the kind together
};

enum class RequestKind { kSignup, kPasswordReset };

// A problem with one form field: `field` is the input's name, `message` Japanese.
struct FieldProblem {
  std::string field;
  std::string message;
};

struct SignupForm {
  std::string organisation;
  std::string name;
  std::string email;
  std::string password;
  std::string next_path = "/";  // where to go once the account exists
};

// Every problem of the form at once, in form order: organisation and name required and at most
// 100 characters, an e-mail address mail can be sent to, a password by check_new_password.
std::vector<FieldProblem> check_signup_form(const SignupForm& form);

// Counts one request for `email` from `client_address` in `tx` (a write transaction, so the check
// and the count are one step): refused with kRateLimited and a Japanese message when a limit is
// reached (nothing is counted then).
[[nodiscard]] Result<void> count_request(db::Transaction& tx, RequestKind kind, const std::string& client_address,
                                         const std::string& email, Instant now, const SelfServiceLimits& limits = {});

// What the mail of a sign-up request says.
enum class SignupMail {
  kConfirm,           // a new address: the confirmation link
  kAlreadyRegistered  // the address has an account: log in or reset the password
};
struct SignupTicket {
  SignupMail mail = SignupMail::kConfirm;
  std::string email;         // as stored (trimmed)
  std::string name;          // kConfirm: as typed; kAlreadyRegistered: the account's
  std::string organisation;  // kConfirm: as typed
  std::string token;         // kConfirm: the secret of the link (only its hash is stored)
  Instant expires_at{};
};
// Stores the pending sign-up (replacing an earlier one for the same address) unless the address
// already has an account, and removes expired pending sign-ups. `password_hash` is the form's
// password through hash_password, made before this transaction.
[[nodiscard]] Result<SignupTicket> request_signup(db::Transaction& tx, const SignupForm& form,
                                                  const std::string& password_hash, Instant now);

struct PendingSignup {
  std::string email;
  std::string name;
  std::string organisation;
  std::string next_path;
  Instant expires_at{};
};
// The pending sign-up of a link's token, or nullopt when the token is unknown, used or expired.
[[nodiscard]] Result<std::optional<PendingSignup>> find_pending_signup(db::Transaction& tx, const std::string& token,
                                                                       Instant now);

struct ConfirmedSignup {
  std::int64_t user_id = 0;
  std::int64_t organisation_id = 0;
  std::string next_path;
};
// Creates the operator organisation `organisation` (the name typed at sign-up, possibly
// corrected on the confirmation page) and its first user, audited, and uses up the token.
// Refused: an unknown or expired token (not found), an organisation name already registered
// (invalid) or an address that got an account meanwhile (conflict), with a message that says what
// to do.
[[nodiscard]] Result<ConfirmedSignup> confirm_signup(db::Transaction& tx, const std::string& token,
                                                     const std::string& organisation, Instant now);

struct ResetTicket {
  std::int64_t user_id = 0;
  std::string email;
  std::string name;
  std::string token;
  Instant expires_at{};
};
// When `email` is an active user's, a one-time reset token valid 1 hour (earlier ones of the
// user stop working); nullopt otherwise. Call after count_request, in the same transaction.
[[nodiscard]] Result<std::optional<ResetTicket>> request_password_reset(db::Transaction& tx, const std::string& email,
                                                                        Instant now);

struct ResetFor {
  std::int64_t user_id = 0;
  std::string name;
  std::string email;
};
// The active user a reset token is for, or nullopt when it is unknown, used or expired.
[[nodiscard]] Result<std::optional<ResetFor>> find_password_reset(db::Transaction& tx, const std::string& token,
                                                                  Instant now);

// Sets the password (an Argon2id hash made beforehand), ends every session of the user, uses up
// all the user's reset tokens and records "auth.password_reset". Not found for a token that is
// unknown, used or expired. Returns the user id.
[[nodiscard]] Result<std::int64_t> reset_password(db::Transaction& tx, const std::string& token,
                                                  const std::string& password_hash, Instant now);

// Removes expired pending sign-ups and reset tokens and request counts older than a day.
[[nodiscard]] Result<std::int64_t> purge_self_service(db::Database& database, Instant now);

}  // namespace kakehashi::auth
