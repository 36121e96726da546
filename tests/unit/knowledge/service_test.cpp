// The knowledge services on a real database: search on a fixed corpus (1-, 2- and 3+-character
// queries, width and kana variants, facets), curation with the personal-information check,
// access per role, photos without metadata, and the import of last year's collection.
#include <gtest/gtest.h>

#include <algorithm>

#include "inspect/photo.h"
#include "knowledge/import.h"
#include "knowledge/opendata.h"
#include "knowledge/service.h"
#include "knowledge/store.h"
#include "support/result.h"
#include "unit/call/fixture.h"

namespace kakehashi::knowledge {
namespace {

using namespace std::chrono;
using ::kakehashi::testing::ExpectError;

class KnowledgeTest : public call::testing::CallFixture {
 protected:
  auth::Principal sec() { return principal(secretariat_); }

  Draft case_draft(std::string title, std::string summary, std::string category = "hito",
                   std::string block = "hokkaido") {
    Draft d;
    d.kind = Kind::kCase;
    d.title = std::move(title);
    d.summary = std::move(summary);
    d.category = std::move(category);
    d.block_id = std::move(block);
    d.year = 2026;
    d.consent = true;
    return d;
  }

  std::int64_t published(Draft d) {
    auto id = create_item(tx(), sec(), d, now_);
    EXPECT_OK(id);
    EXPECT_OK(submit(tx(), sec(), *id, now_));
    EXPECT_OK(approve(tx(), sec(), *id, now_));
    EXPECT_OK(publish(tx(), sec(), *id, now_));
    return *id;
  }

  std::vector<std::string> titles(const SearchResult& r) {
    std::vector<std::string> out;
    for (const auto& h : r.hits) out.push_back(h.item.title);
    std::ranges::sort(out);
    return out;
  }

  SearchResult find(std::string q, std::string category = "", std::string block = "", std::string school = "") {
    SearchRequest s;
    s.q = std::move(q);
    s.category = std::move(category);
    s.block_id = std::move(block);
    s.school_type = std::move(school);
    auto r = search_published(tx(), s);
    EXPECT_OK(r);
    return r.value_or(SearchResult{});
  }

