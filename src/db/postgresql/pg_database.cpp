// PostgreSQL backend (libpq): a pool of connections opened on demand, `?` numbered $1 …, each
// text prepared once per connection, values sent as text (blobs as binary bytea), results
// converted to the same Values SQLite gives.
//
// Write transactions (TxMode::kWrite) take one transaction-level advisory lock before their first
// statement, so that writers are serialised across every server on the database exactly as
// SQLite's BEGIN IMMEDIATE serialises them on one machine: a read-check-write (the last seat of
// an event, the reviewer count of an application, the audit chain's head) cannot interleave with
// another writer's, and no update is lost. Each write then runs READ COMMITTED, whose statements
// see everything committed before the lock was granted. Read transactions are REPEATABLE READ (a
// consistent snapshot) and never wait for the lock. See docs/deployment.md.
#include <libpq-fe.h>

#include <fmt/format.h>

#include <condition_variable>
#include <cstring>
#include <mutex>
#include <unordered_map>

#include "db/backends.h"
#include "db/postgresql/pg_sql.h"

namespace kakehashi::db {
namespace {

// The advisory lock every write transaction holds (an arbitrary constant: "kakehash" in ASCII).
constexpr std::string_view kWriteLock = "SELECT pg_advisory_xact_lock(7738135845658371432)";

// PostgreSQL type OIDs (src/include/catalog/pg_type.h).
constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700,
              kFloat8 = 701, kNumeric = 1700;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

Error pg_error(PGconn* connection, const PGresult* result, std::string_view doing) {
  std::string text = result ? PQresultErrorMessage(result) : PQerrorMessage(connection);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  std::string message = fmt::format("データベースエラー（{}）: {}", doing, text);
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  if (state && std::strncmp(state, "23", 2) == 0) return Error::conflict(std::move(message));
  return Error::unavailable(std::move(message));
}

class Pool {
 public:
  Pool(std::string url, int size, std::chrono::milliseconds acquire_timeout)
      : url_(std::move(url)), size_(std::max(1, size)), acquire_timeout_(acquire_timeout) {}
  ~Pool() {
    for (PGconn* connection : idle_) PQfinish(connection);
  }

  // The statements prepared on `connection` (SQL text -> statement name). Only the holder of
  // the connection uses its map; references into an unordered_map stay valid as it grows.
  std::unordered_map<std::string, std::string>& statements(PGconn* connection) {
    std::lock_guard lock(mutex_);
    return statements_[connection];
  }

