// Decompression bombs (issue 13 item 7): PDFs whose streams inflate past the limits and ZIPs
// whose entries do, declared or actual, nested or not, and XML entity expansion. The bombs are
// built here (a 1 GiB stream is about 1 MiB of deflate data); the inspector must report them
// without inflating them: inspected in a child process with a 256 MiB memory limit, the result
// is the finding, never file.resource_limit.
#include <gtest/gtest.h>
#include <zlib.h>

#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <set>

#include "inspect/inspector.h"
#include "inspect/isolate.h"
#include "inspect/package.h"
#include "inspect/pdf_streams.h"
#include "support/result.h"
#include "support/temp_dir.h"
#include "unit/inspect/child_program.h"
#include "unit/inspect/fixtures.h"

namespace kakehashi::inspect {
namespace {

namespace fs = std::filesystem;
using testing::Parts;
using testing::RawEntry;

constexpr std::uint64_t kGiB = 1ull << 30;
constexpr std::uint64_t kMiB = 1ull << 20;

class BombsTest : public ::testing::Test {
 protected:
  // Inspected in a child limited to 256 MiB: a bomb inflated in memory ends as
  // file.resource_limit instead of the finding the test expects.
  FileReport inspect_bounded(const fs::path& path) {
    IsolationLimits limits = testing::child_limits();
    limits.memory_bytes = 256ull << 20;
    auto report = inspect_file_isolated(path.string(), {}, limits);
    EXPECT_TRUE(report.has_value()) << path;
    if (!report) return {};
    for (const auto& finding : report->findings)
      EXPECT_NE(finding.code, "file.resource_limit") << finding.message;
    return *report;
  }

  static const Finding* find(const FileReport& report, std::string_view code) {
    for (const auto& finding : report.findings) {
      if (finding.code == code) return &finding;
    }
    return nullptr;
  }

