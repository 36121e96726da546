// GoogleTest helpers for Result<T> (std::expected): a test fails cleanly, with the error's
// message, instead of reading .error() of a result that holds a value or dereferencing one that
// holds an error (undefined behaviour where the test should simply fail).
//
//   ASSERT_OK(call::publish_call(tx, id, actor, now));
//   ASSERT_OK_AND_ASSIGN(auto id, call::create_call(tx, settings, actor, now));
//   ExpectError(call::publish_call(tx, id, actor, now), ErrorCode::kInvalidArgument,
//               "審査基準を 1 つ以上登録してから公開してください");
#pragma once

#include <gtest/gtest.h>

#include <string_view>

#include "base/result.h"

namespace kakehashi::testing {

inline std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "kInvalidArgument";
    case ErrorCode::kNotFound: return "kNotFound";
    case ErrorCode::kPermissionDenied: return "kPermissionDenied";
    case ErrorCode::kConflict: return "kConflict";
    case ErrorCode::kRateLimited: return "kRateLimited";
    case ErrorCode::kUnavailable: return "kUnavailable";
    case ErrorCode::kInternal: return "kInternal";
  }
  return "?";
}

template <typename T>
::testing::AssertionResult IsOk(const Result<T>& result) {
  if (result) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "error " << error_code_name(result.error().code) << ": "
                                       << result.error().message;
}

// Expects `result` to be an error with `code` and exactly `message` (the text a user reads).
template <typename T>
void ExpectError(const Result<T>& result, ErrorCode code, std::string_view message) {
  ASSERT_FALSE(result.has_value()) << "expected the error \"" << message << "\" but the call succeeded";
  EXPECT_EQ(error_code_name(result.error().code), error_code_name(code)) << result.error().message;
  EXPECT_EQ(result.error().message, message);
}

// Expects an error with `code` whose message contains `part`.
template <typename T>
void ExpectErrorContaining(const Result<T>& result, ErrorCode code, std::string_view part) {
  ASSERT_FALSE(result.has_value()) << "expected an error containing \"" << part << "\" but the call succeeded";
  EXPECT_EQ(error_code_name(result.error().code), error_code_name(code)) << result.error().message;
  EXPECT_NE(result.error().message.find(part), std::string::npos) << result.error().message;
}

// Expects `result` to be an error with `code`, whatever its message (for messages that name
// generated ids or paths).
template <typename T>
void ExpectErrorCode(const Result<T>& result, ErrorCode code) {
  ASSERT_FALSE(result.has_value()) << "expected an error " << error_code_name(code) << " but the call succeeded";
  EXPECT_EQ(error_code_name(result.error().code), error_code_name(code)) << result.error().message;
}

}  // namespace kakehashi::testing

#define EXPECT_OK(expression) EXPECT_TRUE(::kakehashi::testing::IsOk(expression))
#define ASSERT_OK(expression) ASSERT_TRUE(::kakehashi::testing::IsOk(expression))

#define KAKEHASHI_CONCAT_INNER(a, b) a##b
#define KAKEHASHI_CONCAT(a, b) KAKEHASHI_CONCAT_INNER(a, b)
#define KAKEHASHI_ASSERT_OK_AND_ASSIGN(holder, lhs, expression) \
  auto holder = (expression);                                   \
  ASSERT_TRUE(::kakehashi::testing::IsOk(holder));              \
  lhs = std::move(*holder)
// Declares `lhs` from the value of `expression`, or fails the test with the error's message.
#define ASSERT_OK_AND_ASSIGN(lhs, expression) \
  KAKEHASHI_ASSERT_OK_AND_ASSIGN(KAKEHASHI_CONCAT(kakehashi_result_, __LINE__), lhs, expression)
