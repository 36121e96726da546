// The dashboard: the programme calendar of R9.2 on the government business calendar, this
// month's business days with holidays marked, and the 10 blocks (R2.1).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <mutex>

#include "auth/roles.h"
#include "base/date.h"
#include "base/date_style.h"
#include "calendar/official_import.h"
#include "call/service.h"
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

// A dated step of the programme: the specification's plan, or a real call's dates.
struct Dated {
  Date date;
  std::string title;
  std::string note;
};

// The published calls' real dates (opening, closing, review deadline, results), so the schedule
// shows what was set rather than only the plan.
std::vector<Dated> call_dates(db::Database& database) {
  std::vector<Dated> out;
  auto tx = database.begin(db::TxMode::kRead);
  if (!tx) return out;
  auto calls = call::list_calls(**tx, true);
  if (!calls) return out;
  for (const auto& c : *calls) {
    out.push_back({tokyo_date(c.opens_at), fmt::format("「{}」受付開始", c.title), ""});
    out.push_back({tokyo_date(c.closes_at), fmt::format("「{}」締切", c.title),
                   fmt::format("{} まで", tokyo_datetime_japanese(c.closes_at))});
    if (c.review_deadline) out.push_back({tokyo_date(*c.review_deadline), fmt::format("「{}」審査期限", c.title), ""});
    if (c.results_published_at) {
      if (auto at = parse_iso_utc(*c.results_published_at))
        out.push_back({tokyo_date(*at), fmt::format("「{}」採択結果の公表", c.title), ""});
    }
  }
  return out;
}

