// Signed checkpoints of the audit head outside the database (issue 13 item 8): signatures,
// tampered files, a wrong key, and a rollback of the log past a checkpoint.
#include "audit/anchor.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <zip.h>

#include <fstream>
#include <set>

#include "audit/audit.h"
#include "db/migrate.h"
#include "support/cli.h"
#include "support/result.h"
#include "support/temp_dir.h"

using ::kakehashi::testing::ExpectError;
using ::kakehashi::testing::ExpectErrorCode;

namespace kakehashi::audit {
namespace {

using namespace std::chrono;
namespace fs = std::filesystem;

const sys_seconds kNoon = sys_seconds{sys_days{2026y / 12 / 3}} + hours{3};  // 12:00 in Japan

SigningKey key_of(unsigned char fill) {
  unsigned char seed[32];
  std::fill(std::begin(seed), std::end(seed), fill);
  return SigningKey::from_seed(seed);
}

Checkpoint sample() {
  return {.entry_id = 42,
          .entry_hash = std::string(64, 'a'),
          .entry_at = "2026-12-03T02:59:00Z",
          .entries = 42,
          .written_at = "2026-12-03T03:00:00Z"};
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(Checkpoint, SignedTextIsOneLinePerField) {
  Checkpoint c = sign_checkpoint(sample(), key_of(1));
  EXPECT_EQ(canonical_text(c), "kakehashi-audit-checkpoint v1\n"
                               "entry_id: 42\n"
                               "entry_hash: " + std::string(64, 'a') + "\n"
                               "entry_at: 2026-12-03T02:59:00Z\n"
                               "entries: 42\n"
                               "written_at: 2026-12-03T03:00:00Z\n"
                               "public_key: " + key_of(1).public_key().base64() + "\n");
}

TEST(Checkpoint, SignatureVerifiesAndSurvivesTheFile) {
  SigningKey key = key_of(1);
  Checkpoint c = sign_checkpoint(sample(), key);
  EXPECT_EQ(c.public_key, key.public_key());
  EXPECT_TRUE(signature_valid(c));
  auto parsed = parse_checkpoint(checkpoint_json(c));
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->entry_id, 42);
  EXPECT_EQ(parsed->entry_hash, c.entry_hash);
  EXPECT_EQ(parsed->written_at, c.written_at);
  EXPECT_EQ(parsed->public_key, key.public_key());
  EXPECT_TRUE(signature_valid(*parsed));
}

TEST(Checkpoint, AnyChangedFieldBreaksTheSignature) {
  Checkpoint c = sign_checkpoint(sample(), key_of(1));
  std::string json = checkpoint_json(c);
  for (auto [from, to] : {std::pair{std::string("\"entry_id\":42"), std::string("\"entry_id\":41")},
                          std::pair{std::string("\"entries\":42"), std::string("\"entries\":40")},
                          std::pair{std::string(64, 'a'), std::string(63, 'a') + "b"},
                          std::pair{std::string("03:00:00Z"), std::string("03:00:01Z")}}) {
    auto changed = parse_checkpoint(replace(json, from, to));
    ASSERT_TRUE(changed) << to;
    EXPECT_FALSE(signature_valid(*changed)) << to;
  }
  // Another key's signature over the same fields, or this one's signature under another key.
  Checkpoint other = sign_checkpoint(sample(), key_of(2));
  Checkpoint swapped = c;
  swapped.signature = other.signature;
  EXPECT_FALSE(signature_valid(swapped));
  swapped = c;
  swapped.public_key = key_of(2).public_key();
  EXPECT_FALSE(signature_valid(swapped));
}

TEST(Checkpoint, FilesOfAnotherShapeAreRefused) {
  std::string json = checkpoint_json(sign_checkpoint(sample(), key_of(1)));
  EXPECT_EQ(parse_checkpoint("not json").error().message, "形式が正しくありません（JSON のオブジェクトではありません）");
  EXPECT_EQ(parse_checkpoint(replace(json, "\"entry_id\":42", "\"entry_id\":\"42\"")).error().message,
            "形式が正しくありません（entry_id）");
  EXPECT_EQ(parse_checkpoint(replace(json, "v1", "v2")).error().message, "形式が正しくありません（format）");
  EXPECT_EQ(parse_checkpoint(replace(json, "}", ",\"note\":\"x\"}")).error().message,
            "形式が正しくありません（項目の数が違います）");
  EXPECT_FALSE(parse_checkpoint(replace(json, "\"signature\":\"", "\"signature\":\"AAAA")));
}

TEST(SigningKeyFile, IsCreatedPrivateOnceAndReadAgain) {
  testing::TempDir dir;
  fs::path path = dir.path() / "var" / "audit-signing.key";
  auto created = load_or_create_signing_key(path);
  ASSERT_OK(created);
  struct stat info{};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(path.parent_path().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
  auto again = load_or_create_signing_key(path);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->public_key(), created->public_key());
  std::string text = testing::read_all(path);
  EXPECT_TRUE(text.starts_with("-----BEGIN PRIVATE KEY-----\n")) << text;
  // The file's public half, and export-key's PEM, read back as the same key.
  EXPECT_EQ(*parse_public_key_pem(text), created->public_key());
  EXPECT_EQ(*parse_public_key_pem(created->public_key().pem()), created->public_key());
  EXPECT_TRUE(created->public_key().pem().starts_with("-----BEGIN PUBLIC KEY-----\n"));
  EXPECT_EQ(created->public_key().fingerprint().size(), 64u);

  fs::permissions(path, fs::perms::group_read, fs::perm_options::add);
  auto readable = load_signing_key(path);
  ASSERT_FALSE(readable);
  EXPECT_EQ(readable.error().message, "署名鍵のファイルを所有者以外も読み書きできます。chmod 600 " + path.string() +
                                          " を実行してください");
  ExpectErrorCode(load_signing_key(dir.path() / "none.key"), ErrorCode::kNotFound);
  EXPECT_FALSE(parse_public_key_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"));
}

class AnchorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::move(*db::open_sqlite(dir_.file("k.db")));
    ASSERT_TRUE(db::migrate(*database_));
    settings_ = default_anchor_settings(dir_.file("k.db"));
    add(3);
  }
  void add(int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(append(*database_, by_user(1, "test.write", "object:1"), kNoon + seconds{++added_}));
    }
  }
  std::optional<CheckpointFile> checkpoint(seconds later = seconds{0}) {
    auto written = write_checkpoint_if_moved(*database_, settings_, kNoon + later);
    EXPECT_OK(written);
    return written ? *written : std::nullopt;
  }
  void sql(const std::string& statement) {
    ASSERT_TRUE(database_->write([&](db::Transaction& tx) { return tx.exec(statement); }));
  }
  // What an intruder with write access to the file does: drop the triggers, delete the newest
  // entries and rewrite the head so the chain still verifies.
  void roll_back_to(std::int64_t id) {
    auto tx = *database_->begin(db::TxMode::kRead);
    std::string hash = (*tx->query_one("SELECT hash FROM audit_log WHERE id = ?", {id}))->text(0);
    tx.reset();
    sql("DROP TRIGGER IF EXISTS audit_log_no_delete");
    sql("DELETE FROM audit_log WHERE id > " + std::to_string(id));
    sql("UPDATE audit_head SET last_id = " + std::to_string(id) + ", last_hash = '" + hash + "'");
  }
  AnchorReport verified(const std::optional<PublicKey>& expected = std::nullopt) {
    auto report = verify_anchors(*database_, settings_.anchors_dir, expected);
    EXPECT_OK(report);
    return report ? *report : AnchorReport{};
  }

