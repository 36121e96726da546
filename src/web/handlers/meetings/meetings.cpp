// Screens of the meetings (issue 17): the list, the series and meeting forms, one meeting's page
// (agenda, materials, action items, decisions, minutes and their confirmation), the minutes
// editor with autosave and live preview, and the settings. The documents (pre-read, minutes
// exports, iCalendar) are in documents.cpp, the API in api.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "auth/users.h"
#include "calendar/official_import.h"
#include "docs/html.h"
#include "docs/markdown.h"
#include "geo/geo.h"
#include "operations/milestones.h"
#include "operations/service.h"
#include "web/content_disposition.h"
#include "web/handlers/call/common.h"
#include "web/handlers/meetings/common.h"
#include "web/handlers/meetings/views.h"

namespace kakehashi::web {
namespace meetingsweb {

std::string meeting_href(std::int64_t id) { return fmt::format("/meetings/{}", id); }

Result<std::optional<meetings::Meeting>> load_meeting(db::Transaction& tx, const Request& request) {
  auto id = callweb::id_param(request, "id");
  if (!id) return std::optional<meetings::Meeting>{};
  return meetings::find_meeting(tx, *request.principal, *id);
}

namespace {
void sanitize(docs::Spans& spans) {
  for (auto& s : spans) {
    const std::string& l = s.link;
    if (!l.empty() && !l.starts_with("https://") && !l.starts_with("http://") && !l.starts_with("mailto:") &&
        !l.starts_with("#"))
      s.link.clear();
  }
}
}  // namespace

Result<docs::Document> safe_document(std::string_view markdown) {
  auto doc = docs::parse_markdown(markdown, "/nonexistent");
  if (!doc) return doc;
  for (auto& block : doc->blocks) {
    if (auto* p = std::get_if<docs::Paragraph>(&block)) sanitize(p->spans);
    else if (auto* h = std::get_if<docs::Heading>(&block)) sanitize(h->text);
    else if (auto* l = std::get_if<docs::List>(&block)) {
      for (auto& i : l->items) sanitize(i.spans);
    } else if (auto* t = std::get_if<docs::Table>(&block)) {
      for (auto& row : t->header) {
        for (auto& c : row) sanitize(c);
      }
      for (auto& row : t->rows) {
        for (auto& c : row) sanitize(c);
      }
    } else if (auto* n = std::get_if<docs::Note>(&block)) {
      for (auto& p2 : n->paragraphs) sanitize(p2);
    } else if (auto* f = std::get_if<docs::Figure>(&block); f && !f->image_path.empty()) {
      block = docs::Paragraph{{docs::Span{.text = "（画像は議事録に載せられません）"}}, f->line};
    }
  }
  for (auto& fn : doc->footnotes) sanitize(fn.spans);
  return doc;
}

Html minutes_fragment(std::string_view markdown) {
  auto escape = [](std::string_view text) {
    std::string out;
    for (char c : text) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
      }
    }
    return out;
  };
  if (markdown.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return Html{"<p class=\"empty\">まだ本文はありません。</p>"};
  auto doc = safe_document(markdown);
  if (!doc) return Html{"<p class=\"form-field__error\">" + escape(doc.error().message) + "</p>"};
  std::string html = docs::render_html(*doc);
  auto begin = html.find("<main>");
  auto end = html.rfind("</main>");
  if (begin == std::string::npos || end == std::string::npos) return Html{""};
  return Html{"<div class=\"minutes-body\">" + html.substr(begin + 6, end - begin - 6) + "</div>"};
}

namespace {

const meetings::Meeting& m_of(const std::optional<meetings::Meeting>& m) { return *m; }

std::vector<FormError> form_errors(const std::vector<meetings::FieldError>& errors) {
  std::vector<FormError> out;
  for (const auto& e : errors) out.push_back({e.field, e.message});
  return out;
}

std::optional<std::string> error_of(const std::vector<meetings::FieldError>& errors, std::string_view field) {
  std::string out;
  for (const auto& e : errors) {
    if (e.field == field) out += (out.empty() ? "" : "／") + e.message;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::vector<FlagView> flag_views(const std::vector<meetings::MeetingFlag>& flags) {
  std::vector<FlagView> out;
  for (const auto& f : flags) out.push_back({std::string(meetings::to_string(f.kind)), f.label});
  return out;
}

std::string due_label(const meetings::Meeting& m) { return m.minutes_due.japanese(); }

std::string size_label(std::int64_t bytes) {
  if (bytes >= 1024 * 1024) return fmt::format("{:.1f} MB", double(bytes) / 1048576.0);
  return fmt::format("{} KB", std::max<std::int64_t>(1, (bytes + 1023) / 1024));
}

// ---- List
Response list_meetings(Application& app, Request& request) {
  const auto now = app.clock().now();
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto list = meetings::list_meetings(**tx, *request.principal, now - std::chrono::days{120}, now + std::chrono::days{120});
  if (!list) return app.error_response(request, list.error());
  ListView view;
  view.can_manage = auth::may(*request.principal, auth::Action::kManageMeetings);
  auto v = meetings::viewer(**tx, *request.principal);
  if (!v) return app.error_response(request, v.error());
  for (const auto& m : *list) {
    auto agenda = meetings::agenda_of(**tx, m.id);
    if (!agenda) return app.error_response(request, agenda.error());
    MeetingRow row;
    row.id = m.id;
    row.href = meeting_href(m.id);
    row.when = meetings::short_datetime(m.starts_at);
    row.title = m.title;
    row.kind = std::string(meetings::kind_label(m.kind));
    row.place = m.place.empty() ? "オンライン" : m.place;
    row.minutes_state = meetings::may_read_minutes(*v, m) || m.minutes_state == meetings::MinutesState::kNone
                            ? std::string(meetings::minutes_state_label(m.minutes_state))
                            : "作成中";
    row.minutes_due = fmt::format("{}月{}日", m.minutes_due.month(), m.minutes_due.day());
    row.cancelled = m.cancelled();
    row.flags = flag_views(meetings::flags(m, meetings::total_minutes(*agenda), now));
    (m.ends_at() > now ? view.upcoming : view.past).push_back(std::move(row));
  }
  std::ranges::reverse(view.past);
  view.has_upcoming = !view.upcoming.empty();
  view.has_past = !view.past.empty();
  return app.page(request, "会議", "meetings/list", view, {{"ホーム", "/"}, {"会議", ""}}, "/meetings");
}

// ---- Forms
Result<FormView> form_view(db::Transaction& tx, const meetings::MeetingForm& form, bool series, bool editing,
                           const std::vector<meetings::FieldError>& errors) {
  FormView view;
  view.series = series;
  view.editing = editing;
  if (series) {
    view.kinds = {{"regular", "定例会（毎週・経済産業省と）", form.kind != "liaison"},
                  {"liaison", "連絡会（毎月・経済産業省・経済産業局・実証事業者と）", form.kind == "liaison"}};
  } else if (!editing) {
    view.kinds = {{"adhoc", "臨時会議", form.kind.empty() || form.kind == "adhoc"},
                  {"regular", "定例会", form.kind == "regular"},
                  {"liaison", "連絡会", form.kind == "liaison"}};
  }
  view.title = form.title;
  view.date = form.date;
  view.last_date = form.last_date;
  view.start_time = form.start_time.empty() ? "10:00" : form.start_time;
  view.duration = form.duration.empty() ? "60" : form.duration;
  view.place = form.place;
  view.online_url = form.online_url;
  view.guests = form.guests;
  for (auto role : {auth::Role::kMeti, auth::Role::kSecretariat, auth::Role::kBureau, auth::Role::kOperator}) {
    auto users = auth::users_with_role(tx, role);
    if (!users) return fail(users.error());
    for (const auto& u : *users) {
      std::string id = std::to_string(u.id);
      if (std::ranges::any_of(view.attendees, [&](const CheckOption& o) { return o.id == id; })) continue;
      view.attendees.push_back({id, fmt::format("{}（{}）", u.name, auth::role_label(role)),
                                std::ranges::find(form.attendees, id) != form.attendees.end()});
    }
  }
  for (const auto& b : geo::blocks()) {
    std::string id(b.id);
    view.blocks.push_back({id, std::string(b.name), std::ranges::find(form.blocks, id) != form.blocks.end()});
  }
  auto secretariat = auth::users_with_role(tx, auth::Role::kSecretariat);
  if (!secretariat) return fail(secretariat.error());
  view.owners.push_back({"", "（自分）", form.minutes_owner.empty()});
  for (const auto& u : *secretariat) {
    std::string id = std::to_string(u.id);
    view.owners.push_back({id, u.name, id == form.minutes_owner});
  }
  view.has_errors = !errors.empty();
  view.errors = form_errors(errors);
  view.kind_error = error_of(errors, "kind");
  view.title_error = error_of(errors, "title");
  view.date_error = error_of(errors, "date");
  view.last_date_error = error_of(errors, "last_date");
  view.start_time_error = error_of(errors, "start_time");
  view.duration_error = error_of(errors, "duration");
  view.place_error = error_of(errors, "place");
  view.online_url_error = error_of(errors, "online_url");
  view.attendees_error = error_of(errors, "attendees");
  view.blocks_error = error_of(errors, "blocks");
  view.minutes_owner_error = error_of(errors, "minutes_owner");
  return view;
}

meetings::MeetingForm form_from(const Request& request) {
  meetings::MeetingForm f;
  f.kind = request.field("kind");
  f.title = request.field("title");
  f.date = request.field("date");
  f.last_date = request.field("last_date");
  f.start_time = request.field("start_time");
  f.duration = request.field("duration");
  f.place = request.field("place");
  f.online_url = request.field("online_url");
  for (auto a : request.form.all("attendees")) f.attendees.emplace_back(a);
  f.guests = request.field("guests");
  for (auto b : request.form.all("blocks")) f.blocks.emplace_back(b);
  f.minutes_owner = request.field("minutes_owner");
  return f;
}

const std::vector<Breadcrumb> kListCrumbs = {{"ホーム", "/"}, {"会議", "/meetings"}};

std::vector<Breadcrumb> crumbs(const std::string& last) {
  auto out = kListCrumbs;
  out.push_back({last, ""});
  return out;
}

Response render_form(Application& app, Request& request, db::Transaction& tx, const meetings::MeetingForm& form,
                     bool series, std::optional<std::int64_t> editing, const std::vector<meetings::FieldError>& errors,
                     http::status status) {
  auto view = form_view(tx, form, series, editing.has_value(), errors);
  if (!view) return app.error_response(request, view.error());
  view->heading = series ? "定例会・連絡会のシリーズを作成" : editing ? "会議の変更" : "会議を追加";
  view->action = series ? "/meetings/series" : editing ? meeting_href(*editing) : "/meetings";
  view->cancel_href = editing ? meeting_href(*editing) : "/meetings";
  return app.page(request, view->heading, "meetings/form", *view, crumbs(view->heading), "/meetings", status);
}

Response new_meeting(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  bool series = request.query_param("series") == "1";
  meetings::MeetingForm form;
  form.kind = series ? "regular" : "adhoc";
  if (series) form.title = "未来の教室 定例会";
  return render_form(app, request, **tx, form, series, std::nullopt, {}, http::status::ok);
}

Response create(Application& app, Request& request, bool series) {
  auto cal = calendar::load_calendar(app.database());
  if (!cal) return app.error_response(request, cal.error());
  auto now = app.clock().now();
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto form = form_from(request);
  auto errors = series ? meetings::validate_series(form) : meetings::validate_meeting(form);
  if (errors.empty()) {
    auto id = series ? meetings::create_series(**tx, *request.principal, *cal, form, now)
                     : meetings::create_meeting(**tx, *request.principal, *cal, form, now);
    if (id) {
      if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
      if (series) return app.redirect_with_notice(request, "/meetings", "シリーズを作成し、会議を登録しました。");
      return app.redirect_with_notice(request, meeting_href(*id), "会議を追加しました。");
    }
    if (!callweb::is_refusal(id.error())) return app.error_response(request, id.error());
    errors.push_back({"attendees", id.error().message});
  }
  return render_form(app, request, **tx, form, series, std::nullopt, errors, http::status::unprocessable_entity);
}

Response create_series(Application& app, Request& request) { return create(app, request, true); }
Response create_meeting(Application& app, Request& request) { return create(app, request, false); }

Response edit_meeting(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto m = load_meeting(**tx, request);
  if (!m) return app.error_response(request, m.error());
  if (!*m) return app.error(request, http::status::not_found);
  auto people = meetings::attendees_of(**tx, (*m)->id);
  if (!people) return app.error_response(request, people.error());
  return render_form(app, request, **tx, meetings::form_of(**m, *people), false, (*m)->id, {}, http::status::ok);
}

Response update_meeting(Application& app, Request& request) {
  auto cal = calendar::load_calendar(app.database());
  if (!cal) return app.error_response(request, cal.error());
  auto now = app.clock().now();
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto m = load_meeting(**tx, request);
  if (!m) return app.error_response(request, m.error());
  if (!*m) return app.error(request, http::status::not_found);
  auto form = form_from(request);
  form.kind = std::string(meetings::to_string((*m)->kind));
  auto errors = meetings::validate_meeting(form);
  if (errors.empty()) {
    auto r = meetings::update_meeting(**tx, *request.principal, *cal, (*m)->id, form, now);
    if (r) {
      if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
      return app.redirect_with_notice(request, meeting_href((*m)->id), "会議を変更しました。");
    }
    if (!callweb::is_refusal(r.error())) return app.error_response(request, r.error());
    errors.push_back({"date", r.error().message});
  }
  return render_form(app, request, **tx, form, false, (*m)->id, errors, http::status::unprocessable_entity);
}

// A POST whose service call either succeeds (commit, redirect with `notice` to `anchor`) or is
// refused (redirect back with the refusal as an error notice: nothing typed is long).
template <typename F>
Response act(Application& app, Request& request, const std::string& anchor, const std::string& notice, F&& work) {
  auto now = app.clock().now();
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto m = load_meeting(**tx, request);
  if (!m) return app.error_response(request, m.error());
  if (!*m) return app.error(request, http::status::not_found);
  Result<void> r = work(**tx, **m, now);
  std::string back = meeting_href((*m)->id) + anchor;
  if (!r) {
    if (!callweb::is_refusal(r.error())) return app.error_response(request, r.error());
    if (r.error().code == ErrorCode::kPermissionDenied) return app.error_response(request, r.error());
    tx->reset();  // end the write transaction first: the notice is written in its own
    return app.redirect_with_notice(request, back, r.error().message, "error");
  }
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return app.redirect_with_notice(request, back, notice);
}

Response cancel_meeting(Application& app, Request& request) {
  return act(app, request, "", "会議を中止しました。", [&](db::Transaction& tx, const meetings::Meeting& m, auto now) {
    return meetings::cancel_meeting(tx, *request.principal, m.id, request.field("reason"), now);
  });
}

Response add_agenda(Application& app, Request& request) {
  return act(app, request, "#agenda", "議題を追加しました。", [&](db::Transaction& tx, const meetings::Meeting& m, auto now) -> Result<void> {
    meetings::AgendaForm f{request.field("title"), request.field("owner_name"), request.field("minutes"), request.field("link")};
    auto id = meetings::add_agenda_item(tx, *request.principal, m.id, f, now);
    if (!id) return fail(id.error());
    return {};
  });
}

Response remove_agenda(Application& app, Request& request) {
  auto item = callweb::id_param(request, "item");
  if (!item) return app.error(request, http::status::not_found);
  return act(app, request, "#agenda", "議題を削除しました。", [&](db::Transaction& tx, const meetings::Meeting& m, auto now) {
    return meetings::remove_agenda_item(tx, *request.principal, m.id, *item, now);
  });
}

Response send_materials(Application& app, Request& request) {
  return act(app, request, "#materials", "資料を出席者に送付しました。", [&](db::Transaction& tx, const meetings::Meeting& m, auto now) {
    return meetings::send_materials(tx, *request.principal, m.id, meeting_href(m.id), now);
  });
}

Response upload_material(Application& app, Request& request) {
  UploadedFiles uploads(request);
  const QuarantinedFile* file = uploads.file("file");
  {
    auto tx = app.database().begin(db::TxMode::kRead);
    if (!tx) return app.error_response(request, tx.error());
    auto m = load_meeting(**tx, request);
    if (!m) return app.error_response(request, m.error());
    if (!*m) return app.error(request, http::status::not_found);
    if (!file) return app.redirect_with_notice(request, meeting_href((*m)->id) + "#materials", "ファイルを選んでください。", "error");
  }
  // Another extension keeps the quarantined name: the inspector refuses what it cannot read.
  std::filesystem::path path = uploads.with_extension(*file, kInspectedExtensions).value_or(file->stored_path);
  auto slot = app.admit(request, WorkKind::kInspection);
  if (!slot) return app.busy(request, WorkKind::kInspection);
  auto inspected = meetings::inspect_material(path.string(), file->original_name, file->sha256);
  if (!inspected && !callweb::is_refusal(inspected.error())) return app.error_response(request, inspected.error());
  return act(app, request, "#materials", "資料を登録しました。", [&](db::Transaction& tx, const meetings::Meeting& m, auto now) -> Result<void> {
    if (!inspected) return fail(inspected.error());
    auto id = meetings::add_material(tx, *request.principal, m.id, *inspected, now);
    if (!id) return fail(id.error());
    return {};
  });
}

Response download_material(Application& app, Request& request) {
  auto mid = callweb::id_param(request, "material");
  auto id = callweb::id_param(request, "id");
  if (!mid || !id) return app.error(request, http::status::not_found);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto file = meetings::material_file(**tx, *request.principal, *id, *mid);
  if (!file) return app.error_response(request, file.error());
  if (!*file) return app.error(request, http::status::not_found);
  Response response;
  response.content_type = (*file)->first.content_type;
  response.body = std::move((*file)->second);
  response.with_header("Content-Disposition", content_disposition((*file)->first.file_name));
  return response;
}

Response add_decision(Application& app, Request& request) {
  return act(app, request, "#decisions", "決定事項を追加しました。", [&](db::Transaction& tx, const meetings::Meeting& m, auto now) -> Result<void> {
    auto id = meetings::add_decision(tx, *request.principal, m.id, request.field("text"), now);
    if (!id) return fail(id.error());
    return {};
  });
}

Response add_action(Application& app, Request& request) {
  return act(app, request, "#actions", "アクションアイテムを追加しました。", [&](db::Transaction& tx, const meetings::Meeting& m, auto now) -> Result<void> {
    meetings::ActionForm f{request.field("title"), request.field("owner_user"), request.field("owner_name"), request.field("due_on")};
    auto id = meetings::add_action_item(tx, *request.principal, m.id, f, now);
    if (!id) return fail(id.error());
    return {};
  });
}

Response update_action(Application& app, Request& request) {
  auto item = callweb::id_param(request, "item");
  if (!item) return app.error(request, http::status::not_found);
  std::string kind = request.field("kind");
  std::string notice = kind == "closed" ? "アクションアイテムを完了にしました。"
                       : kind == "reopened" ? "アクションアイテムを未完了に戻しました。"
                                            : "経過を記録しました。";
  return act(app, request, "#actions", notice, [&](db::Transaction& tx, const meetings::Meeting& m, auto now) {
    return meetings::update_action_item(tx, *request.principal, *item, m.id, kind, request.field("note"), now);
  });
}

Response submit_minutes(Application& app, Request& request) {
  return act(app, request, "#minutes", "議事録を提出しました。経済産業省の確認を待っています。",
             [&](db::Transaction& tx, const meetings::Meeting& m, auto now) {
               return meetings::submit_minutes(tx, *request.principal, m.id, meeting_href(m.id), now);
             });
}

Response return_minutes(Application& app, Request& request) {
  return act(app, request, "#minutes", "議事録を差し戻しました。", [&](db::Transaction& tx, const meetings::Meeting& m, auto now) {
    return meetings::return_minutes(tx, *request.principal, m.id, request.field("comment"), meeting_href(m.id), now);
  });
}

Response confirm_minutes(Application& app, Request& request) {
  return act(app, request, "#minutes", "議事録を確定しました。", [&](db::Transaction& tx, const meetings::Meeting& m, auto now) {
    return meetings::confirm_minutes(tx, *request.principal, m.id, meeting_href(m.id), now);
  });
}

// ---- One meeting
ActionRow action_row(const meetings::ActionItem& a, const meetings::Meeting& at, bool can_update,
                     const std::map<std::int64_t, std::string>& origins) {
  ActionRow row;
  row.id = a.id;
  row.title = a.title;
  row.owner = a.owner_name.empty() ? "（未定）" : a.owner_name;
  row.due = a.due_on ? fmt::format("{}月{}日", a.due_on->month(), a.due_on->day()) : "—";
  row.open = a.status == meetings::ActionStatus::kOpen;
  if (a.meeting_id != at.id && origins.contains(a.meeting_id)) row.origin = origins.at(a.meeting_id);
  for (const auto& e : a.history) {
    std::string what = e.kind == "created"  ? "登録"
                       : e.kind == "closed" ? "完了"
                       : e.kind == "reopened" ? "未完了に戻す"
                                             : "経過";
    if (!e.note.empty()) what += ": " + e.note;
    auto at_instant = parse_iso_utc(e.at);
    row.history.push_back({at_instant ? meetings::short_datetime(*at_instant) : e.at, what});
  }
  if (can_update) row.action = fmt::format("/meetings/{}/actions/{}", at.id, a.id);
  return row;
}

Response show_meeting(Application& app, Request& request) {
  const auto now = app.clock().now();
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto loaded = load_meeting(**tx, request);
  if (!loaded) return app.error_response(request, loaded.error());
  if (!*loaded) return app.error(request, http::status::not_found);
  const meetings::Meeting& m = m_of(*loaded);
  auto v = meetings::viewer(**tx, *request.principal);
  if (!v) return app.error_response(request, v.error());
  ShowView view;
  view.id = m.id;
  view.title = m.title;
  view.kind = std::string(meetings::kind_label(m.kind));
  view.when = meetings::short_datetime(m.starts_at) + "〜" + meetings::short_datetime(m.ends_at()).substr(
                                                               meetings::short_datetime(m.ends_at()).size() - 5);
  view.duration = fmt::format("{} 分", m.duration_minutes);
  if (!m.place.empty()) view.place = m.place;
  if (!m.online_url.empty()) view.online_url = m.online_url;
  if (m.cancelled()) view.cancelled = m.cancel_reason;
  if (!m.day_note.empty()) view.day_note = m.day_note;
  view.can_manage = v->manage && !m.cancelled();
  view.can_confirm = v->confirm;
  view.locked = m.minutes_state == meetings::MinutesState::kConfirmed;
  auto people = meetings::attendees_of(**tx, m.id);
  if (!people) return app.error_response(request, people.error());
  for (const auto& a : *people) view.attendees.push_back({a.name, !a.user_id});
  if (m.kind == meetings::Kind::kLiaison && !m.blocks.empty()) {
    std::string b;
    for (const auto& id : m.blocks) b += (b.empty() ? "" : "・") + geo::block_label(id);
    view.blocks = b;
  }
  auto agenda = meetings::agenda_of(**tx, m.id);
  if (!agenda) return app.error_response(request, agenda.error());
  view.flags = flag_views(meetings::flags(m, meetings::total_minutes(*agenda), now));
  view.has_flags = !view.flags.empty();
  int n = 0;
  for (const auto& a : *agenda) {
    AgendaRow row{++n, a.title, a.owner_name.empty() ? "—" : a.owner_name, a.minutes, std::nullopt, std::nullopt, std::nullopt};
    if (!a.link_label.empty()) {
      row.link_label = a.link_label;
      if (a.link_id) {
        row.link_href = a.link_kind == "operator"    ? fmt::format("/operations/operators/{}", *a.link_id)
                        : a.link_kind == "milestone" ? fmt::format("/operations/milestones/{}", *a.link_id)
                                                     : fmt::format("/operations/projects/{}", *a.link_id);
      }
    }
    if (view.can_manage && !view.locked) row.delete_action = fmt::format("/meetings/{}/agenda/{}/delete", m.id, a.id);
    view.agenda.push_back(std::move(row));
  }
  view.has_agenda = !view.agenda.empty();
  view.agenda_total = fmt::format("合計 {} 分 ／ 会議時間 {} 分", meetings::total_minutes(*agenda), m.duration_minutes);
  view.agenda_overrun = meetings::agenda_overrun(m, *agenda);
  if (view.can_manage) {
    view.link_options.push_back({"", "（関連付けない）", true});
    auto programme = operations::current_programme(**tx);
    if (!programme) return app.error_response(request, programme.error());
    if (*programme) {
      auto ops = operations::list_operators(**tx, *request.principal, **programme);
      if (!ops) return app.error_response(request, ops.error());
      for (const auto& op : *ops) view.link_options.push_back({fmt::format("operator:{}", op.id), "実証事業者: " + op.name, false});
      auto ms = operations::visible_milestones(**tx, *request.principal, **programme, std::nullopt);
      if (!ms) return app.error_response(request, ms.error());
      for (const auto& r : *ms) {
        if (r.milestone.status == operations::MilestoneStatus::kDone || r.milestone.status == operations::MilestoneStatus::kCancelled)
          continue;
        view.link_options.push_back({fmt::format("milestone:{}", r.milestone.id), "マイルストーン: " + r.milestone.title, false});
      }
    }
  }
  auto mats = meetings::materials_of(**tx, m.id);
  if (!mats) return app.error_response(request, mats.error());
  for (const auto& mat : *mats) {
    view.materials.push_back({mat.file_name, fmt::format("/meetings/{}/materials/{}", m.id, mat.id), size_label(mat.size), std::nullopt});
  }
  view.has_materials = !view.materials.empty();
  if (m.materials_sent_at) view.materials_sent = meetings::short_datetime(*m.materials_sent_at);
  // Action items: carried over from earlier meetings of the series, and this meeting's.
  std::map<std::int64_t, std::string> origins;
  if (m.series_id) {
    auto earlier = meetings::list_meetings(**tx, *request.principal, std::nullopt, m.starts_at);
    if (!earlier) return app.error_response(request, earlier.error());
    for (const auto& e : *earlier) {
      origins[e.id] = fmt::format("{}月{}日の会議から", tokyo_date(e.starts_at).month(), tokyo_date(e.starts_at).day());
    }
  }
  bool can_update = view.can_manage && !view.locked;
  auto carried = meetings::carried_over(**tx, m);
  if (!carried) return app.error_response(request, carried.error());
  for (const auto& a : *carried) view.carried.push_back(action_row(a, m, can_update, origins));
  view.has_carried = !view.carried.empty();
  auto own = meetings::action_items_of(**tx, m);
  if (!own) return app.error_response(request, own.error());
  for (const auto& a : *own) view.actions.push_back(action_row(a, m, can_update, origins));
  view.has_actions = !view.actions.empty();
  auto decided = meetings::decisions_of(**tx, m.id);
  if (!decided) return app.error_response(request, decided.error());
  for (const auto& d : *decided) view.decisions.push_back(d.text);
  view.has_decisions = !view.decisions.empty();
  view.owner_options.push_back({"", "（下の欄に氏名を書く）", true});
  for (const auto& a : *people) {
    if (a.user_id) view.owner_options.push_back({std::to_string(*a.user_id), a.name, false});
  }
  // Minutes.
  view.minutes_state = std::string(meetings::minutes_state_label(m.minutes_state));
  view.minutes_state_id = std::string(meetings::to_string(m.minutes_state));
  view.minutes_due = due_label(m);
  view.minutes_readable = meetings::may_read_minutes(*v, m) && m.minutes_state != meetings::MinutesState::kNone;
  if (view.minutes_readable) view.minutes_html = minutes_fragment(m.minutes_body);
  if (!m.minutes_return_comment.empty() && (v->manage || v->confirm)) view.return_comment = m.minutes_return_comment;
  view.can_edit_minutes = view.can_manage && (m.minutes_state == meetings::MinutesState::kNone ||
                                              m.minutes_state == meetings::MinutesState::kDraft ||
                                              m.minutes_state == meetings::MinutesState::kReturned);
  view.can_submit = view.can_edit_minutes && m.minutes_state != meetings::MinutesState::kNone && now >= m.starts_at;
  view.awaiting_confirmation = v->confirm && m.minutes_state == meetings::MinutesState::kSubmitted;
  return app.page(request, m.title, "meetings/show", view, crumbs(m.title), "/meetings");
}

// ---- Minutes editor
Response edit_minutes(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto m = load_meeting(**tx, request);
  if (!m) return app.error_response(request, m.error());
  if (!*m) return app.error(request, http::status::not_found);
  MinutesView view;
  view.id = (*m)->id;
  view.title = (*m)->title;
  view.when = meetings::short_datetime((*m)->starts_at);
  view.minutes_due = due_label(**m);
  view.state = std::string(meetings::minutes_state_label((*m)->minutes_state));
  view.body = (*m)->minutes_body;
  if (view.body.empty()) {
    auto agenda = meetings::agenda_of(**tx, (*m)->id);
    if (!agenda) return app.error_response(request, agenda.error());
    for (const auto& a : *agenda) view.body += "## " + a.title + "\n\n\n";
  }
  view.preview = minutes_fragment(view.body);
  if ((*m)->minutes_saved_at) {
    auto at = parse_iso_utc(*(*m)->minutes_saved_at);
    if (at) view.saved_at = meetings::short_datetime(*at);
  }
  if (!(*m)->minutes_return_comment.empty()) view.return_comment = (*m)->minutes_return_comment;
  if ((*m)->minutes_state == meetings::MinutesState::kConfirmed) view.error = std::string(meetings::kLockedMessage);
  else if ((*m)->minutes_state == meetings::MinutesState::kSubmitted)
    view.error = "提出済みの議事録は、経済産業省から差し戻されるまで編集できません。";
  return app.page(request, "議事録の作成", "meetings/minutes", view, crumbs("議事録の作成"), "/meetings");
}

// Saves the minutes. htmx's autosave gets a one-line status; a plain post a redirect (or the
// refusal as a notice). Nothing typed is lost: a refused save keeps the text in the browser.
Response save_minutes(Application& app, Request& request) {
  bool htmx = request.headers.find("HX-Request") != request.headers.end();
  auto now = app.clock().now();
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto m = load_meeting(**tx, request);
  if (!m) return app.error_response(request, m.error());
  if (!*m) return app.error(request, http::status::not_found);
  auto r = meetings::save_minutes(**tx, *request.principal, (*m)->id, request.field("body"), now);
  if (!r) {
    if (!callweb::is_refusal(r.error()) || r.error().code == ErrorCode::kPermissionDenied)
      return app.error_response(request, r.error());
    if (htmx) return Response::html(render_template("meetings/save_status", to_view(SaveStatus{r.error().message})),
                                    http::status::unprocessable_entity);
    tx->reset();
    return app.redirect_with_notice(request, meeting_href((*m)->id) + "#minutes", r.error().message, "error");
  }
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  if (htmx)
    return Response::html(render_template(
        "meetings/save_status", to_view(SaveStatus{fmt::format("{} に自動保存しました。", meetings::short_datetime(now))})));
  if (request.field("action") == "submit") {
    auto tx2 = app.database().begin(db::TxMode::kWrite);
    if (!tx2) return app.error_response(request, tx2.error());
    auto s = meetings::submit_minutes(**tx2, *request.principal, (*m)->id, meeting_href((*m)->id), now);
    if (!s) {
      if (!callweb::is_refusal(s.error())) return app.error_response(request, s.error());
      tx2->reset();
      return app.redirect_with_notice(request, meeting_href((*m)->id) + "#minutes", s.error().message, "error");
    }
    if (auto c = (*tx2)->commit(); !c) return app.error_response(request, c.error());
    return app.redirect_with_notice(request, meeting_href((*m)->id) + "#minutes", "議事録を提出しました。経済産業省の確認を待っています。");
  }
  return app.redirect_with_notice(request, meeting_href((*m)->id) + "#minutes", "議事録を保存しました。");
}

// The live preview: the Markdown typed so far as the document engine renders it.
Response preview_minutes(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto m = load_meeting(**tx, request);
  if (!m) return app.error_response(request, m.error());
  if (!*m) return app.error(request, http::status::not_found);
  return Response::html(minutes_fragment(request.field("body")).html);
}

// ---- Settings
Response settings_page(Application& app, Request& request, std::optional<std::string> error, http::status status) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto lead = meetings::lead_user(**tx);
  if (!lead) return app.error_response(request, lead.error());
  auto users = auth::users_with_role(**tx, auth::Role::kSecretariat);
  if (!users) return app.error_response(request, users.error());
  SettingsView view;
  view.error = std::move(error);
  view.leads.push_back({"", "（指名しない: 事務局の全員に通知）", !*lead});
  for (const auto& u : *users) view.leads.push_back({std::to_string(u.id), u.name, *lead && **lead == u.id});
  return app.page(request, "会議の設定", "meetings/settings", view, crumbs("会議の設定"), "/meetings", status);
}

Response show_settings(Application& app, Request& request) { return settings_page(app, request, std::nullopt, http::status::ok); }

Response save_settings(Application& app, Request& request) {
  auto now = app.clock().now();
  std::string chosen = request.field("lead_user_id");
  std::optional<std::int64_t> id;
  if (!chosen.empty()) {
    id = callweb::parse_id(chosen);
    if (!id) return settings_page(app, request, "責任者の指定が正しくありません", http::status::unprocessable_entity);
  }
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto r = meetings::set_lead_user(**tx, *request.principal, id, now);
  if (!r) {
    if (!callweb::is_refusal(r.error()) || r.error().code == ErrorCode::kPermissionDenied) return app.error_response(request, r.error());
    tx->reset();
    return settings_page(app, request, r.error().message, http::status::unprocessable_entity);
  }
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  return app.redirect_with_notice(request, "/meetings/settings", "設定を保存しました。");
}

}  // namespace
}  // namespace meetingsweb

void register_meetings_routes(Application& app) {
  using namespace meetingsweb;
  using auth::Action;
  const RouteOptions view{.required = Action::kViewMeetings};
  const RouteOptions manage{.required = Action::kManageMeetings, .body = BodyKind::kForm};
  const RouteOptions confirm{.required = Action::kConfirmMinutes, .body = BodyKind::kForm};
  app.add_nav_item({"会議", "/meetings", Action::kViewMeetings});
  app.get("/meetings", view, list_meetings);
  app.get("/meetings/new", {.required = Action::kManageMeetings}, new_meeting);
  app.get("/meetings/settings", {.required = Action::kManageMeetings}, show_settings);
  app.post("/meetings/settings", manage, save_settings);
  app.post("/meetings/series", manage, create_series);
  app.post("/meetings", manage, create_meeting);
  app.get("/meetings/{id}", view, show_meeting);
  app.get("/meetings/{id}/edit", {.required = Action::kManageMeetings}, edit_meeting);
  app.post("/meetings/{id}", manage, update_meeting);
  app.post("/meetings/{id}/cancel", manage, cancel_meeting);
  app.post("/meetings/{id}/agenda", manage, add_agenda);
  app.post("/meetings/{id}/agenda/{item}/delete", manage, remove_agenda);
  constexpr std::size_t kMaterialBody = std::size_t(meetings::kMaterialLimit) + 1024 * 1024;
  app.post("/meetings/{id}/materials",
           {.required = Action::kManageMeetings, .body = BodyKind::kMultipart, .body_limit = kMaterialBody}, upload_material);
  app.post("/meetings/{id}/materials/send", manage, send_materials);
  app.get("/meetings/{id}/materials/{material}", view, download_material);
  app.get("/meetings/{id}/minutes", {.required = Action::kManageMeetings}, edit_minutes);
  app.post("/meetings/{id}/minutes", manage, save_minutes);
  app.post("/meetings/{id}/minutes/preview", manage, preview_minutes);
  app.post("/meetings/{id}/minutes/submit", manage, submit_minutes);
  app.post("/meetings/{id}/minutes/return", confirm, return_minutes);
  app.post("/meetings/{id}/minutes/confirm", confirm, confirm_minutes);
  app.post("/meetings/{id}/decisions", manage, add_decision);
  app.post("/meetings/{id}/actions", manage, add_action);
  app.post("/meetings/{id}/actions/{item}", manage, update_action);
}

}  // namespace kakehashi::web
