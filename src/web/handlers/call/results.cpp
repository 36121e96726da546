// Results and selection (R2.6): weighted totals per reviewer, means, per-reviewer normalised
// scores with a warning when normalisation changes a block's leader, the per-block ranking, the
// selection solver's proposal, the committee's decision with a rationale per block, METI's
// approval and publication with notifications; the scoring sheet (XLSX) and the result summary
// (PDF through the document engine).
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <unistd.h>

#include "base/date.h"
#include "base/text.h"
#include "base/yen.h"
#include "call/engine/engine.h"
#include "docs/render.h"
#include "web/content_disposition.h"
#include "geo/geo.h"
#include "auth/users.h"
#include "web/confirm_view.h"
#include "web/handlers/call/common.h"
#include "operations/service.h"

namespace kakehashi::web {
namespace {

using namespace callweb;
namespace engine = call::engine;

std::string points(double value) { return fmt::format("{:.1f}", value); }

using Results = call::Results;

// The score basis asked for (?basis= on the page, the hidden field on the decision form).
call::ScoreBasis basis_of(const Request& request) {
  std::string basis = request.method == http::verb::post ? request.field("basis") : request.query_param("basis");
  return basis == "normalised" ? call::ScoreBasis::kNormalised : call::ScoreBasis::kMean;
}

Response results_page(Application& app, Request& request, db::Transaction& tx, const call::Call& c,
                      const FormProblems& problems, const std::string& errors_title, const Notice* notice,
                      http::status status = http::status::ok) {
  const auth::Principal& who = *request.principal;
  bool normalised_basis = basis_of(request) == call::ScoreBasis::kNormalised;
  auto results = call::results(tx, c, basis_of(request));
  if (!results) return app.error_response(request, results.error());
  const Results& r = *results;
  AdminResultsView content;
  content.call = call_fields(c, app.clock().now());
  content.tabs = call_tabs(request, c.id, "results");
  content.review_count = r.review_count;
  content.max_total = points(call::max_total(r.criteria));
  content.method = r.table.method;
  std::string normalised_names;
  for (const auto& id : r.table.normalised_reviewers) {
    normalised_names += (normalised_names.empty() ? "" : "、") + (r.reviewer_names.contains(id) ? r.reviewer_names.at(id) : id);
  }
  content.has_normalised = !normalised_names.empty();
  content.normalised_reviewers = normalised_names;
  for (const auto& change : r.changes) {
    content.changes.push_back(LeaderChange{geo::block_label(change.block), r.label(std::stoll(change.leader_by_mean)),
                                           r.label(std::stoll(change.leader_by_normalised))});
  }
  content.has_changes = !content.changes.empty();
  content.basis = normalised_basis ? "normalised" : "mean";
  content.basis_normalised = normalised_basis;
  content.basis_label = normalised_basis ? "正規化点" : "平均点";
  std::string unapplied;  // blocks nobody applied to: one line instead of one empty table each
  for (const auto& block : c.blocks) {
    std::vector<const call::ApplicationSummary*> here;
    for (const auto& a : r.applications) {
      if (std::any_of(a.blocks.begin(), a.blocks.end(), [&](const auto& b) { return b.block == block; })) here.push_back(&a);
    }
    if (here.empty()) {
      unapplied += (unapplied.empty() ? "" : "・") + geo::block_label(block);
      continue;
    }
    std::stable_sort(here.begin(), here.end(), [&](const auto* x, const auto* y) { return r.score(x->id) > r.score(y->id); });
    auto proposed = r.proposed_for(block);
    RankBlock b{.name = geo::block_label(block)};
    int rank = 0;
    for (const auto* a : here) {
      RankRow row;
      row.rank = r.scored.contains(a->id) ? std::to_string(++rank) : "—";
      row.id = a->id;
      row.receipt_number = a->receipt_number.value_or("");
      row.organisation = a->organisation_name;
      for (const auto& req : a->blocks) {
        if (req.block == block) row.requested = format_yen(req.requested);
      }
      std::string totals;
      if (r.totals.contains(a->id)) {
        for (const auto& t : r.totals.at(a->id)) totals += (totals.empty() ? "" : "、") + fmt::format("{} {}", t.reviewer, points(t.total));
      }
      row.totals = totals.empty() ? "（未審査）" : totals;
      bool has = r.scored.contains(a->id);
      row.mean = has ? points(r.scored.at(a->id).mean) : "—";
      row.normalised = has ? points(r.scored.at(a->id).normalised) : "—";
      row.submitted_at = a->submitted_at ? japan_time(*a->submitted_at) : "";
      row.proposed = proposed && *proposed == a->id;
      b.rows.push_back(std::move(row));
    }
    b.has_rows = !b.rows.empty();
    content.blocks.push_back(std::move(b));
  }
  if (!unapplied.empty()) content.unapplied = unapplied;
  if (r.proposal) {
    content.proposal = ProposalTotals{format_yen(r.proposal->total_amount), points(r.proposal->total_score)};
  } else {
    content.proposal_error = r.review_count == 0 ? std::string("提出済みの審査がまだないため、選定案を作れません。") : r.proposal.error().message;
  }
  if (c.min_total) content.min_total = points(*c.min_total);
  std::string without;
  for (const auto& block : r.without_candidates) without += (without.empty() ? "" : "・") + geo::block_label(block);
  if (!without.empty()) content.without_candidates = without;

  auto recorded = call::decision(tx, c.id);
  if (!recorded) return app.error_response(request, recorded.error());
  bool open_decision = c.decision == call::DecisionState::kNone || c.decision == call::DecisionState::kRecorded ||
                       c.decision == call::DecisionState::kReturned;
  {
    // Who recorded and who approved, by name and when; METI's return with its comment.
    std::vector<std::int64_t> ids;
    for (auto id : {c.decision_recorded_by, c.approved_by, c.returned_by}) if (id) ids.push_back(*id);
    auto names = auth::user_names(tx, ids);
    if (!names) return app.error_response(request, names.error());
    auto name = [&](std::optional<std::int64_t> id) {
      return id && names->contains(*id) ? names->at(*id) : std::string("（不明）");
    };
    if (c.decision_recorded_by && c.decision != call::DecisionState::kReturned)
      content.recorded_by = fmt::format("{}（{}）", name(c.decision_recorded_by), japan_time(c.decision_recorded_at.value_or("")));
    if (c.approved_by && c.approved_at) content.approved_by = fmt::format("{}（{}）", name(c.approved_by), japan_time(*c.approved_at));
    if (c.decision == call::DecisionState::kReturned && c.returned_at) {
      content.returned = fmt::format("経済産業省の{}が {} に決定を差し戻しました。コメント: {}", name(c.returned_by),
                                     japan_time(*c.returned_at), c.return_comment.value_or(""));
    }
    content.can_return = c.decision == call::DecisionState::kRecorded && auth::allowed(who, auth::Action::kApproveSelection);
    content.e_return_comment = problems.at("return_comment");
    // Ranking and decision rest on the submitted reviews: say when some are missing.
    auto people = call::progress(tx, c.id);
    if (!people) return app.error_response(request, people.error());
    int assigned = 0, submitted = 0;
    for (const auto& p : *people) {
      assigned += p.assigned;
      submitted += p.submitted;
    }
    if (submitted < assigned && c.decision != call::DecisionState::kPublished) {
      content.incomplete_reviews = fmt::format(
          "審査が {} 件未提出です（割り当て {} 件のうち提出 {} 件）。順位と選定案は提出済みの審査だけで計算しています。",
          assigned - submitted, assigned, submitted);
    }
  }
  // The committee decides on what the call received: the form appears once the call has closed.
  bool closed = c.phase(app.clock().now()) == call::Phase::kClosed;
  bool can_decide = auth::allowed(who, auth::Action::kDecideSelection) && open_decision && closed;
  content.can_decide = can_decide;
  if (auth::allowed(who, auth::Action::kDecideSelection) && open_decision && !closed)
    content.decision_note = fmt::format("委員会の決定は締切（{}）の後に記録できます。", tokyo_datetime_japanese(c.closes_at));
  if (can_decide) {
    bool posted = request.method == http::verb::post && request.path.ends_with("/decision");
    for (const auto& block : c.blocks) {
      auto existing = std::find_if(recorded->begin(), recorded->end(), [&](const auto& l) { return l.block == block; });
      auto proposed = r.proposed_for(block);
      DecisionRow row;
      std::optional<std::int64_t> chosen = existing != recorded->end() ? std::optional(existing->application_id) : proposed;
      bool without_candidates = std::find(r.without_candidates.begin(), r.without_candidates.end(), block) != r.without_candidates.end();
      std::string chosen_text = posted ? request.field("application_" + block)
                                : chosen && *chosen != 0 ? std::to_string(*chosen)
                                : (chosen || without_candidates) ? "none" : "";
      row.none_selected = chosen_text == "none";
      row.block = block;
      row.name = geo::block_label(block);
      std::string amount;
      for (const auto& a : r.applications) {
        for (const auto& req : a.blocks) {
          if (req.block != block) continue;
          bool selected = chosen_text == std::to_string(a.id);
          row.options.push_back(DecisionOption{
              a.id,
              fmt::format("{}（{}・{}・{} 点）{}", a.organisation_name, a.receipt_number.value_or(""), format_yen(req.requested),
                          points(r.score(a.id)), proposed && *proposed == a.id ? "【提案】" : ""),
              selected});
          if (selected) amount = std::to_string(existing != recorded->end() && existing->application_id == a.id ? existing->amount : req.requested);
        }
      }
      row.amount = posted ? request.field("amount_" + block) : amount;
      // A block without eligible applications starts with the usual wording; the committee may change it.
      std::string rationale = existing != recorded->end() ? existing->rationale
                              : without_candidates   ? "採択できる申請がなかったため、該当なしとする。"
                                                     : "";
      row.rationale = posted ? request.field("rationale_" + block) : rationale;
      row.e_application = problems.at("application_" + block);
      row.e_amount = problems.at("amount_" + block);
      row.e_rationale = problems.at("rationale_" + block);
      content.decision_rows.push_back(std::move(row));
    }
  }
  if (!recorded->empty()) {
    std::int64_t total = 0;
    for (const auto& line : *recorded) {
      const auto* a = r.application(line.application_id);
      content.decision.push_back(DecisionLineRow{geo::block_label(line.block), a != nullptr, a ? a->organisation_name : "",
                                                 a ? a->receipt_number.value_or("") : "", a ? format_yen(line.amount) : "—",
                                                 line.differs_from_proposal() ? "提案と異なる" : "提案どおり", line.rationale});
      total += line.amount;
    }
    content.has_decision = true;
    content.decision_total = format_yen(total);
    content.can_approve = c.decision == call::DecisionState::kRecorded && auth::allowed(who, auth::Action::kApproveSelection);
    content.can_publish = c.decision == call::DecisionState::kApproved && auth::allowed(who, auth::Action::kDecideSelection);
  }
  content.error_summary = problems.summary(errors_title);
  if (notice) content.flash = *notice;
  return app.page(request, "結果・選定", "call/admin_results", content,
                  {{"公募の管理", "/admin/calls"}, {c.title, ""}, {"結果・選定", ""}}, "/admin/calls", status);
}

// A change on the results of call {id}; a refused one shows the results page with its message.
Response change_results(Application& app, Request& request, const std::string& errors_title, const CallChange& change) {
  return change_call(app, request, true, "/results", change,
                     [&](db::Transaction& tx, const call::Call& c, const std::vector<std::string>& errors) {
    FormProblems problems;
    for (const auto& line : errors) problems.add("", line);
    return results_page(app, request, tx, c, problems, errors_title, nullptr, http::status::unprocessable_entity);
  });
}

// Backslash-escapes Markdown punctuation so names and rationales print as typed.
std::string markdown_text(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (ch == '\n' || ch == '\r') {
      out += ' ';
      continue;
    }
    if (std::string_view("\\`*_{}[]()#+-.!|<>~&").find(ch) != std::string_view::npos) out += '\\';
    out += ch;
  }
  return out;
}

std::string summary_markdown(const call::Call& c, const Results& r, const std::vector<call::DecisionLine>& lines,
                             const std::vector<call::Publicity>& publicity, call::Instant now,
                             const std::string& signatures) {
  std::string md = fmt::format("---\ntitle: {} 審査結果の概要\nissuer: 事務局\ndate: {}\n---\n\n", markdown_text(c.title),
                               tokyo_date(now).japanese());
  md += "# 公募と審査の概要\n\n";
  md += fmt::format("受付期間は{}から{}まで（日本時間）。対象は{}ブロック、交付額は1ブロックあたり{}から{}、予算上限は{}です。\n\n",
                    tokyo_datetime_japanese(c.opens_at), tokyo_datetime_japanese(c.closes_at), c.blocks.size(),
                    format_yen(c.award_min), format_yen(c.award_max), format_yen(c.budget_total));
  md += fmt::format("提出された申請は{}件、提出済みの審査は{}件です。得点は各項目の評価段階と重みの積の和（満点{}点）です。\n\n",
                    r.applications.size(), r.review_count, points(call::max_total(r.criteria)));
  md += markdown_text(r.table.method) + "\n\n";
  md += "| 審査項目 | 重み | 段階数 |\n| :--- | ---: | ---: |\n";
  for (const auto& item : r.criteria) md += fmt::format("| {} | {} | {} |\n", markdown_text(item.name), item.weight, item.levels());
  md += "\nTable: 審査基準\n\n";
  if (!publicity.empty()) {
    md += "## 公募の周知\n\n| 日付 | 方法 | 内容 | 人数（人） |\n| :--- | :--- | :--- | ---: |\n";
    for (const auto& e : publicity) {
      md += fmt::format("| {} | {} | {} | {} |\n", e.published_on,
                        markdown_text(call::publicity_channel_label(e.channel).value_or(e.channel)), markdown_text(e.description),
                        e.reach ? docs::format_number(double(*e.reach), 0) : "—");
    }
    md += "\nTable: 公募の周知の記録\n\n";
  }
  md += "# 選定結果\n\n";
  std::string state(call::decision_label(c.decision));
  md += fmt::format("状態: {}。\n\n", state);
  if (!signatures.empty()) md += signatures + "\n\n";
  if (lines.empty()) {
    md += "委員会の決定はまだ記録されていません。\n\n";
  } else {
    md += "| ブロック | 採択事業者 | 受付番号 | 交付額（円） | 平均点（点） |\n| :--- | :--- | :--- | ---: | ---: |\n";
    std::int64_t total = 0;
    for (const auto& line : lines) {
      const auto* a = r.application(line.application_id);
      bool scored = r.scored.contains(line.application_id);
      md += fmt::format("| {} | {} | {} | {} | {} |\n", geo::block_label(line.block), markdown_text(a ? a->organisation_name : "該当なし"),
                        markdown_text(a ? a->receipt_number.value_or("") : "—"),
                        a ? docs::format_number(double(line.amount), 0) : "—",
                        scored ? points(r.scored.at(line.application_id).mean) : "—");
      total += line.amount;
    }
    md += "\nTable: ブロック別の採択結果\n\n";
    md += fmt::format("交付額の合計は{}です。\n\n", format_yen(total));
    md += "## 選定理由\n\n";
    for (const auto& line : lines) {
      md += fmt::format("- **{}**: {}\n", geo::block_label(line.block), markdown_text(line.rationale));
    }
    md += "\n";
  }
  md += "# ブロック別の申請と得点\n\n";
  md += "| ブロック | 申請者 | 申請額（円） | 平均点（点） | 正規化点（点） |\n| :--- | :--- | ---: | ---: | ---: |\n";
  for (const auto& block : c.blocks) {
    for (const auto& a : r.applications) {
      for (const auto& req : a.blocks) {
        if (req.block != block) continue;
        bool has = r.scored.contains(a.id);
        md += fmt::format("| {} | {} | {} | {} | {} |\n", geo::block_label(block), markdown_text(a.organisation_name),
                          docs::format_number(double(req.requested), 0), has ? points(r.scored.at(a.id).mean) : "—",
                          has ? points(r.scored.at(a.id).normalised) : "—");
      }
    }
  }
  md += "\nTable: 申請と得点の一覧\n";
  return md;
}

Response show_results(Application& app, Request& request) {
  return show_call(app, request, [&](db::Transaction& tx, const call::Call& c, const Notice* notice) {
    return results_page(app, request, tx, c, {}, "", notice);
  });
}

// The committee's decision as typed: one line per block of the call. The solver's proposal is
// not read from the form: the service recomputes it on the basis shown (mean or normalised).
Response record_decision(Application& app, Request& request) {
  // Every problem of the decision as typed, at its field, in one pass; then the change.
  FormProblems problems;
  std::vector<call::DecisionLine> lines;
  {
    auto tx = app.database().begin(db::TxMode::kRead);
    if (!tx) return app.error_response(request, tx.error());
    auto c = load_call(**tx, request);
    if (!c) return app.error_response(request, c.error());
    if (!*c || !(*c)->published) return app.error(request, http::status::not_found);
    std::vector<call::DecisionLine> checkable;
    for (const auto& block : (*c)->blocks) {
      std::string label = geo::block_label(block);
      std::string chosen = request.field("application_" + block);
      std::string rationale = request.field("rationale_" + block);
      if (chosen == "none") {
        lines.push_back({block, 0, 0, std::nullopt, rationale});
        continue;
      }
      auto application = parse_id(chosen);
      if (!application) problems.add("application_" + block, fmt::format("{}の採択する申請を選んでください", label));
      auto amount = parse_yen(request.field("amount_" + block), fmt::format("{}の交付額", label),
                              fmt::format("{}の交付額を円単位の数字で入力してください", label));
      if (!amount) problems.add("amount_" + block, amount.error().message);
      if (text::trim(rationale).empty()) problems.add("rationale_" + block, fmt::format("{}の選定理由を入力してください", label));
      if (application && amount) lines.push_back({block, *application, *amount, std::nullopt, rationale});
    }
    if (!problems.empty()) {
      // The rules on the lines that could be read (amount ranges, the total), once.
      auto more = call::decision_problems(**tx, **c, lines);
      if (!more) return app.error_response(request, more.error());
      for (const auto& p : *more) {
        if (p.field.starts_with("application_") &&
            std::none_of(lines.begin(), lines.end(), [&](const auto& l) { return "application_" + l.block == p.field; }))
          continue;  // a block already reported as unreadable
        if (!problems.at(p.field) || p.field.empty()) problems.add(p.field, p.message);
      }
      return results_page(app, request, **tx, **c, problems, "決定を記録できませんでした。", nullptr,
                          http::status::unprocessable_entity);
    }
    auto more = call::decision_problems(**tx, **c, lines);
    if (!more) return app.error_response(request, more.error());
    if (!more->empty() && (*c)->decision != call::DecisionState::kApproved && (*c)->decision != call::DecisionState::kPublished) {
      for (const auto& p : *more) problems.add(p.field, p.message);
      return results_page(app, request, **tx, **c, problems, "決定を記録できませんでした。", nullptr,
                          http::status::unprocessable_entity);
    }
  }
  if (request.field("step") == "confirm") {
    auto tx = app.database().begin(db::TxMode::kRead);
    if (!tx) return app.error_response(request, tx.error());
    auto c = load_call(**tx, request);
    if (!c) return app.error_response(request, c.error());
    if (!*c) return app.error(request, http::status::not_found);
    auto apps = call::list_applications(**tx, (*c)->id, true);
    if (!apps) return app.error_response(request, apps.error());
    auto approvers = auth::users_with_role(**tx, auth::Role::kMeti);
    if (!approvers) return app.error_response(request, approvers.error());
    ConfirmView confirm;
    confirm.heading = "委員会の決定を記録しますか";
    confirm.lead = "次の内容で委員会の決定を記録します。";
    std::int64_t total = 0;
    for (const auto& line : lines) {
      std::string who = "該当なし";
      for (const auto& a : *apps) {
        if (a.id == line.application_id) who = fmt::format("{}（{}）", a.organisation_name, a.receipt_number.value_or(""));
      }
      confirm.consequences.push_back(line.application_id == 0
                                         ? fmt::format("{}: 該当なし", geo::block_label(line.block))
                                         : fmt::format("{}: {}・交付額 {}", geo::block_label(line.block), who, format_yen(line.amount)));
      total += line.amount;
    }
    int others = 0;
    for (const auto& user : *approvers) others += user.id != request.principal->user_id;
    confirm.consequences.push_back(fmt::format("交付額の合計は {} です。", format_yen(total)));
    confirm.consequences.push_back(fmt::format("経済産業省の担当者 {} 人に承認を依頼する通知を送ります。", others));
    confirm.consequences.push_back("記録した後は、申請・審査の割り当て・審査結果を変更できなくなります。");
    auto people = call::progress(**tx, (*c)->id);
    if (!people) return app.error_response(request, people.error());
    int missing = 0;
    for (const auto& p : *people) missing += p.assigned - p.submitted;
    if (missing > 0) confirm.warning = fmt::format("審査が {} 件未提出のまま記録しようとしています。", missing);
    confirm.action = fmt::format("/admin/calls/{}/results/decision", (*c)->id);
    for (const auto& field : request.form.fields()) {
      if (field.name == "csrf_token" || field.name == "step") continue;
      confirm.hidden.push_back(HiddenField{field.name, field.value});
    }
    confirm.confirm_label = "記録する";
    confirm.back_href = fmt::format("/admin/calls/{}/results", (*c)->id);
    confirm.back_label = "戻って修正する";
    return app.page(request, confirm.heading, "shared/confirm", confirm,
                    {{"公募の管理", "/admin/calls"}, {(*c)->title, ""}, {"結果・選定", fmt::format("/admin/calls/{}/results", (*c)->id)}, {"記録の確認", ""}},
                    "/admin/calls");
  }
  return change_results(app, request, "決定を記録できませんでした。", [&](db::Transaction& tx, const call::Call& c) -> Result<std::string> {
    auto done = call::record_decision(tx, c, lines, audit::Actor::user(request.principal->user_id), app.clock().now(),
                                      basis_of(request));
    if (!done) return fail(done.error());
    return std::string("委員会の決定を記録しました。経済産業省の承認を依頼してください。");
  });
}

Response approve_decision(Application& app, Request& request) {
  return change_results(app, request, "承認できませんでした。", [&](db::Transaction& tx, const call::Call& c) -> Result<std::string> {
    auto done = call::approve_decision(tx, c, audit::Actor::user(request.principal->user_id), app.clock().now());
    if (!done) return fail(done.error());
    return std::string("委員会の決定を承認しました。事務局が結果を公表できます。");
  });
}

// The confirmation pages of approving and publishing (GET: the buttons lead here).
Response confirm_approve(Application& app, Request& request) {
  return show_call(app, request, [&](db::Transaction& tx, const call::Call& c, const Notice*) -> Response {
    if (c.decision != call::DecisionState::kRecorded || !c.published) return app.error(request, http::status::not_found);
    auto lines = call::decision(tx, c.id);
    if (!lines) return app.error_response(request, lines.error());
    auto staff = auth::users_with_role(tx, auth::Role::kSecretariat);
    if (!staff) return app.error_response(request, staff.error());
    std::int64_t total = 0;
    for (const auto& line : *lines) total += line.amount;
    ConfirmView confirm;
    confirm.heading = "委員会の決定を承認しますか";
    confirm.lead = fmt::format("「{}」の委員会の決定（{} ブロック・交付額の合計 {}）を承認します。", c.title, lines->size(), format_yen(total));
    confirm.consequences = {
        "承認した決定は変更できなくなります（差し戻す場合は、承認せずに結果・選定の画面から差し戻してください）。",
        fmt::format("事務局 {} 人に承認を通知します。事務局が結果を公表し、申請者に通知します。", staff->size()),
    };
    confirm.action = fmt::format("/admin/calls/{}/results/approve", c.id);
    confirm.confirm_label = "承認する";
    confirm.back_href = fmt::format("/admin/calls/{}/results", c.id);
    return app.page(request, confirm.heading, "shared/confirm", confirm,
                    {{"公募の管理", "/admin/calls"}, {c.title, confirm.back_href}, {"承認の確認", ""}}, "/admin/calls");
  });
}

Response confirm_publish(Application& app, Request& request) {
  return show_call(app, request, [&](db::Transaction& tx, const call::Call& c, const Notice*) -> Response {
    if (c.decision != call::DecisionState::kApproved || !c.published) return app.error(request, http::status::not_found);
    auto apps = call::list_applications(tx, c.id, true);
    if (!apps) return app.error_response(request, apps.error());
    auto lines = call::decision(tx, c.id);
    if (!lines) return app.error_response(request, lines.error());
    std::set<std::int64_t> organisations;
    std::size_t people = 0;
    for (const auto& a : *apps) {
      if (!organisations.insert(a.organisation_id).second) continue;
      auto users = auth::active_users_of(tx, a.organisation_id);
      if (!users) return app.error_response(request, users.error());
      people += users->size();
    }
    std::size_t bureau = 0;
    int awarded = 0;
    for (const auto& line : *lines) {
      if (line.application_id == 0) continue;
      ++awarded;
      auto users = auth::users_with_role(tx, auth::Role::kBureau, line.block);
      if (!users) return app.error_response(request, users.error());
      bureau += users->size();
    }
    ConfirmView confirm;
    confirm.heading = "結果を公表し、申請者に通知しますか";
    confirm.lead = fmt::format("「{}」の承認済みの結果を公表します。公表は取り消せません。", c.title);
    confirm.consequences = {
        fmt::format("申請者 {} 団体（{} 人）に、採択・不採択の結果を通知します（お知らせとメール）。", organisations.size(), people),
        fmt::format("採択 {} ブロックの経済産業局の担当者 {} 人に通知します。", awarded, bureau),
        "公募ページに、ブロックごとの採択事業者・交付額・公表日を掲載します。",
    };
    confirm.action = fmt::format("/admin/calls/{}/results/publish", c.id);
    confirm.confirm_label = "公表して通知する";
    confirm.back_href = fmt::format("/admin/calls/{}/results", c.id);
    return app.page(request, confirm.heading, "shared/confirm", confirm,
                    {{"公募の管理", "/admin/calls"}, {c.title, confirm.back_href}, {"公表の確認", ""}}, "/admin/calls");
  });
}

// METI gives the recorded decision back with a comment (required), shown at its field.
Response return_decision(Application& app, Request& request) {
  std::string comment = request.field("comment");
  if (text::trim(comment).empty()) {
    auto tx = app.database().begin(db::TxMode::kRead);
    if (!tx) return app.error_response(request, tx.error());
    auto c = load_call(**tx, request);
    if (!c) return app.error_response(request, c.error());
    if (!*c || !(*c)->published) return app.error(request, http::status::not_found);
    FormProblems problems;
    problems.add("return_comment", "差し戻しの理由を入力してください");
    return results_page(app, request, **tx, **c, problems, "差し戻せませんでした。", nullptr, http::status::unprocessable_entity);
  }
  return change_results(app, request, "差し戻せませんでした。", [&](db::Transaction& tx, const call::Call& c) -> Result<std::string> {
    auto done = call::return_decision(tx, c, comment, audit::Actor::user(request.principal->user_id), app.clock().now());
    if (!done) return fail(done.error());
    return std::string("委員会の決定を差し戻しました。事務局に通知しました。");
  });
}

Response publish_results(Application& app, Request& request) {
  return change_results(app, request, "公表できませんでした。", [&](db::Transaction& tx, const call::Call& c) -> Result<std::string> {
    auto actor = audit::Actor::user(request.principal->user_id);
    auto sent = call::publish_results(tx, c, actor, app.clock().now());
    if (!sent) return fail(sent.error());
    // The winners become the operators of the programme year in the same transaction (issue 15).
    auto operators = operations::adopt_published_results(tx, c, actor, app.clock().now());
    if (!operators) return fail(operators.error());
    return fmt::format("結果を公表し、{} 件の通知を送りました。実証事業者 {} 者を登録しました。", *sent, *operators);
  });
}

// The scoring sheet: one row per submitted review and criterion, numbers as numbers.
Response scores_xlsx(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto c = load_call(**tx, request);
  if (!c) return app.error_response(request, c.error());
  if (!*c) return app.error(request, http::status::not_found);
  auto results = call::results(**tx, **c, call::ScoreBasis::kMean);
  if (!results) return app.error_response(request, results.error());
  docs::DataTable table;
  table.header = {"受付番号", "申請者", "審査委員", "審査項目", "重み", "評価段階", "得点（点）", "委員の合計点（点）", "平均点（点）", "正規化点（点）"};
  auto number = [](double v) { return docs::DataCell{fmt::format("{}", v), v, true}; };
  auto text = [](std::string s) { return docs::DataCell{std::move(s), 0, false}; };
  for (const auto& a : results->applications) {
    for (const auto& review : results->reviews) {
      if (review.application_id != a.id) continue;
      double total = review.total(results->criteria);
      const auto& scored = results->scored.at(a.id);
      for (const auto& item : results->criteria) {
        int level = review.scores.contains(item.id) ? review.scores.at(item.id).level : 0;
        table.rows.push_back({text(a.receipt_number.value_or("")), text(a.organisation_name), text(review.reviewer_name),
                              text(item.name), number(item.weight), number(level), number(double(item.weight) * level),
                              number(total), number(scored.mean), number(scored.normalised)});
      }
    }
  }
  tx->reset();
  if (auto logged = audit::append(app.database(),
                                  audit::by_user(request.principal->user_id, "results.export", fmt::format("call:{}", (*c)->id)),
                                  app.clock().now());
      !logged)
    return app.error_response(request, logged.error());
  return xlsx_download(app, request, "採点表", std::move(table),
                       fmt::format("採点表_{}.xlsx", app.clock().today_in_tokyo().iso()));
}

// The result summary (PDF through the document engine).
Response summary_pdf(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto c = load_call(**tx, request);
  if (!c) return app.error_response(request, c.error());
  if (!*c) return app.error(request, http::status::not_found);
  auto results = call::results(**tx, **c, call::ScoreBasis::kMean);
  if (!results) return app.error_response(request, results.error());
  auto lines = call::decision(**tx, (*c)->id);
  if (!lines) return app.error_response(request, lines.error());
  auto publicity = call::publicity(**tx, (*c)->id);
  if (!publicity) return app.error_response(request, publicity.error());
  // Who recorded the decision and who approved it, and when (item 5).
  std::string signatures;
  {
    std::vector<std::int64_t> ids;
    for (auto id : {(*c)->decision_recorded_by, (*c)->approved_by}) if (id) ids.push_back(*id);
    auto names = auth::user_names(**tx, ids);
    if (!names) return app.error_response(request, names.error());
    auto name = [&](std::optional<std::int64_t> id) { return id && names->contains(*id) ? names->at(*id) : std::string("—"); };
    if ((*c)->decision_recorded_by && (*c)->decision != call::DecisionState::kReturned)
      signatures += fmt::format("委員会の決定の記録: {}（{}）。", markdown_text(name((*c)->decision_recorded_by)),
                                japan_time((*c)->decision_recorded_at.value_or("")));
    if ((*c)->approved_by && (*c)->approved_at)
      signatures += fmt::format("経済産業省の承認: {}（{}）。", markdown_text(name((*c)->approved_by)), japan_time(*(*c)->approved_at));
  }
  std::string md = summary_markdown(**c, *results, *lines, *publicity, app.clock().now(), signatures);
  tx->reset();
  std::string pattern = (std::filesystem::temp_directory_path() / "kakehashi-summary-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) return app.error(request, http::status::internal_server_error);
  std::filesystem::path dir = pattern;
  auto remove_dir = [&dir] {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  };
  std::filesystem::path input = dir / "summary.md";
  if (auto written = docs::write_file(input, md); !written) {
    remove_dir();
    return app.error_response(request, written.error());
  }
  docs::RenderOptions options;
  options.html = options.docx = options.figures = false;
  auto rendered = docs::render_markdown_file(input, dir / "out", options);
  if (!rendered || rendered->files.empty()) {
    remove_dir();
    return app.error(request, http::status::internal_server_error);
  }
  std::ifstream in(rendered->files.front(), std::ios::binary);
  std::string pdf(std::istreambuf_iterator<char>(in), {});
  remove_dir();
  if (auto logged = audit::append(app.database(),
                                  audit::by_user(request.principal->user_id, "results.summary", fmt::format("call:{}", (*c)->id)),
                                  app.clock().now());
      !logged)
    return app.error_response(request, logged.error());
  Response response;
  response.content_type = "application/pdf";
  response.body = std::move(pdf);
  response.with_header("Content-Disposition", content_disposition(fmt::format("審査結果概要_{}.pdf", app.clock().today_in_tokyo().iso())));
  return response;
}

}  // namespace

void register_call_results_routes(Application& app) {
  const RouteOptions decide{.required = auth::Action::kDecideSelection, .body = BodyKind::kForm, .protected_info = true};
  app.get("/admin/calls/{id}/results", {.required = auth::Action::kViewResults, .protected_info = true}, show_results);
  app.post("/admin/calls/{id}/results/decision", decide, record_decision);
  app.post("/admin/calls/{id}/results/approve", {.required = auth::Action::kApproveSelection, .body = BodyKind::kForm, .protected_info = true},
           approve_decision);
  app.post("/admin/calls/{id}/results/publish", decide, publish_results);
  app.get("/admin/calls/{id}/results/approve", {.required = auth::Action::kApproveSelection, .protected_info = true}, confirm_approve);
  app.get("/admin/calls/{id}/results/publish", {.required = auth::Action::kDecideSelection, .protected_info = true}, confirm_publish);
  app.post("/admin/calls/{id}/results/return", {.required = auth::Action::kApproveSelection, .body = BodyKind::kForm, .protected_info = true},
           return_decision);
  app.get("/admin/calls/{id}/results/scores.xlsx", {.required = auth::Action::kViewResults, .protected_info = true}, scores_xlsx);
  app.get("/admin/calls/{id}/results/summary.pdf", {.required = auth::Action::kViewResults, .protected_info = true}, summary_pdf);
}

}  // namespace kakehashi::web
