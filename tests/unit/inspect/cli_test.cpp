// `kakehashi inspect` and `kakehashi clean` end to end: output, JSON shape and exit codes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>

#include "support/temp_dir.h"
#include "unit/inspect/fixtures.h"

namespace kakehashi::inspect {
namespace {

namespace fs = std::filesystem;

struct CommandRun {
  int exit_code;
  std::string out;
};

CommandRun run(const std::string& arguments) {
  const char* bin = std::getenv("KAKEHASHI_BIN");
  std::string command = std::string(bin != nullptr ? bin : "kakehashi") + " " + arguments + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::write_bytes(dir_ / "clean.csv", "項目,値\r\n日付,2026-04-01\r\n");
    testing::write_bytes(dir_ / "personal.csv", "氏名,電話\r\n担当,03-1234-5678\r\n");
  }
  ::kakehashi::testing::TempDir temp_;
  fs::path dir_ = temp_.path();
};

TEST_F(CliTest, CleanFileExitsZeroWithTextReport) {
  CommandRun result = run("inspect " + (dir_ / "clean.csv").string());
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, (dir_ / "clean.csv").string() +
                            "（CSV、31 バイト、0 ページ、15 文字）\n  指摘はありません\n"
                            "1 ファイルを検査しました: エラー 0 件、警告 0 件、情報 0 件\n");
}

TEST_F(CliTest, ErrorFindingExitsOneAndJsonHasTheDocumentedShape) {
  CommandRun result = run("inspect --format json " + dir_.string());
  EXPECT_EQ(result.exit_code, 1);
  auto json = boost::json::parse(result.out).as_object();
  auto files = json.at("files").as_array();
  ASSERT_EQ(files.size(), 2u);  // both CSV files of the folder, sorted
  auto personal = files[1].as_object();
  EXPECT_EQ(personal.at("path").as_string(), (dir_ / "personal.csv").string());
  EXPECT_EQ(personal.at("type").as_string(), "csv");
  EXPECT_EQ(personal.at("stats").as_object().at("pages").as_int64(), 0);
  auto finding = personal.at("findings").as_array().at(0).as_object();
  EXPECT_EQ(finding.at("code").as_string(), "pii.phone");
  EXPECT_EQ(finding.at("severity").as_string(), "error");
  EXPECT_EQ(finding.at("location").as_string(), "行 2 列 2");
  EXPECT_EQ(finding.at("message").as_string(), "電話番号があります: 03-1***-**78");
  EXPECT_EQ(json.at("summary").as_object().at("error").as_int64(), 1);
  EXPECT_EQ(json.at("summary").as_object().at("warning").as_int64(), 0);
}

TEST_F(CliTest, WrongCallsExitTwo) {
  CommandRun missing = run("inspect " + (dir_ / "missing.pdf").string());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.out, "kakehashi: ファイルまたはフォルダがありません: " +
                             (dir_ / "missing.pdf").string() + "\n");
  CommandRun format = run("inspect --format xml " + (dir_ / "clean.csv").string());
  EXPECT_EQ(format.exit_code, 2);
  EXPECT_EQ(format.out, "kakehashi: --format には text か json を指定してください: xml\n");
  CommandRun deny = run("inspect --deny-list " + (dir_ / "none.txt").string() + " " +
                        (dir_ / "clean.csv").string());
  EXPECT_EQ(deny.exit_code, 2);
  EXPECT_EQ(deny.out, "kakehashi: 名前の一覧を開けません: " + (dir_ / "none.txt").string() + "\n");
}

TEST_F(CliTest, CorruptFileIsAFindingNotACrash) {
  testing::write_bytes(dir_ / "broken.pdf", "%PDF-1.7\n1 0 obj << /Type /Catalog");
  CommandRun result = run("inspect --format json " + (dir_ / "broken.pdf").string());
  EXPECT_EQ(result.exit_code, 1);
  auto finding = boost::json::parse(result.out).at("files").at(0).at("findings").at(0).as_object();
  EXPECT_EQ(finding.at("code").as_string(), "file.unreadable");
  EXPECT_EQ(finding.at("message").as_string(), "ファイルを読み取れません: PDF として壊れています");
}

