// The route × role matrix (issue 14): every route of the application, requested by every kind
// of person (anonymous, each role, and people of another organisation or block, reviewers with a
// conflict or without the assignment), against one fixture programme. The expected status comes
// from the policy table where the route's gate decides it (303 to the login page, 401 for the
// API, 403), and from the table below where the module's scope rules decide it. A new route
// without its line here, or a principal passing a gate without an expected status, fails the
// suite, so every module inherits the check.
//
// Each request runs on a fresh copy of the fixture database, so no request sees another's
// change. KAKEHASHI_MATRIX_RECORD=1 prints the observed table (to review, never to paste blindly).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "audit/anchor.h"
#include "auth/policy.h"
#include "base/date.h"
#include "db/database.h"
#include "db/migrate.h"
#include "support/cli.h"
#include "support/in_process.h"
#include "support/result.h"
#include "support/temp_dir.h"
#include "web/app.h"

namespace kakehashi::web {
namespace {

using namespace std::chrono;
using testing::Client;
using testing::InProcess;
using testing::UploadPart;

constexpr std::string_view kPassword = "matrix password 1234";

class MovableClock final : public Clock {
 public:
  explicit MovableClock(sys_seconds at) : at_(at) {}
  sys_seconds now() const override { return at_; }
  void advance(seconds by) { at_ += by; }

 private:
  sys_seconds at_;
};

// The people of the matrix: key, e-mail, roles, organisation, block.
struct Person {
  std::string key;
  std::string email;
  std::vector<std::string> roles;
  std::string organisation;
  std::string block;
};

const std::vector<Person>& people() {
  static const std::vector<Person> list{
      {"meti", "meti@matrix.example", {"meti"}, "経済産業省 教育産業室", ""},
      {"meti2", "meti2@matrix.example", {"meti"}, "経済産業省 教育産業室", ""},
      {"bureau", "bureau@matrix.example", {"bureau"}, "北海道経済産業局", "hokkaido"},
      {"bureau_other", "bureau2@matrix.example", {"bureau"}, "関東経済産業局", "kanto"},
      {"secretariat", "secretariat@matrix.example", {"secretariat"}, "架け橋事務局", ""},
      {"security_officer", "security@matrix.example", {"security_officer"}, "架け橋事務局", ""},
      {"reviewer", "r1@matrix.example", {"reviewer"}, "外部審査委員会", ""},
      {"reviewer_conflicted", "r2@matrix.example", {"reviewer"}, "外部審査委員会", ""},
      {"reviewer_unassigned", "r3@matrix.example", {"reviewer"}, "外部審査委員会", ""},
      {"operator", "op@matrix.example", {"operator"}, "株式会社ほっかいどう連携", ""},
      {"operator_other", "op2@matrix.example", {"operator"}, "一般社団法人とうほくブリッジ", ""},
      {"participant", "school@matrix.example", {"participant"}, "札幌市教育委員会", ""},
  };
  return list;
}

// The principals each route is requested by: anonymous and every person but meti2 (who exists
// to approve what the secretariat records).
std::vector<std::string> principals() {
  std::vector<std::string> keys{"anonymous"};
  for (const auto& person : people()) {
    if (person.key != "meti2") keys.push_back(person.key);
  }
  return keys;
}

const std::string kPdf = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

std::string japan_local(sys_seconds at) { return tokyo_datetime_local(at); }

// One route's expectations for the principals that pass its gate, and the concrete path it is
// requested at in the fixture.
struct Line {
  std::string method;
  std::string pattern;
  std::string path;
  std::map<std::string, int> status;  // principal key -> expected status
};

// Statuses decided by the modules' scope rules and state (after the gate). The fixture: call 1
// (北海道・東北) with results published; application 1 of `operator` (北海道, attachment 1,
// assigned to `reviewer`, in conflict for `reviewer_conflicted`), application 2 of
// `operator_other` (東北); criterion 1.
const std::vector<Line>& table();

class RouteMatrix : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    clients_ = new std::map<std::string, Client>();
    fixture_ = dir_->file("fixture.db");
    clock_ = new MovableClock(sys_days{2026y / 7 / 10} + hours{1});  // 10:00 in Tokyo
    // People through the CLI, as an installation creates them.
    std::ofstream(dir_->file("password.txt")) << kPassword << "\n";
    for (const auto& person : people()) {
      std::string args = fmt::format("--db {} user add --email {} --name '{}'", fixture_, person.email, person.key);
      for (const auto& role : person.roles) args += " --role " + role;
      if (!person.organisation.empty()) args += fmt::format(" --org '{}'", person.organisation);
      if (!person.block.empty()) args += " --block " + person.block;
      args += " < " + dir_->file("password.txt");
      auto run = testing::run_kakehashi(args, dir_->path());
      ASSERT_EQ(run.exit_code, 0) << run.err;
    }
    build_programme();
  }

