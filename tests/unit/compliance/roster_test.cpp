// The roster (様式4): personal fields encrypted at rest, changes that take effect only on METI's
// approval, the rules of who may decide, and the gate's view of the approved roster.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "audit/anchor.h"
#include "compliance/closeout.h"
#include "compliance/crypto.h"
#include "compliance/service.h"
#include "db/migrate.h"
#include "support/result.h"
#include "support/temp_dir.h"

namespace kakehashi::compliance {
namespace {

using namespace std::chrono;

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class RosterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    configure_field_key(dir_.path() / "keys" / "roster.key");
    auto opened = db::open_sqlite(dir_.file("k.db"), 2);
    ASSERT_OK(opened);
    database_ = std::move(*opened);
    ASSERT_OK(db::migrate(*database_));
    meti_ = add_user("meti@example.jp", "経産 花子", "meti");
    meti2_ = add_user("meti2@example.jp", "経産 二郎", "meti");
    secretariat_ = add_user("sec@example.jp", "事務 次郎", "secretariat");
    officer_ = add_user("officer@example.jp", "情報 三郎", "security_officer");
  }

  auth::Principal add_user(const std::string& email, const std::string& name, const std::string& role) {
    auth::Principal p;
    EXPECT_OK(database_->write([&](db::Transaction& tx) -> Result<void> {
      auto id = tx.insert("INSERT INTO users (email, name, password_hash, created_at) VALUES (?, ?, 'x', '2026-01-01T00:00:00Z')",
                          {email, name});
      if (!id) return fail(id.error());
      p.user_id = *id;
      return tx.exec("INSERT INTO user_roles (user_id, role) VALUES (?, ?)", {*id, role});
    }));
    p.name = name;
    p.roles.insert(*auth::role_from_id(role));
    return p;
  }

  ChangeDraft addition(const std::string& name, std::optional<std::int64_t> user_id,
                       PersonalFields personal = {"東京都世田谷区桜新町二丁目14番5号", "1971-05-12", "", ""}) {
    ChangeDraft d;
    d.kind = ChangeKind::kAdd;
    d.category = Category::kStaff;
    d.organisation = "株式会社架け橋";
    d.name = name;
    d.user_id = user_id;
    d.personal = personal;
    d.reason = "契約前の提出";
    d.effective_from = "2026-04-01";
    return d;
  }

  Result<std::int64_t> file(const auth::Principal& who, const ChangeDraft& d) {
    return database_->transact<std::int64_t>(db::TxMode::kWrite,
                                             [&](db::Transaction& tx) { return request_change(tx, who, d, now_); });
  }
  Result<void> approve(const auth::Principal& who, std::int64_t id) {
    return database_->write([&](db::Transaction& tx) { return approve_change(tx, who, id, "", now_); });
  }
  GateSnapshot gate() {
    auto g = database_->transact<GateSnapshot>(db::TxMode::kRead, [](db::Transaction& tx) { return gate_snapshot(tx); });
    EXPECT_OK(g);
    return g.value_or(GateSnapshot{});
  }
  std::vector<Person> approved() {
    auto people = database_->transact<std::vector<Person>>(
        db::TxMode::kRead, [&](db::Transaction& tx) { return list_people(tx, meti_, true); });
    EXPECT_OK(people);
    return people.value_or(std::vector<Person>{});
  }

  testing::TempDir dir_;
  std::unique_ptr<db::Database> database_;
  auth::Principal meti_, meti2_, secretariat_, officer_;
  sys_seconds now_ = sys_days{2026y / 4 / 1} + hours{1};
};

TEST(FieldKeyTest, SealsWithARandomNonceAndBindsTheFieldName) {
  FieldKey key = FieldKey::generate();
  std::string a = key.seal("address", "東京都千代田区霞が関一丁目3番1号");
  std::string b = key.seal("address", "東京都千代田区霞が関一丁目3番1号");
  EXPECT_NE(a, b);  // a fresh nonce each time
  EXPECT_EQ(a.find("霞が関"), std::string::npos);
  ASSERT_OK_AND_ASSIGN(std::string plain, key.open("address", a));
  EXPECT_EQ(plain, "東京都千代田区霞が関一丁目3番1号");
  EXPECT_FALSE(key.open("passport", a));  // a sealed address is no passport number
  std::string flipped = a;
  flipped.back() ^= 1;
  EXPECT_FALSE(key.open("address", flipped));
  FieldKey other = FieldKey::generate();
  auto wrong = other.open("address", a);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().message, "暗号化された項目が別の鍵で暗号化されています（鍵ファイルを確認してください）");
}

