// Organisation names: stored cleaned, look-alikes found, near-equal names recorded for a warning.
#include "auth/organisations.h"

#include <gtest/gtest.h>

#include "auth/users.h"
#include "db/migrate.h"
#include "support/result.h"
#include "support/temp_dir.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::auth {
namespace {

using namespace std::chrono;
const sys_seconds kNow = sys_days{2026y / 12 / 3};

class OrganisationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(database_, db::open_sqlite(dir_.file("o.db")));
    ASSERT_TRUE(db::migrate(*database_));
  }
  Result<std::int64_t> ensure(const std::string& name) {
    return database_->transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) {
      return ensure_organisation(tx, name, "operator", std::nullopt, audit::Actor::system(), kNow);
    });
  }
  Organisation find(std::int64_t id) {
    auto tx = *database_->begin(db::TxMode::kRead);
    return **find_organisation(*tx, id);
  }
  std::int64_t count() {
    auto tx = *database_->begin(db::TxMode::kRead);
    return *tx->scalar("SELECT COUNT(*) FROM organisations");
  }
  testing::TempDir dir_;
  std::unique_ptr<db::Database> database_;
};

TEST_F(OrganisationsTest, LookAlikesOfAnExistingNameAreTheSameOrganisation) {
  std::int64_t sakura = *ensure("株式会社サクラ");
  // A zero-width joiner, a zero-width space, a BOM, full-width spaces around: the same name.
  EXPECT_EQ(*ensure("株式会社サ\u200Dクラ"), sakura);
  EXPECT_EQ(*ensure("\u3000株式会社\u200Bサクラ\uFEFF "), sakura);
  // Half-width katakana: NFKC makes it the same.
  EXPECT_EQ(*ensure("株式会社ｻｸﾗ"), sakura);
  EXPECT_EQ(count(), 1);
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(db::TxMode::kRead));
  EXPECT_EQ(*organisation_named(*tx, "株式会社\u2060サクラ"), sakura);
  EXPECT_FALSE(*organisation_named(*tx, "株式会社モモ"));
}

TEST_F(OrganisationsTest, NamesAreStoredCleaned) {
  std::int64_t id = *ensure("  ｻｸﾗ\u200B教育   ラボ ");
  EXPECT_EQ(find(id).name, "サクラ教育 ラボ");
  ExpectError(ensure("\u200B\u200C"), ErrorCode::kInvalidArgument, "組織名を入力してください");
  ExpectError(ensure(std::string(101 * 3, 'a').substr(0, 101)), ErrorCode::kInvalidArgument,
              "組織名は 100 文字以内で入力してください");
}

TEST_F(OrganisationsTest, ANearlyEqualNameIsRecordedWithTheOlderOrganisation) {
  std::int64_t sakura = *ensure("株式会社サクラ");
  // (株) for 株式会社, the legal form after the name, ㈱: the counting engine's matching says equal.
  std::int64_t kabu = *ensure("(株)サクラ");
  std::int64_t after = *ensure("サクラ株式会社");
  std::int64_t sign = *ensure("ｻｸﾗ㈱");
  for (std::int64_t id : {kabu, after, sign}) {
    EXPECT_NE(id, sakura);
    Organisation o = find(id);
    EXPECT_EQ(o.similar_to_id, sakura) << o.name;
    EXPECT_EQ(o.similar_to_name, "株式会社サクラ") << o.name;
  }
  EXPECT_FALSE(find(sakura).similar_to_id);
  EXPECT_FALSE(find(*ensure("株式会社モモ")).similar_to_id);
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(db::TxMode::kRead));
  ASSERT_OK_AND_ASSIGN(auto similar, similar_organisation(*tx, "サクラ　株式会社"));
  ASSERT_TRUE(similar);
  EXPECT_EQ(similar->id, sakura);
  EXPECT_FALSE(*similar_organisation(*tx, "株式会社サクラ"));  // the same name is not "similar"
  ASSERT_OK_AND_ASSIGN(auto detail, tx->query_one("SELECT detail FROM audit_log WHERE object = ?",
                                                  {"organisation:" + std::to_string(kabu)}));
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->text(0), "{\"similar_to\":" + std::to_string(sakura) + "}");
}

TEST_F(OrganisationsTest, TheUserListCarriesTheWarning) {
  std::int64_t sakura = *ensure("株式会社サクラ");
  std::int64_t kabu = *ensure("(株)サクラ");
  auto hashed = *with_password_hash({"op@example.jp", "事業 太郎", "long enough password", {Role::kOperator}, kabu});
  auto id = database_->transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) {
    return create_user(tx, hashed, Granter::console(), kNow);
  });
  ASSERT_OK(id);
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(db::TxMode::kRead));
  ASSERT_OK_AND_ASSIGN(auto user_found, find_user(*tx, *id));
  ASSERT_TRUE(user_found.has_value());
  auto user = *std::move(user_found);
  EXPECT_EQ(user.organisation_name, "(株)サクラ");
  EXPECT_EQ(user.organisation_similar_to, "株式会社サクラ");
  ASSERT_OK_AND_ASSIGN(auto listed, list_organisations(*tx));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, kabu);  // by name: "(" sorts before "株"
  EXPECT_EQ(listed[0].similar_to_id, sakura);
}

TEST(OrganisationNameKey, SharesTheCountingEnginesMatching) {
  EXPECT_EQ(organisation_name_key("株式会社サクラ"), organisation_name_key("(株)サクラ"));
  EXPECT_EQ(organisation_name_key("株式会社サクラ"), organisation_name_key("ｻｸﾗ\u200B株式会社"));
  EXPECT_NE(organisation_name_key("株式会社サクラ"), organisation_name_key("株式会社サクラ教育"));
}

}  // namespace
}  // namespace kakehashi::auth
