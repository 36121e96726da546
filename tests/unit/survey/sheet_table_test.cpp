// SheetTable must read exactly what base/csv.h's parse() reads, only faster.
#include "survey/sheet_table.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/csv.h"
#include "base/text.h"
#include "support/result.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::survey {
namespace {

void expect_same_as_base(const std::string& utf8, unsigned threads) {
  auto expected = csv::parse(utf8);
  ASSERT_TRUE(expected);
  auto table = SheetTable::from_bytes(utf8, threads);
  ASSERT_OK(table);
  ASSERT_EQ(table->size(), expected->size());
  for (std::size_t r = 0; r < expected->size(); ++r) {
    const csv::Row& row = (*expected)[r];
    EXPECT_EQ(table->line(r), row.line) << "record " << r;
    ASSERT_EQ(table->width(r), row.fields.size()) << "record " << r;
    for (std::size_t c = 0; c < row.fields.size(); ++c)
      EXPECT_EQ(table->field(r, c), row.fields[c]) << "record " << r << " field " << c;
  }
}

TEST(SheetTable, ReadsTheDialectOfBaseCsv) {
  for (unsigned threads : {1u, 2u}) {
    expect_same_as_base("id,title\r\n1,\"出前授業, 第2回\"\r\n\r\n2,\"二行\n目\"\n3,\"引用\"\"符\"",
                        threads);
    expect_same_as_base("a,,c\n,\n", threads);
    expect_same_as_base("\"\"\n\nx\ry\r\n\"a\"b,\"\"\"\"\n", threads);
    expect_same_as_base("no newline at end,とてもそう思う", threads);
    expect_same_as_base("", threads);
  }
}

TEST(SheetTable, ManyRecordsAcrossChunksAndLongRuns) {
  // Over 4,096 records (several worker chunks), long unquoted runs (the 8-byte skip) and a
  // quoted field with line breaks every 97th record.
  std::string text = "回答者ID,時期,Q1,自由記述\r\n";
  for (int i = 0; i < 10000; ++i) {
    text += "P" + std::to_string(i) + ",事前,どちらともいえない,";
    text += i % 97 == 0 ? "\"長い\r\n記述, \"\"引用\"\" あり\"" : "特になし";
    text += i % 13 == 0 ? "\n" : "\r\n";
    if (i % 500 == 0) text += "\r\n";  // blank line
  }
  expect_same_as_base(text, 2);
}

TEST(SheetTable, DetectsEncodings) {
  const std::string utf8 = "回答者ID,Q1\nＡ０１,そう思う\n";
  auto with_bom = SheetTable::from_bytes("\xEF\xBB\xBF" + utf8);
  ASSERT_TRUE(with_bom);
  EXPECT_EQ(with_bom->field(0, 0), "回答者ID");
  auto shift_jis = SheetTable::from_bytes(text::utf8_to_cp932(utf8));
  ASSERT_TRUE(shift_jis);
  EXPECT_EQ(shift_jis->field(1, 0), "Ａ０１");
  EXPECT_EQ(shift_jis->field(1, 1), "そう思う");
  EXPECT_EQ(shift_jis->field(1, 5), "");  // past the end of a record
}

TEST(SheetTable, ReportsErrorsAsBaseDoes) {
  auto open = SheetTable::from_bytes("a,b\n1,\"open\n2,3\n");
  ASSERT_FALSE(open);
  EXPECT_EQ(open.error().message, "2 行目: 引用符 \" が閉じられていません");
  auto bad_bom = SheetTable::from_bytes("\xEF\xBB\xBF\xFF\xFE");
  ASSERT_FALSE(bad_bom);
  ExpectError(bad_bom, ErrorCode::kInvalidArgument,
              "文字コードを判別できません（UTF-8 の BOM がありますが内容が UTF-8 ではありません）");
  auto missing = SheetTable::read_file("/nonexistent/survey.csv");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "ファイルを開けません: /nonexistent/survey.csv");
  auto directory = SheetTable::read_file("/");
  ASSERT_FALSE(directory);
  EXPECT_EQ(directory.error().message, "通常のファイルではありません: /");
}

}  // namespace
}  // namespace kakehashi::survey

namespace kakehashi::survey {
namespace {

// The fast validator must agree with base's on every short sequence that matters.
TEST(Utf8, FastValidatorAgreesWithBase) {
  std::size_t checked = 0;
  auto agree = [&](const std::string& bytes) {
    ++checked;
    ASSERT_EQ(is_valid_utf8_fast(bytes), text::is_valid_utf8(bytes))
        << ::testing::PrintToString(bytes);
  };
  const unsigned char tails[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
  for (int a = 0; a < 256; ++a) {
    agree(std::string(1, char(a)));
    for (int b = 0; b < 256; ++b) {
      agree(std::string{char(a), char(b)});
      if (a < 0xE0) continue;
      for (unsigned char c : tails) {
        agree(std::string{char(a), char(b), char(c)});
        if (a < 0xF0) continue;
        for (unsigned char d : tails) agree(std::string{char(a), char(b), char(c), char(d)});
      }
    }
  }
  // Long texts: the 8-byte ASCII skip next to multi-byte characters and a broken tail.
  const std::string japanese = "回答者ID,事前,とてもそう思う,abcdefghijklmnop,😀\r\n";
  std::string text;
  for (int i = 0; i < 50; ++i) text += japanese;
  agree(text);
  agree(text + "\xE3\x81");
  agree(text.substr(0, text.size() - 5));
  EXPECT_GT(checked, 100000u);
}

}  // namespace
}  // namespace kakehashi::survey