TEST(FieldKeyTest, TheKeyFileIsCreatedForTheOwnerOnlyAndAReadableOneIsRefused) {
  testing::TempDir dir;
  auto path = dir.path() / "k" / "roster.key";
  ASSERT_OK_AND_ASSIGN(FieldKey created, load_or_create_field_key(path));
  struct stat info{};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  ASSERT_OK_AND_ASSIGN(FieldKey again, load_or_create_field_key(path));
  EXPECT_EQ(created.id_hex(), again.id_hex());
  ::chmod(path.c_str(), 0644);
  auto refused = load_field_key(path);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("所有者以外も読めます"), std::string::npos);
  ::chmod(path.c_str(), 0600);
  ASSERT_OK(destroy_field_key(path));
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST_F(RosterTest, NothingTakesEffectBeforeMetiApproves) {
  ASSERT_OK_AND_ASSIGN(std::int64_t id, file(officer_, addition("情報 三郎", officer_.user_id)));
  EXPECT_TRUE(approved().empty());
  EXPECT_FALSE(gate().active);
  ASSERT_OK(approve(meti_, id));
  auto people = approved();
  ASSERT_EQ(people.size(), 1u);
  EXPECT_EQ(people[0].name, "情報 三郎");
  EXPECT_TRUE(people[0].has_address);
  GateSnapshot g = gate();
  EXPECT_TRUE(g.active);
  EXPECT_TRUE(g.user_ids.contains(officer_.user_id));
}

TEST_F(RosterTest, TheFilerCannotDecideAndNeitherCanThePersonConcerned) {
  auth::Principal meti_officer = meti_;  // a METI account that is also the person concerned
  ASSERT_OK_AND_ASSIGN(std::int64_t own, file(secretariat_, addition("経産 花子", std::nullopt)));
  // The secretariat may not decide at all.
  auto by_secretariat = approve(secretariat_, own);
  ASSERT_FALSE(by_secretariat);
  EXPECT_EQ(by_secretariat.error().message, "名簿の変更を承認する権限がありません");
  // A change filed by a METI user cannot be approved by that user.
  auth::Principal filer = meti_;
  filer.roles.insert(auth::Role::kSecurityOfficer);
  ASSERT_OK_AND_ASSIGN(std::int64_t filed_by_meti, file(filer, addition("高橋 美咲", std::nullopt)));
  auto self = approve(filer, filed_by_meti);
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().message, "自分が届け出た変更は承認・差し戻しできません");
  // The security officer (also holding METI's role here) cannot approve their own entry.
  auth::Principal officer_and_meti = officer_;
  officer_and_meti.roles.insert(auth::Role::kMeti);
  ASSERT_OK_AND_ASSIGN(std::int64_t entry, file(secretariat_, addition("情報 三郎", officer_.user_id)));
  auto own_entry = approve(officer_and_meti, entry);
  ASSERT_FALSE(own_entry);
  EXPECT_EQ(own_entry.error().message, "自分自身の名簿の記載は承認・差し戻しできません");
  ASSERT_OK(approve(meti2_, entry));
  ASSERT_OK(approve(meti2_, own));
  EXPECT_EQ(approved().size(), 2u);
}

TEST_F(RosterTest, ARemovalTakesAccessAwayOnlyWhenApproved) {
  ASSERT_OK_AND_ASSIGN(std::int64_t add, file(officer_, addition("事務 次郎", secretariat_.user_id)));
  ASSERT_OK(approve(meti_, add));
  ASSERT_TRUE(gate().user_ids.contains(secretariat_.user_id));
  std::int64_t person = approved().at(0).id;
  ChangeDraft removal;
  removal.kind = ChangeKind::kRemove;
  removal.person_id = person;
  removal.reason = "異動";
  removal.effective_from = "2026-10-01";
  ASSERT_OK_AND_ASSIGN(std::int64_t remove, file(officer_, removal));
  EXPECT_TRUE(gate().user_ids.contains(secretariat_.user_id));
  EXPECT_TRUE(gate_refusal(gate(), secretariat_) == std::nullopt);
  // A second change of the same person waits for the first.
  auto second = file(officer_, removal);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kConflict);
  ASSERT_OK(approve(meti_, remove));
  GateSnapshot after = gate();
  EXPECT_TRUE(after.active);
  EXPECT_FALSE(after.user_ids.contains(secretariat_.user_id));
  auto refusal = gate_refusal(after, secretariat_);
  ASSERT_TRUE(refusal);
  EXPECT_NE(refusal->find("承認済みの情報取扱者名簿に載っていない"), std::string::npos);
  EXPECT_EQ(gate_refusal(after, meti_), std::nullopt);  // METI is outside the rule
  auto versions = database_->transact<std::vector<RosterVersion>>(
      db::TxMode::kRead, [&](db::Transaction& tx) { return list_versions(tx, meti_); });
  ASSERT_OK(versions);
  EXPECT_EQ(versions->size(), 2u);
}

TEST_F(RosterTest, ARejectionNeedsAReasonAndChangesNothing) {
  ASSERT_OK_AND_ASSIGN(std::int64_t id, file(officer_, addition("佐藤 健一", std::nullopt)));
  auto no_reason = database_->write([&](db::Transaction& tx) { return reject_change(tx, meti_, id, " ", now_); });
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().message, "差し戻しの理由を入力してください");
  ASSERT_OK(database_->write([&](db::Transaction& tx) { return reject_change(tx, meti_, id, "所属部署を記載してください", now_); }));
  EXPECT_TRUE(approved().empty());
  EXPECT_FALSE(gate().active);
  EXPECT_EQ(approve(meti_, id).error().code, ErrorCode::kConflict);
}

