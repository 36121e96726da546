#include "compliance/model.h"

namespace kakehashi::compliance {

std::optional<Category> category_from_id(std::string_view id) {
  for (const auto& info : kCategories) {
    if (info.id == id) return info.category;
  }
  return std::nullopt;
}
std::string_view category_id(Category category) { return kCategories[static_cast<int>(category)].id; }
std::string_view category_label(Category category) { return kCategories[static_cast<int>(category)].label; }

std::string_view change_kind_id(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kAdd: return "add";
    case ChangeKind::kUpdate: return "update";
    case ChangeKind::kRemove: return "remove";
  }
  return "";
}
std::string_view change_kind_label(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kAdd: return "追加";
    case ChangeKind::kUpdate: return "変更";
    case ChangeKind::kRemove: return "削除";
  }
  return "";
}
std::optional<ChangeKind> change_kind_from_id(std::string_view id) {
  for (ChangeKind k : {ChangeKind::kAdd, ChangeKind::kUpdate, ChangeKind::kRemove}) {
    if (change_kind_id(k) == id) return k;
  }
  return std::nullopt;
}
std::string_view change_status_id(ChangeStatus status) {
  switch (status) {
    case ChangeStatus::kPending: return "pending";
    case ChangeStatus::kApproved: return "approved";
    case ChangeStatus::kRejected: return "rejected";
  }
  return "";
}
std::string_view change_status_label(ChangeStatus status) {
  switch (status) {
    case ChangeStatus::kPending: return "承認待ち";
    case ChangeStatus::kApproved: return "承認済み";
    case ChangeStatus::kRejected: return "差し戻し";
  }
  return "";
}

}  // namespace kakehashi::compliance
