#include "cli/common.h"

namespace kakehashi::cli {

GlobalOptions& global_options() {
  static GlobalOptions options;
  return options;
}

void fail_with(const Error& error) {
  int code = error.code == ErrorCode::kInvalidArgument || error.code == ErrorCode::kNotFound
                 ? kExitUsage
                 : kExitEnvironment;
  throw CommandError(code, error.message);
}

}  // namespace kakehashi::cli
