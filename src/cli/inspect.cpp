// kakehashi inspect: the publication-safety check of R6.8 for PDF, OOXML, OpenDocument and CSV.
#include <algorithm>
#include <atomic>
#include <exception>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

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
    inspect::tune_allocator_for_inspection();
    auto files = inspect::collect_paths(options->paths);
    if (!files) throw CommandError(kExitUsage, files.error().message);
    // A folder is inspected on every core (issue 23 item 8); the reports keep the sorted order.
    std::vector<std::optional<Result<inspect::FileReport>>> results(files->size());
    std::atomic<std::size_t> next{0};
    // An exception (memory exhausted, kakehashi-poppler.so missing) ends the command as on one
    // thread (exit 3 with its message), not std::terminate in a worker.
    std::mutex failed_mutex;
    std::exception_ptr failed;
    auto work = [&] {
      for (std::size_t i = next++; i < files->size(); i = next++) {
        try {
          results[i] = inspect::inspect_file((*files)[i], inspect_options);
        } catch (...) {
          std::lock_guard lock(failed_mutex);
          if (!failed) failed = std::current_exception();
          next = files->size();  // no further file is started
        }
      }
    };
    std::size_t threads =
        std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()), files->size());
    {
      std::vector<std::jthread> pool;
      for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
      work();
    }
    if (failed) std::rethrow_exception(failed);
    std::vector<inspect::FileReport> reports;
    bool unreadable = false;
    for (auto& result : results) {
      if (!result || !*result) {
        if (result) std::cerr << (*result).error().message << "\n";
        unreadable = true;
        continue;
      }
      reports.push_back(std::move(**result));
    }
    std::cout << (options->format == "json" ? inspect::to_json(reports) + "\n"
                                            : inspect::to_text(reports));
    if (unreadable) throw ExitWith{kExitUsage};
    if (inspect::any_error(reports)) throw ExitWith{kExitFindings};
  });
}

}  // namespace kakehashi::cli
