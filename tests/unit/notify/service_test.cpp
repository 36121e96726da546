#include "notify/service.h"

#include <gtest/gtest.h>

#include "auth/users.h"
#include "db/migrate.h"
#include "mail/file_sender.h"
#include "mail/smtp.h"
#include "support/faulty_database.h"
#include "support/mail_server.h"
#include "support/result.h"
#include "support/temp_dir.h"

using ::kakehashi::testing::ExpectError;
using ::kakehashi::testing::ExpectErrorCode;

namespace kakehashi::notify {
namespace {

using namespace std::chrono;
using testing::SmtpServer;
const sys_seconds kNow = sys_days{2026y / 12 / 3} + 9h;
const mail::Identity kFrom{"noreply@kakehashi.example.jp", "架け橋 Kakehashi"};

class NotifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(database_, db::open_sqlite(dir_.file("n.db")));
    ASSERT_TRUE(db::migrate(*database_));
    policy_.public_url = "https://kakehashi.example.jp/";
  }
  std::int64_t add_user(const std::string& email, const std::string& name) {
    auto user = *auth::with_password_hash({email, name, "long enough password", {auth::Role::kReviewer}});
    auto id = database_->transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) {
      return auth::create_user(tx, user, auth::Granter::console(), kNow);
    });
    EXPECT_OK(id);
    return id.value_or(0);
  }
  Result<void> notify(std::int64_t user, const std::string& title, const std::string& body, const std::string& link) {
    return database_->write([&](db::Transaction& tx) { return notify_user(tx, user, title, body, link, kNow); });
  }
  Result<std::int64_t> queue(const mail::Message& message) {
    return database_->transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) { return queue_mail(tx, message, kNow); });
  }
  std::int64_t count(const std::string& sql) {
    auto tx = database_->begin(db::TxMode::kRead);
    EXPECT_OK(tx);
    if (!tx) return -1;
    auto n = (*tx)->scalar(sql);
    EXPECT_OK(n);
    return n.value_or(-1);
  }
  std::vector<std::filesystem::path> mails() const {
    std::vector<std::filesystem::path> out;
    if (!std::filesystem::exists(dir_.path() / "mail")) return out;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path() / "mail")) out.push_back(entry.path());
    return out;
  }
  OutboxMail mail(std::int64_t id) {
    auto tx = database_->begin(db::TxMode::kRead);
    EXPECT_OK(tx);
    if (!tx) return {};
    auto found = find_mail(**tx, id);
    EXPECT_TRUE(found && *found) << "no mail " << id;
    return found && *found ? **found : OutboxMail{};
  }

  testing::TempDir dir_;
  std::unique_ptr<db::Database> database_;
  DeliveryPolicy policy_;
};

TEST_F(NotifyTest, ANotificationIsShownInTheAppAndMailedWithItsLink) {
  auto user = add_user("yamada@example.jp", "山田 太郎");
  ASSERT_TRUE(notify(user, "審査のお願い", "「令和8年度 公募」の審査が割り当てられました。", "/review"));
  {
    auto tx = *database_->begin(db::TxMode::kRead);
    auto items = *notifications(*tx, user, 10);
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].title, "審査のお願い");
    EXPECT_EQ(items[0].link, "/review");
    EXPECT_FALSE(items[0].read);
    EXPECT_EQ(*unread_count(*tx, user), 1);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM mail_outbox"), 1) << "queued in the same transaction";
  EXPECT_TRUE(mails().empty()) << "nothing leaves before delivery";

  mail::FileSender sender(dir_.path() / "mail", kFrom);
  auto report = deliver_pending(*database_, sender, kNow, 10, policy_);
  ASSERT_OK(report);
  EXPECT_EQ(report->sent, 1);
  ASSERT_EQ(mails().size(), 1u);
  auto decoded = testing::decode_mail_file(mails()[0]);
  EXPECT_EQ(decoded["subject"].as_string(), "【架け橋】審査のお願い");
  EXPECT_EQ(decoded["to"].as_array().at(0).as_string(), "yamada@example.jp");
  EXPECT_EQ(decoded["body"].as_string(),
            "山田 太郎 様\n\n「令和8年度 公募」の審査が割り当てられました。\n\n"
            "詳しくは次のページをご覧ください（ログインが必要です）。\nhttps://kakehashi.example.jp/review\n" +
                mail_footer());

  // Sent: kept as an envelope only, and not sent twice.
  auto sent = mail(1);
  EXPECT_EQ(sent.state, MailState::kSent);
  EXPECT_EQ(sent.attempts, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM mail_outbox WHERE body = '' AND link = ''"), 1);
  auto again = deliver_pending(*database_, sender, kNow + hours{1}, 10, policy_);
  EXPECT_EQ(again->sent, 0);
  EXPECT_EQ(mails().size(), 1u);
}

