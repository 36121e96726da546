// The call store's business rules on a real, migrated SQLite database: settings, frozen
// criteria, applications and receipts, reopening, attachments, conflicts, assignment, reviews,
// the committee's decision, approval, publication with notifications, and the audit trail.
#include "call/service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "notify/service.h"
#include "support/result.h"
#include "unit/call/fixture.h"

using ::kakehashi::testing::ExpectError;
using ::kakehashi::testing::ExpectErrorCode;
using ::kakehashi::testing::ExpectErrorContaining;

namespace kakehashi::call::testing {
namespace {

// The user's notifications titled `title`, newest first (other hand-offs, such as the receipt,
// also notify the same people).
std::vector<notify::Notification> titled(db::Transaction& tx, std::int64_t user, std::string_view title) {
  auto all = notify::notifications(tx, user, 50);
  EXPECT_TRUE(all);
  if (!all) return {};
  std::erase_if(*all, [&](const notify::Notification& n) { return n.title != title; });
  return *all;
}

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class CallStoreTest : public CallFixture {};

// ---- settings

TEST_F(CallStoreTest, DefaultSettingsAreValid) {
  CallSettings s = settings();
  EXPECT_EQ(s.award_min, 15'000'000);
  EXPECT_EQ(s.award_max, 25'000'000);
  EXPECT_EQ(s.budget_total, 210'000'000);
  EXPECT_EQ(s.reviewers_per_application, 3);
  EXPECT_TRUE(validate(s).empty());
}

TEST_F(CallStoreTest, SettingsProblemsAreListedInJapanese) {
  CallSettings s = settings();
  s.title = "　";
  s.closes_at = s.opens_at;
  s.award_min = 30'000'000;
  s.blocks = {"hokkaido", "atlantis"};
  s.budget_total = 50'000'000;
  s.reviewers_per_application = 0;
  s.max_load = 201;
  EXPECT_THAT(validate(s), ElementsAre("公募名を入力してください", "締切日時は受付開始日時より後にしてください",
                                       "交付額の上限は下限以上にしてください", "対象ブロックが正しくありません: atlantis",
                                       "予算上限 50,000,000円 では全 2 ブロックに下限額 30,000,000円 を交付できません",
                                       "1 件あたりの審査委員数は 1〜10 人にしてください",
                                       "審査委員 1 人あたりの上限件数は 1〜200 件にしてください"));
  s = settings();
  s.blocks.clear();
  EXPECT_THAT(validate(s), ElementsAre("対象ブロックを 1 つ以上選んでください"));
  // create_call refuses with the first problem and stores nothing.
  s.title = "";
  auto created = create_call(tx(), s, by(secretariat_), now_);
  ASSERT_FALSE(created);
  ExpectError(created, ErrorCode::kInvalidArgument, "公募名を入力してください");
  EXPECT_EQ(count("SELECT COUNT(*) FROM calls"), 0);
}

TEST_F(CallStoreTest, CriteriaChangeBeforeOpeningAndFreezeOnceOpen) {
  CallSettings s = settings();
  s.opens_at = now_ + days{7};
  s.closes_at = now_ + days{37};
  ASSERT_OK_AND_ASSIGN(auto id, create_call(tx(), s, by(secretariat_), now_));
  // Criterion validation.
  Criterion bad = criterion("事業計画の妥当性", 0);
  ExpectError(add_criterion(tx(), id, bad, by(secretariat_), now_), ErrorCode::kInvalidArgument,
              "配点の重みは 1〜100 の整数にしてください");
  bad = criterion("事業計画の妥当性", 10);
  bad.descriptors = {"のみ"};
  ExpectError(add_criterion(tx(), id, bad, by(secretariat_), now_), ErrorCode::kInvalidArgument,
              "評価段階は 2〜10 段階にしてください");
  bad.descriptors = {"不十分", " ", "優れている"};
  ExpectError(add_criterion(tx(), id, bad, by(secretariat_), now_), ErrorCode::kInvalidArgument,
              "評価段階 2 の説明を入力してください");
  bad = criterion("", 10);
  ExpectError(add_criterion(tx(), id, bad, by(secretariat_), now_), ErrorCode::kInvalidArgument,
              "審査項目名を入力してください");

  // Before publication and, once published, until the opening instant, criteria change.
  auto first = add_criterion(tx(), id, criterion("事業計画の妥当性", 30), by(secretariat_), now_);
  ASSERT_OK(first);
  auto second = add_criterion(tx(), id, criterion("実施体制と実績", 20), by(secretariat_), now_);
  ASSERT_TRUE(second);
  ASSERT_TRUE(delete_criterion(tx(), id, *second, by(secretariat_), now_));
  ASSERT_TRUE(publish_call(tx(), id, by(secretariat_), now_));
  EXPECT_EQ(reload(id).phase(now_), Phase::kUpcoming);
  auto third = add_criterion(tx(), id, criterion("地域との適合", 10), by(secretariat_), now_);
  ASSERT_OK(third);
  ASSERT_OK_AND_ASSIGN(auto items, criteria(tx(), id));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].name, "事業計画の妥当性");
  EXPECT_EQ(items[1].name, "地域との適合");
  EXPECT_THAT(items[0].descriptors, ElementsAre("不十分", "標準的", "優れている"));
  EXPECT_EQ(max_total(items), 30 * 3 + 10 * 3);

  // Once open, frozen: neither added nor deleted, and the award rules stay.
  Instant later = now_ + days{8};
  EXPECT_EQ(reload(id).phase(later), Phase::kOpen);
  auto added = add_criterion(tx(), id, criterion("追加項目", 5), by(secretariat_), later);
  ASSERT_FALSE(added);
  ExpectError(added, ErrorCode::kConflict, "受付開始後は審査基準を変更できません");
  ExpectError(delete_criterion(tx(), id, *first, by(secretariat_), later), ErrorCode::kConflict,
              "受付開始後は審査基準を変更できません");
  EXPECT_EQ(criteria(tx(), id)->size(), 2u);

  CallSettings changed = s;
  changed.award_min = 16'000'000;
  ExpectError(update_call(tx(), id, changed, by(secretariat_), later), ErrorCode::kConflict,
              "受付開始後は公募名・受付開始日時・対象ブロック・交付額・予算・最低合計点を変更できません");
  changed = s;
  changed.closes_at = s.closes_at - days{1};
  ExpectError(update_call(tx(), id, changed, by(secretariat_), later), ErrorCode::kConflict,
              "受付開始後は締切を早めることはできません（延長のみ可能です）");
  // Extending the deadline and the review settings stay possible.
  changed = s;
  changed.closes_at = s.closes_at + days{7};
  changed.reviewers_per_application = 2;
  ASSERT_TRUE(update_call(tx(), id, changed, by(secretariat_), later));
  EXPECT_EQ(reload(id).closes_at, s.closes_at + days{7});
  EXPECT_EQ(reload(id).reviewers_per_application, 2);
  EXPECT_EQ(audit_count("call.criterion_add", fmt::format("call:{}", id)), 3);
  EXPECT_EQ(audit_count("call.criterion_delete", fmt::format("call:{}", id)), 1);
  EXPECT_EQ(audit_count("call.update", fmt::format("call:{}", id)), 1);
}

