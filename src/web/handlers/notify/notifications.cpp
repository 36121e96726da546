// お知らせ: the in-system notifications every signed-in user receives (results, review requests,
// reopened applications …), kept by the notify module, and marking them read.
#include "base/date.h"
#include "notify/service.h"
#include "web/handlers/handlers.h"
#include "web/handlers/notify/views.h"

namespace kakehashi::web {
namespace {

using namespace notifyweb;

constexpr int kShown = 100;

std::string japan_time(const std::string& iso) {
  auto instant = parse_iso_utc(iso);
  return instant ? tokyo_datetime_japanese(*instant) : iso;
}

Response show_notifications(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto items = notify::notifications(**tx, request.principal->user_id, kShown);
  if (!items) return app.error_response(request, items.error());
  NotificationsView view{.has_notifications = !items->empty()};
  for (const auto& n : *items) {
    NotificationRow row{.title = n.title, .body = n.body, .at = japan_time(n.created_at), .unread = !n.read};
    if (!n.link.empty()) row.link = n.link;
    view.has_unread = view.has_unread || row.unread;
    view.notifications.push_back(std::move(row));
  }
  return app.page(request, "お知らせ", "notify/notifications", view, {{"ダッシュボード", "/"}, {"お知らせ", ""}},
                  "/notifications");
}

Response mark_all_read(Application& app, Request& request) {
  auto done = app.database().write(
      [&](db::Transaction& tx) { return notify::mark_read(tx, request.principal->user_id, app.clock().now()); });
  if (!done) return app.error_response(request, done.error());
  return Response::redirect("/notifications");
}

}  // namespace

void register_notify_routes(Application& app) {
  app.add_nav_item({"お知らせ", "/notifications", std::nullopt});
  app.get("/notifications", {}, show_notifications);
  app.post("/notifications/read", {.body = BodyKind::kForm}, mark_all_read);
}

}  // namespace kakehashi::web
