// Isolated inspection: the same report as in process, and a limit breach becomes a finding.
#include "inspect/isolate.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <qpdf/QPDFPageDocumentHelper.hh>
#include <random>

#include "inspect/upload.h"
#include "support/result.h"
#include "support/temp_dir.h"
#include "unit/inspect/child_program.h"
#include "unit/inspect/fixtures.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::inspect {
namespace {

namespace fs = std::filesystem;

TEST(IsolateTest, ReturnsTheChildsReport) {
  ::kakehashi::testing::TempDir temp;
  fs::path dir = temp.path();
  testing::write_bytes(dir / "a.csv", "連絡先,taro@example.jp\r\n");
  auto direct = inspect_file((dir / "a.csv").string(), {});
  auto isolated = inspect_file_isolated((dir / "a.csv").string(), {}, testing::child_limits());
  ASSERT_TRUE(direct && isolated);
  EXPECT_EQ(file_report_to_json(*isolated), file_report_to_json(*direct));
  auto missing = inspect_file_isolated((dir / "missing.csv").string(), {}, testing::child_limits());
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().message, "ファイルがありません: " + (dir / "missing.csv").string());
}

#if !defined(__SANITIZE_ADDRESS__)
TEST(IsolateTest, MemoryBreachBecomesAFinding) {
  // A legitimate-looking workbook whose sheet is 12 MB of random numbers (too random for the
  // ZIP ratio limit) inspected with a 4 MiB budget.
  ::kakehashi::testing::TempDir temp;
  fs::path dir = temp.path();
  testing::Parts parts = testing::minimal_xlsx();
  std::mt19937 random(7);
  std::string rows;
  for (int r = 1; rows.size() < 12'000'000; ++r) {
    rows += "<row r=\"" + std::to_string(r) + "\">";
    for (int c = 0; c < 10; ++c) rows += "<c><v>" + std::to_string(random() % 100000) + "</v></c>";
    rows += "</row>";
  }
  std::string& sheet = parts["xl/worksheets/sheet1.xml"];
  sheet = sheet.substr(0, sheet.find("<sheetData>") + 11) + rows + "</sheetData></worksheet>";
  testing::write_zip(dir / "large.xlsx", parts);
  IsolationLimits limits = testing::child_limits();
  limits.memory_bytes = 4ull << 20;
  auto report = inspect_file_isolated((dir / "large.xlsx").string(), {}, limits);
  ASSERT_TRUE(report.has_value());
  ASSERT_EQ(report->findings.size(), 1u);
  EXPECT_EQ(report->findings[0].code, "file.resource_limit");
  EXPECT_EQ(report->findings[0].message,
            "検査が上限を超えたため中断しました（メモリ 4 MiB）。このファイルは公開できません");
  EXPECT_TRUE(report->has_error());
}
#endif

// 4,000 pages of text: poppler is busy with it for seconds.
// Long enough that reading it takes well over a second of CPU even on the content-stream fast
// path (issue 23 item 8 made 4,000 pages quick to read).
void write_long_pdf(const fs::path& path) {
  testing::write_pdf(path, [](QPDF& pdf, QPDFObjectHandle page) {
    QPDFPageDocumentHelper pages(pdf);
    std::string text = "BT /F1 8 Tf 20 780 Td 9 TL";
    for (int line = 0; line < 320; ++line)
      text += " (contact line " + std::to_string(line) + " 03-1234-5678) '";
    text += " ET";
    page.replaceKey("/Contents", QPDFObjectHandle::newStream(&pdf, text));
    for (int i = 1; i < 16000; ++i) {
      QPDFObjectHandle copy = pdf.makeIndirectObject(page.shallowCopy());
      pages.addPage(QPDFPageObjectHelper(copy), false);
    }
  });
}

TEST(IsolateTest, CpuBreachBecomesAFinding) {
  // The child may use one second of CPU.
  ::kakehashi::testing::TempDir temp;
  fs::path dir = temp.path();
  write_long_pdf(dir / "long.pdf");
  IsolationLimits limits = testing::child_limits();
  limits.cpu_seconds = 1;
  auto report = inspect_file_isolated((dir / "long.pdf").string(), {}, limits);
  ASSERT_TRUE(report.has_value());
  ASSERT_EQ(report->findings.size(), 1u);
  EXPECT_EQ(report->findings[0].code, "file.resource_limit");
  EXPECT_EQ(report->findings[0].message,
            "検査が上限を超えたため中断しました（CPU 時間 1 秒）。このファイルは公開できません");
  EXPECT_EQ(report->type, FileType::kPdf);
}

