// The route registry and the helpers the handlers share.
#include "web/handlers/handlers.h"

#include <fmt/format.h>

#include <algorithm>

namespace kakehashi::web {

void register_routes(Application& app) {
  register_auth_routes(app);
  register_dashboard_routes(app);
  register_admin_routes(app);
  register_tool_routes(app);
  register_api_routes(app);
  register_call_public_routes(app);
  register_call_apply_routes(app);
  register_call_admin_routes(app);
  register_call_application_routes(app);
  register_call_review_routes(app);
  register_call_results_routes(app);
}

int page_number(const Request& request) {
  std::string text = request.query_param("page");
  if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos) return 1;
  return std::max(1, std::stoi(text));
}

View pagination_view(const std::string& base_path, int page, int per_page, std::int64_t total) {
  View view;
  std::int64_t pages = std::max<std::int64_t>(1, (total + per_page - 1) / per_page);
  if (pages <= 1) return view;
  View nav;
  nav.set("label", fmt::format("{} / {} ページ", page, pages));
  // base_path may already carry a query (filters): the page joins it.
  const char* join = base_path.find('?') == std::string::npos ? "?" : "&";
  if (page > 1) nav.set("prev", fmt::format("{}{}page={}", base_path, join, page - 1));
  if (page < pages) nav.set("next", fmt::format("{}{}page={}", base_path, join, page + 1));
  view.set("pagination", nav);
  return view;
}

}  // namespace kakehashi::web
