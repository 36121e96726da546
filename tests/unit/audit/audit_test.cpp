#include "audit/audit.h"

#include <gtest/gtest.h>

#include "db/migrate.h"
#include "support/temp_dir.h"

namespace kakehashi::audit {
namespace {

using namespace std::chrono;

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::move(*db::open_sqlite(dir_.file("a.db")));
    ASSERT_TRUE(db::migrate(*database_));
    for (int i = 1; i <= 5; ++i) {
      ASSERT_TRUE(database_->write([&](db::Transaction& tx) -> Result<void> {
        auto id = record(tx, {i, "user:" + std::to_string(i), "test.write", "object:" + std::to_string(i), "{}"},
                         sys_seconds{sys_days{2026y / 11 / 25}} + seconds{i});
        if (!id) return fail(id.error());
        EXPECT_EQ(*id, i);
        return {};
      }));
    }
  }
  // Tampering the way an intruder with file access would: bypass the append-only triggers.
  void tamper(const std::string& sql) {
    ASSERT_TRUE(database_->write([&](db::Transaction& tx) -> Result<void> {
      if (auto ok = tx.exec("DROP TRIGGER audit_log_no_update"); !ok) return ok;
      if (auto ok = tx.exec("DROP TRIGGER audit_log_no_delete"); !ok) return ok;
      return tx.exec(sql);
    }));
  }
  testing::TempDir dir_;
  std::unique_ptr<db::Database> database_;
};

TEST_F(AuditTest, IntactChainVerifies) {
  auto report = verify(*database_);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->intact);
  EXPECT_EQ(report->entries, 5);
}

TEST_F(AuditTest, TriggersRefuseUpdateAndDelete) {
  auto update = database_->write([](db::Transaction& tx) { return tx.exec("UPDATE audit_log SET action = 'x'"); });
  EXPECT_FALSE(update);
  auto remove = database_->write([](db::Transaction& tx) { return tx.exec("DELETE FROM audit_log WHERE id = 2"); });
  EXPECT_FALSE(remove);
}

TEST_F(AuditTest, ChangedRowIsNamed) {
  tamper("UPDATE audit_log SET object = 'object:999' WHERE id = 3");
  auto report = *verify(*database_);
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_id, 3);
  EXPECT_EQ(report.problem, "監査ログ #3 の内容が記録後に変更されています");
}

TEST_F(AuditTest, RecomputedHashStillBreaksTheNextLink) {
  auto tx = *database_->begin(db::TxMode::kRead);
  auto row = *(*tx->query_one("SELECT prev_hash, at FROM audit_log WHERE id = 2"));
  tx.reset();
  Entry forged{2, "user:2", "test.write", "object:forged", "{}"};
  std::string hash = chain_hash(row.text(0), 2, row.text(1), forged);
  tamper("UPDATE audit_log SET object = 'object:forged', hash = '" + hash + "' WHERE id = 2");
  auto report = *verify(*database_);
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_id, 3);
}

TEST_F(AuditTest, DeletedMiddleRowIsNamed) {
  tamper("DELETE FROM audit_log WHERE id = 2");
  auto report = *verify(*database_);
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_id, 2);
  EXPECT_EQ(report.problem, "監査ログ #2 が削除されています");
}

TEST_F(AuditTest, DeletedLastRowIsNoticedThroughTheHead) {
  tamper("DELETE FROM audit_log WHERE id = 5");
  auto report = *verify(*database_);
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_id, 5);
}

TEST_F(AuditTest, RecentListsNewestFirst) {
  auto tx = *database_->begin(db::TxMode::kRead);
  auto entries = *recent(*tx, 2, 0);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].id, 5);
  EXPECT_EQ(entries[0].at, "2026-11-25T00:00:05Z");
  EXPECT_EQ(entries[1].entry.object, "object:4");
}

}  // namespace
}  // namespace kakehashi::audit
