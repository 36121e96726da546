// What every command group shares: the global options and the way a command fails.
#pragma once

#include <CLI/CLI.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

#include "base/result.h"
#include "db/database.h"

namespace kakehashi::cli {

// Options every subcommand accepts (CLI11 fallthrough lets them follow the subcommand).
struct GlobalOptions {
  std::string db_path = "var/kakehashi.db";
  std::string db_url;  // postgresql://… when the PostgreSQL backend is used
};
GlobalOptions& global_options();

// Exit codes: 0 success, 1 a check found problems (e.g. inspect found an error), 2 the call or
// its input is wrong, 3 the environment failed (database, file system).
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitEnvironment = 3;

// Thrown from a command callback to stop with one line on stderr and the given exit code.
class CommandError : public std::runtime_error {
 public:
  CommandError(int exit_code, const std::string& message)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

// Thrown to end a command with a non-zero code after it has printed its own output.
struct ExitWith {
  int exit_code;
};

// Opens the database of --db / --db-url and applies pending migrations (printing nothing).
std::unique_ptr<db::Database> open_database();

// The whole file at `path`, or the command stops with exit 2 and "<what>を開けません: <path>"
// (what: "入力ファイル", "判断ファイル" …).
std::string read_file_or_exit(const std::string& path, std::string_view what = "入力ファイル");

// Maps an Error to the exit code its kind calls for (invalid input -> 2, else 3).
[[noreturn]] void fail_with(const Error& error);

// Returns the value or stops the command with the error.
template <typename T>
T value_or_exit(Result<T> result) {
  if (!result) fail_with(result.error());
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

}  // namespace kakehashi::cli