  testing::TempDir dir_;
  std::unique_ptr<db::Database> database_;
  AnchorSettings settings_;
  int added_ = 0;
};

TEST_F(AnchorTest, WritesOneCheckpointPerNewHead) {
  EXPECT_EQ(settings_.key_file, dir_.path() / "audit-signing.key");
  EXPECT_EQ(settings_.anchors_dir, dir_.path() / "audit-anchors");
  auto first = checkpoint();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->path.filename(), "checkpoint-000000000003-20261203T030000Z.json");
  EXPECT_EQ(first->checkpoint.entry_id, 3);
  EXPECT_EQ(first->checkpoint.entries, 3);
  EXPECT_EQ(first->checkpoint.entry_at, "2026-12-03T03:00:03Z");
  EXPECT_TRUE(signature_valid(first->checkpoint));
  EXPECT_EQ(*parse_checkpoint(testing::read_all(first->path)), first->checkpoint);
  EXPECT_FALSE(checkpoint(seconds{60}));  // the head has not moved
  add(2);
  auto second = checkpoint(seconds{120});
  ASSERT_TRUE(second);
  EXPECT_EQ(second->checkpoint.entry_id, 5);
  EXPECT_EQ(second->checkpoint.public_key, first->checkpoint.public_key);
  ASSERT_OK_AND_ASSIGN(auto files, checkpoint_files(settings_.anchors_dir));
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[1], second->path);
  // Nothing but the two checkpoints and no temporary file is left in the folder.
  EXPECT_EQ(std::distance(fs::directory_iterator(settings_.anchors_dir), fs::directory_iterator{}), 2);

  AnchorReport report = verified(first->checkpoint.public_key);
  EXPECT_TRUE(report.intact());
  EXPECT_EQ(report.checkpoints, 2);
  ASSERT_TRUE(report.newest);
  EXPECT_EQ(report.newest->entry_id, 5);
}

