// Runs the built `kakehashi` (KAKEHASHI_BIN, set by ctest) end to end: its exit code, stdout
// and stderr, captured through files in a directory of the caller's.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace kakehashi::testing {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// `args` is appended to the binary's path as shell words (the caller quotes what needs it).
inline CliRun run_kakehashi(const std::string& args, const std::filesystem::path& dir) {
  const char* bin = std::getenv("KAKEHASHI_BIN");
  EXPECT_NE(bin, nullptr) << "KAKEHASHI_BIN is not set";
  if (!bin) return {};
  auto out = dir / "kakehashi_stdout.txt";
  auto err = dir / "kakehashi_stderr.txt";
  std::string command = std::string(bin) + " " + args + " >" + out.string() + " 2>" + err.string();
  int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_all(out), read_all(err)};
}

}  // namespace kakehashi::testing