  static void TearDownTestSuite() {
    delete clock_;
    delete clients_;
    delete dir_;
  }

  // Opens a copy of the fixture and runs `work` with an application on it.
  template <typename F>
  static void with_copy(F&& work) {
    std::string copy = dir_->file("case.db");
    std::filesystem::copy_file(fixture_, copy, std::filesystem::copy_options::overwrite_existing);
    auto database = db::open_sqlite(copy, 2);
    ASSERT_OK(database);
    AppConfig config;
    config.quarantine_dir = dir_->path() / "quarantine";
    config.audit_anchors = audit::default_anchor_settings(copy);
    Application app(**database, *clock_, config);
    register_routes(app);
    InProcess web(app, config.quarantine_dir);
    work(app, web, **database);
  }

  static std::int64_t scalar(db::Database& database, const std::string& sql) {
    auto tx = database.begin(db::TxMode::kRead);
    EXPECT_TRUE(tx);
    auto value = (*tx)->scalar(sql);
    EXPECT_OK(value);
    return value.value_or(0);
  }

  static void exec(db::Database& database, const std::string& sql) {
    auto tx = database.begin(db::TxMode::kWrite);
    ASSERT_TRUE(tx);
    ASSERT_TRUE((*tx)->exec(sql)) << sql;
    ASSERT_TRUE((*tx)->commit());
  }

