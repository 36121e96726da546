// The report package's rules one by one on a small fixture programme (no operators: the
// generated chapters say so), with tiny limits so the split happens at each limit.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "auth/policy.h"
#include "base/date.h"
#include "compliance/closeout.h"
#include "db/migrate.h"
#include "package/build.h"
#include "package/service.h"
#include "support/result.h"
#include "support/temp_dir.h"

namespace kakehashi::package {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class PackageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = db::open_sqlite(dir_.file("package.db"));
    ASSERT_OK(opened);
    database_ = std::move(*opened);
    ASSERT_TRUE(db::migrate(*database_));
    secretariat_.user_id = 0;
    secretariat_.roles.insert(auth::Role::kSecretariat);
    meti_.user_id = 0;
    meti_.roles.insert(auth::Role::kMeti);
    // Only the written chapters: the generated ones are tested by the demo build.
    write([&](db::Transaction& tx) -> Result<void> {
      return tx.exec("UPDATE package_chapters SET included = 0 WHERE kind = 'generated'");
    });
    write([&](db::Transaction& tx) -> Result<void> {
      auto all = list_chapters(tx, secretariat_);
      if (!all) return fail(all.error());
      for (const auto& c : *all)
        if (c.source == "form1")
          return save_chapter(tx, secretariat_, c.id, c.title,
                              "## 事業の目的\n\n目的。\n\n## 事業の内容\n\n内容。\n\n## 事業の成果\n\n成果。\n\n## 今後の課題\n\n課題。\n", now_);
      return fail(Error::not_found("form1"));
    });
  }

  void write(const std::function<Result<void>(db::Transaction&)>& work) {
    ASSERT_OK(database_->transact<void>(db::TxMode::kWrite, work));
  }

  // A written chapter, approved (only approved versions enter the report) unless `approve` is false.
  std::int64_t chapter(const std::string& title, const std::string& markdown, bool approve = true) {
    std::int64_t id = 0;
    write([&](db::Transaction& tx) -> Result<void> {
      auto r = create_chapter(tx, secretariat_, title, markdown, now_);
      if (!r) return fail(r.error());
      id = *r;
      if (!approve) return {};
      return set_review_status(tx, secretariat_, id, ReviewStatus::kApproved, now_);
    });
    return id;
  }

  BuildOptions options(const std::string& name) {
    BuildOptions o;
    o.out_dir = dir_.path() / name;
    o.form1 = *parse_form1_config(form1_default_config());
    o.measure_form1 = false;
    return o;
  }

  testing::TempDir dir_;
  std::unique_ptr<db::Database> database_;
  auth::Principal secretariat_, meti_;
  const Instant now_ = sys_days{2027y / 3 / 10} + hours{1};
};

const char* kFigure =
    "```chart\n{\"title\":\"参加校数\",\"type\":\"bar\",\"unit\":\"校\",\"categories\":[\"2025年度\",\"2026年度\"],"
    "\"series\":[{\"name\":\"参加校数\",\"values\":[42,68]}]}\n```\n\nFigure: 参加校数の推移\n";

