#include "inspect/pdf.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <set>

#include "base/text.h"
#include "inspect/file_bytes.h"
#include "inspect/package.h"
#include "inspect/photo.h"
#include "inspect/pdf_revisions.h"
#include "inspect/pdf_streams.h"
#include "inspect/pdf_text.h"
#include "inspect/poppler_text.h"

namespace kakehashi::inspect {

namespace {

constexpr int kMaxObjectDepth = 64;  // nested direct objects followed when looking for actions
constexpr std::size_t kMaxObjects = 2'000'000;  // objects walked in one file
constexpr long long kMaxXmpBytes = 16ll << 20;   // an XMP packet larger than this is not read

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += "、";
    out += item;
  }
  return out;
}

std::string page_ranges(const std::vector<int>& pages) {
  std::string out;
  size_t i = 0;
  while (i < pages.size()) {
    size_t j = i;
    while (j + 1 < pages.size() && pages[j + 1] == pages[j] + 1) ++j;
    if (!out.empty()) out += ", ";
    out += i == j ? std::to_string(pages[i]) : fmt::format("{}-{}", pages[i], pages[j]);
    i = j + 1;
  }
  return out;
}

// The action types that run code or leave the document.
bool is_outside_action(const std::string& type) {
  return type == "/Launch" || type == "/URI" || type == "/GoToR" || type == "/GoToE" ||
         type == "/ImportData" || type == "/SubmitForm" || type == "/Rendition" ||
         type == "/Movie" || type == "/Sound";
}


