// A fresh PostgreSQL database per test on the throw-away server of tests/postgresql/start.sh
// (ctest fixture "postgresql"), whose URL comes in KAKEHASHI_TEST_DB_URL or, under ctest, from the
// file KAKEHASHI_TEST_PG_STATE/url that start.sh writes; dropped afterwards.
#pragma once

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

namespace kakehashi::testing {

// The server URL, or an exception naming the missing fixture (a PostgreSQL test never passes
// without a server).
inline std::string postgresql_server_url() {
  if (const char* url = std::getenv("KAKEHASHI_TEST_DB_URL"); url && *url) return url;
  if (const char* state = std::getenv("KAKEHASHI_TEST_PG_STATE"); state && *state) {
    std::ifstream file(std::string(state) + "/url");
    std::string url;
    if (std::getline(file, url) && !url.empty()) return url;
  }
  throw std::runtime_error("no PostgreSQL test server: set KAKEHASHI_TEST_DB_URL or run through ctest (fixture postgresql)");
}

class PostgresqlDatabase {
 public:
  PostgresqlDatabase() : server_(postgresql_server_url()) {
    static std::atomic<int> counter{0};
    name_ = "kk_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    run("DROP DATABASE IF EXISTS " + name_);
    run("CREATE DATABASE " + name_);
    url_ = server_.substr(0, server_.rfind('/') + 1) + name_;
  }
  ~PostgresqlDatabase() {
    try {
      run("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
    }
  }
  PostgresqlDatabase(const PostgresqlDatabase&) = delete;
  PostgresqlDatabase& operator=(const PostgresqlDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

 private:
  void run(const std::string& sql) {
    PGconn* connection = PQconnectdb(server_.c_str());
    if (PQstatus(connection) != CONNECTION_OK) {
      std::string message = PQerrorMessage(connection);
      PQfinish(connection);
      throw std::runtime_error("cannot reach the PostgreSQL test server: " + message);
    }
    PQsetNoticeProcessor(connection, [](void*, const char*) {}, nullptr);
    PGresult* result = PQexec(connection, sql.c_str());
    bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    std::string message = PQresultErrorMessage(result);
    PQclear(result);
    PQfinish(connection);
    if (!ok) throw std::runtime_error(sql + ": " + message);
  }

  std::string server_;
  std::string name_;
  std::string url_;
};

}  // namespace kakehashi::testing
