// The staff's knowledge screens (issue 19): overview with the open-data and report downloads,
// search of cases and lessons within reach, the form, an item's page with its curation
// (submit, return, personal-information check, acceptance, approval, publication, withdrawal),
// photos, the stakeholder map and the import of last year's collection.
#include <charconv>

#include <fmt/format.h>

#include <algorithm>

#include "base/date.h"
#include "base/text.h"
#include "docs/figures.h"
#include "docs/html.h"
#include "docs/markdown.h"
#include "geo/geo.h"
#include "knowledge/import.h"
#include "knowledge/opendata.h"
#include "knowledge/service.h"
#include "operations/service.h"
#include "web/handlers/knowledge/common.h"

namespace kakehashi::web {
namespace {

using namespace knowweb;
using knowledge::Kind;
using knowledge::Status;

std::optional<std::int64_t> id_param(const Request& request, const char* name = "id") {
  auto it = request.params.find(name);
  if (it == request.params.end()) return std::nullopt;
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), id);
  if (ec != std::errc{} || end != it->second.data() + it->second.size() || id <= 0) return std::nullopt;
  return id;
}

bool curator(const Request& request) { return auth::may(*request.principal, auth::Action::kCurateKnowledge); }

std::vector<Breadcrumb> crumbs(const std::string& last, const std::string& middle = "", const std::string& middle_href = "") {
  std::vector<Breadcrumb> out = {{"知見", "/knowledge"}};
  if (!middle.empty()) out.push_back({middle, middle_href});
  out.push_back({last, ""});
  return out;
}

// ---- Overview
Response overview(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  OverviewView view;
  view.tabs = staff_tabs("/knowledge", curator(request));
  view.can_curate = curator(request);
  auto count = [&](Kind kind, std::optional<Status> status) -> Result<std::int64_t> {
    knowledge::SearchRequest s;
    s.kind = kind;
    s.status = status;
    s.per_page = 1;
    auto r = knowledge::search_for(**tx, *request.principal, s);
    if (!r) return fail(r.error());
    return r->total;
  };
  for (auto [target, kind, status] : {std::tuple{&view.published_cases, Kind::kCase, Status::kPublished},
                                      std::tuple{&view.published_lessons, Kind::kLesson, Status::kPublished}}) {
    auto n = count(kind, status);
    if (!n) return app.error_response(request, n.error());
    *target = *n;
  }
  for (Kind kind : {Kind::kCase, Kind::kLesson}) {
    auto review = count(kind, Status::kReview);
    if (!review) return app.error_response(request, review.error());
    view.in_review += *review;
    auto drafts = count(kind, Status::kDraft);
    if (!drafts) return app.error_response(request, drafts.error());
    view.drafts += *drafts;
  }
  return app.page(request, "知見（事例集・ポイント集）", "knowledge/overview", view, {{"知見", ""}}, "/knowledge");
}

// ---- Staff search
Response staff_search(Application& app, Request& request, Kind kind) {
  auto search = search_request(request, kind);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto result = knowledge::search_for(**tx, *request.principal, search);
  if (!result) return app.error_response(request, result.error());
  std::string base = kind == Kind::kCase ? "/knowledge/cases" : "/knowledge/lessons";
  SearchView view = search_view(search, *result, base, true);
  view.tabs = staff_tabs(base, curator(request));
  view.heading = kind == Kind::kCase ? "事例" : "教訓";
  view.lead = kind == Kind::kCase ? "下書きから公開までの事例です。公開中の事例は誰でも /cases で読めます。"
                                  : "成功要因と失敗から学んだことです。公開中の教訓は /cases/lessons で読めます。";
  view.search_label = kind == Kind::kCase ? "事例を検索" : "教訓を検索";
  if (auth::may(*request.principal, auth::Action::kEditKnowledge)) {
    view.new_href = fmt::format("/knowledge/new?kind={}", knowledge::to_string(kind));
    view.new_label = kind == Kind::kCase ? "事例を書く" : "教訓を書く";
  }
  return app.page(request, view.heading, "knowledge/search", view, crumbs(view.heading), "/knowledge");
}

Response staff_cases(Application& app, Request& request) { return staff_search(app, request, Kind::kCase); }
Response staff_lessons(Application& app, Request& request) { return staff_search(app, request, Kind::kLesson); }

// ---- The form
Result<std::vector<Choice>> operator_choices(db::Transaction& tx, const auth::Principal& who,
                                             std::optional<std::int64_t> selected) {
  std::vector<Choice> out = {{"", "（指定しない）", !selected}};
  auto call_id = operations::current_programme(tx);
  if (!call_id) return fail(call_id.error());
  if (!*call_id) return out;
  auto ops = operations::list_operators(tx, who, **call_id);
  if (!ops) return fail(ops.error());
  for (const auto& op : *ops) out.push_back({std::to_string(op.id), op.name, selected && *selected == op.id});
  return out;
}

