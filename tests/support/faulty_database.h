// A Database that fails on demand, after LevelDB's fault-injecting Env: it wraps a real database
// and makes the n-th statement (exec, query, insert) or the n-th commit fail with
// Error::unavailable, so a test can prove that a store or service leaves no partial write
// whatever step fails. `expect_all_or_nothing` walks every step of a piece of work.
#pragma once

#include <algorithm>

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "db/database.h"

namespace kakehashi::testing {

class FaultyDatabase final : public db::Database {
 public:
  explicit FaultyDatabase(db::Database& real) : real_(real) {}

  // Fails the n-th statement (1-based) from now on, counting across transactions; 0 disables.
  void fail_statement(int n) {
    statements_ = 0;
    fail_statement_at_ = n;
  }
  // Fails the n-th commit (1-based) from now on; 0 disables.
  void fail_commit(int n) {
    commits_ = 0;
    fail_commit_at_ = n;
  }
  int statements() const { return statements_; }
  int commits() const { return commits_; }
  bool injected() const { return injected_; }
  void reset() {
    fail_statement(0);
    fail_commit(0);
    injected_ = false;
  }

  Result<std::unique_ptr<db::Transaction>> begin(db::TxMode mode) override {
    auto tx = real_.begin(mode);
    if (!tx) return fail(tx.error());
    return std::unique_ptr<db::Transaction>(new Tx(*this, std::move(*tx)));
  }
  std::string_view backend() const override { return real_.backend(); }

 private:
  class Tx final : public db::Transaction {
   public:
    Tx(FaultyDatabase& owner, std::unique_ptr<db::Transaction> real) : owner_(owner), real_(std::move(real)) {}
    Result<void> exec(std::string_view sql, const db::Params& params) override {
      if (auto failed = owner_.statement_fault()) return fail(*failed);
      return real_->exec(sql, params);
    }
    Result<std::vector<db::Row>> query(std::string_view sql, const db::Params& params) override {
      if (auto failed = owner_.statement_fault()) return fail(*failed);
      return real_->query(sql, params);
    }
    Result<std::int64_t> insert(std::string_view sql, const db::Params& params) override {
      if (auto failed = owner_.statement_fault()) return fail(*failed);
      return real_->insert(sql, params);
    }
    Result<void> exec_script(const std::string& sql) override { return real_->exec_script(sql); }
    std::int64_t changes() const override { return real_->changes(); }
    std::string_view backend() const override { return real_->backend(); }
    Result<void> commit() override {
      if (auto failed = owner_.commit_fault()) return fail(*failed);
      return real_->commit();
    }

   private:
    FaultyDatabase& owner_;
    std::unique_ptr<db::Transaction> real_;
  };

  std::optional<Error> statement_fault() {
    ++statements_;
    if (fail_statement_at_ > 0 && statements_ == fail_statement_at_) {
      injected_ = true;
      return Error::unavailable("injected statement failure");
    }
    return std::nullopt;
  }
  std::optional<Error> commit_fault() {
    ++commits_;
    if (fail_commit_at_ > 0 && commits_ == fail_commit_at_) {
      injected_ = true;
      return Error::unavailable("injected commit failure");
    }
    return std::nullopt;
  }

