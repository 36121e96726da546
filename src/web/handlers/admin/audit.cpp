// The audit log screen: entries with names and readable labels, filters by person, action,
// object and date, the CSV export of the filtered view, the chain and checkpoint check, and the
// download of the signed checkpoints for METI. The log's SQL is in src/audit/.
#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "audit/anchor.h"
#include "audit/audit.h"
#include "audit/labels.h"
#include "auth/users.h"
#include "base/csv.h"
#include "base/date.h"
#include "base/text.h"
#include "web/content_disposition.h"
#include "web/handlers/admin/audit_views.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web {
namespace {

using namespace auditweb;

constexpr int kPerPage = 50;
constexpr int kExportPage = 1000;

// "2026-11-25T13:04:05Z" -> "2026-11-25 22:04"; other text unchanged.
std::string tokyo_time(const std::string& stored) {
  auto instant = parse_iso_utc(stored);
  return instant ? tokyo_datetime(*instant) : stored;
}

// The filter of the query string, checked, with the values as typed.
struct FilterInput {
  audit::Filter filter;
  std::string actor, action, kind, number, from, to;
  std::optional<std::string> error;
  std::string query;  // the filter as a query string ("actor=user%3A4&from=…"), empty without one
};

bool is_action_id(std::string_view text) {
  return !text.empty() && text.size() <= 64 &&
         text.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_.") == std::string_view::npos;
}

FilterInput read_filter(const Request& request) {
  FilterInput in{.actor = request.query_param("actor"),
                 .action = request.query_param("action"),
                 .kind = request.query_param("kind"),
                 .number = std::string(text::trim(request.query_param("number"))),
                 .from = request.query_param("from"),
                 .to = request.query_param("to")};
  auto refuse = [&](std::string message) {
    if (!in.error) in.error = std::move(message);
  };
  if (!in.actor.empty()) {
    if (in.actor == "system" || in.actor == "visitor" || audit::user_id_of(in.actor)) {
      in.filter.actor = in.actor;
    } else {
      refuse("実行者を一覧から選んでください");
    }
  }
  if (!in.action.empty()) {
    if (is_action_id(in.action)) {
      in.filter.action = in.action;
    } else {
      refuse("操作を一覧から選んでください");
    }
  }
  if (!in.kind.empty()) {
    const audit::ObjectKind* kind = audit::find_object_kind(in.kind);
    if (!kind) {
      refuse("対象を一覧から選んでください");
    } else if (in.number.empty()) {
      in.filter.object_kind = in.kind;
    } else if (!kind->numbered) {
      refuse(fmt::format("「{}」には番号がありません", kind->label));
    } else {
      bool hex = kind->id == "sha256";
      std::string_view allowed = hex ? "0123456789abcdef" : "0123456789";
      if (in.number.size() > 64 || in.number.find_first_not_of(allowed) != std::string::npos) {
        refuse(hex ? "ファイルの番号は SHA-256（16 進数 64 桁）で入力してください" : "番号は半角数字で入力してください");
      } else {
        in.filter.object = fmt::format("{}:{}", in.kind, in.number);
      }
    }
  } else if (!in.number.empty()) {
    refuse("番号で絞り込むときは対象も選んでください");
  }
  std::optional<Date> from, to;
  for (auto [text, date] : {std::pair{&in.from, &from}, std::pair{&in.to, &to}}) {
    if (text->empty()) continue;
    auto parsed = Date::parse(*text);
    if (!parsed) {
      refuse(parsed.error().message);
    } else {
      *date = *parsed;
    }
  }
  if (from && to && *from > *to) refuse("期間の開始日が終了日より後になっています");
  // Japan dates, both days included.
  if (from) in.filter.from = std::chrono::sys_seconds{from->sys_days()} - kJapanOffset;
  if (to) in.filter.until = std::chrono::sys_seconds{to->plus_days(1).sys_days()} - kJapanOffset;
  for (auto [name, value] : {std::pair{"actor", &in.actor}, std::pair{"action", &in.action}, std::pair{"kind", &in.kind},
                             std::pair{"number", &in.number}, std::pair{"from", &in.from}, std::pair{"to", &in.to}}) {
    if (value->empty()) continue;
    in.query += fmt::format("{}{}={}", in.query.empty() ? "" : "&", name, url_encode(*value));
  }
  return in;
}

// Removes a temporary export on every way out but the one that hands it to the response.
struct TemporaryExport {
  std::filesystem::path path;
  bool handed_over = false;
  ~TemporaryExport() {
    std::error_code ignored;
    if (!handed_over) std::filesystem::remove(path, ignored);
  }
};

std::string with_query(std::string path, const std::string& query) {
  return query.empty() ? path : path + "?" + query;
}

// The user ids an entry names (its actor, and its object when that is a user).
void collect_user_ids(const audit::StoredEntry& stored, std::set<std::int64_t>& ids) {
  if (stored.entry.actor_user_id) ids.insert(*stored.entry.actor_user_id);
  if (auto id = audit::user_id_of(stored.entry.object)) ids.insert(*id);
}

// Names of the users the entries name, looked up once per id across calls.
class NameBook {
 public:
  Result<void> add(db::Transaction& tx, std::span<const audit::StoredEntry> entries) {
    std::set<std::int64_t> wanted;
    for (const auto& stored : entries) collect_user_ids(stored, wanted);
    std::vector<std::int64_t> missing;
    for (std::int64_t id : wanted) {
      if (!names_.contains(id)) missing.push_back(id);
    }
    if (missing.empty()) return {};
    auto found = auth::user_names(tx, missing);
    if (!found) return fail(found.error());
    names_.merge(*found);
    return {};
  }
  std::optional<std::string> name(std::int64_t id) const {
    auto it = names_.find(id);
    if (it == names_.end()) return std::nullopt;
    return it->second;
  }
  std::string actor(const std::string& actor) const {
    if (actor == "system") return "システム";
    if (actor == "visitor") return "未ログインの利用者";
    if (auto id = audit::user_id_of(actor)) return name(*id).value_or(fmt::format("ユーザー #{}", *id));
    return actor;
  }
  std::string object(const std::string& object) const {
    auto id = audit::user_id_of(object);
    return audit::object_label(object, id ? name(*id) : std::nullopt);
  }

