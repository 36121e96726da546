#include "inspect/xml_stream.h"

#include <algorithm>
#include <cstring>

namespace kakehashi::inspect {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// pugixml's name characters: letters, digits, '_', ':', '-', '.' and any byte of a multi-byte
// UTF-8 sequence; not a digit, '-' or '.' first.
bool is_name_start(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_' || u == ':' || u >= 0x80;
}
bool is_name_char(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return is_name_start(c) || (u >= '0' && u <= '9') || u == '-' || u == '.';
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
    char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] + 32) : b[i];
    if (x != y) return false;
  }
  return true;
}

}  // namespace

XmlStream::XmlStream(std::string_view xml) : xml_(xml) {
  // pugixml stops at a NUL byte and detects UTF-16/32 from the first bytes: leave both to it.
  if (std::memchr(xml_.data(), '\0', xml_.size()) != nullptr) give_up();
  if (xml_.starts_with("\xEF\xBB\xBF")) at_ = 3;
  open_.reserve(32);
  attributes_.reserve(16);
}

XmlStream::Event XmlStream::next() {
  if (state_ == Event::kDone || state_ == Event::kGiveUp) return state_;
  if (state_ == Event::kEnd) open_.pop_back();
  if (pending_end_) {
    pending_end_ = false;
    name_ = open_.back();
    return state_ = Event::kEnd;
  }
  const char* data = xml_.data();
  const std::size_t size = xml_.size();
  while (true) {
    if (at_ >= size) {
      if (!open_.empty() || !root_seen_) return give_up();
      return state_ = Event::kDone;
    }
    if (data[at_] != '<') {
      // Runs between a sheet's tags are short: a few bytes by hand before memchr.
      std::size_t end = at_;
      std::size_t near = std::min(size, at_ + 16);
      while (end < near && data[end] != '<') ++end;
      if (end == near && end < size) {
        const void* lt = std::memchr(data + end, '<', size - end);
        end = lt == nullptr ? size : static_cast<std::size_t>(static_cast<const char*>(lt) - data);
      }
      std::string_view run(data + at_, end - at_);
      at_ = end;
      if (open_.empty()) {
        for (char c : run) {
          if (!is_space(c)) return give_up();  // text outside the document element
        }
        continue;
      }
      raw_text_ = run;
      cdata_ = false;
      return state_ = Event::kText;
    }
    Event event = read_markup();
    if (event != Event::kDone) return state_ = event;  // kDone here: markup skipped (comment)
  }
}

// At '<': a start or end tag, a CDATA section (returned as kText), or a comment or the XML
// declaration (skipped: kDone is returned to mean "nothing to report, go on").
XmlStream::Event XmlStream::read_markup() {
  std::string_view rest = xml_.substr(at_);
  if (rest.size() >= 2 && is_name_start(rest[1])) {  // a start tag, the most frequent
    if (open_.empty() && root_seen_) return give_up();  // a second root
    if (!parse_start_tag()) return give_up();
    root_seen_ = true;
    return Event::kStart;
  }
  if (rest.size() >= 2 && rest[1] == '/') return read_end_tag();
  if (rest.starts_with("<!--")) {
    std::size_t close = rest.find("-->", 4);
    if (close == std::string_view::npos) return give_up();
    at_ += close + 3;
    return Event::kDone;
  }
  if (rest.starts_with("<![CDATA[")) {
    if (open_.empty()) return give_up();
    std::size_t close = rest.find("]]>", 9);
    if (close == std::string_view::npos) return give_up();
    raw_text_ = rest.substr(9, close - 9);
    cdata_ = true;
    at_ += close + 3;
    return Event::kText;
  }
  if (rest.starts_with("<?")) {
    // Only the declaration, first in the part, declaring UTF-8 or nothing.
    bool first = at_ == 0 || (at_ == 3 && xml_.starts_with("\xEF\xBB\xBF"));
    if (!first || !rest.starts_with("<?xml") || rest.size() < 6 || !is_space(rest[5]))
      return give_up();
    std::size_t close = rest.find("?>");
    if (close == std::string_view::npos) return give_up();
    std::string_view declaration = rest.substr(0, close);
    std::size_t encoding = declaration.find("encoding");
    if (encoding != std::string_view::npos) {
      std::size_t quote = declaration.find_first_of("\"'", encoding);
      if (quote == std::string_view::npos) return give_up();
      std::size_t end = declaration.find(declaration[quote], quote + 1);
      if (end == std::string_view::npos) return give_up();
      std::string_view value = declaration.substr(quote + 1, end - quote - 1);
      if (!iequals(value, "utf-8") && !iequals(value, "utf8")) return give_up();
    }
    at_ += close + 2;
    return Event::kDone;
  }
  return give_up();  // <!DOCTYPE, a stray '<'
}

