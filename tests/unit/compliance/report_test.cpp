// The compliance report (別紙): the items 2)–17) from the data file, the mandatory reason for
// 未実施 and 該当なし, the evidence Kakehashi provides, and the document it renders to.
#include <gtest/gtest.h>

#include "compliance/report.h"
#include "docs/markdown.h"
#include "support/result.h"

namespace kakehashi::compliance {
namespace {

std::vector<ItemAnswer> all_done() {
  std::vector<ItemAnswer> answers;
  for (int n = 2; n <= 17; ++n) answers.push_back({n, ItemStatus::kDone, "規程に従って実施した。", {}});
  return answers;
}

TEST(ComplianceReportTest, TheItemsAreTwoToSeventeenWithTheSpecificationsTexts) {
  const auto& items = report_items();
  ASSERT_EQ(items.size(), 16u);
  EXPECT_EQ(items.front().number, 2);
  EXPECT_EQ(items.back().number, 17);
  EXPECT_TRUE(items[2].text.starts_with("本業務に従事する者を限定する。")) << items[2].text;  // 4)
  EXPECT_NE(items.back().text.find("安全なウェブサイトの作り方"), std::string::npos);
  EXPECT_EQ(items.back().text.find("<p>"), std::string::npos);  // the specification's HTML marks are gone
  // Kakehashi's own evidence: the audit log and the software ledger for 10).
  const ReportItem& ten = items[8];
  ASSERT_EQ(ten.number, 10);
  ASSERT_EQ(ten.automatic.size(), 2u);
  EXPECT_EQ(ten.automatic[0].href, "/admin/audit");
  EXPECT_EQ(ten.automatic[1].href, "/compliance/ledger");
}

TEST(ComplianceReportTest, NotDoneAndNotApplicableNeedAReasonAndDoneNeedsWhatWasDone) {
  EXPECT_TRUE(check_answers(all_done()).empty());
  auto answers = all_done();
  answers[10] = {12, ItemStatus::kNotApplicable, "  ", {}};  // 12) cloud services: none used, but no reason
  answers[3] = {5, ItemStatus::kNotDone, "", {}};
  answers[0] = {2, ItemStatus::kDone, "", {}};
  answers.pop_back();  // 17) unanswered
  auto errors = check_answers(answers);
  std::vector<std::string> messages;
  for (const auto& e : errors) messages.push_back(e.message);
  EXPECT_EQ(messages, (std::vector<std::string>{"2) の実施内容を入力してください", "5) は「未実施」のため、理由を入力してください",
                                                "12) は「該当なし」のため、理由を入力してください",
                                                "17) の実施状況を選んでください"}));
  answers.push_back({18, ItemStatus::kDone, "x", {}});
  EXPECT_EQ(check_answers(answers).front().message, "18) は報告事項にありません");
}

TEST(ComplianceReportTest, RendersThroughTheDocumentEngineAndAsATable) {
  auto answers = all_done();
  answers[10] = {12, ItemStatus::kNotApplicable, "定型約款のみで利用できるクラウドサービスは使っていない。", {}};
  std::string md = report_markdown({"2026-04-01", "令和8年度「未来の教室」産学連携事業", "2026-04-01", "2026-09-30"}, answers);
  ASSERT_OK_AND_ASSIGN(docs::Document document, docs::parse_markdown(md));
  EXPECT_NE(md.find("| 12) | 本業務を実施するに当たり、民間事業者等が"), std::string::npos);
  EXPECT_NE(md.find("### 情報セキュリティに関する事項 12)（該当なし）"), std::string::npos);
  EXPECT_NE(md.find("- 監査ログ（/admin/audit）"), std::string::npos);
  docs::DataTable table = report_table(answers);
  ASSERT_EQ(table.rows.size(), 16u);
  EXPECT_EQ(table.rows[10][2].text, "該当なし");
  EXPECT_EQ(table.rows[10][3].text, "定型約款のみで利用できるクラウドサービスは使っていない。");
}

}  // namespace
}  // namespace kakehashi::compliance