std::vector<MilestoneRow> milestones_view(const calendar::HolidayCalendar& calendar, Date today,
                                          std::vector<Dated> dated = {}) {
  std::vector<MilestoneRow> list;
  bool next_marked = false;
  for (const Milestone& milestone : kMilestones) {
    dated.push_back({*Date::from_ymd(milestone.year, milestone.month, milestone.day), std::string(milestone.title),
                     std::string(milestone.note)});
  }
  std::stable_sort(dated.begin(), dated.end(), [](const Dated& a, const Dated& b) { return a.date < b.date; });
  for (const Dated& milestone : dated) {
    Date date = milestone.date;
    MilestoneRow item{.date_label = date.japanese(), .title = milestone.title};
    std::string note(milestone.note);
    if (auto business = calendar.is_business_day(date); business && !*business) {
      auto name = calendar.holiday_name(date);
      note += fmt::format("{}この日は{}のため業務日ではありません", note.empty() ? "" : "。",
                          name && *name ? **name : "行政機関の休日");
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

// The programme part is the same for every user on a given day (in each date style), so it is
// rendered once per style and kept for a minute (an imported official holiday list shows within
// that minute). The person's own tasks are outside this cache.
class DashboardCache {
 public:
  template <typename Render>
  Result<std::string> get(Date today, DateStyle style, Render&& render) {
    std::lock_guard lock(mutex_);
    Entry& entry = entries_[static_cast<std::size_t>(style)];
    auto now = std::chrono::steady_clock::now();
    if (!entry.html.empty() && entry.day == today && now - entry.rendered_at < std::chrono::seconds{60}) return entry.html;
    auto html = render();
    if (!html) return html;
    entry.html = std::move(*html);
    entry.day = today;
    entry.rendered_at = now;
    return entry.html;
  }

 private:
  struct Entry {
    Date day;
    std::chrono::steady_clock::time_point rendered_at;
    std::string html;
  };
  std::mutex mutex_;
  std::array<Entry, 3> entries_;  // by DateStyle
};

DashboardCache& dashboard_cache() {
  static DashboardCache cache;
  return cache;
}

// 「12月25日（金）17:00・あと 3 日」
std::string due_label(call::Instant when, call::Instant now) {
  auto days = std::chrono::floor<std::chrono::days>(when - now).count();
  auto local = when + kJapanOffset;
  Date day = tokyo_date(when);
  std::chrono::hh_mm_ss time{local - std::chrono::floor<std::chrono::days>(local)};
  std::string label = fmt::format("{}{:02}:{:02}", month_day(day), time.hours().count(), time.minutes().count());
  return fmt::format("{}・{}", label,
                     when <= now ? std::string("期限を過ぎています") : days == 0 ? std::string("本日まで") : fmt::format("あと {} 日", days));
}

// The role's home: one section per role held, each listing what is due with the page to do it.
Result<TasksView> tasks_view(Application& app, const auth::Principal& who) {
  TasksView view;
  auto now = app.clock().now();
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return fail(tx.error());
  auto calls = call::list_calls(**tx, true);
  if (!calls) return fail(calls.error());
  auto soon = [&](call::Instant when) { return when > now && when - now <= std::chrono::days{3}; };

  if (who.has(auth::Role::kSecretariat)) {
    TaskSection s{"secretariat", "事務局の作業", {}, "いま対応が必要な作業はありません。"};
    for (const auto& c : *calls) {
      std::string base = fmt::format("/admin/calls/{}", c.id);
      if (c.phase(now) == call::Phase::kOpen && c.closes_at - now <= std::chrono::days{14})
        s.items.push_back({fmt::format("「{}」の受付が締め切られます", c.title), base + "/applications", due_label(c.closes_at, now), soon(c.closes_at)});
      if (c.phase(now) == call::Phase::kClosed && c.decision == call::DecisionState::kNone) {
        auto people = call::progress(**tx, c.id);
        if (!people) return fail(people.error());
        int missing = 0;
        for (const auto& p : *people) missing += p.assigned - p.submitted;
        if (missing > 0)
          s.items.push_back({fmt::format("「{}」の審査が {} 件未提出です", c.title, missing), base + "/review",
                             c.review_deadline ? std::optional(due_label(*c.review_deadline, now)) : std::nullopt,
                             c.review_deadline && soon(*c.review_deadline)});
        else
          s.items.push_back({fmt::format("「{}」の委員会の決定を記録してください", c.title), base + "/results", std::nullopt, false});
      }
      if (c.decision == call::DecisionState::kReturned)
        s.items.push_back({fmt::format("「{}」の決定が差し戻されました。記録し直してください", c.title), base + "/results", std::nullopt, true});
      if (c.decision == call::DecisionState::kRecorded)
        s.items.push_back({fmt::format("「{}」の決定は経済産業省の承認待ちです", c.title), base + "/results", std::nullopt, false});
      if (c.decision == call::DecisionState::kApproved)
        s.items.push_back({fmt::format("「{}」の結果を公表し、申請者に通知してください", c.title), base + "/results", std::nullopt, true});
    }
    view.sections.push_back(std::move(s));
  }
  if (who.has(auth::Role::kMeti)) {
    TaskSection s{"meti", "経済産業省の作業", {}, "承認を待っている決定はありません。"};
    for (const auto& c : *calls) {
      if (c.decision == call::DecisionState::kRecorded && c.decision_recorded_by != who.user_id)
        s.items.push_back({fmt::format("「{}」の委員会の決定が承認を待っています", c.title),
                           fmt::format("/admin/calls/{}/results", c.id), std::nullopt, true});
    }
    view.sections.push_back(std::move(s));
  }
  if (who.has(auth::Role::kSecurityOfficer)) {
    // Filled by the information-management module's to-dos (roster changes, half-yearly
    // reports, incidents, the close-out).
    view.sections.push_back({"security_officer", "情報管理責任者の作業", {}, "いま対応が必要な作業はありません。"});
  }
  if (who.has(auth::Role::kReviewer)) {
    TaskSection s{"reviewer", "審査委員の作業", {}, "未提出の審査はありません。"};
    for (const auto& c : *calls) {
      auto people = call::progress(**tx, c.id);
      if (!people) return fail(people.error());
      for (const auto& p : *people) {
        if (p.reviewer_id != who.user_id || p.submitted >= p.assigned) continue;
        s.items.push_back({fmt::format("「{}」の審査が {} 件残っています（割り当て {} 件）", c.title, p.assigned - p.submitted, p.assigned),
                           std::string("/review"), c.review_deadline ? std::optional(due_label(*c.review_deadline, now)) : std::nullopt,
                           c.review_deadline && soon(*c.review_deadline)});
      }
    }
    view.sections.push_back(std::move(s));
  }
  if (who.has(auth::Role::kOperator) && who.organisation_id) {
    TaskSection s{"operator", "申請の状況", {}, "申請はまだありません。受付中の公募は「公募情報」で確認できます。"};
    for (const auto& c : *calls) {
      auto id = call::application_of(**tx, c.id, *who.organisation_id);
      if (!id) return fail(id.error());
      if (!*id) continue;
      auto a = call::find_application(**tx, **id);
      if (!a) return fail(a.error());
      if (!*a) continue;
      std::string href = fmt::format("/my/applications/{}", **id);
      if (c.decision == call::DecisionState::kPublished)
        s.items.push_back({fmt::format("「{}」の審査結果が公表されました", c.title), href, std::nullopt, false});
      else if (!(*a)->submitted && (*a)->reopened_reason)
        s.items.push_back({fmt::format("「{}」の申請が差し戻されました。修正して再提出してください", c.title), href, std::nullopt, true});
      else if (!(*a)->submitted && c.phase(now) == call::Phase::kOpen)
        s.items.push_back({fmt::format("「{}」の申請書を作成中です（未提出）", c.title), href, due_label(c.closes_at, now), soon(c.closes_at)});
      else if ((*a)->submitted)
        s.items.push_back({fmt::format("「{}」に提出済み（受付番号 {}）。結果の公表をお待ちください", c.title, (*a)->receipt_number.value_or("")),
                           href + "/receipt", std::nullopt, false});
    }
    view.sections.push_back(std::move(s));
  }
  if (who.has(auth::Role::kBureau) && who.block_id) {
    TaskSection s{"bureau", "担当ブロックの状況", {}, "担当ブロックの採択結果はまだ公表されていません。"};
    for (const auto& c : *calls) {
      if (c.decision != call::DecisionState::kPublished) continue;
      if (std::find(c.blocks.begin(), c.blocks.end(), *who.block_id) == c.blocks.end()) continue;
      s.items.push_back({fmt::format("「{}」の採択結果が公表されました", c.title), fmt::format("/admin/calls/{}/applications", c.id),
                         std::nullopt, false});
    }
    view.sections.push_back(std::move(s));
  }
  // What the other modules want done (meetings' minutes, operations' reviews, …), each into the
  // section of its role; a section the person does not hold is not shown.
  for (const auto& source : app.home_task_sources()) {
    auto more = source(**tx, who, now);
    if (!more) return fail(more.error());
    for (auto& task : *more) {
      auto section = std::find_if(view.sections.begin(), view.sections.end(), [&](const TaskSection& s) { return s.id == task.section; });
      if (section == view.sections.end()) continue;
      section->items.push_back({std::move(task.text), std::move(task.href),
                                task.due ? std::optional(due_label(*task.due, now)) : std::nullopt, task.urgent});
    }
  }
  return view;
}

Response show_dashboard(Application& app, Request& request) {
  Date today = app.clock().today_in_tokyo();
  auto html = dashboard_cache().get(today, current_date_style(), [&]() -> Result<std::string> {
    auto calendar = calendar::load_calendar(app.database());
    if (!calendar) return fail(calendar.error());
    DashboardView content{.milestones = milestones_view(*calendar, today, call_dates(app.database()))};
    add_month_calendar(content, *calendar, today);
    content.blocks = blocks_view();
    return render_template("dashboard/index", to_view(content));
  });
  if (!html) return app.error_response(request, html.error());
  // The person's own tasks come first, in their own region, and are never cached (they differ
  // per person); the programme part below is the cached HTML.
  auto tasks = tasks_view(app, *request.principal);
  if (!tasks) return app.error_response(request, tasks.error());
  HomeView home{.today = today.japanese(), .sections = std::move(tasks->sections), .programme = Html{*html}};
  return app.page(request, "ダッシュボード", "dashboard/home", home, {}, "/");
}

}  // namespace

void register_dashboard_routes(Application& app) {
  app.add_nav_item({"ダッシュボード", "/", auth::Action::kViewDashboard});
  app.get("/", {.required = auth::Action::kViewDashboard}, show_dashboard);
}

}  // namespace kakehashi::web
