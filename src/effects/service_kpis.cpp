// KPIs and actuals (issue 20): scope through operations' reach with kViewOperations / kEditOperatorPlan,
// each KPI attributed to one of its operator's blocks (the project's block when it has one).
#include <boost/json.hpp>
#include <cmath>
#include <charconv>
#include <fmt/format.h>

#include "audit/audit.h"
#include "effects/internal.h"
#include "effects/service.h"
#include "effects/store.h"
#include "geo/geo.h"
#include "operations/access.h"
#include "operations/projects.h"
#include "operations/service.h"
#include "survey/config.h"

namespace kakehashi::effects {
namespace detail {

std::string trimmed(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::optional<double> parse_number(std::string_view text) {
  std::string s = survey::normalize_answer(text);
  std::string digits;
  for (char c : s)
    if (c != ',') digits += c;
  if (digits.empty()) return std::nullopt;
  double value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

Result<void> audited(db::Transaction& tx, const auth::Principal& who, std::string action, std::string object,
                     const boost::json::object& detail, Instant now) {
  auto logged = audit::record(tx,
                              audit::entry_by(audit::Actor::user(who.user_id), std::move(action), std::move(object),
                                              boost::json::serialize(detail)),
                              now);
  if (!logged) return fail(logged.error());
  return {};
}

}  // namespace detail

using detail::parse_number;
using detail::trimmed;

Result<std::vector<operations::Operator>> visible_operators(db::Transaction& tx, const auth::Principal& who) {
  auto programme = operations::current_programme(tx);
  if (!programme) return fail(programme.error());
  if (!*programme) return std::vector<operations::Operator>{};
  auto all = operations::all_operators(tx, **programme);
  if (!all) return fail(all.error());
  auto reach = operations::reach(tx, who, auth::Action::kViewOperations);
  if (!reach) return fail(reach.error());
  std::vector<operations::Operator> out;
  for (auto& op : *all)
    if (operations::covers(*reach, op)) out.push_back(std::move(op));
  return out;
}

Result<std::optional<operations::Operator>> find_operator(db::Transaction& tx, const auth::Principal& who,
                                                          std::int64_t operator_id) {
  auto op = operations::find_operator(tx, operator_id);
  if (!op) return fail(op.error());
  if (!*op) return std::optional<operations::Operator>{};
  auto reach = operations::reach(tx, who, auth::Action::kViewOperations);
  if (!reach) return fail(reach.error());
  if (!operations::covers(*reach, **op)) return std::optional<operations::Operator>{};
  return *op;
}

Result<bool> may_edit(db::Transaction& tx, const auth::Principal& who, const operations::Operator& op) {
  auto reach = operations::reach(tx, who, auth::Action::kEditOperatorPlan);
  if (!reach) return fail(reach.error());
  return operations::covers(*reach, op);
}

namespace {

bool has_block(const operations::Operator& op, std::string_view block) {
  for (const auto& b : op.blocks)
    if (b.block_id == block) return true;
  return false;
}

// The KPIs of `kpis` whose block `who` reaches (an operator of two blocks seen by one bureau).
Result<std::vector<Kpi>> within_reach(db::Transaction& tx, const auth::Principal& who, std::vector<Kpi> kpis,
                                      const std::vector<operations::Operator>& ops) {
  auto reach = operations::reach(tx, who, auth::Action::kViewOperations);
  if (!reach) return fail(reach.error());
  std::vector<Kpi> out;
  for (Kpi& k : kpis) {
    for (const auto& op : ops) {
      if (op.id == k.operator_id && operations::covers_block(*reach, op, k.block_id)) {
        out.push_back(std::move(k));
        break;
      }
    }
  }
  return out;
}

}  // namespace

std::vector<FieldError> validate(db::Transaction& tx, const auth::Principal& who, const KpiDraft& d,
                                 const operations::Operator& op, Kpi& out) {
  std::vector<FieldError> errors;
  out = Kpi{};
  out.operator_id = op.id;
  out.block_id = trimmed(d.block_id);
  if (!trimmed(d.project_id).empty()) {
    auto id = parse_number(d.project_id);
    std::optional<operations::Project> project;
    if (id) {
      auto found = operations::find_project(tx, who, std::int64_t(*id));
      if (found && *found && (*found)->operator_id == op.id) project = **found;
    }
    if (!project) {
      errors.push_back({"project_id", "プロジェクトを一覧から選んでください"});
    } else {
      out.project_id = project->id;
      out.block_id = project->block_id;
    }
  }
  if (out.block_id.empty() && op.blocks.size() == 1) out.block_id = op.blocks.front().block_id;
  if (out.block_id.empty()) errors.push_back({"block_id", "ブロックを選んでください"});
  else if (!has_block(op, out.block_id)) errors.push_back({"block_id", "この実証事業者のブロックを選んでください"});
  out.shared_key = trimmed(d.shared_key);
  if (!out.shared_key.empty()) {
    const SharedIndicator* shared = find_shared_indicator(out.shared_key);
    if (!shared) {
      errors.push_back({"shared_key", "共通指標を一覧から選んでください"});
    } else {
      out.name = shared->name;
      out.unit = shared->unit;
      out.kind = shared->kind;
      out.cumulative = true;
    }
  } else {
    out.name = trimmed(d.name);
    out.unit = trimmed(d.unit);
    if (out.name.empty()) errors.push_back({"name", "指標名を入力してください"});
    else if (out.name.size() > 300) errors.push_back({"name", "指標名は 100 文字以内にしてください"});
    if (out.unit.empty()) errors.push_back({"unit", "単位を入力してください（例: 人、校、%）"});
    else if (out.unit.size() > 60) errors.push_back({"unit", "単位は 20 文字以内にしてください"});
    auto kind = kpi_kind_from(trimmed(d.kind));
    if (!kind) errors.push_back({"kind", "種類（産業への効果・教育への効果・活動量）を選んでください"});
    else out.kind = *kind;
    out.cumulative = trimmed(d.cumulative) != "0";
  }
  auto baseline = trimmed(d.baseline).empty() ? std::optional<double>(0) : parse_number(d.baseline);
  if (!baseline) errors.push_back({"baseline", "基準値は数値で入力してください"});
  else out.baseline = *baseline;
  auto target = parse_number(d.target);
  if (!target) errors.push_back({"target", "目標値を数値で入力してください"});
  else out.target = *target;
  if (baseline && target && *baseline == *target)
    errors.push_back({"target", "目標値は基準値と異なる値にしてください"});
  return errors;
}

std::vector<FieldError> validate(const ActualDraft& d, Actual& out) {
  std::vector<FieldError> errors;
  out = Actual{};
  out.period = survey::normalize_answer(d.period);
  if (out.period.size() == 7 && out.period[5] == 't') out.period[5] = 'T';
  if (!valid_period(out.period))
    errors.push_back({"period", "期間は月（例: 2026-10）または学期（例: 2026-T2）で入力してください"});
  auto value = parse_number(d.value);
  if (!value) errors.push_back({"value", "実績値を数値で入力してください"});
  else out.value = *value;
  out.source = trimmed(d.source);
  out.evidence = trimmed(d.evidence);
  if (out.source.empty()) errors.push_back({"source", "出典（数値の出どころ）を入力してください"});
  if (out.source.size() > 600) errors.push_back({"source", "出典は 200 文字以内にしてください"});
  if (out.evidence.size() > 3000) errors.push_back({"evidence", "根拠は 1000 文字以内にしてください"});
  return errors;
}

Result<std::vector<Kpi>> kpis_of(db::Transaction& tx, std::int64_t operator_id) {
  return store::kpis(tx, {operator_id});
}

Result<std::vector<Kpi>> visible_kpis(db::Transaction& tx, const auth::Principal& who) {
  auto ops = visible_operators(tx, who);
  if (!ops) return fail(ops.error());
  std::vector<std::int64_t> ids;
  for (const auto& op : *ops) ids.push_back(op.id);
  auto kpis = store::kpis(tx, ids);
  if (!kpis) return fail(kpis.error());
  return within_reach(tx, who, std::move(*kpis), *ops);
}

Result<std::optional<Kpi>> find_kpi(db::Transaction& tx, const auth::Principal& who, std::int64_t kpi_id) {
  auto kpi = store::find_kpi(tx, kpi_id);
  if (!kpi) return fail(kpi.error());
  if (!*kpi) return std::optional<Kpi>{};
  auto op = find_operator(tx, who, (*kpi)->operator_id);
  if (!op) return fail(op.error());
  if (!*op) return std::optional<Kpi>{};
  auto kept = within_reach(tx, who, {**kpi}, {**op});
  if (!kept) return fail(kept.error());
  if (kept->empty()) return std::optional<Kpi>{};
  return std::optional<Kpi>{std::move(kept->front())};
}

namespace {
Result<operations::Operator> editable_operator(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id) {
  auto op = find_operator(tx, who, operator_id);
  if (!op) return fail(op.error());
  if (!*op) return fail(Error::not_found("実証事業者が見つかりません"));
  auto editable = may_edit(tx, who, **op);
  if (!editable) return fail(editable.error());
  if (!*editable) return fail(Error::denied("この実証事業者の効果検証を変更する権限がありません"));
  return **op;
}
}  // namespace

Result<std::int64_t> create_kpi(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id,
                                const KpiDraft& draft, Instant now) {
  auto op = editable_operator(tx, who, operator_id);
  if (!op) return fail(op.error());
  Kpi kpi;
  auto errors = validate(tx, who, draft, *op, kpi);
  if (!errors.empty()) return fail(Error::invalid(operations::join_messages(errors)));
  auto id = store::insert_kpi(tx, kpi, now);
  if (!id) return fail(id.error());
  if (auto a = detail::audited(tx, who, "effects.kpi_create", fmt::format("effect_kpi:{}", *id),
                               {{"operator_id", operator_id}, {"shared_key", kpi.shared_key},
                                {"kind", std::string(to_string(kpi.kind))}},
                               now);
      !a)
    return fail(a.error());
  return *id;
}

Result<void> record_actual(db::Transaction& tx, const auth::Principal& who, std::int64_t kpi_id,
                           const ActualDraft& draft, Instant now) {
  auto kpi = find_kpi(tx, who, kpi_id);
  if (!kpi) return fail(kpi.error());
  if (!*kpi) return fail(Error::not_found("KPI が見つかりません"));
  auto op = editable_operator(tx, who, (*kpi)->operator_id);
  if (!op) return fail(op.error());
  Actual actual;
  auto errors = validate(draft, actual);
  if (!errors.empty()) return fail(Error::invalid(operations::join_messages(errors)));
  if (auto r = store::upsert_actual(tx, kpi_id, actual, who.user_id, now); !r) return r;
  return detail::audited(tx, who, "effects.kpi_actual", fmt::format("effect_kpi:{}", kpi_id),
                         {{"period", actual.period}, {"value", actual.value}}, now);
}

Result<void> update_kpi(db::Transaction& tx, const auth::Principal& who, std::int64_t kpi_id, const KpiDraft& draft,
                        Instant now) {
  auto kpi = find_kpi(tx, who, kpi_id);
  if (!kpi) return fail(kpi.error());
  if (!*kpi) return fail(Error::not_found("KPI が見つかりません"));
  auto op = editable_operator(tx, who, (*kpi)->operator_id);
  if (!op) return fail(op.error());
  Kpi changed;
  auto errors = validate(tx, who, draft, *op, changed);
  if (!errors.empty()) return fail(Error::invalid(operations::join_messages(errors)));
  changed.id = kpi_id;
  const Kpi& before = **kpi;
  // What changed, for the audit log (definitions only: no personal data in a KPI).
  boost::json::object changes;
  auto note = [&](const char* field, const auto& was, const auto& now_value) {
    if (was != now_value) changes[field] = boost::json::object{{"before", was}, {"after", now_value}};
  };
  note("name", before.name, changed.name);
  note("unit", before.unit, changed.unit);
  note("kind", std::string(to_string(before.kind)), std::string(to_string(changed.kind)));
  note("shared_key", before.shared_key, changed.shared_key);
  note("block_id", before.block_id, changed.block_id);
  note("project_id", before.project_id.value_or(0), changed.project_id.value_or(0));
  note("cumulative", before.cumulative, changed.cumulative);
  note("baseline", before.baseline, changed.baseline);
  note("target", before.target, changed.target);
  if (changes.empty()) return {};
  if (auto r = store::update_kpi(tx, changed, now); !r) return r;
  return detail::audited(tx, who, "effects.kpi_update", fmt::format("effect_kpi:{}", kpi_id), changes, now);
}

Result<void> delete_kpi(db::Transaction& tx, const auth::Principal& who, std::int64_t kpi_id, Instant now) {
  auto kpi = find_kpi(tx, who, kpi_id);
  if (!kpi) return fail(kpi.error());
  if (!*kpi) return fail(Error::not_found("KPI が見つかりません"));
  auto op = editable_operator(tx, who, (*kpi)->operator_id);
  if (!op) return fail(op.error());
  if (auto r = store::delete_kpi(tx, kpi_id); !r) return r;
  return detail::audited(tx, who, "effects.kpi_delete", fmt::format("effect_kpi:{}", kpi_id),
                         {{"operator_id", (*kpi)->operator_id}}, now);
}

}  // namespace kakehashi::effects
