#include "web/handlers/api/openapi.h"

#include <fmt/format.h>

#include <algorithm>

namespace kakehashi::web {

namespace generated {
struct OpenApiFragment {
  std::string_view module;
  std::string_view text;
};
extern const OpenApiFragment kOpenApiFragments[];
extern const std::size_t kOpenApiFragmentCount;
}  // namespace generated

namespace {

constexpr std::string_view kBase = "api/openapi";
constexpr std::string_view kComponentKinds[] = {"schemas", "parameters", "responses", "headers", "securitySchemes"};

Result<boost::json::object> parse_fragment(const OpenApiFragmentText& fragment) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(fragment.text, ec);
  if (ec || !value.is_object()) {
    return fail(Error::internal(fmt::format("handlers/{}.json is no JSON object", fragment.module)));
  }
  return std::move(value.as_object());
}

}  // namespace

std::vector<OpenApiFragmentText> openapi_fragments() {
  std::vector<OpenApiFragmentText> out;
  for (std::size_t i = 0; i < generated::kOpenApiFragmentCount; ++i) {
    out.push_back({generated::kOpenApiFragments[i].module, generated::kOpenApiFragments[i].text});
  }
  std::stable_partition(out.begin(), out.end(), [](const auto& f) { return f.module == kBase; });
  return out;
}

Result<boost::json::object> merge_openapi(const std::vector<OpenApiFragmentText>& fragments) {
  if (fragments.empty()) return fail(Error::internal("no OpenAPI fragment"));
  auto base = parse_fragment(fragments.front());
  if (!base) return base;
  boost::json::object document = std::move(*base);
  if (!document["paths"].is_object()) document["paths"] = boost::json::object{};
  if (!document["components"].is_object()) document["components"] = boost::json::object{};
  boost::json::object& paths = document["paths"].as_object();
  boost::json::object& components = document["components"].as_object();
  for (std::size_t i = 1; i < fragments.size(); ++i) {
    const auto& module = fragments[i].module;
    auto fragment = parse_fragment(fragments[i]);
    if (!fragment) return fragment;
    for (const auto& [key, value] : *fragment) {
      if (key != "paths" && key != "components") {
        return fail(Error::internal(fmt::format("handlers/{}.json: only paths and components, not {}", module,
                                                std::string_view(key))));
      }
      if (!value.is_object()) return fail(Error::internal(fmt::format("handlers/{}.json: {} is no object", module, std::string_view(key))));
    }
    if (const auto* more = fragment->if_contains("paths")) {
      for (const auto& [path, item] : more->as_object()) {
        if (paths.contains(path)) {
          return fail(Error::internal(fmt::format("handlers/{}.json: path {} is described twice", module,
                                                  std::string_view(path))));
        }
        paths[path] = item;
      }
    }
    if (const auto* more = fragment->if_contains("components")) {
      for (const auto& [kind, entries] : more->as_object()) {
        if (std::ranges::find(kComponentKinds, std::string_view(kind)) == std::end(kComponentKinds) ||
            !entries.is_object()) {
          return fail(Error::internal(fmt::format("handlers/{}.json: unknown components.{}", module,
                                                  std::string_view(kind))));
        }
        if (!components[kind].is_object()) components[kind] = boost::json::object{};
        boost::json::object& target = components[kind].as_object();
        for (const auto& [name, entry] : entries.as_object()) {
          if (target.contains(name)) {
            return fail(Error::internal(fmt::format("handlers/{}.json: components.{}.{} is defined twice",
                                                    module, std::string_view(kind), std::string_view(name))));
          }
          target[name] = entry;
        }
      }
    }
  }
  return document;
}

const Result<std::string>& openapi_json() {
  static const Result<std::string> text = []() -> Result<std::string> {
    auto document = merge_openapi(openapi_fragments());
    if (!document) return fail(document.error());
    return boost::json::serialize(*document);
  }();
  return text;
}

}  // namespace kakehashi::web
