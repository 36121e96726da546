#include "audit/audit.h"

#include <gtest/gtest.h>

#include "audit/labels.h"
#include "db/migrate.h"
#include "support/result.h"
#include "support/temp_dir.h"

using ::kakehashi::testing::ExpectErrorCode;

namespace kakehashi::audit {
namespace {

using namespace std::chrono;

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::move(*db::open_sqlite(dir_.file("a.db")));
    ASSERT_TRUE(db::migrate(*database_));
    for (int i = 1; i <= 5; ++i) {
      ASSERT_TRUE(database_->write([&](db::Transaction& tx) -> Result<void> {
        auto id = record(tx, {i, "user:" + std::to_string(i), "test.write", "object:" + std::to_string(i), "{}"},
                         sys_seconds{sys_days{2026y / 11 / 25}} + seconds{i});
        if (!id) return fail(id.error());
        EXPECT_EQ(*id, i);
        return {};
      }));
    }
  }
  // Tampering the way an intruder with file access would: bypass the append-only triggers.
  void tamper(const std::string& sql) {
    ASSERT_TRUE(database_->write([&](db::Transaction& tx) -> Result<void> {
      if (auto ok = tx.exec("DROP TRIGGER audit_log_no_update"); !ok) return ok;
      if (auto ok = tx.exec("DROP TRIGGER audit_log_no_delete"); !ok) return ok;
      return tx.exec(sql);
    }));
  }
  testing::TempDir dir_;
  std::unique_ptr<db::Database> database_;
};

TEST_F(AuditTest, IntactChainVerifies) {
  auto report = verify(*database_);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->intact);
  EXPECT_EQ(report->entries, 5);
}

TEST_F(AuditTest, TriggersRefuseUpdateAndDelete) {
  auto update = database_->write([](db::Transaction& tx) { return tx.exec("UPDATE audit_log SET action = 'x'"); });
  EXPECT_FALSE(update);
  auto remove = database_->write([](db::Transaction& tx) { return tx.exec("DELETE FROM audit_log WHERE id = 2"); });
  EXPECT_FALSE(remove);
}

TEST_F(AuditTest, ChangedRowIsNamed) {
  tamper("UPDATE audit_log SET object = 'object:999' WHERE id = 3");
  ASSERT_OK_AND_ASSIGN(auto report, verify(*database_));
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_id, 3);
  EXPECT_EQ(report.problem, "監査ログ #3 の内容が記録後に変更されています");
}

TEST_F(AuditTest, RecomputedHashStillBreaksTheNextLink) {
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(db::TxMode::kRead));
  auto row = *(*tx->query_one("SELECT prev_hash, at FROM audit_log WHERE id = 2"));
  tx.reset();
  Entry forged{2, "user:2", "test.write", "object:forged", "{}"};
  std::string hash = chain_hash(row.text(0), 2, row.text(1), forged);
  tamper("UPDATE audit_log SET object = 'object:forged', hash = '" + hash + "' WHERE id = 2");
  ASSERT_OK_AND_ASSIGN(auto report, verify(*database_));
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_id, 3);
}

TEST_F(AuditTest, DeletedMiddleRowIsNamed) {
  tamper("DELETE FROM audit_log WHERE id = 2");
  ASSERT_OK_AND_ASSIGN(auto report, verify(*database_));
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_id, 2);
  EXPECT_EQ(report.problem, "監査ログ #2 が削除されています");
}

TEST_F(AuditTest, DeletedLastRowIsNoticedThroughTheHead) {
  tamper("DELETE FROM audit_log WHERE id = 5");
  ASSERT_OK_AND_ASSIGN(auto report, verify(*database_));
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_id, 5);
}

