// Money is integer yen, never floating point.
#pragma once

#include <cstdint>
#include <string>

namespace kakehashi {

using Yen = std::int64_t;

// 15000000 -> "15,000,000円"; negative amounts get a leading minus sign.
std::string format_yen(Yen amount);

}  // namespace kakehashi
