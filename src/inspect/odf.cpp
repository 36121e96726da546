#include "inspect/odf.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "base/text.h"
#include "inspect/package.h"
#include "inspect/photo.h"

namespace kakehashi::inspect {

namespace {

namespace fs = std::filesystem;

constexpr int kMaxRangeFindings = 100;  // hidden row / column ranges reported per sheet
constexpr std::size_t kMaxListed = 10;  // locations named in one finding

std::string join(const std::vector<std::string>& items, std::string_view separator = "、") {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::string listed(const std::vector<std::string>& where) {
  std::vector<std::string> shown(where.begin(),
                                 where.begin() + static_cast<long>(std::min(where.size(), kMaxListed)));
  std::string out = fmt::format("{} 箇所（{}", where.size(), join(shown));
  if (where.size() > kMaxListed) out += " ほか";
  return out + "）";
}

bool is_xml_entry(std::string_view name) {
  return name.ends_with(".xml") || name.ends_with(".rdf");
}

// Entries of the Basic and Scripts folders that hold code (the library indexes do not).
bool is_macro_entry(std::string_view name) {
  if (name.ends_with("/")) return false;
  if (name.starts_with("Scripts/")) return true;
  if (!name.starts_with("Basic/")) return false;
  return !(name.ends_with("script-lc.xml") || name.ends_with("script-lb.xml") ||
           name.ends_with("dialog-lc.xml") || name.ends_with("dialog-lb.xml"));
}

long number_attr(const pugi::xml_node& node, const char* name, long fallback) {
  const char* value = node.attribute(name).value();
  if (*value == '\0') return fallback;
  long n = std::strtol(value, nullptr, 10);
  return n <= 0 ? fallback : std::min(n, 10'000'000L);
}

// Hidden styles, from office:styles and office:automatic-styles of a part.
struct HiddenStyles {
  // Transparent comparators: looked up with the attribute's value as it is, no copy.
  std::set<std::string, std::less<>> text;    // text:display="none"
  std::set<std::string, std::less<>> tables;  // table:display="false"
  std::set<std::string, std::less<>> pages;   // presentation:visibility="hidden"

  void collect(const pugi::xml_node& root) {
    for (auto holder : root.children()) {
      std::string_view holder_name = holder.name();
      if (holder_name != "office:styles" && holder_name != "office:automatic-styles") continue;
      for (auto style : holder.children("style:style")) {
        std::string name = style.attribute("style:name").value();
        if (std::string_view(style.child("style:text-properties").attribute("text:display").value()) ==
            "none")
          text.insert(name);
        if (std::string_view(style.child("style:table-properties").attribute("table:display").value()) ==
            "false")
          tables.insert(name);
        if (std::string_view(style.child("style:drawing-page-properties")
                                 .attribute("presentation:visibility")
                                 .value()) == "hidden")
          pages.insert(name);
      }
    }
  }
};

// All text below `node` as a reader sees it (spaces, tabs and line breaks expanded).
void gather_text(const pugi::xml_node& node, std::string& out) {
  for (auto child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      out += child.value();
    } else if (child.type() == pugi::node_element) {
      std::string_view name = child.name();
      if (name == "text:s") {
        out.append(static_cast<std::size_t>(number_attr(child, "text:c", 1)), ' ');
      } else if (name == "text:tab") {
        out += '\t';
      } else if (name == "text:line-break") {
        out += '\n';
      } else {
        gather_text(child, out);
        if (name == "text:p" || name == "text:h") out += '\n';
      }
    }
  }
}

std::string text_below(const pugi::xml_node& node) {
  std::string out;
  gather_text(node, out);
  return out;
}

// The text of a notes page: its frames of class "notes" (the date, page number and slide
// thumbnail around them are not notes).
std::string notes_text(const pugi::xml_node& notes) {
  std::string out;
  for (auto frame : notes.select_nodes(".//*[@presentation:class='notes']"))
    gather_text(frame.node(), out);
  return out;
}

std::string column_letters(long column) {
  std::string out;
  while (column > 0) {
    --column;
    out.insert(out.begin(), static_cast<char>('A' + column % 26));
    column /= 26;
  }
  return out;
}

// Reads the `mimetype` entry (or the manifest's root entry) of an open archive.
std::string odf_mimetype(ZipArchive& zip) {
  long index = zip.find("mimetype");
  if (index >= 0) {
    auto data = zip.read(static_cast<std::size_t>(index));
    if (data && data->starts_with("application/vnd.oasis.opendocument."))
      return std::string(text::trim(*data));
  }
  index = zip.find("META-INF/manifest.xml");
  if (index < 0) return {};
  auto data = zip.read(static_cast<std::size_t>(index));
  if (!data) return {};
  XmlScan scan = scan_xml(*data);
  if (scan.unsafe() || scan.too_deep()) return {};
  auto document = parse_xml(*data, true);
  if (!document) return {};
  for (auto entry : (*document)->document_element().children("manifest:file-entry")) {
    if (std::string_view(entry.attribute("manifest:full-path").value()) == "/") {
      std::string type = entry.attribute("manifest:media-type").value();
      if (type.starts_with("application/vnd.oasis.opendocument.")) return type;
    }
  }
  return {};
}

FileType odf_type(std::string_view mimetype) {
  if (mimetype.find("opendocument.text") != std::string_view::npos) return FileType::kOdt;
  if (mimetype.find("opendocument.spreadsheet") != std::string_view::npos) return FileType::kOds;
  if (mimetype.find("opendocument.presentation") != std::string_view::npos) return FileType::kOdp;
  return FileType::kUnknown;
}

// Groups sorted numbers into ranges: {3,4,5,9} -> "3-5", "9".
std::vector<std::pair<long, long>> ranges_of(const std::vector<std::pair<long, long>>& spans) {
  std::vector<std::pair<long, long>> out;
  for (const auto& [first, last] : spans) {
    if (!out.empty() && out.back().second + 1 >= first) {
      out.back().second = std::max(out.back().second, last);
    } else {
      out.emplace_back(first, last);
    }
  }
  return out;
}

class OdfInspector {
 public:
  OdfInspector(ZipArchive& zip, const DenyList& deny_list, FileReport& report)
      : zip_(zip), scanner_(deny_list), report_(report) {}

