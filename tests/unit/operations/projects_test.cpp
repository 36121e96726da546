// Projects and the activity-list import (issue 15, R3.2/R3.3): validation of the project form,
// scope per object, and the import: grouping by the counting rule with its reason, per-row
// errors, merge / split decisions, encodings, and idempotence (the same file twice adds nothing).
#include <gtest/gtest.h>

#include "base/text.h"
#include "operations/imports.h"
#include "operations/projects.h"
#include "support/result.h"
#include "unit/operations/fixture.h"

using ::kakehashi::testing::ExpectError;
using ::kakehashi::testing::ExpectErrorCode;

namespace kakehashi::operations::testing {
namespace {

namespace counting = program::counting;

// Operator A runs 北海道 and 北陸. Rows 2 and 3 are one project written two ways.
const std::string kActivities =
    "実施日,内容,企業,学校,学校種,都道府県,児童生徒数,区分\n"
    "2027/01/20,英語の出前授業,株式会社みらい英語,札幌市立北小学校,小学校,北海道,30,ヒト\n"
    "2027/01/27,英語の出前授業,(株)みらい英語,札幌市立北小学校,小学校,北海道,28,ヒト\n"
    "2027/02/03,プログラミング教室,ITラボ株式会社,金沢市立南中学校,中学校,石川県,25,ヒト\n";

class ProjectsTest : public ProgrammeFixture {
 protected:
  std::int64_t stage(const std::string& bytes, const std::string& name = "活動一覧.csv",
                     std::int64_t user = 0) {
    auto id = stage_import(tx(), principal(user ? user : operator_a_), op_a_, name, bytes, published_);
    EXPECT_OK(id);
    return id ? *id : 0;
  }
  void map(std::int64_t import_id) {
    auto form = mapping_form(tx(), principal(operator_a_), import_id);
    ASSERT_OK(form);
    ASSERT_OK(save_mapping(tx(), principal(operator_a_), import_id, form->mapping, published_));
  }
  ImportPreview preview(std::int64_t import_id) {
    auto p = preview_import(tx(), principal(operator_a_), import_id);
    EXPECT_OK(p);
    return p ? *p : ImportPreview{};
  }
  ProjectDraft draft() {
    ProjectDraft d;
    d.block_id = "hokkaido";
    d.title = "金融リテラシー講座";
    d.category = "hito";
    d.subtype = "expert_finance";
    d.continuity = "continuing";
    d.parties = {{"company", "北海道みらい銀行株式会社", "", ""}, {"school", "札幌市立北高等学校", "high", "01"}};
    d.sessions = {{0, "2027-02-01", "札幌市立北高等学校", "40", "2", "3", "", ""}};
    return d;
  }
};

TEST_F(ProjectsTest, ImportGroupsSpellingVariantsWithTheirReasonAndSavesOnlyOnConfirmation) {
  std::int64_t id = stage(kActivities);
  map(id);
  ImportPreview p = preview(id);
  EXPECT_TRUE(p.errors.empty());
  ASSERT_EQ(p.groups.size(), 2u);
  const ImportGroup& english = p.groups[0];
  EXPECT_EQ(english.rows.size(), 2u);
  EXPECT_FALSE(english.why.empty());
  EXPECT_EQ(p.new_projects(), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM projects"), 0);  // nothing saved before confirmation

  auto summary = confirm_import(tx(), principal(operator_a_), id, false, published_);
  ASSERT_OK(summary);
  EXPECT_EQ(summary->projects_created, 2);
  EXPECT_EQ(summary->sessions_added, 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM projects WHERE operator_id = " + std::to_string(op_a_)), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM projects WHERE block_id = 'hokuriku'"), 1);  // 石川県 is 北陸
  EXPECT_EQ(count("SELECT COUNT(*) FROM project_parties WHERE kind = 'school' AND school_type = 'elementary'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM project_sessions"), 3);
  EXPECT_EQ(audit_count("operation.import_confirm", fmt::format("activity_import:{}", id)), 1);
}

TEST_F(ProjectsTest, ImportingTheSameFileTwiceAddsNoSession) {
  std::int64_t first = stage(kActivities);
  map(first);
  ASSERT_OK(confirm_import(tx(), principal(operator_a_), first, false, published_));
  std::int64_t second = stage(kActivities);
  auto form = mapping_form(tx(), principal(operator_a_), second);
  ASSERT_OK(form);
  EXPECT_TRUE(form->remembered);  // the mapping is remembered per operator
  ImportPreview p = preview(second);
  EXPECT_EQ(p.new_sessions(), 0);
  EXPECT_EQ(p.new_projects(), 0);
  auto summary = confirm_import(tx(), principal(operator_a_), second, false, published_);
  ASSERT_OK(summary);
  EXPECT_EQ(summary->sessions_added, 0);
  EXPECT_EQ(summary->sessions_known, 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM projects"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM project_sessions"), 3);
  // A grown file adds only its new row, to the project it belongs to.
  std::int64_t third = stage(kActivities + "2027/02/10,英語の出前授業,みらい英語株式会社,札幌市立北小学校,小学校,北海道,27,ヒト\n");
  auto grown = confirm_import(tx(), principal(operator_a_), third, false, published_);
  ASSERT_OK(grown);
  EXPECT_EQ(grown->sessions_added, 1);
  EXPECT_EQ(grown->projects_created, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM projects"), 2);
}

TEST_F(ProjectsTest, ShiftJisAndBomFilesGiveTheSameGrouping) {
  std::int64_t utf8 = stage(kActivities);
  map(utf8);
  std::int64_t bom = stage("\xEF\xBB\xBF" + kActivities);
  std::int64_t sjis = stage(text::utf8_to_cp932(kActivities));
  ImportPreview a = preview(utf8), b = preview(bom), c = preview(sjis);
  ASSERT_EQ(a.groups.size(), 2u);
  for (const ImportPreview* other : {&b, &c}) {
    ASSERT_EQ(other->groups.size(), a.groups.size());
    EXPECT_TRUE(other->errors.empty());
    for (std::size_t i = 0; i < a.groups.size(); ++i) {
      EXPECT_EQ(other->groups[i].key, a.groups[i].key);
      EXPECT_EQ(other->groups[i].title, a.groups[i].title);
      EXPECT_EQ(other->groups[i].rows, a.groups[i].rows);
    }
  }
}

TEST_F(ProjectsTest, RowErrorsAreListedByLineAndBlockTheImportUnlessSkipped) {
  std::int64_t id = stage(kActivities +
                          "2027/13/01,英語の出前授業,株式会社みらい英語,札幌市立北小学校,小学校,北海道,30,ヒト\n"
                          "2027/02/04,,株式会社みらい英語,札幌市立北小学校,小学校,北海道,30,ヒト\n"
                          "2027/02/05,理科実験,株式会社みらい英語,札幌市立北学園,保育園,北海道,30,ヒト\n");
  map(id);
  ImportPreview p = preview(id);
  ASSERT_EQ(p.errors.size(), 3u);
  EXPECT_EQ(p.errors[0].line, 5u);
  EXPECT_EQ(p.errors[0].message, "実施日「2027/13/01」を読み取れません");
  EXPECT_EQ(p.errors[1].line, 6u);
  EXPECT_EQ(p.errors[1].message, "内容（プロジェクト名）がありません");
  EXPECT_EQ(p.errors[2].line, 7u);
  EXPECT_EQ(p.errors[2].message,
            "学校種「保育園」は小学校・中学校・義務教育学校・高等学校・中等教育学校・特別支援学校・大学・高等専門学校・専修学校のいずれかです");
  ExpectError(confirm_import(tx(), principal(operator_a_), id, false, published_), ErrorCode::kInvalidArgument,
              "3 行にエラーがあります。ファイルを直して取り込み直すか、エラーのある行を除いて取り込むことを選んでください");
  EXPECT_EQ(count("SELECT COUNT(*) FROM project_sessions"), 0);
  auto summary = confirm_import(tx(), principal(operator_a_), id, true, published_);
  ASSERT_OK(summary);
  EXPECT_EQ(summary->rows_skipped, 3);
  EXPECT_EQ(summary->sessions_added, 3);
}

TEST_F(ProjectsTest, SplitAndMergeDecisionsAreHonoured) {
  std::int64_t id = stage(kActivities);
  map(id);
  counting::Decision split{counting::DecisionAction::kSplit, "", {"3"}};
  ASSERT_OK(add_decision(tx(), principal(operator_a_), id, split, published_));
  EXPECT_EQ(preview(id).groups.size(), 3u);
  ASSERT_OK(clear_decisions(tx(), principal(operator_a_), id, published_));
  counting::Decision merge{counting::DecisionAction::kMerge, "", {"2", "4"}};
  ASSERT_OK(add_decision(tx(), principal(operator_a_), id, merge, published_));
  ImportPreview merged = preview(id);
  ASSERT_EQ(merged.groups.size(), 1u);
  EXPECT_EQ(merged.groups[0].rows.size(), 3u);
  auto summary = confirm_import(tx(), principal(operator_a_), id, false, published_);
  ASSERT_OK(summary);
  EXPECT_EQ(summary->projects_created, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM project_sessions"), 3);
}

TEST_F(ProjectsTest, ImportsAreInTheOperatorsScopeAndCanBeDiscarded) {
  std::int64_t id = stage(kActivities);
  auto other = find_import(tx(), principal(operator_b_), id);
  ASSERT_OK(other);
  EXPECT_FALSE(other->has_value());
  ExpectErrorCode(stage_import(tx(), principal(operator_b_), op_a_, "x.csv", kActivities, published_), ErrorCode::kNotFound);
  ExpectErrorCode(stage_import(tx(), principal(meti_), op_a_, "x.csv", kActivities, published_), ErrorCode::kPermissionDenied);
  auto secretariat = find_import(tx(), principal(secretariat_), id);
  ASSERT_OK(secretariat);
  EXPECT_TRUE(secretariat->has_value());
  ASSERT_OK(discard_import(tx(), principal(operator_a_), id, published_));
  ExpectErrorCode(confirm_import(tx(), principal(operator_a_), id, false, published_), ErrorCode::kConflict);
  EXPECT_EQ(count("SELECT COUNT(*) FROM projects"), 0);
}

TEST_F(ProjectsTest, TheMappingNeedsDateTitleAndAParty) {
  std::vector<std::string> headers = {"日付", "メモ"};
  ImportMapping m = guess_mapping(headers);
  auto errors = validate(m, headers);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].message, "内容（プロジェクト名）の列を選んでください");
  EXPECT_EQ(errors[1].message, "企業・自治体・学校のうち少なくとも一つの列を選んでください");
  EXPECT_EQ(errors[2].message, "区分の列を選ぶか、既定の区分を選んでください");
}

TEST_F(ProjectsTest, ProjectFormIsValidatedAllAtOnceAndAudited) {
  ProjectDraft bad = draft();
  bad.block_id = "tokai";
  bad.title = " ";
  bad.subtype = "gcf";
  bad.parties[1].school_type = "";
  bad.sessions[0].pupils = "たくさん";
  auto errors = validate(bad, load(op_a_));
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_EQ(errors[0].message, "ブロックはこの実証事業者の担当ブロックから選んでください");
  EXPECT_EQ(errors[1].message, "プロジェクト名を入力してください");
  EXPECT_EQ(errors[2].message, "類型「ガバメントクラウドファンディング（GCF）」は区分「ヒト」のものではありません");
  EXPECT_EQ(errors[3].message, "関係先 2 行目: 学校種を選んでください");
  EXPECT_EQ(errors[4].message, "実施回 1 行目: 児童生徒の参加者数は 0〜100000 の整数で入力してください");

  auto id = create_project(tx(), principal(operator_a_), op_a_, draft(), published_);
  ASSERT_OK(id);
  EXPECT_EQ(audit_count("operation.project_create", fmt::format("project:{}", *id)), 1);
  ExpectErrorCode(create_project(tx(), principal(operator_b_), op_a_, draft(), published_), ErrorCode::kNotFound);
  // Bureaus see the projects of their blocks only: 中部 sees 北陸, not 北海道.
  auto chubu = find_project(tx(), principal(bureau_chubu_), *id);
  ASSERT_OK(chubu);
  EXPECT_FALSE(chubu->has_value());
  auto page = list_projects(tx(), principal(secretariat_), {.operator_id = op_a_}, 1, 50);
  ASSERT_OK(page);
  EXPECT_EQ(page->total, 1);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].session_count, 1);
  EXPECT_EQ(page->items[0].parties.size(), 2u);
  // Edit keeps the session by id, adds a new one.
  ProjectDraft edit = draft_of(**find_project(tx(), principal(operator_a_), *id));
  edit.sessions.push_back({0, "2027-02-08", "", "35", "", "", "", ""});
  ASSERT_OK(update_project(tx(), principal(operator_a_), *id, edit, published_));
  EXPECT_EQ((*find_project(tx(), principal(operator_a_), *id))->sessions.size(), 2u);
  ExpectErrorCode(update_project(tx(), principal(meti_), *id, edit, published_), ErrorCode::kPermissionDenied);
}

}  // namespace
}  // namespace kakehashi::operations::testing
