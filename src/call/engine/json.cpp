#include "call/engine/json.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "geo/geo.h"

namespace kakehashi::call::engine {

namespace json = boost::json;

namespace {

// One JSON object and where it sits in the document, for messages like
// "入力 JSON: applications[2].score は数値で指定してください".
class Fields {
 public:
  static Result<Fields> of(const json::value& value, std::string path) {
    if (!value.is_object()) {
      return fail(Error::invalid(fmt::format("入力 JSON: {} はオブジェクトで指定してください",
                                             path.empty() ? "全体" : path)));
    }
    return Fields(value.get_object(), std::move(path));
  }

  // The field's value; nullptr when absent or null.
  const json::value* get(std::string_view name) const {
    const json::value* v = object_.if_contains(name);
    return v && !v->is_null() ? v : nullptr;
  }

  Error error(std::string_view name, std::string_view what) const {
    return Error::invalid(fmt::format("入力 JSON: {} {}", where(name), what));
  }

  Result<std::string> text(std::string_view name) const {
    const json::value* v = get(name);
    if (!v) return fail(error(name, "がありません"));
    if (!v->is_string()) return fail(error(name, "は文字列で指定してください"));
    return std::string(v->get_string());
  }

  Result<std::optional<std::int64_t>> integer(std::string_view name, std::string_view unit) const {
    const json::value* v = get(name);
    if (!v) return std::optional<std::int64_t>{};
    if (v->is_int64()) return std::optional(v->get_int64());
    if (v->is_uint64() &&
        v->get_uint64() <= std::uint64_t{std::numeric_limits<std::int64_t>::max()}) {
      return std::optional(static_cast<std::int64_t>(v->get_uint64()));
    }
    // 15000000.0 is an integer written as a double: accept it when exact.
    if (v->is_double() && std::nearbyint(v->get_double()) == v->get_double() &&
        std::abs(v->get_double()) < 9e15) {
      return std::optional(static_cast<std::int64_t>(v->get_double()));
    }
    return fail(error(name, fmt::format("は整数{}で指定してください", unit)));
  }

  Result<std::optional<int>> small_integer(std::string_view name) const {
    auto v = integer(name, "");
    if (!v) return fail(v.error());
    if (!*v) return std::optional<int>{};
    if (**v < std::numeric_limits<int>::min() || **v > std::numeric_limits<int>::max()) {
      return fail(error(name, fmt::format("が大きすぎます: {}", **v)));
    }
    return std::optional(static_cast<int>(**v));
  }

  Result<std::optional<double>> number(std::string_view name) const {
    const json::value* v = get(name);
    if (!v) return std::optional<double>{};
    if (!v->is_number()) return fail(error(name, "は数値で指定してください"));
    // JSON has no nan or inf, but 1e400 reads as infinity.
    double number = v->to_number<double>();
    if (!std::isfinite(number)) return fail(error(name, "は有限の数値で指定してください"));
    return std::optional(number);
  }

  Result<std::vector<std::string>> texts(std::string_view name) const {
    std::vector<std::string> out;
    const json::value* v = get(name);
    if (!v) return out;
    if (!v->is_array()) return fail(error(name, "は文字列の配列で指定してください"));
    for (const json::value& item : v->get_array()) {
      if (!item.is_string()) return fail(error(name, "は文字列の配列で指定してください"));
      out.emplace_back(item.get_string());
    }
    return out;
  }

  // Reads every object of the array `name` with `read(Fields) -> Result<T>`.
  template <typename T, typename Read>
  Result<std::vector<T>> list(std::string_view name, bool required, Read read) const {
    std::vector<T> out;
    const json::value* v = get(name);
    if (!v) {
      if (required) return fail(error(name, "がありません"));
      return out;
    }
    if (!v->is_array()) return fail(error(name, "は配列で指定してください"));
    const json::array& items = v->get_array();
    for (size_t i = 0; i < items.size(); ++i) {
      auto item = Fields::of(items[i], fmt::format("{}[{}]", where(name), i));
      if (!item) return fail(item.error());
      Result<T> value = read(*item);
      if (!value) return fail(value.error());
      out.push_back(std::move(*value));
    }
    return out;
  }

 private:
  Fields(const json::object& object, std::string path) : object_(object), path_(std::move(path)) {}
  std::string where(std::string_view name) const {
    return path_.empty() ? std::string(name) : fmt::format("{}.{}", path_, name);
  }

