// Helpers shared by the effects module's service files (private to the module).
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "auth/roles.h"
#include "db/database.h"
#include "effects/model.h"

namespace kakehashi::effects::detail {

// Trimmed text.
std::string trimmed(std::string_view text);
// A number as people type it: full-width digits, commas, a leading minus; nullopt otherwise.
std::optional<double> parse_number(std::string_view text);
// Records an audit entry by `who` on `object` with `detail` in the caller's transaction.
[[nodiscard]] Result<void> audited(db::Transaction& tx, const auth::Principal& who, std::string action,
                                   std::string object, const boost::json::object& detail, Instant now);

}  // namespace kakehashi::effects::detail
