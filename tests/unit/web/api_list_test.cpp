// The list convention of /api/v1 (web/handlers/api/list.h): ?page=&per_page= with defaults and
// limits, the {items, page, per_page, total} envelope and the Link header.
#include "web/handlers/api/list.h"
#include "web/handlers/handlers.h"

#include <gtest/gtest.h>

#include "support/result.h"

namespace kakehashi::web {
namespace {

Request get(const std::string& target) {
  Request request;
  request.target = target;
  auto question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) request.query = target.substr(question + 1);
  return request;
}

std::string header(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

TEST(ApiList, PageAndPerPageHaveDefaultsAndLimits) {
  ASSERT_OK_AND_ASSIGN(auto defaults, api_page(get("/api/v1/things")));
  EXPECT_EQ(defaults.page, 1);
  EXPECT_EQ(defaults.per_page, 50);
  ASSERT_OK_AND_ASSIGN(auto chosen, api_page(get("/api/v1/things?per_page=200&page=3")));
  EXPECT_EQ(chosen.page, 3);
  EXPECT_EQ(chosen.per_page, 200);
  EXPECT_EQ(chosen.offset(), 400);
  for (const char* bad : {"page=0", "page=-1", "page=x", "page=1.5", "page=%201"}) {
    testing::ExpectError(api_page(get(std::string("/api/v1/things?") + bad)), ErrorCode::kInvalidArgument,
                         "page は 1 以上の整数で指定してください");
  }
  for (const char* bad : {"per_page=0", "per_page=201", "per_page=abc"}) {
    testing::ExpectError(api_page(get(std::string("/api/v1/things?") + bad)), ErrorCode::kInvalidArgument,
                         "per_page は 1〜200 の整数で指定してください");
  }
}

TEST(ApiList, TheEnvelopeCarriesThePageAndTheLinksKeepTheFilters) {
  Request request = get("/api/v1/things?block=kanto&page=2&per_page=10");
  ASSERT_OK_AND_ASSIGN(auto page, api_page(request));
  Response response = api_list(request, page, 35, boost::json::array{1, 2});
  EXPECT_EQ(response.status, http::status::ok);
  EXPECT_EQ(response.body, R"({"items":[1,2],"page":2,"per_page":10,"total":35})");
  EXPECT_EQ(header(response, "Link"),
            "</api/v1/things?block=kanto&page=1&per_page=10>; rel=\"first\", "
            "</api/v1/things?block=kanto&page=1&per_page=10>; rel=\"prev\", "
            "</api/v1/things?block=kanto&page=3&per_page=10>; rel=\"next\", "
            "</api/v1/things?block=kanto&page=4&per_page=10>; rel=\"last\"");
}

TEST(ApiList, OnePageHasNoLinksAndAPagePastTheEndIsEmpty) {
  Request one = get("/api/v1/things");
  EXPECT_EQ(header(api_list(one, *api_page(one), 3, {}), "Link"), "");
  Request past = get("/api/v1/things?page=9&per_page=10");
  Response response = api_list(past, *api_page(past), 12, {});
  EXPECT_EQ(response.body, R"({"items":[],"page":9,"per_page":10,"total":12})");
  EXPECT_EQ(header(response, "Link"),
            "</api/v1/things?page=1&per_page=10>; rel=\"first\", </api/v1/things?page=2&per_page=10>; rel=\"prev\", "
            "</api/v1/things?page=2&per_page=10>; rel=\"last\"");
}

}  // namespace
}  // namespace kakehashi::web

// The screens' page links (web/handlers/handlers.h): a filtered list keeps its filters.
namespace kakehashi::web {
namespace {

TEST(ScreenPagination, OnePageHasNoLinks) {
  EXPECT_FALSE(pagination("/admin/users", 1, 50, 0).has_value());
  EXPECT_FALSE(pagination("/admin/users", 1, 50, 50).has_value());
}

TEST(ScreenPagination, LinksJoinAQueryTheBaseAlreadyHas) {
  auto plain = pagination("/admin/users", 2, 50, 151);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->label, "2 / 4 ページ");
  EXPECT_EQ(plain->prev, "/admin/users?page=1");
  EXPECT_EQ(plain->next, "/admin/users?page=3");

  auto filtered = pagination("/operations/operators/3/projects?type=pbl&block=kanto", 1, 20, 41);
  ASSERT_TRUE(filtered.has_value());
  EXPECT_FALSE(filtered->prev.has_value());
  EXPECT_EQ(filtered->next, "/operations/operators/3/projects?type=pbl&block=kanto&page=2");
}

}  // namespace
}  // namespace kakehashi::web
