// The close-out screen's part of the module (R7.5): the package delivery the close-out waits
// for, the latest certificate with its signature checked, and METI's confirmation.
#include <boost/json.hpp>
#include <fmt/format.h>

#include "audit/audit.h"
#include "auth/policy.h"
#include "base/date.h"
#include "base/text.h"
#include "compliance/closeout.h"
#include "compliance/store_reports.h"

namespace kakehashi::compliance {
namespace {

Result<void> need(const auth::Principal& who, auth::Action action, std::string_view message) {
  if (!auth::may(who, action)) return fail(Error::denied(std::string(message)));
  return {};
}

}  // namespace

Result<std::optional<PackageDelivery>> package_delivery(db::Transaction& tx) { return store::package_delivery(tx); }

Result<void> record_package_delivery(db::Transaction& tx, const auth::Principal& who, const std::string& delivered_on,
                                     const std::string& note, Instant now) {
  if (auto r = need(who, auth::Action::kCloseOut, "事業終了時の削除を行う権限がありません"); !r) return r;
  auto date = Date::parse(delivered_on);
  if (delivered_on.size() != 10 || !date) return fail(Error::invalid("納品日を YYYY-MM-DD の形式で入力してください"));
  if (*date > tokyo_date(now)) return fail(Error::invalid("納品日に未来の日付は入力できません"));
  if (text::count_code_points(note) > 200) return fail(Error::invalid("受領の記録は 200 文字以内で入力してください"));
  PackageDelivery p{date->iso(), note, who.user_id, now};
  if (auto r = store::set_package_delivery(tx, p); !r) return r;
  auto logged = audit::record(tx, audit::entry_by(audit::Actor::user(who.user_id), "compliance.package_recorded", "closeout",
                                                  boost::json::serialize(boost::json::object{{"delivered_on", p.delivered_on}})),
                              now);
  if (!logged) return fail(logged.error());
  return {};
}

Result<void> record_package_accepted(db::Transaction& tx, const auth::Principal& who, std::int64_t build_id,
                                     Instant now) {
  PackageDelivery p{tokyo_date(now).iso(), fmt::format("報告書パッケージ #{} を経済産業省が Kakehashi で受領", build_id),
                    who.user_id, now};
  if (auto r = store::set_package_delivery(tx, p); !r) return r;
  auto logged = audit::record(
      tx, audit::entry_by(audit::Actor::user(who.user_id), "compliance.package_recorded", "closeout",
                          boost::json::serialize(boost::json::object{{"delivered_on", p.delivered_on}, {"build", build_id}})),
      now);
  if (!logged) return fail(logged.error());
  return {};
}

Result<std::optional<CloseoutRecord>> latest_closeout(db::Transaction& tx, const auth::Principal& who) {
  if (auto r = need(who, auth::Action::kViewComplianceReport, "削除証明書を表示する権限がありません"); !r)
    return fail(r.error());
  auto record = store::latest_closeout(tx);
  if (!record) return record;
  if (*record) (*record)->check = verify_certificate((*record)->certificate_json, std::nullopt);
  return record;
}

Result<void> confirm_closeout(db::Transaction& tx, const auth::Principal& who, Instant now) {
  if (auto r = need(who, auth::Action::kConfirmCloseOut, "削除証明書を確認する権限がありません"); !r) return r;
  auto record = latest_closeout(tx, who);
  if (!record) return fail(record.error());
  if (!*record) return fail(Error::invalid("まだ削除（close-out）が実行されていません"));
  if ((*record)->confirmed_at) return fail(Error::conflict("この削除証明書は確認済みです"));
  if (!(*record)->check.valid)
    return fail(Error::invalid("削除証明書の署名を検証できないため確認できません: " + (*record)->check.problem));
  if (auto r = store::confirm_closeout(tx, (*record)->id, who.user_id, now); !r) return r;
  auto logged = audit::record(tx, audit::entry_by(audit::Actor::user(who.user_id), "compliance.closeout_confirmed",
                                                  fmt::format("closeout:{}", (*record)->id), "{}"),
                              now);
  if (!logged) return fail(logged.error());
  return {};
}

}  // namespace kakehashi::compliance
