#include "inspect/pdf_text.h"

#include <map>
#include <memory>
#include <qpdf/Pl_String.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <stdexcept>

namespace kakehashi::inspect {

namespace {

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// WinAnsiEncoding 0x80-0x9F (the rest of the upper half is Latin-1).
std::uint32_t win_ansi(unsigned char c) {
  static const std::uint32_t kHigh[32] = {
      0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
  return c >= 0x80 && c < 0xA0 ? kHigh[c - 0x80] : c;
}

struct Font {
  int bytes = 1;                                  // bytes per character code
  bool mapped = false;                            // codes go through `map` (a ToUnicode CMap)
  std::map<std::uint32_t, std::string> map;       // code -> UTF-8
};

std::uint32_t hex_value(std::string_view hex) {
  std::uint32_t v = 0;
  for (char c : hex) {
    v <<= 4;
    if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
  }
  return v;
}

// UTF-16BE hex ("30A230A4") to UTF-8.
std::string utf16_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 4 <= hex.size(); i += 4) {
    std::uint32_t unit = hex_value(hex.substr(i, 4));
    if (unit >= 0xD800 && unit < 0xDC00 && i + 8 <= hex.size()) {
      std::uint32_t low = hex_value(hex.substr(i + 4, 4));
      append_utf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
      i += 4;
    } else {
      append_utf8(out, unit);
    }
  }
  return out;
}

// Reads bfchar and bfrange sections of a ToUnicode CMap. False when it cannot.
bool read_cmap(std::string_view cmap, Font& font) {
  std::vector<std::string_view> tokens;  // hex strings "<..>", "[", "]" and keywords
  std::size_t i = 0;
  while (i < cmap.size()) {
    char c = cmap[i];
    if (c == '<') {
      std::size_t end = cmap.find('>', i);
      if (end == std::string_view::npos) return false;
      tokens.push_back(cmap.substr(i, end - i + 1));
      i = end + 1;
    } else if (c == '[' || c == ']') {
      tokens.push_back(cmap.substr(i, 1));
      ++i;
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      std::size_t end = i;
      while (end < cmap.size() && std::isalnum(static_cast<unsigned char>(cmap[end]))) ++end;
      tokens.push_back(cmap.substr(i, end - i));
      i = end;
    } else {
      ++i;
    }
  }
  auto inner = [](std::string_view token) { return token.substr(1, token.size() - 2); };
  int code_bytes = 0;
  for (std::size_t t = 0; t < tokens.size(); ++t) {
    if (tokens[t] == "beginbfchar") {
      for (++t; t + 1 < tokens.size() && tokens[t] != "endbfchar"; t += 2) {
        if (tokens[t].front() != '<' || tokens[t + 1].front() != '<') return false;
        code_bytes = static_cast<int>(inner(tokens[t]).size() / 2);
        font.map[hex_value(inner(tokens[t]))] = utf16_hex(inner(tokens[t + 1]));
      }
    } else if (tokens[t] == "beginbfrange") {
      for (++t; t + 2 < tokens.size() && tokens[t] != "endbfrange";) {
        if (tokens[t].front() != '<' || tokens[t + 1].front() != '<') return false;
        code_bytes = static_cast<int>(inner(tokens[t]).size() / 2);
        std::uint32_t low = hex_value(inner(tokens[t]));
        std::uint32_t high = hex_value(inner(tokens[t + 1]));
        if (high < low || high - low > 65535) return false;
        if (tokens[t + 2] == "[") {
          t += 3;
          for (std::uint32_t code = low; t < tokens.size() && tokens[t] != "]"; ++t, ++code)
            font.map[code] = utf16_hex(inner(tokens[t]));
          ++t;
        } else {
          std::string_view start = inner(tokens[t + 2]);
          if (start.size() < 4) return false;
          std::uint32_t last = hex_value(start.substr(start.size() - 4));
          std::string prefix(start.substr(0, start.size() - 4));
          for (std::uint32_t code = low; code <= high; ++code) {
            char unit[5];
            std::snprintf(unit, sizeof unit, "%04X", (last + (code - low)) & 0xFFFF);
            font.map[code] = utf16_hex(prefix + unit);
          }
          t += 3;
        }
      }
    }
  }
  if (code_bytes != 0 && code_bytes != font.bytes) return false;
  font.mapped = true;
  return true;
}

// How to decode a font's strings, or nullopt when poppler has to (Type3, custom encodings,
// CID fonts without a ToUnicode map...).
std::optional<Font> decoder_for(QPDFObjectHandle font) {
  if (!font.isDictionary()) return std::nullopt;
  QPDFObjectHandle subtype = font.getKey("/Subtype");
  if (!subtype.isName()) return std::nullopt;
  std::string kind = subtype.getName();
  Font out;
  if (kind == "/Type0") {
    QPDFObjectHandle encoding = font.getKey("/Encoding");
    if (!encoding.isName() ||
        (encoding.getName() != "/Identity-H" && encoding.getName() != "/Identity-V"))
      return std::nullopt;
    out.bytes = 2;
  } else if (kind != "/Type1" && kind != "/TrueType" && kind != "/MMType1") {
    return std::nullopt;
  }
  QPDFObjectHandle to_unicode = font.getKey("/ToUnicode");
  if (to_unicode.isStream()) {
    auto data = to_unicode.getStreamData(qpdf_dl_generalized);
    std::string_view cmap(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
    if (cmap.size() > (4u << 20) || !read_cmap(cmap, out)) return std::nullopt;
    return out;
  }
  if (out.bytes != 1) return std::nullopt;
  QPDFObjectHandle encoding = font.getKey("/Encoding");
  if (encoding.isName()) {
    std::string name = encoding.getName();
    if (name != "/WinAnsiEncoding" && name != "/StandardEncoding") return std::nullopt;
  } else if (!encoding.isNull()) {
    return std::nullopt;  // a /Differences array names glyphs: poppler knows them
  }
  QPDFObjectHandle base = font.getKey("/BaseFont");
  if (base.isName()) {
    std::string name = base.getName();
    if (name.find("Symbol") != std::string::npos || name.find("Dingbats") != std::string::npos)
      return std::nullopt;
  }
  QPDFObjectHandle descriptor = font.getKey("/FontDescriptor");
  if (descriptor.isDictionary() && descriptor.getKey("/Flags").isInteger() &&
      (descriptor.getKey("/Flags").getIntValue() & 4) != 0)
    return std::nullopt;  // symbolic: the built-in encoding is the font's own
  return out;
}

struct NeedsPoppler {};

// An operand of a content-stream operator, as far as text extraction needs it: names (Tf),
// strings (Tj, ', "), numbers (TJ spacing, Td) and arrays of them (TJ). Dictionaries (marked
// content) and booleans are kept only as "something else".
struct Operand {
  enum Kind { kName, kString, kNumber, kArray, kOther } kind = kOther;
  std::string text;  // name without '/', #xx decoded; string bytes, escapes decoded
  double number = 0;
  std::vector<Operand> items;
};

bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}
bool is_delimiter(char c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
         c == '}' || c == '/' || c == '%';
}
int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A content-stream tokenizer of our own (issue 23 item 8): qpdf's parser builds an object
// handle per token, which was most of a PDF's inspection. Anything it does not understand
// throws NeedsPoppler, so poppler reads that page as before.
class ContentParser {
 public:
  explicit ContentParser(std::string_view data) : s_(data) {}

