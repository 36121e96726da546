#include "mail/message.h"

#include <gtest/gtest.h>

#include <fstream>

#include "base/text.h"
#include "support/mail_server.h"
#include "support/result.h"
#include "support/temp_dir.h"

using ::kakehashi::testing::ExpectError;

namespace kakehashi::mail {
namespace {

using namespace std::chrono;
const sys_seconds kAt = sys_days{2026y / 12 / 3} + 8h + 48min;  // 17:48 in Japan

// A display name that fits one encoded word (42 bytes): Python's email package, the reader these
// tests use, keeps the space between two encoded words of a display name, which RFC 2047 says to
// drop (mail programs do). Long names are checked word by word below.
const Identity kFrom{"noreply@kakehashi.example.jp", "架け橋 Kakehashi 事務局"};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find("\r\n", start);
    if (end == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

TEST(Base64, KnownVectors) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64("日本"), "5pel5pys");
  EXPECT_EQ(*base64_decode("5pel5pys"), "日本");
  EXPECT_EQ(*base64_decode("Zm9v\r\nYmFy"), "foobar");
  EXPECT_FALSE(base64_decode("Zm9v!"));
}

TEST(Base64, BreaksLinesAt76) {
  std::string encoded = base64(std::string(300, 'x'), 76);
  for (const auto& line : lines_of(encoded)) EXPECT_LE(line.size(), 76u);
  EXPECT_EQ(lines_of(encoded).front().size(), 76u);
  EXPECT_EQ(*base64_decode(encoded), std::string(300, 'x'));
}

TEST(HeaderText, ShortAsciiStaysReadable) {
  EXPECT_EQ(encode_header_text("Password reset", 9), "Password reset");
  // Text that looks like an encoded word is encoded, so no reader decodes what a user typed.
  EXPECT_TRUE(encode_header_text("=?UTF-8?B?eA==?=", 9).starts_with("=?UTF-8?B?"));
}

TEST(HeaderText, JapaneseBecomesEncodedWordsThatNeverSplitACharacter) {
  std::string subject = "【架け橋】メールアドレスの確認：令和8年度「未来の教室」産学連携事業の事業者アカウント登録";
  std::string encoded = encode_header_text(subject, 9);
  std::string joined;
  auto lines = lines_of(encoded);
  EXPECT_GT(lines.size(), 1u);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string word = lines[i];
    if (i > 0) {
      ASSERT_EQ(word.front(), ' ') << "folded lines start with white space";
      word = word.substr(1);
    }
    EXPECT_LE(word.size(), 75u) << "RFC 2047: an encoded word is at most 75 characters";
    EXPECT_LE((i == 0 ? 9 : 1) + word.size(), 78u) << "RFC 5322: lines of at most 78 characters";
    ASSERT_TRUE(word.starts_with("=?UTF-8?B?") && word.ends_with("?=")) << word;
    auto decoded = base64_decode(word.substr(10, word.size() - 12));
    ASSERT_TRUE(decoded);
    EXPECT_TRUE(text::is_valid_utf8(*decoded)) << "word " << i << " splits a character";
    joined += *decoded;
  }
  EXPECT_EQ(joined, subject);
}

TEST(DateHeader, IsJapanTimeInRfc5322Form) {
  EXPECT_EQ(format_date(kAt), "Thu, 03 Dec 2026 17:48:00 +0900");
  EXPECT_EQ(format_date(sys_days{2026y / 12 / 31} + 15h + 5s), "Fri, 01 Jan 2027 00:00:05 +0900");
}

TEST(MessageId, IsRandomOnTheSendersDomain) {
  std::string a = make_message_id("noreply@kakehashi.example.jp");
  std::string b = make_message_id("noreply@kakehashi.example.jp");
  EXPECT_NE(a, b);
  EXPECT_TRUE(a.starts_with("<") && a.ends_with("@kakehashi.example.jp>")) << a;
  EXPECT_EQ(a.size(), 1 + 32 + 1 + 20 + 1);
}

TEST(Addresses, OnlyWhatSmtpAndHeadersCarrySafely) {
  for (const char* good : {"yamada@example.jp", "a.b+c@mail.example.co.jp", "o'neil@example.com", "x@localhost"}) {
    EXPECT_TRUE(is_valid_address(good)) << good;
  }
  for (const char* bad : {"", "yamada", "@example.jp", "yamada@", "a@b@c.jp", "a b@example.jp", "a@exa mple.jp",
                          "a@example.jp\r\nBcc: x@evil.example", "a@example.jp>", "<a@example.jp", "a,b@example.jp",
                          "a@example.jp,b@evil.example", "山田@example.jp", "a@例え.jp", ".a@example.jp",
                          "a..b@example.jp", "a@-example.jp", "a@example..jp", "\"a\"@example.jp"}) {
    EXPECT_FALSE(is_valid_address(bad)) << bad;
  }
}