TEST_F(PackageTest, WritesBothSetsWithFormsManifestAndThirdPartyPages) {
  chapter("はじめに", "本報告書の目的を述べる。\n");
  chapter("背景",
          std::string(kFigure) + "\n| 年度 | 割合（%） |\n|---|--:|\n| 2023 | 35.2 |\n\nTable: 連携した学校の割合\n"
                                 "権利: 第三者 / 出典: 教育連携実態調査 / 権利者: 教育連携研究所\n");
  auto summary = build_package(*database_, secretariat_, options("out"), now_);
  ASSERT_OK(summary);
  fs::path out = dir_.path() / "out";
  EXPECT_TRUE(fs::exists(out / "public/未来の教室 実証事業 成果報告書.pdf"));
  // Ours in public as CSV and XLSX named after the caption; the third party's only in non-public.
  EXPECT_TRUE(fs::exists(out / "public/図表データ/図2-1_参加校数の推移.csv"));
  EXPECT_TRUE(fs::exists(out / "public/図表データ/図2-1_参加校数の推移.xlsx"));
  EXPECT_FALSE(fs::exists(out / "public/図表データ/表2-1_連携した学校の割合.csv"));
  EXPECT_TRUE(fs::exists(out / "non-public/図表データ/表2-1_連携した学校の割合.xlsx"));
  for (const char* f : {"様式1_概要.docx", "様式2_書誌情報.xlsx", "様式3_二次利用未承諾リスト.xlsx"})
    EXPECT_TRUE(fs::exists(out / "non-public" / f)) << f;
  EXPECT_TRUE(fs::exists(out / "manifest.json"));
  EXPECT_TRUE(fs::exists(out / "manifest.xlsx"));
  // Exactly one PDF in public.
  int pdfs = 0;
  for (const auto& e : fs::directory_iterator(out / "public")) pdfs += e.path().extension() == ".pdf";
  EXPECT_EQ(pdfs, 1);
  // 様式3 in the PDF lists the table with the page it is printed on.
  ASSERT_EQ(summary->third_party, 1);
  auto pages = pdf_page_texts(read(out / "public/未来の教室 実証事業 成果報告書.pdf"));
  ASSERT_OK(pages);
  int table_page = page_of(*pages, "表2-1連携した学校の割合", 2);
  ASSERT_GT(table_page, 0);
  int form3 = page_of(*pages, "様式3二次利用未承諾リスト", table_page + 1);
  ASSERT_GT(form3, table_page);
  // The page as its footer prints it: the cover and the one page of contents are not numbered.
  int printed = table_page - 2;
  std::string text = (*pages)[std::size_t(table_page - 1)];
  text.erase(text.find_last_not_of(" \n\r\f") + 1);
  EXPECT_TRUE(text.ends_with(" " + std::to_string(printed)) || text.ends_with("\n" + std::to_string(printed))) << text;
  EXPECT_NE(page_of(*pages, fmt::format("{}表2-1連携した学校の割合教育連携実態調査教育連携研究所", printed), form3), 0)
      << (*pages)[std::size_t(form3 - 1)];
  // The manifest has a SHA-256 for every file.
  std::string manifest = read(out / "manifest.json");
  EXPECT_NE(manifest.find("\"path\":\"public/図表データ/図2-1_参加校数の推移.csv\""), std::string::npos);
  EXPECT_NE(manifest.find("\"sha256\":\""), std::string::npos);
  // No temporary folder is left beside OUT.
  for (const auto& e : fs::directory_iterator(dir_.path())) EXPECT_FALSE(e.path().filename().string().starts_with(".out.tmp"));
}

TEST_F(PackageTest, SplitsAtChapterBoundariesAtEachLimit) {
  for (int i = 1; i <= 3; ++i) {
    std::string body;
    for (int p = 0; p < 20; ++p) body += fmt::format("第{}章の本文の段落{}。実証の経過を詳しく述べる。\n\n", i, p);
    chapter(fmt::format("章{}", i), body);
  }
  auto whole = build_package(*database_, secretariat_, options("whole"), now_);
  ASSERT_OK(whole);
  ASSERT_EQ(whole->public_parts, 1);
  struct Case {
    const char* name;
    Limits limits;
  };
  auto pdf_pages = [](const fs::path& p) { return int(pdf_page_texts(read(p))->size()); };
  const int all_pages = whole->report_pages;
  for (Case c : {Case{"pages", {.max_pages = all_pages - 1}}, Case{"chars", {.max_chars = 1500}},
                 Case{"bytes", {.max_bytes = std::int64_t(fs::file_size(dir_.path() / "whole/public/未来の教室 実証事業 成果報告書.pdf")) - 1}}}) {
    auto o = options(c.name);
    o.limits = c.limits;
    auto split = build_package(*database_, secretariat_, o, now_);
    ASSERT_OK(split) << c.name;
    EXPECT_GT(split->public_parts, 1) << c.name;
    fs::path first = dir_.path() / c.name / "public/未来の教室 実証事業 成果報告書_その1.pdf";
    ASSERT_TRUE(fs::exists(first)) << c.name;
    if (std::string(c.name) == "pages") {
      EXPECT_LE(pdf_pages(first), all_pages - 1);
    }
    if (std::string(c.name) == "bytes") {
      EXPECT_LE(std::int64_t(fs::file_size(first)), c.limits.max_bytes);
    }
  }
  // A single chapter above the limit cannot be split.
  auto o = options("tiny");
  o.limits.max_pages = 1;
  auto refused = build_package(*database_, secretariat_, o, now_);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("だけで上限を超えるため、章の区切りでは分割できません"), std::string::npos)
      << refused.error().message;
  EXPECT_FALSE(fs::exists(dir_.path() / "tiny"));
}

