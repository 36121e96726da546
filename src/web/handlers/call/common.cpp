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

View flash(const std::string& kind, const std::string& message) {
  View view;
  view.set("kind", kind);
  view.set("message", message);
  return view;
}

void set_errors(View& content, const std::vector<std::string>& errors) {
  ViewList list;
  for (const auto& e : errors) list.push_back(View(e));
  content.set("errors_present", !errors.empty());
  content.set("errors", list);
}

View call_view(const call::Call& c, call::Instant now) {
  View view;
  view.set("id", std::to_string(c.id));
  view.set("title", c.title);
  set_text(view, "summary", c.summary);
  call::Phase phase = c.phase(now);
  view.set("phase", std::string(call::phase_label(phase)));
  view.set("phase_id", std::string(phase == call::Phase::kOpen ? "open" : phase == call::Phase::kClosed ? "closed"
                                                                         : phase == call::Phase::kUpcoming ? "upcoming"
                                                                                                            : "draft"));
  view.set("is_open", phase == call::Phase::kOpen);
  view.set("is_draft", phase == call::Phase::kDraft);
  view.set("frozen", c.frozen(now));
  view.set("opens", tokyo_datetime_japanese(c.opens_at));
  view.set("closes", tokyo_datetime_japanese(c.closes_at));
  view.set("opens_local", tokyo_datetime_local(c.opens_at));
  view.set("closes_local", tokyo_datetime_local(c.closes_at));
  view.set("closes_iso", iso_utc(c.closes_at));
  if (phase == call::Phase::kOpen) {
    auto left = std::chrono::duration_cast<std::chrono::minutes>(c.closes_at - now).count();
    view.set("remaining", fmt::format("締切まで残り {} 日 {} 時間 {} 分", left / (60 * 24), (left / 60) % 24, left % 60));
  }
  view.set("award_min", format_yen(c.award_min));
  view.set("award_max", format_yen(c.award_max));
  view.set("award_min_value", std::to_string(c.award_min));
  view.set("award_max_value", std::to_string(c.award_max));
  view.set("budget_total", format_yen(c.budget_total));
  view.set("budget_total_value", std::to_string(c.budget_total));
  if (c.min_total) view.set("min_total", fmt::format("{}", *c.min_total));
  view.set("reviewers_per_application", std::to_string(c.reviewers_per_application));
  view.set("max_load", std::to_string(c.max_load));
  view.set("peer_after_own", c.peer_reviews == call::PeerReviews::kAfterOwn);
  view.set("peer_label", std::string(c.peer_reviews == call::PeerReviews::kAfterOwn ? "自分の審査を提出した後に閲覧できる"
                                                                                     : "閲覧できない"));
  view.set("hide_personal", c.hide_personal);
  view.set("decision", std::string(call::decision_label(c.decision)));
  ViewList blocks;
  std::string names;
  for (const auto& b : c.blocks) {
    View block;
    block.set("id", b);
    block.set("name", geo::block_label(b));
    blocks.push_back(block);
    names += (names.empty() ? "" : "・") + geo::block_label(b);
  }
  view.set("blocks", blocks);
  view.set("block_names", names);
  view.set("block_count", std::to_string(c.blocks.size()));
  return view;
}

View application_view(const call::Application& a) {
  View view;
  view.set("id", std::to_string(a.id));
  view.set("organisation", a.organisation_name);
  view.set("submitted", a.submitted);
  view.set("status", std::string(a.submitted ? "提出済み" : a.reopened_reason ? "差し戻し中（下書き）" : "下書き"));
  set_text(view, "receipt_number", a.receipt_number.value_or(""));
  if (a.submitted_at) view.set("submitted_at", japan_time(*a.submitted_at));
  view.set("updated_at", japan_time(a.updated_at));
  set_text(view, "reopened_reason", a.reopened_reason.value_or(""));
  view.set("has_reopened_reason", a.reopened_reason.has_value() && !a.submitted);
  view.set("organisation_profile", a.organisation_profile);
  view.set("representative_name", a.representative_name);
  view.set("contact_name", a.contact_name);
  view.set("contact_email", a.contact_email);
  view.set("contact_phone", a.contact_phone);
  view.set("qualification_coordination", a.qualification_coordination);
  view.set("qualification_matching", a.qualification_matching);
  view.set("qualification_community", a.qualification_community);
  std::string qualifications;
  auto add = [&](bool on, const char* label) {
    if (on) qualifications += (qualifications.empty() ? "" : "・") + std::string(label);
  };
  add(a.qualification_coordination, "産学連携のコーディネート");
  add(a.qualification_matching, "企業と学校のマッチング");
  add(a.qualification_community, "地域コミュニティの形成");
  view.set("qualifications", qualifications.empty() ? std::string("（未選択）") : qualifications);
  set_text(view, "qualification_note", a.qualification_note);
  view.set("plan_projects", a.plan_projects);
  view.set("plan_pbl", a.plan_pbl);
  view.set("plan_continuity", a.plan_continuity);
  view.set("plan_self_sufficiency", a.plan_self_sufficiency);
  view.set("plan_regional_fit", a.plan_regional_fit);
  ViewList topics;
  for (const auto& t : a.topics) topics.push_back(View(std::string(call::topic_label(t).value_or(t))));
  view.set("topics", topics);
  ViewList blocks;
  for (const auto& b : a.blocks) {
    View block;
    block.set("id", b.block);
    block.set("name", geo::block_label(b.block));
    block.set("requested", b.requested ? format_yen(b.requested) : std::string("（未入力）"));
    blocks.push_back(block);
  }
  view.set("blocks", blocks);
  view.set("requested_total", format_yen(a.requested_total()));
  return view;
}

ViewList criteria_view(const std::vector<call::Criterion>& criteria) {
  ViewList list;
  int number = 0;
  for (const auto& c : criteria) {
    View item;
    item.set("id", std::to_string(c.id));
    item.set("number", std::to_string(++number));
    item.set("name", c.name);
    set_text(item, "description", c.description);
    item.set("weight", std::to_string(c.weight));
    item.set("levels", std::to_string(c.levels()));
    item.set("max", std::to_string(c.weight * c.levels()));
    ViewList levels;
    for (int level = c.levels(); level >= 1; --level) {
      View l;
      l.set("level", std::to_string(level));
      l.set("descriptor", c.descriptors[std::size_t(level - 1)]);
      levels.push_back(l);
    }
    item.set("level_list", levels);
    list.push_back(item);
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

std::vector<call::BlockRequest> block_requests_from(const Request& request, std::vector<std::string>& problems) {
  std::vector<call::BlockRequest> out;
  for (std::string_view view : request.form.all("block")) {
    std::string id(view);
    if (!geo::find_block(id)) {
      problems.push_back("ブロックを一覧から選んでください");
      continue;
    }
    std::string typed = request.field("requested_" + id);
    call::BlockRequest b{id, 0};
    if (!std::string(text::trim(typed)).empty()) {
      std::string label = geo::block_label(id);
      auto amount = parse_yen(typed, fmt::format("{}の申請額", label),
                              fmt::format("{}の申請額は円単位の数字で入力してください（例: 20000000）", label));
      if (!amount) {
        problems.push_back(amount.error().message);
        continue;
      }
      b.requested = *amount;
    }
    out.push_back(b);
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
