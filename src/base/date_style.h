// How dates are written for people (issue 16 item 8): Western years (the default), Japanese era
// years (令和8年12月3日), or the era with the Western year beside it (令和8年（2026年）12月3日).
// Date::japanese() and tokyo_datetime_japanese() (base/date.h) write the style of the calling
// thread; the web sets the signed-in person's setting while it builds a page they read.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/date.h"

namespace kakehashi {

enum class DateStyle { kWestern, kEra, kBoth };
std::string_view to_string(DateStyle style);  // "western" / "era" / "both"
std::optional<DateStyle> date_style_from(std::string_view text);

// The style of this thread: Western unless a DateStyleScope is active.
DateStyle current_date_style();
class DateStyleScope {
 public:
  explicit DateStyleScope(DateStyle style);
  ~DateStyleScope();
  DateStyleScope(const DateStyleScope&) = delete;
  DateStyleScope& operator=(const DateStyleScope&) = delete;

 private:
  DateStyle previous_;
};

// The era year of `date`: "令和8年", "令和元年", "平成31年" (明治 onwards; before it "1867年").
std::string era_year(Date date);

}  // namespace kakehashi
