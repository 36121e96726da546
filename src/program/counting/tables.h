// The data behind the counting rule: every spelling the normalisers equate or remove is listed
// here, so the rule can be read, reviewed and walked by tests without reading the algorithm.
#pragma once

#include <span>
#include <string_view>

namespace kakehashi::program::counting {

// A legal-form word removed from company and partner names wherever it stands, in the
// spelling users type (the matcher NFKC-folds each spelling, so ㈱ and （株） become (株)).
struct LegalForm {
  std::string_view spelling;
  std::string_view form;  // the legal form it stands for, e.g. 株式会社 for (株)
};
std::span<const LegalForm> legal_forms();

// A suffix naming the office of a municipality or prefecture: 〇〇市教育委員会 and 〇〇市役所
// are 〇〇市. Removed only when what remains ends in one of `remains_ending_in`.
struct OfficeSuffix {
  std::string_view suffix;
  std::u32string_view remains_ending_in;
};
std::span<const OfficeSuffix> office_suffixes();

// A kind of school, recognised by the end of a partner name. `spellings` are equated with
// `canonical` (高等学校 = 高校). `located` kinds are schools run by a prefecture or municipality:
// their 設置者 prefix (県立, 仙台市立 …) is removed and kept as the school's location. Kinds
// not located (大学, 高等専門学校 …) keep their names whole: 県立広島大学 and 東京都立大学
// are names, not a 設置者 in front of 大学.
struct SchoolKind {
  std::string_view canonical;
  std::span<const std::string_view> spellings;
  bool located;
};
std::span<const SchoolKind> school_kinds();

// 設置者 prefixes without a place name (県立, 市立, 私立 …). Named ones are recognised by shape:
// a prefecture name + 立 (北海道立) or a municipality + 立 (仙台市立).
std::span<const std::string_view> setter_prefixes();

// The 47 prefectures (JIS X 0401 order) with the short forms typed in spreadsheets.
struct Prefecture {
  std::string_view code;        // JIS X 0401, "01" … "47"
  std::string_view name;        // 北海道, 青森県, 東京都 …
  std::string_view short_name;  // 北海道, 青森, 東京 …
};
std::span<const Prefecture> prefectures();

// Character spellings equated in names before comparison (ヶ = ケ, 付属 = 附属).
struct SpellingVariant {
  std::string_view variant;
  std::string_view standard;
};
std::span<const SpellingVariant> name_spelling_variants();

// Words that mark a session, not content, when they stand alone in a title (in brackets or as
// their own word): 午前, 後期 … (第N回, N回目, N日目 and dates are recognised by shape).
std::span<const std::string_view> session_words();

}  // namespace kakehashi::program::counting
