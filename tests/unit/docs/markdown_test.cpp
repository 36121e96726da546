#include "docs/markdown.h"

#include <gtest/gtest.h>

#include <tuple>

#include "support/result.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::docs {
namespace {

const Heading& heading(const Document& d, size_t n) {
  size_t seen = 0;
  for (auto& b : d.blocks)
    if (auto* h = std::get_if<Heading>(&b); h && seen++ == n) return *h;
  throw std::runtime_error("no such heading");
}

TEST(Markdown, NumbersChaptersSectionsFiguresAndTablesPerChapter) {
  auto doc = parse_markdown(
      "# はじめに\n\n## 背景\n\n### 経緯\n\n"
      "| 項目 | 値 |\n|---|--:|\n| A | 1 |\n\nTable: 最初の表\n\n"
      "# 結果\n\n## 概要\n\n"
      "```chart\n{\"title\":\"件数\",\"type\":\"bar\",\"categories\":[\"a\"],\"series\":[{\"name\":"
      "\"x\",\"values\":[1]}]}\n```\n\n"
      "| 項目 | 値 |\n|---|--:|\n| B | 2 |\n\nTable: 二つ目の表\n");
  ASSERT_OK(doc);
  EXPECT_EQ(heading(*doc, 0).number, "第1章");
  EXPECT_EQ(heading(*doc, 0).id, "sec-1");
  EXPECT_EQ(heading(*doc, 1).number, "1.1");
  EXPECT_EQ(heading(*doc, 2).number, "1.1.1");
  EXPECT_EQ(heading(*doc, 3).number, "第2章");
  EXPECT_EQ(heading(*doc, 4).number, "2.1");
  std::vector<std::string> numbers, captions;
  for (auto& b : doc->blocks) {
    if (auto* t = std::get_if<Table>(&b))
      numbers.push_back(t->number), captions.push_back(t->caption);
    if (auto* f = std::get_if<Figure>(&b))
      numbers.push_back(f->number), captions.push_back(f->caption);
  }
  EXPECT_EQ(numbers, (std::vector<std::string>{"表1-1", "図2-1", "表2-1"}));
  EXPECT_EQ(captions, (std::vector<std::string>{"最初の表", "件数", "二つ目の表"}));
}

TEST(Markdown, ReadsFrontMatterAndRefusesPersonalKeys) {
  auto doc =
      parse_markdown("---\ntitle: 報告書\nissuer: 経済産業省\ndate: 2027年3月\n---\n\n本文。\n");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->meta.title, "報告書");
  EXPECT_EQ(doc->meta.issuer, "経済産業省");
  EXPECT_EQ(doc->meta.date, "2027年3月");
  auto bad = parse_markdown("---\ntitle: 報告書\nauthor: 山田太郎\n---\n");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "3行目: 文書情報の項目「author」は使えません（title, subtitle, issuer, date）");
}

TEST(Markdown, ChartErrorsNameTheLine) {
  auto doc =
      parse_markdown("# 章\n\n本文\n\n```chart\n{\"type\":\"bar\",\"categories\":[\"a\"]}\n```\n");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message, "5行目: グラフ指定に \"series\"（系列の配列）がありません");
  auto mismatch = parse_markdown(
      "```chart\n{\"type\":\"line\",\"categories\":[\"a\",\"b\"],\"series\":[{\"name\":\"件数\","
      "\"values\":[1]}]}\n```\n");
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().message, "1行目: 系列「件数」の値の数（1）が categories の数（2）と一致しません");
  auto type = parse_markdown("```chart\n{\"type\":\"donut\",\"series\":[]}\n```\n");
  ASSERT_FALSE(type);
  EXPECT_EQ(type.error().message,
            "1行目: グラフの種類 \"donut\" は使えません（bar, stacked_bar, line, pie, scatter, "
            "histogram）");
}

TEST(Markdown, CaptionWithoutTableIsAnError) {
  auto doc = parse_markdown("本文\n\nTable: 見出し\n");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message, "3行目: 「Table:」の見出しの直前に表がありません");
}

