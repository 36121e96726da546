#include "auth/sessions.h"

#include <gtest/gtest.h>

#include "auth/users.h"
#include "db/migrate.h"
#include "support/temp_dir.h"

namespace kakehashi::auth {
namespace {

using namespace std::chrono;
const sys_seconds kNow = sys_days{2026y / 11 / 25} + 9h;

class SessionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::move(*db::open_sqlite(dir_.file("s.db")));
    ASSERT_TRUE(db::migrate(*database_));
    user_id_ = *database_->transact<std::int64_t>(db::TxMode::kWrite, [](db::Transaction& tx) {
      return create_user(tx, {"kato@example.jp", "加藤", "a long passphrase", {Role::kMeti}}, audit::Actor::system(), kNow);
    });
  }
  Session create(std::optional<std::int64_t> user, sys_seconds at = kNow) {
    return *database_->transact<Session>(db::TxMode::kWrite,
                                         [&](db::Transaction& tx) { return create_session(tx, user, at); });
  }
  std::int64_t audit_count(const std::string& action) {
    auto tx = *database_->begin(db::TxMode::kRead);
    return *tx->scalar("SELECT COUNT(*) FROM audit_log WHERE action = ?", {action});
  }
  testing::TempDir dir_;
  std::unique_ptr<db::Database> database_;
  std::int64_t user_id_ = 0;
  SessionPolicy policy_;
};

TEST_F(SessionsTest, StoresOnlyTheHashOfTheId) {
  Session session = create(user_id_);
  EXPECT_EQ(session.token.size(), 43u);
  EXPECT_EQ(session.csrf_token.size(), 43u);
  auto tx = *database_->begin(db::TxMode::kRead);
  EXPECT_EQ(*tx->scalar("SELECT COUNT(*) FROM sessions WHERE id_hash = ?", {db::Blob{session.token}}), 0);
  EXPECT_EQ(*tx->scalar("SELECT COUNT(*) FROM sessions WHERE id_hash = ?", {db::Blob{session.id_hash}}), 1);
  tx.reset();
  auto found = *find_signed_in(*database_, session.token, kNow + 1min, policy_);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->session.user_id, user_id_);
  EXPECT_EQ(found->session.csrf_token, session.csrf_token);
  EXPECT_NE(create(user_id_).token, session.token);
}

TEST_F(SessionsTest, SignedInCarriesTheUserAndRolesUntilTheUserIsDeactivated) {
  Session session = create(user_id_);
  auto found = *find_signed_in(*database_, session.token, kNow, policy_);
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->principal);
  EXPECT_EQ(found->principal->user_id, user_id_);
  EXPECT_EQ(found->principal->name, "加藤");
  EXPECT_EQ(found->principal->roles, (std::set<Role>{Role::kMeti}));
  Session visitor = create(std::nullopt);
  auto anonymous = *find_signed_in(*database_, visitor.token, kNow, policy_);
  ASSERT_TRUE(anonymous);
  EXPECT_FALSE(anonymous->principal);
  ASSERT_TRUE(database_->write([&](db::Transaction& tx) {
    return tx.exec("UPDATE users SET active = 0 WHERE id = ?", {user_id_});
  }));
  auto deactivated = *find_signed_in(*database_, session.token, kNow, policy_);
  ASSERT_TRUE(deactivated);
  EXPECT_FALSE(deactivated->principal);
}

TEST_F(SessionsTest, IdleAndAbsoluteTimeoutsEndTheSession) {
  Session idle = create(user_id_);
  EXPECT_TRUE(*find_signed_in(*database_, idle.token, kNow + 29min, policy_));
  EXPECT_FALSE(*find_signed_in(*database_, idle.token, kNow + 29min + 31min, policy_));

  Session busy = create(user_id_);
  for (auto t = kNow; t < kNow + 12h; t += 20min) ASSERT_TRUE(*find_signed_in(*database_, busy.token, t, policy_));
  EXPECT_FALSE(*find_signed_in(*database_, busy.token, kNow + 12h + 1min, policy_));
}