TEST_F(NotifyTest, AnInactiveUserIsNotifiedInTheAppOnly) {
  auto user = add_user("former@example.jp", "元 職員");
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(db::TxMode::kWrite));
  ASSERT_TRUE(tx->exec("UPDATE users SET active = 0 WHERE id = ?", {user}));
  ASSERT_TRUE(tx->commit());
  ASSERT_TRUE(notify(user, "結果", "本文", ""));
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM mail_outbox"), 0);
}

TEST_F(NotifyTest, AnUnknownUserIsRefusedAndNothingIsKept) {
  auto refused = notify(999, "結果", "本文", "");
  ASSERT_FALSE(refused);
  ExpectErrorCode(refused, ErrorCode::kNotFound);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications") + count("SELECT COUNT(*) FROM mail_outbox"), 0);
}

TEST_F(NotifyTest, MarkReadAllOrOneOfOnesOwn) {
  auto a = add_user("a@example.jp", "甲");
  auto b = add_user("b@example.jp", "乙");
  ASSERT_TRUE(notify(a, "一", "本文", ""));
  ASSERT_TRUE(notify(a, "二", "本文", ""));
  ASSERT_TRUE(notify(b, "三", "本文", ""));
  std::int64_t first_of_a = 0, only_of_b = 0;
  {
    auto tx = *database_->begin(db::TxMode::kRead);
    first_of_a = (*notifications(*tx, a, 10)).back().id;
    only_of_b = (*notifications(*tx, b, 10)).front().id;
  }
  // Another user's notification is not found, and stays unread.
  auto foreign = database_->write([&](db::Transaction& tx) { return mark_read(tx, a, only_of_b, kNow); });
  ASSERT_FALSE(foreign);
  ExpectErrorCode(foreign, ErrorCode::kNotFound);
  ASSERT_TRUE(database_->write([&](db::Transaction& tx) { return mark_read(tx, a, first_of_a, kNow); }));
  {
    auto tx = *database_->begin(db::TxMode::kRead);
    EXPECT_EQ(*unread_count(*tx, a), 1);
    EXPECT_EQ(*unread_count(*tx, b), 1);
  }
  ASSERT_TRUE(database_->write([&](db::Transaction& tx) { return mark_read(tx, a, kNow); }));
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(db::TxMode::kRead));
  EXPECT_EQ(*unread_count(*tx, a), 0);
  EXPECT_EQ(*unread_count(*tx, b), 1);
  auto all = notifications(*tx, a, 10);
  ASSERT_TRUE(all);
  for (const auto& n : *all) EXPECT_TRUE(n.read);
}

// Each write is one transaction: whichever statement or commit fails, nothing of it remains (the
// notification without its mail, or a read mark on some notifications only).
TEST_F(NotifyTest, NotifyingIsAllOrNothing) {
  auto user = add_user("sato@example.jp", "佐藤");
  ::kakehashi::testing::expect_all_or_nothing(dir_.file("n.db"), [&](db::Database& database) {
    return database.write(
        [&](db::Transaction& tx) { return notify_user(tx, user, "審査のお願い", "本文", "/calls/1", kNow); });
  });
}

