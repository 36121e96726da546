#include "base/yen.h"

namespace kakehashi {

std::string format_yen(Yen amount) {
  bool negative = amount < 0;
  // Work on the unsigned magnitude so INT64_MIN does not overflow.
  auto magnitude = negative ? ~static_cast<std::uint64_t>(amount) + 1 : static_cast<std::uint64_t>(amount);
  std::string digits = std::to_string(magnitude);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return (negative ? "-" : "") + out + "円";
}

}  // namespace kakehashi
