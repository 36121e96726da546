#include "auth/self_service.h"

#include "auth/grants.h"
#include "auth/organisations.h"

#include <fmt/format.h>

#include <boost/json.hpp>

#include "audit/audit.h"
#include "auth/password.h"
#include "auth/session_cache.h"
#include "auth/sessions.h"
#include "auth/users.h"
#include "base/text.h"
#include "mail/message.h"

namespace kakehashi::auth {
namespace {

std::int64_t seconds(Instant at) { return at.time_since_epoch().count(); }

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return out;
}

db::Blob token_hash(const std::string& token) { return {sha256(token)}; }

// A token from a link: what random_token makes (43 URL-safe characters), nothing else looked up.
bool plausible_token(const std::string& token) {
  if (token.size() != 43) return false;
  for (char c : token) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

struct LimitTexts {
  std::string_view prefix;
  std::string_view address;
  std::string_view email;
  std::string_view overall;
};

LimitTexts texts_for(RequestKind kind) {
  if (kind == RequestKind::kSignup) {
    return {"signup", "この接続元からの登録の申し込みが多すぎます。1 時間ほど待ってから、もう一度お試しください。",
            "このメールアドレスへの確認メールの送信が多すぎます。24 時間ほど待ってから、もう一度お試しください。"
            "届いている確認メールがあれば、そのリンクをお使いください。",
            "ただいま登録の申し込みが集中しています。しばらく待ってから、もう一度お試しください。"};
  }
  return {"reset", "この接続元からのパスワード再設定の申し込みが多すぎます。1 時間ほど待ってから、もう一度お試しください。",
          "このメールアドレスへの再設定メールの送信が多すぎます。24 時間ほど待ってから、もう一度お試しください。"
          "届いている再設定メールがあれば、そのリンクをお使いください。",
          "ただいまパスワード再設定の申し込みが集中しています。しばらく待ってから、もう一度お試しください。"};
}

Result<std::int64_t> existing_user(db::Transaction& tx, const std::string& email) {
  auto row = tx.query_one("SELECT id FROM users WHERE lower(email) = lower(?)", {email});
  if (!row) return fail(row.error());
  return *row ? (*row)->integer(0) : 0;
}

}  // namespace

std::vector<FieldProblem> check_signup_form(const SignupForm& form) {
  std::vector<FieldProblem> problems;
  std::string_view organisation = text::trim(form.organisation);
  if (organisation.empty()) {
    problems.push_back({"organisation", "団体名を入力してください"});
  } else if (text::count_code_points(organisation) > 100) {
    problems.push_back({"organisation", "団体名は 100 文字以内で入力してください"});
  }
  std::string_view name = text::trim(form.name);
  if (name.empty()) {
    problems.push_back({"name", "担当者氏名を入力してください"});
  } else if (text::count_code_points(name) > 100) {
    problems.push_back({"name", "担当者氏名は 100 文字以内で入力してください"});
  }
  std::string_view email = text::trim(form.email);
  if (email.empty()) {
    problems.push_back({"email", "メールアドレスを入力してください"});
  } else if (!mail::is_valid_address(email)) {
    problems.push_back({"email", "メールアドレスの形式が正しくありません（半角英数字の例: tanaka@example.jp）"});
  }
  if (auto ok = check_new_password(form.password); !ok) problems.push_back({"password", ok.error().message});
  return problems;
}

Result<void> count_request(db::Transaction& tx, RequestKind kind, const std::string& client_address,
                           const std::string& email, Instant now, const SelfServiceLimits& limits) {
  LimitTexts texts = texts_for(kind);
  std::string prefix(texts.prefix);
  db::Blob address{sha256(prefix + ":address:" + client_address)};
  db::Blob mailbox{sha256(prefix + ":email:" + lower_ascii(text::trim(email)))};
  db::Blob overall{sha256(prefix + ":all")};
  std::int64_t t = seconds(now);
  struct Check {
    const db::Blob& subject;
    std::int64_t since;
    int limit;
    std::string_view message;
  };
  for (const Check& check : {Check{address, t - 3600, limits.per_address_per_hour, texts.address},
                             Check{mailbox, t - 86400, limits.per_email_per_day, texts.email},
                             Check{overall, t - 3600, limits.overall_per_hour, texts.overall}}) {
    auto count = tx.scalar("SELECT COUNT(*) FROM self_service_requests WHERE subject = ? AND at > ?",
                           {check.subject, check.since});
    if (!count) return fail(count.error());
    if (*count >= check.limit) return fail(Error::rate_limited(std::string(check.message)));
  }
  for (const db::Blob& subject : {address, mailbox, overall}) {
    auto counted = tx.exec("INSERT INTO self_service_requests (subject, at) VALUES (?, ?)", {subject, t});
    if (!counted) return counted;
  }
  return {};
}

Result<SignupTicket> request_signup(db::Transaction& tx, const SignupForm& form, const std::string& password_hash,
                                    Instant now) {
  if (!check_signup_form({form.organisation, form.name, form.email, std::string(kMinPasswordLength, 'x')}).empty()) {
    return fail(Error::invalid("登録内容に誤りがあります"));
  }
  if (!password_hash.starts_with("$argon2id$")) return fail(Error::internal("request_signup: not an Argon2id hash"));
  if (auto purged = tx.exec("DELETE FROM pending_signups WHERE expires_at <= ?", {seconds(now)}); !purged) {
    return fail(purged.error());
  }
  SignupTicket ticket;
  ticket.email = std::string(text::trim(form.email));
  auto user_id = existing_user(tx, ticket.email);
  if (!user_id) return fail(user_id.error());
  if (*user_id != 0) {
    auto user = find_user(tx, *user_id);
    if (!user) return fail(user.error());
    ticket.mail = SignupMail::kAlreadyRegistered;
    ticket.name = *user ? (*user)->name : "";
    return ticket;
  }
  ticket.mail = SignupMail::kConfirm;
  ticket.name = std::string(text::trim(form.name));
  ticket.organisation = std::string(text::trim(form.organisation));
  ticket.token = random_token();
  ticket.expires_at = now + kSignupLinkValidity;
  auto replaced = tx.exec("DELETE FROM pending_signups WHERE lower(email) = lower(?)", {ticket.email});
  if (!replaced) return fail(replaced.error());
  auto stored = tx.exec(
      "INSERT INTO pending_signups (token_hash, email, name, organisation, password_hash, next_path, created_at, expires_at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {token_hash(ticket.token), ticket.email, ticket.name, ticket.organisation, password_hash,
       form.next_path.empty() ? std::string("/") : form.next_path, seconds(now), seconds(ticket.expires_at)});
  if (!stored) return fail(stored.error());
  return ticket;
}

