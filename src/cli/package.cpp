// `kakehashi package`: the report package (issue 25).
//   build   writes OUT/public, OUT/non-public and the manifest from the chapters and live data
//   remind  sends the final reports' reminders that are due (what the server's task does)
//   config  prints 様式1's default configuration (copy it, change it, pass it with --form1);
//           with --form2 様式2's (its columns; pass it with --form2)
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <iostream>

#include "base/date.h"
#include "cli/common.h"
#include "package/build.h"
#include "package/final_reports.h"

namespace kakehashi::cli {

void register_package(CLI::App& app) {
  CLI::App* group = app.add_subcommand("package", "報告書パッケージ（公開・非公開の納品物一式）");
  group->require_subcommand(1);
  struct Args {
    std::string out, form1, form2;
    std::int64_t max_pages = 0, max_bytes = 0, max_chars = 0;
    bool skip_form1_pages = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* build = group->add_subcommand("build", "報告書パッケージを作成する（公開用 PDF・図表データ・様式1〜3・マニフェスト）");
  build->add_option("--out", args->out, "出力先フォルダ（存在しないか空であること）")->required();
  build->add_option("--max-pages", args->max_pages, "1ファイルの上限ページ数（既定 1000）");
  build->add_option("--max-bytes", args->max_bytes, "1ファイルの上限バイト数（既定 128 MB）");
  build->add_option("--max-chars", args->max_chars, "1ファイルの上限文字数（既定 4000000）");
  build->add_option("--form1", args->form1, "様式1の設定ファイル（JSON。既定は package config の内容）");
  build->add_option("--form2", args->form2, "様式2の設定ファイル（JSON。既定は package config --form2 の内容）");
  build->add_flag("--skip-form1-pages", args->skip_form1_pages, "様式1のページ数を LibreOffice で数えない（試験用）");
  build->callback([args] {
    package::BuildOptions options;
    options.out_dir = args->out;
    if (args->max_pages > 0) options.limits.max_pages = args->max_pages;
    if (args->max_bytes > 0) options.limits.max_bytes = args->max_bytes;
    if (args->max_chars > 0) options.limits.max_chars = args->max_chars;
    options.measure_form1 = !args->skip_form1_pages;
    std::string config = args->form1.empty() ? package::form1_default_config() : read_file_or_exit(args->form1, "様式1の設定ファイル");
    options.form1 = value_or_exit(package::parse_form1_config(config));
    std::string form2 = args->form2.empty() ? package::form2_default_config() : read_file_or_exit(args->form2, "様式2の設定ファイル");
    options.form2 = value_or_exit(package::parse_form2_config(form2));
    auto database = open_database();
    SystemClock clock;
    // The command line acts as the secretariat (the data each module gives is the whole programme).
    auth::Principal who;
    who.name = "system";
    who.roles.insert(auth::Role::kSecretariat);
    auto id = value_or_exit(package::start_build(*database, who, args->out, clock.now()));
    auto outcome = package::build_package(*database, who, options, clock.now(), [&](const std::string& step) {
      std::cerr << step << "\n";
      (void)package::record_progress(*database, id, step, clock.now());
    });
    value_or_exit(package::finish_build(*database, id, outcome, clock.now()));
    if (!outcome) fail_with(outcome.error());
    for (const auto& f : outcome->files) std::cout << f.set << "\t" << f.path << "\t" << f.bytes << "\n";
    std::cout << fmt::format("報告書パッケージを作成しました: {}（公開 PDF {} 件・{} ページ、様式1 {} ページ）\n", args->out,
                             outcome->public_parts, outcome->report_pages, outcome->form1_pages);
  });
  // What the server's periodic task "package.final_report_reminders" does every minute, run now
  // (tests, or an installation whose server is stopped). Idempotent: each operator gets each
  // reminder stage once per due date.
  CLI::App* remind = group->add_subcommand(
      "remind", "成果報告書の提出期限の14日前・3日前を過ぎた未提出（差し戻しを含む）の実証事業者にリマインドを送る（送信済みの段階には送らない）");
  remind->callback([] {
    auto database = open_database();
    SystemClock clock;
    int sent = value_or_exit(database->transact<int>(db::TxMode::kWrite, [&](db::Transaction& tx) {
      return package::remind_final_reports(tx, clock.now());
    }));
    std::cout << fmt::format("実証事業者 {} 者にリマインドを送りました。\n", sent);
  });
  CLI::App* config = group->add_subcommand("config", "様式1の既定の設定（見出し・余白・文字）を表示する（--form2 で様式2の列）");
  auto form2_flag = std::make_shared<bool>(false);
  config->add_flag("--form2", *form2_flag, "様式2（書誌情報）の既定の列の設定を表示する");
  config->callback([form2_flag] { std::cout << (*form2_flag ? package::form2_default_config() : package::form1_default_config()); });
}

}  // namespace kakehashi::cli
