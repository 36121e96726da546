// Screens of the final goal's milestones (R3.1, issue 15, part A): the operator's list (with
// XLSX export), the form, the detail page with evidence (inspected files, links, notes) and the
// secretariat's review. Evidence files go through the publication-safety inspector: a file with
// any error finding is refused with the findings listed; one with warnings only is stored with
// the inspector's summary shown beside it.
#include <fmt/format.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "audit/audit.h"
#include "web/confirm_view.h"
#include "web/content_disposition.h"
#include "web/handlers/call/common.h"
#include "web/handlers/operations/milestone_helpers.h"

namespace kakehashi::web {
namespace {

using namespace opsweb;

// ---- List
Response list_milestones(Application& app, Request& request) {
  const Date today = tokyo_date(app.clock().now());
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_operator(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  auto rows = operations::milestones_of(**tx, (*op)->id);
  if (!rows) return app.error_response(request, rows.error());
  auto can_edit = operations::may(**tx, *request.principal, auth::Action::kEditOperatorPlan, **op);
  if (!can_edit) return app.error_response(request, can_edit.error());
  MilestoneListView view;
  view.tabs = operator_tabs(request, (*op)->id, "milestones");
  view.operator_id = (*op)->id;
  view.operator_name = (*op)->name;
  if (!(*op)->final_goal.empty()) view.final_goal = (*op)->final_goal;
  view.can_edit = *can_edit;
  int done = 0;
  for (const auto& row : *rows) {
    view.milestones.push_back(milestone_row(row, today));
    if (row.milestone.status == operations::MilestoneStatus::kDone) ++done;
  }
  view.has_milestones = !view.milestones.empty();
  view.progress = fmt::format("完了 {} / {} 件", done, rows->size());
  return app.page(request, "マイルストーン", "operations/milestones_list", view, operator_crumbs(**op, "マイルストーン"),
                  "/operations");
}

Response milestones_xlsx(Application& app, Request& request) {
  const Date today = tokyo_date(app.clock().now());
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_operator(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  auto rows = operations::milestones_of(**tx, (*op)->id);
  if (!rows) return app.error_response(request, rows.error());
  docs::DataTable table;
  table.header = {"マイルストーン", "期限", "状態", "期限超過", "担当者", "完了日", "根拠資料（件）", "事務局の確認", "確認コメント"};
  auto text = [](std::string s) { return docs::DataCell{std::move(s), 0, false}; };
  for (const auto& row : *rows) {
    MilestoneRowView v = milestone_row(row, today);
    const auto& m = row.milestone;
    table.rows.push_back({text(m.title), text(m.due_on.iso()), text(v.status), text(v.overdue ? "期限超過" : ""),
                          text(row.owner_label), text(m.completed_on ? m.completed_on->iso() : ""),
                          docs::DataCell{std::to_string(row.evidence_count), double(row.evidence_count), true}, text(v.review),
                          text(m.review_comment)});
  }
  std::string name = (*op)->name;
  std::int64_t id = (*op)->id;
  tx->reset();
  if (auto logged = audit::append(app.database(),
                                  audit::by_user(request.principal->user_id, "operation.milestones_export", fmt::format("operator:{}", id)),
                                  app.clock().now());
      !logged)
    return app.error_response(request, logged.error());
  return callweb::xlsx_download(app, request, "マイルストーン", std::move(table), fmt::format("マイルストーン_{}.xlsx", name));
}

// ---- Form
std::vector<OptionView> status_options(std::string_view selected) {
  std::vector<OptionView> out;
  for (auto s : {operations::MilestoneStatus::kNotStarted, operations::MilestoneStatus::kInProgress,
                 operations::MilestoneStatus::kDone, operations::MilestoneStatus::kDelayed,
                 operations::MilestoneStatus::kCancelled}) {
    std::string id(operations::to_string(s));
    out.push_back({id, std::string(operations::milestone_status_label(s)), id == selected});
  }
  return out;
}

Result<MilestoneFormView> form_view(db::Transaction& tx, const Request& request, const operations::Operator& op,
                                    const operations::MilestoneForm& form, const std::vector<operations::FieldError>& errors) {
  MilestoneFormView view;
  view.tabs = operator_tabs(request, op.id, "milestones");
  view.operator_name = op.name;
  view.title = form.title;
  view.description = form.description;
  view.due_on = form.due_on;
  view.owner_name = form.owner_name;
  auto owners = operations::owner_options(tx, op);
  if (!owners) return fail(owners.error());
  view.owners.push_back({"", "（選ばない: 下の欄に氏名を書く）", form.owner_user.empty()});
  for (const auto& o : *owners) {
    std::string id = std::to_string(o.user_id);
    view.owners.push_back({id, o.name, id == form.owner_user});
  }
  view.statuses = status_options(form.status.empty() ? "not_started" : form.status);
  view.errors = form_errors(errors);
  view.has_errors = !errors.empty();
  view.title_error = error_of(errors, "title");
  view.description_error = error_of(errors, "description");
  view.due_on_error = error_of(errors, "due_on");
  view.owner_user_error = error_of(errors, "owner_user");
  view.owner_name_error = error_of(errors, "owner_name");
  view.status_error = error_of(errors, "status");
  return view;
}

operations::MilestoneForm form_from(const Request& request) {
  return {request.field("title"),      request.field("description"), request.field("due_on"),
          request.field("owner_user"), request.field("owner_name"),  request.field("status")};
}

Result<std::optional<operations::Operator>> load_editable(db::Transaction& tx, const Request& request) {
  auto op = load_operator(tx, request);
  if (!op || !*op) return op;
  auto allowed = operations::may(tx, *request.principal, auth::Action::kEditOperatorPlan, **op);
  if (!allowed) return fail(allowed.error());
  if (!*allowed) return fail(Error::denied("マイルストーンを追加する権限がありません"));
  return op;
}

Response new_milestone(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_editable(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  auto view = form_view(**tx, request, **op, {}, {});
  if (!view) return app.error_response(request, view.error());
  view->action = fmt::format("/operations/operators/{}/milestones", (*op)->id);
  view->cancel_href = view->action;
  return app.page(request, "マイルストーンの追加", "operations/milestones_form", *view,
                  operator_crumbs(**op, "マイルストーンの追加"), "/operations");
}

Response create_milestone(Application& app, Request& request) {
  auto now = app.clock().now();
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_editable(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  operations::MilestoneForm form = form_from(request);
  auto errors = operations::validate_milestone(**tx, **op, form);
  if (!errors) return app.error_response(request, errors.error());
  if (errors->empty()) {
    auto id = operations::create_milestone(**tx, *request.principal, (*op)->id, form, now);
    if (!id) return app.error_response(request, id.error());
    if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
    return app.redirect_with_notice(request, fmt::format("/operations/milestones/{}", *id), "マイルストーンを追加しました。");
  }
  auto view = form_view(**tx, request, **op, form, *errors);
  if (!view) return app.error_response(request, view.error());
  view->action = fmt::format("/operations/operators/{}/milestones", (*op)->id);
  view->cancel_href = view->action;
  return app.page(request, "マイルストーンの追加", "operations/milestones_form", *view,
                  operator_crumbs(**op, "マイルストーンの追加"), "/operations", http::status::unprocessable_entity);
}

// The milestone named by {id} and its operator, when the reader may see them.
struct Loaded {
  operations::Milestone milestone;
  operations::Operator op;
};
Result<std::optional<Loaded>> load_milestone(db::Transaction& tx, const Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return std::optional<Loaded>{};
  auto m = operations::find_milestone(tx, *request.principal, *id);
  if (!m) return fail(m.error());
  if (!*m) return std::optional<Loaded>{};
  auto op = operations::find_operator(tx, *request.principal, (*m)->operator_id);
  if (!op) return fail(op.error());
  if (!*op) return std::optional<Loaded>{};
  return std::optional<Loaded>{Loaded{std::move(**m), std::move(**op)}};
}

operations::MilestoneForm form_of(const operations::Milestone& m) {
  return {m.title, m.description, m.due_on.iso(), m.owner_user_id ? std::to_string(*m.owner_user_id) : "", m.owner_name,
          std::string(operations::to_string(m.status))};
}

Response edit_milestone(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto l = load_milestone(**tx, request);
  if (!l) return app.error_response(request, l.error());
  if (!*l) return app.error(request, http::status::not_found);
  auto allowed = operations::may(**tx, *request.principal, auth::Action::kEditOperatorPlan, (*l)->op);
  if (!allowed) return app.error_response(request, allowed.error());
  if (!*allowed) return app.error_response(request, Error::denied("このマイルストーンを変更する権限がありません"));
  auto view = form_view(**tx, request, (*l)->op, form_of((*l)->milestone), {});
  if (!view) return app.error_response(request, view.error());
  view->editing = true;
  view->action = fmt::format("/operations/milestones/{}/edit", (*l)->milestone.id);
  view->cancel_href = fmt::format("/operations/milestones/{}", (*l)->milestone.id);
  return app.page(request, "マイルストーンの編集", "operations/milestones_form", *view,
                  operator_crumbs((*l)->op, "マイルストーンの編集"), "/operations");
}

Response update_milestone(Application& app, Request& request) {
  auto now = app.clock().now();
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto l = load_milestone(**tx, request);
  if (!l) return app.error_response(request, l.error());
  if (!*l) return app.error(request, http::status::not_found);
  operations::MilestoneForm form = form_from(request);
  auto allowed = operations::may(**tx, *request.principal, auth::Action::kEditOperatorPlan, (*l)->op);
  if (!allowed) return app.error_response(request, allowed.error());
  if (!*allowed) return app.error_response(request, Error::denied("このマイルストーンを変更する権限がありません"));
  auto errors = operations::validate_milestone(**tx, (*l)->op, form, &(*l)->milestone);
  if (!errors) return app.error_response(request, errors.error());
  if (errors->empty()) {
    auto saved = operations::update_milestone(**tx, *request.principal, (*l)->milestone.id, form, now);
    if (!saved) return app.error_response(request, saved.error());
    if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
    return app.redirect_with_notice(request, fmt::format("/operations/milestones/{}", (*l)->milestone.id),
                                    "マイルストーンを保存しました。");
  }
  auto view = form_view(**tx, request, (*l)->op, form, *errors);
  if (!view) return app.error_response(request, view.error());
  view->editing = true;
  view->action = fmt::format("/operations/milestones/{}/edit", (*l)->milestone.id);
  view->cancel_href = fmt::format("/operations/milestones/{}", (*l)->milestone.id);
  return app.page(request, "マイルストーンの編集", "operations/milestones_form", *view,
                  operator_crumbs((*l)->op, "マイルストーンの編集"), "/operations", http::status::unprocessable_entity);
}

// ---- Detail, evidence, review
std::string inspection_summary(const std::string& json, bool& warnings) {
  warnings = false;
  if (json.empty()) return {};
  boost::system::error_code ec;
  auto value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) return {};
  const auto& o = value.as_object();
  if (auto* w = o.if_contains("warnings"); w && w->is_int64()) warnings = w->as_int64() > 0;
  std::string out = "公開前チェック: ";
  if (auto* s = o.if_contains("summary"); s && s->is_string()) out += std::string(s->as_string());
  if (auto* findings = o.if_contains("findings"); findings && findings->is_array()) {
    std::string listed;
    for (const auto& f : findings->as_array()) {
      if (!f.is_object()) continue;
      auto* label = f.as_object().if_contains("label");
      auto* severity = f.as_object().if_contains("severity");
      if (!label || !label->is_string()) continue;
      if (!listed.empty()) listed += "、";
      listed += std::string(label->as_string());
      if (severity && severity->is_string()) listed += "（" + std::string(severity->as_string()) + "）";
    }
    if (!listed.empty()) out += "／" + listed;
  }
  return out;
}

Response detail_page(Application& app, Request& request, db::Transaction& tx, const Loaded& l, MilestoneDetailView view,
                     http::status status) {
  const Date today = tokyo_date(app.clock().now());
  const auto& m = l.milestone;
  auto rows = operations::milestones_of(tx, l.op.id);
  if (!rows) return app.error_response(request, rows.error());
  for (const auto& row : *rows)
    if (row.milestone.id == m.id) view.milestone = milestone_row(row, today);
  view.tabs = operator_tabs(request, l.op.id, "milestones");
  view.id = m.id;
  view.operator_name = l.op.name;
  if (!m.description.empty()) view.description = m.description;
  if (m.completed_on) view.completed = m.completed_on->japanese();
  if (!m.review_comment.empty()) view.review_comment = m.review_comment;
  if (m.reviewed_at) view.reviewed = callweb::japan_time(*m.reviewed_at);
  auto edit = operations::may(tx, *request.principal, auth::Action::kEditOperatorPlan, l.op);
  if (!edit) return app.error_response(request, edit.error());
  auto review = operations::may(tx, *request.principal, auth::Action::kReviewMilestones, l.op);
  if (!review) return app.error_response(request, review.error());
  view.can_edit = *edit;
  view.can_review = *review;
  auto evidence = operations::evidence_of(tx, m.id);
  if (!evidence) return app.error_response(request, evidence.error());
  for (const auto& e : *evidence) {
    EvidenceView v;
    v.title = e.title;
    v.added = callweb::japan_time(e.added_at);
    if (*edit) v.delete_href = fmt::format("/operations/milestones/{}/evidence/{}/delete", m.id, e.id);
    switch (e.kind) {
      case operations::EvidenceKind::kFile: {
        v.kind = "ファイル";
        v.is_file = true;
        v.file_name = e.file_name.value_or("");
        v.size = callweb::size_label(e.size.value_or(0));
        v.href = fmt::format("/operations/milestones/{}/evidence/{}", m.id, e.id);
        bool warnings = false;
        std::string summary = inspection_summary(e.inspection, warnings);
        if (!summary.empty()) v.inspection = summary;
        v.has_warnings = warnings;
        break;
      }
      case operations::EvidenceKind::kLink:
        v.kind = "リンク";
        v.is_link = true;
        v.href = e.url;
        break;
      case operations::EvidenceKind::kNote:
        v.kind = "メモ";
        v.is_note = true;
        v.note = e.note;
        break;
    }
    if (v.title.empty()) v.title = v.is_file ? v.file_name : v.is_link ? e.url : "メモ";
    view.evidence.push_back(std::move(v));
  }
  view.has_evidence = !view.evidence.empty();
  return app.page(request, m.title, "operations/milestones_detail", view, operator_crumbs(l.op, m.title), "/operations",
                  status);
}

Response show_milestone(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto l = load_milestone(**tx, request);
  if (!l) return app.error_response(request, l.error());
  if (!*l) return app.error(request, http::status::not_found);
  return detail_page(app, request, **tx, **l, {}, http::status::ok);
}

Response add_evidence(Application& app, Request& request) {
  UploadedFiles uploads(request);
  std::string kind = request.field("kind");
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  // Scope first (404 / 403) before any inspection.
  {
    auto tx = app.database().begin(db::TxMode::kRead);
    if (!tx) return app.error_response(request, tx.error());
    auto l = load_milestone(**tx, request);
    if (!l) return app.error_response(request, l.error());
    if (!*l) return app.error(request, http::status::not_found);
    auto allowed = operations::may(**tx, *request.principal, auth::Action::kEditOperatorPlan, (*l)->op);
    if (!allowed) return app.error_response(request, allowed.error());
    if (!*allowed) return app.error_response(request, Error::denied("このマイルストーンを変更する権限がありません"));
  }
  std::optional<Result<operations::InspectedEvidence>> inspected;
  if (kind == "file") {
    const QuarantinedFile* file = uploads.file();
    if (!file) {
      inspected = fail(Error::invalid("ファイルを選んでください"));
    } else if (auto path = uploads.with_extension(*file, kInspectedExtensions); !path) {
      inspected = fail(Error::invalid(
          "根拠資料として登録できるのは PDF・Excel（.xlsx）・Word（.docx）・PowerPoint（.pptx）・CSV のファイルです"));
    } else {
      auto slot = app.admit(request, WorkKind::kInspection);
      if (!slot) return app.busy(request, WorkKind::kInspection);
      inspected = operations::inspect_evidence(*path, file->original_name, file->sha256);
      if (!*inspected && !callweb::is_refusal(inspected->error())) return app.error_response(request, inspected->error());
    }
  }
  auto now = app.clock().now();
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto l = load_milestone(**tx, request);
  if (!l) return app.error_response(request, l.error());
  if (!*l) return app.error(request, http::status::not_found);
  const auth::Principal& who = *request.principal;
  Result<std::int64_t> added = fail(Error::invalid("根拠資料の種類を選んでください"));
  if (kind == "file") {
    if (*inspected) added = operations::add_file(**tx, who, *id, **inspected, request.field("title"), now);
    else added = fail(inspected->error());
  } else if (kind == "link") {
    added = operations::add_link(**tx, who, *id, request.field("title"), request.field("url"), now);
  } else if (kind == "note") {
    added = operations::add_note(**tx, who, *id, request.field("title"), request.field("note"), now);
  }
  if (!added) {
    if (!callweb::is_refusal(added.error())) return app.error_response(request, added.error());
    MilestoneDetailView view;
    view.evidence_error = added.error().message;
    if (kind == "link") {
      view.link_title = request.field("title");
      view.link_url = request.field("url");
    } else if (kind == "note") {
      view.note_title = request.field("title");
      view.note_text = request.field("note");
    }
    auto page = detail_page(app, request, **tx, **l, std::move(view), http::status::unprocessable_entity);
    return page;
  }
  if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
  return app.redirect_with_notice(request, fmt::format("/operations/milestones/{}", *id), "根拠資料を登録しました。");
}

Response download_evidence(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  auto evidence = callweb::id_param(request, "evidence");
  if (!id || !evidence) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto file = operations::evidence_file(**tx, *request.principal, *id, *evidence);
  if (!file) return app.error_response(request, file.error());
  if (!*file) return app.error(request, http::status::not_found);
  Response response;
  response.content_type = (*file)->content_type;
  response.body = std::move((*file)->content);
  response.with_header("Content-Disposition", content_disposition((*file)->file_name));
  return response;
}

// The evidence to delete, with its milestone (404 when either is out of reach or unrelated).
struct EvidenceToDelete {
  operations::Evidence evidence;
  std::int64_t milestone_id = 0;
  std::string milestone_title;
  bool accepted = false;
};
Result<std::optional<EvidenceToDelete>> evidence_to_delete(db::Transaction& tx, Request& request) {
  auto l = load_milestone(tx, request);
  if (!l) return fail(l.error());
  auto evidence_id = callweb::id_param(request, "evidence");
  if (!*l || !evidence_id) return std::optional<EvidenceToDelete>{};
  auto all = operations::evidence_of(tx, (*l)->milestone.id);
  if (!all) return fail(all.error());
  for (const auto& e : *all) {
    if (e.id != *evidence_id) continue;
    return std::optional<EvidenceToDelete>(EvidenceToDelete{e, (*l)->milestone.id, (*l)->milestone.title,
                                                            (*l)->milestone.review == operations::ReviewState::kAccepted});
  }
  return std::optional<EvidenceToDelete>{};
}

Response confirm_delete_evidence(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto found = evidence_to_delete(**tx, request);
  if (!found) return app.error_response(request, found.error());
  if (!*found) return app.error(request, http::status::not_found);
  auto l = load_milestone(**tx, request);
  if (!l) return app.error_response(request, l.error());
  auto edit = operations::may(**tx, *request.principal, auth::Action::kEditOperatorPlan, (*l)->op);
  if (!edit) return app.error_response(request, edit.error());
  if (!*edit) return app.error(request, http::status::forbidden, "このマイルストーンを変更する権限がありません");
  const auto& e = (*found)->evidence;
  std::string name = !e.title.empty() ? e.title : e.file_name.value_or(e.url.empty() ? "メモ" : e.url);
  ConfirmView confirm;
  confirm.heading = fmt::format("根拠資料「{}」を削除しますか", name);
  confirm.lead = fmt::format("マイルストーン「{}」から削除します。元に戻せません。", (*found)->milestone_title);
  if (e.kind == operations::EvidenceKind::kFile) confirm.consequences.push_back("保存したファイルも削除します。");
  if ((*found)->accepted)
    confirm.consequences.push_back("このマイルストーンは確認済みです。削除すると「未確認」に戻り、事務局がもう一度確認します。");
  confirm.action = fmt::format("/operations/milestones/{}/evidence/{}/delete", (*found)->milestone_id, e.id);
  confirm.confirm_label = "削除する";
  confirm.back_href = fmt::format("/operations/milestones/{}", (*found)->milestone_id);
  return app.page(request, "根拠資料の削除", "shared/confirm", confirm, operator_crumbs((*l)->op, "根拠資料の削除"),
                  "/operations");
}

Response delete_evidence(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto found = evidence_to_delete(**tx, request);
  if (!found) return app.error_response(request, found.error());
  if (!*found) return app.error(request, http::status::not_found);
  auto done = operations::delete_evidence(**tx, *request.principal, (*found)->milestone_id, (*found)->evidence.id,
                                          app.clock().now());
  if (!done) return app.error_response(request, done.error());
  if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
  return app.redirect_with_notice(request, fmt::format("/operations/milestones/{}", (*found)->milestone_id),
                                  (*found)->accepted ? "根拠資料を削除しました。確認済みだったため「未確認」に戻しました。"
                                                     : "根拠資料を削除しました。");
}

Response review(Application& app, Request& request) {
  auto now = app.clock().now();
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto l = load_milestone(**tx, request);
  if (!l) return app.error_response(request, l.error());
  if (!*l) return app.error(request, http::status::not_found);
  std::string state_text = request.field("review");
  auto state = operations::review_state_from(state_text);
  std::string link = fmt::format("/operations/milestones/{}", (*l)->milestone.id);
  auto done = operations::review_milestone(**tx, *request.principal, (*l)->milestone.id,
                                           state.value_or(operations::ReviewState::kNone), request.field("comment"), link, now);
  if (!done) {
    if (!callweb::is_refusal(done.error())) return app.error_response(request, done.error());
    MilestoneDetailView view;
    view.review_error = done.error().message;
    view.review_text = request.field("comment");
    return detail_page(app, request, **tx, **l, std::move(view), http::status::unprocessable_entity);
  }
  if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
  return app.redirect_with_notice(request, link,
                                  fmt::format("確認結果「{}」を保存し、実証事業者に通知しました。",
                                              operations::review_state_label(*state)));
}

}  // namespace

void register_operations_milestone_routes(Application& app) {
  const RouteOptions view{.required = auth::Action::kViewOperations};
  const RouteOptions edit_form{.required = auth::Action::kEditOperatorPlan, .body = BodyKind::kForm};
  app.get("/operations/operators/{id}/milestones", view, list_milestones);
  app.get("/operations/operators/{id}/milestones.xlsx", view, milestones_xlsx);
  app.get("/operations/operators/{id}/milestones/new", {.required = auth::Action::kEditOperatorPlan}, new_milestone);
  app.post("/operations/operators/{id}/milestones", edit_form, create_milestone);
  app.get("/operations/milestones/{id}", view, show_milestone);
  app.get("/operations/milestones/{id}/edit", {.required = auth::Action::kEditOperatorPlan}, edit_milestone);
  app.post("/operations/milestones/{id}/edit", edit_form, update_milestone);
  app.post("/operations/milestones/{id}/evidence",
           {.required = auth::Action::kEditOperatorPlan,
            .body = BodyKind::kMultipart,
            .body_limit = std::size_t(operations::kEvidenceLimit) + 64 * 1024},
           add_evidence);
  app.get("/operations/milestones/{id}/evidence/{evidence}", {.required = auth::Action::kViewOperations, .protected_info = true},
          download_evidence);
  app.get("/operations/milestones/{id}/evidence/{evidence}/delete",
          {.required = auth::Action::kEditOperatorPlan, .protected_info = true}, confirm_delete_evidence);
  app.post("/operations/milestones/{id}/evidence/{evidence}/delete", edit_form, delete_evidence);
  app.post("/operations/milestones/{id}/review", {.required = auth::Action::kReviewMilestones, .body = BodyKind::kForm},
           review);
}

}  // namespace kakehashi::web
