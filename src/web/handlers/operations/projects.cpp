// Screens of the operations module: projects and sessions (issue 15, part B). The activity-list
// import is in imports.cpp, the JSON API in api_projects.cpp.
#include <fmt/format.h>

#include <charconv>

#include "geo/geo.h"
#include "operations/imports.h"
#include "operations/projects.h"
#include "web/handlers/call/common.h"
#include "web/handlers/operations/common.h"
#include "web/handlers/operations/views_projects.h"

namespace kakehashi::web {

namespace opsweb {

std::vector<Choice> choices(const std::vector<std::pair<std::string, std::string>>& options, std::string_view selected,
                            std::optional<std::string> blank) {
  std::vector<Choice> out;
  if (blank) out.push_back({"", *blank, selected.empty()});
  for (const auto& [id, label] : options) out.push_back({id, label, id == selected});
  return out;
}

std::vector<ErrorLink> error_links(const std::vector<operations::FieldError>& errors) {
  std::vector<ErrorLink> out;
  for (const auto& e : errors) out.push_back({e.field, e.message});
  return out;
}

}  // namespace opsweb

namespace {

using namespace opsweb;
namespace ops = operations;

constexpr int kPerPage = 50;

std::vector<std::pair<std::string, std::string>> category_options() {
  std::vector<std::pair<std::string, std::string>> out;
  for (ops::Category c : {ops::Category::kHito, ops::Category::kMono, ops::Category::kKane})
    out.emplace_back(std::string(ops::to_string(c)), std::string(ops::category_label(c)));
  return out;
}
std::vector<std::pair<std::string, std::string>> subtype_options() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& s : ops::subtypes()) out.emplace_back(std::string(s.id), ops::subtype_label(s.id));
  return out;
}
std::vector<std::pair<std::string, std::string>> continuity_options() {
  std::vector<std::pair<std::string, std::string>> out;
  for (ops::Continuity c : {ops::Continuity::kOneOff, ops::Continuity::kContinuing, ops::Continuity::kWideArea})
    out.emplace_back(std::string(ops::to_string(c)), std::string(ops::continuity_label(c)));
  return out;
}
std::vector<std::pair<std::string, std::string>> school_type_options() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& s : ops::school_types()) out.emplace_back(std::string(s.id), std::string(s.label));
  return out;
}
std::vector<std::pair<std::string, std::string>> party_kind_options() {
  std::vector<std::pair<std::string, std::string>> out;
  for (ops::PartyKind k : {ops::PartyKind::kCompany, ops::PartyKind::kMunicipality, ops::PartyKind::kSchool})
    out.emplace_back(std::string(ops::to_string(k)), std::string(ops::party_kind_label(k)));
  return out;
}
std::vector<std::pair<std::string, std::string>> prefecture_options() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& p : geo::prefectures()) out.emplace_back(std::string(p.code), std::string(p.name));
  return out;
}
std::vector<std::pair<std::string, std::string>> block_options(const ops::Operator& op) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& b : op.blocks) out.emplace_back(b.block_id, geo::block_label(b.block_id));
  return out;
}

std::string parties_label(const ops::Project& p) {
  std::string out;
  for (const auto& party : p.parties) {
    if (!out.empty()) out += "、";
    out += party.name;
    if (party.school_type) out += fmt::format("（{}）", ops::school_type_label(*party.school_type));
  }
  return out;
}

ops::ProjectFilter filter_of(const Request& request) {
  ops::ProjectFilter f;
  f.category = ops::category_from(request.query_param("category")) ? request.query_param("category") : "";
  f.block_id = geo::find_block(request.query_param("block")) ? request.query_param("block") : "";
  f.school_type = ops::find_school_type(request.query_param("school_type")) ? request.query_param("school_type") : "";
  return f;
}

std::string filter_query(const ops::ProjectFilter& f) {
  std::string q;
  auto add = [&](std::string_view key, const std::string& value) {
    if (!value.empty()) q += fmt::format("{}{}={}", q.empty() ? "?" : "&", key, value);
  };
  add("category", f.category);
  add("block", f.block_id);
  add("school_type", f.school_type);
  return q;
}

