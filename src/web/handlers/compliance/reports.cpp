// Screens of the half-yearly compliance report (issue 21, R8.1; 別紙): the list of reports per
// half-year, the report with items 2)–17) (status, what was done or why not, evidence), saving
// and submitting to METI, METI's acknowledgement or return, the PDF and XLSX, and the evidence
// files (inspected on upload; protected information: they may carry anything).
#include <fmt/format.h>

#include <filesystem>

#include "auth/policy.h"
#include "auth/users.h"
#include "compliance/reports.h"
#include "docs/markdown.h"
#include "docs/pdf.h"
#include "web/content_disposition.h"
#include "web/handlers/call/common.h"
#include "web/handlers/compliance/views.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web::compliance_web {
namespace {

namespace cm = kakehashi::compliance;
using auth::Action;

const Breadcrumb kHome{"情報管理", "/compliance"};
const Breadcrumb kReports{"実施状況報告書", "/compliance/reports"};

std::string report_href(std::int64_t id) { return fmt::format("/compliance/reports/{}", id); }
std::string jp(std::chrono::sys_seconds at) { return tokyo_datetime_japanese(at); }

std::map<std::int64_t, std::string> names_of(db::Transaction& tx, std::vector<std::int64_t> ids) {
  auto names = auth::user_names(tx, ids);
  return names ? *names : std::map<std::int64_t, std::string>{};
}
std::string name_of(const std::map<std::int64_t, std::string>& names, std::optional<std::int64_t> id) {
  if (!id) return "—";
  auto it = names.find(*id);
  return it == names.end() ? fmt::format("ユーザー {}", *id) : it->second;
}

// ---- The list

Response reports_page(Application& app, Request& request, std::optional<std::string> error) {
  const auth::Principal& who = *request.principal;
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto reports = cm::list_reports(**tx, who);
  if (!reports) return app.error_response(request, reports.error());
  ReportsView view;
  for (const auto& r : *reports) {
    view.reports.push_back({report_href(r.id), r.period.label(), std::string(cm::report_status_label(r.status)),
                            r.period.due.japanese(), r.submitted_at ? jp(*r.submitted_at) : "—",
                            r.status == cm::ReportStatus::kSubmitted});
  }
  view.has_reports = !view.reports.empty();
  view.can_create = auth::may(who, Action::kPrepareComplianceReport);
  // The current half-year and the two before it, when they have no report yet.
  cm::Period p = cm::period_containing(tokyo_date(app.clock().now()));
  for (int i = 0; i < 3; ++i, p = cm::period_before(p)) {
    bool exists = std::ranges::any_of(*reports, [&](const cm::ComplianceReport& r) { return r.period.from == p.from; });
    if (!exists) view.periods.push_back({p.from.iso(), p.label(), view.periods.empty()});
  }
  view.has_periods = !view.periods.empty();
  view.error = std::move(error);
  return app.page(request, "実施状況報告書", "compliance/reports", view, {kHome, {"実施状況報告書", ""}}, "/compliance",
                  view.error ? http::status::unprocessable_entity : http::status::ok);
}

Response list_reports(Application& app, Request& request) { return reports_page(app, request, std::nullopt); }

Response create_report(Application& app, Request& request) {
  auto from = Date::parse(request.field("period_from"));
  std::optional<cm::Period> period = from ? cm::period_starting(*from) : std::nullopt;
  if (!period) return reports_page(app, request, "報告の対象期間を選んでください");
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto id = cm::create_report(**tx, *request.principal, *period, app.clock().now());
  if (!id) {
    if (!callweb::is_refusal(id.error())) return app.error_response(request, id.error());
    tx->reset();
    return reports_page(app, request, id.error().message);
  }
  if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
  return app.redirect_with_notice(request, report_href(*id), "実施状況報告書を作成しました。");
}

// ---- One report

struct Typed {
  std::vector<cm::ItemAnswer> answers;
  std::string contract_title, contract_date;
  std::vector<cm::FieldError> errors;
  std::optional<std::string> evidence_error, decision_error;
  std::string link_label, link_href;
};

std::string file_note(const cm::EvidenceRecord& e) {
  std::string note = callweb::size_label(e.size);
  if (!e.inspection_summary.empty()) note += "・" + e.inspection_summary;
  return note;
}

Response report_page_with(Application& app, Request& request, std::int64_t id, const std::optional<Typed>& typed) {
  const auth::Principal& who = *request.principal;
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto found = cm::find_report(**tx, who, id);
  if (!found) return app.error_response(request, found.error());
  if (!*found) return app.error(request, http::status::not_found);
  const cm::ReportDetail& d = **found;
  const cm::ComplianceReport& r = d.report;
  std::vector<std::int64_t> ids{r.created_by};
  if (r.decided_by) ids.push_back(*r.decided_by);
  for (const auto& e : d.events) ids.push_back(e.by);
  auto names = names_of(**tx, ids);

  ReportView view;
  view.id = r.id;
  view.period = r.period.label();
  view.status = std::string(cm::report_status_label(r.status));
  view.due = r.period.due.japanese();
  view.editable = r.editable() && auth::may(who, Action::kPrepareComplianceReport);
  view.can_decide = r.status == cm::ReportStatus::kSubmitted && auth::may(who, Action::kAcknowledgeComplianceReport);
  view.returned = r.status == cm::ReportStatus::kReturned;
  view.contract_title = typed ? typed->contract_title : r.contract_title;
  view.contract_date = typed ? typed->contract_date : r.contract_date;
  if (r.decided_at) {
    view.decision = fmt::format("{}が {} に{}", name_of(names, r.decided_by), jp(*r.decided_at),
                                r.status == cm::ReportStatus::kReturned ? "差し戻し" : "受領");
    if (!r.decision_note.empty()) view.decision_note = r.decision_note;
  }
  auto error_of = [&](std::string_view field) -> std::optional<std::string> {
    if (!typed) return std::nullopt;
    std::string joined;
    for (const auto& e : typed->errors) {
      if (e.field == field) joined += (joined.empty() ? "" : " ") + e.message;
    }
    return joined.empty() ? std::nullopt : std::optional<std::string>(joined);
  };
  for (const auto& item : cm::report_items()) {
    const cm::ItemAnswer* stored = nullptr;
    for (const auto& a : d.answers) if (a.number == item.number) stored = &a;
    const cm::ItemAnswer* shown = stored;
    if (typed) {
      for (const auto& a : typed->answers) if (a.number == item.number) shown = &a;
    }
    ItemView iv;
    iv.number = item.number;
    iv.field = fmt::format("item_{}", item.number);
    iv.text = item.text;
    iv.answered = shown && shown->status;
    iv.status = iv.answered ? std::string(cm::item_status_label(*shown->status)) : "未回答";
    iv.detail = shown ? shown->detail : "";
    for (auto s : {cm::ItemStatus::kDone, cm::ItemStatus::kNotDone, cm::ItemStatus::kNotApplicable}) {
      std::string value(cm::item_status_id(s));
      iv.choices.push_back({value, std::string(cm::item_status_label(s)), shown && shown->status == s,
                            fmt::format("item_{}_{}", item.number, value)});
    }
    iv.error = error_of(iv.field);
    for (const auto& e : item.automatic) iv.evidence.push_back({e.label, e.href, "Kakehashi の画面（自動）", true, std::nullopt});
    for (const auto& e : d.evidence) {
      if (e.item != item.number) continue;
      std::string href = e.is_file ? cm::evidence_href(r.id, e.id) : e.href;
      std::optional<std::string> del;
      if (view.editable) del = fmt::format("/compliance/reports/{}/evidence/{}/delete", r.id, e.id);
      iv.evidence.push_back({e.label, href, e.is_file ? file_note(e) : "Kakehashi の画面", false, del});
    }
    iv.has_evidence = !iv.evidence.empty();
    view.items.push_back(std::move(iv));
    view.item_options.push_back({std::to_string(item.number), fmt::format("{})", item.number), false});
  }
  if (typed) {
    view.contract_title_error = error_of("contract_title");
    view.has_errors = !typed->errors.empty();
    for (const auto& e : typed->errors) view.errors.push_back({e.field, e.message});
    view.evidence_error = typed->evidence_error;
    view.decision_error = typed->decision_error;
    view.link_label = typed->link_label;
    view.link_href = typed->link_href;
  }
  for (const auto& e : d.events) {
    view.history.push_back({jp(e.at), name_of(names, e.by), std::string(cm::report_event_label(e.event)),
                            e.note.empty() ? std::nullopt : std::optional<std::string>(e.note)});
  }
  bool refused = typed && (view.has_errors || view.evidence_error || view.decision_error);
  return app.page(request, "実施状況報告書", "compliance/report", view, {kHome, kReports, {r.period.label(), ""}},
                  "/compliance", refused ? http::status::unprocessable_entity : http::status::ok);
}

Response report_page(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  return report_page_with(app, request, *id, std::nullopt);
}

Response save_report(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  bool submit = request.field("action") == "submit";
  Typed typed;
  typed.contract_title = request.field("contract_title");
  typed.contract_date = request.field("contract_date");
  std::vector<cm::AnswerForm> form;
  for (const auto& item : cm::report_items()) {
    form.push_back({item.number, request.field(fmt::format("item_{}_status", item.number)),
                    request.field(fmt::format("item_{}_detail", item.number))});
  }
  typed.errors = cm::read_answers(form, typed.answers);
  bool draft_ok = typed.errors.empty();
  if (submit) {
    // Everything a submission lacks, named at once beside what the draft check found.
    auto add = [&](const cm::FieldError& e) {
      if (std::ranges::none_of(typed.errors, [&](const cm::FieldError& x) { return x.field == e.field && x.message == e.message; }))
        typed.errors.push_back(e);
    };
    for (const auto& e : cm::check_answers(typed.answers)) add(e);
    if (typed.contract_title.find_first_not_of(" \t\r\n　") == std::string::npos)
      add({"contract_title", "契約件名を入力してください"});
    // The form's order: the contract, then the items.
    std::ranges::stable_sort(typed.errors, [](const cm::FieldError& a, const cm::FieldError& b) {
      auto rank = [](const cm::FieldError& e) { return e.field == "contract_title" ? 0 : e.field.starts_with("item_") ? 1 + std::stoi(e.field.substr(5)) : 100; };
      return rank(a) < rank(b);
    });
  }
  auto now = app.clock().now();
  if (!typed.errors.empty()) {
    if (draft_ok) {
      // Not submitted, but what was typed is kept as the draft.
      auto tx = app.database().begin(db::TxMode::kWrite);
      if (!tx) return app.error_response(request, tx.error());
      auto kept = cm::save_report(**tx, *request.principal, *id, typed.answers, typed.contract_title, typed.contract_date, now);
      if (kept) {
        if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
      } else if (!callweb::is_refusal(kept.error())) {
        return app.error_response(request, kept.error());
      }
    }
    return report_page_with(app, request, *id, typed);
  }
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto saved = cm::save_report(**tx, *request.principal, *id, typed.answers, typed.contract_title, typed.contract_date, now);
  if (!saved) {
    if (!callweb::is_refusal(saved.error())) return app.error_response(request, saved.error());
    tx->reset();
    typed.errors.push_back({"contract_title", saved.error().message});
    return report_page_with(app, request, *id, typed);
  }
  if (submit) {
    std::vector<cm::FieldError> problems;
    auto submitted = cm::submit_report(**tx, *request.principal, *id, report_href(*id), now, &problems);
    if (!submitted) {
      if (!callweb::is_refusal(submitted.error())) return app.error_response(request, submitted.error());
      tx->reset();  // the form above found nothing missing, so this is a rule of the state
      typed.errors = problems.empty() ? std::vector<cm::FieldError>{{"contract_title", submitted.error().message}} : problems;
      return report_page_with(app, request, *id, typed);
    }
  }
  if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
  return app.redirect_with_notice(request, report_href(*id),
                                  submit ? "経済産業省に提出しました。受領されるまで内容は変更できません。" : "保存しました。");
}

Response decide_report(Application& app, Request& request, bool acknowledge) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  std::string note = request.field("note");
  auto now = app.clock().now();
  auto done = acknowledge ? cm::acknowledge_report(**tx, *request.principal, *id, note, report_href(*id), now)
                          : cm::return_report(**tx, *request.principal, *id, note, report_href(*id), now);
  if (!done) {
    if (done.error().code != ErrorCode::kInvalidArgument) return app.error_response(request, done.error());
    tx->reset();
    Typed typed;
    typed.decision_error = done.error().message;
    return report_page_with(app, request, *id, typed);
  }
  if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
  return app.redirect_with_notice(request, report_href(*id),
                                  acknowledge ? "実施状況報告書を受領しました。" : "実施状況報告書を差し戻しました。");
}

