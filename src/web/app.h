// The web application: routes, middleware (sessions, authentication, CSRF, policy, security
// headers) and page rendering. The server (server.h) owns sockets; this owns meaning.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "audit/anchor.h"
#include "auth/policy.h"
#include "auth/self_service.h"
#include "auth/sessions.h"
#include "base/date.h"
#include "db/database.h"
#include "web/router.h"
#include "web/templates.h"
#include "web/view_model.h"
#include "web/work_limits.h"

namespace kakehashi::web {

struct AppConfig {
  bool tls = false;           // this process terminates TLS
  bool behind_proxy = false;  // a reverse proxy in front terminates TLS and sets X-Forwarded-Proto
  // Addresses ("192.0.2.1") or networks ("10.0.0.0/8", "fd00::/8") of reverse proxies whose
  // X-Forwarded-For and X-Forwarded-Proto are believed (`serve --trusted-proxy`); from any other
  // peer both headers are ignored.
  std::vector<std::string> trusted_proxies;
  std::filesystem::path quarantine_dir = "var/quarantine";
  auth::SessionPolicy sessions;
  // The site's address as people reach it, for links in mails ("https://kakehashi.example.jp");
  // never taken from a request's Host header, which a client chooses.
  std::string public_url = "http://127.0.0.1:8080";
  auth::SelfServiceLimits self_service;  // sign-up and password-reset rate limits
  // Public forms of events (registration): submissions per client address and minute
  // (`serve --public-form-limit`; 0 turns the limit off, for load tests). 60 lets a school
  // register a class of 40 from one address.
  int public_form_limit = 60;
  audit::AnchorSettings audit_anchors;  // where the server signs audit checkpoints (audit/anchor.h)
  // Heavy work admitted at once (web/work_limits.h).
  WorkLimitsConfig work_limits = WorkLimitsConfig::for_cores(std::thread::hardware_concurrency());
  bool log_work = true;  // a log line per admitted or refused piece of heavy work
};

// Background work run every `interval` on the server's handler pool (see add_periodic).
struct PeriodicTask {
  std::string name;  // "sessions.purge": the log names a failure by it
  std::chrono::milliseconds interval;
  std::function<Result<void>()> run;
};

struct Breadcrumb {
  std::string label;
  std::string href;  // empty for the current page
};

// One entry of the role-dependent navigation.
struct NavItem {
  std::string label;
  std::string href;
  std::optional<auth::Action> required;  // shown only to those allowed
};

// One item of the role's home (the dashboard's task list) that a module contributes: each
// module registers a source with Application::add_home_tasks, and the dashboard asks every
// source on each visit (never cached: tasks differ per person). Keep a source to a few indexed
// queries; it runs on every dashboard view.
struct HomeTask {
  std::string section;  // the role's section: "secretariat", "meti", "reviewer", "operator", "bureau"
  std::string text;     // 「12月25日の定例会の議事録を提出してください」
  std::optional<std::string> href;
  std::optional<std::chrono::sys_seconds> due;  // shown as 「12月25日（金）17:00・あと 3 日」
  bool urgent = false;                          // overdue, due within three days, or waiting on this person
};
using HomeTaskSource =
    std::function<Result<std::vector<HomeTask>>(db::Transaction&, const auth::Principal&, std::chrono::sys_seconds now)>;

class Application;

// Decides whether the signed-in person of `request` may open a route marked protected_info: a
// Japanese refusal (answered 403) or nothing. Installed by the compliance module; it audits its
// refusals itself.
using ProtectedGate = std::function<std::optional<std::string>(Application&, const Request&, const Route&)>;

// A screen or API endpoint: a named function in src/web/handlers/<module>/.
using HandlerFunction = Response (*)(Application&, Request&);

class Application {
 public:
  Application(db::Database& database, const Clock& clock, AppConfig config);

  // Registers a route answered by `handler`.
  void get(const std::string& pattern, RouteOptions options, HandlerFunction handler);
  void post(const std::string& pattern, RouteOptions options, HandlerFunction handler);

