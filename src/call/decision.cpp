// The committee's decision, METI approval, publication of results, and notifications.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "base/date.h"
#include "base/text.h"
#include "base/yen.h"
#include "call/store.h"
#include "call/store_internal.h"
#include "geo/geo.h"

namespace kakehashi::call {
Result<std::vector<DecisionLine>> decision(db::Transaction& tx, std::int64_t call_id) {
  auto rows = tx.query(
      "SELECT block_id, application_id, amount, proposed_application_id, rationale FROM call_decisions WHERE call_id = ?",
      {call_id});
  if (!rows) return fail(rows.error());
  std::vector<DecisionLine> out;
  for (const auto& block : geo::blocks()) {
    for (const auto& row : *rows) {
      if (row.text(0) != block.id) continue;
      out.push_back({row.text(0), row.optional_integer(1).value_or(0), row.integer(2), row.optional_integer(3), row.text(4)});
    }
  }
  return out;
}

Result<void> record_decision(db::Transaction& tx, const Call& call, const std::vector<DecisionLine>& lines,
                             const audit::Actor& actor, Instant now) {
  if (call.decision == DecisionState::kApproved || call.decision == DecisionState::kPublished)
    return fail(Error::conflict("承認済みの決定は変更できません"));
  std::set<std::string> seen;
  std::int64_t total = 0;
  for (const auto& line : lines) {
    if (std::find(call.blocks.begin(), call.blocks.end(), line.block) == call.blocks.end())
      return fail(Error::invalid(fmt::format("この公募の対象ではないブロックです: {}", line.block)));
    if (!seen.insert(line.block).second)
      return fail(Error::invalid(fmt::format("{}の採択が重複しています", geo::block_label(line.block))));
    if (text::trim(line.rationale).empty())
      return fail(Error::invalid(fmt::format("{}の選定理由を入力してください", geo::block_label(line.block))));
    if (auto p = detail::text_limit_problem(fmt::format("{}の選定理由", geo::block_label(line.block)), line.rationale, 2000);
        !p.empty())
      return fail(Error::invalid(p));
    if (line.application_id == 0) {
      if (line.amount != 0) return fail(Error::invalid(fmt::format("{}は該当なしのため交付額は 0 円です", geo::block_label(line.block))));
      continue;
    }
    auto application = find_application(tx, line.application_id);
    if (!application) return fail(application.error());
    if (!*application || (*application)->call_id != call.id || !(*application)->submitted ||
        !(*application)->applies_to(line.block))
      return fail(Error::invalid(fmt::format("{}に申請した提出済みの申請を選んでください", geo::block_label(line.block))));
    if (line.amount < call.award_min || line.amount > call.award_max)
      return fail(Error::invalid(fmt::format("{}の交付額 {} は範囲（{}〜{}）の外です", geo::block_label(line.block),
                                             format_yen(line.amount), format_yen(call.award_min),
                                             format_yen(call.award_max))));
    total += line.amount;
  }
  for (const auto& block : call.blocks) {
    if (!seen.contains(block))
      return fail(Error::invalid(fmt::format("{}の採択先を選んでください（各ブロック 1 件）", geo::block_label(block))));
  }
  if (total > call.budget_total)
    return fail(Error::invalid(fmt::format("交付額の合計 {} が予算上限 {} を超えています", format_yen(total),
                                           format_yen(call.budget_total))));
  if (auto r = tx.exec("DELETE FROM call_decisions WHERE call_id = ?", {call.id}); !r) return r;
  for (const auto& line : lines) {
    if (auto r = tx.exec(
            "INSERT INTO call_decisions (call_id, block_id, application_id, amount, proposed_application_id, rationale) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            {call.id, line.block, line.application_id ? db::Value{line.application_id} : db::null(), line.amount,
             db::nullable(line.proposed_application_id),
             std::string(text::trim(line.rationale))});
        !r)
      return r;
  }
  if (auto r = tx.exec(
          "UPDATE calls SET decision_state = 'recorded', decision_recorded_at = ?, decision_recorded_by = ?, "
          "approved_at = NULL, approved_by = NULL WHERE id = ?",
          {iso_utc(now), db::nullable(actor.user_id), call.id});
      !r)
    return r;
  int differs = 0;
  for (const auto& line : lines) differs += line.proposed_application_id.value_or(0) != line.application_id;
  auto a = audit::record(tx, audit::entry_by(actor, "selection.record", fmt::format("call:{}", call.id),
                                             fmt::format(R"({{"total":{},"differs_from_proposal":{}}})", total, differs)),
                         now);
  if (!a) return fail(a.error());
  return {};
}

