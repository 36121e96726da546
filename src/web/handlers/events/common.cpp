#include "web/handlers/events/common.h"

#include <fmt/format.h>

#include <algorithm>

#include "geo/geo.h"
#include "web/content_disposition.h"
#include "web/handlers/call/common.h"

namespace kakehashi::web::eventsweb {

std::vector<FormError> form_errors(const std::vector<events::FieldError>& errors) {
  std::vector<FormError> out;
  for (const auto& e : errors) out.push_back({e.field, e.message});
  return out;
}

std::optional<std::string> error_of(const std::vector<events::FieldError>& errors, std::string_view field) {
  std::string joined;
  for (const auto& e : errors) {
    if (e.field != field) continue;
    if (!joined.empty()) joined += "／";
    joined += e.message;
  }
  if (joined.empty()) return std::nullopt;
  return joined;
}

Result<std::optional<events::Event>> load_event(db::Transaction& tx, const Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return std::optional<events::Event>{};
  return events::find_event(tx, *request.principal, *id);
}

std::string when_label(const events::Event& event) {
  std::string start = tokyo_datetime_japanese(event.starts_at);
  std::string end = tokyo_datetime(event.ends_at);
  if (tokyo_date(event.starts_at) == tokyo_date(event.ends_at)) return start + "〜" + end.substr(11);
  return start + "〜" + tokyo_datetime_japanese(event.ends_at);
}

Attendance attendance_view(const events::Event& event, const events::Counts& c, events::Instant now) {
  events::Band band = events::band_of(event.kind);
  Attendance a;
  a.band = fmt::format("{}〜{} 人", band.low, band.high);
  a.confirmed = c.confirmed;
  a.confirmed_in_person = c.confirmed_in_person;
  a.confirmed_online = c.confirmed_online;
  a.waiting = c.waiting;
  a.offered = c.offered;
  a.attended = c.attended;
  a.attended_in_person = c.attended_in_person;
  a.attended_online = c.attended_online;
  a.walk_ins = c.walk_ins;
  a.capacity = event.capacity;
  bool started = now >= event.starts_at;
  int count = started ? c.attended : c.confirmed;
  std::string what = started ? "参加者" : "参加確定";
  a.in_band = count >= band.low && count <= band.high;
  if (count < band.low) {
    a.band_state = fmt::format("{} {} 人：目標の下限まであと {} 人", what, count, band.low - count);
  } else if (count > band.high) {
    a.band_state = fmt::format("{} {} 人：目標の上限を {} 人超えています", what, count, count - band.high);
  } else {
    a.band_state = fmt::format("{} {} 人：目標の範囲内です", what, count);
  }
  a.percent = band.low > 0 ? std::min(100, count * 100 / band.low) : 100;
  return a;
}

std::vector<EventTab> event_tabs(const events::Event& event, const events::EventAccess& rights, std::string_view current) {
  std::vector<EventTab> tabs;
  std::string base = fmt::format("/events/{}", event.id);
  tabs.push_back({"概要", base, current == "overview"});
  if (rights.personal) tabs.push_back({"参加者", base + "/registrations", current == "registrations"});
  if (rights.checkin) tabs.push_back({"受付", base + "/checkin", current == "checkin"});
  if (rights.manage && event.matchmaking) tabs.push_back({"マッチング", base + "/matchmaking", current == "matchmaking"});
  return tabs;
}

std::vector<Breadcrumb> event_crumbs(const events::Event& event, const std::string& page) {
  std::vector<Breadcrumb> crumbs{{"イベント", "/events"}};
  if (page.empty()) {
    crumbs.push_back({event.title, ""});
  } else {
    crumbs.push_back({event.title, fmt::format("/events/{}", event.id)});
    crumbs.push_back({page, ""});
  }
  return crumbs;
}

std::string public_url(const Application& app, const events::Event& event) {
  return app.config().public_url + "/e/" + event.slug;
}

std::string prefecture_name(const std::string& code) {
  const geo::Prefecture* pref = geo::find_prefecture_by_code(code);
  return pref ? std::string(pref->name) : "";
}

std::vector<Option> prefecture_options(const std::string& selected, bool with_blank) {
  std::vector<Option> out;
  if (with_blank) out.push_back({"", "選んでください", selected.empty()});
  for (const auto& p : geo::prefectures()) out.push_back({std::string(p.code), std::string(p.name), p.code == selected});
  return out;
}

std::vector<Option> registrant_kind_options(const std::string& selected) {
  std::vector<Option> out;
  for (auto kind : {events::RegistrantKind::kCompany, events::RegistrantKind::kMunicipality, events::RegistrantKind::kSchool,
                    events::RegistrantKind::kOperator, events::RegistrantKind::kOther}) {
    std::string id(events::to_string(kind));
    out.push_back({id, std::string(events::registrant_kind_label(kind)), id == selected});
  }
  return out;
}

Response file_response(std::string bytes, const std::string& content_type, const std::string& name) {
  Response response;
  response.content_type = content_type;
  response.body = std::move(bytes);
  response.with_header("Content-Disposition", content_disposition(name));
  return response;
}

std::optional<std::string> nonempty(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text;
}

std::string yen(std::int64_t amount) {
  std::string digits = std::to_string(amount < 0 ? -amount : amount);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (amount < 0 ? "-" : "") + out + " 円";
}

}  // namespace kakehashi::web::eventsweb
