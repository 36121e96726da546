#include "inspect/ooxml.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <set>

#include "base/text.h"
#include "inspect/package.h"
#include "inspect/photo.h"
#include "inspect/xml_stream.h"

namespace kakehashi::inspect {

namespace {

constexpr int kMaxRangeFindings = 100;  // hidden row / column ranges reported per sheet

// "A", "B", ..., "Z", "AA" for a 1-based column number.
std::string column_letters(long column) {
  std::string out;
  while (column > 0) {
    --column;
    out.insert(out.begin(), static_cast<char>('A' + column % 26));
    column /= 26;
  }
  return out;
}

std::string join(const std::vector<std::string>& items, std::string_view separator = "、") {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// All text under `node` (w:t, a:t, t ...), in document order.
void collect_text(const pugi::xml_node& node, std::string& out,
                  std::string_view text_element = "t") {
  for (auto child : node.children()) {
    if (child.type() == pugi::node_element) {
      std::string_view name = local_name(child.name());
      if (name == text_element || name == "delText" || name == "instrText") {
        if (name == text_element) out += child.text().get();
      } else if (name == "rPh") {
        continue;  // furigana guide, not shown as cell text
      } else if (name == "tab") {
        out += '\t';
      } else {
        collect_text(child, out, text_element);
      }
    }
  }
}

std::string text_of(const pugi::xml_node& node) {
  std::string out;
  collect_text(node, out);
  return out;
}

long parse_long(std::string_view s, long fallback = 0) {
  long value = 0;
  bool any = false;
  for (char c : s) {
    if (c < '0' || c > '9') break;
    if (value > 100'000'000) return fallback;
    value = value * 10 + (c - '0');
    any = true;
  }
  return any ? value : fallback;
}

bool zero_number(std::string_view s) {
  if (s.empty()) return false;
  try {
    return std::stod(std::string(s)) == 0.0;
  } catch (...) {
    return false;
  }
}

// Groups sorted numbers into ranges: {3,4,5,9} -> {(3,5),(9,9)}.
std::vector<std::pair<long, long>> ranges_of(std::vector<long> numbers) {
  std::sort(numbers.begin(), numbers.end());
  numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
  std::vector<std::pair<long, long>> out;
  for (long n : numbers) {
    if (!out.empty() && out.back().second + 1 == n) {
      out.back().second = n;
    } else {
      out.emplace_back(n, n);
    }
  }
  return out;
}

class OoxmlInspector {
 public:
  OoxmlInspector(OpcPackage& package, const DenyList& deny_list, FileReport& report)
      : package_(package), scanner_(deny_list), report_(report) {}

  void run() {
    check_all_xml();
    walk_relationships();
    std::string main_type = package_.content_type(main_part_);
    if (main_part_.empty()) {
      add("file.unreadable", "", "本文の部品（officeDocument）が見つかりません");
    } else if (main_type.find("spreadsheetml") != std::string::npos ||
               main_type.find("ms-excel") != std::string::npos) {
      report_.type = FileType::kXlsx;
      inspect_workbook();
    } else if (main_type.find("wordprocessingml") != std::string::npos ||
               main_type.find("ms-word") != std::string::npos) {
      report_.type = FileType::kDocx;
      inspect_document();
    } else if (main_type.find("presentationml") != std::string::npos ||
               main_type.find("ms-powerpoint") != std::string::npos) {
      report_.type = FileType::kPptx;
      inspect_presentation();
    } else {
      add("file.unsupported", "", "Office 文書の種類を判別できません");
    }
    inspect_package_parts();
    // A macro-enabled type alone runs nothing: PowerPoint saves .pptm files without a VBA
    // project (issue 23 item 6). Reported only beside the project or a control it would run.
    if (main_type.find("macroEnabled") != std::string::npos && macro_parts_ > 0) {
      add("ooxml.macro", main_part_, "マクロ有効形式の文書です");
    }
    report_unreferenced();
    report_.stats.chars = scanner_.chars();
    scanner_.take_findings(report_.findings);
  }

 private:
  void add(std::string_view code, std::string_view part, std::string_view detail,
           std::optional<Severity> severity = std::nullopt) {
    report_.findings.push_back(make_finding(code, label(part), detail, severity));
  }

  std::string label(std::string_view part) const {
    auto it = labels_.find(std::string(part));
    return it == labels_.end() ? std::string(part) : it->second;
  }

  // Reads and parses an XML part; reports it as unreadable (once) when that fails.
  std::unique_ptr<pugi::xml_document> load(std::string_view part) {
    if (unsafe_parts_.contains(std::string(part)))
      return nullptr;  // never parse a DTD-carrying part
    // Parts scanned by check_all_xml() are kept inflated; others are read now.
    auto cached = scanned_.find(std::string(part));
    bool checked = cached != scanned_.end();
    Result<std::string> data =
        checked ? Result<std::string>(std::move(cached->second)) : package_.read(part);
    if (checked) scanned_.erase(cached);
    if (!data) {
      if (data.error().code != ErrorCode::kNotFound)
        add("file.unreadable", part, data.error().message);
      return nullptr;
    }
    auto document = parse_xml(*data, checked);
    if (!document) {
      add("file.unreadable", part, document.error().message);
      return nullptr;
    }
    return std::move(*document);
  }

  // Every XML part (referenced or not) is scanned for DTDs, entities, remote schemas and depth.
  void check_all_xml() {
    for (const auto& part : package_.part_names()) {
      std::string type = package_.content_type(part);
      bool xml = type.ends_with("xml") || part.ends_with(".xml") || part.ends_with(".rels") ||
                 part.ends_with(".vml");
      if (!xml && (is_photo_name(part) || type == "image/jpeg" || type == "image/tiff")) {
        // Photographs: EXIF, XMP and IPTC (issue 23 item 1). Inflated once, within the limits.
        auto image = package_.read(part);
        if (!image) {
          add("file.unreadable", part, image.error().message);
        } else {
          add_photo_findings(read_photo_metadata(*image), part, report_.findings);
        }
        continue;
      }
      if (!xml) {
        // Every entry is inflated once (bombs hide anywhere), and a ZIP inside is looked into.
        auto checked = package_.zip().check_nested(
            static_cast<std::size_t>(package_.zip().find(part)));
        if (!checked) add("file.unreadable", part, checked.error().message);
        continue;
      }
      auto data = package_.read(part);
      if (!data) {
        add("file.unreadable", part, data.error().message);
        continue;
      }
      XmlScan scan = scan_xml(*data);
      if (scan.unsafe()) {
        std::vector<std::string> what;
        if (scan.doctype) what.push_back("DTD");
        if (scan.entity) what.push_back("実体宣言");
        if (scan.external_schema) what.push_back("外部スキーマの参照");
        add("ooxml.unsafe_xml", part, join(what) + "（" + part + "）");
        if (scan.doctype || scan.entity) unsafe_parts_.insert(part);
      }
      if (scan.too_deep()) {
        add("ooxml.xml_limit", part,
            fmt::format("入れ子が {} 段を超えています（{}）", kMaxXmlDepth, part));
        unsafe_parts_.insert(part);
      } else if (!scan.doctype && !scan.entity) {
        scanned_[part] = std::move(*data);
      }
    }
  }

  // Breadth-first over the relationships from the package root; records how each part was
  // reached and reports what the relationship kind says about it.
  void walk_relationships() {
    std::deque<std::string> queue{"/"};
    reached_.insert("/");
    while (!queue.empty()) {
      std::string source = queue.front();
      queue.pop_front();
      for (const auto& rel : package_.relationships(source)) {
        rels_.push_back({source, rel});
        if (rel.external) continue;
        if (source == "/" && rel.kind() == "officeDocument" && main_part_.empty())
          main_part_ = rel.part;
        if (!package_.has_part(rel.part) || reached_.contains(rel.part)) continue;
        reached_.insert(rel.part);
        queue.push_back(rel.part);
      }
    }
  }

  // Findings that follow from relationship kinds and content types alone, for any format.
  void inspect_package_parts() {
    std::set<std::string> done;
    std::vector<std::string> comment_parts;
    for (const auto& [source, rel] : rels_) {
      std::string_view kind = rel.kind();
      if (rel.external) {
        if (kind == "hyperlink") continue;
        if (package_.content_type(source).find("externalLink") != std::string::npos)
          continue;  // reported below
        add("ooxml.external_link", source, rel.target);
        continue;
      }
      if (!package_.has_part(rel.part) || !done.insert(rel.part).second) continue;
      std::string type = package_.content_type(rel.part);
      if (kind == "core-properties") {
        inspect_core(rel.part);
      } else if (kind == "extended-properties") {
        inspect_app(rel.part);
      } else if (kind == "custom-properties") {
        inspect_custom(rel.part);
      } else if (kind == "thumbnail") {
        add("ooxml.thumbnail", rel.part, "（" + rel.part + "）");
      } else if (kind == "printerSettings") {
        add("ooxml.printer_settings", source, "（" + rel.part + "）");
      } else if (kind == "customXml") {
        add("ooxml.custom_xml", rel.part, "（" + rel.part + "）");
      } else if (is_comment_kind(kind)) {
        comment_parts.push_back(rel.part);
        comment_sources_[rel.part] = source;
      } else if (is_macro_kind(kind) || type.find("vbaProject") != std::string::npos) {
        ++macro_parts_;
        add("ooxml.macro", rel.part, rel.part);
      } else if (is_embedded_kind(kind)) {
        add("ooxml.embedded_object", source, rel.part);
      } else if (kind == "externalLink") {
        std::vector<std::string> targets;
        for (const auto& link : package_.relationships(rel.part)) {
          if (link.external) targets.push_back(link.target);
        }
        add("ooxml.external_link", source, targets.empty() ? rel.part : join(targets));
      } else if (kind == "pivotCacheDefinition") {
        add("xlsx.pivot_cache", rel.part, "（" + rel.part + "）");
      } else if (kind == "connections") {
        add("xlsx.data_connection", rel.part, "（" + rel.part + "）");
      }
    }
    for (const auto& part : comment_parts) inspect_comment_part(part);
  }

  void inspect_core(const std::string& part) {
    auto document = load(part);
    if (!document) return;
    std::vector<std::string> fields;
    bool person = false;
    for (auto node : document->document_element().children()) {
      if (node.type() != pugi::node_element) continue;
      std::string value = text_of(node);
      if (value.empty()) value = node.text().get();
      if (text::trim(value).empty()) continue;
      std::string_view name = local_name(node.name());
      if (name == "creator" || name == "lastModifiedBy" || name == "contributor") person = true;
      fields.emplace_back(name);
      scanner_.scan(value, "文書のプロパティ（" + std::string(name) + "）", false);
    }
    if (!fields.empty()) {
      add("ooxml.core_properties", part, join(fields),
          person ? Severity::kError : Severity::kWarning);
    }
  }

  void inspect_app(const std::string& part) {
    auto document = load(part);
    if (!document) return;
    std::vector<std::string> fields;
    for (auto node : document->document_element().children()) {
      std::string_view name = local_name(node.name());
      std::string value = node.text().get();
      if (name == "Pages" && report_.type == FileType::kDocx) {
        report_.stats.pages = static_cast<std::uint64_t>(parse_long(value));
      }
      if (text::trim(value).empty()) continue;
      bool reported = name == "Company" || name == "Manager" || name == "HyperlinkBase" ||
                      (name == "Template" && value != "Normal.dotm" && value != "Normal.dot" &&
                       value != "Normal");
      if (reported) {
        fields.emplace_back(name);
        scanner_.scan(value, "アプリケーションのプロパティ（" + std::string(name) + "）", false);
      }
    }
    if (!fields.empty()) add("ooxml.app_properties", part, join(fields));
  }

  void inspect_custom(const std::string& part) {
    auto document = load(part);
    if (!document) return;
    std::vector<std::string> names;
    for (auto node : document->document_element().children()) {
      if (local_name(node.name()) != "property") continue;
      names.emplace_back(attribute(node, "name"));
      scanner_.scan(
          text_of(node).empty() ? std::string(node.first_child().text().get()) : text_of(node),
          "ユーザー設定のプロパティ", false);
    }
    if (!names.empty())
      add("ooxml.custom_properties", part, fmt::format("{} 件（{}）", names.size(), join(names)));
  }

  // Comments in any dialect: spreadsheet comments, threaded comments, Word comments, slide
  // comments (legacy and modern), and the lists of their authors.
  void inspect_comment_part(const std::string& part) {
    auto document = load(part);
    if (!document) return;
    int count = 0;
    std::set<std::string> authors;
    std::string where = label(comment_sources_[part]);
    std::function<void(const pugi::xml_node&)> visit = [&](const pugi::xml_node& node) {
      for (auto child : node.children()) {
        if (child.type() != pugi::node_element) continue;
        std::string_view name = local_name(child.name());
        if (name == "comment" || name == "cm" || name == "threadedComment") {
          ++count;
          std::string body = text_of(child);
          if (body.empty()) {
            for (auto text_node : child.children()) {
              if (local_name(text_node.name()) == "text") body += text_node.text().get();
            }
          }
          scanner_.scan(body, where + "のコメント", false);
        }
        for (std::string_view key : {"author", "displayName"}) {
          std::string_view value = attribute(child, key);
          if (!value.empty()) authors.emplace(value);
        }
        if (name == "cmAuthor" || name == "person" || name == "author") {
          std::string_view value = attribute(child, "name");
          if (!value.empty()) authors.emplace(value);
        }
        if (name == "author" && child.first_child().type() == pugi::node_pcdata) {
          authors.emplace(child.text().get());
        }
        visit(child);
      }
    };
    visit(document->document_element());
    for (const auto& author : authors) scanner_.scan(author, where + "のコメント作成者", false);
    if (count == 0 && authors.empty()) return;
    std::string detail =
        count > 0 ? fmt::format("{} 件", count) : std::string("コメント作成者の一覧");
    if (!authors.empty()) {
      detail += fmt::format("（作成者 {} 人）", authors.size());
    }
    report_.findings.push_back(
        make_finding("ooxml.comments", where == part ? part : where + "（" + part + "）", detail));
  }

  void report_unreferenced() {
    std::vector<std::string> orphans;
    for (const auto& part : package_.part_names()) {
      std::string lower = part;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "/[content_types].xml" || lower.ends_with(".rels")) continue;
      bool found = false;
      for (const auto& reached : reached_) {
        if (reached.size() == part.size() &&
            std::equal(reached.begin(), reached.end(), part.begin(), [](char a, char b) {
              return std::tolower(static_cast<unsigned char>(a)) ==
                     std::tolower(static_cast<unsigned char>(b));
            })) {
          found = true;
          break;
        }
      }
      if (!found) orphans.push_back(part);
    }
    if (orphans.empty()) return;
    std::vector<std::string> shown(
        orphans.begin(), orphans.begin() + static_cast<long>(std::min<size_t>(orphans.size(), 5)));
    std::string detail = join(shown);
    if (orphans.size() > shown.size())
      detail += fmt::format(" ほか {} 個", orphans.size() - shown.size());
    add("ooxml.unreferenced_part", "", detail);
  }

  std::vector<Relationship> rels_of(const std::string& part) {
    return package_.relationships(part);
  }

  // ---- XLSX ----
  void inspect_workbook() {
    auto workbook = load(main_part_);
    if (!workbook) return;
    std::map<std::string, std::string> targets;  // r:id -> part
    std::vector<std::string> shared_strings;
    for (const auto& rel : rels_of(main_part_)) {
      targets[rel.id] = rel.part;
      if (rel.kind() == "sharedStrings" && !rel.external)
        load_shared_strings(rel.part, shared_strings);
    }
    auto root = workbook->document_element();
    for (auto child : root.children()) {
      std::string_view name = local_name(child.name());
      if (name == "sheets") {
        long number = 0;
        for (auto sheet : child.children()) {
          if (local_name(sheet.name()) != "sheet") continue;
          ++number;
          std::string sheet_name(attribute(sheet, "name"));
          std::string state(attribute(sheet, "state"));
          std::string where = "シート「" + sheet_name + "」";
          std::string part = targets[relationship_id(sheet)];
          if (!part.empty()) labels_[part] = where;
          if (state == "hidden") {
            report_.findings.push_back(make_finding("xlsx.hidden_sheet", where, ""));
          } else if (state == "veryHidden") {
            report_.findings.push_back(make_finding("xlsx.very_hidden_sheet", where, ""));
          }
          scanner_.scan(sheet_name, where + "の名前", true);
          if (!part.empty() && package_.has_part(part)) {
            ++report_.stats.pages;
            inspect_sheet(part, where, shared_strings);
          }
        }
      } else if (name == "definedNames") {
        for (auto defined : child.children()) {
          if (local_name(defined.name()) == "definedName" && truthy(attribute(defined, "hidden"))) {
            report_.findings.push_back(
                make_finding("xlsx.hidden_name", "ブック", attribute(defined, "name")));
          }
        }
      }
    }
  }

  void load_shared_strings(const std::string& part, std::vector<std::string>& out) {
    auto document = load(part);
    if (!document) return;
    for (auto item : document->document_element().children()) {
      if (local_name(item.name()) == "si") out.push_back(text_of(item));
    }
  }

  // What a worksheet read by stream_sheet() reports, applied once the whole part was read.
  struct SheetPass {
    struct Cell {
      std::string_view value;
      std::string_view left;  // the text cell to the left: a label such as 個人番号
      std::string_view r;
    };
    std::vector<Finding> columns;
    std::vector<Cell> cells;
    std::vector<long> hidden_rows;
    std::uint64_t number_chars = 0;
    std::deque<std::string> storage;  // values that are not views of the part or shared strings
  };

  // The worksheet read in one pass without a DOM (issue 23 item 8): the same reading as the
  // DOM walk of inspect_sheet() below, or false when XmlStream gives up (the DOM walk then reads
  // the part as before).
  bool stream_sheet(std::string_view xml, const std::vector<std::string>& shared_strings,
                    const std::string& where, SheetPass& pass) {
    XmlStream x(xml);
    enum class Section { kNone, kCols, kData } section = Section::kNone;
    int columns_reported = 0;
    bool in_row = false;
    bool in_cell = false;
    std::string_view left;
    std::string_view type;
    std::string_view r;
    // <v>: the first child named exactly "v" and the last whose local name is "v", each with
    // its first text node (pugixml's text()).
    bool exact_v = false;
    bool any_v = false;
    std::string exact_text;
    std::string last_text;
    int exact_capture = 0;  // 1: capturing the exact v's first text node
    int last_capture = 0;
    // Inline strings: collect_text() of the cell.
    std::string inline_text;
    int skip_depth = 0;  // inside an element collect_text() does not enter
    int t_depth = 0;     // inside a <t>: its first direct text node is appended
    bool t_taken = false;
    while (true) {
      XmlStream::Event event = x.next();
      if (event == XmlStream::Event::kDone) return true;
      if (event == XmlStream::Event::kGiveUp) return false;
      int depth = x.depth();
      if (event == XmlStream::Event::kText) {
        if (!in_cell) continue;
        if (depth == 5 && (exact_capture == 1 || last_capture == 1)) {
          std::string_view text = x.text();
          if (!x.ok()) return false;
          if (exact_capture == 1) {
            exact_text.assign(text);
            exact_capture = 2;
          }
          if (last_capture == 1) {
            last_text.assign(text);
            last_capture = 2;
          }
        }
        if (t_depth > 0 && depth == t_depth && !t_taken) {
          std::string_view text = x.text();
          if (!x.ok()) return false;
          inline_text.append(text);
          t_taken = true;
        }
        continue;
      }
      std::string_view local = x.name();
      for (std::size_t k = 0; k < local.size(); ++k) {
        if (local[k] == ':') {
          local.remove_prefix(k + 1);
          break;
        }
      }
      if (event == XmlStream::Event::kStart) {
        if (depth == 2) {
          section = local == "cols"        ? Section::kCols
                    : local == "sheetData" ? Section::kData
                                           : Section::kNone;
          columns_reported = 0;  // counted per <cols>, as the DOM walk does
        } else if (depth == 3 && section == Section::kCols && local == "col") {
          std::string_view hidden_attr = x.attribute("hidden");
          std::string_view width = x.attribute("width");
          std::string_view min_attr = x.attribute("min");
          std::string_view max_attr = x.attribute("max");
          if (!x.ok()) return false;
          bool hidden = truthy(hidden_attr) || zero_number(width);
          if (!hidden || ++columns_reported > kMaxRangeFindings) continue;
          long min = parse_long(min_attr, 1);
          long max = std::min(parse_long(max_attr, min), 16384L);
          std::string range =
              min == max ? column_letters(min) : column_letters(min) + ":" + column_letters(max);
          pass.columns.push_back(make_finding("xlsx.hidden_column", where + " 列 " + range, ""));
        } else if (depth == 3 && section == Section::kData && local == "row") {
          std::string_view number_attr = x.attribute("r");
          std::string_view hidden_attr = x.attribute("hidden");
          std::string_view height = x.attribute("ht");
          if (!x.ok()) return false;
          long number = parse_long(number_attr, 0);
          bool hidden = truthy(hidden_attr) || zero_number(height);
          if (hidden && number > 0) pass.hidden_rows.push_back(number);
          in_row = true;
          left = {};
        } else if (depth == 4 && in_row && local == "c") {
          type = x.attribute("t");
          r = x.attribute("r");
          if (!x.ok()) return false;
          in_cell = true;
          exact_v = any_v = false;
          exact_capture = last_capture = 0;
          exact_text.clear();
          last_text.clear();
          inline_text.clear();
          skip_depth = t_depth = 0;
        } else if (depth >= 5 && in_cell) {
          if (depth == 5 && local == "v") {
            if (x.name() == "v" && !exact_v) {
              exact_v = true;
              exact_capture = 1;
            }
            any_v = true;
            last_text.clear();
            last_capture = 1;
          }
          if (type == "inlineStr" && skip_depth == 0 && t_depth == 0) {
            if (local == "t") {
              t_depth = depth;
              t_taken = false;
            } else if (local == "delText" || local == "instrText" || local == "rPh") {
              skip_depth = depth;
            } else if (local == "tab") {
              inline_text += '\t';
              skip_depth = depth;
            }
          }
        }
        continue;
      }
      // kEnd
      if (depth == 2) {
        section = Section::kNone;
      } else if (depth == 3) {
        in_row = false;
      } else if (depth == 4 && in_cell) {
        in_cell = false;
        std::string_view value;
        if (type == "s") {
          long index = exact_v ? parse_long(exact_text, -1) : any_v ? parse_long(last_text, -1) : -1;
          if (index >= 0 && static_cast<size_t>(index) < shared_strings.size())
            value = shared_strings[static_cast<size_t>(index)];
        } else if (type == "inlineStr") {
          value = pass.storage.emplace_back(inline_text);
        } else {
          if (type != "str") {
            pass.number_chars += text::count_code_points(last_text);
            continue;  // numbers, booleans, errors carry no personal text
          }
          value = pass.storage.emplace_back(last_text);
        }
        pass.cells.push_back({value, left, r});
        left = value;
      } else if (depth >= 5 && in_cell) {
        if (depth == 5 && local == "v") {
          if (exact_capture == 1) exact_capture = 2;
          last_capture = 2;
        }
        if (depth == skip_depth) skip_depth = 0;
        if (depth == t_depth) t_depth = 0;
      }
    }
  }

  void inspect_sheet(const std::string& part, const std::string& where,
                     const std::vector<std::string>& shared_strings) {
    if (unsafe_parts_.contains(part)) return;  // as load() does
    if (auto cached = scanned_.find(part); cached != scanned_.end()) {
      SheetPass pass;
      if (stream_sheet(cached->second, shared_strings, where, pass)) {
        for (auto& finding : pass.columns) report_.findings.push_back(std::move(finding));
        report_.stats.chars += pass.number_chars;
        for (const auto& cell : pass.cells) {
          scanner_.scan_at(
              cell.value, [&] { return where + " セル " + std::string(cell.r); }, true, cell.left);
        }
        report_hidden_rows(std::move(pass.hidden_rows), where);
        scanned_.erase(cached);
        return;
      }
    }
    auto document = load(part);
    if (!document) return;
    auto root = document->document_element();
    std::vector<long> hidden_rows;
    for (auto child : root.children()) {
      std::string_view name = local_name(child.name());
      if (name == "cols") {
        int reported = 0;
        for (auto col : child.children()) {
          if (local_name(col.name()) != "col") continue;
          bool hidden = truthy(attribute(col, "hidden")) || zero_number(attribute(col, "width"));
          if (!hidden || ++reported > kMaxRangeFindings) continue;
          long min = parse_long(attribute(col, "min"), 1);
          long max = std::min(parse_long(attribute(col, "max"), min), 16384L);
          std::string range =
              min == max ? column_letters(min) : column_letters(min) + ":" + column_letters(max);
          report_.findings.push_back(
              make_finding("xlsx.hidden_column", where + " 列 " + range, ""));
        }
      } else if (name == "sheetData") {
        for (auto row : child.children()) {
          if (local_name(row.name()) != "row") continue;
          long number = parse_long(attribute(row, "r"), 0);
          bool hidden = truthy(attribute(row, "hidden")) || zero_number(attribute(row, "ht"));
          if (hidden && number > 0) hidden_rows.push_back(number);
          std::string left;  // the text cell to the left: a label such as 個人番号
          std::string inline_text;
          for (auto cell : row.children()) {
            if (local_name(cell.name()) != "c") continue;
            std::string_view type = attribute(cell, "t");
            std::string_view value;
            if (type == "s") {
              long index = parse_long(cell.child("v").text().get(), -1);
              if (cell.child("v").empty()) {
                for (auto v : cell.children()) {
                  if (local_name(v.name()) == "v") index = parse_long(v.text().get(), -1);
                }
              }
              if (index >= 0 && static_cast<size_t>(index) < shared_strings.size())
                value = shared_strings[static_cast<size_t>(index)];
            } else if (type == "inlineStr") {
              inline_text = text_of(cell);
              value = inline_text;
            } else {
              for (auto v : cell.children()) {
                if (local_name(v.name()) == "v") value = v.text().get();
              }
              if (type != "str") {
                report_.stats.chars += text::count_code_points(value);
                continue;  // numbers, booleans, errors carry no personal text
              }
            }
            scanner_.scan_at(
                value, [&] { return where + " セル " + std::string(attribute(cell, "r")); }, true,
                left);
            left.assign(value);
          }
        }
      }
    }
    report_hidden_rows(std::move(hidden_rows), where);
  }

  void report_hidden_rows(std::vector<long> hidden_rows, const std::string& where) {
    int reported = 0;
    for (auto [first, last] : ranges_of(std::move(hidden_rows))) {
      if (++reported > kMaxRangeFindings) break;
      std::string range = first == last ? std::to_string(first) : fmt::format("{}-{}", first, last);
      report_.findings.push_back(make_finding("xlsx.hidden_row", where + " 行 " + range, ""));
    }
  }

  // ---- DOCX ----
  void inspect_document() {
    inspect_story(main_part_, "本文");
    for (const auto& rel : rels_of(main_part_)) {
      if (rel.external || !package_.has_part(rel.part)) continue;
      std::string_view kind = rel.kind();
      if (kind == "header") {
        inspect_story(rel.part, "ヘッダー");
      } else if (kind == "footer") {
        inspect_story(rel.part, "フッター");
      } else if (kind == "footnotes") {
        inspect_story(rel.part, "脚注");
      } else if (kind == "endnotes") {
        inspect_story(rel.part, "文末脚注");
      } else if (kind == "settings") {
        inspect_settings(rel.part);
      } else if (kind == "comments") {
        labels_[main_part_] = "本文";
      }
    }
  }

  void inspect_story(const std::string& part, const std::string& where) {
    labels_[part] = where;
    auto document = load(part);
    if (!document) return;
    int paragraph = 0;
    int tracked = 0;
    int hidden = 0;
    std::set<std::string> authors;
    std::string hidden_sample;
    std::function<void(const pugi::xml_node&)> visit = [&](const pugi::xml_node& node) {
      for (auto child : node.children()) {
        if (child.type() != pugi::node_element) continue;
        std::string_view name = local_name(child.name());
        if (name == "ins" || name == "del" || name == "moveFrom" || name == "moveTo" ||
            name.ends_with("PrChange") || name == "tblGridChange" || name == "numberingChange" ||
            name == "cellIns" || name == "cellDel" || name == "cellMerge") {
          ++tracked;
          std::string_view author = attribute(child, "author");
          if (!author.empty()) authors.emplace(author);
        }
        if (name == "delText") {
          scanner_.scan(child.text().get(), where + "（削除された文字）", false);
        }
        if (name == "r") {
          auto props = child.child("w:rPr");
          bool vanish = false;
          for (auto prop : props.children()) {
            if (local_name(prop.name()) == "vanish") {
              std::string_view value = attribute(prop, "val");
              vanish = value.empty() || truthy(value);
            }
          }
          if (vanish) {
            ++hidden;
            std::string text = text_of(child);
            if (hidden_sample.size() < 30) hidden_sample += text;
            scanner_.scan(text, where + "（隠し文字）", false);
            continue;
          }
        }
        if (name == "p") {
          ++paragraph;
          std::string text;
          collect_visible_text(child, text);
          // The location is written only for a finding (issue 23 item 8).
          scanner_.scan_at(text, [&] { return fmt::format("{} 段落 {}", where, paragraph); });
        }
        visit(child);
      }
    };
    visit(document->document_element());
    if (tracked > 0) {
      report_.findings.push_back(
          make_finding("docx.tracked_change", where,
                       fmt::format("{} 箇所（変更者 {} 人）", tracked, authors.size())));
    }
    if (hidden > 0) {
      auto points = text::code_points(hidden_sample);
      std::string sample;
      for (size_t i = 0; i < std::min<size_t>(points.size(), 20); ++i) sample += points[i];
      // The sample must not republish what the PII findings mask.
      if (!find_pii(sample, DenyList()).empty()) sample = "個人情報を含むため省略";
      report_.findings.push_back(make_finding(
          "docx.hidden_text", where, fmt::format("{} 箇所（「{}」など）", hidden, sample)));
    }
  }

  // Text of a paragraph as shown: no deleted text, no hidden runs, no nested paragraphs.
  void collect_visible_text(const pugi::xml_node& node, std::string& out) {
    for (auto child : node.children()) {
      if (child.type() != pugi::node_element) continue;
      std::string_view name = local_name(child.name());
      if (name == "t") {
        out += child.text().get();
      } else if (name == "tab") {
        out += '\t';
      } else if (name == "del" || name == "moveFrom" || name == "p" || name == "instrText" ||
                 name == "delText") {
        continue;
      } else if (name == "r") {
        bool vanish = false;
        for (auto prop : child.child("w:rPr").children()) {
          if (local_name(prop.name()) == "vanish") {
            std::string_view value = attribute(prop, "val");
            vanish = value.empty() || truthy(value);
          }
        }
        if (!vanish) collect_visible_text(child, out);
      } else {
        collect_visible_text(child, out);
      }
    }
  }

  void inspect_settings(const std::string& part) {
    auto document = load(part);
    if (!document) return;
    std::vector<std::string> variables;
    for (auto child : document->document_element().children()) {
      std::string_view name = local_name(child.name());
      if (name == "trackRevisions") {
        std::string_view value = attribute(child, "val");
        if (value.empty() || truthy(value))
          report_.findings.push_back(make_finding("docx.track_changes_on", "設定", ""));
      } else if (name == "docVars") {
        for (auto variable : child.children()) {
          if (local_name(variable.name()) != "docVar") continue;
          variables.emplace_back(attribute(variable, "name"));
          scanner_.scan(attribute(variable, "val"), "文書変数", false);
        }
      }
    }
    if (!variables.empty()) {
      report_.findings.push_back(
          make_finding("docx.document_variable", "設定",
                       fmt::format("{} 件（{}）", variables.size(), join(variables))));
    }
  }

  // ---- PPTX ----
  void inspect_presentation() {
    auto presentation = load(main_part_);
    if (!presentation) return;
    std::map<std::string, std::string> targets;
    for (const auto& rel : rels_of(main_part_)) targets[rel.id] = rel.part;
    long number = 0;
    for (auto list : presentation->document_element().children()) {
      if (local_name(list.name()) != "sldIdLst") continue;
      for (auto id : list.children()) {
        if (local_name(id.name()) != "sldId") continue;
        ++number;
        std::string part = targets[relationship_id(id)];
        if (part.empty() || !package_.has_part(part)) continue;
        ++report_.stats.pages;
        inspect_slide(part, number);
      }
    }
  }

  void inspect_slide(const std::string& part, long number) {
    std::string where = fmt::format("スライド {}", number);
    labels_[part] = where;
    auto slide = load(part);
    if (!slide) return;
    auto root = slide->document_element();
    std::string_view show = attribute(root, "show");
    if (show == "0" || show == "false")
      report_.findings.push_back(make_finding("pptx.hidden_slide", where, ""));
    int paragraph = 0;
    std::function<void(const pugi::xml_node&)> visit = [&](const pugi::xml_node& node) {
      for (auto child : node.children()) {
        if (child.type() != pugi::node_element) continue;
        if (local_name(child.name()) == "p" && std::string_view(child.name()).starts_with("a:")) {
          ++paragraph;
          scanner_.scan(text_of(child), where, show != "0" && show != "false");
          continue;
        }
        visit(child);
      }
    };
    visit(root);
    for (const auto& rel : rels_of(part)) {
      if (rel.kind() != "notesSlide" || rel.external || !package_.has_part(rel.part)) continue;
      auto notes = load(rel.part);
      if (!notes) continue;
      std::string text;
      // The notes body is the placeholder of type "body"; the slide image and number are not notes.
      std::function<void(const pugi::xml_node&)> find_body = [&](const pugi::xml_node& node) {
        for (auto child : node.children()) {
          if (child.type() != pugi::node_element) continue;
          if (local_name(child.name()) == "sp") {
            bool body = false;
            std::function<void(const pugi::xml_node&)> find_ph = [&](const pugi::xml_node& n) {
              for (auto c : n.children()) {
                if (local_name(c.name()) == "ph" && attribute(c, "type") == "body") body = true;
                find_ph(c);
              }
            };
            find_ph(child);
            if (body) text += text_of(child);
            continue;
          }
          find_body(child);
        }
      };
      find_body(notes->document_element());
      if (!text::trim(text).empty()) {
        report_.findings.push_back(make_finding("pptx.speaker_notes", where, ""));
        scanner_.scan(text, where + "の発表者ノート", false);
      }
    }
  }

  OpcPackage& package_;
  TextScanner scanner_;
  FileReport& report_;
  int macro_parts_ = 0;  // VBA projects and ActiveX controls reached
  std::string main_part_;
  std::set<std::string> reached_;
  std::set<std::string> unsafe_parts_;
  std::map<std::string, std::string> scanned_;  // XML parts inflated and scanned, not yet parsed
  std::vector<std::pair<std::string, Relationship>> rels_;
  std::map<std::string, std::string> labels_;  // part -> "シート「…」", "スライド 3", ...
  std::map<std::string, std::string> comment_sources_;
};

}  // namespace

bool is_comment_kind(std::string_view kind) {
  return kind == "comments" || kind == "threadedComment" || kind == "person" || kind == "people" ||
         kind == "commentAuthors" || kind == "commentsExtended" || kind == "commentsIds" ||
         kind == "commentsExtensible" || kind == "authors";
}

bool is_macro_kind(std::string_view kind) {
  return kind == "vbaProject" || kind == "wordVbaData" || kind == "vbaProjectSignature" ||
         kind == "activeXControl" || kind == "activeXControlBinary" ||
         kind == "keyMapCustomizations";
}

bool is_embedded_kind(std::string_view kind) { return kind == "oleObject" || kind == "package"; }

namespace {

void inspect_package(const std::function<Result<OpcPackage>()>& open, const DenyList& deny_list,
                     FileReport& report) {
  try {
    auto package = open();
    if (!package) {
      report.findings.push_back(make_finding("file.unreadable", "", package.error().message));
      return;
    }
    OoxmlInspector(*package, deny_list, report).run();
  } catch (const ZipBomb& bomb) {
    report.findings.push_back(
        make_finding("file.zip_bomb", bomb.entry.empty() ? "" : "/" + bomb.entry, bomb.reason));
    // A billion-laughs part inflates past the ratio before it is whole: its start still shows
    // the entity declarations.
    XmlScan scan = scan_xml(bomb.partial);
    if (scan.doctype || scan.entity) {
      report.findings.push_back(make_finding("ooxml.unsafe_xml", "/" + bomb.entry,
                                             "DTD・実体宣言（/" + bomb.entry + "）"));
    }
  }
}

}  // namespace

void inspect_ooxml(const std::string& path, const DenyList& deny_list, FileReport& report) {
  inspect_package([&] { return OpcPackage::open(path); }, deny_list, report);
}

void inspect_ooxml(ZipArchive zip, const DenyList& deny_list, FileReport& report) {
  inspect_package([&] { return OpcPackage::open(std::move(zip)); }, deny_list, report);
}

}  // namespace kakehashi::inspect
