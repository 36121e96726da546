// Minutes, decisions, action items, escalation and to-dos (see service.h for the rules).
#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>

#include "audit/audit.h"
#include "auth/policy.h"
#include "auth/users.h"
#include "meetings/service.h"
#include "meetings/store.h"
#include "notify/service.h"

namespace kakehashi::meetings {
namespace {

Result<void> as_void(const Result<std::int64_t>& r) {
  if (!r) return fail(r.error());
  return {};
}

std::string trimmed(std::string_view text) {
  auto b = text.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  auto e = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(b, e - b + 1));
}

std::optional<std::int64_t> id_of(std::string_view text) {
  std::int64_t value = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || p != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

Result<Meeting> load(db::Transaction& tx, std::int64_t id) {
  auto m = store::find_meeting(tx, id);
  if (!m) return fail(m.error());
  if (!*m) return fail(Error::not_found("会議が見つかりません"));
  return std::move(**m);
}

Result<void> audit_minutes(db::Transaction& tx, const auth::Principal& who, const std::string& action, std::int64_t id,
                           Instant now) {
  return as_void(audit::record(tx, audit::by_user(who.user_id, action, fmt::format("meeting:{}", id)), now));
}

Result<void> fill_names(db::Transaction& tx, std::vector<ActionItem>& items, bool history) {
  std::vector<std::int64_t> ids;
  for (const auto& i : items) {
    if (i.owner_user_id) ids.push_back(*i.owner_user_id);
  }
  auto names = auth::user_names(tx, ids);
  if (!names) return fail(names.error());
  for (auto& i : items) {
    if (i.owner_user_id && names->contains(*i.owner_user_id)) i.owner_name = names->at(*i.owner_user_id);
    if (history) {
      auto h = store::action_history(tx, i.id);
      if (!h) return fail(h.error());
      i.history = std::move(*h);
    }
  }
  return {};
}

std::string meeting_link(std::int64_t id) { return fmt::format("/meetings/{}", id); }

}  // namespace

// ---- Minutes
Result<void> save_minutes(db::Transaction& tx, const auth::Principal& who, std::int64_t meeting_id, const std::string& body,
                          Instant now) {
  if (!auth::may(who, auth::Action::kManageMeetings)) return fail(Error::denied("議事録を編集する権限がありません"));
  auto m = load(tx, meeting_id);
  if (!m) return fail(m.error());
  if (m->minutes_state == MinutesState::kConfirmed) return fail(Error::invalid(std::string(kLockedMessage)));
  if (m->minutes_state == MinutesState::kSubmitted)
    return fail(Error::invalid("提出済みの議事録は、経済産業省から差し戻されるまで編集できません。"));
  if (m->cancelled()) return fail(Error::invalid("中止した会議の議事録は作成できません"));
  if (body.size() > kMaxMinutesBytes) return fail(Error::invalid("議事録は 200KB 以内にしてください"));
  MinutesState next = m->minutes_state == MinutesState::kReturned ? MinutesState::kReturned : MinutesState::kDraft;
  if (auto r = store::save_minutes(tx, meeting_id, body, next, now); !r) return fail(r.error());
  // Autosave writes often: one audit entry per save keeps the trail honest and small (no text).
  return audit_minutes(tx, who, "meeting.minutes_save", meeting_id, now);
}

Result<void> submit_minutes(db::Transaction& tx, const auth::Principal& who, std::int64_t meeting_id, const std::string& link,
                            Instant now) {
  if (!auth::may(who, auth::Action::kManageMeetings)) return fail(Error::denied("議事録を提出する権限がありません"));
  auto m = load(tx, meeting_id);
  if (!m) return fail(m.error());
  if (m->minutes_state == MinutesState::kConfirmed) return fail(Error::invalid(std::string(kLockedMessage)));
  if (m->minutes_state == MinutesState::kSubmitted) return fail(Error::invalid("この議事録はすでに提出されています"));
  if (trimmed(m->minutes_body).empty()) return fail(Error::invalid("議事録の本文を書いてから提出してください"));
  if (now < m->starts_at) return fail(Error::invalid("会議の開始前に議事録は提出できません"));
  if (auto r = store::set_minutes_state(tx, meeting_id, MinutesState::kSubmitted, now, who.user_id, ""); !r)
    return fail(r.error());
  auto meti = auth::users_with_role(tx, auth::Role::kMeti);
  if (!meti) return fail(meti.error());
  for (const auto& u : *meti) {
    if (auto r = notify::notify_user(tx, u.id, fmt::format("議事録の確認依頼: {}", m->title),
                                     "議事録が提出されました。内容を確認し、確定するか差し戻してください。", link, now);
        !r)
      return fail(r.error());
  }
  return audit_minutes(tx, who, "meeting.minutes_submit", meeting_id, now);
}

Result<void> return_minutes(db::Transaction& tx, const auth::Principal& who, std::int64_t meeting_id,
                            const std::string& comment, const std::string& link, Instant now) {
  if (!auth::may(who, auth::Action::kConfirmMinutes)) return fail(Error::denied("議事録を差し戻す権限がありません"));
  auto m = load(tx, meeting_id);
  if (!m) return fail(m.error());
  if (m->minutes_state == MinutesState::kConfirmed) return fail(Error::invalid(std::string(kLockedMessage)));
  if (m->minutes_state != MinutesState::kSubmitted) return fail(Error::invalid("提出された議事録だけを差し戻せます"));
  std::string why = trimmed(comment);
  if (why.empty()) return fail(Error::invalid("差し戻しの理由（コメント）を入力してください"));
  if (auto r = store::set_minutes_state(tx, meeting_id, MinutesState::kReturned, now, who.user_id, why); !r)
    return fail(r.error());
  if (m->minutes_owner) {
    if (auto r = notify::notify_user(tx, *m->minutes_owner, fmt::format("議事録の差し戻し: {}", m->title),
                                     "経済産業省から議事録が差し戻されました。コメントを確認して修正し、再提出してください。", link, now);
        !r)
      return fail(r.error());
  }
  return audit_minutes(tx, who, "meeting.minutes_return", meeting_id, now);
}

Result<void> confirm_minutes(db::Transaction& tx, const auth::Principal& who, std::int64_t meeting_id, const std::string& link,
                             Instant now) {
  if (!auth::may(who, auth::Action::kConfirmMinutes)) return fail(Error::denied("議事録を確定する権限がありません"));
  auto m = load(tx, meeting_id);
  if (!m) return fail(m.error());
  if (m->minutes_state == MinutesState::kConfirmed) return fail(Error::invalid("この議事録はすでに確定しています"));
  if (m->minutes_state != MinutesState::kSubmitted) return fail(Error::invalid("提出された議事録だけを確定できます"));
  if (auto r = store::set_minutes_state(tx, meeting_id, MinutesState::kConfirmed, now, who.user_id, ""); !r)
    return fail(r.error());
  auto people = store::attendees(tx, meeting_id);
  if (!people) return fail(people.error());
  for (const auto& a : *people) {
    if (!a.user_id || *a.user_id == who.user_id) continue;
    if (auto r = notify::notify_user(tx, *a.user_id, fmt::format("議事録の確定: {}", m->title),
                                     "会議の議事録が確定しました。", link, now);
        !r)
      return fail(r.error());
  }
  return audit_minutes(tx, who, "meeting.minutes_confirm", meeting_id, now);
}

Result<std::vector<Decision>> decisions_of(db::Transaction& tx, std::int64_t meeting_id) {
  return store::decisions(tx, meeting_id);
}

Result<std::int64_t> add_decision(db::Transaction& tx, const auth::Principal& who, std::int64_t meeting_id,
                                  const std::string& text, Instant now) {
  if (!auth::may(who, auth::Action::kManageMeetings)) return fail(Error::denied("議事録を編集する権限がありません"));
  auto m = load(tx, meeting_id);
  if (!m) return fail(m.error());
  if (m->minutes_state == MinutesState::kConfirmed) return fail(Error::invalid(std::string(kLockedMessage)));
  if (m->minutes_state == MinutesState::kSubmitted)
    return fail(Error::invalid("提出済みの議事録は、経済産業省から差し戻されるまで編集できません。"));
  std::string t = trimmed(text);
  if (t.empty()) return fail(Error::invalid("決定事項を入力してください"));
  auto id = store::insert_decision(tx, meeting_id, t, now);
  if (!id) return fail(id.error());
  if (auto r = audit_minutes(tx, who, "meeting.decision_add", meeting_id, now); !r) return fail(r.error());
  return *id;
}

// ---- Action items
Result<std::vector<FieldError>> validate_action_item(const ActionForm& f) {
  std::vector<FieldError> errors;
  if (trimmed(f.title).empty()) errors.push_back({"title", "アクションアイテムの内容を入力してください"});
  if (!f.owner_user.empty() && !id_of(f.owner_user)) errors.push_back({"owner_user", "担当者の指定が正しくありません"});
  if (f.owner_user.empty() && trimmed(f.owner_name).empty())
    errors.push_back({"owner_name", "担当者を選ぶか、氏名を入力してください"});
  if (!f.due_on.empty() && !Date::parse(f.due_on)) errors.push_back({"due_on", "期限を 2026-12-25 の形で入力してください"});
  return errors;
}

Result<std::int64_t> add_action_item(db::Transaction& tx, const auth::Principal& who, std::int64_t meeting_id,
                                     const ActionForm& f, Instant now) {
  if (!auth::may(who, auth::Action::kManageMeetings)) return fail(Error::denied("議事録を編集する権限がありません"));
  auto m = load(tx, meeting_id);
  if (!m) return fail(m.error());
  if (m->minutes_state == MinutesState::kConfirmed) return fail(Error::invalid(std::string(kLockedMessage)));
  auto errors = validate_action_item(f);
  if (!errors) return fail(errors.error());
  if (!errors->empty()) {
    std::string msg;
    for (const auto& e : *errors) msg += (msg.empty() ? "" : "／") + e.message;
    return fail(Error::invalid(msg));
  }
  ActionItem a;
  a.meeting_id = meeting_id;
  a.series_id = m->series_id;
  a.title = trimmed(f.title);
  a.owner_user_id = f.owner_user.empty() ? std::nullopt : id_of(f.owner_user);
  if (a.owner_user_id) {
    auto names = auth::user_names(tx, {*a.owner_user_id});
    if (!names) return fail(names.error());
    if (names->empty()) return fail(Error::invalid("担当者が見つかりません"));
  } else {
    a.owner_name = trimmed(f.owner_name);
  }
  if (!f.due_on.empty()) a.due_on = *Date::parse(f.due_on);
  auto id = store::insert_action_item(tx, a, now);
  if (!id) return fail(id.error());
  if (auto r = store::insert_action_event(tx, *id, meeting_id, "created", "", now, who.user_id); !r) return fail(r.error());
  if (a.owner_user_id && *a.owner_user_id != who.user_id) {
    if (auto r = notify::notify_user(tx, *a.owner_user_id, "アクションアイテムの担当になりました",
                                     fmt::format("{}: {}", m->title, a.title), meeting_link(meeting_id), now);
        !r)
      return fail(r.error());
  }
  if (auto r = audit::record(tx, audit::by_user(who.user_id, "meeting.action_add", fmt::format("meeting_action:{}", *id)), now);
      !r)
    return fail(r.error());
  return *id;
}

Result<void> update_action_item(db::Transaction& tx, const auth::Principal& who, std::int64_t item_id, std::int64_t at_meeting,
                                const std::string& kind, const std::string& note, Instant now) {
  if (!auth::may(who, auth::Action::kManageMeetings)) return fail(Error::denied("アクションアイテムを更新する権限がありません"));
  auto item = store::find_action_item(tx, item_id);
  if (!item) return fail(item.error());
  if (!*item) return fail(Error::not_found("アクションアイテムが見つかりません"));
  auto m = load(tx, at_meeting);
  if (!m) return fail(m.error());
  if (m->minutes_state == MinutesState::kConfirmed) return fail(Error::invalid(std::string(kLockedMessage)));
  bool same_series = (*item)->meeting_id == at_meeting || ((*item)->series_id && (*item)->series_id == m->series_id);
  if (!same_series) return fail(Error::invalid("このアクションアイテムはこの会議の系列のものではありません"));
  if (kind == "closed") {
    if ((*item)->status == ActionStatus::kClosed) return fail(Error::invalid("このアクションアイテムはすでに完了しています"));
    if (auto r = store::set_action_status(tx, item_id, ActionStatus::kClosed, now); !r) return fail(r.error());
  } else if (kind == "reopened") {
    if ((*item)->status == ActionStatus::kOpen) return fail(Error::invalid("このアクションアイテムは未完了です"));
    if (auto r = store::set_action_status(tx, item_id, ActionStatus::kOpen, now); !r) return fail(r.error());
  } else if (kind == "noted") {
    if (trimmed(note).empty()) return fail(Error::invalid("経過を入力してください"));
  } else {
    return fail(Error::invalid("操作の指定が正しくありません"));
  }
  if (auto r = store::insert_action_event(tx, item_id, at_meeting, kind, trimmed(note), now, who.user_id); !r)
    return fail(r.error());
  return as_void(audit::record(tx, audit::by_user(who.user_id, "meeting.action_" + kind, fmt::format("meeting_action:{}", item_id)), now));
}

Result<std::vector<ActionItem>> action_items_of(db::Transaction& tx, const Meeting& m) {
  auto items = store::items_of_meeting(tx, m.id);
  if (!items) return items;
  if (auto r = fill_names(tx, *items, true); !r) return fail(r.error());
  return items;
}

Result<std::vector<ActionItem>> carried_over(db::Transaction& tx, const Meeting& m) {
  if (!m.series_id) return std::vector<ActionItem>{};
  auto items = store::carried_items(tx, *m.series_id, m.starts_at);
  if (!items) return items;
  if (auto r = fill_names(tx, *items, true); !r) return fail(r.error());
  return items;
}

Result<std::vector<ActionItem>> visible_action_items(db::Transaction& tx, const auth::Principal& who, bool open_only) {
  auto meetings = list_meetings(tx, who, std::nullopt, std::nullopt);
  if (!meetings) return fail(meetings.error());
  std::vector<std::int64_t> ids;
  for (const auto& m : *meetings) ids.push_back(m.id);
  auto items = store::items_of_meetings(tx, ids, open_only);
  if (!items) return items;
  if (auto r = fill_names(tx, *items, false); !r) return fail(r.error());
  return items;
}

// ---- Settings, escalation, to-dos
Result<std::optional<std::int64_t>> lead_user(db::Transaction& tx) {
  auto v = store::setting(tx, "lead_user_id");
  if (!v) return fail(v.error());
  if (!*v) return std::optional<std::int64_t>{};
  return id_of(**v);
}

Result<void> set_lead_user(db::Transaction& tx, const auth::Principal& who, std::optional<std::int64_t> user_id, Instant now) {
  if (!auth::may(who, auth::Action::kManageMeetings)) return fail(Error::denied("設定を変更する権限がありません"));
  if (user_id) {
    auto ok = auth::has_active_role(tx, *user_id, auth::Role::kSecretariat);
    if (!ok) return fail(ok.error());
    if (!*ok) return fail(Error::invalid("事務局の責任者には、事務局の有効な利用者を選んでください"));
  }
  if (auto r = store::set_setting(tx, "lead_user_id", user_id ? std::to_string(*user_id) : ""); !r) return fail(r.error());
  return as_void(audit::record(tx, audit::by_user(who.user_id, "meeting.settings", "meeting_settings:lead"), now));
}

Result<int> escalate_overdue(db::Transaction& tx, Instant now) {
  auto outstanding = store::minutes_outstanding(tx, now);
  if (!outstanding) return fail(outstanding.error());
  const Date today = tokyo_date(now);
  std::vector<std::int64_t> leads;
  auto lead = lead_user(tx);
  if (!lead) return fail(lead.error());
  if (*lead) {
    leads.push_back(**lead);
  } else {
    auto all = auth::users_with_role(tx, auth::Role::kSecretariat);
    if (!all) return fail(all.error());
    for (const auto& u : *all) leads.push_back(u.id);
  }
  int n = 0;
  for (const auto& m : *outstanding) {
    if (m.minutes_escalated_at || today <= m.minutes_due) continue;
    for (auto user : leads) {
      if (auto r = notify::notify_user(tx, user, fmt::format("議事録の期限超過: {}", m.title),
                                       fmt::format("議事録の提出期限（{}）を過ぎています。担当者に確認してください。",
                                                   m.minutes_due.japanese()),
                                       meeting_link(m.id), now);
          !r)
        return fail(r.error());
    }
    if (auto r = store::set_escalated(tx, m.id, now); !r) return fail(r.error());
    if (auto r = audit::record(tx, audit::entry_by(audit::Actor::system(), "meeting.minutes_escalate", fmt::format("meeting:{}", m.id)),
                               now);
        !r)
      return fail(r.error());
    ++n;
  }
  return n;
}

Result<std::vector<Task>> tasks_for(db::Transaction& tx, const auth::Principal& who, Instant now) {
  std::vector<Task> out;
  const Date today = tokyo_date(now);
  auto end_of = [](Date d) { return Instant{d.sys_days()} + std::chrono::hours{24} - kJapanOffset - std::chrono::seconds{1}; };
  if (auth::may(who, auth::Action::kManageMeetings)) {
    auto outstanding = store::minutes_outstanding(tx, now);
    if (!outstanding) return fail(outstanding.error());
    for (const auto& m : *outstanding) {
      int days_left = m.minutes_due.days_since(today);
      if (days_left > 3) continue;
      bool mine = m.minutes_owner && *m.minutes_owner == who.user_id;
      std::string text = days_left < 0 ? fmt::format("「{}」の議事録が提出期限を過ぎています", m.title)
                                       : fmt::format("「{}」の議事録を提出してください", m.title);
      out.push_back({"secretariat", text, meeting_link(m.id), end_of(m.minutes_due), mine || days_left < 0});
    }
    // Materials not yet sent: meetings within the next two days, and held meetings of the last week.
    auto soon = store::meetings(tx, {.from = now - std::chrono::days{7}, .to = now + std::chrono::days{2}});
    if (!soon) return fail(soon.error());
    for (const auto& m : *soon) {
      if (m.cancelled() || m.materials_sent_at) continue;
      bool held = m.starts_at <= now;
      out.push_back({"secretariat",
                     held ? fmt::format("「{}」の資料が事前に送付されていません", m.title)
                          : fmt::format("「{}」の資料を送付してください", m.title),
                     meeting_link(m.id) + "#materials", m.starts_at, true});
    }
  }
  if (auth::may(who, auth::Action::kConfirmMinutes)) {
    auto waiting = store::minutes_in_state(tx, MinutesState::kSubmitted);
    if (!waiting) return fail(waiting.error());
    for (const auto& m : *waiting) {
      out.push_back({"meti", fmt::format("「{}」の議事録を確認してください", m.title), meeting_link(m.id) + "#minutes",
                     end_of(m.minutes_due), true});
    }
  }
  return out;
}

}  // namespace kakehashi::meetings
