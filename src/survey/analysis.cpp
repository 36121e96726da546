#include "survey/analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <map>
#include <thread>
#include <unordered_map>

#include "base/text.h"
#include "survey/report.h"

namespace kakehashi::survey {
namespace {

// Distinct non-ASCII answer texts remembered per item, so NFKC runs once per distinct text
// rather than once per cell; free-text columns beyond this many distinct texts are normalised
// cell by cell.
constexpr std::size_t kAnswerCacheLimit = 4096;
// Header names quoted in "column missing" messages before they are cut with "…".
constexpr std::size_t kHeaderNamesShown = 12;

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// A finite decimal number, the whole text ("3", "-1.5", "+2", "1e3"); already normalised.
std::optional<double> parse_number(std::string_view text) {
  if (text.starts_with('+')) text.remove_prefix(1);
  if (text.empty() || text.front() == '+' || (text.front() == '-' && text.size() == 1))
    return std::nullopt;
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::string_view field_of(const csv::Row& row, std::size_t column) {
  return column < row.fields.size() ? std::string_view(row.fields[column]) : std::string_view();
}

std::string number_text(double value) { return fmt::format("{}", value); }

// What one cell of an item means.
struct Answer {
  enum Kind { kBlank, kValue, kInvalid } kind = kBlank;
  double value = 0;
  std::string reason;  // for kInvalid
};

// Turns the cells of one item into values under its scale or range. One per item and thread.
class AnswerReader {
 public:
  explicit AnswerReader(const ItemConfig& item) : item_(item) {
    for (const auto& [answer, value] : item.scale) scale_.emplace(answer, value);
  }

  Answer read(std::string_view raw) {
    if (is_ascii(raw)) return interpret(text::trim(raw));
    if (auto hit = cache_.find(std::string(raw)); hit != cache_.end()) return hit->second;
    Answer answer = interpret(normalize_answer(raw));
    if (cache_.size() < kAnswerCacheLimit) cache_.emplace(std::string(raw), answer);
    return answer;
  }

 private:
  Answer interpret(std::string_view text) const {
    if (text.empty()) return {};
    if (!item_.scale.empty()) {
      if (auto hit = scale_.find(text); hit != scale_.end()) return {Answer::kValue, hit->second, {}};
      // Forms may export the points instead of the wording: accept a number on the scale.
      if (auto number = parse_number(text)) {
        for (const auto& [answer, value] : item_.scale)
          if (value == *number) return {Answer::kValue, value, {}};
      }
      return {Answer::kInvalid, 0, "選択肢にない回答です"};
    }
    auto number = parse_number(text);
    if (!number) return {Answer::kInvalid, 0, "数値ではありません"};
    if ((item_.min && *number < *item_.min) || (item_.max && *number > *item_.max)) {
      std::string range = item_.min && item_.max
                              ? fmt::format("{}〜{}", number_text(*item_.min), number_text(*item_.max))
                          : item_.min ? fmt::format("{} 以上", number_text(*item_.min))
                                      : fmt::format("{} 以下", number_text(*item_.max));
      return {Answer::kInvalid, 0, fmt::format("範囲（{}）の外です", range)};
    }
    return {Answer::kValue, *number, {}};
  }

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  const ItemConfig& item_;
  std::unordered_map<std::string, double, Hash, std::equal_to<>> scale_;
  std::unordered_map<std::string, Answer> cache_;
};

// The sheets of one respondent (row indexes into the CSV rows; -1 when absent).
struct Respondent {
  std::int64_t pre = -1;
  std::int64_t post = -1;
};

ItemResult analyze_item(const std::vector<csv::Row>& rows, const std::vector<Respondent>& people,
                        const ItemConfig& item, std::size_t column) {
  ItemResult result;
  result.column = item.column;
  result.label = item.label;
  result.group = item.group;
  result.scaled = !item.scale.empty();
  AnswerReader reader(item);
  std::vector<double> pre, post;
  pre.reserve(people.size());
  post.reserve(people.size());
  auto read = [&](std::int64_t row_index) -> std::optional<double> {
    if (row_index < 0) return std::nullopt;
    const csv::Row& row = rows[std::size_t(row_index)];
    std::string_view raw = field_of(row, column);
    Answer answer = reader.read(raw);
    if (answer.kind == Answer::kValue) return answer.value;
    if (answer.kind == Answer::kInvalid)
      result.excluded.push_back({row.line, std::string(raw), std::move(answer.reason)});
    return std::nullopt;
  };
  for (const Respondent& person : people) {
    std::optional<double> before = read(person.pre);
    std::optional<double> after = read(person.post);
    if (before && after) {
      pre.push_back(*before);
      post.push_back(*after);
    } else if (before) {
      ++result.only_pre;
    } else if (after) {
      ++result.only_post;
    }
  }
  std::stable_sort(result.excluded.begin(), result.excluded.end(),
                   [](const ExcludedAnswer& a, const ExcludedAnswer& b) { return a.line < b.line; });
  result.statistics = paired_statistics(pre, post);
  return result;
}

}  // namespace

Result<SurveyResult> analyze(const std::vector<csv::Row>& rows, const SurveyConfig& config,
                             unsigned threads) {
  if (rows.empty()) return fail(Error::invalid("CSV が空です（見出し行がありません）"));
  std::vector<std::string> header;
  for (const std::string& name : rows[0].fields) header.push_back(normalize_answer(name));
  auto find_column = [&](const std::string& name) -> Result<std::size_t> {
    auto first = std::find(header.begin(), header.end(), name);
    if (first == header.end()) {
      std::string shown;
      for (std::size_t i = 0; i < header.size() && i < kHeaderNamesShown; ++i)
        shown += (i ? "、" : "") + header[i];
      if (header.size() > kHeaderNamesShown) shown += "、…";
      return fail(Error::invalid(fmt::format("CSV に列「{}」がありません（見出し: {}）", name, shown)));
    }
    if (std::find(first + 1, header.end(), name) != header.end())
      return fail(Error::invalid(fmt::format("CSV の見出しに列「{}」が複数あります", name)));
    return std::size_t(first - header.begin());
  };
  auto respondent_column = find_column(config.respondent);
  if (!respondent_column) return fail(respondent_column.error());
  auto wave_column = find_column(config.wave);
  if (!wave_column) return fail(wave_column.error());
  std::vector<std::size_t> item_columns;
  for (const ItemConfig& item : config.items) {
    auto column = find_column(item.column);
    if (!column) return fail(column.error());
    item_columns.push_back(*column);
  }

  SurveyResult result;
  result.title = config.title;
  result.pre_label = config.pre;
  result.post_label = config.post;

  // Pair the sheets: one pre and one post sheet per respondent ID.
  std::vector<Respondent> people;
  std::unordered_map<std::string, std::size_t> index_of;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const csv::Row& row = rows[r];
    ++result.sheets;
    std::string id = normalize_answer(field_of(row, *respondent_column));
    if (id.empty()) {
      result.skipped.push_back({row.line, "回答者IDが空のため、この回答票は集計に含めません"});
      continue;
    }
    std::string_view raw_wave = field_of(row, *wave_column);
    std::string wave = normalize_answer(raw_wave);
    bool is_pre = wave == config.pre;
    if (!is_pre && wave != config.post) {
      result.skipped.push_back(
          {row.line, wave.empty() ? "時期が空のため、この回答票は集計に含めません"
                                  : fmt::format("時期「{}」は「{}」「{}」のどちらでもないため、"
                                                "この回答票は集計に含めません",
                                                std::string(raw_wave), config.pre, config.post)});
      continue;
    }
    auto [slot, inserted] = index_of.try_emplace(id, people.size());
    if (inserted) people.emplace_back();
    std::int64_t& sheet = is_pre ? people[slot->second].pre : people[slot->second].post;
    if (sheet >= 0) {
      result.skipped.push_back(
          {row.line, fmt::format("回答者「{}」の{}の回答票が重複しています（{} 行目の回答票を使います）",
                                 id, is_pre ? config.pre : config.post,
                                 rows[std::size_t(sheet)].line)});
      continue;
    }
    sheet = std::int64_t(r);
    ++(is_pre ? result.pre_sheets : result.post_sheets);
  }
  result.respondents = people.size();

