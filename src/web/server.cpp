#include "web/server.h"

#include "base/date.h"

#include <fmt/format.h>
#include <openssl/rand.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <array>
#include <cmath>
#include <filesystem>
#include <limits>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <vector>

#include "base/text.h"
#include "web/log.h"

namespace kakehashi::web {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

// How long a TLS connection waits for the peer's close_notify before the socket is closed anyway.
constexpr std::chrono::seconds kTlsShutdownTimeout{5};
// Refused connections (over a cap) answered 503 at once; beyond this many in flight they are
// closed without an answer, so a flood cannot turn refusals into held sockets.
constexpr std::size_t kMaxRefusalsInFlight = 64;
constexpr std::chrono::seconds kRefusalRetryAfter{5};

std::string new_request_id() {
  unsigned char bytes[8];
  RAND_bytes(bytes, sizeof bytes);
  return fmt::format("{:02x}", fmt::join(bytes, ""));
}

std::string now_iso() {
  return iso_utc(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

// One JSON line per request on stdout: no query string, no cookies, no address, no body.
void log_request(const Request& request, const Route* route, unsigned status, std::size_t bytes,
                 std::chrono::steady_clock::duration took) {
  boost::json::object line{
      {"time", now_iso()},
      {"level", "info"},
      {"request_id", request.request_id},
      {"method", std::string(http::to_string(request.method))},
      {"route", route ? route->pattern : (request.path.starts_with("/static/") ? "/static" : "(unmatched)")},
      {"status", status},
      {"bytes", bytes},
      {"us", std::chrono::duration_cast<std::chrono::microseconds>(took).count()},
  };
  if (request.principal) line["user_id"] = request.principal->user_id;
  write_log_line(line);
}

// An error of the server itself (an exception, a periodic task that failed).
void log_server_error(std::string_view event, std::string_view detail, std::string_view request_id = {}) {
  boost::json::object line{{"time", now_iso()}, {"level", "error"}, {"event", event}, {"error", detail}};
  if (!request_id.empty()) line["request_id"] = request_id;
  write_log_line(line);
}

// Path (percent-decoded, must be UTF-8 and absolute) and raw query of a request target.
bool split_target(std::string_view target, std::string& path, std::string& query) {
  size_t question = target.find('?');
  std::string_view raw_path = target.substr(0, question);
  query = question == std::string_view::npos ? "" : std::string(target.substr(question + 1));
  if (raw_path.empty() || raw_path.front() != '/') return false;
  auto decoded = percent_decode(raw_path, false);
  if (!decoded || decoded->find('\0') != std::string::npos) return false;
  path = std::move(*decoded);
  return true;
}

// The key a connection counts under: the IPv4 address (also when mapped into IPv6), an IPv6
// address's /64 (one host usually holds a whole /64).
std::string address_key(const net::ip::address& address) {
  if (address.is_v6()) {
    auto v6 = address.to_v6();
    if (v6.is_v4_mapped()) return net::ip::make_address_v4(net::ip::v4_mapped, v6).to_string();
    auto bytes = v6.to_bytes();
    std::fill(bytes.begin() + 8, bytes.end(), 0);
    return net::ip::address_v6(bytes).to_string() + "/64";
  }
  return address.to_string();
}

std::string html_message(std::string_view message) {
  return fmt::format("<!DOCTYPE html><html lang=\"ja\"><meta charset=\"utf-8\"><title>エラー</title><p>{}</p></html>",
                     text::xml_escape(message));
}

class ConnectionBase {
 public:
  virtual ~ConnectionBase() = default;
  virtual void close_if_idle() = 0;
};

struct Shared {
  Application& app;
  ServerConfig config;
  net::thread_pool* handlers = nullptr;  // owned by Server::Impl
  std::atomic<bool> stopping{false};
  std::mutex connections_mutex;
  std::set<std::weak_ptr<ConnectionBase>, std::owner_less<std::weak_ptr<ConnectionBase>>> connections;
  // Open connections, overall and per address_key (guarded by connections_mutex).
  std::size_t open = 0;
  std::unordered_map<std::string, std::size_t> open_per_address;
  std::atomic<std::size_t> refusals{0};
};

enum class Admission { kAccepted, kOverAddressCap, kOverCap };

// A counted connection: taken at accept, returned when the connection object goes.
class ConnectionTicket {
 public:
  ConnectionTicket(Shared& shared, std::string key) : shared_(&shared), key_(std::move(key)) {}
  ConnectionTicket(ConnectionTicket&& other) noexcept
      : shared_(std::exchange(other.shared_, nullptr)), key_(std::move(other.key_)) {}
  ConnectionTicket(const ConnectionTicket&) = delete;
  ConnectionTicket& operator=(const ConnectionTicket&) = delete;
  ConnectionTicket& operator=(ConnectionTicket&&) = delete;
  ~ConnectionTicket() {
    if (!shared_) return;
    std::lock_guard lock(shared_->connections_mutex);
    --shared_->open;
    auto found = shared_->open_per_address.find(key_);
    if (found != shared_->open_per_address.end() && --found->second == 0) shared_->open_per_address.erase(found);
  }

 private:
  Shared* shared_;
  std::string key_;
};

Admission count_connection(Shared& shared, const std::string& key) {
  std::lock_guard lock(shared.connections_mutex);
  if (shared.open >= shared.config.max_connections) return Admission::kOverCap;
  bool per_address = !shared.app.config().behind_proxy;
  std::size_t& mine = shared.open_per_address[key];
  if (per_address && mine >= shared.config.max_connections_per_address) {
    if (mine == 0) shared.open_per_address.erase(key);
    return Admission::kOverAddressCap;
  }
  ++mine;
  ++shared.open;
  return Admission::kAccepted;
}

// A plain HTTP connection over a cap: a short 503 with Retry-After, then a lingering close.
class Refusal : public std::enable_shared_from_this<Refusal> {
 public:
  Refusal(Shared& shared, tcp::socket socket) : shared_(shared), stream_(std::move(socket)) { ++shared_.refusals; }
  ~Refusal() { --shared_.refusals; }

  void start() {
    message_.result(http::status::service_unavailable);
    message_.version(11);
    Request nothing;
    Response headers = Response::html("");
    shared_.app.finalize(nothing, headers);
    for (const auto& [name, value] : headers.headers) message_.insert(name, value);
    message_.set(http::field::server, "kakehashi");
    message_.set(http::field::content_type, "text/html; charset=utf-8");
    message_.set(http::field::retry_after, std::to_string(kRefusalRetryAfter.count()));
    message_.body() = html_message(fmt::format("接続が集中しています。{} 秒ほど待ってから、もう一度お試しください。",
                                               kRefusalRetryAfter.count()));
    message_.keep_alive(false);
    message_.prepare_payload();
    stream_.expires_after(std::chrono::seconds(5));
    http::async_write(stream_, message_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return;
      beast::error_code ignored;
      self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      self->stream_.expires_after(std::chrono::seconds(1));
      self->drain();
    });
  }

 private:
  void drain() {
    stream_.async_read_some(net::buffer(buffer_), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->drained_ += n;
      if (ec || self->drained_ > 64 * 1024) return;
      self->drain();
    });
  }

  Shared& shared_;
  beast::tcp_stream stream_;
  http::response<http::string_body> message_;
  std::array<char, 4096> buffer_{};
  std::size_t drained_ = 0;
};

template <class Stream>
class Connection : public ConnectionBase, public std::enable_shared_from_this<Connection<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>;

