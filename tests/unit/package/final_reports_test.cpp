// Operators' final reports (成果報告書) on the operations fixture's programme year (A runs 北海道
// and 北陸, B 東海, C 近畿): who reaches which report, upload and versions, the review with its
// notification, the due date, the reminders (once per stage), and the build's use of accepted
// reports (non-public always, public only with consent and when the gate passes; the summaries
// in the chapter of the blocks' results).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "docs/markdown.h"
#include "docs/pdf.h"
#include "notify/service.h"
#include "package/build.h"
#include "package/final_reports.h"
#include "package/service.h"
#include "support/result.h"
#include "unit/operations/fixture.h"

namespace kakehashi::package {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono;

class FinalReportsTest : public operations::testing::ProgrammeFixture {
 protected:
  InspectedReport pdf(const std::string& text) {
    auto doc = docs::parse_markdown("---\ntitle: 成果報告書\n---\n\n# 概要\n\n" + text + "\n");
    EXPECT_OK(doc);
    auto bytes = docs::render_pdf(*doc);
    EXPECT_OK(bytes);
    return InspectedReport{"成果報告書.pdf", "application/pdf", fmt::format("{:064x}", std::hash<std::string>{}(*bytes)), *bytes,
                           "{}"};
  }
  Result<int> submit(std::int64_t user, std::int64_t op, const std::string& summary, bool consent = false,
                     const std::string& text = "本文") {
    return submit_final_report(tx(), principal(user), op, pdf(text), summary, consent, now_);
  }
  // The user's notifications about final reports (the fixture's call sent others), newest first.
  std::vector<notify::Notification> notes(std::int64_t user) {
    auto n = notify::notifications(tx(), user, 100);
    EXPECT_OK(n);
    std::vector<notify::Notification> out;
    for (const auto& x : n.value_or(std::vector<notify::Notification>{}))
      if (x.title.starts_with("成果報告書")) out.push_back(x);
    return out;
  }
  std::size_t notifications_of(std::int64_t user) { return notes(user).size(); }
  std::vector<std::int64_t> visible(std::int64_t user) {
    auto all = list_final_reports(tx(), principal(user));
    EXPECT_OK(all);
    std::vector<std::int64_t> ids;
    for (const auto& r : *all) ids.push_back(r.operator_id);
    return ids;
  }
};

TEST_F(FinalReportsTest, EachReaderReachesOwnBlocksOrAll) {
  EXPECT_EQ(visible(secretariat_), (std::vector<std::int64_t>{op_a_, op_b_, op_c_}));
  EXPECT_EQ(visible(meti_), (std::vector<std::int64_t>{op_a_, op_b_, op_c_}));
  EXPECT_EQ(visible(operator_a_), std::vector<std::int64_t>{op_a_});
  EXPECT_EQ(visible(bureau_chubu_), (std::vector<std::int64_t>{op_a_, op_b_}));  // 北陸 (A) and 東海 (B)
  EXPECT_EQ(visible(bureau_hokkaido_), std::vector<std::int64_t>{op_a_});
  EXPECT_TRUE(visible(reviewers_[0]).empty());
  auto other = find_final_report(tx(), principal(operator_b_), op_a_);
  ASSERT_OK(other);
  EXPECT_FALSE(other->has_value());
  // Another operator cannot upload to A's report, nor can the secretariat or a bureau.
  for (std::int64_t user : {operator_b_, secretariat_, bureau_hokkaido_}) {
    auto refused = submit(user, op_a_, "概要");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kNotFound);
  }
}

