// Helpers shared by the calendar tests: reference data, the CLI, temporary folders.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include "base/date.h"
#include "base/result.h"
#include "support/temp_dir.h"

namespace kakehashi::calendar::testing {

// The value of a Result the test expects to succeed, returned by value so that it may sit in a
// range-for (`*result()` there would dangle); an error fails the test and yields T{}.
template <typename T>
T ok(Result<T> result) {
  if (!result) {
    ADD_FAILURE() << result.error().message;
    return T{};
  }
  return std::move(*result);
}

inline std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// holidays.yml (holiday_jp, 1970-2050): "YYYY-MM-DD: 名称" lines, read from the shared folder.
inline std::map<Date, std::string> reference_holidays() {
  std::ifstream in(env("KAKEHASHI_SHARED_DIR") + "/data/holidays.yml");
  std::map<Date, std::string> holidays;
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() < 13 || line[10] != ':') continue;
    auto date = Date::parse(line.substr(0, 10));
    if (date) holidays[*date] = line.substr(12);
  }
  return holidays;
}

// A fresh folder under the system temporary folder (support/temp_dir.h), removed with the
// object, that can also write a file into itself.
class TempDir : public ::kakehashi::testing::TempDir {
 public:
  std::string write(const std::string& name, const std::string& bytes) const {
    std::ofstream(file(name), std::ios::binary) << bytes;
    return file(name);
  }
};

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the built kakehashi binary with `arguments` (already shell-quoted where needed).
inline CliResult run_cli(const std::string& arguments) {
  TempDir dir;
  std::string err_file = dir.file("stderr");
  std::string command = "'" + env("KAKEHASHI_BIN") + "' " + arguments + " 2>'" + err_file + "'";
  CliResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t read = 0;
  while ((read = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.out.append(buffer, read);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream err(err_file);
  std::stringstream text;
  text << err.rdbuf();
  result.err = text.str();
  return result;
}

}  // namespace kakehashi::calendar::testing
