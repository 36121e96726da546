// The call service: drafts that save as you go, submission with a receipt number, reopening,
// PDF attachments within per-application and per-organisation limits.
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <algorithm>

#include "auth/users.h"
#include "base/date.h"
#include "base/text.h"
#include "base/yen.h"
#include "call/service.h"
#include "call/service_internal.h"
#include "call/store.h"
#include "notify/service.h"
#include "geo/geo.h"

namespace kakehashi::call {
namespace {

constexpr std::size_t kShortLimit = 100;
constexpr std::size_t kProfileLimit = 2000;
constexpr std::size_t kPlanLimit = 4000;
constexpr double kMiB = 1024.0 * 1024.0;

std::string application_object(std::int64_t application_id) { return fmt::format("application:{}", application_id); }

// The application with its organisation's name.
Result<std::optional<Application>> named(db::Transaction& tx, Result<std::optional<Application>> found) {
  if (!found || !*found) return found;
  auto name = auth::organisation_name(tx, (*found)->organisation_id);
  if (!name) return fail(name.error());
  (*found)->organisation_name = name->value_or("");
  return found;
}

Result<Application> existing(db::Transaction& tx, std::int64_t application_id) {
  auto found = store::find_application(tx, application_id);
  if (!found) return fail(found.error());
  if (!*found) return fail(Error::not_found("申請が見つかりません"));
  return std::move(**found);
}

// The application and its call as stored now; `call` (the caller's) must be that call.
struct Current {
  Application application;
  Call call;
};
Result<Current> current(db::Transaction& tx, std::int64_t application_id, const Call& call) {
  auto application = existing(tx, application_id);
  if (!application) return fail(application.error());
  if (application->call_id != call.id) return fail(Error::not_found("申請が見つかりません"));
  auto stored = detail::current_call(tx, call.id);
  if (!stored) return fail(stored.error());
  return Current{std::move(*application), std::move(*stored)};
}

// Attachments change only on a draft of a call still taking applications.
Result<void> attachments_may_change(db::Transaction& tx, const Application& application, Instant now,
                                    std::string_view submitted_message) {
  if (application.submitted) return fail(Error::conflict(std::string(submitted_message)));
  auto call = detail::current_call(tx, application.call_id);
  if (!call) return fail(call.error());
  if (call->decision != DecisionState::kNone)
    return fail(Error::conflict("委員会の決定が記録された公募の申請は変更できません"));
  if (call->phase(now) == Phase::kClosed && !application.reopened_reason)
    return fail(Error::conflict("締切を過ぎているため添付ファイルを変更できません"));
  return {};
}

}  // namespace

std::vector<FieldProblem> draft_problems(const ApplicationForm& f, const Call& call) {
  std::vector<FieldProblem> problems;
  auto add = [&](std::string field, std::string message) { problems.push_back({std::move(field), std::move(message)}); };
  auto limit = [&](const char* field, std::string_view label, const std::string& value, std::size_t n) {
    if (auto p = detail::text_limit_problem(label, value, n); !p.empty()) add(field, p);
  };
  limit("organisation_profile", "団体の概要", f.organisation_profile, kProfileLimit);
  limit("representative_name", "代表者氏名", f.representative_name, kShortLimit);
  limit("contact_name", "担当者氏名", f.contact_name, kShortLimit);
  limit("contact_email", "担当者メールアドレス", f.contact_email, 254);
  limit("contact_phone", "担当者電話番号", f.contact_phone, 20);
  limit("qualification_note", "実績の補足", f.qualification_note, kProfileLimit);
  limit("plan_projects", "事業計画（ヒト・モノ・カネ）", f.plan_projects, kPlanLimit);
  limit("plan_pbl", "PBL の計画", f.plan_pbl, kPlanLimit);
  limit("plan_continuity", "継続性", f.plan_continuity, kPlanLimit);
  limit("plan_self_sufficiency", "自走化", f.plan_self_sufficiency, kPlanLimit);
  limit("plan_regional_fit", "地域の人材ニーズ・2040年の産業構造推計との適合", f.plan_regional_fit, kPlanLimit);
  if (!f.contact_email.empty() && !auth::is_plausible_email(f.contact_email))
    add("contact_email", "担当者メールアドレスの形式が正しくありません（例: tanto@example.jp）");
  if (!f.contact_phone.empty() &&
      f.contact_phone.find_first_not_of("0123456789-+() ") != std::string::npos)
    add("contact_phone", "担当者電話番号は半角の数字とハイフンで入力してください（例: 03-1234-5678）");
  for (const auto& topic : f.topics) {
    if (!topic_label(topic)) add("topics", fmt::format("テーマが正しくありません: {}", topic));
  }
  for (const auto& b : f.blocks) {
    if (std::find(call.blocks.begin(), call.blocks.end(), b.block) == call.blocks.end()) {
      add("blocks", fmt::format("この公募の対象ではないブロックです: {}", geo::block_label(b.block)));
    } else if (b.requested != 0 && (b.requested < call.award_min || b.requested > call.award_max)) {
      add("requested_" + b.block,
          fmt::format("{}の申請額 {} は交付額の範囲（{}〜{}）の外です", geo::block_label(b.block), format_yen(b.requested),
                      format_yen(call.award_min), format_yen(call.award_max)));
    }
  }
  return problems;
}

std::vector<std::string> validate_draft(const ApplicationForm& f, const Call& call) {
  return messages(draft_problems(f, call));
}

ApplicationForm valid_part(const ApplicationForm& typed, const ApplicationForm& stored, const Call& call) {
  const auto problems = draft_problems(typed, call);
  auto bad = [&](std::string_view field) {
    return std::any_of(problems.begin(), problems.end(), [&](const FieldProblem& p) { return p.field == field; });
  };
  ApplicationForm kept = typed;
  auto keep = [&](const char* field, std::string ApplicationForm::*member) {
    if (bad(field)) kept.*member = stored.*member;
  };
  keep("organisation_profile", &ApplicationForm::organisation_profile);
  keep("representative_name", &ApplicationForm::representative_name);
  keep("contact_name", &ApplicationForm::contact_name);
  keep("contact_email", &ApplicationForm::contact_email);
  keep("contact_phone", &ApplicationForm::contact_phone);
  keep("qualification_note", &ApplicationForm::qualification_note);
  keep("plan_projects", &ApplicationForm::plan_projects);
  keep("plan_pbl", &ApplicationForm::plan_pbl);
  keep("plan_continuity", &ApplicationForm::plan_continuity);
  keep("plan_self_sufficiency", &ApplicationForm::plan_self_sufficiency);
  keep("plan_regional_fit", &ApplicationForm::plan_regional_fit);
  std::erase_if(kept.topics, [](const std::string& topic) { return !topic_label(topic); });
  std::vector<BlockRequest> blocks;
  for (const auto& b : typed.blocks) {
    if (std::find(call.blocks.begin(), call.blocks.end(), b.block) == call.blocks.end()) continue;
    BlockRequest block = b;
    if (bad("requested_" + b.block)) {
      auto it = std::find_if(stored.blocks.begin(), stored.blocks.end(), [&](const BlockRequest& s) { return s.block == b.block; });
      block.requested = it != stored.blocks.end() ? it->requested : 0;
    }
    blocks.push_back(block);
  }
  kept.blocks = std::move(blocks);
  return kept;
}

std::vector<FieldProblem> submission_field_problems(const ApplicationForm& f, const Call& call,
                                                    std::int64_t attachments, Instant now) {
  std::vector<FieldProblem> problems;
  auto add = [&](std::string field, std::string message) { problems.push_back({std::move(field), std::move(message)}); };
  if (call.phase(now) != Phase::kOpen) {
    add("", call.phase(now) == Phase::kClosed ? "締切を過ぎているため提出できません" : "受付期間外のため提出できません");
  }
  auto required = [&](const char* field, std::string_view label, const std::string& value) {
    if (text::trim(value).empty()) add(field, fmt::format("{}を入力してください", label));
  };
  required("organisation_profile", "団体の概要", f.organisation_profile);
  required("representative_name", "代表者氏名", f.representative_name);
  required("contact_name", "担当者氏名", f.contact_name);
  required("contact_email", "担当者メールアドレス", f.contact_email);
  required("contact_phone", "担当者電話番号", f.contact_phone);
  if (!f.qualification_coordination && !f.qualification_matching && !f.qualification_community)
    add("qualifications", "実績（コーディネート・マッチング・地域コミュニティ形成）のいずれかを選んでください");
  if (f.blocks.empty()) add("blocks", "申請するブロックを 1 つ以上選んでください");
  for (const auto& b : f.blocks) {
    if (b.requested == 0) add("requested_" + b.block, fmt::format("{}の申請額を入力してください", geo::block_label(b.block)));
  }
  required("plan_projects", "事業計画（ヒト・モノ・カネ）", f.plan_projects);
  required("plan_pbl", "PBL の計画", f.plan_pbl);
  required("plan_continuity", "継続性", f.plan_continuity);
  required("plan_self_sufficiency", "自走化", f.plan_self_sufficiency);
  required("plan_regional_fit", "地域の人材ニーズ・2040年の産業構造推計との適合", f.plan_regional_fit);
  if (f.topics.empty()) add("topics", "事業のテーマを 1 つ以上選んでください");
  if (attachments == 0) add("file", "事業計画書（PDF）を添付してください");
  for (auto& p : draft_problems(f, call)) problems.push_back(std::move(p));
  return problems;
}

std::vector<std::string> submission_problems(const ApplicationForm& f, const Call& call, std::int64_t attachments,
                                             Instant now) {
  return messages(submission_field_problems(f, call, attachments, now));
}

Result<std::optional<std::int64_t>> application_of(db::Transaction& tx, std::int64_t call_id,
                                                   std::int64_t organisation_id) {
  return store::application_of(tx, call_id, organisation_id);
}

Result<std::int64_t> start_application(db::Transaction& tx, const Call& call, std::int64_t organisation_id,
                                       const audit::Actor& actor, Instant now) {
  auto existing_id = store::application_of(tx, call.id, organisation_id);
  if (!existing_id) return fail(existing_id.error());
  if (*existing_id) return **existing_id;
  auto stored = detail::current_call(tx, call.id);
  if (!stored) return fail(stored.error());
  if (stored->phase(now) != Phase::kOpen || stored->decision != DecisionState::kNone)
    return fail(Error::conflict("この公募は現在受け付けていません"));
  auto id = store::insert_application(tx, call.id, organisation_id, actor.user_id, now);
  if (!id) return fail(id.error());
  if (auto a = detail::audited(tx, actor, "application.create", application_object(*id), now); !a) return fail(a.error());
  return *id;
}

Result<std::optional<Application>> find_application(db::Transaction& tx, std::int64_t application_id) {
  return named(tx, store::find_application(tx, application_id));
}

Result<void> save_application(db::Transaction& tx, std::int64_t application_id, const ApplicationForm& f,
                              const Call& call, const audit::Actor& actor, Instant now) {
  auto loaded = current(tx, application_id, call);
  if (!loaded) return fail(loaded.error());
  const auto& [application, stored] = *loaded;
  if (application.submitted)
    return fail(Error::conflict("提出済みの申請は変更できません。変更が必要な場合は事務局にご連絡ください"));
  if (stored.decision != DecisionState::kNone)
    return fail(Error::conflict("委員会の決定が記録された公募の申請は変更できません"));
  if (stored.phase(now) == Phase::kClosed && !application.reopened_reason)
    return fail(Error::conflict("締切を過ぎているため保存できません"));
  if (auto problems = validate_draft(f, stored); !problems.empty()) return fail(Error::invalid(problems.front()));
  if (auto r = store::write_form(tx, application_id, f, now); !r) return r;
  return detail::audited(tx, actor, "application.save", application_object(application_id), now);
}

Result<std::string> submit_application(db::Transaction& tx, std::int64_t application_id, const Call& call,
                                       const audit::Actor& actor, Instant now) {
  auto loaded = current(tx, application_id, call);
  if (!loaded) return fail(loaded.error());
  const auto& [a, stored] = *loaded;
  if (a.submitted) return fail(Error::conflict("この申請はすでに提出されています"));
  if (stored.decision != DecisionState::kNone)
    return fail(Error::conflict("委員会の決定が記録された公募には提出できません"));
  auto count = store::attachment_count(tx, application_id);
  if (!count) return fail(count.error());
  // A reopened application may be resubmitted after the deadline: the secretariat gave it back.
  Instant effective =
      a.reopened_reason && stored.phase(now) == Phase::kClosed ? stored.closes_at - std::chrono::seconds{1} : now;
  if (auto problems = submission_problems(a, stored, *count, effective); !problems.empty())
    return fail(Error::invalid(problems.front()));
  std::string receipt = a.receipt_number.value_or("");
  if (receipt.empty()) {
    auto issued = store::receipt_count(tx, stored.id);
    if (!issued) return fail(issued.error());
    receipt = fmt::format("KK{:02}-{:04}", stored.id, *issued + 1);
  }
  if (auto r = store::mark_submitted(tx, application_id, receipt, now); !r) return fail(r.error());
  // The receipt is announced to every user of the organisation (issue 16: hand-offs).
  auto users = auth::active_users_of(tx, a.organisation_id);
  if (!users) return fail(users.error());
  for (std::int64_t user : *users) {
    if (auto n = notify::notify_user(tx, user, "申請を受け付けました",
                                     fmt::format("「{}」への申請を受け付けました。受付番号: {}\n審査の結果は、公表時にお知らせします。",
                                                 stored.title, receipt),
                                     fmt::format("/my/applications/{}/receipt", application_id), now);
        !n)
      return fail(n.error());
  }
  if (auto au = detail::audited(tx, actor, "application.submit", application_object(application_id), now,
                                {{"receipt", receipt}});
      !au)
    return fail(au.error());
  return receipt;
}

Result<void> reopen_application(db::Transaction& tx, std::int64_t application_id, const std::string& reason,
                                const audit::Actor& actor, Instant now) {
  if (text::trim(reason).empty()) return fail(Error::invalid("差し戻しの理由を入力してください"));
  if (auto p = detail::text_limit_problem("差し戻しの理由", reason, 1000); !p.empty()) return fail(Error::invalid(p));
  auto application = existing(tx, application_id);
  if (!application) return fail(application.error());
  if (!application->submitted) return fail(Error::conflict("この申請は提出されていないため差し戻せません"));
  // The committee decided on the submitted applications; a draft would undo that decision.
  auto call = detail::current_call(tx, application->call_id);
  if (!call) return fail(call.error());
  if (call->decision != DecisionState::kNone)
    return fail(Error::conflict("委員会の決定が記録された公募の申請は差し戻せません"));
  auto reviewed = store::submitted_review_count(tx, application_id);
  if (!reviewed) return fail(reviewed.error());
  if (*reviewed > 0) return fail(Error::conflict("審査結果が提出済みのため差し戻せません"));
  if (auto r = store::mark_reopened(tx, application_id, std::string(text::trim(reason)), now); !r) return r;
  // The reason itself may name people; the audit entry keeps its length only.
  if (auto a = detail::audited(tx, actor, "application.reopen", application_object(application_id), now,
                               {{"reason_chars", std::int64_t(text::count_code_points(reason))}});
      !a)
    return a;
  auto users = auth::active_users_of(tx, application->organisation_id);
  if (!users) return fail(users.error());
  for (std::int64_t user : *users) {
    if (auto n = notify::notify_user(tx, user, "申請が差し戻されました",
                        fmt::format("受付番号 {} の申請が事務局から差し戻されました。\n理由: {}\n申請書を修正して再提出してください。",
                                    application->receipt_number.value_or(""), text::trim(reason)),
                        fmt::format("/my/applications/{}", application_id), now);
        !n)
      return n;
  }
  return {};
}

Result<std::vector<ApplicationSummary>> list_applications(db::Transaction& tx, std::int64_t call_id,
                                                          bool submitted_only) {
  auto list = store::list_applications(tx, call_id, submitted_only);
  if (!list) return fail(list.error());
  std::vector<std::int64_t> organisations;
  for (const auto& a : *list) organisations.push_back(a.organisation_id);
  auto names = auth::organisation_names(tx, organisations);
  if (!names) return fail(names.error());
  for (auto& a : *list) {
    auto it = names->find(a.organisation_id);
    if (it != names->end()) a.organisation_name = it->second;
  }
  return list;
}

Result<std::int64_t> add_attachment(db::Transaction& tx, std::int64_t application_id, const InspectedAttachment& file,
                                    const audit::Actor& actor, Instant now) {
  auto application = existing(tx, application_id);
  if (!application) return fail(application.error());
  if (auto allowed = attachments_may_change(tx, *application, now, "提出済みの申請には添付できません"); !allowed)
    return fail(allowed.error());
  const std::string& bytes = file.original;
  auto size = std::int64_t(bytes.size());
  if (size > kAttachmentLimit)
    return fail(Error::invalid(fmt::format("添付ファイルは {} MB 以下にしてください", kAttachmentLimit / 1024 / 1024)));
  if (bytes.size() < 5 || bytes.compare(0, 5, "%PDF-") != 0)
    return fail(Error::invalid("添付できるのは PDF ファイルのみです（ファイルの中身が PDF ではありません）"));
  // Nothing reaches reviewers uninspected: an attachment always has its disarmed copy.
  if (file.disarmed.empty()) return fail(Error::internal("添付ファイルの審査用の写しがありません"));
  // The same content twice is recognised by its hash, whatever its name.
  auto present = store::attachments(tx, application_id);
  if (!present) return fail(present.error());
  for (const auto& existing : *present) {
    if (existing.sha256 == file.sha256)
      return fail(Error::invalid(existing.file_name == file.file_name
                                     ? fmt::format("「{}」はすでに添付されています（同じファイルです）", existing.file_name)
                                     : fmt::format("「{}」は、すでに添付されている「{}」と同じファイルです", file.file_name, existing.file_name)));
  }
  auto count = store::attachment_count(tx, application_id);
  if (!count) return fail(count.error());
  if (*count >= kAttachmentsPerApplication)
    return fail(Error::invalid(fmt::format("添付ファイルは {} 件までです", kAttachmentsPerApplication)));
  auto used = store::organisation_storage(tx, application->organisation_id);
  if (!used) return fail(used.error());
  if (*used + size > kOrganisationStorageQuota)
    return fail(Error::invalid(fmt::format(
        "添付ファイルは団体ごとに合計 {} MB までです。このファイル（{:.1f} MB）を添付すると超えるため添付できません（使用中 {:.1f} MB）",
        kOrganisationStorageQuota / 1024 / 1024, double(size) / kMiB, double(*used) / kMiB)));
  boost::json::object findings;
  for (const auto& [code, n] : file.findings) findings[code] = n;
  boost::json::object removed;
  for (const auto& [kind, n] : file.removed) removed[kind] = n;
  boost::json::object inspection{{"findings", findings}, {"removed", removed}};
  auto id = store::insert_attachment(tx, application_id, file, boost::json::serialize(inspection), now);
  if (!id) return fail(id.error());
  if (auto a = detail::audited(tx, actor, "application.attach", application_object(application_id), now,
                               {{"attachment", *id}, {"sha256", file.sha256}, {"inspection", inspection}});
      !a)
    return fail(a.error());
  return *id;
}

Result<void> delete_attachment(db::Transaction& tx, std::int64_t application_id, std::int64_t attachment_id,
                               const audit::Actor& actor, Instant now) {
  auto application = existing(tx, application_id);
  if (!application) return fail(application.error());
  if (auto allowed = attachments_may_change(tx, *application, now, "提出済みの申請の添付は削除できません"); !allowed)
    return allowed;
  auto deleted = store::delete_attachment(tx, application_id, attachment_id);
  if (!deleted) return fail(deleted.error());
  if (!*deleted) return fail(Error::not_found("添付ファイルが見つかりません"));
  return detail::audited(tx, actor, "application.detach", application_object(application_id), now,
                         {{"attachment", attachment_id}});
}

Result<std::vector<Attachment>> attachments(db::Transaction& tx, std::int64_t application_id) {
  return store::attachments(tx, application_id);
}

Result<std::int64_t> attachment_count(db::Transaction& tx, std::int64_t application_id) {
  return store::attachment_count(tx, application_id);
}

Result<std::optional<StoredFile>> attachment_file(db::Transaction& tx, std::int64_t application_id,
                                                  std::int64_t attachment_id, AttachmentCopy copy) {
  return store::attachment_file(tx, application_id, attachment_id, copy);
}

}  // namespace kakehashi::call
