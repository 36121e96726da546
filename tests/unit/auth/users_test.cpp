#include "auth/users.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "auth/password.h"
#include "auth/sessions.h"
#include "db/migrate.h"
#include "support/faulty_database.h"
#include "support/result.h"
#include "support/temp_dir.h"

using ::kakehashi::testing::ExpectError;
using ::kakehashi::testing::ExpectErrorCode;

namespace kakehashi::auth {
namespace {

using namespace std::chrono;
const sys_seconds kNow = sys_days{2026y / 11 / 25};

class UsersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(database_, db::open_sqlite(dir_.file("u.db")));
    ASSERT_TRUE(db::migrate(*database_));
  }
  // As the screens and the CLI do: the password hashed first, then the write transaction.
  Result<std::int64_t> add(NewUser user) {
    auto hashed = with_password_hash(std::move(user));
    if (!hashed) return fail(hashed.error());
    return database_->transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) {
      return create_user(tx, *hashed, Granter::console(), kNow);
    });
  }
  Result<std::int64_t> add_as(const Principal& who, NewUser user) {
    auto hashed = with_password_hash(std::move(user));
    if (!hashed) return fail(hashed.error());
    return database_->transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) {
      return create_user(tx, *hashed, Granter::person(who), kNow);
    });
  }
  Principal principal(std::int64_t id) {
    auto tx = database_->begin(db::TxMode::kRead);
    EXPECT_OK(tx);
    if (!tx) return {};
    auto found = load_principal(**tx, id);
    EXPECT_TRUE(found && *found) << "no principal for user " << id;
    return found && *found ? **found : Principal{};
  }
  User user(std::int64_t id) {
    auto tx = database_->begin(db::TxMode::kRead);
    EXPECT_OK(tx);
    if (!tx) return {};
    auto found = find_user(**tx, id);
    EXPECT_TRUE(found && *found) << "no user " << id;
    return found && *found ? **found : User{};
  }
  Result<void> change(const Principal& who, std::int64_t id, UserChange change) {
    return database_->write([&](db::Transaction& tx) { return update_user(tx, id, change, Granter::person(who), kNow); });
  }
  Result<void> activate(const Principal& who, std::int64_t id, bool active) {
    return database_->write(
        [&](db::Transaction& tx) { return set_user_active(tx, id, active, Granter::person(who), kNow); });
  }
  // The detail of the newest audit entry with `action`, parsed.
  boost::json::object last_detail(const std::string& action) {
    auto tx = database_->begin(db::TxMode::kRead);
    EXPECT_OK(tx);
    if (!tx) return {};
    auto row = (*tx)->query_one("SELECT detail FROM audit_log WHERE action = ? ORDER BY id DESC LIMIT 1", {action});
    EXPECT_TRUE(row && *row) << action;
    return row && *row ? boost::json::parse((*row)->text(0)).as_object() : boost::json::object{};
  }
  std::int64_t count(const std::string& sql, const db::Params& params = {}) {
    auto tx = database_->begin(db::TxMode::kRead);
    EXPECT_OK(tx);
    if (!tx) return -1;
    auto n = (*tx)->scalar(sql, params);
    EXPECT_OK(n);
    return n.value_or(-1);
  }
  testing::TempDir dir_;
  std::unique_ptr<db::Database> database_;
};

// A secretariat user, a security officer and a METI official, made at the console.
class GrantedUsersTest : public UsersTest {
 protected:
  void SetUp() override {
    UsersTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_OK_AND_ASSIGN(auto secretariat,
                         add({"jimu@example.jp", "事務 花子", "long enough password", {Role::kSecretariat}}));
    ASSERT_OK_AND_ASSIGN(auto officer,
                         add({"joho@example.jp", "情報 次郎", "long enough password", {Role::kSecurityOfficer}}));
    ASSERT_OK_AND_ASSIGN(auto meti, add({"meti@example.go.jp", "経産 一郎", "long enough password", {Role::kMeti}}));
    secretariat_ = principal(secretariat);
    officer_ = principal(officer);
    meti_ = principal(meti);
  }
  Principal secretariat_, officer_, meti_;
};

