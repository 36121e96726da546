// Applications: drafts that save as you go, submission with a receipt number, reopening,
// PDF attachments.
#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "auth/users.h"
#include "base/date.h"
#include "base/text.h"
#include "base/yen.h"
#include "call/store.h"
#include "call/store_internal.h"
#include "geo/geo.h"

namespace kakehashi::call {
namespace {

constexpr std::size_t kShortLimit = 100;
constexpr std::size_t kProfileLimit = 2000;
constexpr std::size_t kPlanLimit = 4000;

std::string join_topics(const std::vector<std::string>& topics) {
  std::string out;
  for (const auto& t : topics) out += (out.empty() ? "" : " ") + t;
  return out;
}

std::vector<std::string> split_topics(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string t; in >> t;) out.push_back(t);
  return out;
}

Result<std::vector<BlockRequest>> block_requests(db::Transaction& tx, std::int64_t application_id) {
  auto rows = tx.query("SELECT block_id, requested FROM application_blocks WHERE application_id = ?", {application_id});
  if (!rows) return fail(rows.error());
  std::vector<BlockRequest> out;
  for (const auto& block : geo::blocks()) {
    for (const auto& row : *rows) {
      if (row.text(0) == block.id) out.push_back({row.text(0), row.integer(1)});
    }
  }
  return out;
}

Result<void> audit_application(db::Transaction& tx, const audit::Actor& actor, std::string action,
                               std::int64_t application_id, Instant now, std::string detail = "") {
  auto r = audit::record(tx, audit::entry_by(actor, std::move(action), fmt::format("application:{}", application_id),
                                             std::move(detail)),
                         now);
  if (!r) return fail(r.error());
  return {};
}

}  // namespace

std::int64_t Application::requested_total() const {
  std::int64_t total = 0;
  for (const auto& b : blocks) total += b.requested;
  return total;
}

bool Application::applies_to(std::string_view block) const {
  return std::any_of(blocks.begin(), blocks.end(), [&](const BlockRequest& b) { return b.block == block; });
}

std::vector<std::string> validate_draft(const ApplicationForm& f, const Call& call) {
  std::vector<std::string> problems;
  auto limit = [&](std::string_view label, const std::string& value, std::size_t n) {
    if (auto p = detail::text_limit_problem(label, value, n); !p.empty()) problems.push_back(p);
  };
  limit("団体の概要", f.organisation_profile, kProfileLimit);
  limit("代表者氏名", f.representative_name, kShortLimit);
  limit("担当者氏名", f.contact_name, kShortLimit);
  limit("担当者メールアドレス", f.contact_email, 254);
  limit("担当者電話番号", f.contact_phone, 20);
  limit("実績の補足", f.qualification_note, kProfileLimit);
  limit("事業計画（ヒト・モノ・カネ）", f.plan_projects, kPlanLimit);
  limit("PBL の計画", f.plan_pbl, kPlanLimit);
  limit("継続性", f.plan_continuity, kPlanLimit);
  limit("自走化", f.plan_self_sufficiency, kPlanLimit);
  limit("地域の人材ニーズ・2040年の産業構造推計との適合", f.plan_regional_fit, kPlanLimit);
  if (!f.contact_email.empty() && !auth::is_plausible_email(f.contact_email))
    problems.push_back("担当者メールアドレスの形式が正しくありません（例: tanto@example.jp）");
  if (!f.contact_phone.empty() &&
      f.contact_phone.find_first_not_of("0123456789-+() ") != std::string::npos)
    problems.push_back("担当者電話番号は半角の数字とハイフンで入力してください（例: 03-1234-5678）");
  for (const auto& topic : f.topics) {
    if (!topic_label(topic)) problems.push_back(fmt::format("テーマが正しくありません: {}", topic));
  }
  for (const auto& b : f.blocks) {
    if (std::find(call.blocks.begin(), call.blocks.end(), b.block) == call.blocks.end()) {
      problems.push_back(fmt::format("この公募の対象ではないブロックです: {}", geo::block_label(b.block)));
    } else if (b.requested != 0 && (b.requested < call.award_min || b.requested > call.award_max)) {
      problems.push_back(fmt::format("{}の申請額 {} は交付額の範囲（{}〜{}）の外です", geo::block_label(b.block),
                                     format_yen(b.requested), format_yen(call.award_min), format_yen(call.award_max)));
    }
  }
  return problems;
}