 public:
  template <class... Args>
  explicit Connection(Shared& shared, ConnectionTicket ticket, std::string remote, Args&&... args)
      : shared_(shared), ticket_(std::move(ticket)), stream_(std::forward<Args>(args)...), remote_(std::move(remote)) {}

  void start() {
    {
      std::lock_guard lock(shared_.connections_mutex);
      shared_.connections.insert(this->weak_from_this());
    }
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->begin(); });
  }

  ~Connection() override {
    std::lock_guard lock(shared_.connections_mutex);
    shared_.connections.erase(this->weak_from_this());
  }

  void close_if_idle() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (self->idle_) beast::get_lowest_layer(self->stream_).cancel();
    });
  }

 private:
  void begin() {
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(shared_.config.header_timeout);
      stream_.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
        if (ec) return;  // a failed handshake has nothing to answer
        self->read_header();
      });
    } else {
      read_header();
    }
  }

  void read_header() {
    if (shared_.stopping) return graceful_close();
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    // No limit while the header is read: prepare() answers a Content-Length over the route's own
    // limit with 413, and the route's limit is set on the parser before any body byte is read.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    request_ = Request{};
    route_ = nullptr;
    unread_body_ = false;
    body_.clear();
    upload_.reset();
    idle_ = true;
    beast::get_lowest_layer(stream_).expires_after(shared_.config.header_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    idle_ = false;
    started_ = std::chrono::steady_clock::now();
    if (ec == http::error::header_limit) {
      return reply_and_close(plain_error(http::status::request_header_fields_too_large,
                                         "リクエストヘッダーが大きすぎます（16 KiB まで）"));
    }
    if (ec == http::error::end_of_stream) return graceful_close();  // the client closed between requests
    if (ec) return close();  // timeout, reset or malformed request: nothing useful to answer

    auto& header = parser_->get();
    request_.method = header.method();
    request_.target = std::string(header.target());
    request_.headers = header.base();
    request_.remote_address = remote_;
    request_.secure = kTls || (shared_.app.config().behind_proxy && header["X-Forwarded-Proto"] == "https");
    request_.request_id = new_request_id();
    if (header.version() != 11 && header.version() != 10) return reply_and_close(plain_error(http::status::bad_request, ""));
    if (!split_target(request_.target, request_.path, request_.query)) {
      return reply_and_close(shared_.app.error(request_, http::status::bad_request));
    }
    if (request_.method == http::verb::trace || request_.method == http::verb::unknown ||
        request_.method == http::verb::connect) {
      Response response = shared_.app.error(request_, http::status::method_not_allowed);
      return reply_and_close(std::move(response));
    }
    // Static assets touch neither session nor database: answered here, on the I/O thread.
    if (auto asset = shared_.app.static_response(request_)) return after_prepare({std::move(asset), nullptr});
    // A request without a body (most GETs) is prepared and handled in one trip to the pool.
    bool no_body = parser_->is_done();
    offload([this, no_body] { return run_prepare(no_body); },
            [this](Prepared prepared) { after_prepare(std::move(prepared)); });
  }

  struct Prepared {
    std::optional<Response> early;
    const Route* route = nullptr;
  };

  // On a handler thread: the strand does nothing with this connection meanwhile. With
  // `no_body` the request is also handled here (its answer comes back as `early`), unless it is
  // an upload, whose quarantine is set up on the strand.
  Prepared run_prepare(bool no_body) {
    Prepared prepared;
    try {
      prepared.early = shared_.app.prepare(request_, prepared.route);
    } catch (const std::exception& e) {
      return {internal_error("prepare", e.what()), nullptr};
    } catch (...) {
      return {internal_error("prepare", "unknown exception"), nullptr};
    }
    bool upload = prepared.route && prepared.route->options.body == BodyKind::kMultipart &&
                  request_.header(http::field::content_type).starts_with("multipart/form-data");
    if (!prepared.early && no_body && !upload) {
      route_ = prepared.route;
      prepared.early = run_handle();
    }
    return prepared;
  }

  void after_prepare(Prepared prepared) {
    auto& header = parser_->get();
    route_ = prepared.route;
    if (prepared.early) {
      // The body (if any) was not read, so the connection cannot carry another request.
      bool has_body = parser_->chunked() || (parser_->content_length() && *parser_->content_length() > 0);
      unread_body_ = has_body;
      return reply(std::move(*prepared.early), !has_body && header.keep_alive());
    }
    std::size_t limit = route_->effective_body_limit();
    parser_->body_limit(limit);
    if (route_->options.body == BodyKind::kMultipart &&
        header[http::field::content_type].starts_with("multipart/form-data")) {
      auto upload = QuarantineUpload::start(header[http::field::content_type],
                                            {.directory = shared_.app.config().quarantine_dir});
      if (!upload) return reply_and_close(shared_.app.error(request_, http::status::bad_request, upload.error().message));
      upload_.emplace(std::move(*upload));
    }
    body_deadline_ = std::chrono::steady_clock::now() + shared_.config.body_deadline;
    if (parser_->is_done()) return on_body_done();
    read_body();
  }

  void read_body() {
    parser_->get().body().data = chunk_.data();
    parser_->get().body().size = chunk_.size();
    // Each chunk within the body timeout, and the whole body within the body deadline.
    auto chunk_deadline = std::chrono::steady_clock::now() + shared_.config.body_timeout;
    beast::get_lowest_layer(stream_).expires_at(std::min(chunk_deadline, body_deadline_));
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
  }

  void on_body(beast::error_code ec) {
    if (ec == http::error::need_buffer) ec = {};
    if (ec == http::error::body_limit) {
      return reply_and_close(shared_.app.error(request_, http::status::payload_too_large,
                                               fmt::format("送信できるのは {} MB までです。",
                                                           std::max<std::size_t>(1, route_->effective_body_limit() >> 20))));
    }
    if (ec) return close();
    std::size_t received = chunk_.size() - parser_->get().body().size;
    std::string_view bytes(chunk_.data(), received);
    if (upload_) {
      if (auto fed = upload_->feed(bytes); !fed) {
        upload_.reset();
        return reply_and_close(shared_.app.error(request_, http::status::bad_request, fed.error().message));
      }
    } else {
      body_.append(bytes);
      if (body_.size() > route_->effective_body_limit()) return on_body(http::error::body_limit);
    }
    if (parser_->is_done()) return on_body_done();
    read_body();
  }

  void on_body_done() {
    if (upload_) {
      auto upload = upload_->finish();
      upload_.reset();
      if (!upload) return reply_and_close(shared_.app.error(request_, http::status::bad_request, upload.error().message));
      request_.form = std::move(upload->fields);
      request_.files = std::move(upload->files);
    } else {
      request_.body = std::move(body_);
    }
    offload([this] { return run_handle(); },
            [this](Response response) { reply(std::move(response), parser_->get().keep_alive()); });
  }

  // On a handler thread.
  Response run_handle() {
    try {
      return shared_.app.handle(request_, *route_);
    } catch (const std::exception& e) {
      remove_uploads();
      return internal_error("handle", e.what());
    } catch (...) {
      remove_uploads();
      return internal_error("handle", "unknown exception");
    }
  }

  void remove_uploads() {
    for (const auto& file : request_.files) {
      std::error_code ignored;
      std::filesystem::remove(file.stored_path, ignored);
    }
  }

  // The 500 for an exception that escaped the application: logged with the request id, which
  // the page shows. Should the error page itself fail, a plain page says the same.
  Response internal_error(std::string_view stage, std::string_view what) {
    try {
      return shared_.app.error_response(request_, Error::internal(fmt::format("{}: {}", stage, what)));
    } catch (...) {
      log_server_error("request.exception", fmt::format("{}: {}", stage, what), request_.request_id);
      return plain_error(http::status::internal_server_error,
                         fmt::format("システムエラーが発生しました。（受付番号: {}）", request_.request_id));
    }
  }

  // Runs `work` on the handler pool, then `then(result)` on this connection's strand. The
  // connection stays alive meanwhile (`self`), and the pending post keeps io_context::run going.
  template <class Work, class Then>
  void offload(Work work, Then then) {
    auto self = this->shared_from_this();
    auto back = net::prefer(stream_.get_executor(), net::execution::outstanding_work.tracked);
    net::post(*shared_.handlers, [self, back, work = std::move(work), then = std::move(then)]() mutable {
      auto result = work();
      net::post(back, [self, then = std::move(then), result = std::move(result)]() mutable { then(std::move(result)); });
    });
  }

  Response plain_error(http::status status, std::string message) {
    return Response::html(html_message(message), status);
  }

  void reply_and_close(Response response) {
    // Whatever the client still sends must be drained, or the kernel resets the connection and
    // the client never reads this response.
    unread_body_ = parser_ && !parser_->is_done();
    reply(std::move(response), false);
  }

  void reply(Response response, bool keep_alive) {
    shared_.app.finalize(request_, response);
    keep_alive = keep_alive && !shared_.stopping;
    if (response.file && request_.method != http::verb::head) {
      http::file_body::value_type file;
      beast::error_code ec;
      file.open(response.file->c_str(), beast::file_mode::scan, ec);
      if (response.delete_file_after) {
        // Unlinked now; the open descriptor keeps the data until it is sent.
        std::error_code ignored;
        std::filesystem::remove(*response.file, ignored);
      }
      if (!ec) {
        auto message = std::make_shared<http::response<http::file_body>>(response.status, 11);
        message->body() = std::move(file);
        return send(std::move(message), response, keep_alive);
      }
      log_server_error("response.file", ec.message(), request_.request_id);
      response = plain_error(http::status::internal_server_error,
                             fmt::format("システムエラーが発生しました。（受付番号: {}）", request_.request_id));
      shared_.app.finalize(request_, response);
    }
    auto message = std::make_shared<http::response<http::string_body>>(response.status, 11);
    if (response.file) {
      // HEAD of a download: the size without the bytes.
      std::error_code ignored;
      std::uint64_t size = std::filesystem::file_size(*response.file, ignored);
      if (response.delete_file_after) std::filesystem::remove(*response.file, ignored);
      return send(std::move(message), response, keep_alive, size);
    }
    message->body() = std::move(response.body);
    send(std::move(message), response, keep_alive);
  }

  // Sets the headers of `response` on `message` and writes it; then reads the next request or
  // closes. Works for string and file bodies alike.
  template <class Message>
  void send(std::shared_ptr<Message> message, const Response& response, bool keep_alive,
            std::optional<std::uint64_t> head_length = std::nullopt) {
    message->set(http::field::server, "kakehashi");
    message->set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) message->insert(name, value);
    message->keep_alive(keep_alive);
    std::uint64_t size = 0;
    if (response.status == http::status::not_modified || response.status == http::status::no_content) {
      message->content_length(boost::none);
    } else {
      message->prepare_payload();
      size = message->payload_size().value_or(0);
      if (head_length) {
        message->content_length(*head_length);
        size = *head_length;
      }
    }
    if constexpr (std::is_same_v<Message, http::response<http::string_body>>) {
      if (request_.method == http::verb::head) message->body().clear();  // Content-Length stays
    }
    if (shared_.config.log_requests) {
      log_request(request_, route_, static_cast<unsigned>(response.status), size, std::chrono::steady_clock::now() - started_);
    }
    beast::get_lowest_layer(stream_).expires_after(shared_.config.write_timeout);
    auto self = this->shared_from_this();
    http::async_write(stream_, *message, [self, message, keep_alive](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      if (!keep_alive) return self->unread_body_ ? self->linger_close() : self->graceful_close();
      self->read_header();
    });
  }

  // A lingering close: stop sending, then read and discard what the client is still sending
  // (at most kLingerBytes, for at most kLingerTime) so that it can read the response first.
  static constexpr std::size_t kLingerBytes = 1024 * 1024;
  static constexpr std::chrono::seconds kLingerTime{2};

  void linger_close() {
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_send, ignored);
    beast::get_lowest_layer(stream_).expires_after(kLingerTime);
    drained_ = 0;
    drain();
  }

  void drain() {
    beast::get_lowest_layer(stream_).async_read_some(
        net::buffer(chunk_), [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
          self->drained_ += n;
          if (ec || self->drained_ > kLingerBytes) return self->close();
          self->drain();
        });
  }

  // The end of a connection in good order: TLS sends its close_notify (and waits a bounded time
  // for the peer's) before the socket closes, so the client can tell the end from a truncation.
  void graceful_close() {
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(kTlsShutdownTimeout);
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) { self->close(); });
    } else {
      close();
    }
  }

  void close() {
    beast::error_code ignored;
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    } else {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
    beast::get_lowest_layer(stream_).close();
  }

  Shared& shared_;
  ConnectionTicket ticket_;
  Stream stream_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::buffer_body>> parser_;
  std::array<char, 64 * 1024> chunk_{};
  Request request_;
  const Route* route_ = nullptr;
  std::string body_;
  std::optional<QuarantineUpload> upload_;
  bool idle_ = false;
  bool unread_body_ = false;  // the response goes out before the request body was read
  std::size_t drained_ = 0;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point body_deadline_;
};

}  // namespace

