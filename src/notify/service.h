// What any module tells a user: an in-app notification (お知らせ) and, for an active user, the
// same by e-mail; and mail of its own (sign-up, password reset) through the outbox. Mail is
// queued in the caller's transaction, so it exists exactly when the change it tells about does,
// and goes out later, outside any transaction, with retries (deliver_pending).
#pragma once

#include <vector>

#include "db/database.h"
#include "mail/message.h"
#include "notify/model.h"

namespace kakehashi::notify {

// The subject prefix of every mail ("【架け橋】審査のお願い").
inline constexpr std::string_view kSubjectPrefix = "【架け橋】";

// An in-app notification for `user_id` and, when the user is active and has a deliverable
// address, a mail with the same title and body and the link as an absolute URL. The address
// comes from auth; nothing of the user is copied but the address the mail goes to.
// Refused (not found) for an unknown user.
[[nodiscard]] Result<void> notify_user(db::Transaction& tx, std::int64_t user_id, const std::string& title,
                                       const std::string& body, const std::string& link, Instant now);

// Queues `message` as it is (links in its body already absolute); the standard footer is added at
// delivery. Refused with the mail module's message when the message is not valid (a CR or LF in
// the subject, an address that cannot be delivered). Returns the outbox id.
[[nodiscard]] Result<std::int64_t> queue_mail(db::Transaction& tx, const mail::Message& message, Instant now);

// The user's notifications, newest first.
[[nodiscard]] Result<std::vector<Notification>> notifications(db::Transaction& tx, std::int64_t user_id, int limit);
[[nodiscard]] Result<std::int64_t> unread_count(db::Transaction& tx, std::int64_t user_id);
// Marks all of the user's notifications read.
[[nodiscard]] Result<void> mark_read(db::Transaction& tx, std::int64_t user_id, Instant now);
// Marks one read; not found when it is not the user's (or already read).
[[nodiscard]] Result<void> mark_read(db::Transaction& tx, std::int64_t user_id, std::int64_t notification_id, Instant now);

// Sends up to `limit` due mails through `sender`. Each is claimed in a short write transaction,
// sent with no transaction open, then marked: sent (its body and link are then cleared), tried
// again later with growing delays after a temporary failure, or given up — at once when the
// sender says it can never go (a refused recipient), or after policy.max_attempts — with the
// reason kept and an audit entry "mail.gave_up" by the system. Safe to run from several threads
// or processes: a claimed mail is not picked again until the claim ends.
[[nodiscard]] Result<DeliveryReport> deliver_pending(db::Database& database, mail::Sender& sender, Instant now,
                                                     int limit, const DeliveryPolicy& policy = {});

// Mails given up, newest first (for the secretariat).
[[nodiscard]] Result<std::vector<OutboxMail>> gave_up_mail(db::Transaction& tx, int limit);
[[nodiscard]] Result<std::optional<OutboxMail>> find_mail(db::Transaction& tx, std::int64_t id);

// The text every mail ends with.
std::string mail_footer();

}  // namespace kakehashi::notify
