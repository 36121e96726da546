// Generated chapters, the people the gate looks for, and the raw data exports, all through the
// other modules' public services (never their SQL).
#include "package/generate.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <map>

#include "auth/users.h"
#include "base/yen.h"
#include "call/service.h"
#include "compliance/service.h"
#include "docs/chart.h"
#include "effects/report.h"
#include "events/service.h"
#include "geo/geo.h"
#include "knowledge/opendata.h"
#include "operations/milestones.h"
#include "operations/projects.h"
#include "operations/service.h"
#include "package/final_reports.h"
#include "base/text.h"

namespace kakehashi::package::generate {
namespace {

// Text made safe for a Markdown table cell or paragraph.
std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\n': case '\r': case '\t': out += ' '; break;
      case '|': out += "｜"; break;
      case '\\': case '`': case '*': case '_': case '[': case ']': case '<': case '>': case '#': case '!': case '~':
        out += '\\';
        out += c;
        break;
      default: out += c;
    }
  }
  return out;
}

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

std::string block_names(const operations::Operator& op) {
  std::string out;
  for (const auto& b : op.blocks) {
    if (!out.empty()) out += "・";
    const auto* block = geo::find_block(b.block_id);
    out += block ? std::string(block->name) : b.block_id;
  }
  return out;
}

Result<std::vector<operations::Operator>> operators_of(db::Transaction& tx, const auth::Principal& who) {
  auto programme = operations::current_programme(tx);
  if (!programme) return fail(programme.error());
  if (!*programme) return std::vector<operations::Operator>{};
  return operations::list_operators(tx, who, **programme);
}

Result<std::string> call_chapter(db::Transaction& tx, const auth::Principal& who, const std::string& title) {
  std::string md = "# " + cell(title) + "\n\n";
  auto programme = operations::current_programme(tx);
  if (!programme) return fail(programme.error());
  if (!*programme) return md + "採択された公募はまだありません。\n\n";
  auto call = call::find_call(tx, **programme);
  if (!call) return fail(call.error());
  if (!*call) return md + "採択された公募はまだありません。\n\n";
  auto counts = call::application_counts(tx);
  if (!counts) return fail(counts.error());
  auto count = counts->contains((*call)->id) ? counts->at((*call)->id) : call::ApplicationCounts{};
  md += fmt::format("本事業の実証事業者は、公募「{}」（{}〜{}）で募集し、提出された {} 件の申請を審査して選定した。\n\n",
                    cell((*call)->title), tokyo_date((*call)->opens_at).japanese(), tokyo_date((*call)->closes_at).japanese(),
                    count.submitted);
  auto ops = operators_of(tx, who);
  if (!ops) return fail(ops.error());
  md += "## 地域ブロック別の採択結果\n\n| ブロック | 実証事業者 | 契約金額（円） |\n|---|---|--:|\n";
  std::vector<std::string> cats;
  std::vector<double> amounts;
  for (const auto& block : geo::blocks()) {
    const operations::Operator* found = nullptr;
    std::int64_t amount = 0;
    for (const auto& op : *ops)
      for (const auto& b : op.blocks)
        if (b.block_id == block.id) {
          found = &op;
          amount = b.amount;
        }
    md += fmt::format("| {} | {} | {} |\n", block.name, found ? cell(found->name) : "該当なし", format_yen(amount));
    cats.emplace_back(block.name);
    amounts.push_back(double(amount) / 10000.0);
  }
  md += "\nTable: 地域ブロック別の採択結果\n\n";
  md += chart_block("地域ブロック別の採択額", "万円", cats, {{"採択額", amounts}}, "bar");
  md += "Figure: 地域ブロック別の採択額\n\n";
  return md;
}

