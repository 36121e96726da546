#include "web/handlers/knowledge/common.h"

#include <fmt/format.h>

#include <cmath>
#include <numbers>

#include "base/text.h"
#include "geo/geo.h"

namespace kakehashi::web::knowweb {
namespace {

using knowledge::Kind;

std::string escape(std::string_view text) { return text::xml_escape(text); }

// Inline markup of one line: **strong** only, everything else escaped.
std::string inline_html(std::string_view line) {
  std::string out;
  bool strong = false;
  std::size_t at = 0;
  while (at < line.size()) {
    std::size_t star = line.find("**", at);
    if (star == std::string_view::npos) {
      out += escape(line.substr(at));
      break;
    }
    out += escape(line.substr(at, star - at));
    bool closes = line.find("**", star + 2) != std::string_view::npos;
    if (strong) {
      out += "</strong>";
      strong = false;
    } else if (closes) {
      out += "<strong>";
      strong = true;
    } else {
      out += "**";
    }
    at = star + 2;
  }
  if (strong) out += "</strong>";
  return out;
}

struct QueryParts {
  std::vector<std::pair<std::string, std::string>> parts;
  std::string href(const std::string& base) const {
    std::string out = base;
    char join = '?';
    for (const auto& [k, v] : parts) {
      if (v.empty()) continue;
      out += join + k + "=" + url_encode(v);
      join = '&';
    }
    return out;
  }
};

QueryParts parts_of(const knowledge::SearchRequest& s) {
  return {{{"q", s.q},
           {"category", s.category},
           {"block", s.block_id},
           {"school", s.school_type},
           {"effect", s.effect},
           {"outcome", s.outcome},
           {"stakeholder", s.stakeholder},
           {"status", s.status ? std::string(knowledge::to_string(*s.status)) : std::string()}}};
}

FacetGroup group(const std::string& title, const std::string& key, const std::vector<knowledge::FacetValue>& values,
                 const knowledge::SearchRequest& s, const std::string& base, const std::string& selected) {
  FacetGroup g{title, {}};
  for (const auto& v : values) {
    QueryParts parts = parts_of(s);
    for (auto& [k, value] : parts.parts)
      if (k == key) value = selected == v.code ? std::string() : v.code;
    g.links.push_back({v.label, v.count, parts.href(base), selected == v.code});
  }
  return g;
}

}  // namespace

knowledge::SearchRequest search_request(const Request& request, Kind kind) {
  knowledge::SearchRequest s;
  s.kind = kind;
  s.q = request.query_param("q");
  if (s.q.size() > 400) s.q.resize(400);
  s.category = request.query_param("category");
  s.block_id = request.query_param("block");
  s.school_type = request.query_param("school");
  s.effect = request.query_param("effect");
  s.outcome = request.query_param("outcome");
  s.stakeholder = request.query_param("stakeholder");
  s.status = knowledge::status_from(request.query_param("status"));
  s.page = page_number(request);
  s.per_page = 20;
  return s;
}

std::string public_href(const knowledge::Item& item) {
  return item.kind == Kind::kCase ? fmt::format("/cases/{}", item.id) : fmt::format("/cases/lessons/{}", item.id);
}

std::string staff_href(std::int64_t id) { return fmt::format("/knowledge/items/{}", id); }

std::string meta_of(const knowledge::Item& item) {
  std::vector<std::string> parts;
  if (item.kind == Kind::kCase) parts.emplace_back(knowledge::label_of(knowledge::categories(), item.category));
  else parts.emplace_back(knowledge::label_of(knowledge::outcomes(), item.outcome));
  parts.push_back(item.block_id.empty() ? "全国" : geo::block_label(item.block_id));
  if (!item.prefecture.empty()) parts.push_back(item.prefecture);
  for (const auto& s : item.school_types) parts.emplace_back(knowledge::label_of(knowledge::school_types(), s));
  parts.push_back(fmt::format("{}年度", item.year));
  if (item.source != "kakehashi") parts.push_back(item.source);
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "・") + p;
  return out;
}

