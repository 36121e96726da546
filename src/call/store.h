// The call's storage: the SQL on the call's own tables (migrations/) and nothing else. No
// validation, no permissions, no audit: the service (service.h) decides and then calls these.
// Private to the call module (store.cmake); unit tests reach it with INTERNALS kk_call.
// Names of people and organisations are not here (they belong to auth): the fields
// organisation_name, reviewer_name and ReviewerProgress::name come back empty and the service
// fills them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "call/model.h"
#include "db/database.h"

namespace kakehashi::call::store {

// ---- calls
[[nodiscard]] Result<std::int64_t> insert_call(db::Transaction& tx, const CallSettings& settings,
                                               std::optional<std::int64_t> created_by, Instant now);
[[nodiscard]] Result<void> update_call(db::Transaction& tx, std::int64_t call_id, const CallSettings& settings);
[[nodiscard]] Result<std::optional<Call>> find_call(db::Transaction& tx, std::int64_t call_id);
// Newest first (by opening, then id).
[[nodiscard]] Result<std::vector<Call>> list_calls(db::Transaction& tx, bool published_only);
[[nodiscard]] Result<void> mark_published(db::Transaction& tx, std::int64_t call_id);

[[nodiscard]] Result<std::vector<Criterion>> criteria(db::Transaction& tx, std::int64_t call_id);
// Appends the criterion after the call's others; returns its id.
[[nodiscard]] Result<std::int64_t> insert_criterion(db::Transaction& tx, std::int64_t call_id, const Criterion& criterion);
// False when the call has no such criterion.
[[nodiscard]] Result<bool> delete_criterion(db::Transaction& tx, std::int64_t call_id, std::int64_t criterion_id);

struct StoredDocument {
  std::int64_t id = 0;
  int version = 0;
};
// Stores the next version of the document titled `title`.
[[nodiscard]] Result<StoredDocument> insert_document(db::Transaction& tx, std::int64_t call_id, const std::string& title,
                                                     const std::string& file_name, const std::string& content_type,
                                                     const std::string& sha256, const std::string& bytes,
                                                     std::optional<std::int64_t> uploaded_by, Instant now);
[[nodiscard]] Result<std::vector<Document>> documents(db::Transaction& tx, std::int64_t call_id);
[[nodiscard]] Result<std::optional<StoredFile>> document_file(db::Transaction& tx, std::int64_t call_id,
                                                              std::int64_t document_id);

[[nodiscard]] Result<std::vector<Publicity>> publicity(db::Transaction& tx, std::int64_t call_id);
[[nodiscard]] Result<std::int64_t> insert_publicity(db::Transaction& tx, std::int64_t call_id, const Publicity& entry,
                                                    std::optional<std::int64_t> created_by, Instant now);
[[nodiscard]] Result<bool> delete_publicity(db::Transaction& tx, std::int64_t call_id, std::int64_t entry_id);

// ---- applications
[[nodiscard]] Result<std::optional<std::int64_t>> application_of(db::Transaction& tx, std::int64_t call_id,
                                                                 std::int64_t organisation_id);
[[nodiscard]] Result<std::int64_t> insert_application(db::Transaction& tx, std::int64_t call_id,
                                                      std::int64_t organisation_id,
                                                      std::optional<std::int64_t> created_by, Instant now);
[[nodiscard]] Result<std::optional<Application>> find_application(db::Transaction& tx, std::int64_t application_id);
// Replaces the typed fields and the block requests.
[[nodiscard]] Result<void> write_form(db::Transaction& tx, std::int64_t application_id, const ApplicationForm& form,
                                      Instant now);
// How many applications of the call have a receipt number (the next one is this + 1).
[[nodiscard]] Result<std::int64_t> receipt_count(db::Transaction& tx, std::int64_t call_id);
[[nodiscard]] Result<void> mark_submitted(db::Transaction& tx, std::int64_t application_id, const std::string& receipt,
                                          Instant now);
[[nodiscard]] Result<void> mark_reopened(db::Transaction& tx, std::int64_t application_id, const std::string& reason,
                                         Instant now);
// In receipt order, drafts last. Three statements whatever the number of applications.
[[nodiscard]] Result<std::vector<ApplicationSummary>> list_applications(db::Transaction& tx, std::int64_t call_id,
                                                                        bool submitted_only);
// Per call id (calls without applications are absent).
[[nodiscard]] Result<std::map<std::int64_t, ApplicationCounts>> application_counts(db::Transaction& tx);

// `inspection` is the JSON text of what the inspection found ({"findings":…,"removed":…}).
[[nodiscard]] Result<std::int64_t> insert_attachment(db::Transaction& tx, std::int64_t application_id,
                                                     const InspectedAttachment& file, const std::string& inspection,
                                                     Instant now);
[[nodiscard]] Result<bool> delete_attachment(db::Transaction& tx, std::int64_t application_id,
                                             std::int64_t attachment_id);
[[nodiscard]] Result<std::vector<Attachment>> attachments(db::Transaction& tx, std::int64_t application_id);
[[nodiscard]] Result<std::int64_t> attachment_count(db::Transaction& tx, std::int64_t application_id);
[[nodiscard]] Result<std::optional<StoredFile>> attachment_file(db::Transaction& tx, std::int64_t application_id,
                                                                std::int64_t attachment_id, AttachmentCopy copy);
// Bytes of attachments stored for all the organisation's applications.
[[nodiscard]] Result<std::int64_t> organisation_storage(db::Transaction& tx, std::int64_t organisation_id);

// ---- review
// Topic ids per reviewer (users without expertise are absent).
[[nodiscard]] Result<std::map<std::int64_t, std::vector<std::string>>> expertise(db::Transaction& tx);
[[nodiscard]] Result<void> replace_expertise(db::Transaction& tx, std::int64_t reviewer_id,
                                             const std::vector<std::string>& topics);

[[nodiscard]] Result<std::vector<Declaration>> declarations(db::Transaction& tx, std::int64_t call_id);
[[nodiscard]] Result<void> upsert_declaration(db::Transaction& tx, std::int64_t call_id, const Declaration& declaration,
                                              Instant now);

[[nodiscard]] Result<std::vector<AssignedPair>> assignments(db::Transaction& tx, std::int64_t call_id);
[[nodiscard]] Result<bool> is_assigned(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id);
// True when the reviewer declared a conflict with the application's organisation.
[[nodiscard]] Result<bool> in_conflict(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id);
// Adds the pair, or sets the lock of an existing one.
[[nodiscard]] Result<void> upsert_assignment(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id,
                                             bool locked, Instant now);
// Adds the pair unlocked; an existing pair stays as it is.
[[nodiscard]] Result<void> insert_assignment_if_absent(db::Transaction& tx, std::int64_t application_id,
                                                       std::int64_t reviewer_id, Instant now);
// False when there was no such pair.
[[nodiscard]] Result<bool> delete_assignment(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id);
// Removes the pair's review (with its scores); only a draft when `drafts_only`.
[[nodiscard]] Result<void> delete_review(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id,
                                         bool drafts_only);
[[nodiscard]] Result<bool> review_submitted(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id);
[[nodiscard]] Result<std::int64_t> submitted_review_count(db::Transaction& tx, std::int64_t application_id);
[[nodiscard]] Result<std::optional<Review>> find_review(db::Transaction& tx, std::int64_t application_id,
                                                        std::int64_t reviewer_id);
// By reviewer id.
[[nodiscard]] Result<std::vector<Review>> reviews_of(db::Transaction& tx, std::int64_t application_id);
// Every review of the call's applications, by application then reviewer: two statements.
[[nodiscard]] Result<std::vector<Review>> reviews_of_call(db::Transaction& tx, std::int64_t call_id);
// Creates the draft review or updates its overall comment.
[[nodiscard]] Result<void> upsert_review(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id,
                                         const std::string& comment, Instant now);
// Stores one criterion's score; level 0 removes it.
[[nodiscard]] Result<void> write_score(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id,
                                       std::int64_t criterion_id, const Score& score);
[[nodiscard]] Result<void> mark_review_submitted(db::Transaction& tx, std::int64_t application_id,
                                                 std::int64_t reviewer_id, Instant now);
// Assigned and submitted counts per reviewer of the call, by reviewer id.
[[nodiscard]] Result<std::vector<ReviewerProgress>> progress(db::Transaction& tx, std::int64_t call_id);

// ---- decision
// In block order (geo).
[[nodiscard]] Result<std::vector<DecisionLine>> decision(db::Transaction& tx, std::int64_t call_id);
[[nodiscard]] Result<void> replace_decision(db::Transaction& tx, std::int64_t call_id,
                                            const std::vector<DecisionLine>& lines);
[[nodiscard]] Result<void> mark_decision_recorded(db::Transaction& tx, std::int64_t call_id,
                                                  std::optional<std::int64_t> recorded_by, Instant now);
// METI's return: the state goes back to 'none' with the return's time, person and comment.
[[nodiscard]] Result<void> mark_decision_returned(db::Transaction& tx, std::int64_t call_id,
                                                  std::optional<std::int64_t> returned_by, const std::string& comment,
                                                  Instant now);
// Records that the review-deadline reminder went out (once: a second mark changes nothing).
[[nodiscard]] Result<void> mark_review_reminded(db::Transaction& tx, std::int64_t call_id, Instant now);
[[nodiscard]] Result<void> mark_decision_approved(db::Transaction& tx, std::int64_t call_id,
                                                  std::optional<std::int64_t> approved_by, Instant now);
[[nodiscard]] Result<void> mark_results_published(db::Transaction& tx, std::int64_t call_id, Instant now);

}  // namespace kakehashi::call::store
