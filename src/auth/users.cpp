#include "auth/users.h"
#include "base/date.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "audit/audit.h"
#include "auth/password.h"
#include "base/text.h"

namespace kakehashi::auth {
namespace {


Result<std::set<Role>> load_roles(db::Transaction& tx, std::int64_t user_id) {
  auto rows = tx.query("SELECT role FROM user_roles WHERE user_id = ? ORDER BY role", {user_id});
  if (!rows) return fail(rows.error());
  std::set<Role> roles;
  for (const auto& row : *rows) {
    if (auto role = role_from_id(row.text(0))) roles.insert(*role);
  }
  return roles;
}

constexpr std::string_view kUserColumns =
    "u.id, u.email, u.name, u.organisation_id, o.name, u.block_id, u.active";

Result<User> user_from_row(db::Transaction& tx, const db::Row& row) {
  User user;
  user.id = row.integer(0);
  user.email = row.text(1);
  user.name = row.text(2);
  user.organisation_id = row.optional_integer(3);
  user.organisation_name = row.optional_text(4);
  user.block_id = row.optional_text(5);
  user.active = row.integer(6) != 0;
  auto roles = load_roles(tx, user.id);
  if (!roles) return fail(roles.error());
  user.roles = std::move(*roles);
  return user;
}

}  // namespace

std::string organisation_kind_for(const std::set<Role>& roles) {
  if (roles.contains(Role::kOperator)) return "operator";
  if (roles.contains(Role::kSecretariat) || roles.contains(Role::kSecurityOfficer)) return "secretariat";
  if (roles.contains(Role::kMeti)) return "meti";
  if (roles.contains(Role::kBureau)) return "bureau";
  if (roles.contains(Role::kReviewer)) return "review_committee";
  return "other";
}

bool is_plausible_email(std::string_view email) {
  if (email.size() > 254) return false;
  size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos) return false;
  std::string_view domain = email.substr(at + 1);
  size_t dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || domain.back() == '.') return false;
  for (char c : email) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '<' || c == '>' || c == '"' || c == ',') return false;
  }
  return true;
}

Result<std::int64_t> create_user(db::Transaction& tx, const NewUser& user, const audit::Actor& actor,
                                 std::chrono::sys_seconds now) {
  std::string email(text::trim(user.email));
  std::string name(text::trim(user.name));
  if (!is_plausible_email(email)) return fail(Error::invalid("メールアドレスの形式が正しくありません"));
  if (name.empty()) return fail(Error::invalid("氏名を入力してください"));
  if (text::count_code_points(name) > 100) return fail(Error::invalid("氏名は 100 文字以内で入力してください"));
  if (user.roles.empty()) return fail(Error::invalid("ロールを 1 つ以上指定してください"));
  if (user.roles.contains(Role::kBureau) && !user.block_id) {
    return fail(Error::invalid("経済産業局のユーザーには担当ブロックを指定してください"));
  }
  if (!user.password_hash) {
    if (auto ok = check_new_password(user.password); !ok) return fail(ok.error());
  } else if (!user.password_hash->starts_with("$argon2id$")) {
    return fail(Error::internal("create_user: password_hash is not an Argon2id hash"));
  }

  auto existing = tx.scalar("SELECT COUNT(*) FROM users WHERE lower(email) = lower(?)", {email});
  if (!existing) return fail(existing.error());
  if (*existing > 0) return fail(Error::conflict("このメールアドレスは既に登録されています"));

  auto hash = user.password_hash ? Result<std::string>(*user.password_hash) : hash_password(user.password);
  if (!hash) return fail(hash.error());
  auto id = tx.insert(
      "INSERT INTO users (email, name, password_hash, organisation_id, block_id, created_at)"
      " VALUES (?, ?, ?, ?, ?, ?)",
      {email, name, *hash, db::nullable(user.organisation_id), db::nullable(user.block_id), iso_utc(now)});
  if (!id) return fail(id.error());
  boost::json::array role_ids;
  for (Role role : user.roles) {
    auto added = tx.exec("INSERT INTO user_roles (user_id, role) VALUES (?, ?)", {*id, std::string(role_id(role))});
    if (!added) return fail(added.error());
    role_ids.emplace_back(role_id(role));
  }
  auto logged = audit::record(tx,
                              audit::entry_by(actor, "user.create", fmt::format("user:{}", *id),
                                              boost::json::serialize(boost::json::object{{"roles", role_ids}})),
                              now);
  if (!logged) return fail(logged.error());
  return *id;
}

Result<std::int64_t> ensure_organisation(db::Transaction& tx, const std::string& name, const std::string& kind,
                                         const std::optional<std::string>& block_id, const audit::Actor& actor,
                                         std::chrono::sys_seconds now) {
  std::string trimmed(text::trim(name));
  if (trimmed.empty()) return fail(Error::invalid("組織名を入力してください"));
  auto found = tx.query_one("SELECT id FROM organisations WHERE name = ?", {trimmed});
  if (!found) return fail(found.error());
  if (*found) return (*found)->integer(0);
  auto id = tx.insert("INSERT INTO organisations (name, kind, block_id, created_at) VALUES (?, ?, ?, ?)",
                      {trimmed, kind, db::nullable(block_id), iso_utc(now)});
  if (!id) return fail(id.error());
  auto logged = audit::record(tx, audit::entry_by(actor, "organisation.create", fmt::format("organisation:{}", *id)), now);
  if (!logged) return fail(logged.error());
  return *id;
}