TEST_F(AnchorTest, AnEmptyLogHasNoCheckpointAndNoKey) {
  testing::TempDir other;
  auto empty = std::move(*db::open_sqlite(other.file("e.db")));
  ASSERT_TRUE(db::migrate(*empty));
  AnchorSettings settings = default_anchor_settings(other.file("e.db"));
  auto written = write_checkpoint_if_moved(*empty, settings, kNoon);
  ASSERT_TRUE(written);
  EXPECT_FALSE(*written);
  EXPECT_FALSE(fs::exists(settings.key_file));
}

TEST_F(AnchorTest, RollbackPastACheckpointIsNamed) {
  auto first = checkpoint();
  add(2);
  auto second = checkpoint(seconds{60});
  ASSERT_TRUE(first && second);
  roll_back_to(4);
  // The chain alone still verifies: that is the attack.
  auto chain = verify(*database_);
  ASSERT_TRUE(chain);
  EXPECT_TRUE(chain->intact);
  AnchorReport report = verified();
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0],
            "チェックポイント checkpoint-000000000005-20261203T030100Z.json が記録した監査ログ #5（2026-12-03 12:00）が"
            "データベースにありません。監査ログがこのチェックポイントより前に巻き戻されています");
  // The server refuses to sign the rolled-back head, naming the checkpoint.
  auto refused = write_checkpoint_if_moved(*database_, settings_, kNoon + seconds{120});
  ASSERT_FALSE(refused);
  ExpectError(refused, ErrorCode::kConflict,
              "監査ログがチェックポイント checkpoint-000000000005-20261203T030100Z.json（監査ログ "
              "#5）より前に巻き戻されています。"
              "チェックポイントは書き込みません");
  EXPECT_EQ(checkpoint_files(settings_.anchors_dir)->size(), 2u);
}

TEST_F(AnchorTest, RewrittenEntriesAfterACheckpointAreNamed) {
  auto first = checkpoint();
  ASSERT_TRUE(first);
  // The checkpointed entry replaced by another with a recomputed hash and head.
  sql("DROP TRIGGER audit_log_no_update");
  ASSERT_OK_AND_ASSIGN(auto tx, database_->begin(db::TxMode::kRead));
  auto row = *(*tx->query_one("SELECT prev_hash, at FROM audit_log WHERE id = 3"));
  tx.reset();
  Entry forged = by_user(1, "test.write", "object:forged");
  std::string hash = chain_hash(row.text(0), 3, row.text(1), forged);
  sql("UPDATE audit_log SET object = 'object:forged', hash = '" + hash + "' WHERE id = 3");
  sql("UPDATE audit_head SET last_hash = '" + hash + "'");
  EXPECT_TRUE(verify(*database_)->intact);
  AnchorReport report = verified();
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0], "チェックポイント " + first->path.filename().string() +
                                    " が記録した監査ログ #3（2026-12-03 12:00）のハッシュがデータベースと一致しません。"
                                    "監査ログがこのチェックポイントの後に書き換えられています");
}

