// In-system notifications (results, reminders, reopened applications) as the call module has
// them today; they are to move to a module of their own.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "base/result.h"
#include "db/database.h"

namespace kakehashi::call {

struct Notification {
  std::int64_t id = 0;
  std::string title;
  std::string body;
  std::string link;
  std::string created_at;
  bool read = false;
};
[[nodiscard]] Result<void> notify(db::Transaction& tx, std::int64_t user_id, const std::string& title,
                                  const std::string& body, const std::string& link, std::chrono::sys_seconds now);
[[nodiscard]] Result<std::vector<Notification>> notifications(db::Transaction& tx, std::int64_t user_id, int limit);
[[nodiscard]] Result<void> mark_read(db::Transaction& tx, std::int64_t user_id, std::chrono::sys_seconds now);

}  // namespace kakehashi::call
