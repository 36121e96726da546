#include "package/model.h"

namespace kakehashi::package {

std::string_view to_string(ChapterKind kind) { return kind == ChapterKind::kWritten ? "written" : "generated"; }

std::string_view to_string(ReviewStatus status) {
  switch (status) {
    case ReviewStatus::kDraft: return "draft";
    case ReviewStatus::kInReview: return "in_review";
    case ReviewStatus::kApproved: return "approved";
  }
  return "draft";
}

std::string_view review_status_label(ReviewStatus status) {
  switch (status) {
    case ReviewStatus::kDraft: return "下書き";
    case ReviewStatus::kInReview: return "確認中";
    case ReviewStatus::kApproved: return "確認済み";
  }
  return "下書き";
}

std::optional<ReviewStatus> review_status_from(std::string_view id) {
  for (auto s : {ReviewStatus::kDraft, ReviewStatus::kInReview, ReviewStatus::kApproved})
    if (to_string(s) == id) return s;
  return std::nullopt;
}

std::string_view generator_label(std::string_view source) {
  if (source == "call") return "公募・採択（自動作成）";
  if (source == "operations") return "実証事業者・マイルストーン（自動作成）";
  if (source == "projects") return "プロジェクト・件数（自動作成）";
  if (source == "events") return "イベント・マッチング（自動作成）";
  if (source == "effects") return "効果検証（自動作成）";
  if (source == "knowledge") return "事例集・ポイント集（自動作成）";
  if (source == "final_reports") return "成果報告書の概要（自動作成）";
  return "自動作成";
}

std::string_view to_string(BuildStatus status) {
  switch (status) {
    case BuildStatus::kRunning: return "running";
    case BuildStatus::kFailed: return "failed";
    case BuildStatus::kBuilt: return "built";
    case BuildStatus::kDelivered: return "delivered";
  }
  return "running";
}

std::string_view build_status_label(BuildStatus status) {
  switch (status) {
    case BuildStatus::kRunning: return "作成中";
    case BuildStatus::kFailed: return "失敗";
    case BuildStatus::kBuilt: return "作成済み";
    case BuildStatus::kDelivered: return "納品済み";
  }
  return "作成中";
}

std::optional<BuildStatus> build_status_from(std::string_view id) {
  for (auto s : {BuildStatus::kRunning, BuildStatus::kFailed, BuildStatus::kBuilt, BuildStatus::kDelivered})
    if (to_string(s) == id) return s;
  return std::nullopt;
}

std::string_view to_string(FinalReportStatus status) {
  switch (status) {
    case FinalReportStatus::kNotSubmitted: return "not_submitted";
    case FinalReportStatus::kSubmitted: return "submitted";
    case FinalReportStatus::kReturned: return "returned";
    case FinalReportStatus::kAccepted: return "accepted";
  }
  return "not_submitted";
}

std::string_view final_report_status_label(FinalReportStatus status) {
  switch (status) {
    case FinalReportStatus::kNotSubmitted: return "未提出";
    case FinalReportStatus::kSubmitted: return "確認待ち";
    case FinalReportStatus::kReturned: return "差し戻し";
    case FinalReportStatus::kAccepted: return "受理";
  }
  return "未提出";
}

}  // namespace kakehashi::package