TEST_F(FinalReportsTest, VersionsReplaceOlderOnesAndTheReviewNotifiesTheOperator) {
  auto errors = validate_final_report("");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "報告書の概要を入力してください。");
  errors = validate_final_report(std::string(801 * 3, 'a').substr(0, 801));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "報告書の概要は800文字以内で入力してください（いま 801 文字）。");

  ASSERT_OK_AND_ASSIGN(int v1, submit(operator_a_, op_a_, "第一版の概要。"));
  EXPECT_EQ(v1, 1);
  auto returned_without_reason = review_final_report(tx(), principal(secretariat_), op_a_, FinalReportDecision::kReturn, " ", now_);
  ASSERT_FALSE(returned_without_reason);
  EXPECT_EQ(returned_without_reason.error().message, "差し戻す理由（直してほしい点）を入力してください。");
  auto by_meti = review_final_report(tx(), principal(meti_), op_a_, FinalReportDecision::kAccept, "", now_);
  ASSERT_FALSE(by_meti);
  EXPECT_EQ(by_meti.error().code, ErrorCode::kNotFound);
  ASSERT_OK(review_final_report(tx(), principal(secretariat_), op_a_, FinalReportDecision::kReturn, "件数を書いてください。", now_));
  // Both active users of A are told, with the comment.
  EXPECT_EQ(notifications_of(operator_a_), 1u);
  EXPECT_EQ(notifications_of(operator_a2_), 1u);
  auto note = notes(operator_a_);
  ASSERT_FALSE(note.empty());
  EXPECT_EQ(note[0].title, "成果報告書が差し戻されました");
  EXPECT_NE(note[0].body.find("件数を書いてください。"), std::string::npos);
  EXPECT_EQ(note[0].link, fmt::format("/package/final-reports/{}", op_a_));

  ASSERT_OK_AND_ASSIGN(int v2, submit(operator_a2_, op_a_, "第二版の概要。12校で実施した。", true));
  EXPECT_EQ(v2, 2);
  ASSERT_OK_AND_ASSIGN(auto report, find_final_report(tx(), principal(bureau_hokkaido_), op_a_));
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->status, FinalReportStatus::kSubmitted);
  EXPECT_EQ(report->summary, "第二版の概要。12校で実施した。");
  EXPECT_TRUE(report->consent);
  ASSERT_EQ(report->files.size(), 2u);  // both versions kept, newest first
  EXPECT_EQ(report->files[0].version, 2);
  ASSERT_OK_AND_ASSIGN(auto file, final_report_file(tx(), principal(operator_a_), op_a_, 1));
  ASSERT_TRUE(file.has_value());
  EXPECT_TRUE(file->content.starts_with("%PDF"));
  ASSERT_OK_AND_ASSIGN(auto hidden, final_report_file(tx(), principal(operator_b_), op_a_, 1));
  EXPECT_FALSE(hidden.has_value());

  ASSERT_OK(review_final_report(tx(), principal(secretariat_), op_a_, FinalReportDecision::kAccept, "", now_));
  auto again = review_final_report(tx(), principal(secretariat_), op_a_, FinalReportDecision::kAccept, "", now_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message, "確認待ちの成果報告書だけを受理・差し戻しできます。");
  auto late = submit(operator_a_, op_a_, "受理後の版");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().message, "成果報告書は受理済みです。差し替えが必要な場合は事務局にご連絡ください。");
  // The consent can still be withdrawn.
  ASSERT_OK(set_final_report_consent(tx(), principal(operator_a_), op_a_, false, now_));
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'package.final_report_submitted'"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'package.final_report_reviewed'"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'package.final_report_consent'"), 1);
}

TEST_F(FinalReportsTest, TheDueDateIsTheLastBusinessDayOfFebruaryUnlessSet) {
  // 2027-02-28 is a Sunday: Friday the 26th. 2028 is a leap year and 02-29 a Tuesday.
  EXPECT_EQ(default_final_report_due(*Date::from_ymd(2026, 12, 1)).iso(), "2027-02-26");
  EXPECT_EQ(default_final_report_due(*Date::from_ymd(2027, 3, 31)).iso(), "2027-02-26");
  EXPECT_EQ(default_final_report_due(*Date::from_ymd(2027, 4, 1)).iso(), "2028-02-29");
  ASSERT_OK_AND_ASSIGN(Date due, final_report_due(tx(), now_));
  EXPECT_EQ(due.iso(), "2027-02-26");
  auto denied = set_final_report_due(tx(), principal(operator_a_), *Date::from_ymd(2027, 2, 19), now_);
  ASSERT_FALSE(denied);
  ASSERT_OK(set_final_report_due(tx(), principal(secretariat_), *Date::from_ymd(2027, 2, 19), now_));
  ASSERT_OK_AND_ASSIGN(Date moved, final_report_due(tx(), now_));
  EXPECT_EQ(moved.iso(), "2027-02-19");
}

TEST_F(FinalReportsTest, RemindersGoOutOncePerStageToOperatorsStillToSubmit) {
  const Date due = tokyo_date(now_).plus_days(20);
  ASSERT_OK(set_final_report_due(tx(), principal(secretariat_), due, now_));
  ASSERT_OK(submit(operator_b_, op_b_, "B の概要。"));  // B has submitted: never reminded
  ASSERT_OK(submit(operator_c_, op_c_, "C の概要。"));
  ASSERT_OK(review_final_report(tx(), principal(secretariat_), op_c_, FinalReportDecision::kReturn, "直してください。", now_));
  auto at = [&](int days_before) { return sys_days{due.sys_days()} - days{days_before} + hours{1}; };
  ASSERT_OK_AND_ASSIGN(int early, remind_final_reports(tx(), at(15)));
  EXPECT_EQ(early, 0);
  ASSERT_OK_AND_ASSIGN(int first, remind_final_reports(tx(), at(14)));
  EXPECT_EQ(first, 2);  // A (not submitted) and C (returned)
  ASSERT_OK_AND_ASSIGN(int repeat, remind_final_reports(tx(), at(13)));
  EXPECT_EQ(repeat, 0);
  ASSERT_OK_AND_ASSIGN(int second, remind_final_reports(tx(), at(3)));
  EXPECT_EQ(second, 2);
  ASSERT_OK_AND_ASSIGN(int after, remind_final_reports(tx(), at(1)));
  EXPECT_EQ(after, 0);
  EXPECT_EQ(notifications_of(operator_b_), 0u);
  EXPECT_EQ(notifications_of(operator_a_), 2u);
  EXPECT_EQ(notifications_of(operator_c_), 3u);  // the return, then two reminders
  auto note = notes(operator_a_);
  ASSERT_FALSE(note.empty());
  EXPECT_EQ(note[0].title, fmt::format("成果報告書の提出期限は{}です", due.japanese()));
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'package.final_report_reminded'"), 4);
  // A moved due date arms the stages again.
  ASSERT_OK(set_final_report_due(tx(), principal(secretariat_), due.plus_days(7), now_));
  ASSERT_OK_AND_ASSIGN(int moved, remind_final_reports(tx(), at(1)));
  EXPECT_EQ(moved, 2);
}

