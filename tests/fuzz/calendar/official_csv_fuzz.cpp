// Fuzz target: the Cabinet Office holiday CSV importer (encoding detection, CSV, row checks)
// and the calendar built from whatever it accepts. An accepted list is sorted, has unique dates
// inside the supported range and non-empty names, and becomes exactly the holidays of the
// years it covers.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/csv.h"
#include "base/text.h"
#include "calendar/holiday_calendar.h"
#include "calendar/official_csv.h"

using namespace kakehashi;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto utf8 = text::to_utf8(input);
  if (!utf8) return 0;
  auto rows = csv::parse(*utf8);
  if (!rows) return 0;
  auto official = calendar::parse_official_csv(*rows);
  if (!official) {
    if (official.error().message.empty()) __builtin_trap();
    return 0;
  }
  if (official->empty()) __builtin_trap();
  for (size_t i = 0; i < official->size(); ++i) {
    const auto& row = (*official)[i];
    if (!calendar::check_supported(row.date) || row.name.empty()) __builtin_trap();
    if (i > 0 && !((*official)[i - 1].date < row.date)) __builtin_trap();
  }
  auto calendar = calendar::HolidayCalendar::with_official(*official);
  if (!calendar) __builtin_trap();
  size_t listed = 0;
  for (int year : calendar->official_years()) {
    auto holidays = calendar->holidays(year);
    if (!holidays) __builtin_trap();
    listed += holidays->size();
    for (const auto& holiday : *holidays) {
      if (!*calendar->is_holiday(holiday.date) || *calendar->is_business_day(holiday.date)) {
        __builtin_trap();
      }
    }
  }
  if (listed != official->size()) __builtin_trap();
  return 0;
}
