#include "program/counting/counting.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

#include "base/text.h"
#include "program/counting/chars.h"
#include "program/counting/names.h"
#include "program/counting/titles.h"

namespace kakehashi::program::counting {

// ---------------------------------------------------------------------------------------------
// Reading records

namespace {

constexpr std::array<std::string_view, 7> kColumns = {"id",      "date",       "title",   "company",
                                                      "partner", "prefecture", "category"};

enum Column { kId, kDate, kTitle, kCompany, kPartner, kPrefecture, kCategory };

// Japanese headers accepted for each column (a spreadsheet typed in Japanese).
struct ColumnAlias {
  Column column;
  std::string_view header;
};
constexpr std::array kColumnAliases = {
    ColumnAlias{kId, "ID"},          ColumnAlias{kId, "記録ID"},
    ColumnAlias{kDate, "日付"},      ColumnAlias{kDate, "実施日"},
    ColumnAlias{kTitle, "内容"},     ColumnAlias{kTitle, "タイトル"},
    ColumnAlias{kTitle, "活動名"},   ColumnAlias{kCompany, "企業"},
    ColumnAlias{kCompany, "企業名"}, ColumnAlias{kPartner, "相手先"},
    ColumnAlias{kPartner, "連携先"}, ColumnAlias{kPrefecture, "都道府県"},
    ColumnAlias{kCategory, "区分"},  ColumnAlias{kCategory, "カテゴリ"},
};

constexpr std::array<std::string_view, 3> kCategories = {"ヒト", "モノ", "カネ"};

// Rows read from one file; more are refused before any work is done.
constexpr size_t kMaxRows = 2'000'000;

std::string header_key(std::string_view field) {
  std::string key = text::nfkc(text::trim(field));
  for (char& c : key) c = char(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return key;
}

std::optional<Column> column_of(std::string_view field) {
  auto key = header_key(field);
  for (size_t i = 0; i < kColumns.size(); ++i) {
    if (key == kColumns[i]) return Column(i);
  }
  for (const auto& alias : kColumnAliases) {
    if (key == header_key(alias.header)) return alias.column;
  }
  return std::nullopt;
}

}  // namespace

// Dates as typed in Japanese spreadsheets: 2026-10-05, 2026/10/5, 2026/10/5 0:00 (Excel adds
// the time), 2026年10月5日, 令和8年10月5日 (full-width digits too).
std::optional<Date> parse_date(std::string_view raw) {
  if (auto date = Date::parse(text::trim(raw))) return *date;
  std::string text = text::nfkc(text::trim(raw));
  if (auto space = text.find(' '); space != std::string::npos) text.resize(space);
  if (auto date = Date::parse(text)) return *date;
  auto number = [&](size_t& at) -> std::optional<int> {
    size_t start = at;
    int value = 0;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9' && at - start < 4) {
      value = value * 10 + (text[at++] - '0');
    }
    return at > start ? std::optional<int>(value) : std::nullopt;
  };
  auto expect = [&](size_t& at, std::string_view word) {
    if (text.compare(at, word.size(), word) != 0) return false;
    at += word.size();
    return true;
  };
  size_t at = 0;
  int year_offset = 0;
  if (expect(at, "令和")) year_offset = 2018;
  std::optional<int> year = expect(at, "元") ? std::optional<int>(1) : number(at);
  if (!year || !expect(at, "年")) return std::nullopt;
  auto month = number(at);
  if (!month || !expect(at, "月")) return std::nullopt;
  auto day = number(at);
  if (!day || !expect(at, "日") || at != text.size()) return std::nullopt;
  if (year_offset == 0 && *year < 1000) return std::nullopt;
  auto date = Date::from_ymd(*year + year_offset, unsigned(*month), unsigned(*day));
  if (!date) return std::nullopt;
  return *date;
}

std::span<const std::string_view> input_columns() { return kColumns; }

Result<ParsedRecords> parse_records(std::vector<csv::Row> rows) {
  if (rows.empty()) return fail(Error::invalid("入力ファイルに見出し行がありません"));
  if (rows.size() > kMaxRows) {
    return fail(Error::invalid(fmt::format("行数が上限（{}行）を超えています", kMaxRows)));
  }
  const auto& header = rows.front().fields;
  std::array<size_t, kColumns.size()> position;
  position.fill(SIZE_MAX);
  for (size_t i = 0; i < header.size(); ++i) {
    if (auto column = column_of(header[i]); column && position[*column] == SIZE_MAX)
      position[*column] = i;
  }
  std::vector<std::string_view> missing;
  for (size_t c = 0; c < kColumns.size(); ++c) {
    if (position[c] == SIZE_MAX) missing.push_back(kColumns[c]);
  }
  if (!missing.empty()) {
    return fail(Error::invalid(fmt::format("見出し行に必要な列がありません: {}（必要な列: {}）",
                                           fmt::join(missing, ", "), fmt::join(kColumns, ","))));
  }

  ParsedRecords parsed;
  parsed.data_rows = rows.size() - 1;
  parsed.records.reserve(rows.size() - 1);
  std::unordered_map<std::string_view, size_t> line_of_id;  // views into `rows`
  std::unordered_map<std::string, std::optional<std::string>> prefectures;
  for (size_t r = 1; r < rows.size(); ++r) {
    auto& row = rows[r];
    auto field = [&](Column column) -> std::string {
      size_t at = position[column];
      return at < row.fields.size() ? std::string(text::trim(row.fields[at])) : std::string();
    };
    // The long fields are moved out of the row rather than copied (the id stays: line_of_id
    // holds views of it).
    auto take = [&](Column column) -> std::string {
      size_t at = position[column];
      if (at >= row.fields.size()) return {};
      std::string& value = row.fields[at];
      if (auto trimmed = text::trim(value); trimmed.size() != value.size())
        value = std::string(trimmed);
      return std::move(value);
    };
    std::vector<std::string> problems;
    bool extra_filled = false;
    for (size_t i = header.size(); i < row.fields.size(); ++i) {
      extra_filled = extra_filled || !text::trim(row.fields[i]).empty();
    }
    if (row.fields.size() < header.size() || extra_filled) {
      problems.push_back(fmt::format("列の数が見出しと合いません（{}列、見出しは{}列）",
                                     row.fields.size(), header.size()));
    }
    ActivityRecord record;
    record.line = row.line;
    record.id = field(kId);
    if (record.id.empty()) {
      problems.push_back("IDがありません");
    } else if (auto [it, inserted] =
                   line_of_id.emplace(text::trim(row.fields[position[kId]]), row.line);
               !inserted) {
      problems.push_back(fmt::format("IDが重複しています（{}行目と同じID）", it->second));
    }
    auto date_text = field(kDate);
    if (date_text.empty()) {
      problems.push_back("日付がありません");
    } else if (auto date = parse_date(date_text)) {
      record.date = *date;
    } else {
      problems.push_back(fmt::format("日付を読み取れません: {}", date_text));
    }
    record.title = take(kTitle);
    if (record.title.empty()) problems.push_back("内容（title）がありません");
    record.company = take(kCompany);
    if (record.company.empty()) problems.push_back("企業名（company）がありません");
    record.partner = take(kPartner);
    if (record.partner.empty()) problems.push_back("相手先（partner）がありません");
    auto prefecture_text = field(kPrefecture);
    if (!prefecture_text.empty()) {
      auto [it, inserted] = prefectures.try_emplace(prefecture_text);
      if (inserted) it->second = prefecture_name(prefecture_text);
      if (it->second) {
        record.prefecture = *it->second;
      } else {
        problems.push_back(fmt::format("都道府県名を読み取れません: {}", prefecture_text));
      }
    }
    auto category_text = field(kCategory);
    record.category =
        std::find(kCategories.begin(), kCategories.end(), category_text) != kCategories.end()
            ? category_text
            : text::nfkc(category_text);
    if (category_text.empty()) {
      problems.push_back("区分（category）がありません");
    } else if (std::find(kCategories.begin(), kCategories.end(), record.category) ==
               kCategories.end()) {
      problems.push_back(
          fmt::format("区分（category）はヒト・モノ・カネのいずれかです: {}", category_text));
    }
    if (problems.empty()) {
      parsed.records.push_back(std::move(record));
    } else {
      parsed.bad_rows.push_back(
          {row.line, field(kId), fmt::format("{}", fmt::join(problems, "、"))});
    }
  }
  return parsed;
}

Result<ParsedRecords> read_records(const std::string& path) {
  auto rows = csv::read_file(path);
  if (!rows) return fail(rows.error());
  return parse_records(std::move(*rows));
}

// ---------------------------------------------------------------------------------------------
// Grouping

namespace {

// The Japanese sentences of suggestions and of `why` (format strings), in one place.
// clang-format off
constexpr char kLocationFilled[] =
    "所在地の記載が異なる「{}」（{}）と「{}」（{}）を同じ相手先とみなした（同じ企業・内容で候補が一つのため）";
constexpr char kUnplacedPartner[] =
    "「{}」（{}）と「{}」（{}）は同じ相手先の可能性があります。所在地の候補が複数あるため自動では統合していません";
constexpr char kTitleOneApart[] =
    "同じ企業・相手先で内容名が1文字違います（「{}」と「{}」）。同じ内容なら統合してください";
constexpr char kTitleExtended[] =
    "同じ企業・相手先で、一方の内容名が他方に語を足したものです（「{}」と「{}」）。同じ内容なら統合してください";
constexpr char kCompanyOneApart[] =
    "同じ内容・相手先で企業名が1文字違います（「{}」と「{}」）。同じ企業か確認してください";
constexpr char kCompanyContained[] =
    "同じ内容・相手先で、一方の企業名が他方を含みます（「{}」と「{}」）。同じ企業か、親会社・子会社など別の企業か確認してください";
constexpr char kPartnerOneApart[] =
    "同じ企業・内容で相手先名が1文字違います（「{}」と「{}」）。同じ相手先か確認してください";
constexpr char kPartnerSuffix[] =
    "同じ企業・内容で、一方の相手先名が他方の末尾と一致します（「{}」と「{}」）。同じ相手先か確認してください";
// clang-format on

// FNV-1a, 64 bits: ids must be the same on every machine and in every run.
std::string stable_id(std::string_view prefix, std::string_view key) {
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : key) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return fmt::format("{}{:012x}", prefix, hash >> 16);
}

// A bucket key made of interned ids (unused places stay 0).
struct IdKey {
  uint32_t a = 0, b = 0, c = 0, d = 0, e = 0;
  friend auto operator<=>(const IdKey&, const IdKey&) = default;
};
struct IdKeyHash {
  size_t operator()(const IdKey& key) const {
    uint64_t hash = 0;
    for (uint32_t value : {key.a, key.b, key.c, key.d, key.e}) {
      hash = (hash ^ value) * 0x9E3779B97F4A7C15ULL;
      hash ^= hash >> 29;
    }
    return size_t(hash);
  }
};
template <typename T>
using IdMap = std::unordered_map<IdKey, T, IdKeyHash>;

// Interns strings as small integers.
class Interner {
 public:
  uint32_t id(const std::string& text) {
    auto [it, inserted] = ids_.try_emplace(text, uint32_t(texts_.size()));
    if (inserted) texts_.push_back(text);
    return it->second;
  }
  const std::string& text(uint32_t id) const { return texts_[id]; }

