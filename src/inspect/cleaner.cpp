#include "inspect/cleaner.h"
#include "inspect/pdf_revisions.h"

#include <fmt/format.h>
#include <unistd.h>
#include <zip.h>

#include <array>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <qpdf/Constants.h>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>
#include <set>
#include <sstream>

#include "inspect/inspector.h"
#include "inspect/odf.h"
#include "inspect/ooxml.h"
#include "inspect/package.h"
#include "inspect/photo.h"
#include "inspect/pdf_streams.h"
#include "inspect/disarm.h"

namespace kakehashi::inspect {

namespace {

namespace fs = std::filesystem;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string serialize(const pugi::xml_document& document) {
  std::ostringstream out;
  document.save(out, "", pugi::format_raw | pugi::format_no_declaration * 0, pugi::encoding_utf8);
  return out.str();
}

// A temporary path beside `out`, so the final rename stays on one file system.
std::string temporary_beside(const std::string& out) {
  fs::path path(out);
  return (path.parent_path() /
          ("." + path.filename().string() + ".kakehashi-" + std::to_string(::getpid())))
      .string();
}

// ---------------------------------------------------------------- OOXML

// The content type of a main part once its macros are gone.
std::string plain_main_type(const std::string& type) {
  static const std::pair<std::string_view, std::string_view> kPlain[] = {
      {"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"},
      {"application/vnd.ms-excel.template.macroEnabled.main+xml",
       "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml"},
      {"application/vnd.ms-word.document.macroEnabled.main+xml",
       "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"},
      {"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
       "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"},
      {"application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
       "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"},
      {"application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml",
       "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml"},
      {"application/vnd.ms-powerpoint.template.macroEnabled.main+xml",
       "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"},
  };
  for (const auto& [macro, plain] : kPlain) {
    if (lower(type) == lower(macro)) return std::string(plain);
  }
  return type;
}

// The file extension for a main part's content type.
std::string extension_for(const std::string& type) {
  static const std::pair<std::string_view, std::string_view> kExtensions[] = {
      {"spreadsheetml.sheet.main", ".xlsx"},
      {"spreadsheetml.template.main", ".xltx"},
      {"ms-excel.sheet.macroEnabled", ".xlsm"},
      {"ms-excel.template.macroEnabled", ".xltm"},
      {"wordprocessingml.document.main", ".docx"},
      {"wordprocessingml.template.main", ".dotx"},
      {"ms-word.document.macroEnabled", ".docm"},
      {"ms-word.template.macroEnabled", ".dotm"},
      {"presentationml.presentation.main", ".pptx"},
      {"presentationml.slideshow.main", ".ppsx"},
      {"presentationml.template.main", ".potx"},
      {"ms-powerpoint.presentation.macroEnabled", ".pptm"},
      {"ms-powerpoint.slideshow.macroEnabled", ".ppsm"},
      {"ms-powerpoint.template.macroEnabled", ".potm"},
  };
  for (const auto& [fragment, extension] : kExtensions) {
    if (lower(type).find(lower(fragment)) != std::string::npos) return std::string(extension);
  }
  return {};
}

class OoxmlCleaner {
 public:
  // `disarm`: remove only what runs or fetches by itself (macros, ActiveX, embedded objects,
  // external links, DTDs, unreachable parts) and count it; leave the content as it is.
  OoxmlCleaner(OpcPackage& package, const CleanOptions& options, bool disarm = false)
      : package_(package), options_(options), disarm_(disarm) {}

  const std::map<std::string, int>& counts() const { return counts_; }
  const std::string& main_type() const { return main_type_; }

  Result<CleanReport> run(const std::string& out) {
    for (const auto& part : package_.part_names()) {
      auto data = package_.read(part);
      if (!data) return fail(Error::invalid("部品を読めません: " + part));
      parts_[lower(part)] = Part{part, std::move(*data)};
    }
    if (!disarm_) {
      // Photographs lose EXIF, XMP and IPTC; the pixels are copied as they are (issue 23 item 1).
      for (auto& [key, p] : parts_) {
        if (!is_photo_name(p.name) && package_.content_type(p.name) != "image/jpeg" &&
            package_.content_type(p.name) != "image/tiff")
          continue;
        if (auto stripped = strip_photo_metadata(p.data)) {
          p.data = std::move(*stripped);
          note("写真のメタデータ（撮影場所・撮影者・カメラ）");
        }
      }
    }
    main_part_ = find_main_part();
    if (main_part_.empty())
      return fail(Error::invalid("本文の部品が見つからないため、クリーニングできません"));
    std::string main_type = package_.content_type(main_part_);
    originally_reachable_ = reachable_parts();
    drop_relationships();
    if (disarm_) {
      // What a removed part referred to itself (a macro's data, a linked workbook's path) is
      // not counted again.
      std::set<std::string> now = reachable_parts();
      for (const auto& [source, kind] : disarm_drops_) {
        if (source == "/" || now.contains(lower(source))) ++counts_[kind];
      }
    }
    for (auto& [key, part] : parts_) {
      if (!is_xml(part.name)) continue;
      XmlScan scan = scan_xml(part.data);
      if (scan.too_deep())
        return fail(
            Error::invalid("XML の入れ子が深すぎるため、クリーニングできません: " + part.name));
      if (scan.doctype || scan.entity) {
        edit(part.name, [](pugi::xml_document&) {});
        note("DTD・実体宣言");
        ++counts_["dtd"];
      }
    }
    for (const auto& [source, ids] : removed_ids_) {
      edit(source, [&](pugi::xml_document& document) {
        if (keep_previews(source, document, ids) > 0)
          note("埋め込みオブジェクト（プレビュー画像に置き換え）");
        remove_references(document, ids);
      });
    }
    if (main_type.find("spreadsheetml") != std::string::npos ||
        main_type.find("ms-excel") != std::string::npos) {
      clean_workbook();
    } else if (disarm_) {
      // Documents and presentations need nothing beyond the references removed above.
    } else if (main_type.find("wordprocessingml") != std::string::npos ||
               main_type.find("ms-word") != std::string::npos) {
      clean_document();
    } else if (main_type.find("presentationml") != std::string::npos ||
               main_type.find("ms-powerpoint") != std::string::npos) {
      clean_presentation();
    }
    if (!disarm_) clean_properties();
    return write(out, main_type);
  }

 private:
  struct Part {
    std::string name;  // "/xl/workbook.xml"
    std::string data;
  };

  static bool is_xml(const std::string& name) {
    return name.ends_with(".xml") || name.ends_with(".rels") || name.ends_with(".vml");
  }

  void note(const std::string& what) {
    if (std::find(report_.removed.begin(), report_.removed.end(), what) == report_.removed.end()) {
      report_.removed.push_back(what);
    }
  }

  Part* part(const std::string& name) {
    auto it = parts_.find(lower(name));
    return it == parts_.end() ? nullptr : &it->second;
  }

  // Parses a part, lets `change` edit it and stores it back.
  void edit(const std::string& name, const std::function<void(pugi::xml_document&)>& change) {
    Part* p = part(name);
    if (p == nullptr) return;
    auto document = parse_xml(p->data);
    if (!document) return;
    change(**document);
    p->data = serialize(**document);
  }

  std::string find_main_part() {
    for (const auto& rel : package_.relationships("/")) {
      if (rel.kind() == "officeDocument" && !rel.external) return rel.part;
    }
    return {};
  }