Response acknowledge_report(Application& app, Request& request) { return decide_report(app, request, true); }
Response return_report(Application& app, Request& request) { return decide_report(app, request, false); }

// ---- Evidence

int item_field(const Request& request) {
  auto item = callweb::parse_id(request.field("item"));
  return item && *item < 100 ? int(*item) : 0;
}

Response evidence_refused(Application& app, Request& request, std::int64_t id, const std::string& message,
                          std::string label = "", std::string href = "") {
  Typed typed;
  typed.evidence_error = message;
  typed.link_label = std::move(label);
  typed.link_href = std::move(href);
  return report_page_with(app, request, id, typed);
}

Response upload_evidence(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  UploadedFiles uploads(request);
  const QuarantinedFile* file = uploads.file("file");
  if (!file) return evidence_refused(app, request, *id, "証跡のファイルを選んでください");
  // Another extension keeps the quarantined name: the inspector refuses what it cannot read.
  std::filesystem::path path = uploads.with_extension(*file, kInspectedExtensions).value_or(file->stored_path);
  auto slot = app.admit(request, WorkKind::kInspection);
  if (!slot) return app.busy(request, WorkKind::kInspection);
  auto inspected = cm::inspect_evidence(path.string(), file->original_name, file->sha256);
  if (!inspected) {
    if (!callweb::is_refusal(inspected.error())) return app.error_response(request, inspected.error());
    return evidence_refused(app, request, *id, inspected.error().message);
  }
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto added = cm::add_file_evidence(**tx, *request.principal, *id, item_field(request), *inspected, app.clock().now());
  if (!added) {
    if (!callweb::is_refusal(added.error())) return app.error_response(request, added.error());
    tx->reset();
    return evidence_refused(app, request, *id, added.error().message);
  }
  if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
  return app.redirect_with_notice(request, report_href(*id) + "#evidence", "証跡のファイルを登録しました。");
}

