#include "calendar/official_csv.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <system_error>

#include "base/text.h"
#include "calendar/rules.h"

namespace kakehashi::calendar {
namespace {

Error at_line(size_t line, std::string_view message) {
  return Error::invalid(fmt::format("{} 行目: {}", line, message));
}

// Excel sometimes leaves empty trailing columns; they carry nothing.
size_t meaningful_fields(const csv::Row& row) {
  size_t count = row.fields.size();
  while (count > 0 && text::trim(row.fields[count - 1]).empty()) --count;
  return count;
}

}  // namespace

Result<std::vector<OfficialHoliday>> parse_official_csv(const std::vector<csv::Row>& rows) {
  if (rows.empty()) return fail(Error::invalid("祝日 CSV が空です"));
  const csv::Row& header = rows.front();
  if (meaningful_fields(header) != 2 || text::trim(header.fields[0]) != kOfficialDateHeader ||
      text::trim(header.fields[1]) != kOfficialNameHeader) {
    return fail(
        at_line(header.line, fmt::format("内閣府の祝日 CSV の見出しではありません（期待: {},{}）",
                                         kOfficialDateHeader, kOfficialNameHeader)));
  }
  std::vector<OfficialHoliday> holidays;
  std::map<Date, size_t> line_of;
  for (size_t r = 1; r < rows.size(); ++r) {
    const csv::Row& row = rows[r];
    if (row.fields.size() < 2 || meaningful_fields(row) > 2) {
      return fail(at_line(row.line, "列の数が正しくありません（日付,名称 の 2 列）"));
    }
    std::string date_text = text::nfkc(text::trim(row.fields[0]));
    auto date = Date::parse(date_text);
    if (!date) return fail(at_line(row.line, date.error().message));
    if (auto supported = check_supported(*date); !supported) {
      return fail(at_line(row.line, supported.error().message));
    }
    std::string name{text::trim(row.fields[1])};
    if (name.empty()) return fail(at_line(row.line, fmt::format("名称が空です: {}", date->iso())));
    auto [previous, inserted] = line_of.emplace(*date, row.line);
    if (!inserted) {
      return fail(at_line(row.line, fmt::format("日付が重複しています: {}（{} 行目と同じ）",
                                                date->iso(), previous->second)));
    }
    holidays.push_back({*date, std::move(name)});
  }
  if (holidays.empty()) return fail(Error::invalid("祝日 CSV に祝日の行がありません"));

  // The list replaces the rules for each year it touches, so a year cut short would lose days.
  std::map<int, std::pair<bool, bool>> year_ends;  // year -> (has 01-01, has 11-23)
  for (const OfficialHoliday& holiday : holidays) {
    auto& [has_new_year, has_labour_day] = year_ends[holiday.date.year()];
    has_new_year |= holiday.date.month() == 1 && holiday.date.day() == 1;
    has_labour_day |= holiday.date.month() == 11 && holiday.date.day() == 23;
  }
  for (const auto& [year, ends] : year_ends) {
    bool needs_new_year = year > kFirstSupportedYear;  // 1948's list starts at 07-20
    if ((needs_new_year && !ends.first) || !ends.second) {
      return fail(Error::invalid(fmt::format(
          "{} 年の祝日が一部しかありません（{}がありません）。年の途中で切れた CSV "
          "は取り込めません",
          year, needs_new_year && !ends.first ? "元日 1月1日" : "勤労感謝の日 11月23日")));
    }
  }
  std::sort(holidays.begin(), holidays.end(),
            [](const OfficialHoliday& a, const OfficialHoliday& b) { return a.date < b.date; });
  return holidays;
}

Result<std::vector<OfficialHoliday>> read_official_csv(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return fail(Error::not_found(fmt::format("ファイルが見つかりません: {}", path)));
  }
  auto size = std::filesystem::file_size(path, error);
  if (error) return fail(Error::unavailable(fmt::format("ファイルを開けません: {}", path)));
  if (size > kMaxOfficialCsvBytes) {
    return fail(Error::invalid(fmt::format("祝日 CSV が大きすぎます（上限 {} KB）: {}",
                                           kMaxOfficialCsvBytes / 1024, path)));
  }
  auto rows = csv::read_file(path);
  if (!rows) return fail(rows.error());
  return parse_official_csv(*rows);
}

}  // namespace kakehashi::calendar
