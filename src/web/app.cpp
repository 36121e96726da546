#include "web/app.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <cstring>

#include <boost/algorithm/string/predicate.hpp>
#include <boost/json.hpp>

#include "audit/audit.h"
#include "auth/api_tokens.h"
#include "auth/display_settings.h"
#include "auth/password.h"
#include "auth/session_cache.h"
#include "auth/users.h"
#include "base/date_style.h"
#include "web/cookies.h"
#include "web/layout_view.h"
#include "web/log.h"
#include "web/static_assets.h"

#ifndef KAKEHASHI_VERSION
#define KAKEHASHI_VERSION "dev"
#endif

namespace kakehashi::web {
namespace {

constexpr std::string_view kProgrammeName = "令和8年度「未来の教室」産学連携事業";

// No external host, no inline script, nothing framed: the policy of R8.4 and issue #2.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

bool is_unsafe(http::verb method) {
  return method != http::verb::get && method != http::verb::head && method != http::verb::options;
}

bool tokens_equal(const std::string& a, const std::string& b) {
  return a.size() == b.size() && !a.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

struct StatusText {
  std::string_view heading;
  std::string_view message;
  std::string_view code;  // for /api/
};

StatusText status_text(http::status status) {
  switch (status) {
    case http::status::bad_request:
      return {"リクエストの内容が正しくありません", "入力内容を確認して、もう一度お試しください。", "bad_request"};
    case http::status::unauthorized:
      return {"ログインが必要です", "ログインしてからもう一度お試しください。", "unauthorized"};
    case http::status::forbidden:
      return {"この操作を行う権限がありません", "権限が必要な場合は事務局にお問い合わせください。", "forbidden"};
    case http::status::not_found:
      return {"ページが見つかりません", "URL を確認してください。ページが移動または削除された可能性があります。", "not_found"};
    case http::status::method_not_allowed:
      return {"この方法では操作できません", "画面のボタンやリンクから操作してください。", "method_not_allowed"};
    case http::status::payload_too_large:
      return {"送信されたデータが大きすぎます", "ファイルを小さくするか分けて送信してください。", "payload_too_large"};
    case http::status::unsupported_media_type:
      return {"この形式のデータは受け付けられません", "画面のフォームから送信してください。", "unsupported_media_type"};
    case http::status::conflict:
      return {"他の操作と競合しました", "画面を再読み込みして、もう一度お試しください。", "conflict"};
    case http::status::unprocessable_entity:
      return {"この操作は受け付けられません", "入力内容を確認して、もう一度お試しください。", "unprocessable"};
    case http::status::too_many_requests:
      return {"操作が集中しています", "しばらく待ってから、もう一度お試しください。", "too_many_requests"};
    case http::status::service_unavailable:
      return {"ただいま混み合っています", "しばらく待ってから、もう一度お試しください。", "unavailable"};
    default:
      return {"システムエラーが発生しました", "時間をおいてもう一度お試しください。解決しない場合は事務局にお問い合わせください。",
              "internal"};
  }
}

std::string roles_label(const auth::Principal& principal) {
  std::string out;
  for (auth::Role role : principal.roles) out += (out.empty() ? "" : "・") + std::string(auth::role_label(role));
  return out;
}

// An error line in the server log (src/web/log.h): the request id ties it to the page the
// person saw. `detail` is our own message (never form values).
void log_error(const Request& request, unsigned status, std::string_view detail) {
  boost::json::object line{
      {"time", iso_utc(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()))},
      {"level", "error"},
      {"request_id", request.request_id},
      {"method", std::string(http::to_string(request.method))},
      {"status", status},
  };
  if (!detail.empty()) line["error"] = detail;
  if (request.principal) line["user_id"] = request.principal->user_id;
  write_log_line(line);
}

std::string expected_origin(const Request& request) {
  return (request.secure ? "https://" : "http://") + request.header(http::field::host);
}

constexpr std::string_view kInvalidTokenMessage =
    "API トークンが無効です（有効期限切れ・失効・入力の誤り）。画面の「API トークン」で状態を確認してください。";

// The token of an `Authorization: Bearer <token>` header, or nothing.
std::optional<std::string> bearer_token(const Request& request) {
  std::string value = request.header(http::field::authorization);
  if (!boost::istarts_with(value, "Bearer") || (value.size() > 6 && value[6] != ' ')) return std::nullopt;
  std::string_view token = std::string_view(value).substr(6);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return std::string(token);
}

// A token we issued: 43 URL-safe base64 characters (auth::random_token(32)).
bool well_formed_token(std::string_view token) {
  if (token.size() != 43) return false;
  for (char c : token) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// An address as 16 bytes (IPv4 as IPv4-mapped IPv6, so both forms compare equal).
std::optional<std::array<unsigned char, 16>> parse_address(std::string_view text) {
  std::string copy(text);
  std::array<unsigned char, 16> bytes{};
  unsigned char v4[4];
  if (::inet_pton(AF_INET, copy.c_str(), v4) == 1) {
    bytes[10] = bytes[11] = 0xff;
    std::memcpy(bytes.data() + 12, v4, 4);
    return bytes;
  }
  if (::inet_pton(AF_INET6, copy.c_str(), bytes.data()) == 1) return bytes;
  return std::nullopt;
}

// One X-Forwarded-For entry without port or brackets: "[2001:db8::1]:443" -> "2001:db8::1",
// "192.0.2.1:8080" -> "192.0.2.1".
std::string forwarded_host(std::string_view entry) {
  while (!entry.empty() && (entry.front() == ' ' || entry.front() == '\t')) entry.remove_prefix(1);
  while (!entry.empty() && (entry.back() == ' ' || entry.back() == '\t')) entry.remove_suffix(1);
  if (entry.starts_with('[')) {
    size_t close = entry.find(']');
    return std::string(close == std::string_view::npos ? entry.substr(1) : entry.substr(1, close - 1));
  }
  size_t colon = entry.find(':');
  if (colon != std::string_view::npos && entry.find(':', colon + 1) == std::string_view::npos) {
    return std::string(entry.substr(0, colon));  // IPv4 with a port; IPv6 has several colons
  }
  return std::string(entry);
}

// The address in its usual text form (IPv4-mapped IPv6 as IPv4).
std::string canonical_address(std::string_view text) {
  auto bytes = parse_address(text);
  if (!bytes) return std::string(text);
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  char out[INET6_ADDRSTRLEN];
  if (std::memcmp(bytes->data(), kMapped, 12) == 0) {
    ::inet_ntop(AF_INET, bytes->data() + 12, out, sizeof out);
  } else {
    ::inet_ntop(AF_INET6, bytes->data(), out, sizeof out);
  }
  return out;
}

bool is_trusted_proxy(std::string_view address, const AppConfig& config) {
  for (const auto& pattern : config.trusted_proxies) {
    if (address_matches(address, pattern)) return true;
  }
  return false;
}

}  // namespace

bool address_matches(std::string_view address, std::string_view pattern) {
  auto bytes = parse_address(address);
  if (!bytes) return false;
  size_t slash = pattern.find('/');
  auto network = parse_address(pattern.substr(0, slash));
  if (!network) return false;
  bool v4 = pattern.substr(0, slash).find(':') == std::string_view::npos;
  int bits = 128;
  if (slash != std::string_view::npos) {
    std::string_view length = pattern.substr(slash + 1);
    if (length.empty() || length.size() > 3 || length.find_first_not_of("0123456789") != std::string_view::npos) {
      return false;
    }
    bits = std::stoi(std::string(length)) + (v4 ? 96 : 0);
    if (bits > 128) return false;
  }
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    unsigned char mask = bits >= 8 ? 0xff : static_cast<unsigned char>(0xff << (8 - bits));
    if (((*bytes)[i] & mask) != ((*network)[i] & mask)) return false;
  }
  return true;
}

ClientOrigin client_origin(const std::string& peer, const http::fields& headers, const AppConfig& config) {
  ClientOrigin origin{canonical_address(peer), config.tls};
  bool https = false;
  for (auto [it, end] = headers.equal_range("X-Forwarded-Proto"); it != end; ++it) https = it->value() == "https";
  if (!is_trusted_proxy(origin.address, config)) {
    // The old --behind-proxy alone: TLS is the proxy's, the address is the peer's.
    if (config.behind_proxy && config.trusted_proxies.empty()) origin.secure = origin.secure || https;
    return origin;
  }
  origin.secure = origin.secure || https;
  std::vector<std::string> hops;
  for (auto [it, end] = headers.equal_range("X-Forwarded-For"); it != end; ++it) {
    std::string_view list = it->value();
    for (size_t start = 0; start <= list.size();) {
      size_t comma = list.find(',', start);
      if (comma == std::string_view::npos) comma = list.size();
      hops.push_back(forwarded_host(list.substr(start, comma - start)));
      start = comma + 1;
    }
  }
  // From the right: each trusted proxy names the hop before it; the first that is not a trusted
  // proxy is the client. An entry that is not an address (a misconfigured proxy) ends the walk
  // at the last hop we could believe.
  std::string client = origin.address;
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    if (!parse_address(*hop)) break;
    client = canonical_address(*hop);
    if (!is_trusted_proxy(client, config)) break;
  }
  origin.address = client;
  return origin;
}