 private:
  std::unordered_map<std::string, uint32_t> ids_;
  std::vector<std::string> texts_;
};

struct Location {
  std::string prefecture;
  std::string municipality;
};

bool compatible(const Location& a, const Location& b) {
  auto fits = [](const std::string& x, const std::string& y) {
    return x.empty() || y.empty() || x == y;
  };
  return fits(a.prefecture, b.prefecture) && fits(a.municipality, b.municipality);
}

std::string location_label(const Location& location) {
  if (location.prefecture.empty() && location.municipality.empty()) return "所在地の記載なし";
  return location.prefecture + location.municipality;
}

// Records that agree on every normalised field: the smallest unit, never split by the rule.
struct BaseGroup {
  uint32_t company = 0;      // interned company key
  uint32_t title = 0;        // interned title key
  uint32_t partner = 0;      // interned partner kind + name
  uint32_t split = 0;        // interned split tag, 0 = none
  uint32_t location_id = 0;  // interned location
  Location location;
  std::string key;  // all of the above as text, for stable ids
  std::vector<uint32_t> records;
};

struct UnionFind {
  std::vector<uint32_t> parent;
  explicit UnionFind(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }
  uint32_t find(uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void unite(uint32_t a, uint32_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
};

// Why two base groups were united, for the `why` of their project.
struct MergeEvent {
  uint32_t from = 0;  // the base group that joined
  uint32_t into = 0;
  std::string text;  // Japanese clause
};

struct CandidateSuggestion {
  Suggestion suggestion;
  uint32_t bases[2] = {0, 0};
};

// Exactly one insertion, deletion or substitution apart; the characters that differ are
// returned so a caller can refuse differences in numbers (第1中学校 / 第2中学校).
bool one_apart(std::u32string_view a, std::u32string_view b, bool* differs_in_numeral) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1 || a == b) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  char32_t left = i < a.size() ? a[i] : 0;
  char32_t right = b[i];
  bool rest_equal =
      a.size() == b.size() ? a.substr(i + 1) == b.substr(i + 1) : a.substr(i) == b.substr(i + 1);
  if (!rest_equal) return false;
  *differs_in_numeral = chars::is_numeral_char(right) || (left && chars::is_numeral_char(left));
  return true;
}

template <typename Text>
std::string join_limited(const std::vector<Text>& items, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < kWhyListLimit; ++i) {
    if (i) out += separator;
    out += items[i];
  }
  if (items.size() > kWhyListLimit)
    out += fmt::format("（ほか{}件）", items.size() - kWhyListLimit);
  return out;
}

