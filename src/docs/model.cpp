#include "docs/model.h"

#include <fmt/format.h>

#include "docs/xml_text.h"

namespace kakehashi::docs {

std::string list_marker(const ListItem& item) {
  if (!item.marker.empty()) return item.marker;
  if (item.ordered) return fmt::format("{}.", item.number);
  return item.depth == 0 ? "・" : "－";
}

std::string plain_text(const Spans& spans) {
  std::string out;
  for (auto& s : spans) out += s.line_break ? " " : s.text;
  return out;
}

double estimated_width(std::string_view utf8, double wide, double narrow) {
  double w = 0;
  for (size_t i = 0; i < utf8.size();) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    w += len >= 3 ? wide : narrow;
    i += len;
  }
  return w;
}

std::string safe_file_stem(std::string_view text, size_t max_code_points) {
  std::string out;
  size_t count = 0;
  for (size_t i = 0; i < text.size() && count < max_code_points;) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (len == 1) {
      out += (c < 0x20 || std::string_view("\\/:*?\"<>|").find(char(c)) != std::string_view::npos)
                 ? '_'
                 : char(c);
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
    ++count;
  }
  while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();
  if (out.empty()) out.assign(1, '_');
  return out;
}

}  // namespace kakehashi::docs
