// Numbers typed by people (forms) or read from input files: finite, within bounds, and refused
// with a Japanese message naming the field when they are not (issue 13, "finite numbers").
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>

#include "base/result.h"

namespace kakehashi::number {

// Decimal text to a finite double within [min, max]. Accepts white space around it (also
// U+3000), full-width digits (NFKC), a leading sign, a decimal point and an exponent ("1.5e3").
// Refuses, with an invalid-argument error naming `label`:
//   empty text                              "{label}を入力してください"
//   "nan", "inf", "0x1p3", "12円", "1.2.3"  "{label}は数値で入力してください"
//   "1e400" (no double holds it), a value outside [min, max]
//                                           "{label}は {min}〜{max} の範囲で入力してください"
[[nodiscard]] Result<double> parse_finite_double(std::string_view typed, std::string_view label,
                                                 double min = std::numeric_limits<double>::lowest(),
                                                 double max = std::numeric_limits<double>::max());

// Integer text (optional sign, ASCII or full-width digits; "," as a thousands separator when
// `commas`) to an integer within [min, max]. Refuses empty text ("{label}を入力してください"),
// anything else ("{label}は整数で入力してください") and values outside the bounds or beyond
// int64 ("{label}は {min}〜{max} の範囲で入力してください").
[[nodiscard]] Result<std::int64_t> parse_int64(std::string_view typed, std::string_view label, std::int64_t min,
                                               std::int64_t max, bool commas = false);

}  // namespace kakehashi::number