std::string api_error_body(std::string_view code, std::string_view message) {
  boost::json::object error{{"code", code}, {"message", message}};
  return boost::json::serialize(boost::json::object{{"error", error}});
}

std::string safe_next_path(std::string_view next) {
  // Only our own absolute paths: "/x", never "//host" or "/\host" or a scheme.
  if (next.size() < 1 || next.front() != '/' || next.size() > 2048) return "/";
  if (next.size() > 1 && (next[1] == '/' || next[1] == '\\')) return "/";
  for (char c : next) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '\\') return "/";
  }
  return std::string(next);
}

Application::Application(db::Database& database, const Clock& clock, AppConfig config)
    : database_(database), clock_(clock), config_(std::move(config)), work_limits_(config_.work_limits) {}

void Application::add_periodic(std::string name, std::chrono::milliseconds interval,
                               std::function<Result<void>()> task) {
  periodic_.push_back({std::move(name), std::max(interval, std::chrono::milliseconds{1}), std::move(task)});
}

std::optional<WorkLimits::Slot> Application::admit(const Request& request, WorkKind kind) {
  std::string client = request.principal ? fmt::format("user:{}", request.principal->user_id)
                                         : "address:" + request.remote_address;
  auto admission = work_limits_.admit(kind, client);
  if (config_.log_work) {
    boost::json::object line{
        {"time", iso_utc(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()))},
        {"level", admission.slot ? "info" : "warning"},
        {"event", admission.slot ? "work.admitted" : "work.refused"},
        {"kind", work_kind_name(kind)},
        {"request_id", request.request_id},
    };
    if (!admission.slot) {
      line["limit"] = admission.refusal == WorkLimits::Refusal::kClient ? "client" : "overall";
    }
    if (request.principal) line["user_id"] = request.principal->user_id;
    write_log_line(line);
  }
  return std::move(admission.slot);
}

