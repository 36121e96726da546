// The HTTP/1.1 server on Boost.Beast: keep-alive, header and body limits, timeouts so a slow
// client cannot hold a worker, connection caps, optional TLS, graceful shutdown, one JSON log
// line per request.
//
// Threads: the I/O threads (`threads`) only read and write sockets. Application::prepare and
// Application::handle (sessions, database, rendering, inspection …) run on a fixed pool of
// handler threads (`handler_threads`); the connection posts them there and the result back to
// its strand, so a slow handler never stops another connection's I/O, and an exception in
// either becomes a logged 500 with the request id. Static assets are answered on the I/O thread.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "base/result.h"
#include "web/app.h"

namespace kakehashi::web {

struct ServerConfig {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0: any free port (printed at start)
  std::string tls_cert;        // PEM certificate chain; TLS when set with tls_key
  std::string tls_key;         // PEM private key
  int threads = 0;             // I/O threads; 0: twice the cores, at least 4
  int handler_threads = 0;     // handler pool; 0: default_handler_threads()
  std::chrono::seconds header_timeout{10};  // request line and headers, and keep-alive idle time
  std::chrono::seconds body_timeout{30};    // each body chunk (64 KiB) must arrive within this
  std::chrono::seconds body_deadline{300};  // and the whole body within this
  std::chrono::seconds write_timeout{30};
  // Connections open at once, overall and per client address (IPv6: per /64). Past a cap a plain
  // HTTP connection is answered 503 with Retry-After and closed; a TLS one is closed at once.
  // The per-address cap does not apply behind a proxy (every connection comes from the proxy).
  std::size_t max_connections = 2048;
  std::size_t max_connections_per_address = 64;
  bool log_requests = true;
};

// max(8, 4 × cores): handlers mostly wait for SQLite, so more threads than cores pay off.
int default_handler_threads();

// Header section limit: anything larger is answered 431 and the connection closed.
inline constexpr std::size_t kHeaderLimit = 16 * 1024;

class Server {
 public:
  Server(Application& app, ServerConfig config);
  ~Server();

  // Binds and listens; after success port() is the real port.
  [[nodiscard]] Result<void> listen();
  unsigned short port() const;
  // Serves until SIGINT/SIGTERM (or stop()), then lets requests in progress finish. Runs the
  // application's periodic tasks (Application::add_periodic) on the handler pool meanwhile.
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "127.0.0.1:8080" / "[::1]:8080" / ":8080" into address and port. Error names the expected form.
[[nodiscard]] Result<std::pair<std::string, unsigned short>> parse_listen(const std::string& listen);
// True for 127.0.0.0/8 and ::1 (and "localhost").
bool is_loopback(const std::string& address);

}  // namespace kakehashi::web