  // The fixed corpus: four published cases, one draft.
  void corpus() {
    Draft english = case_draft("英語の授業に企業人材", "外資系企業の社員が英語で商談を再現した。");
    english.school_types = {"junior_high"};
    english.effects = {"education_motivation"};
    published(english);
    Draft money = case_draft("金融教育の出前授業", "信用金庫が金融の仕組みを教えた。", "hito", "kanto");
    money.school_types = {"elementary"};
    published(money);
    Draft it = case_draft("ＩＴ企業とプログラミング", "エンジニアがﾌﾟﾛｸﾞﾗﾐﾝｸﾞを指導した。", "mono", "kanto");
    it.school_types = {"high"};
    published(it);
    Draft furusato = case_draft("ふるさと納税で財源を確保", "町が寄附を募り、授業の費用に充てた。", "kane", "kyushu");
    furusato.school_types = {"elementary", "junior_high"};
    published(furusato);
    auto draft = create_item(tx(), sec(), case_draft("英語の下書き", "まだ公開しない英語の事例。"), now_);
    ASSERT_OK(draft);
  }
};

TEST_F(KnowledgeTest, OneTwoAndThreeCharacterQueriesFindExactlyTheCasesContainingThem) {
  corpus();
  EXPECT_EQ(titles(find("英語")), (std::vector<std::string>{"英語の授業に企業人材"}));  // 2 characters
  EXPECT_EQ(titles(find("金融")), (std::vector<std::string>{"金融教育の出前授業"}));
  EXPECT_EQ(titles(find("IT")), (std::vector<std::string>{"ＩＴ企業とプログラミング"}));
  EXPECT_EQ(titles(find("町")), (std::vector<std::string>{"ふるさと納税で財源を確保"}));  // 1 character
  EXPECT_EQ(titles(find("授業")).size(), 3u);
  EXPECT_EQ(titles(find("出前授業")), (std::vector<std::string>{"金融教育の出前授業"}));  // 4 characters: trigram
  EXPECT_EQ(titles(find("ふるさと")), (std::vector<std::string>{"ふるさと納税で財源を確保"}));
  EXPECT_TRUE(find("宇宙").hits.empty());
  EXPECT_TRUE(find("宇宙開発").hits.empty());
}

TEST_F(KnowledgeTest, WidthAndKanaVariantsFindEachOther) {
  corpus();
  EXPECT_EQ(titles(find("ｉｔ")), (std::vector<std::string>{"ＩＴ企業とプログラミング"}));
  EXPECT_EQ(titles(find("ぷろぐらみんぐ")), (std::vector<std::string>{"ＩＴ企業とプログラミング"}));
  EXPECT_EQ(titles(find("ﾌﾟﾛｸﾞﾗﾐﾝｸﾞ")), (std::vector<std::string>{"ＩＴ企業とプログラミング"}));
  EXPECT_EQ(titles(find("フルサト")), (std::vector<std::string>{"ふるさと納税で財源を確保"}));
  // Several terms must all match.
  EXPECT_EQ(titles(find("英語 商談")), (std::vector<std::string>{"英語の授業に企業人材"}));
  EXPECT_TRUE(find("英語 金融").hits.empty());
}

TEST_F(KnowledgeTest, FacetsCountTheFilteredResult) {
  corpus();
  SearchResult all = find("");
  EXPECT_EQ(all.total, 4);
  ASSERT_EQ(all.categories.size(), 3u);
  EXPECT_EQ(all.categories[0].label, "ヒト");
  EXPECT_EQ(all.categories[0].count, 2);
  EXPECT_EQ(all.categories[1].label, "モノ");
  EXPECT_EQ(all.categories[2].label, "カネ");
  ASSERT_EQ(all.blocks.size(), 3u);
  EXPECT_EQ(all.blocks[0].label, "北海道ブロック");
  EXPECT_EQ(all.blocks[1].count, 2);  // 関東
  ASSERT_EQ(all.school_types.size(), 3u);
  EXPECT_EQ(all.school_types[0].code, "elementary");
  EXPECT_EQ(all.school_types[0].count, 2);
  SearchResult kanto = find("", "", "kanto");
  EXPECT_EQ(kanto.total, 2);
  EXPECT_EQ(titles(find("授業", "hito", "kanto")), (std::vector<std::string>{"金融教育の出前授業"}));
  EXPECT_EQ(titles(find("", "", "", "junior_high")).size(), 2u);
}

TEST_F(KnowledgeTest, SnippetsMarkTheHitAndEscapeTheText) {
  Draft d = case_draft("<script>alert(1)</script>", "信用金庫が<b>金融</b>の仕組みを教えた。");
  published(d);
  SearchResult r = find("金融");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.hits[0].snippet_html, "信用金庫が&lt;b&gt;<mark>金融</mark>&lt;/b&gt;の仕組みを教えた。");
}

TEST_F(KnowledgeTest, TheIndexFollowsChanges) {
  auto id = create_item(tx(), sec(), case_draft("旧題", "古い本文"), now_);
  ASSERT_OK(id);
  Draft d = case_draft("新題", "新しい本文にはロボットが出てくる");
  ASSERT_OK(update_item(tx(), sec(), *id, d, now_));
  SearchRequest s;
  s.q = "ロボット";
  auto found = search_for(tx(), sec(), s);
  ASSERT_OK(found);
  EXPECT_EQ(found->total, 1);
  s.q = "古い";
  found = search_for(tx(), sec(), s);
  ASSERT_OK(found);
  EXPECT_EQ(found->total, 0);
  s.q = "古";  // the gram index too
  found = search_for(tx(), sec(), s);
  ASSERT_OK(found);
  EXPECT_EQ(found->total, 0);
}

TEST_F(KnowledgeTest, UnpublishedItemsStayOffThePublicSearchAndPages) {
  corpus();
  EXPECT_TRUE(find("下書き").hits.empty());
  SearchRequest s;
  s.q = "下書き";
  auto staff = search_for(tx(), sec(), s);
  ASSERT_OK(staff);
  EXPECT_EQ(staff->total, 1);
  auto drafts = search_for(tx(), principal(operator_b_), s);
  ASSERT_OK(drafts);
  EXPECT_EQ(drafts->total, 0);  // another organisation's draft
  auto id = staff->hits[0].item.id;
  auto pub = find_published(tx(), id);
  ASSERT_OK(pub);
  EXPECT_FALSE(*pub);
  auto published_cases = published_items(tx(), Kind::kCase);
  ASSERT_OK(published_cases);
  EXPECT_EQ(published_cases->size(), 4u);
  std::string csv = cases_csv(*published_cases, "https://example.jp");
  EXPECT_TRUE(csv.starts_with("\xEF\xBB\xBF" "ID,URL,タイトル"));
  EXPECT_EQ(csv.find("下書き"), std::string::npos);
}

TEST_F(KnowledgeTest, CurationRunsDraftReviewApprovedPublishedWithdrawnAndIsAudited) {
  auto op = principal(operator_a_);
  auto id = create_item(tx(), op, case_draft("みらいの事例", "企業と学校の連携"), now_);
  ASSERT_OK(id);
  auto item = store::find_item(tx(), *id);
  ASSERT_OK(item);
  EXPECT_EQ((*item)->organisation_id, org_a_);
  // Another operator neither sees nor edits it.
  auto other = find_item(tx(), principal(operator_b_), *id);
  ASSERT_OK(other);
  EXPECT_FALSE(*other);
  ExpectError(update_item(tx(), principal(operator_b_), *id, case_draft("x", "y"), now_), ErrorCode::kNotFound,
              "事例・教訓が見つかりません");
  // The operator cannot approve.
  ASSERT_OK(submit(tx(), op, *id, now_));
  ExpectError(approve(tx(), op, *id, now_), ErrorCode::kPermissionDenied, "事例・教訓を審査する権限がありません");
  ExpectError(update_item(tx(), op, *id, case_draft("x", "y"), now_), ErrorCode::kPermissionDenied,
              "この事例・教訓を編集する権限がありません");
  ASSERT_OK(return_to_draft(tx(), sec(), *id, "効果の数値を追記してください", now_));
  ASSERT_OK(submit(tx(), op, *id, now_));
  ASSERT_OK(approve(tx(), sec(), *id, now_));
  ExpectError(update_item(tx(), sec(), *id, case_draft("x", "y"), now_), ErrorCode::kConflict,
              "承認・公開後の事例・教訓は編集できません。公開を停止してから編集してください");
  ASSERT_OK(publish(tx(), sec(), *id, now_));
  ExpectError(withdraw(tx(), sec(), *id, " ", now_), ErrorCode::kInvalidArgument, "公開を停止する理由を入力してください");
  ASSERT_OK(withdraw(tx(), sec(), *id, "企業から掲載停止の依頼", now_));
  auto gone = find_published(tx(), *id);
  ASSERT_OK(gone);
  EXPECT_FALSE(*gone);
  std::string object = "knowledge:" + std::to_string(*id);
  for (const char* action : {"knowledge.create", "knowledge.submit", "knowledge.return", "knowledge.check",
                             "knowledge.approve", "knowledge.publish", "knowledge.withdraw"})
    EXPECT_GE(audit_count(action, object), 1) << action;
}

TEST_F(KnowledgeTest, PersonalInformationBlocksApprovalUntilResolvedOrAccepted) {
  Draft d = case_draft("連絡先の載った事例", "詳しくは担当（電話 090-1234-5678）まで。");
  auto id = create_item(tx(), sec(), d, now_);
  ASSERT_OK(id);
  ASSERT_OK(submit(tx(), sec(), *id, now_));
  auto refused = approve(tx(), sec(), *id, now_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "個人情報の可能性がある箇所が 1 件あります。本文を修正するか、理由を記入して公開を了承してください");
  auto item = store::find_item(tx(), *id);
  ASSERT_OK(item);
  ASSERT_EQ((*item)->pii_findings.size(), 1u);
  EXPECT_EQ((*item)->pii_findings[0].field, "概要");
  EXPECT_EQ((*item)->pii_findings[0].masked.find("1234"), std::string::npos);  // masked
  ExpectError(accept_findings(tx(), sec(), *id, "", now_), ErrorCode::kInvalidArgument, "公開してよい理由を入力してください");
  ASSERT_OK(accept_findings(tx(), sec(), *id, "学校の代表番号で、掲載の了承を得ている", now_));
  ASSERT_OK(approve(tx(), sec(), *id, now_));
  // Resolving instead: a second case whose number is removed passes.
  auto id2 = create_item(tx(), sec(), d, now_);
  ASSERT_OK(id2);
  ASSERT_OK(submit(tx(), sec(), *id2, now_));
  ASSERT_FALSE(approve(tx(), sec(), *id2, now_));
  ASSERT_OK(update_item(tx(), sec(), *id2, case_draft("連絡先の載った事例", "詳しくは学校のウェブサイトへ。"), now_));
  ASSERT_OK(approve(tx(), sec(), *id2, now_));
}

TEST_F(KnowledgeTest, ACaseWithoutConsentIsNotApproved) {
  Draft d = case_draft("同意のない事例", "本文");
  d.consent = false;
  auto id = create_item(tx(), sec(), d, now_);
  ASSERT_OK(id);
  ASSERT_OK(submit(tx(), sec(), *id, now_));
  auto refused = approve(tx(), sec(), *id, now_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "関係者の公開への同意が記録されていません。同意を確認してから承認してください");
}

TEST_F(KnowledgeTest, ValidationReportsEveryProblemAtOnce) {
  Draft d;
  d.kind = Kind::kCase;
  d.year = 1990;
  d.prefecture = "架空県";
  d.figures = {Figure{"参加者", "たくさん", "人"}};
  auto errors = validate(d);
  std::vector<std::string> fields;
  for (const auto& e : errors) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"title", "summary", "category", "prefecture", "year", "figures"}));
}

