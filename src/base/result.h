// Result<T>: the error type every module returns across its API (std::expected, C++23).
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace kakehashi {

// What went wrong, in a form a caller can branch on. The message is for people: Japanese when
// a user will read it, and never contains personal data that was not in the input. The HTTP
// status of each code is set in one place, web::http_status (src/web/http.h).
enum class ErrorCode {
  kInvalidArgument,  // the input or a business rule refuses the change (CLI exit 2, HTTP 422)
  kNotFound,         // the object does not exist or is not visible to the caller (HTTP 404)
  kPermissionDenied, // the policy refuses the action (HTTP 403)
  kConflict,         // the object changed or is locked (HTTP 409)
  kRateLimited,      // too many attempts from this person or address; try later (HTTP 429)
  kUnavailable,      // a resource (database, worker, file) cannot be used right now (HTTP 503)
  kInternal,         // a bug or an invariant broken (HTTP 500)
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  // e.g. Error::invalid("日付の形式が正しくありません: 2026-13-01")
  static Error invalid(std::string message) { return {ErrorCode::kInvalidArgument, std::move(message)}; }
  static Error not_found(std::string message) { return {ErrorCode::kNotFound, std::move(message)}; }
  static Error denied(std::string message) { return {ErrorCode::kPermissionDenied, std::move(message)}; }
  static Error conflict(std::string message) { return {ErrorCode::kConflict, std::move(message)}; }
  static Error rate_limited(std::string message) { return {ErrorCode::kRateLimited, std::move(message)}; }
  static Error unavailable(std::string message) { return {ErrorCode::kUnavailable, std::move(message)}; }
  static Error internal(std::string message) { return {ErrorCode::kInternal, std::move(message)}; }
};

template <typename T>
using Result = std::expected<T, Error>;

// Shorthand for returning an error from a function that returns Result<T>.
inline std::unexpected<Error> fail(Error error) { return std::unexpected<Error>(std::move(error)); }

}  // namespace kakehashi
