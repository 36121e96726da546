// Every template is rendered from the struct of its screen (src/web/view_model.h): a key the
// template reads but the struct does not declare, a section on plain text (always "true" in
// kainjow), or unescaped output of anything but Html fails here instead of rendering empty.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "web/handlers/admin/audit_views.h"
#include "web/handlers/admin/views.h"
#include "web/handlers/auth/views.h"
#include "web/handlers/dashboard/views.h"
#include "web/handlers/notify/views.h"
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
      {"auth/login", schema_of<authweb::LoginView>()},
      {"dashboard/index", schema_of<dashboardweb::DashboardView>()},
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
      {"notify/notifications", schema_of<notifyweb::NotificationsView>()},
  };
  return table;
}

// Partials are checked where they are included, with the includer's view.
bool is_partial(std::string_view name) { return name.starts_with("layout/") && name != "layout/page"; }

// Screens not yet moved to a typed view (issue 14): this list only shrinks, and is empty when
// the issue is done.
const std::set<std::string, std::less<>> kNotYetTyped{
    "call/admin_applications", "call/admin_call",
    "call/admin_list", "call/admin_new", "call/admin_results", "call/admin_review", "call/application_form",
    "call/application_view", "call/my_applications", "call/public_call",
    "call/public_list", "call/receipt", "call/review_conflicts", "call/review_home", "call/review_score",
    "call/save_status", "tools/inspect",
};

TEST(Views, EveryTemplateReadsOnlyWhatItsStructDeclares) {
  for (std::string_view name : template_names()) {
    if (is_partial(name) || kNotYetTyped.contains(name)) continue;
    auto it = typed_templates().find(name);
    ASSERT_NE(it, typed_templates().end()) << name << " has no typed view in views_test.cpp";
    std::set<std::string, std::less<>> ambient{"csrf_token"};
    if (name == "layout/page") ambient.clear();
    EXPECT_EQ(check_template(name, *it->second, ambient), std::vector<std::string>{}) << name;
  }
}

TEST(Views, NotYetTypedListsOnlyExistingUntypedTemplates) {
  for (const auto& name : kNotYetTyped) {
    EXPECT_TRUE(has_template(name)) << name;
    EXPECT_FALSE(typed_templates().contains(name)) << name << " is typed: remove it from kNotYetTyped";
  }
}

TEST(Views, EveryTypedTemplateRendersFromADefaultStruct) {
  EXPECT_NO_THROW(render_template("errors/error", to_view(ErrorView{"404", "見出し", "本文"})));
  std::string page = render_template("layout/page", to_view(LayoutView{.title = "題", .content = Html{"<p>x</p>"}}));
  EXPECT_NE(page.find("<p>x</p>"), std::string::npos);
  EXPECT_NE(page.find("<title>題"), std::string::npos);
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
