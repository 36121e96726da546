#include "knowledge/model.h"

#include <algorithm>

namespace kakehashi::knowledge {
namespace {

constexpr Code kCategories[] = {{"hito", "ヒト"}, {"mono", "モノ"}, {"kane", "カネ"}};
constexpr Code kSchoolTypes[] = {{"elementary", "小学校"},
                                 {"junior_high", "中学校"},
                                 {"high", "高等学校"},
                                 {"special", "特別支援学校"},
                                 {"kosen", "高等専門学校"}};
constexpr Code kEffects[] = {{"industry_talent", "産業：人材の確保・育成"},
                             {"industry_brand", "産業：認知度・ブランドの向上"},
                             {"industry_business", "産業：事業・製品の開発"},
                             {"education_motivation", "教育：学ぶ意欲の向上"},
                             {"education_career", "教育：進路・職業観の形成"},
                             {"education_skills", "教育：専門的な知識・技能"},
                             {"education_teachers", "教育：教員の指導力・負担軽減"}};
constexpr Code kOutcomes[] = {{"success", "成功要因"}, {"failure", "失敗から学んだこと"}};

}  // namespace

std::string_view to_string(Kind kind) { return kind == Kind::kCase ? "case" : "lesson"; }
std::optional<Kind> kind_from(std::string_view text) {
  if (text == "case") return Kind::kCase;
  if (text == "lesson") return Kind::kLesson;
  return std::nullopt;
}
std::string_view kind_label(Kind kind) { return kind == Kind::kCase ? "事例" : "教訓"; }

std::string_view to_string(Status status) {
  switch (status) {
    case Status::kDraft: return "draft";
    case Status::kReview: return "review";
    case Status::kApproved: return "approved";
    case Status::kPublished: return "published";
    case Status::kWithdrawn: return "withdrawn";
  }
  return "draft";
}

std::optional<Status> status_from(std::string_view text) {
  for (Status s : {Status::kDraft, Status::kReview, Status::kApproved, Status::kPublished, Status::kWithdrawn})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

std::string_view status_label(Status status) {
  switch (status) {
    case Status::kDraft: return "下書き";
    case Status::kReview: return "レビュー中";
    case Status::kApproved: return "承認済み";
    case Status::kPublished: return "公開中";
    case Status::kWithdrawn: return "公開停止";
  }
  return "下書き";
}

std::span<const Code> categories() { return kCategories; }
std::span<const Code> school_types() { return kSchoolTypes; }
std::span<const Code> effects() { return kEffects; }
std::span<const Code> outcomes() { return kOutcomes; }

std::string_view label_of(std::span<const Code> table, std::string_view code) {
  auto it = std::ranges::find(table, code, &Code::code);
  return it == table.end() ? code : it->label;
}

bool known(std::span<const Code> table, std::string_view code) {
  return std::ranges::find(table, code, &Code::code) != table.end();
}

}  // namespace kakehashi::knowledge
