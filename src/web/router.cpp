#include "web/router.h"

#include <stdexcept>

namespace kakehashi::web {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  if (!segments.empty() && segments.back().empty() && segments.size() > 1) segments.pop_back();
  return segments;
}

bool is_parameter(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::size_t Route::effective_body_limit() const {
  if (options.body_limit) return options.body_limit;
  switch (options.body) {
    case BodyKind::kNone: return 0;
    case BodyKind::kForm: return kFormBodyLimit;
    case BodyKind::kJson: return kFormBodyLimit;
    case BodyKind::kMultipart: return kUploadBodyLimit;
  }
  return 0;
}

void Router::add(http::verb method, const std::string& pattern, RouteOptions options, Handler handler) {
  if (pattern.empty() || pattern.front() != '/') throw std::invalid_argument("route pattern must start with /");
  routes_.push_back(Route{method, pattern, split_path(pattern), std::move(options), std::move(handler)});
}

Router::Match Router::match(http::verb method, const std::string& path) const {
  Match result;
  if (path.empty() || path.front() != '/') return result;
  auto segments = split_path(path);
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> params;
    bool matches = true;
    for (size_t i = 0; i < segments.size() && matches; ++i) {
      if (is_parameter(route.segments[i])) {
        if (segments[i].empty()) matches = false;
        else params[route.segments[i].substr(1, route.segments[i].size() - 2)] = segments[i];
      } else {
        matches = route.segments[i] == segments[i];
      }
    }
    if (!matches) continue;
    result.path_known = true;
    result.allowed.push_back(route.method);
    bool method_matches = route.method == method || (method == http::verb::head && route.method == http::verb::get);
    if (method_matches && !result.route) {
      result.route = &route;
      result.params = std::move(params);
    }
  }
  return result;
}

}  // namespace kakehashi::web