  // Calls `op(name, operands)` for every operator, in order.
  template <class Handler>
  void run(Handler&& op) {
    std::vector<Operand> operands;
    for (;;) {
      skip_space();
      if (i_ >= s_.size()) return;
      char c = s_[i_];
      if (is_delimiter(c) && c != ')' && c != '>' && c != ']' && c != '}') {
        operands.push_back(operand(0));
        continue;
      }
      std::string_view word = regular();
      if (word.empty()) throw NeedsPoppler{};  // a stray ')' '>' ']' '}'
      Operand number;
      if (as_number(word, number)) {
        operands.push_back(std::move(number));
      } else if (word == "true" || word == "false" || word == "null") {
        operands.push_back(Operand{});
      } else {
        op(word, operands);
        operands.clear();
        if (word == "ID") skip_inline_image();
      }
    }
  }

 private:
  void skip_space() {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (is_space(c)) {
        ++i_;
      } else if (c == '%') {
        while (i_ < s_.size() && s_[i_] != '\n' && s_[i_] != '\r') ++i_;
      } else {
        return;
      }
    }
  }

  std::string_view regular() {
    std::size_t start = i_;
    while (i_ < s_.size() && !is_space(s_[i_]) && !is_delimiter(s_[i_])) ++i_;
    return s_.substr(start, i_ - start);
  }

