// The public side of the call (R2.2): the list of calls, a call's page with guidelines,
// criteria, deadline and countdown, guideline downloads, operator self sign-up, and the
// in-system notifications every signed-in user has.
#include <fmt/format.h>

#include <map>

#include "auth/users.h"
#include "base/date.h"
#include "base/text.h"
#include "web/handlers/call/common.h"

namespace kakehashi::web {
namespace {

using namespace callweb;

// The documents grouped by title: the newest version first, older versions under it.
ViewList documents_view(const std::vector<call::Document>& documents, std::int64_t call_id) {
  ViewList list;
  std::map<std::string, std::vector<const call::Document*>> by_title;
  std::vector<std::string> order;
  for (const auto& d : documents) {
    if (!by_title.contains(d.title)) order.push_back(d.title);
    by_title[d.title].push_back(&d);
  }
  for (const auto& title : order) {
    const auto& versions = by_title[title];
    const call::Document& newest = *versions.front();
    View item;
    item.set("call_id", std::to_string(call_id));
    item.set("id", std::to_string(newest.id));
    item.set("title", newest.title);
    item.set("version", std::to_string(newest.version));
    item.set("file_name", newest.file_name);
    item.set("size", size_label(newest.size));
    item.set("uploaded_at", japan_time(newest.uploaded_at));
    ViewList older;
    for (std::size_t i = 1; i < versions.size(); ++i) {
      View v;
      v.set("call_id", std::to_string(call_id));
      v.set("id", std::to_string(versions[i]->id));
      v.set("version", std::to_string(versions[i]->version));
      v.set("uploaded_at", japan_time(versions[i]->uploaded_at));
      older.push_back(v);
    }
    item.set("older", versions.size() > 1);
    item.set("versions", older);
    list.push_back(item);
  }
  return list;
}

bool is_staff(const auth::Principal* who) { return who && auth::allowed(*who, auth::Action::kManageCalls); }

// The call {id} as the public sees it: published, or any call for the secretariat previewing it.
Result<std::optional<call::Call>> load_public_call(db::Transaction& tx, const Request& request) {
  auto found = load_call(tx, request);
  if (!found || !*found) return found;
  const auth::Principal* who = request.principal ? &*request.principal : nullptr;
  if (!(*found)->published && !is_staff(who)) return std::optional<call::Call>{};
  return found;
}

Response signup_page(Application& app, Request& request, const std::vector<std::string>& errors, http::status status) {
  Response response;
  auto session = app.ensure_session(request, response);
  if (!session) return app.error(request, http::status::internal_server_error);
  View content;
  content.set("organisation", request.field("organisation"));
  content.set("name", request.field("name"));
  content.set("email", request.field("email"));
  std::string next = request.method == http::verb::get ? request.query_param("next") : request.field("next");
  content.set("next", safe_next_path(next));
  set_errors(content, errors);
  Response page = app.page(request, "事業者アカウントの作成", "call/signup", content,
                           {{"公募情報", "/calls"}, {"事業者アカウントの作成", ""}}, "", status);
  for (auto& header : response.headers) page.headers.push_back(header);
  return page;
}

View public_call_content(Application& app, const Request& request, db::Transaction& tx, const call::Call& c,
                         const std::vector<call::Criterion>& items, const std::vector<call::Document>& docs) {
  auto now = app.clock().now();
  View content;
  content.set("call", call_view(c, now));
  ViewList documents = documents_view(docs, c.id);
  content.set("has_documents", !documents.empty());
  content.set("documents", documents);
  content.set("has_criteria", !items.empty());
  content.set("criteria", criteria_view(items));
  content.set("max_total", fmt::format("{}", call::max_total(items)));
  if (request.session) content.set("csrf_token", request.session->csrf_token);
  const auth::Principal* who = request.principal ? &*request.principal : nullptr;
  if (!who) {
    content.set("anonymous", c.phase(now) == call::Phase::kOpen);
    if (c.phase(now) != call::Phase::kOpen) content.set("apply_note", "現在は申請を受け付けていません。");
    return content;
  }
  if (!auth::allowed(*who, auth::Action::kApply, {.organisation_id = who->organisation_id})) {
    content.set("apply_note", "申請は事業者アカウントで行います。");
    return content;
  }
  std::optional<std::int64_t> mine;
  if (who->organisation_id) {
    if (auto found = call::application_of(tx, c.id, *who->organisation_id); found) mine = *found;
  }
  if (mine) {
    content.set("can_apply", true);
    content.set("apply_label", "自団体の申請を開く");
  } else if (c.phase(now) == call::Phase::kOpen) {
    content.set("can_apply", true);
    content.set("apply_label", "申請書の作成を始める");
  } else {
    content.set("apply_note", "現在は申請を受け付けていません。");
  }
  return content;
}

}  // namespace

void register_call_public_routes(Application& app) {
  app.add_nav_item({"公募情報", "/calls", std::nullopt});
  app.add_nav_item({"お知らせ", "/notifications", std::nullopt});

  app.router().get("/calls", {.public_route = true}, [&app](Request& request) {
    auto tx = app.database().begin(db::TxMode::kRead);
    if (!tx) return app.error(request, http::status::internal_server_error);
    auto calls = call::list_calls(**tx, true);
    if (!calls) return app.error(request, http::status::internal_server_error);
    ViewList list;
    for (const auto& c : *calls) list.push_back(call_view(c, app.clock().now()));
    View content;
    content.set("has_calls", !calls->empty());
    content.set("calls", list);
    return app.page(request, "公募情報", "call/public_list", content, {{"公募情報", ""}}, "/calls");
  });

  app.router().get("/calls/{id}", {.public_route = true}, [&app](Request& request) {
    auto tx = app.database().begin(db::TxMode::kRead);
    if (!tx) return app.error(request, http::status::internal_server_error);
    auto found = load_public_call(**tx, request);
    if (!found) return app.error(request, http::status::internal_server_error);
    if (!*found) return app.error(request, http::status::not_found);
    auto items = call::criteria(**tx, (*found)->id);
    auto docs = call::documents(**tx, (*found)->id);
    if (!items || !docs) return app.error(request, http::status::internal_server_error);
    View content = public_call_content(app, request, **tx, **found, *items, *docs);
    return app.page(request, (*found)->title, "call/public_call", content,
                    {{"公募情報", "/calls"}, {(*found)->title, ""}}, "/calls");
  });

  app.router().get("/calls/{id}/documents/{document}", {.public_route = true}, [&app](Request& request) {
    auto document = id_param(request, "document");
    if (!document) return app.error(request, http::status::not_found);
    auto tx = app.database().begin(db::TxMode::kRead);
    if (!tx) return app.error(request, http::status::internal_server_error);
    auto found = load_public_call(**tx, request);
    if (!found) return app.error(request, http::status::internal_server_error);
    if (!*found) return app.error(request, http::status::not_found);
    auto file = call::document_file(**tx, (*found)->id, *document);
    if (!file) return app.error(request, http::status::internal_server_error);
    if (!*file) return app.error(request, http::status::not_found);
    return download(**file);
  });

  app.router().get("/signup", {.public_route = true}, [&app](Request& request) {
    if (request.principal) return Response::redirect(safe_next_path(request.query_param("next")));
    return signup_page(app, request, {}, http::status::ok);
  });

  // Self sign-up of an operator: a new organisation (an existing name is refused, so nobody
  // joins another organisation and reads its applications) and its first user, signed in.
  app.router().post("/signup", {.public_route = true, .body = BodyKind::kForm}, [&app](Request& request) {
    if (request.principal) return Response::redirect("/");
    std::string organisation(text::trim(request.field("organisation")));
    std::vector<std::string> errors;
    if (organisation.empty()) errors.push_back("団体名を入力してください");
    if (text::count_code_points(organisation) > 100) errors.push_back("団体名は 100 文字以内で入力してください");
    if (!errors.empty()) return signup_page(app, request, errors, http::status::unprocessable_entity);
    auto now = app.clock().now();
    auto created = app.database().transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) -> Result<std::int64_t> {
      // Compared cleaned (text::clean_name): a look-alike with an invisible character or other
      // widths is the same name, so nobody joins an existing organisation through it.
      auto existing = auth::organisation_named(tx, organisation);
      if (!existing) return fail(existing.error());
      if (*existing)
        return fail(Error::conflict("この団体名はすでに登録されています。団体の担当者の追加は事務局にお問い合わせください"));
      auto org = auth::ensure_organisation(tx, organisation, "operator", std::nullopt, audit::Actor{std::nullopt, "visitor"}, now);
      if (!org) return fail(org.error());
      auto user = auth::create_user(tx, {request.field("email"), request.field("name"), request.field("password"),
                                         {auth::Role::kOperator}, *org, std::nullopt},
                                    auth::Granter::self_sign_up(), now);
      if (!user) return fail(user.error());
      if (auto a = audit::record(tx, audit::by_user(*user, "user.signup", fmt::format("organisation:{}", *org)), now); !a)
        return fail(a.error());
      return *user;
    });
    if (!created) {
      auto code = created.error().code;
      if (code == ErrorCode::kInvalidArgument || code == ErrorCode::kConflict)
        return signup_page(app, request, {created.error().message}, http::status::unprocessable_entity);
      return app.error(request, http::status::internal_server_error);
    }
    std::string next = safe_next_path(request.field("next"));
    Response response = Response::redirect(next == "/" ? "/my/applications" : next);
    if (!app.sign_in(request, response, *created)) return app.error(request, http::status::internal_server_error);
    return response;
  });

  app.router().get("/notifications", {}, [&app](Request& request) {
    auto tx = app.database().begin(db::TxMode::kRead);
    if (!tx) return app.error(request, http::status::internal_server_error);
    auto items = call::notifications(**tx, request.principal->user_id, 100);
    if (!items) return app.error(request, http::status::internal_server_error);
    ViewList list;
    bool unread = false;
    for (const auto& n : *items) {
      View item;
      item.set("title", n.title);
      item.set("body", n.body);
      set_text(item, "link", n.link);
      item.set("at", japan_time(n.created_at));
      item.set("unread", !n.read);
      unread = unread || !n.read;
      list.push_back(item);
    }
    View content;
    content.set("has_notifications", !items->empty());
    content.set("notifications", list);
    content.set("has_unread", unread);
    return app.page(request, "お知らせ", "call/notifications", content, {{"ダッシュボード", "/"}, {"お知らせ", ""}},
                    "/notifications");
  });

  app.router().post("/notifications/read", {.body = BodyKind::kForm}, [&app](Request& request) {
    auto done = app.database().write(
        [&](db::Transaction& tx) { return call::mark_read(tx, request.principal->user_id, app.clock().now()); });
    if (!done) return app.error(request, http::status::internal_server_error);
    return Response::redirect("/notifications");
  });
}

}  // namespace kakehashi::web
