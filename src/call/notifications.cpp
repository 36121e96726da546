#include "call/notifications.h"

#include "base/date.h"

namespace kakehashi::call {

Result<void> notify(db::Transaction& tx, std::int64_t user_id, const std::string& title, const std::string& body,
                    const std::string& link, std::chrono::sys_seconds now) {
  return tx.exec("INSERT INTO notifications (user_id, title, body, link, created_at) VALUES (?, ?, ?, ?, ?)",
                 {user_id, title, body, link, iso_utc(now)});
}

Result<std::vector<Notification>> notifications(db::Transaction& tx, std::int64_t user_id, int limit) {
  auto rows = tx.query(
      "SELECT id, title, body, link, created_at, read_at IS NOT NULL FROM notifications WHERE user_id = ? "
      "ORDER BY created_at DESC, id DESC LIMIT ?",
      {user_id, std::int64_t(limit)});
  if (!rows) return fail(rows.error());
  std::vector<Notification> out;
  for (const auto& row : *rows)
    out.push_back({row.integer(0), row.text(1), row.text(2), row.text(3), row.text(4), row.integer(5) != 0});
  return out;
}

Result<void> mark_read(db::Transaction& tx, std::int64_t user_id, std::chrono::sys_seconds now) {
  return tx.exec("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
                 {iso_utc(now), user_id});
}

}  // namespace kakehashi::call
