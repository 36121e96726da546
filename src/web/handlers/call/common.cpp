#include "web/handlers/call/common.h"

#include <fmt/format.h>

#include "base/date.h"
#include "base/number.h"
#include "base/text.h"
#include "base/yen.h"
#include "geo/geo.h"
#include "web/content_disposition.h"

namespace kakehashi::web::callweb {

std::optional<std::int64_t> parse_id(std::string_view text) {
  if (text.empty() || text.size() > 15 || text.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  std::int64_t value = std::stoll(std::string(text));
  if (value <= 0) return std::nullopt;
  return value;
}

std::optional<std::int64_t> id_param(const Request& request, const char* name) {
  auto it = request.params.find(name);
  if (it == request.params.end()) return std::nullopt;
  return parse_id(it->second);
}

bool is_refusal(const Error& error) {
  return error.code == ErrorCode::kInvalidArgument || error.code == ErrorCode::kConflict;
}

std::string size_label(std::int64_t bytes) {
  if (bytes >= 1024 * 1024) return fmt::format("{:.1f} MB", double(bytes) / (1024.0 * 1024.0));
  return fmt::format("{} KB", std::max<std::int64_t>(1, (bytes + 1023) / 1024));
}

Result<std::optional<call::Call>> load_call(db::Transaction& tx, const Request& request) {
  auto id = id_param(request, "id");
  if (!id) return std::optional<call::Call>{};
  return call::find_call(tx, *id);
}

std::string japan_time(const std::string& iso) {
  auto instant = parse_iso_utc(iso);
  return instant ? tokyo_datetime_japanese(*instant) : iso;
}

Notice flash(const std::string& kind, const std::string& message) { return Notice{kind, message}; }

namespace {
std::optional<std::string> unless_empty(std::string text) {
  if (text.empty()) return std::nullopt;
  return text;
}
}  // namespace

CallFields call_fields(const call::Call& c, call::Instant now) {
  CallFields view;
  view.id = c.id;
  view.title = c.title;
  view.summary = unless_empty(c.summary);
  call::Phase phase = c.phase(now);
  view.phase = std::string(call::phase_label(phase));
  view.phase_id = phase == call::Phase::kOpen       ? "open"
                  : phase == call::Phase::kClosed   ? "closed"
                  : phase == call::Phase::kUpcoming ? "upcoming"
                                                    : "draft";
  view.is_open = phase == call::Phase::kOpen;
  view.is_draft = phase == call::Phase::kDraft;
  view.frozen = c.frozen(now);
  view.opens = tokyo_datetime_japanese(c.opens_at);
  view.closes = tokyo_datetime_japanese(c.closes_at);
  view.opens_local = tokyo_datetime_local(c.opens_at);
  view.closes_local = tokyo_datetime_local(c.closes_at);
  view.closes_iso = iso_utc(c.closes_at);
  if (phase == call::Phase::kOpen) {
    auto left = std::chrono::duration_cast<std::chrono::minutes>(c.closes_at - now).count();
    view.remaining = fmt::format("締切まで残り {} 日 {} 時間 {} 分", left / (60 * 24), (left / 60) % 24, left % 60);
  }
  view.award_min = format_yen(c.award_min);
  view.award_max = format_yen(c.award_max);
  view.award_min_value = std::to_string(c.award_min);
  view.award_max_value = std::to_string(c.award_max);
  view.budget_total = format_yen(c.budget_total);
  view.budget_total_value = std::to_string(c.budget_total);
  if (c.min_total) view.min_total = fmt::format("{}", *c.min_total);
  view.reviewers_per_application = c.reviewers_per_application;
  view.max_load = c.max_load;
  view.peer_after_own = c.peer_reviews == call::PeerReviews::kAfterOwn;
  view.peer_label = c.peer_reviews == call::PeerReviews::kAfterOwn ? "自分の審査を提出した後に閲覧できる" : "閲覧できない";
  view.hide_personal = c.hide_personal;
  view.decision = std::string(call::decision_label(c.decision));
  for (const auto& b : c.blocks) {
    view.blocks.push_back(BlockName{b, geo::block_label(b)});
    view.block_names += (view.block_names.empty() ? "" : "・") + geo::block_label(b);
  }
  view.block_count = c.blocks.size();
  return view;
}

ApplicationFields application_fields(const call::Application& a) {
  ApplicationFields view;
  view.id = a.id;
  view.organisation = a.organisation_name;
  view.submitted = a.submitted;
  view.status = a.submitted ? "提出済み" : a.reopened_reason ? "差し戻し中（下書き）" : "下書き";
  view.receipt_number = unless_empty(a.receipt_number.value_or(""));
  if (a.submitted_at) view.submitted_at = japan_time(*a.submitted_at);
  view.updated_at = japan_time(a.updated_at);
  view.reopened_reason = unless_empty(a.reopened_reason.value_or(""));
  view.has_reopened_reason = a.reopened_reason.has_value() && !a.submitted;
  view.organisation_profile = a.organisation_profile;
  view.representative_name = a.representative_name;
  view.contact_name = a.contact_name;
  view.contact_email = a.contact_email;
  view.contact_phone = a.contact_phone;
  view.qualification_coordination = a.qualification_coordination;
  view.qualification_matching = a.qualification_matching;
  view.qualification_community = a.qualification_community;
  std::string qualifications;
  auto add = [&](bool on, const char* label) {
    if (on) qualifications += (qualifications.empty() ? "" : "・") + std::string(label);
  };
  add(a.qualification_coordination, "産学連携のコーディネート");
  add(a.qualification_matching, "企業と学校のマッチング");
  add(a.qualification_community, "地域コミュニティの形成");
  view.qualifications = qualifications.empty() ? std::string("（未選択）") : qualifications;
  view.qualification_note = unless_empty(a.qualification_note);
  view.plan_projects = a.plan_projects;
  view.plan_pbl = a.plan_pbl;
  view.plan_continuity = a.plan_continuity;
  view.plan_self_sufficiency = a.plan_self_sufficiency;
  view.plan_regional_fit = a.plan_regional_fit;
  for (const auto& t : a.topics) view.topics.emplace_back(call::topic_label(t).value_or(t));
  for (const auto& b : a.blocks) {
    view.blocks.push_back(
        RequestedBlock{b.block, geo::block_label(b.block), b.requested ? format_yen(b.requested) : std::string("（未入力）")});
  }
  view.requested_total = format_yen(a.requested_total());
  return view;
}

std::vector<CriterionFields> criteria_fields(const std::vector<call::Criterion>& criteria, std::int64_t call_id) {
  std::vector<CriterionFields> list;
  int number = 0;
  for (const auto& c : criteria) {
    CriterionFields item;
    item.id = c.id;
    item.call_id = call_id;
    item.number = ++number;
    item.name = c.name;
    item.description = unless_empty(c.description);
    item.weight = c.weight;
    item.levels = c.levels();
    item.max = c.weight * c.levels();
    for (int level = c.levels(); level >= 1; --level) {
      item.level_list.push_back(LevelText{level, c.descriptors[std::size_t(level - 1)]});
    }
    list.push_back(std::move(item));
  }
  return list;
}

Response download(const call::StoredFile& file) {
  Response response;
  response.content_type = file.content_type;
  response.body = file.bytes;
  response.with_header("Content-Disposition", content_disposition(file.file_name));
  return response;
}

Result<std::int64_t> typed_integer(std::string_view typed, std::string_view label, std::int64_t min, std::int64_t max,
                                   std::string_view not_a_number) {
  auto parsed = number::parse_int64(typed, label, min, max, true);
  if (parsed) return parsed;
  std::string text = text::nfkc(text::trim(typed));
  bool integer = !text.empty() && text.find_first_not_of("0123456789,+-") == std::string::npos &&
                 text.find_first_of("0123456789") != std::string::npos;
  if (!integer) return fail(Error::invalid(std::string(not_a_number)));
  return parsed;
}

Result<std::int64_t> parse_yen(std::string_view typed, std::string_view label, std::string_view not_a_number) {
  return typed_integer(typed, label, 0, kMaxTypedYen, not_a_number);
}

std::vector<call::BlockRequest> block_requests_from(const Request& request, FormProblems& problems) {
  std::vector<call::BlockRequest> out;
  auto chosen = request.form.all("block");
  for (std::string_view view : chosen) {
    std::string id(view);
    if (!geo::find_block(id)) {
      problems.add("blocks", "ブロックを一覧から選んでください");
      continue;
    }
    std::string typed = request.field("requested_" + id);
    call::BlockRequest b{id, 0};
    if (!std::string(text::trim(typed)).empty()) {
      std::string label = geo::block_label(id);
      auto amount = parse_yen(typed, fmt::format("{}の申請額", label),
                              fmt::format("{}の申請額は円単位の数字で入力してください（例: 20000000）", label));
      if (amount) {
        b.requested = *amount;
      } else {
        problems.add("requested_" + id, amount.error().message);  // the block stays chosen
      }
    }
    out.push_back(b);
  }
  // An amount typed for a block that is not ticked is kept on the form with a message, never
  // dropped without a word.
  for (const auto& block : geo::blocks()) {
    std::string id(block.id);
    if (std::find(chosen.begin(), chosen.end(), id) != chosen.end()) continue;
    if (text::trim(request.field("requested_" + id)).empty()) continue;
    problems.add("requested_" + id, fmt::format("{}にチェックが入っていないため、申請額は保存していません。申請する場合はチェックを入れてください",
                                                 geo::block_label(id)));
  }
  return out;
}

Response show_call(Application& app, Request& request, const CallPage& page) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto c = load_call(**tx, request);
  if (!c) return app.error_response(request, c.error());
  if (!*c) return app.error(request, http::status::not_found);
  return page(**tx, **c, nullptr);
}

Response change_call(Application& app, Request& request, bool published_only, std::string_view suffix,
                     const CallChange& change, const CallErrorPage& page) {
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto c = load_call(**tx, request);
  if (!c) return app.error_response(request, c.error());
  if (!*c || (published_only && !(*c)->published)) return app.error(request, http::status::not_found);
  auto done = change(**tx, **c);
  if (!done) {
    if (!is_refusal(done.error())) return app.error_response(request, done.error());
    tx->reset();
    auto read = app.database().begin(db::TxMode::kRead);
    if (!read) return app.error_response(request, read.error());
    std::vector<std::string> errors;
    const std::string& message = done.error().message;
    for (std::size_t start = 0; start <= message.size();) {
      std::size_t end = message.find('\n', start);
      if (end == std::string::npos) end = message.size();
      if (end > start) errors.push_back(message.substr(start, end - start));
      start = end + 1;
    }
    return page(**read, **c, errors);
  }
  if (auto committed = (*tx)->commit(); !committed) return app.error_response(request, committed.error());
  return app.redirect_with_notice(request, fmt::format("/admin/calls/{}{}", (*c)->id, suffix), *done);
}

}  // namespace kakehashi::web::callweb
