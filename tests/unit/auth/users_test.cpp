#include "auth/users.h"

#include <gtest/gtest.h>

#include "auth/password.h"
#include "db/migrate.h"
#include "support/temp_dir.h"

namespace kakehashi::auth {
namespace {

using namespace std::chrono;
const sys_seconds kNow = sys_days{2026y / 11 / 25};

class UsersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::move(*db::open_sqlite(dir_.file("u.db")));
    ASSERT_TRUE(db::migrate(*database_));
  }
  Result<std::int64_t> add(NewUser user) {
    return database_->transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) {
      return create_user(tx, user, audit::Actor::system(), kNow);
    });
  }
  testing::TempDir dir_;
  std::unique_ptr<db::Database> database_;
};

TEST_F(UsersTest, CreatesUserWithRolesAndAuditEntry) {
  auto id = add({"yamada@example.go.jp", "山田 太郎", "correct horse battery", {Role::kSecretariat, Role::kReviewer}});
  ASSERT_TRUE(id) << id.error().message;
  auto tx = *database_->begin(db::TxMode::kRead);
  auto user = **find_user(*tx, *id);
  EXPECT_EQ(user.name, "山田 太郎");
  EXPECT_EQ(user.roles, (std::set<Role>{Role::kSecretariat, Role::kReviewer}));
  EXPECT_EQ(*tx->scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'user.create'"), 1);
  auto hash = (*tx->query_one("SELECT password_hash FROM users"))->text(0);
  EXPECT_TRUE(hash.starts_with("$argon2id$"));
  EXPECT_TRUE(verify_password("correct horse battery", hash));
  EXPECT_FALSE(verify_password("correct horse batterz", hash));
}

TEST_F(UsersTest, ValidatesWithJapaneseMessages) {
  EXPECT_EQ(add({"not-an-email", "名前", "long enough password", {Role::kMeti}}).error().message,
            "メールアドレスの形式が正しくありません");
  EXPECT_EQ(add({"a@example.jp", "　", "long enough password", {Role::kMeti}}).error().message, "氏名を入力してください");
  EXPECT_EQ(add({"a@example.jp", "名前", "short", {Role::kMeti}}).error().message, "パスワードは 12 文字以上にしてください");
  EXPECT_EQ(add({"a@example.jp", "名前", "long enough password", {}}).error().message, "ロールを 1 つ以上指定してください");
  EXPECT_EQ(add({"a@example.jp", "名前", "long enough password", {Role::kBureau}}).error().message,
            "経済産業局のユーザーには担当ブロックを指定してください");
}

TEST_F(UsersTest, RefusesDuplicateEmailCaseInsensitively) {
  ASSERT_TRUE(add({"Sato@Example.jp", "佐藤", "long enough password", {Role::kMeti}}));
  auto again = add({"sato@example.jp", "佐藤", "long enough password", {Role::kMeti}});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(again.error().message, "このメールアドレスは既に登録されています");
}

TEST_F(UsersTest, PrincipalCarriesOrganisationAndRoles) {
  auto org = database_->transact<std::int64_t>(db::TxMode::kWrite, [](db::Transaction& tx) {
    return ensure_organisation(tx, "株式会社サクラ", "operator", std::nullopt, audit::Actor::system(), kNow);
  });
  ASSERT_TRUE(org);
  auto id = *add({"op@sakura.example", "鈴木", "long enough password", {Role::kOperator}, *org});
  auto tx = *database_->begin(db::TxMode::kRead);
  auto principal = **load_principal(*tx, id);
  EXPECT_TRUE(principal.has(Role::kOperator));
  EXPECT_EQ(principal.organisation_id, *org);
  EXPECT_FALSE(*load_principal(*tx, id + 100));
}

TEST_F(UsersTest, OrganisationCreationIsAttributedToItsActor) {
  auto org = database_->transact<std::int64_t>(db::TxMode::kWrite, [](db::Transaction& tx) {
    return ensure_organisation(tx, "関東経済産業局", "bureau", "kanto", audit::Actor::user(42), kNow);
  });
  ASSERT_TRUE(org);
  auto tx = *database_->begin(db::TxMode::kRead);
  auto row = *tx->query_one("SELECT actor, actor_user_id FROM audit_log WHERE action = 'organisation.create'");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->text(0), "user:42");
  EXPECT_EQ(row->integer(1), 42);
}

TEST(Email, Plausibility) {
  EXPECT_TRUE(is_plausible_email("a.b@meti.go.jp"));
  EXPECT_FALSE(is_plausible_email("a@b"));
  EXPECT_FALSE(is_plausible_email("a b@c.jp"));
  EXPECT_FALSE(is_plausible_email("@c.jp"));
  EXPECT_FALSE(is_plausible_email("a@@c.jp"));
}

}  // namespace
}  // namespace kakehashi::auth
