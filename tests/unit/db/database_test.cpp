#include "db/backends.h"

#include <gtest/gtest.h>

#include <thread>

#include "support/result.h"
#include "support/temp_dir.h"

using ::kakehashi::testing::ExpectError;
using ::kakehashi::testing::ExpectErrorCode;

namespace kakehashi::db {
namespace {

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(database_, open_sqlite(dir_.file("sub/dir/test.db"), 4));
    ASSERT_TRUE(database_->write([](Transaction& tx) {
      return tx.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, amount INTEGER, data BLOB)");
    }));
  }
  testing::TempDir dir_;
  std::unique_ptr<Database> database_;
};

TEST_F(DatabaseTest, CreatesParentFoldersAndUsesWal) {
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "sub/dir/test.db"));
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(TxMode::kRead));
  auto mode = tx->query_one("PRAGMA journal_mode");
  EXPECT_EQ((*mode)->text(0), "wal");
  EXPECT_EQ(*tx->scalar("PRAGMA foreign_keys"), 1);
}

TEST_F(DatabaseTest, BindsEveryValueTypeAndReadsItBack) {
  ASSERT_TRUE(database_->write([](Transaction& tx) -> Result<void> {
    auto id = tx.insert("INSERT INTO items (name, amount, data) VALUES (?, ?, ?)",
                        {std::string("株式会社サクラ'); DROP TABLE items; --"), std::int64_t{15000000},
                         Blob{std::string("\0\x01\xff", 3)}});
    if (!id) return fail(id.error());
    EXPECT_EQ(*id, 1);
    return tx.exec("INSERT INTO items (name, amount) VALUES (?, ?)", {std::string("null amount"), null()});
  }));
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(TxMode::kRead));
  ASSERT_OK_AND_ASSIGN(auto rows, tx->query("SELECT name, amount, data FROM items ORDER BY id"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].text("name"), "株式会社サクラ'); DROP TABLE items; --");
  EXPECT_EQ(rows[0].integer("amount"), 15000000);
  EXPECT_EQ(std::get<Blob>(rows[0].at(2)).bytes, std::string("\0\x01\xff", 3));
  EXPECT_TRUE(rows[1].is_null(1));
  EXPECT_FALSE(rows[1].optional_integer(1));
}

TEST_F(DatabaseTest, RollsBackWhenNotCommitted) {
  {
    auto tx = *database_->begin(TxMode::kWrite);
    ASSERT_TRUE(tx->exec("INSERT INTO items (name) VALUES ('lost')"));
  }
  auto failed = database_->write([](Transaction& tx) -> Result<void> {
    if (auto ok = tx.exec("INSERT INTO items (name) VALUES ('also lost')"); !ok) return ok;
    return fail(Error::invalid("stop"));
  });
  EXPECT_FALSE(failed);
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(TxMode::kRead));
  EXPECT_EQ(*tx->scalar("SELECT COUNT(*) FROM items"), 0);
}

TEST_F(DatabaseTest, ConstraintViolationIsAConflict) {
  auto result = database_->write([](Transaction& tx) -> Result<void> {
    if (auto ok = tx.exec("INSERT INTO items (name) VALUES ('a')"); !ok) return ok;
    return tx.exec("INSERT INTO items (name) VALUES ('a')");
  });
  ASSERT_FALSE(result);
  ExpectErrorCode(result, ErrorCode::kConflict);
}

TEST_F(DatabaseTest, RefusesWrongParameterCountAndSeveralStatements) {
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(TxMode::kWrite));
  EXPECT_FALSE(tx->exec("INSERT INTO items (name) VALUES (?)", {}));
  EXPECT_FALSE(tx->exec("INSERT INTO items (name) VALUES ('x'); DELETE FROM items"));
}

TEST_F(DatabaseTest, ConcurrentWritersAllSucceed) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto ok = database_->write([&](Transaction& tx) {
          return tx.exec("INSERT INTO items (name) VALUES (?)", {std::to_string(t) + "-" + std::to_string(i)});
        });
        EXPECT_OK(ok);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(TxMode::kRead));
  EXPECT_EQ(*tx->scalar("SELECT COUNT(*) FROM items"), 100);
}

TEST(Database, BeginFailsAsUnavailableWhenThePoolStaysBusy) {
  // One connection, a short wait: a second transaction while the first is open must not wait
  // forever (a handler thread would hang) but fail as unavailable, which the web answers 503.
  testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto database, open_sqlite(dir.file("busy.db"), 1, std::chrono::milliseconds(50)));
  {
    auto held = database->begin(TxMode::kRead);
    ASSERT_TRUE(held);
    auto second = database->begin(TxMode::kRead);
    ASSERT_FALSE(second);
    ExpectError(second, ErrorCode::kUnavailable, "データベースの接続がすべて使用中です（待ち時間の上限を超えました）");
  }
  // Released: the connection serves again.
  auto again = database->begin(TxMode::kRead);
  ASSERT_TRUE(again);
  EXPECT_EQ(*(*again)->scalar("SELECT 1"), 1);
}

TEST(Database, UnknownUrlIsRefusedClearly) {
  auto database = open("ignored.db", "mysql://localhost/kakehashi");
  ASSERT_FALSE(database);
  ExpectError(database, ErrorCode::kInvalidArgument,
              "データベースの URL は postgresql://… または sqlite:ファイル名 の形式で指定してください: mysql://localhost/kakehashi");
}

TEST(Database, SqliteUrlOpensTheFile) {
  testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto database, open("ignored.db", "sqlite:" + dir.file("url.db")));
  EXPECT_EQ(database->backend(), "sqlite");
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "url.db"));
}

}  // namespace
}  // namespace kakehashi::db