Result<std::string> operations_chapter(db::Transaction& tx, const auth::Principal& who, const std::string& title) {
  std::string md = "# " + cell(title) + "\n\n";
  auto ops = operators_of(tx, who);
  if (!ops) return fail(ops.error());
  if (ops->empty()) return md + "実証事業者はまだ決まっていません。\n\n";
  auto programme = operations::current_programme(tx);
  if (!programme) return fail(programme.error());
  auto rows = operations::visible_milestones(tx, who, **programme, std::nullopt);
  if (!rows) return fail(rows.error());
  std::map<std::int64_t, std::pair<int, int>> done_total;
  for (const auto& r : *rows) {
    auto& dt = done_total[r.milestone.operator_id];
    ++dt.second;
    if (r.milestone.status == operations::MilestoneStatus::kDone) ++dt.first;
  }
  md += fmt::format("本年度は {} 者の実証事業者が、地域ブロックごとに実証を行った。\n\n", ops->size());
  md += "## 実証事業者と最終目標\n\n| 実証事業者 | ブロック | 契約期間 | 最終目標 |\n|---|---|---|---|\n";
  for (const auto& op : *ops)
    md += fmt::format("| {} | {} | {}〜{} | {} |\n", cell(op.name), block_names(op), op.contract_from.japanese(),
                      op.contract_to.japanese(), cell(op.final_goal.empty() ? "—" : op.final_goal));
  md += "\nTable: 実証事業者と最終目標\n\n";
  md += "## マイルストーンの達成状況\n\n| 実証事業者 | 完了 | 全体 |\n|---|--:|--:|\n";
  std::vector<std::string> cats;
  std::vector<double> done, open;
  for (const auto& op : *ops) {
    auto [d, t] = done_total[op.id];
    md += fmt::format("| {} | {} | {} |\n", cell(op.name), d, t);
    cats.push_back(block_names(op));
    done.push_back(d);
    open.push_back(t - d);
  }
  md += "\nTable: 実証事業者別のマイルストーン\n\n";
  md += chart_block("ブロック別のマイルストーン", "件", cats, {{"完了", done}, {"未完了", open}}, "stacked_bar");
  md += "Figure: ブロック別のマイルストーン（完了・未完了）\n\n";
  return md;
}

Result<std::string> projects_chapter(db::Transaction& tx, const auth::Principal& who, const std::string& title) {
  std::string md = "# " + cell(title) + "\n\n";
  auto ops = operators_of(tx, who);
  if (!ops) return fail(ops.error());
  if (ops->empty()) return md + "プロジェクトはまだありません。\n\n";
  md += "| 実証事業者 | プロジェクト | 実施回数 | 参加者数 | ヒト | モノ | カネ |\n|---|--:|--:|--:|--:|--:|--:|\n";
  std::vector<std::string> cats;
  std::vector<double> hito, mono, kane;
  operations::ProjectCounts total;
  for (const auto& op : *ops) {
    auto c = operations::project_counts(tx, who, op);
    if (!c) return fail(c.error());
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", cell(op.name), c->projects, c->sessions, c->participants,
                      c->hito, c->mono, c->kane);
    cats.push_back(block_names(op));
    hito.push_back(double(c->hito));
    mono.push_back(double(c->mono));
    kane.push_back(double(c->kane));
    total.projects += c->projects;
    total.sessions += c->sessions;
    total.participants += c->participants;
  }
  md += "\nTable: 実証事業者別のプロジェクト数と実施件数\n\n";
  md += fmt::format("全体で {} 件のプロジェクトを {} 回実施し、延べ {} 人が参加した。\n\n", total.projects, total.sessions,
                    total.participants);
  md += chart_block("ブロック別のプロジェクト数（分類別）", "件", cats, {{"ヒト", hito}, {"モノ", mono}, {"カネ", kane}},
                    "stacked_bar");
  md += "Figure: ブロック別のプロジェクト数（分類別）\n\n";
  return md;
}

