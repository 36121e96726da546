// The public side of the call (R2.2): the list of calls, a call's page with guidelines,
// criteria, deadline and countdown, and guideline downloads. Operator sign-up is in
// handlers/auth/signup.cpp; the notifications page is in handlers/notify/.
#include <fmt/format.h>

#include <map>

#include "base/date.h"
#include "base/yen.h"
#include "geo/geo.h"
#include "web/handlers/call/common.h"

namespace kakehashi::web {
namespace {

using namespace callweb;

// The documents grouped by title: the newest version first, older versions under it.
std::vector<PublicDocument> documents_view(const std::vector<call::Document>& documents, std::int64_t call_id) {
  std::vector<PublicDocument> list;
  std::map<std::string, std::vector<const call::Document*>> by_title;
  std::vector<std::string> order;
  for (const auto& d : documents) {
    if (!by_title.contains(d.title)) order.push_back(d.title);
    by_title[d.title].push_back(&d);
  }
  for (const auto& title : order) {
    const auto& versions = by_title[title];
    const call::Document& newest = *versions.front();
    PublicDocument item{.call_id = call_id,
                        .id = newest.id,
                        .title = newest.title,
                        .version = newest.version,
                        .file_name = newest.file_name,
                        .size = size_label(newest.size),
                        .uploaded_at = japan_time(newest.uploaded_at),
                        .older = versions.size() > 1};
    for (std::size_t i = 1; i < versions.size(); ++i) {
      item.versions.push_back(
          DocumentVersion{call_id, versions[i]->id, versions[i]->version, japan_time(versions[i]->uploaded_at)});
    }
    list.push_back(std::move(item));
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

PublicCallView public_call_content(Application& app, const Request& request, db::Transaction& tx, const call::Call& c,
                                  const std::vector<call::Criterion>& items, const std::vector<call::Document>& docs) {
  auto now = app.clock().now();
  PublicCallView content;
  content.call = call_fields(c, now);
  content.documents = documents_view(docs, c.id);
  content.has_documents = !content.documents.empty();
  content.has_criteria = !items.empty();
  content.criteria = criteria_fields(items);
  content.max_total = fmt::format("{}", call::max_total(items));
  if (c.decision == call::DecisionState::kPublished) {
    // The selected operator per block, the amounts and the date, for everyone (item 5).
    PublicResults results;
    auto published = parse_iso_utc(c.results_published_at.value_or(""));
    results.published_on = published ? tokyo_date(*published).japanese() : "";
    std::int64_t total = 0;
    if (auto lines = call::decision(tx, c.id)) {
      for (const auto& line : *lines) {
        PublicResultRow row{geo::block_label(line.block), "該当なし", "—"};
        if (line.application_id != 0) {
          if (auto a = call::find_application(tx, line.application_id); a && *a) row.operator_name = (*a)->organisation_name;
          row.amount = format_yen(line.amount);
          total += line.amount;
        }
        results.rows.push_back(std::move(row));
      }
    }
    results.total = format_yen(total);
    content.results = std::move(results);
  }
  const auth::Principal* who = request.principal ? &*request.principal : nullptr;
  if (!who) {
    content.anonymous = c.phase(now) == call::Phase::kOpen;
    if (c.phase(now) != call::Phase::kOpen) content.apply_note = "現在は申請を受け付けていません。";
    return content;
  }
  if (!auth::allowed(*who, auth::Action::kApply, {.organisation_id = who->organisation_id})) {
    content.apply_note = "申請は事業者アカウントで行います。";
    return content;
  }
  std::optional<std::int64_t> mine;
  if (who->organisation_id) {
    if (auto found = call::application_of(tx, c.id, *who->organisation_id); found) mine = *found;
  }
  if (mine) {
    content.can_apply = true;
    content.apply_label = "自団体の申請を開く";
  } else if (c.phase(now) == call::Phase::kOpen) {
    content.can_apply = true;
    content.apply_label = "申請書の作成を始める";
  } else {
    content.apply_note = "現在は申請を受け付けていません。";
  }
  return content;
}

Response list_public_calls(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto calls = call::list_calls(**tx, true);
  if (!calls) return app.error_response(request, calls.error());
  PublicListView content;
  for (const auto& c : *calls) content.calls.push_back(call_fields(c, app.clock().now()));
  content.has_calls = !calls->empty();
  return app.page(request, "公募情報", "call/public_list", content, {{"公募情報", ""}}, "/calls");
}

Response show_public_call(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto found = load_public_call(**tx, request);
  if (!found) return app.error_response(request, found.error());
  if (!*found) return app.error(request, http::status::not_found);
  auto items = call::criteria(**tx, (*found)->id);
  auto docs = call::documents(**tx, (*found)->id);
  if (!items) return app.error_response(request, items.error());
  if (!docs) return app.error_response(request, docs.error());
  PublicCallView content = public_call_content(app, request, **tx, **found, *items, *docs);
  return app.page(request, (*found)->title, "call/public_call", content,
                  {{"公募情報", "/calls"}, {(*found)->title, ""}}, "/calls");
}

Response download_document(Application& app, Request& request) {
  auto document = id_param(request, "document");
  if (!document) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto found = load_public_call(**tx, request);
  if (!found) return app.error_response(request, found.error());
  if (!*found) return app.error(request, http::status::not_found);
  auto file = call::document_file(**tx, (*found)->id, *document);
  if (!file) return app.error_response(request, file.error());
  if (!*file) return app.error(request, http::status::not_found);
  return download(**file);
}

}  // namespace

void register_call_public_routes(Application& app) {
  app.add_nav_item({"公募情報", "/calls", std::nullopt});

  app.get("/calls", {.public_route = true}, list_public_calls);
  app.get("/calls/{id}", {.public_route = true}, show_public_call);
  app.get("/calls/{id}/documents/{document}", {.public_route = true}, download_document);
}

}  // namespace kakehashi::web