// Issue 13 item 4: Argon2id never runs inside the write transaction. create_user takes only a
// hash made beforehand; a user whose password is not hashed is refused and nothing is written.
TEST_F(UsersTest, CreateUserNeverHashesInsideTheTransaction) {
  NewUser plain{"plain@example.jp", "平文 太郎", "long enough password", {Role::kReviewer}};
  auto refused = database_->transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) {
    return create_user(tx, plain, Granter::console(), kNow);
  });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInternal);
  EXPECT_EQ(count("SELECT COUNT(*) FROM users"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.create'"), 0);
  // with_password_hash needs no transaction: it checks the password, then hashes it.
  EXPECT_EQ(with_password_hash({"short@example.jp", "短い", "too short", {Role::kReviewer}}).error().message,
            "パスワードは 12 文字以上にしてください");
  auto hashed = with_password_hash(plain);
  ASSERT_TRUE(hashed) << hashed.error().message;
  ASSERT_TRUE(hashed->password_hash);
  EXPECT_TRUE(hashed->password_hash->starts_with("$argon2id$"));
  EXPECT_TRUE(verify_password("long enough password", *hashed->password_hash));
  EXPECT_EQ(*with_password_hash(*hashed)->password_hash, *hashed->password_hash) << "an existing hash is kept";
  auto id = database_->transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) {
    return create_user(tx, *hashed, Granter::console(), kNow);
  });
  ASSERT_TRUE(id) << id.error().message;
  auto tx = *database_->begin(db::TxMode::kRead);
  EXPECT_EQ((*tx->query_one("SELECT password_hash FROM users"))->text(0), *hashed->password_hash)
      << "the hash made before the transaction is the one stored";
}

TEST_F(UsersTest, CreatesUserWithRolesAndAuditEntry) {
  auto id = add({"yamada@example.go.jp", "山田 太郎", "correct horse battery", {Role::kSecretariat, Role::kReviewer}});
  ASSERT_OK(id);
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(db::TxMode::kRead));
  ASSERT_OK_AND_ASSIGN(auto user_found, find_user(*tx, *id));
  ASSERT_TRUE(user_found.has_value());
  auto user = *std::move(user_found);
  EXPECT_EQ(user.name, "山田 太郎");
  EXPECT_EQ(user.roles, (std::set<Role>{Role::kSecretariat, Role::kReviewer}));
  EXPECT_EQ(*tx->scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'user.create'"), 1);
  auto hash = (*tx->query_one("SELECT password_hash FROM users"))->text(0);
  EXPECT_TRUE(hash.starts_with("$argon2id$"));
  EXPECT_TRUE(verify_password("correct horse battery", hash));
  EXPECT_FALSE(verify_password("correct horse batterz", hash));
}

TEST_F(UsersTest, ValidatesWithJapaneseMessages) {
  ExpectError(add({"not-an-email", "名前", "long enough password", {Role::kMeti}}), ErrorCode::kInvalidArgument,
              "メールアドレスの形式が正しくありません");
  ExpectError(add({"a@example.jp", "　", "long enough password", {Role::kMeti}}), ErrorCode::kInvalidArgument,
              "氏名を入力してください");
  ExpectError(add({"a@example.jp", "名前", "short", {Role::kMeti}}), ErrorCode::kInvalidArgument,
              "パスワードは 12 文字以上にしてください");
  ExpectError(add({"a@example.jp", "名前", "long enough password", {}}), ErrorCode::kInvalidArgument,
              "ロールを 1 つ以上指定してください");
  ExpectError(add({"a@example.jp", "名前", "long enough password", {Role::kBureau}}), ErrorCode::kInvalidArgument,
              "経済産業局のユーザーには担当ブロックを指定してください");
}

TEST_F(UsersTest, RefusesDuplicateEmailCaseInsensitively) {
  ASSERT_TRUE(add({"Sato@Example.jp", "佐藤", "long enough password", {Role::kMeti}}));
  auto again = add({"sato@example.jp", "佐藤", "long enough password", {Role::kMeti}});
  ASSERT_FALSE(again);
  ExpectError(again, ErrorCode::kConflict, "このメールアドレスは既に登録されています");
}

TEST_F(UsersTest, PrincipalCarriesOrganisationAndRoles) {
  auto org = database_->transact<std::int64_t>(db::TxMode::kWrite, [](db::Transaction& tx) {
    return ensure_organisation(tx, "株式会社サクラ", "operator", std::nullopt, audit::Actor::system(), kNow);
  });
  ASSERT_TRUE(org);
  ASSERT_OK_AND_ASSIGN(auto id, add({"op@sakura.example", "鈴木", "long enough password", {Role::kOperator}, *org}));
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(db::TxMode::kRead));
  ASSERT_OK_AND_ASSIGN(auto principal_found, load_principal(*tx, id));
  ASSERT_TRUE(principal_found.has_value());
  auto principal = *std::move(principal_found);
  EXPECT_TRUE(principal.has(Role::kOperator));
  EXPECT_EQ(principal.organisation_id, *org);
  EXPECT_FALSE(*load_principal(*tx, id + 100));
}

