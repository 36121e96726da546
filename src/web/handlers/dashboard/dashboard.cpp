// The dashboard: the programme calendar of R9.2 on the government business calendar, this
// month's business days with holidays marked, and the 10 blocks (R2.1).
#include <fmt/format.h>

#include <mutex>

#include "calendar/official_import.h"
#include "geo/geo.h"
#include "web/handlers/dashboard/views.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web {
namespace {

using namespace dashboardweb;

struct Milestone {
  int year;
  unsigned month, day;
  std::string_view title;
  std::string_view note;
};

// The programme calendar of the specification (R9.2). Dates the specification gives as a part
// of a month ("early July") are the working dates the secretariat planned.
constexpr Milestone kMilestones[] = {
    {2026, 7, 1, "公募開始", "実証事業者の公募（7月上旬〜）"},
    {2026, 8, 7, "採択決定", "外部審査委員会の審査を経て、各ブロック1者を採択（8月上旬）"},
    {2026, 10, 26, "中間報告会の開始", "全国 3〜5 か所で開催（10月下旬〜）"},
    {2027, 2, 26, "実証事業者の報告書提出", "各実証事業者の成果報告（2月下旬）"},
    {2027, 3, 5, "最終成果報告会", "全国規模の成果報告会・マッチングの場（3月上旬まで）"},
    {2027, 3, 19, "事業完了", "契約期間の終了日。報告書一式の納品期限"},
};

constexpr const char* kWeekdays[] = {"日", "月", "火", "水", "木", "金", "土"};

std::string month_day(Date date) {
  return fmt::format("{}月{}日（{}）", date.month(), date.day(), kWeekdays[date.weekday()]);
}

std::vector<MilestoneRow> milestones_view(const calendar::HolidayCalendar& calendar, Date today) {
  std::vector<MilestoneRow> list;
  bool next_marked = false;
  for (const Milestone& milestone : kMilestones) {
    Date date = *Date::from_ymd(milestone.year, milestone.month, milestone.day);
    MilestoneRow item{.date_label = fmt::format("{}年{}", date.year(), month_day(date)), .title = std::string(milestone.title)};
    std::string note(milestone.note);
    if (auto business = calendar.is_business_day(date); business && !*business) {
      auto name = calendar.holiday_name(date);
      note += fmt::format("。この日は{}のため業務日ではありません", name && *name ? **name : "行政機関の休日");
    }
    if (!note.empty()) item.note = note;
    if (date < today) {
      item.state = "done";
      item.status = "済";
    } else if (date == today) {
      item.state = "current";
      item.status = "本日";
    } else {
      auto days = calendar.business_days_between(today, date);
      item.state = next_marked ? "upcoming" : "next";
      item.status = days ? fmt::format("あと {} 業務日（{} 日）", *days, date.days_since(today))
                         : fmt::format("あと {} 日", date.days_since(today));
      next_marked = true;
    }
    list.push_back(std::move(item));
  }
  return list;
}

void add_month_calendar(DashboardView& content, const calendar::HolidayCalendar& calendar, Date today) {
  content.month_label = fmt::format("{}年{}月", today.year(), today.month());
  for (int i = 0; i < 7; ++i) {
    content.weekdays.push_back({std::string(kWeekdays[i]), i == 0 ? "sun" : i == 6 ? "sat" : ""});
  }
  Date first = *Date::from_ymd(today.year(), today.month(), 1);
  Date cursor = first.plus_days(-int(first.weekday()));
  while (true) {
    Week week;
    for (int i = 0; i < 7; ++i, cursor = cursor.plus_days(1)) {
      DayCell cell;
      if (cursor.month() == today.month()) {
        std::string classes = i == 0 ? "sun" : i == 6 ? "sat" : "";
        auto name = calendar.holiday_name(cursor);
        if (name && *name) {
          classes += " holiday";
          cell.holiday = **name;
          content.holidays.push_back({month_day(cursor), **name});
        } else if (calendar::is_government_closed(cursor)) {
          classes += " closed";
          cell.holiday = "閉庁日";
        }
        if (cursor == today) classes += " today";
        cell.css_class = classes;
        cell.day = std::to_string(cursor.day());
      }
      week.days.push_back(std::move(cell));
    }
    content.weeks.push_back(std::move(week));
    if (cursor.month() != today.month() || cursor.year() != today.year()) break;
  }
  content.has_holidays = !content.holidays.empty();
}

std::vector<BlockRow> blocks_view() {
  std::vector<BlockRow> list;
  for (const auto& block : geo::blocks()) {
    std::string prefectures, bureaus;
    for (const auto* prefecture : block.prefectures) prefectures += (prefectures.empty() ? "" : "、") + std::string(prefecture->name);
    for (auto bureau : block.bureaus) bureaus += (bureaus.empty() ? "" : "、") + std::string(bureau);
    list.push_back({std::to_string(block.order), std::string(block.name), prefectures, bureaus});
  }
  return list;
}

// The dashboard's content is the same for every user on a given day, so it is rendered once and
// kept for a minute (an imported official holiday list shows within that minute). When the
// dashboard grows per-user panels, they go outside this cache.
class DashboardCache {
 public:
  template <typename Render>
  Result<std::string> get(Date today, Render&& render) {
    std::lock_guard lock(mutex_);
    auto now = std::chrono::steady_clock::now();
    if (!html_.empty() && day_ == today && now - rendered_at_ < std::chrono::seconds{60}) return html_;
    auto html = render();
    if (!html) return html;
    html_ = std::move(*html);
    day_ = today;
    rendered_at_ = now;
    return html_;
  }

 private:
  std::mutex mutex_;
  Date day_;
  std::chrono::steady_clock::time_point rendered_at_;
  std::string html_;
};

DashboardCache& dashboard_cache() {
  static DashboardCache cache;
  return cache;
}

Response show_dashboard(Application& app, Request& request) {
  Date today = app.clock().today_in_tokyo();
  auto html = dashboard_cache().get(today, [&]() -> Result<std::string> {
    auto calendar = calendar::load_calendar(app.database());
    if (!calendar) return fail(calendar.error());
    DashboardView content{.today = today.japanese(), .milestones = milestones_view(*calendar, today)};
    add_month_calendar(content, *calendar, today);
    content.blocks = blocks_view();
    return render_template("dashboard/index", to_view(content));
  });
  if (!html) return app.error_response(request, html.error());
  return app.page_html(request, "ダッシュボード", *html, {}, "/");
}

}  // namespace

void register_dashboard_routes(Application& app) {
  app.add_nav_item({"ダッシュボード", "/", auth::Action::kViewDashboard});
  app.get("/", {.required = auth::Action::kViewDashboard}, show_dashboard);
}

}  // namespace kakehashi::web