// A JPEG with an EXIF block holding GPS and an artist: what a phone camera writes.
std::string jpeg_with_exif() {
  std::string tiff = "MM";
  tiff += std::string("\x00\x2A\x00\x00\x00\x08", 6);
  // IFD0: 2 entries: Artist (0x013B, ASCII) and GPS IFD pointer (0x8825).
  tiff += std::string("\x00\x02", 2);
  tiff += std::string("\x01\x3B\x00\x02\x00\x00\x00\x04", 8) + std::string("Taro", 4);
  tiff += std::string("\x88\x25\x00\x04\x00\x00\x00\x01\x00\x00\x00\x26", 12);
  tiff += std::string("\x00\x00\x00\x00", 4);
  // GPS IFD at 0x26: 1 entry GPSLatitudeRef 'N'.
  tiff += std::string("\x00\x01", 2);
  tiff += std::string("\x00\x01\x00\x02\x00\x00\x00\x02", 8) + std::string("N\0\0\0", 4);
  tiff += std::string("\x00\x00\x00\x00", 4);
  std::string app1 = "Exif";
  app1 += std::string("\0\0", 2);
  app1 += tiff;
  std::string out = "\xFF\xD8";
  std::size_t length = app1.size() + 2;
  out += "\xFF\xE1";
  out.push_back(static_cast<char>(length >> 8));
  out.push_back(static_cast<char>(length & 0xFF));
  out += app1;
  out += std::string("\xFF\xDA\x00\x08\x01\x01\x00\x00\x3F\x00", 10);
  out += "pixels";
  out += "\xFF\xD9";
  return out;
}

