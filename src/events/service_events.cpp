// Events, their programme and costs, and who may see them.
#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>

#include "audit/audit.h"
#include "auth/password.h"
#include "auth/policy.h"
#include "base/text.h"
#include "events/service.h"
#include "events/service_support.h"
#include "events/store.h"
#include "operations/budget.h"
#include "operations/service.h"

namespace kakehashi::events {
namespace {

// True when a kOwnOrganisation grant of `action` reaches `event` (the co-hosting operator is
// `who`'s organisation).
Result<bool> reaches(db::Transaction& tx, const auth::Principal& who, auth::Action action, const Event& event) {
  bool own = false;
  for (const auth::Grant& grant : auth::policy_table()) {
    if (grant.action != action || !who.has(grant.role)) continue;
    if (grant.scope == auth::Scope::kAll) return true;
    if (grant.scope == auth::Scope::kOwnOrganisation) own = true;
  }
  if (!own || !who.organisation_id || !event.cohost_operator_id) return false;
  auto op = operations::find_operator(tx, *event.cohost_operator_id);
  if (!op) return fail(op.error());
  return *op && (*op)->organisation_id == *who.organisation_id;
}

std::string random_slug_part() {
  static constexpr std::string_view kAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  std::string bytes = auth::sha256(auth::random_token(16));
  std::string out;
  for (int i = 0; i < 4; ++i) out += kAlphabet[static_cast<unsigned char>(bytes[i]) % kAlphabet.size()];
  return out;
}

}  // namespace

Result<EventAccess> access(db::Transaction& tx, const auth::Principal& who, const Event& event) {
  EventAccess out;
  auto view = reaches(tx, who, auth::Action::kViewEvents, event);
  if (!view) return fail(view.error());
  out.view = *view;
  auto manage = reaches(tx, who, auth::Action::kManageEvents, event);
  if (!manage) return fail(manage.error());
  out.manage = *manage;
  auto personal = reaches(tx, who, auth::Action::kViewRegistrants, event);
  if (!personal) return fail(personal.error());
  out.personal = *personal;
  auto checkin = reaches(tx, who, auth::Action::kCheckIn, event);
  if (!checkin) return fail(checkin.error());
  out.checkin = *checkin;
  return out;
}

Result<std::vector<EventSummary>> list_events(db::Transaction& tx, const auth::Principal& who) {
  auto all = store::events(tx);
  if (!all) return fail(all.error());
  auto counts = store::all_counts(tx);
  if (!counts) return fail(counts.error());
  std::vector<EventSummary> out;
  for (auto& event : *all) {
    auto may = reaches(tx, who, auth::Action::kViewEvents, event);
    if (!may) return fail(may.error());
    if (!*may) continue;
    Counts c = counts->contains(event.id) ? counts->at(event.id) : Counts{};
    out.push_back({std::move(event), c});
  }
  return out;
}

Result<std::optional<Event>> find_event(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  auto event = store::find_event(tx, id);
  if (!event) return fail(event.error());
  if (!*event) return event;
  auto may = reaches(tx, who, auth::Action::kViewEvents, **event);
  if (!may) return fail(may.error());
  if (!*may) return std::optional<Event>{};
  return event;
}

Result<std::optional<Event>> find_public_event(db::Transaction& tx, const std::string& slug) {
  if (slug.empty() || slug.size() > 40) return std::optional<Event>{};
  auto event = store::find_event_by_slug(tx, slug);
  if (!event) return fail(event.error());
  if (*event && !(*event)->published) return std::optional<Event>{};
  return event;
}

Result<Counts> event_counts(db::Transaction& tx, const Event& event) { return store::counts(tx, event.id); }

Result<std::vector<UpcomingEvent>> list_upcoming_events(db::Transaction& tx, const auth::Principal* who, Instant now,
                                                        int limit) {
  auto events = store::upcoming_events(tx, now, std::clamp(limit, 1, 100) * 4);
  if (!events) return fail(events.error());
  std::vector<UpcomingEvent> out;
  for (const Event& event : *events) {
    if (int(out.size()) >= limit) break;
    bool visible = event.published;
    if (!visible && who) {
      auto may = reaches(tx, *who, auth::Action::kViewEvents, event);
      if (!may) return fail(may.error());
      visible = *may;
    }
    if (!visible) continue;
    out.push_back({event.id, event.title, event.starts_at, place_label(event), event.kind,
                   std::string(event_kind_label(event.kind))});
  }
  return out;
}

Result<std::int64_t> create_event(db::Transaction& tx, const auth::Principal& who, Event event, Instant now) {
  if (!auth::may(who, auth::Action::kManageEvents)) return fail(Error::denied("イベントを作成する権限がありません"));
  if (event.cohost_operator_id) {
    auto op = operations::find_operator(tx, *event.cohost_operator_id);
    if (!op) return fail(op.error());
    if (!*op) return fail(Error::invalid("共催する実証事業者が見つかりません"));
  }
  std::string day = tokyo_date(event.starts_at).iso();
  std::erase(day, '-');
  for (int attempt = 0;; ++attempt) {
    event.slug = day + "-" + random_slug_part();
    auto taken = store::find_event_by_slug(tx, event.slug);
    if (!taken) return fail(taken.error());
    if (!*taken) break;
    if (attempt > 20) return fail(Error::internal("event slug: no free value"));
  }
  auto id = store::insert_event(tx, event, now);
  if (!id) return fail(id.error());
  boost::json::object detail{{"kind", to_string(event.kind)}, {"capacity", event.capacity}, {"published", event.published}};
  if (auto logged = audit::record(tx, audit::entry_by(audit::Actor::user(who.user_id), "event.create",
                                                      fmt::format("event:{}", *id), boost::json::serialize(detail)),
                                  now);
      !logged)
    return fail(logged.error());
  return *id;
}

Result<void> update_event(db::Transaction& tx, const auth::Principal& who, const Event& event, const std::string& site,
                          Instant now) {
  auto current = store::find_event(tx, event.id);
  if (!current) return fail(current.error());
  if (!*current) return fail(Error::not_found("イベントが見つかりません"));
  auto may = reaches(tx, who, auth::Action::kManageEvents, **current);
  if (!may) return fail(may.error());
  if (!*may) return fail(Error::denied("このイベントを変更する権限がありません"));
  if (event.cohost_operator_id && event.cohost_operator_id != (*current)->cohost_operator_id) {
    auto op = operations::find_operator(tx, *event.cohost_operator_id);
    if (!op) return fail(op.error());
    if (!*op) return fail(Error::invalid("共催する実証事業者が見つかりません"));
  }
  if (auto done = store::update_event(tx, event, now); !done) return done;
  boost::json::object detail{{"capacity", event.capacity}, {"published", event.published},
                             {"matchmaking", event.matchmaking}};
  if (auto logged = audit::record(tx, audit::entry_by(audit::Actor::user(who.user_id), "event.update",
                                                      fmt::format("event:{}", event.id), boost::json::serialize(detail)),
                                  now);
      !logged)
    return fail(logged.error());
  // A raised capacity frees seats: the first in line receive offers.
  return fill_seats(tx, event, site, now);
}

Result<std::vector<ProgrammeSession>> programme(db::Transaction& tx, std::int64_t event_id) {
  return store::sessions(tx, event_id);
}

std::vector<FieldError> read_session(const std::string& starts, const std::string& title, const std::string& speakers,
                                     const std::string& description, ProgrammeSession& out) {
  std::vector<FieldError> errors;
  out.starts = text::clean_name(starts);
  bool time_ok = out.starts.size() == 5 && out.starts[2] == ':' && std::isdigit(static_cast<unsigned char>(out.starts[0])) &&
                 std::isdigit(static_cast<unsigned char>(out.starts[1])) && std::isdigit(static_cast<unsigned char>(out.starts[3])) &&
                 std::isdigit(static_cast<unsigned char>(out.starts[4])) && out.starts.substr(0, 2) < "24" && out.starts.substr(3) < "60";
  if (!time_ok) errors.push_back({"starts", "開始時刻を 13:30 の形で入力してください"});
  out.title = clean_title(title);
  if (out.title.empty()) errors.push_back({"session_title", "セッション名を入力してください"});
  if (text::count_code_points(out.title) > 100) errors.push_back({"session_title", "セッション名は 100 文字以内で入力してください"});
  out.speakers = clean_title(speakers);
  if (text::count_code_points(out.speakers) > 200) errors.push_back({"speakers", "登壇者は 200 文字以内で入力してください"});
  out.description = std::string(text::trim(description));
  if (text::count_code_points(out.description) > 1000) errors.push_back({"description", "内容は 1000 文字以内で入力してください"});
  return errors;
}

Result<std::int64_t> add_session(db::Transaction& tx, const auth::Principal& who, const Event& event,
                                 const ProgrammeSession& session, Instant now) {
  auto may = reaches(tx, who, auth::Action::kManageEvents, event);
  if (!may) return fail(may.error());
  if (!*may) return fail(Error::denied("このイベントを変更する権限がありません"));
  ProgrammeSession s = session;
  s.event_id = event.id;
  auto id = store::insert_session(tx, s);
  if (!id) return fail(id.error());
  boost::json::object detail{{"session", *id}};
  if (auto logged = audit::record(tx, audit::entry_by(audit::Actor::user(who.user_id), "event.session_add",
                                                      fmt::format("event:{}", event.id), boost::json::serialize(detail)),
                                  now);
      !logged)
    return fail(logged.error());
  return *id;
}

Result<void> delete_session(db::Transaction& tx, const auth::Principal& who, const Event& event, std::int64_t session_id,
                            Instant now) {
  auto may = reaches(tx, who, auth::Action::kManageEvents, event);
  if (!may) return fail(may.error());
  if (!*may) return fail(Error::denied("このイベントを変更する権限がありません"));
  auto deleted = store::delete_session(tx, event.id, session_id);
  if (!deleted) return fail(deleted.error());
  if (!*deleted) return fail(Error::not_found("セッションが見つかりません"));
  boost::json::object detail{{"session", session_id}};
  if (auto logged = audit::record(tx, audit::entry_by(audit::Actor::user(who.user_id), "event.session_delete",
                                                      fmt::format("event:{}", event.id), boost::json::serialize(detail)),
                                  now);
      !logged)
    return fail(logged.error());
  return {};
}

std::vector<FieldError> read_cost(const std::string& category, const std::string& description, const std::string& amount,
                                  const std::string& spent_on, Cost& out) {
  std::vector<FieldError> errors;
  if (std::ranges::find(kCostCategories, category) == std::end(kCostCategories)) {
    errors.push_back({"category", "費目を選んでください"});
  } else {
    out.category = category;
  }
  out.description = clean_title(description);
  if (out.description.empty()) errors.push_back({"cost_description", "内容を入力してください"});
  if (text::count_code_points(out.description) > 200) errors.push_back({"cost_description", "内容は 200 文字以内で入力してください"});
  std::string typed = text::clean_name(amount);
  std::erase(typed, ',');
  std::erase(typed, ' ');
  if (typed.ends_with("円")) typed.resize(typed.size() - std::string_view("円").size());
  bool digits = !typed.empty() && typed.size() <= 12 &&
                std::ranges::all_of(typed, [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (!digits) {
    errors.push_back({"amount", "金額を半角または全角の数字で入力してください（例: 350000）"});
  } else {
    out.amount = std::stoll(typed);
  }
  auto day = Date::parse(text::clean_name(spent_on));
  if (!day) {
    errors.push_back({"spent_on", "支出日を入力してください（例: 2027-01-20）"});
  } else {
    out.spent_on = *day;
  }
  return errors;
}

Result<std::vector<Cost>> costs(db::Transaction& tx, const auth::Principal& who, const Event& event) {
  auto may = reaches(tx, who, auth::Action::kViewEvents, event);
  if (!may) return fail(may.error());
  if (!*may) return fail(Error::denied("このイベントを見る権限がありません"));
  return store::costs(tx, event.id);
}

Result<std::int64_t> add_cost(db::Transaction& tx, const auth::Principal& who, const Event& event, Cost cost, Instant now) {
  auto may = reaches(tx, who, auth::Action::kManageEvents, event);
  if (!may) return fail(may.error());
  if (!*may) return fail(Error::denied("このイベントを変更する権限がありません"));
  cost.event_id = event.id;
  cost.expense_id.reset();
  // The programme budget: the same money as an expense of the current programme year.
  auto year = operations::current_programme(tx);
  if (!year) return fail(year.error());
  if (*year && auth::may(who, auth::Action::kManageBudget)) {
    operations::Expense expense;
    expense.call_id = **year;
    expense.spent_on = cost.spent_on;
    expense.category = operations::expense_category_from(cost.category).value_or(operations::ExpenseCategory::kOther);
    expense.budget_line = "イベント";
    expense.description = fmt::format("{}：{}", event.title, cost.description);
    if (text::count_code_points(expense.description) > 200) expense.description = cost.description;
    expense.amount = cost.amount;
    auto expense_id = operations::add_expense(tx, who, **year, expense, std::nullopt, now);
    if (!expense_id) return fail(expense_id.error());
    cost.expense_id = *expense_id;
  }
  auto id = store::insert_cost(tx, cost, now);
  if (!id) return fail(id.error());
  boost::json::object detail{{"cost", *id}, {"category", cost.category}, {"amount", cost.amount}};
  if (cost.expense_id) detail["expense"] = *cost.expense_id;
  if (auto logged = audit::record(tx, audit::entry_by(audit::Actor::user(who.user_id), "event.cost_add",
                                                      fmt::format("event:{}", event.id), boost::json::serialize(detail)),
                                  now);
      !logged)
    return fail(logged.error());
  return *id;
}

}  // namespace kakehashi::events