Result<std::optional<PendingSignup>> find_pending_signup(db::Transaction& tx, const std::string& token, Instant now) {
  if (!plausible_token(token)) return std::optional<PendingSignup>{};
  auto row = tx.query_one(
      "SELECT email, name, organisation, next_path, expires_at FROM pending_signups WHERE token_hash = ? AND expires_at > ?",
      {token_hash(token), seconds(now)});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<PendingSignup>{};
  const db::Row& r = **row;
  return std::optional<PendingSignup>{
      PendingSignup{r.text(0), r.text(1), r.text(2), r.text(3), Instant{std::chrono::seconds{r.integer(4)}}}};
}

Result<ConfirmedSignup> confirm_signup(db::Transaction& tx, const std::string& token, const std::string& organisation,
                                       Instant now) {
  if (!plausible_token(token)) return fail(Error::not_found("確認リンクが見つかりません"));
  auto row = tx.query_one(
      "SELECT email, name, password_hash, next_path FROM pending_signups WHERE token_hash = ? AND expires_at > ?",
      {token_hash(token), seconds(now)});
  if (!row) return fail(row.error());
  if (!*row) return fail(Error::not_found("確認リンクが見つかりません"));
  std::string email = (*row)->text(0);
  std::string name = (*row)->text(1);
  std::string password_hash = (*row)->text(2);
  // Cleaned (NFKC, no invisible characters): a look-alike of an existing name is that name.
  std::string organisation_name = text::clean_name(organisation);
  if (organisation_name.empty()) return fail(Error::invalid("団体名を入力してください"));
  if (text::count_code_points(organisation_name) > 100) return fail(Error::invalid("団体名は 100 文字以内で入力してください"));
  auto taken = organisation_named(tx, organisation_name);
  if (!taken) return fail(taken.error());
  if (*taken) {
    return fail(Error::invalid(
        "この団体名はすでに登録されています。同じ団体の担当者としての登録は、事務局にお問い合わせください。"
        "別の団体の場合は、正式名称（支店名・部署名など）を入れて区別してください。"));
  }
  auto registered = existing_user(tx, email);
  if (!registered) return fail(registered.error());
  if (*registered != 0) {
    return fail(Error::conflict(
        "このメールアドレスのアカウントはすでにあります。ログインするか、パスワードを再設定してください。"));
  }
  const audit::Actor visitor{std::nullopt, "visitor"};
  auto org = ensure_organisation(tx, organisation_name, "operator", std::nullopt, visitor, now);
  if (!org) return fail(org.error());
  NewUser user{email, name, "", {Role::kOperator}, *org, std::nullopt, password_hash};
  auto user_id = create_user(tx, user, Granter::self_sign_up(), now);
  if (!user_id) return fail(user_id.error());
  auto logged = audit::record(tx, audit::by_user(*user_id, "user.signup", fmt::format("organisation:{}", *org)), now);
  if (!logged) return fail(logged.error());
  auto used = tx.exec("DELETE FROM pending_signups WHERE lower(email) = lower(?)", {email});
  if (!used) return fail(used.error());
  return ConfirmedSignup{*user_id, *org, (*row)->text(3)};
}

