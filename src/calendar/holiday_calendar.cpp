#include "calendar/holiday_calendar.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>

#include "calendar/rules.h"

namespace kakehashi::calendar {
namespace {

constexpr int kYearCount = kLastSupportedYear - kFirstSupportedYear + 1;
// More business days than the whole supported range holds; a larger step always leaves it.
constexpr int kMaxBusinessDayStep = 60'000;

Error outside_range(Date date) {
  return Error::invalid(fmt::format("対応している日付は {} から {} までです: {}",
                                    kFirstSupportedDate.iso(), kLastSupportedDate.iso(),
                                    date.iso()));
}

Error step_outside_range(Date date, int n) {
  return Error::invalid(
      fmt::format("{} から {} 営業日{}は対応している範囲（{} から {} まで）の外です", date.iso(),
                  n < 0 ? -int64_t{n} : int64_t{n}, n < 0 ? "前" : "後", kFirstSupportedDate.iso(),
                  kLastSupportedDate.iso()));
}

// January 1st of every supported year and of the year after, as days since 1970-01-01.
constexpr auto kNewYearDays = [] {
  std::array<int, kYearCount + 1> days{};
  for (int i = 0; i <= kYearCount; ++i) {
    days[size_t(i)] = int(ymd(kFirstSupportedYear + i, 1, 1).sys_days().time_since_epoch().count());
  }
  return days;
}();

// The year of a supported date, by table: cheaper than a civil-calendar conversion on the
// deadline path.
int supported_year(Date date) {
  int day = date.days_since(Date{});
  size_t i = size_t((day - kNewYearDays[0]) / 366);  // never past the right year
  while (kNewYearDays[i + 1] <= day) ++i;
  return kFirstSupportedYear + int(i);
}

template <typename Rule>
const Rule* rule_in_force(std::span<const Rule> rules, Date date) {
  for (const Rule& rule : rules) {
    if (rule.valid_from <= date && date <= rule.valid_to) return &rule;
  }
  return nullptr;
}

// Walks the rule tables for one year: the days of article 2 and the special laws first, then
// 振替休日 (article 3.2) and 国民の休日 (article 3.3) derived from the national holidays.
std::vector<Holiday> compute_year(int year) {
  struct Day {
    Date date;
    std::string_view name;
    HolidayKind kind;
    bool national;
  };
  std::vector<Day> days;
  for (const HolidayRule& rule : holiday_rules()) {
    Date date = rule_date(rule, year);
    if (date < rule.valid_from || date > rule.valid_to || date < kFirstSupportedDate) continue;
    // A rule in force for a single day is a special law's one-off day.
    HolidayKind kind =
        rule.valid_from == rule.valid_to ? HolidayKind::kSpecial : HolidayKind::kNational;
    days.push_back({date, rule.name, kind, rule.national_holiday});
  }
  auto find = [&days](Date date) -> const Day* {
    for (const Day& day : days) {
      if (day.date == date) return &day;
    }
    return nullptr;
  };
  auto is_national = [&find](Date date) {
    const Day* day = find(date);
    return day != nullptr && day->national;
  };

  std::vector<Day> derived;
  auto is_derived = [&derived](Date date) {
    return std::any_of(derived.begin(), derived.end(),
                       [date](const Day& d) { return d.date == date; });
  };
  for (const Day& day : days) {
    if (!day.national || day.date.weekday() != 0) continue;
    const SubstituteHolidayRule* rule = rule_in_force(substitute_holiday_rules(), day.date);
    if (rule == nullptr) continue;
    Date substitute = day.date.plus_days(1);
    if (rule->rule == SubstituteRule::kNearestNonHoliday) {
      while (is_national(substitute)) substitute = substitute.plus_days(1);
    } else if (is_national(substitute)) {
      continue;
    }
    if (!is_derived(substitute)) {
      derived.push_back({substitute, kSubstituteHolidayName, HolidayKind::kSubstitute, false});
    }
  }
  for (const Day& day : days) {
    Date between = day.date.plus_days(1);
    if (!day.national || !is_national(between.plus_days(1)) || find(between) != nullptr) continue;
    const CitizensHolidayRule* rule = rule_in_force(citizens_holiday_rules(), between);
    if (rule == nullptr || is_derived(between)) continue;
    if (rule->rule == CitizensRule::kExceptSundayAndSubstitute && between.weekday() == 0) continue;
    derived.push_back({between, kCitizensHolidayName, HolidayKind::kCitizens, false});
  }

  std::vector<Holiday> holidays;
  holidays.reserve(days.size() + derived.size());
  for (const auto* list : {&days, &derived}) {
    for (const Day& day : *list) holidays.push_back({day.date, std::string(day.name), day.kind});
  }
  std::sort(holidays.begin(), holidays.end(),
            [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
  return holidays;
}

// The Cabinet Office names 振替休日, 国民の休日 and the 2019 days "休日" / "休日（祝日扱い）".
bool is_generic_name(std::string_view name) { return name.starts_with("休日"); }

// The official rows of one year, named and typed with the help of the rules' own list.
std::vector<Holiday> merge_official(const std::vector<OfficialHoliday>& official,
                                    const std::vector<Holiday>& computed) {
  std::vector<Holiday> holidays;
  holidays.reserve(official.size());
  for (const OfficialHoliday& row : official) {
    auto same_day = std::find_if(computed.begin(), computed.end(),
                                 [&row](const Holiday& h) { return h.date == row.date; });
    if (same_day == computed.end()) {
      holidays.push_back({row.date, row.name, HolidayKind::kOfficial});
    } else {
      holidays.push_back(
          {row.date, is_generic_name(row.name) ? same_day->name : row.name, same_day->kind});
    }
  }
  std::sort(holidays.begin(), holidays.end(),
            [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
  return holidays;
}

}  // namespace

Result<void> check_supported(Date date) {
  if (date < kFirstSupportedDate || date > kLastSupportedDate) return fail(outside_range(date));
  return {};
}

Result<void> check_supported_year(int year) {
  if (year < kFirstSupportedYear || year > kLastSupportedYear) {
    return fail(Error::invalid(fmt::format("対応している年は {} 年から {} 年までです: {}",
                                           kFirstSupportedYear, kLastSupportedYear, year)));
  }
  return {};
}

Result<std::vector<Holiday>> computed_holidays(int year) {
  if (auto supported = check_supported_year(year); !supported) return fail(supported.error());
  return compute_year(year);
}

bool is_government_closed(Date date) {
  unsigned month = date.month(), day = date.day();
  return (month == 12 && day >= 29) || (month == 1 && day <= 3);
}

// One year, computed once: its holidays and, for every day, how many business days precede it
// in the year, which turns business-day arithmetic into index arithmetic.
struct HolidayCalendar::YearTable {
  Date first_day;  // January 1st
  int day_count = 0;
  std::vector<Holiday> holidays;
  std::array<bool, 366> is_holiday{};
  // business_before[i]: business days among the year's first i days; [day_count] is the total.
  std::array<uint16_t, 367> business_before{};
  // business_day[k - 1]: the day index of the year's k-th business day. A year has at most
  // 366 - 104 weekend days = 262 weekdays.
  std::array<uint16_t, 262> business_day{};

  int total() const { return business_before[size_t(day_count)]; }
  int index(Date date) const { return date.days_since(first_day); }
  bool is_business(int i) const {
    return business_before[size_t(i) + 1] != business_before[size_t(i)];
  }
  // The day holding the k-th business day of the year, 1 <= k <= total().
  Date kth_business_day(int k) const { return first_day.plus_days(business_day[size_t(k) - 1]); }
};

struct HolidayCalendar::State {
  std::map<int, std::vector<OfficialHoliday>> official;  // by year
  std::vector<int> official_years;
  // tables[i] may be read once built[i] is true (acquire); built under build_mutex.
  std::array<std::atomic<bool>, kYearCount> built{};
  std::mutex build_mutex;
  std::array<YearTable, kYearCount> tables;
};

HolidayCalendar::HolidayCalendar() : state_(std::make_unique<State>()) {}
HolidayCalendar::HolidayCalendar(std::unique_ptr<State> state) : state_(std::move(state)) {}
HolidayCalendar::HolidayCalendar(HolidayCalendar&&) noexcept = default;
HolidayCalendar& HolidayCalendar::operator=(HolidayCalendar&&) noexcept = default;
HolidayCalendar::~HolidayCalendar() = default;

Result<HolidayCalendar> HolidayCalendar::with_official(std::vector<OfficialHoliday> official) {
  auto state = std::make_unique<State>();
  std::sort(official.begin(), official.end(),
            [](const OfficialHoliday& a, const OfficialHoliday& b) { return a.date < b.date; });
  for (size_t i = 0; i < official.size(); ++i) {
    if (auto supported = check_supported(official[i].date); !supported)
      return fail(supported.error());
    if (i > 0 && official[i].date == official[i - 1].date) {
      return fail(Error::invalid(
          fmt::format("公式の祝日一覧で日付が重複しています: {}", official[i].date.iso())));
    }
  }
  for (OfficialHoliday& row : official) state->official[row.date.year()].push_back(std::move(row));
  for (const auto& [year, rows] : state->official) state->official_years.push_back(year);
  return HolidayCalendar(std::move(state));
}

const std::vector<int>& HolidayCalendar::official_years() const { return state_->official_years; }

const HolidayCalendar::YearTable& HolidayCalendar::year_table(int year) const {
  size_t slot = size_t(year - kFirstSupportedYear);
  YearTable& table = state_->tables[slot];
  if (state_->built[slot].load(std::memory_order_acquire)) return table;
  std::lock_guard lock(state_->build_mutex);
  if (!state_->built[slot].load(std::memory_order_relaxed)) {
    table.first_day = ymd(year, 1, 1);
    table.day_count = ymd(year + 1, 1, 1).days_since(table.first_day);
    table.holidays = compute_year(year);
    if (auto official = state_->official.find(year); official != state_->official.end()) {
      table.holidays = merge_official(official->second, table.holidays);
    }
    for (const Holiday& holiday : table.holidays) {
      table.is_holiday[size_t(table.index(holiday.date))] = true;
    }
    for (int i = 0; i < table.day_count; ++i) {
      Date date = table.first_day.plus_days(i);
      bool business = date >= kFirstSupportedDate && !date.is_weekend() &&
                      !table.is_holiday[size_t(i)] && !calendar::is_government_closed(date);
      if (business) table.business_day[table.business_before[size_t(i)]] = uint16_t(i);
      table.business_before[size_t(i) + 1] =
          uint16_t(table.business_before[size_t(i)] + (business ? 1 : 0));
    }
    state_->built[slot].store(true, std::memory_order_release);
  }
  return table;
}

Result<std::vector<Holiday>> HolidayCalendar::holidays(int year) const {
  if (auto supported = check_supported_year(year); !supported) return fail(supported.error());
  return year_table(year).holidays;
}

Result<std::optional<Holiday>> HolidayCalendar::holiday(Date date) const {
  if (auto supported = check_supported(date); !supported) return fail(supported.error());
  const YearTable& table = year_table(supported_year(date));
  if (!table.is_holiday[size_t(table.index(date))]) return std::optional<Holiday>{};
  auto found = std::lower_bound(table.holidays.begin(), table.holidays.end(), date,
                                [](const Holiday& h, Date d) { return h.date < d; });
  return std::optional<Holiday>{*found};
}

Result<std::optional<std::string>> HolidayCalendar::holiday_name(Date date) const {
  auto found = holiday(date);
  if (!found) return fail(found.error());
  if (!*found) return std::optional<std::string>{};
  return std::optional<std::string>{std::move((*found)->name)};
}

Result<bool> HolidayCalendar::is_holiday(Date date) const {
  if (auto supported = check_supported(date); !supported) return fail(supported.error());
  const YearTable& table = year_table(supported_year(date));
  return table.is_holiday[size_t(table.index(date))];
}

Result<bool> HolidayCalendar::is_government_closed(Date date) const {
  if (auto supported = check_supported(date); !supported) return fail(supported.error());
  return calendar::is_government_closed(date);
}

Result<bool> HolidayCalendar::is_business_day(Date date) const {
  if (auto supported = check_supported(date); !supported) return fail(supported.error());
  const YearTable& table = year_table(supported_year(date));
  return table.is_business(table.index(date));
}

Result<Date> HolidayCalendar::next_business_day(Date date) const {
  return add_business_days(date, 1);
}

Result<Date> HolidayCalendar::previous_business_day(Date date) const {
  return add_business_days(date, -1);
}

Result<Date> HolidayCalendar::business_day_on_or_after(Date date) const {
  auto business = is_business_day(date);
  if (!business) return fail(business.error());
  return *business ? Result<Date>{date} : next_business_day(date);
}

Result<Date> HolidayCalendar::add_business_days(Date date, int n) const {
  if (auto supported = check_supported(date); !supported) return fail(supported.error());
  if (n == 0) return date;
  if (n > kMaxBusinessDayStep || n < -kMaxBusinessDayStep) return fail(step_outside_range(date, n));
  int year = supported_year(date);
  const YearTable* table = &year_table(year);
  int i = table->index(date);
  // k: the ordinal, within `year`, of the business day sought.
  int k =
      n > 0 ? table->business_before[size_t(i) + 1] + n : table->business_before[size_t(i)] + n + 1;
  while (k > table->total()) {
    k -= table->total();
    if (++year > kLastSupportedYear) return fail(step_outside_range(date, n));
    table = &year_table(year);
  }
  while (k < 1) {
    if (--year < kFirstSupportedYear) return fail(step_outside_range(date, n));
    table = &year_table(year);
    k += table->total();
  }
  return table->kth_business_day(k);
}

Result<int> HolidayCalendar::business_days_between(Date from, Date to) const {
  if (auto supported = check_supported(from); !supported) return fail(supported.error());
  if (auto supported = check_supported(to); !supported) return fail(supported.error());
  if (to < from) {
    // Business days in [to, from) = those in (to, from], less `from`, plus `to`.
    auto forward = business_days_between(to, from);
    if (!forward) return forward;
    return -(*forward - int(*is_business_day(from)) + int(*is_business_day(to)));
  }
  // Business days in [January 1st, date] of date's year.
  auto through = [this](Date date) {
    const YearTable& table = year_table(supported_year(date));
    return int(table.business_before[size_t(table.index(date)) + 1]);
  };
  int count = through(to) - through(from);
  for (int year = supported_year(from), last = supported_year(to); year < last; ++year)
    count += year_table(year).total();
  return count;
}

}  // namespace kakehashi::calendar
