// Operators' final reports: upload, review, reminders, the due date (package/final_reports.h).
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include <boost/json.hpp>

#include "audit/audit.h"
#include "auth/policy.h"
#include "auth/users.h"
#include "base/text.h"
#include "calendar/holiday_calendar.h"
#include "inspect/isolate.h"
#include "inspect/upload.h"
#include "inspect/upload_text.h"
#include "notify/service.h"
#include "operations/access.h"
#include "operations/service.h"
#include "package/final_reports.h"
#include "package/store.h"

namespace kakehashi::package {
namespace {

constexpr const char* kDueKey = "final_report_due";

audit::Actor actor_of(const auth::Principal& who) {
  return who.user_id > 0 ? audit::Actor::user(who.user_id) : audit::Actor::system();
}
std::optional<std::int64_t> user_of(const auth::Principal& who) {
  return who.user_id > 0 ? std::optional<std::int64_t>{who.user_id} : std::nullopt;
}

Result<void> audited(db::Transaction& tx, const audit::Actor& actor, std::string action, std::string object,
                     const boost::json::object& detail, Instant now) {
  auto r = audit::record(tx, audit::entry_by(actor, std::move(action), std::move(object), boost::json::serialize(detail)), now);
  if (!r) return fail(r.error());
  return {};
}

const calendar::HolidayCalendar& holidays() {
  static const calendar::HolidayCalendar calendar;
  return calendar;
}

// The operator (within `who`'s reach for `action`) and its stored report, nullopt when the
// operator is unknown, of another year, or out of reach.
struct Loaded {
  operations::Operator op;
  std::optional<FinalReport> stored;
};

Result<std::optional<Loaded>> load(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id,
                                   auth::Action action) {
  if (!auth::may(who, action)) return std::optional<Loaded>{};
  auto op = operations::find_operator(tx, operator_id);
  if (!op) return fail(op.error());
  if (!*op) return std::optional<Loaded>{};
  auto programme = operations::current_programme(tx);
  if (!programme) return fail(programme.error());
  if (!*programme || (*op)->call_id != **programme) return std::optional<Loaded>{};
  auto reach = operations::reach(tx, who, action);
  if (!reach) return fail(reach.error());
  if (!operations::covers(*reach, **op)) return std::optional<Loaded>{};
  auto stored = store::final_report(tx, operator_id);
  if (!stored) return fail(stored.error());
  return std::optional<Loaded>{Loaded{std::move(**op), std::move(*stored)}};
}

FinalReport with_operator(std::optional<FinalReport> stored, const operations::Operator& op) {
  FinalReport r = stored ? std::move(*stored) : FinalReport{};
  r.operator_id = op.id;
  r.call_id = op.call_id;
  r.operator_name = op.name;
  r.block_ids.clear();
  for (const auto& b : op.blocks) r.block_ids.push_back(b.block_id);
  return r;
}

}  // namespace

Date default_final_report_due(Date today) {
  int year = today.month() >= 4 ? today.year() + 1 : today.year();
  Date day = Date::from_ymd(year, 3, 1)->plus_days(-1);  // the last day of February
  for (int i = 0; i < 10; ++i) {
    auto open = holidays().is_business_day(day);
    if (open && *open) return day;
    if (!open && !day.is_weekend()) return day;  // outside the calendar's years: weekdays only
    day = day.plus_days(-1);
  }
  return day;
}

Result<Date> final_report_due(db::Transaction& tx, Instant now) {
  auto set = store::setting(tx, kDueKey);
  if (!set) return fail(set.error());
  if (*set) {
    auto parsed = Date::parse(**set);
    if (parsed) return *parsed;
  }
  return default_final_report_due(tokyo_date(now));
}

Result<bool> final_report_due_is_default(db::Transaction& tx) {
  auto set = store::setting(tx, kDueKey);
  if (!set) return fail(set.error());
  return !set->has_value();
}

Result<void> set_final_report_due(db::Transaction& tx, const auth::Principal& who, std::optional<Date> due, Instant now) {
  if (!auth::allowed(who, auth::Action::kReviewFinalReports))
    return fail(Error::denied("この操作を行う権限がありません。"));
  if (due && (due->year() < 2000 || due->year() > 2100))
    return fail(Error::invalid("提出期限は2000年から2100年の日付で入力してください。"));
  if (due) {
    if (auto r = store::set_setting(tx, kDueKey, due->iso()); !r) return r;
  } else if (auto r = store::delete_setting(tx, kDueKey); !r) {
    return r;
  }
  return audited(tx, actor_of(who), "package.final_report_due_set", "package_settings:final_report_due",
                 {{"due", due ? due->iso() : std::string("default")}}, now);
}

Result<std::vector<FinalReport>> list_final_reports(db::Transaction& tx, const auth::Principal& who) {
  std::vector<FinalReport> out;
  if (!auth::may(who, auth::Action::kViewFinalReports)) return out;
  auto programme = operations::current_programme(tx);
  if (!programme) return fail(programme.error());
  if (!*programme) return out;
  auto ops = operations::all_operators(tx, **programme);
  if (!ops) return fail(ops.error());
  auto reach = operations::reach(tx, who, auth::Action::kViewFinalReports);
  if (!reach) return fail(reach.error());
  auto stored = store::final_reports(tx);
  if (!stored) return fail(stored.error());
  for (const auto& op : *ops) {
    if (!operations::covers(*reach, op)) continue;
    auto it = std::ranges::find_if(*stored, [&](const FinalReport& r) { return r.operator_id == op.id; });
    out.push_back(with_operator(it == stored->end() ? std::nullopt : std::optional<FinalReport>{*it}, op));
  }
  return out;
}

Result<std::optional<FinalReport>> find_final_report(db::Transaction& tx, const auth::Principal& who,
                                                     std::int64_t operator_id) {
  auto l = load(tx, who, operator_id, auth::Action::kViewFinalReports);
  if (!l) return fail(l.error());
  if (!*l) return std::optional<FinalReport>{};
  FinalReport r = with_operator(std::move((*l)->stored), (*l)->op);
  if (r.id > 0) {
    auto files = store::final_report_files(tx, r.id);
    if (!files) return fail(files.error());
    r.files = std::move(*files);
    // The inspector's one line on publication, as recorded at the upload.
    for (auto& f : r.files) {
      boost::system::error_code ec;
      auto v = boost::json::parse(f.inspection, ec);
      if (!ec && v.is_object())
        if (const auto* summary = v.as_object().if_contains("summary"); summary && summary->is_string())
          f.publication = std::string(summary->as_string());
    }
  }
  return std::optional<FinalReport>{std::move(r)};
}

Result<std::optional<FinalReportDownload>> final_report_file(db::Transaction& tx, const auth::Principal& who,
                                                            std::int64_t operator_id, int version) {
  auto r = find_final_report(tx, who, operator_id);
  if (!r) return fail(r.error());
  if (!*r) return std::optional<FinalReportDownload>{};
  auto file = std::ranges::find_if((*r)->files, [&](const FinalReportFile& f) { return f.version == version; });
  if (file == (*r)->files.end()) return std::optional<FinalReportDownload>{};
  auto content = store::final_report_content(tx, (*r)->id, version);
  if (!content) return fail(content.error());
  if (!*content) return std::optional<FinalReportDownload>{};
  return std::optional<FinalReportDownload>{FinalReportDownload{file->file_name, file->content_type, std::move(**content)}};
}

Result<bool> may_submit_final_report(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id) {
  auto l = load(tx, who, operator_id, auth::Action::kSubmitFinalReport);
  if (!l) return fail(l.error());
  return l->has_value();
}

Result<InspectedReport> inspect_final_report(const std::filesystem::path& path, std::string file_name, std::string sha256) {
  std::error_code size_error;
  auto size = std::filesystem::file_size(path, size_error);
  if (size_error) return fail(Error::internal("アップロードしたファイルを読み取れませんでした。"));
  if (size > std::uintmax_t(kFinalReportFileLimit))
    return fail(Error::invalid(fmt::format("成果報告書のファイルは {} MB 以下にしてください。", kFinalReportFileLimit / 1024 / 1024)));
  auto report = inspect::inspect_file_isolated(path.string(), {});
  if (!report) {
    if (report.error().code == ErrorCode::kUnavailable) return fail(report.error());
    return fail(Error::invalid("ファイルを読み取れませんでした。壊れていないか確かめてください。"));
  }
  if (report->type != inspect::FileType::kDocx && report->type != inspect::FileType::kPdf)
    return fail(Error::invalid("成果報告書として提出できるのは Word（.docx）と PDF のファイルです。"));
  // Kept: what the secretariat may open (a readable file without a password, no bomb). What would
  // keep it from publication is recorded and shown; the gate decides at the build.
  auto review = inspect::upload_verdict(*report, inspect::UploadPurpose::kReview);
  if (!review.ok)
    return fail(Error::invalid(fmt::format("このファイルは受け付けられません: {}", inspect::blocking_findings_text(review))));
  auto publication = inspect::upload_verdict(*report, inspect::UploadPurpose::kPublication);
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error::internal("アップロードしたファイルを読み取れませんでした。"));
  InspectedReport out;
  out.content.assign(std::istreambuf_iterator<char>(in), {});
  out.file_name = std::move(file_name);
  out.sha256 = std::move(sha256);
  out.content_type = std::string(inspect::media_type(report->type));
  boost::json::array findings;
  for (const auto& f : publication.findings)
    findings.push_back(boost::json::object{{"code", f.code}, {"label", f.label}, {"location", f.location},
                                           {"severity", std::string(inspect::severity_label(f.severity))}});
  out.inspection = boost::json::serialize(boost::json::object{{"type", inspect::file_type_name(report->type)},
                                                              {"publishable", publication.ok},
                                                              {"summary", publication.summary},
                                                              {"findings", findings}});
  return out;
}