TEST(Markdown, SoftBreaksVanishBetweenJapaneseAndBecomeSpacesBetweenLatinWords) {
  auto doc = parse_markdown("日本語の文を\n途中で折り返す。Open\nData です。\n");
  ASSERT_TRUE(doc);
  auto& p = std::get<Paragraph>(doc->blocks.at(0));
  EXPECT_EQ(plain_text(p.spans), "日本語の文を途中で折り返す。Open Data です。");
}

TEST(Markdown, InlineStylesLinksAndFootnotes) {
  auto doc =
      parse_markdown("**重要**な点と*強調*、[第1章](#sec-1)を参照[^a]。\n\n[^a]: 注の本文。\n");
  ASSERT_TRUE(doc);
  auto& spans = std::get<Paragraph>(doc->blocks.at(0)).spans;
  ASSERT_GE(spans.size(), 7u);
  EXPECT_TRUE(spans[0].strong);
  EXPECT_EQ(spans[0].text, "重要");
  EXPECT_TRUE(spans[2].emphasis);
  EXPECT_EQ(spans[4].link, "#sec-1");
  EXPECT_EQ(spans[5].text, "を参照");
  EXPECT_EQ(spans[6].footnote, 1);
  ASSERT_EQ(doc->footnotes.size(), 1u);
  EXPECT_EQ(plain_text(doc->footnotes[0].spans), "注の本文。");
}

TEST(Markdown, ListsKeepDepthAndNumbers) {
  auto doc = parse_markdown("3. 三\n4. 四\n   - 下位\n");
  ASSERT_TRUE(doc);
  auto& list = std::get<List>(doc->blocks.at(0));
  ASSERT_EQ(list.items.size(), 3u);
  EXPECT_EQ(list.items[0].number, 3);
  EXPECT_EQ(list.items[1].number, 4);
  EXPECT_EQ(list.items[2].depth, 1);
  EXPECT_FALSE(list.items[2].ordered);
}

TEST(Markdown, HeadingsAreNumberedByTheirPlaceInTheOutlineWithoutPhantomZeros) {
  // A ### directly under a chapter is a section of that chapter (12.1), not "12.0.1"; it
  // shares the numbering of the chapter's ## sections; levels follow the outline.
  auto doc = parse_markdown(
      "# 章\n\n### 直下の小見出し\n\n### 二つ目\n\n## 節\n\n### 節の下\n\n# 次の章\n\n#### 深い\n");
  ASSERT_OK(doc);
  std::vector<std::tuple<int, std::string, std::string>> got;
  for (size_t i = 0; i < 7; ++i) {
    auto& h = heading(*doc, i);
    got.emplace_back(h.level, h.number, h.id);
  }
  EXPECT_EQ(got, (std::vector<std::tuple<int, std::string, std::string>>{
                     {1, "第1章", "sec-1"},
                     {2, "1.1", "sec-1-1"},
                     {2, "1.2", "sec-1-2"},
                     {2, "1.3", "sec-1-3"},
                     {3, "1.3.1", "sec-1-3-1"},
                     {1, "第2章", "sec-2"},
                     {2, "2.1", "sec-2-1"}}));
  auto deep = parse_markdown("# 章\n\n## 節\n\n### 項\n\n#### 目\n");
  ASSERT_OK(deep);
  EXPECT_EQ(heading(*deep, 3).level, 4);
  EXPECT_EQ(heading(*deep, 3).number, "");
}

TEST(Markdown, BulletsWrittenBeforeANumberOrAMarkerKeepTheWrittenMarker) {
  // "- 4) …" is what converters make of numbered clauses: one item marked "4)", not a bullet
  // with an ordered list inside. Other markers typed after the bullet replace it too.
  auto doc = parse_markdown(
      "- 4) 受注者は、体制を提示すること。\n- 5) 再委託する場合は担保させること。\n"
      "- ◇ ヒトの連携：派遣\n- ① 最初\n- （※1） 注記\n- (a) 小項目\n- 普通の項目\n"
      "- ◇\n\n1. 一\n2. 二\n");
  ASSERT_OK(doc);
  auto& list = std::get<List>(doc->blocks.at(0));
  std::vector<std::pair<std::string, std::string>> got;
  for (auto& item : list.items) got.emplace_back(list_marker(item), plain_text(item.spans));
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::string>>{
                     {"4)", "受注者は、体制を提示すること。"},
                     {"5)", "再委託する場合は担保させること。"},
                     {"◇", "ヒトの連携：派遣"},
                     {"①", "最初"},
                     {"（※1）", "注記"},
                     {"(a)", "小項目"},
                     {"・", "普通の項目"},
                     {"・", "◇"}}));
  for (auto& item : list.items) EXPECT_EQ(item.depth, 0);
  auto& ordered = std::get<List>(doc->blocks.at(1));
  EXPECT_EQ(list_marker(ordered.items[1]), "2.");
}