Result<std::string> events_chapter(db::Transaction& tx, const auth::Principal& who, const std::string& title) {
  std::string md = "# " + cell(title) + "\n\n";
  auto list = events::list_events(tx, who);
  if (!list) return fail(list.error());
  if (list->empty()) return md + "開催したイベントはまだありません。\n\n";
  md += "| 種別 | イベント | 開催日 | 申込 | 参加 | 商談 |\n|---|---|---|--:|--:|--:|\n";
  std::vector<std::string> cats;
  std::vector<double> registered, attended;
  for (const auto& s : *list) {
    int meetings = 0;
    if (s.event.matchmaking && auth::allowed(who, auth::Action::kManageEvents)) {
      auto state = events::match_state(tx, who, s.event);
      if (!state) return fail(state.error());
      meetings = int(state->meetings.size());
    }
    md += fmt::format("| {} | {} | {} | {} | {} | {} |\n", events::event_kind_label(s.event.kind), cell(s.event.title),
                      tokyo_date(s.event.starts_at).japanese(), s.counts.registered, s.counts.attended,
                      s.event.matchmaking ? std::to_string(meetings) : "—");
    cats.push_back(s.event.title);
    registered.push_back(s.counts.registered);
    attended.push_back(s.counts.attended);
  }
  md += "\nTable: イベントの申込数と参加者数\n\n";
  md += chart_block("イベント別の申込数と参加者数", "人", cats, {{"申込", registered}, {"参加", attended}}, "bar");
  md += "Figure: イベント別の申込数と参加者数\n\n";
  return md;
}

// The blocks' results from the operators' accepted final reports (成果報告書): per block the
// operator and the summary it wrote; a table of where each report stands.
Result<std::string> final_reports_chapter(db::Transaction& tx, const auth::Principal& who, const std::string& title) {
  std::string md = "# " + cell(title) + "\n\n";
  auto reports = list_final_reports(tx, who);
  if (!reports) return fail(reports.error());
  if (reports->empty()) return md + "実証事業者はまだ決まっていません。\n\n";
  md += "各実証事業者が提出し、事務局が受理した成果報告書の概要を、地域ブロックごとに示す。\n\n";
  md += "| ブロック | 実証事業者 | 成果報告書 |\n|---|---|---|\n";
  for (const auto& block : geo::blocks()) {
    auto it = std::ranges::find_if(*reports, [&](const FinalReport& r) { return std::ranges::find(r.block_ids, block.id) != r.block_ids.end(); });
    if (it == reports->end()) {
      md += fmt::format("| {} | 該当なし | — |\n", block.name);
      continue;
    }
    md += fmt::format("| {} | {} | {} |\n", block.name, cell(it->operator_name),
                      it->status == FinalReportStatus::kAccepted ? "受理" : "受理前");
  }
  md += "\nTable: ブロック別の成果報告書の受理状況\n\n";
  for (const auto& block : geo::blocks()) {
    auto it = std::ranges::find_if(*reports, [&](const FinalReport& r) { return std::ranges::find(r.block_ids, block.id) != r.block_ids.end(); });
    if (it == reports->end()) continue;
    md += fmt::format("## {}（{}）\n\n", block.name, cell(it->operator_name));
    if (it->status != FinalReportStatus::kAccepted) {
      md += "成果報告書はまだ受理されていない。\n\n";
      continue;
    }
    // The summary's paragraphs, as text (nothing the operator typed becomes Markdown).
    std::string paragraph;
    auto flush = [&] {
      if (!paragraph.empty()) md += paragraph + "\n\n";
      paragraph.clear();
    };
    std::size_t start = 0;
    const std::string& summary = it->summary;
    while (start <= summary.size()) {
      std::size_t end = summary.find('\n', start);
      std::string_view line = text::trim(std::string_view(summary).substr(start, end == std::string::npos ? std::string::npos : end - start));
      if (line.empty()) flush();
      else paragraph += cell(line);
      if (end == std::string::npos) break;
      start = end + 1;
    }
    flush();
  }
  return md;
}

}  // namespace