TEST_F(AuditTest, ADetailThatIsNotAJsonObjectIsRefused) {
  // What string concatenation produces from a value with a quote in it, and a bare value.
  for (std::string detail : {R"({"name":"a"b"})", R"("text")", "[1]", "{"}) {
    auto refused = append(*database_, by_user(1, "test.write", "object:1", detail), sys_seconds{});
    ASSERT_FALSE(refused) << detail;
    ExpectErrorCode(refused, ErrorCode::kInternal);
  }
  EXPECT_TRUE(append(*database_, by_user(1, "test.write", "object:1", R"({"name":"a\"b"})"), sys_seconds{}));
  EXPECT_TRUE(append(*database_, by_user(1, "test.write", "object:1"), sys_seconds{}));
  EXPECT_EQ(verify(*database_)->entries, 7);
}

TEST_F(AuditTest, VerifyWalksTheLogInPages) {
  // Pages smaller than the log, and of exactly its size: the same verdicts as one page.
  for (int page_size : {1, 2, 5}) {
    auto report = verify(*database_, page_size);
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->intact) << page_size;
    EXPECT_EQ(report->entries, 5) << page_size;
  }
  tamper("DELETE FROM audit_log WHERE id = 4");
  ASSERT_OK_AND_ASSIGN(auto report, verify(*database_, 2));
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_id, 4);
  EXPECT_EQ(report.problem, "監査ログ #4 が削除されています");
}

TEST_F(AuditTest, PageListsNewestFirst) {
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(db::TxMode::kRead));
  ASSERT_OK_AND_ASSIGN(auto entries, page(*tx, Filter{}, 2, 0));
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].id, 5);
  EXPECT_EQ(entries[0].at, "2026-11-25T00:00:05Z");
  EXPECT_EQ(entries[1].entry.object, "object:4");
  ASSERT_OK_AND_ASSIGN(auto second, page(*tx, Filter{}, 2, 4));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].id, 1);
  EXPECT_EQ(*count(*tx, Filter{}), 5);
}

class AuditFilterTest : public AuditTest {
 protected:
  void SetUp() override {
    AuditTest::SetUp();
    ASSERT_TRUE(append(*database_, entry_by(Actor::system(), "calendar.import", "holiday_overrides"),
                       sys_seconds{sys_days{2026y / 11 / 26}} + hours{16}));  // 2026-11-27 01:00 in Japan
    ASSERT_TRUE(append(*database_, {std::nullopt, "visitor", "auth.login_failed", "user:2", ""},
                       sys_seconds{sys_days{2026y / 11 / 27}} + hours{15}));  // 2026-11-28 00:00 in Japan
    ASSERT_TRUE(append(*database_, by_user(2, "call.create", "call:12"), sys_seconds{sys_days{2026y / 11 / 28}}));
    ASSERT_TRUE(append(*database_, by_user(3, "call.update", "call:1"), sys_seconds{sys_days{2026y / 11 / 28}}));
  }
  std::vector<std::int64_t> ids(const Filter& filter) {
    auto tx = *database_->begin(db::TxMode::kRead);
    std::vector<std::int64_t> out;
    auto entries = page(*tx, filter, 100, 0);
    EXPECT_TRUE(entries);
    if (entries) {
      for (const auto& stored : *entries) out.push_back(stored.id);
    }
    EXPECT_EQ(*count(*tx, filter), static_cast<std::int64_t>(out.size()));
    return out;
  }
};

TEST_F(AuditFilterTest, FiltersByPersonActionObjectAndTime) {
  EXPECT_EQ(ids({.actor = "user:2"}), (std::vector<std::int64_t>{8, 2}));
  EXPECT_EQ(ids({.actor = "system"}), (std::vector<std::int64_t>{6}));
  EXPECT_EQ(ids({.actor = "visitor"}), (std::vector<std::int64_t>{7}));
  EXPECT_EQ(ids({.action = "call.create"}), (std::vector<std::int64_t>{8}));
  EXPECT_EQ(ids({.object = "call:1"}), (std::vector<std::int64_t>{9}));
  // A kind covers every object of it, and only those: "call:12" and "call:1", not "calls".
  EXPECT_EQ(ids({.object_kind = "call"}), (std::vector<std::int64_t>{9, 8}));
  EXPECT_EQ(ids({.object_kind = "holiday_overrides"}), (std::vector<std::int64_t>{6}));
  EXPECT_EQ(ids({.object_kind = "user"}), (std::vector<std::int64_t>{7}));
  // [from, until): the boundary instant belongs to the later range.
  sys_seconds day{sys_days{2026y / 11 / 27}};
  EXPECT_EQ(ids({.from = day + hours{15}}), (std::vector<std::int64_t>{9, 8, 7}));
  EXPECT_EQ(ids({.from = day - hours{9}, .until = day + hours{15}}), (std::vector<std::int64_t>{6}));
  EXPECT_EQ(ids({.actor = "user:2", .object_kind = "call"}), (std::vector<std::int64_t>{8}));
  EXPECT_EQ(ids({.actor = "user:99"}), (std::vector<std::int64_t>{}));
}

