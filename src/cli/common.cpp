#include "cli/common.h"

#include "cli/roster_key.h"
#include "compliance/crypto.h"

#include "db/migrate.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace kakehashi::cli {

std::string read_file_or_exit(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CommandError(kExitUsage, fmt::format("{}を開けません: {}", what, path));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// global_options() and roster_key_option() are defined in front/run.cpp (both binaries).

void configure_roster_key() {
  const auto& options = global_options();
  compliance::configure_field_key(roster_key_option().empty() ? compliance::default_field_key_path(options.db_path)
                                                              : std::filesystem::path(roster_key_option()));
}

std::unique_ptr<db::Database> open_database() {
  configure_roster_key();
  const auto& options = global_options();
  auto database = value_or_exit(db::open(options.db_path, options.db_url));
  value_or_exit(db::migrate(*database));
  return database;
}

void fail_with(const Error& error) {
  int code = error.code == ErrorCode::kInvalidArgument || error.code == ErrorCode::kNotFound
                 ? kExitUsage
                 : kExitEnvironment;
  throw CommandError(code, error.message);
}

}  // namespace kakehashi::cli