TEST_F(RosterTest, TheFormNamesEveryMistakeAtOnce) {
  ChangeForm form{.kind = "add", .category = "nope", .birth_date = "1971/05/12", .passport = "C123",
                  .effective_from = "明日"};
  ChangeDraft draft;
  auto errors = read_change(form, draft);
  std::vector<std::string> fields;
  for (const auto& e : errors) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"reason", "effective_from", "category", "name", "birth_date", "passport"}));
}

TEST_F(RosterTest, NoPlaintextInTheDatabaseFileOrABackup) {
  PersonalFields personal{"神奈川県横浜市中区山下町一丁目46番2号", "1987-03-22", "EH4471852", "中国"};
  ASSERT_OK_AND_ASSIGN(std::int64_t id, file(officer_, addition("林 美玲", std::nullopt, personal)));
  ASSERT_OK(approve(meti_, id));
  // The officer sees them (and the view is audited).
  ASSERT_OK_AND_ASSIGN(PersonalFields shown,
                       database_->transact<PersonalFields>(db::TxMode::kWrite, [&](db::Transaction& tx) {
                         return read_personal(tx, officer_, approved().empty() ? 0 : 1, now_);
                       }));
  EXPECT_EQ(shown.passport, "EH4471852");
  auto denied = database_->transact<PersonalFields>(
      db::TxMode::kWrite, [&](db::Transaction& tx) { return read_personal(tx, secretariat_, 1, now_); });
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().message, "名簿の個人情報を表示する権限がありません");
  std::string backup = dir_.file("backup.db");
  ASSERT_EQ(std::system(("sqlite3 " + dir_.file("k.db") + " \".backup '" + backup + "'\"").c_str()), 0);
  for (const std::string& path : {dir_.file("k.db"), dir_.file("k.db") + "-wal", backup}) {
    std::string bytes = file_bytes(path);
    for (const std::string& secret : {personal.address, personal.birth_date, personal.passport, std::string("山下町")}) {
      EXPECT_EQ(bytes.find(secret), std::string::npos) << secret << " in " << path;
    }
  }
  EXPECT_NE(file_bytes(backup).find("林 美玲"), std::string::npos);  // the backup holds the roster itself
}

TEST_F(RosterTest, RotationReSealsEveryFieldUnderANewKey) {
  ASSERT_OK_AND_ASSIGN(std::int64_t id, file(officer_, addition("鈴木 由美", std::nullopt)));
  ASSERT_OK(approve(meti_, id));
  ASSERT_OK_AND_ASSIGN(const FieldKey* before, field_key());
  std::string old_id = before->id_hex();
  ASSERT_OK_AND_ASSIGN(std::int64_t count, rotate_field_key(*database_, field_key_path(), now_));
  EXPECT_EQ(count, 4);  // the address and birth date of the person and of the change
  ASSERT_OK_AND_ASSIGN(const FieldKey* after, field_key());
  EXPECT_NE(after->id_hex(), old_id);
  ASSERT_OK_AND_ASSIGN(PersonalFields shown,
                       database_->transact<PersonalFields>(db::TxMode::kWrite, [&](db::Transaction& tx) {
                         return read_personal(tx, meti_, 1, now_);
                       }));
  EXPECT_EQ(shown.address, "東京都世田谷区桜新町二丁目14番5号");
}

TEST(CertificateTest, AFlippedByteFailsTheSignature) {
  testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(audit::SigningKey key, audit::load_or_create_signing_key(dir.path() / "closeout.key"));
  Certificate c;
  c.run_at = "2027-03-31T08:00:00Z";
  c.run_by = "system";
  c.package_confirmation = "2027-03-25 納品済み";
  c.tables = {{"reviews", 12}};
  c.files = {{"application_attachments", 1, 42, sha256_hex("plan")}};
  c.key_id = "0011223344556677";
  c.key_destroyed = true;
  std::string json = sign_certificate(c, key);
  auto ok = verify_certificate(json, key.public_key());
  EXPECT_TRUE(ok.valid) << ok.problem;
  std::string tampered = json;
  auto at = tampered.find("\"rows\":12");
  ASSERT_NE(at, std::string::npos);
  tampered[at + 7] = '3';  // 12 -> 32
  auto bad = verify_certificate(tampered, key.public_key());
  EXPECT_FALSE(bad.valid);
  EXPECT_EQ(bad.problem, "削除証明書の署名が一致しません（内容が改ざんされています）");
  ASSERT_OK_AND_ASSIGN(audit::SigningKey other, audit::load_or_create_signing_key(dir.path() / "other.key"));
  EXPECT_EQ(verify_certificate(json, other.public_key()).problem, "削除証明書の署名鍵が、届け出た公開鍵と一致しません");
}

}  // namespace
}  // namespace kakehashi::compliance