Result<std::optional<User>> find_user(db::Transaction& tx, std::int64_t id) {
  auto row = tx.query_one(fmt::format("SELECT {} FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id"
                                      " WHERE u.id = ?", kUserColumns),
                          {id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<User>{};
  auto user = user_from_row(tx, **row);
  if (!user) return fail(user.error());
  return std::optional<User>{std::move(*user)};
}

Result<std::vector<User>> list_users(db::Transaction& tx, int limit, int offset) {
  auto rows = tx.query(fmt::format("SELECT {} FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id"
                                   " ORDER BY u.id LIMIT ? OFFSET ?", kUserColumns),
                       {std::int64_t{limit}, std::int64_t{offset}});
  if (!rows) return fail(rows.error());
  std::vector<User> users;
  for (const auto& row : *rows) {
    auto user = user_from_row(tx, row);
    if (!user) return fail(user.error());
    users.push_back(std::move(*user));
  }
  return users;
}

Result<std::int64_t> count_users(db::Transaction& tx) { return tx.scalar("SELECT COUNT(*) FROM users"); }

Result<std::optional<Principal>> load_principal(db::Transaction& tx, std::int64_t user_id) {
  auto user = find_user(tx, user_id);
  if (!user) return fail(user.error());
  if (!*user || !(*user)->active) return std::optional<Principal>{};
  Principal principal{(*user)->id, (*user)->name, (*user)->roles, (*user)->organisation_id, (*user)->block_id};
  return std::optional<Principal>{std::move(principal)};
}

// ---------------------------------------------------------------------------------------------
// Look-ups for other modules.

namespace {

// "?, ?, ?" for `n` parameters.
std::string placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

// id → name for the ids, read from `table` in slices that stay under SQLite's parameter limit.
Result<std::map<std::int64_t, std::string>> names_by_id(db::Transaction& tx, std::string_view table,
                                                        const std::vector<std::int64_t>& ids) {
  constexpr std::size_t kSlice = 500;
  std::map<std::int64_t, std::string> out;
  for (std::size_t start = 0; start < ids.size(); start += kSlice) {
    std::size_t n = ids.size() - start < kSlice ? ids.size() - start : kSlice;
    db::Params params;
    params.reserve(n);
    for (std::size_t i = 0; i < n; ++i) params.emplace_back(std::in_place_type<std::int64_t>, ids[start + i]);
    auto rows = tx.query(fmt::format("SELECT id, name FROM {} WHERE id IN ({})", table, placeholders(n)), params);
    if (!rows) return fail(rows.error());
    for (const auto& row : *rows) out[row.integer(0)] = row.text(1);
  }
  return out;
}

}  // namespace

Result<std::vector<std::int64_t>> active_users_of(db::Transaction& tx, std::int64_t organisation_id) {
  auto rows = tx.query("SELECT id FROM users WHERE organisation_id = ? AND active = 1 ORDER BY id", {organisation_id});
  if (!rows) return fail(rows.error());
  std::vector<std::int64_t> ids;
  for (const auto& row : *rows) ids.push_back(row.integer(0));
  return ids;
}

Result<std::vector<UserName>> users_with_role(db::Transaction& tx, Role role, const std::optional<std::string>& block_id) {
  constexpr std::string_view kSelect =
      "SELECT u.id, u.name, u.block_id FROM users u JOIN user_roles r ON r.user_id = u.id "
      "WHERE r.role = ? AND u.active = 1";
  std::string role_text(role_id(role));
  auto rows = block_id ? tx.query(fmt::format("{} AND u.block_id = ? ORDER BY u.id", kSelect), {role_text, *block_id})
                       : tx.query(fmt::format("{} ORDER BY u.id", kSelect), {role_text});
  if (!rows) return fail(rows.error());
  std::vector<UserName> users;
  for (const auto& row : *rows) users.push_back({row.integer(0), row.text(1), row.optional_text(2)});
  return users;
}

Result<bool> has_active_role(db::Transaction& tx, std::int64_t user_id, Role role) {
  auto n = tx.scalar(
      "SELECT COUNT(*) FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.id = ? AND u.active = 1 AND r.role = ?",
      {user_id, std::string(role_id(role))});
  if (!n) return fail(n.error());
  return *n > 0;
}

Result<std::map<std::int64_t, std::string>> user_names(db::Transaction& tx, const std::vector<std::int64_t>& user_ids) {
  return names_by_id(tx, "users", user_ids);
}

Result<std::optional<std::string>> organisation_name(db::Transaction& tx, std::int64_t organisation_id) {
  auto row = tx.query_one("SELECT name FROM organisations WHERE id = ?", {organisation_id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::string>{};
  return std::optional<std::string>{(*row)->text(0)};
}

Result<std::map<std::int64_t, std::string>> organisation_names(db::Transaction& tx,
                                                               const std::vector<std::int64_t>& organisation_ids) {
  return names_by_id(tx, "organisations", organisation_ids);
}

}  // namespace kakehashi::auth