  // Items are independent: share them out over worker threads.
  result.items.resize(config.items.size());
  unsigned workers = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  workers = unsigned(std::min<std::size_t>(workers, config.items.size()));
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < config.items.size(); i = next++)
      result.items[i] = analyze_item(rows, people, config.items[i], item_columns[i]);
  };
  {
    std::vector<std::jthread> pool;
    for (unsigned w = 1; w < workers; ++w) pool.emplace_back(work);
    work();
  }

  // Groups in order of first appearance; items without a group form the survey's own group.
  std::vector<std::pair<std::string, std::vector<std::size_t>>> groups;
  for (std::size_t i = 0; i < result.items.size(); ++i) {
    const std::string& name = result.items[i].group.empty() ? config.title : result.items[i].group;
    auto found = std::find_if(groups.begin(), groups.end(),
                              [&](const auto& group) { return group.first == name; });
    if (found == groups.end()) {
      groups.push_back({name, {}});
      found = groups.end() - 1;
    }
    found->second.push_back(i);
  }
  for (auto& [name, items] : groups) result.groups.push_back(make_group(result, name, std::move(items)));
  return result;
}

Result<SurveyResult> analyze_file(const std::string& path, const SurveyConfig& config,
                                  unsigned threads) {
  auto rows = csv::read_file(path);
  if (!rows) return fail(rows.error());
  return analyze(*rows, config, threads);
}

Result<std::vector<ColumnSummary>> summarize_columns(const std::vector<csv::Row>& rows,
                                                     std::size_t max_values) {
  if (rows.empty()) return fail(Error::invalid("CSV が空です（見出し行がありません）"));
  std::vector<ColumnSummary> columns;
  std::vector<std::map<std::string, std::size_t>> counts(rows[0].fields.size());
  for (const std::string& name : rows[0].fields) columns.push_back({normalize_answer(name)});
  for (auto& column : columns) column.numeric = true;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      std::string value = normalize_answer(field_of(rows[r], c));
      if (value.empty()) continue;
      ++columns[c].answered;
      if (!parse_number(value)) columns[c].numeric = false;
      ++counts[c][value];
    }
  }
  for (std::size_t c = 0; c < columns.size(); ++c) {
    std::vector<std::pair<std::string, std::size_t>> values(counts[c].begin(), counts[c].end());
    std::stable_sort(values.begin(), values.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    columns[c].more_values = values.size() > max_values;
    if (values.size() > max_values) values.resize(max_values);
    columns[c].values = std::move(values);
    if (columns[c].answered == 0) columns[c].numeric = false;
  }
  return columns;
}

}  // namespace kakehashi::survey
