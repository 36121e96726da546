#include "auth/self_service.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "auth/password.h"
#include "auth/sessions.h"
#include "auth/users.h"
#include "db/migrate.h"
#include "support/result.h"
#include "support/temp_dir.h"

using ::kakehashi::testing::ExpectError;
using ::kakehashi::testing::ExpectErrorCode;

namespace kakehashi::auth {
namespace {

using namespace std::chrono;
const sys_seconds kNow = sys_days{2026y / 12 / 3} + 9h;
const std::string kPassword = "operator passphrase 1";

class SelfServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(database_, db::open_sqlite(dir_.file("s.db")));
    ASSERT_TRUE(db::migrate(*database_));
    hash_ = *hash_password(kPassword);
  }
  Result<void> count(RequestKind kind, const std::string& address, const std::string& email, sys_seconds at,
                     SelfServiceLimits limits = {}) {
    return database_->write([&](db::Transaction& tx) { return count_request(tx, kind, address, email, at, limits); });
  }
  Result<SignupTicket> sign_up(const std::string& email, const std::string& organisation = "株式会社みらい産学連携",
                               sys_seconds at = kNow) {
    SignupForm form{organisation, "実証 五郎", email, kPassword, "/calls/1"};
    return database_->transact<SignupTicket>(db::TxMode::kWrite,
                                             [&](db::Transaction& tx) { return request_signup(tx, form, hash_, at); });
  }
  Result<ConfirmedSignup> confirm(const std::string& token, const std::string& organisation, sys_seconds at = kNow) {
    return database_->transact<ConfirmedSignup>(
        db::TxMode::kWrite, [&](db::Transaction& tx) { return confirm_signup(tx, token, organisation, at); });
  }
  std::int64_t add_user(const std::string& email, const std::string& name) {
    auto user = *with_password_hash({email, name, "existing passphrase", {Role::kReviewer}});
    return *database_->transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) {
      return create_user(tx, user, Granter::console(), kNow);
    });
  }
  Result<std::optional<ResetTicket>> request_reset(const std::string& email, sys_seconds at = kNow) {
    return database_->transact<std::optional<ResetTicket>>(
        db::TxMode::kWrite, [&](db::Transaction& tx) { return request_password_reset(tx, email, at); });
  }
  Result<std::int64_t> reset(const std::string& token, const std::string& password, sys_seconds at = kNow) {
    std::string hash = *hash_password(password);
    return database_->transact<std::int64_t>(db::TxMode::kWrite,
                                             [&](db::Transaction& tx) { return reset_password(tx, token, hash, at); });
  }
  std::int64_t scalar(const std::string& sql, const db::Params& params = {}) {
    auto tx = *database_->begin(db::TxMode::kRead);
    return *tx->scalar(sql, params);
  }
  std::string password_hash_of(const std::string& email) {
    auto tx = *database_->begin(db::TxMode::kRead);
    return (*tx->query_one("SELECT password_hash FROM users WHERE email = ?", {email}))->text(0);
  }

  testing::TempDir dir_;
  std::unique_ptr<db::Database> database_;
  std::string hash_;
};

TEST(SignupForm, ListsEveryProblemAtOnceInFormOrder) {
  auto problems = check_signup_form({"", "　", "tanaka@例え.jp", "short"});
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_EQ(problems[0].field, "organisation");
  EXPECT_EQ(problems[0].message, "団体名を入力してください");
  EXPECT_EQ(problems[1].field, "name");
  EXPECT_EQ(problems[1].message, "担当者氏名を入力してください");
  EXPECT_EQ(problems[2].field, "email");
  EXPECT_EQ(problems[2].message, "メールアドレスの形式が正しくありません（半角英数字の例: tanaka@example.jp）");
  EXPECT_EQ(problems[3].field, "password");
  EXPECT_EQ(problems[3].message, "パスワードは 12 文字以上にしてください");
  EXPECT_EQ(check_signup_form({std::string(101 * 3, 'a'), "名前", "a@example.jp", kPassword}).at(0).message,
            "団体名は 100 文字以内で入力してください");
  EXPECT_TRUE(check_signup_form({" 株式会社サクラ ", "鈴木", " suzuki@sakura.example ", kPassword}).empty());
}

