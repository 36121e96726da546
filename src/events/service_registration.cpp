// Registration, wait list, personal links, check-in.
#include <sodium.h>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>

#include "auth/password.h"
#include "auth/policy.h"
#include "base/text.h"
#include "events/service.h"
#include "events/service_support.h"
#include "events/store.h"
#include "geo/geo.h"
#include "mail/message.h"
#include "notify/service.h"
#include "operations/service.h"

namespace kakehashi::events {
namespace {

constexpr std::string_view kReceiptAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
constexpr std::size_t kLinkMacChars = 32;

std::string new_receipt(std::int64_t event_id) {
  std::string out = fmt::format("E{}-", event_id);
  for (int i = 0; i < 6; ++i) out += kReceiptAlphabet[randombytes_uniform(std::uint32_t(kReceiptAlphabet.size()))];
  return out;
}

std::string mac_of(const std::string& secret, const Registration& r) {
  std::string message = fmt::format("event-registration:{}:{}:{}", r.id, r.event_id, r.receipt);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  crypto_auth_hmacsha256_final(&state, mac);
  char encoded[sodium_base64_ENCODED_LEN(sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(encoded, sizeof encoded, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(encoded).substr(0, kLinkMacChars);
}

Result<std::string> ensure_secret(db::Transaction& tx) {
  auto secret = store::link_secret(tx);
  if (!secret) return fail(secret.error());
  if (*secret) return **secret;
  std::string bytes(32, '\0');
  randombytes_buf(bytes.data(), bytes.size());
  if (auto done = store::insert_link_secret(tx, bytes); !done) return fail(done.error());
  auto again = store::link_secret(tx);
  if (!again) return fail(again.error());
  if (!*again) return fail(Error::internal("event link key missing"));
  return **again;
}

std::string status_sentence(const Registration& r, int position) {
  switch (r.status) {
    case Status::kConfirmed:
      return r.attendance == Attendance::kOnline ? "オンラインでの参加が確定しました。" : "会場での参加が確定しました。";
    case Status::kWaiting:
      return fmt::format("定員に達したため、キャンセル待ち（{} 番目）で受け付けました。席が空きしだい、メールでご案内します。", position);
    case Status::kOffered:
      return "席が空きました。期限までに個人用ページで参加を確定してください。";
    case Status::kCancelled:
      return "この申込みはキャンセルされています。";
    case Status::kExpired:
      return "繰り上げのご案内の期限が過ぎました。";
  }
  return "";
}

Result<void> queue_registration_mail(db::Transaction& tx, const Event& event, const Registration& r, const std::string& key,
                                     int position, const std::string& site, Instant now, bool again) {
  std::string body = fmt::format(
      "{} 様\n\n"
      "{}「{}」への参加申込み{}。\n\n"
      "受付番号: {}\n"
      "状況: {}\n"
      "日時: {}\n"
      "会場: {}\n\n"
      "申込内容の確認・キャンセル、当日受付用の QR コードは、次の個人用ページでご覧いただけます。\n"
      "このリンクはあなた専用です。他の方に転送しないでください。\n\n"
      "{}{}\n",
      r.name, event_kind_label(event.kind), event.title, again ? "は、すでに受け付けています" : "を受け付けました", r.receipt,
      status_sentence(r, position), tokyo_datetime_japanese(event.starts_at), place_label(event), site,
      personal_path(event, key));
  mail::Message message{r.email, std::string(notify::kSubjectPrefix) + "参加申込みの受付（" + event.title + "）", body};
  auto id = notify::queue_mail(tx, message, now);
  if (!id) return fail(id.error());
  return {};
}

Result<void> queue_offer_mail(db::Transaction& tx, const Event& event, const Registration& r, const std::string& site,
                              Instant expires, Instant now) {
  auto key = link_key(tx, r);
  if (!key) return fail(key.error());
  std::string body = fmt::format(
      "{} 様\n\n"
      "キャンセル待ちでお申込みいただいた「{}」に空席が出ました。\n"
      "{} までに、次の個人用ページで「参加を確定する」を押してください。\n"
      "期限を過ぎると、次にお待ちの方にご案内します。\n\n"
      "受付番号: {}\n\n{}{}\n",
      r.name, event.title, tokyo_datetime_japanese(expires), r.receipt, site, personal_path(event, *key));
  mail::Message message{r.email, std::string(notify::kSubjectPrefix) + "空席のご案内（" + event.title + "）", body};
  auto id = notify::queue_mail(tx, message, now);
  if (!id) return fail(id.error());
  return {};
}

Result<bool> reaches_checkin(db::Transaction& tx, const auth::Principal& who, auth::Action action, const Event& event) {
  auto rights = access(tx, who, event);
  if (!rights) return fail(rights.error());
  return action == auth::Action::kCheckIn ? rights->checkin : rights->personal;
}

}  // namespace

Result<void> audit_registration(db::Transaction& tx, const audit::Actor& actor, std::string action, const Registration& r,
                                Instant now) {
  boost::json::object detail{{"registration", r.id}, {"status", to_string(r.status)},
                             {"attendance", to_string(r.attendance)}};
  auto logged = audit::record(tx, audit::entry_by(actor, std::move(action), fmt::format("event:{}", r.event_id),
                                                  boost::json::serialize(detail)),
                              now);
  if (!logged) return fail(logged.error());
  return {};
}

Result<void> fill_seats(db::Transaction& tx, const Event& event, const std::string& site, Instant now) {
  if (!event.in_person) return {};
  for (;;) {
    auto taken = store::seats_taken(tx, event.id);
    if (!taken) return fail(taken.error());
    if (*taken >= event.capacity) return {};
    auto next = store::first_waiting(tx, event.id);
    if (!next) return fail(next.error());
    if (!*next) return {};
    Registration r = **next;
    Instant expires = now + std::chrono::hours(event.offer_hours);
    if (auto done = store::set_status(tx, r.id, Status::kOffered, expires, now); !done) return done;
    r.status = Status::kOffered;
    r.offer_expires_at = expires;
    if (auto logged = audit_registration(tx, audit::Actor::system(), "event.offer", r, now); !logged) return logged;
    if (auto mailed = queue_offer_mail(tx, event, r, site, expires, now); !mailed) return mailed;
  }
}

Result<std::string> link_key(db::Transaction& tx, const Registration& registration) {
  auto secret = store::link_secret(tx);
  if (!secret) return fail(secret.error());
  if (!*secret) return fail(Error::internal("event link key missing"));
  return fmt::format("{}-{}", registration.id, mac_of(**secret, registration));
}

std::string personal_path(const Event& event, const std::string& key) { return fmt::format("/e/{}/r/{}", event.slug, key); }

Result<std::optional<Registration>> find_by_link(db::Transaction& tx, const Event& event, const std::string& key) {
  auto dash = key.find('-');
  if (dash == std::string::npos || dash == 0 || dash > 18 || key.size() != dash + 1 + kLinkMacChars) {
    return std::optional<Registration>{};
  }
  std::int64_t id = 0;
  for (char c : key.substr(0, dash)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::optional<Registration>{};
    id = id * 10 + (c - '0');
  }
  auto secret = store::link_secret(tx);
  if (!secret) return fail(secret.error());
  if (!*secret) return std::optional<Registration>{};
  auto r = store::find_registration(tx, id);
  if (!r) return fail(r.error());
  if (!*r || (*r)->event_id != event.id) return std::optional<Registration>{};
  std::string expected = mac_of(**secret, **r);
  std::string given = key.substr(dash + 1);
  if (sodium_memcmp(expected.data(), given.data(), expected.size()) != 0) return std::optional<Registration>{};
  return r;
}

Result<int> wait_position(db::Transaction& tx, const Registration& registration) {
  if (registration.status != Status::kWaiting) return 0;
  return store::waiting_position(tx, registration.event_id, registration.queue);
}

Result<Registered> register_for(db::Transaction& tx, const Event& event, const Registration& typed,
                                const std::string& client_address, int limit_per_minute, const std::string& site,
                                Instant now) {
  if (!event.published) return fail(Error::not_found("イベントが見つかりません"));
  if (now >= event.registration_closes_at) {
    return fail(Error::invalid(fmt::format("参加申込みの受付は {} に終了しました", tokyo_datetime_japanese(event.registration_closes_at))));
  }
  std::int64_t t = now.time_since_epoch().count();
  if (limit_per_minute > 0) {
    std::string subject = auth::sha256("events:address:" + client_address);
    auto recent = store::hits_since(tx, subject, t - 60);
    if (!recent) return fail(recent.error());
    if (*recent >= limit_per_minute) {
      return fail(Error::rate_limited(
          "同じ接続元から短時間に多くの申込みがありました。1 分ほど待ってから、もう一度お試しください。"));
    }
    if (auto counted = store::insert_hit(tx, subject, t); !counted) return fail(counted.error());
  }
  auto secret = ensure_secret(tx);
  if (!secret) return fail(secret.error());
  if (auto expired = expire_offers(tx, event.id, site, now); !expired) return fail(expired.error());

  std::string email_norm = normalise_email(typed.email);
  auto existing = store::find_by_email(tx, event.id, email_norm);
  if (!existing) return fail(existing.error());
  Registration r = typed;
  r.event_id = event.id;
  r.walk_in = false;
  r.attended_at.reset();
  r.offer_expires_at.reset();
  if (*existing) {
    const Registration& old = **existing;
    if (old.status == Status::kConfirmed || old.status == Status::kWaiting || old.status == Status::kOffered) {
      auto position = wait_position(tx, old);
      if (!position) return fail(position.error());
      auto key = link_key(tx, old);
      if (!key) return fail(key.error());
      if (auto mailed = queue_registration_mail(tx, event, old, *key, *position, site, now, true); !mailed)
        return fail(mailed.error());
      if (auto logged = audit_registration(tx, visitor(), "event.register_again", old, now); !logged)
        return fail(logged.error());
      return Registered{old, "", true, *position};
    }
  }
  // The seat: at the venue while seats remain and nobody is waiting before; online always.
  r.status = Status::kConfirmed;
  r.queue = 0;
  if (r.attendance == Attendance::kInPerson) {
    auto taken = store::seats_taken(tx, event.id);
    if (!taken) return fail(taken.error());
    auto waiting = store::first_waiting(tx, event.id);
    if (!waiting) return fail(waiting.error());
    if (*taken >= event.capacity || *waiting) {
      auto queue = store::next_queue(tx, event.id);
      if (!queue) return fail(queue.error());
      r.status = Status::kWaiting;
      r.queue = *queue;
    }
  }
  if (*existing) {
    r.id = (*existing)->id;
    r.receipt = (*existing)->receipt;
    if (auto done = store::renew_registration(tx, r.id, r, now); !done) return fail(done.error());
  } else {
    for (int attempt = 0;; ++attempt) {
      r.receipt = new_receipt(event.id);
      auto taken = store::receipt_taken(tx, r.receipt);
      if (!taken) return fail(taken.error());
      if (!*taken) break;
      if (attempt > 20) return fail(Error::internal("receipt: no free value"));
    }
    auto id = store::insert_registration(tx, r, email_norm, now);
    if (!id) return fail(id.error());
    r.id = *id;
  }
  r.created_at = now;
  auto position = wait_position(tx, r);
  if (!position) return fail(position.error());
  auto key = link_key(tx, r);
  if (!key) return fail(key.error());
  if (auto mailed = queue_registration_mail(tx, event, r, *key, *position, site, now, false); !mailed)
    return fail(mailed.error());
  if (auto logged = audit_registration(tx, visitor(), "event.register", r, now); !logged) return fail(logged.error());
  return Registered{r, *key, false, *position};
}

Result<void> cancel_registration(db::Transaction& tx, const Event& event, const Registration& registration,
                                 const std::string& site, Instant now) {
  auto current = store::find_registration(tx, registration.id);
  if (!current) return fail(current.error());
  if (!*current) return fail(Error::not_found("申込みが見つかりません"));
  Registration r = **current;
  if (r.status == Status::kCancelled || r.status == Status::kExpired) return fail(Error::invalid("この申込みはすでに取り消されています"));
  if (r.attended_at) return fail(Error::invalid("受付済みの申込みは取り消せません"));
  if (now >= event.ends_at) return fail(Error::invalid("イベントは終了しています"));
  if (auto done = store::set_status(tx, r.id, Status::kCancelled, std::nullopt, now); !done) return done;
  r.status = Status::kCancelled;
  if (auto logged = audit_registration(tx, visitor(), "event.cancel", r, now); !logged) return logged;
  return fill_seats(tx, event, site, now);
}

Result<void> accept_offer(db::Transaction& tx, const Event& event, const Registration& registration, const std::string& site,
                          Instant now) {
  if (auto expired = expire_offers(tx, event.id, site, now); !expired) return fail(expired.error());
  auto current = store::find_registration(tx, registration.id);
  if (!current) return fail(current.error());
  if (!*current) return fail(Error::not_found("申込みが見つかりません"));
  Registration r = **current;
  if (r.status == Status::kExpired) return fail(Error::invalid("ご案内の期限が過ぎたため、この席は次の方にご案内しました"));
  if (r.status != Status::kOffered) return fail(Error::invalid("この申込みには確定を待つご案内がありません"));
  if (auto done = store::set_status(tx, r.id, Status::kConfirmed, std::nullopt, now); !done) return done;
  r.status = Status::kConfirmed;
  return audit_registration(tx, visitor(), "event.offer_accept", r, now);
}

Result<int> expire_offers(db::Transaction& tx, std::optional<std::int64_t> event_id, const std::string& site, Instant now) {
  auto due = store::due_offers(tx, event_id, now);
  if (!due) return fail(due.error());
  int expired = 0;
  std::vector<std::int64_t> events;
  for (Registration r : *due) {
    if (auto done = store::set_status(tx, r.id, Status::kExpired, std::nullopt, now); !done) return fail(done.error());
    r.status = Status::kExpired;
    if (auto logged = audit_registration(tx, audit::Actor::system(), "event.offer_expire", r, now); !logged)
      return fail(logged.error());
    ++expired;
    if (std::ranges::find(events, r.event_id) == events.end()) events.push_back(r.event_id);
  }
  for (std::int64_t id : events) {
    auto event = store::find_event(tx, id);
    if (!event) return fail(event.error());
    if (!*event) continue;
    if (auto filled = fill_seats(tx, **event, site, now); !filled) return fail(filled.error());
  }
  return expired;
}

Result<bool> has_due_offers(db::Transaction& tx, std::int64_t event_id, Instant now) {
  auto due = store::due_offers(tx, event_id, now);
  if (!due) return fail(due.error());
  return !due->empty();
}

Result<void> purge_form_hits(db::Transaction& tx, Instant now) {
  return store::purge_hits(tx, now.time_since_epoch().count() - 3600);
}

Result<std::vector<Registration>> registrations(db::Transaction& tx, const auth::Principal& who, const Event& event) {
  auto may = reaches_checkin(tx, who, auth::Action::kViewRegistrants, event);
  if (!may) return fail(may.error());
  if (!*may) return fail(Error::denied("このイベントの参加者情報を見る権限がありません"));
  return store::registrations(tx, event.id);
}

Result<std::optional<Registration>> find_for_checkin(db::Transaction& tx, const auth::Principal& who, const Event& event,
                                                     const std::string& code) {
  auto may = reaches_checkin(tx, who, auth::Action::kCheckIn, event);
  if (!may) return fail(may.error());
  if (!*may) return fail(Error::denied("このイベントの受付を行う権限がありません"));
  std::string receipt = normalise_code(code);
  // A scanned personal link or a URL with the receipt: the receipt is its last "E…-…" part.
  if (auto at = receipt.rfind('/'); at != std::string::npos) receipt = receipt.substr(at + 1);
  if (receipt.empty() || receipt.size() > 40) return std::optional<Registration>{};
  return store::find_by_receipt(tx, event.id, receipt);
}

Result<CheckedIn> check_in(db::Transaction& tx, const auth::Principal& who, const Event& event, std::int64_t registration_id,
                           Instant now) {
  auto may = reaches_checkin(tx, who, auth::Action::kCheckIn, event);
  if (!may) return fail(may.error());
  if (!*may) return fail(Error::denied("このイベントの受付を行う権限がありません"));
  auto r = store::find_registration(tx, registration_id);
  if (!r) return fail(r.error());
  if (!*r || (*r)->event_id != event.id) return fail(Error::not_found("申込みが見つかりません"));
  if ((*r)->status != Status::kConfirmed) {
    return fail(Error::invalid(fmt::format("この方は参加確定ではありません（{}）。必要なら当日参加として受け付けてください",
                                           status_label((*r)->status))));
  }
  auto marked = store::mark_attended(tx, registration_id, who.user_id, now);
  if (!marked) return fail(marked.error());
  auto fresh = store::find_registration(tx, registration_id);
  if (!fresh) return fail(fresh.error());
  if (*marked) {
    if (auto logged = audit_registration(tx, audit::Actor::user(who.user_id), "event.checkin", **fresh, now); !logged)
      return fail(logged.error());
  }
  return CheckedIn{**fresh, !*marked};
}

std::vector<FieldError> read_walk_in(const RegistrationForm& form, Registration& out) {
  std::vector<FieldError> errors;
  out.name = text::clean_name(form.name);
  if (out.name.empty()) errors.push_back({"name", "氏名を入力してください"});
  if (text::count_code_points(out.name) > 60) errors.push_back({"name", "氏名は 60 文字以内で入力してください"});
  out.organisation = text::clean_name(form.organisation);
  if (text::count_code_points(out.organisation) > 100) errors.push_back({"organisation", "所属は 100 文字以内で入力してください"});
  if (auto kind = registrant_kind_from(form.kind)) {
    out.kind = *kind;
  } else {
    errors.push_back({"kind", "区分を選んでください"});
  }
  out.prefecture = text::clean_name(form.prefecture);
  if (!out.prefecture.empty() && !geo::find_prefecture_by_code(out.prefecture)) out.prefecture.clear();
  out.email = std::string(text::trim(text::nfkc(text::trim(form.email))));
  if (!out.email.empty() && !mail::is_valid_address(out.email))
    errors.push_back({"email", "メールアドレスの形式が正しくありません（半角英数字の例: tanaka@example.jp）"});
  out.attendance = Attendance::kInPerson;
  return errors;
}

Result<Registration> add_walk_in(db::Transaction& tx, const auth::Principal& who, const Event& event, Registration r,
                                 Instant now) {
  auto may = reaches_checkin(tx, who, auth::Action::kCheckIn, event);
  if (!may) return fail(may.error());
  if (!*may) return fail(Error::denied("このイベントの受付を行う権限がありません"));
  auto secret = ensure_secret(tx);
  if (!secret) return fail(secret.error());
  r.event_id = event.id;
  r.status = Status::kConfirmed;
  r.walk_in = true;
  r.attended_at = now;
  r.attendance = Attendance::kInPerson;
  r.match_opt_in = false;
  for (int attempt = 0;; ++attempt) {
    r.receipt = new_receipt(event.id);
    auto taken = store::receipt_taken(tx, r.receipt);
    if (!taken) return fail(taken.error());
    if (!*taken) break;
    if (attempt > 20) return fail(Error::internal("receipt: no free value"));
  }
  std::string email_norm = r.email.empty() ? "walk-in:" + r.receipt : normalise_email(r.email);
  if (!r.email.empty()) {
    auto existing = store::find_by_email(tx, event.id, email_norm);
    if (!existing) return fail(existing.error());
    if (*existing) {
      return fail(Error::invalid(fmt::format("このメールアドレスの申込みがあります（受付番号 {}）。受付番号で受け付けてください",
                                             (*existing)->receipt)));
    }
  }
  auto id = store::insert_registration(tx, r, email_norm, now);
  if (!id) return fail(id.error());
  r.id = *id;
  auto marked = store::find_registration(tx, r.id);
  if (!marked) return fail(marked.error());
  if (auto logged = audit_registration(tx, audit::Actor::user(who.user_id), "event.walk_in", r, now); !logged)
    return fail(logged.error());
  return **marked;
}

}  // namespace kakehashi::events
