// The operator's side of the call (R2.3): drafts that save as you go, PDF attachments,
// submission with a receipt, and the result once published. Every object is checked against
// the signed-in user's organisation; another organisation's application is a 404.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "auth/users.h"
#include "base/date.h"
#include "base/text.h"
#include "base/yen.h"
#include "geo/geo.h"
#include "web/handlers/call/common.h"

namespace kakehashi::web {
namespace {

using namespace callweb;

constexpr std::size_t kAttachmentBodyLimit = std::size_t(call::kAttachmentLimit) + 64 * 1024;

struct Loaded {
  call::Application application;
  call::Call call;
};

// The application `id` of the signed-in operator's organisation, or nullopt (404).
Result<std::optional<Loaded>> load_own(db::Transaction& tx, const Request& request) {
  auto id = id_param(request, "id");
  if (!id) return std::optional<Loaded>{};
  auto application = call::find_application(tx, *id);
  if (!application) return fail(application.error());
  if (!*application) return std::optional<Loaded>{};
  if (!auth::allowed(*request.principal, auth::Action::kApply, {.organisation_id = (*application)->organisation_id}))
    return std::optional<Loaded>{};
  auto c = call::find_call(tx, (*application)->call_id);
  if (!c) return fail(c.error());
  if (!*c) return std::optional<Loaded>{};
  return std::optional<Loaded>{Loaded{std::move(**application), std::move(**c)}};
}

call::ApplicationForm form_from(const Request& request, std::vector<std::string>& problems) {
  call::ApplicationForm f;
  f.organisation_profile = request.field("organisation_profile");
  f.representative_name = std::string(text::trim(request.field("representative_name")));
  f.contact_name = std::string(text::trim(request.field("contact_name")));
  f.contact_email = std::string(text::trim(request.field("contact_email")));
  f.contact_phone = text::nfkc(text::trim(request.field("contact_phone")));
  f.qualification_coordination = request.field("qualification_coordination") == "1";
  f.qualification_matching = request.field("qualification_matching") == "1";
  f.qualification_community = request.field("qualification_community") == "1";
  f.qualification_note = request.field("qualification_note");
  f.plan_projects = request.field("plan_projects");
  f.plan_pbl = request.field("plan_pbl");
  f.plan_continuity = request.field("plan_continuity");
  f.plan_self_sufficiency = request.field("plan_self_sufficiency");
  f.plan_regional_fit = request.field("plan_regional_fit");
  for (std::string_view topic : request.form.all("topic")) f.topics.emplace_back(topic);
  f.blocks = block_requests_from(request, problems);
  return f;
}

std::vector<Attachment> attachments_view(const std::vector<call::Attachment>& files, std::int64_t application_id) {
  std::vector<Attachment> list;
  for (const auto& file : files) {
    list.push_back(Attachment{file.id, application_id, file.file_name, size_label(file.size),
                              fmt::format("/my/applications/{}/attachments/{}", application_id, file.id)});
  }
  return list;
}

// The edit form, filled from `form` (what was typed, or what is stored).
Response edit_page(Application& app, Request& request, db::Transaction& tx, const Loaded& loaded,
                   const call::ApplicationForm& form, const std::vector<std::string>& errors,
                   const std::string& errors_title, http::status status, const Notice* notice = nullptr) {
  ApplicationFormView content;
  content.call = call_fields(loaded.call, app.clock().now());
  call::Application shown = loaded.application;
  static_cast<call::ApplicationForm&>(shown) = form;
  content.application = application_fields(shown);
  for (const auto& block : loaded.call.blocks) {
    BlockRow row{.id = block, .name = geo::block_label(block)};
    auto it = std::find_if(form.blocks.begin(), form.blocks.end(), [&](const call::BlockRequest& b) { return b.block == block; });
    row.checked = it != form.blocks.end();
    std::string typed = request.method == http::verb::post ? request.field("requested_" + block) : std::string();
    row.requested = !typed.empty() ? typed : it != form.blocks.end() && it->requested ? std::to_string(it->requested) : "";
    content.block_rows.push_back(std::move(row));
  }
  for (const auto& topic : call::kTopics) {
    content.topic_rows.push_back(TopicChoice{std::string(topic.id), std::string(topic.label),
                                             std::find(form.topics.begin(), form.topics.end(), topic.id) != form.topics.end()});
  }
  auto files = call::attachments(tx, loaded.application.id);
  if (!files) return app.error_response(request, files.error());
  content.attachments = attachments_view(*files, loaded.application.id);
  content.has_attachments = !files->empty();
  content.errors = FormErrors{errors, errors_title};
  if (notice) content.flash = *notice;
  return app.page(request, "申請書の作成", "call/application_form", content,
                  {{"申請", "/my/applications"}, {loaded.call.title, ""}}, "/my/applications", status);
}

// The read-only view of the operator's own application (submitted, or after the deadline).
Response own_view(Application& app, Request& request, db::Transaction& tx, const Loaded& loaded) {
  ApplicationPageView content;
  content.heading = "申請内容";
  content.call = call_fields(loaded.call, app.clock().now());
  content.application = application_fields(loaded.application);
  auto files = call::attachments(tx, loaded.application.id);
  if (!files) return app.error_response(request, files.error());
  content.has_attachments = !files->empty();
  content.attachments = attachments_view(*files, loaded.application.id);
  if (loaded.call.decision == call::DecisionState::kPublished) {
    auto lines = call::decision(tx, loaded.call.id);
    if (!lines) return app.error_response(request, lines.error());
    std::string won;
    for (const auto& line : *lines) {
      if (line.application_id == loaded.application.id)
        won += (won.empty() ? "" : "、") + fmt::format("{}（交付額 {}）", geo::block_label(line.block), format_yen(line.amount));
    }
    content.result = won.empty() ? flash("info", "今回は不採択となりました。ご応募ありがとうございました。")
                                 : flash("success", "採択されました: " + won);
  }
  return app.page(request, "申請内容", "call/application_view", content,
                  {{"申請", "/my/applications"}, {loaded.call.title, ""}}, "/my/applications");
}

Response my_applications(Application& app, Request& request) {
  const auth::Principal& who = *request.principal;
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto calls = call::list_calls(**tx, true);
  if (!calls) return app.error_response(request, calls.error());
  MyApplicationsView content;
  std::string organisation;
  if (who.organisation_id) {
    auto name = auth::organisation_name(**tx, *who.organisation_id);
    if (!name) return app.error_response(request, name.error());
    organisation = name->value_or("");
  }
  auto now = app.clock().now();
  for (const auto& c : *calls) {
    if (c.phase(now) == call::Phase::kOpen) content.open_calls.push_back(call_fields(c, now));
    if (!who.organisation_id) continue;
    auto id = call::application_of(**tx, c.id, *who.organisation_id);
    if (!id) return app.error_response(request, id.error());
    if (!*id) continue;
    auto a = call::find_application(**tx, **id);
    if (!a) return app.error_response(request, a.error());
    if (!*a) continue;
    MyApplicationRow row{.application = application_fields(**a), .call_title = c.title};
    for (const auto& b : (*a)->blocks) row.block_names += (row.block_names.empty() ? "" : "・") + geo::block_label(b.block);
    std::string result = "—";
    if (c.decision == call::DecisionState::kPublished) {
      auto lines = call::decision(**tx, c.id);
      if (!lines) return app.error_response(request, lines.error());
      result = "不採択";
      for (const auto& line : *lines) {
        if (line.application_id == **id) result = "採択";
      }
    }
    row.result = result;
    content.applications.push_back(std::move(row));
  }
  content.organisation = organisation;
  content.has_applications = !content.applications.empty();
  content.has_open = !content.open_calls.empty();
  return app.page(request, "申請", "call/my_applications", content, {{"申請", ""}}, "/my/applications");
}

Response start_application(Application& app, Request& request) {
  auto id = id_param(request, "id");
  const auth::Principal& who = *request.principal;
  if (!id) return app.error(request, http::status::not_found);
  if (!who.organisation_id) return app.error(request, http::status::forbidden, "申請するには団体に所属している必要があります");
  auto now = app.clock().now();
  auto started = app.database().transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) -> Result<std::int64_t> {
    auto c = call::find_call(tx, *id);
    if (!c) return fail(c.error());
    if (!*c || !(*c)->published) return fail(Error::not_found("公募が見つかりません"));
    return call::start_application(tx, **c, *who.organisation_id, audit::Actor::user(who.user_id), now);
  });
  if (!started) return app.error_response(request, started.error());
  return Response::redirect(fmt::format("/my/applications/{}", *started));
}