TEST_F(AuditFilterTest, ForEachHandsOverEveryMatchOldestFirstPageByPage) {
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(db::TxMode::kRead));
  std::vector<std::vector<std::int64_t>> pages;
  ASSERT_TRUE(for_each(
      *tx, Filter{},
      [&](std::span<const StoredEntry> entries) -> Result<void> {
        pages.emplace_back();
        for (const auto& stored : entries) pages.back().push_back(stored.id);
        return {};
      },
      4));
  EXPECT_EQ(pages, (std::vector<std::vector<std::int64_t>>{{1, 2, 3, 4}, {5, 6, 7, 8}, {9}}));
  std::vector<std::int64_t> filtered;
  ASSERT_TRUE(for_each(
      *tx, {.object_kind = "call"},
      [&](std::span<const StoredEntry> entries) -> Result<void> {
        for (const auto& stored : entries) filtered.push_back(stored.id);
        return {};
      },
      1));
  EXPECT_EQ(filtered, (std::vector<std::int64_t>{8, 9}));
  // An error from the visitor stops the walk and comes back.
  int calls = 0;
  auto stopped = for_each(
      *tx, Filter{},
      [&](std::span<const StoredEntry>) -> Result<void> {
        ++calls;
        return fail(Error::unavailable("disk full"));
      },
      2);
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().message, "disk full");
  EXPECT_EQ(calls, 1);
}

TEST_F(AuditFilterTest, ListsTheActorsAndActionsRecorded) {
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(db::TxMode::kRead));
  EXPECT_EQ(*actor_user_ids(*tx), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(*recorded_actions(*tx),
            (std::vector<std::string>{"auth.login_failed", "calendar.import", "call.create", "call.update", "test.write"}));
}

TEST(AuditLabels, ActionsAndObjectsReadInJapanese) {
  EXPECT_EQ(action_label("auth.login"), "ログイン");
  EXPECT_EQ(action_label("application.read"), "申請書の閲覧");
  // The programme year's actions and objects read as the secretariat says them (issue 15).
  EXPECT_EQ(action_label("operator.create"), "実証事業者の登録");
  EXPECT_EQ(action_label("operation.import_confirm"), "活動リストの取り込み確定");
  EXPECT_EQ(object_label("milestone:3"), "マイルストーン #3");
  EXPECT_EQ(object_label("operations_settings"), "事業運営の設定");
  EXPECT_EQ(action_label("meetings.minutes_add"), "meetings.minutes_add");  // a newer module's action
  EXPECT_EQ(object_label("call:3"), "公募 #3");
  EXPECT_EQ(object_label("user:4"), "ユーザー #4");
  EXPECT_EQ(object_label("user:4", "山田 花子"), "山田 花子");
  EXPECT_EQ(object_label("audit_log"), "監査ログ");
  EXPECT_EQ(object_label("sha256:0123456789abcdef0123"), "ファイル（SHA-256 0123456789ab…）");
  EXPECT_EQ(object_label("account:unknown"), "登録のないアカウント");
  EXPECT_EQ(object_label("widget:9"), "widget:9");
  EXPECT_EQ(user_id_of("user:12"), 12);
  EXPECT_EQ(user_id_of("user:"), std::nullopt);
  EXPECT_EQ(user_id_of("user:1x"), std::nullopt);
  EXPECT_EQ(user_id_of("call:1"), std::nullopt);
}

}  // namespace
}  // namespace kakehashi::audit
