#include "survey/analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <thread>
#include <unordered_map>

#include "base/text.h"

namespace kakehashi::survey {
namespace {

// Distinct non-ASCII answer texts remembered per item, so NFKC runs once per distinct text
// rather than once per cell; free-text columns beyond this many distinct texts are normalised
// cell by cell.
constexpr std::size_t kAnswerCacheLimit = 4096;
// Header names quoted in "column missing" messages before they are cut with "…".
constexpr std::size_t kHeaderNamesShown = 12;

// Lets string-keyed maps be searched with a string_view, without building a std::string.
struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

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

// Parsed rows seen through the interface SheetTable offers.
class RowsSource {
 public:
  explicit RowsSource(const std::vector<csv::Row>& rows) : rows_(rows) {}
  std::size_t size() const { return rows_.size(); }
  std::size_t line(std::size_t row) const { return rows_[row].line; }
  std::size_t width(std::size_t row) const { return rows_[row].fields.size(); }
  std::string_view field(std::size_t row, std::size_t column) const {
    const auto& fields = rows_[row].fields;
    return column < fields.size() ? std::string_view(fields[column]) : std::string_view();
  }

 private:
  const std::vector<csv::Row>& rows_;
};

std::string number_text(double value) { return fmt::format("{}", value); }

// What one cell of an item means. `reason` points into the reader that made it.
struct Answer {
  enum Kind { kBlank, kValue, kInvalid } kind = kBlank;
  double value = 0;
  std::string_view reason;  // for kInvalid
};

// Turns the cells of one item into values under its scale or range. One per item and thread.
class AnswerReader {
 public:
  explicit AnswerReader(const ItemConfig& item) : item_(item) {
    for (const auto& [answer, value] : item.scale) scale_.emplace(answer, value);
    if (item.min || item.max) {
      std::string range = item.min && item.max ? fmt::format("{}〜{}", number_text(*item.min),
                                                             number_text(*item.max))
                          : item.min           ? fmt::format("{} 以上", number_text(*item.min))
                                               : fmt::format("{} 以下", number_text(*item.max));
      out_of_range_ = fmt::format("範囲（{}）の外です", range);
    }
  }
  AnswerReader(const AnswerReader&) = delete;
  AnswerReader& operator=(const AnswerReader&) = delete;

  Answer read(std::string_view raw) {
    if (is_ascii(raw)) return interpret(text::trim(raw));
    // A Forms column holds a handful of distinct texts: look through the recent ones first.
    for (const auto& [text, answer] : recent_)
      if (text == raw) return answer;
    Answer answer;
    if (auto hit = cache_.find(raw); hit != cache_.end()) {
      answer = hit->second;
    } else {
      answer = interpret(normalize_answer(raw));
      if (cache_.size() < kAnswerCacheLimit) cache_.emplace(std::string(raw), answer);
    }
    if (recent_.size() < kRecentAnswers) recent_.emplace_back(std::string(raw), answer);
    return answer;
  }

 private:
  Answer interpret(std::string_view text) const {
    if (text.empty()) return {};
    if (!item_.scale.empty()) {
      if (auto hit = scale_.find(text); hit != scale_.end())
        return {Answer::kValue, hit->second, {}};
      // Forms may export the points instead of the wording: accept a number on the scale.
      if (auto number = parse_number(text)) {
        for (const auto& [answer, value] : item_.scale)
          if (value == *number) return {Answer::kValue, value, {}};
      }
      return {Answer::kInvalid, 0, "選択肢にない回答です"};
    }
    auto number = parse_number(text);
    if (!number) return {Answer::kInvalid, 0, "数値ではありません"};
    if ((item_.min && *number < *item_.min) || (item_.max && *number > *item_.max))
      return {Answer::kInvalid, 0, out_of_range_};
    return {Answer::kValue, *number, {}};
  }