  // What goes, by relationship: the kinds that carry hidden data.
  bool drops(const std::string& source, const Relationship& rel) {
    std::string_view kind = rel.kind();
    if (disarm_) {
      // Only what runs, or opens or fetches something outside the file by itself.
      std::string what;
      if (rel.external) {
        if (kind != "hyperlink") what = "external_link";
      } else if (is_macro_kind(kind)) {
        what = "macro";
      } else if (is_embedded_kind(kind)) {
        what = "embedded_object";
      } else if (kind == "externalLink") {
        what = "external_link";
      }
      if (what.empty()) return false;
      disarm_drops_.emplace_back(source, what);
      return true;
    }
    if (rel.external) return kind != "hyperlink";
    if (kind == "custom-properties") return note("ユーザー設定のプロパティ"), true;
    if (kind == "thumbnail") return note("サムネイル"), true;
    if (kind == "printerSettings") return note("プリンターの設定"), true;
    if (kind == "customXml") return note("カスタム XML"), true;
    if (is_comment_kind(kind)) return note("コメント"), true;
    if (is_macro_kind(kind)) return note("マクロ"), true;
    if (is_embedded_kind(kind)) return note("埋め込みオブジェクト"), true;
    if (kind == "externalLink") return note("外部リンク"), true;
    if (kind == "notesSlide") return note("発表者ノート"), true;
    if (kind == "xmlMaps") return note("XML マップ（外部スキーマ）"), true;
    if (kind == "vmlDrawing" && sheets_with_comments_.contains(source))
      return true;  // the comment boxes
    return false;
  }

  void drop_relationships() {
    // Sheets whose comments go lose their VML comment boxes too.
    for (const auto& name : package_.part_names()) {
      for (const auto& rel : package_.relationships(name)) {
        if (rel.kind() == "comments") sheets_with_comments_.insert(name);
      }
    }
    std::vector<std::string> sources = {"/"};
    for (const auto& name : package_.part_names()) sources.push_back(name);
    for (const auto& source : sources) {
      std::string rels_name = rels_part_of(source);
      if (part(rels_name) == nullptr) continue;
      std::set<std::string> removed;
      for (const auto& rel : package_.relationships(source)) {
        if (drops(source, rel)) {
          removed.insert(rel.id);
          if (rel.external) note("外部リンク");
        }
      }
      if (removed.empty()) continue;
      remove_relationships(source, removed);
      removed_ids_[source] = removed;
    }
  }

  // Deletes the relationships `ids` from the relationships part of `source`.
  void remove_relationships(const std::string& source, const std::set<std::string>& ids) {
    edit(rels_part_of(source), [&](pugi::xml_document& document) {
      auto root = document.document_element();
      for (auto node = root.first_child(); node;) {
        auto next = node.next_sibling();
        if (ids.contains(std::string(attribute(node, "Id")))) root.remove_child(node);
        node = next;
      }
    });
  }

  static bool refers_to(const pugi::xml_node& node, const std::set<std::string>& ids) {
    for (auto attr : node.attributes()) {
      std::string_view name = attr.name();
      if (name.find(':') != std::string_view::npos && local_name(attr.name()) != "link" &&
          ids.contains(attr.value()))
        return true;
    }
    for (auto child : node.children()) {
      if (child.type() == pugi::node_element && refers_to(child, ids)) return true;
    }
    return false;
  }

  // Keeps what the reader sees of an embedded object that goes (issue 23 item 7): its preview
  // picture becomes a plain picture in the same place. DOCX: the w:object's VML shape (whose
  // v:imagedata is the preview) stays as a w:pict without the o:OLEObject. PPTX: the
  // p:graphicFrame becomes the p:pic PowerPoint stores with the object, with the frame's id,
  // name and position (no empty frame is left). Returns how many objects were replaced.
  int keep_previews(const std::string& source, pugi::xml_document& document,
                    const std::set<std::string>& ids) {
    if (local_name(document.document_element().name()) == "worksheet")
      return keep_sheet_previews(source, document, ids);
    int replaced = 0;
    std::vector<pugi::xml_node> objects;
    for (auto hit : document.select_nodes("//*[local-name()='object' or local-name()='graphicFrame']"))
      objects.push_back(hit.node());
    for (auto object : objects) {
      if (!object.parent() || !refers_to(object, ids)) continue;
      std::string_view name = local_name(object.name());
      if (name == "object") {
        pugi::xml_node shape;
        for (auto child : object.children()) {
          if (local_name(child.name()) == "shape" &&
              child.find_child([](const pugi::xml_node& n) {
                return local_name(n.name()) == "imagedata";
              }))
            shape = child;
        }
        if (!shape || refers_to(shape, ids)) continue;
        for (auto child = object.first_child(); child;) {
          auto next = child.next_sibling();
          if (child != shape && (refers_to(child, ids) || local_name(child.name()) == "OLEObject"))
            object.remove_child(child);
          child = next;
        }
        std::string prefix(object.name());
        prefix = prefix.substr(0, prefix.find(':') + 1);
        object.set_name((prefix + "pict").c_str());
        for (auto attr = object.first_attribute(); attr;) {
          auto next = attr.next_attribute();
          object.remove_attribute(attr);  // w:dxaOrig, w:dyaOrig belong to w:object only
          attr = next;
        }
        ++replaced;
      } else {
        pugi::xml_node picture = object.find_node([](const pugi::xml_node& n) {
          return local_name(n.name()) == "pic";
        });
        pugi::xml_document legacy;  // a PowerPoint 2007 object: its preview is in the VML
        if (!picture) picture = legacy_preview(source, object, legacy);
        if (!picture || refers_to(picture, ids)) continue;
        pugi::xml_node copy = object.parent().insert_copy_before(picture, object);
        // Identity and position of the frame.
        pugi::xml_node frame_props = object.find_node(
            [](const pugi::xml_node& n) { return local_name(n.name()) == "cNvPr"; });
        pugi::xml_node picture_props = copy.find_node(
            [](const pugi::xml_node& n) { return local_name(n.name()) == "cNvPr"; });
        if (frame_props && picture_props) {
          for (const char* attr : {"id", "name"}) {
            if (!picture_props.attribute(attr)) picture_props.append_attribute(attr);
            picture_props.attribute(attr).set_value(frame_props.attribute(attr).value());
          }
        }
        pugi::xml_node frame_xfrm;
        for (auto child : object.children()) {
          if (local_name(child.name()) == "xfrm") frame_xfrm = child;
        }
        pugi::xml_node sp_pr;
        for (auto child : copy.children()) {
          if (local_name(child.name()) == "spPr") sp_pr = child;
        }
        if (frame_xfrm && sp_pr) {
          pugi::xml_node xfrm;
          for (auto child : sp_pr.children()) {
            if (local_name(child.name()) == "xfrm") xfrm = child;
          }
          if (!xfrm) xfrm = sp_pr.prepend_child("a:xfrm");
          while (xfrm.first_child()) xfrm.remove_child(xfrm.first_child());
          for (auto child : frame_xfrm.children()) xfrm.append_copy(child);
        }
        object.parent().remove_child(object);
        ++replaced;
      }
    }
    return replaced;
  }

  // XLSX (issue 23 item 7): an oleObject that goes leaves its preview as a plain picture in the
  // sheet's drawing (made when the sheet has none), anchored where the object was. The preview
  // and its anchor come from the object's objectPr (Excel 2010 and later) or, for older files,
  // from the object's shape in the legacy VML drawing (v:imagedata and x:Anchor). The object's
  // own shapes go: the VML shape and the drawing's a14:compatExt placeholder that stands for
  // it. Returns how many objects were replaced.
  struct SheetPreview {
    std::string shape_id;  // "1025"
    std::string image;     // "/xl/media/image1.emf"
    // from col, col offset, row, row offset, then the same for `to` (offsets in EMU)
    std::array<long long, 8> anchor{};
  };