  // The programme the matrix runs against, built through the screens.
  static void build_programme() {
    auto database = db::open_sqlite(fixture_, 2);
    ASSERT_OK(database);
    ASSERT_TRUE(db::migrate(**database));
    AppConfig config;
    config.quarantine_dir = dir_->path() / "quarantine";
    Application app(**database, *clock_, config);
    register_routes(app);
    InProcess web(app, config.quarantine_dir);
    std::map<std::string, Client> as;
    for (const auto& person : people()) {
      auto response = web.log_in(as[person.key], person.email, std::string(kPassword));
      ASSERT_EQ(response.status, http::status::see_other) << person.key << response.body.substr(0, 400);
    }
    auto expect_redirect = [](const Response& response, std::string_view what) {
      EXPECT_EQ(response.status, http::status::see_other) << what << ": " << response.body.substr(0, 600);
      for (const auto& [name, value] : response.headers) {
        if (name == "Location") {
          EXPECT_FALSE(value.starts_with("/login")) << what << ": sent to " << value;
        }
      }
    };
    auto now = clock_->now();
    web.get(as["secretariat"], "/admin/calls/new");
    expect_redirect(web.post(as["secretariat"], "/admin/calls",
                             {{"title", "マトリクスの公募"}, {"summary", "2 ブロックで募集します。"},
                              {"opens_at", japan_local(now - days{1})}, {"closes_at", japan_local(now + days{7})},
                              {"award_min", "15000000"}, {"award_max", "25000000"}, {"budget_total", "210000000"},
                              {"reviewers_per_application", "1"}, {"max_load", "10"}, {"peer_reviews", "never"},
                              {"hide_personal", "1"}, {"block", "hokkaido"}, {"block", "tohoku"}}),
                    "create the call");
    expect_redirect(web.post(as["secretariat"], "/admin/calls/1/criteria",
                             {{"name", "事業計画の妥当性"}, {"description", ""}, {"weight", "30"}, {"level_1", "不十分"},
                              {"level_2", "標準的"}, {"level_3", "優れている"}}),
                    "add a criterion");
    expect_redirect(web.post(as["secretariat"], "/admin/calls/1/publish", {}), "publish the call");
    const std::pair<const char*, const char*> applicants[] = {{"operator", "hokkaido"}, {"operator_other", "tohoku"}};
    for (std::size_t i = 0; i < 2; ++i) {
      auto [key, block] = applicants[i];
      Client& client = as[key];
      web.get(client, "/calls/1");
      expect_redirect(web.post(client, "/calls/1/apply", {}), "start an application");
      std::string form = fmt::format("/my/applications/{}", i + 1);
      web.get(client, form);
      expect_redirect(
          web.post(client, form,
                   {{"organisation_profile", "地域の企業と学校をつないできました。"}, {"representative_name", "代表 太郎"},
                    {"contact_name", "連絡 花子"}, {"contact_email", "contact@matrix.example"},
                    {"contact_phone", "03-1234-5678"}, {"qualification_matching", "1"}, {"block", block},
                    {fmt::format("requested_{}", block), "20000000"}, {"plan_projects", "企業 20 社と連携します。"},
                    {"plan_pbl", "高校 5 校で PBL を実施します。"}, {"plan_continuity", "協議会が引き継ぎます。"},
                    {"plan_self_sufficiency", "協賛金で自走します。"}, {"plan_regional_fit", "製造業の人材ニーズに合わせます。"},
                    {"topic", "pbl"}, {"action", "submit"}},
                   {UploadPart{"file", "plan.pdf", "application/pdf", kPdf}}),
          "submit an application");
    }
    std::int64_t org_a = scalar(**database, "SELECT organisation_id FROM users WHERE email = 'op@matrix.example'");
    std::int64_t org_b = scalar(**database, "SELECT organisation_id FROM users WHERE email = 'op2@matrix.example'");
    for (const auto& [key, conflict_a] : {std::pair{"reviewer", "no"}, {"reviewer_conflicted", "yes"}, {"reviewer_unassigned", "no"}}) {
      web.get(as[key], "/review/calls/1/conflicts");
      expect_redirect(web.post(as[key], "/review/calls/1/conflicts",
                               {{fmt::format("conflict_{}", org_a), conflict_a},
                                {fmt::format("note_{}", org_a), std::string(conflict_a) == "yes" ? "役員を兼務" : ""},
                                {fmt::format("conflict_{}", org_b), "no"}, {fmt::format("note_{}", org_b), ""}}),
                      "declare conflicts");
    }
    std::int64_t reviewer = scalar(**database, "SELECT id FROM users WHERE email = 'r1@matrix.example'");
    web.get(as["secretariat"], "/admin/calls/1/review");
    for (int application : {1, 2}) {
      expect_redirect(web.post(as["secretariat"], "/admin/calls/1/review/assign",
                               {{"application", std::to_string(application)}, {"reviewer", std::to_string(reviewer)}}),
                      "assign the reviewer");
    }
    clock_->advance(days{8});  // the call has closed; sessions have expired, so everyone signs in again
    for (const auto& person : people()) {
      as[person.key] = Client{};
      ASSERT_EQ(web.log_in(as[person.key], person.email, std::string(kPassword)).status, http::status::see_other);
    }
    for (int application : {1, 2}) {
      std::string path = fmt::format("/review/applications/{}", application);
      web.get(as["reviewer"], path);
      expect_redirect(web.post(as["reviewer"], path, {{"score_1", "3"}, {"comment_1", "具体的"}, {"comment", "良い"},
                                                      {"action", "submit"}}),
                      "submit a review");
    }
    web.get(as["secretariat"], "/admin/calls/1/results");
    expect_redirect(web.post(as["secretariat"], "/admin/calls/1/results/decision",
                             {{"basis", "mean"},
                              {"application_hokkaido", "1"}, {"amount_hokkaido", "20000000"},
                              {"rationale_hokkaido", "計画の具体性が高い"}, {"proposed_hokkaido", "1"},
                              {"application_tohoku", "2"}, {"amount_tohoku", "20000000"},
                              {"rationale_tohoku", "地域との適合"}, {"proposed_tohoku", "2"}}),
                    "record the decision");
    web.get(as["meti2"], "/admin/calls/1/results");
    expect_redirect(web.post(as["meti2"], "/admin/calls/1/results/approve", {}), "approve the decision");
    web.get(as["secretariat"], "/admin/calls/1/results");
    expect_redirect(web.post(as["secretariat"], "/admin/calls/1/results/publish", {}), "publish the results");
    // API token 1 belongs to `operator`.
    web.get(as["operator"], "/account/tokens");
    EXPECT_EQ(web.post(as["operator"], "/account/tokens", {{"name", "マトリクス"}, {"days", "30"}}).status, http::status::ok);
    // The programme year (issue 15): operator 1 (`operator`, 北海道) keeps milestone 1 with an
    // inspected file as evidence 1; operator 2 (`operator_other`, 東北) has none.
    web.get(as["operator"], "/operations/operators/1/milestones/new");
    expect_redirect(web.post(as["operator"], "/operations/operators/1/milestones",
                             {{"title", "連携校の決定"}, {"due_on", "2026-09-30"}, {"status", "in_progress"}}),
                    "add a milestone");
    web.get(as["operator"], "/operations/milestones/1");
    expect_redirect(web.post(as["operator"], "/operations/milestones/1/evidence", {{"kind", "file"}, {"title", "集計"}},
                             {UploadPart{"file", "figures.csv", "text/csv", "項目,件数\n連携校,3\n"}}),
                    "add evidence");
    // Operations (issue 15): operator 1 (`operator`, 北海道) has project 1 and a staged import 1.
    web.get(as["operator"], "/operations/operators/1/projects/new");
    expect_redirect(web.post(as["operator"], "/operations/operators/1/projects",
                             {{"block_id", "hokkaido"}, {"title", "英語の出前授業"}, {"category", "hito"},
                              {"subtype", "expert_english"}, {"continuity", "one_off"}, {"party_rows", "0"},
                              {"session_rows", "0"}}),
                    "create a project");
    expect_redirect(web.post(as["operator"], "/operations/operators/1/imports", {},
                             {{"file", "活動一覧.csv", "text/csv",
                               "実施日,内容,企業,学校,区分\n2026/07/20,英語の出前授業,(株)みらい英語,札幌市立北小学校,ヒト\n"}}),
                    "stage an import");
    web.get(as["operator"], "/operations/imports/1/mapping");
    expect_redirect(web.post(as["operator"], "/operations/imports/1/mapping",
                             {{"map_date", "実施日"}, {"map_title", "内容"}, {"map_company", "企業"},
                              {"map_school", "学校"}, {"map_category", "区分"}}),
                    "map the import's columns");
    // The programme year (operations, part C): a support log with an open next step and a
    // mentoring on operator 1 (北海道), an expense with a receipt, a staff member.
    std::string secretariat_id =
        std::to_string(scalar(**database, "SELECT id FROM users WHERE email = 'secretariat@matrix.example'"));
    web.get(as["secretariat"], "/operations/operators/1/support/new");
    expect_redirect(web.post(as["secretariat"], "/operations/operators/1/support",
                             {{"held_on", "2026-07-17"}, {"kind", "visit"}, {"topic", "キックオフ"}, {"advice", "体制を確認"},
                              {"next_step", "計画の確認"}, {"next_step_due", "2026-07-31"}, {"next_step_owner", secretariat_id}}),
                    "log support");
    expect_redirect(web.post(as["secretariat"], "/operations/operators/1/mentorings",
                             {{"startup_name", "株式会社まなびラボ"}, {"stage", "seed"}, {"goals", "教材の試行"}, {"mentor_user_id", ""}}),
                    "add a mentoring");
    web.get(as["secretariat"], "/operations/budget/expenses/new");
    expect_redirect(web.post(as["secretariat"], "/operations/budget/expenses",
                             {{"spent_on", "2026-07-16"}, {"category", "venue"}, {"budget_line", "会場借料"},
                              {"description", "説明会 会場使用料"}, {"amount", "88,000"}},
                             {UploadPart{"receipt", "receipt.pdf", "application/pdf", kPdf}}),
                    "record an expense");
    expect_redirect(web.post(as["secretariat"], "/operations/staff",
                             {{"name", "架橋 一太"}, {"role", "統括責任者"}, {"share_percent", "30"}, {"user_id", ""}}),
                    "add a staff member");
    // Effect verification (issue 20): operator 1 (`operator`, 北海道) has KPI 1 and survey 1
    // (registered, not analysed yet).
    web.get(as["operator"], "/effects/operators/1/kpis/new");
    expect_redirect(web.post(as["operator"], "/effects/operators/1/kpis",
                             {{"shared_key", "schools"}, {"block_id", "hokkaido"}, {"baseline", "0"}, {"target", "12"}}),
                    "register a KPI");
    web.get(as["operator"], "/effects/operators/1/surveys/new");
    expect_redirect(web.post(as["operator"], "/effects/operators/1/surveys", {{"title", "意識調査"}, {"block_id", "hokkaido"}}),
                    "register a survey");
    // Knowledge (issue 19): item 1 is `operator`'s draft case (北海道) with photo 1, item 2 a case
    // the secretariat published, item 3 a published lesson; import 1 an uploaded collection.
    web.get(as["operator"], "/knowledge/new");
    expect_redirect(web.post(as["operator"], "/knowledge/new",
                             {{"kind", "case"}, {"title", "英語の出前授業"}, {"summary", "企業の社員が授業をした"},
                              {"category", "hito"}, {"block_id", "hokkaido"}, {"year", "2026"}}),
                    "draft a case");
    web.get(as["operator"], "/knowledge/items/1");
    expect_redirect(web.post(as["operator"], "/knowledge/items/1/photos", {{"caption", "授業の様子"}},
                             {UploadPart{"photo", "p.jpg", "image/jpeg", std::string("\xFF\xD8\xFF\xD9", 4)}}),
                    "add a photo");
    web.get(as["secretariat"], "/knowledge/new");
    expect_redirect(web.post(as["secretariat"], "/knowledge/new",
                             {{"kind", "case"}, {"title", "金融教育"}, {"summary", "信用金庫の出前授業"}, {"category", "kane"},
                              {"block_id", "tohoku"}, {"year", "2026"}, {"consent", "1"}}),
                    "write a case");
    expect_redirect(web.post(as["secretariat"], "/knowledge/new",
                             {{"kind", "lesson"}, {"title", "窓口を一本化する"}, {"body", "調整が速くなった"},
                              {"advice", "最初に窓口を決める"}, {"outcome", "success"}, {"year", "2026"}}),
                    "write a lesson");
    for (const char* item : {"2", "3"}) {
      for (const char* step : {"submit", "approve", "publish"}) {
        expect_redirect(web.post(as["secretariat"], fmt::format("/knowledge/items/{}/{}", item, step), {}), step);
      }
    }
    web.get(as["secretariat"], "/knowledge/import");
    expect_redirect(web.post(as["secretariat"], "/knowledge/import", {},
                             {UploadPart{"file", "2025.csv", "text/csv", "タイトル,概要,分野\n工場見学,中継した,モノ\n"}}),
                    "upload a collection");
    // Events (issue 18): event 1 (final, matchmaking, co-hosted by operator 1 of `operator`) at
    // /e/matrix with registration 1 of a visitor (receipt E1-AAAAAA). The link key is fixed so
    // that the personal link /e/matrix/r/1-5OIYP5aDfee_vZGCjUyKS8BnqsS7HJES is known.
    web.get(as["secretariat"], "/events/new");
    expect_redirect(web.post(as["secretariat"], "/events",
                             {{"kind", "final"}, {"title", "全国成果報告会"}, {"starts_at", "2026-08-20T10:00"},
                              {"ends_at", "2026-08-20T17:00"}, {"format", "hybrid"}, {"prefecture", "13"},
                              {"venue", "東京国際フォーラム"}, {"address", "千代田区丸の内3-5-1"}, {"capacity", "200"},
                              {"registration_closes_at", "2026-08-10T17:00"}, {"offer_hours", "48"},
                              {"cohost_counting", "ours"}, {"cohost_operator_id", "1"}, {"published", "1"},
                              {"matchmaking", "1"}, {"requests_open_at", "2026-07-01T10:00"},
                              {"requests_close_at", "2026-08-01T17:00"}}),
                    "create an event");
    exec(**database, "UPDATE events SET slug = 'matrix' WHERE id = 1");
    exec(**database, "INSERT INTO event_link_keys (id, secret) VALUES (1, zeroblob(32))");
    {
      Client visitor;
      web.get(visitor, "/e/matrix");
      expect_redirect(web.post(visitor, "/e/matrix",
                               {{"name", "参加 太郎"}, {"organisation", "港区立みなと中学校"}, {"kind", "school"},
                                {"school_type", "中学校"}, {"prefecture", "13"}, {"email", "visitor@matrix.example"},
                                {"attendance", "in_person"}, {"consent", "1"}, {"match_opt_in", "1"}}),
                      "register for the event");
    }
    exec(**database, "UPDATE event_registrations SET receipt = 'E1-AAAAAA' WHERE id = 1");
    // Everyone signed in (and the visitor on the login page) once: each case's copy of the
    // database holds these sessions, so a case starts from the client's cookies.
    for (const std::string& who : principals()) {
      Client client;
      if (who == "anonymous") {
        web.get(client, "/login");
      } else {
        const Person& person = *std::find_if(people().begin(), people().end(), [&](const Person& p) { return p.key == who; });
        ASSERT_EQ(web.log_in(client, person.email, std::string(kPassword)).status, http::status::see_other) << who;
        web.get(client, "/");
      }
      (*clients_)[who] = client;
    }
    ASSERT_NE(scalar(**database, "SELECT COUNT(*) FROM calls WHERE results_published_at IS NOT NULL"), 0)
        << scalar(**database, "SELECT COUNT(*) FROM calls") << " calls, decisions: " << scalar(**database, "SELECT COUNT(*) FROM call_decisions") << " reviews: " << scalar(**database, "SELECT COUNT(*) FROM reviews WHERE submitted_at IS NOT NULL");
  }

