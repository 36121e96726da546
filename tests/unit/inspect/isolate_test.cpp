// Isolated inspection: the same report as in process, and a limit breach becomes a finding.
#include "inspect/isolate.h"

#include <gtest/gtest.h>

#include <random>

#include "unit/inspect/fixtures.h"

namespace kakehashi::inspect {
namespace {

namespace fs = std::filesystem;

TEST(IsolateTest, ReturnsTheChildsReport) {
  fs::path dir = testing::temp_dir("isolate");
  testing::write_bytes(dir / "a.csv", "連絡先,taro@example.jp\r\n");
  auto direct = inspect_file((dir / "a.csv").string(), {});
  auto isolated = inspect_file_isolated((dir / "a.csv").string(), {});
  ASSERT_TRUE(direct && isolated);
  EXPECT_EQ(file_report_to_json(*isolated), file_report_to_json(*direct));
  auto missing = inspect_file_isolated((dir / "missing.csv").string(), {});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().message, "ファイルがありません: " + (dir / "missing.csv").string());
  fs::remove_all(dir);
}

#if !defined(__SANITIZE_ADDRESS__)
TEST(IsolateTest, MemoryBreachBecomesAFinding) {
  // A legitimate-looking workbook whose sheet is 12 MB of random numbers (too random for the
  // ZIP ratio limit) inspected with a 4 MiB budget.
  fs::path dir = testing::temp_dir("isolate_memory");
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
  IsolationLimits limits;
  limits.memory_bytes = 4ull << 20;
  auto report = inspect_file_isolated((dir / "large.xlsx").string(), {}, limits);
  ASSERT_TRUE(report.has_value());
  ASSERT_EQ(report->findings.size(), 1u);
  EXPECT_EQ(report->findings[0].code, "file.resource_limit");
  EXPECT_EQ(report->findings[0].message,
            "検査が上限を超えたため中断しました（メモリ 4 MiB）。このファイルは公開できません");
  EXPECT_TRUE(report->has_error());
  fs::remove_all(dir);
}
#endif

}  // namespace
}  // namespace kakehashi::inspect