// Whether an xmp:CreatorTool value names a program rather than a person: a version number or
// the name of a known producer. "Taro Yamada" or "山田太郎" is a person.
bool looks_like_software(std::string_view value) {
  if (std::any_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return true;
  std::string lower(value);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const char* const kTools[] = {
      "word", "excel", "powerpoint", "office", "acrobat", "adobe", "microsoft", "libreoffice",
      "openoffice", "writer", "calc", "impress", "pdf", "tex", "distiller", "ghostscript",
      "quartz", "chrome", "skia", "mozilla", "firefox", "safari", "indesign", "illustrator",
      "photoshop", "pages", "keynote", "google", "scan", "print", "canon", "epson", "ricoh",
      "xerox", "sharp", "fujifilm", "konica", "kyocera", "brother", "cairo", "reportlab",
      "itext", "wkhtmltopdf", "prince", "kakehashi", "一太郎", "ichitaro", "justsystem", "wps",
      "hancom", "foxit", "nitro", "windows", "mac os", "macos", "ios", "android", "python",
      "java", "qt", "framemaker", "quark", "affinity", "inkscape", "gimp", "canva", "visio",
      "outlook", "onenote", "publisher", "cad", "matlab", "latex", "pandoc", "markdown"};
  for (const char* tool : kTools) {
    if (lower.find(tool) != std::string::npos) return true;
  }
  return false;
}

struct XmpPeople {
  std::vector<std::string> fields;  // "dc:creator", ... as written
};

// Reads an XMP packet: person fields (dc:creator, dc:contributor, pdf:Author, xmpRights:Owner,
// photoshop:AuthorsPosition / CaptionWriter, Iptc4xmpCore:CreatorContactInfo, xmp:CreatorTool
// naming a person, any mailto: address) whether written as elements or as attributes; every
// value goes through the personal-information detectors.
XmpPeople read_xmp(const std::string& xml, TextScanner& scanner, const std::string& where) {
  XmpPeople people;
  XmlScan scan = scan_xml(xml);
  if (scan.doctype || scan.entity || scan.too_deep()) return people;
  auto document = parse_xml(xml, true);
  if (!document) return people;
  std::set<std::string> seen;
  auto consider = [&](std::string_view qualified, const std::string& value) {
    if (text::trim(value).empty()) return;
    std::string name(qualified);
    std::string_view local = local_name(name.c_str());
    bool person = local == "creator" || local == "contributor" || local == "Author" ||
                  local == "Authors" || local == "Owner" || local == "AuthorsPosition" ||
                  local == "CaptionWriter" || local == "CreatorContactInfo" ||
                  local == "LastModifiedBy" ||
                  (local == "CreatorTool" && !looks_like_software(value)) ||
                  value.find("mailto:") != std::string::npos;
    scanner.scan(value, where + " の XMP（" + name + "）", false);
    if (person && seen.insert(name).second) people.fields.push_back(name);
  };
  std::function<void(const pugi::xml_node&, int)> walk = [&](const pugi::xml_node& node,
                                                             int depth) {
    if (depth > kMaxXmlDepth) return;
    for (auto child : node.children()) {
      if (child.type() != pugi::node_element) continue;
      std::string_view name = child.name();
      if (!name.starts_with("rdf:") && !name.starts_with("x:")) {
        // A property: all the text below it (rdf:Seq / rdf:Alt / rdf:li included).
        std::string value;
        for (auto text : child.select_nodes(".//text()")) {
          if (!value.empty()) value += ' ';
          value += text.node().value();
        }
        consider(name, value);
      }
      for (auto attr : child.attributes()) {
        std::string_view attr_name = attr.name();
        if (attr_name.starts_with("xmlns") || attr_name.starts_with("rdf:") ||
            attr_name.starts_with("x:") || attr_name.starts_with("xml:"))
          continue;
        consider(attr_name, attr.value());
      }
      walk(child, depth + 1);
    }
  };
  walk(**document, 0);
  return people;
}

class PdfInspector {
 public:
  PdfInspector(QPDF& pdf, const std::string& bytes, const DenyList& deny_list, FileReport& report)
      : pdf_(pdf), bytes_(bytes), scanner_(deny_list), report_(report) {}

  void run() {
    QPDFObjectHandle trailer = pdf_.getTrailer();
    QPDFObjectHandle root = pdf_.getRoot();
    if (pdf_.isEncrypted()) add("pdf.encrypted", "", "（所有者パスワードによる制限）");
    inspect_info(trailer.getKey("/Info"));
    inspect_xmp();
    if (root.hasKey("/PieceInfo")) add("pdf.private_data", "文書", "PieceInfo");
    inspect_names(root.getKey("/Names"));
    inspect_forms(root.getKey("/AcroForm"));
    inspect_layers(root.getKey("/OCProperties"));
    QPDFObjectHandle open_action = root.getKey("/OpenAction");
    if (open_action.isDictionary()) {
      std::string type =
          open_action.getKey("/S").isName() ? open_action.getKey("/S").getName() : "";
      if (type != "/GoTo") actions_.insert("OpenAction " + type.substr(type.empty() ? 0 : 1));
    }
    if (root.hasKey("/AA")) actions_.insert("文書の AA（追加動作）");
    inspect_pages();
    inspect_all_objects();
    inspect_photos();
    inspect_revisions();
    if (javascript_ > 0) add("pdf.javascript", "", fmt::format("（{} 箇所）", javascript_));
    if (!actions_.empty()) add("pdf.action", "", join({actions_.begin(), actions_.end()}));
    if (!embedded_.empty()) add("pdf.embedded_file", "", join(embedded_));
    report_.stats.chars = scanner_.chars();
    scanner_.take_findings(report_.findings);
  }

 private:
  void add(std::string_view code, std::string location, std::string_view detail,
           std::optional<Severity> severity = std::nullopt) {
    report_.findings.push_back(make_finding(code, std::move(location), detail, severity));
  }

  void inspect_info(QPDFObjectHandle info) {
    if (!info.isDictionary()) return;
    static const std::set<std::string> kStandard = {"/Title",        "/Author",  "/Subject",
                                                    "/Keywords",     "/Creator", "/Producer",
                                                    "/CreationDate", "/ModDate", "/Trapped"};
    std::vector<std::string> fields;
    bool serious = false;
    for (const auto& key : info.getKeys()) {
      QPDFObjectHandle value = info.getKey(key);
      // Values may be arrays or dictionaries of strings (issue 23 item 2): all their text.
      std::string text;
      flatten(value, text, 0);
      if (text::trim(text).empty()) continue;
      if (key == "/Author" || !kStandard.contains(key)) serious = true;
      fields.push_back(key.substr(1));
      scanner_.scan(text, "文書情報（" + key.substr(1) + "）", false);
    }
    if (!fields.empty()) {
      add("pdf.info_metadata", "文書情報", join(fields),
          serious ? Severity::kError : Severity::kWarning);
    }
  }

  // The text of strings (and names) in `value`, nested arrays and dictionaries included.
  static void flatten(QPDFObjectHandle value, std::string& out, int depth) {
    if (depth > kMaxObjectDepth || out.size() > 65536) return;
    if (value.isString() || value.isName()) {
      if (!out.empty()) out += ' ';
      out += value.isString() ? value.getUTF8Value() : value.getName();
    } else if (value.isArray()) {
      for (int i = 0; i < value.getArrayNItems(); ++i) flatten(value.getArrayItem(i), out, depth + 1);
    } else if (value.isDictionary() && !value.isStream()) {
      for (const auto& key : value.getKeys()) flatten(value.getKey(key), out, depth + 1);
    }
  }

  // XMP packets: the catalog's, a page's, and those attached to any other object (an image, a
  // font, a form XObject) or left in the file unreferenced (issue 23 item 2). Person fields are
  // errors as in the Info dictionary.
  void inspect_xmp() {
    std::map<QPDFObjGen, std::string> owners;  // metadata stream -> where it is attached
    std::map<QPDFObjGen, int> page_numbers;
    int number = 0;
    for (auto& page : QPDFPageDocumentHelper(pdf_).getAllPages())
      page_numbers[page.getObjectHandle().getObjGen()] = ++number;
    QPDFObjectHandle root = pdf_.getRoot();
    std::vector<QPDFObjectHandle> objects = pdf_.getAllObjects();
    if (objects.size() > kMaxObjects) objects.resize(kMaxObjects);
    for (auto& object : objects) {
      QPDFObjectHandle dict = object.isStream() ? object.getDict() : object;
      if (!dict.isDictionary()) continue;
      QPDFObjectHandle metadata = dict.getKey("/Metadata");
      if (metadata.isStream() && metadata.isIndirect() && !owners.contains(metadata.getObjGen())) {
        std::string where;
        if (object.getObjGen() == root.getObjGen()) {
          where = "文書";
        } else if (auto it = page_numbers.find(object.getObjGen()); it != page_numbers.end()) {
          where = fmt::format("ページ {}", it->second);
        } else {
          where = fmt::format("オブジェクト {} {}", object.getObjectID(), object.getGeneration());
        }
        owners[metadata.getObjGen()] = where;
      }
    }
    for (auto& object : objects) {
      if (!object.isStream() || owners.contains(object.getObjGen())) continue;
      QPDFObjectHandle dict = object.getDict();
      if ((dict.getKey("/Type").isName() && dict.getKey("/Type").getName() == "/Metadata") ||
          (dict.getKey("/Subtype").isName() && dict.getKey("/Subtype").getName() == "/XML")) {
        owners[object.getObjGen()] =
            fmt::format("オブジェクト {} {}", object.getObjectID(), object.getGeneration());
      }
    }
    // The catalog's first, then in object order.
    std::vector<std::pair<QPDFObjGen, std::string>> ordered(owners.begin(), owners.end());
    std::stable_partition(ordered.begin(), ordered.end(),
                          [](const auto& item) { return item.second == "文書"; });
    for (const auto& [og, where] : ordered) {
      std::string xml;
      try {
        QPDFObjectHandle stream = pdf_.getObjectByObjGen(og);
        QPDFObjectHandle length = stream.getDict().getKey("/Length");
        if (length.isInteger() && length.getIntValue() > kMaxXmpBytes) {
          add("pdf.xmp_metadata", where, "");
          continue;
        }
        auto buffer = stream.getStreamData(qpdf_dl_generalized);
        xml.assign(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
      } catch (const std::exception&) {
        add("pdf.xmp_metadata", where, "（読み取れません）");
        continue;
      }
      XmpPeople people = read_xmp(xml, scanner_, where);
      if (people.fields.empty()) {
        add("pdf.xmp_metadata", where, "");
      } else {
        add("pdf.xmp_metadata", where, "（作成者などの項目: " + join(people.fields) + "）",
            Severity::kError);
      }
    }
  }

  // Walks a name tree, calling `visit` for each (name, value).
  void walk_name_tree(QPDFObjectHandle node,
                      const std::function<void(const std::string&, QPDFObjectHandle)>& visit,
                      int depth = 0) {
    if (!node.isDictionary() || depth > kMaxObjectDepth) return;
    QPDFObjectHandle names = node.getKey("/Names");
    if (names.isArray()) {
      int n = names.getArrayNItems();
      for (int i = 0; i + 1 < n; i += 2) {
        QPDFObjectHandle name = names.getArrayItem(i);
        visit(name.isString() ? name.getUTF8Value() : "", names.getArrayItem(i + 1));
      }
    }
    QPDFObjectHandle kids = node.getKey("/Kids");
    if (kids.isArray()) {
      for (int i = 0; i < kids.getArrayNItems(); ++i)
        walk_name_tree(kids.getArrayItem(i), visit, depth + 1);
    }
  }

  void inspect_names(QPDFObjectHandle names) {
    if (!names.isDictionary()) return;
    walk_name_tree(names.getKey("/EmbeddedFiles"),
                   [&](const std::string& name, QPDFObjectHandle spec) {
                     std::string file = name;
                     if (spec.isDictionary()) {
                       for (const char* key : {"/UF", "/F"}) {
                         if (spec.getKey(key).isString()) {
                           file = spec.getKey(key).getUTF8Value();
                           break;
                         }
                       }
                     }
                     embedded_.push_back(file.empty() ? "名前なし" : file);
                   });
    // Scripts in the /JavaScript name tree are counted with every other /JavaScript action in
    // inspect_all_objects().
  }

  void inspect_forms(QPDFObjectHandle form) {
    if (!form.isDictionary()) return;
    std::vector<std::string> what;
    QPDFObjectHandle fields = form.getKey("/Fields");
    int count = fields.isArray() ? fields.getArrayNItems() : 0;
    if (count > 0) what.push_back(fmt::format("AcroForm（フィールド {} 個）", count));
    if (form.hasKey("/XFA")) what.push_back("XFA");
    if (!what.empty()) add("pdf.form", "文書", join(what));
    int signatures = 0;
    std::function<void(QPDFObjectHandle, int)> visit = [&](QPDFObjectHandle field, int depth) {
      if (!field.isDictionary() || depth > kMaxObjectDepth) return;
      if (field.getKey("/FT").isName() && field.getKey("/FT").getName() == "/Sig" &&
          field.hasKey("/V"))
        ++signatures;
      QPDFObjectHandle kids = field.getKey("/Kids");
      if (kids.isArray()) {
        for (int i = 0; i < kids.getArrayNItems(); ++i) visit(kids.getArrayItem(i), depth + 1);
      }
    };
    for (int i = 0; i < count; ++i) visit(fields.getArrayItem(i), 0);
    if (signatures > 0) add("pdf.signature", "文書", fmt::format("（{} 個）", signatures));
  }

  void inspect_layers(QPDFObjectHandle properties) {
    if (!properties.isDictionary()) return;
    QPDFObjectHandle defaults = properties.getKey("/D");
    std::vector<std::string> hidden;
    auto layer_name = [](QPDFObjectHandle group) {
      QPDFObjectHandle name =
          group.isDictionary() ? group.getKey("/Name") : QPDFObjectHandle::newNull();
      return name.isString() ? name.getUTF8Value() : std::string("名前なし");
    };
    if (defaults.isDictionary()) {
      QPDFObjectHandle off = defaults.getKey("/OFF");
      if (off.isArray()) {
        for (int i = 0; i < off.getArrayNItems(); ++i)
          hidden.push_back(layer_name(off.getArrayItem(i)));
      }
      QPDFObjectHandle base = defaults.getKey("/BaseState");
      if (base.isName() && base.getName() == "/OFF")
        hidden.push_back("既定で非表示（BaseState OFF）");
    }
    // Visibility expressions and membership policies can hide content whatever the defaults.
    int conditional = 0;
    for (auto& object : pdf_.getAllObjects()) {
      if (object.isDictionary() && object.getKey("/Type").isName() &&
          object.getKey("/Type").getName() == "/OCMD" &&
          (object.hasKey("/VE") || object.hasKey("/P"))) {
        ++conditional;
      }
    }
    if (conditional > 0) hidden.push_back(fmt::format("表示条件付きの内容 {} 個", conditional));
    if (!hidden.empty()) add("pdf.hidden_layer", "文書", join(hidden));
  }

  void inspect_pages() {
    std::vector<QPDFPageObjectHelper> pages = QPDFPageDocumentHelper(pdf_).getAllPages();
    report_.stats.pages = pages.size();
    int number = 0;
    for (auto& page : pages) {
      ++number;
      QPDFObjectHandle object = page.getObjectHandle();
      std::string where = fmt::format("ページ {}", number);
      if (object.hasKey("/AA")) actions_.insert(where + " の AA（追加動作）");
      if (object.hasKey("/PieceInfo")) add("pdf.private_data", where, "PieceInfo");
      QPDFObjectHandle annots = object.getKey("/Annots");
      if (!annots.isArray()) continue;
      std::map<std::string, int> kinds;
      for (int i = 0; i < annots.getArrayNItems(); ++i) {
        QPDFObjectHandle annot = annots.getArrayItem(i);
        if (!annot.isDictionary()) continue;
        std::string subtype =
            annot.getKey("/Subtype").isName() ? annot.getKey("/Subtype").getName() : "/?";
        int flags = annot.getKey("/F").isInteger() ? annot.getKey("/F").getIntValueAsInt() : 0;
        bool hidden = (flags & 2) != 0 || (flags & 32) != 0;  // Hidden, NoView
        if (subtype == "/FileAttachment") {
          QPDFObjectHandle spec = annot.getKey("/FS");
          std::string file = "注釈の添付";
          if (spec.isDictionary()) {
            for (const char* key : {"/UF", "/F"}) {
              if (spec.getKey(key).isString()) {
                file = spec.getKey(key).getUTF8Value();
                break;
              }
            }
          }
          embedded_.push_back(file + "（" + where + "）");
        }
        if (subtype == "/Link" || subtype == "/Widget") {
          if (!hidden) continue;
        }
        std::string label = subtype.substr(1) + (hidden ? "（非表示）" : "");
        ++kinds[label];
        for (const char* key : {"/Contents", "/T", "/RC"}) {
          if (annot.getKey(key).isString())
            scanner_.scan(annot.getKey(key).getUTF8Value(), where + " の注釈", false);
        }
      }
      if (!kinds.empty()) {
        std::vector<std::string> parts;
        for (const auto& [kind, count] : kinds)
          parts.push_back(fmt::format("{} {} 個", kind, count));
        add("pdf.annotation", where, join(parts));
      }
    }
  }

  // JPEG images (a single DCTDecode filter: the stream is the JPEG file) with EXIF, XMP or
  // IPTC (issue 23 item 1).
  void inspect_photos() {
    for (auto& object : pdf_.getAllObjects()) {
      if (!object.isStream()) continue;
      QPDFObjectHandle dict = object.getDict();
      if (!dict.getKey("/Subtype").isName() || dict.getKey("/Subtype").getName() != "/Image" ||
          !dict.getKey("/Filter").isName() || dict.getKey("/Filter").getName() != "/DCTDecode")
        continue;
      auto raw = object.getRawStreamData();
      std::string_view jpeg(reinterpret_cast<const char*>(raw->getBuffer()), raw->getSize());
      add_photo_findings(read_photo_metadata(jpeg),
                         fmt::format("画像（オブジェクト {} {}）", object.getObjectID(),
                                     object.getGeneration()),
                         report_.findings);
    }
  }

  // Every object: JavaScript actions (also in name trees and annotations), actions leaving the
  // document, and additional-action dictionaries of fields and annotations.
  void inspect_all_objects() {
    std::vector<QPDFObjectHandle> objects = pdf_.getAllObjects();
    if (objects.size() > kMaxObjects) objects.resize(kMaxObjects);
    for (auto& object : objects) visit(object.isStream() ? object.getDict() : object, 0);
  }

  void visit(QPDFObjectHandle object, int depth) {
    if (depth > kMaxObjectDepth) return;
    if (object.isDictionary()) {
      QPDFObjectHandle type = object.getKey("/S");
      if (type.isName()) {
        std::string name = type.getName();
        if (name == "/JavaScript" || object.hasKey("/JS")) {
          ++javascript_;
        } else if (is_outside_action(name)) {
          std::string label = name.substr(1);
          if (name == "/URI" && object.getKey("/URI").isString())
            label += " " + object.getKey("/URI").getUTF8Value();
          if (name == "/Launch") label += "（外部プログラムの実行）";
          if (actions_.size() < 20) actions_.insert(label);
        }
      } else if (object.hasKey("/JS")) {
        ++javascript_;
      }
      for (const auto& key : object.getKeys()) {
        QPDFObjectHandle value = object.getKey(key);
        if (!value.isIndirect() && (value.isDictionary() || value.isArray()))
          visit(value, depth + 1);
      }
    } else if (object.isArray()) {
      int n = object.getArrayNItems();
      for (int i = 0; i < n; ++i) {
        QPDFObjectHandle value = object.getArrayItem(i);
        if (!value.isIndirect() && (value.isDictionary() || value.isArray()))
          visit(value, depth + 1);
      }
    }
  }

  // Cross-reference sections that add or change objects (pdf_revisions.h): each leaves the
  // revision before it recoverable. %%EOF markers are not counted (streams may hold them).
  void inspect_revisions() {
    int updates = 0;
    if (auto revisions = count_pdf_revisions(bytes_)) {
      updates = revisions->updates;
    } else {
      // A chain that cannot be followed: trust the trailer qpdf recovered.
      bool linearized = false;
      try {
        linearized = pdf_.isLinearized();
      } catch (const std::exception&) {
      }
      if (pdf_.getTrailer().getKey("/Prev").isInteger() && !linearized) updates = 1;
    }
    if (updates > 0) add("pdf.incremental_update", "文書", fmt::format("追記 {} 回", updates));
  }

  QPDF& pdf_;
  const std::string& bytes_;
  TextScanner scanner_;
  FileReport& report_;
  int javascript_ = 0;
  std::set<std::string> actions_;
  std::vector<std::string> embedded_;

 public:
  TextScanner& scanner() { return scanner_; }
};

// Page text through poppler: PII in the visible text, and pages without a text layer.
void inspect_text(const std::string& bytes, PdfInspector& inspector, QPDF& pdf,
                  FileReport& report) {
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max())) return;
  std::vector<QPDFPageObjectHelper> pages = QPDFPageDocumentHelper(pdf).getAllPages();
  // poppler is loaded only for a page whose fonts need it (pdf_text.h, poppler_text.h).
  std::optional<PopplerDocument> document;
  auto poppler_text = [&](int i) -> std::optional<std::string> {
    if (!document) document.emplace(bytes);
    if (!document->readable() || i >= document->pages()) return std::nullopt;
    return document->page_text(i);
  };
  std::vector<int> without_text;
  bool layered = pdf.getRoot().hasKey("/OCProperties");
  int count = static_cast<int>(pages.size());
  for (int i = 0; i < count; ++i) {
    // Optional content: poppler leaves hidden layers out of the text (the layers themselves
    // are pdf.hidden_layer).
    std::optional<std::string> fast =
        layered ? std::nullopt : fast_page_text(pages[static_cast<size_t>(i)]);
    std::optional<std::string> read = fast ? fast : poppler_text(i);
    if (!read) continue;
    std::string text = std::move(*read);
    inspector.scanner().scan(text, fmt::format("ページ {}", i + 1));
    if (!text::trim(text).empty()) continue;
    // A page that draws something (an image or any content) but has no text: a scan.
    bool draws = false;
    if (static_cast<size_t>(i) < pages.size()) {
      try {
        draws = !pages[static_cast<size_t>(i)].getImages().empty() ||
                !pages[static_cast<size_t>(i)].getFormXObjects().empty();
      } catch (const std::exception&) {
      }
    }
    if (draws) without_text.push_back(i + 1);
  }
  if (!without_text.empty()) {
    report.findings.push_back(
        make_finding("pdf.no_text_layer", "ページ " + page_ranges(without_text), ""));
  }
}

}  // namespace

