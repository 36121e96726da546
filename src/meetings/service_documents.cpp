// The pre-read and the minutes as Markdown for the document engine, and iCalendar (RFC 5545).
#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>
#include <tuple>

#include "audit/audit.h"
#include "auth/password.h"
#include "auth/users.h"
#include "events/service.h"
#include "geo/geo.h"
#include "meetings/service.h"
#include "meetings/store.h"
#include "operations/flags.h"
#include "operations/milestones.h"
#include "operations/service.h"

namespace kakehashi::meetings {
namespace {

std::string cell(std::string_view text) { return markdown_text(text); }

std::string minutes_label(int minutes) { return fmt::format("{}分", minutes); }

std::string date_label(Date d) { return fmt::format("{}月{}日", d.month(), d.day()); }

std::string owner_of(const ActionItem& a) { return a.owner_name.empty() ? "（未定）" : a.owner_name; }

std::string chart_block(const std::string& title, const std::string& unit, const std::vector<std::string>& categories,
                        const std::vector<std::pair<std::string, std::vector<double>>>& series, const std::string& type) {
  boost::json::array cats(categories.begin(), categories.end());
  boost::json::array ser;
  for (const auto& [name, values] : series) {
    boost::json::array v;
    for (double x : values) v.push_back(x);
    ser.push_back(boost::json::object{{"name", name}, {"values", v}});
  }
  boost::json::object spec{{"title", title}, {"type", type}, {"unit", unit}, {"categories", cats}, {"series", ser}};
  return "```chart\n" + boost::json::serialize(spec) + "\n```\n\n";
}

std::string agenda_section(const Meeting& m, const std::vector<AgendaItem>& agenda) {
  std::string md;
  if (agenda.empty()) return "議題はまだ登録されていません。\n\n";
  md += "| No. | 議題 | 担当 | 時間 | 関連 |\n|---:|---|---|---:|---|\n";
  int n = 0;
  for (const auto& a : agenda) {
    md += fmt::format("| {} | {} | {} | {} | {} |\n", ++n, cell(a.title), cell(a.owner_name.empty() ? "—" : a.owner_name),
                      minutes_label(a.minutes), cell(a.link_label.empty() ? "—" : a.link_label));
  }
  md += "\nTable: 議題と時間配分\n\n";
  md += fmt::format("議題の合計は {} 分（会議時間 {} 分）です。", total_minutes(agenda), m.duration_minutes);
  if (auto over = agenda_overrun(m, agenda)) md += markdown_text(*over) + "。";
  md += "\n\n";
  return md;
}

std::string actions_table(const std::vector<ActionItem>& items) {
  std::string md = "| アクションアイテム | 担当 | 期限 | 状態 |\n|---|---|---|---|\n";
  for (const auto& a : items) {
    md += fmt::format("| {} | {} | {} | {} |\n", cell(a.title), cell(owner_of(a)), a.due_on ? date_label(*a.due_on) : "—",
                      a.status == ActionStatus::kOpen ? "未完了" : "完了");
  }
  return md + "\n";
}

// The flags of operators on `day`, keyed so two days can be compared.
using FlagKey = std::tuple<std::int64_t, std::string, std::int64_t, std::string>;

}  // namespace

std::string markdown_text(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\n':
      case '\r':
      case '\t': out += ' '; break;
      case '|': out += "｜"; break;
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '<':
      case '>':
      case '#':
      case '!':
      case '~':
        out += '\\';
        out += c;
        break;
      default: out += c;
    }
  }
  return out;
}