  static long long child_number(const pugi::xml_node& node, std::string_view name) {
    for (auto child : node.children()) {
      if (local_name(child.name()) == name) return std::atoll(child.text().get());
    }
    return 0;
  }

  std::string image_target(const std::string& source, const std::string& id) {
    for (const auto& rel : package_.relationships(source)) {
      if (rel.id == id && !rel.external && rel.kind() == "image" && part(rel.part) != nullptr)
        return rel.part;
    }
    return {};
  }

  // Text of the VML shape `_x0000_s<shape_id>` in the sheet's legacy drawings: [begin, end).
  struct VmlShape {
    Part* vml = nullptr;
    std::string vml_name;
    std::size_t begin = 0;
    std::size_t end = 0;
  };
  VmlShape vml_shape(const std::string& source, const std::string& shape_id) {
    for (const auto& rel : package_.relationships(source)) {
      if (rel.kind() != "vmlDrawing" || rel.external) continue;
      Part* vml = part(rel.part);
      if (vml == nullptr) continue;
      // VML is often not well-formed XML: find the shape by text.
      std::size_t at = vml->data.find("id=\"_x0000_s" + shape_id + "\"");
      if (at == std::string::npos) continue;
      std::size_t begin = vml->data.rfind("<v:shape ", at);
      std::size_t end = vml->data.find("</v:shape>", at);
      if (begin == std::string::npos || end == std::string::npos) continue;
      return {vml, rel.part, begin, end + 10};
    }
    return {};
  }

  bool legacy_sheet_preview(const std::string& source, SheetPreview& preview) {
    VmlShape shape = vml_shape(source, preview.shape_id);
    if (shape.vml == nullptr) return false;
    std::string_view text(shape.vml->data);
    text = text.substr(shape.begin, shape.end - shape.begin);
    std::size_t relid = text.find("o:relid=\"");
    std::size_t anchor = text.find("<x:Anchor>");
    if (relid == std::string_view::npos || anchor == std::string_view::npos) return false;
    relid += 9;
    std::string id(text.substr(relid, text.find('"', relid) - relid));
    for (const auto& rel : package_.relationships(shape.vml_name)) {
      if (rel.id == id && !rel.external && part(rel.part) != nullptr) preview.image = rel.part;
    }
    // LeftColumn, LeftOffset, TopRow, TopOffset, RightColumn, RightOffset, BottomRow,
    // BottomOffset; offsets in pixels (9525 EMU at 96 dpi).
    std::string numbers(text.substr(anchor + 10, text.find('<', anchor + 10) - anchor - 10));
    std::array<long long, 8> values{};
    std::size_t n = 0;
    for (std::size_t at = 0; n < 8 && at <= numbers.size(); ++n) {
      std::size_t comma = numbers.find(',', at);
      values[n] = std::atoll(numbers.substr(at, comma - at).c_str());
      if (comma == std::string::npos) {
        ++n;
        break;
      }
      at = comma + 1;
    }
    if (n != 8 || preview.image.empty()) return false;
    preview.anchor = {values[0], values[1] * 9525, values[2], values[3] * 9525,
                      values[4], values[5] * 9525, values[6], values[7] * 9525};
    return true;
  }

  int keep_sheet_previews(const std::string& source, pugi::xml_document& document,
                          const std::set<std::string>& ids) {
    std::vector<SheetPreview> previews;
    std::set<std::string> seen;  // an object is written twice: mc:Choice and mc:Fallback
    for (auto hit : document.select_nodes("//*[local-name()='oleObject']")) {
      pugi::xml_node object = hit.node();
      if (!ids.contains(relationship_id(object))) continue;
      SheetPreview preview;
      preview.shape_id = object.attribute("shapeId").value();
      if (preview.shape_id.empty() || seen.contains(preview.shape_id)) continue;
      bool found = false;
      pugi::xml_node properties = object.find_child(
          [](const pugi::xml_node& n) { return local_name(n.name()) == "objectPr"; });
      pugi::xml_node anchor = properties.find_child(
          [](const pugi::xml_node& n) { return local_name(n.name()) == "anchor"; });
      pugi::xml_node from = anchor.find_child(
          [](const pugi::xml_node& n) { return local_name(n.name()) == "from"; });
      pugi::xml_node to = anchor.find_child(
          [](const pugi::xml_node& n) { return local_name(n.name()) == "to"; });
      preview.image = image_target(source, relationship_id(properties));
      if (!preview.image.empty() && from && to) {
        preview.anchor = {child_number(from, "col"), child_number(from, "colOff"),
                          child_number(from, "row"), child_number(from, "rowOff"),
                          child_number(to, "col"),   child_number(to, "colOff"),
                          child_number(to, "row"),   child_number(to, "rowOff")};
        found = true;
      } else {
        found = legacy_sheet_preview(source, preview);
      }
      if (!found) continue;
      seen.insert(preview.shape_id);
      previews.push_back(std::move(preview));
    }
    if (previews.empty()) return 0;

    // The object's own shapes go: VML shapes and the drawing's placeholders for them.
    for (const auto& preview : previews) {
      VmlShape shape = vml_shape(source, preview.shape_id);
      if (shape.vml != nullptr) shape.vml->data.erase(shape.begin, shape.end - shape.begin);
    }
    std::string drawing;
    for (const auto& rel : package_.relationships(source)) {
      if (rel.kind() == "drawing" && !rel.external && part(rel.part) != nullptr) drawing = rel.part;
    }
    if (drawing.empty()) drawing = add_sheet_drawing(source, document);
    if (part(rels_part_of(drawing)) == nullptr) {
      parts_[lower(rels_part_of(drawing))] = Part{
          rels_part_of(drawing),
          "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships "
          "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"/>"};
    }
    edit(drawing, [&](pugi::xml_document& xml) {
      auto root = xml.document_element();
      std::string prefix(root.name());
      prefix = prefix.find(':') == std::string::npos ? "" : prefix.substr(0, prefix.find(':') + 1);
      std::vector<pugi::xml_node> placeholders;
      for (auto hit : xml.select_nodes("//*[local-name()='compatExt']")) {
        std::string spid = hit.node().attribute("spid").value();
        for (const auto& preview : previews) {
          if (spid != "_x0000_s" + preview.shape_id) continue;
          pugi::xml_node target = hit.node();
          for (auto up = target.parent(); up && up != root; up = up.parent()) target = up;
          placeholders.push_back(target);  // the anchor, or the mc:AlternateContent around it
        }
      }
      for (auto node : placeholders) {
        if (node.parent()) node.parent().remove_child(node);
      }
      for (const auto& preview : previews) {
        std::string id = "rIdKkPreview" + std::to_string(++previews_);
        edit(rels_part_of(drawing), [&](pugi::xml_document& rels) {
          auto node = rels.document_element().append_child("Relationship");
          node.append_attribute("Id") = id.c_str();
          node.append_attribute("Type") =
              "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image";
          node.append_attribute("Target") = preview.image.c_str();  // an absolute part name
        });
        const auto& a = preview.anchor;
        std::string x = prefix;
        std::string anchor_xml = fmt::format(
            "<{0}twoCellAnchor xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
            "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
            "editAs=\"oneCell\"><{0}from><{0}col>{1}</{0}col><{0}colOff>{2}</{0}colOff><{0}row>{3}"
            "</{0}row><{0}rowOff>{4}</{0}rowOff></{0}from><{0}to><{0}col>{5}</{0}col><{0}colOff>"
            "{6}</{0}colOff><{0}row>{7}</{0}row><{0}rowOff>{8}</{0}rowOff></{0}to><{0}pic>"
            "<{0}nvPicPr><{0}cNvPr id=\"{9}\" name=\"Object {9}\"/><{0}cNvPicPr><a:picLocks "
            "noChangeAspect=\"1\"/></{0}cNvPicPr></{0}nvPicPr><{0}blipFill>"
            "<a:blip r:embed=\"{10}\"/>"
            "<a:stretch><a:fillRect/></a:stretch></{0}blipFill><{0}spPr><a:prstGeom prst=\"rect\">"
            "<a:avLst/></a:prstGeom></{0}spPr></{0}pic><{0}clientData/></{0}twoCellAnchor>",
            x, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], preview.shape_id, id);
        pugi::xml_document fragment;
        // The prefix is declared on the drawing's root; parse the fragment with it declared too.
        std::string declared = x.empty() ? std::string() : ":" + x.substr(0, x.size() - 1);
        std::string wrapped =
            "<w xmlns" + declared +
            "=\"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing\">" +
            anchor_xml + "</w>";
        if (fragment.load_string(wrapped.c_str()))
          root.append_copy(fragment.document_element().first_child());
      }
    });
    return static_cast<int>(previews.size());
  }

