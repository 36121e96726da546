#include "geo/geo.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "base/csv.h"
#include "support/result.h"

namespace kakehashi::geo {
namespace {

TEST(Geo, FortySevenPrefecturesInTenBlocks) {
  EXPECT_EQ(prefectures().size(), 47u);
  ASSERT_EQ(blocks().size(), 10u);
  size_t total = 0;
  for (const auto& block : blocks()) total += block.prefectures.size();
  EXPECT_EQ(total, 47u);
  EXPECT_EQ(blocks().front().id, "hokkaido");
  EXPECT_EQ(blocks().back().id, "okinawa");
}

TEST(Geo, BlocksAsTheSpecificationAssignsThem) {
  auto names = [](const Block* block) {
    std::vector<std::string_view> out;
    for (const auto* p : block->prefectures) out.push_back(p->name);
    return out;
  };
  const Block* kanto = find_block("kanto");
  ASSERT_NE(kanto, nullptr);
  for (std::string_view name : {"静岡県", "山梨県", "長野県", "新潟県", "東京都"}) {
    EXPECT_NE(std::find(names(kanto).begin(), names(kanto).end(), name), names(kanto).end()) << name;
  }
  const Block* hokuriku = find_block("hokuriku");
  EXPECT_EQ(names(hokuriku), (std::vector<std::string_view>{"富山県", "石川県", "福井県"}));
  EXPECT_EQ(hokuriku->bureaus, (std::vector<std::string_view>{"中部経済産業局", "近畿経済産業局"}));
  EXPECT_EQ(find_block("okinawa")->bureaus, (std::vector<std::string_view>{"内閣府沖縄総合事務局経済産業部"}));
  EXPECT_EQ(find_block("tokai")->bureaus, (std::vector<std::string_view>{"中部経済産業局"}));
  EXPECT_EQ(find_prefecture_by_name("福井県")->bureau, "近畿経済産業局");
  EXPECT_EQ(find_prefecture_by_code("13")->name, "東京都");
  EXPECT_EQ(find_block("nowhere"), nullptr);
}

// The compiled table equals the reference data shipped beside the project.
TEST(Geo, MatchesSharedReferenceData) {
  const char* shared = std::getenv("KAKEHASHI_SHARED_DIR");
  ASSERT_NE(shared, nullptr);
  auto rows = csv::read_file(std::string(shared) + "/data/regional_blocks.csv");
  ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 48u);
  for (size_t i = 1; i < rows->size(); ++i) {
    const auto& f = (*rows)[i].fields;
    const Prefecture* p = find_prefecture_by_code(f[3]);
    ASSERT_NE(p, nullptr) << f[3];
    EXPECT_EQ(p->name, f[4]);
    EXPECT_EQ(p->block_id, f[1]);
    EXPECT_EQ(p->bureau, f[5]);
    EXPECT_EQ(find_block(f[1])->name, f[2]);
  }
}

}  // namespace
}  // namespace kakehashi::geo

TEST(Geo, BlockLabelNamesTheBlockAsScreensDo) {
  EXPECT_EQ(kakehashi::geo::block_label("hokkaido"), "北海道ブロック");
  EXPECT_EQ(kakehashi::geo::block_label("kinki"), "近畿ブロック");
  EXPECT_EQ(kakehashi::geo::block_label("atlantis"), "atlantis");
}
