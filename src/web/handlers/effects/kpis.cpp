// The effect-verification overview, an operator's KPIs and surveys, the KPI form and a KPI's
// actuals (issue 20). Reads with kViewOperations within reach; writes with kEditOperatorPlan (the
// secretariat, the operator itself).
#include <cmath>
#include <fmt/format.h>

#include "operations/projects.h"
#include "web/confirm_view.h"
#include "web/handlers/call/common.h"
#include "web/handlers/effects/common.h"

namespace kakehashi::web {
namespace {

using namespace effectsweb;
namespace fx = effects;

std::string progress_text(const std::optional<double>& p) {
  return p ? fmt::format("{:.1f}%", std::round(*p * 10) / 10) : std::string("—");
}

Response overview(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  const auth::Principal& who = *request.principal;
  auto ops = fx::visible_operators(**tx, who);
  if (!ops) return app.error_response(request, ops.error());
  auto kpis = fx::visible_kpis(**tx, who);
  if (!kpis) return app.error_response(request, kpis.error());
  auto surveys = fx::visible_surveys(**tx, who);
  if (!surveys) return app.error_response(request, surveys.error());
  OverviewView v;
  for (const auto& op : *ops) {
    OverviewOperator row{op.name, operator_href(op.id), block_names(op), 0, "—", 0, 0};
    double sum = 0;
    int counted = 0;
    for (const auto& k : *kpis) {
      if (k.operator_id != op.id) continue;
      ++row.kpis;
      if (auto p = k.progress()) {
        sum += std::min(*p, 100.0);
        ++counted;
      }
    }
    if (counted > 0) row.progress = progress_text(sum / counted);
    for (const auto& s : *surveys) {
      if (s.operator_id != op.id) continue;
      ++row.surveys;
      row.analysed += s.analysed();
    }
    v.operators.push_back(std::move(row));
  }
  v.has_operators = !v.operators.empty();
  return app.page(request, "効果検証", "effects/index", v, {{"効果検証", ""}}, "/effects");
}

std::string project_title(db::Transaction& tx, const auth::Principal& who, std::optional<std::int64_t> id) {
  if (!id) return {};
  auto p = operations::find_project(tx, who, *id);
  return p && *p ? (*p)->title : std::string();
}

Response operator_page(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_operator(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  const auth::Principal& who = *request.principal;
  auto kpis = fx::visible_kpis(**tx, who);
  if (!kpis) return app.error_response(request, kpis.error());
  auto surveys = fx::visible_surveys(**tx, who);
  if (!surveys) return app.error_response(request, surveys.error());
  auto editable = fx::may_edit(**tx, who, **op);
  if (!editable) return app.error_response(request, editable.error());
  OperatorView v;
  v.name = (*op)->name;
  v.blocks = block_names(**op);
  v.can_edit = *editable;
  v.new_kpi_href = operator_href((*op)->id) + "/kpis/new";
  v.new_survey_href = operator_href((*op)->id) + "/surveys/new";
  std::vector<fx::Kpi> mine;
  for (const auto& k : *kpis) {
    if (k.operator_id != (*op)->id) continue;
    mine.push_back(k);
    KpiRow row;
    row.name = k.name;
    row.href = kpi_href(k.id);
    row.kind = fx::kpi_kind_label(k.kind);
    row.unit = k.unit;
    row.baseline = number_text(k.baseline);
    row.target = number_text(k.target);
    row.current = number_text(k.current());
    row.progress = progress_text(k.progress());
    row.block = block_name(k.block_id);
    std::string project = project_title(**tx, who, k.project_id);
    if (!project.empty()) row.project = project;
    row.shared = !k.shared_key.empty();
    row.periods = std::int64_t(k.actuals.size());
    v.kpis.push_back(std::move(row));
  }
  v.has_kpis = !v.kpis.empty();
  if (v.has_kpis)
    v.figures.push_back(figure_view(fx::kpi_progress_figure((*op)->name, mine), operator_href((*op)->id) + "/charts/progress"));
  for (const auto& s : *surveys) {
    if (s.operator_id != (*op)->id) continue;
    SurveyRow row{s.title, survey_href(s.id), block_name(s.block_id),
                  s.analysed() ? fmt::format("分析済み（{} 組）", s.pairs) : "未分析", std::nullopt};
    std::string project = project_title(**tx, who, s.project_id);
    if (!project.empty()) row.project = project;
    v.surveys.push_back(std::move(row));
  }
  v.has_surveys = !v.surveys.empty();
  return app.page(request, (*op)->name + " の効果検証", "effects/operator", v, crumbs((*op)->name), "/effects");
}

Response operator_chart(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_operator(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op || request.params["chart"] != "progress") return app.error(request, http::status::not_found);
  auto kpis = fx::visible_kpis(**tx, *request.principal);
  if (!kpis) return app.error_response(request, kpis.error());
  std::vector<fx::Kpi> mine;
  for (const auto& k : *kpis)
    if (k.operator_id == (*op)->id) mine.push_back(k);
  return figure_download(app, request, fx::kpi_progress_figure((*op)->name, mine));
}

std::vector<SelectOption> block_options(const operations::Operator& op, const std::string& selected) {
  std::vector<SelectOption> out;
  for (const auto& b : op.blocks) out.push_back({b.block_id, block_name(b.block_id), b.block_id == selected});
  return out;
}

std::vector<SelectOption> project_options(db::Transaction& tx, const auth::Principal& who, const operations::Operator& op,
                                          const std::string& selected) {
  std::vector<SelectOption> out;
  operations::ProjectFilter filter;
  filter.operator_id = op.id;
  auto page = operations::list_projects(tx, who, filter, 1, 200);
  if (!page) return out;
  for (const auto& p : page->items)
    out.push_back({std::to_string(p.id), fmt::format("{}（{}）", p.title, block_name(p.block_id)),
                   std::to_string(p.id) == selected});
  return out;
}

KpiFormView kpi_form(db::Transaction& tx, const auth::Principal& who, const operations::Operator& op,
                     const fx::KpiDraft& d, const std::vector<fx::FieldError>& errors) {
  KpiFormView v;
  v.operator_name = op.name;
  v.action = operator_href(op.id) + "/kpis";
  v.cancel_href = operator_href(op.id);
  for (const auto& s : fx::shared_indicators())
    v.shared.push_back({std::string(s.key), fmt::format("{}（{}）", s.name, s.unit), s.key == d.shared_key});
  v.blocks = block_options(op, d.block_id);
  v.projects = project_options(tx, who, op, d.project_id);
  for (auto k : {fx::KpiKind::kIndustry, fx::KpiKind::kEducation, fx::KpiKind::kActivity})
    v.kinds.push_back({std::string(fx::to_string(k)), std::string(fx::kpi_kind_label(k)), fx::to_string(k) == d.kind});
  v.name = d.name;
  v.unit = d.unit;
  v.baseline = d.baseline;
  v.target = d.target;
  v.cumulative = d.cumulative != "0";
  v.errors = opsweb::form_errors(errors);
  v.has_errors = !errors.empty();
  v.shared_key_error = opsweb::error_of(errors, "shared_key");
  v.block_id_error = opsweb::error_of(errors, "block_id");
  v.project_id_error = opsweb::error_of(errors, "project_id");
  v.name_error = opsweb::error_of(errors, "name");
  v.unit_error = opsweb::error_of(errors, "unit");
  v.kind_error = opsweb::error_of(errors, "kind");
  v.baseline_error = opsweb::error_of(errors, "baseline");
  v.target_error = opsweb::error_of(errors, "target");
  return v;
}

// The form's fields as typed.
fx::KpiDraft kpi_draft(const Request& request) {
  return {request.field("project_id"), request.field("block_id"), request.field("shared_key"),
          request.field("name"),       request.field("unit"),     request.field("kind"),
          request.field("cumulative").empty() ? "0" : "1", request.field("baseline"), request.field("target")};
}

Response new_kpi(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_operator(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  auto editable = fx::may_edit(**tx, *request.principal, **op);
  if (!editable) return app.error_response(request, editable.error());
  if (!*editable) return app.error(request, http::status::forbidden, "この実証事業者の効果検証を変更する権限がありません");
  fx::KpiDraft d;
  d.kind = "activity";
  return app.page(request, "KPI を登録", "effects/kpi_form", kpi_form(**tx, *request.principal, **op, d, {}),
                  crumbs((*op)->name, (*op)->id, "KPI を登録"), "/effects");
}

Response create_kpi(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_operator(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  const auth::Principal& who = *request.principal;
  auto editable = fx::may_edit(**tx, who, **op);
  if (!editable) return app.error_response(request, editable.error());
  if (!*editable) return app.error(request, http::status::forbidden, "この実証事業者の効果検証を変更する権限がありません");
  fx::KpiDraft d = kpi_draft(request);
  fx::Kpi parsed;
  auto errors = fx::validate(**tx, who, d, **op, parsed);
  if (!errors.empty())
    return app.page(request, "KPI を登録", "effects/kpi_form", kpi_form(**tx, who, **op, d, errors),
                    crumbs((*op)->name, (*op)->id, "KPI を登録"), "/effects", http::status::unprocessable_entity);
  auto id = fx::create_kpi(**tx, who, (*op)->id, d, app.clock().now());
  if (!id) return app.error_response(request, id.error());
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return app.redirect_with_notice(request, kpi_href(*id), "KPI を登録しました。実績を記録してください。");
}

struct LoadedKpi {
  fx::Kpi kpi;
  operations::Operator op;
};
Result<std::optional<LoadedKpi>> load_kpi(db::Transaction& tx, const Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return std::optional<LoadedKpi>{};
  auto kpi = fx::find_kpi(tx, *request.principal, *id);
  if (!kpi) return fail(kpi.error());
  if (!*kpi) return std::optional<LoadedKpi>{};
  auto op = fx::find_operator(tx, *request.principal, (*kpi)->operator_id);
  if (!op) return fail(op.error());
  if (!*op) return std::optional<LoadedKpi>{};
  return std::optional<LoadedKpi>(LoadedKpi{std::move(**kpi), std::move(**op)});
}

Response kpi_page_with(Application& app, Request& request, db::Transaction& tx, const LoadedKpi& l, const fx::ActualDraft& d,
                       const std::vector<fx::FieldError>& errors, http::status status) {
  const fx::Kpi& k = l.kpi;
  KpiView v;
  v.name = k.name;
  v.operator_name = l.op.name;
  v.operator_href = operator_href(l.op.id);
  v.kind = fx::kpi_kind_label(k.kind);
  v.unit = k.unit;
  v.baseline = number_text(k.baseline);
  v.target = number_text(k.target);
  v.current = number_text(k.current());
  v.progress = progress_text(k.progress());
  v.block = block_name(k.block_id);
  v.rule = k.cumulative ? "各期の実績を基準値に加えた累計を現在値とします" : "最新の期の実績を現在値とします";
  std::string project = project_title(tx, *request.principal, k.project_id);
  if (!project.empty()) v.project = project;
  for (const auto& a : k.actuals) {
    ActualRow row{fx::period_label(a.period), number_text(a.value), a.source, std::nullopt};
    if (!a.evidence.empty()) row.evidence = a.evidence;
    v.actuals.push_back(std::move(row));
  }
  v.has_actuals = !v.actuals.empty();
  auto editable = fx::may_edit(tx, *request.principal, l.op);
  v.can_edit = editable && *editable;
  v.action = kpi_href(k.id) + "/actuals";
  v.delete_action = kpi_href(k.id) + "/delete";
  v.edit_href = kpi_href(k.id) + "/edit";
  v.period = d.period;
  v.value = d.value;
  v.source = d.source;
  v.evidence = d.evidence;
  v.errors = opsweb::form_errors(errors);
  v.has_errors = !errors.empty();
  v.period_error = opsweb::error_of(errors, "period");
  v.value_error = opsweb::error_of(errors, "value");
  v.source_error = opsweb::error_of(errors, "source");
  v.evidence_error = opsweb::error_of(errors, "evidence");
  return app.page(request, k.name, "effects/kpi", v, crumbs(l.op.name, l.op.id, k.name), "/effects", status);
}

Response kpi_page(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto l = load_kpi(**tx, request);
  if (!l) return app.error_response(request, l.error());
  if (!*l) return app.error(request, http::status::not_found);
  return kpi_page_with(app, request, **tx, **l, {}, {}, http::status::ok);
}

Response record_actual(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto l = load_kpi(**tx, request);
  if (!l) return app.error_response(request, l.error());
  if (!*l) return app.error(request, http::status::not_found);
  fx::ActualDraft d{request.field("period"), request.field("value"), request.field("source"), request.field("evidence")};
  fx::Actual parsed;
  auto errors = fx::validate(d, parsed);
  auto editable = fx::may_edit(**tx, *request.principal, (*l)->op);
  if (!editable) return app.error_response(request, editable.error());
  if (!*editable) return app.error(request, http::status::forbidden, "この実証事業者の効果検証を変更する権限がありません");
  if (!errors.empty()) return kpi_page_with(app, request, **tx, **l, d, errors, http::status::unprocessable_entity);
  if (auto r = fx::record_actual(**tx, *request.principal, (*l)->kpi.id, d, app.clock().now()); !r)
    return app.error_response(request, r.error());
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return app.redirect_with_notice(request, kpi_href((*l)->kpi.id), fx::period_label(parsed.period) + "の実績を記録しました。");
}

KpiFormView edit_form(db::Transaction& tx, const auth::Principal& who, const LoadedKpi& l, const fx::KpiDraft& d,
                      const std::vector<fx::FieldError>& errors) {
  KpiFormView v = kpi_form(tx, who, l.op, d, errors);
  v.title = "KPI を編集";
  v.submit_label = "変更を保存する";
  v.action = kpi_href(l.kpi.id) + "/edit";
  v.cancel_href = kpi_href(l.kpi.id);
  if (!l.kpi.actuals.empty())
    v.note = fmt::format("記録済みの実績 {} 件はそのまま残ります。単位や累計の扱いを変えるときは、実績の意味が変わらないか確かめてください。",
                         l.kpi.actuals.size());
  return v;
}

// Loads the KPI for a change: not found (404) when out of reach, denied (403) when `who` may see
// but not edit it; app.error_response answers either.
Result<LoadedKpi> editable_kpi(db::Transaction& tx, const Request& request) {
  auto l = load_kpi(tx, request);
  if (!l) return fail(l.error());
  if (!*l) return fail(Error::not_found("KPI が見つかりません"));
  auto editable = fx::may_edit(tx, *request.principal, (*l)->op);
  if (!editable) return fail(editable.error());
  if (!*editable) return fail(Error::denied("この実証事業者の効果検証を変更する権限がありません"));
  return std::move(**l);
}

Response show_edit_kpi(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto l = editable_kpi(**tx, request);
  if (!l) return app.error_response(request, l.error());
  const fx::Kpi& k = l->kpi;
  fx::KpiDraft d{k.project_id ? std::to_string(*k.project_id) : "", k.block_id, k.shared_key, k.name, k.unit,
                 std::string(fx::to_string(k.kind)), k.cumulative ? "1" : "0", number_text(k.baseline), number_text(k.target)};
  return app.page(request, "KPI を編集", "effects/kpi_form", edit_form(**tx, *request.principal, *l, d, {}),
                  crumbs(l->op.name, l->op.id, "KPI を編集"), "/effects");
}

Response update_kpi(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto l = editable_kpi(**tx, request);
  if (!l) return app.error_response(request, l.error());
  const auth::Principal& who = *request.principal;
  fx::KpiDraft d = kpi_draft(request);
  fx::Kpi parsed;
  auto errors = fx::validate(**tx, who, d, l->op, parsed);
  if (!errors.empty())
    return app.page(request, "KPI を編集", "effects/kpi_form", edit_form(**tx, who, *l, d, errors),
                    crumbs(l->op.name, l->op.id, "KPI を編集"), "/effects", http::status::unprocessable_entity);
  if (auto r = fx::update_kpi(**tx, who, l->kpi.id, d, app.clock().now()); !r) return app.error_response(request, r.error());
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return app.redirect_with_notice(request, kpi_href(l->kpi.id), "KPI の定義を変更しました。");
}

Response confirm_delete_kpi(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto l = editable_kpi(**tx, request);
  if (!l) return app.error_response(request, l.error());
  const fx::Kpi& k = l->kpi;
  ConfirmView confirm;
  confirm.heading = fmt::format("KPI「{}」を削除しますか", k.name);
  confirm.lead = "削除すると元に戻せません。";
  confirm.consequences.push_back(k.actuals.empty() ? std::string("記録された実績はありません。")
                                                   : fmt::format("記録済みの実績 {} 件も削除します。", k.actuals.size()));
  if (!k.shared_key.empty()) confirm.consequences.push_back("共通指標のブロック別・全国の集計からも除かれます。");
  confirm.action = kpi_href(k.id) + "/delete";
  confirm.confirm_label = "削除する";
  confirm.back_href = kpi_href(k.id);
  return app.page(request, "KPI の削除", "shared/confirm", confirm, crumbs(l->op.name, l->op.id, "KPI の削除"), "/effects");
}

Response delete_kpi(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto l = load_kpi(**tx, request);
  if (!l) return app.error_response(request, l.error());
  if (!*l) return app.error(request, http::status::not_found);
  if (auto r = fx::delete_kpi(**tx, *request.principal, (*l)->kpi.id, app.clock().now()); !r)
    return app.error_response(request, r.error());
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return app.redirect_with_notice(request, operator_href((*l)->op.id), "KPI を削除しました。");
}

}  // namespace

void register_effects_routes(Application& app) {
  using auth::Action;
  app.add_nav_item({"効果検証", "/effects", Action::kViewOperations});
  app.get("/effects", {.required = Action::kViewOperations}, overview);
  app.get("/effects/operators/{id}", {.required = Action::kViewOperations}, operator_page);
  app.get("/effects/operators/{id}/charts/{chart}/{format}", {.required = Action::kViewOperations}, operator_chart);
  app.get("/effects/operators/{id}/kpis/new", {.required = Action::kEditOperatorPlan}, new_kpi);
  app.post("/effects/operators/{id}/kpis", {.required = Action::kEditOperatorPlan, .body = BodyKind::kForm}, create_kpi);
  app.get("/effects/kpis/{id}", {.required = Action::kViewOperations}, kpi_page);
  app.post("/effects/kpis/{id}/actuals", {.required = Action::kEditOperatorPlan, .body = BodyKind::kForm}, record_actual);
  app.get("/effects/kpis/{id}/edit", {.required = Action::kEditOperatorPlan}, show_edit_kpi);
  app.post("/effects/kpis/{id}/edit", {.required = Action::kEditOperatorPlan, .body = BodyKind::kForm}, update_kpi);
  app.get("/effects/kpis/{id}/delete", {.required = Action::kEditOperatorPlan}, confirm_delete_kpi);
  app.post("/effects/kpis/{id}/delete", {.required = Action::kEditOperatorPlan, .body = BodyKind::kForm}, delete_kpi);
  effectsweb::register_survey_routes(app);
  effectsweb::register_rollup_routes(app);
  effectsweb::register_api_routes(app);
}

}  // namespace kakehashi::web
