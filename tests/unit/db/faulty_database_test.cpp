// The fault-injecting double (tests/support/faulty_database.h) that store tests use to prove
// they leave no partial write.
#include "support/faulty_database.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "support/result.h"
#include "support/temp_dir.h"

namespace kakehashi::db {
namespace {

class FaultyDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(real_, open_sqlite(dir_.file("faulty.db"), 2));
    ASSERT_TRUE(real_->write([](Transaction& tx) -> Result<void> {
      if (auto made = tx.exec("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT)"); !made) return made;
      return tx.exec("CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT)");
    }));
    faulty_ = std::make_unique<testing::FaultyDatabase>(*real_);
  }
  testing::TempDir dir_;
  std::unique_ptr<Database> real_;
  std::unique_ptr<testing::FaultyDatabase> faulty_;
};

// One transaction: both rows or neither.
Result<void> atomic_pair(Database& database) {
  return database.write([](Transaction& tx) -> Result<void> {
    if (auto a = tx.exec("INSERT INTO a (v) VALUES ('x')"); !a) return a;
    return tx.exec("INSERT INTO b (v) VALUES ('y')");
  });
}

// Two transactions: a failure in the second leaves the first row behind.
Result<void> split_pair(Database& database) {
  if (auto a = database.write([](Transaction& tx) { return tx.exec("INSERT INTO a (v) VALUES ('x')"); }); !a) return a;
  return database.write([](Transaction& tx) { return tx.exec("INSERT INTO b (v) VALUES ('y')"); });
}

TEST_F(FaultyDatabaseTest, FailsTheChosenStatementAndCommit) {
  faulty_->fail_statement(2);
  testing::ExpectError(atomic_pair(*faulty_), ErrorCode::kUnavailable, "injected statement failure");
  EXPECT_TRUE(faulty_->injected());
  faulty_->reset();
  faulty_->fail_commit(1);
  EXPECT_FALSE(atomic_pair(*faulty_));
  EXPECT_EQ(testing::snapshot(*real_)["a"].size(), 0u);
  faulty_->reset();
  EXPECT_OK(atomic_pair(*faulty_));
  EXPECT_EQ(testing::snapshot(*real_)["a"], std::vector<std::string>{"1|x"});
}

TEST_F(FaultyDatabaseTest, AllOrNothingPassesForOneTransaction) {
  testing::expect_all_or_nothing(dir_.file("faulty.db"), atomic_pair);
  // The runs were on copies: the original is untouched.
  EXPECT_EQ(testing::snapshot(*real_)["b"].size(), 0u);
}

TEST_F(FaultyDatabaseTest, AllOrNothingCatchesAPartialWrite) {
  ::testing::TestPartResultArray failures;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    testing::expect_all_or_nothing(dir_.file("faulty.db"), split_pair);
  }
  // The second statement's failure and the second commit's both leave the first row behind.
  ASSERT_EQ(failures.size(), 2);
  EXPECT_NE(std::string(failures.GetTestPartResult(0).message()).find("statement 2 failed and left a partial write"),
            std::string::npos);
  EXPECT_NE(std::string(failures.GetTestPartResult(1).message()).find("commit 2 failed and left a partial write"),
            std::string::npos);
}

}  // namespace
}  // namespace kakehashi::db
