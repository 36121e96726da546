#include "docs/figures.h"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <cmath>
#include <regex>

#include "base/csv.h"
#include "base/text.h"
#include "docs/render.h"
#include "docs/xml_text.h"
#include "geo/geo.h"

namespace kakehashi::docs {
namespace {

// "1,038" / "-12.5" / "１２３" (full-width, normalised first) -> number.
std::optional<std::pair<double, int>> parse_number(const std::string& raw) {
  std::string s = std::string(text::trim(text::nfkc(raw)));
  static const std::regex kNumber(R"(^-?(\d{1,3}(,\d{3})+|\d+)(\.(\d+))?$)");
  std::smatch m;
  if (!std::regex_match(s, m, kNumber)) return std::nullopt;
  std::string digits;
  for (char c : s)
    if (c != ',') digits += c;
  return std::pair{std::strtod(digits.c_str(), nullptr), static_cast<int>(m[4].length())};
}

// 令和8年4月1日 / 平成31年4月30日 / 令和元年5月1日 -> 2026-04-01.
std::optional<std::string> western_date(const std::string& raw) {
  std::string s = std::string(text::trim(text::nfkc(raw)));
  static const std::regex kWareki(R"(^(令和|平成|昭和)(元|\d{1,2})年(\d{1,2})月(\d{1,2})日$)");
  std::smatch m;
  if (!std::regex_match(s, m, kWareki)) return std::nullopt;
  int base = m[1] == "令和" ? 2018 : m[1] == "平成" ? 1988 : 1925;
  int year = base + (m[2] == "元" ? 1 : std::stoi(m[2]));
  return fmt::format("{:04}-{:02}-{:02}", year, std::stoi(m[3]), std::stoi(m[4]));
}

// "2026年" -> (2026, 年); "令和8年度" -> (2026, 年度); "1,038校" -> (1038, 校); "12.5％" -> (12.5, %).
// Units are a closed list: "7月上旬" is a time of year, not 7 of anything.
struct WithUnit {
  double value;
  int decimals;
  std::string unit;
};
std::optional<WithUnit> number_with_unit(const std::string& raw) {
  std::string s = std::string(text::trim(text::nfkc(raw)));
  static const std::regex kWarekiYear(R"(^(令和|平成|昭和)(元|\d{1,2})(年度|年)$)");
  std::smatch m;
  if (std::regex_match(s, m, kWarekiYear)) {
    int base = m[1] == "令和" ? 2018 : m[1] == "平成" ? 1988 : 1925;
    return WithUnit{double(base + (m[2] == "元" ? 1 : std::stoi(m[2]))), 0, m[3]};
  }
  static const std::vector<std::string> kUnits = {
      "百万円", "自治体", "千円", "万円", "億円", "年度", "時間", "か月", "ヶ月", "箇所", "団体",
      "機関", "年", "校", "件", "回", "名", "人", "社", "者", "円", "%", "倍", "点", "日", "台",
      "部", "冊", "歳", "園", "館"};
  for (auto& unit : kUnits) {
    if (s.size() <= unit.size() || !s.ends_with(unit)) continue;
    auto n = parse_number(std::string(text::trim(std::string_view(s).substr(0, s.size() - unit.size()))));
    if (!n) return std::nullopt;
    return WithUnit{n->first, n->second, unit};
  }
  return std::nullopt;
}

// A column whose every non-empty cell is a number with the same unit ("2026年", "78校") holds
// numbers: the unit moves into the header ("参加校" -> "参加校（校）"), unless the header is the
// unit, already holds it in brackets, or is a year column ("年", "開催年度"). Years are written
// without grouping (2026).
void move_units_to_headers(DataTable& t) {
  for (size_t c = 0; c < t.header.size(); ++c) {
    std::optional<std::string> unit;
    bool any = false, ok = true;
    std::vector<std::optional<WithUnit>> parsed;
    for (auto& row : t.rows) {
      if (c >= row.size() || row[c].is_number || row[c].text.empty()) {
        ok = ok && (c >= row.size() || !row[c].is_number);
        parsed.emplace_back();
        continue;
      }
      auto n = number_with_unit(row[c].text);
      if (!n || (unit && *unit != n->unit)) {
        ok = false;
        break;
      }
      unit = n->unit;
      any = true;
      parsed.push_back(n);
    }
    if (!ok || !any) continue;
    bool year = *unit == "年" || *unit == "年度";
    for (size_t r = 0; r < t.rows.size(); ++r) {
      if (!parsed[r]) continue;
      auto& n = *parsed[r];
      std::string text = year ? fmt::format("{:.0f}", n.value) : format_number(n.value, n.decimals);
      t.rows[r][c] = DataCell{text, n.value, true};
    }
    const std::string& h = t.header[c];
    bool named = h == *unit || h.find("（" + *unit + "）") != std::string::npos ||
                 h.find("(" + *unit + ")") != std::string::npos || (year && (h.ends_with("年") || h.ends_with("年度")));
    if (!named) t.header[c] += "（" + *unit + "）";
  }
}

std::string sheet_name(const std::string& number) {
  std::string out;
  for (char c : number)
    if (std::string_view("[]:*?/\\").find(c) == std::string_view::npos) out += c;
  return out.empty() ? "data" : out;  // 図2-1 is far below Excel's 31-character limit
}

// Column width in Excel character units: full-width characters count two.
double display_width(std::string_view s) { return estimated_width(s, 2, 1); }

}  // namespace

int prefecture_code(std::string_view name) {
  for (const geo::Prefecture& prefecture : geo::prefectures()) {
    std::string_view p = prefecture.name;
    // Also without the suffix (東京, 大阪, 神奈川); 北海道 has none.
    if (name == p || (p != "北海道" && p.size() > 3 && name == p.substr(0, p.size() - 3))) {
      return std::stoi(std::string(prefecture.code));
    }
  }
  return 0;
}

DataTable table_data(const Table& table) {
  DataTable out;
  size_t columns = table.align.size();
  std::vector<std::string> header(columns);
  for (auto& row : table.header)  // several header rows are joined into one per column
    for (size_t c = 0; c < columns && c < row.size(); ++c) {
      std::string cell = plain_text(row[c]);
      if (!cell.empty()) header[c] += header[c].empty() ? cell : "_" + cell;
    }
  for (size_t c = 0; c < columns; ++c)
    if (header[c].empty()) header[c] = fmt::format("列{}", c + 1);
  // Columns whose every non-empty cell is a prefecture name get a code column beside them.
  std::vector<bool> prefecture(columns, !table.rows.empty());
  for (auto& row : table.rows)
    for (size_t c = 0; c < columns; ++c) {
      std::string cell = c < row.size() ? plain_text(row[c]) : "";
      if (!cell.empty() && prefecture_code(cell) == 0) prefecture[c] = false;
    }
  for (size_t c = 0; c < columns; ++c) {
    out.header.push_back(header[c]);
    if (prefecture[c]) out.header.push_back("都道府県コード");
  }
  for (auto& row : table.rows) {
    std::vector<DataCell> cells;
    for (size_t c = 0; c < columns; ++c) {
      std::string cell = c < row.size() ? plain_text(row[c]) : "";
      if (auto n = parse_number(cell)) {
        cells.push_back(DataCell{format_number(n->first, n->second), n->first, true});
      } else if (auto d = western_date(cell)) {
        cells.push_back(DataCell{*d});
      } else {
        cells.push_back(DataCell{cell});
      }
      if (prefecture[c]) {
        int code = prefecture_code(cell);
        cells.push_back(code ? DataCell{fmt::format("{:02}", code)} : DataCell{});
      }
    }
    out.rows.push_back(std::move(cells));
  }
  move_units_to_headers(out);
  return out;
}

std::vector<FigureData> figure_data(const Document& doc) {
  std::vector<FigureData> out;
  for (auto& b : doc.blocks) {
    if (auto* f = std::get_if<Figure>(&b); f && f->chart) {
      DataTable data = chart_data(*f->chart);
      move_units_to_headers(data);  // categories such as "2026年"
      out.push_back({f->number, f->caption, std::move(data)});
    }
    if (auto* t = std::get_if<Table>(&b)) out.push_back({t->number, t->caption, table_data(*t)});
  }
  return out;
}

std::string figure_file_stem(const FigureData& figure) {
  return safe_file_stem(figure.caption.empty() ? figure.number
                                               : figure.number + "_" + figure.caption);
}

std::string figure_csv(const DataTable& table) {
  std::string out = "\xEF\xBB\xBF";
  out += csv::format_row(table.header);
  for (auto& row : table.rows) {
    std::vector<std::string> fields;
    for (auto& cell : row) {
      if (cell.is_number) {
        std::string s = fmt::format("{}", cell.number);  // shortest round-trip form, no grouping
        fields.push_back(s);
      } else {
        fields.push_back(cell.text);
      }
    }
    out += csv::format_row(fields);
  }
  return out;
}

Result<void> write_figure_xlsx(const FigureData& figure, const std::filesystem::path& path) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb)
    return fail(Error::unavailable(fmt::format("ファイルを書き込めません: {}", path.string())));
  std::string title = figure.caption.empty() ? figure.number : figure.number + " " + figure.caption;
  lxw_doc_properties props{};
  props.title = title.data();
  props.created = static_cast<time_t>(kFixedCreationTime);
  workbook_set_properties(wb, &props);
  std::string name = sheet_name(figure.number);
  lxw_worksheet* ws = workbook_add_worksheet(wb, name.c_str());

  lxw_format* head = workbook_add_format(wb);
  format_set_font_name(head, "游ゴシック");
  format_set_bg_color(head, 0xDDEBF7);
  format_set_border(head, LXW_BORDER_THIN);
  format_set_text_wrap(head);
  format_set_align(head, LXW_ALIGN_CENTER);
  format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
  lxw_format* text_cell = workbook_add_format(wb);
  format_set_font_name(text_cell, "游ゴシック");
  format_set_border(text_cell, LXW_BORDER_THIN);
  lxw_format* number_formats[4];
  static constexpr const char* kNumberFormats[] = {"#,##0", "#,##0.0", "#,##0.00", "#,##0.000"};
  for (int i = 0; i < 4; ++i) {
    number_formats[i] = workbook_add_format(wb);
    format_set_font_name(number_formats[i], "游ゴシック");
    format_set_border(number_formats[i], LXW_BORDER_THIN);
    format_set_num_format(number_formats[i], kNumberFormats[i]);
  }

  lxw_format* plain_number = workbook_add_format(wb);
  format_set_font_name(plain_number, "游ゴシック");
  format_set_border(plain_number, LXW_BORDER_THIN);
  format_set_num_format(plain_number, "0");

  auto& t = figure.table;
  std::vector<double> widths(t.header.size(), 8);
  for (size_t c = 0; c < t.header.size(); ++c) {
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), t.header[c].c_str(), head);
    widths[c] = std::max(widths[c], display_width(t.header[c]) + 2);
  }
  for (size_t r = 0; r < t.rows.size(); ++r) {
    auto row = static_cast<lxw_row_t>(r + 1);
    for (size_t c = 0; c < t.rows[r].size() && c < t.header.size(); ++c) {
      auto col = static_cast<lxw_col_t>(c);
      const DataCell& cell = t.rows[r][c];
      if (cell.is_number) {
        size_t point = cell.text.find('.');
        int decimals =
            point == std::string::npos ? 0 : static_cast<int>(cell.text.size() - point - 1);
        // A whole number of four digits or more written without grouping is a year (2026).
        bool plain = decimals == 0 && std::abs(cell.number) >= 1000 &&
                     cell.text.find(',') == std::string::npos;
        worksheet_write_number(ws, row, col, cell.number,
                               plain ? plain_number : number_formats[std::min(decimals, 3)]);
      } else if (!cell.text.empty()) {
        worksheet_write_string(ws, row, col, cell.text.c_str(), text_cell);
      } else {
        worksheet_write_blank(ws, row, col, text_cell);
      }
      widths[c] = std::max(widths[c], display_width(cell.text) + 2);
    }
  }
  for (size_t c = 0; c < widths.size(); ++c)  // widths capped at 60 characters
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                         std::min(widths[c], 60.0), nullptr);
  worksheet_freeze_panes(ws, 1, 0);
  lxw_error error = workbook_close(wb);
  if (error != LXW_NO_ERROR)
    return fail(Error::unavailable(
        fmt::format("XLSX を書き込めません: {}（{}）", path.string(), lxw_strerror(error))));
  return {};
}

Result<std::vector<std::filesystem::path>> write_figure_files(const Document& doc,
                                                              const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return fail(Error::unavailable(fmt::format("出力フォルダを作れません: {}", dir.string())));
  std::vector<std::filesystem::path> written;
  for (auto& f : figure_data(doc)) {
    std::string stem = figure_file_stem(f);
    auto csv_path = dir / (stem + ".csv");
    if (auto w = write_file(csv_path, figure_csv(f.table)); !w) return fail(w.error());
    written.push_back(csv_path);
    auto xlsx_path = dir / (stem + ".xlsx");
    if (auto w = write_figure_xlsx(f, xlsx_path); !w) return fail(w.error());
    written.push_back(xlsx_path);
  }
  return written;
}

}  // namespace kakehashi::docs
