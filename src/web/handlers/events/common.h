// Helpers the events screens share. URL scheme:
//   /events                         staff list (kViewEvents); /events/new, POST /events (kManageEvents)
//   /events/{id}                    event page: numbers against the band, programme, costs
//   /events/{id}/edit               the event form; POST /events/{id}
//   /events/{id}/registrations      registrants (personal data); .xlsx export; badges.pdf
//   /events/{id}/checkin            the check-in desk (phone-sized)
//   /events/{id}/matchmaking        grid, runs, locks, publication; tables.pdf, schedule.xlsx
//   /e/{slug}                       the public page and registration form (no login)
//   /e/{slug}/r/{key}               a registrant's personal page (signed link)
//   /api/v1/events[/{id}]           the API
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "events/service.h"
#include "web/handlers/events/views.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web::eventsweb {

std::vector<FormError> form_errors(const std::vector<events::FieldError>& errors);
std::optional<std::string> error_of(const std::vector<events::FieldError>& errors, std::string_view field);

// The event named by {id} if the signed-in user may see it (nullopt: 404).
[[nodiscard]] Result<std::optional<events::Event>> load_event(db::Transaction& tx, const Request& request);

// 「2027年1月20日（水）13:00〜17:00」
std::string when_label(const events::Event& event);
Attendance attendance_view(const events::Event& event, const events::Counts& counts, events::Instant now);
std::vector<EventTab> event_tabs(const events::Event& event, const events::EventAccess& rights, std::string_view current);
std::vector<Breadcrumb> event_crumbs(const events::Event& event, const std::string& page = "");
std::string public_url(const Application& app, const events::Event& event);
std::string prefecture_name(const std::string& code);
std::vector<Option> prefecture_options(const std::string& selected, bool with_blank);
std::vector<Option> registrant_kind_options(const std::string& selected);
// A download: the bytes with their type and a Japanese file name.
Response file_response(std::string bytes, const std::string& content_type, const std::string& name);
// nullopt for empty text (a template's {{#field}} tests presence).
std::optional<std::string> nonempty(const std::string& text);
// "1,234,000 円"
std::string yen(std::int64_t amount);

}  // namespace kakehashi::web::eventsweb
