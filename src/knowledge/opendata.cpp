#include "knowledge/opendata.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <map>

#include "base/csv.h"
#include "geo/geo.h"
#include "knowledge/service.h"

namespace kakehashi::knowledge {
namespace {

std::string labels(std::span<const Code> table, const std::vector<std::string>& codes, std::string_view sep = "；") {
  std::string out;
  for (const auto& c : codes) {
    if (!out.empty()) out += sep;
    out += label_of(table, c);
  }
  return out;
}

std::string figures_text(const std::vector<Figure>& figures) {
  std::string out;
  for (const auto& f : figures) {
    if (!out.empty()) out += "；";
    out += f.label + " " + f.value + f.unit;
  }
  return out;
}

std::string date_of(const std::optional<std::string>& instant) {
  return instant && instant->size() >= 10 ? instant->substr(0, 10) : std::string();
}

boost::json::object item_object(const Item& i, const std::string& base_url) {
  boost::json::array schools, effect_list, stakeholders, figures;
  for (const auto& c : i.school_types) schools.push_back(boost::json::object{{"code", c}, {"label", label_of(school_types(), c)}});
  for (const auto& c : i.effects) effect_list.push_back(boost::json::object{{"code", c}, {"label", label_of(effects(), c)}});
  for (const auto& c : i.stakeholders) stakeholders.emplace_back(c);
  for (const auto& f : i.figures) figures.push_back(boost::json::object{{"label", f.label}, {"value", f.value}, {"unit", f.unit}});
  const geo::Prefecture* pref = i.prefecture.empty() ? nullptr : geo::find_prefecture_by_name(i.prefecture);
  boost::json::object o{{"id", i.id},
                        {"kind", to_string(i.kind)},
                        {"title", i.title},
                        {"year", i.year},
                        {"source", i.source},
                        {"block_id", i.block_id},
                        {"block", i.block_id.empty() ? std::string() : geo::block_label(i.block_id)},
                        {"prefecture", i.prefecture},
                        {"prefecture_code", pref ? std::string(pref->code) : std::string()},
                        {"stakeholders", std::move(stakeholders)},
                        {"published_on", date_of(i.published_at)}};
  if (i.kind == Kind::kCase) {
    o["url"] = base_url + "/cases/" + std::to_string(i.id);
    o["summary"] = i.summary;
    o["body"] = i.body;
    o["category"] = i.category;
    o["category_label"] = label_of(categories(), i.category);
    o["subtype"] = i.subtype;
    o["school_types"] = std::move(schools);
    o["effects"] = std::move(effect_list);
    o["effect_industry"] = i.effect_industry;
    o["effect_education"] = i.effect_education;
    o["figures"] = std::move(figures);
  } else {
    o["url"] = base_url + "/cases/lessons/" + std::to_string(i.id);
    o["outcome"] = i.outcome;
    o["outcome_label"] = label_of(outcomes(), i.outcome);
    o["context"] = i.summary;
    o["what_happened"] = i.body;
    o["what_to_do"] = i.advice;
  }
  return o;
}

std::string table_cell(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  std::string out;
  for (char c : text) {
    if (c == '|') out += "｜";
    else out.push_back(c);
  }
  return out;
}

}  // namespace

std::string item_json(const Item& item, const std::string& base_url) {
  return boost::json::serialize(item_object(item, base_url));
}

std::string cases_csv(const std::vector<Item>& cases, const std::string& base_url) {
  std::string out = "\xEF\xBB\xBF";
  out += csv::format_row({"ID", "URL", "タイトル", "概要", "分野", "分野の詳細", "地域ブロック", "都道府県コード", "都道府県",
                          "学校種", "効果の分類", "産業界への効果", "教育現場への効果", "数値", "年度", "出典", "公開日"});
  for (const Item& i : cases) {
    const geo::Prefecture* pref = i.prefecture.empty() ? nullptr : geo::find_prefecture_by_name(i.prefecture);
    out += csv::format_row({std::to_string(i.id), base_url + "/cases/" + std::to_string(i.id), i.title, i.summary,
                            std::string(label_of(categories(), i.category)), i.subtype,
                            i.block_id.empty() ? std::string() : geo::block_label(i.block_id),
                            pref ? std::string(pref->code) : std::string(), i.prefecture, labels(school_types(), i.school_types),
                            labels(effects(), i.effects), i.effect_industry, i.effect_education, figures_text(i.figures),
                            std::to_string(i.year), i.source, date_of(i.published_at)});
  }
  return out;
}

std::string collection_json(const std::vector<Item>& cases, const std::vector<Item>& lessons, const std::string& base_url) {
  boost::json::array c, l;
  for (const Item& i : cases) c.push_back(item_object(i, base_url));
  for (const Item& i : lessons) l.push_back(item_object(i, base_url));
  return boost::json::serialize(boost::json::object{{"title", "産業界と教育現場の連携 事例集・ポイント集"},
                                                    {"license", kLicenceName},
                                                    {"license_url", kLicenceUrl},
                                                    {"cases", std::move(c)},
                                                    {"lessons", std::move(l)}});
}

std::string dcat_json(std::size_t cases, std::size_t lessons, const std::string& modified, const std::string& base_url) {
  auto distribution = [&](const char* title, const char* file, const char* media) {
    return boost::json::object{{"@type", "dcat:Distribution"},
                               {"dct:title", title},
                               {"dcat:downloadURL", base_url + "/cases/" + file},
                               {"dcat:mediaType", media},
                               {"dct:license", kLicenceUrl}};
  };
  boost::json::array distributions{distribution("事例集（CSV, UTF-8 BOM付き）", "data.csv", "text/csv"),
                                   distribution("事例集・ポイント集（JSON）", "data.json", "application/json")};
  return boost::json::serialize(boost::json::object{
      {"@context", boost::json::object{{"dcat", "http://www.w3.org/ns/dcat#"}, {"dct", "http://purl.org/dc/terms/"},
                                       {"foaf", "http://xmlns.com/foaf/0.1/"}}},
      {"@type", "dcat:Dataset"},
      {"dct:identifier", base_url + "/cases/dcat.json"},
      {"dct:title", "産業界と教育現場の連携 事例集・ポイント集"},
      {"dct:description",
       fmt::format("「未来の教室」実証事業で生まれた産業界と教育現場の連携の好事例（ヒト・モノ・カネの分野、産業界・教育現場への効果で分類）"
                   "と、成功要因・失敗から学んだことの教訓。公開中の事例 {} 件、教訓 {} 件。",
                   cases, lessons)},
      {"dct:publisher", boost::json::object{{"@type", "foaf:Organization"}, {"foaf:name", "経済産業省"}}},
      {"dct:license", kLicenceUrl},
      {"dct:rights", fmt::format("{}（クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）と互換: {}）", kLicenceName, kCcByUrl)},
      {"dct:language", "ja"},
      {"dct:modified", modified},
      {"dcat:keyword", boost::json::array{"産学連携", "教育", "未来の教室", "事例集", "コーディネーター"}},
      {"dcat:landingPage", base_url + "/cases"},
      {"dcat:distribution", std::move(distributions)}});
}

Result<ReportChapters> report_chapters(db::Transaction& tx) {
  auto cases = published_items(tx, Kind::kCase);
  if (!cases) return fail(cases.error());
  auto lessons = published_items(tx, Kind::kLesson);
  if (!lessons) return fail(lessons.error());
  auto map = stakeholder_map(tx);
  if (!map) return fail(map.error());
  ReportChapters out;
  out.cases = cases->size();
  out.lessons = lessons->size();
  std::string& md = out.markdown;
  md += "# 事例集\n\n";
  md += fmt::format("本事業で創出された産業界と教育現場の連携事例 {} 件を、連携分野（ヒト・モノ・カネ）と地域ブロックで整理した。\n\n",
                    cases->size());
  // Figure: cases per block and category (stacked bar), its data travelling with it.
  std::vector<std::string> block_names;
  std::map<std::string, std::map<std::string, int>> counts;  // category -> block -> n
  for (const geo::Block& b : geo::blocks()) block_names.emplace_back(b.name);
  for (const Item& i : *cases) {
    const geo::Block* b = geo::find_block(i.block_id);
    counts[i.category][b ? std::string(b->name) : std::string()]++;
  }
  boost::json::array series;
  for (const Code& c : categories()) {
    boost::json::array values;
    for (const auto& name : block_names) values.emplace_back(counts[std::string(c.code)][name]);
    series.push_back(boost::json::object{{"name", c.label}, {"values", std::move(values)}});
  }
  boost::json::array cats;
  for (const auto& n : block_names) cats.emplace_back(n);
  md += "## 分野別・地域ブロック別の事例数\n\n```chart\n";
  md += boost::json::serialize(boost::json::object{{"type", "stacked_bar"},
                                                   {"title", "地域ブロック別・連携分野別の事例数"},
                                                   {"unit", "件"},
                                                   {"categories", std::move(cats)},
                                                   {"series", std::move(series)}});
  md += "\n```\n\n";
  md += "## 事例一覧\n\n| 事例 | 地域ブロック | 分野 | 学校種 |\n|---|---|---|---|\n";
  for (const Item& i : *cases)
    md += fmt::format("| {} | {} | {} | {} |\n", table_cell(i.title),
                      i.block_id.empty() ? "全国" : geo::block_label(i.block_id), label_of(categories(), i.category),
                      labels(school_types(), i.school_types, "・"));
  md += "\nTable: 公開中の事例\n\n";
  for (const Item& i : *cases) {
    md += fmt::format("### {}\n\n{}\n\n", table_cell(i.title), i.summary);
    if (!i.effect_industry.empty()) md += fmt::format("- 産業界への効果: {}\n", table_cell(i.effect_industry));
    if (!i.effect_education.empty()) md += fmt::format("- 教育現場への効果: {}\n", table_cell(i.effect_education));
    if (!i.figures.empty()) md += fmt::format("- 数値: {}\n", figures_text(i.figures));
    md += "\n";
  }
  md += "# ポイント集\n\n## ステークホルダーに期待される役割とアクション\n\n"
        "| ステークホルダー | 期待される役割 | アクション | 事例 | 教訓 |\n|---|---|---|---|---|\n";
  for (const Stakeholder& s : *map)
    md += fmt::format("| {} | {} | {} | {} | {} |\n", table_cell(s.name), table_cell(s.roles), table_cell(s.actions),
                      s.cases, s.lessons);
  md += "\nTable: ステークホルダーの整理\n\n";
  for (const Code& outcome : outcomes()) {
    md += fmt::format("## {}\n\n", outcome.label);
    for (const Item& l : *lessons) {
      if (l.outcome != outcome.code) continue;
      md += fmt::format("### {}\n\n", table_cell(l.title));
      if (!l.summary.empty()) md += fmt::format("- 背景: {}\n", table_cell(l.summary));
      md += fmt::format("- 何が起きたか: {}\n- 次に活かすこと: {}\n\n", table_cell(l.body), table_cell(l.advice));
    }
  }
  return out;
}

}  // namespace kakehashi::knowledge
