// Knowledge (issue 19, R4): plain structs of the stakeholder map, lessons and cases, and the
// code tables with their Japanese labels. No SQL and no rules here: the store reads and writes
// them, service.h applies the rules (validation, scope per item, curation, audit).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kakehashi::knowledge {

using Instant = std::chrono::sys_seconds;

// A validation problem of one form field (`field` the input's name, `message` Japanese).
struct FieldError {
  std::string field;
  std::string message;
};

// A code and its Japanese label (categories, school types, effects, statuses …).
struct Code {
  std::string_view code;
  std::string_view label;
};

enum class Kind { kCase, kLesson };
std::string_view to_string(Kind kind);  // "case" / "lesson"
std::optional<Kind> kind_from(std::string_view text);
std::string_view kind_label(Kind kind);  // 事例 / 教訓

// The curation workflow: draft → review → approved → published; published → withdrawn;
// review → draft (returned); withdrawn → draft (reworked).
enum class Status { kDraft, kReview, kApproved, kPublished, kWithdrawn };
std::string_view to_string(Status status);  // "draft" …
std::optional<Status> status_from(std::string_view text);
std::string_view status_label(Status status);  // 下書き / レビュー中 / 承認済み / 公開中 / 公開停止

// ヒト / モノ / カネ (the specification's three fields of cooperation).
std::span<const Code> categories();
// 小学校, 中学校, 高等学校, 特別支援学校, 高等専門学校.
std::span<const Code> school_types();
// Effects on industry (prefix "industry_") and on education (prefix "education_").
std::span<const Code> effects();
// Lesson outcomes: success (成功要因) / failure (失敗から学んだこと).
std::span<const Code> outcomes();
// The label of `code` in `table`, or the code itself when unknown.
std::string_view label_of(std::span<const Code> table, std::string_view code);
bool known(std::span<const Code> table, std::string_view code);

// A figure of a case: 「参加生徒数 120 人」.
struct Figure {
  std::string label;
  std::string value;  // a number as written ("120", "3.5")
  std::string unit;
};

// One personal-information finding on the text of an item (the inspector's check).
struct PiiFinding {
  std::string code;      // "pii.phone"
  std::string label;     // 電話番号
  std::string field;     // where: 本文, 概要 …
  std::string masked;    // the match, masked ("090-****-**78")
};

struct Photo {
  std::int64_t id = 0;
  std::int64_t item_id = 0;
  std::string caption;
  std::string content_type;
  std::int64_t size = 0;
  std::string sha256;
  std::string removed;  // what cleaning removed
  std::string added_at;
};

// A case (kind kCase) or a lesson (kind kLesson). Lessons use title, summary (背景), body (何が
//起きたか), advice (次に活かすこと), outcome, stakeholders, operator and block.
struct Item {
  std::int64_t id = 0;
  Kind kind = Kind::kCase;
  Status status = Status::kDraft;
  std::string title;
  std::string summary;
  std::string body;
  std::string advice;
  std::string outcome;
  std::string block_id;
  std::string prefecture;
  std::vector<std::string> school_types;
  std::string category;
  std::string subtype;
  std::vector<std::string> effects;
  std::string effect_industry;
  std::string effect_education;
  std::vector<Figure> figures;
  std::vector<std::string> stakeholders;
  std::optional<std::int64_t> operator_id;
  std::optional<std::int64_t> organisation_id;
  std::string projects;
  bool consent = false;
  std::string consent_note;
  std::string source = "kakehashi";
  int year = 0;
  std::vector<PiiFinding> pii_findings;
  std::optional<std::string> pii_checked_at;
  std::string pii_accepted_reason;
  std::string review_comment;
  std::string withdrawn_reason;
  std::optional<std::int64_t> created_by;
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> published_at;
};

// What an author writes (the form): everything but the workflow's fields.
struct Draft {
  Kind kind = Kind::kCase;
  std::string title;
  std::string summary;
  std::string body;
  std::string advice;
  std::string outcome;
  std::string block_id;
  std::string prefecture;
  std::vector<std::string> school_types;
  std::string category;
  std::string subtype;
  std::vector<std::string> effects;
  std::string effect_industry;
  std::string effect_education;
  std::vector<Figure> figures;
  std::vector<std::string> stakeholders;
  std::optional<std::int64_t> operator_id;
  std::string projects;
  bool consent = false;
  std::string consent_note;
  int year = 0;
  std::string source;  // empty: "kakehashi"; imports name their collection
};

// A stakeholder type of the map (R4.1).
struct Stakeholder {
  std::string code;
  int position = 0;
  std::string name;
  std::string roles;
  std::string actions;
  int cases = 0;    // published cases naming it
  int lessons = 0;  // published lessons naming it
};

}  // namespace kakehashi::knowledge
