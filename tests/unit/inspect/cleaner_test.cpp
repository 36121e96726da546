// The cleaner: every sample and fixture cleans into a file that re-inspects without error
// findings (other than visible personal data and a missing text layer) and still opens.
#include "inspect/cleaner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "inspect/disarm.h"
#include "inspect/inspector.h"
#include "support/result.h"
#include "support/temp_dir.h"
#include "unit/inspect/fixtures.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::inspect {
namespace {

namespace fs = std::filesystem;

bool acceptable_after_cleaning(const Finding& finding) {
  return finding.severity != Severity::kError || finding.code.starts_with("pii.") ||
         finding.code == "pdf.no_text_layer";
}

fs::path samples_dir() {
  const char* shared = std::getenv("KAKEHASHI_SHARED_DIR");
  return fs::path(shared != nullptr ? shared : "../shared") / "data" / "docs";
}

std::string output_name(const fs::path& in) {
  std::string ext = in.extension().string();
  if (ext == ".xlsm") ext = ".xlsx";
  if (ext == ".docm") ext = ".docx";
  if (ext == ".pptm") ext = ".pptx";
  return in.stem().string() + ext;
}

class CleanerTest : public ::testing::Test {
 protected:
  ::kakehashi::testing::TempDir temp_;
  fs::path dir_ = temp_.path();
};

TEST_F(CleanerTest, EverySampleCleansToNoErrorFinding) {
  int cleaned = 0;
  for (const auto& entry : fs::directory_iterator(samples_dir())) {
    fs::path in = entry.path();
    if (in.extension() == ".tsv") continue;
    SCOPED_TRACE(in.filename().string());
    std::string before = testing::read_bytes(in);
    fs::path out = dir_ / output_name(in);
    auto report = clean_file(in.string(), out.string(), {});
    EXPECT_EQ(testing::read_bytes(in), before);  // IN never touched
    ASSERT_OK(report);
    auto check = inspect_file(out.string(), {});
    ASSERT_TRUE(check.has_value());
    for (const auto& finding : check->findings) {
      EXPECT_TRUE(acceptable_after_cleaning(finding))
          << finding.code << " " << finding.location << " " << finding.message;
    }
    ++cleaned;
  }
  EXPECT_EQ(cleaned, 48);  // poc-xmlbomb.xlsx too: 210 KB from 5 KB is no bomb (issue 23)
}

TEST_F(CleanerTest, ReportsWhatItRemovedAndRefusesToOverwriteInput) {
  fs::path in = samples_dir() / "poi__TwoSheetsOneHidden.xlsx";
  auto report = clean_file(in.string(), (dir_ / "out.xlsx").string(), {});
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->removed,
            (std::vector<std::string>{"非表示のシート（表示に変更）",
                                      "アプリケーションのプロパティ", "文書のプロパティ"}));
  fs::copy_file(in, dir_ / "same.xlsx");
  auto same = clean_file((dir_ / "same.xlsx").string(), (dir_ / "same.xlsx").string(), {});
  ASSERT_FALSE(same.has_value());
  ExpectError(same, ErrorCode::kInvalidArgument, "出力先が入力と同じファイルです。別のファイル名を指定してください");
}

TEST_F(CleanerTest, DeleteHiddenRemovesSheetsAndSlides) {
  auto sheet = clean_file((samples_dir() / "poi__TwoSheetsOneHidden.xlsx").string(),
                          (dir_ / "a.xlsx").string(), {true, true});
  ASSERT_TRUE(sheet.has_value());
  EXPECT_EQ(sheet->removed.front(), "非表示のシート（削除）");
  auto check = inspect_file((dir_ / "a.xlsx").string(), {});
  ASSERT_TRUE(check.has_value());
  EXPECT_EQ(check->stats.pages, 1u);  // one worksheet left
  auto slides = clean_file((samples_dir() / "poi__2411-Performance_Up.pptx").string(),
                           (dir_ / "b.pptx").string(), {true, false});
  ASSERT_TRUE(slides.has_value());
  auto deck = inspect_file((dir_ / "b.pptx").string(), {});
  ASSERT_TRUE(deck.has_value());
  EXPECT_EQ(deck->stats.pages, 46u);  // 48 slides, 2 hidden ones deleted
}