template <typename T>
void push_unique(std::vector<T>& items, const T& item) {
  if (std::find(items.begin(), items.end(), item) == items.end()) items.push_back(item);
}

// The value used most often in `values` (the earliest on a tie).
std::string most_frequent(const std::vector<std::string_view>& values) {
  // Projects have a handful of sessions: count by scanning below this size, by hashing above.
  constexpr size_t kScanLimit = 32;
  if (values.size() <= kScanLimit) {
    size_t best = 0;
    size_t best_count = 0;
    for (size_t i = 0; i < values.size(); ++i) {
      size_t count = size_t(std::count(values.begin() + i, values.end(), values[i]));
      if (count > best_count &&
          std::find(values.begin(), values.begin() + i, values[i]) == values.begin() + i) {
        best = i;
        best_count = count;
      }
    }
    return values.empty() ? std::string() : std::string(values[best]);
  }
  std::unordered_map<std::string_view, size_t> counts;
  size_t best_count = 0;
  for (const auto& value : values) best_count = std::max(best_count, ++counts[value]);
  for (const auto& value : values) {
    if (counts[value] == best_count) return std::string(value);
  }
  return {};
}

class Counter {
 public:
  Counter(std::span<const ActivityRecord> records, std::span<const Decision> decisions)
      : records_(records), decisions_(decisions) {}