TEST_F(CallStoreTest, PublishingNeedsCriteria) {
  ASSERT_OK_AND_ASSIGN(auto id, create_call(tx(), settings(), by(secretariat_), now_));
  auto refused = publish_call(tx(), id, by(secretariat_), now_);
  ASSERT_FALSE(refused);
  ExpectError(refused, ErrorCode::kInvalidArgument, "審査基準を 1 つ以上登録してから公開してください");
  EXPECT_FALSE(reload(id).published);
  // Unpublished calls take no applications.
  ExpectError(start_application(tx(), reload(id), org_a_, by(operator_a_), now_), ErrorCode::kConflict,
              "この公募は現在受け付けていません");
  ASSERT_TRUE(add_criterion(tx(), id, criterion("事業計画の妥当性", 30), by(secretariat_), now_));
  ASSERT_TRUE(publish_call(tx(), id, by(secretariat_), now_));
  EXPECT_TRUE(reload(id).published);
  EXPECT_EQ(reload(id).phase(now_), Phase::kOpen);
  ExpectError(publish_call(tx(), id, by(secretariat_), now_), ErrorCode::kConflict, "この公募はすでに公開されています");
  EXPECT_EQ(audit_count("call.create", fmt::format("call:{}", id)), 1);
  EXPECT_EQ(audit_count("call.publish", fmt::format("call:{}", id)), 1);
  // The audit entry names the secretariat user who published.
  ASSERT_OK_AND_ASSIGN(auto entries, audit::recent(tx(), 1, 0));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].entry.action, "call.publish");
  EXPECT_EQ(entries[0].entry.actor_user_id, secretariat_);
}

// ---- applications

TEST_F(CallStoreTest, DraftValidationNamesBlockAndRange) {
  Call call = open_call();
  ApplicationForm f;
  f.blocks = {{"hokkaido", 10'000'000}, {"okinawa", 20'000'000}, {"kanto", 0}};
  f.contact_email = "tanto@";
  f.contact_phone = "０３−１２３４";
  f.topics = {"pbl", "astrology"};
  EXPECT_THAT(validate_draft(f, call),
              ElementsAre("担当者メールアドレスの形式が正しくありません（例: tanto@example.jp）",
                          "担当者電話番号は半角の数字とハイフンで入力してください（例: 03-1234-5678）",
                          "テーマが正しくありません: astrology",
                          "北海道ブロックの申請額 10,000,000円 は交付額の範囲（15,000,000円〜25,000,000円）の外です",
                          "この公募の対象ではないブロックです: 沖縄ブロック"));
  f = ApplicationForm{};
  f.blocks = {{"tohoku", 25'000'001}};
  EXPECT_THAT(validate_draft(f, call),
              ElementsAre("東北ブロックの申請額 25,000,001円 は交付額の範囲（15,000,000円〜25,000,000円）の外です"));
  f.blocks = {{"tohoku", 25'000'000}, {"kanto", 15'000'000}};
  f.plan_pbl = std::string(4001, 'a');
  EXPECT_THAT(validate_draft(f, call), ElementsAre("PBL の計画は 4000 文字以内で入力してください（現在 4001 文字）"));

  // A draft that fails validation is not saved.
  ASSERT_OK_AND_ASSIGN(auto id, start_application(tx(), call, org_a_, by(operator_a_), now_));
  auto saved = save_application(tx(), id, f, call, by(operator_a_), now_);
  ASSERT_FALSE(saved);
  ExpectError(saved, ErrorCode::kInvalidArgument, "PBL の計画は 4000 文字以内で入力してください（現在 4001 文字）");
  EXPECT_TRUE((*find_application(tx(), id))->blocks.empty());
  // An incomplete but valid draft saves as you go.
  f.plan_pbl = "途中まで";
  ASSERT_TRUE(save_application(tx(), id, f, call, by(operator_a_), now_));
  ASSERT_OK_AND_ASSIGN(auto stored_found, find_application(tx(), id));
  ASSERT_TRUE(stored_found.has_value());
  auto stored = *std::move(stored_found);
  EXPECT_EQ(stored.plan_pbl, "途中まで");
  EXPECT_EQ(stored.requested_total(), 40'000'000);
  EXPECT_TRUE(stored.applies_to("kanto"));
  EXPECT_FALSE(stored.applies_to("hokkaido"));
  // Starting again returns the same draft: one application per organisation and call.
  EXPECT_EQ(*start_application(tx(), call, org_a_, by(operator_a_), now_), id);
}

TEST_F(CallStoreTest, SubmissionProblemsListEverythingMissingInFormOrder) {
  Call call = open_call();
  EXPECT_THAT(submission_problems(ApplicationForm{}, call, 0, now_),
              ElementsAre("団体の概要を入力してください", "代表者氏名を入力してください", "担当者氏名を入力してください",
                          "担当者メールアドレスを入力してください", "担当者電話番号を入力してください",
                          "実績（コーディネート・マッチング・地域コミュニティ形成）のいずれかを選んでください",
                          "申請するブロックを 1 つ以上選んでください", "事業計画（ヒト・モノ・カネ）を入力してください",
                          "PBL の計画を入力してください", "継続性を入力してください", "自走化を入力してください",
                          "地域の人材ニーズ・2040年の産業構造推計との適合を入力してください", "事業のテーマを 1 つ以上選んでください",
                          "事業計画書（PDF）を添付してください"));
  ApplicationForm f = complete_form({{"hokkaido", 20'000'000}}, {"pbl"});
  EXPECT_TRUE(submission_problems(f, call, 1, now_).empty());
  f.blocks.push_back({"tohoku", 0});
  EXPECT_THAT(submission_problems(f, call, 1, now_), ElementsAre("東北ブロックの申請額を入力してください"));
  f.blocks.pop_back();
  EXPECT_THAT(submission_problems(f, call, 1, call.closes_at), ElementsAre("締切を過ぎているため提出できません"));
}

TEST_F(CallStoreTest, SubmissionGivesSequentialReceiptsAndLocksTheApplication) {
  Call call = open_call();
  auto a = ready_application(call, org_a_, operator_a_, {{"hokkaido", 20'000'000}, {"tohoku", 18'000'000}});
  auto b = ready_application(call, org_b_, operator_b_, {{"tohoku", 22'000'000}});
  auto receipt_a = submit_application(tx(), a, call, by(operator_a_), now_);
  ASSERT_OK(receipt_a);
  EXPECT_EQ(*receipt_a, "KK01-0001");
  auto receipt_b = submit_application(tx(), b, call, by(operator_b_), now_ + minutes{5});
  ASSERT_TRUE(receipt_b);
  EXPECT_EQ(*receipt_b, "KK01-0002");
  ASSERT_OK_AND_ASSIGN(auto stored_found, find_application(tx(), a));
  ASSERT_TRUE(stored_found.has_value());
  auto stored = *std::move(stored_found);
  EXPECT_TRUE(stored.submitted);
  EXPECT_EQ(stored.receipt_number, "KK01-0001");
  EXPECT_EQ(stored.submitted_at, "2026-12-01T01:00:00Z");

  // Submitted: no change, no second submission, no attachment change.
  auto saved = save_application(tx(), a, complete_form({{"hokkaido", 25'000'000}}, {"pbl"}), call, by(operator_a_), now_);
  ASSERT_FALSE(saved);
  ExpectError(saved, ErrorCode::kConflict, "提出済みの申請は変更できません。変更が必要な場合は事務局にご連絡ください");
  EXPECT_EQ((**find_application(tx(), a)).requested_total(), 38'000'000);
  ExpectError(submit_application(tx(), a, call, by(operator_a_), now_), ErrorCode::kConflict,
              "この申請はすでに提出されています");
  ExpectError(add_attachment(tx(), a, upload("more.pdf", kPdf), by(operator_a_), now_), ErrorCode::kConflict,
              "提出済みの申請には添付できません");
  ASSERT_OK_AND_ASSIGN(auto files, attachments(tx(), a));
  ASSERT_EQ(files.size(), 1u);
  ExpectError(delete_attachment(tx(), a, files[0].id, by(operator_a_), now_), ErrorCode::kConflict,
              "提出済みの申請の添付は削除できません");

  // Submitted applications are what review and selection see.
  ASSERT_OK_AND_ASSIGN(auto submitted, list_applications(tx(), call.id, true));
  ASSERT_EQ(submitted.size(), 2u);
  EXPECT_EQ(submitted[0].receipt_number, "KK01-0001");
  EXPECT_EQ(submitted[0].organisation_name, "株式会社みらい産学連携");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'application.submit' AND object = ? AND "
                  "detail = '{\"receipt\":\"KK01-0001\"}'",
                  {fmt::format("application:{}", a)}),
            1);
}

