// The analysis configuration: which CSV columns hold the respondent, the wave and the
// questions, and how each answer maps to a number. Read from JSON (the CLI's --config, later
// the survey configuration screen).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace kakehashi::survey {

struct ItemConfig {
  std::string column;  // CSV header of the question (NFKC-normalised, trimmed)
  std::string label;   // what charts and tables show; the column when not given
  std::string group;   // item group (one chart and table each); empty: the survey's default group
  // Answer text (NFKC-normalised, trimmed) -> value, in the order the config lists them. Empty:
  // answers are numbers taken as they are.
  std::vector<std::pair<std::string, double>> scale;
  // Accepted range of a numeric item (inclusive); unset bounds accept any finite number.
  std::optional<double> min, max;
};

struct SurveyConfig {
  std::string title = "アンケート";  // names the default item group
  std::string respondent;            // header of the respondent ID column
  std::string wave;                  // header of the wave column
  std::string pre;                   // wave value of the answers before the project
  std::string post;                  // wave value of the answers after it
  std::vector<ItemConfig> items;
};

// Parses and checks a configuration:
//   {"title":"…", "respondent":"回答者ID", "wave":"時期", "pre":"事前", "post":"事後",
//    "items":[{"column":"Q1", "label":"…", "group":"…", "scale":{"そう思う":4, …}},
//             {"column":"Q2", "min":0, "max":10}]}
// Names and answer texts are NFKC-normalised and trimmed, so full-width and half-width
// spellings match. Fails with a Japanese message naming the offending key.
[[nodiscard]] Result<SurveyConfig> parse_config(std::string_view json);

// Reads a UTF-8 JSON file and parses it as above.
[[nodiscard]] Result<SurveyConfig> read_config(const std::string& path);

// NFKC and trimming as every survey text is compared: full-width digits and letters become
// ASCII, ideographic and stray spaces at either end disappear. ASCII input skips ICU.
std::string normalize_answer(std::string_view text);

}  // namespace kakehashi::survey