  CountResult run() {
    apply_splits();
    build_base_groups();
    UnionFind groups(bases_.size());
    fill_missing_locations(groups);
    find_suggestions();
    apply_decisions(groups);
    CountResult result;
    build_projects(groups, result);
    publish_suggestions(groups, result);
    result.decisions = std::move(outcomes_);
    std::sort(result.decisions.begin(), result.decisions.end(),
              [](const auto& a, const auto& b) { return a.index < b.index; });
    return result;
  }

 private:
  struct TitleEntry {
    uint32_t key;
    Title title;
  };
  struct PartnerEntry {
    uint32_t name;
    uint32_t location_id;
    Location location;
  };

  // Which records a split decision names: record index -> split tag.
  void apply_splits() {
    split_tag_.assign(records_.size(), 0);
    tags_.id("");
    if (decisions_.empty()) return;
    for (uint32_t i = 0; i < records_.size(); ++i) record_index_.emplace(records_[i].id, i);
    for (size_t d = 0; d < decisions_.size(); ++d) {
      const auto& decision = decisions_[d];
      if (decision.action != DecisionAction::kSplit) continue;
      std::vector<std::string> sorted = decision.session_ids;
      std::sort(sorted.begin(), sorted.end());
      std::vector<std::string> unknown;
      std::vector<uint32_t> found;
      for (const auto& id : sorted) {
        auto it = record_index_.find(id);
        if (it == record_index_.end()) {
          unknown.push_back(id);
        } else {
          found.push_back(it->second);
        }
      }
      if (found.empty()) {
        outcomes_.push_back(
            {d, false,
             fmt::format("分離の判断を適用できません: 記録 {} は今回の入力にありません",
                         fmt::join(decision.session_ids, "・"))});
        continue;
      }
      uint32_t tag = tags_.id("split:" + records_[found.front()].id);
      for (auto index : found) split_tag_[index] = tag;
      std::vector<std::string> ids;
      for (auto index : found) ids.push_back(records_[index].id);
      split_text_[tag] = fmt::format("担当者の判断で分離（記録 {}）", join_limited(ids, "・"));
      outcomes_.push_back(
          {d, true,
           unknown.empty()
               ? fmt::format("記録 {} を別のプロジェクトとして分離しました", fmt::join(ids, "・"))
               : fmt::format("記録 {} を分離しました（{} は今回の入力にありません）",
                             fmt::join(ids, "・"), fmt::join(unknown, "・"))});
    }
  }

