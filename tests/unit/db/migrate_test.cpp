#include "db/migrate.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "support/result.h"
#include "support/temp_dir.h"

namespace kakehashi::db {
namespace {

TEST(Migrations, AreSortedAndUniquelyNamed) {
  auto migrations = all_migrations();
  ASSERT_FALSE(migrations.empty());
  for (size_t i = 1; i < migrations.size(); ++i) EXPECT_LT(migrations[i - 1].name, migrations[i].name);
}

TEST(Migrations, ApplyOnceAndRecordThemselves) {
  testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto database, open_sqlite(dir.file("m.db")));
  ASSERT_OK_AND_ASSIGN(auto pending, pending_migrations(*database));
  EXPECT_EQ(pending.size(), all_migrations().size());
  auto applied = migrate(*database);
  ASSERT_OK(applied);
  EXPECT_EQ(applied->size(), all_migrations().size());
  EXPECT_TRUE(migrate(*database)->empty());
  EXPECT_TRUE(pending_migrations(*database)->empty());
  ASSERT_OK_AND_ASSIGN(auto tx, database->begin(TxMode::kRead));
  EXPECT_EQ(*tx->scalar("SELECT COUNT(*) FROM schema_migrations"), std::int64_t(all_migrations().size()));
  // The foundation's tables exist.
  for (const char* table : {"users", "user_roles", "sessions", "organisations", "audit_log", "login_failures"}) {
    EXPECT_EQ(*tx->scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", {std::string(table)}), 1)
        << table;
  }
}

}  // namespace
}  // namespace kakehashi::db