  // A drawing part for a sheet that has none, related to it and named in the sheet (before
  // legacyDrawing and what follows, as the schema orders them). Returns its name.
  std::string add_sheet_drawing(const std::string& source, pugi::xml_document& sheet) {
    std::string name;
    for (int n = 1; name.empty() || part(name) != nullptr; ++n)
      name = "/xl/drawings/drawingKk" + std::to_string(n) + ".xml";
    parts_[lower(name)] = Part{
        name,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<xdr:wsDr "
        "xmlns:xdr=\"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing\" "
        "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"/>"};
    std::string id = "rIdKkDrawing";
    edit(rels_part_of(source), [&](pugi::xml_document& rels) {
      auto node = rels.document_element().append_child("Relationship");
      node.append_attribute("Id") = id.c_str();
      node.append_attribute("Type") =
          "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing";
      node.append_attribute("Target") = name.c_str();
    });
    edit("/[Content_Types].xml", [&](pugi::xml_document& types) {
      auto node = types.document_element().append_child("Override");
      node.append_attribute("PartName") = name.c_str();
      node.append_attribute("ContentType") =
          "application/vnd.openxmlformats-officedocument.drawing+xml";
    });
    auto root = sheet.document_element();
    std::string prefix(root.name());
    prefix = prefix.find(':') == std::string::npos ? "" : prefix.substr(0, prefix.find(':') + 1);
    pugi::xml_node before;
    for (auto child : root.children()) {
      std::string_view local = local_name(child.name());
      bool later = local == "legacyDrawing" || local == "legacyDrawingHF" ||
                   local == "drawingHF" || local == "picture" || local == "oleObjects" ||
                   local == "controls" || local == "webPublishItems" || local == "tableParts" ||
                   local == "extLst" || local == "AlternateContent";
      if (later) {
        before = child;
        break;
      }
    }
    pugi::xml_node element = before ? root.insert_child_before((prefix + "drawing").c_str(), before)
                                    : root.append_child((prefix + "drawing").c_str());
    // r: is declared on every worksheet that has relationships.
    std::string r = "r";
    for (auto attr : root.attributes()) {
      if (std::string_view(attr.value()) ==
              "http://schemas.openxmlformats.org/officeDocument/2006/relationships" &&
          std::string_view(attr.name()).starts_with("xmlns:"))
        r = std::string(attr.name()).substr(6);
    }
    element.append_attribute((r + ":id").c_str()) = id.c_str();
    return name;
  }

  // The preview of a PowerPoint 2007 OLE object: p:oleObj names its VML shape (spid), whose
  // v:imagedata points at the picture through the VML part's relationships. Builds a p:pic for
  // it in `holder` and relates the slide to the picture; an empty node when there is none.
  pugi::xml_node legacy_preview(const std::string& source, const pugi::xml_node& frame,
                                pugi::xml_document& holder) {
    pugi::xml_node ole = frame.find_node(
        [](const pugi::xml_node& n) { return local_name(n.name()) == "oleObj"; });
    std::string spid = ole ? ole.attribute("spid").value() : "";
    if (spid.empty()) return {};
    std::string image;
    for (const auto& rel : package_.relationships(source)) {
      if (rel.kind() != "vmlDrawing" || rel.external) continue;
      Part* vml = part(rel.part);
      if (vml == nullptr) continue;
      // VML is often not well-formed XML: look for the shape by text.
      std::size_t at = vml->data.find("id=\"" + spid + "\"");
      if (at == std::string::npos) continue;
      std::size_t end = vml->data.find("</v:shape>", at);
      std::size_t relid = vml->data.find("o:relid=\"", at);
      if (relid == std::string::npos || (end != std::string::npos && relid > end)) continue;
      relid += 9;
      std::string id = vml->data.substr(relid, vml->data.find('"', relid) - relid);
      for (const auto& image_rel : package_.relationships(rel.part)) {
        if (image_rel.id == id && !image_rel.external && part(image_rel.part) != nullptr)
          image = image_rel.part;
      }
    }
    if (image.empty()) return {};
    std::string id = "rIdKkPreview" + std::to_string(++previews_);
    edit(rels_part_of(source), [&](pugi::xml_document& rels) {
      auto node = rels.document_element().append_child("Relationship");
      node.append_attribute("Id") = id.c_str();
      node.append_attribute("Type") =
          "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image";
      node.append_attribute("Target") = image.c_str();  // an absolute part name
    });
    std::string xml =
        "<p:pic xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\" "
        "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        "<p:nvPicPr><p:cNvPr id=\"0\" name=\"\"/><p:cNvPicPr><a:picLocks noChangeAspect=\"1\"/>"
        "</p:cNvPicPr><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed=\"" + id +
        "\"/><a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr><a:xfrm/>"
        "<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></p:spPr></p:pic>";
    holder.load_string(xml.c_str());
    pugi::xml_node pic = holder.document_element();
    pic.remove_attribute("xmlns:p");  // the slide declares these prefixes
    pic.remove_attribute("xmlns:a");
    pic.remove_attribute("xmlns:r");
    return pic;
  }

  // Removes elements that point at removed relationships, with the wrapper that only exists
  // for them (mc:AlternateContent, p:graphicFrame, w:object).
  static void remove_references(pugi::xml_document& document, const std::set<std::string>& ids) {
    std::vector<pugi::xml_node> doomed;
    std::vector<pugi::xml_attribute> links;
    std::function<void(pugi::xml_node)> visit = [&](pugi::xml_node node) {
      for (auto child : node.children()) {
        if (child.type() != pugi::node_element) continue;
        bool hit = false;
        for (auto attr : child.attributes()) {
          std::string_view name = attr.name();
          if (name.find(':') == std::string_view::npos || !ids.contains(attr.value())) continue;
          if (local_name(attr.name()) == "link") {
            links.push_back(attr);  // a linked picture: keep the picture, drop the link
          } else {
            hit = true;
          }
        }
        if (hit) {
          pugi::xml_node target = child;
          for (auto up = child.parent(); up && up.type() == pugi::node_element; up = up.parent()) {
            std::string_view name = local_name(up.name());
            if (name == "AlternateContent" || name == "graphicFrame" || name == "object") {
              target = up;
              break;
            }
            if (name == "spTree" || name == "body" || name == "sheetData" || name == "worksheet")
              break;
          }
          // An object written in both branches of its mc:AlternateContent names that once.
          if (std::find(doomed.begin(), doomed.end(), target) == doomed.end())
            doomed.push_back(target);
          continue;
        }
        visit(child);
      }
    };
    visit(document);
    for (auto attr : links) {
      for (auto node : document.select_nodes("//*")) {
        if (node.node().remove_attribute(attr)) break;
      }
    }
    for (auto node : doomed) {
      if (node.parent()) node.parent().remove_child(node);
    }
    // Containers left empty.
    std::function<void(pugi::xml_node)> prune = [&](pugi::xml_node node) {
      for (auto child = node.first_child(); child;) {
        auto next = child.next_sibling();
        prune(child);
        std::string_view name = local_name(child.name());
        if ((name == "oleObjects" || name == "controls" || name == "externalReferences") &&
            !child.first_child()) {
          node.remove_child(child);
        }
        child = next;
      }
    };
    prune(document);
  }

  // ---- XLSX
  void clean_workbook() {
    std::map<std::string, std::string> targets;
    for (const auto& rel : package_.relationships(main_part_)) targets[rel.id] = rel.part;
    std::vector<std::string> deleted_sheet_parts;
    bool external = removed_ids_.contains(main_part_);
    edit(main_part_, [&](pugi::xml_document& document) {
      auto root = document.document_element();
      std::vector<long> deleted_indices;
      for (auto child : root.children()) {
        std::string_view name = local_name(child.name());
        if (name == "sheets" && !disarm_) {
          long index = 0;
          for (auto sheet = child.first_child(); sheet;) {
            auto next = sheet.next_sibling();
            std::string_view state = attribute(sheet, "state");
            if (state == "hidden" || state == "veryHidden") {
              if (options_.delete_hidden) {
                std::string rid = relationship_id(sheet);
                deleted_sheet_parts.push_back(targets[rid]);
                removed_ids_[main_part_].insert(rid);
                deleted_indices.push_back(index);
                child.remove_child(sheet);
                note("非表示のシート（削除）");
              } else {
                sheet.remove_attribute("state");
                note("非表示のシート（表示に変更）");
              }
            }
            ++index;
            sheet = next;
          }
        } else if (name == "definedNames") {
          for (auto defined = child.first_child(); defined;) {
            auto next = defined.next_sibling();
            std::string text = defined.text().get();
            bool external_reference = external && text.find('[') != std::string::npos;
            if (external_reference ||
                (options_.delete_hidden && truthy(attribute(defined, "hidden")))) {
              child.remove_child(defined);
            } else if (!disarm_ && truthy(attribute(defined, "hidden"))) {
              defined.remove_attribute("hidden");
              note("非表示の名前定義（表示に変更）");
            }
            defined = next;
          }
        } else if (name == "bookViews" && !disarm_) {
          for (auto view : child.children()) {
            view.remove_attribute("activeTab");
            view.remove_attribute("firstSheet");
          }
        }
      }
      // Sheet-local names follow their sheet's position.
      if (!deleted_indices.empty()) {
        for (auto names : root.children()) {
          if (local_name(names.name()) != "definedNames") continue;
          for (auto defined = names.first_child(); defined;) {
            auto next = defined.next_sibling();
            auto local = defined.attribute("localSheetId");
            if (local) {
              long id = local.as_int();
              if (std::find(deleted_indices.begin(), deleted_indices.end(), id) !=
                  deleted_indices.end()) {
                names.remove_child(defined);
              } else {
                long shift = std::count_if(deleted_indices.begin(), deleted_indices.end(),
                                           [&](long d) { return d < id; });
                local.set_value(id - shift);
              }
            }
            defined = next;
          }
        }
      }
    });
    if (!deleted_sheet_parts.empty()) remove_relationships(main_part_, removed_ids_[main_part_]);
    for (const auto& [id, sheet] : targets) {
      if (std::find(deleted_sheet_parts.begin(), deleted_sheet_parts.end(), sheet) !=
          deleted_sheet_parts.end())
        continue;
      if (package_.content_type(sheet).find("worksheet") == std::string::npos) continue;
      if (disarm_ && !external) continue;  // disarming only cuts formulas into removed links
      edit(sheet, [&](pugi::xml_document& document) { clean_sheet(document, external); });
    }
  }

  void clean_sheet(pugi::xml_document& document, bool external) {
    auto root = document.document_element();
    std::vector<std::pair<long, long>> hidden_columns;
    for (auto child : root.children()) {
      std::string_view name = local_name(child.name());
      if (name == "cols" && !disarm_) {
        for (auto col : child.children()) {
          auto width = col.attribute("width");
          bool hidden = truthy(attribute(col, "hidden")) || (width && width.as_double() == 0.0);
          if (!hidden) continue;
          col.remove_attribute("hidden");
          if (width && width.as_double() == 0.0) width.set_value("9.140625");
          hidden_columns.emplace_back(col.attribute("min").as_int(), col.attribute("max").as_int());
          note(options_.delete_hidden ? "非表示の列（内容を削除し表示に変更）"
                                      : "非表示の列（表示に変更）");
        }
      } else if (name == "sheetData") {
        for (auto row = child.first_child(); row;) {
          auto next = row.next_sibling();
          auto height = row.attribute("ht");
          bool hidden = !disarm_ && (truthy(attribute(row, "hidden")) ||
                                     (height && height.as_double() == 0.0));
          if (hidden) {
            row.remove_attribute("hidden");
            if (height && height.as_double() == 0.0) {
              row.remove_attribute("ht");
              row.remove_attribute("customHeight");
            }
            if (options_.delete_hidden) {
              while (row.first_child()) row.remove_child(row.first_child());
              note("非表示の行（内容を削除し表示に変更）");
            } else {
              note("非表示の行（表示に変更）");
            }
          }
          for (auto cell = row.first_child(); cell;) {
            auto next_cell = cell.next_sibling();
            if (options_.delete_hidden && !hidden_columns.empty()) {
              std::string ref = cell.attribute("r").value();
              long column = 0;
              for (char c : ref) {
                if (c < 'A' || c > 'Z') break;
                column = column * 26 + (c - 'A' + 1);
              }
              for (auto [min, max] : hidden_columns) {
                if (column >= min && column <= max) {
                  row.remove_child(cell);
                  cell = pugi::xml_node();
                  break;
                }
              }
            }
            if (cell && external) {
              // Formulas into removed external workbooks keep their cached value only.
              auto formula = cell.child("f");
              std::string text = formula.text().get();
              size_t bracket = text.find('[');
              if (formula && bracket != std::string::npos && bracket + 1 < text.size() &&
                  std::isdigit(static_cast<unsigned char>(text[bracket + 1]))) {
                cell.remove_child(formula);
              }
            }
            cell = next_cell;
          }
          row = next;
        }
      }
    }
  }

  // ---- DOCX
  void clean_document() {
    std::vector<std::string> stories = {main_part_};
    for (const auto& rel : package_.relationships(main_part_)) {
      std::string_view kind = rel.kind();
      if (kind == "header" || kind == "footer" || kind == "footnotes" || kind == "endnotes")
        stories.push_back(rel.part);
      if (kind == "settings") {
        edit(rel.part, [&](pugi::xml_document& document) {
          auto root = document.document_element();
          for (auto child = root.first_child(); child;) {
            auto next = child.next_sibling();
            std::string_view name = local_name(child.name());
            if (name == "trackRevisions" || name == "docVars" || name == "attachedTemplate" ||
                name == "rsids") {
              if (name == "docVars") note("文書変数");
              root.remove_child(child);
            }
            child = next;
          }
        });
      }
    }
    for (const auto& story : stories) {
      edit(story, [&](pugi::xml_document& document) { clean_story(document); });
    }
  }

  void clean_story(pugi::xml_document& document) {
    std::vector<pugi::xml_node> remove;
    std::vector<pugi::xml_node> unwrap;
    std::function<void(pugi::xml_node)> visit = [&](pugi::xml_node node) {
      for (auto child : node.children()) {
        if (child.type() != pugi::node_element) continue;
        std::string_view name = local_name(child.name());
        if (name == "del" || name == "moveFrom" || name == "cellDel") {
          // A deleted table row goes as a whole; deleted text goes.
          if (local_name(node.name()) == "trPr") {
            remove.push_back(node.parent());
          } else {
            remove.push_back(child);
          }
          note("変更履歴（承諾）");
          continue;
        }
        if (name == "ins" || name == "moveTo") {
          if (local_name(node.name()) == "rPr" || local_name(node.name()) == "trPr") {
            remove.push_back(
                child);  // an inserted paragraph mark or row: keep it, drop the mark-up
          } else {
            unwrap.push_back(child);
          }
          note("変更履歴（承諾）");
        }
        if (name.ends_with("PrChange") || name == "tblGridChange" || name == "numberingChange" ||
            name == "cellIns" || name == "cellMerge" || name == "moveFromRangeStart" ||
            name == "moveFromRangeEnd" || name == "moveToRangeStart" || name == "moveToRangeEnd") {
          remove.push_back(child);
          note("変更履歴（承諾）");
          continue;
        }
        if (name == "commentRangeStart" || name == "commentRangeEnd") {
          remove.push_back(child);
          continue;
        }
        if (name == "r") {
          bool hidden = false;
          bool comment = false;
          for (auto prop : child.children()) {
            if (local_name(prop.name()) == "commentReference") comment = true;
            if (local_name(prop.name()) != "rPr") continue;
            for (auto flag : prop.children()) {
              if (local_name(flag.name()) == "vanish") {
                std::string_view value = attribute(flag, "val");
                hidden = value.empty() || truthy(value);
              }
            }
          }
          if (hidden) note("隠し文字");
          if (hidden || comment) {
            remove.push_back(child);
            continue;
          }
        }
        visit(child);
      }
    };
    visit(document);
    for (auto node : remove) {
      if (node.parent()) node.parent().remove_child(node);
    }
    // Unwrap insertions, innermost last so nested ones move with their parent.
    for (auto node : unwrap) {
      auto parent = node.parent();
      if (!parent) continue;
      for (auto child = node.first_child(); child;) {
        auto next = child.next_sibling();
        parent.insert_move_before(child, node);
        child = next;
      }
      parent.remove_child(node);
    }
  }

  // ---- PPTX
  void clean_presentation() {
    std::map<std::string, std::string> targets;
    for (const auto& rel : package_.relationships(main_part_)) targets[rel.id] = rel.part;
    std::set<std::string> deleted;
    edit(main_part_, [&](pugi::xml_document& document) {
      for (auto list : document.document_element().children()) {
        if (local_name(list.name()) != "sldIdLst") continue;
        for (auto id = list.first_child(); id;) {
          auto next = id.next_sibling();
          std::string rid = relationship_id(id);
          std::string slide = targets[rid];
          Part* p = part(slide);
          if (p != nullptr && scan_show_off(p->data)) {
            if (options_.delete_hidden) {
              deleted.insert(rid);
              list.remove_child(id);
              note("非表示のスライド（削除）");
            } else {
              edit(slide,
                   [](pugi::xml_document& d) { d.document_element().remove_attribute("show"); });
              note("非表示のスライド（表示に変更）");
            }
          }
          id = next;
        }
      }
    });
    if (!deleted.empty()) remove_relationships(main_part_, deleted);
  }

  static bool scan_show_off(const std::string& xml) {
    auto document = parse_xml(xml);
    if (!document) return false;
    std::string_view show = attribute((*document)->document_element(), "show");
    return show == "0" || show == "false";
  }

  // ---- properties
  void clean_properties() {
    for (const auto& rel : package_.relationships("/")) {
      if (rel.kind() == "core-properties") {
        edit(rel.part, [&](pugi::xml_document& document) {
          auto root = document.document_element();
          for (auto child = root.first_child(); child;) {
            auto next = child.next_sibling();
            bool keep = options_.keep_title && local_name(child.name()) == "title";
            if (!keep && child.type() == pugi::node_element) {
              root.remove_child(child);
              note(options_.keep_title ? "文書のプロパティ（タイトル以外）" : "文書のプロパティ");
            }
            child = next;
          }
        });
      } else if (rel.kind() == "extended-properties") {
        edit(rel.part, [&](pugi::xml_document& document) {
          auto root = document.document_element();
          for (auto child = root.first_child(); child;) {
            auto next = child.next_sibling();
            std::string_view name = local_name(child.name());
            if (name == "Company" || name == "Manager" || name == "Template" ||
                name == "HyperlinkBase" || name == "TotalTime" || name == "HeadingPairs" ||
                name == "TitlesOfParts") {
              if (name != "HeadingPairs" && name != "TitlesOfParts" &&
                  !std::string_view(child.text().get()).empty()) {
                note("アプリケーションのプロパティ");
              }
              root.remove_child(child);
            }
            child = next;
          }
        });
      }
    }
  }

  // Writes the parts still reachable through the relationships, and content types for them.
  // The parts (lower-case names) the relationships reach from the package root, as they are now.
  std::set<std::string> reachable_parts() {
    std::set<std::string> keep;
    std::deque<std::string> queue{"/"};
    std::set<std::string> seen{"/"};
    while (!queue.empty()) {
      std::string source = queue.front();
      queue.pop_front();
      std::string rels_name = rels_part_of(source);
      Part* rels = part(rels_name);
      if (rels == nullptr) continue;
      keep.insert(lower(rels_name));
      auto document = parse_xml(rels->data);
      if (!document) continue;
      for (auto node : (*document)->document_element().children()) {
        if (attribute(node, "TargetMode") == "External") continue;
        std::string target = resolve_part(source, attribute(node, "Target"));
        if (part(target) == nullptr || !seen.insert(lower(target)).second) continue;
        keep.insert(lower(target));
        queue.push_back(target);
      }
    }
    return keep;
  }

  Result<CleanReport> write(const std::string& out, const std::string& main_type) {
    std::set<std::string> keep = reachable_parts();
    for (const auto& [key, p] : parts_) {
      if (!keep.contains(key) && key != "/[content_types].xml") {
        note("参照されていない部品");
        // Counted when nothing reached it in the first place: a part cut off with a removed
        // macro or link is counted as that.
        if (!originally_reachable_.contains(key)) ++counts_["unreferenced_part"];
      }
    }
    bool macros_gone = main_type.find("macroEnabled") != std::string::npos;
    main_type_ = macros_gone ? plain_main_type(main_type) : main_type;
    edit("/[Content_Types].xml", [&](pugi::xml_document& document) {
      auto root = document.document_element();
      for (auto node = root.first_child(); node;) {
        auto next = node.next_sibling();
        if (local_name(node.name()) == "Override") {
          std::string name(attribute(node, "PartName"));
          if (!keep.contains(lower(name))) {
            root.remove_child(node);
          } else if (macros_gone && lower(name) == lower(main_part_)) {
            std::string type = plain_main_type(node.attribute("ContentType").value());
            node.attribute("ContentType").set_value(type.c_str());
          }
        }
        node = next;
      }
    });
    std::string temporary = temporary_beside(out);
    std::vector<ZipOutEntry> ordered;
    if (Part* types = part("/[Content_Types].xml")) ordered.push_back({types->name.substr(1), &types->data});
    for (const auto& [key, p] : parts_) {
      if (keep.contains(key)) ordered.push_back({p.name.substr(1), &p.data});
    }
    if (!write_zip_entries(temporary, ordered))
      return fail(Error::unavailable("出力ファイルを書けません: " + out));
    std::error_code ec;
    fs::rename(temporary, out, ec);
    if (ec) {
      fs::remove(temporary, ec);
      return fail(Error::unavailable("出力ファイルを書けません: " + out));
    }
    return report_;
  }

  OpcPackage& package_;
  const CleanOptions& options_;
  bool disarm_ = false;
  std::map<std::string, int> counts_;  // disarming: what went, by DisarmKind
  std::vector<std::pair<std::string, std::string>> disarm_drops_;  // (source part, kind)
  std::set<std::string> originally_reachable_;
  std::string main_type_;              // the main part's content type as written
  CleanReport report_;
  std::map<std::string, Part> parts_;  // lower-case part name -> part
  std::string main_part_;
  std::map<std::string, std::set<std::string>> removed_ids_;  // source part -> relationship ids
  std::set<std::string> sheets_with_comments_;
  int previews_ = 0;  // relationships added for OLE previews
};

Result<CleanReport> clean_ooxml(const std::string& in, const std::string& out,
                                const CleanOptions& options) {
  try {
    auto package = OpcPackage::open(in);
    if (!package)
      return fail(Error::invalid("ファイルを読み取れません: " + package.error().message));
    return OoxmlCleaner(*package, options).run(out);
  } catch (const ZipBomb& bomb) {
    return fail(Error::invalid("圧縮爆弾の疑いがあるためクリーニングできません: " + bomb.reason));
  }
}

// ---------------------------------------------------------------- PDF

// Whether an action is anything but a jump inside the document, its /Next actions included.
bool drops_action(QPDFObjectHandle action, int depth = 0) {
  if (!action.isDictionary()) return false;
  if (depth > 64) return true;
  QPDFObjectHandle type = action.getKey("/S");
  if (!(type.isName() && type.getName() == "/GoTo")) return true;
  QPDFObjectHandle next = action.getKey("/Next");
  if (next.isArray()) {
    for (int i = 0; i < next.getArrayNItems(); ++i) {
      if (drops_action(next.getArrayItem(i), depth + 1)) return true;
    }
    return false;
  }
  return drops_action(next, depth + 1);
}

Result<CleanReport> clean_pdf(const std::string& in, const std::string& out,
                              const CleanOptions& options) {
  CleanReport report;
  auto note = [&](const std::string& what) {
    if (std::find(report.removed.begin(), report.removed.end(), what) == report.removed.end())
      report.removed.push_back(what);
  };
  std::string bytes;
  {
    std::ifstream original(in, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(original), std::istreambuf_iterator<char>());
  }
  // The writer decodes and re-encodes streams: a bomb would be inflated.
  QPDF pdf;
  if (auto opened = open_pdf_to_rewrite(pdf, in, bytes, "クリーニング"); !opened) return fail(opened.error());
  std::string temporary = temporary_beside(out);
  try {
    // Everything the reviewers' copy loses goes first (it also reaches actions and scripts in
    // direct objects, such as an annotation written inside /Annots); the passes below then
    // remove what publication needs gone on top.
    std::map<std::string, int> disarmed = disarm_document(pdf);
    for (const auto& kind : disarm_kinds()) {
      auto it = disarmed.find(std::string(kind.kind));
      if (it != disarmed.end() && it->second > 0) note(std::string(kind.label));
    }
    QPDFObjectHandle trailer = pdf.getTrailer();
    QPDFObjectHandle root = pdf.getRoot();
    QPDFObjectHandle info = trailer.getKey("/Info");
    if (info.isDictionary()) {
      QPDFObjectHandle title = info.getKey("/Title");
      if (options.keep_title && title.isString()) {
        trailer.replaceKey(
            "/Info", pdf.makeIndirectObject(QPDFObjectHandle::newDictionary({{"/Title", title}})));
        note("文書情報（タイトル以外）");
      } else {
        trailer.removeKey("/Info");
        note("文書情報");
      }
    }
    for (const char* key : {"/Metadata", "/PieceInfo", "/OpenAction", "/AA", "/Perms"}) {
      if (root.hasKey(key)) {
        root.removeKey(key);
        note(std::string(key) == "/Metadata"    ? "XMP メタデータ"
             : std::string(key) == "/PieceInfo" ? "アプリケーション固有データ"
                                                : "自動実行の動作");
      }
    }
    QPDFObjectHandle names = root.getKey("/Names");
    if (names.isDictionary()) {
      if (names.hasKey("/EmbeddedFiles")) note("添付ファイル");
      if (names.hasKey("/JavaScript")) note("JavaScript");
      names.removeKey("/EmbeddedFiles");
      names.removeKey("/JavaScript");
    }
    if (root.hasKey("/AF")) root.removeKey("/AF");
    QPDFObjectHandle form = root.getKey("/AcroForm");
    if (form.isDictionary() && form.hasKey("/XFA")) {
      form.removeKey("/XFA");
      note("XFA フォーム");
    }
    QPDFObjectHandle layers = root.getKey("/OCProperties");
    if (layers.isDictionary() && layers.getKey("/D").isDictionary()) {
      QPDFObjectHandle defaults = layers.getKey("/D");
      if (defaults.hasKey("/OFF") || defaults.hasKey("/BaseState"))
        note("非表示のレイヤー（表示に変更）");
      defaults.removeKey("/OFF");
      defaults.replaceKey("/BaseState", QPDFObjectHandle::newName("/ON"));
    }
    // Visibility expressions and policies: an OCMD without them shows its content.
    for (auto& object : pdf.getAllObjects()) {
      if (object.isDictionary() && object.getKey("/Type").isName() &&
          object.getKey("/Type").getName() == "/OCMD" &&
          (object.hasKey("/VE") || object.hasKey("/P"))) {
        object.removeKey("/VE");
        object.removeKey("/P");
        object.removeKey("/OCGs");
        note("表示条件付きの内容（表示に変更）");
      }
    }
    // Annotations: links and form fields stay; markup the reader sees on the page (highlights,
    // ink, stamps, shapes, text boxes) is drawn into the page from its appearance stream
    // (issue 23 item 7); comments, pop-ups, attachments and hidden ones go.
    static const std::set<std::string> kVisibleMarkup = {
        "/Highlight", "/Underline", "/Squiggly", "/StrikeOut", "/Ink",     "/Stamp",
        "/Square",    "/Circle",    "/Line",     "/Polygon",  "/PolyLine", "/FreeText",
        "/Caret"};
    std::vector<QPDFPageObjectHelper> pages = QPDFPageDocumentHelper(pdf).getAllPages();
    std::vector<std::vector<QPDFObjectHandle>> kept_by_page;
    bool flatten = false;
    for (auto& page : pages) {
      QPDFObjectHandle object = page.getObjectHandle();
      for (const char* key : {"/AA", "/PieceInfo", "/Metadata"}) {
        if (object.hasKey(key)) object.removeKey(key);
      }
      kept_by_page.emplace_back();
      QPDFObjectHandle annots = object.getKey("/Annots");
      if (!annots.isArray()) continue;
      std::vector<QPDFObjectHandle> to_flatten;
      for (int i = 0; i < annots.getArrayNItems(); ++i) {
        QPDFObjectHandle annot = annots.getArrayItem(i);
        std::string subtype = annot.isDictionary() && annot.getKey("/Subtype").isName()
                                  ? annot.getKey("/Subtype").getName()
                                  : "";
        int flags = annot.isDictionary() && annot.getKey("/F").isInteger()
                        ? annot.getKey("/F").getIntValueAsInt()
                        : 0;
        bool hidden = (flags & 2) != 0 || (flags & 32) != 0 || (flags & 1) != 0;
        if ((subtype == "/Link" || subtype == "/Widget") && !hidden) {
          kept_by_page.back().push_back(annot);
        } else if (!hidden && kVisibleMarkup.contains(subtype) &&
                   annot.getKey("/AP").isDictionary() &&
                   annot.getKey("/AP").getKey("/N").isStream()) {
          // Drawn as it shows; its comment text and pop-up go with the annotation.
          annot.removeKey("/Popup");
          annot.removeKey("/Contents");
          annot.removeKey("/T");
          annot.removeKey("/RC");
          to_flatten.push_back(annot);
          note("注釈（ハイライト・手書き・スタンプなどはページに描き込み）");
        } else {
          note("注釈");
        }
      }
      object.replaceKey("/Annots", QPDFObjectHandle::newArray(to_flatten));
      flatten = flatten || !to_flatten.empty();
    }
    if (flatten) {
      QPDFPageDocumentHelper(pdf).flattenAnnotations(0, an_invisible | an_hidden | an_no_view);
    }
    for (std::size_t i = 0; i < pages.size(); ++i) {
      QPDFObjectHandle object = pages[i].getObjectHandle();
      if (kept_by_page[i].empty() && !object.hasKey("/Annots")) continue;
      object.replaceKey("/Annots", QPDFObjectHandle::newArray(kept_by_page[i]));
    }
    // Actions anywhere: only jumps inside the document stay.
    for (auto& object : pdf.getAllObjects()) {
      QPDFObjectHandle dict = object.isStream() ? object.getDict() : object;
      if (!dict.isDictionary()) continue;
      if (dict.hasKey("/AA")) {
        dict.removeKey("/AA");
        note("自動実行の動作");
      }
      // XMP attached to an image, a font or a form XObject (issue 23 item 2).
      if (dict.getKey("/Metadata").isStream()) {
        dict.removeKey("/Metadata");
        note("XMP メタデータ");
      }
      if (drops_action(dict.getKey("/A"))) {
        dict.removeKey("/A");
        note("リンク先の外部動作・JavaScript");
      }
      if (dict.hasKey("/JS")) {
        dict.removeKey("/JS");
        note("JavaScript");
      }
      // A JPEG image keeps its compressed data, without EXIF, XMP and IPTC (issue 23 item 1).
      if (object.isStream() && dict.getKey("/Subtype").isName() &&
          dict.getKey("/Subtype").getName() == "/Image" && dict.getKey("/Filter").isName() &&
          dict.getKey("/Filter").getName() == "/DCTDecode") {
        auto raw = object.getRawStreamData();
        std::string_view jpeg(reinterpret_cast<const char*>(raw->getBuffer()), raw->getSize());
        if (auto stripped = strip_photo_metadata(jpeg)) {
          object.replaceStreamData(*stripped, dict.getKey("/Filter"), dict.getKey("/DecodeParms"));
          note("写真のメタデータ（撮影場所・撮影者・カメラ）");
        }
      }
      if (dict.getKey("/Type").isName() && dict.getKey("/Type").getName() == "/Filespec" &&
          dict.hasKey("/EF")) {
        dict.removeKey("/EF");
        note("添付ファイル");
      }
    }
    QPDFWriter writer(pdf, temporary.c_str());
    writer.setPreserveEncryption(false);
    writer.setDeterministicID(true);
    writer.write();
    if (pdf.isEncrypted()) note("暗号化");
    if (auto revisions = count_pdf_revisions(bytes); revisions && revisions->updates > 0)
      note("以前の版（追記保存）");
    std::error_code ec;
    fs::rename(temporary, out, ec);
    if (ec) {
      fs::remove(temporary, ec);
      return fail(Error::unavailable("出力ファイルを書けません: " + out));
    }
  } catch (const std::bad_alloc&) {
    std::error_code ec;
    fs::remove(temporary, ec);
    throw;
  } catch (const std::exception&) {
    std::error_code ec;
    fs::remove(temporary, ec);
    return fail(Error::invalid("PDF の構造が壊れているためクリーニングできません"));
  }
  return report;
}

}  // namespace

Result<DisarmReport> disarm_office(const std::filesystem::path& in,
                                   const std::filesystem::path& out) {
  std::error_code ec;
  if (!fs::is_regular_file(in, ec)) return fail(Error::invalid("ファイルがありません: " + in.string()));
  if (fs::exists(out, ec) && fs::equivalent(in, out, ec))
    return fail(Error::invalid("出力先が入力と同じファイルです"));
  try {
    auto package = OpcPackage::open(in.string());
    if (!package)
      return fail(Error::invalid("Office 文書として読み取れません: " + package.error().message));
    CleanOptions options;
    OoxmlCleaner cleaner(*package, options, true);
    auto written = cleaner.run(out.string());
    if (!written) return fail(written.error());
    return make_disarm_report(cleaner.counts(), extension_for(cleaner.main_type()));
  } catch (const ZipBomb& bomb) {
    return fail(Error::invalid("圧縮爆弾の疑いがあるため無害化できません: " + bomb.reason));
  }
}

Result<CleanReport> clean_file(const std::string& in, const std::string& out,
                               const CleanOptions& options) {
  std::error_code ec;
  if (!fs::is_regular_file(in, ec)) return fail(Error::invalid("ファイルがありません: " + in));
  if (fs::exists(out, ec) && fs::equivalent(in, out, ec)) {
    return fail(Error::invalid("出力先が入力と同じファイルです。別のファイル名を指定してください"));
  }
  switch (sniff_type(in)) {
    case FileType::kPdf:
      return clean_pdf(in, out, options);
    case FileType::kXlsx:
      if (is_odf_package(in)) return clean_odf(in, out, options);
      return clean_ooxml(in, out, options);
    case FileType::kCsv: {
      // CSV has no hidden parts: the copy is the content. Personal data is for a person to decide.
      fs::copy_file(in, out, fs::copy_options::overwrite_existing, ec);
      if (ec) return fail(Error::unavailable("出力ファイルを書けません: " + out));
      return CleanReport{};
    }
    default:
      return fail(Error::invalid("対応していない形式のためクリーニングできません: " + in));
  }
}

}  // namespace kakehashi::inspect
