// The call service: settings, criteria, guideline documents, publicity.
#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <cmath>

#include "base/date.h"
#include "base/text.h"
#include "base/yen.h"
#include "call/service.h"
#include "call/service_internal.h"
#include "call/store.h"
#include "geo/geo.h"

namespace kakehashi::call {

namespace detail {

std::string text_limit_problem(std::string_view label, const std::string& value, std::size_t limit) {
  std::size_t length = text::count_code_points(value);
  if (length <= limit) return {};
  return fmt::format("{}は {} 文字以内で入力してください（現在 {} 文字）", label, limit, length);
}

Result<void> audited(db::Transaction& tx, const audit::Actor& actor, std::string action, std::string object,
                     Instant now, const boost::json::object& detail) {
  std::string text = detail.empty() ? std::string() : boost::json::serialize(detail);
  auto r = audit::record(tx, audit::entry_by(actor, std::move(action), std::move(object), std::move(text)), now);
  if (!r) return fail(r.error());
  return {};
}

Result<Call> current_call(db::Transaction& tx, std::int64_t call_id) {
  auto call = store::find_call(tx, call_id);
  if (!call) return fail(call.error());
  if (!*call) return fail(Error::not_found("公募が見つかりません"));
  return std::move(**call);
}

}  // namespace detail

namespace {

std::string call_object(std::int64_t call_id) { return fmt::format("call:{}", call_id); }

// The settings as stored: the title without surrounding spaces.
CallSettings cleaned(CallSettings s) {
  s.title = std::string(text::trim(s.title));
  return s;
}

}  // namespace

std::vector<FieldProblem> settings_problems(const CallSettings& s) {
  std::vector<FieldProblem> problems;
  auto add = [&](std::string field, std::string message) { problems.push_back({std::move(field), std::move(message)}); };
  if (text::trim(s.title).empty()) add("title", "公募名を入力してください");
  if (auto p = detail::text_limit_problem("公募名", s.title, 200); !p.empty()) add("title", p);
  if (auto p = detail::text_limit_problem("概要", s.summary, 4000); !p.empty()) add("summary", p);
  if (s.closes_at <= s.opens_at) add("closes_at", "締切日時は受付開始日時より後にしてください");
  if (s.award_min <= 0) add("award_min", "交付額の下限は 1 円以上にしてください");
  if (s.award_max < s.award_min) add("award_max", "交付額の上限は下限以上にしてください");
  if (s.budget_total <= 0) add("budget_total", "予算上限は 1 円以上にしてください");
  if (s.blocks.empty()) add("blocks", "対象ブロックを 1 つ以上選んでください");
  for (const auto& block : s.blocks) {
    if (!geo::find_block(block)) add("blocks", fmt::format("対象ブロックが正しくありません: {}", block));
  }
  if (!s.blocks.empty() && s.award_min > 0 && s.budget_total > 0 &&
      s.award_min * std::int64_t(s.blocks.size()) > s.budget_total) {
    add("budget_total", fmt::format("予算上限 {} では全 {} ブロックに下限額 {} を交付できません", format_yen(s.budget_total),
                                    s.blocks.size(), format_yen(s.award_min)));
  }
  if (s.min_total && !std::isfinite(*s.min_total)) {
    add("min_total", "最低合計点は有限の数値で入力してください");
  } else if (s.min_total && *s.min_total < 0) {
    add("min_total", "最低合計点は 0 以上にしてください");
  } else if (s.min_total && *s.min_total > engine::kMaxScoreMagnitude) {
    add("min_total", fmt::format("最低合計点は {} 以下にしてください", engine::kMaxScoreMagnitude));
  }
  if (s.reviewers_per_application < 1 || s.reviewers_per_application > 10)
    add("reviewers_per_application", "1 件あたりの審査委員数は 1〜10 人にしてください");
  if (s.max_load < 1 || s.max_load > 200) add("max_load", "審査委員 1 人あたりの上限件数は 1〜200 件にしてください");
  if (s.review_deadline && *s.review_deadline <= s.closes_at)
    add("review_deadline", "審査期限は締切日時より後にしてください");
  return problems;
}

std::vector<std::string> validate(const CallSettings& s) { return messages(settings_problems(s)); }

Result<std::int64_t> create_call(db::Transaction& tx, const CallSettings& s, const audit::Actor& actor, Instant now) {
  if (auto problems = validate(s); !problems.empty()) return fail(Error::invalid(problems.front()));
  auto id = store::insert_call(tx, cleaned(s), actor.user_id, now);
  if (!id) return fail(id.error());
  if (auto a = detail::audited(tx, actor, "call.create", call_object(*id), now); !a) return fail(a.error());
  return *id;
}

Result<void> update_call(db::Transaction& tx, std::int64_t call_id, const CallSettings& s, const audit::Actor& actor,
                         Instant now) {
  auto current = detail::current_call(tx, call_id);
  if (!current) return fail(current.error());
  const Call& call = *current;
  if (auto problems = validate(s); !problems.empty()) return fail(Error::invalid(problems.front()));
  if (call.frozen(now)) {
    if (s.title != call.title || s.opens_at != call.opens_at || s.award_min != call.award_min ||
        s.award_max != call.award_max || s.budget_total != call.budget_total || s.min_total != call.min_total ||
        s.blocks != call.blocks) {
      return fail(Error::conflict("受付開始後は公募名・受付開始日時・対象ブロック・交付額・予算・最低合計点を変更できません"));
    }
    if (s.closes_at < call.closes_at) return fail(Error::conflict("受付開始後は締切を早めることはできません（延長のみ可能です）"));
  }
  // A later deadline would open the call again beside a decision taken on the applications so far.
  if (call.decision != DecisionState::kNone && s.closes_at != call.closes_at)
    return fail(Error::conflict("委員会の決定が記録された公募の締切は変更できません"));
  if (auto r = store::update_call(tx, call_id, cleaned(s)); !r) return r;
  return detail::audited(tx, actor, "call.update", call_object(call_id), now, {{"closes_at", iso_utc(s.closes_at)}});
}

Result<std::optional<Call>> find_call(db::Transaction& tx, std::int64_t call_id) { return store::find_call(tx, call_id); }

Result<std::vector<Call>> list_calls(db::Transaction& tx, bool published_only) {
  return store::list_calls(tx, published_only);
}

Result<void> publish_call(db::Transaction& tx, std::int64_t call_id, const audit::Actor& actor, Instant now) {
  auto call = detail::current_call(tx, call_id);
  if (!call) return fail(call.error());
  if (call->published) return fail(Error::conflict("この公募はすでに公開されています"));
  auto items = store::criteria(tx, call_id);
  if (!items) return fail(items.error());
  if (items->empty()) return fail(Error::invalid("審査基準を 1 つ以上登録してから公開してください"));
  if (call->blocks.empty()) return fail(Error::invalid("対象ブロックを選んでから公開してください"));
  if (call->closes_at <= now) return fail(Error::invalid("締切日時が過ぎています。締切を見直してから公開してください"));
  if (auto r = store::mark_published(tx, call_id); !r) return r;
  return detail::audited(tx, actor, "call.publish", call_object(call_id), now);
}

Result<std::map<std::int64_t, ApplicationCounts>> application_counts(db::Transaction& tx) {
  return store::application_counts(tx);
}

Result<std::vector<Call>> review_calls(db::Transaction& tx) {
  auto calls = store::list_calls(tx, true);
  if (!calls) return fail(calls.error());
  auto counts = store::application_counts(tx);
  if (!counts) return fail(counts.error());
  std::vector<Call> out;
  for (auto& c : *calls) {
    auto it = counts->find(c.id);
    if (it != counts->end() && it->second.submitted > 0) out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<Criterion>> criteria(db::Transaction& tx, std::int64_t call_id) { return store::criteria(tx, call_id); }

std::vector<FieldProblem> criterion_problems(const Criterion& c) {
  std::vector<FieldProblem> problems;
  if (text::trim(c.name).empty()) problems.push_back({"name", "審査項目名を入力してください"});
  if (auto p = detail::text_limit_problem("審査項目名", c.name, 100); !p.empty()) problems.push_back({"name", p});
  if (c.weight < 1 || c.weight > 100) problems.push_back({"weight", "配点の重みは 1〜100 の整数にしてください"});
  if (c.levels() < 2 || c.levels() > 10) problems.push_back({"level_1", "評価段階は 2〜10 段階にしてください"});
  for (int level = 1; level <= c.levels(); ++level) {
    if (text::trim(c.descriptors[std::size_t(level - 1)]).empty())
      problems.push_back({fmt::format("level_{}", level), fmt::format("評価段階 {} の説明を入力してください", level)});
  }
  return problems;
}

Result<std::int64_t> add_criterion(db::Transaction& tx, std::int64_t call_id, const Criterion& c,
                                   const audit::Actor& actor, Instant now) {
  auto call = detail::current_call(tx, call_id);
  if (!call) return fail(call.error());
  if (call->frozen(now)) return fail(Error::conflict("受付開始後は審査基準を変更できません"));
  if (auto problems = criterion_problems(c); !problems.empty()) return fail(Error::invalid(problems.front().message));
  Criterion stored = c;
  stored.name = std::string(text::trim(c.name));
  for (auto& descriptor : stored.descriptors) descriptor = std::string(text::trim(descriptor));
  auto id = store::insert_criterion(tx, call_id, stored);
  if (!id) return fail(id.error());
  if (auto a = detail::audited(tx, actor, "call.criterion_add", call_object(call_id), now, {{"criterion", *id}}); !a)
    return fail(a.error());
  return *id;
}

Result<void> delete_criterion(db::Transaction& tx, std::int64_t call_id, std::int64_t criterion_id,
                              const audit::Actor& actor, Instant now) {
  auto call = detail::current_call(tx, call_id);
  if (!call) return fail(call.error());
  if (call->frozen(now)) return fail(Error::conflict("受付開始後は審査基準を変更できません"));
  auto deleted = store::delete_criterion(tx, call_id, criterion_id);
  if (!deleted) return fail(deleted.error());
  if (!*deleted) return fail(Error::not_found("審査項目が見つかりません"));
  return detail::audited(tx, actor, "call.criterion_delete", call_object(call_id), now, {{"criterion", criterion_id}});
}

Result<std::int64_t> add_document(db::Transaction& tx, std::int64_t call_id, const std::string& title,
                                  const std::string& file_name, const std::string& content_type,
                                  const std::string& sha256, const std::string& bytes, const audit::Actor& actor,
                                  Instant now) {
  if (text::trim(title).empty()) return fail(Error::invalid("資料名を入力してください"));
  if (auto p = detail::text_limit_problem("資料名", title, 100); !p.empty()) return fail(Error::invalid(p));
  auto stored = store::insert_document(tx, call_id, std::string(text::trim(title)), file_name, content_type, sha256,
                                       bytes, actor.user_id, now);
  if (!stored) return fail(stored.error());
  if (auto a = detail::audited(tx, actor, "call.document_add", call_object(call_id), now,
                               {{"document", stored->id}, {"version", stored->version}, {"sha256", sha256}});
      !a)
    return fail(a.error());
  return stored->id;
}

Result<std::vector<Document>> documents(db::Transaction& tx, std::int64_t call_id) {
  return store::documents(tx, call_id);
}

Result<std::optional<StoredFile>> document_file(db::Transaction& tx, std::int64_t call_id, std::int64_t document_id) {
  return store::document_file(tx, call_id, document_id);
}

Result<std::vector<Publicity>> publicity(db::Transaction& tx, std::int64_t call_id) {
  return store::publicity(tx, call_id);
}

Result<std::int64_t> add_publicity(db::Transaction& tx, std::int64_t call_id, const Publicity& e, const audit::Actor& actor,
                                   Instant now) {
  if (text::trim(e.published_on).empty()) return fail(Error::invalid("周知した日を入力してください"));
  auto date = Date::parse(e.published_on);
  if (!date) return fail(date.error());
  if (!publicity_channel_label(e.channel)) return fail(Error::invalid("周知の方法を一覧から選んでください"));
  if (text::trim(e.description).empty()) return fail(Error::invalid("周知の内容を入力してください"));
  if (auto p = detail::text_limit_problem("周知の内容", e.description, 500); !p.empty()) return fail(Error::invalid(p));
  std::string url(text::trim(e.url));
  if (!url.empty() && !url.starts_with("https://") && !url.starts_with("http://"))
    return fail(Error::invalid("URL は http:// または https:// で始めてください"));
  if (url.size() > 2000) return fail(Error::invalid("URL は 2000 文字以内で入力してください"));
  if (e.reach && *e.reach < 0) return fail(Error::invalid("周知した人数は 0 以上にしてください"));
  auto call = detail::current_call(tx, call_id);
  if (!call) return fail(call.error());
  Publicity stored = e;
  stored.published_on = date->iso();
  stored.description = std::string(text::trim(e.description));
  stored.url = url;
  auto id = store::insert_publicity(tx, call_id, stored, actor.user_id, now);
  if (!id) return fail(id.error());
  if (auto a = detail::audited(tx, actor, "call.publicity_add", call_object(call_id), now, {{"entry", *id}}); !a)
    return fail(a.error());
  return *id;
}

Result<void> delete_publicity(db::Transaction& tx, std::int64_t call_id, std::int64_t entry_id, const audit::Actor& actor,
                              Instant now) {
  auto deleted = store::delete_publicity(tx, call_id, entry_id);
  if (!deleted) return fail(deleted.error());
  if (!*deleted) return fail(Error::not_found("周知の記録が見つかりません"));
  return detail::audited(tx, actor, "call.publicity_delete", call_object(call_id), now, {{"entry", entry_id}});
}

}  // namespace kakehashi::call
