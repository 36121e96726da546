#include "program/counting/titles.h"

#include <gtest/gtest.h>

#include "program/counting/tables.h"

namespace kakehashi::program::counting {
namespace {

using Markers = std::vector<std::string>;

struct MarkerCase {
  const char* title;
  Markers markers;
};

// Titles as operators type one content held many times: all are 出前授業.
TEST(Title, RemovesSessionMarkersAndWhatTheyLeaveBehind) {
  const MarkerCase cases[] = {
      {"出前授業", {}},
      {"出前授業（第2回）", {"第2回"}},
      {"出前授業 第3回", {"第3回"}},
      {"第1回 出前授業", {"第1回"}},
      {"第１回出前授業", {"第1回"}},
      {"出前授業（第十回）", {"第十回"}},
      {"出前授業 第二回目", {"第二回目"}},
      {"出前授業 2回目", {"2回目"}},
      {"出前授業 ２日目", {"2日目"}},
      {"出前授業(午前)", {"午前"}},
      {"出前授業【午後】", {"午後"}},
      {"出前授業 午後の部", {"午後の部"}},
      {"【前期】出前授業", {"前期"}},
      {"出前授業 後期", {"後期"}},
      {"出前授業（2026年10月）", {"2026年10月"}},
      {"出前授業（令和8年度）", {"令和8年度"}},
      {"出前授業（10月）", {"10月"}},
      {"出前授業 10月5日(土)", {"10月5日(土)"}},
      {"出前授業 2026年10月5日", {"2026年10月5日"}},
      {"出前授業（2026/10/5）", {"2026/10/5"}},
      {"出前授業 2026-10-05", {"2026-10-05"}},
      {"出前授業（10/5・10/12）", {"10/5", "10/12"}},
      {"出前授業 13:00～15:00", {"13:00~15:00"}},
      {"出前授業～第2回～", {"第2回"}},
      {"～第2回～出前授業", {"第2回"}},
      {"出前授業 ～第2回・午前～", {"第2回", "午前"}},
      {"出前授業（第2回・午前）", {"第2回", "午前"}},
      {"出前授業（第2回）【午前】", {"第2回", "午前"}},
      {"出前授業（ 第2回 ）", {"第2回"}},
      {"ｼｭｯﾁｮｳ授業", {}},
  };
  for (const auto& c : cases) {
    auto title = normalize_title(c.title);
    if (std::string_view(c.title) == "ｼｭｯﾁｮｳ授業") {
      EXPECT_EQ(title.key, "シュッチョウ授業");
      continue;
    }
    EXPECT_EQ(title.key, "出前授業") << c.title;
    EXPECT_EQ(title.display, "出前授業") << c.title;
    EXPECT_EQ(title.markers, c.markers) << c.title;
  }
}

TEST(Title, KeepsBracketsThatNameContent) {
  auto basic = normalize_title("出前授業（基礎編）");
  auto advanced = normalize_title("出前授業（応用編）");
  EXPECT_NE(basic.key, advanced.key);
  EXPECT_EQ(basic.display, "出前授業（基礎編）");
  EXPECT_EQ(basic.key, normalize_title("出前授業【基礎編】").key);
  EXPECT_EQ(normalize_title("出前授業【基礎編】(第2回)").display, "出前授業（基礎編）");
  EXPECT_EQ(normalize_title("出前授業～基礎編～ 第2回").display, "出前授業～基礎編");
  EXPECT_EQ(basic.key, normalize_title("出前授業 基礎編").key);
  EXPECT_EQ(basic.key, normalize_title("出前授業～基礎編～").key);

  auto mixed = normalize_title("出前授業（基礎編・第2回）");
  EXPECT_EQ(mixed.display, "出前授業（基礎編）");
  EXPECT_EQ(mixed.key, basic.key);
  EXPECT_EQ(mixed.markers, Markers{"第2回"});
}

TEST(Title, HardNegativesAreNotMarkers) {
  // Words and numbers that are content, not a session.
  EXPECT_NE(normalize_title("1/2成人式").key, normalize_title("成人式").key);
  EXPECT_NE(normalize_title("前期課程の数学").key, normalize_title("課程の数学").key);
  EXPECT_NE(normalize_title("午後のプログラミング").key, normalize_title("のプログラミング").key);
  EXPECT_NE(normalize_title("3月のワークショップ").key, normalize_title("のワークショップ").key);
  EXPECT_NE(normalize_title("プログラミング教室(1)").key,
            normalize_title("プログラミング教室(2)").key);
  EXPECT_NE(normalize_title("C++入門").key, normalize_title("C入門").key);
  EXPECT_NE(normalize_title("C#入門").key, normalize_title("C入門").key);
  EXPECT_NE(normalize_title("キャリア教育").key, normalize_title("キャリア教室").key);
  EXPECT_EQ(normalize_title("2030年の働き方").key, "2030年の働き方");
}

TEST(Title, ATitleOfOnlyMarkersKeepsThem) {
  // The content of "第2回" is unknown: it is not the same content as "第3回".
  auto second = normalize_title("第2回");
  EXPECT_EQ(second.key, "第2回");
  EXPECT_TRUE(second.markers.empty());
  EXPECT_NE(second.key, normalize_title("第3回").key);
  EXPECT_EQ(normalize_title("（午前）").key, "午前");
  // Only symbols: compared as written, so two different symbol titles are never one content.
  EXPECT_NE(normalize_title("★").key, normalize_title("☆").key);
  EXPECT_FALSE(normalize_title("★").key.empty());
}

TEST(Title, EverySessionWordOfTheTableIsAMarkerWhenItStandsAlone) {
  for (auto word : session_words()) {
    std::string w(word);
    EXPECT_EQ(normalize_title("出前授業（" + w + "）").key, "出前授業") << w;
    EXPECT_EQ(normalize_title("出前授業 " + w).key, "出前授業") << w;
    EXPECT_EQ(normalize_title("【" + w + "】出前授業").key, "出前授業") << w;
  }
}

TEST(Title, KeyIgnoresWidthSpacingCaseAndDecorations) {
  auto reference = normalize_title("AI活用ワークショップ").key;
  EXPECT_EQ(normalize_title("ＡＩ活用ワークショップ").key, reference);
  EXPECT_EQ(normalize_title("ai 活用 ワークショップ").key, reference);
  EXPECT_EQ(normalize_title("★AI活用・ワークショップ★").key, reference);
  EXPECT_EQ(normalize_title("「AI活用」ワークショップ").key, reference);
}

}  // namespace
}  // namespace kakehashi::program::counting