  void run() {
    std::string mimetype = odf_mimetype(zip_);
    report_.type = odf_type(mimetype);
    read_entries();
    if (report_.type == FileType::kUnknown) {
      add("file.unsupported", "", "OpenDocument の種類を判別できません: " + mimetype);
      return;
    }
    if (thumbnail_) add("ooxml.thumbnail", "/Thumbnails/thumbnail.png", "（/Thumbnails/thumbnail.png）");
    if (auto meta = load("meta.xml")) inspect_meta(*meta);
    if (auto settings = load("settings.xml")) inspect_settings(*settings);
    auto styles = load("styles.xml");
    auto content = load("content.xml");
    if (!content) {
      add("file.unreadable", "/content.xml", "content.xml がありません");
    } else {
      if (styles) hidden_.collect(styles->document_element());
      hidden_.collect(content->document_element());
      pugi::xml_node body = content->document_element().child("office:body");
      where_ = report_.type == FileType::kOdt ? "本文" : "";
      walk(body, true);
      // Headers and footers of text documents live in styles.xml.
      if (styles && report_.type == FileType::kOdt) {
        where_ = "ヘッダー・フッター";
        walk(styles->document_element().child("office:master-styles"), true);
      }
    }
    if (report_.type == FileType::kOds) report_.stats.pages = static_cast<std::uint64_t>(sheets_);
    if (report_.type == FileType::kOdp) report_.stats.pages = static_cast<std::uint64_t>(slides_);
    if (!macros_.empty()) add("ooxml.macro", macros_.front(), join(macros_));
    if (!hidden_text_.empty()) add("docx.hidden_text", "本文", listed(hidden_text_));
    if (tracked_ > 0) add("docx.tracked_change", "/content.xml", fmt::format("{} 件", tracked_));
    if (track_on_) add("docx.track_changes_on", "/content.xml", "");
    if (!comments_.empty()) add("ooxml.comments", comments_.front(), listed(comments_));
    if (!embedded_.empty()) add("ooxml.embedded_object", "/content.xml", join(embedded_));
    report_.stats.chars = scanner_.chars();
    scanner_.take_findings(report_.findings);
  }

