// A person's display settings (issue 16 item 8): how their screens write dates. Stored on the
// user (users.date_style); the web reads it for every page the person reads, through a small
// in-memory cache that set_date_style clears.
#pragma once

#include <chrono>
#include <cstdint>

#include "base/date_style.h"
#include "base/result.h"
#include "db/database.h"

namespace kakehashi::auth {

// The person's own setting. Audited as "user.date_style" (before and after).
[[nodiscard]] Result<void> set_date_style(db::Transaction& tx, std::int64_t user_id, DateStyle style,
                                          std::chrono::sys_seconds now);
[[nodiscard]] Result<DateStyle> date_style_of(db::Transaction& tx, std::int64_t user_id);
// date_style_of through the cache (a read transaction on a miss); Western when it cannot be read.
DateStyle cached_date_style(db::Database& database, std::int64_t user_id);

}  // namespace kakehashi::auth