TEST_F(CallStoreTest, SubmissionAfterTheDeadlineIsRefused) {
  Call call = open_call();
  auto a = ready_application(call, org_a_, operator_a_, {{"hokkaido", 20'000'000}});
  auto late = submit_application(tx(), a, call, by(operator_a_), call.closes_at);
  ASSERT_FALSE(late);
  ExpectError(late, ErrorCode::kInvalidArgument, "締切を過ぎているため提出できません");
  ExpectError(save_application(tx(), a, complete_form({{"hokkaido", 21'000'000}}, {"pbl"}), call, by(operator_a_),
                               call.closes_at + hours{1}),
              ErrorCode::kConflict, "締切を過ぎているため保存できません");
}

TEST_F(CallStoreTest, ReopeningNeedsAReasonAndResubmissionKeepsTheReceipt) {
  Call call = open_call();
  auto a = submitted_application(call, org_a_, operator_a_, {{"hokkaido", 20'000'000}});
  ExpectError(reopen_application(tx(), a, "  ", by(secretariat_), now_), ErrorCode::kInvalidArgument,
              "差し戻しの理由を入力してください");
  EXPECT_TRUE((**find_application(tx(), a)).submitted);
  ASSERT_TRUE(reopen_application(tx(), a, "申請額の内訳を添付してください", by(secretariat_), now_));
  ASSERT_OK_AND_ASSIGN(auto reopened_found, find_application(tx(), a));
  ASSERT_TRUE(reopened_found.has_value());
  auto reopened = *std::move(reopened_found);
  EXPECT_FALSE(reopened.submitted);
  EXPECT_EQ(reopened.reopened_reason, "申請額の内訳を添付してください");
  EXPECT_EQ(reopened.receipt_number, "KK01-0001");
  ExpectError(reopen_application(tx(), a, "再度", by(secretariat_), now_), ErrorCode::kConflict,
              "この申請は提出されていないため差し戻せません");
  // The reason may name people: the audit keeps its length only.
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'application.reopen' AND object = ? AND actor = ? AND "
                  "detail = '{\"reason_chars\":15}'",
                  {fmt::format("application:{}", a), fmt::format("user:{}", secretariat_)}),
            1);

  // Another organisation submits meanwhile and gets the next number.
  auto b = submitted_application(call, org_b_, operator_b_, {{"tohoku", 22'000'000}});
  EXPECT_EQ((**find_application(tx(), b)).receipt_number, "KK01-0002");
  // The operator corrects (even after the deadline, since the secretariat gave it back) and resubmits.
  Instant after_deadline = call.closes_at + days{1};
  ASSERT_TRUE(save_application(tx(), a, complete_form({{"hokkaido", 21'000'000}}, {"pbl"}), call, by(operator_a_),
                               after_deadline));
  ASSERT_TRUE(add_attachment(tx(), a, upload("breakdown.pdf", kPdf), by(operator_a_), after_deadline));
  auto again = submit_application(tx(), a, call, by(operator_a_), after_deadline);
  ASSERT_OK(again);
  EXPECT_EQ(*again, "KK01-0001");
  EXPECT_EQ((**find_application(tx(), a)).requested_total(), 21'000'000);
  // A third organisation still gets KK01-0003 (no number reused).
  auto c = ready_application(call, org_c_, operator_c_, {{"kanto", 25'000'000}});
  EXPECT_EQ(*submit_application(tx(), c, call, by(operator_c_), now_), "KK01-0003");
}

TEST_F(CallStoreTest, ReopeningIsRefusedOnceAReviewIsSubmitted) {
  Call call = open_call();
  auto a = submitted_application(call, org_a_, operator_a_, {{"hokkaido", 20'000'000}});
  everyone_declared(call);
  ASSERT_TRUE(assign(tx(), a, reviewers_[0], true, by(secretariat_), now_));
  submit_scores(call, a, reviewers_[0], 2);
  auto refused = reopen_application(tx(), a, "内容の確認のため", by(secretariat_), now_);
  ASSERT_FALSE(refused);
  ExpectError(refused, ErrorCode::kConflict, "審査結果が提出済みのため差し戻せません");
  EXPECT_TRUE((**find_application(tx(), a)).submitted);
}

TEST_F(CallStoreTest, AttachmentsMustBePdfByContentAndWithinLimits) {
  Call call = open_call();
  ASSERT_OK_AND_ASSIGN(auto a, start_application(tx(), call, org_a_, by(operator_a_), now_));
  // A file named .pdf that is not one.
  auto fake = add_attachment(tx(), a, upload("plan.pdf", "PK\x03\x04 this is a zip"), by(operator_a_), now_);
  ASSERT_FALSE(fake);
  ExpectError(fake, ErrorCode::kInvalidArgument,
              "添付できるのは PDF ファイルのみです（ファイルの中身が PDF ではありません）");
  std::string big = "%PDF-1.7\n" + std::string(std::size_t(kAttachmentLimit), ' ');
  ExpectError(add_attachment(tx(), a, upload("big.pdf", big), by(operator_a_), now_), ErrorCode::kInvalidArgument,
              "添付ファイルは 10 MB 以下にしてください");
  // Exactly at the limit is accepted.
  std::string at_limit = "%PDF-" + std::string(std::size_t(kAttachmentLimit) - 5, ' ');
  auto first = add_attachment(tx(), a, upload("limit.pdf", at_limit), by(operator_a_), now_);
  ASSERT_OK(first);
  for (int i = 1; i < kAttachmentsPerApplication; ++i) {
    ASSERT_TRUE(add_attachment(tx(), a, upload(fmt::format("p{}.pdf", i), kPdf), by(operator_a_), now_));
  }
  ExpectError(add_attachment(tx(), a, upload("eleventh.pdf", kPdf), by(operator_a_), now_),
              ErrorCode::kInvalidArgument, "添付ファイルは 10 件までです");
  {
    // The same file again is recognised by its hash, under its own name or another.
    ASSERT_OK_AND_ASSIGN(auto c, start_application(tx(), call, org_c_, by(operator_c_), now_));
    InspectedAttachment plan = upload("plan.pdf", kPdf);
    plan.sha256 = "5f1d7a";
    ASSERT_OK(add_attachment(tx(), c, plan, by(operator_c_), now_));
    ExpectError(add_attachment(tx(), c, plan, by(operator_c_), now_), ErrorCode::kInvalidArgument,
                "「plan.pdf」はすでに添付されています（同じファイルです）");
    InspectedAttachment renamed = plan;
    renamed.file_name = "plan (1).pdf";
    ExpectError(add_attachment(tx(), c, renamed, by(operator_c_), now_), ErrorCode::kInvalidArgument,
                "「plan (1).pdf」は、すでに添付されている「plan.pdf」と同じファイルです");
    EXPECT_EQ(attachments(tx(), c)->size(), 1u);
  }
  ASSERT_OK_AND_ASSIGN(auto files, attachments(tx(), a));
  ASSERT_EQ(files.size(), 10u);
  EXPECT_EQ(files[0].file_name, "limit.pdf");
  EXPECT_EQ(files[0].size, kAttachmentLimit);
  ASSERT_OK_AND_ASSIGN(auto stored, attachment_file(tx(), a, files[1].id, AttachmentCopy::kOriginal));
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->bytes, kPdf);
  EXPECT_EQ(stored->content_type, "application/pdf");
  // Reviewers' copy is the disarmed one (R8.4).
  auto disarmed = *attachment_file(tx(), a, files[1].id, AttachmentCopy::kDisarmed);
  ASSERT_TRUE(disarmed);
  EXPECT_EQ(disarmed->bytes, kPdf + "%disarmed\n");
  // A file stored before attachments were disarmed has no copy for reviewers: none is made up.
  ASSERT_TRUE(tx().exec("UPDATE application_attachments SET disarmed = NULL WHERE id = ?", {files[2].id}));
  EXPECT_FALSE(*attachment_file(tx(), a, files[2].id, AttachmentCopy::kDisarmed));
  EXPECT_TRUE(*attachment_file(tx(), a, files[2].id, AttachmentCopy::kOriginal));
  // An attachment is reached only through its own application.
  ASSERT_OK_AND_ASSIGN(auto b, start_application(tx(), call, org_b_, by(operator_b_), now_));
  // An attachment without its disarmed copy is never stored.
  auto undisarmed = upload("raw.pdf", kPdf);
  undisarmed.disarmed.clear();
  EXPECT_FALSE(add_attachment(tx(), b, undisarmed, by(operator_b_), now_));
  EXPECT_TRUE(attachments(tx(), b)->empty());
  EXPECT_FALSE(*attachment_file(tx(), b, files[1].id, AttachmentCopy::kOriginal));
  ExpectError(delete_attachment(tx(), b, files[1].id, by(operator_b_), now_), ErrorCode::kNotFound,
              "添付ファイルが見つかりません");
  ASSERT_TRUE(delete_attachment(tx(), a, files[1].id, by(operator_a_), now_));
  EXPECT_EQ(attachments(tx(), a)->size(), 9u);
  EXPECT_EQ(audit_count("application.attach", fmt::format("application:{}", a)), 10);
  EXPECT_EQ(audit_count("application.detach", fmt::format("application:{}", a)), 1);
}

