// Operators' final reports (成果報告書, issue 25): the list (each reader's reach), one operator's
// report with its versions, the operator's upload (inspected) and consent, the secretariat's
// review and due date, the XLSX of the list, the home's to-dos and the reminders' periodic task.
#include <fmt/format.h>

#include <map>

#include "auth/policy.h"
#include "base/date.h"
#include "base/text.h"
#include "docs/figures.h"
#include "geo/geo.h"
#include "package/final_reports.h"
#include "web/content_disposition.h"
#include "web/handlers/call/common.h"
#include "web/handlers/handlers.h"
#include "web/handlers/package/views.h"

namespace kakehashi::web {
namespace packageweb {
namespace {

using auth::Action;

std::string when(const std::optional<std::string>& iso) {
  if (!iso) return "—";
  auto at = parse_iso_utc(*iso);
  return at ? tokyo_datetime_japanese(*at) : *iso;
}

std::string blocks_of(const package::FinalReport& r) {
  std::string out;
  for (const auto& id : r.block_ids) {
    const auto* block = geo::find_block(id);
    out += (out.empty() ? "" : "・") + (block ? std::string(block->name) : id);
  }
  return out;
}

std::string status_class(package::FinalReportStatus s) {
  switch (s) {
    case package::FinalReportStatus::kNotSubmitted: return "draft";
    case package::FinalReportStatus::kSubmitted: return "upcoming";
    case package::FinalReportStatus::kReturned: return "warning";
    case package::FinalReportStatus::kAccepted: return "open";
  }
  return "draft";
}

std::string consent_label(const package::FinalReport& r) {
  if (r.status == package::FinalReportStatus::kNotSubmitted) return "—";
  return r.consent ? "同意あり" : "同意なし";
}

std::string report_href(std::int64_t operator_id) { return fmt::format("/package/final-reports/{}", operator_id); }

Response list_page(Application& app, Request& request, std::optional<std::string> error, http::status status) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  const auto& who = *request.principal;
  auto reports = package::list_final_reports(**tx, who);
  if (!reports) return app.error_response(request, reports.error());
  auto due = package::final_report_due(**tx, app.clock().now());
  if (!due) return app.error_response(request, due.error());
  auto is_default = package::final_report_due_is_default(**tx);
  if (!is_default) return app.error_response(request, is_default.error());
  FinalReportsView view;
  view.due = due->japanese();
  view.due_iso = *is_default ? "" : due->iso();
  view.due_default = *is_default;
  view.can_review = auth::allowed(who, Action::kReviewFinalReports);
  view.error = std::move(error);
  std::map<package::FinalReportStatus, int> counts;
  for (const auto& r : *reports) {
    ++counts[r.status];
    view.rows.push_back({report_href(r.operator_id), r.operator_name, blocks_of(r),
                         std::string(package::final_report_status_label(r.status)), status_class(r.status),
                         r.version > 0 ? fmt::format("第{}版", r.version) : "—", when(r.submitted_at), consent_label(r)});
  }
  view.counts = fmt::format("受理 {}・確認待ち {}・差し戻し {}・未提出 {}", counts[package::FinalReportStatus::kAccepted],
                            counts[package::FinalReportStatus::kSubmitted], counts[package::FinalReportStatus::kReturned],
                            counts[package::FinalReportStatus::kNotSubmitted]);
  return app.page(request, "成果報告書", "package/final_reports", view, {{"ホーム", "/"}, {"成果報告書", ""}},
                  "/package/final-reports", status);
}

Response list(Application& app, Request& request) { return list_page(app, request, std::nullopt, http::status::ok); }

Response list_xlsx(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto reports = package::list_final_reports(**tx, *request.principal);
  if (!reports) return app.error_response(request, reports.error());
  auto label = [](std::string t) { return docs::DataCell{std::move(t), 0, false}; };
  docs::DataTable table{{"実証事業者", "ブロック", "状態", "版", "提出日時（日本時間）", "公開の同意", "確認日時（日本時間）", "概要の文字数"}, {}};
  for (const auto& r : *reports) {
    const std::size_t chars = text::count_code_points(r.summary);
    table.rows.push_back({label(r.operator_name), label(blocks_of(r)), label(std::string(package::final_report_status_label(r.status))),
                          docs::DataCell{std::to_string(r.version), double(r.version), true}, label(when(r.submitted_at)),
                          label(consent_label(r)), label(when(r.reviewed_at)),
                          docs::DataCell{std::to_string(chars), double(chars), true}});
  }
  return callweb::xlsx_download(app, request, "成果報告書の一覧", std::move(table), "成果報告書の一覧.xlsx");
}

struct Typed {
  std::string summary;
  bool consent = false;
  std::vector<std::string> errors;
  std::string comment;
  std::optional<std::string> review_error;
};

Response report_page(Application& app, Request& request, std::optional<Typed> typed, http::status status) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  const auto& who = *request.principal;
  auto r = package::find_final_report(**tx, who, *id);
  if (!r) return app.error_response(request, r.error());
  if (!*r) return app.error(request, http::status::not_found);
  auto may_submit = package::may_submit_final_report(**tx, who, *id);
  if (!may_submit) return app.error_response(request, may_submit.error());
  auto due = package::final_report_due(**tx, app.clock().now());
  if (!due) return app.error_response(request, due.error());
  const auto& report = **r;
  FinalReportView view;
  view.operator_id = report.operator_id;
  view.operator_name = report.operator_name;
  view.blocks = blocks_of(report);
  view.status = std::string(package::final_report_status_label(report.status));
  view.status_class = status_class(report.status);
  view.due = due->japanese();
  view.submitted_once = report.status != package::FinalReportStatus::kNotSubmitted;
  if (view.submitted_once) view.summary = report.summary;
  view.consented = report.consent;
  view.consent = report.consent ? fmt::format("同意あり（{}）", when(report.consent_at)) : "同意なし";
  // After a new version, the last review belongs to the version before.
  const bool awaiting = report.status == package::FinalReportStatus::kSubmitted;
  if (!report.review_comment.empty()) view.review_comment = report.review_comment;
  view.comment_heading = awaiting ? "前回の確認でのコメント" : "事務局からのコメント";
  if (report.reviewed_at && !awaiting) view.reviewed = when(report.reviewed_at);
  for (const auto& f : report.files)
    view.files.push_back({fmt::format("/package/final-reports/{}/files/{}", report.operator_id, f.version),
                          fmt::format("第{}版", f.version), f.file_name, when(f.uploaded_at),
                          f.size >= 1024 * 1024 ? fmt::format("{:.1f} MB", double(f.size) / 1024 / 1024)
                                                : fmt::format("{} KB", (f.size + 1023) / 1024),
                          f.publication.empty() ? std::nullopt : std::optional<std::string>{f.publication}});
  view.accepted = report.status == package::FinalReportStatus::kAccepted;
  view.can_submit = *may_submit && !view.accepted;
  view.can_consent = *may_submit && view.submitted_once;
  view.can_review = report.status == package::FinalReportStatus::kSubmitted && auth::allowed(who, Action::kReviewFinalReports);
  view.summary_max = std::to_string(package::kFinalReportSummaryMax);
  if (typed) {
    view.typed_summary = typed->summary;
    view.typed_consent = typed->consent;
    view.has_errors = !typed->errors.empty();
    view.errors = typed->errors;
    view.typed_comment = typed->comment;
    view.review_error = typed->review_error;
  } else {
    view.typed_summary = report.summary;
    view.typed_consent = report.consent;
  }
  std::string title = "成果報告書（" + report.operator_name + "）";
  return app.page(request, title, "package/final_report", view,
                  {{"ホーム", "/"}, {"成果報告書", "/package/final-reports"}, {report.operator_name, ""}}, "/package/final-reports",
                  status);
}

Response show(Application& app, Request& request) { return report_page(app, request, std::nullopt, http::status::ok); }

Response submit(Application& app, Request& request) {
  UploadedFiles uploads(request);
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  const auto& who = *request.principal;
  // Scope first (404) before any inspection.
  {
    auto tx = app.database().begin(db::TxMode::kRead);
    if (!tx) return app.error_response(request, tx.error());
    auto may = package::may_submit_final_report(**tx, who, *id);
    if (!may) return app.error_response(request, may.error());
    if (!*may) return app.error(request, http::status::not_found);
  }
  Typed typed{request.field("summary"), request.field("consent") == "1", {}, "", std::nullopt};
  for (const auto& e : package::validate_final_report(typed.summary)) typed.errors.push_back(e.message);
  std::optional<package::InspectedReport> inspected;
  const QuarantinedFile* file = uploads.file();
  static constexpr std::string_view kAccepted[] = {".docx", ".pdf"};
  if (!file) {
    typed.errors.insert(typed.errors.begin(), "成果報告書のファイル（Word .docx または PDF）を選んでください。");
  } else if (auto path = uploads.with_extension(*file, kAccepted); !path) {
    typed.errors.insert(typed.errors.begin(), "成果報告書として提出できるのは Word（.docx）と PDF のファイルです。");
  } else if (typed.errors.empty()) {
    auto slot = app.admit(request, WorkKind::kInspection);
    if (!slot) return app.busy(request, WorkKind::kInspection);
    auto r = package::inspect_final_report(*path, file->original_name, file->sha256);
    if (!r) {
      if (!callweb::is_refusal(r.error())) return app.error_response(request, r.error());
      typed.errors.insert(typed.errors.begin(), r.error().message);
    } else {
      inspected = std::move(*r);
    }
  }
  if (!typed.errors.empty()) return report_page(app, request, std::move(typed), http::status::unprocessable_entity);
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto version = package::submit_final_report(**tx, who, *id, *inspected, typed.summary, typed.consent, app.clock().now());
  if (!version) {
    if (!callweb::is_refusal(version.error())) return app.error_response(request, version.error());
    tx->reset();
    typed.errors.push_back(version.error().message);
    return report_page(app, request, std::move(typed), http::status::unprocessable_entity);
  }
  if (auto r = (*tx)->commit(); !r) return app.error_response(request, r.error());
  return app.redirect_with_notice(request, report_href(*id),
                                  fmt::format("成果報告書（第{}版）を提出しました。事務局の確認をお待ちください。", *version));
}

Response consent(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  bool yes = request.field("consent") == "1";
  if (auto r = package::set_final_report_consent(**tx, *request.principal, *id, yes, app.clock().now()); !r) {
    if (r.error().code != ErrorCode::kInvalidArgument) return app.error_response(request, r.error());
    tx->reset();
    return app.redirect_with_notice(request, report_href(*id), r.error().message, "error");
  }
  if (auto r = (*tx)->commit(); !r) return app.error_response(request, r.error());
  return app.redirect_with_notice(request, report_href(*id), yes ? "公開への同意を記録しました。" : "公開への同意を取り消しました。");
}

Response review(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  std::string decision = request.field("decision");
  if (decision != "accept" && decision != "return")
    return report_page(app, request, Typed{"", false, {}, request.field("comment"), "受理するか差し戻すかを選んでください。"},
                       http::status::unprocessable_entity);
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto r = package::review_final_report(**tx, *request.principal, *id,
                                        decision == "accept" ? package::FinalReportDecision::kAccept
                                                             : package::FinalReportDecision::kReturn,
                                        request.field("comment"), app.clock().now());
  if (!r) {
    if (r.error().code != ErrorCode::kInvalidArgument) return app.error_response(request, r.error());
    tx->reset();
    return report_page(app, request, Typed{"", false, {}, request.field("comment"), r.error().message},
                       http::status::unprocessable_entity);
  }
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return app.redirect_with_notice(request, report_href(*id),
                                  decision == "accept" ? "成果報告書を受理しました。実証事業者に通知しました。"
                                                       : "成果報告書を差し戻しました。実証事業者に通知しました。");
}

Response download(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  auto version = callweb::id_param(request, "version");
  if (!id || !version) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto file = package::final_report_file(**tx, *request.principal, *id, int(std::min<std::int64_t>(*version, 1'000'000)));
  if (!file) return app.error_response(request, file.error());
  if (!*file) return app.error(request, http::status::not_found);
  Response response;
  response.content_type = (*file)->content_type;
  response.body = std::move((*file)->content);
  response.with_header("Content-Disposition", content_disposition((*file)->file_name));
  return response;
}

Response set_due(Application& app, Request& request) {
  std::string text(text::trim(request.field("due")));
  std::optional<Date> due;
  if (!text.empty()) {
    auto parsed = Date::parse(text);
    if (!parsed) return list_page(app, request, parsed.error().message, http::status::unprocessable_entity);
    due = *parsed;
  }
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  if (auto r = package::set_final_report_due(**tx, *request.principal, due, app.clock().now()); !r) {
    if (r.error().code != ErrorCode::kInvalidArgument) return app.error_response(request, r.error());
    tx->reset();
    return list_page(app, request, r.error().message, http::status::unprocessable_entity);
  }
  if (auto r = (*tx)->commit(); !r) return app.error_response(request, r.error());
  return app.redirect_with_notice(request, "/package/final-reports", "提出期限を保存しました。");
}

// The home's to-dos: the operator's report due (not submitted, or returned); the secretariat's
// reports awaiting review. One read of the reports within the reader's reach.
Result<std::vector<HomeTask>> final_report_tasks(db::Transaction& tx, const auth::Principal& who, std::chrono::sys_seconds now) {
  std::vector<HomeTask> out;
  const bool operator_side = who.has(auth::Role::kOperator) && auth::may(who, Action::kSubmitFinalReport);
  const bool secretariat = auth::allowed(who, Action::kReviewFinalReports);
  if (!operator_side && !secretariat) return out;
  auto reports = package::list_final_reports(tx, who);
  if (!reports) return fail(reports.error());
  if (reports->empty()) return out;
  auto due = package::final_report_due(tx, now);
  if (!due) return fail(due.error());
  // Due at 17:00 Japan time on the due date.
  auto due_at = std::chrono::sys_seconds{due->sys_days()} + std::chrono::hours{17} - kJapanOffset;
  const int left = due->days_since(tokyo_date(now));
  if (operator_side && !secretariat) {
    for (const auto& r : *reports) {
      if (r.status == package::FinalReportStatus::kNotSubmitted)
        out.push_back({.section = "operator", .text = "成果報告書（Word または PDF）と概要を提出してください",
                       .href = report_href(r.operator_id), .due = due_at, .urgent = left <= 3});
      else if (r.status == package::FinalReportStatus::kReturned)
        out.push_back({.section = "operator", .text = "差し戻された成果報告書を直して、もう一度提出してください",
                       .href = report_href(r.operator_id), .due = due_at, .urgent = true});
    }
  }
  if (secretariat) {
    int waiting = 0;
    for (const auto& r : *reports) waiting += r.status == package::FinalReportStatus::kSubmitted ? 1 : 0;
    if (waiting > 0)
      out.push_back({.section = "secretariat", .text = fmt::format("成果報告書 {} 件が確認を待っています", waiting),
                     .href = std::string("/package/final-reports")});
  }
  return out;
}

}  // namespace
}  // namespace packageweb

