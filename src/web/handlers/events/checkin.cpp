// Registrants and the check-in desk (issue 18): the list of registrants (personal data:
// kViewRegistrants on the event), its XLSX export (participants and attendance; without
// personal fields for those who may see the event but not its registrants), name badges (PDF),
// and the check-in screen made for a phone at the door: type or scan the receipt number or QR
// content, see the person, mark attended (once, whatever the number of desks), record walk-ins.
#include <fmt/format.h>

#include "events/render.h"
#include "events/service.h"
#include "web/handlers/call/common.h"
#include "web/handlers/events/common.h"

namespace kakehashi::web::eventsweb {
namespace {

struct Loaded {
  events::Event event;
  events::EventAccess rights;
  events::Counts counts;
};

// The event of {id} with the user's rights; nullopt: 404.
Result<std::optional<Loaded>> load(db::Transaction& tx, const Request& request) {
  auto event = load_event(tx, request);
  if (!event) return fail(event.error());
  if (!*event) return std::optional<Loaded>{};
  auto rights = events::access(tx, *request.principal, **event);
  if (!rights) return fail(rights.error());
  auto counts = events::event_counts(tx, **event);
  if (!counts) return fail(counts.error());
  return std::optional<Loaded>{Loaded{**event, *rights, *counts}};
}

Response registrations_page(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded || !(*loaded)->rights.personal) return app.error(request, http::status::not_found);
  const Loaded& l = **loaded;
  auto rows = events::registrations(**tx, *request.principal, l.event);
  if (!rows) return app.error_response(request, rows.error());
  RegistrationsView view;
  view.id = l.event.id;
  view.title = l.event.title;
  view.tabs = event_tabs(l.event, l.rights, "registrations");
  view.numbers = attendance_view(l.event, l.counts, app.clock().now());
  view.can_manage = l.rights.manage;
  for (const auto& r : *rows) {
    RegistrantRow row{r.receipt, r.name, r.organisation, std::string(events::registrant_kind_label(r.kind)),
                      prefecture_name(r.prefecture), r.email, std::string(events::attendance_label(r.attendance)),
                      std::string(events::status_label(r.status)), std::nullopt, std::nullopt, r.walk_in};
    if (r.kind == events::RegistrantKind::kSchool && !r.school_type.empty()) row.kind += "（" + r.school_type + "）";
    if (r.status == events::Status::kWaiting) {
      auto position = events::wait_position(**tx, r);
      if (!position) return app.error_response(request, position.error());
      row.position = std::to_string(*position);
    }
    if (r.attended_at) row.attended = tokyo_datetime(*r.attended_at).substr(11);
    view.rows.push_back(std::move(row));
  }
  view.has_rows = !view.rows.empty();
  return app.page(request, "参加者（" + l.event.title + "）", "events/registrations", view, event_crumbs(l.event, "参加者"),
                  "/events");
}

docs::DataCell cell(std::string text) { return {std::move(text), 0, false}; }
docs::DataCell number(double n) { return {"", n, true}; }

Response registrations_xlsx(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  const Loaded& l = **loaded;
  docs::DataTable table;
  if (!l.rights.personal) {
    // Without personal data: the numbers by kind, prefecture and attendance.
    table.header = {"区分", "都道府県", "参加方法", "参加確定", "出席"};
    auto all = events::event_counts(**tx, l.event);
    if (!all) return app.error_response(request, all.error());
    table.rows.push_back({cell("合計"), cell(""), cell("会場"), number(all->confirmed_in_person), number(all->attended_in_person)});
    table.rows.push_back({cell("合計"), cell(""), cell("オンライン"), number(all->confirmed_online), number(all->attended_online)});
    tx->reset();
    return callweb::xlsx_download(app, request, "参加者数（" + l.event.title + "）", std::move(table), "参加者数.xlsx");
  }
  auto rows = events::registrations(**tx, *request.principal, l.event);
  if (!rows) return app.error_response(request, rows.error());
  table.header = {"受付番号", "氏名", "所属", "区分", "学校種", "都道府県", "メールアドレス", "参加方法", "状況", "当日参加", "出席時刻"};
  for (const auto& r : *rows) {
    table.rows.push_back({cell(r.receipt), cell(r.name), cell(r.organisation),
                          cell(std::string(events::registrant_kind_label(r.kind))), cell(r.school_type),
                          cell(prefecture_name(r.prefecture)), cell(r.email),
                          cell(std::string(events::attendance_label(r.attendance))),
                          cell(std::string(events::status_label(r.status))), cell(r.walk_in ? "当日参加" : ""),
                          cell(r.attended_at ? tokyo_datetime(*r.attended_at) : "")});
  }
  tx->reset();
  return callweb::xlsx_download(app, request, "参加者（" + l.event.title + "）", std::move(table), "参加者一覧.xlsx");
}

Response badges(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded || !(*loaded)->rights.personal) return app.error(request, http::status::not_found);
  auto rows = events::registrations(**tx, *request.principal, (*loaded)->event);
  if (!rows) return app.error_response(request, rows.error());
  tx->reset();
  std::vector<events::Badge> list;
  for (const auto& r : *rows) {
    if (r.status != events::Status::kConfirmed || r.attendance != events::Attendance::kInPerson) continue;
    std::string kind(events::registrant_kind_label(r.kind));
    if (!r.school_type.empty()) kind += "（" + r.school_type + "）";
    list.push_back({r.name, r.organisation, kind, r.receipt});
  }
  auto pdf = events::badges_pdf((*loaded)->event, list);
  if (!pdf) return app.error_response(request, pdf.error());
  return file_response(std::move(*pdf), "application/pdf", "名札.pdf");
}

