#include "audit/labels.h"

#include <charconv>
#include <cstdint>
#include <utility>

#include <fmt/format.h>

namespace kakehashi::audit {
namespace {

// Terms as in docs/glossary.md. Keep sorted by module, then by action.
constexpr std::pair<std::string_view, std::string_view> kActions[] = {
    {"api_token.create", "API トークンの発行"},
    {"api_token.revoke", "API トークンの失効"},
    {"application.attach", "添付書類の追加"},
    {"application.attachment_read", "添付書類の閲覧"},
    {"application.create", "申請書の作成"},
    {"application.detach", "添付書類の削除"},
    {"application.export", "申請一覧の書き出し"},
    {"application.read", "申請書の閲覧"},
    {"application.reopen", "提出済み申請の差し戻し"},
    {"application.save", "申請書の保存"},
    {"application.submit", "申請書の提出"},
    {"audit.anchors_download", "チェックポイントのダウンロード"},
    {"audit.export", "監査ログの書き出し"},
    {"audit.verify", "監査ログの改ざん検証"},
    {"auth.login", "ログイン"},
    {"auth.login_failed", "ログイン失敗"},
    {"auth.login_locked", "ログインの拒否（ロック中）"},
    {"auth.logout", "ログアウト"},
    {"calendar.import", "祝日データの取り込み"},
    {"call.create", "公募の作成"},
    {"call.criterion_add", "審査項目の追加"},
    {"call.criterion_delete", "審査項目の削除"},
    {"call.document_add", "公募資料の掲載"},
    {"call.publicity_add", "広報・周知の記録"},
    {"call.publicity_delete", "広報・周知の記録の削除"},
    {"call.publish", "公募の公開"},
    {"call.update", "公募の設定変更"},
    {"effects.kpi_actual", "KPI 実績の記録"},
    {"effects.kpi_create", "KPI の登録"},
    {"effects.kpi_delete", "KPI の削除"},
    {"effects.kpi_update", "KPI の変更"},
    {"effects.survey_create", "アンケートの登録"},
    {"effects.survey_delete", "アンケートの削除"},
    {"effects.survey_mapping", "アンケートの列の対応付け"},
    {"effects.survey_run", "アンケートの分析"},
    {"effects.survey_upload", "アンケート回答のアップロード"},
    {"files.clean", "隠れた情報の除去（公開前チェック）"},
    // Information management (compliance, issue 21).
    {"compliance.change_approved", "名簿の変更の承認"},
    {"compliance.change_rejected", "名簿の変更の差し戻し"},
    {"compliance.change_requested", "名簿の変更の届出"},
    {"compliance.closeout", "事業終了時の情報の削除"},
    {"compliance.closeout_confirmed", "削除証明書の確認（経済産業省）"},
    {"compliance.evidence_added", "実施状況報告書への証跡の登録"},
    {"compliance.evidence_removed", "実施状況報告書からの証跡の削除"},
    {"compliance.gate_refused", "名簿にない人の保護情報へのアクセス拒否"},
    {"compliance.incident_closed", "インシデントの対応完了"},
    {"compliance.incident_recorded", "インシデントの記録（第一報）"},
    {"compliance.incident_reported", "インシデントの経過報告"},
    {"compliance.key_rotated", "名簿の暗号化鍵の交換"},
    {"compliance.package_recorded", "報告書パッケージの納品の記録"},
    {"compliance.personal_viewed", "名簿の個人情報の閲覧"},
    {"compliance.report_acknowledged", "実施状況報告書の受領（経済産業省）"},
    {"compliance.report_created", "実施状況報告書の作成"},
    {"compliance.report_returned", "実施状況報告書の差し戻し（経済産業省）"},
    {"compliance.report_saved", "実施状況報告書の保存"},
    {"compliance.report_submitted", "実施状況報告書の提出"},
    {"compliance.roster_exported", "名簿（様式4）の書き出し"},
    {"files.inspect", "公開前チェック"},
    // Meetings (issue 17).
    {"meeting.action_add", "アクションアイテムの追加"},
    {"meeting.action_closed", "アクションアイテムの完了"},
    {"meeting.action_noted", "アクションアイテムの経過の記録"},
    {"meeting.action_reopened", "アクションアイテムの再開"},
    {"meeting.agenda_add", "議題の追加"},
    {"meeting.agenda_remove", "議題の削除"},
    {"meeting.cancel", "会議の中止"},
    {"meeting.create", "会議の追加"},
    {"meeting.dates_recomputed", "祝日の変更による議事録提出期限の再計算"},
    {"meeting.decision_add", "決定事項の追加"},
    {"meeting.feed_reset", "会議カレンダー URL の発行"},
    {"meeting.material_add", "会議資料の登録"},
    {"meeting.materials_send", "会議資料の送付"},
    {"meeting.minutes_confirm", "議事録の確定"},
    {"meeting.minutes_escalate", "議事録の期限超過の通知"},
    {"meeting.minutes_return", "議事録の差し戻し"},
    {"meeting.minutes_save", "議事録の保存"},
    {"meeting.minutes_submit", "議事録の提出"},
    {"meeting.series_create", "会議シリーズの作成"},
    {"meeting.settings", "会議の設定変更"},
    {"meeting.update", "会議の変更"},
    {"knowledge.accept", "個人情報の指摘の了承"},
    {"knowledge.approve", "事例・教訓の承認"},
    {"knowledge.check", "事例・教訓の個人情報の確認"},
    {"knowledge.create", "事例・教訓の作成"},
    {"knowledge.import", "事例集の取り込み"},
    {"knowledge.photo_add", "事例の写真の追加"},
    {"knowledge.photo_remove", "事例の写真の削除"},
    {"knowledge.publish", "事例・教訓の公開"},
    {"knowledge.return", "事例・教訓の差し戻し"},
    {"knowledge.rework", "事例・教訓を下書きに戻す"},
    {"knowledge.stakeholder", "ステークホルダーの役割の変更"},
    {"knowledge.submit", "事例・教訓をレビューに回す"},
    {"knowledge.update", "事例・教訓の変更"},
    {"knowledge.upload", "事例集ファイルの読み込み"},
    {"knowledge.withdraw", "事例・教訓の公開停止"},
    // The report package (issue 25).
    {"package.build_started", "報告書パッケージの作成開始"},
    {"package.chapter_created", "報告書の章の追加"},
    {"package.chapter_moved", "報告書の章の並べ替え"},
    {"package.chapter_reviewed", "報告書の章の確認状態の変更"},
    {"package.chapter_saved", "報告書の章の保存"},
    {"package.delivered", "報告書パッケージの受領（納品済み）"},
    {"package.exception_accepted", "公開前検査の例外の記録"},
    {"package.exception_removed", "公開前検査の例外の取り消し"},
    {"package.chapter_deleted", "報告書の章の削除"},
    {"package.build_recovered", "止まった報告書パッケージの作成の中断"},
    {"package.final_report_submitted", "成果報告書の提出"},
    {"package.final_report_consent", "成果報告書の公開への同意の変更"},
    {"package.final_report_reviewed", "成果報告書の確認（受理・差し戻し）"},
    {"package.final_report_reminded", "成果報告書の提出期限のリマインド"},
    {"package.final_report_due_set", "成果報告書の提出期限の変更"},
    // Events (issue 18).
    {"event.cancel", "イベント申込みのキャンセル"},
    {"event.checkin", "イベントの受付（出席）"},
    {"event.cost_add", "イベント費用の記録"},
    {"event.create", "イベントの作成"},
    {"event.match_answer", "面談申込みへの回答"},
    {"event.match_grid", "面談の時間枠・テーブルの設定"},
    {"event.match_lock", "面談の固定"},
    {"event.match_profile", "マッチングの登録内容の変更"},
    {"event.match_publish", "面談スケジュールの公開"},
    {"event.match_request", "面談の申込み"},
    {"event.match_run", "面談スケジュールの作成"},
    {"event.offer", "空席の繰り上げ案内"},
    {"event.offer_accept", "繰り上げ案内の確定"},
    {"event.offer_expire", "繰り上げ案内の期限切れ"},
    {"event.register", "イベントへの参加申込み"},
    {"event.register_again", "イベントへの重複申込み"},
    {"event.session_add", "プログラムの追加"},
    {"event.session_delete", "プログラムの削除"},
    {"event.update", "イベントの変更"},
    {"event.walk_in", "イベントの当日参加"},
    {"operation.budget_plan", "月別予算計画の保存"},
    {"operation.expense", "経費の記録"},
    {"operation.expense_delete", "経費の削除"},
    {"operation.expense_update", "経費の変更"},
    {"operation.import_confirm", "活動リストの取り込み確定"},
    {"operation.import_decide", "取り込みのまとめ方の判断"},
    {"operation.import_discard", "取り込みの破棄"},
    {"operation.import_mapping", "取り込みの列の対応付け"},
    {"operation.import_stage", "活動リストのアップロード"},
    {"operation.mentoring", "メンタリングの登録"},
    {"operation.mentoring_session", "メンタリングの実施記録"},
    {"operation.mentoring_update", "メンタリングの変更"},
    {"operation.milestone_create", "マイルストーンの追加"},
    {"operation.milestone_evidence", "根拠資料の追加"},
    {"operation.milestone_evidence_delete", "根拠資料の削除"},
    {"operation.milestone_review", "マイルストーンの確認"},
    {"operation.milestone_update", "マイルストーンの変更"},
    {"operation.next_step_done", "次のアクションの完了"},
    {"operation.project_create", "プロジェクトの登録"},
    {"operation.project_delete", "プロジェクトの削除"},
    {"operation.project_update", "プロジェクトの変更"},
    {"operation.staff", "スタッフの追加"},
    {"operation.staff_active", "スタッフの在籍の変更"},
    {"operation.staff_update", "スタッフの変更"},
    {"operation.support_log", "伴走支援の記録"},
    {"operation.support_log_update", "伴走支援の記録の変更"},
    {"operations.settings", "事業運営の設定変更"},
    {"operator.create", "実証事業者の登録"},
    {"operator.plan", "最終目標の変更"},
    {"operator.update", "契約情報の変更"},
    {"organisation.create", "組織の追加"},
    {"results.export", "採点表の書き出し"},
    {"results.summary", "結果概要の作成"},
    {"review.assign", "審査委員の割り当て"},
    {"review.auto_assign", "審査委員の自動割り当て"},
    {"review.deadline_reminder", "審査期限前の督促"},
    {"review.declare", "利害関係の申告"},
    {"review.expertise", "専門分野の登録"},
    {"review.remind", "審査の督促"},
    {"review.save", "審査の一時保存"},
    {"review.submit", "審査の提出"},
    {"review.unassign", "割り当ての解除"},
    {"selection.approve", "委員会の決定の承認"},
    {"selection.publish", "結果の公表"},
    {"selection.record", "委員会の決定の記録"},
    {"selection.return", "委員会の決定の差し戻し"},
    {"user.create", "ユーザーの追加"},
    {"user.date_style", "日付の表示方法の変更"},
    {"user.signup", "事業者アカウントの作成"},
};

constexpr ObjectKind kKinds[] = {
    {"call", "公募", true},
    {"application", "申請", true},
    {"user", "ユーザー", true},
    {"organisation", "組織", true},
    {"sha256", "ファイル", true},
    {"account", "アカウント", true},
    {"audit_log", "監査ログ", false},
    {"audit_anchors", "監査ログのチェックポイント", false},
    {"holiday_overrides", "祝日データ", false},
    {"operator", "実証事業者", true},
    {"milestone", "マイルストーン", true},
    {"project", "プロジェクト", true},
    {"activity_import", "活動リストの取り込み", true},
    {"support_log", "伴走支援の記録", true},
    {"mentoring", "メンタリング", true},
    {"expense", "経費", true},
    {"budget_plan", "予算計画", true},
    {"staff", "スタッフ", true},
    {"api_token", "API トークン", true},
    {"event", "イベント", true},
    {"operations_settings", "事業運営の設定", false},
    {"meeting", "会議", true},
    {"meeting_series", "会議シリーズ", true},
    {"meeting_action", "アクションアイテム", true},
    {"meeting_settings", "会議の設定", false},
};

}  // namespace

std::string action_label(std::string_view action) {
  for (const auto& [id, label] : kActions) {
    if (id == action) return std::string(label);
  }
  return std::string(action);
}

std::span<const ObjectKind> object_kinds() { return kKinds; }

const ObjectKind* find_object_kind(std::string_view id) {
  for (const auto& kind : kKinds) {
    if (kind.id == id) return &kind;
  }
  return nullptr;
}

std::optional<std::int64_t> user_id_of(std::string_view text) {
  if (!text.starts_with("user:")) return std::nullopt;
  std::string_view digits = text.substr(5);
  std::int64_t id = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (error != std::errc{} || end != digits.data() + digits.size() || digits.empty() || id <= 0) return std::nullopt;
  return id;
}

std::string object_label(std::string_view object, const std::optional<std::string>& user_name) {
  if (user_name && user_id_of(object)) return *user_name;
  size_t colon = object.find(':');
  const ObjectKind* kind = find_object_kind(object.substr(0, colon));
  if (!kind) return std::string(object);
  if (colon == std::string_view::npos) return std::string(kind->label);
  std::string_view rest = object.substr(colon + 1);
  if (kind->id == "sha256") return fmt::format("ファイル（SHA-256 {}…）", rest.substr(0, 12));
  if (kind->id == "account" && rest == "unknown") return "登録のないアカウント";
  return fmt::format("{} #{}", kind->label, rest);
}

}  // namespace kakehashi::audit
