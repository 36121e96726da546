// Series, meetings, scope, agenda and materials (see service.h for the rules).
#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <filesystem>
#include <fstream>

#include "audit/audit.h"
#include "auth/policy.h"
#include "auth/users.h"
#include "geo/geo.h"
#include "inspect/upload.h"
#include "inspect/upload_text.h"
#include "meetings/service.h"
#include "meetings/store.h"
#include "notify/service.h"
#include "operations/access.h"
#include "operations/milestones.h"
#include "operations/projects.h"
#include "operations/service.h"

namespace kakehashi::meetings {
namespace {

Result<void> as_void(const Result<std::int64_t>& r) {
  if (!r) return fail(r.error());
  return {};
}

std::optional<int> whole(std::string_view text) {
  int value = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || p != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<std::int64_t> id_of(std::string_view text) {
  std::int64_t value = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || p != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

std::optional<std::pair<int, int>> hhmm(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  auto h = whole(text.substr(0, 2));
  auto m = whole(text.substr(3, 2));
  if (!h || !m || *h < 0 || *h > 23 || *m < 0 || *m > 59) return std::nullopt;
  return std::pair{*h, *m};
}

std::string trimmed(std::string_view text) {
  auto b = text.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  auto e = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(b, e - b + 1));
}

std::vector<std::string> guest_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = trimmed(std::string_view(text).substr(start, end - start));
    if (!line.empty()) out.push_back(line);
    start = end + 1;
  }
  return out;
}

bool is_http_url(std::string_view url) { return url.starts_with("https://") || url.starts_with("http://"); }

void check_common(const MeetingForm& f, std::vector<FieldError>& errors) {
  std::string title = trimmed(f.title);
  if (title.empty()) errors.push_back({"title", "会議名を入力してください"});
  else if (title.size() > 300) errors.push_back({"title", "会議名は 100 文字以内にしてください"});
  if (!hhmm(f.start_time)) errors.push_back({"start_time", "開始時刻を 10:00 の形で入力してください"});
  auto d = whole(f.duration);
  if (!d || *d < 15 || *d > 480) errors.push_back({"duration", "会議時間は 15〜480 分で入力してください"});
  if (!f.online_url.empty() && !is_http_url(f.online_url))
    errors.push_back({"online_url", "オンライン会議の URL は https:// で始まるアドレスを入力してください"});
  if (trimmed(f.place).empty() && f.online_url.empty())
    errors.push_back({"place", "場所かオンライン会議の URL のどちらかを入力してください"});
  for (const auto& a : f.attendees) {
    if (!id_of(a)) {
      errors.push_back({"attendees", "出席者の指定が正しくありません"});
      break;
    }
  }
  for (const auto& b : f.blocks) {
    if (!geo::find_block(b)) {
      errors.push_back({"blocks", "ブロックの指定が正しくありません"});
      break;
    }
  }
  if (!f.minutes_owner.empty() && !id_of(f.minutes_owner)) errors.push_back({"minutes_owner", "議事録担当者の指定が正しくありません"});
}

Result<void> check_manage(const auth::Principal& who) {
  if (!auth::may(who, auth::Action::kManageMeetings)) return fail(Error::denied("会議を管理する権限がありません"));
  return {};
}

std::string join(const std::vector<FieldError>& errors) {
  std::string out;
  for (const auto& e : errors) {
    if (!out.empty()) out += "／";
    out += e.message;
  }
  return out;
}

std::vector<std::int64_t> user_ids(const std::vector<std::string>& ids) {
  std::vector<std::int64_t> out;
  for (const auto& a : ids) {
    if (auto id = id_of(a); id && std::ranges::find(out, *id) == out.end()) out.push_back(*id);
  }
  return out;
}

// Fills a meeting's time, place and calendar fields from a validated form.
Result<void> apply_form(Meeting& m, const calendar::HolidayCalendar& cal, const MeetingForm& f, Date day) {
  m.title = trimmed(f.title);
  auto start = start_instant(day, f.start_time);
  if (!start) return fail(start.error());
  m.starts_at = *start;
  m.duration_minutes = *whole(f.duration);
  m.place = trimmed(f.place);
  m.online_url = trimmed(f.online_url);
  auto note = day_note(cal, day);
  if (!note) return fail(note.error());
  m.day_note = *note;
  auto due = minutes_due(cal, day);
  if (!due) return fail(due.error());
  m.minutes_due = *due;
  m.minutes_owner = f.minutes_owner.empty() ? std::nullopt : id_of(f.minutes_owner);
  m.blocks = m.kind == Kind::kLiaison ? f.blocks : std::vector<std::string>{};
  if (m.kind == Kind::kLiaison && m.blocks.empty()) {
    for (const auto& b : geo::blocks()) m.blocks.emplace_back(b.id);
  }
  return {};
}

// Users attending must exist.
Result<void> check_users(db::Transaction& tx, const std::vector<std::int64_t>& ids) {
  auto names = auth::user_names(tx, ids);
  if (!names) return fail(names.error());
  if (names->size() != ids.size()) return fail(Error::invalid("出席者に存在しない利用者が含まれています"));
  return {};
}

}  // namespace

