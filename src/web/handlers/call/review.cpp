// Review (R2.5): reviewers declare conflicts, keep their expertise, and score the applications
// assigned to them; the secretariat assigns (exact min-cost flow, then by hand), follows
// progress and sends reminders. A reviewer reaches only assigned, conflict-free applications.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/number.h"
#include "base/text.h"
#include "geo/geo.h"
#include "web/confirm_view.h"
#include "web/handlers/call/common.h"

namespace kakehashi::web {
namespace {

using namespace callweb;

std::string number(double value) { return fmt::format("{:g}", value); }

struct Assigned {
  call::Application application;
  call::Call call;
};

// The application {id} when assigned to this reviewer and free of conflict; else nullopt (404).
Result<std::optional<Assigned>> load_assigned(db::Transaction& tx, const Request& request) {
  auto id = id_param(request, "id");
  if (!id) return std::optional<Assigned>{};
  auto application = call::find_application(tx, *id);
  if (!application) return fail(application.error());
  if (!*application) return std::optional<Assigned>{};
  auto c = call::find_call(tx, (*application)->call_id);
  if (!c) return fail(c.error());
  if (!*c) return std::optional<Assigned>{};
  auto visibility = call::application_visibility(tx, *request.principal, **application, **c);
  if (!visibility) return fail(visibility.error());
  auto assigned = call::is_assigned(tx, *id, request.principal->user_id);
  if (!assigned) return fail(assigned.error());
  if (*visibility == call::Visibility::kNone || !*assigned) return std::optional<Assigned>{};
  return std::optional<Assigned>{Assigned{std::move(**application), std::move(**c)}};
}

Response score_page(Application& app, Request& request, db::Transaction& tx, const Assigned& a,
                    const std::map<std::int64_t, call::Score>* typed, const std::string* typed_comment,
                    const std::vector<std::string>& errors, const std::string& errors_title, http::status status) {
  const auth::Principal& who = *request.principal;
  auto items = call::criteria(tx, a.call.id);
  if (!items) return app.error_response(request, items.error());
  auto review = call::find_review(tx, a.application.id, who.user_id);
  if (!review) return app.error_response(request, review.error());
  auto files = call::attachments(tx, a.application.id);
  if (!files) return app.error_response(request, files.error());
  bool locked = *review && (*review)->submitted;
  std::map<std::int64_t, call::Score> scores = typed ? *typed : (*review ? (*review)->scores : std::map<std::int64_t, call::Score>{});
  ReviewScoreView content;
  content.call_title = a.call.title;
  call::Application shown = a.call.hide_personal ? call::redacted(a.application) : a.application;
  content.application = application_fields(shown);
  content.hidden_note = a.call.hide_personal;
  content.state = locked ? "提出済み（変更できません）" : *review ? "一時保存中" : "未着手";
  content.locked = locked;
  int n = 0;
  double total = 0;
  for (const auto& c : *items) {
    ScoreItem item;
    item.criterion_id = c.id;
    item.number = ++n;
    item.name = c.name;
    if (!c.description.empty()) item.description = c.description;
    item.weight = c.weight;
    auto it = scores.find(c.id);
    int chosen = it != scores.end() ? it->second.level : 0;
    total += double(c.weight) * chosen;
    item.comment = it != scores.end() ? it->second.comment : "";
    for (int level = c.levels(); level >= 1; --level) {
      item.levels.push_back(ScoreLevel{c.id, level, c.descriptors[std::size_t(level - 1)], level == chosen, locked});
    }
    item.locked = locked;
    content.items.push_back(std::move(item));
  }
  content.total = number(total);
  content.max_total = number(call::max_total(*items));
  content.overall_comment = typed_comment ? *typed_comment : (*review ? (*review)->comment : "");
  for (const auto& f : *files) {
    content.attachments.push_back(Attachment{f.id, a.application.id, f.file_name, size_label(f.size),
                                             fmt::format("/applications/{}/attachments/{}", a.application.id, f.id)});
  }
  content.has_attachments = !files->empty();
  // Others' reviews: only when the call allows it and this reviewer has submitted.
  if (a.call.peer_reviews == call::PeerReviews::kAfterOwn && locked) {
    auto all = call::reviews_of(tx, a.application.id);
    if (!all) return app.error_response(request, all.error());
    for (const auto& r : *all) {
      if (r.reviewer_id == who.user_id || !r.submitted) continue;
      PeerReview p{r.reviewer_name, number(r.total(*items)), std::nullopt};
      if (!r.comment.empty()) p.comment = r.comment;
      content.peers.push_back(std::move(p));
    }
    content.show_peers = true;
    content.has_peers = !content.peers.empty();
  }
  content.errors = FormErrors{errors, errors_title};
  return app.page(request, "審査", "call/review_score", content,
                  {{"審査", "/review"}, {a.application.receipt_number.value_or("申請"), ""}}, "/review", status);
}

Response staff_review_page(Application& app, Request& request, db::Transaction& tx, const call::Call& c,
                           const std::vector<std::string>& errors, const std::string& errors_title,
                           const Notice* notice, http::status status = http::status::ok) {
  // One read per list, whatever the number of applications and reviewers.
  auto apps = call::list_applications(tx, c.id, true);
  if (!apps) return app.error_response(request, apps.error());
  auto people = call::reviewers(tx);
  if (!people) return app.error_response(request, people.error());
  auto pairs = call::assignments(tx, c.id);
  if (!pairs) return app.error_response(request, pairs.error());
  auto declared = call::declarations(tx, c.id);
  if (!declared) return app.error_response(request, declared.error());
  auto progress = call::progress(tx, c.id);
  if (!progress) return app.error_response(request, progress.error());
  auto reviews = call::reviews_of_call(tx, c.id);
  if (!reviews) return app.error_response(request, reviews.error());
  std::map<std::pair<std::int64_t, std::int64_t>, const call::Review*> review_of;  // (application, reviewer)
  for (const auto& r : *reviews) review_of[{r.application_id, r.reviewer_id}] = &r;
  std::map<std::int64_t, const call::ReviewerInfo*> reviewer_by_id;
  for (const auto& r : *people) reviewer_by_id[r.id] = &r;
  std::map<std::int64_t, int> load;
  for (const auto& p : *pairs) ++load[p.reviewer_id];
  std::set<std::pair<std::int64_t, std::int64_t>> conflicts;  // (reviewer, organisation)
  std::map<std::int64_t, int> declared_count;
  for (const auto& d : *declared) {
    ++declared_count[d.reviewer_id];
    if (d.conflict) conflicts.insert({d.reviewer_id, d.organisation_id});
  }
  AdminReviewView content;
  content.call = call_fields(c, app.clock().now());
  content.tabs = call_tabs(request, c.id, "review");
  // Who has not declared (conflict or none) on every submitted application: not assignable.
  auto undeclared = call::undeclared_reviewers(tx, c.id);
  if (!undeclared) return app.error_response(request, undeclared.error());
  std::set<std::int64_t> not_assignable;
  {
    std::string names;
    for (const auto& u : *undeclared) {
      not_assignable.insert(u.reviewer_id);
      names += fmt::format("{}{}（未申告 {} 件）", names.empty() ? "" : "、", u.name, u.missing);
    }
    if (!names.empty())
      content.undeclared = "利害関係の申告が済んでいない審査委員がいます: " + names +
                           "。すべての申請について申告が済むまで、この審査委員には割り当てられません。";
  }
  content.balance_loads = c.balance_loads;
  int assigned_total = 0, submitted_total = 0;
  for (const auto& p : *progress) {
    content.progress.push_back(ProgressRow{p.name, p.assigned, p.submitted,
                                           fmt::format("{} ／ {} 団体", declared_count[p.reviewer_id], apps->size())});
    assigned_total += p.assigned;
    submitted_total += p.submitted;
  }
  content.has_progress = !progress->empty();
  content.assigned_total = assigned_total;
  content.submitted_total = submitted_total;
  for (const auto& a : *apps) {
    const auto& topics = a.topics;
    AssignmentRow row;
    row.id = a.id;
    row.call_id = c.id;
    row.receipt_number = a.receipt_number.value_or("—");
    row.organisation = a.organisation_name;
    for (const auto& t : topics) row.topics += (row.topics.empty() ? "" : "・") + std::string(call::topic_label(t).value_or(t));
    std::set<std::int64_t> on_it;
    for (const auto& p : *pairs) {
      if (p.application_id != a.id) continue;
      on_it.insert(p.reviewer_id);
      auto found = review_of.find({a.id, p.reviewer_id});
      const call::Review* review = found != review_of.end() ? found->second : nullptr;
      const call::ReviewerInfo* info = reviewer_by_id.contains(p.reviewer_id) ? reviewer_by_id[p.reviewer_id] : nullptr;
      AssignedReviewer r;
      r.id = p.reviewer_id;
      r.application_id = a.id;
      r.call_id = c.id;
      r.name = info ? info->name : fmt::format("ユーザー {}", p.reviewer_id);
      r.locked = p.locked;
      r.match = info && std::any_of(info->expertise.begin(), info->expertise.end(), [&](const std::string& e) {
        return std::find(topics.begin(), topics.end(), e) != topics.end();
      });
      r.submitted = review && review->submitted;
      r.state = r.submitted ? "提出済み" : review ? "評価中" : "未着手";
      row.reviewers.push_back(std::move(r));
    }
    int short_by = c.reviewers_per_application - int(on_it.size());
    if (short_by > 0) row.short_by = std::to_string(short_by);
    for (const auto& r : *people) {
      if (on_it.contains(r.id) || conflicts.contains({r.id, a.organisation_id}) || not_assignable.contains(r.id)) continue;
      row.candidates.push_back(CandidateReviewer{r.id, r.name, load[r.id]});
    }
    row.has_candidates = !row.candidates.empty();
    content.applications.push_back(std::move(row));
  }
  content.has_applications = !apps->empty();
  std::map<std::int64_t, std::string> org_names;
  for (const auto& a : *apps) org_names[a.organisation_id] = a.organisation_name;
  for (const auto& d : *declared) {
    if (!d.conflict) continue;
    content.conflicts.push_back(ConflictRow{
        reviewer_by_id.contains(d.reviewer_id) ? reviewer_by_id[d.reviewer_id]->name : "", org_names[d.organisation_id], d.note});
  }
  content.conflict_count = content.conflicts.size();
  content.has_conflicts = !content.conflicts.empty();
  content.errors = FormErrors{errors, errors_title};
  if (notice) content.flash = *notice;
  return app.page(request, "審査の管理", "call/admin_review", content,
                  {{"公募の管理", "/admin/calls"}, {c.title, fmt::format("/admin/calls/{}", c.id)}, {"審査", ""}},
                  "/admin/calls", status);
}

// A secretariat change on the review of call {id}; a refused one shows the review page with its message.
Response change_review(Application& app, Request& request, const std::string& errors_title, const CallChange& change) {
  return change_call(app, request, true, "/review", change,
                     [&](db::Transaction& tx, const call::Call& c, const std::vector<std::string>& errors) {
    return staff_review_page(app, request, tx, c, errors, errors_title, nullptr, http::status::unprocessable_entity);
  });
}

// The reviewer's conflict declarations for the call's applicant organisations.
Response conflicts_page(Application& app, Request& request, db::Transaction& tx, const call::Call& c,
                     const std::vector<std::string>& errors, http::status status) {
  auto apps = call::list_applications(tx, c.id, true);
  if (!apps) return app.error_response(request, apps.error());
  auto declared = call::declarations(tx, c.id);
  if (!declared) return app.error_response(request, declared.error());
  std::map<std::int64_t, const call::Declaration*> mine;
  for (const auto& d : *declared) {
    if (d.reviewer_id == request.principal->user_id) mine[d.organisation_id] = &d;
  }
  ReviewConflictsView content;
  std::set<std::int64_t> seen;
  for (const auto& a : *apps) {
    if (!seen.insert(a.organisation_id).second) continue;
    std::string id = std::to_string(a.organisation_id);
    const call::Declaration* d = mine.contains(a.organisation_id) ? mine[a.organisation_id] : nullptr;
    bool posted = request.method == http::verb::post;
    std::string answer = posted ? request.field("conflict_" + id) : d ? (d->conflict ? "yes" : "no") : "";
    content.organisations.push_back(ConflictChoice{a.organisation_id, a.organisation_name, answer == "yes", answer == "no",
                                                   posted ? request.field("note_" + id) : d ? d->note : ""});
  }
  content.call_id = c.id;
  content.call_title = c.title;
  content.has_organisations = !content.organisations.empty();
  content.errors = FormErrors{errors, ""};
  return app.page(request, "利害関係の申告", "call/review_conflicts", content,
                  {{"審査", "/review"}, {"利害関係の申告", ""}}, "/review", status);
}

// The reviewer's calls with the applications assigned to them (never one in conflict): a fixed
// number of statements per call, whatever the number of applications.
Response review_home(Application& app, Request& request) {
  const auth::Principal& who = *request.principal;
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto calls = call::review_calls(**tx);
  if (!calls) return app.error_response(request, calls.error());
  auto people = call::reviewers(**tx);
  if (!people) return app.error_response(request, people.error());
  ReviewHomeView content;
  for (const auto& c : *calls) {
    auto apps = call::list_applications(**tx, c.id, true);
    if (!apps) return app.error_response(request, apps.error());
    auto declared = call::declarations(**tx, c.id);
    if (!declared) return app.error_response(request, declared.error());
    auto items = call::criteria(**tx, c.id);
    if (!items) return app.error_response(request, items.error());
    auto pairs = call::assignments(**tx, c.id);
    if (!pairs) return app.error_response(request, pairs.error());
    auto reviews = call::reviews_of_call(**tx, c.id);
    if (!reviews) return app.error_response(request, reviews.error());
    std::set<std::int64_t> organisations, conflicts, assigned;
    for (const auto& a : *apps) organisations.insert(a.organisation_id);
    int mine = 0;
    for (const auto& d : *declared) {
      if (d.reviewer_id != who.user_id) continue;
      ++mine;
      if (d.conflict) conflicts.insert(d.organisation_id);
    }
    for (const auto& p : *pairs) {
      if (p.reviewer_id == who.user_id) assigned.insert(p.application_id);
    }
    std::map<std::int64_t, const call::Review*> my_reviews;
    for (const auto& r : *reviews) {
      if (r.reviewer_id == who.user_id) my_reviews[r.application_id] = &r;
    }
    ReviewCallRow row{.call = call_fields(c, app.clock().now()), .declared = mine, .organisations = organisations.size()};
    for (const auto& a : *apps) {
      if (!assigned.contains(a.id) || conflicts.contains(a.organisation_id)) continue;
      const call::Review* review = my_reviews.contains(a.id) ? my_reviews.at(a.id) : nullptr;
      ReviewAssignment item{.id = a.id, .receipt_number = a.receipt_number.value_or(""), .organisation = a.organisation_name};
      for (const auto& b : a.blocks) item.block_names += (item.block_names.empty() ? "" : "・") + geo::block_label(b.block);
      item.state = review ? (review->submitted ? "提出済み" : "一時保存中") : "未着手";
      item.total = review ? number(review->total(*items)) : "—";
      row.assignments.push_back(std::move(item));
    }
    row.has_assignments = !row.assignments.empty();
    content.calls.push_back(std::move(row));
  }
  std::vector<std::string> expertise;
  for (const auto& r : *people) {
    if (r.id == who.user_id) expertise = r.expertise;
  }
  for (const auto& t : call::kTopics) {
    content.topics.push_back(TopicChoice{std::string(t.id), std::string(t.label),
                                         std::find(expertise.begin(), expertise.end(), t.id) != expertise.end()});
  }
  content.has_calls = !calls->empty();
  return app.page(request, "審査", "call/review_home", content, {{"審査", ""}}, "/review");
}

Response save_expertise(Application& app, Request& request) {
  std::vector<std::string> topics;
  for (std::string_view t : request.form.all("topic")) topics.emplace_back(t);
  auto done = app.database().write([&](db::Transaction& tx) {
    return call::set_expertise(tx, request.principal->user_id, topics, audit::Actor::user(request.principal->user_id),
                               app.clock().now());
  });
  if (!done) return app.error_response(request, done.error());
  return app.redirect_with_notice(request, "/review", "専門分野を保存しました。");
}

Response show_conflicts(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto c = load_call(**tx, request);
  if (!c) return app.error_response(request, c.error());
  if (!*c || !(*c)->published) return app.error(request, http::status::not_found);
  return conflicts_page(app, request, **tx, **c, {}, http::status::ok);
}

Response save_conflicts(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto c = load_call(**tx, request);
  if (!c) return app.error_response(request, c.error());
  if (!*c || !(*c)->published) return app.error(request, http::status::not_found);
  auto apps = call::list_applications(**tx, (*c)->id, true);
  if (!apps) return app.error_response(request, apps.error());
  std::vector<std::string> errors;
  std::set<std::int64_t> seen;
  for (const auto& a : *apps) {
    if (!seen.insert(a.organisation_id).second) continue;
    std::string id = std::to_string(a.organisation_id);
    std::string answer = request.field("conflict_" + id);
    if (answer.empty()) continue;  // not answered yet: left as it was
    if (answer != "yes" && answer != "no") {
      errors.push_back(fmt::format("{}: 利害関係の有無を選んでください", a.organisation_name));
      continue;
    }
    auto declared = call::declare(**tx, (*c)->id,
                                  {request.principal->user_id, a.organisation_id, answer == "yes", request.field("note_" + id)},
                                  audit::Actor::user(request.principal->user_id), app.clock().now());
    if (!declared) {
      if (!is_refusal(declared.error())) return app.error_response(request, declared.error());
      errors.push_back(fmt::format("{}: {}", a.organisation_name, declared.error().message));
    }
  }
  if (!errors.empty()) {
    tx->reset();
    auto read = app.database().begin(db::TxMode::kRead);
    if (!read) return app.error_response(request, read.error());
    return conflicts_page(app, request, **read, **c, errors, http::status::unprocessable_entity);
  }
  if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
  return app.redirect_with_notice(request, "/review", "利害関係の申告を保存しました。");
}

Response show_score(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto assigned = load_assigned(**tx, request);
  if (!assigned) return app.error_response(request, assigned.error());
  if (!*assigned) return app.error(request, http::status::not_found);
  Response page = score_page(app, request, **tx, **assigned, nullptr, nullptr, {}, "", http::status::ok);
  tx->reset();
  if (auto logged = audit::append(app.database(),
                                  audit::by_user(request.principal->user_id, "application.read",
                                                 fmt::format("application:{}", (*assigned)->application.id)),
                                  app.clock().now());
      !logged)
    return app.error_response(request, logged.error());
  return page;
}

Response save_score(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto assigned = load_assigned(**tx, request);
  if (!assigned) return app.error_response(request, assigned.error());
  if (!*assigned) return app.error(request, http::status::not_found);
  const Assigned& a = **assigned;
  auto items = call::criteria(**tx, a.call.id);
  if (!items) return app.error_response(request, items.error());
  std::map<std::int64_t, call::Score> scores;
  for (const auto& c : *items) {
    std::string id = std::to_string(c.id);
    std::string level = request.field("score_" + id);
    call::Score score;
    // A level outside any scale (or no number) is -1, which the service refuses with the scale.
    if (!level.empty()) score.level = int(number::parse_int64(level, c.name, 0, 10).value_or(-1));
    score.comment = request.field("comment_" + id);
    scores[c.id] = score;
  }
  std::string comment = request.field("comment");
  const audit::Actor actor = audit::Actor::user(request.principal->user_id);
  auto saved = call::save_review(**tx, a.call, a.application.id, request.principal->user_id, scores, comment, actor,
                                 app.clock().now());
  bool submit = request.field("action") == "submit";
  Result<void> submitted;
  if (saved && submit) submitted = call::submit_review(**tx, a.call, a.application.id, request.principal->user_id, actor, app.clock().now());
  const Error* problem = !saved ? &saved.error() : (submit && !submitted) ? &submitted.error() : nullptr;
  if (problem) {
    if (!is_refusal(*problem)) return app.error_response(request, *problem);
    std::string message = problem->message;
    bool keep_draft = !!saved;  // the scores were valid: keep them even though submission failed
    if (keep_draft) {
      if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
    } else {
      tx->reset();
    }
    auto read = app.database().begin(db::TxMode::kRead);
    if (!read) return app.error_response(request, read.error());
    return score_page(app, request, **read, a, &scores, &comment, {message},
                      keep_draft ? "一時保存しました。提出するには次の点を確認してください。" : "保存できませんでした。",
                      http::status::unprocessable_entity);
  }
  if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
  if (request.field("action") == "confirm_submit") {
    // The draft is saved; ask once more, saying what submitting locks (the confirmation pattern).
    std::vector<std::string> unscored;
    call::Review draft;
    for (const auto& item : *items) {
      if (scores[item.id].level <= 0) unscored.push_back(item.name);
      draft.scores[item.id] = scores[item.id];
    }
    if (!unscored.empty()) {
      std::string names;
      for (const auto& name : unscored) names += (names.empty() ? "" : "、") + name;
      auto read = app.database().begin(db::TxMode::kRead);
      if (!read) return app.error_response(request, read.error());
      return score_page(app, request, **read, a, &scores, &comment, {"未評価の審査項目があります: " + names},
                        "一時保存しました。提出するには次の点を確認してください。", http::status::unprocessable_entity);
    }
    ConfirmView confirm;
    confirm.heading = "審査結果を提出しますか";
    confirm.lead = fmt::format("「{}」の審査結果を提出します。", a.application.organisation_name);
    confirm.consequences = {
        fmt::format("合計 {} 点（満点 {} 点）で提出します。", fmt::format("{}", draft.total(*items)),
                    fmt::format("{}", call::max_total(*items))),
        "提出後は、評価とコメントを変更できなくなります。",
        "事務局が提出を確認できるようになります。",
    };
    confirm.action = fmt::format("/review/applications/{}", a.application.id);
    for (const auto& field : request.form.fields()) {
      if (field.name == "csrf_token" || field.name == "action") continue;
      confirm.hidden.push_back(HiddenField{field.name, field.value});
    }
    confirm.hidden.push_back(HiddenField{"action", "submit"});
    confirm.confirm_label = "提出する";
    confirm.back_href = fmt::format("/review/applications/{}", a.application.id);
    confirm.back_label = "戻って見直す（一時保存済み）";
    return app.page(request, confirm.heading, "shared/confirm", confirm, {{"審査", "/review"}, {"提出の確認", ""}}, "/review");
  }
  return app.redirect_with_notice(request, fmt::format("/review/applications/{}", a.application.id),
                                  submit ? "審査結果を提出しました。" : "一時保存しました。");
}

Response staff_review(Application& app, Request& request) {
  return show_call(app, request, [&](db::Transaction& tx, const call::Call& c, const Notice* notice) {
    return staff_review_page(app, request, tx, c, {}, "", notice);
  });
}

Response auto_assign(Application& app, Request& request) {
  return change_review(app, request, "自動で割り当てられませんでした。",
                       [&](db::Transaction& tx, const call::Call& c) -> Result<std::string> {
    auto undeclared = call::undeclared_reviewers(tx, c.id);
    if (!undeclared) return fail(undeclared.error());
    auto cost = call::auto_assign(tx, c, audit::Actor::user(request.principal->user_id), app.clock().now());
    if (!cost) return fail(cost.error());
    std::string notice = fmt::format("自動で割り当てました（{}専門分野が一致しない組み合わせ: {} 件）。",
                                     c.balance_loads ? "件数の均等を優先、" : "", *cost);
    if (!undeclared->empty()) {
      std::string names;
      for (const auto& u : *undeclared) names += (names.empty() ? "" : "、") + u.name;
      notice += fmt::format("利害関係の申告が済んでいない審査委員（{}）には割り当てていません。", names);
    }
    return notice;
  });
}

Response assign_reviewer(Application& app, Request& request) {
  return change_review(app, request, "割り当てられませんでした。", [&](db::Transaction& tx, const call::Call& c) -> Result<std::string> {
    auto application = parse_id(request.field("application"));
    auto reviewer = parse_id(request.field("reviewer"));
    if (!application || !reviewer) return fail(Error::invalid("申請と審査委員を選んでください"));
    auto found = call::find_application(tx, *application);
    if (!found) return fail(found.error());
    if (!*found || (*found)->call_id != c.id) return fail(Error::invalid("この公募の申請ではありません"));
    auto done = call::assign(tx, *application, *reviewer, true, audit::Actor::user(request.principal->user_id), app.clock().now());
    if (!done) return fail(done.error());
    return std::string("割り当てを追加しました（固定）。");
  });
}

Response unassign_reviewer(Application& app, Request& request) {
  return change_review(app, request, "割り当てを外せませんでした。", [&](db::Transaction& tx, const call::Call& c) -> Result<std::string> {
    auto application = parse_id(request.field("application"));
    auto reviewer = parse_id(request.field("reviewer"));
    if (!application || !reviewer) return fail(Error::invalid("申請と審査委員を選んでください"));
    auto found = call::find_application(tx, *application);
    if (!found) return fail(found.error());
    if (!*found || (*found)->call_id != c.id) return fail(Error::invalid("この公募の申請ではありません"));
    auto done = call::unassign(tx, *application, *reviewer, audit::Actor::user(request.principal->user_id), app.clock().now());
    if (!done) return fail(done.error());
    return std::string("割り当てを外しました。");
  });
}

Response remind_reviewers(Application& app, Request& request) {
  return change_review(app, request, "リマインドを送れませんでした。", [&](db::Transaction& tx, const call::Call& c) -> Result<std::string> {
    auto sent = call::remind_reviewers(tx, c, audit::Actor::user(request.principal->user_id), app.clock().now());
    if (!sent) return fail(sent.error());
    if (*sent == 0) return std::string("未提出の審査はありません。リマインドは送っていません。");
    return fmt::format("{} 人の審査委員にリマインドを送りました。", *sent);
  });
}

}  // namespace

void register_call_review_routes(Application& app) {
  app.add_nav_item({"審査", "/review", auth::Action::kReview});
  // Reviewers are reminded two days before a call's review deadline, once (idempotent).
  app.add_periodic("call.review_reminders", std::chrono::seconds{20}, [&app]() -> Result<void> {
    auto sent = app.database().transact<int>(db::TxMode::kWrite, [&](db::Transaction& tx) {
      return call::remind_before_review_deadlines(tx, app.clock().now());
    });
    if (!sent) return fail(sent.error());
    return {};
  });

  app.get("/review", {.required = auth::Action::kReview}, review_home);

  app.post("/review/expertise", {.required = auth::Action::kReview, .body = BodyKind::kForm}, save_expertise);


  app.get("/review/calls/{id}/conflicts", {.required = auth::Action::kReview}, show_conflicts);

  app.post("/review/calls/{id}/conflicts", {.required = auth::Action::kReview, .body = BodyKind::kForm}, save_conflicts);

  app.get("/review/applications/{id}", {.required = auth::Action::kReview}, show_score);

  app.post("/review/applications/{id}", {.required = auth::Action::kReview, .body = BodyKind::kForm}, save_score);

  // ---- the secretariat's side
  app.get("/admin/calls/{id}/review", {.required = auth::Action::kManageReview, .protected_info = true}, staff_review);

  app.post("/admin/calls/{id}/review/auto", {.required = auth::Action::kManageReview, .body = BodyKind::kForm, .protected_info = true}, auto_assign);

  app.post("/admin/calls/{id}/review/assign", {.required = auth::Action::kManageReview, .body = BodyKind::kForm, .protected_info = true}, assign_reviewer);

  app.post("/admin/calls/{id}/review/unassign", {.required = auth::Action::kManageReview, .body = BodyKind::kForm, .protected_info = true}, unassign_reviewer);

  app.post("/admin/calls/{id}/review/remind", {.required = auth::Action::kManageReview, .body = BodyKind::kForm, .protected_info = true}, remind_reviewers);
}

}  // namespace kakehashi::web
