#include "auth/sessions.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <unordered_map>

#include <boost/json.hpp>

#include "audit/audit.h"
#include "auth/password.h"
#include "auth/session_cache.h"

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
db::Blob address_subject(const std::string& address) { return {sha256("address:" + address_key(address))}; }

// A hash to compare against when the account does not exist, so both paths cost the same.
const std::string& dummy_hash() {
  static const std::string hash = *hash_password("kakehashi-dummy-password-for-timing");
  return hash;
}

// Signed-in users answered from memory (auth/session_cache.h). An entry is good only while the
// generation it was read under is current. Writers bump the generation inside their
// transaction; a read that began less than kWriteGrace after the last bump may have seen the
// rows before that write committed, so it is answered but not cached.
struct CachedSignIn {
  const db::Database* database = nullptr;
  std::uint64_t generation = 0;
  std::chrono::steady_clock::time_point read_at;
  SignedIn found;
};

struct SignInCache {
  std::atomic<std::int64_t> ttl_ms{0};
  std::atomic<std::uint64_t> generation{1};
  std::atomic<std::int64_t> last_bump_ns{0};  // steady clock
  std::mutex mutex;
  std::unordered_map<std::string, CachedSignIn> entries;  // by session id hash
  // Sessions whose flash was written lately (steady ns): a flash drops only its own session.
  std::unordered_map<std::string, std::int64_t> flash_writes;
};

SignInCache& sign_in_cache() {
  static SignInCache cache;
  return cache;
}

constexpr std::size_t kMaxCachedSessions = 20000;
constexpr std::chrono::milliseconds kWriteGrace{1000};

std::int64_t steady_ns(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// Called by every write to sessions, users or user_roles in this module, inside its transaction.
void invalidate_signed_in(db::Transaction&) { forget_signed_in(); }

// The flash of one session changed (inside the writing transaction).
void invalidate_session(const std::string& id_hash) {
  SignInCache& cache = sign_in_cache();
  std::int64_t now = steady_ns(std::chrono::steady_clock::now());
  std::lock_guard lock(cache.mutex);
  cache.entries.erase(id_hash);
  if (cache.flash_writes.size() > 4096) {
    std::erase_if(cache.flash_writes, [&](const auto& entry) {
      return now - entry.second > std::chrono::duration_cast<std::chrono::nanoseconds>(kWriteGrace).count();
    });
  }
  cache.flash_writes.insert_or_assign(id_hash, now);
}

}  // namespace

void set_signed_in_cache_ttl(std::chrono::milliseconds ttl) {
  SignInCache& cache = sign_in_cache();
  cache.ttl_ms.store(ttl.count());
  cache.generation.fetch_add(1);
  std::lock_guard lock(cache.mutex);
  cache.entries.clear();
}

void forget_signed_in() {
  SignInCache& cache = sign_in_cache();
  cache.last_bump_ns.store(steady_ns(std::chrono::steady_clock::now()));
  cache.generation.fetch_add(1);
  std::lock_guard lock(cache.mutex);
  cache.entries.clear();
}

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
  std::int64_t t = seconds(now);
  SignInCache& cache = sign_in_cache();
  auto steady_now = std::chrono::steady_clock::now();
  std::uint64_t generation = cache.generation.load();
  std::chrono::milliseconds ttl{cache.ttl_ms.load()};
  bool cacheable = ttl.count() > 0 && steady_ns(steady_now) - cache.last_bump_ns.load() >
                                          std::chrono::duration_cast<std::chrono::nanoseconds>(kWriteGrace).count();
  if (ttl.count() > 0) {
    std::lock_guard lock(cache.mutex);
    auto it = cache.entries.find(id_hash);
    if (it != cache.entries.end()) {
      const CachedSignIn& entry = it->second;
      const Session& session = entry.found.session;
      // Expiry and the once-a-minute last_seen_at refresh go to the database as before.
      bool fresh = entry.database == &database && entry.generation == generation && steady_now - entry.read_at < ttl &&
                   t >= session.last_seen_at && t - session.last_seen_at < 60 &&
                   t - session.last_seen_at <= policy.idle_timeout.count() &&
                   t - session.created_at <= policy.absolute_timeout.count();
      if (fresh) return std::optional<SignedIn>{entry.found};
      cache.entries.erase(it);
    }
  }
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
  if (cacheable) {
    std::lock_guard lock(cache.mutex);
    // A write since our read began: what we read may be older than it.
    auto flash = cache.flash_writes.find(id_hash);
    bool flash_written = flash != cache.flash_writes.end() &&
                         flash->second > steady_ns(steady_now) -
                                             std::chrono::duration_cast<std::chrono::nanoseconds>(kWriteGrace).count();
    if (cache.generation.load() == generation && !flash_written) {
      if (cache.entries.size() >= kMaxCachedSessions) cache.entries.clear();
      cache.entries.insert_or_assign(id_hash, CachedSignIn{&database, generation, steady_now, found});
    }
  }
  return std::optional<SignedIn>{std::move(found)};
}