// ---- Calendar rules
Result<Date> minutes_due(const calendar::HolidayCalendar& cal, Date day) {
  return cal.add_business_days(day, kMinutesBusinessDays);
}

Result<int> recompute_calendar_dates(db::Transaction& tx, const calendar::HolidayCalendar& cal, Instant now) {
  auto all = store::meetings(tx, store::MeetingQuery{});
  if (!all) return fail(all.error());
  int changed = 0;
  for (const auto& m : *all) {
    // Minutes handed in met their deadline under the old calendar; cancelled meetings owe none.
    if (m.cancelled() || m.minutes_state == MinutesState::kSubmitted || m.minutes_state == MinutesState::kConfirmed) continue;
    Date day = tokyo_date(m.starts_at);
    auto due = minutes_due(cal, day);
    if (!due) return fail(due.error());
    auto note = day_note(cal, day);
    if (!note) return fail(note.error());
    if (*due == m.minutes_due && *note == m.day_note) continue;
    if (auto r = store::set_calendar_dates(tx, m.id, *note, *due, now); !r) return fail(r.error());
    boost::json::object detail{{"minutes_due", boost::json::object{{"before", m.minutes_due.iso()}, {"after", due->iso()}}}};
    if (*note != m.day_note) detail["day_note"] = boost::json::object{{"before", m.day_note}, {"after", *note}};
    auto logged = audit::record(tx, audit::entry_by(audit::Actor::system(), "meeting.dates_recomputed",
                                                    fmt::format("meeting:{}", m.id), boost::json::serialize(detail)),
                                now);
    if (!logged) return fail(logged.error());
    ++changed;
  }
  return changed;
}

Result<std::string> day_note(const calendar::HolidayCalendar& cal, Date day) {
  auto holiday = cal.holiday_name(day);
  if (!holiday) return fail(holiday.error());
  if (*holiday) return fmt::format("祝日（{}）", **holiday);
  if (calendar::is_government_closed(day)) return std::string("年末年始の閉庁日");
  if (day.weekday() == 6) return std::string("土曜日");
  if (day.weekday() == 0) return std::string("日曜日");
  return std::string();
}

std::vector<Date> series_dates(Kind kind, Date first, Date last) {
  std::vector<Date> out;
  if (last < first) return out;
  if (kind != Kind::kLiaison) {
    for (Date d = first; d <= last && out.size() < 200; d = d.plus_days(7)) out.push_back(d);
    return out;
  }
  const unsigned nth = (first.day() - 1) / 7 + 1;
  const std::chrono::weekday wd{first.sys_days()};
  std::chrono::year_month ym{first.ymd().year(), first.ymd().month()};
  for (int i = 0; i < 60; ++i, ym += std::chrono::months{1}) {
    std::chrono::year_month_weekday ymw{ym.year(), ym.month(), wd[nth]};
    if (!ymw.ok()) continue;
    Date d{std::chrono::sys_days{ymw}};
    if (d > last) break;
    if (d >= first) out.push_back(d);
  }
  return out;
}

