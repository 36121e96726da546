#include "auth/sessions.h"

#include <fmt/format.h>

#include "audit/audit.h"
#include "auth/password.h"

namespace kakehashi::auth {
namespace {

std::int64_t seconds(std::chrono::sys_seconds t) { return t.time_since_epoch().count(); }

std::string lower_ascii(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return text;
}

// Hashed lock-out subjects: the table never holds an address or e-mail in clear.
db::Blob account_subject(const std::string& email) { return {sha256("account:" + lower_ascii(email))}; }
db::Blob address_subject(const std::string& address) { return {sha256("address:" + address)}; }

// A hash to compare against when the account does not exist, so both paths cost the same.
const std::string& dummy_hash() {
  static const std::string hash = *hash_password("kakehashi-dummy-password-for-timing");
  return hash;
}

}  // namespace

Result<Session> create_session(db::Transaction& tx, std::optional<std::int64_t> user_id,
                               std::chrono::sys_seconds now) {
  Session session;
  session.token = random_token(32);
  session.id_hash = sha256(session.token);
  session.user_id = user_id;
  session.csrf_token = random_token(32);
  session.created_at = session.last_seen_at = seconds(now);
  auto inserted = tx.exec(
      "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
      {db::Blob{session.id_hash}, db::nullable(user_id), session.csrf_token, session.created_at,
       session.last_seen_at});
  if (!inserted) return fail(inserted.error());
  return session;
}

Result<std::optional<SignedIn>> find_signed_in(db::Database& database, const std::string& token,
                                               std::chrono::sys_seconds now, const SessionPolicy& policy) {
  // A well-formed token is 43 URL-safe base64 characters; anything else cannot be ours.
  if (token.size() != 43) return std::optional<SignedIn>{};
  std::string id_hash = sha256(token);
  SignedIn found;
  {
    auto tx = database.begin(db::TxMode::kRead);
    if (!tx) return fail(tx.error());
    auto row = (*tx)->query_one(
        "SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen_at, u.name, u.organisation_id, u.block_id,"
        " u.active, (SELECT group_concat(role) FROM user_roles r WHERE r.user_id = u.id), s.flash_kind, s.flash_message"
        " FROM sessions s LEFT JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?",
        {db::Blob{id_hash}});
    if (!row) return fail(row.error());
    if (!*row) return std::optional<SignedIn>{};
    const db::Row& r = **row;
    found.session = Session{"", id_hash, r.optional_integer(0), r.text(1), r.integer(2), r.integer(3), std::nullopt};
    if (!r.is_null(9)) found.session.flash = Flash{r.text(9), r.text(10)};
    if (found.session.user_id && !r.is_null(4) && r.integer(7) != 0) {
      Principal principal{*found.session.user_id, r.text(4), {}, r.optional_integer(5), r.optional_text(6)};
      std::string roles = r.text(8);
      for (size_t start = 0; start < roles.size();) {
        size_t comma = roles.find(',', start);
        if (comma == std::string::npos) comma = roles.size();
        if (auto role = role_from_id(std::string_view(roles).substr(start, comma - start))) principal.roles.insert(*role);
        start = comma + 1;
      }
      found.principal = std::move(principal);
    }
  }
  std::int64_t t = seconds(now);
  Session& session = found.session;
  bool expired = t - session.last_seen_at > policy.idle_timeout.count() ||
                 t - session.created_at > policy.absolute_timeout.count();
  if (expired || t - session.last_seen_at >= 60) {
    auto updated = database.write([&](db::Transaction& tx) -> Result<void> {
      if (expired) return tx.exec("DELETE FROM sessions WHERE id_hash = ?", {db::Blob{id_hash}});
      return tx.exec("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", {t, db::Blob{id_hash}});
    });
    if (!updated) return fail(updated.error());
    if (expired) return std::optional<SignedIn>{};
    session.last_seen_at = t;
  }
  return std::optional<SignedIn>{std::move(found)};
}

Result<void> delete_session(db::Transaction& tx, const std::string& token) {
  return tx.exec("DELETE FROM sessions WHERE id_hash = ?", {db::Blob{sha256(token)}});
}

Result<void> set_flash(db::Transaction& tx, const std::string& id_hash, const Flash& flash) {
  return tx.exec("UPDATE sessions SET flash_kind = ?, flash_message = ? WHERE id_hash = ?",
                 {flash.kind, flash.message, db::Blob{id_hash}});
}

Result<void> clear_flash(db::Transaction& tx, const std::string& id_hash) {
  return tx.exec("UPDATE sessions SET flash_kind = NULL, flash_message = NULL WHERE id_hash = ?", {db::Blob{id_hash}});
}

Result<std::int64_t> purge_expired_sessions(db::Database& database, std::chrono::sys_seconds now,
                                            const SessionPolicy& policy) {
  std::int64_t t = seconds(now);
  return database.transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) -> Result<std::int64_t> {
    auto done = tx.exec("DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?",
                        {t - policy.idle_timeout.count(), t - policy.absolute_timeout.count()});
    if (!done) return fail(done.error());
    std::int64_t removed = tx.changes();
    auto old = tx.exec("DELETE FROM login_failures WHERE at < ?", {t - policy.failure_window.count()});
    if (!old) return fail(old.error());
    return removed;
  });
}

