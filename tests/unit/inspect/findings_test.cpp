// Every finding code in the table has a generated file that has it and one that does not.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFWriter.hh>
#include <set>

#include "inspect/finding.h"
#include "inspect/inspector.h"
#include "support/temp_dir.h"
#include "unit/inspect/fixtures.h"

namespace kakehashi::inspect {
namespace {

namespace fs = std::filesystem;
using testing::Parts;

const std::string kSheetNs =
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

std::string sheet_xml(const std::string& before_data, const std::string& rows) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet " + kSheetNs +
         ">" + before_data + "<sheetData>" + rows + "</sheetData></worksheet>";
}

std::string workbook_xml(const std::string& sheets, const std::string& after = "") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook " + kSheetNs +
         "><sheets>" + sheets + "</sheets>" + after + "</workbook>";
}

std::string document_xml(const std::string& body) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
         "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
         "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
         "relationships\"><w:body>" +
         body + "</w:body></w:document>";
}

void add_docx_settings(Parts& parts, const std::string& inner) {
  parts["word/settings.xml"] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">" +
      inner + "</w:settings>";
  testing::add_override(
      parts, "/word/settings.xml",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml");
  testing::add_relationship(parts, "word/_rels/document.xml.rels", "rId9",
                            testing::rel_type("settings"), "settings.xml");
}

// Builds one file into `dir` and returns its path.
using Maker = std::function<fs::path(const fs::path& dir)>;

// A package from `base()`, edited by `edit`, written as `name`.
Maker package(Parts (*base)(), std::string name, std::function<void(Parts&)> edit) {
  return [base, name, edit](const fs::path& dir) {
    Parts parts = base();
    if (edit) edit(parts);
    fs::path path = dir / name;
    testing::write_zip(path, parts);
    return path;
  };
}
Maker xlsx(std::function<void(Parts&)> edit) {
  return package(testing::minimal_xlsx, "book.xlsx", edit);
}
Maker docx(std::function<void(Parts&)> edit) {
  return package(testing::minimal_docx, "document.docx", edit);
}
Maker pptx(std::function<void(Parts&)> edit) {
  return package(testing::minimal_pptx, "slides.pptx", edit);
}
Maker photo_docx(bool metadata) {
  return docx([metadata](Parts& p) {
    p["word/media/image1.jpeg"] = testing::photo_jpeg(metadata);
    testing::add_relationship(p, "word/_rels/document.xml.rels", "rId8", testing::rel_type("image"),
                              "media/image1.jpeg");
  });
}
Maker pdf(std::function<void(QPDF&, QPDFObjectHandle)> edit, bool encrypt = false) {
  return [edit, encrypt](const fs::path& dir) {
    fs::path path = dir / "report.pdf";
    testing::write_pdf(path, edit, encrypt);
    return path;
  };
}
Maker csv(const std::string& text) {
  return [text](const fs::path& dir) {
    fs::path path = dir / "data.csv";
    testing::write_bytes(path, text);
    return path;
  };
}

struct Case {
  std::string code;
  Maker with;     // a file that has the finding
  Maker without;  // a file of the same kind that does not
};

QPDFObjectHandle parse(const std::string& text) { return QPDFObjectHandle::parse(text); }

std::vector<Case> cases() {
  const std::string clean_csv = "項目,値\r\n日付,2026-04-01\r\n金額,\"1,234,567\"\r\n";
  std::vector<Case> all = {
      {"file.unreadable",
       [](const fs::path& dir) {
         fs::path path = dir / "broken.xlsx";
         std::string bytes = testing::read_bytes(xlsx(nullptr)(dir));
         testing::write_bytes(path, bytes.substr(0, bytes.size() / 2));
         return path;
       },
       xlsx(nullptr)},
      {"file.unsupported",
       [](const fs::path& dir) {
         testing::write_bytes(dir / "notes.txt", "memo");
         return dir / "notes.txt";
       },
       csv(clean_csv)},
      {"file.zip_bomb", xlsx([](Parts& p) {
         for (int i = 0; i < 1001; ++i) p["xl/media/pad" + std::to_string(i) + ".bin"] = "x";
       }),
       xlsx(nullptr)},
      {"file.zip_bomb",
       xlsx([](Parts& p) { p["xl/media/zeros.bin"] = std::string(40'000'000, '\0'); }),
       xlsx(nullptr)},
      // Issue 23 item 1: a camera's JPEG in a document, and the same picture without metadata.
      {"image.gps", photo_docx(true), photo_docx(false)},
      {"image.person", photo_docx(true), photo_docx(false)},
      {"image.camera", photo_docx(true), photo_docx(false)},
      {"file.decompression_bomb",
       [](const fs::path& dir) {
         // 1 GiB of zeros in about 1 MiB: past the 256 MiB a stream may decode to.
         testing::write_pdf(
             dir / "bomb.pdf",
             [](QPDF& q, QPDFObjectHandle page) {
               page.replaceKey("/Contents",
                               testing::encoded_stream(q, testing::deflate_zeros(1ull << 30, true),
                                                       "/FlateDecode"));
             },
             false, true);
         return dir / "bomb.pdf";
       },
       pdf(nullptr)},
      {"pdf.info_metadata", pdf([](QPDF& q, QPDFObjectHandle) {
         q.getTrailer().replaceKey(
             "/Info", q.makeIndirectObject(parse("<< /Author (Taro Yamada) /Producer (x) >>")));
       }),
       pdf(nullptr)},
      {"pdf.xmp_metadata", pdf([](QPDF& q, QPDFObjectHandle) {
         auto xmp = QPDFObjectHandle::newStream(&q, "<x:xmpmeta xmlns:x='adobe:ns:meta/'/>");
         xmp.getDict().replaceKey("/Type", QPDFObjectHandle::newName("/Metadata"));
         xmp.getDict().replaceKey("/Subtype", QPDFObjectHandle::newName("/XML"));
         q.getRoot().replaceKey("/Metadata", xmp);
       }),
       pdf(nullptr)},
      {"pdf.private_data", pdf([](QPDF& q, QPDFObjectHandle) {
         q.getRoot().replaceKey("/PieceInfo", parse("<< /Illustrator << /Private (data) >> >>"));
       }),
       pdf(nullptr)},
      {"pdf.signature", pdf([](QPDF& q, QPDFObjectHandle) {
         q.getRoot().replaceKey(
             "/AcroForm", parse("<< /Fields [ << /FT /Sig /T (sig) /V << /Type /Sig >> >> ] >>"));
       }),
       pdf(nullptr)},
      {"pdf.embedded_file", pdf([](QPDF& q, QPDFObjectHandle) {
         auto file = QPDFObjectHandle::newStream(&q, "secret");
         auto spec = parse("<< /Type /Filespec /F (secret.txt) /EF << >> >>");
         spec.getKey("/EF").replaceKey("/F", file);
         auto names = parse("<< /EmbeddedFiles << /Names [ (secret.txt) null ] >> >>");
         names.getKey("/EmbeddedFiles")
             .getKey("/Names")
             .setArrayItem(1, q.makeIndirectObject(spec));
         q.getRoot().replaceKey("/Names", names);
       }),
       pdf(nullptr)},
      {"pdf.javascript", pdf([](QPDF& q, QPDFObjectHandle) {
         q.getRoot().replaceKey("/OpenAction",
                                parse("<< /S /JavaScript /JS (app.alert\\(1\\)) >>"));
       }),
       pdf(nullptr)},
      {"pdf.action", pdf([](QPDF& q, QPDFObjectHandle) {
         q.getRoot().replaceKey("/OpenAction", parse("<< /S /Launch /F (calc.exe) >>"));
       }),
       pdf(nullptr)},
      {"pdf.annotation", pdf([](QPDF&, QPDFObjectHandle page) {
         page.replaceKey(
             "/Annots",
             parse("[ << /Type /Annot /Subtype /Text /Rect [0 0 10 10] /Contents (check) >> ]"));
       }),
       pdf([](QPDF&, QPDFObjectHandle page) {
         page.replaceKey(
             "/Annots",
             parse("[ << /Type /Annot /Subtype /Link /Rect [0 0 10 10] /Dest [0 /Fit] >> ]"));
       })},
      {"pdf.form", pdf([](QPDF& q, QPDFObjectHandle) {
         q.getRoot().replaceKey("/AcroForm", parse("<< /Fields [ << /FT /Tx /T (name) >> ] >>"));
       }),
       pdf(nullptr)},
      {"pdf.hidden_layer", pdf([](QPDF& q, QPDFObjectHandle) {
         auto group = q.makeIndirectObject(parse("<< /Type /OCG /Name (draft) >>"));
         auto properties = parse("<< /OCGs [ ] /D << /OFF [ ] >> >>");
         properties.getKey("/OCGs").appendItem(group);
         properties.getKey("/D").getKey("/OFF").appendItem(group);
         q.getRoot().replaceKey("/OCProperties", properties);
       }),
       pdf([](QPDF& q, QPDFObjectHandle) {
         auto group = q.makeIndirectObject(parse("<< /Type /OCG /Name (shown) >>"));
         auto properties = parse("<< /OCGs [ ] /D << /ON [ ] >> >>");
         properties.getKey("/OCGs").appendItem(group);
         properties.getKey("/D").getKey("/ON").appendItem(group);
         q.getRoot().replaceKey("/OCProperties", properties);
       })},
      {"pdf.incremental_update",
       [](const fs::path& dir) {
         fs::path path = pdf(nullptr)(dir);
         std::string bytes = testing::read_bytes(path);
         size_t at = bytes.rfind("startxref");
         long previous = std::stol(bytes.substr(at + 10));
         std::string update = "\n99 0 obj\n(old revision)\nendobj\n";
         size_t object_offset = bytes.size() + 1;
         size_t xref_offset = bytes.size() + update.size();
         char entry[21];
         std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", object_offset);
         update += "xref\n0 1\n0000000000 65535 f \n99 1\n" + std::string(entry) +
                   "trailer\n<< /Size 100 /Root 1 0 R /Prev " + std::to_string(previous) +
                   " >>\nstartxref\n" + std::to_string(xref_offset) + "\n%%EOF\n";
         testing::write_bytes(path, bytes + update);
         return path;
       },
       pdf(nullptr)},
      {"pdf.no_text_layer", pdf([](QPDF& q, QPDFObjectHandle page) {
         auto image = QPDFObjectHandle::newStream(&q, std::string("\x80", 1));
         image.getDict().replaceKey("/Type", QPDFObjectHandle::newName("/XObject"));
         image.getDict().replaceKey("/Subtype", QPDFObjectHandle::newName("/Image"));
         image.getDict().replaceKey("/Width", QPDFObjectHandle::newInteger(1));
         image.getDict().replaceKey("/Height", QPDFObjectHandle::newInteger(1));
         image.getDict().replaceKey("/ColorSpace", QPDFObjectHandle::newName("/DeviceGray"));
         image.getDict().replaceKey("/BitsPerComponent", QPDFObjectHandle::newInteger(8));
         page.getKey("/Resources").replaceKey("/XObject", parse("<< >>"));
         page.getKey("/Resources").getKey("/XObject").replaceKey("/Im1", image);
         page.replaceKey("/Contents",
                         QPDFObjectHandle::newStream(&q, "q 500 0 0 700 50 50 cm /Im1 Do Q"));
       }),
       pdf(nullptr)},
      {"pdf.encrypted", pdf(nullptr, true), pdf(nullptr)},
      {"ooxml.core_properties", xlsx([](Parts& p) {
         p["docProps/core.xml"] =
             "<cp:coreProperties "
             "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
             "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:creator>山田 "
             "太郎</dc:creator></cp:coreProperties>";
         testing::add_override(p, "/docProps/core.xml",
                               "application/vnd.openxmlformats-package.core-properties+xml");
         testing::add_relationship(p, "_rels/.rels", "rId2", testing::rel_type("core-properties"),
                                   "docProps/core.xml");
       }),
       xlsx(nullptr)},
      {"ooxml.app_properties", xlsx([](Parts& p) {
         p["docProps/app.xml"] =
             "<Properties "
             "xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
             "<Application>Microsoft "
             "Excel</Application><Company>株式会社サンプル</Company></Properties>";
         testing::add_override(
             p, "/docProps/app.xml",
             "application/vnd.openxmlformats-officedocument.extended-properties+xml");
         testing::add_relationship(p, "_rels/.rels", "rId3",
                                   testing::rel_type("extended-properties"), "docProps/app.xml");
       }),
       xlsx([](Parts& p) {
         p["docProps/app.xml"] =
             "<Properties "
             "xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
             "<Application>LibreOffice</Application><Company></Company></Properties>";
         testing::add_relationship(p, "_rels/.rels", "rId3",
                                   testing::rel_type("extended-properties"), "docProps/app.xml");
       })},
      {"ooxml.custom_properties", xlsx([](Parts& p) {
         p["docProps/custom.xml"] =
             "<Properties "
             "xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" "
             "xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
             "<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"2\" name=\"担当者\">"
             "<vt:lpwstr>佐藤</vt:lpwstr></property></Properties>";
         testing::add_relationship(p, "_rels/.rels", "rId4", testing::rel_type("custom-properties"),
                                   "docProps/custom.xml");
       }),
       xlsx(nullptr)},
      {"ooxml.comments", xlsx([](Parts& p) {
         p["xl/comments1.xml"] =
             "<comments xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
             "<authors><author>佐藤</author></authors><commentList><comment ref=\"A1\" "
             "authorId=\"0\">"
             "<text><r><t>要確認</t></r></text></comment></commentList></comments>";
         testing::add_relationship(p, "xl/worksheets/_rels/sheet1.xml.rels", "rId1",
                                   testing::rel_type("comments"), "../comments1.xml");
       }),
       xlsx(nullptr)},
      {"ooxml.embedded_object", xlsx([](Parts& p) {
         p["xl/embeddings/oleObject1.bin"] = "OLE";
         testing::add_relationship(p, "xl/worksheets/_rels/sheet1.xml.rels", "rId2",
                                   testing::rel_type("oleObject"), "../embeddings/oleObject1.bin");
       }),
       xlsx(nullptr)},
      {"ooxml.macro", xlsx([](Parts& p) {
         p["xl/vbaProject.bin"] = "VBA";
         testing::add_override(p, "/xl/vbaProject.bin", "application/vnd.ms-office.vbaProject");
         testing::add_relationship(p, "xl/_rels/workbook.xml.rels", "rId5",
                                   testing::rel_type("vbaProject"), "vbaProject.bin");
       }),
       xlsx(nullptr)},
      {"ooxml.external_link", xlsx([](Parts& p) {
         p["xl/externalLinks/externalLink1.xml"] =
             "<externalLink "
             "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><externalBook/></"
             "externalLink>";
         testing::add_override(
             p, "/xl/externalLinks/externalLink1.xml",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml");
         testing::add_relationship(p, "xl/_rels/workbook.xml.rels", "rId6",
                                   testing::rel_type("externalLink"),
                                   "externalLinks/externalLink1.xml");
         testing::add_relationship(p, "xl/externalLinks/_rels/externalLink1.xml.rels", "rId1",
                                   testing::rel_type("externalLinkPath"),
                                   "file:///C:/secret/budget.xlsx", true);
       }),
       xlsx([](Parts& p) {
         testing::add_relationship(p, "xl/worksheets/_rels/sheet1.xml.rels", "rId7",
                                   testing::rel_type("hyperlink"), "https://www.meti.go.jp/", true);
       })},
      {"ooxml.custom_xml", xlsx([](Parts& p) {
         p["customXml/item1.xml"] = "<data>internal</data>";
         testing::add_relationship(p, "xl/_rels/workbook.xml.rels", "rId8",
                                   testing::rel_type("customXml"), "../customXml/item1.xml");
       }),
       xlsx(nullptr)},
      {"ooxml.thumbnail", xlsx([](Parts& p) {
         p["docProps/thumbnail.jpeg"] = "JPEG";
         testing::add_relationship(p, "_rels/.rels", "rId5", testing::rel_type("thumbnail"),
                                   "docProps/thumbnail.jpeg");
       }),
       xlsx(nullptr)},
      {"ooxml.printer_settings", xlsx([](Parts& p) {
         p["xl/printerSettings/printerSettings1.bin"] = "PRINTER";
         testing::add_relationship(p, "xl/worksheets/_rels/sheet1.xml.rels", "rId3",
                                   testing::rel_type("printerSettings"),
                                   "../printerSettings/printerSettings1.bin");
       }),
       xlsx(nullptr)},
      {"ooxml.unreferenced_part",
       xlsx([](Parts& p) { p["xl/media/payload.py"] = "print('hidden')"; }), xlsx(nullptr)},
      {"ooxml.unsafe_xml", xlsx([](Parts& p) {
         p["xl/worksheets/sheet1.xml"] =
             "<?xml version=\"1.0\"?>\n<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "
             "\"file:///etc/passwd\">]>\n" +
             sheet_xml("",
                       "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&xxe;</t></is></c></row>")
                 .substr(56);
       }),
       xlsx(nullptr)},
      {"ooxml.xml_limit", xlsx([](Parts& p) {
         std::string deep;
         for (int i = 0; i < 300; ++i) deep += "<x>";
         for (int i = 0; i < 300; ++i) deep += "</x>";
         p["xl/worksheets/sheet1.xml"] = sheet_xml("", "").insert(
             sheet_xml("", "").rfind("</worksheet>"), "<extLst>" + deep + "</extLst>");
       }),
       xlsx(nullptr)},
      {"docx.tracked_change", docx([](Parts& p) {
         p["word/document.xml"] = document_xml(
             "<w:p><w:ins w:id=\"1\" w:author=\"佐藤\" "
             "w:date=\"2026-01-01T00:00:00Z\"><w:r><w:t>追加</w:t></w:r></w:ins></w:p>");
       }),
       docx(nullptr)},
      {"docx.track_changes_on", docx([](Parts& p) { add_docx_settings(p, "<w:trackRevisions/>"); }),
       docx([](Parts& p) { add_docx_settings(p, "<w:defaultTabStop w:val=\"720\"/>"); })},
      {"docx.hidden_text", docx([](Parts& p) {
         p["word/document.xml"] = document_xml(
             "<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>非公開メモ</w:t></w:r><w:r><w:t>本文</w:t></"
             "w:r></w:p>");
       }),
       docx([](Parts& p) {
         p["word/document.xml"] = document_xml(
             "<w:p><w:r><w:rPr><w:vanish w:val=\"0\"/></w:rPr><w:t>表示される</w:t></w:r></w:p>");
       })},
      {"docx.document_variable", docx([](Parts& p) {
         add_docx_settings(p,
                           "<w:docVars><w:docVar w:name=\"案件ID\" w:val=\"A-17\"/></w:docVars>");
       }),
       docx(nullptr)},
      {"xlsx.hidden_sheet", xlsx([](Parts& p) {
         p["xl/workbook.xml"] =
             workbook_xml("<sheet name=\"Sheet1\" sheetId=\"1\" state=\"hidden\" r:id=\"rId1\"/>");
       }),
       xlsx(nullptr)},
      {"xlsx.very_hidden_sheet", xlsx([](Parts& p) {
         p["xl/workbook.xml"] = workbook_xml(
             "<sheet name=\"Sheet1\" sheetId=\"1\" state=\"veryHidden\" r:id=\"rId1\"/>");
       }),
       xlsx(nullptr)},
      {"xlsx.hidden_row", xlsx([](Parts& p) {
         p["xl/worksheets/sheet1.xml"] =
             sheet_xml("", "<row r=\"3\" hidden=\"1\"><c r=\"A3\"><v>1</v></c></row>");
       }),
       xlsx(nullptr)},
      {"xlsx.hidden_column", xlsx([](Parts& p) {
         p["xl/worksheets/sheet1.xml"] =
             sheet_xml("<cols><col min=\"2\" max=\"2\" width=\"0\" customWidth=\"1\"/></cols>", "");
       }),
       xlsx([](Parts& p) {
         p["xl/worksheets/sheet1.xml"] = sheet_xml(
             "<cols><col min=\"2\" max=\"2\" width=\"12.5\" customWidth=\"1\"/></cols>", "");
       })},
      {"xlsx.hidden_name", xlsx([](Parts& p) {
         p["xl/workbook.xml"] =
             workbook_xml("<sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/>",
                          "<definedNames><definedName name=\"secret\" "
                          "hidden=\"1\">Sheet1!$A$1</definedName></definedNames>");
       }),
       xlsx([](Parts& p) {
         p["xl/workbook.xml"] = workbook_xml(
             "<sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/>",
             "<definedNames><definedName name=\"total\">Sheet1!$A$1</definedName></definedNames>");
       })},
      {"xlsx.pivot_cache", xlsx([](Parts& p) {
         p["xl/pivotCache/pivotCacheDefinition1.xml"] =
             "<pivotCacheDefinition "
             "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"/>";
         testing::add_relationship(p, "xl/_rels/workbook.xml.rels", "rId9",
                                   testing::rel_type("pivotCacheDefinition"),
                                   "pivotCache/pivotCacheDefinition1.xml");
       }),
       xlsx(nullptr)},
      {"xlsx.data_connection", xlsx([](Parts& p) {
         p["xl/connections.xml"] =
             "<connections xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"/>";
         testing::add_relationship(p, "xl/_rels/workbook.xml.rels", "rId10",
                                   testing::rel_type("connections"), "connections.xml");
       }),
       xlsx(nullptr)},
      {"pptx.hidden_slide", pptx([](Parts& p) {
         std::string& slide = p["ppt/slides/slide1.xml"];
         slide.replace(slide.find("<p:sld "), 7, "<p:sld show=\"0\" ");
       }),
       pptx(nullptr)},
      {"pptx.speaker_notes", pptx([](Parts& p) {
         p["ppt/notesSlides/notesSlide1.xml"] =
             "<p:notes xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
             "xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/"
             "main\"><p:cSld><p:spTree>"
             "<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Notes\"/><p:cNvSpPr/><p:nvPr><p:ph "
             "type=\"body\" idx=\"1\"/></p:nvPr></p:nvSpPr>"
             "<p:spPr/><p:txBody><a:bodyPr/><a:p><a:r><a:t>ここは口頭で補足</a:t></a:r></a:p></"
             "p:txBody></p:sp>"
             "</p:spTree></p:cSld></p:notes>";
         testing::add_relationship(p, "ppt/slides/_rels/slide1.xml.rels", "rId3",
                                   testing::rel_type("notesSlide"),
                                   "../notesSlides/notesSlide1.xml");
       }),
       pptx(nullptr)},
      {"pii.email", csv("連絡先,taro.yamada@example.co.jp\r\n"),
       csv("連絡先,@meti_info と version1.2@3x\r\n")},
      {"pii.phone", csv("電話,０９０－１２３４－５６７８\r\n"), csv(clean_csv)},
      {"pii.postal_address", csv("住所,〒100-8901 東京都千代田区霞が関1-3-1\r\n"),
       csv("郵便番号,100-8901\r\n")},
      {"pii.my_number", csv("個人番号,123456789018\r\n"), csv("個人番号,123456789019\r\n")},
      {"pii.passport", csv("旅券番号,TK1234567\r\n"), csv("型番,AB1234567\r\n")},
      {"pii.corporate_number", csv("法人番号,7000012050002\r\n"),
       csv("法人番号,7000012050003\r\n")},
      {"pii.truncated",
       [](const fs::path& dir) {
         std::string text;
         for (int i = 0; i < 60; ++i) text += "user" + std::to_string(i) + "@example.jp\r\n";
         testing::write_bytes(dir / "many.csv", text);
         return dir / "many.csv";
       },
       csv("user@example.jp\r\n")},
  };
  return all;
}

std::set<std::string> codes_of(const FileReport& report) {
  std::set<std::string> codes;
  for (const auto& finding : report.findings) codes.insert(finding.code);
  return codes;
}

class FindingCodesTest : public ::testing::Test {
 protected:
  FileReport inspect(const fs::path& path, const InspectOptions& options = {}) {
    auto report = inspect_file(path.string(), options);
    EXPECT_TRUE(report.has_value()) << path;
    return report ? *report : FileReport{};
  }
  ::kakehashi::testing::TempDir temp_;
  fs::path dir_ = temp_.path();
};

TEST_F(FindingCodesTest, EveryCodeHasAFileWithItAndOneWithout) {
  // Codes whose fixtures live elsewhere: the deny list needs an option (below) and the
  // resource limit needs the isolated child process (isolate_test.cpp).
  std::set<std::string> covered = {"pii.deny_list", "file.resource_limit"};
  for (const auto& test_case : cases()) {
    SCOPED_TRACE(test_case.code);
    ASSERT_NE(find_code(test_case.code), nullptr);
    fs::path with_dir = dir_ / "with";
    fs::path without_dir = dir_ / "without";
    fs::create_directories(with_dir);
    fs::create_directories(without_dir);
    auto with = inspect(test_case.with(with_dir));
    auto without = inspect(test_case.without(without_dir));
    EXPECT_TRUE(codes_of(with).contains(test_case.code)) << to_text(std::vector{with});
    EXPECT_FALSE(codes_of(without).contains(test_case.code)) << to_text(std::vector{without});
    fs::remove_all(with_dir);
    fs::remove_all(without_dir);
    covered.insert(test_case.code);
  }
  for (const auto& row : finding_codes())
    EXPECT_TRUE(covered.contains(std::string(row.code))) << row.code;
}

// Screens list findings by label (issue 16 item 8): every code has one, in plain Japanese,
// distinct from every other, never the code itself.
TEST(FindingLabelsTest, EveryCodeHasAPlainJapaneseLabel) {
  std::set<std::string_view> labels;
  for (const auto& row : finding_codes()) {
    SCOPED_TRACE(row.code);
    EXPECT_FALSE(row.label.empty());
    EXPECT_TRUE(labels.insert(row.label).second) << "label used twice: " << row.label;
    EXPECT_EQ(row.label.find_first_of("._"), std::string_view::npos) << row.label;
    EXPECT_TRUE(std::any_of(row.label.begin(), row.label.end(),
                            [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
        << row.label;
    EXPECT_EQ(finding_label(row.code), row.label);
  }
  EXPECT_EQ(finding_label("pdf.javascript"), "JavaScript（自動で動くプログラム）");
  EXPECT_EQ(finding_label("file.decompression_bomb"), "圧縮爆弾の疑い（PDF 内のデータ）");
  EXPECT_EQ(finding_label("future.code"), "future.code");  // a report from a newer build
}

TEST_F(FindingCodesTest, DenyListNamesAreFoundWithoutSpaces) {
  testing::write_bytes(dir_ / "roster.txt", "# 情報取扱者\n山田 太郎\n");
  auto deny = DenyList::read_file((dir_ / "roster.txt").string());
  ASSERT_TRUE(deny.has_value());
  InspectOptions options{*deny};
  testing::write_bytes(dir_ / "a.csv", "担当,山田　太郎\r\n");
  testing::write_bytes(dir_ / "b.csv", "担当,山田花子\r\n");
  auto with = inspect(dir_ / "a.csv", options);
  ASSERT_EQ(with.findings.size(), 1u);
  EXPECT_EQ(with.findings[0].code, "pii.deny_list");
  EXPECT_EQ(with.findings[0].location, "行 1 列 2");
  EXPECT_EQ(with.findings[0].message, "公開してはならない名前があります: 山＊＊＊");
  EXPECT_TRUE(inspect(dir_ / "b.csv", options).findings.empty());
}

TEST_F(FindingCodesTest, HiddenRowsAndColumnsNameSheetAndRange) {
  testing::Parts parts = testing::minimal_xlsx();
  parts["xl/workbook.xml"] = workbook_xml("<sheet name=\"売上\" sheetId=\"1\" r:id=\"rId1\"/>");
  parts["xl/worksheets/sheet1.xml"] =
      sheet_xml("<cols><col min=\"3\" max=\"5\" width=\"9\" hidden=\"1\"/></cols>",
                "<row r=\"5\" hidden=\"1\"/><row r=\"6\" hidden=\"1\"/><row r=\"7\" ht=\"0\" "
                "customHeight=\"1\"/><row r=\"9\" hidden=\"true\"/>");
  testing::write_zip(dir_ / "hidden.xlsx", parts);
  auto report = inspect(dir_ / "hidden.xlsx");
  std::vector<std::string> locations;
  for (const auto& finding : report.findings)
    locations.push_back(finding.code + " " + finding.location);
  EXPECT_EQ(locations, (std::vector<std::string>{"xlsx.hidden_column シート「売上」 列 C:E",
                                                 "xlsx.hidden_row シート「売上」 行 5-7",
                                                 "xlsx.hidden_row シート「売上」 行 9"}));
  EXPECT_EQ(report.findings[1].message, "非表示の行があります");
  EXPECT_EQ(report.findings[1].severity, Severity::kError);
}

TEST_F(FindingCodesTest, InfoMetadataIsAWarningWithoutAuthorOrCustomKeys) {
  testing::write_pdf(dir_ / "producer.pdf", [](QPDF& q, QPDFObjectHandle) {
    q.getTrailer().replaceKey(
        "/Info", q.makeIndirectObject(parse("<< /Producer (cairo) /Title (Report) >>")));
  });
  auto report = inspect(dir_ / "producer.pdf");
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].severity, Severity::kWarning);
  EXPECT_EQ(report.findings[0].message, "文書情報に次の項目が設定されています: Producer、Title");
  testing::write_pdf(dir_ / "custom.pdf", [](QPDF& q, QPDFObjectHandle) {
    q.getTrailer().replaceKey("/Info", q.makeIndirectObject(parse("<< /Reviewer (someone) >>")));
  });
  EXPECT_EQ(inspect(dir_ / "custom.pdf").findings.at(0).severity, Severity::kError);
}

TEST_F(FindingCodesTest, CorePropertiesWithoutPersonFieldsAreAWarning) {
  testing::Parts parts = testing::minimal_docx();
  parts["docProps/core.xml"] =
      "<cp:coreProperties "
      "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
      "xmlns:dcterms=\"http://purl.org/dc/terms/\"><dcterms:created>2026-04-01T00:00:00Z</"
      "dcterms:created>"
      "<cp:lastModifiedBy></cp:lastModifiedBy></cp:coreProperties>";
  testing::add_relationship(parts, "_rels/.rels", "rId2", testing::rel_type("core-properties"),
                            "docProps/core.xml");
  testing::write_zip(dir_ / "dates.docx", parts);
  auto report = inspect(dir_ / "dates.docx");
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].code, "ooxml.core_properties");
  EXPECT_EQ(report.findings[0].severity, Severity::kWarning);
  EXPECT_EQ(report.findings[0].message, "文書のプロパティに次の項目が設定されています: created");
}

TEST_F(FindingCodesTest, StatsCountBytesPagesAndCharacters) {
  fs::path path = pptx(nullptr)(dir_);
  auto report = inspect(path);
  EXPECT_EQ(report.type, FileType::kPptx);
  EXPECT_EQ(report.stats.bytes, fs::file_size(path));
  EXPECT_EQ(report.stats.pages, 1u);
  EXPECT_EQ(report.stats.chars, 4u);  // 成果報告
  testing::write_pdf(dir_ / "one.pdf");
  auto pdf_report = inspect(dir_ / "one.pdf");
  EXPECT_EQ(pdf_report.stats.pages, 1u);
  EXPECT_GE(pdf_report.stats.chars, 18u);  // "Public report 2026" (+ line break)
  EXPECT_TRUE(pdf_report.findings.empty()) << to_text(std::vector{pdf_report});
}

TEST_F(FindingCodesTest, CleanMinimalFilesHaveNoFindings) {
  for (const auto& make : {xlsx(nullptr), docx(nullptr), pptx(nullptr)}) {
    auto report = inspect(make(dir_));
    EXPECT_TRUE(report.findings.empty()) << to_text(std::vector{report});
  }
}

TEST_F(FindingCodesTest, NeverWritesTheInput) {
  fs::path path =
      xlsx([](Parts& p) { p["xl/media/zeros.bin"] = std::string(40'000'000, '\0'); })(dir_);
  std::string before = testing::read_bytes(path);
  auto time = fs::last_write_time(path);
  inspect(path);
  EXPECT_EQ(testing::read_bytes(path), before);
  EXPECT_EQ(fs::last_write_time(path), time);
}

}  // namespace
}  // namespace kakehashi::inspect
