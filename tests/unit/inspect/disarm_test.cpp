// Disarmed copies for reviewers (issue 13 item 7): the public samples with scripts, actions and
// attachments lose them, their pages keep their text, and the inspector finds none of them in
// the copy; Office files lose macros, embedded objects and external links and nothing else.
#include "inspect/disarm.h"

#include <gtest/gtest.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-page.h>

#include <cstdlib>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>
#include <set>

#include "inspect/cleaner.h"
#include "inspect/inspector.h"
#include "support/result.h"
#include "support/temp_dir.h"
#include "unit/inspect/fixtures.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::inspect {
namespace {

namespace fs = std::filesystem;

fs::path samples_dir() {
  const char* shared = std::getenv("KAKEHASHI_SHARED_DIR");
  return fs::path(shared != nullptr ? shared : "../shared") / "data" / "docs";
}

// The text of every page, as pdftotext would give it (poppler, physical layout).
std::vector<std::string> page_texts(const fs::path& path) {
  std::unique_ptr<poppler::document> document(poppler::document::load_from_file(path.string()));
  std::vector<std::string> pages;
  if (!document) return pages;
  for (int i = 0; i < document->pages(); ++i) {
    std::unique_ptr<poppler::page> page(document->create_page(i));
    poppler::byte_array utf8 =
        page->text(poppler::rectf(), poppler::page::physical_layout).to_utf8();
    pages.emplace_back(utf8.begin(), utf8.end());
  }
  return pages;
}

std::set<std::string> codes_of(const fs::path& path) {
  auto report = inspect_file(path.string(), {});
  std::set<std::string> codes;
  if (report) {
    for (const auto& finding : report->findings) codes.insert(finding.code);
  }
  return codes;
}

std::string annotation_messages(const fs::path& path) {
  auto report = inspect_file(path.string(), {});
  std::string out;
  if (report) {
    for (const auto& finding : report->findings) {
      if (finding.code == "pdf.annotation") out += finding.location + " " + finding.message + "\n";
    }
  }
  return out;
}

class DisarmTest : public ::testing::Test {
 protected:
  ::kakehashi::testing::TempDir temp_;
  fs::path dir_ = temp_.path();
};

// The active content findings a disarmed PDF may no longer have.
const std::set<std::string> kActive = {"pdf.javascript", "pdf.embedded_file", "pdf.action"};

TEST_F(DisarmTest, SamplesLoseScriptsActionsAndAttachmentsButKeepTheirPages) {
  struct Sample {
    std::string file;
    std::string removed;  // DisarmReport::to_json()
    std::set<std::string> before;  // active findings the original has
  };
  const std::vector<Sample> samples = {
      {"pdfjs__doc_actions.pdf", R"({"javascript":11})", {"pdf.javascript", "pdf.action"}},
      {"pdfjs__js-authors.pdf", R"({"javascript":1})", {"pdf.javascript"}},
      {"pdfjs__attachment.pdf", R"({"embedded_file":1})", {"pdf.embedded_file"}},
      {"pdfjs__annotation-fileattachment.pdf", R"({"attachment_annotation":1})",
       {"pdf.embedded_file"}},
      {"pdfjs__issue17846.pdf", R"({"action":1})", {"pdf.action"}},
      {"pdfjs__annotation_hidden_noview.pdf", R"({"javascript":1})", {"pdf.javascript"}},
      {"mat2__dirty.pdf", "{}", {}},
  };
  for (const auto& sample : samples) {
    SCOPED_TRACE(sample.file);
    fs::path in = samples_dir() / sample.file;
    fs::path out = dir_ / sample.file;
    std::string before = testing::read_bytes(in);
    std::set<std::string> codes_before = codes_of(in);
    for (const auto& code : sample.before) EXPECT_TRUE(codes_before.contains(code)) << code;

    auto report = disarm_pdf(in, out);
    ASSERT_OK(report);
    EXPECT_EQ(report->to_json(), sample.removed);
    EXPECT_EQ(report->extension, ".pdf");
    EXPECT_EQ(testing::read_bytes(in), before);  // the original is kept as it was

    std::set<std::string> codes_after = codes_of(out);
    for (const auto& code : kActive) EXPECT_FALSE(codes_after.contains(code)) << code;
    EXPECT_FALSE(codes_after.contains("file.unreadable"));
    EXPECT_EQ(annotation_messages(out).find("FileAttachment"), std::string::npos)
        << annotation_messages(out);
    // The same pages with the same text.
    std::vector<std::string> pages = page_texts(in);
    ASSERT_FALSE(pages.empty());
    EXPECT_EQ(page_texts(out), pages);
  }
}

// A PDF with every kind of active content, and things a reviewer needs that must stay.
void write_armed_pdf(const fs::path& path) {
  testing::write_pdf(path, [](QPDF& pdf, QPDFObjectHandle page) {
    auto parse = [](const std::string& text) { return QPDFObjectHandle::parse(text); };
    QPDFObjectHandle root = pdf.getRoot();
    root.replaceKey("/OpenAction", parse("<< /S /JavaScript /JS (app.alert\\(1\\)) >>"));
    root.replaceKey("/AA", parse("<< /WC << /S /Launch /F (calc.exe) >> >>"));
    QPDFObjectHandle file = pdf.makeIndirectObject(
        QPDFObjectHandle::newStream(&pdf, "secret attachment"));
    file.getDict().replaceKey("/Type", QPDFObjectHandle::newName("/EmbeddedFile"));
    QPDFObjectHandle spec = pdf.makeIndirectObject(
        parse("<< /Type /Filespec /F (a.txt) /UF (a.txt) >>"));
    spec.replaceKey("/EF", QPDFObjectHandle::newDictionary());
    spec.getKey("/EF").replaceKey("/F", file);
    QPDFObjectHandle names = QPDFObjectHandle::newDictionary();
    names.replaceKey("/EmbeddedFiles", QPDFObjectHandle::newDictionary());
    names.getKey("/EmbeddedFiles")
        .replaceKey("/Names",
                    QPDFObjectHandle::newArray({QPDFObjectHandle::newString("a.txt"), spec}));
    names.replaceKey(
        "/JavaScript",
        parse("<< /Names [(one) << /S /JavaScript /JS (1) >> (two) << /S /JavaScript /JS (2) >>] "
              ">>"));
    root.replaceKey("/Names", names);
    root.replaceKey("/AcroForm", parse("<< /Fields [] /XFA (<xdp/>) >>"));
    page.replaceKey("/AA", parse("<< /O << /S /SubmitForm /F (https://example.com/) >> >>"));

    QPDFObjectHandle attachment_file =
        pdf.makeIndirectObject(QPDFObjectHandle::newStream(&pdf, "annotated attachment"));
    QPDFObjectHandle attachment = pdf.makeIndirectObject(
        parse("<< /Type /Annot /Subtype /FileAttachment /Rect [10 10 30 30] /Contents (file) >>"));
    attachment.replaceKey("/FS", parse("<< /Type /Filespec /F (b.txt) >>"));
    attachment.getKey("/FS").replaceKey("/EF", QPDFObjectHandle::newDictionary());
    attachment.getKey("/FS").getKey("/EF").replaceKey("/F", attachment_file);
    QPDFObjectHandle popup = pdf.makeIndirectObject(
        parse("<< /Type /Annot /Subtype /Popup /Rect [30 30 90 90] >>"));
    popup.replaceKey("/Parent", attachment);
    attachment.replaceKey("/Popup", popup);
    QPDFObjectHandle annots = QPDFObjectHandle::newArray({
        attachment,
        popup,
        pdf.makeIndirectObject(parse("<< /Type /Annot /Subtype /RichMedia /Rect [0 0 10 10] >>")),
        pdf.makeIndirectObject(parse("<< /Type /Annot /Subtype /3D /Rect [0 0 10 10] >>")),
        // Links: a script, a javascript: and a file: URI, a web link and a jump that chains a
        // script.
        pdf.makeIndirectObject(parse("<< /Type /Annot /Subtype /Link /Rect [0 100 50 120] "
                                     "/A << /S /JavaScript /JS (3) >> >>")),
        pdf.makeIndirectObject(parse("<< /Type /Annot /Subtype /Link /Rect [0 130 50 150] "
                                     "/A << /S /URI /URI (JavaScript:alert\\(1\\)) >> >>")),
        pdf.makeIndirectObject(parse("<< /Type /Annot /Subtype /Link /Rect [0 160 50 180] "
                                     "/A << /S /URI /URI (file:///etc/passwd) >> >>")),
        pdf.makeIndirectObject(parse("<< /Type /Annot /Subtype /Link /Rect [0 190 50 210] "
                                     "/A << /S /URI /URI (https://www.meti.go.jp/) >> >>")),
        pdf.makeIndirectObject(parse("<< /Type /Annot /Subtype /Link /Rect [0 220 50 240] "
                                     "/A << /S /GoTo /D [0 /Fit] /Next [<< /S /GoToR /F "
                                     "(other.pdf) /D [0 /Fit] >> << /S /Named /N /NextPage >>] "
                                     ">> >>")),
        // A reviewer's sticky note stays.
        pdf.makeIndirectObject(parse("<< /Type /Annot /Subtype /Text /Rect [100 100 120 120] "
                                     "/Contents (確認してください) >>")),
    });
    page.replaceKey("/Annots", annots);
  });
}

TEST_F(DisarmTest, EveryKindOfActiveContentIsRemovedAndCounted) {
  write_armed_pdf(dir_ / "armed.pdf");
  std::set<std::string> before = codes_of(dir_ / "armed.pdf");
  for (const auto& code : kActive) EXPECT_TRUE(before.contains(code)) << code;

  auto report = disarm_pdf(dir_ / "armed.pdf", dir_ / "disarmed.pdf");
  ASSERT_OK(report);
  EXPECT_EQ(report->to_json(),
            R"({"javascript":4,"action":3,"unsafe_link":2,"embedded_file":1,)"
            R"("attachment_annotation":1,"rich_media":2,"xfa":1})");
  EXPECT_EQ(report->to_text(),
            "JavaScript 4 件、自動実行・外部への動作 3 件、javascript: や file: などへのリンク 2 "
            "件、添付ファイル 1 件、添付ファイルの注釈 1 件、動画・音声・3D などの埋め込み 2 "
            "件、XFA フォーム 1 件");
  EXPECT_EQ(report->total(), 14);
  EXPECT_EQ(report->count("rich_media"), 2);

  std::set<std::string> after = codes_of(dir_ / "disarmed.pdf");
  EXPECT_FALSE(after.contains("pdf.javascript"));
  EXPECT_FALSE(after.contains("pdf.embedded_file"));
  // The inspector (for publication) still lists the web link the reviewer may follow.
  auto check = inspect_file((dir_ / "disarmed.pdf").string(), {});
  ASSERT_TRUE(check.has_value());
  for (const auto& finding : check->findings) {
    if (finding.code == "pdf.action") {
      EXPECT_EQ(finding.message, "自動実行または外部への動作が設定されています: URI https://www.meti.go.jp/");
    }
  }
  EXPECT_EQ(page_texts(dir_ / "disarmed.pdf"), page_texts(dir_ / "armed.pdf"));

  // What a reviewer needs stayed: the web link, the jump (without its remote /Next), the note.
  QPDF pdf;
  pdf.processFile((dir_ / "disarmed.pdf").c_str());
  auto pages = QPDFPageDocumentHelper(pdf).getAllPages();
  ASSERT_EQ(pages.size(), 1u);
  QPDFObjectHandle annots = pages[0].getObjectHandle().getKey("/Annots");
  std::vector<std::string> kept;
  for (int i = 0; i < annots.getArrayNItems(); ++i) {
    QPDFObjectHandle annot = annots.getArrayItem(i);
    std::string line = annot.getKey("/Subtype").getName();
    QPDFObjectHandle action = annot.getKey("/A");
    if (action.isDictionary()) line += " " + action.getKey("/S").getName();
    if (action.isDictionary() && action.hasKey("/URI"))
      line += " " + action.getKey("/URI").getUTF8Value();
    if (action.isDictionary() && action.hasKey("/Next"))
      line += " next " + action.getKey("/Next").unparse();
    kept.push_back(line);
  }
  EXPECT_EQ(kept, (std::vector<std::string>{"/Link", "/Link", "/Link",
                                            "/Link /URI https://www.meti.go.jp/",
                                            "/Link /GoTo next [ << /N /NextPage /S /Named >> ]",
                                            "/Text"}));
  QPDFObjectHandle root = pdf.getRoot();
  EXPECT_FALSE(root.hasKey("/OpenAction"));
  EXPECT_FALSE(root.hasKey("/AA"));
  EXPECT_FALSE(root.getKey("/Names").hasKey("/JavaScript"));
  EXPECT_FALSE(root.getKey("/Names").hasKey("/EmbeddedFiles"));
  EXPECT_FALSE(root.getKey("/AcroForm").hasKey("/XFA"));
  // Nothing of the attachments is left anywhere in the file.
  std::string bytes = testing::read_bytes(dir_ / "disarmed.pdf");
  EXPECT_EQ(bytes.find("secret attachment"), std::string::npos);
  EXPECT_EQ(bytes.find("annotated attachment"), std::string::npos);
}

TEST_F(DisarmTest, AFileWithNothingToRemoveKeepsItsStreamsByteForByte) {
  testing::write_pdf(dir_ / "plain.pdf");
  auto report = disarm_pdf(dir_ / "plain.pdf", dir_ / "copy.pdf");
  ASSERT_TRUE(report.has_value());
  EXPECT_TRUE(report->removed.empty());
  EXPECT_EQ(report->to_text(), "取り除くものはありませんでした");
  QPDF original;
  original.processFile((dir_ / "plain.pdf").c_str());
  QPDF copy;
  copy.processFile((dir_ / "copy.pdf").c_str());
  auto raw = [](QPDF& pdf) {
    auto content = QPDFPageDocumentHelper(pdf).getAllPages()[0].getObjectHandle().getKey(
        "/Contents");
    auto buffer = content.getRawStreamData();
    return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
  };
  EXPECT_EQ(raw(copy), raw(original));
}

TEST_F(DisarmTest, AnOwnerPasswordIsDroppedAndThePagesStay) {
  // Restricted printing and copying only: reviewers can open it; the copy is not encrypted.
  testing::write_pdf(dir_ / "plain.pdf", [](QPDF& pdf, QPDFObjectHandle) {
    pdf.getRoot().replaceKey("/OpenAction",
                             QPDFObjectHandle::parse("<< /S /JavaScript /JS (1) >>"));
  });
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
  auto report = disarm_pdf(dir_ / "restricted.pdf", dir_ / "copy.pdf");
  ASSERT_OK(report);
  EXPECT_EQ(report->to_json(), R"({"javascript":1})");
  QPDF copy;
  copy.processFile((dir_ / "copy.pdf").c_str());
  EXPECT_FALSE(copy.isEncrypted());
  EXPECT_EQ(page_texts(dir_ / "copy.pdf"), page_texts(dir_ / "plain.pdf"));
  EXPECT_FALSE(codes_of(dir_ / "copy.pdf").contains("pdf.javascript"));
}

TEST_F(DisarmTest, BombsAndBrokenFilesAreRefused) {
  testing::write_pdf(
      dir_ / "bomb.pdf",
      [](QPDF& q, QPDFObjectHandle page) {
        page.replaceKey(
            "/Contents",
            testing::encoded_stream(q, testing::deflate_zeros(1ull << 30, true), "/FlateDecode"));
      },
      false, true);
  auto bomb = disarm_pdf(dir_ / "bomb.pdf", dir_ / "out.pdf");
  ASSERT_FALSE(bomb.has_value());
  EXPECT_TRUE(bomb.error().message.starts_with("圧縮爆弾の疑いがあるため無害化できません: "))
      << bomb.error().message;
  EXPECT_FALSE(fs::exists(dir_ / "out.pdf"));
  // The publication cleaner refuses it too (its writer would inflate the stream).
  auto cleaned = clean_file((dir_ / "bomb.pdf").string(), (dir_ / "clean.pdf").string(), {});
  ASSERT_FALSE(cleaned.has_value());
  EXPECT_TRUE(cleaned.error().message.starts_with("圧縮爆弾の疑いがあるためクリーニングできません: "))
      << cleaned.error().message;

  testing::write_bytes(dir_ / "broken.pdf", "%PDF-1.7\nnothing here");
  EXPECT_FALSE(disarm_pdf(dir_ / "broken.pdf", dir_ / "out.pdf").has_value());
  testing::write_pdf(dir_ / "locked.pdf", nullptr, true);
  auto locked = disarm_pdf(dir_ / "locked.pdf", dir_ / "out.pdf");
  ASSERT_FALSE(locked.has_value());
  ExpectError(locked, ErrorCode::kInvalidArgument, "パスワードで保護された PDF は無害化できません");
  testing::write_bytes(dir_ / "data.csv", "a,b\n");
  auto csv = disarm_file(dir_ / "data.csv", dir_ / "out.csv");
  ASSERT_FALSE(csv.has_value());
  ExpectError(csv, ErrorCode::kInvalidArgument, "無害化できるのは PDF と Office 文書（Word・Excel・PowerPoint）です");
  testing::write_pdf(dir_ / "plain.pdf");
  auto same = disarm_file(dir_ / "plain.pdf", dir_ / "plain.pdf");
  ASSERT_FALSE(same.has_value());
  ExpectError(same, ErrorCode::kInvalidArgument, "出力先が入力と同じファイルです");
}

TEST_F(DisarmTest, OfficeFilesLoseMacrosEmbeddedObjectsAndExternalLinksOnly) {
  struct Sample {
    std::string file;
    std::string removed;
    std::string extension;
    std::set<std::string> gone;  // findings the copy no longer has
    std::set<std::string> kept;  // findings that stay: content is for the cleaner to decide
  };
  const std::vector<Sample> samples = {
      {"poi__SimpleMacro.docm", R"({"macro":1})", ".docx", {"ooxml.macro"}, {}},
      {"poi__SimpleMacro.xlsm",
       R"({"macro":1})",
       ".xlsx",
       {"ooxml.macro"},
       {"ooxml.core_properties"}},
      {"poi__WithEmbeded.xlsx",
       R"({"embedded_object":2})",
       ".xlsx",
       {"ooxml.embedded_object"},
       {"ooxml.printer_settings"}},
      {"poi__ref-56737.xlsx",
       R"({"external_link":1})",
       ".xlsx",
       {"ooxml.external_link"},
       {"ooxml.app_properties"}},
      {"poi__ExternalEntityInText.docx",
       R"({"dtd":1})",
       ".docx",
       {"ooxml.unsafe_xml"},
       {"docx.document_variable"}},
      {"poi__SimpleWithComments.xlsx", "{}", ".xlsx", {}, {"ooxml.comments"}},
      {"poi__TwoSheetsOneHidden.xlsx", "{}", ".xlsx", {}, {"xlsx.hidden_sheet"}},
  };
  for (const auto& sample : samples) {
    SCOPED_TRACE(sample.file);
    fs::path in = samples_dir() / sample.file;
    auto report = disarm_office(in, dir_ / ("out" + fs::path(sample.file).extension().string()));
    ASSERT_OK(report);
    EXPECT_EQ(report->to_json(), sample.removed);
    EXPECT_EQ(report->extension, sample.extension);
    fs::path out = dir_ / (fs::path(sample.file).stem().string() + report->extension);
    fs::rename(dir_ / ("out" + fs::path(sample.file).extension().string()), out);
    std::set<std::string> before = codes_of(in);
    std::set<std::string> after = codes_of(out);
    for (const auto& code : sample.gone) {
      EXPECT_TRUE(before.contains(code)) << code;
      EXPECT_FALSE(after.contains(code)) << code;
    }
    for (const auto& code : sample.kept) EXPECT_TRUE(after.contains(code)) << code;
    EXPECT_FALSE(after.contains("file.unreadable"));
  }
}

TEST_F(DisarmTest, DisarmFileRoutesByContent) {
  auto pdf = disarm_file(samples_dir() / "pdfjs__js-authors.pdf", dir_ / "a.pdf");
  ASSERT_TRUE(pdf.has_value());
  EXPECT_EQ(pdf->count("javascript"), 1);
  auto office = disarm_file(samples_dir() / "poi__SimpleMacro.pptm", dir_ / "b.pptx");
  ASSERT_OK(office);
  EXPECT_EQ(office->extension, ".pptx");
  EXPECT_EQ(office->count("macro"), 1);
}

TEST(DisarmKindsTest, EveryKindHasAUniquePlainJapaneseLabel) {
  std::set<std::string_view> kinds;
  std::set<std::string_view> labels;
  for (const auto& kind : disarm_kinds()) {
    EXPECT_TRUE(kinds.insert(kind.kind).second) << kind.kind;
    EXPECT_TRUE(labels.insert(kind.label).second) << kind.label;
    EXPECT_FALSE(kind.label.empty()) << kind.kind;
    EXPECT_NE(kind.label, kind.kind);
  }
  // Counts under an unknown kind are dropped rather than shown as a code.
  EXPECT_EQ(make_disarm_report({{"javascript", 1}, {"bogus", 3}}, ".pdf").to_json(),
            R"({"javascript":1})");
}

}  // namespace
}  // namespace kakehashi::inspect
