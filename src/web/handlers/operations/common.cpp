#include "web/handlers/operations/common.h"

#include <fmt/format.h>

#include <charconv>

#include "geo/geo.h"

namespace kakehashi::web::opsweb {

std::vector<OperatorTab> operator_tabs(const Request& request, std::int64_t operator_id, std::string_view current) {
  struct Entry {
    std::string_view id;
    std::string_view label;
    std::string_view suffix;
    auth::Action action;
  };
  static constexpr Entry kEntries[] = {
      {"overview", "概要", "", auth::Action::kViewOperations},
      {"milestones", "マイルストーン", "/milestones", auth::Action::kViewOperations},
      {"projects", "プロジェクト", "/projects", auth::Action::kViewOperations},
      {"support", "伴走支援", "/support", auth::Action::kViewSupport},
  };
  std::vector<OperatorTab> tabs;
  for (const Entry& e : kEntries) {
    if (!request.principal || !auth::may(*request.principal, e.action)) continue;
    tabs.push_back({std::string(e.label), fmt::format("/operations/operators/{}{}", operator_id, e.suffix), e.id == current});
  }
  return tabs;
}

Result<std::optional<operations::Operator>> load_operator(db::Transaction& tx, const Request& request, const char* name) {
  if (!request.principal) return std::optional<operations::Operator>{};
  auto found = request.params.find(name);
  if (found == request.params.end()) return std::optional<operations::Operator>{};
  std::string_view text = found->second;
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || end != text.data() + text.size() || id <= 0) return std::optional<operations::Operator>{};
  return operations::find_operator(tx, *request.principal, id);
}

std::vector<FormError> form_errors(const std::vector<operations::FieldError>& errors) {
  std::vector<FormError> out;
  for (const auto& e : errors) out.push_back({e.field, e.message});
  return out;
}

std::optional<std::string> error_of(const std::vector<operations::FieldError>& errors, std::string_view field) {
  std::string out;
  for (const auto& e : errors) {
    if (e.field != field) continue;
    if (!out.empty()) out += "／";
    out += e.message;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::string blocks_label(const operations::Operator& op) {
  std::string out;
  for (const auto& b : op.blocks) {
    if (!out.empty()) out += "・";
    out += geo::block_label(b.block_id);
  }
  return out;
}

std::vector<Breadcrumb> operator_crumbs(const operations::Operator& op, const std::string& page) {
  std::vector<Breadcrumb> crumbs = {{"事業運営", "/operations"},
                                    {"実証事業者", "/operations/operators"},
                                    {op.name, page.empty() ? "" : fmt::format("/operations/operators/{}", op.id)}};
  if (!page.empty()) crumbs.push_back({page, ""});
  return crumbs;
}

}  // namespace kakehashi::web::opsweb
