#include "web/form_urlencoded.h"

#include <fmt/format.h>

#include "base/text.h"

namespace kakehashi::web {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;  // needs two hex digits after '%'
      int high = hex_value(text[i + 1]);
      int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

const std::string* FormFields::find(std::string_view name) const {
  for (const auto& field : fields_) {
    if (field.name == name) return &field.value;
  }
  return nullptr;
}

std::vector<std::string_view> FormFields::all(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const auto& field : fields_) {
    if (field.name == name) values.emplace_back(field.value);
  }
  return values;
}

Result<FormFields> parse_form_urlencoded(std::string_view body, const FormLimits& limits) {
  if (body.size() > limits.max_body_bytes) {
    return fail(Error::invalid(
        fmt::format("フォームの送信内容が大きすぎます（上限 {} バイト）", limits.max_body_bytes)));
  }
  FormFields fields;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view pair = body.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    if (fields.size() == limits.max_fields) {
      return fail(Error::invalid(
          fmt::format("フォームの項目数が上限（{}）を超えています", limits.max_fields)));
    }
    size_t equals = pair.find('=');
    std::string_view raw_name = pair.substr(0, equals);
    std::string_view raw_value =
        equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
    auto name = percent_decode(raw_name, true);
    auto value = percent_decode(raw_value, true);
    if (!name || !value) {
      return fail(Error::invalid("フォームの送信内容に不正なパーセントエンコード（%XX）があります"));
    }
    if (!text::is_valid_utf8(*name) || !text::is_valid_utf8(*value)) {
      return fail(Error::invalid("フォームの送信内容が UTF-8 ではありません"));
    }
    if (name->size() > limits.max_name_bytes) {
      return fail(Error::invalid(
          fmt::format("フォームの項目名が長すぎます（上限 {} バイト）", limits.max_name_bytes)));
    }
    if (value->size() > limits.max_value_bytes) {
      return fail(Error::invalid(
          fmt::format("フォームの値が長すぎます（上限 {} バイト）", limits.max_value_bytes)));
    }
    fields.add(std::move(*name), std::move(*value));
  }
  return fields;
}

}  // namespace kakehashi::web
