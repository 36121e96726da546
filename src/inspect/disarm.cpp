#include "inspect/disarm.h"

#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <boost/json.hpp>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFWriter.hh>
#include <set>

#include "inspect/inspector.h"
#include "inspect/pdf_streams.h"

namespace kakehashi::inspect {

namespace {

namespace fs = std::filesystem;

constexpr std::array kKinds = {
    // PDF.
    DisarmKind{"javascript", "JavaScript"},
    DisarmKind{"action", "自動実行・外部への動作"},
    DisarmKind{"unsafe_link", "javascript: や file: などへのリンク"},
    DisarmKind{"embedded_file", "添付ファイル"},
    DisarmKind{"attachment_annotation", "添付ファイルの注釈"},
    DisarmKind{"rich_media", "動画・音声・3D などの埋め込み"},
    DisarmKind{"xfa", "XFA フォーム"},
    // Office.
    DisarmKind{"macro", "マクロ・ActiveX コントロール"},
    DisarmKind{"embedded_object", "埋め込みオブジェクト"},
    DisarmKind{"external_link", "外部のファイルへのリンク"},
    DisarmKind{"dtd", "DTD・実体宣言"},
    DisarmKind{"unreferenced_part", "どこからも参照されていない部品"},
};

constexpr int kMaxDepth = 64;                 // nested direct objects and /Next chains
constexpr std::size_t kMaxObjects = 2'000'000;  // indirect objects walked

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string name_of(QPDFObjectHandle dict, const char* key) {
  QPDFObjectHandle value = dict.getKey(key);
  return value.isName() ? value.getName() : std::string();
}

class PdfDisarmer {
 public:
  explicit PdfDisarmer(QPDF& pdf) : pdf_(pdf) {}

  std::map<std::string, int> run() {
    QPDFObjectHandle root = pdf_.getRoot();
    disarm_catalog(root);
    walk(pdf_.getTrailer());
    // A file reached only through a removed attachment annotation counts as that annotation.
    counts_["embedded_file"] = static_cast<int>(document_files_.size());
    return counts_;
  }

 private:
  // Whether `action` may stay: a jump inside the document, a named action (next page, print), a
  // web link. Dangerous /Next actions of a kept action are cut off.
  bool keep_action(QPDFObjectHandle action, int depth = 0) {
    if (!action.isDictionary()) return true;  // a destination array, or nothing
    if (depth > kMaxDepth) return false;
    std::string type = name_of(action, "/S");
    bool keep = false;
    if (type == "/JavaScript" || action.hasKey("/JS")) {
      ++counts_["javascript"];
    } else if (type == "/GoTo" || type == "/Named" || type == "/Hide" || type == "/SetOCGState" ||
               type == "/Trans" || type == "/ResetForm" ||
               (type == "/Thread" && !action.hasKey("/F"))) {
      keep = true;
    } else if (type == "/URI") {
      QPDFObjectHandle uri = action.getKey("/URI");
      std::string target = lower(uri.isString() ? uri.getUTF8Value() : "");
      keep = target.starts_with("http://") || target.starts_with("https://") ||
             target.starts_with("mailto:");
      if (!keep) ++counts_["unsafe_link"];
    } else {
      // Launch, SubmitForm, ImportData, GoToR, GoToE, Rendition, Movie, Sound,
      // RichMediaExecute, GoTo3DView and anything unknown.
      ++counts_["action"];
    }
    if (!keep) return false;
    QPDFObjectHandle next = action.getKey("/Next");
    if (next.isDictionary()) {
      if (!keep_action(next, depth + 1)) action.removeKey("/Next");
    } else if (next.isArray()) {
      std::vector<QPDFObjectHandle> kept;
      for (int i = 0; i < next.getArrayNItems(); ++i) {
        if (keep_action(next.getArrayItem(i), depth + 1)) kept.push_back(next.getArrayItem(i));
      }
      if (kept.empty()) {
        action.removeKey("/Next");
      } else if (static_cast<int>(kept.size()) != next.getArrayNItems()) {
        action.replaceKey("/Next", QPDFObjectHandle::newArray(kept));
      }
    }
    return true;
  }

