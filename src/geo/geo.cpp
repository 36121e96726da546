#include "geo/geo.h"

#include <algorithm>

#include "regional_blocks_generated.h"

namespace kakehashi::geo {
namespace {

std::vector<Prefecture> build_prefectures() {
  std::vector<Prefecture> out;
  for (const auto& row : generated::kRows) out.push_back(row.prefecture);
  std::sort(out.begin(), out.end(), [](const Prefecture& a, const Prefecture& b) { return a.code < b.code; });
  return out;
}

const std::vector<Prefecture>& prefecture_table() {
  static const std::vector<Prefecture> table = build_prefectures();
  return table;
}

std::vector<Block> build_blocks() {
  std::vector<Block> out;
  for (const auto& row : generated::kRows) {
    auto it = std::find_if(out.begin(), out.end(), [&](const Block& b) { return b.id == row.block_id; });
    if (it == out.end()) {
      out.push_back(Block{row.block_order, row.block_id, row.block_name, {}, {}});
      it = out.end() - 1;
    }
    it->prefectures.push_back(find_prefecture_by_code(row.prefecture.code));
    if (std::find(it->bureaus.begin(), it->bureaus.end(), row.prefecture.bureau) == it->bureaus.end()) {
      it->bureaus.push_back(row.prefecture.bureau);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Block& a, const Block& b) { return a.order < b.order; });
  return out;
}

}  // namespace

std::span<const Prefecture> prefectures() { return prefecture_table(); }

const std::vector<Block>& blocks() {
  static const std::vector<Block> table = build_blocks();
  return table;
}

const Block* find_block(std::string_view id) {
  for (const auto& block : blocks()) {
    if (block.id == id) return &block;
  }
  return nullptr;
}

std::string block_label(std::string_view id) {
  const Block* block = find_block(id);
  return block ? std::string(block->name) + "ブロック" : std::string(id);
}

const Prefecture* find_prefecture_by_code(std::string_view code) {
  for (const auto& prefecture : prefecture_table()) {
    if (prefecture.code == code) return &prefecture;
  }
  return nullptr;
}

const Prefecture* find_prefecture_by_name(std::string_view name) {
  for (const auto& prefecture : prefecture_table()) {
    if (prefecture.name == name) return &prefecture;
  }
  return nullptr;
}

}  // namespace kakehashi::geo
