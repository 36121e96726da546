// kakehashi-full: the web application and every batch job of the programme, as one binary.
// `kakehashi` (front/main.cpp) runs the inspection commands itself and starts this binary for
// everything else (docs/architecture.md, "Binaries").
#include <CLI/CLI.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "cli/front/run.h"
#include "inspect/isolate.h"

namespace kakehashi::cli {
void register_all(CLI::App& app);
}

int main(int argc, char** argv) {
  using namespace kakehashi::cli;
  // Everything this program creates is its owner's alone: the database with its WAL and SHM,
  // backups, exports, quarantined uploads, folders (0600 files, 0700 folders).
  ::umask(077);
  // This binary has the hidden inspect-child command: uploads are inspected by starting it again,
  // or rather the lean front beside it, which has the command too and starts in a fifth of the
  // time (issue 23 item 8).
  kakehashi::inspect::allow_self_as_inspection_child();
  {
    std::error_code error;
    auto front = std::filesystem::canonical("/proc/self/exe", error).parent_path() / "kakehashi";
    if (!error && ::access(front.c_str(), X_OK) == 0) kakehashi::inspect::set_inspection_program(front);
  }
  CLI::App app{"Kakehashi (架け橋): 産学連携事業の事務局プラットフォーム", "kakehashi"};
  add_global_options(app);
  register_all(app);
  return run(app, argc, argv);
}