// ---- conflicts and assignment

TEST_F(CallStoreTest, DeclaringAConflictRemovesTheAssignmentAndDraftReview) {
  Call call = open_call();
  auto a = submitted_application(call, org_a_, operator_a_, {{"hokkaido", 20'000'000}});
  std::int64_t r1 = reviewers_[0];
  everyone_declared(call);  // "no conflict" first, so r1 is assignable
  ASSERT_TRUE(assign(tx(), a, r1, false, by(secretariat_), now_));
  ASSERT_TRUE(save_review(tx(), call, a, r1, {{criteria_[0], {2, "途中"}}}, "", by(r1), now_));
  ExpectError(declare(tx(), call.id, {r1, org_a_, true, " "}, by(r1), now_), ErrorCode::kInvalidArgument,
              "利害関係がある場合は、その内容を入力してください");
  EXPECT_TRUE(*is_assigned(tx(), a, r1));
  std::int64_t stranger = organisation("申請していない団体", "operator");
  ExpectError(declare(tx(), call.id, {r1, stranger, true, "理事"}, by(r1), now_), ErrorCode::kNotFound,
              "この公募に申請した団体ではありません");

  ASSERT_TRUE(declare(tx(), call.id, {r1, org_a_, true, "理事を兼務しています"}, by(r1), now_));
  EXPECT_FALSE(*is_assigned(tx(), a, r1));
  EXPECT_FALSE(*find_review(tx(), a, r1));
  EXPECT_TRUE(*in_conflict(tx(), a, r1));
  ASSERT_OK_AND_ASSIGN(auto declared, declarations(tx(), call.id));
  ASSERT_EQ(declared.size(), reviewers_.size()) << "one declaration per reviewer and organisation";
  auto r1_said = std::find_if(declared.begin(), declared.end(), [&](const Declaration& d) { return d.reviewer_id == r1; });
  ASSERT_NE(r1_said, declared.end());
  EXPECT_TRUE(r1_said->conflict);
  EXPECT_EQ(r1_said->note, "理事を兼務しています");
  // A conflicted pair cannot be assigned by hand either.
  auto refused = assign(tx(), a, r1, true, by(secretariat_), now_);
  ASSERT_FALSE(refused);
  ExpectError(refused, ErrorCode::kConflict,
              "この審査委員はこの申請者との利害関係を申告しているため割り当てられません");
  // Clearing the declaration makes the pair possible again.
  ASSERT_TRUE(declare(tx(), call.id, {r1, org_a_, false, ""}, by(r1), now_));
  EXPECT_FALSE(*in_conflict(tx(), a, r1));
  ASSERT_TRUE(assign(tx(), a, r1, true, by(secretariat_), now_));
  EXPECT_EQ(audit_count("review.declare", fmt::format("call:{}", call.id)), std::int64_t(reviewers_.size()) + 2);
}

TEST_F(CallStoreTest, AConflictCannotBeDeclaredAfterSubmittingTheReview) {
  Call call = open_call();
  auto a = submitted_application(call, org_a_, operator_a_, {{"hokkaido", 20'000'000}});
  std::int64_t r1 = reviewers_[0];
  everyone_declared(call);
  ASSERT_TRUE(assign(tx(), a, r1, false, by(secretariat_), now_));
  submit_scores(call, a, r1, 3);
  auto refused = declare(tx(), call.id, {r1, org_a_, true, "後から気づいた"}, by(r1), now_);
  ASSERT_FALSE(refused);
  ExpectError(refused, ErrorCode::kConflict, "審査結果を提出済みの申請です。事務局に連絡してください");
  EXPECT_TRUE(*is_assigned(tx(), a, r1));
  EXPECT_TRUE((*find_review(tx(), a, r1))->submitted);
  EXPECT_FALSE(*in_conflict(tx(), a, r1));
}

TEST_F(CallStoreTest, HandAssignmentNeedsAReviewerAndASubmittedApplication) {
  Call call = open_call();
  auto draft = ready_application(call, org_a_, operator_a_, {{"hokkaido", 20'000'000}});
  ExpectError(assign(tx(), draft, reviewers_[0], true, by(secretariat_), now_), ErrorCode::kNotFound,
              "提出済みの申請が見つかりません");
  ASSERT_TRUE(submit_application(tx(), draft, call, by(operator_a_), now_));
  ExpectError(assign(tx(), draft, operator_b_, true, by(secretariat_), now_), ErrorCode::kInvalidArgument,
              "審査委員ではないユーザーです");
  ExpectError(unassign(tx(), draft, reviewers_[0], by(secretariat_), now_), ErrorCode::kNotFound,
              "割り当てが見つかりません");
  // A reviewer who has not declared on every application of the call is not assignable.
  ExpectError(assign(tx(), draft, reviewers_[0], true, by(secretariat_), now_), ErrorCode::kConflict,
              "審査 1郎さんは、この公募の申請のうち 1 件について利害関係を申告していないため割り当てられません。申告を依頼してください");
  everyone_declared(call);
  EXPECT_OK(assign(tx(), draft, reviewers_[0], true, by(secretariat_), now_));
}

