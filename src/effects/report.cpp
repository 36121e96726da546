// Roll-ups across blocks and the report's effect chapter (issue 20), within the reader's reach.
#include "effects/report.h"

#include <boost/json.hpp>
#include <fmt/format.h>
#include <map>

#include "docs/markdown.h"
#include "geo/geo.h"
#include "operations/access.h"
#include "survey/report.h"

namespace kakehashi::effects {
namespace {

RollupLine empty_line(std::string id, std::string name) {
  RollupLine l;
  l.block_id = std::move(id);
  l.block_name = std::move(name);
  l.current.assign(shared_indicators().size(), 0);
  l.target.assign(shared_indicators().size(), 0);
  return l;
}

std::optional<SurveyReading> reading_of(const Survey& s) {
  if (!s.analysed()) return std::nullopt;
  boost::system::error_code error;
  auto v = boost::json::parse(s.result, error);
  if (error) return std::nullopt;
  return read_result(v);
}

std::string cell_text(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out;
}

std::string fixed(std::optional<double> v, int decimals = 2) {
  return v ? docs::format_number(*v, decimals) : std::string("—");
}

}  // namespace

Result<Rollup> rollup(db::Transaction& tx, const auth::Principal& who) {
  Rollup out;
  auto reach = operations::reach(tx, who, auth::Action::kViewOperations);
  if (!reach) return fail(reach.error());
  out.whole_programme = reach->all;
  auto ops = visible_operators(tx, who);
  if (!ops) return fail(ops.error());
  auto kpis = visible_kpis(tx, who);
  if (!kpis) return fail(kpis.error());
  auto surveys = visible_surveys(tx, who);
  if (!surveys) return fail(surveys.error());
  std::map<std::string, RollupLine> lines;
  for (const geo::Block& block : geo::blocks()) {
    int operators = 0;
    for (const auto& op : *ops)
      for (const auto& b : op.blocks)
        if (b.block_id == block.id && operations::covers_block(*reach, op, b.block_id)) ++operators;
    if (operators == 0) continue;
    RollupLine line = empty_line(std::string(block.id), std::string(block.name));
    line.operators = operators;
    lines.emplace(block.id, std::move(line));
  }
  auto shared = shared_indicators();
  for (const Kpi& k : *kpis) {
    auto it = lines.find(k.block_id);
    if (it == lines.end() || k.shared_key.empty()) continue;
    for (std::size_t s = 0; s < shared.size(); ++s) {
      if (shared[s].key != k.shared_key) continue;
      it->second.current[s] += k.current();
      it->second.target[s] += k.target;
    }
  }
  for (const Survey& s : *surveys) {
    auto it = lines.find(s.block_id);
    auto reading = reading_of(s);
    if (it == lines.end() || !reading) continue;
    ++it->second.surveys;
    for (const auto& item : reading->items) {
      if (!item.p) continue;
      ++it->second.items;
      if (item.p_holm && *item.p_holm < 0.05 && item.mean_diff.value_or(0) > 0) ++it->second.improved;
    }
  }
  out.total = empty_line("", out.whole_programme ? "全国" : "合計");
  for (const geo::Block& block : geo::blocks()) {
    auto it = lines.find(std::string(block.id));
    if (it == lines.end()) continue;
    RollupLine& l = it->second;
    for (std::size_t s = 0; s < shared.size(); ++s) {
      out.total.current[s] += l.current[s];
      out.total.target[s] += l.target[s];
    }
    out.total.surveys += l.surveys;
    out.total.items += l.items;
    out.total.improved += l.improved;
    out.blocks.push_back(std::move(l));
  }
  out.total.operators = int(ops->size());
  return out;
}

Result<ReportChapter> report_chapter(db::Transaction& tx, const auth::Principal& who) {
  auto r = rollup(tx, who);
  if (!r) return fail(r.error());
  auto ops = visible_operators(tx, who);
  if (!ops) return fail(ops.error());
  auto surveys = visible_surveys(tx, who);
  if (!surveys) return fail(surveys.error());
  std::string md = "# 効果検証\n\n";
  md += fmt::format(
      "本章は、実証事業者 {} 者が登録した KPI（重要業績評価指標）の実績と、事前・事後アンケートの分析結果を{}まとめたものです。"
      "数値はすべて集計値で、回答者を特定できる情報は含みません。\n\n",
      ops->size(), r->whole_programme ? "全国について" : "所管のブロックについて");
  md += "## 共通指標の実績（ブロック別）\n\n";
  md += "すべての実証事業者が共通に報告する指標を、地域ブロックごとに合計しました。実績は基準値に各期の実績を加えた値です。\n\n";
  auto shared = shared_indicators();
  for (std::size_t s = 0; s < shared.size(); ++s) {
    boost::json::array categories, actual, target;
    for (const auto& line : r->blocks) {
      categories.emplace_back(line.block_name);
      actual.emplace_back(line.current[s]);
      target.emplace_back(line.target[s]);
    }
    boost::json::object chart{{"title", fmt::format("ブロック別の{}", shared[s].name)},
                              {"type", "bar"},
                              {"unit", shared[s].unit},
                              {"categories", categories},
                              {"series", boost::json::array{boost::json::object{{"name", "実績"}, {"values", actual}},
                                                            boost::json::object{{"name", "目標"}, {"values", target}}}}};
    md += "```chart\n" + boost::json::serialize(chart) + "\n```\n\n";
    md += fmt::format("Figure: ブロック別の{}\n\n", shared[s].name);
    md += fmt::format("| ブロック | 実績（{0}） | 目標（{0}） |\n|---|--:|--:|\n", shared[s].unit);
    for (const auto& line : r->blocks)
      md += fmt::format("| {} | {} | {} |\n", line.block_name, docs::format_number(line.current[s], 0),
                        docs::format_number(line.target[s], 0));
    md += fmt::format("| {} | {} | {} |\n\n", r->total.block_name, docs::format_number(r->total.current[s], 0),
                      docs::format_number(r->total.target[s], 0));
    md += fmt::format("Table: ブロック別の{}（実績と目標）\n\n", shared[s].name);
  }
  md += "## 事前・事後アンケートによる効果の検証\n\n";
  md += "同じ回答者の事前と事後の回答を対にして、対応のある t 検定と Wilcoxon の符号順位検定を行いました。"
        "アンケートごとに複数の設問を同時に検定しているため、t 検定の p 値を Holm 法で補正し、補正後の p 値が 0.05 "
        "未満のときだけ「有意」と判定しています。\n\n";
  int analysed = 0;
  for (const Survey& s : *surveys) {
    auto reading = reading_of(s);
    if (!reading) continue;
    ++analysed;
    std::string op_name;
    for (const auto& op : *ops)
      if (op.id == s.operator_id) op_name = op.name;
    const geo::Block* block = geo::find_block(s.block_id);
    md += fmt::format("### {}（{}・{}ブロック）\n\n", cell_text(s.title), cell_text(op_name),
                      block ? std::string(block->name) : s.block_id);
    md += "| 設問 | 組数 | 事前の平均 | 事後の平均 | 差 | 95% 信頼区間 | 補正後 p 値 | 判定 |\n|---|--:|--:|--:|--:|---|--:|---|\n";
    for (const auto& i : reading->items) {
      std::string verdict = !i.p_holm ? "検定不能"
                            : *i.p_holm < 0.05 ? (i.mean_diff.value_or(0) > 0 ? "有意に向上" : "有意に低下")
                                               : "有意差なし";
      std::string ci = i.ci_low && i.ci_high ? fmt::format("{} 〜 {}", fixed(i.ci_low), fixed(i.ci_high)) : "—";
      md += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", cell_text(i.label.empty() ? i.column : i.label), i.n,
                        fixed(i.mean_pre), fixed(i.mean_post), fixed(i.mean_diff), ci,
                        i.p_holm ? survey::format_p(*i.p_holm) : "—", verdict);
    }
    md += fmt::format("\nTable: {} の事前・事後の比較\n\n", cell_text(s.title));
  }
  if (analysed == 0) md += "分析済みのアンケートはまだありません。\n\n";
  auto doc = docs::parse_markdown(md);
  if (!doc) return fail(doc.error());
  ReportChapter out;
  out.markdown = std::move(md);
  out.figures = docs::figure_data(*doc);
  return out;
}

}  // namespace kakehashi::effects
