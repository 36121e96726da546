#include "docs/html.h"

#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "docs/markdown.h"
#include "docs/test_util.h"
#include "support/result.h"

namespace kakehashi::docs {
namespace {

class HtmlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto doc = parse_markdown(testing::read_file(testing::sample_markdown()));
    ASSERT_OK(doc);
    html_ = render_html(*doc);
    ASSERT_TRUE(xml_.load_string(html_.c_str(), pugi::parse_default | pugi::parse_doctype))
        << "HTML is not well-formed";
  }
  std::string html_;
  pugi::xml_document xml_;
};

TEST_F(HtmlTest, JapaneseLanguageTitleAndHeadingsInOrder) {
  auto html = xml_.child("html");
  EXPECT_STREQ(html.attribute("lang").value(), "ja");
  EXPECT_STREQ(html.child("head").child("title").child_value(),
               "学校と企業の連携による探究学習支援事業 報告書（見本）");
  std::vector<std::string> h2;
  for (auto n : xml_.select_nodes("//h2")) h2.push_back(n.node().text().get());
  EXPECT_EQ(h2, (std::vector<std::string>{"目次", "第1章　事業の概要", "第2章　成果指標の達成状況",
                                          "第3章　得られた教訓", "注"}));
  EXPECT_EQ(xml_.select_nodes("//h1").size(), 1u);
  EXPECT_EQ(xml_.select_nodes("//nav//a").size(), 8u);  // 3 chapters, 4 sections, notes
}

TEST_F(HtmlTest, LoadsNothingFromOutside) {
  EXPECT_TRUE(xml_.select_nodes("//*[@src]").empty());
  EXPECT_TRUE(xml_.select_nodes("//link").empty());
  EXPECT_TRUE(xml_.select_nodes("//script").empty());
  EXPECT_TRUE(xml_.select_nodes("//iframe | //object | //embed | //img").empty());
  EXPECT_EQ(html_.find("url("), std::string::npos);
  EXPECT_EQ(html_.find("@import"), std::string::npos);
  // Internal links all resolve to an element of the page.
  for (auto n : xml_.select_nodes("//a[starts-with(@href, '#')]")) {
    std::string id = n.node().attribute("href").value() + 1;
    EXPECT_TRUE(xml_.select_node(("//*[@id='" + id + "']").c_str())) << id;
  }
}

TEST_F(HtmlTest, ChartsAreInlineSvgWithTheirDataTables) {
  auto figures = xml_.select_nodes("//figure");
  ASSERT_EQ(figures.size(), 6u);
  for (auto f : figures) {
    auto svg = f.node().child("svg");
    ASSERT_TRUE(svg);
    EXPECT_STREQ(svg.attribute("role").value(), "img");
    EXPECT_FALSE(std::string(svg.attribute("aria-label").value()).empty());
    EXPECT_TRUE(f.node().select_node(".//details/table/thead/tr/th[@scope='col']"));
  }
  auto first = figures[0].node();
  EXPECT_STREQ(first.child("figcaption").child_value(), "図2-1　地域ブロック別の参加校数");
  auto cells = first.select_nodes(".//details/table/tbody/tr[3]/td");
  ASSERT_EQ(cells.size(), 3u);
  EXPECT_STREQ(cells[0].node().child_value(), "関東");
  EXPECT_STREQ(cells[2].node().child_value(), "78");
}

TEST_F(HtmlTest, TablesHaveCaptionsAndColumnHeaders) {
  auto table = xml_.select_node("//table[@id='tbl-2-1']").node();
  ASSERT_TRUE(table);
  EXPECT_STREQ(table.child("caption").child_value(), "表2-1　地域ブロック別の参加校数と協力企業数");
  EXPECT_EQ(table.select_nodes("thead/tr/th[@scope='col']").size(), 4u);
  EXPECT_EQ(table.select_nodes("tbody/tr").size(), 10u);
}

TEST_F(HtmlTest, FootnotesLinkBothWays) {
  EXPECT_TRUE(xml_.select_node("//sup/a[@href='#fn-1' and @id='fnref-1']"));
  EXPECT_TRUE(xml_.select_node("//li[@id='fn-1']/a[@href='#fnref-1']"));
}

TEST(Html, EscapesMarkupInText) {
  auto doc = parse_markdown("# A&B <script>\n\n1 < 2 & \"q\"\n");
  ASSERT_TRUE(doc);
  std::string html = render_html(*doc);
  pugi::xml_document xml;
  ASSERT_TRUE(xml.load_string(html.c_str(), pugi::parse_default | pugi::parse_doctype));
  EXPECT_TRUE(xml.select_nodes("//script").empty());
  EXPECT_STREQ(xml.select_node("//main/p").node().child_value(), "1 < 2 & \"q\"");
}

}  // namespace
}  // namespace kakehashi::docs
