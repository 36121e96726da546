// The meetings' documents (issue 17): the pre-read (PDF, HTML, each figure's data as CSV/XLSX)
// built from live operations data, the minutes exported as PDF and DOCX, the iCalendar of one
// meeting and the per-user secret feed, plus the module's to-dos on the role's home and the
// periodic escalation of overdue minutes.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "audit/audit.h"
#include "auth/users.h"
#include "docs/docx.h"
#include "docs/figures.h"
#include "docs/html.h"
#include "docs/pdf.h"
#include "web/content_disposition.h"
#include "web/handlers/call/common.h"
#include "web/handlers/meetings/common.h"
#include "web/handlers/meetings/views.h"

namespace kakehashi::web {
namespace meetingsweb {
namespace {

// The pre-read's document for the meeting named by {id}, as the reader reaches the data.
struct Built {
  meetings::Meeting meeting;
  docs::Document doc;
};
Result<std::optional<Built>> build_preread(Application& app, const Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return fail(tx.error());
  auto m = load_meeting(**tx, request);
  if (!m) return fail(m.error());
  if (!*m) return std::optional<Built>{};
  auto md = meetings::preread_markdown(**tx, *request.principal, **m, app.clock().now());
  if (!md) return fail(md.error());
  auto doc = safe_document(*md);
  if (!doc) return fail(doc.error());
  return std::optional<Built>{Built{std::move(**m), std::move(*doc)}};
}

Response download(std::string content_type, std::string body, const std::string& name) {
  Response response;
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  response.with_header("Content-Disposition", content_disposition(name));
  return response;
}

std::string stem_of(const meetings::Meeting& m) { return fmt::format("{}_{}", m.title, tokyo_date(m.starts_at).iso()); }

Response preread_pdf(Application& app, Request& request) {
  auto built = build_preread(app, request);
  if (!built) return app.error_response(request, built.error());
  if (!*built) return app.error(request, http::status::not_found);
  auto pdf = docs::render_pdf((*built)->doc);
  if (!pdf) return app.error_response(request, pdf.error());
  return download("application/pdf", std::move(*pdf), "事前資料_" + stem_of((*built)->meeting) + ".pdf");
}

Response preread_html(Application& app, Request& request) {
  auto built = build_preread(app, request);
  if (!built) return app.error_response(request, built.error());
  if (!*built) return app.error(request, http::status::not_found);
  Response response = Response::html(docs::render_html((*built)->doc));
  return response;
}

// ?figure=N (1-based, in document order: figures and tables) &format=csv|xlsx
Response preread_data(Application& app, Request& request) {
  auto built = build_preread(app, request);
  if (!built) return app.error_response(request, built.error());
  if (!*built) return app.error(request, http::status::not_found);
  auto figures = docs::figure_data((*built)->doc);
  auto n = callweb::parse_id(request.query_param("figure"));
  if (!n || *n > std::int64_t(figures.size())) return app.error(request, http::status::not_found);
  const docs::FigureData& figure = figures[std::size_t(*n - 1)];
  std::string format = request.query_param("format");
  if (format == "csv" || format.empty())
    return download("text/csv; charset=utf-8", docs::figure_csv(figure.table), docs::figure_file_stem(figure) + ".csv");
  if (format != "xlsx") return app.error(request, http::status::not_found);
  auto path = temporary_file(".xlsx");
  if (!path) return app.error_response(request, path.error());
  auto written = docs::write_figure_xlsx(figure, *path);
  std::string bytes;
  if (written) {
    std::ifstream in(*path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::error_code ignored;
  std::filesystem::remove(*path, ignored);
  if (!written) return app.error_response(request, written.error());
  return download("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", std::move(bytes),
                  docs::figure_file_stem(figure) + ".xlsx");
}

// The minutes' document, when the reader may read them (else nullopt: 404).
Result<std::optional<Built>> build_minutes(Application& app, const Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return fail(tx.error());
  auto m = load_meeting(**tx, request);
  if (!m) return fail(m.error());
  if (!*m) return std::optional<Built>{};
  auto v = meetings::viewer(**tx, *request.principal);
  if (!v) return fail(v.error());
  if (!meetings::may_read_minutes(*v, **m) || (*m)->minutes_state == meetings::MinutesState::kNone)
    return std::optional<Built>{};
  auto md = meetings::minutes_markdown(**tx, **m);
  if (!md) return fail(md.error());
  auto doc = safe_document(*md);
  if (!doc) return fail(doc.error());
  return std::optional<Built>{Built{std::move(**m), std::move(*doc)}};
}

Response minutes_pdf(Application& app, Request& request) {
  auto built = build_minutes(app, request);
  if (!built) return app.error_response(request, built.error());
  if (!*built) return app.error(request, http::status::not_found);
  auto pdf = docs::render_pdf((*built)->doc);
  if (!pdf) return app.error_response(request, pdf.error());
  return download("application/pdf", std::move(*pdf), "議事録_" + stem_of((*built)->meeting) + ".pdf");
}

Response minutes_docx(Application& app, Request& request) {
  auto built = build_minutes(app, request);
  if (!built) return app.error_response(request, built.error());
  if (!*built) return app.error(request, http::status::not_found);
  auto docx = docs::render_docx((*built)->doc);
  if (!docx) return app.error_response(request, docx.error());
  return download("application/vnd.openxmlformats-officedocument.wordprocessingml.document", std::move(docx->bytes),
                  "議事録_" + stem_of((*built)->meeting) + ".docx");
}

// ---- iCalendar
Response ics_response(std::string body, const std::string& name) {
  Response response;
  response.content_type = "text/calendar; charset=utf-8";
  response.body = std::move(body);
  response.with_header("Content-Disposition", content_disposition(name));
  return response;
}

Response meeting_ics(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto m = load_meeting(**tx, request);
  if (!m) return app.error_response(request, m.error());
  if (!*m) return app.error(request, http::status::not_found);
  return ics_response(meetings::ics_calendar({**m}, (*m)->title, app.config().public_url, app.clock().now()),
                      fmt::format("meeting-{}.ics", (*m)->id));
}

// The feed: no login, the secret token in the path is the authority. Unknown tokens and users
// no longer active answer 404.
Response feed(Application& app, Request& request) {
  std::string token = request.params["token"];
  if (token.ends_with(".ics")) token.resize(token.size() - 4);
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto user = meetings::feed_user(**tx, token);
  if (!user) return app.error_response(request, user.error());
  if (!*user) return app.error(request, http::status::not_found);
  auto who = auth::load_principal(**tx, **user);
  if (!who) return app.error_response(request, who.error());
  if (!*who) return app.error(request, http::status::not_found);
  const auto now = app.clock().now();
  auto list = meetings::list_meetings(**tx, **who, now - std::chrono::days{90}, now + std::chrono::days{400});
  if (!list) return app.error_response(request, list.error());
  Response response = ics_response(meetings::ics_calendar(*list, "未来の教室 会議", app.config().public_url, now), "meetings.ics");
  response.with_header("Cache-Control", "no-store");
  return response;
}

Response calendar_page(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto created = meetings::feed_created(**tx, request.principal->user_id);
  if (!created) return app.error_response(request, created.error());
  CalendarView view;
  view.has_feed = created->has_value();
  if (*created) {
    auto at = parse_iso_utc(**created);
    if (at) view.created = meetings::short_datetime(*at);
  }
  return app.page(request, "カレンダーへの登録", "meetings/calendar", view,
                  {{"ホーム", "/"}, {"会議", "/meetings"}, {"カレンダーへの登録", ""}}, "/meetings");
}

Response reset_calendar(Application& app, Request& request) {
  auto now = app.clock().now();
  auto tx = app.database().begin(db::TxMode::kWrite);
  if (!tx) return app.error_response(request, tx.error());
  auto token = meetings::reset_feed(**tx, *request.principal, now);
  if (!token) return app.error_response(request, token.error());
  if (auto c = (*tx)->commit(); !c) return app.error_response(request, c.error());
  // The URL is shown once, on this response (never stored in clear, never in a redirect).
  CalendarView view;
  view.has_feed = true;
  view.created = meetings::short_datetime(now);
  view.feed_url = fmt::format("{}/ical/meetings/{}.ics", app.config().public_url, *token);
  return app.page(request, "カレンダーへの登録", "meetings/calendar", view,
                  {{"ホーム", "/"}, {"会議", "/meetings"}, {"カレンダーへの登録", ""}}, "/meetings");
}

}  // namespace
}  // namespace meetingsweb

void register_meetings_document_routes(Application& app) {
  using namespace meetingsweb;
  using auth::Action;
  const RouteOptions view{.required = Action::kViewMeetings};
  // Literal paths first: /meetings/{id} is registered after these.
  app.get("/meetings/calendar", view, calendar_page);
  app.post("/meetings/calendar/reset", {.required = Action::kViewMeetings, .body = BodyKind::kForm}, reset_calendar);
  app.get("/ical/meetings/{token}", {.public_route = true}, feed);
  app.get("/meetings/{id}/meeting.ics", view, meeting_ics);
  app.get("/meetings/{id}/preread.pdf", view, preread_pdf);
  app.get("/meetings/{id}/preread.html", view, preread_html);
  app.get("/meetings/{id}/preread/data", view, preread_data);
  app.get("/meetings/{id}/minutes.pdf", view, minutes_pdf);
  app.get("/meetings/{id}/minutes.docx", view, minutes_docx);

  // The role's home: minutes due soon or overdue, minutes awaiting confirmation, materials not sent.
  app.add_home_tasks([](db::Transaction& tx, const auth::Principal& who, std::chrono::sys_seconds now)
                         -> Result<std::vector<HomeTask>> {
    auto tasks = meetings::tasks_for(tx, who, now);
    if (!tasks) return fail(tasks.error());
    std::vector<HomeTask> out;
    for (auto& t : *tasks) out.push_back({t.section, std::move(t.text), std::move(t.href), t.due, t.urgent});
    return out;
  });
  // Overdue minutes escalate to the secretariat lead once (meetings settings).
  app.add_periodic("meetings.escalate", std::chrono::minutes(30), [&app]() -> Result<void> {
    auto n = app.database().transact<int>(db::TxMode::kWrite, [&app](db::Transaction& tx) {
      return meetings::escalate_overdue(tx, app.clock().now());
    });
    if (!n) return fail(n.error());
    return {};
  });
}

}  // namespace kakehashi::web