Result<Instant> start_instant(Date day, const std::string& text) {
  auto t = hhmm(text);
  if (!t) return fail(Error::invalid("開始時刻を 10:00 の形で入力してください"));
  return Instant{day.sys_days()} + std::chrono::hours{t->first} + std::chrono::minutes{t->second} - kJapanOffset;
}

std::string short_datetime(Instant at) {
  static constexpr std::string_view kDays[] = {"日", "月", "火", "水", "木", "金", "土"};
  Date d = tokyo_date(at);
  auto local = at + kJapanOffset;
  auto minutes = std::chrono::duration_cast<std::chrono::minutes>(local - std::chrono::floor<std::chrono::days>(local)).count();
  return fmt::format("{}月{}日（{}）{:02}:{:02}", d.month(), d.day(), kDays[d.weekday()], minutes / 60, minutes % 60);
}

std::vector<MeetingFlag> flags(const Meeting& m, int agenda_minutes, Instant now) {
  std::vector<MeetingFlag> out;
  if (!m.day_note.empty()) out.push_back({FlagKind::kClosedDay, fmt::format("休日に開催（{}）", m.day_note)});
  if (m.cancelled()) return out;
  if (m.materials_sent_at && *m.materials_sent_at > m.starts_at)
    out.push_back({FlagKind::kMaterialsLate, fmt::format("資料を開始後に送付（{}）", short_datetime(*m.materials_sent_at))});
  if (!m.materials_sent_at && now >= m.starts_at) out.push_back({FlagKind::kMaterialsNotSent, "資料を事前に送付していません"});
  if (now >= m.starts_at && tokyo_date(now) > m.minutes_due &&
      (m.minutes_state == MinutesState::kNone || m.minutes_state == MinutesState::kDraft ||
       m.minutes_state == MinutesState::kReturned))
    out.push_back({FlagKind::kMinutesOverdue,
                   fmt::format("議事録の提出期限（{}月{}日）を過ぎています", m.minutes_due.month(), m.minutes_due.day())});
  if (agenda_minutes > m.duration_minutes)
    out.push_back({FlagKind::kAgendaOver, fmt::format("議題が会議時間を {} 分超えています", agenda_minutes - m.duration_minutes)});
  return out;
}

// ---- Access
Result<Viewer> viewer(db::Transaction& tx, const auth::Principal& who) {
  Viewer v;
  v.user_id = who.user_id;
  v.manage = auth::may(who, auth::Action::kManageMeetings);
  v.confirm = auth::may(who, auth::Action::kConfirmMinutes);
  for (const auth::Grant& g : auth::policy_table()) {
    if (g.action == auth::Action::kViewMeetings && who.has(g.role) && g.scope == auth::Scope::kAll) v.all = true;
  }
  if (v.all) return v;
  auto bureau = operations::bureau_blocks(tx, who);
  if (!bureau) return fail(bureau.error());
  v.blocks = std::move(*bureau);
  if (who.has(auth::Role::kOperator) && who.organisation_id) {
    auto programme = operations::current_programme(tx);
    if (!programme) return fail(programme.error());
    if (*programme) {
      auto ops = operations::all_operators(tx, **programme);
      if (!ops) return fail(ops.error());
      for (const auto& op : *ops) {
        if (op.organisation_id != *who.organisation_id) continue;
        for (const auto& b : op.blocks) v.blocks.insert(b.block_id);
      }
    }
  }
  return v;
}

Result<bool> may_see(db::Transaction& tx, const Viewer& v, const Meeting& m) {
  if (v.all) return true;
  if (m.kind == Kind::kLiaison &&
      std::ranges::any_of(m.blocks, [&](const std::string& b) { return v.blocks.contains(b); }))
    return true;
  return store::attends(tx, m.id, v.user_id);
}