Result<void> delete_session(db::Transaction& tx, const std::string& token) {
  invalidate_signed_in(tx);
  return tx.exec("DELETE FROM sessions WHERE id_hash = ?", {db::Blob{sha256(token)}});
}

Result<void> set_flash(db::Transaction& tx, const std::string& id_hash, const Flash& flash) {
  invalidate_session(id_hash);
  return tx.exec("UPDATE sessions SET flash_kind = ?, flash_message = ? WHERE id_hash = ?",
                 {flash.kind, flash.message, db::Blob{id_hash}});
}

Result<void> clear_flash(db::Transaction& tx, const std::string& id_hash) {
  invalidate_session(id_hash);
  return tx.exec("UPDATE sessions SET flash_kind = NULL, flash_message = NULL WHERE id_hash = ?", {db::Blob{id_hash}});
}

Result<std::int64_t> end_sessions_of(db::Transaction& tx, std::int64_t user_id) {
  invalidate_signed_in(tx);
  auto done = tx.exec("DELETE FROM sessions WHERE user_id = ?", {user_id});
  if (!done) return fail(done.error());
  return tx.changes();
}

Result<std::int64_t> purge_expired_sessions(db::Database& database, std::chrono::sys_seconds now,
                                            const SessionPolicy& policy) {
  std::int64_t t = seconds(now);
  return database.transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) -> Result<std::int64_t> {
    invalidate_signed_in(tx);
    auto done = tx.exec("DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?",
                        {t - policy.idle_timeout.count(), t - policy.absolute_timeout.count()});
    if (!done) return fail(done.error());
    std::int64_t removed = tx.changes();
    auto old = tx.exec("DELETE FROM login_failures WHERE at < ?", {t - policy.failure_window.count()});
    if (!old) return fail(old.error());
    auto spaced = tx.exec("DELETE FROM login_throttle WHERE last_check_at < ?", {t - policy.failure_window.count()});
    if (!spaced) return fail(spaced.error());
    return removed;
  });
}

std::string address_key(std::string_view address) {
  std::string text(address);
  unsigned char bytes[16];
  if (::inet_pton(AF_INET, text.c_str(), bytes) == 1) return text;
  if (::inet_pton(AF_INET6, text.c_str(), bytes) != 1) return text;
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(bytes, bytes + 12, kMapped)) {
    return fmt::format("{}.{}.{}.{}", bytes[12], bytes[13], bytes[14], bytes[15]);
  }
  std::fill(bytes + 8, bytes + 16, 0);
  char out[INET6_ADDRSTRLEN];
  ::inet_ntop(AF_INET6, bytes, out, sizeof out);
  return std::string(out) + "/64";
}

namespace {

// What the counting step found and reserved.
struct Reservation {
  std::optional<LoginOutcome> refused;  // locked or throttled: no password check
  std::optional<std::int64_t> user_id;
  std::string password_hash;
  std::int64_t account_position = 0;  // this attempt's failure count for the account, itself included
  std::int64_t address_position = 0;
  std::int64_t address_row = 0;  // the address's reserved failure row, removed on success
};

struct Counts {
  std::int64_t account = 0;
  std::int64_t address = 0;
  std::int64_t oldest_account = 0;    // earliest failure of the account in the window
  std::optional<std::int64_t> last_check;  // the address's last spaced check
};

Result<Counts> count_failures(db::Transaction& tx, const db::Blob& account, const db::Blob& address,
                              std::int64_t since) {
  Counts counts;
  auto a = tx.query_one("SELECT COUNT(*), MIN(at) FROM login_failures WHERE subject = ? AND at >= ?", {account, since});
  if (!a) return fail(a.error());
  counts.account = (*a)->integer(0);
  counts.oldest_account = (*a)->is_null(1) ? 0 : (*a)->integer(1);
  auto b = tx.scalar("SELECT COUNT(*) FROM login_failures WHERE subject = ? AND at >= ?", {address, since});
  if (!b) return fail(b.error());
  counts.address = *b;
  auto c = tx.query_one("SELECT last_check_at FROM login_throttle WHERE subject = ?", {address});
  if (!c) return fail(c.error());
  if (*c) counts.last_check = (*c)->integer(0);
  return counts;
}

// Locked or throttled by `counts` at `t`, or nothing.
std::optional<LoginOutcome> refusal(const Counts& counts, std::int64_t t, const SessionPolicy& policy) {
  if (counts.account >= policy.max_failures) {
    LoginOutcome outcome{LoginStatus::kLocked, std::nullopt, std::string(kLockedMessage), {}};
    outcome.retry_after = std::chrono::seconds{
        std::max<std::int64_t>(1, counts.oldest_account + policy.failure_window.count() - t)};
    return outcome;
  }
  if (counts.address >= policy.address_max_failures && counts.last_check &&
      t - *counts.last_check < policy.address_spacing.count()) {
    LoginOutcome outcome{LoginStatus::kThrottled, std::nullopt, std::string(kThrottledMessage), {}};
    outcome.retry_after = std::chrono::seconds{*counts.last_check + policy.address_spacing.count() - t};
    return outcome;
  }
  return std::nullopt;
}

}  // namespace

