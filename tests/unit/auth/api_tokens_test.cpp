#include "auth/api_tokens.h"

#include <gtest/gtest.h>

#include "auth/password.h"
#include "auth/users.h"
#include "db/migrate.h"
#include "support/result.h"
#include "support/temp_dir.h"

namespace kakehashi::auth {
namespace {

using namespace std::chrono;
using testing::ExpectError;
const sys_seconds kNow = sys_days{2026y / 12 / 3} + 5h;

class ApiTokensTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(database_, db::open_sqlite(dir_.file("t.db")));
    ASSERT_TRUE(db::migrate(*database_));
    owner_ = add("op@example.jp", "事業 一郎", {Role::kOperator});
    secretariat_ = add("jimu@example.jp", "事務 花子", {Role::kSecretariat});
    reviewer_ = add("r@example.jp", "審査 太郎", {Role::kReviewer});
  }
  std::int64_t add(const std::string& email, const std::string& name, std::set<Role> roles) {
    auto user = *with_password_hash({email, name, "a long passphrase", roles});
    return *database_->transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) {
      return create_user(tx, user, Granter::console(), kNow);
    });
  }
  Result<IssuedToken> create(std::int64_t user, NewTokenForm form = {"集計用", ""}, sys_seconds at = kNow) {
    return database_->transact<IssuedToken>(db::TxMode::kWrite, [&](db::Transaction& tx) {
      return create_api_token(tx, user, form, audit::Actor::user(user), at);
    });
  }
  Principal principal(std::int64_t user) {
    auto tx = *database_->begin(db::TxMode::kRead);
    return **load_principal(*tx, user);
  }
  Result<void> revoke(std::int64_t token, const Granter& granter, sys_seconds at = kNow) {
    return database_->write([&](db::Transaction& tx) { return revoke_api_token(tx, token, granter, at); });
  }
  std::optional<Principal> holder(const std::string& token, sys_seconds at = kNow) {
    auto found = authenticate_api_token(*database_, token, at);
    EXPECT_OK(found);
    return found ? *found : std::nullopt;
  }
  std::string audit_details(const std::string& action) {
    auto tx = *database_->begin(db::TxMode::kRead);
    auto rows = *tx->query("SELECT object || ' ' || actor || ' ' || detail FROM audit_log WHERE action = ? ORDER BY id",
                           {action});
    std::string out;
    for (const auto& row : rows) out += row.text(0) + "\n";
    return out;
  }
  testing::TempDir dir_;
  std::unique_ptr<db::Database> database_;
  std::int64_t owner_ = 0, secretariat_ = 0, reviewer_ = 0;
};

TEST_F(ApiTokensTest, TheTokenStandsForItsOwnerWithTheirRolesAndOnlyItsHashIsStored) {
  ASSERT_OK_AND_ASSIGN(auto issued, create(owner_));
  EXPECT_TRUE(issued.secret.starts_with("kk_" + std::to_string(issued.token.id) + "_")) << issued.secret;
  EXPECT_EQ(issued.secret.size(), 3 + std::to_string(issued.token.id).size() + 1 + 43);
  EXPECT_EQ(issued.token.expires_at, kNow + days{365});
  auto found = holder(issued.secret, kNow + 1min);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->user_id, owner_);
  EXPECT_EQ(found->roles, std::set<Role>{Role::kOperator});
  auto tx = *database_->begin(db::TxMode::kRead);
  std::string secret = issued.secret.substr(issued.secret.find('_', 3) + 1);
  EXPECT_EQ(*tx->scalar("SELECT COUNT(*) FROM api_tokens WHERE secret_hash = ?", {db::Blob{sha256(secret)}}), 1);
  EXPECT_EQ(*tx->scalar("SELECT COUNT(*) FROM api_tokens WHERE instr(secret_hash, ?) > 0", {secret}), 0);
  // Its use is noted.
  auto listed = *list_api_tokens(*tx, owner_);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].last_used_at, kNow + 1min);
}

TEST_F(ApiTokensTest, AWrongSecretAnUnknownIdAndOtherTextAreRefused) {
  ASSERT_OK_AND_ASSIGN(auto issued, create(owner_));
  std::string wrong = issued.secret;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(holder(wrong));
  std::string other_id = "kk_99" + issued.secret.substr(issued.secret.find('_', 3));
  EXPECT_FALSE(holder(other_id));
  EXPECT_FALSE(holder(""));
  EXPECT_FALSE(holder("kk_"));
  EXPECT_FALSE(holder(issued.secret.substr(3)));
  EXPECT_FALSE(holder(issued.secret + "x"));
  EXPECT_TRUE(holder(issued.secret));
}