  static testing::TempDir* dir_;
  static std::string fixture_;
  static MovableClock* clock_;
  static std::map<std::string, Client>* clients_;  // signed in on the fixture
};

std::map<std::string, Client>* RouteMatrix::clients_ = nullptr;
testing::TempDir* RouteMatrix::dir_ = nullptr;
std::string RouteMatrix::fixture_;
MovableClock* RouteMatrix::clock_ = nullptr;

std::string route_key(http::verb method, const std::string& pattern) {
  return fmt::format("{} {}", std::string(http::to_string(method)), pattern);
}

TEST_F(RouteMatrix, EveryRouteHasALine) {
  std::set<std::string> lines;
  for (const Line& line : table()) {
    EXPECT_TRUE(lines.insert(line.method + " " + line.pattern).second) << "twice: " << line.pattern;
  }
  with_copy([&](Application& app, InProcess&, db::Database&) {
    std::set<std::string> routes;
    for (const Route& route : app.router().routes()) {
      std::string key = route_key(route.method, route.pattern);
      routes.insert(key);
      EXPECT_TRUE(lines.contains(key)) << key << " has no line in route_matrix_test.cpp";
    }
    for (const auto& line : lines) EXPECT_TRUE(routes.contains(line)) << line << " is no route any more";
  });
}