TEST_F(KnowledgeTest, PhotosAreStoredWithoutMetadata) {
  std::string jpeg = jpeg_with_exif();
  ASSERT_TRUE(inspect::read_photo_metadata(jpeg).any());
  auto id = create_item(tx(), sec(), case_draft("写真つきの事例", "本文"), now_);
  ASSERT_OK(id);
  auto photo_id = add_photo(tx(), sec(), *id, "授業の様子", jpeg, now_);
  ASSERT_OK(photo_id);
  auto stored = store::photo(tx(), *photo_id);
  ASSERT_OK(stored);
  ASSERT_TRUE(*stored);
  EXPECT_FALSE(inspect::read_photo_metadata((*stored)->second).any());
  EXPECT_EQ((*stored)->second.find("Taro"), std::string::npos);
  EXPECT_NE((*stored)->second.find("pixels"), std::string::npos);
  // Not public before publication.
  auto hidden = find_photo(tx(), nullptr, *photo_id);
  ASSERT_OK(hidden);
  EXPECT_FALSE(*hidden);
  std::string type, removed;
  ExpectError(clean_photo("GIF89a", type, removed), ErrorCode::kInvalidArgument, "写真は JPEG か PNG を選んでください");
}

TEST_F(KnowledgeTest, ImportsLastYearsCollectionWithAColumnMapping) {
  std::string csv =
      "事例名,概要,連携分野,所在地,対象校種,年度\n"
      "地域の銀行と金融教育,銀行員が授業をした,カネ,北海道,小学校・中学校,2025\n"
      "工場見学をオンラインで,工場と学校を中継した,ﾓﾉ,福岡県,小学校,令和7年度\n";
  auto upload = upload_collection(tx(), sec(), "2025事例集.csv", csv, now_);
  ASSERT_OK(upload);
  auto pending = find_import(tx(), sec(), *upload);
  ASSERT_OK(pending);
  ASSERT_TRUE(*pending);
  ColumnMapping guessed = guess_columns((*pending)->headers);
  EXPECT_EQ(guessed["title"], "事例名");
  EXPECT_EQ(guessed["category"], "連携分野");
  ImportOptions options{guessed, "2025年度事例集", 2025};
  options.columns["summary"] = "";  // a required column left out
  auto problems = check_import(tx(), sec(), *upload, options);
  ASSERT_OK(problems);
  ASSERT_EQ(problems->size(), 1u);
  EXPECT_EQ((*problems)[0].message, "「概要」の列を選んでください");
  options.columns["summary"] = "概要";
  auto n = import_collection(tx(), sec(), *upload, options, now_);
  ASSERT_OK(n);
  EXPECT_EQ(*n, 2);
  SearchRequest s;
  s.q = "金融";
  auto found = search_for(tx(), sec(), s);
  ASSERT_OK(found);
  ASSERT_EQ(found->total, 1);
  const Item& imported = found->hits[0].item;
  EXPECT_EQ(imported.source, "2025年度事例集");
  EXPECT_EQ(imported.year, 2025);
  EXPECT_EQ(imported.status, Status::kReview);
  EXPECT_EQ(imported.category, "kane");
  EXPECT_EQ(imported.block_id, "hokkaido");
  EXPECT_EQ(imported.school_types, (std::vector<std::string>{"elementary", "junior_high"}));
  ExpectError(import_collection(tx(), sec(), *upload, options, now_), ErrorCode::kConflict, "このファイルは取り込み済みです");
  // Operators may not import.
  ExpectError(upload_collection(tx(), principal(operator_a_), "x.csv", csv, now_), ErrorCode::kPermissionDenied,
              "事例集を取り込む権限がありません");
}