Response Application::busy(const Request& request, WorkKind kind) const {
  auto seconds = work_limits_.limit(kind).retry_after.count();
  Response response = error(request, http::status::service_unavailable,
                            fmt::format("ただいま処理が混み合っています。{} 秒ほど待ってから、もう一度お試しください。", seconds));
  response.with_header("Retry-After", std::to_string(seconds));
  return response;
}

void Application::get(const std::string& pattern, RouteOptions options, HandlerFunction handler) {
  router_.get(pattern, std::move(options), [this, handler](Request& request) { return handler(*this, request); });
}

void Application::post(const std::string& pattern, RouteOptions options, HandlerFunction handler) {
  router_.post(pattern, std::move(options), [this, handler](Request& request) { return handler(*this, request); });
}

std::string Application::session_cookie_name(const Request& request) const {
  // The __Host- prefix binds the cookie to this exact origin; browsers accept it only over HTTPS.
  return request.secure ? "__Host-kakehashi_session" : "kakehashi_session";
}

std::string Application::csrf_cookie_name(const Request& request) const {
  return request.secure ? "__Host-kakehashi_csrf" : "kakehashi_csrf";
}

std::string Application::set_csrf_cookie_header(const Request& request, const std::string& value, bool remove) const {
  SetCookie cookie;
  cookie.name = csrf_cookie_name(request);
  cookie.value = remove ? "" : value;
  cookie.secure = request.secure;
  cookie.same_site = SameSite::kStrict;
  if (remove) cookie.max_age = std::chrono::seconds{0};
  return build_set_cookie(cookie).value_or("");
}