Result<std::string> preread_markdown(db::Transaction& tx, const auth::Principal& who, const Meeting& m, Instant now) {
  const Date today = tokyo_date(now);
  std::string md = fmt::format("---\ntitle: {} 事前資料\nsubtitle: {}\nissuer: 未来の教室 事務局\ndate: {}\n---\n\n",
                               cell(m.title), cell(short_datetime(m.starts_at)), today.japanese());
  // 1. Agenda.
  auto agenda = store::agenda(tx, m.id);
  if (!agenda) return fail(agenda.error());
  md += "# 議題\n\n" + agenda_section(m, *agenda);

  // 2. Progress across the blocks (operations module, as `who` reaches it).
  auto programme = operations::current_programme(tx);
  if (!programme) return fail(programme.error());
  md += "# 事業の進捗\n\n";
  if (!*programme) {
    md += "実証事業者がまだ決まっていないため、進捗はありません。\n\n";
  } else {
    const std::int64_t call_id = **programme;
    auto ops = operations::list_operators(tx, who, call_id);
    if (!ops) return fail(ops.error());
    auto rows = operations::visible_milestones(tx, who, call_id, std::nullopt);
    if (!rows) return fail(rows.error());
    auto flags_now = operations::flags_of(tx, *ops, today);
    if (!flags_now) return fail(flags_now.error());
    std::map<std::int64_t, std::pair<int, int>> done_total;
    for (const auto& r : *rows) {
      auto& dt = done_total[r.milestone.operator_id];
      ++dt.second;
      if (r.milestone.status == operations::MilestoneStatus::kDone) ++dt.first;
    }
    std::vector<std::string> cats;
    std::vector<double> done_values, open_values;
    md += "## 地域ブロック別の進捗\n\n| ブロック | 実証事業者 | マイルストーン完了 | 要注意 |\n|---|---|---:|---:|\n";
    for (const auto& block : geo::blocks()) {
      const operations::Operator* op = nullptr;
      for (const auto& o : *ops) {
        if (std::ranges::any_of(o.blocks, [&](const auto& b) { return b.block_id == block.id; })) op = &o;
      }
      cats.emplace_back(block.name);
      if (!op) {
        md += fmt::format("| {} | — | — | — |\n", block.name);
        done_values.push_back(0);
        open_values.push_back(0);
        continue;
      }
      auto [done, total] = done_total[op->id];
      std::size_t flagged = flags_now->contains(op->id) ? flags_now->at(op->id).size() : 0;
      md += fmt::format("| {} | {} | {} / {} 件 | {} 件 |\n", block.name, cell(op->name), done, total, flagged);
      done_values.push_back(done);
      open_values.push_back(total - done);
    }
    md += "\nTable: 地域ブロック別の進捗\n\n";
    md += chart_block("地域ブロック別のマイルストーン", "件", cats, {{"完了", done_values}, {"未完了", open_values}},
                      "stacked_bar");
    md += "Figure: 地域ブロック別のマイルストーン（完了・未完了）\n\n";

    // New red flags since the previous meeting of the series (or the last 7 days).
    Date since = today.plus_days(-7);
    if (m.series_id) {
      auto previous = store::meetings(tx, {.to = m.starts_at, .series_id = m.series_id});
      if (!previous) return fail(previous.error());
      for (auto it = previous->rbegin(); it != previous->rend(); ++it) {
        if (!it->cancelled()) {
          since = tokyo_date(it->starts_at);
          break;
        }
      }
    }
    auto flags_then = operations::flags_of(tx, *ops, since);
    if (!flags_then) return fail(flags_then.error());
    std::set<FlagKey> before;
    for (const auto& [op_id, list] : *flags_then) {
      for (const auto& f : list) before.insert({op_id, std::string(operations::to_string(f.kind)), f.milestone_id.value_or(0), ""});
    }
    std::map<std::int64_t, std::string> names;
    for (const auto& o : *ops) names[o.id] = o.name;
    md += fmt::format("## 前回（{}）以降の新しい要注意事項\n\n", date_label(since));
    int fresh = 0;
    std::string list;
    for (const auto& [op_id, flist] : *flags_now) {
      for (const auto& f : flist) {
        if (before.contains({op_id, std::string(operations::to_string(f.kind)), f.milestone_id.value_or(0), ""})) continue;
        ++fresh;
        list += fmt::format("- **{}**（{}）: {}\n", cell(std::string(operations::flag_kind_label(f.kind))),
                            cell(names[op_id]), cell(f.reason));
      }
    }
    md += fresh ? list + "\n" : "新しい要注意事項はありません。\n\n";

    // Overdue milestones.
    md += "## 期限を過ぎたマイルストーン\n\n";
    std::string overdue;
    for (const auto& r : *rows) {
      const auto& ms = r.milestone;
      if (ms.due_on >= today || ms.status == operations::MilestoneStatus::kDone ||
          ms.status == operations::MilestoneStatus::kCancelled)
        continue;
      overdue += fmt::format("| {} | {} | {} | {} 日 |\n", cell(names[ms.operator_id]), cell(ms.title), date_label(ms.due_on),
                             today.days_since(ms.due_on));
    }
    md += overdue.empty() ? "期限を過ぎたマイルストーンはありません。\n\n"
                          : "| 実証事業者 | マイルストーン | 期限 | 超過 |\n|---|---|---|---:|\n" + overdue +
                                "\nTable: 期限を過ぎたマイルストーン\n\n";

    // Project counts by category, in the blocks of the operators in reach.
    auto counts = operations::programme_counts(tx, call_id);
    if (!counts) return fail(counts.error());
    std::set<std::string> reach_blocks;
    for (const auto& o : *ops) {
      for (const auto& b : o.blocks) reach_blocks.insert(b.block_id);
    }
    std::map<std::string, int> by_category;
    for (const auto& [block, cats_of] : counts->block_category) {
      if (!reach_blocks.contains(block)) continue;
      for (const auto& [c, n] : cats_of) by_category[c] += n;
    }
    md += "## 分類別のプロジェクト数\n\n";
    std::vector<std::string> labels;
    std::vector<double> values;
    for (auto c : {operations::Category::kHito, operations::Category::kMono, operations::Category::kKane}) {
      labels.emplace_back(operations::category_label(c));
      values.push_back(by_category[std::string(operations::to_string(c))]);
    }
    md += chart_block("分類別のプロジェクト数", "件", labels, {{"プロジェクト数", values}}, "bar");
    md += "Figure: 分類別のプロジェクト数（ヒト・モノ・カネ）\n\n";
  }
  // Upcoming events (the events module): what the meeting should prepare for.
  {
    auto upcoming = events::list_upcoming_events(tx, &who, now, 5);
    if (!upcoming) return fail(upcoming.error());
    md += "# 今後のイベント\n\n";
    if (upcoming->empty()) {
      md += "予定されているイベントはありません。\n\n";
    } else {
      md += "| 日時 | 種別 | イベント | 会場 |\n| --- | --- | --- | --- |\n";
      for (const auto& e : *upcoming)
        md += fmt::format("| {} | {} | {} | {} |\n", cell(short_datetime(e.starts_at)), cell(e.kind_label), cell(e.title),
                          cell(e.place));
      md += "\n";
    }
  }

  // 3. Open action items of the series (carried over) and of this meeting.
  md += "# 未完了のアクションアイテム\n\n";
  auto carried = carried_over(tx, m);
  if (!carried) return fail(carried.error());
  auto own = action_items_of(tx, m);
  if (!own) return fail(own.error());
  std::vector<ActionItem> open;
  for (auto* list : {&*carried, &*own}) {
    for (const auto& a : *list) {
      if (a.status == ActionStatus::kOpen) open.push_back(a);
    }
  }
  md += open.empty() ? "未完了のアクションアイテムはありません。\n\n" : actions_table(open) + "Table: 未完了のアクションアイテム\n\n";
  return md;
}