TEST_F(CallStoreTest, OnlyReviewersWhoDeclaredOnEveryApplicationAreAssigned) {
  CallSettings s = settings();
  s.reviewers_per_application = 1;
  Call call = open_call(s);
  auto a = submitted_application(call, org_a_, operator_a_, {{"hokkaido", 20'000'000}});
  auto b = submitted_application(call, org_b_, operator_b_, {{"tohoku", 22'000'000}});
  // Nobody has declared: nothing to assign, and the message names who has not.
  auto none = auto_assign(tx(), call, by(secretariat_), now_);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().message,
            "すべての申請について利害関係を申告した審査委員がいないため、割り当てられません。申告が済んでいない審査委員: "
            "審査 1郎（未申告 2 件）、審査 2郎（未申告 2 件）、審査 3郎（未申告 2 件）、審査 4郎（未申告 2 件）、審査 5郎（未申告 2 件）");
  // r1 declared on both, r2 on A only: only r1 is assignable, and takes both applications.
  for (std::int64_t org : {org_a_, org_b_}) ASSERT_OK(declare(tx(), call.id, {reviewers_[0], org, false, ""}, by(reviewers_[0]), now_));
  ASSERT_OK(declare(tx(), call.id, {reviewers_[1], org_a_, false, ""}, by(reviewers_[1]), now_));
  ASSERT_OK_AND_ASSIGN(auto undeclared, undeclared_reviewers(tx(), call.id));
  ASSERT_EQ(undeclared.size(), 4u);
  EXPECT_EQ(undeclared[0].reviewer_id, reviewers_[1]);
  EXPECT_EQ(undeclared[0].missing, 1);
  ASSERT_OK(auto_assign(tx(), call, by(secretariat_), now_));
  ASSERT_OK_AND_ASSIGN(auto pairs, assignments(tx(), call.id));
  ASSERT_EQ(pairs.size(), 2u);
  for (const auto& p : pairs) EXPECT_EQ(p.reviewer_id, reviewers_[0]);
  (void)a;
  (void)b;
}

TEST_F(CallStoreTest, BalancedAssignmentEvensTheLoadsBeforeExpertise) {
  CallSettings s = settings();
  s.reviewers_per_application = 1;
  s.max_load = 3;
  Call call = open_call(s);
  // Three applications on one topic that only r1 knows; five reviewers.
  for (auto [org, author, block] : {std::tuple{org_a_, operator_a_, "hokkaido"}, std::tuple{org_b_, operator_b_, "tohoku"},
                                    std::tuple{org_c_, operator_c_, "kanto"}})
    submitted_application(call, org, author, {{block, 20'000'000}}, {"pbl"});
  ASSERT_OK(set_expertise(tx(), reviewers_[0], {"pbl"}, by(reviewers_[0]), now_));
  everyone_declared(call);
  auto loads = [&] {
    std::map<std::int64_t, int> out;
    auto pairs = assignments(tx(), call.id);
    EXPECT_OK(pairs);
    for (const auto& p : pairs.value_or(std::vector<AssignedPair>{})) ++out[p.reviewer_id];
    return out;
  };
  // Expertise first: r1 takes all three.
  ASSERT_OK_AND_ASSIGN(int cost, auto_assign(tx(), call, by(secretariat_), now_));
  EXPECT_EQ(cost, 0);
  EXPECT_EQ(loads(), (std::map<std::int64_t, int>{{reviewers_[0], 3}}));
  // Balance first: nobody more than one, and r1 still takes one of them.
  CallSettings changed = reload(call.id);
  changed.balance_loads = true;
  ASSERT_OK(update_call(tx(), call.id, changed, by(secretariat_), now_));
  ASSERT_OK_AND_ASSIGN(cost, auto_assign(tx(), reload(call.id), by(secretariat_), now_));
  EXPECT_EQ(cost, 2);
  auto balanced = loads();
  EXPECT_EQ(balanced.size(), 3u);
  for (const auto& [reviewer, load] : balanced) EXPECT_EQ(load, 1);
  EXPECT_EQ(balanced.count(reviewers_[0]), 1u);
  EXPECT_TRUE(reload(call.id).balance_loads);
}

TEST_F(CallStoreTest, AutoAssignKeepsLockedAndSubmittedPairsNeverAConflictAndReplacesTheRest) {
  CallSettings s = settings();
  s.reviewers_per_application = 2;
  s.max_load = 2;
  Call call = open_call(s);
  auto a = submitted_application(call, org_a_, operator_a_, {{"hokkaido", 20'000'000}}, {"pbl"});
  auto b = submitted_application(call, org_b_, operator_b_, {{"tohoku", 22'000'000}}, {"career"});
  auto c = submitted_application(call, org_c_, operator_c_, {{"kanto", 25'000'000}}, {"community"});
  auto [r1, r2, r3, r4, r5] = std::tuple{reviewers_[0], reviewers_[1], reviewers_[2], reviewers_[3], reviewers_[4]};
  ASSERT_TRUE(set_expertise(tx(), r1, {"pbl"}, by(r1), now_));
  ASSERT_TRUE(set_expertise(tx(), r2, {"pbl"}, by(r2), now_));
  ASSERT_TRUE(set_expertise(tx(), r3, {"career"}, by(r3), now_));
  ASSERT_TRUE(set_expertise(tx(), r4, {"community"}, by(r4), now_));
  ExpectError(set_expertise(tx(), r5, {"alchemy"}, by(r5), now_), ErrorCode::kInvalidArgument,
              "専門分野が正しくありません: alchemy");
  // r1 would match A's topic but declared a conflict with A's organisation.
  ASSERT_TRUE(declare(tx(), call.id, {r1, org_a_, true, "役員を兼務"}, by(r1), now_));
  everyone_declared(call);
  // A hand-locked pair that the optimum alone would not choose (r4 has no "career").
  ASSERT_TRUE(assign(tx(), b, r4, true, by(secretariat_), now_));
  // An unlocked pair whose review is already submitted (r3 has no "community").
  ASSERT_TRUE(assign(tx(), c, r3, false, by(secretariat_), now_));
  submit_scores(call, c, r3, 2);
  // An unlocked pair with a draft review, which the optimum replaces.
  ASSERT_TRUE(assign(tx(), a, r4, false, by(secretariat_), now_));
  ASSERT_TRUE(save_review(tx(), call, a, r4, {{criteria_[0], {1, ""}}}, "下書き", by(r4), now_));

  auto cost = auto_assign(tx(), call, by(secretariat_), now_);
  ASSERT_OK(cost);
  // Forced: (B, r4) and (C, r3), each without a topic match. With load at most 2, the unique
  // optimum gives A {r2 (match), r5}, B {r3 (match), r4}, C {r3, r4 (match)}: 3 pairs without a match.
  EXPECT_EQ(*cost, 3);
  ASSERT_OK_AND_ASSIGN(auto assigned, assignments(tx(), call.id));
  std::set<std::tuple<std::int64_t, std::int64_t, bool>> pairs;
  for (const auto& p : assigned) pairs.insert({p.application_id, p.reviewer_id, p.locked});
  EXPECT_EQ(pairs, (std::set<std::tuple<std::int64_t, std::int64_t, bool>>{
                       {a, r2, false}, {a, r5, false}, {b, r3, false}, {b, r4, true}, {c, r3, false}, {c, r4, false}}));
  EXPECT_FALSE(*find_review(tx(), a, r4)) << "the replaced pair's draft review is gone";
  EXPECT_TRUE((*find_review(tx(), c, r3))->submitted);
  for (const auto& p : assigned) EXPECT_FALSE(*in_conflict(tx(), p.application_id, p.reviewer_id));
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'review.auto_assign' AND object = ? AND "
                  "detail = '{\"pairs\":6,\"kept\":2,\"cost\":3}'",
                  {fmt::format("call:{}", call.id)}),
            1);

  // Progress follows the assignment.
  ASSERT_OK_AND_ASSIGN(auto people, progress(tx(), call.id));
  ASSERT_EQ(people.size(), 4u);
  auto of = [&](std::int64_t id) { return *std::find_if(people.begin(), people.end(), [&](auto& p) { return p.reviewer_id == id; }); };
  EXPECT_EQ(of(r3).assigned, 2);
  EXPECT_EQ(of(r3).submitted, 1);
  // Reminders go to the four reviewers with reviews left.
  EXPECT_EQ(*remind_reviewers(tx(), call, by(secretariat_), now_), 4);
  auto note = titled(tx(), r3, "審査のお願い");
  ASSERT_EQ(note.size(), 1u);
  EXPECT_EQ(note[0].title, "審査のお願い");
  EXPECT_EQ(note[0].body, "「令和8年度 実証事業者の公募」の審査が 1 件残っています（割り当て 2 件、提出済み 1 件）。");
}

