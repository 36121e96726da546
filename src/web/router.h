// Method + path routing with {parameters}, and what each route demands before its body is read.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/policy.h"
#include "web/http.h"

namespace kakehashi::web {

enum class BodyKind {
  kNone,       // no body accepted
  kForm,       // application/x-www-form-urlencoded (or multipart without files), kept in memory
  kMultipart,  // multipart/form-data with files streamed to quarantine
  kJson,       // application/json
};

// Body limits, named where they are set.
inline constexpr std::size_t kFormBodyLimit = 1 * 1024 * 1024;      // 1 MiB of form fields
inline constexpr std::size_t kUploadBodyLimit = 100 * 1024 * 1024;  // 100 MiB of attachments

struct RouteOptions {
  bool public_route = false;                  // reachable without signing in
  std::optional<auth::Action> required;       // the policy action every caller must hold (object checks come later)
  BodyKind body = BodyKind::kNone;
  std::size_t body_limit = 0;                 // 0: the default of the body kind
  // Protected information (R7.3, specification §8): only people on the approved
  // information-handler roster may open it. Checked after authentication by the gate the
  // compliance module installs (Application::set_protected_gate); METI is outside the rule.
  bool protected_info = false;
};

using Handler = std::function<Response(Request&)>;

struct Route {
  http::verb method;
  std::string pattern;
  std::vector<std::string> segments;  // "{id}" marks a parameter
  RouteOptions options;
  Handler handler;

  std::size_t effective_body_limit() const;
};

class Router {
 public:
  void add(http::verb method, const std::string& pattern, RouteOptions options, Handler handler);
  void get(const std::string& pattern, RouteOptions options, Handler handler) {
    add(http::verb::get, pattern, std::move(options), std::move(handler));
  }
  void post(const std::string& pattern, RouteOptions options, Handler handler) {
    add(http::verb::post, pattern, std::move(options), std::move(handler));
  }

  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    bool path_known = false;  // some route has this path (so a wrong method is 405, not 404)
    std::vector<http::verb> allowed;
  };
  // GET routes also answer HEAD.
  Match match(http::verb method, const std::string& path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace kakehashi::web
