// Issue 23 (inspector and cleaner on real-world documents): each class of defect reproduced
// with fixtures made here, the way third-party producers write them.
#include <gtest/gtest.h>

#include <algorithm>
#include <zip.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <thread>
#include <map>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFWriter.hh>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "inspect/cleaner.h"
#include "inspect/inspector.h"
#include "inspect/package.h"
#include "support/result.h"
#include "support/temp_dir.h"
#include "unit/inspect/fixtures.h"

namespace kakehashi::inspect {
namespace {

namespace fs = std::filesystem;
using testing::Parts;

const Finding* find(const FileReport& report, std::string_view code) {
  for (const auto& finding : report.findings) {
    if (finding.code == code) return &finding;
  }
  return nullptr;
}

FileReport inspect(const fs::path& path) {
  auto report = inspect_file(path.string(), {});
  EXPECT_TRUE(report.has_value()) << path;
  return report ? *report : FileReport{};
}

// ---------------------------------------------------------------- item 4: PDF revisions

// A PDF written object by object, with the offsets a cross-reference section needs.
class HandPdf {
 public:
  HandPdf() { bytes_ = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"; }
  std::size_t object(int number, const std::string& body) {
    std::size_t at = bytes_.size();
    offsets_[number] = at;
    bytes_ += std::to_string(number) + " 0 obj\n" + body + "\nendobj\n";
    return at;
  }
  static std::string stream(const std::string& dict_extra, const std::string& data) {
    return "<< /Length " + std::to_string(data.size()) + dict_extra + " >>\nstream\n" + data +
           "\nendstream";
  }
  // A classic table of the objects written since the last call; returns its offset.
  std::size_t table(const std::string& trailer_extra, bool with_zero = true) {
    std::size_t at = bytes_.size();
    bytes_ += "xref\n";
    if (with_zero) bytes_ += "0 1\n0000000000 65535 f \n";
    for (const auto& [number, offset] : offsets_) {
      char entry[40];
      std::snprintf(entry, sizeof entry, "%d 1\n%010zu 00000 n \n", number, offset);
      bytes_ += entry;
    }
    offsets_.clear();
    trailer(at, trailer_extra);
    return at;
  }
  void trailer(std::size_t xref_at, const std::string& extra) {
    bytes_ += "trailer\n<< /Size 20 /Root 1 0 R" + extra + " >>\nstartxref\n" +
              std::to_string(xref_at) + "\n%%EOF\n";
  }
  std::string& bytes() { return bytes_; }
  std::map<int, std::size_t>& offsets() { return offsets_; }

 private:
  std::string bytes_;
  std::map<int, std::size_t> offsets_;
};

void one_page(HandPdf& pdf) {
  pdf.object(1, "<< /Type /Catalog /Pages 2 0 R >>");
  pdf.object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  pdf.object(3,
             "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents 4 0 R "
             "/Resources << /Font << /F1 5 0 R >> >> >>");
  pdf.object(4, HandPdf::stream("", "BT /F1 12 Tf 20 150 Td (Public report 2026) Tj ET"));
  pdf.object(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  // An uncompressed font program and CMap carry "%%EOF" of their own (PostScript).
  pdf.object(6, HandPdf::stream("", "%!PS-AdobeFont-1.0: Demo\ncurrentfile eexec\n%%EOF\n"));
  pdf.object(7, HandPdf::stream("", "%!PS-Adobe-3.0 Resource-CMap\nendcmap\n%%EOF\n"));
}

// What Word and PowerPoint write: the body, a cross-reference stream for the objects newer
// readers see, a classic table, then a final empty section `xref 0 0` whose /XRefStm names
// that stream.
std::string word_like_pdf() {
  HandPdf pdf;
  one_page(pdf);
  std::size_t stream_at = pdf.bytes().size();
  std::string row = std::string("\x01", 1) + static_cast<char>((stream_at >> 8) & 0xff) +
                    static_cast<char>(stream_at & 0xff) + std::string("\x00", 1);
  pdf.object(8, HandPdf::stream(" /Type /XRef /W [1 2 1] /Index [8 1] /Size 20", row));
  std::size_t first = pdf.table("");
  std::size_t tail = pdf.bytes().size();
  pdf.bytes() += "xref\n0 0\n";
  pdf.trailer(tail, " /Prev " + std::to_string(first) + " /XRefStm " + std::to_string(stream_at));
  return pdf.bytes();
}

// Appends an incremental update that changes object 4 (the page's text).
std::string updated(std::string bytes) {
  std::size_t at = bytes.rfind("startxref");
  std::size_t previous = std::stoul(bytes.substr(at + 10));
  HandPdf update;
  update.bytes() = bytes;
  update.object(4, HandPdf::stream("", "BT /F1 12 Tf 20 150 Td (Revised report 2026) Tj ET"));
  update.table(" /Prev " + std::to_string(previous));
  return update.bytes();
}

class RevisionsTest : public ::testing::Test {
 protected:
  ::kakehashi::testing::TempDir temp_;
  fs::path dir_ = temp_.path();
};

TEST_F(RevisionsTest, WordsFinalEmptySectionAndEofInStreamsAreNoRevision) {
  fs::path path = dir_ / "word.pdf";
  testing::write_bytes(path, word_like_pdf());
  FileReport report = inspect(path);
  EXPECT_EQ(find(report, "file.unreadable"), nullptr) << to_text(std::vector{report});
  EXPECT_EQ(find(report, "pdf.incremental_update"), nullptr) << to_text(std::vector{report});
  EXPECT_EQ(report.stats.pages, 1u);
}

TEST_F(RevisionsTest, AnUpdateThatChangesAnObjectIsOneRevision) {
  fs::path path = dir_ / "updated.pdf";
  testing::write_bytes(path, updated(word_like_pdf()));
  FileReport report = inspect(path);
  const Finding* update = find(report, "pdf.incremental_update");
  ASSERT_NE(update, nullptr) << to_text(std::vector{report});
  EXPECT_EQ(update->message, "追記保存により以前の版が復元できます（追記 1 回）");
}

TEST_F(RevisionsTest, LinearizedFileUpdatedOnceIsOneRevision) {
  fs::path plain = dir_ / "plain.pdf";
  testing::write_pdf(plain);
  fs::path linear = dir_ / "linear.pdf";
  {
    QPDF pdf;
    pdf.processFile(plain.string().c_str());
    QPDFWriter writer(pdf, linear.string().c_str());
    writer.setLinearization(true);
    writer.setStaticID(true);
    writer.write();
  }
  FileReport clean = inspect(linear);
  EXPECT_EQ(find(clean, "pdf.incremental_update"), nullptr) << to_text(std::vector{clean});

  fs::path path = dir_ / "linear-updated.pdf";
  testing::write_bytes(path, updated(testing::read_bytes(linear)));
  FileReport report = inspect(path);
  const Finding* update = find(report, "pdf.incremental_update");
  ASSERT_NE(update, nullptr) << to_text(std::vector{report});
  EXPECT_EQ(update->message, "追記保存により以前の版が復元できます（追記 1 回）");
}

TEST_F(RevisionsTest, TwoUpdatesAreTwoRevisions) {
  fs::path path = dir_ / "twice.pdf";
  testing::write_bytes(path, updated(updated(word_like_pdf())));
  FileReport report = inspect(path);
  const Finding* update = find(report, "pdf.incremental_update");
  ASSERT_NE(update, nullptr);
  EXPECT_EQ(update->message, "追記保存により以前の版が復元できます（追記 2 回）");
}

// ---------------------------------------------------------------- item 5: ZIP bombs

// Bytes that do not compress (an embedded PDF, a photo).
std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 random(seed);
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(random() & 0xff);
  return out;
}

// An EMF preview: a header and long runs of the same records, which deflate a few hundred times.
std::string emf_like(std::size_t n) {
  std::string record = std::string("\x01\x00\x00\x00\x6c\x00\x00\x00", 8) + std::string(100, '\0');
  std::string out;
  while (out.size() < n) out += record;
  return out;
}

class ZipBombTest : public ::testing::Test {
 protected:
  ::kakehashi::testing::TempDir temp_;
  fs::path dir_ = temp_.path();
};

TEST_F(ZipBombTest, EmbeddedPdfWithAnEmfPreviewIsNoBomb) {
  Parts parts = testing::minimal_docx();
  parts["word/media/image1.emf"] = emf_like(6 << 20);  // 6 MiB, deflates ~500 times
  parts["word/embeddings/report.pdf"] = random_bytes(300 << 10, 7);
  testing::add_relationship(parts, "word/_rels/document.xml.rels", "rId8",
                            testing::rel_type("image"), "media/image1.emf");
  testing::add_relationship(parts, "word/_rels/document.xml.rels", "rId9",
                            testing::rel_type("oleObject"), "embeddings/report.pdf");
  fs::path path = dir_ / "preview.docx";
  testing::write_zip(path, parts);
  FileReport report = inspect(path);
  EXPECT_EQ(find(report, "file.zip_bomb"), nullptr) << to_text(std::vector{report});
  EXPECT_NE(find(report, "ooxml.embedded_object"), nullptr) << to_text(std::vector{report});
  // ...and so it can be cleaned.
  ASSERT_OK(clean_file(path.string(), (dir_ / "out.docx").string(), {}));
}

TEST_F(ZipBombTest, TotalRatioPastTheGraceIsABomb) {
  // 48 MiB of zeros in a file of about 50 KiB: more than 100 times the file and past 32 MiB.
  Parts parts = testing::minimal_docx();
  parts["word/media/zeros.bin"] = std::string(48 << 20, '\0');
  fs::path path = dir_ / "zeros.docx";
  testing::write_zip(path, parts);
  FileReport report = inspect(path);
  const Finding* bomb = find(report, "file.zip_bomb");
  ASSERT_NE(bomb, nullptr) << to_text(std::vector{report});
  EXPECT_NE(bomb->message.find("になると宣言されています（ファイルの 100 倍、32 MiB を超えます）"),
            std::string::npos)
      << bomb->message;
}

// ---------------------------------------------------------------- item 6: smaller false alarms

// The content-type schema SharePoint stores in every document of a library.
const char* kSharePointSchema =
    "<?xml version=\"1.0\"?>"
    "<ct:contentTypeSchema xmlns:ct=\"http://schemas.microsoft.com/office/2006/metadata/"
    "contentType\" xmlns:ma=\"http://schemas.microsoft.com/office/2006/metadata/properties/"
    "metaAttributes\" ct:_=\"\" ma:_=\"\" ma:contentTypeName=\"Document\">"
    "<xsd:schema targetNamespace=\"http://schemas.openxmlformats.org/package/2006/metadata/"
    "core-properties\" elementFormDefault=\"qualified\" "
    "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
    "xmlns:dcterms=\"http://purl.org/dc/terms/\">"
    "<xsd:import namespace=\"http://purl.org/dc/elements/1.1/\" "
    "schemaLocation=\"http://dublincore.org/schemas/xmls/qdc/2003/04/02/dc.xsd\"/>"
    "<xsd:import namespace=\"http://purl.org/dc/terms/\" "
    "schemaLocation=\"http://dublincore.org/schemas/xmls/qdc/2003/04/02/dcterms.xsd\"/>"
    "<xsd:element name=\"coreProperties\" type=\"CT_coreProperties\"/>"
    "</xsd:schema></ct:contentTypeSchema>";

Parts with_custom_xml(const std::string& xml) {
  Parts parts = testing::minimal_docx();
  parts["customXml/item1.xml"] = xml;
  testing::add_relationship(parts, "word/_rels/document.xml.rels", "rId7",
                            testing::rel_type("customXml"), "../customXml/item1.xml");
  return parts;
}

TEST(FalseAlarmTest, SharePointDublinCoreImportIsNotUnsafeXml) {
  ::kakehashi::testing::TempDir temp;
  fs::path path = temp.path() / "sharepoint.docx";
  testing::write_zip(path, with_custom_xml(kSharePointSchema));
  FileReport report = inspect(path);
  EXPECT_EQ(find(report, "ooxml.unsafe_xml"), nullptr) << to_text(std::vector{report});
  EXPECT_NE(find(report, "ooxml.custom_xml"), nullptr) << to_text(std::vector{report});

  // The same import from any other address, or an include of Dublin Core, still is.
  for (std::string hostile :
       {std::string("schemaLocation=\"http://169.254.169.254/dc.xsd\""),
        std::string("schemaLocation=\"http://dublincore.org.evil.example/schemas/xmls/dc.xsd\"")}) {
    std::string xml = kSharePointSchema;
    std::string standard = "schemaLocation=\"http://dublincore.org/schemas/xmls/qdc/2003/04/02/dc.xsd\"";
    xml.replace(xml.find(standard), standard.size(), hostile);
    testing::write_zip(path, with_custom_xml(xml));
    EXPECT_NE(find(inspect(path), "ooxml.unsafe_xml"), nullptr) << hostile;
  }
  std::string include = kSharePointSchema;
  include.replace(include.find("<xsd:import"), 11, "<xsd:include");
  testing::write_zip(path, with_custom_xml(include));
  EXPECT_NE(find(inspect(path), "ooxml.unsafe_xml"), nullptr);
}

TEST(FalseAlarmTest, MacroEnabledPresentationWithoutVbaProjectIsNoMacro) {
  ::kakehashi::testing::TempDir temp;
  Parts parts = testing::minimal_pptx();
  std::string& types = parts["[Content_Types].xml"];
  const std::string plain =
      "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml";
  types.replace(types.find(plain), plain.size(),
                "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml");
  fs::path path = temp.path() / "no-vba.pptm";
  testing::write_zip(path, parts);
  FileReport report = inspect(path);
  EXPECT_EQ(report.type, FileType::kPptx);
  EXPECT_EQ(find(report, "ooxml.macro"), nullptr) << to_text(std::vector{report});

  // With the VBA project it is one, naming the project and the macro-enabled type.
  parts["ppt/vbaProject.bin"] = "VBA";
  testing::add_relationship(parts, "ppt/_rels/presentation.xml.rels", "rId9",
                            testing::rel_type("vbaProject"), "vbaProject.bin");
  testing::write_zip(path, parts);
  FileReport with_vba = inspect(path);
  int macros = 0;
  for (const auto& finding : with_vba.findings) macros += finding.code == "ooxml.macro";
  EXPECT_EQ(macros, 2) << to_text(std::vector{with_vba});
}

// ---------------------------------------------------------------- item 2: author in XMP

std::string xmp_packet(const std::string& description) {
  return "<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"
         "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF "
         "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
         "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
         "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" "
         "xmlns:xmpRights=\"http://ns.adobe.com/xap/1.0/rights/\"" +
         description + "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>";
}

QPDFObjectHandle metadata_stream(QPDF& q, const std::string& xml) {
  auto xmp = QPDFObjectHandle::newStream(&q, xml);
  xmp.getDict().replaceKey("/Type", QPDFObjectHandle::newName("/Metadata"));
  xmp.getDict().replaceKey("/Subtype", QPDFObjectHandle::newName("/XML"));
  return xmp;
}

// A PDF with an empty Info dictionary and `xml` as the catalog's XMP.
fs::path pdf_with_xmp(const fs::path& dir, const std::string& name, const std::string& xml) {
  fs::path path = dir / name;
  testing::write_pdf(path, [&](QPDF& q, QPDFObjectHandle) {
    q.getTrailer().replaceKey("/Info", q.makeIndirectObject(QPDFObjectHandle::newDictionary()));
    q.getRoot().replaceKey("/Metadata", metadata_stream(q, xml));
  });
  return path;
}

class XmpTest : public ::testing::Test {
 protected:
  ::kakehashi::testing::TempDir temp_;
  fs::path dir_ = temp_.path();
};

TEST_F(XmpTest, CreatorOnlyInXmpIsAnError) {
  FileReport report = inspect(pdf_with_xmp(
      dir_, "creator.pdf",
      xmp_packet("><dc:creator><rdf:Seq><rdf:li>山田 太郎</rdf:li></rdf:Seq></dc:creator>"
                 "<xmp:CreatorTool>Microsoft® Word 2019</xmp:CreatorTool>")));
  const Finding* xmp = find(report, "pdf.xmp_metadata");
  ASSERT_NE(xmp, nullptr) << to_text(std::vector{report});
  EXPECT_EQ(xmp->severity, Severity::kError);
  EXPECT_EQ(xmp->location, "文書");
  EXPECT_EQ(xmp->message,
            "XMP メタデータが埋め込まれています（作成者などの項目: dc:creator）");
  EXPECT_TRUE(report.has_error());
}

TEST_F(XmpTest, CreatorToolNamingAPersonAndMailtoAreErrors) {
  // Written as attributes, as many producers do.
  FileReport report = inspect(pdf_with_xmp(
      dir_, "tool.pdf",
      xmp_packet(" xmp:CreatorTool=\"Taro Yamada\" "
                 "xmpRights:WebStatement=\"mailto:taro.yamada@example.jp\">")));
  const Finding* xmp = find(report, "pdf.xmp_metadata");
  ASSERT_NE(xmp, nullptr) << to_text(std::vector{report});
  EXPECT_EQ(xmp->severity, Severity::kError);
  EXPECT_EQ(xmp->message,
            "XMP メタデータが埋め込まれています（作成者などの項目: xmp:CreatorTool、"
            "xmpRights:WebStatement）");
  const Finding* email = find(report, "pii.email");
  ASSERT_NE(email, nullptr) << to_text(std::vector{report});
  EXPECT_EQ(email->severity, Severity::kError);

  // A program's name stays a warning.
  FileReport tool = inspect(pdf_with_xmp(
      dir_, "word.pdf", xmp_packet(" xmp:CreatorTool=\"Microsoft Word\" pdf:Producer=\"x\">")));
  ASSERT_NE(find(tool, "pdf.xmp_metadata"), nullptr);
  EXPECT_EQ(find(tool, "pdf.xmp_metadata")->severity, Severity::kWarning);
  EXPECT_FALSE(tool.has_error()) << to_text(std::vector{tool});
}

TEST_F(XmpTest, MetadataOnAnImageIsReadAndCleaned) {
  fs::path path = dir_ / "image.pdf";
  testing::write_pdf(path, [&](QPDF& q, QPDFObjectHandle page) {
    auto image = QPDFObjectHandle::newStream(&q, std::string(3, '\x80'));
    image.getDict().replaceKey(
        "/Type", QPDFObjectHandle::newName("/XObject"));
    image.getDict().replaceKey("/Subtype", QPDFObjectHandle::newName("/Image"));
    image.getDict().replaceKey("/Width", QPDFObjectHandle::newInteger(1));
    image.getDict().replaceKey("/Height", QPDFObjectHandle::newInteger(1));
    image.getDict().replaceKey("/ColorSpace", QPDFObjectHandle::newName("/DeviceRGB"));
    image.getDict().replaceKey("/BitsPerComponent", QPDFObjectHandle::newInteger(8));
    image.getDict().replaceKey(
        "/Metadata",
        metadata_stream(q, xmp_packet("><dc:creator><rdf:Seq><rdf:li>Hanako Sato</rdf:li>"
                                      "</rdf:Seq></dc:creator>")));
    page.getKey("/Resources").replaceKey(
        "/XObject", QPDFObjectHandle::newDictionary({{"/Im1", image}}));
  });
  FileReport report = inspect(path);
  const Finding* xmp = find(report, "pdf.xmp_metadata");
  ASSERT_NE(xmp, nullptr) << to_text(std::vector{report});
  EXPECT_EQ(xmp->severity, Severity::kError);
  EXPECT_TRUE(xmp->location.starts_with("オブジェクト ")) << xmp->location;

  fs::path out = dir_ / "image-clean.pdf";
  ASSERT_OK(clean_file(path.string(), out.string(), {}));
  FileReport cleaned = inspect(out);
  EXPECT_EQ(find(cleaned, "pdf.xmp_metadata"), nullptr) << to_text(std::vector{cleaned});
  EXPECT_EQ(testing::read_bytes(out).find("Hanako"), std::string::npos);
}

TEST_F(XmpTest, InfoValuesThatAreArraysOrDictionariesAreRead) {
  fs::path path = dir_ / "array.pdf";
  testing::write_pdf(path, [&](QPDF& q, QPDFObjectHandle) {
    q.getTrailer().replaceKey(
        "/Info", q.makeIndirectObject(QPDFObjectHandle::parse(
                     "<< /Author [ (Taro Yamada) (taro@example.jp) ] "
                     "/Producer << /Name (Print Shop) >> >>")));
  });
  FileReport report = inspect(path);
  const Finding* info = find(report, "pdf.info_metadata");
  ASSERT_NE(info, nullptr) << to_text(std::vector{report});
  EXPECT_EQ(info->severity, Severity::kError);
  EXPECT_EQ(info->message, "文書情報に次の項目が設定されています: Author、Producer");
  EXPECT_NE(find(report, "pii.email"), nullptr) << to_text(std::vector{report});
}

// ---------------------------------------------------------------- item 3: OpenDocument

const char* kOdfNamespaces =
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
    "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
    "xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" "
    "xmlns:presentation=\"urn:oasis:names:tc:opendocument:xmlns:presentation:1.0\" "
    "xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" "
    "xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
    "xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" "
    "xmlns:config=\"urn:oasis:names:tc:opendocument:xmlns:config:1.0\" "
    "xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" office:version=\"1.3\"";

// An OpenDocument package as LibreOffice writes it: mimetype, manifest, meta, settings, styles
// and `content` (the children of office:document-content).
Parts odf(const std::string& kind, const std::string& content, const std::string& meta) {
  std::string ns = kOdfNamespaces;
  Parts parts;
  parts["mimetype"] = "application/vnd.oasis.opendocument." + kind;
  parts["META-INF/manifest.xml"] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest " + ns +
      "><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"" +
      parts["mimetype"] +
      "\"/><manifest:file-entry manifest:full-path=\"content.xml\" "
      "manifest:media-type=\"text/xml\"/><manifest:file-entry "
      "manifest:full-path=\"Object 1/\" manifest:media-type=\"application/"
      "vnd.oasis.opendocument.chart\"/><manifest:file-entry manifest:full-path=\"Object "
      "1/content.xml\" manifest:media-type=\"text/xml\"/><manifest:file-entry "
      "manifest:full-path=\"Thumbnails/thumbnail.png\" manifest:media-type=\"image/png\"/>"
      "</manifest:manifest>";
  parts["meta.xml"] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-meta " + ns +
                      "><office:meta><meta:generator>LibreOffice/7.4</meta:generator>" + meta +
                      "</office:meta></office:document-meta>";
  parts["settings.xml"] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-settings " + ns +
      "><office:settings><config:config-item-set config:name=\"ooo:configuration-settings\">"
      "<config:config-item config:name=\"PrinterName\" config:type=\"string\">総務課 "
      "複合機</config:config-item></config:config-item-set></office:settings>"
      "</office:document-settings>";
  parts["styles.xml"] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-styles " +
                        ns + "><office:styles/></office:document-styles>";
  parts["content.xml"] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content " +
                         ns + ">" + content + "</office:document-content>";
  parts["Thumbnails/thumbnail.png"] = "\x89PNG\r\n\x1a\n";
  return parts;
}

const char* kPersonMeta =
    "<meta:initial-creator>山田 太郎</meta:initial-creator><dc:creator>佐藤 花子</dc:creator>"
    "<meta:creation-date>2026-04-01T09:00:00</meta:creation-date>";

std::string odt_content() {
  return "<office:automatic-styles><style:style style:name=\"T1\" style:family=\"text\">"
         "<style:text-properties text:display=\"none\"/></style:style></office:automatic-styles>"
         "<office:body><office:text>"
         "<text:tracked-changes text:track-changes=\"true\"><text:changed-region text:id=\"ct1\">"
         "<text:deletion><office:change-info><dc:creator>佐藤 花子</dc:creator></office:change-info>"
         "<text:p>旧予算 500 万円</text:p></text:deletion></text:changed-region>"
         "</text:tracked-changes>"
         "<text:p>報告書<text:change text:change-id=\"ct1\"/></text:p>"
         "<text:p>担当<office:annotation><dc:creator>佐藤 花子</dc:creator><text:p>要確認"
         "</text:p></office:annotation>です</text:p>"
         "<text:p><text:span text:style-name=\"T1\">内部メモ</text:span>公開部分</text:p>"
         "<text:p><text:hidden-paragraph text:condition=\"ooow:1\" text:is-hidden=\"true\"/>"
         "非公開段落</text:p>"
         "<text:p><draw:frame draw:name=\"Object1\"><draw:object xlink:href=\"./Object 1\"/>"
         "<draw:image xlink:href=\"./ObjectReplacements/Object 1\"/></draw:frame></text:p>"
         "<text:p>連絡先 03-1234-5678</text:p>"
         "</office:text></office:body>";
}

class OdfTest : public ::testing::Test {
 protected:
  fs::path write(const std::string& name, const Parts& parts) {
    fs::path path = dir_ / name;
    testing::write_zip(path, parts);
    return path;
  }
  static std::set<std::string> codes(const FileReport& report) {
    std::set<std::string> out;
    for (const auto& finding : report.findings) out.insert(finding.code);
    return out;
  }
  ::kakehashi::testing::TempDir temp_;
  fs::path dir_ = temp_.path();
};

TEST_F(OdfTest, TextDocumentIsInspectedLikeDocx) {
  Parts parts = odf("text", odt_content(), kPersonMeta);
  parts["Object 1/content.xml"] = "<?xml version=\"1.0\"?><office:document-content/>";
  parts["ObjectReplacements/Object 1"] = "preview";
  FileReport report = inspect(write("report.odt", parts));
  EXPECT_EQ(report.type, FileType::kOdt);
  std::set<std::string> found = codes(report);
  for (const char* code :
       {"ooxml.core_properties", "docx.tracked_change", "docx.track_changes_on", "ooxml.comments",
        "docx.hidden_text", "ooxml.embedded_object", "ooxml.thumbnail", "ooxml.printer_settings",
        "pii.phone"})
    EXPECT_TRUE(found.contains(code)) << code << "\n" << to_text(std::vector{report});
  EXPECT_FALSE(found.contains("file.unreadable")) << to_text(std::vector{report});
  const Finding* core = find(report, "ooxml.core_properties");
  EXPECT_EQ(core->severity, Severity::kError);
  EXPECT_EQ(core->message,
            "文書のプロパティに次の項目が設定されています: initial-creator、creator、creation-date");
  EXPECT_EQ(find(report, "docx.hidden_text")->message,
            "隠し文字があります: 2 箇所（本文 段落 3、本文 段落 4）");
  EXPECT_EQ(find(report, "pii.phone")->location, "本文 段落 6");

  // Cleaned like a DOCX: nothing hidden is left, the object's preview stays as a picture.
  fs::path out = dir_ / "report-clean.odt";
  auto cleaned = clean_file((dir_ / "report.odt").string(), out.string(), {});
  ASSERT_OK(cleaned);
  FileReport after = inspect(out);
  EXPECT_EQ(codes(after), (std::set<std::string>{"pii.phone"})) << to_text(std::vector{after});
  std::string content;
  {
    auto zip = ZipArchive::open(out.string());
    ASSERT_TRUE(zip.has_value());
    EXPECT_EQ(zip->entries().front().name, "mimetype");
    EXPECT_LT(zip->find("Object 1/content.xml"), 0);
    EXPECT_GE(zip->find("ObjectReplacements/Object 1"), 0);
    auto data = zip->read(static_cast<std::size_t>(zip->find("content.xml")));
    ASSERT_TRUE(data.has_value());
    content = *data;
  }
  EXPECT_NE(content.find("<draw:image xlink:href=\"./ObjectReplacements/Object 1\""),
            std::string::npos);
  EXPECT_EQ(content.find("内部メモ"), std::string::npos);
  EXPECT_EQ(content.find("旧予算"), std::string::npos);
  EXPECT_EQ(content.find("非公開段落"), std::string::npos);  // the paragraph a field hides
  EXPECT_NE(content.find("公開部分"), std::string::npos);
}

TEST_F(OdfTest, SpreadsheetHiddenSheetsRowsAndColumns) {
  std::string content =
      "<office:automatic-styles><style:style style:name=\"ta2\" style:family=\"table\">"
      "<style:table-properties table:display=\"false\"/></style:style></office:automatic-styles>"
      "<office:body><office:spreadsheet>"
      "<table:table table:name=\"集計\"><table:table-column table:number-columns-repeated=\"2\"/>"
      "<table:table-column table:visibility=\"collapse\" table:number-columns-repeated=\"2\"/>"
      "<table:table-row><table:table-cell><text:p>氏名</text:p></table:table-cell>"
      "</table:table-row><table:table-row table:visibility=\"collapse\" "
      "table:number-rows-repeated=\"3\"><table:table-cell><text:p>taro@example.jp</text:p>"
      "</table:table-cell></table:table-row></table:table>"
      "<table:table table:name=\"元データ\" table:style-name=\"ta2\"><table:table-row>"
      "<table:table-cell><text:p>x</text:p></table:table-cell></table:table-row></table:table>"
      "</office:spreadsheet></office:body>";
  FileReport report = inspect(write("book.ods", odf("spreadsheet", content, "")));
  EXPECT_EQ(report.type, FileType::kOds);
  EXPECT_EQ(report.stats.pages, 2u);
  ASSERT_NE(find(report, "xlsx.hidden_sheet"), nullptr) << to_text(std::vector{report});
  EXPECT_EQ(find(report, "xlsx.hidden_sheet")->location, "シート「元データ」");
  ASSERT_NE(find(report, "xlsx.hidden_row"), nullptr);
  EXPECT_EQ(find(report, "xlsx.hidden_row")->location, "シート「集計」 行 2-4");
  ASSERT_NE(find(report, "xlsx.hidden_column"), nullptr);
  EXPECT_EQ(find(report, "xlsx.hidden_column")->location, "シート「集計」 列 C:D");
  ASSERT_NE(find(report, "pii.email"), nullptr);
  EXPECT_EQ(find(report, "pii.email")->location, "シート「集計」 行 2");

  fs::path out = dir_ / "book-clean.ods";
  ASSERT_OK(clean_file((dir_ / "book.ods").string(), out.string(), {}));
  std::set<std::string> after = codes(inspect(out));
  EXPECT_FALSE(after.contains("xlsx.hidden_sheet"));
  EXPECT_FALSE(after.contains("xlsx.hidden_row"));
  EXPECT_FALSE(after.contains("xlsx.hidden_column"));
}

TEST_F(OdfTest, PresentationHiddenSlidesAndNotes) {
  std::string content =
      "<office:automatic-styles><style:style style:name=\"dp2\" style:family=\"drawing-page\">"
      "<style:drawing-page-properties presentation:visibility=\"hidden\"/></style:style>"
      "</office:automatic-styles><office:body><office:presentation>"
      "<draw:page draw:name=\"p1\"><draw:frame><draw:text-box><text:p>成果報告</text:p>"
      "</draw:text-box></draw:frame><presentation:notes><draw:frame presentation:class=\"notes\"><draw:text-box>"
      "<text:p>山田さんに確認</text:p></draw:text-box></draw:frame></presentation:notes>"
      "</draw:page><draw:page draw:name=\"p2\" draw:style-name=\"dp2\"/>"
      "</office:presentation></office:body>";
  FileReport report = inspect(write("slides.odp", odf("presentation", content, "")));
  EXPECT_EQ(report.type, FileType::kOdp);
  EXPECT_EQ(report.stats.pages, 2u);
  ASSERT_NE(find(report, "pptx.hidden_slide"), nullptr) << to_text(std::vector{report});
  EXPECT_EQ(find(report, "pptx.hidden_slide")->location, "スライド 2");
  ASSERT_NE(find(report, "pptx.speaker_notes"), nullptr);
  EXPECT_EQ(find(report, "pptx.speaker_notes")->location, "スライド 1");

  fs::path out = dir_ / "slides-clean.odp";
  ASSERT_OK(clean_file((dir_ / "slides.odp").string(), out.string(), {.delete_hidden = true}));
  FileReport after = inspect(out);
  EXPECT_EQ(after.stats.pages, 1u);
  EXPECT_EQ(find(after, "pptx.speaker_notes"), nullptr);
}

TEST_F(OdfTest, FolderListsEveryFileAndUnsupportedOnesAreErrors) {
  write("a.odt", odf("text", "<office:body><office:text><text:p>公開</text:p></office:text>"
                             "</office:body>", ""));
  testing::write_bytes(dir_ / "b.txt", "memo");
  auto files = collect_paths({dir_.string()});
  ASSERT_TRUE(files.has_value());
  ASSERT_EQ(files->size(), 2u);
  FileReport odt = inspect(files->at(0));
  EXPECT_EQ(odt.type, FileType::kOdt);
  EXPECT_FALSE(odt.has_error()) << to_text(std::vector{odt});
  FileReport txt = inspect(files->at(1));
  const Finding* unsupported = find(txt, "file.unsupported");
  ASSERT_NE(unsupported, nullptr);
  EXPECT_EQ(unsupported->severity, Severity::kError);
  EXPECT_TRUE(any_error({odt, txt}));
}

// ---------------------------------------------------------------- item 1: photo metadata

Parts docx_with_photo(const std::string& name, const std::string& image) {
  Parts parts = testing::minimal_docx();
  parts["word/media/" + name] = image;
  testing::add_relationship(parts, "word/_rels/document.xml.rels", "rId8",
                            testing::rel_type("image"), "media/" + name);
  return parts;
}

class PhotoTest : public ::testing::Test {
 protected:
  ::kakehashi::testing::TempDir temp_;
  fs::path dir_ = temp_.path();
};

TEST_F(PhotoTest, JpegInAWordFileReportsGpsPeopleAndCamera) {
  fs::path path = dir_ / "photo.docx";
  testing::write_zip(path, docx_with_photo("image1.jpeg", testing::photo_jpeg(true)));
  FileReport report = inspect(path);
  const Finding* gps = find(report, "image.gps");
  ASSERT_NE(gps, nullptr) << to_text(std::vector{report});
  EXPECT_EQ(gps->severity, Severity::kError);
  EXPECT_EQ(gps->location, "/word/media/image1.jpeg");
  const Finding* person = find(report, "image.person");
  ASSERT_NE(person, nullptr);
  EXPECT_EQ(person->severity, Severity::kError);
  EXPECT_EQ(person->message,
            "画像に撮影者・所有者などの名前が記録されています: Artist、XMP dc:creator、IPTC By-line");
  const Finding* camera = find(report, "image.camera");
  ASSERT_NE(camera, nullptr);
  EXPECT_EQ(camera->severity, Severity::kWarning);
  EXPECT_EQ(camera->message,
            "画像にカメラの情報（機種・製造番号など）が記録されています: Make、Model、"
            "BodySerialNumber");

  // Cleaned: the metadata segments go, the pixels' bytes stay as they are.
  fs::path out = dir_ / "photo-clean.docx";
  auto cleaned = clean_file(path.string(), out.string(), {});
  ASSERT_OK(cleaned);
  EXPECT_NE(std::find(cleaned->removed.begin(), cleaned->removed.end(),
                      "写真のメタデータ（撮影場所・撮影者・カメラ）"),
            cleaned->removed.end());
  FileReport after = inspect(out);
  EXPECT_EQ(find(after, "image.gps"), nullptr) << to_text(std::vector{after});
  EXPECT_EQ(find(after, "image.person"), nullptr);
  EXPECT_EQ(find(after, "image.camera"), nullptr);
  auto zip = ZipArchive::open(out.string());
  ASSERT_TRUE(zip.has_value());
  auto image = zip->read(static_cast<std::size_t>(zip->find("word/media/image1.jpeg")));
  ASSERT_TRUE(image.has_value());
  EXPECT_EQ(testing::jpeg_scan_data(*image), testing::jpeg_scan_data(testing::photo_jpeg(true)));
  EXPECT_EQ(*image, testing::photo_jpeg(false));  // JFIF, ICC profile and tables kept
  EXPECT_EQ(image->find("Taro"), std::string::npos);
}

TEST_F(PhotoTest, PhotoWithoutMetadataIsQuiet) {
  fs::path path = dir_ / "plain.docx";
  testing::write_zip(path, docx_with_photo("image1.jpeg", testing::photo_jpeg(false)));
  FileReport report = inspect(path);
  EXPECT_EQ(find(report, "image.gps"), nullptr);
  EXPECT_EQ(find(report, "image.person"), nullptr);
  EXPECT_EQ(find(report, "image.camera"), nullptr);
}

TEST_F(PhotoTest, JpegImageInAPdfIsReportedAndStripped) {
  fs::path path = dir_ / "photo.pdf";
  testing::write_pdf(path, [](QPDF& q, QPDFObjectHandle page) {
    auto image = testing::encoded_stream(
        q, testing::photo_jpeg(true), "/DCTDecode",
        "/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
        "/BitsPerComponent 8");
    page.getKey("/Resources")
        .replaceKey("/XObject", QPDFObjectHandle::newDictionary({{"/Im1", image}}));
  }, false, true);
  FileReport report = inspect(path);
  const Finding* gps = find(report, "image.gps");
  ASSERT_NE(gps, nullptr) << to_text(std::vector{report});
  EXPECT_TRUE(gps->location.starts_with("画像（オブジェクト ")) << gps->location;
  EXPECT_NE(find(report, "image.person"), nullptr);

  fs::path out = dir_ / "photo-clean.pdf";
  ASSERT_OK(clean_file(path.string(), out.string(), {}));
  FileReport after = inspect(out);
  EXPECT_EQ(find(after, "image.gps"), nullptr) << to_text(std::vector{after});
  EXPECT_EQ(find(after, "image.person"), nullptr);
  std::string bytes = testing::read_bytes(out);
  EXPECT_EQ(bytes.find("Taro Yamada"), std::string::npos);
  EXPECT_NE(bytes.find(testing::jpeg_scan_data(testing::photo_jpeg(true))), std::string::npos);
}

TEST_F(PhotoTest, TiffInAnOdtIsReportedAndBlankedInPlace) {
  Parts parts = odf("text", "<office:body><office:text><text:p>写真</text:p></office:text>"
                            "</office:body>", "");
  parts.erase("Thumbnails/thumbnail.png");
  parts["Pictures/photo.tif"] = testing::photo_tiff();
  fs::path path = dir_ / "photo.odt";
  testing::write_zip(path, parts);
  FileReport report = inspect(path);
  ASSERT_NE(find(report, "image.gps"), nullptr) << to_text(std::vector{report});
  EXPECT_EQ(find(report, "image.gps")->location, "/Pictures/photo.tif");
  EXPECT_EQ(find(report, "image.person")->message,
            "画像に撮影者・所有者などの名前が記録されています: Artist");

  fs::path out = dir_ / "photo-clean.odt";
  ASSERT_OK(clean_file(path.string(), out.string(), {}));
  FileReport after = inspect(out);
  EXPECT_EQ(find(after, "image.gps"), nullptr) << to_text(std::vector{after});
  EXPECT_EQ(find(after, "image.person"), nullptr);
  auto zip = ZipArchive::open(out.string());
  ASSERT_TRUE(zip.has_value());
  auto image = zip->read(static_cast<std::size_t>(zip->find("Pictures/photo.tif")));
  ASSERT_TRUE(image.has_value());
  EXPECT_EQ(image->size(), testing::photo_tiff().size());  // no offset moved
  EXPECT_EQ(image->find("Hanako"), std::string::npos);
}

// ---------------------------------------------------------------- item 7: keep what the reader sees

const char* kPptxOleFrame =
    "<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id=\"4\" name=\"地図\"/><p:cNvGraphicFramePr/>"
    "<p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x=\"100\" y=\"200\"/><a:ext cx=\"9000000\" "
    "cy=\"6000000\"/></p:xfrm><a:graphic><a:graphicData "
    "uri=\"http://schemas.openxmlformats.org/presentationml/2006/ole\"><p:oleObj "
    "name=\"Worksheet\" r:id=\"rId5\" progId=\"Excel.Sheet.12\"><p:embed/><p:pic><p:nvPicPr>"
    "<p:cNvPr id=\"0\" name=\"\"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr><p:blipFill><a:blip "
    "r:embed=\"rId6\"/><a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr><a:xfrm>"
    "<a:off x=\"0\" y=\"0\"/><a:ext cx=\"1\" cy=\"1\"/></a:xfrm><a:prstGeom prst=\"rect\">"
    "<a:avLst/></a:prstGeom></p:spPr></p:pic></p:oleObj></a:graphicData></a:graphic>"
    "</p:graphicFrame>";

std::string entry(const fs::path& path, const std::string& name) {
  auto zip = ZipArchive::open(path.string());
  if (!zip) return "<no zip>";
  long index = zip->find(name);
  if (index < 0) return "<missing>";
  auto data = zip->read(static_cast<std::size_t>(index));
  return data ? *data : "<unreadable>";
}

class KeepVisibleTest : public ::testing::Test {
 protected:
  ::kakehashi::testing::TempDir temp_;
  fs::path dir_ = temp_.path();
};

TEST_F(KeepVisibleTest, PptxOleObjectBecomesItsPreviewPictureWithoutAnEmptyFrame) {
  Parts parts = testing::minimal_pptx();
  std::string& slide = parts["ppt/slides/slide1.xml"];
  slide.insert(slide.find("</p:spTree>"), kPptxOleFrame);
  parts["ppt/embeddings/Microsoft_Excel_Worksheet.xlsx"] = "PK-not-really";
  parts["ppt/media/image1.emf"] = "EMF preview";
  testing::add_relationship(parts, "ppt/slides/_rels/slide1.xml.rels", "rId5",
                            testing::rel_type("package"),
                            "../embeddings/Microsoft_Excel_Worksheet.xlsx");
  testing::add_relationship(parts, "ppt/slides/_rels/slide1.xml.rels", "rId6",
                            testing::rel_type("image"), "../media/image1.emf");
  fs::path path = dir_ / "map.pptx";
  testing::write_zip(path, parts);
  ASSERT_NE(find(inspect(path), "ooxml.embedded_object"), nullptr);

  fs::path out = dir_ / "map-clean.pptx";
  auto cleaned = clean_file(path.string(), out.string(), {});
  ASSERT_OK(cleaned);
  EXPECT_NE(std::find(cleaned->removed.begin(), cleaned->removed.end(),
                      "埋め込みオブジェクト（プレビュー画像に置き換え）"),
            cleaned->removed.end());
  std::string xml = entry(out, "ppt/slides/slide1.xml");
  EXPECT_EQ(xml.find("graphicFrame"), std::string::npos) << xml;
  EXPECT_EQ(xml.find("oleObj"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<p:pic><p:nvPicPr><p:cNvPr id=\"4\" name=\"地図\"/>"), std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<a:xfrm><a:off x=\"100\" y=\"200\"/><a:ext cx=\"9000000\" "
                     "cy=\"6000000\"/></a:xfrm>"),
            std::string::npos)
      << xml;
  EXPECT_EQ(entry(out, "ppt/media/image1.emf"), "EMF preview");
  EXPECT_EQ(entry(out, "ppt/embeddings/Microsoft_Excel_Worksheet.xlsx"), "<missing>");
  EXPECT_EQ(find(inspect(out), "ooxml.embedded_object"), nullptr);
}

TEST_F(KeepVisibleTest, DocxOleObjectKeepsItsPreviewAsAPicture) {
  Parts parts = testing::minimal_docx();
  std::string& body = parts["word/document.xml"];
  body.insert(body.find("</w:body>"),
              "<w:p><w:r><w:object w:dxaOrig=\"9000\" w:dyaOrig=\"6000\"><v:shape "
              "xmlns:v=\"urn:schemas-microsoft-com:vml\" id=\"_x0000_i1025\" "
              "style=\"width:450pt;height:300pt\"><v:imagedata "
              "xmlns:o=\"urn:schemas-microsoft-com:office:office\" r:id=\"rId6\" "
              "o:title=\"\"/></v:shape><o:OLEObject "
              "xmlns:o=\"urn:schemas-microsoft-com:office:office\" Type=\"Embed\" "
              "ProgID=\"Excel.Sheet.12\" ShapeID=\"_x0000_i1025\" r:id=\"rId5\"/></w:object>"
              "</w:r></w:p>");
  parts["word/embeddings/oleObject1.bin"] = "OLE";
  parts["word/media/image1.emf"] = "EMF preview";
  testing::add_relationship(parts, "word/_rels/document.xml.rels", "rId5",
                            testing::rel_type("oleObject"), "embeddings/oleObject1.bin");
  testing::add_relationship(parts, "word/_rels/document.xml.rels", "rId6",
                            testing::rel_type("image"), "media/image1.emf");
  fs::path path = dir_ / "chart.docx";
  testing::write_zip(path, parts);
  fs::path out = dir_ / "chart-clean.docx";
  ASSERT_OK(clean_file(path.string(), out.string(), {}));
  std::string xml = entry(out, "word/document.xml");
  EXPECT_NE(xml.find("<w:pict><v:shape"), std::string::npos) << xml;
  EXPECT_NE(xml.find("r:id=\"rId6\""), std::string::npos) << xml;
  EXPECT_EQ(xml.find("OLEObject"), std::string::npos) << xml;
  EXPECT_EQ(entry(out, "word/media/image1.emf"), "EMF preview");
  EXPECT_EQ(entry(out, "word/embeddings/oleObject1.bin"), "<missing>");
}

// An XLSX with one embedded Word document as Excel writes it: the object in the sheet (with the
// Excel 2010 objectPr naming its preview and anchor when `modern`), its VML shape in the legacy
// drawing, and (when `modern`) the drawing's a14 placeholder shape for it.
Parts xlsx_with_ole_object(bool modern) {
  Parts parts = testing::minimal_xlsx();
  std::string& sheet = parts["xl/worksheets/sheet1.xml"];
  const char* kObject = "<oleObject progId=\"Word.Document.12\" shapeId=\"1025\" r:id=\"rId4\"/>";
  std::string objects =
      modern
          ? std::string("<drawing r:id=\"rId2\"/><legacyDrawing r:id=\"rId3\"/><mc:AlternateContent "
                        "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\">"
                        "<mc:Choice Requires=\"x14\"><oleObjects><mc:AlternateContent><mc:Choice "
                        "Requires=\"x14\"><oleObject progId=\"Word.Document.12\" shapeId=\"1025\" "
                        "r:id=\"rId4\"><objectPr defaultSize=\"0\" r:id=\"rId5\"><anchor "
                        "xmlns:xdr=\"http://schemas.openxmlformats.org/drawingml/2006/"
                        "spreadsheetDrawing\" moveWithCells=\"1\"><from><xdr:col>1</xdr:col>"
                        "<xdr:colOff>0</xdr:colOff><xdr:row>3</xdr:row><xdr:rowOff>0</xdr:rowOff>"
                        "</from><to><xdr:col>6</xdr:col><xdr:colOff>304800</xdr:colOff><xdr:row>20"
                        "</xdr:row><xdr:rowOff>0</xdr:rowOff></to></anchor></objectPr></oleObject>"
                        "</mc:Choice><mc:Fallback>") +
                kObject + "</mc:Fallback></mc:AlternateContent></oleObjects></mc:Choice><mc:Fallback>"
                          "<oleObjects>" + kObject + "</oleObjects></mc:Fallback></mc:AlternateContent>"
          : std::string("<legacyDrawing r:id=\"rId3\"/><oleObjects>") + kObject + "</oleObjects>";
  sheet.insert(sheet.find("</worksheet>"), objects);
  parts["xl/drawings/vmlDrawing1.vml"] =
      "<xml xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:"
      "office\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><v:shapetype id=\"_x0000_t75\" "
      "coordsize=\"21600,21600\" o:spt=\"75\"><v:stroke joinstyle=\"miter\"/></v:shapetype>"
      "<v:shape id=\"_x0000_s1025\" type=\"#_x0000_t75\" style=\"position:absolute;width:400pt;"
      "height:300pt\"><v:imagedata o:relid=\"rId1\" o:title=\"\"/><x:ClientData ObjectType=\"Pict\">"
      "<x:SizeWithCells/><x:Anchor>\n    1, 0, 3, 0, 6, 32, 20, 0</x:Anchor><x:CF>Pict</x:CF>"
      "</x:ClientData></v:shape></xml>";
  parts["xl/embeddings/oleObject1.bin"] = "OLE 担当 山田 090-1234-5678";
  parts["xl/media/image1.emf"] = "EMF preview";
  testing::add_override(parts, "/xl/drawings/vmlDrawing1.vml",
                        "application/vnd.openxmlformats-officedocument.vmlDrawing");
  testing::add_override(parts, "/xl/media/image1.emf", "image/x-emf");
  parts["xl/worksheets/_rels/sheet1.xml.rels"] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships "
      "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"></Relationships>";
  const std::string sheet_rels = "xl/worksheets/_rels/sheet1.xml.rels";
  testing::add_relationship(parts, sheet_rels, "rId3", testing::rel_type("vmlDrawing"),
                            "../drawings/vmlDrawing1.vml");
  testing::add_relationship(parts, sheet_rels, "rId4", testing::rel_type("oleObject"),
                            "../embeddings/oleObject1.bin");
  parts["xl/drawings/_rels/vmlDrawing1.vml.rels"] = parts[sheet_rels].substr(
      0, parts[sheet_rels].find("<Relationship ")) + "</Relationships>";
  testing::add_relationship(parts, "xl/drawings/_rels/vmlDrawing1.vml.rels", "rId1",
                            testing::rel_type("image"), "../media/image1.emf");
  if (modern) {
    testing::add_relationship(parts, sheet_rels, "rId2", testing::rel_type("drawing"),
                              "../drawings/drawing1.xml");
    testing::add_relationship(parts, sheet_rels, "rId5", testing::rel_type("image"),
                              "../media/image1.emf");
    testing::add_override(parts, "/xl/drawings/drawing1.xml",
                          "application/vnd.openxmlformats-officedocument.drawing+xml");
    parts["xl/drawings/drawing1.xml"] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<xdr:wsDr "
        "xmlns:xdr=\"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing\" "
        "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><mc:AlternateContent "
        "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"><mc:Choice "
        "xmlns:a14=\"http://schemas.microsoft.com/office/drawing/2010/main\" Requires=\"a14\">"
        "<xdr:twoCellAnchor editAs=\"oneCell\"><xdr:from><xdr:col>1</xdr:col><xdr:colOff>0"
        "</xdr:colOff><xdr:row>3</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>6"
        "</xdr:col><xdr:colOff>304800</xdr:colOff><xdr:row>20</xdr:row><xdr:rowOff>0</xdr:rowOff>"
        "</xdr:to><xdr:sp macro=\"\" textlink=\"\"><xdr:nvSpPr><xdr:cNvPr id=\"1025\" "
        "name=\"Object 1\" hidden=\"1\"><a:extLst><a:ext "
        "uri=\"{63B3BB69-23CF-44E3-9099-C40C66FF867C}\"><a14:compatExt spid=\"_x0000_s1025\"/>"
        "</a:ext></a:extLst></xdr:cNvPr><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr/></xdr:sp>"
        "<xdr:clientData/></xdr:twoCellAnchor></mc:Choice><mc:Fallback/></mc:AlternateContent>"
        "</xdr:wsDr>";
  }
  return parts;
}

// The picture the cleaned sheet shows where the object was (cell B4 to G21, 32 px into G).
const char* kXlsxPreviewAnchor =
    "<xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>3</xdr:row><xdr:rowOff>0"
    "</xdr:rowOff></xdr:from><xdr:to><xdr:col>6</xdr:col><xdr:colOff>304800</xdr:colOff><xdr:row>"
    "20</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:pic><xdr:nvPicPr><xdr:cNvPr id=\"1025\" "
    "name=\"Object 1025\"/>";

TEST_F(KeepVisibleTest, XlsxOleObjectBecomesItsPreviewPictureInTheDrawing) {
  fs::path path = dir_ / "object.xlsx";
  testing::write_zip(path, xlsx_with_ole_object(true));
  ASSERT_NE(find(inspect(path), "ooxml.embedded_object"), nullptr);

  fs::path out = dir_ / "object-clean.xlsx";
  auto cleaned = clean_file(path.string(), out.string(), {});
  ASSERT_OK(cleaned);
  EXPECT_NE(std::find(cleaned->removed.begin(), cleaned->removed.end(),
                      "埋め込みオブジェクト（プレビュー画像に置き換え）"),
            cleaned->removed.end());
  std::string sheet = entry(out, "xl/worksheets/sheet1.xml");
  EXPECT_EQ(sheet.find("oleObject"), std::string::npos) << sheet;
  EXPECT_EQ(sheet.find("AlternateContent"), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<drawing r:id=\"rId2\"/>"), std::string::npos) << sheet;
  std::string drawing = entry(out, "xl/drawings/drawing1.xml");
  EXPECT_EQ(drawing.find("compatExt"), std::string::npos) << drawing;  // no empty object frame
  EXPECT_NE(drawing.find(kXlsxPreviewAnchor), std::string::npos) << drawing;
  EXPECT_NE(drawing.find("<a:blip r:embed=\"rIdKkPreview1\"/>"), std::string::npos) << drawing;
  EXPECT_NE(entry(out, "xl/drawings/_rels/drawing1.xml.rels")
                .find("Id=\"rIdKkPreview1\" Type=\"http://schemas.openxmlformats.org/"
                      "officeDocument/2006/relationships/image\" Target=\"/xl/media/image1.emf\""),
            std::string::npos);
  EXPECT_EQ(entry(out, "xl/drawings/vmlDrawing1.vml").find("_x0000_s1025"), std::string::npos);
  EXPECT_EQ(entry(out, "xl/media/image1.emf"), "EMF preview");
  EXPECT_EQ(entry(out, "xl/embeddings/oleObject1.bin"), "<missing>");
  FileReport after = inspect(out);
  EXPECT_EQ(find(after, "ooxml.embedded_object"), nullptr) << to_text(std::vector{after});
  EXPECT_EQ(find(after, "ooxml.unreferenced_part"), nullptr) << to_text(std::vector{after});
  EXPECT_EQ(find(after, "file.unreadable"), nullptr) << to_text(std::vector{after});
  // The same input gives the same bytes.
  fs::path again = dir_ / "object-clean-again.xlsx";
  ASSERT_OK(clean_file(path.string(), again.string(), {}));
  EXPECT_EQ(testing::read_bytes(again), testing::read_bytes(out));
}

TEST_F(KeepVisibleTest, XlsxOleObjectOfAnOlderExcelGetsADrawingForItsPreview) {
  fs::path path = dir_ / "old.xlsx";
  testing::write_zip(path, xlsx_with_ole_object(false));
  fs::path out = dir_ / "old-clean.xlsx";
  ASSERT_OK(clean_file(path.string(), out.string(), {}));
  std::string sheet = entry(out, "xl/worksheets/sheet1.xml");
  EXPECT_EQ(sheet.find("oleObject"), std::string::npos) << sheet;
  // In the schema's order: drawing before legacyDrawing.
  EXPECT_NE(sheet.find("<drawing r:id=\"rIdKkDrawing\"/><legacyDrawing r:id=\"rId3\"/>"),
            std::string::npos)
      << sheet;
  std::string drawing = entry(out, "xl/drawings/drawingKk1.xml");
  EXPECT_NE(drawing.find(kXlsxPreviewAnchor), std::string::npos) << drawing;
  EXPECT_NE(entry(out, "[Content_Types].xml")
                .find("<Override PartName=\"/xl/drawings/drawingKk1.xml\" "
                      "ContentType=\"application/vnd.openxmlformats-officedocument.drawing+xml\"/>"),
            std::string::npos);
  EXPECT_EQ(entry(out, "xl/drawings/vmlDrawing1.vml").find("_x0000_s1025"), std::string::npos);
  EXPECT_EQ(entry(out, "xl/media/image1.emf"), "EMF preview");
  EXPECT_EQ(entry(out, "xl/embeddings/oleObject1.bin"), "<missing>");
  FileReport after = inspect(out);
  EXPECT_EQ(find(after, "ooxml.embedded_object"), nullptr) << to_text(std::vector{after});
  EXPECT_EQ(find(after, "ooxml.unreferenced_part"), nullptr) << to_text(std::vector{after});
}

TEST_F(KeepVisibleTest, PdfHighlightsAndInkAreDrawnIntoThePageAndCommentsGo) {
  fs::path path = dir_ / "marked.pdf";
  testing::write_pdf(path, [](QPDF& q, QPDFObjectHandle page) {
    auto appearance = QPDFObjectHandle::newStream(&q, "1 1 0 rg 0 0 120 14 re f");
    appearance.getDict().replaceKey("/Type", QPDFObjectHandle::newName("/XObject"));
    appearance.getDict().replaceKey("/Subtype", QPDFObjectHandle::newName("/Form"));
    appearance.getDict().replaceKey("/BBox", QPDFObjectHandle::parse("[0 0 120 14]"));
    auto highlight = q.makeIndirectObject(QPDFObjectHandle::parse(
        "<< /Type /Annot /Subtype /Highlight /Rect [20 140 140 154] /F 4 "
        "/Contents (担当 山田 090-1234-5678) >>"));
    highlight.replaceKey("/AP", QPDFObjectHandle::newDictionary({{"/N", appearance}}));
    auto popup = q.makeIndirectObject(
        QPDFObjectHandle::parse("<< /Type /Annot /Subtype /Popup /Rect [200 100 300 200] >>"));
    auto note = q.makeIndirectObject(QPDFObjectHandle::parse(
        "<< /Type /Annot /Subtype /Text /Rect [10 10 30 30] /Contents (要確認) >>"));
    note.replaceKey("/Popup", popup);
    highlight.replaceKey("/Popup", popup);
    auto annots = QPDFObjectHandle::newArray();
    annots.appendItem(highlight);
    annots.appendItem(note);
    annots.appendItem(popup);
    page.replaceKey("/Annots", annots);
  });
  FileReport before = inspect(path);
  ASSERT_NE(find(before, "pdf.annotation"), nullptr);

  fs::path out = dir_ / "marked-clean.pdf";
  auto cleaned = clean_file(path.string(), out.string(), {});
  ASSERT_OK(cleaned);
  EXPECT_NE(std::find(cleaned->removed.begin(), cleaned->removed.end(),
                      "注釈（ハイライト・手書き・スタンプなどはページに描き込み）"),
            cleaned->removed.end());
  FileReport after = inspect(out);
  EXPECT_EQ(find(after, "pdf.annotation"), nullptr) << to_text(std::vector{after});
  QPDF result;
  result.processFile(out.string().c_str());
  QPDFObjectHandle page = result.getAllPages().at(0);
  EXPECT_EQ(page.getKey("/Annots").isArray() ? page.getKey("/Annots").getArrayNItems() : 0, 0);
  // The highlight's appearance is now part of the page: a form XObject drawn by the content.
  QPDFObjectHandle xobjects = page.getKey("/Resources").getKey("/XObject");
  ASSERT_TRUE(xobjects.isDictionary());
  bool drawn = false;
  for (const auto& key : xobjects.getKeys()) {
    auto form = xobjects.getKey(key);
    if (form.isStream()) {
      auto data = form.getStreamData(qpdf_dl_generalized);
      drawn = drawn || std::string(reinterpret_cast<const char*>(data->getBuffer()),
                                   data->getSize()) == "1 1 0 rg 0 0 120 14 re f";
    }
  }
  EXPECT_TRUE(drawn);
  std::string bytes = testing::read_bytes(out);
  EXPECT_EQ(bytes.find("/Popup"), std::string::npos);
  EXPECT_EQ(find(after, "pii.phone"), nullptr);  // the highlight's comment text went too
}

TEST_F(KeepVisibleTest, TheSameInputGivesTheSameBytes) {
  Parts parts = testing::minimal_xlsx();
  fs::path path = dir_ / "book.xlsx";
  testing::write_zip(path, parts);
  fs::path first = dir_ / "first.xlsx";
  ASSERT_OK(clean_file(path.string(), first.string(), {}));
  // Every entry dated 1980-01-01 00:00, not the time of cleaning.
  int error = 0;
  zip_t* archive = zip_open(first.string().c_str(), ZIP_RDONLY, &error);
  ASSERT_NE(archive, nullptr);
  for (zip_int64_t i = 0; i < zip_get_num_entries(archive, 0); ++i) {
    zip_stat_t stat;
    ASSERT_EQ(zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &stat), 0);
    std::tm when{};
    localtime_r(&stat.mtime, &when);
    EXPECT_EQ(when.tm_year, 80) << stat.name;
    EXPECT_EQ(when.tm_yday, 0) << stat.name;
  }
  zip_discard(archive);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));  // DOS times count 2 s
  fs::path second = dir_ / "second.xlsx";
  ASSERT_OK(clean_file(path.string(), second.string(), {}));
  EXPECT_EQ(testing::read_bytes(first), testing::read_bytes(second));
}

