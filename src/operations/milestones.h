// The operations module's rules for the final goal's milestones (R3.1, issue 15): an operator
// keeps its own milestones with due date, owner and status, adds evidence (notes, http(s) links,
// files that passed the publication-safety inspector), and the secretariat reviews them.
//
// Rules decided here (tested in tests/unit/operations/milestones_test.cpp):
// - edits (create, update, evidence) need kEditOperatorPlan on the operator: the operator itself
//   or the secretariat; a milestone out of the reader's reach is not found (404), as elsewhere;
// - the due date must be a real date within the contract period's fiscal years (2000–2100);
// - status transitions: 完了 may only be reopened to 進行中 or 遅延; 中止 only back to 未着手 or 進行中
//   (not straight to 完了); everything else is free. completed_on is set to the day a milestone
//   becomes 完了 and cleared when it leaves 完了;
// - a change of an already reviewed milestone's status or due date resets the review to 未確認;
// - the review (kReviewMilestones, secretariat): 確認済み needs at least one piece of evidence,
//   要対応 needs a comment; the operator's active users are notified with a link;
// - evidence files are refused when the inspector reports any error for publication (the
//   findings are listed in Japanese); warnings are stored with the file and shown beside it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "auth/roles.h"
#include "db/database.h"
#include "operations/model.h"

namespace kakehashi::operations {

// The milestone form as typed (all text, so that a refused form is shown again as typed).
struct MilestoneForm {
  std::string title;
  std::string description;
  std::string due_on;       // "2026-12-25" or "2026/12/25"
  std::string owner_user;   // a user id of the operator's organisation, or empty
  std::string owner_name;   // free text when the owner has no account
  std::string status;       // "not_started" …
};

// A milestone with what its lists show.
struct MilestoneRow {
  Milestone milestone;
  int evidence_count = 0;
  std::string owner_label;  // the owner's user name, else owner_name
};

// Who may own a milestone of the operator: the operator organisation's active users.
struct OwnerOption {
  std::int64_t user_id = 0;
  std::string name;
};
[[nodiscard]] Result<std::vector<OwnerOption>> owner_options(db::Transaction& tx, const Operator& op);

// Every problem of `form` for operator `op` at once (fields: title, description, due_on,
// owner_user, owner_name, status), including a transition from `current` when editing.
[[nodiscard]] Result<std::vector<FieldError>> validate_milestone(db::Transaction& tx, const Operator& op,
                                                                 const MilestoneForm& form,
                                                                 const Milestone* current = nullptr);

// True when the status may change from `from` to `to` (see the rules above).
bool transition_allowed(MilestoneStatus from, MilestoneStatus to);

[[nodiscard]] Result<std::int64_t> create_milestone(db::Transaction& tx, const auth::Principal& who,
                                                    std::int64_t operator_id, const MilestoneForm& form, Instant now);
[[nodiscard]] Result<void> update_milestone(db::Transaction& tx, const auth::Principal& who, std::int64_t milestone_id,
                                            const MilestoneForm& form, Instant now);

// The milestone if `who` may see its operator; nullopt when unknown or out of reach (404).
[[nodiscard]] Result<std::optional<Milestone>> find_milestone(db::Transaction& tx, const auth::Principal& who,
                                                              std::int64_t milestone_id);
// The operator's milestones by due date (the caller checked the operator is in reach).
[[nodiscard]] Result<std::vector<MilestoneRow>> milestones_of(db::Transaction& tx, std::int64_t operator_id);
// The milestones of every operator `who` may see in the programme year, by operator then due
// date; `operator_id` keeps one operator's. For the API.
[[nodiscard]] Result<std::vector<MilestoneRow>> visible_milestones(db::Transaction& tx, const auth::Principal& who,
                                                                   std::int64_t call_id,
                                                                   std::optional<std::int64_t> operator_id);

// ---- Evidence
[[nodiscard]] Result<std::vector<Evidence>> evidence_of(db::Transaction& tx, std::int64_t milestone_id);
[[nodiscard]] Result<std::int64_t> add_note(db::Transaction& tx, const auth::Principal& who, std::int64_t milestone_id,
                                            const std::string& title, const std::string& note, Instant now);
// Only http:// and https:// addresses.
[[nodiscard]] Result<std::int64_t> add_link(db::Transaction& tx, const auth::Principal& who, std::int64_t milestone_id,
                                            const std::string& title, const std::string& url, Instant now);

// A file that passed the inspector, ready to store.
struct InspectedEvidence {
  std::string file_name;
  std::string content_type;
  std::string sha256;
  std::string content;
  std::string inspection;  // JSON: {"type", "summary", "warnings", "findings": [{code, label, severity}]}
  int warnings = 0;
};
// The largest evidence file.
inline constexpr std::int64_t kEvidenceLimit = 10 * 1024 * 1024;
// Inspects the file at `path` for publication (child process; call it outside any transaction,
// under a WorkKind::kInspection slot). Refused (invalid) when it is too big, of a type the
// inspector does not read, or has findings of severity error: the message lists them in
// Japanese ("公開できないため登録できません: 電話番号（シート1!B2）…").
[[nodiscard]] Result<InspectedEvidence> inspect_evidence(const std::filesystem::path& path, std::string file_name,
                                                         std::string sha256);
[[nodiscard]] Result<std::int64_t> add_file(db::Transaction& tx, const auth::Principal& who, std::int64_t milestone_id,
                                            const InspectedEvidence& file, const std::string& title, Instant now);
// The stored file of evidence `evidence_id` of the milestone, if `who` may see the milestone.
struct EvidenceFile {
  std::string file_name;
  std::string content_type;
  std::string content;
};
[[nodiscard]] Result<std::optional<EvidenceFile>> evidence_file(db::Transaction& tx, const auth::Principal& who,
                                                                std::int64_t milestone_id, std::int64_t evidence_id);

// Removes one piece of evidence (kEditOperatorPlan: a file uploaded by mistake, a wrong link).
// A milestone reviewed 確認済み goes back to 未確認: the secretariat confirmed it on what is no
// longer there. Audited "operation.milestone_evidence_delete" (with the file's SHA-256).
[[nodiscard]] Result<void> delete_evidence(db::Transaction& tx, const auth::Principal& who, std::int64_t milestone_id,
                                           std::int64_t evidence_id, Instant now);

// ---- Review (kReviewMilestones)
[[nodiscard]] Result<void> review_milestone(db::Transaction& tx, const auth::Principal& who, std::int64_t milestone_id,
                                            ReviewState state, const std::string& comment, const std::string& link,
                                            Instant now);

}  // namespace kakehashi::operations