Response add_link(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  std::string label = request.field("label"), href = request.field("href");
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto added = cm::add_link_evidence(**tx, *request.principal, *id, item_field(request), label, href, app.clock().now());
  if (!added) {
    if (!callweb::is_refusal(added.error())) return app.error_response(request, added.error());
    tx->reset();
    return evidence_refused(app, request, *id, added.error().message, label, href);
  }
  if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
  return app.redirect_with_notice(request, report_href(*id) + "#evidence", "証跡のリンクを登録しました。");
}

Response delete_evidence(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  auto evidence = callweb::id_param(request, "evidence");
  if (!id || !evidence) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto removed = cm::remove_evidence(**tx, *request.principal, *id, *evidence, app.clock().now());
  if (!removed) {
    if (removed.error().code != ErrorCode::kInvalidArgument) return app.error_response(request, removed.error());
    tx->reset();
    return evidence_refused(app, request, *id, removed.error().message);
  }
  if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
  return app.redirect_with_notice(request, report_href(*id) + "#evidence", "証跡を外しました。");
}

Response download_evidence(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  auto evidence = callweb::id_param(request, "evidence");
  if (!id || !evidence) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto file = cm::evidence_file(**tx, *request.principal, *id, *evidence);
  if (!file) return app.error_response(request, file.error());
  if (!*file) return app.error(request, http::status::not_found);
  Response response;
  response.content_type = (*file)->first.content_type;
  response.body = std::move((*file)->second);
  response.with_header("Content-Disposition", content_disposition((*file)->first.label));
  return response;
}

