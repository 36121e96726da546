#include "operations/model.h"

#include <algorithm>
#include <array>

#include "base/named.h"

namespace kakehashi::operations {
namespace {

using named::from_id;
using named::id_of;
using named::label_of;
using named::Named;

constexpr std::array<Named<MilestoneStatus>, 5> kMilestoneStatuses{{
    {MilestoneStatus::kNotStarted, "not_started", "未着手"},
    {MilestoneStatus::kInProgress, "in_progress", "進行中"},
    {MilestoneStatus::kDone, "done", "完了"},
    {MilestoneStatus::kDelayed, "delayed", "遅延"},
    {MilestoneStatus::kCancelled, "cancelled", "中止"},
}};

constexpr std::array<Named<ReviewState>, 3> kReviewStates{{
    {ReviewState::kNone, "none", "未確認"},
    {ReviewState::kAccepted, "accepted", "確認済み"},
    {ReviewState::kNeedsWork, "needs_work", "要対応"},
}};

constexpr std::array<Named<FlagKind>, 5> kFlagKinds{{
    {FlagKind::kMilestoneOverdue, "milestone_overdue", "期限超過"},
    {FlagKind::kNoActivity, "no_activity", "活動なし"},
    {FlagKind::kProjectsBehind, "projects_behind", "プロジェクト数の遅れ"},
    {FlagKind::kBudgetAhead, "budget_ahead", "予算執行の先行"},
    {FlagKind::kBudgetBehind, "budget_behind", "予算執行の遅れ"},
}};

constexpr std::array<Named<Category>, 3> kCategories{{
    {Category::kHito, "hito", "ヒト"},
    {Category::kMono, "mono", "モノ"},
    {Category::kKane, "kane", "カネ"},
}};

constexpr std::array<Named<Continuity>, 3> kContinuities{{
    {Continuity::kOneOff, "one_off", "単発"},
    {Continuity::kContinuing, "continuing", "継続"},
    {Continuity::kWideArea, "wide_area", "広域"},
}};

constexpr std::array<Named<PartyKind>, 3> kPartyKinds{{
    {PartyKind::kCompany, "company", "企業"},
    {PartyKind::kMunicipality, "municipality", "自治体・教育委員会"},
    {PartyKind::kSchool, "school", "学校"},
}};

constexpr std::array<Named<SupportKind>, 4> kSupportKinds{{
    {SupportKind::kVisit, "visit", "訪問"},
    {SupportKind::kOnline, "online", "オンライン"},
    {SupportKind::kPhone, "phone", "電話"},
    {SupportKind::kMail, "mail", "メール"},
}};

constexpr std::array<Named<StartupStage>, 3> kStartupStages{{
    {StartupStage::kSeed, "seed", "シード"},
    {StartupStage::kEarly, "early", "アーリー"},
    {StartupStage::kNewToEducation, "new_to_education", "教育分野への新規参入"},
}};

constexpr std::array<Named<ExpenseCategory>, 4> kExpenseCategories{{
    {ExpenseCategory::kVenue, "venue", "会場費"},
    {ExpenseCategory::kSpeakers, "speakers", "講師招へい・旅費"},
    {ExpenseCategory::kPublicity, "publicity", "広報費"},
    {ExpenseCategory::kOther, "other", "その他"},
}};

// The subtypes the specification (3(2)) lists under ヒト・モノ・カネ.
constexpr Subtype kSubtypes[] = {
    {Category::kHito, "expert_it", "専門人材の派遣（IT）"},
    {Category::kHito, "expert_programming", "専門人材の派遣（プログラミング）"},
    {Category::kHito, "expert_english", "専門人材の派遣（英語）"},
    {Category::kHito, "expert_finance", "専門人材の派遣（金融）"},
    {Category::kHito, "expert_other", "専門人材の派遣（その他）"},
    {Category::kHito, "secondment", "相互出向"},
    {Category::kHito, "internship", "インターンシップ"},
    {Category::kHito, "practitioner_teacher", "実務家教員・博士人材の採用"},
    {Category::kMono, "joint_class", "授業・プログラムの共同開発"},
    {Category::kMono, "curriculum_reform", "カリキュラム・教員組織の改革"},
    {Category::kMono, "specialised_high_school", "専門高校の改革"},
    {Category::kMono, "general_high_school", "普通科高校の改革"},
    {Category::kMono, "shared_facilities", "物品・施設の共同利用（空き教室等）"},
    {Category::kKane, "gcf", "ガバメントクラウドファンディング（GCF）"},
    {Category::kKane, "furusato_individual", "ふるさと納税（個人版）"},
    {Category::kKane, "furusato_company", "ふるさと納税（企業版）"},
    {Category::kKane, "fund_donation", "基金・寄附"},
    {Category::kKane, "social_impact_bond", "ソーシャル・インパクト・ボンド"},
    {Category::kKane, "naming_rights", "ネーミングライツ"},
    {Category::kKane, "kane_other", "その他（カネ）"},
};

// R3.2's nine school types.
constexpr SchoolType kSchoolTypes[] = {
    {"elementary", "小学校"},
    {"junior_high", "中学校"},
    {"compulsory", "義務教育学校"},
    {"high", "高等学校"},
    {"secondary", "中等教育学校"},
    {"special_needs", "特別支援学校"},
    {"university", "大学"},
    {"technical_college", "高等専門学校"},
    {"vocational", "専修学校"},
};

}  // namespace

std::string_view to_string(MilestoneStatus status) { return id_of(kMilestoneStatuses, status); }
std::optional<MilestoneStatus> milestone_status_from(std::string_view text) { return from_id(kMilestoneStatuses, text); }
std::string_view milestone_status_label(MilestoneStatus status) { return label_of(kMilestoneStatuses, status); }

std::string_view to_string(ReviewState state) { return id_of(kReviewStates, state); }
std::optional<ReviewState> review_state_from(std::string_view text) { return from_id(kReviewStates, text); }
std::string_view review_state_label(ReviewState state) { return label_of(kReviewStates, state); }

std::string_view to_string(FlagKind kind) { return id_of(kFlagKinds, kind); }
std::string_view flag_kind_label(FlagKind kind) { return label_of(kFlagKinds, kind); }

std::string_view to_string(Category category) { return id_of(kCategories, category); }
std::optional<Category> category_from(std::string_view text) { return from_id(kCategories, text); }
std::string_view category_label(Category category) { return label_of(kCategories, category); }

std::span<const Subtype> subtypes() { return kSubtypes; }
const Subtype* find_subtype(std::string_view id) {
  auto it = std::ranges::find(kSubtypes, id, &Subtype::id);
  return it == std::end(kSubtypes) ? nullptr : &*it;
}

std::string_view to_string(Continuity continuity) { return id_of(kContinuities, continuity); }
std::optional<Continuity> continuity_from(std::string_view text) { return from_id(kContinuities, text); }
std::string_view continuity_label(Continuity continuity) { return label_of(kContinuities, continuity); }

std::span<const SchoolType> school_types() { return kSchoolTypes; }
const SchoolType* find_school_type(std::string_view id) {
  auto it = std::ranges::find(kSchoolTypes, id, &SchoolType::id);
  return it == std::end(kSchoolTypes) ? nullptr : &*it;
}

std::string_view to_string(PartyKind kind) { return id_of(kPartyKinds, kind); }
std::optional<PartyKind> party_kind_from(std::string_view text) { return from_id(kPartyKinds, text); }
std::string_view party_kind_label(PartyKind kind) { return label_of(kPartyKinds, kind); }

std::string_view to_string(SupportKind kind) { return id_of(kSupportKinds, kind); }
std::optional<SupportKind> support_kind_from(std::string_view text) { return from_id(kSupportKinds, text); }
std::string_view support_kind_label(SupportKind kind) { return label_of(kSupportKinds, kind); }

std::string_view to_string(StartupStage stage) { return id_of(kStartupStages, stage); }
std::optional<StartupStage> startup_stage_from(std::string_view text) { return from_id(kStartupStages, text); }
std::string_view startup_stage_label(StartupStage stage) { return label_of(kStartupStages, stage); }

std::string_view to_string(ExpenseCategory category) { return id_of(kExpenseCategories, category); }
std::optional<ExpenseCategory> expense_category_from(std::string_view text) { return from_id(kExpenseCategories, text); }
std::string_view expense_category_label(ExpenseCategory category) { return label_of(kExpenseCategories, category); }

}  // namespace kakehashi::operations