  static bool as_number(std::string_view word, Operand& out) {
    // PDF numbers: an optional sign, digits with at most one '.', nothing else.
    std::size_t k = 0;
    bool negative = false;
    if (k < word.size() && (word[k] == '+' || word[k] == '-')) negative = word[k++] == '-';
    bool digits = false;
    bool dot = false;
    double value = 0;
    double scale = 1;
    for (; k < word.size(); ++k) {
      char c = word[k];
      if (c >= '0' && c <= '9') {
        digits = true;
        if (dot) {
          scale /= 10;
          value += (c - '0') * scale;
        } else {
          value = value * 10 + (c - '0');
        }
      } else if (c == '.' && !dot) {
        dot = true;
      } else {
        return false;
      }
    }
    if (!digits) return false;
    out.kind = Operand::kNumber;
    out.number = negative ? -value : value;
    return true;
  }

  Operand operand(int depth) {
    if (depth > 32) throw NeedsPoppler{};
    skip_space();
    if (i_ >= s_.size()) throw NeedsPoppler{};
    char c = s_[i_];
    Operand out;
    if (c == '/') {
      ++i_;
      out.kind = Operand::kName;
      std::string_view raw = regular();
      for (std::size_t k = 0; k < raw.size(); ++k) {
        if (raw[k] == '#' && k + 2 < raw.size() && hex_digit(raw[k + 1]) >= 0 &&
            hex_digit(raw[k + 2]) >= 0) {
          out.text += static_cast<char>(hex_digit(raw[k + 1]) * 16 + hex_digit(raw[k + 2]));
          k += 2;
        } else {
          out.text += raw[k];
        }
      }
    } else if (c == '(') {
      out.kind = Operand::kString;
      literal(out.text);
    } else if (c == '<' && i_ + 1 < s_.size() && s_[i_ + 1] == '<') {
      i_ += 2;
      for (;;) {  // a dictionary: keys and values, kept as nothing
        skip_space();
        if (i_ + 1 < s_.size() && s_[i_] == '>' && s_[i_ + 1] == '>') {
          i_ += 2;
          break;
        }
        element(depth);
      }
    } else if (c == '<') {
      out.kind = Operand::kString;
      ++i_;
      int high = -1;
      for (;; ++i_) {
        if (i_ >= s_.size()) throw NeedsPoppler{};
        char h = s_[i_];
        if (h == '>') {
          ++i_;
          break;
        }
        if (is_space(h)) continue;
        int v = hex_digit(h);
        if (v < 0) throw NeedsPoppler{};
        if (high < 0) {
          high = v;
        } else {
          out.text += static_cast<char>(high * 16 + v);
          high = -1;
        }
      }
      if (high >= 0) out.text += static_cast<char>(high * 16);
    } else if (c == '[') {
      ++i_;
      out.kind = Operand::kArray;
      for (;;) {
        skip_space();
        if (i_ < s_.size() && s_[i_] == ']') {
          ++i_;
          break;
        }
        out.items.push_back(element(depth));
      }
    } else {
      throw NeedsPoppler{};  // '{' (PostScript functions) or anything else
    }
    return out;
  }

