// Surveys (issue 20): uploads in UTF-8, UTF-8 with BOM, Shift_JIS and XLSX give the same result;
// bad input (unknown encoding, no key column, mismatched scales, fewer than two pairs) is refused
// with a Japanese message and saves nothing; the mapping is remembered; the stored result is the
// engine's JSON; personal data stays with the secretariat and the operator concerned; the
// reading for officials says 「有意に向上した」 only when it did.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "base/text.h"
#include "docs/figures.h"
#include "effects/report.h"
#include "effects/service.h"
#include "inspect/isolate.h"
#include "support/result.h"
#include "support/temp_dir.h"
#include "survey/report.h"
#include "unit/effects/fixture.h"

using ::kakehashi::testing::ExpectError;
using ::kakehashi::testing::ExpectErrorCode;

namespace kakehashi::effects::testing {
namespace {

// The CSV text as an XLSX workbook (one sheet, text cells), written by the document engine.
std::string as_xlsx(const std::string& csv_text, const std::filesystem::path& path) {
  auto rows = csv::parse(csv_text);
  EXPECT_OK(rows);
  docs::DataTable table;
  table.header = rows->front().fields;
  for (std::size_t r = 1; r < rows->size(); ++r) {
    std::vector<docs::DataCell> cells;
    for (const auto& f : (*rows)[r].fields) cells.push_back(docs::DataCell{f});
    table.rows.push_back(std::move(cells));
  }
  EXPECT_OK(docs::write_figure_xlsx({"", "回答", table}, path));
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class SurveysTest : public ProgrammeFixture {
 protected:
  std::int64_t survey(std::int64_t op = 0, const std::string& block = "hokkaido") {
    SurveyDraft d{"", block, "探究学習 意識調査"};
    auto id = create_survey(tx(), principal(secretariat_), op ? op : op_a_, d, published_);
    EXPECT_OK(id);
    return id.value_or(0);
  }
  // Uploads, maps and runs; returns the stored result.
  std::string analysed(std::int64_t id, const InspectedUpload& pre, const InspectedUpload& post) {
    EXPECT_OK(stage_files(tx(), principal(operator_a_), id, pre, post, published_));
    EXPECT_OK(save_mapping(tx(), principal(operator_a_), id, standard_mapping(), published_));
    EXPECT_OK(run(tx(), principal(operator_a_), id, published_));
    auto s = find_survey(tx(), principal(secretariat_), id);
    EXPECT_OK(s);
    return s && *s ? (*s)->result : "";
  }
  Survey loaded(std::int64_t id) {
    auto s = find_survey(tx(), principal(secretariat_), id);
    EXPECT_TRUE(s && s);
    return s && *s ? **s : Survey{};
  }
  ::kakehashi::testing::TempDir dir_;
};

TEST_F(SurveysTest, TheFourFormatsGiveTheSameResult) {
  std::string utf8 = analysed(survey(), upload("pre.csv", kPre), upload("post.csv", kPost));
  std::string bom = analysed(survey(), upload("pre.csv", "\xEF\xBB\xBF" + kPre), upload("post.csv", "\xEF\xBB\xBF" + kPost));
  std::string sjis = analysed(survey(), upload("pre.csv", text::utf8_to_cp932(kPre)),
                              upload("post.csv", text::utf8_to_cp932(kPost)));
  std::string xlsx = analysed(survey(), upload("pre.xlsx", as_xlsx(kPre, dir_.file("pre.xlsx"))),
                              upload("post.xlsx", as_xlsx(kPost, dir_.file("post.xlsx"))));
  ASSERT_FALSE(utf8.empty());
  EXPECT_NE(text::utf8_to_cp932(kPre), kPre);  // really another encoding
  EXPECT_EQ(bom, utf8);
  EXPECT_EQ(sjis, utf8);
  EXPECT_EQ(xlsx, utf8);
  auto v = boost::json::parse(utf8).as_object();
  EXPECT_EQ(v.at("respondents").as_int64(), 9);
  auto items = v.at("items").as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].at("label").as_string(), "興味");
  EXPECT_EQ(items[0].at("n").as_int64(), 7);  // S01–S07 in both waves
  // Q1: pre 2,1,3,2,2,1,3 → post 4,3,4,3,3,2,4: every pupil up by one or two.
  EXPECT_NEAR(items[0].at("mean_diff").to_number<double>(), 9.0 / 7.0, 1e-12);
  // Q3 is reversed: 「とてもそう思う」 (that presenting is hard) counts 1.
  EXPECT_NEAR(items[2].at("mean_pre").to_number<double>(), (1 + 2 + 3 + 1 + 2 + 2 + 1) / 7.0, 1e-12);
}

TEST_F(SurveysTest, TheStoredResultIsTheEnginesOnTheCombinedTable) {
  std::int64_t id = survey();
  std::string stored = analysed(id, upload("pre.csv", kPre), upload("post.csv", kPost));
  Survey s = loaded(id);
  ASSERT_OK_AND_ASSIGN(auto input, engine_input(tx(), s, false));
  ASSERT_OK_AND_ASSIGN(auto config, survey::parse_config(s.config));
  ASSERT_OK_AND_ASSIGN(auto result, survey::analyze(input.rows, config, 1));
  EXPECT_EQ(survey::format_json(survey::to_json(result)), stored);
  // The combined table's lines are those of the pre rows then the post rows under one header.
  EXPECT_EQ(input.rows.size(), 17u);
  EXPECT_EQ(input.rows[9].line, 10u);
  EXPECT_EQ(input.rows[9].fields[1], "事後");
  EXPECT_EQ(s.pairs, 7);
}

TEST_F(SurveysTest, AnUnknownEncodingIsRefusedAndNothingSaved) {
  std::int64_t id = survey();
  std::string garbage = "\x80\x80\xFF\xFE\x81\x20\xA0\xFD";
  ExpectError(stage_files(tx(), principal(operator_a_), id, upload("pre.csv", garbage), upload("post.csv", kPost), published_),
              ErrorCode::kInvalidArgument,
              "事前の回答ファイル「pre.csv」: 文字コードを判別できません。UTF-8 または Shift_JIS の CSV、または Excel（.xlsx）で保存してください");
  EXPECT_EQ(count("SELECT COUNT(*) FROM effect_survey_files"), 0);
  ExpectError(stage_files(tx(), principal(operator_a_), id, upload("pre.csv", kPre),
                          upload("post.csv", "出席番号,Q1\n"), published_),
              ErrorCode::kInvalidArgument, "事後の回答ファイル「post.csv」: 見出し行のほかに回答の行がありません");
  EXPECT_EQ(count("SELECT COUNT(*) FROM effect_survey_files"), 0);
}

TEST_F(SurveysTest, MappingProblemsAreAllReported) {
  std::int64_t id = survey();
  ASSERT_OK(stage_files(tx(), principal(operator_a_), id, upload("pre.csv", kPre), upload("post.csv", kPost), published_));
  SurveyMapping m = standard_mapping();
  m.respondent = "";
  ASSERT_OK_AND_ASSIGN(auto no_key, check(tx(), id, m));
  ASSERT_EQ(no_key.size(), 1u);
  EXPECT_EQ(no_key[0].message, "回答者を識別する列（出席番号・メールアドレスなど）を選んでください");
  m.respondent = "学籍番号";
  ASSERT_OK_AND_ASSIGN(auto missing, check(tx(), id, m));
  ASSERT_EQ(missing.size(), 2u);
  EXPECT_EQ(missing[0].message, "回答者を識別する列「学籍番号」が事前の回答ファイルにありません");
  // Mismatched scales: a 5-point label in a 4-point scale.
  m = standard_mapping();
  m.scale = {"全くそう思わない", "あまりそう思わない", "とてもそう思う"};
  ASSERT_OK_AND_ASSIGN(auto scale, check(tx(), id, m));
  ASSERT_FALSE(scale.empty());
  EXPECT_EQ(scale[0].field, "scale");
  EXPECT_EQ(scale[0].message,
            "尺度がそろっていません: 設問「Q1 興味がある」の事前の回答 「ややそう思う」 が選択肢にありません。"
            "事前と事後で同じ選択肢を使っているか確認してください");
  // Fewer than two pairs: keying on the timestamp matches nobody.
  m = standard_mapping();
  m.respondent = "タイムスタンプ";
  ExpectError(save_mapping(tx(), principal(operator_a_), id, m, published_), ErrorCode::kInvalidArgument,
              "事前と事後の両方に回答した人が 2 人未満のため分析できません（対応のとれた回答: 0 組）。"
              "回答者を識別する列が正しいか確認してください");
  Survey s = loaded(id);
  EXPECT_TRUE(s.mapping.empty());
  ExpectError(run(tx(), principal(operator_a_), id, published_), ErrorCode::kInvalidArgument, "先に列の対応を保存してください");
}

TEST_F(SurveysTest, TheMappingIsRememberedAndABadNextUploadSavesNothing) {
  std::int64_t id = survey();
  std::string first = analysed(id, upload("pre.csv", kPre), upload("post.csv", kPost));
  // No staged files now: the form needs them.
  ExpectError(mapping_form(tx(), principal(operator_a_), id), ErrorCode::kInvalidArgument,
              "事前と事後の回答ファイルをアップロードしてください");
  std::string renamed = kPost;
  renamed.replace(renamed.find("出席番号"), std::string("出席番号").size(), "番号");
  ExpectErrorCode(stage_files(tx(), principal(operator_a_), id, upload("pre.csv", kPre), upload("post.csv", renamed), published_),
                  ErrorCode::kInvalidArgument);
  EXPECT_EQ(count("SELECT COUNT(*) FROM effect_survey_files WHERE state = 'staged'"), 0);
  ASSERT_OK(stage_files(tx(), principal(operator_a_), id, upload("pre.csv", kPre), upload("post2.csv", kPost), published_));
  ASSERT_OK_AND_ASSIGN(auto remembered, mapping_form(tx(), principal(operator_a_), id));
  EXPECT_TRUE(remembered.remembered);
  EXPECT_EQ(remembered.mapping.respondent, "出席番号");
  ASSERT_OK_AND_ASSIGN(Pairing p, preview(tx(), principal(operator_a_), id));
  EXPECT_EQ(p.matched, 7u);
  EXPECT_EQ(p.only_pre, std::vector<std::string>{"S08"});
  EXPECT_EQ(p.only_post, std::vector<std::string>{"S09"});
  ASSERT_OK(run(tx(), principal(operator_a_), id, published_));
  Survey s = loaded(id);
  EXPECT_EQ(s.result, first);
  EXPECT_EQ(count("SELECT COUNT(*) FROM effect_survey_files WHERE survey_id = ?", {id}), 2);
}

TEST_F(SurveysTest, AMappingIsGuessedFromLikertColumnsAndKeyNames) {
  std::int64_t id = survey();
  ASSERT_OK(stage_files(tx(), principal(operator_a_), id, upload("pre.csv", kPre), upload("post.csv", kPost), published_));
  ASSERT_OK_AND_ASSIGN(auto form, mapping_form(tx(), principal(operator_a_), id));
  EXPECT_FALSE(form.remembered);
  EXPECT_EQ(form.mapping.respondent, "出席番号");
  ASSERT_EQ(form.mapping.items.size(), 3u);
  EXPECT_EQ(form.mapping.scale, standard_mapping().scale);
}

TEST_F(SurveysTest, PersonalDataStaysWithTheSecretariatAndTheOperator) {
  std::string dup_pre = kPre + "2026/09/01 9:09,S01,とてもそう思う,とてもそう思う,とてもそう思う,\n";
  std::int64_t id = survey();
  analysed(id, upload("pre.csv", dup_pre), upload("post.csv", kPost));
  Survey s = loaded(id);
  ASSERT_OK_AND_ASSIGN(auto full, results_json(tx(), principal(operator_a_), s));
  std::string reason(full.at("skipped").as_array()[0].at("reason").as_string());
  EXPECT_NE(reason.find("S01"), std::string::npos) << reason;
  ASSERT_OK_AND_ASSIGN(auto withheld, results_json(tx(), principal(meti_), s));
  EXPECT_EQ(withheld.at("skipped").as_array()[0].at("reason").as_string(),
            "回答票を集計から除きました（理由は事務局と実証事業者のみ表示）");
  EXPECT_EQ(boost::json::serialize(withheld).find("S01"), std::string::npos);
  ASSERT_OK_AND_ASSIGN(auto text, free_text(tx(), principal(operator_a_), s));
  ASSERT_EQ(text.size(), 1u);
  EXPECT_EQ(text[0].second, (std::vector<std::string>{"事後: 楽しかった", "事後: 企業の話が面白かった"}));
  ExpectErrorCode(free_text(tx(), principal(meti_), s), ErrorCode::kPermissionDenied);
  ExpectErrorCode(preview(tx(), principal(bureau_hokkaido_), id), ErrorCode::kPermissionDenied);
  auto other = find_survey(tx(), principal(operator_b_), id);
  ASSERT_OK(other);
  EXPECT_FALSE(other->has_value());
  // Charts and the report chapter carry aggregates only.
  auto reading = read_result(withheld);
  for (const Figure& f : {survey_means_figure(reading), survey_change_figure(reading)}) {
    EXPECT_EQ(f.svg.find("S0"), std::string::npos);
    EXPECT_EQ(f.svg.find("楽しかった"), std::string::npos);
  }
  ASSERT_OK_AND_ASSIGN(auto chapter, report_chapter(tx(), principal(meti_)));
  EXPECT_EQ(chapter.markdown.find("S01"), std::string::npos);
  EXPECT_EQ(chapter.markdown.find("楽しかった"), std::string::npos);
  EXPECT_NE(chapter.markdown.find("### 探究学習 意識調査（株式会社みらい産学連携・北海道ブロック）"), std::string::npos);
  EXPECT_EQ(chapter.figures.size(), 9u);  // 4 charts, 4 roll-up tables, 1 survey table
}

TEST_F(SurveysTest, OfficialsReadHolmAdjustedVerdicts) {
  auto json = boost::json::parse(R"({"title":"t","pre":"事前","post":"事後","respondents":30,"skipped":[],"items":[
    {"column":"A","label":"向上","n":30,"mean_pre":2.0,"mean_post":2.6,"mean_diff":0.6,"dz":0.9,
     "t_test":{"t":4.9,"df":29,"p":0.001,"ci95":[0.35,0.85]},"wilcoxon":{"V":300,"p":0.002}},
    {"column":"B","label":"境界","n":30,"mean_pre":2.0,"mean_post":2.2,"mean_diff":0.2,"dz":0.3,
     "t_test":{"t":2.1,"df":29,"p":0.03,"ci95":[0.01,0.39]},"wilcoxon":{"V":200,"p":0.04}},
    {"column":"C","label":"低下","n":30,"mean_pre":3.0,"mean_post":2.5,"mean_diff":-0.5,"dz":-0.6,
     "t_test":{"t":-3.5,"df":29,"p":0.004,"ci95":[-0.8,-0.2]},"wilcoxon":{"V":50,"p":0.005}},
    {"column":"D","label":"不能","n":1,"mean_pre":2.0,"mean_post":3.0,"mean_diff":1.0,"dz":null,
     "t_test":null,"wilcoxon":null,"note":"回答の組が 2 組未満のため検定できません"}]})");
  SurveyReading r = read_result(json);
  ASSERT_EQ(r.items.size(), 4u);
  EXPECT_DOUBLE_EQ(*r.items[0].p_holm, 0.003);  // 3 × 0.001
  EXPECT_DOUBLE_EQ(*r.items[2].p_holm, 0.008);  // 2 × 0.004
  EXPECT_DOUBLE_EQ(*r.items[1].p_holm, 0.03);   // 1 × 0.03
  EXPECT_EQ(r.items[0].sentence, "事後の平均が事前より 0.60 点高く、有意に向上した（補正後 p = 0.003）。");
  EXPECT_EQ(r.items[1].sentence, "事後の平均が事前より 0.20 点高く、有意に向上した（補正後 p = 0.03）。");
  EXPECT_EQ(r.items[2].sentence, "事後の平均が事前より 0.50 点低く、有意に低下した（補正後 p = 0.008）。");
  EXPECT_EQ(r.items[3].sentence, "回答の組が 2 組未満のため検定できません");
  EXPECT_EQ(r.items[0].effect_label, "大きい");
  EXPECT_NE(r.care.find("Holm 法"), std::string::npos);
  // Unadjusted 0.03 among five items would not survive: 5 × 0.03 = 0.15.
  auto five = boost::json::parse(R"({"items":[{"column":"A","n":30,"mean_diff":0.2,"t_test":{"t":2.1,"df":29,"p":0.03,"ci95":[0.01,0.39]}},
    {"column":"B","n":30,"mean_diff":0.1,"t_test":{"t":1,"df":29,"p":0.5,"ci95":[-1,1]}},
    {"column":"C","n":30,"mean_diff":0.1,"t_test":{"t":1,"df":29,"p":0.6,"ci95":[-1,1]}},
    {"column":"D","n":30,"mean_diff":0.1,"t_test":{"t":1,"df":29,"p":0.7,"ci95":[-1,1]}},
    {"column":"E","n":30,"mean_diff":0.1,"t_test":{"t":1,"df":29,"p":0.8,"ci95":[-1,1]}}]})");
  SurveyReading r5 = read_result(five);
  EXPECT_DOUBLE_EQ(*r5.items[0].p_holm, 0.15);
  EXPECT_EQ(r5.items[0].sentence, "事前と事後の差（+0.20 点）は統計的に有意ではなく、向上したとはいえない（補正後 p = 0.15）。");
}