TEST_F(PackageTest, GateStopsOnARegistrantsEmailAndAcceptsAnAuditedException) {
  write([&](db::Transaction& tx) -> Result<void> {
    auto id = tx.insert(
        "INSERT INTO users (email, name, password_hash, created_at) VALUES ('hanako.yamada@example.jp', '山田 花子', 'x', "
        "'2026-11-01T00:00:00Z')");
    if (!id) return fail(id.error());
    return {};
  });
  chapter("謝辞", "ご協力いただいた山田花子さん（hanako.yamada@example.jp）に感謝する。\n");
  auto refused = build_package(*database_, secretariat_, options("out"), now_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().message.find("公開ファイルに"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("pii.email"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("pii.deny_list"), std::string::npos) << refused.error().message;
  EXPECT_FALSE(fs::exists(dir_.path() / "out"));
  // Accept every listed finding with a reason: the build then goes through, and it is audited.
  std::string message = refused.error().message;
  for (std::size_t at = message.find('['); at != std::string::npos; at = message.find('[', at + 1)) {
    std::string key = message.substr(at + 1, message.find(']', at) - at - 1);
    write([&](db::Transaction& tx) -> Result<void> {
      auto r = accept_exception(tx, secretariat_, key, "本人の同意を得て掲載する", now_);
      if (!r) return fail(r.error());
      return {};
    });
  }
  ASSERT_OK(build_package(*database_, secretariat_, options("out"), now_));
  auto tx = database_->begin(db::TxMode::kRead);
  ASSERT_OK(tx);
  auto n = (*tx)->scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'package.exception_accepted'");
  ASSERT_OK(n);
  EXPECT_GE(*n, 2);
}

TEST_F(PackageTest, RefusesFiguresWithoutDataOrWithCaptionsThatCannotNameAFile) {
  chapter("図", std::string(kFigure) + "\n| 区分 | 件数 |\n|---|--:|\n| A | 1 |\n\nTable: 件数/区分別\n");
  auto refused = build_package(*database_, secretariat_, options("out"), now_);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("表1-1「件数/区分別」の見出しはファイル名にできない文字"), std::string::npos)
      << refused.error().message;
}

TEST_F(PackageTest, AChapterThatFailsNamesTheChapterAndLine) {
  write([&](db::Transaction& tx) -> Result<void> {
    return tx.exec(
        "INSERT INTO package_chapters (position, kind, title, markdown, version, approved_version, updated_at) VALUES "
        "(5, 'written', '壊れた章', '一行目\n\n```chart\n{\"title\":1}\n```\n', 1, 1, '2027-03-01T00:00:00Z')");
  });
  auto refused = build_package(*database_, secretariat_, options("out"), now_);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("章「壊れた章」: 3行目"), std::string::npos) << refused.error().message;
}

TEST_F(PackageTest, ChaptersAreVersionedAndOnlyTheSecretariatWrites) {
  auto id = chapter("はじめに", "第一版。\n");
  write([&](db::Transaction& tx) -> Result<void> { return save_chapter(tx, secretariat_, id, "はじめに", "第二版。\n", now_); });
  write([&](db::Transaction& tx) -> Result<void> {
    return set_review_status(tx, secretariat_, id, ReviewStatus::kApproved, now_);
  });
  auto tx = database_->begin(db::TxMode::kWrite);
  ASSERT_OK(tx);
  auto versions = chapter_versions(**tx, meti_, id);
  ASSERT_OK(versions);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].markdown, "第二版。\n");
  auto denied = save_chapter(**tx, meti_, id, "はじめに", "METI の書き換え", now_);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  auto errors = validate_chapter("", "# 章の見出し\n");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].message, "章の題名を入力してください。");
  EXPECT_EQ(errors[1].message, "1行目: 本文に章の見出し（# ）は書けません。節は ## で書いてください。");
  auto rights = validate_chapter("図", "権利: 第三者 / 出典: 白書\n");
  ASSERT_FALSE(rights.empty());
  EXPECT_EQ(rights[0].message, "1行目: 権利の行は図表の見出し（Figure: / Table:）の直後に書いてください。");
}

