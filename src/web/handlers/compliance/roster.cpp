// Screens of the information-handler roster (issue 21; R7.1, R7.3, R7.4): the approved roster,
// a person (personal fields for the security officer and METI, audited), change requests and
// METI's decision, the 様式4 XLSX and the version history. Installs the roster gate for every
// route marked protected_info.
#include <fmt/format.h>

#include <boost/json.hpp>

#include <chrono>
#include <memory>
#include <mutex>

#include "auth/policy.h"
#include "auth/users.h"
#include "compliance/diagram.h"
#include "compliance/service.h"
#include "web/content_disposition.h"
#include "web/handlers/call/common.h"
#include "web/handlers/compliance/views.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web::compliance_web {
namespace {

namespace cm = kakehashi::compliance;
using auth::Action;

const Breadcrumb kHome{"情報管理", "/compliance"};

// The gate's view of the approved roster, kept in memory: reloaded when this process approved
// a change (roster_generation moved) and at most every few seconds for other processes' writes.
class GateCache {
 public:
  explicit GateCache(db::Database& database) : database_(database) {}
  Result<std::shared_ptr<const cm::GateSnapshot>> get() {
    std::lock_guard lock(mutex_);
    auto now = std::chrono::steady_clock::now();
    if (!snapshot_ || generation_ != cm::roster_generation() || now - loaded_ > std::chrono::seconds(5)) {
      auto tx = database_.begin(db::TxMode::kRead);
      if (!tx) return fail(tx.error());
      std::uint64_t generation = cm::roster_generation();
      auto snapshot = cm::gate_snapshot(**tx);
      if (!snapshot) return fail(snapshot.error());
      snapshot_ = std::make_shared<const cm::GateSnapshot>(std::move(*snapshot));
      generation_ = generation;
      loaded_ = now;
    }
    return snapshot_;
  }

