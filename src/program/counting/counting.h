// The project counting rule (specification 3(2), R3.3): the same content with the same company
// and the same municipality / school is one project, however many sessions it has.
//
// count_projects() groups activity records by that rule and explains each group in Japanese.
// It merges only what the normalisers of names.h and titles.h make equal (plus a missing
// location filled in when exactly one candidate exists); anything less certain becomes a
// Suggestion a person confirms or rejects. Their Decisions are inputs to the next run, so a
// screen can store them and the count stays reproducible.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/csv.h"
#include "base/date.h"
#include "base/result.h"

namespace kakehashi::program::counting {

// One activity record (one session) as read from an operator's spreadsheet.
struct ActivityRecord {
  size_t line = 0;  // line in the input file, for messages
  std::string id;
  Date date;
  std::string title;
  std::string company;
  std::string partner;     // municipality, board of education or school
  std::string prefecture;  // full prefecture name, "" when the column was empty
  std::string category;    // ヒト, モノ or カネ
};

// A row left out of the count, with the reason in Japanese.
struct BadRow {
  size_t line = 0;
  std::string id;       // as written, may be empty
  std::string message;  // e.g. "企業名（company）がありません"
};

struct ParsedRecords {
  std::vector<ActivityRecord> records;
  std::vector<BadRow> bad_rows;
  size_t data_rows = 0;  // rows after the header
};

// The columns of the input, in the order of the specification. The header may list them in any
// order, in English or Japanese (ID, 日付, 内容, 企業, 相手先, 都道府県, 区分); other columns
// are ignored.
std::span<const std::string_view> input_columns();

// Turns CSV rows (the first is the header) into records. A row is bad, and left out, when its
// id is missing or repeats an earlier one, its date is unreadable, its title, company or partner
// is empty, its prefecture is not one of the 47, its category is not ヒト・モノ・カネ, or its
// number of fields differs from the header's. Fails only when the header lacks a column or there
// is no header.
[[nodiscard]] Result<ParsedRecords> parse_records(std::vector<csv::Row> rows);

// A date as typed in Japanese spreadsheets: 2026-10-05, 2026/10/5, 2026/10/5 0:00, 2026年10月5日,
// 令和8年10月5日 (full-width digits too); nullopt for anything else.
std::optional<Date> parse_date(std::string_view text);

// Reads a CSV file in UTF-8 (with or without BOM) or Shift_JIS / CP932 and parses its records.
[[nodiscard]] Result<ParsedRecords> read_records(const std::string& path);

// What a person decided about a grouping. Decisions are applied in every run, in order.
enum class DecisionAction {
  kAccept,  // merge the two projects of `suggestion_id`
  kReject,  // the two projects of `suggestion_id` are different: stop suggesting it
  kMerge,   // the projects holding `session_ids` are one project
  kSplit,   // the sessions `session_ids` are a project of their own, apart from the rest
};

struct Decision {
  DecisionAction action = DecisionAction::kAccept;
  std::string suggestion_id;             // kAccept, kReject
  std::vector<std::string> session_ids;  // kMerge (two or more), kSplit (one or more)
};

enum class SuggestionKind {
  kSimilarTitle,    // same company and partner, titles one character apart or one extends the other
  kSimilarCompany,  // same content and partner, company names one character apart or one contains
                    // the other
  kSimilarPartner,  // same company and content, partner names one character apart or one ends the
                    // other
  kUnplacedPartner,  // a partner without location that matches more than one located partner
};

// Two projects that might be one. `id` depends only on the normalised names and titles of the
// two sides, so it is the same in every run over the same (or a grown) spreadsheet.
struct Suggestion {
  std::string id;  // "S-" + 12 hex digits
  SuggestionKind kind = SuggestionKind::kSimilarTitle;
  std::string project_ids[2];
  std::string reason;  // Japanese, e.g. 「出前授業A」と「出前授業B」は1文字違いです
};

struct Project {
  // "P-" + 12 hex digits, from the normalised names of its records: stable across runs as long as
  // the spelling that sorts first among its records stays in the input.
  std::string id;
  std::string title;                     // without session markers
  std::string company;                   // the spelling used most often (the earliest on a tie)
  std::string partner;                   // likewise
  std::string prefecture;                // "" when no record says
  std::vector<std::string> categories;   // ヒト, モノ, カネ in that order, those present
  std::vector<std::string> session_ids;  // by date, then by input line
  Date first_date;
  Date last_date;
  std::string why;  // Japanese: what made the group
  size_t first_line = 0;
};

// How one input decision fared.
struct DecisionOutcome {
  size_t index = 0;  // position in the decision list
  bool applied = false;
  std::string message;  // Japanese
};

struct CountResult {
  std::vector<Project> projects;  // in the order of their first record in the input
  std::vector<Suggestion> suggestions;
  std::vector<DecisionOutcome> decisions;
  size_t count() const { return projects.size(); }
};

// Groups records into projects. Every record is in exactly one project. Record ids must be
// unique (parse_records ensures it). Each distinct spelling is normalised once; grouping is
// O(n log n) (hashing, then sorting the groups into buckets), plus pairwise comparisons inside
// each bucket of groups sharing two of company, partner and content (bounded by kMaxCompared
// per bucket). Pure: no I/O, no global state; safe to call from several threads at once.
CountResult count_projects(std::span<const ActivityRecord> records,
                           std::span<const Decision> decisions = {});

// Distinct spellings compared pairwise within one bucket when looking for suggestions; a bucket
// with more is not searched for suggestions (its exact grouping is unaffected).
inline constexpr size_t kMaxCompared = 300;

// Items listed in one clause of a `why` before "ほかN件".
inline constexpr size_t kWhyListLimit = 5;

}  // namespace kakehashi::program::counting
