#include "program/counting/tables.h"

#include <array>

namespace kakehashi::program::counting {

namespace {

// The tables are laid out one entry (or one pair) a line for reading.
// clang-format off

// Longer spellings come first where one contains another (公益社団法人 before 社団法人); the
// matcher also sorts by length, the order here is for readers.
constexpr std::array kLegalForms = {
    LegalForm{"特定非営利活動法人", "特定非営利活動法人"},
    LegalForm{"NPO法人", "特定非営利活動法人"},
    LegalForm{"(特非)", "特定非営利活動法人"},
    LegalForm{"一般社団法人", "一般社団法人"},
    LegalForm{"(一社)", "一般社団法人"},
    LegalForm{"一般財団法人", "一般財団法人"},
    LegalForm{"(一財)", "一般財団法人"},
    LegalForm{"公益社団法人", "公益社団法人"},
    LegalForm{"(公社)", "公益社団法人"},
    LegalForm{"公益財団法人", "公益財団法人"},
    LegalForm{"(公財)", "公益財団法人"},
    LegalForm{"社団法人", "社団法人"},
    LegalForm{"㈳", "社団法人"},
    LegalForm{"財団法人", "財団法人"},
    LegalForm{"㈶", "財団法人"},
    LegalForm{"国立大学法人", "国立大学法人"},
    LegalForm{"公立大学法人", "公立大学法人"},
    LegalForm{"独立行政法人", "独立行政法人"},
    LegalForm{"地方独立行政法人", "地方独立行政法人"},
    LegalForm{"学校法人", "学校法人"},
    LegalForm{"(学)", "学校法人"},
    LegalForm{"社会福祉法人", "社会福祉法人"},
    LegalForm{"(福)", "社会福祉法人"},
    LegalForm{"株式会社", "株式会社"},
    LegalForm{"(株)", "株式会社"},
    LegalForm{"㈱", "株式会社"},
    LegalForm{"（株）", "株式会社"},
    LegalForm{"有限会社", "有限会社"},
    LegalForm{"(有)", "有限会社"},
    LegalForm{"㈲", "有限会社"},
    LegalForm{"合同会社", "合同会社"},
    LegalForm{"(同)", "合同会社"},
    LegalForm{"合資会社", "合資会社"},
    LegalForm{"(資)", "合資会社"},
    LegalForm{"合名会社", "合名会社"},
    LegalForm{"(名)", "合名会社"},
    // Latin forms match whole words only, in any letter case ("Co.,Ltd." is Co. + Ltd.).
    LegalForm{"Inc.", "Inc."},
    LegalForm{"Inc", "Inc."},
    LegalForm{"Co.", "Co."},
    LegalForm{"Ltd.", "Ltd."},
    LegalForm{"Ltd", "Ltd."},
    LegalForm{"Corp.", "Corp."},
    LegalForm{"K.K.", "株式会社"},
    LegalForm{"LLC", "LLC"},
};

constexpr std::array kOfficeSuffixes = {
    OfficeSuffix{"教育委員会事務局", U"都道府県市区町村"},
    OfficeSuffix{"教育委員会", U"都道府県市区町村"},
    OfficeSuffix{"教委", U"都道府県市区町村"},
    OfficeSuffix{"教育庁", U"都道府県"},
    OfficeSuffix{"役所", U"市区町村"},
    OfficeSuffix{"役場", U"町村"},
    OfficeSuffix{"庁", U"都道府県"},
};

constexpr std::array<std::string_view, 2> kHighSchool = {"高等学校", "高校"};
constexpr std::array<std::string_view, 2> kJuniorHigh = {"中学校", "中学"};
constexpr std::array<std::string_view, 1> kElementary = {"小学校"};
constexpr std::array<std::string_view, 1> kCompulsory = {"義務教育学校"};
constexpr std::array<std::string_view, 1> kSecondary = {"中等教育学校"};
constexpr std::array<std::string_view, 1> kSpecialNeeds = {"特別支援学校"};
constexpr std::array<std::string_view, 1> kKindergarten = {"幼稚園"};
constexpr std::array<std::string_view, 1> kTechnology = {"高等専門学校"};
constexpr std::array<std::string_view, 2> kJuniorCollege = {"短期大学", "短大"};
constexpr std::array<std::string_view, 1> kUniversity = {"大学"};
constexpr std::array<std::string_view, 1> kSpecialTraining = {"専修学校"};
constexpr std::array<std::string_view, 1> kVocational = {"専門学校"};

// Order matters where one spelling ends another: 高等専門学校 before 専門学校, 短期大学 before
// 大学. 中等教育学校 and 義務教育学校 are kinds of their own, never 中学校.
constexpr std::array kSchoolKinds = {
    SchoolKind{"中等教育学校", kSecondary, true},
    SchoolKind{"義務教育学校", kCompulsory, true},
    SchoolKind{"特別支援学校", kSpecialNeeds, true},
    SchoolKind{"高等専門学校", kTechnology, false},
    SchoolKind{"高等学校", kHighSchool, true},
    SchoolKind{"中学校", kJuniorHigh, true},
    SchoolKind{"小学校", kElementary, true},
    SchoolKind{"幼稚園", kKindergarten, true},
    SchoolKind{"短期大学", kJuniorCollege, false},
    SchoolKind{"大学", kUniversity, false},
    SchoolKind{"専修学校", kSpecialTraining, false},
    SchoolKind{"専門学校", kVocational, false},
};

constexpr std::array<std::string_view, 11> kSetterPrefixes = {
    "県立", "都立", "道立", "府立", "市立", "区立", "町立", "村立", "私立", "国立", "公立"};

// From /work/shared/data/prefectures.json (JIS X 0401).
constexpr std::array kPrefectures = {
    Prefecture{"01", "北海道", "北海道"}, Prefecture{"02", "青森県", "青森"},
    Prefecture{"03", "岩手県", "岩手"},   Prefecture{"04", "宮城県", "宮城"},
    Prefecture{"05", "秋田県", "秋田"},   Prefecture{"06", "山形県", "山形"},
    Prefecture{"07", "福島県", "福島"},   Prefecture{"08", "茨城県", "茨城"},
    Prefecture{"09", "栃木県", "栃木"},   Prefecture{"10", "群馬県", "群馬"},
    Prefecture{"11", "埼玉県", "埼玉"},   Prefecture{"12", "千葉県", "千葉"},
    Prefecture{"13", "東京都", "東京"},   Prefecture{"14", "神奈川県", "神奈川"},
    Prefecture{"15", "新潟県", "新潟"},   Prefecture{"16", "富山県", "富山"},
    Prefecture{"17", "石川県", "石川"},   Prefecture{"18", "福井県", "福井"},
    Prefecture{"19", "山梨県", "山梨"},   Prefecture{"20", "長野県", "長野"},
    Prefecture{"21", "岐阜県", "岐阜"},   Prefecture{"22", "静岡県", "静岡"},
    Prefecture{"23", "愛知県", "愛知"},   Prefecture{"24", "三重県", "三重"},
    Prefecture{"25", "滋賀県", "滋賀"},   Prefecture{"26", "京都府", "京都"},
    Prefecture{"27", "大阪府", "大阪"},   Prefecture{"28", "兵庫県", "兵庫"},
    Prefecture{"29", "奈良県", "奈良"},   Prefecture{"30", "和歌山県", "和歌山"},
    Prefecture{"31", "鳥取県", "鳥取"},   Prefecture{"32", "島根県", "島根"},
    Prefecture{"33", "岡山県", "岡山"},   Prefecture{"34", "広島県", "広島"},
    Prefecture{"35", "山口県", "山口"},   Prefecture{"36", "徳島県", "徳島"},
    Prefecture{"37", "香川県", "香川"},   Prefecture{"38", "愛媛県", "愛媛"},
    Prefecture{"39", "高知県", "高知"},   Prefecture{"40", "福岡県", "福岡"},
    Prefecture{"41", "佐賀県", "佐賀"},   Prefecture{"42", "長崎県", "長崎"},
    Prefecture{"43", "熊本県", "熊本"},   Prefecture{"44", "大分県", "大分"},
    Prefecture{"45", "宮崎県", "宮崎"},   Prefecture{"46", "鹿児島県", "鹿児島"},
    Prefecture{"47", "沖縄県", "沖縄"},
};

// Small ヶ/ヵ in place and company names are typographic variants of ケ/カ (霞ヶ関 = 霞ケ関);
// 付属 is the common typing of the official 附属.
constexpr std::array kNameSpellingVariants = {
    SpellingVariant{"ヶ", "ケ"},
    SpellingVariant{"ヵ", "カ"},
    SpellingVariant{"付属", "附属"},
};

constexpr std::array<std::string_view, 14> kSessionWords = {
    "午前の部", "午後の部", "午前", "午後", "前期", "後期", "前半", "後半",
    "上期",     "下期",     "AM",   "PM",   "am",   "pm"};

// clang-format on

}  // namespace

std::span<const LegalForm> legal_forms() { return kLegalForms; }
std::span<const OfficeSuffix> office_suffixes() { return kOfficeSuffixes; }
std::span<const SchoolKind> school_kinds() { return kSchoolKinds; }
std::span<const std::string_view> setter_prefixes() { return kSetterPrefixes; }
std::span<const Prefecture> prefectures() { return kPrefectures; }
std::span<const SpellingVariant> name_spelling_variants() { return kNameSpellingVariants; }
std::span<const std::string_view> session_words() { return kSessionWords; }

}  // namespace kakehashi::program::counting
