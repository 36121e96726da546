#include "base/number.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <string>

#include "base/text.h"

namespace kakehashi::number {
namespace {

// "1,000,000" for large integral bounds (messages about yen), the shortest text otherwise.
std::string bound_text(double value) {
  if (std::nearbyint(value) == value && std::abs(value) < 1e15) {
    auto integral = static_cast<std::int64_t>(value);
    std::string digits = std::to_string(integral < 0 ? -integral : integral);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0 && digits.size() > 4) out += ',';
      out += digits[i];
    }
    return (integral < 0 ? "-" : "") + out;
  }
  return fmt::format("{}", value);
}

std::string bound_text(std::int64_t value) {
  if (value > -1'000'000'000'000'000 && value < 1'000'000'000'000'000) return bound_text(double(value));
  return std::to_string(value);
}

Error range_error(std::string_view label, const std::string& min, const std::string& max) {
  return Error::invalid(fmt::format("{}は {}〜{} の範囲で入力してください", label, min, max));
}

// The typed text with full-width characters folded and white space trimmed.
std::string normalised(std::string_view typed) { return std::string(text::trim(text::nfkc(text::trim(typed)))); }

// [sign] digits [. digits] [e [sign] digits], with at least one digit before the exponent.
bool is_decimal(std::string_view s) {
  std::size_t i = 0;
  auto digits = [&] {
    std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - start;
  };
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t mantissa = digits();
  if (i < s.size() && s[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

}  // namespace

Result<double> parse_finite_double(std::string_view typed, std::string_view label, double min, double max) {
  std::string text = normalised(typed);
  if (text.empty()) return fail(Error::invalid(fmt::format("{}を入力してください", label)));
  if (!is_decimal(text)) return fail(Error::invalid(fmt::format("{}は数値で入力してください", label)));
  // from_chars takes no leading '+'.
  std::string_view digits = text;
  if (digits.front() == '+') digits.remove_prefix(1);
  double value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  bool outside = error == std::errc::result_out_of_range || !std::isfinite(value) || value < min || value > max;
  if (error != std::errc{} && error != std::errc::result_out_of_range)
    return fail(Error::invalid(fmt::format("{}は数値で入力してください", label)));
  if (end != digits.data() + digits.size()) return fail(Error::invalid(fmt::format("{}は数値で入力してください", label)));
  if (outside) return fail(range_error(label, bound_text(min), bound_text(max)));
  if (value == 0) value = 0;  // "-0" is 0
  return value;
}

Result<std::int64_t> parse_int64(std::string_view typed, std::string_view label, std::int64_t min, std::int64_t max,
                                 bool commas) {
  std::string text = normalised(typed);
  if (text.empty()) return fail(Error::invalid(fmt::format("{}を入力してください", label)));
  std::string digits;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (commas && c == ',' && !digits.empty() && digits.back() >= '0' && digits.back() <= '9') continue;
    if ((c == '+' || c == '-') && i == 0) {
      if (c == '-') digits += c;
      continue;
    }
    if (c < '0' || c > '9') return fail(Error::invalid(fmt::format("{}は整数で入力してください", label)));
    digits += c;
  }
  if (digits.empty() || digits == "-") return fail(Error::invalid(fmt::format("{}は整数で入力してください", label)));
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error == std::errc::result_out_of_range || (error == std::errc{} && (value < min || value > max)))
    return fail(range_error(label, bound_text(min), bound_text(max)));
  if (error != std::errc{} || end != digits.data() + digits.size())
    return fail(Error::invalid(fmt::format("{}は整数で入力してください", label)));
  return value;
}

}  // namespace kakehashi::number