Response show_own(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load_own(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  const Loaded& l = **loaded;
  bool editable = !l.application.submitted &&
                  (l.call.phase(app.clock().now()) == call::Phase::kOpen || l.application.reopened_reason);
  if (!editable) return own_view(app, request, **tx, l);
  Notice saved = flash("success", "下書きを保存しました。");
  return edit_page(app, request, **tx, l, l.application, {}, "", http::status::ok,
                   request.query_param("saved") == "1" ? &saved : nullptr);
}

// Saves the draft. The form is one multipart form (fields and the attachment file), so
// nothing typed is lost when a file is attached or removed. htmx's autosave (file excluded)
// gets a one-line status; a plain post gets the page again (with errors) or a redirect.
// action=attach adds the chosen PDF, delete_attachment=<id> removes one, action=submit
// saves and then submits.
Response save_own(Application& app, Request& request) {
  UploadedFiles uploads(request);
  bool htmx = request.headers.find("HX-Request") != request.headers.end();
  // An attached PDF is inspected and disarmed (a child process) before the write transaction,
  // under an inspection slot, and only for the applicant's own application (R8.4).
  std::optional<Result<call::InspectedAttachment>> inspected;
  if (const QuarantinedFile* file = uploads.file(); file && !htmx && file->sniffed_type == "application/pdf") {
    if (auto read = app.database().begin(db::TxMode::kRead); !read) {
      return app.error_response(request, read.error());
    } else if (auto mine = load_own(**read, request); !mine) {
      return app.error_response(request, mine.error());
    } else if (!*mine) {
      return app.error(request, http::status::not_found);
    }
    auto slot = app.admit(request, WorkKind::kInspection);
    if (!slot) return app.busy(request, WorkKind::kInspection);
    inspected = call::inspect_attachment(file->stored_path, file->original_name, file->sha256);
    if (!*inspected && !is_refusal(inspected->error())) return app.error_response(request, inspected->error());
  }
  auto now = app.clock().now();
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load_own(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  const Loaded& l = **loaded;
  std::vector<std::string> problems;
  call::ApplicationForm form = form_from(request, problems);
  const audit::Actor actor = audit::Actor::user(request.principal->user_id);
  if (problems.empty()) {
    auto saved = call::save_application(**tx, l.application.id, form, l.call, actor, now);
    if (!saved) {
      if (!is_refusal(saved.error())) return app.error_response(request, saved.error());
      problems = call::validate_draft(form, l.call);
      if (problems.empty()) problems.push_back(saved.error().message);
    }
  }
  if (!problems.empty()) {
    if (htmx) {
      SaveStatusView status{fmt::format("保存できませんでした: {}", problems.front())};
      return Response::html(render_template("call/save_status", to_view(status)));
    }
    return edit_page(app, request, **tx, l, form, problems, "保存できませんでした。入力内容を確認してください。",
                     http::status::unprocessable_entity);
  }
  std::string action = request.field("action");
  bool attachments_changed = false;
  // The fields are saved; attachment changes come next, in the same transaction.
  auto attachment_problem = [&]() -> std::optional<std::string> {
    if (std::string remove = request.field("delete_attachment"); !remove.empty() && !htmx) {
      auto attachment = parse_id(remove);
      if (!attachment) return "削除する添付ファイルが正しくありません";
      auto removed = call::delete_attachment(**tx, l.application.id, *attachment, actor, now);
      if (!removed) return removed.error().message;
      attachments_changed = true;
    }
    const QuarantinedFile* file = uploads.file();
    if (htmx || !file) {
      if (action == "attach" && !htmx) return "添付する PDF ファイルを選んでください";
      return std::nullopt;
    }
    if (file->sniffed_type != "application/pdf") return "添付できるのは PDF ファイルのみです（ファイルの中身が PDF ではありません）";
    if (!inspected) return "添付ファイルを確認できませんでした。もう一度お試しください";
    if (!*inspected) return inspected->error().message;
    auto added = call::add_attachment(**tx, l.application.id, **inspected, actor, now);
    if (!added) return added.error().message;
    attachments_changed = true;
    return std::nullopt;
  }();
  if (attachment_problem) {
    // Keep what was typed (saved), report the attachment problem.
    if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
    auto read = app.database().begin(db::TxMode::kRead);
    if (!read) return app.error_response(request, read.error());
    return edit_page(app, request, **read, l, form, {*attachment_problem}, "下書きは保存しました。添付ファイルを確認してください。",
                     http::status::unprocessable_entity);
  }
  if (action == "submit") {
    auto receipt = call::submit_application(**tx, l.application.id, l.call, actor, now);
    if (!receipt) {
      if (!is_refusal(receipt.error())) return app.error_response(request, receipt.error());
      // Keep the saved draft, list everything missing for submission.
      if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
      auto read = app.database().begin(db::TxMode::kRead);
      if (!read) return app.error_response(request, read.error());
      auto count = call::attachment_count(**read, l.application.id);
      if (!count) return app.error_response(request, count.error());
      auto missing = call::submission_problems(form, l.call, *count, now);
      if (missing.empty()) missing.push_back(receipt.error().message);
      return edit_page(app, request, **read, l, form, missing, "下書きは保存しました。提出するには次の点を確認してください。",
                       http::status::unprocessable_entity);
    }
    if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
    return Response::redirect(fmt::format("/my/applications/{}/receipt", l.application.id));
  }
  if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
  if (htmx) {
    SaveStatusView status{fmt::format("自動保存しました（{}）", tokyo_datetime(now).substr(11))};
    return Response::html(render_template("call/save_status", to_view(status)));
  }
  if (attachments_changed) return Response::redirect(fmt::format("/my/applications/{}?saved=1#attachments", l.application.id));
  return Response::redirect(fmt::format("/my/applications/{}?saved=1", l.application.id));
}

Response own_attachment(Application& app, Request& request) {
  auto attachment = id_param(request, "attachment");
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load_own(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded || !attachment) return app.error(request, http::status::not_found);
  auto file = call::attachment_file(**tx, (*loaded)->application.id, *attachment, call::AttachmentCopy::kOriginal);
  if (!file) return app.error_response(request, file.error());
  if (!*file) return app.error(request, http::status::not_found);
  return download(**file);
}

Response receipt(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load_own(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded || !(*loaded)->application.submitted) return app.error(request, http::status::not_found);
  const Loaded& l = **loaded;
  ReceiptView content{.application = application_fields(l.application), .call_title = l.call.title};
  auto files = call::attachments(**tx, l.application.id);
  if (!files) return app.error_response(request, files.error());
  content.attachment_count = files->size();
  return app.page(request, "申請を受け付けました", "call/receipt", content,
                  {{"申請", "/my/applications"}, {"受付完了", ""}}, "/my/applications");
}

}  // namespace

void register_call_apply_routes(Application& app) {
  app.add_nav_item({"申請", "/my/applications", auth::Action::kApply});

  app.get("/my/applications", {.required = auth::Action::kApply}, my_applications);
  app.post("/calls/{id}/apply", {.required = auth::Action::kApply, .body = BodyKind::kForm}, start_application);
  app.get("/my/applications/{id}", {.required = auth::Action::kApply}, show_own);
  app.post("/my/applications/{id}",
           {.required = auth::Action::kApply, .body = BodyKind::kMultipart, .body_limit = kAttachmentBodyLimit}, save_own);
  app.get("/my/applications/{id}/attachments/{attachment}", {.required = auth::Action::kApply}, own_attachment);
  app.get("/my/applications/{id}/receipt", {.required = auth::Action::kApply}, receipt);
}

}  // namespace kakehashi::web
