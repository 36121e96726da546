#include "compliance/reports.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "audit/audit.h"
#include "auth/policy.h"
#include "auth/users.h"
#include "base/text.h"
#include "compliance/store_reports.h"
#include "inspect/upload.h"
#include "inspect/upload_text.h"
#include "notify/service.h"

namespace kakehashi::compliance {
namespace {

std::string trimmed(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

bool blank(std::string_view text) { return text.find_first_not_of(" \t\r\n　") == std::string_view::npos; }

Date ymd(int y, unsigned m, unsigned d) { return Date::from_ymd(y, m, d).value_or(Date{}); }

Result<void> need(const auth::Principal& who, auth::Action action, std::string_view message) {
  if (!auth::may(who, action)) return fail(Error::denied(std::string(message)));
  return {};
}

Result<void> audited(db::Transaction& tx, const auth::Principal& who, std::string action, std::int64_t report_id,
                     Instant now, const boost::json::object& detail = {}) {
  auto logged = audit::record(tx, audit::entry_by(audit::Actor::user(who.user_id), std::move(action),
                                                  fmt::format("compliance_report:{}", report_id),
                                                  boost::json::serialize(detail)),
                              now);
  if (!logged) return fail(logged.error());
  return {};
}

Result<void> event(db::Transaction& tx, std::int64_t id, const auth::Principal& who, std::string name, std::string note,
                   Instant now) {
  return store::insert_event(tx, id, {now, who.user_id, std::move(name), std::move(note)});
}

Result<ComplianceReport> load(db::Transaction& tx, std::int64_t id) {
  auto found = store::find_report(tx, id);
  if (!found) return fail(found.error());
  if (!*found) return fail(Error::not_found("実施状況報告書が見つかりません"));
  return std::move(**found);
}

Result<ComplianceReport> load_editable(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  if (auto r = need(who, auth::Action::kPrepareComplianceReport, "実施状況報告書を作成する権限がありません"); !r)
    return fail(r.error());
  auto report = load(tx, id);
  if (!report) return report;
  if (!report->editable())
    return fail(Error::invalid("提出済みの報告書は変更できません（経済産業省が差し戻した場合に修正できます）"));
  return report;
}

bool known_item(int item) {
  return std::ranges::any_of(report_items(), [&](const ReportItem& i) { return i.number == item; });
}

// The stored answers completed to one per item, with the evidence of each.
std::vector<ItemAnswer> complete(std::vector<ItemAnswer> stored, std::int64_t report_id,
                                 const std::vector<EvidenceRecord>& evidence) {
  std::vector<ItemAnswer> out;
  for (const auto& item : report_items()) {
    auto it = std::ranges::find_if(stored, [&](const ItemAnswer& a) { return a.number == item.number; });
    ItemAnswer a = it == stored.end() ? ItemAnswer{item.number, std::nullopt, "", {}} : std::move(*it);
    for (const auto& e : evidence) {
      if (e.item != item.number) continue;
      a.evidence.push_back({e.label, e.is_file ? evidence_href(report_id, e.id) : e.href});
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

std::string Period::label() const {
  bool first_half = from.month() == 4;
  int fiscal = from.month() >= 4 ? from.year() : from.year() - 1;
  return fmt::format("{}年度 {}（{}年{}月{}日～{}年{}月{}日）", fiscal, first_half ? "上期" : "下期", from.year(),
                     from.month(), from.day(), to.year(), to.month(), to.day());
}

Period period_containing(Date day) {
  int y = day.year();
  unsigned m = day.month();
  Period p;
  if (m >= 4 && m <= 9) {
    p.from = ymd(y, 4, 1);
    p.to = ymd(y, 9, 30);
    p.due = ymd(y, 10, 31);
  } else {
    int start = m >= 10 ? y : y - 1;
    p.from = ymd(start, 10, 1);
    p.to = ymd(start + 1, 3, 31);
    p.due = ymd(start + 1, 4, 30);
  }
  return p;
}

Period period_before(const Period& period) { return period_containing(period.from.plus_days(-1)); }

std::optional<Period> period_starting(Date from) {
  Period p = period_containing(from);
  if (p.from != from) return std::nullopt;
  return p;
}

std::string_view report_status_id(ReportStatus status) {
  switch (status) {
    case ReportStatus::kDraft: return "draft";
    case ReportStatus::kSubmitted: return "submitted";
    case ReportStatus::kAcknowledged: return "acknowledged";
    case ReportStatus::kReturned: return "returned";
  }
  return "";
}

std::string_view report_status_label(ReportStatus status) {
  switch (status) {
    case ReportStatus::kDraft: return "作成中";
    case ReportStatus::kSubmitted: return "提出済み（経済産業省の確認待ち）";
    case ReportStatus::kAcknowledged: return "受領済み";
    case ReportStatus::kReturned: return "差し戻し（修正して再提出）";
  }
  return "";
}

std::optional<ReportStatus> report_status_from_id(std::string_view id) {
  for (auto s : {ReportStatus::kDraft, ReportStatus::kSubmitted, ReportStatus::kAcknowledged, ReportStatus::kReturned}) {
    if (report_status_id(s) == id) return s;
  }
  return std::nullopt;
}

std::string_view item_status_id(ItemStatus status) {
  switch (status) {
    case ItemStatus::kDone: return "done";
    case ItemStatus::kNotDone: return "not_done";
    case ItemStatus::kNotApplicable: return "not_applicable";
  }
  return "";
}

std::optional<ItemStatus> item_status_from_id(std::string_view id) {
  for (auto s : {ItemStatus::kDone, ItemStatus::kNotDone, ItemStatus::kNotApplicable}) {
    if (item_status_id(s) == id) return s;
  }
  return std::nullopt;
}

std::string_view report_event_label(std::string_view event) {
  if (event == "created") return "作成";
  if (event == "saved") return "保存";
  if (event == "submitted") return "経済産業省に提出";
  if (event == "acknowledged") return "経済産業省が受領";
  if (event == "returned") return "経済産業省が差し戻し";
  return event;
}

std::string evidence_href(std::int64_t report_id, std::int64_t evidence_id) {
  return fmt::format("/compliance/reports/{}/evidence/{}", report_id, evidence_id);
}

std::vector<FieldError> read_answers(const std::vector<AnswerForm>& form, std::vector<ItemAnswer>& out) {
  std::vector<FieldError> errors;
  out.clear();
  for (const auto& f : form) {
    std::string field = fmt::format("item_{}", f.item);
    if (!known_item(f.item)) {
      errors.push_back({"item", fmt::format("{}) は報告事項にありません", f.item)});
      continue;
    }
    ItemAnswer a{f.item, std::nullopt, trimmed(f.detail), {}};
    if (!f.status.empty()) {
      a.status = item_status_from_id(f.status);
      if (!a.status) errors.push_back({field, fmt::format("{}) の実施状況を選び直してください", f.item)});
    }
    if (text::count_code_points(a.detail) > 4000)
      errors.push_back({field, fmt::format("{}) の実施内容・理由は 4000 文字以内で入力してください", f.item)});
    if (a.status && *a.status != ItemStatus::kDone && blank(a.detail)) {
      errors.push_back({field, fmt::format("{}) は「{}」のため、理由を入力してください", f.item,
                                           item_status_label(*a.status))});
    }
    out.push_back(std::move(a));
  }
  return errors;
}

Result<std::vector<ComplianceReport>> list_reports(db::Transaction& tx, const auth::Principal& who) {
  if (auto r = need(who, auth::Action::kViewComplianceReport, "実施状況報告書を表示する権限がありません"); !r)
    return fail(r.error());
  return store::reports(tx);
}

Result<std::optional<ReportDetail>> find_report(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  if (auto r = need(who, auth::Action::kViewComplianceReport, "実施状況報告書を表示する権限がありません"); !r)
    return fail(r.error());
  auto found = store::find_report(tx, id);
  if (!found) return fail(found.error());
  if (!*found) return std::optional<ReportDetail>{};
  ReportDetail d;
  d.report = std::move(**found);
  auto evidence = store::evidence(tx, id);
  if (!evidence) return fail(evidence.error());
  d.evidence = std::move(*evidence);
  auto answers = store::answers(tx, id);
  if (!answers) return fail(answers.error());
  d.answers = complete(std::move(*answers), id, d.evidence);
  auto events = store::events(tx, id);
  if (!events) return fail(events.error());
  d.events = std::move(*events);
  return std::optional<ReportDetail>{std::move(d)};
}

Result<std::int64_t> create_report(db::Transaction& tx, const auth::Principal& who, const Period& period, Instant now) {
  if (auto r = need(who, auth::Action::kPrepareComplianceReport, "実施状況報告書を作成する権限がありません"); !r)
    return fail(r.error());
  auto existing = store::report_of_period(tx, period.from);
  if (!existing) return fail(existing.error());
  if (*existing) return fail(Error::conflict("この期間の実施状況報告書はすでにあります"));
  ComplianceReport report{.period = period, .created_by = who.user_id, .created_at = now, .updated_at = now};
  auto previous = store::report_before(tx, period.from);
  if (!previous) return fail(previous.error());
  std::vector<ItemAnswer> carried;
  if (*previous) {
    report.contract_title = (*previous)->contract_title;
    report.contract_date = (*previous)->contract_date;
    auto answers = store::answers(tx, (*previous)->id);
    if (!answers) return fail(answers.error());
    carried = std::move(*answers);
  }
  auto id = store::insert_report(tx, report);
  if (!id) return id;
  if (auto r = store::replace_answers(tx, *id, carried); !r) return fail(r.error());
  if (auto r = event(tx, *id, who, "created", *previous ? "前回の報告書の回答を引き継ぎました" : "", now); !r)
    return fail(r.error());
  if (auto r = audited(tx, who, "compliance.report_created", *id, now, {{"period_from", period.from.iso()}}); !r)
    return fail(r.error());
  return id;
}

Result<void> save_report(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                         const std::vector<ItemAnswer>& answers, const std::string& contract_title,
                         const std::string& contract_date, Instant now) {
  auto report = load_editable(tx, who, id);
  if (!report) return fail(report.error());
  if (text::count_code_points(contract_title) > 200) return fail(Error::invalid("契約件名は 200 文字以内で入力してください"));
  if (text::count_code_points(contract_date) > 40) return fail(Error::invalid("契約締結日は 40 文字以内で入力してください"));
  if (auto r = store::replace_answers(tx, id, answers); !r) return r;
  if (auto r = store::update_report_contract(tx, id, trimmed(contract_title), trimmed(contract_date), now); !r) return r;
  if (auto r = event(tx, id, who, "saved", "", now); !r) return r;
  return audited(tx, who, "compliance.report_saved", id, now);
}

Result<void> submit_report(db::Transaction& tx, const auth::Principal& who, std::int64_t id, const std::string& link,
                           Instant now, std::vector<FieldError>* errors) {
  auto report = load_editable(tx, who, id);
  if (!report) return fail(report.error());
  auto answers = store::answers(tx, id);
  if (!answers) return fail(answers.error());
  auto problems = check_answers(*answers);
  if (report->contract_title.empty()) problems.push_back({"contract_title", "契約件名を入力してください"});
  if (!problems.empty()) {
    std::string first = problems.front().message;
    if (errors) *errors = std::move(problems);
    return fail(Error::invalid(fmt::format("報告書に未記入の項目があります（{}）", first)));
  }
  report->status = ReportStatus::kSubmitted;
  report->submitted_by = who.user_id;
  report->submitted_at = now;
  report->decided_by.reset();
  report->decided_at.reset();
  report->updated_at = now;
  if (auto r = store::set_report_status(tx, *report); !r) return r;
  if (auto r = event(tx, id, who, "submitted", "", now); !r) return r;
  auto meti = auth::users_with_role(tx, auth::Role::kMeti);
  if (!meti) return fail(meti.error());
  for (const auto& u : *meti) {
    if (auto r = notify::notify_user(tx, u.id, fmt::format("実施状況報告書の提出: {}", report->period.label()),
                                     "情報セキュリティに関する事項の遵守の方法の実施状況報告書が提出されました。"
                                     "内容を確認し、受領するか、コメントを付けて差し戻してください。",
                                     link, now);
        !r)
      return r;
  }
  return audited(tx, who, "compliance.report_submitted", id, now);
}

namespace {

Result<ComplianceReport> load_submitted(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  if (auto r = need(who, auth::Action::kAcknowledgeComplianceReport, "実施状況報告書を受領する権限がありません"); !r)
    return fail(r.error());
  auto report = load(tx, id);
  if (!report) return report;
  if (report->status != ReportStatus::kSubmitted) return fail(Error::conflict("この報告書は確認待ちではありません"));
  return report;
}

Result<void> decide(db::Transaction& tx, const auth::Principal& who, ComplianceReport report, bool acknowledged,
                    const std::string& note, const std::string& link, Instant now) {
  report.status = acknowledged ? ReportStatus::kAcknowledged : ReportStatus::kReturned;
  report.decided_by = who.user_id;
  report.decided_at = now;
  report.decision_note = trimmed(note);
  report.updated_at = now;
  if (auto r = store::set_report_status(tx, report); !r) return r;
  if (auto r = event(tx, report.id, who, acknowledged ? "acknowledged" : "returned", report.decision_note, now); !r) return r;
  if (report.submitted_by) {
    std::string title = fmt::format("実施状況報告書の{}: {}", acknowledged ? "受領" : "差し戻し", report.period.label());
    std::string body = acknowledged ? "経済産業省が実施状況報告書を受領しました。"
                                    : "経済産業省が実施状況報告書を差し戻しました。コメントを確認し、修正して再提出してください。";
    if (auto r = notify::notify_user(tx, *report.submitted_by, title, body, link, now); !r) return r;
  }
  return audited(tx, who, acknowledged ? "compliance.report_acknowledged" : "compliance.report_returned", report.id, now);
}

}  // namespace

Result<void> acknowledge_report(db::Transaction& tx, const auth::Principal& who, std::int64_t id, const std::string& note,
                                const std::string& link, Instant now) {
  auto report = load_submitted(tx, who, id);
  if (!report) return fail(report.error());
  return decide(tx, who, std::move(*report), true, note, link, now);
}

Result<void> return_report(db::Transaction& tx, const auth::Principal& who, std::int64_t id, const std::string& note,
                           const std::string& link, Instant now) {
  auto report = load_submitted(tx, who, id);
  if (!report) return fail(report.error());
  if (blank(note)) return fail(Error::invalid("差し戻しのコメントを入力してください"));
  return decide(tx, who, std::move(*report), false, note, link, now);
}

Result<InspectedEvidence> inspect_evidence(const std::string& path, std::string file_name, std::string sha256) {
  std::error_code size_error;
  auto size = std::filesystem::file_size(path, size_error);
  if (size_error) return fail(Error::internal("アップロードしたファイルを読み取れませんでした"));
  if (size > std::uintmax_t(kEvidenceLimit))
    return fail(Error::invalid(fmt::format("証跡のファイルは {} MB 以下にしてください", kEvidenceLimit / 1024 / 1024)));
  auto verdict = inspect::check_upload(path, inspect::UploadPurpose::kPublication);
  if (!verdict) return fail(Error::internal("ファイルの検査に失敗しました"));
  if (verdict->type == inspect::FileType::kUnknown)
    return fail(Error::invalid("証跡として登録できるのは PDF・Excel（.xlsx）・Word（.docx）・PowerPoint（.pptx）・CSV のファイルです"));
  if (!verdict->ok)
    return fail(Error::invalid(fmt::format("経済産業省に渡せない内容が含まれているため登録できません: {}",
                                           inspect::blocking_findings_text(*verdict))));
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error::internal("アップロードしたファイルを読み取れませんでした"));
  InspectedEvidence out;
  out.content.assign(std::istreambuf_iterator<char>(in), {});
  out.file_name = std::move(file_name);
  out.sha256 = std::move(sha256);
  out.content_type = std::string(inspect::media_type(verdict->type));
  out.inspection = boost::json::serialize(
      boost::json::object{{"type", inspect::file_type_name(verdict->type)}, {"summary", verdict->summary}});
  return out;
}

Result<std::int64_t> add_file_evidence(db::Transaction& tx, const auth::Principal& who, std::int64_t id, int item,
                                       const InspectedEvidence& file, Instant now) {
  auto report = load_editable(tx, who, id);
  if (!report) return fail(report.error());
  if (!known_item(item)) return fail(Error::invalid("証跡を付ける項目を選んでください"));
  EvidenceRecord e{.item = item, .is_file = true, .label = file.file_name, .content_type = file.content_type,
                   .sha256 = file.sha256, .added_by = who.user_id, .added_at = now};
  auto evidence_id = store::insert_evidence(tx, id, e, file.content, file.inspection);
  if (!evidence_id) return evidence_id;
  if (auto r = audited(tx, who, "compliance.evidence_added", id, now,
                       {{"item", item}, {"kind", "file"}, {"sha256", file.sha256}});
      !r)
    return fail(r.error());
  return evidence_id;
}

Result<std::int64_t> add_link_evidence(db::Transaction& tx, const auth::Principal& who, std::int64_t id, int item,
                                       const std::string& label, const std::string& href, Instant now) {
  auto report = load_editable(tx, who, id);
  if (!report) return fail(report.error());
  if (!known_item(item)) return fail(Error::invalid("証跡を付ける項目を選んでください"));
  std::string text = trimmed(label), path = trimmed(href);
  if (text.empty()) return fail(Error::invalid("リンクの名前を入力してください"));
  if (text::count_code_points(text) > 200) return fail(Error::invalid("リンクの名前は 200 文字以内で入力してください"));
  if (!path.starts_with('/') || path.starts_with("//") || path.find_first_of(" \t\r\n\\<>\"") != std::string::npos ||
      path.size() > 500) {
    return fail(Error::invalid("リンク先は Kakehashi の画面のパス（/admin/audit のように / で始まるもの）を入力してください"));
  }
  EvidenceRecord e{.item = item, .is_file = false, .label = text, .href = path, .added_by = who.user_id, .added_at = now};
  auto evidence_id = store::insert_evidence(tx, id, e, std::nullopt, "");
  if (!evidence_id) return evidence_id;
  if (auto r = audited(tx, who, "compliance.evidence_added", id, now, {{"item", item}, {"kind", "link"}}); !r)
    return fail(r.error());
  return evidence_id;
}

Result<void> remove_evidence(db::Transaction& tx, const auth::Principal& who, std::int64_t id, std::int64_t evidence_id,
                             Instant now) {
  auto report = load_editable(tx, who, id);
  if (!report) return fail(report.error());
  auto removed = store::delete_evidence(tx, id, evidence_id);
  if (!removed) return fail(removed.error());
  if (!*removed) return fail(Error::not_found("証跡が見つかりません"));
  return audited(tx, who, "compliance.evidence_removed", id, now, {{"evidence", evidence_id}});
}

Result<std::optional<std::pair<EvidenceRecord, std::string>>> evidence_file(db::Transaction& tx,
                                                                           const auth::Principal& who, std::int64_t id,
                                                                           std::int64_t evidence_id) {
  if (auto r = need(who, auth::Action::kViewComplianceReport, "実施状況報告書を表示する権限がありません"); !r)
    return fail(r.error());
  return store::evidence_file(tx, id, evidence_id);
}

ReportHeader report_header(const ComplianceReport& report) {
  auto date = [](const Date& d) { return fmt::format("{}年{}月{}日", d.year(), d.month(), d.day()); };
  return {report.contract_date, report.contract_title, date(report.period.from), date(report.period.to)};
}

Result<std::vector<ReportTask>> report_tasks(db::Transaction& tx, const auth::Principal& who, Instant now) {
  std::vector<ReportTask> out;
  if (auth::may(who, auth::Action::kAcknowledgeComplianceReport)) {
    auto submitted = store::reports_in(tx, ReportStatus::kSubmitted);
    if (!submitted) return fail(submitted.error());
    for (const auto& r : *submitted) {
      out.push_back({r.id, r.period, fmt::format("実施状況報告書（{}）が提出されました。受領するか差し戻してください", r.period.label()),
                     true, true});
    }
  }
  if (auth::may(who, auth::Action::kPrepareComplianceReport)) {
    // The report of the period that ended last (due at the end of the next month).
    Period last = period_before(period_containing(tokyo_date(now)));
    auto report = store::report_of_period(tx, last.from);
    if (!report) return fail(report.error());
    bool urgent = tokyo_date(now).plus_days(14) >= last.due;
    if (!*report) {
      out.push_back({0, last, fmt::format("実施状況報告書（{}）を作成して提出してください", last.label()), false, urgent});
    } else if ((*report)->status == ReportStatus::kDraft) {
      out.push_back({(*report)->id, last, fmt::format("実施状況報告書（{}）を仕上げて提出してください", last.label()), false, urgent});
    }
    auto returned = store::reports_in(tx, ReportStatus::kReturned);
    if (!returned) return fail(returned.error());
    for (const auto& r : *returned) {
      out.push_back({r.id, r.period, fmt::format("実施状況報告書（{}）が差し戻されました。修正して再提出してください", r.period.label()),
                     false, true});
    }
  }
  return out;
}

}  // namespace kakehashi::compliance