  // Every entry of a name tree, for counting.
  void name_tree_values(QPDFObjectHandle node, const std::function<void(QPDFObjectHandle)>& visit,
                        int depth = 0) {
    if (!node.isDictionary() || depth > kMaxDepth) return;
    QPDFObjectHandle names = node.getKey("/Names");
    if (names.isArray()) {
      for (int i = 1; i < names.getArrayNItems(); i += 2) visit(names.getArrayItem(i));
    }
    QPDFObjectHandle kids = node.getKey("/Kids");
    if (kids.isArray()) {
      for (int i = 0; i < kids.getArrayNItems(); ++i)
        name_tree_values(kids.getArrayItem(i), visit, depth + 1);
    }
  }

  // Remembers the embedded file streams of a file specification (counted once each).
  void note_files(QPDFObjectHandle spec, std::set<QPDFObjGen>& into) {
    if (!spec.isDictionary()) return;
    QPDFObjectHandle files = spec.getKey("/EF");
    if (!files.isDictionary()) return;
    for (const auto& key : files.getKeys()) {
      QPDFObjectHandle file = files.getKey(key);
      if (file.isStream()) into.insert(file.getObjGen());
    }
  }

  void disarm_catalog(QPDFObjectHandle root) {
    QPDFObjectHandle open = root.getKey("/OpenAction");
    if (open.isDictionary() && !keep_action(open)) root.removeKey("/OpenAction");
    QPDFObjectHandle names = root.getKey("/Names");
    if (names.isDictionary()) {
      if (names.hasKey("/JavaScript")) {
        name_tree_values(names.getKey("/JavaScript"),
                         [&](QPDFObjectHandle) { ++counts_["javascript"]; });
        names.removeKey("/JavaScript");
      }
      if (names.hasKey("/EmbeddedFiles")) {
        name_tree_values(names.getKey("/EmbeddedFiles"),
                         [&](QPDFObjectHandle spec) { note_files(spec, document_files_); });
        names.removeKey("/EmbeddedFiles");
      }
    }
    // A portfolio shows its (now removed) files instead of the cover page; dynamic XFA asks the
    // viewer to render the form instead of the pages.
    root.removeKey("/Collection");
    root.removeKey("/NeedsRendering");
    QPDFObjectHandle form = root.getKey("/AcroForm");
    if (form.isDictionary() && form.hasKey("/XFA")) {
      form.removeKey("/XFA");
      ++counts_["xfa"];
    }
  }

  // Removes what a dictionary carries: actions, scripts, files, dangerous annotations.
  void disarm_dict(QPDFObjectHandle dict) {
    QPDFObjectHandle additional = dict.getKey("/AA");
    if (additional.isDictionary()) {
      for (const auto& key : additional.getKeys()) {
        if (!keep_action(additional.getKey(key))) additional.removeKey(key);
      }
      if (additional.getKeys().empty()) dict.removeKey("/AA");
    } else if (dict.hasKey("/AA")) {
      dict.removeKey("/AA");
    }
    QPDFObjectHandle action = dict.getKey("/A");
    if (action.isDictionary() && !keep_action(action)) dict.removeKey("/A");
    // A script outside an action dictionary (an action is judged where it is referenced).
    if (dict.hasKey("/JS") && !dict.hasKey("/S")) {
      dict.removeKey("/JS");
      ++counts_["javascript"];
    }
    if (dict.hasKey("/EF")) {
      note_files(dict, document_files_);
      dict.removeKey("/EF");
      dict.removeKey("/RF");
    }
    QPDFObjectHandle associated = dict.getKey("/AF");
    if (associated.isArray()) {
      for (int i = 0; i < associated.getArrayNItems(); ++i)
        note_files(associated.getArrayItem(i), document_files_);
    }
    dict.removeKey("/AF");
    QPDFObjectHandle annots = dict.getKey("/Annots");
    if (annots.isArray()) disarm_annotations(dict, annots);
  }

