// The half-yearly compliance report's workflow (periods, carry-over, mandatory reasons, submission
// and METI's answer, evidence links) and the incident log's procedure (first report, deadlines,
// closure only once contained with cause and prevention), on a real migrated database.
#include <gtest/gtest.h>

#include "compliance/incidents.h"
#include "compliance/reports.h"
#include "db/migrate.h"
#include "support/result.h"
#include "support/temp_dir.h"

namespace kakehashi::compliance {
namespace {

using namespace std::chrono;

Date day(const char* iso) { return *Date::parse(iso); }

class ReportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = db::open_sqlite(dir_.file("k.db"), 2);
    ASSERT_OK(opened);
    database_ = std::move(*opened);
    ASSERT_OK(db::migrate(*database_));
    meti_ = add_user("meti@example.jp", "経産 花子", "meti");
    officer_ = add_user("officer@example.jp", "情報 三郎", "security_officer");
  }

  auth::Principal add_user(const std::string& email, const std::string& name, const std::string& role) {
    auth::Principal p;
    EXPECT_OK(database_->write([&](db::Transaction& tx) -> Result<void> {
      auto id = tx.insert("INSERT INTO users (email, name, password_hash, created_at) VALUES (?, ?, 'x', '2026-01-01T00:00:00Z')",
                          {email, name});
      if (!id) return fail(id.error());
      p.user_id = *id;
      return tx.exec("INSERT INTO user_roles (user_id, role) VALUES (?, ?)", {*id, role});
    }));
    p.name = name;
    p.roles.insert(*auth::role_from_id(role));
    return p;
  }

  template <class T, class F>
  Result<T> write(F f) {
    return database_->transact<T>(db::TxMode::kWrite, f);
  }

  ReportDetail detail_of(std::int64_t id, const auth::Principal& who) {
    auto found = database_->transact<std::optional<ReportDetail>>(
        db::TxMode::kRead, [&](db::Transaction& tx) { return find_report(tx, who, id); });
    EXPECT_TRUE(found && *found);
    return found && *found ? **found : ReportDetail{};
  }

  std::vector<ItemAnswer> all_done() {
    std::vector<ItemAnswer> answers;
    for (int n = 2; n <= 17; ++n) answers.push_back({n, ItemStatus::kDone, "規程に従って実施した。", {}});
    return answers;
  }

  testing::TempDir dir_;
  std::unique_ptr<db::Database> database_;
  auth::Principal meti_, officer_;
  sys_seconds now_ = sys_days{2026y / 10 / 20} + 3h;
};

TEST(CompliancePeriodTest, HalvesOfTheFiscalYearDueAtTheEndOfTheNextMonth) {
  Period first = period_containing(day("2026-06-15"));
  EXPECT_EQ(first.from, day("2026-04-01"));
  EXPECT_EQ(first.to, day("2026-09-30"));
  EXPECT_EQ(first.due, day("2026-10-31"));
  Period second = period_containing(day("2027-02-01"));
  EXPECT_EQ(second.from, day("2026-10-01"));
  EXPECT_EQ(second.to, day("2027-03-31"));
  EXPECT_EQ(second.due, day("2027-04-30"));
  EXPECT_EQ(period_before(second).from, first.from);
  EXPECT_EQ(first.label(), "2026年度 上期（2026年4月1日～2026年9月30日）");
  EXPECT_EQ(second.label(), "2026年度 下期（2026年10月1日～2027年3月31日）");
  EXPECT_FALSE(period_starting(day("2026-05-01")));
}

TEST(CompliancePeriodTest, ADraftMayLeaveItemsOpenButAChosenNotDoneNeedsItsReasonNow) {
  std::vector<ItemAnswer> answers;
  auto errors = read_answers({{4, "done", "名簿で限定した"}, {5, "not_done", "  "}, {6, "", ""}, {12, "bogus", "x"}, {99, "done", "x"}},
                             answers);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].message, "5) は「未実施」のため、理由を入力してください");
  EXPECT_EQ(errors[0].field, "item_5");
  EXPECT_EQ(errors[1].message, "12) の実施状況を選び直してください");
  EXPECT_EQ(errors[2].message, "99) は報告事項にありません");
  ASSERT_EQ(answers.size(), 4u);  // 4, 5, 6 and 12 as typed
  EXPECT_FALSE(answers[2].status);
}

