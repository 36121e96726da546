#include "web/form_urlencoded.h"

#include <gtest/gtest.h>

#include "support/result.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::web {
namespace {

TEST(FormUrlencoded, DecodesPairsInOrderWithRepeatedNames) {
  auto form = parse_form_urlencoded("b=2&a=1&b=3&c");
  ASSERT_OK(form);
  ASSERT_EQ(form->size(), 4u);
  EXPECT_EQ(form->fields()[0], (FormField{"b", "2"}));
  EXPECT_EQ(form->fields()[1], (FormField{"a", "1"}));
  EXPECT_EQ(form->fields()[3], (FormField{"c", ""}));
  EXPECT_EQ(*form->find("b"), "2");
  EXPECT_EQ(form->all("b"), (std::vector<std::string_view>{"2", "3"}));
  EXPECT_EQ(form->find("missing"), nullptr);
  EXPECT_TRUE(form->contains("c"));
}

TEST(FormUrlencoded, PercentEscapesPlusAndJapanese) {
  // What a browser sends for 事業名=かけはし 2026&memo=a+b%2Bc%26d%3De
  auto form = parse_form_urlencoded(
      "%E4%BA%8B%E6%A5%AD%E5%90%8D=%E3%81%8B%E3%81%91%E3%81%AF%E3%81%97+2026&memo=a+b%2Bc%26d%3De");
  ASSERT_OK(form);
  EXPECT_EQ(*form->find("事業名"), "かけはし 2026");
  EXPECT_EQ(*form->find("memo"), "a b+c&d=e");
}

TEST(FormUrlencoded, RawUtf8AndLowercaseHexAreAccepted) {
  auto form = parse_form_urlencoded("name=山田&x=%e3%81%82");
  ASSERT_TRUE(form);
  EXPECT_EQ(*form->find("name"), "山田");
  EXPECT_EQ(*form->find("x"), "あ");
}

TEST(FormUrlencoded, EmptyBodyAndEmptyPairs) {
  auto empty = parse_form_urlencoded("");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
  auto sparse = parse_form_urlencoded("&&a=1&&=&b==2&");
  ASSERT_TRUE(sparse);
  ASSERT_EQ(sparse->size(), 3u);
  EXPECT_EQ(sparse->fields()[1], (FormField{"", ""}));
  EXPECT_EQ(*sparse->find("b"), "=2");  // split on the first '=' only
}

TEST(FormUrlencoded, MalformedEscapesAreRefused) {
  for (const char* body : {"a=%", "a=%4", "a=%zz", "a=100%", "%G1=x"}) {
    auto form = parse_form_urlencoded(body);
    ASSERT_FALSE(form) << body;
    ExpectError(form, ErrorCode::kInvalidArgument, "フォームの送信内容に不正なパーセントエンコード（%XX）があります");
  }
}

TEST(FormUrlencoded, InvalidUtf8IsRefused) {
  // Shift_JIS bytes for 山 (0x8E 0x52), an overlong '/', a lone surrogate.
  for (const char* body : {"a=%8E%52", "a=%C0%AF", "%ED%A0%80=1", "a=\xff"}) {
    auto form = parse_form_urlencoded(body);
    ASSERT_FALSE(form) << body;
    ExpectError(form, ErrorCode::kInvalidArgument, "フォームの送信内容が UTF-8 ではありません");
  }
}

TEST(FormUrlencoded, LimitsAreEnforcedWithNamedValues) {
  FormLimits limits;
  limits.max_fields = 3;
  limits.max_name_bytes = 4;
  limits.max_value_bytes = 6;
  limits.max_body_bytes = 40;
  EXPECT_TRUE(parse_form_urlencoded("a=1&b=2&c=3", limits));
  ExpectError(parse_form_urlencoded("a=1&b=2&c=3&d=4", limits), ErrorCode::kInvalidArgument,
              "フォームの項目数が上限（3）を超えています");
  EXPECT_TRUE(parse_form_urlencoded("abcd=1", limits));
  ExpectError(parse_form_urlencoded("abcde=1", limits), ErrorCode::kInvalidArgument,
              "フォームの項目名が長すぎます（上限 4 バイト）");
  EXPECT_TRUE(parse_form_urlencoded("a=%E3%81%82%E3%81%84", limits));  // あい = 6 bytes
  ExpectError(parse_form_urlencoded("a=%E3%81%82%E3%81%84x", limits), ErrorCode::kInvalidArgument,
              "フォームの値が長すぎます（上限 6 バイト）");
  ExpectError(parse_form_urlencoded(std::string(41, 'a'), limits), ErrorCode::kInvalidArgument,
              "フォームの送信内容が大きすぎます（上限 40 バイト）");
}

TEST(FormUrlencoded, DefaultLimits) {
  std::string many;
  for (int i = 0; i < 1001; ++i) many += "f=1&";
  ExpectError(parse_form_urlencoded(many), ErrorCode::kInvalidArgument, "フォームの項目数が上限（1000）を超えています");
  ExpectError(parse_form_urlencoded(std::string(1024 * 1024 + 1, 'a')), ErrorCode::kInvalidArgument,
              "フォームの送信内容が大きすぎます（上限 1048576 バイト）");
}

TEST(PercentDecode, PlusIsKeptWhenNotAForm) {
  EXPECT_EQ(percent_decode("a+b%20c", false), "a+b c");
  EXPECT_EQ(percent_decode("a+b%20c", true), "a b c");
  EXPECT_EQ(percent_decode("%00", false), std::string(1, '\0'));
  EXPECT_EQ(percent_decode("%", false), std::nullopt);
}

}  // namespace
}  // namespace kakehashi::web