TEST_F(UsersTest, OrganisationCreationIsAttributedToItsActor) {
  auto org = database_->transact<std::int64_t>(db::TxMode::kWrite, [](db::Transaction& tx) {
    return ensure_organisation(tx, "関東経済産業局", "bureau", "kanto", audit::Actor::user(42), kNow);
  });
  ASSERT_TRUE(org);
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(db::TxMode::kRead));
  ASSERT_OK_AND_ASSIGN(
      auto row, tx->query_one("SELECT actor, actor_user_id FROM audit_log WHERE action = 'organisation.create'"));
  ASSERT_TRUE(row);
  EXPECT_EQ(row->text(0), "user:42");
  EXPECT_EQ(row->integer(1), 42);
}

TEST_F(UsersTest, NamesAreStoredCleaned) {
  auto id = add({"kana@example.jp", "ﾔﾏﾀﾞ\u200B\u3000太郎\u200D", "long enough password", {Role::kReviewer}});
  ASSERT_OK(id);
  EXPECT_EQ(user(*id).name, "ヤマダ 太郎");
  ExpectError(add({"blank@example.jp", "\u200B\uFEFF", "long enough password", {Role::kReviewer}}),
              ErrorCode::kInvalidArgument, "氏名を入力してください");
}

TEST_F(GrantedUsersTest, TheSecretariatCannotCreateAMetiAccount) {
  auto meti = add_as(secretariat_, {"fake@meti.go.jp", "偽 経産", "long enough password", {Role::kMeti}});
  ASSERT_FALSE(meti);
  ExpectError(meti, ErrorCode::kPermissionDenied, "「経済産業省」のロールを付与する権限がありません");
  EXPECT_EQ(count("SELECT COUNT(*) FROM users WHERE email = 'fake@meti.go.jp'"), 0);
  // Nor a peer, nor a security officer.
  ExpectErrorCode(add_as(secretariat_, {"peer@example.jp", "同僚", "long enough password", {Role::kSecretariat}}),
                  ErrorCode::kPermissionDenied);
  ExpectErrorCode(add_as(secretariat_, {"so@example.jp", "監督", "long enough password", {Role::kSecurityOfficer}}),
                  ErrorCode::kPermissionDenied);
  // What it may give, it gives; the entry names the granter and only role ids.
  auto reviewer = add_as(secretariat_, {"shinsa@example.jp", "審査 一郎", "long enough password", {Role::kReviewer}});
  ASSERT_OK(reviewer);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.create' AND actor = ?",
                  {"user:" + std::to_string(secretariat_.user_id)}),
            1);
  EXPECT_EQ(boost::json::serialize(last_detail("user.create")), R"({"roles":["reviewer"]})");
}

TEST_F(GrantedUsersTest, MetiAndTheSecurityOfficerGiveTheirOwnRoles) {
  EXPECT_TRUE(add_as(meti_, {"meti2@example.go.jp", "経産 二郎", "long enough password", {Role::kMeti}}));
  EXPECT_TRUE(add_as(officer_, {"jimu2@example.jp", "事務 二郎", "long enough password", {Role::kSecretariat}}));
  ExpectErrorCode(add_as(officer_, {"op@example.jp", "事業 者", "long enough password", {Role::kOperator}}),
                  ErrorCode::kPermissionDenied);
}

TEST_F(GrantedUsersTest, CheckNewUserReportsEveryProblemBesideItsField) {
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(db::TxMode::kRead));
  auto problems = *check_new_user(*tx, {"jimu@example.jp", "", "short", {Role::kMeti, Role::kBureau}},
                                  Granter::person(secretariat_));
  std::map<std::string, std::string> by_field;
  for (const auto& p : problems) by_field[p.field] = p.error.message;
  EXPECT_EQ(by_field["email"], "このメールアドレスは既に登録されています");
  EXPECT_EQ(by_field["name"], "氏名を入力してください");
  EXPECT_EQ(by_field["password"], "パスワードは 12 文字以上にしてください");
  EXPECT_EQ(by_field["roles"], "「経済産業省」のロールを付与する権限がありません");
  EXPECT_EQ(by_field["block"], "経済産業局のユーザーには担当ブロックを指定してください");
}