int default_handler_threads() {
  return std::max(8, 4 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
}

struct Server::Impl {
  explicit Impl(Application& app, ServerConfig config)
      : shared{app, std::move(config)},
        threads(shared.config.threads > 0 ? shared.config.threads
                                          : std::max(4, int(std::thread::hardware_concurrency()) * 2)),
        io(threads),
        acceptor(net::make_strand(io)),
        accept_backoff(acceptor.get_executor()),
        signals(io, SIGINT, SIGTERM),
        tls_context(ssl::context::tls_server),
        periodic_strand(net::make_strand(io)),
        handlers(static_cast<std::size_t>(shared.config.handler_threads > 0 ? shared.config.handler_threads
                                                                            : default_handler_threads())) {
    shared.handlers = &handlers;
  }

  void accept() {
    acceptor.async_accept(net::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (!acceptor.is_open() || ec == net::error::operation_aborted) return;
        // Out of descriptors or memory: try again shortly instead of spinning.
        accept_backoff.expires_after(std::chrono::milliseconds(100));
        accept_backoff.async_wait([this](beast::error_code waited) {
          if (!waited && acceptor.is_open()) accept();
        });
        return;
      }
      beast::error_code ignored;
      auto address = socket.remote_endpoint(ignored).address();
      std::string key = address_key(address);
      Admission admission = count_connection(shared, key);
      if (admission != Admission::kAccepted) {
        if (!tls && shared.refusals < kMaxRefusalsInFlight) {
          std::make_shared<Refusal>(shared, std::move(socket))->start();
        }
        return accept();  // a TLS connection (or one past the refusal budget) is simply closed
      }
      ConnectionTicket ticket(shared, std::move(key));
      std::string remote = address.to_string();
      socket.set_option(tcp::no_delay(true), ignored);
      if (tls) {
        std::make_shared<Connection<beast::ssl_stream<beast::tcp_stream>>>(shared, std::move(ticket), remote,
                                                                           std::move(socket), tls_context)
            ->start();
      } else {
        std::make_shared<Connection<beast::tcp_stream>>(shared, std::move(ticket), remote, std::move(socket))->start();
      }
      accept();
    });
  }

  // One timer per periodic task, all on one strand; a due task runs on the handler pool and
  // is scheduled again once it has finished.
  struct Periodic {
    const PeriodicTask* task;
    net::steady_timer timer;
  };

  void start_periodic() {
    for (const PeriodicTask& task : shared.app.periodic_tasks()) {
      periodic.push_back(std::make_unique<Periodic>(Periodic{&task, net::steady_timer(periodic_strand)}));
    }
    net::dispatch(periodic_strand, [this] {
      for (auto& entry : periodic) schedule(*entry);
    });
  }

  void schedule(Periodic& entry) {
    if (shared.stopping) return;
    entry.timer.expires_after(entry.task->interval);
    entry.timer.async_wait([this, &entry](beast::error_code ec) {
      if (ec || shared.stopping) return;
      auto back = net::prefer(periodic_strand, net::execution::outstanding_work.tracked);
      net::post(handlers, [this, &entry, back] {
        run_task(*entry.task);
        net::post(back, [this, &entry] { schedule(entry); });
      });
    });
  }

  static void run_task(const PeriodicTask& task) {
    try {
      if (auto done = task.run(); !done) log_server_error("periodic." + task.name, done.error().message);
    } catch (const std::exception& e) {
      log_server_error("periodic." + task.name, e.what());
    } catch (...) {
      log_server_error("periodic." + task.name, "unknown exception");
    }
  }

  void shutdown() {
    if (shared.stopping.exchange(true)) return;
    net::post(acceptor.get_executor(), [this] {
      beast::error_code ignored;
      acceptor.close(ignored);
      accept_backoff.cancel();
    });
    net::post(periodic_strand, [this] {
      for (auto& entry : periodic) entry->timer.cancel();
    });
    std::vector<std::shared_ptr<ConnectionBase>> live;
    {
      std::lock_guard lock(shared.connections_mutex);
      for (const auto& weak : shared.connections) {
        if (auto connection = weak.lock()) live.push_back(connection);
      }
    }
    for (auto& connection : live) connection->close_if_idle();
  }

  // Runs the io_context on this thread; an exception that escapes a completion handler (none
  // should: the application's are caught at the connection) is logged and the loop goes on.
  void run_io() {
    while (true) {
      try {
        io.run();
        return;
      } catch (const std::exception& e) {
        log_server_error("io.exception", e.what());
      } catch (...) {
        log_server_error("io.exception", "unknown exception");
      }
    }
  }

  Shared shared;
  int threads;
  net::io_context io;
  tcp::acceptor acceptor;
  net::steady_timer accept_backoff;
  net::signal_set signals;
  ssl::context tls_context;
  bool tls = false;
  net::strand<net::io_context::executor_type> periodic_strand;
  std::vector<std::unique_ptr<Periodic>> periodic;
  // Declared last, so destroyed first: queued work holds executors of `io`.
  net::thread_pool handlers;
};

