// The HTTP/1.1 server on Boost.Beast: keep-alive, header and body limits, timeouts so a slow
// client cannot hold a worker, optional TLS, graceful shutdown, one JSON log line per request.
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
  int threads = 0;             // 0: twice the cores, at least 4
  std::chrono::seconds header_timeout{10};  // request line and headers, and keep-alive idle time
  std::chrono::seconds body_timeout{30};    // each body chunk must arrive within this
  std::chrono::seconds write_timeout{30};
  bool log_requests = true;
};

// Header section limit: anything larger is answered 431 and the connection closed.
inline constexpr std::size_t kHeaderLimit = 16 * 1024;

class Server {
 public:
  Server(Application& app, ServerConfig config);
  ~Server();

  // Binds and listens; after success port() is the real port.
  [[nodiscard]] Result<void> listen();
  unsigned short port() const;
  // Serves until SIGINT/SIGTERM (or stop()), then lets requests in progress finish.
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
