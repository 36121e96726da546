// The programme year after the award (R1.2, R1.3, R3.1–R3.4, R9.1): plain structs of the
// operations module. No SQL and no rules here: store.h reads and writes them, service.h applies
// the rules (validation, scope per object, audit).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.h"

namespace kakehashi::operations {

using Instant = std::chrono::sys_seconds;

// A validation problem of one form field: `field` is the input's name, `message` Japanese.
// Services validate with validate_…() functions returning all problems at once (so a screen can
// show each beside its field and keep what was typed) and refuse a write with the same messages.
struct FieldError {
  std::string field;
  std::string message;
};

// ---------------------------------------------------------------------------------------------
// Operators
struct OperatorBlock {
  std::string block_id;     // geo block id ("kanto")
  std::int64_t amount = 0;  // yen awarded for this block
};

struct Contact {
  std::int64_t id = 0;
  std::string name;
  std::string title;  // department / title
  std::string email;
  std::string phone;
};

struct Operator {
  std::int64_t id = 0;
  std::int64_t call_id = 0;
  std::int64_t organisation_id = 0;
  std::string name;
  std::int64_t contract_amount = 0;
  Date contract_from;
  Date contract_to;
  std::string final_goal;
  int project_target = 0;
  std::vector<OperatorBlock> blocks;  // in the specification's block order
  std::vector<Contact> contacts;
  std::string created_at;
  std::string updated_at;
};

// What the secretariat may change about an operator (audited).
struct OperatorChanges {
  std::int64_t contract_amount = 0;
  Date contract_from;
  Date contract_to;
  std::string final_goal;
  int project_target = 0;
  std::vector<Contact> contacts;  // replaces the list
};

// ---------------------------------------------------------------------------------------------
// Milestones (R3.1)
enum class MilestoneStatus { kNotStarted, kInProgress, kDone, kDelayed, kCancelled };
std::string_view to_string(MilestoneStatus status);         // "not_started" …
std::optional<MilestoneStatus> milestone_status_from(std::string_view text);
std::string_view milestone_status_label(MilestoneStatus status);  // 未着手 / 進行中 / 完了 / 遅延 / 中止

enum class ReviewState { kNone, kAccepted, kNeedsWork };
std::string_view to_string(ReviewState state);  // "none" / "accepted" / "needs_work"
std::optional<ReviewState> review_state_from(std::string_view text);
std::string_view review_state_label(ReviewState state);  // 未確認 / 確認済み / 要対応

struct Milestone {
  std::int64_t id = 0;
  std::int64_t operator_id = 0;
  std::string title;
  std::string description;
  Date due_on;
  std::optional<std::int64_t> owner_user_id;
  std::string owner_name;
  MilestoneStatus status = MilestoneStatus::kNotStarted;
  std::optional<Date> completed_on;
  ReviewState review = ReviewState::kNone;
  std::string review_comment;
  std::optional<std::int64_t> reviewed_by;
  std::optional<std::string> reviewed_at;
  std::string created_at;
  std::string updated_at;
};

enum class EvidenceKind { kFile, kLink, kNote };

struct Evidence {
  std::int64_t id = 0;
  std::int64_t milestone_id = 0;
  EvidenceKind kind = EvidenceKind::kNote;
  std::string title;
  std::string url;
  std::string note;
  std::optional<std::string> file_name;
  std::optional<std::string> content_type;
  std::optional<std::int64_t> size;
  std::optional<std::string> sha256;
  std::string inspection;  // JSON summary of the inspector's findings at upload
  std::string added_at;
  std::optional<std::int64_t> added_by;
};

// ---------------------------------------------------------------------------------------------
// Red flags, computed from the data (never stored), each with its reason in Japanese.
enum class FlagKind { kMilestoneOverdue, kNoActivity, kProjectsBehind, kBudgetAhead, kBudgetBehind };
std::string_view to_string(FlagKind kind);  // "milestone_overdue" …
std::string_view flag_kind_label(FlagKind kind);  // 期限超過 / 活動なし / …

struct Flag {
  FlagKind kind = FlagKind::kMilestoneOverdue;
  std::int64_t operator_id = 0;
  std::optional<std::int64_t> milestone_id;
  std::string reason;  // Japanese, e.g. "マイルストーン「…」の期限（12月1日）を 2 日過ぎています"
};

// ---------------------------------------------------------------------------------------------
// Projects (R3.2) and sessions
enum class Category { kHito, kMono, kKane };
std::string_view to_string(Category category);  // "hito" / "mono" / "kane"
std::optional<Category> category_from(std::string_view text);
std::string_view category_label(Category category);  // ヒト / モノ / カネ

// The subtypes the specification lists per category (id, label).
struct Subtype {
  Category category;
  std::string_view id;
  std::string_view label;
};
std::span<const Subtype> subtypes();
const Subtype* find_subtype(std::string_view id);

enum class Continuity { kOneOff, kContinuing, kWideArea };
std::string_view to_string(Continuity continuity);  // "one_off" / "continuing" / "wide_area"
std::optional<Continuity> continuity_from(std::string_view text);
std::string_view continuity_label(Continuity continuity);  // 単発 / 継続 / 広域

// The nine school types of R3.2 (id, label).
struct SchoolType {
  std::string_view id;
  std::string_view label;
};
std::span<const SchoolType> school_types();
const SchoolType* find_school_type(std::string_view id);

enum class PartyKind { kCompany, kMunicipality, kSchool };
std::string_view to_string(PartyKind kind);  // "company" / "municipality" / "school"
std::optional<PartyKind> party_kind_from(std::string_view text);
std::string_view party_kind_label(PartyKind kind);  // 企業 / 自治体・教育委員会 / 学校

struct Party {
  std::int64_t id = 0;
  PartyKind kind = PartyKind::kCompany;
  std::string name;
  std::optional<std::string> school_type;      // SchoolType id, schools only
  std::optional<std::string> prefecture_code;  // "01" … "47"
};

struct Session {
  std::int64_t id = 0;
  std::int64_t project_id = 0;
  Date held_on;
  std::string place;
  int pupils = 0;
  int teachers = 0;
  int company_staff = 0;
  int others = 0;
  std::string note;
  std::optional<std::string> source_key;
};

struct Project {
  std::int64_t id = 0;
  std::int64_t operator_id = 0;
  std::string block_id;
  std::string title;
  Category category = Category::kHito;
  std::string subtype;
  Continuity continuity = Continuity::kOneOff;
  std::string description;
  std::string counting_key;
  std::vector<Party> parties;
  std::vector<Session> sessions;  // filled where a screen needs them
  int session_count = 0;
  std::string created_at;
  std::string updated_at;
};

// ---------------------------------------------------------------------------------------------
// Support and mentoring (R3.4)
enum class SupportKind { kVisit, kOnline, kPhone, kMail };
std::string_view to_string(SupportKind kind);  // "visit" / "online" / "phone" / "mail"
std::optional<SupportKind> support_kind_from(std::string_view text);
std::string_view support_kind_label(SupportKind kind);  // 訪問 / オンライン / 電話 / メール

struct SupportLog {
  std::int64_t id = 0;
  std::int64_t operator_id = 0;
  Date held_on;
  SupportKind kind = SupportKind::kVisit;
  std::string topic;
  std::string advice;
  std::string next_step;
  std::optional<Date> next_step_due;
  std::optional<std::int64_t> next_step_owner;
  std::optional<std::string> next_step_done_at;
  std::string created_at;
  std::optional<std::int64_t> created_by;
};

enum class StartupStage { kSeed, kEarly, kNewToEducation };
std::string_view to_string(StartupStage stage);  // "seed" / "early" / "new_to_education"
std::optional<StartupStage> startup_stage_from(std::string_view text);
std::string_view startup_stage_label(StartupStage stage);  // シード / アーリー / 教育分野への新規参入

struct MentoringSession {
  std::int64_t id = 0;
  std::int64_t mentoring_id = 0;
  Date held_on;
  std::string notes;
  std::string next_step;
};

struct Mentoring {
  std::int64_t id = 0;
  std::int64_t operator_id = 0;
  std::string startup_name;
  StartupStage stage = StartupStage::kSeed;
  std::string goals;
  std::optional<std::int64_t> mentor_user_id;
  std::vector<MentoringSession> sessions;
};

// ---------------------------------------------------------------------------------------------
// Budget (R9.1)
enum class ExpenseCategory { kVenue, kSpeakers, kPublicity, kOther };
std::string_view to_string(ExpenseCategory category);  // "venue" / "speakers" / "publicity" / "other"
std::optional<ExpenseCategory> expense_category_from(std::string_view text);
std::string_view expense_category_label(ExpenseCategory category);  // 会場費 / 講師招へい・旅費 / 広報費 / その他

struct Expense {
  std::int64_t id = 0;
  std::int64_t call_id = 0;
  Date spent_on;
  ExpenseCategory category = ExpenseCategory::kOther;
  std::string budget_line;
  std::string description;
  std::int64_t amount = 0;
  std::optional<std::string> receipt_name;
  std::optional<std::string> receipt_type;
  std::optional<std::int64_t> receipt_size;
  std::optional<std::string> receipt_sha256;
  std::string created_at;
};

// ---------------------------------------------------------------------------------------------
// Staff (R1.3)
struct StaffMember {
  std::int64_t id = 0;
  std::string name;
  std::string role;
  int share_percent = 100;
  std::optional<std::int64_t> user_id;
  bool active = true;
};

}  // namespace kakehashi::operations
