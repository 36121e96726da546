#include "docs/linebreak.h"

#include <gtest/gtest.h>

namespace kakehashi::docs {
namespace {

char32_t first_char(const std::string& s) {
  unsigned char c = static_cast<unsigned char>(s[0]);
  size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  char32_t v = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < len; ++k) v = (v << 6) | (static_cast<unsigned char>(s[k]) & 0x3F);
  return v;
}

char32_t last_char(const std::string& s) {
  size_t i = s.size() - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return first_char(s.substr(i));
}

// Sentences of the kind a report holds, dense with the punctuation kinsoku is about.
constexpr const char* kSentences[] = {
    "本事業では、全国の学校と企業をつなぐ「架け橋」として、地域ブロックごとにコーディネーターを配置"
    "し、探究学習の題材提供と伴走支援を行った。",
    "データの活用においては、プライバシーの保護とセキュリティーの確保が欠かせない。ユーザーのフィー"
    "ドバックを集め、サービスを改善する。",
    "参加校は延べ412校（目標400校）、協力企業は延べ1,038社（同1,"
    "000社）となり、いずれも目標を上回った。",
    "「ちょっとした工夫」が、授業の質を大きく変える――これが、現場の教員から最も多く聞かれた声である"
    "。",
    "ソフトウェア・サービス・インフラストラクチャーの三層で整理すると、次のとおりである：①企画、②設"
    "計、③運用。",
    "キャッシュレス決済、ウェアラブル端末、メタバース……新しい題材は次々に現れる！",
};

TEST(LineBreak, NoLineStartsWithClosingPunctuationOrEndsWithOpeningBracket) {
  int checked_lines = 0;
  for (const char* sentence : kSentences) {
    for (double width = 60; width <= 300; width += 5.25) {  // every column count from 5 to 28
      auto lines = break_lines(sentence, "IPAexMincho 10.5", width);
      ASSERT_FALSE(lines.empty());
      std::string joined;
      for (size_t i = 0; i < lines.size(); ++i) {
        joined += lines[i];
        if (i > 0) {
          EXPECT_FALSE(is_no_line_start(first_char(lines[i])))
              << "line starts with a forbidden character at width " << width << ": " << lines[i];
        }
        if (i + 1 < lines.size()) {
          EXPECT_FALSE(is_no_line_end(last_char(lines[i])))
              << "line ends with an opening bracket at width " << width << ": " << lines[i];
        }
        ++checked_lines;
      }
      EXPECT_EQ(joined, sentence);  // breaking never drops or duplicates text
    }
  }
  EXPECT_GT(checked_lines, 1000);
}

TEST(LineBreak, ClassifiesTheJisX4051Characters) {
  for (char32_t c : {U'、', U'。', U'」', U'）', U'・', U'ー', U'っ', U'ャ', U'…', U'々'})
    EXPECT_TRUE(is_no_line_start(c)) << static_cast<uint32_t>(c);
  for (char32_t c : {U'「', U'（', U'『', U'【'})
    EXPECT_TRUE(is_no_line_end(c)) << static_cast<uint32_t>(c);
  EXPECT_FALSE(is_no_line_start(U'あ'));
  EXPECT_FALSE(is_no_line_end(U'」'));
}

TEST(LineBreak, AttributesRemoveTheBreakBeforeProlongedSoundMark) {
  // Width of exactly six characters: without kinsoku the seventh character ー could begin the
  // second line; with it, the line breaks one character earlier.
  auto lines = break_lines("あいうえおかーきくけこ", "IPAexMincho 10", 60.5);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_NE(first_char(lines[1]), U'ー');
}

}  // namespace
}  // namespace kakehashi::docs

namespace kakehashi::docs {
namespace {

// The pieces of `text` between the word breaks.
std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t at : word_break_offsets(text)) {
    out.push_back(text.substr(start, at - start));
    start = at;
  }
  out.push_back(text.substr(start));
  return out;
}

TEST(WordBreaks, TitlesBreakBetweenWordsNeverInsideOne) {
  auto words = words_of("令和8年度「学びと社会の在り方改革推進事業」（「未来の教室」実証事業）仕様書");
  for (const char* whole : {"令和8年度", "改革推進事業", "仕様書", "学びと", "社会の"})
    EXPECT_NE(std::find_if(words.begin(), words.end(),
                           [&](const std::string& w) { return w.find(whole) != std::string::npos; }),
              words.end())
        << whole << " is cut";
  auto latin = words_of("Open Data の利活用と e-Learning 教材");
  EXPECT_NE(std::find(latin.begin(), latin.end(), "e-Learning"), latin.end());
  auto lines = balanced_title_lines("学びと社会の在り方改革推進事業 報告書", "IPAexGothic 24", 300);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0] + lines[1], "学びと社会の在り方改革推進事業 報告書");
  EXPECT_TRUE(lines[0].ends_with("在り方") || lines[0].ends_with("事業")) << lines[0];
}

}  // namespace
}  // namespace kakehashi::docs
