// Screens of the activity-list import (issue 15, part B): upload, column mapping (remembered per
// operator), the proposed grouping with reasons, merge / split / suggestion decisions, confirm
// and discard. Nothing is saved as projects before the operator confirms.
#include <fmt/format.h>

#include "operations/imports.h"
#include "operations/projects.h"
#include "web/handlers/call/common.h"
#include "web/handlers/operations/common.h"
#include "web/handlers/operations/views_projects.h"

namespace kakehashi::web {
namespace {

using namespace opsweb;
namespace ops = operations;
namespace counting = program::counting;

constexpr int kGroupsPerPage = 50;
constexpr std::size_t kRowsShown = 20;
constexpr std::size_t kErrorsShown = 200;

std::string limit_label() { return fmt::format("{} MB", ops::kMaxImportBytes / 1024 / 1024); }

Response new_import(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_operator(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  auto editable = ops::may_edit_projects(**tx, *request.principal, **op);
  if (!editable) return app.error_response(request, editable.error());
  if (!*editable) return app.error(request, http::status::forbidden, "この実証事業者の活動記録を取り込む権限がありません");
  ImportNewView v{(*op)->name, fmt::format("/operations/operators/{}/imports", (*op)->id),
                  fmt::format("/operations/operators/{}/projects", (*op)->id), std::nullopt, limit_label()};
  return app.page(request, "活動一覧を取り込む", "operations/import_new", v, operator_crumbs(**op, "活動一覧を取り込む"),
                  "/operations");
}

Response upload_import(Application& app, Request& request) {
  UploadedFiles uploads(request);
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_operator(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  auto refuse = [&](const std::string& message) {
    ImportNewView v{(*op)->name, fmt::format("/operations/operators/{}/imports", (*op)->id),
                    fmt::format("/operations/operators/{}/projects", (*op)->id), message, limit_label()};
    return app.page(request, "活動一覧を取り込む", "operations/import_new", v,
                    operator_crumbs(**op, "活動一覧を取り込む"), "/operations", http::status::unprocessable_entity);
  };
  const QuarantinedFile* file = uploads.file("file");
  if (!file) return refuse("取り込むファイルを選んでください");
  if (file->size > ops::kMaxImportBytes) return refuse(fmt::format("ファイルが大きすぎます（上限 {}）", limit_label()));
  auto slot = app.admit(request, WorkKind::kInspection);
  if (!slot) return app.busy(request, WorkKind::kInspection);
  std::string bytes = uploads.bytes("file");
  auto id = ops::stage_import(**tx, *request.principal, (*op)->id, file->original_name, bytes, app.clock().now());
  if (!id) {
    if (callweb::is_refusal(id.error())) return refuse(id.error().message);
    return app.error_response(request, id.error());
  }
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return app.redirect_with_notice(request, fmt::format("/operations/imports/{}/mapping", *id),
                                  "ファイルを受け付けました。列の対応を確認してください。");
}

// The staged import of the path within reach, with its operator.
struct Loaded {
  ops::ActivityImport info;
  ops::Operator op;
};
Result<std::optional<Loaded>> load_import(db::Transaction& tx, const Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return std::optional<Loaded>{};
  auto found = ops::find_import(tx, *request.principal, *id);
  if (!found) return fail(found.error());
  if (!*found) return std::optional<Loaded>{};
  auto op = ops::find_operator(tx, (*found)->operator_id);
  if (!op) return fail(op.error());
  if (!*op) return std::optional<Loaded>{};
  return std::optional<Loaded>(Loaded{std::move(**found), std::move(**op)});
}

std::vector<std::pair<std::string, std::string>> category_options() {
  std::vector<std::pair<std::string, std::string>> out;
  for (ops::Category c : {ops::Category::kHito, ops::Category::kMono, ops::Category::kKane})
    out.emplace_back(std::string(ops::to_string(c)), std::string(ops::category_label(c)));
  return out;
}

MappingView mapping_view(const Loaded& l, const std::vector<std::string>& headers, const ops::ImportMapping& m,
                         bool remembered, const std::vector<ops::FieldError>& errors) {
  MappingView v;
  v.operator_name = l.op.name;
  v.file_name = l.info.file_name;
  v.action = fmt::format("/operations/imports/{}/mapping", l.info.id);
  v.discard_action = fmt::format("/operations/imports/{}/discard", l.info.id);
  v.remembered = remembered;
  std::vector<std::pair<std::string, std::string>> columns;
  for (const auto& h : headers) columns.emplace_back(h, h);
  for (const ops::ImportField& f : ops::import_fields()) {
    auto it = m.columns.find(std::string(f.id));
    MappingFieldView field{std::string(f.id), std::string(f.label), f.required,
                           choices(columns, it == m.columns.end() ? "" : it->second, "（使わない）"), std::nullopt};
    for (const auto& e : errors)
      if (e.field == "map_" + std::string(f.id)) field.error = e.message;
    v.mapping_fields.push_back(std::move(field));
  }
  v.categories = choices(category_options(), m.default_category, "（列の値を使う）");
  std::vector<std::pair<std::string, std::string>> subtypes;
  for (const auto& s : ops::subtypes()) subtypes.emplace_back(std::string(s.id), ops::subtype_label(s.id));
  v.subtypes = choices(subtypes, m.default_subtype, "（指定しない）");
  for (const auto& e : errors) {
    if (e.field == "default_category") v.default_category_error = e.message;
    if (e.field == "default_subtype") v.default_subtype_error = e.message;
  }
  v.errors = error_links(errors);
  v.errors_present = !errors.empty();
  return v;
}

Response mapping_page(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load_import(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  auto form = ops::mapping_form(**tx, *request.principal, (*loaded)->info.id);
  if (!form) return app.error_response(request, form.error());
  MappingView v = mapping_view(**loaded, form->headers, form->mapping, form->remembered, {});
  return app.page(request, "列の対応", "operations/import_mapping", v, operator_crumbs((*loaded)->op, "列の対応"),
                  "/operations");
}

Response save_mapping(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load_import(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  auto form = ops::mapping_form(**tx, *request.principal, (*loaded)->info.id);
  if (!form) return app.error_response(request, form.error());
  ops::ImportMapping m;
  for (const ops::ImportField& f : ops::import_fields()) {
    std::string header = request.field(fmt::format("map_{}", f.id));
    if (!header.empty()) m.columns[std::string(f.id)] = header;
  }
  m.default_category = request.field("default_category");
  m.default_subtype = request.field("default_subtype");
  if (auto errors = ops::validate(m, form->headers); !errors.empty()) {
    MappingView v = mapping_view(**loaded, form->headers, m, form->remembered, errors);
    return app.page(request, "列の対応", "operations/import_mapping", v, operator_crumbs((*loaded)->op, "列の対応"),
                    "/operations", http::status::unprocessable_entity);
  }
  if (auto r = ops::save_mapping(**tx, *request.principal, (*loaded)->info.id, m, app.clock().now()); !r)
    return app.error_response(request, r.error());
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return app.redirect_with_notice(request, fmt::format("/operations/imports/{}", (*loaded)->info.id),
                                  "列の対応を保存しました。次回の取り込みにも使います。");
}

Response render_preview(Application& app, Request& request, db::Transaction& tx, const Loaded& l,
                        std::optional<std::string> problem) {
  auto p = ops::preview_import(tx, *request.principal, l.info.id);
  if (!p) {
    if (p.error().code == ErrorCode::kInvalidArgument)
      return app.redirect_with_notice(request, fmt::format("/operations/imports/{}/mapping", l.info.id),
                                      p.error().message, "error");
    return app.error_response(request, p.error());
  }
  auto editable = ops::may_edit_projects(tx, *request.principal, l.op);
  if (!editable) return app.error_response(request, editable.error());
  PreviewView v;
  v.operator_name = l.op.name;
  v.file_name = l.info.file_name;
  v.import_id = l.info.id;
  v.decide_action = fmt::format("/operations/imports/{}/decisions", l.info.id);
  v.confirm_action = fmt::format("/operations/imports/{}/confirm", l.info.id);
  v.discard_action = fmt::format("/operations/imports/{}/discard", l.info.id);
  v.mapping_href = fmt::format("/operations/imports/{}/mapping", l.info.id);
  v.data_rows = p->data_rows;
  v.valid_rows = p->rows.size();
  v.group_count = p->groups.size();
  v.new_projects = p->new_projects();
  v.new_sessions = p->new_sessions();
  v.can_edit = *editable;
  v.problem = std::move(problem);
  int page = page_number(request);
  std::size_t from = std::size_t(page - 1) * kGroupsPerPage;
  for (std::size_t g = from; g < p->groups.size() && g < from + kGroupsPerPage; ++g) {
    const ops::ImportGroup& group = p->groups[g];
    GroupView gv;
    gv.number = g + 1;
    gv.first_line = std::to_string(p->rows[group.rows.front()].line);
    gv.title = group.title;
    gv.company = group.company;
    if (!group.partner.empty()) gv.partner = group.partner;
    std::string categories;
    for (const auto& c : group.categories) categories += (categories.empty() ? "" : "・") + c;
    gv.categories = categories;
    gv.why = group.why;
    gv.status = group.new_sessions == 0 ? "取り込み済み" : group.project_id ? "既存のプロジェクトに追加" : "新規";
    gv.session_count = group.rows.size();
    gv.new_sessions = group.new_sessions;
    gv.merged = group.rows.size() > 1;
    for (std::size_t i = 0; i < group.rows.size() && i < kRowsShown; ++i) {
      const ops::ImportRow& r = p->rows[group.rows[i]];
      gv.rows.push_back({std::to_string(r.line), r.held_on.japanese(), r.title, r.company,
                         r.school.empty() ? r.municipality : r.school, r.known});
    }
    if (group.rows.size() > kRowsShown) gv.more_rows = std::to_string(group.rows.size() - kRowsShown);
    v.groups.push_back(std::move(gv));
  }
  v.pages = pagination(fmt::format("/operations/imports/{}", l.info.id), page, kGroupsPerPage,
                       std::int64_t(p->groups.size()));
  for (const auto& s : p->suggestions) v.suggestions.push_back({s.id, s.reason});
  v.has_suggestions = !v.suggestions.empty();
  std::set<std::size_t> lines;
  for (const auto& e : p->errors) {
    lines.insert(e.line);
    if (v.row_errors.size() < kErrorsShown) v.row_errors.push_back({e.line, e.message});
  }
  v.error_rows = lines.size();
  if (p->errors.size() > kErrorsShown) v.more_errors = std::to_string(p->errors.size() - kErrorsShown);
  v.has_errors = !p->errors.empty();
  for (const auto& o : p->outcomes) v.decisions.push_back(o.message);
  v.has_decisions = !v.decisions.empty();
  return app.page(request, "取り込み内容の確認", "operations/import_preview", v,
                  operator_crumbs(l.op, "取り込み内容の確認"), "/operations",
                  v.problem ? http::status::unprocessable_entity : http::status::ok);
}

Response preview_page(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load_import(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  if ((*loaded)->info.state != ops::ImportState::kStaged)
    return app.redirect_with_notice(request, fmt::format("/operations/operators/{}/projects", (*loaded)->op.id),
                                    fmt::format("この取り込みは{}です。", ops::import_state_label((*loaded)->info.state)),
                                    "info");
  return render_preview(app, request, **tx, **loaded, std::nullopt);
}

Response decide(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load_import(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  std::string action = request.field("action");
  Result<void> done;
  std::string notice;
  if (action == "clear") {
    done = ops::clear_decisions(**tx, *request.principal, (*loaded)->info.id, app.clock().now());
    notice = "判断をすべて取り消しました。";
  } else {
    counting::Decision d;
    if (action == "accept" || action == "reject") {
      d.action = action == "accept" ? counting::DecisionAction::kAccept : counting::DecisionAction::kReject;
      d.suggestion_id = request.field("suggestion");
      notice = action == "accept" ? "提案どおりまとめました。" : "提案を退けました。";
    } else if (action == "merge") {
      d.action = counting::DecisionAction::kMerge;
      for (auto line : request.form.all("merge")) d.session_ids.emplace_back(line);
      notice = "選んだプロジェクトを一つにまとめました。";
    } else if (action == "split") {
      d.action = counting::DecisionAction::kSplit;
      for (auto line : request.form.all("split")) d.session_ids.emplace_back(line);
      notice = "選んだ行を別のプロジェクトに分けました。";
    } else {
      return app.error(request, http::status::unprocessable_entity, "操作を選んでください");
    }
    done = ops::add_decision(**tx, *request.principal, (*loaded)->info.id, d, app.clock().now());
  }
  if (!done) {
    if (done.error().code == ErrorCode::kInvalidArgument) {
      (*tx).reset();
      auto rtx = app.database().begin(db::TxMode::kRead);
      if (!rtx) return app.error_response(request, rtx.error());
      return render_preview(app, request, **rtx, **loaded, done.error().message);
    }
    return app.error_response(request, done.error());
  }
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return app.redirect_with_notice(request, fmt::format("/operations/imports/{}", (*loaded)->info.id), notice);
}

Response confirm(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load_import(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  auto slot = app.admit(request, WorkKind::kInspection);
  if (!slot) return app.busy(request, WorkKind::kInspection);
  bool skip = request.field("skip_errors") == "1";
  auto summary = ops::confirm_import(**tx, *request.principal, (*loaded)->info.id, skip, app.clock().now());
  if (!summary) {
    if (summary.error().code == ErrorCode::kInvalidArgument) {
      (*tx).reset();
      auto rtx = app.database().begin(db::TxMode::kRead);
      if (!rtx) return app.error_response(request, rtx.error());
      return render_preview(app, request, **rtx, **loaded, summary.error().message);
    }
    return app.error_response(request, summary.error());
  }
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  std::string message = fmt::format("取り込みました。新しいプロジェクト {} 件、実施回 {} 件を追加しました。", summary->projects_created,
                                    summary->sessions_added);
  if (summary->sessions_known > 0)
    message += fmt::format("取り込み済みの {} 行は重ねて追加していません。", summary->sessions_known);
  if (summary->rows_skipped > 0) message += fmt::format("エラーのある {} 行は除きました。", summary->rows_skipped);
  return app.redirect_with_notice(request, fmt::format("/operations/operators/{}/projects", (*loaded)->op.id), message);
}

Response discard(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load_import(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  if (auto r = ops::discard_import(**tx, *request.principal, (*loaded)->info.id, app.clock().now()); !r)
    return app.error_response(request, r.error());
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return app.redirect_with_notice(request, fmt::format("/operations/operators/{}/projects", (*loaded)->op.id),
                                  "取り込みを破棄しました。");
}

}  // namespace

void register_operations_import_routes(Application& app) {
  // The uploaded activity lists are raw personal data: protected (the roster gate).
  const RouteOptions view{.required = auth::Action::kViewOperations, .protected_info = true};
  const RouteOptions edit{.required = auth::Action::kEditOperatorPlan, .body = BodyKind::kForm};
  app.get("/operations/operators/{id}/imports/new", {.required = auth::Action::kEditOperatorPlan}, new_import);
  app.post("/operations/operators/{id}/imports",
           {.required = auth::Action::kEditOperatorPlan, .body = BodyKind::kMultipart,
            .body_limit = ops::kMaxImportBytes + 64 * 1024},
           upload_import);
  app.get("/operations/imports/{id}/mapping", {.required = auth::Action::kEditOperatorPlan, .protected_info = true}, mapping_page);
  app.post("/operations/imports/{id}/mapping", edit, save_mapping);
  app.get("/operations/imports/{id}", view, preview_page);
  app.post("/operations/imports/{id}/decisions", edit, decide);
  app.post("/operations/imports/{id}/confirm", edit, confirm);
  app.post("/operations/imports/{id}/discard", edit, discard);
}

}  // namespace kakehashi::web
