// The counting result and the decisions as files: JSON for programs and screens, CSV for people
// with a spreadsheet.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "program/counting/counting.h"

namespace kakehashi::program::counting {

// {"count":N,"projects":[{"id","title","company","partner","prefecture","categories",
//  "sessions","first_date","last_date","why"}…],"suggestions":[{"id","kind","projects","reason"}…],
//  "bad_rows":[{"line","id","message"}…],"decisions":[{"index","applied","message"}…],
//  "rows":{"read","counted","left_out"}} on one line.
std::string to_json(const CountResult& result, const ParsedRecords& input);

// One line per project (UTF-8 with BOM and CRLF, so Excel opens it): プロジェクトID, 内容, 企業,
// 相手先, 都道府県, 区分, 回数, 初回, 最終回, 記録ID (space-separated), 理由.
std::string to_csv(const CountResult& result);

// The JSON name of a suggestion kind: similar_title, similar_company, similar_partner,
// unplaced_partner.
std::string_view kind_name(SuggestionKind kind);

// Parses decisions saved by a screen or written by hand:
// {"decisions":[{"action":"accept","suggestion":"S-…"}, {"action":"reject","suggestion":"S-…"},
//  {"action":"merge","sessions":["a","b"]}, {"action":"split","sessions":["c"]}]}
// (a bare array is accepted too). Fails naming the first malformed decision.
[[nodiscard]] Result<std::vector<Decision>> parse_decisions(std::string_view json);

}  // namespace kakehashi::program::counting