ItemFormView form_view(const knowledge::Draft& d) {
  ItemFormView v;
  v.kind = std::string(knowledge::to_string(d.kind));
  v.is_case = d.kind == Kind::kCase;
  v.title = d.title;
  v.summary = d.summary;
  v.body = d.body;
  v.advice = d.advice;
  for (const auto& o : knowledge::outcomes())
    v.outcomes.push_back({std::string(o.code), std::string(o.label), d.outcome == o.code});
  v.blocks.push_back({"", "全国・ブロック指定なし", d.block_id.empty()});
  for (const geo::Block& b : geo::blocks())
    v.blocks.push_back({std::string(b.id), geo::block_label(b.id), d.block_id == b.id});
  v.prefecture = d.prefecture;
  auto has = [](const std::vector<std::string>& list, std::string_view code) {
    return std::ranges::find(list, code) != list.end();
  };
  for (const auto& c : knowledge::school_types())
    v.school_types.push_back({std::string(c.code), std::string(c.label), has(d.school_types, c.code)});
  for (const auto& c : knowledge::categories())
    v.categories.push_back({std::string(c.code), std::string(c.label), d.category == c.code});
  v.subtype = d.subtype;
  for (const auto& c : knowledge::effects())
    v.effects.push_back({std::string(c.code), std::string(c.label), has(d.effects, c.code)});
  v.effect_industry = d.effect_industry;
  v.effect_education = d.effect_education;
  for (std::size_t k = 0; k < 6; ++k) {
    FigureInput f{int(k), "", "", ""};
    if (k < d.figures.size()) {
      f.label = d.figures[k].label;
      f.value = d.figures[k].value;
      f.unit = d.figures[k].unit;
    }
    v.figures.push_back(std::move(f));
  }
  v.projects = d.projects;
  v.consent = d.consent;
  v.consent_note = d.consent_note;
  v.year = d.year ? std::to_string(d.year) : "";
  return v;
}

Result<void> add_stakeholders(db::Transaction& tx, ItemFormView& v, const std::vector<std::string>& chosen) {
  auto map = knowledge::stakeholder_map(tx);
  if (!map) return fail(map.error());
  for (const auto& s : *map)
    v.stakeholders.push_back({s.code, s.name, std::ranges::find(chosen, s.code) != chosen.end()});
  return {};
}

knowledge::Draft draft_from(const Request& request, Kind kind, std::vector<knowledge::FieldError>& errors) {
  knowledge::Draft d;
  d.kind = kind;
  d.title = request.field("title");
  d.summary = request.field("summary");
  d.body = request.field("body");
  d.advice = request.field("advice");
  d.outcome = request.field("outcome");
  d.block_id = request.field("block_id");
  d.prefecture = std::string(text::trim(request.field("prefecture")));
  for (auto v : request.form.all("school_types")) d.school_types.emplace_back(v);
  d.category = request.field("category");
  d.subtype = request.field("subtype");
  for (auto v : request.form.all("effects")) d.effects.emplace_back(v);
  d.effect_industry = request.field("effect_industry");
  d.effect_education = request.field("effect_education");
  for (int k = 0; k < 6; ++k) {
    knowledge::Figure f{std::string(text::trim(request.field(fmt::format("figure_label_{}", k)))),
                        std::string(text::trim(request.field(fmt::format("figure_value_{}", k)))),
                        std::string(text::trim(request.field(fmt::format("figure_unit_{}", k))))};
    if (f.label.empty() && f.value.empty() && f.unit.empty()) continue;
    d.figures.push_back(std::move(f));
  }
  for (auto v : request.form.all("stakeholders")) d.stakeholders.emplace_back(v);
  std::string op = request.field("operator_id");
  if (!op.empty()) {
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(op.data(), op.data() + op.size(), id);
    if (ec == std::errc{} && end == op.data() + op.size() && id > 0) d.operator_id = id;
    else errors.push_back({"operator_id", "実証事業者を選び直してください"});
  }
  d.projects = request.field("projects");
  d.consent = request.field("consent") == "1";
  d.consent_note = request.field("consent_note");
  std::string year = std::string(text::trim(request.field("year")));
  int y = 0;
  auto [end, ec] = std::from_chars(year.data(), year.data() + year.size(), y);
  if (ec != std::errc{} || end != year.data() + year.size()) errors.push_back({"year", "年度は 2000〜2100 の数字で入力してください"});
  else d.year = y;
  for (auto& e : knowledge::validate(d))
    if (std::ranges::none_of(errors, [&](const auto& x) { return x.field == e.field && x.message == e.message; }))
      errors.push_back(std::move(e));
  return d;
}

