// The pull reader of worksheets (inspect/xml_stream.h): what it returns, and every case where it
// must give up so that pugixml's DOM reads the part as before (issue 23 item 8).
#include "inspect/xml_stream.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kakehashi::inspect {
namespace {

// Events as "<name depth", ">name depth", "'text'", "done" or "give up".
std::vector<std::string> events(std::string_view xml) {
  XmlStream x(xml);
  std::vector<std::string> out;
  while (true) {
    XmlStream::Event event = x.next();
    if (event == XmlStream::Event::kDone) {
      out.push_back("done");
      return out;
    }
    if (event == XmlStream::Event::kGiveUp) {
      out.push_back("give up");
      return out;
    }
    if (event == XmlStream::Event::kStart) {
      out.push_back("<" + std::string(x.name()) + " " + std::to_string(x.depth()));
    } else if (event == XmlStream::Event::kEnd) {
      out.push_back(">" + std::string(x.name()) + " " + std::to_string(x.depth()));
    } else {
      std::string_view text = x.text();
      if (!x.ok()) {
        out.push_back("give up");
        return out;
      }
      out.push_back("'" + std::string(text) + "'");
    }
  }
}

bool gives_up(std::string_view xml) {
  auto out = events(xml);
  return out.back() == "give up";
}

TEST(XmlStreamTest, ElementsTextAndDepthAsPugixmlMakesNodes) {
  EXPECT_EQ(events("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                   "<ws><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c/></row>\n</ws>"),
            (std::vector<std::string>{"<ws 1", "<row 2", "<c 3", "<v 4", "'0'", ">v 4", ">c 3",
                                      "<c 3", ">c 3", ">row 2", "'\n'", ">ws 1", "done"}));
  // The five predefined entities are decoded; CDATA is a text node of its own, a comment
  // splits the text around it.
  EXPECT_EQ(events("<t>A&amp;B &lt;&gt;&quot;&apos;<![CDATA[x<y]]>z<!-- c -->w</t>"),
            (std::vector<std::string>{"<t 1", "'A&B <>\"''", "'x<y'", "'z'", "'w'", ">t 1",
                                      "done"}));
  EXPECT_EQ(events("\xEF\xBB\xBF<a/>"), (std::vector<std::string>{"<a 1", ">a 1", "done"}));
}

TEST(XmlStreamTest, AttributesByLocalNameAsTheInspectorComparesThem) {
  XmlStream x("<c x:r=\"B2\" t='s' hidden=\"1\" a:b:r=\"no\"/>");
  ASSERT_EQ(x.next(), XmlStream::Event::kStart);
  EXPECT_EQ(x.attribute("r"), "B2");
  EXPECT_EQ(x.attribute("t"), "s");
  EXPECT_EQ(x.attribute("hidden"), "1");
  EXPECT_EQ(x.attribute("ht"), "");
  EXPECT_TRUE(x.ok());
  // A value pugixml would convert (an entity, a line feed): the reader gives up.
  XmlStream y("<c r=\"A&amp;1\"/>");
  ASSERT_EQ(y.next(), XmlStream::Event::kStart);
  EXPECT_EQ(y.attribute("r"), "");
  EXPECT_FALSE(y.ok());
  EXPECT_EQ(y.next(), XmlStream::Event::kGiveUp);
}

TEST(XmlStreamTest, GivesUpOnWhatPugixmlMightReadOtherwise) {
  EXPECT_TRUE(gives_up("<a><b></a></b>"));                   // mismatched tags
  EXPECT_TRUE(gives_up("<a><b></b>"));                       // unclosed
  EXPECT_TRUE(gives_up("<a/><b/>"));                         // a second root
  EXPECT_TRUE(gives_up("<a>x&#12354;</a>"));                 // numeric reference
  EXPECT_TRUE(gives_up("<a>x&nbsp;</a>"));                   // unknown entity
  EXPECT_TRUE(gives_up("<a>x\r\ny</a>"));                    // end-of-line normalisation
  EXPECT_TRUE(gives_up("<a b=1/>"));                         // unquoted value
  EXPECT_TRUE(gives_up("<a b=\"1\"c=\"2\"/>"));              // attributes not separated
  EXPECT_TRUE(gives_up("<!DOCTYPE a><a/>"));                 // a DTD
  EXPECT_TRUE(gives_up("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><a/>"));
  EXPECT_TRUE(gives_up(std::string_view("<a>\0</a>", 8)));   // NUL byte
  EXPECT_TRUE(gives_up("text<a/>"));                         // text outside the root
  EXPECT_TRUE(gives_up("<a><!-- open </a>"));                // unterminated comment
  EXPECT_TRUE(gives_up(""));                                 // no document element
  EXPECT_FALSE(gives_up("<a>\n  <b x=\"1\" />\n</a>\n"));
}

}  // namespace
}  // namespace kakehashi::inspect
