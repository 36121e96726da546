#include <boost/json.hpp>
#include <fmt/format.h>

#include <map>

#include "auth/organisations.h"
#include "call/service.h"
#include "geo/geo.h"
#include "operations/service.h"
#include "operations/store_operators.h"

namespace kakehashi::operations {
namespace {

constexpr std::size_t kGoalLimit = 4000;
constexpr std::size_t kContactFieldLimit = 200;
constexpr std::size_t kContactsLimit = 10;

Result<void> audited(db::Transaction& tx, const audit::Actor& actor, std::string action, std::int64_t operator_id,
                     Instant now, const boost::json::object& detail = {}) {
  auto logged = audit::record(tx,
                              audit::entry_by(actor, std::move(action), fmt::format("operator:{}", operator_id),
                                              detail.empty() ? std::string() : boost::json::serialize(detail)),
                              now);
  if (!logged) return fail(logged.error());
  return {};
}

bool plausible_email(std::string_view email) {
  auto at = email.find('@');
  return at != std::string_view::npos && at > 0 && email.find('.', at) != std::string_view::npos &&
         email.find_first_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

Date fiscal_year_end(Date day) {
  int year = day.month() >= 4 ? day.year() + 1 : day.year();
  return *Date::from_ymd(year, 3, 31);
}

std::string join_messages(const std::vector<FieldError>& errors) {
  std::string out;
  for (const FieldError& e : errors) {
    if (!out.empty()) out += "／";
    out += e.message;
  }
  return out;
}

Result<int> adopt_published_results(db::Transaction& tx, const call::Call& caller_copy, const audit::Actor& actor,
                                    Instant now) {
  auto current = call::find_call(tx, caller_copy.id);
  if (!current) return fail(current.error());
  if (!*current) return fail(Error::not_found("公募が見つかりません"));
  const call::Call& c = **current;
  if (c.decision != call::DecisionState::kPublished)
    return fail(Error::invalid("結果の公表前に実証事業者を登録することはできません"));
  auto lines = call::decision(tx, c.id);
  if (!lines) return fail(lines.error());
  // One operator per winning application, with every block it won.
  std::map<std::int64_t, std::vector<OperatorBlock>> won;
  for (const call::DecisionLine& line : *lines) {
    if (line.application_id == 0) continue;
    won[line.application_id].push_back({line.block, line.amount});
  }
  Date from = tokyo_date(now);
  int created = 0;
  for (const auto& [application_id, blocks] : won) {
    auto application = call::find_application(tx, application_id);
    if (!application) return fail(application.error());
    if (!*application) return fail(Error::internal(fmt::format("decision names a missing application {}", application_id)));
    const call::Application& a = **application;
    auto existing = store::operator_of(tx, c.id, a.organisation_id);
    if (!existing) return fail(existing.error());
    if (*existing) continue;
    Operator op;
    op.call_id = c.id;
    op.organisation_id = a.organisation_id;
    op.name = a.organisation_name;
    op.blocks = blocks;
    for (const OperatorBlock& b : blocks) op.contract_amount += b.amount;
    op.contract_from = from;
    op.contract_to = std::max(fiscal_year_end(from), from);
    if (!a.contact_name.empty())
      op.contacts.push_back({0, a.contact_name, "連絡担当者", a.contact_email, a.contact_phone});
    if (!a.representative_name.empty() && a.representative_name != a.contact_name)
      op.contacts.push_back({0, a.representative_name, "代表者", "", ""});
    auto id = store::insert_operator(tx, op, now);
    if (!id) return fail(id.error());
    boost::json::array block_ids;
    for (const OperatorBlock& b : blocks) block_ids.emplace_back(b.block_id);
    if (auto r = audited(tx, actor, "operator.create", *id, now,
                         {{"call", c.id}, {"organisation", a.organisation_id}, {"blocks", block_ids},
                          {"contract_amount", op.contract_amount}});
        !r)
      return fail(r.error());
    ++created;
  }
  return created;
}

Result<std::optional<std::int64_t>> current_programme(db::Transaction& tx) { return store::latest_programme_call(tx); }

Result<std::vector<Operator>> all_operators(db::Transaction& tx, std::int64_t call_id) {
  return store::operators_of_call(tx, call_id);
}

Result<std::vector<Operator>> list_operators(db::Transaction& tx, const auth::Principal& who, std::int64_t call_id) {
  auto r = reach(tx, who, auth::Action::kViewOperations);
  if (!r) return fail(r.error());
  if (r->none()) return std::vector<Operator>{};
  auto all = store::operators_of_call(tx, call_id);
  if (!all) return fail(all.error());
  std::vector<Operator> out;
  for (Operator& op : *all) {
    if (covers(*r, op)) out.push_back(std::move(op));
  }
  return out;
}

Result<std::optional<Operator>> find_operator(db::Transaction& tx, std::int64_t operator_id) {
  return store::find_operator(tx, operator_id);
}

Result<std::optional<Operator>> find_operator(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id) {
  auto op = store::find_operator(tx, operator_id);
  if (!op || !*op) return op;
  auto visible = may(tx, who, auth::Action::kViewOperations, **op);
  if (!visible) return fail(visible.error());
  if (!*visible) return std::optional<Operator>{};
  return op;
}

Result<bool> may(db::Transaction& tx, const auth::Principal& who, auth::Action action, const Operator& op) {
  auto r = reach(tx, who, action);
  if (!r) return fail(r.error());
  return covers(*r, op);
}

std::vector<FieldError> validate(const OperatorChanges& changes) {
  std::vector<FieldError> errors;
  if (changes.contract_amount < 0)
    errors.push_back({"contract_amount", "契約金額は 0 円以上で入力してください"});
  if (changes.contract_to < changes.contract_from)
    errors.push_back({"contract_to", "契約期間の終了日は開始日以降にしてください"});
  if (changes.final_goal.size() > kGoalLimit)
    errors.push_back({"final_goal", fmt::format("最終目標は {} バイト以内で入力してください", kGoalLimit)});
  if (changes.project_target < 0 || changes.project_target > 10000)
    errors.push_back({"project_target", "プロジェクト数の目標は 0〜10000 の整数で入力してください"});
  if (changes.contacts.size() > kContactsLimit)
    errors.push_back({"contacts", fmt::format("連絡先は {} 件までです", kContactsLimit)});
  int n = 0;
  for (const Contact& c : changes.contacts) {
    ++n;
    if (c.name.empty()) errors.push_back({"contacts", fmt::format("連絡先 {} の氏名を入力してください", n)});
    if (c.name.size() > kContactFieldLimit || c.title.size() > kContactFieldLimit || c.email.size() > kContactFieldLimit ||
        c.phone.size() > kContactFieldLimit)
      errors.push_back({"contacts", fmt::format("連絡先 {} の項目が長すぎます", n)});
    if (!c.email.empty() && !plausible_email(c.email))
      errors.push_back({"contacts", fmt::format("連絡先 {} のメールアドレスの形式が正しくありません", n)});
  }
  return errors;
}

Result<void> update_operator(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id,
                             const OperatorChanges& changes, Instant now) {
  auto op = find_operator(tx, who, operator_id);
  if (!op) return fail(op.error());
  if (!*op) return fail(Error::not_found("実証事業者が見つかりません"));
  auto allowed = may(tx, who, auth::Action::kManageOperators, **op);
  if (!allowed) return fail(allowed.error());
  if (!*allowed) return fail(Error::denied("契約情報を変更する権限がありません"));
  if (auto errors = validate(changes); !errors.empty()) return fail(Error::invalid(join_messages(errors)));
  boost::json::array changed;
  if (changes.contract_amount != (*op)->contract_amount) changed.emplace_back("contract_amount");
  if (changes.contract_from != (*op)->contract_from) changed.emplace_back("contract_from");
  if (changes.contract_to != (*op)->contract_to) changed.emplace_back("contract_to");
  if (changes.final_goal != (*op)->final_goal) changed.emplace_back("final_goal");
  if (changes.project_target != (*op)->project_target) changed.emplace_back("project_target");
  bool contacts_changed = changes.contacts.size() != (*op)->contacts.size();
  for (std::size_t i = 0; !contacts_changed && i < changes.contacts.size(); ++i) {
    const Contact& a = changes.contacts[i];
    const Contact& b = (*op)->contacts[i];
    contacts_changed = a.name != b.name || a.title != b.title || a.email != b.email || a.phone != b.phone;
  }
  if (contacts_changed) changed.emplace_back("contacts");
  if (auto r = store::update_operator(tx, operator_id, changes, now); !r) return r;
  return audited(tx, audit::Actor::user(who.user_id), "operator.update", operator_id, now,
                 {{"fields", changed}, {"contract_amount", changes.contract_amount}});
}

Result<void> update_plan(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id,
                         const std::string& final_goal, int project_target, Instant now) {
  auto op = find_operator(tx, who, operator_id);
  if (!op) return fail(op.error());
  if (!*op) return fail(Error::not_found("実証事業者が見つかりません"));
  auto allowed = may(tx, who, auth::Action::kEditOperatorPlan, **op);
  if (!allowed) return fail(allowed.error());
  if (!*allowed) return fail(Error::denied("最終目標を変更する権限がありません"));
  OperatorChanges changes{(*op)->contract_amount, (*op)->contract_from, (*op)->contract_to, final_goal, project_target,
                          (*op)->contacts};
  if (auto errors = validate(changes); !errors.empty()) return fail(Error::invalid(join_messages(errors)));
  if (auto r = store::update_operator(tx, operator_id, changes, now); !r) return r;
  return audited(tx, audit::Actor::user(who.user_id), "operator.plan", operator_id, now, {{"project_target", project_target}});
}

Result<Settings> settings(db::Transaction& tx) {
  Settings out;
  auto weeks = store::setting(tx, "inactivity_weeks");
  if (!weeks) return fail(weeks.error());
  if (*weeks) out.inactivity_weeks = std::atoi((*weeks)->c_str());
  auto cap = store::setting(tx, "programme_cap");
  if (!cap) return fail(cap.error());
  if (*cap) out.programme_cap = std::atoll((*cap)->c_str());
  return out;
}

std::vector<FieldError> validate(const Settings& s) {
  std::vector<FieldError> errors;
  if (s.inactivity_weeks < 1 || s.inactivity_weeks > 26)
    errors.push_back({"inactivity_weeks", "活動なしと判定するまでの週数は 1〜26 の整数で入力してください"});
  if (s.programme_cap <= 0) errors.push_back({"programme_cap", "事業全体の予算上限は 1 円以上で入力してください"});
  return errors;
}

Result<void> update_settings(db::Transaction& tx, const auth::Principal& who, const Settings& s, Instant now) {
  if (!auth::may(who, auth::Action::kManageOperators)) return fail(Error::denied("設定を変更する権限がありません"));
  if (auto errors = validate(s); !errors.empty()) return fail(Error::invalid(join_messages(errors)));
  if (auto r = store::set_setting(tx, "inactivity_weeks", std::to_string(s.inactivity_weeks)); !r) return r;
  if (auto r = store::set_setting(tx, "programme_cap", std::to_string(s.programme_cap)); !r) return r;
  auto logged = audit::record(
      tx,
      audit::entry_by(audit::Actor::user(who.user_id), "operations.settings", "operations_settings",
                      boost::json::serialize(boost::json::object{{"inactivity_weeks", s.inactivity_weeks},
                                                                 {"programme_cap", s.programme_cap}})),
      now);
  if (!logged) return fail(logged.error());
  return {};
}

}  // namespace kakehashi::operations