TEST_F(PackageTest, TwoBuildsAtOnceAreRefusedAndDeliveryIsRecorded) {
  auto first = start_build(*database_, secretariat_, "a", now_);
  ASSERT_OK(first);
  auto second = start_build(*database_, secretariat_, "b", now_);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kConflict);
  EXPECT_EQ(second.error().message, kBuildRunning);
  ASSERT_OK(finish_build(*database_, *first, BuildSummary{}, now_));
  auto tx = database_->begin(db::TxMode::kWrite);
  ASSERT_OK(tx);
  auto before = delivered_at(**tx);
  ASSERT_OK(before);
  EXPECT_FALSE(before->has_value());
  ASSERT_OK(mark_delivered(**tx, meti_, *first, now_));
  auto after = delivered_at(**tx);
  ASSERT_OK(after);
  ASSERT_TRUE(after->has_value());
  EXPECT_EQ(**after, now_);
  // The close-out waits for this delivery: METI's acceptance is recorded there too.
  auto recorded = compliance::package_delivery(**tx);
  ASSERT_OK(recorded);
  ASSERT_TRUE(recorded->has_value());
  EXPECT_EQ((*recorded)->delivered_on, tokyo_date(now_).iso());
  EXPECT_EQ((*recorded)->note, fmt::format("報告書パッケージ #{} を経済産業省が Kakehashi で受領", *first));
}

TEST_F(PackageTest, Form1OverThreePagesIsRefusedWithTheOverrunInJapanese) {
  std::string long_text;
  for (int i = 0; i < 200; ++i) long_text += "実証事業の成果を詳しく説明する長い文章がここに続きます。成果は各ブロックの報告に基づいて整理しています。\n\n";
  write([&](db::Transaction& tx) -> Result<void> {
    auto all = list_chapters(tx, secretariat_);
    if (!all) return fail(all.error());
    for (const auto& c : *all)
      if (c.source == "form1")
        return save_chapter(tx, secretariat_, c.id, c.title,
                            "## 事業の目的\n\n目的。\n\n## 事業の内容\n\n" + long_text +
                                "\n## 事業の成果\n\n成果。\n\n## 今後の課題\n\n課題。\n",
                            now_);
    return fail(Error::not_found("form1"));
  });
  chapter("はじめに", "本文。\n");
  auto o = options("out");
  o.measure_form1 = true;  // LibreOffice (headless) counts the pages
  auto refused = build_package(*database_, secretariat_, o, now_);
  ASSERT_FALSE(refused);
  EXPECT_TRUE(std::regex_search(refused.error().message,
                                std::regex("^様式1が ([4-9]|1[0-9]) ページあり、上限の 3 ページを ([1-9]|1[0-6]) ページ超えています。")))
      << refused.error().message;
  EXPECT_FALSE(fs::exists(dir_.path() / "out"));
}

TEST_F(PackageTest, ChaptersWithoutAnApprovedVersionStayOutAndEditsWaitForApproval) {
  auto approved = chapter("はじめに", "承認済みの本文。\n");
  write([&](db::Transaction& tx) -> Result<void> { return save_chapter(tx, secretariat_, approved, "はじめに", "書き直し中の本文。\n", now_); });
  chapter("おわりに", "まだ下書きの本文。\n", false);
  auto summary = build_package(*database_, secretariat_, options("out"), now_);
  ASSERT_OK(summary);
  std::string html = read(dir_.path() / "out/non-public/未来の教室 実証事業 成果報告書.html");
  EXPECT_NE(html.find("承認済みの本文。"), std::string::npos);
  EXPECT_EQ(html.find("書き直し中の本文。"), std::string::npos);
  EXPECT_EQ(html.find("まだ下書きの本文。"), std::string::npos);
  std::vector<std::string> expected = {"様式1（概要）は下書きです（第1版を使いました）。",
                                       "章「はじめに」は確認済みの第1版を使いました（第2版は下書き）。",
                                       "章「おわりに」は確認済みの版がないため、報告書に含めませんでした（下書き・第1版）。"};
  EXPECT_EQ(summary->warnings, expected);
  // The build's record shows them.
  auto id = start_build(*database_, secretariat_, "x", now_);
  ASSERT_OK(id);
  ASSERT_OK(finish_build(*database_, *id, summary, now_));
  auto tx = database_->begin(db::TxMode::kRead);
  ASSERT_OK(tx);
  auto b = find_build(**tx, secretariat_, *id);
  ASSERT_OK(b);
  EXPECT_NE((*b)->message.find("\n注意: 章「おわりに」は確認済みの版がないため"), std::string::npos) << (*b)->message;
}