TEST_F(NotifyTest, MarkingReadIsAllOrNothing) {
  auto user = add_user("sato@example.jp", "佐藤");
  ASSERT_TRUE(notify(user, "一", "本文", ""));
  ASSERT_TRUE(notify(user, "二", "本文", ""));
  std::int64_t first = 0;
  {
    ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(db::TxMode::kRead));
    ASSERT_OK_AND_ASSIGN(auto listed, notifications(*tx, user, 10));
    ASSERT_EQ(listed.size(), 2u);
    first = listed.back().id;
  }
  ::kakehashi::testing::expect_all_or_nothing(dir_.file("n.db"), [&](db::Database& database) {
    return database.write([&](db::Transaction& tx) { return mark_read(tx, user, kNow); });
  });
  ::kakehashi::testing::expect_all_or_nothing(dir_.file("n.db"), [&](db::Database& database) {
    return database.write([&](db::Transaction& tx) { return mark_read(tx, user, first, kNow); });
  });
}

TEST_F(NotifyTest, QueueMailRefusesHeaderInjection) {
  auto refused = queue({"sato@example.jp", "ご案内\r\nBcc: everyone@example.jp", "本文"});
  ASSERT_FALSE(refused);
  ExpectError(refused, ErrorCode::kInvalidArgument, "メールの件名に改行や制御文字を含めることはできません");
  EXPECT_FALSE(queue({"sato@example.jp\r\nBcc: everyone@example.jp", "ご案内", "本文"}));
  EXPECT_EQ(count("SELECT COUNT(*) FROM mail_outbox"), 0);
}

// A temporary refusal (451 from a real SMTP server) is tried again with growing delays and then
// given up, with the reason kept and an audit entry; the secretariat can list it.
TEST_F(NotifyTest, TemporaryFailuresAreRetriedWithBackoffThenGivenUp) {
  SmtpServer server(dir_.path() / "smtp");
  ASSERT_GT(server.port(), 0);
  mail::SmtpConfig config;
  config.host = "127.0.0.1";
  config.port = std::uint16_t(server.port());
  config.from = kFrom;
  config.timeout = seconds{5};
  mail::SmtpSender sender(config);
  auto id = queue({"later@example.jp", "ご案内", "本文"});
  ASSERT_TRUE(id);

  sys_seconds at = kNow;
  std::vector<seconds> delays{minutes{1}, minutes{4}, minutes{16}, minutes{64}, minutes{256}};
  for (size_t attempt = 0; attempt < delays.size(); ++attempt) {
    auto report = deliver_pending(*database_, sender, at, 10, policy_);
    ASSERT_OK(report);
    EXPECT_EQ(report->retrying, 1) << "attempt " << attempt + 1;
    auto state = mail(*id);
    EXPECT_EQ(state.attempts, int(attempt) + 1);
    EXPECT_EQ(state.state, MailState::kPending);
    EXPECT_EQ(*state.last_error, "SMTP サーバーが宛先（RCPT TO）を受け付けませんでした（451 4.3.0 Try again later）");
    // Not before its time …
    EXPECT_EQ(deliver_pending(*database_, sender, at + delays[attempt] - seconds{1}, 10, policy_)->retrying, 0);
    at += delays[attempt];  // … then again.
  }
  auto last = deliver_pending(*database_, sender, at, 10, policy_);
  EXPECT_EQ(last->gave_up, 1);
  auto given_up = mail(*id);
  EXPECT_EQ(given_up.state, MailState::kGaveUp);
  EXPECT_EQ(given_up.attempts, 6);
  EXPECT_EQ(deliver_pending(*database_, sender, at + hours{24}, 10, policy_)->retrying, 0) << "never again";
  EXPECT_TRUE(server.messages().empty());
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(db::TxMode::kRead));
  ASSERT_OK_AND_ASSIGN(auto listed, gave_up_mail(*tx, 10));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].to, "later@example.jp");
  ASSERT_OK_AND_ASSIGN(auto audited,
                       tx->query_one("SELECT actor, object, detail FROM audit_log WHERE action = 'mail.gave_up'"));
  ASSERT_TRUE(audited);
  EXPECT_EQ(audited->text(0), "system");
  EXPECT_EQ(audited->text(1), "mail:" + std::to_string(*id));
  EXPECT_EQ(audited->text(2), R"({"attempts":6,"reason":"attempts"})");
}