std::optional<std::string> error_of(const std::vector<knowledge::FieldError>& errors, std::string_view field) {
  std::string out;
  for (const auto& e : errors)
    if (e.field == field) out += (out.empty() ? "" : "／") + e.message;
  if (out.empty()) return std::nullopt;
  return out;
}

void set_errors(ItemFormView& v, const std::vector<knowledge::FieldError>& errors) {
  for (const auto& e : errors) v.errors.push_back({e.field, e.message});
  v.has_errors = !errors.empty();
  v.title_error = error_of(errors, "title");
  v.summary_error = error_of(errors, "summary");
  v.body_error = error_of(errors, "body");
  v.advice_error = error_of(errors, "advice");
  v.outcome_error = error_of(errors, "outcome");
  v.block_id_error = error_of(errors, "block_id");
  v.prefecture_error = error_of(errors, "prefecture");
  v.school_types_error = error_of(errors, "school_types");
  v.category_error = error_of(errors, "category");
  v.effects_error = error_of(errors, "effects");
  v.figures_error = error_of(errors, "figures");
  v.year_error = error_of(errors, "year");
}

Response form_page(Application& app, Request& request, db::Transaction& tx, ItemFormView v, const knowledge::Draft& d,
                   http::status status) {
  if (auto s = add_stakeholders(tx, v, d.stakeholders); !s) return app.error_response(request, s.error());
  v.can_choose_operator = curator(request);
  if (v.can_choose_operator) {
    auto ops = operator_choices(tx, *request.principal, d.operator_id);
    if (!ops) return app.error_response(request, ops.error());
    v.operators = std::move(*ops);
  }
  return app.page(request, v.heading, "knowledge/form", v, crumbs(v.heading), "/knowledge", status);
}

Response new_item(Application& app, Request& request) {
  auto kind = knowledge::kind_from(request.query_param("kind")).value_or(Kind::kCase);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  knowledge::Draft d;
  d.kind = kind;
  d.year = tokyo_date(app.clock().now()).month() >= 4 ? tokyo_date(app.clock().now()).year()
                                                       : tokyo_date(app.clock().now()).year() - 1;
  ItemFormView v = form_view(d);
  v.heading = kind == Kind::kCase ? "事例を書く" : "教訓を書く";
  v.action = "/knowledge/new";
  v.cancel_href = kind == Kind::kCase ? "/knowledge/cases" : "/knowledge/lessons";
  return form_page(app, request, **tx, std::move(v), d, http::status::ok);
}

Response create_item(Application& app, Request& request) {
  auto kind = knowledge::kind_from(request.field("kind")).value_or(Kind::kCase);
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  std::vector<knowledge::FieldError> errors;
  knowledge::Draft d = draft_from(request, kind, errors);
  if (errors.empty()) {
    auto id = knowledge::create_item(**tx, *request.principal, d, app.clock().now());
    if (!id) return app.error_response(request, id.error());
    if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
    return app.redirect_with_notice(request, staff_href(*id), "下書きを保存しました。");
  }
  ItemFormView v = form_view(d);
  v.heading = kind == Kind::kCase ? "事例を書く" : "教訓を書く";
  v.action = "/knowledge/new";
  v.cancel_href = kind == Kind::kCase ? "/knowledge/cases" : "/knowledge/lessons";
  set_errors(v, errors);
  return form_page(app, request, **tx, std::move(v), d, http::status::unprocessable_entity);
}

knowledge::Draft draft_of(const knowledge::Item& i) {
  knowledge::Draft d;
  d.kind = i.kind;
  d.title = i.title;
  d.summary = i.summary;
  d.body = i.body;
  d.advice = i.advice;
  d.outcome = i.outcome;
  d.block_id = i.block_id;
  d.prefecture = i.prefecture;
  d.school_types = i.school_types;
  d.category = i.category;
  d.subtype = i.subtype;
  d.effects = i.effects;
  d.effect_industry = i.effect_industry;
  d.effect_education = i.effect_education;
  d.figures = i.figures;
  d.stakeholders = i.stakeholders;
  d.operator_id = i.operator_id;
  d.projects = i.projects;
  d.consent = i.consent;
  d.consent_note = i.consent_note;
  d.year = i.year;
  d.source = i.source;
  return d;
}

// The item in reach and editable by the signed-in user, else an error response.
Result<knowledge::Item> editable(db::Transaction& tx, const Request& request) {
  auto id = id_param(request);
  if (!id) return fail(Error::not_found("事例・教訓が見つかりません"));
  auto item = knowledge::find_item(tx, *request.principal, *id);
  if (!item) return fail(item.error());
  if (!*item) return fail(Error::not_found("事例・教訓が見つかりません"));
  auto can = knowledge::abilities(tx, *request.principal, **item);
  if (!can) return fail(can.error());
  if (!can->edit) {
    if ((*item)->status != Status::kDraft && (*item)->status != Status::kReview)
      return fail(Error::conflict("承認・公開後の事例・教訓は編集できません。公開を停止してから編集してください"));
    return fail(Error::denied("この事例・教訓を編集する権限がありません"));
  }
  return std::move(**item);
}