XmlStream::Event XmlStream::read_end_tag() {
  const char* data = xml_.data();
  std::size_t i = at_ + 2;
  std::size_t start = i;
  if (i >= xml_.size() || !is_name_start(data[i])) return give_up();
  while (i < xml_.size() && is_name_char(data[i])) ++i;
  std::string_view name(data + start, i - start);
  while (i < xml_.size() && is_space(data[i])) ++i;
  if (i >= xml_.size() || data[i] != '>') return give_up();
  if (open_.empty() || open_.back() != name) return give_up();
  at_ = i + 1;
  name_ = name;
  return Event::kEnd;
}

bool XmlStream::parse_start_tag() {
  const char* data = xml_.data();
  const std::size_t size = xml_.size();
  std::size_t i = at_ + 1;
  std::size_t start = i;
  while (i < size && is_name_char(data[i])) ++i;
  name_ = std::string_view(data + start, i - start);
  attributes_.clear();
  while (true) {
    std::size_t before = i;
    while (i < size && is_space(data[i])) ++i;
    if (i >= size) return false;
    if (data[i] == '>') {
      at_ = i + 1;
      open_.push_back(name_);
      return true;
    }
    if (data[i] == '/') {
      if (i + 1 >= size || data[i + 1] != '>') return false;
      at_ = i + 2;
      open_.push_back(name_);
      pending_end_ = true;
      return true;
    }
    if (i == before || !is_name_start(data[i])) return false;  // attributes are space-separated
    std::size_t name_start = i;
    while (i < size && is_name_char(data[i])) ++i;
    std::string_view name(data + name_start, i - name_start);
    while (i < size && is_space(data[i])) ++i;
    if (i >= size || data[i] != '=') return false;
    ++i;
    while (i < size && is_space(data[i])) ++i;
    if (i >= size || (data[i] != '"' && data[i] != '\'')) return false;
    char quote = data[i++];
    std::size_t end = i;
    while (end < size && data[end] != quote) {
      if (data[end] == '<') return false;
      ++end;
    }
    if (end >= size) return false;
    attributes_.push_back({name, std::string_view(data + i, end - i)});
    i = end + 1;
  }
}

std::string_view XmlStream::attribute(std::string_view local) {
  bool plain = local.find(':') == std::string_view::npos;
  for (const auto& attribute : attributes_) {
    std::string_view full = attribute.name;
    bool match = false;
    if (!plain) {
      std::size_t colon = full.find(':');
      match = (colon == std::string_view::npos ? full : full.substr(colon + 1)) == local;
    } else if (full.ends_with(local)) {
      std::size_t prefix = full.size() - local.size();
      match = prefix == 0 || (full[prefix - 1] == ':' &&
                              full.substr(0, prefix - 1).find(':') == std::string_view::npos);
    }
    if (!match) continue;
    for (char c : attribute.value) {
      if (c == '&' || c == '\t' || c == '\n' || c == '\r') {
        give_up();
        return {};
      }
    }
    return attribute.value;
  }
  return {};
}

std::string_view XmlStream::text() {
  bool entity = false;
  for (char c : raw_text_) {
    if (c == '\r') {
      give_up();
      return {};
    }
    entity = entity || c == '&';
  }
  if (cdata_ || !entity) return raw_text_;
  decoded_.clear();
  std::string_view s = raw_text_;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t amp = s.find('&', i);
    if (amp == std::string_view::npos) {
      decoded_.append(s.substr(i));
      break;
    }
    decoded_.append(s.substr(i, amp - i));
    std::string_view entity = s.substr(amp);
    if (entity.starts_with("&lt;")) {
      decoded_ += '<';
      i = amp + 4;
    } else if (entity.starts_with("&gt;")) {
      decoded_ += '>';
      i = amp + 4;
    } else if (entity.starts_with("&amp;")) {
      decoded_ += '&';
      i = amp + 5;
    } else if (entity.starts_with("&apos;")) {
      decoded_ += '\'';
      i = amp + 6;
    } else if (entity.starts_with("&quot;")) {
      decoded_ += '"';
      i = amp + 6;
    } else {
      give_up();  // numeric references and anything else: pugixml's business
      return {};
    }
  }
  return decoded_;
}

}  // namespace kakehashi::inspect