// ---------------------------------------------------------------- item 8: text without poppler

TEST(PdfTextTest, Type0FontWithToUnicodeIsReadFromTheContentStream) {
  ::kakehashi::testing::TempDir temp;
  fs::path path = temp.path() / "cid.pdf";
  testing::write_pdf(path, [](QPDF& q, QPDFObjectHandle page) {
    auto cmap = QPDFObjectHandle::newStream(
        &q,
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        "4 beginbfchar <0001> <96FB> <0002> <8A71> <0003> <0020> <0004> <002D> endbfchar\n"
        "1 beginbfrange <0010> <0019> <0030> endbfrange\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end\n");
    auto font = q.makeIndirectObject(QPDFObjectHandle::parse(
        "<< /Type /Font /Subtype /Type0 /BaseFont /KozMinPr6N-Regular /Encoding /Identity-H "
        "/DescendantFonts [ << /Type /Font /Subtype /CIDFontType0 /BaseFont /KozMinPr6N-Regular "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 6 >> >> ] >>"));
    font.replaceKey("/ToUnicode", cmap);
    page.getKey("/Resources").replaceKey("/Font", QPDFObjectHandle::newDictionary({{"/F1", font}}));
    // 電話 090-1234-5678
    page.replaceKey("/Contents",
                    QPDFObjectHandle::newStream(
                        &q, "BT /F1 12 Tf 20 100 Td <00010002000300100019001000040011001200130014"
                            "0004001500160017> Tj <0018> Tj ET"));
  });
  FileReport report = inspect(path);
  const Finding* phone = find(report, "pii.phone");
  ASSERT_NE(phone, nullptr) << to_text(std::vector{report});
  EXPECT_EQ(phone->location, "ページ 1");
  EXPECT_EQ(phone->message, "電話番号があります: 090-****-**78");
  EXPECT_EQ(find(report, "pdf.no_text_layer"), nullptr);
}

}  // namespace
}  // namespace kakehashi::inspect