  db::Database& database() { return database_; }
  const Clock& clock() const { return clock_; }
  const AppConfig& config() const { return config_; }
  // Set once the listening port is known (before the server runs), when no URL was configured.
  void set_public_url(std::string url) { config_.public_url = std::move(url); }
  Router& router() { return router_; }

  // Registers background work (cleaning up, sending mail, audit checkpoints …) that `Server`
  // runs every `interval` on its handler pool while it serves: the first run one interval after
  // the start, never two runs of one task at once (a run that takes longer than the interval
  // delays the next), none after shutdown began (a run in progress is waited for). A failure or
  // an exception is logged with the task's name and the next run happens as planned. Register
  // before Server::run, e.g. in the module's register_*_routes function:
  //   app.add_periodic("mail.deliver", std::chrono::minutes(1), [&app] { return mail::deliver_due(app.database()); });
  // Tasks use app.clock() for time and open their own transactions; they must not block for
  // longer than a request would (a long job runs in slices, one slice a run).
  void add_periodic(std::string name, std::chrono::milliseconds interval, std::function<Result<void>()> task);
  const std::vector<PeriodicTask>& periodic_tasks() const { return periodic_; }

  // Heavy work (web/work_limits.h): a slot of `kind` for the request's client (the signed-in
  // user, else the client address), or nothing when the limits are reached; then answer
  // busy(request, kind). Logs the admission or refusal (kind, request id, user) when log_work.
  std::optional<WorkLimits::Slot> admit(const Request& request, WorkKind kind);
  // 503 with Retry-After and 「ただいま処理が混み合っています。n 秒ほど待ってから、もう一度お試しください。」
  Response busy(const Request& request, WorkKind kind) const;
  WorkLimits& work_limits() { return work_limits_; }

  // Static assets (/static/…): the answer without session, routing or database, so the server
  // gives it on the I/O thread; nullopt for every other path.
  std::optional<Response> static_response(const Request& request) const;

  // Called once the request line and headers are read, before any body byte is accepted.
  // Resolves the route, the session and the user, and answers at once (404, 405, 303 to the
  // login page, 401, 403, 413, 415) when the request cannot go on; otherwise sets `route`.
  std::optional<Response> prepare(Request& request, const Route*& route);

  // Called with the whole body read (forms) or streamed to quarantine (uploads): parses the
  // form, checks the CSRF token on unsafe methods and runs the handler. Never throws.
  Response handle(Request& request, const Route& route);

  // Adds the headers every response carries (CSP, nosniff, frame-ancestors, HSTS under TLS …).
  void finalize(const Request& request, Response& response) const;

  // A page in the site layout. `nav_current` is the href of the active navigation entry.
  Response page(const Request& request, const std::string& title, const std::string& template_name,
                View content, const std::vector<Breadcrumb>& breadcrumbs = {},
                const std::string& nav_current = "", http::status status = http::status::ok) const;

  // A page whose content is the typed view `content` (web/view_model.h).
  template <ViewStruct T>
  Response page(const Request& request, const std::string& title, const std::string& template_name,
                const T& content, const std::vector<Breadcrumb>& breadcrumbs = {},
                const std::string& nav_current = "", http::status status = http::status::ok) const {
    return page(request, title, template_name, to_view(content), breadcrumbs, nav_current, status);
  }

  // The same, with content already rendered to HTML (for content cached across requests).
  Response page_html(const Request& request, const std::string& title, std::string content_html,
                     const std::vector<Breadcrumb>& breadcrumbs = {}, const std::string& nav_current = "",
                     http::status status = http::status::ok, const View* flash = nullptr) const;

  // A Japanese error page, or for /api/ the JSON error body {"error":{"code","message"}}. A 5xx
  // is logged with the request id, which the page shows.
  Response error(const Request& request, http::status status, const std::string& message = "") const;