TEST_F(RouteMatrix, EveryRoleGetsTheStatusThePolicyAndScopeRulesGive) {
  bool record = std::getenv("KAKEHASHI_MATRIX_RECORD") != nullptr;
  std::map<std::string, std::map<std::string, int>> observed;
  for (const Line& line : table()) {
    for (const std::string& who : principals()) {
      with_copy([&](Application& app, InProcess& web, db::Database&) {
        const Route* route = nullptr;
        for (const Route& r : app.router().routes()) {
          if (route_key(r.method, r.pattern) == line.method + " " + line.pattern) route = &r;
        }
        ASSERT_NE(route, nullptr) << line.pattern;
        Client client = clients_->at(who);
        Response response = line.method == "GET" ? web.get(client, line.path) : web.post(client, line.path, {});
        int status = static_cast<int>(response.status);
        // The gate: the policy table decides these, the table must not repeat them.
        std::optional<int> gate;
        if (!route->options.public_route && who == "anonymous") {
          gate = line.pattern.starts_with("/api/") ? 401 : 303;
        } else if (route->options.required && who != "anonymous") {
          auth::Principal principal;
          for (const auto& p : people()) {
            if (p.key != who) continue;
            for (const auto& role : p.roles) principal.roles.insert(*auth::role_from_id(role));
          }
          if (!auth::may(principal, *route->options.required)) gate = 403;
        }
        auto listed = line.status.find(who);
        if (!gate) observed[line.method + " " + line.pattern][who] = status;
        if (gate) {
          EXPECT_EQ(status, *gate) << line.method << " " << line.path << " as " << who << " (the policy's gate)";
          EXPECT_EQ(listed, line.status.end())
              << line.method << " " << line.pattern << " lists " << who << ", whom the policy stops at the gate";
        } else if (!record) {
          ASSERT_NE(listed, line.status.end())
              << line.method << " " << line.pattern << " has no expected status for " << who << " (observed " << status
              << ")";
          EXPECT_EQ(status, listed->second) << line.method << " " << line.path << " as " << who << ": "
                                            << response.body.substr(0, 300);
        }
      });
    }
  }
  if (record) {
    for (const Line& line : table()) {
      std::cout << fmt::format("      {{\"{}\", \"{}\", \"{}\", {{", line.method, line.pattern, line.path);
      bool first = true;
      for (const auto& [who, status] : observed[line.method + " " + line.pattern]) {
        std::cout << fmt::format("{}{{\"{}\", {}}}", first ? "" : ", ", who, status);
        first = false;
      }
      std::cout << "}},\n";
    }
  }
}