std::string Application::notice_cookie_name(const Request& request) const {
  return request.secure ? "__Host-kakehashi_notice" : "kakehashi_notice";
}

std::string Application::set_notice_cookie_header(const Request& request, const auth::Flash* notice) const {
  SetCookie cookie;
  cookie.name = notice_cookie_name(request);
  cookie.value = notice ? url_encode(notice->kind) + "." + url_encode(notice->message) : "";
  cookie.secure = request.secure;
  cookie.same_site = SameSite::kLax;
  cookie.max_age = std::chrono::seconds{notice ? 120 : 0};
  return build_set_cookie(cookie).value_or("");
}

std::string Application::set_cookie_header(const Request& request, const std::string& value, bool remove) const {
  SetCookie cookie;
  cookie.name = session_cookie_name(request);
  cookie.value = remove ? "" : value;
  cookie.secure = request.secure;
  cookie.same_site = SameSite::kLax;
  if (remove) cookie.max_age = std::chrono::seconds{0};
  return build_set_cookie(cookie).value_or("");
}

void Application::load_session(Request& request) {
  auto cookies = parse_cookie_header(request.header(http::field::cookie));
  if (!cookies) return;
  if (auto token = find_cookie(*cookies, session_cookie_name(request))) {
    auto found = auth::find_signed_in(database_, std::string(*token), clock_.now(), config_.sessions);
    if (found && *found) {
      request.session = std::move((*found)->session);
      request.session->token = std::string(*token);
      request.principal = std::move((*found)->principal);
      return;
    }
  }
  // A visitor: no row, only the CSRF token of the double-submit cookie (ensure_session), and
  // perhaps the notice of the redirect that led here (redirect_with_notice).
  if (auto notice = find_cookie(*cookies, notice_cookie_name(request)); notice && notice->size() <= 3000) {
    auto dot = notice->find('.');
    auto kind = percent_decode(notice->substr(0, dot), false);
    auto message = dot == std::string_view::npos ? std::nullopt : percent_decode(notice->substr(dot + 1), false);
    if (kind && message && !message->empty() && (*kind == "success" || *kind == "error" || *kind == "info")) {
      request.cookie_notice = auth::Flash{*kind, *message};
    }
  }
  auto csrf = find_cookie(*cookies, csrf_cookie_name(request));
  if (csrf && well_formed_token(*csrf)) request.session = auth::Session{.csrf_token = std::string(*csrf)};
}

Result<const auth::Session*> Application::ensure_session(Request& request, Response& response) {
  if (request.session) return &*request.session;
  request.session = auth::Session{.csrf_token = auth::random_token(32)};
  response.with_header("Set-Cookie", set_csrf_cookie_header(request, request.session->csrf_token, false));
  return &*request.session;
}

Result<void> Application::sign_in(Request& request, Response& response, std::int64_t user_id) {
  std::optional<std::string> old_token;
  bool visitor = request.session && request.session->id_hash.empty();
  if (request.session && !request.session->token.empty()) old_token = request.session->token;
  auto session = database_.transact<auth::Session>(db::TxMode::kWrite, [&](db::Transaction& tx) -> Result<auth::Session> {
    if (old_token) {
      if (auto removed = auth::delete_session(tx, *old_token); !removed) return fail(removed.error());
    }
    return auth::create_session(tx, user_id, clock_.now());
  });
  if (!session) return fail(session.error());
  request.session = std::move(*session);
  response.with_header("Set-Cookie", set_cookie_header(request, request.session->token, false));
  // The visitor's form token has served its purpose; the session carries its own from now on.
  if (visitor) response.with_header("Set-Cookie", set_csrf_cookie_header(request, "", true));
  return {};
}