Server::Server(Application& app, ServerConfig config) : impl_(std::make_unique<Impl>(app, std::move(config))) {}
Server::~Server() = default;

Result<void> Server::listen() {
  auto& config = impl_->shared.config;
  if (!config.tls_cert.empty() || !config.tls_key.empty()) {
    if (config.tls_cert.empty() || config.tls_key.empty()) {
      return fail(Error::invalid("TLS には --tls-cert と --tls-key の両方を指定してください"));
    }
    beast::error_code ec;
    impl_->tls_context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    impl_->tls_context.use_certificate_chain_file(config.tls_cert, ec);
    if (ec) return fail(Error::invalid("TLS 証明書を読み込めません: " + config.tls_cert + ": " + ec.message()));
    impl_->tls_context.use_private_key_file(config.tls_key, ssl::context::pem, ec);
    if (ec) return fail(Error::invalid("TLS 秘密鍵を読み込めません: " + config.tls_key + ": " + ec.message()));
    impl_->tls = true;
  }
  beast::error_code ec;
  auto address = net::ip::make_address(config.address, ec);
  if (ec) return fail(Error::invalid("待ち受けアドレスが正しくありません: " + config.address));
  tcp::endpoint endpoint{address, config.port};
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return fail(Error::unavailable(fmt::format("{}:{} で待ち受けできません: {}", config.address, config.port, ec.message())));
  }
  return {};
}

