// Storage interfaces every module's store uses. SQL is always parameterised: values travel as
// Params, never inside the SQL text. Placeholders are `?`; a backend that numbers them ($1 …)
// rewrites them itself, so stores stay backend-neutral.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"

namespace kakehashi::db {

struct Blob {
  std::string bytes;
  friend bool operator==(const Blob&, const Blob&) = default;
};

// A SQL value: NULL, integer, real, text (UTF-8) or blob.
using Value = std::variant<std::monostate, std::int64_t, double, std::string, Blob>;
using Params = std::vector<Value>;

inline Value null() { return std::monostate{}; }
template <typename T>
Value nullable(const std::optional<T>& value) {
  if (!value) return std::monostate{};
  return Value{*value};
}

// One result row. Accessors convert as SQLite would (text of a number, 0 for NULL) so that a
// store reads its own columns without ceremony; use is_null for optional columns.
class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> names, std::vector<Value> values)
      : names_(std::move(names)), values_(std::move(values)) {}

  size_t size() const { return values_.size(); }
  const Value& at(size_t i) const { return values_.at(i); }
  bool is_null(size_t i) const { return std::holds_alternative<std::monostate>(values_.at(i)); }
  std::int64_t integer(size_t i) const;
  double real(size_t i) const;
  std::string text(size_t i) const;
  std::optional<std::string> optional_text(size_t i) const;
  std::optional<std::int64_t> optional_integer(size_t i) const;
  // Column index by name; throws std::out_of_range for an unknown name (a bug in the store).
  size_t index(std::string_view name) const;
  std::string text(std::string_view name) const { return text(index(name)); }
  std::int64_t integer(std::string_view name) const { return integer(index(name)); }

 private:
  std::shared_ptr<const std::vector<std::string>> names_;
  std::vector<Value> values_;
};

// A unit of work on one connection. Destroying it without commit() rolls it back.
class Transaction {
 public:
  virtual ~Transaction() = default;
  [[nodiscard]] virtual Result<void> exec(std::string_view sql, const Params& params = {}) = 0;
  [[nodiscard]] virtual Result<std::vector<Row>> query(std::string_view sql, const Params& params = {}) = 0;
  // Inserts and returns the new row's integer key (SQLite rowid / PostgreSQL RETURNING id).
  [[nodiscard]] virtual Result<std::int64_t> insert(std::string_view sql, const Params& params = {}) = 0;
  // Runs several statements at once. Only for migrations compiled into the binary: never
  // with text that came from a user.
  [[nodiscard]] virtual Result<void> exec_script(const std::string& sql) = 0;
  // Number of rows the last exec changed.
  virtual std::int64_t changes() const = 0;
  // "sqlite" or "postgresql", as Database::backend(): for the few queries a store must write
  // twice (a full-text index each backend has its own of).
  virtual std::string_view backend() const = 0;
  [[nodiscard]] virtual Result<void> commit() = 0;

  // The first row, or nullopt when there is none.
  [[nodiscard]] Result<std::optional<Row>> query_one(std::string_view sql, const Params& params = {});
  // A single integer (COUNT(*) and the like); 0 when there is no row.
  [[nodiscard]] Result<std::int64_t> scalar(std::string_view sql, const Params& params = {});
};

enum class TxMode {
  kRead,   // a consistent snapshot for reading
  kWrite,  // takes the write lock at once, so two writers never deadlock on upgrade
};

class Database {
 public:
  virtual ~Database() = default;
  [[nodiscard]] virtual Result<std::unique_ptr<Transaction>> begin(TxMode mode) = 0;
  // "sqlite" or "postgresql".
  virtual std::string_view backend() const = 0;

  // Runs `work` in a transaction and commits when it succeeds; rolls back on error.
  template <typename T>
  [[nodiscard]] Result<T> transact(TxMode mode, const std::function<Result<T>(Transaction&)>& work) {
    auto tx = begin(mode);
    if (!tx) return fail(tx.error());
    Result<T> result = work(**tx);
    if (!result) return result;
    if (auto committed = (*tx)->commit(); !committed) return fail(committed.error());
    return result;
  }
  [[nodiscard]] Result<void> write(const std::function<Result<void>(Transaction&)>& work) {
    return transact<void>(TxMode::kWrite, work);
  }
};

// A read that proves the database answers (the health check).
[[nodiscard]] Result<void> ping(Database& database);
// How long begin() waits for a free connection of the pool before it fails with
// Error::unavailable (which the web answers 503 with Retry-After): a bounded wait, so a
// saturated pool turns into refused requests instead of threads that wait forever.
inline constexpr std::chrono::milliseconds kDefaultAcquireTimeout{5000};

// Opens the SQLite database file at `path` (created if missing, parent folders too) with WAL,
// foreign keys and a busy timeout. `pool_size` connections are shared by the server's threads;
// `serve` sizes it to its handler pool plus a few for background work.
[[nodiscard]] Result<std::unique_ptr<Database>> open_sqlite(
    const std::string& path, int pool_size = 8, std::chrono::milliseconds acquire_timeout = kDefaultAcquireTimeout);

// Opens a database from --db / --db-url (a URL: db/backends.h), else the SQLite file at `path`.
[[nodiscard]] Result<std::unique_ptr<Database>> open(const std::string& path, const std::string& url,
                                                     int pool_size = 8);

}  // namespace kakehashi::db