std::vector<std::string> submission_problems(const ApplicationForm& f, const Call& call, std::int64_t attachments,
                                             Instant now) {
  std::vector<std::string> problems;
  if (call.phase(now) != Phase::kOpen) {
    problems.push_back(call.phase(now) == Phase::kClosed ? "締切を過ぎているため提出できません"
                                                        : "受付期間外のため提出できません");
  }
  auto required = [&](std::string_view label, const std::string& value) {
    if (text::trim(value).empty()) problems.push_back(fmt::format("{}を入力してください", label));
  };
  required("団体の概要", f.organisation_profile);
  required("代表者氏名", f.representative_name);
  required("担当者氏名", f.contact_name);
  required("担当者メールアドレス", f.contact_email);
  required("担当者電話番号", f.contact_phone);
  if (!f.qualification_coordination && !f.qualification_matching && !f.qualification_community)
    problems.push_back("実績（コーディネート・マッチング・地域コミュニティ形成）のいずれかを選んでください");
  if (f.blocks.empty()) problems.push_back("申請するブロックを 1 つ以上選んでください");
  for (const auto& b : f.blocks) {
    if (b.requested == 0) problems.push_back(fmt::format("{}の申請額を入力してください", geo::block_label(b.block)));
  }
  required("事業計画（ヒト・モノ・カネ）", f.plan_projects);
  required("PBL の計画", f.plan_pbl);
  required("継続性", f.plan_continuity);
  required("自走化", f.plan_self_sufficiency);
  required("地域の人材ニーズ・2040年の産業構造推計との適合", f.plan_regional_fit);
  if (f.topics.empty()) problems.push_back("事業のテーマを 1 つ以上選んでください");
  if (attachments == 0) problems.push_back("事業計画書（PDF）を添付してください");
  for (auto& p : validate_draft(f, call)) problems.push_back(std::move(p));
  return problems;
}