TEST_F(FinalReportsTest, TheBuildListsAcceptedReportsAndPublishesOnlyConsentedOnesThatPassTheGate) {
  ASSERT_OK(submit(operator_a_, op_a_, "北海道と北陸の12校で探究学習を実施した。\n\n地域企業との連携が定着した。", true));
  // B consents, but its file names a registered user's e-mail: kept out of public/, with a warning.
  ASSERT_OK(submit(operator_b_, op_b_, "東海の製造業と連携した。", true, "連絡先 b@operator.example"));
  ASSERT_OK(submit(operator_c_, op_c_, "近畿の概要（受理前）。", true));
  ASSERT_OK(review_final_report(tx(), principal(secretariat_), op_a_, FinalReportDecision::kAccept, "", now_));
  ASSERT_OK(review_final_report(tx(), principal(secretariat_), op_b_, FinalReportDecision::kAccept, "", now_));
  // Only 様式1 and the generated chapter of the blocks' results.
  ASSERT_OK(tx().exec("UPDATE package_chapters SET included = 0 WHERE kind = 'generated' AND source <> 'final_reports'"));
  ASSERT_OK(tx().exec(
      "UPDATE package_chapters SET markdown = '## 事業の目的\n\n目的。\n\n## 事業の内容\n\n内容。\n\n## 事業の成果\n\n成果。\n\n## 今後の課題\n\n課題。\n' "
      "WHERE source = 'form1'"));
  ASSERT_OK(tx().commit());
  tx_.reset();
  auth::Principal secretariat;
  secretariat.roles.insert(auth::Role::kSecretariat);
  BuildOptions options;
  options.out_dir = dir_.path() / "out";
  options.form1 = *parse_form1_config(form1_default_config());
  options.measure_form1 = false;
  auto summary = build_package(*database_, secretariat, options, now_);
  ASSERT_OK(summary);
  EXPECT_EQ(summary->final_reports, 2);
  EXPECT_EQ(summary->public_final_reports, 1);
  const fs::path out = dir_.path() / "out";
  std::vector<std::string> nonpublic, published;
  for (const auto& e : fs::directory_iterator(out / "non-public/成果報告書")) nonpublic.push_back(e.path().filename().string());
  for (const auto& e : fs::directory_iterator(out / "public/成果報告書")) published.push_back(e.path().filename().string());
  std::ranges::sort(nonpublic);
  EXPECT_EQ(nonpublic, (std::vector<std::string>{"成果報告書_北海道・北陸_株式会社みらい産学連携.pdf",
                                                 "成果報告書_東海_一般社団法人まなびブリッジ.pdf"}));
  EXPECT_EQ(published, std::vector<std::string>{"成果報告書_北海道・北陸_株式会社みらい産学連携.pdf"});
  ASSERT_EQ(summary->warnings.size(), 2u);  // 様式1 not approved; B's file held back
  EXPECT_NE(summary->warnings[1].find("「一般社団法人まなびブリッジ」の成果報告書は公開の検査で問題が見つかったため、非公開にだけ入れました"),
            std::string::npos)
      << summary->warnings[1];
  EXPECT_NE(summary->warnings[1].find("[成果報告書/成果報告書_東海_一般社団法人まなびブリッジ.pdf|pii.email|"), std::string::npos)
      << summary->warnings[1];
  // The summaries make the chapter of the blocks' results; C's (not accepted) does not appear.
  std::ifstream in(out / "non-public/未来の教室 実証事業 成果報告書.html");
  std::stringstream html;
  html << in.rdbuf();
  EXPECT_NE(html.str().find("ブロック別の成果"), std::string::npos);
  EXPECT_NE(html.str().find("北海道と北陸の12校で探究学習を実施した。"), std::string::npos);
  EXPECT_NE(html.str().find("東海の製造業と連携した。"), std::string::npos);
  EXPECT_EQ(html.str().find("近畿の概要（受理前）。"), std::string::npos);
}

}  // namespace
}  // namespace kakehashi::package