TEST_F(SelfServiceTest, RateLimitsPerAddressPerMailboxAndOverall) {
  // Five an hour from one address, whatever the e-mail addresses.
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(count(RequestKind::kSignup, "192.0.2.1", fmt::format("u{}@example.jp", i), kNow));
  auto sixth = count(RequestKind::kSignup, "192.0.2.1", "u9@example.jp", kNow + minutes{59});
  ASSERT_FALSE(sixth);
  ExpectError(sixth, ErrorCode::kRateLimited,
              "この接続元からの登録の申し込みが多すぎます。1 時間ほど待ってから、もう一度お試しください。");
  EXPECT_TRUE(count(RequestKind::kSignup, "192.0.2.2", "u9@example.jp", kNow + minutes{59})) << "another address";
  EXPECT_TRUE(count(RequestKind::kSignup, "192.0.2.1", "u8@example.jp", kNow + minutes{61})) << "an hour later";
  // Password resets are counted apart from sign-ups.
  EXPECT_TRUE(count(RequestKind::kPasswordReset, "192.0.2.1", "u0@example.jp", kNow + minutes{59}));

  // Three a day to one mailbox, from any address, whatever its letter case.
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(count(RequestKind::kSignup, fmt::format("198.51.100.{}", i), "Box@example.jp", kNow));
  auto fourth = count(RequestKind::kSignup, "198.51.100.9", "box@EXAMPLE.jp", kNow + hours{23});
  ASSERT_FALSE(fourth);
  ExpectError(fourth, ErrorCode::kRateLimited,
              "このメールアドレスへの確認メールの送信が多すぎます。24 時間ほど待ってから、もう一度お試しください。"
              "届いている確認メールがあれば、そのリンクをお使いください。");
  EXPECT_TRUE(count(RequestKind::kSignup, "198.51.100.9", "box@example.jp", kNow + hours{25}));

  // And a cap on all requests of the kind.
  SelfServiceLimits tight{.per_address_per_hour = 100, .per_email_per_day = 100, .overall_per_hour = 3};
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(count(RequestKind::kPasswordReset, fmt::format("203.0.113.{}", i), fmt::format("r{}@example.jp", i), kNow + hours{30}, tight));
  }
  auto capped = count(RequestKind::kPasswordReset, "203.0.113.9", "r9@example.jp", kNow + hours{30}, tight);
  ASSERT_FALSE(capped);
  ExpectError(capped, ErrorCode::kRateLimited,
              "ただいまパスワード再設定の申し込みが集中しています。しばらく待ってから、もう一度お試しください。");
  // No address or e-mail in clear.
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM self_service_requests WHERE length(subject) != 32"), 0);
}