  Result<PGconn*> connect() {
    PGconn* connection = PQconnectdb(url_.c_str());
    if (PQstatus(connection) != CONNECTION_OK) {
      std::string text = PQerrorMessage(connection);
      while (!text.empty() && text.back() == '\n') text.pop_back();
      PQfinish(connection);
      return fail(Error::unavailable(fmt::format("PostgreSQL に接続できません: {}", text)));
    }
    // Quiet NOTICEs (e.g. "relation already exists, skipping") instead of printing them to stderr.
    PQsetNoticeProcessor(connection, [](void*, const char*) {}, nullptr);
    ResultPtr set(PQexec(connection, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'"));
    if (PQresultStatus(set.get()) != PGRES_COMMAND_OK) {
      Error error = pg_error(connection, set.get(), "接続の設定");
      PQfinish(connection);
      return fail(std::move(error));
    }
    return connection;
  }

  // An idle or new connection; unavailable when all `size` are busy past the acquire timeout.
  Result<PGconn*> acquire() {
    {
      std::unique_lock lock(mutex_);
      if (!available_.wait_for(lock, acquire_timeout_, [&] { return !idle_.empty() || open_ < size_; })) {
        return fail(Error::unavailable("データベースの接続がすべて使用中です（待ち時間の上限を超えました）"));
      }
      if (!idle_.empty()) {
        PGconn* connection = idle_.back();
        idle_.pop_back();
        return connection;
      }
      ++open_;
    }
    auto connection = connect();
    if (!connection) forget();
    return connection;
  }

  // Returns a connection; a broken one (server restarted, network lost) is closed instead, so
  // the next acquire opens a fresh one.
  void release(PGconn* connection) {
    if (PQstatus(connection) != CONNECTION_OK || PQtransactionStatus(connection) != PQTRANS_IDLE) {
      {
        std::lock_guard lock(mutex_);
        statements_.erase(connection);
      }
      PQfinish(connection);
      forget();
      return;
    }
    {
      std::lock_guard lock(mutex_);
      idle_.push_back(connection);
    }
    available_.notify_one();
  }

 private:
  void forget() {
    {
      std::lock_guard lock(mutex_);
      --open_;
    }
    available_.notify_one();
  }

  std::string url_;
  int size_;
  std::chrono::milliseconds acquire_timeout_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<PGconn*> idle_;
  std::unordered_map<PGconn*, std::unordered_map<std::string, std::string>> statements_;
  int open_ = 0;
};

// Statements prepared per connection at most (generated texts, e.g. VALUES lists of varying
// length, run unprepared beyond this).
constexpr size_t kMaxPreparedStatements = 1000;

Value column_value(const PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column)) return std::monostate{};
  const char* text = PQgetvalue(result, row, column);
  size_t length = size_t(PQgetlength(result, row, column));
  switch (PQftype(result, column)) {
    case kBool: return std::int64_t{text[0] == 't' ? 1 : 0};
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid: return std::int64_t{std::stoll(text)};
    case kFloat4:
    case kFloat8: return std::stod(text);
    case kNumeric:
      // SUM over BIGINT is NUMERIC: an integer stays an integer, as in SQLite.
      if (std::strpbrk(text, ".eEN")) return std::stod(text);
      return std::int64_t{std::stoll(text)};
    case kBytea: {
      size_t size = 0;
      unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &size);
      Blob blob{std::string(reinterpret_cast<const char*>(bytes), size)};
      PQfreemem(bytes);
      return blob;
    }
    default: return std::string(text, length);
  }
}

class PgTransaction final : public Transaction {
 public:
  PgTransaction(Pool& pool, PGconn* connection) : pool_(pool), connection_(connection) {}
  ~PgTransaction() override {
    if (open_) ResultPtr(PQexec(connection_, "ROLLBACK"));
    pool_.release(connection_);
  }

  Result<void> start(TxMode mode) {
    const char* begin = mode == TxMode::kWrite ? "BEGIN ISOLATION LEVEL READ COMMITTED"
                                               : "BEGIN ISOLATION LEVEL REPEATABLE READ";
    ResultPtr result(PQexec(connection_, begin));
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
      return fail(pg_error(connection_, result.get(), "トランザクション開始"));
    }
    open_ = true;
    if (mode == TxMode::kWrite) {
      auto locked = run(kWriteLock, {}, "書き込みロック");
      if (!locked) return fail(locked.error());
    }
    return {};
  }

  Result<void> exec(std::string_view sql, const Params& params) override {
    auto result = run(sql, params, "SQL の実行");
    if (!result) return fail(result.error());
    return {};
  }

  Result<std::vector<Row>> query(std::string_view sql, const Params& params) override {
    auto result = run(sql, params, "SQL の実行");
    if (!result) return fail(result.error());
    PGresult* r = result->get();
    std::vector<Row> rows;
    int count = PQntuples(r), columns = PQnfields(r);
    if (count == 0) return rows;
    auto names = std::make_shared<std::vector<std::string>>();
    for (int i = 0; i < columns; ++i) names->emplace_back(PQfname(r, i));
    rows.reserve(size_t(count));
    for (int row = 0; row < count; ++row) {
      std::vector<Value> values;
      values.reserve(size_t(columns));
      for (int i = 0; i < columns; ++i) values.push_back(column_value(r, row, i));
      rows.emplace_back(names, std::move(values));
    }
    return rows;
  }

  Result<std::int64_t> insert(std::string_view sql, const Params& params) override {
    std::string returning(sql);
    while (!returning.empty() && (returning.back() == ';' || std::isspace(static_cast<unsigned char>(returning.back())))) {
      returning.pop_back();
    }
    returning += " RETURNING id";
    auto result = run(returning, params, "SQL の実行");
    if (!result) return fail(result.error());
    if (PQntuples(result->get()) != 1 || PQgetisnull(result->get(), 0, 0)) {
      return fail(Error::internal("INSERT が新しい行の id を返しませんでした"));
    }
    return std::int64_t{std::stoll(PQgetvalue(result->get(), 0, 0))};
  }

