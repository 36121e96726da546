// Helpers shared by the document engine's tests: running tools, reading files and zip parts.
#pragma once

#include <fmt/format.h>
#include <sys/wait.h>
#include <zip.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/temp_dir.h"

namespace kakehashi::docs::testing {

struct Run {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

// Runs a shell command and captures its output (stderr merged).
inline Run run(const std::string& command) {
  Run r;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) r.out.append(buffer.data(), n);
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline std::string quote(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

// A fresh directory under the system temp folder, removed when the object dies.
using ::kakehashi::testing::TempDir;

inline std::filesystem::path source_dir() {
  const char* s = std::getenv("KAKEHASHI_SOURCE_DIR");
  return s ? s : ".";
}
inline std::string kakehashi_bin() {
  const char* s = std::getenv("KAKEHASHI_BIN");
  return s ? s : "kakehashi";
}
inline std::filesystem::path sample_markdown() {
  return source_dir() / "docs/samples/sample-report.md";
}

// One part of a zip archive held in memory ("" when absent).
inline std::string zip_part(const std::string& archive, const std::string& name) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(archive.data(), archive.size(), 0, &error);
  zip_t* z = src ? zip_open_from_source(src, ZIP_RDONLY, &error) : nullptr;
  std::string out;
  if (z) {
    if (zip_file_t* f = zip_fopen(z, name.c_str(), 0)) {
      char buf[65536];
      zip_int64_t n;
      while ((n = zip_fread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
      zip_fclose(f);
    }
    zip_close(z);
  } else if (src) {
    zip_source_free(src);
  }
  zip_error_fini(&error);
  return out;
}

// The names of the parts of a zip archive, in archive order.
inline std::vector<std::string> zip_names(const std::string& archive) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(archive.data(), archive.size(), 0, &error);
  zip_t* z = src ? zip_open_from_source(src, ZIP_RDONLY, &error) : nullptr;
  std::vector<std::string> names;
  if (z) {
    for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); ++i)
      names.emplace_back(zip_get_name(z, i, 0));
    zip_close(z);
  } else if (src) {
    zip_source_free(src);
  }
  zip_error_fini(&error);
  return names;
}

}  // namespace kakehashi::docs::testing