TEST_F(PackageTest, ABuildWhoseWorkerIsGoneOrSilentNoLongerBlocksTheNext) {
  // A worker process that ended (a crashed server).
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_GT(child, 0);
  ::waitpid(child, nullptr, 0);
  std::string host = this_worker().substr(0, this_worker().rfind(':'));
  auto crashed = start_build(*database_, secretariat_, "a", now_);
  ASSERT_OK(crashed);
  write([&](db::Transaction& tx) -> Result<void> {
    return tx.exec("UPDATE package_builds SET worker = ? WHERE id = ?", {fmt::format("{}:{}", host, child), *crashed});
  });
  auto next = start_build(*database_, secretariat_, "b", now_ + minutes(1));
  ASSERT_OK(next);
  // A live worker that reported nothing for more than 30 minutes.
  auto silent = start_build(*database_, secretariat_, "c", now_ + minutes(20));
  ASSERT_FALSE(silent);  // `next` is alive (this process) and reported 19 minutes ago
  EXPECT_EQ(silent.error().code, ErrorCode::kConflict);
  auto later = start_build(*database_, secretariat_, "d", now_ + minutes(32));
  ASSERT_OK(later);
  auto tx = database_->begin(db::TxMode::kRead);
  ASSERT_OK(tx);
  auto first = find_build(**tx, secretariat_, *crashed);
  ASSERT_OK(first);
  EXPECT_EQ((*first)->status, BuildStatus::kFailed);
  EXPECT_EQ((*first)->message, kWorkerGone);
  auto second = find_build(**tx, secretariat_, *next);
  ASSERT_OK(second);
  EXPECT_EQ((*second)->status, BuildStatus::kFailed);
  EXPECT_EQ((*second)->message, kWorkerSilent);
  auto n = (*tx)->scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'package.build_recovered'");
  ASSERT_OK(n);
  EXPECT_EQ(*n, 2);
}

TEST_F(PackageTest, AWrittenChapterIsDeletedWithItsVersionsAndAudited) {
  auto id = chapter("付記", "第一版。\n");
  write([&](db::Transaction& tx) -> Result<void> { return save_chapter(tx, secretariat_, id, "付記", "第二版。\n", now_); });
  auto tx = database_->begin(db::TxMode::kWrite);
  ASSERT_OK(tx);
  auto denied = delete_chapter(**tx, meti_, id, now_);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  auto all = list_chapters(**tx, secretariat_);
  ASSERT_OK(all);
  for (const auto& c : *all) {
    if (c.source == "form1") {
      auto refused = delete_chapter(**tx, secretariat_, c.id, now_);
      ASSERT_FALSE(refused);
      EXPECT_EQ(refused.error().message, "様式1（概要）の章は削除できません。");
    }
    if (c.kind == ChapterKind::kGenerated) {
      EXPECT_FALSE(delete_chapter(**tx, secretariat_, c.id, now_));
    }
  }
  ASSERT_OK(delete_chapter(**tx, secretariat_, id, now_));
  auto gone = find_chapter(**tx, secretariat_, id);
  ASSERT_OK(gone);
  EXPECT_FALSE(gone->has_value());
  EXPECT_EQ(*(*tx)->scalar("SELECT COUNT(*) FROM package_chapter_versions WHERE chapter_id = ?", {id}), 0);
  EXPECT_EQ(*(*tx)->scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'package.chapter_deleted' AND object = ?",
                           {fmt::format("package_chapter:{}", id)}),
            1);
}

}  // namespace
}  // namespace kakehashi::package