Response edit_item(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto item = editable(**tx, request);
  if (!item) return app.error_response(request, item.error());
  knowledge::Draft d = draft_of(*item);
  ItemFormView v = form_view(d);
  v.heading = fmt::format("「{}」の編集", item->title);
  v.action = fmt::format("/knowledge/items/{}/edit", item->id);
  v.cancel_href = staff_href(item->id);
  return form_page(app, request, **tx, std::move(v), d, http::status::ok);
}

Response update_item(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto item = editable(**tx, request);
  if (!item) return app.error_response(request, item.error());
  std::vector<knowledge::FieldError> errors;
  knowledge::Draft d = draft_from(request, item->kind, errors);
  if (errors.empty()) {
    auto saved = knowledge::update_item(**tx, *request.principal, item->id, d, app.clock().now());
    if (!saved) return app.error_response(request, saved.error());
    if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
    return app.redirect_with_notice(request, staff_href(item->id), "保存しました。");
  }
  ItemFormView v = form_view(d);
  v.heading = fmt::format("「{}」の編集", item->title);
  v.action = fmt::format("/knowledge/items/{}/edit", item->id);
  v.cancel_href = staff_href(item->id);
  set_errors(v, errors);
  return form_page(app, request, **tx, std::move(v), d, http::status::unprocessable_entity);
}

// ---- The item's page
Response item_page(Application& app, Request& request, db::Transaction& tx, const knowledge::Item& item,
                   std::optional<std::string> action_error, std::string reason, http::status status) {
  auto photos = knowledge::photos(tx, item.id);
  if (!photos) return app.error_response(request, photos.error());
  auto can = knowledge::abilities(tx, *request.principal, item);
  if (!can) return app.error_response(request, can.error());
  ItemView v;
  v.id = item.id;
  v.item = item_content(item, *photos, "/knowledge/photos");
  for (std::size_t k = 0; k < photos->size(); ++k) {
    v.item.photos[k].removed = (*photos)[k].removed;
    if (can->edit) v.item.photos[k].delete_action = fmt::format("/knowledge/photos/{}/delete", (*photos)[k].id);
  }
  v.status = std::string(knowledge::status_label(item.status));
  v.status_code = std::string(knowledge::to_string(item.status));
  v.curation.push_back({"出典", item.source == "kakehashi" ? "本事業（Kakehashi）" : item.source});
  if (item.operator_id) {
    auto op = operations::find_operator(tx, *request.principal, *item.operator_id);
    if (!op) return app.error_response(request, op.error());
    if (*op) v.curation.push_back({"実証事業者", (*op)->name});
  }
  if (!item.projects.empty()) v.curation.push_back({"関連プロジェクト", item.projects});
  if (item.kind == Kind::kCase)
    v.curation.push_back({"公開への同意", item.consent ? "記録済み" + (item.consent_note.empty() ? "" : "（" + item.consent_note + "）")
                                                       : "未記録"});
  v.curation.push_back({"更新", tokyo_datetime_japanese(parse_iso_utc(item.updated_at).value_or(app.clock().now()))});
  if (item.published_at)
    v.curation.push_back({"公開", tokyo_datetime_japanese(parse_iso_utc(*item.published_at).value_or(app.clock().now()))});
  if (!item.review_comment.empty() && item.status == Status::kDraft) v.review_comment = item.review_comment;
  if (!item.withdrawn_reason.empty() && item.status == Status::kWithdrawn) v.withdrawn_reason = item.withdrawn_reason;
  if (item.status == Status::kPublished) v.public_href = public_href(item);
  v.checked = item.pii_checked_at.has_value();
  if (item.pii_checked_at)
    v.checked_at = tokyo_datetime_japanese(parse_iso_utc(*item.pii_checked_at).value_or(app.clock().now()));
  for (const auto& f : item.pii_findings) v.findings.push_back({f.label, f.field, f.masked});
  v.has_findings = !v.findings.empty();
  if (!item.pii_accepted_reason.empty()) v.accepted_reason = item.pii_accepted_reason;
  bool review = item.status == Status::kReview;
  v.can_edit = can->edit;
  v.can_submit = can->submit;
  v.can_return = can->curate && review;
  v.can_check = can->curate && review;
  v.can_accept = can->curate && review && v.has_findings && item.pii_accepted_reason.empty();
  v.can_approve = can->curate && review;
  v.can_publish = can->curate && item.status == Status::kApproved;
  v.can_withdraw = can->curate && item.status == Status::kPublished;
  v.can_rework = can->curate && (item.status == Status::kWithdrawn || item.status == Status::kApproved);
  v.can_add_photo = can->edit && item.kind == Kind::kCase;
  v.action_error = std::move(action_error);
  v.reason = std::move(reason);
  std::string list = item.kind == Kind::kCase ? "事例" : "教訓";
  return app.page(request, item.title, "knowledge/item", v,
                  crumbs(item.title, list, item.kind == Kind::kCase ? "/knowledge/cases" : "/knowledge/lessons"),
                  "/knowledge", status);
}