bool may_read_minutes(const Viewer& v, const Meeting& m) {
  switch (m.minutes_state) {
    case MinutesState::kNone:
    case MinutesState::kDraft: return v.manage;
    case MinutesState::kReturned: return v.manage || v.confirm;
    case MinutesState::kSubmitted:
    case MinutesState::kConfirmed: return true;
  }
  return false;
}

// ---- Series and meetings
std::vector<FieldError> validate_series(const MeetingForm& f) {
  std::vector<FieldError> errors;
  if (f.kind != "regular" && f.kind != "liaison") errors.push_back({"kind", "定例会か連絡会を選んでください"});
  auto first = Date::parse(f.date);
  auto last = Date::parse(f.last_date);
  if (!first) errors.push_back({"date", "初回の日付を 2026-12-25 の形で入力してください"});
  if (!last) errors.push_back({"last_date", "最終日を 2026-12-25 の形で入力してください"});
  if (first && last) {
    if (*last < *first) errors.push_back({"last_date", "最終日は初回の日付以降にしてください"});
    else if (last->days_since(*first) > 400) errors.push_back({"last_date", "シリーズの期間は 400 日以内にしてください"});
  }
  check_common(f, errors);
  return errors;
}

std::vector<FieldError> validate_meeting(const MeetingForm& f) {
  std::vector<FieldError> errors;
  if (!kind_from(f.kind)) errors.push_back({"kind", "会議の種類を選んでください"});
  if (!Date::parse(f.date)) errors.push_back({"date", "日付を 2026-12-25 の形で入力してください"});
  check_common(f, errors);
  return errors;
}

Result<std::int64_t> create_series(db::Transaction& tx, const auth::Principal& who, const calendar::HolidayCalendar& cal,
                                   const MeetingForm& f, Instant now) {
  if (auto ok = check_manage(who); !ok) return fail(ok.error());
  auto errors = validate_series(f);
  if (!errors.empty()) return fail(Error::invalid(join(errors)));
  auto users = user_ids(f.attendees);
  if (auto ok = check_users(tx, users); !ok) return fail(ok.error());
  Series s;
  s.kind = *kind_from(f.kind);
  s.title = trimmed(f.title);
  s.first_date = *Date::parse(f.date);
  s.last_date = *Date::parse(f.last_date);
  s.start_time = f.start_time;
  s.duration_minutes = *whole(f.duration);
  s.place = trimmed(f.place);
  s.online_url = trimmed(f.online_url);
  auto series_id = store::insert_series(tx, s, now, who.user_id);
  if (!series_id) return fail(series_id.error());
  auto dates = series_dates(s.kind, s.first_date, s.last_date);
  int n = 0;
  for (Date day : dates) {
    Meeting m;
    m.series_id = *series_id;
    m.kind = s.kind;
    if (auto ok = apply_form(m, cal, f, day); !ok) return fail(ok.error());
    m.title = fmt::format("{}（{}月{}日）", s.title, day.month(), day.day());
    if (!m.minutes_owner) m.minutes_owner = who.user_id;
    auto id = store::insert_meeting(tx, m, now);
    if (!id) return fail(id.error());
    if (auto r = store::replace_attendees(tx, *id, users, guest_lines(f.guests)); !r) return fail(r.error());
    ++n;
  }
  boost::json::object detail{{"kind", std::string(to_string(s.kind))}, {"meetings", n}};
  if (auto r = audit::record(tx, audit::by_user(who.user_id, "meeting.series_create", fmt::format("meeting_series:{}", *series_id),
                                                 boost::json::serialize(detail)),
                             now);
      !r)
    return fail(r.error());
  return *series_id;
}

