// kakehashi clean: writes a copy of a file without what the reader cannot see (R6.8).
#include <filesystem>
#include <iostream>

#include "cli/common.h"
#include "inspect/cleaner.h"
#include "inspect/disarm.h"
#include "inspect/inspector.h"

namespace kakehashi::cli {

void register_clean(CLI::App& app) {
  struct Options {
    std::string in;
    std::string out;
    bool delete_hidden = false;
    bool keep_title = false;
    bool disarm = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command =
      app.add_subcommand("clean", "隠れた情報を取り除いたコピーを作る（元のファイルは変更しない）");
  command->add_option("in", options->in, "元のファイル")->required();
  command->add_option("-o,--output", options->out, "書き出すファイル")->required();
  command->add_flag("--delete-hidden", options->delete_hidden,
                    "非表示のシート・スライド・行・列の内容を削除する（既定は表示に変更）");
  auto* keep_title =
      command->add_flag("--keep-title", options->keep_title, "文書のタイトルだけは残す");
  command
      ->add_flag("--disarm", options->disarm,
                 "審査用の無害化コピーを作る（スクリプト・添付ファイル・マクロ・外部リンクなど"
                 "だけを取り除き、内容は変えない）")
      ->excludes(keep_title)
      ->excludes("--delete-hidden");
  command->callback([options] {
    if (options->disarm) {
      auto report = inspect::disarm_file(options->in, options->out);
      if (!report) {
        throw CommandError(
            report.error().code == ErrorCode::kInvalidArgument ? kExitUsage : kExitEnvironment,
            report.error().message);
      }
      if (report->removed.empty()) std::cout << "取り除くものはありませんでした\n";
      for (const auto& item : report->removed)
        std::cout << "無害化: " << item.label << " " << item.count << " 件\n";
      std::cout << "書き出しました: " << options->out << "\n";
      std::string extension = std::filesystem::path(options->out).extension().string();
      if (!report->extension.empty() && extension != report->extension) {
        std::cout << "注意: マクロを取り除いたため、拡張子を " << report->extension
                  << " にしてください\n";
      }
      return;
    }
    inspect::CleanOptions clean_options{options->delete_hidden, options->keep_title};
    auto report = inspect::clean_file(options->in, options->out, clean_options);
    if (!report) {
      throw CommandError(
          report.error().code == ErrorCode::kInvalidArgument ? kExitUsage : kExitEnvironment,
          report.error().message);
    }
    if (report->removed.empty()) std::cout << "取り除くものはありませんでした\n";
    for (const auto& line : report->removed) std::cout << "削除: " << line << "\n";
    // Show what remains for a person to decide: visible personal data, a missing text layer.
    auto check = inspect::inspect_file(options->out, {});
    if (!check) throw CommandError(kExitEnvironment, check.error().message);
    std::cout << "書き出しました: " << options->out << "\n";
    if (!check->findings.empty()) {
      std::cout << "残っている指摘（人が判断してください）:\n";
      for (const auto& finding : check->findings) {
        std::cout << "  [" << inspect::severity_label(finding.severity) << "] " << finding.code;
        if (!finding.location.empty()) std::cout << "（" << finding.location << "）";
        std::cout << " " << finding.message << "\n";
      }
    }
    if (check->has_error()) throw ExitWith{kExitFindings};
  });
}

}  // namespace kakehashi::cli
