// Helpers the part-C operations screens share (support, to-do, budget, staff).
#pragma once

#include <fmt/format.h>

#include <string>
#include <vector>

#include "operations/model.h"
#include "web/handlers/operations/views_support.h"

namespace kakehashi::web::opsweb {

// "1,234,567 円"
std::string yen(std::int64_t amount);
// "1,234,567"
std::string grouped(std::int64_t amount);
// "2026-08" -> "2026年8月"
std::string month_label(const std::string& month);

// Fills the summary and returns the message for `field` (or nullopt), for the *_error fields.

// The rest of part C's routes (budget.cpp, staff.cpp, api_budget.cpp).
void register_budget_routes(Application& app);
void register_staff_routes(Application& app);
void register_budget_api(Application& app);
void register_support_api(Application& app);

}  // namespace kakehashi::web::opsweb
