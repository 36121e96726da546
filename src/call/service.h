// The public call's rules (R2.2–R2.7): the only API the web screens and the CLI use. Every
// function validates (Japanese messages), enforces the business rules whoever calls it (phases
// and deadlines, frozen criteria, locked reviews, the decision's order and separation of
// duties, award amounts, storage quotas) and audits every change in the caller's transaction.
// Per-object read access is in call/access.h; the SQL is in the module's private store.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "base/result.h"
#include "call/engine/results.h"
#include "call/engine/selection.h"
#include "call/model.h"
#include "db/database.h"
#include "inspect/isolate.h"

namespace kakehashi::call {

// ---------------------------------------------------------------------------------------------
// Calls

// Japanese messages for every problem of the settings (empty when valid).
std::vector<std::string> validate(const CallSettings& settings);
// The same, each tied to the settings form's field (title, opens_at, closes_at, award_min …).
std::vector<FieldProblem> settings_problems(const CallSettings& settings);

[[nodiscard]] Result<std::int64_t> create_call(db::Transaction& tx, const CallSettings& settings,
                                               const audit::Actor& actor, Instant now);
// Before opening everything may change; once open, only the summary, a later closing instant
// and the review settings (k, load, peer visibility, hidden fields). Once the committee's
// decision is recorded the deadline stays as it is.
[[nodiscard]] Result<void> update_call(db::Transaction& tx, std::int64_t call_id, const CallSettings& settings,
                                       const audit::Actor& actor, Instant now);
[[nodiscard]] Result<std::optional<Call>> find_call(db::Transaction& tx, std::int64_t call_id);
[[nodiscard]] Result<std::vector<Call>> list_calls(db::Transaction& tx, bool published_only);
// Publishes the call; it needs at least one block and one criterion.
[[nodiscard]] Result<void> publish_call(db::Transaction& tx, std::int64_t call_id, const audit::Actor& actor,
                                        Instant now);
// Applications and submitted applications per call id (calls without applications are absent).
[[nodiscard]] Result<std::map<std::int64_t, ApplicationCounts>> application_counts(db::Transaction& tx);
// The calls reviewers work on: published, with at least one submitted application.
[[nodiscard]] Result<std::vector<Call>> review_calls(db::Transaction& tx);

[[nodiscard]] Result<std::vector<Criterion>> criteria(db::Transaction& tx, std::int64_t call_id);
// Every problem of a criterion as typed (name, weight, level_<n>), in form order.
std::vector<FieldProblem> criterion_problems(const Criterion& criterion);
// Refused once the call is frozen.
[[nodiscard]] Result<std::int64_t> add_criterion(db::Transaction& tx, std::int64_t call_id, const Criterion& criterion,
                                                 const audit::Actor& actor, Instant now);
[[nodiscard]] Result<void> delete_criterion(db::Transaction& tx, std::int64_t call_id, std::int64_t criterion_id,
                                            const audit::Actor& actor, Instant now);

// Adds a new version of the document titled `title`.
[[nodiscard]] Result<std::int64_t> add_document(db::Transaction& tx, std::int64_t call_id, const std::string& title,
                                                const std::string& file_name, const std::string& content_type,
                                                const std::string& sha256, const std::string& bytes,
                                                const audit::Actor& actor, Instant now);
// Every version, newest first within a title.
[[nodiscard]] Result<std::vector<Document>> documents(db::Transaction& tx, std::int64_t call_id);
[[nodiscard]] Result<std::optional<StoredFile>> document_file(db::Transaction& tx, std::int64_t call_id,
                                                              std::int64_t document_id);

[[nodiscard]] Result<std::vector<Publicity>> publicity(db::Transaction& tx, std::int64_t call_id);
// Validates (date, channel, description, an http(s) URL, reach ≥ 0) and stores an entry, audited.
[[nodiscard]] Result<std::int64_t> add_publicity(db::Transaction& tx, std::int64_t call_id, const Publicity& entry,
                                                 const audit::Actor& actor, Instant now);
[[nodiscard]] Result<void> delete_publicity(db::Transaction& tx, std::int64_t call_id, std::int64_t entry_id,
                                            const audit::Actor& actor, Instant now);

// ---------------------------------------------------------------------------------------------
// Applications

// The organisation's application to the call, created as an empty draft when there is none.
// Refused when the call is not open.
[[nodiscard]] Result<std::int64_t> start_application(db::Transaction& tx, const Call& call,
                                                     std::int64_t organisation_id, const audit::Actor& actor,
                                                     Instant now);
[[nodiscard]] Result<std::optional<Application>> find_application(db::Transaction& tx, std::int64_t application_id);
[[nodiscard]] Result<std::optional<std::int64_t>> application_of(db::Transaction& tx, std::int64_t call_id,
                                                                 std::int64_t organisation_id);
// Field problems that stop even a draft from saving (unknown block, amount out of range, too long).
std::vector<std::string> validate_draft(const ApplicationForm& form, const Call& call);
// The same, each tied to the application form's field (contact_email, requested_<block>, topics …).
std::vector<FieldProblem> draft_problems(const ApplicationForm& form, const Call& call);
// What a draft save keeps of `typed` (issue 16: nothing typed is lost): every field without a
// draft problem, and the `stored` value of each field with one (a block whose amount is wrong
// stays requested with its stored amount; blocks not in the call and unknown topics are
// dropped). The result passes validate_draft.
ApplicationForm valid_part(const ApplicationForm& typed, const ApplicationForm& stored, const Call& call);
// Everything missing for submission, in form order (Japanese).
std::vector<std::string> submission_problems(const ApplicationForm& form, const Call& call, std::int64_t attachments,
                                             Instant now);
// The same, each tied to its field ("" for the deadline).
std::vector<FieldProblem> submission_field_problems(const ApplicationForm& form, const Call& call,
                                                    std::int64_t attachments, Instant now);
// Saves a draft; refused once submitted (unless reopened), after the deadline, and once the
// committee's decision on the call is recorded. `call` is the application's call; its state
// is read again from the database.
[[nodiscard]] Result<void> save_application(db::Transaction& tx, std::int64_t application_id,
                                            const ApplicationForm& form, const Call& call, const audit::Actor& actor,
                                            Instant now);
// Submits: checks submission_problems, assigns the receipt number ("KK<call 2 digits>-<seq 4>").
// Refused once the committee's decision on the call is recorded.
[[nodiscard]] Result<std::string> submit_application(db::Transaction& tx, std::int64_t application_id,
                                                     const Call& call, const audit::Actor& actor, Instant now);
// Gives a submitted application back to its operator as a draft; the reason is kept and audited,
// and the organisation's users are notified. Refused once a review of it is submitted or the
// committee's decision on the call is recorded.
[[nodiscard]] Result<void> reopen_application(db::Transaction& tx, std::int64_t application_id,
                                              const std::string& reason, const audit::Actor& actor, Instant now);
// Applications of a call; `submitted_only` for review and selection. A fixed number of
// statements whatever the number of applications.
[[nodiscard]] Result<std::vector<ApplicationSummary>> list_applications(db::Transaction& tx, std::int64_t call_id,
                                                                        bool submitted_only);

// Inspects the uploaded PDF at `path` in a child process (inspect::check_upload for review) and
// makes its disarmed copy (inspect::disarm_file) (R8.4, issue 13 item 7). Heavy: call it outside
// any transaction, under a WorkKind::kInspection slot. Refused (invalid) with the verdict's
// Japanese summary when the file is kept back (a bomb, a password, unreadable, not a PDF) and
// when it is over kAttachmentLimit (checked first, without inspecting).
[[nodiscard]] Result<InspectedAttachment> inspect_attachment(const std::filesystem::path& path, std::string file_name,
                                                             std::string sha256,
                                                             const inspect::IsolationLimits& limits = {});
// Adds an inspected PDF to a draft: at most kAttachmentLimit bytes, kAttachmentsPerApplication
// files, and kOrganisationStorageQuota bytes (originals) across all the organisation's
// applications. The audit entry carries the inspection's codes and counts.
[[nodiscard]] Result<std::int64_t> add_attachment(db::Transaction& tx, std::int64_t application_id,
                                                  const InspectedAttachment& file, const audit::Actor& actor,
                                                  Instant now);
[[nodiscard]] Result<void> delete_attachment(db::Transaction& tx, std::int64_t application_id,
                                             std::int64_t attachment_id, const audit::Actor& actor, Instant now);
[[nodiscard]] Result<std::vector<Attachment>> attachments(db::Transaction& tx, std::int64_t application_id);
[[nodiscard]] Result<std::int64_t> attachment_count(db::Transaction& tx, std::int64_t application_id);
// The stored copy `copy` of an attachment; absent when there is no such attachment, or when the
// disarmed copy is asked for and the file was stored before attachments were disarmed.
[[nodiscard]] Result<std::optional<StoredFile>> attachment_file(db::Transaction& tx, std::int64_t application_id,
                                                                std::int64_t attachment_id, AttachmentCopy copy);

// ---------------------------------------------------------------------------------------------
// Review

// The active reviewers with their expertise, by id.
[[nodiscard]] Result<std::vector<ReviewerInfo>> reviewers(db::Transaction& tx);
[[nodiscard]] Result<void> set_expertise(db::Transaction& tx, std::int64_t reviewer_id,
                                         const std::vector<std::string>& topics, const audit::Actor& actor,
                                         Instant now);

[[nodiscard]] Result<std::vector<Declaration>> declarations(db::Transaction& tx, std::int64_t call_id);
// Declares (or clears) a conflict; declaring one removes an existing assignment to that
// organisation's application unless the reviewer already submitted the review (then refused).
[[nodiscard]] Result<void> declare(db::Transaction& tx, std::int64_t call_id, const Declaration& declaration,
                                   const audit::Actor& actor, Instant now);

[[nodiscard]] Result<std::vector<AssignedPair>> assignments(db::Transaction& tx, std::int64_t call_id);
// The active reviewers who have not declared (conflict or none) on every submitted application
// of the call, in the order of reviewers(): they are not assignable to it (automatically or by
// hand) until they have.
[[nodiscard]] Result<std::vector<UndeclaredReviewer>> undeclared_reviewers(db::Transaction& tx, std::int64_t call_id);
// Re-optimises the whole call: locked pairs stay, every other pair is replaced by the exact
// min-cost assignment among the reviewers who declared on every application (balanced loads
// first when the call's balance_loads is set). Returns its cost; on infeasibility the engine's
// Japanese advice, with the reviewers left out for not having declared.
// Assignments (automatic or by hand) and reviews (save, submit) are refused (conflict) once the
// committee's decision is recorded: the decision rests on the reviews as they were.
[[nodiscard]] Result<int> auto_assign(db::Transaction& tx, const Call& call, const audit::Actor& actor, Instant now);
// Hand adjustments: a new pair is locked; conflicts and submitted reviews are protected.
[[nodiscard]] Result<void> assign(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id,
                                  bool locked, const audit::Actor& actor, Instant now);
[[nodiscard]] Result<void> unassign(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id,
                                    const audit::Actor& actor, Instant now);
[[nodiscard]] Result<bool> is_assigned(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id);
// True when the reviewer declared a conflict with the application's organisation.
[[nodiscard]] Result<bool> in_conflict(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id);

[[nodiscard]] Result<std::optional<Review>> find_review(db::Transaction& tx, std::int64_t application_id,
                                                        std::int64_t reviewer_id);
[[nodiscard]] Result<std::vector<Review>> reviews_of(db::Transaction& tx, std::int64_t application_id);
// Every review (draft or submitted) of the call's applications, by application then reviewer.
[[nodiscard]] Result<std::vector<Review>> reviews_of_call(db::Transaction& tx, std::int64_t call_id);
// Saves scores as a draft; refused once submitted or decided. Levels must lie within each criterion's scale.
[[nodiscard]] Result<void> save_review(db::Transaction& tx, const Call& call, std::int64_t application_id,
                                       std::int64_t reviewer_id, const std::map<std::int64_t, Score>& scores,
                                       const std::string& comment, const audit::Actor& actor, Instant now);
// Submits and locks the review; every criterion must be scored.
[[nodiscard]] Result<void> submit_review(db::Transaction& tx, const Call& call, std::int64_t application_id,
                                         std::int64_t reviewer_id, const audit::Actor& actor, Instant now);

[[nodiscard]] Result<std::vector<ReviewerProgress>> progress(db::Transaction& tx, std::int64_t call_id);
// The reminder before each call's review deadline (a periodic task): for every published call
// whose review deadline is less than two days away and not yet passed, notifies each reviewer
// with unsubmitted reviews, once per call (a second run sends nothing; a call without any
// assignment yet is left for a later run). Returns how many
// reviewers were reminded.
[[nodiscard]] Result<int> remind_before_review_deadlines(db::Transaction& tx, Instant now);
// Notifies every reviewer with unsubmitted reviews; returns how many were reminded.
[[nodiscard]] Result<int> remind_reviewers(db::Transaction& tx, const Call& call, const audit::Actor& actor,
                                           Instant now);

// ---------------------------------------------------------------------------------------------
// Results and decision

struct ReviewerTotal {
  std::string reviewer;  // name
  double total = 0;
};

// The call's results as the committee sees them: weighted totals of the submitted reviews,
// means and normalised scores, leader changes, and the selection solver's proposal on `basis`.
struct Results {
  ScoreBasis basis = ScoreBasis::kMean;
  std::vector<Criterion> criteria;
  std::vector<ApplicationSummary> applications;                 // submitted
  std::vector<Review> reviews;                                  // submitted, by application then reviewer
  std::map<std::int64_t, std::vector<ReviewerTotal>> totals;    // per application
  std::map<std::int64_t, engine::ApplicationResult> scored;     // applications with a review
  engine::ResultsTable table;
  std::vector<engine::LeaderChange> changes;
  std::map<std::string, std::string> reviewer_names;            // engine id -> name
  int review_count = 0;
  std::vector<std::string> without_candidates;  // blocks with no eligible application: left to the committee
  Result<engine::Selection> proposal = fail(Error::invalid(""));

