// The OpenAPI document of /api/v1 (web/handlers/api/openapi.h): it describes exactly the /api/v1
// routes the application registers, and it holds together as OpenAPI 3.1 (the required fields,
// every $ref resolves, path parameters declared, public routes and only those without security).
// A module that adds an /api/v1 route without describing it in its openapi.json fails here.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <string>

#include "db/migrate.h"
#include "support/result.h"
#include "support/temp_dir.h"
#include "web/app.h"
#include "web/handlers/api/openapi.h"

namespace kakehashi::web {
namespace {

const std::set<std::string> kMethods{"get", "put", "post", "delete", "options", "head", "patch", "trace"};

boost::json::object document() {
  auto merged = merge_openapi(openapi_fragments());
  EXPECT_OK(merged);
  return merged ? *merged : boost::json::object{};
}

// The value at a local JSON pointer ("#/components/schemas/Error"), or nullptr.
const boost::json::value* resolve(const boost::json::value& root, const std::string& ref) {
  if (!ref.starts_with("#/")) return nullptr;
  boost::system::error_code ec;
  const boost::json::value* found = root.find_pointer(ref.substr(1), ec);
  return ec ? nullptr : found;
}

void collect_refs(const boost::json::value& value, const std::string& where, std::vector<std::pair<std::string, std::string>>& refs) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.as_object()) {
      if (key == "$ref" && child.is_string()) refs.emplace_back(where, std::string(child.as_string()));
      collect_refs(child, where + "/" + std::string(key), refs);
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.as_array().size(); ++i) collect_refs(value.as_array()[i], where + "/" + std::to_string(i), refs);
  }
}

TEST(OpenApi, EveryApiRouteIsDescribedAndEveryDescribedOperationIsARoute) {
  testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto database, db::open_sqlite(dir.file("o.db")));
  ASSERT_TRUE(db::migrate(*database));
  FixedClock clock(std::chrono::sys_days{std::chrono::December / 3 / 2026});
  AppConfig config;
  config.quarantine_dir = dir.path() / "quarantine";
  Application app(*database, clock, config);
  register_routes(app);

  boost::json::object doc = document();
  const boost::json::object& paths = doc.at("paths").as_object();
  std::set<std::string> routes;
  for (const Route& route : app.router().routes()) {
    if (!route.pattern.starts_with("/api/v1/")) continue;
    std::string method(http::to_string(route.method));
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    routes.insert(method + " " + route.pattern);
    const auto* item = paths.if_contains(route.pattern);
    ASSERT_TRUE(item && item->is_object()) << route.pattern << " is not in any handlers/<module>/openapi*.json";
    const auto* operation = item->as_object().if_contains(method);
    ASSERT_TRUE(operation && operation->is_object()) << method << " " << route.pattern << " is not described";
    // Public routes and only they say "security": [] (no token needed).
    const auto* security = operation->as_object().if_contains("security");
    bool open = security && security->is_array() && security->as_array().empty();
    EXPECT_EQ(open, route.options.public_route) << route.pattern << ": security [] exactly when the route is public";
  }
  EXPECT_TRUE(routes.contains("get /api/v1/me"));
  EXPECT_TRUE(routes.contains("get /api/v1/openapi.json"));
  for (const auto& [path, item] : paths) {
    for (const auto& [method, operation] : item.as_object()) {
      if (!kMethods.contains(std::string(method))) continue;
      EXPECT_TRUE(routes.contains(std::string(method) + " " + std::string(path)))
          << method << " " << path << " is described but no such route is registered";
    }
  }
}