  void disarm_annotations(QPDFObjectHandle page, QPDFObjectHandle annots) {
    std::vector<QPDFObjectHandle> kept;
    std::set<QPDFObjGen> dropped;
    int n = annots.getArrayNItems();
    for (int i = 0; i < n; ++i) {
      QPDFObjectHandle annot = annots.getArrayItem(i);
      std::string subtype = annot.isDictionary() ? name_of(annot, "/Subtype") : "";
      if (subtype == "/FileAttachment") {
        ++counts_["attachment_annotation"];
        dropped.insert(annot.getObjGen());
      } else if (subtype == "/RichMedia" || subtype == "/3D" || subtype == "/Screen" ||
                 subtype == "/Movie" || subtype == "/Sound") {
        ++counts_["rich_media"];
        dropped.insert(annot.getObjGen());
      } else {
        kept.push_back(annot);
      }
    }
    if (dropped.empty()) return;
    // The pop-up notes of removed annotations go with them.
    std::erase_if(kept, [&](QPDFObjectHandle annot) {
      if (!annot.isDictionary() || name_of(annot, "/Subtype") != "/Popup") return false;
      QPDFObjectHandle parent = annot.getKey("/Parent");
      return parent.isIndirect() && dropped.contains(parent.getObjGen());
    });
    page.replaceKey("/Annots", QPDFObjectHandle::newArray(kept));
  }

  // Every object reachable from `start` (what the writer will write), each indirect one once.
  void walk(QPDFObjectHandle start) {
    std::vector<std::pair<QPDFObjectHandle, int>> stack{{start, 0}};
    std::set<QPDFObjGen> seen;
    while (!stack.empty()) {
      auto [object, depth] = stack.back();
      stack.pop_back();
      if (object.isIndirect()) {
        if (!seen.insert(object.getObjGen()).second || seen.size() > kMaxObjects) continue;
        depth = 0;
      } else if (depth > kMaxDepth) {
        continue;
      }
      if (object.isStream()) object = object.getDict();
      if (object.isDictionary()) {
        disarm_dict(object);
        for (const auto& key : object.getKeys()) {
          QPDFObjectHandle value = object.getKey(key);
          if (value.isDictionary() || value.isArray() || value.isStream())
            stack.emplace_back(value, depth + 1);
        }
      } else if (object.isArray()) {
        for (int i = 0; i < object.getArrayNItems(); ++i) {
          QPDFObjectHandle value = object.getArrayItem(i);
          if (value.isDictionary() || value.isArray() || value.isStream())
            stack.emplace_back(value, depth + 1);
        }
      }
    }
  }

