// `kakehashi db copy` (a whole installation from one database to another, e.g. SQLite to
// PostgreSQL and back) and `kakehashi backup` / `restore` of a SQLite database.
#include <iostream>

#include "audit/audit.h"
#include "cli/common.h"
#include "db/backends.h"
#include "db/migrate.h"
#include "db/transfer.h"

namespace kakehashi::cli {
namespace {

constexpr const char* kPostgresqlBackup =
    "PostgreSQL のバックアップには PostgreSQL の道具を使ってください: "
    "pg_dump -Fc -f kakehashi.dump \"$URL\"（論理バックアップ。戻すときは pg_restore -d \"$URL\" kakehashi.dump）、"
    "または pg_basebackup（物理バックアップ）。docs/deployment.md を参照してください";

}  // namespace

void register_database(CLI::App& app) {
  auto* db = app.add_subcommand("db", "データベースの管理");
  db->require_subcommand(1);
  struct CopyOptions {
    std::string from;
    std::string to;
  };
  auto copy_options = std::make_shared<CopyOptions>();
  auto* copy = db->add_subcommand(
      "copy", "インストール全体を別のデータベースへコピーし、コピー先の監査ログを検証する（コピー先は空であること）");
  copy->add_option("--from", copy_options->from, "コピー元（sqlite:ファイル名 または postgresql://…）")->required();
  copy->add_option("--to", copy_options->to, "コピー先（sqlite:ファイル名 または postgresql://…）")->required();
  copy->callback([copy_options] {
    auto from = value_or_exit(db::open_url(copy_options->from, 2));
    auto to = value_or_exit(db::open_url(copy_options->to, 2));
    value_or_exit(db::migrate(*to));
    auto report = value_or_exit(db::copy_database(*from, *to));
    std::cout << report.tables.size() << " 個のテーブル、" << report.rows() << " 行をコピーしました\n";
    auto verified = value_or_exit(audit::verify(*to));
    if (!verified.intact) {
      std::cerr << "kakehashi: コピー先の監査ログの検証に失敗しました: " << verified.problem << "\n";
      throw ExitWith{kExitFindings};
    }
    std::cout << "コピー先の監査ログは完全です（" << verified.entries << " 件）\n";
  });

  auto backup_to = std::make_shared<std::string>();
  auto* backup = app.add_subcommand("backup", "SQLite データベースを稼働中のまま一貫した状態でファイルに書き出す");
  backup->add_option("--to", *backup_to, "バックアップファイル（既にあるファイルは上書きしない）")->required();
  backup->callback([backup_to] {
    const auto& options = global_options();
    if (!options.db_url.empty()) fail_with(Error::invalid(kPostgresqlBackup));
    value_or_exit(db::backup_sqlite(options.db_path, *backup_to));
    std::cout << "バックアップを書き出しました: " << *backup_to << "\n";
  });

  auto restore_from = std::make_shared<std::string>();
  auto* restore = app.add_subcommand("restore", "バックアップから SQLite データベースを戻す（サーバーを止めてから実行すること）");
  restore->add_option("--from", *restore_from, "バックアップファイル")->required();
  restore->callback([restore_from] {
    const auto& options = global_options();
    if (!options.db_url.empty()) fail_with(Error::invalid(kPostgresqlBackup));
    value_or_exit(db::restore_sqlite(*restore_from, options.db_path));
    auto database = open_database();
    auto verified = value_or_exit(audit::verify(*database));
    if (!verified.intact) {
      std::cerr << "kakehashi: 戻したデータベースの監査ログの検証に失敗しました: " << verified.problem << "\n";
      throw ExitWith{kExitFindings};
    }
    std::cout << "バックアップから戻しました（監査ログ " << verified.entries << " 件を検証済み）\n";
  });
}

}  // namespace kakehashi::cli
