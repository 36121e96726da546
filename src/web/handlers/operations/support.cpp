// Screens of the operations module, part C (issue 15): the support log and mentoring of an
// operator, and the signed-in user's to-do list. Budget and staff: budget.cpp, staff.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "auth/users.h"
#include "docs/chart.h"
#include "operations/support.h"
#include "web/handlers/call/common.h"
#include "web/handlers/operations/common.h"
#include "web/handlers/operations/support_common.h"
#include "web/handlers/operations/views_support.h"

namespace kakehashi::web {
namespace opsweb {

std::string grouped(std::int64_t amount) {
  std::string digits = std::to_string(amount < 0 ? -amount : amount);
  std::string out;
  int n = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (n && n % 3 == 0) out.insert(out.begin(), ',');
    out.insert(out.begin(), *it);
    ++n;
  }
  return amount < 0 ? "−" + out : out;
}

std::string yen(std::int64_t amount) { return grouped(amount) + " 円"; }

std::string month_label(const std::string& month) {
  if (month.size() != 7) return month;
  return fmt::format("{}年{}月", month.substr(0, 4), std::stoi(month.substr(5, 2)));
}

}  // namespace opsweb

namespace {

using namespace opsweb;
constexpr int kLogsPerPage = 50;

// Where a service refusal message belongs when the service checked it (an owner who is no
// secretariat user, a mentor …).
std::string field_of_refusal(const std::string& message, std::string_view fallback) {
  if (message.find("担当者") != std::string::npos) return "next_step_owner";
  if (message.find("メンター") != std::string::npos) return "mentor_user_id";
  return std::string(fallback);
}

std::vector<SelectOption> people_options(db::Transaction& tx, std::optional<std::int64_t> chosen) {
  std::vector<SelectOption> out;
  if (auto people = operations::secretariat_people(tx)) {
    for (const auto& p : *people) out.push_back({std::to_string(p.id), p.name, chosen && *chosen == p.id});
  }
  return out;
}

std::map<std::int64_t, std::string> names_of(db::Transaction& tx, const std::vector<std::int64_t>& ids) {
  auto names = auth::user_names(tx, ids);
  return names ? *names : std::map<std::int64_t, std::string>{};
}

// ---------------------------------------------------------------------------------------------
// The support page of an operator

Response support_page(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_operator(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  const auth::Principal& who = *request.principal;
  auto logs = operations::support_logs(**tx, who, (*op)->id);
  if (!logs) return app.error_response(request, logs.error());
  if (!*logs) return app.error(request, http::status::not_found);
  auto mentorings = operations::mentorings(**tx, who, (*op)->id);
  if (!mentorings) return app.error_response(request, mentorings.error());
  if (!*mentorings) return app.error(request, http::status::not_found);
  auto can_log = operations::may(**tx, who, auth::Action::kLogSupport, **op);
  if (!can_log) return app.error_response(request, can_log.error());
  Date today = app.clock().today_in_tokyo();
  std::vector<std::int64_t> ids;
  for (const auto& l : **logs) {
    if (l.next_step_owner) ids.push_back(*l.next_step_owner);
  }
  for (const auto& m : **mentorings) {
    if (m.mentor_user_id) ids.push_back(*m.mentor_user_id);
  }
  auto names = names_of(**tx, ids);
  SupportPageView view;
  view.operator_name = (*op)->name;
  view.blocks = blocks_label(**op);
  view.tabs = operator_tabs(request, (*op)->id, "support");
  view.can_log = *can_log;
  std::string base = fmt::format("/operations/operators/{}/support", (*op)->id);
  view.new_log_href = base + "/new";
  view.new_mentoring_href = fmt::format("/operations/operators/{}/mentorings/new", (*op)->id);
  view.xlsx_href = base + ".xlsx";
  int page = page_number(request);
  std::int64_t total = std::int64_t((*logs)->size());
  for (std::int64_t i = std::int64_t(page - 1) * kLogsPerPage; i < total && i < std::int64_t(page) * kLogsPerPage; ++i) {
    const operations::SupportLog& l = (**logs)[std::size_t(i)];
    SupportLogRow row{.id = l.id,
                      .held_on = l.held_on.japanese(),
                      .kind = std::string(operations::support_kind_label(l.kind)),
                      .topic = l.topic,
                      .advice = l.advice.empty() ? std::nullopt : std::optional(l.advice)};
    if (!l.next_step.empty()) {
      row.next_step = l.next_step;
      if (l.next_step_due) row.next_step_due = l.next_step_due->japanese();
      if (l.next_step_owner && names.contains(*l.next_step_owner)) row.owner = names[*l.next_step_owner];
      row.done = l.next_step_done_at.has_value();
      row.overdue = !row.done && l.next_step_due && *l.next_step_due < today;
      if (*can_log && !row.done) row.done_action = fmt::format("/operations/support/{}/done", l.id);
    }
    if (*can_log) row.edit_href = fmt::format("/operations/support/{}/edit", l.id);
    view.logs.push_back(std::move(row));
  }
  view.has_logs = !view.logs.empty();
  view.pages = pagination(base, page, kLogsPerPage, total);
  for (const auto& m : **mentorings) {
    MentoringRow row{.id = m.id, .startup_name = m.startup_name, .stage = std::string(operations::startup_stage_label(m.stage))};
    if (!m.goals.empty()) row.goals = m.goals;
    if (m.mentor_user_id && names.contains(*m.mentor_user_id)) row.mentor = names[*m.mentor_user_id];
    for (const auto& s : m.sessions) {
      row.sessions.push_back({s.held_on.japanese(), s.notes, s.next_step.empty() ? std::nullopt : std::optional(s.next_step)});
    }
    row.has_sessions = !row.sessions.empty();
    if (*can_log) {
      row.edit_href = fmt::format("/operations/mentorings/{}/edit", m.id);
      row.session_href = fmt::format("/operations/mentorings/{}/sessions/new", m.id);
    }
    view.mentorings.push_back(std::move(row));
  }
  view.has_mentorings = !view.mentorings.empty();
  return app.page(request, fmt::format("伴走支援 — {}", (*op)->name), "operations/support_log", view,
                  operator_crumbs(**op, "伴走支援"), "/operations");
}

Response support_xlsx(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_operator(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  auto logs = operations::support_logs(**tx, *request.principal, (*op)->id);
  if (!logs) return app.error_response(request, logs.error());
  if (!*logs) return app.error(request, http::status::not_found);
  std::vector<std::int64_t> ids;
  for (const auto& l : **logs) {
    if (l.next_step_owner) ids.push_back(*l.next_step_owner);
  }
  auto names = names_of(**tx, ids);
  docs::DataTable table;
  table.header = {"実施日", "種類", "テーマ", "助言内容", "次のアクション", "期限", "担当者", "完了"};
  auto text = [](std::string s) { return docs::DataCell{std::move(s), 0, false}; };
  for (const auto& l : **logs) {
    table.rows.push_back({text(l.held_on.iso()), text(std::string(operations::support_kind_label(l.kind))), text(l.topic),
                          text(l.advice), text(l.next_step), text(l.next_step_due ? l.next_step_due->iso() : ""),
                          text(l.next_step_owner && names.contains(*l.next_step_owner) ? names[*l.next_step_owner] : ""),
                          text(l.next_step.empty() ? "" : l.next_step_done_at ? "完了" : "未完了")});
  }
  std::string name = (*op)->name;
  tx->reset();
  return callweb::xlsx_download(app, request, "伴走支援の記録", std::move(table),
                                fmt::format("伴走支援_{}_{}.xlsx", name, app.clock().today_in_tokyo().iso()));
}

// ---------------------------------------------------------------------------------------------
// Support log form

operations::SupportLogForm typed_log(const Request& request) {
  return {request.field("held_on"), request.field("kind"), request.field("topic"), request.field("advice"),
          request.field("next_step"), request.field("next_step_due"), request.field("next_step_owner")};
}

Response log_form(Application& app, Request& request, db::Transaction& tx, const operations::Operator& op,
                  const operations::SupportLogForm& typed, const std::vector<operations::FieldError>& errors,
                  std::optional<std::int64_t> log_id) {
  SupportFormView view;
  view.heading = log_id ? "支援記録を編集" : "支援を記録";
  view.action = log_id ? fmt::format("/operations/support/{}", *log_id) : fmt::format("/operations/operators/{}/support", op.id);
  view.cancel_href = fmt::format("/operations/operators/{}/support", op.id);
  view.operator_name = op.name;
  view.errors = form_errors(errors);
  view.has_errors = !errors.empty();
  view.held_on = typed.held_on;
  for (auto kind : {operations::SupportKind::kVisit, operations::SupportKind::kOnline, operations::SupportKind::kPhone,
                    operations::SupportKind::kMail}) {
    view.kinds.push_back({std::string(operations::to_string(kind)), std::string(operations::support_kind_label(kind)),
                          typed.kind == operations::to_string(kind)});
  }
  view.topic = typed.topic;
  view.advice = typed.advice;
  view.next_step = typed.next_step;
  view.next_step_due = typed.next_step_due;
  view.owners = people_options(tx, callweb::parse_id(typed.next_step_owner));
  view.held_on_error = error_of(errors, "held_on");
  view.kind_error = error_of(errors, "kind");
  view.topic_error = error_of(errors, "topic");
  view.advice_error = error_of(errors, "advice");
  view.next_step_error = error_of(errors, "next_step");
  view.next_step_due_error = error_of(errors, "next_step_due");
  view.next_step_owner_error = error_of(errors, "next_step_owner");
  return app.page(request, view.heading, "operations/support_form", view, operator_crumbs(op, view.heading), "/operations",
                  errors.empty() ? http::status::ok : http::status::unprocessable_entity);
}

// The operator of the path if the user may log support for it (404 out of sight, 403 otherwise).
Result<std::optional<operations::Operator>> loggable_operator(db::Transaction& tx, Request& request, const char* name = "id") {
  auto op = load_operator(tx, request, name);
  if (!op || !*op) return op;
  auto sees = operations::may(tx, *request.principal, auth::Action::kViewSupport, **op);
  if (!sees) return fail(sees.error());
  if (!*sees) return std::optional<operations::Operator>{};
  auto can = operations::may(tx, *request.principal, auth::Action::kLogSupport, **op);
  if (!can) return fail(can.error());
  if (!*can) return fail(Error::denied("伴走支援の記録を変更する権限がありません"));
  return op;
}

Response new_log(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto op = loggable_operator(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  operations::SupportLogForm typed;
  typed.held_on = app.clock().today_in_tokyo().iso();
  typed.kind = "visit";
  return log_form(app, request, **tx, **op, typed, {}, std::nullopt);
}

Response create_log(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto op = loggable_operator(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  operations::SupportLogForm typed = typed_log(request);
  operations::SupportLog entry;
  auto errors = operations::read_support_log(typed, entry);
  if (errors.empty()) {
    auto id = operations::log_support(**tx, *request.principal, (*op)->id, entry, app.clock().now());
    if (!id) {
      if (!callweb::is_refusal(id.error())) return app.error_response(request, id.error());
      errors.push_back({field_of_refusal(id.error().message, "topic"), id.error().message});
    }
  }
  if (!errors.empty()) {
    tx->reset();
    auto read = app.database().begin(db::TxMode::kRead);
    if (!read) return app.error_response(request, read.error());
    return log_form(app, request, **read, **op, typed, errors, std::nullopt);
  }
  if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
  return app.redirect_with_notice(request, fmt::format("/operations/operators/{}/support", (*op)->id), "支援の記録を保存しました。");
}

// The support log entry of the path and its operator, if the user may log support for it.
struct LoadedLog {
  operations::SupportLog log;
  operations::Operator op;
};
Result<std::optional<LoadedLog>> loggable_entry(db::Transaction& tx, Request& request, auth::Action action) {
  auto id = callweb::id_param(request, "id");
  if (!id) return std::optional<LoadedLog>{};
  auto entry = operations::find_support_log(tx, *request.principal, *id);
  if (!entry) return fail(entry.error());
  if (!*entry) return std::optional<LoadedLog>{};
  auto op = operations::find_operator(tx, (*entry)->operator_id);
  if (!op) return fail(op.error());
  if (!*op) return std::optional<LoadedLog>{};
  if (action == auth::Action::kLogSupport) {
    auto can = operations::may(tx, *request.principal, auth::Action::kLogSupport, **op);
    if (!can) return fail(can.error());
    if (!*can) return fail(Error::denied("伴走支援の記録を変更する権限がありません"));
  }
  return std::optional<LoadedLog>{LoadedLog{**entry, **op}};
}

Response edit_log(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = loggable_entry(**tx, request, auth::Action::kLogSupport);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  const operations::SupportLog& l = (*loaded)->log;
  operations::SupportLogForm typed{l.held_on.iso(), std::string(operations::to_string(l.kind)), l.topic, l.advice, l.next_step,
                                   l.next_step_due ? l.next_step_due->iso() : "",
                                   l.next_step_owner ? std::to_string(*l.next_step_owner) : ""};
  return log_form(app, request, **tx, (*loaded)->op, typed, {}, l.id);
}

Response update_log(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = loggable_entry(**tx, request, auth::Action::kLogSupport);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  operations::SupportLogForm typed = typed_log(request);
  operations::SupportLog entry;
  auto errors = operations::read_support_log(typed, entry);
  if (errors.empty()) {
    auto r = operations::update_support_log(**tx, *request.principal, (*loaded)->log.id, entry, app.clock().now());
    if (!r) {
      if (!callweb::is_refusal(r.error())) return app.error_response(request, r.error());
      errors.push_back({field_of_refusal(r.error().message, "topic"), r.error().message});
    }
  }
  if (!errors.empty()) {
    tx->reset();
    auto read = app.database().begin(db::TxMode::kRead);
    if (!read) return app.error_response(request, read.error());
    return log_form(app, request, **read, (*loaded)->op, typed, errors, (*loaded)->log.id);
  }
  if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
  return app.redirect_with_notice(request, fmt::format("/operations/operators/{}/support", (*loaded)->op.id),
                                  "支援の記録を更新しました。");
}

Response complete_step(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = loggable_entry(**tx, request, auth::Action::kViewSupport);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  auto r = operations::complete_next_step(**tx, *request.principal, (*loaded)->log.id, app.clock().now());
  if (!r) return app.error_response(request, r.error());
  if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
  std::string back = request.field("back") == "todo" ? "/operations/todo"
                                                     : fmt::format("/operations/operators/{}/support", (*loaded)->op.id);
  return app.redirect_with_notice(request, back, fmt::format("「{}」を完了にしました。", (*loaded)->log.next_step));
}

// ---------------------------------------------------------------------------------------------
// Mentoring

operations::MentoringForm typed_mentoring(const Request& request) {
  return {request.field("startup_name"), request.field("stage"), request.field("goals"), request.field("mentor_user_id")};
}

Response mentoring_form(Application& app, Request& request, db::Transaction& tx, const operations::Operator& op,
                        const operations::MentoringForm& typed, const std::vector<operations::FieldError>& errors,
                        std::optional<std::int64_t> mentoring_id) {
  MentoringFormView view;
  view.heading = mentoring_id ? "メンタリングを編集" : "メンタリングを追加";
  view.action = mentoring_id ? fmt::format("/operations/mentorings/{}", *mentoring_id)
                             : fmt::format("/operations/operators/{}/mentorings", op.id);
  view.cancel_href = fmt::format("/operations/operators/{}/support", op.id);
  view.operator_name = op.name;
  view.errors = form_errors(errors);
  view.has_errors = !errors.empty();
  view.startup_name = typed.startup_name;
  for (auto stage : {operations::StartupStage::kSeed, operations::StartupStage::kEarly,
                     operations::StartupStage::kNewToEducation}) {
    view.stages.push_back({std::string(operations::to_string(stage)), std::string(operations::startup_stage_label(stage)),
                           typed.stage == operations::to_string(stage)});
  }
  view.goals = typed.goals;
  view.mentors = people_options(tx, callweb::parse_id(typed.mentor_user_id));
  view.startup_name_error = error_of(errors, "startup_name");
  view.stage_error = error_of(errors, "stage");
  view.goals_error = error_of(errors, "goals");
  view.mentor_user_id_error = error_of(errors, "mentor_user_id");
  return app.page(request, view.heading, "operations/mentoring_form", view, operator_crumbs(op, view.heading), "/operations",
                  errors.empty() ? http::status::ok : http::status::unprocessable_entity);
}

Response new_mentoring(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto op = loggable_operator(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  operations::MentoringForm typed;
  typed.stage = "seed";
  return mentoring_form(app, request, **tx, **op, typed, {}, std::nullopt);
}

Response create_mentoring(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto op = loggable_operator(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  auto typed = typed_mentoring(request);
  operations::Mentoring m;
  auto errors = operations::read_mentoring(typed, m);
  if (errors.empty()) {
    auto id = operations::create_mentoring(**tx, *request.principal, (*op)->id, m, app.clock().now());
    if (!id) {
      if (!callweb::is_refusal(id.error())) return app.error_response(request, id.error());
      errors.push_back({field_of_refusal(id.error().message, "startup_name"), id.error().message});
    }
  }
  if (!errors.empty()) {
    tx->reset();
    auto read = app.database().begin(db::TxMode::kRead);
    if (!read) return app.error_response(request, read.error());
    return mentoring_form(app, request, **read, **op, typed, errors, std::nullopt);
  }
  if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
  return app.redirect_with_notice(request, fmt::format("/operations/operators/{}/support", (*op)->id),
                                  "メンタリングの記録を追加しました。");
}

struct LoadedMentoring {
  operations::Mentoring mentoring;
  operations::Operator op;
};
Result<std::optional<LoadedMentoring>> loggable_mentoring(db::Transaction& tx, Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return std::optional<LoadedMentoring>{};
  auto m = operations::find_mentoring(tx, *request.principal, *id);
  if (!m) return fail(m.error());
  if (!*m) return std::optional<LoadedMentoring>{};
  auto op = operations::find_operator(tx, (*m)->operator_id);
  if (!op) return fail(op.error());
  if (!*op) return std::optional<LoadedMentoring>{};
  auto can = operations::may(tx, *request.principal, auth::Action::kLogSupport, **op);
  if (!can) return fail(can.error());
  if (!*can) return fail(Error::denied("伴走支援の記録を変更する権限がありません"));
  return std::optional<LoadedMentoring>{LoadedMentoring{**m, **op}};
}

Response edit_mentoring(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = loggable_mentoring(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  const operations::Mentoring& m = (*loaded)->mentoring;
  operations::MentoringForm typed{m.startup_name, std::string(operations::to_string(m.stage)), m.goals,
                                  m.mentor_user_id ? std::to_string(*m.mentor_user_id) : ""};
  return mentoring_form(app, request, **tx, (*loaded)->op, typed, {}, m.id);
}

Response update_mentoring(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = loggable_mentoring(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  auto typed = typed_mentoring(request);
  operations::Mentoring m;
  auto errors = operations::read_mentoring(typed, m);
  if (errors.empty()) {
    auto r = operations::update_mentoring(**tx, *request.principal, (*loaded)->mentoring.id, m, app.clock().now());
    if (!r) {
      if (!callweb::is_refusal(r.error())) return app.error_response(request, r.error());
      errors.push_back({field_of_refusal(r.error().message, "startup_name"), r.error().message});
    }
  }
  if (!errors.empty()) {
    tx->reset();
    auto read = app.database().begin(db::TxMode::kRead);
    if (!read) return app.error_response(request, read.error());
    return mentoring_form(app, request, **read, (*loaded)->op, typed, errors, (*loaded)->mentoring.id);
  }
  if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
  return app.redirect_with_notice(request, fmt::format("/operations/operators/{}/support", (*loaded)->op.id),
                                  "メンタリングの記録を更新しました。");
}

Response session_form(Application& app, Request& request, const LoadedMentoring& loaded,
                      const operations::MentoringSessionForm& typed, const std::vector<operations::FieldError>& errors) {
  MentoringSessionFormView view;
  view.action = fmt::format("/operations/mentorings/{}/sessions", loaded.mentoring.id);
  view.cancel_href = fmt::format("/operations/operators/{}/support", loaded.op.id);
  view.startup_name = loaded.mentoring.startup_name;
  view.errors = form_errors(errors);
  view.has_errors = !errors.empty();
  view.held_on = typed.held_on;
  view.notes = typed.notes;
  view.next_step = typed.next_step;
  view.held_on_error = error_of(errors, "held_on");
  view.notes_error = error_of(errors, "notes");
  view.next_step_error = error_of(errors, "next_step");
  return app.page(request, "面談を記録", "operations/mentoring_session_form", view, operator_crumbs(loaded.op, "面談を記録"),
                  "/operations", errors.empty() ? http::status::ok : http::status::unprocessable_entity);
}

Response new_session(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = loggable_mentoring(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  operations::MentoringSessionForm typed;
  typed.held_on = app.clock().today_in_tokyo().iso();
  return session_form(app, request, **loaded, typed, {});
}

Response create_session(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = loggable_mentoring(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  operations::MentoringSessionForm typed{request.field("held_on"), request.field("notes"), request.field("next_step")};
  operations::MentoringSession s;
  auto errors = operations::read_mentoring_session(typed, s);
  if (errors.empty()) {
    auto id = operations::add_mentoring_session(**tx, *request.principal, (*loaded)->mentoring.id, s, app.clock().now());
    if (!id) {
      if (!callweb::is_refusal(id.error())) return app.error_response(request, id.error());
      errors.push_back({"notes", id.error().message});
    }
  }
  if (!errors.empty()) {
    tx->reset();
    return session_form(app, request, **loaded, typed, errors);
  }
  if (auto done = (*tx)->commit(); !done) return app.error_response(request, done.error());
  return app.redirect_with_notice(request, fmt::format("/operations/operators/{}/support", (*loaded)->op.id),
                                  "面談の記録を追加しました。");
}

// ---------------------------------------------------------------------------------------------
// To-do

Response todo_page(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto items = operations::todo(**tx, *request.principal, app.clock().today_in_tokyo());
  if (!items) return app.error_response(request, items.error());
  TodoView view;
  for (const auto& item : *items) {
    bool step = item.kind == operations::TodoItem::Kind::kNextStep;
    TodoRow row{.kind = step ? "次のアクション" : "マイルストーン",
                .title = item.title,
                .detail = step ? "支援記録: " + item.detail : "状態: " + item.detail,
                .operator_name = item.operator_name,
                .href = step ? fmt::format("/operations/operators/{}/support", item.operator_id)
                             : fmt::format("/operations/operators/{}/milestones", item.operator_id),
                .due = item.due ? std::optional(item.due->japanese()) : std::nullopt,
                .overdue = item.overdue};
    if (step) row.done_action = fmt::format("/operations/support/{}/done", item.id);
    if (item.overdue) ++view.overdue_count;
    view.items.push_back(std::move(row));
  }
  view.count = int(view.items.size());
  view.has_overdue = view.overdue_count > 0;
  view.has_items = !view.items.empty();
  return app.page(request, "やること", "operations/todo", view, {{"事業運営", "/operations"}, {"やること", ""}},
                  "/operations/todo");
}

}  // namespace

void register_operations_support_routes(Application& app) {
  using auth::Action;
  app.get("/operations/operators/{id}/support", {.required = Action::kViewSupport, .protected_info = true}, support_page);
  app.get("/operations/operators/{id}/support.xlsx", {.required = Action::kViewSupport, .protected_info = true}, support_xlsx);
  app.get("/operations/operators/{id}/support/new", {.required = Action::kLogSupport}, new_log);
  app.post("/operations/operators/{id}/support", {.required = Action::kLogSupport, .body = BodyKind::kForm}, create_log);
  app.get("/operations/support/{id}/edit", {.required = Action::kLogSupport, .protected_info = true}, edit_log);
  app.post("/operations/support/{id}", {.required = Action::kLogSupport, .body = BodyKind::kForm}, update_log);
  app.post("/operations/support/{id}/done", {.required = Action::kViewSupport, .body = BodyKind::kForm}, complete_step);
  app.get("/operations/operators/{id}/mentorings/new", {.required = Action::kLogSupport}, new_mentoring);
  app.post("/operations/operators/{id}/mentorings", {.required = Action::kLogSupport, .body = BodyKind::kForm},
           create_mentoring);
  app.get("/operations/mentorings/{id}/edit", {.required = Action::kLogSupport, .protected_info = true}, edit_mentoring);
  app.post("/operations/mentorings/{id}", {.required = Action::kLogSupport, .body = BodyKind::kForm}, update_mentoring);
  app.get("/operations/mentorings/{id}/sessions/new", {.required = Action::kLogSupport}, new_session);
  app.post("/operations/mentorings/{id}/sessions", {.required = Action::kLogSupport, .body = BodyKind::kForm},
           create_session);
  app.get("/operations/todo", {.required = Action::kViewOperations}, todo_page);
  app.add_nav_item({"やること", "/operations/todo", Action::kViewOperations});
  opsweb::register_budget_routes(app);
  opsweb::register_staff_routes(app);
  opsweb::register_budget_api(app);
  opsweb::register_support_api(app);
}

}  // namespace kakehashi::web