TEST_F(ReportsTest, SubmittedToMetiReturnedWithACommentCorrectedAndAcknowledged) {
  Period period = period_containing(day("2026-06-01"));
  ASSERT_OK_AND_ASSIGN(auto id, (write<std::int64_t>([&](db::Transaction& tx) { return create_report(tx, officer_, period, now_); })));
  // One report per period.
  auto again = write<std::int64_t>([&](db::Transaction& tx) { return create_report(tx, officer_, period, now_); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  // METI does not prepare it; the officer cannot submit an incomplete one (every gap named).
  auto answers = all_done();
  answers.pop_back();
  ASSERT_OK(database_->write([&](db::Transaction& tx) { return save_report(tx, officer_, id, answers, "", "", now_); }));
  std::vector<FieldError> problems;
  auto refused = database_->write([&](db::Transaction& tx) { return submit_report(tx, officer_, id, "/r", now_, &problems); });
  ASSERT_FALSE(refused);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].message, "17) の実施状況を選んでください");
  EXPECT_EQ(problems[1].message, "契約件名を入力してください");
  ASSERT_OK(database_->write([&](db::Transaction& tx) { return save_report(tx, officer_, id, all_done(), "事務局業務", "2026年4月1日", now_); }));
  ASSERT_OK(database_->write([&](db::Transaction& tx) { return submit_report(tx, officer_, id, "/r", now_); }));
  // Locked while METI looks at it; METI's return needs a comment.
  auto locked = database_->write([&](db::Transaction& tx) { return save_report(tx, officer_, id, all_done(), "x", "", now_); });
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().message, "提出済みの報告書は変更できません（経済産業省が差し戻した場合に修正できます）");
  auto by_officer = database_->write([&](db::Transaction& tx) { return acknowledge_report(tx, officer_, id, "", "/r", now_); });
  ASSERT_FALSE(by_officer);
  EXPECT_EQ(by_officer.error().code, ErrorCode::kPermissionDenied);
  auto silent = database_->write([&](db::Transaction& tx) { return return_report(tx, meti_, id, " ", "/r", now_); });
  ASSERT_FALSE(silent);
  EXPECT_EQ(silent.error().message, "差し戻しのコメントを入力してください");
  ASSERT_OK(database_->write([&](db::Transaction& tx) { return return_report(tx, meti_, id, "10) の証跡を付けてください", "/r", now_); }));
  ASSERT_OK(database_->write([&](db::Transaction& tx) { return submit_report(tx, officer_, id, "/r", now_ + 1h); }));
  ASSERT_OK(database_->write([&](db::Transaction& tx) { return acknowledge_report(tx, meti_, id, "", "/r", now_ + 2h); }));
  ReportDetail detail = detail_of(id, meti_);
  EXPECT_EQ(detail.report.status, ReportStatus::kAcknowledged);
  std::vector<std::string> events;
  for (const auto& e : detail.events) events.push_back(e.event);
  EXPECT_EQ(events, (std::vector<std::string>{"created", "saved", "saved", "submitted", "returned", "submitted", "acknowledged"}));
  ASSERT_OK_AND_ASSIGN(auto audited, (database_->transact<std::int64_t>(db::TxMode::kRead, [](db::Transaction& tx) {
                         return tx.scalar("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'compliance.report_%'");
                       })));
  EXPECT_EQ(audited, 7);
  // The next half-year starts from these answers.
  ASSERT_OK_AND_ASSIGN(auto next, (write<std::int64_t>([&](db::Transaction& tx) { return create_report(tx, officer_, period_before(period_containing(day("2027-06-01"))), now_); })));
  ReportDetail carried = detail_of(next, officer_);
  ASSERT_EQ(carried.answers.size(), 16u);
  EXPECT_EQ(carried.report.contract_title, "事務局業務");
  EXPECT_EQ(carried.answers[8].detail, "規程に従って実施した。");
  EXPECT_EQ(carried.report.status, ReportStatus::kDraft);
}