std::vector<FieldError> validate_final_report(const std::string& summary) {
  std::vector<FieldError> errors;
  std::size_t n = text::count_code_points(text::trim(summary));
  if (n == 0) errors.push_back({"summary", "報告書の概要を入力してください。"});
  else if (n > kFinalReportSummaryMax)
    errors.push_back({"summary", fmt::format("報告書の概要は{}文字以内で入力してください（いま {} 文字）。", kFinalReportSummaryMax, n)});
  return errors;
}

Result<int> submit_final_report(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id,
                                const InspectedReport& file, const std::string& summary, bool consent, Instant now) {
  auto l = load(tx, who, operator_id, auth::Action::kSubmitFinalReport);
  if (!l) return fail(l.error());
  if (!*l) return fail(Error::not_found("実証事業者が見つかりません。"));
  if (auto errors = validate_final_report(summary); !errors.empty()) return fail(Error::invalid(errors.front().message));
  if (file.content.empty()) return fail(Error::invalid("成果報告書のファイルを選んでください。"));
  FinalReport r = with_operator(std::move((*l)->stored), (*l)->op);
  if (r.status == FinalReportStatus::kAccepted)
    return fail(Error::invalid("成果報告書は受理済みです。差し替えが必要な場合は事務局にご連絡ください。"));
  const std::string at = iso_utc(now);
  r.version += 1;
  r.status = FinalReportStatus::kSubmitted;
  r.summary = std::string(text::trim(summary));
  if (r.consent != consent || !r.consent_at) r.consent_at = at;
  r.consent = consent;
  r.submitted_at = at;
  r.updated_at = at;
  if (r.id == 0) {
    auto id = store::insert_final_report(tx, r);
    if (!id) return fail(id.error());
    r.id = *id;
  } else if (auto u = store::update_final_report(tx, r, std::nullopt); !u) {
    return fail(u.error());
  }
  FinalReportFile f{r.version, file.file_name, file.content_type, std::int64_t(file.content.size()), file.sha256, at, "", ""};
  if (auto w = store::insert_final_report_file(tx, r.id, f, file.content, file.inspection, user_of(who)); !w)
    return fail(w.error());
  if (auto a = audited(tx, actor_of(who), "package.final_report_submitted", fmt::format("package_final_report:{}", r.id),
                       {{"operator", operator_id}, {"version", r.version}, {"consent", consent}}, now);
      !a)
    return fail(a.error());
  return r.version;
}