Result<void> Application::sign_out(Request& request, Response& response) {
  if (request.session && !request.session->token.empty()) {
    auto principal = request.principal;
    std::string token = request.session->token;
    auto done = database_.write([&](db::Transaction& tx) -> Result<void> {
      if (auto removed = auth::delete_session(tx, token); !removed) return removed;
      if (!principal) return {};
      auto id = audit::record(
          tx, audit::by_user(principal->user_id, "auth.logout", fmt::format("user:{}", principal->user_id)), clock_.now());
      if (!id) return fail(id.error());
      return {};
    });
    if (!done) return done;
    auth::forget_signed_in();  // after the commit: no read from before it stays cached
  }
  request.session.reset();
  request.principal.reset();
  response.with_header("Set-Cookie", set_cookie_header(request, "", true));
  return {};
}

std::optional<Response> Application::static_response(const Request& request) const {
  if (!request.path.starts_with("/static/")) return std::nullopt;
  if (request.method != http::verb::get && request.method != http::verb::head) {
    return error(request, http::status::method_not_allowed);
  }
  const StaticAsset* asset = find_static_asset(request.path);
  if (!asset) return error(request, http::status::not_found);
  Response response;
  response.cacheable = true;
  response.content_type = std::string(asset->content_type);
  response.with_header("ETag", asset->etag);
  if (request.header(http::field::if_none_match) == asset->etag) {
    response.status = http::status::not_modified;
  } else {
    response.body = std::string(asset->content);
  }
  return response;
}

std::optional<Response> Application::prepare(Request& request, const Route*& route) {
  route = nullptr;
  // The client's address (lock-out, throttling) and TLS, from forwarded headers only when a
  // trusted proxy sent them.
  ClientOrigin origin = client_origin(request.remote_address, request.headers, config_);
  request.remote_address = std::move(origin.address);
  request.secure = origin.secure;
  // Static assets need neither session nor routing.
  if (auto asset = static_response(request)) return asset;

  auto match = router_.match(request.method, request.path);
  if (!match.route) {
    load_session(request);  // so the error page shows who is signed in
    if (!match.path_known) return error(request, http::status::not_found);
    Response response = error(request, http::status::method_not_allowed);
    std::string allow;
    for (http::verb verb : match.allowed) allow += (allow.empty() ? "" : ", ") + std::string(http::to_string(verb));
    response.with_header("Allow", allow);
    return response;
  }
  route = match.route;
  request.params = std::move(match.params);
  // An API client may present a personal token instead of the session cookie, on /api/v1 only:
  // screens and forms keep to the session, so their CSRF protection stays meaningful.
  if (auto bearer = bearer_token(request); bearer && request.path.starts_with("/api/v1/")) {
    auto holder = auth::authenticate_api_token(database_, *bearer, clock_.now());
    if (!holder) return error_response(request, holder.error());
    if (!*holder) {
      Response refused = Response::json(api_error_body("invalid_token", kInvalidTokenMessage), http::status::unauthorized);
      refused.with_header("WWW-Authenticate", R"(Bearer realm="kakehashi", error="invalid_token")");
      return refused;
    }
    request.principal = std::move(*holder);
    request.bearer = true;
  } else {
    load_session(request);
  }

  const RouteOptions& options = route->options;
  if (!options.public_route && !request.principal) {
    if (request.is_api()) {
      Response response = error(request, http::status::unauthorized);
      response.with_header("WWW-Authenticate", R"(Bearer realm="kakehashi")");
      return response;
    }
    std::string next = request.method == http::verb::get ? request.target : "/";
    return Response::redirect("/login?next=" + url_encode(safe_next_path(next)));
  }
  if (options.required && !(request.principal && auth::may(*request.principal, *options.required))) {
    return error(request, http::status::forbidden);
  }
  if (options.protected_info && protected_gate_ && request.principal) {
    if (auto refusal = protected_gate_(*this, request, *route)) return error(request, http::status::forbidden, *refusal);
  }
  if (is_unsafe(request.method)) {
    // A browser always names the page a form came from; another site's page is refused here,
    // before the CSRF token is even looked at.
    std::string origin = request.header(http::field::origin);
    if (!origin.empty() && origin != expected_origin(request)) {
      return error(request, http::status::forbidden, "別のサイトから送信されたリクエストは受け付けられません。");
    }
  }
  std::size_t limit = route->effective_body_limit();
  std::string length = request.header(http::field::content_length);
  if (!length.empty()) {
    std::uint64_t declared = 0;
    try {
      declared = std::stoull(length);
    } catch (...) {
      return error(request, http::status::bad_request);
    }
    if (declared > limit) {
      if (limit == 0) return error(request, http::status::bad_request, "このページにはデータを送信できません。");
      return error(request, http::status::payload_too_large,
                   fmt::format("送信できるのは {} MB までです。", std::max<std::size_t>(1, limit / (1024 * 1024))));
    }
  }
  if (options.body != BodyKind::kNone && is_unsafe(request.method)) {
    std::string type = request.header(http::field::content_type);
    bool form = type.starts_with("application/x-www-form-urlencoded");
    bool multipart = type.starts_with("multipart/form-data");
    bool json = type.starts_with("application/json");
    bool accepted = (options.body == BodyKind::kForm && (form || multipart)) ||
                    (options.body == BodyKind::kMultipart && multipart) || (options.body == BodyKind::kJson && json);
    if (!accepted && !(type.empty() && length == "0")) return error(request, http::status::unsupported_media_type);
  }
  return std::nullopt;
}