  ::kakehashi::testing::TempDir temp_;
  fs::path dir_ = temp_.path();
};

// ---------------------------------------------------------------- PDF

TEST_F(BombsTest, PdfContentStreamOfOneGibibyteIsABomb) {
  std::string encoded = testing::deflate_zeros(kGiB, true);
  ASSERT_LT(encoded.size(), 2 * kMiB);  // the file is small; the stream is not
  int object = 0;
  testing::write_pdf(
      dir_ / "bomb.pdf",
      [&](QPDF& pdf, QPDFObjectHandle page) {
        QPDFObjectHandle stream = testing::encoded_stream(pdf, encoded, "/FlateDecode");
        page.replaceKey("/Contents", stream);
        object = stream.getObjectID();
      },
      false, true);
  auto report = inspect_bounded(dir_ / "bomb.pdf");
  const Finding* bomb = find(report, "file.decompression_bomb");
  ASSERT_NE(bomb, nullptr) << to_text(std::vector{report});
  EXPECT_EQ(bomb->severity, Severity::kError);
  // The writer renumbers objects; the location names whichever stream it is.
  EXPECT_TRUE(bomb->location.starts_with("オブジェクト ")) << bomb->location;
  EXPECT_EQ(bomb->message,
            "展開すると巨大になるデータ（圧縮爆弾の疑い）があるため、展開を中止しました: "
            "ストリーム（" +
                bomb->location + "）の展開後のサイズが上限 256 MiB を超えます");
  // Nothing else was looked at: the text layer would need the bomb inflated.
  EXPECT_EQ(report.findings.size(), 1u) << to_text(std::vector{report});
}

TEST_F(BombsTest, StackedFiltersPastTheRatioAreABomb) {
  // 64 MiB of zeros deflated twice: a few hundred bytes in the file.
  std::string once = testing::deflate_zeros(64 * kMiB, true);
  uLongf size = compressBound(static_cast<uLong>(once.size()));
  std::string twice(size, '\0');
  ASSERT_EQ(compress2(reinterpret_cast<Bytef*>(twice.data()), &size,
                      reinterpret_cast<const Bytef*>(once.data()), static_cast<uLong>(once.size()),
                      9),
            Z_OK);
  twice.resize(size);
  ASSERT_LT(twice.size(), 64 * 1024u);
  testing::write_pdf(
      dir_ / "stacked.pdf",
      [&](QPDF& pdf, QPDFObjectHandle page) {
        QPDFObjectHandle stream =
            testing::encoded_stream(pdf, twice, "[/FlateDecode /FlateDecode]");
        page.getKey("/Resources").replaceKey("/Extra", stream);
      },
      false, true);
  auto report = inspect_bounded(dir_ / "stacked.pdf");
  const Finding* bomb = find(report, "file.decompression_bomb");
  ASSERT_NE(bomb, nullptr) << to_text(std::vector{report});
  EXPECT_NE(bomb->message.find("を超えて展開されます（上限は 1000 倍）"), std::string::npos)
      << bomb->message;
  EXPECT_NE(bomb->message.find(std::to_string(twice.size()) + " バイトから 16 MiB"),
            std::string::npos)
      << bomb->message;
}

TEST_F(BombsTest, FlateInFrontOfAFilterQpdfLeavesEncodedIsCounted) {
  // [/FlateDecode /DCTDecode]: qpdf does not decode DCT, but a viewer inflates the Flate layer
  // first, and that layer is the bomb.
  std::string encoded = testing::deflate_zeros(kGiB, true);
  testing::write_pdf(
      dir_ / "image.pdf",
      [&](QPDF& pdf, QPDFObjectHandle page) {
        QPDFObjectHandle image = testing::encoded_stream(
            pdf, encoded, "[/FlateDecode /DCTDecode]",
            "/Type /XObject /Subtype /Image /Width 100 /Height 100 /ColorSpace /DeviceGray "
            "/BitsPerComponent 8");
        page.getKey("/Resources").replaceKey("/XObject", QPDFObjectHandle::newDictionary());
        page.getKey("/Resources").getKey("/XObject").replaceKey("/Im1", image);
      },
      false, true);
  auto report = inspect_bounded(dir_ / "image.pdf");
  const Finding* bomb = find(report, "file.decompression_bomb");
  ASSERT_NE(bomb, nullptr) << to_text(std::vector{report});
  EXPECT_NE(bomb->message.find("画像（" + bomb->location + "）の展開後のサイズが上限 256 MiB"),
            std::string::npos)
      << bomb->message;
}

TEST_F(BombsTest, ManyStreamsTogetherMeetTheFileLimit) {
  // Five images of 240 MiB each: every one under the stream limit, 1.2 GiB together. (Images,
  // because zeros deflate at ~1011:1, past the ratio that other streams must keep.)
  std::string encoded = testing::deflate_zeros(240 * kMiB, true);
  testing::write_pdf(
      dir_ / "many.pdf",
      [&](QPDF& pdf, QPDFObjectHandle page) {
        QPDFObjectHandle images = QPDFObjectHandle::newDictionary();
        for (int i = 0; i < 5; ++i) {
          images.replaceKey("/Im" + std::to_string(i),
                            testing::encoded_stream(pdf, encoded, "/FlateDecode",
                                                    "/Type /XObject /Subtype /Image /Width 16384 "
                                                    "/Height 15360 /ColorSpace /DeviceGray "
                                                    "/BitsPerComponent 8"));
        }
        page.getKey("/Resources").replaceKey("/XObject", images);
      },
      false, true);
  auto report = inspect_bounded(dir_ / "many.pdf");
  const Finding* bomb = find(report, "file.decompression_bomb");
  ASSERT_NE(bomb, nullptr) << to_text(std::vector{report});
  EXPECT_NE(bomb->message.find("ファイル全体の展開後のサイズが上限 1 GiB を超えます"),
            std::string::npos)
      << bomb->message;
}

TEST_F(BombsTest, BlankScannedPageIsNotABomb) {
  // A 600 dpi A4 grey page, all white, deflated: ~1030:1, 34 MB. Images are exempt from the
  // ratio; this one is far below the absolute limits.
  constexpr int kWidth = 4960;
  constexpr int kHeight = 7016;
  std::string encoded = testing::deflate_zeros(std::uint64_t(kWidth) * kHeight, true);
  testing::write_pdf(
      dir_ / "scan.pdf",
      [&](QPDF& pdf, QPDFObjectHandle page) {
        QPDFObjectHandle image = testing::encoded_stream(
            pdf, encoded, "/FlateDecode",
            "/Type /XObject /Subtype /Image /Width " + std::to_string(kWidth) + " /Height " +
                std::to_string(kHeight) + " /ColorSpace /DeviceGray /BitsPerComponent 8");
        page.getKey("/Resources").replaceKey("/XObject", QPDFObjectHandle::newDictionary());
        page.getKey("/Resources").getKey("/XObject").replaceKey("/Im1", image);
      },
      false, true);
  auto report = inspect_file((dir_ / "scan.pdf").string(), {});
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(find(*report, "file.decompression_bomb"), nullptr) << to_text(std::vector{*report});
  EXPECT_EQ(report->stats.pages, 1u);
}

// A PDF 1.5 file written by hand: catalog, pages, one page, then `tail` objects and an xref
// stream. `objects` are "N 0 obj ... endobj" texts numbered from 4.
std::string hand_pdf(const std::vector<std::string>& objects, const std::string& page_extra,
                     const std::vector<std::pair<int, int>>& in_object_stream = {}) {
  std::string out = "%PDF-1.5\n%\xe2\xe3\xcf\xd3\n";
  std::vector<std::size_t> offsets;
  auto add = [&](const std::string& text) {
    offsets.push_back(out.size());
    out += text;
  };
  add("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
  add("2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
  add("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] " + page_extra +
      " >>\nendobj\n");
  for (const auto& object : objects) add(object);
  // The cross-reference stream: W [1 4 2], uncompressed. Objects in an object stream are
  // type 2 entries after the ones written above.
  int xref_number = static_cast<int>(offsets.size() + in_object_stream.size()) + 1;
  std::string entries;
  auto entry = [&](int type, std::uint32_t field2, std::uint16_t field3) {
    entries += static_cast<char>(type);
    for (int shift : {24, 16, 8, 0}) entries += static_cast<char>((field2 >> shift) & 0xff);
    entries += static_cast<char>(field3 >> 8);
    entries += static_cast<char>(field3 & 0xff);
  };
  entry(0, 0, 0xffff);
  for (std::size_t offset : offsets) entry(1, static_cast<std::uint32_t>(offset), 0);
  for (const auto& [stream, index] : in_object_stream)
    entry(2, static_cast<std::uint32_t>(stream), static_cast<std::uint16_t>(index));
  std::size_t xref_offset = out.size();
  entry(1, static_cast<std::uint32_t>(xref_offset), 0);
  out += std::to_string(xref_number) + " 0 obj\n<< /Type /XRef /Size " +
         std::to_string(xref_number + 1) + " /W [1 4 2] /Root 1 0 R /Length " +
         std::to_string(entries.size()) + " >>\nstream\n" + entries + "\nendstream\nendobj\n";
  out += "startxref\n" + std::to_string(xref_offset) + "\n%%EOF\n";
  return out;
}

std::string stream_object(int number, const std::string& dict, const std::string& data) {
  return std::to_string(number) + " 0 obj\n<< " + dict + " /Length " +
         std::to_string(data.size()) + " >>\nstream\n" + data + "\nendstream\nendobj\n";
}

TEST_F(BombsTest, HandMadeFileWithoutBombsIsNotABomb) {
  // The control for the two tests below: the same hand-made structure, nothing big.
  std::string bytes = hand_pdf({}, "");
  testing::write_bytes(dir_ / "plain.pdf", bytes);
  auto report = inspect_bounded(dir_ / "plain.pdf");
  EXPECT_EQ(find(report, "file.decompression_bomb"), nullptr) << to_text(std::vector{report});
  EXPECT_EQ(find(report, "file.unreadable"), nullptr) << to_text(std::vector{report});
  EXPECT_EQ(report.stats.pages, 1u);
}

TEST_F(BombsTest, ObjectStreamBombIsFoundBeforeQpdfInflatesIt) {
  // Object 5 lives in object stream 4, which inflates to 1 GiB: qpdf would hold it whole.
  std::string data = testing::deflate_zeros(kGiB, true);
  std::string bytes =
      hand_pdf({stream_object(4, "/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", data)},
               "/Resources 5 0 R", {{4, 0}});
  testing::write_bytes(dir_ / "objstm.pdf", bytes);
  auto report = inspect_bounded(dir_ / "objstm.pdf");
  const Finding* bomb = find(report, "file.decompression_bomb");
  ASSERT_NE(bomb, nullptr) << to_text(std::vector{report});
  EXPECT_EQ(bomb->location, "オブジェクト 4 0");
  EXPECT_NE(bomb->message.find("オブジェクトストリーム（オブジェクト 4 0）の展開後のサイズが上限 "
                               "64 MiB を超えます"),
            std::string::npos)
      << bomb->message;
}

TEST_F(BombsTest, CrossReferenceStreamBombIsFoundBeforeQpdfOpensTheFile) {
  std::string data = testing::deflate_zeros(kGiB, true);
  std::string bytes = "%PDF-1.5\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n";
  std::size_t offset = bytes.size();
  bytes += stream_object(2, "/Type /XRef /Size 3 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode",
                         data);
  bytes += "startxref\n" + std::to_string(offset) + "\n%%EOF\n";
  testing::write_bytes(dir_ / "xref.pdf", bytes);
  auto report = inspect_bounded(dir_ / "xref.pdf");
  const Finding* bomb = find(report, "file.decompression_bomb");
  ASSERT_NE(bomb, nullptr) << to_text(std::vector{report});
  EXPECT_EQ(bomb->location, "相互参照ストリーム");
  EXPECT_NE(bomb->message.find("相互参照ストリームの展開後のサイズが上限 64 MiB を超えます"),
            std::string::npos)
      << bomb->message;
}

// ---------------------------------------------------------------- ZIP (OOXML)

// A DOCX whose package also holds `extra` (written byte by byte, headers as given).
fs::path docx_with(const fs::path& dir, const std::string& name, std::vector<RawEntry> extra) {
  std::vector<RawEntry> entries = testing::stored_entries(testing::minimal_docx());
  for (auto& entry : extra) entries.push_back(std::move(entry));
  fs::path path = dir / name;
  testing::write_raw_zip(path, entries);
  return path;
}

RawEntry zeros_entry(const std::string& name, std::uint64_t size, std::uint64_t declared) {
  RawEntry entry;
  entry.name = name;
  entry.data = testing::deflate_zeros(size, false);
  entry.deflated = true;
  entry.crc = testing::crc32_zeros(size);
  entry.size = declared;
  return entry;
}

TEST_F(BombsTest, ZipEntryDeclaringTwoGibibytesIsRefusedWithoutInflating) {
  fs::path path = docx_with(dir_, "declared.docx", {zeros_entry("word/media/zeros.bin", 2 * kGiB,
                                                                2 * kGiB)});
  EXPECT_LT(fs::file_size(path), 3 * kMiB);
  auto report = inspect_bounded(path);
  const Finding* bomb = find(report, "file.zip_bomb");
  ASSERT_NE(bomb, nullptr) << to_text(std::vector{report});
  EXPECT_EQ(bomb->location, "/word/media/zeros.bin");
  EXPECT_EQ(bomb->message,
            "圧縮爆弾の疑いがあるため展開を中止しました: 部品 word/media/zeros.bin は展開すると "
            "2 GiB になると宣言されています（上限 256 MiB）");
}

TEST_F(BombsTest, ZipEntryLyingAboutItsSizeIsStoppedWhileInflating) {
  // The headers say 1,000 bytes; the data inflates to 2 GiB.
  fs::path path =
      docx_with(dir_, "lying.docx", {zeros_entry("word/media/zeros.bin", 2 * kGiB, 1000)});
  auto report = inspect_bounded(path);
  const Finding* bomb = find(report, "file.zip_bomb");
  ASSERT_NE(bomb, nullptr) << to_text(std::vector{report});
  // Stopped at 100 times the file's size (about 200 MiB), long before 2 GiB.
  EXPECT_TRUE(bomb->message.starts_with(
      "圧縮爆弾の疑いがあるため展開を中止しました: 展開後の合計がファイルの 100 倍（"))
      << bomb->message;
}

TEST_F(BombsTest, ZipEntriesDeclaringMoreThanOneGibibyteTogetherAreRefused) {
  std::vector<RawEntry> extra;
  for (int i = 0; i < 5; ++i)
    extra.push_back(zeros_entry("word/media/part" + std::to_string(i) + ".bin", 250 * kMiB,
                                250 * kMiB));
  // Each under the entry limit; their sum is what trips, before any is inflated.
  auto report = inspect_bounded(docx_with(dir_, "sum.docx", std::move(extra)));
  const Finding* bomb = find(report, "file.zip_bomb");
  ASSERT_NE(bomb, nullptr) << to_text(std::vector{report});
  EXPECT_EQ(bomb->message,
            "圧縮爆弾の疑いがあるため展開を中止しました: 展開後の合計が 1250 MiB "
            "になると宣言されています（上限 1 GiB）");
}

TEST_F(BombsTest, TooManyEntriesAreRefused) {
  std::vector<RawEntry> extra;
  for (std::size_t i = 0; i <= kMaxZipEntries; ++i)
    extra.push_back(testing::stored_entry("word/media/p" + std::to_string(i) + ".bin", "x"));
  auto report = inspect_bounded(docx_with(dir_, "many.docx", std::move(extra)));
  const Finding* bomb = find(report, "file.zip_bomb");
  ASSERT_NE(bomb, nullptr) << to_text(std::vector{report});
  EXPECT_NE(bomb->message.find("（上限 1000 個）"), std::string::npos) << bomb->message;
}

// A ZIP (as bytes) holding `entries`.
std::string zip_bytes(const fs::path& dir, const std::vector<RawEntry>& entries) {
  fs::path path = dir / "nested.zip";
  testing::write_raw_zip(path, entries);
  std::string bytes = testing::read_bytes(path);
  fs::remove(path);
  return bytes;
}

TEST_F(BombsTest, NestedArchivesAreLookedIntoAndLimitedInDepth) {
  // One level (an embedded workbook is a ZIP in the package): looked into, fine when small.
  std::string level2 = zip_bytes(dir_, {testing::stored_entry("a.txt", "hello")});
  auto fine = inspect_bounded(
      docx_with(dir_, "one.docx", {testing::stored_entry("word/embeddings/one.zip", level2)}));
  EXPECT_EQ(find(fine, "file.zip_bomb"), nullptr) << to_text(std::vector{fine});

  // A bomb inside the nested ZIP is found, though the package's own entries are small.
  std::string inner_bomb = zip_bytes(dir_, {zeros_entry("zeros.bin", 2 * kGiB, 2 * kGiB)});
  auto inner = inspect_bounded(
      docx_with(dir_, "inner.docx", {testing::stored_entry("word/embeddings/x.zip", inner_bomb)}));
  const Finding* bomb = find(inner, "file.zip_bomb");
  ASSERT_NE(bomb, nullptr) << to_text(std::vector{inner});
  EXPECT_EQ(bomb->location, "/word/embeddings/x.zip");
  EXPECT_NE(bomb->message.find("word/embeddings/x.zip の中: 部品 zeros.bin は展開すると 2 GiB"),
            std::string::npos)
      << bomb->message;

  // Two levels inside the package (an embedded package holding a ZIP) are looked into too...
  std::string level1 = zip_bytes(dir_, {testing::stored_entry("l1.zip", level2)});
  auto two = inspect_bounded(
      docx_with(dir_, "two.docx", {testing::stored_entry("word/embeddings/two.zip", level1)}));
  EXPECT_EQ(find(two, "file.zip_bomb"), nullptr) << to_text(std::vector{two});

  // ...a third (42.zip style, or a ZIP quine that contains itself forever) is refused.
  std::string level0 = zip_bytes(dir_, {testing::stored_entry("l0.zip", level1)});
  auto deep = inspect_bounded(
      docx_with(dir_, "deep.docx", {testing::stored_entry("word/embeddings/deep.zip", level0)}));
  bomb = find(deep, "file.zip_bomb");
  ASSERT_NE(bomb, nullptr) << to_text(std::vector{deep});
  EXPECT_EQ(bomb->message,
            "圧縮爆弾の疑いがあるため展開を中止しました: word/embeddings/deep.zip の中: "
            "l0.zip の中: ZIP の中の ZIP が 2 段を超えて入れ子になっています（l1.zip）");
}

TEST_F(BombsTest, EntriesOfNestedArchivesCountAgainstTheLimit) {
  // 997 entries inside a ZIP inside a package of 4: each archive is under 1,000, together over.
  std::vector<RawEntry> many;
  for (int i = 0; i < 997; ++i) many.push_back(testing::stored_entry(std::to_string(i), "x"));
  std::string inner = zip_bytes(dir_, many);
  auto report = inspect_bounded(
      docx_with(dir_, "many.docx", {testing::stored_entry("word/embeddings/many.zip", inner)}));
  const Finding* bomb = find(report, "file.zip_bomb");
  ASSERT_NE(bomb, nullptr) << to_text(std::vector{report});
  EXPECT_EQ(bomb->message,
            "圧縮爆弾の疑いがあるため展開を中止しました: 中の ZIP を含めると部品が 1000 "
            "個を超えます（word/embeddings/many.zip）");
  // The same entries spread so that the total stays under the limit are fine.
  many.resize(900);
  auto fine = inspect_bounded(docx_with(
      dir_, "fine.docx", {testing::stored_entry("word/embeddings/some.zip", zip_bytes(dir_, many))}));
  EXPECT_EQ(find(fine, "file.zip_bomb"), nullptr) << to_text(std::vector{fine});
}

// ---------------------------------------------------------------- XML entities

const char* kBillionLaughs =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE lolz [\n"
    " <!ENTITY lol \"lol\">\n"
    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
    "]>\n"
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>";

TEST_F(BombsTest, PugixmlNeverExpandsEntities) {
  // Parsed directly (the cleaner does this to rewrite a part without its DTD): the reference
  // stays a literal, 3 * 10^9 bytes are never made.
  auto document = parse_xml(kBillionLaughs);
  ASSERT_OK(document);
  std::string text = (*document)
                         ->document_element()
                         .child("w:body")
                         .child("w:p")
                         .child("w:r")
                         .child_value("w:t");
  EXPECT_EQ(text, "&lol9;");
  XmlScan scan = scan_xml(kBillionLaughs);
  EXPECT_TRUE(scan.doctype);
  EXPECT_TRUE(scan.entity);
}

TEST_F(BombsTest, BillionLaughsPartIsUnsafeXmlAndNeverExpanded) {
  // Small enough that the ZIP limits do not trip: only the XML check stands in the way.
  Parts parts = testing::minimal_docx();
  parts["word/document.xml"] = kBillionLaughs;
  testing::write_zip(dir_ / "laughs.docx", parts);
  auto report = inspect_bounded(dir_ / "laughs.docx");
  const Finding* unsafe = find(report, "ooxml.unsafe_xml");
  ASSERT_NE(unsafe, nullptr) << to_text(std::vector{report});
  EXPECT_EQ(unsafe->message,
            "危険な XML 構造（DTD・実体宣言・外部スキーマ）があります: "
            "DTD、実体宣言（/word/document.xml）");
  EXPECT_EQ(find(report, "file.zip_bomb"), nullptr);
  EXPECT_LT(report.stats.chars, 100u);  // nothing expanded into the text either
}

}  // namespace
}  // namespace kakehashi::inspect