  // An element inside an array or dictionary: an operand, a number or a keyword.
  Operand element(int depth) {
    skip_space();
    if (i_ >= s_.size()) throw NeedsPoppler{};
    char c = s_[i_];
    if (is_delimiter(c)) {
      if (c == ')' || c == '>' || c == ']' || c == '}') throw NeedsPoppler{};
      return operand(depth + 1);
    }
    std::string_view word = regular();
    Operand out;
    if (as_number(word, out)) return out;
    if (word == "true" || word == "false" || word == "null") return out;
    throw NeedsPoppler{};  // an operator inside an array
  }

  void literal(std::string& out) {
    ++i_;  // '('
    int nesting = 1;
    while (i_ < s_.size()) {
      std::size_t run = i_;  // plain characters are copied in one go
      while (run < s_.size() && s_[run] != '\\' && s_[run] != '(' && s_[run] != ')' &&
             s_[run] != '\r')
        ++run;
      out.append(s_.substr(i_, run - i_));
      i_ = run;
      if (i_ >= s_.size()) break;
      char c = s_[i_++];
      if (c == '\\') {
        if (i_ >= s_.size()) break;
        char e = s_[i_++];
        switch (e) {
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case '\r':
            if (i_ < s_.size() && s_[i_] == '\n') ++i_;
            break;  // a line continued
          case '\n': break;
          default:
            if (e >= '0' && e <= '7') {
              int value = e - '0';
              for (int n = 0; n < 2 && i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '7'; ++n)
                value = value * 8 + (s_[i_++] - '0');
              out += static_cast<char>(value & 0xFF);
            } else {
              out += e;  // \( \) \\ and unknown escapes: the character itself
            }
        }
      } else if (c == '(') {
        ++nesting;
        out += c;
      } else if (c == ')') {
        if (--nesting == 0) return;
        out += c;
      } else if (c == '\r') {
        // An end of line inside a string is a line feed, whichever it was.
        if (i_ < s_.size() && s_[i_] == '\n') ++i_;
        out += '\n';
      } else {
        out += c;
      }
    }
    throw NeedsPoppler{};  // unterminated
  }