Response projects_page(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_operator(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  const ops::Operator& o = **op;
  ops::ProjectFilter filter = filter_of(request);
  filter.operator_id = o.id;
  int page = page_number(request);
  auto list = ops::list_projects(**tx, *request.principal, filter, page, kPerPage);
  if (!list) return app.error_response(request, list.error());
  auto counts = ops::project_counts(**tx, *request.principal, o);
  if (!counts) return app.error_response(request, counts.error());
  auto editable = ops::may_edit_projects(**tx, *request.principal, o);
  if (!editable) return app.error_response(request, editable.error());
  ProjectsView v;
  v.operator_name = o.name;
  v.operator_id = o.id;
  v.tabs = operator_tabs(request, o.id, "projects");
  v.can_edit = *editable;
  v.categories = choices(category_options(), filter.category, "すべて");
  std::vector<std::pair<std::string, std::string>> blocks;
  v.blocks = choices(block_options(o), filter.block_id, "すべて");
  v.school_types = choices(school_type_options(), filter.school_type, "すべて");
  v.filtering = !filter.category.empty() || !filter.block_id.empty() || !filter.school_type.empty();
  v.total = list->total;
  v.count_projects = counts->projects;
  v.count_sessions = counts->sessions;
  v.count_participants = counts->participants;
  v.count_hito = counts->hito;
  v.count_mono = counts->mono;
  v.count_kane = counts->kane;
  for (const ops::Project& p : list->items) {
    v.projects.push_back({fmt::format("/operations/projects/{}", p.id), p.title,
                          std::string(ops::category_label(p.category)),
                          p.subtype.empty() ? "（未設定）" : std::string(ops::find_subtype(p.subtype) ? ops::find_subtype(p.subtype)->label : p.subtype),
                          std::string(ops::continuity_label(p.continuity)), geo::block_label(p.block_id),
                          parties_label(p), p.session_count});
  }
  v.has_projects = !v.projects.empty();
  std::string base = fmt::format("/operations/operators/{}/projects{}", o.id, filter_query(filter));
  v.pages = pagination(base, page, kPerPage, list->total);  // joins the filters' query with "&"
  v.export_href = fmt::format("/operations/operators/{}/projects.xlsx{}", o.id, filter_query(filter));
  auto imports = ops::list_imports(**tx, o.id);
  if (!imports) return app.error_response(request, imports.error());
  for (const auto& i : *imports) {
    if (i.state != ops::ImportState::kStaged) continue;
    v.imports.push_back({fmt::format("/operations/imports/{}", i.id), i.file_name,
                         std::string(ops::import_state_label(i.state)), callweb::japan_time(i.created_at)});
  }
  v.has_imports = !v.imports.empty();
  return app.page(request, fmt::format("プロジェクト（{}）", o.name), "operations/projects_list", v,
                  operator_crumbs(o, "プロジェクト"), "/operations");
}

Response projects_xlsx(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_operator(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  ops::ProjectFilter filter = filter_of(request);
  filter.operator_id = (*op)->id;
  docs::DataTable table;
  table.header = {"ID", "プロジェクト名", "ブロック", "区分", "類型", "実施形態", "関係先", "実施回数"};
  auto text = [](std::string s) { return docs::DataCell{std::move(s), 0, false}; };
  auto number = [](double n) { return docs::DataCell{fmt::format("{}", n), n, true}; };
  for (int page = 1;; ++page) {
    auto list = ops::list_projects(**tx, *request.principal, filter, page, 200);
    if (!list) return app.error_response(request, list.error());
    for (const ops::Project& p : list->items) {
      table.rows.push_back({number(double(p.id)), text(p.title), text(geo::block_label(p.block_id)),
                            text(std::string(ops::category_label(p.category))), text(p.subtype.empty() ? "" : ops::subtype_label(p.subtype)),
                            text(std::string(ops::continuity_label(p.continuity))), text(parties_label(p)),
                            number(p.session_count)});
    }
    if (list->items.size() < 200) break;
  }
  std::string name = (*op)->name;
  tx->reset();
  return callweb::xlsx_download(app, request, "プロジェクト", std::move(table),
                                fmt::format("プロジェクト_{}_{}.xlsx", name, app.clock().today_in_tokyo().iso()));
}

// The draft typed in the form: indexed rows party_kind_N … and session_held_on_N …; rows whose
// "remove" box is ticked are left out.
ops::ProjectDraft draft_from(const Request& request) {
  ops::ProjectDraft d;
  d.block_id = request.field("block_id");
  d.title = request.field("title");
  d.category = request.field("category");
  d.subtype = request.field("subtype");
  d.continuity = request.field("continuity");
  d.description = request.field("description");
  auto rows = [&](const char* name) {
    std::size_t n = 0;
    auto typed = request.field(name);
    std::from_chars(typed.data(), typed.data() + typed.size(), n);
    return std::min<std::size_t>(n, 500);
  };
  for (std::size_t i = 0; i < rows("party_rows"); ++i) {
    if (!request.field(fmt::format("party_remove_{}", i)).empty()) continue;
    d.parties.push_back({request.field(fmt::format("party_kind_{}", i)), request.field(fmt::format("party_name_{}", i)),
                         request.field(fmt::format("party_school_type_{}", i)),
                         request.field(fmt::format("party_prefecture_{}", i))});
  }
  for (std::size_t i = 0; i < rows("session_rows"); ++i) {
    if (!request.field(fmt::format("session_remove_{}", i)).empty()) continue;
    ops::SessionDraft s;
    s.id = callweb::parse_id(request.field(fmt::format("session_id_{}", i))).value_or(0);
    s.held_on = request.field(fmt::format("session_held_on_{}", i));
    s.place = request.field(fmt::format("session_place_{}", i));
    s.pupils = request.field(fmt::format("session_pupils_{}", i));
    s.teachers = request.field(fmt::format("session_teachers_{}", i));
    s.company_staff = request.field(fmt::format("session_company_staff_{}", i));
    s.others = request.field(fmt::format("session_others_{}", i));
    s.note = request.field(fmt::format("session_note_{}", i));
    d.sessions.push_back(std::move(s));
  }
  return d;
}

ProjectFormView form_view(const ops::Operator& op, const ops::ProjectDraft& d, const std::vector<ops::FieldError>& errors) {
  ProjectFormView v;
  v.operator_name = op.name;
  v.blocks = choices(block_options(op), d.block_id.empty() && op.blocks.size() == 1 ? op.blocks[0].block_id : d.block_id,
                     op.blocks.size() == 1 ? std::nullopt : std::optional<std::string>("選んでください"));
  v.title = d.title;
  v.categories = choices(category_options(), d.category, "選んでください");
  v.subtypes = choices(subtype_options(), d.subtype, "選んでください");
  v.continuities = choices(continuity_options(), d.continuity.empty() ? "one_off" : d.continuity);
  v.description = d.description;
  std::size_t i = 0;
  for (const auto& p : d.parties) {
    v.parties.push_back({i, i + 1, choices(party_kind_options(), p.kind), p.name,
                         choices(school_type_options(), p.school_type, "（学校のみ）"),
                         choices(prefecture_options(), p.prefecture_code, "（任意）")});
    ++i;
  }
  v.party_rows = i;
  i = 0;
  for (const auto& s : d.sessions) {
    v.sessions.push_back({i, i + 1, s.id, s.held_on, s.place, s.pupils, s.teachers, s.company_staff, s.others, s.note});
    ++i;
  }
  v.session_rows = i;
  v.errors = error_links(errors);
  v.errors_present = !errors.empty();
  for (const auto& e : errors) {
    if (e.field == "block_id") v.block_id_error = e.message;
    else if (e.field == "title") v.title_error = e.message;
    else if (e.field == "category") v.category_error = e.message;
    else if (e.field == "subtype") v.subtype_error = e.message;
    else if (e.field == "continuity") v.continuity_error = e.message;
    else if (e.field == "description") v.description_error = e.message;
    else if (e.field == "parties") v.parties_errors.push_back(e.message);
    else if (e.field == "sessions") v.sessions_errors.push_back(e.message);
  }
  v.has_parties_errors = !v.parties_errors.empty();
  v.has_sessions_errors = !v.sessions_errors.empty();
  return v;
}

// A draft with at least one empty party row and one empty session row to type into.
ops::ProjectDraft with_blank_rows(ops::ProjectDraft d) {
  if (d.parties.empty()) d.parties.push_back({"company", "", "", ""});
  if (d.sessions.empty()) d.sessions.push_back({});
  return d;
}

Response render_form(Application& app, const Request& request, const ops::Operator& op, ProjectFormView v,
                     const std::string& page_title, http::status status) {
  return app.page(request, page_title, "operations/project_form", v, operator_crumbs(op, page_title), "/operations",
                  status);
}

Response new_project(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_operator(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  auto editable = ops::may_edit_projects(**tx, *request.principal, **op);
  if (!editable) return app.error_response(request, editable.error());
  if (!*editable) return app.error(request, http::status::forbidden, "この実証事業者のプロジェクトを登録する権限がありません");
  ProjectFormView v = form_view(**op, with_blank_rows({}), {});
  v.heading = "プロジェクトを登録";
  v.action = fmt::format("/operations/operators/{}/projects", (*op)->id);
  v.cancel_href = fmt::format("/operations/operators/{}/projects", (*op)->id);
  return render_form(app, request, **op, std::move(v), "プロジェクトを登録", http::status::ok);
}

// Adds a blank party or session row ("行を追加" without JavaScript): the form comes back with
// everything typed and one more row; nothing is saved.
std::optional<ops::ProjectDraft> grown_draft(const Request& request, ops::ProjectDraft d) {
  std::string op = request.field("op");
  if (op == "add_party") {
    d.parties.push_back({"company", "", "", ""});
    return d;
  }
  if (op == "add_session") {
    d.sessions.push_back({});
    return d;
  }
  return std::nullopt;
}

Response create_project(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto op = load_operator(**tx, request);
  if (!op) return app.error_response(request, op.error());
  if (!*op) return app.error(request, http::status::not_found);
  ops::ProjectDraft d = draft_from(request);
  auto show = [&](const ops::ProjectDraft& draft, const std::vector<ops::FieldError>& errors, http::status status) {
    ProjectFormView v = form_view(**op, with_blank_rows(draft), errors);
    v.heading = "プロジェクトを登録";
    v.action = fmt::format("/operations/operators/{}/projects", (*op)->id);
    v.cancel_href = v.action;
    return render_form(app, request, **op, std::move(v), "プロジェクトを登録", status);
  };
  auto editable = ops::may_edit_projects(**tx, *request.principal, **op);
  if (!editable) return app.error_response(request, editable.error());
  if (!*editable) return app.error(request, http::status::forbidden, "この実証事業者のプロジェクトを登録する権限がありません");
  if (auto grown = grown_draft(request, d)) return show(*grown, {}, http::status::ok);
  if (auto errors = ops::validate(d, **op); !errors.empty()) return show(d, errors, http::status::unprocessable_entity);
  auto id = ops::create_project(**tx, *request.principal, (*op)->id, d, app.clock().now());
  if (!id) return app.error_response(request, id.error());
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return app.redirect_with_notice(request, fmt::format("/operations/projects/{}", *id), "プロジェクトを登録しました。");
}

// The project of the path in reach, with its operator (404 otherwise).
struct Loaded {
  ops::Project project;
  ops::Operator op;
};
Result<std::optional<Loaded>> load_project(db::Transaction& tx, const Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return std::optional<Loaded>{};
  auto p = ops::find_project(tx, *request.principal, *id);
  if (!p) return fail(p.error());
  if (!*p) return std::optional<Loaded>{};
  auto op = ops::find_operator(tx, (*p)->operator_id);
  if (!op) return fail(op.error());
  if (!*op) return std::optional<Loaded>{};
  return std::optional<Loaded>(Loaded{std::move(**p), std::move(**op)});
}

Response project_page(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load_project(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  const auto& [p, op] = **loaded;
  auto editable = ops::may_edit_projects(**tx, *request.principal, op);
  if (!editable) return app.error_response(request, editable.error());
  ProjectView v;
  v.id = p.id;
  v.title = p.title;
  v.operator_name = op.name;
  v.operator_href = fmt::format("/operations/operators/{}/projects", op.id);
  v.block = geo::block_label(p.block_id);
  v.category = std::string(ops::category_label(p.category));
  v.subtype = p.subtype.empty() ? "（未設定）" : ops::subtype_label(p.subtype);
  v.continuity = std::string(ops::continuity_label(p.continuity));
  if (!p.description.empty()) v.description = p.description;
  for (const auto& party : p.parties) {
    std::string detail;
    if (party.school_type) detail = ops::school_type_label(*party.school_type);
    if (party.prefecture_code) {
      if (const auto* pref = geo::find_prefecture_by_code(*party.prefecture_code))
        detail += (detail.empty() ? "" : "・") + std::string(pref->name);
    }
    v.parties.push_back({std::string(ops::party_kind_label(party.kind)), party.name,
                         detail.empty() ? std::nullopt : std::optional<std::string>(detail)});
  }
  v.has_parties = !v.parties.empty();
  for (const auto& s : p.sessions) {
    v.sessions.push_back({s.held_on.japanese(), s.place, s.pupils, s.teachers, s.company_staff, s.others, s.note,
                          s.source_key.has_value()});
    v.participants += s.pupils + s.teachers + s.company_staff + s.others;
  }
  v.has_sessions = !v.sessions.empty();
  v.can_edit = *editable;
  v.edit_href = fmt::format("/operations/projects/{}/edit", p.id);
  v.delete_action = fmt::format("/operations/projects/{}/delete", p.id);
  return app.page(request, p.title, "operations/project_view", v, operator_crumbs(op, p.title), "/operations");
}

Response edit_project(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load_project(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  const auto& [p, op] = **loaded;
  auto editable = ops::may_edit_projects(**tx, *request.principal, op);
  if (!editable) return app.error_response(request, editable.error());
  if (!*editable) return app.error(request, http::status::forbidden, "この実証事業者のプロジェクトを変更する権限がありません");
  ProjectFormView v = form_view(op, with_blank_rows(ops::draft_of(p)), {});
  v.heading = "プロジェクトを編集";
  v.action = fmt::format("/operations/projects/{}", p.id);
  v.cancel_href = v.action;
  return render_form(app, request, op, std::move(v), "プロジェクトを編集", http::status::ok);
}

Response update_project(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load_project(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  const auto& [p, op] = **loaded;
  ops::ProjectDraft d = draft_from(request);
  auto show = [&](const ops::ProjectDraft& draft, const std::vector<ops::FieldError>& errors, http::status status) {
    ProjectFormView v = form_view(op, with_blank_rows(draft), errors);
    v.heading = "プロジェクトを編集";
    v.action = fmt::format("/operations/projects/{}", p.id);
    v.cancel_href = v.action;
    return render_form(app, request, op, std::move(v), "プロジェクトを編集", status);
  };
  auto editable = ops::may_edit_projects(**tx, *request.principal, op);
  if (!editable) return app.error_response(request, editable.error());
  if (!*editable) return app.error(request, http::status::forbidden, "この実証事業者のプロジェクトを変更する権限がありません");
  if (auto grown = grown_draft(request, d)) return show(*grown, {}, http::status::ok);
  if (auto errors = ops::validate(d, op); !errors.empty()) return show(d, errors, http::status::unprocessable_entity);
  if (auto r = ops::update_project(**tx, *request.principal, p.id, d, app.clock().now()); !r)
    return app.error_response(request, r.error());
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return app.redirect_with_notice(request, fmt::format("/operations/projects/{}", p.id), "プロジェクトを保存しました。");
}

Response delete_project(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load_project(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  std::int64_t operator_id = (*loaded)->op.id;
  if (auto r = ops::delete_project(**tx, *request.principal, (*loaded)->project.id, app.clock().now()); !r)
    return app.error_response(request, r.error());
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return app.redirect_with_notice(request, fmt::format("/operations/operators/{}/projects", operator_id),
                                  "プロジェクトを削除しました。");
}

}  // namespace

void register_operations_project_routes(Application& app) {
  const RouteOptions view{.required = auth::Action::kViewOperations};
  const RouteOptions edit{.required = auth::Action::kEditOperatorPlan, .body = BodyKind::kForm};
  app.get("/operations/operators/{id}/projects", view, projects_page);
  app.get("/operations/operators/{id}/projects.xlsx", {.required = auth::Action::kViewOperations, .protected_info = true},
          projects_xlsx);
  app.get("/operations/operators/{id}/projects/new", {.required = auth::Action::kEditOperatorPlan}, new_project);
  app.post("/operations/operators/{id}/projects", edit, create_project);
  app.get("/operations/projects/{id}", view, project_page);
  app.get("/operations/projects/{id}/edit", {.required = auth::Action::kEditOperatorPlan}, edit_project);
  app.post("/operations/projects/{id}", edit, update_project);
  app.post("/operations/projects/{id}/delete", edit, delete_project);
  register_operations_import_routes(app);
  register_operations_project_api_routes(app);
}

}  // namespace kakehashi::web