TEST_F(SessionsTest, UnknownOrMalformedTokensFindNothing) {
  EXPECT_FALSE(*find_signed_in(*database_, "nope", kNow, policy_));
  EXPECT_FALSE(*find_signed_in(*database_, std::string(43, 'A'), kNow, policy_));
}

TEST_F(SessionsTest, DeletedSessionIsGone) {
  Session session = create(user_id_);
  ASSERT_TRUE(database_->write([&](db::Transaction& tx) { return delete_session(tx, session.token); }));
  EXPECT_FALSE(*find_signed_in(*database_, session.token, kNow, policy_));
}

TEST_F(SessionsTest, LoginSucceedsAndIsAudited) {
  auto outcome = *login(*database_, "KATO@example.jp", "a long passphrase", "127.0.0.1", kNow, policy_);
  EXPECT_EQ(outcome.status, LoginStatus::kSuccess);
  EXPECT_EQ(outcome.user_id, user_id_);
  EXPECT_EQ(audit_count("auth.login"), 1);
}

TEST_F(SessionsTest, WrongPasswordAndUnknownAccountGiveTheSameMessage) {
  auto wrong = *login(*database_, "kato@example.jp", "wrong passphrase", "127.0.0.1", kNow, policy_);
  auto unknown = *login(*database_, "nobody@example.jp", "a long passphrase", "127.0.0.2", kNow, policy_);
  EXPECT_EQ(wrong.status, LoginStatus::kBadCredentials);
  EXPECT_EQ(unknown.status, LoginStatus::kBadCredentials);
  EXPECT_EQ(wrong.message, unknown.message);
  EXPECT_EQ(audit_count("auth.login_failed"), 2);
}

TEST_F(SessionsTest, FiveFailuresLockTheAccountForFifteenMinutes) {
  for (int i = 0; i < 5; ++i) {
    auto outcome = *login(*database_, "kato@example.jp", "wrong", "10.0.0." + std::to_string(i), kNow + seconds{i}, policy_);
    EXPECT_EQ(outcome.status, LoginStatus::kBadCredentials);
  }
  // Even the right password is refused while locked, from any address.
  auto locked = *login(*database_, "kato@example.jp", "a long passphrase", "10.0.0.99", kNow + 1min, policy_);
  EXPECT_EQ(locked.status, LoginStatus::kLocked);
  EXPECT_EQ(locked.message, kLockedMessage);
  EXPECT_EQ(audit_count("auth.login_locked"), 1);
  auto later = *login(*database_, "kato@example.jp", "a long passphrase", "10.0.0.99", kNow + 16min, policy_);
  EXPECT_EQ(later.status, LoginStatus::kSuccess);
}

TEST_F(SessionsTest, FiveFailuresFromOneAddressLockThatAddress) {
  for (int i = 0; i < 5; ++i) {
    (void)*login(*database_, "user" + std::to_string(i) + "@example.jp", "wrong", "192.0.2.7", kNow, policy_);
  }
  EXPECT_EQ(login(*database_, "kato@example.jp", "a long passphrase", "192.0.2.7", kNow, policy_)->status,
            LoginStatus::kLocked);
  EXPECT_EQ(login(*database_, "kato@example.jp", "a long passphrase", "192.0.2.8", kNow, policy_)->status,
            LoginStatus::kSuccess);
}

TEST_F(SessionsTest, LockoutTableHoldsNoAddressOrEmailInClear) {
  (void)*login(*database_, "kato@example.jp", "wrong", "192.0.2.7", kNow, policy_);
  auto tx = *database_->begin(db::TxMode::kRead);
  auto rows = *tx->query("SELECT subject FROM login_failures");
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& row : rows) {
    std::string subject = row.text(0);
    EXPECT_EQ(subject.size(), 32u);
    EXPECT_EQ(subject.find("kato"), std::string::npos);
    EXPECT_EQ(subject.find("192.0.2.7"), std::string::npos);
  }
}

}  // namespace
}  // namespace kakehashi::auth
