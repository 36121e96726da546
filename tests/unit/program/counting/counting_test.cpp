#include "program/counting/counting.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "support/result.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::program::counting {
namespace {

// Builds records line by line, as a spreadsheet would hold them.
class Sheet {
 public:
  Sheet& add(std::string id, std::string title, std::string company, std::string partner,
             std::string prefecture = "", std::string date = "2026-10-05",
             std::string category = "ヒト") {
    ActivityRecord record;
    record.line = records.size() + 2;
    record.id = std::move(id);
    record.date = *Date::parse(date);
    record.title = std::move(title);
    record.company = std::move(company);
    record.partner = std::move(partner);
    record.prefecture = std::move(prefecture);
    record.category = std::move(category);
    records.push_back(std::move(record));
    return *this;
  }
  CountResult count(std::vector<Decision> decisions = {}) const {
    return count_projects(records, decisions);
  }

  std::vector<ActivityRecord> records;
};

const Project& project_of(const CountResult& result, std::string_view session) {
  for (const auto& project : result.projects) {
    if (std::find(project.session_ids.begin(), project.session_ids.end(), session) !=
        project.session_ids.end()) {
      return project;
    }
  }
  throw std::runtime_error("session not in any project");
}

bool together(const CountResult& result, std::string_view a, std::string_view b) {
  return project_of(result, a).id == project_of(result, b).id;
}

TEST(CountProjects, GroupsTheIssueExampleAndSaysWhy) {
  Sheet sheet;
  sheet.add("R1", "出前授業（第2回）", "(株)サクラ", "札幌市教育委員会", "北海道", "2026-10-05")
      .add("R2", "出前授業 第3回", "株式会社サクラ", "札幌市", "北海道", "2026-10-19");
  auto result = sheet.count();
  ASSERT_EQ(result.count(), 1u);
  const auto& project = result.projects[0];
  EXPECT_EQ(project.session_ids, (std::vector<std::string>{"R1", "R2"}));
  EXPECT_EQ(project.title, "出前授業");
  EXPECT_EQ(project.prefecture, "北海道");
  EXPECT_EQ(project.first_date.iso(), "2026-10-05");
  EXPECT_EQ(project.last_date.iso(), "2026-10-19");
  EXPECT_EQ(
      project.why,
      "(株)サクラ＝株式会社サクラ、札幌市教育委員会＝札幌市、第2回・第3回を同一内容として集約");
  EXPECT_TRUE(result.suggestions.empty());
}

TEST(CountProjects, MergesTheSpellingsOfTheIssue) {
  Sheet sheet;
  sheet.add("A1", "出前授業（第2回）", "株式会社サクラ", "県立旭高等学校", "北海道")
      .add("A2", "出前授業 第3回", "ｻｸﾗ㈱", "旭高校", "北海道")
      .add("A3", "出前授業【午前】", "(株)サクラ", "北海道立旭高校", "")
      .add("A4", "出前授業（2026年10月）", "サクラ 株式会社", "旭高等学校", "北海道")
      .add("A5", "出前授業 前期", "株式会社サクラ", "道立旭高校", "北海道");
  auto result = sheet.count();
  ASSERT_EQ(result.count(), 1u);
  EXPECT_EQ(result.projects[0].session_ids.size(), 5u);
  EXPECT_EQ(
      result.projects[0].why,
      "株式会社サクラ＝ｻｸﾗ㈱＝(株)サクラ＝サクラ 株式会社、県立旭高等学校＝旭高校＝北海道立旭高校＝"
      "旭高等学校＝道立旭高校、第2回・第3回・午前・2026年10月・前期を同一内容として集約");
}

TEST(CountProjects, KeepsTheHardNegativesApart) {
  Sheet sheet;
  sheet.add("N1", "出前授業", "株式会社サクラ", "旭高校", "北海道")
      .add("N2", "出前授業", "株式会社サクラ", "旭高校", "大阪府")
      .add("N3", "出前授業", "株式会社サクラ", "第一中学校", "宮城県")
      .add("N4", "出前授業", "株式会社サクラ", "第二中学校", "宮城県")
      .add("N5", "出前授業", "株式会社サクラテクノロジー", "旭高校", "北海道")
      .add("N6", "出前授業（基礎編）", "株式会社サクラ", "旭高校", "北海道")
      .add("N7", "出前授業（応用編）", "株式会社サクラ", "旭高校", "北海道")
      .add("N8", "出前授業", "株式会社サクラ", "旭中等教育学校", "北海道")
      .add("N9", "出前授業", "株式会社サクラ", "旭中学校", "北海道");
  auto result = sheet.count();
  EXPECT_EQ(result.count(), 9u);
  // The subsidiary is suggested for review, never merged; different numbers are never suggested.
  std::set<std::pair<std::string, std::string>> suggested;
  for (const auto& suggestion : result.suggestions) {
    suggested.insert({suggestion.project_ids[0], suggestion.project_ids[1]});
  }
  auto id = [&](std::string_view session) { return project_of(result, session).id; };
  EXPECT_TRUE(suggested.contains({id("N1"), id("N5")}));
  EXPECT_FALSE(suggested.contains({id("N3"), id("N4")}));
  EXPECT_FALSE(suggested.contains({id("N1"), id("N2")}));
  for (const auto& suggestion : result.suggestions) {
    if (suggestion.project_ids[0] == id("N1") && suggestion.project_ids[1] == id("N5")) {
      EXPECT_EQ(suggestion.kind, SuggestionKind::kSimilarCompany);
      EXPECT_EQ(suggestion.reason,
                "同じ内容・相手先で、一方の企業名が他方を含みます（「株式会社サクラ」と「株式会社サ"
                "クラテクノロジー」）。"
                "同じ企業か、親会社・子会社など別の企業か確認してください");
    }
  }
}

TEST(CountProjects, FillsAMissingLocationOnlyWhenOneCandidateExists) {
  Sheet sheet;
  sheet.add("S1", "出前授業", "株式会社サクラ", "仙台市立第一中学校", "宮城県")
      .add("S2", "出前授業", "株式会社サクラ", "第1中学校", "宮城県")
      .add("S3", "プログラミング教室", "株式会社サクラ", "札幌市", "")
      .add("S4", "プログラミング教室", "株式会社サクラ", "札幌市教育委員会", "北海道");
  auto result = sheet.count();
  EXPECT_EQ(result.count(), 2u);
  EXPECT_TRUE(together(result, "S1", "S2"));
  EXPECT_TRUE(together(result, "S3", "S4"));
  EXPECT_EQ(project_of(result, "S1").why,
            "仙台市立第一中学校＝第1中学校、所在地の記載が異なる「仙台市立第一中学校」（宮城県仙台"
            "市）と「第1中学校」"
            "（宮城県）を同じ相手先とみなした（同じ企業・内容で候補が一つのため）");
  EXPECT_TRUE(result.suggestions.empty());
}

TEST(CountProjects, SuggestsAPartnerWithoutLocationWhenSeveralCandidatesExist) {
  Sheet sheet;
  sheet.add("U1", "出前授業", "株式会社サクラ", "仙台市立第一中学校", "宮城県")
      .add("U2", "出前授業", "株式会社サクラ", "石巻市立第一中学校", "宮城県")
      .add("U3", "出前授業", "株式会社サクラ", "第一中学校", "宮城県")
      .add("U4", "出前授業", "株式会社サクラ", "旭高校", "北海道")
      .add("U5", "出前授業", "株式会社サクラ", "旭高校", "大阪府")
      .add("U6", "出前授業", "株式会社サクラ", "旭高校", "");
  auto result = sheet.count();
  EXPECT_EQ(result.count(), 6u);
  size_t unplaced = 0;
  for (const auto& suggestion : result.suggestions)
    unplaced += suggestion.kind == SuggestionKind::kUnplacedPartner;
  EXPECT_EQ(unplaced, 4u);
  EXPECT_EQ(result.suggestions[0].reason,
            "「仙台市立第一中学校」（宮城県仙台市）と「第一中学校」（宮城県）は同じ相手先の可能性が"
            "あります。"
            "所在地の候補が複数あるため自動では統合していません");
}

TEST(CountProjects, SuggestsNearEqualTitlesWithoutMerging) {
  Sheet sheet;
  sheet.add("T1", "出前授業（基礎編）", "株式会社サクラ", "旭高校", "北海道")
      .add("T2", "出前授業（基礎篇）", "株式会社サクラ", "旭高校", "北海道")
      .add("T3", "プログラミング出前授業", "株式会社サクラ", "旭高校", "北海道")
      .add("T4", "プログラミング出前授業 発展", "株式会社サクラ", "旭高校", "北海道");
  auto result = sheet.count();
  EXPECT_EQ(result.count(), 4u);
  ASSERT_EQ(result.suggestions.size(), 2u);
  EXPECT_EQ(result.suggestions[0].kind, SuggestionKind::kSimilarTitle);
  EXPECT_EQ(result.suggestions[0].reason,
            "同じ企業・相手先で内容名が1文字違います（「出前授業（基礎編）」と「出前授業（基礎篇）"
            "」）。同じ内容なら統合してください");
  EXPECT_EQ(
      result.suggestions[1].reason,
      "同じ企業・相手先で、一方の内容名が他方に語を足したものです（「プログラミング出前授業」と"
      "「プログラミング出前授業 発展」）。同じ内容なら統合してください");
}

TEST(CountProjects, ExplainsSingleSessionsAndIdenticalRepeats) {
  Sheet sheet;
  sheet.add("O1", "出前授業（第2回）", "株式会社サクラ", "旭高校", "北海道")
      .add("O2", "職場体験", "株式会社サクラ", "旭高校", "北海道")
      .add("O3", "職場体験", "株式会社サクラ", "旭高校", "北海道");
  auto result = sheet.count();
  ASSERT_EQ(result.count(), 2u);
  EXPECT_EQ(project_of(result, "O1").why,
            "同じ企業・相手先・内容の記録はこの1件のみ（第2回は回の表示として内容名から除外）");
  EXPECT_EQ(project_of(result, "O2").why, "同じ表記の記録2件を集約");
}

TEST(CountProjects, OrdersSessionsByDateAndListsCategories) {
  Sheet sheet;
  sheet.add("D1", "出前授業 第3回", "株式会社サクラ", "旭高校", "北海道", "2026-11-20", "モノ")
      .add("D2", "出前授業 第1回", "株式会社サクラ", "旭高校", "北海道", "2026-09-01", "ヒト")
      .add("D3", "出前授業 第2回", "株式会社サクラ", "旭高校", "北海道", "2026-10-01", "ヒト");
  auto result = sheet.count();
  ASSERT_EQ(result.count(), 1u);
  EXPECT_EQ(result.projects[0].session_ids, (std::vector<std::string>{"D2", "D3", "D1"}));
  EXPECT_EQ(result.projects[0].categories, (std::vector<std::string>{"ヒト", "モノ"}));
  EXPECT_EQ(result.projects[0].why, "第1回・第2回・第3回を同一内容として集約");
}

Sheet review_sheet() {
  Sheet sheet;
  sheet.add("R1", "出前授業（基礎編）", "株式会社サクラ", "旭高校", "北海道")
      .add("R2", "出前授業（基礎篇）", "株式会社サクラ", "旭高校", "北海道")
      .add("R3", "職場体験", "株式会社サクラ", "旭高校", "北海道")
      .add("R4", "職業講話", "株式会社サクラ", "旭高校", "北海道")
      .add("R5", "出前授業（基礎編）", "株式会社サクラ", "旭高校", "北海道");
  return sheet;
}

TEST(Decisions, AcceptingASuggestionMergesItsProjects) {
  auto sheet = review_sheet();
  auto before = sheet.count();
  ASSERT_EQ(before.count(), 4u);
  ASSERT_EQ(before.suggestions.size(), 1u);
  std::string id = before.suggestions[0].id;
  auto after = sheet.count({{DecisionAction::kAccept, id, {}}});
  EXPECT_EQ(after.count(), 3u);
  EXPECT_TRUE(together(after, "R1", "R2"));
  EXPECT_TRUE(after.suggestions.empty());
  EXPECT_EQ(project_of(after, "R1").why,
            "出前授業（基礎編）＝出前授業（基礎篇）、担当者の判断で統合（提案 " + id + "）");
  ASSERT_EQ(after.decisions.size(), 1u);
  EXPECT_TRUE(after.decisions[0].applied);
  EXPECT_EQ(after.decisions[0].message, "提案 " + id + " を統合しました");
}

TEST(Decisions, RejectingASuggestionStopsShowingIt) {
  auto sheet = review_sheet();
  std::string id = sheet.count().suggestions.at(0).id;
  auto after = sheet.count({{DecisionAction::kReject, id, {}}});
  EXPECT_EQ(after.count(), 4u);
  EXPECT_TRUE(after.suggestions.empty());
  EXPECT_EQ(after.decisions.at(0).message, "提案 " + id + " を別のプロジェクトとして確定しました");
}

TEST(Decisions, MergeAndSplitBySessions) {
  auto sheet = review_sheet();
  auto merged = sheet.count({{DecisionAction::kMerge, "", {"R3", "R4"}}});
  EXPECT_EQ(merged.count(), 3u);
  EXPECT_TRUE(together(merged, "R3", "R4"));
  EXPECT_EQ(project_of(merged, "R3").why, "職場体験＝職業講話、担当者の判断で統合（記録 R3・R4）");

  auto split = sheet.count({{DecisionAction::kSplit, "", {"R5"}}});
  EXPECT_EQ(split.count(), 5u);
  EXPECT_FALSE(together(split, "R1", "R5"));
  EXPECT_EQ(project_of(split, "R5").why,
            "同じ企業・相手先・内容の記録はこの1件のみ、担当者の判断で分離（記録 R5）");
  EXPECT_EQ(split.decisions.at(0).message, "記録 R5 を別のプロジェクトとして分離しました");
}

TEST(Decisions, ReportsDecisionsThatNoLongerApply) {
  auto sheet = review_sheet();
  auto result = sheet.count({{DecisionAction::kAccept, "S-000000000000", {}},
                             {DecisionAction::kMerge, "", {"R3", "X9"}},
                             {DecisionAction::kSplit, "", {"X8"}}});
  EXPECT_EQ(result.count(), 4u);
  ASSERT_EQ(result.decisions.size(), 3u);
  EXPECT_FALSE(result.decisions[0].applied);
  EXPECT_EQ(result.decisions[0].message, "提案 S-000000000000 は今回の入力にありません");
  EXPECT_EQ(result.decisions[1].message,
            "統合の判断を適用できません: 記録 X9 は今回の入力にありません");
  EXPECT_EQ(result.decisions[2].message,
            "分離の判断を適用できません: 記録 X8 は今回の入力にありません");
}

TEST(Ids, ProjectAndSuggestionIdsAreStableAcrossRunsOrderAndGrowth) {
  auto sheet = review_sheet();
  auto first = sheet.count();
  Sheet reversed;
  for (auto it = sheet.records.rbegin(); it != sheet.records.rend(); ++it) {
    reversed.add(it->id, it->title, it->company, it->partner, it->prefecture);
  }
  reversed.add("Z1", "新しい活動", "株式会社モミジ", "札幌市", "北海道");
  auto second = reversed.count();
  for (const auto& record : sheet.records) {
    EXPECT_EQ(project_of(first, record.id).id, project_of(second, record.id).id) << record.id;
  }
  ASSERT_EQ(first.suggestions.size(), 1u);
  ASSERT_EQ(second.suggestions.size(), 1u);
  EXPECT_EQ(first.suggestions[0].id, second.suggestions[0].id);
  EXPECT_EQ(first.suggestions[0].id.size(), 14u);
  EXPECT_EQ(first.projects[0].id.substr(0, 2), "P-");
}

TEST(CountProjects, PutsEveryRecordInExactlyOneProject) {
  Sheet sheet;
  const char* companies[] = {"株式会社サクラ", "(株)サクラ", "モミジ合同会社", "NPO法人 あおば",
                             "サクラテック㈱"};
  const char* partners[] = {"札幌市", "札幌市教育委員会", "県立旭高等学校",
                            "旭高校", "第一中学校",       "第二中学校"};
  const char* titles[] = {"出前授業（第1回）", "出前授業 第2回", "職場体験", "職場体験【午後】",
                          "プログラミング教室"};
  const char* prefectures[] = {"北海道", "", "宮城県"};
  for (int i = 0; i < 600; ++i) {
    sheet.add("X" + std::to_string(i), titles[i % 5], companies[(i / 5) % 5],
              partners[(i / 25) % 6], prefectures[(i / 150) % 3]);
  }
  auto result = sheet.count();
  std::map<std::string, int> seen;
  for (const auto& project : result.projects) {
    for (const auto& id : project.session_ids) ++seen[id];
  }
  EXPECT_EQ(seen.size(), 600u);
  for (const auto& [id, times] : seen) EXPECT_EQ(times, 1) << id;
  // Projects never hold two known prefectures.
  for (const auto& project : result.projects) {
    std::set<std::string> known;
    for (const auto& id : project.session_ids) {
      const auto& record = sheet.records[std::stoi(id.substr(1))];
      if (!record.prefecture.empty()) known.insert(record.prefecture);
    }
    EXPECT_LE(known.size(), 1u) << project.id;
  }
}

// ---------------------------------------------------------------------------------------------

std::vector<csv::Row> rows(std::string_view text) { return *csv::parse(text); }

TEST(ParseRecords, ReportsBadRowsWithTheirLinesAndLeavesThemOut) {
  auto parsed =
      parse_records(rows("id,date,title,company,partner,prefecture,category\n"
                         "R1,2026-10-05,出前授業,株式会社サクラ,札幌市,北海道,ヒト\n"
                         "R2,2026-10-05,出前授業,,札幌市,北海道,ヒト\n"
                         "R3,2026-10-05,出前授業,株式会社サクラ,,北海道,ヒト\n"
                         "R4,2026-13-01,出前授業,株式会社サクラ,札幌市,北海道,ヒト\n"
                         "R1,2026-10-06,出前授業,株式会社サクラ,札幌市,北海道,ヒト\n"
                         ",2026-10-06,出前授業,株式会社サクラ,札幌市,北海道,ヒト\n"
                         "R7,,,株式会社サクラ,札幌市,蝦夷,ヒトモノ\n"
                         "R8,2026-10-06,出前授業,株式会社サクラ\n"
                         "R9,2026/10/5,出前授業,株式会社サクラ,札幌市,,カネ,\n"));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->data_rows, 9u);
  ASSERT_EQ(parsed->records.size(), 2u);
  EXPECT_EQ(parsed->records[0].id, "R1");
  EXPECT_EQ(parsed->records[1].id, "R9");
  EXPECT_EQ(parsed->records[1].date.iso(), "2026-10-05");
  ASSERT_EQ(parsed->bad_rows.size(), 7u);
  std::vector<std::pair<size_t, std::string>> expected = {
      {3, "企業名（company）がありません"},
      {4, "相手先（partner）がありません"},
      {5, "日付を読み取れません: 2026-13-01"},
      {6, "IDが重複しています（2行目と同じID）"},
      {7, "IDがありません"},
      {8,
       "日付がありません、内容（title）がありません、都道府県名を読み取れません: 蝦夷、"
       "区分（category）はヒト・モノ・カネのいずれかです: ヒトモノ"},
      {9,
       "列の数が見出しと合いません（4列、見出しは7列）、相手先（partner）がありません、区分（catego"
       "ry）がありません"},
  };
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(parsed->bad_rows[i].line, expected[i].first);
    EXPECT_EQ(parsed->bad_rows[i].message, expected[i].second);
  }
  EXPECT_EQ(parsed->bad_rows[0].id, "R2");
}

