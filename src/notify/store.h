// notify's SQL (private to the module): notifications and mail_outbox.
#pragma once

#include <optional>
#include <vector>

#include "db/database.h"
#include "notify/model.h"

namespace kakehashi::notify::store {

[[nodiscard]] Result<void> insert_notification(db::Transaction& tx, std::int64_t user_id, const std::string& title,
                                               const std::string& body, const std::string& link, Instant now);
[[nodiscard]] Result<std::vector<Notification>> notifications(db::Transaction& tx, std::int64_t user_id, int limit);
[[nodiscard]] Result<std::int64_t> unread_count(db::Transaction& tx, std::int64_t user_id);
[[nodiscard]] Result<void> mark_all_read(db::Transaction& tx, std::int64_t user_id, Instant now);
// Returns whether the user had that unread notification.
[[nodiscard]] Result<bool> mark_read(db::Transaction& tx, std::int64_t user_id, std::int64_t notification_id, Instant now);

[[nodiscard]] Result<std::int64_t> insert_mail(db::Transaction& tx, const std::string& recipient, const std::string& subject,
                                               const std::string& body, const std::string& link, Instant now);

struct DueMail {
  std::int64_t id = 0;
  std::string recipient;
  std::string subject;
  std::string body;
  std::string link;
  int attempts = 0;  // including the one being claimed
};
// The due mails (oldest first), each claimed until `claimed_until` with its attempt counted.
[[nodiscard]] Result<std::vector<DueMail>> claim_due(db::Transaction& tx, Instant now, int limit, Instant claimed_until);
[[nodiscard]] Result<void> mark_sent(db::Transaction& tx, std::int64_t id, Instant now);
[[nodiscard]] Result<void> schedule_retry(db::Transaction& tx, std::int64_t id, Instant next, const std::string& error);
[[nodiscard]] Result<void> give_up(db::Transaction& tx, std::int64_t id, Instant now, const std::string& error);

[[nodiscard]] Result<std::vector<OutboxMail>> gave_up(db::Transaction& tx, int limit);
[[nodiscard]] Result<std::optional<OutboxMail>> find_mail(db::Transaction& tx, std::int64_t id);

}  // namespace kakehashi::notify::store
