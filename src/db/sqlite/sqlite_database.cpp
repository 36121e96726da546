// SQLite backend: a small pool of connections, each with its own cache of prepared statements.
#include <sqlite3.h>

#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <unordered_map>

#include "db/database.h"

namespace kakehashi::db {
namespace {

// How long a writer waits for another writer's lock before giving up.
constexpr int kBusyTimeoutMs = 5000;

Error sqlite_error(sqlite3* handle, int code, std::string_view doing) {
  std::string message = fmt::format("データベースエラー（{}）: {}", doing,
                                    handle ? sqlite3_errmsg(handle) : sqlite3_errstr(code));
  int primary = code & 0xff;
  if (primary == SQLITE_CONSTRAINT) return Error::conflict(std::move(message));
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Error::unavailable(std::move(message));
  return Error::unavailable(std::move(message));
}

class Connection {
 public:
  explicit Connection(sqlite3* handle) : handle_(handle) {}
  ~Connection() {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close_v2(handle_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* handle() const { return handle_; }

  // Returns a reset prepared statement for `sql`, preparing it once per connection.
  Result<sqlite3_stmt*> prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = statements_.find(key); it != statements_.end()) {
      sqlite3_reset(it->second);
      sqlite3_clear_bindings(it->second);
      return it->second;
    }
    sqlite3_stmt* statement = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(handle_, key.c_str(), int(key.size()), SQLITE_PREPARE_PERSISTENT,
                                &statement, &tail);
    if (rc != SQLITE_OK) return fail(sqlite_error(handle_, rc, "SQL の準備"));
    if (tail && std::string_view(tail).find_first_not_of(" \t\r\n;") != std::string_view::npos) {
      sqlite3_finalize(statement);
      return fail(Error::internal("1 回の呼び出しで実行できる SQL 文は 1 つです"));
    }
    statements_.emplace(std::move(key), statement);
    return statement;
  }

  // Runs a script of several statements (migrations only; never with user input).
  Result<void> exec_script(const std::string& sql) {
    char* message = nullptr;
    int rc = sqlite3_exec(handle_, sql.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      std::string text = message ? message : sqlite3_errstr(rc);
      sqlite3_free(message);
      return fail(Error::unavailable(fmt::format("データベースエラー: {}", text)));
    }
    return {};
  }

 private:
  sqlite3* handle_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

class Pool {
 public:
  explicit Pool(std::chrono::milliseconds acquire_timeout) : acquire_timeout_(acquire_timeout) {}

  void add(std::unique_ptr<Connection> connection) { idle_.push_back(std::move(connection)); }

  // A free connection, or nullptr when none became free within the acquire timeout.
  std::unique_ptr<Connection> acquire() {
    std::unique_lock lock(mutex_);
    if (!available_.wait_for(lock, acquire_timeout_, [&] { return !idle_.empty(); })) return nullptr;
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return connection;
  }

  void release(std::unique_ptr<Connection> connection) {
    {
      std::lock_guard lock(mutex_);
      idle_.push_back(std::move(connection));
    }
    available_.notify_one();
  }

 private:
  std::chrono::milliseconds acquire_timeout_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

Result<void> bind_all(sqlite3* handle, sqlite3_stmt* statement, const Params& params) {
  if (int(params.size()) != sqlite3_bind_parameter_count(statement)) {
    return fail(Error::internal(fmt::format("SQL のパラメータ数が一致しません（{} 個渡され、{} 個必要）",
                                            params.size(), sqlite3_bind_parameter_count(statement))));
  }
  for (size_t i = 0; i < params.size(); ++i) {
    int index = int(i) + 1;
    int rc = std::visit(
        [&](const auto& v) -> int {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>) return sqlite3_bind_null(statement, index);
          else if constexpr (std::is_same_v<T, std::int64_t>) return sqlite3_bind_int64(statement, index, v);
          else if constexpr (std::is_same_v<T, double>) return sqlite3_bind_double(statement, index, v);
          else if constexpr (std::is_same_v<T, std::string>)
            return sqlite3_bind_text64(statement, index, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
          else return sqlite3_bind_blob64(statement, index, v.bytes.data(), v.bytes.size(), SQLITE_TRANSIENT);
        },
        params[i]);
    if (rc != SQLITE_OK) return fail(sqlite_error(handle, rc, "パラメータの設定"));
  }
  return {};
}

Value column_value(sqlite3_stmt* statement, int i) {
  switch (sqlite3_column_type(statement, i)) {
    case SQLITE_INTEGER: return std::int64_t{sqlite3_column_int64(statement, i)};
    case SQLITE_FLOAT: return sqlite3_column_double(statement, i);
    case SQLITE_TEXT: {
      auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, i));
      return std::string(text, size_t(sqlite3_column_bytes(statement, i)));
    }
    case SQLITE_BLOB: {
      auto* data = static_cast<const char*>(sqlite3_column_blob(statement, i));
      return Blob{std::string(data ? data : "", size_t(sqlite3_column_bytes(statement, i)))};
    }
    default: return std::monostate{};
  }
}

class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(Pool& pool, std::unique_ptr<Connection> connection)
      : pool_(pool), connection_(std::move(connection)) {}