  Result<void> exec_script(const std::string& sql) override {
    if (!open_) return fail(Error::internal("トランザクションは既に終了しています"));
    ResultPtr result(PQexec(connection_, sql.c_str()));
    auto status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      return fail(pg_error(connection_, result.get(), "スクリプトの実行"));
    }
    return {};
  }

  std::int64_t changes() const override { return changes_; }
  std::string_view backend() const override { return "postgresql"; }

  Result<void> commit() override {
    if (!open_) return fail(Error::internal("トランザクションは既に終了しています"));
    ResultPtr result(PQexec(connection_, "COMMIT"));
    open_ = false;
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) return fail(pg_error(connection_, result.get(), "コミット"));
    return {};
  }

 private:
  Result<ResultPtr> run(std::string_view sql, const Params& params, std::string_view doing) {
    if (!open_) return fail(Error::internal("トランザクションは既に終了しています"));
    int placeholders = 0;
    std::string numbered = postgresql::numbered_placeholders(sql, placeholders);
    if (size_t(placeholders) != params.size()) {
      return fail(Error::internal(fmt::format("SQL のパラメータ数が一致しません（{} 個渡され、{} 個必要）",
                                              params.size(), placeholders)));
    }
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size());
    std::vector<int> lengths(params.size()), formats(params.size());
    std::vector<Oid> types(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
              values[i] = nullptr;
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              texts[i] = std::to_string(v);
              types[i] = kInt8;
            } else if constexpr (std::is_same_v<T, double>) {
              texts[i] = fmt::format("{}", v);
              types[i] = kFloat8;
            } else if constexpr (std::is_same_v<T, std::string>) {
              texts[i] = v;  // type left to PostgreSQL (unknown), as a literal would be
            } else {
              values[i] = v.bytes.data();
              lengths[i] = int(v.bytes.size());
              formats[i] = 1;
              types[i] = kBytea;
            }
          },
          params[i]);
      if (!std::holds_alternative<std::monostate>(params[i]) && !std::holds_alternative<Blob>(params[i])) {
        values[i] = texts[i].c_str();
        lengths[i] = int(texts[i].size());
      }
    }
    // Each text is parsed and planned once per connection (PQprepare), then executed by name.
    auto& prepared = pool_.statements(connection_);
    auto known = prepared.find(numbered);
    if (known == prepared.end() && prepared.size() < kMaxPreparedStatements) {
      std::string name = "kk" + std::to_string(prepared.size() + 1);
      ResultPtr made(PQprepare(connection_, name.c_str(), numbered.c_str(), int(params.size()), types.data()));
      if (PQresultStatus(made.get()) != PGRES_COMMAND_OK) return fail(pg_error(connection_, made.get(), doing));
      known = prepared.emplace(numbered, std::move(name)).first;
    }
    ResultPtr result(known != prepared.end()
                         ? PQexecPrepared(connection_, known->second.c_str(), int(params.size()), values.data(),
                                          lengths.data(), formats.data(), 0)
                         : PQexecParams(connection_, numbered.c_str(), int(params.size()), types.data(), values.data(),
                                        lengths.data(), formats.data(), 0));
    auto status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      return fail(pg_error(connection_, result.get(), doing));
    }
    const char* tuples = PQcmdTuples(result.get());
    changes_ = tuples && *tuples ? std::stoll(tuples) : 0;
    return result;
  }

  Pool& pool_;
  PGconn* connection_;
  bool open_ = false;
  std::int64_t changes_ = 0;
};

class PgDatabase final : public Database {
 public:
  PgDatabase(std::string url, int pool_size, std::chrono::milliseconds acquire_timeout)
      : pool_(std::move(url), pool_size, acquire_timeout) {}

  Result<std::unique_ptr<Transaction>> begin(TxMode mode) override {
    auto connection = pool_.acquire();
    if (!connection) return fail(connection.error());
    auto tx = std::make_unique<PgTransaction>(pool_, *connection);
    if (auto started = tx->start(mode); !started) return fail(started.error());
    return std::unique_ptr<Transaction>(std::move(tx));
  }
  std::string_view backend() const override { return "postgresql"; }
  Pool& pool() { return pool_; }

 private:
  Pool pool_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_postgresql(const std::string& url, int pool_size,
                                                 std::chrono::milliseconds acquire_timeout) {
  auto database = std::make_unique<PgDatabase>(url, pool_size, acquire_timeout);
  // Fail now, not at the first request, when the server cannot be reached.
  auto first = database->pool().acquire();
  if (!first) return fail(first.error());
  database->pool().release(*first);
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace kakehashi::db
