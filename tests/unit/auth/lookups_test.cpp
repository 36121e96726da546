// The look-ups other modules use instead of reading the users and organisations tables.
#include <gtest/gtest.h>

#include "auth/users.h"
#include "db/migrate.h"
#include "support/result.h"
#include "support/temp_dir.h"

namespace kakehashi::auth {
namespace {

using namespace std::chrono;
const sys_seconds kNow = sys_days{2026y / 11 / 25};

class LookupsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(database_, db::open_sqlite(dir_.file("u.db")));
    ASSERT_TRUE(db::migrate(*database_));
    ASSERT_OK_AND_ASSIGN(tx_, database_->begin(db::TxMode::kWrite));
    school_ = *ensure_organisation(*tx_, "学校法人みらい学園", "operator", std::nullopt, audit::Actor::system(), kNow);
    bureau_ = *ensure_organisation(*tx_, "関東経済産業局", "bureau", std::nullopt, audit::Actor::system(), kNow);
  }
  // A user row (password hashing is tested elsewhere and slow on purpose).
  std::int64_t user(const std::string& name, const std::string& role, std::int64_t org,
                    std::optional<std::string> block = std::nullopt, bool active = true) {
    auto id = tx_->insert(
        "INSERT INTO users (email, name, password_hash, organisation_id, block_id, active, created_at) "
        "VALUES (?, ?, 'x', ?, ?, ?, '2026-11-01T00:00:00Z')",
        {name + "@example.jp", name, org, db::nullable(block), std::int64_t(active)});
    EXPECT_OK(id);
    EXPECT_TRUE(tx_->exec("INSERT INTO user_roles (user_id, role) VALUES (?, ?)", {*id, role}));
    return *id;
  }
  testing::TempDir dir_;
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<db::Transaction> tx_;
  std::int64_t school_ = 0, bureau_ = 0;
};

TEST_F(LookupsTest, ActiveUsersOfAnOrganisationLeaveOutInactiveOnesAndOtherOrganisations) {
  auto a = user("tanaka", "operator", school_);
  user("suzuki", "operator", school_, std::nullopt, false);
  auto c = user("sato", "operator", school_);
  user("kanto", "bureau", bureau_, "kanto");
  EXPECT_EQ(*active_users_of(*tx_, school_), (std::vector<std::int64_t>{a, c}));
  EXPECT_TRUE(active_users_of(*tx_, 9999)->empty());
}

TEST_F(LookupsTest, UsersWithARoleAreActiveAndOptionallyOfOneBlock) {
  auto kanto = user("kanto", "bureau", bureau_, "kanto");
  user("kanto_old", "bureau", bureau_, "kanto", false);
  auto hokkaido = user("hokkaido", "bureau", bureau_, "hokkaido");
  user("tanaka", "operator", school_);
  ASSERT_OK_AND_ASSIGN(auto all, users_with_role(*tx_, Role::kBureau));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, kanto);
  EXPECT_EQ(all[0].name, "kanto");
  EXPECT_EQ(all[0].block_id, "kanto");
  EXPECT_EQ(all[1].id, hokkaido);
  ASSERT_OK_AND_ASSIGN(auto of_kanto, users_with_role(*tx_, Role::kBureau, std::string("kanto")));
  ASSERT_EQ(of_kanto.size(), 1u);
  EXPECT_EQ(of_kanto[0].id, kanto);
  EXPECT_TRUE(users_with_role(*tx_, Role::kReviewer)->empty());
  EXPECT_TRUE(*has_active_role(*tx_, kanto, Role::kBureau));
  EXPECT_FALSE(*has_active_role(*tx_, kanto, Role::kReviewer));
}

TEST_F(LookupsTest, NamesOfUsersAndOrganisationsById) {
  auto a = user("tanaka", "operator", school_);
  auto gone = user("suzuki", "reviewer", school_, std::nullopt, false);
  ASSERT_OK_AND_ASSIGN(auto names, user_names(*tx_, {a, gone, 9999}));
  EXPECT_EQ(names, (std::map<std::int64_t, std::string>{{a, "tanaka"}, {gone, "suzuki"}})) << "inactive users keep their names";
  EXPECT_TRUE(user_names(*tx_, {})->empty());
  EXPECT_EQ(*organisation_name(*tx_, school_), "学校法人みらい学園");
  EXPECT_FALSE(*organisation_name(*tx_, 9999));
  ASSERT_OK_AND_ASSIGN(auto orgs, organisation_names(*tx_, {school_, bureau_}));
  EXPECT_EQ(orgs.at(bureau_), "関東経済産業局");
  // More ids than one statement takes at once.
  std::vector<std::int64_t> many;
  for (std::int64_t i = 1; i <= 1200; ++i) many.push_back(i);
  EXPECT_EQ(user_names(*tx_, many)->size(), 2u);
}

}  // namespace
}  // namespace kakehashi::auth
