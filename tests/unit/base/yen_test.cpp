#include "base/yen.h"

#include <gtest/gtest.h>

#include <limits>

namespace kakehashi {
namespace {

TEST(Yen, FormatsWithThousandsSeparators) {
  EXPECT_EQ(format_yen(0), "0円");
  EXPECT_EQ(format_yen(999), "999円");
  EXPECT_EQ(format_yen(15000000), "15,000,000円");
  EXPECT_EQ(format_yen(210000000), "210,000,000円");
  EXPECT_EQ(format_yen(-1234), "-1,234円");
  EXPECT_EQ(format_yen(std::numeric_limits<Yen>::min()), "-9,223,372,036,854,775,808円");
}

}  // namespace
}  // namespace kakehashi
