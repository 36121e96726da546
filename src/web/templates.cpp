#include "web/templates.h"

#include <map>
#include <mutex>
#include <stdexcept>

#include "web/template_engine.h"

namespace kakehashi::web {
namespace generated {
struct TemplateSource {
  std::string_view name;
  std::string_view text;
};
extern const TemplateSource kTemplates[];
extern const std::size_t kTemplateCount;
}  // namespace generated

namespace {

const generated::TemplateSource* find_source(std::string_view name) {
  for (std::size_t i = 0; i < generated::kTemplateCount; ++i) {
    if (generated::kTemplates[i].name == name) return &generated::kTemplates[i];
  }
  return nullptr;
}

}  // namespace

// One node of a parsed template, as kainjow's components: text within a line, a line break,
// a variable, a section and its children, a partial (resolved to its tree when rendering).
struct TemplateNode {
  enum class Kind : std::uint8_t { kText, kNewline, kEscaped, kRaw, kSection, kInverted, kPartial, kNothing };
  Kind kind = Kind::kText;
  std::string text;                 // the text, the line break, the tag's name
  std::vector<std::string> path;    // a dotted name's parts (empty for a plain name)
  std::vector<TemplateNode> children;
};

struct CompiledTemplate {
  std::vector<TemplateNode> nodes;
};

namespace {

std::string_view trim(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

std::vector<std::string> split_dots(std::string_view name) {
  std::vector<std::string> parts;
  if (name.find('.') == std::string_view::npos || name == ".") return parts;
  std::size_t start = 0;
  while (start < name.size()) {  // as kainjow's getline split: no trailing empty part
    std::size_t dot = name.find('.', start);
    if (dot == std::string_view::npos) dot = name.size();
    parts.emplace_back(name.substr(start, dot - start));
    start = dot + 1;
  }
  return parts;
}

void parse(std::string_view label, std::string_view input, std::vector<TemplateNode>& root) {
  using Kind = TemplateNode::Kind;
  std::vector<std::vector<TemplateNode>*> sections{&root};
  std::vector<std::string> open;
  std::string text;
  auto flush_text = [&] {
    if (text.empty()) return;
    sections.back()->push_back(TemplateNode{Kind::kText, std::move(text), {}, {}});
    text.clear();
  };
  std::size_t at = 0;
  while (at < input.size()) {
    if (input.substr(at).starts_with("{{")) {
      flush_text();
      bool triple = at != input.size() - 2 && at + 2 < input.size() && input[at + 2] == '{';
      std::size_t start = at + (triple ? 3 : 2);
      std::size_t end = input.find(triple ? "}}}" : "}}", start);
      if (end == std::string_view::npos) throw std::runtime_error("template " + std::string(label) + ": unclosed tag");
      std::string_view contents = trim(input.substr(start, end - start));
      at = end + (triple ? 3 : 2);
      TemplateNode node;
      if (triple) {
        node.kind = Kind::kRaw;
        node.text = std::string(contents);
      } else if (contents.empty()) {
        node.kind = Kind::kEscaped;
      } else {
        char sigil = contents.front();
        switch (sigil) {
          case '#': node.kind = Kind::kSection; break;
          case '^': node.kind = Kind::kInverted; break;
          case '/': node.kind = Kind::kNothing; break;
          case '>': node.kind = Kind::kPartial; break;
          case '&': node.kind = Kind::kRaw; break;
          case '!': node.kind = Kind::kNothing; break;
          case '=': throw std::runtime_error("template " + std::string(label) + ": delimiters cannot change");
          default: node.kind = Kind::kEscaped; break;
        }
        node.text = std::string(node.kind == Kind::kEscaped ? contents : trim(contents.substr(1)));
        if (sigil == '/') {
          if (open.empty() || open.back() != node.text) {
            throw std::runtime_error("template " + std::string(label) + ": unopened section " + node.text);
          }
          open.pop_back();
          sections.pop_back();
          continue;
        }
        if (sigil == '!') continue;
      }
      node.path = split_dots(node.text);
      if (node.kind == Kind::kPartial) node.text = "layout/" + node.text;
      sections.back()->push_back(std::move(node));
      if (sections.back()->back().kind == Kind::kSection || sections.back()->back().kind == Kind::kInverted) {
        open.push_back(sections.back()->back().text);
        sections.push_back(&sections.back()->back().children);
      }
      continue;
    }
    char c = input[at];
    if (c == '\r' || c == '\n') {
      flush_text();
      std::size_t length = (c == '\r' && at + 1 < input.size() && input[at + 1] == '\n') ? 2 : 1;
      sections.back()->push_back(TemplateNode{Kind::kNewline, std::string(input.substr(at, length)), {}, {}});
      at += length;
      continue;
    }
    text.push_back(c);
    ++at;
  }
  flush_text();
  if (!open.empty()) throw std::runtime_error("template " + std::string(label) + ": unclosed section " + open.back());
}

void append_escaped(std::string& out, const std::string& text) {
  std::size_t done = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string_view entity;
    switch (text[i]) {
      case '&': entity = "&amp;"; break;
      case '<': entity = "&lt;"; break;
      case '>': entity = "&gt;"; break;
      case '"': entity = "&quot;"; break;
      case '\'': entity = "&apos;"; break;
      default: continue;
    }
    out.append(text, done, i - done);
    out.append(entity);
    done = i + 1;
  }
  out.append(text, done, std::string::npos);
}

const CompiledTemplate* compiled_by_name(std::string_view name);

// Renders as kainjow does: a line is buffered, and dropped when it held a section tag and is
// otherwise blank (the "standalone" rule as kainjow implements it).
class Renderer {
 public:
  explicit Renderer(const View& data) {
    stack_.reserve(8);
    stack_.push_back(&data);
    out_.reserve(16 * 1024);
    line_.reserve(256);
  }

