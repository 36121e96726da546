// Normalisation, grams and snippets of the knowledge search (search.h).
#include "knowledge/search.h"

#include <gtest/gtest.h>

namespace kakehashi::knowledge {
namespace {

TEST(KnowledgeNormalize, FoldsWidthKanaAndCase) {
  EXPECT_EQ(normalize("ＩＴ企業"), "it企業");
  EXPECT_EQ(normalize("ﾌﾟﾛｸﾞﾗﾐﾝｸﾞ"), "ぷろぐらみんぐ");
  EXPECT_EQ(normalize("プログラミング"), "ぷろぐらみんぐ");
  EXPECT_EQ(normalize("ぷろぐらみんぐ"), "ぷろぐらみんぐ");
  EXPECT_EQ(normalize("English  Class"), "english class");
  EXPECT_EQ(normalize("  英語　の授業  "), "英語 の授業");
  EXPECT_EQ(normalize("１２０人"), "120人");
}

TEST(KnowledgeNormalize, MapsEveryByteBackToTheOriginal) {
  std::string original = "ｶﾞｯｺｳとＩＴ";
  Normalized n = normalize_mapped(original);
  EXPECT_EQ(n.text, "がっこうとit");
  ASSERT_EQ(n.begin.size(), n.text.size());
  // "が" came from "ｶﾞ" (two half-width code points, 6 bytes).
  EXPECT_EQ(n.begin[0], 0u);
  EXPECT_EQ(n.end[0], 6u);
  // "i" came from "Ｉ".
  std::size_t i = n.text.find('i');
  EXPECT_EQ(original.substr(n.begin[i], n.end[i] - n.begin[i]), "Ｉ");
}

TEST(KnowledgeGrams, HoldEveryCharacterAndPair) {
  auto g = grams("英語 it");
  EXPECT_EQ(g, (std::vector<std::string>{"i", "it", "t", "英", "英語", "語"}));
}

TEST(KnowledgeQueryTerms, SplitNormaliseAndDeduplicate) {
  EXPECT_EQ(query_terms("　英語　ＩＴ 英語 "), (std::vector<std::string>{"英語", "it"}));
  EXPECT_TRUE(query_terms("   ").empty());
  EXPECT_EQ(term_length("英語"), 2u);
  EXPECT_EQ(fts_phrase("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(like_pattern("10%_a\\b"), "%10\\%\\_a\\\\b%");
}

TEST(KnowledgeSnippet, MarksTheHitOnTheOriginalTextAndEscapesEverything) {
  std::string html = snippet_html("<b>タグ</b>とﾌﾟﾛｸﾞﾗﾐﾝｸﾞ教室", {"ぷろぐらみんぐ"});
  EXPECT_EQ(html, "&lt;b&gt;タグ&lt;/b&gt;と<mark>ﾌﾟﾛｸﾞﾗﾐﾝｸﾞ</mark>教室");
}

TEST(KnowledgeSnippet, CutsAroundTheFirstHit) {
  std::string text(300, 'a');
  text += "金融教育";
  text += std::string(300, 'b');
  std::string html = snippet_html(text, {"金融"}, 60);
  EXPECT_TRUE(html.starts_with("…"));
  EXPECT_TRUE(html.ends_with("…"));
  EXPECT_NE(html.find("<mark>金融</mark>教育"), std::string::npos);
  EXPECT_LT(html.size(), 200u);
}

TEST(KnowledgeSnippet, WithoutAHitShowsTheStart) {
  EXPECT_EQ(snippet_html("短い文", {"なし"}), "短い文");
  EXPECT_EQ(snippet_html("", {"x"}), "");
}

TEST(KnowledgeMarkdownPlain, DropsMarkup) {
  EXPECT_EQ(markdown_plain("## 見出し\n- **強調** と [リンク](http://x)\n"), "見出し\n強調 と リンク\n");
}

}  // namespace
}  // namespace kakehashi::knowledge
