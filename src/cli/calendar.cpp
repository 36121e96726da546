// kakehashi calendar …: national holidays, business days and deadlines, and the import of the
// Cabinet Office's official holiday list.
#include <fmt/format.h>

#include <boost/json.hpp>
#include <charconv>
#include <filesystem>
#include <iostream>
#include <string>

#include "base/csv.h"
#include "base/date.h"
#include "calendar/holiday_calendar.h"
#include "calendar/official_import.h"
#include "cli/common.h"
#include "meetings/service.h"

namespace kakehashi::cli {
namespace {

using calendar::HolidayCalendar;

// The calendar with the official list stored in --db applied. A database file that does not
// exist yet simply means no official list: holidays and deadlines never need a database.
HolidayCalendar open_calendar() {
  const GlobalOptions& options = global_options();
  if (options.db_url.empty() && !std::filesystem::exists(options.db_path)) return HolidayCalendar{};
  auto database = open_database();
  return value_or_exit(calendar::load_calendar(*database));
}

Date parse_date(const std::string& text) {
  auto date = value_or_exit(Date::parse(text));
  value_or_exit(calendar::check_supported(date));
  return date;
}

int parse_year(const std::string& text) {
  int year = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (error != std::errc{} || end != text.data() + text.size()) {
    throw CommandError(kExitUsage, fmt::format("年の形式が正しくありません: {}（例: 2026）", text));
  }
  value_or_exit(calendar::check_supported_year(year));
  return year;
}

void print_holidays(const std::vector<calendar::Holiday>& holidays, const std::string& format) {
  if (format == "json") {
    boost::json::array out;
    for (const auto& holiday : holidays) {
      out.push_back(boost::json::object{{"date", holiday.date.iso()}, {"name", holiday.name}});
    }
    std::cout << boost::json::serialize(out) << "\n";
    return;
  }
  for (const auto& holiday : holidays)
    std::cout << holiday.date.iso() << ',' << csv::escape(holiday.name) << '\n';
}

std::string year_span(const std::vector<int>& years) {
  return years.front() == years.back() ? fmt::format("{} 年", years.front())
                                       : fmt::format("{} 年〜{} 年", years.front(), years.back());
}

}  // namespace

void register_calendar(CLI::App& app) {
  auto* group = app.add_subcommand("calendar", "祝日・行政機関の休日と営業日の計算");
  group->require_subcommand(1);

  auto* holidays = group->add_subcommand("holidays", "指定した年の祝日・休日を日付順に表示する");
  static std::string year_text, format = "csv";
  holidays->add_option("YEAR", year_text, "年（1948〜2099）")->required();
  holidays->add_option("--format", format, "出力形式: csv（YYYY-MM-DD,名称）または json")
      ->capture_default_str();
  holidays->callback([] {
    if (format != "csv" && format != "json") {
      throw CommandError(kExitUsage, fmt::format("出力形式は csv か json です: {}", format));
    }
    int year = parse_year(year_text);
    print_holidays(value_or_exit(open_calendar().holidays(year)), format);
  });

  auto* deadline = group->add_subcommand(
      "deadline", "DATE から N 営業日後（負なら前）の日付を表示する（DATE 自身は数えない）");
  static std::string deadline_date;
  static int business_days = 0;
  deadline->add_option("DATE", deadline_date, "起算日（YYYY-MM-DD）")->required();
  deadline->add_option("--business-days", business_days, "営業日数（例: 3、前へ数えるときは -3）")
      ->required();
  deadline->callback([] {
    Date from = parse_date(deadline_date);
    std::cout << value_or_exit(open_calendar().add_business_days(from, business_days)).iso()
              << "\n";
  });

  auto* business = group->add_subcommand("is-business-day",
                                         "営業日なら yes、土日・祝日・年末年始なら no を表示する");
  static std::string business_date;
  business->add_option("DATE", business_date, "日付（YYYY-MM-DD）")->required();
  business->callback([] {
    Date date = parse_date(business_date);
    std::cout << (value_or_exit(open_calendar().is_business_day(date)) ? "yes" : "no") << "\n";
  });

  auto* import_command = group->add_subcommand(
      "import", "内閣府の祝日 CSV（syukujitsu.csv）をデータベースに取り込み、"
                "その年の祝日を公式の一覧で置き換える");
  static std::string import_path;
  import_command->add_option("FILE", import_path, "祝日 CSV（Shift_JIS または UTF-8）")->required();
  import_command->callback([] {
    auto database = open_database();
    auto report = value_or_exit(calendar::import_official_csv(*database, import_path, "system",
                                                              std::nullopt, SystemClock{}.now()));
    std::cout << fmt::format("祝日 CSV を取り込みました: {}、{} 日\n", year_span(report.years),
                             report.rows);
    // Dates other modules derived from the calendar and stored: the meetings' minutes due dates.
    auto calendar = value_or_exit(calendar::load_calendar(*database));
    auto moved = value_or_exit(database->transact<int>(db::TxMode::kWrite, [&](db::Transaction& tx) {
      return meetings::recompute_calendar_dates(tx, calendar, SystemClock{}.now());
    }));
    if (moved > 0) std::cout << fmt::format("会議 {} 件の議事録の提出期限を新しい祝日に合わせて直しました\n", moved);
    if (report.only_official.empty() && report.only_rules.empty() && report.renamed.empty()) {
      std::cout << "法律の規則による計算と一致しています\n";
      return;
    }
    std::cout << "法律の規則による計算との違い（取り込んだ一覧が優先されます）:\n";
    for (const auto& row : report.only_official) {
      std::cout << fmt::format("  + {} {}（規則による計算にない）\n", row.date.iso(), row.name);
    }
    for (const auto& holiday : report.only_rules) {
      std::cout << fmt::format("  - {} {}（公式の一覧にない）\n", holiday.date.iso(), holiday.name);
    }
    for (const auto& difference : report.renamed) {
      std::cout << fmt::format("  ~ {} {}（計算では {}）\n", difference.date.iso(),
                               difference.official_name, difference.rule_name);
    }
  });
}

}  // namespace kakehashi::cli