  std::string finish() {
    flush_line(nullptr);
    return std::move(out_);
  }

  void render(const std::vector<TemplateNode>& nodes, int depth = 0) {
    using Kind = TemplateNode::Kind;
    for (const TemplateNode& node : nodes) {
      switch (node.kind) {
        case Kind::kText:
          line_ += node.text;
          break;
        case Kind::kNewline:
          flush_line(&node.text);
          break;
        case Kind::kEscaped:
        case Kind::kRaw:
          if (const View* value = get(node); value && value->is_string()) {
            if (node.kind == Kind::kEscaped) {
              append_escaped(line_, value->string_value());
            } else {
              line_ += value->string_value();
            }
          }
          break;
        case Kind::kSection:
          if (const View* value = get(node); value && !value->is_false() && !value->is_empty_list()) {
            section(node, value, depth);
          }
          break;
        case Kind::kInverted:
          if (const View* value = get(node); !value || value->is_false() || value->is_empty_list()) {
            section(node, value, depth);
          }
          break;
        case Kind::kPartial:
          if (depth < 16) {
            if (const CompiledTemplate* partial = compiled_by_name(node.text)) render(partial->nodes, depth + 1);
          }
          break;
        case Kind::kNothing:
          break;
      }
    }
  }

 private:
  void section(const TemplateNode& node, const View* value, int depth) {
    if (value && value->is_non_empty_list()) {
      for (const View& item : value->list_value()) {
        contained_section_tag_ = true;
        stack_.push_back(&item);
        render(node.children, depth);
        stack_.pop_back();
        contained_section_tag_ = true;
      }
      return;
    }
    contained_section_tag_ = true;
    if (value) stack_.push_back(value);
    render(node.children, depth);
    if (value) stack_.pop_back();
    contained_section_tag_ = true;
  }

  const View* get(const TemplateNode& node) const {
    if (node.text == ".") return stack_.back();
    for (auto frame = stack_.rbegin(); frame != stack_.rend(); ++frame) {
      if (node.path.empty()) {
        if (const View* value = (*frame)->get(node.text)) return value;
        continue;
      }
      const View* value = *frame;
      for (const std::string& part : node.path) {
        value = value->get(part);
        if (!value) break;
      }
      if (value) return value;
    }
    return nullptr;
  }

  void flush_line(const std::string* newline) {
    bool blank = line_.find_first_not_of(" \t") == std::string::npos;
    if (!(contained_section_tag_ && blank)) {
      out_ += line_;
      if (newline) out_ += *newline;
    }
    line_.clear();
    contained_section_tag_ = false;
  }

  std::vector<const View*> stack_;
  std::string out_;
  std::string line_;
  bool contained_section_tag_ = false;
};

// Every template, parsed once for the whole process and shared read-only by all threads.
const std::map<std::string_view, std::shared_ptr<const CompiledTemplate>>& compiled_templates() {
  static const auto all = [] {
    std::map<std::string_view, std::shared_ptr<const CompiledTemplate>> map;
    for (std::size_t i = 0; i < generated::kTemplateCount; ++i) {
      map.emplace(generated::kTemplates[i].name,
                  compile_template(generated::kTemplates[i].name, generated::kTemplates[i].text));
    }
    return map;
  }();
  return all;
}

const CompiledTemplate* compiled_by_name(std::string_view name) {
  const auto& all = compiled_templates();
  auto it = all.find(name);
  return it == all.end() ? nullptr : it->second.get();
}

}  // namespace

std::shared_ptr<const CompiledTemplate> compile_template(std::string_view label, std::string_view source) {
  auto compiled = std::make_shared<CompiledTemplate>();
  parse(label, source, compiled->nodes);
  return compiled;
}

std::string render_compiled(const CompiledTemplate& compiled, const View& data) {
  Renderer renderer(data);
  renderer.render(compiled.nodes);
  return renderer.finish();
}

std::string render_template(std::string_view name, View data) {
  const CompiledTemplate* compiled = compiled_by_name(name);
  if (!compiled) throw std::out_of_range("unknown template " + std::string(name));
  return render_compiled(*compiled, data);
}

bool has_template(std::string_view name) { return find_source(name) != nullptr; }

std::optional<std::string_view> template_source(std::string_view name) {
  const auto* source = find_source(name);
  if (!source) return std::nullopt;
  return source->text;
}

std::vector<std::string_view> template_names() {
  std::vector<std::string_view> names;
  for (std::size_t i = 0; i < generated::kTemplateCount; ++i) names.push_back(generated::kTemplates[i].name);
  return names;
}

}  // namespace kakehashi::web
