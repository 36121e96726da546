// Mustache views compiled into the binary from templates/<module>/<name>.mustache. Values are
// HTML-escaped unless a template uses {{{triple}}} (only the layout does, for rendered content).
#pragma once

#include <kainjow/mustache.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kakehashi::web {

using View = kainjow::mustache::data;
using ViewList = kainjow::mustache::list;

// Sets `key` only when `value` is not empty. kainjow's Mustache treats an empty string as true,
// so a {{#key}}…{{/key}} section around optional text must not see one: use this for every
// optional text a template tests with a section.
inline void set_text(View& view, const std::string& key, const std::string& value) {
  if (!value.empty()) view.set(key, value);
}

// Renders the template `name` ("auth/login") with `data`. Templates in templates/layout/ are
// available to all as partials by their base name ({{> pagination}}). An unknown name is a bug:
// it throws std::out_of_range.
std::string render_template(std::string_view name, View data);

// True when the template exists (for tests).
bool has_template(std::string_view name);
// The source of the template `name`, or nullopt.
std::optional<std::string_view> template_source(std::string_view name);
// Every template's name, sorted ("auth/login", "layout/page" …).
std::vector<std::string_view> template_names();

}  // namespace kakehashi::web