Result<std::string> minutes_markdown(db::Transaction& tx, const Meeting& m) {
  std::string md = fmt::format("---\ntitle: {} 議事録\nsubtitle: {}\nissuer: 未来の教室 事務局\ndate: {}\n---\n\n", cell(m.title),
                               cell(std::string(minutes_state_label(m.minutes_state))), tokyo_date(m.starts_at).japanese());
  md += "# 会議の概要\n\n";
  md += fmt::format("- 日時: {}（{} 分）\n", cell(short_datetime(m.starts_at)), m.duration_minutes);
  if (!m.place.empty()) md += fmt::format("- 場所: {}\n", cell(m.place));
  auto people = attendees_of(tx, m.id);
  if (!people) return fail(people.error());
  std::string names;
  for (const auto& a : *people) names += (names.empty() ? "" : "、") + a.name;
  md += fmt::format("- 出席者: {}\n", cell(names.empty() ? "—" : names));
  if (m.minutes_confirmed_at) md += fmt::format("- 確定: {}\n", cell(m.minutes_confirmed_at->substr(0, 10)));
  md += "\n# 議事\n\n";
  // The body is the author's Markdown; its headings become sections of the chapter.
  md += m.minutes_body.empty() ? "（本文なし）\n\n" : m.minutes_body + "\n\n";
  md += "# 決定事項\n\n";
  auto decided = store::decisions(tx, m.id);
  if (!decided) return fail(decided.error());
  if (decided->empty()) md += "決定事項はありません。\n\n";
  for (const auto& d : *decided) md += "- " + cell(d.text) + "\n";
  md += "\n# アクションアイテム\n\n";
  auto items = action_items_of(tx, m);
  if (!items) return fail(items.error());
  md += items->empty() ? "アクションアイテムはありません。\n\n" : actions_table(*items);
  return md;
}

