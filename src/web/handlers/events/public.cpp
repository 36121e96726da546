// The public side of events (issue 18, R5.3): the event's page with its programme and the
// registration form (no login; CSRF by double submit; a rate limit per address), and a
// registrant's personal page behind a signed link: receipt number and QR code, the wait-list
// position or an offer to accept, cancellation, and for the final event the matchmaking directory,
// requests and the personal agenda (page and PDF).
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "events/render.h"
#include "events/service.h"
#include "web/handlers/auth/common.h"
#include "web/handlers/call/common.h"
#include "web/handlers/events/common.h"

namespace kakehashi::web::eventsweb {
namespace {

using authweb::visitor_page;

std::string path_param(const Request& request, const char* name) {
  auto it = request.params.find(name);
  return it == request.params.end() ? std::string() : it->second;
}

int form_limit(const Application& app) { return app.config().public_form_limit; }

Result<std::optional<events::Event>> load_public(db::Transaction& tx, const Request& request) {
  return events::find_public_event(tx, path_param(request, "slug"));
}

PublicView public_view(db::Transaction& tx, const events::Event& event, events::Instant now, const events::RegistrationForm& form,
                       Result<std::vector<events::ProgrammeSession>>& sessions, const events::Counts& counts) {
  PublicView view;
  view.slug = event.slug;
  view.title = event.title;
  view.kind = std::string(events::event_kind_label(event.kind));
  view.when = when_label(event);
  view.place = events::place_label(event);
  view.summary = nonempty(event.summary);
  view.closes = tokyo_datetime_japanese(event.registration_closes_at);
  if (!event.cohost_name.empty()) view.cohost = event.cohost_name + " と共催";
  if (sessions) {
    for (const auto& s : *sessions) view.sessions.push_back({s.starts, s.title, nonempty(s.speakers), nonempty(s.description)});
  }
  view.has_sessions = !view.sessions.empty();
  view.open = now < event.registration_closes_at;
  if (!view.open) view.closed_reason = "参加申込みの受付は終了しました。";
  if (event.in_person) {
    int left = event.capacity - counts.confirmed_in_person - counts.offered;
    if (left > 0 && counts.waiting == 0) {
      view.seats_note = fmt::format("会場の残り席: {} 席（定員 {} 人）", left, event.capacity);
    } else {
      view.seats_note = event.online ? "会場は満席です。キャンセル待ちとして受け付けるか、オンラインでご参加ください。"
                                     : "会場は満席です。キャンセル待ちとして受け付け、空きが出たら順にメールでご案内します。";
    }
  }
  view.choose_attendance = event.in_person && event.online;
  view.matchmaking = event.matchmaking;
  view.name = form.name;
  view.organisation = form.organisation;
  view.email = form.email;
  view.offers = form.offers;
  view.seeks = form.seeks;
  view.consent = form.consent;
  view.match_opt_in = form.match_opt_in;
  view.kinds = registrant_kind_options(form.kind);
  view.school_types.push_back({"", "選んでください", form.school_type.empty()});
  for (std::string_view t : events::kSchoolTypes) view.school_types.push_back({std::string(t), std::string(t), form.school_type == t});
  view.prefectures = prefecture_options(form.prefecture, true);
  view.attendances = {{"in_person", "会場で参加", form.attendance == "in_person" || form.attendance.empty()},
                      {"online", "オンラインで参加", form.attendance == "online"}};
  (void)tx;
  return view;
}

Response render_public(Application& app, Request& request, const events::Event& event, const events::RegistrationForm& form,
                       const std::vector<events::FieldError>& errors, std::optional<std::string> refusal,
                       std::optional<std::string> already, http::status status) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto sessions = events::programme(**tx, event.id);
  auto counts = events::event_counts(**tx, event);
  if (!counts) return app.error_response(request, counts.error());
  PublicView view = public_view(**tx, event, app.clock().now(), form, sessions, *counts);
  tx->reset();
  view.errors = form_errors(errors);
  view.has_errors = !errors.empty();
  view.refusal = std::move(refusal);
  view.already = std::move(already);
  view.name_error = error_of(errors, "name");
  view.organisation_error = error_of(errors, "organisation");
  view.kind_error = error_of(errors, "kind");
  view.school_type_error = error_of(errors, "school_type");
  view.prefecture_error = error_of(errors, "prefecture");
  view.email_error = error_of(errors, "email");
  view.attendance_error = error_of(errors, "attendance");
  view.consent_error = error_of(errors, "consent");
  view.offers_error = error_of(errors, "offers");
  view.seeks_error = error_of(errors, "seeks");
  return visitor_page(app, request, event.title, "events/public", view, {{event.title, ""}}, status);
}

Response public_page(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto event = load_public(**tx, request);
  if (!event) return app.error_response(request, event.error());
  if (!*event) return app.error(request, http::status::not_found);
  tx->reset();
  return render_public(app, request, **event, {}, {}, std::nullopt, std::nullopt, http::status::ok);
}

Response register_person(Application& app, Request& request) {
  events::RegistrationForm form{request.field("name"),       request.field("organisation"), request.field("kind"),
                                request.field("school_type"), request.field("prefecture"),  request.field("email"),
                                request.field("attendance"),  request.field("consent") == "1",
                                request.field("match_opt_in") == "1", request.field("offers"), request.field("seeks")};
  std::optional<events::Event> event;
  {
    auto tx = app.database().begin(db::TxMode::kRead);
    if (!tx) return app.error_response(request, tx.error());
    auto found = load_public(**tx, request);
    if (!found) return app.error_response(request, found.error());
    if (!*found) return app.error(request, http::status::not_found);
    event = **found;
  }
  events::Registration typed;
  auto errors = events::read_registration(form, *event, typed);
  if (!errors.empty()) return render_public(app, request, *event, form, errors, std::nullopt, std::nullopt, http::status::unprocessable_entity);
  auto done = app.database().transact<events::Registered>(db::TxMode::kWrite, [&](db::Transaction& tx) {
    return events::register_for(tx, *event, typed, request.remote_address, form_limit(app), app.config().public_url,
                                app.clock().now());
  });
  if (!done) {
    const Error& error = done.error();
    if (error.code == ErrorCode::kRateLimited)
      return render_public(app, request, *event, form, {}, error.message, std::nullopt, http::status::too_many_requests);
    if (error.code == ErrorCode::kInvalidArgument)
      return render_public(app, request, *event, form, {}, error.message, std::nullopt, http::status::unprocessable_entity);
    return app.error_response(request, error);
  }
  if (done->existing) {
    return render_public(app, request, *event, {}, {}, std::nullopt,
                         "このメールアドレスでは、すでに申込みを受け付けています。新しい席は確保していません。"
                         "申込内容と個人用ページのリンクを、登録済みのメールアドレスにもう一度お送りしました。",
                         http::status::ok);
  }
  std::string notice = done->registration.status == events::Status::kWaiting
                           ? fmt::format("キャンセル待ち（{} 番目）で受け付けました。受付番号は {} です。", done->position,
                                         done->registration.receipt)
                           : fmt::format("参加申込みを受け付けました。受付番号は {} です。", done->registration.receipt);
  return app.redirect_with_notice(request, events::personal_path(*event, done->link_key), notice);
}

struct Personal {
  events::Event event;
  events::Registration me;
  std::string key;
};

// The event and registration of the link; nullopt (404) for anything that does not verify.
Result<std::optional<Personal>> load_personal(Application& app, const Request& request, bool expire) {
  auto now = app.clock().now();
  for (int pass = 0; pass < 2; ++pass) {
    auto tx = app.database().begin(db::TxMode::kRead);
    if (!tx) return fail(tx.error());
    auto event = load_public(**tx, request);
    if (!event) return fail(event.error());
    if (!*event) return std::optional<Personal>{};
    std::string key = path_param(request, "key");
    auto me = events::find_by_link(**tx, **event, key);
    if (!me) return fail(me.error());
    if (!*me) return std::optional<Personal>{};
    if (expire && pass == 0) {
      auto due = events::has_due_offers(**tx, (*event)->id, now);
      if (!due) return fail(due.error());
      if (*due) {
        tx->reset();
        auto expired = app.database().write([&](db::Transaction& w) -> Result<void> {
          auto n = events::expire_offers(w, (*event)->id, app.config().public_url, now);
          if (!n) return fail(n.error());
          return {};
        });
        if (!expired) return fail(expired.error());
        continue;
      }
    }
    return std::optional<Personal>{Personal{**event, **me, key}};
  }
  return std::optional<Personal>{};
}

std::string slot_time(const events::Slot& s) {
  return tokyo_datetime(s.starts_at).substr(11) + "–" + tokyo_datetime(s.starts_at + std::chrono::minutes(s.minutes)).substr(11);
}

Response render_personal(Application& app, Request& request, const Personal& p, std::optional<std::string> refusal,
                         http::status status) {
  auto now = app.clock().now();
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  PersonalView view;
  const events::Registration& me = p.me;
  view.base = events::personal_path(p.event, p.key);
  view.event_title = p.event.title;
  view.public_href = "/e/" + p.event.slug;
  view.when = when_label(p.event);
  view.place = events::place_label(p.event);
  view.receipt = me.receipt;
  view.name = me.name;
  view.organisation = me.organisation;
  view.attendance = std::string(events::attendance_label(me.attendance));
  view.status = std::string(events::status_label(me.status));
  view.confirmed = me.status == events::Status::kConfirmed;
  view.waiting = me.status == events::Status::kWaiting;
  view.offered = me.status == events::Status::kOffered;
  view.active = view.confirmed || view.waiting || view.offered;
  if (view.waiting) {
    auto position = events::wait_position(**tx, me);
    if (!position) return app.error_response(request, position.error());
    view.status_sentence = fmt::format("キャンセル待ちの {} 番目です。席が空くと、順にメールでご案内します。", *position);
  } else if (view.offered && me.offer_expires_at) {
    view.offer_until = tokyo_datetime_japanese(*me.offer_expires_at);
    view.status_sentence = "席が空きました。期限までに「参加を確定する」を押してください。期限を過ぎると次の方にご案内します。";
  } else if (view.confirmed) {
    view.status_sentence = me.attendance == events::Attendance::kOnline
                               ? "オンラインでの参加が確定しています。接続方法は開催前にメールでお知らせします。"
                               : "会場での参加が確定しています。当日は受付でこのページの QR コードか受付番号をお示しください。";
  } else {
    view.status_sentence = me.status == events::Status::kExpired ? "繰り上げのご案内の期限が過ぎたため、申込みは終了しました。"
                                                                 : "この申込みはキャンセルされています。";
  }
  auto qr = events::qr_svg(me.receipt, 180, "受付用 QR コード（受付番号 " + me.receipt + "）");
  if (!qr) return app.error_response(request, qr.error());
  view.qr = Html{*qr};
  view.personal_url = app.config().public_url + view.base;
  if (me.attended_at) view.attended = tokyo_datetime_japanese(*me.attended_at);
  view.refusal = std::move(refusal);
  view.matchmaking = p.event.matchmaking && view.confirmed;
  if (view.matchmaking) {
    view.match_opt_in = me.match_opt_in;
    view.offers = me.offers;
    view.seeks = me.seeks;
    view.requests_open = events::requests_open(p.event, now);
    if (p.event.requests_open_at && p.event.requests_close_at) {
      view.request_window = tokyo_datetime_japanese(*p.event.requests_open_at) + "〜" +
                            tokyo_datetime_japanese(*p.event.requests_close_at);
    }
    auto others = events::directory(**tx, p.event, me.id);
    if (!others) return app.error_response(request, others.error());
    auto mine = events::requests_of(**tx, p.event, me.id);
    if (!mine) return app.error_response(request, mine.error());
    std::map<std::int64_t, const events::Registration*> by_id;
    for (const auto& r : *others) by_id[r.id] = &r;
    if (me.match_opt_in) {
      for (const auto& r : *others) {
        DirectoryEntry entry{r.id, r.organisation, std::string(events::registrant_kind_label(r.kind)), prefecture_name(r.prefecture),
                             nonempty(r.offers), nonempty(r.seeks), std::nullopt};
        for (const auto& q : *mine) {
          if (q.from_id == me.id && q.to_id == r.id)
            entry.sent = fmt::format("申込み済み（優先度 {}・{}）", q.priority, events::request_state_label(q.state));
        }
        view.directory.push_back(std::move(entry));
      }
      for (const auto& q : *mine) {
        if (q.to_id != me.id || !by_id.contains(q.from_id)) continue;
        const events::Registration& from = *by_id[q.from_id];
        view.received.push_back({q.id, from.organisation, std::string(events::registrant_kind_label(from.kind)),
                                 std::string(events::request_state_label(q.state)), q.state == events::RequestState::kPending,
                                 fmt::format("{}/requests/{}", view.base, q.id)});
      }
    }
    view.has_directory = !view.directory.empty();
    view.has_received = !view.received.empty();
    auto agenda = events::agenda(**tx, p.event, me);
    if (!agenda) return app.error_response(request, agenda.error());
    view.schedule_published = p.event.schedule_published_at.has_value();
    for (const auto& item : *agenda) {
      view.agenda.push_back({slot_time(item.slot), item.table_no, item.partner.organisation,
                             std::string(events::registrant_kind_label(item.partner.kind))});
    }
    view.has_agenda = !view.agenda.empty();
  }
  tx->reset();
  return visitor_page(app, request, "申込内容の確認", "events/personal", view,
                      {{p.event.title, "/e/" + p.event.slug}, {"申込内容の確認", ""}}, status);
}

Response personal_page(Application& app, Request& request) {
  auto p = load_personal(app, request, true);
  if (!p) return app.error_response(request, p.error());
  if (!*p) return app.error(request, http::status::not_found);
  return render_personal(app, request, **p, std::nullopt, http::status::ok);
}

// Runs a change of the registrant; a refusal re-renders the page with its message (422).
Response personal_change(Application& app, Request& request,
                         const std::function<Result<void>(db::Transaction&, const Personal&)>& change,
                         const std::string& notice) {
  auto p = load_personal(app, request, false);
  if (!p) return app.error_response(request, p.error());
  if (!*p) return app.error(request, http::status::not_found);
  auto done = app.database().write([&](db::Transaction& tx) { return change(tx, **p); });
  if (!done) {
    if (!callweb::is_refusal(done.error()) && done.error().code != ErrorCode::kNotFound)
      return app.error_response(request, done.error());
    auto again = load_personal(app, request, false);
    if (!again) return app.error_response(request, again.error());
    if (!*again) return app.error(request, http::status::not_found);
    return render_personal(app, request, **again, done.error().message, http::status::unprocessable_entity);
  }
  return app.redirect_with_notice(request, events::personal_path((*p)->event, (*p)->key), notice);
}

Response cancel(Application& app, Request& request) {
  if (request.field("confirm") != "1") {
    auto p = load_personal(app, request, false);
    if (!p) return app.error_response(request, p.error());
    if (!*p) return app.error(request, http::status::not_found);
    return render_personal(app, request, **p, "キャンセルするには「キャンセルすることを確認しました」にチェックを入れてください",
                           http::status::unprocessable_entity);
  }
  return personal_change(app, request, [&](db::Transaction& tx, const Personal& p) {
    return events::cancel_registration(tx, p.event, p.me, app.config().public_url, app.clock().now());
  }, "申込みをキャンセルしました。");
}

Response accept(Application& app, Request& request) {
  return personal_change(app, request, [&](db::Transaction& tx, const Personal& p) {
    return events::accept_offer(tx, p.event, p.me, app.config().public_url, app.clock().now());
  }, "参加が確定しました。当日は受付で QR コードか受付番号をお示しください。");
}

Response profile(Application& app, Request& request) {
  bool opt_in = request.field("match_opt_in") == "1";
  return personal_change(app, request, [&](db::Transaction& tx, const Personal& p) {
    return events::update_match_profile(tx, p.event, p.me, opt_in, request.field("offers"), request.field("seeks"),
                                        app.clock().now());
  }, opt_in ? "マッチングの登録内容を保存しました。" : "マッチングへの参加を取りやめました。");
}

Response send_request(Application& app, Request& request) {
  auto to = callweb::parse_id(request.field("to"));
  auto priority = callweb::parse_id(request.field("priority"));
  return personal_change(app, request, [&](db::Transaction& tx, const Personal& p) -> Result<void> {
    if (!to) return fail(Error::invalid("申込み先を選んでください"));
    return events::send_request(tx, p.event, p.me, *to, priority ? int(*priority) : 0, app.clock().now());
  }, "面談を申し込みました。相手の回答をお待ちください。");
}

Response answer_request(Application& app, Request& request) {
  auto id = callweb::id_param(request, "request");
  bool accept_it = request.field("answer") == "accept";
  return personal_change(app, request, [&](db::Transaction& tx, const Personal& p) -> Result<void> {
    if (!id) return fail(Error::not_found("面談の申込みが見つかりません"));
    return events::answer_request(tx, p.event, p.me, *id, accept_it, app.clock().now());
  }, accept_it ? "面談の申込みを承諾しました。" : "面談の申込みを辞退しました。");
}

Response agenda_pdf(Application& app, Request& request) {
  auto p = load_personal(app, request, false);
  if (!p) return app.error_response(request, p.error());
  if (!*p) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto agenda = events::agenda(**tx, (*p)->event, (*p)->me);
  if (!agenda) return app.error_response(request, agenda.error());
  tx->reset();
  std::vector<events::AgendaLine> lines;
  for (const auto& item : *agenda) {
    lines.push_back({slot_time(item.slot), item.table_no, item.partner.organisation,
                     std::string(events::registrant_kind_label(item.partner.kind))});
  }
  auto pdf = events::agenda_pdf((*p)->event, (*p)->me.organisation + "　" + (*p)->me.name + " 様", lines);
  if (!pdf) return app.error_response(request, pdf.error());
  return file_response(std::move(*pdf), "application/pdf", "面談スケジュール.pdf");
}

}  // namespace
}  // namespace kakehashi::web::eventsweb

namespace kakehashi::web {
using namespace eventsweb;  // NOLINT: the screens of this file

void register_events_public_routes(Application& app) {
  const RouteOptions page{.public_route = true};
  const RouteOptions form{.public_route = true, .body = BodyKind::kForm};
  app.get("/e/{slug}", page, public_page);
  app.post("/e/{slug}", form, register_person);
  app.get("/e/{slug}/r/{key}", page, personal_page);
  app.post("/e/{slug}/r/{key}/cancel", form, cancel);
  app.post("/e/{slug}/r/{key}/accept", form, accept);
  app.post("/e/{slug}/r/{key}/profile", form, profile);
  app.post("/e/{slug}/r/{key}/requests", form, send_request);
  app.post("/e/{slug}/r/{key}/requests/{request}", form, answer_request);
  app.get("/e/{slug}/r/{key}/agenda.pdf", page, agenda_pdf);
}

}  // namespace kakehashi::web