Response Application::handle(Request& request, const Route& route) {
  if (route.options.body == BodyKind::kForm &&
      request.header(http::field::content_type).starts_with("application/x-www-form-urlencoded")) {
    auto fields = parse_form_urlencoded(request.body, {.max_body_bytes = route.effective_body_limit()});
    if (!fields) return error(request, http::status::bad_request, fields.error().message);
    request.form = std::move(*fields);
  }
  if (is_unsafe(request.method) && !request.bearer) {
    auto header = request.headers.find("X-CSRF-Token");
    std::string token = header != request.headers.end() ? std::string(header->value()) : request.field("csrf_token");
    if (!request.session || !tokens_equal(token, request.session->csrf_token)) {
      for (const auto& file : request.files) {
        std::error_code ignored;
        std::filesystem::remove(file.stored_path, ignored);
      }
      return error(request, http::status::forbidden,
                   "フォームの有効期限が切れたか、不正な送信です。画面を再読み込みして、もう一度お試しください。");
    }
  }
  return run_handler(request, route);
}

Response Application::run_handler(Request& request, const Route& route) {
  // The person's date style for the pages they read (GET): changes (POST) keep Western dates,
  // so that notifications, mails and stored text written for others never carry one reader's
  // setting.
  DateStyle style = DateStyle::kWestern;
  if (request.principal && (request.method == http::verb::get || request.method == http::verb::head) && !request.is_api())
    style = auth::cached_date_style(database_, request.principal->user_id);
  DateStyleScope dates(style);
  try {
    return route.handler(request);
  } catch (const std::exception& e) {
    // The message may hold details for operators; it goes to the log, never to the page.
    return error_response(request, Error::internal(route.pattern + ": " + e.what()));
  }
}