TEST_F(CleanerTest, KeepTitleKeepsOnlyTheTitle) {
  testing::write_pdf(dir_ / "in.pdf", [](QPDF& q, QPDFObjectHandle) {
    q.getTrailer().replaceKey(
        "/Info",
        q.makeIndirectObject(QPDFObjectHandle::parse("<< /Title (Report) /Author (Taro) >>")));
  });
  ASSERT_TRUE(clean_file((dir_ / "in.pdf").string(), (dir_ / "out.pdf").string(), {false, true})
                  .has_value());
  auto check = inspect_file((dir_ / "out.pdf").string(), {});
  ASSERT_TRUE(check.has_value());
  ASSERT_EQ(check->findings.size(), 1u);
  EXPECT_EQ(check->findings[0].message, "文書情報に次の項目が設定されています: Title");
  EXPECT_EQ(check->findings[0].severity, Severity::kWarning);
}

// A jump inside the document may chain further actions (/Next): a script behind a GoTo goes too.
TEST_F(CleanerTest, ActionChainsBehindAJumpAreRemoved) {
  testing::write_pdf(dir_ / "chain.pdf", [](QPDF& q, QPDFObjectHandle page) {
    page.replaceKey("/Annots",
                    QPDFObjectHandle::newArray({q.makeIndirectObject(QPDFObjectHandle::parse(
                        "<< /Type /Annot /Subtype /Link /Rect [0 0 50 20] /A << /S /GoTo /D [0 "
                        "/Fit] /Next << /S /JavaScript /JS (app.alert\\(1\\)) >> >> >>"))}));
  });
  auto before = inspect_file((dir_ / "chain.pdf").string(), {});
  ASSERT_TRUE(before.has_value());
  EXPECT_TRUE(std::any_of(before->findings.begin(), before->findings.end(),
                          [](const Finding& f) { return f.code == "pdf.javascript"; }));
  ASSERT_TRUE(clean_file((dir_ / "chain.pdf").string(), (dir_ / "out.pdf").string(), {}));
  auto after = inspect_file((dir_ / "out.pdf").string(), {});
  ASSERT_TRUE(after.has_value());
  EXPECT_TRUE(after->findings.empty()) << to_text(std::vector{*after});
}

// Annotations written inside /Annots (direct objects) are reached too.
TEST_F(CleanerTest, ScriptsInDirectAnnotationsAreRemoved) {
  testing::write_pdf(dir_ / "direct.pdf", [](QPDF&, QPDFObjectHandle page) {
    page.replaceKey("/Annots", QPDFObjectHandle::parse(
                                   "[ << /Type /Annot /Subtype /Link /Rect [0 0 50 50] /A << /S "
                                   "/JavaScript /JS (1) >> >> << /Type /Annot /Subtype /Widget "
                                   "/Rect [0 60 50 80] /AA << /K << /S /JavaScript /JS (2) >> >> "
                                   ">> ]"));
  });
  auto report = clean_file((dir_ / "direct.pdf").string(), (dir_ / "out.pdf").string(), {});
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->removed, std::vector<std::string>{"JavaScript"});
  auto after = inspect_file((dir_ / "out.pdf").string(), {});
  ASSERT_TRUE(after.has_value());
  EXPECT_TRUE(after->findings.empty()) << to_text(std::vector{*after});
}