TEST_F(GrantedUsersTest, RoleChangesAreAuditedWithBeforeAndAfter) {
  ASSERT_OK_AND_ASSIGN(
      auto id, add_as(secretariat_, {"shinsa@example.jp", "審査 一郎", "long enough password", {Role::kReviewer}}));
  ASSERT_TRUE(change(secretariat_, id, {"審査 一郎", {Role::kReviewer, Role::kParticipant}, std::nullopt, std::nullopt}));
  EXPECT_EQ(user(id).roles, (std::set<Role>{Role::kReviewer, Role::kParticipant}));
  EXPECT_EQ(boost::json::serialize(last_detail("user.update")),
            R"({"before":{"roles":["reviewer"]},"after":{"roles":["reviewer","participant"]}})");
  // A new name is noted, never written into the log.
  ASSERT_TRUE(change(secretariat_, id, {"審査　新", {Role::kReviewer, Role::kParticipant}, std::nullopt, std::nullopt}));
  EXPECT_EQ(user(id).name, "審査 新");
  EXPECT_EQ(boost::json::serialize(last_detail("user.update")), R"({"name_changed":true})");
  // Nothing changed: nothing written.
  std::int64_t entries = count("SELECT COUNT(*) FROM audit_log");
  ASSERT_TRUE(change(secretariat_, id, {"審査 新", {Role::kReviewer, Role::kParticipant}, std::nullopt, std::nullopt}));
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log"), entries);
}

TEST_F(GrantedUsersTest, RoleChangesStayWithinTheGrantTable) {
  ASSERT_OK_AND_ASSIGN(auto id,
                       add_as(secretariat_, {"op@example.jp", "事業 者", "long enough password", {Role::kOperator}}));
  auto raised = change(secretariat_, id, {"事業 者", {Role::kOperator, Role::kMeti}, std::nullopt, std::nullopt});
  ASSERT_FALSE(raised);
  ExpectErrorCode(raised, ErrorCode::kPermissionDenied);
  EXPECT_EQ(user(id).roles, (std::set<Role>{Role::kOperator}));
  // A METI account is not the secretariat's to change or to stop.
  auto renamed = change(secretariat_, meti_.user_id, {"改名", {Role::kMeti}, std::nullopt, std::nullopt});
  ASSERT_FALSE(renamed);
  ExpectError(renamed, ErrorCode::kPermissionDenied, "「経済産業省」のロールを持つユーザーを変更する権限がありません");
  EXPECT_FALSE(activate(secretariat_, meti_.user_id, false));
  EXPECT_TRUE(user(meti_.user_id).active);
  auto missing = change(secretariat_, 9999, {"誰", {Role::kOperator}, std::nullopt, std::nullopt});
  ASSERT_FALSE(missing);
  ExpectErrorCode(missing, ErrorCode::kNotFound);
}

// Creating and deactivating a user are each one transaction: whichever statement or commit
// fails, nothing of it (the user, the roles, the ended sessions, the audit entry) remains.
TEST_F(GrantedUsersTest, CreatingAUserIsAllOrNothing) {
  // Hashed once, before the transaction (as every caller must).
  ASSERT_OK_AND_ASSIGN(auto hashed, with_password_hash({"new@example.jp", "新規 太郎", "long enough password",
                                                        {Role::kReviewer}}));
  ::kakehashi::testing::expect_all_or_nothing(dir_.file("u.db"), [&](db::Database& database) -> Result<void> {
    auto created = database.transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) {
      return create_user(tx, hashed, Granter::person(secretariat_), kNow);
    });
    if (!created) return fail(created.error());
    return {};
  });
}

TEST_F(GrantedUsersTest, DeactivatingAUserIsAllOrNothing) {
  ASSERT_OK_AND_ASSIGN(
      auto id, add_as(secretariat_, {"shinsa@example.jp", "審査 一郎", "long enough password", {Role::kReviewer}}));
  ASSERT_OK(database_->write([&](db::Transaction& tx) -> Result<void> {
    if (auto session = create_session(tx, id, kNow); !session) return fail(session.error());
    return {};
  }));
  ::kakehashi::testing::expect_all_or_nothing(dir_.file("u.db"), [&](db::Database& database) {
    return database.write(
        [&](db::Transaction& tx) { return set_user_active(tx, id, false, Granter::person(secretariat_), kNow); });
  });
}

