// The operator's side of the call (R2.3): drafts that save as you go, PDF attachments,
// submission with a receipt, and the result once published. Every object is checked against
// the signed-in user's organisation; another organisation's application is a 404.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <unistd.h>

#include "auth/users.h"
#include "base/date.h"
#include "base/text.h"
#include "base/yen.h"
#include "geo/geo.h"
#include "docs/render.h"
#include "web/content_disposition.h"
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

call::ApplicationForm form_from(const Request& request, FormProblems& problems) {
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

// The edit form, filled from `form` (what was typed, or what is stored), with `problems` at
// their fields and summed up at the top under `title`.
Response edit_page(Application& app, Request& request, db::Transaction& tx, const Loaded& loaded,
                   const call::ApplicationForm& form, const FormProblems& problems, const std::string& title,
                   http::status status, const Notice* notice = nullptr) {
  ApplicationFormView content;
  content.call = call_fields(loaded.call, app.clock().now());
  call::Application shown = loaded.application;
  static_cast<call::ApplicationForm&>(shown) = form;
  content.application = application_fields(shown);
  bool posted = request.method == http::verb::post;
  auto chosen = request.form.all("block");
  for (const auto& block : loaded.call.blocks) {
    BlockRow row{.id = block, .name = geo::block_label(block)};
    auto it = std::find_if(form.blocks.begin(), form.blocks.end(), [&](const call::BlockRequest& b) { return b.block == block; });
    row.checked = posted ? std::find(chosen.begin(), chosen.end(), block) != chosen.end() : it != form.blocks.end();
    std::string typed = posted ? request.field("requested_" + block) : std::string();
    row.requested = posted ? typed : it != form.blocks.end() && it->requested ? std::to_string(it->requested) : "";
    row.error = problems.at("requested_" + block);
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
  content.max_bytes = std::to_string(call::kAttachmentLimit);
  content.max_label = fmt::format("{} MB", call::kAttachmentLimit / (1024 * 1024));
  content.error_summary = problems.summary(title);
  content.problems = problems;
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
    content.notice_href = fmt::format("/my/applications/{}/notice.pdf", loaded.application.id);
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
  FormProblems problems;
  call::ApplicationForm form = form_from(request, problems);
  const audit::Actor actor = audit::Actor::user(request.principal->user_id);
  // Every valid field is saved; a field with a problem keeps its stored value and stays on the
  // form as typed, with its message (issue 16: nothing typed is lost).
  for (const auto& p : call::draft_problems(form, l.call)) problems.add(p.field, p.message);
  call::ApplicationForm kept = call::valid_part(form, l.application, l.call);
  for (auto& block : kept.blocks) {
    if (!problems.at("requested_" + block.block)) continue;
    if (auto stored = l.application.requested_for(block.block)) block.requested = *stored;
  }
  auto saved = call::save_application(**tx, l.application.id, kept, l.call, actor, now);
  if (!saved) {
    if (!is_refusal(saved.error())) return app.error_response(request, saved.error());
    // The application cannot change any more (deadline passed, submitted, decided): say so,
    // and keep what was typed on the screen so it can be copied.
    bool late = l.call.phase(now) == call::Phase::kClosed && !l.application.reopened_reason;
    std::string title = late ? "受付期間が終了したため、保存・提出できません。" : "この申請は現在変更できません。";
    if (htmx) {
      SaveStatusView status{fmt::format("保存できませんでした: {}", saved.error().message)};
      return Response::html(render_template("call/save_status", to_view(status)));
    }
    FormProblems refused;
    refused.add("", saved.error().message);
    return edit_page(app, request, **tx, l, form, refused, title, http::status::unprocessable_entity);
  }
  if (!problems.empty()) {
    if (htmx) {
      if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
      std::string list;
      for (const auto& p : problems.problems()) list += (list.empty() ? "" : " / ") + p.message;
      SaveStatusView status{fmt::format("自動保存しました（{}）。次の項目は保存していません: {}", tokyo_datetime(now).substr(11), list)};
      return Response::html(render_template("call/save_status", to_view(status)));
    }
    if (request.field("action") != "submit" && request.field("delete_attachment").empty() && !uploads.file()) {
      if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
      auto read = app.database().begin(db::TxMode::kRead);
      if (!read) return app.error_response(request, read.error());
      return edit_page(app, request, **read, l, form, problems,
                       "下書きを保存しました。ただし、次の項目は保存していません。入力内容を確認してください。",
                       http::status::unprocessable_entity);
    }
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
    problems.add("file", *attachment_problem);
    return edit_page(app, request, **read, l, form, problems,
                     problems.problems().size() == 1 ? "下書きは保存しました。添付ファイルを確認してください。"
                                                     : "下書きは保存しました。ただし、次の項目は保存していません。入力内容を確認してください。",
                     http::status::unprocessable_entity);
  }
  if (action == "submit") {
    // Nothing is submitted while a typed field has a problem (the stored draft may be complete
    // but is not what the person sees).
    auto receipt = problems.empty() ? call::submit_application(**tx, l.application.id, l.call, actor, now)
                                    : Result<std::string>(fail(Error::invalid("")));
    if (!receipt) {
      if (!is_refusal(receipt.error())) return app.error_response(request, receipt.error());
      // Keep the saved draft, list everything missing for submission.
      if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
      auto read = app.database().begin(db::TxMode::kRead);
      if (!read) return app.error_response(request, read.error());
      auto count = call::attachment_count(**read, l.application.id);
      if (!count) return app.error_response(request, count.error());
      FormProblems missing;
      for (const auto& p : problems.problems()) missing.add(p.field, p.message);
      for (const auto& p : call::submission_field_problems(form, l.call, *count, now)) {
        bool known = std::any_of(missing.problems().begin(), missing.problems().end(),
                                 [&](const auto& q) { return q.message == p.message; });
        if (!known) missing.add(p.field, p.message);
      }
      if (missing.empty()) missing.add("", receipt.error().message);
      bool late = l.call.phase(now) == call::Phase::kClosed && !l.application.reopened_reason;
      return edit_page(app, request, **read, l, form, missing,
                       late ? "受付期間が終了したため、提出できません。"
                            : "下書きは保存しました。提出するには次の点を確認してください。",
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

// The award or non-award notice (採択通知書 / 不採択通知) of a published call, block by block
// for an application to several blocks, through the document engine (PDF).
std::string notice_markdown(const call::Call& c, const call::Application& a, const std::vector<call::DecisionLine>& lines,
                            Date issued) {
  auto text = [](std::string_view t) {
    std::string out;
    for (char ch : t) {
      if (ch == '\n' || ch == '\r') { out += ' '; continue; }
      if (std::string_view("\\`*_{}[]()#+-.!|<>~&").find(ch) != std::string_view::npos) out += '\\';
      out += ch;
    }
    return out;
  };
  bool any = false;
  std::string rows;
  for (const auto& b : a.blocks) {
    auto line = std::find_if(lines.begin(), lines.end(), [&](const call::DecisionLine& l) { return l.block == b.block; });
    bool won = line != lines.end() && line->application_id == a.id;
    any = any || won;
    rows += fmt::format("| {} | {} | {} |\n", geo::block_label(b.block), won ? "採択" : "不採択",
                        won ? format_yen(line->amount) : "—");
  }
  std::string title = any ? "採択通知書" : "不採択通知";
  std::string md = fmt::format("---\ntitle: {}\nissuer: 事務局\ndate: {}\n---\n\n", title, issued.japanese());
  md += fmt::format("# {} 御中\n\n", text(a.organisation_name));
  md += fmt::format("「{}」（受付番号 {}）について、審査の結果を次のとおり通知します。\n\n", text(c.title),
                    text(a.receipt_number.value_or("—")));
  md += "| ブロック | 結果 | 交付額（円） |\n| :--- | :--- | ---: |\n" + rows + "\nTable: ブロックごとの審査結果\n\n";
  md += any ? "採択されたブロックの事業の実施にあたっては、事務局からの案内に従って手続きを進めてください。\n"
            : "今回は採択に至りませんでした。ご応募いただきありがとうございました。\n";
  return md;
}

Response notice_pdf(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load_own(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded || (*loaded)->call.decision != call::DecisionState::kPublished || !(*loaded)->application.submitted)
    return app.error(request, http::status::not_found);
  const Loaded& l = **loaded;
  auto lines = call::decision(**tx, l.call.id);
  if (!lines) return app.error_response(request, lines.error());
  std::string md = notice_markdown(l.call, l.application, *lines, app.clock().today_in_tokyo());
  bool awarded = md.find("title: 採択通知書") != std::string::npos;
  tx->reset();
  std::string pattern = (std::filesystem::temp_directory_path() / "kakehashi-notice-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) return app.error(request, http::status::internal_server_error);
  std::filesystem::path dir = pattern;
  auto remove_dir = [&dir] {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  };
  if (auto written = docs::write_file(dir / "notice.md", md); !written) {
    remove_dir();
    return app.error_response(request, written.error());
  }
  docs::RenderOptions options;
  options.html = options.docx = options.figures = false;
  auto rendered = docs::render_markdown_file(dir / "notice.md", dir / "out", options);
  if (!rendered || rendered->files.empty()) {
    remove_dir();
    return app.error(request, http::status::internal_server_error);
  }
  std::ifstream in(rendered->files.front(), std::ios::binary);
  std::string pdf(std::istreambuf_iterator<char>(in), {});
  remove_dir();
  Response response;
  response.content_type = "application/pdf";
  response.body = std::move(pdf);
  response.with_header("Content-Disposition",
                       content_disposition(fmt::format("{}_{}.pdf", awarded ? "採択通知書" : "不採択通知",
                                                       l.application.receipt_number.value_or(""))));
  return response;
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
  app.get("/my/applications/{id}/notice.pdf", {.required = auth::Action::kApply}, notice_pdf);
}

}  // namespace kakehashi::web
