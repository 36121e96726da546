#include "web/content_disposition.h"

#include <vector>

#include "base/text.h"
#include "web/form_urlencoded.h"

namespace kakehashi::web {

namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// RFC 5987 attr-char.
bool is_attr_char(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  switch (c) {
    case '!': case '#': case '$': case '&': case '+': case '-': case '.': case '^': case '_':
    case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

// Length of the UTF-8 sequence starting at `text[i]` when it is valid, else 0.
size_t utf8_sequence_length(std::string_view text, size_t i) {
  auto c = static_cast<unsigned char>(text[i]);
  size_t length = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (length == 0 || i + length > text.size()) return 0;
  return text::is_valid_utf8(text.substr(i, length)) ? length : 0;
}

// Valid UTF-8 with control characters (C0, DEL, C1) dropped and bad bytes as U+FFFD.
std::string clean_utf8(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      out += kReplacementCharacter;
      ++i;
      continue;
    }
    std::string_view character = text.substr(i, length);
    i += length;
    auto first = static_cast<unsigned char>(character[0]);
    if (length == 1 && (first < 0x20 || first == 0x7F)) continue;
    if (length == 2 && first == 0xC2 && static_cast<unsigned char>(character[1]) < 0xA0) continue;
    out += character;
  }
  return out;
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = char(x + 32);
    if (y >= 'A' && y <= 'Z') y = char(y + 32);
    if (x != y) return false;
  }
  return true;
}

std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string rfc5987_encode(std::string_view utf8) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : utf8) {
    if (is_attr_char(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string content_disposition(std::string_view utf8_name, DispositionType type) {
  std::string name(text::trim(clean_utf8(utf8_name)));
  if (name.empty()) name = "download";
  std::string fallback;
  for (size_t i = 0; i < name.size();) {
    size_t length = utf8_sequence_length(name, i);  // always >= 1: `name` is clean UTF-8
    unsigned char c = static_cast<unsigned char>(name[i]);
    bool keep = length == 1 && c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '/' && c != ';';
    fallback.push_back(keep ? static_cast<char>(c) : '_');
    i += length;
  }
  std::string header = type == DispositionType::kAttachment ? "attachment" : "inline";
  header += "; filename=\"" + fallback + "\"; filename*=UTF-8''" + rfc5987_encode(name);
  return header;
}

std::optional<std::string> decode_rfc5987(std::string_view ext_value) {
  size_t first_quote = ext_value.find('\'');
  if (first_quote == std::string_view::npos) return std::nullopt;
  size_t second_quote = ext_value.find('\'', first_quote + 1);
  if (second_quote == std::string_view::npos) return std::nullopt;
  std::string_view charset = ext_value.substr(0, first_quote);
  std::string_view encoded = ext_value.substr(second_quote + 1);
  for (unsigned char c : encoded) {
    if (!is_attr_char(c) && c != '%') return std::nullopt;
  }
  auto bytes = percent_decode(encoded, false);
  if (!bytes) return std::nullopt;
  if (iequals(charset, "UTF-8")) {
    if (!text::is_valid_utf8(*bytes)) return std::nullopt;
    return bytes;
  }
  if (iequals(charset, "ISO-8859-1")) {
    std::string utf8;
    for (unsigned char c : *bytes) {
      if (c < 0x80) {
        utf8.push_back(static_cast<char>(c));
      } else {
        utf8.push_back(static_cast<char>(0xC0 | (c >> 6)));
        utf8.push_back(static_cast<char>(0x80 | (c & 0x3F)));
      }
    }
    return utf8;
  }
  return std::nullopt;
}

std::string printable_utf8(std::string_view text) { return clean_utf8(text); }

const std::string* ParameterizedValue::find(std::string_view lowercase_key) const {
  for (const auto& parameter : parameters) {
    if (parameter.key == lowercase_key) return &parameter.value;
  }
  return nullptr;
}

std::optional<ParameterizedValue> parse_parameterized_value(std::string_view value) {
  for (unsigned char c : value) {
    if ((c < 0x20 && c != '\t') || c == 0x7F) return std::nullopt;
  }
  ParameterizedValue result;
  size_t semicolon = value.find(';');
  result.type = to_lower(trim_blanks(value.substr(0, semicolon)));
  size_t i = semicolon == std::string_view::npos ? value.size() : semicolon + 1;
  auto skip_blanks = [&] {
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
  };
  while (i < value.size()) {
    skip_blanks();
    if (i == value.size()) break;
    if (value[i] == ';') {  // tolerate an empty parameter ("a; ; b=1")
      ++i;
      continue;
    }
    size_t equals = value.find('=', i);
    size_t next_semicolon = value.find(';', i);
    if (equals == std::string_view::npos || next_semicolon < equals) return std::nullopt;
    std::string key = to_lower(trim_blanks(value.substr(i, equals - i)));
    if (key.empty()) return std::nullopt;
    i = equals + 1;
    skip_blanks();
    std::string parameter;
    if (i < value.size() && value[i] == '"') {
      ++i;
      bool closed = false;
      while (i < value.size()) {
        char c = value[i++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\' && i < value.size() && (value[i] == '"' || value[i] == '\\')) c = value[i++];
        parameter.push_back(c);
      }
      if (!closed) return std::nullopt;
      skip_blanks();
      if (i < value.size() && value[i] != ';') return std::nullopt;
    } else {
      size_t end = value.find(';', i);
      if (end == std::string_view::npos) end = value.size();
      parameter = std::string(trim_blanks(value.substr(i, end - i)));
      i = end;
    }
    if (i < value.size()) ++i;  // the ';'
    result.parameters.push_back({std::move(key), std::move(parameter)});
  }
  return result;
}

Result<FormDataDisposition> parse_form_data_disposition(std::string_view value) {
  auto parsed = parse_parameterized_value(value);
  if (!parsed) {
    return fail(Error::invalid("multipart の Content-Disposition の形式が正しくありません"));
  }
  if (parsed->type != "form-data") {
    return fail(Error::invalid("multipart の部分が form-data ではありません"));
  }
  // A repeated parameter could be read differently by a proxy or scanner in front of us.
  for (size_t i = 0; i < parsed->parameters.size(); ++i) {
    for (size_t j = i + 1; j < parsed->parameters.size(); ++j) {
      if (parsed->parameters[i].key == parsed->parameters[j].key) {
        return fail(Error::invalid("multipart の Content-Disposition の形式が正しくありません"));
      }
    }
  }
  const std::string* name = parsed->find("name");
  if (name == nullptr || name->empty()) {
    return fail(Error::invalid("multipart の部分に項目名（name）がありません"));
  }
  const std::string* filename = parsed->find("filename");
  if (!text::is_valid_utf8(*name) || (filename != nullptr && !text::is_valid_utf8(*filename))) {
    return fail(Error::invalid("multipart の項目名またはファイル名が UTF-8 ではありません"));
  }
  FormDataDisposition disposition;
  disposition.name = *name;
  if (const std::string* extended = parsed->find("filename*")) {
    auto decoded = decode_rfc5987(*extended);
    if (!decoded) {
      return fail(Error::invalid("multipart のファイル名（filename*）の形式が正しくありません"));
    }
    disposition.filename = std::move(*decoded);
  } else if (filename != nullptr) {
    disposition.filename = *filename;
  }
  return disposition;
}

}  // namespace kakehashi::web
