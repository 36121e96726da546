// The public call's storage and rules (R2.2–R2.7): calls with criteria and guideline documents,
// applications, conflict declarations, reviewer assignment, reviews, results, the committee's
// decision with METI approval, and in-system notifications. Every change is audited in the
// same transaction. Permission checks on objects live in access.h; this layer enforces the
// business rules (deadlines, frozen criteria, locked reviews) whoever calls it.
#pragma once

#include <array>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.h"
#include "base/result.h"
#include "db/database.h"

namespace kakehashi::call {

using Instant = std::chrono::sys_seconds;

// Topics shared by application themes and reviewer expertise (the assignment prefers a match).
struct Topic {
  std::string_view id;
  std::string_view label;
};
inline constexpr std::array<Topic, 8> kTopics{{
    {"coordination", "産学連携コーディネート"},
    {"matching", "企業と学校のマッチング"},
    {"community", "地域コミュニティ形成"},
    {"pbl", "PBL・探究学習"},
    {"steam", "STEAM教育"},
    {"career", "キャリア教育"},
    {"dx", "DX・デジタル人材育成"},
    {"industry", "地域産業・人材ニーズ"},
}};
std::optional<std::string_view> topic_label(std::string_view id);

// ---------------------------------------------------------------------------------------------
// Calls
enum class PeerReviews { kNever, kAfterOwn };  // whether a reviewer sees others' reviews
enum class Phase { kDraft, kUpcoming, kOpen, kClosed };
enum class DecisionState { kNone, kRecorded, kApproved, kPublished };

struct CallSettings {
  std::string title;
  std::string summary;
  Instant opens_at{};
  Instant closes_at{};
  std::int64_t award_min = 15'000'000;
  std::int64_t award_max = 25'000'000;
  std::int64_t budget_total = 210'000'000;
  std::optional<double> min_total;  // minimum weighted total for selection
  int reviewers_per_application = 3;
  int max_load = 10;
  PeerReviews peer_reviews = PeerReviews::kNever;
  bool hide_personal = true;
  std::vector<std::string> blocks;  // block ids, in geo order
};

struct Call : CallSettings {
  std::int64_t id = 0;
  bool published = false;
  DecisionState decision = DecisionState::kNone;
  std::optional<std::string> approved_at;
  std::optional<std::string> results_published_at;