TEST_F(SelfServiceTest, SignUpIsConfirmedThroughTheTokenAndMakesAnOperator) {
  auto ticket = sign_up(" Goro@Mirai.example ");
  ASSERT_OK(ticket);
  EXPECT_EQ(ticket->mail, SignupMail::kConfirm);
  EXPECT_EQ(ticket->email, "Goro@Mirai.example");
  EXPECT_EQ(ticket->token.size(), 43u);
  EXPECT_EQ(ticket->expires_at, kNow + hours{24});
  // Only the token's hash and the password's hash are kept.
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM pending_signups WHERE password_hash = ? AND length(token_hash) = 32", {hash_}), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM users"), 0) << "no account before the confirmation";
  {
    auto tx = *database_->begin(db::TxMode::kRead);
    auto pending = *find_pending_signup(*tx, ticket->token, kNow + hours{23});
    ASSERT_TRUE(pending);
    EXPECT_EQ(pending->organisation, "株式会社みらい産学連携");
    EXPECT_EQ(pending->name, "実証 五郎");
    EXPECT_EQ(pending->next_path, "/calls/1");
  }
  auto confirmed = confirm(ticket->token, "株式会社みらい産学連携", kNow + hours{23});
  ASSERT_OK(confirmed);
  EXPECT_EQ(confirmed->next_path, "/calls/1");
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(db::TxMode::kRead));
  ASSERT_OK_AND_ASSIGN(auto user_found, find_user(*tx, confirmed->user_id));
  ASSERT_TRUE(user_found.has_value());
  auto user = *std::move(user_found);
  EXPECT_EQ(user.email, "Goro@Mirai.example");
  EXPECT_EQ(user.roles, std::set<Role>{Role::kOperator});
  EXPECT_EQ(user.organisation_name, "株式会社みらい産学連携");
  EXPECT_TRUE(verify_password(kPassword, password_hash_of("Goro@Mirai.example")));
  EXPECT_EQ(*tx->scalar("SELECT COUNT(*) FROM organisations WHERE kind = 'operator'"), 1);
  for (const char* action : {"user.signup", "user.create", "organisation.create"}) {
    EXPECT_EQ(*tx->scalar("SELECT COUNT(*) FROM audit_log WHERE action = ?", {std::string(action)}), 1) << action;
  }
  EXPECT_EQ(*tx->scalar("SELECT COUNT(*) FROM pending_signups"), 0);
  tx = {};
  // The link works once.
  auto again = confirm(ticket->token, "別の団体");
  ASSERT_FALSE(again);
  ExpectErrorCode(again, ErrorCode::kNotFound);
}

TEST_F(SelfServiceTest, AnAddressWithAnAccountGetsADifferentMailAndNoPendingSignUp) {
  add_user("reviewer@example.jp", "審査 一郎");
  auto ticket = sign_up("REVIEWER@example.jp");
  ASSERT_TRUE(ticket);
  EXPECT_EQ(ticket->mail, SignupMail::kAlreadyRegistered);
  EXPECT_EQ(ticket->name, "審査 一郎") << "the mail names the account's holder, not what was typed";
  EXPECT_TRUE(ticket->token.empty());
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM pending_signups"), 0);
}

TEST_F(SelfServiceTest, ALinkExpiresAfter24HoursAndIsPurged) {
  auto ticket = sign_up("late@example.jp");
  auto late = confirm(ticket->token, "株式会社みらい産学連携", kNow + hours{24});
  ASSERT_FALSE(late);
  ExpectErrorCode(late, ErrorCode::kNotFound);
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(db::TxMode::kRead));
  EXPECT_FALSE(*find_pending_signup(*tx, ticket->token, kNow + hours{24}));
  EXPECT_FALSE(*find_pending_signup(*tx, "not a token", kNow));
  tx = {};
  EXPECT_EQ(*purge_self_service(*database_, kNow + hours{24}), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM pending_signups"), 0);
}

TEST_F(SelfServiceTest, ASecondRequestReplacesTheFirstLink) {
  auto first = sign_up("twice@example.jp");
  auto second = sign_up("twice@example.jp");
  ExpectErrorCode(confirm(first->token, "株式会社みらい産学連携"), ErrorCode::kNotFound);
  EXPECT_TRUE(confirm(second->token, "株式会社みらい産学連携"));
}

TEST_F(SelfServiceTest, AnExistingOrganisationNameIsRefusedOnConfirmationAndCanBeCorrected) {
  auto first = sign_up("a@mirai.example");
  ASSERT_TRUE(confirm(first->token, "株式会社みらい産学連携"));
  auto second = sign_up("b@other.example");
  auto refused = confirm(second->token, " 株式会社みらい産学連携 ");
  ASSERT_FALSE(refused);
  ExpectError(refused, ErrorCode::kInvalidArgument,
              "この団体名はすでに登録されています。同じ団体の担当者としての登録は、事務局にお問い合わせください。"
              "別の団体の場合は、正式名称（支店名・部署名など）を入れて区別してください。");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM users"), 1);
  auto corrected = confirm(second->token, "株式会社みらい産学連携 北海道支店");
  ASSERT_OK(corrected);
  ExpectErrorCode(confirm(second->token, "x"), ErrorCode::kNotFound);
}