  const json::object& object_;
  std::string path_;
};

#define KK_TRY(var, expr)                               \
  auto var##_result = (expr);                           \
  if (!var##_result) return fail(var##_result.error()); \
  auto var = std::move(*var##_result)

Result<Fields> parse_root(std::string_view text, json::value& root) {
  if (text.size() > kMaxJsonBytes) {
    return fail(Error::invalid(
        fmt::format("入力 JSON が大きすぎます（上限 {} MB）", kMaxJsonBytes / 1024 / 1024)));
  }
  boost::system::error_code ec;
  root = json::parse(text, ec);
  if (ec) return fail(Error::invalid(fmt::format("入力 JSON を解析できません: {}", ec.message())));
  return Fields::of(root, "");
}

Result<Candidate> read_candidate(const Fields& f) {
  Candidate c;
  KK_TRY(id, f.text("id"));
  KK_TRY(operator_id, f.text("operator"));
  KK_TRY(block, f.text("block"));
  KK_TRY(score, f.number("score"));
  if (!score) return fail(f.error("score", "がありません"));
  KK_TRY(requested, f.integer("requested", "（円）"));
  if (!requested) return fail(f.error("requested", "がありません"));
  KK_TRY(submitted_at, f.text("submitted_at"));
  return Candidate{id, operator_id, block, *score, *requested, submitted_at};
}

Result<Reviewer> read_reviewer(const Fields& f) {
  KK_TRY(id, f.text("id"));
  KK_TRY(expertise, f.texts("expertise"));
  return Reviewer{id, expertise};
}

Result<Submission> read_submission(const Fields& f) {
  KK_TRY(id, f.text("id"));
  KK_TRY(operator_id, f.text("operator"));
  KK_TRY(topics, f.texts("topics"));
  return Submission{id, operator_id, topics};
}

Result<Conflict> read_conflict(const Fields& f) {
  KK_TRY(reviewer, f.text("reviewer"));
  KK_TRY(operator_id, f.text("operator"));
  return Conflict{reviewer, operator_id};
}

Result<Pair> read_pair(const Fields& f) {
  KK_TRY(application, f.text("application"));
  KK_TRY(reviewer, f.text("reviewer"));
  return Pair{application, reviewer};
}

// Shortest text that reads back as the same double ("72.5", "80").
std::string number_text(double value) { return fmt::format("{}", value); }

}  // namespace

Result<SelectionInput> parse_selection_input(std::string_view text) {
  json::value root;
  KK_TRY(f, parse_root(text, root));
  SelectionInput input;
  KK_TRY(budget, f.integer("budget_total", "（円）"));
  KK_TRY(award_min, f.integer("award_min", "（円）"));
  KK_TRY(award_max, f.integer("award_max", "（円）"));
  KK_TRY(min_score, f.number("min_score"));
  if (budget) input.budget_total = *budget;
  if (award_min) input.award_min = *award_min;
  if (award_max) input.award_max = *award_max;
  input.min_score = min_score;
  if (f.get("blocks")) {
    KK_TRY(blocks, f.texts("blocks"));
    input.blocks = std::move(blocks);
  } else {
    for (const geo::Block& block : geo::blocks()) input.blocks.emplace_back(block.id);
  }
  KK_TRY(applications, f.list<Candidate>("applications", true, read_candidate));
  input.applications = std::move(applications);
  return input;
}

std::string selection_to_json(const Selection& selection) {
  std::string out = "{\"awards\":[";
  for (size_t i = 0; i < selection.awards.size(); ++i) {
    const Award& a = selection.awards[i];
    out += fmt::format(
        "{}{{\"block\":{},\"application\":{},\"operator\":{},\"amount\":{},\"score\":{}}}",
        i ? "," : "", json::serialize(json::string(a.block)),
        json::serialize(json::string(a.application)), json::serialize(json::string(a.operator_id)),
        a.amount, number_text(a.score));
  }
  out += fmt::format("],\"total_amount\":{},\"total_score\":{}}}", selection.total_amount,
                     number_text(selection.total_score));
  return out;
}

Result<AssignmentInput> parse_assignment_input(std::string_view text) {
  json::value root;
  KK_TRY(f, parse_root(text, root));
  AssignmentInput input;
  KK_TRY(k, f.small_integer("per_application"));
  KK_TRY(max_load, f.small_integer("max_load"));
  if (k) input.per_application = *k;
  if (max_load) input.max_load = *max_load;
  KK_TRY(reviewers, f.list<Reviewer>("reviewers", true, read_reviewer));
  KK_TRY(applications, f.list<Submission>("applications", true, read_submission));
  KK_TRY(conflicts, f.list<Conflict>("conflicts", false, read_conflict));
  KK_TRY(locked, f.list<Pair>("locked", false, read_pair));
  input.reviewers = std::move(reviewers);
  input.applications = std::move(applications);
  input.conflicts = std::move(conflicts);
  input.locked = std::move(locked);
  return input;
}

#undef KK_TRY

std::string assignment_to_json(const Assignment& assignment, const AssignmentInput& input) {
  std::map<std::string, const Submission*> applications;
  for (const Submission& s : input.applications) applications.emplace(s.id, &s);
  std::map<std::string, const Reviewer*> reviewers;
  for (const Reviewer& r : input.reviewers) reviewers.emplace(r.id, &r);
  std::set<std::pair<std::string, std::string>> locked;
  for (const Pair& p : input.locked) locked.emplace(p.application, p.reviewer);

  std::string out = "{\"assignments\":[";
  for (size_t i = 0; i < assignment.pairs.size(); ++i) {
    const Pair& p = assignment.pairs[i];
    bool matched = false;
    auto a = applications.find(p.application);
    auto r = reviewers.find(p.reviewer);
    if (a != applications.end() && r != reviewers.end()) {
      for (const std::string& topic : r->second->expertise) {
        for (const std::string& t : a->second->topics) matched = matched || topic == t;
      }
    }
    out += fmt::format("{}{{\"application\":{},\"reviewer\":{},\"matched\":{},\"locked\":{}}}",
                       i ? "," : "", json::serialize(json::string(p.application)),
                       json::serialize(json::string(p.reviewer)), matched,
                       locked.contains({p.application, p.reviewer}));
  }
  out += fmt::format("],\"cost\":{},\"max_load\":{}}}", assignment.cost, assignment.max_load);
  return out;
}

}  // namespace kakehashi::call::engine