Response show_item(Application& app, Request& request) {
  auto id = id_param(request);
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto item = knowledge::find_item(**tx, *request.principal, *id);
  if (!item) return app.error_response(request, item.error());
  if (!*item) return app.error(request, http::status::not_found);
  return item_page(app, request, **tx, **item, std::nullopt, "", http::status::ok);
}

// A workflow step: runs `step`, commits and redirects with `notice`; a refused step (422/409)
// re-renders the item's page with the message and what was typed.
template <typename Step>
Response workflow(Application& app, Request& request, Step step, const std::string& notice) {
  auto id = id_param(request);
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto done = step(**tx, *id);
  if (!done) {
    ErrorCode code = done.error().code;
    if (code != ErrorCode::kInvalidArgument && code != ErrorCode::kConflict) return app.error_response(request, done.error());
    (*tx).reset();
    auto read = app.database().begin(db::TxMode::kRead);
    if (!read) return app.error_response(request, read.error());
    auto item = knowledge::find_item(**read, *request.principal, *id);
    if (!item) return app.error_response(request, item.error());
    if (!*item) return app.error(request, http::status::not_found);
    return item_page(app, request, **read, **item, done.error().message, request.field("reason"),
                     code == ErrorCode::kConflict ? http::status::conflict : http::status::unprocessable_entity);
  }
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return app.redirect_with_notice(request, staff_href(*id), notice);
}

Response submit_item(Application& app, Request& request) {
  return workflow(app, request, [&](db::Transaction& tx, std::int64_t id) {
    return knowledge::submit(tx, *request.principal, id, app.clock().now());
  }, "レビューに回しました。事務局が確認します。");
}
Response return_item(Application& app, Request& request) {
  return workflow(app, request, [&](db::Transaction& tx, std::int64_t id) {
    return knowledge::return_to_draft(tx, *request.principal, id, request.field("reason"), app.clock().now());
  }, "下書きに差し戻しました。");
}
Response check_item(Application& app, Request& request) {
  return workflow(app, request, [&](db::Transaction& tx, std::int64_t id) -> Result<void> {
    auto findings = knowledge::check_personal_information(tx, *request.principal, id, app.clock().now());
    if (!findings) return fail(findings.error());
    return {};
  }, "個人情報の確認を実行しました。");
}
Response accept_item(Application& app, Request& request) {
  return workflow(app, request, [&](db::Transaction& tx, std::int64_t id) {
    return knowledge::accept_findings(tx, *request.principal, id, request.field("reason"), app.clock().now());
  }, "指摘を了承しました。");
}
Response approve_item(Application& app, Request& request) {
  // The check runs and is kept first, in its own transaction: when approval is then refused for
  // its findings, the page shows them (a refused step rolls back).
  if (auto id = id_param(request)) {
    auto tx = app.database().begin(db::TxMode::kWrite);
    if (!tx) return app.error_response(request, tx.error());
    if (knowledge::check_personal_information(**tx, *request.principal, *id, app.clock().now())) {
      if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
    }
  }
  return workflow(app, request, [&](db::Transaction& tx, std::int64_t id) {
    return knowledge::approve(tx, *request.principal, id, app.clock().now());
  }, "承認しました。公開できます。");
}
Response publish_item(Application& app, Request& request) {
  return workflow(app, request, [&](db::Transaction& tx, std::int64_t id) {
    return knowledge::publish(tx, *request.principal, id, app.clock().now());
  }, "公開しました。");
}
Response withdraw_item(Application& app, Request& request) {
  return workflow(app, request, [&](db::Transaction& tx, std::int64_t id) {
    return knowledge::withdraw(tx, *request.principal, id, request.field("reason"), app.clock().now());
  }, "公開を停止しました。");
}
Response rework_item(Application& app, Request& request) {
  return workflow(app, request, [&](db::Transaction& tx, std::int64_t id) {
    return knowledge::rework(tx, *request.principal, id, app.clock().now());
  }, "下書きに戻しました。");
}

