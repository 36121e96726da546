// kakehashi inspect-child (hidden): the child process of inspect::inspect_file_isolated. It sets
// its own limits before reading the file, inspects one file and prints the report as JSON; the
// server starts it with posix_spawn (src/inspect/isolate.cpp), never a person.
#include <cstdio>

#include "cli/common.h"
#include "inspect/inspector.h"
#include "inspect/isolate.h"

namespace kakehashi::cli {

void register_inspect_child(CLI::App& app) {
  struct Options {
    std::uint64_t memory_mb = 1024;
    unsigned cpu_seconds = 30;
    std::string deny_list;
    std::string path;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("inspect-child", "");
  command->group("");  // not listed in --help
  command->add_option("--memory-mb", options->memory_mb, "アドレス空間の上限（MiB、起動時の使用量に加える）");
  command->add_option("--cpu-seconds", options->cpu_seconds, "CPU 時間の上限（秒）");
  command->add_option("--deny-list", options->deny_list, "公開してはならない名前の一覧（1 行に 1 名）");
  command->add_option("FILE", options->path, "検査するファイル")->required();
  command->callback([options] {
    inspect::apply_inspection_limits(options->memory_mb << 20, options->cpu_seconds);
    inspect::tune_allocator_for_inspection();
    inspect::InspectOptions inspect_options;
    if (!options->deny_list.empty()) {
      auto deny_list = inspect::DenyList::read_file(options->deny_list);
      if (!deny_list) throw CommandError(kExitUsage, deny_list.error().message);
      inspect_options.deny_list = std::move(*deny_list);
    }
    int status = inspect::run_inspection_child(options->path, inspect_options, stdout);
    if (status != inspect::kChildReport) throw ExitWith{status};
  });
}

}  // namespace kakehashi::cli
