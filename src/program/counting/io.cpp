#include "program/counting/io.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <array>

#include "base/csv.h"

namespace kakehashi::program::counting {

namespace json = boost::json;

std::string_view kind_name(SuggestionKind kind) {
  static constexpr std::array<std::string_view, 4> kNames = {"similar_title", "similar_company",
                                                             "similar_partner", "unplaced_partner"};
  return kNames[size_t(kind)];
}

namespace {

json::array string_array(const std::vector<std::string>& values, json::storage_ptr storage) {
  json::array out(storage);
  out.reserve(values.size());
  for (const auto& value : values) out.emplace_back(value);
  return out;
}

// "2026-10-05" without a formatting library call: two per project in a large output.
std::string iso(Date date) {
  char text[] = "0000-00-00";
  int year = date.year();
  for (int i = 3; i >= 0; --i, year /= 10) text[i] = char('0' + year % 10);
  text[5] = char('0' + date.month() / 10);
  text[6] = char('0' + date.month() % 10);
  text[8] = char('0' + date.day() / 10);
  text[9] = char('0' + date.day() % 10);
  return text;
}

}  // namespace

std::string to_json(const CountResult& result, const ParsedRecords& input) {
  // The whole document lives in one arena: built and freed at once.
  json::storage_ptr storage = json::make_shared_resource<json::monotonic_resource>();
  json::object root(storage);
  root["count"] = result.count();
  json::array projects(storage);
  projects.reserve(result.projects.size());
  for (const auto& project : result.projects) {
    json::object item(storage);
    item["id"] = project.id;
    item["title"] = project.title;
    item["company"] = project.company;
    item["partner"] = project.partner;
    item["prefecture"] = project.prefecture;
    item["categories"] = string_array(project.categories, storage);
    item["sessions"] = string_array(project.session_ids, storage);
    item["first_date"] = iso(project.first_date);
    item["last_date"] = iso(project.last_date);
    item["why"] = project.why;
    projects.emplace_back(std::move(item));
  }
  root["projects"] = std::move(projects);
  json::array suggestions(storage);
  for (const auto& suggestion : result.suggestions) {
    suggestions.emplace_back(json::object{{"id", suggestion.id},
                                          {"kind", kind_name(suggestion.kind)},
                                          {"projects", json::array{suggestion.project_ids[0], suggestion.project_ids[1]}},
                                          {"reason", suggestion.reason}});
  }
  root["suggestions"] = std::move(suggestions);
  json::array bad_rows(storage);
  for (const auto& bad : input.bad_rows) {
    bad_rows.emplace_back(json::object{{"line", bad.line}, {"id", bad.id}, {"message", bad.message}});
  }
  root["bad_rows"] = std::move(bad_rows);
  json::array decisions(storage);
  for (const auto& outcome : result.decisions) {
    decisions.emplace_back(
        json::object{{"index", outcome.index}, {"applied", outcome.applied}, {"message", outcome.message}});
  }
  root["decisions"] = std::move(decisions);
  root["rows"] = json::object{{"read", input.data_rows},
                              {"counted", input.records.size()},
                              {"left_out", input.bad_rows.size()}};
  return json::serialize(root);
}

std::string to_csv(const CountResult& result) {
  std::string out = "\xEF\xBB\xBF";
  out += csv::format_row({"プロジェクトID", "内容", "企業", "相手先", "都道府県", "区分", "回数", "初回",
                          "最終回", "記録ID", "理由"});
  for (const auto& project : result.projects) {
    out += csv::format_row({project.id, project.title, project.company, project.partner, project.prefecture,
                            fmt::format("{}", fmt::join(project.categories, "・")),
                            std::to_string(project.session_ids.size()), project.first_date.iso(),
                            project.last_date.iso(), fmt::format("{}", fmt::join(project.session_ids, " ")),
                            project.why});
  }
  return out;
}

Result<std::vector<Decision>> parse_decisions(std::string_view text) {
  boost::system::error_code error;
  json::value root = json::parse(text, error);
  if (error) return fail(Error::invalid("判断ファイルをJSONとして読み取れません"));
  const json::array* list = root.if_array();
  if (!list && root.is_object()) {
    if (const auto* decisions = root.as_object().if_contains("decisions")) list = decisions->if_array();
  }
  if (!list) return fail(Error::invalid("判断ファイルに decisions の配列がありません"));
  std::vector<Decision> decisions;
  for (size_t i = 0; i < list->size(); ++i) {
    auto bad = [&](std::string_view what) {
      return fail(Error::invalid(fmt::format("{}番目の判断が正しくありません: {}", i + 1, what)));
    };
    const json::object* item = (*list)[i].if_object();
    if (!item) return bad("オブジェクトではありません");
    const json::value* action = item->if_contains("action");
    if (!action || !action->is_string()) return bad("action がありません");
    Decision decision;
    std::string_view name = action->as_string();
    if (name == "accept") {
      decision.action = DecisionAction::kAccept;
    } else if (name == "reject") {
      decision.action = DecisionAction::kReject;
    } else if (name == "merge") {
      decision.action = DecisionAction::kMerge;
    } else if (name == "split") {
      decision.action = DecisionAction::kSplit;
    } else {
      return bad("action は accept, reject, merge, split のいずれかです");
    }
    if (decision.action == DecisionAction::kAccept || decision.action == DecisionAction::kReject) {
      const json::value* id = item->if_contains("suggestion");
      if (!id || !id->is_string() || id->as_string().empty()) return bad("suggestion（提案ID）がありません");
      decision.suggestion_id = std::string(id->as_string());
    } else {
      const json::value* sessions = item->if_contains("sessions");
      if (!sessions || !sessions->is_array() || sessions->as_array().empty()) {
        return bad("sessions（記録IDの配列）がありません");
      }
      for (const auto& session : sessions->as_array()) {
        if (!session.is_string()) return bad("sessions には記録IDの文字列を並べてください");
        decision.session_ids.emplace_back(session.as_string());
      }
    }
    decisions.push_back(std::move(decision));
  }
  return decisions;
}

}  // namespace kakehashi::program::counting
