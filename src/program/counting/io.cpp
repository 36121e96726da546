#include "program/counting/io.h"

#include <fmt/format.h>

#include <array>
#include <boost/json.hpp>

#include "base/csv.h"

namespace kakehashi::program::counting {

namespace json = boost::json;

std::string_view kind_name(SuggestionKind kind) {
  static constexpr std::array<std::string_view, 4> kNames = {"similar_title", "similar_company",
                                                             "similar_partner", "unplaced_partner"};
  return kNames[size_t(kind)];
}

namespace {

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

// Writes JSON straight into a string (the result of 100,000 records is written without
// building a document first). Strings are UTF-8 already; only quotes, backslashes and control
// characters are escaped.
class JsonWriter {
 public:
  std::string take() { return std::move(out_); }
  void reserve(size_t bytes) { out_.reserve(bytes); }
  JsonWriter& raw(std::string_view text) {
    out_ += text;
    return *this;
  }
  JsonWriter& key(std::string_view name) {
    comma();
    string(name);
    out_ += ':';
    fresh_ = true;
    return *this;
  }
  JsonWriter& value(std::string_view text) {
    comma();
    string(text);
    return *this;
  }
  JsonWriter& value(size_t number) {
    comma();
    out_ += std::to_string(number);
    return *this;
  }
  JsonWriter& value(bool flag) {
    comma();
    out_ += flag ? "true" : "false";
    return *this;
  }
  JsonWriter& open(char bracket) {
    comma();
    out_ += bracket;
    fresh_ = true;
    return *this;
  }
  JsonWriter& close(char bracket) {
    out_ += bracket;
    fresh_ = false;
    return *this;
  }
  JsonWriter& strings(std::string_view name, const std::vector<std::string>& values) {
    key(name).open('[');
    for (const auto& value : values) this->value(value);
    return close(']');
  }

 private:
  void comma() {
    if (!fresh_) out_ += ',';
    fresh_ = false;
  }
  void string(std::string_view text) {
    out_ += '"';
    size_t plain = 0;  // start of the run of characters copied as they are
    for (size_t i = 0; i < text.size(); ++i) {
      auto c = static_cast<unsigned char>(text[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(text, plain, i - plain);
      plain = i + 1;
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        case '\t':
          out_ += "\\t";
          break;
        default:
          out_ += fmt::format("\\u{:04x}", int(c));
      }
    }
    out_.append(text, plain, text.size() - plain);
    out_ += '"';
  }

  std::string out_;
  bool fresh_ = true;
};

}  // namespace

std::string to_json(const CountResult& result, const ParsedRecords& input) {
  JsonWriter json;
  json.reserve(result.projects.size() * 512);
  json.open('{').key("count").value(result.count());
  json.key("projects").open('[');
  for (const auto& project : result.projects) {
    json.open('{');
    json.key("id").value(project.id).key("title").value(project.title);
    json.key("company").value(project.company).key("partner").value(project.partner);
    json.key("prefecture").value(project.prefecture);
    json.strings("categories", project.categories).strings("sessions", project.session_ids);
    json.key("first_date")
        .value(iso(project.first_date))
        .key("last_date")
        .value(iso(project.last_date));
    json.key("why").value(project.why);
    json.close('}');
  }
  json.close(']').key("suggestions").open('[');
  for (const auto& suggestion : result.suggestions) {
    json.open('{').key("id").value(suggestion.id).key("kind").value(kind_name(suggestion.kind));
    json.key("projects")
        .open('[')
        .value(suggestion.project_ids[0])
        .value(suggestion.project_ids[1])
        .close(']');
    json.key("reason").value(suggestion.reason).close('}');
  }
  json.close(']').key("bad_rows").open('[');
  for (const auto& bad : input.bad_rows) {
    json.open('{')
        .key("line")
        .value(bad.line)
        .key("id")
        .value(bad.id)
        .key("message")
        .value(bad.message)
        .close('}');
  }
  json.close(']').key("decisions").open('[');
  for (const auto& outcome : result.decisions) {
    json.open('{').key("index").value(outcome.index).key("applied").value(outcome.applied);
    json.key("message").value(outcome.message).close('}');
  }
  json.close(']').key("rows").open('{').key("read").value(input.data_rows);
  json.key("counted")
      .value(input.records.size())
      .key("left_out")
      .value(input.bad_rows.size())
      .close('}');
  return json.close('}').take();
}

std::string to_csv(const CountResult& result) {
  std::string out = "\xEF\xBB\xBF";
  out += csv::format_row({"プロジェクトID", "内容", "企業", "相手先", "都道府県", "区分", "回数",
                          "初回", "最終回", "記録ID", "理由"});
  for (const auto& project : result.projects) {
    out +=
        csv::format_row({project.id, project.title, project.company, project.partner,
                         project.prefecture, fmt::format("{}", fmt::join(project.categories, "・")),
                         std::to_string(project.session_ids.size()), project.first_date.iso(),
                         project.last_date.iso(),
                         fmt::format("{}", fmt::join(project.session_ids, " ")), project.why});
  }
  return out;
}

Result<std::vector<Decision>> parse_decisions(std::string_view text) {
  boost::system::error_code error;
  json::value root = json::parse(text, error);
  if (error) return fail(Error::invalid("判断ファイルをJSONとして読み取れません"));
  const json::array* list = root.if_array();
  if (!list && root.is_object()) {
    if (const auto* decisions = root.as_object().if_contains("decisions"))
      list = decisions->if_array();
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
      if (!id || !id->is_string() || id->as_string().empty())
        return bad("suggestion（提案ID）がありません");
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
