// Comparison keys for the names in an activity record: the company and the partner
// (municipality, board of education or school). Two spellings are the same name exactly when
// their keys are equal; every equation is listed in tables.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kakehashi::program::counting {

// The comparison key of a company name: NFKC; legal-form words removed wherever they stand
// (株式会社, (株), ㈱, Inc., Co., Ltd. …); ヶ = ケ; spaces, middle dots and punctuation dropped;
// Latin letters lower-cased. "株式会社サクラ", "(株)サクラ" and "ｻｸﾗ㈱" all give "サクラ".
// A name that is nothing but a legal form keeps it (the key is never empty for a non-empty name).
std::string company_key(std::string_view company);

enum class PartnerKind {
  kPrefecture,    // 北海道, 北海道教育委員会
  kMunicipality,  // 札幌市, 札幌市教育委員会, 北海道札幌市, 倶知安町役場
  kSchool,        // 旭高校, 県立旭高等学校, 仙台市立第一中学校, 北海道大学
  kOther,         // anything else, compared whole (an NPO, a library, a company)
};

// A partner name split into what it is and where it is.
struct PartnerName {
  PartnerKind kind = PartnerKind::kOther;
  // Key of the name without its location: "札幌市", "旭高等学校", "第1中学校", "北海道".
  std::string name;
  // Full prefecture name from the name itself (北海道札幌市, 北海道立…) or else from the row's
  // prefecture column; "" when neither says.
  std::string prefecture;
  // For a school: the municipality of its 設置者 prefix (仙台市立 → 仙台市); "" when not said.
  std::string municipality;

  friend bool operator==(const PartnerName&, const PartnerName&) = default;
};

// Splits and normalises a partner name. `prefecture` is the row's prefecture column as a full
// name (see prefecture_name) or "". Steps, in order: NFKC; legal forms; ヶ = ケ, 付属 = 附属;
// spaces, dots and punctuation dropped; 第一 = 第1; 高校 = 高等学校, 中学 = 中学校 (at the end),
// 短大 = 短期大学; an office suffix (教育委員会, 教育委員会事務局, 教委, 教育庁, 役所, 役場, 庁)
// after a municipality or prefecture; then by kind: a prefecture in front of a municipality or
// a located school, a 郡 before a town or village, a 設置者 prefix (県立, 市立, 私立, 北海道立,
// 仙台市立 …) before a located school. Universities and colleges keep their names whole.
PartnerName normalize_partner(std::string_view partner, std::string_view prefecture);

// The full prefecture name for a prefecture column ("北海道", "東京", "東京都", "大阪府"), after
// NFKC and trimming; nothing for an empty or unknown text.
std::optional<std::string> prefecture_name(std::string_view text);

// Applies the legal-form table to NFKC text (exposed for tests and the title of a suggestion):
// returns the text with every legal-form word replaced by a space.
std::u32string remove_legal_forms(std::u32string_view nfkc_text);

}  // namespace kakehashi::program::counting
