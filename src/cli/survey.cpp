// kakehashi survey …: pre/post survey analysis from the command line.
#include <iostream>
#include <memory>
#include <string>

#include "cli/common.h"
#include "survey/analysis.h"
#include "survey/config.h"
#include "survey/report.h"

namespace kakehashi::cli {

void register_survey(CLI::App& app) {
  auto* survey = app.add_subcommand("survey", "事前・事後アンケートの分析");
  survey->require_subcommand(1);

  struct Options {
    std::string input;
    std::string config;
    std::string format = "json";
  };
  auto options = std::make_shared<Options>();
  auto* analyze = survey->add_subcommand(
      "analyze", "アンケートの CSV を対応のある検定（t 検定・Wilcoxon 検定）で分析する");
  analyze->add_option("--input", options->input, "回答の CSV（UTF-8 または Shift_JIS）")
      ->required();
  analyze->add_option("--config", options->config, "設定の JSON（列と選択肢の点数）")->required();
  analyze->add_option("--format", options->format, "出力形式: json | text | markdown")
      ->capture_default_str();
  analyze->callback([options] {
    if (options->format != "json" && options->format != "text" && options->format != "markdown")
      throw CommandError(
          kExitUsage,
          "--format には json、text、markdown のいずれかを指定してください: " + options->format);
    auto config = value_or_exit(survey::read_config(options->config));
    auto result = value_or_exit(survey::analyze_file(options->input, config));
    if (options->format == "json")
      std::cout << survey::format_json(survey::to_json(result));
    else if (options->format == "text")
      std::cout << survey::to_text(result, options->input);
    else
      std::cout << survey::to_markdown(result);
  });

  // The columns of an export with their distinct answers: what a config needs.
  struct ColumnsOptions {
    std::string input;
    std::string format = "text";
    std::size_t max_values = 20;
  };
  auto columns_options = std::make_shared<ColumnsOptions>();
  auto* columns = survey->add_subcommand(
      "columns", "CSV の列と回答の種類を一覧する（設定ファイルを作るときに）");
  columns->add_option("--input", columns_options->input, "回答の CSV（UTF-8 または Shift_JIS）")
      ->required();
  columns->add_option("--format", columns_options->format, "出力形式: text | json")
      ->capture_default_str();
  columns->add_option("--max-values", columns_options->max_values, "列ごとに表示する値の数")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  columns->callback([columns_options] {
    if (columns_options->format != "json" && columns_options->format != "text")
      throw CommandError(kExitUsage, "--format には text、json のいずれかを指定してください: " +
                                         columns_options->format);
    auto table = value_or_exit(survey::SheetTable::read_file(columns_options->input));
    auto summary = value_or_exit(survey::summarize_columns(table, columns_options->max_values));
    if (columns_options->format == "json")
      std::cout << survey::format_json(survey::to_json(summary));
    else
      std::cout << survey::to_text(summary, columns_options->input);
  });
}

}  // namespace kakehashi::cli