Result<std::int64_t> create_meeting(db::Transaction& tx, const auth::Principal& who, const calendar::HolidayCalendar& cal,
                                    const MeetingForm& f, Instant now) {
  if (auto ok = check_manage(who); !ok) return fail(ok.error());
  auto errors = validate_meeting(f);
  if (!errors.empty()) return fail(Error::invalid(join(errors)));
  auto users = user_ids(f.attendees);
  if (auto ok = check_users(tx, users); !ok) return fail(ok.error());
  Meeting m;
  m.kind = *kind_from(f.kind);
  if (auto ok = apply_form(m, cal, f, *Date::parse(f.date)); !ok) return fail(ok.error());
  if (!m.minutes_owner) m.minutes_owner = who.user_id;
  auto id = store::insert_meeting(tx, m, now);
  if (!id) return fail(id.error());
  if (auto r = store::replace_attendees(tx, *id, users, guest_lines(f.guests)); !r) return fail(r.error());
  if (auto r = audit::record(tx, audit::by_user(who.user_id, "meeting.create", fmt::format("meeting:{}", *id),
                                                 boost::json::serialize(boost::json::object{{"kind", f.kind}})),
                             now);
      !r)
    return fail(r.error());
  return *id;
}

Result<void> update_meeting(db::Transaction& tx, const auth::Principal& who, const calendar::HolidayCalendar& cal,
                            std::int64_t meeting_id, const MeetingForm& f, Instant now) {
  if (auto ok = check_manage(who); !ok) return fail(ok.error());
  auto found = store::find_meeting(tx, meeting_id);
  if (!found) return fail(found.error());
  if (!*found) return fail(Error::not_found("会議が見つかりません"));
  Meeting m = std::move(**found);
  if (m.cancelled()) return fail(Error::invalid("中止した会議は変更できません"));
  MeetingForm form = f;
  form.kind = std::string(to_string(m.kind));
  auto errors = validate_meeting(form);
  if (!errors.empty()) return fail(Error::invalid(join(errors)));
  auto users = user_ids(f.attendees);
  if (auto ok = check_users(tx, users); !ok) return fail(ok.error());
  Instant before = m.starts_at;
  if (auto ok = apply_form(m, cal, form, *Date::parse(form.date)); !ok) return fail(ok.error());
  if (!m.minutes_owner) m.minutes_owner = who.user_id;
  if (m.minutes_state == MinutesState::kConfirmed && m.starts_at != before)
    return fail(Error::invalid("議事録が確定した会議の日時は変更できません"));
  if (auto r = store::update_meeting(tx, m, now); !r) return fail(r.error());
  if (auto r = store::replace_attendees(tx, m.id, users, guest_lines(f.guests)); !r) return fail(r.error());
  boost::json::object detail{{"moved", m.starts_at != before}};
  return as_void(audit::record(tx, audit::by_user(who.user_id, "meeting.update", fmt::format("meeting:{}", m.id),
                                           boost::json::serialize(detail)),
                       now));
}

Result<void> cancel_meeting(db::Transaction& tx, const auth::Principal& who, std::int64_t meeting_id,
                            const std::string& reason, Instant now) {
  if (auto ok = check_manage(who); !ok) return fail(ok.error());
  auto found = store::find_meeting(tx, meeting_id);
  if (!found) return fail(found.error());
  if (!*found) return fail(Error::not_found("会議が見つかりません"));
  if ((*found)->cancelled()) return fail(Error::invalid("この会議はすでに中止されています"));
  if ((*found)->minutes_state != MinutesState::kNone) return fail(Error::invalid("議事録のある会議は中止できません"));
  std::string why = trimmed(reason);
  if (why.empty()) return fail(Error::invalid("中止の理由を入力してください"));
  if (auto r = store::cancel_meeting(tx, meeting_id, why, now); !r) return fail(r.error());
  return as_void(audit::record(tx, audit::by_user(who.user_id, "meeting.cancel", fmt::format("meeting:{}", meeting_id)), now));
}

MeetingForm form_of(const Meeting& m, const std::vector<Attendee>& attendees) {
  MeetingForm f;
  f.kind = std::string(to_string(m.kind));
  f.title = m.title;
  f.date = tokyo_date(m.starts_at).iso();
  std::string local = tokyo_datetime(m.starts_at);  // "2026-12-25 10:00"
  f.start_time = local.size() >= 16 ? local.substr(11, 5) : "";
  f.duration = std::to_string(m.duration_minutes);
  f.place = m.place;
  f.online_url = m.online_url;
  for (const auto& a : attendees) {
    if (a.user_id) f.attendees.push_back(std::to_string(*a.user_id));
    else f.guests += a.guest_name + "\n";
  }
  f.blocks = m.blocks;
  if (m.minutes_owner) f.minutes_owner = std::to_string(*m.minutes_owner);
  return f;
}

