// `kakehashi demo`: a ready-to-try installation with one user per role.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "auth/password.h"
#include "auth/users.h"
#include "base/date.h"
#include "cli/common.h"

#include <fmt/format.h>

namespace kakehashi::cli {
namespace {

struct DemoUser {
  const char* email;
  const char* name;
  auth::Role role;
  const char* organisation;  // nullptr for none
  const char* organisation_kind;
  const char* block;  // nullptr for none
};

// Fictitious people and organisations; the .example domain is reserved and never delivers mail.
constexpr DemoUser kDemoUsers[] = {
    {"meti@demo.example", "経産 花子", auth::Role::kMeti, "経済産業省 教育産業室", "meti", nullptr},
    {"bureau@demo.example", "関東 一郎", auth::Role::kBureau, "関東経済産業局", "bureau", "kanto"},
    {"secretariat@demo.example", "事務 次郎", auth::Role::kSecretariat, "架け橋事務局", "secretariat", nullptr},
    {"security@demo.example", "情報 三郎", auth::Role::kSecurityOfficer, "架け橋事務局", "secretariat", nullptr},
    {"reviewer@demo.example", "審査 四郎", auth::Role::kReviewer, "外部審査委員会", "review_committee", nullptr},
    {"operator@demo.example", "実証 五郎", auth::Role::kOperator, "株式会社みらい産学連携", "operator", nullptr},
    {"participant@demo.example", "参加 六子", auth::Role::kParticipant, "札幌市教育委員会", "municipality", nullptr},
};

// Operators without users yet, so lists have something to show.
constexpr const char* kDemoOperators[] = {"一般社団法人まなびブリッジ", "特定非営利活動法人地域共創ラボ"};

std::filesystem::path logins_file() {
  auto parent = std::filesystem::path(global_options().db_path).parent_path();
  return (parent.empty() ? std::filesystem::path(".") : parent) / "demo-logins.txt";
}

void print_logins_file() {
  std::ifstream in(logins_file());
  if (!in) {
    std::cout << "デモ用ログインの記録（" << logins_file().string() << "）がありません\n";
    return;
  }
  std::cout << in.rdbuf();
}

}  // namespace

void register_demo(CLI::App& app) {
  auto* demo = app.add_subcommand("demo", "デモデータ（ロールごとのユーザーと組織）を作成し、ログイン情報を表示する");
  auto show_only = std::make_shared<bool>(false);
  demo->add_flag("--show-logins", *show_only, "作成済みのデモ用ログインを表示するだけにする");
  demo->callback([show_only] {
    if (*show_only) {
      print_logins_file();
      return;
    }
    auto database = open_database();
    SystemClock clock;
    std::ostringstream logins;
    logins << "デモ用ログイン（http://127.0.0.1:8080/login）: メールアドレス  パスワード  ロール\n";
    value_or_exit(database->write([&](db::Transaction& tx) -> Result<void> {
      auto existing = auth::count_users(tx);
      if (!existing) return fail(existing.error());
      if (*existing > 0) return fail(Error::conflict("デモデータは作成済みです（ユーザーが既に登録されています）"));
      for (const DemoUser& user : kDemoUsers) {
        std::optional<std::string> block = user.block ? std::optional<std::string>(user.block) : std::nullopt;
        auto org = auth::ensure_organisation(tx, user.organisation, user.organisation_kind, block, audit::Actor::system(),
                                             clock.now());
        if (!org) return fail(org.error());
        std::string password = auth::random_password();
        auto id = auth::create_user(tx, {user.email, user.name, password, {user.role}, *org, block}, audit::Actor::system(),
                                    clock.now());
        if (!id) return fail(id.error());
        logins << fmt::format("  {:<26} {}  {}\n", user.email, password, auth::role_label(user.role));
      }
      for (const char* name : kDemoOperators) {
        auto org = auth::ensure_organisation(tx, name, "operator", std::nullopt, audit::Actor::system(), clock.now());
        if (!org) return fail(org.error());
      }
      return {};
    }));
    // Kept beside the database, readable by its owner only, so `make run` can show them again.
    std::ofstream out(logins_file(), std::ios::trunc);
    out << logins.str();
    out.close();
    ::chmod(logins_file().c_str(), 0600);
    std::cout << logins.str();
  });
}

}  // namespace kakehashi::cli
