#include "base/text.h"

#include <gtest/gtest.h>

#include "support/result.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::text {
namespace {

TEST(Text, DetectsEncodings) {
  EXPECT_EQ(detect_encoding("\xEF\xBB\xBFid,名前"), Encoding::kUtf8Bom);
  EXPECT_EQ(detect_encoding("id,名前"), Encoding::kUtf8);
  EXPECT_EQ(detect_encoding(utf8_to_cp932("休日")), Encoding::kShiftJis);
}

TEST(Text, ConvertsShiftJisToUtf8) {
  std::string sjis = utf8_to_cp932("国民の祝日・休日月日,国民の祝日・休日名称\r\n2026/9/21,休日\r\n");
  ASSERT_NE(sjis, "国民の祝日・休日月日,国民の祝日・休日名称\r\n2026/9/21,休日\r\n");
  EXPECT_EQ(*to_utf8(sjis), "国民の祝日・休日月日,国民の祝日・休日名称\r\n2026/9/21,休日\r\n");
  // NEC special characters that Excel writes (①, ㈱) survive the round trip.
  EXPECT_EQ(*to_utf8(utf8_to_cp932("①㈱")), "①㈱");
  EXPECT_EQ(*to_utf8("\xEF\xBB\xBF" "abc"), "abc");
}

TEST(Text, RejectsBytesThatAreNeitherUtf8NorShiftJis) {
  auto result = to_utf8("\x81\x7f\xff\xff");
  ASSERT_FALSE(result);
  ExpectError(result, ErrorCode::kInvalidArgument, "文字コードを判別できません（UTF-8 でも Shift_JIS でもありません）");
}

TEST(Text, NormalisesNfkc) {
  EXPECT_EQ(nfkc("ＡＢＣ１２３"), "ABC123");
  EXPECT_EQ(nfkc("ｻｸﾗ㈱"), "サクラ(株)");
  EXPECT_EQ(nfkc("（株）"), "(株)");
}

TEST(Text, CleanNameRemovesInvisibleCharacters) {
  // Zero-width space, joiners, the word joiner and the BOM vanish instead of making a new name.
  EXPECT_EQ(clean_name("株式会社\u200Bサクラ"), "株式会社サクラ");
  EXPECT_EQ(clean_name("サ\u200Dク\u200Cラ\u2060\uFEFF"), "サクラ");
  EXPECT_EQ(clean_name("\u2062サクラ\u2064"), "サクラ");
  // Bidirectional controls that would reorder what a reader sees.
  EXPECT_EQ(clean_name("\u202Eラクサ\u202C"), "ラクサ");
  EXPECT_EQ(clean_name("\u200Eサクラ\u200F\u2066\u2069"), "サクラ");
  // Soft hyphen, variation selectors, Hangul fillers, a control character.
  EXPECT_EQ(clean_name("サク\u00ADラ\uFE0F\u3164\uFFA0\x07"), "サクラ");
  EXPECT_EQ(clean_name("\u200B\u200B"), "");
}

TEST(Text, CleanNameNormalisesWidthAndSpaces) {
  // Half-width katakana (with its separate voiced mark) becomes full-width.
  EXPECT_EQ(clean_name("ｻｸﾗﾃﾞｰﾀ"), "サクラデータ");
  EXPECT_EQ(clean_name("ＡＢＣ　教育"), "ABC 教育");
  EXPECT_EQ(clean_name("㈱サクラ"), "(株)サクラ");
  // Runs of any white space (ideographic, no-break, tab, line break) become one space; ends trimmed.
  EXPECT_EQ(clean_name("\u3000 山田\u00A0\u00A0 \t太郎\n"), "山田 太郎");
  // A zero-width character between a kana and a combining voiced mark no longer blocks composition.
  EXPECT_EQ(clean_name("か\u200B\u3099"), "が");
  EXPECT_EQ(clean_name("北海道大学"), "北海道大学");
}

TEST(Text, TrimsIdeographicSpace) {
  EXPECT_EQ(trim("\u3000 札幌市 \t"), "札幌市");
  EXPECT_EQ(trim("   "), "");
  EXPECT_EQ(count_code_points("札幌市abc"), 6u);
  EXPECT_EQ(code_points("あa").size(), 2u);
}

TEST(Text, EscapesXmlAndDropsForbiddenControls) {
  EXPECT_EQ(xml_escape("<a href=\"x\">R&D 'β'</a>"), "&lt;a href=&quot;x&quot;&gt;R&amp;D &#39;β&#39;&lt;/a&gt;");
  EXPECT_EQ(xml_escape(std::string("a\x01" "b\tc\n", 6)), "ab\tc\n");
}

TEST(Text, ValidatesUtf8Strictly) {
  EXPECT_TRUE(is_valid_utf8("日本"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xE6\x97"));          // truncated
}

}  // namespace
}  // namespace kakehashi::text
