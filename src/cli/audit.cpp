#include <iostream>

#include "audit/audit.h"
#include "cli/common.h"

namespace kakehashi::cli {

void register_audit(CLI::App& app) {
  auto* audit = app.add_subcommand("audit", "監査ログ");
  audit->require_subcommand(1);
  audit->add_subcommand("verify", "監査ログのハッシュ連鎖を検証する（改ざんがあれば終了コード 1）")->callback([] {
    auto database = open_database();
    auto report = value_or_exit(audit::verify(*database));
    if (report.intact) {
      std::cout << "監査ログは完全です（" << report.entries << " 件）\n";
      return;
    }
    std::cerr << "kakehashi: 監査ログの改ざんを検出しました: " << report.problem << "\n";
    throw ExitWith{kExitFindings};
  });
}

}  // namespace kakehashi::cli