unsigned short Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::run() {
  impl_->signals.async_wait([this](beast::error_code ec, int) {
    if (!ec) impl_->shutdown();
  });
  impl_->accept();
  impl_->start_periodic();
  std::vector<std::thread> workers;
  for (int i = 1; i < impl_->threads; ++i) workers.emplace_back([this] { impl_->run_io(); });
  // Once stopping, give requests in progress a bounded time, then stop hard.
  std::thread watchdog([this] {
    while (!impl_->shared.stopping) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    impl_->signals.cancel();
    for (int i = 0; i < 200 && !impl_->io.stopped(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    impl_->io.stop();
  });
  impl_->run_io();
  for (auto& worker : workers) worker.join();
  impl_->shared.stopping = true;
  watchdog.join();
  // Handlers still running (a long inspection) finish; what they post back is never run.
  impl_->handlers.join();
}

void Server::stop() { impl_->shutdown(); }

Result<std::pair<std::string, unsigned short>> parse_listen(const std::string& listen) {
  Error bad = Error::invalid("--listen はアドレス:ポートの形式で指定してください（例: 127.0.0.1:8080）: " + listen);
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return fail(bad);
  std::string host = listen.substr(0, colon);
  std::string port_text = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";
  if (host == "localhost") host = "127.0.0.1";
  if (port_text.empty() || port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string::npos) {
    return fail(bad);
  }
  unsigned long port = std::stoul(port_text);
  if (port > 65535) return fail(bad);
  beast::error_code ec;
  net::ip::make_address(host, ec);
  if (ec) return fail(bad);
  return std::pair{host, static_cast<unsigned short>(port)};
}

bool is_loopback(const std::string& address) {
  if (address == "localhost") return true;
  beast::error_code ec;
  auto parsed = net::ip::make_address(address, ec);
  return !ec && parsed.is_loopback();
}

}  // namespace kakehashi::web
