#include "base/date.h"
#include "base/date_style.h"

#include <cctype>
#include <charconv>
#include <optional>
#include <fmt/chrono.h>
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

namespace {

thread_local DateStyle thread_style = DateStyle::kWestern;

struct Era {
  int year;
  unsigned month, day;
  std::string_view name;
};
// Each era's first day, newest first.
constexpr Era kEras[] = {
    {2019, 5, 1, "令和"}, {1989, 1, 8, "平成"}, {1926, 12, 25, "昭和"}, {1912, 7, 30, "大正"}, {1868, 10, 23, "明治"},
};

}  // namespace

std::string_view to_string(DateStyle style) {
  switch (style) {
    case DateStyle::kEra: return "era";
    case DateStyle::kBoth: return "both";
    case DateStyle::kWestern: break;
  }
  return "western";
}

std::optional<DateStyle> date_style_from(std::string_view text) {
  if (text == "western") return DateStyle::kWestern;
  if (text == "era") return DateStyle::kEra;
  if (text == "both") return DateStyle::kBoth;
  return std::nullopt;
}

DateStyle current_date_style() { return thread_style; }

DateStyleScope::DateStyleScope(DateStyle style) : previous_(thread_style) { thread_style = style; }
DateStyleScope::~DateStyleScope() { thread_style = previous_; }

std::string era_year(Date date) {
  auto d = date.ymd();
  for (const Era& era : kEras) {
    std::chrono::year_month_day start{std::chrono::year{era.year}, std::chrono::month{era.month}, std::chrono::day{era.day}};
    if (std::chrono::sys_days{d} < std::chrono::sys_days{start}) continue;
    int n = int(d.year()) - era.year + 1;
    return n == 1 ? fmt::format("{}元年", era.name) : fmt::format("{}{}年", era.name, n);
  }
  return fmt::format("{}年", int(d.year()));
}

std::string Date::japanese() const {
  auto d = ymd();
  std::string year;
  switch (thread_style) {
    case DateStyle::kEra: year = era_year(*this); break;
    case DateStyle::kBoth: year = fmt::format("{}（{}年）", era_year(*this), int(d.year())); break;
    case DateStyle::kWestern: year = fmt::format("{}年", int(d.year())); break;
  }
  return fmt::format("{}{}月{}日（{}）", year, unsigned(d.month()), unsigned(d.day()), kWeekdayKanji[weekday()]);
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

std::string tokyo_datetime_japanese(std::chrono::sys_seconds instant) {
  auto local = instant + kJapanOffset;
  auto day = std::chrono::floor<std::chrono::days>(local);
  std::chrono::hh_mm_ss time{local - day};
  return fmt::format("{}{:02}:{:02}", Date{day}.japanese(), time.hours().count(), time.minutes().count());
}

std::string tokyo_datetime_local(std::chrono::sys_seconds instant) {
  std::string text = tokyo_datetime(instant);
  text[10] = 'T';
  return text;
}

namespace {

// Reads "YYYY-MM-DD?HH:MM[:SS]" where ? is `separator` (or either of "T " when 0); the rest of
// the text must be `suffix`.
std::optional<std::chrono::sys_seconds> parse_civil(std::string_view text, std::string_view suffix, bool seconds_required) {
  if (!text.ends_with(suffix)) return std::nullopt;
  text.remove_suffix(suffix.size());
  if (text.size() != 16 && text.size() != 19) return std::nullopt;
  if (seconds_required && text.size() != 19) return std::nullopt;
  if (text[10] != 'T' && text[10] != ' ') return std::nullopt;
  auto date = Date::parse(text.substr(0, 10));
  if (!date) return std::nullopt;
  auto number = [&](size_t at) -> int {
    if (!std::isdigit(static_cast<unsigned char>(text[at])) || !std::isdigit(static_cast<unsigned char>(text[at + 1]))) return -1;
    return (text[at] - '0') * 10 + (text[at + 1] - '0');
  };
  int hour = number(11), minute = number(14), second = text.size() == 19 ? number(17) : 0;
  if (text[13] != ':' || (text.size() == 19 && text[16] != ':')) return std::nullopt;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return std::nullopt;
  return std::chrono::sys_seconds{date->sys_days()} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
         std::chrono::seconds{second};
}

}  // namespace

Result<std::chrono::sys_seconds> parse_tokyo_datetime(std::string_view text) {
  auto local = parse_civil(text, "", false);
  if (!local) return fail(Error::invalid(fmt::format("日時の形式が正しくありません: {}（例: 2026-12-25T17:00）", text)));
  return *local - kJapanOffset;
}

std::string iso_utc(std::chrono::sys_seconds instant) { return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", instant); }

Result<std::chrono::sys_seconds> parse_iso_utc(std::string_view text) {
  auto instant = text.size() == 20 && text[10] == 'T' ? parse_civil(text, "Z", true) : std::nullopt;
  if (!instant) return fail(Error::invalid(fmt::format("UTC の日時ではありません: {}", text)));
  return *instant;
}

std::chrono::sys_seconds SystemClock::now() const {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace kakehashi
