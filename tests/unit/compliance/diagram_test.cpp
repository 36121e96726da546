// The structure diagram is drawn from the approved roster only: every approved person once,
// by category and organisation, nobody who is not (yet) approved, and text escaped.
#include <gtest/gtest.h>

#include "compliance/diagram.h"

namespace kakehashi::compliance {
namespace {

Person person(Category c, std::string org, std::string name, bool active = true) {
  Person p;
  p.category = c;
  p.organisation = std::move(org);
  p.name = std::move(name);
  p.department = "事業部";
  p.active = active;
  return p;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(StructureDiagramTest, DrawsEveryApprovedPersonOnceWithSubcontractorsInTheirOwnBoxes) {
  std::vector<Person> roster{
      person(Category::kResponsible, "株式会社架け橋", "情報 三郎"),
      person(Category::kManager, "株式会社架け橋", "事務 次郎"),
      person(Category::kStaff, "株式会社架け橋", "佐藤 健一"),
      person(Category::kSubcontractor, "株式会社データ整備サービス", "山本 大輔"),
      person(Category::kSubcontractor, "株式会社みなと翻訳", "林 美玲"),
      person(Category::kStaff, "株式会社架け橋", "削除済み 花子", false),
      person(Category::kStaff, "株式会社架け橋", "<script>"),
  };
  std::string svg = structure_svg(roster);
  EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  for (const char* name : {"情報 三郎", "事務 次郎", "佐藤 健一", "山本 大輔", "林 美玲"}) EXPECT_EQ(count(svg, name), 1u) << name;
  EXPECT_EQ(count(svg, "削除済み"), 0u);
  EXPECT_EQ(count(svg, "<script>"), 0u);
  EXPECT_EQ(count(svg, "&lt;script&gt;"), 1u);
  EXPECT_EQ(count(svg, "再委託先: "), 2u);
  EXPECT_EQ(count(svg, "<path "), 4u);  // 責任者→管理者, 管理者→従事者 and each subcontractor
  EXPECT_NE(svg.find("情報管理体制図（株式会社架け橋）"), std::string::npos);
}

}  // namespace
}  // namespace kakehashi::compliance