Result<std::optional<ResetTicket>> request_password_reset(db::Transaction& tx, const std::string& email, Instant now) {
  std::string trimmed(text::trim(email));
  auto purged = tx.exec("DELETE FROM password_resets WHERE expires_at <= ?", {seconds(now)});
  if (!purged) return fail(purged.error());
  auto user_id = existing_user(tx, trimmed);
  if (!user_id) return fail(user_id.error());
  if (*user_id == 0) return std::optional<ResetTicket>{};
  auto user = find_user(tx, *user_id);
  if (!user) return fail(user.error());
  if (!*user || !(*user)->active || !mail::is_valid_address((*user)->email)) return std::optional<ResetTicket>{};
  ResetTicket ticket{*user_id, (*user)->email, (*user)->name, random_token(), now + kResetLinkValidity};
  auto earlier = tx.exec("DELETE FROM password_resets WHERE user_id = ?", {*user_id});
  if (!earlier) return fail(earlier.error());
  auto stored = tx.exec("INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                        {token_hash(ticket.token), *user_id, seconds(now), seconds(ticket.expires_at)});
  if (!stored) return fail(stored.error());
  return std::optional<ResetTicket>{std::move(ticket)};
}

Result<std::optional<ResetFor>> find_password_reset(db::Transaction& tx, const std::string& token, Instant now) {
  if (!plausible_token(token)) return std::optional<ResetFor>{};
  auto row = tx.query_one("SELECT user_id FROM password_resets WHERE token_hash = ? AND expires_at > ?",
                          {token_hash(token), seconds(now)});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<ResetFor>{};
  auto user = find_user(tx, (*row)->integer(0));
  if (!user) return fail(user.error());
  if (!*user || !(*user)->active) return std::optional<ResetFor>{};
  return std::optional<ResetFor>{ResetFor{(*user)->id, (*user)->name, (*user)->email}};
}

Result<std::int64_t> reset_password(db::Transaction& tx, const std::string& token, const std::string& password_hash,
                                    Instant now) {
  if (!password_hash.starts_with("$argon2id$")) return fail(Error::internal("reset_password: not an Argon2id hash"));
  auto found = find_password_reset(tx, token, now);
  if (!found) return fail(found.error());
  if (!*found) return fail(Error::not_found("再設定リンクが見つかりません"));
  std::int64_t user_id = (*found)->user_id;
  forget_signed_in();  // its sessions end below
  auto updated = tx.exec("UPDATE users SET password_hash = ? WHERE id = ?", {password_hash, user_id});
  if (!updated) return fail(updated.error());
  auto ended = tx.exec("DELETE FROM sessions WHERE user_id = ?", {user_id});
  if (!ended) return fail(ended.error());
  std::int64_t sessions_ended = tx.changes();
  auto used = tx.exec("DELETE FROM password_resets WHERE user_id = ?", {user_id});
  if (!used) return fail(used.error());
  boost::json::object detail{{"sessions_ended", sessions_ended}};
  auto logged = audit::record(
      tx, audit::by_user(user_id, "auth.password_reset", fmt::format("user:{}", user_id), boost::json::serialize(detail)),
      now);
  if (!logged) return fail(logged.error());
  return user_id;
}

Result<std::int64_t> purge_self_service(db::Database& database, Instant now) {
  return database.transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) -> Result<std::int64_t> {
    std::int64_t removed = 0;
    for (auto [sql, limit] : {std::pair{"DELETE FROM pending_signups WHERE expires_at <= ?", seconds(now)},
                              std::pair{"DELETE FROM password_resets WHERE expires_at <= ?", seconds(now)},
                              std::pair{"DELETE FROM self_service_requests WHERE at <= ?", seconds(now) - 86400}}) {
      auto done = tx.exec(sql, {limit});
      if (!done) return fail(done.error());
      removed += tx.changes();
    }
    return removed;
  });
}

}  // namespace kakehashi::auth