 private:
  db::Database& database_;
  std::mutex mutex_;
  std::shared_ptr<const cm::GateSnapshot> snapshot_;
  std::uint64_t generation_ = 0;
  std::chrono::steady_clock::time_point loaded_;
};

std::string jp_date(std::chrono::sys_seconds at) { return tokyo_datetime_japanese(at); }

std::map<std::int64_t, std::string> names_of(db::Transaction& tx, std::vector<std::int64_t> ids) {
  auto names = auth::user_names(tx, ids);
  return names ? *names : std::map<std::int64_t, std::string>{};
}

std::string name_or_dash(const std::map<std::int64_t, std::string>& names, std::optional<std::int64_t> id) {
  if (!id) return "—";
  auto it = names.find(*id);
  return it == names.end() ? fmt::format("ユーザー {}", *id) : it->second;
}

Response overview(Application& app, Request& request) {
  const auth::Principal& who = *request.principal;
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto people = cm::list_people(**tx, who, true);
  if (!people) return app.error_response(request, people.error());
  auto changes = cm::list_changes(**tx, who);
  if (!changes) return app.error_response(request, changes.error());
  auto versions = cm::list_versions(**tx, who);
  if (!versions) return app.error_response(request, versions.error());
  std::vector<std::int64_t> ids;
  for (const auto& p : *people) if (p.user_id) ids.push_back(*p.user_id);
  for (const auto& c : *changes) ids.push_back(c.requested_by);
  for (const auto& v : *versions) ids.push_back(v.approved_by);
  auto names = names_of(**tx, ids);
  OverviewView view;
  view.gate_active = !versions->empty();
  if (!versions->empty()) {
    view.version = fmt::format("第 {} 版（{} 承認）", versions->front().version, jp_date(versions->front().approved_at));
  }
  for (const auto& p : *people) {
    view.people.push_back({fmt::format("/compliance/people/{}", p.id), std::string(cm::category_label(p.category)),
                           p.organisation, p.name, p.department, p.title, name_or_dash(names, p.user_id)});
  }
  view.has_people = !view.people.empty();
  for (const auto& c : *changes) {
    view.changes.push_back({fmt::format("/compliance/changes/{}", c.id), std::string(cm::change_kind_label(c.kind)), c.name,
                            std::string(cm::category_label(c.category)), c.effective_from, jp_date(c.requested_at),
                            std::string(cm::change_status_label(c.status)), c.status == cm::ChangeStatus::kPending});
  }
  view.has_changes = !view.changes.empty();
  for (const auto& v : *versions) {
    auto parsed = boost::json::parse(v.snapshot);
    std::size_t count = parsed.is_array() ? parsed.as_array().size() : 0;
    view.versions.push_back({fmt::format("第 {} 版", v.version), jp_date(v.approved_at), name_or_dash(names, v.approved_by),
                             fmt::format("/compliance/changes/{}", v.change_id), fmt::format("{} 人", count)});
  }
  view.has_versions = !view.versions.empty();
  view.can_request = auth::may(who, Action::kRequestRosterChange);
  view.can_close_out = auth::may(who, Action::kCloseOut);
  return app.page(request, "情報管理", "compliance/overview", view, {{"情報管理", ""}}, "/compliance");
}

Response person_page(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  const auth::Principal& who = *request.principal;
  bool personal = auth::may(who, Action::kViewRosterPersonal);
  // A write transaction when the personal fields are shown: the view is audited with it.
  auto tx = app.database().begin(personal ? db::TxMode::kWrite : db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto person = cm::find_person(**tx, who, *id);
  if (!person) return app.error_response(request, person.error());
  if (!*person) return app.error(request, http::status::not_found);
  const cm::Person& p = **person;
  auto names = names_of(**tx, p.user_id ? std::vector<std::int64_t>{*p.user_id} : std::vector<std::int64_t>{});
  PersonView view{.id = p.id, .category = std::string(cm::category_label(p.category)), .organisation = p.organisation,
                  .name = p.name, .department = p.department, .title = p.title, .account = name_or_dash(names, p.user_id),
                  .state = p.active ? "承認済みの名簿に記載" : "名簿から削除済み"};
  if (personal) {
    auto fields = cm::read_personal(**tx, who, *id, app.clock().now());
    if (!fields) return app.error_response(request, fields.error());
    view.personal = Personal{fields->address, fields->birth_date, fields->passport, fields->nationality};
    if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
  }
  view.can_request = p.active && auth::may(who, Action::kRequestRosterChange);
  view.update_href = fmt::format("/compliance/changes/new?kind=update&person={}", p.id);
  view.remove_href = fmt::format("/compliance/changes/new?kind=remove&person={}", p.id);
  return app.page(request, p.name, "compliance/person", view, {kHome, {p.name, ""}}, "/compliance");
}

Response change_form(Application& app, Request& request, const cm::ChangeForm& form,
                     const std::vector<cm::FieldError>& errors) {
  ChangeFormView view;
  auto kind = cm::change_kind_from_id(form.kind).value_or(cm::ChangeKind::kAdd);
  view.kind = std::string(cm::change_kind_id(kind));
  view.kind_label = std::string(cm::change_kind_label(kind));
  view.is_remove = kind == cm::ChangeKind::kRemove;
  view.is_update = kind == cm::ChangeKind::kUpdate;
  view.heading = fmt::format("名簿の{}を届け出る", view.kind_label);
  view.person_id = form.person_id;
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  if (kind != cm::ChangeKind::kAdd) {
    auto id = callweb::typed_integer(form.person_id, "人物", 1, 1'000'000'000'000, "対象の人物を選んでください");
    if (!id) return app.error(request, http::status::not_found);
    auto person = cm::find_person(**tx, *request.principal, *id);
    if (!person) return app.error_response(request, person.error());
    if (!*person || !(*person)->active) return app.error(request, http::status::not_found);
    view.target_name = (*person)->name;
  }
  for (const auto& info : cm::kCategories) {
    view.categories.push_back({std::string(info.id), std::string(info.label), form.category == info.id});
  }
  auto accounts = cm::linkable_accounts(**tx);
  if (!accounts) return app.error_response(request, accounts.error());
  for (const auto& [id, name] : *accounts) {
    view.accounts.push_back({std::to_string(id), name, form.user_id == std::to_string(id)});
  }
  view.organisation = form.organisation;
  view.name = form.name;
  view.department = form.department;
  view.title = form.title;
  view.address = form.address;
  view.birth_date = form.birth_date;
  view.passport = form.passport;
  view.nationality = form.nationality;
  view.reason = form.reason;
  view.effective_from = form.effective_from;
  view.has_errors = !errors.empty();
  auto error_of = [&](std::string_view field) -> std::optional<std::string> {
    for (const auto& e : errors) if (e.field == field) return e.message;
    return std::nullopt;
  };
  for (const auto& e : errors) view.errors.push_back({e.field, e.message});
  view.category_error = error_of("category");
  view.name_error = error_of("name");
  view.organisation_error = error_of("organisation");
  view.department_error = error_of("department");
  view.title_error = error_of("title");
  view.user_id_error = error_of("user_id");
  view.address_error = error_of("address");
  view.birth_date_error = error_of("birth_date");
  view.passport_error = error_of("passport");
  view.nationality_error = error_of("nationality");
  view.reason_error = error_of("reason");
  view.effective_from_error = error_of("effective_from");
  view.person_id_error = error_of("person_id");
  return app.page(request, view.heading, "compliance/change_form", view, {kHome, {view.heading, ""}}, "/compliance",
                  errors.empty() ? http::status::ok : http::status::unprocessable_entity);
}

Response new_change(Application& app, Request& request) {
  cm::ChangeForm form;
  form.kind = request.query_param("kind").empty() ? "add" : request.query_param("kind");
  if (!cm::change_kind_from_id(form.kind)) return app.error(request, http::status::not_found);
  form.person_id = request.query_param("person");
  form.category = "staff";
  form.effective_from = tokyo_date(app.clock().now()).iso();
  if (form.kind == "update") {
    auto tx = app.database().begin(db::TxMode::kRead);
    if (!tx) return app.error_response(request, tx.error());
    auto id = callweb::typed_integer(form.person_id, "人物", 1, 1'000'000'000'000, "");
    if (!id) return app.error(request, http::status::not_found);
    auto person = cm::find_person(**tx, *request.principal, *id);
    if (!person) return app.error_response(request, person.error());
    if (!*person) return app.error(request, http::status::not_found);
    const cm::Person& p = **person;
    form.category = std::string(cm::category_id(p.category));
    form.organisation = p.organisation;
    form.name = p.name;
    form.department = p.department;
    form.title = p.title;
    form.user_id = p.user_id ? std::to_string(*p.user_id) : "";
  }
  return change_form(app, request, form, {});
}

Response create_change(Application& app, Request& request) {
  cm::ChangeForm form{request.field("kind"), request.field("person_id"), request.field("category"),
                      request.field("organisation"), request.field("name"), request.field("department"),
                      request.field("title"), request.field("user_id"), request.field("address"),
                      request.field("birth_date"), request.field("passport"), request.field("nationality"),
                      request.field("reason"), request.field("effective_from")};
  cm::ChangeDraft draft;
  auto errors = cm::read_change(form, draft);
  if (errors.empty()) {
    auto tx = app.database().begin(db::TxMode::kWrite);
    if (!tx) return app.error_response(request, tx.error());
    auto id = cm::request_change(**tx, *request.principal, draft, app.clock().now());
    if (id) {
      if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
      return app.redirect_with_notice(request, fmt::format("/compliance/changes/{}", *id),
                                      "変更を届け出ました。経済産業省が承認するまで名簿は変わりません。");
    }
    if (!callweb::is_refusal(id.error())) return app.error_response(request, id.error());
    errors.push_back({id.error().message.find("アカウント") != std::string::npos ? "user_id" : "reason",
                      id.error().message});
  }
  // Never echo typed personal fields back in a page other than this form (it is the typist's).
  return change_form(app, request, form, errors);
}

Response change_page_with(Application& app, Request& request, std::int64_t id, std::optional<std::string> error) {
  const auth::Principal& who = *request.principal;
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto change = cm::find_change(**tx, who, id);
  if (!change) return app.error_response(request, change.error());
  if (!*change) return app.error(request, http::status::not_found);
  const cm::ChangeRequest& c = **change;
  std::vector<std::int64_t> ids{c.requested_by};
  if (c.user_id) ids.push_back(*c.user_id);
  if (c.decided_by) ids.push_back(*c.decided_by);
  auto names = names_of(**tx, ids);
  ChangeView view{.id = c.id, .kind = std::string(cm::change_kind_label(c.kind)),
                  .status = std::string(cm::change_status_label(c.status)), .pending = c.status == cm::ChangeStatus::kPending,
                  .category = std::string(cm::category_label(c.category)), .organisation = c.organisation, .name = c.name,
                  .department = c.department, .title = c.title, .account = name_or_dash(names, c.user_id),
                  .carries_personal = c.carries_personal, .reason = c.reason, .effective_from = c.effective_from,
                  .requested_by = name_or_dash(names, c.requested_by), .requested_at = jp_date(c.requested_at)};
  if (c.decided_at) {
    view.decided = fmt::format("{}が {} に{}", name_or_dash(names, c.decided_by), jp_date(*c.decided_at),
                               c.status == cm::ChangeStatus::kApproved ? "承認" : "差し戻し");
    if (!c.decision_note.empty()) view.decision_note = c.decision_note;
  }
  view.can_decide = view.pending && auth::may(who, Action::kDecideRosterChange);
  view.error = std::move(error);
  return app.page(request, fmt::format("名簿の変更の届出 #{}", c.id), "compliance/change", view,
                  {kHome, {fmt::format("届出 #{}", c.id), ""}}, "/compliance",
                  view.error ? http::status::unprocessable_entity : http::status::ok);
}

Response change_page(Application& app, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  return change_page_with(app, request, *id, std::nullopt);
}

Response decide(Application& app, Request& request, bool approve) {
  auto id = callweb::id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  std::string note = request.field("note");
  auto done = approve ? cm::approve_change(**tx, *request.principal, *id, note, app.clock().now())
                      : cm::reject_change(**tx, *request.principal, *id, note, app.clock().now());
  if (!done) {
    if (done.error().code == ErrorCode::kInvalidArgument) {
      tx->reset();
      return change_page_with(app, request, *id, done.error().message);
    }
    return app.error_response(request, done.error());
  }
  if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
  cm::roster_changed();  // after the commit: the gate reloads what was committed
  return app.redirect_with_notice(request, fmt::format("/compliance/changes/{}", *id),
                                  approve ? "変更を承認しました。名簿の新しい版が有効になりました。" : "変更を差し戻しました。");
}

Response approve(Application& app, Request& request) { return decide(app, request, true); }
Response reject(Application& app, Request& request) { return decide(app, request, false); }

Response roster_xlsx(Application& app, Request& request) {
  const auth::Principal& who = *request.principal;
  bool personal = auth::may(who, Action::kViewRosterPersonal);
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto rows = cm::roster_sheet(**tx, who, personal, app.clock().now());
  if (!rows) return app.error_response(request, rows.error());
  if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
  docs::DataTable table;
  table.header = {"区分", "氏名", "個人住所", "生年月日", "所属部署", "役職", "パスポート番号及び国籍"};
  auto cell = [](std::string text) { return docs::DataCell{std::move(text), 0, false}; };
  for (const auto& r : *rows) {
    table.rows.push_back({cell(r.category), cell(r.name), cell(r.address), cell(r.birth_date), cell(r.department),
                          cell(r.title), cell(r.passport_nationality)});
  }
  return callweb::xlsx_download(app, request, "情報取扱者名簿（様式4）", std::move(table), "情報取扱者名簿_様式4.xlsx");
}

Response versions_xlsx(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto versions = cm::list_versions(**tx, *request.principal);
  if (!versions) return app.error_response(request, versions.error());
  docs::DataTable table;
  table.header = {"版", "承認日時", "届出番号", "区分", "所属組織", "氏名", "所属部署", "役職"};
  auto cell = [](std::string text) { return docs::DataCell{std::move(text), 0, false}; };
  auto number = [](std::int64_t n) { return docs::DataCell{std::to_string(n), double(n), true}; };
  for (const auto& v : *versions) {
    auto parsed = boost::json::parse(v.snapshot);
    if (!parsed.is_array()) continue;
    for (const auto& item : parsed.as_array()) {
      const auto& o = item.as_object();
      auto text = [&](const char* key) { return std::string(o.at(key).as_string()); };
      auto category = cm::category_from_id(text("category"));
      table.rows.push_back({number(v.version), cell(tokyo_datetime(v.approved_at)), number(v.change_id),
                            cell(category ? std::string(cm::category_label(*category)) : ""), cell(text("organisation")),
                            cell(text("name")), cell(text("department")), cell(text("title"))});
    }
  }
  return callweb::xlsx_download(app, request, "情報取扱者名簿の版", std::move(table), "情報取扱者名簿_版の履歴.xlsx");
}

// The structure diagram (R7.2), drawn from the approved roster on each request.
Response structure_svg(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto people = cm::list_people(**tx, *request.principal, true);
  if (!people) return app.error_response(request, people.error());
  Response response;
  response.content_type = "image/svg+xml";
  response.body = cm::structure_svg(*people);
  return response;
}

Response structure_pdf(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto people = cm::list_people(**tx, *request.principal, true);
  if (!people) return app.error_response(request, people.error());
  auto versions = cm::list_versions(**tx, *request.principal);
  if (!versions) return app.error_response(request, versions.error());
  std::string caption = versions->empty() ? "承認済みの名簿はまだありません"
                                          : fmt::format("情報取扱者名簿 第 {} 版（{} 承認）から作成", versions->front().version,
                                                        jp_date(versions->front().approved_at));
  auto pdf = cm::structure_pdf(*people, caption);
  if (!pdf) return app.error_response(request, pdf.error());
  Response response;
  response.content_type = "application/pdf";
  response.body = std::move(*pdf);
  response.with_header("Content-Disposition", content_disposition("情報管理体制図.pdf"));
  return response;
}

}  // namespace

void register_compliance_routes(Application& app) {
  auto cache = std::make_shared<GateCache>(app.database());
  app.set_protected_gate([cache](Application& app, const Request& request, const Route& route) -> std::optional<std::string> {
    const auth::Principal& who = *request.principal;
    if (!cm::needs_roster(who)) return std::nullopt;
    auto snapshot = cache->get();
    if (!snapshot) return "名簿の状態を確認できないため、保護すべき情報は表示できません。しばらくしてからもう一度お試しください。";
    auto refusal = cm::gate_refusal(**snapshot, who);
    if (refusal) {
      // The refusal is audited; a failure to audit does not open the gate.
      (void)cm::record_refusal(app.database(), who, std::string(http::to_string(route.method)), route.pattern,
                               app.clock().now());
    }
    return refusal;
  });
  RouteOptions view{.required = Action::kViewRoster, .protected_info = true};
  RouteOptions request_change{.required = Action::kRequestRosterChange, .body = BodyKind::kForm, .protected_info = true};
  RouteOptions decide_change{.required = Action::kDecideRosterChange, .body = BodyKind::kForm, .protected_info = true};
  app.get("/compliance", view, overview);
  app.get("/compliance/people/{id}", view, person_page);
  app.get("/compliance/roster.xlsx", view, roster_xlsx);
  app.get("/compliance/versions.xlsx", view, versions_xlsx);
  app.get("/compliance/structure.svg", view, structure_svg);
  app.get("/compliance/structure.pdf", view, structure_pdf);
  app.get("/compliance/changes/new", {.required = Action::kRequestRosterChange, .protected_info = true}, new_change);
  app.post("/compliance/changes", request_change, create_change);
  app.get("/compliance/changes/{id}", view, change_page);
  app.post("/compliance/changes/{id}/approve", decide_change, approve);
  app.post("/compliance/changes/{id}/reject", decide_change, reject);
  app.add_nav_item({"情報管理", "/compliance", Action::kViewRoster});
  // To-dos: METI decides the changes others filed (nothing takes effect before); whoever files
  // changes sees those still waiting. No names on the home page: the roster is protected.
  app.add_home_tasks([](db::Transaction& tx, const auth::Principal& who, std::chrono::sys_seconds now)
                         -> Result<std::vector<HomeTask>> {
    std::vector<HomeTask> out;
    bool decides = auth::may(who, Action::kDecideRosterChange);
    bool files = auth::may(who, Action::kRequestRosterChange);
    if ((!decides && !files) || !auth::may(who, Action::kViewRoster)) return out;
    auto changes = cm::list_changes(tx, who);
    if (!changes) return fail(changes.error());
    Date today = tokyo_date(now);
    int waiting = 0;
    for (const auto& c : *changes) {
      if (c.status != cm::ChangeStatus::kPending) continue;
      if (decides && c.requested_by != who.user_id) {
        auto from = Date::parse(c.effective_from);
        HomeTask task;
        task.section = "meti";
        task.text = fmt::format("名簿の変更申請（{}・{}から）が承認を待っています", cm::change_kind_label(c.kind),
                                from ? from->japanese() : c.effective_from);
        task.href = fmt::format("/compliance/changes/{}", c.id);
        task.urgent = !from || *from <= today.plus_days(3);
        out.push_back(std::move(task));
      } else if (files) {
        ++waiting;
      }
    }
    if (waiting > 0) {
      HomeTask task;
      task.section = who.has(auth::Role::kSecurityOfficer) ? "security_officer" : "secretariat";
      task.text = fmt::format("名簿の変更申請 {} 件が経済産業省の承認待ちです（承認まで効力はありません）", waiting);
      task.href = "/compliance";
      out.push_back(std::move(task));
    }
    return out;
  });
}

}  // namespace kakehashi::web::compliance_web

namespace kakehashi::web {
void register_compliance_ledger_routes(Application& app);  // handlers/compliance/ledger.cpp
namespace compliance_web {
void register_compliance_report_routes(Application& app);    // handlers/compliance/reports.cpp
void register_compliance_incident_routes(Application& app);  // handlers/compliance/incidents.cpp
void register_compliance_closeout_routes(Application& app);  // handlers/compliance/closeout.cpp
void register_compliance_api_routes(Application& app);       // handlers/compliance/api.cpp
}
void register_compliance_routes(Application& app) {
  compliance_web::register_compliance_routes(app);
  register_compliance_ledger_routes(app);
  compliance_web::register_compliance_report_routes(app);
  compliance_web::register_compliance_incident_routes(app);
  compliance_web::register_compliance_closeout_routes(app);
  compliance_web::register_compliance_api_routes(app);
}
}  // namespace kakehashi::web
