// /api/v1/compliance (issue 21): the half-yearly compliance reports with their answers and
// evidence, and the incident log with its deadlines. Described in openapi_compliance.json.
#include <fmt/format.h>

#include <boost/json.hpp>

#include "auth/policy.h"
#include "compliance/incidents.h"
#include "compliance/reports.h"
#include "web/handlers/api/list.h"
#include "web/handlers/call/common.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web::compliance_web {
namespace {

namespace cm = kakehashi::compliance;

boost::json::value optional_at(const std::optional<std::chrono::sys_seconds>& at) {
  return at ? boost::json::value(iso_utc(*at)) : boost::json::value(nullptr);
}

boost::json::object report_json(const cm::ComplianceReport& r) {
  return {{"id", r.id},
          {"period_from", r.period.from.iso()},
          {"period_to", r.period.to.iso()},
          {"due_on", r.period.due.iso()},
          {"status", cm::report_status_id(r.status)},
          {"contract_title", r.contract_title},
          {"submitted_at", optional_at(r.submitted_at)},
          {"decided_at", optional_at(r.decided_at)},
          {"decision_note", r.decision_note}};
}

boost::json::object incident_json(const cm::Incident& i) {
  return {{"id", i.id},
          {"title", i.title},
          {"discovered_at", iso_utc(i.discovered_at)},
          {"reported_at", iso_utc(i.reported_at)},
          {"first_report_due", iso_utc(i.first_report_due())},
          {"cause_report_due", iso_utc(i.cause_report_due())},
          {"contained_at", optional_at(i.contained_at)},
          {"cause_reported", i.cause_reported()},
          {"status", i.closed ? "closed" : "open"},
          {"closed_at", optional_at(i.closed_at)}};
}

template <class T, class F>
Response page_of(Application& app, Request& request, const Result<std::vector<T>>& list, F to_json) {
  auto page = api_page(request);
  if (!page) return app.error(request, http::status::bad_request, page.error().message);
  if (!list) return app.error_response(request, list.error());
  boost::json::array items;
  for (std::size_t i = std::size_t(page->offset()); i < list->size() && items.size() < std::size_t(page->per_page); ++i)
    items.push_back(to_json((*list)[i]));
  return api_list(request, *page, std::int64_t(list->size()), std::move(items));
}

Response reports_json(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  return page_of(app, request, cm::list_reports(**tx, *request.principal), report_json);
}

Response report_detail_json(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto found = cm::find_report(**tx, *request.principal, *id);
  if (!found) return app.error_response(request, found.error());
  if (!*found) return app.error(request, http::status::not_found);
  boost::json::object o = report_json((*found)->report);
  boost::json::array items;
  for (const auto& a : (*found)->answers) {
    boost::json::array evidence;
    for (const auto& e : a.evidence) evidence.push_back({{"label", e.label}, {"href", e.href}});
    for (const auto& item : cm::report_items()) {
      if (item.number != a.number) continue;
      for (const auto& e : item.automatic) evidence.push_back({{"label", e.label}, {"href", e.href}});
    }
    items.push_back({{"item", a.number},
                     {"status", a.status ? boost::json::value(cm::item_status_id(*a.status)) : boost::json::value(nullptr)},
                     {"detail", a.detail},
                     {"evidence", std::move(evidence)}});
  }
  o["items"] = std::move(items);
  return Response::json(boost::json::serialize(o));
}

Response incidents_json(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  return page_of(app, request, cm::list_incidents(**tx, *request.principal), incident_json);
}

}  // namespace

void register_compliance_api_routes(Application& app) {
  app.get("/api/v1/compliance/reports", {.required = auth::Action::kViewComplianceReport}, reports_json);
  app.get("/api/v1/compliance/reports/{id}", {.required = auth::Action::kViewComplianceReport}, report_detail_json);
  app.get("/api/v1/compliance/incidents", {.required = auth::Action::kViewIncidents}, incidents_json);
}

}  // namespace kakehashi::web::compliance_web