TEST_F(NotifyTest, ARefusedRecipientIsGivenUpAtOnceOthersStillGo) {
  SmtpServer server(dir_.path() / "smtp");
  mail::SmtpConfig config;
  config.host = "127.0.0.1";
  config.port = std::uint16_t(server.port());
  config.from = kFrom;
  mail::SmtpSender sender(config);
  auto refused = queue({"unknown@example.jp", "ご案内", "本文"});
  auto good = queue({"sato@example.jp", "ご案内", "佐藤 様"});
  auto report = deliver_pending(*database_, sender, kNow, 10, policy_);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->gave_up, 1);
  EXPECT_EQ(report->sent, 1);
  EXPECT_EQ(mail(*refused).state, MailState::kGaveUp);
  EXPECT_EQ(mail(*refused).attempts, 1);
  EXPECT_EQ(mail(*good).state, MailState::kSent);
  ASSERT_EQ(server.messages().size(), 1u);
  EXPECT_EQ(SmtpServer::meta(server.messages()[0])["decoded"].as_object()["body"].as_string(), "佐藤 様\n" + mail_footer());
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'mail.gave_up' AND detail LIKE '%refused%'"), 1);
}

// A sender that, while sending, takes the database's write lock and runs a second delivery: it
// works only if deliver_pending holds no transaction during send(), and the second delivery
// must not pick the mail being sent.
class ProbeSender final : public mail::Sender {
 public:
  ProbeSender(db::Database& database, const std::filesystem::path& folder) : database_(database), files_(folder, kFrom) {}
  Result<void> send(const mail::Message& message, sys_seconds now) override {
    auto tx = database_.begin(db::TxMode::kWrite);
    write_lock_free = bool(tx);
    tx = {};
    auto nested = deliver_pending(database_, files_, now, 10);
    nested_sent = nested ? nested->sent : -1;
    return files_.send(message, now);
  }
  std::string describe() const override { return "probe"; }
  bool write_lock_free = false;
  int nested_sent = -1;

 private:
  db::Database& database_;
  mail::FileSender files_;
};

TEST_F(NotifyTest, SendingHappensOutsideAnyTransactionAndAClaimedMailIsNotSentTwice) {
  ASSERT_TRUE(queue({"sato@example.jp", "ご案内", "本文"}));
  ProbeSender probe(*database_, dir_.path() / "mail");
  auto report = deliver_pending(*database_, probe, kNow, 10, policy_);
  ASSERT_OK(report);
  EXPECT_EQ(report->sent, 1);
  EXPECT_TRUE(probe.write_lock_free);
  EXPECT_EQ(probe.nested_sent, 0);
  EXPECT_EQ(mails().size(), 1u);
}

// Databases made before notify existed already have `notifications` (from the call's first
// migration); notify's migration then leaves it and adds the outbox.
TEST_F(NotifyTest, MigrationKeepsAnExistingNotificationsTable) {
  auto user = add_user("a@example.jp", "甲");
  ASSERT_TRUE(notify(user, "残る", "本文", ""));
  {
    auto tx = *database_->begin(db::TxMode::kWrite);
    ASSERT_TRUE(tx->exec("DELETE FROM schema_migrations WHERE name = '202612030850_notifications'"));
    ASSERT_TRUE(tx->exec("DROP TABLE mail_outbox"));
    ASSERT_TRUE(tx->commit());
  }
  auto applied = db::migrate(*database_);
  ASSERT_OK(applied);
  EXPECT_EQ(*applied, std::vector<std::string>{"202612030850_notifications"});
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE title = '残る'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM mail_outbox"), 0);
}

}  // namespace
}  // namespace kakehashi::notify