void Application::finalize(const Request& request, Response& response) const {
  response.with_header("Content-Security-Policy", std::string(kContentSecurityPolicy));
  response.with_header("X-Content-Type-Options", "nosniff");
  response.with_header("X-Frame-Options", "DENY");
  response.with_header("Referrer-Policy", "same-origin");
  response.with_header("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
  response.with_header("Cross-Origin-Opener-Policy", "same-origin");
  response.with_header("Cross-Origin-Resource-Policy", "same-origin");
  response.with_header("Cache-Control", response.cacheable ? "public, max-age=31536000, immutable" : "no-store");
  if (request.secure) response.with_header("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
}

Response Application::page(const Request& request, const std::string& title, const std::string& template_name,
                           View content, const std::vector<Breadcrumb>& breadcrumbs, const std::string& nav_current,
                           http::status status) const {
  if (request.session) content.set("csrf_token", request.session->csrf_token);
  std::optional<View> flash;
  // A typed view's unset std::optional<Notice> flash is `false`: the session's notice shows then.
  if (const View* given = content.get("flash"); given && given->is_object()) flash = *given;
  if (!flash && request.session && request.session->flash) {
    // Shown once: the notice the previous request left on the session.
    flash.emplace();
    flash->set("kind", request.session->flash->kind);
    flash->set("message", request.session->flash->message);
    std::string id_hash = request.session->id_hash;
    auto cleared = database_.write([&](db::Transaction& tx) { return auth::clear_flash(tx, id_hash); });
    if (!cleared) log_error(request, 0, "flash: " + cleared.error().message);
  }
  bool from_cookie = false;
  if (!flash && request.cookie_notice) {
    flash.emplace();
    flash->set("kind", request.cookie_notice->kind);
    flash->set("message", request.cookie_notice->message);
    from_cookie = true;
  }
  Response response = page_html(request, title, render_template(template_name, std::move(content)), breadcrumbs,
                                nav_current, status, flash ? &*flash : nullptr);
  if (from_cookie) response.with_header("Set-Cookie", set_notice_cookie_header(request, nullptr));  // shown once
  return response;
}

namespace {

// The main menu's sections, in order. Every navigation entry a module registers belongs to the
// section that lists its href; an entry no section lists becomes a section of its own, so a new
// module's page is never hidden. The person's own pages sit beside their name instead.
struct MenuSection {
  std::string_view label;
  std::array<std::string_view, 5> hrefs;
};
constexpr std::string_view kPersonal = "";
constexpr std::array<MenuSection, 7> kMenu{{
    {"ダッシュボード", {"/"}},
    {"公募・審査", {"/calls", "/my/applications", "/admin/calls", "/review"}},
    {"事業運営", {"/operations", "/operations/todo", "/operations/budget", "/operations/staff"}},
    {"会議・イベント", {"/meetings", "/events"}},
    {"知見・効果", {"/knowledge", "/effects", "/package", "/package/final-reports"}},
    {"管理", {"/admin/users", "/admin/audit", "/compliance", "/tools/inspect"}},
    {kPersonal, {"/notifications", "/account/tokens", "/account/settings"}},
}};

void build_menu(LayoutView& layout, const auth::Principal& who, const std::vector<NavItem>& items,
                const std::string& nav_current) {
  struct Section {
    std::string label;
    bool personal = false;
    std::vector<NavEntry> entries;
  };
  std::vector<Section> sections;
  for (const MenuSection& m : kMenu) sections.push_back({std::string(m.label), m.label == kPersonal, {}});
  for (const NavItem& item : items) {
    if (item.required && !auth::may(who, *item.required)) continue;
    NavEntry entry{item.label, item.href, item.href == nav_current};
    auto listed = std::find_if(kMenu.begin(), kMenu.end(), [&](const MenuSection& m) {
      return std::find(m.hrefs.begin(), m.hrefs.end(), item.href) != m.hrefs.end();
    });
    if (listed == kMenu.end()) {
      sections.push_back({item.label, false, {std::move(entry)}});
    } else {
      sections[static_cast<std::size_t>(listed - kMenu.begin())].entries.push_back(std::move(entry));
    }
  }
  for (auto& section : sections) {
    if (section.entries.empty()) continue;
    if (section.personal) {
      if (layout.user) layout.user->links = std::move(section.entries);
      continue;
    }
    bool current = std::any_of(section.entries.begin(), section.entries.end(), [](const NavEntry& e) { return e.current; });
    bool single = section.entries.size() == 1;
    layout.nav.push_back(NavGroup{single ? section.entries.front().label : section.label, section.entries.front().href,
                                  current, current && single});
    if (current && !single) {
      layout.subnav_label = section.label;
      layout.subnav = std::move(section.entries);
    }
  }
  layout.has_nav = !layout.nav.empty();
}

}  // namespace

Response Application::page_html(const Request& request, const std::string& title, std::string content_html,
                                const std::vector<Breadcrumb>& breadcrumbs, const std::string& nav_current,
                                http::status status, const View* flash) const {
  LayoutView layout;
  layout.title = title;
  layout.programme_name = std::string(kProgrammeName);
  layout.asset_version = asset_version();
  layout.version = std::string(KAKEHASHI_VERSION);
  if (request.session) layout.csrf_token = request.session->csrf_token;
  if (request.principal) {
    layout.user = UserBadge{request.principal->name, roles_label(*request.principal),
                            request.session ? request.session->csrf_token : ""};
    build_menu(layout, *request.principal, nav_, nav_current);
  }
  for (const Breadcrumb& crumb : breadcrumbs) {
    layout.breadcrumbs.push_back(
        Crumb{crumb.label, crumb.href.empty() ? std::nullopt : std::optional<std::string>(crumb.href)});
  }
  layout.has_breadcrumbs = !layout.breadcrumbs.empty();
  if (flash) {
    const View* kind = flash->get("kind");
    const View* message = flash->get("message");
    if (kind && message && kind->is_string() && message->is_string()) {
      layout.flash = Notice{kind->string_value(), message->string_value()};
    }
  }
  layout.content = Html{std::move(content_html)};
  return Response::html(render_template("layout/page", to_view(layout)), status);
}

Response Application::error(const Request& request, http::status status, const std::string& message) const {
  StatusText text = status_text(status);
  std::string detail = message.empty() ? std::string(text.message) : message;
  if (static_cast<unsigned>(status) >= 500) {
    log_error(request, static_cast<unsigned>(status), "");
    if (!request.request_id.empty()) detail += fmt::format("（受付番号: {}）", request.request_id);
  }
  if (request.is_api()) return Response::json(api_error_body(text.code, detail), status);
  ErrorView content{std::to_string(static_cast<unsigned>(status)), std::string(text.heading), detail, std::nullopt};
  if (status == http::status::payload_too_large) {
    // Back to the form the file was sent from: the path of the Referer on this site only.
    std::string referer = request.header(http::field::referer);
    if (auto scheme = referer.find("://"); scheme != std::string::npos) {
      auto path = referer.find('/', scheme + 3);
      referer = path == std::string::npos ? "/" : referer.substr(path);
    }
    if (referer.starts_with('/') && !referer.starts_with("//") && referer.find_first_of("\\\r\n") == std::string::npos)
      content.back = referer;
    content.message += " 入力していた画面に戻り、小さいファイルを選び直してください。";
  }
  return page(request, std::string(text.heading), "errors/error", content, {}, "", status);
}

Response Application::error_response(const Request& request, const Error& failure) const {
  http::status status = http_status(failure.code);
  switch (failure.code) {
    case ErrorCode::kNotFound:
      return error(request, status);
    case ErrorCode::kUnavailable:
    case ErrorCode::kInternal: {
      // The message may name tables or files: the log keeps it, the page shows the request id.
      log_error(request, static_cast<unsigned>(status), failure.message);
      StatusText text = status_text(status);
      std::string detail = std::string(text.message);
      if (!request.request_id.empty()) detail += fmt::format("（受付番号: {}）", request.request_id);
      Response response =
          request.is_api()
              ? Response::json(api_error_body(text.code, detail), status)
              : page(request, std::string(text.heading), "errors/error",
                     ErrorView{std::to_string(static_cast<unsigned>(status)), std::string(text.heading), detail, std::nullopt}, {},
                     "", status);
      if (status == http::status::service_unavailable) response.with_header("Retry-After", "30");
      return response;
    }
    default:
      return error(request, status, failure.message);
  }
}

Response Application::redirect_with_notice(Request& request, const std::string& location, const std::string& message,
                                           const std::string& kind) {
  Response response = Response::redirect(location);
  if (request.session && !request.session->id_hash.empty()) {
    auth::Flash notice{kind, message};
    std::string id_hash = request.session->id_hash;
    auto stored = database_.write([&](db::Transaction& tx) { return auth::set_flash(tx, id_hash, notice); });
    if (!stored) log_error(request, 0, "flash: " + stored.error().message);
  } else {
    // A visitor has no session row: the notice rides in a short-lived HttpOnly cookie instead.
    auth::Flash notice{kind, message};
    response.with_header("Set-Cookie", set_notice_cookie_header(request, &notice));
  }
  return response;
}

}  // namespace kakehashi::web