TEST_F(CliTest, CleanWritesACopyAndPrintsWhatItRemoved) {
  testing::write_pdf(dir_ / "in.pdf", [](QPDF& q, QPDFObjectHandle page) {
    q.getTrailer().replaceKey(
        "/Info", q.makeIndirectObject(QPDFObjectHandle::parse("<< /Author (Taro) >>")));
    page.replaceKey("/Annots", QPDFObjectHandle::parse(
                                   "[ << /Type /Annot /Subtype /Text /Rect [0 0 9 9] >> ]"));
  });
  std::string before = testing::read_bytes(dir_ / "in.pdf");
  CommandRun result =
      run("clean " + (dir_ / "in.pdf").string() + " -o " + (dir_ / "out.pdf").string());
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_EQ(result.out,
            "削除: 文書情報\n削除: 注釈\n書き出しました: " + (dir_ / "out.pdf").string() + "\n");
  EXPECT_EQ(testing::read_bytes(dir_ / "in.pdf"), before);
  EXPECT_EQ(run("inspect " + (dir_ / "out.pdf").string()).exit_code, 0);
  CommandRun same =
      run("clean " + (dir_ / "in.pdf").string() + " -o " + (dir_ / "in.pdf").string());
  EXPECT_EQ(same.exit_code, 2);
  EXPECT_EQ(same.out,
            "kakehashi: 出力先が入力と同じファイルです。別のファイル名を指定してください\n");
}

TEST_F(CliTest, CleanDisarmRemovesOnlyActiveContent) {
  const char* shared = std::getenv("KAKEHASHI_SHARED_DIR");
  fs::path samples = fs::path(shared != nullptr ? shared : "../shared") / "data" / "docs";
  fs::path out = dir_ / "reviewer.pdf";
  CommandRun result =
      run("clean --disarm " + (samples / "pdfjs__js-authors.pdf").string() + " -o " + out.string());
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_EQ(result.out, "無害化: JavaScript 1 件\n書き出しました: " + out.string() + "\n");
  // Metadata and the form stay for the reviewer: only the script went.
  CommandRun check = run("inspect --format json " + out.string());
  EXPECT_EQ(check.out.find("pdf.javascript"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("pdf.form"), std::string::npos) << check.out;

  CommandRun macro = run("clean --disarm " + (samples / "poi__SimpleMacro.docm").string() +
                         " -o " + (dir_ / "macro.docm").string());
  EXPECT_EQ(macro.exit_code, 0) << macro.out;
  EXPECT_EQ(macro.out, "無害化: マクロ・ActiveX コントロール 1 件\n書き出しました: " +
                           (dir_ / "macro.docm").string() +
                           "\n注意: マクロを取り除いたため、拡張子を .docx にしてください\n");
  CommandRun both = run("clean --disarm --keep-title " + (dir_ / "clean.csv").string() + " -o " +
                        (dir_ / "x.csv").string());
  EXPECT_EQ(both.exit_code, 2) << both.out;
  CommandRun csv =
      run("clean --disarm " + (dir_ / "clean.csv").string() + " -o " + (dir_ / "x.csv").string());
  EXPECT_EQ(csv.exit_code, 2);
  EXPECT_EQ(csv.out,
            "kakehashi: 無害化できるのは PDF と Office 文書（Word・Excel・PowerPoint）です\n");
}

TEST_F(CliTest, CleanExitsOneWhenVisiblePersonalDataRemains) {
  CommandRun result =
      run("clean " + (dir_ / "personal.csv").string() + " -o " + (dir_ / "copy.csv").string());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(
      result.out.find("残っている指摘（人が判断してください）:\n  [エラー] pii.phone（行 2 列 2）"),
      std::string::npos)
      << result.out;
}

}  // namespace
}  // namespace kakehashi::inspect