 private:
  void add(std::string_view code, std::string location, std::string_view detail,
           std::optional<Severity> severity = std::nullopt) {
    report_.findings.push_back(make_finding(code, std::move(location), detail, severity));
  }

  // Every entry is inflated once (bombs hide anywhere); XML is scanned for DTDs and depth.
  void read_entries() {
    const auto& entries = zip_.entries();
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const std::string& name = entries[i].name;
      if (name.empty() || name.back() == '/') continue;
      if (is_macro_entry(name)) macros_.push_back("/" + name);
      if (name.starts_with("Thumbnails/")) thumbnail_ = true;
      if (is_photo_name(name)) {
        auto image = zip_.read(i);
        if (!image) {
          add("file.unreadable", "/" + name, image.error().message);
        } else {
          add_photo_findings(read_photo_metadata(*image), "/" + name, report_.findings);
        }
        continue;
      }
      if (!is_xml_entry(name)) {
        auto checked = zip_.check_nested(i);
        if (!checked) add("file.unreadable", "/" + name, checked.error().message);
        continue;
      }
      auto data = zip_.read(i);
      if (!data) {
        add("file.unreadable", "/" + name, data.error().message);
        continue;
      }
      XmlScan scan = scan_xml(*data);
      if (scan.unsafe()) {
        std::vector<std::string> what;
        if (scan.doctype) what.push_back("DTD");
        if (scan.entity) what.push_back("実体宣言");
        if (scan.external_schema) what.push_back("外部スキーマの参照");
        add("ooxml.unsafe_xml", "/" + name, join(what) + "（/" + name + "）");
      }
      if (scan.too_deep()) {
        add("ooxml.xml_limit", "/" + name,
            fmt::format("入れ子が {} 段を超えています（/{}）", kMaxXmlDepth, name));
      } else if (!scan.doctype && !scan.entity) {
        xml_[name] = std::move(*data);
      }
    }
  }

  std::unique_ptr<pugi::xml_document> load(const std::string& name) {
    auto it = xml_.find(name);
    if (it == xml_.end()) return nullptr;
    auto document = parse_xml(it->second, true);
    if (!document) {
      add("file.unreadable", "/" + name, document.error().message);
      return nullptr;
    }
    return std::move(*document);
  }

  void inspect_meta(const pugi::xml_document& document) {
    pugi::xml_node meta = document.document_element().child("office:meta");
    std::vector<std::string> fields;
    std::vector<std::string> custom;
    bool person = false;
    for (auto node : meta.children()) {
      if (node.type() != pugi::node_element) continue;
      std::string_view name = node.name();
      if (name == "meta:document-statistic" && report_.type == FileType::kOdt)
        report_.stats.pages =
            static_cast<std::uint64_t>(number_attr(node, "meta:page-count", 0));
      if (name == "meta:generator" || name == "meta:document-statistic" ||
          name == "meta:editing-cycles" || name == "meta:editing-duration")
        continue;
      std::string value = text_below(node);
      if (name == "meta:template") value = node.attribute("xlink:href").value();
      if (name == "meta:user-defined") {
        custom.emplace_back(node.attribute("meta:name").value());
        scanner_.scan(value, "ユーザー設定のプロパティ", false);
        continue;
      }
      if (text::trim(value).empty()) continue;
      std::string_view local = local_name(node.name());
      if (name == "dc:creator" || name == "meta:initial-creator" || name == "meta:printed-by")
        person = true;
      fields.emplace_back(local);
      scanner_.scan(value, "文書のプロパティ（" + std::string(local) + "）", false);
    }
    if (!fields.empty()) {
      add("ooxml.core_properties", "/meta.xml", join(fields),
          person ? Severity::kError : Severity::kWarning);
    }
    if (!custom.empty())
      add("ooxml.custom_properties", "/meta.xml", fmt::format("{} 件（{}）", custom.size(), join(custom)));
  }

  void inspect_settings(const pugi::xml_document& document) {
    bool printer = false;
    std::function<void(const pugi::xml_node&)> visit = [&](const pugi::xml_node& node) {
      for (auto child : node.children()) {
        std::string_view item = child.attribute("config:name").value();
        if (std::string_view(child.name()) == "config:config-item" &&
            (item == "PrinterName" || item == "PrinterSetup") &&
            !text::trim(child.text().get()).empty())
          printer = true;
        visit(child);
      }
    };
    visit(document.document_element());
    if (printer) add("ooxml.printer_settings", "/settings.xml", "（/settings.xml）");
  }

