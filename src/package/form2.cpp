// 様式2 (委託調査報告書公表用書誌情報): its columns come from configuration, because the ministry's
// form is known only in part (DOMAIN-NOTES §1.2): each column is either a value the build knows
// about a public PDF or a fixed text the secretariat enters (担当課室名 …).
#include <fmt/format.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "base/date.h"
#include "package/build.h"

namespace kakehashi::package {
namespace {

struct FieldInfo {
  std::string_view id;
  std::string_view label;
};
// The values the build knows about each public PDF.
constexpr FieldInfo kForm2Fields[] = {
    {"title", "報告書名（分割したときは「（その1）」付き）"},
    {"file", "公開用 PDF のファイル名"},
    {"pages", "ページ数"},
    {"chars", "文字数"},
    {"bytes", "ファイルサイズ（バイト）"},
    {"issuer", "委託事業者名（作成者）"},
    {"published", "発行年月（YYYY-MM、作成日の日本時間）"},
    {"fiscal_year", "年度（4月始まり、西暦）"},
};

}  // namespace

std::string form2_default_config() {
  // 担当課室名 is the ministry's office for 「未来の教室」 as far as we know (unverified): change it
  // in a copy of this file when the ministry says otherwise.
  return R"({
  "columns": [
    {"header": "報告書名", "field": "title"},
    {"header": "ファイル名", "field": "file"},
    {"header": "年度", "field": "fiscal_year"},
    {"header": "委託事業者名", "field": "issuer"},
    {"header": "担当課室名", "text": "商務・サービスグループ 教育産業室"},
    {"header": "発行年月", "field": "published"},
    {"header": "ページ数", "field": "pages"},
    {"header": "文字数", "field": "chars"},
    {"header": "ファイルサイズ（バイト）", "field": "bytes"}
  ]
}
)";
}

Result<Form2Config> parse_form2_config(std::string_view json) {
  boost::system::error_code ec;
  auto value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) return fail(Error::invalid("様式2の設定ファイルが JSON のオブジェクトではありません。"));
  const auto* columns = value.as_object().if_contains("columns");
  if (!columns || !columns->is_array() || columns->as_array().empty())
    return fail(Error::invalid("様式2の設定に列（columns）がありません。"));
  Form2Config config;
  int n = 0;
  for (const auto& item : columns->as_array()) {
    ++n;
    const auto* o = item.if_object();
    const auto* header = o ? o->if_contains("header") : nullptr;
    if (!header || !header->is_string() || header->as_string().empty())
      return fail(Error::invalid(fmt::format("様式2の設定の {} 列目に見出し（header）がありません。", n)));
    Form2Column column{std::string(header->as_string()), "", ""};
    const auto* field = o->if_contains("field");
    const auto* text = o->if_contains("text");
    if ((field != nullptr) == (text != nullptr))
      return fail(Error::invalid(fmt::format("様式2の設定の「{}」列には field（作成時の値）か text（固定の文字）のどちらか一方を書いてください。",
                                             column.header)));
    if (field) {
      std::string id = field->is_string() ? std::string(field->as_string()) : "";
      bool known = false;
      std::string names;
      for (const auto& f : kForm2Fields) {
        known = known || f.id == id;
        names += fmt::format("{}{}", names.empty() ? "" : ", ", f.id);
      }
      if (!known)
        return fail(Error::invalid(fmt::format("様式2の設定の「{}」列の field「{}」は使えません（使える値: {}）。", column.header, id, names)));
      column.field = id;
    } else {
      if (!text->is_string())
        return fail(Error::invalid(fmt::format("様式2の設定の「{}」列の text は文字列で書いてください。", column.header)));
      column.text = std::string(text->as_string());
    }
    config.columns.push_back(std::move(column));
  }
  return config;
}

docs::DataTable form2_table(const Form2Config& config, const std::vector<Form2Row>& pdfs) {
  docs::DataTable table;
  for (const auto& c : config.columns) table.header.push_back(c.header);
  for (const auto& pdf : pdfs) {
    std::vector<docs::DataCell> row;
    auto number = [](std::int64_t v) { return docs::DataCell{std::to_string(v), double(v), true}; };
    auto text = [](std::string v) { return docs::DataCell{std::move(v), 0, false}; };
    for (const auto& c : config.columns) {
      if (c.field.empty()) row.push_back(text(c.text));
      else if (c.field == "title") row.push_back(text(pdf.title));
      else if (c.field == "file") row.push_back(text(pdf.file));
      else if (c.field == "pages") row.push_back(number(pdf.pages));
      else if (c.field == "chars") row.push_back(number(pdf.chars));
      else if (c.field == "bytes") row.push_back(number(pdf.bytes));
      else if (c.field == "issuer") row.push_back(text(pdf.issuer));
      else if (c.field == "published") row.push_back(text(fmt::format("{}-{:02}", pdf.made_on.year(), pdf.made_on.month())));
      else if (c.field == "fiscal_year") {
        int year = pdf.made_on.year() - (pdf.made_on.month() < 4 ? 1 : 0);
        row.push_back(number(year));
      }
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

namespace {

Result<std::string> config_text(const std::filesystem::path& file, std::string fallback) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return fallback;
  std::ifstream in(file, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return fail(Error::unavailable(fmt::format("設定ファイル {} を読めません。", file.string())));
  return text;
}

}  // namespace

Result<Form1Config> form1_config_in(const std::filesystem::path& root) {
  auto text = config_text(root / "form1.json", form1_default_config());
  if (!text) return fail(text.error());
  return parse_form1_config(*text);
}

Result<Form2Config> form2_config_in(const std::filesystem::path& root) {
  auto text = config_text(root / "form2.json", form2_default_config());
  if (!text) return fail(text.error());
  return parse_form2_config(*text);
}

}  // namespace kakehashi::package
