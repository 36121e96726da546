#include <iostream>

#include "cli/common.h"
#include "db/migrate.h"

namespace kakehashi::cli {

void register_migrate(CLI::App& app) {
  app.add_subcommand("migrate", "データベースを最新のスキーマに更新する")->callback([] {
    const auto& options = global_options();
    auto database = value_or_exit(db::open(options.db_path, options.db_url));
    auto applied = value_or_exit(db::migrate(*database));
    if (applied.empty()) {
      std::cout << "データベースは最新です（" << db::all_migrations().size() << " 件のマイグレーション適用済み）\n";
      return;
    }
    for (const auto& name : applied) std::cout << "適用: " << name << "\n";
    std::cout << applied.size() << " 件のマイグレーションを適用しました\n";
  });
}

}  // namespace kakehashi::cli