// ---- Photos
Response add_photo(Application& app, Request& request) {
  UploadedFiles files(request);
  return workflow(app, request, [&](db::Transaction& tx, std::int64_t id) -> Result<void> {
    if (!files.file("photo")) return fail(Error::invalid("写真のファイルを選んでください"));
    auto added = knowledge::add_photo(tx, *request.principal, id, request.field("caption"), files.bytes("photo"),
                                      app.clock().now());
    if (!added) return fail(added.error());
    return {};
  }, "写真を追加しました（位置情報などの付加情報は削除しました）。");
}

Response delete_photo(Application& app, Request& request) {
  auto id = id_param(request);
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto found = knowledge::find_photo(**tx, &*request.principal, *id);
  if (!found) return app.error_response(request, found.error());
  if (!*found) return app.error(request, http::status::not_found);
  std::int64_t item_id = (*found)->first.item_id;
  if (auto done = knowledge::remove_photo(**tx, *request.principal, *id, app.clock().now()); !done)
    return app.error_response(request, done.error());
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return app.redirect_with_notice(request, staff_href(item_id), "写真を削除しました。");
}

Response staff_photo(Application& app, Request& request) {
  auto id = id_param(request);
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto found = knowledge::find_photo(**tx, &*request.principal, *id);
  if (!found) return app.error_response(request, found.error());
  if (!*found) return app.error(request, http::status::not_found);
  Response r;
  r.content_type = (*found)->first.content_type;
  r.body = std::move((*found)->second);
  return r;
}

// ---- Stakeholders
Response stakeholders(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto map = knowledge::stakeholder_map(**tx);
  if (!map) return app.error_response(request, map.error());
  StakeholdersView view;
  view.tabs = staff_tabs("/knowledge/stakeholders", curator(request));
  view.svg = Html{stakeholder_svg(*map)};
  for (const auto& s : *map) {
    StakeholderRow row{s.name, s.roles, s.actions, s.cases, s.lessons, "/knowledge/cases?stakeholder=" + s.code,
                       "/knowledge/lessons?stakeholder=" + s.code, std::nullopt};
    if (curator(request)) row.edit_href = fmt::format("/knowledge/stakeholders/{}/edit", s.code);
    view.rows.push_back(std::move(row));
  }
  return app.page(request, "ステークホルダーに期待される役割とアクション", "knowledge/stakeholders", view,
                  crumbs("ステークホルダー"), "/knowledge");
}

Result<std::optional<knowledge::Stakeholder>> stakeholder_of(db::Transaction& tx, const Request& request) {
  auto map = knowledge::stakeholder_map(tx);
  if (!map) return fail(map.error());
  auto code = request.params.find("code");
  for (auto& s : *map)
    if (code != request.params.end() && s.code == code->second) return std::optional<knowledge::Stakeholder>{s};
  return std::optional<knowledge::Stakeholder>{};
}

Response edit_stakeholder(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto s = stakeholder_of(**tx, request);
  if (!s) return app.error_response(request, s.error());
  if (!*s) return app.error(request, http::status::not_found);
  StakeholderFormView v{(*s)->code, (*s)->name, (*s)->roles, (*s)->actions, std::nullopt};
  return app.page(request, (*s)->name + "の役割とアクション", "knowledge/stakeholder_form", v,
                  crumbs((*s)->name, "ステークホルダー", "/knowledge/stakeholders"), "/knowledge");
}

Response save_stakeholder(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto s = stakeholder_of(**tx, request);
  if (!s) return app.error_response(request, s.error());
  if (!*s) return app.error(request, http::status::not_found);
  std::string roles = request.field("roles"), actions = request.field("actions");
  auto done = knowledge::update_stakeholder(**tx, *request.principal, (*s)->code, roles, actions, app.clock().now());
  if (!done) {
    if (done.error().code != ErrorCode::kInvalidArgument) return app.error_response(request, done.error());
    StakeholderFormView v{(*s)->code, (*s)->name, roles, actions, done.error().message};
    return app.page(request, (*s)->name + "の役割とアクション", "knowledge/stakeholder_form", v,
                    crumbs((*s)->name, "ステークホルダー", "/knowledge/stakeholders"), "/knowledge",
                    http::status::unprocessable_entity);
  }
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return app.redirect_with_notice(request, "/knowledge/stakeholders", "役割とアクションを保存しました。");
}

// ---- Import of last year's collection
Response import_form(Application& app, Request& request) {
  ImportNewView v{staff_tabs("/knowledge/import", true), std::nullopt};
  return app.page(request, "事例集の取り込み", "knowledge/import_new", v, crumbs("取り込み"), "/knowledge");
}