Result<std::string> chapter(db::Transaction& tx, const auth::Principal& who, const std::string& source,
                            const std::string& title, Instant) {
  if (source == "call") return call_chapter(tx, who, title);
  if (source == "operations") return operations_chapter(tx, who, title);
  if (source == "projects") return projects_chapter(tx, who, title);
  if (source == "events") return events_chapter(tx, who, title);
  if (source == "final_reports") return final_reports_chapter(tx, who, title);
  if (source == "effects") {
    auto c = effects::report_chapter(tx, who);
    if (!c) return fail(c.error());
    return c->markdown;
  }
  if (source == "knowledge") {
    auto c = knowledge::report_chapters(tx);
    if (!c) return fail(c.error());
    return c->markdown;
  }
  return fail(Error::invalid(fmt::format("章の作成元「{}」は知りません。", source)));
}

Result<People> people(db::Transaction& tx, const auth::Principal& who) {
  People out;
  for (int offset = 0;; offset += 500) {
    auto users = auth::list_users(tx, 500, offset);
    if (!users) return fail(users.error());
    for (const auto& u : *users) {
      out.names.push_back(u.name);
      out.emails.push_back(u.email);
    }
    if (users->size() < 500) break;
  }
  auto list = events::list_events(tx, who);
  if (!list) return fail(list.error());
  for (const auto& s : *list) {
    auto regs = events::registrations(tx, who, s.event);
    if (!regs) return fail(regs.error());
    for (const auto& r : *regs) {
      out.names.push_back(r.name);
      if (!r.email.empty()) out.emails.push_back(r.email);
    }
  }
  auto roster = compliance::list_people(tx, who, false);
  if (!roster) return fail(roster.error());
  for (const auto& p : *roster) out.names.push_back(p.name);
  return out;
}

Result<std::vector<RawTable>> raw_tables(db::Transaction& tx, const auth::Principal& who) {
  std::vector<RawTable> out;
  auto ops = operators_of(tx, who);
  if (!ops) return fail(ops.error());
  auto text = [](std::string t) { return docs::DataCell{std::move(t), 0, false}; };
  auto number = [](double v) { return docs::DataCell{docs::format_number(v, 0), v, true}; };
  RawTable operators{"実証事業者一覧", {{"実証事業者", "ブロック", "契約金額（円）", "契約開始日", "契約終了日", "最終目標"}, {}}};
  RawTable projects{"プロジェクト件数", {{"実証事業者", "ブロック", "プロジェクト", "実施回数", "参加者数", "ヒト", "モノ", "カネ"}, {}}};
  for (const auto& op : *ops) {
    operators.table.rows.push_back({text(op.name), text(block_names(op)), number(double(op.contract_amount)),
                                    text(op.contract_from.iso()), text(op.contract_to.iso()), text(op.final_goal)});
    auto c = operations::project_counts(tx, who, op);
    if (!c) return fail(c.error());
    projects.table.rows.push_back({text(op.name), text(block_names(op)), number(double(c->projects)), number(double(c->sessions)),
                                   number(double(c->participants)), number(double(c->hito)), number(double(c->mono)),
                                   number(double(c->kane))});
  }
  out.push_back(std::move(operators));
  out.push_back(std::move(projects));
  auto list = events::list_events(tx, who);
  if (!list) return fail(list.error());
  RawTable ev{"イベント一覧", {{"種別", "イベント", "開催日", "定員", "申込", "参加", "当日参加"}, {}}};
  for (const auto& s : *list)
    ev.table.rows.push_back({text(std::string(events::event_kind_label(s.event.kind))), text(s.event.title),
                             text(tokyo_date(s.event.starts_at).iso()), number(s.event.capacity),
                             number(s.counts.registered), number(s.counts.attended), number(s.counts.walk_ins)});
  out.push_back(std::move(ev));
  return out;
}

}  // namespace kakehashi::package::generate
