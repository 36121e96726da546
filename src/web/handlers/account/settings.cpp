// The signed-in person's display settings: how their screens write dates (Western years,
// Japanese era years, or both; issue 16 item 8). The web applies the setting while it builds
// their pages (Application::handle, base/date.h DateStyleScope).
#include <fmt/format.h>

#include "auth/display_settings.h"
#include "base/date.h"
#include "base/date_style.h"
#include "web/handlers/account/views.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web {
namespace {

using namespace accountweb;

constexpr std::string_view kTitle = "表示の設定";

Response show_settings(Application& app, Request& request) {
  auto tx = app.database().begin(db::TxMode::kRead);
  if (!tx) return app.error_response(request, tx.error());
  auto style = auth::date_style_of(**tx, request.principal->user_id);
  if (!style) return app.error_response(request, style.error());
  AccountSettingsView view;
  for (auto [option, label] : {std::pair{DateStyle::kWestern, "西暦（2026年12月3日）"},
                               std::pair{DateStyle::kEra, "和暦（令和8年12月3日）"},
                               std::pair{DateStyle::kBoth, "和暦と西暦（令和8年（2026年）12月3日）"}}) {
    view.date_styles.push_back(CheckOption{std::string(to_string(option)), label, option == *style});
  }
  {
    DateStyleScope shown(*style);
    view.example = app.clock().today_in_tokyo().japanese();
  }
  return app.page(request, std::string(kTitle), "account/settings", view, {{"ダッシュボード", "/"}, {std::string(kTitle), ""}});
}

Response save_settings(Application& app, Request& request) {
  auto style = date_style_from(request.field("date_style"));
  if (!style) return app.error(request, http::status::unprocessable_entity, "日付の表示を選んでください。");
  auto saved = app.database().write([&](db::Transaction& tx) {
    return auth::set_date_style(tx, request.principal->user_id, *style, app.clock().now());
  });
  if (!saved) return app.error_response(request, saved.error());
  return app.redirect_with_notice(request, "/account/settings", "表示の設定を保存しました。");
}

}  // namespace

void register_account_settings_routes(Application& app) {
  app.add_nav_item({std::string(kTitle), "/account/settings", std::nullopt});
  app.get("/account/settings", {}, show_settings);
  app.post("/account/settings", {.body = BodyKind::kForm}, save_settings);
}

}  // namespace kakehashi::web