TEST_F(KnowledgeTest, ImportRefusesAllRowsWhenOneIsWrong) {
  std::string csv = "タイトル,概要,分野\n良い行,概要,ヒト\n悪い行,概要,ヒトモノ\n";
  auto upload = upload_collection(tx(), sec(), "c.csv", csv, now_);
  ASSERT_OK(upload);
  auto pending = find_import(tx(), sec(), *upload);
  ASSERT_OK(pending);
  ImportOptions options{guess_columns((*pending)->headers), "2025年度事例集", 2025};
  auto problems = check_import(tx(), sec(), *upload, options);
  ASSERT_OK(problems);
  ASSERT_EQ(problems->size(), 1u);
  EXPECT_EQ((*problems)[0].message, "3行目: 分野「ヒトモノ」が分かりません（ヒト・モノ・カネ）");
  ExpectError(import_collection(tx(), sec(), *upload, options, now_), ErrorCode::kInvalidArgument,
              "3行目: 分野「ヒトモノ」が分かりません（ヒト・モノ・カネ）");
  EXPECT_EQ(count("SELECT count(*) FROM knowledge_items"), 0);
}

TEST_F(KnowledgeTest, ReportChaptersCarryAChartWithItsData) {
  corpus();
  auto chapters = report_chapters(tx());
  ASSERT_OK(chapters);
  EXPECT_EQ(chapters->cases, 4u);
  EXPECT_NE(chapters->markdown.find("# 事例集"), std::string::npos);
  EXPECT_NE(chapters->markdown.find("```chart"), std::string::npos);
  EXPECT_NE(chapters->markdown.find("# ポイント集"), std::string::npos);
  EXPECT_EQ(chapters->markdown.find("英語の下書き"), std::string::npos);
}

}  // namespace
}  // namespace kakehashi::knowledge