  ~SqliteTransaction() override {
    if (open_) sqlite3_exec(connection_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    pool_.release(std::move(connection_));
  }

  Result<void> start(TxMode mode) {
    const char* sql = mode == TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN";
    int rc = sqlite3_exec(connection_->handle(), sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return fail(sqlite_error(connection_->handle(), rc, "トランザクション開始"));
    open_ = true;
    return {};
  }

  Result<void> exec(std::string_view sql, const Params& params) override {
    auto statement = run(sql, params, nullptr);
    if (!statement) return fail(statement.error());
    changes_ = sqlite3_changes64(connection_->handle());
    return {};
  }

  Result<std::vector<Row>> query(std::string_view sql, const Params& params) override {
    std::vector<Row> rows;
    auto statement = run(sql, params, &rows);
    if (!statement) return fail(statement.error());
    return rows;
  }

  Result<std::int64_t> insert(std::string_view sql, const Params& params) override {
    auto statement = run(sql, params, nullptr);
    if (!statement) return fail(statement.error());
    changes_ = sqlite3_changes64(connection_->handle());
    return std::int64_t{sqlite3_last_insert_rowid(connection_->handle())};
  }

  std::int64_t changes() const override { return changes_; }
  std::string_view backend() const override { return "sqlite"; }

  Result<void> exec_script(const std::string& sql) override { return connection_->exec_script(sql); }

  Result<void> commit() override {
    if (!open_) return fail(Error::internal("トランザクションは既に終了しています"));
    int rc = sqlite3_exec(connection_->handle(), "COMMIT", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return fail(sqlite_error(connection_->handle(), rc, "コミット"));
    open_ = false;
    return {};
  }

  Connection& connection() { return *connection_; }

 private:
  // Binds, steps to completion and collects rows when `rows` is given.
  Result<void> run(std::string_view sql, const Params& params, std::vector<Row>* rows) {
    if (!open_) return fail(Error::internal("トランザクションは既に終了しています"));
    auto prepared = connection_->prepare(sql);
    if (!prepared) return fail(prepared.error());
    sqlite3_stmt* statement = *prepared;
    if (auto bound = bind_all(connection_->handle(), statement, params); !bound) return bound;
    std::shared_ptr<std::vector<std::string>> names;
    int columns = sqlite3_column_count(statement);
    while (true) {
      int rc = sqlite3_step(statement);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        Error error = sqlite_error(connection_->handle(), rc, "SQL の実行");
        sqlite3_reset(statement);
        return fail(std::move(error));
      }
      if (!rows) continue;
      if (!names) {
        names = std::make_shared<std::vector<std::string>>();
        for (int i = 0; i < columns; ++i) names->emplace_back(sqlite3_column_name(statement, i));
      }
      std::vector<Value> values;
      values.reserve(size_t(columns));
      for (int i = 0; i < columns; ++i) values.push_back(column_value(statement, i));
      rows->emplace_back(names, std::move(values));
    }
    sqlite3_reset(statement);
    return {};
  }

  Pool& pool_;
  std::unique_ptr<Connection> connection_;
  bool open_ = false;
  std::int64_t changes_ = 0;
};

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(std::chrono::milliseconds acquire_timeout) : pool_(acquire_timeout) {}

  Result<std::unique_ptr<Transaction>> begin(TxMode mode) override {
    auto connection = pool_.acquire();
    if (!connection) {
      return fail(Error::unavailable("データベースの接続がすべて使用中です（待ち時間の上限を超えました）"));
    }
    auto tx = std::make_unique<SqliteTransaction>(pool_, std::move(connection));
    if (auto started = tx->start(mode); !started) return fail(started.error());
    return std::unique_ptr<Transaction>(std::move(tx));
  }
  std::string_view backend() const override { return "sqlite"; }
  Pool& pool() { return pool_; }

 private:
  Pool pool_;
};

Result<std::unique_ptr<Connection>> open_connection(const std::string& path) {
  sqlite3* handle = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &handle,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  auto connection = std::make_unique<Connection>(handle);
  if (rc != SQLITE_OK) {
    return fail(Error::unavailable(fmt::format("データベースを開けません: {}: {}", path, sqlite3_errstr(rc))));
  }
  sqlite3_busy_timeout(handle, kBusyTimeoutMs);
  sqlite3_extended_result_codes(handle, 1);
  auto pragmas = connection->exec_script(
      "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;");
  if (!pragmas) return fail(pragmas.error());
  return connection;
}

}  // namespace

Result<std::unique_ptr<Database>> open_sqlite(const std::string& path, int pool_size,
                                             std::chrono::milliseconds acquire_timeout) {
  std::error_code ignored;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
  auto database = std::make_unique<SqliteDatabase>(acquire_timeout);
  for (int i = 0; i < std::max(1, pool_size); ++i) {
    auto connection = open_connection(path);
    if (!connection) return fail(connection.error());
    database->pool().add(std::move(*connection));
  }
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace kakehashi::db
