// The server's boundaries, against a real Server on a loopback port: handlers run on their own
// pool (a handler that blocks does not stop other requests), an exception anywhere in prepare
// or handle becomes a logged 500 and the server goes on, periodic tasks run and stop cleanly.
#include "web/server.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "db/migrate.h"
#include "support/temp_dir.h"

namespace kakehashi::web {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;

// A database that can be made to throw from begin(), as a disk gone bad under SQLite would
// surface through a store that throws instead of returning an error.
class ThrowingDatabase final : public db::Database {
 public:
  explicit ThrowingDatabase(db::Database& real) : real_(real) {}
  Result<std::unique_ptr<db::Transaction>> begin(db::TxMode mode) override {
    if (throwing) throw std::runtime_error("disk I/O error (test)");
    return real_.begin(mode);
  }
  std::string_view backend() const override { return real_.backend(); }
  std::atomic<bool> throwing{false};

 private:
  db::Database& real_;
};

struct Reply {
  unsigned status = 0;
  std::string body;
};

Reply get(unsigned short port, const std::string& target, const std::string& cookie = "") {
  net::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  beast::http::request<beast::http::empty_body> request(beast::http::verb::get, target, 11);
  request.set(beast::http::field::host, "127.0.0.1");
  if (!cookie.empty()) request.set(beast::http::field::cookie, cookie);
  request.keep_alive(false);
  beast::http::write(stream, request);
  beast::flat_buffer buffer;
  beast::http::response<beast::http::string_body> response;
  beast::http::read(stream, buffer, response);
  return {static_cast<unsigned>(response.result_int()), response.body()};
}

// A handler that waits until the test lets it go (one at a time).
struct Gate {
  std::promise<void> entered;
  std::promise<void> release;
};
Gate* gate = nullptr;

Response blocking(Application&, Request&) {
  gate->entered.set_value();
  gate->release.get_future().wait();
  return Response::html("released");
}

Response ping(Application&, Request&) { return Response::html("pong"); }

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    real_ = std::move(*db::open_sqlite(dir_.file("s.db"), 4));
    ASSERT_TRUE(db::migrate(*real_));
    database_ = std::make_unique<ThrowingDatabase>(*real_);
    AppConfig config;
    config.quarantine_dir = dir_.path() / "quarantine";
    app_ = std::make_unique<Application>(*database_, clock_, config);
    app_->get("/ping", {.public_route = true}, ping);
    app_->get("/block", {.public_route = true}, blocking);
  }

  void start(int io_threads, int handler_threads) {
    ServerConfig config;
    config.port = 0;
    config.threads = io_threads;
    config.handler_threads = handler_threads;
    config.log_requests = false;
    server_ = std::make_unique<Server>(*app_, config);
    ASSERT_TRUE(server_->listen());
    runner_ = std::thread([this] { server_->run(); });
  }

  void TearDown() override {
    if (server_) server_->stop();
    if (runner_.joinable()) runner_.join();
  }

  testing::TempDir dir_;
  SystemClock clock_;
  std::unique_ptr<db::Database> real_;
  std::unique_ptr<ThrowingDatabase> database_;
  std::unique_ptr<Application> app_;
  std::unique_ptr<Server> server_;
  std::thread runner_;
};

TEST_F(ServerTest, AHandlerThatBlocksDoesNotStopOtherRequests) {
  // One I/O thread: before handlers had their own pool, this handler held it and nothing else
  // was answered until it returned.
  start(1, 2);
  Gate waiting;
  gate = &waiting;
  auto blocked = std::async(std::launch::async, [&] { return get(server_->port(), "/block"); });
  waiting.entered.get_future().wait();
  Reply other = get(server_->port(), "/ping");
  EXPECT_EQ(other.status, 200u);
  EXPECT_EQ(other.body, "pong");
  // Only now does the blocked request finish.
  EXPECT_EQ(blocked.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
  waiting.release.set_value();
  EXPECT_EQ(blocked.get().status, 200u);
  gate = nullptr;
}

TEST_F(ServerTest, AnExceptionWhileLoadingTheSessionIsA500AndTheServerGoesOn) {
  start(1, 2);
  // A well-formed session token makes prepare() look the session up in the database.
  std::string cookie = "kakehashi_session=" + std::string(43, 'A');
  database_->throwing = true;
  Reply failed = get(server_->port(), "/ping", cookie);
  EXPECT_EQ(failed.status, 500u);
  EXPECT_NE(failed.body.find("システムエラーが発生しました"), std::string::npos);
  EXPECT_NE(failed.body.find("受付番号: "), std::string::npos);
  // Again, on the same single I/O thread: the process did not end and still serves.
  Reply again = get(server_->port(), "/ping", cookie);
  EXPECT_EQ(again.status, 500u);
  database_->throwing = false;
  Reply served = get(server_->port(), "/ping", cookie);
  EXPECT_EQ(served.status, 200u);
  EXPECT_EQ(served.body, "pong");
}

TEST_F(ServerTest, PeriodicTasksRunUntilTheServerStops) {
  std::mutex mutex;
  std::condition_variable changed;
  int ticks = 0, failures = 0;
  app_->add_periodic("test.tick", std::chrono::milliseconds(10), [&]() -> Result<void> {
    std::lock_guard lock(mutex);
    ++ticks;
    changed.notify_all();
    return {};
  });
  // A task that fails (or throws) is logged and runs again at its next time.
  app_->add_periodic("test.failing", std::chrono::milliseconds(10), [&]() -> Result<void> {
    std::lock_guard lock(mutex);
    ++failures;
    changed.notify_all();
    if (failures % 2 == 0) throw std::runtime_error("task exception (test)");
    return fail(Error::unavailable("task failure (test)"));
  });
  start(1, 2);
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, std::chrono::seconds(30), [&] { return ticks >= 3 && failures >= 4; }));
  }
  server_->stop();
  runner_.join();  // run() returns: the timers were cancelled
  std::lock_guard lock(mutex);
  EXPECT_GE(ticks, 3);
}

}  // namespace
}  // namespace kakehashi::web
