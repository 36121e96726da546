// Milestones, evidence and the secretariat's review (milestones.h).
#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "audit/audit.h"
#include "auth/users.h"
#include "inspect/upload.h"
#include "inspect/upload_text.h"
#include "notify/service.h"
#include "operations/milestones.h"
#include "operations/service.h"
#include "operations/store_milestones.h"
#include "operations/store_operators.h"

namespace kakehashi::operations {
namespace {

constexpr std::size_t kTitleLimit = 200;
constexpr std::size_t kTextLimit = 4000;
constexpr std::size_t kUrlLimit = 2000;

Result<void> audited(db::Transaction& tx, const auth::Principal& who, std::string action, std::int64_t milestone_id,
                     Instant now, const boost::json::object& detail) {
  auto logged = audit::record(tx,
                              audit::entry_by(audit::Actor::user(who.user_id), std::move(action),
                                              fmt::format("milestone:{}", milestone_id), boost::json::serialize(detail)),
                              now);
  if (!logged) return fail(logged.error());
  return {};
}

std::optional<std::int64_t> parse_positive(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value > 0 ? std::optional(value) : std::nullopt;
}

std::string trimmed(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

// The milestone and its operator when `who` may see it.
struct Loaded {
  Milestone milestone;
  Operator op;
};
Result<std::optional<Loaded>> load(db::Transaction& tx, const auth::Principal& who, std::int64_t milestone_id) {
  auto m = store::find_milestone(tx, milestone_id);
  if (!m) return fail(m.error());
  if (!*m) return std::optional<Loaded>{};
  auto op = find_operator(tx, who, (*m)->operator_id);
  if (!op) return fail(op.error());
  if (!*op) return std::optional<Loaded>{};
  return std::optional<Loaded>{Loaded{std::move(**m), std::move(**op)}};
}

// The milestone, when `who` may edit its operator's plan; not found / denied otherwise.
Result<Loaded> load_for_edit(db::Transaction& tx, const auth::Principal& who, std::int64_t milestone_id) {
  auto l = load(tx, who, milestone_id);
  if (!l) return fail(l.error());
  if (!*l) return fail(Error::not_found("マイルストーンが見つかりません"));
  auto allowed = may(tx, who, auth::Action::kEditOperatorPlan, (*l)->op);
  if (!allowed) return fail(allowed.error());
  if (!*allowed) return fail(Error::denied("このマイルストーンを変更する権限がありません"));
  return std::move(**l);
}

struct Parsed {
  Milestone milestone;
  std::vector<FieldError> errors;
};

Result<Parsed> parse(db::Transaction& tx, const Operator& op, const MilestoneForm& form, const Milestone* current) {
  Parsed out;
  Milestone& m = out.milestone;
  auto& errors = out.errors;
  m.operator_id = op.id;
  m.title = trimmed(form.title);
  m.description = form.description;
  m.owner_name = trimmed(form.owner_name);
  if (m.title.empty()) errors.push_back({"title", "タイトルを入力してください"});
  else if (m.title.size() > kTitleLimit) errors.push_back({"title", fmt::format("タイトルは {} バイト以内で入力してください", kTitleLimit)});
  if (m.description.size() > kTextLimit)
    errors.push_back({"description", fmt::format("説明は {} バイト以内で入力してください", kTextLimit)});
  std::string due = trimmed(form.due_on);
  if (due.empty()) {
    errors.push_back({"due_on", "期限を入力してください"});
  } else if (auto day = Date::parse(due); !day) {
    errors.push_back({"due_on", "期限の日付が正しくありません（例: 2026-12-25）"});
  } else if (day->year() < 2000 || day->year() > 2100) {
    errors.push_back({"due_on", "期限は 2000年〜2100年の日付で入力してください"});
  } else {
    m.due_on = *day;
  }
  if (!form.owner_user.empty()) {
    auto id = parse_positive(form.owner_user);
    auto users = auth::active_users_of(tx, op.organisation_id);
    if (!users) return fail(users.error());
    if (!id || std::ranges::find(*users, *id) == users->end()) {
      errors.push_back({"owner_user", "担当者は実証事業者の利用者から選んでください"});
    } else {
      m.owner_user_id = *id;
    }
  }
  if (m.owner_name.size() > kTitleLimit) errors.push_back({"owner_name", "担当者名が長すぎます"});
  auto status = milestone_status_from(form.status.empty() ? "not_started" : form.status);
  if (!status) {
    errors.push_back({"status", "状態を選んでください"});
  } else {
    m.status = *status;
    if (current && !transition_allowed(current->status, *status)) {
      errors.push_back({"status", fmt::format("状態を「{}」から「{}」に変えることはできません",
                                              milestone_status_label(current->status), milestone_status_label(*status))});
    }
  }
  return out;
}

std::string evidence_kind_name(EvidenceKind kind) {
  return kind == EvidenceKind::kFile ? "file" : kind == EvidenceKind::kLink ? "link" : "note";
}

Result<std::int64_t> add_evidence(db::Transaction& tx, const auth::Principal& who, std::int64_t milestone_id,
                                  Evidence e, const std::string* content, Instant now) {
  auto l = load_for_edit(tx, who, milestone_id);
  if (!l) return fail(l.error());
  e.milestone_id = milestone_id;
  e.added_at = iso_utc(now);
  e.added_by = who.user_id;
  auto id = store::insert_evidence(tx, e, content);
  if (!id) return id;
  if (auto r = store::touch_operator(tx, l->op.id, now); !r) return fail(r.error());
  boost::json::object detail{{"evidence", *id}, {"kind", evidence_kind_name(e.kind)}};
  if (e.sha256) detail["sha256"] = *e.sha256;
  if (auto r = audited(tx, who, "operation.milestone_evidence", milestone_id, now, detail); !r) return fail(r.error());
  return id;
}

}  // namespace

bool transition_allowed(MilestoneStatus from, MilestoneStatus to) {
  if (from == to) return true;
  switch (from) {
    case MilestoneStatus::kDone: return to == MilestoneStatus::kInProgress || to == MilestoneStatus::kDelayed;
    case MilestoneStatus::kCancelled: return to == MilestoneStatus::kNotStarted || to == MilestoneStatus::kInProgress;
    default: return true;
  }
}

Result<std::vector<OwnerOption>> owner_options(db::Transaction& tx, const Operator& op) {
  auto ids = auth::active_users_of(tx, op.organisation_id);
  if (!ids) return fail(ids.error());
  auto names = auth::user_names(tx, *ids);
  if (!names) return fail(names.error());
  std::vector<OwnerOption> out;
  for (std::int64_t id : *ids) {
    if (auto it = names->find(id); it != names->end()) out.push_back({id, it->second});
  }
  return out;
}

Result<std::vector<FieldError>> validate_milestone(db::Transaction& tx, const Operator& op, const MilestoneForm& form,
                                                   const Milestone* current) {
  auto parsed = parse(tx, op, form, current);
  if (!parsed) return fail(parsed.error());
  return std::move(parsed->errors);
}

Result<std::int64_t> create_milestone(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id,
                                      const MilestoneForm& form, Instant now) {
  auto op = find_operator(tx, who, operator_id);
  if (!op) return fail(op.error());
  if (!*op) return fail(Error::not_found("実証事業者が見つかりません"));
  auto allowed = may(tx, who, auth::Action::kEditOperatorPlan, **op);
  if (!allowed) return fail(allowed.error());
  if (!*allowed) return fail(Error::denied("マイルストーンを追加する権限がありません"));
  auto parsed = parse(tx, **op, form, nullptr);
  if (!parsed) return fail(parsed.error());
  if (!parsed->errors.empty()) return fail(Error::invalid(join_messages(parsed->errors)));
  Milestone& m = parsed->milestone;
  if (m.status == MilestoneStatus::kDone) m.completed_on = tokyo_date(now);
  auto id = store::insert_milestone(tx, m, now);
  if (!id) return id;
  if (auto r = store::touch_operator(tx, operator_id, now); !r) return fail(r.error());
  if (auto r = audited(tx, who, "operation.milestone_create", *id, now,
                       {{"operator", operator_id}, {"status", std::string(to_string(m.status))}, {"due_on", m.due_on.iso()}});
      !r)
    return fail(r.error());
  return id;
}

Result<void> update_milestone(db::Transaction& tx, const auth::Principal& who, std::int64_t milestone_id,
                              const MilestoneForm& form, Instant now) {
  auto l = load_for_edit(tx, who, milestone_id);
  if (!l) return fail(l.error());
  const Milestone& before = l->milestone;
  auto parsed = parse(tx, l->op, form, &before);
  if (!parsed) return fail(parsed.error());
  if (!parsed->errors.empty()) return fail(Error::invalid(join_messages(parsed->errors)));
  Milestone m = std::move(parsed->milestone);
  m.id = before.id;
  m.created_at = before.created_at;
  m.completed_on = before.completed_on;
  m.review = before.review;
  m.review_comment = before.review_comment;
  m.reviewed_by = before.reviewed_by;
  m.reviewed_at = before.reviewed_at;
  if (m.status == MilestoneStatus::kDone && before.status != MilestoneStatus::kDone) m.completed_on = tokyo_date(now);
  if (m.status != MilestoneStatus::kDone) m.completed_on.reset();
  bool reset_review = before.review != ReviewState::kNone && (m.status != before.status || m.due_on != before.due_on);
  if (reset_review) {
    m.review = ReviewState::kNone;
    m.review_comment.clear();
    m.reviewed_by.reset();
    m.reviewed_at.reset();
  }
  if (auto r = store::update_milestone(tx, m, now); !r) return r;
  if (auto r = store::touch_operator(tx, m.operator_id, now); !r) return r;
  boost::json::array changed;
  if (m.title != before.title) changed.emplace_back("title");
  if (m.description != before.description) changed.emplace_back("description");
  if (m.due_on != before.due_on) changed.emplace_back("due_on");
  if (m.owner_user_id != before.owner_user_id || m.owner_name != before.owner_name) changed.emplace_back("owner");
  if (m.status != before.status) changed.emplace_back("status");
  return audited(tx, who, "operation.milestone_update", m.id, now,
                 {{"fields", changed},
                  {"from", std::string(to_string(before.status))},
                  {"to", std::string(to_string(m.status))},
                  {"review_reset", reset_review}});
}

Result<std::optional<Milestone>> find_milestone(db::Transaction& tx, const auth::Principal& who, std::int64_t milestone_id) {
  auto l = load(tx, who, milestone_id);
  if (!l) return fail(l.error());
  if (!*l) return std::optional<Milestone>{};
  return std::optional<Milestone>{std::move((*l)->milestone)};
}

namespace {
Result<std::vector<MilestoneRow>> rows_of(db::Transaction& tx, std::vector<Milestone> milestones, std::int64_t call_id) {
  auto counts = store::evidence_counts(tx, call_id);
  if (!counts) return fail(counts.error());
  std::vector<std::int64_t> owners;
  for (const Milestone& m : milestones)
    if (m.owner_user_id) owners.push_back(*m.owner_user_id);
  auto names = auth::user_names(tx, owners);
  if (!names) return fail(names.error());
  std::vector<MilestoneRow> out;
  out.reserve(milestones.size());
  for (Milestone& m : milestones) {
    MilestoneRow row;
    row.evidence_count = counts->contains(m.id) ? counts->at(m.id) : 0;
    row.owner_label = m.owner_name;
    if (m.owner_user_id) {
      if (auto it = names->find(*m.owner_user_id); it != names->end()) row.owner_label = it->second;
    }
    row.milestone = std::move(m);
    out.push_back(std::move(row));
  }
  return out;
}
}  // namespace

Result<std::vector<MilestoneRow>> milestones_of(db::Transaction& tx, std::int64_t operator_id) {
  auto op = store::find_operator(tx, operator_id);
  if (!op) return fail(op.error());
  if (!*op) return std::vector<MilestoneRow>{};
  auto list = store::milestones_of(tx, operator_id);
  if (!list) return fail(list.error());
  return rows_of(tx, std::move(*list), (*op)->call_id);
}

Result<std::vector<MilestoneRow>> visible_milestones(db::Transaction& tx, const auth::Principal& who,
                                                     std::int64_t call_id, std::optional<std::int64_t> operator_id) {
  auto ops = list_operators(tx, who, call_id);
  if (!ops) return fail(ops.error());
  std::map<std::int64_t, int> order;
  for (std::size_t i = 0; i < ops->size(); ++i) order[(*ops)[i].id] = int(i);
  auto all = store::milestones_of_call(tx, call_id);
  if (!all) return fail(all.error());
  std::vector<Milestone> kept;
  for (Milestone& m : *all) {
    if (!order.contains(m.operator_id)) continue;
    if (operator_id && m.operator_id != *operator_id) continue;
    kept.push_back(std::move(m));
  }
  std::ranges::stable_sort(kept, {}, [&](const Milestone& m) { return order[m.operator_id]; });
  return rows_of(tx, std::move(kept), call_id);
}

Result<std::vector<Evidence>> evidence_of(db::Transaction& tx, std::int64_t milestone_id) {
  return store::evidence_of(tx, milestone_id);
}

Result<std::int64_t> add_note(db::Transaction& tx, const auth::Principal& who, std::int64_t milestone_id,
                              const std::string& title, const std::string& note, Instant now) {
  std::vector<FieldError> errors;
  if (trimmed(note).empty()) errors.push_back({"note", "メモを入力してください"});
  if (note.size() > kTextLimit) errors.push_back({"note", fmt::format("メモは {} バイト以内で入力してください", kTextLimit)});
  if (title.size() > kTitleLimit) errors.push_back({"title", "見出しが長すぎます"});
  if (!errors.empty()) {
    auto l = load_for_edit(tx, who, milestone_id);  // 404 / 403 before 422
    if (!l) return fail(l.error());
    return fail(Error::invalid(join_messages(errors)));
  }
  Evidence e;
  e.kind = EvidenceKind::kNote;
  e.title = trimmed(title);
  e.note = note;
  return add_evidence(tx, who, milestone_id, std::move(e), nullptr, now);
}

Result<std::int64_t> add_link(db::Transaction& tx, const auth::Principal& who, std::int64_t milestone_id,
                              const std::string& title, const std::string& typed_url, Instant now) {
  std::string url = trimmed(typed_url);
  std::vector<FieldError> errors;
  bool scheme_ok = url.starts_with("https://") || url.starts_with("http://");
  std::string_view rest = std::string_view(url).substr(url.find("://") == std::string::npos ? 0 : url.find("://") + 3);
  if (url.empty()) errors.push_back({"url", "リンクのアドレスを入力してください"});
  else if (!scheme_ok || rest.empty() || url.find_first_of(" \t\r\n<>\"") != std::string::npos)
    errors.push_back({"url", "リンクは http:// または https:// で始まるアドレスを入力してください"});
  else if (url.size() > kUrlLimit) errors.push_back({"url", "リンクのアドレスが長すぎます"});
  if (title.size() > kTitleLimit) errors.push_back({"title", "見出しが長すぎます"});
  if (!errors.empty()) {
    auto l = load_for_edit(tx, who, milestone_id);
    if (!l) return fail(l.error());
    return fail(Error::invalid(join_messages(errors)));
  }
  Evidence e;
  e.kind = EvidenceKind::kLink;
  e.title = trimmed(title);
  e.url = url;
  return add_evidence(tx, who, milestone_id, std::move(e), nullptr, now);
}

Result<InspectedEvidence> inspect_evidence(const std::filesystem::path& path, std::string file_name, std::string sha256) {
  std::error_code size_error;
  auto size = std::filesystem::file_size(path, size_error);
  if (size_error) return fail(Error::internal("アップロードしたファイルを読み取れませんでした"));
  if (size > std::uintmax_t(kEvidenceLimit))
    return fail(Error::invalid(fmt::format("根拠資料のファイルは {} MB 以下にしてください", kEvidenceLimit / 1024 / 1024)));
  auto verdict = inspect::check_upload(path, inspect::UploadPurpose::kPublication);
  if (!verdict) return fail(Error::internal("ファイルの検査に失敗しました"));
  if (verdict->type == inspect::FileType::kUnknown)
    return fail(Error::invalid("根拠資料として登録できるのは PDF・Excel（.xlsx）・Word（.docx）・PowerPoint（.pptx）・CSV のファイルです"));
  if (!verdict->ok)
    return fail(Error::invalid(
        fmt::format("公開できない内容が含まれているため登録できません: {}", inspect::blocking_findings_text(*verdict))));
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error::internal("アップロードしたファイルを読み取れませんでした"));
  InspectedEvidence out;
  out.content.assign(std::istreambuf_iterator<char>(in), {});
  out.file_name = std::move(file_name);
  out.sha256 = std::move(sha256);
  out.content_type = std::string(inspect::media_type(verdict->type));
  boost::json::array findings;
  for (const auto& f : verdict->findings) {
    if (f.severity == inspect::Severity::kWarning) ++out.warnings;
    findings.push_back(boost::json::object{{"code", f.code}, {"label", f.label}, {"location", f.location},
                                           {"severity", std::string(inspect::severity_label(f.severity))}});
  }
  out.inspection = boost::json::serialize(boost::json::object{
      {"type", inspect::file_type_name(verdict->type)}, {"summary", verdict->summary}, {"warnings", out.warnings}, {"findings", findings}});
  return out;
}

Result<std::int64_t> add_file(db::Transaction& tx, const auth::Principal& who, std::int64_t milestone_id,
                              const InspectedEvidence& file, const std::string& title, Instant now) {
  if (title.size() > kTitleLimit) return fail(Error::invalid("見出しが長すぎます"));
  Evidence e;
  e.kind = EvidenceKind::kFile;
  e.title = trimmed(title);
  e.file_name = file.file_name;
  e.content_type = file.content_type;
  e.size = std::int64_t(file.content.size());
  e.sha256 = file.sha256;
  e.inspection = file.inspection;
  return add_evidence(tx, who, milestone_id, std::move(e), &file.content, now);
}

Result<std::optional<EvidenceFile>> evidence_file(db::Transaction& tx, const auth::Principal& who,
                                                  std::int64_t milestone_id, std::int64_t evidence_id) {
  auto l = load(tx, who, milestone_id);
  if (!l) return fail(l.error());
  if (!*l) return std::optional<EvidenceFile>{};
  auto stored = store::evidence_content(tx, milestone_id, evidence_id);
  if (!stored) return fail(stored.error());
  if (!*stored) return std::optional<EvidenceFile>{};
  return std::optional<EvidenceFile>{
      EvidenceFile{std::move((*stored)->file_name), std::move((*stored)->content_type), std::move((*stored)->content)}};
}

Result<void> delete_evidence(db::Transaction& tx, const auth::Principal& who, std::int64_t milestone_id,
                             std::int64_t evidence_id, Instant now) {
  auto l = load_for_edit(tx, who, milestone_id);
  if (!l) return fail(l.error());
  auto all = store::evidence_of(tx, milestone_id);
  if (!all) return fail(all.error());
  auto found = std::ranges::find(*all, evidence_id, &Evidence::id);
  if (found == all->end()) return fail(Error::not_found("根拠が見つかりません"));
  boost::json::object detail{{"evidence", evidence_id}, {"kind", evidence_kind_name(found->kind)}};
  if (found->sha256) detail["sha256"] = *found->sha256;
  auto deleted = store::delete_evidence(tx, milestone_id, evidence_id);
  if (!deleted) return fail(deleted.error());
  if (!*deleted) return fail(Error::not_found("根拠が見つかりません"));
  Milestone m = l->milestone;
  if (m.review == ReviewState::kAccepted) {
    m.review = ReviewState::kNone;
    m.review_comment.clear();
    m.reviewed_by.reset();
    m.reviewed_at.reset();
    if (auto r = store::set_review(tx, m); !r) return r;
    detail["review_reset"] = true;
  }
  if (auto r = store::touch_operator(tx, l->op.id, now); !r) return fail(r.error());
  return audited(tx, who, "operation.milestone_evidence_delete", milestone_id, now, detail);
}

Result<void> review_milestone(db::Transaction& tx, const auth::Principal& who, std::int64_t milestone_id,
                              ReviewState state, const std::string& comment, const std::string& link, Instant now) {
  auto l = load(tx, who, milestone_id);
  if (!l) return fail(l.error());
  if (!*l) return fail(Error::not_found("マイルストーンが見つかりません"));
  auto allowed = may(tx, who, auth::Action::kReviewMilestones, (*l)->op);
  if (!allowed) return fail(allowed.error());
  if (!*allowed) return fail(Error::denied("マイルストーンを確認する権限がありません"));
  Milestone m = (*l)->milestone;
  std::string text = trimmed(comment);
  if (state == ReviewState::kNone) return fail(Error::invalid("確認結果を選んでください"));
  if (text.size() > kTextLimit) return fail(Error::invalid(fmt::format("コメントは {} バイト以内で入力してください", kTextLimit)));
  if (state == ReviewState::kNeedsWork && text.empty())
    return fail(Error::invalid("「要対応」にするときは、対応してほしい内容をコメントに書いてください"));
  if (state == ReviewState::kAccepted) {
    auto evidence = store::evidence_of(tx, milestone_id);
    if (!evidence) return fail(evidence.error());
    if (evidence->empty()) return fail(Error::invalid("根拠資料が登録されていないマイルストーンは「確認済み」にできません"));
  }
  m.review = state;
  m.review_comment = text;
  m.reviewed_by = who.user_id;
  m.reviewed_at = iso_utc(now);
  if (auto r = store::set_review(tx, m); !r) return r;
  if (auto r = audited(tx, who, "operation.milestone_review", m.id, now,
                       {{"review", std::string(to_string(state))}, {"operator", m.operator_id}});
      !r)
    return r;
  auto users = auth::active_users_of(tx, (*l)->op.organisation_id);
  if (!users) return fail(users.error());
  std::string title = fmt::format("マイルストーン「{}」の確認結果: {}", m.title, review_state_label(state));
  std::string body = text.empty() ? fmt::format("事務局がマイルストーン「{}」を確認しました。", m.title)
                                  : fmt::format("事務局からのコメント:\n{}", text);
  for (std::int64_t user : *users) {
    if (auto r = notify::notify_user(tx, user, title, body, link, now); !r) return r;
  }
  return {};
}

}  // namespace kakehashi::operations