SearchView search_view(const knowledge::SearchRequest& s, const knowledge::SearchResult& r, const std::string& base,
                       bool staff) {
  SearchView v;
  v.action = base;
  v.q = s.q;
  v.staff = staff;
  for (const auto& hit : r.hits) {
    HitRow row{Html{hit.title_html}, staff ? staff_href(hit.item.id) : public_href(hit.item), Html{hit.snippet_html},
               meta_of(hit.item), std::nullopt, std::string(knowledge::to_string(hit.item.status))};
    if (staff) row.status = std::string(knowledge::status_label(hit.item.status));
    v.hits.push_back(std::move(row));
  }
  v.has_hits = !v.hits.empty();
  v.total_label = s.q.empty() ? fmt::format("{} 件", r.total) : fmt::format("「{}」の検索結果 {} 件", s.q, r.total);
  if (s.kind == Kind::kCase) {
    v.facets.push_back(group("分野", "category", r.categories, s, base, s.category));
    v.facets.push_back(group("地域ブロック", "block", r.blocks, s, base, s.block_id));
    v.facets.push_back(group("学校種", "school", r.school_types, s, base, s.school_type));
    v.facets.push_back(group("効果", "effect", r.effects, s, base, s.effect));
  } else {
    v.facets.push_back(group("種類", "outcome", r.outcomes, s, base, s.outcome));
    v.facets.push_back(group("地域ブロック", "block", r.blocks, s, base, s.block_id));
  }
  std::erase_if(v.facets, [](const FacetGroup& g) { return g.links.empty(); });
  bool filtered = !s.q.empty() || !s.category.empty() || !s.block_id.empty() || !s.school_type.empty() ||
                  !s.effect.empty() || !s.outcome.empty() || !s.stakeholder.empty() || s.status;
  if (filtered) v.clear_href = base;
  QueryParts parts = parts_of(s);
  v.pages = pagination(parts.href(base), s.page, s.per_page, r.total);
  if (staff) {
    v.statuses.push_back({"", "すべて", !s.status});
    for (auto st : {knowledge::Status::kDraft, knowledge::Status::kReview, knowledge::Status::kApproved,
                    knowledge::Status::kPublished, knowledge::Status::kWithdrawn})
      v.statuses.push_back({std::string(knowledge::to_string(st)), std::string(knowledge::status_label(st)),
                            s.status && *s.status == st});
  }
  return v;
}