TEST(OpenApi, TheDocumentIsStructurallyValidOpenApi31) {
  boost::json::object doc = document();
  boost::json::value root = doc;
  ASSERT_TRUE(doc.contains("openapi") && doc.at("openapi").is_string());
  EXPECT_TRUE(std::string(doc.at("openapi").as_string()).starts_with("3.1.")) << doc.at("openapi");
  ASSERT_TRUE(doc.contains("info") && doc.at("info").is_object());
  EXPECT_TRUE(doc.at("info").as_object().at("title").is_string());
  EXPECT_TRUE(doc.at("info").as_object().at("version").is_string());
  ASSERT_TRUE(doc.at("paths").is_object());
  const auto& schemes = doc.at("components").as_object().at("securitySchemes").as_object();
  EXPECT_EQ(schemes.at("bearerAuth").as_object().at("type"), "http");
  EXPECT_EQ(schemes.at("bearerAuth").as_object().at("scheme"), "bearer");

  auto check_security = [&](const boost::json::value& security, const std::string& where) {
    ASSERT_TRUE(security.is_array()) << where;
    for (const auto& requirement : security.as_array()) {
      for (const auto& [name, scopes] : requirement.as_object()) {
        EXPECT_TRUE(schemes.contains(name)) << where << " names an unknown security scheme " << name;
        EXPECT_TRUE(scopes.is_array()) << where;
      }
    }
  };
  check_security(doc.at("security"), "security");

  std::set<std::string> operation_ids;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    std::string where(path);
    EXPECT_TRUE(where.starts_with("/api/v1/")) << where;
    ASSERT_TRUE(item.is_object()) << where;
    // Path parameters: every {name} of the template, declared in: path and required.
    std::set<std::string> templated;
    static const std::regex kParameter(R"(\{([^}]+)\})");
    for (std::sregex_iterator it(where.begin(), where.end(), kParameter), end; it != end; ++it) templated.insert((*it)[1]);
    for (const auto& [method, operation] : item.as_object()) {
      if (!kMethods.contains(std::string(method))) continue;
      std::string op = std::string(method) + " " + where;
      ASSERT_TRUE(operation.is_object()) << op;
      const auto& o = operation.as_object();
      ASSERT_TRUE(o.contains("responses") && o.at("responses").is_object() && !o.at("responses").as_object().empty()) << op;
      for (const auto& [status, response] : o.at("responses").as_object()) {
        std::string code(status);
        EXPECT_TRUE(std::regex_match(code, std::regex("[1-5][0-9][0-9]|[1-5]XX|default"))) << op << " " << code;
        EXPECT_TRUE(response.is_object()) << op;
        if (!response.as_object().contains("$ref")) {
          EXPECT_TRUE(response.as_object().contains("description")) << op << " " << code;
        }
      }
      ASSERT_TRUE(o.contains("operationId")) << op;
      EXPECT_TRUE(operation_ids.insert(std::string(o.at("operationId").as_string())).second) << "operationId twice: " << op;
      if (o.contains("security")) check_security(o.at("security"), op);
      std::set<std::string> declared;
      std::vector<const boost::json::value*> parameters;
      for (const auto* list : {item.as_object().if_contains("parameters"), o.if_contains("parameters")}) {
        if (!list) continue;
        ASSERT_TRUE(list->is_array()) << op;
        for (const auto& parameter : list->as_array()) parameters.push_back(&parameter);
      }
      for (const auto* parameter : parameters) {
        const boost::json::value* p = parameter;
        if (p->as_object().contains("$ref")) p = resolve(root, std::string(p->as_object().at("$ref").as_string()));
        ASSERT_TRUE(p && p->is_object()) << op << ": a parameter does not resolve";
        const auto& po = p->as_object();
        ASSERT_TRUE(po.contains("name") && po.contains("in")) << op;
        if (po.at("in") == "path") {
          EXPECT_EQ(po.if_contains("required") ? po.at("required") : boost::json::value(false), boost::json::value(true))
              << op << ": a path parameter must be required";
          declared.insert(std::string(po.at("name").as_string()));
        }
      }
      EXPECT_EQ(declared, templated) << op << ": the path parameters declared and those in the path differ";
    }
  }
  std::vector<std::pair<std::string, std::string>> refs;
  collect_refs(root, "", refs);
  EXPECT_GT(refs.size(), 5u);
  for (const auto& [where, ref] : refs) EXPECT_NE(resolve(root, ref), nullptr) << where << ": $ref " << ref << " does not resolve";
}

TEST(OpenApi, AModuleFragmentAddsPathsAndComponentsButNeverRedefinesOne) {
  std::vector<OpenApiFragmentText> fragments = openapi_fragments();
  ASSERT_FALSE(fragments.empty());
  EXPECT_EQ(fragments.front().module, "api/openapi");
  auto with = [&](std::string_view text) {
    auto list = fragments;
    list.push_back({"example/openapi", text});
    return merge_openapi(list);
  };
  ASSERT_OK_AND_ASSIGN(auto merged, with(R"({"paths": {"/api/v1/examples": {"get": {"operationId": "listExamples",
      "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Example"}}}}}}}},
      "components": {"schemas": {"Example": {"type": "object"}}}})"));
  EXPECT_TRUE(merged.at("paths").as_object().contains("/api/v1/examples"));
  EXPECT_TRUE(merged.at("paths").as_object().contains("/api/v1/me"));
  EXPECT_TRUE(merged.at("components").as_object().at("schemas").as_object().contains("Example"));
  EXPECT_TRUE(merged.at("components").as_object().at("schemas").as_object().contains("Error"));
  testing::ExpectError(with(R"({"paths": {"/api/v1/me": {}}})"), ErrorCode::kInternal,
                       "handlers/example/openapi.json: path /api/v1/me is described twice");
  testing::ExpectError(with(R"({"components": {"schemas": {"Error": {}}}})"), ErrorCode::kInternal,
                       "handlers/example/openapi.json: components.schemas.Error is defined twice");
  testing::ExpectError(with(R"({"info": {}})"), ErrorCode::kInternal,
                       "handlers/example/openapi.json: only paths and components, not info");
  testing::ExpectError(with("{"), ErrorCode::kInternal, "handlers/example/openapi.json is no JSON object");
  ASSERT_OK(openapi_json());
}

}  // namespace
}  // namespace kakehashi::web
