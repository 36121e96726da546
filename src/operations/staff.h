// The programme's own staff (R1.3): name, role (統括責任者, 事務局長, 担当者 …), share of time in
// percent, an optional linked user account, active or not. The information-handler roster links
// to these later. Read with kViewStaff, changed with kManageStaff; audited.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/policy.h"
#include "auth/roles.h"
#include "auth/users.h"
#include "db/database.h"
#include "operations/model.h"

namespace kakehashi::operations {

// A staff member as typed (share already parsed by the screen; nullopt = reported there).
struct StaffForm {
  std::string name;
  std::string role;
  std::optional<int> share_percent;
  std::string user_id;  // empty for none
};
std::vector<FieldError> read_staff(const StaffForm& form, StaffMember& out);

// Active first, then by id.
[[nodiscard]] Result<std::vector<StaffMember>> list_staff(db::Transaction& tx, const auth::Principal& who);
[[nodiscard]] Result<std::optional<StaffMember>> find_staff(db::Transaction& tx, const auth::Principal& who,
                                                            std::int64_t id);
// The accounts a staff member may be linked to: active secretariat and security-officer users.
[[nodiscard]] Result<std::vector<auth::UserName>> staff_accounts(db::Transaction& tx);
// kManageStaff; audited "operation.staff" / "operation.staff_update" / "operation.staff_active".
// A linked account must be one of staff_accounts() and not linked to another active member.
[[nodiscard]] Result<std::int64_t> add_staff(db::Transaction& tx, const auth::Principal& who, const StaffMember& member,
                                             Instant now);
[[nodiscard]] Result<void> update_staff(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                        const StaffMember& member, Instant now);
[[nodiscard]] Result<void> set_staff_active(db::Transaction& tx, const auth::Principal& who, std::int64_t id, bool active,
                                            Instant now);

}  // namespace kakehashi::operations
