// `kakehashi demo`: a ready-to-try installation with one user per role.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "auth/password.h"
#include "auth/users.h"
#include "base/date.h"
#include "call/service.h"
#include "geo/geo.h"
#include "cli/common.h"
#include "cli/demo/programme.h"

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
    {"reviewer2@demo.example", "評価 七海", auth::Role::kReviewer, "外部審査委員会", "review_committee", nullptr},
    {"reviewer3@demo.example", "選考 八雲", auth::Role::kReviewer, "外部審査委員会", "review_committee", nullptr},
    {"operator@demo.example", "実証 五郎", auth::Role::kOperator, "株式会社みらい産学連携", "operator", nullptr},
    {"participant@demo.example", "参加 六子", auth::Role::kParticipant, "札幌市教育委員会", "municipality", nullptr},
};

// Operators without users yet, so lists have something to show.
constexpr const char* kDemoOperators[] = {"一般社団法人まなびブリッジ", "特定非営利活動法人地域共創ラボ"};

// The demo call: open since yesterday for four weeks, all 10 blocks, the usual four criteria.
Result<void> create_demo_call(db::Transaction& tx, std::chrono::sys_seconds now) {
  call::CallSettings settings;
  settings.title = "令和8年度「未来の教室」産学連携 実証事業者の公募";
  settings.summary =
      "全国 10 の地域ブロックごとに、企業と学校をつなぎ、企業の実課題を用いた探究学習（PBL）を実施する実証事業者を 1 者ずつ募集します。"
      "1 事業者が複数のブロックに申請することもできます。";
  Date today = tokyo_date(now);
  settings.opens_at = std::chrono::sys_seconds{today.plus_days(-1).sys_days()} + std::chrono::hours{10} - kJapanOffset;
  settings.closes_at = std::chrono::sys_seconds{today.plus_days(27).sys_days()} + std::chrono::hours{17} - kJapanOffset;
  for (const auto& block : geo::blocks()) settings.blocks.emplace_back(block.id);
  auto id = call::create_call(tx, settings, audit::Actor::system(), now);
  if (!id) return fail(id.error());
  const std::vector<std::string> five = {"不十分である", "やや不十分である", "標準的である", "優れている", "特に優れている"};
  const call::Criterion criteria[] = {
      {0, "事業計画の妥当性", "ヒト・モノ・カネの各面で、企業の実課題を用いた PBL を実施できる計画か。", 30, five},
      {0, "実施体制と実績", "コーディネート・マッチング・地域コミュニティ形成の実績と体制。", 25, five},
      {0, "継続性・自走化", "実証終了後も地域で続く仕組みと、自走化の見通し。", 25, five},
      {0, "地域の人材ニーズとの適合", "地域の産業と人材ニーズに合った内容か。", 20, five},
  };
  for (const auto& criterion : criteria) {
    auto added = call::add_criterion(tx, *id, criterion, audit::Actor::system(), now);
    if (!added) return fail(added.error());
  }
  return call::publish_call(tx, *id, audit::Actor::system(), now);
}

// The programme year after the award (issue 15): the past call with its ten operators, then each
// part's data (src/cli/demo/).
Result<void> seed_programme_year(db::Transaction& tx, const std::map<std::string, std::int64_t>& ids,
                                 std::chrono::sys_seconds now) {
  demo::DemoPeople people;
  auto load = [&](const char* email, auth::Principal& into) -> Result<void> {
    auto principal = auth::load_principal(tx, ids.at(email));
    if (!principal) return fail(principal.error());
    if (!*principal) return fail(Error::internal(fmt::format("demo user {} missing", email)));
    into = **principal;
    return {};
  };
  if (auto r = load("secretariat@demo.example", people.secretariat); !r) return r;
  if (auto r = load("meti@demo.example", people.meti); !r) return r;
  if (auto r = load("operator@demo.example", people.operator_user); !r) return r;
  if (auto r = load("security@demo.example", people.security_officer); !r) return r;
  for (const char* email : {"reviewer@demo.example", "reviewer2@demo.example", "reviewer3@demo.example"})
    people.reviewers.push_back(ids.at(email));
  auto operators = demo::create_programme(tx, people, now);
  if (!operators) return fail(operators.error());
  if (auto r = demo::seed_milestones(tx, people, *operators, now); !r) return r;
  if (auto r = demo::seed_projects(tx, people, *operators, now); !r) return r;
  if (auto r = demo::seed_compliance(tx, people, now); !r) return r;
  if (auto r = demo::seed_support_and_budget(tx, people, *operators, now); !r) return r;
  if (auto r = demo::seed_events(tx, people, *operators, now); !r) return r;
  if (auto r = demo::seed_effects(tx, people, *operators, now); !r) return r;
  if (auto r = demo::seed_meetings(tx, people, *operators, now); !r) return r;
  if (auto r = demo::seed_knowledge(tx, people, *operators, now); !r) return r;
  if (auto r = demo::seed_final_reports(tx, people, *operators, now); !r) return r;
  return demo::seed_package(tx, people, now);
}

std::filesystem::path logins_file() {
  auto parent = std::filesystem::path(global_options().db_path).parent_path();
  return (parent.empty() ? std::filesystem::path(".") : parent) / "demo-logins.txt";
}

void print_logins_file() {
  std::ifstream in(logins_file());
  if (!in) {
    std::cout << "デモ用ログインの記録（" << logins_file().string()
              << "）がありません。デモデータは --show-logins を付けずに kakehashi demo を実行すると作成されます\n";
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
    // The port is the one `kakehashi serve` listens on, which prints the login page's URL.
    logins << "デモ用ログイン（ログイン画面は kakehashi serve が表示する URL です）: メールアドレス  パスワード  ロール\n";
    // Passwords hashed before the write transaction (issue 13 item 4).
    std::vector<std::pair<std::string, std::string>> passwords;  // (password, Argon2id hash) per demo user
    for (std::size_t i = 0; i < std::size(kDemoUsers); ++i) {
      std::string password = auth::random_password();
      std::string hash = value_or_exit(auth::hash_password(password));
      passwords.emplace_back(std::move(password), std::move(hash));
    }
    value_or_exit(database->write([&](db::Transaction& tx) -> Result<void> {
      auto existing = auth::count_users(tx);
      if (!existing) return fail(existing.error());
      if (*existing > 0) return fail(Error::conflict("デモデータは作成済みです（ユーザーが既に登録されています）"));
      std::size_t index = 0;
      std::map<std::string, std::int64_t> ids;  // demo user e-mail -> id
      for (const DemoUser& user : kDemoUsers) {
        const auto& [password, hash] = passwords[index++];
        std::optional<std::string> block = user.block ? std::optional<std::string>(user.block) : std::nullopt;
        auto org = auth::ensure_organisation(tx, user.organisation, user.organisation_kind, block, audit::Actor::system(),
                                             clock.now());
        if (!org) return fail(org.error());
        auto id = auth::create_user(tx, {user.email, user.name, password, {user.role}, *org, block, hash},
                                    auth::Granter::console(), clock.now());
        if (!id) return fail(id.error());
        ids[user.email] = *id;
        logins << fmt::format("  {:<26} {}  {}\n", user.email, password, auth::role_label(user.role));
      }
      for (const char* name : kDemoOperators) {
        auto org = auth::ensure_organisation(tx, name, "operator", std::nullopt, audit::Actor::system(), clock.now());
        if (!org) return fail(org.error());
      }
      if (auto r = create_demo_call(tx, clock.now()); !r) return r;
      return seed_programme_year(tx, ids, clock.now());
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
