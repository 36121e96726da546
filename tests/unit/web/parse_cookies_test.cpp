#include "web/cookies.h"

#include <gtest/gtest.h>

#include "support/result.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::web {
namespace {

using namespace std::chrono_literals;

TEST(CookieHeader, ParsesPairsInOrderToleratingSpaces) {
  auto cookies = parse_cookie_header(" a=1;b=2 ;  c = 3\t; __Host-kk_session=abc==");
  ASSERT_OK(cookies);
  ASSERT_EQ(cookies->size(), 4u);
  EXPECT_EQ((*cookies)[0], (Cookie{"a", "1"}));
  EXPECT_EQ((*cookies)[1], (Cookie{"b", "2"}));
  EXPECT_EQ((*cookies)[2], (Cookie{"c", "3"}));
  EXPECT_EQ((*cookies)[3], (Cookie{"__Host-kk_session", "abc=="}));  // '=' inside the value
}

TEST(CookieHeader, QuotesEmptyValuesAndJunk) {
  auto cookies = parse_cookie_header("q=\"quoted\"; empty=; junk; =novalue; bad name=1; ;; x=\"");
  ASSERT_TRUE(cookies);
  ASSERT_EQ(cookies->size(), 3u);
  EXPECT_EQ((*cookies)[0], (Cookie{"q", "quoted"}));
  EXPECT_EQ((*cookies)[1], (Cookie{"empty", ""}));
  EXPECT_EQ((*cookies)[2], (Cookie{"x", "\""}));  // a lone quote is not a quoted value
}

TEST(CookieHeader, EmptyHeader) {
  auto cookies = parse_cookie_header("");
  ASSERT_TRUE(cookies);
  EXPECT_TRUE(cookies->empty());
}

TEST(CookieHeader, FirstOfRepeatedNamesWins) {
  auto cookies = parse_cookie_header("sid=specific; sid=general");
  ASSERT_TRUE(cookies);
  EXPECT_EQ(find_cookie(*cookies, "sid"), "specific");
  EXPECT_EQ(find_cookie(*cookies, "none"), std::nullopt);
}

TEST(CookieHeader, Limits) {
  CookieLimits limits;
  limits.max_cookies = 2;
  limits.max_header_bytes = 20;
  EXPECT_TRUE(parse_cookie_header("a=1; b=2; junk", limits));
  ExpectError(parse_cookie_header("a=1; b=2; c=3", limits), ErrorCode::kInvalidArgument,
              "Cookie の数が上限（2）を超えています");
  ExpectError(parse_cookie_header(std::string(21, 'a'), limits), ErrorCode::kInvalidArgument,
              "Cookie ヘッダーが大きすぎます（上限 20 バイト）");
  std::string many;
  for (int i = 0; i < 51; ++i) many += "c" + std::to_string(i) + "=1;";
  ExpectError(parse_cookie_header(many), ErrorCode::kInvalidArgument, "Cookie の数が上限（50）を超えています");
}

TEST(SetCookieHeader, SessionCookieUnderTls) {
  SetCookie cookie{.name = "__Host-kk_session", .value = "q1w2e3", .secure = true};
  cookie.max_age = 3600s;
  EXPECT_EQ(build_set_cookie(cookie).value(),
            "__Host-kk_session=q1w2e3; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Lax");
}

TEST(SetCookieHeader, DefaultsAndVariants) {
  EXPECT_EQ(build_set_cookie({.name = "kk_session", .value = "v"}).value(),
            "kk_session=v; Path=/; HttpOnly; SameSite=Lax");
  SetCookie deletion{.name = "kk_session", .value = ""};
  deletion.max_age = 0s;
  deletion.same_site = SameSite::kStrict;
  EXPECT_EQ(build_set_cookie(deletion).value(),
            "kk_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
  SetCookie plain{.name = "pref", .value = "1", .path = "/app", .http_only = false};
  plain.same_site.reset();
  EXPECT_EQ(build_set_cookie(plain).value(), "pref=1; Path=/app");
  SetCookie cross{.name = "x", .value = "1", .secure = true, .same_site = SameSite::kNone};
  EXPECT_EQ(build_set_cookie(cross).value(), "x=1; Path=/; Secure; HttpOnly; SameSite=None");
}

TEST(SetCookieHeader, InjectionIsImpossible) {
  for (const char* value : {"a;b", "a b", "a\r\nSet-Cookie: x=1", "a,b", "a\"b", "a\\b", "日本"}) {
    auto built = build_set_cookie({.name = "n", .value = value});
    ASSERT_FALSE(built) << value;
    ExpectError(built, ErrorCode::kInvalidArgument, "Cookie の値に使えない文字が含まれています: n");
  }
  for (const char* name : {"", "a b", "a=b", "a;b", "a\n", "名前"}) {
    SCOPED_TRACE(name);
    ExpectError(build_set_cookie({.name = name, .value = "1"}), ErrorCode::kInvalidArgument,
                "Cookie の名前に使えない文字が含まれています");
  }
  ExpectError(build_set_cookie({.name = "n", .value = "1", .path = "/a;Domain=evil"}), ErrorCode::kInvalidArgument,
              "Cookie の Path に使えない文字が含まれています: n");
  ExpectError(build_set_cookie({.name = "n", .value = "1", .path = "/a\r\n"}), ErrorCode::kInvalidArgument,
              "Cookie の Path に使えない文字が含まれています: n");
  ExpectError(build_set_cookie({.name = "n", .value = "1", .path = "a"}), ErrorCode::kInvalidArgument,
              "Cookie の Path は / で始まる必要があります: n");
}

TEST(SetCookieHeader, PrefixAndSameSiteRules) {
  ExpectError(build_set_cookie({.name = "__Host-s", .value = "1"}), ErrorCode::kInvalidArgument,
              "__Host- で始まる Cookie には Secure が必要です: __Host-s");
  ExpectError(build_set_cookie({.name = "__Host-s", .value = "1", .path = "/app", .secure = true}),
              ErrorCode::kInvalidArgument, "__Host- で始まる Cookie の Path は / でなければなりません: __Host-s");
  ExpectError(build_set_cookie({.name = "__Secure-s", .value = "1"}), ErrorCode::kInvalidArgument,
              "__Secure- で始まる Cookie には Secure が必要です: __Secure-s");
  EXPECT_TRUE(build_set_cookie({.name = "__Secure-s", .value = "1", .path = "/app", .secure = true}));
  ExpectError(build_set_cookie({.name = "n", .value = "1", .same_site = SameSite::kNone}), ErrorCode::kInvalidArgument,
              "SameSite=None の Cookie には Secure が必要です: n");
  SetCookie negative{.name = "n", .value = "1"};
  negative.max_age = -1s;
  ExpectError(build_set_cookie(negative), ErrorCode::kInvalidArgument, "Cookie の Max-Age は 0 以上にしてください: n");
}

}  // namespace
}  // namespace kakehashi::web
