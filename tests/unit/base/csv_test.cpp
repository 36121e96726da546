#include "base/csv.h"

#include <gtest/gtest.h>

#include "support/result.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::csv {
namespace {

TEST(Csv, ParsesQuotesLineBreaksAndLineNumbers) {
  auto rows = parse("id,title\r\n1,\"出前授業, 第2回\"\r\n\r\n2,\"二行\n目\"\n3,\"引用\"\"符\"");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[1].fields[1], "出前授業, 第2回");
  EXPECT_EQ((*rows)[1].line, 2u);
  EXPECT_EQ((*rows)[2].fields[1], "二行\n目");
  EXPECT_EQ((*rows)[2].line, 4u);
  EXPECT_EQ((*rows)[3].line, 6u);
  EXPECT_EQ((*rows)[3].fields[1], "引用\"符");
}

TEST(Csv, KeepsEmptyFields) {
  auto rows = parse("a,,c\n,\n");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].fields, (std::vector<std::string>{"a", "", "c"}));
  EXPECT_EQ((*rows)[1].fields, (std::vector<std::string>{"", ""}));
}

TEST(Csv, ReportsUnterminatedQuoteWithItsLine) {
  auto rows = parse("a,b\n1,\"open\n2,3\n");
  ASSERT_FALSE(rows);
  ExpectError(rows, ErrorCode::kInvalidArgument, "2 行目: 引用符 \" が閉じられていません");
}

TEST(Csv, FormatsRowsAsExcelDoes) {
  EXPECT_EQ(format_row({"図1-1", "a,b", "say \"hi\""}), "図1-1,\"a,b\",\"say \"\"hi\"\"\"\r\n");
  auto back = parse(format_row({"x\ny", "z"}));
  EXPECT_EQ((*back)[0].fields, (std::vector<std::string>{"x\ny", "z"}));
}

}  // namespace
}  // namespace kakehashi::csv