  void flush_rows(const std::string& sheet) {
    int reported = 0;
    for (const auto& [first, last] : ranges_of(hidden_rows_)) {
      if (++reported > kMaxRangeFindings) break;
      add("xlsx.hidden_row",
          first == last ? fmt::format("{} 行 {}", sheet, first)
                        : fmt::format("{} 行 {}-{}", sheet, first, last),
          "");
    }
    reported = 0;
    for (const auto& [first, last] : ranges_of(hidden_columns_)) {
      if (++reported > kMaxRangeFindings) break;
      add("xlsx.hidden_column",
          first == last ? fmt::format("{} 列 {}", sheet, column_letters(first))
                        : fmt::format("{} 列 {}:{}", sheet, column_letters(first),
                                      column_letters(last)),
          "");
    }
    hidden_rows_.clear();
    hidden_columns_.clear();
  }

  void hidden_text(const pugi::xml_node& node) {
    hidden_text_.push_back(where_);
    std::string text = text_below(node) + node.attribute("text:string-value").value();
    scanner_.scan(text, where_ + "の隠し文字", false);
  }

  void walk(const pugi::xml_node& node, bool visible) {
    for (auto child : node.children()) {
      if (child.type() != pugi::node_element) continue;
      std::string_view name = child.name();
      // Only spans, paragraphs and headings hide by their style: no look-up for the rest.
      std::string_view style = name == "text:span" || name == "text:p" || name == "text:h"
                                   ? child.attribute("text:style-name").value()
                                   : "";
      if (name == "office:annotation") {
        comments_.push_back(where_.empty() ? "/content.xml" : where_);
        scanner_.scan(text_below(child), where_ + "のコメント", false);
      } else if (name == "office:annotation-end") {
      } else if (name == "script:event-listener") {
        macros_.push_back(where_.empty() ? "イベントのマクロ" : where_ + "のイベントのマクロ");
      } else if (name == "text:tracked-changes") {
        if (std::string_view(child.attribute("text:track-changes").value()) == "true")
          track_on_ = true;
        for (auto region : child.children("text:changed-region")) {
          ++tracked_;
          scanner_.scan(text_below(region), "変更履歴", false);
        }
      } else if (name == "text:hidden-paragraph" || name == "text:hidden-text") {
        hidden_text(child);
      } else if ((name == "text:section" &&
                  std::string_view(child.attribute("text:display").value()) == "none") ||
                 (!style.empty() && hidden_.text.contains(style) &&
                  (name == "text:span" || name == "text:p" || name == "text:h"))) {
        hidden_text(child);
      } else if (name == "draw:object" || name == "draw:object-ole") {
        std::string href = child.attribute("xlink:href").value();
        embedded_.push_back(href.empty() ? std::string(name) : href);
      } else if (name == "presentation:notes") {
        std::string text = notes_text(child);
        if (!text::trim(text).empty()) {
          add("pptx.speaker_notes", where_, "");
          scanner_.scan(text, where_ + "の発表者ノート", false);
        }
      } else if (name == "text:p" || name == "text:h") {
        bool field_hidden = child.find_child([](const pugi::xml_node& n) {
          return std::string_view(n.name()) == "text:hidden-paragraph";
        });
        if (report_.type == FileType::kOdt && where_.starts_with("本文")) {
          ++paragraphs_;
          std::string saved = where_;
          where_ = fmt::format("本文 段落 {}", paragraphs_);
          if (field_hidden) {
            hidden_text(child);  // a hidden-paragraph field hides the paragraph holding it
          } else {
            paragraph(child, visible);
          }
          where_ = saved;
        } else if (field_hidden) {
          hidden_text(child);
        } else {
          paragraph(child, visible);
        }
      } else if (name == "table:table" && report_.type == FileType::kOds) {
        sheet(child, visible);
      } else if (name == "draw:page" && report_.type == FileType::kOdp) {
        ++slides_;
        std::string saved = where_;
        where_ = fmt::format("スライド {}", slides_);
        bool hidden = hidden_.pages.contains(child.attribute("draw:style-name").value());
        if (hidden) add("pptx.hidden_slide", where_, "");
        walk(child, visible && !hidden);
        where_ = saved;
      } else {
        walk(child, visible);
      }
    }
  }

