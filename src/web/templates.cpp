#include "web/templates.h"

#include <map>
#include <stdexcept>

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

// Parsed templates per thread: kainjow's render is not const, so threads never share one.
kainjow::mustache::mustache& parsed(std::string_view name) {
  thread_local std::map<std::string, kainjow::mustache::mustache, std::less<>> cache;
  if (auto it = cache.find(name); it != cache.end()) return it->second;
  const auto* source = find_source(name);
  if (!source) throw std::out_of_range("unknown template " + std::string(name));
  kainjow::mustache::mustache compiled{std::string(source->text)};
  if (!compiled.is_valid()) throw std::runtime_error("template " + std::string(name) + ": " + compiled.error_message());
  return cache.emplace(std::string(name), std::move(compiled)).first->second;
}

}  // namespace

std::string render_template(std::string_view name, View data) {
  // Partials only for templates that use them ({{> name}}): most pages render without.
  const auto* source = find_source(name);
  if (source && source->text.find("{{>") != std::string_view::npos) {
    for (std::size_t i = 0; i < generated::kTemplateCount; ++i) {
      std::string_view partial_name = generated::kTemplates[i].name;
      if (!partial_name.starts_with("layout/")) continue;
      std::string_view text = generated::kTemplates[i].text;  // static storage
      data.set(std::string(partial_name.substr(7)), kainjow::mustache::partial{[text] { return std::string(text); }});
    }
  }
  return parsed(name).render(data);
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
