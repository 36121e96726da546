// Screens of the incident log (issue 21, R8.5; 情報セキュリティに関する事項 11)): the list with
// deadlines, recording an incident (the first report to METI), follow-up reports with
// containment, cause and prevention, and closure. The procedure is in compliance/incidents.h.
#include <fmt/format.h>

#include "auth/policy.h"
#include "auth/users.h"
#include "compliance/incidents.h"
#include "web/handlers/call/common.h"
#include "web/handlers/compliance/views.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web::compliance_web {
namespace {

namespace cm = kakehashi::compliance;
using auth::Action;

const Breadcrumb kHome{"情報管理", "/compliance"};
const Breadcrumb kIncidents{"インシデント", "/compliance/incidents"};

std::string incident_href(std::int64_t id) { return fmt::format("/compliance/incidents/{}", id); }
std::string jp(std::chrono::sys_seconds at) { return tokyo_datetime_japanese(at); }

std::string after_label(std::chrono::seconds gap) {
  auto minutes = std::chrono::duration_cast<std::chrono::minutes>(gap).count();
  if (minutes < 60) return fmt::format("認知から {} 分後", minutes);
  if (minutes < 48 * 60) return fmt::format("認知から {} 時間 {} 分後", minutes / 60, minutes % 60);
  return fmt::format("認知から {} 日後", minutes / (24 * 60));
}

Response list_incidents(Application& app, Request& request) {
  const auth::Principal& who = *request.principal;
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto list = cm::list_incidents(**tx, who);
  if (!list) return app.error_response(request, list.error());
  auto now = app.clock().now();
  IncidentsView view;
  for (const auto& i : *list) {
    view.incidents.push_back({incident_href(i.id), i.title, jp(i.discovered_at), jp(i.reported_at),
                              i.cause_reported() ? "報告済み" : jp(i.cause_report_due()),
                              !i.closed && !i.cause_reported() && now > i.cause_report_due(),
                              i.closed ? "完了" : "対応中", !i.closed});
  }
  view.has_incidents = !view.incidents.empty();
  view.can_record = auth::may(who, Action::kRecordIncident);
  return app.page(request, "インシデント", "compliance/incidents", view, {kHome, {"インシデント", ""}}, "/compliance");
}

Response incident_form(Application& app, Request& request, const cm::IncidentForm& form,
                       const std::vector<cm::FieldError>& errors) {
  IncidentFormView view{.title = form.title, .what = form.what, .discovered_at = form.discovered_at,
                        .impact = form.impact, .affected_info = form.affected_info, .measures = form.measures};
  auto error_of = [&](std::string_view field) -> std::optional<std::string> {
    for (const auto& e : errors) if (e.field == field) return e.message;
    return std::nullopt;
  };
  view.title_error = error_of("title");
  view.what_error = error_of("what");
  view.discovered_at_error = error_of("discovered_at");
  view.impact_error = error_of("impact");
  view.affected_info_error = error_of("affected_info");
  view.measures_error = error_of("measures");
  view.has_errors = !errors.empty();
  for (const auto& e : errors) view.errors.push_back({e.field, e.message});
  return app.page(request, "インシデントを記録する", "compliance/incident_form", view,
                  {kHome, kIncidents, {"記録する", ""}}, "/compliance",
                  errors.empty() ? http::status::ok : http::status::unprocessable_entity);
}

Response new_incident(Application& app, Request& request) {
  cm::IncidentForm form;
  form.discovered_at = tokyo_datetime_local(app.clock().now());
  return incident_form(app, request, form, {});
}

Response create_incident(Application& app, Request& request) {
  cm::IncidentForm form{request.field("title"), request.field("what"), request.field("discovered_at"),
                        request.field("impact"), request.field("affected_info"), request.field("measures")};
  cm::Incident incident;
  auto now = app.clock().now();
  auto errors = cm::read_incident(form, incident, now);
  if (!errors.empty()) return incident_form(app, request, form, errors);
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto id = cm::record_incident(**tx, *request.principal, incident, "/compliance/incidents", now);
  if (!id) return app.error_response(request, id.error());
  if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
  return app.redirect_with_notice(request, incident_href(*id),
                                  "インシデントを記録し、経済産業省と情報管理責任者に第一報を通知しました。");
}

struct FollowUpTyped {
  cm::FollowUpForm form;
  std::optional<std::string> body_error, close_error;
};

Response incident_page_with(Application& app, Request& request, std::int64_t id, const std::optional<FollowUpTyped>& typed) {
  const auth::Principal& who = *request.principal;
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto found = cm::find_incident(**tx, who, id);
  if (!found) return app.error_response(request, found.error());
  if (!*found) return app.error(request, http::status::not_found);
  const cm::Incident& i = **found;
  auto reports = cm::incident_reports(**tx, who, id);
  if (!reports) return app.error_response(request, reports.error());
  std::vector<std::int64_t> ids{i.recorded_by};
  if (i.closed_by) ids.push_back(*i.closed_by);
  for (const auto& r : *reports) ids.push_back(r.reported_by);
  auto names_found = auth::user_names(**tx, ids);
  auto names = names_found ? *names_found : std::map<std::int64_t, std::string>{};
  auto name = [&](std::int64_t uid) {
    auto it = names.find(uid);
    return it == names.end() ? fmt::format("ユーザー {}", uid) : it->second;
  };
  auto now = app.clock().now();
  IncidentView view;
  view.id = i.id;
  view.title = i.title;
  view.what = i.what;
  view.discovered = jp(i.discovered_at);
  view.impact = i.impact;
  view.affected_info = i.affected_info;
  view.measures = i.measures;
  view.reported = fmt::format("{}（{}、{}）", jp(i.reported_at), name(i.recorded_by), after_label(i.reported_at - i.discovered_at));
  view.reported_late = i.reported_at > i.first_report_due();
  view.first_due = jp(i.first_report_due());
  view.cause_due = jp(i.cause_report_due());
  view.cause_overdue = !i.closed && !i.cause_reported() && now > i.cause_report_due();
  view.contained = i.contained_at ? jp(*i.contained_at) : "未完了";
  view.is_contained = i.contained_at.has_value();
  view.cause = i.cause.empty() ? "（未報告）" : i.cause;
  view.prevention = i.prevention.empty() ? "（未報告）" : i.prevention;
  view.open = !i.closed;
  view.status = i.closed ? "完了" : "対応中";
  if (i.closed_at && i.closed_by) view.closed = fmt::format("{}（{}）", jp(*i.closed_at), name(*i.closed_by));
  for (const auto& r : *reports) view.reports.push_back({jp(r.reported_at), name(r.reported_by), r.body});
  view.has_reports = !view.reports.empty();
  view.can_report = !i.closed && auth::may(who, Action::kRecordIncident);
  if (typed) {
    view.body = typed->form.body;
    view.contained_checked = typed->form.contained;
    view.cause_typed = typed->form.cause;
    view.prevention_typed = typed->form.prevention;
    view.body_error = typed->body_error;
    view.close_error = typed->close_error;
  }
  bool refused = typed && (typed->body_error || typed->close_error);
  return app.page(request, i.title, "compliance/incident", view, {kHome, kIncidents, {i.title, ""}}, "/compliance",
                  refused ? http::status::unprocessable_entity : http::status::ok);
}

Response incident_page(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  return incident_page_with(app, request, *id, std::nullopt);
}

Response follow_up(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  FollowUpTyped typed;
  typed.form = {request.field("body"), request.field("contained") == "yes", request.field("cause"),
                request.field("prevention")};
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  std::vector<cm::FieldError> errors;
  auto done = cm::report_follow_up(**tx, *request.principal, *id, typed.form, incident_href(*id), app.clock().now(), &errors);
  if (!done) {
    if (done.error().code != ErrorCode::kInvalidArgument) return app.error_response(request, done.error());
    tx->reset();
    std::string all;
    for (const auto& e : errors) all += (all.empty() ? "" : " ") + e.message;
    typed.body_error = all.empty() ? done.error().message : all;
    return incident_page_with(app, request, *id, typed);
  }
  if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
  return app.redirect_with_notice(request, incident_href(*id), "経過を報告し、経済産業省に通知しました。");
}

Response close(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto done = cm::close_incident(**tx, *request.principal, *id, incident_href(*id), app.clock().now());
  if (!done) {
    if (done.error().code != ErrorCode::kInvalidArgument) return app.error_response(request, done.error());
    tx->reset();
    FollowUpTyped typed;
    typed.close_error = done.error().message;
    return incident_page_with(app, request, *id, typed);
  }
  if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
  return app.redirect_with_notice(request, incident_href(*id), "インシデントの対応を完了にしました。");
}

}  // namespace