  // A paragraph's visible text is scanned once; what is inside it (frames, notes, hidden
  // spans, comments) is walked for findings.
  void paragraph(const pugi::xml_node& node, bool visible) {
    std::string text;
    visible_text(node, text);
    scanner_.scan(text, where_, visible);
    walk(node, visible);
  }

  void visible_text(const pugi::xml_node& node, std::string& out) {
    for (auto child : node.children()) {
      if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
        out += child.value();
        continue;
      }
      if (child.type() != pugi::node_element) continue;
      std::string_view name = child.name();
      std::string_view style = child.attribute("text:style-name").value();
      if (name == "office:annotation" || name == "text:hidden-text" ||
          name == "text:hidden-paragraph" || name == "text:p" || name == "text:h" ||
          name == "presentation:notes" || name == "draw:frame" || name == "text:note" ||
          (!style.empty() && hidden_.text.contains(style)))
        continue;  // scanned on their own
      if (name == "text:s") {
        out.append(static_cast<std::size_t>(number_attr(child, "text:c", 1)), ' ');
      } else if (name == "text:tab") {
        out += '\t';
      } else if (name == "text:line-break") {
        out += '\n';
      } else {
        visible_text(child, out);
      }
    }
  }

  void sheet(const pugi::xml_node& table, bool visible) {
    ++sheets_;
    std::string sheet_name = table.attribute("table:name").value();
    std::string saved = where_;
    std::string sheet_where = "シート「" + sheet_name + "」";
    if (hidden_.tables.contains(table.attribute("table:style-name").value())) {
      add("xlsx.hidden_sheet", sheet_where, "");
      visible = false;
    }
    scanner_.scan(sheet_name, sheet_where + "の名前", true);
    long row = 0;
    long column = 0;
    std::function<void(const pugi::xml_node&)> rows = [&](const pugi::xml_node& node) {
      for (auto child : node.children()) {
        std::string_view name = child.name();
        if (name == "table:table-column") {
          long repeat = number_attr(child, "table:number-columns-repeated", 1);
          std::string_view visibility = child.attribute("table:visibility").value();
          if (!visibility.empty() && visibility != "visible")
            hidden_columns_.emplace_back(column + 1, std::min(column + repeat, 16384L));
          column += repeat;
        } else if (name == "table:table-row") {
          long repeat = number_attr(child, "table:number-rows-repeated", 1);
          std::string_view visibility = child.attribute("table:visibility").value();
          if (!visibility.empty() && visibility != "visible")
            hidden_rows_.emplace_back(row + 1, std::min(row + repeat, 1048576L));
          where_.assign(sheet_where).append(" 行 ").append(std::to_string(row + 1));
          walk(child, visible);
          row += repeat;
        } else if (name == "table:table-columns" || name == "table:table-column-group" ||
                   name == "table:table-header-columns" || name == "table:table-rows" ||
                   name == "table:table-row-group" || name == "table:table-header-rows") {
          rows(child);
        } else if (child.type() == pugi::node_element) {
          where_ = sheet_where;
          walk(child, visible);  // shapes, annotations on the sheet
        }
      }
    };
    rows(table);
    flush_rows(sheet_where);
    where_ = saved;
  }

  ZipArchive& zip_;
  TextScanner scanner_;
  FileReport& report_;
  std::map<std::string, std::string> xml_;
  HiddenStyles hidden_;
  std::vector<std::string> macros_;
  bool thumbnail_ = false;
  std::string where_;
  long paragraphs_ = 0;
  int sheets_ = 0;
  int slides_ = 0;
  int tracked_ = 0;
  bool track_on_ = false;
  std::vector<std::string> hidden_text_;
  std::vector<std::string> comments_;
  std::vector<std::string> embedded_;
  std::vector<std::pair<long, long>> hidden_rows_;
  std::vector<std::pair<long, long>> hidden_columns_;
};

// ---------------------------------------------------------------- cleaning

