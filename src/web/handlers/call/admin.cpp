// The secretariat's side of the call set-up (R2.2): calls, settings, criteria, guideline
// documents (checked by the publication-safety inspector before they are stored), publication;
// the staff list and view of applications (every read audited), reopening, XLSX export.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "base/date.h"
#include "base/number.h"
#include "base/text.h"
#include "base/yen.h"
#include "geo/geo.h"
#include "calendar/holiday_calendar.h"
#include "inspect/isolate.h"
#include "web/confirm_view.h"
#include "web/handlers/call/common.h"

namespace kakehashi::web {
namespace {

using namespace callweb;

constexpr std::size_t kDocumentLimit = 20 * 1024 * 1024;  // one guideline file
constexpr int kMaxLevels = 5;                               // level inputs offered on the form
constexpr double kMaxMinTotal = call::engine::kMaxScoreMagnitude;  // the solver's score range

// A warning when a deadline falls on a day government offices are closed (weekends, national
// holidays, 12/29–1/3): nobody answers questions that day. Rules-only calendar (no database).
std::optional<std::string> closed_day_warning(const call::CallSettings& s) {
  static const calendar::HolidayCalendar holidays;
  std::string out;
  auto check = [&](std::optional<call::Instant> when, std::string_view label) {
    if (!when || when->time_since_epoch().count() == 0) return;
    Date day = tokyo_date(*when);
    std::string why;
    if (calendar::is_government_closed(day)) {
      why = "年末年始の閉庁日";
    } else if (auto name = holidays.holiday_name(day); name && *name) {
      why = "祝日（" + **name + "）";
    } else if (unsigned wd = day.weekday(); wd == 0 || wd == 6) {
      why = wd == 0 ? "日曜日" : "土曜日";
    }
    if (why.empty()) return;
    out += fmt::format("{}{}（{}）は{}です。", out.empty() ? "" : " ", label, day.japanese(), why);
  };
  check(s.closes_at, "締切日");
  check(s.review_deadline, "審査期限");
  if (out.empty()) return std::nullopt;
  return out + "問い合わせに対応できない日の期限でよいか確認してください。";
}

// The settings form's values: from the request when it was posted, else from `call`.
SettingsFields settings_fields(const Request& request, const call::CallSettings& s, bool from_request) {
  auto field = [&](const char* name, const std::string& stored) {
    return from_request ? request.field(name) : stored;
  };
  SettingsFields view;
  view.s_title = field("title", s.title);
  view.s_summary = field("summary", s.summary);
  view.s_opens = field("opens_at", s.opens_at.time_since_epoch().count() ? tokyo_datetime_local(s.opens_at) : "");
  view.s_closes = field("closes_at", s.closes_at.time_since_epoch().count() ? tokyo_datetime_local(s.closes_at) : "");
  view.s_award_min = field("award_min", std::to_string(s.award_min));
  view.s_award_max = field("award_max", std::to_string(s.award_max));
  view.s_budget_total = field("budget_total", std::to_string(s.budget_total));
  view.s_min_total = field("min_total", s.min_total ? fmt::format("{}", *s.min_total) : "");
  view.s_k = field("reviewers_per_application", std::to_string(s.reviewers_per_application));
  view.s_max_load = field("max_load", std::to_string(s.max_load));
  view.s_review_deadline = field("review_deadline", s.review_deadline ? tokyo_datetime_local(*s.review_deadline) : "");
  view.s_deadline_warning = closed_day_warning(s);
  view.s_peer_after_own = from_request ? request.field("peer_reviews") == "after_own"
                                       : s.peer_reviews == call::PeerReviews::kAfterOwn;
  view.s_hide_personal = from_request ? request.field("hide_personal") == "1" : s.hide_personal;
  view.s_balance_loads = from_request ? request.field("balance_loads") == "1" : s.balance_loads;
  auto chosen = request.form.all("block");
  for (const auto& block : geo::blocks()) {
    bool checked = from_request ? std::find(chosen.begin(), chosen.end(), block.id) != chosen.end()
                                : std::find(s.blocks.begin(), s.blocks.end(), block.id) != s.blocks.end();
    view.s_blocks.push_back(BlockChoice{std::string(block.id), std::string(block.name), checked});
  }
  return view;
}

call::CallSettings settings_from(const Request& request, FormProblems& problems) {
  call::CallSettings s;
  s.title = std::string(text::trim(request.field("title")));
  s.summary = request.field("summary");
  auto instant = [&](const char* name, const char* label) -> call::Instant {
    auto parsed = parse_tokyo_datetime(request.field(name));
    if (!parsed) {
      problems.add(name, fmt::format("{}を「年-月-日 時:分」で入力してください", label));
      return {};
    }
    return *parsed;
  };
  s.opens_at = instant("opens_at", "受付開始日時");
  s.closes_at = instant("closes_at", "締切日時");
  if (!text::trim(request.field("review_deadline")).empty()) s.review_deadline = instant("review_deadline", "審査期限");
  auto yen = [&](const char* name, const char* label, std::int64_t fallback) {
    auto value = parse_yen(request.field(name), label, fmt::format("{}は円単位の数字で入力してください", label));
    if (!value) {
      problems.add(name, value.error().message);
      return fallback;
    }
    return *value;
  };
  s.award_min = yen("award_min", "交付額の下限", s.award_min);
  s.award_max = yen("award_max", "交付額の上限", s.award_max);
  s.budget_total = yen("budget_total", "予算上限", s.budget_total);
  // A finite number within what the selection solver compares exactly (nan, inf, 1e400 refused).
  if (std::string text(text::trim(request.field("min_total"))); !text.empty()) {
    auto value = number::parse_finite_double(text, "最低合計点", 0, kMaxMinTotal);
    if (value) {
      s.min_total = *value;
    } else {
      problems.add("min_total", value.error().message);
    }
  }
  // Counts within wide bounds; call::validate names the range each one allows.
  auto integer = [&](const char* name, const char* label, int fallback) {
    auto value = typed_integer(request.field(name), label, 0, 100'000, fmt::format("{}は整数で入力してください", label));
    if (!value) {
      problems.add(name, value.error().message);
      return fallback;
    }
    return int(*value);
  };
  s.reviewers_per_application = integer("reviewers_per_application", "1 件あたりの審査委員数", 3);
  s.max_load = integer("max_load", "審査委員 1 人あたりの上限件数", 10);
  s.peer_reviews = request.field("peer_reviews") == "after_own" ? call::PeerReviews::kAfterOwn : call::PeerReviews::kNever;
  s.hide_personal = request.field("hide_personal") == "1";
  s.balance_loads = request.field("balance_loads") == "1";
  for (std::string_view block : request.form.all("block")) s.blocks.emplace_back(block);
  // Keep the official order and drop repeats.
  std::vector<std::string> ordered;
  for (const auto& block : geo::blocks()) {
    if (std::find(s.blocks.begin(), s.blocks.end(), block.id) != s.blocks.end()) ordered.emplace_back(block.id);
  }
  for (const auto& block : s.blocks) {
    if (!geo::find_block(block)) ordered.push_back(block);  // validate() names it
  }
  s.blocks = std::move(ordered);
  return s;
}

// Every problem of the settings as typed: what could not be read, then the rules on the rest.
FormProblems settings_problems_of(const Request& request, call::CallSettings& settings) {
  FormProblems problems;
  settings = settings_from(request, problems);
  if (problems.empty()) {
    for (const auto& p : call::settings_problems(settings)) problems.add(p.field, p.message);
  } else {
    // Report the rules on the fields that could be read as well (all problems in one pass).
    for (const auto& p : call::settings_problems(settings)) {
      if (!problems.at(p.field)) problems.add(p.field, p.message);
    }
  }
  return problems;
}

Response new_call_page(Application& app, Request& request, const FormProblems& problems, http::status status) {
  AdminNewView content;
  call::CallSettings defaults;
  // A sensible start: opening tomorrow 10:00, closing four weeks later at 17:00 (Japan time).
  Date tomorrow = app.clock().today_in_tokyo().plus_days(1);
  defaults.opens_at = std::chrono::sys_seconds{tomorrow.sys_days()} + std::chrono::hours{10} - kJapanOffset;
  defaults.closes_at = std::chrono::sys_seconds{tomorrow.plus_days(28).sys_days()} + std::chrono::hours{17} - kJapanOffset;
  for (const auto& block : geo::blocks()) defaults.blocks.emplace_back(block.id);
  content.settings = settings_fields(request, defaults, request.method == http::verb::post);
  content.settings.problems = problems;
  content.error_summary = problems.summary();
  return app.page(request, "新しい公募を作成", "call/admin_new", content,
                  {{"公募の管理", "/admin/calls"}, {"新しい公募を作成", ""}}, "/admin/calls", status);
}

struct CallPageState {
  FormProblems problems;
  std::string errors_title;
  bool settings_from_request = false;
  bool criterion_from_request = false;
  const Notice* notice = nullptr;
  bool publicity_from_request = false;
};

Response call_page(Application& app, Request& request, db::Transaction& tx, const call::Call& c,
                   const CallPageState& state, http::status status = http::status::ok) {
  auto now = app.clock().now();
  auto items = call::criteria(tx, c.id);
  auto docs = call::documents(tx, c.id);
  if (!items) return app.error_response(request, items.error());
  if (!docs) return app.error_response(request, docs.error());
  AdminCallView content;
  content.call = call_fields(c, now);
  content.frozen = c.frozen(now);
  content.tabs = call_tabs(request, c.id, "settings");
  content.settings = settings_fields(request, c, state.settings_from_request);
  content.criteria = criteria_fields(*items, c.id);
  content.has_criteria = !items->empty();
  content.max_total = fmt::format("{}", call::max_total(*items));
  content.c_name = state.criterion_from_request ? request.field("name") : "";
  content.c_weight = state.criterion_from_request ? request.field("weight") : "10";
  content.c_description = state.criterion_from_request ? request.field("description") : "";
  for (int level = 1; level <= kMaxLevels; ++level) {
    content.c_levels.push_back(LevelInput{level,
                                          state.criterion_from_request ? request.field(fmt::format("level_{}", level)) : "",
                                          state.problems.at(fmt::format("level_{}", level))});
  }
  std::set<std::string> titles;
  for (const auto& d : *docs) {
    content.documents.push_back(DocumentRow{c.id, d.id, d.title, d.version, d.file_name, size_label(d.size),
                                            japan_time(d.uploaded_at), d.sha256.substr(0, 12)});
    titles.insert(d.title);
  }
  content.document_titles.assign(titles.begin(), titles.end());
  content.has_documents = !docs->empty();
  auto entries = call::publicity(tx, c.id);
  if (!entries) return app.error_response(request, entries.error());
  for (const auto& e : *entries) {
    PublicityRow row{.call_id = c.id, .id = e.id};
    auto date = Date::parse(e.published_on);
    row.date = date ? date->japanese() : e.published_on;
    row.channel = std::string(call::publicity_channel_label(e.channel).value_or(e.channel));
    row.description = e.description;
    if (!e.url.empty()) row.url = e.url;
    row.reach = e.reach ? fmt::format("{} 人", *e.reach) : std::string("—");
    content.publicity.push_back(std::move(row));
  }
  content.has_publicity = !entries->empty();
  bool posted = state.publicity_from_request;
  content.p_date = posted ? request.field("published_on") : app.clock().today_in_tokyo().iso();
  content.p_description = posted ? request.field("description") : "";
  content.p_url = posted ? request.field("url") : "";
  content.p_reach = posted ? request.field("reach") : "";
  for (const auto& channel : call::kPublicityChannels) {
    content.channels.push_back(
        ChannelOption{std::string(channel.id), std::string(channel.label), posted && request.field("channel") == channel.id});
  }
  content.error_summary = state.problems.summary(state.errors_title);
  content.problems = state.problems;
  if (state.settings_from_request) content.settings.problems = state.problems;
  if (state.notice) content.flash = *state.notice;
  return app.page(request, c.title, "call/admin_call", content, {{"公募の管理", "/admin/calls"}, {c.title, ""}},
                  "/admin/calls", status);
}

// A set-up change on call {id}; a refused one shows the call page again with what was typed.
Response change_settings(Application& app, Request& request, const std::string& errors_title, bool settings_form,
                         bool criterion_form, const std::string& done_message,
                         const std::function<Result<void>(db::Transaction&, const call::Call&)>& change,
                         bool publicity_form = false) {
  return change_call(app, request, false, "",
                     [&](db::Transaction& tx, const call::Call& c) -> Result<std::string> {
    if (auto done = change(tx, c); !done) return fail(done.error());
    return done_message;
  },
                     [&](db::Transaction& tx, const call::Call& c, const std::vector<std::string>& errors) {
    FormProblems problems;
    for (const auto& line : errors) problems.add("", line);
    return call_page(app, request, tx, c, {problems, errors_title, settings_form, criterion_form, nullptr, publicity_form},
                     http::status::unprocessable_entity);
  });
}

}  // namespace

std::vector<CallTab> callweb::call_tabs(const Request& request, std::int64_t call_id, std::string_view current) {
  struct Tab {
    std::string_view id, label, suffix;
    auth::Action action;
  };
  static constexpr Tab kTabs[] = {
      {"settings", "概要・設定", "", auth::Action::kManageCalls},
      {"applications", "申請一覧", "/applications", auth::Action::kViewCalls},
      {"review", "審査", "/review", auth::Action::kManageReview},
      {"results", "結果・選定", "/results", auth::Action::kViewResults},
  };
  std::vector<CallTab> tabs;
  for (const Tab& tab : kTabs) {
    if (!auth::allowed(*request.principal, tab.action)) continue;
    tabs.push_back(CallTab{std::string(tab.label), fmt::format("/admin/calls/{}{}", call_id, tab.suffix), tab.id == current});
  }
  return tabs;
}

namespace {

Response list_calls(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  const auth::Principal& who = *request.principal;
  bool manage = auth::allowed(who, auth::Action::kManageCalls);
  auto calls = call::list_calls(**tx, !manage);
  if (!calls) return app.error_response(request, calls.error());
  auto counts = call::application_counts(**tx);
  if (!counts) return app.error_response(request, counts.error());
  AdminListView content;
  for (const auto& c : *calls) {
    call::ApplicationCounts n = counts->contains(c.id) ? counts->at(c.id) : call::ApplicationCounts{};
    // Each role lands on the first tab it may open (METI: results, bureaus: applications).
    std::string href = manage ? fmt::format("/admin/calls/{}", c.id)
                       : auth::may(who, auth::Action::kViewResults) ? fmt::format("/admin/calls/{}/results", c.id)
                                                                    : fmt::format("/admin/calls/{}/applications", c.id);
    content.calls.push_back(AdminCallRow{call_fields(c, app.clock().now()), n.total, n.submitted, std::move(href)});
  }
  content.can_manage = manage;
  content.has_calls = !calls->empty();
  return app.page(request, "公募の管理", "call/admin_list", content, {{"公募の管理", ""}}, "/admin/calls");
}

Response new_call_form(Application& app, Request& request) { return new_call_page(app, request, {}, http::status::ok); }

Response create_call(Application& app, Request& request) {
  call::CallSettings s;
  FormProblems problems = settings_problems_of(request, s);
  if (!problems.empty()) return new_call_page(app, request, problems, http::status::unprocessable_entity);
  auto created = app.database().transact<std::int64_t>(db::TxMode::kWrite, [&](db::Transaction& tx) {
    return call::create_call(tx, s, audit::Actor::user(request.principal->user_id), app.clock().now());
  });
  if (!created) {
    if (!is_refusal(created.error())) return app.error_response(request, created.error());
    FormProblems refused;
    refused.add("", created.error().message);
    return new_call_page(app, request, refused, http::status::unprocessable_entity);
  }
  // A deadline on a closed day is allowed, but said when it is set.
  auto warning = closed_day_warning(s);
  return app.redirect_with_notice(request, fmt::format("/admin/calls/{}", *created),
                                  "公募を作成しました。続けて審査基準と公募要領を登録してください。" +
                                      (warning ? "注意: " + *warning : std::string()));
}

Response show_call_settings(Application& app, Request& request) {
  return show_call(app, request, [&](db::Transaction& tx, const call::Call& c, const Notice* notice) {
    return call_page(app, request, tx, c, {{}, "", false, false, notice, false});
  });
}

// A page of the call with `problems` at their fields (a form the rules refused, 422).
Response refused_call_page(Application& app, Request& request, CallPageState state) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto c = load_call(**tx, request);
  if (!c) return app.error_response(request, c.error());
  if (!*c) return app.error(request, http::status::not_found);
  return call_page(app, request, **tx, **c, state, http::status::unprocessable_entity);
}

Response update_settings(Application& app, Request& request) {
  call::CallSettings s;
  FormProblems problems = settings_problems_of(request, s);
  if (!problems.empty()) return refused_call_page(app, request, {problems, "設定を保存できませんでした。", true, false});
  auto warning = closed_day_warning(s);
  std::string saved = "設定を保存しました。" + (warning ? "注意: " + *warning : std::string());
  return change_settings(app, request, "設定を保存できませんでした。", true, false, saved,
                         [&](db::Transaction& tx, const call::Call& c) -> Result<void> {
    return call::update_call(tx, c.id, s, audit::Actor::user(request.principal->user_id), app.clock().now());
  });
}

// What publishing will do, asked before it is done (the publish button leads here).
Response confirm_publish_call(Application& app, Request& request) {
  return show_call(app, request, [&](db::Transaction& tx, const call::Call& c, const Notice*) -> Response {
    if (c.published) return app.redirect_with_notice(request, fmt::format("/admin/calls/{}", c.id), "この公募はすでに公開されています。");
    auto items = call::criteria(tx, c.id);
    if (!items) return app.error_response(request, items.error());
    auto docs = call::documents(tx, c.id);
    if (!docs) return app.error_response(request, docs.error());
    ConfirmView confirm;
    confirm.heading = "公募を公開しますか";
    confirm.lead = fmt::format("「{}」を公開します。公開は取り消せません。", c.title);
    confirm.consequences = {
        fmt::format("公募ページ（/calls/{}）を誰でも見られるようになります。審査項目 {} 件と資料 {} 件も公開されます。", c.id,
                    items->size(), docs->size()),
        fmt::format("受付開始（{}）から締切（{}）まで申請を受け付けます。", tokyo_datetime_japanese(c.opens_at),
                    tokyo_datetime_japanese(c.closes_at)),
        "受付開始後は、公募名・審査基準・交付額・予算・対象ブロックを変更できなくなります（締切の延長と審査の設定は変更できます）。",
    };
    confirm.warning = closed_day_warning(c);
    confirm.action = fmt::format("/admin/calls/{}/publish", c.id);
    confirm.confirm_label = "公開する";
    confirm.back_href = fmt::format("/admin/calls/{}", c.id);
    return app.page(request, confirm.heading, "shared/confirm", confirm,
                    {{"公募の管理", "/admin/calls"}, {c.title, confirm.back_href}, {"公開の確認", ""}}, "/admin/calls");
  });
}

Response publish_call(Application& app, Request& request) {
  return change_settings(app, request, "公開できませんでした。", false, false, "公募を公開しました。",
                         [&](db::Transaction& tx, const call::Call& c) {
    return call::publish_call(tx, c.id, audit::Actor::user(request.principal->user_id), app.clock().now());
  });
}

Response add_criterion(Application& app, Request& request) {
  // Every problem of the criterion as typed, at its field, in one pass.
  call::Criterion criterion;
  FormProblems problems;
  criterion.name = request.field("name");
  criterion.description = request.field("description");
  // Within wide bounds here; the service names the range a weight may take.
  auto weight = typed_integer(request.field("weight"), "重み", 0, 100'000, "重みは 1〜100 の整数で入力してください");
  if (weight) {
    criterion.weight = int(*weight);
  } else {
    problems.add("c_weight", weight.error().message);
  }
  // Levels are typed from 1 upwards; the first empty one ends the scale.
  for (int level = 1; level <= kMaxLevels; ++level) {
    std::string text(text::trim(request.field(fmt::format("level_{}", level))));
    if (text.empty()) {
      for (int later = level + 1; later <= kMaxLevels; ++later) {
        if (!text::trim(request.field(fmt::format("level_{}", later))).empty()) {
          problems.add(fmt::format("level_{}", level),
                       fmt::format("評価段階 {} の説明を入力してください（段階は 1 から順に入力します）", level));
          break;
        }
      }
      break;
    }
    criterion.descriptors.push_back(text);
  }
  for (const auto& p : call::criterion_problems(criterion)) {
    std::string field = p.field == "name" ? "c_name" : p.field == "weight" ? "c_weight" : p.field;
    if (problems.at(field)) continue;
    // A gap in the levels is reported already; "2〜10 段階" would only repeat it.
    if (field == "level_1" && std::any_of(problems.problems().begin(), problems.problems().end(),
                                          [](const auto& q) { return q.field.starts_with("level_"); }))
      continue;
    problems.add(field, p.message);
  }
  if (!problems.empty()) return refused_call_page(app, request, {problems, "審査項目を追加できませんでした。", false, true});
  return change_settings(app, request, "審査項目を追加できませんでした。", false, true, "審査項目を追加しました。",
                         [&](db::Transaction& tx, const call::Call& c) -> Result<void> {
    auto added = call::add_criterion(tx, c.id, criterion, audit::Actor::user(request.principal->user_id), app.clock().now());
    if (!added) return fail(added.error());
    return {};
  });
}

Response delete_criterion(Application& app, Request& request) {
  return change_settings(app, request, "審査項目を削除できませんでした。", false, false, "審査項目を削除しました。",
                         [&](db::Transaction& tx, const call::Call& c) -> Result<void> {
    auto criterion = id_param(request, "criterion");
    if (!criterion) return fail(Error::not_found("審査項目が見つかりません"));
    return call::delete_criterion(tx, c.id, *criterion, audit::Actor::user(request.principal->user_id), app.clock().now());
  });
}

Response add_publicity(Application& app, Request& request) {
  return change_settings(app, request, "周知の記録を追加できませんでした。", false, false, "周知の記録を追加しました。",
                         [&](db::Transaction& tx, const call::Call& c) -> Result<void> {
    call::Publicity entry;
    entry.published_on = request.field("published_on");
    entry.channel = request.field("channel");
    entry.description = request.field("description");
    entry.url = request.field("url");
    if (std::string reach(text::trim(request.field("reach"))); !reach.empty()) {
      auto number = typed_integer(reach, "周知した人数", 0, 1'000'000'000, "周知した人数は数字で入力してください");
      if (!number) return fail(number.error());
      entry.reach = *number;
    }
    auto added = call::add_publicity(tx, c.id, entry, audit::Actor::user(request.principal->user_id), app.clock().now());
    if (!added) return fail(added.error());
    return {};
  }, true);
}

Response delete_publicity(Application& app, Request& request) {
  return change_settings(app, request, "周知の記録を削除できませんでした。", false, false, "周知の記録を削除しました。",
                         [&](db::Transaction& tx, const call::Call& c) -> Result<void> {
    auto entry = id_param(request, "entry");
    if (!entry) return fail(Error::not_found("周知の記録が見つかりません"));
    return call::delete_publicity(tx, c.id, *entry, audit::Actor::user(request.principal->user_id), app.clock().now());
  });
}

// A guideline document: stored only when the publication-safety inspector finds no error
// (hidden personal data, tracked changes, author names …), since it is published as is.
Response add_document(Application& app, Request& request) {
  UploadedFiles uploads(request);
  // Type check and inspection (a child process, up to its time limit) happen before the write
  // transaction, so the database is not locked while a file is inspected, and under an
  // inspection slot (web/work_limits.h), released once the file is checked.
  std::optional<WorkLimits::Slot> slot;
  if (uploads.file()) {
    slot = app.admit(request, WorkKind::kInspection);
    if (!slot) return app.busy(request, WorkKind::kInspection);
  }
  auto checked = [&]() -> Result<std::string> {
    const QuarantinedFile* file = uploads.file();
    if (request.files.size() != 1 || !file) return fail(Error::invalid("掲載するファイルを 1 つ選んでください"));
    static const std::pair<std::string_view, std::string_view> kAllowed[] = {
        {"application/pdf", ".pdf"},
        {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"},
        {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"}};
    auto allowed = std::find_if(std::begin(kAllowed), std::end(kAllowed),
                                [&](const auto& pair) { return pair.first == file->sniffed_type; });
    if (allowed == std::end(kAllowed))
      return fail(Error::invalid("掲載できるのは PDF・Word（.docx）・Excel（.xlsx）のファイルです（ファイルの中身で判定しています）"));
    // The inspector tells formats by extension: give the quarantined copy the sniffed one.
    std::filesystem::path path = file->stored_path;
    path += std::string(allowed->second);
    std::error_code renamed;
    std::filesystem::rename(file->stored_path, path, renamed);
    if (renamed) return fail(Error::internal("アップロードしたファイルを確認できませんでした"));
    uploads.also(path);
    auto report = inspect::inspect_file_isolated(path.string(), {});
    if (!report) return fail(Error::internal("ファイルの検査に失敗しました"));
    auto summary = inspect::summarize(std::span(&*report, 1));
    if (summary.error > 0) {
      std::string first;
      for (const auto& finding : report->findings) {
        if (finding.severity == inspect::Severity::kError) {
          first = fmt::format("{}（{}）", finding.message, finding.location);
          break;
        }
      }
      return fail(Error::invalid(fmt::format(
          "公開前チェックでエラーが {} 件見つかったため掲載できません。「公開前チェック」で内容を確認し、修正してから掲載してください。最初のエラー: {}",
          summary.error, first)));
    }
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  slot.reset();
  return change_settings(app, request, "資料を掲載できませんでした。", false, false, "資料を掲載しました。",
                         [&](db::Transaction& tx, const call::Call& c) -> Result<void> {
    if (!checked) return fail(checked.error());
    const QuarantinedFile& file = *uploads.file();
    auto added = call::add_document(tx, c.id, request.field("title"), file.original_name, file.sniffed_type, file.sha256,
                                    *checked, audit::Actor::user(request.principal->user_id), app.clock().now());
    if (!added) return fail(added.error());
    return {};
  });
}

}  // namespace

void register_call_admin_routes(Application& app) {
  app.add_nav_item({"公募の管理", "/admin/calls", auth::Action::kViewCalls});
  const RouteOptions manage_form{.required = auth::Action::kManageCalls, .body = BodyKind::kForm};
  app.get("/admin/calls", {.required = auth::Action::kViewCalls}, list_calls);
  app.get("/admin/calls/new", {.required = auth::Action::kManageCalls}, new_call_form);
  app.post("/admin/calls", manage_form, create_call);
  app.get("/admin/calls/{id}", {.required = auth::Action::kManageCalls}, show_call_settings);
  app.post("/admin/calls/{id}", manage_form, update_settings);
  app.post("/admin/calls/{id}/publish", manage_form, publish_call);
  app.get("/admin/calls/{id}/publish", {.required = auth::Action::kManageCalls}, confirm_publish_call);
  app.post("/admin/calls/{id}/criteria", manage_form, add_criterion);
  app.post("/admin/calls/{id}/criteria/{criterion}/delete", manage_form, delete_criterion);
  app.post("/admin/calls/{id}/publicity", manage_form, add_publicity);
  app.post("/admin/calls/{id}/publicity/{entry}/delete", manage_form, delete_publicity);
  app.post("/admin/calls/{id}/documents",
           {.required = auth::Action::kManageCalls, .body = BodyKind::kMultipart, .body_limit = kDocumentLimit + 64 * 1024},
           add_document);
}

}  // namespace kakehashi::web
