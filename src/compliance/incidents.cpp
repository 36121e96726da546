#include "compliance/incidents.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "audit/audit.h"
#include "auth/policy.h"
#include "auth/users.h"
#include "base/date.h"
#include "base/text.h"
#include "compliance/store_reports.h"
#include "notify/service.h"

namespace kakehashi::compliance {
namespace {

std::string trimmed(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n　");
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

Result<void> need(const auth::Principal& who, auth::Action action, std::string_view message) {
  if (!auth::may(who, action)) return fail(Error::denied(std::string(message)));
  return {};
}

Result<void> audited(db::Transaction& tx, const auth::Principal& who, std::string action, std::int64_t id, Instant now,
                     const boost::json::object& detail = {}) {
  auto logged = audit::record(tx, audit::entry_by(audit::Actor::user(who.user_id), std::move(action),
                                                  fmt::format("incident:{}", id), boost::json::serialize(detail)),
                              now);
  if (!logged) return fail(logged.error());
  return {};
}

// METI's users and the security officers (情報管理責任者) other than `who`.
Result<void> tell(db::Transaction& tx, const auth::Principal& who, const std::string& title, const std::string& body,
                  const std::string& link, Instant now) {
  std::vector<std::int64_t> sent;
  for (auth::Role role : {auth::Role::kMeti, auth::Role::kSecurityOfficer}) {
    auto users = auth::users_with_role(tx, role);
    if (!users) return fail(users.error());
    for (const auto& u : *users) {
      if (u.id == who.user_id || std::ranges::find(sent, u.id) != sent.end()) continue;
      sent.push_back(u.id);
      if (auto r = notify::notify_user(tx, u.id, title, body, link, now); !r) return r;
    }
  }
  return {};
}

Result<Incident> load_open(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  if (auto r = need(who, auth::Action::kRecordIncident, "インシデントを記録する権限がありません"); !r) return fail(r.error());
  auto found = store::find_incident(tx, id);
  if (!found) return fail(found.error());
  if (!*found) return fail(Error::not_found("インシデントが見つかりません"));
  if ((*found)->closed) return fail(Error::conflict("このインシデントは完了しています"));
  return std::move(**found);
}

}  // namespace

std::vector<FieldError> read_incident(const IncidentForm& form, Incident& out, Instant now) {
  std::vector<FieldError> errors;
  auto text_field = [&](const std::string& value, std::string& into, const char* field, const char* label, int max) {
    into = trimmed(value);
    if (into.empty()) errors.push_back({field, fmt::format("{}を入力してください", label)});
    if (text::count_code_points(into) > std::size_t(max))
      errors.push_back({field, fmt::format("{}は {} 文字以内で入力してください", label, max)});
  };
  text_field(form.title, out.title, "title", "件名", 200);
  text_field(form.what, out.what, "what", "発生した事象", 4000);
  if (trimmed(form.discovered_at).empty()) {
    errors.push_back({"discovered_at", "認知した日時を入力してください"});
  } else if (auto at = parse_tokyo_datetime(trimmed(form.discovered_at)); !at) {
    errors.push_back({"discovered_at", "認知した日時を 2026-12-25T17:00 の形式で入力してください"});
  } else if (*at > now) {
    errors.push_back({"discovered_at", "認知した日時に未来の日時は入力できません"});
  } else {
    out.discovered_at = *at;
  }
  text_field(form.impact, out.impact, "impact", "影響", 4000);
  text_field(form.affected_info, out.affected_info, "affected_info", "対象の情報", 2000);
  text_field(form.measures, out.measures, "measures", "講じた措置", 4000);
  return errors;
}

Result<std::vector<Incident>> list_incidents(db::Transaction& tx, const auth::Principal& who) {
  if (auto r = need(who, auth::Action::kViewIncidents, "インシデントを表示する権限がありません"); !r) return fail(r.error());
  return store::incidents(tx);
}

Result<std::optional<Incident>> find_incident(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  if (auto r = need(who, auth::Action::kViewIncidents, "インシデントを表示する権限がありません"); !r) return fail(r.error());
  return store::find_incident(tx, id);
}

Result<std::vector<IncidentReport>> incident_reports(db::Transaction& tx, const auth::Principal& who, std::int64_t id) {
  if (auto r = need(who, auth::Action::kViewIncidents, "インシデントを表示する権限がありません"); !r) return fail(r.error());
  return store::incident_reports(tx, id);
}

Result<std::int64_t> record_incident(db::Transaction& tx, const auth::Principal& who, Incident incident,
                                     const std::string& link, Instant now) {
  if (auto r = need(who, auth::Action::kRecordIncident, "インシデントを記録する権限がありません"); !r) return fail(r.error());
  incident.reported_at = now;
  incident.recorded_by = who.user_id;
  incident.updated_at = now;
  incident.closed = false;
  auto id = store::insert_incident(tx, incident);
  if (!id) return id;
  std::string full_link = fmt::format("{}/{}", link, *id);
  if (auto r = tell(tx, who, fmt::format("【第一報】情報セキュリティインシデント: {}", incident.title),
                    fmt::format("情報セキュリティインシデントが記録されました（認知: {}）。事象・影響・対象の情報・講じた措置を確認してください。"
                                "原因と再発防止策の報告期限は {} です。",
                                tokyo_datetime_japanese(incident.discovered_at),
                                tokyo_datetime_japanese(incident.cause_report_due())),
                    full_link, now);
      !r)
    return fail(r.error());
  auto minutes = std::chrono::duration_cast<std::chrono::minutes>(now - incident.discovered_at).count();
  if (auto r = audited(tx, who, "compliance.incident_recorded", *id, now, {{"minutes_to_report", minutes}}); !r)
    return fail(r.error());
  return id;
}

Result<void> report_follow_up(db::Transaction& tx, const auth::Principal& who, std::int64_t id, const FollowUpForm& form,
                              const std::string& link, Instant now, std::vector<FieldError>* errors) {
  auto incident = load_open(tx, who, id);
  if (!incident) return fail(incident.error());
  std::vector<FieldError> problems;
  std::string body = trimmed(form.body), cause = trimmed(form.cause), prevention = trimmed(form.prevention);
  if (body.empty()) problems.push_back({"body", "報告の内容を入力してください"});
  if (text::count_code_points(body) > 4000) problems.push_back({"body", "報告の内容は 4000 文字以内で入力してください"});
  if (text::count_code_points(cause) > 4000) problems.push_back({"cause", "原因は 4000 文字以内で入力してください"});
  if (text::count_code_points(prevention) > 4000)
    problems.push_back({"prevention", "再発防止策は 4000 文字以内で入力してください"});
  if (!problems.empty()) {
    std::string first = problems.front().message;
    if (errors) *errors = std::move(problems);
    return fail(Error::invalid(first));
  }
  if (form.contained && !incident->contained_at) incident->contained_at = now;
  if (!cause.empty()) incident->cause = cause;
  if (!prevention.empty()) incident->prevention = prevention;
  incident->updated_at = now;
  if (auto r = store::update_incident(tx, *incident); !r) return r;
  auto report = store::insert_incident_report(tx, {0, id, body, who.user_id, now});
  if (!report) return fail(report.error());
  if (auto r = tell(tx, who, fmt::format("【経過報告】情報セキュリティインシデント: {}", incident->title),
                    "情報セキュリティインシデントの経過が報告されました。内容を確認してください。", link, now);
      !r)
    return r;
  return audited(tx, who, "compliance.incident_reported", id, now,
                 {{"contained", incident->contained_at.has_value()}, {"cause_reported", incident->cause_reported()}});
}

Result<void> close_incident(db::Transaction& tx, const auth::Principal& who, std::int64_t id, const std::string& link,
                            Instant now) {
  auto incident = load_open(tx, who, id);
  if (!incident) return fail(incident.error());
  std::vector<std::string> missing;
  if (!incident->contained_at) missing.push_back("封じ込めの完了");
  if (incident->cause.empty()) missing.push_back("原因");
  if (incident->prevention.empty()) missing.push_back("再発防止策");
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : "・") + m;
    return fail(Error::invalid(fmt::format("完了にする前に、経過報告で{}を報告してください", list)));
  }
  incident->closed = true;
  incident->closed_by = who.user_id;
  incident->closed_at = now;
  incident->updated_at = now;
  if (auto r = store::update_incident(tx, *incident); !r) return r;
  if (auto r = tell(tx, who, fmt::format("【完了】情報セキュリティインシデント: {}", incident->title),
                    "情報セキュリティインシデントの対応が完了しました。", link, now);
      !r)
    return r;
  return audited(tx, who, "compliance.incident_closed", id, now);
}

Result<std::vector<Incident>> incidents_needing_report(db::Transaction& tx) {
  auto open = store::open_incidents(tx);
  if (!open) return open;
  std::vector<Incident> out;
  for (auto& i : *open) out.push_back(std::move(i));
  return out;
}

}  // namespace kakehashi::compliance
