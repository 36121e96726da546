#include "compliance/diagram.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace kakehashi::compliance {
namespace {

std::string xml(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

struct Box {
  std::string heading;
  std::vector<std::string> lines;
  double x = 0, y = 0, width = 0, height = 0;
};

constexpr double kLine = 20, kPad = 10, kBoxWidth = 230, kGap = 30, kRowGap = 50;

std::string label_of(const Person& p) {
  std::string text = p.name;
  std::string where = p.department + (p.title.empty() ? "" : (p.department.empty() ? "" : " ") + p.title);
  if (!where.empty()) text += "（" + where + "）";
  return text;
}

void size(Box& box) { box.height = kPad * 2 + kLine * double(1 + std::max<std::size_t>(1, box.lines.size())); }

std::string draw(const Box& box) {
  std::string out = fmt::format(
      R"(<g><rect x="{:.0f}" y="{:.0f}" width="{:.0f}" height="{:.0f}" rx="6" fill="#ffffff" stroke="#1a1a1c" stroke-width="1.5"/>)",
      box.x, box.y, box.width, box.height);
  out += fmt::format(R"(<text x="{:.0f}" y="{:.0f}" font-weight="bold">{}</text>)", box.x + kPad, box.y + kPad + 14,
                     xml(box.heading));
  double y = box.y + kPad + 14 + kLine;
  if (box.lines.empty()) out += fmt::format(R"(<text x="{:.0f}" y="{:.0f}">（なし）</text>)", box.x + kPad, y);
  for (const auto& line : box.lines) {
    out += fmt::format(R"(<text x="{:.0f}" y="{:.0f}">{}</text>)", box.x + kPad, y, xml(line));
    y += kLine;
  }
  return out + "</g>";
}

std::string connect(const Box& from, const Box& to) {
  double x1 = from.x + from.width / 2, y1 = from.y + from.height, x2 = to.x + to.width / 2, y2 = to.y;
  double mid = (y1 + y2) / 2;
  return fmt::format(R"(<path d="M{:.0f} {:.0f} V{:.0f} H{:.0f} V{:.0f}" fill="none" stroke="#1a1a1c" stroke-width="1.5"/>)",
                     x1, y1, mid, x2, y2);
}

}  // namespace

std::string structure_svg(const std::vector<Person>& approved) {
  Box responsible{"情報管理責任者", {}}, managers{"情報取扱管理者", {}}, staff{"業務従事者", {}};
  std::map<std::string, Box> subcontractors;
  std::string contractor;
  for (const Person& p : approved) {
    if (!p.active) continue;
    switch (p.category) {
      case Category::kResponsible: responsible.lines.push_back(label_of(p)); break;
      case Category::kManager: managers.lines.push_back(label_of(p)); break;
      case Category::kStaff: staff.lines.push_back(label_of(p)); break;
      case Category::kSubcontractor: {
        Box& box = subcontractors[p.organisation];
        box.heading = "再委託先: " + p.organisation;
        box.lines.push_back(label_of(p));
        break;
      }
    }
    if (p.category != Category::kSubcontractor && contractor.empty()) contractor = p.organisation;
  }
  std::vector<Box*> bottom{&staff};
  for (auto& [name, box] : subcontractors) bottom.push_back(&box);
  for (Box* box : {&responsible, &managers}) box->width = kBoxWidth + 60;
  for (Box* box : bottom) box->width = kBoxWidth;
  for (Box* box : {&responsible, &managers, &staff}) size(*box);
  for (auto& [name, box] : subcontractors) size(box);
  double total = 0;
  for (Box* box : bottom) total += box->width;
  total += kGap * double(bottom.size() - 1);
  double width = std::max(total, responsible.width) + 40;
  double top = 60;
  responsible.x = (width - responsible.width) / 2;
  responsible.y = top;
  managers.x = (width - managers.width) / 2;
  managers.y = responsible.y + responsible.height + kRowGap;
  double x = (width - total) / 2, y = managers.y + managers.height + kRowGap, tallest = 0;
  for (Box* box : bottom) {
    box->x = x;
    box->y = y;
    x += box->width + kGap;
    tallest = std::max(tallest, box->height);
  }
  double height = y + tallest + 30;
  std::string title = contractor.empty() ? "情報管理体制図" : "情報管理体制図（" + contractor + "）";
  std::string out = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {:.0f} {:.0f}" width="{:.0f}" height="{:.0f}" role="img" aria-labelledby="structure-title" font-family="IPAexGothic, sans-serif" font-size="14" fill="#1a1a1c">)",
      width, height, width, height);
  out += fmt::format(R"(<title id="structure-title">{}</title>)", xml(title));
  out += fmt::format(R"(<text x="20" y="32" font-size="18" font-weight="bold">{}</text>)", xml(title));
  out += connect(responsible, managers);
  for (Box* box : bottom) out += connect(managers, *box);
  out += draw(responsible) + draw(managers);
  for (Box* box : bottom) out += draw(*box);
  return out + "</svg>";
}

}  // namespace kakehashi::compliance
