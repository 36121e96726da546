#include <iostream>

#include "cli/common.h"

namespace kakehashi::cli {

void register_version(CLI::App& app) {
  app.add_subcommand("version", "バージョンを表示する")->callback([] {
    std::cout << "kakehashi " << KAKEHASHI_VERSION << "\n";
  });
}

}  // namespace kakehashi::cli