TEST_F(AnchorTest, TamperedOrForeignCheckpointsAreNamed) {
  auto first = checkpoint();
  ASSERT_TRUE(first);
  PublicKey ours = first->checkpoint.public_key;
  // A checkpoint edited after signing (to match a rolled-back log).
  std::string text = testing::read_all(first->path);
  {
    std::ofstream out(first->path, std::ios::trunc);
    out << replace(text, "\"entry_id\":3", "\"entry_id\":2");
  }
  AnchorReport edited = verified(ours);
  ASSERT_EQ(edited.problems.size(), 1u);
  EXPECT_EQ(edited.problems[0], "チェックポイント " + first->path.filename().string() +
                                    " の署名が一致しません（署名の後に書き換えられています）");
  {
    std::ofstream out(first->path, std::ios::trunc);
    out << text;
  }
  EXPECT_TRUE(verified(ours).intact());
  // Checked against another key (a replaced key file, or the wrong key handed to METI).
  PublicKey foreign = key_of(9).public_key();
  AnchorReport wrong = verified(foreign);
  ASSERT_EQ(wrong.problems.size(), 1u);
  EXPECT_EQ(wrong.problems[0], "チェックポイント " + first->path.filename().string() + " は指定の公開鍵とは別の鍵（指紋 " +
                                   ours.fingerprint() + "）で署名されています");
  // A checkpoint signed with another key slipped in beside ours.
  Checkpoint planted = first->checkpoint;
  planted.written_at = "2026-12-03T04:00:00Z";
  planted = sign_checkpoint(planted, key_of(9));
  {
    std::ofstream out(settings_.anchors_dir / "checkpoint-000000000003-20261203T040000Z.json");
    out << checkpoint_json(planted);
  }
  AnchorReport mixed = verified();
  ASSERT_EQ(mixed.problems.size(), 1u);
  EXPECT_EQ(mixed.problems[0], "チェックポイント checkpoint-000000000003-20261203T040000Z.json は他のチェックポイントとは"
                               "別の鍵（指紋 " + foreign.fingerprint() + "）で署名されています");
  // An unreadable file.
  {
    std::ofstream out(settings_.anchors_dir / "checkpoint-000000000003-20261203T040000Z.json", std::ios::trunc);
    out << "{";
  }
  EXPECT_EQ(verified().problems,
            std::vector<std::string>{"チェックポイント checkpoint-000000000003-20261203T040000Z.json を読み取れません: "
                                     "形式が正しくありません（JSON のオブジェクトではありません）"});
}

TEST_F(AnchorTest, AFolderWithoutCheckpointsDoesNotPass) {
  auto missing = verify_anchors(*database_, dir_.path() / "nowhere", std::nullopt);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "チェックポイントのフォルダがありません: " + (dir_.path() / "nowhere").string());
  fs::create_directories(settings_.anchors_dir);
  EXPECT_EQ(verified().problems, std::vector<std::string>{"チェックポイントのフォルダ " + settings_.anchors_dir.string() +
                                                          " にチェックポイントがありません"});
}

TEST_F(AnchorTest, TheArchiveHoldsEveryCheckpointAndThePublicKey) {
  auto first = checkpoint();
  add(1);
  auto second = checkpoint(seconds{60});
  ASSERT_TRUE(first && second);
  fs::path out = dir_.path() / "anchors.zip";
  ASSERT_TRUE(write_anchor_archive(settings_, out, kNoon + seconds{90}));
  int error = 0;
  zip_t* archive = zip_open(out.c_str(), ZIP_RDONLY, &error);
  ASSERT_NE(archive, nullptr);
  std::set<std::string> names;
  for (zip_int64_t i = 0; i < zip_get_num_entries(archive, 0); ++i) names.insert(zip_get_name(archive, i, 0));
  auto read = [&](const std::string& name) {
    zip_stat_t info;
    zip_stat(archive, name.c_str(), 0, &info);
    std::string bytes(info.size, '\0');
    zip_file_t* file = zip_fopen(archive, name.c_str(), 0);
    zip_fread(file, bytes.data(), bytes.size());
    zip_fclose(file);
    return bytes;
  };
  EXPECT_EQ(names, (std::set<std::string>{"README.txt", "kakehashi-audit-public-key.pem", "checkpoints/",
                                          "checkpoints/" + first->path.filename().string(),
                                          "checkpoints/" + second->path.filename().string()}));
  EXPECT_EQ(read("kakehashi-audit-public-key.pem"), first->checkpoint.public_key.pem());
  EXPECT_EQ(read("checkpoints/" + second->path.filename().string()), testing::read_all(second->path));
  std::string readme = read("README.txt");
  EXPECT_NE(readme.find("公開鍵の指紋（SHA-256）: " + first->checkpoint.public_key.fingerprint()), std::string::npos);
  EXPECT_NE(readme.find("チェックポイント: 2 件（最新: 監査ログ #4、2026-12-03 12:01 作成）"), std::string::npos) << readme;
  zip_discard(archive);
}

TEST_F(AnchorTest, StatusShowsTheNewestCheckpointAndTheKey) {
  auto none = anchor_status(settings_);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->checkpoints, 0);
  EXPECT_FALSE(none->key);
  auto first = checkpoint();
  ASSERT_TRUE(first);
  ASSERT_OK_AND_ASSIGN(auto status, anchor_status(settings_));
  EXPECT_EQ(status.checkpoints, 1);
  ASSERT_TRUE(status.newest && status.key);
  EXPECT_EQ(status.newest->entry_id, 3);
  EXPECT_EQ(*status.key, first->checkpoint.public_key);
}

}  // namespace
}  // namespace kakehashi::audit
