#include "compliance/service.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <regex>

#include "audit/audit.h"
#include "auth/policy.h"
#include "auth/users.h"
#include "base/date.h"
#include "base/text.h"
#include "compliance/crypto.h"
#include "compliance/store.h"

namespace kakehashi::compliance {
namespace {

std::atomic<std::uint64_t> generation{1};

std::string trimmed(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

Result<void> audited(db::Transaction& tx, const std::optional<auth::Principal>& who, std::string action,
                     std::string object, Instant now, const boost::json::object& detail) {
  audit::Actor actor = who ? audit::Actor::user(who->user_id) : audit::Actor::system();
  auto logged = audit::record(tx, audit::entry_by(actor, std::move(action), std::move(object),
                                                  boost::json::serialize(detail)),
                              now);
  if (!logged) return fail(logged.error());
  return {};
}

Result<void> need(const auth::Principal& who, auth::Action action, std::string_view message) {
  if (!auth::may(who, action)) return fail(Error::denied(std::string(message)));
  return {};
}

bool valid_date(const std::string& text) {
  static const std::regex pattern(R"(\d{4}-\d{2}-\d{2})");
  if (!std::regex_match(text, pattern)) return false;
  return parse_iso_utc(text + "T00:00:00Z").has_value();
}

Result<store::Sealed> seal(const PersonalFields& fields) {
  auto key = field_key();
  if (!key) return fail(key.error());
  store::Sealed out;
  auto one = [&](std::string_view name, const std::string& value) -> std::optional<std::string> {
    if (value.empty()) return std::nullopt;
    return (*key)->seal(name, value);
  };
  out.address = one("address", fields.address);
  out.birth_date = one("birth_date", fields.birth_date);
  out.passport = one("passport", fields.passport);
  out.nationality = one("nationality", fields.nationality);
  return out;
}

Result<PersonalFields> unseal(const store::Sealed& sealed) {
  PersonalFields out;
  if (!sealed.address && !sealed.birth_date && !sealed.passport && !sealed.nationality) return out;
  auto key = field_key();
  if (!key) return fail(key.error());
  auto one = [&](std::string_view name, const std::optional<std::string>& value, std::string& into) -> Result<void> {
    if (!value) return {};
    auto opened = (*key)->open(name, *value);
    if (!opened) return fail(opened.error());
    into = std::move(*opened);
    return {};
  };
  if (auto r = one("address", sealed.address, out.address); !r) return fail(r.error());
  if (auto r = one("birth_date", sealed.birth_date, out.birth_date); !r) return fail(r.error());
  if (auto r = one("passport", sealed.passport, out.passport); !r) return fail(r.error());
  if (auto r = one("nationality", sealed.nationality, out.nationality); !r) return fail(r.error());
  return out;
}

Result<std::string> snapshot_json(db::Transaction& tx) {
  auto people = store::people(tx, true);
  if (!people) return fail(people.error());
  boost::json::array out;
  for (const auto& stored : *people) {
    const Person& p = stored.person;
    boost::json::object o{{"id", p.id},
                          {"category", category_id(p.category)},
                          {"organisation", p.organisation},
                          {"name", p.name},
                          {"department", p.department},
                          {"title", p.title}};
    if (p.user_id) o["user_id"] = *p.user_id;
    out.push_back(std::move(o));
  }
  return boost::json::serialize(out);
}

}  // namespace

bool needs_roster(const auth::Principal& who) {
  if (who.has(auth::Role::kMeti) || who.has(auth::Role::kBureau)) return false;
  return who.has(auth::Role::kSecretariat) || who.has(auth::Role::kSecurityOfficer);
}

std::optional<std::string> gate_refusal(const GateSnapshot& gate, const auth::Principal& who) {
  if (!gate.active || !needs_roster(who) || gate.user_ids.contains(who.user_id)) return std::nullopt;
  return "あなたのアカウントは承認済みの情報取扱者名簿に載っていないため、保護すべき情報（申請・審査・個人情報・名簿・"
         "出力データ）は表示できません（仕様書 8. 情報管理体制）。名簿への追加を情報管理責任者に依頼し、"
         "経済産業省の承認を受けてください。";
}

Result<GateSnapshot> gate_snapshot(db::Transaction& tx) { return store::gate(tx); }
std::uint64_t roster_generation() { return generation.load(); }
void roster_changed() { generation.fetch_add(1); }

Result<void> record_refusal(db::Database& database, const auth::Principal& who, const std::string& method,
                            const std::string& route_pattern, Instant now) {
  return database.write([&](db::Transaction& tx) {
    return audited(tx, who, "compliance.gate_refused", fmt::format("user:{}", who.user_id), now,
                   {{"method", method}, {"route", route_pattern}});
  });
}

Result<std::vector<Person>> list_people(db::Transaction& tx, const auth::Principal& who, bool approved_only) {
  if (auto r = need(who, auth::Action::kViewRoster, "名簿を表示する権限がありません"); !r) return fail(r.error());
  auto people = store::people(tx, approved_only);
  if (!people) return fail(people.error());
  std::vector<Person> out;
  for (auto& stored : *people) out.push_back(std::move(stored.person));
  return out;
}

Result<std::optional<Person>> find_person(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  if (auto r = need(who, auth::Action::kViewRoster, "名簿を表示する権限がありません"); !r) return fail(r.error());
  auto stored = store::find_person(tx, id);
  if (!stored) return fail(stored.error());
  if (!*stored) return std::optional<Person>{};
  return std::optional<Person>{(*stored)->person};
}

Result<PersonalFields> read_personal(db::Transaction& tx, const auth::Principal& who, std::int64_t person_id,
                                     Instant now) {
  if (auto r = need(who, auth::Action::kViewRosterPersonal, "名簿の個人情報を表示する権限がありません"); !r)
    return fail(r.error());
  auto stored = store::find_person(tx, person_id);
  if (!stored) return fail(stored.error());
  if (!*stored) return fail(Error::not_found("名簿の人物が見つかりません"));
  auto fields = unseal((*stored)->sealed);
  if (!fields) return fail(fields.error());
  if (auto r = audited(tx, who, "compliance.personal_viewed", fmt::format("roster_person:{}", person_id), now, {}); !r)
    return fail(r.error());
  return fields;
}

std::vector<FieldError> read_change(const ChangeForm& form, ChangeDraft& out) {
  std::vector<FieldError> errors;
  auto kind = change_kind_from_id(form.kind);
  if (!kind) {
    errors.push_back({"kind", "変更の種類を選んでください"});
    return errors;
  }
  out.kind = *kind;
  if (*kind != ChangeKind::kAdd) {
    std::int64_t id = 0;
    if (form.person_id.empty() || form.person_id.find_first_not_of("0123456789") != std::string::npos ||
        form.person_id.size() > 12 || (id = std::stoll(form.person_id)) <= 0) {
      errors.push_back({"person_id", "対象の人物を選んでください"});
    } else {
      out.person_id = id;
    }
  }
  out.reason = trimmed(form.reason);
  if (out.reason.empty()) errors.push_back({"reason", "変更の理由を入力してください"});
  if (text::count_code_points(out.reason) > 1000) errors.push_back({"reason", "理由は 1000 文字以内で入力してください"});
  out.effective_from = trimmed(form.effective_from);
  if (!valid_date(out.effective_from)) errors.push_back({"effective_from", "適用日を YYYY-MM-DD の形式で入力してください"});
  if (*kind == ChangeKind::kRemove) return errors;

  auto category = category_from_id(form.category);
  if (!category) {
    errors.push_back({"category", "区分を選んでください"});
  } else {
    out.category = *category;
  }
  auto text_field = [&](const std::string& value, std::string& into, const char* field, const char* label,
                        bool required, int max) {
    into = trimmed(value);
    if (required && into.empty()) errors.push_back({field, fmt::format("{}を入力してください", label)});
    if (text::count_code_points(into) > std::size_t(max))
      errors.push_back({field, fmt::format("{}は {} 文字以内で入力してください", label, max)});
  };
  text_field(form.name, out.name, "name", "氏名", true, 100);
  text_field(form.organisation, out.organisation, "organisation", "所属組織", category == Category::kSubcontractor, 200);
  text_field(form.department, out.department, "department", "所属部署", false, 200);
  text_field(form.title, out.title, "title", "役職", false, 100);
  if (!form.user_id.empty()) {
    if (form.user_id.find_first_not_of("0123456789") != std::string::npos || form.user_id.size() > 12) {
      errors.push_back({"user_id", "アカウントを選び直してください"});
    } else {
      out.user_id = std::stoll(form.user_id);
    }
  }
  PersonalFields personal;
  text_field(form.address, personal.address, "address", "個人住所", false, 300);
  text_field(form.birth_date, personal.birth_date, "birth_date", "生年月日", false, 10);
  if (!personal.birth_date.empty() && !valid_date(personal.birth_date))
    errors.push_back({"birth_date", "生年月日を YYYY-MM-DD の形式で入力してください"});
  text_field(form.passport, personal.passport, "passport", "パスポート番号", false, 20);
  text_field(form.nationality, personal.nationality, "nationality", "国籍", false, 50);
  if (personal.passport.empty() != personal.nationality.empty())
    errors.push_back({"passport", "パスポート番号と国籍は両方とも入力してください（※4 に該当する場合）"});
  bool any = !personal.address.empty() || !personal.birth_date.empty() || !personal.passport.empty() ||
             !personal.nationality.empty();
  if (*kind == ChangeKind::kAdd || any) out.personal = std::move(personal);
  return errors;
}

Result<std::int64_t> request_change(db::Transaction& tx, const auth::Principal& who, const ChangeDraft& draft,
                                    Instant now) {
  if (auto r = need(who, auth::Action::kRequestRosterChange, "名簿の変更を届け出る権限がありません"); !r)
    return fail(r.error());
  ChangeRequest change;
  change.kind = draft.kind;
  change.person_id = draft.person_id;
  change.category = draft.category;
  change.organisation = draft.organisation;
  change.name = draft.name;
  change.department = draft.department;
  change.title = draft.title;
  change.user_id = draft.user_id;
  change.reason = draft.reason;
  change.effective_from = draft.effective_from;
  change.requested_by = who.user_id;
  change.requested_at = now;
  if (draft.kind != ChangeKind::kAdd) {
    auto person = store::find_person(tx, *draft.person_id);
    if (!person) return fail(person.error());
    if (!*person || !(*person)->person.active) return fail(Error::invalid("対象の人物は承認済みの名簿にいません"));
    auto pending = store::pending_change_for_person(tx, *draft.person_id);
    if (!pending) return fail(pending.error());
    if (*pending) return fail(Error::conflict("この人物には承認待ちの変更があります。先に経済産業省の判断を待ってください"));
    if (draft.kind == ChangeKind::kRemove) {
      const Person& p = (*person)->person;
      change.category = p.category;
      change.organisation = p.organisation;
      change.name = p.name;
      change.department = p.department;
      change.title = p.title;
      change.user_id = p.user_id;
    }
  }
  if (change.user_id && draft.kind != ChangeKind::kRemove) {
    auto accounts = linkable_accounts(tx);
    if (!accounts) return fail(accounts.error());
    if (std::ranges::none_of(*accounts, [&](const auto& a) { return a.first == *change.user_id; }))
      return fail(Error::invalid("アカウントは事務局・情報管理責任者のユーザーから選んでください"));
    auto other = store::active_person_of_user(tx, *change.user_id);
    if (!other) return fail(other.error());
    if (*other && *other != draft.person_id)
      return fail(Error::invalid("このアカウントはすでに名簿の別の人物に紐づいています"));
  }
  store::Sealed sealed;
  if (draft.personal) {
    auto s = seal(*draft.personal);
    if (!s) return fail(s.error());
    sealed = std::move(*s);
  }
  auto id = store::insert_change(tx, change, sealed);
  if (!id) return id;
  if (auto r = audited(tx, who, "compliance.change_requested", fmt::format("roster_change:{}", *id), now,
                       {{"kind", change_kind_id(change.kind)}, {"category", category_id(change.category)}});
      !r) {
    return fail(r.error());
  }
  return id;
}

namespace {

Result<store::StoredChange> pending_for_decision(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  if (auto r = need(who, auth::Action::kDecideRosterChange, "名簿の変更を承認する権限がありません"); !r)
    return fail(r.error());
  auto found = store::find_change(tx, id);
  if (!found) return fail(found.error());
  if (!*found) return fail(Error::not_found("変更の届出が見つかりません"));
  const ChangeRequest& c = (*found)->change;
  if (c.status != ChangeStatus::kPending) return fail(Error::conflict("この届出はすでに判断されています"));
  if (c.requested_by == who.user_id) return fail(Error::invalid("自分が届け出た変更は承認・差し戻しできません"));
  bool own = c.user_id == who.user_id;
  if (c.person_id) {
    auto person = store::find_person(tx, *c.person_id);
    if (!person) return fail(person.error());
    if (*person && (*person)->person.user_id == who.user_id) own = true;
  }
  if (own) return fail(Error::invalid("自分自身の名簿の記載は承認・差し戻しできません"));
  return std::move(**found);
}

}  // namespace

Result<void> approve_change(db::Transaction& tx, const auth::Principal& who, std::int64_t id, const std::string& note,
                            Instant now) {
  auto found = pending_for_decision(tx, who, id);
  if (!found) return fail(found.error());
  const ChangeRequest& c = found->change;
  Person person{.category = c.category, .organisation = c.organisation, .name = c.name, .department = c.department,
                .title = c.title, .user_id = c.user_id, .active = true};
  std::optional<std::int64_t> person_id = c.person_id;
  switch (c.kind) {
    case ChangeKind::kAdd: {
      if (c.user_id) {
        auto other = store::active_person_of_user(tx, *c.user_id);
        if (!other) return fail(other.error());
        if (*other) return fail(Error::invalid("このアカウントはすでに名簿の別の人物に紐づいています"));
      }
      auto inserted = store::insert_person(tx, person, found->sealed, now);
      if (!inserted) return fail(inserted.error());
      person_id = *inserted;
      break;
    }
    case ChangeKind::kUpdate:
      if (auto r = store::update_person(tx, *c.person_id, person, found->sealed, now); !r) return r;
      break;
    case ChangeKind::kRemove:
      if (auto r = store::set_person_active(tx, *c.person_id, false, now); !r) return r;
      break;
  }
  if (auto r = store::decide_change(tx, id, ChangeStatus::kApproved, who.user_id, trimmed(note), person_id, now); !r)
    return r;
  auto snapshot = snapshot_json(tx);
  if (!snapshot) return fail(snapshot.error());
  auto version = store::insert_version(tx, id, who.user_id, *snapshot, now);
  if (!version) return fail(version.error());
  if (auto r = audited(tx, who, "compliance.change_approved", fmt::format("roster_change:{}", id), now,
                       {{"version", *version}, {"kind", change_kind_id(c.kind)}});
      !r) {
    return r;
  }
  roster_changed();
  return {};
}

Result<void> reject_change(db::Transaction& tx, const auth::Principal& who, std::int64_t id, const std::string& note,
                           Instant now) {
  auto found = pending_for_decision(tx, who, id);
  if (!found) return fail(found.error());
  if (trimmed(note).empty()) return fail(Error::invalid("差し戻しの理由を入力してください"));
  if (auto r = store::decide_change(tx, id, ChangeStatus::kRejected, who.user_id, trimmed(note), std::nullopt, now); !r)
    return r;
  return audited(tx, who, "compliance.change_rejected", fmt::format("roster_change:{}", id), now, {});
}

Result<std::vector<ChangeRequest>> list_changes(db::Transaction& tx, const auth::Principal& who) {
  if (auto r = need(who, auth::Action::kViewRoster, "名簿を表示する権限がありません"); !r) return fail(r.error());
  return store::changes(tx);
}

Result<std::optional<ChangeRequest>> find_change(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  if (auto r = need(who, auth::Action::kViewRoster, "名簿を表示する権限がありません"); !r) return fail(r.error());
  auto found = store::find_change(tx, id);
  if (!found) return fail(found.error());
  if (!*found) return std::optional<ChangeRequest>{};
  return std::optional<ChangeRequest>{(*found)->change};
}

Result<std::int64_t> pending_changes(db::Transaction& tx) { return store::count_pending(tx); }

Result<std::vector<RosterVersion>> list_versions(db::Transaction& tx, const auth::Principal& who) {
  if (auto r = need(who, auth::Action::kViewRoster, "名簿を表示する権限がありません"); !r) return fail(r.error());
  return store::versions(tx);
}

Result<std::vector<std::pair<std::int64_t, std::string>>> linkable_accounts(db::Transaction& tx) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (auth::Role role : {auth::Role::kSecretariat, auth::Role::kSecurityOfficer}) {
    auto users = auth::users_with_role(tx, role);
    if (!users) return fail(users.error());
    for (const auto& u : *users) {
      if (std::ranges::none_of(out, [&](const auto& a) { return a.first == u.id; })) out.emplace_back(u.id, u.name);
    }
  }
  std::ranges::sort(out);
  return out;
}

Result<std::vector<RosterSheetRow>> roster_sheet(db::Transaction& tx, const std::optional<auth::Principal>& who,
                                                 bool with_personal, Instant now) {
  if (who) {
    if (auto r = need(*who, auth::Action::kViewRoster, "名簿を表示する権限がありません"); !r) return fail(r.error());
    if (with_personal) {
      if (auto r = need(*who, auth::Action::kViewRosterPersonal, "名簿の個人情報を表示する権限がありません"); !r)
        return fail(r.error());
    }
  }
  auto people = store::people(tx, true);
  if (!people) return fail(people.error());
  std::vector<RosterSheetRow> out;
  for (const auto& stored : *people) {
    const Person& p = stored.person;
    RosterSheetRow row{std::string(category_label(p.category)), p.name, "", "", p.department, p.title, ""};
    if (p.category == Category::kSubcontractor) row.department = p.organisation + (p.department.empty() ? "" : " " + p.department);
    if (with_personal) {
      auto fields = unseal(stored.sealed);
      if (!fields) return fail(fields.error());
      row.address = fields->address;
      row.birth_date = fields->birth_date;
      if (!fields->passport.empty()) row.passport_nationality = fields->passport + "（" + fields->nationality + "）";
    }
    out.push_back(std::move(row));
  }
  if (auto r = audited(tx, who, "compliance.roster_exported", "roster", now, {{"personal", with_personal}}); !r)
    return fail(r.error());
  return out;
}

}  // namespace kakehashi::compliance