  Phase phase(Instant now) const;
  // Criteria and the award rules freeze once the call has opened.
  bool frozen(Instant now) const { return published && now >= opens_at; }
};

// Japanese messages for every problem of the settings (empty when valid).
std::vector<std::string> validate(const CallSettings& settings);

[[nodiscard]] Result<std::int64_t> create_call(db::Transaction& tx, const CallSettings& settings,
                                               const audit::Actor& actor, Instant now);
// Before opening everything may change; once open, only the summary, a later closing instant
// and the review settings (k, load, peer visibility, hidden fields).
[[nodiscard]] Result<void> update_call(db::Transaction& tx, std::int64_t call_id, const CallSettings& settings,
                                       const audit::Actor& actor, Instant now);
[[nodiscard]] Result<std::optional<Call>> find_call(db::Transaction& tx, std::int64_t call_id);
[[nodiscard]] Result<std::vector<Call>> list_calls(db::Transaction& tx, bool published_only);
// Publishes the call; it needs at least one block and one criterion.
[[nodiscard]] Result<void> publish_call(db::Transaction& tx, std::int64_t call_id, const audit::Actor& actor,
                                        Instant now);

struct Criterion {
  std::int64_t id = 0;
  std::string name;
  std::string description;
  int weight = 1;
  std::vector<std::string> descriptors;  // descriptors[i] describes level i + 1
  int levels() const { return int(descriptors.size()); }
};
[[nodiscard]] Result<std::vector<Criterion>> criteria(db::Transaction& tx, std::int64_t call_id);
// Refused once the call is frozen.
[[nodiscard]] Result<std::int64_t> add_criterion(db::Transaction& tx, std::int64_t call_id, const Criterion& criterion,
                                                 const audit::Actor& actor, Instant now);
[[nodiscard]] Result<void> delete_criterion(db::Transaction& tx, std::int64_t call_id, std::int64_t criterion_id,
                                            const audit::Actor& actor, Instant now);
// The largest weighted total a review can reach (Σ weight × levels).
double max_total(const std::vector<Criterion>& criteria);

struct Document {
  std::int64_t id = 0;
  std::string title;
  int version = 0;
  std::string file_name;
  std::string content_type;
  std::int64_t size = 0;
  std::string sha256;
  std::string uploaded_at;
};
// Adds a new version of the document titled `title`.
[[nodiscard]] Result<std::int64_t> add_document(db::Transaction& tx, std::int64_t call_id, const std::string& title,
                                                const std::string& file_name, const std::string& content_type,
                                                const std::string& sha256, const std::string& bytes,
                                                const audit::Actor& actor, Instant now);
// Every version, newest first within a title.
[[nodiscard]] Result<std::vector<Document>> documents(db::Transaction& tx, std::int64_t call_id);
struct StoredFile {
  std::string file_name;
  std::string content_type;
  std::string bytes;
};
[[nodiscard]] Result<std::optional<StoredFile>> document_file(db::Transaction& tx, std::int64_t call_id,
                                                              std::int64_t document_id);

// Publicity record (R2.2): where and when the call was made known.
struct PublicityChannel {
  std::string_view id;
  std::string_view label;
};
inline constexpr std::array<PublicityChannel, 7> kPublicityChannels{{
    {"website", "経済産業省・事務局ウェブサイト"},
    {"press", "報道発表"},
    {"mail", "メールマガジン・メール配信"},
    {"sns", "SNS"},
    {"briefing", "公募説明会"},
    {"bureau", "経済産業局・自治体経由の周知"},
    {"other", "その他"},
}};
std::optional<std::string_view> publicity_channel_label(std::string_view id);

struct Publicity {
  std::int64_t id = 0;
  std::string published_on;  // "YYYY-MM-DD", Japan time
  std::string channel;       // a kPublicityChannels id
  std::string description;
  std::string url;           // http(s) only, may be empty
  std::optional<std::int64_t> reach;
};
[[nodiscard]] Result<std::vector<Publicity>> publicity(db::Transaction& tx, std::int64_t call_id);
// Validates (date, channel, description, an http(s) URL, reach ≥ 0) and stores an entry, audited.
[[nodiscard]] Result<std::int64_t> add_publicity(db::Transaction& tx, std::int64_t call_id, const Publicity& entry,
                                                 const audit::Actor& actor, Instant now);
[[nodiscard]] Result<void> delete_publicity(db::Transaction& tx, std::int64_t call_id, std::int64_t entry_id,
                                            const audit::Actor& actor, Instant now);

// ---------------------------------------------------------------------------------------------
// Applications
struct BlockRequest {
  std::string block;
  std::int64_t requested = 0;
};

// What the operator types; saved as a draft at any time.
struct ApplicationForm {
  std::string organisation_profile;
  std::string representative_name, contact_name, contact_email, contact_phone;  // personal fields
  bool qualification_coordination = false, qualification_matching = false, qualification_community = false;
  std::string qualification_note;
  std::string plan_projects, plan_pbl, plan_continuity, plan_self_sufficiency, plan_regional_fit;
  std::vector<std::string> topics;
  std::vector<BlockRequest> blocks;
};

struct Application : ApplicationForm {
  std::int64_t id = 0;
  std::int64_t call_id = 0;
  std::int64_t organisation_id = 0;
  std::string organisation_name;
  bool submitted = false;
  std::optional<std::string> receipt_number;
  std::optional<std::string> submitted_at;
  std::optional<std::string> reopened_reason;
  std::string updated_at;
  std::int64_t requested_total() const;
  bool applies_to(std::string_view block) const;
};

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
// Everything missing for submission, in form order (Japanese).
std::vector<std::string> submission_problems(const ApplicationForm& form, const Call& call, std::int64_t attachments,
                                             Instant now);
// Saves a draft; refused once submitted (unless reopened) or after the deadline.
[[nodiscard]] Result<void> save_application(db::Transaction& tx, std::int64_t application_id,
                                            const ApplicationForm& form, const Call& call, const audit::Actor& actor,
                                            Instant now);
// Submits: checks submission_problems, assigns the receipt number ("KK<call 2 digits>-<seq 4>").
[[nodiscard]] Result<std::string> submit_application(db::Transaction& tx, std::int64_t application_id,
                                                     const Call& call, const audit::Actor& actor, Instant now);
// Gives a submitted application back to its operator as a draft; the reason is kept and audited.
// Refused once a review of it is submitted or the committee's decision on the call is recorded.
[[nodiscard]] Result<void> reopen_application(db::Transaction& tx, std::int64_t application_id,
                                              const std::string& reason, const audit::Actor& actor, Instant now);

struct ApplicationSummary {
  std::int64_t id = 0;
  std::string organisation_name;
  std::int64_t organisation_id = 0;
  bool submitted = false;
  std::optional<std::string> receipt_number;
  std::optional<std::string> submitted_at;
  std::vector<BlockRequest> blocks;
  std::string updated_at;
};
// Applications of a call; `submitted_only` for review and selection.
[[nodiscard]] Result<std::vector<ApplicationSummary>> list_applications(db::Transaction& tx, std::int64_t call_id,
                                                                        bool submitted_only);

inline constexpr std::int64_t kAttachmentLimit = 10 * 1024 * 1024;  // 10 MiB per PDF
inline constexpr int kAttachmentsPerApplication = 10;
struct Attachment {
  std::int64_t id = 0;
  std::string file_name;
  std::int64_t size = 0;
  std::string sha256;
  std::string uploaded_at;
};
[[nodiscard]] Result<std::int64_t> add_attachment(db::Transaction& tx, std::int64_t application_id,
                                                  const std::string& file_name, const std::string& sha256,
                                                  const std::string& bytes, const audit::Actor& actor, Instant now);
[[nodiscard]] Result<void> delete_attachment(db::Transaction& tx, std::int64_t application_id,
                                             std::int64_t attachment_id, const audit::Actor& actor, Instant now);
[[nodiscard]] Result<std::vector<Attachment>> attachments(db::Transaction& tx, std::int64_t application_id);
[[nodiscard]] Result<std::optional<StoredFile>> attachment_file(db::Transaction& tx, std::int64_t application_id,
                                                                std::int64_t attachment_id);

// ---------------------------------------------------------------------------------------------
// Review
struct ReviewerInfo {
  std::int64_t id = 0;
  std::string name;
  std::vector<std::string> expertise;
};
[[nodiscard]] Result<std::vector<ReviewerInfo>> reviewers(db::Transaction& tx);
[[nodiscard]] Result<void> set_expertise(db::Transaction& tx, std::int64_t reviewer_id,
                                         const std::vector<std::string>& topics, const audit::Actor& actor,
                                         Instant now);

struct Declaration {
  std::int64_t reviewer_id = 0;
  std::int64_t organisation_id = 0;
  bool conflict = false;
  std::string note;
};
[[nodiscard]] Result<std::vector<Declaration>> declarations(db::Transaction& tx, std::int64_t call_id);
// Declares (or clears) a conflict; declaring one removes an existing assignment to that
// organisation's application unless the reviewer already submitted the review (then refused).
[[nodiscard]] Result<void> declare(db::Transaction& tx, std::int64_t call_id, const Declaration& declaration,
                                   const audit::Actor& actor, Instant now);

struct AssignedPair {
  std::int64_t application_id = 0;
  std::int64_t reviewer_id = 0;
  bool locked = false;
};
[[nodiscard]] Result<std::vector<AssignedPair>> assignments(db::Transaction& tx, std::int64_t call_id);
// Re-optimises the whole call: locked pairs stay, every other pair is replaced by the exact
// min-cost assignment. Returns its cost; on infeasibility the engine's Japanese advice.
[[nodiscard]] Result<int> auto_assign(db::Transaction& tx, const Call& call, const audit::Actor& actor, Instant now);
// Hand adjustments: a new pair is locked; conflicts and submitted reviews are protected.
[[nodiscard]] Result<void> assign(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id,
                                  bool locked, const audit::Actor& actor, Instant now);
[[nodiscard]] Result<void> unassign(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id,
                                    const audit::Actor& actor, Instant now);
[[nodiscard]] Result<bool> is_assigned(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id);
// True when the reviewer declared a conflict with the application's organisation.
[[nodiscard]] Result<bool> in_conflict(db::Transaction& tx, std::int64_t application_id, std::int64_t reviewer_id);

struct Score {
  int level = 0;  // 0: not yet scored
  std::string comment;
};
struct Review {
  std::int64_t application_id = 0;
  std::int64_t reviewer_id = 0;
  std::string reviewer_name;
  bool submitted = false;
  std::string comment;
  std::map<std::int64_t, Score> scores;  // by criterion id
  std::optional<std::string> submitted_at;
  double total(const std::vector<Criterion>& criteria) const;  // Σ weight × level
};
[[nodiscard]] Result<std::optional<Review>> find_review(db::Transaction& tx, std::int64_t application_id,
                                                        std::int64_t reviewer_id);
[[nodiscard]] Result<std::vector<Review>> reviews_of(db::Transaction& tx, std::int64_t application_id);
// Saves scores as a draft; refused once submitted. Levels must lie within each criterion's scale.
[[nodiscard]] Result<void> save_review(db::Transaction& tx, const Call& call, std::int64_t application_id,
                                       std::int64_t reviewer_id, const std::map<std::int64_t, Score>& scores,
                                       const std::string& comment, const audit::Actor& actor, Instant now);
// Submits and locks the review; every criterion must be scored.
[[nodiscard]] Result<void> submit_review(db::Transaction& tx, const Call& call, std::int64_t application_id,
                                         std::int64_t reviewer_id, const audit::Actor& actor, Instant now);

struct ReviewerProgress {
  std::int64_t reviewer_id = 0;
  std::string name;
  int assigned = 0;
  int submitted = 0;
};
[[nodiscard]] Result<std::vector<ReviewerProgress>> progress(db::Transaction& tx, std::int64_t call_id);
// Notifies every reviewer with unsubmitted reviews; returns how many were reminded.
[[nodiscard]] Result<int> remind_reviewers(db::Transaction& tx, const Call& call, const audit::Actor& actor,
                                           Instant now);

// ---------------------------------------------------------------------------------------------
// Decision
struct DecisionLine {
  std::string block;
  std::int64_t application_id = 0;  // 0: no award in this block (該当なし), amount 0
  std::int64_t amount = 0;
  std::optional<std::int64_t> proposed_application_id;
  std::string rationale;
};
[[nodiscard]] Result<std::vector<DecisionLine>> decision(db::Transaction& tx, std::int64_t call_id);
// Records the committee's decision (replacing an unapproved one): one line per block of the
// call, either a submitted application for that block with an amount within the range, or no
// award (該当なし, e.g. no eligible application); total within the cap; a rationale per block.
[[nodiscard]] Result<void> record_decision(db::Transaction& tx, const Call& call,
                                           const std::vector<DecisionLine>& lines, const audit::Actor& actor,
                                           Instant now);
[[nodiscard]] Result<void> approve_decision(db::Transaction& tx, const Call& call, const audit::Actor& actor,
                                            Instant now);
// Publishes approved results and notifies every applicant organisation's users and the bureaus.
[[nodiscard]] Result<int> publish_results(db::Transaction& tx, const Call& call, const audit::Actor& actor,
                                          Instant now);

// ---------------------------------------------------------------------------------------------
// Notifications
struct Notification {
  std::int64_t id = 0;
  std::string title;
  std::string body;
  std::string link;
  std::string created_at;
  bool read = false;
};
[[nodiscard]] Result<void> notify(db::Transaction& tx, std::int64_t user_id, const std::string& title,
                                  const std::string& body, const std::string& link, Instant now);
[[nodiscard]] Result<std::vector<Notification>> notifications(db::Transaction& tx, std::int64_t user_id, int limit);
[[nodiscard]] Result<void> mark_read(db::Transaction& tx, std::int64_t user_id, Instant now);

std::string_view phase_label(Phase phase);
std::string_view decision_label(DecisionState state);

}  // namespace kakehashi::call
