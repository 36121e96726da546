// Every template is rendered from the struct of its screen (src/web/view_model.h): a key the
// template reads but the struct does not declare, a section on plain text (always "true" in
// kainjow), or unescaped output of anything but Html fails here instead of rendering empty.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "web/handlers/account/views.h"
#include "web/confirm_view.h"
#include "web/handlers/admin/audit_views.h"
#include "web/handlers/admin/views.h"
#include "web/handlers/auth/views.h"
#include "web/handlers/call/views.h"
#include "web/handlers/dashboard/views.h"
#include "web/handlers/knowledge/views.h"
#include "web/handlers/notify/views.h"
#include "web/handlers/effects/views.h"
#include "web/handlers/events/views.h"
#include "web/handlers/operations/views_milestones.h"
#include "web/handlers/operations/views_projects.h"
#include "web/handlers/operations/views_support.h"
#include "web/handlers/meetings/views.h"
#include "web/handlers/package/views.h"
#include "web/handlers/compliance/views.h"
#include "web/handlers/tools/views.h"
#include "web/layout_view.h"
#include "web/templates.h"
#include "web/view_model.h"

namespace kakehashi::web {
namespace {

// The struct of every template a screen renders. A new template needs its line here.
const std::map<std::string, std::shared_ptr<const Schema>, std::less<>>& typed_templates() {
  static const std::map<std::string, std::shared_ptr<const Schema>, std::less<>> table{
      {"layout/page", schema_of<LayoutView>()},
      {"errors/error", schema_of<ErrorView>()},
      {"shared/confirm", schema_of<ConfirmView>()},
      {"auth/login", schema_of<authweb::LoginView>()},
      {"dashboard/index", schema_of<dashboardweb::DashboardView>()},
      {"dashboard/home", schema_of<dashboardweb::HomeView>()},
      {"auth/signup", schema_of<authweb::SignupView>()},
      {"auth/mail_sent", schema_of<authweb::MailSentView>()},
      {"auth/signup_confirm", schema_of<authweb::SignupConfirmView>()},
      {"auth/link_invalid", schema_of<authweb::LinkInvalidView>()},
      {"auth/password_forgot", schema_of<authweb::PasswordForgotView>()},
      {"auth/password_reset", schema_of<authweb::PasswordResetView>()},
      {"admin/audit", schema_of<auditweb::AuditView>()},
      {"admin/users", schema_of<adminweb::UsersView>()},
      {"admin/user_new", schema_of<adminweb::UserNewView>()},
      {"admin/user_edit", schema_of<adminweb::UserEditView>()},
      {"account/tokens", schema_of<accountweb::TokensView>()},
      {"account/settings", schema_of<accountweb::AccountSettingsView>()},
      {"account/token_revoke", schema_of<accountweb::TokenRevokeView>()},
      {"call/public_list", schema_of<callweb::PublicListView>()},
      {"call/public_call", schema_of<callweb::PublicCallView>()},
      {"call/my_applications", schema_of<callweb::MyApplicationsView>()},
      {"call/application_form", schema_of<callweb::ApplicationFormView>()},
      {"call/application_view", schema_of<callweb::ApplicationPageView>()},
      {"call/receipt", schema_of<callweb::ReceiptView>()},
      {"call/save_status", schema_of<callweb::SaveStatusView>()},
      {"call/admin_list", schema_of<callweb::AdminListView>()},
      {"call/admin_new", schema_of<callweb::AdminNewView>()},
      {"call/admin_call", schema_of<callweb::AdminCallView>()},
      {"call/admin_applications", schema_of<callweb::AdminApplicationsView>()},
      {"call/admin_review", schema_of<callweb::AdminReviewView>()},
      {"call/admin_results", schema_of<callweb::AdminResultsView>()},
      {"call/review_conflicts", schema_of<callweb::ReviewConflictsView>()},
      {"call/review_home", schema_of<callweb::ReviewHomeView>()},
      {"call/review_score", schema_of<callweb::ReviewScoreView>()},
      {"tools/inspect", schema_of<toolsweb::InspectView>()},
      {"notify/notifications", schema_of<notifyweb::NotificationsView>()},
      {"effects/index", schema_of<effectsweb::OverviewView>()},
      {"effects/operator", schema_of<effectsweb::OperatorView>()},
      {"effects/kpi_form", schema_of<effectsweb::KpiFormView>()},
      {"effects/kpi", schema_of<effectsweb::KpiView>()},
      {"effects/survey_form", schema_of<effectsweb::SurveyFormView>()},
      {"effects/survey", schema_of<effectsweb::SurveyView>()},
      {"effects/mapping", schema_of<effectsweb::MappingView>()},
      {"effects/preview", schema_of<effectsweb::PreviewView>()},
      {"effects/rollup", schema_of<effectsweb::RollupView>()},
      {"operations/milestones_dashboard", schema_of<opsweb::DashboardView>()},
      {"operations/milestones_block", schema_of<opsweb::BlockView>()},
      {"operations/milestones_operators", schema_of<opsweb::OperatorsView>()},
      {"operations/milestones_operator", schema_of<opsweb::OperatorView>()},
      {"operations/milestones_operator_edit", schema_of<opsweb::OperatorEditView>()},
      {"operations/milestones_plan", schema_of<opsweb::PlanView>()},
      {"operations/milestones_settings", schema_of<opsweb::SettingsView>()},
      {"operations/milestones_list", schema_of<opsweb::MilestoneListView>()},
      {"operations/milestones_form", schema_of<opsweb::MilestoneFormView>()},
      {"operations/milestones_detail", schema_of<opsweb::MilestoneDetailView>()},
      {"operations/projects_list", schema_of<opsweb::ProjectsView>()},
      {"operations/project_form", schema_of<opsweb::ProjectFormView>()},
      {"operations/project_view", schema_of<opsweb::ProjectView>()},
      {"operations/import_new", schema_of<opsweb::ImportNewView>()},
      {"operations/import_mapping", schema_of<opsweb::MappingView>()},
      {"operations/import_preview", schema_of<opsweb::PreviewView>()},
      {"operations/support_log", schema_of<opsweb::SupportPageView>()},
      {"operations/support_form", schema_of<opsweb::SupportFormView>()},
      {"operations/mentoring_form", schema_of<opsweb::MentoringFormView>()},
      {"operations/mentoring_session_form", schema_of<opsweb::MentoringSessionFormView>()},
      {"operations/todo", schema_of<opsweb::TodoView>()},
      {"operations/budget", schema_of<opsweb::BudgetView>()},
      {"operations/expense_form", schema_of<opsweb::ExpenseFormView>()},
      {"operations/budget_plan", schema_of<opsweb::BudgetPlanView>()},
      {"operations/staff", schema_of<opsweb::StaffView>()},
      // Information management (issue 21).
      {"compliance/overview", schema_of<compliance_web::OverviewView>()},
      {"compliance/person", schema_of<compliance_web::PersonView>()},
      {"compliance/change_form", schema_of<compliance_web::ChangeFormView>()},
      {"compliance/change", schema_of<compliance_web::ChangeView>()},
      {"compliance/ledger", schema_of<compliance_web::LedgerView>()},
      {"compliance/reports", schema_of<compliance_web::ReportsView>()},
      {"compliance/report", schema_of<compliance_web::ReportView>()},
      {"compliance/incidents", schema_of<compliance_web::IncidentsView>()},
      {"compliance/incident_form", schema_of<compliance_web::IncidentFormView>()},
      {"compliance/incident", schema_of<compliance_web::IncidentView>()},
      {"compliance/closeout", schema_of<compliance_web::CloseoutView>()},
      {"operations/staff_form", schema_of<opsweb::StaffFormView>()},
      {"meetings/list", schema_of<meetingsweb::ListView>()},
      {"meetings/form", schema_of<meetingsweb::FormView>()},
      {"meetings/show", schema_of<meetingsweb::ShowView>()},
      {"meetings/minutes", schema_of<meetingsweb::MinutesView>()},
      {"meetings/calendar", schema_of<meetingsweb::CalendarView>()},
      {"meetings/settings", schema_of<meetingsweb::SettingsView>()},
      {"meetings/save_status", schema_of<meetingsweb::SaveStatus>()},
      {"package/overview", schema_of<packageweb::OverviewView>()},
      {"package/chapter", schema_of<packageweb::ChapterView>()},
      {"package/build", schema_of<packageweb::BuildView>()},
      {"package/progress", schema_of<packageweb::BuildView>()},
      {"package/final_reports", schema_of<packageweb::FinalReportsView>()},
      {"package/final_report", schema_of<packageweb::FinalReportView>()},
      {"knowledge/search", schema_of<knowweb::SearchView>()},
      {"knowledge/public_item", schema_of<knowweb::PublicItemView>()},
      {"knowledge/item", schema_of<knowweb::ItemView>()},
      {"knowledge/form", schema_of<knowweb::ItemFormView>()},
      {"knowledge/stakeholders", schema_of<knowweb::StakeholdersView>()},
      {"knowledge/stakeholder_form", schema_of<knowweb::StakeholderFormView>()},
      {"knowledge/overview", schema_of<knowweb::OverviewView>()},
      {"knowledge/import_new", schema_of<knowweb::ImportNewView>()},
      {"knowledge/import_mapping", schema_of<knowweb::ImportMappingView>()},
      {"events/list", schema_of<eventsweb::EventListView>()},
      {"events/form", schema_of<eventsweb::EventFormView>()},
      {"events/show", schema_of<eventsweb::EventShowView>()},
      {"events/registrations", schema_of<eventsweb::RegistrationsView>()},
      {"events/checkin", schema_of<eventsweb::CheckinView>()},
      {"events/matchmaking", schema_of<eventsweb::MatchmakingView>()},
      {"events/public", schema_of<eventsweb::PublicView>()},
      {"events/personal", schema_of<eventsweb::PersonalView>()},
  };
  return table;
}

// Partials are checked where they are included, with the includer's view.
bool is_partial(std::string_view name) { return name.starts_with("layout/") && name != "layout/page"; }

TEST(Views, EveryTemplateReadsOnlyWhatItsStructDeclares) {
  for (std::string_view name : template_names()) {
    if (is_partial(name)) continue;
    auto it = typed_templates().find(name);
    ASSERT_NE(it, typed_templates().end()) << name << " has no typed view in views_test.cpp";
    std::set<std::string, std::less<>> ambient{"csrf_token"};
    if (name == "layout/page") ambient.clear();
    EXPECT_EQ(check_template(name, *it->second, ambient), std::vector<std::string>{}) << name;
  }
}

TEST(Views, EveryTypedViewNamesAnExistingTemplate) {
  for (const auto& [name, schema] : typed_templates()) EXPECT_TRUE(has_template(name)) << name;
}

TEST(Views, EveryTypedTemplateRendersFromADefaultStruct) {
  EXPECT_NO_THROW(render_template("errors/error", to_view(ErrorView{"404", "見出し", "本文"})));
  std::string page = render_template("layout/page", to_view(LayoutView{.title = "題", .content = Html{"<p>x</p>"}}));
  EXPECT_NE(page.find("<p>x</p>"), std::string::npos);
  EXPECT_NE(page.find("<title>題"), std::string::npos);
}

// Optional text of a typed view is a section only when set: the call page shows the summary and
// the countdown only when the call has them.
TEST(Views, CallPageShowsOptionalPartsOnlyWhenSet) {
  callweb::PublicCallView view;
  view.call.id = 7;
  view.call.title = "令和8年度公募";
  view.apply_note = "現在は申請を受け付けていません。";
  std::string closed = render_template("call/public_call", to_view(view));
  EXPECT_NE(closed.find("令和8年度公募"), std::string::npos);
  EXPECT_EQ(closed.find("class=\"prose\""), std::string::npos);
  EXPECT_EQ(closed.find("data-countdown"), std::string::npos);
  EXPECT_NE(closed.find("<p>現在は申請を受け付けていません。</p>"), std::string::npos);

  view.call.summary = "概要の本文";
  view.call.is_open = true;
  view.call.remaining = "締切まで残り 1 日 2 時間 3 分";
  view.apply_note.reset();
  std::string open = render_template("call/public_call", to_view(view));
  EXPECT_NE(open.find("概要の本文"), std::string::npos);
  EXPECT_NE(open.find("締切まで残り 1 日 2 時間 3 分"), std::string::npos);
  EXPECT_EQ(open.find("現在は申請を受け付けていません。"), std::string::npos);
}

// The checker itself, on structs and templates made for the purpose.
struct Row {
  std::string name;
  std::optional<std::string> note;
  bool late = false;
  void fields(auto& f) const {
    f("name", name);
    f("note", note);
    f("late", late);
  }
};
struct Screen {
  std::string title;
  std::vector<Row> rows;
  std::vector<std::string> tags;
  Html body;
  std::optional<Row> first;
  void fields(auto& f) const {
    f("title", title);
    f("rows", rows);
    f("tags", tags);
    f("body", body);
    f("first", first);
  }
};

TEST(Views, ToViewSetsEveryFieldByKind) {
  Screen screen{.title = "一覧", .rows = {Row{"A", std::nullopt, true}}, .tags = {"x"}, .body = Html{"<b>"}};
  View view = to_view(screen);
  EXPECT_EQ(view.get("title")->string_value(), "一覧");
  EXPECT_TRUE(view.get("rows")->is_non_empty_list());
  EXPECT_TRUE(view.get("first")->is_false());
  EXPECT_TRUE(view.get("rows")->list_value()[0].get("note")->is_false());
  EXPECT_TRUE(view.get("rows")->list_value()[0].get("late")->is_true());
}

TEST(Views, SchemaKnowsNestedFields) {
  auto schema = schema_of<Screen>();
  ASSERT_TRUE(schema->fields.contains("rows"));
  EXPECT_EQ(schema->fields.at("rows").kind, FieldKind::kList);
  EXPECT_TRUE(schema->fields.at("rows").schema->fields.contains("note"));
  EXPECT_EQ(schema->fields.at("tags").kind, FieldKind::kTextList);
  EXPECT_EQ(schema->fields.at("body").kind, FieldKind::kHtml);
  EXPECT_EQ(schema->fields.at("first").kind, FieldKind::kOptionalObject);
}

std::vector<std::string> check(std::string_view source) {
  return check_template_source("t", source, *schema_of<Screen>());
}

TEST(Views, CheckerAcceptsWhatTheStructDeclares) {
  EXPECT_EQ(check("<h1>{{title}}</h1>{{#rows}}{{name}}{{#note}}{{note}}{{/note}}{{#late}}!{{/late}}{{title}}{{/rows}}"
                  "{{^rows}}なし{{/rows}}{{#tags}}{{.}}{{/tags}}{{{body}}}{{#first}}{{name}}{{/first}}{{^first}}-{{/first}}"
                  "{{first.name}}{{csrf_token}}{{! a comment }}"),
            std::vector<std::string>{});
}

TEST(Views, CheckerNamesAMisspeltKey) {
  EXPECT_EQ(check("{{titel}}"), std::vector<std::string>{"t: {{titel}} reads \"titel\", which its view does not have"});
  EXPECT_EQ(check("{{#rows}}{{nmae}}{{/rows}}"),
            std::vector<std::string>{"t: {{nmae}} reads \"nmae\", which its view does not have"});
  // A row's field is not visible outside the section.
  EXPECT_EQ(check("{{name}}").size(), 1u);
}

TEST(Views, CheckerRefusesASectionOnPlainText) {
  ASSERT_EQ(check("{{#title}}x{{/title}}").size(), 1u);
  EXPECT_NE(check("{{#title}}x{{/title}}")[0].find("always true"), std::string::npos);
}

TEST(Views, CheckerAllowsUnescapedOutputOnlyForHtml) {
  EXPECT_EQ(check("{{{title}}}").size(), 1u);
  EXPECT_EQ(check("{{&title}}").size(), 1u);
  EXPECT_EQ(check("{{body}}").size(), 1u);  // Html escaped twice
}

struct ShadowsAPartial {
  std::optional<std::string> pagination;
  void fields(auto& f) const { f("pagination", pagination); }
};

TEST(Views, CheckerRefusesAFieldNamedLikeAPartial) {
  auto problems = check_template("errors/error", *schema_of<ShadowsAPartial>());
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems[0], "errors/error: the field \"pagination\" has the name of the partial layout/pagination");
}

TEST(Views, CheckerRefusesMisplacedTags) {
  EXPECT_EQ(check("{{.}}").size(), 1u);
  EXPECT_EQ(check("{{#rows}}x").size(), 1u);
  EXPECT_EQ(check("{{/rows}}").size(), 1u);
  EXPECT_EQ(check("{{rows}}").size(), 1u);  // a list printed as text
  EXPECT_EQ(check("{{#rows}}{{#late}}{{late}}{{/late}}{{/rows}}"), std::vector<std::string>{"t: {{late}} prints \"late\", which is not text"});
}

}  // namespace
}  // namespace kakehashi::web