  QPDF& pdf_;
  std::map<std::string, int> counts_;
  std::set<QPDFObjGen> document_files_;  // embedded file streams reached from the document
};

std::string temporary_beside(const fs::path& out) {
  return (out.parent_path() /
          ("." + out.filename().string() + ".kakehashi-disarm-" + std::to_string(::getpid())))
      .string();
}

Result<void> check_paths(const fs::path& in, const fs::path& out) {
  std::error_code ec;
  if (!fs::is_regular_file(in, ec)) return fail(Error::invalid("ファイルがありません: " + in.string()));
  if (fs::exists(out, ec) && fs::equivalent(in, out, ec))
    return fail(Error::invalid("出力先が入力と同じファイルです"));
  return {};
}

}  // namespace

std::span<const DisarmKind> disarm_kinds() { return kKinds; }

std::map<std::string, int> disarm_document(QPDF& pdf) { return PdfDisarmer(pdf).run(); }

int DisarmReport::total() const {
  int sum = 0;
  for (const auto& item : removed) sum += item.count;
  return sum;
}

int DisarmReport::count(std::string_view kind) const {
  for (const auto& item : removed) {
    if (item.kind == kind) return item.count;
  }
  return 0;
}

std::string DisarmReport::to_json() const {
  boost::json::object object;
  for (const auto& item : removed) object[item.kind] = item.count;
  return boost::json::serialize(object);
}

std::string DisarmReport::to_text() const {
  if (removed.empty()) return "取り除くものはありませんでした";
  std::string out;
  for (const auto& item : removed) {
    if (!out.empty()) out += "、";
    out += fmt::format("{} {} 件", item.label, item.count);
  }
  return out;
}

DisarmReport make_disarm_report(const std::map<std::string, int>& counts, std::string extension) {
  DisarmReport report;
  report.extension = std::move(extension);
  for (const auto& kind : kKinds) {
    auto it = counts.find(std::string(kind.kind));
    if (it != counts.end() && it->second > 0)
      report.removed.push_back({std::string(kind.kind), std::string(kind.label), it->second});
  }
  return report;
}

Result<DisarmReport> disarm_pdf(const fs::path& in, const fs::path& out) {
  if (auto checked = check_paths(in, out); !checked) return fail(checked.error());
  std::ifstream input(in, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(input)), std::istreambuf_iterator<char>());
  if (!input.good() && !input.eof())
    return fail(Error::unavailable("ファイルを読めません: " + in.string()));
  QPDF pdf;
  if (auto opened = open_pdf_to_rewrite(pdf, in.string(), bytes, "無害化"); !opened) return fail(opened.error());
  std::string temporary = temporary_beside(out);
  try {
    std::map<std::string, int> counts = disarm_document(pdf);
    QPDFWriter writer(pdf, temporary.c_str());
    // Stream data as it is (only decrypted): the pages draw exactly as before, and nothing is
    // inflated.
    writer.setCompressStreams(false);
    writer.setDecodeLevel(qpdf_dl_none);
    writer.setPreserveEncryption(false);
    writer.setDeterministicID(true);
    writer.write();
    std::error_code ec;
    fs::rename(temporary, out, ec);
    if (ec) {
      fs::remove(temporary, ec);
      return fail(Error::unavailable("出力ファイルを書けません: " + out.string()));
    }
    return make_disarm_report(counts, ".pdf");
  } catch (const std::bad_alloc&) {
    std::error_code ec;
    fs::remove(temporary, ec);
    throw;
  } catch (const std::exception&) {
    std::error_code ec;
    fs::remove(temporary, ec);
    return fail(Error::invalid("PDF の構造が壊れているため無害化できません"));
  }
}

Result<void> open_pdf_to_rewrite(QPDF& pdf, const std::string& in, const std::string& bytes,
                                 std::string_view rewrite) {
  const std::string refused = fmt::format("圧縮爆弾の疑いがあるため{}できません: ", rewrite);
  if (auto bomb = find_xref_stream_bomb(bytes)) return fail(Error::invalid(refused + bomb->reason));
  pdf.setSuppressWarnings(true);
  pdf.setAttemptRecovery(true);
  try {
    pdf.processMemoryFile(in.c_str(), bytes.data(), bytes.size());
    if (auto bomb = find_stream_bomb(pdf)) return fail(Error::invalid(refused + bomb->reason));
  } catch (const QPDFExc& error) {
    if (error.getErrorCode() == qpdf_e_password)
      return fail(Error::invalid(fmt::format("パスワードで保護された PDF は{}できません", rewrite)));
    return fail(Error::invalid(fmt::format("PDF として壊れているため{}できません", rewrite)));
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception&) {
    return fail(Error::invalid(fmt::format("PDF として壊れているため{}できません", rewrite)));
  }
  return {};
}

Result<DisarmReport> disarm_file(const fs::path& in, const fs::path& out) {
  switch (sniff_type(in.string())) {
    case FileType::kPdf:
      return disarm_pdf(in, out);
    case FileType::kXlsx:  // any ZIP; the package's main part tells the format
      return disarm_office(in, out);
    default:
      return fail(Error::invalid("無害化できるのは PDF と Office 文書（Word・Excel・PowerPoint）です"));
  }
}

}  // namespace kakehashi::inspect
