// The personal-information detectors, with the hard negatives that must stay quiet.
#include "inspect/pii.h"

#include <gtest/gtest.h>
#include <unicode/normalizer2.h>

namespace kakehashi::inspect {
namespace {

std::vector<std::string> found(std::string_view text, std::string_view context = {}) {
  std::vector<std::string> out;
  for (const auto& match : find_pii(text, DenyList(), context))
    out.push_back(match.code + " " + match.value);
  return out;
}

// The code points normalize_for_pii passes without ICU: each is unchanged by NFKC and has a
// normalisation boundary before it (it never combines with what precedes it), so a text made
// only of them is unchanged by NFKC.
TEST(PiiTest, CodePointsSkippingIcuAreInertUnderNfkc) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  ASSERT_TRUE(U_SUCCESS(status));
  int stable = 0;
  for (char32_t cp = 0; cp < 0x110000; ++cp) {
    if (!nfkc_stable_code_point(cp)) continue;
    ++stable;
    auto c = static_cast<UChar32>(cp);
    ASSERT_TRUE(nfkc->hasBoundaryBefore(c)) << std::hex << static_cast<int>(cp);
    ASSERT_TRUE(nfkc->isNormalized(icu::UnicodeString(c), status) && U_SUCCESS(status))
        << std::hex << static_cast<int>(cp);
  }
  EXPECT_GT(stable, 20000);  // ASCII, kana and the CJK unified ideographs
  // Half-width katakana, full-width forms, the ideographic space and combining voicing marks
  // change under NFKC and go through ICU.
  for (char32_t cp : {0xFF71u, 0xFF10u, 0x3000u, 0x3099u, 0x309Bu, 0x30FEu, 0x309Eu, 0xF900u})
    EXPECT_FALSE(nfkc_stable_code_point(cp)) << std::hex << static_cast<int>(cp);
  // Normalised as before: full-width digits through ICU, a kana long mark between digits to '-'.
  EXPECT_EQ(normalize_for_pii("電話０３ー１２３４"), "電話03-1234");
  EXPECT_EQ(normalize_for_pii("電話03ー1234です"), "電話03-1234です");
  EXPECT_EQ(normalize_for_pii("ｶﾀｶﾅ"), "カタカナ");
  // A dash becomes '-' only between two digits, however many there are in a row.
  EXPECT_EQ(normalize_for_pii("1ー2ー3、ー1、1ーー2、1ー、データ"), "1-2-3、ー1、1ーー2、1ー、データ");
  EXPECT_EQ(normalize_for_pii("03\u20131234\u22125678"), "03-1234-5678");
}

TEST(PiiTest, CheckDigits) {
  EXPECT_TRUE(valid_my_number("123456789018"));
  EXPECT_FALSE(valid_my_number("123456789019"));
  EXPECT_TRUE(valid_corporate_number("8700110005901"));
  EXPECT_TRUE(valid_corporate_number("7000012050002"));
  EXPECT_FALSE(valid_corporate_number("7000012050003"));
}

TEST(PiiTest, PhoneNumbersInEveryForm) {
  using V = std::vector<std::string>;
  EXPECT_EQ(found("TEL 03-1234-5678"), V{"pii.phone 03-1234-5678"});
  EXPECT_EQ(found("０３（１２３４）５６７８"), V{"pii.phone 03(1234)5678"});
  EXPECT_EQ(found("携帯090ー1234ー5678です"), V{"pii.phone 090-1234-5678"});
  EXPECT_EQ(found("060-1234-5678"), V{"pii.phone 060-1234-5678"});
  EXPECT_EQ(found("IP 050‐1234‐5678"), V{"pii.phone 050-1234-5678"});
  EXPECT_EQ(found("0120-123-456"), V{"pii.phone 0120-123-456"});
  EXPECT_EQ(found("0800-123-4567"), V{"pii.phone 0800-123-4567"});
  EXPECT_EQ(found("0570-123-456"), V{"pii.phone 0570-123-456"});
  EXPECT_EQ(found("+81-90-1234-5678"), V{"pii.phone +81-90-1234-5678"});
  EXPECT_EQ(found("+81 3 1234 5678"), V{"pii.phone +81 3 1234 5678"});
  EXPECT_EQ(found("01234-5-6789"), V{"pii.phone 01234-5-6789"});
  EXPECT_EQ(found("09012345678"), V{"pii.phone 09012345678"});
  EXPECT_EQ(found("電話: 0312345678"), V{"pii.phone 0312345678"});
}

TEST(PiiTest, HardNegativesStayQuiet) {
  for (std::string_view text : {"2026-04-01",
                                "2026/04/01",
                                "令和8年4月1日",
                                "03-31",
                                "1,234,567円",
                                "¥12,345,678",
                                "文書番号 第2026-0412号",
                                "R6-0312-4567",
                                "ISBN 978-4-06-123456-7",
                                "0312345678",  // bare 10 digits, no context
                                "郵便番号 100-8901",
                                "〒100-8901",
                                "123456789018",  // no context, not 4-4-4
                                "1234 5678 9019",
                                "AB1234567",
                                "3.14159265358",
                                "v0.90.1234.5678",
                                "ID_09012345678",
                                "020-1234-5678",
                                "0000-0000-0000",
                                "1111 1111 1111",
                                "部品番号 7000012050002X"}) {
    EXPECT_EQ(found(text), std::vector<std::string>{}) << text;
  }
}

TEST(PiiTest, MyNumberNeedsContextOrGrouping) {
  using V = std::vector<std::string>;
  EXPECT_EQ(found("1234 5678 9018"), V{"pii.my_number 1234 5678 9018"});
  EXPECT_EQ(found("マイナンバー：１２３４５６７８９０１８"), V{"pii.my_number 123456789018"});
  EXPECT_EQ(found("123456789018", "個人番号"), V{"pii.my_number 123456789018"});
}

TEST(PiiTest, EmailPostalPassportCorporate) {
  using V = std::vector<std::string>;
  EXPECT_EQ(found("連絡はｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐまで"), V{"pii.email taro@example.jp"});
  EXPECT_EQ(found("〒１００－８９０１　東京都千代田区霞が関"), V{"pii.postal_address 〒100-8901"});
  EXPECT_EQ(found("〒1008901 千代田区"), V{"pii.postal_address 〒1008901"});
  EXPECT_EQ(found("パスポート AB1234567"), V{"pii.passport AB1234567"});
  EXPECT_EQ(found("MZ7654321"), V{"pii.passport MZ7654321"});
  EXPECT_EQ(found("登録番号 T7000012050002"), V{"pii.corporate_number T7000012050002"});
}

TEST(PiiTest, MasksWhatItReports) {
  EXPECT_EQ(mask_value("pii.phone", "090-1234-5678"), "090-****-**78");
  EXPECT_EQ(mask_value("pii.email", "taro@example.jp"), "ta**@example.jp");
  EXPECT_EQ(mask_value("pii.deny_list", "山田太郎"), "山＊＊＊");
  EXPECT_EQ(mask_value("pii.corporate_number", "7000012050002"), "7000012050002");
}

TEST(PiiTest, ScannerCapsFindingsPerCode) {
  DenyList none;
  TextScanner scanner(none);
  for (int i = 0; i < 55; ++i) scanner.scan("a" + std::to_string(i) + "@example.jp", "行");
  std::vector<Finding> findings;
  scanner.take_findings(findings);
  ASSERT_EQ(findings.size(), 51u);
  EXPECT_EQ(findings.back().code, "pii.truncated");
  EXPECT_EQ(findings.back().message, "同じ種類の個人情報が多いため、以降の 5 件は省略しました");
}

}  // namespace
}  // namespace kakehashi::inspect
