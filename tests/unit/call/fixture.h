// A migrated SQLite database with the people of a public call (secretariat, METI, two bureaus,
// five reviewers, three applicant organisations), shared by the call store and access tests.
// Everything a test does runs in one write transaction that is never committed.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "auth/roles.h"
#include "auth/users.h"
#include "call/service.h"
#include "db/migrate.h"
#include "support/result.h"
#include "support/temp_dir.h"

namespace kakehashi::call::testing {

using namespace std::chrono;

// A PDF by its content (the store checks the "%PDF-" signature, not the name).
inline const std::string kPdf = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

// An attachment as inspect_attachment gives it, for rules that do not depend on the inspection:
// the disarmed copy is marked so a test can tell which copy it got.
// An inspected upload. Its stand-in hash differs per name and content, so that the tests may
// attach one PDF under several names; tests of the same-file rule give the hash themselves.
inline InspectedAttachment upload(std::string name, std::string bytes) {
  std::string disarmed = bytes + "%disarmed\n";
  std::string sha = fmt::format("{:016x}", std::hash<std::string>{}(name + '\0' + bytes));
  return InspectedAttachment{std::move(name), std::move(sha), std::move(bytes), std::move(disarmed), {}, {}};
}

class CallFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = db::open_sqlite(dir_.file("call.db"));
    ASSERT_OK(opened);
    database_ = std::move(*opened);
    ASSERT_TRUE(db::migrate(*database_));
    auto tx = database_->begin(db::TxMode::kWrite);
    ASSERT_OK(tx);
    tx_ = std::move(*tx);
    std::int64_t secretariat_org = organisation("架け橋事務局", "secretariat");
    secretariat_ = user("secretariat@example.jp", "事務 次郎", "secretariat", secretariat_org);
    meti_ = user("meti@example.jp", "経産 花子", "meti", organisation("経済産業省", "meti"));
    bureau_hokkaido_ = user("hokkaido@example.jp", "北海 道子", "bureau", organisation("北海道経済産業局", "bureau"), "hokkaido");
    bureau_kanto_ = user("kanto@example.jp", "関東 一子", "bureau", organisation("関東経済産業局", "bureau"), "kanto");
    std::int64_t committee = organisation("外部審査委員会", "review_committee");
    for (int i = 1; i <= 5; ++i) {
      reviewers_.push_back(user(fmt::format("r{}@example.jp", i), fmt::format("審査 {}郎", i), "reviewer", committee));
    }
    org_a_ = organisation("株式会社みらい産学連携", "operator");
    org_b_ = organisation("一般社団法人まなびブリッジ", "operator");
    org_c_ = organisation("特定非営利活動法人地域共創ラボ", "operator");
    operator_a_ = user("a@operator.example", "実証 五郎", "operator", org_a_);
    operator_a2_ = user("a2@operator.example", "実証 六郎", "operator", org_a_);
    operator_b_ = user("b@operator.example", "学び 花", "operator", org_b_);
    operator_c_ = user("c@operator.example", "共創 太郎", "operator", org_c_);
  }

  db::Transaction& tx() { return *tx_; }

  std::int64_t organisation(const std::string& name, const std::string& kind) {
    auto id = auth::ensure_organisation(tx(), name, kind, std::nullopt, audit::Actor::system(), now_);
    EXPECT_OK(id);
    return id.value_or(0);
  }

  // A user row with one role. Password hashing is the auth module's concern (and slow on
  // purpose); these tests need only the rows the call store reads.
  std::int64_t user(const std::string& email, const std::string& name, const std::string& role, std::int64_t org,
                    std::optional<std::string> block = std::nullopt) {
    auto id = tx().insert(
        "INSERT INTO users (email, name, password_hash, organisation_id, block_id, created_at) VALUES (?, ?, 'x', ?, ?, ?)",
        {email, name, org, db::nullable(block), std::string("2026-11-01T00:00:00Z")});
    EXPECT_OK(id);
    if (!id) return 0;
    EXPECT_TRUE(tx().exec("INSERT INTO user_roles (user_id, role) VALUES (?, ?)", {*id, role}));
    return id.value_or(0);
  }

  auth::Principal principal(std::int64_t user_id) {
    auto p = auth::load_principal(tx(), user_id);
    EXPECT_TRUE(p && *p);
    return p && *p ? **p : auth::Principal{};
  }

  audit::Actor by(std::int64_t user_id) const { return audit::Actor::user(user_id); }

  // Open since yesterday, closing in 30 days, for three blocks.
  CallSettings settings() const {
    CallSettings s;
    s.title = "令和8年度 実証事業者の公募";
    s.summary = "3 ブロックで実証事業者を募集します。";
    s.opens_at = now_ - days{1};
    s.closes_at = now_ + days{30};
    s.blocks = {"hokkaido", "tohoku", "kanto"};
    return s;
  }

  static Criterion criterion(const std::string& name, int weight) {
    Criterion c;
    c.name = name;
    c.description = name + "を評価します。";
    c.weight = weight;
    c.descriptors = {"不十分", "標準的", "優れている"};
    return c;
  }

  // Creates, gives two criteria (weights 30 and 20, three levels) and publishes; the call is open.
  Call open_call(CallSettings s) {
    auto id = create_call(tx(), s, by(secretariat_), now_);
    EXPECT_OK(id);
    if (!id) return Call{};
    auto c1 = add_criterion(tx(), *id, criterion("事業計画の妥当性", 30), by(secretariat_), now_);
    auto c2 = add_criterion(tx(), *id, criterion("実施体制と実績", 20), by(secretariat_), now_);
    EXPECT_TRUE(c1 && c2);
    if (!c1 || !c2) return Call{};
    criteria_ = {*c1, *c2};
    EXPECT_TRUE(publish_call(tx(), *id, by(secretariat_), now_));
    return reload(*id);
  }
  Call open_call() { return open_call(settings()); }

  Call reload(std::int64_t call_id) {
    auto found = find_call(tx(), call_id);
    EXPECT_TRUE(found && *found);
    return found && *found ? **found : Call{};
  }

  static ApplicationForm complete_form(std::vector<BlockRequest> blocks, std::vector<std::string> topics) {
    ApplicationForm f;
    f.organisation_profile = "地域の企業と学校をつないできました。";
    f.representative_name = "代表 一郎";
    f.contact_name = "担当 二郎";
    f.contact_email = "tanto@operator.example";
    f.contact_phone = "03-1234-5678";
    f.qualification_matching = true;
    f.plan_projects = "地域企業 20 社と連携します。";
    f.plan_pbl = "高校 5 校で PBL を実施します。";
    f.plan_continuity = "協議会が引き継ぎます。";
    f.plan_self_sufficiency = "協賛金で自走します。";
    f.plan_regional_fit = "製造業の人材ニーズに合わせます。";
    f.topics = std::move(topics);
    f.blocks = std::move(blocks);
    return f;
  }

  // A draft with a complete form and one PDF, not yet submitted.
  std::int64_t ready_application(const Call& call, std::int64_t org, std::int64_t author, std::vector<BlockRequest> blocks,
                                 std::vector<std::string> topics = {"pbl"}) {
    auto id = start_application(tx(), call, org, by(author), now_);
    EXPECT_OK(id);
    if (!id) return 0;
    auto saved = save_application(tx(), *id, complete_form(std::move(blocks), std::move(topics)), call, by(author), now_);
    EXPECT_OK(saved);
    auto attached = add_attachment(tx(), *id, upload("plan.pdf", kPdf), by(author), now_);
    EXPECT_OK(attached);
    return id.value_or(0);
  }

  std::int64_t submitted_application(const Call& call, std::int64_t org, std::int64_t author,
                                     std::vector<BlockRequest> blocks, std::vector<std::string> topics = {"pbl"}) {
    std::int64_t id = ready_application(call, org, author, std::move(blocks), std::move(topics));
    auto receipt = submit_application(tx(), id, call, by(author), now_);
    EXPECT_OK(receipt);
    return id;
  }

  // Every reviewer in reviewers_ declares "no conflict" on each submitted application of the call
  // they have not declared on yet (only reviewers who declared on all of them are assignable).
  void everyone_declared(const Call& call) {
    auto apps = list_applications(tx(), call.id, true);
    ASSERT_OK(apps);
    auto declared = declarations(tx(), call.id);
    ASSERT_OK(declared);
    for (std::int64_t r : reviewers_) {
      for (const auto& a : *apps) {
        bool said = std::any_of(declared->begin(), declared->end(), [&](const Declaration& d) {
          return d.reviewer_id == r && d.organisation_id == a.organisation_id;
        });
        if (!said) {
          ASSERT_OK(declare(tx(), call.id, {r, a.organisation_id, false, ""}, by(r), now_));
        }
      }
    }
  }

  // Scores every criterion of the call with `level` and submits.
  void submit_scores(const Call& call, std::int64_t application, std::int64_t reviewer, int level) {
    std::map<std::int64_t, Score> scores;
    for (auto id : criteria_) scores[id] = {level, ""};
    auto saved = save_review(tx(), call, application, reviewer, scores, "妥当な計画です。", by(reviewer), now_);
    ASSERT_OK(saved);
    auto submitted = submit_review(tx(), call, application, reviewer, by(reviewer), now_);
    ASSERT_OK(submitted);
  }

  std::int64_t count(const std::string& sql, const db::Params& params = {}) {
    auto n = tx().scalar(sql, params);
    EXPECT_OK(n);
    return n.value_or(-1);
  }
  std::int64_t audit_count(const std::string& action, const std::string& object) {
    return count("SELECT COUNT(*) FROM audit_log WHERE action = ? AND object = ?", {action, object});
  }

  const Instant now_ = sys_days{2026y / 12 / 1} + hours{1};
  ::kakehashi::testing::TempDir dir_;
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<db::Transaction> tx_;
  std::int64_t secretariat_ = 0, meti_ = 0, bureau_hokkaido_ = 0, bureau_kanto_ = 0;
  std::vector<std::int64_t> reviewers_;
  std::int64_t org_a_ = 0, org_b_ = 0, org_c_ = 0;
  std::int64_t operator_a_ = 0, operator_a2_ = 0, operator_b_ = 0, operator_c_ = 0;
  std::vector<std::int64_t> criteria_;  // of the last open_call
};

}  // namespace kakehashi::call::testing
