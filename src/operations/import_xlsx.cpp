// A small reader of the first worksheet of an XLSX workbook for activity-list imports: shared
// strings, inline strings and numbers, through the inspector's bounded ZIP and XML readers.
#include <fmt/format.h>

#include <algorithm>

#include "inspect/package.h"
#include "operations/imports.h"

namespace kakehashi::operations {
namespace {

// The text of a shared string or inline string item: its <t> runs, phonetic readings (<rPh>) left out.
void collect_text(const pugi::xml_node& node, std::string& out) {
  for (pugi::xml_node child : node.children()) {
    std::string_view name = inspect::local_name(child.name());
    if (name == "rPh" || name == "phoneticPr") continue;
    if (name == "t") {
      out += child.text().get();
    } else {
      collect_text(child, out);
    }
  }
}

// "BC12" -> 54 (0-based column); nullopt when the reference has no letters.
std::optional<std::size_t> column_of(std::string_view ref) {
  std::size_t column = 0, letters = 0;
  for (char c : ref) {
    if (c >= 'A' && c <= 'Z') {
      column = column * 26 + std::size_t(c - 'A' + 1);
      ++letters;
    } else {
      break;
    }
  }
  if (letters == 0 || letters > 3) return std::nullopt;
  return column - 1;
}

Result<std::string> read_entry(inspect::ZipArchive& zip, std::string_view name) {
  long index = zip.find(name);
  if (index < 0) return fail(Error::invalid(fmt::format("XLSX ファイルに {} がありません", name)));
  return zip.read(std::size_t(index));
}

Result<std::vector<csv::Row>> read_rows(std::string_view bytes) {
  auto zip = inspect::ZipArchive::open_memory(std::string(bytes), 0);
  if (!zip) return fail(Error::invalid("XLSX ファイルとして読み取れません"));
  // The first sheet of the workbook through its relationship; sheet1.xml when that fails.
  std::string sheet_part = "xl/worksheets/sheet1.xml";
  if (auto workbook = read_entry(*zip, "xl/workbook.xml")) {
    auto doc = inspect::parse_xml(*workbook);
    auto rels = read_entry(*zip, "xl/_rels/workbook.xml.rels");
    if (doc && rels) {
      std::string rid;
      for (pugi::xpath_node sheet : (*doc)->select_nodes("//*[local-name()='sheet']")) {
        rid = inspect::relationship_id(sheet.node());
        break;
      }
      if (auto rels_doc = inspect::parse_xml(*rels); rels_doc && !rid.empty()) {
        for (pugi::xpath_node rel : (*rels_doc)->select_nodes("//*[local-name()='Relationship']")) {
          if (std::string_view(rel.node().attribute("Id").value()) != rid) continue;
          std::string part = inspect::resolve_part("/xl/workbook.xml", rel.node().attribute("Target").value());
          if (!part.empty()) sheet_part = part.starts_with('/') ? part.substr(1) : part;
        }
      }
    }
  }
  std::vector<std::string> shared;
  if (zip->find("xl/sharedStrings.xml") >= 0) {
    auto xml = read_entry(*zip, "xl/sharedStrings.xml");
    if (!xml) return fail(xml.error());
    auto doc = inspect::parse_xml(*xml);
    if (!doc) return fail(Error::invalid("XLSX ファイルの共有文字列を読み取れません"));
    for (pugi::xml_node si : (*doc)->document_element().children()) {
      if (inspect::local_name(si.name()) != "si") continue;
      std::string text;
      collect_text(si, text);
      shared.push_back(std::move(text));
    }
  }
  auto xml = read_entry(*zip, sheet_part);
  if (!xml) return fail(xml.error());
  auto doc = inspect::parse_xml(*xml);
  if (!doc) return fail(Error::invalid("XLSX ファイルのシートを読み取れません"));
  std::vector<csv::Row> rows;
  for (pugi::xpath_node row_node : (*doc)->select_nodes("//*[local-name()='sheetData']/*[local-name()='row']")) {
    csv::Row row;
    row.line = std::size_t(row_node.node().attribute("r").as_ullong(rows.empty() ? 1 : rows.back().line + 1));
    std::size_t next = 0;
    for (pugi::xml_node c : row_node.node().children()) {
      if (inspect::local_name(c.name()) != "c") continue;
      std::size_t column = column_of(c.attribute("r").value()).value_or(next);
      if (column > 16383) continue;
      next = column + 1;
      std::string_view type = c.attribute("t").value();
      std::string value;
      if (type == "inlineStr") {
        for (pugi::xml_node is : c.children())
          if (inspect::local_name(is.name()) == "is") collect_text(is, value);
      } else {
        std::string v;
        for (pugi::xml_node child : c.children())
          if (inspect::local_name(child.name()) == "v") v = child.text().get();
        if (type == "s") {
          std::size_t index = std::strtoull(v.c_str(), nullptr, 10);
          if (index < shared.size()) value = shared[index];
        } else if (type == "b") {
          value = v == "1" ? "TRUE" : "FALSE";
        } else {
          value = v;
        }
      }
      if (row.fields.size() <= column) row.fields.resize(column + 1);
      row.fields[column] = std::move(value);
    }
    bool empty = std::ranges::all_of(row.fields, [](const std::string& f) { return f.empty(); });
    if (!empty) rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

Result<std::vector<csv::Row>> read_xlsx_rows(std::string_view bytes) {
  try {
    return read_rows(bytes);
  } catch (const inspect::ZipBomb& bomb) {
    return fail(Error::invalid(fmt::format("XLSX ファイルを展開できません: {}", bomb.reason)));
  }
}

}  // namespace kakehashi::operations