  // After ID: binary data up to whitespace, "EI" and whitespace or the end.
  void skip_inline_image() {
    if (i_ < s_.size()) ++i_;  // the single whitespace after ID
    for (std::size_t at = i_; (at = s_.find("EI", at)) != std::string_view::npos; ++at) {
      bool before = at > 0 && is_space(s_[at - 1]);
      bool after = at + 2 >= s_.size() || is_space(s_[at + 2]) || is_delimiter(s_[at + 2]);
      if (before && after) {
        i_ = at;  // EI is read as the next operator
        return;
      }
    }
    throw NeedsPoppler{};
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

class TextCollector {
 public:
  TextCollector(std::map<std::string, Font>& fonts, std::string& out) : fonts_(fonts), out_(out) {}

  void operator()(std::string_view op, const std::vector<Operand>& operands) {
    if (op == "Tf") {
      if (operands.size() < 2 || operands[0].kind != Operand::kName) throw NeedsPoppler{};
      auto it = fonts_.find("/" + operands[0].text);
      if (it == fonts_.end()) throw NeedsPoppler{};
      font_ = &it->second;
    } else if (op == "Tj") {
      if (!operands.empty()) show(operands.back());
    } else if (op == "'" || op == "\"") {
      out_ += '\n';
      if (!operands.empty()) show(operands.back());
    } else if (op == "TJ") {
      if (!operands.empty() && operands.back().kind == Operand::kArray) {
        for (const auto& item : operands.back().items) {
          if (item.kind == Operand::kString) {
            show(item);
          } else if (item.kind == Operand::kNumber && item.number < -200) {
            out_ += ' ';
          }
        }
      }
    } else if (op == "T*" || op == "Tm" || op == "ET") {
      out_ += '\n';
    } else if (op == "Td" || op == "TD") {
      bool same_line = operands.size() == 2 && operands[1].kind == Operand::kNumber &&
                       operands[1].number == 0;
      out_ += same_line ? ' ' : '\n';
    }
    // Images (Do, inline images) are none of our business here; forms were excluded up front.
  }

 private:
  void show(const Operand& string) {
    if (string.kind != Operand::kString) return;
    if (font_ == nullptr) throw NeedsPoppler{};
    const std::string& bytes = string.text;
    if (font_->bytes == 2 && bytes.size() % 2 != 0) throw NeedsPoppler{};
    if (!font_->mapped) {
      // One byte a code (WinAnsi or Standard): runs of ASCII are copied as they are.
      for (std::size_t i = 0; i < bytes.size();) {
        std::size_t run = i;
        while (run < bytes.size() && static_cast<unsigned char>(bytes[run]) < 0x80) ++run;
        out_.append(bytes, i, run - i);
        if (run < bytes.size()) append_utf8(out_, win_ansi(static_cast<unsigned char>(bytes[run])));
        i = run + 1;
      }
      return;
    }
    for (std::size_t i = 0; i < bytes.size(); i += static_cast<std::size_t>(font_->bytes)) {
      std::uint32_t code = static_cast<unsigned char>(bytes[i]);
      if (font_->bytes == 2) code = (code << 8) | static_cast<unsigned char>(bytes[i + 1]);
      if (font_->mapped) {
        auto it = font_->map.find(code);
        if (it == font_->map.end()) throw NeedsPoppler{};  // a code the map does not cover
        out_ += it->second;
      } else {
        append_utf8(out_, win_ansi(static_cast<unsigned char>(code)));
      }
    }
  }

  std::map<std::string, Font>& fonts_;
  std::string& out_;
  Font* font_ = nullptr;
};

}  // namespace

std::optional<std::string> fast_page_text(QPDFPageObjectHelper& page) {
  try {
    QPDFObjectHandle resources = page.getAttribute("/Resources", false);
    if (!resources.isDictionary()) return std::nullopt;
    // Annotations with an appearance (form fields, stamps, free text) are drawn by poppler
    // as part of the page's text.
    QPDFObjectHandle annots = page.getObjectHandle().getKey("/Annots");
    if (annots.isArray()) {
      for (auto& annot : annots.aitems()) {
        if (annot.isDictionary() && annot.hasKey("/AP")) return std::nullopt;
      }
    }
    QPDFObjectHandle xobjects = resources.getKey("/XObject");
    if (xobjects.isDictionary()) {
      for (const auto& key : xobjects.getKeys()) {
        QPDFObjectHandle x = xobjects.getKey(key);
        if (x.isStream() && x.getDict().getKey("/Subtype").isName() &&
            x.getDict().getKey("/Subtype").getName() == "/Form")
          return std::nullopt;  // text may live in the form: poppler follows it
      }
    }
    std::map<std::string, Font> fonts;
    QPDFObjectHandle font_dict = resources.getKey("/Font");
    if (font_dict.isDictionary()) {
      for (const auto& key : font_dict.getKeys()) {
        auto decoder = decoder_for(font_dict.getKey(key));
        if (decoder) fonts.emplace(key, std::move(*decoder));  // unknown ones fail at Tf
      }
    }
    // The content streams joined as qpdf joins them for its own parser (a newline between
    // streams), then read by ContentParser.
    std::string contents;
    Pl_String sink("page contents", nullptr, contents);
    page.pipeContents(&sink);
    std::string text;
    TextCollector collector(fonts, text);
    ContentParser(contents).run(collector);
    return text;
  } catch (const NeedsPoppler&) {
    return std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace kakehashi::inspect