Result<LoginOutcome> login(db::Database& database, const std::string& email, const std::string& password,
                           const std::string& source_address, std::chrono::sys_seconds now,
                           const SessionPolicy& policy) {
  std::int64_t t = seconds(now);
  std::int64_t since = t - policy.failure_window.count();
  db::Blob account = account_subject(email);
  db::Blob address = address_subject(source_address);

  // 1. A locked account or a throttled address is answered from a read, without the write lock:
  //    a flood of refused attempts costs no writes.
  {
    auto tx = database.begin(db::TxMode::kRead);
    if (!tx) return fail(tx.error());
    auto counts = count_failures(**tx, account, address, since);
    if (!counts) return fail(counts.error());
    if (auto refused = refusal(*counts, t, policy)) return *refused;
  }

  // 2. Count again and reserve this attempt's failure slots in one write transaction, so
  //    parallel attempts cannot all pass the count before any of them is recorded.
  auto reserved = database.transact<Reservation>(db::TxMode::kWrite, [&](db::Transaction& tx) -> Result<Reservation> {
    Reservation r;
    auto counts = count_failures(tx, account, address, since);
    if (!counts) return fail(counts.error());
    if ((r.refused = refusal(*counts, t, policy))) return r;
    if (counts->address >= policy.address_max_failures) {
      auto spaced = tx.exec(
          "INSERT INTO login_throttle (subject, last_check_at) VALUES (?, ?)"
          " ON CONFLICT (subject) DO UPDATE SET last_check_at = excluded.last_check_at",
          {address, t});
      if (!spaced) return fail(spaced.error());
    }
    auto row = tx.query_one("SELECT id, password_hash FROM users WHERE lower(email) = lower(?) AND active = 1", {email});
    if (!row) return fail(row.error());
    if (*row) {
      r.user_id = (*row)->integer(0);
      r.password_hash = (*row)->text(1);
    }
    auto a = tx.insert("INSERT INTO login_failures (subject, at) VALUES (?, ?)", {account, t});
    if (!a) return fail(a.error());
    auto b = tx.insert("INSERT INTO login_failures (subject, at) VALUES (?, ?)", {address, t});
    if (!b) return fail(b.error());
    r.account_position = counts->account + 1;
    r.address_position = counts->address + 1;
    r.address_row = *b;
    return r;
  });
  if (!reserved) return fail(reserved.error());
  if (reserved->refused) return *reserved->refused;

  // 3. Argon2id takes tens of milliseconds and must not hold the write lock. An unknown account
  //    costs the same through a dummy hash.
  std::optional<std::int64_t> user_id = reserved->user_id;
  bool good = verify_password(password, user_id ? reserved->password_hash : dummy_hash()) && user_id.has_value();
  std::string object = user_id ? fmt::format("user:{}", *user_id) : "account:unknown";

  // 4. Keep the reserved failure, or clear the account's failures and this attempt's address slot.
  auto recorded = database.write([&](db::Transaction& tx) -> Result<void> {
    if (good) {
      auto cleared = tx.exec("DELETE FROM login_failures WHERE subject = ?", {account});
      if (!cleared) return cleared;
      auto slot = tx.exec("DELETE FROM login_failures WHERE id = ?", {reserved->address_row});
      if (!slot) return slot;
      auto id = audit::record(tx, audit::by_user(*user_id, "auth.login", object), now);
      if (!id) return fail(id.error());
      return {};
    }
    auto id = audit::record(tx, {std::nullopt, "visitor", "auth.login_failed", object, ""}, now);
    if (!id) return fail(id.error());
    if (reserved->account_position == policy.max_failures) {
      auto locked = audit::record(
          tx, {std::nullopt, "visitor", "auth.login_locked", object, boost::json::serialize(boost::json::object{{"by", "account"}})},
          now);
      if (!locked) return fail(locked.error());
    }
    if (reserved->address_position == policy.address_max_failures) {
      auto slowed = audit::record(tx,
                                  {std::nullopt, "visitor", "auth.login_throttled", "address",
                                   boost::json::serialize(boost::json::object{{"by", "address"}})},
                                  now);
      if (!slowed) return fail(slowed.error());
    }
    return {};
  });
  if (!recorded) return fail(recorded.error());
  LoginOutcome outcome;
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
