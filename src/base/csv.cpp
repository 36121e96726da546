#include "base/csv.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "base/text.h"

namespace kakehashi::csv {

Result<std::vector<Row>> parse(std::string_view text) {
  std::vector<Row> rows;
  Row row;
  std::string field;
  size_t line = 1;
  size_t i = 0;
  bool in_quotes = false;
  bool field_started = false;  // whether the current record has any content yet
  size_t quote_line = 0;

  auto end_field = [&] {
    row.fields.push_back(std::move(field));
    field.clear();
  };
  auto end_record = [&] {
    end_field();
    bool blank = row.fields.size() == 1 && row.fields[0].empty() && !field_started;
    if (!blank) rows.push_back(std::move(row));
    row = Row{};
    field_started = false;
  };

  row.line = line;
  while (i < text.size()) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') { field.push_back('"'); i += 2; continue; }
        in_quotes = false;
        ++i;
        continue;
      }
      if (c == '\n') ++line;
      field.push_back(c);
      ++i;
      continue;
    }
    switch (c) {
      case '"':
        in_quotes = true;
        quote_line = line;
        field_started = true;
        ++i;
        break;
      case ',':
        field_started = true;
        end_field();
        ++i;
        break;
      case '\r':
      case '\n':
        end_record();
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        ++i;
        ++line;
        row.line = line;
        break;
      default:
        field_started = true;
        field.push_back(c);
        ++i;
    }
  }
  if (in_quotes) {
    return fail(Error::invalid(fmt::format("{} 行目: 引用符 \" が閉じられていません", quote_line)));
  }
  if (field_started || !row.fields.empty()) end_record();
  return rows;
}

Result<std::vector<Row>> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error::unavailable(fmt::format("ファイルを開けません: {}", path)));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  auto utf8 = text::to_utf8(buffer.str());
  if (!utf8) return fail(utf8.error());
  return parse(*utf8);
}

std::string escape(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string format_row(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out.push_back(',');
    out += escape(fields[i]);
  }
  out += "\r\n";
  return out;
}

}  // namespace kakehashi::csv