std::string serialize(const pugi::xml_document& document) {
  std::ostringstream out;
  document.save(out, "", pugi::format_raw, pugi::encoding_utf8);
  return out.str();
}

class OdfCleaner {
 public:
  OdfCleaner(ZipArchive& zip, const CleanOptions& options) : zip_(zip), options_(options) {}

  Result<CleanReport> run(const std::string& out) {
    std::string mimetype = odf_mimetype(zip_);
    if (odf_type(mimetype) == FileType::kUnknown)
      return fail(Error::invalid("OpenDocument の種類を判別できないため、クリーニングできません"));
    const auto& entries = zip_.entries();
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const std::string& name = entries[i].name;
      if (name.empty() || name.back() == '/') continue;
      auto data = zip_.read(i);
      if (!data) return fail(Error::invalid("部品を読めません: " + name));
      order_.push_back(name);
      parts_[name] = std::move(*data);
    }
    for (auto& [name, data] : parts_) {
      if (!is_xml_entry(name)) continue;
      XmlScan scan = scan_xml(data);
      if (scan.too_deep())
        return fail(Error::invalid("XML の入れ子が深すぎるため、クリーニングできません: " + name));
      if (scan.doctype || scan.entity) {
        edit(name, [](pugi::xml_document&) {});
        note("DTD・実体宣言");
      }
    }
    for (const auto& name : order_) {
      if (name.starts_with("Thumbnails/")) drop(name, "サムネイル");
      if (name.starts_with("Basic/") || name.starts_with("Scripts/")) {
        if (is_macro_entry(name)) note("マクロ");
        dropped_.insert(name);
      }
    }
    for (auto& [name, data] : parts_) {
      if (!is_photo_name(name)) continue;
      if (auto stripped = strip_photo_metadata(data)) {
        data = std::move(*stripped);
        note("写真のメタデータ（撮影場所・撮影者・カメラ）");
      }
    }
    clean_meta();
    edit("settings.xml", [&](pugi::xml_document& document) { clean_settings(document); });
    HiddenStyles hidden;
    for (const char* part : {"styles.xml", "content.xml"}) {
      if (parts_.contains(part) && is_parseable(part)) {
        auto document = parse_xml(parts_[part], true);
        if (document) hidden.collect((*document)->document_element());
      }
    }
    for (const char* part : {"content.xml", "styles.xml"}) {
      edit(part, [&](pugi::xml_document& document) {
        clean_tree(document.document_element(), hidden);
        show_hidden_styles(document.document_element());
      });
    }
    // Embedded objects' own folders ("Object 1/") go with their frames; the previews in
    // ObjectReplacements/ stay where a frame still shows them.
    for (const auto& name : order_) {
      for (const auto& object : removed_objects_) {
        if (name == object || name.starts_with(object + "/")) dropped_.insert(name);
      }
    }
    edit("META-INF/manifest.xml", [&](pugi::xml_document& document) {
      auto root = document.document_element();
      for (auto entry = root.first_child(); entry;) {
        auto next = entry.next_sibling();
        std::string path = entry.attribute("manifest:full-path").value();
        bool gone = dropped_.contains(path);
        for (const auto& object : removed_objects_) {
          if (path == object || path.starts_with(object + "/")) gone = true;
        }
        for (const char* folder : {"Basic/", "Scripts/", "Thumbnails/"}) {
          if (path.starts_with(folder)) gone = true;
        }
        if (gone) root.remove_child(entry);
        entry = next;
      }
    });
    return write(out);
  }

 private:
  void note(const std::string& what) {
    if (std::find(report_.removed.begin(), report_.removed.end(), what) == report_.removed.end())
      report_.removed.push_back(what);
  }
  void drop(const std::string& name, const std::string& what) {
    dropped_.insert(name);
    note(what);
  }
  bool is_parseable(const std::string& name) {
    XmlScan scan = scan_xml(parts_[name]);
    return !scan.too_deep();
  }
  void edit(const std::string& name, const std::function<void(pugi::xml_document&)>& change) {
    auto it = parts_.find(name);
    if (it == parts_.end()) return;
    auto document = parse_xml(it->second);
    if (!document) return;
    change(**document);
    it->second = serialize(**document);
  }

  void clean_meta() {
    edit("meta.xml", [&](pugi::xml_document& document) {
      pugi::xml_node meta = document.document_element().child("office:meta");
      bool removed = false;
      for (auto node = meta.first_child(); node;) {
        auto next = node.next_sibling();
        std::string_view name = node.name();
        bool keep = name == "meta:generator" || name == "meta:document-statistic" ||
                    (name == "dc:title" && options_.keep_title);
        if (!keep) {
          meta.remove_child(node);
          removed = true;
        }
        node = next;
      }
      if (removed) note(options_.keep_title ? "文書のプロパティ（タイトル以外）" : "文書のプロパティ");
    });
  }

  void clean_settings(pugi::xml_document& document) {
    std::function<void(pugi::xml_node)> visit = [&](pugi::xml_node node) {
      for (auto child : node.children()) {
        std::string_view item = child.attribute("config:name").value();
        if (std::string_view(child.name()) == "config:config-item" &&
            (item == "PrinterName" || item == "PrinterSetup") &&
            !text::trim(child.text().get()).empty()) {
          child.text().set("");
          note("プリンターの設定");
        }
        visit(child);
      }
    };
    visit(document.document_element());
  }

  // Removes what the reader cannot see, unwraps accepted changes.
  void clean_tree(pugi::xml_node node, const HiddenStyles& hidden) {
    for (auto child = node.first_child(); child;) {
      auto next = child.next_sibling();
      if (child.type() != pugi::node_element) {
        child = next;
        continue;
      }
      std::string_view name = child.name();
      std::string_view style = child.attribute("text:style-name").value();
      if (name == "office:annotation" || name == "office:annotation-end") {
        node.remove_child(child);
        note("コメント");
      } else if (name == "text:tracked-changes" || name == "text:change" ||
                 name == "text:change-start" || name == "text:change-end") {
        node.remove_child(child);
        note("変更履歴（承諾）");
      } else if ((name == "text:p" || name == "text:h") &&
                 child.find_child([](const pugi::xml_node& n) {
                   return std::string_view(n.name()) == "text:hidden-paragraph";
                 })) {
        // A hidden-paragraph field hides the paragraph that holds it.
        node.remove_child(child);
        note("隠し文字");
      } else if (name == "text:hidden-paragraph" || name == "text:hidden-text" ||
                 (name == "text:section" &&
                  std::string_view(child.attribute("text:display").value()) == "none") ||
                 (!style.empty() && hidden.text.contains(style) &&
                  (name == "text:span" || name == "text:p" || name == "text:h"))) {
        node.remove_child(child);
        note("隠し文字");
      } else if (name == "draw:object" || name == "draw:object-ole") {
        std::string href = child.attribute("xlink:href").value();
        if (href.starts_with("./")) href.erase(0, 2);
        if (!href.empty() && href.find("..") == std::string::npos) removed_objects_.insert(href);
        // Keep what the reader sees: the frame's preview picture stays as a plain image.
        if (std::string_view(node.name()) == "draw:frame" && node.child("draw:image")) {
          node.remove_child(child);
          note("埋め込みオブジェクト（プレビュー画像に置き換え）");
        } else {
          node.remove_child(child);
          note("埋め込みオブジェクト");
        }
      } else if (name == "presentation:notes") {
        if (!text::trim(notes_text(child)).empty()) note("発表者ノート");
        node.remove_child(child);
      } else if (name == "script:event-listener") {
        // A macro bound to an event; presentation actions (next slide, ...) stay.
        node.remove_child(child);
        note("マクロ");
      } else if (options_.delete_hidden && name == "table:table" &&
                 hidden.tables.contains(child.attribute("table:style-name").value())) {
        node.remove_child(child);
        note("非表示のシート（削除）");
      } else if (options_.delete_hidden && name == "draw:page" &&
                 hidden.pages.contains(child.attribute("draw:style-name").value())) {
        node.remove_child(child);
        note("非表示のスライド（削除）");
      } else {
        if (name == "table:table-row" || name == "table:table-column") {
          pugi::xml_attribute visibility = child.attribute("table:visibility");
          if (visibility && std::string_view(visibility.value()) != "visible") {
            visibility.set_value("visible");
            note(name == "table:table-row" ? "非表示の行（表示に変更）" : "非表示の列（表示に変更）");
          }
        }
        clean_tree(child, hidden);
      }
      child = next;
    }
  }

  void show_hidden_styles(pugi::xml_node root) {
    for (auto holder : root.children()) {
      std::string_view holder_name = holder.name();
      if (holder_name != "office:styles" && holder_name != "office:automatic-styles") continue;
      for (auto style : holder.children("style:style")) {
        pugi::xml_attribute table = style.child("style:table-properties").attribute("table:display");
        if (table && std::string_view(table.value()) == "false") {
          table.set_value("true");
          note("非表示のシート（表示に変更）");
        }
        pugi::xml_attribute page =
            style.child("style:drawing-page-properties").attribute("presentation:visibility");
        if (page && std::string_view(page.value()) == "hidden") {
          page.set_value("visible");
          note("非表示のスライド（表示に変更）");
        }
      }
    }
  }

  Result<CleanReport> write(const std::string& out) {
    fs::path path(out);
    std::string temporary =
        (path.parent_path() /
         ("." + path.filename().string() + ".kakehashi-" + std::to_string(::getpid())))
            .string();
    std::vector<ZipOutEntry> entries;
    // mimetype first and stored, as ODF requires.
    if (parts_.contains("mimetype")) entries.push_back({"mimetype", &parts_["mimetype"], true});
    for (const auto& name : order_) {
      if (name == "mimetype" || dropped_.contains(name)) continue;
      entries.push_back({name, &parts_[name], false});
    }
    if (!write_zip_entries(temporary, entries))
      return fail(Error::unavailable("出力ファイルを書けません: " + out));
    std::error_code ec;
    fs::rename(temporary, out, ec);
    if (ec) {
      fs::remove(temporary, ec);
      return fail(Error::unavailable("出力ファイルを書けません: " + out));
    }
    return report_;
  }

  ZipArchive& zip_;
  const CleanOptions& options_;
  CleanReport report_;
  std::vector<std::string> order_;
  std::map<std::string, std::string> parts_;
  std::set<std::string> dropped_;
  std::set<std::string> removed_objects_;  // "Object 1": an embedded object's folder or file
};

}  // namespace

