#include "inspect/pdf_revisions.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <qpdf/Pl_Flate.hh>
#include <qpdf/Pl_String.hh>
#include <set>
#include <string>
#include <vector>

namespace kakehashi::inspect {

namespace {

constexpr std::size_t kMaxSections = 1000;          // a /Prev chain longer than this is broken
constexpr std::uint64_t kMaxEntries = 10'000'000;   // entries read from one section
constexpr std::size_t kMaxXrefStreamBytes = 64u << 20;  // kMaxStructureStreamBytes

struct Entry {
  std::uint64_t number = 0;
  int type = 0;                // 0 free, 1 in use at `field`, 2 in object stream `field`
  std::uint64_t field = 0;
};

struct Section {
  std::uint64_t offset = 0;
  std::vector<Entry> entries;
  std::optional<std::uint64_t> prev;
  std::optional<std::uint64_t> xref_stream;  // /XRefStm of a hybrid section
};

bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}
bool is_delimiter(char c) {
  return is_space(c) || c == '/' || c == '[' || c == ']' || c == '<' || c == '>' || c == '(' ||
         c == ')' || c == '%';
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : s_(bytes) {}

  std::optional<Section> section_at(std::uint64_t offset) {
    if (offset >= s_.size()) return std::nullopt;
    std::size_t at = static_cast<std::size_t>(offset);
    skip_space(at);
    if (s_.compare(at, 4, "xref") == 0) return table_at(at, offset);
    return stream_at(at, offset);
  }

 private:
  void skip_space(std::size_t& at) const {
    while (at < s_.size()) {
      if (is_space(s_[at])) {
        ++at;
      } else if (s_[at] == '%') {  // a comment runs to the end of the line
        while (at < s_.size() && s_[at] != '\n' && s_[at] != '\r') ++at;
      } else {
        break;
      }
    }
  }

  std::optional<std::uint64_t> number(std::size_t& at) const {
    skip_space(at);
    std::size_t start = at;
    std::uint64_t value = 0;
    while (at < s_.size() && s_[at] >= '0' && s_[at] <= '9' && at - start < 19)
      value = value * 10 + static_cast<std::uint64_t>(s_[at++] - '0');
    if (at == start) return std::nullopt;
    return value;
  }

  // The integer after `/Key` in a dictionary's text ("/Prev 1234"), if any.
  static std::optional<std::uint64_t> key_number(std::string_view dict, std::string_view key) {
    std::size_t at = 0;
    while ((at = dict.find(key, at)) != std::string_view::npos) {
      std::size_t end = at + key.size();
      if (end < dict.size() && !is_delimiter(dict[end])) {
        at = end;
        continue;
      }
      while (end < dict.size() && is_space(dict[end])) ++end;
      std::uint64_t value = 0;
      std::size_t start = end;
      while (end < dict.size() && dict[end] >= '0' && dict[end] <= '9' && end - start < 19)
        value = value * 10 + static_cast<std::uint64_t>(dict[end++] - '0');
      if (end == start) return std::nullopt;
      // "12 0 R" is a reference, not a number.
      std::size_t after = end;
      while (after < dict.size() && is_space(dict[after])) ++after;
      std::size_t gen = after;
      while (after < dict.size() && dict[after] >= '0' && dict[after] <= '9') ++after;
      if (after > gen) {
        while (after < dict.size() && is_space(dict[after])) ++after;
        if (after < dict.size() && dict[after] == 'R') return std::nullopt;
      }
      return value;
    }
    return std::nullopt;
  }

  // The numbers of the array after `/Key` ("/W [1 2 1]").
  static std::vector<std::uint64_t> key_array(std::string_view dict, std::string_view key) {
    std::vector<std::uint64_t> out;
    std::size_t at = 0;
    while ((at = dict.find(key, at)) != std::string_view::npos) {
      std::size_t end = at + key.size();
      if (end < dict.size() && !is_delimiter(dict[end])) {
        at = end;
        continue;
      }
      while (end < dict.size() && is_space(dict[end])) ++end;
      if (end >= dict.size() || dict[end] != '[') return out;
      std::size_t close = dict.find(']', end);
      if (close == std::string_view::npos) return out;
      std::uint64_t value = 0;
      bool in_number = false;
      for (std::size_t i = end + 1; i < close; ++i) {
        if (dict[i] >= '0' && dict[i] <= '9') {
          value = value * 10 + static_cast<std::uint64_t>(dict[i] - '0');
          in_number = true;
        } else if (in_number) {
          out.push_back(value);
          value = 0;
          in_number = false;
        }
      }
      if (in_number) out.push_back(value);
      return out;
    }
    return out;
  }

  std::optional<Section> table_at(std::size_t at, std::uint64_t offset) {
    Section section;
    section.offset = offset;
    at += 4;
    std::uint64_t total = 0;
    while (true) {
      skip_space(at);
      if (at >= s_.size()) return std::nullopt;
      if (s_.compare(at, 7, "trailer") == 0) break;
      auto first = number(at);
      auto count = number(at);
      if (!first || !count) return std::nullopt;
      total += *count;
      if (total > kMaxEntries) return std::nullopt;
      for (std::uint64_t i = 0; i < *count; ++i) {
        auto field = number(at);
        auto generation = number(at);
        skip_space(at);
        if (!field || !generation || at >= s_.size()) return std::nullopt;
        char kind = s_[at++];
        if (kind != 'n' && kind != 'f') return std::nullopt;
        section.entries.push_back({*first + i, kind == 'n' ? 1 : 0, *field});
      }
    }
    std::size_t end = s_.find("startxref", at);
    std::string_view dict = s_.substr(at, end == std::string_view::npos ? 4096 : end - at);
    section.prev = key_number(dict, "/Prev");
    section.xref_stream = key_number(dict, "/XRefStm");
    return section;
  }

  // "N G obj << /Type /XRef ... >> stream ... endstream".
  std::optional<Section> stream_at(std::size_t at, std::uint64_t offset) {
    if (!number(at) || !number(at)) return std::nullopt;
    skip_space(at);
    if (s_.compare(at, 3, "obj") != 0) return std::nullopt;
    std::size_t stream = s_.find("stream", at);
    if (stream == std::string_view::npos || stream - at > 65536) return std::nullopt;
    std::string_view dict = s_.substr(at + 3, stream - at - 3);
    if (dict.find("/XRef") == std::string_view::npos) return std::nullopt;
    std::size_t data = stream + 6;
    if (data < s_.size() && s_[data] == '\r') ++data;
    if (data < s_.size() && s_[data] == '\n') ++data;
    std::size_t length = 0;
    if (auto direct = key_number(dict, "/Length"); direct && data + *direct <= s_.size()) {
      length = static_cast<std::size_t>(*direct);
    } else {
      std::size_t end = s_.find("endstream", data);
      if (end == std::string_view::npos) return std::nullopt;
      length = end - data;
    }
    std::string decoded;
    if (dict.find("/FlateDecode") != std::string_view::npos ||
        dict.find("/Fl ") != std::string_view::npos) {
      try {
        Pl_String sink("xref stream", nullptr, decoded);
        Pl_Flate flate("xref stream", &sink, Pl_Flate::a_inflate);
        // Fed in slices so that a stream past the structure limit stops early.
        for (std::size_t i = 0; i < length; i += 65536) {
          flate.write(reinterpret_cast<const unsigned char*>(s_.data() + data + i),
                      std::min<std::size_t>(65536, length - i));
          if (decoded.size() > kMaxXrefStreamBytes) return std::nullopt;
        }
        flate.finish();
      } catch (const std::exception&) {
        if (decoded.empty()) return std::nullopt;  // keep what inflated before damage
      }
    } else if (dict.find("/Filter") == std::string_view::npos) {
      decoded.assign(s_.substr(data, length));
    } else {
      return std::nullopt;
    }
    std::uint64_t predictor = key_number(dict, "/Predictor").value_or(1);
    std::vector<std::uint64_t> widths = key_array(dict, "/W");
    if (widths.size() != 3 || widths[0] > 8 || widths[1] > 8 || widths[2] > 8)
      return std::nullopt;
    std::size_t row = static_cast<std::size_t>(widths[0] + widths[1] + widths[2]);
    if (row == 0) return std::nullopt;
    if (predictor >= 10) {
      std::size_t columns = static_cast<std::size_t>(key_number(dict, "/Columns").value_or(1));
      if (columns != row || !undo_png(decoded, columns)) return std::nullopt;
    } else if (predictor != 1) {
      return std::nullopt;
    }
    std::vector<std::uint64_t> index = key_array(dict, "/Index");
    if (index.empty()) index = {0, key_number(dict, "/Size").value_or(0)};
    Section section;
    section.offset = offset;
    section.prev = key_number(dict, "/Prev");
    std::size_t pos = 0;
    auto field = [&](std::uint64_t width) {
      std::uint64_t value = 0;
      for (std::uint64_t i = 0; i < width; ++i)
        value = (value << 8) | static_cast<unsigned char>(decoded[pos++]);
      return value;
    };
    for (std::size_t i = 0; i + 1 < index.size(); i += 2) {
      if (index[i + 1] > kMaxEntries) return std::nullopt;
      for (std::uint64_t k = 0; k < index[i + 1]; ++k) {
        if (pos + row > decoded.size()) return section;  // short data: what was there
        int type = widths[0] == 0 ? 1 : static_cast<int>(field(widths[0]));
        std::uint64_t f2 = field(widths[1]);
        field(widths[2]);
        section.entries.push_back({index[i] + k, type, f2});
      }
    }
    return section;
  }

  // PNG predictors (PDF predictor >= 10): each row starts with its filter byte.
  static bool undo_png(std::string& data, std::size_t columns) {
    std::size_t stride = columns + 1;
    std::string out;
    out.reserve(data.size());
    std::string previous(columns, '\0');
    for (std::size_t start = 0; start + stride <= data.size(); start += stride) {
      auto filter = static_cast<unsigned char>(data[start]);
      std::string current(data.substr(start + 1, columns));
      for (std::size_t i = 0; i < columns; ++i) {
        int left = i > 0 ? static_cast<unsigned char>(current[i - 1]) : 0;
        int up = static_cast<unsigned char>(previous[i]);
        int up_left = i > 0 ? static_cast<unsigned char>(previous[i - 1]) : 0;
        int add = 0;
        switch (filter) {
          case 0: add = 0; break;
          case 1: add = left; break;
          case 2: add = up; break;
          case 3: add = (left + up) / 2; break;
          case 4: {
            int p = left + up - up_left;
            int pa = std::abs(p - left), pb = std::abs(p - up), pc = std::abs(p - up_left);
            add = pa <= pb && pa <= pc ? left : pb <= pc ? up : up_left;
            break;
          }
          default: return false;
        }
        current[i] = static_cast<char>((static_cast<unsigned char>(current[i]) + add) & 0xff);
      }
      out += current;
      previous = std::move(current);
    }
    data = std::move(out);
    return true;
  }

  std::string_view s_;
};

}  // namespace

