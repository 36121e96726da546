// The call service: expertise, conflict declarations, assignment (exact min-cost flow in the
// engine), scoring with locking, progress and reminders.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "auth/users.h"
#include "base/date.h"
#include "base/text.h"
#include "call/engine/assignment.h"
#include "call/service.h"
#include "call/service_internal.h"
#include "call/store.h"
#include "notify/service.h"

namespace kakehashi::call {
namespace {

std::string call_object(std::int64_t call_id) { return fmt::format("call:{}", call_id); }
std::string application_object(std::int64_t application_id) { return fmt::format("application:{}", application_id); }

// The reviews with their reviewers' names (one look-up for all of them).
Result<std::vector<Review>> named(db::Transaction& tx, Result<std::vector<Review>> reviews) {
  if (!reviews) return reviews;
  std::vector<std::int64_t> ids;
  for (const auto& r : *reviews) ids.push_back(r.reviewer_id);
  auto names = auth::user_names(tx, ids);
  if (!names) return fail(names.error());
  for (auto& r : *reviews) {
    auto it = names->find(r.reviewer_id);
    if (it != names->end()) r.reviewer_name = it->second;
  }
  return reviews;
}

// A weighted total as the audit shows it: an integer when it is one (it always is with integer
// weights and levels).
boost::json::value total_value(double total) {
  if (std::nearbyint(total) == total && std::abs(total) < 9e15) return std::int64_t(total);
  return total;
}

// Once the committee's decision is recorded, the reviews it rests on stay as they were: no
// reviewer is assigned or removed and no review is saved or submitted (the call as stored now
// decides, not a caller's copy).
constexpr std::string_view kAssignmentsDecided = "委員会の決定が記録された公募の審査委員の割り当ては変更できません";
constexpr std::string_view kReviewsDecided = "委員会の決定が記録された公募の審査結果は変更できません";
constexpr std::string_view kSubmissionDecided = "委員会の決定が記録された公募の審査結果は提出できません";

Result<void> undecided(db::Transaction& tx, std::int64_t call_id, std::string_view refusal) {
  auto call = detail::current_call(tx, call_id);
  if (!call) return fail(call.error());
  if (call->decision != DecisionState::kNone) return fail(Error::conflict(std::string(refusal)));
  return {};
}

}  // namespace

Result<std::vector<ReviewerInfo>> reviewers(db::Transaction& tx) {
  auto people = auth::users_with_role(tx, auth::Role::kReviewer);
  if (!people) return fail(people.error());
  auto topics = store::expertise(tx);
  if (!topics) return fail(topics.error());
  std::vector<ReviewerInfo> out;
  for (const auto& person : *people) {
    ReviewerInfo info{person.id, person.name, {}};
    if (auto it = topics->find(person.id); it != topics->end()) info.expertise = it->second;
    out.push_back(std::move(info));
  }
  return out;
}

Result<void> set_expertise(db::Transaction& tx, std::int64_t reviewer_id, const std::vector<std::string>& topics,
                           const audit::Actor& actor, Instant now) {
  for (const auto& topic : topics) {
    if (!topic_label(topic)) return fail(Error::invalid(fmt::format("専門分野が正しくありません: {}", topic)));
  }
  if (auto r = store::replace_expertise(tx, reviewer_id, topics); !r) return r;
  return detail::audited(tx, actor, "review.expertise", fmt::format("user:{}", reviewer_id), now);
}

Result<std::vector<Declaration>> declarations(db::Transaction& tx, std::int64_t call_id) {
  return store::declarations(tx, call_id);
}

Result<void> declare(db::Transaction& tx, std::int64_t call_id, const Declaration& d, const audit::Actor& actor,
                     Instant now) {
  if (auto p = detail::text_limit_problem("利害関係の内容", d.note, 500); !p.empty()) return fail(Error::invalid(p));
  if (d.conflict && text::trim(d.note).empty()) return fail(Error::invalid("利害関係がある場合は、その内容を入力してください"));
  auto application = store::application_of(tx, call_id, d.organisation_id);
  if (!application) return fail(application.error());
  if (!*application) return fail(Error::not_found("この公募に申請した団体ではありません"));
  std::int64_t application_id = **application;
  if (d.conflict) {
    auto submitted = store::review_submitted(tx, application_id, d.reviewer_id);
    if (!submitted) return fail(submitted.error());
    if (*submitted) return fail(Error::conflict("審査結果を提出済みの申請です。事務局に連絡してください"));
    if (auto r = store::delete_assignment(tx, application_id, d.reviewer_id); !r) return fail(r.error());
    if (auto r = store::delete_review(tx, application_id, d.reviewer_id, false); !r) return r;
  }
  Declaration stored = d;
  stored.note = std::string(text::trim(d.note));
  if (auto r = store::upsert_declaration(tx, call_id, stored, now); !r) return r;
  return detail::audited(tx, actor, "review.declare", call_object(call_id), now,
                         {{"organisation", d.organisation_id}, {"conflict", d.conflict}});
}

Result<std::vector<AssignedPair>> assignments(db::Transaction& tx, std::int64_t call_id) {
  return store::assignments(tx, call_id);
}

Result<std::vector<UndeclaredReviewer>> undeclared_reviewers(db::Transaction& tx, std::int64_t call_id) {
  auto apps = list_applications(tx, call_id, true);
  if (!apps) return fail(apps.error());
  auto people = reviewers(tx);
  if (!people) return fail(people.error());
  auto declared = store::declarations(tx, call_id);
  if (!declared) return fail(declared.error());
  std::set<std::int64_t> organisations;
  for (const auto& a : *apps) organisations.insert(a.organisation_id);
  std::set<std::pair<std::int64_t, std::int64_t>> said;  // (reviewer, organisation)
  for (const auto& d : *declared) said.insert({d.reviewer_id, d.organisation_id});
  std::vector<UndeclaredReviewer> out;
  for (const auto& r : *people) {
    int missing = 0;
    for (std::int64_t o : organisations) missing += !said.contains({r.id, o});
    if (missing > 0) out.push_back({r.id, r.name, missing});
  }
  return out;
}

namespace {

// 「山田 太郎（未申告 2 件）、佐藤 花子（未申告 1 件）」
std::string undeclared_names(const std::vector<UndeclaredReviewer>& people) {
  std::string names;
  for (const auto& p : people) names += fmt::format("{}{}（未申告 {} 件）", names.empty() ? "" : "、", p.name, p.missing);
  return names;
}

}  // namespace

namespace {

// 「審査期限は 2027年1月15日（金）17:00 です。」 or nothing when the call has no review deadline.
std::string deadline_sentence(const Call& call) {
  if (!call.review_deadline) return "";
  return fmt::format("審査期限は {} です。", tokyo_datetime_japanese(*call.review_deadline));
}

}  // namespace

Result<int> auto_assign(db::Transaction& tx, const Call& call, const audit::Actor& actor, Instant now) {
  if (auto open = undecided(tx, call.id, kAssignmentsDecided); !open) return fail(open.error());
  auto apps = list_applications(tx, call.id, true);
  if (!apps) return fail(apps.error());
  if (apps->empty()) return fail(Error::invalid("提出済みの申請がないため、割り当てる対象がありません"));
  auto everyone = reviewers(tx);
  if (!everyone) return fail(everyone.error());
  auto undeclared = undeclared_reviewers(tx, call.id);
  if (!undeclared) return fail(undeclared.error());
  // Only reviewers who declared on every application take part (undeclared = not assignable).
  std::set<std::int64_t> left_out;
  for (const auto& u : *undeclared) left_out.insert(u.reviewer_id);
  std::vector<ReviewerInfo> eligible;
  for (const auto& r : *everyone) {
    if (!left_out.contains(r.id)) eligible.push_back(r);
  }
  const std::vector<ReviewerInfo>* people = &eligible;
  std::string undeclared_note =
      undeclared->empty() ? "" : fmt::format("（利害関係の申告が済んでいない審査委員は割り当てられません: {}）", undeclared_names(*undeclared));
  if (eligible.empty())
    return fail(Error::invalid(fmt::format("すべての申請について利害関係を申告した審査委員がいないため、割り当てられません。"
                                           "申告が済んでいない審査委員: {}",
                                           undeclared_names(*undeclared))));
  auto declared = store::declarations(tx, call.id);
  if (!declared) return fail(declared.error());
  auto current = store::assignments(tx, call.id);
  if (!current) return fail(current.error());
  auto reviews = store::reviews_of_call(tx, call.id);
  if (!reviews) return fail(reviews.error());
  std::set<std::pair<std::int64_t, std::int64_t>> submitted;  // (application, reviewer)
  for (const auto& r : *reviews) {
    if (r.submitted) submitted.insert({r.application_id, r.reviewer_id});
  }

  engine::AssignmentInput input;
  input.per_application = call.reviewers_per_application;
  input.max_load = call.max_load;
  input.balance = call.balance_loads;
  // The engine names reviewers in its advice, so they go in by name (with the user id only when
  // two reviewers share a name); reviewer_by_name maps back.
  std::map<std::string, int> same_name;
  for (const auto& r : *people) ++same_name[r.name];
  std::map<std::int64_t, std::string> reviewer_label;
  for (const auto& r : *people) {
    reviewer_label[r.id] = same_name[r.name] > 1 ? fmt::format("{}（ID {}）", r.name, r.id) : r.name;
    input.reviewers.push_back({reviewer_label[r.id], r.expertise});
  }
  std::map<std::int64_t, std::string> labels;  // application id -> "受付番号 団体名" for messages
  for (const auto& a : *apps) {
    std::string label = fmt::format("{}（{}）", a.receipt_number.value_or("-"), a.organisation_name);
    labels[a.id] = label;
    input.applications.push_back({label, std::to_string(a.organisation_id), a.topics});
  }
  std::map<std::string, std::int64_t> application_by_label;
  for (const auto& [id, label] : labels) application_by_label[label] = id;
  std::map<std::string, std::int64_t> reviewer_by_name;
  for (const auto& [id, label] : reviewer_label) reviewer_by_name[label] = id;
  // A declaration by someone no longer an active reviewer cannot matter: they are not assigned.
  for (const auto& d : *declared) {
    if (d.conflict && reviewer_label.contains(d.reviewer_id))
      input.conflicts.push_back({reviewer_label[d.reviewer_id], std::to_string(d.organisation_id)});
  }
  // Pairs stay when locked by hand or when the review is already under way (submitted).
  std::set<std::pair<std::int64_t, std::int64_t>> kept;
  for (const auto& pair : *current) {
    bool done = submitted.contains({pair.application_id, pair.reviewer_id});
    // A pair of a reviewer who is no longer active is not kept (they cannot review any more).
    if ((pair.locked || done) && labels.contains(pair.application_id) && reviewer_label.contains(pair.reviewer_id)) {
      input.locked.push_back({labels[pair.application_id], reviewer_label[pair.reviewer_id]});
      kept.insert({pair.application_id, pair.reviewer_id});
    }
  }
  auto solved = engine::assign_reviewers(input);
  if (!solved) return fail(Error::invalid(solved.error().message + undeclared_note));
  std::set<std::pair<std::int64_t, std::int64_t>> chosen;
  for (const auto& pair : solved->pairs) {
    chosen.insert({application_by_label.at(pair.application), reviewer_by_name.at(pair.reviewer)});
  }
  for (const auto& pair : *current) {
    if (chosen.contains({pair.application_id, pair.reviewer_id})) continue;
    if (auto r = store::delete_assignment(tx, pair.application_id, pair.reviewer_id); !r) return fail(r.error());
    if (auto r = store::delete_review(tx, pair.application_id, pair.reviewer_id, true); !r) return fail(r.error());
  }
  std::set<std::pair<std::int64_t, std::int64_t>> before;
  for (const auto& pair : *current) before.insert({pair.application_id, pair.reviewer_id});
  std::map<std::int64_t, int> added;  // reviewer -> new assignments
  for (const auto& [application_id, reviewer_id] : chosen) {
    if (auto r = store::insert_assignment_if_absent(tx, application_id, reviewer_id, now); !r) return fail(r.error());
    if (!before.contains({application_id, reviewer_id})) ++added[reviewer_id];
  }
  // Each reviewer with new assignments hears about them once, with the deadline if there is one.
  for (const auto& [reviewer_id, count] : added) {
    if (auto n = notify::notify_user(tx, reviewer_id, "審査の割り当て",
                                     fmt::format("「{}」の審査を {} 件割り当てました。{}利害関係の申告を確認のうえ、審査を始めてください。",
                                                 call.title, count, deadline_sentence(call)),
                                     "/review", now);
        !n)
      return fail(n.error());
  }
  if (auto a = detail::audited(tx, actor, "review.auto_assign", call_object(call.id), now,
                               {{"pairs", std::int64_t(chosen.size())},
                                {"kept", std::int64_t(kept.size())},
                                {"cost", solved->cost}});
      !a)
    return fail(a.error());
  return solved->cost;
}

Result<bool> in_conflict(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id) {
  return store::in_conflict(tx, application_id, reviewer_id);
}

Result<bool> is_assigned(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id) {
  return store::is_assigned(tx, application_id, reviewer_id);
}

Result<void> assign(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id, bool locked,
                    const audit::Actor& actor, Instant now) {
  auto reviewer = auth::has_active_role(tx, reviewer_id, auth::Role::kReviewer);
  if (!reviewer) return fail(reviewer.error());
  if (!*reviewer) return fail(Error::invalid("審査委員ではないユーザーです"));
  auto application = store::find_application(tx, application_id);
  if (!application) return fail(application.error());
  if (!*application || !(*application)->submitted) return fail(Error::not_found("提出済みの申請が見つかりません"));
  if (auto open = undecided(tx, (*application)->call_id, kAssignmentsDecided); !open) return open;
  auto conflict = store::in_conflict(tx, application_id, reviewer_id);
  if (!conflict) return fail(conflict.error());
  if (*conflict) return fail(Error::conflict("この審査委員はこの申請者との利害関係を申告しているため割り当てられません"));
  auto undeclared = undeclared_reviewers(tx, (*application)->call_id);
  if (!undeclared) return fail(undeclared.error());
  for (const auto& u : *undeclared) {
    if (u.reviewer_id == reviewer_id)
      return fail(Error::conflict(fmt::format(
          "{}さんは、この公募の申請のうち {} 件について利害関係を申告していないため割り当てられません。申告を依頼してください",
          u.name, u.missing)));
  }
  auto already = store::is_assigned(tx, application_id, reviewer_id);
  if (!already) return fail(already.error());
  if (auto r = store::upsert_assignment(tx, application_id, reviewer_id, locked, now); !r) return r;
  if (auto a = detail::audited(tx, actor, "review.assign", application_object(application_id), now,
                               {{"reviewer", reviewer_id}, {"locked", locked}});
      !a)
    return a;
  if (*already) return {};
  auto call = detail::current_call(tx, (*application)->call_id);
  if (!call) return fail(call.error());
  return notify::notify_user(tx, reviewer_id, "審査の割り当て",
                             fmt::format("「{}」の審査を 1 件割り当てました（受付番号 {}）。{}", call->title,
                                         (*application)->receipt_number.value_or("-"), deadline_sentence(*call)),
                             fmt::format("/review/applications/{}", application_id), now);
}

Result<void> unassign(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id,
                      const audit::Actor& actor, Instant now) {
  auto application = store::find_application(tx, application_id);
  if (!application) return fail(application.error());
  if (!*application) return fail(Error::not_found("割り当てが見つかりません"));
  auto submitted = store::review_submitted(tx, application_id, reviewer_id);
  if (!submitted) return fail(submitted.error());
  if (*submitted) return fail(Error::conflict("審査結果が提出済みのため割り当てを外せません"));
  if (auto open = undecided(tx, (*application)->call_id, kAssignmentsDecided); !open) return open;
  auto deleted = store::delete_assignment(tx, application_id, reviewer_id);
  if (!deleted) return fail(deleted.error());
  if (!*deleted) return fail(Error::not_found("割り当てが見つかりません"));
  if (auto r = store::delete_review(tx, application_id, reviewer_id, false); !r) return r;
  return detail::audited(tx, actor, "review.unassign", application_object(application_id), now,
                         {{"reviewer", reviewer_id}});
}

Result<std::optional<Review>> find_review(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id) {
  auto review = store::find_review(tx, application_id, reviewer_id);
  if (!review || !*review) return review;
  auto names = auth::user_names(tx, {reviewer_id});
  if (!names) return fail(names.error());
  if (auto it = names->find(reviewer_id); it != names->end()) (*review)->reviewer_name = it->second;
  return review;
}

Result<std::vector<Review>> reviews_of(db::Transaction& tx, std::int64_t application_id) {
  return named(tx, store::reviews_of(tx, application_id));
}

Result<std::vector<Review>> reviews_of_call(db::Transaction& tx, std::int64_t call_id) {
  return named(tx, store::reviews_of_call(tx, call_id));
}

Result<void> save_review(db::Transaction& tx, const Call& call, std::int64_t application_id, std::int64_t reviewer_id,
                         const std::map<std::int64_t, Score>& scores, const std::string& comment,
                         const audit::Actor& actor, Instant now) {
  auto assigned = store::is_assigned(tx, application_id, reviewer_id);
  if (!assigned) return fail(assigned.error());
  if (!*assigned) return fail(Error::denied("この申請は割り当てられていません"));
  auto submitted = store::review_submitted(tx, application_id, reviewer_id);
  if (!submitted) return fail(submitted.error());
  if (*submitted) return fail(Error::conflict("提出済みの審査は変更できません"));
  if (auto open = undecided(tx, call.id, kReviewsDecided); !open) return open;
  auto items = store::criteria(tx, call.id);
  if (!items) return fail(items.error());
  if (auto p = detail::text_limit_problem("総合コメント", comment, 4000); !p.empty()) return fail(Error::invalid(p));
  for (const auto& [criterion_id, score] : scores) {
    auto it = std::find_if(items->begin(), items->end(), [&](const Criterion& c) { return c.id == criterion_id; });
    if (it == items->end()) return fail(Error::invalid("この公募の審査項目ではありません"));
    if (score.level < 0 || score.level > it->levels())
      return fail(Error::invalid(fmt::format("「{}」の評価は 1〜{} で選んでください", it->name, it->levels())));
    if (auto p = detail::text_limit_problem(fmt::format("「{}」のコメント", it->name), score.comment, 2000); !p.empty())
      return fail(Error::invalid(p));
  }
  if (auto r = store::upsert_review(tx, application_id, reviewer_id, comment, now); !r) return r;
  for (const auto& [criterion_id, score] : scores) {
    if (auto r = store::write_score(tx, application_id, reviewer_id, criterion_id, score); !r) return r;
  }
  return detail::audited(tx, actor, "review.save", application_object(application_id), now);
}

Result<void> submit_review(db::Transaction& tx, const Call& call, std::int64_t application_id, std::int64_t reviewer_id,
                           const audit::Actor& actor, Instant now) {
  auto review = store::find_review(tx, application_id, reviewer_id);
  if (!review) return fail(review.error());
  if (!*review) return fail(Error::invalid("評価を入力してから提出してください"));
  if ((*review)->submitted) return fail(Error::conflict("この審査はすでに提出されています"));
  if (auto open = undecided(tx, call.id, kSubmissionDecided); !open) return open;
  auto items = store::criteria(tx, call.id);
  if (!items) return fail(items.error());
  for (const auto& c : *items) {
    auto it = (*review)->scores.find(c.id);
    if (it == (*review)->scores.end() || it->second.level == 0)
      return fail(Error::invalid(fmt::format("「{}」の評価を選んでください", c.name)));
  }
  if (auto r = store::mark_review_submitted(tx, application_id, reviewer_id, now); !r) return r;
  return detail::audited(tx, actor, "review.submit", application_object(application_id), now,
                         {{"total", total_value((*review)->total(*items))}});
}

Result<std::vector<ReviewerProgress>> progress(db::Transaction& tx, std::int64_t call_id) {
  auto people = store::progress(tx, call_id);
  if (!people) return fail(people.error());
  std::vector<std::int64_t> ids;
  for (const auto& p : *people) ids.push_back(p.reviewer_id);
  auto names = auth::user_names(tx, ids);
  if (!names) return fail(names.error());
  for (auto& p : *people) {
    if (auto it = names->find(p.reviewer_id); it != names->end()) p.name = it->second;
  }
  return people;
}

Result<int> remind_before_review_deadlines(db::Transaction& tx, Instant now) {
  auto calls = store::list_calls(tx, true);
  if (!calls) return fail(calls.error());
  int reminded = 0;
  for (const auto& call : *calls) {
    if (!call.review_deadline || call.review_reminded_at) continue;
    if (now >= *call.review_deadline || now < *call.review_deadline - std::chrono::days{2}) continue;
    auto people = progress(tx, call.id);
    if (!people) return fail(people.error());
    // Before any assignment there is nobody to remind yet: try again on the next run.
    if (std::none_of(people->begin(), people->end(), [](const ReviewerProgress& p) { return p.assigned > 0; })) continue;
    int here = 0;
    for (const auto& p : *people) {
      if (p.submitted >= p.assigned) continue;
      if (auto r = notify::notify_user(tx, p.reviewer_id, "審査期限が近づいています",
                                       fmt::format("「{}」の審査期限は {} です。未提出の審査が {} 件あります。", call.title,
                                                   tokyo_datetime_japanese(*call.review_deadline), p.assigned - p.submitted),
                                       "/review", now);
          !r)
        return fail(r.error());
      ++here;
    }
    if (auto r = store::mark_review_reminded(tx, call.id, now); !r) return fail(r.error());
    if (auto a = detail::audited(tx, audit::Actor::system(), "review.deadline_reminder", call_object(call.id), now,
                                 {{"reviewers", here}});
        !a)
      return fail(a.error());
    reminded += here;
  }
  return reminded;
}

Result<int> remind_reviewers(db::Transaction& tx, const Call& call, const audit::Actor& actor, Instant now) {
  auto people = progress(tx, call.id);
  if (!people) return fail(people.error());
  int reminded = 0;
  for (const auto& p : *people) {
    if (p.submitted >= p.assigned) continue;
    if (auto r = notify::notify_user(tx, p.reviewer_id, "審査のお願い",
                        fmt::format("「{}」の審査が {} 件残っています（割り当て {} 件、提出済み {} 件）。", call.title,
                                    p.assigned - p.submitted, p.assigned, p.submitted),
                        "/review", now);
        !r)
      return fail(r.error());
    ++reminded;
  }
  if (auto a = detail::audited(tx, actor, "review.remind", call_object(call.id), now, {{"reviewers", reminded}}); !a)
    return fail(a.error());
  return reminded;
}

}  // namespace kakehashi::call