Response checkin_page(Application& app, Request& request, CheckinView view, http::status status) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded || !(*loaded)->rights.checkin) return app.error(request, http::status::not_found);
  const Loaded& l = **loaded;
  view.id = l.event.id;
  view.title = l.event.title;
  view.tabs = event_tabs(l.event, l.rights, "checkin");
  view.numbers = attendance_view(l.event, l.counts, app.clock().now());
  if (view.kinds.empty()) view.kinds = registrant_kind_options(request.field("kind"));
  tx->reset();
  return app.page(request, "受付（" + l.event.title + "）", "events/checkin", view, event_crumbs(l.event, "受付"), "/events",
                  status);
}

Response show_checkin(Application& app, Request& request) { return checkin_page(app, request, {}, http::status::ok); }

CheckinPerson person_of(const events::Event& event, const events::Registration& r) {
  CheckinPerson p;
  p.registration_id = r.id;
  p.receipt = r.receipt;
  p.name = r.name;
  p.organisation = r.organisation;
  p.kind = std::string(events::registrant_kind_label(r.kind));
  if (!r.school_type.empty()) p.kind += "（" + r.school_type + "）";
  p.attendance = std::string(events::attendance_label(r.attendance));
  p.status = std::string(events::status_label(r.status));
  p.confirmed = r.status == events::Status::kConfirmed;
  if (r.attended_at) p.attended = tokyo_datetime(*r.attended_at).substr(11);
  p.action = fmt::format("/events/{}/checkin/{}", event.id, r.id);
  return p;
}

Response lookup(Application& app, Request& request) {
  CheckinView view;
  view.code = request.field("code");
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded || !(*loaded)->rights.checkin) return app.error(request, http::status::not_found);
  auto found = events::find_for_checkin(**tx, *request.principal, (*loaded)->event, view.code);
  if (!found) return app.error_response(request, found.error());
  tx->reset();
  if (!*found) {
    view.code_error = events::normalise_code(view.code).empty()
                          ? "受付番号を入力するか、QR コードを読み取ってください"
                          : fmt::format("受付番号「{}」の申込みは見つかりません。番号を確かめるか、当日参加として受け付けてください",
                                        events::normalise_code(view.code));
    return checkin_page(app, request, std::move(view), http::status::unprocessable_entity);
  }
  view.person = person_of((*loaded)->event, **found);
  view.code.clear();
  return checkin_page(app, request, std::move(view), http::status::ok);
}

