// The 47 prefectures (JIS X 0401), the programme's 10 regional blocks and the METI regional
// bureau of each prefecture (R2.1), compiled in from src/geo/data/regional_blocks.csv.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kakehashi::geo {

struct Prefecture {
  std::string_view code;      // "01" … "47"
  std::string_view name;      // "北海道", "青森県", …
  std::string_view block_id;  // "hokkaido", …
  std::string_view bureau;    // "北海道経済産業局", …, "内閣府沖縄総合事務局経済産業部"
};

struct Block {
  int order = 0;           // 1 … 10, the specification's order
  std::string_view id;     // "hokkaido", "tohoku", …
  std::string_view name;   // "北海道", "東北", …
  std::vector<const Prefecture*> prefectures;
  std::vector<std::string_view> bureaus;  // distinct, in prefecture order (北陸 has two)
};

std::span<const Prefecture> prefectures();
const std::vector<Block>& blocks();
const Block* find_block(std::string_view id);
// "北海道ブロック" for "hokkaido", as screens and messages name a block; an unknown id is
// returned as it is.
std::string block_label(std::string_view id);
const Prefecture* find_prefecture_by_code(std::string_view code);
const Prefecture* find_prefecture_by_name(std::string_view name);

}  // namespace kakehashi::geo