// [IPA-5-(ii)]
TEST_F(ReportsTest, EvidenceLinksArePagesOfKakehashiOnly) {
  ASSERT_OK_AND_ASSIGN(auto id, (write<std::int64_t>([&](db::Transaction& tx) {
                         return create_report(tx, officer_, period_containing(day("2026-06-01")), now_);
                       })));
  for (const char* href : {"https://example.com/", "//example.com/x", "javascript:alert(1)", "/a b"}) {
    auto refused = write<std::int64_t>([&](db::Transaction& tx) { return add_link_evidence(tx, officer_, id, 10, "外部", href, now_); });
    ASSERT_FALSE(refused) << href;
    EXPECT_EQ(refused.error().message, "リンク先は Kakehashi の画面のパス（/admin/audit のように / で始まるもの）を入力してください");
  }
  ASSERT_OK(write<std::int64_t>([&](db::Transaction& tx) { return add_link_evidence(tx, officer_, id, 10, "脆弱性対応の記録", "/admin/audit?action=compliance", now_); }));
  ASSERT_OK(database_->write([&](db::Transaction& tx) { return save_report(tx, officer_, id, all_done(), "事務局業務", "", now_); }));
  ReportDetail detail = detail_of(id, meti_);
  ASSERT_EQ(detail.answers.size(), 16u);
  ASSERT_EQ(detail.answers[8].number, 10);
  ASSERT_EQ(detail.answers[8].evidence.size(), 1u);
  EXPECT_EQ(detail.answers[8].evidence[0].href, "/admin/audit?action=compliance");
  // The rendered report adds Kakehashi's own evidence of 10): the audit log and the ledger.
  std::string md = report_markdown(report_header(detail.report), detail.answers);
  EXPECT_NE(md.find("脆弱性対応の記録（/admin/audit?action=compliance）"), std::string::npos);
  EXPECT_NE(md.find("ソフトウェア管理台帳（/compliance/ledger）"), std::string::npos);
}

TEST_F(ReportsTest, AnIncidentIsReportedAtOnceAndClosesOnlyWithCauseAndPrevention) {
  Incident incident;
  auto errors = read_incident({"", "誤送信", "2026-10-21T09:00", "", "", ""}, incident, now_);
  std::vector<std::string> fields;
  for (const auto& e : errors) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"title", "discovered_at", "impact", "affected_info", "measures"}));
  EXPECT_EQ(errors[1].message, "認知した日時に未来の日時は入力できません");
  ASSERT_TRUE(read_incident({"誤送信", "案内メールを誤送信した", "2026-10-20T11:30", "1 名に氏名が見えた", "氏名 1 件",
                             "削除を依頼した"}, incident, now_).empty());
  EXPECT_EQ(incident.discovered_at, sys_days{2026y / 10 / 20} + 2h + 30min);  // Japan time
  ASSERT_OK_AND_ASSIGN(auto id, (write<std::int64_t>([&](db::Transaction& tx) { return record_incident(tx, officer_, incident, "/compliance/incidents", now_); })));
  // The first report went to METI at once (the officer who recorded it is not told).
  ASSERT_OK_AND_ASSIGN(auto told, (database_->transact<std::int64_t>(db::TxMode::kRead, [&](db::Transaction& tx) {
                         return tx.scalar("SELECT COUNT(*) FROM notifications WHERE user_id = ?", {meti_.user_id});
                       })));
  EXPECT_EQ(told, 1);
  auto stored = database_->transact<std::optional<Incident>>(
      db::TxMode::kRead, [&](db::Transaction& tx) { return find_incident(tx, meti_, id); });
  ASSERT_TRUE(stored && *stored);
  Incident recorded = **stored;
  EXPECT_EQ(recorded.reported_at, now_);
  EXPECT_EQ(recorded.cause_report_due(), recorded.discovered_at + days{5});
  auto early = database_->write([&](db::Transaction& tx) { return close_incident(tx, officer_, id, "/i", now_); });
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().message, "完了にする前に、経過報告で封じ込めの完了・原因・再発防止策を報告してください");
  std::vector<FieldError> problems;
  auto empty = database_->write([&](db::Transaction& tx) { return report_follow_up(tx, officer_, id, {}, "/i", now_, &problems); });
  ASSERT_FALSE(empty);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].message, "報告の内容を入力してください");
  ASSERT_OK(database_->write([&](db::Transaction& tx) {
    return report_follow_up(tx, officer_, id, {"削除を確認した", true, "宛先の選び間違い", "宛先の確認を手順に加えた"}, "/i", now_ + 1h);
  }));
  ASSERT_OK(database_->write([&](db::Transaction& tx) { return close_incident(tx, officer_, id, "/i", now_ + 2h); }));
  auto twice = database_->write([&](db::Transaction& tx) { return close_incident(tx, officer_, id, "/i", now_ + 3h); });
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  // METI reads the log but does not write it.
  auto by_meti = write<std::int64_t>([&](db::Transaction& tx) { return record_incident(tx, meti_, incident, "/i", now_); });
  ASSERT_FALSE(by_meti);
  EXPECT_EQ(by_meti.error().code, ErrorCode::kPermissionDenied);
  ASSERT_OK_AND_ASSIGN(auto actions, (database_->transact<std::int64_t>(db::TxMode::kRead, [](db::Transaction& tx) {
                         return tx.scalar("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'compliance.incident_%'");
                       })));
  EXPECT_EQ(actions, 3);
}

}  // namespace
}  // namespace kakehashi::compliance