Result<LoginOutcome> login(db::Database& database, const std::string& email, const std::string& password,
                           const std::string& source_address, std::chrono::sys_seconds now,
                           const SessionPolicy& policy) {
  std::int64_t t = seconds(now);
  std::int64_t since = t - policy.failure_window.count();
  db::Blob account = account_subject(email);
  db::Blob address = address_subject(source_address);

  // Read the user and the failure counts, then check the password outside any transaction:
  // Argon2id takes tens of milliseconds and must not hold the write lock.
  std::optional<std::int64_t> user_id;
  std::string password_hash;
  std::int64_t account_failures = 0, address_failures = 0;
  {
    auto tx = database.begin(db::TxMode::kRead);
    if (!tx) return fail(tx.error());
    auto row = (*tx)->query_one("SELECT id, password_hash FROM users WHERE lower(email) = lower(?) AND active = 1",
                                {email});
    if (!row) return fail(row.error());
    if (*row) {
      user_id = (*row)->integer(0);
      password_hash = (*row)->text(1);
    }
    auto a = (*tx)->scalar("SELECT COUNT(*) FROM login_failures WHERE subject = ? AND at >= ?", {account, since});
    auto b = (*tx)->scalar("SELECT COUNT(*) FROM login_failures WHERE subject = ? AND at >= ?", {address, since});
    if (!a) return fail(a.error());
    if (!b) return fail(b.error());
    account_failures = *a;
    address_failures = *b;
  }
  std::string object = user_id ? fmt::format("user:{}", *user_id) : "account:unknown";

  LoginOutcome outcome;
  if (account_failures >= policy.max_failures || address_failures >= policy.max_failures) {
    outcome.status = LoginStatus::kLocked;
    outcome.message = kLockedMessage;
    auto logged = database.write([&](db::Transaction& tx) -> Result<void> {
      auto id = audit::record(tx, {std::nullopt, "visitor", "auth.login_locked", object,
                                   account_failures >= policy.max_failures ? R"({"by":"account"})" : R"({"by":"address"})"},
                              now);
      if (!id) return fail(id.error());
      return {};
    });
    if (!logged) return fail(logged.error());
    return outcome;
  }

  bool good = verify_password(password, user_id ? password_hash : dummy_hash()) && user_id.has_value();
  auto recorded = database.write([&](db::Transaction& tx) -> Result<void> {
    if (good) {
      auto cleared = tx.exec("DELETE FROM login_failures WHERE subject = ?", {account});
      if (!cleared) return cleared;
      auto id = audit::record(tx, audit::by_user(*user_id, "auth.login", object), now);
      if (!id) return fail(id.error());
      return {};
    }
    for (const db::Blob& subject : {account, address}) {
      auto added = tx.exec("INSERT INTO login_failures (subject, at) VALUES (?, ?)", {subject, t});
      if (!added) return added;
    }
    auto id = audit::record(tx, {std::nullopt, "visitor", "auth.login_failed", object, ""}, now);
    if (!id) return fail(id.error());
    return {};
  });
  if (!recorded) return fail(recorded.error());
  if (good) {
    outcome.status = LoginStatus::kSuccess;
    outcome.user_id = user_id;
  } else {
    outcome.status = LoginStatus::kBadCredentials;
    outcome.message = kBadCredentialsMessage;
  }
  return outcome;
}

}  // namespace kakehashi::auth
