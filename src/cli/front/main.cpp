// kakehashi: the program people and the server start. It runs the publication-safety commands
// (inspect, clean and the hidden inspect-child) itself, linked with the inspector only, and
// replaces itself (execv, same process) with kakehashi-full, the whole platform beside it, for
// every other command. The dynamic linker then binds ~25 libraries instead of ~90 before an
// inspection: ~4 ms of CPU instead of ~20 ms a process (issue 23 item 8; docs/architecture.md,
// "Binaries").
#include <CLI/CLI.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string_view>

#include "cli/common.h"
#include "cli/front/run.h"
#include "inspect/isolate.h"

namespace kakehashi::cli {
void register_inspect(CLI::App& app);
void register_inspect_child(CLI::App& app);
void register_clean(CLI::App& app);
}  // namespace kakehashi::cli

namespace {

bool runs_here(std::string_view command) {
  return command == "inspect" || command == "inspect-child" || command == "clean";
}

int start_full(char** argv) {
  std::error_code error;
  auto self = std::filesystem::canonical("/proc/self/exe", error);
  std::filesystem::path full = (error ? std::filesystem::path() : self.parent_path()) / "kakehashi-full";
  ::execv(full.c_str(), argv);
  std::cerr << "kakehashi: kakehashi-full を起動できません: " << full.string() << ": "
            << std::strerror(errno) << "\n";
  return kakehashi::cli::kExitEnvironment;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace kakehashi::cli;
  // The command is the first argument; anything else (global options first, --help, no
  // command) is the whole platform's to parse.
  if (argc < 2 || !runs_here(argv[1])) return start_full(argv);
  // As in kakehashi-full: what this program creates is its owner's alone.
  ::umask(077);
  // libzip turns every entry's DOS time into a time_t with mktime, and glibc looks at
  // /etc/localtime again at each call while TZ is unset; naming that same file reads it once.
  if (std::getenv("TZ") == nullptr) ::setenv("TZ", ":/etc/localtime", 0);
  kakehashi::inspect::allow_self_as_inspection_child();
  CLI::App app{"Kakehashi (架け橋): 産学連携事業の事務局プラットフォーム", "kakehashi"};
  add_global_options(app);
  register_inspect(app);
  register_inspect_child(app);
  register_clean(app);
  return run(app, argc, argv);
}
