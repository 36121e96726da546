// The public sample documents (../shared/data/docs, MANIFEST.tsv): every one is inspected
// without a crash, and what the manifest says it hides is found.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "inspect/inspector.h"
#include "inspect/isolate.h"
#include "support/temp_dir.h"
#include "unit/inspect/child_program.h"

namespace kakehashi::inspect {
namespace {

namespace fs = std::filesystem;

// The manifest's hidden_content column, translated into the codes that must be reported.
const std::map<std::string, std::set<std::string>> kExpected = {
    {"poi__TwoSheetsOneHidden.xlsx",
     {"xlsx.hidden_sheet", "ooxml.core_properties", "ooxml.app_properties"}},
    {"poi__TwoSheetsNoneHidden.xlsx", {"ooxml.core_properties", "ooxml.app_properties"}},
    {"poi__customIndexedColors.xlsx",
     {"xlsx.very_hidden_sheet", "ooxml.custom_xml", "ooxml.custom_properties",
      "ooxml.printer_settings", "ooxml.core_properties", "ooxml.app_properties"}},
    {"poi__GroupTest.xlsx", {"xlsx.hidden_row", "ooxml.core_properties", "ooxml.app_properties"}},
    {"poi__WidthsAndHeights.xlsx", {"xlsx.hidden_row", "xlsx.hidden_column"}},
    {"poi__SimpleWithComments.xlsx", {"ooxml.comments"}},
    {"poi__64759.xlsx", {"ooxml.comments"}},
    {"poi__SimpleMacro.xlsm", {"ooxml.macro", "ooxml.core_properties"}},
    {"poi__WithEmbeded.xlsx", {"ooxml.embedded_object", "ooxml.printer_settings"}},
    {"poi__ref-56737.xlsx", {"ooxml.external_link", "ooxml.app_properties"}},
    {"poi__link-external-workbook-b.xlsx", {"ooxml.external_link"}},
    {"poi__ExcelPivotTableSample.xlsx", {"xlsx.pivot_cache", "xlsx.data_connection"}},
    {"poi__bug66827.xlsx", {"xlsx.hidden_name", "ooxml.comments", "ooxml.printer_settings"}},
    {"poi__poc-xmlbomb.xlsx", {"ooxml.unsafe_xml"}},
    {"poi__xxe_in_schema.xlsx", {"ooxml.unsafe_xml"}},
    {"poi__ExternalEntityInText.docx", {"ooxml.unsafe_xml", "docx.document_variable"}},
    {"mat2__dangling_rels.xlsx",
     {"ooxml.custom_properties", "ooxml.custom_xml", "ooxml.printer_settings",
      "ooxml.core_properties", "ooxml.app_properties"}},
    {"mat2__revision.docx", {"docx.tracked_change", "docx.track_changes_on"}},
    {"mat2__revision_move.docx", {"docx.tracked_change"}},
    {"mat2__comment.docx", {"ooxml.comments"}},
    {"mat2__embedded.docx", {"ooxml.unreferenced_part"}},
    {"mat2__dirty.docx", {"ooxml.core_properties"}},
    {"mat2__dirty_with_nsid.docx", {"ooxml.custom_xml", "ooxml.core_properties"}},
    {"poi__delins.docx", {"docx.tracked_change", "ooxml.custom_xml", "ooxml.app_properties"}},
    {"poi__bug56075-changeTracking_on.docx", {"docx.track_changes_on", "ooxml.core_properties"}},
    {"poi__SimpleMacro.docm", {"ooxml.macro"}},
    {"poi__documentProperties.docx",
     {"ooxml.core_properties", "ooxml.app_properties", "ooxml.thumbnail"}},
    {"poi__bug59058.docx", {"docx.hidden_text"}},
    {"poi__52288.docx", {"ooxml.external_link", "ooxml.core_properties", "ooxml.app_properties"}},
    {"exiftool__OOXML.docx",
     {"ooxml.core_properties", "ooxml.app_properties", "ooxml.custom_properties",
      "ooxml.thumbnail"}},
    // 45545_Comment and prProps carry notes pages, but their note bodies are empty: nothing
    // hidden, so no pptx.speaker_notes (the manifest counts the parts).
    {"poi__45545_Comment.pptx",
     {"ooxml.comments", "ooxml.embedded_object", "ooxml.custom_properties", "ooxml.thumbnail",
      "ooxml.app_properties"}},
    {"poi__prProps.pptx",
     {"ooxml.custom_properties", "ooxml.app_properties", "ooxml.core_properties",
      "ooxml.thumbnail"}},
    {"poi__SimpleMacro.pptm", {"ooxml.macro", "ooxml.thumbnail"}},
    {"poi__2411-Performance_Up.pptx",
     {"pptx.hidden_slide", "pptx.speaker_notes", "ooxml.printer_settings", "ooxml.app_properties",
      "ooxml.core_properties"}},
    {"poi__bug65551.pptx",
     {"ooxml.embedded_object", "ooxml.comments", "pptx.speaker_notes", "ooxml.custom_xml",
      "ooxml.custom_properties", "ooxml.core_properties"}},
    {"pdfjs__js-authors.pdf",
     {"pdf.javascript", "pdf.form", "pdf.xmp_metadata", "pdf.info_metadata"}},
    {"pdfjs__doc_actions.pdf",
     {"pdf.action", "pdf.javascript", "pdf.xmp_metadata", "pdf.incremental_update"}},
    {"pdfjs__attachment.pdf", {"pdf.embedded_file", "pdf.incremental_update"}},
    {"pdfjs__annotation-fileattachment.pdf",
     {"pdf.annotation", "pdf.embedded_file", "pdf.info_metadata"}},
    {"pdfjs__visibility_expressions.pdf", {"pdf.hidden_layer"}},
    {"pdfjs__issue17846.pdf", {"pdf.action", "pdf.xmp_metadata", "pdf.incremental_update"}},
    {"pdfjs__annotation_hidden_noview.pdf",
     {"pdf.annotation", "pdf.javascript", "pdf.form", "pdf.xmp_metadata"}},
    {"qpdf__comment-annotation.pdf", {"pdf.annotation"}},
    {"qpdf__incremental-1.pdf", {"pdf.incremental_update"}},
    {"qpdf__digitally-signed.pdf", {"pdf.signature", "pdf.form", "pdf.xmp_metadata"}},
    {"qpdf__c-info2-in.pdf", {"pdf.info_metadata"}},
    {"mat2__dirty.pdf", {"pdf.xmp_metadata", "pdf.info_metadata", "pdf.incremental_update"}},
    {"exiftool__PDF.pdf", {"pdf.private_data", "pdf.info_metadata"}},
};

fs::path samples_dir() {
  const char* shared = std::getenv("KAKEHASHI_SHARED_DIR");
  return fs::path(shared != nullptr ? shared : "../shared") / "data" / "docs";
}

std::vector<std::string> manifest_files() {
  std::ifstream in(samples_dir() / "MANIFEST.tsv");
  std::vector<std::string> files;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty()) files.push_back(line.substr(0, line.find('\t')));
  }
  return files;
}

