#include "web/view_model.h"

#include <fmt/format.h>

namespace kakehashi::web {

namespace view_detail {

void SchemaBuilder::add(const char* name, FieldKind kind, std::shared_ptr<const Schema> nested) {
  schema.fields[name] = FieldSchema{kind, std::move(nested)};
}

}  // namespace view_detail

namespace {

// One tag of a template: its sigil ('#', '^', '/', '>', '{', '&', '!', or 0 for a variable)
// and its trimmed name.
struct Tag {
  char sigil = 0;
  std::string name;
};

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n')) text.remove_suffix(1);
  return text;
}

// The tags of `text` in order; a malformed tag is reported in `problems`.
std::vector<Tag> tags_of(std::string_view text, std::string_view name, std::vector<std::string>& problems) {
  std::vector<Tag> tags;
  std::size_t at = 0;
  while ((at = text.find("{{", at)) != std::string_view::npos) {
    bool triple = text.substr(at).starts_with("{{{");
    std::string_view close = triple ? "}}}" : "}}";
    std::size_t start = at + (triple ? 3 : 2);
    std::size_t end = text.find(close, start);
    if (end == std::string_view::npos) {
      problems.push_back(fmt::format("{}: a tag is not closed", name));
      break;
    }
    std::string_view inner = trim(text.substr(start, end - start));
    at = end + close.size();
    Tag tag;
    if (triple) {
      tag.sigil = '{';
    } else if (!inner.empty() && std::string_view("#^/>&!=").find(inner.front()) != std::string_view::npos) {
      tag.sigil = inner.front();
      inner = trim(inner.substr(1));
    }
    if (tag.sigil == '!') continue;
    if (tag.sigil == '=') {
      problems.push_back(fmt::format("{}: changing delimiters is not supported", name));
      continue;
    }
    tag.name = std::string(inner);
    tags.push_back(std::move(tag));
  }
  return tags;
}

// A context on the stack: an object's schema, or the element of a list of texts ({{.}}).
struct Frame {
  const Schema* schema = nullptr;  // nullptr: a text element
};

std::vector<std::string_view> split_dots(std::string_view name) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = name.find('.', start);
    parts.push_back(name.substr(start, dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts;
}

// Resolves `name` as kainjow does: the innermost frame that has the whole dotted path wins.
std::optional<FieldSchema> resolve(const std::vector<Frame>& stack, std::string_view name) {
  auto parts = split_dots(name);
  for (auto frame = stack.rbegin(); frame != stack.rend(); ++frame) {
    const Schema* schema = frame->schema;
    std::optional<FieldSchema> found;
    for (std::size_t i = 0; i < parts.size() && schema; ++i) {
      auto it = schema->fields.find(parts[i]);
      if (it == schema->fields.end()) {
        found.reset();
        break;
      }
      found = it->second;
      bool last = i + 1 == parts.size();
      bool object = it->second.kind == FieldKind::kObject || it->second.kind == FieldKind::kOptionalObject;
      if (!last && !object) {
        found.reset();
        break;
      }
      schema = last ? nullptr : it->second.schema.get();
    }
    if (found) return found;
  }
  return std::nullopt;
}

class Checker {
 public:
  Checker(const std::set<std::string, std::less<>>& ambient, std::vector<std::string>& problems)
      : ambient_(ambient), problems_(problems) {}

  void check(std::string_view name, std::vector<Frame>& stack, int depth) {
    if (depth > 8) {
      problems_.push_back(fmt::format("{}: partials nest too deeply", name));
      return;
    }
    auto source = template_source(name);
    if (!source) {
      problems_.push_back(fmt::format("{}: no such template", name));
      return;
    }
    check_source(name, *source, stack, depth);
  }

  void check_source(std::string_view name, std::string_view source, std::vector<Frame>& stack, int depth) {
    std::vector<std::string> open;  // section names, to match {{/x}}
    std::size_t base = stack.size();
    std::vector<bool> pushed;
    for (const Tag& tag : tags_of(source, name, problems_)) {
      switch (tag.sigil) {
        case '>':
          check("layout/" + tag.name, stack, depth + 1);
          break;
        case '/':
          if (open.empty() || open.back() != tag.name) {
            problems_.push_back(fmt::format("{}: {{{{/{}}}}} closes no open section", name, tag.name));
            return;
          }
          open.pop_back();
          if (pushed.back()) stack.pop_back();
          pushed.pop_back();
          break;
        case '#':
        case '^':
          open.push_back(tag.name);
          pushed.push_back(section(name, tag, stack));
          break;
        default:
          variable(name, tag, stack);
      }
    }
    if (!open.empty()) problems_.push_back(fmt::format("{}: section {} is not closed", name, open.back()));
    stack.resize(base);
  }

 private:
  std::optional<FieldSchema> lookup(std::string_view template_name, const std::string& field,
                                    const std::vector<Frame>& stack, std::string_view shown) {
    auto found = resolve(stack, field);
    if (!found && ambient_.contains(field)) return FieldSchema{FieldKind::kText, nullptr};
    if (!found) problems_.push_back(fmt::format("{}: {} reads \"{}\", which its view does not have", template_name, shown, field));
    return found;
  }

  void variable(std::string_view name, const Tag& tag, const std::vector<Frame>& stack) {
    std::string shown = tag.sigil == '{' ? "{{{" + tag.name + "}}}" : "{{" + std::string(tag.sigil == '&' ? "&" : "") + tag.name + "}}";
    if (tag.name == ".") {
      if (stack.empty() || stack.back().schema != nullptr) {
        problems_.push_back(fmt::format("{}: {{{{.}}}} outside a list of texts", name));
      }
      return;
    }
    auto field = lookup(name, tag.name, stack, shown);
    if (!field) return;
    bool unescaped = tag.sigil == '{' || tag.sigil == '&';
    if (unescaped && field->kind != FieldKind::kHtml) {
      problems_.push_back(fmt::format("{}: {} prints \"{}\" unescaped; only Html fields may be", name, shown, tag.name));
    } else if (!unescaped && field->kind == FieldKind::kHtml) {
      problems_.push_back(fmt::format("{}: {} escapes the Html field \"{}\" again", name, shown, tag.name));
    } else if (field->kind != FieldKind::kText && field->kind != FieldKind::kOptionalText &&
               field->kind != FieldKind::kHtml) {
      problems_.push_back(fmt::format("{}: {} prints \"{}\", which is not text", name, shown, tag.name));
    }
  }

  // Returns whether the section pushed a frame.
  bool section(std::string_view name, const Tag& tag, std::vector<Frame>& stack) {
    std::string shown = fmt::format("{{{{{}{}}}}}", tag.sigil, tag.name);
    auto field = lookup(name, tag.name, stack, shown);
    if (!field) return false;
    if (field->kind == FieldKind::kText || field->kind == FieldKind::kHtml) {
      problems_.push_back(fmt::format(
          "{}: {} tests the plain text \"{}\", which is always true; make it std::optional<std::string>", name, shown,
          tag.name));
      return false;
    }
    if (tag.sigil == '^') return false;
    switch (field->kind) {
      case FieldKind::kObject:
      case FieldKind::kOptionalObject:
      case FieldKind::kList:
        stack.push_back(Frame{field->schema.get()});
        return true;
      case FieldKind::kTextList:
        stack.push_back(Frame{nullptr});
        return true;
      default:
        return false;
    }
  }

  const std::set<std::string, std::less<>>& ambient_;
  std::vector<std::string>& problems_;
};

}  // namespace

std::vector<std::string> check_template(std::string_view name, const Schema& schema,
                                        const std::set<std::string, std::less<>>& ambient) {
  std::vector<std::string> problems;
  // Partials are handed to kainjow as data keys of the same name ({{> pagination}} is the key
  // "pagination"), so a field by that name would replace the partial, or the partial the field.
  for (std::string_view partial : template_names()) {
    if (!partial.starts_with("layout/")) continue;
    std::string key(partial.substr(7));
    if (schema.fields.contains(key)) {
      problems.push_back(fmt::format("{}: the field \"{}\" has the name of the partial layout/{}", name, key, key));
    }
  }
  std::vector<Frame> stack{Frame{&schema}};
  Checker(ambient, problems).check(name, stack, 0);
  return problems;
}

std::vector<std::string> check_template_source(std::string_view label, std::string_view source, const Schema& schema,
                                               const std::set<std::string, std::less<>>& ambient) {
  std::vector<std::string> problems;
  std::vector<Frame> stack{Frame{&schema}};
  Checker(ambient, problems).check_source(label, source, stack, 0);
  return problems;
}

}  // namespace kakehashi::web
