// The programme dashboard (the ten blocks with their operator, progress and red flags), the
// block pages, and the settings of the programme year (issue 15, part A).
#include <fmt/format.h>

#include <algorithm>

#include "geo/geo.h"
#include "web/handlers/call/common.h"
#include "web/handlers/operations/milestone_helpers.h"

namespace kakehashi::web {
namespace {

using namespace opsweb;

// What the dashboard and a block page read: the operators in reach, their flags, their
// milestones and the project counts of their blocks.
struct Programme {
  std::int64_t call_id = 0;
  std::vector<operations::Operator> operators;
  std::map<std::int64_t, std::vector<operations::Flag>> flags;
  std::map<std::int64_t, std::vector<operations::MilestoneRow>> milestones;
  operations::ProgrammeCounts counts;
};

Result<std::optional<Programme>> load_programme(db::Transaction& tx, const auth::Principal& who, Date today) {
  auto call_id = operations::current_programme(tx);
  if (!call_id) return fail(call_id.error());
  if (!*call_id) return std::optional<Programme>{};
  Programme p;
  p.call_id = **call_id;
  auto ops = operations::list_operators(tx, who, p.call_id);
  if (!ops) return fail(ops.error());
  p.operators = std::move(*ops);
  auto flags = operations::flags_of(tx, p.operators, today);
  if (!flags) return fail(flags.error());
  p.flags = std::move(*flags);
  auto rows = operations::visible_milestones(tx, who, p.call_id, std::nullopt);
  if (!rows) return fail(rows.error());
  for (auto& row : *rows) p.milestones[row.milestone.operator_id].push_back(std::move(row));
  auto counts = operations::programme_counts(tx, p.call_id);
  if (!counts) return fail(counts.error());
  p.counts = std::move(*counts);
  return std::optional<Programme>{std::move(p)};
}

const operations::Operator* operator_of_block(const Programme& p, std::string_view block) {
  for (const auto& op : p.operators) {
    if (std::ranges::any_of(op.blocks, [&](const auto& b) { return b.block_id == block; })) return &op;
  }
  return nullptr;
}

int done_count(const std::vector<operations::MilestoneRow>& rows) {
  return int(std::ranges::count_if(rows, [](const auto& r) { return r.milestone.status == operations::MilestoneStatus::kDone; }));
}

int sum(const std::map<std::string, int>& counts) {
  int total = 0;
  for (const auto& [_, n] : counts) total += n;
  return total;
}

Response dashboard(Application& app, Request& request) {
  const Date today = tokyo_date(app.clock().now());
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load_programme(**tx, *request.principal, today);
  if (!loaded) return app.error_response(request, loaded.error());
  DashboardView view;
  view.as_of = today.japanese();
  view.can_settings = auth::may(*request.principal, auth::Action::kManageOperators);
  if (*loaded) {
    const Programme& p = **loaded;
    view.has_programme = true;
    // Whether the reader reaches every block (secretariat, METI): only then is a block without an
    // operator shown as such; otherwise every block out of reach looks the same.
    auto all = operations::reach(**tx, *request.principal, auth::Action::kViewOperations);
    if (!all) return app.error_response(request, all.error());
    std::map<std::string, int> categories, schools;
    for (const geo::Block& block : geo::blocks()) {
      BlockTile tile;
      tile.block_id = std::string(block.id);
      tile.block_name = std::string(block.name);
      tile.href = fmt::format("/operations/blocks/{}", block.id);
      const operations::Operator* op = operator_of_block(p, block.id);
      tile.visible = op != nullptr || all->all;
      if (op) {
        tile.has_operator = true;
        tile.operator_name = op->name;
        auto rows = p.milestones.find(op->id);
        if (rows != p.milestones.end()) {
          tile.milestones_total = int(rows->second.size());
          tile.milestones_done = done_count(rows->second);
        }
        const auto& flags = p.flags.at(op->id);
        tile.flag_count = int(flags.size());
        tile.flagged = !flags.empty();
        if (!flags.empty()) tile.worst_reason = flags.front().reason;
        auto cats = p.counts.block_category.find(std::string(block.id));
        if (cats != p.counts.block_category.end()) {
          tile.projects = sum(cats->second);
          for (const auto& [c, n] : cats->second) categories[c] += n;
        }
        auto types = p.counts.block_school_type.find(std::string(block.id));
        if (types != p.counts.block_school_type.end())
          for (const auto& [t, n] : types->second) schools[t] += n;
        auto sessions = p.counts.block_sessions.find(std::string(block.id));
        if (sessions != p.counts.block_sessions.end()) view.session_total += sessions->second;
        view.project_total += tile.projects;
      }
      view.tiles.push_back(std::move(tile));
    }
    for (auto c : {operations::Category::kHito, operations::Category::kMono, operations::Category::kKane}) {
      std::string id(operations::to_string(c));
      view.categories.push_back({std::string(operations::category_label(c)), categories[id]});
    }
    for (const auto& t : operations::school_types()) view.school_types.push_back({std::string(t.label), schools[std::string(t.id)]});
    auto budget = operations::reach(**tx, *request.principal, auth::Action::kViewBudget);
    if (!budget) return app.error_response(request, budget.error());
    if (budget->all) {
      auto flags = operations::programme_budget_flags(**tx, p.call_id, today);
      if (!flags) return app.error_response(request, flags.error());
      view.budget_flags = flag_views(*flags);
      view.has_budget_flags = !view.budget_flags.empty();
    }
  }
  return app.page(request, "事業運営", "operations/milestones_dashboard", view, {{"事業運営", ""}}, "/operations");
}

Response block_page(Application& app, Request& request) {
  const Date today = tokyo_date(app.clock().now());
  std::string block_id = request.params["block"];
  const geo::Block* block = geo::find_block(block_id);
  if (!block) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load_programme(**tx, *request.principal, today);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  const Programme& p = **loaded;
  const operations::Operator* op = operator_of_block(p, block->id);
  BlockView view;
  view.block_name = geo::block_label(block->id);
  if (!op) {
    // Only a reader who reaches every block learns that a block has no operator.
    auto all = operations::reach(**tx, *request.principal, auth::Action::kViewOperations);
    if (!all) return app.error_response(request, all.error());
    if (!all->all) return app.error(request, http::status::not_found);
  } else {
    view.has_operator = true;
    view.op = operator_facts(*op, p.flags.at(op->id));
    auto rows = p.milestones.find(op->id);
    if (rows != p.milestones.end()) {
      for (const auto& row : rows->second) view.milestones.push_back(milestone_row(row, today));
      view.milestone_progress = fmt::format("完了 {} / {} 件", done_count(rows->second), rows->second.size());
    } else {
      view.milestone_progress = "完了 0 / 0 件";
    }
    view.has_milestones = !view.milestones.empty();
    auto cats = p.counts.block_category.find(std::string(block->id));
    for (auto c : {operations::Category::kHito, operations::Category::kMono, operations::Category::kKane}) {
      int n = 0;
      if (cats != p.counts.block_category.end()) {
        auto it = cats->second.find(std::string(operations::to_string(c)));
        if (it != cats->second.end()) n = it->second;
      }
      view.projects += n;
      view.categories.push_back({std::string(operations::category_label(c)), n});
    }
    auto sessions = p.counts.block_sessions.find(std::string(block->id));
    if (sessions != p.counts.block_sessions.end()) view.sessions = sessions->second;
  }
  return app.page(request, view.block_name, "operations/milestones_block", view,
                  {{"事業運営", "/operations"}, {view.block_name, ""}}, "/operations");
}

Response settings_page(Application& app, Request& request, SettingsView view, http::status status) {
  view.can_edit = auth::may(*request.principal, auth::Action::kManageOperators);
  view.has_errors = !view.errors.empty();
  return app.page(request, "事業運営の設定", "operations/milestones_settings", view,
                  {{"事業運営", "/operations"}, {"設定", ""}}, "/operations", status);
}

Response show_settings(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto s = operations::settings(**tx);
  if (!s) return app.error_response(request, s.error());
  SettingsView view;
  view.inactivity_weeks = std::to_string(s->inactivity_weeks);
  view.programme_cap = std::to_string(s->programme_cap);
  return settings_page(app, request, std::move(view), http::status::ok);
}

Response save_settings(Application& app, Request& request) {
  SettingsView view;
  view.inactivity_weeks = request.field("inactivity_weeks");
  view.programme_cap = request.field("programme_cap");
  std::vector<operations::FieldError> errors;
  operations::Settings s;
  auto weeks = callweb::typed_integer(view.inactivity_weeks, "週数", 1, 26,
                                      "活動なしと判定するまでの週数は 1〜26 の整数で入力してください");
  if (!weeks) errors.push_back({"inactivity_weeks", weeks.error().message});
  else s.inactivity_weeks = int(*weeks);
  auto cap = callweb::parse_yen(view.programme_cap, "事業全体の予算上限", "事業全体の予算上限は円単位の整数で入力してください");
  if (!cap) errors.push_back({"programme_cap", cap.error().message});
  else s.programme_cap = *cap;
  if (errors.empty()) errors = operations::validate(s);
  if (errors.empty()) {
    auto saved = app.database().write([&](db::Transaction& tx) {
      return operations::update_settings(tx, *request.principal, s, app.clock().now());
    });
    if (saved) return app.redirect_with_notice(request, "/operations/settings", "設定を保存しました。");
    if (!callweb::is_refusal(saved.error())) return app.error_response(request, saved.error());
    errors.push_back({"inactivity_weeks", saved.error().message});
  }
  view.errors = form_errors(errors);
  view.inactivity_weeks_error = error_of(errors, "inactivity_weeks");
  view.programme_cap_error = error_of(errors, "programme_cap");
  return settings_page(app, request, std::move(view), http::status::unprocessable_entity);
}

}  // namespace

void add_operations_home_tasks(Application& app);  // home_tasks.cpp

void register_operations_dashboard_routes(Application& app) {
  add_operations_home_tasks(app);
  app.add_nav_item({"全体状況", "/operations", auth::Action::kViewOperations});
  app.get("/operations", {.required = auth::Action::kViewOperations}, dashboard);
  app.get("/operations/blocks/{block}", {.required = auth::Action::kViewOperations}, block_page);
  app.get("/operations/settings", {.required = auth::Action::kManageOperators}, show_settings);
  app.post("/operations/settings", {.required = auth::Action::kManageOperators, .body = BodyKind::kForm}, save_settings);
}

}  // namespace kakehashi::web
