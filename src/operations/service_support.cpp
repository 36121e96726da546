#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "audit/audit.h"
#include "base/text.h"
#include "notify/service.h"
#include "operations/service.h"
#include "operations/store_support.h"
#include "operations/support.h"

namespace kakehashi::operations {
namespace {

constexpr std::size_t kTitleLimit = 200;   // code points: topic, next step, startup name
constexpr std::size_t kTextLimit = 4000;   // code points: advice, goals, notes

std::optional<std::int64_t> positive_id(std::string_view text) {
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

std::string trimmed(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

void check_length(std::vector<FieldError>& errors, const std::string& text, std::size_t limit, const char* field,
                  std::string_view label) {
  if (text::count_code_points(text) > limit)
    errors.push_back({field, fmt::format("{}は {} 文字以内で入力してください", label, limit)});
}

void read_date(std::vector<FieldError>& errors, const std::string& typed, const char* field, std::string_view label,
               Date& out) {
  if (typed.empty()) {
    errors.push_back({field, fmt::format("{}を入力してください", label)});
    return;
  }
  auto d = Date::parse(typed);
  if (!d) {
    errors.push_back({field, fmt::format("{}は 2026-12-25 の形式で入力してください", label)});
    return;
  }
  out = *d;
}

Result<void> audited(db::Transaction& tx, const auth::Principal& who, std::string action, std::string object,
                     Instant now, const boost::json::object& detail) {
  auto logged = audit::record(
      tx, audit::entry_by(audit::Actor::user(who.user_id), std::move(action), std::move(object), boost::json::serialize(detail)),
      now);
  if (!logged) return fail(logged.error());
  return {};
}

// The operator if `who` may do `action` on it: not found when out of sight (kViewSupport), denied
// when visible but the action is not allowed.
Result<Operator> operator_for(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id,
                              auth::Action action) {
  auto op = find_operator(tx, operator_id);
  if (!op) return fail(op.error());
  if (!*op) return fail(Error::not_found("実証事業者が見つかりません"));
  auto sees = may(tx, who, auth::Action::kViewSupport, **op);
  if (!sees) return fail(sees.error());
  if (!*sees) return fail(Error::not_found("実証事業者が見つかりません"));
  if (action != auth::Action::kViewSupport) {
    auto allowed = may(tx, who, action, **op);
    if (!allowed) return fail(allowed.error());
    if (!*allowed) return fail(Error::denied("伴走支援の記録を変更する権限がありません"));
  }
  return std::move(**op);
}

Result<void> check_secretariat_user(db::Transaction& tx, std::optional<std::int64_t> user_id, const char* what) {
  if (!user_id) return {};
  auto ok = auth::has_active_role(tx, *user_id, auth::Role::kSecretariat);
  if (!ok) return fail(ok.error());
  if (!*ok) return fail(Error::invalid(fmt::format("{}は事務局のユーザーから選んでください", what)));
  return {};
}

Result<void> notify_owner(db::Transaction& tx, const auth::Principal& who, const Operator& op, const SupportLog& entry,
                          Instant now) {
  if (!entry.next_step_owner || *entry.next_step_owner == who.user_id || entry.next_step.empty()) return {};
  std::string due = entry.next_step_due ? fmt::format("（期限 {}）", entry.next_step_due->japanese()) : "";
  return notify::notify_user(tx, *entry.next_step_owner, "伴走支援の次のアクションが割り当てられました",
                             fmt::format("{}さんから、{}の次のアクション「{}」{}が割り当てられました。", who.name, op.name,
                                         entry.next_step, due),
                             fmt::format("/operations/operators/{}/support", op.id), now);
}

}  // namespace

std::vector<FieldError> read_support_log(const SupportLogForm& form, SupportLog& out) {
  std::vector<FieldError> errors;
  read_date(errors, trimmed(form.held_on), "held_on", "実施日", out.held_on);
  if (auto kind = support_kind_from(form.kind)) {
    out.kind = *kind;
  } else {
    errors.push_back({"kind", "支援の種類を選んでください"});
  }
  out.topic = trimmed(form.topic);
  if (out.topic.empty()) errors.push_back({"topic", "テーマを入力してください"});
  check_length(errors, out.topic, kTitleLimit, "topic", "テーマ");
  out.advice = trimmed(form.advice);
  check_length(errors, out.advice, kTextLimit, "advice", "助言内容");
  out.next_step = trimmed(form.next_step);
  check_length(errors, out.next_step, kTitleLimit, "next_step", "次のアクション");
  out.next_step_due.reset();
  if (std::string due = trimmed(form.next_step_due); !due.empty()) {
    if (auto d = Date::parse(due)) {
      out.next_step_due = *d;
    } else {
      errors.push_back({"next_step_due", "期限は 2026-12-25 の形式で入力してください"});
    }
  }
  out.next_step_owner.reset();
  if (!form.next_step_owner.empty()) {
    out.next_step_owner = positive_id(form.next_step_owner);
    if (!out.next_step_owner) errors.push_back({"next_step_owner", "担当者を一覧から選んでください"});
  }
  if (out.next_step.empty() && (out.next_step_due || out.next_step_owner))
    errors.push_back({"next_step", "期限や担当者を指定するときは次のアクションを入力してください"});
  if (!out.next_step.empty() && !out.next_step_due)
    errors.push_back({"next_step_due", "次のアクションの期限を入力してください"});
  if (!out.next_step.empty() && !out.next_step_owner && form.next_step_owner.empty())
    errors.push_back({"next_step_owner", "次のアクションの担当者を選んでください"});
  return errors;
}

Result<std::optional<std::vector<SupportLog>>> support_logs(db::Transaction& tx, const auth::Principal& who,
                                                          std::int64_t operator_id) {
  auto op = operator_for(tx, who, operator_id, auth::Action::kViewSupport);
  if (!op) {
    if (op.error().code == ErrorCode::kNotFound) return std::optional<std::vector<SupportLog>>{};
    return fail(op.error());
  }
  auto list = store::support_logs_of(tx, operator_id);
  if (!list) return fail(list.error());
  return std::optional<std::vector<SupportLog>>{std::move(*list)};
}

Result<std::optional<SupportLog>> find_support_log(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  auto entry = store::find_support_log(tx, id);
  if (!entry || !*entry) return entry;
  auto op = operator_for(tx, who, (*entry)->operator_id, auth::Action::kViewSupport);
  if (!op) {
    if (op.error().code == ErrorCode::kNotFound) return std::optional<SupportLog>{};
    return fail(op.error());
  }
  return entry;
}

Result<std::vector<auth::UserName>> secretariat_people(db::Transaction& tx) {
  return auth::users_with_role(tx, auth::Role::kSecretariat);
}

Result<std::int64_t> log_support(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id,
                                 const SupportLog& given, Instant now) {
  auto op = operator_for(tx, who, operator_id, auth::Action::kLogSupport);
  if (!op) return fail(op.error());
  SupportLog entry = given;
  entry.operator_id = operator_id;
  if (auto r = check_secretariat_user(tx, entry.next_step_owner, "次のアクションの担当者"); !r) return fail(r.error());
  auto id = store::insert_support_log(tx, entry, now, who.user_id);
  if (!id) return id;
  if (auto r = audited(tx, who, "operation.support_log", fmt::format("support_log:{}", *id), now,
                       {{"operator", operator_id}, {"kind", to_string(entry.kind)}, {"next_step", !entry.next_step.empty()}});
      !r)
    return fail(r.error());
  if (auto r = notify_owner(tx, who, *op, entry, now); !r) return fail(r.error());
  return id;
}

Result<void> update_support_log(db::Transaction& tx, const auth::Principal& who, std::int64_t id, const SupportLog& given,
                                Instant now) {
  auto existing = store::find_support_log(tx, id);
  if (!existing) return fail(existing.error());
  if (!*existing) return fail(Error::not_found("支援記録が見つかりません"));
  auto op = operator_for(tx, who, (*existing)->operator_id, auth::Action::kLogSupport);
  if (!op) return fail(op.error());
  SupportLog entry = given;
  entry.operator_id = (*existing)->operator_id;
  if (auto r = check_secretariat_user(tx, entry.next_step_owner, "次のアクションの担当者"); !r) return r;
  if (auto r = store::update_support_log(tx, id, entry); !r) return r;
  if (auto r = audited(tx, who, "operation.support_log_update", fmt::format("support_log:{}", id), now,
                       {{"operator", entry.operator_id}, {"kind", to_string(entry.kind)}});
      !r)
    return r;
  if (entry.next_step_owner != (*existing)->next_step_owner || entry.next_step != (*existing)->next_step)
    return notify_owner(tx, who, *op, entry, now);
  return {};
}

Result<void> complete_next_step(db::Transaction& tx, const auth::Principal& who, std::int64_t id, Instant now) {
  auto existing = store::find_support_log(tx, id);
  if (!existing) return fail(existing.error());
  if (!*existing) return fail(Error::not_found("支援記録が見つかりません"));
  const SupportLog& entry = **existing;
  bool owner = entry.next_step_owner && *entry.next_step_owner == who.user_id;
  auto op = operator_for(tx, who, entry.operator_id, owner ? auth::Action::kViewSupport : auth::Action::kLogSupport);
  if (!op) return fail(op.error());
  if (entry.next_step.empty()) return fail(Error::invalid("この記録には次のアクションがありません"));
  if (entry.next_step_done_at) return fail(Error::conflict("この次のアクションは完了済みです"));
  if (auto r = store::set_next_step_done(tx, id, now); !r) return r;
  return audited(tx, who, "operation.next_step_done", fmt::format("support_log:{}", id), now,
                 {{"operator", entry.operator_id}});
}

std::vector<FieldError> read_mentoring(const MentoringForm& form, Mentoring& out) {
  std::vector<FieldError> errors;
  out.startup_name = trimmed(form.startup_name);
  if (out.startup_name.empty()) errors.push_back({"startup_name", "スタートアップ名を入力してください"});
  check_length(errors, out.startup_name, kTitleLimit, "startup_name", "スタートアップ名");
  if (auto stage = startup_stage_from(form.stage)) {
    out.stage = *stage;
  } else {
    errors.push_back({"stage", "ステージを選んでください"});
  }
  out.goals = trimmed(form.goals);
  check_length(errors, out.goals, kTextLimit, "goals", "目標");
  out.mentor_user_id.reset();
  if (!form.mentor_user_id.empty()) {
    out.mentor_user_id = positive_id(form.mentor_user_id);
    if (!out.mentor_user_id) errors.push_back({"mentor_user_id", "メンターを一覧から選んでください"});
  }
  return errors;
}

std::vector<FieldError> read_mentoring_session(const MentoringSessionForm& form, MentoringSession& out) {
  std::vector<FieldError> errors;
  read_date(errors, trimmed(form.held_on), "held_on", "実施日", out.held_on);
  out.notes = trimmed(form.notes);
  if (out.notes.empty()) errors.push_back({"notes", "面談の記録を入力してください"});
  check_length(errors, out.notes, kTextLimit, "notes", "面談の記録");
  out.next_step = trimmed(form.next_step);
  check_length(errors, out.next_step, kTitleLimit, "next_step", "次のアクション");
  return errors;
}

Result<std::optional<std::vector<Mentoring>>> mentorings(db::Transaction& tx, const auth::Principal& who,
                                                       std::int64_t operator_id) {
  auto op = operator_for(tx, who, operator_id, auth::Action::kViewSupport);
  if (!op) {
    if (op.error().code == ErrorCode::kNotFound) return std::optional<std::vector<Mentoring>>{};
    return fail(op.error());
  }
  auto list = store::mentorings_of(tx, operator_id);
  if (!list) return fail(list.error());
  return std::optional<std::vector<Mentoring>>{std::move(*list)};
}

Result<std::optional<Mentoring>> find_mentoring(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  auto m = store::find_mentoring(tx, id);
  if (!m || !*m) return m;
  auto op = operator_for(tx, who, (*m)->operator_id, auth::Action::kViewSupport);
  if (!op) {
    if (op.error().code == ErrorCode::kNotFound) return std::optional<Mentoring>{};
    return fail(op.error());
  }
  return m;
}

Result<std::int64_t> create_mentoring(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id,
                                      const Mentoring& given, Instant now) {
  auto op = operator_for(tx, who, operator_id, auth::Action::kLogSupport);
  if (!op) return fail(op.error());
  Mentoring m = given;
  m.operator_id = operator_id;
  if (auto r = check_secretariat_user(tx, m.mentor_user_id, "メンター"); !r) return fail(r.error());
  auto id = store::insert_mentoring(tx, m, now);
  if (!id) return id;
  if (auto r = audited(tx, who, "operation.mentoring", fmt::format("mentoring:{}", *id), now,
                       {{"operator", operator_id}, {"stage", to_string(m.stage)}});
      !r)
    return fail(r.error());
  return id;
}

Result<void> update_mentoring(db::Transaction& tx, const auth::Principal& who, std::int64_t id, const Mentoring& given,
                              Instant now) {
  auto existing = store::find_mentoring(tx, id);
  if (!existing) return fail(existing.error());
  if (!*existing) return fail(Error::not_found("メンタリングの記録が見つかりません"));
  auto op = operator_for(tx, who, (*existing)->operator_id, auth::Action::kLogSupport);
  if (!op) return fail(op.error());
  if (auto r = check_secretariat_user(tx, given.mentor_user_id, "メンター"); !r) return r;
  if (auto r = store::update_mentoring(tx, id, given, now); !r) return r;
  return audited(tx, who, "operation.mentoring_update", fmt::format("mentoring:{}", id), now,
                 {{"operator", (*existing)->operator_id}, {"stage", to_string(given.stage)}});
}

Result<std::int64_t> add_mentoring_session(db::Transaction& tx, const auth::Principal& who, std::int64_t mentoring_id,
                                           const MentoringSession& given, Instant now) {
  auto existing = store::find_mentoring(tx, mentoring_id);
  if (!existing) return fail(existing.error());
  if (!*existing) return fail(Error::not_found("メンタリングの記録が見つかりません"));
  auto op = operator_for(tx, who, (*existing)->operator_id, auth::Action::kLogSupport);
  if (!op) return fail(op.error());
  MentoringSession s = given;
  s.mentoring_id = mentoring_id;
  auto id = store::insert_mentoring_session(tx, s, now, who.user_id);
  if (!id) return id;
  if (auto r = audited(tx, who, "operation.mentoring_session", fmt::format("mentoring:{}", mentoring_id), now,
                       {{"operator", (*existing)->operator_id}, {"session", *id}});
      !r)
    return fail(r.error());
  return id;
}

Result<std::vector<TodoItem>> todo(db::Transaction& tx, const auth::Principal& who, Date today) {
  std::vector<TodoItem> out;
  std::map<std::int64_t, std::optional<Operator>> seen;
  auto visible = [&](std::int64_t operator_id) -> Result<const Operator*> {
    auto it = seen.find(operator_id);
    if (it == seen.end()) {
      auto op = find_operator(tx, who, operator_id);
      if (!op) return fail(op.error());
      it = seen.emplace(operator_id, std::move(*op)).first;
    }
    return it->second ? &*it->second : nullptr;
  };
  auto steps = store::open_steps_of(tx, who.user_id);
  if (!steps) return fail(steps.error());
  for (const SupportLog& s : *steps) {
    auto op = visible(s.operator_id);
    if (!op) return fail(op.error());
    if (!*op) continue;
    out.push_back({TodoItem::Kind::kNextStep, s.id, s.operator_id, (*op)->name, s.next_step, s.topic, s.next_step_due,
                   s.next_step_due && *s.next_step_due < today});
  }
  auto milestones = store::open_milestones_of(tx, who.user_id);
  if (!milestones) return fail(milestones.error());
  for (const Milestone& m : *milestones) {
    auto op = visible(m.operator_id);
    if (!op) return fail(op.error());
    if (!*op) continue;
    out.push_back({TodoItem::Kind::kMilestone, m.id, m.operator_id, (*op)->name, m.title,
                   std::string(milestone_status_label(m.status)), m.due_on, m.due_on < today});
  }
  std::ranges::stable_sort(out, [](const TodoItem& a, const TodoItem& b) {
    if (a.due.has_value() != b.due.has_value()) return a.due.has_value();
    if (a.due != b.due) return *a.due < *b.due;
    return a.title < b.title;
  });
  return out;
}

}  // namespace kakehashi::operations