 private:
  std::map<std::int64_t, std::string> names_;
};

Result<AuditFilterForm> filter_form(db::Transaction& tx, const FilterInput& in) {
  AuditFilterForm form{.number = in.number, .from = in.from, .to = in.to};
  auto user_ids = audit::actor_user_ids(tx);
  if (!user_ids) return fail(user_ids.error());
  auto names = auth::user_names(tx, *user_ids);
  if (!names) return fail(names.error());
  std::vector<Choice> people;
  for (std::int64_t id : *user_ids) {
    std::string value = fmt::format("user:{}", id);
    auto name = names->find(id);
    people.push_back({value, name != names->end() ? name->second : fmt::format("ユーザー #{}", id), value == in.actor});
  }
  std::ranges::sort(people, {}, &Choice::label);
  form.actors.push_back({"system", "システム", in.actor == "system"});
  form.actors.push_back({"visitor", "未ログインの利用者", in.actor == "visitor"});
  form.actors.insert(form.actors.end(), people.begin(), people.end());
  auto actions = audit::recorded_actions(tx);
  if (!actions) return fail(actions.error());
  for (const auto& action : *actions) form.actions.push_back({action, audit::action_label(action), action == in.action});
  std::ranges::sort(form.actions, {}, &Choice::label);
  for (const auto& kind : audit::object_kinds()) {
    form.kinds.push_back({std::string(kind.id), std::string(kind.label), kind.id == in.kind});
  }
  return form;
}

Result<AnchorPanel> anchor_panel(const audit::AnchorSettings& settings) {
  auto status = audit::anchor_status(settings);
  if (!status) return fail(status.error());
  AnchorPanel panel{.checkpoints = status->checkpoints};
  if (status->newest) {
    panel.newest = fmt::format("監査ログ #{}（{} 作成）", status->newest->entry_id, tokyo_time(status->newest->written_at));
  }
  if (status->key) panel.fingerprint = status->key->fingerprint();
  return panel;
}

Response audit_page(Application& app, Request& request, std::optional<VerifyResult> verified) {
  FilterInput in = read_filter(request);
  int page = page_number(request);
  AuditView view{.filtered = !in.query.empty(),
                 .page_label = fmt::format("{} ページ目", page),
                 .export_href = with_query("/admin/audit/export.csv", in.query),
                 .error = in.error,
                 .can_verify = auth::allowed(*request.principal, auth::Action::kVerifyAuditLog),
                 .verify_result = std::move(verified)};
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto form = filter_form(**tx, in);
  if (!form) return app.error_response(request, form.error());
  view.filter = std::move(*form);
  if (!in.error) {
    auto total = audit::count(**tx, in.filter);
    if (!total) return app.error_response(request, total.error());
    auto entries = audit::page(**tx, in.filter, kPerPage, std::int64_t{page - 1} * kPerPage);
    if (!entries) return app.error_response(request, entries.error());
    NameBook names;
    if (auto added = names.add(**tx, *entries); !added) return app.error_response(request, added.error());
    view.total = *total;
    for (const auto& stored : *entries) {
      view.entries.push_back({.id = stored.id,
                              .at = tokyo_time(stored.at),
                              .actor = names.actor(stored.entry.actor),
                              .actor_id = stored.entry.actor,
                              .action = audit::action_label(stored.entry.action),
                              .action_id = stored.entry.action,
                              .object = names.object(stored.entry.object),
                              .object_id = stored.entry.object,
                              .hash = stored.hash.substr(0, 12)});
    }
    view.has_entries = !view.entries.empty();
    view.pages = pagination(with_query("/admin/audit", in.query), page, kPerPage, *total);
  }
  tx->reset();
  if (view.can_verify) {
    auto panel = anchor_panel(app.config().audit_anchors);
    if (!panel) return app.error_response(request, panel.error());
    view.anchors = std::move(*panel);
  }
  return app.page(request, "監査ログ", "admin/audit", view, {{"ダッシュボード", "/"}, {"監査ログ", ""}}, "/admin/audit",
                  in.error ? http::status::unprocessable_entity : http::status::ok);
}

Response show_audit_log(Application& app, Request& request) { return audit_page(app, request, std::nullopt); }

// The filtered log as CSV (UTF-8 with BOM so Excel opens it), oldest first, streamed from the
// log to a temporary file a page at a time, with a Japanese file name. Audited with its filter.
Response export_audit_log(Application& app, Request& request) {
  FilterInput in = read_filter(request);
  if (in.error) return app.error_response(request, Error::invalid(*in.error));
  auto temporary = temporary_file(".csv");
  if (!temporary) return app.error_response(request, temporary.error());
  TemporaryExport file{*temporary};
  std::ofstream out(file.path, std::ios::binary | std::ios::trunc);
  out << "\xEF\xBB\xBF"
      << csv::format_row({"No.", "日時（日本時間）", "実行者", "実行者ID", "操作", "操作ID", "対象", "対象ID", "詳細",
                          "ハッシュ"});
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  NameBook names;
  auto written = audit::for_each(
      **tx, in.filter,
      [&](std::span<const audit::StoredEntry> entries) -> Result<void> {
        if (auto added = names.add(**tx, entries); !added) return added;
        for (const auto& stored : entries) {
          out << csv::format_row({std::to_string(stored.id), tokyo_time(stored.at), names.actor(stored.entry.actor),
                                  stored.entry.actor, audit::action_label(stored.entry.action), stored.entry.action,
                                  names.object(stored.entry.object), stored.entry.object, stored.entry.detail,
                                  stored.hash});
        }
        return {};
      },
      kExportPage);
  out.close();
  if (!written) return app.error_response(request, written.error());
  if (!out) return app.error_response(request, Error::unavailable("監査ログを書き出せませんでした"));
  tx->reset();
  boost::json::object detail;
  if (in.filter.actor) detail["actor"] = *in.filter.actor;
  if (in.filter.action) detail["action"] = *in.filter.action;
  if (in.filter.object) detail["object"] = *in.filter.object;
  if (in.filter.object_kind) detail["object_kind"] = *in.filter.object_kind;
  if (!in.from.empty()) detail["from"] = in.from;
  if (!in.to.empty()) detail["to"] = in.to;
  auto logged = audit::append(app.database(),
                              audit::by_user(request.principal->user_id, "audit.export", "audit_log",
                                             detail.empty() ? "" : boost::json::serialize(detail)),
                              app.clock().now());
  if (!logged) return app.error_response(request, logged.error());
  Response response;
  response.content_type = "text/csv; charset=utf-8";
  response.file = file.path;
  response.delete_file_after = true;
  file.handed_over = true;
  response.with_header("Content-Disposition",
                       content_disposition(fmt::format("監査ログ_{}.csv", app.clock().today_in_tokyo().iso())));
  return response;
}

// Checks the hash chain and every checkpoint against the server's own public key, shows the
// result on the screen and records that the check ran.
Response verify_audit_log(Application& app, Request& request) {
  auto report = audit::verify(app.database());
  if (!report) return app.error_response(request, report.error());
  const auto& settings = app.config().audit_anchors;
  std::optional<audit::PublicKey> key;
  if (auto signing = audit::load_signing_key(settings.key_file)) key = signing->public_key();
  auto anchors = audit::verify_anchors(app.database(), settings.anchors_dir, key);
  std::vector<std::string> anchor_problems;
  std::int64_t checkpoints = 0;
  if (anchors) {
    anchor_problems = anchors->problems;
    checkpoints = anchors->checkpoints;
  } else if (anchors.error().code == ErrorCode::kInvalidArgument) {
    anchor_problems.push_back(anchors.error().message);  // the folder is missing
  } else {
    return app.error_response(request, anchors.error());
  }
  bool intact = report->intact && anchor_problems.empty();
  boost::json::object detail{{"intact", report->intact},
                             {"checkpoints", checkpoints},
                             {"checkpoints_intact", anchor_problems.empty()}};
  auto logged = audit::append(app.database(),
                              audit::by_user(request.principal->user_id, "audit.verify", "audit_log",
                                             boost::json::serialize(detail)),
                              app.clock().now());
  if (!logged) return app.error_response(request, logged.error());
  VerifyResult result{.kind = intact ? "success" : "error"};
  if (intact) {
    result.message = fmt::format("監査ログは完全です（{} 件を検証し、チェックポイント {} 件と照合しました）。",
                                 report->entries, checkpoints);
  } else {
    result.message = "改ざんを検出しました:";
    if (!report->intact) result.problems.push_back(report->problem);
    result.problems.insert(result.problems.end(), anchor_problems.begin(), anchor_problems.end());
  }
  return audit_page(app, request, std::move(result));
}

// The signed checkpoints and the public key as one ZIP for METI. A checkpoint of the current
// head is written first, so the download covers everything up to now. Audited.
Response download_anchors(Application& app, Request& request) {
  const auto& settings = app.config().audit_anchors;
  auto now = app.clock().now();
  auto written = audit::write_checkpoint_if_moved(app.database(), settings, now);
  // A rollback past the newest checkpoint (kConflict) is exactly what the files prove: they are
  // handed out all the same, and the check on this screen names the problem.
  if (!written && written.error().code != ErrorCode::kConflict) return app.error_response(request, written.error());
  auto files = audit::checkpoint_files(settings.anchors_dir);
  if (!files) return app.error_response(request, files.error());
  if (files->empty()) {
    return app.redirect_with_notice(request, "/admin/audit", "チェックポイントはまだありません（監査ログが空です）。",
                                    "error");
  }
  auto temporary = temporary_file(".zip");
  if (!temporary) return app.error_response(request, temporary.error());
  TemporaryExport file{*temporary};
  if (auto archived = audit::write_anchor_archive(settings, file.path, now); !archived) {
    return app.error_response(request, archived.error());
  }
  boost::json::object detail{{"checkpoints", files->size()}};
  auto logged = audit::append(app.database(),
                              audit::by_user(request.principal->user_id, "audit.anchors_download", "audit_anchors",
                                             boost::json::serialize(detail)),
                              now);
  if (!logged) return app.error_response(request, logged.error());
  Response response;
  response.content_type = "application/zip";
  response.file = file.path;
  response.delete_file_after = true;
  file.handed_over = true;
  response.with_header("Content-Disposition", content_disposition(fmt::format(
                                                  "監査ログのチェックポイント_{}.zip", tokyo_date(now).iso())));
  return response;
}

}  // namespace

void register_audit_routes(Application& app) {
  app.add_nav_item({"監査ログ", "/admin/audit", auth::Action::kViewAuditLog});
  app.get("/admin/audit", {.required = auth::Action::kViewAuditLog}, show_audit_log);
  app.get("/admin/audit/export.csv", {.required = auth::Action::kViewAuditLog, .protected_info = true}, export_audit_log);
  app.post("/admin/audit/verify", {.required = auth::Action::kVerifyAuditLog, .body = BodyKind::kForm},
           verify_audit_log);
  app.get("/admin/audit/anchors.zip", {.required = auth::Action::kVerifyAuditLog}, download_anchors);
}

}  // namespace kakehashi::web