TEST(IsolateTest, WallClockBreachKillsTheChild) {
  // Plenty of CPU time but one second of wall-clock time: the parent kills the child.
  ::kakehashi::testing::TempDir temp;
  fs::path dir = temp.path();
  write_long_pdf(dir / "long.pdf");
  IsolationLimits limits = testing::child_limits();
  limits.cpu_seconds = 600;
  limits.wall_seconds = 1;
  auto report = inspect_file_isolated((dir / "long.pdf").string(), {}, limits);
  ASSERT_TRUE(report.has_value());
  ASSERT_EQ(report->findings.size(), 1u);
  EXPECT_EQ(report->findings[0].code, "file.resource_limit");
  EXPECT_EQ(report->findings[0].message,
            "検査が上限を超えたため中断しました（時間 1 秒）。このファイルは公開できません");
}

TEST(IsolateTest, TheDenyListReachesTheChild) {
  ::kakehashi::testing::TempDir temp;
  fs::path dir = temp.path();
  testing::write_bytes(dir / "a.csv", "担当,備考\r\n山田 花子,予定どおり\r\n");
  InspectOptions options;
  options.deny_list = DenyList({"山田花子"});
  auto direct = inspect_file((dir / "a.csv").string(), options);
  auto isolated = inspect_file_isolated((dir / "a.csv").string(), options, testing::child_limits());
  ASSERT_TRUE(direct && isolated);
  bool named = false;
  for (const auto& finding : isolated->findings) named = named || finding.code == "pii.deny_list";
  EXPECT_TRUE(named);
  EXPECT_EQ(file_report_to_json(*isolated), file_report_to_json(*direct));
}

TEST(IsolateTest, AMissingProgramIsUnavailableNotACrash) {
  ::kakehashi::testing::TempDir temp;
  fs::path dir = temp.path();
  testing::write_bytes(dir / "a.csv", "a,b\r\n");
  IsolationLimits limits;
  limits.program = (dir / "no-such-kakehashi").string();
  auto report = inspect_file_isolated((dir / "a.csv").string(), {}, limits);
  ASSERT_FALSE(report.has_value());
  ExpectError(report, ErrorCode::kUnavailable, "検査用のプロセスを起動できません（No such file or directory）");
}

// Issue 23: check_upload in a test binary that never named the built kakehashi used to start
// /proc/self/exe, the test binary, which ran every test again, each starting itself again.
TEST(IsolateTest, ATestBinaryNeverStartsItselfAsTheInspectionChild) {
  ::kakehashi::testing::TempDir temp;
  fs::path dir = temp.path();
  testing::write_bytes(dir / "a.csv", "a,b\r\n");
  // Should a child be started on this binary all the same, it runs no test and prints nothing
  // (a wrong verdict below), instead of running this test again.
  ASSERT_EQ(::setenv("GTEST_FILTER", "-*", 1), 0);
  set_inspection_program("");
  auto unset = check_upload(dir / "a.csv", UploadPurpose::kReview);
  ExpectError(unset, ErrorCode::kUnavailable,
              "検査用のプログラムが設定されていません（set_inspection_program で kakehashi を指定してください）");
  set_inspection_program("/proc/self/exe");
  auto self = check_upload(dir / "a.csv", UploadPurpose::kPublication);
  ExpectError(self, ErrorCode::kUnavailable, "検査用のプログラムにこのプログラム自身は使えません（kakehashi を指定してください）");
  set_inspection_program("");
  IsolationLimits limits;
  limits.program = fs::read_symlink("/proc/self/exe").string();  // the test binary by its path
  auto named = inspect_file_isolated((dir / "a.csv").string(), {}, limits);
  ExpectError(named, ErrorCode::kUnavailable, "検査用のプログラムにこのプログラム自身は使えません（kakehashi を指定してください）");
  ::unsetenv("GTEST_FILTER");
  // The built kakehashi is still started as before.
  auto verdict = check_upload(dir / "a.csv", UploadPurpose::kReview, testing::child_limits());
  ASSERT_TRUE(verdict.has_value());
  EXPECT_TRUE(verdict->ok);
}

}  // namespace
}  // namespace kakehashi::inspect
