#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "audit/audit.h"
#include "base/text.h"
#include "operations/staff.h"
#include "operations/store_staff.h"

namespace kakehashi::operations {
namespace {

std::string trimmed(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

Result<void> audited(db::Transaction& tx, const auth::Principal& who, std::string action, std::int64_t id, Instant now,
                     const boost::json::object& detail) {
  auto logged = audit::record(tx,
                              audit::entry_by(audit::Actor::user(who.user_id), std::move(action), fmt::format("staff:{}", id),
                                              boost::json::serialize(detail)),
                              now);
  if (!logged) return fail(logged.error());
  return {};
}

Result<void> check_account(db::Transaction& tx, const StaffMember& m, std::int64_t self) {
  if (!m.user_id) return {};
  auto accounts = staff_accounts(tx);
  if (!accounts) return fail(accounts.error());
  if (std::ranges::none_of(*accounts, [&](const auth::UserName& u) { return u.id == *m.user_id; }))
    return fail(Error::invalid("アカウントは事務局・情報セキュリティ責任者のユーザーから選んでください"));
  auto other = store::staff_linked_to(tx, *m.user_id, self);
  if (!other) return fail(other.error());
  if (*other) return fail(Error::invalid("このアカウントはすでに別の体制メンバーに紐づいています"));
  return {};
}

}  // namespace

std::vector<FieldError> read_staff(const StaffForm& form, StaffMember& out) {
  std::vector<FieldError> errors;
  out.name = trimmed(form.name);
  if (out.name.empty()) errors.push_back({"name", "氏名を入力してください"});
  if (text::count_code_points(out.name) > 100) errors.push_back({"name", "氏名は 100 文字以内で入力してください"});
  out.role = trimmed(form.role);
  if (out.role.empty()) errors.push_back({"role", "役割を入力してください"});
  if (text::count_code_points(out.role) > 100) errors.push_back({"role", "役割は 100 文字以内で入力してください"});
  if (form.share_percent) {
    if (*form.share_percent < 0 || *form.share_percent > 100) {
      errors.push_back({"share_percent", "従事割合は 0〜100 の整数で入力してください"});
    } else {
      out.share_percent = *form.share_percent;
    }
  }
  out.user_id.reset();
  if (!form.user_id.empty()) {
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(form.user_id.data(), form.user_id.data() + form.user_id.size(), id);
    if (ec != std::errc{} || end != form.user_id.data() + form.user_id.size() || id <= 0) {
      errors.push_back({"user_id", "アカウントを一覧から選んでください"});
    } else {
      out.user_id = id;
    }
  }
  return errors;
}

Result<std::vector<StaffMember>> list_staff(db::Transaction& tx, const auth::Principal& who) {
  if (!auth::may(who, auth::Action::kViewStaff)) return fail(Error::denied("体制を閲覧する権限がありません"));
  return store::staff(tx);
}

Result<std::optional<StaffMember>> find_staff(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  if (!auth::may(who, auth::Action::kViewStaff)) return std::optional<StaffMember>{};
  return store::find_staff(tx, id);
}

Result<std::vector<auth::UserName>> staff_accounts(db::Transaction& tx) {
  auto secretariat = auth::users_with_role(tx, auth::Role::kSecretariat);
  if (!secretariat) return fail(secretariat.error());
  auto officers = auth::users_with_role(tx, auth::Role::kSecurityOfficer);
  if (!officers) return fail(officers.error());
  std::vector<auth::UserName> out = std::move(*secretariat);
  for (auth::UserName& u : *officers) {
    if (std::ranges::none_of(out, [&](const auth::UserName& o) { return o.id == u.id; })) out.push_back(std::move(u));
  }
  std::ranges::sort(out, {}, &auth::UserName::id);
  return out;
}

Result<std::int64_t> add_staff(db::Transaction& tx, const auth::Principal& who, const StaffMember& given, Instant now) {
  if (!auth::may(who, auth::Action::kManageStaff)) return fail(Error::denied("体制を変更する権限がありません"));
  if (given.name.empty() || given.role.empty()) return fail(Error::invalid("氏名と役割を入力してください"));
  if (given.share_percent < 0 || given.share_percent > 100)
    return fail(Error::invalid("従事割合は 0〜100 の整数で入力してください"));
  StaffMember m = given;
  m.active = true;
  if (auto r = check_account(tx, m, 0); !r) return fail(r.error());
  auto id = store::insert_staff(tx, m, now);
  if (!id) return id;
  if (auto r = audited(tx, who, "operation.staff", *id, now,
                       {{"share_percent", m.share_percent}, {"linked", m.user_id.has_value()}});
      !r)
    return fail(r.error());
  return id;
}

Result<void> update_staff(db::Transaction& tx, const auth::Principal& who, std::int64_t id, const StaffMember& given,
                          Instant now) {
  if (!auth::may(who, auth::Action::kManageStaff)) return fail(Error::denied("体制を変更する権限がありません"));
  auto existing = store::find_staff(tx, id);
  if (!existing) return fail(existing.error());
  if (!*existing) return fail(Error::not_found("体制メンバーが見つかりません"));
  if (given.name.empty() || given.role.empty()) return fail(Error::invalid("氏名と役割を入力してください"));
  if (given.share_percent < 0 || given.share_percent > 100)
    return fail(Error::invalid("従事割合は 0〜100 の整数で入力してください"));
  if (auto r = check_account(tx, given, id); !r) return r;
  if (auto r = store::update_staff(tx, id, given, now); !r) return r;
  return audited(tx, who, "operation.staff_update", id, now,
                 {{"share_percent", given.share_percent}, {"linked", given.user_id.has_value()}});
}

Result<void> set_staff_active(db::Transaction& tx, const auth::Principal& who, std::int64_t id, bool active, Instant now) {
  if (!auth::may(who, auth::Action::kManageStaff)) return fail(Error::denied("体制を変更する権限がありません"));
  auto existing = store::find_staff(tx, id);
  if (!existing) return fail(existing.error());
  if (!*existing) return fail(Error::not_found("体制メンバーが見つかりません"));
  if (active && (*existing)->user_id) {
    if (auto r = check_account(tx, **existing, id); !r) return r;
  }
  if (auto r = store::set_staff_active(tx, id, active, now); !r) return r;
  return audited(tx, who, "operation.staff_active", id, now, {{"active", active}});
}

}  // namespace kakehashi::operations
