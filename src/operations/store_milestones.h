// operations' SQL for milestones and their evidence (private to the module).
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "db/database.h"
#include "operations/model.h"

namespace kakehashi::operations::store {

[[nodiscard]] Result<std::int64_t> insert_milestone(db::Transaction& tx, const Milestone& m, Instant now);
// Title, description, due date, owner, status, completed_on and the review fields.
[[nodiscard]] Result<void> update_milestone(db::Transaction& tx, const Milestone& m, Instant now);
// Only the review fields: a review is the secretariat's activity, not the operator's, so it
// leaves updated_at (which the 活動なし flag reads) as it is.
[[nodiscard]] Result<void> set_review(db::Transaction& tx, const Milestone& m);
[[nodiscard]] Result<std::optional<Milestone>> find_milestone(db::Transaction& tx, std::int64_t id);
// By due date, then id.
[[nodiscard]] Result<std::vector<Milestone>> milestones_of(db::Transaction& tx, std::int64_t operator_id);
// Every milestone of the operators of the call, by due date.
[[nodiscard]] Result<std::vector<Milestone>> milestones_of_call(db::Transaction& tx, std::int64_t call_id);
// milestone id -> number of pieces of evidence, for the operators of the call.
[[nodiscard]] Result<std::map<std::int64_t, int>> evidence_counts(db::Transaction& tx, std::int64_t call_id);

[[nodiscard]] Result<std::int64_t> insert_evidence(db::Transaction& tx, const Evidence& e, const std::string* content);
[[nodiscard]] Result<std::vector<Evidence>> evidence_of(db::Transaction& tx, std::int64_t milestone_id);
// True when the evidence existed on that milestone.
[[nodiscard]] Result<bool> delete_evidence(db::Transaction& tx, std::int64_t milestone_id, std::int64_t evidence_id);
// File name, content type and bytes of a file evidence of the milestone.
struct StoredEvidence {
  std::string file_name;
  std::string content_type;
  std::string content;
};
[[nodiscard]] Result<std::optional<StoredEvidence>> evidence_content(db::Transaction& tx, std::int64_t milestone_id,
                                                                     std::int64_t evidence_id);

}  // namespace kakehashi::operations::store