// Header injection, as a class: a CR or LF anywhere a header value comes from is refused.
TEST(FormatMessage, RefusesLineBreaksInEveryHeaderValue) {
  Message good{"yamada@example.jp", "件名", "本文"};
  ASSERT_TRUE(format_message(good, kFrom, kAt, "<x@example.jp>"));
  for (const char* injected : {"\r\nBcc: victim@example.jp", "\nBcc: victim@example.jp", "\rX: y", "a\tb"}) {
    Message subject = good;
    subject.subject += injected;
    auto refused = format_message(subject, kFrom, kAt, "<x@example.jp>");
    ASSERT_FALSE(refused) << injected;
    ExpectError(refused, ErrorCode::kInvalidArgument, "メールの件名に改行や制御文字を含めることはできません");
    Message to = good;
    to.to += injected;
    ASSERT_FALSE(format_message(to, kFrom, kAt, "<x@example.jp>"));
    ExpectError(format_message(to, kFrom, kAt, "<x@example.jp>"), ErrorCode::kInvalidArgument,
                "宛先のメールアドレスが正しくありません");
    Identity name = kFrom;
    name.display_name += injected;
    ASSERT_FALSE(format_message(good, name, kAt, "<x@example.jp>"));
    ExpectError(format_message(good, name, kAt, "<x@example.jp>"), ErrorCode::kInvalidArgument,
                "送信者名に改行や制御文字を含めることはできません");
    Identity address = kFrom;
    address.address += injected;
    EXPECT_FALSE(format_message(good, address, kAt, "<x@example.jp>"));
    EXPECT_FALSE(format_message(good, kFrom, kAt, std::string("<x@example.jp>") + injected));
  }
  ExpectError(format_message({"yamada@example.jp", " ", "本文"}, kFrom, kAt, "<x@e.jp>"), ErrorCode::kInvalidArgument,
              "メールの件名がありません");
  EXPECT_FALSE(format_message({"yamada@example.jp", "件名", std::string("a\0b", 3)}, kFrom, kAt, "<x@e.jp>"));
  EXPECT_FALSE(format_message({"yamada@example.jp", "件名", "\xff\xfe"}, kFrom, kAt, "<x@e.jp>"));
}

TEST(FormatMessage, ALongDisplayNameIsFoldedIntoWordsBeforeTheAddress) {
  Identity long_name{"noreply@kakehashi.example.jp", "架け橋 Kakehashi（「未来の教室」産学連携事業 事務局）"};
  auto text = format_message({"yamada@example.jp", "件名", "本文"}, long_name, kAt, "<x@e.jp>");
  ASSERT_TRUE(text);
  size_t start = text->find("From: ");
  size_t end = text->find("\r\nTo: ");
  ASSERT_NE(start, std::string::npos);
  auto lines = lines_of(text->substr(start + 6, end - start - 6));
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines.back(), " <noreply@kakehashi.example.jp>");
  std::string name;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    std::string word = i == 0 ? lines[i] : lines[i].substr(1);
    ASSERT_TRUE(word.starts_with("=?UTF-8?B?") && word.ends_with("?=")) << word;
    name += *base64_decode(word.substr(10, word.size() - 12));
  }
  EXPECT_EQ(name, long_name.display_name);
}

TEST(FormatMessage, HeadersAndABase64BodyWithCrlfLines) {
  auto text = format_message({"yamada@example.jp", "登録のご案内", "山田 様\n\n.で始まる行\r\n最後の行"}, kFrom, kAt,
                             "<abc@kakehashi.example.jp>");
  ASSERT_OK(text);
  EXPECT_NE(text->find("Date: Thu, 03 Dec 2026 17:48:00 +0900\r\n"), std::string::npos);
  EXPECT_NE(text->find("To: yamada@example.jp\r\n"), std::string::npos);
  EXPECT_NE(text->find("Message-ID: <abc@kakehashi.example.jp>\r\n"), std::string::npos);
  EXPECT_NE(text->find("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n"),
            std::string::npos);
  EXPECT_NE(text->find("Subject: =?UTF-8?B?"), std::string::npos);
  for (const auto& line : lines_of(*text)) EXPECT_LE(line.size(), 78u) << line;
  size_t blank = text->find("\r\n\r\n");
  ASSERT_NE(blank, std::string::npos);
  auto body = base64_decode(text->substr(blank + 4));
  ASSERT_TRUE(body);
  EXPECT_EQ(*body, "山田 様\r\n\r\n.で始まる行\r\n最後の行\r\n");
}

// What a mail program shows: Python's email package reads the subject, the sender's name and
// the body back exactly.
TEST(FormatMessage, AnIndependentReaderDecodesTheJapanese) {
  testing::TempDir dir;
  std::string subject = "【架け橋】パスワード再設定のご案内（有効期限 1 時間）―令和8年度「未来の教室」産学連携事業";
  std::string body = "山田 太郎 様\n\nパスワードの再設定を受け付けました。\n以下のリンクを開いてください。\nhttps://kakehashi.example.jp/password/reset?token=abc\n";
  auto text = format_message({"yamada@example.jp", subject, body}, kFrom, kAt, make_message_id(kFrom.address));
  ASSERT_TRUE(text);
  std::ofstream(dir.file("m.eml"), std::ios::binary) << *text;
  auto decoded = testing::decode_mail_file(dir.file("m.eml"));
  EXPECT_EQ(decoded["subject"].as_string(), subject);
  EXPECT_EQ(decoded["from_name"].as_string(), kFrom.display_name);
  EXPECT_EQ(decoded["from_address"].as_string(), kFrom.address);
  EXPECT_EQ(decoded["to"].as_array().at(0).as_string(), "yamada@example.jp");
  EXPECT_EQ(decoded["date"].as_string(), "2026-12-03T17:48:00+09:00");
  EXPECT_EQ(decoded["charset"].as_string(), "utf-8");
  EXPECT_EQ(decoded["content_type"].as_string(), "text/plain");
  EXPECT_EQ(decoded["body"].as_string(), body);
  EXPECT_TRUE(decoded["defects"].as_array().empty());
  EXPECT_FALSE(decoded["bare_lf"].as_bool());
  EXPECT_LE(decoded["max_line_bytes"].as_int64(), 78);
}

}  // namespace
}  // namespace kakehashi::mail