TEST_F(GrantedUsersTest, ChangingAUserIsAllOrNothing) {
  ASSERT_OK_AND_ASSIGN(
      auto id, add_as(secretariat_, {"henko@example.jp", "変更 一郎", "long enough password", {Role::kReviewer}}));
  ::kakehashi::testing::expect_all_or_nothing(dir_.file("u.db"), [&](db::Database& database) {
    return database.write([&](db::Transaction& tx) {
      return update_user(tx, id, {"変更 二郎", {Role::kReviewer, Role::kOperator}, std::nullopt, std::nullopt},
                         Granter::person(secretariat_), kNow);
    });
  });
}

TEST_F(GrantedUsersTest, NobodyRaisesTheirOwnRolesOrReactivatesThemselves) {
  // A security officer may give the security-officer and secretariat roles, but not to themselves.
  auto raised = change(officer_, officer_.user_id, {"情報 次郎", {Role::kSecurityOfficer, Role::kSecretariat}, {}, {}});
  ASSERT_FALSE(raised);
  ExpectError(raised, ErrorCode::kPermissionDenied, kOwnAccountMessage);
  EXPECT_EQ(user(officer_.user_id).roles, (std::set<Role>{Role::kSecurityOfficer}));
  auto stopped = activate(officer_, officer_.user_id, false);
  ASSERT_FALSE(stopped);
  ExpectError(stopped, ErrorCode::kPermissionDenied, kOwnAccountMessage);
  // Deactivated by a colleague, the officer cannot bring themselves back.
  Principal colleague = principal(*add({"joho2@example.jp", "情報 三郎", "long enough password", {Role::kSecurityOfficer}}));
  ASSERT_TRUE(activate(colleague, officer_.user_id, false));
  ExpectError(activate(officer_, officer_.user_id, true), ErrorCode::kPermissionDenied, kOwnAccountMessage);
  EXPECT_FALSE(user(officer_.user_id).active);
}

TEST_F(GrantedUsersTest, DeactivationEndsSessionsAtOnceAndIsAudited) {
  ASSERT_OK_AND_ASSIGN(
      auto id, add_as(secretariat_, {"shinsa@example.jp", "審査 一郎", "long enough password", {Role::kReviewer}}));
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(database_->transact<Session>(db::TxMode::kWrite, [&](db::Transaction& tx) { return create_session(tx, id, kNow); }));
  }
  ASSERT_TRUE(activate(secretariat_, id, false));
  EXPECT_FALSE(user(id).active);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sessions WHERE user_id = ?", {id}), 0);
  EXPECT_EQ(boost::json::serialize(last_detail("user.deactivate")),
            R"({"before":{"active":true},"after":{"active":false},"sessions_ended":2})");
  {
    auto tx = *database_->begin(db::TxMode::kRead);
    EXPECT_FALSE(*load_principal(*tx, id));
  }
  ASSERT_TRUE(activate(secretariat_, id, true));
  EXPECT_TRUE(user(id).active);
  EXPECT_EQ(boost::json::serialize(last_detail("user.reactivate")), R"({"before":{"active":false},"after":{"active":true}})");
}

TEST_F(GrantedUsersTest, SearchByNameOrEmailWithPaging) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(add_as(secretariat_, {"shinsa" + std::to_string(i) + "@Review.example.jp", "審査 " + std::to_string(i),
                                      "long enough password", {Role::kReviewer}}));
  }
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(db::TxMode::kRead));
  EXPECT_EQ(*count_users(*tx), 6);
  EXPECT_EQ(*count_users(*tx, {"審査"}), 3);
  EXPECT_EQ(*count_users(*tx, {"ＲＥＶＩＥＷ"}), 3);  // full width and upper case, cleaned
  EXPECT_EQ(*count_users(*tx, {"事務"}), 1);
  EXPECT_EQ(*count_users(*tx, {"%"}), 0);  // a wildcard is a character here
  EXPECT_EQ(*count_users(*tx, {"\u200B"}), 6);  // nothing visible: everyone
  ASSERT_OK_AND_ASSIGN(auto page, list_users(*tx, 2, 1, {"審査"}));
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].name, "審査 1");
  EXPECT_EQ(page[1].name, "審査 2");
  EXPECT_EQ(page[0].roles, (std::set<Role>{Role::kReviewer}));
}

TEST(Email, Plausibility) {
  EXPECT_TRUE(is_plausible_email("a.b@meti.go.jp"));
  EXPECT_FALSE(is_plausible_email("a@b"));
  EXPECT_FALSE(is_plausible_email("a b@c.jp"));
  EXPECT_FALSE(is_plausible_email("@c.jp"));
  EXPECT_FALSE(is_plausible_email("a@@c.jp"));
}

}  // namespace
}  // namespace kakehashi::auth