TEST_F(CallStoreTest, AutoAssignExplainsWhatIsMissing) {
  Call call = open_call();
  ExpectError(auto_assign(tx(), call, by(secretariat_), now_), ErrorCode::kInvalidArgument,
              "提出済みの申請がないため、割り当てる対象がありません");
  // Five reviewers, k = 3, but three of them declared a conflict with B.
  auto a = submitted_application(call, org_a_, operator_a_, {{"hokkaido", 20'000'000}});
  auto b = submitted_application(call, org_b_, operator_b_, {{"tohoku", 22'000'000}});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(declare(tx(), call.id, {reviewers_[std::size_t(i)], org_b_, true, "関係者"}, by(reviewers_[std::size_t(i)]), now_));
  everyone_declared(call);
  auto infeasible = auto_assign(tx(), call, by(secretariat_), now_);
  ASSERT_FALSE(infeasible);
  ExpectErrorCode(infeasible, ErrorCode::kInvalidArgument);
  ExpectErrorContaining(infeasible, ErrorCode::kInvalidArgument, "KK01-0002（一般社団法人まなびブリッジ）");
  EXPECT_TRUE(assignments(tx(), call.id)->empty());
  (void)a;
  (void)b;
}

TEST_F(CallStoreTest, AutoAssignAdviceNamesReviewersByName) {
  CallSettings s = settings();
  s.reviewers_per_application = 1;
  s.max_load = 1;
  Call call = open_call(s);
  auto a = submitted_application(call, org_a_, operator_a_, {{"hokkaido", 20'000'000}});
  auto b = submitted_application(call, org_b_, operator_b_, {{"tohoku", 22'000'000}});
  everyone_declared(call);
  // By hand the secretariat locked two applications on one reviewer, beyond the load of 1.
  ASSERT_TRUE(assign(tx(), a, reviewers_[1], true, by(secretariat_), now_));
  ASSERT_TRUE(assign(tx(), b, reviewers_[1], true, by(secretariat_), now_));
  auto refused = auto_assign(tx(), call, by(secretariat_), now_);
  ASSERT_FALSE(refused);
  ExpectError(refused, ErrorCode::kInvalidArgument,
              "審査委員 審査 2郎 に固定された割り当てが 2 件あり、上限件数 1 件を超えています");
  // Two reviewers of the same name are told apart by their user id; the assignment maps back.
  std::int64_t namesake = user("r2b@example.jp", "審査 2郎", "reviewer", org_a_);
  for (std::int64_t org : {org_a_, org_b_}) ASSERT_OK(declare(tx(), call.id, {namesake, org, false, ""}, by(namesake), now_));
  refused = auto_assign(tx(), call, by(secretariat_), now_);
  ASSERT_FALSE(refused);
  ExpectError(refused, ErrorCode::kInvalidArgument,
              fmt::format("審査委員 審査 2郎（ID {}） に固定された割り当てが 2 件あり、上限件数 1 件を超えています",
                          reviewers_[1]));
  ASSERT_TRUE(unassign(tx(), b, reviewers_[1], by(secretariat_), now_));
  ASSERT_TRUE(declare(tx(), call.id, {namesake, org_b_, true, "同じ団体の職員"}, by(namesake), now_));
  auto cost = auto_assign(tx(), call, by(secretariat_), now_);
  ASSERT_OK(cost);
  ASSERT_OK_AND_ASSIGN(auto pairs, assignments(tx(), call.id));
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[0].application_id, a);
  EXPECT_EQ(pairs[0].reviewer_id, reviewers_[1]);
  EXPECT_EQ(pairs[1].application_id, b);
  EXPECT_NE(pairs[1].reviewer_id, namesake) << "the namesake's conflict stays with the namesake";
  EXPECT_NE(pairs[1].reviewer_id, reviewers_[1]) << "load 1";
}

// ---- reviews

TEST_F(CallStoreTest, ReviewsValidateLevelsNeedEveryCriterionAndLockOnSubmit) {
  Call call = open_call();
  auto a = submitted_application(call, org_a_, operator_a_, {{"hokkaido", 20'000'000}});
  std::int64_t r1 = reviewers_[0], r2 = reviewers_[1];
  everyone_declared(call);
  ASSERT_TRUE(assign(tx(), a, r1, false, by(secretariat_), now_));
  // Not assigned: refused.
  auto stranger = save_review(tx(), call, a, r2, {{criteria_[0], {2, ""}}}, "", by(r2), now_);
  ASSERT_FALSE(stranger);
  ExpectError(stranger, ErrorCode::kPermissionDenied, "この申請は割り当てられていません");
  // Levels outside the scale.
  ExpectError(save_review(tx(), call, a, r1, {{criteria_[0], {4, ""}}}, "", by(r1), now_), ErrorCode::kInvalidArgument,
              "「事業計画の妥当性」の評価は 1〜3 で選んでください");
  ExpectError(save_review(tx(), call, a, r1, {{criteria_[1], {-1, ""}}}, "", by(r1), now_), ErrorCode::kInvalidArgument,
              "「実施体制と実績」の評価は 1〜3 で選んでください");
  ExpectError(save_review(tx(), call, a, r1, {{criteria_[1] + 100, {1, ""}}}, "", by(r1), now_),
              ErrorCode::kInvalidArgument, "この公募の審査項目ではありません");
  ExpectError(submit_review(tx(), call, a, r1, by(r1), now_), ErrorCode::kInvalidArgument,
              "評価を入力してから提出してください");
  // A draft with one criterion scored cannot be submitted.
  ASSERT_TRUE(save_review(tx(), call, a, r1, {{criteria_[0], {3, "具体的"}}}, "良い計画", by(r1), now_));
  ExpectError(submit_review(tx(), call, a, r1, by(r1), now_), ErrorCode::kInvalidArgument,
              "「実施体制と実績」の評価を選んでください");
  ASSERT_TRUE(save_review(tx(), call, a, r1, {{criteria_[0], {3, "具体的"}}, {criteria_[1], {2, "標準的"}}}, "良い計画",
                          by(r1), now_));
  ASSERT_TRUE(submit_review(tx(), call, a, r1, by(r1), now_));
  ASSERT_OK_AND_ASSIGN(auto review_found, find_review(tx(), a, r1));
  ASSERT_TRUE(review_found.has_value());
  auto review = *std::move(review_found);
  EXPECT_TRUE(review.submitted);
  EXPECT_EQ(review.comment, "良い計画");
  EXPECT_EQ(review.scores.at(criteria_[0]).comment, "具体的");
  ASSERT_OK_AND_ASSIGN(auto items, criteria(tx(), call.id));
  EXPECT_DOUBLE_EQ(review.total(items), 30 * 3 + 20 * 2);
  EXPECT_DOUBLE_EQ(max_total(items), 150);
  // Locked.
  auto changed = save_review(tx(), call, a, r1, {{criteria_[0], {1, ""}}}, "", by(r1), now_);
  ASSERT_FALSE(changed);
  ExpectError(changed, ErrorCode::kConflict, "提出済みの審査は変更できません");
  ExpectError(submit_review(tx(), call, a, r1, by(r1), now_), ErrorCode::kConflict, "この審査はすでに提出されています");
  ExpectError(unassign(tx(), a, r1, by(secretariat_), now_), ErrorCode::kConflict,
              "審査結果が提出済みのため割り当てを外せません");
  EXPECT_EQ((**find_review(tx(), a, r1)).scores.at(criteria_[0]).level, 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'review.submit' AND object = ? AND actor = ? AND "
                  "detail = '{\"total\":130}'",
                  {fmt::format("application:{}", a), fmt::format("user:{}", r1)}),
            1);
}

