// The operations module's rules for operators (issue 15): created from the call's published
// decision, read within the reader's reach (access.h), changed by the secretariat with audit.
// The other parts have their own headers: milestones.h, projects.h, support.h, budget.h, staff.h.
#pragma once

#include <optional>
#include <vector>

#include "audit/audit.h"
#include "auth/roles.h"
#include "call/model.h"
#include "db/database.h"
#include "operations/access.h"
#include "operations/model.h"

namespace kakehashi::operations {

// The last day of the Japanese fiscal year that contains `day` (3月31日).
Date fiscal_year_end(Date day);

// Makes each winning organisation of the published decision the operator of its block(s):
// amount per block from the decision, the contract amount their sum, the contract period from
// the publication day to the end of the fiscal year, contacts from the application. Idempotent:
// an organisation that is already the operator of the call is left as it is. Call it in the
// transaction that publishes the results. Audited ("operator.create"). Returns how many
// operators were created. Refused (invalid) when the call's results are not published.
[[nodiscard]] Result<int> adopt_published_results(db::Transaction& tx, const call::Call& call, const audit::Actor& actor,
                                                  Instant now);

// The programme year shown by default: the latest call with operators (nullopt before any).
[[nodiscard]] Result<std::optional<std::int64_t>> current_programme(db::Transaction& tx);

// The operators of the programme year `call_id` that `who` may see (kViewOperations), in block order.
[[nodiscard]] Result<std::vector<Operator>> list_operators(db::Transaction& tx, const auth::Principal& who,
                                                           std::int64_t call_id);
// Every operator of the year, unfiltered: for the console, the demo and periodic tasks only.
[[nodiscard]] Result<std::vector<Operator>> all_operators(db::Transaction& tx, std::int64_t call_id);

// The operator if `who` may see it (kViewOperations); nullopt when it does not exist or is out of
// reach, so screens answer 404 either way.
[[nodiscard]] Result<std::optional<Operator>> find_operator(db::Transaction& tx, const auth::Principal& who,
                                                            std::int64_t operator_id);
// Without a reader, for services of this module that checked access themselves.
[[nodiscard]] Result<std::optional<Operator>> find_operator(db::Transaction& tx, std::int64_t operator_id);

// True when `who` may do `action` on `op` (a policy grant whose scope covers it).
[[nodiscard]] Result<bool> may(db::Transaction& tx, const auth::Principal& who, auth::Action action, const Operator& op);

// Every problem of `changes` at once (field names as in the operator form: contract_amount,
// contract_from, contract_to, final_goal, project_target, contacts).
std::vector<FieldError> validate(const OperatorChanges& changes);

// The secretariat's change of contract amount, period, final goal, project target and contacts
// (kManageOperators). Invalid input is refused with the messages of validate(); audited as
// "operator.update" with the changed field names (no personal data).
[[nodiscard]] Result<void> update_operator(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id,
                                           const OperatorChanges& changes, Instant now);

// The operator's own plan: final goal and project target (kEditOperatorPlan: the operator itself or
// the secretariat). Audited as "operator.plan".
[[nodiscard]] Result<void> update_plan(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id,
                                       const std::string& final_goal, int project_target, Instant now);

// Settings of the programme (kManageOperators to change): weeks without activity before the
// "活動なし" flag (1–26, default 4) and the programme's budget cap in yen (default 210,000,000).
struct Settings {
  int inactivity_weeks = 4;
  std::int64_t programme_cap = 210'000'000;
};
[[nodiscard]] Result<Settings> settings(db::Transaction& tx);
std::vector<FieldError> validate(const Settings& settings);
[[nodiscard]] Result<void> update_settings(db::Transaction& tx, const auth::Principal& who, const Settings& settings,
                                           Instant now);

// Joins the messages of `errors` into one Japanese sentence list (for an Error::invalid).
std::string join_messages(const std::vector<FieldError>& errors);

}  // namespace kakehashi::operations