Result<std::optional<Meeting>> find_meeting(db::Transaction& tx, const auth::Principal& who, std::int64_t meeting_id) {
  if (!auth::may(who, auth::Action::kViewMeetings)) return std::optional<Meeting>{};
  auto m = store::find_meeting(tx, meeting_id);
  if (!m || !*m) return m;
  auto v = viewer(tx, who);
  if (!v) return fail(v.error());
  auto ok = may_see(tx, *v, **m);
  if (!ok) return fail(ok.error());
  if (!*ok) return std::optional<Meeting>{};
  return m;
}

Result<std::vector<Meeting>> list_meetings(db::Transaction& tx, const auth::Principal& who, std::optional<Instant> from,
                                           std::optional<Instant> to) {
  if (!auth::may(who, auth::Action::kViewMeetings)) return std::vector<Meeting>{};
  auto v = viewer(tx, who);
  if (!v) return fail(v.error());
  store::MeetingQuery q;
  q.from = from;
  q.to = to;
  if (!v->all) {
    q.scoped = true;
    q.user_id = who.user_id;
    q.blocks = v->blocks;
  }
  return store::meetings(tx, q);
}

Result<std::optional<Series>> find_series(db::Transaction& tx, std::int64_t series_id) {
  return store::find_series(tx, series_id);
}

Result<std::vector<Attendee>> attendees_of(db::Transaction& tx, std::int64_t meeting_id) {
  auto list = store::attendees(tx, meeting_id);
  if (!list) return list;
  std::vector<std::int64_t> ids;
  for (const auto& a : *list) {
    if (a.user_id) ids.push_back(*a.user_id);
  }
  auto names = auth::user_names(tx, ids);
  if (!names) return fail(names.error());
  for (auto& a : *list) {
    if (a.user_id) a.name = names->contains(*a.user_id) ? names->at(*a.user_id) : "（不明な利用者）";
  }
  return list;
}

// ---- Agenda
Result<std::vector<FieldError>> validate_agenda_item(db::Transaction& tx, const auth::Principal& who, const AgendaForm& f) {
  std::vector<FieldError> errors;
  if (trimmed(f.title).empty()) errors.push_back({"title", "議題を入力してください"});
  auto m = whole(f.minutes);
  if (!m || *m < 1 || *m > 480) errors.push_back({"minutes", "時間（分）は 1〜480 の整数で入力してください"});
  if (!f.link.empty()) {
    auto colon = f.link.find(':');
    std::string kind = f.link.substr(0, colon);
    auto id = colon == std::string::npos ? std::nullopt : id_of(std::string_view(f.link).substr(colon + 1));
    bool found = false;
    if (id && kind == "operator") {
      auto op = operations::find_operator(tx, who, *id);
      if (!op) return fail(op.error());
      found = op->has_value();
    } else if (id && kind == "milestone") {
      auto ms = operations::find_milestone(tx, who, *id);
      if (!ms) return fail(ms.error());
      found = ms->has_value();
    } else if (id && kind == "project") {
      auto p = operations::find_project(tx, who, *id);
      if (!p) return fail(p.error());
      found = p->has_value();
    }
    if (!found) errors.push_back({"link", "関連付ける実証事業者・マイルストーン・プロジェクトが見つかりません"});
  }
  return errors;
}