Response upload_import(Application& app, Request& request) {
  UploadedFiles files(request);
  const QuarantinedFile* file = files.file("file");
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  Result<std::int64_t> id = file ? knowledge::upload_collection(**tx, *request.principal, file->original_name,
                                                                 files.bytes("file"), app.clock().now())
                                 : Result<std::int64_t>(fail(Error::invalid("ファイルを選んでください")));
  if (!id) {
    if (id.error().code != ErrorCode::kInvalidArgument) return app.error_response(request, id.error());
    ImportNewView v{staff_tabs("/knowledge/import", true), id.error().message};
    return app.page(request, "事例集の取り込み", "knowledge/import_new", v, crumbs("取り込み"), "/knowledge",
                    http::status::unprocessable_entity);
  }
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return Response::redirect(fmt::format("/knowledge/import/{}", *id));
}

ImportMappingView mapping_view(const knowledge::PendingImport& p, const knowledge::ImportOptions& o,
                               const std::vector<knowledge::FieldError>& errors) {
  ImportMappingView v;
  v.id = p.id;
  v.file_name = p.file_name;
  v.rows = p.rows;
  v.source = o.source;
  v.year = std::to_string(o.year);
  v.imported = p.imported_at.has_value();
  for (const auto& f : knowledge::import_fields()) {
    MapField m{std::string(f.id), std::string(f.label), f.required, {}, error_of(errors, f.id)};
    auto chosen = o.columns.find(std::string(f.id));
    std::string selected = chosen == o.columns.end() ? "" : chosen->second;
    m.options.push_back({"", "（取り込まない）", selected.empty()});
    for (const auto& h : p.headers) m.options.push_back({h, h, h == selected});
    v.columns.push_back(std::move(m));
  }
  v.source_error = error_of(errors, "source");
  for (const auto& e : errors) v.errors.push_back({e.field == "rows" ? "columns" : e.field, e.message});
  v.has_errors = !errors.empty();
  return v;
}

Response show_import(Application& app, Request& request) {
  auto id = id_param(request);
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto pending = knowledge::find_import(**tx, *request.principal, *id);
  if (!pending) return app.error_response(request, pending.error());
  if (!*pending) return app.error(request, http::status::not_found);
  knowledge::ImportOptions o{knowledge::guess_columns((*pending)->headers), "2025年度事例集", 2025};
  return app.page(request, "列の対応付け", "knowledge/import_mapping", mapping_view(**pending, o, {}),
                  crumbs("列の対応付け", "取り込み", "/knowledge/import"), "/knowledge");
}

Response run_import(Application& app, Request& request) {
  auto id = id_param(request);
  if (!id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto pending = knowledge::find_import(**tx, *request.principal, *id);
  if (!pending) return app.error_response(request, pending.error());
  if (!*pending) return app.error(request, http::status::not_found);
  knowledge::ImportOptions o;
  for (const auto& f : knowledge::import_fields()) o.columns[std::string(f.id)] = request.field(std::string("col_") + std::string(f.id));
  o.source = std::string(text::trim(request.field("source")));
  std::string year = request.field("year");
  int y = 0;
  auto [end, ec] = std::from_chars(year.data(), year.data() + year.size(), y);
  std::vector<knowledge::FieldError> errors;
  if (ec != std::errc{} || end != year.data() + year.size() || y < 2000 || y > 2100)
    errors.push_back({"year", "年度は 2000〜2100 の数字で入力してください"});
  else o.year = y;
  auto checked = knowledge::check_import(**tx, *request.principal, *id, o);
  if (!checked) return app.error_response(request, checked.error());
  errors.insert(errors.end(), checked->begin(), checked->end());
  if (errors.empty()) {
    auto n = knowledge::import_collection(**tx, *request.principal, *id, o, app.clock().now());
    if (!n) return app.error_response(request, n.error());
    if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
    return app.redirect_with_notice(request, "/knowledge/cases?status=review",
                                    fmt::format("{} 件の事例を取り込みました。レビュー中として個人情報の確認を待っています。", *n));
  }
  return app.page(request, "列の対応付け", "knowledge/import_mapping", mapping_view(**pending, o, errors),
                  crumbs("列の対応付け", "取り込み", "/knowledge/import"), "/knowledge", http::status::unprocessable_entity);
}

// ---- Report chapters (the document engine)
Result<std::string> report_markdown(Application& app) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return fail(tx.error());
  auto chapters = knowledge::report_chapters(**tx);
  if (!chapters) return fail(chapters.error());
  return "---\ntitle: 産業界と教育現場の連携 事例集・ポイント集\nissuer: 経済産業省\n---\n\n" + chapters->markdown;
}

Response download(std::string body, const std::string& type, const std::string& ascii, const std::string& name) {
  Response r;
  r.content_type = type;
  r.body = std::move(body);
  r.with_header("Content-Disposition", fmt::format("attachment; filename=\"{}\"; filename*=UTF-8''{}", ascii, url_encode(name)));
  return r;
}

