#include "survey/config.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "base/text.h"

namespace kakehashi::survey {
namespace json = boost::json;

std::string normalize_answer(std::string_view text) {
  const bool ascii = std::all_of(text.begin(), text.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) return std::string(text::trim(text));  // NFKC leaves ASCII unchanged
  return std::string(text::trim(text::nfkc(text)));
}

namespace {

constexpr std::string_view kPrefix = "設定ファイル: ";

Error config_error(std::string message) { return Error::invalid(std::string(kPrefix) + message); }

// A required, non-empty string member.
Result<std::string> required_string(const json::object& object, std::string_view key,
                                    std::string_view where) {
  const json::value* value = object.if_contains(key);
  if (!value) return fail(config_error(fmt::format("{}\"{}\" がありません", where, key)));
  if (!value->is_string())
    return fail(config_error(fmt::format("{}\"{}\" は文字列にしてください", where, key)));
  std::string normalized = normalize_answer(value->as_string());
  if (normalized.empty()) return fail(config_error(fmt::format("{}\"{}\" が空です", where, key)));
  return normalized;
}

Result<std::optional<double>> optional_number(const json::object& object, std::string_view key,
                                              std::string_view where) {
  const json::value* value = object.if_contains(key);
  if (!value || value->is_null()) return std::optional<double>{};
  if (!value->is_number())
    return fail(config_error(fmt::format("{}\"{}\" は数値にしてください", where, key)));
  return std::optional<double>(value->to_number<double>());
}

Result<ItemConfig> parse_item(const json::value& value, size_t index) {
  const std::string where = fmt::format("items[{}] の ", index);
  if (!value.is_object())
    return fail(config_error(fmt::format("items[{}] はオブジェクトにしてください", index)));
  const json::object& object = value.as_object();
  ItemConfig item;
  auto column = required_string(object, "column", where);
  if (!column) return fail(column.error());
  item.column = *column;
  item.label = item.column;
  if (object.contains("label")) {
    auto label = required_string(object, "label", where);
    if (!label) return fail(label.error());
    item.label = *label;
  }
  if (object.contains("group")) {
    auto group = required_string(object, "group", where);
    if (!group) return fail(group.error());
    item.group = *group;
  }
  if (const json::value* scale = object.if_contains("scale"); scale && !scale->is_null()) {
    if (!scale->is_object() || scale->as_object().empty())
      return fail(config_error(
          fmt::format("{}\"scale\" は {{\"選択肢\": 数値, …}} の形にしてください", where)));
    std::set<std::string> seen;
    for (const auto& [answer, points] : scale->as_object()) {
      std::string normalized = normalize_answer(answer);
      if (normalized.empty())
        return fail(config_error(fmt::format("{}\"scale\" に空の選択肢があります", where)));
      if (!points.is_number())
        return fail(config_error(
            fmt::format("{}\"scale\" の「{}」の値は数値にしてください", where, normalized)));
      if (!seen.insert(normalized).second)
        return fail(config_error(
            fmt::format("{}\"scale\" の選択肢「{}」が重複しています", where, normalized)));
      item.scale.emplace_back(std::move(normalized), points.to_number<double>());
    }
  }
  auto min = optional_number(object, "min", where);
  if (!min) return fail(min.error());
  auto max = optional_number(object, "max", where);
  if (!max) return fail(max.error());
  item.min = *min;
  item.max = *max;
  if (item.min && item.max && *item.min > *item.max)
    return fail(config_error(fmt::format("{}\"min\" が \"max\" より大きくなっています", where)));
  if (!item.scale.empty() && (item.min || item.max))
    return fail(
        config_error(fmt::format("{}\"scale\" と \"min\"/\"max\" は同時に指定できません", where)));
  return item;
}

}  // namespace

Result<SurveyConfig> parse_config(std::string_view text) {
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec) return fail(config_error("JSON として読めません（" + ec.message() + "）"));
  if (!root.is_object()) return fail(config_error("全体を JSON オブジェクト {…} にしてください"));
  const json::object& object = root.as_object();

  SurveyConfig config;
  if (object.contains("title")) {
    auto title = required_string(object, "title", "");
    if (!title) return fail(title.error());
    config.title = *title;
  }
  for (auto [key, field] : {std::pair{"respondent", &config.respondent},
                            {"wave", &config.wave},
                            {"pre", &config.pre},
                            {"post", &config.post}}) {
    auto value = required_string(object, key, "");
    if (!value) return fail(value.error());
    *field = *value;
  }
  if (config.pre == config.post)
    return fail(config_error("\"pre\" と \"post\" に同じ値が指定されています"));
  if (config.respondent == config.wave)
    return fail(config_error("\"respondent\" と \"wave\" に同じ列が指定されています"));

  const json::value* items = object.if_contains("items");
  if (!items || !items->is_array() || items->as_array().empty())
    return fail(config_error("\"items\" に設問を1つ以上、配列で指定してください"));
  std::set<std::string> columns;
  for (size_t i = 0; i < items->as_array().size(); ++i) {
    auto item = parse_item(items->as_array()[i], i);
    if (!item) return fail(item.error());
    if (item->column == config.respondent || item->column == config.wave)
      return fail(config_error(
          fmt::format("items[{}] の列「{}」は回答者IDまたは時期の列です", i, item->column)));
    if (!columns.insert(item->column).second)
      return fail(config_error(fmt::format("設問の列「{}」が重複しています", item->column)));
    config.items.push_back(std::move(*item));
  }
  return config;
}

Result<SurveyConfig> read_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error::invalid(fmt::format("設定ファイルを開けません: {}", path)));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string bytes = buffer.str();
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.erase(0, 3);
  if (!text::is_valid_utf8(bytes)) return fail(config_error("UTF-8 で保存してください"));
  return parse_config(bytes);
}

}  // namespace kakehashi::survey