TEST_F(CallStoreTest, ReviewTotalIsTheWeightedSumOfScoredLevels) {
  std::vector<Criterion> items{criterion("計画", 30), criterion("体制", 20), criterion("地域", 5)};
  items[0].id = 1;
  items[1].id = 2;
  items[2].id = 3;
  Review review;
  review.scores = {{1, {2, ""}}, {3, {3, ""}}, {99, {3, ""}}};  // 99: not a criterion of these
  EXPECT_DOUBLE_EQ(review.total(items), 30 * 2 + 5 * 3);
  EXPECT_DOUBLE_EQ(Review{}.total(items), 0);
}

// ---- decision, approval, publication

class DecisionTest : public CallFixture {
 protected:
  void SetUp() override {
    CallFixture::SetUp();
    CallSettings s = settings();
    s.budget_total = 60'000'000;
    call_ = open_call(s);
    // A applies to two blocks, B competes in 東北, C leaves its 関東 draft unsubmitted.
    a_ = submitted_application(call_, org_a_, operator_a_, {{"hokkaido", 20'000'000}, {"tohoku", 18'000'000}});
    b_ = submitted_application(call_, org_b_, operator_b_, {{"tohoku", 22'000'000}});
    c_ = ready_application(call_, org_c_, operator_c_, {{"kanto", 25'000'000}});
    closed_ = call_.closes_at;
  }
  std::vector<DecisionLine> valid() const {
    return {{"hokkaido", a_, 20'000'000, a_, "計画の具体性が高い"},
            {"tohoku", b_, 22'000'000, a_, "地域の人材ニーズとの適合を重視した"},
            {"kanto", 0, 0, std::nullopt, "提出済みの申請がなかった"}};
  }
  std::string refused(std::vector<DecisionLine> lines) {
    auto r = record_decision(tx(), call_, lines, by(secretariat_), closed_);
    EXPECT_FALSE(r);
    return r ? std::string("(accepted)") : r.error().message;
  }
  Call call_;
  std::int64_t a_ = 0, b_ = 0, c_ = 0;
  Instant closed_{};  // the deadline: from then on the committee may decide
};

TEST_F(DecisionTest, RecordingChecksEveryRule) {
  auto lines = valid();
  lines.pop_back();
  EXPECT_EQ(refused(lines), "関東ブロックの採択先を選んでください（各ブロック 1 件）");
  lines = valid();
  lines.push_back({"hokkaido", a_, 20'000'000, std::nullopt, "重複"});
  EXPECT_EQ(refused(lines), "北海道ブロックの採択が重複しています");
  lines = valid();
  lines.push_back({"okinawa", 0, 0, std::nullopt, "対象外"});
  EXPECT_EQ(refused(lines), "この公募の対象ではないブロックです: okinawa");
  lines = valid();
  lines[0].rationale = " ";
  EXPECT_EQ(refused(lines), "北海道ブロックの選定理由を入力してください");
  lines = valid();
  lines[0].application_id = b_;  // B did not apply to 北海道
  EXPECT_EQ(refused(lines), "北海道ブロックに申請した提出済みの申請を選んでください");
  lines = valid();
  lines[2] = {"kanto", c_, 25'000'000, std::nullopt, "下書きのまま"};  // not submitted
  EXPECT_EQ(refused(lines), "関東ブロックに申請した提出済みの申請を選んでください");
  lines = valid();
  lines[0].amount = 30'000'000;
  EXPECT_EQ(refused(lines), "北海道ブロックの交付額 30,000,000円 は範囲（15,000,000円〜25,000,000円）の外です");
  lines = valid();
  lines[1].amount = 14'999'999;
  EXPECT_EQ(refused(lines), "東北ブロックの交付額 14,999,999円 は範囲（15,000,000円〜25,000,000円）の外です");
  lines = valid();
  lines[2].amount = 1;
  EXPECT_EQ(refused(lines), "関東ブロックは該当なしのため交付額は 0 円です");
  // Never more than the application asked for in that block (A asked 20,000,000 in 北海道).
  lines = valid();
  lines[0].amount = 20'000'001;
  EXPECT_EQ(refused(lines), "北海道ブロックの交付額 20,000,001円 が申請額 20,000,000円 を超えています");
  // Less than asked, within the range, is the committee's choice.
  lines = valid();
  lines[0].amount = 15'000'000;
  lines[2] = {"kanto", 0, 0, std::nullopt, "該当なし"};
  ASSERT_TRUE(record_decision(tx(), call_, lines, by(secretariat_), closed_)) << "37,000,000 is within 60,000,000";
  EXPECT_EQ((*decision(tx(), call_.id))[0].amount, 15'000'000);
  CallSettings tight = settings();
  tight.budget_total = 45'000'000;
  Call small = open_call(tight);
  auto a = submitted_application(small, org_a_, operator_a_, {{"hokkaido", 25'000'000}, {"tohoku", 25'000'000}});
  auto r = record_decision(tx(), small,
                           {{"hokkaido", a, 25'000'000, std::nullopt, "理由"}, {"tohoku", a, 25'000'000, std::nullopt, "理由"},
                            {"kanto", 0, 0, std::nullopt, "該当なし"}},
                           by(secretariat_), closed_);
  ASSERT_FALSE(r);
  ExpectError(r, ErrorCode::kInvalidArgument, "交付額の合計 50,000,000円 が予算上限 45,000,000円 を超えています");
  // An application of another call is not a candidate.
  lines = valid();
  lines[0].application_id = a;
  EXPECT_EQ(refused(lines), "北海道ブロックに申請した提出済みの申請を選んでください");
}

TEST_F(DecisionTest, OneOperatorMayWinSeveralBlocksAndTheDecisionIsStoredInBlockOrder) {
  std::vector<DecisionLine> lines{{"kanto", 0, 0, std::nullopt, "提出済みの申請がなかった"},
                                  {"tohoku", a_, 18'000'000, a_, "継続性を評価"},
                                  {"hokkaido", a_, 20'000'000, a_, "計画の具体性"}};
  ASSERT_TRUE(record_decision(tx(), call_, lines, by(secretariat_), closed_));
  Call c = reload(call_.id);
  EXPECT_EQ(c.decision, DecisionState::kRecorded);
  ASSERT_OK_AND_ASSIGN(auto stored, decision(tx(), call_.id));
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0].block, "hokkaido");
  EXPECT_EQ(stored[1].block, "tohoku");
  EXPECT_EQ(stored[1].application_id, a_);
  EXPECT_EQ(stored[2].block, "kanto");
  EXPECT_EQ(stored[2].application_id, 0);
  EXPECT_EQ(stored[2].amount, 0);
  EXPECT_EQ(stored[2].rationale, "提出済みの申請がなかった");
  // A recorded (unapproved) decision may be replaced.
  ASSERT_TRUE(record_decision(tx(), c, valid(), by(secretariat_), closed_));
  EXPECT_EQ((*decision(tx(), call_.id))[1].application_id, b_);
  // No review is submitted here, so the solver proposes nothing: both awards differ from it,
  // whatever the lines claim as proposal (rules_test.cpp checks the flag against real reviews).
  EXPECT_EQ(stored[0].proposed_application_id, std::nullopt);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'selection.record' AND object = ? AND "
                  "detail = '{\"total\":42000000,\"differs_from_proposal\":2}'",
                  {fmt::format("call:{}", call_.id)}),
            1);
}