void register_final_report_routes(Application& app) {
  using namespace packageweb;
  const RouteOptions view{.required = Action::kViewFinalReports};
  const RouteOptions review_form{.required = Action::kReviewFinalReports, .body = BodyKind::kForm};
  app.add_nav_item({"成果報告書", "/package/final-reports", Action::kViewFinalReports});
  app.get("/package/final-reports", view, list);
  app.get("/package/final-reports.xlsx", view, list_xlsx);
  app.post("/package/final-reports/due", review_form, set_due);
  app.get("/package/final-reports/{id}", view, show);
  app.post("/package/final-reports/{id}",
           {.required = Action::kSubmitFinalReport,
            .body = BodyKind::kMultipart,
            .body_limit = std::size_t(package::kFinalReportFileLimit) + 64 * 1024},
           submit);
  app.post("/package/final-reports/{id}/consent", {.required = Action::kSubmitFinalReport, .body = BodyKind::kForm}, consent);
  app.post("/package/final-reports/{id}/review", review_form, review);
  app.get("/package/final-reports/{id}/files/{version}", view, download);
  app.add_home_tasks(final_report_tasks);
  app.add_periodic("package.final_report_reminders", std::chrono::minutes(1), [&app]() -> Result<void> {
    auto sent = app.database().transact<int>(db::TxMode::kWrite, [&](db::Transaction& tx) {
      return package::remind_final_reports(tx, app.clock().now());
    });
    if (!sent) return fail(sent.error());
    return {};
  });
}

}  // namespace kakehashi::web