TEST(Markdown, BrInsideATableCellIsALineBreak) {
  auto doc = parse_markdown("| 項目 | 内容 |\n|---|---|\n| a | 一行目<br>二行目<br/>三行目 |\n");
  ASSERT_OK(doc);
  auto& t = std::get<Table>(doc->blocks.at(0));
  auto& cell = t.rows.at(0).at(1);
  ASSERT_EQ(cell.size(), 5u);
  EXPECT_TRUE(cell[1].line_break);
  EXPECT_TRUE(cell[3].line_break);
  EXPECT_EQ(t.row_lines, std::vector<int>{3});
}

TEST(Markdown, PageBreaksNotesAndRawHtmlDropped) {
  auto doc = parse_markdown("> 注意書き\n\n\\newpage\n\n<div>隠し</div>\n\n---\n\n終わり\n");
  ASSERT_TRUE(doc);
  ASSERT_EQ(doc->blocks.size(), 4u);
  EXPECT_TRUE(std::holds_alternative<Note>(doc->blocks[0]));
  EXPECT_TRUE(std::holds_alternative<PageBreak>(doc->blocks[1]));
  EXPECT_TRUE(std::holds_alternative<PageBreak>(doc->blocks[2]));
  EXPECT_TRUE(std::holds_alternative<Paragraph>(doc->blocks[3]));
}

TEST(Markdown, ImagesMustBePngFilesBelowTheInputFolder) {
  auto outside = parse_markdown("本文\n\n![図](../secret.png)\n", "/tmp");
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().message, "3行目: 画像は入力ファイルと同じフォルダかその下に置いてください: ../secret.png");
  auto absolute = parse_markdown("![図](/etc/x.png)\n", "/tmp");
  ASSERT_FALSE(absolute);
  EXPECT_EQ(absolute.error().message, "1行目: 画像は入力ファイルと同じフォルダかその下に置いてください: /etc/x.png");
  auto jpeg = parse_markdown("![写真](photo.jpg)\n", "/tmp");
  ASSERT_FALSE(jpeg);
  EXPECT_EQ(jpeg.error().message, "1行目: 画像は PNG にしてください: photo.jpg");
  auto missing = parse_markdown("![図](none-such-file.png)\n", "/tmp");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "1行目: 画像ファイルが見つかりません: none-such-file.png");
}

TEST(Markdown, FootnoteCitingItselfEndsTheWalk) {
  auto doc = parse_markdown("本文[^a]\n\n[^a]: 注[^a]の本文\n");
  ASSERT_OK(doc);
  ASSERT_EQ(doc->footnotes.size(), 1u);
  EXPECT_EQ(plain_text(doc->footnotes[0].spans), "注1の本文");
}

TEST(Markdown, RefusesNestingDeeperThanTheLimit) {
  std::string list;
  for (int i = 0; i < 40; ++i) list += std::string(2 * i, ' ') + "- 項目\n";
  auto doc = parse_markdown(list);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message, "34行目: 書式やリストの入れ子が深すぎます（上限 32 段）");
  std::string emphasis = std::string(40, '[') + "x" + std::string(40, ']') + "\n";
  // ****x**** is strong inside strong: 80 asterisks a side nest 40 deep.
  auto deep = parse_markdown(std::string(80, '*') + "x" + std::string(80, '*') + "\n");
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error().message, "1行目: 書式やリストの入れ子が深すぎます（上限 32 段）");
  EXPECT_TRUE(parse_markdown(emphasis));  // brackets without links are plain text
}

TEST(Markdown, RefusesInvalidUtf8) {
  auto doc = parse_markdown("\x82\xa0\x82\xa2");
  ASSERT_FALSE(doc);
  ExpectError(doc, ErrorCode::kInvalidArgument, "入力が UTF-8 として読めません");
}

}  // namespace
}  // namespace kakehashi::docs
