// The OpenAPI 3.1 document served at /api/v1/openapi.json. Each module describes its own /api/v1
// endpoints in src/web/handlers/<module>/openapi*.json (one or more files next to its handlers,
// e.g. operations/openapi_operators.json), compiled in (src/web/CMakeLists.txt):
//   - handlers/api/openapi.json is the base: openapi, info, security, the shared components
//     (bearerAuth, Error, Page, the page/per_page/id parameters, the 401/403/404 responses) and
//     the paths of the api module itself;
//   - any other module's fragment holds only "paths" and "components" (schemas, parameters,
//     responses, headers), and may refer to the base's components ("#/components/schemas/Page").
// A path or component defined twice is an error (tests/unit/web/openapi_test.cpp checks the
// merge, that every $ref resolves, and that the paths are exactly the /api/v1 routes).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "base/result.h"

namespace kakehashi::web {

struct OpenApiFragmentText {
  std::string_view module;  // "<module>/<file stem>", e.g. "operations/openapi_operators"
  std::string_view text;
};

// The fragments compiled into the binary, the base ("api/openapi") first.
std::vector<OpenApiFragmentText> openapi_fragments();

// Merges `fragments` (the first is the base); an invalid fragment or a duplicate names the module.
[[nodiscard]] Result<boost::json::object> merge_openapi(const std::vector<OpenApiFragmentText>& fragments);

// The merged document of the compiled fragments, serialized once (an internal error when the
// fragments do not merge: the test suite keeps that from shipping).
[[nodiscard]] const Result<std::string>& openapi_json();

}  // namespace kakehashi::web
