// A pull reader over an XML part already inflated and pre-scanned (scan_xml: no DTD, depth
// within kMaxXmlDepth), for the large parts the inspector only reads through once (worksheets):
// no DOM is built (issue 23 item 8).
//
// It reads what pugixml reads with parse_xml's options, or gives up: next() returns kGiveUp on
// anything it is not sure pugixml would read the same way (an encoding other than UTF-8, a
// carriage return or an entity other than the five predefined ones in text it returns,
// mismatched or unclosed tags, unusual syntax). Its caller then parses the part with pugixml as
// before, so a part gives the same findings whichever way it was read.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kakehashi::inspect {

class XmlStream {
 public:
  enum class Event { kStart, kEnd, kText, kDone, kGiveUp };

  explicit XmlStream(std::string_view xml);

  // The next start tag (a self-closing one is followed by its kEnd), end tag, text node (a run
  // of character data between markup, or a CDATA section, as pugixml makes its text nodes) or
  // the end of the document (kDone) or kGiveUp. After kGiveUp or kDone it stays there.
  Event next();

  // kStart/kEnd: the element's qualified name; its depth (the document element is 1).
  std::string_view name() const { return name_; }
  int depth() const { return static_cast<int>(open_.size()); }
  // kStart: the value of the first attribute whose local name is `local` (as inspect::attribute
  // compares), or nullopt-like empty with found=false. Values with an entity reference or a
  // tab, line feed or carriage return make the reader give up (pugixml would convert them):
  // then `ok()` is false and the caller must stop.
  std::string_view attribute(std::string_view local);
  // kText: the node's value, entities decoded (valid until the next call).
  std::string_view text();
  // False once a value could not be returned as pugixml would (see attribute(), text()).
  bool ok() const { return ok_; }

 private:
  Event give_up() {
    ok_ = false;
    return state_ = Event::kGiveUp;
  }
  bool parse_start_tag();
  Event read_markup();
  Event read_end_tag();

  std::string_view xml_;
  std::size_t at_ = 0;
  Event state_ = Event::kText;
  bool ok_ = true;
  bool root_seen_ = false;
  bool pending_end_ = false;  // a self-closing tag's kEnd comes next
  std::string_view name_;
  std::vector<std::string_view> open_;
  struct Attribute {
    std::string_view name;
    std::string_view value;  // raw, between the quotes
  };
  std::vector<Attribute> attributes_;
  std::string_view raw_text_;
  bool cdata_ = false;
  std::string decoded_;
};

}  // namespace kakehashi::inspect