TEST_F(SelfServiceTest, AnAddressRegisteredMeanwhileIsRefusedOnConfirmation) {
  auto ticket = sign_up("race@example.jp");
  add_user("race@example.jp", "先に登録");
  auto refused = confirm(ticket->token, "株式会社みらい産学連携");
  ASSERT_FALSE(refused);
  ExpectError(refused, ErrorCode::kConflict,
              "このメールアドレスのアカウントはすでにあります。ログインするか、パスワードを再設定してください。");
}

TEST_F(SelfServiceTest, PasswordResetForActiveUsersOnlyWithAOneTimeLink) {
  auto user = add_user("kato@example.jp", "加藤");
  auto inactive = add_user("gone@example.jp", "退職");
  {
    auto tx = *database_->begin(db::TxMode::kWrite);
    ASSERT_TRUE(tx->exec("UPDATE users SET active = 0 WHERE id = ?", {inactive}));
    ASSERT_TRUE(tx->commit());
  }
  EXPECT_FALSE(*request_reset("nobody@example.jp"));
  EXPECT_FALSE(*request_reset("gone@example.jp"));
  ASSERT_OK_AND_ASSIGN(auto ticket, request_reset("KATO@example.jp"));
  ASSERT_TRUE(ticket);
  EXPECT_EQ(ticket->user_id, user);
  EXPECT_EQ(ticket->name, "加藤");
  EXPECT_EQ(ticket->expires_at, kNow + hours{1});
  {
    auto tx = *database_->begin(db::TxMode::kRead);
    auto found = *find_password_reset(*tx, ticket->token, kNow + minutes{59});
    ASSERT_TRUE(found);
    EXPECT_EQ(found->email, "kato@example.jp");
    EXPECT_FALSE(*find_password_reset(*tx, ticket->token, kNow + minutes{60}));
  }
  // Two signed-in sessions and a visitor's: the reset ends the user's, not the visitor's.
  ASSERT_TRUE(database_->write([&](db::Transaction& tx) -> Result<void> {
    for (std::optional<std::int64_t> who : {std::optional<std::int64_t>(user), std::optional<std::int64_t>(user),
                                            std::optional<std::int64_t>()}) {
      if (auto s = create_session(tx, who, kNow); !s) return fail(s.error());
    }
    return {};
  }));
  auto done = reset(ticket->token, "a brand new passphrase", kNow + minutes{30});
  ASSERT_OK(done);
  EXPECT_EQ(*done, user);
  EXPECT_TRUE(verify_password("a brand new passphrase", password_hash_of("kato@example.jp")));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM sessions WHERE user_id = ?", {user}), 0);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM sessions WHERE user_id IS NULL"), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.password_reset' AND detail = '{\"sessions_ended\":2}'"), 1);
  // The link cannot be used again.
  auto reused = reset(ticket->token, "another passphrase!", kNow + minutes{31});
  ASSERT_FALSE(reused);
  ExpectErrorCode(reused, ErrorCode::kNotFound);
  EXPECT_TRUE(verify_password("a brand new passphrase", password_hash_of("kato@example.jp")));
}

TEST_F(SelfServiceTest, ANewResetRequestEndsTheEarlierLinkAndExpiredOnesArePurged) {
  add_user("kato@example.jp", "加藤");
  ASSERT_OK_AND_ASSIGN(auto first, request_reset("kato@example.jp"));
  ASSERT_OK_AND_ASSIGN(auto second, request_reset("kato@example.jp", kNow + minutes{5}));
  ExpectErrorCode(reset(first->token, "a brand new passphrase"), ErrorCode::kNotFound);
  ExpectErrorCode(reset(second->token, "a brand new passphrase", kNow + minutes{65}),
                  ErrorCode::kNotFound);  // valid for 1 hour
  EXPECT_EQ(*purge_self_service(*database_, kNow + minutes{65}), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM password_resets"), 0);
}

}  // namespace
}  // namespace kakehashi::auth