// LibreOffice opens what the cleaner writes (one conversion per format: each takes seconds).
TEST_F(CleanerTest, CleanedFilesOpenInLibreOffice) {
  // scripts/install-deps installs LibreOffice (scripts/deps/inspect.txt): its absence is a failure.
  ASSERT_EQ(std::system("command -v soffice > /dev/null 2>&1"), 0) << "LibreOffice is missing: run scripts/install-deps";
  std::vector<std::string> inputs = {"poi__WithEmbeded.xlsx", "mat2__revision.docx",
                                     "poi__45545_Comment.pptx", "pdfjs__doc_actions.pdf"};
  std::vector<fs::path> cleaned;
  for (const auto& name : inputs) {
    fs::path out = dir_ / ("clean_" + output_name(name));
    ASSERT_TRUE(clean_file((samples_dir() / name).string(), out.string(), {}).has_value()) << name;
    cleaned.push_back(out);
  }
  // And what disarming writes (disarm_office shares the cleaner's writer).
  for (const char* name : {"poi__SimpleMacro.docm", "poi__ref-56737.xlsx"}) {
    fs::path out = dir_ / ("disarmed_" + fs::path(name).stem().string() + ".tmp");
    auto report = disarm_office(samples_dir() / name, out);
    ASSERT_TRUE(report.has_value()) << name;
    fs::path named = fs::path(out).replace_extension(report->extension);
    fs::rename(out, named);
    cleaned.push_back(named);
  }
  // One LibreOffice start converts all the Office files.
  std::string files;
  for (const auto& file : cleaned) {
    if (file.extension() != ".pdf") files += " " + file.string();
  }
  fs::path converted = dir_ / "pdf";
  std::string command = "cd " + dir_.string() +
                        " && timeout 180 soffice -env:UserInstallation=file://" +
                        (dir_ / "profile").string() + " --headless --convert-to pdf --outdir " +
                        converted.string() + files + " > /dev/null 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0);
  for (const auto& file : cleaned) {
    if (file.extension() == ".pdf") continue;  // a PDF is opened by re-inspection (poppler, qpdf)
    fs::path pdf = converted / (file.stem().string() + ".pdf");
    ASSERT_TRUE(fs::exists(pdf)) << file;
    auto check = inspect_file(pdf.string(), {});
    ASSERT_TRUE(check.has_value());
    EXPECT_GE(check->stats.pages, 1u) << file;
    EXPECT_GT(check->stats.chars, 0u) << file;
  }
}

// A file LibreOffice writes from plain data, without personal properties, has no error finding.
TEST_F(CleanerTest, LibreOfficeOutputWithoutPropertiesHasNoErrorFinding) {
  // scripts/install-deps installs LibreOffice (scripts/deps/inspect.txt): its absence is a failure.
  ASSERT_EQ(std::system("command -v soffice > /dev/null 2>&1"), 0) << "LibreOffice is missing: run scripts/install-deps";
  testing::write_bytes(dir_ / "data.csv", "項目,値\n日付,2026-04-01\n");
  testing::write_bytes(dir_ / "memo.txt", "報告書の本文です。\n");
  // A one-slide presentation as flat ODF, which Impress turns into PPTX.
  testing::write_bytes(
      dir_ / "deck.fodp",
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document "
      "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
      "xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" "
      "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
      "xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\" "
      "office:version=\"1.3\" "
      "office:mimetype=\"application/vnd.oasis.opendocument.presentation\"><office:body>"
      "<office:presentation><draw:page draw:name=\"page1\"><draw:frame svg:x=\"2cm\" svg:y=\"2cm\" "
      "svg:width=\"20cm\" "
      "svg:height=\"3cm\"><draw:text-box><text:p>成果報告</text:p></draw:text-box>"
      "</draw:frame></draw:page></office:presentation></office:body></office:document>\n");
  for (auto [file, format] : {std::pair{"data.csv", "xlsx"}, std::pair{"memo.txt", "docx"},
                              std::pair{"deck.fodp", "pptx"}}) {
    std::string command =
        "cd " + dir_.string() + " && timeout 120 soffice -env:UserInstallation=file://" +
        (dir_ / "profile").string() + " --headless --convert-to " + format + " --outdir " +
        (dir_ / "office").string() + " " + file + " > /dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << file;
  }
  for (const char* name : {"data.xlsx", "memo.docx", "deck.pptx"}) {
    auto report = inspect_file((dir_ / "office" / name).string(), {});
    ASSERT_TRUE(report.has_value()) << name;
    EXPECT_FALSE(report->has_error()) << to_text(std::vector{*report});
    EXPECT_GT(report->stats.chars, 0u) << name;
  }
}

}  // namespace
}  // namespace kakehashi::inspect