Response mark(Application& app, Request& request) {
  auto id = callweb::id_param(request, "registration");
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded || !(*loaded)->rights.checkin) return app.error(request, http::status::not_found);
  auto done = events::check_in(**tx, *request.principal, (*loaded)->event, *id, app.clock().now());
  if (!done) {
    if (!callweb::is_refusal(done.error())) return app.error_response(request, done.error());
    tx->reset();
    CheckinView view;
    view.code_error = done.error().message;
    return checkin_page(app, request, std::move(view), http::status::unprocessable_entity);
  }
  if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
  std::string base = fmt::format("/events/{}/checkin", (*loaded)->event.id);
  const events::Registration& r = done->registration;
  if (done->already) {
    return app.redirect_with_notice(request, base,
                                    fmt::format("{}さん（{}）は {} に受付済みです。重ねて数えていません。", r.name, r.organisation,
                                                r.attended_at ? tokyo_datetime(*r.attended_at).substr(11) : ""),
                                    "info");
  }
  return app.redirect_with_notice(request, base, fmt::format("{}さん（{}）を受け付けました。", r.name, r.organisation));
}

Response walk_in(Application& app, Request& request) {
  events::RegistrationForm form;
  form.name = request.field("name");
  form.organisation = request.field("organisation");
  form.kind = request.field("kind");
  form.email = request.field("email");
  events::Registration typed;
  auto errors = events::read_walk_in(form, typed);
  if (errors.empty()) {
    auto tx = app.database().begin(db::TxMode::kWrite);
    if (!tx) return app.error_response(request, tx.error());
    auto loaded = load(**tx, request);
    if (!loaded) return app.error_response(request, loaded.error());
    if (!*loaded || !(*loaded)->rights.checkin) return app.error(request, http::status::not_found);
    auto added = events::add_walk_in(**tx, *request.principal, (*loaded)->event, typed, app.clock().now());
    if (added) {
      if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
      return app.redirect_with_notice(request, fmt::format("/events/{}/checkin", (*loaded)->event.id),
                                      fmt::format("{}さんを当日参加として受け付けました（受付番号 {}）。", added->name, added->receipt));
    }
    if (!callweb::is_refusal(added.error())) return app.error_response(request, added.error());
    errors.push_back({"email", added.error().message});
  }
  CheckinView view;
  view.errors = form_errors(errors);
  view.has_errors = true;
  view.walk_name = form.name;
  view.walk_organisation = form.organisation;
  view.walk_email = form.email;
  view.walk_name_error = error_of(errors, "name");
  view.walk_kind_error = error_of(errors, "kind");
  view.walk_email_error = error_of(errors, "email");
  view.kinds = registrant_kind_options(form.kind);
  return checkin_page(app, request, std::move(view), http::status::unprocessable_entity);
}

}  // namespace
}  // namespace kakehashi::web::eventsweb

namespace kakehashi::web {
using namespace eventsweb;  // NOLINT: the screens of this file

void register_events_checkin_routes(Application& app) {
  using auth::Action;
  app.get("/events/{id}/registrations", {.required = Action::kViewRegistrants, .protected_info = true}, registrations_page);
  app.get("/events/{id}/registrations.xlsx", {.required = Action::kViewEvents, .protected_info = true}, registrations_xlsx);
  app.get("/events/{id}/badges.pdf", {.required = Action::kViewRegistrants, .protected_info = true}, badges);
  app.get("/events/{id}/checkin", {.required = Action::kCheckIn, .protected_info = true}, show_checkin);
  app.post("/events/{id}/checkin", {.required = Action::kCheckIn, .body = BodyKind::kForm, .protected_info = true}, lookup);
  app.post("/events/{id}/checkin/{registration}", {.required = Action::kCheckIn, .body = BodyKind::kForm, .protected_info = true}, mark);
  app.post("/events/{id}/walkins", {.required = Action::kCheckIn, .body = BodyKind::kForm, .protected_info = true}, walk_in);
}

}  // namespace kakehashi::web
