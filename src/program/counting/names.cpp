#include "program/counting/names.h"

#include <algorithm>
#include <vector>

#include "base/text.h"
#include "program/counting/chars.h"
#include "program/counting/tables.h"

namespace kakehashi::program::counting {

namespace {

using chars::decode;
using chars::encode;
using chars::ends_with;
using chars::starts_with;

bool is_ascii_alnum(char32_t c) {
  return (c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}

struct CompiledLegalForm {
  std::u32string spelling;  // NFKC, Latin folded to lower case
  bool latin;               // whole-word, case-insensitive match
};

struct CompiledVariant {
  std::u32string variant;
  std::u32string standard;
};

struct CompiledSchoolKind {
  std::u32string canonical;  // key form
  std::vector<std::u32string> spellings;
  bool located;
};

// The tables of tables.h in the form the matchers use, built once.
struct Compiled {
  std::vector<CompiledLegalForm> legal_forms;
  // (first character, index into legal_forms), by character; longest form first within one.
  std::vector<std::pair<char32_t, uint32_t>> legal_form_starts;
  std::vector<CompiledVariant> variants;
  std::vector<CompiledSchoolKind> school_kinds;
  std::vector<std::u32string> setter_prefixes;
  std::vector<std::u32string> prefecture_names;
  std::vector<std::pair<std::u32string, std::u32string_view>> office_suffixes;

  Compiled() {
    for (const auto& form : counting::legal_forms()) {
      auto spelling = decode(text::nfkc(form.spelling));
      bool latin = std::any_of(spelling.begin(), spelling.end(), is_ascii_alnum);
      if (latin)
        std::transform(spelling.begin(), spelling.end(), spelling.begin(), chars::fold_ascii);
      legal_forms.push_back({spelling, latin});
    }
    // Longest first, so 公益社団法人 is removed before 社団法人 could match inside it.
    std::stable_sort(legal_forms.begin(), legal_forms.end(), [](const auto& a, const auto& b) {
      return a.spelling.size() > b.spelling.size();
    });
    for (uint32_t i = 0; i < legal_forms.size(); ++i)
      legal_form_starts.emplace_back(legal_forms[i].spelling.front(), i);
    std::stable_sort(legal_form_starts.begin(), legal_form_starts.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& variant : name_spelling_variants()) {
      variants.push_back(
          {decode(text::nfkc(variant.variant)), decode(text::nfkc(variant.standard))});
    }
    for (const auto& kind : counting::school_kinds()) {
      CompiledSchoolKind compiled{decode(kind.canonical), {}, kind.located};
      for (auto spelling : kind.spellings) compiled.spellings.push_back(decode(spelling));
      school_kinds.push_back(std::move(compiled));
    }
    for (auto prefix : counting::setter_prefixes()) setter_prefixes.push_back(decode(prefix));
    for (const auto& prefecture : counting::prefectures()) {
      prefecture_names.push_back(decode(prefecture.name));
    }
    for (const auto& suffix : counting::office_suffixes()) {
      office_suffixes.emplace_back(decode(suffix.suffix), suffix.remains_ending_in);
    }
  }
};

const Compiled& compiled() {
  static const Compiled instance;
  return instance;
}

void replace_all(std::u32string& text, std::u32string_view from, std::u32string_view to) {
  if (from.empty()) return;
  size_t at = 0;
  while ((at = text.find(from, at)) != std::u32string::npos) {
    text.replace(at, from.size(), to);
    at += to.size();
  }
}

void apply_spelling_variants(std::u32string& text) {
  for (const auto& variant : compiled().variants)
    replace_all(text, variant.variant, variant.standard);
}

// 第一 → 第1, 第十二 → 第12: the number of a school (第一中学校) is typed either way.
void normalize_ordinals(std::u32string& text) {
  std::u32string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    out.push_back(text[i]);
    if (text[i] != U'第') continue;
    size_t end = i + 1;
    while (end < text.size() && chars::is_numeral_char(text[end])) ++end;
    if (end == i + 1) continue;
    if (auto value = chars::numeral_value(std::u32string_view(text).substr(i + 1, end - i - 1))) {
      for (char c : std::to_string(*value)) out.push_back(static_cast<char32_t>(c));
      i = end - 1;
    }
  }
  text = std::move(out);
}

// The comparison key of NFKC text once legal forms are gone.
std::u32string name_key(std::u32string_view nfkc_text) {
  auto text = remove_legal_forms(nfkc_text);
  apply_spelling_variants(text);
  return chars::key_of(text);
}

bool is_municipality_end(char32_t c) {
  return c == U'市' || c == U'区' || c == U'町' || c == U'村';
}

std::u32string leading_prefecture(std::u32string_view key) {
  for (const auto& name : compiled().prefecture_names) {
    if (starts_with(key, name)) return name;
  }
  return {};
}

// 虻田郡倶知安町 → 倶知安町: a 郡 is not part of a town's or village's identity within its
// prefecture.
std::u32string drop_district(std::u32string_view municipality) {
  auto at = municipality.find(U'郡');
  if (at == std::u32string_view::npos || at == 0) return std::u32string(municipality);
  auto rest = municipality.substr(at + 1);
  if (rest.size() >= 2 && (rest.back() == U'町' || rest.back() == U'村'))
    return std::u32string(rest);
  return std::u32string(municipality);
}

// Replaces the short spellings of school kinds by the canonical one: everywhere when the short
// spelling cannot occur inside the canonical (高校, 短大), else only at the end (中学 → 中学校).
void canonical_school_kind_spellings(std::u32string& key) {
  for (const auto& kind : compiled().school_kinds) {
    for (const auto& spelling : kind.spellings) {
      if (spelling == kind.canonical) continue;
      if (kind.canonical.find(spelling) == std::u32string::npos) {
        replace_all(key, spelling, kind.canonical);
      } else if (ends_with(key, spelling)) {
        key.replace(key.size() - spelling.size(), spelling.size(), kind.canonical);
      }
    }
  }
}

const CompiledSchoolKind* school_kind_of(std::u32string_view key) {
  for (const auto& kind : compiled().school_kinds) {
    if (key.size() > kind.canonical.size() && ends_with(key, kind.canonical)) return &kind;
  }
  return nullptr;
}

// Removes the 設置者 of a located school from the front of `key` and says where the school is.
// Returns false (and changes nothing) when what remains would no longer name a school.
bool strip_school_setter(std::u32string& key, const CompiledSchoolKind& kind,
                         std::u32string& prefecture, std::u32string& municipality) {
  std::u32string rest = key;
  std::u32string found_prefecture = leading_prefecture(rest);
  if (!found_prefecture.empty()) {
    rest.erase(0, found_prefecture.size());
    if (starts_with(rest, U"立")) rest.erase(0, 1);  // 北海道立, 東京都立
  }
  std::u32string found_municipality;
  // A named municipality setter: 仙台市立, 千代田区立, 虻田郡倶知安町立 (at least one character
  // before 市/区/町/村, so the generic 市立 is not mistaken for one).
  for (size_t at = 2; at < rest.size(); ++at) {
    if (rest[at] == U'立' && is_municipality_end(rest[at - 1])) {
      found_municipality = drop_district(std::u32string_view(rest).substr(0, at));
      rest.erase(0, at + 1);
      break;
    }
  }
  if (found_prefecture.empty() && found_municipality.empty()) {
    for (const auto& prefix : compiled().setter_prefixes) {
      if (starts_with(rest, prefix)) {
        rest.erase(0, prefix.size());
        break;
      }
    }
  }
  if (rest.size() <= kind.canonical.size()) return false;
  key = std::move(rest);
  if (!found_prefecture.empty()) prefecture = found_prefecture;
  if (!found_municipality.empty()) municipality = found_municipality;
  return true;
}

}  // namespace

std::u32string remove_legal_forms(std::u32string_view nfkc_text) {
  std::u32string text(nfkc_text);
  std::u32string folded = text;
  std::transform(folded.begin(), folded.end(), folded.begin(), chars::fold_ascii);
  const auto& table = compiled();
  // Leftmost-longest: at each position, the longest legal form starting there is removed.
  for (size_t at = 0; at < folded.size();) {
    auto [first, last] =
        std::equal_range(table.legal_form_starts.begin(), table.legal_form_starts.end(),
                         std::pair<char32_t, uint32_t>(folded[at], 0),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
    size_t matched = 0;
    for (auto it = first; it != last && matched == 0; ++it) {
      const auto& form = table.legal_forms[it->second];
      if (std::u32string_view(folded).substr(at, form.spelling.size()) != form.spelling) continue;
      size_t end = at + form.spelling.size();
      if (form.latin) {
        // Whole words only: "Inc" must not match inside "Incubate".
        bool starts_word = at == 0 || !is_ascii_alnum(folded[at - 1]);
        bool ends_word = end == folded.size() || !is_ascii_alnum(folded[end]) ||
                         !is_ascii_alnum(folded[end - 1]);
        if (!starts_word || !ends_word) continue;
      }
      matched = form.spelling.size();
    }
    if (matched == 0) {
      ++at;
      continue;
    }
    for (size_t k = at; k < at + matched; ++k) text[k] = folded[k] = U' ';
    at += matched;
  }
  return text;
}

std::string company_key(std::string_view company) {
  auto text = decode(text::nfkc(text::trim(company)));
  auto key = name_key(text);
  if (key.empty()) key = chars::key_of(text);
  if (key.empty()) key = text;  // only symbols: compared as written
  return encode(key);
}

std::optional<std::string> prefecture_name(std::string_view text) {
  auto key = chars::key_of(decode(text::nfkc(text::trim(text))));
  if (key.empty()) return std::nullopt;
  auto utf8 = encode(key);
  for (const auto& prefecture : prefectures()) {
    if (utf8 == prefecture.name || utf8 == prefecture.short_name)
      return std::string(prefecture.name);
  }
  return std::nullopt;
}

PartnerName normalize_partner(std::string_view partner, std::string_view prefecture) {
  auto text = decode(text::nfkc(text::trim(partner)));
  auto key = name_key(text);
  if (key.empty()) key = chars::key_of(text);
  if (key.empty()) key = text;  // only symbols: compared as written
  normalize_ordinals(key);
  canonical_school_kind_spellings(key);

  // 〇〇市教育委員会, 〇〇町役場, 北海道庁 → the municipality or prefecture itself.
  for (const auto& [suffix, remains_ending_in] : compiled().office_suffixes) {
    if (key.size() > suffix.size() && ends_with(key, suffix)) {
      char32_t last = key[key.size() - suffix.size() - 1];
      if (remains_ending_in.find(last) != std::u32string_view::npos) {
        key.erase(key.size() - suffix.size());
        break;
      }
    }
  }

  PartnerName result;
  if (key.empty()) {
    result.prefecture = std::string(prefecture);
    return result;
  }
  std::u32string found_prefecture;
  std::u32string found_municipality;
  auto& names = compiled().prefecture_names;
  if (std::find(names.begin(), names.end(), key) != names.end()) {
    result.kind = PartnerKind::kPrefecture;
    result.name = encode(key);
    result.prefecture = result.name;
    return result;
  }
  if (const auto* kind = school_kind_of(key)) {
    result.kind = PartnerKind::kSchool;
    if (kind->located) strip_school_setter(key, *kind, found_prefecture, found_municipality);
  } else if (is_municipality_end(key.back())) {
    result.kind = PartnerKind::kMunicipality;
    std::u32string rest = key;
    found_prefecture = leading_prefecture(rest);
    rest.erase(0, found_prefecture.size());
    rest = drop_district(rest);
    if (rest.size() >= 2) {
      key = std::move(rest);
    } else {
      found_prefecture.clear();
    }
  }
  result.name = encode(key);
  result.prefecture = found_prefecture.empty() ? std::string(prefecture) : encode(found_prefecture);
  result.municipality = encode(found_municipality);
  return result;
}

}  // namespace kakehashi::program::counting
