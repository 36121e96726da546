// The verdict on an upload (issue 13 item 7): what keeps a file back from reviewers or from
// publication, with plain-Japanese labels for the screens.
#include "inspect/upload.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <qpdf/QPDFWriter.hh>

#include "support/temp_dir.h"
#include "unit/inspect/child_program.h"
#include "unit/inspect/fixtures.h"

namespace kakehashi::inspect {
namespace {

namespace fs = std::filesystem;

fs::path samples_dir() {
  const char* shared = std::getenv("KAKEHASHI_SHARED_DIR");
  return fs::path(shared != nullptr ? shared : "../shared") / "data" / "docs";
}

class UploadTest : public ::testing::Test {
 protected:
  UploadVerdict check(const fs::path& path, UploadPurpose purpose) {
    auto verdict = check_upload(path, purpose, testing::child_limits());
    EXPECT_TRUE(verdict.has_value()) << path;
    return verdict ? *verdict : UploadVerdict{};
  }

  static const UploadFinding* find(const UploadVerdict& verdict, std::string_view code) {
    for (const auto& finding : verdict.findings) {
      if (finding.code == code) return &finding;
    }
    return nullptr;
  }

  ::kakehashi::testing::TempDir temp_;
  fs::path dir_ = temp_.path();
};

TEST_F(UploadTest, ScriptsAndPersonalDataDoNotKeepAnApplicationFromReviewers) {
  // Reviewers get the disarmed copy; the applicant's own contact details are expected.
  auto verdict = check(samples_dir() / "pdfjs__js-authors.pdf", UploadPurpose::kReview);
  EXPECT_TRUE(verdict.ok);
  EXPECT_EQ(verdict.summary, "審査用に受け付けられます");
  EXPECT_EQ(verdict.type, FileType::kPdf);
  const UploadFinding* script = find(verdict, "pdf.javascript");
  ASSERT_NE(script, nullptr);
  EXPECT_EQ(script->label, "JavaScript（自動で動くプログラム）");
  EXPECT_FALSE(script->blocks);
  EXPECT_EQ(script->severity, Severity::kError);

  testing::write_bytes(dir_ / "contacts.csv", "担当,電話\r\n山田,090-1234-5678\r\n");
  auto csv = check(dir_ / "contacts.csv", UploadPurpose::kReview);
  EXPECT_TRUE(csv.ok);
  ASSERT_NE(find(csv, "pii.phone"), nullptr);
  EXPECT_EQ(find(csv, "pii.phone")->label, "電話番号");
}

TEST_F(UploadTest, TheSameFindingsKeepAFileFromPublication) {
  testing::write_bytes(dir_ / "contacts.csv", "担当,電話\r\n山田,090-1234-5678\r\n");
  auto verdict = check(dir_ / "contacts.csv", UploadPurpose::kPublication);
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.summary, "公開できません（エラー 1 件: 電話番号）");
  EXPECT_TRUE(find(verdict, "pii.phone")->blocks);

  testing::write_bytes(dir_ / "plain.csv", "項目,値\r\n日付,2026-04-01\r\n");
  auto plain = check(dir_ / "plain.csv", UploadPurpose::kPublication);
  EXPECT_TRUE(plain.ok);
  EXPECT_EQ(plain.summary, "公開できます");
}

TEST_F(UploadTest, BombsPasswordsAndUnreadableFilesKeepAnApplicationBack) {
  testing::write_pdf(
      dir_ / "bomb.pdf",
      [](QPDF& q, QPDFObjectHandle page) {
        page.replaceKey(
            "/Contents",
            testing::encoded_stream(q, testing::deflate_zeros(1ull << 30, true), "/FlateDecode"));
      },
      false, true);
  auto bomb = check(dir_ / "bomb.pdf", UploadPurpose::kReview);
  EXPECT_FALSE(bomb.ok);
  EXPECT_EQ(bomb.summary, "審査用に受け付けられません: 圧縮爆弾の疑い（PDF 内のデータ）");
  ASSERT_FALSE(bomb.findings.empty());
  EXPECT_EQ(bomb.findings.front().code, "file.decompression_bomb");  // blocking ones first
  EXPECT_TRUE(bomb.findings.front().blocks);

  testing::write_pdf(dir_ / "locked.pdf", nullptr, true);  // needs the user password
  auto locked = check(dir_ / "locked.pdf", UploadPurpose::kReview);
  EXPECT_FALSE(locked.ok);
  EXPECT_EQ(locked.summary, "審査用に受け付けられません: 暗号化・パスワード保護");

  // An owner password only restricts printing or copying: reviewers can read it, the disarmed
  // copy drops the restriction.
  testing::write_pdf(dir_ / "plain.pdf");
  {
    QPDF pdf;
    pdf.processFile((dir_ / "plain.pdf").c_str());
    // QPDFWriter keeps the file name pointer until write(): the path must outlive it.
    const std::filesystem::path restricted = dir_ / "restricted.pdf";
    QPDFWriter writer(pdf, restricted.c_str());
    writer.setR6EncryptionParameters("", "owner", true, false, true, true, true, true,
                                     qpdf_r3p_none, true);
    writer.write();
  }
  auto restricted = check(dir_ / "restricted.pdf", UploadPurpose::kReview);
  ASSERT_NE(find(restricted, "pdf.encrypted"), nullptr);
  EXPECT_FALSE(find(restricted, "pdf.encrypted")->blocks);
  EXPECT_TRUE(restricted.ok) << restricted.summary;

  testing::write_bytes(dir_ / "broken.pdf", "%PDF-1.7\nnothing here");
  auto broken = check(dir_ / "broken.pdf", UploadPurpose::kReview);
  EXPECT_FALSE(broken.ok);
  EXPECT_EQ(broken.summary, "審査用に受け付けられません: 読み取れないファイル");

  testing::write_bytes(dir_ / "notes.txt", "memo");
  auto text = check(dir_ / "notes.txt", UploadPurpose::kReview);
  EXPECT_FALSE(text.ok);
  EXPECT_EQ(text.summary, "審査用に受け付けられません: 検査できない形式");
}

TEST_F(UploadTest, MissingFileIsAnErrorNotAVerdict) {
  EXPECT_FALSE(check_upload(dir_ / "missing.pdf", UploadPurpose::kReview, testing::child_limits()).has_value());
}

TEST(UploadVerdictTest, EveryFindingCarriesItsLabel) {
  FileReport report;
  report.type = FileType::kXlsx;
  for (const auto& row : finding_codes())
    report.findings.push_back(make_finding(row.code, "", "x"));
  for (auto purpose : {UploadPurpose::kReview, UploadPurpose::kPublication}) {
    UploadVerdict verdict = upload_verdict(report, purpose);
    ASSERT_EQ(verdict.findings.size(), finding_codes().size());
    for (const auto& finding : verdict.findings) {
      EXPECT_EQ(finding.label, finding_label(finding.code));
      EXPECT_NE(finding.label, finding.code);
    }
    EXPECT_FALSE(verdict.ok);
  }
}

}  // namespace
}  // namespace kakehashi::inspect