std::optional<PdfRevisions> count_pdf_revisions(std::string_view bytes) {
  std::size_t at = bytes.rfind("startxref");
  if (at == std::string_view::npos) return std::nullopt;
  at += 9;
  while (at < bytes.size() && is_space(bytes[at])) ++at;
  std::uint64_t start = 0;
  std::size_t digits = at;
  while (at < bytes.size() && bytes[at] >= '0' && bytes[at] <= '9' && at - digits < 19)
    start = start * 10 + static_cast<std::uint64_t>(bytes[at++] - '0');
  if (at == digits) return std::nullopt;

  Reader reader(bytes);
  std::vector<Section> chain;  // newest first
  std::set<std::uint64_t> seen;
  std::optional<std::uint64_t> next = start;
  while (next && chain.size() < kMaxSections && seen.insert(*next).second) {
    auto section = reader.section_at(*next);
    if (!section) return std::nullopt;
    if (section->xref_stream && seen.insert(*section->xref_stream).second) {
      // A hybrid file: the stream's entries belong to the same section.
      if (auto stream = reader.section_at(*section->xref_stream)) {
        section->entries.insert(section->entries.end(), stream->entries.begin(),
                                stream->entries.end());
      }
    }
    next = section->prev;
    chain.push_back(std::move(*section));
  }
  if (chain.empty()) return std::nullopt;

  PdfRevisions revisions;
  revisions.sections = static_cast<int>(chain.size());
  // Oldest to newest: what the older sections hold and where they end.
  std::uint64_t older_end = chain.back().offset;
  std::set<std::uint64_t> in_use;
  for (const auto& entry : chain.back().entries)
    if (entry.type != 0) in_use.insert(entry.number);
  for (std::size_t i = chain.size() - 1; i-- > 0;) {
    const Section& section = chain[i];
    bool update = false;
    for (const auto& entry : section.entries) {
      // An object written after the older revisions ended (an object stream among them).
      if (entry.type == 1 && entry.field > older_end) update = true;
      // Freeing an object an older revision had: the deleted object is still in the file.
      if (entry.type == 0 && entry.number != 0 && section.offset > older_end &&
          in_use.contains(entry.number))
        update = true;
      if (update) break;
    }
    if (update) ++revisions.updates;
    for (const auto& entry : section.entries)
      if (entry.type != 0) in_use.insert(entry.number);
    older_end = std::max(older_end, section.offset);
  }
  return revisions;
}

}  // namespace kakehashi::inspect
