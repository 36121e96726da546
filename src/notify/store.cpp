#include "notify/store.h"

#include <fmt/format.h>

#include "base/date.h"

namespace kakehashi::notify::store {
namespace {

std::int64_t seconds(Instant at) { return at.time_since_epoch().count(); }

constexpr std::string_view kMailColumns =
    "id, recipient, subject, created_at, attempts, sent_at, gave_up_at, last_error";

OutboxMail mail_from_row(const db::Row& row) {
  OutboxMail mail;
  mail.id = row.integer(0);
  mail.to = row.text(1);
  mail.subject = row.text(2);
  mail.created_at = row.text(3);
  mail.attempts = int(row.integer(4));
  mail.sent_at = row.optional_text(5);
  mail.gave_up_at = row.optional_text(6);
  mail.last_error = row.optional_text(7);
  mail.state = mail.sent_at ? MailState::kSent : mail.gave_up_at ? MailState::kGaveUp : MailState::kPending;
  return mail;
}

}  // namespace

Result<void> insert_notification(db::Transaction& tx, std::int64_t user_id, const std::string& title,
                                 const std::string& body, const std::string& link, Instant now) {
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
  for (const auto& row : *rows) {
    out.push_back({row.integer(0), row.text(1), row.text(2), row.text(3), row.text(4), row.integer(5) != 0});
  }
  return out;
}

Result<std::int64_t> unread_count(db::Transaction& tx, std::int64_t user_id) {
  return tx.scalar("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", {user_id});
}

Result<void> mark_all_read(db::Transaction& tx, std::int64_t user_id, Instant now) {
  return tx.exec("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL", {iso_utc(now), user_id});
}

Result<bool> mark_read(db::Transaction& tx, std::int64_t user_id, std::int64_t notification_id, Instant now) {
  auto done = tx.exec("UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL",
                      {iso_utc(now), notification_id, user_id});
  if (!done) return fail(done.error());
  return tx.changes() > 0;
}

Result<std::int64_t> insert_mail(db::Transaction& tx, const std::string& recipient, const std::string& subject,
                                 const std::string& body, const std::string& link, Instant now) {
  return tx.insert(
      "INSERT INTO mail_outbox (recipient, subject, body, link, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)",
      {recipient, subject, body, link, iso_utc(now), seconds(now)});
}

Result<std::vector<DueMail>> claim_due(db::Transaction& tx, Instant now, int limit, Instant claimed_until) {
  auto rows = tx.query(
      "SELECT id, recipient, subject, body, link, attempts FROM mail_outbox "
      "WHERE sent_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
      {seconds(now), std::int64_t(limit)});
  if (!rows) return fail(rows.error());
  std::vector<DueMail> due;
  for (const auto& row : *rows) {
    DueMail mail{row.integer(0), row.text(1), row.text(2), row.text(3), row.text(4), int(row.integer(5)) + 1};
    auto claimed = tx.exec("UPDATE mail_outbox SET attempts = ?, next_attempt_at = ? WHERE id = ?",
                           {std::int64_t(mail.attempts), seconds(claimed_until), mail.id});
    if (!claimed) return fail(claimed.error());
    due.push_back(std::move(mail));
  }
  return due;
}

Result<void> mark_sent(db::Transaction& tx, std::int64_t id, Instant now) {
  return tx.exec("UPDATE mail_outbox SET sent_at = ?, body = '', link = '', last_error = NULL WHERE id = ?",
                 {iso_utc(now), id});
}

Result<void> schedule_retry(db::Transaction& tx, std::int64_t id, Instant next, const std::string& error) {
  return tx.exec("UPDATE mail_outbox SET next_attempt_at = ?, last_error = ? WHERE id = ?", {seconds(next), error, id});
}

Result<void> give_up(db::Transaction& tx, std::int64_t id, Instant now, const std::string& error) {
  return tx.exec("UPDATE mail_outbox SET gave_up_at = ?, last_error = ? WHERE id = ?", {iso_utc(now), error, id});
}

Result<std::vector<OutboxMail>> gave_up(db::Transaction& tx, int limit) {
  auto rows = tx.query(fmt::format("SELECT {} FROM mail_outbox WHERE gave_up_at IS NOT NULL "
                                   "ORDER BY gave_up_at DESC, id DESC LIMIT ?", kMailColumns),
                       {std::int64_t(limit)});
  if (!rows) return fail(rows.error());
  std::vector<OutboxMail> out;
  for (const auto& row : *rows) out.push_back(mail_from_row(row));
  return out;
}

Result<std::optional<OutboxMail>> find_mail(db::Transaction& tx, std::int64_t id) {
  auto row = tx.query_one(fmt::format("SELECT {} FROM mail_outbox WHERE id = ?", kMailColumns), {id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<OutboxMail>{};
  return std::optional<OutboxMail>{mail_from_row(**row)};
}

}  // namespace kakehashi::notify::store
