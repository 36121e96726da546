// The call service: results (weighted totals, normalisation, the solver's proposal), the
// committee's decision, METI's approval and publication with notifications.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "auth/users.h"
#include "base/date.h"
#include "base/text.h"
#include "base/yen.h"
#include "call/service.h"
#include "call/service_internal.h"
#include "call/store.h"
#include "notify/service.h"
#include "geo/geo.h"

namespace kakehashi::call {
namespace {

std::string call_object(std::int64_t call_id) { return fmt::format("call:{}", call_id); }

// The decision and its approval wait for the deadline: the committee decides on the
// applications the call received, not while it still receives them.
Result<void> closed(const Call& call, Instant now, std::string_view what) {
  if (call.published && now >= call.closes_at) return {};
  return fail(Error::conflict(
      fmt::format("締切（{}）の前は{}できません", tokyo_datetime_japanese(call.closes_at), what)));
}

}  // namespace

// ---- results

double Results::score(std::int64_t id) const {
  auto it = scored.find(id);
  if (it == scored.end()) return 0;
  return basis == ScoreBasis::kNormalised ? it->second.normalised : it->second.mean;
}

const ApplicationSummary* Results::application(std::int64_t id) const {
  for (const auto& a : applications) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

std::string Results::label(std::int64_t id) const {
  const auto* a = application(id);
  return a ? fmt::format("{}（{}）", a->organisation_name, a->receipt_number.value_or("")) : std::to_string(id);
}

std::optional<std::int64_t> Results::proposed_for(const std::string& block) const {
  if (!proposal) return std::nullopt;
  for (const auto& award : proposal->awards) {
    if (award.block == block) return std::stoll(award.application);
  }
  return std::nullopt;
}

Result<Results> results(db::Transaction& tx, const Call& c, ScoreBasis basis) {
  Results r;
  r.basis = basis;
  auto items = store::criteria(tx, c.id);
  if (!items) return fail(items.error());
  r.criteria = std::move(*items);
  auto apps = list_applications(tx, c.id, true);
  if (!apps) return fail(apps.error());
  r.applications = std::move(*apps);
  auto reviews = reviews_of_call(tx, c.id);
  if (!reviews) return fail(reviews.error());
  std::set<std::int64_t> submitted_ids;
  for (const auto& a : r.applications) submitted_ids.insert(a.id);
  std::vector<engine::ReviewTotal> totals;
  for (auto& review : *reviews) {
    if (!review.submitted || !submitted_ids.contains(review.application_id)) continue;
    double total = review.total(r.criteria);
    std::string reviewer = std::to_string(review.reviewer_id);
    r.reviewer_names[reviewer] = review.reviewer_name;
    r.totals[review.application_id].push_back({review.reviewer_name, total});
    totals.push_back({std::to_string(review.application_id), reviewer, total});
    ++r.review_count;
    r.reviews.push_back(std::move(review));
  }
  // The engine lists applications in order of first appearance: keep the receipt order.
  std::map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < r.applications.size(); ++i) position[std::to_string(r.applications[i].id)] = i;
  std::stable_sort(totals.begin(), totals.end(), [&](const engine::ReviewTotal& x, const engine::ReviewTotal& y) {
    return position.at(x.application) < position.at(y.application);
  });
  r.table = engine::compute_results(totals);
  for (const auto& result : r.table.applications) r.scored[std::stoll(result.application)] = result;
  std::vector<std::pair<std::string, std::string>> application_blocks;
  for (const auto& a : r.applications) {
    if (!r.scored.contains(a.id)) continue;
    for (const auto& b : a.blocks) application_blocks.emplace_back(std::to_string(a.id), b.block);
  }
  r.changes = engine::leader_changes(r.table, application_blocks);

  engine::SelectionInput input;
  input.budget_total = c.budget_total;
  input.award_min = c.award_min;
  input.award_max = c.award_max;
  input.min_score = c.min_total;
  for (const auto& a : r.applications) {
    if (!r.scored.contains(a.id)) continue;
    for (const auto& b : a.blocks) {
      if (std::find(c.blocks.begin(), c.blocks.end(), b.block) == c.blocks.end()) continue;
      input.applications.push_back({fmt::format("{}", a.id), std::to_string(a.organisation_id), b.block, r.score(a.id),
                                    b.requested, a.submitted_at.value_or("")});
    }
  }
  // The solver gives every block exactly one award; a block where nothing is eligible (no
  // reviewed application in the range and above the minimum) is left out of the proposal and
  // named, so the committee decides it (該当なし, a new call) instead of the proposal failing.
  for (const auto& block : c.blocks) {
    bool eligible = std::any_of(input.applications.begin(), input.applications.end(), [&](const engine::Candidate& x) {
      return x.block == block && x.requested >= c.award_min && x.requested <= c.award_max &&
             (!c.min_total || x.score >= *c.min_total);
    });
    (eligible ? input.blocks : r.without_candidates).push_back(block);
  }
  std::erase_if(input.applications, [&](const engine::Candidate& x) {
    return std::find(input.blocks.begin(), input.blocks.end(), x.block) == input.blocks.end();
  });
  // An application applying to two blocks is two candidates: give each its own id (the engine
  // wants ids unique) and map back.
  std::map<std::string, std::int64_t> candidate_application;
  for (auto& candidate : input.applications) {
    std::string id = candidate.id + "@" + candidate.block;
    candidate_application[id] = std::stoll(candidate.id);
    candidate.id = id;
  }
  auto solved = input.blocks.empty()
                    ? Result<engine::Selection>(fail(Error::invalid("採択できる申請がまだありません（審査が提出された申請がありません）")))
                    : engine::solve_selection(input);
  if (solved) {
    for (auto& award : solved->awards) award.application = std::to_string(candidate_application.at(award.application));
  }
  r.proposal = std::move(solved);
  return r;
}

// ---- decision

Result<std::vector<DecisionLine>> decision(db::Transaction& tx, std::int64_t call_id) {
  return store::decision(tx, call_id);
}

Result<std::vector<FieldProblem>> decision_problems(db::Transaction& tx, const Call& call,
                                                    const std::vector<DecisionLine>& lines) {
  std::vector<FieldProblem> problems;
  auto add = [&](std::string field, std::string message) { problems.push_back({std::move(field), std::move(message)}); };
  std::set<std::string> seen;
  std::int64_t total = 0;
  for (const auto& line : lines) {
    if (std::find(call.blocks.begin(), call.blocks.end(), line.block) == call.blocks.end()) {
      add("", fmt::format("この公募の対象ではないブロックです: {}", line.block));
      continue;
    }
    std::string block = geo::block_label(line.block);
    if (!seen.insert(line.block).second) {
      add("application_" + line.block, fmt::format("{}の採択が重複しています", block));
      continue;
    }
    if (text::trim(line.rationale).empty()) add("rationale_" + line.block, fmt::format("{}の選定理由を入力してください", block));
    if (auto p = detail::text_limit_problem(fmt::format("{}の選定理由", block), line.rationale, 2000); !p.empty())
      add("rationale_" + line.block, p);
    if (line.application_id == 0) {
      if (line.amount != 0) add("amount_" + line.block, fmt::format("{}は該当なしのため交付額は 0 円です", block));
      continue;
    }
    auto application = store::find_application(tx, line.application_id);
    if (!application) return fail(application.error());
    std::optional<std::int64_t> requested = *application ? (*application)->requested_for(line.block) : std::nullopt;
    if (!*application || (*application)->call_id != call.id || !(*application)->submitted || !requested) {
      add("application_" + line.block, fmt::format("{}に申請した提出済みの申請を選んでください", block));
      continue;
    }
    if (line.amount < call.award_min || line.amount > call.award_max) {
      add("amount_" + line.block, fmt::format("{}の交付額 {} は範囲（{}〜{}）の外です", block, format_yen(line.amount),
                                               format_yen(call.award_min), format_yen(call.award_max)));
    } else if (line.amount > *requested) {
      add("amount_" + line.block, fmt::format("{}の交付額 {} が申請額 {} を超えています", block, format_yen(line.amount),
                                               format_yen(*requested)));
    }
    total += line.amount;
  }
  for (const auto& block : call.blocks) {
    if (!seen.contains(block))
      add("application_" + block, fmt::format("{}の採択先を選んでください（各ブロック 1 件）", geo::block_label(block)));
  }
  if (total > call.budget_total)
    add("", fmt::format("交付額の合計 {} が予算上限 {} を超えています", format_yen(total), format_yen(call.budget_total)));
  return problems;
}

Result<void> record_decision(db::Transaction& tx, const Call& caller_copy, const std::vector<DecisionLine>& lines,
                             const audit::Actor& actor, Instant now, ScoreBasis basis) {
  auto current = detail::current_call(tx, caller_copy.id);
  if (!current) return fail(current.error());
  const Call& call = *current;
  if (call.decision == DecisionState::kApproved || call.decision == DecisionState::kPublished)
    return fail(Error::conflict("承認済みの決定は変更できません"));
  if (auto open = closed(call, now, "委員会の決定を記録"); !open) return open;
  auto problems = decision_problems(tx, call, lines);
  if (!problems) return fail(problems.error());
  if (!problems->empty()) return fail(Error::invalid(problems->front().message));
  std::int64_t total = 0;
  for (const auto& line : lines) total += line.amount;
  // The solver's proposal beside each line comes from the reviews, never from the form.
  auto computed = results(tx, call, basis);
  if (!computed) return fail(computed.error());
  std::vector<DecisionLine> stored = lines;
  int differs = 0;
  for (auto& line : stored) {
    line.proposed_application_id = computed->proposed_for(line.block);
    line.rationale = std::string(text::trim(line.rationale));
    differs += line.differs_from_proposal();
  }
  if (auto r = store::replace_decision(tx, call.id, stored); !r) return r;
  if (auto r = store::mark_decision_recorded(tx, call.id, actor.user_id, now); !r) return r;
  if (auto a = detail::audited(tx, actor, "selection.record", call_object(call.id), now,
                               {{"total", total}, {"differs_from_proposal", differs}});
      !a)
    return a;
  // METI hears that a decision awaits approval (the recorder cannot approve it).
  auto approvers = auth::users_with_role(tx, auth::Role::kMeti);
  if (!approvers) return fail(approvers.error());
  for (const auto& user : *approvers) {
    if (user.id == actor.user_id) continue;
    if (auto n = notify::notify_user(tx, user.id, "委員会の決定の承認依頼",
                                     fmt::format("「{}」の委員会の決定が記録されました（交付額の合計 {}）。内容を確認し、承認または差し戻しをしてください。",
                                                 call.title, format_yen(total)),
                                     fmt::format("/admin/calls/{}/results", call.id), now);
        !n)
      return n;
  }
  return {};
}

namespace {

// The secretariat (every active secretariat user, and whoever recorded the decision) hears
// about the decision's next step on the results page.
Result<void> tell_secretariat(db::Transaction& tx, const Call& call, const std::string& title, const std::string& body,
                              Instant now) {
  auto staff = auth::users_with_role(tx, auth::Role::kSecretariat);
  if (!staff) return fail(staff.error());
  std::set<std::int64_t> people;
  for (const auto& user : *staff) people.insert(user.id);
  if (call.decision_recorded_by) people.insert(*call.decision_recorded_by);
  for (std::int64_t user : people) {
    if (auto n = notify::notify_user(tx, user, title, body, fmt::format("/admin/calls/{}/results", call.id), now); !n)
      return n;
  }
  return {};
}

}  // namespace

Result<void> approve_decision(db::Transaction& tx, const Call& caller_copy, const audit::Actor& actor, Instant now) {
  auto current = detail::current_call(tx, caller_copy.id);
  if (!current) return fail(current.error());
  const Call& call = *current;
  if (call.decision != DecisionState::kRecorded)
    return fail(Error::conflict(call.decision == DecisionState::kNone       ? "承認する委員会決定がまだ記録されていません"
                                : call.decision == DecisionState::kReturned ? "差し戻した決定は、事務局が記録し直すまで承認できません"
                                                                            : "この決定はすでに承認されています"));
  if (auto open = closed(call, now, "委員会の決定を承認"); !open) return open;
  if (actor.user_id) {
    // Separation of duties: the approval is a second person's, whatever roles the first holds.
    if (call.decision_recorded_by == actor.user_id)
      return fail(Error::denied("委員会の決定を記録した人は、その決定を承認できません（別の経済産業省の担当者が承認します）"));
    auto meti = auth::has_active_role(tx, *actor.user_id, auth::Role::kMeti);
    if (!meti) return fail(meti.error());
    if (!*meti) return fail(Error::denied("委員会の決定を承認できるのは経済産業省の担当者です"));
  }
  if (auto r = store::mark_decision_approved(tx, call.id, actor.user_id, now); !r) return r;
  if (auto a = detail::audited(tx, actor, "selection.approve", call_object(call.id), now); !a) return a;
  return tell_secretariat(tx, call, "委員会の決定が承認されました",
                          fmt::format("「{}」の委員会の決定を経済産業省が承認しました。結果を公表し、申請者に通知してください。", call.title),
                          now);
}

Result<void> return_decision(db::Transaction& tx, const Call& caller_copy, const std::string& comment,
                             const audit::Actor& actor, Instant now) {
  auto current = detail::current_call(tx, caller_copy.id);
  if (!current) return fail(current.error());
  const Call& call = *current;
  if (call.decision != DecisionState::kRecorded)
    return fail(Error::conflict(call.decision == DecisionState::kApproved || call.decision == DecisionState::kPublished
                                    ? "承認済みの決定は差し戻せません"
                                    : "差し戻す委員会決定がまだ記録されていません"));
  std::string trimmed(text::trim(comment));
  if (trimmed.empty()) return fail(Error::invalid("差し戻しの理由を入力してください"));
  if (auto p = detail::text_limit_problem("差し戻しの理由", comment, 2000); !p.empty()) return fail(Error::invalid(p));
  if (actor.user_id) {
    auto meti = auth::has_active_role(tx, *actor.user_id, auth::Role::kMeti);
    if (!meti) return fail(meti.error());
    if (!*meti) return fail(Error::denied("委員会の決定を差し戻せるのは経済産業省の担当者です"));
  }
  if (auto r = store::mark_decision_returned(tx, call.id, actor.user_id, trimmed, now); !r) return r;
  // The comment may name people: the audit entry keeps its length only.
  if (auto a = detail::audited(tx, actor, "selection.return", call_object(call.id), now,
                               {{"comment_chars", std::int64_t(text::count_code_points(trimmed))}});
      !a)
    return a;
  return tell_secretariat(tx, call, "委員会の決定が差し戻されました",
                          fmt::format("「{}」の委員会の決定を経済産業省が差し戻しました。\nコメント: {}\n内容を見直し、決定を記録し直してください。",
                                      call.title, trimmed),
                          now);
}

Result<int> publish_results(db::Transaction& tx, const Call& caller_copy, const audit::Actor& actor, Instant now) {
  auto current = detail::current_call(tx, caller_copy.id);
  if (!current) return fail(current.error());
  const Call& call = *current;
  if (call.decision != DecisionState::kApproved)
    return fail(Error::conflict(call.decision == DecisionState::kPublished ? "結果はすでに公表されています"
                                                                           : "経済産業省の承認後に公表できます"));
  if (auto open = closed(call, now, "結果を公表"); !open) return fail(open.error());
  auto lines = store::decision(tx, call.id);
  if (!lines) return fail(lines.error());
  auto apps = store::list_applications(tx, call.id, true);
  if (!apps) return fail(apps.error());
  if (auto r = store::mark_results_published(tx, call.id, now); !r) return fail(r.error());
  int sent = 0;
  for (const auto& app : *apps) {
    std::string won;
    for (const auto& line : *lines) {
      if (line.application_id != 0 && line.application_id == app.id) won += (won.empty() ? "" : "・") + geo::block_label(line.block);
    }
    std::string body = won.empty() ? fmt::format("「{}」の審査結果をお知らせします。今回は不採択となりました。", call.title)
                                   : fmt::format("「{}」で {} の実証事業者に採択されました。", call.title, won);
    auto users = auth::active_users_of(tx, app.organisation_id);
    if (!users) return fail(users.error());
    for (std::int64_t user : *users) {
      if (auto r = notify::notify_user(tx, user, "審査結果のお知らせ", body, fmt::format("/my/applications/{}", app.id), now); !r)
        return fail(r.error());
      ++sent;
    }
  }
  // Each bureau hears about its own block.
  for (const auto& line : *lines) {
    if (line.application_id == 0) continue;
    auto users = auth::users_with_role(tx, auth::Role::kBureau, line.block);
    if (!users) return fail(users.error());
    for (const auto& user : *users) {
      if (auto r = notify::notify_user(tx, user.id, "採択結果の公表",
                          fmt::format("「{}」の{}の採択結果が公表されました。", call.title, geo::block_label(line.block)),
                          fmt::format("/applications/{}", line.application_id), now);
          !r)
        return fail(r.error());
      ++sent;
    }
  }
  if (auto a = detail::audited(tx, actor, "selection.publish", call_object(call.id), now, {{"notifications", sent}}); !a)
    return fail(a.error());
  return sent;
}

}  // namespace kakehashi::call