// ---- iCalendar
std::string ics_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\n': out += "\\n"; break;
      case '\r': break;
      default: out += c;
    }
  }
  return out;
}

std::string ics_fold(std::string_view line) {
  // At most 75 octets a line, never inside a UTF-8 sequence; continuation lines start with a space.
  std::string out;
  std::size_t width = 0;
  for (std::size_t i = 0; i < line.size();) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    std::size_t limit = out.empty() || out.find("\r\n") == std::string::npos ? 75 : 74;
    if (width + len > limit) {
      out += "\r\n ";
      width = 0;
    }
    out.append(line.substr(i, len));
    width += len;
    i += len;
  }
  return out + "\r\n";
}

std::string ics_calendar(const std::vector<Meeting>& meetings, const std::string& name, const std::string& base_url,
                         Instant now) {
  auto stamp = [](Instant at) {
    std::string iso = iso_utc(at);  // 2026-12-25T01:00:00Z
    std::string out;
    for (char c : iso) {
      if (c != '-' && c != ':') out += c;
    }
    return out;
  };
  auto local = [](Instant at) {
    std::string t = tokyo_datetime(at);  // 2026-12-25 10:00
    return fmt::format("{}{}{}T{}{}00", t.substr(0, 4), t.substr(5, 2), t.substr(8, 2), t.substr(11, 2), t.substr(14, 2));
  };
  std::string out;
  auto line = [&](std::string_view l) { out += ics_fold(l); };
  line("BEGIN:VCALENDAR");
  line("VERSION:2.0");
  line("PRODID:-//Kakehashi//Meetings//JA");
  line("CALSCALE:GREGORIAN");
  line("METHOD:PUBLISH");
  line("X-WR-CALNAME:" + ics_escape(name));
  line("X-WR-TIMEZONE:Asia/Tokyo");
  line("BEGIN:VTIMEZONE");
  line("TZID:Asia/Tokyo");
  line("BEGIN:STANDARD");
  line("DTSTART:19700101T000000");
  line("TZOFFSETFROM:+0900");
  line("TZOFFSETTO:+0900");
  line("TZNAME:JST");
  line("END:STANDARD");
  line("END:VTIMEZONE");
  for (const auto& m : meetings) {
    line("BEGIN:VEVENT");
    line(fmt::format("UID:meeting-{}@kakehashi", m.id));
    line("DTSTAMP:" + stamp(now));
    line("DTSTART;TZID=Asia/Tokyo:" + local(m.starts_at));
    line("DTEND;TZID=Asia/Tokyo:" + local(m.ends_at()));
    line("SUMMARY:" + ics_escape(m.title));
    std::string where = m.place;
    if (!m.online_url.empty()) where += (where.empty() ? "" : " / ") + m.online_url;
    if (!where.empty()) line("LOCATION:" + ics_escape(where));
    std::string description = fmt::format("{}\n議事録の提出期限: {}", kind_label(m.kind), m.minutes_due.japanese());
    if (!m.online_url.empty()) description += "\nオンライン: " + m.online_url;
    line("DESCRIPTION:" + ics_escape(description));
    line(fmt::format("URL:{}/meetings/{}", base_url, m.id));
    line(std::string("STATUS:") + (m.cancelled() ? "CANCELLED" : "CONFIRMED"));
    line("SEQUENCE:0");
    line("LAST-MODIFIED:" + stamp(parse_iso_utc(m.updated_at).value_or(now)));
    line("END:VEVENT");
  }
  line("END:VCALENDAR");
  return out;
}

Result<std::string> reset_feed(db::Transaction& tx, const auth::Principal& who, Instant now) {
  if (!auth::may(who, auth::Action::kViewMeetings)) return fail(Error::denied("会議を閲覧する権限がありません"));
  std::string token = auth::random_token(32);
  if (auto r = store::set_feed(tx, who.user_id, auth::sha256(token), now); !r) return fail(r.error());
  if (auto r = audit::record(tx, audit::by_user(who.user_id, "meeting.feed_reset", fmt::format("user:{}", who.user_id)), now); !r)
    return fail(r.error());
  return token;
}

Result<std::optional<std::int64_t>> feed_user(db::Transaction& tx, const std::string& token) {
  if (token.size() != 43) return std::optional<std::int64_t>{};
  return store::feed_user(tx, auth::sha256(token));
}

Result<std::optional<std::string>> feed_created(db::Transaction& tx, std::int64_t user_id) {
  return store::feed_created(tx, user_id);
}

}  // namespace kakehashi::meetings
