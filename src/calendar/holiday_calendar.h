// Japanese national holidays and the government business calendar (行政機関の休日).
//
// A business day is a day that is not a Saturday or Sunday, not a holiday under
// 国民の祝日に関する法律 (national holidays, 振替休日, 国民の休日, and the one-off days of special
// laws) and not 12-29 … 01-03 (行政機関の休日に関する法律 第1条). Holidays are computed from the
// rule tables in calendar/rules.h for any year 1948 (from 1948-07-20) … 2099, and replaced by
// the official list (the Cabinet Office CSV) for the years that list covers.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/date.h"
#include "base/result.h"

namespace kakehashi::calendar {

enum class HolidayKind {
  kNational,    // 国民の祝日 (law article 2)
  kSubstitute,  // 振替休日 (article 3.2)
  kCitizens,    // 国民の休日 (article 3.3)
  kSpecial,     // a 休日 made by a special law for one day (1959, 1989, 1990, 1993, 2019)
  kOfficial,    // from the official list only: a day the rules do not produce
};

struct Holiday {
  Date date;
  std::string name;  // e.g. "元日", "振替休日", "国民の休日"
  HolidayKind kind = HolidayKind::kNational;

  friend bool operator==(const Holiday&, const Holiday&) = default;
};

// One row of the official holiday list (内閣府「国民の祝日」CSV): the date and its name as
// published ("休日" for 振替休日 and 国民の休日).
struct OfficialHoliday {
  Date date;
  std::string name;

  friend bool operator==(const OfficialHoliday&, const OfficialHoliday&) = default;
};

// The holidays of `year` by the rules alone, sorted by date (no cache, no official list).
// Fails naming the supported years when `year` is outside 1948..2099.
[[nodiscard]] Result<std::vector<Holiday>> computed_holidays(int year);

// Fails with the Japanese message naming the supported range when `date` is outside
// 1948-07-20 … 2099-12-31 (resp. `year` outside 1948 … 2099).
[[nodiscard]] Result<void> check_supported(Date date);
[[nodiscard]] Result<void> check_supported_year(int year);

// 12-29 … 01-03, the year-end closing of government offices; kept apart from holidays (01-01
// is both). Any date.
bool is_government_closed(Date date);

// The holiday calendar. Each year's holidays and business-day counts are computed on first
// use and cached, so queries after the first in a year cost a table lookup. Safe to query from
// several threads at once. Every query fails for a date outside the supported range.
class HolidayCalendar {
 public:
  // Rules only.
  HolidayCalendar();
  // Rules, with `official` replacing the computed holidays of every year it has a row in.
  // Names: an official row named generically "休日…" on a day the rules also make a holiday
  // keeps the rules' name (振替休日, 国民の休日, 即位の日 …); any other official name wins.
  // Fails when a row lies outside the supported range or two rows share a date.
  [[nodiscard]] static Result<HolidayCalendar> with_official(std::vector<OfficialHoliday> official);

  HolidayCalendar(HolidayCalendar&&) noexcept;
  HolidayCalendar& operator=(HolidayCalendar&&) noexcept;
  ~HolidayCalendar();

  // The holidays of `year`, sorted by date (1948: from 07-20).
  [[nodiscard]] Result<std::vector<Holiday>> holidays(int year) const;
  // The holiday on `date`, if any.
  [[nodiscard]] Result<std::optional<Holiday>> holiday(Date date) const;
  // The holiday's name on `date`, or nullopt on an ordinary day.
  [[nodiscard]] Result<std::optional<std::string>> holiday_name(Date date) const;
  // True for every kind of 休日 under the holiday laws (not for 12-29 … 01-03 as such).
  [[nodiscard]] Result<bool> is_holiday(Date date) const;
  // Same as the free function, with the range check every query makes.
  [[nodiscard]] Result<bool> is_government_closed(Date date) const;
  [[nodiscard]] Result<bool> is_business_day(Date date) const;

  // The first business day strictly after (resp. before) `date`.
  [[nodiscard]] Result<Date> next_business_day(Date date) const;
  [[nodiscard]] Result<Date> previous_business_day(Date date) const;
  // `date` when it is a business day, else the next one: 行政機関の休日に関する法律 第2条, a time
  // limit falling on a closed day moves to the following business day.
  [[nodiscard]] Result<Date> business_day_on_or_after(Date date) const;
  // The n-th business day after `date` (n > 0) or before it (n < 0); `date` itself never counts,
  // whether or not it is a business day; n == 0 returns `date`. "Within N business days after
  // D" ends on add_business_days(D, N), inclusive. Fails when the result would leave the range.
  [[nodiscard]] Result<Date> add_business_days(Date date, int n) const;
  // The number of business days in (from, to] when from <= to, and minus the number in
  // [to, from) otherwise, so that add_business_days(from, business_days_between(from, to)) == to
  // in both directions whenever `to` is a business day (as add_business_days never counts its
  // start day, the interval excludes `from` either way).
  [[nodiscard]] Result<int> business_days_between(Date from, Date to) const;

  // The years whose holidays come from the official list, ascending.
  const std::vector<int>& official_years() const;

 private:
  struct State;
  struct YearTable;
  explicit HolidayCalendar(std::unique_ptr<State> state);
  const YearTable& year_table(int year) const;

  std::unique_ptr<State> state_;
};

}  // namespace kakehashi::calendar
