// What the events module draws: QR codes (SVG, from libqrencode's modules) and its PDFs (name
// badges, personal agendas, the table plan), drawn with cairo and Pango in IPAexGothic and
// passed through the document engine's finish_pdf (deterministic metadata).
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "events/model.h"

namespace kakehashi::events {

// The QR code of `text` (error correction M) as dark modules: size × size booleans, row-major.
struct QrMatrix {
  int size = 0;
  std::vector<bool> dark;
};
[[nodiscard]] Result<QrMatrix> qr_matrix(const std::string& text);
// An <svg> element (no XML declaration) of the code with a 4-module quiet zone, `pixels` wide,
// role="img" with `label` as its accessible name.
[[nodiscard]] Result<std::string> qr_svg(const std::string& text, int pixels, const std::string& label);

struct Badge {
  std::string name;
  std::string organisation;
  std::string kind;     // 企業 / 学校 …
  std::string receipt;  // printed and in the QR code
};
// A4 portrait, 10 badges a page (2 × 5, 91 × 55 mm), each with the event title, the name, the
// organisation, the kind and the QR code of the receipt number.
[[nodiscard]] Result<std::string> badges_pdf(const Event& event, const std::vector<Badge>& badges);

struct AgendaLine {
  std::string time;  // "13:00–13:20"
  int table = 0;
  std::string partner;  // organisation
  std::string partner_kind;
};
// One A4 page: the event, the person, their meetings in time order.
[[nodiscard]] Result<std::string> agenda_pdf(const Event& event, const std::string& person,
                                             const std::vector<AgendaLine>& lines);

struct PlanSlot {
  std::string time;
  std::vector<std::pair<int, std::string>> tables;  // table number, "A社 × B校"
};
// The venue's table plan: one A4 page per slot listing each table's pair.
[[nodiscard]] Result<std::string> table_plan_pdf(const Event& event, const std::vector<PlanSlot>& slots);

}  // namespace kakehashi::events