Result<void> set_final_report_consent(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id,
                                      bool consent, Instant now) {
  auto l = load(tx, who, operator_id, auth::Action::kSubmitFinalReport);
  if (!l) return fail(l.error());
  if (!*l) return fail(Error::not_found("実証事業者が見つかりません。"));
  if (!(*l)->stored) return fail(Error::invalid("成果報告書を提出してから、公開の同意を記録してください。"));
  FinalReport r = std::move(*(*l)->stored);
  if (r.consent == consent) return {};
  r.consent = consent;
  r.consent_at = iso_utc(now);
  r.updated_at = r.consent_at;
  if (auto u = store::update_final_report(tx, r, std::nullopt); !u) return u;
  return audited(tx, actor_of(who), "package.final_report_consent", fmt::format("package_final_report:{}", r.id),
                 {{"operator", operator_id}, {"consent", consent}}, now);
}

Result<void> review_final_report(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id,
                                 FinalReportDecision decision, const std::string& comment, Instant now) {
  auto l = load(tx, who, operator_id, auth::Action::kReviewFinalReports);
  if (!l) return fail(l.error());
  if (!*l) return fail(Error::not_found("実証事業者が見つかりません。"));
  if (!(*l)->stored || (*l)->stored->status != FinalReportStatus::kSubmitted)
    return fail(Error::invalid("確認待ちの成果報告書だけを受理・差し戻しできます。"));
  std::string text(text::trim(comment));
  if (decision == FinalReportDecision::kReturn && text.empty())
    return fail(Error::invalid("差し戻す理由（直してほしい点）を入力してください。"));
  if (text::count_code_points(text) > 2000) return fail(Error::invalid("コメントは2000文字以内で入力してください。"));
  FinalReport r = std::move(*(*l)->stored);
  r.status = decision == FinalReportDecision::kAccept ? FinalReportStatus::kAccepted : FinalReportStatus::kReturned;
  r.review_comment = text;
  r.reviewed_at = iso_utc(now);
  r.updated_at = r.reviewed_at;
  if (auto u = store::update_final_report(tx, r, user_of(who)); !u) return u;
  if (auto a = audited(tx, actor_of(who), "package.final_report_reviewed", fmt::format("package_final_report:{}", r.id),
                       {{"operator", operator_id}, {"status", std::string(to_string(r.status))}, {"version", r.version}}, now);
      !a)
    return a;
  auto users = auth::active_users_of(tx, (*l)->op.organisation_id);
  if (!users) return fail(users.error());
  const bool accepted = decision == FinalReportDecision::kAccept;
  std::string title = accepted ? "成果報告書が受理されました" : "成果報告書が差し戻されました";
  std::string body = accepted ? fmt::format("事務局が成果報告書（第{}版）を受理しました。", r.version)
                              : fmt::format("事務局が成果報告書（第{}版）を差し戻しました。直して、もう一度提出してください。\n\n事務局からのコメント:\n{}",
                                            r.version, text);
  if (accepted && !text.empty()) body += "\n\n事務局からのコメント:\n" + text;
  for (std::int64_t user : *users)
    if (auto n = notify::notify_user(tx, user, title, body, fmt::format("/package/final-reports/{}", operator_id), now); !n)
      return n;
  return {};
}

