#include "cli/front/run.h"

#include <cstdio>
#include <exception>
#include <iostream>

#include "cli/common.h"
#include "cli/roster_key.h"

namespace kakehashi::cli {

namespace {

// CLI11 words its errors in English; the common ones are said in Japanese, the rest keep
// CLI11's text after a Japanese lead.
std::string japanese_parse_error(const CLI::ParseError& error) {
  std::string what = error.what();
  auto after = [&](std::string_view prefix) { return what.substr(prefix.size()); };
  if (what.find("subcommand is required") != std::string::npos) return "サブコマンドを指定してください";
  if (what.ends_with(" is required")) return "必須のオプションがありません: " + what.substr(0, what.size() - 12);
  if (what.starts_with("The following arguments were not expected: ")) {
    return "不明な引数です: " + after("The following arguments were not expected: ");
  }
  if (what.starts_with("The following argument was not expected: ")) {
    return "不明な引数です: " + after("The following argument was not expected: ");
  }
  return "引数が正しくありません: " + what;
}

}  // namespace

GlobalOptions& global_options() {
  static GlobalOptions options;
  return options;
}

std::string& roster_key_option() {
  static std::string path;
  return path;
}

void add_global_options(CLI::App& app) {
  app.require_subcommand(1);
  app.fallthrough();
  auto& options = global_options();
  app.add_option("--db", options.db_path, "SQLite database file")->capture_default_str();
  app.add_option("--db-url", options.db_url, "PostgreSQL connection URL (instead of --db)");
  app.add_option("--roster-key", roster_key_option(),
                 "情報取扱者名簿の暗号化鍵のファイル（既定: データベースと同じ場所の roster.key。なければ作成）");
}

int run(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "kakehashi: " << japanese_parse_error(e) << "（kakehashi --help で使い方を表示）\n";
    return kExitUsage;
  } catch (const CommandError& e) {
    std::cerr << "kakehashi: " << e.what() << "\n";
    return e.exit_code();
  } catch (const ExitWith& e) {
    return e.exit_code;
  } catch (const std::exception& e) {
    std::cerr << "kakehashi: 内部エラー: " << e.what() << "\n";
    return kExitEnvironment;
  }
  std::fflush(stdout);
  return 0;
}

}  // namespace kakehashi::cli
