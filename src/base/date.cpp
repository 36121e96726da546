#include "base/date.h"

#include <charconv>
#include <fmt/format.h>

namespace kakehashi {
namespace {

constexpr const char* kWeekdayKanji[] = {"日", "月", "火", "水", "木", "金", "土"};

Error malformed(std::string_view text) {
  return Error::invalid(fmt::format("日付の形式が正しくありません: {}（例: 2026-12-25）", text));
}

// Reads digits [begin, end) into `out`; false unless all are ASCII digits.
bool read_number(std::string_view text, int& out) {
  if (text.empty() || text.size() > 4) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && ptr == text.data() + text.size();
}

}  // namespace

Result<Date> Date::from_ymd(int year, unsigned month, unsigned day) {
  std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                                  std::chrono::day{day}};
  if (!ymd.ok()) {
    return fail(Error::invalid(fmt::format("存在しない日付です: {:04}-{:02}-{:02}", year, month, day)));
  }
  return Date{std::chrono::sys_days{ymd}};
}

Result<Date> Date::parse(std::string_view text) {
  char separator = text.find('/') != std::string_view::npos ? '/' : '-';
  size_t first = text.find(separator);
  size_t second = first == std::string_view::npos ? first : text.find(separator, first + 1);
  if (second == std::string_view::npos || text.find(separator, second + 1) != std::string_view::npos) {
    return fail(malformed(text));
  }
  int year = 0, month = 0, day = 0;
  std::string_view y = text.substr(0, first), m = text.substr(first + 1, second - first - 1),
                   d = text.substr(second + 1);
  if (y.size() != 4 || !read_number(y, year) || !read_number(m, month) || !read_number(d, day)) {
    return fail(malformed(text));
  }
  // ISO form demands two-digit month and day; the slash form is what spreadsheets write.
  if (separator == '-' && (m.size() != 2 || d.size() != 2)) return fail(malformed(text));
  if (m.size() > 2 || d.size() > 2) return fail(malformed(text));
  auto date = from_ymd(year, unsigned(month), unsigned(day));
  if (!date) return fail(malformed(text));
  return date;
}

std::string Date::iso() const {
  auto d = ymd();
  return fmt::format("{:04}-{:02}-{:02}", int(d.year()), unsigned(d.month()), unsigned(d.day()));
}

std::string Date::japanese() const {
  auto d = ymd();
  return fmt::format("{}年{}月{}日（{}）", int(d.year()), unsigned(d.month()), unsigned(d.day()),
                     kWeekdayKanji[weekday()]);
}

Date tokyo_date(std::chrono::sys_seconds instant) {
  return Date{std::chrono::floor<std::chrono::days>(instant + kJapanOffset)};
}

std::string tokyo_datetime(std::chrono::sys_seconds instant) {
  auto local = instant + kJapanOffset;
  auto day = std::chrono::floor<std::chrono::days>(local);
  std::chrono::hh_mm_ss time{local - day};
  return fmt::format("{} {:02}:{:02}", Date{day}.iso(), time.hours().count(), time.minutes().count());
}

std::chrono::sys_seconds SystemClock::now() const {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace kakehashi
