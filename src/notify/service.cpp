#include "notify/service.h"

#include <fmt/format.h>

#include <boost/json.hpp>

#include "audit/audit.h"
#include "auth/users.h"
#include "notify/store.h"

namespace kakehashi::notify {
namespace {

// The delay before attempt `attempts + 1`: first_retry × 4^(attempts − 1), at most max_retry.
std::chrono::seconds retry_delay(const DeliveryPolicy& policy, int attempts) {
  std::chrono::seconds delay = policy.first_retry;
  for (int i = 1; i < attempts && delay < policy.max_retry; ++i) delay *= 4;
  return std::min(delay, policy.max_retry);
}

std::string trim_trailing_slash(std::string url) {
  while (url.ends_with('/')) url.pop_back();
  return url;
}

mail::Message compose(const store::DueMail& due, const DeliveryPolicy& policy) {
  std::string body = due.body;
  if (!body.empty() && !body.ends_with('\n')) body += '\n';
  if (!due.link.empty()) {
    body += "\n詳しくは次のページをご覧ください（ログインが必要です）。\n" + trim_trailing_slash(policy.public_url) + due.link + "\n";
  }
  body += mail_footer();
  return {due.recipient, due.subject, body};
}

Result<void> record_gave_up(db::Transaction& tx, const store::DueMail& due, const Error& error, Instant now) {
  if (auto done = store::give_up(tx, due.id, now, error.message); !done) return done;
  boost::json::object detail{{"attempts", due.attempts},
                             {"reason", error.code == ErrorCode::kInvalidArgument ? "refused" : "attempts"}};
  auto logged = audit::record(tx,
                              audit::entry_by(audit::Actor::system(), "mail.gave_up", fmt::format("mail:{}", due.id),
                                              boost::json::serialize(detail)),
                              now);
  if (!logged) return fail(logged.error());
  return {};
}

}  // namespace

std::string mail_footer() {
  return "\n――\n"
         "架け橋 Kakehashi（令和8年度「未来の教室」産学連携事業）\n"
         "このメールは送信専用のアドレスからお送りしています。ご返信いただいてもお答えできません。\n"
         "お心当たりのない場合は、このメールを破棄してください。\n";
}

Result<void> notify_user(db::Transaction& tx, std::int64_t user_id, const std::string& title, const std::string& body,
                         const std::string& link, Instant now) {
  auto user = auth::find_user(tx, user_id);
  if (!user) return fail(user.error());
  if (!*user) return fail(Error::not_found("お知らせの宛先のユーザーが見つかりません"));
  if (auto inserted = store::insert_notification(tx, user_id, title, body, link, now); !inserted) return inserted;
  if (!(*user)->active || !mail::is_valid_address((*user)->email)) return {};
  mail::Message message{(*user)->email, std::string(kSubjectPrefix) + title,
                        fmt::format("{} 様\n\n{}\n", (*user)->name, body)};
  if (auto valid = mail::validate(message); !valid) return fail(valid.error());
  auto queued = store::insert_mail(tx, message.to, message.subject, message.body, link, now);
  if (!queued) return fail(queued.error());
  return {};
}

Result<std::int64_t> queue_mail(db::Transaction& tx, const mail::Message& message, Instant now) {
  if (auto valid = mail::validate(message); !valid) return fail(valid.error());
  return store::insert_mail(tx, message.to, message.subject, message.body, "", now);
}

Result<std::vector<Notification>> notifications(db::Transaction& tx, std::int64_t user_id, int limit) {
  return store::notifications(tx, user_id, limit);
}

Result<std::int64_t> unread_count(db::Transaction& tx, std::int64_t user_id) { return store::unread_count(tx, user_id); }

Result<void> mark_read(db::Transaction& tx, std::int64_t user_id, Instant now) {
  return store::mark_all_read(tx, user_id, now);
}

Result<void> mark_read(db::Transaction& tx, std::int64_t user_id, std::int64_t notification_id, Instant now) {
  auto marked = store::mark_read(tx, user_id, notification_id, now);
  if (!marked) return fail(marked.error());
  if (!*marked) return fail(Error::not_found("お知らせが見つかりません"));
  return {};
}

Result<DeliveryReport> deliver_pending(db::Database& database, mail::Sender& sender, Instant now, int limit,
                                       const DeliveryPolicy& policy) {
  auto due = database.transact<std::vector<store::DueMail>>(db::TxMode::kWrite, [&](db::Transaction& tx) {
    return store::claim_due(tx, now, limit, now + policy.claim);
  });
  if (!due) return fail(due.error());
  DeliveryReport report;
  for (const auto& mail : *due) {
    auto sent = sender.send(compose(mail, policy), now);  // no transaction is open here
    auto marked = database.write([&](db::Transaction& tx) -> Result<void> {
      if (sent) return store::mark_sent(tx, mail.id, now);
      bool permanent = sent.error().code == ErrorCode::kInvalidArgument;
      if (permanent || mail.attempts >= policy.max_attempts) return record_gave_up(tx, mail, sent.error(), now);
      return store::schedule_retry(tx, mail.id, now + retry_delay(policy, mail.attempts), sent.error().message);
    });
    if (!marked) return fail(marked.error());
    if (sent) {
      ++report.sent;
    } else if (sent.error().code == ErrorCode::kInvalidArgument || mail.attempts >= policy.max_attempts) {
      ++report.gave_up;
    } else {
      ++report.retrying;
    }
  }
  return report;
}

Result<std::vector<OutboxMail>> gave_up_mail(db::Transaction& tx, int limit) { return store::gave_up(tx, limit); }

Result<std::optional<OutboxMail>> find_mail(db::Transaction& tx, std::int64_t id) { return store::find_mail(tx, id); }

}  // namespace kakehashi::notify