  // Distinct non-ASCII texts compared before hashing; past this many the cache answers.
  static constexpr std::size_t kRecentAnswers = 8;
  const ItemConfig& item_;
  std::string out_of_range_;
  std::unordered_map<std::string, double, TextHash, std::equal_to<>> scale_;
  std::unordered_map<std::string, Answer, TextHash, std::equal_to<>> cache_;
  std::vector<std::pair<std::string, Answer>> recent_;
};

// The sheets of one respondent (row indexes into the CSV rows; -1 when absent).
struct Respondent {
  std::int64_t pre = -1;
  std::int64_t post = -1;
};

// Per-item working state while the rows are read.
struct ItemWork {
  ItemWork(const ItemConfig& item, std::size_t column) : reader(item), column(column) {}
  AnswerReader reader;
  std::size_t column;
  std::vector<double> pre, post;
};

// Reads items [first, last) for every respondent, row by row, so each sheet's cells are read
// while its memory is at hand, then computes their statistics into `out`.
template <typename Source>
void analyze_items(const Source& rows, const std::vector<Respondent>& people,
                   const SurveyConfig& config, const std::vector<std::size_t>& columns,
                   std::size_t first, std::size_t last, std::vector<ItemResult>& out) {
  std::vector<std::unique_ptr<ItemWork>> work;
  for (std::size_t i = first; i < last; ++i) {
    const ItemConfig& item = config.items[i];
    ItemResult& result = out[i];
    result.column = item.column;
    result.label = item.label;
    result.group = item.group;
    result.scaled = !item.scale.empty();
    work.push_back(std::make_unique<ItemWork>(item, columns[i]));
    work.back()->pre.reserve(people.size());
    work.back()->post.reserve(people.size());
  }
  std::vector<std::optional<double>> before(last - first);
  auto read = [&](std::size_t k, std::size_t row) -> std::optional<double> {
    std::string_view raw = rows.field(row, work[k]->column);
    Answer answer = work[k]->reader.read(raw);
    if (answer.kind == Answer::kValue) return answer.value;
    if (answer.kind == Answer::kInvalid)
      out[first + k].excluded.push_back(
          {rows.line(row), std::string(raw), std::string(answer.reason)});
    return std::nullopt;
  };
  for (const Respondent& person : people) {
    for (std::size_t k = 0; k < work.size(); ++k)
      before[k] = person.pre >= 0 ? read(k, std::size_t(person.pre)) : std::nullopt;
    for (std::size_t k = 0; k < work.size(); ++k) {
      std::optional<double> after =
          person.post >= 0 ? read(k, std::size_t(person.post)) : std::nullopt;
      ItemResult& result = out[first + k];
      if (before[k] && after) {
        work[k]->pre.push_back(*before[k]);
        work[k]->post.push_back(*after);
      } else if (before[k]) {
        ++result.only_pre;
      } else if (after) {
        ++result.only_post;
      }
    }
  }
  for (std::size_t k = 0; k < work.size(); ++k) {
    ItemResult& result = out[first + k];
    std::stable_sort(
        result.excluded.begin(), result.excluded.end(),
        [](const ExcludedAnswer& a, const ExcludedAnswer& b) { return a.line < b.line; });
    result.statistics = paired_statistics(work[k]->pre, work[k]->post);
  }
}

template <typename Source>
Result<SurveyResult> analyze_source(const Source& rows, const SurveyConfig& config,
                                    unsigned threads) {
  if (rows.size() == 0) return fail(Error::invalid("CSV が空です（見出し行がありません）"));
  std::vector<std::string> header;
  for (std::size_t c = 0; c < rows.width(0); ++c)
    header.push_back(normalize_answer(rows.field(0, c)));
  auto find_column = [&](const std::string& name) -> Result<std::size_t> {
    auto first = std::find(header.begin(), header.end(), name);
    if (first == header.end()) {
      std::string shown;
      for (std::size_t i = 0; i < header.size() && i < kHeaderNamesShown; ++i)
        shown += (i ? "、" : "") + header[i];
      if (header.size() > kHeaderNamesShown) shown += "、…";
      return fail(
          Error::invalid(fmt::format("CSV に列「{}」がありません（見出し: {}）", name, shown)));
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
  index_of.reserve(rows.size());
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const std::size_t line = rows.line(r);
    ++result.sheets;
    std::string id = normalize_answer(rows.field(r, *respondent_column));
    if (id.empty()) {
      result.skipped.push_back({line, "回答者IDが空のため、この回答票は集計に含めません"});
      continue;
    }
    std::string_view raw_wave = rows.field(r, *wave_column);
    std::string wave = normalize_answer(raw_wave);
    bool is_pre = wave == config.pre;
    if (!is_pre && wave != config.post) {
      result.skipped.push_back(
          {line, wave.empty() ? "時期が空のため、この回答票は集計に含めません"
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
          {line,
           fmt::format("回答者「{}」の{}の回答票が重複しています（{} 行目の回答票を使います）", id,
                       is_pre ? config.pre : config.post, rows.line(std::size_t(sheet)))});
      continue;
    }
    sheet = std::int64_t(r);
    ++(is_pre ? result.pre_sheets : result.post_sheets);
  }
  result.respondents = people.size();

  // Items are independent: each worker reads a contiguous block of them, row by row.
  result.items.resize(config.items.size());
  unsigned workers = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  workers = unsigned(std::min<std::size_t>(workers, config.items.size()));
  {
    std::vector<std::jthread> pool;
    const std::size_t count = config.items.size();
    for (unsigned w = 0; w < workers; ++w) {
      const std::size_t first = count * w / workers, last = count * (w + 1) / workers;
      auto block = [&, first, last] {
        analyze_items(rows, people, config, item_columns, first, last, result.items);
      };
      if (w + 1 == workers)
        block();
      else
        pool.emplace_back(block);
    }
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
  for (auto& [name, items] : groups)
    result.groups.push_back(make_group(result, name, std::move(items)));
  return result;
}

template <typename Source>
Result<std::vector<ColumnSummary>> summarize_source(const Source& rows, std::size_t max_values) {
  if (rows.size() == 0) return fail(Error::invalid("CSV が空です（見出し行がありません）"));
  std::vector<ColumnSummary> columns;
  std::vector<std::map<std::string, std::size_t>> counts(rows.width(0));
  for (std::size_t c = 0; c < rows.width(0); ++c)
    columns.push_back({normalize_answer(rows.field(0, c))});
  for (auto& column : columns) column.numeric = true;
  // Count raw texts first and normalise each distinct text once: NFKC per cell would dominate.
  std::vector<std::unordered_map<std::string, std::size_t, TextHash, std::equal_to<>>> raw(
      columns.size());
  for (std::size_t r = 1; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      std::string_view text = rows.field(r, c);
      if (text.empty()) continue;
      auto hit = raw[c].find(text);
      if (hit == raw[c].end()) hit = raw[c].emplace(std::string(text), 0).first;
      ++hit->second;
    }
  }
  for (std::size_t c = 0; c < columns.size(); ++c) {
    for (const auto& [text, count] : raw[c]) {
      std::string value = normalize_answer(text);
      if (value.empty()) continue;
      columns[c].answered += count;
      if (!parse_number(value)) columns[c].numeric = false;
      counts[c][value] += count;
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

}  // namespace

Result<SurveyResult> analyze(const std::vector<csv::Row>& rows, const SurveyConfig& config,
                             unsigned threads) {
  return analyze_source(RowsSource(rows), config, threads);
}

Result<SurveyResult> analyze(const SheetTable& table, const SurveyConfig& config,
                             unsigned threads) {
  return analyze_source(table, config, threads);
}

Result<SurveyResult> analyze_file(const std::string& path, const SurveyConfig& config,
                                  unsigned threads) {
  auto table = SheetTable::read_file(path, threads);
  if (!table) return fail(table.error());
  return analyze_source(*table, config, threads);
}

Result<std::vector<ColumnSummary>> summarize_columns(const std::vector<csv::Row>& rows,
                                                     std::size_t max_values) {
  return summarize_source(RowsSource(rows), max_values);
}

Result<std::vector<ColumnSummary>> summarize_columns(const SheetTable& table,
                                                     std::size_t max_values) {
  return summarize_source(table, max_values);
}

}  // namespace kakehashi::survey
