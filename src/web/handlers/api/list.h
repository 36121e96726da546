// The convention of every /api/v1 list (docs/user-guide/api.md, "一覧とページ"):
//   GET /api/v1/things?page=2&per_page=100
//   200 {"items":[…],"page":2,"per_page":100,"total":345}
//   Link: </api/v1/things?page=1&per_page=100>; rel="first", <…page=1…>; rel="prev",
//         <…page=3…>; rel="next", <…page=4…>; rel="last"
// page starts at 1 (default 1); per_page is 1 to 200 (default 50); anything else is 400 with the
// JSON error body. A page past the end answers 200 with no items. Other query parameters (filters)
// are kept in the links. In a handler:
//   auto page = api_page(request);
//   if (!page) return app.error(request, http::status::bad_request, page.error().message);
//   auto total = service::count(..., scope);                     // what the holder may see
//   auto rows = service::list(..., scope, page->per_page, page->offset());
//   boost::json::array items; for (…) items.push_back(to_json(row));
//   return api_list(request, *page, *total, std::move(items));
// In the module's openapi.json: parameters [{"$ref": "#/components/parameters/page"},
// {"$ref": "#/components/parameters/per_page"}], the 200 schema allOf [{"$ref":
// "#/components/schemas/Page"}, {items: your item schema}] and headers {"Link": {"$ref":
// "#/components/headers/Link"}}.
#pragma once

#include <cstdint>
#include <string>

#include <boost/json.hpp>

#include "base/result.h"
#include "web/http.h"

namespace kakehashi::web {

inline constexpr int kApiDefaultPerPage = 50;
inline constexpr int kApiMaxPerPage = 200;

struct ApiPage {
  int page = 1;
  int per_page = kApiDefaultPerPage;
  std::int64_t offset() const { return static_cast<std::int64_t>(page - 1) * per_page; }
};

// ?page= and ?per_page= of the request; an invalid value is an invalid-argument error whose
// message (Japanese) names the parameter.
[[nodiscard]] Result<ApiPage> api_page(const Request& request);

// The Link header value for `page` of `total` items at request.path (other query parameters kept),
// or empty when there is nothing to link (one page, or no items).
std::string api_link_header(const Request& request, const ApiPage& page, std::int64_t total);

// 200 with the envelope {items, page, per_page, total} and the Link header.
Response api_list(const Request& request, const ApiPage& page, std::int64_t total, boost::json::array items);

}  // namespace kakehashi::web