Result<std::optional<std::int64_t>> application_of(db::Transaction& tx, std::int64_t call_id,
                                                   std::int64_t organisation_id) {
  auto row = tx.query_one("SELECT id FROM applications WHERE call_id = ? AND organisation_id = ?",
                          {call_id, organisation_id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{(*row)->integer(0)};
}

Result<std::int64_t> start_application(db::Transaction& tx, const Call& call, std::int64_t organisation_id,
                                       const audit::Actor& actor, Instant now) {
  auto existing = application_of(tx, call.id, organisation_id);
  if (!existing) return fail(existing.error());
  if (*existing) return **existing;
  if (call.phase(now) != Phase::kOpen) return fail(Error::conflict("この公募は現在受け付けていません"));
  auto id = tx.insert(
      "INSERT INTO applications (call_id, organisation_id, created_at, updated_at, created_by) VALUES (?, ?, ?, ?, ?)",
      {call.id, organisation_id, iso_utc(now), iso_utc(now), db::nullable(actor.user_id)});
  if (!id) return fail(id.error());
  if (auto a = audit_application(tx, actor, "application.create", *id, now); !a) return fail(a.error());
  return *id;
}

Result<std::optional<Application>> find_application(db::Transaction& tx, std::int64_t application_id) {
  auto row = tx.query_one(
      "SELECT a.id, a.call_id, a.organisation_id, o.name, a.status, a.receipt_number, a.submitted_at, "
      "a.reopened_reason, a.updated_at, a.organisation_profile, a.representative_name, a.contact_name, "
      "a.contact_email, a.contact_phone, a.qualification_coordination, a.qualification_matching, "
      "a.qualification_community, a.qualification_note, a.plan_projects, a.plan_pbl, a.plan_continuity, "
      "a.plan_self_sufficiency, a.plan_regional_fit, a.topics "
      "FROM applications a JOIN organisations o ON o.id = a.organisation_id WHERE a.id = ?",
      {application_id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<Application>{};
  const db::Row& r = **row;
  Application a;
  a.id = r.integer(0);
  a.call_id = r.integer(1);
  a.organisation_id = r.integer(2);
  a.organisation_name = r.text(3);
  a.submitted = r.text(4) == "submitted";
  a.receipt_number = r.optional_text(5);
  a.submitted_at = r.optional_text(6);
  a.reopened_reason = r.optional_text(7);
  a.updated_at = r.text(8);
  a.organisation_profile = r.text(9);
  a.representative_name = r.text(10);
  a.contact_name = r.text(11);
  a.contact_email = r.text(12);
  a.contact_phone = r.text(13);
  a.qualification_coordination = r.integer(14) != 0;
  a.qualification_matching = r.integer(15) != 0;
  a.qualification_community = r.integer(16) != 0;
  a.qualification_note = r.text(17);
  a.plan_projects = r.text(18);
  a.plan_pbl = r.text(19);
  a.plan_continuity = r.text(20);
  a.plan_self_sufficiency = r.text(21);
  a.plan_regional_fit = r.text(22);
  a.topics = split_topics(r.text(23));
  auto blocks = block_requests(tx, a.id);
  if (!blocks) return fail(blocks.error());
  a.blocks = std::move(*blocks);
  return std::optional<Application>{std::move(a)};
}

Result<void> save_application(db::Transaction& tx, std::int64_t application_id, const ApplicationForm& f,
                              const Call& call, const audit::Actor& actor, Instant now) {
  auto current = find_application(tx, application_id);
  if (!current) return fail(current.error());
  if (!*current) return fail(Error::not_found("申請が見つかりません"));
  if ((*current)->submitted) return fail(Error::conflict("提出済みの申請は変更できません。変更が必要な場合は事務局にご連絡ください"));
  if (call.phase(now) == Phase::kClosed && !(*current)->reopened_reason)
    return fail(Error::conflict("締切を過ぎているため保存できません"));
  if (auto problems = validate_draft(f, call); !problems.empty()) return fail(Error::invalid(problems.front()));
  auto r = tx.exec(
      "UPDATE applications SET organisation_profile = ?, representative_name = ?, contact_name = ?, contact_email = ?, "
      "contact_phone = ?, qualification_coordination = ?, qualification_matching = ?, qualification_community = ?, "
      "qualification_note = ?, plan_projects = ?, plan_pbl = ?, plan_continuity = ?, plan_self_sufficiency = ?, "
      "plan_regional_fit = ?, topics = ?, updated_at = ? WHERE id = ?",
      {f.organisation_profile, f.representative_name, f.contact_name, f.contact_email, f.contact_phone,
       std::int64_t(f.qualification_coordination), std::int64_t(f.qualification_matching),
       std::int64_t(f.qualification_community), f.qualification_note, f.plan_projects, f.plan_pbl, f.plan_continuity,
       f.plan_self_sufficiency, f.plan_regional_fit, join_topics(f.topics), iso_utc(now), application_id});
  if (!r) return r;
  if (auto d = tx.exec("DELETE FROM application_blocks WHERE application_id = ?", {application_id}); !d) return d;
  for (const auto& b : f.blocks) {
    if (auto i = tx.exec("INSERT OR REPLACE INTO application_blocks (application_id, block_id, requested) VALUES (?, ?, ?)",
                         {application_id, b.block, b.requested});
        !i)
      return i;
  }
  return audit_application(tx, actor, "application.save", application_id, now);
}

Result<std::string> submit_application(db::Transaction& tx, std::int64_t application_id, const Call& call,
                                       const audit::Actor& actor, Instant now) {
  auto current = find_application(tx, application_id);
  if (!current) return fail(current.error());
  if (!*current) return fail(Error::not_found("申請が見つかりません"));
  const Application& a = **current;
  if (a.submitted) return fail(Error::conflict("この申請はすでに提出されています"));
  auto count = tx.scalar("SELECT COUNT(*) FROM application_attachments WHERE application_id = ?", {application_id});
  if (!count) return fail(count.error());
  // A reopened application may be resubmitted after the deadline: the secretariat gave it back.
  Instant effective = a.reopened_reason && call.phase(now) == Phase::kClosed ? call.closes_at - std::chrono::seconds{1} : now;
  if (auto problems = submission_problems(a, call, *count, effective); !problems.empty())
    return fail(Error::invalid(problems.front()));
  std::string receipt = a.receipt_number.value_or("");
  if (receipt.empty()) {
    auto seq = tx.scalar("SELECT COUNT(*) + 1 FROM applications WHERE call_id = ? AND receipt_number IS NOT NULL",
                         {call.id});
    if (!seq) return fail(seq.error());
    receipt = fmt::format("KK{:02}-{:04}", call.id, *seq);
  }
  auto r = tx.exec(
      "UPDATE applications SET status = 'submitted', receipt_number = ?, submitted_at = ?, updated_at = ? WHERE id = ?",
      {receipt, iso_utc(now), iso_utc(now), application_id});
  if (!r) return fail(r.error());
  if (auto au = audit_application(tx, actor, "application.submit", application_id, now,
                                  fmt::format(R"({{"receipt":"{}"}})", receipt));
      !au)
    return fail(au.error());
  return receipt;
}

Result<void> reopen_application(db::Transaction& tx, std::int64_t application_id, const std::string& reason,
                                const audit::Actor& actor, Instant now) {
  if (text::trim(reason).empty()) return fail(Error::invalid("差し戻しの理由を入力してください"));
  if (auto p = detail::text_limit_problem("差し戻しの理由", reason, 1000); !p.empty()) return fail(Error::invalid(p));
  auto current = find_application(tx, application_id);
  if (!current) return fail(current.error());
  if (!*current) return fail(Error::not_found("申請が見つかりません"));
  if (!(*current)->submitted) return fail(Error::conflict("この申請は提出されていないため差し戻せません"));
  // The committee decided on the submitted applications; a draft would undo that decision.
  auto call = find_call(tx, (*current)->call_id);
  if (!call) return fail(call.error());
  if (*call && (*call)->decision != DecisionState::kNone)
    return fail(Error::conflict("委員会の決定が記録された公募の申請は差し戻せません"));
  auto reviewed = tx.scalar("SELECT COUNT(*) FROM reviews WHERE application_id = ? AND status = 'submitted'",
                            {application_id});
  if (!reviewed) return fail(reviewed.error());
  if (*reviewed > 0) return fail(Error::conflict("審査結果が提出済みのため差し戻せません"));
  auto r = tx.exec("UPDATE applications SET status = 'draft', reopened_reason = ?, updated_at = ? WHERE id = ?",
                   {std::string(text::trim(reason)), iso_utc(now), application_id});
  if (!r) return r;
  // The reason itself may name people; the audit entry keeps its length only.
  return audit_application(tx, actor, "application.reopen", application_id, now,
                           fmt::format(R"({{"reason_chars":{}}})", text::count_code_points(reason)));
}

Result<std::vector<ApplicationSummary>> list_applications(db::Transaction& tx, std::int64_t call_id,
                                                          bool submitted_only) {
  auto rows = tx.query(fmt::format("SELECT a.id, o.name, a.organisation_id, a.status, a.receipt_number, a.submitted_at, "
                                   "a.updated_at FROM applications a JOIN organisations o ON o.id = a.organisation_id "
                                   "WHERE a.call_id = ? {} ORDER BY a.receipt_number IS NULL, a.receipt_number, a.id",
                                   submitted_only ? "AND a.status = 'submitted'" : ""),
                       {call_id});
  if (!rows) return fail(rows.error());
  std::vector<ApplicationSummary> out;
  for (const auto& row : *rows) {
    ApplicationSummary s;
    s.id = row.integer(0);
    s.organisation_name = row.text(1);
    s.organisation_id = row.integer(2);
    s.submitted = row.text(3) == "submitted";
    s.receipt_number = row.optional_text(4);
    s.submitted_at = row.optional_text(5);
    s.updated_at = row.text(6);
    auto blocks = block_requests(tx, s.id);
    if (!blocks) return fail(blocks.error());
    s.blocks = std::move(*blocks);
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::int64_t> add_attachment(db::Transaction& tx, std::int64_t application_id, const std::string& file_name,
                                    const std::string& sha256, const std::string& bytes, const audit::Actor& actor,
                                    Instant now) {
  auto current = find_application(tx, application_id);
  if (!current) return fail(current.error());
  if (!*current) return fail(Error::not_found("申請が見つかりません"));
  if ((*current)->submitted) return fail(Error::conflict("提出済みの申請には添付できません"));
  if (std::int64_t(bytes.size()) > kAttachmentLimit)
    return fail(Error::invalid(fmt::format("添付ファイルは {} MB 以下にしてください", kAttachmentLimit / 1024 / 1024)));
  if (bytes.size() < 5 || bytes.compare(0, 5, "%PDF-") != 0)
    return fail(Error::invalid("添付できるのは PDF ファイルのみです（ファイルの中身が PDF ではありません）"));
  auto count = tx.scalar("SELECT COUNT(*) FROM application_attachments WHERE application_id = ?", {application_id});
  if (!count) return fail(count.error());
  if (*count >= kAttachmentsPerApplication)
    return fail(Error::invalid(fmt::format("添付ファイルは {} 件までです", kAttachmentsPerApplication)));
  auto id = tx.insert(
      "INSERT INTO application_attachments (application_id, file_name, size, sha256, content, uploaded_at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {application_id, file_name, std::int64_t(bytes.size()), sha256, db::Blob{bytes}, iso_utc(now)});
  if (!id) return fail(id.error());
  if (auto a = audit_application(tx, actor, "application.attach", application_id, now,
                                 fmt::format(R"({{"attachment":{},"sha256":"{}"}})", *id, sha256));
      !a)
    return fail(a.error());
  return *id;
}

Result<void> delete_attachment(db::Transaction& tx, std::int64_t application_id, std::int64_t attachment_id,
                               const audit::Actor& actor, Instant now) {
  auto current = find_application(tx, application_id);
  if (!current) return fail(current.error());
  if (!*current) return fail(Error::not_found("申請が見つかりません"));
  if ((*current)->submitted) return fail(Error::conflict("提出済みの申請の添付は削除できません"));
  if (auto r = tx.exec("DELETE FROM application_attachments WHERE id = ? AND application_id = ?",
                       {attachment_id, application_id});
      !r)
    return r;
  if (tx.changes() == 0) return fail(Error::not_found("添付ファイルが見つかりません"));
  return audit_application(tx, actor, "application.detach", application_id, now,
                           fmt::format(R"({{"attachment":{}}})", attachment_id));
}

Result<std::vector<Attachment>> attachments(db::Transaction& tx, std::int64_t application_id) {
  auto rows = tx.query(
      "SELECT id, file_name, size, sha256, uploaded_at FROM application_attachments WHERE application_id = ? ORDER BY id",
      {application_id});
  if (!rows) return fail(rows.error());
  std::vector<Attachment> out;
  for (const auto& row : *rows) out.push_back({row.integer(0), row.text(1), row.integer(2), row.text(3), row.text(4)});
  return out;
}

Result<std::optional<StoredFile>> attachment_file(db::Transaction& tx, std::int64_t application_id,
                                                  std::int64_t attachment_id) {
  auto row = tx.query_one("SELECT file_name, content FROM application_attachments WHERE id = ? AND application_id = ?",
                          {attachment_id, application_id});
  if (!row) return fail(row.error());
  if (!*row) return std::optional<StoredFile>{};
  return std::optional<StoredFile>{StoredFile{(*row)->text(0), "application/pdf", (*row)->text(1)}};
}

}  // namespace kakehashi::call