Response report_md(Application& app, Request& request) {
  auto md = report_markdown(app);
  if (!md) return app.error_response(request, md.error());
  return download(std::move(*md), "text/markdown; charset=utf-8", "knowledge-report.md", "事例集・ポイント集.md");
}

Response report_html(Application& app, Request& request) {
  auto md = report_markdown(app);
  if (!md) return app.error_response(request, md.error());
  auto doc = docs::parse_markdown(*md);
  if (!doc) return app.error_response(request, doc.error());
  return download(docs::render_html(*doc), "text/html; charset=utf-8", "knowledge-report.html", "事例集・ポイント集.html");
}

Response report_figure_csv(Application& app, Request& request) {
  auto md = report_markdown(app);
  if (!md) return app.error_response(request, md.error());
  auto doc = docs::parse_markdown(*md);
  if (!doc) return app.error_response(request, doc.error());
  auto figures = docs::figure_data(*doc);
  if (figures.empty()) return app.error(request, http::status::not_found);
  return download(docs::figure_csv(figures.front().table), "text/csv; charset=utf-8", "knowledge-figure.csv",
                  docs::figure_file_stem(figures.front()) + ".csv");
}

}  // namespace

void register_knowledge_routes(Application& app) {
  using auth::Action;
  const RouteOptions view{.required = Action::kViewKnowledge};
  const RouteOptions edit{.required = Action::kEditKnowledge, .body = BodyKind::kForm};
  const RouteOptions curate{.required = Action::kCurateKnowledge, .body = BodyKind::kForm};
  app.add_nav_item({"知見", "/knowledge", Action::kViewKnowledge});
  // The curator's to-do: items waiting for review (one indexed count).
  app.add_home_tasks([](db::Transaction& tx, const auth::Principal& who, std::chrono::sys_seconds) -> Result<std::vector<HomeTask>> {
    std::vector<HomeTask> out;
    if (!auth::may(who, auth::Action::kCurateKnowledge)) return out;
    auto waiting = knowledge::count_in_review(tx);
    if (!waiting) return fail(waiting.error());
    if (*waiting > 0)
      out.push_back({"secretariat", fmt::format("レビュー待ちの事例・教訓が {} 件あります（個人情報の確認と承認）", *waiting),
                     std::string("/knowledge"), std::nullopt, false});
    return out;
  });
  app.get("/knowledge", view, overview);
  app.get("/knowledge/cases", view, staff_cases);
  app.get("/knowledge/lessons", view, staff_lessons);
  app.get("/knowledge/report.md", view, report_md);
  app.get("/knowledge/report.html", view, report_html);
  app.get("/knowledge/report-figure.csv", view, report_figure_csv);
  app.get("/knowledge/new", {.required = Action::kEditKnowledge}, new_item);
  app.post("/knowledge/new", edit, create_item);
  app.get("/knowledge/items/{id}", view, show_item);
  app.get("/knowledge/items/{id}/edit", {.required = Action::kEditKnowledge}, edit_item);
  app.post("/knowledge/items/{id}/edit", edit, update_item);
  app.post("/knowledge/items/{id}/submit", edit, submit_item);
  app.post("/knowledge/items/{id}/return", curate, return_item);
  app.post("/knowledge/items/{id}/check", curate, check_item);
  app.post("/knowledge/items/{id}/accept", curate, accept_item);
  app.post("/knowledge/items/{id}/approve", curate, approve_item);
  app.post("/knowledge/items/{id}/publish", curate, publish_item);
  app.post("/knowledge/items/{id}/withdraw", curate, withdraw_item);
  app.post("/knowledge/items/{id}/rework", curate, rework_item);
  app.post("/knowledge/items/{id}/photos",
           {.required = Action::kEditKnowledge, .body = BodyKind::kMultipart,
            .body_limit = knowledge::kPhotoLimit + 64 * 1024},
           add_photo);
  app.get("/knowledge/photos/{id}", view, staff_photo);
  app.post("/knowledge/photos/{id}/delete", edit, delete_photo);
  app.get("/knowledge/stakeholders", view, stakeholders);
  app.get("/knowledge/stakeholders/{code}/edit", {.required = Action::kCurateKnowledge}, edit_stakeholder);
  app.post("/knowledge/stakeholders/{code}/edit", curate, save_stakeholder);
  app.get("/knowledge/import", {.required = Action::kCurateKnowledge}, import_form);
  app.post("/knowledge/import",
           {.required = Action::kCurateKnowledge, .body = BodyKind::kMultipart,
            .body_limit = knowledge::kMaxImportBytes + 64 * 1024},
           upload_import);
  app.get("/knowledge/import/{id}", {.required = Action::kCurateKnowledge}, show_import);
  app.post("/knowledge/import/{id}", curate, run_import);
}

}  // namespace kakehashi::web
