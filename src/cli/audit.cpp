#include <iostream>

#include "audit/anchor.h"
#include "audit/audit.h"
#include "base/date.h"
#include "cli/common.h"

namespace kakehashi::cli {
namespace {

// The key and anchors folder of the options, defaulting to the database's folder.
audit::AnchorSettings anchor_settings(const std::string& key, const std::string& anchors) {
  audit::AnchorSettings settings = audit::default_anchor_settings(global_options().db_path);
  if (!key.empty()) settings.key_file = key;
  if (!anchors.empty()) settings.anchors_dir = anchors;
  return settings;
}

std::string tokyo_time(const std::string& stored) {
  auto instant = parse_iso_utc(stored);
  return instant ? tokyo_datetime(*instant) : stored;
}

}  // namespace

void register_audit(CLI::App& app) {
  auto* audit = app.add_subcommand("audit", "監査ログ");
  audit->require_subcommand(1);

  struct Options {
    std::string anchors;
    std::string public_key;
    std::string key;
  };
  auto options = std::make_shared<Options>();

  auto* verify = audit->add_subcommand(
      "verify", "監査ログのハッシュ連鎖を検証する（--anchors でチェックポイントとも照合。改ざんがあれば終了コード 1）");
  verify->add_option("--anchors", options->anchors, "チェックポイントのフォルダ（署名と、データベースに残る記録を照合する）");
  verify->add_option("--public-key", options->public_key,
                     "チェックポイントの署名を確かめる公開鍵（PEM。経済産業省に届け出た鍵）")
      ->needs("--anchors");
  verify->callback([options] {
    auto database = open_database();
    auto report = value_or_exit(audit::verify(*database));
    bool intact = report.intact;
    if (report.intact) {
      std::cout << "監査ログは完全です（" << report.entries << " 件）\n";
    } else {
      std::cerr << "kakehashi: 監査ログの改ざんを検出しました: " << report.problem << "\n";
    }
    if (!options->anchors.empty()) {
      std::optional<audit::PublicKey> expected;
      if (!options->public_key.empty()) expected = value_or_exit(audit::read_public_key(options->public_key));
      auto anchors = value_or_exit(audit::verify_anchors(*database, options->anchors, expected));
      for (const auto& problem : anchors.problems) {
        std::cerr << "kakehashi: 監査ログの改ざんを検出しました: " << problem << "\n";
      }
      if (anchors.intact() && anchors.newest && anchors.key) {
        std::cout << "チェックポイント " << anchors.checkpoints << " 件の署名と記録を確認しました（最新: 監査ログ #"
                  << anchors.newest->entry_id << "、" << tokyo_time(anchors.newest->written_at)
                  << " 作成、公開鍵の指紋 " << anchors.key->fingerprint() << "）\n";
        if (!expected) {
          std::cout << "公開鍵を指定していないため、チェックポイントに含まれる鍵で確認しました。"
                       "届け出た公開鍵で確かめるには --public-key を指定してください。\n";
        }
      }
      intact = intact && anchors.intact();
    }
    if (!intact) throw ExitWith{kExitFindings};
  });

  auto* checkpoint = audit->add_subcommand(
      "checkpoint", "監査ログの最新エントリに署名したチェックポイントを、データベースの外のフォルダに書き出す");
  checkpoint->add_option("--anchors", options->anchors, "チェックポイントのフォルダ（既定: データベースと同じ場所の audit-anchors/）");
  checkpoint->add_option("--key", options->key, "署名鍵のファイル（既定: データベースと同じ場所の audit-signing.key。なければ作成）");
  checkpoint->callback([options] {
    auto database = open_database();
    SystemClock clock;
    auto settings = anchor_settings(options->key, options->anchors);
    auto result = audit::write_checkpoint_if_moved(*database, settings, clock.now());
    if (!result && result.error().code == ErrorCode::kConflict) {
      // The log was rolled back past the newest checkpoint: a finding, not a failure to run.
      std::cerr << "kakehashi: " << result.error().message << "\n";
      throw ExitWith{kExitFindings};
    }
    auto written = value_or_exit(std::move(result));
    if (!written) {
      std::cout << "新しいチェックポイントはありません（監査ログが空か、最新のチェックポイントから変わっていません）\n";
      return;
    }
    std::cout << "チェックポイントを書き出しました: " << written->path.string() << "（監査ログ #"
              << written->checkpoint.entry_id << "）\n";
  });

  auto* export_key = audit->add_subcommand(
      "export-key", "チェックポイントの署名を確かめる公開鍵（PEM）を標準出力に書き出す（経済産業省への届け出用）");
  export_key->add_option("--key", options->key, "署名鍵のファイル（既定: データベースと同じ場所の audit-signing.key。なければ作成）");
  export_key->callback([options] {
    auto settings = anchor_settings(options->key, "");
    auto key = value_or_exit(audit::load_or_create_signing_key(settings.key_file));
    std::cout << key.public_key().pem();
    std::cerr << "公開鍵の指紋（SHA-256）: " << key.public_key().fingerprint() << "\n";
  });
}

}  // namespace kakehashi::cli