TEST(ParseRecords, AcceptsJapaneseHeadersAnyColumnOrderAndJapaneseDates) {
  auto parsed =
      parse_records(rows("区分,相手先,企業名,内容,日付,都道府県,ID,備考\n"
                         "ヒト,札幌市,サクラ,出前授業,2026年10月5日,北海道,A,\n"
                         "ﾓﾉ,札幌市,サクラ,出前授業,令和8年10月6日,東京,B,メモ\n"
                         "カネ,札幌市,サクラ,出前授業,２０２６－１０－０７,,C,\n"
                         "ヒト,札幌市,サクラ,出前授業,2026/10/08 0:00,,D,\n"));
  ASSERT_TRUE(parsed.has_value());
  ASSERT_EQ(parsed->records.size(), 4u)
      << (parsed->bad_rows.empty() ? "" : parsed->bad_rows[0].message);
  EXPECT_EQ(parsed->records[0].date.iso(), "2026-10-05");
  EXPECT_EQ(parsed->records[1].date.iso(), "2026-10-06");
  EXPECT_EQ(parsed->records[1].prefecture, "東京都");
  EXPECT_EQ(parsed->records[1].category, "モノ");
  EXPECT_EQ(parsed->records[2].date.iso(), "2026-10-07");
  EXPECT_EQ(parsed->records[3].date.iso(), "2026-10-08");
}

TEST(ParseRecords, FailsOnAMissingColumn) {
  auto parsed = parse_records(rows("id,date,title,company,prefecture\nR1,2026-10-05,a,b,\n"));
  ASSERT_FALSE(parsed.has_value());
  ExpectError(parsed, ErrorCode::kInvalidArgument,
              "見出し行に必要な列がありません: partner, category（必要な列: "
              "id,date,title,company,partner,prefecture,category）");
  ExpectError(parse_records({}), ErrorCode::kInvalidArgument, "入力ファイルに見出し行がありません");
}

}  // namespace
}  // namespace kakehashi::program::counting