Result<std::int64_t> add_agenda_item(db::Transaction& tx, const auth::Principal& who, std::int64_t meeting_id,
                                     const AgendaForm& f, Instant now) {
  if (auto ok = check_manage(who); !ok) return fail(ok.error());
  auto m = store::find_meeting(tx, meeting_id);
  if (!m) return fail(m.error());
  if (!*m) return fail(Error::not_found("会議が見つかりません"));
  if ((*m)->minutes_state == MinutesState::kConfirmed) return fail(Error::invalid(std::string(kLockedMessage)));
  auto errors = validate_agenda_item(tx, who, f);
  if (!errors) return fail(errors.error());
  if (!errors->empty()) return fail(Error::invalid(join(*errors)));
  AgendaItem item;
  item.meeting_id = meeting_id;
  item.title = trimmed(f.title);
  item.owner_name = trimmed(f.owner_name);
  item.minutes = *whole(f.minutes);
  if (!f.link.empty()) {
    auto colon = f.link.find(':');
    item.link_kind = f.link.substr(0, colon);
    item.link_id = id_of(std::string_view(f.link).substr(colon + 1));
    if (item.link_kind == "operator") {
      auto op = operations::find_operator(tx, who, *item.link_id);
      if (op && *op) item.link_label = (*op)->name;
    } else if (item.link_kind == "milestone") {
      auto ms = operations::find_milestone(tx, who, *item.link_id);
      if (ms && *ms) item.link_label = (*ms)->title;
    } else {
      auto p = operations::find_project(tx, who, *item.link_id);
      if (p && *p) item.link_label = (*p)->title;
    }
  }
  auto id = store::insert_agenda_item(tx, item);
  if (!id) return fail(id.error());
  if (auto r = audit::record(tx, audit::by_user(who.user_id, "meeting.agenda_add", fmt::format("meeting:{}", meeting_id)), now);
      !r)
    return fail(r.error());
  return *id;
}

Result<void> remove_agenda_item(db::Transaction& tx, const auth::Principal& who, std::int64_t meeting_id,
                                std::int64_t item_id, Instant now) {
  if (auto ok = check_manage(who); !ok) return fail(ok.error());
  auto m = store::find_meeting(tx, meeting_id);
  if (!m) return fail(m.error());
  if (!*m) return fail(Error::not_found("会議が見つかりません"));
  if ((*m)->minutes_state == MinutesState::kConfirmed) return fail(Error::invalid(std::string(kLockedMessage)));
  if (auto r = store::delete_agenda_item(tx, meeting_id, item_id); !r) return fail(r.error());
  if (tx.changes() == 0) return fail(Error::not_found("議題が見つかりません"));
  return as_void(audit::record(tx, audit::by_user(who.user_id, "meeting.agenda_remove", fmt::format("meeting:{}", meeting_id)), now));
}

Result<std::vector<AgendaItem>> agenda_of(db::Transaction& tx, std::int64_t meeting_id) { return store::agenda(tx, meeting_id); }

int total_minutes(const std::vector<AgendaItem>& agenda) {
  int total = 0;
  for (const auto& i : agenda) total += i.minutes;
  return total;
}

std::optional<std::string> agenda_overrun(const Meeting& m, const std::vector<AgendaItem>& agenda) {
  int total = total_minutes(agenda);
  if (total <= m.duration_minutes) return std::nullopt;
  return fmt::format("議題の合計（{}分）が会議時間（{}分）を {} 分超えています", total, m.duration_minutes,
                     total - m.duration_minutes);
}

// ---- Materials
Result<InspectedMaterial> inspect_material(const std::string& path, std::string file_name, std::string sha256) {
  std::error_code size_error;
  auto size = std::filesystem::file_size(path, size_error);
  if (size_error) return fail(Error::internal("アップロードしたファイルを読み取れませんでした"));
  if (size > std::uintmax_t(kMaterialLimit))
    return fail(Error::invalid(fmt::format("資料のファイルは {} MB 以下にしてください", kMaterialLimit / 1024 / 1024)));
  auto verdict = inspect::check_upload(path, inspect::UploadPurpose::kPublication);
  if (!verdict) return fail(Error::internal("ファイルの検査に失敗しました"));
  if (verdict->type == inspect::FileType::kUnknown)
    return fail(Error::invalid("資料として登録できるのは PDF・Excel（.xlsx）・Word（.docx）・PowerPoint（.pptx）・CSV のファイルです"));
  if (!verdict->ok)
    return fail(Error::invalid(
        fmt::format("公開できない内容が含まれているため登録できません: {}", inspect::blocking_findings_text(*verdict))));
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error::internal("アップロードしたファイルを読み取れませんでした"));
  InspectedMaterial out;
  out.content.assign(std::istreambuf_iterator<char>(in), {});
  out.file_name = std::move(file_name);
  out.sha256 = std::move(sha256);
  out.content_type = std::string(inspect::media_type(verdict->type));
  int warnings = 0;
  for (const auto& f : verdict->findings) {
    if (f.severity == inspect::Severity::kWarning) ++warnings;
  }
  out.inspection = boost::json::serialize(
      boost::json::object{{"type", inspect::file_type_name(verdict->type)}, {"summary", verdict->summary}, {"warnings", warnings}});
  return out;
}