// ---- The documents

Result<std::optional<cm::ReportDetail>> load_detail(Application& app, Request& request, std::int64_t id) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return fail(tx.error());
  return cm::find_report(**tx, *request.principal, id);
}

std::string file_stem(const cm::ComplianceReport& r) {
  return fmt::format("実施状況報告書_{}", r.period.from.iso().substr(0, 7));
}

Response report_pdf(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto found = load_detail(app, request, *id);
  if (!found) return app.error_response(request, found.error());
  if (!*found) return app.error(request, http::status::not_found);
  auto doc = docs::parse_markdown(cm::report_markdown(cm::report_header((*found)->report), (*found)->answers));
  if (!doc) return app.error_response(request, doc.error());
  doc->meta.title = "情報セキュリティに関する事項の遵守の方法の実施状況報告書";
  doc->meta.issuer = "架け橋事務局";
  auto pdf = docs::render_pdf(*doc);
  if (!pdf) return app.error_response(request, pdf.error());
  Response response;
  response.content_type = "application/pdf";
  response.body = std::move(*pdf);
  response.with_header("Content-Disposition", content_disposition(file_stem((*found)->report) + ".pdf"));
  return response;
}

Response report_xlsx(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto found = load_detail(app, request, *id);
  if (!found) return app.error_response(request, found.error());
  if (!*found) return app.error(request, http::status::not_found);
  return callweb::xlsx_download(app, request, "実施状況報告書 " + (*found)->report.period.label(),
                                cm::report_table((*found)->answers), file_stem((*found)->report) + ".xlsx");
}

}  // namespace