void register_compliance_incident_routes(Application& app) {
  RouteOptions view{.required = Action::kViewIncidents};
  RouteOptions record{.required = Action::kRecordIncident, .body = BodyKind::kForm};
  app.get("/compliance/incidents", view, list_incidents);
  app.get("/compliance/incidents/new", {.required = Action::kRecordIncident}, new_incident);
  app.post("/compliance/incidents", record, create_incident);
  app.get("/compliance/incidents/{id}", view, incident_page);
  app.post("/compliance/incidents/{id}/reports", record, follow_up);
  app.post("/compliance/incidents/{id}/close", record, close);
  app.add_home_tasks([](db::Transaction& tx, const auth::Principal& who, std::chrono::sys_seconds now)
                         -> Result<std::vector<HomeTask>> {
    std::vector<HomeTask> out;
    if (!auth::may(who, Action::kRecordIncident)) return out;
    auto open = cm::incidents_needing_report(tx);
    if (!open) return fail(open.error());
    for (const auto& i : *open) {
      HomeTask task;
      task.section = who.has(auth::Role::kSecurityOfficer) ? "security_officer" : "secretariat";
      task.href = incident_href(i.id);
      if (!i.cause_reported()) {
        task.text = fmt::format("インシデント「{}」の原因と再発防止策を経済産業省に報告してください", i.title);
        task.due = i.cause_report_due();
        task.urgent = true;
      } else {
        task.text = fmt::format("インシデント「{}」の対応を完了にしてください", i.title);
        task.urgent = now > i.cause_report_due();
      }
      out.push_back(std::move(task));
    }
    return out;
  });
}

}  // namespace kakehashi::web::compliance_web
