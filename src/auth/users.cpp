#include "auth/users.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <map>
#include <mutex>

#include <boost/json.hpp>

#include "audit/audit.h"
#include "auth/display_settings.h"
#include "auth/password.h"
#include "auth/session_cache.h"
#include "auth/sessions.h"
#include "base/date.h"
#include "base/text.h"

namespace kakehashi::auth {
namespace {

std::set<Role> parse_roles(const std::string& list) {
  std::set<Role> roles;
  for (size_t start = 0; start < list.size();) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (auto role = role_from_id(std::string_view(list).substr(start, comma - start))) roles.insert(*role);
    start = comma + 1;
  }
  return roles;
}

// One query per list: the roles come as a comma-separated column.
constexpr std::string_view kUserColumns =
    "u.id, u.email, u.name, u.organisation_id, o.name, u.block_id, u.active,"
    " (SELECT group_concat(role) FROM user_roles r WHERE r.user_id = u.id), s.name";
constexpr std::string_view kUserFrom =
    "users u LEFT JOIN organisations o ON o.id = u.organisation_id LEFT JOIN organisations s ON s.id = o.similar_to";

User user_from_row(const db::Row& row) {
  User user;
  user.id = row.integer(0);
  user.email = row.text(1);
  user.name = row.text(2);
  user.organisation_id = row.optional_integer(3);
  user.organisation_name = row.optional_text(4);
  user.block_id = row.optional_text(5);
  user.active = row.integer(6) != 0;
  if (!row.is_null(7)) user.roles = parse_roles(row.text(7));
  user.organisation_similar_to = row.optional_text(8);
  return user;
}

boost::json::array role_ids(const std::set<Role>& roles) {
  boost::json::array out;
  for (Role role : roles) out.emplace_back(role_id(role));
  return out;
}

// The checks every user form shares: name, roles, block.
void check_profile(const std::string& name, const std::set<Role>& roles, const std::optional<std::string>& block_id,
                   std::vector<FieldError>& problems) {
  std::string cleaned = text::clean_name(name);
  if (cleaned.empty()) {
    problems.push_back({"name", Error::invalid("氏名を入力してください")});
  } else if (text::count_code_points(cleaned) > 100) {
    problems.push_back({"name", Error::invalid("氏名は 100 文字以内で入力してください")});
  }
  if (roles.empty()) problems.push_back({"roles", Error::invalid("ロールを 1 つ以上指定してください")});
  if (roles.contains(Role::kBureau) && !block_id) {
    problems.push_back({"block", Error::invalid("経済産業局のユーザーには担当ブロックを指定してください")});
  }
}

// The first problem as the service's error: a permission problem before any other.
Error first_problem(const std::vector<FieldError>& problems) {
  for (const auto& problem : problems) {
    if (problem.error.code == ErrorCode::kPermissionDenied) return problem.error;
  }
  return problems.front().error;
}

// "%text%" for LIKE … ESCAPE '\', with the text's own wildcards escaped.
std::string like_pattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

std::string lower_ascii(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return text;
}

// The WHERE clause of a search; its parameters are appended to `params`.
std::string search_filter(const UserSearch& search, db::Params& params) {
  std::string cleaned = text::clean_name(search.text);
  if (cleaned.empty()) return "";
  params.emplace_back(like_pattern(cleaned));
  params.emplace_back(like_pattern(lower_ascii(cleaned)));
  return " WHERE (u.name LIKE ? ESCAPE '\\' OR lower(u.email) LIKE ? ESCAPE '\\')";
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

Result<std::vector<FieldError>> check_new_user(db::Transaction& tx, const NewUser& user, const Granter& granter) {
  std::vector<FieldError> problems;
  std::string email(text::trim(user.email));
  if (!is_plausible_email(email)) {
    problems.push_back({"email", Error::invalid("メールアドレスの形式が正しくありません")});
  } else {
    auto existing = tx.scalar("SELECT COUNT(*) FROM users WHERE lower(email) = lower(?)", {email});
    if (!existing) return fail(existing.error());
    if (*existing > 0) problems.push_back({"email", Error::conflict("このメールアドレスは既に登録されています")});
  }
  check_profile(user.name, user.roles, user.block_id, problems);
  if (auto granted = check_grant(granter, user.roles); !granted) problems.push_back({"roles", granted.error()});
  if (!user.password_hash) {
    if (auto ok = check_new_password(user.password); !ok) problems.push_back({"password", ok.error()});
  } else if (!user.password_hash->starts_with("$argon2id$")) {
    return fail(Error::internal("create_user: password_hash is not an Argon2id hash"));
  }
  return problems;
}

Result<NewUser> with_password_hash(NewUser user) {
  if (user.password_hash) return user;
  if (auto ok = check_new_password(user.password); !ok) return fail(ok.error());
  auto hash = hash_password(user.password);
  if (!hash) return fail(hash.error());
  user.password_hash = std::move(*hash);
  return user;
}

Result<std::int64_t> create_user(db::Transaction& tx, const NewUser& user, const Granter& granter,
                                 std::chrono::sys_seconds now) {
  // Never Argon2id inside the write transaction: the caller hashed first (with_password_hash).
  if (!user.password_hash)
    return fail(Error::internal("create_user: the password is not hashed (with_password_hash before the transaction)"));
  auto problems = check_new_user(tx, user, granter);
  if (!problems) return fail(problems.error());
  if (!problems->empty()) return fail(first_problem(*problems));
  const std::string* hash = &*user.password_hash;
  auto id = tx.insert(
      "INSERT INTO users (email, name, password_hash, organisation_id, block_id, created_at)"
      " VALUES (?, ?, ?, ?, ?, ?)",
      {std::string(text::trim(user.email)), text::clean_name(user.name), *hash, db::nullable(user.organisation_id),
       db::nullable(user.block_id), iso_utc(now)});
  if (!id) return fail(id.error());
  for (Role role : user.roles) {
    auto added = tx.exec("INSERT INTO user_roles (user_id, role) VALUES (?, ?)", {*id, std::string(role_id(role))});
    if (!added) return fail(added.error());
  }
  boost::json::object detail{{"roles", role_ids(user.roles)}};
  if (user.organisation_id) detail["organisation_id"] = *user.organisation_id;
  auto logged = audit::record(tx,
                              audit::entry_by(granter.actor(), "user.create", fmt::format("user:{}", *id),
                                              boost::json::serialize(detail)),
                              now);
  if (!logged) return fail(logged.error());
  return *id;
}

Result<std::vector<FieldError>> check_user_change(db::Transaction& tx, std::int64_t user_id, const UserChange& change,
                                                  const Granter& granter) {
  auto user = find_user(tx, user_id);
  if (!user) return fail(user.error());
  if (!*user) return fail(Error::not_found("ユーザーが見つかりません"));
  std::vector<FieldError> problems;
  if (auto managed = check_manage(granter, user_id, (*user)->roles); !managed) {
    problems.push_back({"user", managed.error()});
    return problems;
  }
  check_profile(change.name, change.roles, change.block_id, problems);
  if (auto granted = check_grant(granter, change.roles); !granted) problems.push_back({"roles", granted.error()});
  return problems;
}

Result<void> update_user(db::Transaction& tx, std::int64_t user_id, const UserChange& change, const Granter& granter,
                         std::chrono::sys_seconds now) {
  auto problems = check_user_change(tx, user_id, change, granter);
  if (!problems) return fail(problems.error());
  if (!problems->empty()) return fail(first_problem(*problems));
  // Found by check_user_change in this transaction, but the statement can still fail.
  auto found = find_user(tx, user_id);
  if (!found) return fail(found.error());
  if (!*found) return fail(Error::not_found("ユーザーが見つかりません"));
  User before = std::move(**found);

  std::string name = text::clean_name(change.name);
  boost::json::object old_values, new_values;
  if (before.roles != change.roles) {
    old_values["roles"] = role_ids(before.roles);
    new_values["roles"] = role_ids(change.roles);
  }
  if (before.organisation_id != change.organisation_id) {
    old_values["organisation_id"] = before.organisation_id ? boost::json::value(*before.organisation_id) : nullptr;
    new_values["organisation_id"] = change.organisation_id ? boost::json::value(*change.organisation_id) : nullptr;
  }
  if (before.block_id != change.block_id) {
    old_values["block_id"] = before.block_id ? boost::json::value(*before.block_id) : nullptr;
    new_values["block_id"] = change.block_id ? boost::json::value(*change.block_id) : nullptr;
  }
  bool name_changed = before.name != name;
  if (old_values.empty() && !name_changed) return {};

  forget_signed_in();  // the name, roles and organisation of a session's user
  auto updated = tx.exec("UPDATE users SET name = ?, organisation_id = ?, block_id = ? WHERE id = ?",
                         {name, db::nullable(change.organisation_id), db::nullable(change.block_id), user_id});
  if (!updated) return updated;
  if (before.roles != change.roles) {
    if (auto removed = tx.exec("DELETE FROM user_roles WHERE user_id = ?", {user_id}); !removed) return removed;
    for (Role role : change.roles) {
      auto added = tx.exec("INSERT INTO user_roles (user_id, role) VALUES (?, ?)", {user_id, std::string(role_id(role))});
      if (!added) return added;
    }
  }
  boost::json::object detail;
  if (!old_values.empty()) {
    detail["before"] = std::move(old_values);
    detail["after"] = std::move(new_values);
  }
  if (name_changed) detail["name_changed"] = true;
  auto logged = audit::record(tx,
                              audit::entry_by(granter.actor(), "user.update", fmt::format("user:{}", user_id),
                                              boost::json::serialize(detail)),
                              now);
  if (!logged) return fail(logged.error());
  return {};
}

Result<void> set_user_active(db::Transaction& tx, std::int64_t user_id, bool active, const Granter& granter,
                             std::chrono::sys_seconds now) {
  auto user = find_user(tx, user_id);
  if (!user) return fail(user.error());
  if (!*user) return fail(Error::not_found("ユーザーが見つかりません"));
  if (auto managed = check_manage(granter, user_id, (*user)->roles); !managed) return managed;
  if ((*user)->active == active) return {};
  forget_signed_in();
  auto updated = tx.exec("UPDATE users SET active = ? WHERE id = ?", {std::int64_t{active ? 1 : 0}, user_id});
  if (!updated) return updated;
  std::int64_t ended = 0;
  if (!active) {
    auto sessions = end_sessions_of(tx, user_id);
    if (!sessions) return fail(sessions.error());
    ended = *sessions;
  }
  boost::json::object detail{{"before", {{"active", !active}}}, {"after", {{"active", active}}}};
  if (!active) detail["sessions_ended"] = ended;
  auto logged = audit::record(tx,
                              audit::entry_by(granter.actor(), active ? "user.reactivate" : "user.deactivate",
                                              fmt::format("user:{}", user_id), boost::json::serialize(detail)),
                              now);
  if (!logged) return fail(logged.error());
  return {};
}

namespace {

// user id -> date style, for the pages of signed-in people; cleared whenever a style changes.
struct DateStyleCache {
  std::mutex mutex;
  std::map<std::int64_t, DateStyle> styles;
  // Emptied every so often: a change made through another server (several servers on one
  // PostgreSQL) or by the CLI shows within this time.
  std::chrono::steady_clock::time_point filled_at = std::chrono::steady_clock::now();
};
constexpr std::chrono::seconds kDateStyleCacheTtl{30};
DateStyleCache& date_style_cache() {
  static DateStyleCache cache;
  return cache;
}

}  // namespace

Result<void> set_date_style(db::Transaction& tx, std::int64_t user_id, DateStyle style, std::chrono::sys_seconds now) {
  auto before = date_style_of(tx, user_id);
  if (!before) return fail(before.error());
  if (*before == style) return {};
  if (auto r = tx.exec("UPDATE users SET date_style = ? WHERE id = ?", {std::string(to_string(style)), user_id}); !r) return r;
  {
    // Cleared before the commit: a page read meanwhile may cache the old style again, for as
    // long as the next change; the settings page reads the database itself.
    std::lock_guard lock(date_style_cache().mutex);
    date_style_cache().styles.clear();
  }
  boost::json::object detail{{"before", std::string(to_string(*before))}, {"after", std::string(to_string(style))}};
  auto logged = audit::record(tx,
                              audit::entry_by(audit::Actor::user(user_id), "user.date_style", fmt::format("user:{}", user_id),
                                              boost::json::serialize(detail)),
                              now);
  if (!logged) return fail(logged.error());
  return {};
}

Result<DateStyle> date_style_of(db::Transaction& tx, std::int64_t user_id) {
  auto row = tx.query_one("SELECT date_style FROM users WHERE id = ?", {user_id});
  if (!row) return fail(row.error());
  if (!*row) return fail(Error::not_found("ユーザーが見つかりません"));
  return date_style_from((**row).text(0)).value_or(DateStyle::kWestern);
}

DateStyle cached_date_style(db::Database& database, std::int64_t user_id) {
  {
    std::lock_guard lock(date_style_cache().mutex);
    if (std::chrono::steady_clock::now() - date_style_cache().filled_at > kDateStyleCacheTtl) {
      date_style_cache().styles.clear();
      date_style_cache().filled_at = std::chrono::steady_clock::now();
    }
    if (auto it = date_style_cache().styles.find(user_id); it != date_style_cache().styles.end()) return it->second;
  }
  auto tx = database.begin(db::TxMode::kRead);
  if (!tx) return DateStyle::kWestern;
  auto style = date_style_of(**tx, user_id);
  if (!style) return DateStyle::kWestern;
  std::lock_guard lock(date_style_cache().mutex);
  date_style_cache().styles[user_id] = *style;
  return *style;
}

Result<std::optional<User>> find_user(db::Transaction& tx, std::int64_t id) {
  auto row = tx.query_one(fmt::format("SELECT {} FROM {} WHERE u.id = ?", kUserColumns, kUserFrom), {id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<User>{};
  return std::optional<User>{user_from_row(**row)};
}

Result<std::optional<User>> find_user_by_email(db::Transaction& tx, const std::string& email) {
  auto row = tx.query_one(fmt::format("SELECT {} FROM {} WHERE lower(u.email) = ?", kUserColumns, kUserFrom),
                          {lower_ascii(email)});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<User>{};
  return std::optional<User>{user_from_row(**row)};
}

Result<std::vector<User>> list_users(db::Transaction& tx, int limit, int offset, const UserSearch& search) {
  db::Params params;
  std::string where = search_filter(search, params);
  params.emplace_back(std::int64_t{limit});
  params.emplace_back(std::int64_t{offset});
  auto rows = tx.query(fmt::format("SELECT {} FROM {}{} ORDER BY u.id LIMIT ? OFFSET ?", kUserColumns, kUserFrom, where),
                       params);
  if (!rows) return fail(rows.error());
  std::vector<User> users;
  for (const auto& row : *rows) users.push_back(user_from_row(row));
  return users;
}

Result<std::int64_t> count_users(db::Transaction& tx, const UserSearch& search) {
  db::Params params;
  std::string where = search_filter(search, params);
  return tx.scalar(fmt::format("SELECT COUNT(*) FROM users u{}", where), params);
}

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
