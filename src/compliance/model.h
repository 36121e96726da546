// The information-handler roster (様式4) and its change requests (issue 21; R7.1, R7.3, R7.4).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kakehashi::compliance {

using Instant = std::chrono::sys_seconds;

// The rows of 様式4.
enum class Category { kResponsible, kManager, kStaff, kSubcontractor };

struct CategoryInfo {
  Category category;
  std::string_view id;     // stored and posted
  std::string_view label;  // 様式4's row heading
};
inline constexpr std::array<CategoryInfo, 4> kCategories{{
    {Category::kResponsible, "responsible", "情報管理責任者"},
    {Category::kManager, "manager", "情報取扱管理者"},
    {Category::kStaff, "staff", "業務従事者"},
    {Category::kSubcontractor, "subcontractor", "再委託先"},
}};
std::optional<Category> category_from_id(std::string_view id);
std::string_view category_id(Category category);
std::string_view category_label(Category category);

// The sealed fields in plaintext: only in memory, only for the security officer and METI.
struct PersonalFields {
  std::string address;
  std::string birth_date;   // YYYY-MM-DD
  std::string passport;     // ※4: only for people without Japanese nationality or permanent residence
  std::string nationality;
};

struct Person {
  std::int64_t id = 0;
  Category category = Category::kStaff;
  std::string organisation;  // the company; for 再委託先 the subcontractor's name
  std::string name;
  std::string department;
  std::string title;
  std::optional<std::int64_t> user_id;  // the account linked to this person
  bool active = false;                  // on the approved roster
  bool has_address = false, has_birth_date = false, has_passport = false, has_nationality = false;
};

enum class ChangeKind { kAdd, kUpdate, kRemove };
std::string_view change_kind_id(ChangeKind kind);
std::string_view change_kind_label(ChangeKind kind);
std::optional<ChangeKind> change_kind_from_id(std::string_view id);

enum class ChangeStatus { kPending, kApproved, kRejected };
std::string_view change_status_id(ChangeStatus status);
std::string_view change_status_label(ChangeStatus status);

struct ChangeRequest {
  std::int64_t id = 0;
  ChangeKind kind = ChangeKind::kAdd;
  std::optional<std::int64_t> person_id;
  Category category = Category::kStaff;
  std::string organisation, name, department, title;
  std::optional<std::int64_t> user_id;
  bool carries_personal = false;  // some sealed field is set
  std::string reason;
  std::string effective_from;  // Japan date
  std::int64_t requested_by = 0;
  Instant requested_at{};
  ChangeStatus status = ChangeStatus::kPending;
  std::optional<std::int64_t> decided_by;
  std::optional<Instant> decided_at;
  std::string decision_note;
};

// What the form posts, as typed.
struct ChangeForm {
  std::string kind;        // add / update / remove
  std::string person_id;   // update / remove
  std::string category;
  std::string organisation, name, department, title;
  std::string user_id;     // "" = no account
  std::string address, birth_date, passport, nationality;  // "" on update = unchanged
  std::string reason;
  std::string effective_from;
};

// A change read from the form, ready to be filed.
struct ChangeDraft {
  ChangeKind kind = ChangeKind::kAdd;
  std::optional<std::int64_t> person_id;
  Category category = Category::kStaff;
  std::string organisation, name, department, title;
  std::optional<std::int64_t> user_id;
  std::optional<PersonalFields> personal;  // nullopt on update: unchanged
  std::string reason;
  std::string effective_from;
};

struct FieldError {
  std::string field;
  std::string message;
};

struct RosterVersion {
  std::int64_t version = 0;
  std::int64_t change_id = 0;
  std::int64_t approved_by = 0;
  Instant approved_at{};
  std::string snapshot;  // JSON array of the people (no sealed fields)
};

// What the gate needs, per request, from memory.
struct GateSnapshot {
  bool active = false;                // some roster version has been approved
  std::set<std::int64_t> user_ids;    // accounts of the people on the approved roster
};

}  // namespace kakehashi::compliance