  void build_base_groups() {
    // Keys are views into records_, which outlive the Counter.
    std::unordered_map<std::string_view, uint32_t> company_of_raw;
    std::unordered_map<std::string_view, uint32_t> title_of_raw;
    std::unordered_map<std::string_view, std::vector<std::pair<std::string_view, uint32_t>>>
        partner_of_raw;
    IdMap<uint32_t> base_of_key;
    record_base_.resize(records_.size());
    record_title_.resize(records_.size());
    for (uint32_t i = 0; i < records_.size(); ++i) {
      const auto& record = records_[i];
      auto [company_it, new_company] = company_of_raw.try_emplace(record.company);
      if (new_company) company_it->second = companies_.id(company_key(record.company));
      auto [title_it, new_title] = title_of_raw.try_emplace(record.title);
      if (new_title) {
        title_it->second = uint32_t(title_entries_.size());
        auto title = normalize_title(record.title);
        uint32_t key = titles_.id(title.key);
        title_entries_.push_back({key, std::move(title)});
      }
      auto& spellings = partner_of_raw[record.partner];
      auto partner_it = std::find_if(spellings.begin(), spellings.end(), [&](const auto& entry) {
        return entry.first == record.prefecture;
      });
      if (partner_it == spellings.end()) {
        auto partner = normalize_partner(record.partner, record.prefecture);
        uint32_t name = partners_.id(char('0' + int(partner.kind)) + (':' + partner.name));
        uint32_t location = locations_.id(partner.prefecture + '\x1f' + partner.municipality);
        partner_entries_.push_back({name, location, {partner.prefecture, partner.municipality}});
        spellings.emplace_back(record.prefecture, uint32_t(partner_entries_.size() - 1));
        partner_it = spellings.end() - 1;
      }
      record_title_[i] = title_it->second;
      const auto& title = title_entries_[title_it->second];
      const auto& partner = partner_entries_[partner_it->second];
      IdKey key{company_it->second, title.key, partner.name, partner.location_id, split_tag_[i]};
      auto [base_it, new_base] = base_of_key.try_emplace(key, uint32_t(bases_.size()));
      if (new_base) {
        std::string text = fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}",
                                       companies_.text(company_it->second), titles_.text(title.key),
                                       partners_.text(partner.name), partner.location.prefecture,
                                       partner.location.municipality, tags_.text(split_tag_[i]));
        bases_.push_back({company_it->second,
                          title.key,
                          partner.name,
                          split_tag_[i],
                          partner.location_id,
                          partner.location,
                          std::move(text),
                          {}});
      }
      bases_[base_it->second].records.push_back(i);
      record_base_[i] = base_it->second;
    }
  }

  // The most used raw spelling of a field within a base group (for reasons).
  std::string raw_partner(uint32_t base) const {
    std::vector<std::string_view> values;
    for (auto r : bases_[base].records) values.push_back(records_[r].partner);
    return most_frequent(values);
  }
  std::string raw_company(uint32_t base) const {
    std::vector<std::string_view> values;
    for (auto r : bases_[base].records) values.push_back(records_[r].company);
    return most_frequent(values);
  }
  std::string display_title(uint32_t base) const {
    std::vector<std::string_view> values;
    for (auto r : bases_[base].records)
      values.push_back(title_entries_[record_title_[r]].title.display);
    return most_frequent(values);
  }

  // A partner written without its prefecture or municipality is the located partner of the same
  // name, company and content when that is the only candidate; with several candidates it is
  // only suggested. Groups whose neighbourhoods are all mutually compatible are united, which
  // keeps every resulting project free of two different locations.
  void fill_missing_locations(UnionFind& groups) {
    // Distinct locations compared in one bucket; more are left exact (named limit).
    constexpr size_t kMaxLocations = 64;
    for_each_bucket(
        [](const BaseGroup& base) {
          return IdKey{base.company, base.title, base.partner, base.split};
        },
        [&](std::span<const uint32_t> members) {
          if (members.size() > kMaxLocations) return;
          size_t n = members.size();
          std::vector<std::vector<size_t>> neighbours(n);
          for (size_t i = 0; i < n; ++i) {
            for (size_t j = i + 1; j < n; ++j) {
              if (compatible(bases_[members[i]].location, bases_[members[j]].location)) {
                neighbours[i].push_back(j);
                neighbours[j].push_back(i);
              }
            }
          }
          std::vector<bool> settled(n, true);
          for (size_t i = 0; i < n; ++i) {
            for (size_t x = 0; x < neighbours[i].size() && settled[i]; ++x) {
              for (size_t y = x + 1; y < neighbours[i].size() && settled[i]; ++y) {
                settled[i] = compatible(bases_[members[neighbours[i][x]]].location,
                                        bases_[members[neighbours[i][y]]].location);
              }
            }
          }
          for (size_t i = 0; i < n; ++i) {
            for (size_t j : neighbours[i]) {
              if (j < i) continue;
              uint32_t a = members[i];
              uint32_t b = members[j];
              if (settled[i] && settled[j]) {
                groups.unite(a, b);
                events_.push_back({a, b, location_event(a, b)});
              } else {
                add_unplaced_suggestion(a, b);
              }
            }
          }
        });
  }

  // Calls `visit` with every run of two or more base groups that share `key_of` (bases with
  // no key are left out). Sorting instead of a map of vectors: no allocation per bucket.
  template <typename KeyOf, typename Visit>
  void for_each_bucket(KeyOf key_of, Visit visit) {
    std::vector<std::pair<std::optional<IdKey>, uint32_t>> keyed;
    keyed.reserve(bases_.size());
    for (uint32_t b = 0; b < bases_.size(); ++b) {
      if (auto key = std::optional<IdKey>(key_of(bases_[b]))) keyed.emplace_back(*key, b);
    }
    std::sort(keyed.begin(), keyed.end());
    std::vector<uint32_t> members;
    for (size_t begin = 0; begin < keyed.size();) {
      size_t end = begin + 1;
      while (end < keyed.size() && keyed[end].first == keyed[begin].first) ++end;
      if (end - begin >= 2) {
        members.clear();
        for (size_t k = begin; k < end; ++k) members.push_back(keyed[k].second);
        visit(std::span<const uint32_t>(members));
      }
      begin = end;
    }
  }

  std::string location_event(uint32_t a, uint32_t b) const {
    return fmt::format(kLocationFilled, raw_partner(a), location_label(bases_[a].location),
                       raw_partner(b), location_label(bases_[b].location));
  }

  void add_suggestion(SuggestionKind kind, uint32_t a, uint32_t b, std::string reason) {
    if (bases_[a].key > bases_[b].key) std::swap(a, b);
    static constexpr std::array<std::string_view, 4> kKindNames = {"title", "company", "partner",
                                                                   "unplaced"};
    std::string id = stable_id("S-", fmt::format("{}\x1e{}\x1e{}", kKindNames[size_t(kind)],
                                                 bases_[a].key, bases_[b].key));
    if (!suggestion_ids_.insert(id).second) return;
    CandidateSuggestion candidate;
    candidate.suggestion.id = std::move(id);
    candidate.suggestion.kind = kind;
    candidate.suggestion.reason = std::move(reason);
    candidate.bases[0] = a;
    candidate.bases[1] = b;
    suggestions_.push_back(std::move(candidate));
  }

  void add_unplaced_suggestion(uint32_t a, uint32_t b) {
    add_suggestion(SuggestionKind::kUnplacedPartner, a, b,
                   fmt::format(kUnplacedPartner, raw_partner(a), location_label(bases_[a].location),
                               raw_partner(b), location_label(bases_[b].location)));
  }

  // Compares distinct spellings within buckets that share the other two fields.
  void find_suggestions() {
    // Base groups a person already separated (split) are never suggested again.
    auto by_company_partner = [](const BaseGroup& base) -> std::optional<IdKey> {
      if (base.split != 0) return std::nullopt;
      return IdKey{base.company, base.partner, base.location_id};
    };
    auto by_title_partner = [](const BaseGroup& base) -> std::optional<IdKey> {
      if (base.split != 0) return std::nullopt;
      return IdKey{base.title, base.partner, base.location_id};
    };
    auto by_company_title = [](const BaseGroup& base) -> std::optional<IdKey> {
      if (base.split != 0) return std::nullopt;
      return IdKey{base.company, base.title};
    };
    for_each_pair(by_company_partner, [&](uint32_t a, uint32_t b) {
      auto left = chars::decode(titles_.text(bases_[a].title));
      auto right = chars::decode(titles_.text(bases_[b].title));
      // Titles shorter than this are too short to call near-equal.
      constexpr size_t kMinTitleLength = 3;
      if (std::min(left.size(), right.size()) < kMinTitleLength) return;
      bool numeral = false;
      if (one_apart(left, right, &numeral)) {
        add_suggestion(SuggestionKind::kSimilarTitle, a, b,
                       fmt::format(kTitleOneApart, display_title(a), display_title(b)));
      } else if (std::min(left.size(), right.size()) >= 4 &&
                 (chars::starts_with(left, right) || chars::starts_with(right, left))) {
        add_suggestion(SuggestionKind::kSimilarTitle, a, b,
                       fmt::format(kTitleExtended, display_title(a), display_title(b)));
      }
    });
    for_each_pair(by_title_partner, [&](uint32_t a, uint32_t b) {
      auto left = chars::decode(companies_.text(bases_[a].company));
      auto right = chars::decode(companies_.text(bases_[b].company));
      bool numeral = false;
      if (std::min(left.size(), right.size()) >= 3 && one_apart(left, right, &numeral) &&
          !numeral) {
        add_suggestion(SuggestionKind::kSimilarCompany, a, b,
                       fmt::format(kCompanyOneApart, raw_company(a), raw_company(b)));
      } else if (std::min(left.size(), right.size()) >= 2 &&
                 (left.find(right) != std::u32string::npos ||
                  right.find(left) != std::u32string::npos)) {
        add_suggestion(SuggestionKind::kSimilarCompany, a, b,
                       fmt::format(kCompanyContained, raw_company(a), raw_company(b)));
      }
    });
    for_each_pair(by_company_title, [&](uint32_t a, uint32_t b) {
      if (bases_[a].partner == bases_[b].partner) return;  // locations: see fill_missing_locations
      if (!compatible(bases_[a].location, bases_[b].location)) return;
      const auto& left_name = partners_.text(bases_[a].partner);
      const auto& right_name = partners_.text(bases_[b].partner);
      if (left_name.substr(0, 2) != right_name.substr(0, 2)) return;  // kinds differ
      auto left = chars::decode(std::string_view(left_name).substr(2));
      auto right = chars::decode(std::string_view(right_name).substr(2));
      bool numeral = false;
      if (std::min(left.size(), right.size()) >= 3 && one_apart(left, right, &numeral) &&
          !numeral) {
        add_suggestion(SuggestionKind::kSimilarPartner, a, b,
                       fmt::format(kPartnerOneApart, raw_partner(a), raw_partner(b)));
      } else if (std::min(left.size(), right.size()) >= 3 &&
                 (chars::ends_with(left, right) || chars::ends_with(right, left))) {
        add_suggestion(SuggestionKind::kSimilarPartner, a, b,
                       fmt::format(kPartnerSuffix, raw_partner(a), raw_partner(b)));
      }
    });
  }

  template <typename KeyOf, typename Compare>
  void for_each_pair(KeyOf key_of, Compare compare) {
    for_each_bucket(key_of, [&](std::span<const uint32_t> members) {
      if (members.size() > kMaxCompared) return;
      for (size_t i = 0; i < members.size(); ++i) {
        for (size_t j = i + 1; j < members.size(); ++j) compare(members[i], members[j]);
      }
    });
  }

  void apply_decisions(UnionFind& groups) {
    std::unordered_map<std::string_view, size_t> suggestion_of_id;
    for (size_t s = 0; s < suggestions_.size(); ++s)
      suggestion_of_id.emplace(suggestions_[s].suggestion.id, s);
    for (size_t d = 0; d < decisions_.size(); ++d) {
      const auto& decision = decisions_[d];
      switch (decision.action) {
        case DecisionAction::kSplit:
          break;  // applied before grouping
        case DecisionAction::kAccept:
        case DecisionAction::kReject: {
          auto it = suggestion_of_id.find(decision.suggestion_id);
          if (it == suggestion_of_id.end()) {
            outcomes_.push_back(
                {d, false,
                 fmt::format("提案 {} は今回の入力にありません", decision.suggestion_id)});
            break;
          }
          auto& candidate = suggestions_[it->second];
          decided_.insert(candidate.suggestion.id);
          if (decision.action == DecisionAction::kReject) {
            outcomes_.push_back({d, true,
                                 fmt::format("提案 {} を別のプロジェクトとして確定しました",
                                             decision.suggestion_id)});
            break;
          }
          groups.unite(candidate.bases[0], candidate.bases[1]);
          events_.push_back(
              {candidate.bases[0], candidate.bases[1],
               fmt::format("担当者の判断で統合（提案 {}）", candidate.suggestion.id)});
          outcomes_.push_back(
              {d, true, fmt::format("提案 {} を統合しました", decision.suggestion_id)});
          break;
        }
        case DecisionAction::kMerge: {
          std::vector<uint32_t> found;
          std::vector<std::string> unknown;
          for (const auto& id : decision.session_ids) {
            auto it = record_index_.find(id);
            if (it == record_index_.end()) {
              unknown.push_back(id);
            } else {
              found.push_back(it->second);
            }
          }
          if (found.size() < 2) {
            outcomes_.push_back(
                {d, false,
                 unknown.empty()
                     ? std::string("統合の判断には二つ以上の記録が必要です")
                     : fmt::format("統合の判断を適用できません: 記録 {} は今回の入力にありません",
                                   fmt::join(unknown, "・"))});
            break;
          }
          std::vector<std::string> ids;
          for (auto index : found) ids.push_back(records_[index].id);
          for (size_t k = 1; k < found.size(); ++k) {
            groups.unite(record_base_[found[0]], record_base_[found[k]]);
            events_.push_back(
                {record_base_[found[k]], record_base_[found[0]],
                 fmt::format("担当者の判断で統合（記録 {}）", join_limited(ids, "・"))});
          }
          outcomes_.push_back(
              {d, true,
               unknown.empty()
                   ? fmt::format("記録 {} のプロジェクトを統合しました", fmt::join(ids, "・"))
                   : fmt::format(
                         "記録 {} のプロジェクトを統合しました（{} は今回の入力にありません）",
                         fmt::join(ids, "・"), fmt::join(unknown, "・"))});
          break;
        }
      }
    }
  }

  void build_projects(UnionFind& groups, CountResult& result) {
    std::unordered_map<uint32_t, size_t> project_of_root;
    std::vector<std::vector<uint32_t>> members;
    for (uint32_t b = 0; b < bases_.size(); ++b) {
      auto [it, inserted] = project_of_root.try_emplace(groups.find(b), members.size());
      if (inserted) members.emplace_back();
      members[it->second].push_back(b);
    }
    std::unordered_map<uint32_t, std::vector<const MergeEvent*>> events_of_root;
    for (const auto& event : events_) events_of_root[groups.find(event.into)].push_back(&event);

    project_id_of_base_.resize(bases_.size());
    first_line_of_base_.resize(bases_.size());
    result.projects.reserve(members.size());
    for (const auto& bases : members) {
      Project project = make_project(bases, events_of_root[groups.find(bases.front())]);
      for (auto b : bases) project_id_of_base_[b] = project.id;
      first_line_of_project_id_[project.id] = project.first_line;
      result.projects.push_back(std::move(project));
    }
    std::sort(result.projects.begin(), result.projects.end(),
              [](const Project& a, const Project& b) { return a.first_line < b.first_line; });
    for (uint32_t b = 0; b < bases_.size(); ++b) {
      first_line_of_base_[b] = first_line_of_project_id_[project_id_of_base_[b]];
    }
  }

  Project make_project(const std::vector<uint32_t>& bases,
                       const std::vector<const MergeEvent*>& events) {
    Project project;
    std::vector<uint32_t> sessions;
    const std::string* smallest_key = &bases_[bases.front()].key;
    for (auto b : bases) {
      sessions.insert(sessions.end(), bases_[b].records.begin(), bases_[b].records.end());
      if (bases_[b].key < *smallest_key) smallest_key = &bases_[b].key;
    }
    std::sort(sessions.begin(), sessions.end(), [&](uint32_t a, uint32_t b) {
      if (records_[a].date != records_[b].date) return records_[a].date < records_[b].date;
      return records_[a].line < records_[b].line;
    });
    project.id = stable_id("P-", *smallest_key);
    // Views into records_ and title_entries_, which outlive the project being built.
    std::vector<std::string_view> companies, partners, displays, clean_raw_titles, markers;
    std::vector<std::string_view> company_spellings, partner_spellings, title_displays,
        raw_title_spellings;
    project.first_line = SIZE_MAX;
    project.first_date = records_[sessions.front()].date;
    project.last_date = records_[sessions.back()].date;
    std::array<bool, 3> category_present{};
    for (auto r : sessions) {
      const auto& record = records_[r];
      const auto& title = title_entries_[record_title_[r]].title;
      project.session_ids.push_back(record.id);
      project.first_line = std::min(project.first_line, record.line);
      companies.push_back(record.company);
      partners.push_back(record.partner);
      displays.push_back(title.display);
      if (title.markers.empty()) clean_raw_titles.push_back(record.title);
      for (const auto& marker : title.markers) push_unique(markers, std::string_view(marker));
      for (size_t c = 0; c < kCategories.size(); ++c)
        category_present[c] |= record.category == kCategories[c];
    }
    // Spellings in the order of the input (the first seen first).
    std::vector<uint32_t> by_line = sessions;
    std::sort(by_line.begin(), by_line.end(),
              [&](uint32_t a, uint32_t b) { return records_[a].line < records_[b].line; });
    for (auto r : by_line) {
      push_unique(company_spellings, std::string_view(records_[r].company));
      push_unique(partner_spellings, std::string_view(records_[r].partner));
      push_unique(title_displays, std::string_view(title_entries_[record_title_[r]].title.display));
      push_unique(raw_title_spellings, std::string_view(records_[r].title));
    }
    project.company = most_frequent(companies);
    project.partner = most_frequent(partners);
    // A title as typed is shown when one has no session marker; else the cleaned form.
    project.title =
        clean_raw_titles.empty() ? most_frequent(displays) : most_frequent(clean_raw_titles);
    for (auto b : bases) {
      const auto& location = bases_[b].location;
      if (!location.prefecture.empty()) project.prefecture = location.prefecture;
    }
    for (size_t c = 0; c < kCategories.size(); ++c) {
      if (category_present[c]) project.categories.emplace_back(kCategories[c]);
    }

    std::vector<std::string> clauses;
    if (company_spellings.size() > 1) clauses.push_back(join_limited(company_spellings, "＝"));
    if (partner_spellings.size() > 1) clauses.push_back(join_limited(partner_spellings, "＝"));
    if (title_displays.size() > 1) clauses.push_back(join_limited(title_displays, "＝"));
    if (!markers.empty() && sessions.size() > 1) {
      clauses.push_back(join_limited(markers, "・") + "を同一内容として集約");
    }
    if (title_displays.size() == 1 && markers.empty() && raw_title_spellings.size() > 1) {
      clauses.push_back(join_limited(raw_title_spellings, "＝"));
    }
    for (const auto* event : events) push_unique(clauses, event->text);
    for (auto b : bases) {
      if (auto it = split_text_.find(bases_[b].split); it != split_text_.end())
        push_unique(clauses, it->second);
    }
    if (sessions.size() == 1) {
      std::string single = "同じ企業・相手先・内容の記録はこの1件のみ";
      if (!markers.empty())
        single += fmt::format("（{}は回の表示として内容名から除外）", join_limited(markers, "・"));
      clauses.insert(clauses.begin(), single);
    } else if (clauses.empty()) {
      clauses.push_back(fmt::format("同じ表記の記録{}件を集約", sessions.size()));
    }
    project.why = fmt::format("{}", fmt::join(clauses, "、"));
    return project;
  }

  // Suggestions still open, in the order of their projects' first records.
  void publish_suggestions(UnionFind& groups, CountResult& result) {
    std::vector<std::tuple<size_t, size_t, CandidateSuggestion*>> open;
    for (auto& candidate : suggestions_) {
      if (decided_.contains(candidate.suggestion.id)) continue;
      if (groups.find(candidate.bases[0]) == groups.find(candidate.bases[1])) continue;
      if (first_line_of_base_[candidate.bases[0]] > first_line_of_base_[candidate.bases[1]]) {
        std::swap(candidate.bases[0], candidate.bases[1]);
      }
      open.emplace_back(first_line_of_base_[candidate.bases[0]],
                        first_line_of_base_[candidate.bases[1]], &candidate);
    }
    std::sort(open.begin(), open.end(), [](const auto& a, const auto& b) {
      return std::tie(std::get<0>(a), std::get<1>(a), std::get<2>(a)->suggestion.id) <
             std::tie(std::get<0>(b), std::get<1>(b), std::get<2>(b)->suggestion.id);
    });
    // One suggestion of each kind per pair of projects.
    std::unordered_set<std::string> shown_pairs;
    for (auto& [unused_a, unused_b, candidate] : open) {
      auto& suggestion = candidate->suggestion;
      suggestion.project_ids[0] = project_id_of_base_[candidate->bases[0]];
      suggestion.project_ids[1] = project_id_of_base_[candidate->bases[1]];
      std::string pair = fmt::format("{}/{}/{}", int(suggestion.kind), suggestion.project_ids[0],
                                     suggestion.project_ids[1]);
      if (!shown_pairs.insert(pair).second) continue;
      result.suggestions.push_back(std::move(suggestion));
    }
  }

  std::span<const ActivityRecord> records_;
  std::span<const Decision> decisions_;
  std::unordered_map<std::string_view, uint32_t> record_index_;
  std::vector<uint32_t> split_tag_;
  std::unordered_map<uint32_t, std::string> split_text_;
  Interner companies_, titles_, partners_, locations_, tags_;
  std::vector<TitleEntry> title_entries_;
  std::vector<PartnerEntry> partner_entries_;
  std::vector<uint32_t> record_title_;
  std::vector<uint32_t> record_base_;
  std::vector<BaseGroup> bases_;
  std::vector<MergeEvent> events_;
  std::vector<CandidateSuggestion> suggestions_;
  std::unordered_set<std::string> suggestion_ids_;
  std::unordered_set<std::string> decided_;
  std::vector<DecisionOutcome> outcomes_;
  std::vector<std::string> project_id_of_base_;
  std::unordered_map<std::string, size_t> first_line_of_project_id_;
  std::vector<size_t> first_line_of_base_;
};

}  // namespace

CountResult count_projects(std::span<const ActivityRecord> records,
                           std::span<const Decision> decisions) {
  return Counter(records, decisions).run();
}

}  // namespace kakehashi::program::counting
