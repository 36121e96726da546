// Typed views of the notify module's screens (templates/notify/).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "web/view_model.h"

namespace kakehashi::web::notifyweb {

struct NotificationRow {
  std::string title;
  std::string body;
  std::optional<std::string> link;  // a path on this site; none when the notice links nowhere
  std::string at;                   // Japan time
  bool unread = false;
  void fields(auto& f) const {
    f("title", title);
    f("body", body);
    f("link", link);
    f("at", at);
    f("unread", unread);
  }
};

// お知らせ (/notifications): the user's notifications, newest first.
struct NotificationsView {
  bool has_notifications = false;
  bool has_unread = false;
  std::vector<NotificationRow> notifications;
  void fields(auto& f) const {
    f("has_notifications", has_notifications);
    f("has_unread", has_unread);
    f("notifications", notifications);
  }
};

}  // namespace kakehashi::web::notifyweb
