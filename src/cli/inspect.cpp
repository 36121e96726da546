// kakehashi inspect: the publication-safety check of R6.8 for PDF, OOXML, OpenDocument and CSV.
#include <iostream>

#include "cli/common.h"
#include "inspect/inspector.h"

namespace kakehashi::cli {

void register_inspect(CLI::App& app) {
  struct Options {
    std::string format = "text";
    std::string deny_list;
    std::vector<std::string> paths;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command =
      app.add_subcommand("inspect", "公開前のファイルに個人情報や隠れた情報がないか検査する");
  command->add_option("--format", options->format, "出力形式（text または json）");
  command->add_option("--deny-list", options->deny_list,
                      "公開してはならない名前の一覧（1 行に 1 名）");
  command->add_option("paths", options->paths, "検査するファイルまたはフォルダ")->required();
  command->callback([options] {
    if (options->format != "text" && options->format != "json") {
      throw CommandError(kExitUsage,
                         "--format には text か json を指定してください: " + options->format);
    }
    inspect::InspectOptions inspect_options;
    if (!options->deny_list.empty()) {
      auto deny_list = inspect::DenyList::read_file(options->deny_list);
      if (!deny_list) throw CommandError(kExitUsage, deny_list.error().message);
      inspect_options.deny_list = std::move(*deny_list);
    }
    auto files = inspect::collect_paths(options->paths);
    if (!files) throw CommandError(kExitUsage, files.error().message);
    std::vector<inspect::FileReport> reports;
    bool unreadable = false;
    for (const auto& file : *files) {
      auto report = inspect::inspect_file(file, inspect_options);
      if (!report) {
        std::cerr << report.error().message << "\n";
        unreadable = true;
        continue;
      }
      reports.push_back(std::move(*report));
    }
    std::cout << (options->format == "json" ? inspect::to_json(reports) + "\n"
                                            : inspect::to_text(reports));
    if (unreadable) throw ExitWith{kExitUsage};
    if (inspect::any_error(reports)) throw ExitWith{kExitFindings};
  });
}

}  // namespace kakehashi::cli
