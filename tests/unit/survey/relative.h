// Comparison to reference values within a relative tolerance (the bar: 1e-9).
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <iomanip>

namespace kakehashi::survey::testing {

inline constexpr double kRelative = 1e-9;

inline ::testing::AssertionResult near_relative(const char* actual_text, const char*, double actual,
                                                double expected) {
  const double error = std::fabs(actual - expected);
  if (error <= kRelative * std::fabs(expected)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << actual_text << " = " << std::setprecision(17) << actual << ", reference " << expected
         << ", relative error " << error / std::fabs(expected);
}

}  // namespace kakehashi::survey::testing

#define EXPECT_REL(actual, expected) \
  EXPECT_PRED_FORMAT2(::kakehashi::survey::testing::near_relative, actual, expected)
