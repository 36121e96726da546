// Information management (issue 21; R7.1–R7.5): the roster (様式4) whose approved version is the
// access control for protected information, its change requests that only METI's approval puts
// into effect, the gate's per-request view of it, and the close-out.
//
// Who needs the roster (R7.3, specification §8 ①②): the contractor's people, i.e. accounts with
// the secretariat or security-officer role. METI and bureau staff are the ministry (outside the
// rule); reviewers are the committee METI appoints (they see assigned applications only, under
// their own pledge); operators and participants see only their own organisation's data.
// The gate applies once a first roster version has been approved: before the contract's roster
// exists there is nothing to enforce (a fresh installation, the test fixtures); from then on a
// secretariat or security-officer account whose person is not on the approved roster is refused.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "auth/roles.h"
#include "base/result.h"
#include "compliance/model.h"
#include "db/database.h"

namespace kakehashi::compliance {

// True when `who` is bound by the roster rule (see above).
bool needs_roster(const auth::Principal& who);

// The refusal the gate gives (Japanese; shown on the 403 page): nullopt when `who` may open
// protected information under `gate`.
std::optional<std::string> gate_refusal(const GateSnapshot& gate, const auth::Principal& who);

// The current state for the gate (two indexed queries).
[[nodiscard]] Result<GateSnapshot> gate_snapshot(db::Transaction& tx);
// Bumped by every change of the approved roster in this process (approval, close-out): the
// gate's cache reloads when it moves.
std::uint64_t roster_generation();
void roster_changed();

// Records a refusal of the gate (audit "compliance.gate_refused"; the route pattern, no data).
[[nodiscard]] Result<void> record_refusal(db::Database& database, const auth::Principal& who,
                                          const std::string& method, const std::string& route_pattern, Instant now);

// The roster: every person (active and proposed), or only the approved roster.
[[nodiscard]] Result<std::vector<Person>> list_people(db::Transaction& tx, const auth::Principal& who,
                                                      bool approved_only);
[[nodiscard]] Result<std::optional<Person>> find_person(db::Transaction& tx, const auth::Principal& who,
                                                        std::int64_t id);
// The sealed fields of a person, decrypted, for the security officer and METI; the view is
// audited ("compliance.personal_viewed") in `tx`, which must be a write transaction.
[[nodiscard]] Result<PersonalFields> read_personal(db::Transaction& tx, const auth::Principal& who,
                                                   std::int64_t person_id, Instant now);

// Reads the form into a draft: every error at once.
std::vector<FieldError> read_change(const ChangeForm& form, ChangeDraft& out);
// Files a change (kRequestRosterChange); audited "compliance.change_requested". The draft's
// personal fields are sealed before they reach the database.
[[nodiscard]] Result<std::int64_t> request_change(db::Transaction& tx, const auth::Principal& who,
                                                  const ChangeDraft& draft, Instant now);
// METI's decision (kDecideRosterChange). Refused when `who` filed the change, or when the
// change is about `who`'s own roster entry. Approval puts it into effect and makes a new
// version; audited "compliance.change_approved" / "compliance.change_rejected".
[[nodiscard]] Result<void> approve_change(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                          const std::string& note, Instant now);
[[nodiscard]] Result<void> reject_change(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                         const std::string& note, Instant now);
[[nodiscard]] Result<std::vector<ChangeRequest>> list_changes(db::Transaction& tx, const auth::Principal& who);
[[nodiscard]] Result<std::optional<ChangeRequest>> find_change(db::Transaction& tx, const auth::Principal& who,
                                                               std::int64_t id);
[[nodiscard]] Result<std::int64_t> pending_changes(db::Transaction& tx);
[[nodiscard]] Result<std::vector<RosterVersion>> list_versions(db::Transaction& tx, const auth::Principal& who);

// The accounts a roster person may be linked to: secretariat and security-officer users.
[[nodiscard]] Result<std::vector<std::pair<std::int64_t, std::string>>> linkable_accounts(db::Transaction& tx);

// 様式4 as rows: category label, name, address, birth date, department, title, passport and
// nationality (the seven columns). Personal columns are filled only when `with_personal`
// (the security officer, METI, the CLI: `who` nullopt), and then the export is audited in
// `tx` (a write transaction).
struct RosterSheetRow {
  std::string category, name, address, birth_date, department, title, passport_nationality;
};
[[nodiscard]] Result<std::vector<RosterSheetRow>> roster_sheet(db::Transaction& tx, const std::optional<auth::Principal>& who,
                                                              
                                                               bool with_personal, Instant now);

}  // namespace kakehashi::compliance

namespace kakehashi::compliance {

// Rotation of the roster key (docs/security.md): a new key is generated, every sealed field is
// opened with the old key and sealed with the new one in one write transaction (audited
// "compliance.key_rotated"), and the new key replaces the file (written beside it first, renamed
// after the commit). Run with the server stopped. Returns the number of fields re-sealed.
[[nodiscard]] Result<std::int64_t> rotate_field_key(db::Database& database, const std::filesystem::path& key_path,
                                                    Instant now);

}  // namespace kakehashi::compliance