// The classes of the outside security test, on every route (issue 13): each new route inherits
// them by being a route.
// Someone who passes the route's gate: the first principal the table expects a status for.
std::optional<std::string> insider(const Line& line) {
  for (const std::string& who : principals()) {
    if (line.status.contains(who)) return who;
  }
  return std::nullopt;
}

TEST_F(RouteMatrix, EveryUnsafeRouteRefusesAMissingOrForeignCsrfTokenAndAnotherSitesOrigin) {
  for (const Line& line : table()) {
    if (line.method != "POST") continue;
    auto who = insider(line);
    ASSERT_TRUE(who) << line.pattern;
    with_copy([&](Application& app, InProcess& web, db::Database& database) {
      // A route that takes only JSON (POST /api/v1/events) refuses this form post for its media
      // type (415) before the token is looked at; tests/http/events.test.mjs posts JSON with the
      // session cookie and no token and gets 403.
      int refused = 403;
      for (const Route& r : app.router().routes()) {
        if (route_key(r.method, r.pattern) == line.method + " " + line.pattern && r.options.body == BodyKind::kJson) refused = 415;
      }
      auto before = scalar(database, "SELECT COUNT(*) FROM audit_log");
      Client client = clients_->at(*who);
      Response missing = web.post(client, line.path, {{"csrf_token", ""}});
      EXPECT_EQ(static_cast<int>(missing.status), refused) << line.path << " as " << *who << " without a token";
      Client other = clients_->at(*who == "secretariat" ? "meti" : "secretariat");
      Response foreign = web.post(client, line.path, {{"csrf_token", other.csrf_token}});
      EXPECT_EQ(static_cast<int>(foreign.status), refused) << line.path << " as " << *who << " with another's token";
      EXPECT_EQ(scalar(database, "SELECT COUNT(*) FROM audit_log"), before) << line.path << ": a refused post wrote";
    });
    with_copy([&](Application& app, InProcess&, db::Database&) {
      // Another site's form: refused on its Origin before the token is looked at.
      Client client = clients_->at(*who);
      Request request;
      request.method = http::verb::post;
      request.target = request.path = line.path;
      request.request_id = "origin";
      request.headers.set(http::field::host, "localhost");
      request.headers.set(http::field::origin, "https://evil.example");
      request.headers.set(http::field::cookie, client.cookie_header());
      request.headers.set(http::field::content_type, "application/x-www-form-urlencoded");
      request.headers.set(http::field::content_length, "0");
      const Route* route = nullptr;
      auto early = app.prepare(request, route);
      ASSERT_TRUE(early) << line.path << " accepted another site's Origin";
      EXPECT_EQ(static_cast<int>(early->status), 403) << line.path;
    });
  }
}