  // The answer to a service's error, through the one table (http_status): the message for 422,
  // 409, 403 and 429; a plain 404 (nothing about what exists); for 503 and 500 a generic text
  // with the request id, the error's own message going only to the log.
  Response error_response(const Request& request, const Error& error) const;

  // A redirect to `location` that shows `message` once on the next page: a server-side flash on
  // the session, or for a visitor (no session row) a short-lived HttpOnly cookie. No notice ever
  // comes from the URL.
  Response redirect_with_notice(Request& request, const std::string& location, const std::string& message,
                                const std::string& kind = "success");

  // Starts a session for `user_id` (a new id: the old cookie's session is deleted) and sets the
  // cookie on `response`.
  [[nodiscard]] Result<void> sign_in(Request& request, Response& response, std::int64_t user_id);
  // Ends the session and clears the cookie.
  [[nodiscard]] Result<void> sign_out(Request& request, Response& response);
  // The CSRF token of a form before login. A signed-in user's session already has one; a
  // visitor gets a random token in a cookie (HttpOnly, SameSite=Strict, `__Host-` under TLS) set
  // on `response`, which `handle` compares with the form's field (double submit). No session
  // row is written for a visitor: only sign_in creates one.
  [[nodiscard]] Result<const auth::Session*> ensure_session(Request& request, Response& response);

  std::string session_cookie_name(const Request& request) const;
  std::string csrf_cookie_name(const Request& request) const;
  void add_nav_item(NavItem item) { nav_.push_back(std::move(item)); }
  void add_home_tasks(HomeTaskSource source) { home_tasks_.push_back(std::move(source)); }
  // The roster gate for routes marked protected_info (see RouteOptions).
  void set_protected_gate(ProtectedGate gate) { protected_gate_ = std::move(gate); }
  const std::vector<HomeTaskSource>& home_task_sources() const { return home_tasks_; }

 private:
  void load_session(Request& request);
  Response run_handler(Request& request, const Route& route);
  std::string set_cookie_header(const Request& request, const std::string& value, bool remove) const;
  std::string set_csrf_cookie_header(const Request& request, const std::string& value, bool remove) const;
  std::string notice_cookie_name(const Request& request) const;
  // Sets `notice` for the next page (nullptr: removes it).
  std::string set_notice_cookie_header(const Request& request, const auth::Flash* notice) const;

  db::Database& database_;
  const Clock& clock_;
  AppConfig config_;
  Router router_;
  std::vector<NavItem> nav_;
  std::vector<HomeTaskSource> home_tasks_;
  ProtectedGate protected_gate_;
  WorkLimits work_limits_;
  std::vector<PeriodicTask> periodic_;
};

// Registers every module's routes and navigation entries.
void register_routes(Application& app);

// Strict JSON for /api/ errors: {"error":{"code":"not_found","message":"…"}}.
std::string api_error_body(std::string_view code, std::string_view message);

// A local path to return to after login ("/admin/users"); anything else becomes "/".
std::string safe_next_path(std::string_view next);

// True when `address` ("192.0.2.7", "::ffff:192.0.2.7", "2001:db8::1") is `pattern`, an address
// or a network in CIDR form ("10.0.0.0/8", "2001:db8::/32"). False for anything unparsable.
bool address_matches(std::string_view address, std::string_view pattern);

// Where a request comes from. Only when the TCP peer is a trusted proxy are the forwarded
// headers believed: the client is then the right-most X-Forwarded-For entry that is not itself
// a trusted proxy (entries to its left are whatever the client claimed), and X-Forwarded-Proto
// says whether the client used TLS. Otherwise the client is the peer. With --behind-proxy and no
// trusted proxy configured, X-Forwarded-Proto is believed as before (it decides only the cookie
// attributes) but X-Forwarded-For never is.
struct ClientOrigin {
  std::string address;
  bool secure = false;
};
ClientOrigin client_origin(const std::string& peer, const http::fields& headers, const AppConfig& config);

}  // namespace kakehashi::web
