// One registration function per handlers file; register_routes (app.cpp) calls them all.
#pragma once

#include "web/app.h"

namespace kakehashi::web {

void register_auth_routes(Application& app);
void register_dashboard_routes(Application& app);
void register_admin_routes(Application& app);
void register_api_routes(Application& app);
void register_tool_routes(Application& app);
void register_call_public_routes(Application& app);
void register_call_apply_routes(Application& app);
void register_call_admin_routes(Application& app);
void register_call_application_routes(Application& app);
void register_call_review_routes(Application& app);
void register_call_results_routes(Application& app);

// Page number from ?page= (1-based; anything invalid is 1).
int page_number(const Request& request);
// The pagination view for `total` rows at `per_page`, linking to `base_path?page=N`.
View pagination_view(const std::string& base_path, int page, int per_page, std::int64_t total);

}  // namespace kakehashi::web
