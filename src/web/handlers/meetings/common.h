// Helpers the meetings screens share (issue 17). URL scheme:
//   /meetings                         list (upcoming and past), links to the forms
//   /meetings/new?series=1            series form (定例会 weekly / 連絡会 monthly); /meetings/new ad hoc
//   /meetings/{id}                    one meeting: agenda, materials, minutes, decisions, action items
//   /meetings/{id}/minutes            the minutes editor (autosave, live preview)
//   /meetings/{id}/preread.pdf|.html  the pre-read; /meetings/{id}/preread/data?figure=N&format=csv|xlsx
//   /meetings/{id}/meeting.ics        one meeting as iCalendar
//   /meetings/calendar                the person's secret feed URL (reset); /ical/meetings/{token} the feed
//   /meetings/settings                the secretariat lead overdue minutes escalate to
#pragma once

#include <optional>
#include <string>

#include "docs/model.h"
#include "meetings/service.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web::meetingsweb {

// The meeting named by {id} if the signed-in user may see it (nullopt: 404).
[[nodiscard]] Result<std::optional<meetings::Meeting>> load_meeting(db::Transaction& tx, const Request& request);

// The document of `markdown` made safe for the site and for exports: links only to http(s),
// mailto and inside the document, no image files (a path would read the server's disk).
[[nodiscard]] Result<docs::Document> safe_document(std::string_view markdown);

// The minutes' Markdown as an HTML fragment (the document engine's HTML, without its cover and
// contents), or the parser's message when the Markdown is not valid.
Html minutes_fragment(std::string_view markdown);

std::string meeting_href(std::int64_t id);

}  // namespace kakehashi::web::meetingsweb
