#include "auth/api_tokens.h"

#include <fmt/format.h>
#include <sodium.h>

#include <charconv>

#include <boost/json.hpp>

#include "auth/password.h"
#include "auth/policy.h"
#include "auth/users.h"
#include "base/text.h"

namespace kakehashi::auth {
namespace {

using std::chrono::sys_seconds;

std::int64_t seconds(sys_seconds t) { return t.time_since_epoch().count(); }
sys_seconds instant(std::int64_t s) { return sys_seconds{std::chrono::seconds{s}}; }

constexpr std::string_view kColumns = "id, user_id, name, created_at, expires_at, last_used_at, revoked_at";

ApiToken token_from_row(const db::Row& row) {
  ApiToken token;
  token.id = row.integer(0);
  token.user_id = row.integer(1);
  token.name = row.text(2);
  token.created_at = instant(row.integer(3));
  token.expires_at = instant(row.integer(4));
  if (auto used = row.optional_integer(5)) token.last_used_at = instant(*used);
  if (auto revoked = row.optional_integer(6)) token.revoked_at = instant(*revoked);
  return token;
}

// "kk_<id>_<secret>" → (id, secret); nothing for any other text.
std::optional<std::pair<std::int64_t, std::string_view>> parse_token(std::string_view token) {
  if (!token.starts_with(kTokenPrefix)) return std::nullopt;
  token.remove_prefix(kTokenPrefix.size());
  std::size_t underscore = token.find('_');
  if (underscore == 0 || underscore == std::string_view::npos || underscore > 18) return std::nullopt;
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(token.data(), token.data() + underscore, id);
  if (ec != std::errc{} || end != token.data() + underscore || id <= 0) return std::nullopt;
  std::string_view secret = token.substr(underscore + 1);
  if (secret.size() != 43) return std::nullopt;  // random_token(32)
  return std::pair{id, secret};
}

Result<void> audit_token(db::Transaction& tx, const audit::Actor& actor, std::string action, const ApiToken& token,
                         boost::json::object detail, sys_seconds now) {
  detail["owner"] = token.user_id;
  auto logged = audit::record(tx, audit::entry_by(actor, std::move(action), fmt::format("api_token:{}", token.id),
                                                  boost::json::serialize(detail)),
                              now);
  if (!logged) return fail(logged.error());
  return {};
}

}  // namespace

std::string_view token_state_label(TokenState state) {
  switch (state) {
    case TokenState::kActive: return "有効";
    case TokenState::kExpired: return "期限切れ";
    case TokenState::kRevoked: return "失効";
  }
  return "";
}

std::vector<TokenFieldProblem> check_new_token(const NewTokenForm& form) {
  std::vector<TokenFieldProblem> problems;
  std::string name = text::clean_name(form.name);
  if (name.empty()) {
    problems.push_back({"name", "トークンの名前を入力してください"});
  } else if (text::count_code_points(name) > 100) {
    problems.push_back({"name", "トークンの名前は 100 文字以内で入力してください"});
  }
  if (!form.days.empty()) {
    int days = 0;
    auto [end, ec] = std::from_chars(form.days.data(), form.days.data() + form.days.size(), days);
    if (ec != std::errc{} || end != form.days.data() + form.days.size() || days < 1 || days > kMaxTokenDays) {
      problems.push_back({"days", fmt::format("有効期間は 1〜{} の日数（半角数字）で入力してください", kMaxTokenDays)});
    }
  }
  return problems;
}

Result<IssuedToken> create_api_token(db::Transaction& tx, std::int64_t user_id, const NewTokenForm& form,
                                     const audit::Actor& actor, sys_seconds now) {
  if (auto problems = check_new_token(form); !problems.empty()) return fail(Error::invalid(problems.front().message));
  auto owner = load_principal(tx, user_id);
  if (!owner) return fail(owner.error());
  if (!*owner) return fail(Error::not_found("有効なユーザーが見つかりません"));
  int days = form.days.empty() ? kMaxTokenDays : std::stoi(form.days);
  std::string secret = random_token(32);
  ApiToken token{.user_id = user_id,
                 .name = text::clean_name(form.name),
                 .created_at = now,
                 .expires_at = now + std::chrono::days{days}};
  auto id = tx.insert(
      "INSERT INTO api_tokens (user_id, name, secret_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
      {user_id, token.name, db::Blob{sha256(secret)}, seconds(token.created_at), seconds(token.expires_at)});
  if (!id) return fail(id.error());
  token.id = *id;
  if (auto logged = audit_token(tx, actor, "api_token.create", token, {{"days", days}}, now); !logged) {
    return fail(logged.error());
  }
  return IssuedToken{token, fmt::format("{}{}_{}", kTokenPrefix, token.id, secret)};
}

Result<std::vector<ApiToken>> list_api_tokens(db::Transaction& tx, std::int64_t user_id) {
  auto rows = tx.query(fmt::format("SELECT {} FROM api_tokens WHERE user_id = ? ORDER BY id DESC", kColumns), {user_id});
  if (!rows) return fail(rows.error());
  std::vector<ApiToken> tokens;
  for (const auto& row : *rows) tokens.push_back(token_from_row(row));
  return tokens;
}

Result<std::optional<ApiToken>> find_api_token(db::Transaction& tx, std::int64_t token_id) {
  auto row = tx.query_one(fmt::format("SELECT {} FROM api_tokens WHERE id = ?", kColumns), {token_id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<ApiToken>{};
  return std::optional<ApiToken>{token_from_row(**row)};
}

Result<bool> may_revoke_tokens_of(db::Transaction& tx, const Granter& granter, std::int64_t owner_id) {
  switch (granter.kind()) {
    case Granter::Kind::kConsole:
      return true;
    case Granter::Kind::kSelfSignUp:
      return false;
    case Granter::Kind::kPerson:
      break;
  }
  const Principal& who = granter.principal();
  if (who.user_id == owner_id) return true;
  if (!allowed(who, Action::kManageUsers)) return false;
  auto owner = find_user(tx, owner_id);
  if (!owner) return fail(owner.error());
  if (!*owner) return false;
  return check_manage(granter, owner_id, (*owner)->roles).has_value();
}

Result<void> revoke_api_token(db::Transaction& tx, std::int64_t token_id, const Granter& granter, sys_seconds now) {
  auto token = find_api_token(tx, token_id);
  if (!token) return fail(token.error());
  if (!*token) return fail(Error::not_found("API トークンが見つかりません"));
  auto may = may_revoke_tokens_of(tx, granter, (*token)->user_id);
  if (!may) return fail(may.error());
  if (!*may) return fail(Error::not_found("API トークンが見つかりません"));
  if ((*token)->revoked_at) return {};
  auto done = tx.exec("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                      {seconds(now), token_id});
  if (!done) return done;
  bool by_owner = granter.kind() == Granter::Kind::kPerson && granter.principal().user_id == (*token)->user_id;
  return audit_token(tx, granter.actor(), "api_token.revoke", **token, {{"by_owner", by_owner}}, now);
}

Result<std::optional<Principal>> authenticate_api_token(db::Database& database, std::string_view token,
                                                        sys_seconds now) {
  auto parsed = parse_token(token);
  if (!parsed) return std::optional<Principal>{};
  auto [id, secret] = *parsed;
  std::optional<Principal> principal;
  bool note_use = false;
  {
    auto tx = database.begin(db::TxMode::kRead);
    if (!tx) return fail(tx.error());
    auto row = (*tx)->query_one(
        "SELECT user_id, secret_hash, expires_at, revoked_at, last_used_at FROM api_tokens WHERE id = ?", {id});
    if (!row) return fail(row.error());
    // The same work whether or not the id exists: the hash is compared with something.
    std::string stored = *row ? (*row)->text(1) : std::string(crypto_hash_sha256_BYTES, '\0');
    std::string given = sha256(secret);
    bool matches = stored.size() == given.size() && sodium_memcmp(stored.data(), given.data(), given.size()) == 0;
    if (!*row || !matches) return std::optional<Principal>{};
    const db::Row& r = **row;
    if (!r.is_null(3) || seconds(now) >= r.integer(2)) return std::optional<Principal>{};
    auto loaded = load_principal(**tx, r.integer(0));  // nullopt for an inactive owner
    if (!loaded) return fail(loaded.error());
    principal = std::move(*loaded);
    auto used = r.optional_integer(4);
    note_use = principal && (!used || seconds(now) - *used >= 60);
  }
  if (note_use) {
    auto noted = database.write(
        [&](db::Transaction& tx) { return tx.exec("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", {seconds(now), id}); });
    if (!noted) return fail(noted.error());
  }
  return principal;
}

}  // namespace kakehashi::auth