bool is_odf_package(const std::string& path) {
  try {
    auto zip = ZipArchive::open(path);
    if (!zip) return false;
    if (zip->find("[Content_Types].xml") >= 0) return false;
    return !odf_mimetype(*zip).empty();
  } catch (const ZipBomb&) {
    return false;  // the OOXML path reports the bomb
  }
}

std::optional<bool> is_odf_package(ZipArchive& zip) {
  try {
    if (zip.find("[Content_Types].xml") >= 0) return false;
    bool odf = !odf_mimetype(zip).empty();
    zip.restart_count();
    return odf;
  } catch (const ZipBomb&) {
    return std::nullopt;
  }
}

void inspect_odf(ZipArchive zip, const DenyList& deny_list, FileReport& report) {
  try {
    OdfInspector(zip, deny_list, report).run();
  } catch (const ZipBomb& bomb) {
    report.findings.push_back(
        make_finding("file.zip_bomb", bomb.entry.empty() ? "" : "/" + bomb.entry, bomb.reason));
  }
}

void inspect_odf(const std::string& path, const DenyList& deny_list, FileReport& report) {
  try {
    auto zip = ZipArchive::open(path);
    if (!zip) {
      report.findings.push_back(make_finding("file.unreadable", "", zip.error().message));
      return;
    }
    OdfInspector(*zip, deny_list, report).run();
  } catch (const ZipBomb& bomb) {
    report.findings.push_back(
        make_finding("file.zip_bomb", bomb.entry.empty() ? "" : "/" + bomb.entry, bomb.reason));
  }
}

Result<CleanReport> clean_odf(const std::string& in, const std::string& out,
                              const CleanOptions& options) {
  try {
    auto zip = ZipArchive::open(in);
    if (!zip) return fail(Error::invalid("ファイルを読み取れません: " + zip.error().message));
    return OdfCleaner(*zip, options).run(out);
  } catch (const ZipBomb& bomb) {
    return fail(Error::invalid("圧縮爆弾の疑いがあるためクリーニングできません: " + bomb.reason));
  }
}

}  // namespace kakehashi::inspect
