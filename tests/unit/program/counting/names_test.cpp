#include "program/counting/names.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "program/counting/chars.h"
#include "program/counting/tables.h"

namespace kakehashi::program::counting {
namespace {

std::string key(std::string_view partner, std::string_view prefecture = "") {
  auto name = normalize_partner(partner, prefecture);
  return std::to_string(int(name.kind)) + ":" + name.name + "|" + name.prefecture + "|" +
         name.municipality;
}

// Spellings of one company as operators type them.
TEST(CompanyKey, EquatesLegalFormsWidthsAndSpacing) {
  const char* sakura[] = {"株式会社サクラ", "(株)サクラ",          "ｻｸﾗ㈱",        "（株）サクラ",
                          "サクラ株式会社", "株式会社　サクラ",    "サクラ（株）", " ㈱サクラ ",
                          "サクラ㈱",       "株式会社 サ・ク・ラ", "ｻｸﾗ(株)"};
  for (const char* spelling : sakura) EXPECT_EQ(company_key(spelling), "サクラ") << spelling;

  const char* latin[] = {
      "Sakura Inc.", "SAKURA Co., Ltd.", "Sakura Co.,Ltd.", "ｓａｋｕｒａ　ＩＮＣ．",
      "sakura K.K.", "Sakura LLC",       "Sakura Corp."};
  for (const char* spelling : latin) EXPECT_EQ(company_key(spelling), "sakura") << spelling;

  EXPECT_EQ(company_key("特定非営利活動法人みらい教育ネット"), "みらい教育ネット");
  EXPECT_EQ(company_key("NPO法人 みらい教育ネット"), "みらい教育ネット");
  EXPECT_EQ(company_key("一般社団法人 未来教育協会"), company_key("(一社)未来教育協会"));
  EXPECT_EQ(company_key("公益財団法人 北海道科学振興財団"), "北海道科学振興財団");
  EXPECT_EQ(company_key("合同会社ミライ"), company_key("ミライ合同会社"));
  EXPECT_EQ(company_key("株式会社アオバヶ丘"), company_key("アオバケ丘株式会社"));
}

TEST(CompanyKey, KeepsDifferentCompaniesApart) {
  // A company and its subsidiary, a holding company, and different names are different.
  EXPECT_NE(company_key("株式会社サクラ"), company_key("株式会社サクラテクノロジー"));
  EXPECT_NE(company_key("株式会社サクラ"), company_key("サクラホールディングス株式会社"));
  EXPECT_NE(company_key("株式会社サクラ"),
            company_key("株式会社さくら"));  // kana differs: review, not merge
  EXPECT_NE(company_key("株式会社サクラ"), company_key("株式会社桜"));
  EXPECT_NE(company_key("Incubate Japan"), company_key("ubate Japan"));
  EXPECT_EQ(company_key("Incubate Japan Inc."), "incubatejapan");  // "Inc" only as a whole word
  EXPECT_NE(company_key("C++ラボ"), company_key("Cラボ"));
  EXPECT_EQ(company_key("株式会社"), "株式会社");   // nothing but a legal form keeps it
  EXPECT_NE(company_key("＊"), company_key("・"));  // only symbols: compared as written
}

TEST(CompanyKey, RemovesEveryLegalFormOfTheTableInAnyPosition) {
  for (const auto& form : legal_forms()) {
    std::string spelling(form.spelling);
    bool latin = spelling.find_first_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") !=
                 std::string::npos;
    if (latin) {
      EXPECT_EQ(company_key("Sakura " + spelling), "sakura") << spelling;
    } else {
      EXPECT_EQ(company_key(spelling + "サクラ"), "サクラ") << spelling;
      EXPECT_EQ(company_key("サクラ" + spelling), "サクラ") << spelling;
      EXPECT_EQ(company_key(spelling + " サクラ"), "サクラ") << spelling;
    }
  }
}

TEST(CompanyKey, EverySpellingVariantOfTheTableIsItsStandardForm) {
  for (const auto& variant : name_spelling_variants()) {
    std::string spelled = "アオバ" + std::string(variant.variant) + "丘";
    std::string standard = "アオバ" + std::string(variant.standard) + "丘";
    EXPECT_EQ(company_key(spelled), company_key(standard)) << variant.variant;
    EXPECT_EQ(normalize_partner(spelled + "小学校", "宮城県"),
              normalize_partner(standard + "小学校", "宮城県"))
        << variant.variant;
  }
}

TEST(PartnerName, BoardOfEducationAndTownHallAreTheirMunicipality) {
  const std::string sapporo = key("札幌市", "北海道");
  const char* spellings[] = {
      "札幌市教育委員会", "札幌市教育委員会事務局",  "札幌市役所",        "札幌市教委",
      "北海道札幌市",     "北海道 札幌市教育委員会", "札幌市　教育委員会"};
  for (const char* spelling : spellings) EXPECT_EQ(key(spelling, "北海道"), sapporo) << spelling;
  // The prefecture in front of the name stands for the prefecture column.
  EXPECT_EQ(key("北海道札幌市", ""), sapporo);
  EXPECT_EQ(key("倶知安町役場", "北海道"), key("虻田郡倶知安町", "北海道"));
  EXPECT_EQ(normalize_partner("倶知安町役場", "北海道").kind, PartnerKind::kMunicipality);
  EXPECT_EQ(normalize_partner("北海道教育委員会", "").kind, PartnerKind::kPrefecture);
  EXPECT_EQ(key("北海道教育委員会", ""), key("北海道庁", ""));
  EXPECT_EQ(key("東京都教育庁", ""), key("東京都", ""));
}

TEST(PartnerName, OfficeSuffixesOfTheTableLeaveTheirMunicipality) {
  for (const auto& office : office_suffixes()) {
    for (char32_t ending : office.remains_ending_in) {
      std::u32string place = U"旭";
      place.push_back(ending);
      std::string base = chars::encode(place);
      EXPECT_EQ(normalize_partner(base + std::string(office.suffix), "北海道").name, base)
          << base << office.suffix;
    }
  }
}

TEST(PartnerName, SchoolSpellingsAndSetterPrefixes) {
  const std::string asahi = key("旭高校", "北海道");
  const char* spellings[] = {"県立旭高等学校", "旭高等学校", "北海道立旭高等学校",  "道立旭高校",
                             "北海道旭高校",   "旭 高校",    "北海道立　旭高等学校"};
  for (const char* spelling : spellings) EXPECT_EQ(key(spelling, "北海道"), asahi) << spelling;
  EXPECT_EQ(key("北海道立旭高等学校", ""), asahi);  // the setter names the prefecture

  EXPECT_EQ(key("旭中学", "宮城県"), key("旭中学校", "宮城県"));
  EXPECT_EQ(key("第一中学校", "宮城県"), key("第1中学校", "宮城県"));
  EXPECT_EQ(key("市立第一中学校", "宮城県"), key("第1中学校", "宮城県"));
  EXPECT_EQ(key("旭ヶ丘小学校", "宮城県"), key("旭ケ丘小学校", "宮城県"));
  EXPECT_EQ(key("教育大学付属中学校", "宮城県"), key("教育大学附属中学校", "宮城県"));

  // A named municipality setter is kept as the school's municipality.
  auto sendai = normalize_partner("仙台市立第一中学校", "宮城県");
  EXPECT_EQ(sendai.kind, PartnerKind::kSchool);
  EXPECT_EQ(sendai.name, "第1中学校");
  EXPECT_EQ(sendai.prefecture, "宮城県");
  EXPECT_EQ(sendai.municipality, "仙台市");
  EXPECT_EQ(normalize_partner("宮城県仙台市立第一中学校", "").municipality, "仙台市");
  EXPECT_EQ(normalize_partner("宮城県仙台市立第一中学校", "").prefecture, "宮城県");
  EXPECT_EQ(normalize_partner("国立市立第一小学校", "東京都").municipality, "国立市");
}

TEST(PartnerName, HardNegativesStayApart) {
  EXPECT_NE(key("第一中学校", "宮城県"), key("第二中学校", "宮城県"));
  EXPECT_NE(key("旭高校", "北海道"), key("旭高校", "大阪府"));
  EXPECT_NE(key("北海道立旭高校", ""), key("大阪府立旭高校", ""));
  EXPECT_NE(key("仙台市立第一中学校", "宮城県"), key("石巻市立第一中学校", "宮城県"));
  EXPECT_NE(key("旭中等教育学校", "北海道"), key("旭中学校", "北海道"));
  EXPECT_NE(key("旭義務教育学校", "北海道"), key("旭中学校", "北海道"));
  EXPECT_NE(key("旭高等専門学校", "北海道"), key("旭高校", "北海道"));
  EXPECT_NE(key("札幌市", "北海道"), key("札幌市立旭小学校", "北海道"));
  EXPECT_NE(key("札幌市", "北海道"), key("札幌市中央区", "北海道"));
  EXPECT_NE(key("伊達市", "北海道"), key("伊達市", "福島県"));
  EXPECT_NE(key("旭高校", "北海道"), key("あさひ高校", "北海道"));  // kana and kanji: review
}

TEST(PartnerName, UniversitiesKeepTheirNamesWhole) {
  // 県立広島大学, 東京都立大学 and 北海道大学 are names; nothing in them is a setter prefix.
  EXPECT_EQ(normalize_partner("東京都立大学", "").name, "東京都立大学");
  EXPECT_EQ(normalize_partner("県立広島大学", "広島県").name, "県立広島大学");
  EXPECT_EQ(normalize_partner("北海道大学", "北海道").name, "北海道大学");
  EXPECT_EQ(normalize_partner("北海道大学", "").prefecture, "");
  EXPECT_EQ(normalize_partner("国立大学法人 北海道大学", "北海道").name, "北海道大学");
  EXPECT_EQ(key("札幌大谷短大", "北海道"), key("札幌大谷短期大学", "北海道"));
  EXPECT_NE(key("北海道大学", "北海道"), key("北海道教育大学", "北海道"));
}

TEST(PartnerName, EverySetterPrefixOfTheTableIsRemovedBeforeALocatedSchool) {
  for (auto prefix : setter_prefixes()) {
    EXPECT_EQ(key(std::string(prefix) + "旭小学校", "北海道"), key("旭小学校", "北海道")) << prefix;
  }
}

TEST(PartnerName, EverySchoolKindSpellingIsItsCanonicalName) {
  for (const auto& kind : school_kinds()) {
    for (auto spelling : kind.spellings) {
      auto name = normalize_partner("旭" + std::string(spelling), "北海道");
      EXPECT_EQ(name.kind, PartnerKind::kSchool) << spelling;
      EXPECT_EQ(name.name, "旭" + std::string(kind.canonical)) << spelling;
      auto with_setter = normalize_partner("市立旭" + std::string(spelling), "北海道");
      EXPECT_EQ(with_setter.name, kind.located ? "旭" + std::string(kind.canonical)
                                               : "市立旭" + std::string(kind.canonical))
          << spelling;
    }
  }
}

TEST(PrefectureName, AcceptsFullAndShortNamesOfAll47) {
  ASSERT_EQ(prefectures().size(), 47u);
  for (const auto& prefecture : prefectures()) {
    EXPECT_EQ(prefecture_name(prefecture.name), std::string(prefecture.name));
    EXPECT_EQ(prefecture_name(prefecture.short_name), std::string(prefecture.name));
    EXPECT_EQ(normalize_partner(std::string(prefecture.name) + "旭市", "").prefecture,
              prefecture.name);
  }
  EXPECT_EQ(prefecture_name(" 東京 "), "東京都");
  EXPECT_EQ(prefecture_name(""), std::nullopt);
  EXPECT_EQ(prefecture_name("東京府"), std::nullopt);
  EXPECT_EQ(prefecture_name("Tokyo"), std::nullopt);
}

TEST(PrefectureName, TableMatchesTheSharedReferenceData) {
  const char* shared = std::getenv("KAKEHASHI_SHARED_DIR");
  ASSERT_NE(shared, nullptr) << "KAKEHASHI_SHARED_DIR is not set";
  std::ifstream in(std::string(shared) + "/data/prefectures.json");
  ASSERT_TRUE(in) << shared << "/data/prefectures.json";
  std::stringstream buffer;
  buffer << in.rdbuf();
  const auto reference = boost::json::parse(buffer.str()).as_array();
  ASSERT_EQ(reference.size(), prefectures().size());
  for (size_t i = 0; i < reference.size(); ++i) {
    EXPECT_EQ(reference[i].at("iso").as_string(), prefectures()[i].code);
    EXPECT_EQ(reference[i].at("prefecture_kanji").as_string(), prefectures()[i].name);
  }
}

}  // namespace
}  // namespace kakehashi::program::counting
