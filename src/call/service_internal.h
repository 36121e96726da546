// Helpers shared by the call service's translation units (private to the module).
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "audit/audit.h"
#include "call/model.h"
#include "db/database.h"

namespace kakehashi::call::detail {

// "概要は 4000 文字以内で入力してください（現在 4012 文字）", or empty when within the limit.
std::string text_limit_problem(std::string_view label, const std::string& value, std::size_t limit);

// Records `action` on `object` with `detail` (a JSON object built with Boost.JSON; an empty
// object records no detail). Audit details never carry personal data.
[[nodiscard]] Result<void> audited(db::Transaction& tx, const audit::Actor& actor, std::string action,
                                   std::string object, Instant now, const boost::json::object& detail = {});

// The call as stored now (a caller's copy may be stale); not found is an error.
[[nodiscard]] Result<Call> current_call(db::Transaction& tx, std::int64_t call_id);

}  // namespace kakehashi::call::detail