TEST_F(DecisionTest, ApprovalAndPublicationFollowTheOrderAndNotify) {
  ExpectError(approve_decision(tx(), call_, by(meti_), closed_), ErrorCode::kConflict,
              "承認する委員会決定がまだ記録されていません");
  ExpectError(publish_results(tx(), call_, by(secretariat_), closed_), ErrorCode::kConflict,
              "経済産業省の承認後に公表できます");
  ASSERT_TRUE(record_decision(tx(), call_, valid(), by(secretariat_), closed_));
  Call recorded = reload(call_.id);
  ExpectError(publish_results(tx(), recorded, by(secretariat_), closed_), ErrorCode::kConflict,
              "経済産業省の承認後に公表できます");
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE title = '審査結果のお知らせ'"), 0);
  // METI is asked to approve (issue 16: hand-offs).
  EXPECT_EQ(titled(tx(), meti_, "委員会の決定の承認依頼").size(), 1u);
  ASSERT_TRUE(approve_decision(tx(), recorded, by(meti_), closed_ + hours{1}));
  Call approved = reload(call_.id);
  EXPECT_EQ(approved.decision, DecisionState::kApproved);
  EXPECT_EQ(approved.approved_at, "2026-12-31T02:00:00Z");
  ExpectError(approve_decision(tx(), approved, by(meti_), closed_), ErrorCode::kConflict,
              "この決定はすでに承認されています");
  ExpectError(record_decision(tx(), approved, valid(), by(secretariat_), closed_), ErrorCode::kConflict,
              "承認済みの決定は変更できません");

  auto sent = publish_results(tx(), approved, by(secretariat_), closed_ + hours{2});
  ASSERT_OK(sent);
  // A's two users, B's user and the 北海道 bureau (東北 has no bureau user here). C never
  // submitted and hears nothing; neither does the 関東 bureau (no award in its block).
  EXPECT_EQ(*sent, 4);
  // Through the notify module: each notice also goes out by mail, with the same title.
  EXPECT_EQ(count("SELECT COUNT(*) FROM mail_outbox WHERE subject IN ('【架け橋】審査結果のお知らせ', '【架け橋】採択結果の公表')"), 4);
  EXPECT_EQ(count("SELECT COUNT(*) FROM mail_outbox WHERE subject = '【架け橋】審査結果のお知らせ'"), 3);
  auto a_note = titled(tx(), operator_a2_, "審査結果のお知らせ");
  ASSERT_EQ(a_note.size(), 1u);
  EXPECT_EQ(a_note[0].title, "審査結果のお知らせ");
  EXPECT_EQ(a_note[0].body, "「令和8年度 実証事業者の公募」で 北海道ブロック の実証事業者に採択されました。");
  EXPECT_EQ(a_note[0].link, fmt::format("/my/applications/{}", a_));
  EXPECT_EQ(titled(tx(), operator_a_, "審査結果のお知らせ").size(), 1u);
  auto b_note = titled(tx(), operator_b_, "審査結果のお知らせ");
  ASSERT_EQ(b_note.size(), 1u);
  EXPECT_EQ(b_note[0].body, "「令和8年度 実証事業者の公募」で 東北ブロック の実証事業者に採択されました。");
  EXPECT_TRUE(notify::notifications(tx(), operator_c_, 10)->empty());
  ASSERT_OK_AND_ASSIGN(auto bureau, notify::notifications(tx(), bureau_hokkaido_, 10));
  ASSERT_EQ(bureau.size(), 1u);
  EXPECT_EQ(bureau[0].title, "採択結果の公表");
  EXPECT_EQ(bureau[0].body, "「令和8年度 実証事業者の公募」の北海道ブロックの採択結果が公表されました。");
  EXPECT_TRUE(notify::notifications(tx(), bureau_kanto_, 10)->empty());
  EXPECT_FALSE(b_note[0].read);
  ASSERT_TRUE(notify::mark_read(tx(), operator_b_, now_));
  EXPECT_TRUE(titled(tx(), operator_b_, "審査結果のお知らせ")[0].read);

  Call published = reload(call_.id);
  EXPECT_EQ(published.decision, DecisionState::kPublished);
  EXPECT_EQ(published.results_published_at, "2026-12-31T03:00:00Z");
  ExpectError(publish_results(tx(), published, by(secretariat_), closed_), ErrorCode::kConflict,
              "結果はすでに公表されています");
  ExpectError(record_decision(tx(), published, valid(), by(secretariat_), closed_), ErrorCode::kConflict,
              "承認済みの決定は変更できません");
  std::string object = fmt::format("call:{}", call_.id);
  EXPECT_EQ(audit_count("selection.record", object), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'selection.approve' AND object = ? AND actor = ?",
                  {object, fmt::format("user:{}", meti_)}),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'selection.publish' AND object = ? AND "
                  "detail = '{\"notifications\":4}'",
                  {object}),
            1);
}

TEST_F(DecisionTest, ApplicationsCannotBeReopenedOnceTheDecisionIsRecorded) {
  // No review was submitted here, so only the decision stands in the way.
  ASSERT_TRUE(record_decision(tx(), call_, valid(), by(secretariat_), closed_));
  for (int step = 0; step < 3; ++step) {
    auto refused = reopen_application(tx(), a_, "受賞後の修正", by(secretariat_), now_);
    ASSERT_FALSE(refused) << "step " << step;
    ExpectError(refused, ErrorCode::kConflict, "委員会の決定が記録された公募の申請は差し戻せません");
    EXPECT_TRUE((**find_application(tx(), a_)).submitted);
    if (step == 0) {
      ASSERT_TRUE(approve_decision(tx(), reload(call_.id), by(meti_), closed_));
    } else if (step == 1) {
      ASSERT_TRUE(publish_results(tx(), reload(call_.id), by(secretariat_), closed_));
    }
  }
}

TEST_F(DecisionTest, AnUnsuccessfulApplicantIsToldSo) {
  auto lines = valid();
  lines[1] = {"tohoku", a_, 18'000'000, a_, "継続性を評価"};
  ASSERT_TRUE(record_decision(tx(), call_, lines, by(secretariat_), closed_));
  ASSERT_TRUE(approve_decision(tx(), reload(call_.id), by(meti_), closed_));
  ASSERT_TRUE(publish_results(tx(), reload(call_.id), by(secretariat_), closed_));
  auto a_note = titled(tx(), operator_a_, "審査結果のお知らせ");
  ASSERT_EQ(a_note.size(), 1u);
  EXPECT_EQ(a_note[0].body, "「令和8年度 実証事業者の公募」で 北海道ブロック・東北ブロック の実証事業者に採択されました。");
  auto b_note = titled(tx(), operator_b_, "審査結果のお知らせ");
  ASSERT_EQ(b_note.size(), 1u);
  EXPECT_EQ(b_note[0].body, "「令和8年度 実証事業者の公募」の審査結果をお知らせします。今回は不採択となりました。");
}

// ---- the audit trail stays intact through a whole flow

TEST_F(CallStoreTest, EveryChangeIsAuditedAndTheChainVerifies) {
  Call call = open_call();
  auto a = submitted_application(call, org_a_, operator_a_, {{"hokkaido", 20'000'000}});
  everyone_declared(call);
  ASSERT_TRUE(assign(tx(), a, reviewers_[0], false, by(secretariat_), now_));
  submit_scores(call, a, reviewers_[0], 3);
  ASSERT_TRUE(tx_->commit());
  tx_.reset();
  auto report = audit::verify(*database_);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->intact) << report->problem;
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(db::TxMode::kRead));
  ASSERT_OK_AND_ASSIGN(auto rows,
                       tx->query("SELECT action FROM audit_log WHERE action NOT LIKE 'organisation.%' ORDER BY id"));
  std::vector<std::string> actions;
  for (const auto& row : rows) actions.push_back(row.text(0));
  EXPECT_THAT(actions, ElementsAre("call.create", "call.criterion_add", "call.criterion_add", "call.publish",
                                   "application.create", "application.save", "application.attach",
                                   "application.submit", "review.declare", "review.declare", "review.declare",
                                   "review.declare", "review.declare", "review.assign", "review.save", "review.submit"));
}

}  // namespace
}  // namespace kakehashi::call::testing
