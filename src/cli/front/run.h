// What both kakehashi binaries do with a parsed command line (src/cli/main.cpp, the whole
// platform; src/cli/front/main.cpp, the lean front that inspects and cleans): the global options,
// CLI11's errors said in Japanese, and the exit codes of cli/common.h.
#pragma once

#include <CLI/CLI.hpp>

namespace kakehashi::cli {

// The application with the options every subcommand accepts (--db, --db-url, --roster-key).
void add_global_options(CLI::App& app);

// Parses and runs the command; returns the process's exit code.
int run(CLI::App& app, int argc, char** argv);

}  // namespace kakehashi::cli
