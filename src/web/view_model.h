// Typed views. Each screen fills one struct and `to_view` turns it into Mustache data, so a
// template can only print what its struct declares. A struct is a view when it lists its fields:
//
//   struct ReviewerRow {
//     std::string name;
//     std::int64_t assigned = 0;
//     bool late = false;
//     std::optional<std::string> note;  // a {{#note}}…{{/note}} section shows only when set
//     void fields(auto& f) const { f("name", name); f("assigned", assigned); f("late", late); f("note", note); }
//   };
//
// Field types and what a template may do with them:
//   std::string, integers       {{x}} (plain text is always "true" in kainjow, so no section)
//   std::optional<std::string>  {{x}}, {{#x}}, {{^x}}
//   bool                        {{#x}}, {{^x}}
//   Html                        {{{x}}} only (content we rendered and escaped ourselves)
//   a view struct V             {{#x}} enters V;  std::optional<V> also {{^x}}
//   std::vector<V>              {{#x}} once per element, {{^x}} when empty
//   std::vector<std::string>    {{#x}}{{.}}{{/x}}
// `check_template` proves a template uses nothing else (tests/unit/web/views_test.cpp walks
// every template with the schema of its struct).
#pragma once

#include <concepts>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "web/templates.h"

namespace kakehashi::web {

// HTML we rendered ourselves (a page's content inside the layout); the only thing a template
// may print unescaped.
struct Html {
  std::string html;
};

enum class FieldKind { kText, kOptionalText, kFlag, kHtml, kObject, kOptionalObject, kList, kTextList };

struct Schema;
struct FieldSchema {
  FieldKind kind = FieldKind::kText;
  std::shared_ptr<const Schema> schema;  // kObject, kOptionalObject, kList
};
struct Schema {
  std::map<std::string, FieldSchema, std::less<>> fields;
};

namespace view_detail {
class Builder;
class SchemaBuilder;
}  // namespace view_detail

template <class T>
concept ViewStruct = std::default_initializable<T> && requires(const T& t, view_detail::Builder& b,
                                                                 view_detail::SchemaBuilder& s) {
  t.fields(b);
  t.fields(s);
};

template <ViewStruct T>
View to_view(const T& value);
template <ViewStruct T>
std::shared_ptr<const Schema> schema_of();

namespace view_detail {

template <class T>
concept Integer = std::integral<T> && !std::same_as<T, bool> && !std::same_as<T, char>;

// Fills a kainjow object from a struct's fields.
class Builder {
 public:
  View view{View::type::object};

  void operator()(const char* name, const std::string& v) { view.set(name, v); }
  void operator()(const char* name, const char* v) = delete;  // would silently become a bool
  void operator()(const char* name, bool v) { view.set(name, v); }
  template <Integer I>
  void operator()(const char* name, I v) {
    view.set(name, std::to_string(v));
  }
  void operator()(const char* name, const Html& v) { view.set(name, v.html); }
  void operator()(const char* name, const std::optional<std::string>& v) {
    if (v) {
      view.set(name, *v);
    } else {
      view.set(name, false);
    }
  }
  void operator()(const char* name, const std::vector<std::string>& v) {
    View list{View::type::list};
    ViewList& items = list_of(list);
    items.reserve(v.size());
    for (const auto& text : v) items.emplace_back(text);
    view[name] = std::move(list);
  }
  // Nested views and lists are moved into place, never copied (issue 24: a page's lists were
  // deep-copied once per level).
  template <ViewStruct T>
  void operator()(const char* name, const T& v) {
    view[name] = to_view(v);
  }
  template <ViewStruct T>
  void operator()(const char* name, const std::optional<T>& v) {
    if (v) {
      view[name] = to_view(*v);
    } else {
      view.set(name, false);
    }
  }
  template <ViewStruct T>
  void operator()(const char* name, const std::vector<T>& v) {
    View list{View::type::list};
    ViewList& items = list_of(list);
    items.reserve(v.size());
    for (const auto& item : v) items.push_back(to_view(item));
    view[name] = std::move(list);
  }

 private:
  // kainjow offers only push_back(const&) (a copy) on a list; the list itself is not const.
  static ViewList& list_of(View& list) { return const_cast<ViewList&>(list.list_value()); }
};

// Records what kind each field is, recursing into element types.
class SchemaBuilder {
 public:
  Schema schema;

  void operator()(const char* name, const std::string&) { add(name, FieldKind::kText); }
  void operator()(const char* name, const char* v) = delete;
  void operator()(const char* name, bool) { add(name, FieldKind::kFlag); }
  template <Integer I>
  void operator()(const char* name, I) {
    add(name, FieldKind::kText);
  }
  void operator()(const char* name, const Html&) { add(name, FieldKind::kHtml); }
  void operator()(const char* name, const std::optional<std::string>&) { add(name, FieldKind::kOptionalText); }
  void operator()(const char* name, const std::vector<std::string>&) { add(name, FieldKind::kTextList); }
  template <ViewStruct T>
  void operator()(const char* name, const T&) {
    add(name, FieldKind::kObject, schema_of<T>());
  }
  template <ViewStruct T>
  void operator()(const char* name, const std::optional<T>&) {
    add(name, FieldKind::kOptionalObject, schema_of<T>());
  }
  template <ViewStruct T>
  void operator()(const char* name, const std::vector<T>&) {
    add(name, FieldKind::kList, schema_of<T>());
  }

 private:
  void add(const char* name, FieldKind kind, std::shared_ptr<const Schema> nested = nullptr);
};

}  // namespace view_detail

template <ViewStruct T>
View to_view(const T& value) {
  view_detail::Builder builder;
  value.fields(builder);
  return std::move(builder.view);
}

template <ViewStruct T>
std::shared_ptr<const Schema> schema_of() {
  view_detail::SchemaBuilder builder;
  T sample{};
  sample.fields(builder);
  return std::make_shared<const Schema>(std::move(builder.schema));
}

// Every way the template `name` (and the layout partials it includes) reads data that `schema`
// does not declare or uses a field against its kind, one message each ("call/review_score:
// {{totl}} is not a field"). `ambient` names keys the page sets on every content view
// (csrf_token). Empty when the template is sound.
std::vector<std::string> check_template(std::string_view name, const Schema& schema,
                                        const std::set<std::string, std::less<>>& ambient = {"csrf_token"});

// The same for template text not among the embedded templates (`label` names it in messages).
std::vector<std::string> check_template_source(std::string_view label, std::string_view source, const Schema& schema,
                                               const std::set<std::string, std::less<>>& ambient = {"csrf_token"});

}  // namespace kakehashi::web