  db::Database& real_;
  int statements_ = 0, commits_ = 0;
  int fail_statement_at_ = 0, fail_commit_at_ = 0;
  bool injected_ = false;
};

// Every row of every table (but sqlite's own), as text: two snapshots are equal exactly when
// nothing was written.
inline std::map<std::string, std::vector<std::string>> snapshot(db::Database& database) {
  std::map<std::string, std::vector<std::string>> tables;
  auto tx = database.begin(db::TxMode::kRead);
  EXPECT_TRUE(tx);
  if (!tx) return tables;
  auto names = (*tx)->query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  EXPECT_TRUE(names);
  if (!names) return tables;
  for (const auto& name : *names) {
    std::string table = name.text(0);
    // WITHOUT ROWID tables (a module's side index, FTS5's shadow tables) have no rowid: their
    // rows are read unordered and sorted as text.
    bool without_rowid = false;
    auto rows = (*tx)->query("SELECT * FROM \"" + table + "\" ORDER BY rowid");
    if (!rows) {
      without_rowid = true;
      rows = (*tx)->query("SELECT * FROM \"" + table + "\"");
    }
    EXPECT_TRUE(rows) << table;
    if (!rows) continue;
    auto& out = tables[table];
    for (const auto& row : *rows) {
      std::string line;
      for (std::size_t i = 0; i < row.size(); ++i) line += (i ? "|" : "") + (row.is_null(i) ? "NULL" : row.text(i));
      out.push_back(std::move(line));
    }
    if (without_rowid) std::sort(out.begin(), out.end());
  }
  return tables;
}

// Proves that `work` is all or nothing. `database_file` is a SQLite database in the state the
// work starts from (no write in progress; its WAL is copied with it). A first run on a copy counts the work's
// statements and commits and must succeed; then, on a fresh copy each time, every statement and
// every commit is made to fail in turn, and each failed run must report the failure and leave
// the database exactly as it was.
inline void expect_all_or_nothing(const std::filesystem::path& database_file,
                                  const std::function<Result<void>(db::Database&)>& work) {
  std::filesystem::path copy = database_file;
  copy += ".fault-copy";
  auto run = [&](int fail_statement_at, int fail_commit_at, int* statements, int* commits, bool* injected,
                 std::map<std::string, std::vector<std::string>>* after) -> Result<void> {
    // The main file and its write-ahead log (which holds what is not checkpointed yet).
    for (const char* suffix : {"", "-wal"}) {
      std::error_code missing;
      std::filesystem::remove(copy.string() + suffix, missing);
      if (std::filesystem::exists(database_file.string() + suffix)) {
        std::filesystem::copy_file(database_file.string() + suffix, copy.string() + suffix);
      }
    }
    std::error_code ignored_shm;
    std::filesystem::remove(copy.string() + "-shm", ignored_shm);
    auto real = db::open_sqlite(copy.string(), 2);
    EXPECT_TRUE(real);
    if (!real) return fail(real.error());
    FaultyDatabase faulty(**real);
    faulty.fail_statement(fail_statement_at);
    faulty.fail_commit(fail_commit_at);
    auto result = work(faulty);
    if (statements) *statements = faulty.statements();
    if (commits) *commits = faulty.commits();
    if (injected) *injected = faulty.injected();
    if (after) *after = snapshot(**real);
    return result;
  };
  std::map<std::string, std::vector<std::string>> before;
  {
    auto original = db::open_sqlite(database_file.string(), 1);
    ASSERT_TRUE(original);
    before = snapshot(**original);
  }
  int statements = 0, commits = 0;
  auto clean = run(0, 0, &statements, &commits, nullptr, nullptr);
  ASSERT_TRUE(clean) << "the work fails without any fault: " << clean.error().message;
  ASSERT_GT(commits, 0) << "the work made no commit, so nothing can be proved about it";
  for (int n = 1; n <= statements; ++n) {
    bool injected = false;
    std::map<std::string, std::vector<std::string>> after;
    auto result = run(n, 0, nullptr, nullptr, &injected, &after);
    if (!injected) continue;
    EXPECT_FALSE(result) << "statement " << n << " failed but the work reported success";
    EXPECT_EQ(after, before) << "statement " << n << " failed and left a partial write";
  }
  for (int n = 1; n <= commits; ++n) {
    bool injected = false;
    std::map<std::string, std::vector<std::string>> after;
    auto result = run(0, n, nullptr, nullptr, &injected, &after);
    if (!injected) continue;
    EXPECT_FALSE(result) << "commit " << n << " failed but the work reported success";
    EXPECT_EQ(after, before) << "commit " << n << " failed and left a partial write";
  }
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(copy.string() + suffix, ignored);
}

}  // namespace kakehashi::testing