void inspect_pdf(const std::string& path, const DenyList& deny_list, FileReport& report) {
  report.type = FileType::kPdf;
  std::ifstream in(path, std::ios::binary);
  std::string bytes = read_all(in);
  // Bombs first, with bounded decoding: qpdf decodes cross-reference and object streams whole,
  // and poppler every content stream it extracts text from.
  auto bomb_finding = [&](const StreamBomb& bomb) {
    report.findings.push_back(make_finding("file.decompression_bomb", bomb.where, bomb.reason));
  };
  if (auto bomb = find_xref_stream_bomb(bytes)) return bomb_finding(*bomb);
  QPDF pdf;
  pdf.setSuppressWarnings(true);
  pdf.setAttemptRecovery(true);
  try {
    pdf.processMemoryFile(path.c_str(), bytes.data(), bytes.size());
  } catch (const QPDFExc& error) {
    if (error.getErrorCode() == qpdf_e_password) {
      report.findings.push_back(
          make_finding("pdf.encrypted", "", kPasswordRequired));
    } else {
      report.findings.push_back(make_finding("file.unreadable", "", "PDF として壊れています"));
    }
    return;
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception&) {
    report.findings.push_back(make_finding("file.unreadable", "", "PDF として壊れています"));
    return;
  }
  try {
    if (auto bomb = find_stream_bomb(pdf)) return bomb_finding(*bomb);
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception&) {
    report.findings.push_back(make_finding("file.unreadable", "", "PDF の構造が壊れています"));
    return;
  }
  try {
    PdfInspector inspector(pdf, bytes, deny_list, report);
    inspect_text(bytes, inspector, pdf, report);
    inspector.run();
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const ModuleMissing&) {
    throw;  // the installation is incomplete: never pass the file
  } catch (const std::exception&) {
    report.findings.push_back(make_finding("file.unreadable", "", "PDF の構造が壊れています"));
  }
}

}  // namespace kakehashi::inspect