Result<void> approve_decision(db::Transaction& tx, const Call& call, const audit::Actor& actor, Instant now) {
  if (call.decision != DecisionState::kRecorded)
    return fail(Error::conflict(call.decision == DecisionState::kNone ? "承認する委員会決定がまだ記録されていません"
                                                                      : "この決定はすでに承認されています"));
  if (auto r = tx.exec("UPDATE calls SET decision_state = 'approved', approved_at = ?, approved_by = ? WHERE id = ?",
                       {iso_utc(now), db::nullable(actor.user_id), call.id});
      !r)
    return r;
  auto a = audit::record(tx, audit::entry_by(actor, "selection.approve", fmt::format("call:{}", call.id)), now);
  if (!a) return fail(a.error());
  return {};
}

Result<int> publish_results(db::Transaction& tx, const Call& call, const audit::Actor& actor, Instant now) {
  if (call.decision != DecisionState::kApproved)
    return fail(Error::conflict(call.decision == DecisionState::kPublished ? "結果はすでに公表されています"
                                                                           : "経済産業省の承認後に公表できます"));
  auto lines = decision(tx, call.id);
  if (!lines) return fail(lines.error());
  auto apps = list_applications(tx, call.id, true);
  if (!apps) return fail(apps.error());
  if (auto r = tx.exec("UPDATE calls SET decision_state = 'published', results_published_at = ? WHERE id = ?",
                       {iso_utc(now), call.id});
      !r)
    return fail(r.error());
  int sent = 0;
  for (const auto& app : *apps) {
    std::string won;
    for (const auto& line : *lines) {
      if (line.application_id != 0 && line.application_id == app.id) won += (won.empty() ? "" : "・") + geo::block_label(line.block);
    }
    std::string body = won.empty() ? fmt::format("「{}」の審査結果をお知らせします。今回は不採択となりました。", call.title)
                                   : fmt::format("「{}」で {} の実証事業者に採択されました。", call.title, won);
    auto users = tx.query("SELECT id FROM users WHERE organisation_id = ? AND active = 1", {app.organisation_id});
    if (!users) return fail(users.error());
    for (const auto& user : *users) {
      if (auto r = notify(tx, user.integer(0), "審査結果のお知らせ", body, fmt::format("/my/applications/{}", app.id), now); !r)
        return fail(r.error());
      ++sent;
    }
  }
  // Each bureau hears about its own block.
  for (const auto& line : *lines) {
    if (line.application_id == 0) continue;
    auto users = tx.query(
        "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'bureau' AND u.block_id = ? AND "
        "u.active = 1",
        {line.block});
    if (!users) return fail(users.error());
    for (const auto& user : *users) {
      if (auto r = notify(tx, user.integer(0), "採択結果の公表",
                          fmt::format("「{}」の{}の採択結果が公表されました。", call.title, geo::block_label(line.block)),
                          fmt::format("/applications/{}", line.application_id), now);
          !r)
        return fail(r.error());
      ++sent;
    }
  }
  auto a = audit::record(tx, audit::entry_by(actor, "selection.publish", fmt::format("call:{}", call.id),
                                             fmt::format(R"({{"notifications":{}}})", sent)),
                         now);
  if (!a) return fail(a.error());
  return sent;
}

Result<void> notify(db::Transaction& tx, std::int64_t user_id, const std::string& title, const std::string& body,
                    const std::string& link, Instant now) {
  return tx.exec("INSERT INTO notifications (user_id, title, body, link, created_at) VALUES (?, ?, ?, ?, ?)",
                 {user_id, title, body, link, iso_utc(now)});
}

Result<std::vector<Notification>> notifications(db::Transaction& tx, std::int64_t user_id, int limit) {
  auto rows = tx.query(
      "SELECT id, title, body, link, created_at, read_at IS NOT NULL FROM notifications WHERE user_id = ? "
      "ORDER BY created_at DESC, id DESC LIMIT ?",
      {user_id, std::int64_t(limit)});
  if (!rows) return fail(rows.error());
  std::vector<Notification> out;
  for (const auto& row : *rows)
    out.push_back({row.integer(0), row.text(1), row.text(2), row.text(3), row.text(4), row.integer(5) != 0});
  return out;
}

Result<void> mark_read(db::Transaction& tx, std::int64_t user_id, Instant now) {
  return tx.exec("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
                 {iso_utc(now), user_id});
}

}  // namespace kakehashi::call
