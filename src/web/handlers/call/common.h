// Helpers the call screens share: loading objects named in the path, views of calls and
// applications, flash and error lists, file downloads.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "call/access.h"
#include "call/service.h"
#include "docs/chart.h"
#include "web/handlers/call/views.h"
#include "web/handlers/handlers.h"

namespace kakehashi::web::callweb {

// A positive integer id typed in a form or a path ("12"), or nullopt.
std::optional<std::int64_t> parse_id(std::string_view text);
// The positive integer path parameter `name`, or nullopt (the screen answers 404).
std::optional<std::int64_t> id_param(const Request& request, const char* name);

// True for an error that is a business rule refusing the change (invalid input, or a state
// that does not allow it): the form is shown again with the message and 422.
bool is_refusal(const Error& error);

// A call's fields for templates: id, title, summary, phase, opens/closes (Japan time),
// closes_iso (for the countdown), award range and budget in yen, blocks (names).
CallFields call_fields(const call::Call& call, call::Instant now);
// An application's fields for templates (blocks with names and amounts, topic labels,
// qualification labels, receipt, status).
ApplicationFields application_fields(const call::Application& application);
// {{#criteria}} with levels and descriptors; `call_id` on each (for the delete forms).
std::vector<CriterionFields> criteria_fields(const std::vector<call::Criterion>& criteria, std::int64_t call_id = 0);
// A notice ("success", "保存しました。") shown on a page or by the layout.
Notice flash(const std::string& kind, const std::string& message);

// "17 KB" / "2.4 MB" for file lists.
std::string size_label(std::int64_t bytes);
// The call named by the {id} path parameter (nullopt when absent or malformed: 404).
[[nodiscard]] Result<std::optional<call::Call>> load_call(db::Transaction& tx, const Request& request);
// "2026-12-25T08:00:00Z" -> "2026年12月25日（金）17:00"; other text unchanged.
std::string japan_time(const std::string& iso_utc);

// A stored file sent as a download (Content-Disposition with the Japanese name).
Response download(const call::StoredFile& file);

// The form fields "block" (checked) and "requested_<block>" → block requests; amounts typed
// with commas or full-width digits are accepted. An unparseable amount is reported at its field
// (requested_<block>) and its block stays requested with 0; so is an amount typed for a block
// that is not ticked.
std::vector<call::BlockRequest> block_requests_from(const Request& request, FormProblems& problems);

// An integer typed in a form ("20,000,000", "２０００"; "," allowed) within [min, max]. Text that
// is no integer at all is refused with `not_a_number` (the form's own wording); an integer
// outside the bounds, or beyond any integer, with "{label}は {min}〜{max} の範囲で入力してください".
[[nodiscard]] Result<std::int64_t> typed_integer(std::string_view typed, std::string_view label, std::int64_t min,
                                                 std::int64_t max, std::string_view not_a_number);
// The largest amount of yen a form takes (a trillion yen less one).
inline constexpr std::int64_t kMaxTypedYen = 999'999'999'999;
// Integer yen typed by a person: typed_integer within [0, kMaxTypedYen] ("2000万" not accepted).
[[nodiscard]] Result<std::int64_t> parse_yen(std::string_view typed, std::string_view label,
                                             std::string_view not_a_number);

// A change to the call named by {id}: returns the message shown after the redirect.
using CallChange = std::function<Result<std::string>(db::Transaction&, const call::Call&)>;
// The page showing `errors` (each line of the refused change's message) on the call.
using CallErrorPage = std::function<Response(db::Transaction&, const call::Call&, const std::vector<std::string>& errors)>;
// Runs `change` in a write transaction. A call that does not exist (or is unpublished when
// `published_only`) is a 404. A change the rules refuse (invalid or conflicting) is rolled back
// and `page` shows its message with 422, so nothing typed is lost; other errors go through
// app.error_response (403 with its message, 404, 500 …). On success the browser goes to
// /admin/calls/{id}<suffix>, which shows the message once (a server-side flash).
Response change_call(Application& app, Request& request, bool published_only, std::string_view suffix,
                     const CallChange& change, const CallErrorPage& page);

// The GET of a staff page of the call {id}: 404 when there is none. (The notice of the change
// that led here comes from the session's flash, shown by the page layout.)
using CallPage = std::function<Response(db::Transaction&, const call::Call&, const Notice* notice)>;
Response show_call(Application& app, Request& request, const CallPage& page);

// The tabs of a call's staff pages (settings, applications, review, results) the user may see.
std::vector<CallTab> call_tabs(const Request& request, std::int64_t call_id, std::string_view current);

// Writes `table` as an XLSX file (one sheet, frozen header, numbers as numbers) and answers
// with it as a download named `file_name`; the temporary file goes once sent.
Response xlsx_download(Application& app, const Request& request, const std::string& caption, docs::DataTable table,
                       const std::string& file_name);

}  // namespace kakehashi::web::callweb
