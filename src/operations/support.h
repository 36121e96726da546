// The secretariat's accompaniment of the operators (R3.4): the support log per operator (date,
// kind, topic, advice, a next step with due date and owner), mentoring records for startups among
// the participants, and the signed-in user's to-do list (open next steps and milestones).
// Written by the secretariat (kLogSupport), read within reach (kViewSupport: secretariat, METI,
// the bureau of the block, the operator itself); out of reach answers as absent (404).
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

// A support log entry as typed in the form (all text, so it can be shown again).
struct SupportLogForm {
  std::string held_on;
  std::string kind;  // "visit" …
  std::string topic;
  std::string advice;
  std::string next_step;
  std::string next_step_due;
  std::string next_step_owner;  // users.id as text, empty for none
};

// Parses and checks `form` into `out` (every problem at once; field names as in the form). The
// owner must be an active secretariat user (checked by the service, not here).
std::vector<FieldError> read_support_log(const SupportLogForm& form, SupportLog& out);

// The log of the operator, newest first; nullopt when the operator is out of reach (404).
[[nodiscard]] Result<std::optional<std::vector<SupportLog>>> support_logs(db::Transaction& tx, const auth::Principal& who,
                                                                        std::int64_t operator_id);
// One entry if `who` may see it (kViewSupport on its operator).
[[nodiscard]] Result<std::optional<SupportLog>> find_support_log(db::Transaction& tx, const auth::Principal& who,
                                                                 std::int64_t id);
// Records an entry (kLogSupport). When its next step is owned by someone other than `who`, the
// owner is notified with a link to the operator's support page. Audited "operation.support_log".
[[nodiscard]] Result<std::int64_t> log_support(db::Transaction& tx, const auth::Principal& who, std::int64_t operator_id,
                                               const SupportLog& entry, Instant now);
// Changes an entry (kLogSupport); a new owner of the next step is notified. Audited.
[[nodiscard]] Result<void> update_support_log(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                              const SupportLog& entry, Instant now);
// Marks the next step of an entry done (kLogSupport, or its owner). Refused when it has no next
// step or it is already done. Audited "operation.next_step_done".
[[nodiscard]] Result<void> complete_next_step(db::Transaction& tx, const auth::Principal& who, std::int64_t id, Instant now);

// Who may own a next step or mentor a startup: the active secretariat users.
[[nodiscard]] Result<std::vector<auth::UserName>> secretariat_people(db::Transaction& tx);

// A mentoring record as typed.
struct MentoringForm {
  std::string startup_name;
  std::string stage;  // "seed" …
  std::string goals;
  std::string mentor_user_id;
};
std::vector<FieldError> read_mentoring(const MentoringForm& form, Mentoring& out);

struct MentoringSessionForm {
  std::string held_on;
  std::string notes;
  std::string next_step;
};
std::vector<FieldError> read_mentoring_session(const MentoringSessionForm& form, MentoringSession& out);

// The operator's mentoring records with their sessions (oldest session first); nullopt out of reach.
[[nodiscard]] Result<std::optional<std::vector<Mentoring>>> mentorings(db::Transaction& tx, const auth::Principal& who,
                                                                     std::int64_t operator_id);
[[nodiscard]] Result<std::optional<Mentoring>> find_mentoring(db::Transaction& tx, const auth::Principal& who,
                                                              std::int64_t id);
// kLogSupport; audited "operation.mentoring" / "operation.mentoring_session".
[[nodiscard]] Result<std::int64_t> create_mentoring(db::Transaction& tx, const auth::Principal& who,
                                                    std::int64_t operator_id, const Mentoring& mentoring, Instant now);
[[nodiscard]] Result<void> update_mentoring(db::Transaction& tx, const auth::Principal& who, std::int64_t id,
                                            const Mentoring& mentoring, Instant now);
[[nodiscard]] Result<std::int64_t> add_mentoring_session(db::Transaction& tx, const auth::Principal& who,
                                                         std::int64_t mentoring_id, const MentoringSession& session,
                                                         Instant now);

// One line of the to-do list.
struct TodoItem {
  enum class Kind { kNextStep, kMilestone } kind = Kind::kNextStep;
  std::int64_t id = 0;  // support log or milestone id
  std::int64_t operator_id = 0;
  std::string operator_name;
  std::string title;   // the next step / the milestone's title
  std::string detail;  // the support topic / the milestone's status label
  std::optional<Date> due;
  bool overdue = false;  // due before `today`
};
// The open next steps `who` owns (not done) and the milestones `who` owns (not done nor
// cancelled), on operators `who` may still see, sorted by due date (none last), then title.
[[nodiscard]] Result<std::vector<TodoItem>> todo(db::Transaction& tx, const auth::Principal& who, Date today);

}  // namespace kakehashi::operations