  double score(std::int64_t application_id) const;  // on `basis`; 0 when unreviewed
  const ApplicationSummary* application(std::int64_t application_id) const;
  std::string label(std::int64_t application_id) const;  // "団体名（受付番号）"
  std::optional<std::int64_t> proposed_for(const std::string& block) const;
};
[[nodiscard]] Result<Results> results(db::Transaction& tx, const Call& call, ScoreBasis basis);

[[nodiscard]] Result<std::vector<DecisionLine>> decision(db::Transaction& tx, std::int64_t call_id);
// Records the committee's decision (replacing an unapproved one) once the call has closed: one
// line per block of the call, either a submitted application for that block with an amount no
// larger than it requested for the block and within the award range, or no award (該当なし);
// total within the cap; a rationale per block. The solver's proposal beside each line is
// recomputed here on `basis` (never taken from the caller).
// Every problem of a decision as typed, tied to its field (application_<block>,
// amount_<block>, rationale_<block>; "" for the total), in block order.
[[nodiscard]] Result<std::vector<FieldProblem>> decision_problems(db::Transaction& tx, const Call& call,
                                                                  const std::vector<DecisionLine>& lines);
[[nodiscard]] Result<void> record_decision(db::Transaction& tx, const Call& call,
                                           const std::vector<DecisionLine>& lines, const audit::Actor& actor,
                                           Instant now, ScoreBasis basis = ScoreBasis::kMean);
// METI's approval of the recorded decision, by someone other than who recorded it.
[[nodiscard]] Result<void> approve_decision(db::Transaction& tx, const Call& call, const audit::Actor& actor,
                                            Instant now);
// METI gives the recorded decision back to the secretariat with a comment (required); the
// call's decision becomes kReturned until it is recorded again. Audited; the secretariat is
// notified with the comment.
[[nodiscard]] Result<void> return_decision(db::Transaction& tx, const Call& call, const std::string& comment,
                                           const audit::Actor& actor, Instant now);
// Publishes approved results and notifies every applicant organisation's users and the bureaus.
[[nodiscard]] Result<int> publish_results(db::Transaction& tx, const Call& call, const audit::Actor& actor,
                                          Instant now);

}  // namespace kakehashi::call
