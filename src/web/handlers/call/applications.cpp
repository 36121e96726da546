// Applications as staff, reviewers and bureaus see them: the list of a call's applications
// (bureaus: their block's, once results are published), one application with the access rules
// of call/access.h (every staff read audited), attachments, reopening, and the XLSX export.
#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <filesystem>

#include "base/date.h"
#include "base/yen.h"
#include "docs/figures.h"
#include "geo/geo.h"
#include "web/content_disposition.h"
#include "web/handlers/call/common.h"

namespace kakehashi::web {
namespace {

using namespace callweb;

constexpr int kPerPage = 50;

// The applications of `c` this user may list, after the status and block filters.
Result<std::vector<call::ApplicationSummary>> visible_applications(db::Transaction& tx, const auth::Principal& who,
                                                                   const call::Call& c, const std::string& status,
                                                                   const std::string& block) {
  bool staff = who.has(auth::Role::kSecretariat) || who.has(auth::Role::kMeti);
  auto all = call::list_applications(tx, c.id, !staff);
  if (!all) return fail(all.error());
  std::vector<call::ApplicationSummary> out;
  for (auto& a : *all) {
    bool in_block = block.empty() || std::any_of(a.blocks.begin(), a.blocks.end(), [&](const auto& b) { return b.block == block; });
    if (!in_block) continue;
    if (status == "submitted" && !a.submitted) continue;
    if (status == "draft" && a.submitted) continue;
    if (!staff) {
      // Bureaus: the applications to their block, once results are published.
      if (c.decision != call::DecisionState::kPublished || !who.block_id) continue;
      bool theirs = std::any_of(a.blocks.begin(), a.blocks.end(), [&](const auto& b) {
        return auth::allowed(who, auth::Action::kViewApplication, {.block_id = b.block});
      });
      if (!theirs) continue;
    }
    out.push_back(std::move(a));
  }
  return out;
}

std::string blocks_text(const std::vector<call::BlockRequest>& blocks) {
  std::string out;
  for (const auto& b : blocks) {
    out += (out.empty() ? "" : "、") + fmt::format("{} {}", geo::block_label(b.block), b.requested ? format_yen(b.requested) : "（未入力）");
  }
  return out;
}

struct Visible {
  call::Application application;
  call::Call call;
  call::Visibility visibility = call::Visibility::kNone;
};

// The application {id} when this user may read it (nullopt otherwise: 404, nothing leaks).
Result<std::optional<Visible>> load_visible(db::Transaction& tx, const Request& request) {
  auto id = id_param(request, "id");
  if (!id) return std::optional<Visible>{};
  auto application = call::find_application(tx, *id);
  if (!application) return fail(application.error());
  if (!*application) return std::optional<Visible>{};
  auto c = call::find_call(tx, (*application)->call_id);
  if (!c) return fail(c.error());
  if (!*c) return std::optional<Visible>{};
  auto visibility = call::application_visibility(tx, *request.principal, **application, **c);
  if (!visibility) return fail(visibility.error());
  if (*visibility == call::Visibility::kNone) return std::optional<Visible>{};
  return std::optional<Visible>{Visible{std::move(**application), std::move(**c), *visibility}};
}

docs::DataCell text_cell(std::string text) { return {std::move(text), 0, false}; }
docs::DataCell number_cell(double value) { return {fmt::format("{}", value), value, true}; }

}  // namespace

Response callweb::xlsx_download(Application& app, const Request& request, const std::string& caption, docs::DataTable table,
                       const std::string& file_name) {
  auto path = temporary_file(".xlsx");
  if (!path) return app.error_response(request, path.error());
  const std::filesystem::path& xlsx = *path;
  std::error_code ignored;
  auto written = docs::write_figure_xlsx({"", caption, std::move(table)}, xlsx);
  if (!written) {
    std::filesystem::remove(xlsx, ignored);
    return app.error_response(request, written.error());
  }
  Response response;
  response.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  response.file = xlsx;
  response.delete_file_after = true;
  response.with_header("Content-Disposition", content_disposition(file_name));
  return response;
}

namespace {

Response applications_list(Application& app, Request& request) {
  auto id = id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto c = call::find_call(**tx, *id);
  if (!c) return app.error_response(request, c.error());
  const auth::Principal& who = *request.principal;
  bool staff = auth::allowed(who, auth::Action::kManageCalls) || who.has(auth::Role::kMeti);
  if (!*c || (!(*c)->published && !staff)) return app.error(request, http::status::not_found);
  std::string status = request.query_param("status");
  std::string block = request.query_param("block");
  if (!block.empty() && !geo::find_block(block)) block.clear();
  auto rows = visible_applications(**tx, who, **c, status, block);
  if (!rows) return app.error_response(request, rows.error());
  int page = page_number(request);
  std::string base = fmt::format("/admin/calls/{}/applications?status={}&block={}", *id, url_encode(status), url_encode(block));
  AdminApplicationsView content;
  content.pages = pagination(base, page, kPerPage, std::int64_t(rows->size()));
  content.call = call_fields(**c, app.clock().now());
  content.tabs = call_tabs(request, *id, "applications");
  content.count = rows->size();
  content.can_export = staff;
  content.f_submitted = status == "submitted";
  content.f_draft = status == "draft";
  if (!staff) content.note = "経済産業局の方には、結果の公表後に担当ブロックへの申請が表示されます。";
  for (const auto& b : (*c)->blocks) content.filter_blocks.push_back(FilterBlock{b, geo::block_label(b), b == block});
  for (std::size_t i = std::size_t(page - 1) * kPerPage; i < rows->size() && i < std::size_t(page) * kPerPage; ++i) {
    const auto& a = (*rows)[i];
    content.rows.push_back(ApplicationRow{a.id, a.receipt_number.value_or("—"), a.organisation_name,
                                          a.submitted ? "提出済み" : "下書き", blocks_text(a.blocks),
                                          a.submitted_at ? japan_time(*a.submitted_at) : "—"});
  }
  content.has_rows = !content.rows.empty();
  return app.page(request, "申請一覧", "call/admin_applications", content,
                  // The call's settings page is for those who manage calls (METI reads the list only).
                  {{"公募の管理", "/admin/calls"},
                   {(*c)->title, auth::may(who, auth::Action::kManageCalls) ? fmt::format("/admin/calls/{}", *id) : ""},
                   {"申請一覧", ""}},
                  "/admin/calls");
}

// The list of applications as XLSX: one row per application and block requested, so the
// amounts stay numbers and the sheet can be filtered by block.
Response applications_xlsx(Application& app, Request& request) {
  auto id = id_param(request, "id");
  const auth::Principal& who = *request.principal;
  bool staff = auth::allowed(who, auth::Action::kManageCalls) || who.has(auth::Role::kMeti);
  if (!id || !staff) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto c = call::find_call(**tx, *id);
  if (!c) return app.error_response(request, c.error());
  if (!*c) return app.error(request, http::status::not_found);
  auto rows = visible_applications(**tx, who, **c, "", "");
  if (!rows) return app.error_response(request, rows.error());
  docs::DataTable table;
  table.header = {"受付番号", "申請者", "状態", "提出日時（日本時間）", "ブロック", "申請額（円）"};
  for (const auto& a : *rows) {
    std::vector<call::BlockRequest> blocks = a.blocks.empty() ? std::vector<call::BlockRequest>{{"", 0}} : a.blocks;
    for (const auto& b : blocks) {
      table.rows.push_back({text_cell(a.receipt_number.value_or("")), text_cell(a.organisation_name),
                            text_cell(a.submitted ? "提出済み" : "下書き"),
                            text_cell(a.submitted_at ? tokyo_datetime(*parse_iso_utc(*a.submitted_at)) : ""),
                            text_cell(b.block.empty() ? "" : geo::block_label(b.block)), number_cell(double(b.requested))});
    }
  }
  tx->reset();
  boost::json::object detail{{"rows", std::int64_t(table.rows.size())}};
  if (auto logged = audit::append(app.database(),
                                  audit::by_user(who.user_id, "application.export", fmt::format("call:{}", *id),
                                                 boost::json::serialize(detail)),
                                  app.clock().now());
      !logged)
    return app.error_response(request, logged.error());
  return xlsx_download(app, request, "申請一覧", std::move(table),
                       fmt::format("申請一覧_{}.xlsx", app.clock().today_in_tokyo().iso()));
}

// The application as staff, reviewers and bureaus read it; `errors` are those of a refused
// reopening (shown beside its form, with the reason as typed). Every read is audited.
Response application_page(Application& app, Request& request, const std::vector<std::string>& errors,
                          http::status status) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto visible = load_visible(**tx, request);
  if (!visible) return app.error_response(request, visible.error());
  if (!*visible) return app.error(request, http::status::not_found);
  const Visible& v = **visible;
  const auth::Principal& who = *request.principal;
  if (!call::read_is_audited(who, v.application)) return Response::redirect(fmt::format("/my/applications/{}", v.application.id));
  call::Application shown = v.visibility == call::Visibility::kRedacted ? call::redacted(v.application) : v.application;
  ApplicationPageView content;
  content.heading = fmt::format("申請 {}（{}）", shown.receipt_number.value_or("下書き"), shown.organisation_name);
  content.call = call_fields(v.call, app.clock().now());
  content.application = application_fields(shown);
  auto files = call::attachments(**tx, v.application.id);
  if (!files) return app.error_response(request, files.error());
  for (const auto& f : *files) {
    content.attachments.push_back(Attachment{f.id, v.application.id, f.file_name, size_label(f.size),
                                             fmt::format("/applications/{}/attachments/{}", v.application.id, f.id)});
  }
  content.has_attachments = !files->empty();
  content.can_reopen = auth::allowed(who, auth::Action::kReopenApplication) && v.application.submitted &&
                       v.call.decision == call::DecisionState::kNone;
  content.errors = FormErrors{errors, ""};
  content.reopen_reason = errors.empty() ? std::string() : request.field("reason");
  tx->reset();
  // Staff reads are traced (R2.7): who read which application, never its content.
  if (auto logged = audit::append(app.database(),
                                  audit::by_user(who.user_id, "application.read", fmt::format("application:{}", v.application.id)),
                                  app.clock().now());
      !logged)
    return app.error_response(request, logged.error());
  bool staff = auth::allowed(who, auth::Action::kViewCalls) && !who.has(auth::Role::kReviewer);
  std::string here = shown.receipt_number.value_or("申請");
  std::vector<Breadcrumb> crumbs;
  if (staff) {
    crumbs.push_back({"公募の管理", "/admin/calls"});
    crumbs.push_back({"申請一覧", fmt::format("/admin/calls/{}/applications", v.call.id)});
  } else {
    crumbs.push_back({"審査", "/review"});
  }
  crumbs.push_back({here, ""});
  return app.page(request, "申請内容", "call/application_view", content, crumbs, staff ? "/admin/calls" : "/review", status);
}

Response show_application(Application& app, Request& request) { return application_page(app, request, {}, http::status::ok); }

Response download_attachment(Application& app, Request& request) {
  auto attachment = id_param(request, "attachment");
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto visible = load_visible(**tx, request);
  if (!visible) return app.error_response(request, visible.error());
  if (!*visible || !attachment) return app.error(request, http::status::not_found);
  auto copy = call::attachment_copy(*request.principal, (*visible)->application);
  auto file = call::attachment_file(**tx, (*visible)->application.id, *attachment, copy);
  if (!file) return app.error_response(request, file.error());
  if (!*file) return app.error(request, http::status::not_found);
  tx->reset();
  boost::json::object detail{{"attachment", *attachment},
                             {"copy", copy == call::AttachmentCopy::kOriginal ? "original" : "disarmed"}};
  if (auto logged = audit::append(app.database(),
                                  audit::by_user(request.principal->user_id, "application.attachment_read",
                                                 fmt::format("application:{}", (*visible)->application.id),
                                                 boost::json::serialize(detail)),
                                  app.clock().now());
      !logged)
    return app.error_response(request, logged.error());
  return download(**file);
}

// Gives the application back to its operator (the service notifies the organisation's users);
// a refusal shows the application again with the message and the reason as typed.
Response reopen_application(Application& app, Request& request) {
  auto id = id_param(request, "id");
  if (!id) return app.error(request, http::status::not_found);
  auto done = app.database().write([&](db::Transaction& tx) -> Result<void> {
    return call::reopen_application(tx, *id, request.field("reason"), audit::Actor::user(request.principal->user_id),
                                    app.clock().now());
  });
  if (!done) {
    if (!is_refusal(done.error())) return app.error_response(request, done.error());
    return application_page(app, request, {done.error().message}, http::status::unprocessable_entity);
  }
  return app.redirect_with_notice(request, fmt::format("/applications/{}", *id), "申請を差し戻しました。");
}

}  // namespace

void register_call_application_routes(Application& app) {
  app.get("/admin/calls/{id}/applications", {.required = auth::Action::kViewCalls, .protected_info = true}, applications_list);
  app.get("/admin/calls/{id}/applications.xlsx", {.required = auth::Action::kViewCalls, .protected_info = true}, applications_xlsx);
  app.get("/applications/{id}", {.required = auth::Action::kViewApplication, .protected_info = true}, show_application);
  app.get("/applications/{id}/attachments/{attachment}", {.required = auth::Action::kViewApplication, .protected_info = true},
          download_attachment);
  app.post("/applications/{id}/reopen", {.required = auth::Action::kReopenApplication, .body = BodyKind::kForm, .protected_info = true},
           reopen_application);
}

}  // namespace kakehashi::web