TEST_F(ApiTokensTest, AnExpiredTokenIsRefusedAndTheValidityIsTheOwnersChoiceUpTo365Days) {
  ASSERT_OK_AND_ASSIGN(auto issued, create(owner_, {"一週間", "7"}));
  EXPECT_EQ(issued.token.expires_at, kNow + days{7});
  EXPECT_TRUE(holder(issued.secret, kNow + days{7} - 1s));
  EXPECT_FALSE(holder(issued.secret, kNow + days{7}));
  auto tx = *database_->begin(db::TxMode::kRead);
  EXPECT_EQ((*find_api_token(*tx, issued.token.id))->state(kNow + days{7}), TokenState::kExpired);
}

TEST_F(ApiTokensTest, TheFormIsCheckedWithJapaneseMessagesPerField) {
  auto problems = check_new_token({"  ", "366"});
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].field, "name");
  EXPECT_EQ(problems[0].message, "トークンの名前を入力してください");
  EXPECT_EQ(problems[1].field, "days");
  EXPECT_EQ(problems[1].message, "有効期間は 1〜365 の日数（半角数字）で入力してください");
  for (const char* days : {"0", "-1", "1.5", "三十", "30 "}) {
    EXPECT_EQ(check_new_token({"x", days}).size(), 1u) << days;
  }
  EXPECT_EQ(check_new_token({std::string(101, 'a'), "1"}).front().message, "トークンの名前は 100 文字以内で入力してください");
  EXPECT_TRUE(check_new_token({"x", "365"}).empty());
  ExpectError(create(owner_, {"x", "0"}), ErrorCode::kInvalidArgument, "有効期間は 1〜365 の日数（半角数字）で入力してください");
  auto tx = *database_->begin(db::TxMode::kRead);
  EXPECT_EQ(*tx->scalar("SELECT COUNT(*) FROM api_tokens"), 0);
  EXPECT_EQ(*tx->scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'api_token.create'"), 0);
}

TEST_F(ApiTokensTest, TheOwnerRevokesAndTheTokenStopsWorkingAuditedWithoutTheSecret) {
  ASSERT_OK_AND_ASSIGN(auto issued, create(owner_));
  EXPECT_OK(revoke(issued.token.id, Granter::person(principal(owner_)), kNow + 1h));
  EXPECT_FALSE(holder(issued.secret, kNow + 2h));
  EXPECT_OK(revoke(issued.token.id, Granter::person(principal(owner_)), kNow + 3h));  // again: nothing written
  std::string id = std::to_string(issued.token.id), owner = std::to_string(owner_);
  EXPECT_EQ(audit_details("api_token.create"),
            "api_token:" + id + " user:" + owner + " {\"days\":365,\"owner\":" + owner + "}\n");
  EXPECT_EQ(audit_details("api_token.revoke"),
            "api_token:" + id + " user:" + owner + " {\"by_owner\":true,\"owner\":" + owner + "}\n");
  std::string secret = issued.secret.substr(issued.secret.find('_', 3) + 1);
  auto tx = *database_->begin(db::TxMode::kRead);
  EXPECT_EQ(*tx->scalar("SELECT COUNT(*) FROM audit_log WHERE instr(detail, ?) > 0 OR instr(detail, '集計用') > 0",
                        {secret}),
            0);
}

TEST_F(ApiTokensTest, AUserManagerMayRevokeAnothersTokenButAReviewerOrAnotherOperatorMayNot) {
  ASSERT_OK_AND_ASSIGN(auto issued, create(owner_));
  std::int64_t other_operator = add("op2@example.jp", "事業 二郎", {Role::kOperator});
  ExpectError(revoke(issued.token.id, Granter::person(principal(reviewer_))), ErrorCode::kNotFound, "API トークンが見つかりません");
  ExpectError(revoke(issued.token.id, Granter::person(principal(other_operator))), ErrorCode::kNotFound, "API トークンが見つかりません");
  EXPECT_TRUE(holder(issued.secret));
  EXPECT_OK(revoke(issued.token.id, Granter::person(principal(secretariat_))));
  EXPECT_FALSE(holder(issued.secret));
  EXPECT_EQ(audit_details("api_token.revoke"), "api_token:" + std::to_string(issued.token.id) + " user:" +
                                                   std::to_string(secretariat_) + " {\"by_owner\":false,\"owner\":" +
                                                   std::to_string(owner_) + "}\n");
  ExpectError(revoke(999, Granter::console()), ErrorCode::kNotFound, "API トークンが見つかりません");
}

TEST_F(ApiTokensTest, ADeactivatedOwnersTokenIsRefusedAndWorksAgainOnReactivation) {
  ASSERT_OK_AND_ASSIGN(auto issued, create(owner_));
  auto set_active = [&](bool active) {
    return database_->write([&](db::Transaction& tx) {
      return set_user_active(tx, owner_, active, Granter::person(principal(secretariat_)), kNow);
    });
  };
  ASSERT_OK(set_active(false));
  EXPECT_FALSE(holder(issued.secret));
  ExpectError(create(owner_), ErrorCode::kNotFound, "有効なユーザーが見つかりません");
  ASSERT_OK(set_active(true));
  EXPECT_TRUE(holder(issued.secret));
}

}  // namespace
}  // namespace kakehashi::auth
