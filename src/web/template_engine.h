// The Mustache renderer behind render_template (issue 24): templates are parsed once per process
// into a tree shared by all threads, partials are resolved when parsing, and rendering appends
// to one string. Output is byte for byte kainjow's (same standalone-line rule, same escaping);
// tests/unit/web/template_engine_test.cpp compares the two.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "web/templates.h"

namespace kakehashi::web {

struct CompiledTemplate;

// Parses `source`; `{{> x}}` refers to templates/layout/x. Throws std::runtime_error when the
// template is malformed.
std::shared_ptr<const CompiledTemplate> compile_template(std::string_view label, std::string_view source);
std::string render_compiled(const CompiledTemplate& compiled, const View& data);

}  // namespace kakehashi::web
