// Numbers typed in forms: finite, within bounds, refused with a message naming the field.
#include "base/number.h"

#include <gtest/gtest.h>

#include <limits>

namespace kakehashi::number {
namespace {

std::string problem(const Result<double>& result) { return result ? "(accepted)" : result.error().message; }
std::string problem(const Result<std::int64_t>& result) { return result ? "(accepted)" : result.error().message; }

TEST(ParseFiniteDouble, ReadsDecimalsAsPeopleTypeThem) {
  EXPECT_EQ(*parse_finite_double("72.5", "最低合計点"), 72.5);
  EXPECT_EQ(*parse_finite_double(" 80 ", "最低合計点"), 80);
  EXPECT_EQ(*parse_finite_double("　１２．５　", "最低合計点"), 12.5) << "full-width digits and spaces";
  EXPECT_EQ(*parse_finite_double("+3", "x"), 3);
  EXPECT_EQ(*parse_finite_double("-0", "x"), 0);
  EXPECT_EQ(*parse_finite_double(".5", "x"), 0.5);
  EXPECT_EQ(*parse_finite_double("1.5e3", "x"), 1500);
  EXPECT_EQ(*parse_finite_double("0", "x", 0, 10), 0);
  EXPECT_EQ(*parse_finite_double("10", "x", 0, 10), 10);
}

TEST(ParseFiniteDouble, RefusesWhatIsNotAFiniteNumber) {
  for (const char* typed : {"nan", "NaN", "-nan", "inf", "-inf", "Infinity", "0x1p3", "12点", "1.2.3", "1e", "e5", ".", "-",
                            "1 2", "1,000"}) {
    EXPECT_EQ(problem(parse_finite_double(typed, "最低合計点")), "最低合計点は数値で入力してください") << typed;
  }
  EXPECT_EQ(problem(parse_finite_double("", "最低合計点")), "最低合計点を入力してください");
  EXPECT_EQ(problem(parse_finite_double("　", "最低合計点")), "最低合計点を入力してください");
}

TEST(ParseFiniteDouble, RefusesOverflowAndValuesOutsideTheBounds) {
  EXPECT_EQ(problem(parse_finite_double("1e400", "最低合計点", 0, 100000)), "最低合計点は 0〜100,000 の範囲で入力してください");
  EXPECT_EQ(problem(parse_finite_double("-1e400", "最低合計点", 0, 100000)), "最低合計点は 0〜100,000 の範囲で入力してください");
  EXPECT_EQ(problem(parse_finite_double("-0.5", "最低合計点", 0, 100000)), "最低合計点は 0〜100,000 の範囲で入力してください");
  EXPECT_EQ(problem(parse_finite_double("100000.01", "最低合計点", 0, 100000)),
            "最低合計点は 0〜100,000 の範囲で入力してください");
  EXPECT_EQ(problem(parse_finite_double("2", "重み", 0.5, 1.5)), "重みは 0.5〜1.5 の範囲で入力してください");
  // Even with no bounds given, a value no double holds is refused.
  EXPECT_FALSE(parse_finite_double("1e400", "x"));
  EXPECT_FALSE(parse_finite_double("1" + std::string(400, '0'), "x"));
}

TEST(ParseInt64, ReadsIntegersWithinBounds) {
  EXPECT_EQ(*parse_int64("3", "審査委員数", 1, 10), 3);
  EXPECT_EQ(*parse_int64("１０", "審査委員数", 1, 10), 10);
  EXPECT_EQ(*parse_int64("-5", "x", -10, 10), -5);
  EXPECT_EQ(*parse_int64("20,000,000", "交付額", 0, 999'999'999'999, true), 20'000'000);
  EXPECT_EQ(*parse_int64("２０，０００，０００", "交付額", 0, 999'999'999'999, true), 20'000'000);
  EXPECT_EQ(*parse_int64("9223372036854775807", "x", 0, std::numeric_limits<std::int64_t>::max()),
            std::numeric_limits<std::int64_t>::max());
}

TEST(ParseInt64, RefusesOtherTextOverflowAndValuesOutsideTheBounds) {
  for (const char* typed : {"3.5", "1e3", "nan", "inf", "0x10", "3人", "--3", "+", "1 000"}) {
    EXPECT_EQ(problem(parse_int64(typed, "審査委員数", 1, 10)), "審査委員数は整数で入力してください") << typed;
  }
  EXPECT_EQ(problem(parse_int64("20,000,000", "審査委員数", 1, 10)), "審査委員数は整数で入力してください")
      << "commas only where the caller allows them";
  EXPECT_EQ(problem(parse_int64("", "審査委員数", 1, 10)), "審査委員数を入力してください");
  EXPECT_EQ(problem(parse_int64("0", "審査委員数", 1, 10)), "審査委員数は 1〜10 の範囲で入力してください");
  EXPECT_EQ(problem(parse_int64("11", "審査委員数", 1, 10)), "審査委員数は 1〜10 の範囲で入力してください");
  EXPECT_EQ(problem(parse_int64("9223372036854775808", "交付額", 0, 999'999'999'999, true)),
            "交付額は 0〜999,999,999,999 の範囲で入力してください");
  EXPECT_EQ(problem(parse_int64("99999999999999999999999", "交付額", 0, 999'999'999'999, true)),
            "交付額は 0〜999,999,999,999 の範囲で入力してください");
  EXPECT_EQ(problem(parse_int64("-1", "交付額", 0, 999'999'999'999, true)), "交付額は 0〜999,999,999,999 の範囲で入力してください");
}

}  // namespace
}  // namespace kakehashi::number
