#include "docs/model.h"

#include <fmt/format.h>

#include <algorithm>

#include "docs/xml_text.h"

namespace kakehashi::docs {

std::vector<double> table_column_widths(const std::vector<double>& natural,
                                        const std::vector<double>& least,
                                        const std::vector<std::vector<double>>& cells,
                                        double total, double pad, double step) {
  size_t n = natural.size();
  double sum = 0, least_sum = 0;
  for (size_t c = 0; c < n; ++c) sum += natural[c], least_sum += least[c];
  std::vector<double> widths(n);
  if (n == 0) return widths;
  if (sum <= total || least_sum >= total) {
    const auto& base = sum <= total ? natural : least;
    double base_sum = sum <= total ? sum : least_sum;
    for (size_t c = 0; c < n; ++c) widths[c] = base[c] / base_sum * total;
    return widths;
  }
  widths = least;
  auto height = [&](const std::vector<double>& w) {
    double h = 0;
    for (auto& row : cells) {
      double lines = 1;
      for (size_t c = 0; c < n && c < row.size(); ++c)
        lines = std::max(lines, row[c] / std::max(step / 2, w[c] - 2 * pad));
      h += lines;
    }
    return h;
  };
  double room = total - least_sum;
  while (room >= step) {
    double now = height(widths), best_gain = 0;
    size_t best = n;
    for (size_t c = 0; c < n; ++c) {
      if (widths[c] + step > natural[c]) continue;
      widths[c] += step;
      double gain = now - height(widths);
      widths[c] -= step;
      if (gain > best_gain + 1e-9) best_gain = gain, best = c;
    }
    if (best == n) break;
    widths[best] += step;
    room -= step;
  }
  double used = 0;
  for (double w : widths) used += w;
  for (double& w : widths) w *= total / used;
  return widths;
}

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
