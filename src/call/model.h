// The public call's objects (R2.2–R2.7) as plain structs: calls with their settings, criteria,
// guideline documents and publicity record; applications and attachments; conflict
// declarations, assignments and reviews; the committee's decision. No SQL and no rules here:
// the store (store.h, private) reads and writes them, the service (service.h) decides.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// A problem with what a person typed, tied to the form field it concerns: the field's name in
// the screens' forms ("title", "contact_email", "requested_kanto" …), "" for the form as a whole.
struct FieldProblem {
  std::string field;
  std::string message;
  bool operator==(const FieldProblem&) const = default;
};
std::vector<std::string> messages(const std::vector<FieldProblem>& problems);

// ---------------------------------------------------------------------------------------------
// Calls
enum class PeerReviews { kNever, kAfterOwn };  // whether a reviewer sees others' reviews
enum class Phase { kDraft, kUpcoming, kOpen, kClosed };
// kReturned: METI gave the recorded decision back with a comment; the secretariat records it
// again (it counts as undecided for the order of the steps, but the call stays locked).
enum class DecisionState { kNone, kRecorded, kApproved, kPublished, kReturned };

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
  // Assignment balances the loads first (within one), then matches expertise (else the reverse).
  bool balance_loads = false;
  std::vector<std::string> blocks;  // block ids, in geo order
  // When reviews are due (after the closing); reviewers are reminded two days before.
  std::optional<Instant> review_deadline;
};

struct Call : CallSettings {
  std::int64_t id = 0;
  bool published = false;
  DecisionState decision = DecisionState::kNone;
  std::optional<std::int64_t> decision_recorded_by;  // the user who recorded the decision
  std::optional<std::string> decision_recorded_at;
  std::optional<std::int64_t> approved_by;
  std::optional<std::string> review_reminded_at;
  std::optional<std::string> returned_at;  // METI's return of the decision (kReturned)
  std::optional<std::int64_t> returned_by;
  std::optional<std::string> return_comment;
  std::optional<std::string> approved_at;
  std::optional<std::string> results_published_at;

  Phase phase(Instant now) const;
  // Criteria and the award rules freeze once the call has opened.
  bool frozen(Instant now) const { return published && now >= opens_at; }
};

std::string_view phase_label(Phase phase);
std::string_view decision_label(DecisionState state);

struct Criterion {
  std::int64_t id = 0;
  std::string name;
  std::string description;
  int weight = 1;
  std::vector<std::string> descriptors;  // descriptors[i] describes level i + 1
  int levels() const { return int(descriptors.size()); }
};
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
struct StoredFile {
  std::string file_name;
  std::string content_type;
  std::string bytes;
};

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
  // The amount requested for `block`, or nullopt when the application is not for that block.
  std::optional<std::int64_t> requested_for(std::string_view block) const;
};

struct ApplicationSummary {
  std::int64_t id = 0;
  std::string organisation_name;
  std::int64_t organisation_id = 0;
  bool submitted = false;
  std::optional<std::string> receipt_number;
  std::optional<std::string> submitted_at;
  std::vector<BlockRequest> blocks;
  std::vector<std::string> topics;
  std::string updated_at;
};

// How many applications a call has, and how many of them are submitted.
struct ApplicationCounts {
  std::int64_t total = 0;
  std::int64_t submitted = 0;
};

inline constexpr std::int64_t kAttachmentLimit = 10 * 1024 * 1024;  // 10 MiB per PDF
inline constexpr int kAttachmentsPerApplication = 10;
// What one organisation may store as attachments across all its applications (issue 13: one
// account must not fill the disk).
inline constexpr std::int64_t kOrganisationStorageQuota = 200 * 1024 * 1024;  // 200 MiB
// An applicant's PDF after inspection (service: inspect_attachment): the original for the
// secretariat and the applicant, the disarmed copy for everyone else (reviewers, bureaus), and
// what was found and removed, by code and count (for the audit entry; no content).
struct InspectedAttachment {
  std::string file_name;
  std::string sha256;
  std::string original;
  std::string disarmed;
  std::map<std::string, int> findings;  // inspector finding code -> count
  std::map<std::string, int> removed;   // disarm kind ("javascript", "embedded_file") -> count
};
// Which stored copy of an attachment a reader gets (access.h: attachment_copy).
enum class AttachmentCopy { kOriginal, kDisarmed };

struct Attachment {
  std::int64_t id = 0;
  std::string file_name;
  std::int64_t size = 0;
  std::string sha256;
  std::string uploaded_at;
};

// ---------------------------------------------------------------------------------------------
// Review
struct ReviewerInfo {
  std::int64_t id = 0;
  std::string name;
  std::vector<std::string> expertise;
};

struct Declaration {
  std::int64_t reviewer_id = 0;
  std::int64_t organisation_id = 0;
  bool conflict = false;
  std::string note;
};

struct AssignedPair {
  std::int64_t application_id = 0;
  std::int64_t reviewer_id = 0;
  bool locked = false;
};

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

// A reviewer who has not declared (conflict or none) on every submitted application of a call:
// not assignable to it until they have.
struct UndeclaredReviewer {
  std::int64_t reviewer_id = 0;
  std::string name;
  int missing = 0;  // applications without a declaration
};

struct ReviewerProgress {
  std::int64_t reviewer_id = 0;
  std::string name;
  int assigned = 0;
  int submitted = 0;
};

// ---------------------------------------------------------------------------------------------
// Decision
struct DecisionLine {
  std::string block;
  std::int64_t application_id = 0;  // 0: no award in this block (該当なし), amount 0
  std::int64_t amount = 0;
  // The selection solver's proposal for the block. Set by the service when the decision is
  // recorded (recomputed from the reviews); whatever a caller puts here is ignored.
  std::optional<std::int64_t> proposed_application_id;
  std::string rationale;
  bool differs_from_proposal() const { return proposed_application_id.value_or(0) != application_id; }
};

// Which score the ranking and the solver use: the mean of the reviewers' totals, or the
// per-reviewer normalised score.
enum class ScoreBasis { kMean, kNormalised };

}  // namespace kakehashi::call
