// kakehashi project …: projects formed by the operators (R3.2, R3.3).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/common.h"
#include "program/counting/counting.h"
#include "program/counting/io.h"

namespace kakehashi::cli {

namespace {

namespace counting = program::counting;

struct CountOptions {
  std::string input;
  std::string format = "json";
  std::string decisions;
};

void run_count(const CountOptions& options) {
  if (options.input.empty())
    throw CommandError(kExitUsage, "--input で活動記録のCSVファイルを指定してください");
  if (options.format != "json" && options.format != "csv") {
    throw CommandError(kExitUsage, "--format は json または csv です: " + options.format);
  }
  if (!std::filesystem::is_regular_file(options.input)) {
    throw CommandError(kExitUsage, "入力ファイルがありません: " + options.input);
  }
  std::vector<counting::Decision> decisions;
  if (!options.decisions.empty())
    decisions = value_or_exit(counting::parse_decisions(read_file_or_exit(options.decisions, "判断ファイル")));

  auto input = value_or_exit(counting::read_records(options.input));
  auto result = counting::count_projects(input.records, decisions);
  std::cout << (options.format == "csv" ? counting::to_csv(result)
                                        : counting::to_json(result, input) + "\n");
  std::cout.flush();

  for (const auto& outcome : result.decisions) {
    if (!outcome.applied)
      std::cerr << "kakehashi: 判断" << outcome.index + 1 << ": " << outcome.message << "\n";
  }
  if (input.bad_rows.empty()) return;
  for (const auto& bad : input.bad_rows)
    std::cerr << "kakehashi: " << bad.line << "行目: " << bad.message << "\n";
  std::cerr << "kakehashi: " << input.bad_rows.size() << "行を集計から除外しました（"
            << input.records.size() << "行を集計、プロジェクト" << result.count() << "件）\n";
  throw ExitWith{kExitFindings};
}

}  // namespace

void register_project(CLI::App& app) {
  auto* project =
      app.add_subcommand("project", "プロジェクト（同じ内容・企業・相手先の活動）を扱う");
  project->require_subcommand(1);

  auto options = std::make_shared<CountOptions>();
  auto* count = project->add_subcommand("count",
                                        "活動記録のCSV（id,date,title,company,partner,prefecture,"
                                        "category）をプロジェクトに集約して数える。"
                                        "除外した行があれば終了コード1");
  count->add_option("--input", options->input, "活動記録のCSV（UTF-8、BOM付きUTF-8、Shift_JIS）");
  count->add_option("--format", options->format, "出力形式: json（既定）または csv");
  count->add_option(
      "--decisions", options->decisions,
      "担当者の判断を記したJSON（提案の統合・却下、記録の統合・分離）。集計の前に適用する");
  count->callback([options] { run_count(*options); });
}

}  // namespace kakehashi::cli