Result<std::int64_t> add_material(db::Transaction& tx, const auth::Principal& who, std::int64_t meeting_id,
                                  const InspectedMaterial& file, Instant now) {
  if (auto ok = check_manage(who); !ok) return fail(ok.error());
  auto m = store::find_meeting(tx, meeting_id);
  if (!m) return fail(m.error());
  if (!*m) return fail(Error::not_found("会議が見つかりません"));
  Material mat;
  mat.meeting_id = meeting_id;
  mat.file_name = file.file_name;
  mat.content_type = file.content_type;
  mat.sha256 = file.sha256;
  mat.inspection = file.inspection;
  auto id = store::insert_material(tx, mat, file.content, now, who.user_id);
  if (!id) return fail(id.error());
  if (auto r = audit::record(tx, audit::by_user(who.user_id, "meeting.material_add", fmt::format("meeting:{}", meeting_id),
                                                 boost::json::serialize(boost::json::object{{"sha256", file.sha256}})),
                             now);
      !r)
    return fail(r.error());
  return *id;
}

Result<std::vector<Material>> materials_of(db::Transaction& tx, std::int64_t meeting_id) {
  return store::materials(tx, meeting_id);
}

Result<std::optional<std::pair<Material, std::string>>> material_file(db::Transaction& tx, const auth::Principal& who,
                                                                     std::int64_t meeting_id, std::int64_t material_id) {
  auto m = find_meeting(tx, who, meeting_id);
  if (!m) return fail(m.error());
  if (!*m) return std::optional<std::pair<Material, std::string>>{};
  return store::material_file(tx, meeting_id, material_id);
}

Result<void> send_materials(db::Transaction& tx, const auth::Principal& who, std::int64_t meeting_id, const std::string& link,
                            Instant now) {
  if (auto ok = check_manage(who); !ok) return fail(ok.error());
  auto m = store::find_meeting(tx, meeting_id);
  if (!m) return fail(m.error());
  if (!*m) return fail(Error::not_found("会議が見つかりません"));
  if ((*m)->cancelled()) return fail(Error::invalid("中止した会議の資料は送付できません"));
  auto mats = store::materials(tx, meeting_id);
  if (!mats) return fail(mats.error());
  if (mats->empty()) return fail(Error::invalid("送付する資料がありません。先に資料を登録してください"));
  if (auto r = store::set_materials_sent(tx, meeting_id, now); !r) return fail(r.error());
  auto people = store::attendees(tx, meeting_id);
  if (!people) return fail(people.error());
  for (const auto& a : *people) {
    if (!a.user_id || *a.user_id == who.user_id) continue;
    if (auto r = notify::notify_user(tx, *a.user_id, fmt::format("会議資料: {}", (*m)->title),
                                     fmt::format("{} の会議資料（{} 件）が送付されました。", short_datetime((*m)->starts_at),
                                                 mats->size()),
                                     link, now);
        !r)
      return fail(r.error());
  }
  boost::json::object detail{{"late", now > (*m)->starts_at}, {"materials", mats->size()}};
  return as_void(audit::record(tx, audit::by_user(who.user_id, "meeting.materials_send", fmt::format("meeting:{}", meeting_id),
                                           boost::json::serialize(detail)),
                       now));
}

}  // namespace kakehashi::meetings