TEST_F(RouteMatrix, NoPageShowsANoticeFromItsUrl) {
  for (const Line& line : table()) {
    if (line.method != "GET") continue;
    for (const std::string& who : {std::string("anonymous"), std::string("secretariat"), std::string("operator")}) {
      with_copy([&](Application&, InProcess& web, db::Database&) {
        Client client = clients_->at(who);
        std::string spoof = "パスワード再設定はこちら https://evil.example/reset";
        std::string query;
        for (const char* key : {"done", "created", "notice", "message", "flash"}) {
          query += (query.empty() ? "?" : "&") + std::string(key) + "=" + url_encode(spoof);
        }
        Response response = web.get(client, line.path + query);
        EXPECT_EQ(response.body.find("evil.example"), std::string::npos) << line.path << " as " << who;
      });
    }
  }
}

TEST_F(RouteMatrix, EveryResponseCarriesTheSecurityHeaders) {
  for (const Line& line : table()) {
    with_copy([&](Application& app, InProcess& web, db::Database&) {
      Client client = clients_->at(insider(line).value_or("secretariat"));
      Response response = line.method == "GET" ? web.get(client, line.path) : web.post(client, line.path, {});
      Request request;
      request.path = line.path;
      app.finalize(request, response);
      std::map<std::string, std::string> headers(response.headers.begin(), response.headers.end());
      EXPECT_TRUE(headers["Content-Security-Policy"].starts_with("default-src 'self'")) << line.path;
      EXPECT_EQ(headers["X-Content-Type-Options"], "nosniff") << line.path;
      EXPECT_EQ(headers["X-Frame-Options"], "DENY") << line.path;
      EXPECT_EQ(headers["Cache-Control"], "no-store") << line.path;
    });
  }
}

const std::vector<Line>& table() {
  static const std::vector<Line> lines{
#include "route_matrix_table.inc"
  };
  return lines;
}

}  // namespace
}  // namespace kakehashi::web
