// The demo's meetings (issue 17): the weekly 定例会 with METI from five weeks ago to eight weeks
// ahead and the monthly 連絡会 (second Wednesday) with the operators, their agendas, materials
// (sent before the meeting, once late), minutes in every state (confirmed, awaiting METI, an
// overdue draft) and action items carried from one meeting to the next.
#include <fmt/format.h>

#include "calendar/holiday_calendar.h"
#include "cli/demo/programme.h"
#include "meetings/service.h"

namespace kakehashi::cli::demo {
namespace {

using namespace std::chrono;

Result<void> fail_if(const Result<std::int64_t>& r) {
  if (!r) return fail(r.error());
  return {};
}

}  // namespace

Result<void> seed_meetings(db::Transaction& tx, const DemoPeople& people, const std::vector<operations::Operator>& operators,
                           Instant now) {
  const calendar::HolidayCalendar cal;
  const Date today = tokyo_date(now);
  // The Friday five weeks ago.
  int back = (int(today.weekday()) - 5 + 7) % 7;
  Date first = today.plus_days(-back - 35);
  meetings::MeetingForm weekly;
  weekly.kind = "regular";
  weekly.title = "未来の教室 定例会";
  weekly.date = first.iso();
  weekly.last_date = today.plus_days(56).iso();
  weekly.start_time = "10:00";
  weekly.duration = "60";
  weekly.place = "経済産業省 本館 5階 共用会議室";
  weekly.online_url = "https://meet.example.jp/mirai-teireikai";
  weekly.attendees = {std::to_string(people.meti.user_id), std::to_string(people.secretariat.user_id)};
  weekly.guests = "教育イノベーション有識者 山本 恵";
  auto series = meetings::create_series(tx, people.secretariat, cal, weekly, now);
  if (!series) return fail(series.error());

  meetings::MeetingForm monthly = weekly;
  monthly.kind = "liaison";
  monthly.title = "未来の教室 連絡会";
  // The second Wednesday two months back.
  auto ym = year_month{year{today.year()}, month{today.month()}} - months{2};
  monthly.date = Date{sys_days{year_month_weekday{ym.year(), ym.month(), Wednesday[2]}}}.iso();
  monthly.last_date = today.plus_days(100).iso();
  monthly.start_time = "14:00";
  monthly.duration = "90";
  monthly.place = "オンライン";
  monthly.online_url = "https://meet.example.jp/mirai-renrakukai";
  monthly.attendees.push_back(std::to_string(people.operator_user.user_id));
  monthly.guests = "";
  if (auto r = meetings::create_series(tx, people.secretariat, cal, monthly, now); !r) return fail(r.error());

  auto list = meetings::list_meetings(tx, people.secretariat, std::nullopt, std::nullopt);
  if (!list) return fail(list.error());
  const auto& who = people.secretariat;
  const std::string op0 = operators.empty() ? "" : fmt::format("operator:{}", operators.front().id);
  int held = 0;
  std::int64_t carried_item = 0;
  for (const auto& m : *list) {
    if (m.series_id != *series) continue;
    bool past = m.ends_at() < now;
    bool next = !past && m.starts_at < now + days{8};
    if (!past && !next) continue;
    const std::string link = fmt::format("/meetings/{}", m.id);
    for (auto [title, owner, minutes, target] : {std::tuple{"前回のアクションアイテムの確認", "事務局", "10", std::string()},
                                                 std::tuple{"地域ブロック別の進捗と要注意事項", "事務局", "25", op0},
                                                 std::tuple{"広報・成果発信の進め方", "経済産業省", "20", std::string()}}) {
      if (auto r = fail_if(meetings::add_agenda_item(tx, who, m.id, {title, owner, minutes, target}, now)); !r) return r;
    }
    meetings::InspectedMaterial material{fmt::format("定例会資料_{}.csv", tokyo_date(m.starts_at).iso()), "text/csv; charset=utf-8",
                                         "0", "議題,時間（分）\n進捗報告,25\n", R"({"type":"csv","summary":"問題は見つかりませんでした","warnings":0})"};
    if (auto r = fail_if(meetings::add_material(tx, who, m.id, material, now)); !r) return r;
    if (!past) continue;
    // Materials went out the day before, except once (sent 20 minutes after the start).
    Instant sent = held == 2 ? m.starts_at + minutes{20} : m.starts_at - hours{20};
    if (auto r = meetings::send_materials(tx, who, m.id, link, sent); !r) return r;
    ++held;
    if (held == 1) {
      auto item = meetings::add_action_item(
          tx, who, m.id, {"北陸ブロックの学校向け説明会の日程を確定する", std::to_string(people.operator_user.user_id), "", today.plus_days(10).iso()}, now);
      if (!item) return fail(item.error());
      carried_item = *item;
      if (auto r = fail_if(meetings::add_action_item(tx, who, m.id, {"成果報告会の会場候補を 3 件挙げる", "", "事務局 佐藤", ""}, now)); !r) return r;
    }
    if (held == 2 && carried_item) {
      if (auto r = meetings::update_action_item(tx, who, carried_item, m.id, "noted", "候補日を 2 日に絞り込み済み", now); !r) return r;
    }
    if (auto r = fail_if(meetings::add_decision(tx, who, m.id, "次回までに各ブロックの要注意事項への対応方針をまとめる", now)); !r) return r;
    std::string body = fmt::format(
        "## 前回のアクションアイテムの確認\n\n- 各担当から進捗の報告があった。\n\n## 地域ブロック別の進捗と要注意事項\n\n"
        "- 10 ブロックのうち 8 ブロックで計画どおり進んでいる。\n- 期限を過ぎたマイルストーンについて、事務局が個別に確認する。\n\n"
        "## 広報・成果発信の進め方\n\n経済産業省から、成果発信の予定表を {}月中に共有するよう依頼があった。\n",
        tokyo_date(m.starts_at).month());
    if (auto r = meetings::save_minutes(tx, who, m.id, body, now); !r) return r;
    // The last held meeting keeps a draft (overdue when the due day has passed); the one before is
    // awaiting METI; older ones are confirmed.
    int remaining = 0;
    for (const auto& o : *list) remaining += o.series_id == *series && o.ends_at() < now && o.starts_at > m.starts_at;
    if (remaining == 0) continue;
    if (auto r = meetings::submit_minutes(tx, who, m.id, link, now); !r) return r;
    if (remaining == 1) continue;
    if (auto r = meetings::confirm_minutes(tx, people.meti, m.id, link, now); !r) return r;
  }
  return {};
}

}  // namespace kakehashi::cli::demo
