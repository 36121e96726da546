// Civil dates (no time of day, no zone) and Japan time.
#pragma once

#include <chrono>
#include <compare>
#include <string>
#include <string_view>

#include "base/result.h"

namespace kakehashi {

// A calendar date in the proleptic Gregorian calendar. Stored as days since 1970-01-01 so
// arithmetic and comparison are cheap; always valid once constructed through from_ymd/parse.
class Date {
 public:
  constexpr Date() = default;
  constexpr explicit Date(std::chrono::sys_days days) : days_(days) {}

  // Returns an error naming the date when year/month/day do not form a real date.
  [[nodiscard]] static Result<Date> from_ymd(int year, unsigned month, unsigned day);
  // Parses "YYYY-MM-DD" (also accepts "YYYY/M/D" as typed in Japanese spreadsheets).
  // Error message: "日付の形式が正しくありません: <text>（例: 2026-12-25）".
  [[nodiscard]] static Result<Date> parse(std::string_view text);

  constexpr std::chrono::sys_days sys_days() const { return days_; }
  std::chrono::year_month_day ymd() const { return std::chrono::year_month_day{days_}; }
  int year() const { return int(ymd().year()); }
  unsigned month() const { return unsigned(ymd().month()); }
  unsigned day() const { return unsigned(ymd().day()); }
  // 0 = Sunday … 6 = Saturday.
  unsigned weekday() const { return std::chrono::weekday{days_}.c_encoding(); }
  bool is_weekend() const { return weekday() == 0 || weekday() == 6; }

  Date plus_days(int n) const { return Date{days_ + std::chrono::days{n}}; }
  // Number of days from `other` to this date (positive when this is later).
  int days_since(Date other) const { return int((days_ - other.days_).count()); }

  // "2026-12-25"
  std::string iso() const;
  // "2026年12月25日（金）"
  std::string japanese() const;

  friend constexpr auto operator<=>(Date, Date) = default;

 private:
  std::chrono::sys_days days_{};
};

// Japan Standard Time is UTC+9 all year (no daylight saving).
inline constexpr std::chrono::hours kJapanOffset{9};

// The Japan-time calendar date of an instant.
Date tokyo_date(std::chrono::sys_seconds instant);
// "2026-12-25 17:00" in Japan time.
std::string tokyo_datetime(std::chrono::sys_seconds instant);
// "2026年12月25日（金）17:00" in Japan time, for deadlines shown to users.
std::string tokyo_datetime_japanese(std::chrono::sys_seconds instant);
// "2026-12-25T17:00", the value of an <input type="datetime-local"> in Japan time.
std::string tokyo_datetime_local(std::chrono::sys_seconds instant);
// Parses "YYYY-MM-DDTHH:MM" (or with ":SS", or a space for the T) as Japan time.
// Error message: "日時の形式が正しくありません: <text>（例: 2026-12-25T17:00）".
[[nodiscard]] Result<std::chrono::sys_seconds> parse_tokyo_datetime(std::string_view text);

// The storage form of an instant: "2026-12-25T08:00:00Z" (UTC, sorts as text).
std::string iso_utc(std::chrono::sys_seconds instant);
// Parses iso_utc's form; an error for anything else.
[[nodiscard]] Result<std::chrono::sys_seconds> parse_iso_utc(std::string_view text);

// Seam for tests: the current instant. Production uses SystemClock; tests use FixedClock.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::sys_seconds now() const = 0;
  Date today_in_tokyo() const { return tokyo_date(now()); }
};

class SystemClock final : public Clock {
 public:
  std::chrono::sys_seconds now() const override;
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::chrono::sys_seconds at) : at_(at) {}
  std::chrono::sys_seconds now() const override { return at_; }
  void advance(std::chrono::seconds by) { at_ += by; }

 private:
  std::chrono::sys_seconds at_;
};

}  // namespace kakehashi