TEST(SamplesTest, ManifestHiddenContentIsFound) {
  auto files = manifest_files();
  ASSERT_EQ(files.size(), 48u) << "the sample set in " << samples_dir();
  for (const auto& file : files) {
    SCOPED_TRACE(file);
    ASSERT_TRUE(kExpected.contains(file)) << "no expectation for " << file;
    auto report = inspect_file((samples_dir() / file).string(), {});
    ASSERT_TRUE(report.has_value());
    std::set<std::string> codes;
    for (const auto& finding : report->findings) codes.insert(finding.code);
    for (const auto& code : kExpected.at(file)) EXPECT_TRUE(codes.contains(code)) << code;
    EXPECT_FALSE(codes.contains("file.unreadable")) << to_text(std::vector{*report});
  }
}

// Truncated and bit-flipped copies of every sample: a report (often file.unreadable), never a
// crash. The fuzz targets go further; this pins the "Done when" line in the unit suite.
TEST(SamplesTest, TruncatedAndBitFlippedSamplesAreFindingsNotCrashes) {
  ::kakehashi::testing::TempDir temp;
  fs::path dir = temp.path();
  std::mt19937 random(3);
  int unreadable = 0;
  for (const auto& file : manifest_files()) {
    std::ifstream in(samples_dir() / file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string truncated = bytes.substr(0, bytes.size() * 2 / 3);
    std::string flipped = bytes;
    for (int i = 0; i < 16; ++i)
      flipped[random() % flipped.size()] ^= static_cast<char>(1 << (random() % 8));
    for (const auto& [name, data] :
         {std::pair{"truncated_", truncated}, std::pair{"flipped_", flipped}}) {
      fs::path path = dir / (name + file);
      std::ofstream(path, std::ios::binary) << data;
      auto report = inspect_file(path.string(), {});
      ASSERT_TRUE(report.has_value()) << path;
      for (const auto& finding : report->findings) unreadable += finding.code == "file.unreadable";
    }
  }
  EXPECT_GT(unreadable, 48);  // most damaged copies say so, with a reason
}

TEST(SamplesTest, HostileSamplesNeverExpandEntities) {
  // Isolated with a small memory budget: an expanded billion laughs would need gigabytes.
  IsolationLimits limits = testing::child_limits();
  limits.memory_bytes = 256ull << 20;
  for (const char* file :
       {"poi__poc-xmlbomb.xlsx", "poi__xxe_in_schema.xlsx", "poi__ExternalEntityInText.docx"}) {
    auto report = inspect_file_isolated((samples_dir() / file).string(), {}, limits);
    ASSERT_TRUE(report.has_value()) << file;
    std::set<std::string> codes;
    for (const auto& finding : report->findings) codes.insert(finding.code);
    EXPECT_TRUE(codes.contains("ooxml.unsafe_xml")) << file;
    EXPECT_FALSE(codes.contains("file.resource_limit")) << file;
  }
}

}  // namespace
}  // namespace kakehashi::inspect
