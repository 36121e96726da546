#include <iostream>
#include <sstream>
#include <string>

#include "auth/users.h"
#include "base/date.h"
#include "cli/common.h"
#include "geo/geo.h"

namespace kakehashi::cli {
namespace {

std::set<auth::Role> parse_roles(const std::vector<std::string>& values) {
  std::set<auth::Role> roles;
  for (const auto& value : values) {
    std::stringstream list(value);
    std::string id;
    while (std::getline(list, id, ',')) {
      auto role = auth::role_from_id(id);
      if (!role) {
        std::string known;
        for (const auto& info : auth::kRoles) known += (known.empty() ? "" : ", ") + std::string(info.id);
        throw CommandError(kExitUsage, "不明なロールです: " + id + "（指定できるもの: " + known + "）");
      }
      roles.insert(*role);
    }
  }
  return roles;
}

}  // namespace

void register_user(CLI::App& app) {
  auto* user = app.add_subcommand("user", "ユーザー管理");
  user->require_subcommand(1);
  auto* add = user->add_subcommand("add", "ユーザーを追加する（パスワードは標準入力から 1 行で読む）");
  struct Options {
    std::string email, name, org, block;
    std::vector<std::string> roles;
  };
  auto options = std::make_shared<Options>();
  add->add_option("--email", options->email, "メールアドレス（ログイン ID）")->required();
  add->add_option("--name", options->name, "氏名")->required();
  add->add_option("--role", options->roles, "ロール（複数可: meti, bureau, secretariat, security_officer, reviewer, operator, participant）")
      ->required();
  add->add_option("--org", options->org, "所属組織名（なければ作成）");
  add->add_option("--block", options->block, "担当ブロック ID（bureau の場合）");
  add->callback([options] {
    auto roles = parse_roles(options->roles);
    std::optional<std::string> block;
    if (!options->block.empty()) {
      if (!geo::find_block(options->block)) throw CommandError(kExitUsage, "不明なブロック ID です: " + options->block);
      block = options->block;
    }
    std::string password;
    if (!std::getline(std::cin, password)) throw CommandError(kExitUsage, "パスワードを標準入力から 1 行で渡してください");
    if (!password.empty() && password.back() == '\r') password.pop_back();
    // Argon2id before the write transaction (issue 13 item 4).
    auto hashed = value_or_exit(auth::with_password_hash({options->email, options->name, password, roles, std::nullopt, block}));
    auto database = open_database();
    SystemClock clock;
    auto id = value_or_exit(database->transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) -> Result<std::int64_t> {
      std::optional<std::int64_t> organisation;
      if (!options->org.empty()) {
        auto org = auth::ensure_organisation(tx, options->org, auth::organisation_kind_for(roles), block,
                                             audit::Actor::system(), clock.now());
        if (!org) return fail(org.error());
        organisation = *org;
      }
      // The console may give any role: METI accounts are made here or by METI itself (grants.h).
      auth::NewUser user = hashed;
      user.organisation_id = organisation;
      return auth::create_user(tx, user, auth::Granter::console(), clock.now());
    }));
    std::cout << "ユーザーを追加しました（ID " << id << "）\n";
  });
}

}  // namespace kakehashi::cli
