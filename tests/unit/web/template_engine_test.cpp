// The compiled renderer (src/web/template_engine.h) against kainjow's own rendering, byte for
// byte: hand-written cases for the standalone-line rule, escaping, lists and dotted names, then
// every template of the site with several fillings of its names.
#include "web/template_engine.h"

#include <gtest/gtest.h>

#include <set>

namespace kakehashi::web {
namespace {

// What kainjow renders, with the layout partials handed over as data as the old path did.
std::string kainjow_render(std::string_view source, View data) {
  if (source.find("{{>") != std::string_view::npos) {
    for (std::string_view name : template_names()) {
      if (!name.starts_with("layout/")) continue;
      std::string text(*template_source(name));
      data.set(std::string(name.substr(7)), kainjow::mustache::partial{[text] { return text; }});
    }
  }
  kainjow::mustache::mustache compiled{std::string(source)};
  EXPECT_TRUE(compiled.is_valid()) << compiled.error_message();
  return compiled.render(data);
}

std::string ours(std::string_view source, const View& data) {
  return render_compiled(*compile_template("test", source), data);
}

TEST(TemplateEngine, MatchesKainjowOnHandWrittenCases) {
  View item{View::type::object};
  item.set("name", std::string("<b>&'\""));
  item.set("flag", true);
  ViewList items;
  items.push_back(item);
  items.push_back(item);
  View nested{View::type::object};
  nested.set("inner", std::string("深い"));
  View data{View::type::object};
  data.set("title", std::string("題 <x>"));
  data.set("items", items);
  data.set("empty", ViewList{});
  data.set("off", false);
  data.set("on", true);
  data.set("obj", nested);
  data.set("html", std::string("<p>raw</p>"));
  ViewList texts;
  texts.push_back(View(std::string("a")));
  texts.push_back(View(std::string("b<")));
  data.set("texts", texts);
  const char* cases[] = {
      "plain text\nline two\r\nthree",
      "<h1>{{title}}</h1>\n{{{html}}} {{& html}}\n",
      "<ul>\n  {{#items}}\n  <li>{{name}}{{#flag}} on{{/flag}}</li>\n  {{/items}}\n</ul>\n",
      "{{^empty}}\n  none\n{{/empty}}\n{{#empty}}never{{/empty}}\n",
      "{{#off}}x{{/off}}{{^off}}y{{/off}}\n  {{#on}}  \n\t{{/on}}\nend",
      "{{obj.inner}} {{#obj}}{{inner}} {{title}}{{/obj}} {{missing}} {{missing.x}}\n",
      "{{#texts}}<i>{{.}}</i>{{/texts}}\n{{! a comment }}\n  {{! standalone comment }}\nafter",
      "a {{#items}}{{name}}{{/items}} b\n{{#items}}\n{{/items}}\nc",
      "   {{#on}}\n   indented\n   {{/on}}\n",
      "{{ title }}{{{ html }}}{{#  on  }}z{{/  on  }}",
      "{{> pagination}}\ntail",
      "no newline at end {{title}}",
  };
  for (const char* source : cases) EXPECT_EQ(ours(source, data), kainjow_render(source, data)) << source;
}

// The names a template reads (without sigils), to fill them in several ways.
std::set<std::string> names_in(std::string_view source) {
  std::set<std::string> names;
  for (std::size_t at = 0; (at = source.find("{{", at)) != std::string_view::npos;) {
    std::size_t end = source.find("}}", at);
    if (end == std::string_view::npos) break;
    std::string_view inner = source.substr(at + 2, end - at - 2);
    at = end + 2;
    // A partial's name is never a field (views_test checks it): kainjow would render the field.
    if (inner.starts_with('>')) continue;
    while (!inner.empty() && std::string_view("{#^/&! ").find(inner.front()) != std::string_view::npos) inner.remove_prefix(1);
    while (!inner.empty() && (inner.back() == ' ' || inner.back() == '}')) inner.remove_suffix(1);
    if (!inner.empty() && inner != ".") names.insert(std::string(inner.substr(0, inner.find('.'))));
  }
  return names;
}

// Fillings of `names` in four ways (text, a list of two, a flag, an object) rotated so that every
// name takes every kind once, and an empty object.
std::vector<View> fillings_of(const std::set<std::string>& names) {
  View leaf{View::type::object};
  for (const auto& name : names) leaf.set(name, std::string("値<&>\"'" + name));
  ViewList two;
  two.push_back(leaf);
  two.push_back(leaf);
  std::vector<View> fillings;
  for (int mode = 0; mode < 4; ++mode) {
    View data{View::type::object};
    int i = 0;
    for (const auto& name : names) {
      switch ((i++ + mode) % 4) {
        case 0: data.set(name, std::string("文字<&>'\"" + name)); break;
        case 1: data.set(name, two); break;
        case 2: data.set(name, mode % 2 == 0); break;
        default: data.set(name, leaf); break;
      }
    }
    fillings.push_back(std::move(data));
  }
  fillings.emplace_back(View::type::object);
  return fillings;
}

// Each template is filled with its own names and those of the layout partials it may include:
// a filling with every name of the site grew quadratically with the site (minutes per run).
TEST(TemplateEngine, MatchesKainjowOnEveryTemplate) {
  std::set<std::string> partial_names;
  for (std::string_view name : template_names()) {
    if (name.starts_with("layout/")) partial_names.merge(names_in(*template_source(name)));
  }
  for (std::string_view name : template_names()) {
    std::string_view source = *template_source(name);
    std::set<std::string> names = names_in(source);
    if (source.find("{{>") != std::string_view::npos) names.insert(partial_names.begin(), partial_names.end());
    for (const View& data : fillings_of(names)) ASSERT_EQ(ours(source, data), kainjow_render(source, data)) << name;
  }
}

}  // namespace
}  // namespace kakehashi::web
