// `kakehashi token`: personal API tokens from the console (auth/api_tokens.h). The secret is
// printed once, by `create`, and never again.
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "auth/api_tokens.h"
#include "auth/users.h"
#include "base/date.h"
#include "cli/common.h"

namespace kakehashi::cli {
namespace {

auth::User user_or_exit(db::Database& database, const std::string& email) {
  auto tx = value_or_exit(database.begin(db::TxMode::kRead));
  auto user = value_or_exit(auth::find_user_by_email(*tx, email));
  if (!user) throw CommandError(kExitUsage, "このメールアドレスのユーザーはいません: " + email);
  return *user;
}

}  // namespace

void register_token(CLI::App& app) {
  auto* token = app.add_subcommand("token", "API トークン（/api/v1 を Authorization: Bearer で呼ぶための鍵）");
  token->require_subcommand(1);

  struct Options {
    std::string email, name = "コマンドラインで作成";
    std::string days;
    std::int64_t id = 0;
  };
  auto options = std::make_shared<Options>();

  auto* create = token->add_subcommand("create", "ユーザーの API トークンを作成し、一度だけ表示する");
  create->add_option("--email", options->email, "持ち主のメールアドレス")->required();
  create->add_option("--name", options->name, "トークンの名前（用途）")->capture_default_str();
  create->add_option("--days", options->days, fmt::format("有効期間の日数（1〜{}、既定 {}）", auth::kMaxTokenDays,
                                                            auth::kMaxTokenDays));
  create->callback([options] {
    auto database = open_database();
    SystemClock clock;
    auth::User user = user_or_exit(*database, options->email);
    if (!user.active) throw CommandError(kExitUsage, "このユーザーは利用停止中です: " + options->email);
    auto issued = value_or_exit(database->transact<auth::IssuedToken>(
        db::TxMode::kWrite, [&](db::Transaction& tx) {
          return auth::create_api_token(tx, user.id, {options->name, options->days}, audit::Actor::system(),
                                        clock.now());
        }));
    std::cerr << fmt::format("API トークンを作成しました（ID {}、有効期限 {}）。この表示は一度だけです。\n",
                             issued.token.id, tokyo_datetime(issued.token.expires_at));
    std::cout << issued.secret << "\n";
  });

  auto* list = token->add_subcommand("list", "ユーザーの API トークンを一覧する（秘密の部分は表示しない）");
  list->add_option("--email", options->email, "持ち主のメールアドレス")->required();
  list->callback([options] {
    auto database = open_database();
    SystemClock clock;
    auth::User user = user_or_exit(*database, options->email);
    auto tx = value_or_exit(database->begin(db::TxMode::kRead));
    auto tokens = value_or_exit(auth::list_api_tokens(*tx, user.id));
    std::cout << "ID\t状態\t作成\t有効期限\t最終使用\t名前\n";
    for (const auto& t : tokens) {
      std::cout << fmt::format("{}\t{}\t{}\t{}\t{}\t{}\n", t.id, auth::token_state_label(t.state(clock.now())),
                               tokyo_datetime(t.created_at), tokyo_datetime(t.expires_at),
                               t.last_used_at ? tokyo_datetime(*t.last_used_at) : "—", t.name);
    }
  });

  auto* revoke = token->add_subcommand("revoke", "API トークンを失効させる");
  revoke->add_option("--id", options->id, "トークンの ID（token list の ID）")->required();
  revoke->callback([options] {
    auto database = open_database();
    SystemClock clock;
    value_or_exit(database->write([&](db::Transaction& tx) {
      return auth::revoke_api_token(tx, options->id, auth::Granter::console(), clock.now());
    }));
    std::cout << fmt::format("API トークン {} を失効させました\n", options->id);
  });
}

}  // namespace kakehashi::cli
