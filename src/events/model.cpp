#include "events/model.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "base/named.h"
#include "base/text.h"
#include "geo/geo.h"
#include "mail/message.h"

namespace kakehashi::events {
namespace {

using named::from_id;
using named::id_of;
using named::label_of;
using named::Named;

constexpr std::array<Named<EventKind>, 2> kKinds{{
    {EventKind::kInterim, "interim", "中間報告会"},
    {EventKind::kFinal, "final", "全国成果報告会"},
}};
constexpr std::array<Named<Counting>, 3> kCountings{{
    {Counting::kOurs, "ours", "当事業の参加者として数える"},
    {Counting::kPartner, "partner", "共催先の参加者として数える"},
    {Counting::kBoth, "both", "双方で数える"},
}};
constexpr std::array<Named<RegistrantKind>, 5> kRegistrantKinds{{
    {RegistrantKind::kCompany, "company", "企業"},
    {RegistrantKind::kMunicipality, "municipality", "自治体・教育委員会"},
    {RegistrantKind::kSchool, "school", "学校"},
    {RegistrantKind::kOperator, "operator", "実証事業者"},
    {RegistrantKind::kOther, "other", "その他"},
}};
constexpr std::array<Named<Attendance>, 2> kAttendances{{
    {Attendance::kInPerson, "in_person", "会場"},
    {Attendance::kOnline, "online", "オンライン"},
}};
constexpr std::array<Named<Status>, 5> kStatuses{{
    {Status::kConfirmed, "confirmed", "参加確定"},
    {Status::kWaiting, "waiting", "キャンセル待ち"},
    {Status::kOffered, "offered", "繰り上げ案内中"},
    {Status::kCancelled, "cancelled", "キャンセル済み"},
    {Status::kExpired, "expired", "案内期限切れ"},
}};
constexpr std::array<Named<RequestState>, 3> kRequestStates{{
    {RequestState::kPending, "pending", "回答待ち"},
    {RequestState::kAccepted, "accepted", "承諾"},
    {RequestState::kDeclined, "declined", "辞退"},
}};

// Trimmed, NFKC (full-width digits and letters to half-width), runs of spaces collapsed.
std::string clean(std::string_view text) { return text::clean_name(text); }

}  // namespace

std::string clean_title(std::string_view typed) {
  std::string out;
  bool space = false;
  for (std::string_view cp : text::code_points(text::trim(typed))) {
    if (cp == " " || cp == "\t" || cp == "\r" || cp == "\n" || cp == "\u3000") {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += cp;
  }
  return out;
}

namespace {

// A multi-line text: trimmed, NFKC per line would lose line breaks, so only the ends.
std::string clean_text(std::string_view text) { return std::string(text::trim(text)); }

bool too_long(const std::string& text, std::size_t max) { return text::count_code_points(text) > max; }

std::optional<int> small_integer(std::string_view typed) {
  std::string text = clean(typed);
  std::erase(text, ',');
  if (text.empty() || text.size() > 9) return std::nullopt;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  return std::stoi(text);
}

std::optional<Instant> instant(std::string_view typed) {
  std::string text = clean(typed);
  if (text.empty()) return std::nullopt;
  auto parsed = parse_tokyo_datetime(text);
  if (!parsed) return std::nullopt;
  return *parsed;
}

}  // namespace

std::string_view to_string(EventKind kind) { return id_of(kKinds, kind); }
std::optional<EventKind> event_kind_from(std::string_view text) { return from_id(kKinds, text); }
std::string_view event_kind_label(EventKind kind) { return label_of(kKinds, kind); }
Band band_of(EventKind kind) { return kind == EventKind::kFinal ? Band{100, 300} : Band{50, 150}; }
std::string_view to_string(Counting counting) { return id_of(kCountings, counting); }
std::optional<Counting> counting_from(std::string_view text) { return from_id(kCountings, text); }
std::string_view counting_label(Counting counting) { return label_of(kCountings, counting); }
std::string_view to_string(RegistrantKind kind) { return id_of(kRegistrantKinds, kind); }
std::optional<RegistrantKind> registrant_kind_from(std::string_view text) { return from_id(kRegistrantKinds, text); }
std::string_view registrant_kind_label(RegistrantKind kind) { return label_of(kRegistrantKinds, kind); }
std::string_view to_string(Attendance attendance) { return id_of(kAttendances, attendance); }
std::optional<Attendance> attendance_from(std::string_view text) { return from_id(kAttendances, text); }
std::string_view attendance_label(Attendance attendance) { return label_of(kAttendances, attendance); }
std::string_view to_string(Status status) { return id_of(kStatuses, status); }
std::optional<Status> status_from(std::string_view text) { return from_id(kStatuses, text); }
std::string_view status_label(Status status) { return label_of(kStatuses, status); }
std::string_view to_string(RequestState state) { return id_of(kRequestStates, state); }
std::optional<RequestState> request_state_from(std::string_view text) { return from_id(kRequestStates, text); }
std::string_view request_state_label(RequestState state) { return label_of(kRequestStates, state); }

std::string_view cost_category_label(std::string_view category) {
  if (category == "venue") return "会場費";
  if (category == "publicity") return "広報費";
  if (category == "speakers") return "講師の招へい・旅費";
  return "その他";
}

std::string place_label(const Event& event) {
  std::string place;
  if (event.in_person) {
    const geo::Prefecture* pref = geo::find_prefecture_by_code(event.prefecture);
    if (pref) place += pref->name;
    place += event.address;
    if (!event.venue.empty()) place += "（" + event.venue + "）";
  }
  if (event.online) place += event.in_person ? "・オンライン併用" : "オンライン";
  return place;
}

std::vector<FieldError> read_event(const EventForm& form, Event& out) {
  std::vector<FieldError> errors;
  if (auto kind = event_kind_from(form.kind)) {
    out.kind = *kind;
  } else {
    errors.push_back({"kind", "種類を選んでください"});
  }
  out.title = clean_title(form.title);
  if (out.title.empty()) {
    errors.push_back({"title", "名称を入力してください"});
  } else if (too_long(out.title, 100)) {
    errors.push_back({"title", "名称は 100 文字以内で入力してください"});
  }
  out.summary = clean_text(form.summary);
  if (too_long(out.summary, 2000)) errors.push_back({"summary", "概要は 2000 文字以内で入力してください"});
  auto starts = instant(form.starts_at);
  auto ends = instant(form.ends_at);
  if (!starts) errors.push_back({"starts_at", "開始日時を入力してください（例: 2027-01-20T13:00）"});
  if (!ends) errors.push_back({"ends_at", "終了日時を入力してください（例: 2027-01-20T17:00）"});
  if (starts && ends && *ends <= *starts) errors.push_back({"ends_at", "終了日時は開始日時より後にしてください"});
  if (starts) out.starts_at = *starts;
  if (ends) out.ends_at = *ends;
  if (form.format == "in_person") {
    out.in_person = true, out.online = false;
  } else if (form.format == "online") {
    out.in_person = false, out.online = true;
  } else if (form.format == "hybrid") {
    out.in_person = true, out.online = true;
  } else {
    errors.push_back({"format", "開催形式を選んでください"});
  }
  out.prefecture = clean(form.prefecture);
  out.venue = clean_title(form.venue);
  out.address = clean(form.address);
  if (out.in_person) {
    if (!geo::find_prefecture_by_code(out.prefecture)) errors.push_back({"prefecture", "会場の都道府県を選んでください"});
    if (out.venue.empty()) errors.push_back({"venue", "会場名を入力してください"});
    if (too_long(out.venue, 100)) errors.push_back({"venue", "会場名は 100 文字以内で入力してください"});
    if (too_long(out.address, 200)) errors.push_back({"address", "所在地は 200 文字以内で入力してください"});
  } else {
    out.prefecture.clear();
  }
  if (auto capacity = small_integer(form.capacity); capacity && *capacity <= 100000) {
    out.capacity = *capacity;
    if (out.in_person && out.capacity == 0) errors.push_back({"capacity", "会場の定員を 1 人以上で入力してください"});
  } else if (!out.in_person && clean(form.capacity).empty()) {
    out.capacity = 0;
  } else {
    errors.push_back({"capacity", "定員は 0〜100000 の整数で入力してください"});
  }
  auto closes = instant(form.registration_closes_at);
  if (!closes) {
    errors.push_back({"registration_closes_at", "申込締切を入力してください（例: 2027-01-13T17:00）"});
  } else {
    out.registration_closes_at = *closes;
    if (ends && *closes > *ends) errors.push_back({"registration_closes_at", "申込締切は終了日時までにしてください"});
  }
  if (clean(form.offer_hours).empty()) {
    out.offer_hours = 48;
  } else if (auto hours = small_integer(form.offer_hours); hours && *hours >= 1 && *hours <= 720) {
    out.offer_hours = *hours;
  } else {
    errors.push_back({"offer_hours", "繰り上げ案内の有効時間は 1〜720 の整数（時間）で入力してください"});
  }
  out.cohost_name = clean_title(form.cohost_name);
  if (too_long(out.cohost_name, 100)) errors.push_back({"cohost_name", "共催するイベント名は 100 文字以内で入力してください"});
  if (auto counting = counting_from(form.cohost_counting.empty() ? "ours" : form.cohost_counting)) {
    out.cohost_counting = *counting;
  } else {
    errors.push_back({"cohost_counting", "参加者の数え方を選んでください"});
  }
  std::string op = clean(form.cohost_operator_id);
  out.cohost_operator_id.reset();
  if (!op.empty()) {
    if (auto id = small_integer(op); id && *id > 0) {
      out.cohost_operator_id = *id;
    } else {
      errors.push_back({"cohost_operator_id", "共催する実証事業者を選び直してください"});
    }
  }
  out.published = form.published;
  out.matchmaking = form.matchmaking;
  out.requests_open_at = instant(form.requests_open_at);
  out.requests_close_at = instant(form.requests_close_at);
  if (!clean(form.requests_open_at).empty() && !out.requests_open_at)
    errors.push_back({"requests_open_at", "面談申込の開始日時の形式が正しくありません（例: 2027-01-06T10:00）"});
  if (!clean(form.requests_close_at).empty() && !out.requests_close_at)
    errors.push_back({"requests_close_at", "面談申込の締切日時の形式が正しくありません（例: 2027-01-27T17:00）"});
  if (out.matchmaking && (clean(form.requests_open_at).empty() || clean(form.requests_close_at).empty()))
    errors.push_back({"requests_open_at", "マッチングを行う場合は面談申込の受付期間を入力してください"});
  if (out.requests_open_at && out.requests_close_at && *out.requests_close_at <= *out.requests_open_at)
    errors.push_back({"requests_close_at", "面談申込の締切は開始より後にしてください"});
  return errors;
}

std::string normalise_email(std::string_view email) {
  std::string out = text::nfkc(text::trim(email));
  std::string_view trimmed = text::trim(out);
  std::string lower(trimmed);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

std::string normalise_code(std::string_view code) {
  std::string text = text::nfkc(code);
  std::string out;
  for (std::string_view cp : text::code_points(text)) {
    if (cp == " " || cp == "\t" || cp == "\r" || cp == "\n") continue;
    if (cp == "ー" || cp == "‐" || cp == "−" || cp == "–" || cp == "—" || cp == "―" || cp == "-") {
      out += '-';
      continue;
    }
    for (char c : cp) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

std::vector<FieldError> read_registration(const RegistrationForm& form, const Event& event, Registration& out) {
  std::vector<FieldError> errors;
  out.name = clean(form.name);
  if (out.name.empty()) {
    errors.push_back({"name", "氏名を入力してください"});
  } else if (too_long(out.name, 60)) {
    errors.push_back({"name", "氏名は 60 文字以内で入力してください"});
  }
  out.organisation = clean(form.organisation);
  if (out.organisation.empty()) {
    errors.push_back({"organisation", "所属（団体名・学校名）を入力してください。個人の方は「個人」と入力してください"});
  } else if (too_long(out.organisation, 100)) {
    errors.push_back({"organisation", "所属は 100 文字以内で入力してください"});
  }
  if (auto kind = registrant_kind_from(form.kind)) {
    out.kind = *kind;
  } else {
    errors.push_back({"kind", "区分を選んでください"});
  }
  out.school_type.clear();
  if (out.kind == RegistrantKind::kSchool) {
    std::string type = clean(form.school_type);
    if (std::ranges::find(kSchoolTypes, type) == std::end(kSchoolTypes)) {
      errors.push_back({"school_type", "学校種を選んでください"});
    } else {
      out.school_type = type;
    }
  }
  out.prefecture = clean(form.prefecture);
  if (!geo::find_prefecture_by_code(out.prefecture)) errors.push_back({"prefecture", "都道府県を選んでください"});
  out.email = std::string(text::trim(text::nfkc(text::trim(form.email))));
  if (out.email.empty()) {
    errors.push_back({"email", "メールアドレスを入力してください"});
  } else if (!mail::is_valid_address(out.email) || out.email.size() > 254) {
    errors.push_back({"email", "メールアドレスの形式が正しくありません（半角英数字の例: tanaka@example.jp）"});
  }
  if (auto attendance = attendance_from(form.attendance)) {
    out.attendance = *attendance;
    if (out.attendance == Attendance::kInPerson && !event.in_person)
      errors.push_back({"attendance", "このイベントはオンラインのみで開催します"});
    if (out.attendance == Attendance::kOnline && !event.online)
      errors.push_back({"attendance", "このイベントはオンライン参加を受け付けていません"});
  } else if (event.in_person != event.online) {
    out.attendance = event.in_person ? Attendance::kInPerson : Attendance::kOnline;
  } else {
    errors.push_back({"attendance", "参加方法（会場・オンライン）を選んでください"});
  }
  if (!form.consent) errors.push_back({"consent", "個人情報の取扱いに同意いただく必要があります"});
  out.match_opt_in = event.matchmaking && form.match_opt_in;
  out.offers = out.match_opt_in ? clean_text(form.offers) : "";
  out.seeks = out.match_opt_in ? clean_text(form.seeks) : "";
  if (too_long(out.offers, 400)) errors.push_back({"offers", "提供できることは 400 文字以内で入力してください"});
  if (too_long(out.seeks, 400)) errors.push_back({"seeks", "探していることは 400 文字以内で入力してください"});
  return errors;
}

}  // namespace kakehashi::events