Result<int> remind_final_reports(db::Transaction& tx, Instant now) {
  auto programme = operations::current_programme(tx);
  if (!programme) return fail(programme.error());
  if (!*programme) return 0;
  auto due = final_report_due(tx, now);
  if (!due) return fail(due.error());
  const Date today = tokyo_date(now);
  const int left = due->days_since(today);
  if (left < 0 || left > 14) return 0;
  // The latest stage reached; an earlier one not yet sent is marked with it (one mail, not two).
  struct Stage {
    const char* id;
    int days;
  };
  constexpr Stage kStages[] = {{"d14", 14}, {"d3", 3}};
  auto ops = operations::all_operators(tx, **programme);
  if (!ops) return fail(ops.error());
  auto stored = store::final_reports(tx);
  if (!stored) return fail(stored.error());
  int reminded = 0;
  for (const auto& op : *ops) {
    auto it = std::ranges::find_if(*stored, [&](const FinalReport& r) { return r.operator_id == op.id; });
    if (it != stored->end() && it->status != FinalReportStatus::kReturned) continue;  // submitted or accepted
    std::vector<const Stage*> due_stages;
    for (const auto& s : kStages)
      if (left <= s.days) {
        auto sent = store::reminder_sent(tx, op.id, s.id, due->iso());
        if (!sent) return fail(sent.error());
        if (!*sent) due_stages.push_back(&s);
      }
    if (due_stages.empty()) continue;
    for (const Stage* s : due_stages)
      if (auto r = store::insert_reminder(tx, op.id, s->id, due->iso(), iso_utc(now)); !r) return fail(r.error());
    const bool returned = it != stored->end();
    std::string title = fmt::format("成果報告書の提出期限は{}です", due->japanese());
    std::string body =
        returned ? fmt::format("差し戻された成果報告書を直して、{}（あと {} 日）までに提出してください。", due->japanese(), left)
                 : fmt::format("成果報告書（Word または PDF）と概要を、{}（あと {} 日）までに提出してください。", due->japanese(), left);
    auto users = auth::active_users_of(tx, op.organisation_id);
    if (!users) return fail(users.error());
    for (std::int64_t user : *users)
      if (auto n = notify::notify_user(tx, user, title, body, fmt::format("/package/final-reports/{}", op.id), now); !n)
        return fail(n.error());
    if (auto a = audited(tx, audit::Actor::system(), "package.final_report_reminded", fmt::format("operator:{}", op.id),
                         {{"stage", due_stages.back()->id}, {"due", due->iso()}}, now);
        !a)
      return fail(a.error());
    ++reminded;
  }
  return reminded;
}

Result<std::vector<AcceptedFinalReport>> accepted_final_reports(db::Transaction& tx) {
  std::vector<AcceptedFinalReport> out;
  auto programme = operations::current_programme(tx);
  if (!programme) return fail(programme.error());
  if (!*programme) return out;
  auto ops = operations::all_operators(tx, **programme);
  if (!ops) return fail(ops.error());
  auto stored = store::final_reports(tx);
  if (!stored) return fail(stored.error());
  for (const auto& op : *ops) {
    auto it = std::ranges::find_if(*stored, [&](const FinalReport& r) { return r.operator_id == op.id; });
    if (it == stored->end() || it->status != FinalReportStatus::kAccepted) continue;
    auto files = store::final_report_files(tx, it->id);
    if (!files) return fail(files.error());
    if (files->empty()) continue;
    auto content = store::final_report_content(tx, it->id, files->front().version);
    if (!content) return fail(content.error());
    if (!*content) continue;
    out.push_back({with_operator(*it, op), files->front(), std::move(**content)});
  }
  return out;
}

}  // namespace kakehashi::package