void register_compliance_report_routes(Application& app) {
  RouteOptions view{.required = Action::kViewComplianceReport};
  RouteOptions prepare{.required = Action::kPrepareComplianceReport, .body = BodyKind::kForm};
  RouteOptions acknowledge{.required = Action::kAcknowledgeComplianceReport, .body = BodyKind::kForm};
  app.get("/compliance/reports", view, list_reports);
  app.post("/compliance/reports", prepare, create_report);
  app.get("/compliance/reports/{id}", view, report_page);
  app.post("/compliance/reports/{id}", prepare, save_report);
  app.get("/compliance/reports/{id}/report.pdf", view, report_pdf);
  app.get("/compliance/reports/{id}/report.xlsx", view, report_xlsx);
  app.post("/compliance/reports/{id}/acknowledge", acknowledge, acknowledge_report);
  app.post("/compliance/reports/{id}/return", acknowledge, return_report);
  constexpr std::size_t kEvidenceBody = std::size_t(cm::kEvidenceLimit) + 1024 * 1024;
  app.post("/compliance/reports/{id}/evidence",
           {.required = Action::kPrepareComplianceReport, .body = BodyKind::kMultipart, .body_limit = kEvidenceBody},
           upload_evidence);
  app.post("/compliance/reports/{id}/links", prepare, add_link);
  app.post("/compliance/reports/{id}/evidence/{evidence}/delete", prepare, delete_evidence);
  // An uploaded file may carry anything: only people on the approved roster open it.
  app.get("/compliance/reports/{id}/evidence/{evidence}", {.required = Action::kViewComplianceReport, .protected_info = true},
          download_evidence);
  app.add_home_tasks([](db::Transaction& tx, const auth::Principal& who, std::chrono::sys_seconds now)
                         -> Result<std::vector<HomeTask>> {
    std::vector<HomeTask> out;
    if (!auth::may(who, Action::kViewComplianceReport)) return out;
    auto tasks = cm::report_tasks(tx, who, now);
    if (!tasks) return fail(tasks.error());
    for (const auto& t : *tasks) {
      HomeTask task;
      task.section = t.for_meti                                  ? "meti"
                     : who.has(auth::Role::kSecurityOfficer) ? "security_officer"
                                                             : "secretariat";
      task.text = t.text;
      task.href = t.report_id ? report_href(t.report_id) : "/compliance/reports";
      if (!t.for_meti) task.due = std::chrono::sys_seconds{t.period.due.plus_days(1).sys_days()} - kJapanOffset;
      task.urgent = t.urgent;
      out.push_back(std::move(task));
    }
    return out;
  });
}

}  // namespace kakehashi::web::compliance_web