Html markdown_html(std::string_view markdown) {
  std::string out;
  std::string paragraph;
  bool in_list = false;
  auto flush = [&] {
    if (!paragraph.empty()) out += "<p>" + paragraph + "</p>\n";
    paragraph.clear();
  };
  auto close_list = [&] {
    if (in_list) out += "</ul>\n";
    in_list = false;
  };
  std::size_t start = 0;
  while (start <= markdown.size()) {
    std::size_t end = markdown.find('\n', start);
    std::string_view line = markdown.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string_view trimmed = text::trim(line);
    if (trimmed.empty()) {
      flush();
      close_list();
    } else if (trimmed.starts_with("#")) {
      flush();
      close_list();
      std::size_t level = trimmed.find_first_not_of('#');
      std::string_view heading = text::trim(trimmed.substr(level == std::string_view::npos ? trimmed.size() : level));
      out += fmt::format("<h{0}>{1}</h{0}>\n", level <= 1 ? 3 : 4, inline_html(heading));
    } else if (trimmed.starts_with("- ") || trimmed.starts_with("* ") || trimmed.starts_with("・")) {
      flush();
      if (!in_list) out += "<ul>\n";
      in_list = true;
      std::string_view item = trimmed.starts_with("・") ? trimmed.substr(std::string_view("・").size()) : trimmed.substr(2);
      out += "<li>" + inline_html(text::trim(item)) + "</li>\n";
    } else {
      close_list();
      if (!paragraph.empty()) paragraph += "<br>";
      paragraph += inline_html(trimmed);
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  flush();
  close_list();
  return Html{out};
}

ItemContent item_content(const knowledge::Item& i, const std::vector<knowledge::Photo>& photos,
                         const std::string& photo_base) {
  ItemContent c;
  c.title = i.title;
  c.kind_label = std::string(knowledge::kind_label(i.kind));
  c.is_case = i.kind == Kind::kCase;
  if (!i.summary.empty()) c.summary = i.summary;
  c.body_html = markdown_html(i.body);
  if (!i.advice.empty()) c.advice = i.advice;
  if (!i.effect_industry.empty()) c.effect_industry = i.effect_industry;
  if (!i.effect_education.empty()) c.effect_education = i.effect_education;
  if (c.is_case) {
    c.facts.push_back({"分野", std::string(knowledge::label_of(knowledge::categories(), i.category)) +
                                   (i.subtype.empty() ? "" : "（" + i.subtype + "）")});
  } else {
    c.facts.push_back({"種類", std::string(knowledge::label_of(knowledge::outcomes(), i.outcome))});
  }
  c.facts.push_back({"地域", (i.block_id.empty() ? std::string("全国") : geo::block_label(i.block_id)) +
                                 (i.prefecture.empty() ? "" : "・" + i.prefecture)});
  if (!i.school_types.empty()) {
    std::string s;
    for (const auto& t : i.school_types) s += (s.empty() ? "" : "・") + std::string(knowledge::label_of(knowledge::school_types(), t));
    c.facts.push_back({"学校種", s});
  }
  if (!i.effects.empty()) {
    std::string s;
    for (const auto& t : i.effects) s += (s.empty() ? "" : "、") + std::string(knowledge::label_of(knowledge::effects(), t));
    c.facts.push_back({"効果", s});
  }
  c.facts.push_back({"年度", fmt::format("{}年度", i.year)});
  if (i.source != "kakehashi") c.facts.push_back({"出典", i.source});
  for (const auto& f : i.figures) c.figures.push_back({f.label, f.value, f.unit});
  c.has_figures = !c.figures.empty();
  for (const auto& p : photos)
    c.photos.push_back({p.id, fmt::format("{}/{}", photo_base, p.id), p.caption, std::nullopt, std::nullopt});
  c.has_photos = !c.photos.empty();
  return c;
}

std::string stakeholder_svg(const std::vector<knowledge::Stakeholder>& map) {
  // The coordinator in the middle, the other parties around it, each line as thick as the
  // number of published cases and lessons that name the party.
  const double w = 720, h = 460, cx = w / 2, cy = h / 2, rx = 270, ry = 170;
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" class=\"stakeholder-map\" role=\"img\" "
      "aria-labelledby=\"stakeholder-map-title\"><title id=\"stakeholder-map-title\">ステークホルダーの関係図："
      "コーディネーターを中心に、企業・自治体・学校などが連携する（各項目の役割とアクションは下の表）</title>",
      w, h);
  const knowledge::Stakeholder* hub = nullptr;
  std::vector<const knowledge::Stakeholder*> around;
  for (const auto& s : map) {
    if (s.code == "coordinator") hub = &s;
    else around.push_back(&s);
  }
  std::string nodes;
  for (std::size_t k = 0; k < around.size(); ++k) {
    double angle = -std::numbers::pi / 2 + 2 * std::numbers::pi * static_cast<double>(k) / static_cast<double>(around.size());
    double x = cx + rx * std::cos(angle), y = cy + ry * std::sin(angle);
    int links = around[k]->cases + around[k]->lessons;
    out += fmt::format("<line x1=\"{:.0f}\" y1=\"{:.0f}\" x2=\"{:.0f}\" y2=\"{:.0f}\" stroke=\"#7a8aa0\" stroke-width=\"{}\"/>",
                       cx, cy, x, y, 1 + std::min(links, 12) / 2);
    nodes += fmt::format(
        "<g><rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"150\" height=\"46\" rx=\"8\" fill=\"#ffffff\" stroke=\"#1d4e89\"/>"
        "<text x=\"{:.0f}\" y=\"{:.0f}\" text-anchor=\"middle\" font-size=\"14\" fill=\"#1a1a1a\">{}</text>"
        "<text x=\"{:.0f}\" y=\"{:.0f}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#333333\">事例 {}・教訓 {}</text></g>",
        x - 75, y - 23, x, y - 4, text::xml_escape(around[k]->name), x, y + 14, around[k]->cases, around[k]->lessons);
  }
  out += nodes;
  if (hub)
    out += fmt::format(
        "<g><ellipse cx=\"{0:.0f}\" cy=\"{1:.0f}\" rx=\"120\" ry=\"36\" fill=\"#1d4e89\"/>"
        "<text x=\"{0:.0f}\" y=\"{2:.0f}\" text-anchor=\"middle\" font-size=\"14\" fill=\"#ffffff\">{3}</text>"
        "<text x=\"{0:.0f}\" y=\"{4:.0f}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#ffffff\">事例 {5}・教訓 {6}</text></g>",
        cx, cy, cy - 3, text::xml_escape(hub->name), cy + 15, hub->cases, hub->lessons);
  out += "</svg>";
  return out;
}

std::vector<Link> staff_tabs(std::string_view current, bool curator) {
  std::vector<Link> tabs = {{"概要", "/knowledge", false},
                            {"事例", "/knowledge/cases", false},
                            {"教訓", "/knowledge/lessons", false},
                            {"ステークホルダー", "/knowledge/stakeholders", false},
                            {"取り込み", "/knowledge/import", false}};
  if (!curator) tabs.pop_back();
  for (auto& t : tabs) t.current = t.href == current;
  return tabs;
}

std::vector<Link> public_tabs(std::string_view current) {
  std::vector<Link> tabs = {{"事例集", "/cases", false},
                            {"ポイント集（教訓）", "/cases/lessons", false},
                            {"ステークホルダー", "/cases/stakeholders", false}};
  for (auto& t : tabs) t.current = t.href == current;
  return tabs;
}

}  // namespace kakehashi::web::knowweb