TEST_F(SurveysTest, TheInspectorAcceptsCsvAndXlsxAndRefusesOtherFiles) {
  // The inspector's child is the built kakehashi, never this test binary (it would start itself).
  const char* bin = std::getenv("KAKEHASHI_BIN");
  ASSERT_TRUE(bin && *bin) << "KAKEHASHI_BIN is not set (run through ctest)";
  inspect::set_inspection_program(bin);
  std::filesystem::path csv_path = dir_.file("pre.csv");
  std::ofstream(csv_path, std::ios::binary) << text::utf8_to_cp932(kPre);
  ASSERT_OK_AND_ASSIGN(auto csv, inspect_upload(csv_path, "pre.csv", "abc"));
  EXPECT_EQ(csv.bytes, text::utf8_to_cp932(kPre));
  EXPECT_NE(csv.inspection.find("\"type\":\"csv\""), std::string::npos);
  std::filesystem::path xlsx_path = dir_.file("post.xlsx");
  as_xlsx(kPost, xlsx_path);
  ASSERT_OK(inspect_upload(xlsx_path, "post.xlsx", "def"));
  std::filesystem::path pdf = dir_.file("answers.pdf");
  std::ofstream(pdf, std::ios::binary) << "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
  ExpectError(inspect_upload(pdf, "answers.pdf", "x"), ErrorCode::kInvalidArgument,
              "「answers.pdf」は読み込めません。回答ファイルは CSV または Excel（.xlsx）にしてください");
}

}  // namespace
}  // namespace kakehashi::effects::testing
